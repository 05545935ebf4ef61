package golang_test

import (
	"path/filepath"
	"slices"
	"sort"
	"testing"

	"github.com/isolint/isolint/engine"
	"github.com/isolint/isolint/internal/testfiles"
	"github.com/isolint/isolint/model"
)

const inherits = "package main\n\nimport \"os/exec\"\n\nfunc main() { exec.Command(\"x\").Run() }\n"

const explicit = "package main\n\nimport \"os/exec\"\n\nfunc main() {\n\tc := exec.Command(\"x\")\n\tc.Env = []string{}\n\tc.Run()\n}\n"

func findings(t *testing.T, opts engine.Options) ([]string, *engine.Result) {
	t.Helper()
	res, err := engine.Run(opts)
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, f := range res.Findings {
		got = append(got, f.Loc.File)
	}
	sort.Strings(got)
	return got, res
}

// TestTestsAreSkippedByDefault: _test.go files and testdata directories
// below the scan root are left out, walked or named; --go-tests takes them
// in; a testdata directory named as the root is scanned.
func TestTestsAreSkippedByDefault(t *testing.T) {
	root := t.TempDir()
	testfiles.WriteTree(t, root, map[string]string{
		"main.go":               inherits,
		"main_test.go":          "package main\n\nimport (\n\t\"os/exec\"\n\t\"testing\"\n)\n\nfunc TestX(t *testing.T) { exec.Command(\"x\").Run() }\n",
		"testdata/fake/fake.go": inherits,
		"vendor/dep/dep.go":     inherits,
	})
	got, res := findings(t, engine.Options{Paths: []string{root}, Base: root})
	if len(got) != 1 || got[0] != "main.go" {
		t.Errorf("default scan: findings in %v, want main.go only", got)
	}
	if st := res.Stats.Formats[model.FormatGo]; st.Seen != 1 {
		t.Errorf("default scan: %d go files seen, want 1 (tests are not counted)", st.Seen)
	}
	got, _ = findings(t, engine.Options{Paths: []string{filepath.Join(root, "main_test.go")}, Base: root})
	if len(got) != 0 {
		t.Errorf("a named _test.go file: findings in %v, want none", got)
	}
	got, _ = findings(t, engine.Options{Paths: []string{root}, Base: root, GoTests: true})
	if want := []string{"main.go", "main_test.go", "testdata/fake/fake.go"}; !slices.Equal(got, want) {
		t.Errorf("--go-tests: findings in %v, want %v (vendor/ stays pruned)", got, want)
	}
	got, _ = findings(t, engine.Options{Paths: []string{filepath.Join(root, "testdata")}, Base: root})
	if want := []string{"testdata/fake/fake.go"}; !slices.Equal(got, want) {
		t.Errorf("testdata as the root: findings in %v, want %v", got, want)
	}
}

// TestSubprocessesCount: a Go file whose launches are all fine still
// counts as checked input (the compliance report says the rule was tested).
func TestSubprocessesCount(t *testing.T) {
	root := t.TempDir()
	testfiles.WriteTree(t, root, map[string]string{"main.go": explicit})
	got, res := findings(t, engine.Options{Paths: []string{root}, Base: root})
	if len(got) != 0 {
		t.Errorf("findings in %v", got)
	}
	if n := res.Stats.Objects[model.FormatGo]; n != 1 {
		t.Errorf("Objects[go] = %d, want 1", n)
	}
}
