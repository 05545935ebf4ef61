package model

import (
	"regexp"
	"strings"
)

// The CI part of the model: what a GitHub Actions workflow or composite
// action, or a GitLab CI pipeline, says beyond the containers and
// environment every workload has. A CI job is a Workload (Kind "job") whose
// CI field points here; rules about CI-only problems read these types.

// Pipeline is one CI definition: a GitHub Actions workflow or composite
// action, or a GitLab CI pipeline (a root file with the files it includes).
// It holds what every job of it shares.
type Pipeline struct {
	Format Format
	// Kind is "workflow" or "action" (gha), "pipeline" (gitlab).
	Kind string
	// Name is the file's display path.
	Name string
	// Loc is the file's first key: where pipeline-level keys belong.
	Loc Location

	// Triggers are the events that start the workflow (gha `on:`).
	Triggers []Trigger
	// TriggersLoc is the `on:` key.
	TriggersLoc Location
	// Permissions are the workflow-level token permissions (gha).
	Permissions Permissions
	// Env is what every job receives: gha workflow-level `env`, gitlab
	// top-level `variables`.
	Env        []*EnvVar
	EnvSources []*EnvSource

	Jobs []*Workload
}

// DropDetails lets go of what only the per-workload and per-pipeline
// checks read, once they have run: each job's steps, env, inputs, secret
// and token uses and its call's inputs. Project checks and the inventory
// read the pipeline's own keys and a job's triggers, trust, runner,
// permissions and cloud roles, which stay.
func (p *Pipeline) DropDetails() {
	for _, w := range p.Jobs {
		if j := w.CI; j != nil {
			j.Steps, j.Env, j.EnvSources, j.Refuses = nil, nil, nil, nil
			j.SecretUses, j.TokenUses, j.IDTokens, j.Credentials = nil, nil, nil, nil
			if j.Call != nil {
				j.Call.With, j.Call.Secrets = nil, nil
			}
		}
	}
}

// Display names the pipeline for messages: `workflow ".github/workflows/ci.yml"`.
func (p *Pipeline) Display() string { return p.Kind + " " + quote(p.Name) }

// ID identifies the pipeline for fingerprints: kind/file.
func (p *Pipeline) ID() string { return p.Kind + "/" + p.Name }

// Has reports whether the pipeline is started by the event.
func (p *Pipeline) Has(event string) *Trigger {
	for i := range p.Triggers {
		if p.Triggers[i].Event == event {
			return &p.Triggers[i]
		}
	}
	return nil
}

// ReusableOnly reports a gha workflow that only other workflows call
// (`on: workflow_call` alone): its permissions and trust are the caller's.
func (p *Pipeline) ReusableOnly() bool {
	return len(p.Triggers) == 1 && p.Triggers[0].Event == "workflow_call"
}

// Trigger is one event that starts a workflow.
type Trigger struct {
	Event string
	Loc   Location
	// Trust is the trust of the code and input the event brings.
	Trust Trust
}

// Trust grades who can make a CI job run, and with whose code and input.
// Higher is more trusted.
type Trust int

const (
	// TrustUnknown: nothing says (a reusable workflow, a template).
	TrustUnknown Trust = iota
	// TrustUntrusted: code or input from outside the project can reach the
	// job: pull and merge requests (from forks), comments, issues.
	TrustUntrusted
	// TrustInternal: anyone who can push a branch of the repository.
	TrustInternal
	// TrustProtected: only protected refs or deliberate releases: the
	// default branch, tags, releases, schedules, protected environments.
	TrustProtected
)

func (t Trust) String() string {
	switch t {
	case TrustUntrusted:
		return "untrusted"
	case TrustInternal:
		return "internal"
	case TrustProtected:
		return "protected"
	}
	return "unknown"
}

// Permissions are the scopes of a CI job token (gha `permissions:`).
type Permissions struct {
	// Set is false when the key is absent; Loc is then where it belongs.
	Set bool
	Loc Location
	// All is "read-all" or "write-all" for the shorthand forms.
	All string
	// Scopes are the entries of the mapping form; `{}` is Set with none.
	Scopes []Permission
	// Unknown is set when the value is an expression.
	Unknown bool
}

// Permission is one scope of a permissions mapping.
type Permission struct {
	Scope string // "contents", "id-token", …
	Level string // "read", "write", "none"
	Loc   Location
}

// Writes returns the scopes granted write.
func (p Permissions) Writes() []Permission {
	var out []Permission
	for _, s := range p.Scopes {
		if s.Level == "write" {
			out = append(out, s)
		}
	}
	return out
}

// Level returns the access the permissions grant to scope: "write", "read"
// or "none". Unset permissions return "" (the repository default applies).
func (p Permissions) Level(scope string) string {
	if !p.Set || p.Unknown {
		return ""
	}
	switch p.All {
	case "write-all":
		return "write"
	case "read-all":
		return "read"
	}
	for _, s := range p.Scopes {
		if s.Scope == scope {
			return s.Level
		}
	}
	return "none"
}

// AnyWrite reports whether the permissions grant write to some scope.
func (p Permissions) AnyWrite() bool {
	return p.All == "write-all" || len(p.Writes()) > 0
}

// CIJob is the CI part of a job workload.
type CIJob struct {
	Pipeline *Pipeline
	// ID is the job's key (gha `jobs.<id>`, gitlab top-level key).
	ID  string
	Loc Location

	// Events are the triggers that can start this job after its own
	// conditions (gha `if:`, gitlab `rules`/`only`) are applied.
	Events []Trigger
	// Trust is the lowest trust of any way the job can run, and Why says
	// which ("pull_request", "merge request pipelines").
	Trust Trust
	Why   string

	// Permissions are the job-level token permissions as written (gha).
	Permissions Permissions
	// Runner is what the job runs on.
	Runner Runner
	// Environment is the deployment environment the job targets.
	Environment String

	// Refuses names the pipeline-level variables the job does not receive
	// (gitlab `inherit: variables: false` or a list); nil: it receives all.
	Refuses map[string]bool

	// Env is the job-level environment (gha job `env`, gitlab job
	// `variables`): every step of the job receives it.
	Env        []*EnvVar
	EnvSources []*EnvSource

	Steps []*Step
	// Call is set for a gha job that calls a reusable workflow.
	Call *WorkflowCall

	// CloudRoles are the cloud identities the job assumes through OIDC
	// federation (aws role-to-assume, gcp workload identity provider and
	// service account, azure client id).
	CloudRoles []Identity

	// SecretUses are the job's references to CI secrets.
	SecretUses []SecretUse
	// TokenUses are explicit uses of the CI job token (gha github.token,
	// secrets.GITHUB_TOKEN; gitlab CI_JOB_TOKEN).
	TokenUses []TokenUse
	// IDTokens are gitlab `id_tokens` the job requests.
	IDTokens []IDToken
	// Credentials are registry credentials of the job's containers (gha
	// `container.credentials`, `services.*.credentials`).
	Credentials []Input
	// ContainerLoc is where the job's container is defined (gha
	// `container`, gitlab `image`), zero when it runs on the runner.
	ContainerLoc Location
}

// Effective returns the token permissions the job runs with: its own, else
// the workflow's. Set is false when neither is written.
func (j *CIJob) Effective() Permissions {
	if j.Permissions.Set {
		return j.Permissions
	}
	if j.Pipeline != nil {
		return j.Pipeline.Permissions
	}
	return Permissions{}
}

// CanReachSecrets reports whether the job's steps can read a CI secret:
// they reference one, or the job passes all secrets to a callee.
func (j *CIJob) CanReachSecrets() (SecretUse, bool) {
	for _, s := range j.SecretUses {
		if s.Name != "GITHUB_TOKEN" {
			return s, true
		}
	}
	if j.Call != nil && j.Call.SecretsInherit.IsTrue() {
		return SecretUse{Name: "every secret", Bulk: true, Loc: j.Call.SecretsInherit.Loc}, true
	}
	return SecretUse{}, false
}

// Runner is what a CI job runs on (gha `runs-on`, gitlab `tags`).
type Runner struct {
	Loc    Location
	Labels []String
	Group  String
	// SelfHosted: a label says self-hosted; Hosted: every label names a
	// GitHub-hosted image. Neither: unknown (custom labels, expressions).
	SelfHosted bool
	Hosted     bool
	// Windows: the runner runs Windows (default shell pwsh).
	Windows bool
}

// githubHostedLabel matches the labels of GitHub's standard hosted
// runners (https://docs.github.com/en/actions/reference/runners/github-hosted-runners).
var githubHostedLabel = regexp.MustCompile(`^(ubuntu|windows|macos)-(latest|[0-9]+(\.[0-9]+)?)(-arm|-arm64|-large|-xlarge|-intel)?$|^ubuntu-slim$`)

// IsGitHubHostedLabel reports a standard GitHub-hosted runner label
// (ubuntu-latest, windows-2022, macos-15-xlarge, ubuntu-24.04-arm). Larger
// runners' custom labels (ubuntu-24.04-4core) are not standard.
func IsGitHubHostedLabel(s string) bool { return githubHostedLabel.MatchString(s) }

// Display names the runner for messages.
func (r Runner) Display() string {
	var parts []string
	if r.Group.Known() {
		parts = append(parts, "group "+r.Group.Value)
	}
	for _, l := range r.Labels {
		parts = append(parts, l.Value)
	}
	return strings.Join(parts, ", ")
}

// Step is one step of a gha job or composite action.
type Step struct {
	Index int
	// Name is the step's `name`, else its `id`, else what it uses or runs.
	Name string
	Loc  Location // the step item
	// Uses is the action reference as written; Action its normalised
	// "owner/repo[/path]" in lower case ("docker://…", "./…" as written).
	Uses   String
	Action string
	// With are the action's inputs; WithUnknown is set when `with:` is a
	// single expression, so that no input is known.
	With        []Input
	WithUnknown bool
	// Env is the step-level environment.
	Env []*EnvVar
	// Run is the script; Shell the shell it runs in ("" for the default).
	Run   String
	Shell string
	// RunAllSecrets is the first expression in the script that expands
	// every secret (`toJSON(secrets)`, `secrets[expr]`); zero when none.
	RunAllSecrets Location
	// Commands are the simple commands of the script, in order.
	Commands []Command
	// EnvRefs are the environment variable names the step reads explicitly
	// (`$NAME`, `${{ env.NAME }}` in its script, inputs or env).
	EnvRefs []string
	// UntrustedCheckout is set when the step fetches or checks out code of
	// a pull request or other event-supplied ref; Why says how.
	UntrustedCheckout *Related
}

// Display names the step for messages.
func (s *Step) Display() string { return "step " + quote(s.Name) }

// Input returns the input with the given name, or nil.
func (s *Step) Input(name string) *Input {
	for i := range s.With {
		if s.With[i].Name == name {
			return &s.With[i]
		}
	}
	return nil
}

// ReadsEnv reports whether the step names the variable explicitly.
func (s *Step) ReadsEnv(name string) bool {
	for _, n := range s.EnvRefs {
		if n == name {
			return true
		}
	}
	return false
}

// Input is one `with:` entry of a step or reusable-workflow call. Value is
// the literal text; no output prints it.
type Input struct {
	Name  string
	Value String
	Loc   Location
	// Secret is set when the value is a CI secret reference.
	Secret *SecretRef
	// AllSecrets is the first expression in the value that expands every
	// secret (`toJSON(secrets)`, `secrets[expr]`); zero when none.
	AllSecrets Location
}

// Command is one simple command of a script: its name and arguments as
// written (expansions kept in source form, `$VAR`).
type Command struct {
	Name string
	Args []string
	Loc  Location
}

// WorkflowCall is a gha job that calls a reusable workflow.
type WorkflowCall struct {
	Uses String
	// SecretsInherit is `secrets: inherit`.
	SecretsInherit Bool
	// Secrets are explicitly passed secrets.
	Secrets []Input
	With    []Input
}

// SecretUse is one reference to a CI secret.
type SecretUse struct {
	Name string // the secret's name; "" with Bulk for all of them
	Bulk bool   // toJSON(secrets), secrets[…], secrets: inherit
	Loc  Location
}

// TokenUse is an explicit use of the CI job token.
type TokenUse struct {
	Loc Location
	// Target is the project or URL the token is sent to, as written.
	Target string
	// CrossProject: the target is known to be another project.
	CrossProject bool
}

// IDToken is a gitlab OIDC token a job requests.
type IDToken struct {
	Name string
	Aud  []string
	Loc  Location
}

// CheckoutPersists reports whether actions/checkout persists the token
// for a literal `persist-credentials` value: it reads the input as
// `(getInput('persist-credentials') || 'false').toUpperCase() === 'TRUE'`
// (src/input-helper.ts), so only a case-insensitive "true" persists and
// "false", "False", "no", "off" do not. An empty value is taken to
// persist: checkout would read it as false, but whether the runner passes
// it as written or puts the input's default (true) in its place is not
// documented, and a finding is the safe side.
func CheckoutPersists(v string) bool {
	v = strings.TrimSpace(v)
	return v == "" || strings.EqualFold(v, "true")
}

// IsJobTokenRef reports a `token:` value that is the job's own token
// (`${{ github.token }}`, `${{ secrets.GITHUB_TOKEN }}`, or empty: the
// input's default), not a personal or app token.
func IsJobTokenRef(v string) bool {
	switch strings.ToLower(strings.Join(strings.Fields(v), "")) {
	case "", "${{github.token}}", "${{secrets.github_token}}":
		return true
	}
	return false
}
