package engine

import (
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"

	"github.com/isolint/isolint/discover"
	"github.com/isolint/isolint/internal/testfiles"
	"github.com/isolint/isolint/model"
	"github.com/isolint/isolint/rules"
	"github.com/isolint/isolint/scanners"
)

// A workflow no other can call is checked on the file worker (Scanner.
// Settled), not with its format's tail: its findings and what the
// inventory counts of it come from there, each once. (Checking it again in
// the tail would cost time only: finish merges equal findings.)
func TestSettledWorkflowFindingsAndInventory(t *testing.T) {
	dir := t.TempDir()
	testfiles.WriteTree(t, dir, map[string]string{
		".github/workflows/ci.yml": "on: push\njobs:\n  build:\n    runs-on: ubuntu-latest\n    env:\n      DEPLOY_TOKEN: ${{ secrets.DEPLOY_TOKEN }}\n    steps:\n      - uses: actions/checkout@v4\n      - run: make\n",
	})
	res, err := Run(Options{Paths: []string{dir}, Base: dir})
	if err != nil {
		t.Fatal(err)
	}
	for in, scopes := range res.Inventory.Inputs {
		for scope, tally := range scopes {
			if tally.Count != 1 {
				t.Errorf("inventory %s/%s counts %d, want 1: the job was checked twice", in, scope, tally.Count)
			}
		}
	}
	if len(res.Inventory.Inputs) == 0 {
		t.Error("the inventory counts nothing of the workflow")
	}
	seen := map[string]int{}
	for _, f := range res.Findings {
		seen[f.RuleID]++
	}
	for _, id := range []string{"secret-scope-too-wide", "checkout-persists-credentials"} {
		if seen[id] != 1 {
			t.Errorf("%d %s findings, want 1", seen[id], id)
		}
	}
}

// Per-pipeline checks (workflow-level env, workflow permissions) run
// wherever a pipeline is final: on the file worker for a workflow no other
// can call, in the tail for a callable one and for GitLab, and at the end
// of the tail for a pipeline without jobs.
func TestPipelineChecksRunWhereverAPipelineIsFinal(t *testing.T) {
	dir := t.TempDir()
	testfiles.WriteTree(t, dir, map[string]string{
		// settled, with jobs
		".github/workflows/ci.yml": "on: push\npermissions: write-all\nenv:\n  DB_PASSWORD: hunter2-but-longer\n  ALL: ${{ toJSON(secrets) }}\njobs:\n  build:\n    runs-on: ubuntu-latest\n    steps:\n      - run: make\n",
		// settled, without jobs
		".github/workflows/empty.yml": "on: push\nenv:\n  DB_PASSWORD: hunter2-but-longer\njobs: {}\n",
		// callable: lowered in the tail, with and without jobs
		".github/workflows/reusable.yml": "on: workflow_call\nenv:\n  DB_PASSWORD: hunter2-but-longer\njobs:\n  a:\n    runs-on: ubuntu-latest\n    steps:\n      - run: make\n",
		".github/workflows/callee.yml":   "on: workflow_call\nenv:\n  DB_PASSWORD: hunter2-but-longer\njobs: {}\n",
		".gitlab-ci.yml":                 "variables:\n  DEPLOY_TOKEN: glpat-abcdefghijklmnopqrstuvwxyz\njob:\n  script: [echo]\n",
	})
	res, err := Run(Options{Paths: []string{dir}, Base: dir})
	if err != nil {
		t.Fatal(err)
	}
	got := map[string]int{}
	for _, f := range res.Findings {
		if strings.HasPrefix(f.Message, "workflow ") || strings.HasPrefix(f.Message, "pipeline ") {
			got[f.RuleID+" "+f.Loc.File+":"+strconv.Itoa(f.Loc.Line)]++
		}
	}
	want := map[string]int{
		"literal-credential .github/workflows/ci.yml:4":       1,
		"secret-env-bulk .github/workflows/ci.yml:5":          1,
		"overprivileged-identity .github/workflows/ci.yml:2":  1,
		"literal-credential .github/workflows/empty.yml:3":    1,
		"literal-credential .github/workflows/reusable.yml:3": 1,
		"literal-credential .github/workflows/callee.yml:3":   1,
		"literal-credential .gitlab-ci.yml:2":                 1,
	}
	for k, n := range want {
		if got[k] != n {
			t.Errorf("%s: %d findings, want %d (all: %v)", k, got[k], n, got)
		}
	}
}

// A pipeline of a format's tail is checked once all its jobs are, and the
// rest (no jobs handed over, or not all) at the end.
func TestPipelineTracker(t *testing.T) {
	a1, a2, b1 := &model.Workload{Name: "a1"}, &model.Workload{Name: "a2"}, &model.Workload{Name: "b1"}
	a := &model.Pipeline{Name: "a", Jobs: []*model.Workload{a1, a2}}
	b := &model.Pipeline{Name: "b", Jobs: []*model.Workload{b1}}
	empty := &model.Pipeline{Name: "empty"}
	for _, w := range []*model.Workload{a1, a2} {
		w.CI = &model.CIJob{Pipeline: a}
	}
	b1.CI = &model.CIJob{Pipeline: b}
	names := func(ps []*model.Pipeline) string {
		var s []string
		for _, p := range ps {
			s = append(s, p.Name)
		}
		return strings.Join(s, ",")
	}
	var tr pipelineTracker
	if got := names(tr.ready([]*model.Workload{a1, b1})); got != "b" {
		t.Errorf("after a1, b1: ready %q, want b", got)
	}
	if got := names(tr.rest([]*model.Pipeline{a, b, empty})); got != "a,empty" {
		t.Errorf("rest before a2: %q, want a,empty", got)
	}
	if got := names(tr.ready([]*model.Workload{a2})); got != "a" {
		t.Errorf("after a2: ready %q, want a", got)
	}
	if got := names(tr.rest([]*model.Pipeline{a, b, empty})); got != "empty" {
		t.Errorf("rest: %q, want empty", got)
	}
}

// The file worker takes a workflow no other can call from its scanner
// (Scanner.Settled) and leaves a callable one to the format's tail: the
// tests above give the same findings either way, this one tells them apart.
func TestFileWorkerSettlesUncallableWorkflows(t *testing.T) {
	dir := t.TempDir()
	files := map[string]string{
		".github/workflows/ci.yml":       "on: push\njobs:\n  build:\n    runs-on: ubuntu-latest\n    steps:\n      - run: make\n",
		".github/workflows/reusable.yml": "on: workflow_call\njobs:\n  build:\n    runs-on: ubuntu-latest\n    steps:\n      - run: make\n",
	}
	testfiles.WriteTree(t, dir, files)
	reg := scanners.New(scanners.Options{})
	for p, callable := range map[string]bool{".github/workflows/ci.yml": false, ".github/workflows/reusable.yml": true} {
		abs := filepath.Join(dir, filepath.FromSlash(p))
		o := scanFile(reg, discover.Candidate{Path: p, Abs: abs, Real: abs, Root: dir}, Options{MaxFileSize: DefaultMaxFileSize})
		if o.file == nil || o.format != model.FormatGHA {
			t.Fatalf("%s: not kept for the GitHub tail: %+v", p, o)
		}
		if settled := o.settled != nil && len(o.settled.Workloads) == 1 && len(o.settled.Pipelines) == 1; settled == callable {
			t.Errorf("%s: settled on the worker = %v, want %v", p, settled, !callable)
		}
	}
}

// A settled workflow's fixes are planned on its file worker, before the
// waivers are known; a waived finding, like a waived Kubernetes one, ends
// with no fix (`isolint fix` leaves it alone), the others with theirs.
func TestSettledWorkflowFixesAndWaivers(t *testing.T) {
	dir := t.TempDir()
	testfiles.WriteTree(t, dir, map[string]string{
		".github/workflows/ci.yml": "on: push\njobs:\n  build:\n    runs-on: ubuntu-latest\n    steps:\n      - uses: actions/checkout@v4\n      - run: make\n" +
			"  lint:\n    runs-on: ubuntu-latest\n    steps:\n      - uses: actions/checkout@v4 # isolint:ignore checkout-persists-credentials -- pushes tags\n      - run: make lint\n",
		"deploy.yaml": "apiVersion: v1\nkind: Pod\nmetadata:\n  name: web\nspec:\n  containers:\n    - name: app # isolint:ignore privilege-escalation -- legacy\n      image: nginx\n",
	})
	res, err := Run(Options{Paths: []string{dir}, Base: dir})
	if err != nil {
		t.Fatal(err)
	}
	var fixed, waived int
	for _, f := range res.Findings {
		if f.RuleID != "checkout-persists-credentials" && f.RuleID != "privilege-escalation" {
			continue
		}
		switch {
		case f.Suppression != nil && f.Fix != nil:
			t.Errorf("waived %s at %s:%d has a fix", f.RuleID, f.Loc.File, f.Loc.Line)
		case f.Suppression != nil:
			waived++
		case f.Fix == nil || len(f.Fix.Edits) == 0:
			t.Errorf("%s at %s:%d has no fix", f.RuleID, f.Loc.File, f.Loc.Line)
		default:
			fixed++
		}
	}
	if fixed != 1 || waived != 2 {
		t.Errorf("%d fixed, %d waived; want 1 and 2", fixed, waived)
	}
}

// The fixes of a settled workflow's findings, and the findings with none,
// are surveyed on its file worker: the end of the scan does not read the
// file again. A callable workflow, lowered in the tail, still is.
func TestSettledWorkflowIsNotReadAgainForFixes(t *testing.T) {
	dir := t.TempDir()
	steps := "    runs-on: ubuntu-latest\n    steps:\n      - uses: actions/checkout@v4\n      - run: make\n"
	testfiles.WriteTree(t, dir, map[string]string{
		// checkout-persists-credentials has a fix; the job-wide secret,
		// secret-scope-too-wide here, has none
		".github/workflows/ci.yml":       "on: push\njobs:\n  build:\n    env:\n      DEPLOY_TOKEN: ${{ secrets.DEPLOY_TOKEN }}\n" + steps,
		".github/workflows/reusable.yml": "on: workflow_call\njobs:\n  build:\n" + steps,
	})
	var (
		mu   sync.Mutex // files are planned in parallel
		read []string
	)
	defer func(r func(string, map[string]bool, string, []byte) func(string) ([]byte, error)) { tailReader = r }(tailReader)
	disk := tailReader
	tailReader = func(base string, editable map[string]bool, held string, content []byte) func(string) ([]byte, error) {
		r := disk(base, editable, held, content)
		return func(p string) ([]byte, error) {
			mu.Lock()
			read = append(read, p)
			mu.Unlock()
			return r(p)
		}
	}
	// nor parsed again on its worker: Prepare kept the tree it parsed
	var parsed []string
	defer func(r func(string, map[string]bool, string, []byte) func(string) ([]byte, error)) { heldReader = r }(heldReader)
	held := heldReader
	heldReader = func(base string, editable map[string]bool, p string, content []byte) func(string) ([]byte, error) {
		mu.Lock()
		parsed = append(parsed, p)
		mu.Unlock()
		return held(base, editable, p, content)
	}
	res, err := Run(Options{Paths: []string{dir}, Base: dir, Workers: 1})
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(read, []string{".github/workflows/reusable.yml"}) {
		t.Errorf("the end of the scan read %q, want only the callable workflow", read)
	}
	if len(parsed) > 0 {
		t.Errorf("the workers parsed %q again for their fix survey, want none", parsed)
	}
	fixed := map[string]bool{}
	for _, f := range res.Findings {
		if f.RuleID == "checkout-persists-credentials" && f.Fix != nil {
			fixed[f.Loc.File] = true
		}
	}
	if !fixed[".github/workflows/ci.yml"] || !fixed[".github/workflows/reusable.yml"] {
		t.Errorf("checkout fixes on %v, want both workflows", fixed)
	}
}

// TestFixSurveyPanicKeepsFindings: a fix survey that panics (a bug in a
// fixer) ends neither a file worker nor the scan; the findings stand,
// without fixes, and a warning says why they have none.
func TestFixSurveyPanicKeepsFindings(t *testing.T) {
	boom := func(string, map[string]bool, string, []byte) func(string) ([]byte, error) {
		return func(string) ([]byte, error) { panic("fixer bug") }
	}
	defer func(h, r func(string, map[string]bool, string, []byte) func(string) ([]byte, error)) {
		heldReader, tailReader = h, r
	}(heldReader, tailReader)
	heldReader, tailReader = boom, boom

	// on a file worker, where the scanner kept no trees
	path := ".github/workflows/ci.yml"
	fs := []rules.Finding{{RuleID: "checkout-persists-credentials", Format: model.FormatGHA,
		Loc: model.Location{File: path, Line: 6, Col: 9}, Fix: &rules.FixNote{Does: "stale"}}}
	if annotateHeld(fs, path, []byte("on: push\n"), nil) || fs[0].Fix != nil {
		t.Errorf("annotateHeld survived a panic as a success, or kept the fix %+v", fs[0].Fix)
	}

	// at the end of the scan: a callable workflow's fixes are planned there
	dir := t.TempDir()
	testfiles.WriteTree(t, dir, map[string]string{
		".github/workflows/reusable.yml": "on: workflow_call\njobs:\n  build:\n    runs-on: ubuntu-latest\n    steps:\n      - uses: actions/checkout@v4\n",
	})
	res, err := Run(Options{Paths: []string{dir}, Base: dir, Workers: 1})
	if err != nil {
		t.Fatal(err)
	}
	found := false
	for _, f := range res.Findings {
		if f.RuleID == "checkout-persists-credentials" {
			found = true
			if f.Fix != nil {
				t.Errorf("a fix %+v survived the failed survey", f.Fix)
			}
		}
	}
	if !found {
		t.Error("the finding was lost with the survey")
	}
	warned := false
	for _, n := range res.Notices {
		warned = warned || n.Level == model.NoticeWarning && n.Loc.File == ".github/workflows/reusable.yml" &&
			strings.Contains(n.Message, "internal error while planning the edits")
	}
	if !warned {
		t.Errorf("no notice says why the findings have no fixes: %+v", res.Notices)
	}
}
