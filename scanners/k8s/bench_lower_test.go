package k8s

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/isolint/isolint/engine/enginetest"
)

// BenchmarkScanFile lowers every file of a generated tree: the scanner
// alone, without the walk or the rules.
func BenchmarkScanFile(b *testing.B) {
	dir := b.TempDir()
	if _, err := enginetest.GenerateTree(dir, enginetest.TreeOptions{Files: 400, Seed: 3, Pad: 2048}); err != nil {
		b.Fatal(err)
	}
	var contents [][]byte
	var total int64
	filepath.WalkDir(dir, func(p string, d os.DirEntry, err error) error {
		if err == nil && !d.IsDir() {
			c, _ := os.ReadFile(p)
			contents = append(contents, c)
			total += int64(len(c))
		}
		return nil
	})
	s := New(Options{})
	b.SetBytes(total)
	b.ReportAllocs()
	for b.Loop() {
		for _, c := range contents {
			if Sniff(c) {
				s.Scan("f.yaml", c)
			}
		}
	}
}
