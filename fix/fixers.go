package fix

import (
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
}

// fixers are the mechanical fixes isolint knows, by rule.
var fixers = []fixer{
	{
		rule: "checkout-persists-credentials", formats: []model.Format{model.FormatGHA},
		does: "sets `persist-credentials: false` in the checkout step's `with:` (safe: a later step that pushes fails loudly rather than silently using the stored token)",
		plan: func(f *yamlFile, start *yaml.Node, _ rules.Finding) ([]change, Safety) {
			step := f.climb(start, f.isItemOf("steps"))
			if step == nil {
				return nil, 0
			}
			return []change{{anchor: step, path: []string{"with", "persist-credentials"}, value: "false"}}, Safe
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

// rootUser: a securityContext that names uid 0 or a non-literal user.
func (f *yamlFile) rootUser(owner *yaml.Node) bool {
	_, sc := get(owner, "securityContext")
	_, u := get(sc, "runAsUser")
	return u != nil && u.Value == "0"
}
