package fix_test

import (
	"bytes"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"github.com/hashicorp/hcl/v2/hclwrite"
	"github.com/isolint/isolint/engine"
	"github.com/isolint/isolint/fix"
	"github.com/isolint/isolint/harness"
	"github.com/isolint/isolint/internal/golden"
	"github.com/isolint/isolint/model"
	"github.com/isolint/isolint/rules"
	"time"
)

var testNow = time.Date(2026, 6, 1, 0, 0, 0, 0, time.UTC)

// copyTree copies the files under src into a new temporary directory.
func copyTree(t *testing.T, src string, files []string) string {
	t.Helper()
	dst := t.TempDir()
	for _, f := range files {
		rel, err := filepath.Rel(src, f)
		if err != nil {
			t.Fatal(err)
		}
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		out := filepath.Join(dst, rel)
		if err := os.MkdirAll(filepath.Dir(out), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(out, b, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return dst
}

func filesUnder(t *testing.T, dir string) []string {
	t.Helper()
	var out []string
	err := filepath.WalkDir(dir, func(p string, d os.DirEntry, err error) error {
		if err == nil && !d.IsDir() {
			out = append(out, p)
		}
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	sort.Strings(out)
	return out
}

func scan(t *testing.T, dir string) *engine.Result {
	t.Helper()
	res, err := engine.Run(engine.Options{Paths: []string{dir}, Base: dir, Now: testNow})
	if err != nil {
		t.Fatal(err)
	}
	return res
}

func reader(dir string) func(string) ([]byte, error) {
	return func(p string) ([]byte, error) { return os.ReadFile(filepath.Join(dir, filepath.FromSlash(p))) }
}

// fixAll plans and writes the fixes under dir, round after round (as
// `isolint fix` does: one fix can make another possible) until nothing is
// left; it returns the first scan and the keys of every finding fixed.
func fixAll(t *testing.T, dir string, opts fix.Options) (*engine.Result, map[key]bool, []model.Notice) {
	t.Helper()
	var first *engine.Result
	fixed := map[key]bool{}
	var notices []model.Notice
	for round := 0; round < 4; round++ {
		res := scan(t, dir)
		if first == nil {
			first = res
		}
		plan := fix.Plan(res.Findings, reader(dir), opts)
		notices = append(notices, plan.Notices...)
		changed := false
		for _, f := range plan.Files {
			if f.New == nil {
				continue
			}
			changed = true
			for _, i := range f.Fixed {
				fixed[keyOf(res.Findings[i])] = true
			}
			if err := os.WriteFile(filepath.Join(dir, filepath.FromSlash(f.Path)), f.New, 0o644); err != nil {
				t.Fatal(err)
			}
		}
		if !changed {
			break
		}
	}
	return first, fixed, notices
}

// TestFixGolden pins the fixed text of each case in fix/testdata, safe
// fixes alone and with the unsafe ones.
func TestFixGolden(t *testing.T) {
	cases, err := os.ReadDir("testdata")
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range cases {
		if !c.IsDir() || c.Name() == "golden" {
			continue
		}
		for _, mode := range []string{"safe", "unsafe"} {
			t.Run(c.Name()+"/"+mode, func(t *testing.T) {
				src := filepath.Join("testdata", c.Name())
				dir := copyTree(t, src, filesUnder(t, src))
				_, _, notices := fixAll(t, dir, fix.Options{Unsafe: mode == "unsafe"})
				if len(notices) > 0 {
					t.Errorf("notices: %v", notices)
				}
				var b bytes.Buffer
				for _, f := range filesUnder(t, dir) {
					rel, _ := filepath.Rel(dir, f)
					content, _ := os.ReadFile(f)
					b.WriteString("=== " + filepath.ToSlash(rel) + "\n")
					b.Write(content)
					if len(content) > 0 && content[len(content)-1] != '\n' {
						b.WriteString("\n=== (no newline at end of file)\n")
					}
				}
				golden.Check(t, filepath.Join("testdata", "golden", c.Name()+"."+mode+".txt"), b.Bytes())
			})
		}
	}
}

type key struct{ rule, object, path string }

func keyOf(f rules.Finding) key { return key{f.RuleID, f.Object, f.Loc.Path} }

// TestFixProperties fixes every fixture of the harness (unsafe fixes too)
// and checks what a user relies on: the fixed findings are gone, no new
// finding appears, every comment line survives, the files still parse,
// and a second run changes nothing.
func TestFixProperties(t *testing.T) {
	units, err := harness.Units(filepath.Join("..", "testdata"))
	if err != nil {
		t.Fatal(err)
	}
	fixedAny := 0
	for _, u := range units {
		switch strings.SplitN(u.Name, "/", 2)[0] {
		case "k8s", "compose", "gha", "gitlab", "terraform", "dev", "cfn":
		default:
			continue
		}
		t.Run(u.Name, func(t *testing.T) {
			root := u.Path
			if info, err := os.Stat(root); err == nil && !info.IsDir() {
				root = filepath.Dir(root)
			}
			dir := copyTree(t, root, u.Files)
			before := map[string][]byte{}
			for _, f := range filesUnder(t, dir) {
				before[f], _ = os.ReadFile(f)
			}
			res, fixed, _ := fixAll(t, dir, fix.Options{Unsafe: true})
			if len(fixed) > 0 {
				fixedAny++
			}
			old := map[key]bool{}
			for _, f := range res.Findings {
				old[keyOf(f)] = true
			}
			after := scan(t, dir)
			for _, f := range after.Findings {
				k := keyOf(f)
				if fixed[k] {
					t.Errorf("fixed finding still reported: %s %s %s", k.rule, f.Loc, f.Message)
				} else if !old[k] {
					t.Errorf("fix introduced a finding: %s %s %s", k.rule, f.Loc, f.Message)
				}
			}
			wasBroken := map[string]bool{}
			for _, n := range res.Notices {
				wasBroken[n.Loc.String()+n.Message] = true
			}
			for _, n := range after.Notices {
				if n.Level == "error" && !wasBroken[n.Loc.String()+n.Message] {
					t.Errorf("after the fix: %s: %s", n.Loc, n.Message)
				}
			}
			for path, b := range before {
				now, _ := os.ReadFile(path)
				if strings.HasSuffix(path, ".tf") && bytes.Equal(hclwrite.Format(b), b) && !bytes.Equal(hclwrite.Format(now), now) {
					t.Errorf("%s: formatted as terraform fmt before the fix, not after:\n%s", path, now)
				}
				for _, line := range strings.Split(string(b), "\n") {
					if c := strings.TrimSpace(line); strings.HasPrefix(c, "#") && !bytes.Contains(now, []byte(line)) {
						t.Errorf("%s: comment line lost: %q", path, line)
					}
				}
			}
			again := fix.Plan(after.Findings, reader(dir), fix.Options{Unsafe: true})
			for _, f := range again.Files {
				if f.New != nil {
					t.Errorf("a second fix changes %s again", f.Path)
				}
			}
		})
	}
	if fixedAny == 0 {
		t.Fatal("no fixture was fixed: the property test checked nothing")
	}
}
