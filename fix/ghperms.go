package fix

import (
	"sort"
	"strings"

	yaml "go.yaml.in/yaml/v3"
)

// The GitHub Actions permissions fix: what GITHUB_TOKEN scopes a job
// needs, when every step of it is one isolint knows. A job's needs are the
// union of its steps' needs; a step is known when it is a `run:` that does
// not touch the token (it is not in a run step's environment unless passed
// in, and a `git push` over a checkout's stored token is not known), a
// `docker://` image, or an action in actionNeeds; a job that calls a local
// reusable workflow needs what the callee declares.

// scopes maps a GITHUB_TOKEN scope to "read" or "write".
type scopes map[string]string

func (s scopes) add(o scopes) {
	for k, v := range o {
		if s[k] != "write" {
			s[k] = v
		}
	}
}

// onlyContentsRead: nothing beyond the workflow default `contents: read`.
func (s scopes) onlyContentsRead() bool {
	for k, v := range s {
		if k != "contents" || v != "read" {
			return false
		}
	}
	return true
}

// actionNeed gives the scopes an action needs with its inputs (lower-case
// names), as its documentation states; ok false when they depend on what
// isolint cannot tell.
type actionNeed func(with map[string]string) (need scopes, ok bool)

func needs(s scopes) actionNeed {
	return func(map[string]string) (scopes, bool) { return s, true }
}

// oidc: id-token: write when the input that selects OIDC federation is set
// and the one that passes a stored key is not.
func oidc(federated, static string) actionNeed {
	return func(with map[string]string) (scopes, bool) {
		if with[federated] != "" && with[static] == "" {
			return scopes{"id-token": "write"}, true
		}
		return scopes{}, true
	}
}

// actionNeeds are the actions whose token use is known, by owner/repo (and
// path, for actions in a subfolder), from each action's README.
var actionNeeds = map[string]actionNeed{
	"actions/checkout":                         needs(scopes{"contents": "read"}),
	"actions/cache":                            needs(scopes{}),
	"actions/cache/restore":                    needs(scopes{}),
	"actions/cache/save":                       needs(scopes{}),
	"actions/upload-artifact":                  needs(scopes{}),
	"actions/upload-pages-artifact":            needs(scopes{}),
	"actions/configure-pages":                  needs(scopes{"pages": "write"}),
	"actions/deploy-pages":                     needs(scopes{"pages": "write", "id-token": "write"}),
	"actions/attest-build-provenance":          needs(scopes{"id-token": "write", "attestations": "write"}),
	"actions/labeler":                          needs(scopes{"contents": "read", "pull-requests": "write"}),
	"actions/stale":                            needs(scopes{"issues": "write", "pull-requests": "write"}),
	"actions/create-github-app-token":          needs(scopes{}),
	"docker/setup-buildx-action":               needs(scopes{}),
	"docker/setup-qemu-action":                 needs(scopes{}),
	"docker/metadata-action":                   needs(scopes{}),
	"docker/build-push-action":                 needs(scopes{}),
	"github/codeql-action/init":                needs(scopes{"actions": "read", "contents": "read", "security-events": "write"}),
	"github/codeql-action/autobuild":           needs(scopes{}),
	"github/codeql-action/analyze":             needs(scopes{"actions": "read", "contents": "read", "security-events": "write"}),
	"github/codeql-action/upload-sarif":        needs(scopes{"actions": "read", "contents": "read", "security-events": "write"}),
	"softprops/action-gh-release":              needs(scopes{"contents": "write"}),
	"peter-evans/create-pull-request":          needs(scopes{"contents": "write", "pull-requests": "write"}),
	"hashicorp/setup-terraform":                needs(scopes{}),
	"azure/setup-kubectl":                      needs(scopes{}),
	"azure/setup-helm":                         needs(scopes{}),
	"pnpm/action-setup":                        needs(scopes{}),
	"astral-sh/setup-uv":                       needs(scopes{}),
	"ruby/setup-ruby":                          needs(scopes{}),
	"dtolnay/rust-toolchain":                   needs(scopes{}),
	"aws-actions/configure-aws-credentials":    oidc("role-to-assume", "aws-access-key-id"),
	"google-github-actions/auth":               oidc("workload_identity_provider", "credentials_json"),
	"google-github-actions/setup-gcloud":       needs(scopes{}),
	"aws-actions/amazon-ecr-login":             needs(scopes{}),
	"actions/download-artifact":                downloadArtifact,
	"docker/login-action":                      dockerLogin,
	"azure/login":                              azureLogin,
	"golangci/golangci-lint-action":            golangciLint,
	"codecov/codecov-action":                   codecov,
	"actions/dependency-review-action":         dependencyReview,
	"actions/jekyll-build-pages":               needs(scopes{}),
	"jamesives/github-pages-deploy-action":     needs(scopes{"contents": "write"}),
	"actions/setup-node":                       needs(scopes{}),
	"actions/setup-python":                     needs(scopes{}),
	"actions/setup-go":                         needs(scopes{}),
	"actions/setup-java":                       needs(scopes{}),
	"actions/setup-dotnet":                     needs(scopes{}),
	"actions/upload-artifact/merge":            needs(scopes{}),
	"github/codeql-action/upload-sarif/upload": needs(scopes{"security-events": "write"}),
}

// downloadArtifact: from another run it needs `actions: read`.
func downloadArtifact(with map[string]string) (scopes, bool) {
	if with["run-id"] != "" {
		return scopes{"actions": "read"}, true
	}
	return scopes{}, true
}

// dockerLogin: pushing to GitHub's registry with the job token needs
// `packages: write`; any other registry uses its own credentials.
func dockerLogin(with map[string]string) (scopes, bool) {
	if strings.Contains(strings.ToLower(with["registry"]), "ghcr.io") || strings.Contains(strings.ToLower(with["registry"]), "docker.pkg.github.com") {
		return scopes{"packages": "write"}, true
	}
	return scopes{}, true
}

// azureLogin: OIDC when a client-id is given without `creds`.
func azureLogin(with map[string]string) (scopes, bool) {
	if with["creds"] == "" && with["client-id"] != "" {
		return scopes{"id-token": "write"}, true
	}
	return scopes{}, true
}

// golangciLint reads the pull request's diff for only-new-issues.
func golangciLint(with map[string]string) (scopes, bool) {
	s := scopes{"contents": "read"}
	if with["only-new-issues"] != "" {
		s["pull-requests"] = "read"
	}
	return s, true
}

// codecov: tokenless or with its own token; OIDC with use_oidc.
func codecov(with map[string]string) (scopes, bool) {
	if with["use_oidc"] != "" && with["use_oidc"] != "false" {
		return scopes{"id-token": "write"}, true
	}
	return scopes{}, true
}

// dependencyReview: reading the diff needs `contents: read`; a summary
// comment needs `pull-requests: write`.
func dependencyReview(with map[string]string) (scopes, bool) {
	s := scopes{"contents": "read"}
	if v := with["comment-summary-in-pr"]; v != "" && v != "never" && v != "false" {
		s["pull-requests"] = "write"
	}
	return s, true
}

// jobNeeds returns the scopes job needs, and false when some part of it
// is not one isolint knows.
func (f *yamlFile) jobNeeds(job *yaml.Node) (scopes, bool) {
	if c, ok := f.needs[job]; ok {
		return c.s, c.known
	}
	s, known := f.jobNeedsOf(job)
	if f.needs == nil {
		f.needs = map[*yaml.Node]jobScopes{}
	}
	f.needs[job] = jobScopes{s, known}
	return s, known
}

func (f *yamlFile) jobNeedsOf(job *yaml.Node) (scopes, bool) {
	out := scopes{}
	if _, uses := get(job, "uses"); uses != nil {
		if uses.Kind != yaml.ScalarNode {
			return nil, false
		}
		return f.calleePermissions(uses.Value)
	}
	for i := 0; i+1 < len(job.Content); i += 2 {
		if job.Content[i].Value != "steps" && mentionsToken(job.Content[i+1]) {
			return nil, false // a container's credentials, a job env
		}
	}
	_, steps := get(job, "steps")
	if steps == nil || steps.Kind != yaml.SequenceNode {
		return nil, false
	}
	for _, st := range steps.Content {
		s, ok := stepNeeds(st)
		if !ok {
			return nil, false
		}
		out.add(s)
	}
	return out, true
}

func stepNeeds(st *yaml.Node) (scopes, bool) {
	if st.Kind != yaml.MappingNode {
		return nil, false
	}
	_, run := get(st, "run")
	_, uses := get(st, "uses")
	switch {
	case run != nil && uses == nil:
		if mentionsToken(st) || run.Kind != yaml.ScalarNode || gitPush(run.Value) {
			return nil, false
		}
		return scopes{}, true
	case uses != nil && run == nil && uses.Kind == yaml.ScalarNode:
		if _, env := get(st, "env"); mentionsToken(env) {
			return nil, false
		}
		ref := uses.Value
		if strings.HasPrefix(ref, "docker://") {
			if mentionsToken(st) {
				return nil, false
			}
			return scopes{}, true
		}
		name, _, pinned := strings.Cut(ref, "@")
		if !pinned || strings.HasPrefix(name, ".") {
			return nil, false // a local action reads what it likes
		}
		need := actionNeeds[strings.ToLower(name)]
		if need == nil && strings.HasPrefix(strings.ToLower(name), "actions/setup-") {
			need = needs(scopes{}) // toolchain installers: public downloads
		}
		if need == nil {
			return nil, false
		}
		with := map[string]string{}
		if _, w := get(st, "with"); w != nil {
			if w.Kind != yaml.MappingNode {
				return nil, false
			}
			for i := 0; i+1 < len(w.Content); i += 2 {
				with[strings.ToLower(w.Content[i].Value)] = w.Content[i+1].Value
			}
		}
		return need(with)
	}
	return nil, false
}

// gitPush: a script that may push over the checkout's stored token.
func gitPush(script string) bool {
	return strings.Contains(script, "git push") || strings.Contains(script, "push") && strings.Contains(script, "git ")
}

// mentionsToken reports whether any scalar below n names the job token
// (`github.token`, `secrets.GITHUB_TOKEN`, an env var of that name) or
// the whole secrets or github context.
func mentionsToken(n *yaml.Node) bool {
	if n == nil {
		return false
	}
	if n.Kind == yaml.ScalarNode {
		v := strings.ToLower(n.Value)
		return strings.Contains(v, "github.token") || strings.Contains(v, "github_token") ||
			strings.Contains(v, "tojson(secrets)") || strings.Contains(v, "tojson(github)") || strings.Contains(v, "secrets[")
	}
	for _, c := range n.Content {
		if mentionsToken(c) {
			return true
		}
	}
	return false
}

// calleePermissions: a local reusable workflow's jobs get at most what
// the calling job grants, so the caller needs what the callee declares
// (its workflow-level permissions, or every job's own).
func (f *yamlFile) calleePermissions(uses string) (scopes, bool) {
	callee, ok := f.localCallee(uses)
	if !ok {
		return nil, false
	}
	top := callee.docs[0].Content[0]
	if _, p := get(top, "permissions"); p != nil {
		return permissionScopes(p)
	}
	_, jobs := get(top, "jobs")
	if jobs == nil || jobs.Kind != yaml.MappingNode || len(jobs.Content) == 0 {
		return nil, false
	}
	out := scopes{}
	for i := 1; i < len(jobs.Content); i += 2 {
		_, p := get(jobs.Content[i], "permissions")
		s, ok := permissionScopes(p)
		if !ok {
			return nil, false
		}
		out.add(s)
	}
	return out, true
}

// permissionScopes reads a `permissions:` value written as a mapping of
// scopes ({} included); write-all, read-all and expressions are not.
func permissionScopes(p *yaml.Node) (scopes, bool) {
	if p == nil || p.Kind != yaml.MappingNode {
		return nil, false
	}
	out := scopes{}
	for i := 0; i+1 < len(p.Content); i += 2 {
		switch lv := p.Content[i+1].Value; lv {
		case "read", "write":
			out[p.Content[i].Value] = lv
		case "none":
		default:
			return nil, false
		}
	}
	return out, true
}

// jobPermissionChanges writes scopes as the job's own `permissions:`.
func jobPermissionChanges(job *yaml.Node, s scopes) []change {
	if len(s) == 0 {
		return []change{{anchor: job, path: []string{"permissions"}, value: "{}", before: "steps"}}
	}
	keys := make([]string, 0, len(s))
	for k := range s {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	out := make([]change, 0, len(keys))
	for _, k := range keys {
		out = append(out, change{anchor: job, path: []string{"permissions", k}, value: s[k], before: "steps"})
	}
	return out
}

// planPermissions is the fix for a job that has no `permissions:` in a
// workflow that sets none. When every such job of the workflow is known,
// the workflow gets `contents: read` and each job that needs more its own
// scopes (safe); when only this job is known, it gets its own scopes
// (safe); otherwise the workflow-wide `contents: read` is a guess (unsafe).
// allJobsKnown reports whether every job of the workflow top either sets
// its permissions or has needs jobNeeds knows. It is the same for every job
// of the workflow, so it is worked out once per workflow: asked per job, it
// made planning a workflow's permission fixes quadratic in its jobs.
func (f *yamlFile) allJobsKnown(top *yaml.Node) bool {
	if all, ok := f.jobsKnown[top]; ok {
		return all
	}
	_, jobs := get(top, "jobs")
	all := jobs != nil && jobs.Kind == yaml.MappingNode
	for i := 1; all && i < len(jobs.Content); i += 2 {
		j := jobs.Content[i]
		if j.Kind != yaml.MappingNode {
			all = false
			break
		}
		if k, _ := get(j, "permissions"); k != nil {
			continue
		}
		if _, ok := f.jobNeeds(j); !ok {
			all = false
		}
	}
	if f.jobsKnown == nil {
		f.jobsKnown = map[*yaml.Node]bool{}
	}
	f.jobsKnown[top] = all
	return all
}

func (f *yamlFile) planPermissions(top, job *yaml.Node) ([]change, Safety) {
	workflowDefault := change{anchor: top, path: []string{"permissions", "contents"}, value: "read", before: "jobs"}
	mine, known := f.jobNeeds(job)
	if !known {
		return []change{workflowDefault}, Unsafe
	}
	if !f.allJobsKnown(top) {
		return jobPermissionChanges(job, mine), Safe
	}
	if mine.onlyContentsRead() {
		return []change{workflowDefault}, Safe
	}
	return append([]change{workflowDefault}, jobPermissionChanges(job, mine)...), Safe
}
