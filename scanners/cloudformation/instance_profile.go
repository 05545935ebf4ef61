package cloudformation

import (
	"strings"

	"github.com/isolint/isolint/model"
)

// EC2 instances run as the role of their instance profile: an
// AWS::EC2::Instance's (or a launch configuration's) IamInstanceProfile,
// or a launch template's LaunchTemplateData.IamInstanceProfile { Arn |
// Name }, names an AWS::IAM::InstanceProfile whose Roles (one at most) is
// the IAM role whose credentials every process on the instance reads from
// the metadata service. The instance is lowered as a workload that runs as
// that role, so that the identity rules and `isolint reach` see what it
// can do and who shares it.

// lowerInstanceWorkload lowers an EC2 instance: its metadata options and
// the workload that runs as its instance profile's role.
func lowerInstanceWorkload(t *template, r *resource) {
	lowerInstance(t, r)
	n := r.props.Get("IamInstanceProfile")
	lt := r.props.Get("LaunchTemplate")
	if n.Exists() || !lt.Exists() {
		t.machine(r, n)
		return
	}
	// launched from a template without a profile of its own: it runs as
	// the template's
	for _, k := range []string{"LaunchTemplateId", "LaunchTemplateName"} {
		if id := lt.Get(k).eval().res; id != "" && t.typeOf(id) == "AWS::EC2::LaunchTemplate" {
			ip := t.node(t.resources[id]).Get("Properties").Get("LaunchTemplateData").Get("IamInstanceProfile")
			p := ip.Get("Arn")
			if !p.Exists() {
				p = ip.Get("Name")
			}
			w := t.workload(r)
			w.Identity = t.profileIdentity(p)
			if w.Identity.Key != "" || w.Identity.Unknown {
				w.Identity.Via = append([]model.Related{{Loc: w.Identity.Loc, Message: "launch template " + id + " names the instance profile"}}, w.Identity.Via...)
				w.Identity.Loc, w.Identity.Template = lt.Get(k).Loc(), id
			}
			t.add(w)
			return
		}
	}
	t.machine(r, n)
}

func lowerLaunchTemplateWorkload(t *template, r *resource) {
	lowerLaunchTemplate(t, r)
	ip := r.props.Get("LaunchTemplateData").Get("IamInstanceProfile")
	n := ip.Get("Arn")
	if !n.Exists() {
		n = ip.Get("Name")
	}
	t.machine(r, n)
}

func lowerLaunchConfigurationWorkload(t *template, r *resource) {
	lowerLaunchConfiguration(t, r)
	t.machine(r, r.props.Get("IamInstanceProfile"))
}

// machine adds the workload of an EC2 machine whose instance profile the
// property n names.
func (t *template) machine(r *resource, n node) {
	w := t.workload(r)
	w.Identity = t.profileIdentity(n)
	t.add(w)
}

// profileIdentity resolves an instance profile to the role it carries: a
// profile of the template (a Ref to its name or a GetAtt of its Arn) gives
// its role, read as any workload's Role property is; a profile named by a
// literal name or ARN, or one whose role is not known, stays the identity
// (keyed by the profile), so that machines sharing it still share one
// identity, whose rights are then not known.
func (t *template) profileIdentity(n node) model.Identity {
	id, x, ok := roleProperty(n)
	if !ok {
		return id
	}
	switch {
	case x.res != "" && t.typeOf(x.res) == "AWS::IAM::InstanceProfile":
		roles := t.node(t.resources[x.res]).Get("Properties").Get("Roles")
		items := roles.Items()
		if len(items) == 1 {
			role := t.identity(items[0])
			if role.Key != "" && !role.Unknown {
				role.Loc = id.Loc
				role.Via = append(append(id.Via, model.Related{Loc: items[0].Loc(), Message: "instance profile " + x.res + " carries role " + role.Name}), role.Via...)
				role.Name += " (instance profile " + x.res + ")"
				return role
			}
		}
		id.Key, id.Name = t.file+"#"+x.res, x.res+" (AWS::IAM::InstanceProfile)"
	case x.res != "":
		id.Unknown = true // a custom resource, a parameter of another type
	case x.known && !x.isList && x.s != "":
		name := x.s
		if i := strings.Index(name, ":instance-profile/"); i >= 0 {
			name = name[strings.LastIndex(name, "/")+1:]
		}
		id.Key, id.Name = "instance-profile/"+name, x.s
		if strings.Contains(x.s, ":instance-profile/") {
			id.Key = x.s
		}
	case !x.noValue:
		id.Unknown = true
	}
	return id
}
