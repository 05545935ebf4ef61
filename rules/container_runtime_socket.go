package rules

import (
	"github.com/isolint/isolint/controls"
	"github.com/isolint/isolint/model"
)

var _ = register(&Rule{
	ID:         "container-runtime-socket",
	Title:      "Container runtime socket mounted",
	Severity:   Critical,
	Confidence: ConfidenceHigh,
	Axis:       AxisHost,
	Formats:    []model.Format{model.FormatK8s, model.FormatGHA, model.FormatGitLab, model.FormatTerraform},
	Controls: []controls.Ref{
		nhi(5), nist("SC-39"), nist("AC-6"), nist("CM-7"), csf("PR.PS-01"),
		pssBaseline("HostPath Volumes"), cis("5.2.11"), sp190("4.5.5"), sp190("4.4.3"),
	},
	Description: "The API socket of a container runtime (docker.sock, containerd.sock, crio.sock, podman.sock) " +
		"or the directory that holds it (/var/run, /run) lets whoever can write to it start a privileged " +
		"container with the host's root filesystem mounted: it is root on the node, whatever the pod's own " +
		"securityContext says, even when mounted read-only (a socket is written by connecting to it).",
	Fix: "Do not mount the runtime socket. Build images with a daemonless builder (BuildKit rootless, kaniko, " +
		"buildah) and run jobs through the Kubernetes API; monitoring agents should read the kubelet or CRI " +
		"metrics endpoints instead.",
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
	}},
	Workload: func(p *Pass, w *model.Workload) {
		for _, hv := range hostVolumes(w) {
			if hv.reach == model.ReachRuntimeSocket {
				reportHostVolume(p, w, hv, 0, "a container runtime's API socket (or its directory): whoever can connect to it can start a privileged container on the node")
			}
		}
	},
})
