package rules

import (
	"github.com/isolint/isolint/controls"
	"github.com/isolint/isolint/model"
)

var _ = register(&Rule{
	ID:         "host-namespace",
	Title:      "Workload shares a host PID, IPC, UTS or user namespace",
	Severity:   High,
	Confidence: ConfidenceHigh,
	Axis:       AxisHost,
	Formats:    []model.Format{model.FormatK8s, model.FormatCompose, model.FormatGHA, model.FormatGitLab, model.FormatTerraform, model.FormatDev, model.FormatCFN},
	Controls: []controls.Ref{
		nist("SC-39"), csf("PR.PS-01"),
		when(pssBaseline("Host Namespaces"), "the host PID or IPC namespace", `host's (PID|IPC) namespace`, ""),
		when(cis("5.2.3"), "the host PID namespace", `host's PID namespace`, ""),
		when(cis("5.2.4"), "the host IPC namespace", `host's IPC namespace`, ""),
		devOnly(asi(2)),
	},
	Description: "Sharing the host's PID namespace lets the workload see and signal every process on the " +
		"node and read their environment (and the secrets in it) through /proc; sharing the IPC namespace " +
		"exposes the host's shared memory; UTS and user namespaces remove more of the boundary.",
	Fix: "Remove `hostPID: true` and `hostIPC: true` (Compose: `pid`, `ipc`, `uts`, `userns_mode: host`). " +
		"For debugging use an ephemeral container or `kubectl debug node/…` when needed, not a standing workload.",
	Examples: []Example{{
		Format: model.FormatK8s, Path: "pod.yaml",
		Bad: `apiVersion: v1
kind: Pod
metadata:
  name: monitor
spec:
  hostPID: true
  containers:
    - name: monitor
      image: example/monitor:1.0`,
		Good: `apiVersion: v1
kind: Pod
metadata:
  name: monitor
spec:
  containers:
    - name: monitor
      image: example/monitor:1.0`,
	}, {
		Format: model.FormatGHA, Path: ".github/workflows/profile.yml",
		Bad: `on: push
permissions:
  contents: read
jobs:
  profile:
    runs-on: ubuntu-latest
    steps:
      - run: docker run --rm --pid=host example/profiler:1.0`,
		Good: `on: push
permissions:
  contents: read
jobs:
  profile:
    runs-on: ubuntu-latest
    steps:
      - run: docker run --rm example/profiler:1.0`,
	}, {
		Format: model.FormatGitLab, Path: ".gitlab-ci.yml",
		Bad: `profile:
  script:
    - docker run --rm --pid=host example/profiler:1.0`,
		Good: `profile:
  script:
    - docker run --rm example/profiler:1.0`,
	}, {
		Format: model.FormatTerraform, Path: "main.tf",
		Bad: `resource "aws_ecs_task_definition" "monitor" {
  family   = "monitor"
  pid_mode = "host"
  container_definitions = jsonencode([
    { name = "monitor", image = "example/monitor:1.0" }
  ])
}`,
		Good: `resource "aws_ecs_task_definition" "monitor" {
  family   = "monitor"
  pid_mode = "task"
  container_definitions = jsonencode([
    { name = "monitor", image = "example/monitor:1.0" }
  ])
}`,
	}, {
		Format: model.FormatCompose, Path: "compose.yaml",
		Bad: `services:
  monitor:
    image: example/monitor:1.0
    pid: host`,
		Good: `services:
  monitor:
    image: example/monitor:1.0`,
	}, {
		Format: model.FormatDev, Path: ".devcontainer/devcontainer.json",
		Bad: `{
  "name": "profiler",
  "image": "mcr.microsoft.com/devcontainers/cpp:ubuntu",
  "runArgs": ["--pid=host"]
}`,
		Good: `{
  "name": "profiler",
  "image": "mcr.microsoft.com/devcontainers/cpp:ubuntu",
  "runArgs": ["--init"]
}`,
	}, {
		Format: model.FormatCFN, Path: "template.yaml",
		Bad: `AWSTemplateFormatVersion: "2010-09-09"
Resources:
  Task:
    Type: AWS::ECS::TaskDefinition
    Properties:
      TaskRoleArn: arn:aws:iam::123456789012:role/app
      PidMode: host
      ContainerDefinitions:
        - Name: app
          Image: example/app:1.0`,
		Good: `AWSTemplateFormatVersion: "2010-09-09"
Resources:
  Task:
    Type: AWS::ECS::TaskDefinition
    Properties:
      TaskRoleArn: arn:aws:iam::123456789012:role/app
      PidMode: task
      ContainerDefinitions:
        - Name: app
          Image: example/app:1.0`,
	}},
	Workload: func(p *Pass, w *model.Workload) {
		host := w.Host()
		for _, ns := range []struct {
			b    model.Bool
			what string
		}{
			{host.PID, "PID namespace: it sees every process on the host and can read their environment"},
			{host.IPC, "IPC namespace: it can read and write the host's shared memory"},
			{host.UTS, "UTS namespace"},
			{host.Userns, "user namespace: its root is the host's root"},
		} {
			if ns.b.IsTrue() {
				p.ReportAt(w, ns.b.Loc, ns.b.Via, "%s shares the host's %s", w.Display(), ns.what)
			}
		}
		for _, c := range w.Containers {
			for _, ns := range []struct {
				b    model.Bool
				what string
			}{
				{c.HostPID, "PID namespace: it sees every process on the host and can read their environment"},
				{c.HostIPC, "IPC namespace: it can read and write the host's shared memory"},
				{c.HostUTS, "UTS namespace"},
				{c.HostUserns, "user namespace: its root is the host's root"},
			} {
				if ns.b.IsTrue() {
					p.ReportAt(w, ns.b.Loc, ns.b.Via, "%s of %s shares the host's %s", c.Display(), w.Display(), ns.what)
				}
			}
		}
	},
})
