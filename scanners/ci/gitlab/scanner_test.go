package gitlab

import (
	"fmt"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/isolint/isolint/internal/testfiles"
	"github.com/isolint/isolint/model"
	"github.com/isolint/isolint/source"
)

const sample = `variables:
  GLOBAL_TOKEN: $PROD_TOKEN
  PLAIN: "1"
  DESCRIBED:
    value: "x"
    description: a variable with a description
default:
  image: alpine:3
  tags: [shared]
.base: &base
  variables:
    FROM_BASE: "yes"
  services:
    - docker:dind
.middle:
  extends: .base
  before_script:
    - echo middle
.scripts:
  setup:
    - echo setup
    - docker run --rm --privileged img
mr:
  extends: .middle
  rules:
    - if: $CI_PIPELINE_SOURCE == "merge_request_event"
  script:
    - !reference [.scripts, setup]
    - echo $GLOBAL_TOKEN
deploy:
  <<: *base
  environment: production
  image:
    name: amazon/aws-cli
  only: [main]
  inherit:
    default: false
  script:
    - deploy
never:
  rules:
    - when: never
  script: [x]
`

func scanString(t testing.TB, files map[string]string) *model.Project {
	dir := t.TempDir()
	testfiles.WriteTree(t, dir, files)
	var fs []*source.File
	for name, src := range files {
		fs = append(fs, &source.File{Path: name, Abs: filepath.Join(dir, filepath.FromSlash(name)), Root: dir, Content: []byte(src)})
	}
	return ScanAll(fs)
}

func job(p *model.Project, name string) *model.Workload {
	for _, w := range p.Workloads {
		if w.Name == name {
			return w
		}
	}
	return nil
}

func TestComposition(t *testing.T) {
	p := scanString(t, map[string]string{".gitlab-ci.yml": sample})
	for _, n := range p.Notices {
		t.Errorf("notice %s: %s", n.Loc, n.Message)
	}
	if len(p.Workloads) != 3 {
		t.Fatalf("%d jobs", len(p.Workloads))
	}
	pipe := p.Pipelines[0]
	if len(pipe.Env) != 3 || pipe.Env[0].FromVar != "PROD_TOKEN" || pipe.Env[2].Value.Value != "x" {
		t.Errorf("pipeline variables %+v", pipe.Env)
	}
	mr := job(p, "mr")
	if mr.CI.Trust != model.TrustUntrusted {
		t.Errorf("mr trust %s", mr.CI.Trust)
	}
	if len(mr.CI.Runner.Labels) != 1 || mr.CI.Runner.Labels[0].Value != "shared" {
		t.Errorf("mr runner %+v", mr.CI.Runner)
	}
	if len(mr.CI.Env) != 1 || mr.CI.Env[0].Name != "FROM_BASE" {
		t.Errorf("mr variables %+v", mr.CI.Env)
	}
	var svc, scripted *model.Container
	for _, c := range mr.Containers {
		switch c.Kind {
		case model.ContainerService:
			svc = c
		case model.ContainerScripted:
			scripted = c
		}
	}
	if svc == nil || !svc.Security.Privileged.IsTrue() || svc.Security.Privileged.Loc.Line != 14 {
		t.Fatalf("dind service %+v", svc)
	}
	inherited := false
	for _, r := range svc.Security.Privileged.Via {
		if strings.Contains(r.Message, "inherited from .base") {
			inherited = true
		}
	}
	if !inherited {
		t.Errorf("dind via %+v", svc.Security.Privileged.Via)
	}
	if scripted == nil || !scripted.Security.Privileged.IsTrue() || scripted.Security.Privileged.Loc.Line != 22 {
		t.Errorf("!reference script container %+v", scripted)
	}
	steps := map[string]bool{}
	for _, st := range mr.CI.Steps {
		steps[st.Name] = true
	}
	if !steps["before_script"] || !steps["script"] {
		t.Errorf("steps %v", steps)
	}

	deploy := job(p, "deploy")
	if deploy.CI.Trust != model.TrustProtected || deploy.Containers[0].Image.Value != "amazon/aws-cli" {
		t.Errorf("deploy trust %s image %q", deploy.CI.Trust, deploy.Containers[0].Image.Value)
	}
	if len(deploy.CI.Runner.Labels) != 0 {
		t.Errorf("deploy inherits default tags despite inherit: default: false")
	}
	if job(p, "never").CI.Trust != model.TrustUnknown {
		t.Errorf("a job that never runs has trust %s", job(p, "never").CI.Trust)
	}
}

func TestIncludes(t *testing.T) {
	p := scanString(t, map[string]string{
		".gitlab-ci.yml":      "include:\n  - local: /ci/a.yml\n  - ci/missing.yml\n  - ../outside.yml\nb:\n  extends: .a\n  script: [echo]\n",
		"ci/a.yml":            ".a:\n  image: docker:27\n  services: [docker:dind]\n",
		"other.gitlab-ci.yml": "tpl:\n  script: [echo]\n",
	})
	if job(p, "b") == nil || job(p, "tpl") == nil {
		t.Fatalf("jobs %v", p.Workloads)
	}
	if len(job(p, "b").Containers) != 2 {
		t.Errorf("include not merged: %+v", job(p, "b").Containers)
	}
	var msgs []string
	for _, n := range p.Notices {
		msgs = append(msgs, n.Message)
	}
	all := strings.Join(msgs, "\n")
	if !strings.Contains(all, `"ci/missing.yml" was not read`) || !strings.Contains(all, `"../outside.yml" was not read`) {
		t.Errorf("notices:\n%s", all)
	}
	// an include that was not read leaves the pipeline not checked in full
	for _, n := range p.Notices {
		if strings.Contains(n.Message, "was not read") && n.Level != model.NoticeError {
			t.Errorf("%s: %s is a %s, want an error (not checked)", n.Loc, n.Message, n.Level)
		}
	}
}

// Includes from outside the repository (remote, project, template,
// component) are external code, as a GitHub step's `uses:` of another
// repository: a warning. A local include whose path names a variable is
// the repository's own file, unread: an error. A job that extends a
// template none of the files read defines is not checked in full: an
// error; without an unread include it is a mistake in the file: a warning.
func TestIncludesNotRead(t *testing.T) {
	p := scanString(t, map[string]string{
		".gitlab-ci.yml": `include:
  - remote: https://example.com/ci.yml
  - https://example.com/other.yml
  - project: group/templates
    file: /docker.yml
  - template: Security/SAST.gitlab-ci.yml
  - component: $CI_SERVER_FQDN/group/comp/build@1.0
  - local: $TEMPLATE_DIR/build.yml
b:
  extends: .from-elsewhere
  script: [echo]
`,
		"other.gitlab-ci.yml": "c:\n  extends: .nowhere\n  script: [echo]\n",
	})
	type want struct {
		level model.NoticeLevel
		text  string
	}
	wants := map[string]want{
		".gitlab-ci.yml:2":      {model.NoticeWarning, "a remote include"},
		".gitlab-ci.yml:3":      {model.NoticeWarning, "a remote include"},
		".gitlab-ci.yml:4":      {model.NoticeWarning, "a project include"},
		".gitlab-ci.yml:6":      {model.NoticeWarning, "a template include"},
		".gitlab-ci.yml:7":      {model.NoticeWarning, "a component include"},
		".gitlab-ci.yml:8":      {model.NoticeError, "its path names a variable"},
		".gitlab-ci.yml:10":     {model.NoticeError, "extends names .from-elsewhere, which none of the files read defines"},
		"other.gitlab-ci.yml:2": {model.NoticeWarning, "extends names .nowhere, which is not in the configuration"},
	}
	got := map[string]model.Notice{}
	for _, n := range p.Notices {
		got[n.Loc.File+":"+strconv.Itoa(n.Loc.Line)] = n
	}
	for at, w := range wants {
		if n := got[at]; n.Level != w.level || !strings.Contains(n.Message, w.text) {
			t.Errorf("%s: %s %q, want a %s naming %q", at, n.Level, n.Message, w.level, w.text)
		}
	}
	if len(got) != len(wants) {
		t.Errorf("notices %v", got)
	}
}

// A CI file named alone (a pre-commit hook passes .gitlab/ci/build.yml)
// reads its local includes from the git work tree the display paths are
// relative to, as GitLab reads them from the repository root; without a
// work tree the scanned root is the limit and the include is not read.
func TestIncludeFromWorkTree(t *testing.T) {
	for _, repo := range []bool{true, false} {
		dir := t.TempDir()
		files := map[string]string{
			".gitlab/ci/build.yml":  "include:\n  - local: /.gitlab/ci/common.yml\nbuild:\n  extends: .dind\n  script: [docker build .]\n",
			".gitlab/ci/common.yml": ".dind:\n  services: [docker:27-dind]\n",
		}
		if repo {
			files[".git/HEAD"] = "ref: refs/heads/main\n"
		}
		testfiles.WriteTree(t, dir, files)
		name := ".gitlab/ci/build.yml"
		p := ScanAll([]*source.File{{Path: name, Abs: filepath.Join(dir, filepath.FromSlash(name)), Root: filepath.Join(dir, ".gitlab", "ci"), Content: []byte(files[name])}})
		b := job(p, "build")
		if b == nil {
			t.Fatalf("repo=%v: no job build", repo)
		}
		if repo && (len(p.Notices) != 0 || len(b.Containers) != 2) {
			t.Errorf("in a work tree: notices %+v, containers %d; want the job and its dind service", p.Notices, len(b.Containers))
		}
		if !repo && (len(p.Notices) == 0 || p.Notices[0].Level != model.NoticeError || p.Notices[0].Loc.Line != 2) {
			t.Errorf("without a work tree: notices %+v; want an error on line 2", p.Notices)
		}
	}
}

func TestRulesExpressions(t *testing.T) {
	ws := worlds()
	mr, topicBranch, main := ws[0], ws[1], ws[2]
	for _, c := range []struct {
		expr string
		w    world
		res  bool
		ok   bool
	}{
		{`$CI_PIPELINE_SOURCE == "merge_request_event"`, mr, true, true},
		{`$CI_COMMIT_BRANCH == $CI_DEFAULT_BRANCH`, topicBranch, false, true},
		{`$CI_COMMIT_BRANCH == $CI_DEFAULT_BRANCH`, main, true, true},
		{`$CI_COMMIT_TAG`, main, false, true},
		{`$CI_COMMIT_BRANCH =~ /^release\//`, topicBranch, false, true},
		{`$CI_COMMIT_REF_NAME =~ /^ISOLINT/i`, topicBranch, true, true},
		{`$DEPLOY == "true" && $CI_COMMIT_TAG`, main, false, true},
		{`$DEPLOY == "true" || $CI_COMMIT_TAG`, main, false, false},
		{`($CI_MERGE_REQUEST_ID) && $CI_PIPELINE_SOURCE != "push"`, mr, true, true},
		{`$CI_COMMIT_TAG == null`, main, true, true},
		{`$X ==`, main, false, false},
	} {
		res, ok := c.w.ruleApplies(c.expr)
		if res != c.res || ok != c.ok {
			t.Errorf("%s in %s: %v, %v", c.expr, c.w.name, res, ok)
		}
	}
}

func TestSniffAndClaim(t *testing.T) {
	if !Sniff([]byte("build:\n  stage: build\n  script:\n    - make\n")) || !Sniff([]byte(".tpl:\n  image: x\n")) {
		t.Error("job file not sniffed")
	}
	// a lone \r ends a line for the YAML parser, so for the sniff too
	if !Sniff([]byte("build:\r  stage: build\r  script:\r    - make\r")) || !Sniff([]byte("# c\r.tpl:\r  image: x\r")) {
		t.Error("job file with lone carriage returns not sniffed")
	}
	if Sniff([]byte("a:\r  b:\r    script: x\r")) {
		t.Error("nested script key with lone carriage returns sniffed")
	}
	if Sniff([]byte("apiVersion: v1\nkind: Pod\nspec:\n  containers: []\n")) || Sniff([]byte("a:\n  b:\n    script: x\n")) {
		t.Error("non-GitLab file sniffed")
	}
	for p, want := range map[string]bool{".gitlab-ci.yml": true, "ci/build.gitlab-ci.yml": true, ".gitlab/ci/x.yml": true, "ci/x.yml": false} {
		if ClaimPath(p) != want {
			t.Errorf("ClaimPath(%s) = %v", p, !want)
		}
	}
}

func BenchmarkScanAll(b *testing.B) {
	var sb strings.Builder
	sb.WriteString("variables:\n  A: b\n.base:\n  image: docker:27\n  services: [postgres:16]\n")
	for i := range 100 {
		fmt.Fprintf(&sb, "job%d:\n  extends: .base\n  rules:\n    - if: $CI_COMMIT_BRANCH == $CI_DEFAULT_BRANCH\n  script:\n    - docker run --rm -e X=$A -v \"$CI_PROJECT_DIR:/src\" alpine:3 make test%d\n    - echo done\n", i, i)
	}
	src := []byte(sb.String())
	f := &source.File{Path: ".gitlab-ci.yml", Abs: "/nonexistent/.gitlab-ci.yml", Root: "/nonexistent", Content: src}
	b.SetBytes(int64(len(src)))
	b.ReportAllocs()
	for b.Loop() {
		ScanAll([]*source.File{f})
	}
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "files/s")
}

func FuzzScanAll(f *testing.F) {
	f.Add([]byte(sample))
	f.Add([]byte("a:\n  extends: [a, .b]\n  script: !reference [a, script]\n.b:\n  extends: a\n"))
	f.Add([]byte("x: &x\n  script: [*x]\n"))
	f.Fuzz(func(t *testing.T, b []byte) {
		ScanAll([]*source.File{{Path: ".gitlab-ci.yml", Abs: "/nonexistent/.gitlab-ci.yml", Root: "/nonexistent", Content: b}})
	})
}

func TestSafeURL(t *testing.T) {
	for in, want := range map[string]string{
		"https://gitlab-ci-token:${CI_JOB_TOKEN}@gitlab.example.com/a/b.git": "https://gitlab.example.com/a/b.git",
		"https://user:hunter2@host/x?private_token=abc":                      "https://host/x",
		"${CI_API_V4_URL}/projects/42/trigger/pipeline":                      "${CI_API_V4_URL}/projects/42/trigger/pipeline",
		"https://host/glpat-abcdefghijklmnopqrstuvwxyz":                      "a URL",
	} {
		if got := safeURL(in); got != want {
			t.Errorf("%s: %s", in, got)
		}
	}
}

// TestEnvironmentMapping: environment: {name, action} names the
// environment as the short form does, with no notice.
func TestEnvironmentMapping(t *testing.T) {
	p := scanString(t, map[string]string{".gitlab-ci.yml": `stop:
  script: [./teardown.sh]
  environment:
    name: production
    action: stop
`})
	for _, n := range p.Notices {
		t.Errorf("notice %s: %s", n.Loc, n.Message)
	}
	if env := job(p, "stop").CI.Environment; env.Value != "production" || env.Loc.Line != 4 {
		t.Errorf("environment %q at line %d, want production at 4", env.Value, env.Loc.Line)
	}
}

// TestIncludeRepositoryRoot: a local include is relative to the git work
// tree around the root file when the scan holds it (here repo/ under the
// scanned root), not to the including file's folder; a glob also reads
// files the walk did not hand over.
func TestIncludeRepositoryRoot(t *testing.T) {
	dir := t.TempDir()
	files := map[string]string{
		"repo/.git/HEAD":                   "ref: refs/heads/main\n",
		"repo/services/api/.gitlab-ci.yml": "include:\n  - local: /ci/jobs.yml\n  - local: ci/templates/*.yml\napi:\n  extends: [.base, .vars]\n  script: [echo]\n",
		"repo/ci/jobs.yml":                 ".base:\n  services: [\"docker:${DOCKER_VERSION}-dind\"]\n",
		"repo/ci/templates/vars.yml":       ".vars:\n  variables:\n    DOCKER_VERSION: \"27\"\n",
	}
	testfiles.WriteTree(t, dir, files)
	root := "repo/services/api/.gitlab-ci.yml"
	abs := filepath.Join(dir, filepath.FromSlash(root))
	p := ScanAll([]*source.File{{Path: root, Abs: abs, Root: dir, Content: []byte(files[root])}})
	for _, n := range p.Notices {
		t.Errorf("notice %s: %s", n.Loc, n.Message)
	}
	api := job(p, "api")
	if api == nil || len(api.Containers) != 2 {
		t.Fatalf("includes not merged: %+v", api)
	}
	if img := api.Containers[1].Image; img.Value != "docker:27-dind" || !api.Containers[1].Security.Privileged.IsTrue() {
		t.Errorf("service image %q privileged=%v, want docker:27-dind, privileged", img.Value, api.Containers[1].Security.Privileged)
	}
}
