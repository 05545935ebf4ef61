package rules

import (
	"testing"

	"github.com/isolint/isolint/model"
)

func TestTrustSeverity(t *testing.T) {
	str := func(v string) model.String { return model.String{Value: v, Set: true} }
	github := model.Principal{Type: model.PrincipalFederated, Value: str("arn:aws:iam::1:oidc-provider/token.actions.githubusercontent.com")}
	cond := func(op, key, v string) model.Condition {
		return model.Condition{Operator: op, Key: key, Values: []model.String{str(v)}}
	}
	aud := cond("StringEquals", "token.actions.githubusercontent.com:aud", "sts.amazonaws.com")
	sub := func(op, v string) model.Condition { return cond(op, "token.actions.githubusercontent.com:sub", v) }
	for _, c := range []struct {
		name string
		kind model.TrustKind
		st   model.TrustStatement
		want Severity // 0: no finding
	}{
		{"aud only", model.TrustAWSAssumeRole, model.TrustStatement{Principals: []model.Principal{github}, Conditions: []model.Condition{aud}}, Critical},
		{"any repo", model.TrustAWSAssumeRole, model.TrustStatement{Principals: []model.Principal{github}, Conditions: []model.Condition{aud, sub("StringLike", "repo:*")}}, Critical},
		{"org wide", model.TrustAWSAssumeRole, model.TrustStatement{Principals: []model.Principal{github}, Conditions: []model.Condition{aud, sub("StringLike", "repo:acme/*")}}, High},
		{"every branch", model.TrustAWSAssumeRole, model.TrustStatement{Principals: []model.Principal{github}, Conditions: []model.Condition{aud, sub("StringLike", "repo:acme/app:*")}}, High},
		{"workflow ref", model.TrustAWSAssumeRole, model.TrustStatement{Principals: []model.Principal{github}, Conditions: []model.Condition{aud, cond("StringEquals", "token.actions.githubusercontent.com:job_workflow_ref", "acme/wf/.github/workflows/deploy.yml@refs/heads/main")}}, 0},
		{"pinned", model.TrustAWSAssumeRole, model.TrustStatement{Principals: []model.Principal{github}, Conditions: []model.Condition{aud, sub("StringEquals", "repo:acme/app:environment:prod")}}, 0},
		{"literal star", model.TrustAWSAssumeRole, model.TrustStatement{Principals: []model.Principal{github}, Conditions: []model.Condition{aud, sub("StringEquals", "repo:acme/*")}}, 0},
		{"unknown sub", model.TrustAWSAssumeRole, model.TrustStatement{Principals: []model.Principal{github}, Conditions: []model.Condition{aud, {Operator: "StringLike", Key: "token.actions.githubusercontent.com:sub", Values: []model.String{{Set: true, Unknown: true}}}}}, 0},
		{"private issuer", model.TrustAWSAssumeRole, model.TrustStatement{Principals: []model.Principal{{Type: model.PrincipalFederated, Value: str("arn:aws:iam::1:oidc-provider/oidc.eks.eu-west-1.amazonaws.com/id/ABC")}}}, High},
		{"anyone", model.TrustAWSAssumeRole, model.TrustStatement{Principals: []model.Principal{{Type: model.PrincipalAWS, Value: str("*")}}}, Critical},
		{"anyone in the org", model.TrustAWSAssumeRole, model.TrustStatement{Principals: []model.Principal{{Type: model.PrincipalAWS, Value: str("*")}}, Conditions: []model.Condition{cond("StringEquals", "aws:PrincipalOrgID", "o-1")}}, 0},
		{"a service", model.TrustAWSAssumeRole, model.TrustStatement{Principals: []model.Principal{{Type: model.PrincipalService, Value: str("lambda.amazonaws.com")}}}, 0},
		{"saml", model.TrustAWSAssumeRole, model.TrustStatement{Principals: []model.Principal{{Type: model.PrincipalFederated, Value: str("arn:aws:iam::1:saml-provider/okta")}}, Conditions: []model.Condition{cond("StringEquals", "SAML:aud", "https://signin.aws.amazon.com/saml")}}, 0},
		{"cognito pool", model.TrustAWSAssumeRole, model.TrustStatement{Principals: []model.Principal{{Type: model.PrincipalFederated, Value: str("cognito-identity.amazonaws.com")}}, Conditions: []model.Condition{cond("StringEquals", "cognito-identity.amazonaws.com:aud", "eu-west-1:pool")}}, 0},
		{"cognito without pool", model.TrustAWSAssumeRole, model.TrustStatement{Principals: []model.Principal{{Type: model.PrincipalFederated, Value: str("cognito-identity.amazonaws.com")}}}, High},
		{"gcp without condition", model.TrustGCPWorkloadIdentity, model.TrustStatement{Principals: []model.Principal{{Type: model.PrincipalFederated, Value: str("https://token.actions.githubusercontent.com")}}}, High},
	} {
		c.st.Effect = "Allow"
		st := c.st
		proj := &model.Project{TrustPolicies: []*model.TrustPolicy{{Kind: c.kind, Format: model.FormatTerraform, RoleName: "aws_iam_role.r", Statements: []*model.TrustStatement{&st}}}}
		fs := Run([]*Rule{ByID("identity-trust-too-broad")}, proj, Options{})
		switch {
		case c.want == 0 && len(fs) != 0:
			t.Errorf("%s: unexpected finding %q", c.name, fs[0].Message)
		case c.want != 0 && (len(fs) != 1 || fs[0].Severity != c.want):
			t.Errorf("%s: findings %+v, want one of severity %s", c.name, fs, c.want)
		}
	}
}
