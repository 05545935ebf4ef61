package reach_test

import (
	"io"
	"testing"

	"github.com/isolint/isolint/engine"
	"github.com/isolint/isolint/engine/enginetest"
	"github.com/isolint/isolint/reach"
)

// BenchmarkCompute measures the blast-radius computation alone (the scan
// is done once, outside the timer) over a generated 1,000-file tree, and
// the text writer over its result.
func BenchmarkCompute(b *testing.B) {
	dir := b.TempDir()
	if _, err := enginetest.GenerateTree(dir, enginetest.TreeOptions{Files: 1000, Seed: 1}); err != nil {
		b.Fatal(err)
	}
	res, err := engine.Run(engine.Options{Paths: []string{dir}, Base: dir, Now: fixedNow, KeepDetails: true})
	if err != nil {
		b.Fatal(err)
	}
	b.ReportMetric(float64(len(res.Project.Workloads)), "workloads")
	b.Run("compute", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			reach.Compute(res.Project)
		}
	})
	r := reach.Compute(res.Project)
	b.Run("text", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			if err := reach.Text(io.Discard, r); err != nil {
				b.Fatal(err)
			}
		}
	})
}
