package rules

import (
	"sort"

	"github.com/isolint/isolint/controls"
	"github.com/isolint/isolint/model"
)

var _ = register(&Rule{
	ID:         "shared-execution-identity",
	Title:      "One execution identity is shared by several workloads",
	Severity:   High,
	Confidence: ConfidenceHigh,
	Axis:       AxisIdentity,
	Formats:    []model.Format{model.FormatK8s, model.FormatTerraform},
	Controls: []controls.Ref{
		nhi(9), ciOnly(nhi(8)), nist("AC-6"), nist("IA-9"), ciOnly(nist("AC-5")),
		csf("PR.AA-01"), csf("PR.AA-05"), cicd(2),
	},
	Description: "When two workloads run as the same identity (a Kubernetes ServiceAccount, an IAM role, " +
		"a cloud service account), each holds every right the other needs, a compromise of either is a " +
		"compromise of both, and audit logs cannot tell them apart. Each use is reported, with the other " +
		"uses as related locations. Workloads running as their namespace's default service account are " +
		"reported by default-service-account instead.",
	Fix: "Give each workload its own identity with only the rights it needs (one ServiceAccount per " +
		"Deployment, one task role per task definition).",
	Examples: []Example{{
		Format: model.FormatK8s, Path: "apps.yaml",
		Bad: `apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
spec:
  template:
    spec:
      serviceAccountName: app
      containers:
        - name: web
          image: example/web:1.0
---
apiVersion: batch/v1
kind: Job
metadata:
  name: migrate
spec:
  template:
    spec:
      serviceAccountName: app
      containers:
        - name: migrate
          image: example/migrate:1.0`,
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
          image: example/web:1.0
---
apiVersion: batch/v1
kind: Job
metadata:
  name: migrate
spec:
  template:
    spec:
      serviceAccountName: migrate
      containers:
        - name: migrate
          image: example/migrate:1.0`,
	}, {
		Format: model.FormatTerraform, Path: "main.tf",
		Bad: `resource "aws_iam_role" "app" {
  name = "app"
}

resource "aws_lambda_function" "ingest" {
  function_name = "ingest"
  role          = aws_iam_role.app.arn
}

resource "aws_lambda_function" "report" {
  function_name = "report"
  role          = aws_iam_role.app.arn
}`,
		Good: `resource "aws_iam_role" "ingest" {
  name = "ingest"
}

resource "aws_iam_role" "report" {
  name = "report"
}

resource "aws_lambda_function" "ingest" {
  function_name = "ingest"
  role          = aws_iam_role.ingest.arn
}

resource "aws_lambda_function" "report" {
  function_name = "report"
  role          = aws_iam_role.report.arn
}`,
	}},
	Project: func(p *Pass, proj *model.Project) {
		uses := map[string][]*model.Workload{}
		var keys []string
		for _, w := range proj.Workloads {
			id := w.Identity
			if !p.Rule.AppliesTo(w.Format) || id.Kind == "" || id.Key == "" || id.Default || id.Unknown {
				continue
			}
			k := string(id.Kind) + "|" + id.Key
			if _, ok := uses[k]; !ok {
				keys = append(keys, k)
			}
			uses[k] = append(uses[k], w)
		}
		sort.Strings(keys)
		for _, k := range keys {
			ws := distinctWorkloads(uses[k])
			if len(ws) < 2 {
				continue
			}
			for _, w := range ws {
				var related []model.Related
				for _, o := range ws {
					if o != w {
						related = append(related, model.Related{Loc: o.Identity.Loc, Message: "also used by " + displayInstance(o)})
					}
				}
				related = append(related, w.Identity.Via...)
				p.ReportAt(w, w.Identity.Loc, related, "%s runs as %s, which %d other workload(s) also use", w.Display(), describeIdentity(w.Identity), len(ws)-1)
			}
		}
	},
})

// distinctWorkloads drops repeated definitions of the same workload (the
// same kind, namespace and name in two files), keeping the first. Instances
// of one Terraform resource (module calls, for_each keys) are distinct.
func distinctWorkloads(ws []*model.Workload) []*model.Workload {
	seen := map[string]bool{}
	var out []*model.Workload
	for _, w := range ws {
		id := w.ID() + "\x00" + w.Instance
		if seen[id] {
			continue
		}
		seen[id] = true
		out = append(out, w)
	}
	return out
}

// describeIdentity names an identity for messages.
func describeIdentity(id model.Identity) string {
	switch id.Kind {
	case model.IdentityK8sServiceAccount:
		return "service account " + id.Key
	case model.IdentityAWSRole:
		return "IAM role " + id.Name
	case model.IdentityGCPServiceAccount:
		return "service account " + id.Name
	case model.IdentityCICloudRole:
		return "cloud role " + id.Name
	case model.IdentityCIRunner:
		return "runner " + id.Name
	}
	return id.Name
}

// displayInstance names a workload with its instance, when it has one:
// `aws_ecs_task_definition "this" (module.api.aws_ecs_task_definition.this)`.
func displayInstance(w *model.Workload) string {
	if w.Instance == "" {
		return w.Display()
	}
	return w.Display() + " (" + w.Instance + ")"
}
