package engine

import (
	"slices"
	"strings"
	"testing"

	"github.com/isolint/isolint/internal/testfiles"
	"github.com/isolint/isolint/model"
)

func TestEnvRoots(t *testing.T) {
	for _, c := range []struct {
		dirs, want []string
	}{
		{[]string{"envs/prod", "envs/staging"}, []string{"envs/prod", "envs/staging"}},
		// copies deeper in each environment: the root is where they part
		{[]string{"k8s/prod/apps", "k8s/staging/apps", "k8s/dev/apps"}, []string{"k8s/dev", "k8s/prod", "k8s/staging"}},
		// a copy at the top of the others' tree is not told apart; the others are
		{[]string{".", "staging"}, []string{"staging"}},
		{[]string{"deploy", "deploy/staging"}, []string{"deploy/staging"}},
		// the closest copy decides: a/x and a/y part below a, b at the top
		{[]string{"a/x", "a/y", "b"}, []string{"a/x", "a/y", "b"}},
	} {
		roots := map[string]bool{}
		envRoots(c.dirs, roots)
		var got []string
		for r := range roots {
			got = append(got, r)
		}
		slices.Sort(got)
		if !slices.Equal(got, c.want) {
			t.Errorf("envRoots(%q) = %q, want %q", c.dirs, got, c.want)
		}
	}
}

func TestInferEnvUnits(t *testing.T) {
	loc := func(f string) model.Location { return model.Location{File: f, Line: 1, Col: 1} }
	prod := &model.Workload{Format: model.FormatK8s, Kind: "Deployment", Namespace: "app", Name: "app", Loc: loc("envs/prod/app.yaml")}
	staging := &model.Workload{Format: model.FormatK8s, Kind: "Deployment", Namespace: "app", Name: "app", Loc: loc("envs/staging/app.yaml")}
	job := &model.Workload{Format: model.FormatK8s, Kind: "Job", Namespace: "app", Name: "migrate", Loc: loc("envs/staging/jobs/migrate.yaml")}
	other := &model.Workload{Format: model.FormatK8s, Kind: "Deployment", Namespace: "ops", Name: "tool", Loc: loc("platform/tool.yaml")}
	built := &model.Workload{Format: model.FormatK8s, Kind: "Deployment", Namespace: "app", Name: "app", Loc: loc("envs/prod/app.yaml"), Unit: "overlays/prod"}
	np := &model.NetworkPolicy{Namespace: "app", Name: "egress", Loc: loc("envs/prod/net/egress.yaml")}
	compose := &model.Workload{Format: model.FormatCompose, Kind: "service", Name: "app", Loc: loc("envs/prod/compose.yaml")}
	p := &model.Project{Workloads: []*model.Workload{prod, staging, job, other, built, compose}, NetworkPolicies: []*model.NetworkPolicy{np}}
	inferEnvUnits(p)
	for _, c := range []struct {
		name, got, want string
	}{
		{"prod", prod.Unit, "envs/prod/"},
		{"staging", staging.Unit, "envs/staging/"},
		{"staging job", job.Unit, "envs/staging/"},
		{"plain elsewhere", other.Unit, ""},
		{"overlay-built", built.Unit, "overlays/prod"},
		{"policy", np.Unit, "envs/prod/"},
		{"compose", compose.Unit, ""},
	} {
		if c.got != c.want {
			t.Errorf("%s: unit %q, want %q", c.name, c.got, c.want)
		}
	}
	if model.SameUnit(job.Unit, prod.Unit) || !model.SameUnit(job.Unit, other.Unit) {
		t.Errorf("staging's Job must join plain objects and not prod's")
	}
}

// Run gives per-environment copies their units before the project rules:
// prod's egress policy does not cover staging's copy of the Deployment,
// and the finding names no unit (the files are plain manifests).
func TestRunSeparatesEnvironmentCopies(t *testing.T) {
	deploy := `apiVersion: apps/v1
kind: Deployment
metadata: {name: app, namespace: app}
spec:
  template:
    metadata: {labels: {app: app}}
    spec:
      containers:
        - name: app
          image: example/app:1
`
	dir := t.TempDir()
	testfiles.WriteTree(t, dir, map[string]string{
		"envs/prod/app.yaml":    deploy,
		"envs/staging/app.yaml": deploy,
		"envs/prod/egress.yaml": "apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata: {name: deny, namespace: app}\nspec:\n  podSelector: {}\n  policyTypes: [Egress]\n",
	})
	res, err := Run(Options{Paths: []string{dir}, Base: dir, RequireEgressPolicy: true})
	if err != nil {
		t.Fatal(err)
	}
	var files []string
	for _, f := range res.Findings {
		if f.RuleID != "egress-unrestricted" {
			continue
		}
		files = append(files, f.Loc.File)
		if f.Unit != "" || strings.Contains(f.Message, "envs/") {
			t.Errorf("an environment unit leaked into the finding: unit %q, %q", f.Unit, f.Message)
		}
	}
	if !slices.Equal(files, []string{"envs/staging/app.yaml"}) {
		t.Errorf("egress-unrestricted on %q, want on staging's copy only", files)
	}
	// the report's inventory agrees: staging's copy has open egress
	if open := res.Inventory.Tally(model.InputOpenEgress, string(model.FormatK8s)); open == nil || open.Count != 1 {
		t.Errorf("the inventory's open egress: %+v, want staging's copy", open)
	}
}
