package rules

import (
	"github.com/isolint/isolint/controls"
	"github.com/isolint/isolint/model"
)

var _ = register(&Rule{
	ID:         "privileged-container",
	Title:      "Container runs privileged",
	Severity:   Critical,
	Confidence: ConfidenceHigh,
	Axis:       AxisHost,
	Formats:    []model.Format{model.FormatK8s, model.FormatCompose, model.FormatGHA, model.FormatGitLab, model.FormatTerraform, model.FormatDev, model.FormatCFN},
	Controls: []controls.Ref{
		nist("AC-6"), nist("CM-7"), nist("SC-39"), csf("PR.PS-01"), csf("PR.AA-05"),
		when(pssBaseline("Privileged Containers"), "privileged containers", ` privileged:`, ""),
		when(pssBaseline("HostProcess"), "Windows HostProcess containers", `HostProcess`, ""),
		when(cis("5.2.2"), "privileged containers", ` privileged:`, ""),
		when(cis("5.2.10"), "Windows HostProcess containers", `HostProcess`, ""), sp190("4.4.3"), devOnly(asi(2)), devOnly(asi(5)),
	},
	Description: "A privileged container runs with every Linux capability, sees every host device and is " +
		"not confined by seccomp or AppArmor: a process in it, or anyone who gets code execution in it, " +
		"controls the node and every credential on it. A Kubernetes Windows HostProcess container " +
		"(`securityContext.windowsOptions.hostProcess: true`, on the pod or a container) is the same on a " +
		"Windows node: a process on the host, outside any container isolation; it is reported on the " +
		"`hostProcess` key.",
	Fix: "Remove `privileged: true` (CI: `--privileged` from container options and `docker run`; Kubernetes " +
		"on Windows: `hostProcess: true`). Grant " +
		"only the capabilities the process needs with `capabilities.add`, and mount only the devices it " +
		"uses. In CI, build images without a Docker daemon (kaniko, buildah, BuildKit rootless) instead of " +
		"a `docker:dind` service, which needs a privileged runner. In a dev container, remove `\"privileged\": true`, " +
		"`--privileged` from `runArgs` and the docker-in-docker feature (which makes the container privileged).",
	Examples: []Example{{
		Format: model.FormatK8s, Path: "pod.yaml",
		Bad: `apiVersion: v1
kind: Pod
metadata:
  name: builder
spec:
  containers:
    - name: build
      image: docker:27
      securityContext:
        privileged: true`,
		Good: `apiVersion: v1
kind: Pod
metadata:
  name: builder
spec:
  containers:
    - name: build
      image: gcr.io/kaniko-project/executor:v1.23.2
      securityContext:
        privileged: false`,
	}, {
		Format: model.FormatGHA, Path: ".github/workflows/build.yml",
		Bad: `on: push
permissions:
  contents: read
jobs:
  build:
    runs-on: ubuntu-latest
    container:
      image: docker:27
      options: --privileged
    steps:
      - run: docker build .`,
		Good: `on: push
permissions:
  contents: read
jobs:
  build:
    runs-on: ubuntu-latest
    container:
      image: gcr.io/kaniko-project/executor:v1.23.2-debug
    steps:
      - run: /kaniko/executor --no-push --context .`,
	}, {
		Format: model.FormatGitLab, Path: ".gitlab-ci.yml",
		Bad: `build:
  image: docker:27
  services:
    - docker:27-dind
  script:
    - docker build .`,
		Good: `build:
  image:
    name: gcr.io/kaniko-project/executor:v1.23.2-debug
    entrypoint: [""]
  script:
    - /kaniko/executor --no-push --context .`,
	}, {
		Format: model.FormatTerraform, Path: "main.tf",
		Bad: `resource "aws_ecs_task_definition" "builder" {
  family = "builder"
  container_definitions = jsonencode([
    { name = "build", image = "docker:27", privileged = true }
  ])
}`,
		Good: `resource "aws_ecs_task_definition" "builder" {
  family = "builder"
  container_definitions = jsonencode([
    { name = "build", image = "gcr.io/kaniko-project/executor:v1.23.2", privileged = false }
  ])
}`,
	}, {
		Format: model.FormatCompose, Path: "compose.yaml",
		Bad: `services:
  build:
    image: docker:27-dind
    privileged: true`,
		Good: `services:
  build:
    image: gcr.io/kaniko-project/executor:v1.23.2
    cap_add:
      - CHOWN`,
	}, {
		Format: model.FormatDev, Path: ".devcontainer/devcontainer.json",
		Bad: `{
  "name": "builder",
  "image": "mcr.microsoft.com/devcontainers/base:ubuntu",
  "features": {
    "ghcr.io/devcontainers/features/docker-in-docker:2": {}
  }
}`,
		Good: `{
  "name": "builder",
  "image": "mcr.microsoft.com/devcontainers/base:ubuntu",
  "features": {
    "ghcr.io/devcontainers/features/github-cli:1": {}
  },
  "postCreateCommand": "pip install --user buildah-wrapper"
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
          Privileged: true`,
		Good: `AWSTemplateFormatVersion: "2010-09-09"
Resources:
  Task:
    Type: AWS::ECS::TaskDefinition
    Properties:
      TaskRoleArn: arn:aws:iam::123456789012:role/app
      ContainerDefinitions:
        - Name: app
          Image: example/app:1.0
          Privileged: false`,
	}},
	Workload: func(p *Pass, w *model.Workload) {
		// no Windows exemption: a HostProcess container exists only on Windows
		var g byDecidingKey
		for _, c := range w.Containers {
			if b := c.Security.Privileged; b.IsTrue() {
				g.add(c, decision{Loc: b.Loc, Via: b.Via, What: "privileged"})
			}
			// pod-level windowsOptions.hostProcess holds for every container
			// that does not set its own
			if h := model.Effective(w, c).HostProcess; h.IsTrue() {
				g.add(c, decision{Loc: h.Loc, Via: h.Via, What: "hostProcess"})
			}
		}
		g.report(p, w, func(who string, many bool, d decision) string {
			if d.What == "hostProcess" {
				return who + verb(many, " runs as a Windows HostProcess container", " run as Windows HostProcess containers") +
					": a process on the node, outside any container isolation, with the node's files, network and credentials"
			}
			return who + verb(many, " runs", " run") + " privileged: every capability and every host device"
		})
	},
})
