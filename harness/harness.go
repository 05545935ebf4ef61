// Package harness checks fixtures end to end: it scans each fixture through
// the engine exactly as the CLI does and compares the findings with the
// fixture's inline expectations.
//
// Expectations are comments at the end of the line where a finding must be
// reported:
//
//	privileged: true # want: privileged-container
//	hostPID: true    # want: host-namespace, runs-as-root
//
// (`// want:` where `#` is not a comment.) A file whose format has no
// comments (JSON) takes its expectations from a sidecar `<file>.want`
// holding `LINE rule-id…` lines. `# want-notice: text` expects a notice on
// that line whose message contains text.
//
// In a Helm chart (testdata/helm/projects/…), expectations sit on template
// lines as YAML comments, which Helm passes through into the rendered text
// where they are only comments, and on values-file lines; they are read
// from the source files, never from rendered text.
//
// Each file directly under testdata/<format>/ is scanned alone; each
// directory under testdata/<format>/projects/ is scanned as one project,
// with the .isolint.yaml it holds, if any.
package harness

import (
	"bufio"
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strconv"
	"strings"
)

// Expect is one expected finding or notice.
type Expect struct {
	File   string // display path
	Line   int
	Rule   string // rule ID, or "" for a notice
	Notice string // substring of a notice message
}

func (e Expect) String() string {
	if e.Rule == "" {
		return fmt.Sprintf("%s:%d: notice containing %q", e.File, e.Line, e.Notice)
	}
	return fmt.Sprintf("%s:%d: %s", e.File, e.Line, e.Rule)
}

var (
	wantRe   = regexp.MustCompile(`(?:#|//)\s*want:\s*([a-z0-9,\- ]+?)\s*$`)
	noticeRe = regexp.MustCompile(`(?:#|//)\s*want-notice:\s*(.+?)\s*$`)
)

// ParseExpectations reads the expectations of one fixture file.
func ParseExpectations(abs, display string) ([]Expect, error) {
	b, err := os.ReadFile(abs)
	if err != nil {
		return nil, err
	}
	var out []Expect
	if side, err := os.ReadFile(abs + ".want"); err == nil {
		s := bufio.NewScanner(bytes.NewReader(side))
		for s.Scan() {
			f := strings.Fields(s.Text())
			if len(f) < 2 || strings.HasPrefix(f[0], "#") {
				continue
			}
			n, err := strconv.Atoi(f[0])
			if err != nil {
				return nil, fmt.Errorf("%s.want: %q is not a line number", abs, f[0])
			}
			for _, r := range f[1:] {
				out = append(out, Expect{File: display, Line: n, Rule: strings.Trim(r, ",")})
			}
		}
	}
	s := bufio.NewScanner(bytes.NewReader(b))
	s.Buffer(make([]byte, 1<<20), 1<<26)
	line := 0
	for s.Scan() {
		line++
		t := strings.TrimRight(s.Text(), "\r")
		if m := wantRe.FindStringSubmatch(t); m != nil {
			for _, r := range strings.FieldsFunc(m[1], func(r rune) bool { return r == ',' || r == ' ' }) {
				out = append(out, Expect{File: display, Line: line, Rule: r})
			}
		}
		if m := noticeRe.FindStringSubmatch(t); m != nil {
			out = append(out, Expect{File: display, Line: line, Notice: m[1]})
		}
	}
	return out, s.Err()
}

// Unit is one scan: a single fixture file or a project directory.
type Unit struct {
	Name  string // for test names
	Path  string // file or directory to scan
	Files []string
}

// Units lists the scan units under a testdata root.
func Units(root string) ([]Unit, error) {
	var units []Unit
	formats, err := os.ReadDir(root)
	if err != nil {
		return nil, err
	}
	for _, f := range formats {
		// golden: pinned outputs; hostile: inputs that must not crash;
		// reach: projects and goldens of `isolint reach` (reach/)
		if !f.IsDir() || f.Name() == "golden" || f.Name() == "hostile" || f.Name() == "reach" {
			continue
		}
		dir := filepath.Join(root, f.Name())
		entries, err := os.ReadDir(dir)
		if err != nil {
			return nil, err
		}
		for _, e := range entries {
			p := filepath.Join(dir, e.Name())
			switch {
			case e.IsDir() && e.Name() == "projects":
				projects, err := os.ReadDir(p)
				if err != nil {
					return nil, err
				}
				for _, pr := range projects {
					if !pr.IsDir() {
						continue
					}
					pp := filepath.Join(p, pr.Name())
					files, err := filesUnder(pp)
					if err != nil {
						return nil, err
					}
					units = append(units, Unit{Name: f.Name() + "/projects/" + pr.Name(), Path: pp, Files: files})
				}
			case e.IsDir():
				files, err := filesUnder(p)
				if err != nil {
					return nil, err
				}
				for _, file := range files {
					rel, _ := filepath.Rel(root, file)
					units = append(units, Unit{Name: filepath.ToSlash(rel), Path: file, Files: []string{file}})
				}
			case strings.HasSuffix(e.Name(), ".want"):
			default:
				units = append(units, Unit{Name: f.Name() + "/" + e.Name(), Path: p, Files: []string{p}})
			}
		}
	}
	sort.Slice(units, func(i, j int) bool { return units[i].Name < units[j].Name })
	return units, nil
}

func filesUnder(dir string) ([]string, error) {
	var out []string
	err := filepath.WalkDir(dir, func(p string, d os.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if !d.IsDir() && !strings.HasSuffix(p, ".want") && d.Name() != ".isolint.yaml" {
			out = append(out, p)
		}
		return nil
	})
	sort.Strings(out)
	return out, err
}
