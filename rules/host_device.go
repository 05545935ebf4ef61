package rules

import (
	"github.com/isolint/isolint/controls"
	"github.com/isolint/isolint/model"
)

var _ = register(&Rule{
	ID:         "host-device",
	Title:      "Host device exposed to a container",
	Severity:   High,
	Confidence: ConfidenceHigh,
	Axis:       AxisHost,
	Formats:    []model.Format{model.FormatK8s, model.FormatCompose, model.FormatGHA, model.FormatGitLab, model.FormatDev, model.FormatTerraform, model.FormatCFN},
	Controls: []controls.Ref{
		nist("SC-39"), nist("AC-6"), nist("CM-7"), csf("PR.PS-01"),
		pssBaseline("HostPath Volumes"), cis("5.2.11"), sp190("4.5.5"), sp190("4.4.3"),
		devOnly(asi(2)),
	},
	Description: "A host device node (a hostPath of type CharDevice or BlockDevice, or anything under /dev) " +
		"gives the container direct access to hardware or kernel interfaces: a block device holds the host's " +
		"filesystems, /dev/mem and /dev/kmsg expose kernel memory and logs, and /dev itself holds them all.",
	Fix: "Expose hardware through a device plugin (GPUs, FPGAs) and request it as a resource, or mount only " +
		"the single device node the process needs, read-only where it can be.",
	Examples: []Example{{
		Format: model.FormatK8s, Path: "pod.yaml",
		Bad: `apiVersion: v1
kind: Pod
metadata:
  name: disk-tool
spec:
  containers:
    - name: tool
      image: example/disk-tool:1.0
      volumeMounts:
        - name: disk
          mountPath: /dev/sda
  volumes:
    - name: disk
      hostPath:
        path: /dev/sda
        type: BlockDevice`,
		Good: `apiVersion: v1
kind: Pod
metadata:
  name: gpu-job
spec:
  containers:
    - name: train
      image: example/train:1.0
      resources:
        limits:
          nvidia.com/gpu: 1`,
	}, {
		Format: model.FormatCompose, Path: "compose.yaml",
		Bad: `services:
  serial:
    image: example/serial:1.0
    devices:
      - /dev/ttyUSB0:/dev/ttyUSB0`,
		Good: `services:
  serial:
    image: example/serial:1.0
    volumes:
      - ./firmware:/firmware:ro`,
	}, {
		Format: model.FormatGHA, Path: ".github/workflows/emulator.yml",
		Bad: `on: push
permissions:
  contents: read
jobs:
  emulate:
    runs-on: ubuntu-latest
    steps:
      - run: docker run --rm --device /dev/kvm example/emulator:1.0`,
		Good: `on: push
permissions:
  contents: read
jobs:
  emulate:
    runs-on: ubuntu-latest
    steps:
      - run: docker run --rm example/emulator:1.0 --no-accel`,
	}, {
		Format: model.FormatGitLab, Path: ".gitlab-ci.yml",
		Bad: `emulate:
  script:
    - docker run --rm --device /dev/kvm example/emulator:1.0`,
		Good: `emulate:
  script:
    - docker run --rm example/emulator:1.0 --no-accel`,
	}, {
		Format: model.FormatDev, Path: ".devcontainer/devcontainer.json",
		Bad: `{
  "name": "emulator",
  "image": "mcr.microsoft.com/devcontainers/base:ubuntu",
  "runArgs": ["--device=/dev/kvm"]
}`,
		Good: `{
  "name": "emulator",
  "image": "mcr.microsoft.com/devcontainers/base:ubuntu",
  "runArgs": ["--init"]
}`,
	}, {
		Format: model.FormatTerraform, Path: "main.tf",
		Bad: `resource "aws_ecs_task_definition" "emulator" {
  family        = "emulator"
  task_role_arn = "arn:aws:iam::123456789012:role/emulator"
  container_definitions = jsonencode([{
    name  = "emulator"
    image = "example/emulator:1.0"
    linuxParameters = {
      devices = [{ hostPath = "/dev/kvm", containerPath = "/dev/kvm" }]
    }
  }])
}`,
		Good: `resource "aws_ecs_task_definition" "emulator" {
  family        = "emulator"
  task_role_arn = "arn:aws:iam::123456789012:role/emulator"
  container_definitions = jsonencode([{
    name    = "emulator"
    image   = "example/emulator:1.0"
    command = ["--no-accel"]
  }])
}`,
	}, {
		Format: model.FormatCFN, Path: "template.yaml",
		Bad: `AWSTemplateFormatVersion: "2010-09-09"
Resources:
  Emulator:
    Type: AWS::ECS::TaskDefinition
    Properties:
      TaskRoleArn: arn:aws:iam::123456789012:role/emulator
      ContainerDefinitions:
        - Name: emulator
          Image: example/emulator:1.0
          LinuxParameters:
            Devices:
              - HostPath: /dev/kvm
                ContainerPath: /dev/kvm`,
		Good: `AWSTemplateFormatVersion: "2010-09-09"
Resources:
  Emulator:
    Type: AWS::ECS::TaskDefinition
    Properties:
      TaskRoleArn: arn:aws:iam::123456789012:role/emulator
      ContainerDefinitions:
        - Name: emulator
          Image: example/emulator:1.0
          Command: ["--no-accel"]`,
	}},
	Workload: func(p *Pass, w *model.Workload) {
		for _, hv := range hostVolumes(w) {
			if hv.reach == model.ReachDevice {
				reportHostVolume(p, w, hv, 0, "a host device, direct access to hardware or kernel interfaces")
			}
		}
	},
})
