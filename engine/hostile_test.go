package engine_test

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/isolint/isolint/engine"
	_ "github.com/isolint/isolint/internal/golden" // accepts -update, so `go test ./... -update` runs everywhere
	"github.com/isolint/isolint/model"
)

// hostileTree writes testdata/hostile's inputs into dir: the checked-in
// small ones are copied, the large ones generated here.
func hostileTree(t *testing.T, dir string) {
	t.Helper()
	src := "../testdata/hostile"
	entries, err := os.ReadDir(src)
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range entries {
		b, err := os.ReadFile(filepath.Join(src, e.Name()))
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(dir, e.Name()), b, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	write := func(name string, b []byte) {
		if err := os.WriteFile(filepath.Join(dir, name), b, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	// 20,000-deep nesting, block and flow
	var deep strings.Builder
	deep.WriteString("apiVersion: v1\nkind: Pod\nmetadata:\n  name: deep\nspec:\n")
	for i := range 20000 {
		deep.WriteString(strings.Repeat(" ", 2+i%200))
		deep.WriteString("- ")
		if i%200 == 199 {
			deep.WriteString("\n")
		}
	}
	deep.WriteString("x\n")
	write("deep-block.yaml", []byte(deep.String()))
	write("deep-flow.yaml", []byte("apiVersion: v1\nkind: Pod\nspec:\n  containers: "+strings.Repeat("[", 20000)+strings.Repeat("]", 20000)+"\n"))
	write("deep-map.yaml", []byte("apiVersion: v1\nkind: Pod\nspec: "+strings.Repeat("{a: ", 20000)+"1"+strings.Repeat("}", 20000)+"\n"))
	// binary and invalid UTF-8
	bin := make([]byte, 4096)
	for i := range bin {
		bin[i] = byte(i * 7)
	}
	write("binary.yaml", bin)
	write("invalid-utf8.yaml", []byte("apiVersion: v1\nkind: Pod\nmetadata:\n  name: \xff\xfe\xfd\nspec:\n  hostPID: true\n"))
	write("utf16.yaml", []byte("\xff\xfea\x00p\x00i\x00V\x00e\x00r\x00s\x00i\x00o\x00n\x00:\x00 \x00v\x001\x00\n\x00"))
	// a 30 MB valid manifest: over the default 10 MiB limit
	var big strings.Builder
	for i := 0; big.Len() < 30<<20; i++ {
		fmt.Fprintf(&big, "---\napiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: cm-%d\ndata:\n  key: %s\n", i, strings.Repeat("v", 200))
	}
	write("huge.yaml", []byte(big.String()))
	// one very long line
	write("long-line.yaml", []byte("apiVersion: v1\nkind: Pod\nmetadata:\n  name: "+strings.Repeat("n", 5<<20)+"\nspec:\n  hostIPC: true\n"))
	// symlinks that leave the tree or loop
	outside := t.TempDir()
	if err := os.WriteFile(filepath.Join(outside, "secret.yaml"), []byte(hostNet("outside")), 0o644); err != nil {
		t.Fatal(err)
	}
	for link, target := range map[string]string{
		"escape.yaml": filepath.Join(outside, "secret.yaml"),
		"escape-dir":  outside,
		"etc-passwd":  "/etc",
		"loop-a.yaml": "loop-b.yaml",
		"loop-b.yaml": "loop-a.yaml",
		"self-dir":    ".",
	} {
		if err := os.Symlink(target, filepath.Join(dir, link)); err != nil {
			t.Fatal(err)
		}
	}
	// Kustomize overlays: a resource behind a symlink out of the tree, a
	// patch nested 20,000 deep, a remote base, a self-including kustomization
	for name, content := range map[string]string{
		"kust-escape/kustomization.yaml": "resources:\n  - leak.yaml\n",
		"kust-deep/kustomization.yaml": "resources:\n  - app.yaml\npatches:\n  - patch: |-\n      apiVersion: v1\n      kind: Pod\n      metadata: {name: a}\n      spec: " +
			strings.Repeat("{a: ", 20000) + "1" + strings.Repeat("}", 20000) + "\n",
		"kust-deep/app.yaml":             hostNet("deep-kust"),
		"kust-remote/kustomization.yaml": "resources:\n  - https://token:x@example.com/org/repo//deploy?ref=v1\n",
		"kust-self/kustomization.yaml":   "resources:\n  - .\n",
	} {
		if err := os.MkdirAll(filepath.Join(dir, filepath.Dir(name)), 0o755); err != nil {
			t.Fatal(err)
		}
		write(name, []byte(content))
	}
	if err := os.Symlink(filepath.Join(outside, "secret.yaml"), filepath.Join(dir, "kust-escape", "leak.yaml")); err != nil {
		t.Fatal(err)
	}
	// the good files, whose findings must survive
	write("good.yaml", []byte(hostNet("good")))
	if err := os.MkdirAll(filepath.Join(dir, "nested"), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "nested", "good2.yaml"), []byte(hostNet("good2")), 0o644); err != nil {
		t.Fatal(err)
	}
}

func hostNet(name string) string {
	return fmt.Sprintf("apiVersion: v1\nkind: Pod\nmetadata:\n  name: %s\nspec:\n  serviceAccountName: %s\n  hostNetwork: true\n  securityContext: {runAsNonRoot: true}\n  containers:\n    - name: c\n      image: x\n", name, name)
}

// TestHostileInput: every hostile file gives a notice naming it, nothing
// panics, the good files' findings are all there, and the scan finishes.
func TestHostileInput(t *testing.T) {
	if testing.Short() {
		t.Skip("writes ~40 MB")
	}
	dir := t.TempDir()
	hostileTree(t, dir)
	for _, maxSize := range []int64{0, 64 << 20} {
		t.Run(fmt.Sprintf("max-file-size=%d", maxSize), func(t *testing.T) {
			done := make(chan struct{})
			var res *engine.Result
			var err error
			go func() {
				defer close(done)
				res, err = engine.Run(engine.Options{Paths: []string{dir}, Base: dir, MaxFileSize: maxSize})
			}()
			select {
			case <-done:
			case <-time.After(2 * time.Minute):
				t.Fatal("the scan did not finish")
			}
			if err != nil {
				t.Fatal(err)
			}
			noticed := map[string][]model.Notice{}
			for _, n := range res.Notices {
				if n.Loc.File == "" {
					t.Errorf("notice without a file: %s", n.Message)
				}
				if strings.Contains(n.Message, "internal error") {
					t.Errorf("%s: a scanner panicked: %s", n.Loc.File, n.Message)
				}
				noticed[n.Loc.File] = append(noticed[n.Loc.File], n)
			}
			want := map[string]string{ // file → part of its notice
				"alias-bomb.yaml":        "",
				"deep-block.yaml":        "not valid YAML",
				"deep-flow.yaml":         "not valid YAML",
				"deep-map.yaml":          "not valid YAML",
				"binary.yaml":            "binary",
				"invalid-utf8.yaml":      "not valid YAML",
				"truncated.yaml":         "not valid YAML",
				"truncated-quote.yaml":   "not valid YAML",
				"duplicate-keys.yaml":    "duplicate key",
				"tabs.yaml":              "not valid YAML",
				"wrong-types.yaml":       "must be",
				"escape.yaml":            "outside the scanned root",
				"escape-dir":             "outside the scanned root",
				"etc-passwd":             "outside the scanned root",
				"loop-a.yaml":            "loops",
				"loop-b.yaml":            "loops",
				"undefined-alias.yaml":   "anchor not defined",
				"merge-loop.yaml":        "",
				"list-in-list.yaml":      "",
				"long-line.yaml":         "",
				"huge.yaml":              "size limit",
				"crlf-bom-broken.yaml":   "not valid YAML",
				"document-markers.yaml":  "not valid YAML",
				"json-truncated.json":    "not valid YAML",
				"null-bytes-late.yaml":   "",
				"control-chars.yaml":     "not valid YAML",
				"huge-int.yaml":          "must be an integer",
				"anchor-everywhere.yaml": "",

				"kust-escape/kustomization.yaml": "does not exist inside the scanned root",
				"kust-deep/kustomization.yaml":   "could not be built",
				"kust-remote/kustomization.yaml": "is remote",
				"kust-self/kustomization.yaml":   "cycle detected",
			}
			if maxSize > 0 {
				delete(want, "huge.yaml")
			}
			for file, part := range want {
				ns := noticed[file]
				if part == "" {
					continue // must not crash; a notice is optional
				}
				ok := false
				for _, n := range ns {
					if strings.Contains(n.Message, part) {
						ok = true
					}
				}
				if !ok {
					t.Errorf("%s: no notice containing %q (got %v)", file, part, ns)
				}
			}
			for _, n := range res.Notices {
				if n.Level == model.NoticeError && n.Loc.Line == 0 && !strings.Contains(n.Message, "could not be read") {
					t.Errorf("%s: error notice without a line: %s", n.Loc.File, n.Message)
				}
			}
			got := map[string]bool{}
			for _, f := range res.Findings {
				if f.RuleID == "host-network" {
					got[f.Loc.File] = true
				}
				if strings.HasPrefix(f.Loc.File, "..") || filepath.IsAbs(f.Loc.File) || strings.Contains(f.Loc.File, "escape") {
					t.Errorf("finding outside the tree: %s", f.Loc)
				}
			}
			for _, f := range []string{"good.yaml", "nested/good2.yaml"} {
				if !got[f] {
					t.Errorf("the finding of %s is missing", f)
				}
			}
		})
	}
}
