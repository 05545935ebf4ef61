package k8s

import (
	"testing"

	"github.com/isolint/isolint/model"
	"github.com/isolint/isolint/scanners/yamldoc"
)

// sourceFile places built line n on line n+10 of a source file.
type sourceFile string

func (f sourceFile) Locate(l model.Location) (model.Location, []model.Related) {
	l.File, l.Line, l.EndLine = string(f), l.Line+10, l.EndLine+10
	return l, nil
}

func TestScanDocsMapsEveryLocationAndTagsTheUnit(t *testing.T) {
	docs := [][]byte{
		[]byte("apiVersion: v1\nkind: Pod\nmetadata:\n  name: a\nspec:\n  hostNetwork: true\n  containers:\n    - name: c\n      image: x\n"),
		[]byte("apiVersion: v1\nkind: ServiceAccount\nmetadata:\n  name: a\n"),
		[]byte("apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: skipped\n"),
	}
	origins := []yamldoc.Origin{sourceFile("base/pod.yaml"), sourceFile("base/sa.yaml"), nil}
	p := New(Options{}).ScanDocs("overlays/prod", docs, func(i int) yamldoc.Origin { return origins[i] })
	noNotices(t, p)
	if len(p.Workloads) != 1 || len(p.ServiceAccounts) != 1 {
		t.Fatalf("lowered %d workloads, %d accounts", len(p.Workloads), len(p.ServiceAccounts))
	}
	w := p.Workloads[0]
	if w.Unit != "overlays/prod" || p.ServiceAccounts[0].Unit != "overlays/prod" {
		t.Errorf("units = %q, %q", w.Unit, p.ServiceAccounts[0].Unit)
	}
	if l := w.HostNetwork.Loc; l.File != "base/pod.yaml" || l.Line != 16 {
		t.Errorf("hostNetwork at %s, want base/pod.yaml:16", l)
	}
	if l := w.Containers[0].Loc; l.File != "base/pod.yaml" || l.Line != 18 {
		t.Errorf("container at %s, want base/pod.yaml:18", l)
	}
	if l := p.ServiceAccounts[0].Loc; l.File != "base/sa.yaml" {
		t.Errorf("account at %s", l)
	}
}
