package filter

import (
	"testing"
	"time"

	"github.com/isolint/isolint/config"
	"github.com/isolint/isolint/model"
	"github.com/isolint/isolint/rules"
)

func finding(rule, file string, line int) rules.Finding {
	return rules.Finding{RuleID: rule, Loc: model.Location{File: file, Line: line, Col: 1}}
}

func directive(file string, line int, ids ...string) Directive {
	return Directive{Loc: model.Location{File: file, Line: line, Col: 1}, Rules: ids, Reason: "r"}
}

// Apply marks findings in place: on a directive's line or the next, of
// the rules it names, in its own file; the first directive to match a
// finding is its suppression; a directive that matches nothing, or names
// an unknown rule, is reported.
func TestApplyInlineDirectives(t *testing.T) {
	in := []rules.Finding{
		finding("host-network", "a.yaml", 4),                     // 0: the directive's line
		finding("host-network", "a.yaml", 5),                     // 1: the next line
		finding("host-network", "a.yaml", 6),                     // 2: two lines on: not matched
		finding("privileged-container", "a.yaml", 5),             // 3: another rule
		finding("host-network", "b.yaml", 5),                     // 4: another file
		finding("host-network", "a.yaml", 5),                     // 5: a second finding on the line
		finding("privileged-container", "c.yaml", 10),            // 6: matched by the first of two
		finding("service-account-token-automount", "a.yaml", 20), // 7: a disabled rule's
	}
	dirs := map[string][]Directive{
		"a.yaml": {
			directive("a.yaml", 4, "host-network"),
			directive("a.yaml", 12, "privileged-container"), // unused
			directive("a.yaml", 14, "no-such-rule"),         // invalid
			directive("a.yaml", 20, "service-account-token-automount"),
		},
		"c.yaml": {
			{Loc: model.Location{File: "c.yaml", Line: 9, Col: 1}, Rules: []string{"privileged-container"}, Reason: "first"},
			{Loc: model.Location{File: "c.yaml", Line: 10, Col: 1}, Rules: []string{"privileged-container"}, Reason: "second"},
		},
	}
	buf := make([]rules.Finding, len(in), len(in)+Room(dirs, nil))
	copy(buf, in)
	out := Apply(Input{Findings: buf, Directives: dirs, Today: time.Date(2026, 12, 5, 0, 0, 0, 0, time.UTC),
		Enabled: func(id string) bool { return id != "service-account-token-automount" }})
	if &out[0] != &buf[0] {
		t.Error("Apply copied the findings: it marks them in place, and Room leaves room for what it adds")
	}
	suppressed := map[int]bool{0: true, 1: true, 5: true, 6: true}
	for i := range in {
		if got := out[i].Suppression != nil; got != suppressed[i] {
			t.Errorf("finding %d (%s %s:%d): suppressed = %v, want %v", i, in[i].RuleID, in[i].Loc.File, in[i].Loc.Line, got, suppressed[i])
		}
	}
	if s := out[6].Suppression; s == nil || s.Justification != "first" {
		t.Errorf("finding 6: suppression %+v, want the first directive's", s)
	}
	var meta []string
	for _, f := range out[len(in):] {
		meta = append(meta, f.RuleID+"@"+f.Loc.String())
	}
	want := []string{"unused-ignore@a.yaml:12:1", "invalid-ignore@a.yaml:14:1", "unused-ignore@c.yaml:10:1"}
	if len(meta) != len(want) {
		t.Fatalf("meta findings %v, want %v", meta, want)
	}
	for i := range want {
		if meta[i] != want[i] {
			t.Errorf("meta finding %d = %s, want %s", i, meta[i], want[i])
		}
	}
}

func TestApplyConfigIgnores(t *testing.T) {
	in := []rules.Finding{
		finding("host-network", "deploy/a.yaml", 4),
		finding("host-network", "other/b.yaml", 4),
	}
	cfg := &config.Config{File: ".isolint.yaml", Ignore: []config.Ignore{
		{Rule: "host-network", Path: "deploy/**", Reason: "lab cluster", Line: 3, Col: 5},
		{Rule: "privileged-container", Reason: "never matches", Line: 7, Col: 5},
		{Rule: "host-network", Reason: "", Line: 9, Col: 5},
	}}
	out := Apply(Input{Findings: in, Config: cfg})
	if out[0].Suppression == nil || out[0].Suppression.Kind != rules.SuppressedExternal || out[1].Suppression != nil {
		t.Errorf("suppressions %+v, %+v: want only the deploy/ finding's", out[0].Suppression, out[1].Suppression)
	}
	if len(out) != 4 || out[2].RuleID != rules.UnusedIgnore.ID || out[3].RuleID != rules.InvalidIgnore.ID {
		t.Errorf("meta findings %+v, want unused-ignore then invalid-ignore", out[2:])
	}
	if n := Room(nil, cfg); n < len(out)-len(in) {
		t.Errorf("Room = %d, fewer than the %d meta findings", n, len(out)-len(in))
	}
}
