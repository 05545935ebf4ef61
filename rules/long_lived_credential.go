package rules

import (
	"strconv"
	"strings"

	"github.com/isolint/isolint/controls"
	"github.com/isolint/isolint/model"
)

var _ = register(&Rule{
	ID:         "long-lived-credential",
	Title:      "Static credential where a short-lived one is available",
	Severity:   High,
	Confidence: ConfidenceHigh,
	Axis:       AxisSecrets,
	Formats:    []model.Format{model.FormatK8s, model.FormatTerraform, model.FormatGHA, model.FormatGitLab, model.FormatCFN},
	Controls: []controls.Ref{
		nhi(7), ciOnly(nhi(6)), nist("IA-5"), ciOnly(nist("IA-5(9)")), nist("IA-9"), csf("PR.AA-01"), zt(3), ciOnly(cicd(6)),
	},
	Needs: []model.InputKind{model.InputCredentials},
	Description: "A key that stays valid until someone deletes it is a credential that leaks once and works " +
		"forever: copied from a CI log, a laptop or a state file, it needs no session, no device and no " +
		"repository to be used. Flagged: Terraform resources that mint one (`aws_iam_access_key`, " +
		"`google_service_account_key`, `azuread_application_password` / `azuread_service_principal_password` " +
		"without an end date or valid for more than a year, `kubernetes_secret` of type " +
		"`kubernetes.io/service-account-token`), the same Secret in Kubernetes manifests (a token that never " +
		"expires, unlike the projected tokens pods get), and CI jobs that authenticate to AWS, Google Cloud or " +
		"Azure with a static key read from secrets or CI variables (`aws-access-key-id`, `AWS_ACCESS_KEY_ID`, " +
		"`credentials_json`, azure/login `creds`, `ARM_CLIENT_SECRET` …) although all three accept the CI's OIDC " +
		"token. The finding sits on the resource's header, the Secret's `type:` line, or the input or variable " +
		"that passes the key in; the key's value is never read or shown. A GitLab job that requests `id_tokens` is " +
		"taken to exchange them and is not reported.",
	Fix: "Use federation instead of keys: in GitHub Actions `permissions: id-token: write` with " +
		"`aws-actions/configure-aws-credentials` `role-to-assume`, `google-github-actions/auth` " +
		"`workload_identity_provider`, or `azure/login` with `client-id`/`tenant-id`/`subscription-id`; in GitLab " +
		"`id_tokens` exchanged with `aws sts assume-role-with-web-identity`, GCP workload identity federation or an " +
		"Azure federated credential. Workloads in the cloud should run as their platform identity (an IAM role, an " +
		"attached service account, a managed identity) rather than hold a key; in Kubernetes, let pods use projected " +
		"service-account tokens (or `kubectl create token` for a bounded one). Where a secret cannot be avoided, give " +
		"it an `end_date` within a year and rotate it (`time_rotating`).",
	Examples: []Example{{
		Format: model.FormatTerraform, Path: "main.tf",
		Bad: `resource "aws_iam_user" "deploy" {
  name = "deploy"
}

resource "aws_iam_access_key" "deploy" {
  user = aws_iam_user.deploy.name
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
		Format: model.FormatK8s, Path: "token.yaml",
		Bad: `apiVersion: v1
kind: Secret
metadata:
  name: deployer-token
  namespace: ci
  annotations:
    kubernetes.io/service-account.name: deployer
type: kubernetes.io/service-account-token`,
		Good: `apiVersion: v1
kind: Secret
metadata:
  name: registry
  namespace: ci
type: kubernetes.io/dockerconfigjson
data:
  .dockerconfigjson: e30=`,
	}, {
		Format: model.FormatGHA, Path: ".github/workflows/deploy.yml",
		Bad: `on: push
permissions:
  contents: read
jobs:
  deploy:
    runs-on: ubuntu-latest
    steps:
      - uses: aws-actions/configure-aws-credentials@v4
        with:
          aws-access-key-id: ${{ secrets.AWS_ACCESS_KEY_ID }}
          aws-secret-access-key: ${{ secrets.AWS_SECRET_ACCESS_KEY }}
          aws-region: eu-west-1
      - run: ./deploy.sh`,
		Good: `on: push
permissions:
  contents: read
  id-token: write
jobs:
  deploy:
    runs-on: ubuntu-latest
    environment: prod
    steps:
      - uses: aws-actions/configure-aws-credentials@v4
        with:
          role-to-assume: arn:aws:iam::111122223333:role/deploy
          aws-region: eu-west-1
      - run: ./deploy.sh`,
	}, {
		Format: model.FormatGitLab, Path: ".gitlab-ci.yml",
		Bad: `deploy:
  image: amazon/aws-cli:2.17.0
  variables:
    AWS_ACCESS_KEY_ID: $DEPLOY_KEY_ID
    AWS_SECRET_ACCESS_KEY: $DEPLOY_SECRET
  script:
    - aws s3 sync public s3://site`,
		Good: `deploy:
  image: amazon/aws-cli:2.17.0
  id_tokens:
    AWS_TOKEN:
      aud: https://gitlab.com
  variables:
    AWS_ROLE_ARN: arn:aws:iam::111122223333:role/deploy
    AWS_WEB_IDENTITY_TOKEN_FILE: /tmp/token
  script:
    - echo "$AWS_TOKEN" > /tmp/token
    - aws s3 sync public s3://site`,
	}, {
		Format: model.FormatCFN, Path: "template.yaml",
		Bad: `AWSTemplateFormatVersion: "2010-09-09"
Resources:
  Deployer:
    Type: AWS::IAM::User
  DeployerKey:
    Type: AWS::IAM::AccessKey
    Properties:
      UserName: !Ref Deployer`,
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
	Workload: checkCIStaticKeys,
	Project: func(p *Pass, proj *model.Project) {
		for _, c := range proj.StaticCredentials {
			if !p.Rule.AppliesTo(c.Format) {
				continue
			}
			var msg string
			loc, via := c.Loc, c.Via
			switch {
			case c.Kind == model.CredCIStaticCloudKey:
				continue // reported by the workload check
			case c.Kind == model.CredK8sSATokenSecret:
				msg = c.Resource + " is a service-account token Secret" + principalOf(c, " for ServiceAccount ") +
					": the token controller fills it with a token that never expires and stays valid until the Secret is deleted"
			case c.Kind == model.CredAzureAppPassword && c.NeverExpires():
				msg = c.Resource + " creates a client secret" + principalOf(c, " for ") + " without an end date: " +
					"it stays valid for the provider's default lifetime (two years) and is renewed with the same trust"
			case c.Kind == model.CredAzureAppPassword && c.TooLong():
				msg = c.Resource + " creates a client secret" + principalOf(c, " for ") + " valid for " +
					strconv.FormatInt(c.Expiry.Hours/24, 10) + " days, more than a year"
				loc = c.Expiry.Loc
				via = append(append([]model.Related(nil), c.Expiry.End.Via...), c.Via...)
			case c.Kind == model.CredAzureAppPassword:
				continue // a bounded or unknown end date
			case c.Kind == model.CredAWSAccessKey:
				msg = c.Resource + " mints an access key" + principalOf(c, " for IAM user ") +
					" that is valid until deleted; workloads and CI should assume a role (instance or task role, OIDC federation) instead"
			case c.Kind == model.CredGCPServiceAccountKey:
				msg = c.Resource + " creates a service account key" + principalOf(c, " for ") +
					" that never expires; workloads should run as an attached service account and CI should use workload identity federation"
			default:
				msg = c.Resource + " is a static " + string(c.Kind) + " credential"
			}
			p.Report(Finding{Message: msg, Loc: loc, Related: via, Format: c.Format, Object: c.Object, Workload: c.Workload, Unit: c.Unit})
		}
	},
})

// principalOf names who a credential belongs to, when written.
func principalOf(c *model.StaticCredential, prefix string) string {
	if !c.Principal.Known() || c.Principal.Value == "" {
		return ""
	}
	return prefix + strconv.Quote(c.Principal.Value)
}

// staticKeyInputs are the inputs of the cloud login actions that take a
// static key (only the key's first half where it comes in two).
var staticKeyInputs = map[string]map[string]string{
	"aws-actions/configure-aws-credentials": {"aws-access-key-id": model.ProviderAWS},
	"google-github-actions/auth":            {"credentials_json": model.ProviderGCP},
	"google-github-actions/setup-gcloud":    {"service_account_key": model.ProviderGCP},
	"azure/login":                           {"creds": model.ProviderAzure},
}

// federation says what replaces a static key of each provider in CI.
var federation = map[model.Format]map[string]string{
	model.FormatGHA: {
		model.ProviderAWS:   "aws-actions/configure-aws-credentials with role-to-assume and id-token: write",
		model.ProviderGCP:   "google-github-actions/auth with workload_identity_provider and id-token: write",
		model.ProviderAzure: "azure/login with client-id, tenant-id and subscription-id and id-token: write",
	},
	model.FormatGitLab: {
		model.ProviderAWS:   "id_tokens with aws sts assume-role-with-web-identity",
		model.ProviderGCP:   "id_tokens with GCP workload identity federation",
		model.ProviderAzure: "id_tokens with an Azure federated credential",
	},
}

var providerName = map[string]string{model.ProviderAWS: "AWS", model.ProviderGCP: "Google Cloud", model.ProviderAzure: "Azure"}

// checkCIStaticKeys reports the CI inputs and variables that hand a job a
// static cloud key from secrets or CI variables.
func checkCIStaticKeys(p *Pass, w *model.Workload) {
	j := w.CI
	if j == nil {
		return
	}
	if w.Format == model.FormatGitLab && len(j.IDTokens) > 0 {
		return // the job requests OIDC tokens: its keys may come from the exchange
	}
	report := func(loc model.Location, via []model.Related, provider, how, who, object string) {
		p.Report(Finding{
			Message: how + " hands a static " + providerName[provider] + " key to " + who +
				"; " + providerName[provider] + " accepts the CI's OIDC token instead (" + federation[w.Format][provider] + "), which expires with the job",
			Loc: loc, Related: via, Format: w.Format, Object: object, Workload: w.Name, Unit: w.Unit,
		})
	}
	// script logins, once per provider and job: the key's ID where both
	// halves are exported (`export AWS_ACCESS_KEY_ID=…` then the secret)
	type scripted struct {
		loc model.Location
		how string
		id  bool
	}
	var scriptProviders []string
	scripts := map[string]scripted{}
	for _, st := range j.Steps {
		inputs := staticKeyInputs[st.Action]
		for _, in := range st.With {
			if prov, ok := inputs[in.Name]; ok && in.Secret != nil {
				report(in.Loc, in.Value.Via, prov, "input "+in.Name+" of "+st.Display()+" ("+in.Secret.Name+")", w.Display(), w.ID())
			}
		}
		envKeys(st.Env, func(ev *model.EnvVar, prov string) {
			report(ev.Loc, ev.Value.Via, prov, "variable "+ev.Name+" of "+st.Display(), w.Display(), w.ID())
		})
		for _, cmd := range st.Commands {
			prov, how, id := scriptKey(cmd)
			if prov == "" {
				continue
			}
			prev, seen := scripts[prov]
			if !seen {
				scriptProviders = append(scriptProviders, prov)
			}
			if !seen || !prev.id && id {
				scripts[prov] = scripted{cmd.Loc, how + " in " + st.Display(), id}
			}
		}
	}
	for _, prov := range scriptProviders {
		s := scripts[prov]
		report(s.loc, nil, prov, s.how, w.Display(), w.ID())
	}
	envKeys(j.Env, func(ev *model.EnvVar, prov string) {
		report(ev.Loc, ev.Value.Via, prov, "job variable "+ev.Name, w.Display(), w.ID())
	})
	if pl := j.Pipeline; pl != nil {
		envKeys(pl.Env, func(ev *model.EnvVar, prov string) {
			if j.Refuses[ev.Name] {
				return
			}
			// one key, many jobs: the same result from each, which the
			// engine keeps once
			report(ev.Loc, ev.Value.Via, prov, pl.Kind+"-level variable "+ev.Name, "every job of "+pl.Display(), pl.ID())
		})
	}
}

// scriptKey recognises a script command that logs in with a static cloud
// key taken from a variable: `export AWS_ACCESS_KEY_ID=$KEY`, `aws
// configure set aws_access_key_id $KEY`, `gcloud auth
// activate-service-account --key-file …`, `az login --service-principal -p
// $SECRET` (not with --federated-token). It returns the provider, how, and
// whether the command names an AWS key's ID rather than its secret half.
func scriptKey(c model.Command) (prov, how string, id bool) {
	fromVar := func(v string) bool { return strings.HasPrefix(strings.Trim(v, `"'`), "$") }
	switch c.Name {
	case "export":
		for _, a := range c.Args {
			name, val, ok := strings.Cut(a, "=")
			if prov := model.CloudKeyEnvProvider(name); ok && prov != "" && fromVar(val) {
				return prov, "`export " + name + "=…`", awsKeyID(name)
			}
		}
	case "aws":
		if len(c.Args) >= 4 && c.Args[0] == "configure" && c.Args[1] == "set" &&
			(c.Args[2] == "aws_access_key_id" || c.Args[2] == "aws_secret_access_key") && fromVar(c.Args[3]) {
			return model.ProviderAWS, "`aws configure set " + c.Args[2] + "`", awsKeyID(c.Args[2])
		}
	case "gcloud":
		if len(c.Args) >= 2 && c.Args[0] == "auth" && c.Args[1] == "activate-service-account" {
			for _, a := range c.Args[2:] {
				if a == "--key-file" || strings.HasPrefix(a, "--key-file=") {
					return model.ProviderGCP, "`gcloud auth activate-service-account --key-file`", false
				}
			}
		}
	case "az":
		if len(c.Args) == 0 || c.Args[0] != "login" {
			break
		}
		sp, secret := false, false
		for i, a := range c.Args {
			switch {
			case a == "--service-principal":
				sp = true
			case a == "--federated-token" || strings.HasPrefix(a, "--federated-token="):
				return "", "", false
			case (a == "-p" || a == "--password" || a == "--secret") && i+1 < len(c.Args) && fromVar(c.Args[i+1]):
				secret = true
			case strings.HasPrefix(a, "--password=$") || strings.HasPrefix(a, "--secret=$"):
				secret = true
			}
		}
		if sp && secret {
			return model.ProviderAzure, "`az login --service-principal` with a client secret", false
		}
	}
	return "", "", false
}

// awsKeyID reports the name of an AWS key's ID (the variable, or the aws
// configure setting), which a finding names rather than the secret half.
func awsKeyID(name string) bool {
	return strings.EqualFold(name, "AWS_ACCESS_KEY_ID")
}

// envKeys calls f for each variable that carries a static cloud key from a
// secret or another variable, once per provider: AWS_ACCESS_KEY_ID is
// reported rather than AWS_SECRET_ACCESS_KEY when both are set.
func envKeys(env []*model.EnvVar, f func(*model.EnvVar, string)) {
	seen := map[string]bool{}
	var pending []*model.EnvVar
	for _, ev := range env {
		prov := model.CloudKeyEnvProvider(ev.Name)
		if prov == "" || (ev.Secret == nil && ev.FromVar == "") {
			continue
		}
		if awsKeyID(ev.Name) || prov != model.ProviderAWS {
			if !seen[prov] {
				seen[prov] = true
				f(ev, prov)
			}
			continue
		}
		pending = append(pending, ev)
	}
	for _, ev := range pending {
		if !seen[model.ProviderAWS] {
			seen[model.ProviderAWS] = true
			f(ev, model.ProviderAWS)
		}
	}
}
