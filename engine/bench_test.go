package engine_test

import (
	"os"
	"path/filepath"
	"sync"
	"testing"

	"github.com/isolint/isolint/engine"
	"github.com/isolint/isolint/engine/enginetest"
)

var (
	benchOnce  sync.Once
	benchDir   string
	benchStats enginetest.TreeStats
	benchErr   error
)

// benchTree generates a 2,000-file tree once per test binary.
func benchTree(b *testing.B) (string, enginetest.TreeStats) {
	benchOnce.Do(func() {
		benchDir, benchErr = os.MkdirTemp("", "isolint-bench")
		if benchErr == nil {
			benchStats, benchErr = enginetest.GenerateTree(benchDir, enginetest.TreeOptions{Files: 2000, Seed: 1, Pad: 2048})
		}
	})
	if benchErr != nil {
		b.Fatal(benchErr)
	}
	return benchDir, benchStats
}

// BenchmarkEngineTree runs the whole pipeline (walk, read, classify,
// lower, check, filter, sort) over a realistic generated tree.
// MB/s is of Kubernetes YAML read; files/s is reported alongside.
func BenchmarkEngineTree(b *testing.B) {
	dir, st := benchTree(b)
	b.SetBytes(st.Bytes)
	b.ReportAllocs()
	for b.Loop() {
		res, err := engine.Run(engine.Options{Paths: []string{dir}, Base: dir})
		if err != nil {
			b.Fatal(err)
		}
		if len(res.Findings) == 0 {
			b.Fatal("no findings")
		}
	}
	b.ReportMetric(float64(st.Files)*float64(b.N)/b.Elapsed().Seconds(), "files/s")
}

// BenchmarkEngineFewFiles is the pre-commit case: five named files.
func BenchmarkEngineFewFiles(b *testing.B) {
	dir, _ := benchTree(b)
	var files []string
	var size int64
	filepath.WalkDir(dir, func(p string, d os.DirEntry, err error) error {
		if err == nil && !d.IsDir() && len(files) < 5 {
			files = append(files, p)
			if info, err := d.Info(); err == nil {
				size += info.Size()
			}
		}
		return nil
	})
	b.SetBytes(size)
	b.ReportAllocs()
	for b.Loop() {
		if _, err := engine.Run(engine.Options{Paths: files, Base: dir}); err != nil {
			b.Fatal(err)
		}
	}
}
