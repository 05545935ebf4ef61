package cloudformation

import (
	"github.com/isolint/isolint/model"
)

// slsRole is the logical ID of the role the Serverless Framework creates
// for a service: every function without a `role` of its own runs as it.
const slsRole = "IamRoleLambdaExecution"

// serverless lowers a Serverless Framework service (provider aws): its
// functions with their environment (provider.environment, then the
// function's), and the role each runs as, with the statements the service
// grants its role; and the CloudFormation resources under
// resources.Resources.
func (t *template) serverless() {
	t.sls = true
	prov := t.node(t.root.Get("provider"))
	if name := prov.Get("name").Str(); name.Known() && name.Value != "aws" {
		t.proj.Notices = append(t.proj.Notices, model.Notice{Level: model.NoticeNote, Loc: name.Loc,
			Message: "Serverless provider " + name.Value + " is not read; only provider aws is"})
		return
	}
	t.lower()

	shared := t.slsProviderRole(prov)
	perFunction := false
	for _, pl := range t.node(t.root.Get("plugins")).Strings() {
		perFunction = perFunction || pl.Value == "serverless-iam-roles-per-function"
	}
	for _, pl := range t.node(t.root.Get("plugins")).Get("modules").Strings() {
		perFunction = perFunction || pl.Value == "serverless-iam-roles-per-function"
	}
	fns := t.node(t.root.Get("functions"))
	if fns.Exists() && !fns.resolve().v.IsMap() {
		t.notice(fns.v, "functions must be a mapping, got %s; nothing in it was checked", fns.v.KindName())
	}
	for _, f := range fns.Pairs() {
		loc := f.Val.KeyLoc()
		loc.Object = f.Key
		w := &model.Workload{Format: model.FormatCFN, Kind: "serverless function", Name: f.Key, Loc: loc, SpecLoc: loc, Lacks: model.AllSettings}
		c := &model.Container{Name: f.Key, Kind: model.ContainerRegular, Loc: loc, Image: f.Val.Get("image").Str()}
		own := map[string]bool{}
		vars := f.Val.Get("environment")
		for _, v := range vars.Pairs() {
			own[v.Key] = true
		}
		for _, v := range prov.Get("environment").Pairs() {
			if own[v.Key] {
				continue
			}
			ev := t.envVar(v.Key, v.Val.KeyLoc(), v.Val)
			ev.Value.Via = append(ev.Value.Via, model.Related{Loc: loc, Message: "provider.environment sets it for " + f.Key})
			c.Env = append(c.Env, ev)
		}
		c.Env = append(c.Env, t.envMap(vars)...)
		w.Containers = []*model.Container{c}
		// a function's vpc replaces the provider's
		missing := loc
		missing.Synthetic, missing.Path = true, "functions."+f.Key+".vpc"
		if vpc := f.Val.Get("vpc"); vpc.Exists() || !prov.Get("vpc").Exists() {
			w.Egress = t.vpcEgress(vpc, missing, "securityGroupIds", "subnetIds")
		} else {
			w.Egress = t.vpcEgress(prov.Get("vpc"), missing, "securityGroupIds", "subnetIds")
			w.Egress.Via = append(w.Egress.Via, model.Related{Loc: loc, Message: "provider.vpc applies to " + f.Key})
		}
		if role := f.Val.Get("role"); role.Exists() {
			w.Identity = t.slsRoleRef(role)
		} else if sts := f.Val.Get("iamRoleStatements"); sts.Exists() && perFunction {
			// serverless-iam-roles-per-function: a role of the function's
			// own, with its statements (and the provider's, when
			// iamRoleStatementsInherit is true)
			name := f.Key + "IamRoleLambdaExecution"
			key := t.roleKey(name)
			cr := t.iam.role(key, name, loc)
			grant(cr, t.statements(sts, f.Key+" iamRoleStatements"), model.Related{Loc: sts.KeyLoc(), Message: "granted to " + f.Key + "'s own role"})
			if f.Val.Get("iamRoleStatementsInherit").Bool().IsTrue() {
				if sr, ok := t.iam.roles[shared.Key]; ok {
					for _, st := range sr.Statements {
						c := *st
						cr.Statements = append(cr.Statements, &c)
					}
					cr.ManagedPolicies = append(cr.ManagedPolicies, sr.ManagedPolicies...)
				}
			}
			w.Identity = model.Identity{Kind: model.IdentityAWSRole, Key: key, Name: name, Loc: sts.KeyLoc()}
		} else {
			w.Identity = shared
			w.Identity.Loc = loc
			w.Identity.Loc.Synthetic = true
			w.Identity.Loc.Path = "functions." + f.Key + ".role"
		}
		t.add(w)
	}
}

// slsProviderRole reads the role the service's functions share:
// provider.iam.role (or the older provider.role) naming a role, or else
// the role the framework creates with provider.iam.role.statements (or the
// older provider.iamRoleStatements) and managed policies.
func (t *template) slsProviderRole(prov node) model.Identity {
	role := prov.Get("iam").Get("role")
	if !role.Exists() {
		role = prov.Get("role")
	}
	if role.Exists() && !role.resolve().v.IsMap() || role.Unknown() {
		id := t.slsRoleRef(role)
		id.Via = append([]model.Related{{Loc: role.Loc(), Message: "the service's role, used by every function without its own"}}, id.Via...)
		return id
	}
	key := t.roleKey(slsRole)
	cr := t.iam.role(key, slsRole, prov.KeyLoc())
	id := model.Identity{Kind: model.IdentityAWSRole, Key: key, Name: slsRole + " (the service's role)"}
	sts := role.Get("statements")
	if !sts.Exists() {
		sts = prov.Get("iamRoleStatements")
	}
	if sts.Exists() {
		id.Via = []model.Related{{Loc: sts.KeyLoc(), Message: "statements of the service's role, used by every function without its own"}}
		grant(cr, t.statements(sts, "provider role statements"), model.Related{Loc: sts.KeyLoc(), Message: "granted to the service's role"})
	} else {
		loc := prov.KeyLoc()
		id.Via = []model.Related{{Loc: loc, Message: "the framework creates one role for the service, used by every function without its own"}}
	}
	mps := role.Get("managedPolicies")
	if !mps.Exists() {
		mps = prov.Get("iamManagedPolicies")
	}
	for _, arn := range mps.Items() {
		t.attachManaged(cr, arn, model.Related{Loc: arn.Loc(), Message: "attached to the service's role here"})
	}
	return id
}

// slsRoleRef reads a function's or the provider's `role`: the logical ID
// of a role under resources.Resources, a role ARN, or a function
// (`Fn::GetAtt`, `!GetAtt`).
func (t *template) slsRoleRef(role node) model.Identity {
	if s := role.Str(); s.Known() && !role.isCallResolved() {
		if t.typeOf(s.Value) == "AWS::IAM::Role" {
			return model.Identity{Kind: model.IdentityAWSRole, Key: t.roleKey(s.Value), Name: s.Value, Loc: role.Loc(), Via: s.Via}
		}
	}
	return t.identity(role)
}

func (n node) isCallResolved() bool { return n.resolve().isCall() }
