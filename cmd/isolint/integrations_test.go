package main

import (
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/isolint/isolint/scanners"
	"github.com/isolint/isolint/scanners/golang"
	yaml "go.yaml.in/yaml/v3"
)

// runAction runs the action's run step (scripts/github-action.sh) with the
// given inputs in dir, as the runner would.
func runAction(t *testing.T, dir string, inputs map[string]string) (code int, stdout, outputs string) {
	t.Helper()
	root := moduleRoot(t)
	ghOut := filepath.Join(t.TempDir(), "github_output")
	cmd := exec.Command("bash", filepath.Join(root, "scripts/github-action.sh"))
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), "ISOLINT="+binary(t), "GITHUB_OUTPUT="+ghOut)
	for k, v := range inputs {
		cmd.Env = append(cmd.Env, "INPUT_"+k+"="+v)
	}
	out, err := cmd.Output()
	if ee, ok := err.(*exec.ExitError); ok {
		code = ee.ExitCode()
	} else if err != nil {
		t.Fatal(err)
	}
	b, _ := os.ReadFile(ghOut)
	return code, string(out), string(b)
}

// TestActionScript: the action writes isolint.sarif by default, fails the
// step on findings unless fail-on is never, passes the baseline, splits
// paths on spaces or lines, and records its outputs.
func TestActionScript(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the binary")
	}
	dir := tree(t, map[string]string{"deploy/pod.yaml": hostNetPod, "my app/pod.yaml": strings.ReplaceAll(hostNetPod, "agent", "other")})

	code, _, outputs := runAction(t, dir, map[string]string{"PATHS": "deploy"})
	if code != exitFindings || !strings.Contains(outputs, "exit-code=1") || !strings.Contains(outputs, "output=isolint.sarif") {
		t.Errorf("default: exit %d, outputs %q", code, outputs)
	}
	if b, err := os.ReadFile(filepath.Join(dir, "isolint.sarif")); err != nil || !strings.Contains(string(b), `"version": "2.1.0"`) {
		t.Errorf("isolint.sarif: %v", err)
	}

	code, _, outputs = runAction(t, dir, map[string]string{"PATHS": "deploy", "FAIL_ON": "never", "SARIF_CATEGORY": "iac"})
	if code != exitOK || !strings.Contains(outputs, "exit-code=1") {
		t.Errorf("fail-on never: exit %d, outputs %q", code, outputs)
	}

	code, stdout, _ := runAction(t, dir, map[string]string{"PATHS": "deploy\nmy app", "FORMAT": "github"})
	if code != exitFindings || !regexp.MustCompile(`(?m)^::error file=deploy/pod\.yaml,line=\d+`).MatchString(stdout) || !strings.Contains(stdout, "file=my app/pod.yaml") {
		t.Errorf("github annotations for two paths, one with a space: exit %d, %q", code, stdout)
	}

	if c, _, e := runBinary(t, dir, nil, "baseline", "deploy"); c != exitOK {
		t.Fatalf("baseline: %d %s", c, e)
	}
	code, _, _ = runAction(t, dir, map[string]string{"PATHS": "deploy", "BASELINE": ".isolint-baseline.json", "FAIL_ON": "high"})
	if code != exitOK {
		t.Errorf("with the baseline of every finding: exit %d, want 0", code)
	}
}

// TestIntegrationFiles: .pre-commit-hooks.yaml, action.yml and the GitLab
// template say what their users rely on.
func TestIntegrationFiles(t *testing.T) {
	root := moduleRoot(t)
	read := func(p string, into any) {
		t.Helper()
		b, err := os.ReadFile(filepath.Join(root, p))
		if err != nil {
			t.Fatal(err)
		}
		if err := yaml.Unmarshal(b, into); err != nil {
			t.Fatalf("%s: %v", p, err)
		}
	}

	var hooks []map[string]any
	read(".pre-commit-hooks.yaml", &hooks)
	if len(hooks) != 1 || hooks[0]["id"] != "isolint" || hooks[0]["language"] != "golang" || hooks[0]["pass_filenames"] != true ||
		!strings.HasPrefix(hooks[0]["entry"].(string), "isolint scan") {
		t.Errorf(".pre-commit-hooks.yaml: %v", hooks)
	}
	// the hook, and the README's local hook, run on every file a scan reads
	readme, err := os.ReadFile(filepath.Join(root, "README.md"))
	if err != nil {
		t.Fatal(err)
	}
	local := regexp.MustCompile(`(?s)- repo: local\n.*?\n\s+files: (\S+)\n`).FindSubmatch(readme)
	if local == nil {
		t.Fatal("README: no local hook with a files pattern")
	}
	reg := scanners.New(scanners.Options{Go: golang.Options{Tests: true}})
	var scanned []string
	for _, dir := range []string{"testdata", "examples"} {
		err := filepath.WalkDir(filepath.Join(root, dir), func(p string, d fs.DirEntry, err error) error {
			if err != nil || d.IsDir() {
				return err
			}
			rel, _ := filepath.Rel(root, p)
			if rel = filepath.ToSlash(rel); reg.Wanted(rel) {
				scanned = append(scanned, rel)
			}
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
	}
	scanned = append(scanned, "deploy/app.yaml", ".github/workflows/ci.yml", "main.tf", "prod.tfvars", "main.tf.json", "compose.yaml",
		"pod.json", "cmd/tool/main.go", ".codex/config.toml", ".devcontainer/devcontainer.json", ".gitlab-ci.yml")
	for name, pattern := range map[string]string{".pre-commit-hooks.yaml": hooks[0]["files"].(string), "README local hook": string(local[1])} {
		files := regexp.MustCompile(pattern)
		for _, p := range scanned {
			if !files.MatchString(p) {
				t.Errorf("%s does not run on %s, which isolint reads", name, p)
			}
		}
	}

	var action struct {
		Inputs map[string]any `yaml:"inputs"`
		Runs   struct {
			Using string           `yaml:"using"`
			Steps []map[string]any `yaml:"steps"`
		} `yaml:"runs"`
	}
	read("action.yml", &action)
	for _, in := range []string{"paths", "format", "fail-on", "baseline", "sarif-category", "output"} {
		if _, ok := action.Inputs[in]; !ok {
			t.Errorf("action.yml lacks input %s", in)
		}
	}
	if action.Runs.Using != "composite" || len(action.Runs.Steps) < 3 {
		t.Errorf("action.yml runs: %+v", action.Runs)
	}
	raw, _ := os.ReadFile(filepath.Join(root, "action.yml"))
	// a third-party action is pinned by commit, with its release named
	pinned := regexp.MustCompile(`(?m)^\s*(?:- )?uses: [\w.-]+/[\w./-]+@[0-9a-f]{40} # v\d+\.\d+\.\d+$`)
	uses := 0
	for _, s := range action.Runs.Steps {
		if run, _ := s["run"].(string); strings.Contains(run, "${{") {
			t.Errorf("a run step interpolates an expression into the script: %q", run)
		}
		u, _ := s["uses"].(string)
		if u == "" {
			continue
		}
		uses++
		if !regexp.MustCompile(`@[0-9a-f]{40}$`).MatchString(u) {
			t.Errorf("action.yml uses %s, not pinned by commit", u)
		}
		if with, _ := s["with"].(map[string]any); strings.HasPrefix(u, "actions/setup-go@") && (with["cache"] != false || s["if"] == nil) {
			t.Errorf("setup-go must run only without a usable Go, with its workspace-keyed cache off: %v", s)
		}
	}
	if n := len(pinned.FindAll(raw, -1)); uses < 3 || n != uses {
		t.Errorf("%d of %d uses: lines are pinned by commit with a version comment", n, uses)
	}
	// the keys come from the action's own files: hashFiles() and setup-go's
	// cache-dependency-path only see the caller's workspace
	for _, bad := range []string{"hashFiles(", "cache-dependency-path"} {
		if strings.Contains(string(raw), bad) {
			t.Errorf("action.yml uses %s, whose key is computed in the caller's workspace", bad)
		}
	}
	// nothing the caller's later steps see is changed: no PATH, no env
	for _, p := range []string{"action.yml", "scripts/github-action-setup.sh", "scripts/github-action-install.sh", "scripts/github-action.sh"} {
		b, err := os.ReadFile(filepath.Join(root, p))
		if err != nil {
			t.Fatal(err)
		}
		if strings.Contains(string(b), "GITHUB_PATH") || strings.Contains(string(b), "GITHUB_ENV") {
			t.Errorf("%s changes the caller's PATH or environment", p)
		}
	}

	var gitlab map[string]any
	read("ci/isolint.gitlab-ci.yml", &gitlab)
	job, _ := gitlab["isolint"].(map[string]any)
	reports, _ := job["artifacts"].(map[string]any)["reports"].(map[string]any)
	if reports["codequality"] != "gl-code-quality-report.json" {
		t.Errorf("the GitLab template publishes no Code Quality report: %v", reports)
	}
	// and isolint finds nothing to say about its own integrations
	if code, stdout, stderr := cli(t, root, "scan", "action.yml", "ci/isolint.gitlab-ci.yml"); code != exitOK || stdout != "" || !strings.Contains(stderr, "gha: 1") || !strings.Contains(stderr, "gitlab: 1") {
		t.Errorf("isolint on its own action and template: exit %d, %q %q", code, stdout, stderr)
	}
}

// TestActionSetupScript: the action's first step keys the binary's cache
// on every file of the action's source and the module cache on its go.sum,
// both under RUNNER_TEMP, and uses a Go already on PATH only when it can
// fetch the toolchain go.mod asks for (1.21 or later).
func TestActionSetupScript(t *testing.T) {
	root := moduleRoot(t)
	action := tree(t, map[string]string{"go.mod": "module x\n", "go.sum": "a v1 h1:x\n", "cmd/isolint/main.go": "package main\n", "data/controls.json": "{}\n"})
	temp := t.TempDir()
	fakeGo := func(version string) string {
		dir := t.TempDir()
		if version != "" {
			script := "#!/bin/sh\n[ \"$1 $2\" = 'env GOVERSION' ] && echo " + version + "\n"
			if err := os.WriteFile(filepath.Join(dir, "go"), []byte(script), 0o755); err != nil {
				t.Fatal(err)
			}
		}
		return dir
	}
	// the tools the script needs, and no Go but the fake one
	tools := t.TempDir()
	for _, name := range []string{"find", "sort", "xargs", "sha256sum", "cut"} {
		p, err := exec.LookPath(name)
		if err != nil {
			t.Skipf("%s: %v", name, err)
		}
		if err := os.Symlink(p, filepath.Join(tools, name)); err != nil {
			t.Fatal(err)
		}
	}
	bash, err := exec.LookPath("bash")
	if err != nil {
		t.Skip(err)
	}
	setup := func(goDir string) map[string]string {
		t.Helper()
		out := filepath.Join(t.TempDir(), "github_output")
		cmd := exec.Command(bash, filepath.Join(root, "scripts/github-action-setup.sh"))
		cmd.Dir = t.TempDir() // the caller's workspace: not read
		cmd.Env = []string{"PATH=" + goDir + ":" + tools, "GITHUB_ACTION_PATH=" + action, "RUNNER_TEMP=" + temp,
			"RUNNER_OS=Linux", "RUNNER_ARCH=X64", "GITHUB_OUTPUT=" + out}
		if b, err := cmd.CombinedOutput(); err != nil {
			t.Fatalf("setup: %v\n%s", err, b)
		}
		b, _ := os.ReadFile(out)
		kv := map[string]string{}
		for _, l := range strings.Split(strings.TrimSpace(string(b)), "\n") {
			k, v, _ := strings.Cut(l, "=")
			kv[k] = v
		}
		return kv
	}
	newGo := fakeGo("go1.22.5")
	first := setup(newGo)
	if first["bin"] != temp+"/isolint-bin/isolint" || first["mod-dir"] != temp+"/isolint-gomod" || first["go"] != newGo+"/go" {
		t.Errorf("outputs: %v", first)
	}
	if !regexp.MustCompile(`^isolint-bin-Linux-X64-[0-9a-f]{64}$`).MatchString(first["key"]) ||
		!regexp.MustCompile(`^isolint-gomod-Linux-X64-[0-9a-f]{64}$`).MatchString(first["mod-key"]) {
		t.Errorf("keys: %v", first)
	}
	if again := setup(newGo); again["key"] != first["key"] || again["mod-key"] != first["mod-key"] {
		t.Errorf("keys differ between two runs on the same source: %v %v", first, again)
	}
	if err := os.WriteFile(filepath.Join(action, "data/controls.json"), []byte("{\"v\": 2}\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	if changed := setup(newGo); changed["key"] == first["key"] || changed["mod-key"] != first["mod-key"] {
		t.Errorf("an embedded data file changed: the binary key must change, the module key not: %v %v", first, changed)
	}
	for _, c := range []struct{ name, dir string }{{"go1.20", fakeGo("go1.20.14")}, {"no go", fakeGo("")}} {
		if got := setup(c.dir); got["go"] != "" {
			t.Errorf("%s on PATH: go = %q, want empty (setup-go instead)", c.name, got["go"])
		}
	}
}

// TestReportScreenshotPaths: scripts/report-screenshot.sh takes its output
// and its paths from the caller's working directory, so `.` from inside
// another repository reports on that repository, not on isolint's tree.
// Chromium is a stand-in that records the page it was given.
func TestReportScreenshotPaths(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the binary")
	}
	root := moduleRoot(t)
	fake := t.TempDir()
	chromium := "#!/bin/sh\nfor a; do case $a in --screenshot=*) echo png > \"${a#--screenshot=}\";; file://*) echo \"${a#file://}\" > \"$FAKE_LOG\";; esac; done\n"
	if err := os.WriteFile(filepath.Join(fake, "chromium"), []byte(chromium), 0o755); err != nil {
		t.Fatal(err)
	}
	other := tree(t, map[string]string{"deploy/agent.yaml": hostNetPod})
	log := filepath.Join(t.TempDir(), "page")
	cmd := exec.Command("bash", filepath.Join(root, "scripts/report-screenshot.sh"), "pss", "out/shot.png", ".")
	cmd.Dir = other
	if err := os.Mkdir(filepath.Join(other, "out"), 0o755); err != nil {
		t.Fatal(err)
	}
	cmd.Env = append(os.Environ(), "PATH="+fake+":"+os.Getenv("PATH"), "ISOLINT="+binary(t), "FAKE_LOG="+log)
	if b, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("report-screenshot.sh: %v\n%s", err, b)
	}
	page, err := os.ReadFile(filepath.Join(other, "out/shot.html"))
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(page), "deploy/agent.yaml") || strings.Contains(string(page), "examples/") {
		t.Errorf("the report is not of the caller's tree")
	}
	if _, err := os.Stat(filepath.Join(other, "out/shot.png")); err != nil {
		t.Errorf("screenshot not written where the caller asked: %v", err)
	}
	if shown, _ := os.ReadFile(log); strings.TrimSpace(string(shown)) != filepath.Join(other, "out/shot.html") {
		if real, _ := filepath.EvalSymlinks(filepath.Join(other, "out/shot.html")); strings.TrimSpace(string(shown)) != real {
			t.Errorf("Chromium was shown %q", shown)
		}
	}
}
