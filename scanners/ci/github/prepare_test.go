package github

import (
	"path/filepath"
	"reflect"
	"slices"
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

// Settled hands the file workers the workloads of every prepared file no
// other workflow can call, and ScanAll returns those very workloads: a
// workflow with a workflow_call trigger is left to ScanAll, which may
// lower it again with its callers' trust.
func TestSettledWorkloadsAreScanAllsOwn(t *testing.T) {
	files := testdataFiles(t)
	settled := map[*model.Workload]string{}
	settledPipes := map[*model.Pipeline]string{}
	var callable int
	for _, f := range files {
		Prepare(f)
		sp := Settled(f)
		if f.Prepared.(*firstPass).callable {
			callable++
			if sp != nil {
				t.Errorf("%s can be called, yet its workloads are settled", f.Path)
			}
			continue
		}
		for _, w := range sp.Workloads {
			settled[w] = f.Path
		}
		for _, pipe := range sp.Pipelines {
			settledPipes[pipe] = f.Path
		}
	}
	if callable == 0 || len(settled) == 0 {
		t.Fatalf("testdata has %d callable workflows and %d settled workloads: both cases are needed", callable, len(settled))
	}
	p := ScanAll(files)
	for _, w := range p.Workloads {
		delete(settled, w)
	}
	for w, f := range settled {
		t.Errorf("%s: settled workload %s is not in ScanAll's project", f, w.ID())
	}
	for _, pipe := range p.Pipelines {
		delete(settledPipes, pipe)
	}
	for pipe, f := range settledPipes {
		t.Errorf("%s: settled pipeline %s is not in ScanAll's project", f, pipe.ID())
	}
}

// A workflow without a workflow_call trigger that another names in `uses:`
// (GitHub refuses the call) is lowered once: its callers change nothing.
func TestUncallableWorkflowIsLoweredOnce(t *testing.T) {
	files := []*source.File{
		{Path: ".github/workflows/a.yml", Content: []byte("on: pull_request_target\njobs:\n  call:\n    uses: ./.github/workflows/b.yml\n")},
		{Path: ".github/workflows/b.yml", Content: []byte("on: push\njobs:\n  build:\n    runs-on: ubuntu-latest\n    steps:\n      - run: make\n")},
	}
	want := ScanAll(files)
	for _, f := range files {
		Prepare(f)
	}
	b := Settled(files[1])
	if b == nil || len(b.Workloads) != 1 || len(b.Pipelines) != 1 {
		t.Fatalf("b.yml: settled %+v, want its one job and workflow", b)
	}
	got := ScanAll(files)
	if !reflect.DeepEqual(got, want) {
		t.Error("Prepare + ScanAll lowered something other than ScanAll")
	}
	if !slices.Contains(got.Workloads, b.Workloads[0]) {
		t.Error("ScanAll lowered b.yml again")
	}
}
