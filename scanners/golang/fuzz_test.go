package golang

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/isolint/isolint/source"
)

// FuzzScanAll: no Go source, however broken, makes the type check or the
// analysis fail (a panic is turned into an "internal error" notice, which
// this counts as a failure).
func FuzzScanAll(f *testing.F) {
	f.Add([]byte(launch), []byte("package main\n"))
	for _, dir := range []string{"../../testdata/go", "../../testdata/go/projects/factory", "subprocenv/testdata/src/a"} {
		entries, _ := os.ReadDir(dir)
		for _, e := range entries {
			if strings.HasSuffix(e.Name(), ".go") {
				if b, err := os.ReadFile(filepath.Join(dir, e.Name())); err == nil {
					f.Add(b, []byte(launch))
				}
			}
		}
	}
	f.Fuzz(func(t *testing.T, a, b []byte) {
		p := ScanAll([]*source.File{{Path: "p/a.go", Content: a}, {Path: "p/b.go", Content: b}})
		for _, n := range p.Notices {
			if strings.Contains(n.Message, "internal error") {
				t.Fatalf("%s: %s", n.Loc, n.Message)
			}
		}
	})
}
