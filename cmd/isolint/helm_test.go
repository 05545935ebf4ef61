package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// chartTree is a chart whose only finding depends on its values: hostNetwork
// is false in values.yaml, true in values-prod.yaml.
func chartTree(t *testing.T, extra map[string]string) string {
	files := map[string]string{
		"charts/web/Chart.yaml":       "apiVersion: v2\nname: web\nversion: 0.1.0\n",
		"charts/web/values.yaml":      "hostNetwork: false\nbucket: b\n",
		"charts/web/values-prod.yaml": "hostNetwork: true\n",
		"charts/web/templates/pod.yaml": `apiVersion: v1
kind: Pod
metadata:
  name: {{ .Release.Name }}-web
spec:
  serviceAccountName: web
  automountServiceAccountToken: false
  hostNetwork: {{ .Values.hostNetwork }}
  securityContext:
    runAsNonRoot: true
    seccompProfile: {type: RuntimeDefault}
  containers:
    - name: web
      image: example/web:1
      args: [{{ required "bucket is required" .Values.bucket | quote }}]
      securityContext:
        allowPrivilegeEscalation: false
        readOnlyRootFilesystem: true
        capabilities: {drop: [ALL]}
`,
	}
	for k, v := range extra {
		files[k] = v
	}
	return tree(t, files)
}

func TestHelmValuesAndSet(t *testing.T) {
	dir := chartTree(t, nil)
	code, out, errs := cli(t, dir, "scan", "charts/web")
	if code != 0 || out != "" {
		t.Fatalf("values.yaml alone: exit %d, out %q, err %q", code, out, errs)
	}
	if !strings.Contains(errs, "helm charts: 1 seen, 1 rendered") {
		t.Errorf("summary does not count the chart: %q", errs)
	}
	if strings.Contains(errs, "is a template") || strings.Contains(errs, "k8s: 1 seen") {
		t.Errorf("a chart's template was also read as raw YAML: %q", errs)
	}
	code, out, _ = cli(t, dir, "scan", "charts/web", "--values", "charts/web/values-prod.yaml")
	if code != 1 || !strings.Contains(out, "charts/web/templates/pod.yaml:8:3: high host-network") {
		t.Errorf("--values: exit %d, out %q", code, out)
	}
	code, out, _ = cli(t, dir, "scan", "charts/web", "--set", "hostNetwork=true")
	if code != 1 || !strings.Contains(out, "charts/web/templates/pod.yaml:8:3: high host-network") {
		t.Errorf("--set: exit %d, out %q", code, out)
	}
	// run from inside the chart: paths are relative to it
	code, out, _ = cli(t, filepath.Join(dir, "charts", "web"), "scan", "--set", "hostNetwork=true")
	if code != 1 || !strings.HasPrefix(out, "templates/pod.yaml:8:3: high host-network") {
		t.Errorf("inside the chart: exit %d, out %q", code, out)
	}
	code, _, errs = cli(t, dir, "scan", "charts/web", "--values", "nope.yaml")
	if code != exitUsage {
		t.Errorf("missing --values file: exit %d (%s)", code, errs)
	}
}

func TestHelmUnrenderedExitCode(t *testing.T) {
	dir := chartTree(t, nil)
	code, _, errs := cli(t, dir, "scan", "charts/web", "--set", "bucket=")
	if code != exitUnrendered {
		t.Fatalf("exit %d, want %d: %s", code, exitUnrendered, errs)
	}
	if !strings.Contains(errs, "charts/web/templates/pod.yaml:15: error: chart charts/web could not be rendered") ||
		!strings.Contains(errs, "bucket is required") || !strings.Contains(errs, "1 failed (not checked)") {
		t.Errorf("stderr does not name the template line and error: %q", errs)
	}
	if code, _, errs := cli(t, dir, "scan", "charts/web", "--set", "bucket=", "--allow-unrendered"); code != 0 {
		t.Errorf("--allow-unrendered: exit %d: %s", code, errs)
	}
	// findings at or above --fail-on win over the unrendered code
	dir2 := chartTree(t, map[string]string{"charts/web/values.yaml": "hostNetwork: true\nbucket: b\n", "other/Chart.yaml": "apiVersion: v2\nname: other\nversion: 1.0.0\n",
		"other/templates/x.yaml": "{{ fail \"no\" }}\n"})
	if code, _, errs := cli(t, dir2, "scan", "."); code != exitFindings {
		t.Errorf("findings and an unrendered chart: exit %d, want 1: %s", code, errs)
	}
	// JSON says what was not checked
	code, out, _ := cli(t, dir, "scan", "charts/web", "--set", "bucket=", "-f", "json")
	var doc struct {
		Summary struct {
			Renderings map[string]struct{ Seen, Rendered, Failed int }
			NotChecked []struct {
				Kind, Path, Release, Error string
			}
		}
	}
	if err := json.Unmarshal([]byte(out), &doc); err != nil {
		t.Fatal(err)
	}
	if code != exitUnrendered || doc.Summary.Renderings["helm"].Failed != 1 || len(doc.Summary.NotChecked) != 1 || doc.Summary.NotChecked[0].Path != "charts/web" {
		t.Errorf("json summary: exit %d, %+v", code, doc.Summary)
	}
}

func TestHelmOptionalValueSets(t *testing.T) {
	// values.yaml alone does not render (a required value); the
	// chart-testing value set does, and stands in for it
	dir := chartTree(t, map[string]string{
		"charts/web/values.yaml":            "hostNetwork: false\n",
		"charts/web/ci/bucket-values.yaml":  "bucket: logs\n",
		"charts/web/ci/hostnet-values.yaml": "bucket: logs\nhostNetwork: true\n",
	})
	code, out, errs := cli(t, dir, "scan", ".")
	if code != 1 {
		t.Fatalf("exit %d: %s %s", code, out, errs)
	}
	if !strings.Contains(out, "pod.yaml:8:3: high host-network") || !strings.Contains(out, "(release ci/hostnet-values.yaml)") {
		t.Errorf("the ci value set's finding is missing or does not name its release: %q", out)
	}
	if !strings.Contains(errs, "warning: chart charts/web could not be rendered with value set default") || strings.Contains(errs, "failed") {
		t.Errorf("stderr: %q", errs)
	}
}

func TestStdin(t *testing.T) {
	dir := t.TempDir()
	old := stdin
	defer func() { stdin = old }()
	stdin = strings.NewReader("apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec:\n  hostNetwork: true\n  containers: [{name: c, image: x}]\n")
	code, out, errs := cli(t, dir, "scan", "-", "--fail-on", "high")
	if code != 1 || !strings.Contains(out, "<stdin>:5:3: high host-network") {
		t.Errorf("exit %d, out %q, err %q", code, out, errs)
	}
	stdin = strings.NewReader("services:\n  web:\n    image: x\n    privileged: true\n")
	code, out, _ = cli(t, dir, "scan", "--type", "compose", "-")
	if code != 1 || !strings.Contains(out, "<stdin>:4:5: critical privileged-container") {
		t.Errorf("--type compose -: exit %d, out %q", code, out)
	}
}

// Inline ignores work on template lines and values lines.
func TestHelmInlineIgnores(t *testing.T) {
	dir := chartTree(t, map[string]string{
		"charts/web/values.yaml": "hostNetwork: true\nbucket: b\n",
	})
	tpl := filepath.Join(dir, "charts/web/templates/pod.yaml")
	b, err := os.ReadFile(tpl)
	if err != nil {
		t.Fatal(err)
	}
	b = []byte(strings.Replace(string(b), "hostNetwork: {{ .Values.hostNetwork }}", "hostNetwork: {{ .Values.hostNetwork }} # isolint:ignore host-network -- node agent (SEC-1)", 1))
	if err := os.WriteFile(tpl, b, 0o644); err != nil {
		t.Fatal(err)
	}
	code, out, errs := cli(t, dir, "scan", ".")
	if code != 0 || out != "" || !strings.Contains(errs, "1 suppressed") {
		t.Errorf("exit %d, out %q, err %q", code, out, errs)
	}
}

// A chart that did not render keeps Kubernetes controls from passing.
func TestHelmUnrenderedReport(t *testing.T) {
	// a plain manifest beside the chart, with nothing to report
	dir := chartTree(t, map[string]string{"plain/pod.yaml": `apiVersion: v1
kind: Pod
metadata: {name: plain}
spec:
  serviceAccountName: plain
  automountServiceAccountToken: false
  securityContext: {runAsNonRoot: true, seccompProfile: {type: RuntimeDefault}}
  containers:
    - name: c
      image: example/c:1
      securityContext: {allowPrivilegeEscalation: false, readOnlyRootFilesystem: true, capabilities: {drop: [ALL]}}
`})
	count := func(args ...string) (pass, unrendered int, notChecked int) {
		code, out, errs := cli(t, dir, append([]string{"report", "--framework", "pss", "-f", "json", "."}, args...)...)
		if code != 0 {
			t.Fatalf("exit %d: %s", code, errs)
		}
		var rep struct {
			NotChecked []struct{ File, Object string }
			Controls   []struct{ Status, NotTested string }
		}
		if err := json.Unmarshal([]byte(out), &rep); err != nil {
			t.Fatal(err)
		}
		for _, c := range rep.Controls {
			if c.Status == "pass" {
				pass++
			}
			if c.NotTested == "input-not-checked" {
				unrendered++
			}
		}
		return pass, unrendered, len(rep.NotChecked)
	}
	pass, unrendered, nc := count()
	if pass == 0 || unrendered != 0 || nc != 0 {
		t.Fatalf("rendered chart: %d pass, %d unrendered, %d not checked", pass, unrendered, nc)
	}
	pass2, unrendered2, nc2 := count("--set", "bucket=")
	if pass2 != 0 || unrendered2 != pass || nc2 != 1 {
		t.Errorf("unrendered chart: %d pass, %d unrendered (want %d), %d not checked", pass2, unrendered2, pass, nc2)
	}
}

// The same plumbing holds for a Kustomize overlay that cannot be built.
func TestUnrenderedOverlayExitCode(t *testing.T) {
	dir := tree(t, map[string]string{"kustomization.yaml": "resources:\n  - https://github.com/example/base?ref=v1\n"})
	code, _, errs := cli(t, dir, "scan", ".")
	if code != exitUnrendered || !strings.Contains(errs, "kustomize overlays: 1 seen, 0 rendered, 1 failed (not checked)") {
		t.Errorf("exit %d: %s", code, errs)
	}
	if code, _, errs := cli(t, dir, "scan", ".", "--allow-unrendered"); code != 0 {
		t.Errorf("--allow-unrendered: exit %d: %s", code, errs)
	}
}

// A template named alone (a pre-commit hook passes the changed files)
// renders its chart when the chart lies in the git work tree around it, as
// an overlay builds with its bases; without a work tree it is not checked,
// and the scan does not pass unless --allow-unread accepts that.
func TestHelmTemplateNamedAlone(t *testing.T) {
	dir := chartTree(t, map[string]string{
		"charts/web/templates/sa.yaml": "apiVersion: v1\nkind: ServiceAccount\nmetadata:\n  name: web\n  {{- with .Values.annotations }}\n  annotations: {{ toYaml . | nindent 4 }}\n  {{- end }}\n",
		"charts/web/examples/pod.yaml": mediumPod,
	})
	code, out, errs := cli(t, dir, "scan", "charts/web/templates/sa.yaml", "--set", "hostNetwork=true")
	if code != 5 || out != "" || !strings.Contains(errs, "charts/web/templates/sa.yaml:5: error: document 1 is a template") || !strings.Contains(errs, "not checked in full: charts/web/templates/sa.yaml") {
		t.Errorf("outside a work tree: exit %d, out %q, err %q; want 5 and the template named as not checked", code, out, errs)
	}
	if code, _, _ = cli(t, dir, "scan", "charts/web/templates/sa.yaml", "--allow-unread"); code != 0 {
		t.Errorf("--allow-unread: exit %d, want 0", code)
	}
	if err := os.Mkdir(filepath.Join(dir, ".git"), 0o755); err != nil {
		t.Fatal(err)
	}
	for _, arg := range []string{"charts/web/templates/pod.yaml", "charts/web/templates/sa.yaml", "charts/web/templates"} {
		code, out, errs = cli(t, dir, "scan", arg, "--set", "hostNetwork=true")
		if code != 1 || !strings.Contains(out, "charts/web/templates/pod.yaml:8:3: high host-network") || !strings.Contains(errs, "helm charts: 1 seen, 1 rendered") {
			t.Errorf("scan %s in a work tree: exit %d, out %q, err %q; want the chart rendered", arg, code, out, errs)
		}
	}
	// a file Helm does not read stays a file of its own
	code, out, errs = cli(t, dir, "scan", "charts/web/examples/pod.yaml")
	if code != 1 || !strings.Contains(out, "charts/web/examples/pod.yaml:") || strings.Contains(errs, "helm charts") {
		t.Errorf("examples/pod.yaml alone: exit %d, out %q, err %q; want it scanned as a manifest", code, out, errs)
	}
}

// A repository that is a chart (Chart.yaml at its root): a template named
// alone renders the chart, and findings keep their paths (templates/…, not
// templates/templates/…).
func TestHelmTemplateOfRootChart(t *testing.T) {
	dir := tree(t, map[string]string{
		".git/HEAD":   "ref: refs/heads/main\n",
		"Chart.yaml":  "apiVersion: v2\nname: web\nversion: 0.1.0\n",
		"values.yaml": "hostNetwork: true\n",
		"templates/pod.yaml": `apiVersion: v1
kind: Pod
metadata:
  name: {{ .Release.Name }}-web
spec:
  hostNetwork: {{ .Values.hostNetwork }}
  containers:
    - name: web
      image: example/web:1
`,
	})
	code, out, errs := cli(t, dir, "scan", "templates/pod.yaml")
	if code != 1 || !strings.Contains(out, "\ntemplates/pod.yaml:6:3: high host-network") && !strings.HasPrefix(out, "templates/pod.yaml:6:3: high host-network") || strings.Contains(out, "templates/templates") {
		t.Errorf("exit %d, out %q, err %q", code, out, errs)
	}
}
