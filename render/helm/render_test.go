package helm

import (
	"context"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/isolint/isolint/internal/testfiles"
	"github.com/isolint/isolint/model"
	"github.com/isolint/isolint/scanners/yamldoc"
	"helm.sh/helm/v4/pkg/chart/common"
	"helm.sh/helm/v4/pkg/chart/common/util"
	"helm.sh/helm/v4/pkg/chart/v2/loader"
	"helm.sh/helm/v4/pkg/engine"
)

func writeChart(t testing.TB, files map[string]string) Chart {
	t.Helper()
	dir := t.TempDir()
	testfiles.WriteTree(t, filepath.Join(dir, "chart"), files)
	real, err := filepath.EvalSymlinks(dir)
	if err != nil {
		t.Fatal(err)
	}
	return Chart{Dir: filepath.Join(real, "chart"), Display: "chart", Root: real}
}

// trimTemplate exercises every way text/template trims and nests.
const trimTemplate = `apiVersion: v1
kind: ConfigMap
metadata:
  name: {{ .Release.Name }}-{{- .Chart.Name -}}
  labels: {{- include "t.labels" . | nindent 4 }}
data:
  {{- /* a comment */}}
  a: {{ .Values.a | quote }}
  {{- if .Values.on }}
  on: "yes"
  {{- else }}
  on: "no"
  {{- end }}
  {{- with .Values.m }}
  {{- range $k, $v := . }}
  {{ $k }}: {{ $v | quote -}}
  {{ end }}
  {{- end }}
  list: |
    {{- range .Values.l }}
    - {{ . }}
    {{- end }}
  {{ $x := "v" }}x: {{ $x }}
  trailing: {{ "t" -}}


  last: {{ template "t.name" . }}
`

const trimHelpers = `{{- define "t.labels" -}}
app: {{ .Chart.Name }}
{{- if .Values.on }}
on: "true"
{{- end }}
{{- end -}}
{{- define "t.name" }}n{{ end -}}
`

func plainRender(t *testing.T, c Chart) map[string]string {
	t.Helper()
	files, err := readChart(c.Dir, c.Root, 0)
	if err != nil {
		t.Fatal(err)
	}
	ch, err := loader.LoadFiles(files)
	if err != nil {
		t.Fatal(err)
	}
	vals, err := util.ToRenderValuesWithSchemaValidation(ch, map[string]any{}, common.ReleaseOptions{Name: ReleaseName, Namespace: Namespace, Revision: 1, IsInstall: true}, nil, true)
	if err != nil {
		t.Fatal(err)
	}
	out, err := engine.Engine{}.RenderWithContext(context.Background(), ch, vals)
	if err != nil {
		t.Fatal(err)
	}
	return out
}

// The source map's markers must not change what Helm renders by a byte.
func TestMarkersKeepTheRenderedText(t *testing.T) {
	c := writeChart(t, map[string]string{
		"Chart.yaml":             "apiVersion: v2\nname: t\nversion: 1.0.0\n",
		"values.yaml":            "a: x\non: true\nm: {k1: v1, k2: v2}\nl: [1, 2]\n",
		"templates/cm.yaml":      trimTemplate,
		"templates/_helpers.tpl": trimHelpers,
	})
	want := plainRender(t, c)
	r := Render(c, Options{})
	if len(r.Releases) != 1 || r.Releases[0].Rendering.Failed {
		t.Fatalf("releases: %+v", r.Releases)
	}
	outs := r.Releases[0].Outputs
	if len(outs) != 1 {
		t.Fatalf("outputs: %d", len(outs))
	}
	if got := string(outs[0].Text); got != want["t/templates/cm.yaml"] {
		t.Errorf("rendered text differs with markers:\n--- got\n%s\n--- want\n%s", got, want["t/templates/cm.yaml"])
	}
	if strings.ContainsRune(string(outs[0].Text), markOpen) {
		t.Error("a marker is left in the text")
	}
}

const posTemplate = `apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
spec:
  template:
    spec:
      hostNetwork: {{ .Values.hostNetwork }}
      {{- with .Values.podSecurityContext }}
      securityContext:
        {{- toYaml . | nindent 8 }}
      {{- end }}
      containers:
        {{- range .Values.containers }}
        - name: {{ .name }}
          image: {{ .image }}
          {{- if .securityContext }}
          securityContext: {{- toYaml .securityContext | nindent 12 }}
          {{- end }}
        {{- end }}
`

const posValues = `hostNetwork: true
podSecurityContext:
  runAsUser: 0
  seccompProfile:
    type: Unconfined
containers:
  - name: a
    image: img-a
  - name: b
    image: img-b
    securityContext:
      privileged: true
`

// locate renders the chart and maps the position of a key path's key.
func locate(t *testing.T, c Chart, opts Options, path ...string) (model.Location, []model.Related) {
	t.Helper()
	r := Render(c, opts)
	if len(r.Releases) == 0 || r.Releases[0].Rendering.Failed {
		t.Fatalf("render: %+v", r.Releases)
	}
	o := r.Releases[0].Outputs[0]
	raw := yamldoc.Split(o.Text)[0]
	d, err := yamldoc.Parse(o.File, raw)
	if err != nil {
		t.Fatal(err)
	}
	d.Origin = o.Origin(raw)
	v := d.Value()
	for _, k := range path {
		if strings.HasPrefix(k, "[") {
			n := int(k[1] - '0')
			v = v.Items()[n]
			continue
		}
		v = v.Get(k)
	}
	if !v.Exists() {
		t.Fatalf("%v not in the rendered document", path)
	}
	return v.Loc(), v.Via()
}

func hasRelated(rel []model.Related, file string, line int, msg string) bool {
	for _, r := range rel {
		if r.Loc.File == file && r.Loc.Line == line && strings.Contains(r.Message, msg) {
			return true
		}
	}
	return false
}

func TestPositions(t *testing.T) {
	c := writeChart(t, map[string]string{
		"Chart.yaml":             "apiVersion: v2\nname: web\nversion: 1.0.0\n",
		"values.yaml":            posValues,
		"templates/deploy.yaml":  posTemplate,
		"templates/_helpers.tpl": "{{- define \"x\" }}{{ end }}\n",
	})
	tpl, vals := "chart/templates/deploy.yaml", "chart/values.yaml"

	// a key written in the template sits on its template line; the values
	// line that set its value is related
	loc, rel := locate(t, c, Options{}, "spec", "template", "spec", "hostNetwork")
	if loc.File != tpl || loc.Line != 8 || loc.Col != 7 || loc.EndCol != 18 {
		t.Errorf("hostNetwork at %s:%d:%d-%d, want %s:8:7-18", loc.File, loc.Line, loc.Col, loc.EndCol, tpl)
	}
	if !hasRelated(rel, vals, 1, ".Values.hostNetwork") {
		t.Errorf("hostNetwork: values line not related: %+v", rel)
	}
	// a key that exists only in the values (toYaml) sits on its values line,
	// with the action and the `with` that switched the block on related
	loc, rel = locate(t, c, Options{}, "spec", "template", "spec", "securityContext", "runAsUser")
	if loc.File != vals || loc.Line != 3 || loc.Col != 3 {
		t.Errorf("runAsUser at %s:%d:%d, want %s:3:3", loc.File, loc.Line, loc.Col, vals)
	}
	if !hasRelated(rel, tpl, 11, "toYaml") || !hasRelated(rel, tpl, 9, "with .Values.podSecurityContext") {
		t.Errorf("runAsUser: related %+v", rel)
	}
	loc, _ = locate(t, c, Options{}, "spec", "template", "spec", "securityContext", "seccompProfile", "type")
	if loc.File != vals || loc.Line != 5 {
		t.Errorf("seccompProfile.type at %s:%d, want %s:5", loc.File, loc.Line, vals)
	}
	// the key written by the template around it stays on the template
	loc, _ = locate(t, c, Options{}, "spec", "template", "spec", "securityContext")
	if loc.File != tpl || loc.Line != 10 {
		t.Errorf("securityContext at %s:%d, want %s:10", loc.File, loc.Line, tpl)
	}
	// range: the second element's toYaml block maps to the second element
	loc, rel = locate(t, c, Options{}, "spec", "template", "spec", "containers", "[1]", "securityContext", "privileged")
	if loc.File != vals || loc.Line != 12 {
		t.Errorf("privileged at %s:%d, want %s:12", loc.File, loc.Line, vals)
	}
	if !hasRelated(rel, tpl, 14, "range .Values.containers") || !hasRelated(rel, tpl, 17, "if .securityContext") {
		t.Errorf("privileged: related %+v", rel)
	}
	// a template key whose value comes from a range element relates to
	// that element's line
	loc, rel = locate(t, c, Options{}, "spec", "template", "spec", "containers", "[1]", "image")
	if loc.File != tpl || loc.Line != 16 || !hasRelated(rel, vals, 10, "image") {
		t.Errorf("image at %s:%d related %+v, want %s:16 and %s:10", loc.File, loc.Line, rel, tpl, vals)
	}

	// a value set's file comes before values.yaml
	dir := filepath.Join(c.Dir, "ci")
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "x-values.yaml"), []byte("podSecurityContext:\n  runAsUser: 1000\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	set := []ValueSet{{Name: "x", Files: []ValueFile{{Path: filepath.Join(dir, "x-values.yaml"), Display: "chart/ci/x-values.yaml", Confined: true}}}}
	loc, _ = locate(t, c, Options{Sets: set}, "spec", "template", "spec", "securityContext", "runAsUser")
	if loc.File != "chart/ci/x-values.yaml" || loc.Line != 2 {
		t.Errorf("runAsUser from the value set at %s:%d, want chart/ci/x-values.yaml:2", loc.File, loc.Line)
	}
	// ... and the untouched key still comes from values.yaml
	loc, _ = locate(t, c, Options{Sets: set}, "spec", "template", "spec", "securityContext", "seccompProfile", "type")
	if loc.File != vals || loc.Line != 5 {
		t.Errorf("seccompProfile.type at %s:%d, want %s:5", loc.File, loc.Line, vals)
	}
}

// A helper that reads .Values itself names no values path in the action:
// the one values node at the same path suffix, holding the rendered value,
// is found; an ambiguous one is not.
func TestPositionsThroughHelpers(t *testing.T) {
	c := writeChart(t, map[string]string{
		"Chart.yaml": "apiVersion: v2\nname: web\nversion: 1.0.0\n",
		"values.yaml": `app:
  securityContext:
    privileged: true
sidecar:
  securityContext:
    privileged: false
`,
		"templates/_helpers.tpl": "{{- define \"web.sc\" -}}\n{{ toYaml .Values.app.securityContext }}\n{{- end -}}\n",
		"templates/pod.yaml": `apiVersion: v1
kind: Pod
metadata:
  name: web
spec:
  containers:
    - name: app
      securityContext: {{- include "web.sc" . | nindent 8 }}
`,
	})
	loc, rel := locate(t, c, Options{}, "spec", "containers", "[0]", "securityContext", "privileged")
	if loc.File != "chart/values.yaml" || loc.Line != 3 {
		t.Errorf("privileged at %s:%d, want chart/values.yaml:3", loc.File, loc.Line)
	}
	if !hasRelated(rel, "chart/templates/pod.yaml", 8, "include") {
		t.Errorf("related %+v", rel)
	}
	// both values hold true: ambiguous, so the action's template line
	if err := os.WriteFile(filepath.Join(c.Dir, "values.yaml"), []byte("app:\n  securityContext:\n    privileged: true\nsidecar:\n  securityContext:\n    privileged: true\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	loc, _ = locate(t, c, Options{}, "spec", "containers", "[0]", "securityContext", "privileged")
	if loc.File != "chart/templates/pod.yaml" || loc.Line != 8 {
		t.Errorf("ambiguous privileged at %s:%d, want the include's line chart/templates/pod.yaml:8", loc.File, loc.Line)
	}
}

// A list the action appends to items the template wrote: the values index
// counts only the action's items.
func TestPositionsOfAppendedItems(t *testing.T) {
	c := writeChart(t, map[string]string{
		"Chart.yaml": "apiVersion: v2\nname: web\nversion: 1.0.0\n",
		"values.yaml": `sidecars:
  - name: proxy
    image: p
    securityContext:
      privileged: true
  - name: log
    image: l
    securityContext:
      privileged: true
`,
		"templates/pod.yaml": `apiVersion: v1
kind: Pod
metadata:
  name: web
spec:
  containers:
    - name: app
      image: a
    {{- with .Values.sidecars }}
    {{- toYaml . | nindent 4 }}
    {{- end }}
`,
	})
	loc, _ := locate(t, c, Options{}, "spec", "containers", "[1]", "securityContext", "privileged")
	if loc.File != "chart/values.yaml" || loc.Line != 5 {
		t.Errorf("first sidecar's privileged at %s:%d, want chart/values.yaml:5", loc.File, loc.Line)
	}
	loc, _ = locate(t, c, Options{}, "spec", "containers", "[2]", "securityContext", "privileged")
	if loc.File != "chart/values.yaml" || loc.Line != 9 {
		t.Errorf("second sidecar's privileged at %s:%d, want chart/values.yaml:9", loc.File, loc.Line)
	}
}

// A vendored subchart renders with its parent's values; its .Values.global
// is the parent's global.
func TestSubchartPositions(t *testing.T) {
	c := writeChart(t, map[string]string{
		"Chart.yaml":                  "apiVersion: v2\nname: app\nversion: 1.0.0\n",
		"values.yaml":                 "global:\n  hostNetwork: true\nsub:\n  sc:\n    privileged: true\n",
		"charts/sub/Chart.yaml":       "apiVersion: v2\nname: sub\nversion: 1.0.0\n",
		"charts/sub/values.yaml":      "sc:\n  runAsUser: 0\n",
		"charts/sub/templates/p.yaml": "apiVersion: v1\nkind: Pod\nmetadata:\n  name: s\nspec:\n  hostNetwork: {{ .Values.global.hostNetwork }}\n  securityContext: {{- toYaml .Values.sc | nindent 4 }}\n",
	})
	sub := "chart/charts/sub/templates/p.yaml"
	loc, rel := locate(t, c, Options{}, "spec", "hostNetwork")
	if loc.File != sub || loc.Line != 6 || !hasRelated(rel, "chart/values.yaml", 2, "global.hostNetwork") {
		t.Errorf("hostNetwork at %s:%d related %+v", loc.File, loc.Line, rel)
	}
	loc, _ = locate(t, c, Options{}, "spec", "securityContext", "privileged")
	if loc.File != "chart/values.yaml" || loc.Line != 5 {
		t.Errorf("privileged (set by the parent) at %s:%d, want chart/values.yaml:5", loc.File, loc.Line)
	}
	loc, _ = locate(t, c, Options{}, "spec", "securityContext", "runAsUser")
	if loc.File != "chart/charts/sub/values.yaml" || loc.Line != 2 {
		t.Errorf("runAsUser (the subchart's default) at %s:%d, want chart/charts/sub/values.yaml:2", loc.File, loc.Line)
	}
}

func TestDependencies(t *testing.T) {
	c := writeChart(t, map[string]string{
		"Chart.yaml": `apiVersion: v2
name: app
version: 1.0.0
dependencies:
  - name: extras
    version: 1.x
    repository: https://example.com/charts
    condition: extras.enabled
  - name: gone
    version: 1.x
    repository: https://example.com/charts
  - name: lib
    version: ">=1.0.0"
    repository: file://../lib
`,
		"values.yaml":             "extras: {enabled: false}\n",
		"templates/cm.yaml":       "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: {{ include \"lib.name\" . }}\n",
		"../lib/Chart.yaml":       "apiVersion: v2\nname: lib\nversion: 1.2.0\ntype: library\n",
		"../lib/templates/_l.tpl": "{{- define \"lib.name\" }}from-lib{{ end -}}\n",
	})
	r := Render(c, Options{})
	if len(r.Releases) != 1 || r.Releases[0].Rendering.Failed {
		t.Fatalf("releases: %+v", r.Releases)
	}
	if !strings.Contains(string(r.Releases[0].Outputs[0].Text), "from-lib") {
		t.Errorf("the library found beside the chart was not used: %s", r.Releases[0].Outputs[0].Text)
	}
	if len(r.Missing) != 1 || r.Missing[0].Path != "chart/charts/gone" || !r.Missing[0].Failed || r.Missing[0].Loc.Line != 9 {
		t.Errorf("missing: %+v", r.Missing)
	}
	var notes []string
	for _, n := range r.Notices {
		notes = append(notes, n.Loc.String()+" "+string(n.Level)+" "+n.Message)
	}
	joined := strings.Join(notes, "\n")
	if strings.Contains(joined, "dependency extras") {
		t.Errorf("a disabled dependency was reported: %s", joined)
	}
	if !strings.Contains(joined, "chart/Chart.yaml:12:1 note dependency lib is not vendored under charts/; rendered with the chart at chart/../lib") &&
		!strings.Contains(joined, "chart/Chart.yaml:12:1 note dependency lib is not vendored under charts/; rendered with the chart at lib") {
		t.Errorf("notices: %s", joined)
	}

	// a library chart renders nothing itself
	lib := Chart{Dir: filepath.Join(c.Root, "lib"), Display: "lib", Root: c.Root}
	if r := Render(lib, Options{}); !r.Library || len(r.Releases) != 0 {
		t.Errorf("library: %+v", r)
	}
}

func TestNothingOutsideTheRoot(t *testing.T) {
	c := writeChart(t, map[string]string{
		"Chart.yaml":        "apiVersion: v2\nname: app\nversion: 1.0.0\n",
		"templates/cm.yaml": "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: x\ndata:\n  f: {{ .Files.Get \"secret.txt\" | quote }}\n",
	})
	outside := t.TempDir()
	if err := os.WriteFile(filepath.Join(outside, "secret.txt"), []byte("s3cr3t"), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink(filepath.Join(outside, "secret.txt"), filepath.Join(c.Dir, "secret.txt")); err != nil {
		t.Skip("no symlinks here")
	}
	r := Render(c, Options{})
	if len(r.Releases) != 1 || r.Releases[0].Rendering.Failed {
		t.Fatalf("releases: %+v", r.Releases)
	}
	if strings.Contains(string(r.Releases[0].Outputs[0].Text), "s3cr3t") {
		t.Error("a file outside the scanned root was read through a symlink")
	}
}

func BenchmarkRenderChart(b *testing.B) {
	abs, err := filepath.Abs("../../testdata/helm/projects/monorepo")
	if err != nil {
		b.Fatal(err)
	}
	root, _ := filepath.EvalSymlinks(abs)
	api := Chart{Dir: filepath.Join(root, "charts/api"), Display: "charts/api", Root: root}
	common := Chart{Dir: filepath.Join(root, "charts/common"), Display: "charts/common", Root: root}
	opts := Options{Charts: []Chart{api, common}}
	b.ReportAllocs()
	for b.Loop() {
		r := Render(api, opts)
		if len(r.Releases) != 2 || r.Releases[0].Rendering.Failed {
			b.Fatalf("%+v", r.Releases)
		}
		for _, rel := range r.Releases {
			for _, o := range rel.Outputs {
				for _, raw := range yamldoc.Split(o.Text) {
					o.Origin(raw)
				}
			}
		}
	}
}

func TestHostileChartsAreBounded(t *testing.T) {
	for name, tpl := range map[string]string{
		"until":     "{{ range until 100000000 }}x{{ end }}\n",
		"untilStep": "{{ range untilStep 0 1000000000 1 }}x{{ end }}\n",
		"repeat":    "{{ repeat 1000000000 \"x\" }}\n",
		"recursion": "{{ define \"a\" }}{{ include \"a\" . }}{{ end }}{{ include \"a\" . }}\n",
	} {
		t.Run(name, func(t *testing.T) {
			c := writeChart(t, map[string]string{
				"Chart.yaml":       "apiVersion: v2\nname: h\nversion: 1.0.0\n",
				"templates/x.yaml": tpl,
			})
			r := Render(c, Options{})
			if len(r.Releases) != 1 || !r.Releases[0].Rendering.Failed {
				t.Fatalf("want one failed release, got %+v", r.Releases)
			}
		})
	}
	// small ranges still work
	c := writeChart(t, map[string]string{
		"Chart.yaml":       "apiVersion: v2\nname: h\nversion: 1.0.0\n",
		"templates/x.yaml": "a: {{ range until 3 }}{{ . }}{{ end }} {{ seq 3 }} {{ repeat 2 \"ab\" }}\n",
	})
	r := Render(c, Options{})
	if len(r.Releases) != 1 || r.Releases[0].Rendering.Failed || string(r.Releases[0].Outputs[0].Text) != "a: 012 1 2 3 abab\n" {
		t.Errorf("%+v", r.Releases)
	}
}

func TestLoadErrorsNameTheLine(t *testing.T) {
	c := writeChart(t, map[string]string{
		"Chart.yaml":  "apiVersion: v2\nname: web\nversion: 1.0.0\n",
		"values.yaml": "a: 1\nb: [\n",
	})
	r := Render(c, Options{})
	if len(r.Releases) != 1 || !r.Releases[0].Rendering.Failed {
		t.Fatalf("%+v", r.Releases)
	}
	if l := r.Releases[0].Rendering.Loc; l.File != "chart/values.yaml" || l.Line < 2 {
		t.Errorf("load error at %s, want chart/values.yaml:2 or after", l)
	}
}

// A rendering that never ends in practice is abandoned and reported.
func TestEndlessRenderingIsAbandoned(t *testing.T) {
	c := writeChart(t, map[string]string{
		"Chart.yaml":       "apiVersion: v2\nname: h\nversion: 1.0.0\n",
		"templates/x.yaml": "{{ range until 10000 }}{{ range until 10000 }}{{ range until 10000 }}{{ end }}{{ end }}{{ end }}\n",
	})
	r := Render(c, Options{Timeout: 100 * time.Millisecond})
	if len(r.Releases) != 1 || !r.Releases[0].Rendering.Failed || !strings.Contains(r.Releases[0].Rendering.Err, "abandoned") {
		t.Errorf("%+v", r.Releases)
	}
}

// TestRandomFunctionsAreDeterministic: a chart that draws names, passwords,
// UUIDs, keys or the time renders the same text on every run, so that
// findings and fingerprints do not change from one scan to the next.
func TestRandomFunctionsAreDeterministic(t *testing.T) {
	c := writeChart(t, map[string]string{
		"Chart.yaml": "apiVersion: v2\nname: r\nversion: 1.0.0\n",
		"templates/x.yaml": `apiVersion: v1
kind: Pod
metadata:
  name: {{ .Release.Name }}-test-{{ randAlphaNum 5 | lower }}
  annotations:
    other: {{ randAlphaNum 5 | quote }}
    uuid: {{ uuidv4 | quote }}
    when: {{ now | date "2006-01-02" | quote }}
    n: {{ randInt 1 100 | quote }}
    pw: {{ htpasswd "u" "p" | quote }}
    aes: {{ encryptAES "k" "secret" | quote }}
    ca: {{ (genCA "ca" 365).Cert | b64enc | quote }}
    cert: {{ $ca := genCA "ca" 365 }}{{ (genSignedCert "x" nil nil 365 $ca).Cert | b64enc | quote }}
    key: {{ genPrivateKey "ecdsa" | b64enc | quote }}
spec:
  containers:
    - name: c
      image: busybox
`,
	})
	first := Render(c, Options{})
	if len(first.Releases) != 1 || first.Releases[0].Rendering.Failed {
		t.Fatalf("did not render: %+v", first.Releases)
	}
	text := string(first.Releases[0].Outputs[0].Text)
	for range 3 {
		again := Render(c, Options{})
		if got := string(again.Releases[0].Outputs[0].Text); got != text {
			t.Fatalf("rendered differently:\n%s\n---\n%s", text, got)
		}
	}
	// distinct calls still give distinct values, and the shapes hold
	name := regexp.MustCompile(`name: release-name-test-([a-z0-9]{5})\n`).FindStringSubmatch(text)
	other := regexp.MustCompile(`other: "([A-Za-z0-9]{5})"`).FindStringSubmatch(text)
	if name == nil || other == nil || name[1] == strings.ToLower(other[1]) {
		t.Errorf("random names missing or equal:\n%s", text)
	}
	for _, want := range []*regexp.Regexp{
		regexp.MustCompile(`uuid: "[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}"`),
		regexp.MustCompile(`when: "2000-01-01"`),
		regexp.MustCompile(`pw: "u:\$2a\$10\$[./A-Za-z0-9]{53}"`),
	} {
		if !want.MatchString(text) {
			t.Errorf("rendered text lacks %s:\n%s", want, text)
		}
	}
}
