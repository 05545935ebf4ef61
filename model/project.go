package model

// Project is everything a scan lowered: the input of the rules.
// Scanners fill one Project per file (or per unit, such as a Terraform
// module); the engine merges them in a deterministic order.
type Project struct {
	Workloads       []*Workload
	ServiceAccounts []*ServiceAccount
	Roles           []*Role
	RoleBindings    []*RoleBinding
	NetworkPolicies []*NetworkPolicy
	// Pipelines are the CI workflows and pipelines; their jobs are also in
	// Workloads.
	Pipelines []*Pipeline
	// Cloud facts (see cloud.go).
	CloudRoles []*CloudRole
	Firewalls  []*FirewallRule
	// SecurityGroups are the AWS security groups the scan defines (see
	// egress.go).
	SecurityGroups []*SecurityGroup
	Metadata       []*InstanceMetadata
	// StaticCredentials are the long-lived keys and tokens the scan mints
	// or hands to workloads (see longlived.go).
	StaticCredentials []*StaticCredential
	// TrustPolicies say who may assume the cloud identities the scan
	// defines (see trust.go).
	TrustPolicies []*TrustPolicy
	// Subprocesses are the child processes Go source starts (see golang.go).
	Subprocesses []*Subprocess
	// Renderings are the Helm charts and Kustomize overlays found, rendered
	// or not (see render.go).
	Renderings []Rendering
	Notices    []Notice
}

// Merge appends the contents of o to p.
func (p *Project) Merge(o *Project) {
	if o == nil {
		return
	}
	p.Workloads = append(p.Workloads, o.Workloads...)
	p.ServiceAccounts = append(p.ServiceAccounts, o.ServiceAccounts...)
	p.Roles = append(p.Roles, o.Roles...)
	p.RoleBindings = append(p.RoleBindings, o.RoleBindings...)
	p.NetworkPolicies = append(p.NetworkPolicies, o.NetworkPolicies...)
	p.Pipelines = append(p.Pipelines, o.Pipelines...)
	p.CloudRoles = append(p.CloudRoles, o.CloudRoles...)
	p.Firewalls = append(p.Firewalls, o.Firewalls...)
	p.SecurityGroups = append(p.SecurityGroups, o.SecurityGroups...)
	p.Metadata = append(p.Metadata, o.Metadata...)
	p.StaticCredentials = append(p.StaticCredentials, o.StaticCredentials...)
	p.TrustPolicies = append(p.TrustPolicies, o.TrustPolicies...)
	p.Notices = append(p.Notices, o.Notices...)
	p.Subprocesses = append(p.Subprocesses, o.Subprocesses...)
	p.Renderings = append(p.Renderings, o.Renderings...)
}

// SetUnit labels every Kubernetes object and credential of p as built in
// the deployment unit (see Workload.Unit).
func (p *Project) SetUnit(unit string) {
	p.unitHolders(func(h unitHolder) { *h.unit = unit })
}

// unitHolder is one object of a project that a deployment unit holds.
type unitHolder struct {
	// key is what the object is in one cluster (kind, namespace and
	// name); "" for a credential, which is read where its object is
	key string
	// format is the object's format; "" for kinds only Kubernetes has
	format Format
	loc    Location
	unit   *string
}

// unitHolders calls f with every object of p that has a unit: each place
// that sets or reads units goes through here, so that a kind given a Unit
// field is added once (SetUnit, InferEnvUnits).
func (p *Project) unitHolders(f func(unitHolder)) {
	for _, w := range p.Workloads {
		f(unitHolder{"w\x00" + w.ID(), w.Format, w.Loc, &w.Unit})
	}
	for _, sa := range p.ServiceAccounts {
		f(unitHolder{"sa\x00" + sa.Key(), "", sa.Loc, &sa.Unit})
	}
	for _, r := range p.Roles {
		f(unitHolder{"r\x00" + r.Key(), "", r.Loc, &r.Unit})
	}
	for _, b := range p.RoleBindings {
		f(unitHolder{"b\x00" + b.Key(), "", b.Loc, &b.Unit})
	}
	for _, np := range p.NetworkPolicies {
		f(unitHolder{"n\x00" + np.Key(), "", np.Loc, &np.Unit})
	}
	for _, c := range p.StaticCredentials {
		f(unitHolder{"", c.Format, c.Loc, &c.Unit})
	}
}

// NoticeLevel grades a notice.
type NoticeLevel string

const (
	// NoticeError: the file, or part of it, could not be read or understood;
	// what it defines was not (fully) checked.
	NoticeError NoticeLevel = "error"
	// NoticeWarning: the file was read, but something in it is suspect
	// (a duplicate key, a value of the wrong type).
	NoticeWarning NoticeLevel = "warning"
	// NoticeNote: information, such as a file skipped by design.
	NoticeNote NoticeLevel = "note"
)

// Notice is a problem with the input rather than a finding: a file that could
// not be read or parsed, a value of the wrong type, a skipped file. Messages
// name keys and lines, never values.
type Notice struct {
	Level   NoticeLevel
	Loc     Location // File always set; Line when known
	Message string
}
