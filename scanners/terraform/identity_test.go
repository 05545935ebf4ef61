package terraform

import (
	"testing"

	"github.com/isolint/isolint/model"
)

func TestTrustPolicies(t *testing.T) {
	p := scan(t, map[string]string{"trust.tf": `
resource "aws_iam_openid_connect_provider" "github" {
  url = "https://token.actions.githubusercontent.com"
}

resource "aws_iam_role" "json" {
  assume_role_policy = jsonencode({
    Statement = [{
      Effect    = "Allow"
      Principal = { Federated = aws_iam_openid_connect_provider.github.arn }
      Condition = {
        StringLike = { "token.actions.githubusercontent.com:sub" = ["repo:a/b:*", "repo:a/c:ref:refs/heads/main"] }
      }
    }]
  })
}

data "aws_iam_policy_document" "doc" {
  statement {
    principals {
      type        = "AWS"
      identifiers = ["*"]
    }
    condition {
      test     = "StringEquals"
      variable = "aws:PrincipalOrgID"
      values   = ["o-1"]
    }
  }
}

resource "aws_iam_role" "doc" {
  assume_role_policy = data.aws_iam_policy_document.doc.json
}

variable "policy" {
  type = string
}

resource "aws_iam_role" "unknown" {
  assume_role_policy = var.policy
}
`})
	byRole := map[string]*model.TrustPolicy{}
	for _, tp := range p.TrustPolicies {
		byRole[model.TerraformAddr(tp.Role)] = tp
	}
	js := byRole["aws_iam_role.json"]
	if js == nil || len(js.Statements) != 1 {
		t.Fatalf("aws_iam_role.json trust = %+v", js)
	}
	st := js.Statements[0]
	if st.Loc.Line != 10 || st.Issuer() != model.IssuerGitHub {
		t.Errorf("json statement at line %d trusts %q, want line 10 and the GitHub issuer (from the provider's url)", st.Loc.Line, st.Issuer())
	}
	if len(st.Principals) != 1 || st.Principals[0].Ref != "aws_iam_openid_connect_provider.github" {
		t.Errorf("principals = %+v", st.Principals)
	}
	subs := st.SubjectConditions()
	if len(subs) != 1 || subs[0].Operator != "StringLike" || len(subs[0].Values) != 2 || subs[0].Values[1].Value != "repo:a/c:ref:refs/heads/main" {
		t.Errorf("sub conditions = %+v", subs)
	}
	doc := byRole["aws_iam_role.doc"]
	if doc == nil || len(doc.Statements) != 1 {
		t.Fatalf("aws_iam_role.doc trust = %+v", doc)
	}
	if _, any := doc.Statements[0].AnyPrincipal(); !any || !doc.Statements[0].Narrowed() || doc.Statements[0].Loc.Line != 20 {
		t.Errorf("doc statement = %+v, want AWS * narrowed by the org condition, at the principals block (line 20)", doc.Statements[0])
	}
	if u := byRole["aws_iam_role.unknown"]; u == nil || !u.Unknown {
		t.Errorf("a trust policy from a variable is unknown, got %+v", u)
	}
}

func TestStaticCredentials(t *testing.T) {
	p := scan(t, map[string]string{"keys.tf": `
resource "aws_iam_access_key" "k" {
  user = "deploy"
}

resource "azuread_application_password" "p" {
  application_id = "x"
  start_date     = "2026-01-01T00:00:00Z"
  end_date       = "2026-04-01T00:00:00Z"
}
`})
	if len(p.StaticCredentials) != 2 {
		t.Fatalf("credentials = %+v", p.StaticCredentials)
	}
	k, pw := p.StaticCredentials[0], p.StaticCredentials[1]
	if k.Kind != model.CredAWSAccessKey || k.Loc.Line != 2 || k.Principal.Value != "deploy" || !k.NeverExpires() {
		t.Errorf("access key = %+v", k)
	}
	if pw.Kind != model.CredAzureAppPassword || pw.NeverExpires() || pw.TooLong() || pw.Expiry.Hours != 90*24 || pw.Expiry.Loc.Line != 9 {
		t.Errorf("password = %+v (hours %d)", pw, pw.Expiry.Hours)
	}
}
