package model

import (
	"math/rand/v2"
	"slices"
	"strconv"
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

// The index gives what trying every policy of the namespace gives, in the
// same order, over random policies, workloads and units.
func TestEgressPoliciesIndexMatchesEveryPolicy(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	pick := func(xs ...string) string { return xs[r.IntN(len(xs))] }
	labels := func(n int) map[string]string {
		m := map[string]string{}
		for range n {
			m[pick("app", "tier", "team")] = pick("web", "db", "a", "b")
		}
		return m
	}
	var nps []*NetworkPolicy
	for i := range 300 {
		np := &NetworkPolicy{Namespace: pick("app", "ops"), Name: "np" + strconv.Itoa(i), Unit: pick("", "", "envs/prod/"),
			PolicyTypes: []string{pick("Egress", "Ingress", "Egress")}}
		np.PodSelector.MatchLabels = labels(r.IntN(3))
		if r.IntN(4) == 0 {
			np.PodSelector.MatchExpressions = []LabelRequirement{{Key: pick("app", "tier"), Operator: pick("In", "NotIn", "Exists", "DoesNotExist"), Values: []string{pick("web", "db")}}}
		}
		nps = append(nps, np)
	}
	e := NewEgressPolicies(nps)
	for range 500 {
		w := &Workload{Format: FormatK8s, Namespace: pick("app", "ops", "none"), Labels: labels(r.IntN(4)), Unit: pick("", "envs/prod/", "envs/dev/")}
		var want []*NetworkPolicy
		for _, n := range nps {
			if n.HasEgress() && SameUnit(n.Unit, w.Unit) && n.Selects(w) {
				want = append(want, n)
			}
		}
		if got := e.Select(w); !slices.Equal(got, want) {
			t.Fatalf("%s %v (unit %q): %d policies, want %d", w.Namespace, w.Labels, w.Unit, len(got), len(want))
		}
		if e.Selected(w) != (len(want) > 0) {
			t.Fatalf("%s %v: Selected = %v, want %v", w.Namespace, w.Labels, e.Selected(w), len(want) > 0)
		}
	}
}
