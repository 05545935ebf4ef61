package rules

import (
	"regexp"
	"strings"

	"github.com/isolint/isolint/controls"
	"github.com/isolint/isolint/model"
)

var _ = register(&Rule{
	ID:         "ci-token-write-default",
	Title:      "CI job token holds more than the job uses",
	Severity:   Medium,
	Confidence: ConfidenceMedium,
	Axis:       AxisIdentity,
	Formats:    []model.Format{model.FormatGHA, model.FormatGitLab},
	Controls: []controls.Ref{
		nhi(5), nist("AC-6"), csf("PR.AA-05"), cicd(5), cicd(2), zt(6),
	},
	Description: "Every step of a CI job can use the job's token. GitHub Actions: a write scope (`contents: " +
		"write`, `packages: write`, `id-token: write` …) granted to a job, or inherited from the workflow, whose " +
		"steps are all known and none of which writes with it (no push, release, package upload, comment or " +
		"OIDC login) lets any of those steps, and any action they run, write to the repository for nothing. " +
		"Jobs with steps isolint cannot judge (unknown actions, `gh api`, programs the token reaches through a " +
		"persisted checkout, an env variable or the script; for `id-token: write`, any unknown program, since " +
		"the runner lets every step request an OIDC token) are not reported. GitLab: a job that sends `CI_JOB_TOKEN` to another project relies on that project " +
		"allow-listing this one, which hands the same access to every job of every pipeline here, merge " +
		"request pipelines included.",
	Fix: "GitHub: set `permissions: { contents: read }` at the workflow level and grant each write scope only " +
		"on the job that needs it. GitLab: use an `id_tokens` OIDC token or a scoped deploy token for the " +
		"other project, and keep its job-token allowlist empty.",
	Examples: []Example{{
		Format: model.FormatGHA, Path: ".github/workflows/test.yml",
		Bad: `on: pull_request
permissions:
  contents: read
jobs:
  test:
    runs-on: ubuntu-latest
    permissions:
      contents: write
    steps:
      - uses: actions/checkout@v4
        with:
          persist-credentials: false
      - uses: actions/setup-go@v5
      - run: go test ./...`,
		Good: `on: pull_request
permissions:
  contents: read
jobs:
  test:
    runs-on: ubuntu-latest
    steps:
      - uses: actions/checkout@v4
        with:
          persist-credentials: false
      - uses: actions/setup-go@v5
      - run: go test ./...`,
	}, {
		Format: model.FormatGitLab, Path: ".gitlab-ci.yml",
		Bad: `fetch-schemas:
  script:
    - git clone "https://gitlab-ci-token:${CI_JOB_TOKEN}@gitlab.example.com/platform/schemas.git"`,
		Good: `fetch-schemas:
  id_tokens:
    SCHEMAS_ID_TOKEN:
      aud: https://gitlab.example.com
  script:
    - ./fetch-schemas.sh`,
	}},
	Workload: func(p *Pass, w *model.Workload) {
		j := w.CI
		if j == nil {
			return
		}
		if w.Format == model.FormatGitLab {
			if len(j.IDTokens) > 0 {
				return
			}
			for _, u := range j.TokenUses {
				if u.CrossProject {
					p.ReportAt(w, u.Loc, nil, "%s sends CI_JOB_TOKEN to another project (%s): that project's allowlist gives every job of this project, merge request pipelines included, the same access", w.Display(), u.Target)
					return
				}
			}
			return
		}
		if !j.Permissions.Set || j.Call != nil || len(j.Steps) == 0 {
			return // inherited permissions are judged per workflow (ciWorkflowWrites)
		}
		for _, perm := range j.Permissions.Writes() {
			if needs, known := jobNeeds(j, perm.Scope); known && !needs {
				p.ReportAt(w, perm.Loc, nil, "%s grants the job token %s: write, but none of its steps %s", w.Display(), perm.Scope, usesScope(perm.Scope))
			}
		}
	},
	Pipeline: func(p *Pass, pipe *model.Pipeline) {
		if pipe.Format == model.FormatGHA && pipe.Kind == "workflow" && !pipe.ReusableOnly() {
			ciWorkflowWrites(p, pipe)
		}
	},
})

// ciWorkflowWrites reports workflow-level write scopes that jobs inherit
// without needing them: the finding sits on the workflow's scope and lists
// the jobs.
func ciWorkflowWrites(p *Pass, pipe *model.Pipeline) {
	for _, perm := range pipe.Permissions.Writes() {
		var idle []string
		var related []model.Related
		needed := false
		heirs, jobs := permissionHeirs(pipe) // a job's own permissions replace the workflow's
		for _, w := range heirs {
			j := w.CI
			if j.Call != nil {
				needed = true // the callee's needs are unknown here
				break
			}
			needs, known := jobNeeds(j, perm.Scope)
			if needs || !known {
				needed = true
				break
			}
			idle = append(idle, w.Display())
			related = append(related, model.Related{Loc: j.Loc, Message: w.Display() + " inherits " + perm.Scope + ": write and does not use it"})
		}
		if needed || len(idle) == 0 {
			continue
		}
		msg := pipe.Display() + " grants every job " + perm.Scope + ": write, but no job " + usesScope(perm.Scope) + " (" + strings.Join(idle, ", ") + ")"
		if len(idle) < jobs {
			msg = pipe.Display() + " grants " + perm.Scope + ": write to " + countJobs(len(idle), jobs) + " that set no permissions of their own, but none of them " +
				usesScope(perm.Scope) + " (" + strings.Join(idle, ", ") + ")"
		}
		p.Report(Finding{
			Message: msg,
			Loc:     perm.Loc, Related: related, Format: pipe.Format, Object: pipe.ID(),
		})
	}
}

// usesScope says what a step does with a write scope: id-token: write
// writes nothing to the repository, it lets a step request an OIDC token
// (https://docs.github.com/en/actions/security-for-github-actions/security-hardening-your-deployments/about-security-hardening-with-openid-connect#adding-permissions-settings).
func usesScope(scope string) string {
	if scope == "id-token" {
		return "requests an OIDC token with it"
	}
	return "writes with it"
}

// jobNeeds says whether a job's steps write with the token scope; known
// is false when a step might (an unknown action, a script that hands the
// token to a program isolint does not know).
func jobNeeds(j *model.CIJob, scope string) (needs, known bool) {
	known = true
	persisted := false // a checkout left the token in .git/config
	jobToken := envHoldsToken(j.Env) || (j.Pipeline != nil && envHoldsToken(j.Pipeline.Env))
	for _, st := range j.Steps {
		// the token reaches what the step runs: a checkout persisted it,
		// the step's environment holds it under any name, its script has
		// it expanded in, or (id-token) the runner sets
		// ACTIONS_ID_TOKEN_REQUEST_TOKEN and _URL in every step's
		// environment once the job may request an OIDC token
		// (https://docs.github.com/en/actions/reference/security/oidc#methods-for-requesting-the-oidc-token)
		reach := persisted || jobToken || envHoldsToken(st.Env) || tokenExpr.MatchString(st.Run.Value) || scope == "id-token"
		s, k := stepNeeds(st, scope, reach)
		if s {
			return true, true
		}
		if !k {
			known = false
		}
		if st.Action == "actions/checkout" {
			in := st.Input("persist-credentials")
			persisted = persisted || in == nil || !in.Value.Known() || model.CheckoutPersists(in.Value.Value)
		}
	}
	return false, known
}

// actionScopes are the token scopes well-known actions write with. An
// action listed with no scopes writes nothing with the job token.
var actionScopes = map[string][]string{
	"actions/checkout": nil, "actions/cache": nil, "actions/cache/save": nil, "actions/cache/restore": nil,
	"actions/upload-artifact": nil, "actions/download-artifact": nil, "actions/upload-pages-artifact": nil,
	"actions/configure-pages": nil, "actions/dependency-review-action": nil,
	"actions/deploy-pages": {"pages", "id-token"}, "actions/labeler": {"pull-requests", "issues"},
	"actions/stale": {"issues", "pull-requests"}, "actions/create-release": {"contents"},
	"actions/upload-release-asset":    {"contents"},
	"actions/attest-build-provenance": {"id-token", "attestations"}, "actions/attest": {"id-token", "attestations"},
	"actions/attest-sbom":       {"id-token", "attestations"},
	"github/codeql-action/init": nil, "github/codeql-action/autobuild": nil,
	"github/codeql-action/analyze": {"security-events"}, "github/codeql-action/upload-sarif": {"security-events"},
	"docker/setup-buildx-action": nil, "docker/setup-qemu-action": nil, "docker/metadata-action": nil,
	"docker/build-push-action": nil, "docker/bake-action": nil,
	"aws-actions/configure-aws-credentials": {"id-token"}, "google-github-actions/auth": {"id-token"},
	"azure/login": {"id-token"}, "hashicorp/vault-action": {"id-token"}, "pypa/gh-action-pypi-publish": {"id-token"},
	"sigstore/cosign-installer": nil, "anchore/sbom-action": {"contents"},
	"softprops/action-gh-release": {"contents"}, "ncipollo/release-action": {"contents"},
	"peter-evans/create-pull-request":        {"contents", "pull-requests"},
	"peter-evans/create-or-update-comment":   {"issues", "pull-requests"},
	"marocchino/sticky-pull-request-comment": {"pull-requests"},
	"stefanzweifel/git-auto-commit-action":   {"contents"}, "endbug/add-and-commit": {"contents"},
	"ad-m/github-push-action": {"contents"}, "jamesives/github-pages-deploy-action": {"contents"},
	"peaceiris/actions-gh-pages": {"contents"}, "googleapis/release-please-action": {"contents", "pull-requests", "issues"},
	"google-github-actions/release-please-action": {"contents", "pull-requests", "issues"},
	"changesets/action":                           {"contents", "pull-requests"}, "goreleaser/goreleaser-action": {"contents", "packages", "id-token"},
	"codecov/codecov-action": {"id-token"}, "ossf/scorecard-action": {"security-events", "id-token"},
	"dorny/test-reporter": {"checks"}, "mikepenz/action-junit-report": {"checks"},
	"enricomi/publish-unit-test-result-action": {"checks", "pull-requests"},
	"golangci/golangci-lint-action":            nil, "dtolnay/rust-toolchain": nil, "swatinem/rust-cache": nil,
	"astral-sh/setup-uv": nil, "pnpm/action-setup": nil, "ruby/setup-ruby": nil, "gradle/actions/setup-gradle": nil,
	"gradle/gradle-build-action": nil, "dependabot/fetch-metadata": nil, "extractions/setup-just": nil,
	"taiki-e/install-action": nil, "oven-sh/setup-bun": nil, "denoland/setup-deno": nil, "hashicorp/setup-terraform": nil,
	"azure/setup-helm": nil, "azure/setup-kubectl": nil, "jdx/mise-action": nil, "arduino/setup-protoc": nil,
	"bufbuild/buf-setup-action": nil, "mlugg/setup-zig": nil, "erlef/setup-beam": nil, "shivammathur/setup-php": nil,
	"conda-incubator/setup-miniconda": nil, "mamba-org/setup-micromamba": nil, "goto-bus-stop/setup-zig": nil,
}

// tokenVars are the environment names scripts read the job token from.
var tokenVars = map[string]bool{"GITHUB_TOKEN": true, "GH_TOKEN": true, "GITHUB_PAT": true, "ACTIONS_ID_TOKEN_REQUEST_TOKEN": true}

// tokenExpr matches an expression that reads the job token
// (`github.token`, `secrets.GITHUB_TOKEN`, `secrets['GITHUB_TOKEN']`).
var tokenExpr = regexp.MustCompile(`(?i)\bgithub\s*(\.\s*token\b|\[\s*'token'\s*\])|\bsecrets\s*(\.\s*github_token\b|\[\s*'github_token'\s*\])`)

// envHoldsToken reports an env block that hands the job token to what
// runs under it, whatever the variable is called.
func envHoldsToken(env []*model.EnvVar) bool {
	for _, e := range env {
		if e.Secret != nil && strings.EqualFold(e.Secret.Name, "secrets.GITHUB_TOKEN") || tokenExpr.MatchString(e.Value.Value) {
			return true
		}
	}
	return false
}

// stepNeeds says whether a step writes with the token scope; reach says
// that the token reaches the programs the step runs.
func stepNeeds(st *model.Step, scope string, reach bool) (needs, known bool) {
	if st.Uses.Set {
		a := st.Action
		if strings.HasPrefix(a, "docker://") {
			// the container runs with the step's env and inputs
			for _, in := range st.With {
				reach = reach || tokenExpr.MatchString(in.Value.Value)
			}
			return false, !reach
		}
		scopes, ok := actionScopes[a]
		if !ok {
			if strings.HasPrefix(a, "actions/setup-") {
				return false, true
			}
			return false, false
		}
		for _, s := range scopes {
			if s == scope {
				return true, true
			}
		}
		return false, true
	}
	usesToken := reach
	for _, r := range st.EnvRefs {
		if tokenVars[r] {
			usesToken = true
		}
	}
	for _, c := range st.Commands {
		scopes, k := commandScopes(c)
		for _, s := range scopes {
			if s == scope {
				return true, true
			}
		}
		if !k && usesToken {
			return false, false
		}
	}
	return false, true
}

// commandScopes are the token scopes a script command writes with, and
// whether that is known.
func commandScopes(c model.Command) ([]string, bool) {
	arg := func(i int) string {
		if i < len(c.Args) {
			return c.Args[i]
		}
		return ""
	}
	switch c.Name {
	case "git":
		if gitSubcommand(c.Args) == "push" {
			return []string{"contents"}, true
		}
		return nil, true
	case "gh":
		switch arg(0) {
		case "release":
			return []string{"contents"}, true
		case "pr":
			return []string{"pull-requests", "contents"}, true
		case "issue", "label":
			return []string{"issues"}, true
		case "workflow", "run", "cache":
			return []string{"actions"}, true
		case "auth", "version", "help", "--version":
			return nil, true
		}
		return nil, false // gh api, gh repo …: anything
	case "curl", "wget", "http", "xh":
		return nil, false
	case "docker", "podman", "buildah", "skopeo", "crane", "ko", "oras":
		for _, a := range c.Args {
			if strings.Contains(a, "ghcr.io") || strings.Contains(a, "docker.pkg.github.com") {
				return []string{"packages"}, true
			}
		}
		return nil, true
	case "npm", "yarn", "pnpm":
		if arg(0) == "publish" {
			return []string{"packages", "id-token"}, true
		}
		return nil, true
	case "goreleaser", "semantic-release", "release-it":
		return []string{"contents", "packages", "issues", "pull-requests"}, true
	case "export":
		return nil, true // sets variables; what reads them is judged where it runs
	case "npx", "pnpx", "bunx":
		return commandScopes(model.Command{Name: arg(0), Args: c.Args[min(1, len(c.Args)):]})
	}
	if inertCommands[c.Name] {
		return nil, true
	}
	return nil, false
}

// inertCommands are shell builtins and file utilities that make no request
// with any token, even one in their environment (an OIDC request token
// included).
var inertCommands = map[string]bool{
	"echo": true, "printf": true, "cd": true, "pwd": true, "test": true, "[": true, "[[": true, "true": true,
	"false": true, "set": true, "shopt": true, "exit": true, "unset": true, "mkdir": true, "cat": true, "ls": true,
	"rm": true, "cp": true, "mv": true, "touch": true, "chmod": true, "ln": true, "tar": true, "unzip": true,
	"gzip": true, "sha256sum": true, "shasum": true, "grep": true, "sed": true, "awk": true, "head": true,
	"tail": true, "wc": true, "sort": true, "uniq": true, "tee": true, "date": true, "sleep": true, "basename": true,
	"dirname": true, "cut": true, "tr": true, "diff": true, "du": true, "df": true, "uname": true, "whoami": true,
}

// gitSubcommand returns git's subcommand, after the global options that
// come before it (`git -C site push`, `git -c user.name=x push`), per
// git(1).
func gitSubcommand(args []string) string {
	for i := 0; i < len(args); i++ {
		switch a := args[i]; a {
		case "-C", "-c", "--git-dir", "--work-tree", "--namespace", "--config-env", "--exec-path", "--super-prefix", "--list-cmds", "--attr-source":
			if a != "--exec-path" {
				i++ // the option's value is the next word
			}
		default:
			if !strings.HasPrefix(a, "-") {
				return a
			}
		}
	}
	return ""
}
