package model

import (
	"net/netip"
	"strings"
)

// Cloud facts that only infrastructure-as-code formats (Terraform) express:
// the permissions granted to a cloud identity, firewall rules, and instance
// metadata options. Scanners fill them; rules read them through the
// judgements below, so that each question is answered once.

// CloudRole is a cloud identity a scan defines or refers to (an IAM role, a
// GCP service account) with the permissions the scan grants it.
type CloudRole struct {
	Kind IdentityKind
	// Key is the Identity.Key workloads use to refer to the role.
	Key  string
	Name string
	// RoleName is the name the provider knows the role by (an
	// aws_iam_role's `name`, which ends its ARN); empty when unknown.
	RoleName string
	Loc      Location
	// Statements are the policy statements attached to the role in the
	// scan (inline, attached managed or customer policies, project roles).
	Statements []*PolicyStatement
	// ManagedPolicies are the provider-managed policies attached to the
	// role by name (AWS managed policies such as PowerUserAccess); see
	// breadth.go for how they are judged.
	ManagedPolicies []ManagedPolicy
	// Grants are predefined roles granted to the identity at a scope
	// (GCP roles/editor on a project, Azure Owner on a subscription).
	Grants []RoleGrant
}

// PolicyStatement is one statement of an IAM policy (or a predefined role)
// granted to a CloudRole.
type PolicyStatement struct {
	// Policy names the policy for messages ("aws_iam_policy.admin",
	// "AdministratorAccess", "roles/editor").
	Policy string
	// Sid is the statement's ID; merged policy documents replace a
	// statement by it.
	Sid    string
	Effect string // "Allow" or "Deny"
	// Actions are the actions (or, with NotAction, the excluded actions).
	Actions   []String
	NotAction bool
	// Resources are the resources (or, with NotResource, the excluded ones);
	// empty when the statement names none (a predefined role).
	Resources   []String
	NotResource bool
	// Conditioned is true when the statement carries a Condition.
	Conditioned bool
	// Loc is the key that grants the actions (Action, actions, role).
	Loc Location
	// Via holds the places that attach the policy to the role.
	Via []Related
}

// allows reports whether the statement is a known, unconditioned Allow.
func (s *PolicyStatement) allows() bool {
	return strings.EqualFold(s.Effect, "Allow") && !s.Conditioned
}

// onAllResources reports whether the statement applies to every resource.
func (s *PolicyStatement) onAllResources() bool {
	if s.NotResource {
		return true // every resource but some
	}
	if len(s.Resources) == 0 {
		return true
	}
	for _, r := range s.Resources {
		if r.Known() && r.Value == "*" {
			return true
		}
	}
	return false
}

// GrantsAllActions reports an Allow of every action ("*", "*:*", or a
// NotAction list) on every resource. It returns the action, whose Via
// says where a module's caller gave it; for NotAction, a value-less
// String at the statement's key.
func (s *PolicyStatement) GrantsAllActions() (String, bool) {
	if !s.allows() || !s.onAllResources() {
		return String{}, false
	}
	if s.NotAction {
		return String{Loc: s.Loc}, true
	}
	for _, a := range s.Actions {
		if a.Known() && (a.Value == "*" || a.Value == "*:*") {
			return a, true
		}
	}
	return String{}, false
}

// DeniesAllActions reports a known, unconditioned Deny of every action
// ("*") on every resource: an explicit deny overrides every allow of the
// role's policies, managed ones included
// (https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_evaluation-logic.html).
func (s *PolicyStatement) DeniesAllActions() bool {
	if !strings.EqualFold(s.Effect, "Deny") || s.Conditioned || s.NotAction || s.NotResource || !s.onAllResources() {
		return false
	}
	for _, a := range s.Actions {
		if a.Known() && (a.Value == "*" || a.Value == "*:*") {
			return true
		}
	}
	return false
}

// GrantsPassRoleOnAll reports an Allow of iam:PassRole (or iam:*, or
// iam:Pass*) on every resource: the holder can hand any role, however
// privileged, to a service it controls. It returns the action.
func (s *PolicyStatement) GrantsPassRoleOnAll() (String, bool) {
	if !s.allows() || s.NotAction || !s.onAllResources() {
		return String{}, false
	}
	for _, a := range s.Actions {
		if !a.Known() {
			continue
		}
		v := strings.ToLower(a.Value)
		if v == "iam:passrole" || v == "iam:*" || v == "iam:pass*" || v == "iam:p*" {
			return a, true
		}
	}
	return String{}, false
}

// FirewallRule is one outbound rule of a cloud firewall: an AWS security
// group egress rule, a GCP firewall rule, an Azure NSG security rule.
type FirewallRule struct {
	// Format is the format the rule is written in.
	Format Format
	// Resource is the rule's resource address, for messages.
	Resource string
	Kind     string // resource type
	Name     string
	Loc      Location // the rule (block or resource)
	// Allow is false for a deny rule.
	Allow bool
	// AllProtocols is set when the rule admits every protocol and port
	// (AWS protocol "-1"/"all", GCP allow { protocol = "all" }, Azure "*").
	AllProtocols Bool
	// Destinations are the CIDRs, service tags or "*" the rule allows.
	Destinations []String
	// Group is the SecurityGroup.Key of the AWS security group the rule
	// belongs to; empty for other firewalls, or when it is not known.
	Group string
}

// OpenDestination returns the destination that is all addresses
// (0.0.0.0/0, ::/0, "*", "Internet", "any"), if the rule allows one.
func (f *FirewallRule) OpenDestination() (String, bool) {
	for _, d := range f.Destinations {
		if d.Known() && IsAnywhere(d.Value) {
			return d, true
		}
	}
	return String{}, false
}

// Unrestricted reports a known Allow of every protocol to every address.
func (f *FirewallRule) Unrestricted() (String, bool) {
	if !f.Allow || !f.AllProtocols.IsTrue() {
		return String{}, false
	}
	return f.OpenDestination()
}

// IsAnywhere reports whether a firewall destination means every address.
func IsAnywhere(dest string) bool {
	d := strings.TrimSpace(dest)
	switch strings.ToLower(d) {
	case "*", "internet", "any", "0.0.0.0", "0/0":
		return true
	}
	p, err := netip.ParsePrefix(d)
	return err == nil && p.Bits() == 0
}

// InstanceMetadata is the metadata-service setting of a virtual machine or a
// launch template (AWS metadata_options).
type InstanceMetadata struct {
	// Format is the format the setting is written in.
	Format   Format
	Resource string // address, for messages
	Kind     string
	Name     string
	Loc      Location // the resource
	// OptionsLoc is the metadata_options block, or where it belongs.
	OptionsLoc Location
	// Endpoint is "enabled" or "disabled"; unset means enabled.
	Endpoint String
	// Tokens is "required" (IMDSv2 only) or "optional" (IMDSv1 allowed);
	// unset leaves it to the image and account default, which allows v1.
	Tokens String
	// HopLimit is the PUT response hop limit; above 1, containers on the
	// instance reach the metadata service through the node.
	HopLimit Int

	// Provider is ProviderGCP for GKE nodes; empty (AWS) otherwise. The
	// AWS fields above are not read for GKE, nor the GKE ones for AWS.
	Provider string
	// ExposedToPods is GKE's workload_metadata_config mode: true for
	// GCE_METADATA (pods reach the node's metadata server and its service
	// account), false for GKE_METADATA; unset leaves it to the cluster.
	ExposedToPods Bool
	// LegacyEndpoints is GKE's node metadata disable-legacy-endpoints
	// inverted: true when the v0.1/v1beta1 endpoints, which need no
	// Metadata-Flavor header, are left on.
	LegacyEndpoints Bool
	// UsedBy lists what runs on the instances (EKS node groups launched
	// from a template), for messages.
	UsedBy []Related
}

// DeniesAll reports a role one of whose policies denies every action on
// every resource without condition: whatever else it is granted, it can
// do nothing (see PolicyStatement.DeniesAllActions).
func (r *CloudRole) DeniesAll() bool {
	for _, st := range r.Statements {
		if st.DeniesAllActions() {
			return true
		}
	}
	return false
}

// AssumedBy reports whether the identity refers to this role: by its key,
// or, for a CI job's AWS role (`aws:arn:aws:iam::123456789012:role/deploy`)
// or a role ARN written as a literal, by the role name that ends the ARN.
func (r *CloudRole) AssumedBy(id Identity) bool {
	if id.Unknown || id.Key == "" {
		return false
	}
	if id.Key == r.Key {
		return true
	}
	if r.RoleName == "" || r.Kind != IdentityAWSRole {
		return false
	}
	name, ok := arnRoleName(id.Key)
	return ok && name == r.RoleName
}

// arnRoleName is the role name that ends an AWS role ARN key
// (`aws:arn:aws:iam::123456789012:role/deploy` → deploy).
func arnRoleName(key string) (string, bool) {
	arn := strings.TrimPrefix(key, "aws:")
	if !strings.HasPrefix(arn, "arn:aws") || !strings.Contains(arn, ":role/") {
		return "", false
	}
	return arn[strings.LastIndex(arn, "/")+1:], true
}

// CloudRoleIndex finds the roles an identity refers to without scanning
// every role for every identity: Terraform roles are keyed per root
// module, so a project may hold many.
type CloudRoleIndex struct {
	roles []*CloudRole
	// byKey and byName hold, in the roles' order, the positions of the
	// roles with each key and of the AWS roles with each RoleName.
	byKey, byName map[string][]int
}

// NewCloudRoleIndex indexes roles.
func NewCloudRoleIndex(roles []*CloudRole) *CloudRoleIndex {
	ix := &CloudRoleIndex{roles: roles, byKey: map[string][]int{}, byName: map[string][]int{}}
	for i, r := range roles {
		ix.byKey[r.Key] = append(ix.byKey[r.Key], i)
		if r.RoleName != "" && r.Kind == IdentityAWSRole {
			ix.byName[r.RoleName] = append(ix.byName[r.RoleName], i)
		}
	}
	return ix
}

// AssumedBy lists the roles that id refers to (see CloudRole.AssumedBy),
// in the order of the roles indexed.
func (ix *CloudRoleIndex) AssumedBy(id Identity) []*CloudRole {
	if id.Unknown || id.Key == "" {
		return nil
	}
	a := ix.byKey[id.Key]
	var b []int
	if name, ok := arnRoleName(id.Key); ok {
		b = ix.byName[name]
	}
	var out []*CloudRole
	// merge the two ordered lists, once each role
	for len(a) > 0 || len(b) > 0 {
		var i int
		switch {
		case len(b) == 0 || len(a) > 0 && a[0] < b[0]:
			i, a = a[0], a[1:]
		case len(a) == 0 || b[0] < a[0]:
			i, b = b[0], b[1:]
		default:
			i, a, b = a[0], a[1:], b[1:]
		}
		out = append(out, ix.roles[i])
	}
	return out
}

// First is the first role id refers to, or nil.
func (ix *CloudRoleIndex) First(id Identity) *CloudRole {
	if id.Unknown || id.Key == "" {
		return nil
	}
	i := -1
	if a := ix.byKey[id.Key]; len(a) > 0 {
		i = a[0]
	}
	if name, ok := arnRoleName(id.Key); ok {
		if b := ix.byName[name]; len(b) > 0 && (i < 0 || b[0] < i) {
			i = b[0]
		}
	}
	if i < 0 {
		return nil
	}
	return ix.roles[i]
}
