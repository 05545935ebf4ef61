package rules

import (
	"strconv"
	"strings"

	"github.com/isolint/isolint/controls"
	"github.com/isolint/isolint/model"
)

var _ = register(&Rule{
	ID:         "container-runtime-socket",
	Title:      "Container runtime socket mounted",
	Severity:   Critical,
	Confidence: ConfidenceHigh,
	Axis:       AxisHost,
	Formats:    []model.Format{model.FormatK8s, model.FormatCompose, model.FormatGHA, model.FormatGitLab, model.FormatTerraform, model.FormatDev, model.FormatCFN},
	Controls: []controls.Ref{
		nist("SC-39"), nist("AC-6"), nist("CM-7"), csf("PR.PS-01"),
		pssBaseline("HostPath Volumes"), cis("5.2.11"), sp190("4.5.5"), sp190("4.4.3"),
		devOnly(asi(2)), devOnly(asi(5)),
	},
	Description: "The API socket of a container runtime (docker.sock, containerd.sock, crio.sock, podman.sock) " +
		"or a directory under /run that holds it (/var/run, /run, /run/user, /run/k3s) " +
		"lets whoever can write to it start a privileged container with the host's root filesystem mounted: it " +
		"is root on the node, whatever the pod's own securityContext says, even when mounted read-only (a " +
		"socket is written by connecting to it, which a read-only mount does not stop). /var is not counted: " +
		"its run entry is a symlink to /run, which resolves inside the container. A mount of / itself, the " +
		"host's whole filesystem, is a critical host-path-mount.",
	Fix: "Do not mount the runtime socket. Build images with a daemonless builder (BuildKit rootless, kaniko, " +
		"buildah) and run jobs through the Kubernetes API; monitoring agents should read the kubelet or CRI " +
		"metrics endpoints instead. A dev container or an agent's tool server should not get the host's socket " +
		"(a `mounts` entry, the docker-outside-of-docker feature, `docker run -v …docker.sock` in an MCP server's " +
		"arguments): an agent that can reach it is root on the developer's machine.",
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
      volumeMounts:
        - name: docker
          mountPath: /var/run/docker.sock
  volumes:
    - name: docker
      hostPath:
        path: /var/run/docker.sock
        type: Socket`,
		Good: `apiVersion: v1
kind: Pod
metadata:
  name: builder
spec:
  containers:
    - name: build
      image: gcr.io/kaniko-project/executor:v1.23.2
      volumeMounts:
        - name: workspace
          mountPath: /workspace
  volumes:
    - name: workspace
      emptyDir: {}`,
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
      volumes:
        - /var/run/docker.sock:/var/run/docker.sock
    steps:
      - run: docker build .`,
		Good: `on: push
permissions:
  contents: read
jobs:
  build:
    runs-on: ubuntu-latest
    container:
      image: quay.io/buildah/stable:v1.37
    steps:
      - run: buildah bud .`,
	}, {
		Format: model.FormatGitLab, Path: ".gitlab-ci.yml",
		Bad: `build:
  script:
    - docker run --rm -v /var/run/docker.sock:/var/run/docker.sock example/builder:1.0`,
		Good: `build:
  script:
    - docker run --rm -v "$CI_PROJECT_DIR:/src" example/builder:1.0`,
	}, {
		Format: model.FormatTerraform, Path: "main.tf",
		Bad: `resource "aws_ecs_task_definition" "builder" {
  family = "builder"
  volume {
    name      = "docker"
    host_path = "/var/run/docker.sock"
  }
  container_definitions = jsonencode([
    {
      name        = "build"
      image       = "docker:27"
      mountPoints = [{ sourceVolume = "docker", containerPath = "/var/run/docker.sock" }]
    }
  ])
}`,
		Good: `resource "aws_ecs_task_definition" "builder" {
  family = "builder"
  volume {
    name = "workspace"
  }
  container_definitions = jsonencode([
    {
      name        = "build"
      image       = "gcr.io/kaniko-project/executor:v1.23.2"
      mountPoints = [{ sourceVolume = "workspace", containerPath = "/workspace" }]
    }
  ])
}`,
	}, {
		Format: model.FormatCompose, Path: "compose.yaml",
		Bad: `services:
  ci-runner:
    image: example/runner:1.0
    volumes:
      - /var/run/docker.sock:/var/run/docker.sock`,
		Good: `services:
  ci-runner:
    image: example/runner:1.0
    volumes:
      - ./workspace:/workspace`,
	}, {
		Format: model.FormatDev, Path: ".vscode/mcp.json",
		Bad: `{
  "servers": {
    "docker": {
      "command": "docker",
      "args": ["run", "-i", "--rm",
        "-v", "/var/run/docker.sock:/var/run/docker.sock",
        "mcp/docker"]
    }
  }
}`,
		Good: `{
  "servers": {
    "docker": {
      "command": "docker",
      "args": ["run", "-i", "--rm",
        "-v", "${workspaceFolder}:/workspace:ro",
        "mcp/filesystem", "/workspace"]
    }
  }
}`,
	}, {
		Format: model.FormatCFN, Path: "template.yaml",
		Bad: `AWSTemplateFormatVersion: "2010-09-09"
Resources:
  Task:
    Type: AWS::ECS::TaskDefinition
    Properties:
      TaskRoleArn: arn:aws:iam::123456789012:role/app
      Volumes:
        - Name: docker
          Host:
            SourcePath: /var/run/docker.sock
      ContainerDefinitions:
        - Name: app
          Image: example/app:1.0
          MountPoints:
            - SourceVolume: docker
              ContainerPath: /var/run/docker.sock`,
		Good: `AWSTemplateFormatVersion: "2010-09-09"
Resources:
  Task:
    Type: AWS::ECS::TaskDefinition
    Properties:
      TaskRoleArn: arn:aws:iam::123456789012:role/app
      Volumes:
        - Name: scratch
      ContainerDefinitions:
        - Name: app
          Image: example/app:1.0
          MountPoints:
            - SourceVolume: scratch
              ContainerPath: /scratch`,
	}},
	Workload: func(p *Pass, w *model.Workload) {
		for _, hv := range hostVolumes(w) {
			if hv.reach == model.ReachRuntimeSocket {
				where := "the node"
				if w.Format == model.FormatDev {
					where = "the developer's machine"
				}
				what := "a container runtime's API socket (or its directory)"
				if model.HoldsRuntimeSocket(hv.vol.HostPath.Value) {
					what = "a directory that holds a container runtime's API socket"
				}
				what += ": whoever can connect to it can start a privileged container on " + where
				if len(hv.mounts) > 0 && len(hv.writers) == 0 {
					what += "; read-only does not stop a process connecting to a socket"
				}
				reportHostVolume(p, w, hv, 0, what)
			}
		}
		if w.Format == model.FormatCompose {
			socketFromVariable(p, w)
		}
	},
})

// socketFromVariable reports, with low confidence, a Compose bind whose
// source is a variable not resolved here but whose target is a runtime
// socket (`${DOCKER_SOCKET_LOCATION}:/var/run/docker.sock`): that is how
// stacks let the socket's host location vary (rootless Docker, Podman).
func socketFromVariable(p *Pass, w *model.Workload) {
	for _, c := range w.Containers {
		for _, m := range c.Mounts {
			v := m.Volume
			if v == nil || v.Kind != model.VolumeHostPath || !v.HostPath.Set || !v.HostPath.Unknown ||
				!strings.HasSuffix(m.Target, ".sock") || model.ClassifyHostPath(m.Target, "") != model.ReachRuntimeSocket {
				continue
			}
			p.Report(Finding{
				Confidence: ConfidenceLow,
				Message: c.Display() + " of " + w.Display() + " mounts a host path set by a variable at " + strconv.Quote(m.Target) +
					": if it is the runtime's socket, whoever can connect to it can start a privileged container on the host",
				Loc: v.HostPath.Loc, Related: v.HostPath.Via, Format: w.Format, Object: w.ID(), Workload: w.Name, Unit: w.Unit,
			})
		}
	}
}
