package main

import (
	"bytes"
	"encoding/json"
	"strings"
	"testing"
)

func TestReachCommand(t *testing.T) {
	const dir = "../../testdata/reach/platform"
	var out, errb bytes.Buffer
	if code := run([]string{"reach", dir, "--workload", "payments/ledger"}, &out, &errb); code != exitOK {
		t.Fatalf("exit %d: %s", code, errb.String())
	}
	if !strings.Contains(errb.String(), "isolint: reach: 1 workload(s): 0 critical, 1 high") {
		t.Errorf("no summary on standard error: %q", errb.String())
	}
	if !strings.HasPrefix(out.String(), "HIGH Deployment/payments/ledger") || strings.Count(out.String(), "\nHIGH ") > 0 {
		t.Errorf("--workload did not keep one workload:\n%s", out.String())
	}
	out.Reset()
	if code := run([]string{"reach", dir, "-f", "json"}, &out, &errb); code != exitOK {
		t.Fatalf("json: exit %d: %s", code, errb.String())
	}
	var doc struct {
		Workloads []struct{ ID, Tier string }
	}
	if err := json.Unmarshal(out.Bytes(), &doc); err != nil || len(doc.Workloads) < 6 || doc.Workloads[0].Tier != "critical" {
		t.Errorf("json view: %v %+v", err, doc.Workloads)
	}
	for _, args := range [][]string{
		{"reach", dir, "-f", "yaml"},
		{"reach", dir, "--workload", "nope/none"},
	} {
		errb.Reset()
		if code := run(args, &out, &errb); code != exitUsage || errb.Len() == 0 {
			t.Errorf("%v: exit %d, stderr %q", args, code, errb.String())
		}
	}
	if code := run([]string{"reach", t.TempDir()}, &out, &errb); code != exitEmpty {
		t.Errorf("empty tree: exit %d, want %d", code, exitEmpty)
	}
}

// TestPlantedSecretsNeverInReach: no planted value appears in any format
// of the reach view, nor in the HTML report's blast-radius section.
func TestPlantedSecretsNeverInReach(t *testing.T) {
	dir := plantedTree(t)
	runs := [][]string{{"report", "--framework", "owasp-nhi", "-f", "html", "--timestamp", "0", dir}}
	for _, f := range []string{"text", "json", "dot", "mermaid"} {
		runs = append(runs, []string{"reach", dir, "-f", f})
	}
	for _, args := range runs {
		var out, errb bytes.Buffer
		if code := run(args, &out, &errb); code != exitOK {
			t.Fatalf("%v: exit %d: %s", args, code, errb.String())
		}
		if args[0] == "reach" && !strings.Contains(out.String(), ".mcp.json") {
			t.Errorf("%v: the view does not show the planted tree", args)
		}
		for _, s := range planted {
			b := append(out.Bytes(), errb.Bytes()...)
			if bytes.Contains(b, []byte(s)) || bytes.Contains(b, []byte(jsonEscaped(s))) || bytes.Contains(b, []byte("PLANTED")) {
				t.Errorf("%v: the output holds planted value %q or a fragment of it", args, s)
			}
		}
	}
}

// TestReachShowsChartReleases: a chart rendered with two value sets is in
// the view once per release, each named by its value set, and the two
// releases, which are alternatives, share nothing with each other though
// they use the same ServiceAccount and Secret.
func TestReachShowsChartReleases(t *testing.T) {
	var out, errb bytes.Buffer
	if code := run([]string{"reach", "-f", "json", "../../testdata/helm/projects/valuesets"}, &out, &errb); code != exitOK {
		t.Fatalf("exit %d: %s", code, errb.String())
	}
	var v struct {
		Workloads []struct {
			ID, Unit   string
			SharedWith []struct{ Workload string } `json:"sharedWith"`
		}
	}
	if err := json.Unmarshal(out.Bytes(), &v); err != nil {
		t.Fatal(err)
	}
	units := map[string]bool{}
	for _, w := range v.Workloads {
		units[w.Unit] = true
		if len(w.SharedWith) > 0 {
			t.Errorf("%s in %s shares with %v: releases are alternatives", w.ID, w.Unit, w.SharedWith)
		}
	}
	if len(v.Workloads) != 2 || !units["testdata/helm/projects/valuesets/charts/app (values prod)"] || !units["testdata/helm/projects/valuesets/charts/app (values debug)"] {
		t.Errorf("want one workload per release, got %+v", v.Workloads)
	}
}
