package model

// Workload egress where the platform, not a NetworkPolicy, decides how a
// workload reaches the network: serverless functions and container tasks.
// Scanners say which way the traffic leaves (Egress) and which security
// groups exist (SecurityGroup, FirewallRule.Group); EgressIndex judges a
// workload against them once, for egress-unrestricted, the inventory and
// reach.

// EgressPath says which way a workload's outbound traffic leaves.
type EgressPath string

const (
	// EgressDirect: the platform sends the traffic to the internet itself,
	// through no firewall of the account: a Lambda function outside a VPC,
	// a Cloud Function without a VPC connector or whose connector carries
	// private ranges only, a Function App without VNet integration of all
	// its traffic.
	EgressDirect EgressPath = "direct"
	// EgressSecurityGroups: through a VPC, filtered by the AWS security
	// groups Egress.Groups names.
	EgressSecurityGroups EgressPath = "security-groups"
	// EgressNetwork: through a VPC or VNet whose firewall isolint does not
	// tie to the workload (a GCP VPC connector carrying all traffic, an
	// Azure VNet integration routing all traffic).
	EgressNetwork EgressPath = "network"
)

// Egress is how a workload reaches the network.
type Egress struct {
	Path EgressPath
	// Unknown is set when the setting that decides the path is computed
	// (an unresolved variable, a condition not known).
	Unknown bool
	// Loc is the key that decides (vpc_config, VpcConfig, vpc_connector),
	// or where it belongs (Synthetic) when the definition has none.
	Loc Location
	Via []Related
	// Groups are the security groups of EgressSecurityGroups: each value
	// a SecurityGroup.Key or a literal group ID, at the place naming it;
	// Unknown when computed.
	Groups []String
	// Detail says, for messages, what sends the traffic out directly (`no
	// vpc_config`, `vpc_connector_egress_settings PRIVATE_RANGES_ONLY`).
	Detail string
	// Scope groups the workloads whose egress is evidently decided
	// together: a Terraform module directory, a CloudFormation stack, a
	// Serverless service. A workload with direct egress in a scope where
	// another one is attached to a VPC is reported, as a pod that no
	// egress NetworkPolicy selects is in a namespace that has one.
	Scope string
}

// SecurityGroup is an AWS security group the scan defines. Its egress
// rules are the FirewallRules whose Group is its Key.
type SecurityGroup struct {
	Format Format
	// Key is what workloads and standalone rules refer to it by (a
	// Terraform address, a template's file#LogicalID).
	Key  string
	Name string // for messages
	Loc  Location
	// DefaultAllowAll is set when AWS keeps the rule allowing all egress
	// that it adds to every new group: a CloudFormation group with no egress
	// rule of its own (Terraform removes that rule from the groups it
	// creates).
	DefaultAllowAll bool
}

// EgressVerdict is what a scan shows of a workload's egress.
type EgressVerdict int

const (
	// EgressNotModelled: the workload has no egress fact (Kubernetes pods,
	// judged by NetworkPolicies; workloads whose format does not say).
	EgressNotModelled EgressVerdict = iota
	// EgressUnlinked: governed by something the scan does not show or
	// isolint does not link (a group not in the scan, a computed value).
	EgressUnlinked
	// EgressRestricted: through security groups of the scan, none of which
	// allows every protocol to every address.
	EgressRestricted
	// EgressOpenGroup: through a security group that allows every protocol
	// and port to every address.
	EgressOpenGroup
	// EgressOpenDirect: straight to the internet.
	EgressOpenDirect
)

// EgressJudgement is the verdict on one workload and what it rests on.
type EgressJudgement struct {
	Verdict EgressVerdict
	// Loc is where a finding belongs: the reference to the open group, or
	// the key that decides the path.
	Loc Location
	Via []Related
	// Group is the open group (EgressOpenGroup); Rule its rule allowing
	// everything, nil when that rule is AWS's default.
	Group *SecurityGroup
	Rule  *FirewallRule
	// Reason says why the egress is unlinked.
	Reason string
}

// EgressIndex links workloads to the security groups of a scan.
type EgressIndex struct {
	groups map[string]*SecurityGroup
	rules  map[string][]*FirewallRule
	// inVPC holds the scopes with a workload attached to a VPC or VNet.
	inVPC map[string]bool
}

// NewEgressIndex indexes the security groups, their rules and the egress
// of the workloads of a project.
func NewEgressIndex(p *Project) *EgressIndex {
	x := &EgressIndex{groups: map[string]*SecurityGroup{}, rules: map[string][]*FirewallRule{}, inVPC: map[string]bool{}}
	for _, g := range p.SecurityGroups {
		if _, dup := x.groups[g.Key]; !dup {
			x.groups[g.Key] = g
		}
	}
	for _, f := range p.Firewalls {
		if f.Group != "" {
			x.rules[f.Group] = append(x.rules[f.Group], f)
		}
	}
	for _, w := range p.Workloads {
		if e := w.Egress; e != nil && !e.Unknown && e.Scope != "" && (e.Path == EgressSecurityGroups || e.Path == EgressNetwork) {
			x.inVPC[e.Scope] = true
		}
	}
	return x
}

// Managed reports whether the workload's scope attaches another workload
// to a VPC or VNet, so that egress is evidently managed there.
func (x *EgressIndex) Managed(w *Workload) bool {
	return w.Egress != nil && w.Egress.Scope != "" && x.inVPC[w.Egress.Scope]
}

// Judge says what the scan shows of a workload's egress.
func (x *EgressIndex) Judge(w *Workload) EgressJudgement {
	e := w.Egress
	if e == nil || e.Path == "" && !e.Unknown {
		return EgressJudgement{}
	}
	j := EgressJudgement{Loc: e.Loc, Via: e.Via}
	switch {
	case e.Unknown:
		j.Verdict, j.Reason = EgressUnlinked, "whether it is attached to a network is computed"
		return j
	case e.Path == EgressDirect:
		j.Verdict = EgressOpenDirect
		return j
	case e.Path == EgressNetwork:
		j.Verdict, j.Reason = EgressUnlinked, "the firewall of the network it is attached to is not linked to it"
		return j
	}
	if len(e.Groups) == 0 {
		j.Verdict, j.Reason = EgressUnlinked, "its security groups are not known"
		return j
	}
	j.Verdict = EgressRestricted
	for _, ref := range e.Groups {
		g := x.groups[ref.Value]
		switch {
		case !ref.Known():
			j.Verdict, j.Reason = EgressUnlinked, "a security group it uses is computed"
			continue
		case g == nil:
			j.Verdict, j.Reason = EgressUnlinked, "security group "+ref.Value+" is not defined in the scan"
			continue
		}
		if g.DefaultAllowAll {
			return EgressJudgement{Verdict: EgressOpenGroup, Loc: ref.Loc, Via: ref.Via, Group: g}
		}
		for _, f := range x.rules[g.Key] {
			if _, open := f.Unrestricted(); open {
				return EgressJudgement{Verdict: EgressOpenGroup, Loc: ref.Loc, Via: ref.Via, Group: g, Rule: f}
			}
			if f.Allow && (f.AllProtocols.Unknown || hasUnknown(f.Destinations)) {
				j.Verdict, j.Reason = EgressUnlinked, "an egress rule of security group "+g.Name+" is computed"
			}
		}
	}
	return j
}

func hasUnknown(ss []String) bool {
	for _, s := range ss {
		if s.Unknown {
			return true
		}
	}
	return false
}
