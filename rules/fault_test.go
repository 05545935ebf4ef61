package rules

import (
	"reflect"
	"testing"

	"github.com/isolint/isolint/model"
)

// boomRule reports every workload, and panics on the one named boom after
// reporting it; its project check panics when the project holds boom.
func boomRule() *Rule {
	return &Rule{ID: "boom-rule", Severity: High, Confidence: ConfidenceHigh, Formats: []model.Format{model.FormatK8s},
		Workload: func(p *Pass, w *model.Workload) {
			p.Report(Finding{Message: "seen", Loc: w.Loc, Format: w.Format})
			if w.Name == "boom" {
				var items []string
				_ = items[len(w.Name)] // out of range: the kind of bug a check may hide
			}
		},
		Project: func(p *Pass, proj *model.Project) {
			for _, w := range proj.Workloads {
				if w.Name == "boom" {
					panic("project check bug")
				}
			}
		},
	}
}

func TestFaultCostsOneCheckNotTheScan(t *testing.T) {
	ws := []*model.Workload{
		{Format: model.FormatK8s, Kind: "Pod", Name: "a", Loc: model.Location{File: "a.yaml", Line: 1}},
		{Format: model.FormatK8s, Kind: "Pod", Name: "boom", Loc: model.Location{File: "b.yaml", Line: 1}},
		{Format: model.FormatK8s, Kind: "Pod", Name: "c", Loc: model.Location{File: "c.yaml", Line: 1}},
	}
	faults := &Faults{}
	fs := CheckWorkloads([]*Rule{boomRule()}, ws, Options{Faults: faults})
	var files []string
	for _, f := range fs {
		files = append(files, f.Loc.File)
	}
	// the finding reported before the panic stands, and the next workload is checked
	if want := []string{"a.yaml", "b.yaml", "c.yaml"}; !reflect.DeepEqual(files, want) {
		t.Errorf("findings in %v, want %v", files, want)
	}
	if want := []Fault{{Rule: "boom-rule", File: "b.yaml", Line: 1, Format: model.FormatK8s}}; !reflect.DeepEqual(faults.List(), want) {
		t.Errorf("faults %+v, want %+v", faults.List(), want)
	}

	// a rule that stops on several workloads of one file: one fault, at
	// the first
	faults = &Faults{}
	two := []*model.Workload{
		{Format: model.FormatK8s, Kind: "Pod", Name: "boom", Loc: model.Location{File: "d.yaml", Line: 9}},
		{Format: model.FormatK8s, Kind: "Pod", Name: "boom", Loc: model.Location{File: "d.yaml", Line: 3}},
	}
	CheckWorkloads([]*Rule{boomRule()}, two, Options{Faults: faults})
	if want := []Fault{{Rule: "boom-rule", File: "d.yaml", Line: 3, Format: model.FormatK8s}}; !reflect.DeepEqual(faults.List(), want) {
		t.Errorf("faults %+v, want %+v", faults.List(), want)
	}

	proj := &model.Project{Workloads: ws}
	faults = &Faults{}
	RunProject([]*Rule{boomRule()}, proj, Options{Faults: faults})
	Run([]*Rule{boomRule()}, proj, Options{Faults: faults})
	want := []Fault{{Rule: "boom-rule"}, {Rule: "boom-rule", File: "b.yaml", Line: 1, Format: model.FormatK8s}}
	if !reflect.DeepEqual(faults.List(), want) {
		t.Errorf("faults %+v, want %+v (each once, by file)", faults.List(), want)
	}
}

func TestFaultWithoutCollectorPanics(t *testing.T) {
	defer func() {
		if recover() == nil {
			t.Error("a panicking check was swallowed with no one to tell")
		}
	}()
	CheckWorkloads([]*Rule{boomRule()}, []*model.Workload{{Format: model.FormatK8s, Name: "boom"}}, Options{})
}
