package engine

import (
	"slices"
	"strings"
	"testing"

	"github.com/isolint/isolint/internal/testfiles"
	"github.com/isolint/isolint/model"
	"github.com/isolint/isolint/rules"
	"github.com/isolint/isolint/scanners/k8s"
	"github.com/isolint/isolint/scanners/yamldoc"
)

// TestRuleFaultCostsThatCheckOnly: a rule whose check panics on one
// workload (on a file worker, in a format's tail, or across files) leaves
// the scan running: every other finding stands, and the file the check
// did not finish is not checked in full (an error notice, Result.Unread),
// as is a project-wide check (Result.Incomplete).
func TestRuleFaultCostsThatCheckOnly(t *testing.T) {
	priv := rules.ByID("privileged-container")
	shared := rules.ByID("shared-execution-identity")
	defer func(w func(*rules.Pass, *model.Workload), p func(*rules.Pass, *model.Project)) {
		priv.Workload, shared.Project = w, p
	}(priv.Workload, shared.Project)
	check, project := priv.Workload, shared.Project
	priv.Workload = func(p *rules.Pass, w *model.Workload) {
		check(p, w)
		if strings.Contains(w.Name, "boom") {
			panic("rule bug " + w.Name)
		}
	}
	shared.Project = func(p *rules.Pass, proj *model.Project) {
		project(p, proj)
		panic("project rule bug")
	}

	dir := t.TempDir()
	pod := func(name string) string {
		return "apiVersion: v1\nkind: Pod\nmetadata:\n  name: " + name +
			"\nspec:\n  containers:\n    - name: c\n      image: nginx\n      securityContext:\n        privileged: true\n"
	}
	testfiles.WriteTree(t, dir, map[string]string{
		"a.yaml":  pod("fine"),
		"b.yaml":  pod("boom"),
		"main.tf": "resource \"aws_ecs_task_definition\" \"boom\" {\n  family = \"boom\"\n  container_definitions = jsonencode([{ name = \"boom\", image = \"x\", privileged = true }])\n}\n",
	})
	for _, workers := range []int{1, 2} {
		res, err := Run(Options{Paths: []string{dir}, Base: dir, Workers: workers})
		if err != nil {
			t.Fatal(err)
		}
		var privileged []string
		for _, f := range res.Findings {
			if f.RuleID == "privileged-container" {
				privileged = append(privileged, f.Loc.File)
			}
		}
		slices.Sort(privileged)
		if want := []string{"a.yaml", "b.yaml", "main.tf"}; !slices.Equal(slices.Compact(privileged), want) {
			t.Errorf("workers %d: privileged-container findings in %v, want %v (those before the panic stand)", workers, privileged, want)
		}
		if want := []string{"b.yaml", "main.tf"}; !slices.Equal(res.Unread, want) {
			t.Errorf("workers %d: not checked in full %v, want %v", workers, res.Unread, want)
		}
		if want := []string{"shared-execution-identity"}; !slices.Equal(res.Incomplete, want) {
			t.Errorf("workers %d: incomplete rules %v, want %v", workers, res.Incomplete, want)
		}
		var unchecked []string
		for _, u := range res.Inventory.Unchecked {
			unchecked = append(unchecked, u.File+":"+string(u.Format))
		}
		// what reports read: no control those checks inform passes
		if want := []string{":", "b.yaml:k8s", "main.tf:tf"}; !slices.Equal(unchecked, want) {
			t.Errorf("workers %d: inventory's unchecked %v, want %v", workers, unchecked, want)
		}
		for _, n := range res.Notices {
			if n.Level == model.NoticeError && (n.Loc.File == "b.yaml" || n.Loc.File == "main.tf") && n.Loc.Line == 0 {
				t.Errorf("workers %d: the notice names no line: %+v", workers, n)
			}
			if strings.Contains(n.Message, "bug") {
				t.Errorf("a notice quotes the panic: %q", n.Message)
			}
		}
	}
}

// TestInventoryFaultKeepsFindings: a panic while the inventory is taken
// keeps the findings and makes every control not checked.
func TestInventoryFaultKeepsFindings(t *testing.T) {
	defer func(f func(*model.Inventory, *model.Project)) { addProject = f }(addProject)
	addProject = func(*model.Inventory, *model.Project) { panic("inventory bug") }
	dir := t.TempDir()
	testfiles.WriteTree(t, dir, map[string]string{
		"a.yaml": "apiVersion: v1\nkind: Pod\nmetadata:\n  name: a\nspec:\n  hostNetwork: true\n  containers:\n    - name: c\n      image: nginx\n",
	})
	res, err := Run(Options{Paths: []string{dir}, Base: dir, Workers: 1})
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Findings) == 0 {
		t.Error("the findings were lost with the inventory")
	}
	if !slices.Equal(res.Incomplete, []string{"inventory"}) || len(res.Inventory.Unchecked) != 1 || res.Inventory.Unchecked[0].Format != "" {
		t.Errorf("incomplete %v, unchecked %+v: want the inventory, informing every control", res.Incomplete, res.Inventory.Unchecked)
	}
}

// TestFixSurveyPanicOnPlanningGoroutine: the end-of-scan fix survey plans
// several files on goroutines of its own; a panic there is the scan's
// internal error on those files, not the end of the process.
func TestFixSurveyPanicOnPlanningGoroutine(t *testing.T) {
	defer func(r func(string, map[string]bool, string, []byte) func(string) ([]byte, error)) { tailReader = r }(tailReader)
	tailReader = func(string, map[string]bool, string, []byte) func(string) ([]byte, error) {
		return func(string) ([]byte, error) { panic("fixer bug") }
	}
	dir := t.TempDir()
	reusable := "on: workflow_call\njobs:\n  build:\n    runs-on: ubuntu-latest\n    steps:\n      - uses: actions/checkout@v4\n"
	testfiles.WriteTree(t, dir, map[string]string{
		".github/workflows/a.yml": reusable,
		".github/workflows/b.yml": reusable,
		".github/workflows/c.yml": reusable,
	})
	res, err := Run(Options{Paths: []string{dir}, Base: dir, Workers: 2})
	if err != nil {
		t.Fatal(err)
	}
	n := 0
	for _, f := range res.Findings {
		if f.RuleID == "checkout-persists-credentials" {
			n++
			if f.Fix != nil {
				t.Errorf("a fix %+v survived the failed survey", f.Fix)
			}
		}
	}
	if n != 3 {
		t.Errorf("%d checkout findings, want 3: findings were lost with the survey", n)
	}
	warned := false
	for _, x := range res.Notices {
		warned = warned || x.Level == model.NoticeWarning && strings.Contains(x.Message, "and 2 other(s)")
	}
	if !warned {
		t.Errorf("no notice names the files without fixes: %+v", res.Notices)
	}
}

// TestRenderedScanPanicLeavesTemplateUnchecked: a panic while a chart's
// rendered output is scanned (on the chart's goroutine) leaves that
// template not checked and the scan running.
func TestRenderedScanPanicLeavesTemplateUnchecked(t *testing.T) {
	defer func(f func(*k8s.Scanner, string, []byte, func(yamldoc.RawDoc) yamldoc.Origin) *model.Project) {
		scanRendered = f
	}(scanRendered)
	scanRendered = func(*k8s.Scanner, string, []byte, func(yamldoc.RawDoc) yamldoc.Origin) *model.Project {
		panic("lowering bug")
	}
	dir := t.TempDir()
	testfiles.WriteTree(t, dir, map[string]string{
		"chart/Chart.yaml":         "apiVersion: v2\nname: web\nversion: 0.1.0\n",
		"chart/templates/pod.yaml": "apiVersion: v1\nkind: Pod\nmetadata:\n  name: {{ .Release.Name }}\nspec:\n  hostNetwork: true\n  containers:\n    - name: c\n      image: nginx\n",
		"plain.yaml":               "apiVersion: v1\nkind: Pod\nmetadata:\n  name: plain\nspec:\n  hostNetwork: true\n  containers:\n    - name: c\n      image: nginx\n",
	})
	res, err := Run(Options{Paths: []string{dir}, Base: dir, Workers: 2})
	if err != nil {
		t.Fatal(err)
	}
	found := false
	for _, f := range res.Findings {
		found = found || f.Loc.File == "plain.yaml" && f.RuleID == "host-network"
	}
	if !found {
		t.Error("the plain file's findings were lost")
	}
	if !slices.Equal(res.Unread, []string{"chart/templates/pod.yaml"}) {
		t.Errorf("not checked in full: %v, want the template", res.Unread)
	}
}
