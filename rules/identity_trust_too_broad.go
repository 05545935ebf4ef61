package rules

import (
	"strconv"
	"strings"

	"github.com/isolint/isolint/controls"
	"github.com/isolint/isolint/model"
)

var _ = register(&Rule{
	ID:         "identity-trust-too-broad",
	Title:      "Cloud identity can be assumed by too many principals",
	Severity:   High,
	Confidence: ConfidenceHigh,
	Axis:       AxisIdentity,
	Formats:    []model.Format{model.FormatTerraform, model.FormatCFN},
	Controls: []controls.Ref{
		nhi(6), nhi(5), nist("AC-3"), nist("AC-6"), nist("IA-9"), csf("PR.AA-05"), csf("PR.AA-03"), zt(6),
	},
	Needs: []model.InputKind{model.InputTrust},
	Description: "A trust policy decides who may act as an identity. An AWS role whose trust principal is `*` " +
		"(or `AWS: \"*\"`) with no narrowing condition can be assumed from any AWS account (critical). A " +
		"web-identity trust for an OIDC issuer — GitHub Actions, GitLab, Terraform Cloud, a Kubernetes cluster — " +
		"with no `sub` condition accepts every token the issuer signs: for GitHub and gitlab.com that is any " +
		"repository or project on the internet (critical); a wildcard `sub` (`repo:org/*`, `repo:org/app:*`, " +
		"`project_path:group/*`) admits other repositories, or every branch and pull request of one, which anyone " +
		"who can push can then deploy from (high). The same holds for a GCP workload identity pool provider " +
		"without an `attribute_condition`, and an Azure flexible federated identity credential whose " +
		"`claims_matching_expression` matches the subject with a wildcard (a plain credential's `subject` is compared " +
		"exactly, so a `*` in it admits no token and is not reported). " +
		"The finding sits on the statement's `Principal` key (JSON policies) or `principals` block " +
		"(`aws_iam_policy_document`), on the provider's `oidc` block, or on the credential's `subject` or `claims_matching_expression`. " +
		"Principals and conditions that cannot be known offline (variables, data sources) are not judged.",
	Fix: "Pin the subject to the one repository and the protected branch or environment that deploys " +
		"(`repo:acme/app:environment:prod`, `project_path:acme/app:ref_type:branch:ref:main`) with " +
		"`StringEquals`, keep the `aud` condition, and narrow `*` principals with `aws:PrincipalOrgID` or name " +
		"the accounts. On GCP, set `attribute_condition` to the repository (`assertion.repository == \"acme/app\"`).",
	Examples: []Example{{
		Format: model.FormatTerraform, Path: "main.tf",
		Bad: `resource "aws_iam_role" "deploy" {
  name = "deploy"
  assume_role_policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect    = "Allow"
      Action    = "sts:AssumeRoleWithWebIdentity"
      Principal = { Federated = "arn:aws:iam::111122223333:oidc-provider/token.actions.githubusercontent.com" }
      Condition = {
        StringLike = { "token.actions.githubusercontent.com:sub" = "repo:acme/*" }
      }
    }]
  })
}`,
		Good: `resource "aws_iam_role" "deploy" {
  name = "deploy"
  assume_role_policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect    = "Allow"
      Action    = "sts:AssumeRoleWithWebIdentity"
      Principal = { Federated = "arn:aws:iam::111122223333:oidc-provider/token.actions.githubusercontent.com" }
      Condition = {
        StringEquals = {
          "token.actions.githubusercontent.com:aud" = "sts.amazonaws.com"
          "token.actions.githubusercontent.com:sub" = "repo:acme/app:environment:prod"
        }
      }
    }]
  })
}`,
	}, {
		Format: model.FormatCFN, Path: "template.yaml",
		Bad: `AWSTemplateFormatVersion: "2010-09-09"
Resources:
  Deploy:
    Type: AWS::IAM::Role
    Properties:
      AssumeRolePolicyDocument:
        Version: "2012-10-17"
        Statement:
          - Effect: Allow
            Action: sts:AssumeRoleWithWebIdentity
            Principal:
              Federated: arn:aws:iam::111122223333:oidc-provider/token.actions.githubusercontent.com
            Condition:
              StringLike:
                token.actions.githubusercontent.com:sub: repo:acme/*`,
		Good: `AWSTemplateFormatVersion: "2010-09-09"
Resources:
  Deploy:
    Type: AWS::IAM::Role
    Properties:
      AssumeRolePolicyDocument:
        Version: "2012-10-17"
        Statement:
          - Effect: Allow
            Action: sts:AssumeRoleWithWebIdentity
            Principal:
              Federated: arn:aws:iam::111122223333:oidc-provider/token.actions.githubusercontent.com
            Condition:
              StringEquals:
                token.actions.githubusercontent.com:aud: sts.amazonaws.com
                token.actions.githubusercontent.com:sub: repo:acme/app:environment:prod`,
	}},
	Project: func(p *Pass, proj *model.Project) {
		for _, tp := range proj.TrustPolicies {
			if tp.Unknown || !p.Rule.AppliesTo(tp.Format) {
				continue
			}
			for _, st := range tp.Statements {
				if !st.Allows() {
					continue
				}
				sev, msg := judgeTrust(tp, st)
				if msg == "" {
					continue
				}
				p.Report(Finding{Severity: sev, Message: msg, Loc: st.Loc, Related: tp.Via, Format: tp.Format, Object: tp.Object})
			}
		}
	},
})

// judgeTrust says how far a trust statement reaches: "" when it is pinned.
func judgeTrust(tp *model.TrustPolicy, st *model.TrustStatement) (Severity, string) {
	who := trustSubject(tp)
	if pr, ok := st.AnyPrincipal(); ok && !st.Narrowed() {
		what := "principal \"*\""
		if st.NotPrincipal {
			what = "NotPrincipal (everyone but " + strconv.Quote(pr.Value.Value) + ")"
		}
		return Critical, who + " trusts " + what + " with no condition: any AWS account, and anyone holding credentials in one, can assume it"
	}
	issuer := st.Issuer()
	if issuer == "" || st.ConditionsUnknown {
		return 0, ""
	}
	for _, pr := range st.Principals {
		if pr.Type == model.PrincipalFederated && pr.Value.Set && pr.Value.Unknown && pr.Ref == "" && !strings.Contains(issuer, ".") {
			return 0, "" // the provider is a variable: the issuer is unknown
		}
	}
	if model.AppAudienceIssuer(issuer) && hasAudience(st) {
		return 0, "" // an identity pool or app client: the aud condition names it
	}
	subs := st.SubjectConditions()
	if len(subs) == 0 && otherClaims(st) {
		return 0, "" // pinned by other claims (job_workflow_ref, repository …), which are not judged
	}
	if len(subs) == 0 {
		if tp.Kind == model.TrustGCPWorkloadIdentity {
			return High, who + " has no attribute_condition: every token " + issuerName(issuer) + " signs can be exchanged, " +
				"and only the IAM bindings on the pool's principals stand between any of its users and the service accounts they may impersonate"
		}
		if model.PublicIssuer(issuer) {
			return Critical, who + " trusts " + issuerName(issuer) + " with no condition on the token's subject: a workflow in any repository on the internet can assume it"
		}
		return High, who + " trusts " + issuerName(issuer) + " with no condition on the token's subject: every identity the issuer vouches for can assume it"
	}
	if tp.Kind == model.TrustGCPWorkloadIdentity {
		return 0, "" // CEL conditions are not judged beyond their presence
	}
	for _, c := range subs {
		if !strings.Contains(strings.ToLower(c.Operator), "like") {
			continue // StringEquals matches * literally
		}
		for _, v := range c.Values {
			if !v.Known() {
				continue
			}
			reach := model.SubjectBreadth(issuer, v.Value)
			if reach == "" {
				continue
			}
			sev := High
			if model.PublicIssuer(issuer) && (strings.HasPrefix(reach, "any ")) {
				sev = Critical
			}
			return sev, who + " trusts " + issuerName(issuer) + " tokens whose subject matches " + strconv.Quote(v.Value) +
				", which admits " + reach + ": each of them can assume it"
		}
	}
	return 0, ""
}

// otherClaims reports a condition on a token claim other than its
// audience and subject (GitHub's job_workflow_ref, repository,
// repository_owner; GitLab's project_path …).
func otherClaims(st *model.TrustStatement) bool {
	for _, c := range st.Conditions {
		k := strings.ToLower(c.Key)
		i := strings.LastIndex(k, ":")
		if i <= 0 || !strings.Contains(k[:i], ".") {
			continue // a global key (aws:SourceIp …)
		}
		switch k[i+1:] {
		case "aud", "sub", "amr", "azp":
			continue
		}
		return true
	}
	return false
}

func hasAudience(st *model.TrustStatement) bool {
	for _, c := range st.Conditions {
		if k := strings.ToLower(c.Key); k == "aud" || strings.HasSuffix(k, ":aud") {
			return true
		}
	}
	return false
}

func trustSubject(tp *model.TrustPolicy) string {
	switch tp.Kind {
	case model.TrustGCPWorkloadIdentity:
		return "workload identity pool provider " + shortAddr(tp.RoleName)
	case model.TrustAzureFederated:
		return "the federated credential of " + shortAddr(tp.RoleName)
	}
	return "the trust policy of " + shortAddr(tp.RoleName)
}

func issuerName(issuer string) string {
	switch {
	case strings.Contains(issuer, model.IssuerGitHub):
		return "GitHub Actions (" + issuer + ")"
	case issuer == model.IssuerGitLab:
		return "gitlab.com"
	case strings.Contains(issuer, "."):
		return "the OIDC issuer " + issuer
	}
	return issuer
}
