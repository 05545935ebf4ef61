package output_test

import (
	"io"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/isolint/isolint/engine"
	"github.com/isolint/isolint/engine/enginetest"
	"github.com/isolint/isolint/model"
	"github.com/isolint/isolint/output"
	"github.com/isolint/isolint/rules"
)

// BenchmarkWriters writes the result of a 2,000-file tree of every format
// in each output format.
func BenchmarkWriters(b *testing.B) {
	dir := b.TempDir()
	if _, err := enginetest.GenerateTree(dir, enginetest.TreeOptions{Files: 2000, Seed: 1, AllFormats: true}); err != nil {
		b.Fatal(err)
	}
	res := scan(b, dir, dir)
	benchWriters(b, res)
}

// BenchmarkSARIFOverCap writes a log whose results exceed GitHub's 10 MB:
// each result is encoded once, however many are left out.
func BenchmarkSARIFOverCap(b *testing.B) {
	res := &engine.Result{Stats: engine.Stats{Formats: map[model.Format]*engine.FormatStats{}}}
	for i := range 3000 {
		res.Findings = append(res.Findings, rules.Finding{
			RuleID: "privileged-container", Severity: rules.Severity(1 + i%4), Confidence: rules.ConfidenceHigh,
			Message: strings.Repeat("m", 5000), Fingerprint: strconv.Itoa(i),
			Loc: model.Location{File: "big.yaml", Line: i + 1, Col: 1, EndLine: i + 1, EndCol: 5},
		})
	}
	b.ReportAllocs()
	for b.Loop() {
		if err := output.SARIF(io.Discard, res, output.Options{}); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkWritersPreCommit writes the result of a pre-commit run (one
// file of each of five formats): what a writer costs whatever the number of
// findings (SARIF's rule metadata, for one).
func BenchmarkWritersPreCommit(b *testing.B) {
	dir := b.TempDir()
	if _, err := enginetest.GenerateTree(dir, enginetest.TreeOptions{Files: 40, Seed: 1, AllFormats: true}); err != nil {
		b.Fatal(err)
	}
	var five []string
	for _, suffix := range []string{"deployment.yaml", ".tf", "workflows/ci.yml", ".gitlab-ci.yml", "docker-compose.yml"} {
		filepath.WalkDir(dir, func(p string, d os.DirEntry, err error) error {
			if err != nil || d.IsDir() || !strings.HasSuffix(filepath.ToSlash(p), suffix) {
				return nil
			}
			five = append(five, p)
			return filepath.SkipAll
		})
	}
	if len(five) != 5 {
		b.Fatalf("found %d of the five formats: %v", len(five), five)
	}
	res := scan(b, dir, five...)
	benchWriters(b, res)
}

// benchWriters times the text, JSON and SARIF writers on one result.
func benchWriters(b *testing.B, res *engine.Result) {
	for _, name := range []string{"text", "json", "sarif"} {
		w := output.Formats[name]
		b.Run(name, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				if err := w(io.Discard, res, output.Options{}); err != nil {
					b.Fatal(err)
				}
			}
			b.ReportMetric(float64(len(res.Findings)), "findings")
		})
	}
}
