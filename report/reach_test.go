package report_test

import (
	"path/filepath"
	"strings"
	"testing"

	"github.com/isolint/isolint/controls"
	"github.com/isolint/isolint/engine"
	"github.com/isolint/isolint/report"
)

// TestHTMLBlastRadius: with workload details, the HTML report gains a
// self-contained blast-radius section (inline SVG, no script, nothing
// fetched) listing the worst workloads first, input escaped; without
// them it has none.
func TestHTMLBlastRadius(t *testing.T) {
	dir := filepath.Join(repoRoot, "testdata/reach/platform")
	page := string(render(t, report.HTML, build(t, scanDir(t, dir, engine.Options{Paths: []string{dir}, KeepDetails: true}), controls.NHI)))
	i := strings.Index(page, `<h2 id="blast-radius">`)
	if i < 0 {
		t.Fatal("no blast-radius section")
	}
	section := page[i:strings.Index(page, "<h2>Scan</h2>")]
	for _, want := range []string{`<svg class="reach"`, "mcp-server/.mcp.json/containers", "Job/payments/migrate", "container runtime socket"} {
		if !strings.Contains(section, want) {
			t.Errorf("the section lacks %q", want)
		}
	}
	if strings.Index(section, "mcp-server/") > strings.Index(section, "Deployment/shop/web") {
		t.Error("the critical workload is not listed first")
	}
	for _, bad := range []string{"<script", "<img", "src=", "http://", "https://", "url("} {
		if strings.Contains(section, bad) {
			t.Errorf("the section contains %q", bad)
		}
	}
	plain := string(render(t, report.HTML, build(t, scanDir(t, dir, engine.Options{Paths: []string{dir}}), controls.NHI)))
	if strings.Contains(plain, "blast-radius") {
		t.Error("a report without workload details shows a blast-radius section")
	}

	evil := writeTree(t, map[string]string{"pod.yaml": "apiVersion: v1\nkind: Pod\nmetadata:\n  name: \"x<script>alert(1)</script>\"\nspec:\n  containers:\n    - name: a\n      image: x\n      securityContext: {privileged: true}\n"})
	page = string(render(t, report.HTML, build(t, scanDir(t, evil, engine.Options{Paths: []string{evil}, KeepDetails: true}), controls.NHI)))
	if strings.Contains(page, "<script>") || !strings.Contains(page, "x&lt;script&gt;") {
		t.Error("a workload name reached the blast-radius section unescaped")
	}

	// alternative builds of one object are told apart, bar and row
	alt := filepath.Join(repoRoot, "testdata/reach/alternatives")
	page = string(render(t, report.HTML, build(t, scanDir(t, alt, engine.Options{Paths: []string{alt}, KeepDetails: true}), controls.NHI)))
	for _, want := range []string{">prod: Deployment/orders/orders<", ">dev: Deployment/orders/orders<", ">ci/debug-values.yaml: Deployment/default/api<",
		"built in deploy/overlays/dev<"} {
		if !strings.Contains(page, want) {
			t.Errorf("the section lacks %q", want)
		}
	}

	// plain manifests copied per environment were built by nothing
	envs := filepath.Join(repoRoot, "testdata/k8s/projects/env-copies")
	page = string(render(t, report.HTML, build(t, scanDir(t, envs, engine.Options{Paths: []string{envs}, KeepDetails: true}), controls.NHI)))
	if !strings.Contains(page, "the copy in envs/prod/<") || strings.Contains(page, "built in envs/") {
		t.Error("a workload of plain manifests copied per environment is not shown as its environment's copy")
	}
}
