package kustomize

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/isolint/isolint/internal/testfiles"
)

// FuzzRender builds an overlay whose kustomization and patch are fuzzed,
// over a fixed base: whatever the input, a build either succeeds or
// fails with a notice, never panics, and every built key maps to a line.
func FuzzRender(f *testing.F) {
	f.Add("resources: [../base]\npatches: [{path: p.yaml}]\n", "apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: web}\nspec: {replicas: 2}\n")
	f.Add("resources: [../base]\npatches:\n  - target: {kind: Deployment}\n    patch: |-\n      - {op: add, path: /spec/x, value: 1}\n", "")
	f.Add("resources: [../base]\nnamespace: x\nnamePrefix: p-\ncomponents: [../base]\n", "")
	f.Add("resources: [../base, p.yaml]\nimages: [{name: example/web, newTag: '2'}]\nreplicas: [{name: web, count: 3}]\n", "apiVersion: v1\nkind: Pod\nmetadata: {name: p}\n")
	f.Add("patchesStrategicMerge: [p.yaml]\nresources: [../base]\n", "- op: remove\n  path: /spec\n")
	root, err := filepath.EvalSymlinks(f.TempDir())
	if err != nil {
		f.Fatal(err)
	}
	testfiles.WriteTree(f, root, map[string]string{"base/kustomization.yaml": "resources: [deploy.yaml]\n", "base/deploy.yaml": base})
	f.Fuzz(func(t *testing.T, kustomization, patch string) {
		dir := filepath.Join(root, "ov")
		if err := os.MkdirAll(dir, 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(dir, "kustomization.yaml"), []byte(kustomization), 0o644); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(dir, "p.yaml"), []byte(patch), 0o644); err != nil {
			t.Fatal(err)
		}
		res := render(t, root, "base/kustomization.yaml", "ov/kustomization.yaml")
		for _, ov := range res.Overlays {
			if ov.Result.Failed && len(ov.Notices) == 0 && ov.Result.Err == "" {
				t.Errorf("%s failed without a word", ov.Dir)
			}
			for _, d := range ov.Docs {
				for line := 1; line <= 40; line++ {
					if l, _ := d.Origin.Locate(modelLoc(line)); l.File == "" || l.Line < 1 {
						t.Errorf("%s: built line %d maps to %+v", ov.Dir, line, l)
					}
				}
			}
		}
	})
}
