package rules

import (
	"github.com/isolint/isolint/controls"
	"github.com/isolint/isolint/model"
)

var _ = register(&Rule{
	ID:         "writable-root-filesystem",
	Title:      "Container root filesystem is writable",
	Severity:   Low,
	Confidence: ConfidenceHigh,
	Axis:       AxisHost,
	Formats:    []model.Format{model.FormatK8s, model.FormatCompose, model.FormatTerraform, model.FormatCFN},
	Controls: []controls.Ref{
		nist("CM-7"), csf("PR.PS-01"), cis("5.6.3"), sp190("4.4.4"), sp190("4.4.3"),
	},
	Description: "A writable root filesystem lets an attacker who gets code execution drop tools, replace " +
		"binaries and libraries the application loads, and persist for the life of the container. With " +
		"`readOnlyRootFilesystem: true` the image stays as built and writes go only to the volumes the pod " +
		"declares.",
	Fix: "Set `readOnlyRootFilesystem: true` in the container's securityContext and mount an emptyDir at each " +
		"path the process writes to (/tmp, caches).",
	Examples: []Example{{
		Format: model.FormatK8s, Path: "pod.yaml",
		Bad: `apiVersion: v1
kind: Pod
metadata:
  name: web
spec:
  containers:
    - name: web
      image: example/web:1.0`,
		Good: `apiVersion: v1
kind: Pod
metadata:
  name: web
spec:
  containers:
    - name: web
      image: example/web:1.0
      securityContext:
        readOnlyRootFilesystem: true
      volumeMounts:
        - name: tmp
          mountPath: /tmp
  volumes:
    - name: tmp
      emptyDir: {}`,
	}, {
		Format: model.FormatTerraform, Path: "main.tf",
		Bad: `resource "aws_ecs_task_definition" "web" {
  family = "web"
  container_definitions = jsonencode([
    { name = "web", image = "example/web:1.0" }
  ])
}`,
		Good: `resource "aws_ecs_task_definition" "web" {
  family = "web"
  container_definitions = jsonencode([
    { name = "web", image = "example/web:1.0", readonlyRootFilesystem = true }
  ])
}`,
	}, {
		Format: model.FormatCompose, Path: "compose.yaml",
		Bad: `services:
  web:
    image: example/web:1.0`,
		Good: `services:
  web:
    image: example/web:1.0
    read_only: true
    tmpfs:
      - /tmp`,
	}, {
		Format: model.FormatCFN, Path: "template.yaml",
		Bad: `AWSTemplateFormatVersion: "2010-09-09"
Resources:
  Web:
    Type: AWS::ECS::TaskDefinition
    Properties:
      RequiresCompatibilities: [FARGATE]
      TaskRoleArn: arn:aws:iam::123456789012:role/web
      ContainerDefinitions:
        - Name: web
          Image: example/web:1.0`,
		Good: `AWSTemplateFormatVersion: "2010-09-09"
Resources:
  Web:
    Type: AWS::ECS::TaskDefinition
    Properties:
      RequiresCompatibilities: [FARGATE]
      TaskRoleArn: arn:aws:iam::123456789012:role/web
      ContainerDefinitions:
        - Name: web
          Image: example/web:1.0
          ReadonlyRootFilesystem: true`,
	}},
	Workload: func(p *Pass, w *model.Workload) {
		if w.OS == "windows" {
			return // Windows containers cannot run with a read-only root filesystem
		}
		if !w.Offers(model.SettingReadOnlyRootFS) {
			return // Lambda, CodeBuild, Cloud Run …: no such setting to choose
		}
		var g byDecidingKey
		for _, c := range w.Containers {
			ro := model.Effective(w, c).ReadOnlyRootFS
			switch {
			case ro.Unknown || ro.IsTrue():
			case ro.Set:
				g.add(c, decision{Loc: ro.Loc, Via: ro.Via, What: "false"})
			case w.Partial:
				// a Compose override fragment: the file it completes may set read_only
			default:
				g.add(c, decision{Loc: missingAt(c.Security.Loc), What: "unset"})
			}
		}
		key := "readOnlyRootFilesystem"
		if w.Format == model.FormatCompose {
			key = "read_only"
		}
		g.report(p, w, func(who string, many bool, d decision) string {
			if d.What == "false" {
				return who + verb(many, " sets", " set") + " " + key + ": false: a process can modify the image's files"
			}
			return who + verb(many, " does", " do") + " not set " + key + ": true: a process can modify the image's files"
		})
	},
})
