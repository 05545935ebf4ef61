// Package subprocenv finds Go code that starts a child process with the
// parent's whole environment.
//
// It is isolint's rule subprocess-inherits-env as a go/analysis analyzer,
// for `go vet -vettool` and any other analysis driver; `isolint scan` runs
// the same Check over Go files it type-checks offline.
package subprocenv

import (
	"go/ast"
	"strings"

	"golang.org/x/tools/go/analysis"
)

// Doc is the analyzer's help.
const Doc = `report child processes that inherit the whole parent environment

An exec.Cmd whose Env is nil, and an os.ProcAttr whose Env is nil, start the
child with every variable of the parent: tokens an agent or CI job holds,
cloud credentials, database passwords. So does Env = os.Environ() or
append(os.Environ(), …). subprocenv reports

  - exec.Command / exec.CommandContext / exec.Cmd{…} started (Run, Start,
    Output, CombinedOutput) with Env never set, or set from os.Environ(),
    syscall.Environ() or cmd.Environ(), directly or through a variable or
    an in-package function;
  - os.StartProcess whose ProcAttr.Env is nil or os.Environ();
  - syscall.Exec, syscall.ForkExec, syscall.StartProcess and unix.Exec given
    os.Environ() (their nil environment is empty, and not reported).

The Cmd is followed through variables, unexported fields, in-package
helpers it is passed to and functions that return it. A Cmd handed to code
in another package, or an Env built by code the analysis cannot see, is not
reported. Set Env to the variables the child needs:

  cmd.Env = []string{"PATH=" + os.Getenv("PATH"), "HOME=" + home}

Test files (_test.go) are skipped unless -include-tests is given.`

// Analyzer reports child processes that inherit the parent's environment.
var Analyzer = &analysis.Analyzer{
	Name: "subprocenv",
	Doc:  Doc,
	URL:  "https://github.com/isolint/isolint/blob/main/docs/go.md",
	Run:  run,
}

var includeTests bool

func init() {
	Analyzer.Flags.BoolVar(&includeTests, "include-tests", false, "also check _test.go files")
}

func run(pass *analysis.Pass) (any, error) {
	files := pass.Files
	if !includeTests {
		files = make([]*ast.File, 0, len(pass.Files))
		for _, f := range pass.Files {
			if !strings.HasSuffix(pass.Fset.Position(f.Pos()).Filename, "_test.go") {
				files = append(files, f)
			}
		}
	}
	for _, l := range Check(files, pass.TypesInfo, pass.Pkg) {
		if l.Verdict != Inherits {
			continue
		}
		d := analysis.Diagnostic{Pos: l.Pos(), End: l.End(), Message: l.Describe()}
		for _, v := range l.Via {
			d.Related = append(d.Related, analysis.RelatedInformation{Pos: v.Pos(), End: v.End(), Message: "returned here and started without an Env of its own"})
		}
		pass.Report(d)
	}
	return nil, nil
}
