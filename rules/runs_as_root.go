package rules

import (
	"strings"

	"github.com/isolint/isolint/controls"
	"github.com/isolint/isolint/model"
)

var _ = register(&Rule{
	ID:         "runs-as-root",
	Title:      "Container may run as root",
	Severity:   Medium,
	Confidence: ConfidenceMedium,
	Axis:       AxisHost,
	Formats:    []model.Format{model.FormatK8s, model.FormatTerraform},
	Controls: []controls.Ref{
		nhi(5), nist("AC-6"), nist("AC-6(10)"), csf("PR.PS-01"),
		pssRestricted("Running as Non-root"), pssRestricted("Running as Non-root user (v1.23+)"),
		cis("5.2.7"), sp190("4.4.3"),
	},
	Description: "A process running as uid 0 owns every file the container can reach, including mounted " +
		"secrets and host paths, and is one kernel bug away from root on the node. Explicit root " +
		"(`runAsUser: 0`, `user: root`) is reported with high confidence; a container that sets neither " +
		"`runAsNonRoot: true` nor a non-zero user at pod or container level runs as whatever user its " +
		"image names, which is root for most images, and is reported with low confidence.",
	Fix: "Set `runAsNonRoot: true` and a non-zero `runAsUser` in the pod's or the container's " +
		"securityContext (Compose: `user: \"10001:10001\"`), and build the image with a non-root USER.",
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
        runAsUser: 0`,
		Good: `apiVersion: v1
kind: Pod
metadata:
  name: web
spec:
  securityContext:
    runAsNonRoot: true
    runAsUser: 10001
  containers:
    - name: web
      image: example/web:1.0`,
	}, {
		Format: model.FormatTerraform, Path: "main.tf",
		Bad: `resource "aws_ecs_task_definition" "web" {
  family = "web"
  container_definitions = jsonencode([
    { name = "web", image = "example/web:1.0", user = "root" }
  ])
}`,
		Good: `resource "aws_ecs_task_definition" "web" {
  family = "web"
  container_definitions = jsonencode([
    { name = "web", image = "example/web:1.0", user = "10001:10001" }
  ])
}`,
	}},
	Workload: func(p *Pass, w *model.Workload) {
		if w.OS == "windows" {
			return // Windows containers run as a user name, not a uid
		}
		for _, c := range w.Containers {
			state, loc := model.Effective(w, c).Root()
			switch state {
			case model.RootExplicit:
				p.Report(Finding{
					Confidence: ConfidenceHigh,
					Message:    c.Display() + " of " + w.Display() + " runs as root (uid 0)",
					Loc:        loc, Format: w.Format, Object: w.ID(), Workload: w.Name,
				})
			case model.RootUnknown:
				if !podLike(w) {
					continue // ECS, Lambda, Cloud Run …: the image decides, and nothing is written to judge
				}
				p.Report(Finding{
					Confidence: ConfidenceLow,
					Message:    c.Display() + " of " + w.Display() + " sets neither runAsNonRoot: true nor a non-zero runAsUser; it runs as root if its image does",
					Loc:        c.Security.Loc, Format: w.Format, Object: w.ID(), Workload: w.Name,
				})
			}
		}
	},
})

// podLike reports a workload with a Kubernetes pod spec: a manifest, or a
// Terraform kubernetes_* resource, where a missing runAsNonRoot is a choice.
func podLike(w *model.Workload) bool {
	return w.Format == model.FormatK8s || strings.HasPrefix(w.Kind, "kubernetes_")
}
