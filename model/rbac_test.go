package model

import (
	"strconv"
	"strings"
	"testing"
)

// TestSubjectScope: which workloads each binding subject reaches, as the
// API server's authenticators name service accounts and anonymous requests.
func TestSubjectScope(t *testing.T) {
	for _, c := range []struct {
		s        Subject
		scope    SubjectScope
		ns, name string
		// whether the subject covers service account apps/web
		web bool
	}{
		{Subject{Kind: "ServiceAccount", Namespace: "apps", Name: "web"}, ScopeAccount, "apps", "web", true},
		{Subject{Kind: "ServiceAccount", Namespace: "apps", Name: "db"}, ScopeAccount, "apps", "db", false},
		{Subject{Kind: "User", Name: "system:serviceaccount:apps:web"}, ScopeAccount, "apps", "web", true},
		{Subject{Kind: "User", Name: "system:serviceaccount:apps:web:x"}, ScopeNone, "", "", false},
		{Subject{Kind: "Group", Name: "system:serviceaccounts:apps"}, ScopeNamespace, "apps", "", true},
		{Subject{Kind: "Group", Name: "system:serviceaccounts:batch"}, ScopeNamespace, "batch", "", false},
		{Subject{Kind: "Group", Name: "system:serviceaccounts"}, ScopeAllAccounts, "", "", true},
		{Subject{Kind: "Group", Name: "system:authenticated"}, ScopeAllAccounts, "", "", true},
		{Subject{Kind: "Group", Name: "system:unauthenticated"}, ScopeAnonymous, "", "", true},
		{Subject{Kind: "User", Name: "system:anonymous"}, ScopeAnonymous, "", "", true},
		// a group and a user of the same names are other principals
		{Subject{Kind: "User", Name: "system:authenticated"}, ScopeNone, "", "", false},
		{Subject{Kind: "Group", Name: "system:anonymous"}, ScopeNone, "", "", false},
		{Subject{Kind: "Group", Name: "system:masters"}, ScopeNone, "", "", false},
		{Subject{Kind: "User", Name: "alice@example.com"}, ScopeNone, "", "", false},
	} {
		scope, ns, name := c.s.Scope()
		if scope != c.scope || ns != c.ns || name != c.name {
			t.Errorf("%s %s: Scope() = %d %q %q, want %d %q %q", c.s.Kind, c.s.Name, scope, ns, name, c.scope, c.ns, c.name)
		}
		if got := c.s.Matches("apps", "web"); got != c.web {
			t.Errorf("%s %s: Matches(apps, web) = %v, want %v", c.s.Kind, c.s.Name, got, c.web)
		}
	}
}

// TestExecGrants: create and get on pods/exec and pods/attach run commands
// in a pod (get over a WebSocket); other verbs and groups do not.
func TestExecGrants(t *testing.T) {
	for _, c := range []struct {
		rule PolicyRule
		want string // DangerousGrants, joined
	}{
		{PolicyRule{APIGroups: []string{""}, Resources: []string{"pods/exec"}, Verbs: []string{"create"}}, "create pods/exec"},
		{PolicyRule{APIGroups: []string{""}, Resources: []string{"pods/exec"}, Verbs: []string{"get"}}, "get pods/exec (enough to exec over a WebSocket)"},
		{PolicyRule{APIGroups: []string{"*"}, Resources: []string{"pods/attach"}, Verbs: []string{"get", "create"}}, "create pods/attach"},
		{PolicyRule{APIGroups: []string{""}, Resources: []string{"*/attach"}, Verbs: []string{"get"}}, "get pods/attach (enough to attach over a WebSocket)"},
		{PolicyRule{APIGroups: []string{""}, Resources: []string{"pods/exec"}, Verbs: []string{"list", "watch"}}, ""},
		{PolicyRule{APIGroups: []string{"example.com"}, Resources: []string{"pods/exec"}, Verbs: []string{"get"}}, ""},
		{PolicyRule{APIGroups: []string{""}, Resources: []string{"pods", "pods/log"}, Verbs: []string{"get"}}, ""},
	} {
		got := strings.Join(c.rule.DangerousGrants(true), "; ")
		if got != c.want {
			t.Errorf("%v on %v: DangerousGrants = %q, want %q", c.rule.Verbs, c.rule.Resources, got, c.want)
		}
		if c.rule.GrantsExec() != (c.want != "") {
			t.Errorf("%v on %v: GrantsExec = %v", c.rule.Verbs, c.rule.Resources, !(c.want != ""))
		}
	}
}

// TestRoleAggregation: an aggregated ClusterRole takes the rules of the
// other ClusterRoles its selectors match, as the aggregation controller
// does: matchLabels and matchExpressions, an empty selector matching every
// ClusterRole, through aggregated roles (a cycle ends), never itself, a
// namespaced Role or a role of another unit; its own rules are replaced.
func TestRoleAggregation(t *testing.T) {
	rule := func(res string) []PolicyRule {
		return []PolicyRule{{APIGroups: []string{""}, Resources: []string{res}, Verbs: []string{"get"}}}
	}
	sel := func(labels map[string]string, reqs ...LabelRequirement) LabelSelector {
		return LabelSelector{MatchLabels: labels, MatchExpressions: reqs}
	}
	cr := func(name, unit string, labels map[string]string, sels ...LabelSelector) *Role {
		return &Role{Kind: "ClusterRole", Name: name, Unit: unit, Labels: labels, Rules: rule(name),
			Aggregated: sels != nil, AggregationSelectors: sels}
	}
	for _, set := range []struct {
		roles []*Role
		cases []struct{ role, unit, want string }
	}{{
		roles: []*Role{
			cr("agg", "", map[string]string{"a": "1"}, sel(map[string]string{"a": "1"}), sel(nil, LabelRequirement{Key: "tier", Operator: "In", Values: []string{"x", "y"}})),
			cr("b-label", "", map[string]string{"a": "1"}),
			cr("a-tier", "", map[string]string{"tier": "y"}),
			cr("prod-only", "overlays/prod", map[string]string{"a": "1"}),
			cr("wrong-value", "", map[string]string{"a": "2", "tier": "z"}),
			{Kind: "Role", Namespace: "ns", Name: "namespaced", Labels: map[string]string{"a": "1"}, Rules: rule("namespaced")},
			// nested: mid aggregates leaf; mid and loop aggregate each other
			cr("mid", "", map[string]string{"tier": "x"}, sel(nil, LabelRequirement{Key: "leaf", Operator: "Exists"}), sel(map[string]string{"loop": "1"})),
			cr("leaf", "", map[string]string{"leaf": ""}),
			cr("loop", "", map[string]string{"loop": "1", "tier": "x"}, sel(map[string]string{"tier": "x"})),
			cr("none", "", nil, sel(map[string]string{"nothing": "matches"})),
		},
		cases: []struct{ role, unit, want string }{
			{"agg", "overlays/dev", "a-tier:a-tier b-label:b-label leaf:leaf"},
			{"agg", "overlays/prod", "a-tier:a-tier b-label:b-label leaf:leaf prod-only:prod-only"},
			{"mid", "", "leaf:leaf"},
			{"loop", "", "leaf:leaf"},
			{"none", "", ""},
			{"b-label", "", "b-label:b-label"},
		},
	}, {
		// selectors that require no label look at every ClusterRole
		roles: []*Role{
			cr("not-sensitive", "", nil, sel(nil, LabelRequirement{Key: "sensitive", Operator: "DoesNotExist"}, LabelRequirement{Key: "a", Operator: "NotIn", Values: []string{"1"}})),
			cr("plain", "", nil),
			cr("a1", "", map[string]string{"a": "1"}),
			cr("a2", "", map[string]string{"a": "2"}),
			cr("sensitive", "", map[string]string{"sensitive": "true"}),
		},
		cases: []struct{ role, unit, want string }{
			{"not-sensitive", "", "a2:a2 plain:plain"},
		},
	}, {
		roles: []*Role{
			cr("everything", "", nil, LabelSelector{}),
			cr("plain", "", nil),
			cr("a1", "", map[string]string{"a": "1"}),
		},
		cases: []struct{ role, unit, want string }{
			{"everything", "", "a1:a1 plain:plain"},
		},
	}} {
		a := NewRoleAggregation(set.roles)
		byName := map[string]*Role{}
		for _, r := range set.roles {
			byName[r.Name] = r
		}
		for _, c := range set.cases {
			var got []string
			for _, g := range a.Rules(byName[c.role], c.unit) {
				got = append(got, g.From.Name+":"+g.Resources[0])
			}
			if strings.Join(got, " ") != c.want {
				t.Errorf("%s read in unit %q: rules from %q, want %q", c.role, c.unit, strings.Join(got, " "), c.want)
			}
		}
	}
}

// TestRoleAggregationIndexed: a selector that requires a label looks only
// at the ClusterRoles that carry it, not at every ClusterRole.
func TestRoleAggregationIndexed(t *testing.T) {
	var roles []*Role
	for i := 0; i < 1000; i++ {
		roles = append(roles, &Role{Kind: "ClusterRole", Name: "r" + strconv.Itoa(i), Labels: map[string]string{"id": strconv.Itoa(i), "team": strconv.Itoa(i % 10)}})
	}
	a := NewRoleAggregation(roles)
	for _, c := range []struct {
		sel  LabelSelector
		want int
	}{
		{LabelSelector{MatchLabels: map[string]string{"team": "3", "id": "13"}}, 1},
		{LabelSelector{MatchLabels: map[string]string{"team": "3", "id": "none"}}, 0},
		{LabelSelector{MatchExpressions: []LabelRequirement{{Key: "id", Operator: "In", Values: []string{"1", "2"}}}}, 2},
		{LabelSelector{MatchExpressions: []LabelRequirement{{Key: "team", Operator: "Exists"}, {Key: "id", Operator: "In", Values: []string{"7"}}}}, 1},
	} {
		if n := len(a.candidates(c.sel)); n != c.want {
			t.Errorf("%+v: %d candidates, want %d", c.sel, n, c.want)
		}
	}
}

// TestPodCreationGrants: create on pods or on a built-in pod controller,
// in its own API group, is an escalation; other verbs, subresources and
// groups are not.
func TestPodCreationGrants(t *testing.T) {
	for _, c := range []struct {
		rule PolicyRule
		want string // DangerousGrants, joined
	}{
		{PolicyRule{APIGroups: []string{""}, Resources: []string{"pods"}, Verbs: []string{"create"}}, "create pods"},
		{PolicyRule{APIGroups: []string{"apps", "batch"}, Resources: []string{"deployments", "jobs", "cronjobs"}, Verbs: []string{"create"}},
			"create pod controllers (deployments, jobs and cronjobs)"},
		{PolicyRule{APIGroups: []string{"*"}, Resources: []string{"pods", "statefulsets", "replicationcontrollers"}, Verbs: []string{"create"}},
			"create pods; create pod controllers (replicationcontrollers and statefulsets)"},
		{PolicyRule{APIGroups: []string{""}, Resources: []string{"pods"}, Verbs: []string{"get", "list", "delete", "patch"}}, ""},
		{PolicyRule{APIGroups: []string{""}, Resources: []string{"pods/eviction", "configmaps"}, Verbs: []string{"create"}}, ""},
		{PolicyRule{APIGroups: []string{"apps"}, Resources: []string{"jobs", "pods"}, Verbs: []string{"create"}}, ""},
		{PolicyRule{APIGroups: []string{""}, Resources: []string{"pods"}, Verbs: []string{"create"}, ResourceNames: []string{"p"}}, ""},
	} {
		if got := strings.Join(c.rule.DangerousGrants(true), "; "); got != c.want {
			t.Errorf("%v %v on %v: DangerousGrants = %q, want %q", c.rule.Verbs, c.rule.APIGroups, c.rule.Resources, got, c.want)
		}
	}
}
