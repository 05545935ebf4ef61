package rules

import (
	"strings"

	"github.com/isolint/isolint/controls"
	"github.com/isolint/isolint/model"
)

var _ = register(&Rule{
	ID:         "default-service-account",
	Title:      "Workload runs as the default service account",
	Severity:   Medium,
	Confidence: ConfidenceHigh,
	Axis:       AxisIdentity,
	Formats:    []model.Format{model.FormatK8s, model.FormatTerraform, model.FormatCFN},
	Controls: []controls.Ref{
		nhi(9), nist("AC-6"), nist("IA-9"), csf("PR.AA-01"), csf("PR.AA-05"), cis("5.1.5"),
	},
	Description: "A pod that names no service account runs as its namespace's `default` account, which " +
		"every other such pod in the namespace shares, and to which permissions granted \"to the " +
		"namespace\" tend to accrue. Its token identifies no single workload.",
	Fix: "Create a ServiceAccount for the workload, grant it only what it needs, and set " +
		"`serviceAccountName`. If the workload needs no API access, also set " +
		"`automountServiceAccountToken: false`.",
	Examples: []Example{{
		Format: model.FormatK8s, Path: "deploy.yaml",
		Bad: `apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
spec:
  template:
    spec:
      containers:
        - name: web
          image: example/web:1.0`,
		Good: `apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
spec:
  template:
    spec:
      serviceAccountName: web
      containers:
        - name: web
          image: example/web:1.0`,
	}, {
		Format: model.FormatTerraform, Path: "main.tf",
		Bad: `resource "google_cloud_run_v2_service" "api" {
  name     = "api"
  location = "europe-west1"
  template {
    containers {
      image = "example/api:1.0"
    }
  }
}`,
		Good: `resource "google_service_account" "api" {
  account_id = "api"
}

resource "google_cloud_run_v2_service" "api" {
  name     = "api"
  location = "europe-west1"
  template {
    service_account = google_service_account.api.email
    containers {
      image = "example/api:1.0"
    }
  }
}`,
	}, {
		Format: model.FormatCFN, Path: "template.yaml",
		Bad: `AWSTemplateFormatVersion: "2010-09-09"
Resources:
  Worker:
    Type: AWS::ECS::TaskDefinition
    Properties:
      ExecutionRoleArn: arn:aws:iam::123456789012:role/ecs-exec
      ContainerDefinitions:
        - Name: app
          Image: example/app:1.0`,
		Good: `AWSTemplateFormatVersion: "2010-09-09"
Resources:
  Worker:
    Type: AWS::ECS::TaskDefinition
    Properties:
      ExecutionRoleArn: arn:aws:iam::123456789012:role/ecs-exec
      TaskRoleArn: arn:aws:iam::123456789012:role/worker
      ContainerDefinitions:
        - Name: app
          Image: example/app:1.0`,
	}},
	Workload: func(p *Pass, w *model.Workload) {
		id := w.Identity
		if !id.Default || id.Unknown || (w.Partial && id.Loc.Synthetic) {
			return // a partial definition (a Compose override fragment) may leave the account to what it completes
		}
		if id.Kind == model.IdentityGCPServiceAccount {
			// the Compute Engine (or, for 1st gen Cloud Functions, App
			// Engine) default account, which holds Editor on the project
			// unless the organisation policy removed the grant
			account := "the project's default compute service account"
			if strings.Contains(id.Name, "App Engine") {
				account = "the project's App Engine default service account"
			}
			if id.Loc.Synthetic {
				p.ReportAt(w, id.Loc, id.Via, "%s names no service account and runs as %s, shared by every workload that names none", w.Display(), account)
				return
			}
			p.ReportAt(w, id.Loc, id.Via, "%s runs as %s, shared by every workload that names none", w.Display(), account)
			return
		}
		if id.Kind == model.IdentityAWSRole {
			// an ECS task with an execution role but no task role (the only
			// AWS workload that falls back to a default role); the host may
			// block task access to the metadata endpoint
			// (ECS_AWSVPC_BLOCK_IMDS, iptables): medium confidence
			p.Report(Finding{Confidence: ConfidenceMedium, Loc: id.Loc, Related: id.Via, Format: w.Format, Object: w.ID(), Workload: w.Name, Unit: w.Unit,
				Message: w.Display() + " has an execution role but no " + lastKey(id.Loc.Path, "task_role_arn") + ", so on an EC2 or external host its containers take the instance role's credentials from the metadata endpoint, shared by every task on that host"})
			return
		}
		if id.Kind != model.IdentityK8sServiceAccount {
			return
		}
		if id.Loc.Synthetic {
			p.ReportAt(w, id.Loc, nil, "%s names no serviceAccountName and runs as the %q namespace's default service account", w.Display(), w.Namespace)
			return
		}
		p.ReportAt(w, id.Loc, id.Via, "%s runs as the %q namespace's default service account", w.Display(), w.Namespace)
	},
})
