package rules

import (
	"github.com/isolint/isolint/controls"
	"github.com/isolint/isolint/model"
)

var _ = register(&Rule{
	ID:         "service-account-token-automount",
	Title:      "Service account token mounted without need",
	Severity:   Medium,
	Confidence: ConfidenceHigh,
	Axis:       AxisSecrets,
	Formats:    []model.Format{model.FormatK8s, model.FormatTerraform},
	Controls: []controls.Ref{
		nhi(5), nhi(2), nist("AC-6"), nist("CM-7"), csf("PR.AA-05"), cis("5.1.6"),
	},
	Description: "Unless told otherwise, Kubernetes mounts a token for the pod's service account into every " +
		"container at /var/run/secrets/kubernetes.io/serviceaccount. Whoever gets code execution in any " +
		"container of the pod can then call the API server with that account's rights. Reported when " +
		"`automountServiceAccountToken` is not `false` on the pod and not `false` on its ServiceAccount " +
		"(when that object is in the scan; when it is not, with medium confidence). Terraform's kubernetes " +
		"provider defaults `automount_service_account_token` to true and sends it with the pod, so a " +
		"`kubernetes_*` workload that leaves it unset mounts the token whatever its ServiceAccount says.",
	Fix: "Set `automountServiceAccountToken: false` on the pod (or on its ServiceAccount). A workload that " +
		"does call the API should say so with `automountServiceAccountToken: true` on the pod and an ignore " +
		"with the reason, or mount a short-lived projected token only into the container that needs it.",
	Examples: []Example{{
		Format: model.FormatK8s, Path: "deploy.yaml",
		Bad: `apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
spec:
  template:
    spec:
      serviceAccountName: web
      containers:
        - name: web
          image: example/web:1.0`,
		Good: `apiVersion: v1
kind: ServiceAccount
metadata:
  name: web
automountServiceAccountToken: false
---
apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
spec:
  template:
    spec:
      serviceAccountName: web
      containers:
        - name: web
          image: example/web:1.0`,
	}, {
		Format: model.FormatTerraform, Path: "main.tf",
		Bad: `resource "kubernetes_deployment_v1" "web" {
  metadata {
    name = "web"
  }
  spec {
    template {
      metadata {}
      spec {
        service_account_name = "web"
        container {
          name  = "web"
          image = "example/web:1.0"
        }
      }
    }
  }
}`,
		Good: `resource "kubernetes_deployment_v1" "web" {
  metadata {
    name = "web"
  }
  spec {
    template {
      metadata {}
      spec {
        service_account_name            = "web"
        automount_service_account_token = false
        container {
          name  = "web"
          image = "example/web:1.0"
        }
      }
    }
  }
}`,
	}},
	Project: func(p *Pass, proj *model.Project) {
		accounts := map[string][]*model.ServiceAccount{}
		for _, sa := range proj.ServiceAccounts {
			accounts[sa.Key()] = append(accounts[sa.Key()], sa)
		}
		for _, w := range proj.Workloads {
			if !p.Rule.AppliesTo(w.Format) || w.Identity.Kind != model.IdentityK8sServiceAccount {
				continue
			}
			pod := w.AutomountToken
			if pod.Unknown || pod.IsFalse() || (w.Partial && !pod.Set) {
				continue // a partial definition that leaves the field unset changes nothing
			}
			var sa *model.ServiceAccount
			if !w.Identity.Unknown { // a templated account: whichever it is, it is not known here
				for _, a := range accounts[w.Identity.Key] {
					if model.SameUnit(a.Unit, w.Unit) {
						sa = a // the first definition deployed with the workload
						break
					}
				}
			}
			account := "service account " + w.Identity.Key
			if w.Identity.Unknown {
				account = "its service account"
			}
			switch {
			case pod.IsTrue():
				p.ReportAt(w, pod.Loc, pod.Via, "%s mounts the token of %s into every container (automountServiceAccountToken: true)", w.Display(), account)
			case !pod.Set && pod.Value:
				// Terraform's kubernetes provider sends true when the field is unset
				p.ReportAt(w, pod.Loc, pod.Via, "%s does not set automount_service_account_token = false, so the provider's default (true) mounts the token of %s into every container, whatever its ServiceAccount says", w.Display(), account)
			case sa == nil:
				p.Report(Finding{
					Confidence: ConfidenceMedium,
					Message:    w.Display() + " does not set automountServiceAccountToken: false, so the token of " + account + " is mounted into every container (unless the ServiceAccount, not in the scan, disables it)",
					Loc:        pod.Loc, Format: w.Format, Object: w.ID(), Workload: w.Name, Unit: w.Unit,
				})
			case sa.AutomountToken.Unknown || sa.AutomountToken.IsFalse():
			default:
				why := "does not disable automounting"
				if sa.AutomountToken.IsTrue() {
					why = "sets automountServiceAccountToken: true"
				}
				related := append([]model.Related{{Loc: sa.AutomountToken.Loc, Message: "ServiceAccount " + sa.Key() + " " + why}}, sa.AutomountToken.Via...)
				p.ReportAt(w, pod.Loc, related, "%s does not set automountServiceAccountToken: false and its ServiceAccount %s, so the token of %s is mounted into every container", w.Display(), why, account)
			}
		}
	},
})
