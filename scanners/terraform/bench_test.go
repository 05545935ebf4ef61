package terraform

import (
	"io/fs"
	"os"
	"path/filepath"
	"testing"

	"github.com/isolint/isolint/model"
	"github.com/isolint/isolint/source"
)

// BenchmarkScanAll lowers every Terraform fixture (all projects at once,
// as one scan of the testdata tree). Report: go test -bench ScanAll
// -benchmem ./scanners/terraform; files/s is files/op ÷ s/op.
func BenchmarkScanAll(b *testing.B) {
	root, err := filepath.Abs("../../testdata/terraform")
	if err != nil {
		b.Fatal(err)
	}
	var files []*source.File
	var size int64
	err = filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || !ClaimPath(p) {
			return err
		}
		c, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(root, p)
		files = append(files, &source.File{Path: filepath.ToSlash(rel), Abs: p, Root: root, Content: c, Format: model.FormatTerraform})
		size += int64(len(c))
		return nil
	})
	if err != nil {
		b.Fatal(err)
	}
	b.SetBytes(size)
	b.ReportAllocs()
	b.ResetTimer()
	for b.Loop() {
		ScanAll(files)
	}
	b.ReportMetric(float64(len(files)), "files/op")
}
