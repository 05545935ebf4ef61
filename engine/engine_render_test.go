package engine

import (
	"path/filepath"
	"testing"
	"time"

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

// With KeepDetails, each chart release's objects join the merged model,
// with their details and labelled with their unit, while the findings stay
// those of a scan without it.
func TestKeepDetailsHandsReleasesToTheModel(t *testing.T) {
	dir, err := filepath.Abs("../testdata/reach/alternatives/charts")
	if err != nil {
		t.Fatal(err)
	}
	now := time.Date(2026, 6, 1, 0, 0, 0, 0, time.UTC)
	plain, err := Run(Options{Paths: []string{dir}, Base: dir, Now: now})
	if err != nil {
		t.Fatal(err)
	}
	kept, err := Run(Options{Paths: []string{dir}, Base: dir, Now: now, KeepDetails: true})
	if err != nil {
		t.Fatal(err)
	}
	if len(plain.Findings) == 0 || len(plain.Findings) != len(kept.Findings) {
		t.Fatalf("findings: %d without details, %d with", len(plain.Findings), len(kept.Findings))
	}
	for i := range plain.Findings {
		a, b := plain.Findings[i], kept.Findings[i]
		if a.RuleID != b.RuleID || a.Loc != b.Loc || a.Message != b.Message || a.Fingerprint != b.Fingerprint || a.Unit != b.Unit {
			t.Errorf("finding %d differs with details kept:\n%+v\n%+v", i, a, b)
		}
	}
	units := map[string]bool{}
	for _, w := range kept.Project.Workloads {
		units[w.Unit] = true
		if len(w.Containers) == 0 {
			t.Errorf("%s in %s: details dropped", w.ID(), w.Unit)
		}
	}
	for _, sa := range kept.Project.ServiceAccounts {
		if sa.Unit == "" {
			t.Errorf("ServiceAccount %s has no unit", sa.Key())
		}
	}
	if !units["api (values default)"] || !units["api (values ci/debug-values.yaml)"] || len(units) != 2 {
		t.Errorf("units of the release workloads: %v", units)
	}
}
