package engine

import (
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/isolint/isolint/internal/testfiles"
	"github.com/isolint/isolint/model"
)

// An overlay scanned on its own builds with its base from the git work
// tree around it, as `kustomize build deploy/overlays/prod` does; without a
// work tree the scan root is the limit and the overlay is not checked.
func TestOverlayReadsBasesInItsWorkTree(t *testing.T) {
	files := map[string]string{
		"deploy/base/kustomization.yaml": "resources: [pod.yaml]\n",
		"deploy/base/pod.yaml": `apiVersion: v1
kind: Pod
metadata:
  name: web
spec:
  hostNetwork: true
  containers:
    - name: web
      image: example/web:1
`,
		"deploy/overlays/prod/kustomization.yaml": "resources: [../../base]\nnamespace: prod\n",
	}
	for _, repo := range []bool{true, false} {
		dir := t.TempDir()
		testfiles.WriteTree(t, dir, files)
		if repo {
			if err := os.Mkdir(filepath.Join(dir, ".git"), 0o755); err != nil {
				t.Fatal(err)
			}
		}
		res, err := Run(Options{Paths: []string{filepath.Join(dir, "deploy/overlays/prod")}, Base: dir, Now: time.Date(2026, 6, 1, 0, 0, 0, 0, time.UTC)})
		if err != nil {
			t.Fatal(err)
		}
		hostNet, failed := false, 0
		for _, f := range res.Findings {
			if f.RuleID == "host-network" && f.Loc.File == "deploy/base/pod.yaml" {
				hostNet = true
			}
		}
		if st := res.Stats.Renderings[model.RenderKustomize]; st != nil {
			failed = st.Failed
		}
		if repo && (!hostNet || failed != 0) {
			t.Errorf("in a work tree: host-network on the base line = %v, failed renderings = %d", hostNet, failed)
		}
		if !repo && (hostNet || failed != 1) {
			t.Errorf("without a work tree: host-network = %v, failed renderings = %d (want not checked)", hostNet, failed)
		}
	}
}

// Display paths relative to a folder inside the work tree the overlays are
// built in (Options.Base below the git root) name the overlay and its files
// from that folder, and the files an overlay reads are reported through
// the build only, not a second time as plain manifests.
func TestOverlayDisplayBelowWorkTree(t *testing.T) {
	dir := t.TempDir()
	files := map[string]string{
		".git/HEAD":                                    "ref: refs/heads/main\n",
		"apps/deploy/base/kustomization.yaml":          "resources: [pod.yaml]\n",
		"apps/deploy/base/pod.yaml":                    "apiVersion: v1\nkind: Pod\nmetadata:\n  name: web\nspec:\n  hostNetwork: true\n  containers:\n    - name: web\n      image: example/web:1\n",
		"apps/deploy/overlays/prod/kustomization.yaml": "resources: [../../base]\nnamespace: prod\n",
	}
	testfiles.WriteTree(t, dir, files)
	apps := filepath.Join(dir, "apps")
	res, err := Run(Options{Paths: []string{apps}, Base: apps, Now: time.Date(2026, 6, 1, 0, 0, 0, 0, time.UTC)})
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Renderings) != 1 || res.Renderings[0].Path != "deploy/overlays/prod" || res.Renderings[0].Failed {
		t.Errorf("renderings: %+v, want overlay deploy/overlays/prod built", res.Renderings)
	}
	n := 0
	for _, f := range res.Findings {
		if f.RuleID == "host-network" {
			n++
			if f.Loc.File != "deploy/base/pod.yaml" || f.Unit != "deploy/overlays/prod" {
				t.Errorf("host-network at %s in unit %q", f.Loc.File, f.Unit)
			}
		}
	}
	if n != 1 {
		t.Errorf("%d host-network findings, want 1 (through the build only)", n)
	}
}
