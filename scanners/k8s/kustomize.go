package k8s

import (
	"path"
	"strings"

	"github.com/isolint/isolint/model"
	"github.com/isolint/isolint/scanners/yamldoc"
)

// IsKustomization reports whether p names a kustomization file, which
// kustomize finds by these names only.
func IsKustomization(p string) bool {
	switch path.Base(p) {
	case "kustomization.yaml", "kustomization.yml", "Kustomization":
		return true
	}
	return false
}

// ScanKustomization reads a kustomization for the files it applies as
// patches (patches[].path, patchesStrategicMerge, patchesJson6902[].path).
// The objects in those files are partial: a strategic-merge patch repeats
// only the fields it changes, so a setting it leaves out is not missing
// from what kustomize renders. Resources are scanned as ordinary manifests.
func ScanKustomization(file string, content []byte) *model.Project {
	p := &model.Project{}
	dir := path.Dir(file)
	for _, raw := range yamldoc.Split(content) {
		doc, err := yamldoc.Parse(file, raw)
		if err != nil {
			p.Notices = append(p.Notices, parseNotice(file, raw, err))
			continue
		}
		root := doc.Value()
		add := func(v yamldoc.Value) {
			rel, ok := v.Str()
			if !ok || rel == "" || strings.Contains(rel, "\n") || strings.Contains(rel, "://") || path.IsAbs(rel) {
				return // an inline patch, a remote one, or nothing
			}
			p.Patches = append(p.Patches, model.Patch{File: path.Clean(path.Join(dir, rel)), By: v.Loc()})
		}
		for _, it := range root.Get("patchesStrategicMerge").Items() {
			add(it)
		}
		for _, key := range []string{"patches", "patchesJson6902"} {
			for _, it := range root.Get(key).Items() {
				if it.IsScalar() {
					add(it) // the short form of kustomize v5: a bare path
				} else {
					add(it.Get("path"))
				}
			}
		}
		p.Notices = append(p.Notices, doc.Notices...)
	}
	return p
}
