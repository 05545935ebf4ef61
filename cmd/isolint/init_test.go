package main

import (
	"os"
	"path/filepath"
	"reflect"
	"regexp"
	"strings"
	"testing"

	"github.com/isolint/isolint/config"
	yaml "go.yaml.in/yaml/v3"
)

// TestInitConfig: `isolint init` writes a .isolint.yaml that loads, sets
// nothing isolint does not do by default, and names every key the config
// accepts, so that uncommenting its examples sets every one of them.
func TestInitConfig(t *testing.T) {
	dir := t.TempDir()
	code, stdout, stderr := cli(t, dir, "init")
	if code != exitOK || stdout != "" || !strings.Contains(stderr, "wrote .isolint.yaml") {
		t.Fatalf("init: exit %d, %q %q", code, stdout, stderr)
	}
	if _, err := os.Stat(filepath.Join(dir, ".github")); err == nil {
		t.Error("init without --github wrote .github")
	}
	cfg, err := config.Load(filepath.Join(dir, ".isolint.yaml"), ".isolint.yaml")
	if err != nil {
		t.Fatalf("the starter config does not load: %v", err)
	}
	if len(cfg.Exclude)+len(cfg.Disable)+len(cfg.Severity)+len(cfg.Ignore)+len(cfg.Unwaivable)+len(cfg.CustomKinds) != 0 ||
		cfg.FailOn != "low" || cfg.RequireEgressPolicy || cfg.NoInlineIgnores {
		t.Errorf("the starter config changes a default: %+v", cfg)
	}
	// and a scan with it behaves as one without it
	if code, _, stderr := cli(t, tree(t, map[string]string{"pod.yaml": hostNetPod}), "scan", "--config", filepath.Join(dir, ".isolint.yaml")); code != exitFindings {
		t.Errorf("scan with the starter config: exit %d\n%s", code, stderr)
	}

	b, err := os.ReadFile(filepath.Join(dir, ".isolint.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	// the examples are the indented comments
	examples := regexp.MustCompile(`(?m)^( +)# `).ReplaceAll(b, []byte("$1"))
	full, err := config.Parse(examples, filepath.Join(dir, ".isolint.yaml"), ".isolint.yaml")
	if err != nil {
		t.Fatalf("the starter config with its examples uncommented does not load: %v\n%s", err, examples)
	}
	if len(full.Exclude) == 0 || len(full.Disable) == 0 || len(full.Severity) == 0 || len(full.Unwaivable) == 0 || len(full.Ignore) == 0 || len(full.CustomKinds) == 0 {
		t.Errorf("an example is missing: %+v", full)
	}
	var doc map[string]any
	if err := yaml.Unmarshal(examples, &doc); err != nil {
		t.Fatal(err)
	}
	for _, key := range yamlKeys(reflect.TypeFor[config.Config]()) {
		if _, ok := doc[key]; !ok {
			t.Errorf("the starter config lacks the key %s", key)
		}
	}
	for list, typ := range map[string]reflect.Type{"ignore": reflect.TypeFor[config.Ignore](), "custom-kinds": reflect.TypeFor[config.CustomKind]()} {
		entries, _ := doc[list].([]any)
		if len(entries) == 0 {
			t.Errorf("no %s example", list)
			continue
		}
		entry, _ := entries[0].(map[string]any)
		for _, key := range yamlKeys(typ) {
			if _, ok := entry[key]; !ok {
				t.Errorf("the %s example lacks %s", list, key)
			}
		}
	}
}

// yamlKeys lists the YAML keys a struct decodes.
func yamlKeys(t reflect.Type) []string {
	var keys []string
	for f := range t.Fields() {
		if name, _, _ := strings.Cut(f.Tag.Get("yaml"), ","); name != "" && name != "-" {
			keys = append(keys, name)
		}
	}
	return keys
}

// TestInitGates: --github and --gitlab write the README's CI gates, which
// isolint itself finds nothing in.
func TestInitGates(t *testing.T) {
	root := moduleRoot(t)
	dir := t.TempDir()
	if code, _, stderr := cli(t, dir, "init", "--github", "--gitlab"); code != exitOK {
		t.Fatalf("init --github --gitlab: exit %d\n%s", code, stderr)
	}
	readme, err := os.ReadFile(filepath.Join(root, "README.md"))
	if err != nil {
		t.Fatal(err)
	}
	for _, path := range []string{".github/workflows/isolint.yml", ".gitlab-ci.yml"} {
		b, err := os.ReadFile(filepath.Join(dir, path))
		if err != nil {
			t.Fatal(err)
		}
		if !strings.HasPrefix(string(b), "# "+path+"\n") || !strings.Contains(string(readme), "```yaml\n"+string(b)+"```\n") {
			t.Errorf("%s is not the README's gate:\n%s", path, b)
		}
	}
	// third-party actions in the gate are pinned by commit, as in action.yml
	workflow, _ := os.ReadFile(filepath.Join(dir, ".github/workflows/isolint.yml"))
	for _, m := range regexp.MustCompile(`(?m)uses: (\S+)(.*)$`).FindAllStringSubmatch(string(workflow), -1) {
		if strings.HasPrefix(m[1], "isolint/isolint@") {
			continue // this repository's own release
		}
		if !regexp.MustCompile(`@[0-9a-f]{40}$`).MatchString(m[1]) || !strings.Contains(m[2], "# v") {
			t.Errorf("the GitHub gate uses %s%s: not pinned by commit with its release named", m[1], m[2])
		}
	}
	code, stdout, stderr := cli(t, dir, "scan")
	if code != exitOK || stdout != "" || !strings.Contains(stderr, "gha: 1 seen, 1 scanned") || !strings.Contains(stderr, "gitlab: 1 seen, 1 scanned") {
		t.Errorf("scan of the starter files: exit %d, %q\n%s", code, stdout, stderr)
	}
}

// TestInitNeverOverwrites: if any file init would write exists (even as a
// dangling symlink), init names it, writes nothing and exits 2.
func TestInitNeverOverwrites(t *testing.T) {
	dir := tree(t, map[string]string{".gitlab-ci.yml": "stages: [build]\n"})
	code, _, stderr := cli(t, dir, "init", "--github", "--gitlab")
	if code != exitUsage || !strings.Contains(stderr, ".gitlab-ci.yml already exist") {
		t.Errorf("init over .gitlab-ci.yml: exit %d, %q", code, stderr)
	}
	for _, p := range []string{".isolint.yaml", ".github"} {
		if _, err := os.Lstat(filepath.Join(dir, p)); err == nil {
			t.Errorf("%s written although init failed", p)
		}
	}
	if b, _ := os.ReadFile(filepath.Join(dir, ".gitlab-ci.yml")); string(b) != "stages: [build]\n" {
		t.Errorf(".gitlab-ci.yml changed: %q", b)
	}
	if err := os.Symlink("nowhere", filepath.Join(dir, ".isolint.yaml")); err != nil {
		t.Fatal(err)
	}
	if code, _, stderr := cli(t, dir, "init"); code != exitUsage || !strings.Contains(stderr, ".isolint.yaml already exist") {
		t.Errorf("init over a dangling symlink: exit %d, %q", code, stderr)
	}
	if _, err := os.Stat(filepath.Join(dir, "nowhere")); err == nil {
		t.Error("init wrote through a symlink")
	}
	if code, _, _ := cli(t, dir, "init", "no/such/dir"); code != exitUsage {
		t.Errorf("init into a missing directory: exit %d", code)
	}
	if code, _, _ := cli(t, dir, "init", ".gitlab-ci.yml"); code != exitUsage {
		t.Errorf("init into a file: exit %d", code)
	}
}
