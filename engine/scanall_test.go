package engine

import (
	"slices"
	"strings"
	"testing"

	"github.com/isolint/isolint/model"
	"github.com/isolint/isolint/rules"
	"github.com/isolint/isolint/scanners"
	"github.com/isolint/isolint/source"
)

// scanAllFormats checks the workloads a scanner hands over unit by unit,
// and the rest at the end; a scanner that panics after handing some over
// leaves no findings of that format but an error notice, which makes the
// scan's files unread (exit 5), never a partial pass.
func TestScanAllFormatsHandOverAndPanic(t *testing.T) {
	w1 := &model.Workload{Format: model.FormatTerraform, Kind: "aws_instance", Name: "a"}
	w2 := &model.Workload{Format: model.FormatTerraform, Kind: "aws_instance", Name: "b"}
	files := map[model.Format][]*source.File{model.FormatTerraform: {{Path: "main.tf", Content: []byte("x")}}}
	check := func(seen *[][]string) func([]*model.Workload, []*model.Pipeline) ([]rules.Finding, *model.Details) {
		return func(ws []*model.Workload, _ []*model.Pipeline) ([]rules.Finding, *model.Details) {
			var names []string
			var fs []rules.Finding
			for _, w := range ws {
				names = append(names, w.Name)
				fs = append(fs, rules.Finding{RuleID: "r", Workload: w.Name})
			}
			*seen = append(*seen, names)
			return fs, nil
		}
	}
	for _, panics := range []bool{false, true} {
		reg := scanners.New(scanners.Options{})
		reg.ByFormat(model.FormatTerraform).ScanAll = func(_ []*source.File, done func([]*model.Workload)) *model.Project {
			done([]*model.Workload{w1})
			if panics {
				panic("boom")
			}
			return &model.Project{Workloads: []*model.Workload{w1, w2}}
		}
		var seen [][]string
		out := scanAllFormats(reg, files, 1, check(&seen))[model.FormatTerraform]
		var got []string
		for _, f := range out.findings {
			got = append(got, f.Workload)
		}
		if !panics {
			if len(seen) != 2 || !slices.Equal(seen[0], []string{"a"}) || !slices.Equal(seen[1], []string{"b"}) || !slices.Equal(got, []string{"a", "b"}) {
				t.Errorf("hand-over: checked %q, findings of %q; want [a] then [b], findings of a and b", seen, got)
			}
			continue
		}
		if len(got) != 0 || len(out.project.Workloads) != 0 {
			t.Errorf("after a panic: findings of %q, %d workloads; want none", got, len(out.project.Workloads))
		}
		if n := out.project.Notices; len(n) != 1 || n[0].Level != model.NoticeError || n[0].Loc.File != "main.tf" || !strings.Contains(n[0].Message, "internal error") {
			t.Errorf("after a panic: notices %+v, want one error on main.tf", n)
		}
	}
}
