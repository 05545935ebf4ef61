package model

import "testing"

func TestSubjectBreadth(t *testing.T) {
	for _, c := range []struct {
		issuer, sub string
		broad       bool
	}{
		{IssuerGitHub, "repo:acme/app:environment:prod", false},
		{IssuerGitHub, "repo:acme/app:ref:refs/heads/main", false},
		{IssuerGitHub, "repo:acme/*", true},
		{IssuerGitHub, "repo:*", true},
		{IssuerGitHub, "*", true},
		{IssuerGitHub, "repo:acme/app:*", true},
		{IssuerGitHub, "repo:acme/app:ref:refs/heads/*", true},
		{IssuerGitLab, "project_path:grp/app:ref_type:branch:ref:main", false},
		{IssuerGitLab, "project_path:grp/*:ref_type:branch:ref:main", true},
		{IssuerGitLab, "project_path:grp/app:*", true},
		{"oidc.example.com", "system:serviceaccount:ci:deployer", false},
		{"oidc.example.com", "system:serviceaccount:ci:*", true},
	} {
		if got := SubjectBreadth(c.issuer, c.sub); (got != "") != c.broad {
			t.Errorf("SubjectBreadth(%q, %q) = %q, want broad=%v", c.issuer, c.sub, got, c.broad)
		}
	}
}

func TestTrustStatement(t *testing.T) {
	known := func(v string) String { return String{Value: v, Set: true} }
	st := &TrustStatement{Effect: "Allow",
		Principals: []Principal{{Type: PrincipalFederated, Value: known("arn:aws:iam::1:oidc-provider/token.actions.githubusercontent.com")}},
		Conditions: []Condition{{Operator: "StringEquals", Key: "token.actions.githubusercontent.com:aud", Values: []String{known("sts.amazonaws.com")}}},
	}
	if got := st.Issuer(); got != IssuerGitHub {
		t.Errorf("Issuer = %q", got)
	}
	if st.Narrowed() || len(st.SubjectConditions()) != 0 {
		t.Errorf("an aud-only condition must not narrow")
	}
	st.Conditions = append(st.Conditions, Condition{Operator: "StringLike", Key: "token.actions.githubusercontent.com:sub", Values: []String{known("repo:a/b:*")}})
	if !st.Narrowed() || len(st.SubjectConditions()) != 1 {
		t.Errorf("a sub condition narrows")
	}
	any := &TrustStatement{Effect: "Allow", Principals: []Principal{{Type: PrincipalAWS, Value: known("*")}}}
	if _, ok := any.AnyPrincipal(); !ok {
		t.Errorf("AWS * is any principal")
	}
	if any.Issuer() != "" {
		t.Errorf("no issuer for an AWS principal")
	}
}

func TestBreadth(t *testing.T) {
	known := func(v string) String { return String{Value: v, Set: true} }
	st := &PolicyStatement{Effect: "Allow", Actions: []String{known("s3:*")}, Resources: []String{known("*")}}
	if _, ok := st.ServiceWildcard(); !ok {
		t.Errorf("s3:* on * is a service wildcard")
	}
	st.Resources = []String{known("arn:aws:s3:::reports/*")}
	if _, ok := st.ServiceWildcard(); ok {
		t.Errorf("s3:* on one bucket is scoped")
	}
	st = &PolicyStatement{Effect: "Allow", Actions: []String{known("secretsmanager:GetSecretValue")}, Resources: []String{known("*")}}
	if _, _, ok := st.SensitiveAction(); !ok {
		t.Errorf("GetSecretValue on * is sensitive")
	}
	for scope, level := range map[string]string{
		"/subscriptions/0000":                                                                 "subscription",
		"/subscriptions/0000/resourceGroups/rg":                                               "resource-group",
		"/providers/Microsoft.Management/managementGroups/mg":                                 "management-group",
		"/subscriptions/0000/resourceGroups/rg/providers/Microsoft.Storage/storageAccounts/s": "resource",
	} {
		if got := AzureScopeLevel(scope); got != level {
			t.Errorf("AzureScopeLevel(%q) = %q, want %q", scope, got, level)
		}
	}
	if _, ok := (RoleGrant{Role: known("Owner"), ScopeLevel: "subscription"}).Broad(); !ok {
		t.Errorf("Owner on a subscription is broad")
	}
	if _, ok := (RoleGrant{Role: known("Owner"), ScopeLevel: "resource-group"}).Broad(); ok {
		t.Errorf("Owner on a resource group is left to other checks")
	}
	if _, ok := (RoleGrant{Role: known("roles/storage.admin"), ScopeLevel: "project"}).Broad(); !ok {
		t.Errorf("roles/storage.admin is broad")
	}
	if _, ok := (RoleGrant{Role: known("roles/storage.objectViewer"), ScopeLevel: "project"}).Broad(); ok {
		t.Errorf("objectViewer is not")
	}
	if _, ok := BroadManagedPolicy("PowerUserAccess"); !ok {
		t.Errorf("PowerUserAccess is broad")
	}
	if ManagedPolicyName("arn:aws:iam::aws:policy/PowerUserAccess") != "PowerUserAccess" || ManagedPolicyName("arn:aws:iam::1:policy/x") != "" {
		t.Errorf("ManagedPolicyName")
	}
}
