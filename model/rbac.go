package model

import "strings"

// Role is a Kubernetes Role or ClusterRole.
type Role struct {
	Kind      string // "Role" or "ClusterRole"
	Namespace string // empty for a ClusterRole
	Name      string
	Loc       Location
	Rules     []PolicyRule
	// Aggregated is true for a ClusterRole with an aggregationRule: its
	// rules are filled in by the controller and not known here.
	Aggregated bool
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

// RoleBinding is a Kubernetes RoleBinding or ClusterRoleBinding.
type RoleBinding struct {
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

// Matches reports whether the subject covers the service account
// namespace/name: the account itself, or the groups of all service accounts
// (system:serviceaccounts) and of its namespace (system:serviceaccounts:<ns>).
func (s Subject) Matches(namespace, name string) bool {
	switch s.Kind {
	case "ServiceAccount":
		return s.Name == name && s.Namespace == namespace
	case "Group":
		return s.Name == "system:serviceaccounts" || s.Name == "system:serviceaccounts:"+namespace
	case "User":
		return s.Name == "system:serviceaccount:"+namespace+":"+name
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
