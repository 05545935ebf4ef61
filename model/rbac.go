package model

import (
	"sort"
	"strings"
)

// Role is a Kubernetes Role or ClusterRole.
type Role struct {
	Unit      string // see Workload.Unit
	Kind      string // "Role" or "ClusterRole"
	Namespace string // empty for a ClusterRole
	Name      string
	Loc       Location
	Rules     []PolicyRule
	Labels    map[string]string
	// Aggregated is true for a ClusterRole with an aggregationRule: the
	// controller replaces its rules with those of the ClusterRoles its
	// selectors match (see RoleAggregation).
	Aggregated bool
	// AggregationSelectors are the aggregationRule's clusterRoleSelectors.
	AggregationSelectors []LabelSelector
}

// PolicyRule is one entry of a role's rules.
type PolicyRule struct {
	Loc           Location
	APIGroups     []string
	Resources     []string
	ResourcesLoc  Location
	Verbs         []string
	VerbsLoc      Location
	ResourceNames []string
	// NonResourceURLs are the API server paths (/metrics, /healthz …) a
	// ClusterRole rule grants instead of resources.
	NonResourceURLs []string
}

// Key identifies the role in its cluster: kind, namespace and name.
func (r *Role) Key() string { return RoleKey(r.Kind, r.Namespace, r.Name) }

// RoleKey is Role.Key of the role of that kind, namespace (empty for a
// ClusterRole) and name: what a binding's roleRef is looked up by.
func RoleKey(kind, namespace, name string) string { return kind + "/" + namespace + "/" + name }

// Key identifies the binding in its cluster: kind, namespace and name.
func (b *RoleBinding) Key() string { return b.Kind + "/" + b.Namespace + "/" + b.Name }

// RoleBinding is a Kubernetes RoleBinding or ClusterRoleBinding.
type RoleBinding struct {
	Unit      string // see Workload.Unit
	Kind      string // "RoleBinding" or "ClusterRoleBinding"
	Namespace string // empty for a ClusterRoleBinding
	Name      string
	Loc       Location
	RoleRef   RoleRef
	Subjects  []Subject
}

// RoleRef names the role a binding grants.
type RoleRef struct {
	Kind string // "Role" or "ClusterRole"
	Name string
	Loc  Location // the roleRef name key
}

// Subject is who a binding grants the role to.
type Subject struct {
	Kind      string // "ServiceAccount", "User", "Group"
	Name      string
	Namespace string // defaulted to the binding's namespace for a RoleBinding
	Loc       Location
}

// SubjectScope is which workloads a binding subject gives its role to.
type SubjectScope int

const (
	// ScopeNone: a human user or a group that holds no service account.
	ScopeNone SubjectScope = iota
	// ScopeAccount: one service account (the subject's namespace and name).
	ScopeAccount
	// ScopeNamespace: every service account of one namespace (group
	// system:serviceaccounts:<ns>).
	ScopeNamespace
	// ScopeAllAccounts: every service account of the cluster (group
	// system:serviceaccounts, and system:authenticated, which every
	// service account's token also belongs to).
	ScopeAllAccounts
	// ScopeAnonymous: every request without credentials (User
	// system:anonymous, group system:unauthenticated). Any pod can send one
	// by leaving its token out, whatever account it runs as and whether or
	// not a token is mounted, as long as the API server admits anonymous
	// requests (its default).
	ScopeAnonymous
)

// Scope says which workloads the subject covers and, for ScopeAccount and
// ScopeNamespace, the namespace (and account name) it names. Group and user
// names are matched as the API server's authenticators set them:
// https://kubernetes.io/docs/reference/access-authn-authz/authentication/#anonymous-requests
// and …/rbac/#referring-to-subjects.
func (s Subject) Scope() (scope SubjectScope, namespace, name string) {
	switch s.Kind {
	case "ServiceAccount":
		return ScopeAccount, s.Namespace, s.Name
	case "User":
		if s.Name == "system:anonymous" {
			return ScopeAnonymous, "", ""
		}
		if rest, ok := strings.CutPrefix(s.Name, "system:serviceaccount:"); ok {
			if ns, name, ok := strings.Cut(rest, ":"); ok && !strings.Contains(name, ":") {
				return ScopeAccount, ns, name
			}
		}
	case "Group":
		switch s.Name {
		case "system:serviceaccounts", "system:authenticated":
			return ScopeAllAccounts, "", ""
		case "system:unauthenticated":
			return ScopeAnonymous, "", ""
		}
		if ns, ok := strings.CutPrefix(s.Name, "system:serviceaccounts:"); ok {
			return ScopeNamespace, ns, ""
		}
	}
	return ScopeNone, "", ""
}

// Matches reports whether the subject covers the service account
// namespace/name: the account itself, the groups of all service accounts
// (system:serviceaccounts, system:authenticated) and of its namespace
// (system:serviceaccounts:<ns>), or anonymous requests, which a pod of any
// account can make.
func (s Subject) Matches(namespace, name string) bool {
	scope, ns, n := s.Scope()
	switch scope {
	case ScopeAccount:
		return ns == namespace && n == name
	case ScopeNamespace:
		return ns == namespace
	case ScopeAllAccounts, ScopeAnonymous:
		return true
	}
	return false
}

// Allows reports whether the rule grants verb on resource ("secrets",
// "pods/exec") of the API group ("" for the core group), matching as the
// RBAC authorizer does: "*" matches any verb, group or resource (and any
// subresource), "*/exec" any resource's exec subresource. Resource names
// are not considered: see ResourceNames.
func (r PolicyRule) Allows(verb, group, resource string) bool {
	return matchAny(r.Verbs, verb) && matchAny(r.APIGroups, group) && matchResource(r.Resources, resource)
}

func matchAny(list []string, s string) bool {
	for _, x := range list {
		if x == "*" || x == s {
			return true
		}
	}
	return false
}

func matchResource(list []string, resource string) bool {
	sub := ""
	if i := strings.IndexByte(resource, '/'); i >= 0 {
		sub = resource[i:]
	}
	for _, x := range list {
		if x == "*" || x == resource || (sub != "" && x == "*"+sub) {
			return true
		}
	}
	return false
}

// GrantsExec reports whether the rule lets its holder run commands in a pod
// or attach to its console: create or get on pods/exec or pods/attach.
func (r PolicyRule) GrantsExec() bool {
	return r.execVerb("pods/exec") != "" || r.execVerb("pods/attach") != ""
}

// execVerb returns the verb of the rule that opens the pod subresource sub
// (pods/exec, pods/attach), or "". Besides create, get is enough: an exec
// or attach opened over a WebSocket is an HTTP GET, which the API server
// authorizes as the verb get; only from Kubernetes 1.35 does it also ask
// for create (https://github.com/kubernetes/kubernetes/pull/134577).
func (r PolicyRule) execVerb(sub string) string {
	for _, v := range []string{"create", "get"} {
		if r.Allows(v, "", sub) {
			return v
		}
	}
	return ""
}

// podMakers are the resources whose creation starts a pod: pods and the
// built-in controllers of a pod template, by API group.
var podMakers = []struct{ group, resource string }{
	{"", "pods"}, {"", "replicationcontrollers"},
	{"apps", "deployments"}, {"apps", "daemonsets"}, {"apps", "statefulsets"}, {"apps", "replicasets"},
	{"batch", "jobs"}, {"batch", "cronjobs"},
}

// PodCreation lists the resources among pods and the built-in pod
// controllers (Deployments, DaemonSets, StatefulSets, ReplicaSets,
// ReplicationControllers, Jobs, CronJobs) that the rule lets its holder
// create. Creating any of them is an escalation: the new pod can mount any
// Secret, ConfigMap or volume of its namespace and run as any service
// account there
// (https://kubernetes.io/docs/concepts/security/rbac-good-practices/#workload-creation).
func (r PolicyRule) PodCreation() []string {
	var out []string
	for _, m := range podMakers {
		if r.Allows("create", m.group, m.resource) {
			out = append(out, m.resource)
		}
	}
	return out
}

// builtinClusterRoles are the default user-facing ClusterRoles that grant far more
// than a workload needs.
var builtinClusterRoles = map[string]string{
	"cluster-admin": "use every verb on every resource",
	"admin":         "read Secrets, exec into pods and manage Roles and RoleBindings",
	"edit":          "read Secrets, exec into pods and modify most objects",
}

// BuiltinClusterRole says what a built-in user-facing ClusterRole
// (cluster-admin, admin, edit) lets its holder do.
func BuiltinClusterRole(name string) (string, bool) {
	what, ok := builtinClusterRoles[name]
	return what, ok
}

// DangerousGrants lists what the role rule grants that breaks a workload's
// least privilege. A wildcard covers everything else; grants narrowed to
// resourceNames are left out, except wildcards. namespaced is true for a
// rule granted through a RoleBinding.
func (r PolicyRule) DangerousGrants(namespaced bool) []string {
	wildVerbs, wildResources := contains(r.Verbs, "*"), contains(r.Resources, "*")
	// Non-resource URLs (/metrics, /logs/*) are cluster-scoped: a RoleBinding
	// grants none of them, whatever its ClusterRole says.
	urls := r.NonResourceURLs
	if namespaced {
		urls = nil
	}
	switch {
	case wildVerbs && wildResources:
		return []string{"use every verb on every resource"}
	case wildVerbs && len(r.Resources) == 0 && len(urls) == 0:
		return nil
	case wildVerbs:
		var on []string
		if len(r.Resources) > 0 {
			on = append(on, strings.Join(r.Resources, ", "))
		}
		if len(urls) > 0 {
			on = append(on, "non-resource URLs "+strings.Join(urls, ", "))
		}
		return []string{"use every verb on " + strings.Join(on, " and ")}
	case wildResources:
		return []string{strings.Join(r.Verbs, ", ") + " every resource"}
	}
	if len(r.ResourceNames) > 0 {
		return nil
	}
	var out []string
	for _, v := range []string{"get", "list", "watch"} {
		if r.Allows(v, "", "secrets") {
			out = append(out, "read Secrets")
			break
		}
	}
	for _, sub := range []string{"pods/exec", "pods/attach"} {
		if v := r.execVerb(sub); v == "create" {
			out = append(out, "create "+sub)
		} else if v != "" {
			out = append(out, v+" "+sub+" (enough to "+strings.TrimPrefix(sub, "pods/")+" over a WebSocket)")
		}
	}
	if made := r.PodCreation(); len(made) > 0 {
		var controllers []string
		for _, m := range made {
			if m == "pods" {
				out = append(out, "create pods")
			} else {
				controllers = append(controllers, m)
			}
		}
		if len(controllers) > 0 {
			list := controllers[len(controllers)-1]
			if n := len(controllers); n > 1 {
				list = strings.Join(controllers[:n-1], ", ") + " and " + list
			}
			out = append(out, "create pod controllers ("+list+")")
		}
	}
	for _, res := range []string{"users", "groups", "serviceaccounts"} {
		if r.Allows("impersonate", "", res) {
			out = append(out, "impersonate "+res)
			break
		}
	}
	for _, v := range []string{"escalate", "bind"} {
		if r.Allows(v, "rbac.authorization.k8s.io", "roles") || r.Allows(v, "rbac.authorization.k8s.io", "clusterroles") {
			out = append(out, v+" roles")
		}
	}
	if r.Allows("create", "", "serviceaccounts/token") {
		out = append(out, "create serviceaccounts/token")
	}
	for _, v := range []string{"get", "create"} {
		if r.Allows(v, "", "nodes/proxy") {
			out = append(out, "reach the kubelet API through nodes/proxy")
			break
		}
	}
	return out
}

// RoleAggregation resolves aggregated ClusterRoles as the cluster-role
// aggregation controller of kube-controller-manager does: an aggregated
// ClusterRole's rules are replaced by the rules of every other ClusterRole
// that one of its clusterRoleSelectors matches, and a matched role that is
// itself aggregated gives the rules it aggregates.
// https://kubernetes.io/docs/reference/access-authn-authz/rbac/#aggregated-clusterroles
//
// ClusterRoles are indexed by label, so a selector looks only at the roles
// that carry one of the labels it requires; only a selector that requires
// none (empty, or NotIn and DoesNotExist alone) looks at every ClusterRole.
type RoleAggregation struct {
	all     []*Role            // every ClusterRole, in scan order
	byLabel map[string][]*Role // "key\x00value" → ClusterRoles with that label
	byKey   map[string][]*Role // label key → ClusterRoles with that key
	order   map[*Role]int
}

// NewRoleAggregation indexes the ClusterRoles of roles by their labels.
func NewRoleAggregation(roles []*Role) *RoleAggregation {
	a := &RoleAggregation{byLabel: map[string][]*Role{}, byKey: map[string][]*Role{}, order: map[*Role]int{}}
	for _, r := range roles {
		if r.Kind != "ClusterRole" {
			continue
		}
		a.order[r] = len(a.all)
		a.all = append(a.all, r)
		for k, v := range r.Labels {
			a.byLabel[k+"\x00"+v] = append(a.byLabel[k+"\x00"+v], r)
			a.byKey[k] = append(a.byKey[k], r)
		}
	}
	return a
}

// GrantedRule is a rule a role grants, with the role that wrote it: the
// role itself, or for an aggregated ClusterRole a role it aggregates.
type GrantedRule struct {
	PolicyRule
	From *Role
}

// Rules returns the rules the role grants, as a reader in unit (see
// SameUnit) sees the scan: its own, or for an aggregated ClusterRole those
// of the ClusterRoles of the scan it aggregates, ordered by role name as the
// controller orders them. Aggregated roles in the cluster but not in the
// scan are not known.
func (a *RoleAggregation) Rules(r *Role, unit string) []GrantedRule {
	if !r.Aggregated {
		out := make([]GrantedRule, len(r.Rules))
		for i, pr := range r.Rules {
			out[i] = GrantedRule{PolicyRule: pr, From: r}
		}
		return out
	}
	var out []GrantedRule
	for _, src := range a.Sources(r, unit) {
		for _, pr := range src.Rules {
			out = append(out, GrantedRule{PolicyRule: pr, From: src})
		}
	}
	return out
}

// Sources lists the ClusterRoles of the scan, none of them aggregated,
// whose rules the aggregated ClusterRole r takes, directly or through
// other aggregated ClusterRoles, as a reader in unit sees the scan.
func (a *RoleAggregation) Sources(r *Role, unit string) []*Role {
	if a == nil || !r.Aggregated {
		return nil
	}
	seen := map[*Role]bool{r: true}
	var out []*Role
	var visit func(r *Role)
	visit = func(r *Role) {
		var matched []*Role
		for _, sel := range r.AggregationSelectors {
			for _, c := range a.candidates(sel) {
				if seen[c] || c.Name == r.Name || !SameUnit(c.Unit, unit) || !SameUnit(c.Unit, r.Unit) || !sel.Matches(c.Labels) {
					continue
				}
				seen[c] = true
				matched = append(matched, c)
			}
		}
		sort.Slice(matched, func(i, j int) bool {
			if matched[i].Name != matched[j].Name {
				return matched[i].Name < matched[j].Name
			}
			return a.order[matched[i]] < a.order[matched[j]]
		})
		for _, c := range matched {
			if c.Aggregated {
				visit(c)
			} else {
				out = append(out, c)
			}
		}
	}
	visit(r)
	return out
}

// candidates narrows the ClusterRoles a selector may match to those that
// carry a label it requires: the fewest of its matchLabels pairs, else the
// values of an In requirement or the key of an Exists one.
func (a *RoleAggregation) candidates(sel LabelSelector) []*Role {
	var best []*Role
	found := false
	narrow := func(list []*Role) {
		if !found || len(list) < len(best) {
			best, found = list, true
		}
	}
	for k, v := range sel.MatchLabels {
		narrow(a.byLabel[k+"\x00"+v])
	}
	for _, req := range sel.MatchExpressions {
		switch req.Operator {
		case "In":
			var list []*Role
			for _, v := range req.Values {
				list = append(list, a.byLabel[req.Key+"\x00"+v]...)
			}
			narrow(list)
		case "Exists":
			narrow(a.byKey[req.Key])
		}
	}
	if !found {
		return a.all
	}
	return best
}
