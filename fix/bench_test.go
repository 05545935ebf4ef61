package fix_test

import (
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/isolint/isolint/engine/enginetest"
	"github.com/isolint/isolint/fix"
	"github.com/isolint/isolint/rules"
	"github.com/isolint/isolint/scanners/k8s"
	yaml "go.yaml.in/yaml/v3"
)

// BenchmarkAnnotateParsed is the fix survey a scan's file workers run on
// the Kubernetes files of a generated tree (Deployments, StatefulSets,
// CronJobs) right after checking them, reusing the scanner's trees. The
// survey moves the trees' lines, so each round scans and checks the files
// again: BenchmarkScanAndCheck is that part alone, and the difference is
// the survey's cost.
func BenchmarkAnnotateParsed(b *testing.B) { benchSurvey(b, true) }

// BenchmarkScanAndCheck is BenchmarkAnnotateParsed without the survey.
func BenchmarkScanAndCheck(b *testing.B) { benchSurvey(b, false) }

func benchSurvey(b *testing.B, survey bool) {
	dir := b.TempDir()
	if _, err := enginetest.GenerateTree(dir, enginetest.TreeOptions{Files: 200, Seed: 1}); err != nil {
		b.Fatal(err)
	}
	type file struct {
		path string
		src  []byte
	}
	var files []file
	var size int64
	filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err == nil && !d.IsDir() && strings.HasSuffix(p, ".yaml") {
			if src, err := os.ReadFile(p); err == nil && strings.Contains(string(src), "template:") {
				files = append(files, file{p, src})
				size += int64(len(src))
			}
		}
		return nil
	})
	if len(files) == 0 {
		b.Fatal("no workload files generated")
	}
	sc := k8s.New(k8s.Options{})
	all := rules.All()
	b.SetBytes(size)
	b.ReportAllocs()
	for b.Loop() {
		for _, f := range files {
			var docs []fix.Doc
			p := sc.ScanKeep(f.path, f.src, func(line int, root *yaml.Node) { docs = append(docs, fix.Doc{Line: line, Root: root}) })
			fs := rules.CheckWorkloads(all, p.Workloads, rules.Options{})
			if survey && len(fs) > 0 {
				fix.AnnotateParsed(fs, f.path, f.src, docs)
			}
		}
	}
}
