package rules

import (
	"testing"

	"github.com/isolint/isolint/controls"
	"github.com/isolint/isolint/model"
)

// TestControlsExist checks every control a rule maps to against the
// embedded catalogues, so that a typo in a mapping cannot ship.
func TestControlsExist(t *testing.T) {
	for _, r := range All() {
		if r.Axis != AxisMeta && len(r.Controls) == 0 {
			t.Errorf("%s maps to no control", r.ID)
		}
		seen := map[string]bool{}
		for _, c := range r.Controls {
			cat := controls.Get(c.Framework)
			if cat == nil {
				t.Errorf("%s: unknown framework %q", r.ID, c.Framework)
				continue
			}
			ctl, ok := cat.Lookup(c.ID)
			if !ok {
				t.Errorf("%s: %s has no control %q", r.ID, c.Framework, c.ID)
				continue
			}
			if ctl.Withdrawn {
				t.Errorf("%s: %s %s is withdrawn", r.ID, c.Framework, c.ID)
			}
			if seen[c.Tag()] {
				t.Errorf("%s: %s listed twice", r.ID, c.Tag())
			}
			seen[c.Tag()] = true
		}
	}
}

// TestExamplesPerFormat checks that every rule documents a compliant and a
// non-compliant example for each format it checks, and none for others.
func TestExamplesPerFormat(t *testing.T) {
	for _, r := range All() {
		has := map[model.Format]bool{}
		for _, e := range r.Examples {
			if !r.AppliesTo(e.Format) {
				t.Errorf("%s: example for %s, which the rule does not check", r.ID, e.Format)
			}
			if e.Bad == "" || e.Good == "" || e.Path == "" {
				t.Errorf("%s: %s example needs Path, Bad and Good", r.ID, e.Format)
			}
			has[e.Format] = true
		}
		if r.Axis == AxisMeta {
			if len(r.Examples) == 0 {
				t.Errorf("%s: no example", r.ID)
			}
			continue // meta rules apply to every format; one example shows the directive syntax
		}
		for _, f := range r.Formats {
			if !has[f] {
				t.Errorf("%s: no example for %s", r.ID, f)
			}
		}
		if r.Description == "" || r.Fix == "" || r.Title == "" {
			t.Errorf("%s: needs Title, Description and Fix", r.ID)
		}
		if r.Workload == nil && r.Project == nil {
			t.Errorf("%s: has no check", r.ID)
		}
	}
}
