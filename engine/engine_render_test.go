package engine

import (
	"testing"

	"github.com/isolint/isolint/model"
	"github.com/isolint/isolint/rules"
)

// A finding in a chart keeps its fingerprint whichever value set's file
// it sits in: rule + chart + object + key path.
func TestChartFingerprintIgnoresTheValuesFile(t *testing.T) {
	mk := func(file string, line int) rules.Finding {
		return rules.Finding{RuleID: "privileged-container", Object: "Deployment/default/release-name-api",
			Loc: model.Location{File: file, Line: line, Path: "spec.template.spec.containers[api].securityContext.privileged", Object: "Deployment/default/release-name-api"}}
	}
	units := []string{"charts/api", "charts/api-gateway"}
	a := fingerprint(mk("charts/api/values.yaml", 12), unitOf("charts/api/values.yaml", units))
	b := fingerprint(mk("charts/api/ci/prod-values.yaml", 3), unitOf("charts/api/ci/prod-values.yaml", units))
	if a != b {
		t.Errorf("fingerprints differ across value sets: %s %s", a, b)
	}
	if unitOf("charts/api-gateway/values.yaml", units) != "charts/api-gateway" || unitOf("other/x.yaml", units) != "" {
		t.Error("unitOf picks the wrong chart")
	}
	if c := fingerprint(mk("charts/api/values.yaml", 12), ""); c == a {
		t.Error("outside a chart the file must count")
	}
}

// The same finding from several releases is one finding naming them.
func TestMergeReleases(t *testing.T) {
	f := rules.Finding{RuleID: "host-network", Message: "uses the host network", Object: "Deployment/default/x",
		Loc: model.Location{File: "charts/x/templates/d.yaml", Line: 8, Col: 7}}
	g := f
	g.Loc.Line = 9
	out := mergeReleases([]releaseFinding{{f, "default"}, {f, "ci/a-values.yaml"}, {g, "ci/a-values.yaml"}}, 2)
	if len(out) != 2 || out[0].Message != "uses the host network (releases default, ci/a-values.yaml)" || out[1].Message != "uses the host network (release ci/a-values.yaml)" {
		t.Errorf("%+v", out)
	}
	if out := mergeReleases([]releaseFinding{{f, "default"}}, 1); out[0].Message != f.Message {
		t.Errorf("a single value set is not named: %q", out[0].Message)
	}
}
