package cloudformation

import (
	"os"
	"testing"
)

// TestInstanceProfiles: each EC2 machine of the fixture runs as the role
// its instance profile carries; a literal profile stays the identity; an
// instance launched from a template takes the template's, marked as such.
func TestInstanceProfiles(t *testing.T) {
	b, err := os.ReadFile("../../testdata/cfn/instance_profile.yaml")
	if err != nil {
		t.Fatal(err)
	}
	p := scan(t, "instance_profile.yaml", string(b))
	role := "instance_profile.yaml#AppRole"
	for name, want := range map[string]struct{ key, template string }{
		"Web": {role, ""}, "Workers": {role, ""}, "FromTemplate": {role, "Workers"}, "Legacy": {"instance-profile/legacy-profile", ""},
	} {
		w := workload(t, p, name)
		if w.Identity.Key != want.key || w.Identity.Template != want.template || w.Identity.Unknown {
			t.Errorf("%s runs as %+v, want key %q, template %q", name, w.Identity, want.key, want.template)
		}
		if want.key == role && (len(w.Identity.Via) == 0 || w.Identity.Loc.Line == 0) {
			t.Errorf("%s: no place for the profile or its role: %+v", name, w.Identity)
		}
	}
	if len(p.Metadata) != 3 {
		t.Errorf("metadata settings: %d, want 3 (FromTemplate is judged by its template)", len(p.Metadata))
	}
}
