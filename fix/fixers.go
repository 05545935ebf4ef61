package fix

import (
	"bytes"
	"path"
	"regexp"
	"strings"

	"github.com/isolint/isolint/model"
	"github.com/isolint/isolint/rules"
	yaml "go.yaml.in/yaml/v3"
)

// A fixer turns one finding into changes of the YAML file it points into.
// start is the mapping the finding's location resolved to (see
// yamlFile.at); a fixer climbs from there to the object it edits. It
// returns no changes when the finding has no mechanical fix.
type fixer struct {
	rule    string
	formats []model.Format
	// what the fix does, for `isolint explain` and the outputs
	does string
	plan func(f *yamlFile, start *yaml.Node, fd rules.Finding) ([]change, Safety)
	// inText: the finding may point inside a scalar's text (a flag in a
	// script), where no node starts; plan then gets a nil start
	inText bool
}

// fixers are the mechanical fixes isolint knows, by rule.
var fixers = []fixer{
	{
		rule: "checkout-persists-credentials", formats: []model.Format{model.FormatGHA},
		does: "sets `persist-credentials: false` in the checkout step's `with:` (safe, unless a later step of the job runs `git push` or a pushing action, or the checkout is given a token of its own (`token:` a personal or app token, which a later script is likely to push or fetch with): then unsafe, as those steps need a token of their own)",
		plan: func(f *yamlFile, start *yaml.Node, _ rules.Finding) ([]change, Safety) {
			step := f.climb(start, f.isItemOf("steps"))
			if step == nil {
				return nil, 0
			}
			safety := Safe
			if f.laterStepPushes(step) || ownCheckoutToken(step) {
				safety = Unsafe
			}
			return []change{{anchor: step, path: []string{"with", "persist-credentials"}, value: "false"}}, safety
		},
	},
	{
		rule: "privilege-escalation", formats: []model.Format{model.FormatK8s, model.FormatCompose},
		does: "sets `allowPrivilegeEscalation: false` in the container's securityContext (Compose: adds `no-new-privileges:true` to `security_opt`), where the container is not privileged and adds no capability that needs escalation (safe)",
		plan: func(f *yamlFile, start *yaml.Node, fd rules.Finding) ([]change, Safety) {
			if fd.Format == model.FormatCompose {
				svc := f.climb(start, f.isValueOf("services"))
				if svc == nil || f.composeEscalates(svc) {
					return nil, 0
				}
				return []change{{anchor: svc, path: []string{"security_opt"}, item: "no-new-privileges:true"}}, Safe
			}
			c := f.climb(start, f.isContainer)
			if c == nil || f.needsEscalation(c) {
				return nil, 0
			}
			return []change{{anchor: c, path: []string{"securityContext", "allowPrivilegeEscalation"}, value: "false"}}, Safe
		},
	},
	{
		rule: "privilege-escalation", formats: []model.Format{model.FormatCFN},
		does: "adds `no-new-privileges` to the ECS container definition's `DockerSecurityOptions`, where it is not privileged and adds no SYS_ADMIN or ALL (safe)",
		plan: func(f *yamlFile, start *yaml.Node, _ rules.Finding) ([]change, Safety) {
			c := f.climb(start, f.isItemOf("ContainerDefinitions"))
			if c == nil || f.ecsEscalates(c) {
				return nil, 0
			}
			return []change{{anchor: c, path: []string{"DockerSecurityOptions"}, item: "no-new-privileges"}}, Safe
		},
	},
	{
		rule: "service-account-token-automount", formats: []model.Format{model.FormatK8s},
		does: "sets `automountServiceAccountToken: false` in the pod spec (unsafe: an application that calls the Kubernetes API loses its token)",
		plan: func(f *yamlFile, start *yaml.Node, _ rules.Finding) ([]change, Safety) {
			if spec := f.climb(start, isPodSpec); spec != nil {
				return []change{{anchor: spec, path: []string{"automountServiceAccountToken"}, value: "false"}}, Unsafe
			}
			if obj := f.climb(start, isKind("ServiceAccount")); obj != nil {
				return []change{{anchor: obj, path: []string{"automountServiceAccountToken"}, value: "false"}}, Unsafe
			}
			return nil, 0
		},
	},
	{
		rule: "writable-root-filesystem", formats: []model.Format{model.FormatCFN},
		does: "sets `ReadonlyRootFilesystem: true` in the ECS container definition (unsafe: a process that writes outside its volumes fails)",
		plan: func(f *yamlFile, start *yaml.Node, fd rules.Finding) ([]change, Safety) {
			if c := f.climb(start, f.isItemOf("ContainerDefinitions")); c != nil {
				return []change{{anchor: c, path: []string{"ReadonlyRootFilesystem"}, value: "true"}}, Unsafe
			}
			return nil, 0
		},
	},
	{
		rule: "writable-root-filesystem", formats: []model.Format{model.FormatK8s, model.FormatCompose},
		does: "sets `readOnlyRootFilesystem: true` in the container's securityContext (Compose: `read_only: true`) (unsafe: a process that writes outside its volumes fails)",
		plan: func(f *yamlFile, start *yaml.Node, fd rules.Finding) ([]change, Safety) {
			if fd.Format == model.FormatCompose {
				if svc := f.climb(start, f.isValueOf("services")); svc != nil {
					return []change{{anchor: svc, path: []string{"read_only"}, value: "true"}}, Unsafe
				}
				return nil, 0
			}
			if c := f.climb(start, f.isContainer); c != nil {
				return []change{{anchor: c, path: []string{"securityContext", "readOnlyRootFilesystem"}, value: "true"}}, Unsafe
			}
			return nil, 0
		},
	},
	{
		rule: "runs-as-root", formats: []model.Format{model.FormatK8s},
		does: "sets `runAsNonRoot: true` in the container's securityContext, where no `runAsUser: 0` contradicts it (unsafe: an image whose user is root no longer starts)",
		plan: func(f *yamlFile, start *yaml.Node, _ rules.Finding) ([]change, Safety) {
			c := f.climb(start, f.isContainer)
			if c == nil || f.rootUser(c) {
				return nil, 0
			}
			if spec := f.climb(c, isPodSpec); spec != nil && f.rootUser(spec) {
				return nil, 0
			}
			return []change{{anchor: c, path: []string{"securityContext", "runAsNonRoot"}, value: "true"}}, Unsafe
		},
	},
}

func init() {
	fixers = append(fixers,
		fixer{
			rule: "secrets-inherit", formats: []model.Format{model.FormatGHA},
			does: "replaces `secrets: inherit` with the secrets the local reusable workflow declares in `on.workflow_call.secrets`, each passed by name (safe: the callee reads no other secret)",
			plan: func(f *yamlFile, start *yaml.Node, _ rules.Finding) ([]change, Safety) {
				job := f.climb(start, f.isValueOf("jobs"))
				if job == nil {
					return nil, 0
				}
				k, v := get(job, "secrets")
				_, uses := get(job, "uses")
				if v == nil || v.Kind != yaml.ScalarNode || v.Value != "inherit" || uses == nil {
					return nil, 0
				}
				names, ok := f.calleeSecrets(uses.Value)
				if !ok {
					return nil, 0
				}
				return []change{{anchor: job, path: []string{"secrets"}, block: secretsBlock(names), key: k}}, Safe
			},
		},
		fixer{
			rule: "dangerous-capability", formats: []model.Format{model.FormatCFN},
			does: "removes the capability from the ECS container definition's `LinuxParameters.Capabilities.Add` and drops ALL (`Drop: [ALL]`) (unsafe: a process that needs the capability fails)",
			plan: func(f *yamlFile, start *yaml.Node, fd rules.Finding) ([]change, Safety) {
				it := f.item(fd.Loc.Line, fd.Loc.Col)
				c := f.climb(start, f.isItemOf("ContainerDefinitions"))
				if it == nil || c == nil || f.keyOf(f.parent[it]) != "Add" {
					return nil, 0
				}
				return []change{{drop: it}, {anchor: c, path: []string{"LinuxParameters", "Capabilities", "Drop"}, item: "ALL"}}, Unsafe
			},
		},
		fixer{
			rule: "dangerous-capability", formats: []model.Format{model.FormatK8s, model.FormatCompose},
			does: "removes the capability from the added list and drops ALL capabilities (`capabilities.drop: [ALL]`; Compose `cap_drop: [ALL]`) (unsafe: a process that needs the capability fails)",
			plan: func(f *yamlFile, start *yaml.Node, fd rules.Finding) ([]change, Safety) {
				it := f.item(fd.Loc.Line, fd.Loc.Col)
				if it == nil {
					return nil, 0
				}
				if fd.Format == model.FormatCompose {
					svc := f.climb(start, f.isValueOf("services"))
					if svc == nil || f.keyOf(f.parent[it]) != "cap_add" {
						return nil, 0
					}
					return []change{{drop: it}, {anchor: svc, path: []string{"cap_drop"}, item: "ALL"}}, Unsafe
				}
				c := f.climb(start, f.isContainer)
				if c == nil || f.keyOf(f.parent[it]) != "add" {
					return nil, 0
				}
				return []change{{drop: it}, {anchor: c, path: []string{"securityContext", "capabilities", "drop"}, item: "ALL"}}, Unsafe
			},
		},
		fixer{
			rule: "secret-scope-too-wide", formats: []model.Format{model.FormatGHA},
			does: "moves a secret bound in workflow- or job-level `env` into the `env` of the steps that read it (unsafe: a step that reads it as `${{ env.NAME }}` inside its own `env` no longer sees it)",
			plan: func(f *yamlFile, start *yaml.Node, fd rules.Finding) ([]change, Safety) {
				k, v := keyAt(f, start, fd)
				if k == nil || v == nil || v.Kind != yaml.ScalarNode || f.keyOf(start) != "env" {
					return nil, 0
				}
				text, ok := f.valueText(k, v)
				if !ok || !strings.Contains(text, "secrets.") {
					return nil, 0
				}
				changes := []change{{anchor: start, path: []string{k.Value}, remove: true}}
				for _, rel := range fd.Related {
					if !strings.Contains(rel.Message, "uses it") {
						continue
					}
					step, ok := f.at(rel.Loc.Line, rel.Loc.Col)
					if !ok || !f.isItemOf("steps")(step) {
						return nil, 0
					}
					changes = append(changes, change{anchor: step, path: []string{"env", k.Value}, value: text})
				}
				if len(changes) == 1 {
					return nil, 0 // no step names it: an action may read it implicitly
				}
				return changes, Unsafe
			},
		},
		fixer{
			rule: "overprivileged-identity", formats: []model.Format{model.FormatGHA},
			does: "gives a workflow that sets no `permissions:` the default `contents: read`, and each job that needs more its own `permissions:` with the scopes its steps need (safe where every step is a `run:` that does not touch the token or an action whose needs isolint knows; otherwise unsafe: a job that pushes, comments or publishes needs its own `permissions:` then)",
			plan: func(f *yamlFile, start *yaml.Node, fd rules.Finding) ([]change, Safety) {
				if !strings.HasSuffix(fd.Loc.Path, ".permissions") || !fd.Loc.Synthetic {
					return nil, 0 // write-all and broad grants need a person's choice
				}
				top := f.climb(start, func(n *yaml.Node) bool { p := f.parent[n]; return p == nil || p.Kind == yaml.DocumentNode })
				if top == nil {
					return nil, 0
				}
				if k, _ := get(top, "permissions"); k != nil {
					return nil, 0
				}
				job := f.climb(start, f.isValueOf("jobs"))
				if job == nil {
					return []change{{anchor: top, path: []string{"permissions", "contents"}, value: "read", before: "jobs"}}, Unsafe
				}
				if k, _ := get(job, "permissions"); k != nil {
					return nil, 0
				}
				return f.planPermissions(top, job)
			},
		},
	)
}

// calleeSecrets returns the secrets a local reusable workflow declares
// (`uses: ./.github/workflows/x.yml`), when every secret it reads is one it
// declares (with `secrets: inherit` it could read any).
func (f *yamlFile) calleeSecrets(uses string) ([]string, bool) {
	callee, ok := f.localCallee(uses)
	if !ok {
		return nil, false
	}
	src := callee.src
	_, on := get(callee.docs[0].Content[0], "on")
	_, call := get(on, "workflow_call")
	_, secrets := get(call, "secrets")
	declared := map[string]bool{}
	var names []string
	if secrets != nil {
		if secrets.Kind != yaml.MappingNode {
			return nil, false
		}
		for i := 0; i < len(secrets.Content); i += 2 {
			n := secrets.Content[i].Value
			declared[strings.ToUpper(n)] = true
			names = append(names, n)
		}
	} else if call == nil {
		return nil, false // not a reusable workflow
	}
	for _, m := range secretRef.FindAllStringSubmatch(string(src), -1) {
		if n := strings.ToUpper(m[1]); n != "GITHUB_TOKEN" && !declared[n] {
			return nil, false
		}
	}
	if bytes.Contains(src, []byte("toJSON(secrets)")) || bytes.Contains(src, []byte("secrets[")) {
		return nil, false
	}
	return names, true
}

// laterStepPushes reports whether a step after step in its job pushes
// with git (over the credentials a checkout stores).
func (f *yamlFile) laterStepPushes(step *yaml.Node) bool {
	seq := f.parent[step]
	after := false
	for _, st := range seq.Content {
		if st == step {
			after = true
			continue
		}
		if !after || st.Kind != yaml.MappingNode {
			continue
		}
		if _, run := get(st, "run"); run != nil && gitPush(run.Value) {
			return true
		}
		if _, uses := get(st, "uses"); uses != nil {
			name, _, _ := strings.Cut(strings.ToLower(uses.Value), "@")
			if pushingActions[name] {
				return true
			}
		}
	}
	return false
}

// ownCheckoutToken reports a checkout step given a token other than the
// job's (`with: token: ${{ secrets.BOT_PAT }}`): a workflow hands checkout
// a personal or app token so that later git commands (often inside a
// script isolint cannot read: node's commit-queue.sh, pytorch's
// trymerge.py) push or fetch with it.
func ownCheckoutToken(step *yaml.Node) bool {
	_, with := get(step, "with")
	if with == nil || with.Kind != yaml.MappingNode {
		return false
	}
	_, tok := get(with, "token")
	if tok == nil || tok.Kind != yaml.ScalarNode {
		return false
	}
	return !model.IsJobTokenRef(tok.Value)
}

// pushingActions commit and push with the credentials a checkout stores.
var pushingActions = map[string]bool{
	"stefanzweifel/git-auto-commit-action": true,
	"endbug/add-and-commit":                true,
	"ad-m/github-push-action":              true,
	"planetscale/ghcommit-action":          true,
}

// localCallee reads the local reusable workflow a job calls (`uses:
// ./.github/workflows/x.yml`), from the same repository.
func (f *yamlFile) localCallee(uses string) (*yamlFile, bool) {
	if !strings.HasPrefix(uses, "./") || strings.Contains(uses, "@") || f.read == nil {
		return nil, false
	}
	i := strings.Index(f.path, ".github/")
	if i < 0 {
		return nil, false
	}
	rel := path.Clean(strings.TrimPrefix(uses, "./"))
	if strings.HasPrefix(rel, "../") || rel == ".." {
		return nil, false
	}
	p := f.path[:i] + rel
	if c, seen := f.callees[p]; seen {
		return c, c != nil
	}
	if f.callees == nil {
		f.callees = map[string]*yamlFile{}
	}
	f.callees[p] = nil
	src, err := f.read(p)
	if err != nil {
		return nil, false
	}
	callee, err := parseYAML(src)
	if err != nil || len(callee.docs) != 1 || len(callee.docs[0].Content) != 1 || callee.docs[0].Content[0].Kind != yaml.MappingNode {
		return nil, false
	}
	f.callees[p] = callee
	return callee, true
}

var secretRef = regexp.MustCompile(`secrets\.([A-Za-z_][A-Za-z0-9_-]*)`)

// secretsBlock renders `NAME: ${{ secrets.NAME }}` lines.
func secretsBlock(names []string) []string {
	if len(names) == 0 {
		return nil
	}
	out := make([]string, 0, len(names))
	for _, n := range names {
		out = append(out, n+": ${{ secrets."+n+" }}")
	}
	return out
}

// climb returns the first of start and its ancestors that is a mapping
// for which is holds.
func (f *yamlFile) climb(start *yaml.Node, is func(*yaml.Node) bool) *yaml.Node {
	for n, depth := start, 0; n != nil && depth <= maxDepth; n, depth = f.parent[n], depth+1 {
		if n.Kind == yaml.MappingNode && is(n) {
			return n
		}
	}
	return nil
}

// isItemOf: a mapping that is an item of the sequence under key.
func (f *yamlFile) isItemOf(key string) func(*yaml.Node) bool {
	return func(n *yaml.Node) bool {
		s := f.parent[n]
		return s != nil && s.Kind == yaml.SequenceNode && f.keyOf(s) == key
	}
}

// isValueOf: a mapping that is a value in the mapping under key
// (services.<name>).
func (f *yamlFile) isValueOf(key string) func(*yaml.Node) bool {
	return func(n *yaml.Node) bool {
		p := f.parent[n]
		if p == nil || p.Kind != yaml.MappingNode || f.keyOf(p) != key {
			return false
		}
		top := f.parent[f.parent[p]]
		return top == nil || top.Kind == yaml.DocumentNode
	}
}

func (f *yamlFile) isContainer(n *yaml.Node) bool {
	s := f.parent[n]
	if s == nil || s.Kind != yaml.SequenceNode {
		return false
	}
	switch f.keyOf(s) {
	case "containers", "initContainers", "ephemeralContainers":
		return true
	}
	return false
}

func isPodSpec(n *yaml.Node) bool {
	_, c := get(n, "containers")
	return c != nil && c.Kind == yaml.SequenceNode
}

func isKind(kind string) func(*yaml.Node) bool {
	return func(n *yaml.Node) bool {
		_, k := get(n, "kind")
		_, api := get(n, "apiVersion")
		return k != nil && api != nil && k.Value == kind
	}
}

// needsEscalation: a container that runs privileged or adds SYS_ADMIN (or
// ALL) can escalate whatever allowPrivilegeEscalation says, and Kubernetes
// rejects `false` beside them.
func (f *yamlFile) needsEscalation(c *yaml.Node) bool {
	_, sc := get(c, "securityContext")
	if _, p := get(sc, "privileged"); p != nil && yamlBools[p.Value] != "false" {
		return true
	}
	_, caps := get(sc, "capabilities")
	_, add := get(caps, "add")
	if add != nil {
		for _, it := range add.Content {
			n := strings.TrimPrefix(strings.ToUpper(it.Value), "CAP_")
			if n == "SYS_ADMIN" || n == "ALL" || it.Kind != yaml.ScalarNode {
				return true
			}
		}
	}
	return false
}

// composeEscalates: a privileged service, one that adds SYS_ADMIN or ALL,
// or one whose security_opt already names no-new-privileges.
func (f *yamlFile) composeEscalates(svc *yaml.Node) bool {
	if _, p := get(svc, "privileged"); p != nil && yamlBools[p.Value] != "false" {
		return true
	}
	if _, add := get(svc, "cap_add"); add != nil {
		for _, it := range add.Content {
			n := strings.TrimPrefix(strings.ToUpper(it.Value), "CAP_")
			if n == "SYS_ADMIN" || n == "ALL" || it.Kind != yaml.ScalarNode {
				return true
			}
		}
	}
	if _, opts := get(svc, "security_opt"); opts != nil {
		for _, it := range opts.Content {
			if strings.HasPrefix(it.Value, "no-new-privileges") {
				return true
			}
		}
	}
	return false
}

// ecsEscalates: a CloudFormation ECS container that runs privileged or
// adds SYS_ADMIN or ALL (or says so through an intrinsic isolint does not
// evaluate here).
func (f *yamlFile) ecsEscalates(c *yaml.Node) bool {
	if _, p := get(c, "Privileged"); p != nil && (p.Kind != yaml.ScalarNode || yamlBools[p.Value] != "false") {
		return true
	}
	_, lp := get(c, "LinuxParameters")
	_, caps := get(lp, "Capabilities")
	if _, add := get(caps, "Add"); add != nil {
		if add.Kind != yaml.SequenceNode {
			return true
		}
		for _, it := range add.Content {
			n := strings.TrimPrefix(strings.ToUpper(it.Value), "CAP_")
			if n == "SYS_ADMIN" || n == "ALL" || it.Kind != yaml.ScalarNode {
				return true
			}
		}
	}
	return false
}

// rootUser: a securityContext that names uid 0 or a non-literal user.
func (f *yamlFile) rootUser(owner *yaml.Node) bool {
	_, sc := get(owner, "securityContext")
	_, u := get(sc, "runAsUser")
	return u != nil && u.Value == "0"
}

// keyAt returns the key the finding points at in mapping m, and its value.
func keyAt(f *yamlFile, m *yaml.Node, fd rules.Finding) (k, v *yaml.Node) {
	for i := 0; i+1 < len(m.Content); i += 2 {
		if c := m.Content[i]; c.Line == fd.Loc.Line && c.Column == fd.Loc.Col {
			return c, m.Content[i+1]
		}
	}
	return nil, nil
}
