package k8s

import "strings"

// podKinds maps API group and kind to the path of the pod spec inside the
// object. The pod template's metadata (labels, annotations) is the sibling
// "metadata" of the spec, or the object's own for a Pod.
var podKinds = map[string]string{
	"/Pod":                   "spec",
	"/PodTemplate":           "template.spec",
	"/ReplicationController": "spec.template.spec",

	"apps/Deployment":                    "spec.template.spec",
	"apps/StatefulSet":                   "spec.template.spec",
	"apps/DaemonSet":                     "spec.template.spec",
	"apps/ReplicaSet":                    "spec.template.spec",
	"extensions/Deployment":              "spec.template.spec",
	"extensions/DaemonSet":               "spec.template.spec",
	"extensions/ReplicaSet":              "spec.template.spec",
	"batch/Job":                          "spec.template.spec",
	"batch/CronJob":                      "spec.jobTemplate.spec.template.spec",
	"apps.openshift.io/DeploymentConfig": "spec.template.spec",
	"/DeploymentConfig":                  "spec.template.spec", // OpenShift 3's legacy v1 API
	"argoproj.io/Rollout":                "spec.template.spec",
	"serving.knative.dev/Service":        "spec.template.spec",
	"serving.knative.dev/Configuration":  "spec.template.spec",
	"keda.sh/ScaledJob":                  "spec.jobTargetRef.template.spec",
}

// otherKinds are the non-workload kinds the rules read.
var otherKinds = map[string]bool{
	"/ServiceAccount":                              true,
	"/Secret":                                      true, // service-account-token Secrets only
	"rbac.authorization.k8s.io/Role":               true,
	"rbac.authorization.k8s.io/ClusterRole":        true,
	"rbac.authorization.k8s.io/RoleBinding":        true,
	"rbac.authorization.k8s.io/ClusterRoleBinding": true,
	"networking.k8s.io/NetworkPolicy":              true,
	"extensions/NetworkPolicy":                     true,
}

// clusterScoped kinds have no namespace.
var clusterScoped = map[string]bool{
	"ClusterRole": true, "ClusterRoleBinding": true,
}

// CustomKind maps a user's custom resource to the path of its pod spec.
type CustomKind struct {
	APIVersion string // group/version, e.g. "example.com/v1"; the version is ignored
	Kind       string
	PodSpec    string // dot path, e.g. "spec.template.spec"
}

// Options configure the Kubernetes scanner.
type Options struct {
	CustomKinds []CustomKind
}

// group returns the API group of an apiVersion ("apps/v1" → "apps",
// "v1" → "").
func group(apiVersion string) string {
	if i := strings.IndexByte(apiVersion, '/'); i >= 0 {
		return apiVersion[:i]
	}
	return ""
}

// kindIndex answers which kinds the scanner reads, for the cheap pre-parse
// filter and for lowering.
type kindIndex struct {
	pod    map[string]string // group/kind → pod spec path
	names  map[string]bool   // kinds worth parsing, whatever the group
	groups map[string]bool   // group/kind of every kind worth parsing
}

func newKindIndex(opts Options) *kindIndex {
	ix := &kindIndex{pod: map[string]string{}, names: map[string]bool{"List": true}, groups: map[string]bool{}}
	for k, p := range podKinds {
		ix.pod[k] = p
		ix.names[k[strings.IndexByte(k, '/')+1:]] = true
		ix.groups[k] = true
	}
	for k := range otherKinds {
		ix.names[k[strings.IndexByte(k, '/')+1:]] = true
		ix.groups[k] = true
	}
	for _, c := range opts.CustomKinds {
		ix.pod[group(c.APIVersion)+"/"+c.Kind] = c.PodSpec
		ix.names[c.Kind] = true
		ix.groups[group(c.APIVersion)+"/"+c.Kind] = true
	}
	return ix
}

// wanted reports whether a document of this kind may hold anything the
// rules read; other documents are never parsed.
func (ix *kindIndex) wanted(kind string) bool {
	return ix.names[kind] || strings.HasSuffix(kind, "List")
}

// wantedIn is wanted, also judging the API group when the document's
// apiVersion is known: a core v1 Service is not a Knative Service.
func (ix *kindIndex) wantedIn(apiVersion, kind string) bool {
	if strings.HasSuffix(kind, "List") {
		return true
	}
	return ix.groups[group(apiVersion)+"/"+kind]
}
