package model

import (
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
