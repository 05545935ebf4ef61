package model

import "testing"

// TestEgressJudge: each way a workload's traffic leaves gets its verdict,
// and what the scan cannot show is unlinked, never open or restricted.
func TestEgressJudge(t *testing.T) {
	str := func(v string) String { return String{Value: v, Set: true} }
	open := &FirewallRule{Group: "sg.open", Allow: true, AllProtocols: Bool{Value: true, Set: true}, Destinations: []String{str("0.0.0.0/0")}}
	https := &FirewallRule{Group: "sg.https", Allow: true, AllProtocols: Bool{Set: true}, Destinations: []String{str("0.0.0.0/0")}}
	computed := &FirewallRule{Group: "sg.computed", Allow: true, AllProtocols: Bool{Value: true, Set: true}, Destinations: []String{{Set: true, Unknown: true}}}
	p := &Project{
		SecurityGroups: []*SecurityGroup{{Key: "sg.open"}, {Key: "sg.https"}, {Key: "sg.computed"}, {Key: "sg.default", DefaultAllowAll: true}, {Key: "sg.none"}},
		Firewalls:      []*FirewallRule{open, https, computed},
	}
	groups := func(keys ...string) *Egress {
		e := &Egress{Path: EgressSecurityGroups, Scope: "s"}
		for _, k := range keys {
			e.Groups = append(e.Groups, str(k))
		}
		return e
	}
	cases := []struct {
		name   string
		egress *Egress
		want   EgressVerdict
		rule   *FirewallRule
	}{
		{"no fact", nil, EgressNotModelled, nil},
		{"direct", &Egress{Path: EgressDirect, Scope: "s"}, EgressOpenDirect, nil},
		{"computed attachment", &Egress{Unknown: true}, EgressUnlinked, nil},
		{"unlinked network", &Egress{Path: EgressNetwork}, EgressUnlinked, nil},
		{"https only", groups("sg.https"), EgressRestricted, nil},
		{"no egress rule (Terraform)", groups("sg.none"), EgressRestricted, nil},
		{"one open group of two", groups("sg.https", "sg.open"), EgressOpenGroup, open},
		{"default rule", groups("sg.default"), EgressOpenGroup, nil},
		{"group not in the scan", groups("sg-0123456789abcdef0"), EgressUnlinked, nil},
		{"computed rule", groups("sg.computed"), EgressUnlinked, nil},
		{"computed group", &Egress{Path: EgressSecurityGroups, Groups: []String{{Set: true, Unknown: true}}}, EgressUnlinked, nil},
		{"open wins over unknown", groups("sg-elsewhere", "sg.open"), EgressOpenGroup, open},
		{"no groups", groups(), EgressUnlinked, nil},
	}
	for _, c := range cases {
		w := &Workload{Egress: c.egress}
		p.Workloads = append(p.Workloads, w)
	}
	x := NewEgressIndex(p)
	for i, c := range cases {
		j := x.Judge(p.Workloads[i])
		if j.Verdict != c.want || j.Rule != c.rule {
			t.Errorf("%s: verdict %d rule %v, want %d rule %v", c.name, j.Verdict, j.Rule, c.want, c.rule)
		}
	}
	if !x.Managed(&Workload{Egress: &Egress{Path: EgressDirect, Scope: "s"}}) {
		t.Error("a scope with workloads behind security groups is not judged managed")
	}
	if x.Managed(&Workload{Egress: &Egress{Path: EgressDirect, Scope: "other"}}) {
		t.Error("a scope with no attached workload is judged managed")
	}
}
