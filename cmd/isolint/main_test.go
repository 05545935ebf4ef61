package main

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"

	_ "github.com/isolint/isolint/internal/golden" // accepts -update, so `go test ./... -update` runs everywhere
	"github.com/isolint/isolint/internal/testfiles"
	"github.com/isolint/isolint/rules"
	"github.com/spf13/pflag"
)

// cli runs isolint in dir and returns its exit code and output.
func cli(t *testing.T, dir string, args ...string) (code int, stdout, stderr string) {
	t.Helper()
	t.Chdir(dir)
	var out, errb bytes.Buffer
	code = run(args, &out, &errb)
	return code, out.String(), errb.String()
}

func tree(t *testing.T, files map[string]string) string {
	t.Helper()
	dir := t.TempDir()
	testfiles.WriteTree(t, dir, files)
	return dir
}

// A pod with one medium finding (secret-env-var) and nothing else.
const mediumPod = `apiVersion: v1
kind: Pod
metadata:
  name: web
spec:
  serviceAccountName: web
  automountServiceAccountToken: false
  securityContext:
    runAsNonRoot: true
    seccompProfile: {type: RuntimeDefault}
  containers:
    - name: web
      image: example/web:1
      securityContext:
        allowPrivilegeEscalation: false
        readOnlyRootFilesystem: true
        capabilities: {drop: [ALL]}
      env:
        - name: DB_PASSWORD
          valueFrom:
            secretKeyRef: {name: db, key: password}
`

// A pod with one high finding (host-network) on line 7.
const hostNetPod = `apiVersion: v1
kind: Pod
metadata:
  name: agent
spec:
  serviceAccountName: agent
  hostNetwork: true
  automountServiceAccountToken: false
  securityContext:
    runAsNonRoot: true
    seccompProfile: {type: RuntimeDefault}
  containers:
    - name: agent
      image: example/agent:1
      securityContext:
        allowPrivilegeEscalation: false
        readOnlyRootFilesystem: true
        capabilities: {drop: [ALL]}
`

const cleanPod = `apiVersion: v1
kind: Pod
metadata:
  name: quiet
spec:
  serviceAccountName: quiet
  automountServiceAccountToken: false
  securityContext:
    runAsNonRoot: true
    seccompProfile: {type: RuntimeDefault}
  containers:
    - name: quiet
      image: example/quiet:1
      securityContext:
        allowPrivilegeEscalation: false
        readOnlyRootFilesystem: true
        capabilities: {drop: [ALL]}
`

func TestExitCodes(t *testing.T) {
	for _, c := range []struct {
		name  string
		files map[string]string
		args  []string
		want  int
		inErr string
	}{
		{"clean", map[string]string{"pod.yaml": cleanPod}, []string{"scan"}, exitOK, "0 finding(s)"},
		{"findings", map[string]string{"pod.yaml": hostNetPod}, []string{"scan"}, exitFindings, "1 finding(s)"},
		{"nothing to scan", map[string]string{"README.md": "# hi\n", "values.yaml": "replicas: 2\n"}, []string{"scan"}, exitEmpty, "no supported file found"},
		{"nothing to scan, allowed", map[string]string{"README.md": "# hi\n"}, []string{"scan", "--allow-empty"}, exitOK, "no supported file found"},
		{"unknown flag", nil, []string{"scan", "--frobnicate"}, exitUsage, "unknown flag: --frobnicate"},
		{"unknown command", nil, []string{"scna"}, exitUsage, "unknown command"},
		{"unknown format", nil, []string{"scan", "--format", "xml"}, exitUsage, `unknown --format "xml"`},
		{"unknown type", map[string]string{"pod.yaml": cleanPod}, []string{"scan", "--type", "helm"}, exitUsage, `unknown --type "helm"`},
		{"missing path", nil, []string{"scan", "no/such/dir"}, exitUsage, "no/such/dir: no such file or directory"},
		{"bad fail-on", nil, []string{"scan", "--fail-on", "severe"}, exitUsage, `unknown severity "severe"`},
		{"bad size", nil, []string{"scan", "--max-file-size", "big"}, exitUsage, "--max-file-size"},
		{"missing config", map[string]string{"pod.yaml": cleanPod}, []string{"scan", "--config", "nope.yaml"}, exitUsage, "nope.yaml: cannot read config"},
	} {
		t.Run(c.name, func(t *testing.T) {
			dir := tree(t, c.files)
			code, _, stderr := cli(t, dir, c.args...)
			if code != c.want {
				t.Errorf("exit %d, want %d; stderr:\n%s", code, c.want, stderr)
			}
			if !strings.Contains(stderr, c.inErr) {
				t.Errorf("stderr lacks %q:\n%s", c.inErr, stderr)
			}
		})
	}
}

// TestBadConfig: every config problem exits 2 with file:line: message.
func TestBadConfig(t *testing.T) {
	for _, c := range []struct{ name, config, want string }{
		{"unknown key", "exclude: []\nfrobnicate: 1\n", `.isolint.yaml:2: unknown key "frobnicate"`},
		{"wrong type", "exclude: vendor\n", ".isolint.yaml:1: expected a list, got a string"},
		{"syntax", "exclude: [\n", ".isolint.yaml:1: "},
		{"unknown disabled rule", "disable:\n  - host-network\n  - no-such-rule\n", `.isolint.yaml:3: disable names unknown rule "no-such-rule"`},
		{"unknown unwaivable rule", "unwaivable: [no-such-rule]\n", `.isolint.yaml:1: unwaivable names unknown rule "no-such-rule"`},
		{"bad severity", "severity:\n  host-network: severe\n", `.isolint.yaml:2: severity of host-network: unknown severity "severe"`},
		{"unknown severity rule", "severity:\n  nope: low\n", `.isolint.yaml:2: severity names unknown rule "nope"`},
		{"bad expiry", "ignore:\n  - rule: host-network\n    reason: r\n    expires: soon\n", `.isolint.yaml:2: ignore expires "soon" is not a date`},
		{"ignore without rule", "ignore:\n  - reason: r\n", ".isolint.yaml:2: ignore entry needs a rule"},
		{"bad fail-on", "fail-on: severe\n", `.isolint.yaml:1: fail-on: unknown severity "severe"`},
	} {
		t.Run(c.name, func(t *testing.T) {
			dir := tree(t, map[string]string{"pod.yaml": cleanPod, ".isolint.yaml": c.config})
			code, stdout, stderr := cli(t, dir, "scan")
			if code != exitUsage {
				t.Errorf("exit %d, want 2", code)
			}
			if !strings.HasPrefix(stderr, c.want) {
				t.Errorf("stderr = %q, want it to start with %q", stderr, c.want)
			}
			if stdout != "" {
				t.Errorf("a failed run wrote a report: %q", stdout)
			}
		})
	}
}

func TestFailOn(t *testing.T) {
	dir := tree(t, map[string]string{"pod.yaml": mediumPod})
	for _, c := range []struct {
		args []string
		want int
	}{
		{[]string{"scan"}, exitFindings},
		{[]string{"scan", "--fail-on", "low"}, exitFindings},
		{[]string{"scan", "--fail-on", "medium"}, exitFindings},
		{[]string{"scan", "--fail-on", "high"}, exitOK},
		{[]string{"scan", "--fail-on", "critical"}, exitOK},
	} {
		if code, _, _ := cli(t, dir, c.args...); code != c.want {
			t.Errorf("%v: exit %d, want %d", c.args, code, c.want)
		}
	}
	// the config's fail-on, and the flag over it
	cfgDir := tree(t, map[string]string{"pod.yaml": mediumPod, ".isolint.yaml": "fail-on: high\n"})
	if code, _, _ := cli(t, cfgDir, "scan"); code != exitOK {
		t.Errorf("config fail-on high: exit %d, want 0", code)
	}
	if code, _, _ := cli(t, cfgDir, "scan", "--fail-on", "medium"); code != exitFindings {
		t.Errorf("--fail-on medium over config high: exit %d, want 1", code)
	}
}

// TestOutputFile: -o writes the report there and nothing to stdout.
func TestOutputFile(t *testing.T) {
	dir := tree(t, map[string]string{"pod.yaml": hostNetPod})
	for _, format := range []string{"text", "json", "sarif"} {
		out := filepath.Join(t.TempDir(), "report."+format)
		code, stdout, stderr := cli(t, dir, "scan", "-f", format, "-o", out)
		if code != exitFindings || stdout != "" {
			t.Errorf("%s: exit %d, stdout %q", format, code, stdout)
		}
		b, err := os.ReadFile(out)
		if err != nil || !bytes.Contains(b, []byte("host-network")) {
			t.Errorf("%s: report file: %v, %q", format, err, b)
		}
		if !strings.Contains(stderr, "1 finding(s)") {
			t.Errorf("%s: summary missing from stderr: %q", format, stderr)
		}
		if format != "text" && !json.Valid(b) {
			t.Errorf("%s: report is not JSON", format)
		}
	}
	if code, _, stderr := cli(t, dir, "scan", "-o", filepath.Join(dir, "no", "such", "dir", "r.txt")); code != exitUsage {
		t.Errorf("unwritable -o: exit %d, stderr %q", code, stderr)
	}
}

// TestTypeForcesParser: a manifest in a .txt file is not read unless
// --type k8s says so.
func TestTypeForcesParser(t *testing.T) {
	dir := tree(t, map[string]string{"fixture.txt": hostNetPod})
	if code, _, _ := cli(t, dir, "scan", "fixture.txt"); code != exitEmpty {
		t.Errorf("without --type: exit %d, want 3", code)
	}
	code, stdout, _ := cli(t, dir, "scan", "--type", "k8s", "fixture.txt")
	if code != exitFindings || !strings.HasPrefix(stdout, "fixture.txt:7:3: high host-network: ") {
		t.Errorf("--type k8s: exit %d, stdout %q", code, stdout)
	}
}

func TestConfigFlagAndPolicy(t *testing.T) {
	const inline = `apiVersion: v1
kind: Pod
metadata:
  name: agent
spec:
  serviceAccountName: agent
  hostNetwork: true # isolint:ignore host-network -- reads host interfaces (SEC-1)
  automountServiceAccountToken: false
  securityContext:
    runAsNonRoot: true
    seccompProfile: {type: RuntimeDefault}
  containers:
    - name: agent
      image: example/agent:1
      securityContext:
        allowPrivilegeEscalation: false
        readOnlyRootFilesystem: true
        capabilities: {drop: [ALL]}
`
	dir := tree(t, map[string]string{
		"pod.yaml":            inline,
		"policy/strict.yaml":  "unwaivable: [host-network]\n",
		"policy/nowaive.yaml": "no-inline-ignores: true\n",
		"policy/disable.yaml": "disable: [host-network]\n",
		"policy/lower.yaml":   "severity:\n  host-network: low\n",
	})
	for _, c := range []struct {
		name     string
		args     []string
		want     int
		inStdout []string
		notOut   []string
	}{
		{"inline ignore applies", []string{"scan"}, exitOK, nil, []string{"host-network"}},
		{"--no-inline-ignores", []string{"scan", "--no-inline-ignores"}, exitFindings, []string{"pod.yaml:7:3: high host-network"}, nil},
		{"config no-inline-ignores", []string{"scan", "--config", "policy/nowaive.yaml"}, exitFindings, []string{"pod.yaml:7:3: high host-network"}, nil},
		{"unwaivable", []string{"scan", "--config", "policy/strict.yaml"}, exitFindings,
			[]string{"pod.yaml:7:3: high host-network", "pod.yaml:7:23: medium invalid-ignore: ignore directive waives host-network, which the configuration marks as unwaivable"}, nil},
		{"disable", []string{"scan", "--config", "policy/disable.yaml"}, exitOK, nil, []string{"host-network", "unused-ignore"}},
		{"severity override", []string{"scan", "--config", "policy/lower.yaml", "--no-inline-ignores", "--fail-on", "medium"}, exitOK,
			[]string{"pod.yaml:7:3: low host-network"}, nil},
	} {
		t.Run(c.name, func(t *testing.T) {
			code, stdout, stderr := cli(t, dir, c.args...)
			if code != c.want {
				t.Errorf("exit %d, want %d\nstdout:\n%s\nstderr:\n%s", code, c.want, stdout, stderr)
			}
			for _, s := range c.inStdout {
				if !strings.Contains(stdout, s) {
					t.Errorf("stdout lacks %q:\n%s", s, stdout)
				}
			}
			for _, s := range c.notOut {
				if strings.Contains(stdout, s) {
					t.Errorf("stdout has %q:\n%s", s, stdout)
				}
			}
		})
	}
}

// TestConfigIgnores: waivers keyed by rule + path glob + workload, with
// a reason and an expiry; expired and unmatched ones are reported.
func TestConfigIgnores(t *testing.T) {
	t.Setenv("SOURCE_DATE_EPOCH", "1780272000") // 2026-06-01
	const two = hostNetPod + "---\n" + `apiVersion: v1
kind: Pod
metadata:
  name: other
spec:
  serviceAccountName: other
  hostNetwork: true
  automountServiceAccountToken: false
  securityContext:
    runAsNonRoot: true
    seccompProfile: {type: RuntimeDefault}
  containers:
    - name: other
      image: example/other:1
      securityContext:
        allowPrivilegeEscalation: false
        readOnlyRootFilesystem: true
        capabilities: {drop: [ALL]}
`
	dir := tree(t, map[string]string{
		"deploy/pods.yaml": two,
		".isolint.yaml": `ignore:
  - rule: host-network
    path: deploy/*.yaml
    workload: agent
    reason: reads host interfaces (SEC-1)
    expires: 2026-12-31
  - rule: host-network
    path: deploy/**
    workload: other
    reason: was needed for the migration
    expires: 2026-01-31
  - rule: host-network
    path: legacy/**
    reason: legacy
  - rule: privileged-container
    reason: kept for the next release
`,
	})
	code, stdout, stderr := cli(t, dir, "scan", "--format", "json")
	if code != exitFindings {
		t.Fatalf("exit %d; stderr %s", code, stderr)
	}
	var rep struct {
		Findings []struct {
			RuleID   string `json:"ruleId"`
			Object   string `json:"object"`
			Message  string `json:"message"`
			Location struct {
				File string `json:"file"`
				Line int    `json:"line"`
			} `json:"location"`
			Suppression *struct {
				Kind, Justification, Expires string
			} `json:"suppression"`
		} `json:"findings"`
	}
	if err := json.Unmarshal([]byte(stdout), &rep); err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, f := range rep.Findings {
		s := f.RuleID + " " + f.Location.File + " " + f.Object
		if f.Suppression != nil {
			s += " suppressed(" + f.Suppression.Kind + ", " + f.Suppression.Justification + ", " + f.Suppression.Expires + ")"
		}
		if f.RuleID == "invalid-ignore" || f.RuleID == "unused-ignore" {
			s += ": " + f.Message + " @" + strconv.Itoa(f.Location.Line)
		}
		got = append(got, s)
	}
	want := []string{
		"invalid-ignore .isolint.yaml : config ignore for host-network expired on 2026-01-31 @7",
		"unused-ignore .isolint.yaml : config ignore for host-network matches no finding @12",
		"unused-ignore .isolint.yaml : config ignore for privileged-container matches no finding @15",
		"host-network deploy/pods.yaml Pod/default/agent suppressed(external, reads host interfaces (SEC-1), 2026-12-31)",
		"host-network deploy/pods.yaml Pod/default/other",
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("got:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
}

func TestTextOutput(t *testing.T) {
	repo := tree(t, map[string]string{".git/HEAD": "ref: refs/heads/main\n", "k8s/apps/pod.yaml": hostNetPod, "k8s/apps/bad.yaml": "apiVersion: v1\nkind: Pod\nspec: [\n"})
	// from a subdirectory, text paths are relative to the working
	// directory (clickable); JSON paths stay repository-relative
	code, stdout, stderr := cli(t, filepath.Join(repo, "k8s"), "scan", ".")
	line := regexp.MustCompile(`^apps/pod\.yaml:7:3: high host-network: Pod "agent" .+\n$`)
	if code != exitFindings || !line.MatchString(stdout) {
		t.Errorf("exit %d, stdout %q", code, stdout)
	}
	for _, s := range []string{"apps/bad.yaml:3: error: document 1 is not valid YAML", "isolint: 1 finding(s): 0 critical, 1 high, 0 medium, 0 low; 0 suppressed", "isolint: files: k8s: 2 seen, 2 scanned, 0 skipped, 1 with errors"} {
		if !strings.Contains(stderr, s) {
			t.Errorf("stderr lacks %q:\n%s", s, stderr)
		}
	}
	if strings.Contains(stdout+stderr, "\x1b[") {
		t.Error("colour written to a non-terminal")
	}
	_, js, _ := cli(t, filepath.Join(repo, "k8s"), "scan", ".", "-f", "json")
	if !strings.Contains(js, `"file": "k8s/apps/pod.yaml"`) {
		t.Errorf("JSON paths are not repository-relative:\n%s", js)
	}
}

func TestNoColor(t *testing.T) {
	t.Setenv("NO_COLOR", "1")
	if isTerminal(os.Stdout) {
		t.Error("NO_COLOR set, but colour would be used")
	}
}

func TestRulesExplainVersion(t *testing.T) {
	dir := t.TempDir()
	code, out, _ := cli(t, dir, "rules")
	if code != 0 {
		t.Fatalf("rules: exit %d", code)
	}
	for _, r := range rules.All() {
		if !regexp.MustCompile(`(?m)^` + regexp.QuoteMeta(r.ID) + `\s+` + r.Severity.String() + `\s`).MatchString(out) {
			t.Errorf("rules does not list %s with its severity", r.ID)
		}
	}
	code, out, _ = cli(t, dir, "explain", "privileged-container")
	for _, s := range []string{"privileged-container", "## How to fix", "## Non-compliant (k8s)", "## Compliant (k8s)", "privileged: true", "## Controls"} {
		if code != 0 || !strings.Contains(out, s) {
			t.Errorf("explain: exit %d, output lacks %q", code, s)
		}
	}
	if code, _, stderr := cli(t, dir, "explain", "no-such-rule"); code != exitUsage || !strings.Contains(stderr, `no rule "no-such-rule"`) {
		t.Errorf("explain unknown: exit %d, %q", code, stderr)
	}
	if code, _, _ := cli(t, dir, "explain"); code != exitUsage {
		t.Errorf("explain without an ID: exit %d", code)
	}
	code, out, _ = cli(t, dir, "version")
	if code != 0 || !regexp.MustCompile(`^isolint \S+ \(go\S+, \w+/\w+\)\n$`).MatchString(out) {
		t.Errorf("version: exit %d, %q", code, out)
	}
}

// TestFailOnNever: --fail-on never (or fail-on: never in the config)
// reports without failing, but a scan that checked nothing still exits 3
// and a usage error still exits 2.
func TestFailOnNever(t *testing.T) {
	dir := tree(t, map[string]string{"pod.yaml": hostNetPod})
	code, stdout, stderr := cli(t, dir, "scan", "--fail-on", "never")
	if code != exitOK || !strings.Contains(stdout, "host-network") || !strings.Contains(stderr, "1 finding(s)") {
		t.Errorf("--fail-on never: exit %d, stdout %q, stderr %q", code, stdout, stderr)
	}
	if code, _, _ := cli(t, dir, "scan", "--fail-on", "NEVER", "-f", "sarif"); code != exitOK {
		t.Errorf("--fail-on NEVER -f sarif: exit %d", code)
	}
	cfgDir := tree(t, map[string]string{"pod.yaml": hostNetPod, ".isolint.yaml": "fail-on: never\n"})
	if code, _, _ := cli(t, cfgDir, "scan"); code != exitOK {
		t.Errorf("config fail-on never: exit %d, want 0", code)
	}
	if code, _, _ := cli(t, cfgDir, "scan", "--fail-on", "high"); code != exitFindings {
		t.Errorf("--fail-on high over config never: exit %d, want 1", code)
	}
	if code, _, stderr := cli(t, tree(t, map[string]string{"README.md": "# hi\n"}), "scan", "--fail-on", "never"); code != exitEmpty {
		t.Errorf("--fail-on never on nothing to scan: exit %d, want 3; %s", code, stderr)
	}
	if code, _, stderr := cli(t, dir, "scan", "--fail-on", "sometimes"); code != exitUsage || !strings.Contains(stderr, "critical or never") {
		t.Errorf("--fail-on sometimes: exit %d, %q", code, stderr)
	}
}

// TestVersionFlag: --version and -v print what `isolint version` prints.
func TestVersionFlag(t *testing.T) {
	dir := t.TempDir()
	_, want, _ := cli(t, dir, "version")
	for _, arg := range []string{"--version", "-v"} {
		if code, out, _ := cli(t, dir, arg); code != exitOK || out != want {
			t.Errorf("%s: exit %d, %q, want %q", arg, code, out, want)
		}
	}
}

// TestQuiet: -q leaves only error notices on standard error; the findings,
// the exit code and the exit-3 message are unchanged.
func TestQuiet(t *testing.T) {
	dir := tree(t, map[string]string{"pod.yaml": hostNetPod, "big.yaml": cleanPod + strings.Repeat("# padding\n", 100),
		"bad.yaml": "apiVersion: v1\nkind: Pod\nspec: [\n"})
	code, stdout, stderr := cli(t, dir, "scan", "-q", "--max-file-size", "1KiB")
	if code != exitFindings || !strings.Contains(stdout, "host-network") {
		t.Errorf("-q: exit %d, stdout %q", code, stdout)
	}
	if !strings.Contains(stderr, "bad.yaml:3: error:") || strings.Contains(stderr, "isolint:") || strings.Contains(stderr, "big.yaml") {
		t.Errorf("-q: stderr should hold the parse error only:\n%s", stderr)
	}
	_, _, loud := cli(t, dir, "scan", "--max-file-size", "1KiB")
	if !strings.Contains(loud, "big.yaml: note: skipped") || !strings.Contains(loud, "isolint: files:") {
		t.Errorf("without -q: stderr lacks the note or the summary:\n%s", loud)
	}
	clean := tree(t, map[string]string{"pod.yaml": cleanPod})
	if code, stdout, stderr := cli(t, clean, "scan", "--quiet"); code != exitOK || stdout != "" || stderr != "" {
		t.Errorf("--quiet on a clean tree: exit %d, %q %q", code, stdout, stderr)
	}
	if code, _, stderr := cli(t, tree(t, map[string]string{"README.md": "# hi\n"}), "scan", "-q"); code != exitEmpty || !strings.Contains(stderr, "no supported file found") {
		t.Errorf("-q on nothing to scan: exit %d, %q", code, stderr)
	}
	out := filepath.Join(t.TempDir(), "b.json")
	if code, _, stderr := cli(t, clean, "baseline", "-q", "-o", out); code != exitOK || stderr != "" {
		t.Errorf("baseline -q: exit %d, %q", code, stderr)
	}
	if code, _, stderr := cli(t, clean, "report", "-q", "--framework", "pss", "-o", out); code != exitOK || stderr != "" {
		t.Errorf("report -q: exit %d, %q", code, stderr)
	}
}

// TestColorFlag: --color always colours text output and notices even off a
// terminal and with NO_COLOR set; never and auto (off a terminal) do not.
func TestColorFlag(t *testing.T) {
	dir := tree(t, map[string]string{"pod.yaml": hostNetPod, "bad.yaml": "apiVersion: v1\nkind: Pod\nspec: [\n"})
	t.Setenv("NO_COLOR", "1")
	code, stdout, stderr := cli(t, dir, "scan", "--color", "always")
	if code != exitFindings || !strings.Contains(stdout, "\x1b[31mhigh\x1b[0m") || !strings.Contains(stderr, "\x1b[2merror\x1b[0m") {
		t.Errorf("--color always: exit %d, %q %q", code, stdout, stderr)
	}
	for _, when := range []string{"never", "auto"} {
		if _, stdout, stderr := cli(t, dir, "scan", "--color", when); strings.Contains(stdout+stderr, "\x1b[") {
			t.Errorf("--color %s off a terminal: colour written", when)
		}
	}
	if code, _, stderr := cli(t, dir, "scan", "--color", "sometimes"); code != exitUsage || !strings.Contains(stderr, `unknown --color "sometimes"`) {
		t.Errorf("--color sometimes: exit %d, %q", code, stderr)
	}
	if colorMode("auto").use(os.Stdout) {
		t.Error("--color auto with NO_COLOR set would colour")
	}
}

// TestFlagHelpNamesArgument: every flag that takes a value names it in
// --help (`--baseline FILE`), never by its Go type or a word of its text.
func TestFlagHelpNamesArgument(t *testing.T) {
	root := newRootCmd(&bytes.Buffer{}, &bytes.Buffer{})
	cmds := append(root.Commands(), root)
	for _, c := range cmds {
		c.Flags().VisitAll(func(f *pflag.Flag) {
			name, _ := pflag.UnquoteUsage(f)
			if f.Value.Type() == "bool" {
				if name != "" {
					t.Errorf("%s --%s is a switch but its help names an argument %q", c.Name(), f.Name, name)
				}
				return
			}
			if !regexp.MustCompile(`^[A-Z][A-Z-]*$`).MatchString(name) {
				t.Errorf("%s --%s: help names its argument %q, want a word in capitals", c.Name(), f.Name, name)
			}
		})
	}
	var help bytes.Buffer
	if code := run([]string{"scan", "--help"}, &help, &help); code != exitOK {
		t.Fatalf("scan --help: exit %d", code)
	}
	for _, s := range []string{"--baseline FILE ", "-o, --output FILE ", "--fail-on SEVERITY ", "--color WHEN ", "-q, --quiet "} {
		if !strings.Contains(help.String(), s) {
			t.Errorf("scan --help lacks %q:\n%s", s, help.String())
		}
	}
}

// TestSizeSkipCounted: a file skipped for its size counts as a skipped file
// of its format (by --type, its path, or the head of its content), not as a
// file of no supported format; so a tree whose only manifest is too large
// is not "no supported file" but a skip the summary shows. The head of a
// file that tells no format (values.yaml, a pipeline without --type) still
// counts as no supported format.
func TestSizeSkipCounted(t *testing.T) {
	pad := strings.Repeat("# padding\n", 200)
	dir := tree(t, map[string]string{
		"deploy/big.yaml":  cleanPod + pad,                                          // Kubernetes by content
		"compose.yaml":     "services:\n  web:\n    image: nginx\n" + pad,           // Compose by name
		"ci/pipeline.yaml": "jobs: {}\n" + pad,                                      // by --type only
		"data/values.yaml": "replicas: 2\n" + pad,                                   // no format at all
		"deploy/pod.yaml":  hostNetPod,                                              // read
		"huge.json":        `{"apiVersion": "v1", "kind": "List", "items": [` + pad, // JSON, cut mid-document
	})
	code, _, stderr := cli(t, dir, "scan", "--max-file-size", "1KiB")
	if code != exitFindings {
		t.Errorf("exit %d, want 1", code)
	}
	want := "isolint: files: compose: 1 seen, 0 scanned, 1 skipped; k8s: 3 seen, 1 scanned, 2 skipped; 2 YAML/JSON file(s) of no supported format"
	if !strings.Contains(stderr, want) {
		t.Errorf("stderr lacks %q:\n%s", want, stderr)
	}
	// the only manifest skipped: a skip, not "no supported file found"
	only := tree(t, map[string]string{"big.yaml": cleanPod + pad})
	_, _, stderr = cli(t, only, "scan", "--max-file-size", "1KiB")
	if !strings.Contains(stderr, "k8s: 1 seen, 0 scanned, 1 skipped") || strings.Contains(stderr, "no supported") {
		t.Errorf("only an oversize manifest:\n%s", stderr)
	}
	code, _, stderr = cli(t, dir, "scan", "--max-file-size", "1KiB", "--type", "gha", "ci")
	// skipped, so not checked: it fails closed (exit 5), not clean
	if code != exitUnread || !strings.Contains(stderr, "gha: 1 seen, 0 scanned, 1 skipped") {
		t.Errorf("--type gha on an oversize file: exit %d\n%s", code, stderr)
	}
}
