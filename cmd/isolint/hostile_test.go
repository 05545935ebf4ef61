package main

import (
	"os"
	"path/filepath"
	"regexp"
	"runtime"
	"strings"
	"testing"

	"github.com/isolint/isolint/model"
	"github.com/isolint/isolint/rules"
)

// Hostile inputs (issue 12): each is generated here, never checked in, and
// run through the built binary, so that a fatal error (a stack overflow
// no recover catches) fails the test rather than the test process.

func nest(open, inner, close string, n int) string {
	return strings.Repeat(open, n) + inner + strings.Repeat(close, n)
}

// privilegedPod has one critical finding (privileged-container) at line 8.
const privilegedPod = `apiVersion: v1
kind: Pod
metadata:
  name: web
spec:
  containers:
    - name: web
      securityContext: {privileged: true}
`

func TestDeepNestingIsANoticeNotACrash(t *testing.T) {
	const n = 100_000
	dir := tree(t, map[string]string{
		"vars.tfvars":        "a = 1\nx = " + nest("[", "", "]", n) + "\n",
		"paren/main.tf":      "locals {\n  x = " + nest("(", "1", ")", n) + "\n}\n",
		"json/main.tf.json":  nest(`{"a":`, "1", "}", 6*n),
		"tmpl/main.tf":       "locals {\n  x = \"" + nest("${[", "", "]}", n) + "\"\n}\n",
		".codex/config.toml": "[mcp_servers.x]\ncommand = \"npx\"\nargs = " + nest("[", "", "]", n) + "\n",
		"deep.json":          `{"apiVersion":"v1","kind":"Pod","x":` + nest("[", "", "]", n) + "}",
		"k8s/pod.yaml":       privilegedPod,
	})
	code, stdout, stderr := runBinary(t, dir, nil, "scan", ".")
	if code != exitFindings {
		t.Fatalf("exit %d, want %d (the pod's finding); stderr:\n%.2000s", code, exitFindings, stderr)
	}
	if !strings.Contains(string(stdout), "k8s/pod.yaml:8:") {
		t.Errorf("the pod's finding is missing:\n%s", stdout)
	}
	for _, want := range []string{
		"vars.tfvars:2: error: not valid Terraform: Nesting too deep",
		"paren/main.tf:2: error: not valid Terraform: Nesting too deep",
		"json/main.tf.json:1: error: not valid Terraform: Nesting too deep",
		"tmpl/main.tf:2: error: not valid Terraform: Nesting too deep",
		".codex/config.toml:3: error: not valid TOML: nesting is deeper than 256 levels",
		"deep.json:1: error:",
	} {
		if !strings.Contains(string(stderr), want) {
			t.Errorf("stderr lacks %q:\n%.3000s", want, stderr)
		}
	}
}

// TestFailClosed: a file isolint could not read or parse, or skipped, is
// not a pass: the exit code says so unless --allow-unread.
func TestFailClosed(t *testing.T) {
	broken := privilegedPod + "    env: [\n" // the only critical finding, in a file that does not parse
	for _, c := range []struct {
		name  string
		files map[string]string
		args  []string
		want  int
		inErr string
	}{
		{"unparseable", map[string]string{"pod.yaml": broken, "ok.yaml": cleanPod}, []string{"scan", "--fail-on", "critical"}, exitUnread, "1 file(s) not checked in full: pod.yaml"},
		{"unparseable, allowed", map[string]string{"pod.yaml": broken, "ok.yaml": cleanPod}, []string{"scan", "--fail-on", "critical", "--allow-unread"}, exitOK, "pod.yaml:6: error: document 1 is not valid YAML"},
		{"oversize", map[string]string{"big.yaml": cleanPod + strings.Repeat("# padding\n", 100), "ok.yaml": cleanPod}, []string{"scan", "--max-file-size", "1000"}, exitUnread, "1 file(s) not checked in full: big.yaml"},
		{"only unread", map[string]string{"big.yaml": cleanPod}, []string{"scan", "--max-file-size", "100"}, exitUnread, "big.yaml"},
		{"binary", map[string]string{"compose.yaml": "services:\x00\n", "ok.yaml": cleanPod}, []string{"scan"}, exitUnread, "1 file(s) not checked in full: compose.yaml"},
		// no format claims them: skipped, but nothing was left unchecked
		{"binary, no format", map[string]string{"logo.json": "\x89PNG\x00\n", "ok.yaml": cleanPod}, []string{"scan"}, exitOK, "skipped: binary file"},
		{"oversize, no format", map[string]string{"package-lock.json": `{"lockfileVersion": 3}` + strings.Repeat(" ", 2000), "ok.yaml": cleanPod}, []string{"scan", "--max-file-size", "1000"}, exitOK, "package-lock.json: note: skipped"},
		{"bad terraform", map[string]string{"main.tf": "resource \"x\" {\n", "ok.yaml": cleanPod}, []string{"scan"}, exitUnread, "main.tf"},
		{"findings first", map[string]string{"pod.yaml": broken, "net.yaml": hostNetPod}, []string{"scan"}, exitFindings, "not valid YAML"},
		{"clean", map[string]string{"ok.yaml": cleanPod}, []string{"scan"}, exitOK, "0 finding(s)"},
	} {
		t.Run(c.name, func(t *testing.T) {
			code, _, stderr := cli(t, tree(t, c.files), c.args...)
			if code != c.want || !strings.Contains(stderr, c.inErr) {
				t.Errorf("exit %d, want %d; stderr (want %q):\n%s", code, c.want, c.inErr, stderr)
			}
		})
	}
}

// TestOutputInjection: names and values from the scanned files cannot
// start a line of their own (a GitHub workflow command) or reach a
// terminal as an escape sequence, in any human-facing stream.
func TestOutputInjection(t *testing.T) {
	if runtime.GOOS == "windows" {
		t.Skip("file names with ':'")
	}
	const evilName = "p\n::add-mask::x\n::error file=README.md,line=1::pwned\x1b]0;title\x07\u2028::warning::x"
	pod := strings.Replace(privilegedPod, "name: web\nspec", "name: \""+strings.NewReplacer("\n", `\n`, "\x1b", `\e`, "\x07", `\a`).Replace(evilName)+"\"\nspec", 1)
	dir := tree(t, map[string]string{
		"::error title=pwned::x.yaml": privilegedPod,
		"evil.yaml":                   pod,
		"bad\x1b[31m.yaml":            "apiVersion: v1\nkind: Pod\nmetadata: {name: [\n",
	})
	command := regexp.MustCompile(`^::(error|warning|notice) file=[^\n:]*,line=\d+`)
	for _, format := range []string{"text", "github", "gitlab", "json", "sarif", "junit"} {
		_, stdout, stderr := runBinary(t, dir, nil, "scan", ".", "--format", format, "--allow-unread")
		for name, out := range map[string][]byte{"stdout": stdout, "stderr": stderr} {
			if strings.ContainsAny(string(out), "\x1b\x07\u2028") {
				t.Errorf("%s %s holds a control character:\n%q", format, name, out)
			}
			for _, l := range strings.Split(string(out), "\n") {
				if strings.HasPrefix(strings.TrimLeft(l, " \t"), "::") && !(format == "github" && name == "stdout" && command.MatchString(l)) {
					t.Errorf("%s %s: a line isolint did not write as a command starts with '::': %q", format, name, l)
				}
			}
		}
		if format == "text" && !strings.Contains(string(stdout), "./::error title=pwned::x.yaml:8:") {
			t.Errorf("text: the finding in the ::-named file is missing or unescaped:\n%s", stdout)
		}
		if format == "github" {
			for _, l := range strings.Split(strings.TrimSuffix(string(stdout), "\n"), "\n") {
				if !command.MatchString(l) {
					t.Errorf("github: a line that is not a command: %q", l)
				}
			}
		}
	}
}

// TestReportInjection: the Markdown compliance report, often printed to a
// CI log or a step summary, carries no control character from the input.
func TestReportInjection(t *testing.T) {
	if runtime.GOOS == "windows" {
		t.Skip("file names with escapes")
	}
	dir := tree(t, map[string]string{"bad\x1b]0;x\x07\n::error::x.yaml": privilegedPod})
	_, stdout, stderr := runBinary(t, dir, nil, "report", "--framework", "nist-800-53", "--format", "md", ".")
	if len(stdout) == 0 || strings.ContainsAny(string(stdout)+string(stderr), "\x1b\x07") {
		t.Errorf("the report holds a control character or is empty:\n%q\n%q", stdout, stderr)
	}
	for _, l := range strings.Split(string(stdout)+string(stderr), "\n") {
		if strings.HasPrefix(l, "::") {
			t.Errorf("a line starts with '::': %q", l)
		}
	}
}

// TestParseErrorsQuoteNothing: an unquoted value in a .tf.json was echoed
// in the notice, and from there in every output.
func TestParseErrorsQuoteNothing(t *testing.T) {
	const secret = "CorrectHorseBatteryStaple"
	dir := tree(t, map[string]string{
		"main.tf.json": `{"variable": {"password": {"default": ` + secret + `}}}`,
		"main2.tf":     "variable \"x\" {\n  default = \"" + secret + "\n}\n",
		"vars.tfvars":  "password = " + secret + " " + secret + "\n",
	})
	for _, format := range []string{"text", "json", "sarif", "github", "gitlab", "junit"} {
		code, stdout, stderr := runBinary(t, dir, nil, "scan", ".", "--format", format)
		if code != exitUnread {
			t.Errorf("%s: exit %d, want %d", format, code, exitUnread)
		}
		if strings.Contains(string(stdout)+string(stderr), secret) {
			t.Errorf("%s: the value appears in the output:\n%s\n%s", format, stdout, stderr)
		}
	}
	_, _, stderr := cli(t, dir, "scan", ".")
	if !strings.Contains(stderr, "main.tf.json:1: error: not valid Terraform: Invalid JSON keyword") {
		t.Errorf("the notice lost its line or what was expected:\n%s", stderr)
	}
}

// TestConfigOutsideRootIsNotRead: a .isolint.yaml symlinked out of the
// scanned tree is refused, and nothing of the file it points to is shown.
func TestConfigOutsideRootIsNotRead(t *testing.T) {
	outside := filepath.Join(t.TempDir(), "shadow")
	if err := os.WriteFile(outside, []byte("root:CorrectHorseBatteryStaple:19000::\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	dir := tree(t, map[string]string{"pod.yaml": cleanPod})
	if err := os.Symlink(outside, filepath.Join(dir, ".isolint.yaml")); err != nil {
		t.Skip("no symlinks:", err)
	}
	code, stdout, stderr := cli(t, dir, "scan", ".")
	if code != exitUsage || !strings.Contains(stderr, ".isolint.yaml: config is a symlink to a file outside") {
		t.Errorf("exit %d, stderr %q", code, stderr)
	}
	if strings.Contains(stdout+stderr, "CorrectHorse") {
		t.Errorf("the outside file was echoed:\n%s%s", stdout, stderr)
	}
	// named with --config, it is the user's choice (and not YAML here)
	code, _, stderr = cli(t, dir, "scan", ".", "--config", outside)
	if code != exitUsage || strings.Contains(stderr, "outside") {
		t.Errorf("--config: exit %d, stderr %q", code, stderr)
	}
}

// TestUnrenderedIsNotAlsoUnread: a chart that does not render (here, its
// values nest 200,000 deep) exits 4, and --allow-unrendered alone accepts
// it: its files are not counted again as unread (exit 5).
func TestUnrenderedIsNotAlsoUnread(t *testing.T) {
	dir := tree(t, map[string]string{
		"chart/Chart.yaml":         "apiVersion: v2\nname: c\nversion: 0.1.0\n",
		"chart/values.yaml":        "x: " + nest("[", "", "]", 200_000) + "\n",
		"chart/templates/pod.yaml": cleanPod,
	})
	if code, _, stderr := cli(t, dir, "scan", "."); code != exitUnrendered {
		t.Errorf("exit %d, want %d:\n%s", code, exitUnrendered, stderr)
	}
	if code, _, stderr := cli(t, dir, "scan", ".", "--allow-unrendered"); code != exitOK {
		t.Errorf("--allow-unrendered: exit %d, want 0:\n%s", code, stderr)
	}
}

// TestFailClosedOnRuleFault: a rule check that panics (an isolint bug the
// input found) is not a pass either: the file it did not finish, or the
// rule's checks across files, are not checked in full.
func TestFailClosedOnRuleFault(t *testing.T) {
	r := rules.ByID("shared-execution-identity")
	defer func(p func(*rules.Pass, *model.Project)) { r.Project = p }(r.Project)
	r.Project = func(*rules.Pass, *model.Project) { panic("bug") }
	dir := tree(t, map[string]string{"ok.yaml": cleanPod})
	code, _, stderr := cli(t, dir, "scan")
	if want := "1 check(s) across files did not finish: shared-execution-identity"; code != exitUnread || !strings.Contains(stderr, want) {
		t.Errorf("exit %d, want %d; stderr (want %q):\n%s", code, exitUnread, want, stderr)
	}
	if code, _, stderr = cli(t, dir, "scan", "--allow-unread"); code != exitOK || !strings.Contains(stderr, "internal error in shared-execution-identity's checks across files") {
		t.Errorf("--allow-unread: exit %d, want %d; stderr:\n%s", code, exitOK, stderr)
	}
}
