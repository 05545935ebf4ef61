package model

import "testing"

// An egress policy deployed in another unit (an alternative overlay or
// environment) does not close a workload's egress in the inventory, as it
// does not in egress-unrestricted; one of the workload's own unit, or a
// plain one, does.
func TestInventoryOpenEgressByUnit(t *testing.T) {
	w := &Workload{Format: FormatK8s, Kind: "Deployment", Name: "web", Namespace: "apps", Unit: "envs/staging/",
		Labels: map[string]string{"app": "web"}, Loc: Location{File: "envs/staging/web.yaml", Line: 1}}
	policy := func(unit string) *NetworkPolicy {
		return &NetworkPolicy{Namespace: "apps", Name: "deny", Unit: unit, PolicyTypes: []string{"Egress"}, Loc: Location{File: "np.yaml", Line: 1}}
	}
	for _, c := range []struct {
		unit string
		open bool
	}{{"envs/prod/", true}, {"envs/staging/", false}, {"", false}} {
		inv := NewInventory()
		inv.AddProject(&Project{Workloads: []*Workload{w}, NetworkPolicies: []*NetworkPolicy{policy(c.unit)}})
		if got := inv.Tally(InputOpenEgress, "k8s") != nil; got != c.open {
			t.Errorf("policy in unit %q: open egress %v, want %v", c.unit, got, c.open)
		}
	}
}
