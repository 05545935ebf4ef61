package helm

import (
	"context"
	"strings"
	"testing"

	"helm.sh/helm/v4/pkg/chart/common"
	"helm.sh/helm/v4/pkg/chart/common/util"
	"helm.sh/helm/v4/pkg/chart/loader/archive"
	"helm.sh/helm/v4/pkg/chart/v2/loader"
	"helm.sh/helm/v4/pkg/engine"
)

// renderOne renders a one-template chart, instrumented or not.
func renderOne(tpl string, mark bool) (string, *segments, bool) {
	files := []*archive.BufferedFile{
		{Name: "Chart.yaml", Data: []byte("apiVersion: v2\nname: f\nversion: 1.0.0\n")},
		{Name: "values.yaml", Data: []byte("a: x\non: true\nm: {k1: v1, k2: v2}\nl: [1, 2]\n")},
		{Name: "templates/_h.tpl", Data: []byte(trimHelpers)},
		{Name: "templates/t.yaml", Data: []byte(tpl)},
	}
	ch, err := loader.LoadFiles(files)
	if err != nil {
		return "", nil, false
	}
	segs := &segments{}
	if mark {
		instrumentChart(ch, "f", nil, segs, map[string]string{}, map[string]string{})
	}
	vals, err := util.ToRenderValuesWithSchemaValidation(ch, map[string]any{}, common.ReleaseOptions{Name: ReleaseName, Namespace: Namespace}, nil, true)
	if err != nil {
		return "", nil, false
	}
	out, err := engine.Engine{CustomTemplateFuncs: renderFuncs()}.RenderWithContext(context.Background(), ch, vals)
	if err != nil {
		return "", nil, false
	}
	return out["f/templates/t.yaml"], segs, true
}

// FuzzMarkersKeepTheRenderedText: whatever the template, the source map's
// markers never change what Helm renders.
func FuzzMarkersKeepTheRenderedText(f *testing.F) {
	for _, s := range []string{trimTemplate, posTemplate, "a: {{- .Values.a -}}\n  b\n", "{{ if .Values.on }}\n  x: 1\n{{- end -}}\n\n y", "x:\n  {{- /* c */ -}}\n  {{- range .Values.l }}\n - {{ . }}{{ end }}"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, tpl string) {
		if len(tpl) > 4096 || strings.ContainsAny(tpl, "\uE000\uE001") {
			return
		}
		plain, _, ok := renderOne(tpl, false)
		if !ok {
			return
		}
		marked, segs, ok := renderOne(tpl, true)
		if !ok {
			t.Fatalf("renders without markers but not with them:\n%s", tpl)
		}
		if got := string(strip("t", marked, segs, nil).text); got != plain {
			t.Fatalf("markers changed the output of\n%s\n--- got\n%q\n--- want\n%q", tpl, got, plain)
		}
	})
}
