package subprocenv_test

import (
	"testing"

	"github.com/isolint/isolint/scanners/golang/subprocenv"
	"golang.org/x/tools/go/analysis/analysistest"
)

func TestAnalyzer(t *testing.T) {
	analysistest.Run(t, analysistest.TestData(), subprocenv.Analyzer, "a", "b", "d")
}

func TestAnalyzerIncludeTests(t *testing.T) {
	if err := subprocenv.Analyzer.Flags.Set("include-tests", "true"); err != nil {
		t.Fatal(err)
	}
	defer subprocenv.Analyzer.Flags.Set("include-tests", "false")
	analysistest.Run(t, analysistest.TestData(), subprocenv.Analyzer, "c")
}
