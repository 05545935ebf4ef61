package cloudformation

import (
	"strings"

	"github.com/isolint/isolint/model"
)

// metadata records the instance metadata options of an instance, launch
// template or launch configuration; opts is the MetadataOptions property
// and where is the node it belongs in.
func (t *template) metadata(r *resource, where, opts node) {
	loc := r.v.KeyLoc()
	loc.Object = r.id
	md := &model.InstanceMetadata{
		Format: model.FormatCFN, Resource: r.id, Kind: r.typ, Name: r.id, Loc: loc,
		OptionsLoc: opts.KeyLoc(),
		Endpoint:   opts.Get("HttpEndpoint").Str(),
		Tokens:     opts.Get("HttpTokens").Str(),
		HopLimit:   opts.Get("HttpPutResponseHopLimit").Int(),
	}
	if opts.Unknown() {
		// the whole block comes from a condition or function not known
		md.Endpoint = model.String{Set: true, Unknown: true, Loc: opts.Loc()}
	}
	if !opts.Exists() {
		md.OptionsLoc = where.Synthetic("MetadataOptions")
		if !where.Exists() {
			md.OptionsLoc = loc
			md.OptionsLoc.Synthetic = true
		}
	}
	if !md.Tokens.Set {
		md.Tokens.Loc = md.OptionsLoc
		md.Tokens.Loc.Synthetic = true
		md.Tokens.Loc.Path = "MetadataOptions.HttpTokens"
	}
	t.proj.Metadata = append(t.proj.Metadata, md)
}

// lowerInstance records an EC2 instance's metadata options. An instance
// launched from a launch template without its own options takes the
// template's, which are recorded with the template.
func lowerInstance(t *template, r *resource) {
	if !r.props.Get("MetadataOptions").Exists() && r.props.Get("LaunchTemplate").Exists() {
		return
	}
	t.metadata(r, r.props, r.props.Get("MetadataOptions"))
}

func lowerLaunchTemplate(t *template, r *resource) {
	data := r.props.Get("LaunchTemplateData")
	t.metadata(r, data, data.Get("MetadataOptions"))
}

func lowerLaunchConfiguration(t *template, r *resource) {
	t.metadata(r, r.props, r.props.Get("MetadataOptions"))
}

// allProtocols reads an IpProtocol: "-1" (or "all") admits every protocol
// and port.
func allProtocols(n node) model.Bool {
	s := n.Str()
	b := model.Bool{Set: s.Set, Unknown: s.Unknown, Loc: s.Loc, Via: s.Via}
	if s.Known() {
		v := strings.ToLower(strings.TrimSpace(s.Value))
		b.Value = v == "-1" || v == "all"
	}
	return b
}

// egressRule makes a firewall rule of a SecurityGroupEgress entry or
// resource.
func (t *template) egressRule(r *resource, e node) *model.FirewallRule {
	loc := e.Loc()
	loc.Object = r.id
	f := &model.FirewallRule{Format: model.FormatCFN, Resource: r.id, Kind: r.typ, Name: r.id, Loc: loc, Allow: true}
	f.AllProtocols = allProtocols(e.Get("IpProtocol"))
	for _, k := range []string{"CidrIp", "CidrIpv6"} {
		if d := e.Get(k); d.Exists() {
			f.Destinations = append(f.Destinations, d.Str())
		}
	}
	return f
}

// lowerSecurityGroup records a security group and its inline egress
// rules. A group with no egress rule of its own keeps the allow-all rule
// AWS adds to every new group (linkEgress marks it): that implied rule is
// not reported on the group, only on the functions and tasks whose traffic
// leaves through it (see docs/cloudformation.md).
func lowerSecurityGroup(t *template, r *resource) {
	loc := r.v.KeyLoc()
	loc.Object = r.id
	key := t.groupKey(r.id)
	t.proj.SecurityGroups = append(t.proj.SecurityGroups, &model.SecurityGroup{Format: model.FormatCFN, Key: key, Name: r.id, Loc: loc})
	eg := r.props.Get("SecurityGroupEgress")
	if eg.Unknown() || len(eg.Items()) > 0 {
		t.groupRules[key] = true // an unknown list may hold rules: no default rule is judged
	}
	for _, e := range eg.Items() {
		f := t.egressRule(r, e)
		f.Group = key
		t.proj.Firewalls = append(t.proj.Firewalls, f)
	}
}

// lowerSecurityGroupEgress records an AWS::EC2::SecurityGroupEgress.
func lowerSecurityGroupEgress(t *template, r *resource) {
	f := t.egressRule(r, r.props)
	f.Loc = r.v.KeyLoc()
	f.Loc.Object = r.id
	if id := r.props.Get("GroupId").Ref(); id != "" && t.typeOf(id) == "AWS::EC2::SecurityGroup" {
		f.Group = t.groupKey(id)
		t.groupRules[f.Group] = true // AWS drops its default rule once a rule is added
	}
	t.proj.Firewalls = append(t.proj.Firewalls, f)
}

// lowerEKSNodegroup records which launch template an AWS::EKS::Nodegroup's
// nodes start from: the template's metadata options decide whether pods
// on them reach the node role's credentials (as in Terraform).
func lowerEKSNodegroup(t *template, r *resource) {
	lt := r.props.Get("LaunchTemplate")
	for _, k := range []string{"Id", "Name"} {
		if id := lt.Get(k).eval().res; id != "" && t.typeOf(id) == "AWS::EC2::LaunchTemplate" {
			t.nodeGroups[id] = append(t.nodeGroups[id], model.Related{Loc: lt.KeyLoc(), Message: "EKS node group " + r.id + " starts its nodes from this template: its pods reach the node role"})
		}
	}
}

// linkNodeGroups names the node groups started from each launch template.
func (t *template) linkNodeGroups() {
	for _, md := range t.proj.Metadata {
		md.UsedBy = append(md.UsedBy, t.nodeGroups[md.Resource]...)
	}
}
