package rules

import (
	"github.com/isolint/isolint/controls"
	"github.com/isolint/isolint/model"
)

var _ = register(&Rule{
	ID:         "host-path-mount",
	Title:      "Host path mounted into a container",
	Severity:   High,
	Confidence: ConfidenceHigh,
	Axis:       AxisHost,
	Formats:    []model.Format{model.FormatK8s, model.FormatCompose, model.FormatGHA, model.FormatGitLab, model.FormatTerraform, model.FormatDev, model.FormatCFN},
	Controls: []controls.Ref{
		nist("SC-39"), nist("AC-6"), nist("CM-7"), csf("PR.PS-01"),
		every(pssBaseline("HostPath Volumes"), model.InputHostPaths), every(cis("5.2.11"), model.InputHostPaths),
		sp190("4.5.5"), sp190("4.4.3"), devOnly(asi(2)),
	},
	Description: "A host path mount reaches past the container into the node's filesystem. Sensitive paths " +
		"(/etc, /root, /home, /proc, /sys, /boot, /var/lib/kubelet, /var/lib/docker, /var/log, home " +
		"directories' .ssh, .aws, .kube …) hold the node's credentials, the kubelet's and other pods' secrets, " +
		"or kernel interfaces; written to, they give the node away. A sensitive path that some container " +
		"mounts without `readOnly: true` is reported with high severity, any other host path with medium; " +
		"/ itself, the whole filesystem with the runtime's socket in it, is critical, read-only or not (a " +
		"read-only mount does not stop a process connecting to a socket). Runtime sockets, the directories " +
		"under /run that hold them, and devices are reported by container-runtime-socket and host-device " +
		"instead.",
	Fix: "Use a volume that belongs to the pod (emptyDir, a PersistentVolumeClaim, a ConfigMap or Secret " +
		"volume) instead of a host path. Where a node agent must read the host, mount the narrowest path it " +
		"needs with `readOnly: true` on every volumeMount.",
	Examples: []Example{{
		Format: model.FormatK8s, Path: "ds.yaml",
		Bad: `apiVersion: apps/v1
kind: DaemonSet
metadata:
  name: log-agent
spec:
  template:
    spec:
      containers:
        - name: agent
          image: example/agent:1.0
          volumeMounts:
            - name: host-etc
              mountPath: /host/etc
      volumes:
        - name: host-etc
          hostPath:
            path: /etc`,
		Good: `apiVersion: apps/v1
kind: DaemonSet
metadata:
  name: log-agent
spec:
  template:
    spec:
      containers:
        - name: agent
          image: example/agent:1.0
          volumeMounts:
            - name: buffer
              mountPath: /var/buffer
      volumes:
        - name: buffer
          emptyDir: {}`,
	}, {
		Format: model.FormatGHA, Path: ".github/workflows/scan.yml",
		Bad: `on: push
permissions:
  contents: read
jobs:
  scan:
    runs-on: ubuntu-latest
    steps:
      - run: docker run --rm -v /etc:/host/etc example/scanner:1.0`,
		Good: `on: push
permissions:
  contents: read
jobs:
  scan:
    runs-on: ubuntu-latest
    steps:
      - run: docker run --rm -v "$PWD:/src:ro" example/scanner:1.0`,
	}, {
		Format: model.FormatGitLab, Path: ".gitlab-ci.yml",
		Bad: `scan:
  script:
    - docker run --rm -v /etc:/host/etc example/scanner:1.0`,
		Good: `scan:
  script:
    - docker run --rm -v "$CI_PROJECT_DIR:/src:ro" example/scanner:1.0`,
	}, {
		Format: model.FormatTerraform, Path: "main.tf",
		Bad: `resource "aws_ecs_task_definition" "logs" {
  family = "logs"
  volume {
    name      = "etc"
    host_path = "/etc"
  }
  container_definitions = jsonencode([
    {
      name        = "logs"
      image       = "example/logs:1.0"
      mountPoints = [{ sourceVolume = "etc", containerPath = "/host/etc" }]
    }
  ])
}`,
		Good: `resource "aws_ecs_task_definition" "logs" {
  family = "logs"
  volume {
    name = "scratch"
  }
  container_definitions = jsonencode([
    {
      name        = "logs"
      image       = "example/logs:1.0"
      mountPoints = [{ sourceVolume = "scratch", containerPath = "/scratch" }]
    }
  ])
}`,
	}, {
		Format: model.FormatCompose, Path: "compose.yaml",
		Bad: `services:
  backup:
    image: example/backup:1.0
    volumes:
      - /etc:/host/etc`,
		Good: `services:
  backup:
    image: example/backup:1.0
    volumes:
      - ./data:/data
      - backups:/backups
volumes:
  backups: {}`,
	}, {
		Format: model.FormatDev, Path: ".devcontainer/devcontainer.json",
		Bad: `{
  "name": "ops",
  "image": "mcr.microsoft.com/devcontainers/base:ubuntu",
  "mounts": [
    "source=${localEnv:HOME}/.aws,target=/home/vscode/.aws,type=bind"
  ]
}`,
		Good: `{
  "name": "ops",
  "image": "mcr.microsoft.com/devcontainers/base:ubuntu",
  "mounts": [
    "source=ops-cache,target=/home/vscode/.cache,type=volume"
  ]
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
        - Name: etc
          Host:
            SourcePath: /etc
      ContainerDefinitions:
        - Name: app
          Image: example/app:1.0
          MountPoints:
            - SourceVolume: etc
              ContainerPath: /host/etc`,
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
		sensitive := "a sensitive part of the node's filesystem (credentials, other pods' data or kernel interfaces)"
		if !podLike(w) {
			// a Compose service, a CI job's container, an ECS task: a
			// host, not a node, and no pods on it
			sensitive = "a sensitive part of the host's filesystem (credentials, other containers' data or kernel interfaces)"
		}
		if w.Format == model.FormatDev {
			// a developer's machine: the keys and tokens in the home folder
			sensitive = "a sensitive part of the host's filesystem (the developer's keys and tokens, or system files)"
		}
		for _, hv := range hostVolumes(w) {
			switch {
			case model.WholeFilesystem(hv.vol.HostPath.Value):
				reportHostVolume(p, w, hv, Critical, "the host's whole filesystem: every credential on it, and the "+
					"container runtime's socket, which a read-only mount does not keep a process from connecting to")
			case hv.reach == model.ReachSensitive && len(hv.writers) > 0:
				reportHostVolume(p, w, hv, High, sensitive)
			case hv.reach == model.ReachSensitive:
				reportHostVolume(p, w, hv, Medium, sensitive)
			case hv.reach == model.ReachOther:
				reportHostVolume(p, w, hv, Medium, "")
			}
		}
	},
})
