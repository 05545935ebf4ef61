package model

import "testing"

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
