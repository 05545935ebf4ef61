package terraform

import (
	"sort"
	"strings"

	"github.com/isolint/isolint/model"
)

// iamIndex collects roles, policies and attachments while the resources of
// a unit (a root module and the modules it calls) are lowered, and joins
// them once the unit is: an attachment may come before the role or the
// policy it names, in another file or module of the unit.
type iamIndex struct {
	qual   string                      // the unit's key prefix (run.qual)
	roles  map[string]*model.CloudRole // by key
	byName map[string]string           // known role or account name/email → key
	docs   map[string]node             // data.aws_iam_policy_document addresses
	pols   map[string]node             // aws_iam_policy addresses → policy attribute
	grants []*grant
	// trusts are the roles' trust policies, read once the policy
	// documents they may refer to are known.
	trusts []*trustRef
	oidc   map[string]model.String // aws_iam_openid_connect_provider address → url
}

// grant attaches a policy to a role.
type grant struct {
	role   node   // the attribute naming the role (or a known key)
	key    string // the role's key, when known directly
	policy node   // the policy document, or a policy ARN
	arn    bool   // policy is a policy ARN
	name   string // the policy, for messages
	via    model.Related
	st     *model.PolicyStatement // a ready statement
	rg     *model.RoleGrant       // a predefined role (GCP, Azure)
	kind   model.IdentityKind
}

func newIAMIndex(qual string) *iamIndex {
	return &iamIndex{qual: qual, roles: map[string]*model.CloudRole{}, byName: map[string]string{}, docs: map[string]node{}, pols: map[string]node{}, oidc: map[string]model.String{}}
}

func (x *iamIndex) role(r *model.CloudRole, name string) {
	if _, ok := x.roles[r.Key]; !ok {
		x.roles[r.Key] = r
	}
	if name != "" {
		x.byName[name] = r.Key
	}
}

// grantRole records a predefined role granted to the identity with the key.
func (x *iamIndex) grantRole(kind model.IdentityKind, key string, rg *model.RoleGrant, via model.Related) {
	x.grants = append(x.grants, &grant{key: key, rg: rg, via: via, kind: kind})
}

// lowerIAMRole records a role, its inline policies and managed policy ARNs.
func lowerIAMRole(rc *resCtx) {
	x := rc.in.run.iam
	loc := rangeLoc(rc.res.block.DefRange, rc.res.block.DefRange)
	loc.Object = rc.res.addr()
	name := rc.n.Get("name").Text()
	key := rc.in.run.key(rc.addr)
	x.role(&model.CloudRole{Kind: model.IdentityAWSRole, Key: key, Name: rc.addr, RoleName: name, Loc: loc}, name)
	for _, ip := range rc.n.All("inline_policy") {
		x.grants = append(x.grants, &grant{key: key, policy: ip.Get("policy"), name: rc.addr + " inline policy " + ip.Get("name").Text(),
			via: model.Related{Loc: ip.KeyLoc(), Message: "inline policy of " + rc.addr}})
	}
	for _, arn := range rc.n.Get("managed_policy_arns").Items() {
		x.grants = append(x.grants, &grant{key: key, policy: arn, arn: true, via: model.Related{Loc: arn.Loc(), Message: "attached to " + rc.addr + " here"}})
	}
	lowerTrust(rc)
}

// lowerIAMRolePolicy records an inline aws_iam_role_policy.
func lowerIAMRolePolicy(rc *resCtx) {
	rc.in.run.iam.grants = append(rc.in.run.iam.grants, &grant{role: rc.n.Get("role"), policy: rc.n.Get("policy"), name: rc.addr,
		via: model.Related{Loc: rc.n.Get("role").Loc(), Message: rc.addr + " attaches the policy here"}})
}

// lowerIAMRolePolicyAttachment records a managed policy attached to a role.
func lowerIAMRolePolicyAttachment(rc *resCtx) {
	rc.in.run.iam.grants = append(rc.in.run.iam.grants, &grant{role: rc.n.Get("role"), policy: rc.n.Get("policy_arn"), arn: true,
		via: model.Related{Loc: rc.n.Get("policy_arn").Loc(), Message: rc.addr + " attaches the policy here"}})
}

// lowerIAMPolicyAttachment records aws_iam_policy_attachment's roles.
func lowerIAMPolicyAttachment(rc *resCtx) {
	for _, r := range rc.n.Get("roles").Items() {
		rc.in.run.iam.grants = append(rc.in.run.iam.grants, &grant{role: r, policy: rc.n.Get("policy_arn"), arn: true,
			via: model.Related{Loc: rc.n.Get("policy_arn").Loc(), Message: rc.addr + " attaches the policy here"}})
	}
}

// lowerIAMPolicy records a customer managed policy.
func lowerIAMPolicy(rc *resCtx) {
	rc.in.run.iam.pols[rc.addr] = rc.n.Get("policy")
}

// finish joins grants to roles and hands the roles to the project.
func (x *iamIndex) finish(r *run) {
	for _, g := range x.grants {
		keys := x.roleKeys(g)
		if len(keys) == 0 {
			continue
		}
		sts := x.statements(g)
		managed := x.managed(g)
		for _, k := range keys {
			cr := x.roles[k]
			if cr == nil {
				kind := g.kind
				if kind == "" {
					kind = model.IdentityAWSRole
				}
				cr = &model.CloudRole{Kind: kind, Key: k, Name: model.TerraformAddr(k)}
				x.roles[k] = cr
			}
			for _, st := range sts {
				s := *st
				s.Via = append([]model.Related{g.via}, st.Via...)
				cr.Statements = append(cr.Statements, &s)
			}
			if managed != nil {
				mp := *managed
				mp.Via = append([]model.Related{g.via}, managed.Via...)
				cr.ManagedPolicies = append(cr.ManagedPolicies, mp)
			}
			if g.rg != nil {
				rg := *g.rg
				rg.Via = append([]model.Related{g.via}, g.rg.Via...)
				cr.Grants = append(cr.Grants, rg)
			}
		}
	}
	for _, t := range x.trusts {
		x.resolveTrust(t)
		r.proj.TrustPolicies = append(r.proj.TrustPolicies, t.tp)
	}
	keys := make([]string, 0, len(x.roles))
	for k := range x.roles {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		cr := x.roles[k]
		if strings.HasPrefix(k, x.qual) {
			r.proj.CloudRoles = append(r.proj.CloudRoles, cr)
			continue
		}
		// a role known by its name alone (a service account's email)
		// is the cloud's: what every unit grants it is granted to one
		// identity
		if prev := r.named[k]; prev != nil {
			prev.Statements = append(prev.Statements, cr.Statements...)
			prev.ManagedPolicies = append(prev.ManagedPolicies, cr.ManagedPolicies...)
			prev.Grants = append(prev.Grants, cr.Grants...)
			continue
		}
		if r.named == nil {
			r.named = map[string]*model.CloudRole{}
		}
		r.named[k] = cr
		r.proj.CloudRoles = append(r.proj.CloudRoles, cr)
	}
}

// roleKeys resolves the role a grant names: by reference, or by name.
func (x *iamIndex) roleKeys(g *grant) []string {
	if g.key != "" {
		if k, ok := x.byName[g.key]; ok && g.rg != nil {
			return []string{k} // a GCP member written as an email
		}
		return []string{g.key}
	}
	for _, ref := range g.role.Refs() {
		if resourceType(ref) == "aws_iam_role" {
			return []string{x.qual + ref}
		}
	}
	s := g.role.Str()
	if !s.Known() {
		return nil
	}
	name := s.Value
	if i := strings.LastIndex(name, ":role/"); i >= 0 {
		name = name[strings.LastIndex(name, "/")+1:]
	}
	if k, ok := x.byName[name]; ok {
		return []string{k}
	}
	return nil
}

// statements reads the statements a grant attaches.
func (x *iamIndex) statements(g *grant) []*model.PolicyStatement {
	if g.st != nil {
		return []*model.PolicyStatement{g.st}
	}
	if g.rg != nil {
		return nil
	}
	if g.arn {
		for _, ref := range g.policy.Refs() {
			if p, ok := x.pols[ref]; ok {
				return x.document(p, ref)
			}
		}
		return nil
	}
	return x.document(g.policy, g.name)
}

// managed reads the AWS managed policy a grant attaches by ARN, if it is one.
func (x *iamIndex) managed(g *grant) *model.ManagedPolicy {
	if !g.arn {
		return nil
	}
	s := g.policy.Str()
	if !s.Known() {
		return nil
	}
	name := model.ManagedPolicyName(s.Value)
	if name == "" {
		return nil
	}
	return &model.ManagedPolicy{Name: name, ARN: s, Loc: s.Loc, Via: s.Via}
}

// document reads a policy document: a reference to an
// aws_iam_policy_document, or JSON (jsonencode, heredoc, file).
func (x *iamIndex) document(p node, name string) []*model.PolicyStatement {
	return x.documentIn(p, name, 0)
}

// maxDocumentDepth bounds policy documents merged into one another
// (source_policy_documents), a cycle included.
const maxDocumentDepth = 8

func (x *iamIndex) documentIn(p node, name string, depth int) []*model.PolicyStatement {
	for _, ref := range p.Refs() {
		if d, ok := x.docs[ref]; ok && strings.Contains(ref, "aws_iam_policy_document") {
			return x.policyDocument(d, ref, depth)
		}
	}
	u := p.unwrap()
	var out []*model.PolicyStatement
	for _, s := range u.Get("Statement").Items() {
		st := &model.PolicyStatement{Policy: name, Sid: s.Get("Sid").Text(), Effect: s.Get("Effect").Text(), Conditioned: s.Get("Condition").Exists()}
		act := s.Get("Action")
		if na := s.Get("NotAction"); na.Exists() {
			act, st.NotAction = na, true
		}
		st.Actions = act.Strings()
		st.Loc = act.Loc()
		res := s.Get("Resource")
		if nr := s.Get("NotResource"); nr.Exists() {
			res, st.NotResource = nr, true
		}
		st.Resources = res.Strings()
		if !res.Exists() {
			st.Resources = []model.String{{Set: true, Unknown: true}} // a policy without resources grants nothing known
		}
		out = append(out, st)
	}
	return out
}

// policyDocument reads a data "aws_iam_policy_document" block's statements,
// merged as the provider merges them: the statements of
// source_policy_documents, then the block's own, then those of
// override_policy_documents, each replacing an earlier statement of the
// same sid.
func (x *iamIndex) policyDocument(d node, name string, depth int) []*model.PolicyStatement {
	if depth >= maxDocumentDepth {
		return []*model.PolicyStatement{{Policy: name}} // no known effect: grants nothing known
	}
	var out []*model.PolicyStatement
	bySid := map[string]int{}
	merge := func(sts []*model.PolicyStatement) {
		for _, st := range sts {
			if i, ok := bySid[st.Sid]; ok && st.Sid != "" {
				out[i] = st
				continue
			}
			if st.Sid != "" {
				bySid[st.Sid] = len(out)
			}
			out = append(out, st)
		}
	}
	for _, src := range d.Get("source_policy_documents").Items() {
		merge(x.documentIn(src, name, depth+1))
	}
	merge(docStatements(d, name))
	for _, o := range d.Get("override_policy_documents").Items() {
		merge(x.documentIn(o, name, depth+1))
	}
	return out
}

// docStatements reads the statement blocks of a data
// "aws_iam_policy_document".
func docStatements(d node, name string) []*model.PolicyStatement {
	var out []*model.PolicyStatement
	for _, s := range d.All("statement") {
		st := &model.PolicyStatement{Policy: name, Sid: s.Get("sid").Text(), Effect: "Allow", Conditioned: len(s.All("condition")) > 0}
		if e := s.Get("effect").Str(); e.Set {
			st.Effect = e.Value
			if e.Unknown {
				st.Effect = ""
			}
		}
		act := s.Get("actions")
		if na := s.Get("not_actions"); na.Exists() {
			act, st.NotAction = na, true
		}
		st.Actions, st.Loc = act.Strings(), act.Loc()
		res := s.Get("resources")
		if nr := s.Get("not_resources"); nr.Exists() {
			res, st.NotResource = nr, true
		}
		st.Resources = res.Strings()
		if !res.Exists() {
			st.Resources = []model.String{{Set: true, Unknown: true}} // principals-only statements (trust policies)
		}
		out = append(out, st)
	}
	return out
}
