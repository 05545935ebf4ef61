package report_test

import (
	"io"
	"testing"

	"github.com/isolint/isolint/controls"
	"github.com/isolint/isolint/engine"
	"github.com/isolint/isolint/engine/enginetest"
	"github.com/isolint/isolint/report"
)

// BenchmarkReport builds the NIST SP 800-53 report (the largest catalogue)
// of a generated 2,000-file tree and renders it in every format, after the
// scan: the report's own cost.
func BenchmarkReport(b *testing.B) {
	dir := b.TempDir()
	if _, err := enginetest.GenerateTree(dir, enginetest.TreeOptions{Files: 2000, Seed: 1}); err != nil {
		b.Fatal(err)
	}
	res := scanDir(b, dir, engine.Options{Paths: []string{dir}})
	b.ResetTimer()
	for b.Loop() {
		r, err := report.Build(res, report.Options{Framework: controls.NIST80053, Version: "bench", Time: reportTime})
		if err != nil {
			b.Fatal(err)
		}
		for _, name := range report.WriterNames() {
			if err := report.Writers[name](io.Discard, r); err != nil {
				b.Fatal(err)
			}
		}
	}
	b.ReportMetric(float64(len(res.Findings)), "findings")
}
