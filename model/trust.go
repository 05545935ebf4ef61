package model

import "strings"

// Trust policies: who may assume a cloud identity. An AWS role's trust
// (assume-role) policy, a GCP workload identity pool provider, an Azure
// federated identity credential all say which outside principals (other
// accounts, anyone, the tokens of an OIDC issuer) can act as the identity.
// Scanners lower each onto a TrustPolicy; identity-trust-too-broad judges
// them through the helpers below.

// IdentityAzureManagedIdentity is an Azure managed identity (system- or
// user-assigned) a workload runs as.
const IdentityAzureManagedIdentity IdentityKind = "azure-managed-identity"

// TrustKind names the construct a trust policy comes from.
type TrustKind string

const (
	// TrustAWSAssumeRole is an IAM role's assume_role_policy
	// (AssumeRolePolicyDocument).
	TrustAWSAssumeRole TrustKind = "aws-assume-role-policy"
	// TrustGCPWorkloadIdentity is a workload identity pool provider.
	TrustGCPWorkloadIdentity TrustKind = "gcp-workload-identity-provider"
	// TrustAzureFederated is a federated identity credential of an
	// application or a user-assigned managed identity.
	TrustAzureFederated TrustKind = "azure-federated-credential"
)

// TrustPolicy is what lets principals outside an identity act as it.
type TrustPolicy struct {
	Kind     TrustKind
	Format   Format
	Provider string // ProviderAWS, ProviderGCP, ProviderAzure
	// Role is the key of the identity guarded (the CloudRole.Key, an
	// Identity.Key), RoleName the identity for messages.
	Role     string
	RoleName string
	// Object identifies the defining object for fingerprints and ignores
	// ("aws_iam_role.deploy", "AWS::IAM::Role/Deploy").
	Object string
	// Loc is the attribute or resource that holds the policy.
	Loc        Location
	Statements []*TrustStatement
	// Unknown is set when the policy could not be read (a variable, a
	// file outside the scan): it is not checked.
	Unknown bool
	Via     []Related
}

// TrustStatement is one statement of a trust policy. GCP providers and
// Azure federated credentials lower onto one statement each: the issuer is
// the federated principal; GCP's attribute_condition and Azure's subject
// are conditions.
type TrustStatement struct {
	Effect string // "Allow" or "Deny"; "" when unknown
	// Actions are the sts actions allowed (sts:AssumeRole,
	// sts:AssumeRoleWithWebIdentity, sts:TagSession).
	Actions []String
	// Principals are who the statement admits; NotPrincipal inverts them
	// (everyone but those listed).
	Principals   []Principal
	NotPrincipal bool
	Conditions   []Condition
	// ConditionsUnknown is set when a condition is written but cannot be
	// read offline (a dynamic block, a variable map): the statement may be
	// narrowed in ways the scan cannot see.
	ConditionsUnknown bool
	// Loc is where a finding belongs: the `Principal` key (JSON policies),
	// the `principals` block (aws_iam_policy_document), the resource
	// attribute holding the issuer or subject.
	Loc Location
}

// Principal types, as AWS policies write them.
const (
	PrincipalAny       = "*" // "Principal": "*"
	PrincipalAWS       = "AWS"
	PrincipalService   = "Service"
	PrincipalFederated = "Federated"
	PrincipalCanonical = "CanonicalUser"
)

// Principal is one principal a statement admits.
type Principal struct {
	Type  string // PrincipalAny, PrincipalAWS, PrincipalService, PrincipalFederated …
	Value String // "*", an account ARN, an OIDC provider ARN or issuer URL
	// Ref is the resource a value refers to when it is not a literal
	// ("aws_iam_openid_connect_provider.github"), for issuer detection.
	Ref string
}

// Condition is one condition of a statement: an operator applied to a
// key with one or more values (StringLike token.actions…:sub
// ["repo:org/app:*"]). GCP attribute conditions are Operator "CEL" with
// Key "attribute_condition" and the expression as the only value.
type Condition struct {
	Operator string
	Key      string
	Values   []String
	Loc      Location
}

// Well-known OIDC issuers, as hosts.
const (
	IssuerGitHub = "token.actions.githubusercontent.com"
	IssuerGitLab = "gitlab.com"
)

// Allows reports a statement that is a known Allow.
func (s *TrustStatement) Allows() bool { return strings.EqualFold(s.Effect, "Allow") }

// AnyPrincipal returns the principal that is everyone ("*", AWS "*"), if
// the statement admits one. NotPrincipal admits everyone but those listed.
func (s *TrustStatement) AnyPrincipal() (Principal, bool) {
	if s.NotPrincipal && len(s.Principals) > 0 {
		return s.Principals[0], true
	}
	for _, p := range s.Principals {
		if !p.Value.Known() {
			continue
		}
		if p.Type == PrincipalAny || (p.Type == PrincipalAWS && p.Value.Value == "*") {
			return p, true
		}
	}
	return Principal{}, false
}

// Issuer returns the OIDC issuer (as a host and path, without scheme) a
// web-identity statement trusts: from its Federated principal (an OIDC
// provider ARN, an issuer URL, a reference named after the issuer) or
// else from its condition keys ("token.actions.githubusercontent.com:sub").
// It returns "" for a statement that trusts no OIDC issuer.
func (s *TrustStatement) Issuer() string {
	federated := false
	for _, p := range s.Principals {
		if p.Type != PrincipalFederated {
			continue
		}
		if p.Value.Known() {
			if strings.Contains(p.Value.Value, ":saml-provider/") {
				continue // SAML federation: no OIDC token, no subject
			}
			if iss := IssuerOf(p.Value.Value); iss != "" {
				return iss
			}
			if strings.Contains(p.Value.Value, ".") && !strings.Contains(p.Value.Value, ":") {
				return strings.ToLower(p.Value.Value) // accounts.google.com, cognito-identity.amazonaws.com
			}
		}
		federated = true
	}
	for _, c := range s.Conditions {
		if i := strings.LastIndex(c.Key, ":"); i > 0 && strings.Contains(c.Key[:i], ".") {
			return strings.ToLower(c.Key[:i])
		}
	}
	if federated {
		return "an OIDC provider"
	}
	return ""
}

// IssuerOf reads the issuer out of an OIDC provider ARN
// (arn:aws:iam::1:oidc-provider/token.actions.githubusercontent.com) or an
// issuer URL; "" when the value is neither (cognito-identity.amazonaws.com
// and SAML providers return "").
func IssuerOf(v string) string {
	v = strings.TrimSpace(v)
	if i := strings.Index(v, ":oidc-provider/"); i >= 0 {
		return strings.ToLower(v[i+len(":oidc-provider/"):])
	}
	if rest, ok := strings.CutPrefix(v, "https://"); ok {
		return strings.ToLower(strings.TrimSuffix(rest, "/"))
	}
	return ""
}

// WebIdentity reports whether the statement trusts an OIDC issuer.
func (s *TrustStatement) WebIdentity() bool { return s.Issuer() != "" }

// SubjectConditions returns the conditions on the token's subject: the
// `<issuer>:sub` keys (AWS), `sub` (Azure), the attribute condition (GCP).
func (s *TrustStatement) SubjectConditions() []Condition {
	var out []Condition
	for _, c := range s.Conditions {
		k := strings.ToLower(c.Key)
		if k == "sub" || strings.HasSuffix(k, ":sub") || k == "attribute_condition" {
			out = append(out, c)
		}
	}
	return out
}

// Narrowed reports whether some condition limits who may assume the
// identity beyond the token audience: any condition other than on `aud`
// (aws:PrincipalOrgID, sts:ExternalId, aws:SourceArn, a `sub` …), or one
// that cannot be read.
func (s *TrustStatement) Narrowed() bool {
	if s.ConditionsUnknown {
		return true
	}
	for _, c := range s.Conditions {
		k := strings.ToLower(c.Key)
		if k == "aud" || strings.HasSuffix(k, ":aud") || strings.HasSuffix(k, ":amr") {
			continue
		}
		return true
	}
	return false
}

// SubjectBreadth judges one value of a subject condition for an issuer.
// It returns "" for a subject pinned to one repository or project (and, for
// GitHub and GitLab, to a branch, tag or environment), else what the
// wildcard admits: "any repository", "other repositories of org",
// "every branch and pull request of org/app".
func SubjectBreadth(issuer, sub string) string {
	sub = strings.TrimSpace(sub)
	if sub == "" || sub == "*" {
		return "any subject"
	}
	if !strings.ContainsAny(sub, "*?") {
		return ""
	}
	switch {
	case strings.Contains(issuer, IssuerGitHub) || strings.HasPrefix(sub, "repo:"):
		return githubBreadth(sub)
	case strings.Contains(issuer, "gitlab") || strings.HasPrefix(sub, "project_path:"):
		return gitlabBreadth(sub)
	}
	return "every subject matching " + sub
}

// githubBreadth judges a GitHub Actions subject:
// repo:ORG/REPO:ref:refs/heads/BRANCH, repo:ORG/REPO:environment:NAME,
// repo:ORG/REPO:pull_request.
func githubBreadth(sub string) string {
	rest, ok := strings.CutPrefix(sub, "repo:")
	if !ok {
		return "any repository"
	}
	repo, ctx, _ := strings.Cut(rest, ":")
	org, name, _ := strings.Cut(repo, "/")
	switch {
	case strings.ContainsAny(org, "*?"):
		return "any repository"
	case strings.ContainsAny(name, "*?"):
		return "every repository of " + org
	case strings.ContainsAny(ctx, "*?"):
		return "every branch, tag, environment and pull request of " + repo + " matching " + ctx
	}
	return ""
}

// gitlabBreadth judges a GitLab subject:
// project_path:GROUP/PROJECT:ref_type:branch:ref:main.
func gitlabBreadth(sub string) string {
	rest, ok := strings.CutPrefix(sub, "project_path:")
	if !ok {
		return "any project"
	}
	path, ctx, _ := strings.Cut(rest, ":")
	if strings.ContainsAny(path, "*?") {
		group, _, _ := strings.Cut(path, "/")
		if strings.ContainsAny(group, "*?") {
			return "any project"
		}
		return "every project of " + group
	}
	if strings.ContainsAny(ctx, "*?") {
		return "every branch, tag and merge request of " + path + " matching " + ctx
	}
	return ""
}

// appAudienceIssuers are identity providers whose tokens name one
// application in their audience (an app client ID, a Cognito identity
// pool): an aud condition on them admits that application's users, as
// designed, and is the narrowing AWS documents for them.
var appAudienceIssuers = map[string]bool{
	"cognito-identity.amazonaws.com": true, "accounts.google.com": true,
	"graph.facebook.com": true, "www.amazon.com": true,
}

// AppAudienceIssuer reports an issuer of appAudienceIssuers.
func AppAudienceIssuer(issuer string) bool { return appAudienceIssuers[issuer] }

// PublicIssuer reports an issuer whose tokens anyone on the internet can
// obtain (any GitHub repository's workflow, any gitlab.com project's job):
// trusting it without a subject condition trusts everyone.
func PublicIssuer(issuer string) bool {
	return strings.Contains(issuer, IssuerGitHub) || issuer == IssuerGitLab || strings.HasPrefix(issuer, IssuerGitLab+"/") ||
		strings.Contains(issuer, "app.terraform.io")
}
