package model

import (
	"slices"
	"testing"
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
	loc := func(f string) Location { return Location{File: f, Line: 1, Col: 1} }
	prod := &Workload{Format: FormatK8s, Kind: "Deployment", Namespace: "app", Name: "app", Loc: loc("envs/prod/app.yaml")}
	staging := &Workload{Format: FormatK8s, Kind: "Deployment", Namespace: "app", Name: "app", Loc: loc("envs/staging/app.yaml")}
	job := &Workload{Format: FormatK8s, Kind: "Job", Namespace: "app", Name: "migrate", Loc: loc("envs/staging/jobs/migrate.yaml")}
	other := &Workload{Format: FormatK8s, Kind: "Deployment", Namespace: "ops", Name: "tool", Loc: loc("platform/tool.yaml")}
	built := &Workload{Format: FormatK8s, Kind: "Deployment", Namespace: "app", Name: "app", Loc: loc("envs/prod/app.yaml"), Unit: "overlays/prod"}
	np := &NetworkPolicy{Namespace: "app", Name: "egress", Loc: loc("envs/prod/net/egress.yaml")}
	compose := &Workload{Format: FormatCompose, Kind: "service", Name: "app", Loc: loc("envs/prod/compose.yaml")}
	p := &Project{Workloads: []*Workload{prod, staging, job, other, built, compose}, NetworkPolicies: []*NetworkPolicy{np}}
	p.InferEnvUnits()
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
	if SameUnit(job.Unit, prod.Unit) || !SameUnit(job.Unit, other.Unit) {
		t.Errorf("staging's Job must join plain objects and not prod's")
	}
}

// SetUnit and InferEnvUnits reach the same objects: every kind that has a
// unit.
func TestSetUnitReachesEveryUnitHolder(t *testing.T) {
	p := &Project{
		Workloads: []*Workload{{}}, ServiceAccounts: []*ServiceAccount{{}}, Roles: []*Role{{}},
		RoleBindings: []*RoleBinding{{}}, NetworkPolicies: []*NetworkPolicy{{}}, StaticCredentials: []*StaticCredential{{}},
	}
	p.SetUnit("overlays/prod")
	for _, u := range []string{p.Workloads[0].Unit, p.ServiceAccounts[0].Unit, p.Roles[0].Unit, p.RoleBindings[0].Unit, p.NetworkPolicies[0].Unit, p.StaticCredentials[0].Unit} {
		if u != "overlays/prod" {
			t.Errorf("an object kept unit %q", u)
		}
	}
	n := 0
	p.unitHolders(func(unitHolder) { n++ })
	if n != 6 {
		t.Errorf("%d unit holders, want one of each of the 6 kinds", n)
	}
}
