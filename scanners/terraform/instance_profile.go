package terraform

import (
	"strings"

	"github.com/isolint/isolint/model"
)

// EC2 instances run as the role of their instance profile: an
// aws_instance's (or a launch configuration's) iam_instance_profile, or a
// launch template's iam_instance_profile { arn | name }, names an
// aws_iam_instance_profile whose `role` is the IAM role whose credentials
// every process on the instance reads from the metadata service. The
// instance is lowered as a workload that runs as that role, so that the
// identity rules and `isolint reach` see what it can do and who shares it.

// instanceProfile is an aws_iam_instance_profile of the unit.
type instanceProfile struct {
	addr string       // its address, for messages
	name model.String // its `name`, when known
	role node         // its `role` attribute
}

// lowerInstance lowers an EC2 instance, launch template or launch
// configuration: its metadata options, and the workload that runs as its
// instance profile's role (resolved by linkInstanceProfiles).
func lowerInstance(rc *resCtx) {
	lowerMetadata(rc)
	w := rc.workload()
	n := rc.n.Get("iam_instance_profile")
	if rc.res.typ == "aws_launch_template" {
		if arn := n.Get("arn"); arn.Exists() {
			n = arn
		} else {
			n = n.Get("name")
		}
	}
	w.Identity = rc.identity(n, model.IdentityAWSRole)
	if lt := rc.n.Get("launch_template"); rc.res.typ == "aws_instance" && !n.Exists() && lt.Exists() {
		// an instance launched from a template without a profile of its
		// own runs as the template's
		for _, k := range []string{"id", "name"} {
			for _, ref := range lt.Get(k).Refs() {
				if resourceType(ref) == "aws_launch_template" {
					r := rc.in.run
					if r.launchedFrom == nil {
						r.launchedFrom = map[*model.Workload]launch{}
					}
					r.launchedFrom[w] = launch{template: stripIndexes(ref), loc: lt.Get(k).Loc()}
				}
			}
		}
	}
	rc.add(w)
}

// launch is the launch template an instance starts from.
type launch struct {
	template string // its address
	loc      model.Location
}

// lowerInstanceProfile records an aws_iam_instance_profile and its role.
func lowerInstanceProfile(rc *resCtx) {
	r := rc.in.run
	if r.profiles == nil {
		r.profiles = map[string]*instanceProfile{}
	}
	if k := r.key(rc.addr); r.profiles[k] == nil {
		r.profiles[k] = &instanceProfile{addr: rc.addr, name: rc.n.Get("name").Str(), role: rc.n.Get("role")}
	}
}

// instanceKinds are the workloads whose identity is an instance profile.
var instanceKinds = map[string]bool{"aws_instance": true, "aws_launch_template": true, "aws_launch_configuration": true}

// linkInstanceProfiles replaces, in each instance's identity, the instance
// profile by the role it carries: the role is what the instance's
// credentials are, what rules judge and what other workloads may share. A
// profile not in the unit, or whose role is not known, stays the identity
// (its rights are then not known). ws are the unit's workloads.
func (r *run) linkInstanceProfiles(ws []*model.Workload) {
	for _, w := range ws {
		id := &w.Identity
		if w.Format != model.FormatTerraform || !instanceKinds[w.Kind] || id.Key == "" || id.Unknown {
			continue
		}
		p := r.profile(id.Key)
		if p == nil {
			continue
		}
		role, ok := r.profileRole(p)
		if !ok {
			continue
		}
		id.Via = append(id.Via, model.Related{Loc: p.role.Loc(), Message: "instance profile " + p.addr + " carries role " + r.addr(role)})
		id.Key, id.Name = role, r.addr(role)+" (instance profile "+p.addr+")"
	}
	if len(r.launchedFrom) == 0 {
		return
	}
	templates := map[string]*model.Workload{}
	for _, w := range ws {
		if w.Format == model.FormatTerraform && w.Kind == "aws_launch_template" {
			addr := w.Instance
			if addr == "" {
				addr = w.Kind + "." + w.Name
			}
			templates[stripIndexes(addr)] = w
		}
	}
	for _, w := range ws {
		l, ok := r.launchedFrom[w]
		t := templates[l.template]
		if !ok || t == nil || t.Identity.Key == "" && !t.Identity.Unknown {
			continue
		}
		id := t.Identity
		id.Loc, id.Template = l.loc, l.template
		id.Via = append([]model.Related{{Loc: t.Identity.Loc, Message: "launch template " + l.template + " names the instance profile"}}, t.Identity.Via...)
		w.Identity = id
	}
}

// profile finds the instance profile an identity key names: by key,
// or by the name that ends a literal profile name or ARN
// (arn:aws:iam::123456789012:instance-profile/web).
func (r *run) profile(key string) *instanceProfile {
	if p, ok := r.profiles[key]; ok {
		return p
	}
	name := key
	if i := strings.Index(key, ":instance-profile/"); i >= 0 {
		name = key[strings.LastIndex(key, "/")+1:]
	}
	var found *instanceProfile
	for _, p := range r.profiles {
		if p.name.Known() && p.name.Value == name && (found == nil || p.addr < found.addr) {
			found = p
		}
	}
	return found
}

// profileRole is the key of the role a profile carries: a reference to an
// aws_iam_role of the unit, a role of the unit by its name, or the role
// name as written.
func (r *run) profileRole(p *instanceProfile) (string, bool) {
	for _, ref := range p.role.Refs() {
		if resourceType(ref) == "aws_iam_role" || resourceType(ref) == "data.aws_iam_role" {
			return r.key(ref), true
		}
	}
	s := p.role.Str()
	if !s.Known() || s.Value == "" {
		return "", false
	}
	if k, ok := r.iam.byName[s.Value]; ok {
		return k, true
	}
	return s.Value, true
}
