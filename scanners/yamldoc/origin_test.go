package yamldoc

import (
	"testing"

	"github.com/isolint/isolint/model"
)

// shiftOrigin maps rendered line n to line n+100 of a template and names a
// values line as the source of every value.
type shiftOrigin struct{}

func (shiftOrigin) Locate(l model.Location) (model.Location, []model.Related) {
	l.File, l.Line, l.EndLine = "templates/deploy.yaml", l.Line+100, l.EndLine+100
	return l, []model.Related{{Loc: model.Location{File: "values.yaml", Line: 7, Col: 3}, Message: "value set here"}}
}

func TestOriginMapsEveryLocation(t *testing.T) {
	raws := Split([]byte("spec:\n  hostNetwork: true\n"))
	d, err := Parse("<rendered>", raws[0])
	if err != nil {
		t.Fatal(err)
	}
	d.Origin = shiftOrigin{}
	v := d.Value().Get("spec").Get("hostNetwork")
	b := v.Bool()
	if b.Loc.File != "templates/deploy.yaml" || b.Loc.Line != 102 || b.Loc.Col != 3 {
		t.Errorf("Loc = %+v, want templates/deploy.yaml:102:3", b.Loc)
	}
	if len(b.Via) != 1 || b.Via[0].Loc.File != "values.yaml" {
		t.Errorf("Via = %+v, want the values line", b.Via)
	}
	if k := v.KeyLoc(); k.File != "templates/deploy.yaml" || k.Line != 102 {
		t.Errorf("KeyLoc = %+v", k)
	}
	if s := d.Value().Get("spec").Synthetic("x"); s.File != "templates/deploy.yaml" || s.Line != 101 || !s.Synthetic {
		t.Errorf("Synthetic = %+v", s)
	}
	d.Origin = nil
	if l := v.Loc(); l.File != "<rendered>" || l.Line != 2 {
		t.Errorf("without origin Loc = %+v", l)
	}
}
