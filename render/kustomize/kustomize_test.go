package kustomize

import (
	"bytes"
	"io"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/isolint/isolint/internal/testfiles"
	"github.com/isolint/isolint/model"
)

// tree writes files under a fresh root and returns the root, resolved.
func writeTree(t testing.TB, files map[string]string) string {
	t.Helper()
	root, err := filepath.EvalSymlinks(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	testfiles.WriteTree(t, root, files)
	return root
}

// render builds the kustomizations under root (display paths relative to it).
func render(t testing.TB, root string, kustomizations ...string) *Result {
	t.Helper()
	var in []Input
	for _, k := range kustomizations {
		in = append(in, Input{Path: k, Real: filepath.Join(root, filepath.FromSlash(k)), Root: root})
	}
	return Render(in, Options{MaxFileSize: 1 << 20})
}

const base = `apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
spec:
  template:
    spec:
      containers:
        - name: web
          image: example/web:1.0
          securityContext:
            runAsNonRoot: true
`

// locate finds the line of key (as "key:") in a built document and maps
// it through the document's origin.
func locate(t *testing.T, d Doc, key string, nth int) model.Location {
	t.Helper()
	for i, l := range strings.Split(string(d.Text), "\n") {
		if c := strings.Index(l, key+":"); c >= 0 {
			if nth > 0 {
				nth--
				continue
			}
			loc, _ := d.Origin.Locate(model.Location{File: "<built>", Line: i + 1, Col: c + 1, EndLine: i + 1, EndCol: len(l) + 1})
			return loc
		}
	}
	t.Fatalf("no %q in built text:\n%s", key, d.Text)
	return model.Location{}
}

func TestKeysSitOnTheLineThatSetThem(t *testing.T) {
	root := writeTree(t, map[string]string{
		"base/kustomization.yaml": "resources:\n  - deploy.yaml\n",
		"base/deploy.yaml":        base,
		"prod/kustomization.yaml": `namespace: prod
namePrefix: p-
resources:
  - ../base
patches:
  - path: priv.yaml
  - target: {kind: Deployment}
    patch: |-
      - op: add
        path: /spec/template/spec/hostNetwork
        value: true
`,
		"prod/priv.yaml": `apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
spec:
  template:
    spec:
      containers:
        - name: web
          securityContext:
            privileged: true
            runAsNonRoot: true
`,
	})
	res := render(t, root, "base/kustomization.yaml", "prod/kustomization.yaml")
	if len(res.Overlays) != 1 || res.Overlays[0].Dir != "prod" {
		t.Fatalf("overlays = %+v, want prod only (base is only a base)", res.Overlays)
	}
	ov := res.Overlays[0]
	if ov.Result.Failed || len(ov.Docs) != 1 || ov.Result.Objects != 1 {
		t.Fatalf("overlay = %+v, notices %v", ov.Result, ov.Notices)
	}
	d := ov.Docs[0]
	if bytes.Contains(d.Text, []byte("config.kubernetes.io/origin")) {
		t.Errorf("origin annotation left in the built object:\n%s", d.Text)
	}
	for _, c := range []struct {
		key        string
		file       string
		line, col  int
		wantEndCol int
	}{
		{"privileged", "prod/priv.yaml", 11, 13, 29},    // set by the patch
		{"runAsNonRoot", "base/deploy.yaml", 12, 13, 0}, // the patch repeats the base's value
		{"image", "base/deploy.yaml", 10, 11, 0},
		{"hostNetwork", "prod/kustomization.yaml", 11, 9, 0}, // the JSON patch's value line
		{"namespace", "prod/kustomization.yaml", 1, 1, 0},    // the transformer's line
		{"securityContext", "base/deploy.yaml", 11, 11, 0},   // a block: where it is first defined
	} {
		got := locate(t, d, c.key, 0)
		if got.File != c.file || got.Line != c.line || got.Col != c.col {
			t.Errorf("%s at %s:%d:%d, want %s:%d:%d", c.key, got.File, got.Line, got.Col, c.file, c.line, c.col)
		}
		if c.wantEndCol > 0 && got.EndCol != c.wantEndCol {
			t.Errorf("%s ends at column %d, want %d", c.key, got.EndCol, c.wantEndCol)
		}
	}
	// the container's name: the base's line, not the patch's
	if got := locate(t, d, "name", 1); got.File != "base/deploy.yaml" || got.Line != 9 {
		t.Errorf("container at %s:%d, want base/deploy.yaml:9", got.File, got.Line)
	}
	for _, f := range []string{"base/kustomization.yaml", "base/deploy.yaml", "prod/kustomization.yaml", "prod/priv.yaml"} {
		if !res.Consumed[f] {
			t.Errorf("%s not consumed: %v", f, res.Consumed)
		}
	}
}

func TestBaseOutsideTheRootIsNotRead(t *testing.T) {
	outer := writeTree(t, map[string]string{
		"base/kustomization.yaml": "resources:\n  - deploy.yaml\n",
		"base/deploy.yaml":        base,
		"prod/kustomization.yaml": "resources:\n  - ../base\n",
	})
	root := filepath.Join(outer, "prod")
	res := Render([]Input{{Path: "prod/kustomization.yaml", Real: filepath.Join(root, "kustomization.yaml"), Root: root}}, Options{})
	ov := res.Overlays[0]
	if !ov.Result.Failed || len(ov.Docs) != 0 {
		t.Fatalf("overlay built from outside its root: %+v", ov.Result)
	}
	if len(ov.Notices) != 1 || ov.Notices[0].Loc.Line != 2 || !strings.Contains(ov.Notices[0].Message, "does not exist inside the scanned root") {
		t.Errorf("notices = %+v", ov.Notices)
	}
	for _, f := range []string{"base/kustomization.yaml", "base/deploy.yaml"} {
		if res.Consumed[f] {
			t.Errorf("read %s outside the root", f)
		}
	}
}

func TestSymlinkLeavingTheRootIsRefused(t *testing.T) {
	outside := writeTree(t, map[string]string{"secret.yaml": base})
	root := writeTree(t, map[string]string{
		"app/kustomization.yaml": "resources:\n  - deploy.yaml\n",
	})
	if err := os.Symlink(filepath.Join(outside, "secret.yaml"), filepath.Join(root, "app", "deploy.yaml")); err != nil {
		t.Skip("no symlinks here:", err)
	}
	res := render(t, root, "app/kustomization.yaml")
	ov := res.Overlays[0]
	if !ov.Result.Failed || ov.Result.Loc.Line != 2 {
		t.Fatalf("a symlink out of the root was followed: %+v", ov.Result)
	}
}

func TestRemoteAndPluginsAreNeverRun(t *testing.T) {
	marker := filepath.Join(t.TempDir(), "ran")
	root := writeTree(t, map[string]string{
		"remote/kustomization.yaml": "resources:\n  - https://user:s3cr3t@example.com/org/repo//deploy?ref=v1\n",
		// Kustomize's own remote form has no scheme; a token in its query
		"remote2/kustomization.yaml": "resources:\n  - github.com/org/repo//deploy?ref=v1&access_token=s3cr3t\n",
		"helm/kustomization.yaml":    "helmCharts:\n  - name: redis\n    repo: https://charts.example.com\n",
		"exec/kustomization.yaml":    "resources:\n  - deploy.yaml\ntransformers:\n  - fn.yaml\n",
		"exec/deploy.yaml":           base,
		"exec/fn.yaml": `apiVersion: example.com/v1
kind: Touch
metadata:
  name: touch
  annotations:
    config.kubernetes.io/function: |
      exec:
        path: /bin/sh
      container:
        image: example/touch
args: ["-c", "touch ` + marker + `"]
`,
	})
	res := render(t, root, "exec/kustomization.yaml", "helm/kustomization.yaml", "remote/kustomization.yaml", "remote2/kustomization.yaml")
	if len(res.Overlays) != 4 {
		t.Fatalf("overlays = %d", len(res.Overlays))
	}
	for _, ov := range res.Overlays {
		if !ov.Result.Failed || len(ov.Notices) == 0 {
			t.Errorf("%s: built or silent: %+v", ov.Dir, ov.Result)
		}
		for _, n := range ov.Notices {
			if strings.Contains(n.Message, "s3cr3t") {
				t.Errorf("credential of a remote URL in a notice: %s", n.Message)
			}
		}
	}
	if _, err := os.Stat(marker); err == nil {
		t.Fatal("a function plugin ran")
	}
}

func TestErrorsQuoteNoInput(t *testing.T) {
	root := writeTree(t, map[string]string{
		"app/kustomization.yaml": "resources:\n  - deploy.yaml\npatches:\n  - patch: |-\n      apiVersion: v1\n      kind: Secret\n      metadata: {name: nothing-here}\n      stringData: {password: hunter2-hunter2-hunter2-hunter2-hunter2}\n",
		"app/deploy.yaml":        base,
	})
	res := render(t, root, "app/kustomization.yaml")
	ov := res.Overlays[0]
	if !ov.Result.Failed {
		t.Fatalf("a patch without a target built: %+v", ov.Result)
	}
	for _, n := range ov.Notices {
		if strings.Contains(n.Message, "hunter2") || strings.Contains(ov.Result.Err, "hunter2") {
			t.Errorf("notice quotes the patch: %s", n.Message)
		}
	}
}

func TestBuildPrintsNothing(t *testing.T) {
	root := writeTree(t, map[string]string{
		"app/kustomization.yaml":  "bases:\n  - ../base\npatchesStrategicMerge:\n  - patch.yaml\n",
		"app/patch.yaml":          "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\nspec:\n  replicas: 2\n",
		"base/kustomization.yaml": "resources:\n  - deploy.yaml\n",
		"base/deploy.yaml":        base,
	})
	r, w, err := os.Pipe()
	if err != nil {
		t.Fatal(err)
	}
	saved := os.Stderr
	os.Stderr = w
	res := render(t, root, "app/kustomization.yaml", "base/kustomization.yaml")
	os.Stderr = saved
	w.Close()
	out, _ := io.ReadAll(r)
	if len(out) > 0 {
		t.Errorf("the build printed %q", out)
	}
	if len(res.Overlays) != 1 || res.Overlays[0].Result.Failed {
		t.Fatalf("overlays = %+v", res.Overlays)
	}
}

func TestComponentsAndGeneratorsAreBuilt(t *testing.T) {
	root := writeTree(t, map[string]string{
		"base/kustomization.yaml": "resources:\n  - deploy.yaml\nconfigMapGenerator:\n  - name: cfg\n    literals: [a=b]\n",
		"base/deploy.yaml":        base,
		"debug/kustomization.yaml": `apiVersion: kustomize.config.k8s.io/v1alpha1
kind: Component
patches:
  - patch: |-
      apiVersion: apps/v1
      kind: Deployment
      metadata:
        name: web
      spec:
        template:
          spec:
            hostPID: true
`,
		"dev/kustomization.yaml": "resources:\n  - ../base\ncomponents:\n  - ../debug\n",
	})
	res := render(t, root, "base/kustomization.yaml", "debug/kustomization.yaml", "dev/kustomization.yaml")
	if len(res.Overlays) != 1 || res.Overlays[0].Dir != "dev" {
		t.Fatalf("overlays = %+v (a component is never built alone)", res.Overlays)
	}
	ov := res.Overlays[0]
	if ov.Result.Objects != 2 {
		t.Fatalf("objects = %d, want the Deployment and the generated ConfigMap; notices %v", ov.Result.Objects, ov.Notices)
	}
	for _, d := range ov.Docs {
		if bytes.Contains(d.Text, []byte("hostPID")) {
			if got := locate(t, d, "hostPID", 0); got.File != "debug/kustomization.yaml" || got.Line != 12 {
				t.Errorf("hostPID at %s:%d, want the component's inline patch, line 12", got.File, got.Line)
			}
		}
	}
}

// BenchmarkBuildOverlay builds the fixture overlay with a privileged patch,
// an inline JSON 6902 patch and an inline strategic-merge patch, mapping
// every built key to its source.
func BenchmarkBuildOverlay(b *testing.B) {
	root, err := filepath.Abs("../../testdata/k8s/projects/kustomize-overlay")
	if err != nil {
		b.Fatal(err)
	}
	root, _ = filepath.EvalSymlinks(root)
	in := []Input{
		{Path: "base/kustomization.yaml", Real: filepath.Join(root, "base/kustomization.yaml"), Root: root},
		{Path: "overlays/legacy/kustomization.yaml", Real: filepath.Join(root, "overlays/legacy/kustomization.yaml"), Root: root},
		{Path: "overlays/prod/kustomization.yaml", Real: filepath.Join(root, "overlays/prod/kustomization.yaml"), Root: root},
	}
	b.ReportAllocs()
	for b.Loop() {
		res := Render(in, Options{})
		if len(res.Overlays) != 2 || res.Overlays[0].Result.Failed || res.Overlays[1].Result.Failed {
			b.Fatalf("overlays = %+v", res.Overlays)
		}
	}
	b.ReportMetric(float64(b.Elapsed().Microseconds())/float64(b.N)/2/1000, "ms/overlay")
}

// BenchmarkBuildLargeOverlay builds one overlay of 200 Deployments (in
// one resource file) with a strategic-merge patch file of 20 of them and
// an inline JSON 6902 patch aimed at all of them by a target.
func BenchmarkBuildLargeOverlay(b *testing.B) {
	var res, patch strings.Builder
	for i := range 200 {
		res.WriteString("---\n" + strings.Replace(base, "name: web\nspec", "name: web-"+strconv.Itoa(i)+"\nspec", 1))
		if i%10 == 0 {
			patch.WriteString("---\napiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web-" + strconv.Itoa(i) + "\nspec:\n  template:\n    spec:\n      containers:\n        - name: web\n          securityContext:\n            privileged: true\n")
		}
	}
	root := writeTree(b, map[string]string{
		"base/kustomization.yaml": "resources:\n  - deploy.yaml\n",
		"base/deploy.yaml":        res.String(),
		"prod/kustomization.yaml": "namespace: prod\nresources:\n  - ../base\npatches:\n  - path: patch.yaml\n  - target: {kind: Deployment}\n    patch: |-\n      - op: add\n        path: /spec/template/spec/hostNetwork\n        value: true\n",
		"prod/patch.yaml":         patch.String(),
	})
	b.ReportAllocs()
	for b.Loop() {
		r := render(b, root, "base/kustomization.yaml", "prod/kustomization.yaml")
		if len(r.Overlays) != 1 || r.Overlays[0].Result.Objects != 200 {
			b.Fatalf("overlays = %+v", r.Overlays[0].Notices)
		}
	}
}

func modelLoc(line int) model.Location {
	return model.Location{File: "<built>", Line: line, Col: 1, EndLine: line, EndCol: 2}
}
