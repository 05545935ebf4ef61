package rules

import (
	"regexp"
	"strings"

	"github.com/isolint/isolint/controls"
	"github.com/isolint/isolint/model"
)

var _ = register(&Rule{
	ID:         "literal-credential",
	Title:      "Credential written as a literal",
	Severity:   Critical,
	Confidence: ConfidenceHigh,
	Axis:       AxisSecrets,
	Formats:    []model.Format{model.FormatK8s, model.FormatCompose, model.FormatGHA, model.FormatGitLab, model.FormatTerraform, model.FormatDev, model.FormatCFN},
	Controls: []controls.Ref{
		nhi(2), nhi(7), nist("IA-5(7)"), nist("IA-5"), csf("PR.AA-01"), cicd(6), zt(3), devOnly(asi(3)),
	},
	Needs: []model.InputKind{model.InputCredentials},
	Description: "A credential written into a runtime definition is readable by everyone who can read the " +
		"repository, its history, its forks and every CI log or rendered manifest, and it cannot be rotated " +
		"without a commit. Values with the shape of a known token (AWS access key IDs, private keys, GitHub, " +
		"GitLab, Slack, Stripe, OpenAI and Anthropic keys, JWTs, connection strings with a password) are " +
		"reported with high confidence; other non-placeholder values of secret-named variables (`*PASSWORD*`, " +
		"`*TOKEN*`, `*API_KEY*`…) with medium confidence. A placeholder is a value such as `changeme`, `<token>`, " +
		"`xxxx`, AWS's documented `AKIAIOSFODNN7EXAMPLE`, or one with `todo`, `tbd`, `fake` or `mock` as a word " +
		"or at a word's start or end (`fake-token`, `mockpassword`); inside a token's random part " +
		"(`AKIA…TBD…`) those short words are chance and do not make it one. Container command lines are checked too. The finding " +
		"names the variable and the kind of credential, never the value. A list that maps variables to places " +
		"in a secret store (`ANTHROPIC_API_KEY=anthropic:api-key`, `NAME=path/to/secret#key`) is a reference, " +
		"not a credential. A well-known local default (`POSTGRES_PASSWORD: postgres`) in a dev container's " +
		"stack (a file under `.devcontainer/`) is reported with low severity and confidence: the service runs " +
		"on the developer's machine; so is one given to a CI job's service container (GitHub `services:`, " +
		"GitLab `services:` with the job's `variables:`), a database that lives for one job.",
	Fix: "Revoke the credential now: it is in the repository's history. Then deliver it at run time from a " +
		"secret store (a Kubernetes Secret mounted as a file, an external secrets operator), and reference it " +
		"instead of writing it. In an MCP server configuration, reference the token instead of writing it: " +
		"`${input:…}` (VS Code prompts once and keeps it in its secret storage) or the tool's own environment " +
		"(`${env:NAME}`, `${NAME}`).",
	Examples: []Example{{
		Format: model.FormatK8s, Path: "deploy.yaml",
		Bad: `apiVersion: apps/v1
kind: Deployment
metadata:
  name: api
spec:
  template:
    spec:
      containers:
        - name: api
          image: example/api:1.0
          env:
            - name: DB_PASSWORD
              value: hunter2-but-longer`,
		Good: `apiVersion: apps/v1
kind: Deployment
metadata:
  name: api
spec:
  template:
    spec:
      containers:
        - name: api
          image: example/api:1.0
          env:
            - name: DB_PASSWORD_FILE
              value: /run/secrets/db/password`,
	}, {
		Format: model.FormatGHA, Path: ".github/workflows/migrate.yml",
		Bad: `on: push
permissions:
  contents: read
jobs:
  migrate:
    runs-on: ubuntu-latest
    steps:
      - run: ./migrate.sh
        env:
          DB_PASSWORD: hunter2-but-longer`,
		Good: `on: push
permissions:
  contents: read
jobs:
  migrate:
    runs-on: ubuntu-latest
    steps:
      - run: ./migrate.sh
        env:
          DB_PASSWORD: ${{ secrets.DB_PASSWORD }}`,
	}, {
		Format: model.FormatGitLab, Path: ".gitlab-ci.yml",
		Bad: `migrate:
  variables:
    DB_PASSWORD: hunter2-but-longer
  script:
    - ./migrate.sh`,
		Good: `migrate:
  variables:
    DB_PASSWORD_FILE: /run/secrets/db-password
  script:
    - ./migrate.sh`,
	}, {
		Format: model.FormatTerraform, Path: "main.tf",
		Bad: `resource "aws_lambda_function" "notify" {
  function_name = "notify"
  role          = "arn:aws:iam::111122223333:role/notify"
  environment {
    variables = {
      SMTP_PASSWORD = "Tr0ub4dor-and-3"
    }
  }
}`,
		Good: `resource "aws_lambda_function" "notify" {
  function_name = "notify"
  role          = "arn:aws:iam::111122223333:role/notify"
  environment {
    variables = {
      SMTP_PASSWORD_SECRET_ARN = "arn:aws:secretsmanager:eu-west-1:111122223333:secret:smtp"
    }
  }
}`,
	}, {
		Format: model.FormatCompose, Path: "compose.yaml",
		Bad: `services:
  api:
    image: example/api:1.0
    environment:
      DB_PASSWORD: hunter2-but-longer`,
		Good: `services:
  api:
    image: example/api:1.0
    environment:
      DB_PASSWORD_FILE: /run/secrets/db_password
    secrets:
      - db_password
secrets:
  db_password:
    file: ./db_password.txt`,
	}, {
		Format: model.FormatDev, Path: ".mcp.json",
		Bad: `{
  "mcpServers": {
    "github": {
      "command": "npx",
      "args": ["-y", "@modelcontextprotocol/server-github"],
      "env": {
        "GITHUB_PERSONAL_ACCESS_TOKEN": "hunter2-but-longer"
      }
    }
  }
}`,
		Good: `{
  "mcpServers": {
    "github": {
      "command": "npx",
      "args": ["-y", "@modelcontextprotocol/server-github"],
      "env": {
        "GITHUB_PERSONAL_ACCESS_TOKEN": "${GITHUB_PAT}"
      }
    }
  }
}`,
	}, {
		Format: model.FormatCFN, Path: "template.yaml",
		Bad: `AWSTemplateFormatVersion: "2010-09-09"
Transform: AWS::Serverless-2016-10-31
Resources:
  Ingest:
    Type: AWS::Serverless::Function
    Properties:
      Handler: app.handler
      Runtime: python3.12
      Environment:
        Variables:
          STRIPE_API_KEY: sk_live_4eC39HqLyjWDarjtT1zdp7dc`,
		Good: `AWSTemplateFormatVersion: "2010-09-09"
Transform: AWS::Serverless-2016-10-31
Resources:
  Ingest:
    Type: AWS::Serverless::Function
    Properties:
      Handler: app.handler
      Runtime: python3.12
      Environment:
        Variables:
          STRIPE_API_KEY: "{{resolve:ssm:/ingest/stripe-key}}"`,
	}},
	Workload: func(p *Pass, w *model.Workload) {
		var g byDecidingKey
		for _, c := range w.Containers {
			for _, e := range c.Env {
				if !e.Value.Known() || e.Secret != nil {
					continue
				}
				if kind, strong, ok := model.LiteralCredential(e.Name, e.Value.Value); ok {
					d := decision{Loc: e.Value.Loc, Via: e.Value.Via, What: "sets environment variable " + e.Name + " to " + literal(kind, strong), Confidence: grade(strong)}
					if !strong && model.IsLocalDefault(e.Value.Value) && (w.Kind == model.KindDevContainer || model.IsDevContainerFile(e.Value.Loc.File)) {
						// POSTGRES_PASSWORD: postgres in a dev container's stack:
						// a service on the developer's machine, not a leaked secret
						d.What = "sets environment variable " + e.Name + " to a well-known local default password, in a dev container (change it if the service is ever reachable from outside the machine)"
						d.Severity, d.Confidence = Low, ConfidenceLow
					} else if !strong && model.IsLocalDefault(e.Value.Value) && ciServiceJob(w, c) {
						// POSTGRES_PASSWORD: postgres for a CI job's service
						// container, as GitHub's and GitLab's own service
						// examples write it: a database that lives for one
						// job and that only the job reaches
						d.What = "sets environment variable " + e.Name + " to a well-known default password, for a CI job's throw-away service container"
						d.Severity, d.Confidence = Low, ConfidenceLow
					}
					g.add(c, d)
				}
			}
			for i, a := range c.Args {
				if !a.Known() {
					continue
				}
				if kind, strong, flag, ok := argCredential(c.Args, i); ok {
					what := "passes " + literal(kind, strong) + " on its command line"
					if flag != "" {
						what = "passes " + literal(kind, strong) + " to " + flag + " on its command line"
					}
					g.add(c, decision{Loc: a.Loc, Via: a.Via, What: what, Confidence: grade(strong)})
				}
			}
		}
		g.report(p, w, func(who string, many bool, d decision) string {
			if many {
				return who + ": " + d.What
			}
			return who + " " + d.What
		})
		if w.Endpoint != nil {
			endpointCredentials(p, w, w.Endpoint)
		}
	},
	Pipeline: ciLiteralCredentials,
})

// ciServiceJob reports a CI job container that configures a service
// container of its job: the service itself, or a job that has one (GitLab
// hands the job's variables to its services).
func ciServiceJob(w *model.Workload, c *model.Container) bool {
	if w.Format != model.FormatGHA && w.Format != model.FormatGitLab {
		return false
	}
	if c.Kind == model.ContainerService {
		return true
	}
	for _, o := range w.Containers {
		if o.Kind == model.ContainerService {
			return true
		}
	}
	return false
}

// literal describes what was found without any part of the value.
func literal(kind string, strong bool) string {
	if strong {
		return "a literal credential (" + kind + ")"
	}
	return "a literal value (its name says it is secret)"
}

func grade(strong bool) Confidence {
	if strong {
		return ConfidenceHigh
	}
	return ConfidenceMedium
}

// flagName is the shape of a command-line flag's name, the only part of an
// argument a message may quote.
var flagName = regexp.MustCompile(`^--?[A-Za-z][A-Za-z0-9_.-]{0,63}$`)

// argCredential judges item i of a command line: a value with a token's
// shape anywhere in it, or the value of a secret-named flag written as
// `--db-password=VALUE` or `--db-password VALUE`. flag is the flag's name
// (never the value), "" when the judgement rests on the shape alone.
func argCredential(args []model.String, i int) (kind string, strong bool, flag string, ok bool) {
	a := args[i].Value
	if k := model.TokenKind(a); k != "" {
		return k, true, "", true
	}
	if strings.HasPrefix(a, "-") {
		name, value, hasValue := strings.Cut(a, "=")
		if !hasValue || !flagName.MatchString(name) {
			return "", false, "", false
		}
		if kind, strong, ok := model.LiteralCredential(strings.TrimLeft(name, "-"), value); ok {
			return kind, strong, name, true
		}
		return "", false, "", false
	}
	if i > 0 && args[i-1].Known() {
		prev := args[i-1].Value
		if flagName.MatchString(prev) && model.TokenKind(prev) == "" {
			if kind, strong, ok := model.LiteralCredential(strings.TrimLeft(prev, "-"), a); ok {
				return kind, strong, prev, true
			}
		}
	}
	return "", false, "", false
}

// endpointCredentials reports credentials written into a remote server's
// address: its URL (a password in the user info, a token's shape), its
// query parameters and the headers sent to it.
func endpointCredentials(p *Pass, w *model.Workload, e *model.Endpoint) {
	if u := e.URL; u.Known() {
		if kind := model.TokenKind(u.Value); kind != "" {
			p.Report(Finding{Message: w.Display() + " connects to a URL holding " + literal(kind, true), Loc: u.Loc, Related: u.Via,
				Format: w.Format, Object: w.ID(), Workload: w.Name, Unit: w.Unit})
			return // the parameters are part of it
		}
	}
	for _, in := range e.Params {
		if !in.Value.Known() {
			continue
		}
		if kind, strong, ok := model.LiteralCredential(in.Name, in.Value.Value); ok {
			p.Report(Finding{Confidence: grade(strong), Message: w.Display() + " passes URL parameter " + quoteName(in.Name) + " as " + literal(kind, strong),
				Loc: in.Loc, Format: w.Format, Object: w.ID(), Workload: w.Name, Unit: w.Unit})
		}
	}
	for _, in := range e.Headers {
		if !in.Value.Known() {
			continue
		}
		if kind, strong, ok := model.HeaderCredential(in.Name, in.Value.Value); ok {
			p.Report(Finding{Confidence: grade(strong), Message: w.Display() + " sends header " + quoteName(in.Name) + " with " + literal(kind, strong),
				Loc: in.Loc, Format: w.Format, Object: w.ID(), Workload: w.Name, Unit: w.Unit})
		}
	}
}

// quoteName quotes a parameter or header name for a message; a name that
// is not a plain identifier (it could hold anything) is withheld.
func quoteName(s string) string {
	if flagName.MatchString("--"+s) && model.TokenKind(s) == "" {
		return s
	}
	return "(name withheld)"
}
