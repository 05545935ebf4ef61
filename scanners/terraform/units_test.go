package terraform

import (
	"io/fs"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"testing"

	"github.com/isolint/isolint/model"
	"github.com/isolint/isolint/source"
)

// testdataFiles reads every Terraform file under testdata/terraform, as
// the engine hands them to ScanAll: in path order, relative to the folder.
func testdataFiles(t *testing.T) []*source.File {
	t.Helper()
	root, err := filepath.Abs(filepath.Join("..", "..", "testdata", "terraform"))
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
		if !ClaimPath(rel) {
			return nil
		}
		b, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		out = append(out, &source.File{Path: rel, Abs: p, Root: root, Content: b, Format: model.FormatTerraform})
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	slices.SortFunc(out, func(a, b *source.File) int {
		if a.Path < b.Path {
			return -1
		}
		if a.Path > b.Path {
			return 1
		}
		return 0
	})
	if len(out) < 10 {
		t.Fatalf("only %d Terraform files under testdata", len(out))
	}
	return out
}

// Parsing ahead on the file workers (Prepare) and handing over each root
// module's workloads as it is lowered (ScanUnits) must lower exactly what
// ScanAll lowers from the raw files: the engine relies on it for output
// that does not depend on how the work was split.
func TestPrepareAndUnitsLowerAsScanAll(t *testing.T) {
	want := ScanAll(testdataFiles(t))

	files := testdataFiles(t)
	for _, f := range files {
		Prepare(f)
		if f.Prepared == nil {
			t.Fatalf("%s: Prepare kept nothing", f.Path)
		}
	}
	var runs [][]*model.Workload
	got := ScanUnits(files, func(ws []*model.Workload) {
		if len(ws) == 0 {
			t.Error("done called with no workloads")
		}
		runs = append(runs, ws)
	})
	for _, f := range files {
		if f.Prepared != nil {
			t.Errorf("%s: ScanAll did not let go of what Prepare kept", f.Path)
		}
	}
	if !reflect.DeepEqual(got, want) {
		t.Fatal("Prepare + ScanUnits lowered something other than ScanAll")
	}
	if len(runs) < 2 {
		t.Fatalf("done was called %d times; testdata has several root modules", len(runs))
	}
	var handed []*model.Workload
	for _, r := range runs {
		handed = append(handed, r...)
	}
	if len(handed) != len(got.Workloads) {
		t.Fatalf("done was handed %d workloads, the project has %d", len(handed), len(got.Workloads))
	}
	for i := range handed {
		if handed[i] != got.Workloads[i] {
			t.Fatalf("workload %d handed to done is not the project's workload %d", i, i)
		}
	}
}
