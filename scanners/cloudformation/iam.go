package cloudformation

import (
	"sort"
	"strings"

	"github.com/isolint/isolint/model"
)

// iamIndex holds the roles a template defines (or its framework creates:
// a SAM function's role, a Serverless service's role) with the policy
// statements granted to them.
type iamIndex struct {
	roles   map[string]*model.CloudRole // by key
	byName  map[string]string           // RoleName → key
	managed map[string]node             // AWS::IAM::ManagedPolicy logical ID → PolicyDocument
}

func newIAMIndex() *iamIndex {
	return &iamIndex{roles: map[string]*model.CloudRole{}, byName: map[string]string{}, managed: map[string]node{}}
}

// addRole records an AWS::IAM::Role.
func (x *iamIndex) addRole(t *template, r *resource) {
	loc := r.v.KeyLoc()
	loc.Object = r.id
	key := t.roleKey(r.id)
	x.roles[key] = &model.CloudRole{Kind: model.IdentityAWSRole, Key: key, Name: r.id, Loc: loc}
	if n := r.props.Get("RoleName").Text(); n != "" {
		x.byName[n] = key
	}
}

// role returns the role with key, creating it (a role the template's
// framework creates) when needed.
func (x *iamIndex) role(key, name string, loc model.Location) *model.CloudRole {
	if r, ok := x.roles[key]; ok {
		return r
	}
	r := &model.CloudRole{Kind: model.IdentityAWSRole, Key: key, Name: name, Loc: loc}
	x.roles[key] = r
	return r
}

// grant appends statements to a role, each with the place that attaches
// them.
func grant(r *model.CloudRole, sts []*model.PolicyStatement, via model.Related) {
	for _, st := range sts {
		st.Via = append([]model.Related{via}, st.Via...)
		r.Statements = append(r.Statements, st)
	}
}

// lowerRolePolicies reads a role's inline policies and managed policies.
func lowerRolePolicies(t *template, r *resource) {
	role := t.iam.roles[t.roleKey(r.id)]
	if role == nil {
		return
	}
	for _, p := range r.props.Get("Policies").Items() {
		name := p.Get("PolicyName").Text()
		grant(role, t.document(p.Get("PolicyDocument"), r.id+" inline policy "+name),
			model.Related{Loc: p.Get("PolicyDocument").KeyLoc(), Message: "inline policy of " + r.id})
	}
	for _, arn := range r.props.Get("ManagedPolicyArns").Items() {
		t.attachManaged(role, arn, model.Related{Loc: arn.Loc(), Message: "attached to " + r.id + " here"})
	}
}

// lowerPolicy reads an AWS::IAM::Policy or AWS::IAM::ManagedPolicy
// attached to roles of the template.
func lowerPolicy(t *template, r *resource) {
	doc := r.props.Get("PolicyDocument")
	for _, rn := range r.props.Get("Roles").Items() {
		key := t.roleRef(rn)
		if key == "" {
			continue
		}
		grant(t.iam.roles[key], t.document(doc, r.id), model.Related{Loc: rn.Loc(), Message: r.id + " attaches the policy here"})
	}
}

// lowerRolePolicy reads an AWS::IAM::RolePolicy.
func lowerRolePolicy(t *template, r *resource) {
	rn := r.props.Get("RoleName")
	if key := t.roleRef(rn); key != "" {
		grant(t.iam.roles[key], t.document(r.props.Get("PolicyDocument"), r.id), model.Related{Loc: rn.Loc(), Message: r.id + " attaches the policy here"})
	}
}

// roleRef resolves a role named by reference (`!Ref Role`, whose value is
// the role name) or by its RoleName, to a role of the template.
func (t *template) roleRef(n node) string {
	x := n.eval()
	if x.res != "" {
		if _, ok := t.iam.roles[t.roleKey(x.res)]; ok {
			return t.roleKey(x.res)
		}
		return ""
	}
	if x.known && !x.isList {
		return t.iam.byName[roleName(x.s)]
	}
	return ""
}

// document reads a policy document's statements.
func (t *template) document(doc node, policy string) []*model.PolicyStatement {
	return t.statements(t.jsonDoc(doc).Get("Statement"), policy)
}

// statements reads a list of policy statements (or a single one).
func (t *template) statements(st node, policy string) []*model.PolicyStatement {
	items := st.Items()
	if st.Exists() && !st.Unknown() && !st.resolve().v.IsSeq() {
		items = []node{st} // a single statement
	}
	var out []*model.PolicyStatement
	for _, s := range items {
		ps := &model.PolicyStatement{Policy: policy, Effect: s.Get("Effect").Text(), Conditioned: s.Get("Condition").Exists()}
		act := s.Get("Action")
		if na := s.Get("NotAction"); na.Exists() {
			act, ps.NotAction = na, true
		}
		ps.Actions, ps.Loc = act.Strings(), act.Loc()
		res := s.Get("Resource")
		if nr := s.Get("NotResource"); nr.Exists() {
			res, ps.NotResource = nr, true
		}
		ps.Resources = res.Strings()
		if !res.Exists() {
			ps.Resources = []model.String{{Set: true, Unknown: true}} // a statement without resources grants nothing known
		}
		out = append(out, ps)
	}
	return out
}

// attachManaged attaches a managed policy given by ARN to a role: a
// reference to an AWS::IAM::ManagedPolicy of the template (its statements),
// or an AWS managed policy (`arn:aws:iam::aws:policy/PowerUserAccess`, also
// with `${AWS::Partition}`), recorded by name for the breadth judgements
// every format shares. Other policies are not in the scan: their grants are
// unknown.
func (t *template) attachManaged(role *model.CloudRole, n node, via model.Related) {
	x := n.eval()
	if x.res != "" {
		if doc, ok := t.iam.managed[x.res]; ok {
			grant(role, t.document(doc, x.res), via)
		}
		return
	}
	s := n.Str()
	s.Via = append(s.Via, x.via...)
	if name := managedPolicyName(x.s); name != "" {
		role.ManagedPolicies = append(role.ManagedPolicies, model.ManagedPolicy{Name: name, ARN: s, Loc: s.Loc, Via: append([]model.Related{via}, s.Via...)})
	}
}

// managedPolicyName reads an AWS managed policy's name from its ARN, whose
// partition may be unknown; "" for any other policy.
func managedPolicyName(arn string) string {
	if !strings.HasPrefix(arn, "arn:") || !strings.Contains(arn, ":iam::aws:policy/") {
		return ""
	}
	name := arn[strings.LastIndex(arn, "/")+1:]
	if strings.Contains(name, unknownPart) {
		return ""
	}
	return name
}

// finish hands the roles to the project in key order.
func (x *iamIndex) finish(t *template) {
	keys := make([]string, 0, len(x.roles))
	for k := range x.roles {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		t.proj.CloudRoles = append(t.proj.CloudRoles, x.roles[k])
	}
}
