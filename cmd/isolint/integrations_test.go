package main

import (
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

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
	files := regexp.MustCompile(hooks[0]["files"].(string))
	for _, p := range []string{"deploy/app.yaml", ".github/workflows/ci.yml", "main.tf", "prod.tfvars", "compose.yaml", "pod.json", "cmd/tool/main.go"} {
		if !files.MatchString(p) {
			t.Errorf("the hook does not run on %s", p)
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
	if action.Runs.Using != "composite" || len(action.Runs.Steps) < 3 || !strings.HasPrefix(action.Runs.Steps[0]["uses"].(string), "actions/setup-go@") {
		t.Errorf("action.yml runs: %+v", action.Runs)
	}
	for _, s := range action.Runs.Steps {
		if run, _ := s["run"].(string); strings.Contains(run, "${{") {
			t.Errorf("a run step interpolates an expression into the script: %q", run)
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
