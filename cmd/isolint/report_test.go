package main

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/go-git/go-git/v5"
	gitconfig "github.com/go-git/go-git/v5/config"
	"github.com/isolint/isolint/report"
)

// TestBaselineCommand: `isolint baseline` records the findings, `scan
// --baseline` then passes, says how many were baselined, and fails again
// on a new finding only.
func TestBaselineCommand(t *testing.T) {
	dir := tree(t, map[string]string{"pod.yaml": hostNetPod})
	code, stdout, stderr := cli(t, dir, "baseline")
	if code != exitOK || stdout != "" || !strings.Contains(stderr, "recorded 1 finding(s) in .isolint-baseline.json") {
		t.Fatalf("baseline: exit %d, stdout %q, stderr %q", code, stdout, stderr)
	}
	b, err := os.ReadFile(filepath.Join(dir, ".isolint-baseline.json"))
	if err != nil || !json.Valid(b) || !bytes.Contains(b, []byte(`"ruleId": "host-network"`)) {
		t.Fatalf("baseline file: %v\n%s", err, b)
	}

	// the baseline file itself is not a format isolint reads
	code, stdout, stderr = cli(t, dir, "scan", "--baseline", ".isolint-baseline.json")
	if code != exitOK || stdout != "" || !strings.Contains(stderr, "0 finding(s)") || !strings.Contains(stderr, "1 baselined") {
		t.Errorf("scan --baseline: exit %d, stdout %q, stderr %q", code, stdout, stderr)
	}
	// JSON says it too, and keeps the old finding marked unchanged
	_, stdout, _ = cli(t, dir, "scan", "--baseline", ".isolint-baseline.json", "-f", "json")
	var rep struct {
		Findings []struct {
			Baseline string `json:"baseline"`
		} `json:"findings"`
		Summary struct {
			Findings  int  `json:"findings"`
			Baselined *int `json:"baselined"`
		} `json:"summary"`
	}
	if err := json.Unmarshal([]byte(stdout), &rep); err != nil {
		t.Fatal(err)
	}
	if rep.Summary.Findings != 0 || rep.Summary.Baselined == nil || *rep.Summary.Baselined != 1 || len(rep.Findings) != 1 || rep.Findings[0].Baseline != "unchanged" {
		t.Errorf("JSON with a baseline: %+v", rep)
	}
	_, stdout, _ = cli(t, dir, "scan", "--baseline", ".isolint-baseline.json", "-f", "sarif")
	if !strings.Contains(stdout, `"baselineState": "unchanged"`) {
		t.Error("SARIF result lacks baselineState unchanged")
	}

	// a new finding fails the gate; the old one stays quiet
	if err := os.WriteFile(filepath.Join(dir, "new.yaml"), []byte(strings.ReplaceAll(hostNetPod, "agent", "agent2")), 0o644); err != nil {
		t.Fatal(err)
	}
	code, stdout, stderr = cli(t, dir, "scan", "--baseline", ".isolint-baseline.json")
	if code != exitFindings || !strings.Contains(stdout, "new.yaml") || strings.Contains(stdout, "pod.yaml") || !strings.Contains(stderr, "1 baselined") {
		t.Errorf("new finding: exit %d, stdout %q, stderr %q", code, stdout, stderr)
	}

	// a missing or broken baseline is a usage error naming the file
	for name, content := range map[string]string{"missing.json": "", "broken.json": "{"} {
		if content != "" {
			if err := os.WriteFile(filepath.Join(dir, name), []byte(content), 0o644); err != nil {
				t.Fatal(err)
			}
		}
		if code, _, stderr := cli(t, dir, "scan", "--baseline", name); code != exitUsage || !strings.Contains(stderr, name) {
			t.Errorf("--baseline %s: exit %d, stderr %q", name, code, stderr)
		}
	}
	// -o - writes to standard output
	if code, stdout, _ := cli(t, dir, "baseline", "-o", "-", "pod.yaml"); code != exitOK || !json.Valid([]byte(stdout)) {
		t.Errorf("baseline -o -: exit %d, %q", code, stdout)
	}
}

// TestReportCommand: the report is written in each format, the format
// follows -o's extension, the time is the one given, and the exit code
// says nothing about findings.
func TestReportCommand(t *testing.T) {
	dir := tree(t, map[string]string{"pod.yaml": hostNetPod})
	for _, format := range report.WriterNames() {
		code, stdout, stderr := cli(t, dir, "report", "--framework", "cis-k8s", "--format", format, "--timestamp", "2026-01-02T03:04:05Z")
		if code != exitOK || !strings.Contains(stdout, "5.2.5") || !strings.Contains(stderr, "1 fail") {
			t.Errorf("%s: exit %d, stderr %q", format, code, stderr)
		}
		if format != "md" && !strings.Contains(stdout, "2026-01-02T03:04:05Z") {
			t.Errorf("%s: the --timestamp is not in the report", format)
		}
	}
	out := filepath.Join(t.TempDir(), "r.html")
	if code, stdout, _ := cli(t, dir, "report", "--framework", "pss", "-o", out); code != exitOK || stdout != "" {
		t.Errorf("-o r.html: exit %d, stdout %q", code, stdout)
	}
	if b, _ := os.ReadFile(out); !bytes.HasPrefix(b, []byte("<!DOCTYPE html>")) {
		t.Error("-o r.html did not write HTML")
	}
	// SOURCE_DATE_EPOCH fixes the time when --timestamp is not given
	t.Setenv("SOURCE_DATE_EPOCH", "86400")
	if _, stdout, _ := cli(t, dir, "report", "--framework", "owasp-nhi"); !strings.Contains(stdout, `"generatedAt": "1970-01-02T00:00:00Z"`) {
		t.Error("SOURCE_DATE_EPOCH did not set generatedAt")
	}
	for _, args := range [][]string{
		{"report"},
		{"report", "--framework", "iso-27001"},
		{"report", "--framework", "pss", "--format", "pdf"},
		{"report", "--framework", "pss", "--timestamp", "yesterday"},
	} {
		if code, _, stderr := cli(t, dir, args...); code != exitUsage || stderr == "" {
			t.Errorf("%v: exit %d, stderr %q", args, code, stderr)
		}
	}
	empty := t.TempDir()
	if code, stdout, _ := cli(t, empty, "report", "--framework", "pss"); code != exitEmpty || !json.Valid([]byte(stdout)) {
		t.Errorf("empty tree: exit %d (want 3, report still written)", code)
	}
	if code, _, _ := cli(t, empty, "report", "--framework", "pss", "--allow-empty"); code != exitOK {
		t.Errorf("empty tree with --allow-empty: exit %d", code)
	}
}

// TestReportsNeverPrintPlantedSecrets: no report format, for any
// framework, and no baseline file holds a planted credential.
func TestReportsNeverPrintPlantedSecrets(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the binary")
	}
	dir := plantedTree(t)
	// a git work tree whose remote URL carries a planted token
	repo, err := git.PlainInit(dir, false)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := repo.CreateRemote(&gitconfig.RemoteConfig{Name: "origin", URLs: []string{"https://x-access-token:" + planted[0] + "@github.com/acme/app.git"}}); err != nil {
		t.Fatal(err)
	}
	outDir := t.TempDir()
	check := func(what string, b []byte) {
		t.Helper()
		for _, s := range planted {
			if bytes.Contains(b, []byte(s)) || bytes.Contains(b, []byte(jsonEscaped(s))) {
				t.Errorf("%s contains planted value %q", what, s)
			}
		}
		if bytes.Contains(b, []byte("PLANTED")) {
			t.Errorf("%s contains a fragment of a planted value", what)
		}
	}
	base := filepath.Join(outDir, "baseline.json")
	code, out, errb := runBinary(t, outDir, nil, "baseline", "-o", base, dir)
	if code != exitOK {
		t.Fatalf("baseline: exit %d: %s", code, errb)
	}
	written, _ := os.ReadFile(base)
	if !bytes.Contains(written, []byte("literal-credential")) {
		t.Fatal("the baseline recorded no literal-credential finding; the test does not exercise it")
	}
	check("baseline file", written)
	check("baseline output", append(out, errb...))
	for _, f := range report.Frameworks() {
		for _, format := range report.WriterNames() {
			code, out, errb := runBinary(t, outDir, nil, "report", "--framework", string(f), "-f", format, "--baseline", base, dir)
			if code != exitOK {
				t.Fatalf("%s/%s: exit %d: %s", f, format, code, errb)
			}
			check(string(f)+"/"+format, append(out, errb...))
			if format == "json" && !bytes.Contains(out, []byte(`"remote": "https://github.com/acme/app.git"`)) {
				t.Errorf("%s/json: the repository's remote is not recorded", f)
			}
		}
	}
}

// TestReportDeterministic: the same tree and time give byte-identical
// reports, whatever GOMAXPROCS.
func TestReportDeterministic(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the binary")
	}
	root := moduleRoot(t)
	for _, format := range report.WriterNames() {
		var first []byte
		for i, procs := range []string{"1", "8", "2"} {
			code, out, errb := runBinary(t, root, []string{"GOMAXPROCS=" + procs, "SOURCE_DATE_EPOCH=1700000000"}, "report", "--framework", "nist-800-53", "-f", format, "examples")
			if code != exitOK {
				t.Fatalf("exit %d: %s", code, errb)
			}
			if i == 0 {
				first = out
			} else if !bytes.Equal(first, out) {
				t.Fatalf("%s: run %d differs", format, i)
			}
		}
	}
}
