package k8s

import "path"

// IsKustomization reports whether p names a kustomization file, which
// kustomize finds by these names only. Such a file is not a manifest: the
// engine builds the overlay it defines (render/kustomize) and lowers the
// built objects with ScanDocs.
func IsKustomization(p string) bool {
	switch path.Base(p) {
	case "kustomization.yaml", "kustomization.yml", "Kustomization":
		return true
	}
	return false
}
