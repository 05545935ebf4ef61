package k8s

import (
	"testing"

	"github.com/isolint/isolint/model"
	"github.com/isolint/isolint/scanners/yamldoc"
)

// lineOrigin maps rendered line n to line n+10 of a template.
type lineOrigin struct{ file string }

func (o lineOrigin) Locate(l model.Location) (model.Location, []model.Related) {
	l.File, l.Line, l.EndLine = o.file, l.Line+10, l.EndLine+10
	return l, nil
}

func TestScanRenderedMapsLocations(t *testing.T) {
	text := []byte(`apiVersion: v1
kind: Pod
metadata: {name: p}
spec:
  hostNetwork: true
  containers: [{name: c, image: x}]
---
apiVersion: v1
kind: Pod
metadata: {name: q
`)
	var seen []int
	p := New(Options{}).ScanRendered("<rendered>", text, func(raw yamldoc.RawDoc) yamldoc.Origin {
		seen = append(seen, raw.Line)
		return lineOrigin{file: "chart/templates/pod.yaml"}
	})
	if len(seen) != 2 || seen[0] != 1 || seen[1] != 7 {
		t.Errorf("origins asked for documents at lines %v, want [1 7] (a document starts at its marker line)", seen)
	}
	if len(p.Workloads) != 1 {
		t.Fatalf("workloads: %d", len(p.Workloads))
	}
	hn := p.Workloads[0].HostNetwork
	if hn.Loc.File != "chart/templates/pod.yaml" || hn.Loc.Line != 15 {
		t.Errorf("hostNetwork at %s, want chart/templates/pod.yaml:15", hn.Loc)
	}
	if len(p.Notices) != 1 || p.Notices[0].Loc.File != "chart/templates/pod.yaml" || p.Notices[0].Loc.Line < 18 {
		t.Errorf("the parse error is not mapped: %+v", p.Notices)
	}
	// without an origin, locations are in the rendered text
	p = New(Options{}).ScanRendered("<stdin>", text, nil)
	if len(p.Workloads) != 1 || p.Workloads[0].HostNetwork.Loc.File != "<stdin>" || p.Workloads[0].HostNetwork.Loc.Line != 5 {
		t.Errorf("without origin: %+v", p.Workloads)
	}
}
