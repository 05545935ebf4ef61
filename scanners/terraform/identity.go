package terraform

import (
	"regexp"
	"strings"
	"time"

	"github.com/isolint/isolint/model"
)

// Static credentials and trust policies: resources that mint long-lived
// keys, and the policies that say who may assume a cloud identity.

// staticCred starts a static credential found at the resource's header: a
// resource whose existence is the problem.
func (rc *resCtx) staticCred(kind model.CredentialKind, provider string) *model.StaticCredential {
	loc := rangeLoc(rc.res.block.DefRange, rc.res.block.DefRange)
	loc.Object = rc.res.addr()
	return &model.StaticCredential{
		Kind: kind, Format: model.FormatTerraform, Provider: provider,
		Resource: rc.res.addr(), Object: rc.res.typ + "/" + rc.res.name, Loc: loc, Via: rc.in.calls,
	}
}

func (rc *resCtx) addCred(c *model.StaticCredential) {
	rc.in.run.proj.StaticCredentials = append(rc.in.run.proj.StaticCredentials, c)
}

// lowerAWSAccessKey records an aws_iam_access_key: an IAM user key that is
// valid until it is deleted. An Inactive key authenticates nothing.
func lowerAWSAccessKey(rc *resCtx) {
	if s := rc.n.Get("status").Str(); s.Known() && strings.EqualFold(s.Value, "Inactive") {
		return
	}
	c := rc.staticCred(model.CredAWSAccessKey, model.ProviderAWS)
	c.Principal = rc.n.Get("user").Str()
	rc.addCred(c)
}

// lowerGCPServiceAccountKey records a google_service_account_key: a key
// file that is valid until it is deleted (or until valid_before, which the
// resource does not set: Google issues user-managed keys without expiry
// unless an organisation policy limits them).
func lowerGCPServiceAccountKey(rc *resCtx) {
	c := rc.staticCred(model.CredGCPServiceAccountKey, model.ProviderGCP)
	c.Principal = rc.n.Get("service_account_id").Str()
	rc.addCred(c)
}

// lowerAzureADPassword records an azuread_application_password or
// azuread_service_principal_password with its end date: end_date (RFC
// 3339, with start_date when written) or end_date_relative ("8760h",
// provider 2.x).
func lowerAzureADPassword(rc *resCtx) {
	c := rc.staticCred(model.CredAzureAppPassword, model.ProviderAzure)
	for _, k := range []string{"application_id", "application_object_id", "service_principal_id"} {
		if p := rc.n.Get(k); p.Exists() {
			c.Principal = p.Str()
			break
		}
	}
	if rel := rc.n.Get("end_date_relative"); rel.Exists() {
		s := rel.Str()
		c.Expiry = model.Expiry{Set: true, Unknown: !s.Known(), End: s, Loc: s.Loc}
		if s.Known() {
			if d, err := time.ParseDuration(s.Value); err == nil {
				c.Expiry.Hours = int64(d / time.Hour)
			} else {
				c.Expiry.Unknown = true
			}
		}
	} else if end := rc.n.Get("end_date"); end.Exists() {
		s := end.Str()
		c.Expiry = model.Expiry{Set: true, Unknown: !s.Known(), End: s, Loc: s.Loc}
		if start := rc.n.Get("start_date").Str(); s.Known() && start.Known() {
			e, err1 := time.Parse(time.RFC3339, s.Value)
			b, err2 := time.Parse(time.RFC3339, start.Value)
			if err1 == nil && err2 == nil {
				c.Expiry.Hours = int64(e.Sub(b) / time.Hour)
			}
		}
	}
	rc.addCred(c)
}

// lowerK8sSecret records a kubernetes_secret of type
// kubernetes.io/service-account-token: a token that never expires.
func lowerK8sSecret(rc *resCtx) {
	t := rc.n.Get("type")
	s := t.Str()
	if !s.Known() || s.Value != "kubernetes.io/service-account-token" {
		return
	}
	c := rc.staticCred(model.CredK8sSATokenSecret, model.ProviderKubernetes)
	c.Loc = t.Loc()
	c.Via = t.via(t.value())
	md := rc.n.Get("metadata")
	c.Principal = md.Get("annotations").Get("kubernetes.io/service-account.name").Str()
	rc.addCred(c)
}

// trustRef is a trust policy whose document is an aws_iam_policy_document
// data source, resolved once every resource is lowered.
type trustRef struct {
	tp  *model.TrustPolicy
	doc node // the assume_role_policy attribute
}

// lowerTrust records an aws_iam_role's assume_role_policy.
func lowerTrust(rc *resCtx) {
	a := rc.n.Get("assume_role_policy")
	if !a.Exists() {
		return
	}
	loc := a.KeyLoc()
	tp := &model.TrustPolicy{
		Kind: model.TrustAWSAssumeRole, Format: model.FormatTerraform, Provider: model.ProviderAWS,
		Role: rc.in.run.key(rc.addr), RoleName: rc.res.addr(), Object: rc.res.typ + "/" + rc.res.name, Loc: loc, Via: rc.in.calls,
	}
	rc.in.run.iam.trusts = append(rc.in.run.iam.trusts, &trustRef{tp: tp, doc: a})
}

// resolveTrust reads a trust policy's statements, from a policy document
// data source or from JSON.
func (x *iamIndex) resolveTrust(t *trustRef) {
	for _, ref := range t.doc.Refs() {
		if d, ok := x.docs[ref]; ok && strings.Contains(ref, "aws_iam_policy_document") {
			t.tp.Statements = x.docTrust(d)
			return
		}
	}
	u := t.doc.unwrap()
	items := u.Get("Statement").Items()
	if len(items) == 0 {
		t.tp.Unknown = true
		return
	}
	for _, s := range items {
		st := &model.TrustStatement{Effect: s.Get("Effect").Text(), Actions: s.Get("Action").Strings()}
		p := s.Get("Principal")
		if np := s.Get("NotPrincipal"); np.Exists() {
			p, st.NotPrincipal = np, true
		}
		if !p.Exists() {
			continue
		}
		st.Loc = p.KeyLoc()
		if v := p.Str(); v.Known() && v.Value == "*" {
			st.Principals = append(st.Principals, model.Principal{Type: model.PrincipalAny, Value: v})
		} else {
			for _, pr := range p.Pairs() {
				for i, it := range pr.Val.Strings() {
					st.Principals = append(st.Principals, x.principal(pr.Key, it, pr.Val, i))
				}
			}
			if len(st.Principals) == 0 {
				st.Principals = append(st.Principals, model.Principal{Type: "", Value: p.Str()})
			}
		}
		c := s.Get("Condition")
		if c.Exists() {
			ops := c.Pairs()
			if len(ops) == 0 {
				st.ConditionsUnknown = true
			}
			for _, op := range ops {
				keys := op.Val.Pairs()
				if len(keys) == 0 {
					st.ConditionsUnknown = true
				}
				for _, k := range keys {
					st.Conditions = append(st.Conditions, model.Condition{Operator: op.Key, Key: k.Key, Values: k.Val.Strings(), Loc: k.Val.KeyLoc()})
				}
			}
		}
		t.tp.Statements = append(t.tp.Statements, st)
	}
}

// docTrust reads the statements of a data "aws_iam_policy_document" used
// as a trust policy: each principals block's type and identifiers, each
// condition block's test, variable and values.
func (x *iamIndex) docTrust(d node) []*model.TrustStatement {
	var out []*model.TrustStatement
	for _, s := range d.All("statement") {
		st := &model.TrustStatement{Effect: "Allow", Actions: s.Get("actions").Strings()}
		if e := s.Get("effect").Str(); e.Set {
			st.Effect = e.Value
		}
		ps := s.All("principals")
		if nps := s.All("not_principals"); len(nps) > 0 {
			ps, st.NotPrincipal = nps, true
		}
		if len(ps) == 0 {
			continue
		}
		st.Loc = ps[0].KeyLoc()
		for _, p := range ps {
			typ := p.Get("type").Text()
			for i, id := range p.Get("identifiers").Strings() {
				if typ == "*" {
					st.Principals = append(st.Principals, model.Principal{Type: model.PrincipalAny, Value: id})
					continue
				}
				st.Principals = append(st.Principals, x.principal(typ, id, p.Get("identifiers"), i))
			}
		}
		for _, c := range s.All("condition") {
			test, variable := c.Get("test").Str(), c.Get("variable").Str()
			if !test.Known() || !variable.Known() {
				st.ConditionsUnknown = true
				continue
			}
			st.Conditions = append(st.Conditions, model.Condition{Operator: test.Value, Key: variable.Value, Values: c.Get("values").Strings(), Loc: c.KeyLoc()})
		}
		out = append(out, st)
	}
	return out
}

// principal reads one principal; a Federated principal that refers to an
// aws_iam_openid_connect_provider takes the provider's URL as its value.
func (x *iamIndex) principal(typ string, v model.String, list node, i int) model.Principal {
	p := model.Principal{Type: typ, Value: v}
	if v.Known() {
		return p
	}
	items := list.Items()
	var refs []string
	if i < len(items) {
		refs = items[i].Refs()
	} else {
		refs = list.Refs()
	}
	for _, r := range refs {
		if resourceType(r) == "aws_iam_openid_connect_provider" || resourceType(r) == "data.aws_iam_openid_connect_provider" {
			p.Ref = r
			if u, ok := x.oidc[r]; ok && u.Known() {
				p.Value = u
				p.Value.Value = "https://" + strings.TrimPrefix(u.Value, "https://")
			}
		}
	}
	return p
}

// lowerOIDCProvider records an aws_iam_openid_connect_provider's URL, so
// that trust policies that refer to it know the issuer.
func lowerOIDCProvider(rc *resCtx) {
	rc.in.run.iam.oidc[rc.addr] = rc.n.Get("url").Str()
}

// lowerGCPWorkloadIdentityProvider records a workload identity pool
// provider: its OIDC issuer, and its attribute_condition (without one,
// every token the issuer signs can be exchanged).
func lowerGCPWorkloadIdentityProvider(rc *resCtx) {
	oidc := rc.n.Get("oidc")
	if !oidc.Exists() {
		return // AWS, SAML and X.509 providers trust no OIDC issuer
	}
	loc := oidc.KeyLoc()
	tp := &model.TrustPolicy{
		Kind: model.TrustGCPWorkloadIdentity, Format: model.FormatTerraform, Provider: model.ProviderGCP,
		Role: rc.in.run.key(rc.addr), RoleName: rc.res.addr(), Object: rc.res.typ + "/" + rc.res.name, Loc: loc, Via: rc.in.calls,
	}
	st := &model.TrustStatement{Effect: "Allow", Loc: loc,
		Principals: []model.Principal{{Type: model.PrincipalFederated, Value: oidc.Get("issuer_uri").Str()}}}
	if ac := rc.n.Get("attribute_condition"); ac.Exists() {
		if s := ac.Str(); !s.Known() || strings.TrimSpace(s.Value) != "" {
			st.Conditions = append(st.Conditions, model.Condition{Operator: "CEL", Key: "attribute_condition", Values: []model.String{s}, Loc: ac.KeyLoc()})
		}
	}
	tp.Statements = []*model.TrustStatement{st}
	rc.in.run.proj.TrustPolicies = append(rc.in.run.proj.TrustPolicies, tp)
}

// lowerAzureFederatedCredential records a federated identity credential of
// an Entra application (azuread_application_federated_identity_credential,
// and the flexible azuread_application_flexible_federated_identity_credential)
// or of a user-assigned identity (azurerm_federated_identity_credential):
// tokens of issuer whose subject matches may act as the identity.
func lowerAzureFederatedCredential(rc *resCtx) {
	sub := rc.n.Get("subject")
	flexible := rc.n.Get("claims_matching_expression")
	if flexible.Exists() {
		sub = flexible
	}
	loc := sub.KeyLoc()
	if !sub.Exists() {
		loc = rangeLoc(rc.res.block.DefRange, rc.res.block.DefRange)
		loc.Object = rc.res.addr()
	}
	role := rc.addr
	for _, k := range []string{"parent_id", "application_id", "application_object_id"} {
		if refs := rc.n.Get(k).Refs(); len(refs) > 0 {
			role = refs[0]
			break
		}
	}
	tp := &model.TrustPolicy{
		Kind: model.TrustAzureFederated, Format: model.FormatTerraform, Provider: model.ProviderAzure,
		Role: rc.in.run.key(role), RoleName: shortRef(role), Object: rc.res.typ + "/" + rc.res.name, Loc: loc, Via: rc.in.calls,
	}
	st := &model.TrustStatement{Effect: "Allow", Loc: loc,
		Principals: []model.Principal{{Type: model.PrincipalFederated, Value: rc.n.Get("issuer").Str()}}}
	switch {
	case flexible.Exists():
		st.Conditions = claimsExpression(flexible)
	case sub.Exists():
		// Azure matches subject exactly: `repo:acme/*` admits only a token
		// whose subject is that very text, which no issuer signs; wildcards
		// need a flexible credential's claims_matching_expression
		// (https://learn.microsoft.com/entra/workload-id/workload-identities-flexible-federated-identity-credentials)
		st.Conditions = []model.Condition{{Operator: "StringEquals", Key: "sub", Values: []model.String{sub.Str()}, Loc: sub.KeyLoc()}}
	}
	tp.Statements = []*model.TrustStatement{st}
	rc.in.run.proj.TrustPolicies = append(rc.in.run.proj.TrustPolicies, tp)
}

// shortRef strips the module path of an address for messages.
func shortRef(addr string) string {
	for strings.HasPrefix(addr, "module.") {
		parts := strings.SplitN(addr, ".", 3)
		if len(parts) < 3 {
			return addr
		}
		addr = parts[2]
	}
	return addr
}

// claimClause is one `claims['name'] matches|eq 'value'` comparison of a
// flexible federated credential's claims_matching_expression.
var claimClause = regexp.MustCompile(`claims\['([A-Za-z_]+)'\]\s+(matches|eq)\s+'([^']*)'`)

// claimsExpression reads a claims_matching_expression as conditions on the
// claims it compares: `matches` allows `*` wildcards (StringLike), `eq` is
// exact. An expression with `or`, or one not understood, is unknown: a
// condition whose value is not known is never judged too broad.
func claimsExpression(n node) []model.Condition {
	s := n.Str()
	unknown := []model.Condition{{Operator: "StringLike", Key: "sub", Values: []model.String{{Set: true, Unknown: true, Loc: s.Loc, Via: s.Via}}, Loc: n.KeyLoc()}}
	if !s.Known() || strings.Contains(s.Value, " or ") {
		return unknown
	}
	var out []model.Condition
	for _, m := range claimClause.FindAllStringSubmatch(s.Value, -1) {
		op := "StringEquals"
		if m[2] == "matches" {
			op = "StringLike"
		}
		v := s
		v.Value = m[3]
		out = append(out, model.Condition{Operator: op, Key: m[1], Values: []model.String{v}, Loc: n.KeyLoc()})
	}
	if len(out) == 0 {
		return unknown
	}
	return out
}
