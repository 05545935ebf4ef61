package model

import "testing"

// A role whose policy denies everything, unconditioned, can do nothing;
// a narrower or conditioned deny leaves its grants in force.
func TestCloudRoleDeniesAll(t *testing.T) {
	act := func(vs ...string) []String {
		var out []String
		for _, v := range vs {
			out = append(out, String{Value: v, Set: true})
		}
		return out
	}
	allowAll := &PolicyStatement{Effect: "Allow", Actions: act("*"), Resources: act("*")}
	cases := []struct {
		name string
		deny *PolicyStatement
		want bool
	}{
		{"deny *", &PolicyStatement{Effect: "Deny", Actions: act("*"), Resources: act("*")}, true},
		{"deny *:*, no resource", &PolicyStatement{Effect: "deny", Actions: act("*:*")}, true},
		{"conditioned", &PolicyStatement{Effect: "Deny", Actions: act("*"), Resources: act("*"), Conditioned: true}, false},
		{"one service", &PolicyStatement{Effect: "Deny", Actions: act("s3:*"), Resources: act("*")}, false},
		{"NotAction", &PolicyStatement{Effect: "Deny", Actions: act("*"), NotAction: true, Resources: act("*")}, false},
		{"one resource", &PolicyStatement{Effect: "Deny", Actions: act("*"), Resources: act("arn:aws:s3:::b")}, false},
		{"computed action", &PolicyStatement{Effect: "Deny", Actions: []String{{Set: true, Unknown: true}}, Resources: act("*")}, false},
		{"allow", &PolicyStatement{Effect: "Allow", Actions: act("*"), Resources: act("*")}, false},
	}
	for _, c := range cases {
		r := &CloudRole{Statements: []*PolicyStatement{allowAll, c.deny}}
		if got := r.DeniesAll(); got != c.want {
			t.Errorf("%s: DeniesAll() = %v, want %v", c.name, got, c.want)
		}
	}
}

// The index finds the same roles, in the same order, as asking each role.
func TestCloudRoleIndexMatchesAssumedBy(t *testing.T) {
	roles := []*CloudRole{
		{Kind: IdentityAWSRole, Key: TerraformKey("envs/prod", "aws_iam_role.app"), RoleName: "deploy"},
		{Kind: IdentityAWSRole, Key: "aws:arn:aws:iam::123456789012:role/deploy"},
		{Kind: IdentityAWSRole, Key: TerraformKey("envs/staging", "aws_iam_role.app"), RoleName: "deploy"},
		{Kind: IdentityGCPServiceAccount, Key: "sa", RoleName: "deploy"},
		{Kind: IdentityAWSRole, Key: TerraformKey("envs/prod", "aws_iam_role.app"), RoleName: "other"},
	}
	ix := NewCloudRoleIndex(roles)
	for _, id := range []Identity{
		{Key: "aws:arn:aws:iam::123456789012:role/deploy"},
		{Key: "arn:aws:iam::123456789012:role/path/deploy"},
		{Key: TerraformKey("envs/prod", "aws_iam_role.app")},
		{Key: "sa"},
		{Key: "aws:arn:aws:iam::123456789012:role/none"},
		{Key: "aws:arn:aws:iam::123456789012:role/deploy", Unknown: true},
		{},
	} {
		var want []*CloudRole
		for _, r := range roles {
			if r.AssumedBy(id) {
				want = append(want, r)
			}
		}
		got := ix.AssumedBy(id)
		if len(got) != len(want) {
			t.Fatalf("%q: %d roles, want %d", id.Key, len(got), len(want))
		}
		for i := range got {
			if got[i] != want[i] {
				t.Errorf("%q: role %d is %q, want %q", id.Key, i, got[i].Key, want[i].Key)
			}
		}
		var first *CloudRole
		if len(want) > 0 {
			first = want[0]
		}
		if ix.First(id) != first {
			t.Errorf("%q: First is not the first role", id.Key)
		}
	}
}
