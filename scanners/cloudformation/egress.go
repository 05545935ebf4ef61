package cloudformation

import (
	"github.com/isolint/isolint/model"
)

// How functions and tasks reach the network (model/egress.go), as in
// Terraform: outside any VPC, Lambda sends their traffic to the internet
// itself; attached to a VPC, the security groups they name decide.

// egressScope groups the workloads of one template (one stack, or one
// Serverless service).
func (t *template) egressScope() string { return "cfn:" + t.file }

// groupKey is the key of a security group the template defines.
func (t *template) groupKey(id string) string { return t.file + "#" + id }

// vpcEgress reads a VpcConfig (Lambda, SAM) or a Serverless `vpc`: the
// property's node, where a missing one belongs, and its key names. A
// function without one, or with neither subnets nor groups, reaches the
// internet directly.
func (t *template) vpcEgress(vc node, missing model.Location, groupsKey, subnetsKey string) *model.Egress {
	e := &model.Egress{Path: model.EgressDirect, Loc: missing, Scope: t.egressScope(), Detail: "it sets no " + lastSegment(missing.Path)}
	if !vc.Exists() || vc.eval().noValue {
		return e
	}
	e.Loc, e.Via = vc.KeyLoc(), vc.written().Via()
	if vc.Unknown() {
		e.Unknown = true
		return e
	}
	e.Detail = "its " + vc.written().Path() + " names no subnets and no security groups"
	groups := t.groupRefs(vc.Get(groupsKey))
	if len(groups) == 0 && len(vc.Get(subnetsKey).Strings()) == 0 {
		return e
	}
	e.Path, e.Groups = model.EgressSecurityGroups, groups
	return e
}

// groupRefs reads a list of security groups: a reference to an
// AWS::EC2::SecurityGroup of the template is its key, a literal group ID
// stays as written (a group the scan does not define), anything else is
// unknown.
func (t *template) groupRefs(n node) []model.String {
	if !n.Exists() {
		return nil
	}
	items := n.Items()
	if len(items) == 0 {
		return n.Strings() // a computed list: each item unknown
	}
	var out []model.String
	for _, it := range items {
		s := it.Str()
		if id := it.Ref(); id != "" {
			s.Unknown, s.Value = true, ""
			if t.typeOf(id) == "AWS::EC2::SecurityGroup" {
				s.Unknown, s.Set, s.Value = false, true, t.groupKey(id)
			}
		}
		out = append(out, s)
	}
	return out
}

// lowerECSService records the security groups an AWS::ECS::Service gives
// the tasks of its task definition (awsvpc network mode).
func lowerECSService(t *template, r *resource) {
	ac := r.props.Get("NetworkConfiguration").Get("AwsvpcConfiguration")
	if !ac.Exists() {
		return
	}
	e := &model.Egress{Path: model.EgressSecurityGroups, Loc: ac.KeyLoc(), Scope: t.egressScope(), Groups: t.groupRefs(ac.Get("SecurityGroups"))}
	if ac.Unknown() {
		e.Path, e.Unknown = "", true
	}
	if id := r.props.Get("TaskDefinition").Ref(); id != "" && t.typeOf(id) == "AWS::ECS::TaskDefinition" {
		t.services[id] = append(t.services[id], e)
	}
}

// linkEgress completes what lowering could not know resource by resource:
// whether a security group keeps AWS's default allow-all egress rule (it
// has no egress rule of its own, inline or standalone), and the security
// groups the services of an awsvpc task definition run its tasks with.
func (t *template) linkEgress() {
	for _, g := range t.proj.SecurityGroups {
		if g.Format == model.FormatCFN && !t.groupRules[g.Key] && t.groupKey(g.Name) == g.Key {
			g.DefaultAllowAll = true
		}
	}
	for _, w := range t.proj.Workloads {
		if w.Format != model.FormatCFN || w.Kind != "AWS::ECS::TaskDefinition" || !t.awsvpc[w.Name] {
			continue
		}
		svcs := t.services[w.Name]
		if len(svcs) == 0 {
			continue
		}
		e := *svcs[0]
		for _, s := range svcs[1:] {
			e.Groups = append(e.Groups, s.Groups...)
			e.Unknown = e.Unknown || s.Unknown
		}
		w.Egress = &e
	}
}

// lastSegment is the last key of a path.
func lastSegment(p string) string {
	for i := len(p) - 1; i >= 0; i-- {
		if p[i] == '.' {
			return p[i+1:]
		}
	}
	return p
}
