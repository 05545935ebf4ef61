package rules

import (
	"strconv"

	"github.com/isolint/isolint/controls"
	"github.com/isolint/isolint/model"
)

var _ = register(&Rule{
	ID:         "shared-process-namespace",
	Title:      "Containers see each other's processes",
	Severity:   Medium,
	Confidence: ConfidenceHigh,
	Axis:       AxisSecrets,
	Formats:    []model.Format{model.FormatK8s, model.FormatCompose, model.FormatTerraform, model.FormatCFN},
	Controls: []controls.Ref{
		nhi(2), nist("SC-4"), nist("SC-39"), nist("AC-6"), csf("PR.DS-10"), csf("PR.PS-01"), sp190("4.4.3"),
	},
	Description: "Containers that share a PID namespace see each other's processes: a process running as the " +
		"same user reads the others' environment (and the secrets in it) through /proc/<pid>/environ, their " +
		"memory through /proc/<pid>/mem, and their files through /proc/<pid>/root, and can signal them. " +
		"Reported for a Kubernetes pod with `shareProcessNamespace: true` and more than one container, and for " +
		"a Compose service with `pid: \"service:x\"` or `pid: \"container:x\"` (sharing the host's PID namespace " +
		"is host-namespace's).",
	Fix: "Remove `shareProcessNamespace: true` (Compose: `pid: service:…`). A debugging or profiling sidecar " +
		"belongs in an ephemeral container (`kubectl debug --target`), not in the running pod; a container " +
		"that must keep it should run as a different user than the ones whose secrets it must not read.",
	Examples: []Example{{
		Format: model.FormatK8s, Path: "pod.yaml",
		Bad: `apiVersion: v1
kind: Pod
metadata:
  name: web
spec:
  shareProcessNamespace: true
  containers:
    - name: web
      image: example/web:1.0
    - name: log-shipper
      image: example/shipper:1.0`,
		Good: `apiVersion: v1
kind: Pod
metadata:
  name: web
spec:
  containers:
    - name: web
      image: example/web:1.0
    - name: log-shipper
      image: example/shipper:1.0`,
	}, {
		Format: model.FormatCompose, Path: "compose.yaml",
		Bad: `services:
  app:
    image: example/app:1.0
  profiler:
    image: example/profiler:1.0
    pid: service:app`,
		Good: `services:
  app:
    image: example/app:1.0
  profiler:
    image: example/profiler:1.0`,
	}, {
		Format: model.FormatTerraform, Path: "main.tf",
		Bad: `resource "aws_ecs_task_definition" "app" {
  family        = "app"
  task_role_arn = "arn:aws:iam::123456789012:role/app"
  pid_mode      = "task"
  container_definitions = jsonencode([
    { name = "app", image = "example/app:1.0" },
    { name = "profiler", image = "example/profiler:1.0" },
  ])
}`,
		Good: `resource "aws_ecs_task_definition" "app" {
  family        = "app"
  task_role_arn = "arn:aws:iam::123456789012:role/app"
  container_definitions = jsonencode([
    { name = "app", image = "example/app:1.0" },
    { name = "profiler", image = "example/profiler:1.0" },
  ])
}`,
	}, {
		Format: model.FormatCFN, Path: "template.yaml",
		Bad: `AWSTemplateFormatVersion: "2010-09-09"
Resources:
  App:
    Type: AWS::ECS::TaskDefinition
    Properties:
      TaskRoleArn: arn:aws:iam::123456789012:role/app
      PidMode: task
      ContainerDefinitions:
        - Name: app
          Image: example/app:1.0
        - Name: profiler
          Image: example/profiler:1.0`,
		Good: `AWSTemplateFormatVersion: "2010-09-09"
Resources:
  App:
    Type: AWS::ECS::TaskDefinition
    Properties:
      TaskRoleArn: arn:aws:iam::123456789012:role/app
      ContainerDefinitions:
        - Name: app
          Image: example/app:1.0
        - Name: profiler
          Image: example/profiler:1.0`,
	}},
	Workload: func(p *Pass, w *model.Workload) {
		host := w.Host()
		if spn := host.ProcessNamespace; spn.IsTrue() {
			var running []*model.Container
			for _, c := range w.Containers {
				// an init container runs alone before the others, unless it
				// is a native sidecar (restartPolicy: Always), which runs
				// beside them for the pod's whole life
				if c.Kind == model.ContainerRegular || c.Kind == model.ContainerEphemeral || c.Sidecar {
					running = append(running, c)
				}
			}
			if len(running) > 1 {
				related := append([]model.Related(nil), spn.Via...)
				for _, c := range running {
					related = append(related, model.Related{Loc: c.Loc, Message: c.Display() + " runs in the shared namespace"})
				}
				// the key as the user wrote it (shareProcessNamespace,
				// pid_mode, PidMode), with the value that shares
				how := lastKey(spn.Loc.Path, "pid_mode") + " task" // an ECS task definition
				if podLike(w) {
					how = lastKey(spn.Loc.Path, "shareProcessNamespace") + ": true"
				}
				p.ReportAt(w, spn.Loc, related, "%s shares one PID namespace between its %d containers (%s): each can read the others' environment and memory through /proc", w.Display(), len(running), how)
			}
		}
		for _, j := range w.Joins {
			if j.Namespace != "pid" || (host.PID.IsTrue() && host.PID.Loc == j.Loc) {
				continue // the host's namespace, through the other service: host-namespace
			}
			p.ReportAt(w, j.Loc, j.Via, "%s shares the PID namespace of %s: each can read the other's environment and memory through /proc", w.Display(), joinTarget(j))
		}
	},
})

// joinTarget names the workload whose namespace is joined.
func joinTarget(j model.NamespaceJoin) string {
	if j.Kind == "container" {
		return "container " + strconv.Quote(j.Target) + " (outside the project)"
	}
	return "service " + strconv.Quote(j.Target)
}
