package rules

import (
	"github.com/isolint/isolint/controls"
	"github.com/isolint/isolint/model"
)

// baselineCapabilities are the capabilities the Pod Security Standards'
// Baseline profile lets a container add (the container runtime's default
// set less NET_RAW):
// https://kubernetes.io/docs/concepts/security/pod-security-standards/#baseline
// Adding anything else is a Baseline violation, in every format: Compose,
// CI and dev containers run the same runtimes with the same default set.
var baselineCapabilities = map[string]bool{
	"AUDIT_WRITE": true, "CHOWN": true, "DAC_OVERRIDE": true, "FOWNER": true,
	"FSETID": true, "KILL": true, "MKNOD": true, "NET_BIND_SERVICE": true,
	"SETFCAP": true, "SETGID": true, "SETPCAP": true, "SETUID": true,
	"SYS_CHROOT": true,
}

var _ = register(&Rule{
	ID:         "dangerous-capability",
	Title:      "Capability that breaks isolation added",
	Severity:   High,
	Confidence: ConfidenceHigh,
	Axis:       AxisHost,
	Formats:    []model.Format{model.FormatK8s, model.FormatCompose, model.FormatGHA, model.FormatGitLab, model.FormatTerraform, model.FormatDev, model.FormatCFN},
	Controls: []controls.Ref{
		nhi(5), nist("AC-6"), nist("CM-7"), csf("PR.PS-01"),
		pssBaseline("Capabilities"), pssRestricted("Capabilities (v1.22+)"),
		cis("5.2.8"), cis("5.2.9"), sp190("4.4.3"),
	},
	Description: "Linux capabilities split root's power into pieces; some pieces are enough to leave the " +
		"container. Every added capability outside the Pod Security Standards Baseline's allowed list " +
		"(AUDIT_WRITE, CHOWN, DAC_OVERRIDE, FOWNER, FSETID, KILL, MKNOD, NET_BIND_SERVICE, SETFCAP, SETGID, " +
		"SETPCAP, SETUID, SYS_CHROOT) is reported. Severity follows what the capability allows: ALL, SYS_ADMIN, " +
		"NET_ADMIN, SYS_PTRACE, SYS_MODULE, DAC_READ_SEARCH, SYS_RAWIO, BPF and PERFMON (an escape, or reading " +
		"other workloads) are high; NET_RAW (packet forging on the node network), MAC_ADMIN, MAC_OVERRIDE, " +
		"SYS_BOOT, SYS_TIME, AUDIT_CONTROL and every other capability are medium. Names are compared as the " +
		"runtime does: case-insensitive, with or without CAP_.",
	Fix: "Drop the capability from `capabilities.add` (Compose `cap_add`), start from `drop: [ALL]` and add " +
		"back only what the process is proven to need (often just NET_BIND_SERVICE).",
	Examples: []Example{{
		Format: model.FormatK8s, Path: "pod.yaml",
		Bad: `apiVersion: v1
kind: Pod
metadata:
  name: vpn
spec:
  containers:
    - name: vpn
      image: example/vpn:1.0
      securityContext:
        capabilities:
          add: [NET_ADMIN]`,
		Good: `apiVersion: v1
kind: Pod
metadata:
  name: web
spec:
  containers:
    - name: web
      image: example/web:1.0
      securityContext:
        capabilities:
          drop: [ALL]
          add: [NET_BIND_SERVICE]`,
	}, {
		Format: model.FormatGHA, Path: ".github/workflows/fuse.yml",
		Bad: `on: push
permissions:
  contents: read
jobs:
  mount:
    runs-on: ubuntu-latest
    steps:
      - run: docker run --rm --cap-add SYS_ADMIN example/fuse:1.0`,
		Good: `on: push
permissions:
  contents: read
jobs:
  mount:
    runs-on: ubuntu-latest
    steps:
      - run: docker run --rm --cap-drop ALL example/fuse:1.0`,
	}, {
		Format: model.FormatGitLab, Path: ".gitlab-ci.yml",
		Bad: `mount:
  script:
    - docker run --rm --cap-add SYS_ADMIN example/fuse:1.0`,
		Good: `mount:
  script:
    - docker run --rm --cap-drop ALL example/fuse:1.0`,
	}, {
		Format: model.FormatTerraform, Path: "main.tf",
		Bad: `resource "aws_ecs_task_definition" "vpn" {
  family = "vpn"
  container_definitions = jsonencode([
    {
      name            = "vpn"
      image           = "example/vpn:1.0"
      linuxParameters = { capabilities = { add = ["SYS_ADMIN"] } }
    }
  ])
}`,
		Good: `resource "aws_ecs_task_definition" "vpn" {
  family = "vpn"
  container_definitions = jsonencode([
    {
      name            = "vpn"
      image           = "example/vpn:1.0"
      linuxParameters = { capabilities = { drop = ["ALL"] } }
    }
  ])
}`,
	}, {
		Format: model.FormatCompose, Path: "compose.yaml",
		Bad: `services:
  vpn:
    image: example/vpn:1.0
    cap_add:
      - NET_ADMIN`,
		Good: `services:
  vpn:
    image: example/vpn:1.0
    cap_drop:
      - ALL
    cap_add:
      - NET_BIND_SERVICE`,
	}, {
		Format: model.FormatDev, Path: ".devcontainer/devcontainer.json",
		Bad: `{
  "name": "vpn",
  "image": "mcr.microsoft.com/devcontainers/base:ubuntu",
  "capAdd": ["NET_ADMIN"]
}`,
		Good: `{
  "name": "web",
  "image": "mcr.microsoft.com/devcontainers/base:ubuntu",
  "capAdd": ["NET_BIND_SERVICE"]
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
          LinuxParameters:
            Capabilities:
              Add: [SYS_ADMIN]`,
		Good: `AWSTemplateFormatVersion: "2010-09-09"
Resources:
  Task:
    Type: AWS::ECS::TaskDefinition
    Properties:
      TaskRoleArn: arn:aws:iam::123456789012:role/app
      ContainerDefinitions:
        - Name: app
          Image: example/app:1.0
          LinuxParameters:
            Capabilities:
              Drop: [ALL]`,
	}},
	Workload: func(p *Pass, w *model.Workload) {
		if w.OS == "windows" {
			return // capabilities are Linux-only; the API server rejects them on Windows pods
		}
		var g byDecidingKey
		for _, c := range w.Containers {
			for _, capName := range model.Effective(w, c).CapAdd {
				if !capName.Known() {
					continue
				}
				name := model.Capability(capName.Value)
				if name == "" || baselineCapabilities[name] {
					continue
				}
				what, sev := name+" (outside the Pod Security Baseline's allowed capabilities)", Medium
				if power, escape, ok := model.CapabilityPower(name); ok {
					what, sev = name+" ("+power+")", Medium
					if escape {
						sev = High
					}
				}
				g.add(c, decision{Loc: capName.Loc, Via: capName.Via, What: what, Severity: sev})
			}
		}
		g.report(p, w, func(who string, many bool, d decision) string {
			return who + verb(many, " adds", " add") + " capability " + d.What
		})
	},
})
