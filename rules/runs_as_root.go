package rules

import (
	"strings"

	"github.com/isolint/isolint/controls"
	"github.com/isolint/isolint/model"
)

var _ = register(&Rule{
	ID:         "runs-as-root",
	Title:      "Container may run as root",
	Severity:   Medium,
	Confidence: ConfidenceMedium,
	Axis:       AxisHost,
	Formats:    []model.Format{model.FormatK8s, model.FormatCompose, model.FormatTerraform, model.FormatDev, model.FormatCFN},
	Controls: []controls.Ref{
		nist("AC-6"), nist("AC-6(10)"), csf("PR.PS-01"),
		pssRestricted("Running as Non-root"), when(pssRestricted("Running as Non-root user (v1.23+)"), "an explicit user ID 0", `uid 0`, ""),
		cis("5.2.7"), sp190("4.4.3"),
	},
	Description: "A process running as uid 0 owns every file the container can reach, including mounted " +
		"secrets and host paths, and is one kernel bug away from root on the node. Explicit root " +
		"(`runAsUser: 0`, `user: root`) is reported with high confidence; a container that sets neither " +
		"`runAsNonRoot: true` nor a non-zero user at pod or container level runs as whatever user its " +
		"image names, which is root for most images, and is reported with low confidence.",
	Fix: "Set `runAsNonRoot: true` and a non-zero `runAsUser` in the pod's or the container's " +
		"securityContext (Compose: `user: \"10001:10001\"`), and build the image with a non-root USER.",
	Examples: []Example{{
		Format: model.FormatK8s, Path: "pod.yaml",
		Bad: `apiVersion: v1
kind: Pod
metadata:
  name: web
spec:
  containers:
    - name: web
      image: example/web:1.0
      securityContext:
        runAsUser: 0`,
		Good: `apiVersion: v1
kind: Pod
metadata:
  name: web
spec:
  securityContext:
    runAsNonRoot: true
    runAsUser: 10001
  containers:
    - name: web
      image: example/web:1.0`,
	}, {
		Format: model.FormatTerraform, Path: "main.tf",
		Bad: `resource "aws_ecs_task_definition" "web" {
  family = "web"
  container_definitions = jsonencode([
    { name = "web", image = "example/web:1.0", user = "root" }
  ])
}`,
		Good: `resource "aws_ecs_task_definition" "web" {
  family = "web"
  container_definitions = jsonencode([
    { name = "web", image = "example/web:1.0", user = "10001:10001" }
  ])
}`,
	}, {
		Format: model.FormatCompose, Path: "compose.yaml",
		Bad: `services:
  web:
    image: example/web:1.0
    user: root`,
		Good: `services:
  web:
    image: example/web:1.0
    user: "10001:10001"`,
	}, {
		Format: model.FormatDev, Path: ".devcontainer/devcontainer.json",
		Bad: `{
  "name": "web",
  "image": "mcr.microsoft.com/devcontainers/javascript-node:22",
  "remoteUser": "root"
}`,
		Good: `{
  "name": "web",
  "image": "mcr.microsoft.com/devcontainers/javascript-node:22",
  "remoteUser": "node"
}`,
	}, {
		Format: model.FormatCFN, Path: "template.yaml",
		Bad: `AWSTemplateFormatVersion: "2010-09-09"
Resources:
  Task:
    Type: AWS::ECS::TaskDefinition
    Properties:
      TaskRoleArn: arn:aws:iam::123456789012:role/app
      ContainerDefinitions:
        - Name: app
          Image: example/app:1.0
          User: "0"`,
		Good: `AWSTemplateFormatVersion: "2010-09-09"
Resources:
  Task:
    Type: AWS::ECS::TaskDefinition
    Properties:
      TaskRoleArn: arn:aws:iam::123456789012:role/app
      ContainerDefinitions:
        - Name: app
          Image: example/app:1.0
          User: "10001"`,
	}},
	Workload: func(p *Pass, w *model.Workload) {
		if w.OS == "windows" {
			return // Windows containers run as a user name, not a uid
		}
		var g byDecidingKey
		for _, c := range w.Containers {
			e := model.Effective(w, c)
			if e.RunAsUser.Unknown || e.RunAsNonRoot.Unknown || e.User.Unknown {
				continue // a templated user may well be non-root
			}
			switch state, loc := e.Root(); state {
			case model.RootExplicit:
				g.add(c, decision{Loc: loc, Via: viaOf(e, loc), What: "root (uid 0)", Confidence: ConfidenceHigh})
			case model.RootUnknown:
				if !w.Offers(model.SettingRunAsNonRoot) && w.Format != model.FormatCompose {
					continue // ECS, Lambda, Cloud Run …: the image decides, and nothing is written to judge
				}
				if w.Partial {
					continue // a Compose override fragment: the file it completes may set the user
				}
				d := decision{Loc: missingAt(c.Security.Loc), What: "image", Confidence: ConfidenceLow}
				if w.Format == model.FormatCompose {
					d.What = "image-compose" // Compose has one setting for it: user
				}
				if e.RunAsNonRoot.IsFalse() {
					d.Loc, d.Via, d.What = e.RunAsNonRoot.Loc, e.RunAsNonRoot.Via, "image-allowed"
				}
				g.add(c, d)
			}
		}
		g.report(p, w, func(who string, many bool, d decision) string {
			switch d.What {
			case "image-allowed":
				return who + verb(many, " sets", " set") + " runAsNonRoot: false and no non-zero runAsUser; " +
					verb(many, "it runs", "they run") + " as root if the image does"
			case "image-compose":
				return who + verb(many, " sets", " set") + " no user; " + verb(many, "it runs", "they run") + " as root if the image does"
			case "image":
				return who + verb(many, " sets", " set") + " neither runAsNonRoot: true nor a non-zero runAsUser; " +
					verb(many, "it runs", "they run") + " as root if the image does"
			}
			return who + verb(many, " runs", " run") + " as root (uid 0)"
		})
	},
})

// viaOf returns the value sources of the key at loc in an effective
// security context (the anchors it was reached through).
func viaOf(e model.SecurityContext, loc model.Location) []model.Related {
	switch loc {
	case e.RunAsUser.Loc:
		return e.RunAsUser.Via
	case e.User.Loc:
		return e.User.Via
	case e.RunAsNonRoot.Loc:
		return e.RunAsNonRoot.Via
	}
	return nil
}

// podLike reports a workload with a Kubernetes pod spec: a manifest, or a
// Terraform kubernetes_* resource (whose messages speak of nodes and pods).
func podLike(w *model.Workload) bool {
	return w.Format == model.FormatK8s || strings.HasPrefix(w.Kind, "kubernetes_")
}
