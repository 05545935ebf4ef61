// Package testfiles reads fixture files as the engine hands them to a
// scanner that lowers files together: in path order, with paths relative
// to the folder read. For tests only.
package testfiles

import (
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/isolint/isolint/model"
	"github.com/isolint/isolint/source"
)

// Read returns the files below dir that keep accepts, as format.
func Read(t testing.TB, dir string, format model.Format, keep func(rel string, content []byte) bool) []*source.File {
	t.Helper()
	root, err := filepath.Abs(dir)
	if err != nil {
		t.Fatal(err)
	}
	var out []*source.File
	err = filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		rel, _ := filepath.Rel(root, p)
		rel = filepath.ToSlash(rel)
		b, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		if keep(rel, b) {
			out = append(out, &source.File{Path: rel, Abs: p, Root: root, Content: b, Format: format})
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	slices.SortFunc(out, func(a, b *source.File) int { return strings.Compare(a.Path, b.Path) })
	return out
}

// CheckHandedOver fails t unless the workloads handed over unit by unit
// (runs, at least two of them) are exactly the project's, in its order.
func CheckHandedOver(t testing.TB, runs [][]*model.Workload, p *model.Project) {
	t.Helper()
	if len(runs) < 2 {
		t.Fatalf("done was called %d times; the fixtures have several units", len(runs))
	}
	var handed []*model.Workload
	for _, r := range runs {
		handed = append(handed, r...)
	}
	if len(handed) != len(p.Workloads) {
		t.Fatalf("done was handed %d workloads, the project has %d", len(handed), len(p.Workloads))
	}
	for i := range handed {
		if handed[i] != p.Workloads[i] {
			t.Fatalf("workload %d handed to done is not the project's workload %d", i, i)
		}
	}
}

// WriteTree writes files (slash path → content) below dir, making the
// folders they need.
func WriteTree(t testing.TB, dir string, files map[string]string) {
	t.Helper()
	for p, c := range files {
		full := filepath.Join(dir, filepath.FromSlash(p))
		if err := os.MkdirAll(filepath.Dir(full), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(full, []byte(c), 0o644); err != nil {
			t.Fatal(err)
		}
	}
}
