package rules

import (
	"strconv"
	"strings"

	"github.com/isolint/isolint/controls"
	"github.com/isolint/isolint/model"
)

var _ = register(&Rule{
	ID:         "secret-env-bulk",
	Title:      "Every key of a secret pushed into the environment",
	Severity:   High,
	Confidence: ConfidenceHigh,
	Axis:       AxisSecrets,
	Formats:    []model.Format{model.FormatK8s, model.FormatCompose, model.FormatGHA, model.FormatTerraform, model.FormatDev, model.FormatCFN},
	Controls: []controls.Ref{
		nhi(2), nist("AC-6"), nist("SC-4"), nist("IA-5"), csf("PR.AA-05"), csf("PR.DS-10"),
		cis("5.4.1"), cicd(6), devOnly(asi(3)),
	},
	Needs: []model.InputKind{model.InputCredentials},
	Description: "Loading a whole secret into the environment (Kubernetes `envFrom` with a `secretRef`) hands " +
		"the process every key the secret holds today and every key anyone adds to it later, whether the " +
		"process needs it or not; each then reaches every child process, crash dump and /proc reader, as " +
		"secret-env-var describes. In GitHub Actions, `${{ toJSON(secrets) }}` (or `secrets[expr]`) does the same " +
		"with every secret of the repository and organisation, in `env:`, in an action's `with:` input (which " +
		"the action receives as an `INPUT_*` variable), in a `run:` script or in what a reusable-workflow call passes on.",
	Fix: "Mount the secret as a volume and read only the files the process needs, or at least name the keys " +
		"it needs one by one (`env[].valueFrom.secretKeyRef`) instead of loading the whole secret.",
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
          envFrom:
            - secretRef:
                name: api-credentials`,
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
          envFrom:
            - configMapRef:
                name: api-settings
          volumeMounts:
            - name: credentials
              mountPath: /run/secrets/api
              readOnly: true
      volumes:
        - name: credentials
          secret:
            secretName: api-credentials`,
	}, {
		Format: model.FormatCompose, Path: "compose.yaml",
		Bad: `services:
  api:
    image: example/api:1.0
    env_file:
      - secrets.env`,
		Good: `services:
  api:
    image: example/api:1.0
    env_file:
      - settings.env
    secrets:
      - api_key
secrets:
  api_key:
    file: ./api_key.txt`,
	}, {
		Format: model.FormatGHA, Path: ".github/workflows/release.yml",
		Bad: `on: push
permissions:
  contents: read
jobs:
  release:
    runs-on: ubuntu-latest
    steps:
      - run: ./release.sh
        env:
          SECRETS: ${{ toJSON(secrets) }}`,
		Good: `on: push
permissions:
  contents: read
jobs:
  release:
    runs-on: ubuntu-latest
    steps:
      - run: ./release.sh
        env:
          NPM_TOKEN: ${{ secrets.NPM_TOKEN }}`,
	}, {
		Format: model.FormatTerraform, Path: "main.tf",
		Bad: `resource "kubernetes_deployment_v1" "api" {
  metadata {
    name = "api"
  }
  spec {
    template {
      metadata {}
      spec {
        container {
          name  = "api"
          image = "example/api:1.0"
          env_from {
            secret_ref {
              name = "api-credentials"
            }
          }
        }
      }
    }
  }
}`,
		Good: `resource "kubernetes_deployment_v1" "api" {
  metadata {
    name = "api"
  }
  spec {
    template {
      metadata {}
      spec {
        container {
          name  = "api"
          image = "example/api:1.0"
          env_from {
            config_map_ref {
              name = "api-settings"
            }
          }
        }
      }
    }
  }
}`,
	}, {
		Format: model.FormatDev, Path: ".devcontainer/devcontainer.json",
		Bad: `{
  "name": "app",
  "image": "mcr.microsoft.com/devcontainers/python:3.12",
  "runArgs": ["--env-file", ".devcontainer/secrets.env"]
}`,
		Good: `{
  "name": "app",
  "image": "mcr.microsoft.com/devcontainers/python:3.12",
  "runArgs": ["--env-file", ".devcontainer/devcontainer.env"]
}`,
	}, {
		Format: model.FormatCFN, Path: "template.yaml",
		Bad: `AWSTemplateFormatVersion: "2010-09-09"
Resources:
  App:
    Type: AWS::ECS::TaskDefinition
    Properties:
      TaskRoleArn: arn:aws:iam::123456789012:role/app
      ContainerDefinitions:
        - Name: app
          Image: example/app:1.0
          EnvironmentFiles:
            - Type: s3
              Value: arn:aws:s3:::app-config/prod/secrets.env`,
		Good: `AWSTemplateFormatVersion: "2010-09-09"
Resources:
  App:
    Type: AWS::ECS::TaskDefinition
    Properties:
      TaskRoleArn: arn:aws:iam::123456789012:role/app
      ContainerDefinitions:
        - Name: app
          Image: example/app:1.0
          Secrets:
            - Name: DB_PASSWORD
              ValueFrom: arn:aws:secretsmanager:eu-west-1:123456789012:secret:app-db`,
	}},
	Workload: func(p *Pass, w *model.Workload) {
		var g byDecidingKey
		for _, c := range w.Containers {
			for _, src := range c.EnvSources {
				switch src.Kind {
				case model.EnvFromSecret:
					g.add(c, decision{Loc: src.Loc, What: "every key of Secret " + strconv.Quote(src.Name)})
				case model.EnvFromAllSecrets:
					g.add(c, decision{Loc: src.Loc, What: "every secret available to it"})
				case model.EnvFromFile:
					// compose env_file: a secret by its name, or by the keys it holds
					if what := secretEnvFile(src); what != "" {
						g.add(c, decision{Loc: src.Loc, What: what})
					} else if w.Kind == model.KindMCPServer && src.FromFlag {
						// an agent's tool server started with docker run
						// --env-file: whatever the file is named, every key
						// in it reaches a third-party server
						g.add(c, decision{Loc: src.Loc, What: "every key of env file " + strconv.Quote(src.Name) + " (docker run --env-file)"})
					}
				}
			}
		}
		g.report(p, w, func(who string, many bool, d decision) string {
			return who + verb(many, " loads ", " load ") + d.What + " into " + verb(many, "its", "their") + " environment"
		})
		ciJobBulkSecrets(p, w)
	},
	Pipeline: ciBulkSecrets,
})

// secretEnvFile describes an env file that holds secrets, by the secret
// keys read from it (names only) or by its name; "" when neither says so.
func secretEnvFile(src *model.EnvSource) string {
	what := "every key of env file " + strconv.Quote(src.Name)
	secrets := src.SecretKeys()
	switch n := len(secrets); {
	case n > 0:
		names := secrets
		if n > 3 {
			names = names[:3]
		}
		what += " (with secrets in " + strings.Join(names, ", ")
		if n > 3 {
			what += " and " + strconv.Itoa(n-3) + " more"
		}
		return what + ")"
	case model.IsSecretFileName(src.Name):
		return what + " (its name says it holds secrets)"
	}
	return ""
}
