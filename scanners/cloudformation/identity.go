package cloudformation

import (
	"strings"

	"github.com/isolint/isolint/model"
)

// Static credentials and trust policies, as the Terraform scanner records
// aws_iam_access_key and assume_role_policy.

// lowerAccessKey records an AWS::IAM::AccessKey: an IAM user key valid
// until it is deleted. An Inactive key authenticates nothing.
func lowerAccessKey(t *template, r *resource) {
	if s := r.props.Get("Status").Str(); s.Known() && strings.EqualFold(s.Value, "Inactive") {
		return
	}
	loc := r.v.KeyLoc()
	loc.Object = r.id
	c := &model.StaticCredential{
		Kind: model.CredAWSAccessKey, Format: model.FormatCFN, Provider: model.ProviderAWS,
		Resource: r.id, Object: r.typ + "/" + r.id, Loc: loc,
		Principal: r.props.Get("UserName").Str(),
	}
	if x := r.props.Get("UserName").eval(); x.res != "" {
		c.Principal = model.String{Value: x.res, Set: true, Loc: r.props.Get("UserName").Loc()}
	}
	t.proj.StaticCredentials = append(t.proj.StaticCredentials, c)
}

// lowerRoleTrust records an AWS::IAM::Role's AssumeRolePolicyDocument.
func lowerRoleTrust(t *template, r *resource) {
	t.trust(t.roleKey(r.id), r.id, r.typ+"/"+r.id, r.props.Get("AssumeRolePolicyDocument"))
}

// trust records the trust policy doc of the role with key.
func (t *template) trust(key, name, object string, doc node) {
	if !doc.Exists() {
		return
	}
	tp := &model.TrustPolicy{
		Kind: model.TrustAWSAssumeRole, Format: model.FormatCFN, Provider: model.ProviderAWS,
		Role: key, RoleName: name, Object: object, Loc: doc.KeyLoc(), Via: doc.via,
	}
	st := t.jsonDoc(doc).Get("Statement")
	items := st.Items()
	if st.Exists() && !st.Unknown() && !st.resolve().v.IsSeq() {
		items = []node{st}
	}
	if len(items) == 0 {
		tp.Unknown = true // a function, an import, text that is not JSON
	}
	for _, s := range items {
		ts := &model.TrustStatement{Effect: s.Get("Effect").Text(), Actions: s.Get("Action").Strings()}
		p := s.Get("Principal")
		if np := s.Get("NotPrincipal"); np.Exists() {
			p, ts.NotPrincipal = np, true
		}
		if !p.Exists() {
			continue
		}
		ts.Loc = p.KeyLoc()
		if v := p.Str(); !p.resolve().v.IsMap() && v.Known() && v.Value == "*" {
			ts.Principals = append(ts.Principals, model.Principal{Type: model.PrincipalAny, Value: v})
		} else {
			for _, pr := range p.Pairs() {
				items := pr.Val.Items()
				for i, v := range pr.Val.Strings() {
					pv := model.Principal{Type: pr.Key, Value: v}
					if !v.Known() && i < len(items) {
						pv = t.principalRef(pv, items[i])
					} else if !v.Known() && len(items) == 0 {
						pv = t.principalRef(pv, pr.Val)
					}
					ts.Principals = append(ts.Principals, pv)
				}
			}
			if len(ts.Principals) == 0 {
				ts.Principals = append(ts.Principals, model.Principal{Value: p.Str()})
			}
		}
		if c := s.Get("Condition"); c.Exists() {
			ops := c.Pairs()
			if len(ops) == 0 {
				ts.ConditionsUnknown = true
			}
			for _, op := range ops {
				keys := op.Val.Pairs()
				if len(keys) == 0 {
					ts.ConditionsUnknown = true
				}
				for _, k := range keys {
					ts.Conditions = append(ts.Conditions, model.Condition{Operator: op.Key, Key: k.Key, Values: k.Val.Strings(), Loc: k.Val.KeyLoc()})
				}
			}
		}
		tp.Statements = append(tp.Statements, ts)
	}
	t.proj.TrustPolicies = append(t.proj.TrustPolicies, tp)
}

// principalRef resolves a principal that refers to a resource of the
// template: an AWS::IAM::OIDCProvider stands for its Url (the issuer).
func (t *template) principalRef(p model.Principal, n node) model.Principal {
	x := n.eval()
	if x.res == "" {
		return p
	}
	p.Ref = x.res
	if t.typeOf(x.res) == "AWS::IAM::OIDCProvider" {
		if u := t.node(t.resources[x.res]).Get("Properties").Get("Url").Str(); u.Known() {
			p.Value = u
		}
	}
	return p
}
