// Package golang reads Go source offline and lowers the child processes it
// starts onto the model (model.Subprocess). The judgement is
// subprocenv.Check, the same code the go/analysis analyzer runs; this
// package only parses, type-checks against stubs and converts positions.
package golang

import (
	"bytes"
	"fmt"
	"go/ast"
	"go/parser"
	"go/scanner"
	"go/token"
	"go/types"
	"path"
	"runtime"
	"sort"
	"strings"
	"sync"
	"unicode/utf8"

	"github.com/isolint/isolint/model"
	"github.com/isolint/isolint/scanners/golang/subprocenv"
	"github.com/isolint/isolint/source"
)

// Options configure the Go scanner.
type Options struct {
	// Tests includes _test.go files and files under testdata/ directories,
	// which are left out by default: test helpers start fake children.
	Tests bool
}

// ClaimPath claims Go source files.
func ClaimPath(p string) bool { return strings.HasSuffix(p, ".go") }

// Skip reports a file the scan leaves out unless Options.Tests is set: a
// _test.go file, or one under a testdata directory. rel is the path
// relative to the scan root, so that a testdata directory named as the
// root is scanned.
func Skip(rel string) bool {
	if strings.HasSuffix(rel, "_test.go") {
		return true
	}
	dir := path.Dir(rel)
	for dir != "." && dir != "/" && dir != "" {
		if path.Base(dir) == "testdata" {
			return true
		}
		dir = path.Dir(dir)
	}
	return false
}

// markers are byte strings without which a file cannot start a process:
// a package with none of them in any file is neither parsed nor checked.
var markers = [][]byte{[]byte(`"os/exec"`), []byte(`"golang.org/x/sys/execabs"`), []byte("StartProcess"), []byte("Exec(")}

func mayLaunch(content []byte) bool {
	for _, m := range markers {
		if bytes.Contains(content, m) {
			return true
		}
	}
	return false
}

// ScanAll lowers the Go files of a scan. Files are grouped into packages
// (directory and package clause) so that a Cmd made in one file and
// started in another is followed; packages are checked in parallel.
func ScanAll(files []*source.File) *model.Project {
	var dirs [][]*source.File
	index := map[string]int{}
	for _, f := range files {
		d := path.Dir(f.Path)
		i, ok := index[d]
		if !ok {
			i = len(dirs)
			index[d] = i
			dirs = append(dirs, nil)
		}
		dirs[i] = append(dirs[i], f)
	}
	out := make([]*model.Project, len(dirs))
	next := make(chan int)
	var wg sync.WaitGroup
	for range min(runtime.GOMAXPROCS(0), len(dirs)) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range next {
				out[i] = scanDir(dirs[i])
			}
		}()
	}
	for i := range dirs {
		next <- i
	}
	close(next)
	wg.Wait()
	proj := &model.Project{}
	for _, p := range out {
		proj.Merge(p)
	}
	return proj
}

// scanDir parses the files of one directory, when any of them may start a
// process, and checks each package in it.
func scanDir(files []*source.File) (proj *model.Project) {
	proj = &model.Project{}
	candidate := false
	for _, f := range files {
		if mayLaunch(f.Content) {
			candidate = true
			break
		}
	}
	if !candidate {
		return proj
	}
	defer func() {
		if r := recover(); r != nil {
			proj = &model.Project{Notices: []model.Notice{{Level: model.NoticeError, Loc: model.Location{File: files[0].Path},
				Message: fmt.Sprintf("internal error while checking the Go package in this directory (please report it): %v", r)}}}
		}
	}()
	fset := token.NewFileSet()
	content := map[string][]byte{}
	packages := map[string][]*ast.File{}
	launching := map[string]bool{}
	var names []string
	for _, f := range files {
		af, err := parser.ParseFile(fset, f.Path, f.Content, parser.SkipObjectResolution)
		if err != nil {
			proj.Notices = append(proj.Notices, parseNotice(f.Path, f.Content, err))
		}
		if af == nil || af.Name == nil || af.Name.Name == "" || af.Name.Name == "_" {
			continue
		}
		content[f.Path] = f.Content
		name := af.Name.Name
		if _, ok := packages[name]; !ok {
			names = append(names, name)
		}
		packages[name] = append(packages[name], af)
		launching[name] = launching[name] || mayLaunch(f.Content)
	}
	sort.Strings(names)
	for _, name := range names {
		if !launching[name] {
			continue
		}
		proj.Subprocesses = append(proj.Subprocesses, checkPackage(fset, path.Dir(files[0].Path), packages[name], content)...)
	}
	return proj
}

// checkPackage type-checks one package against stubs and lowers what the
// analysis finds.
func checkPackage(fset *token.FileSet, dir string, files []*ast.File, content map[string][]byte) []*model.Subprocess {
	info := &types.Info{
		Defs:       map[*ast.Ident]types.Object{},
		Uses:       map[*ast.Ident]types.Object{},
		Selections: map[*ast.SelectorExpr]*types.Selection{},
	}
	conf := types.Config{
		Importer:                 stubImporter{exec: true},
		FakeImportC:              true,
		DisableUnusedImportCheck: true,
		Error:                    func(error) {}, // unresolved imports are expected
	}
	pkg, _ := conf.Check(dir, fset, files, info)
	pos := positions{fset: fset, content: content}
	var out []*model.Subprocess
	for _, l := range subprocenv.Check(files, info, pkg) {
		s := &model.Subprocess{
			Loc:         pos.loc(l.At),
			Call:        l.Call,
			Package:     pkg.Name(),
			Func:        l.Func,
			EnvSet:      l.EnvSet,
			EnvInherits: l.Verdict == subprocenv.Inherits,
			EnvFrom:     l.EnvFrom,
			Unknown:     l.Verdict == subprocenv.Unknown,
		}
		s.Loc.Object = pkg.Name() + "." + strings.TrimPrefix(l.Func, "var ")
		s.Loc.Path = l.Key()
		if l.EnvSet && l.Env != nil {
			s.EnvLoc = pos.loc(l.Env)
			s.EnvLoc.Object, s.EnvLoc.Path = s.Loc.Object, s.Loc.Path
		}
		for _, v := range l.Via {
			s.Via = append(s.Via, model.Related{Loc: pos.loc(v), Message: "the Cmd is returned here and started without an Env of its own"})
		}
		out = append(out, s)
	}
	return out
}

// positions converts token positions to model locations, with columns in
// Unicode code points as the model wants.
type positions struct {
	fset    *token.FileSet
	content map[string][]byte
}

func (p positions) loc(n ast.Node) model.Location {
	// unadjusted: a //line directive must not move a finding to another file
	start, end := p.fset.PositionFor(n.Pos(), false), p.fset.PositionFor(n.End(), false)
	return model.Location{
		File: start.Filename, Line: start.Line, Col: p.col(start),
		EndLine: end.Line, EndCol: p.col(end),
	}
}

func (p positions) col(at token.Position) int {
	b := p.content[at.Filename]
	if at.Offset > len(b) || at.Column <= 0 {
		return at.Column
	}
	lineStart := at.Offset - (at.Column - 1)
	if lineStart < 0 {
		return at.Column
	}
	return utf8.RuneCount(b[lineStart:at.Offset]) + 1
}

// parseNotice reports the first syntax error of a file. The parser quotes
// the offending literal ("found 'STRING' \"…\""), which could be a
// credential: the message keeps only what was expected.
func parseNotice(file string, content []byte, err error) model.Notice {
	n := model.Notice{Level: model.NoticeError, Loc: model.Location{File: file}, Message: "Go syntax error; the file was checked as far as it parses"}
	if list, ok := err.(scanner.ErrorList); ok && len(list) > 0 {
		e := list[0]
		if e.Pos.Filename == file { // not moved by a //line directive
			n.Loc.Line, n.Loc.Col = e.Pos.Line, runeCol(content, e.Pos.Line, e.Pos.Column)
		}
		msg, _, _ := strings.Cut(e.Msg, ", found")
		n.Message = "Go syntax error: " + msg + "; the file was checked as far as it parses"
	}
	return n
}

// runeCol converts a 1-based byte column on a 1-based line to code points.
func runeCol(content []byte, line, col int) int {
	off := 0
	for l := 1; l < line; l++ {
		i := bytes.IndexByte(content[off:], '\n')
		if i < 0 {
			return col
		}
		off += i + 1
	}
	if off+col-1 > len(content) || col < 1 {
		return col
	}
	return utf8.RuneCount(content[off:off+col-1]) + 1
}
