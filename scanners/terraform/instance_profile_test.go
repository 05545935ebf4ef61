package terraform

import (
	"strings"
	"testing"

	"github.com/isolint/isolint/model"
)

// TestInstanceProfiles: each EC2 machine runs as the role its instance
// profile carries, whichever way the profile and the role are named; a
// profile not in the scan stays the identity.
func TestInstanceProfiles(t *testing.T) {
	p := scan(t, map[string]string{"main.tf": `
resource "aws_iam_role" "app" {
  name = "app"
}

resource "aws_iam_instance_profile" "by_ref" {
  name = "by-ref"
  role = aws_iam_role.app.name
}

resource "aws_iam_instance_profile" "by_name" {
  role = "app"
}

resource "aws_instance" "ref" {
  iam_instance_profile = aws_iam_instance_profile.by_ref.name
}

resource "aws_instance" "literal" {
  iam_instance_profile = "by-ref"
}

resource "aws_launch_template" "arn" {
  iam_instance_profile {
    arn = aws_iam_instance_profile.by_name.arn
  }
}

resource "aws_launch_configuration" "profile_arn" {
  iam_instance_profile = "arn:aws:iam::123456789012:instance-profile/by-ref"
}

resource "aws_instance" "elsewhere" {
  iam_instance_profile = "legacy"
}

resource "aws_instance" "none" {
}

resource "aws_instance" "from_template" {
  launch_template {
    id = aws_launch_template.arn.id
  }
}

module "m" {
  source = "./m"
}
`, "m/main.tf": `
resource "aws_iam_role" "inner" {
  name = "inner"
}

resource "aws_iam_instance_profile" "inner" {
  role = aws_iam_role.inner.name
}

resource "aws_instance" "inner" {
  iam_instance_profile = aws_iam_instance_profile.inner.name
}
`})
	want := map[string]string{
		"aws_instance/ref":                     "aws_iam_role.app",
		"aws_instance/literal":                 "aws_iam_role.app",
		"aws_launch_template/arn":              "aws_iam_role.app",
		"aws_launch_configuration/profile_arn": "aws_iam_role.app",
		"aws_instance/elsewhere":               "legacy",
		"aws_instance/none":                    "",
		"aws_instance/from_template":           "aws_iam_role.app",
		"aws_instance/inner":                   "module.m.aws_iam_role.inner",
	}
	got := map[string]bool{}
	for _, w := range p.Workloads {
		k, ok := want[w.ID()]
		if !ok {
			continue
		}
		got[w.ID()] = true
		if model.TerraformAddr(w.Identity.Key) != k {
			t.Errorf("%s runs as %q, want %q", w.ID(), w.Identity.Key, k)
		}
		if k != "" && k != "legacy" && (len(w.Identity.Via) == 0 || w.Identity.Via[len(w.Identity.Via)-1].Loc.Line == 0) {
			t.Errorf("%s: the profile's role line is not a related place: %+v", w.ID(), w.Identity.Via)
		} else if k != "" && k != "legacy" {
			// the role by its address, not by its root module's key
			if m := w.Identity.Via[len(w.Identity.Via)-1].Message; !strings.HasSuffix(m, " carries role "+k) {
				t.Errorf("%s: related place says %q, want it to end with %q", w.ID(), m, " carries role "+k)
			}
		}
	}
	for _, w := range p.Workloads {
		if (w.ID() == "aws_instance/from_template") != (w.Identity.Template == "aws_launch_template.arn") {
			t.Errorf("%s: template %q", w.ID(), w.Identity.Template)
		}
	}
	if len(got) != len(want) {
		t.Errorf("machines lowered: %v, want %d", got, len(want))
	}
	if len(p.Metadata) != 8 {
		t.Errorf("metadata settings: %d, want 8 (one per machine)", len(p.Metadata))
	}
}
