package rules

import (
	"github.com/isolint/isolint/controls"
	"github.com/isolint/isolint/model"
)

var _ = register(&Rule{
	ID:         "privilege-escalation",
	Title:      "Container may gain privileges",
	Severity:   Medium,
	Confidence: ConfidenceHigh,
	Axis:       AxisHost,
	Formats:    []model.Format{model.FormatK8s, model.FormatCompose, model.FormatTerraform, model.FormatCFN},
	Controls: []controls.Ref{
		nist("AC-6(10)"), nist("AC-6"), csf("PR.PS-01"),
		pssRestricted("Privilege Escalation (v1.8+)"), cis("5.2.6"), sp190("4.4.3"),
	},
	Description: "Unless `allowPrivilegeEscalation` is `false`, the kernel's no_new_privs flag is not set and " +
		"a process in the container can gain privileges its parent did not have: through setuid and setgid " +
		"binaries in the image (sudo, su, ping on old images) or file capabilities. A privileged container, or " +
		"one that adds SYS_ADMIN, can always escalate, whatever the field says.",
	Fix: "Set `allowPrivilegeEscalation: false` in every container's securityContext (and remove " +
		"`privileged: true` and the SYS_ADMIN capability, which override it).",
	Examples: []Example{{
		Format: model.FormatK8s, Path: "pod.yaml",
		Bad: `apiVersion: v1
kind: Pod
metadata:
  name: web
spec:
  containers:
    - name: web
      image: example/web:1.0
      securityContext:
        allowPrivilegeEscalation: true`,
		Good: `apiVersion: v1
kind: Pod
metadata:
  name: web
spec:
  containers:
    - name: web
      image: example/web:1.0
      securityContext:
        allowPrivilegeEscalation: false`,
	}, {
		Format: model.FormatTerraform, Path: "main.tf",
		Bad: `resource "kubernetes_pod_v1" "web" {
  metadata {
    name = "web"
  }
  spec {
    service_account_name = "web"
    container {
      name  = "web"
      image = "example/web:1.0"
    }
  }
}`,
		Good: `resource "kubernetes_pod_v1" "web" {
  metadata {
    name = "web"
  }
  spec {
    service_account_name = "web"
    container {
      name  = "web"
      image = "example/web:1.0"
      security_context {
        allow_privilege_escalation = false
      }
    }
  }
}`,
	}, {
		Format: model.FormatCompose, Path: "compose.yaml",
		Bad: `services:
  web:
    image: example/web:1.0
    user: root`,
		Good: `services:
  web:
    image: example/web:1.0
    user: root
    security_opt:
      - no-new-privileges:true`,
	}, {
		Format: model.FormatCFN, Path: "template.yaml",
		Bad: `AWSTemplateFormatVersion: "2010-09-09"
Resources:
  Agent:
    Type: AWS::ECS::TaskDefinition
    Properties:
      RequiresCompatibilities: [EC2]
      TaskRoleArn: arn:aws:iam::123456789012:role/agent
      ContainerDefinitions:
        - Name: agent
          Image: example/agent:1.0
          User: root
          ReadonlyRootFilesystem: true`,
		Good: `AWSTemplateFormatVersion: "2010-09-09"
Resources:
  Agent:
    Type: AWS::ECS::TaskDefinition
    Properties:
      RequiresCompatibilities: [EC2]
      TaskRoleArn: arn:aws:iam::123456789012:role/agent
      ContainerDefinitions:
        - Name: agent
          Image: example/agent:1.0
          User: root
          ReadonlyRootFilesystem: true
          DockerSecurityOptions: [no-new-privileges]`,
	}},
	Workload: func(p *Pass, w *model.Workload) {
		if w.OS == "windows" {
			return // no_new_privs is a Linux flag; the field is rejected on Windows pods
		}
		if w.Format == model.FormatCompose || !w.Offers(model.SettingAllowPrivilegeEscalation) && w.Offers(model.SettingNoNewPrivileges) {
			// Compose's flag is security_opt no-new-privileges, ECS's
			// dockerSecurityOptions no-new-privileges
			noNewPrivilegesEscalation(p, w)
			return
		}
		if !w.Offers(model.SettingAllowPrivilegeEscalation) {
			return // Lambda, Fargate, Batch …: no such setting to choose
		}
		var g byDecidingKey
		for _, c := range w.Containers {
			e := model.Effective(w, c)
			ape := e.AllowPrivilegeEscalation
			if ape.Unknown {
				continue
			}
			overridden := ""
			if e.Privileged.IsTrue() {
				overridden = "it runs privileged"
			} else {
				for _, capName := range e.CapAdd {
					if n := model.Capability(capName.Value); capName.Known() && (n == "SYS_ADMIN" || n == "ALL") {
						overridden = "it adds " + n
						break
					}
				}
			}
			const escalate = "a setuid binary or file capability can make a process root"
			switch {
			case ape.IsFalse() && overridden != "":
				g.add(c, decision{Loc: ape.Loc, Via: ape.Via, What: "allowPrivilegeEscalation: false has no effect, as " + overridden})
			case ape.IsTrue():
				g.add(c, decision{Loc: ape.Loc, Via: ape.Via, What: "allowPrivilegeEscalation: true, so " + escalate})
			case !ape.Set && overridden != "":
				g.add(c, decision{Loc: e.Loc, What: "can gain privileges, as " + overridden + " and allowPrivilegeEscalation is not false"})
			case !ape.Set && !w.Partial: // a partial definition that leaves it unset changes nothing
				g.add(c, decision{Loc: missingAt(e.Loc), What: "allowPrivilegeEscalation is not set to false, so " + escalate})
			}
		}
		g.report(p, w, func(who string, _ bool, d decision) string { return who + ": " + d.What })
	},
})

// escalationOverride says why no_new_privs cannot hold: the container runs
// privileged or adds SYS_ADMIN ("" when neither).
func escalationOverride(e model.SecurityContext) string {
	if e.Privileged.IsTrue() {
		return "it runs privileged"
	}
	for _, capName := range e.CapAdd {
		if n := model.Capability(capName.Value); capName.Known() && (n == "SYS_ADMIN" || n == "ALL") {
			return "it adds " + n
		}
	}
	return ""
}

// noNewPrivilegesEscalation is the form of the check for platforms whose
// flag is a no-new-privileges security option (Compose security_opt, ECS
// dockerSecurityOptions): as RULES.md decides for Compose, a container is
// reported only when it may run as root (explicitly: the rule's
// confidence; by its image's default: low confidence).
func noNewPrivilegesEscalation(p *Pass, w *model.Workload) {
	opt := "security_opt"
	var g byDecidingKey
	for _, c := range w.Containers {
		e := model.Effective(w, c)
		nnp := e.NoNewPrivileges
		if nnp.Unknown || e.User.Unknown {
			continue
		}
		state, _ := e.Root()
		if state == model.NonRoot {
			continue
		}
		if w.Format != model.FormatCompose {
			opt = lastKey(nnp.Loc.Path, "dockerSecurityOptions")
		}
		conf := ConfidenceHigh
		if state == model.RootUnknown {
			conf = ConfidenceLow
		}
		overridden := escalationOverride(e)
		const escalate = "a setuid binary or file capability can raise a process's privileges"
		switch {
		case nnp.IsTrue() && overridden != "":
			g.add(c, decision{Loc: nnp.Loc, Via: nnp.Via, What: "no-new-privileges has no effect, as " + overridden, Confidence: conf})
		case nnp.IsFalse():
			g.add(c, decision{Loc: nnp.Loc, Via: nnp.Via, What: "no-new-privileges:false and it may run as root, so " + escalate, Confidence: conf})
		case !nnp.Set && !w.Partial && overridden != "":
			g.add(c, decision{Loc: nnp.Loc, What: "can gain privileges, as " + overridden + " and " + opt + " has no no-new-privileges:true", Confidence: conf})
		case !nnp.Set && !w.Partial:
			g.add(c, decision{Loc: missingAt(nnp.Loc), What: opt + " has no no-new-privileges:true and it may run as root, so " + escalate, Confidence: conf})
		}
	}
	g.report(p, w, func(who string, _ bool, d decision) string { return who + ": " + d.What })
}
