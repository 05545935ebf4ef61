package rules

import (
	"github.com/isolint/isolint/controls"
	"github.com/isolint/isolint/model"
)

var _ = register(&Rule{
	ID:         "unconfined-profile",
	Title:      "Seccomp, AppArmor or SELinux confinement disabled",
	Severity:   High,
	Confidence: ConfidenceHigh,
	Axis:       AxisHost,
	Formats:    []model.Format{model.FormatK8s, model.FormatCompose, model.FormatGHA, model.FormatGitLab, model.FormatDev, model.FormatTerraform, model.FormatCFN},
	Controls: []controls.Ref{
		nist("CM-7"), nist("SC-39"), csf("PR.PS-01"),
		when(pssBaseline("Seccomp"), "seccomp profiles", `seccomp`, ""),
		when(pssBaseline("AppArmor"), "AppArmor profiles", `AppArmor`, ""),
		when(pssBaseline("SELinux"), "SELinux options", `SELinux`, ""),
		when(pssRestricted("Seccomp (v1.19+)"), "seccomp profiles", `seccomp`, ""),
		when(cis("5.6.2"), "seccomp profiles", `seccomp`, ""), sp190("4.4.3"),
	},
	Description: "Seccomp filters the system calls a container may make, AppArmor and SELinux confine what it " +
		"may touch; together they stop most kernel exploits and container escapes that a root process would " +
		"otherwise try. Reported where a profile is explicitly switched off: seccomp `Unconfined` (the " +
		"`seccompProfile` field at pod or container level, or the legacy `seccomp.security.alpha.kubernetes.io` " +
		"annotations), AppArmor `Unconfined` (the `appArmorProfile` field or the " +
		"`container.apparmor.security.beta.kubernetes.io` annotation), and the SELinux types `spc_t` and " +
		"`unconfined_t`. A pod-level setting that several containers inherit is reported once.",
	Fix: "Use `seccompProfile: {type: RuntimeDefault}` (or a Localhost profile written for the workload), " +
		"remove AppArmor `Unconfined` and unconfined SELinux types; if a tool truly needs a syscall the " +
		"default profile blocks, write a Localhost profile that allows just that call.",
	Examples: []Example{{
		Format: model.FormatK8s, Path: "pod.yaml",
		Bad: `apiVersion: v1
kind: Pod
metadata:
  name: web
spec:
  securityContext:
    seccompProfile:
      type: Unconfined
  containers:
    - name: web
      image: example/web:1.0`,
		Good: `apiVersion: v1
kind: Pod
metadata:
  name: web
spec:
  securityContext:
    seccompProfile:
      type: RuntimeDefault
  containers:
    - name: web
      image: example/web:1.0`,
	}, {
		Format: model.FormatCompose, Path: "compose.yaml",
		Bad: `services:
  tracer:
    image: example/tracer:1.0
    security_opt:
      - seccomp:unconfined`,
		Good: `services:
  tracer:
    image: example/tracer:1.0
    security_opt:
      - seccomp:./tracer-seccomp.json`,
	}, {
		Format: model.FormatGHA, Path: ".github/workflows/trace.yml",
		Bad: `on: push
permissions:
  contents: read
jobs:
  trace:
    runs-on: ubuntu-latest
    steps:
      - run: docker run --rm --security-opt seccomp=unconfined example/tracer:1.0`,
		Good: `on: push
permissions:
  contents: read
jobs:
  trace:
    runs-on: ubuntu-latest
    steps:
      - run: docker run --rm example/tracer:1.0`,
	}, {
		Format: model.FormatGitLab, Path: ".gitlab-ci.yml",
		Bad: `trace:
  script:
    - docker run --rm --security-opt seccomp=unconfined example/tracer:1.0`,
		Good: `trace:
  script:
    - docker run --rm example/tracer:1.0`,
	}, {
		Format: model.FormatDev, Path: ".devcontainer/devcontainer.json",
		Bad: `{
  "name": "debug",
  "image": "mcr.microsoft.com/devcontainers/cpp:ubuntu",
  "securityOpt": ["seccomp=unconfined"]
}`,
		Good: `{
  "name": "debug",
  "image": "mcr.microsoft.com/devcontainers/cpp:ubuntu",
  "securityOpt": ["seccomp=.devcontainer/debug-seccomp.json"]
}`,
	}, {
		Format: model.FormatTerraform, Path: "main.tf",
		Bad: `resource "aws_ecs_task_definition" "tracer" {
  family        = "tracer"
  task_role_arn = "arn:aws:iam::123456789012:role/tracer"
  container_definitions = jsonencode([{
    name                   = "tracer"
    image                  = "example/tracer:1.0"
    readonlyRootFilesystem = true
    dockerSecurityOptions  = ["no-new-privileges", "seccomp:unconfined"]
  }])
}`,
		Good: `resource "aws_ecs_task_definition" "tracer" {
  family        = "tracer"
  task_role_arn = "arn:aws:iam::123456789012:role/tracer"
  container_definitions = jsonencode([{
    name                   = "tracer"
    image                  = "example/tracer:1.0"
    readonlyRootFilesystem = true
    dockerSecurityOptions  = ["no-new-privileges"]
  }])
}`,
	}, {
		Format: model.FormatCFN, Path: "template.yaml",
		Bad: `AWSTemplateFormatVersion: "2010-09-09"
Resources:
  Tracer:
    Type: AWS::ECS::TaskDefinition
    Properties:
      TaskRoleArn: arn:aws:iam::123456789012:role/tracer
      ContainerDefinitions:
        - Name: tracer
          Image: example/tracer:1.0
          ReadonlyRootFilesystem: true
          DockerSecurityOptions: [no-new-privileges, "apparmor:unconfined"]`,
		Good: `AWSTemplateFormatVersion: "2010-09-09"
Resources:
  Tracer:
    Type: AWS::ECS::TaskDefinition
    Properties:
      TaskRoleArn: arn:aws:iam::123456789012:role/tracer
      ContainerDefinitions:
        - Name: tracer
          Image: example/tracer:1.0
          ReadonlyRootFilesystem: true
          DockerSecurityOptions: [no-new-privileges]`,
	}},
	Workload: func(p *Pass, w *model.Workload) {
		if w.OS == "windows" {
			return // seccomp, AppArmor and SELinux are Linux-only; the API server rejects them on Windows pods
		}
		var g byDecidingKey
		for _, c := range w.Containers {
			e := model.Effective(w, c)
			if s := e.Seccomp; s.Known() && s.Value == "Unconfined" {
				g.add(c, decision{Loc: s.Loc, Via: s.Via, What: "without a seccomp profile (Unconfined): every system call is allowed"})
			}
			if a := e.AppArmor; a.Known() && a.Value == "Unconfined" {
				g.add(c, decision{Loc: a.Loc, Via: a.Via, What: "without an AppArmor profile (Unconfined)"})
			}
			if t := e.SELinuxType; t.Known() && (t.Value == "spc_t" || t.Value == "unconfined_t") {
				g.add(c, decision{Loc: t.Loc, Via: t.Via, What: "as SELinux type " + t.Value + ", which SELinux does not confine"})
			}
			if d := e.SELinuxDisabled; d.IsTrue() {
				g.add(c, decision{Loc: d.Loc, Via: d.Via, What: "with SELinux labelling disabled"})
			}
		}
		g.report(p, w, func(who string, many bool, d decision) string {
			return who + verb(many, " runs ", " run ") + d.What
		})
	},
})
