package github

import (
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/isolint/isolint/internal/testfiles"
	"github.com/isolint/isolint/model"
	"github.com/isolint/isolint/source"
)

// testdataFiles reads the workflows under testdata/gha as the engine hands
// them to ScanAll: claimed by path or content, in path order.
func testdataFiles(t *testing.T) []*source.File {
	t.Helper()
	out := testfiles.Read(t, filepath.Join("..", "..", "..", "testdata", "gha"), model.FormatGHA, claims)
	if len(out) < 10 {
		t.Fatalf("only %d workflows under testdata", len(out))
	}
	return out
}

// Lowering each file on its own ahead (Prepare, on the file workers) must
// give ScanAll exactly what it lowers from the raw files, reusable
// workflows read with their callers' trust included.
func TestPrepareLowersAsScanAll(t *testing.T) {
	want := ScanAll(testdataFiles(t))
	called := false
	for _, w := range want.Workloads {
		if w.CI != nil && w.CI.Trust != model.TrustUnknown && strings.Contains(w.Loc.File, "reusable") {
			called = true
		}
	}
	files := testdataFiles(t)
	for _, f := range files {
		Prepare(f)
		if f.Prepared == nil {
			t.Fatalf("%s: Prepare kept nothing", f.Path)
		}
	}
	got := ScanAll(files)
	for _, f := range files {
		if f.Prepared != nil {
			t.Errorf("%s: ScanAll did not let go of what Prepare kept", f.Path)
		}
	}
	if !reflect.DeepEqual(got, want) {
		t.Fatal("Prepare + ScanAll lowered something other than ScanAll")
	}
	if !called {
		t.Fatal("testdata has no reusable workflow read with its callers' trust: the second pass is not exercised")
	}
}

// claims is what the engine gives this scanner: a YAML file claimed by its
// path or its content.
func claims(rel string, b []byte) bool {
	return (strings.HasSuffix(rel, ".yml") || strings.HasSuffix(rel, ".yaml")) && (ClaimPath(rel) || Sniff(b))
}
