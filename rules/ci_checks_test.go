package rules

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/isolint/isolint/model"
	"github.com/isolint/isolint/scanners/ci/github"
	"github.com/isolint/isolint/scanners/ci/gitlab"
	"github.com/isolint/isolint/source"
)

func ciPass() *Pass {
	return &Pass{Rule: &Rule{ID: "test", Severity: High, Confidence: ConfidenceHigh, Formats: []model.Format{model.FormatGHA, model.FormatGitLab}}}
}

func gha(t *testing.T, src string) *model.Project {
	t.Helper()
	p := github.Scan(".github/workflows/ci.yml", []byte(src))
	for _, n := range p.Notices {
		t.Fatalf("notice %s: %s", n.Loc, n.Message)
	}
	return p
}

func gitlabProject(t *testing.T, src string) *model.Project {
	t.Helper()
	dir := t.TempDir()
	abs := filepath.Join(dir, ".gitlab-ci.yml")
	if err := os.WriteFile(abs, []byte(src), 0o644); err != nil {
		t.Fatal(err)
	}
	p := gitlab.ScanAll([]*source.File{{Path: ".gitlab-ci.yml", Abs: abs, Root: dir, Content: []byte(src)}})
	for _, n := range p.Notices {
		t.Fatalf("notice %s: %s", n.Loc, n.Message)
	}
	return p
}

// lines returns "line: message" of each finding.
func lines(fs []Finding) []string {
	var out []string
	for _, f := range fs {
		out = append(out, strings.TrimSpace(strings.Split(f.Loc.String(), ":")[1])+": "+f.Message)
	}
	return out
}

func wantLines(t *testing.T, fs []Finding, want ...string) {
	t.Helper()
	got := lines(fs)
	if len(got) != len(want) {
		t.Fatalf("got %d findings, want %d:\n%s", len(got), len(want), strings.Join(got, "\n"))
	}
	for i := range want {
		if !strings.HasPrefix(got[i], want[i]) && !strings.Contains(got[i], want[i]) {
			t.Errorf("finding %d = %q, want it to contain %q", i, got[i], want[i])
		}
	}
	for _, f := range fs {
		for _, secret := range []string{"hunter2-but-longer", "ghp_"} {
			if strings.Contains(f.Message, secret) {
				t.Errorf("message prints a value: %s", f.Message)
			}
		}
	}
}

func TestCILiteralCredentials(t *testing.T) {
	p := ciPass()
	eachPipeline(p, gha(t, `on: push
env:
  DB_PASSWORD: hunter2-but-longer
  DB_PASSWORD_FILE: /run/secrets/db
  API_TOKEN: ${{ secrets.API_TOKEN }}
jobs:
  a:
    runs-on: x
    container:
      image: private/img
      credentials:
        username: bot
        password: hunter2-but-longer
    steps:
      - uses: docker/login-action@v3
        with:
          username: bot
          password: ghp_0123456789abcdefghijABCDEFGHIJ012345
      - uses: docker/login-action@v3
        with:
          password: ${{ secrets.REGISTRY }}
`), ciLiteralCredentials)
	wantLines(t, p.findings, "3: workflow", "18: step", "13: job \"a\" sets container registry credential password")
	if p.findings[1].Confidence != ConfidenceHigh || p.findings[0].Confidence != ConfidenceMedium {
		t.Errorf("confidence: %v %v", p.findings[1].Confidence, p.findings[0].Confidence)
	}

	p = ciPass()
	eachPipeline(p, gitlabProject(t, "variables:\n  DEPLOY_TOKEN: glpat-abcdefghijklmnopqrstuvwxyz\n  TOKEN_REF: $VAULT_TOKEN\njob:\n  script: [echo]\n"), ciLiteralCredentials)
	wantLines(t, p.findings, "2: pipeline \".gitlab-ci.yml\" sets top-level variable DEPLOY_TOKEN to a literal credential (GitLab token)")
}

func TestCIBulkSecrets(t *testing.T) {
	p := ciPass()
	eachPipeline(p, gha(t, "on: push\nenv:\n  ALL: ${{ toJSON(secrets) }}\n  ONE: ${{ secrets.ONE }}\njobs:\n  a:\n    runs-on: x\n    steps:\n      - run: echo\n"), ciBulkSecrets)
	wantLines(t, p.findings, "3: workflow \".github/workflows/ci.yml\" loads every secret")
}

func TestCISecretScope(t *testing.T) {
	proj := gha(t, `on: push
env:
  DEPLOY_KEY: ${{ secrets.DEPLOY_KEY }}
  PLAIN: "1"
jobs:
  build:
    runs-on: x
    env:
      NPM_TOKEN: ${{ secrets.NPM_TOKEN }}
    steps:
      - uses: actions/checkout@v4
      - uses: actions/setup-node@v4
      - run: npm publish
        env:
          NODE_AUTH_TOKEN: ${{ env.NPM_TOKEN }}
  single:
    runs-on: x
    env:
      ONLY: ${{ secrets.ONLY }}
    steps:
      - run: ./use "$ONLY"
  all-use:
    runs-on: x
    env:
      BOTH: ${{ secrets.BOTH }}
    steps:
      - run: echo "$BOTH" | a
      - run: b "${BOTH}"
  deploy:
    runs-on: x
    steps:
      - run: ./deploy --key "$DEPLOY_KEY"
`)
	p := ciPass()
	for _, w := range proj.Workloads {
		ciJobSecretScope(p, w)
	}
	wantLines(t, p.findings, "9: job \"build\" binds secret secrets.NPM_TOKEN to job-level env NPM_TOKEN, so all 3 steps receive it")
	if len(p.findings[0].Related) != 1 || p.findings[0].Related[0].Loc.Line != 13 {
		t.Errorf("related: %+v", p.findings[0].Related)
	}

	p = ciPass()
	eachPipeline(p, proj, ciPipelineSecretScope)
	wantLines(t, p.findings, "3: workflow \".github/workflows/ci.yml\" binds secret secrets.DEPLOY_KEY in workflow-level env as DEPLOY_KEY, which 7 steps receive")

	p = ciPass()
	eachPipeline(p, gitlabProject(t, `variables:
  DEPLOY_TOKEN: $PROD_DEPLOY_TOKEN
  REGION: eu-west-1
  SAFE_TOKEN_PATH: /run/token
deploy:
  script: [./deploy --token "$DEPLOY_TOKEN"]
test:
  script: [make test]
lint:
  script: [make lint]
`), ciPipelineSecretScope)
	wantLines(t, p.findings, "2: pipeline \".gitlab-ci.yml\" binds variable $PROD_DEPLOY_TOKEN in top-level variables as DEPLOY_TOKEN, which 3 jobs receive")
}

func TestCIOverprivileged(t *testing.T) {
	proj := gha(t, `on: push
jobs:
  a:
    runs-on: x
    steps: [{run: echo}]
  b:
    runs-on: x
    permissions: write-all
    steps: [{run: echo}]
  c:
    runs-on: x
    permissions:
      contents: read
    steps: [{run: echo}]
`)
	p := ciPass()
	for _, w := range proj.Workloads {
		ciOverprivilegedJob(p, w)
	}
	eachPipeline(p, proj, ciOverprivilegedWorkflow)
	wantLines(t, p.findings, "3: job \"a\" runs with the repository's default token permissions", "8: job \"b\" gives its token write-all")
	if !p.findings[0].Loc.Synthetic || p.findings[0].Confidence != ConfidenceMedium {
		t.Errorf("missing permissions finding: %+v", p.findings[0])
	}

	p = ciPass()
	proj = gha(t, "on: push\npermissions: write-all\njobs:\n  a:\n    runs-on: x\n    steps: [{run: echo}]\n")
	for _, w := range proj.Workloads {
		ciOverprivilegedJob(p, w)
	}
	eachPipeline(p, proj, ciOverprivilegedWorkflow)
	wantLines(t, p.findings, "2: workflow \".github/workflows/ci.yml\" gives every job's token write-all")

	// a job's permissions replace the workflow's: only the jobs that set
	// none run with write-all, and they are named
	p = ciPass()
	proj = gha(t, `on: push
permissions: write-all
jobs:
  a:
    runs-on: x
    permissions: {}
    steps: [{run: echo}]
  b:
    runs-on: x
    steps: [{run: echo}]
  c:
    uses: ./.github/workflows/r.yml
`)
	eachPipeline(p, proj, ciOverprivilegedWorkflow)
	wantLines(t, p.findings, "2: workflow \".github/workflows/ci.yml\" gives write-all to the token of 2 of its 3 jobs that set no permissions of their own (job \"b\", job \"c\")")
	if r := p.findings[0].Related; len(r) != 2 || r[0].Loc.Line != 8 || r[1].Loc.Line != 11 {
		t.Errorf("related: %+v, want jobs b (line 8) and c (line 11)", r)
	}
	p = ciPass()
	proj = gha(t, "on: push\npermissions: write-all\njobs:\n  a:\n    runs-on: x\n    permissions: {}\n    steps: [{run: echo}]\n  c:\n    uses: ./.github/workflows/r.yml\n    permissions: {contents: read}\n")
	eachPipeline(p, proj, ciOverprivilegedWorkflow)
	wantLines(t, p.findings)

	p = ciPass()
	proj = gha(t, "on: workflow_call\njobs:\n  a:\n    runs-on: x\n    steps: [{run: echo}]\n")
	for _, w := range proj.Workloads {
		ciOverprivilegedJob(p, w)
	}
	wantLines(t, p.findings)
}

// TestRunnerLabelConfidence: self-hosted is sure; a runner group or a
// label GitHub does not define may be a larger runner (low, and said so);
// the configured lists settle it.
func TestRunnerLabelConfidence(t *testing.T) {
	proj := gha(t, `on: pull_request
permissions:
  contents: read
jobs:
  a:
    runs-on: self-hosted
    steps: [{run: make}]
  b:
    runs-on: {group: farm}
    steps: [{run: make}]
  c:
    runs-on: ubuntu-24.04-4core
    steps: [{run: make}]
`)
	want := map[string]Confidence{"a": ConfidenceHigh, "b": ConfidenceLow, "c": ConfidenceLow}
	fs := ofRule(Run(All(), proj, Options{}), "self-hosted-runner-untrusted")
	if len(fs) != 3 {
		t.Fatalf("%d findings, want 3: %v", len(fs), fs)
	}
	for _, f := range fs {
		if f.Confidence != want[f.Workload] {
			t.Errorf("job %s: confidence %s, want %s", f.Workload, f.Confidence, want[f.Workload])
		}
		if f.Workload == "c" && !strings.Contains(f.Message, "may be self-hosted or a GitHub-hosted larger runner") {
			t.Errorf("job c: message %q does not say it may be either", f.Message)
		}
	}
	fs = ofRule(Run(All(), proj, Options{GitHubHostedLabels: []string{"ubuntu-*-4core"}, SelfHostedLabels: []string{"farm"}}), "self-hosted-runner-untrusted")
	if len(fs) != 2 || fs[0].Workload == "c" || fs[1].Workload == "c" {
		t.Errorf("with runner-labels: %v, want a and b only", fs)
	}
}

// id-token: write writes nothing to the repository: an idle grant is
// reported as a token no step requests, not as a write no step makes.
func TestIdleIDTokenMessage(t *testing.T) {
	p := gha(t, `on: push
permissions:
  contents: read
jobs:
  test:
    runs-on: ubuntu-latest
    permissions:
      id-token: write
    steps:
      - uses: actions/setup-go@v5
      - run: git status
`)
	r := ByID("ci-token-write-default")
	fs := CheckWorkloads([]*Rule{r}, p.Workloads, Options{})
	if len(fs) != 1 || !strings.Contains(fs[0].Message, "id-token: write, but none of its steps requests an OIDC token") {
		t.Errorf("findings %+v", fs)
	}
}

// A workflow-level write scope reaches only the jobs that set no
// permissions of their own: the message counts those, and a workflow whose
// jobs all set theirs is not reported.
func TestWorkflowWriteScopeHeirs(t *testing.T) {
	p := ciPass()
	eachPipeline(p, gha(t, `on: push
permissions:
  contents: write
jobs:
  test:
    runs-on: ubuntu-latest
    steps: [{run: make test}]
  release:
    runs-on: ubuntu-latest
    permissions: {contents: write}
    steps: [{run: git push origin v1}]
`), ciWorkflowWrites)
	wantLines(t, p.findings, "3: workflow \".github/workflows/ci.yml\" grants contents: write to 1 of its 2 jobs that set no permissions of their own, but none of them writes with it (job \"test\")")

	p = ciPass()
	eachPipeline(p, gha(t, "on: push\npermissions:\n  contents: write\njobs:\n  test:\n    runs-on: x\n    permissions: {}\n    steps: [{run: make test}]\n"), ciWorkflowWrites)
	wantLines(t, p.findings)
}

// toJSON(secrets) outside env is reported on the expression itself: in a
// step input, inside a one-line and a block run script (also one that
// isolint does not parse as shell) and in a reusable-workflow call.
func TestCIBulkSecretsOutsideEnv(t *testing.T) {
	// not gha(): the python step gets a note that it is not read as shell
	proj := github.Scan(".github/workflows/ci.yml", []byte(`on: push
permissions: {}
jobs:
  a:
    runs-on: ubuntu-latest
    steps:
      - uses: some/action@v1
        with:
          all: ${{ toJSON(secrets) }}
          one: ${{ secrets.ONE }}
      - run: echo '${{ toJSON(secrets) }}' > s.json
      - shell: python
        run: |
          import json
          s = json.loads("""${{ toJSON(secrets) }}""")
      - run: echo "${{ secrets.ONE }}"
  b:
    uses: ./.github/workflows/r.yml
    secrets:
      all: ${{ secrets[inputs.name] }}
`))
	fs := ofRule(Run(All(), proj, Options{}), "secret-env-bulk")
	var got []string
	for _, f := range fs {
		got = append(got, fmt.Sprintf("%d:%d-%d %s", f.Loc.Line, f.Loc.Col, f.Loc.EndCol, f.Message))
	}
	want := []string{
		`9:16-38 step "some/action@v1" of job "a" passes every secret available to it to the action as input all`,
		`11:20-42 step "#2" of job "a" writes every secret available to it into its run script`,
		`15:29-51 step "#3" of job "a" writes every secret available to it into its run script`,
		`20:12-39 job "b" passes every secret available to it to "./.github/workflows/r.yml" as all`,
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("findings:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
}

// A same-repository guard makes pull_request_target internal, but not
// issue_comment, which carries no pull request head: the finding names the
// trigger that still runs a fork's code.
func TestUntrustedCodeNamesTheUntrustedTrigger(t *testing.T) {
	proj := gha(t, `on: [pull_request_target, issue_comment]
permissions: {}
jobs:
  a:
    if: github.event.pull_request.head.repo.full_name == github.repository
    runs-on: ubuntu-latest
    steps:
      - run: gh pr checkout ${{ github.event.issue.number }}
      - run: make
        env:
          TOKEN: ${{ secrets.DEPLOY_TOKEN }}
`)
	fs := ofRule(Run(All(), proj, Options{}), "untrusted-code-with-secrets")
	if len(fs) != 1 || fs[0].Loc.Line != 8 || !strings.Contains(fs[0].Message, "runs on issue_comment") {
		t.Errorf("findings %v, want one on line 8 naming issue_comment", fs)
	}
}

// A default password for a CI job's service container is low severity;
// the same value with no service in the job is not.
func TestCIServiceDefaultPassword(t *testing.T) {
	p := gha(t, `on: push
permissions:
  contents: read
jobs:
  test:
    runs-on: ubuntu-latest
    services:
      db:
        image: postgres:16
        env:
          POSTGRES_PASSWORD: postgres
    steps:
      - run: make test
  deploy:
    runs-on: ubuntu-latest
    steps:
      - run: ./deploy.sh
        env:
          DB_PASSWORD: postgres
`)
	fs := CheckWorkloads([]*Rule{ByID("literal-credential")}, p.Workloads, Options{})
	sev := map[int]Severity{}
	for _, f := range fs {
		sev[f.Loc.Line] = f.Severity
	}
	if len(fs) != 2 || sev[11] != Low || sev[19] != Critical {
		t.Errorf("severities by line %v, want 11: low (service default), 19: critical", sev)
	}
}

// A runner group may hold GitHub-hosted larger runners: low confidence,
// unless the configuration names the group self-hosted.
func TestRunnerGroupConfidence(t *testing.T) {
	p := gha(t, `on: pull_request
permissions:
  contents: read
jobs:
  test:
    runs-on:
      group: build-farm
    steps:
      - run: make test
`)
	r := ByID("self-hosted-runner-untrusted")
	fs := CheckWorkloads([]*Rule{r}, p.Workloads, Options{})
	if len(fs) != 1 || fs[0].Confidence != ConfidenceLow || !strings.Contains(fs[0].Message, "GitHub-hosted larger runners") {
		t.Errorf("unconfigured group: %+v", fs)
	}
	fs = CheckWorkloads([]*Rule{r}, p.Workloads, Options{SelfHostedLabels: []string{"build-*"}})
	if len(fs) != 1 || fs[0].Confidence != ConfidenceHigh {
		t.Errorf("group listed as self-hosted: %+v", fs)
	}
	if fs = CheckWorkloads([]*Rule{r}, p.Workloads, Options{GitHubHostedLabels: []string{"build-farm"}}); len(fs) != 0 {
		t.Errorf("group listed as GitHub-hosted: %+v", fs)
	}
}

// eachPipeline runs a per-pipeline check over the project's pipelines of
// the formats the pass's rule checks, through CheckPipelines' own loop.
func eachPipeline(p *Pass, proj *model.Project, check func(*Pass, *model.Pipeline)) {
	p.Rule.Pipeline = check
	checkPipelines(p, proj.Pipelines)
}

// The per-pipeline checks reach the rules that report them: each rule's
// Pipeline hook, run by CheckPipelines as the engine runs it, reports its
// part of one workflow (the tests above call the checks directly).
func TestPipelineChecksAreWired(t *testing.T) {
	proj := gha(t, `on: push
permissions:
  contents: write
env:
  DB_PASSWORD: hunter2-but-longer
  ALL: ${{ toJSON(secrets) }}
  DEPLOY_KEY: ${{ secrets.DEPLOY_KEY }}
jobs:
  a:
    runs-on: x
    steps:
      - run: make
      - run: ./deploy --key "$DEPLOY_KEY"
`)
	proj.Merge(gha(t, "on: push\npermissions: write-all\njobs:\n  b:\n    runs-on: x\n    steps:\n      - run: make\n"))
	got := map[string]int{}
	for _, f := range CheckPipelines(All(), proj.Pipelines, Options{}) {
		got[f.RuleID]++
	}
	for _, id := range []string{"literal-credential", "secret-env-bulk", "secret-scope-too-wide", "ci-token-write-default", "overprivileged-identity"} {
		if got[id] == 0 {
			t.Errorf("no %s finding from its Pipeline check (got %v)", id, got)
		}
	}
}

// git's global options come before its subcommand (git(1)).
func TestGitSubcommand(t *testing.T) {
	for args, want := range map[string]string{
		"push origin main":                  "push",
		"-C site push":                      "push",
		"-c user.name=bot -C site push":     "push",
		"--git-dir .git --work-tree . push": "push",
		"--git-dir=.git --no-pager push":    "push",
		"-C site status":                    "status",
		"--version":                         "",
	} {
		if got := gitSubcommand(strings.Fields(args)); got != want {
			t.Errorf("git %s: subcommand %q, want %q", args, got, want)
		}
	}
}

// A checkout given a personal or app token persists that token, not the
// job's: the message says which one stays on disk.
func TestCheckoutNamesThePersistedToken(t *testing.T) {
	proj := gha(t, `on: schedule
permissions:
  contents: read
jobs:
  a:
    runs-on: ubuntu-latest
    steps:
      - uses: actions/checkout@v4
        with:
          token: ${{ secrets.GH_USER_TOKEN }}
      - uses: actions/checkout@v4
        with:
          token: ${{ secrets.GITHUB_TOKEN }}
      - uses: actions/checkout@v4
      - uses: actions/checkout@v4
        with:
          token: ghp_0123456789abcdefghijABCDEFGHIJ012345
      - run: make
`)
	fs := ofRule(Run(All(), proj, Options{}), "checkout-persists-credentials")
	// wantLines also fails on any message holding "ghp_": a token written
	// in the file is never repeated
	wantLines(t, fs,
		"8: step \"actions/checkout@v4\" of job \"a\" does not set `persist-credentials: false`: the token its `token:` input gives (${{ secrets.GH_USER_TOKEN }}) stays in .git/config",
		"11: step \"actions/checkout@v4\" of job \"a\" does not set `persist-credentials: false`: the job token stays",
		"14: step \"actions/checkout@v4\" of job \"a\" does not set `persist-credentials: false`: the job token stays",
		"15: step \"actions/checkout@v4\" of job \"a\" does not set `persist-credentials: false`: the token its `token:` input gives stays in .git/config",
	)
}

// A GitLab pipeline variable no job names is read, if at all, by a tool
// reading its environment: GitLab has no actions, and the message says so.
func TestGitLabSecretScopeWording(t *testing.T) {
	proj := gitlabProject(t, `variables:
  DEPLOY_TOKEN: $DEPLOY_TOKEN_MASKED
build:
  script:
    - make
test:
  script:
    - make test
`)
	fs := ofRule(Run(All(), proj, Options{}), "secret-scope-too-wide")
	wantLines(t, fs, "no job names it; a tool a job runs may read it from its environment")
	for _, f := range fs {
		if strings.Contains(f.Message, "action") {
			t.Errorf("a GitLab message speaks of actions: %q", f.Message)
		}
	}
}
