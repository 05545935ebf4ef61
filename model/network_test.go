package model

import (
	"slices"
	"testing"
)

// EgressPolicies answers for the rule, the inventory and the blast
// radius: the egress policies of the workload's namespace and unit that
// select its pods, in their order.
func TestEgressPolicies(t *testing.T) {
	all := &NetworkPolicy{Namespace: "app", Name: "all", PolicyTypes: []string{"Egress"}}
	web := &NetworkPolicy{Namespace: "app", Name: "web", PolicyTypes: []string{"Egress"}, PodSelector: LabelSelector{MatchLabels: map[string]string{"app": "web"}}}
	ingress := &NetworkPolicy{Namespace: "app", Name: "ingress", PolicyTypes: []string{"Ingress"}}
	other := &NetworkPolicy{Namespace: "ops", Name: "all", PolicyTypes: []string{"Egress"}}
	staging := &NetworkPolicy{Namespace: "app", Name: "staging", PolicyTypes: []string{"Egress"}, Unit: "envs/staging/"}
	e := NewEgressPolicies([]*NetworkPolicy{all, web, ingress, other, staging})
	names := func(ps []*NetworkPolicy) []string {
		var out []string
		for _, p := range ps {
			out = append(out, p.Namespace+"/"+p.Name)
		}
		return out
	}
	for _, c := range []struct {
		w    *Workload
		want []string
	}{
		{&Workload{Format: FormatK8s, Namespace: "app", Labels: map[string]string{"app": "web"}}, []string{"app/all", "app/web", "app/staging"}},
		{&Workload{Format: FormatK8s, Namespace: "app", Labels: map[string]string{"app": "db"}, Unit: "envs/prod/"}, []string{"app/all"}},
		{&Workload{Format: FormatK8s, Namespace: "ops"}, []string{"ops/all"}},
		{&Workload{Format: FormatK8s, Namespace: "none"}, nil},
	} {
		got := names(e.Select(c.w))
		if !slices.Equal(got, c.want) {
			t.Errorf("%s %v (unit %q): %q, want %q", c.w.Namespace, c.w.Labels, c.w.Unit, got, c.want)
		}
		if e.Selected(c.w) != (len(c.want) > 0) {
			t.Errorf("%s: Selected = %v", c.w.Namespace, e.Selected(c.w))
		}
	}
}
