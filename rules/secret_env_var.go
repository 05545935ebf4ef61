package rules

import (
	"github.com/isolint/isolint/controls"
	"github.com/isolint/isolint/model"
)

var _ = register(&Rule{
	ID:         "secret-env-var",
	Title:      "Secret delivered as an environment variable",
	Severity:   Medium,
	Confidence: ConfidenceHigh,
	Axis:       AxisSecrets,
	Formats:    []model.Format{model.FormatK8s, model.FormatCompose, model.FormatTerraform, model.FormatDev, model.FormatCFN},
	Controls: []controls.Ref{
		nhi(2), nist("AC-6"), nist("SC-4"), nist("IA-5"), csf("PR.AA-05"), csf("PR.DS-10"),
		cis("5.4.1"), cicd(6),
	},
	Description: "A secret in an environment variable is inherited by every child process the container " +
		"starts (shells, build tools, plugins, an agent's tool calls), lands in crash dumps and debug " +
		"endpoints, and is readable by anything that can read /proc/<pid>/environ.",
	Fix: "Mount the secret as a file (a Kubernetes secret volume, Compose `secrets:`) and have the " +
		"process read it from there, so that only the process that opens the file sees it. In a dev container, " +
		"do not forward the host's tokens (`\"GITHUB_TOKEN\": \"${localEnv:GITHUB_TOKEN}\"`): every tool, " +
		"package script and agent in the container inherits them; sign in inside the container, or let the " +
		"editor forward a credential helper.",
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
              valueFrom:
                secretKeyRef:
                  name: db
                  key: password`,
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
          volumeMounts:
            - name: db
              mountPath: /run/secrets/db
              readOnly: true
      volumes:
        - name: db
          secret:
            secretName: db`,
	}, {
		Format: model.FormatTerraform, Path: "main.tf",
		Bad: `resource "aws_ecs_task_definition" "api" {
  family = "api"
  container_definitions = jsonencode([
    {
      name  = "api"
      image = "example/api:1.0"
      secrets = [
        { name = "DB_PASSWORD", valueFrom = "arn:aws:secretsmanager:eu-west-1:111122223333:secret:db" }
      ]
    }
  ])
}`,
		Good: `resource "aws_ecs_task_definition" "api" {
  family = "api"
  container_definitions = jsonencode([
    {
      name  = "api"
      image = "example/api:1.0"
      environment = [
        { name = "DB_SECRET_ARN", value = "arn:aws:secretsmanager:eu-west-1:111122223333:secret:db" }
      ]
    }
  ])
}`,
	}, {
		Format: model.FormatCompose, Path: "compose.yaml",
		Bad: `services:
  api:
    image: example/api:1.0
    environment:
      DB_PASSWORD: ${DB_PASSWORD}`,
		Good: `services:
  api:
    image: example/api:1.0
    environment:
      DB_PASSWORD_FILE: /run/secrets/db_password
    secrets:
      - db_password
secrets:
  db_password:
    environment: DB_PASSWORD`,
	}, {
		Format: model.FormatDev, Path: ".devcontainer/devcontainer.json",
		Bad: `{
  "name": "app",
  "image": "mcr.microsoft.com/devcontainers/python:3.12",
  "containerEnv": {
    "OPENAI_API_KEY": "${localEnv:OPENAI_API_KEY}"
  }
}`,
		Good: `{
  "name": "app",
  "image": "mcr.microsoft.com/devcontainers/python:3.12",
  "containerEnv": {
    "OPENAI_BASE_URL": "https://api.openai.com/v1"
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
          DB_PASSWORD: "{{resolve:secretsmanager:ingest-db:SecretString:password}}"`,
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
          DB_PASSWORD_SECRET_ARN: arn:aws:secretsmanager:eu-west-1:123456789012:secret:ingest-db`,
	}},
	Workload: func(p *Pass, w *model.Workload) {
		var g byDecidingKey
		for _, c := range w.Containers {
			for _, e := range c.Env {
				switch {
				case e.Secret != nil:
					g.add(c, decision{Loc: e.Secret.Loc, What: describeSecret(e.Secret) + " as environment variable " + e.Name})
				case e.FromVar != "" && model.IsSecretName(e.FromVar):
					g.add(c, decision{Loc: e.Loc, Via: e.Value.Via, What: "secret-named variable " + e.FromVar + " as environment variable " + e.Name})
				case e.FromVar != "" && model.IsSecretName(e.Name):
					// OPENAI_API_KEY: ${KEY}: a secret, whatever the variable is called
					g.add(c, decision{Loc: e.Loc, Via: e.Value.Via, What: "variable " + e.FromVar + " as secret-named environment variable " + e.Name})
				}
			}
		}
		g.report(p, w, func(who string, many bool, d decision) string {
			return who + verb(many, " receives ", " receive ") + d.What + "; every child process inherits it"
		})
	},
})
