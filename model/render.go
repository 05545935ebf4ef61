package model

// Rendering says what happened to a Helm chart (with one value set) or a
// Kustomize overlay the scan found. A unit that failed to render was seen
// but not checked: the scan says so, and no control passes over it.
type Rendering struct {
	Kind    RenderKind
	Path    string // the chart or overlay folder, display path
	Release string // the value set a chart was rendered with ("default", "prod", "ci/minimal-values.yaml"); empty for Kustomize
	Failed  bool
	Err     string   // why it failed: names the template or file and line, never a value
	Loc     Location // where the failure is, when known (a template line)
	Objects int      // Kubernetes objects the rendering produced
}

// SameUnit reports whether objects of deployment units a and b can be
// deployed together, so that project-wide rules may join them (a workload
// and the RoleBinding of its service account, a NetworkPolicy and the pods
// it selects, two workloads sharing an identity). Objects built in one
// Kustomize overlay join each other; objects of alternative overlays never
// do; plain manifests (unit "") join every unit, since how they are
// deployed is not known.
func SameUnit(a, b string) bool { return a == b || a == "" || b == "" }

// RenderKind names what was rendered.
type RenderKind string

const (
	RenderHelm      RenderKind = "helm"
	RenderKustomize RenderKind = "kustomize"
)
