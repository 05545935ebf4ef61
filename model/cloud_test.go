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
