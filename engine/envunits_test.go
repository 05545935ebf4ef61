package engine

import (
	"slices"
	"testing"

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
