package rules

import (
	"github.com/isolint/isolint/controls"
	"github.com/isolint/isolint/model"
)

var _ = register(&Rule{
	ID:         "host-network",
	Title:      "Workload shares the host's network namespace",
	Severity:   High,
	Confidence: ConfidenceHigh,
	Axis:       AxisEgress,
	Formats:    []model.Format{model.FormatK8s, model.FormatCompose, model.FormatGHA, model.FormatGitLab, model.FormatTerraform, model.FormatDev, model.FormatCFN},
	Controls: []controls.Ref{
		nist("SC-7"), csf("PR.IR-01"), pssBaseline("Host Namespaces"), cis("5.2.5"), zt(2), devOnly(asi(2)),
	},
	Description: "A workload on the host network binds and connects as the node itself: no NetworkPolicy " +
		"applies to it, it reaches the node's metadata endpoint and every service listening on the node's " +
		"loopback (the kubelet, local agents), and it can sniff the node's traffic.",
	Fix: "Remove `hostNetwork: true` (Compose: `network_mode: host`; CI: `--network host` in container " +
		"options or `docker run`; dev containers: `--network=host` in `runArgs`); expose the ports the workload " +
		"serves through a Service, published ports or forwarded ports instead.",
	Examples: []Example{{
		Format: model.FormatK8s, Path: "pod.yaml",
		Bad: `apiVersion: v1
kind: Pod
metadata:
  name: agent
spec:
  hostNetwork: true
  containers:
    - name: agent
      image: example/agent:1.0`,
		Good: `apiVersion: v1
kind: Pod
metadata:
  name: agent
spec:
  hostNetwork: false
  containers:
    - name: agent
      image: example/agent:1.0`,
	}, {
		Format: model.FormatGHA, Path: ".github/workflows/test.yml",
		Bad: `on: push
permissions:
  contents: read
jobs:
  test:
    runs-on: ubuntu-latest
    steps:
      - run: docker run --rm --network host example/integration-tests:1.0`,
		Good: `on: push
permissions:
  contents: read
jobs:
  test:
    runs-on: ubuntu-latest
    steps:
      - run: docker run --rm --network bridge example/integration-tests:1.0`,
	}, {
		Format: model.FormatGitLab, Path: ".gitlab-ci.yml",
		Bad: `test:
  script:
    - docker run --rm --network host example/integration-tests:1.0`,
		Good: `test:
  script:
    - docker run --rm --network bridge example/integration-tests:1.0`,
	}, {
		Format: model.FormatTerraform, Path: "main.tf",
		Bad: `resource "aws_ecs_task_definition" "agent" {
  family       = "agent"
  network_mode = "host"
  container_definitions = jsonencode([
    { name = "agent", image = "example/agent:1.0" }
  ])
}`,
		Good: `resource "aws_ecs_task_definition" "agent" {
  family       = "agent"
  network_mode = "awsvpc"
  container_definitions = jsonencode([
    { name = "agent", image = "example/agent:1.0" }
  ])
}`,
	}, {
		Format: model.FormatCompose, Path: "compose.yaml",
		Bad: `services:
  agent:
    image: example/agent:1.0
    network_mode: host`,
		Good: `services:
  agent:
    image: example/agent:1.0
    ports:
      - "127.0.0.1:8080:8080"`,
	}, {
		Format: model.FormatDev, Path: ".devcontainer/devcontainer.json",
		Bad: `{
  "name": "api",
  "image": "mcr.microsoft.com/devcontainers/go:1.22",
  "runArgs": ["--network=host"]
}`,
		Good: `{
  "name": "api",
  "image": "mcr.microsoft.com/devcontainers/go:1.22",
  "forwardPorts": [8080]
}`,
	}, {
		Format: model.FormatCFN, Path: "template.yaml",
		Bad: `AWSTemplateFormatVersion: "2010-09-09"
Resources:
  Task:
    Type: AWS::ECS::TaskDefinition
    Properties:
      TaskRoleArn: arn:aws:iam::123456789012:role/app
      NetworkMode: host
      ContainerDefinitions:
        - Name: app
          Image: example/app:1.0`,
		Good: `AWSTemplateFormatVersion: "2010-09-09"
Resources:
  Task:
    Type: AWS::ECS::TaskDefinition
    Properties:
      TaskRoleArn: arn:aws:iam::123456789012:role/app
      NetworkMode: awsvpc
      ContainerDefinitions:
        - Name: app
          Image: example/app:1.0`,
	}},
	Workload: func(p *Pass, w *model.Workload) {
		if b := w.HostNetwork; b.IsTrue() {
			what := "it bypasses NetworkPolicy and reaches every service on the node"
			switch {
			case w.Format == model.FormatCompose:
				// Compose has no NetworkPolicy: what is lost is the project network
				what = "it leaves the project's networks and reaches every service listening on the host"
			case !podLike(w):
				// an ECS task (or a container group) on the instance's
				// network: no task network interface and security group of
				// its own, and ports shared with every other task there
				what = "it has no network interface or security group of its own and reaches every service listening on the host, its metadata endpoint included"
			}
			p.ReportAt(w, b.Loc, b.Via, "%s uses the host's network namespace: %s", w.Display(), what)
		}
		for _, c := range w.Containers {
			if b := c.HostNetwork; b.IsTrue() {
				p.ReportAt(w, b.Loc, b.Via, "%s of %s uses the host's network namespace: it reaches every service listening on the host, including its metadata endpoint", c.Display(), w.Display())
			}
		}
	},
})
