// Package golang reads Go source offline and lowers the child processes it
// starts onto the model (model.Subprocess). The judgement is
// subprocenv.Check, the same code the go/analysis analyzer runs; this
// package only parses, type-checks against stubs and converts positions.
package golang

import (
	"bytes"
	"errors"
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

	"github.com/isolint/isolint/internal/safetext"
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

// mayLaunch reports whether a file may start a process: it names os/exec
// (or x/sys/execabs), calls a StartProcess or ForkExec, or imports syscall
// or x/sys/unix and calls an Exec. A package with no such file is neither
// parsed nor checked (database/sql's db.Exec alone does not qualify).
func mayLaunch(content []byte) bool {
	switch {
	case bytes.Contains(content, []byte(`"os/exec"`)), bytes.Contains(content, []byte(`"golang.org/x/sys/execabs"`)),
		bytes.Contains(content, []byte("StartProcess(")), bytes.Contains(content, []byte("ForkExec(")):
		return true
	}
	return bytes.Contains(content, []byte("Exec(")) &&
		(bytes.Contains(content, []byte(`"syscall"`)) || bytes.Contains(content, []byte(`"golang.org/x/sys/unix"`)))
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
				Message: fmt.Sprintf("internal error while checking the Go package in this directory (please report it): %v", safetext.Panic(r))}}}
		}
	}()
	fset := token.NewFileSet()
	content := map[string][]byte{}
	type member struct {
		file *ast.File
		unit unit
	}
	packages := map[string][]member{}
	launching := map[string]bool{}
	var names []string
	for _, f := range files {
		if err := source.CheckNesting(f.Content, source.Go, 0); err != nil {
			var ne *source.NestingError
			errors.As(err, &ne)
			proj.Notices = append(proj.Notices, model.Notice{Level: model.NoticeError, Loc: model.Location{File: f.Path, Line: ne.Line, Col: ne.Col},
				Message: "Go source not checked: " + err.Error()})
			continue
		}
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
		packages[name] = append(packages[name], member{af, unit{path.Base(f.Path), f.Content}})
		launching[name] = launching[name] || mayLaunch(f.Content)
	}
	sort.Strings(names)
	pos := positions{fset: fset, content: content}
	dir := path.Dir(files[0].Path)
	for _, name := range names {
		if !launching[name] {
			continue
		}
		members := packages[name]
		units := make([]unit, len(members))
		for i, m := range members {
			units[i] = m.unit
		}
		var launches []subprocenv.Launch
		for _, set := range buildSets(units) {
			var fs []*ast.File
			launchingSet := false
			for _, i := range set {
				fs = append(fs, members[i].file)
				launchingSet = launchingSet || mayLaunch(members[i].unit.content)
			}
			if launchingSet {
				launches = append(launches, checkPackage(fset, dir, fs)...)
			}
		}
		for _, l := range mergeBuilds(launches) {
			proj.Subprocesses = append(proj.Subprocesses, lower(pos, name, l))
		}
	}
	return proj
}

// checkPackage type-checks one build of a package against stubs and runs
// the analysis.
func checkPackage(fset *token.FileSet, dir string, files []*ast.File) []subprocenv.Launch {
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
	return subprocenv.Check(files, info, pkg)
}

// mergeBuilds keeps one result per launch site across the builds of a
// package: a file several builds compile is checked in each. A site that
// inherits in some build inherits; otherwise it is unknown if any build
// says so, else explicit.
func mergeBuilds(ls []subprocenv.Launch) []subprocenv.Launch {
	type key struct {
		at  token.Pos
		env token.Pos
	}
	bySite := map[token.Pos][]subprocenv.Launch{}
	var order []token.Pos
	for _, l := range ls {
		at := l.At.Pos()
		if _, ok := bySite[at]; !ok {
			order = append(order, at)
		}
		bySite[at] = append(bySite[at], l)
	}
	sort.Slice(order, func(i, j int) bool { return order[i] < order[j] })
	var out []subprocenv.Launch
	for _, at := range order {
		group := bySite[at]
		seen := map[key]int{}
		var inherits []subprocenv.Launch
		best := group[0]
		for _, l := range group {
			switch l.Verdict {
			case subprocenv.Inherits:
				k := key{at, token.NoPos}
				if l.Env != nil {
					k.env = l.Env.Pos()
				}
				if i, ok := seen[k]; ok {
					inherits[i].Via = appendVia(inherits[i].Via, l.Via)
					continue
				}
				seen[k] = len(inherits)
				inherits = append(inherits, l)
			case subprocenv.Unknown:
				best = l
			}
		}
		if len(inherits) > 0 {
			out = append(out, inherits...)
		} else {
			out = append(out, best)
		}
	}
	return out
}

func appendVia(list, add []ast.Node) []ast.Node {
	for _, n := range add {
		dup := false
		for _, m := range list {
			if m.Pos() == n.Pos() {
				dup = true
				break
			}
		}
		if !dup {
			list = append(list, n)
		}
	}
	sort.Slice(list, func(i, j int) bool { return list[i].Pos() < list[j].Pos() })
	return list
}

// lower converts a launch to the model.
func lower(pos positions, pkgName string, l subprocenv.Launch) *model.Subprocess {
	s := &model.Subprocess{
		Loc:         pos.loc(l.At),
		Call:        l.Call,
		Package:     pkgName,
		Func:        l.Func,
		EnvSet:      l.EnvSet,
		EnvInherits: l.Verdict == subprocenv.Inherits,
		EnvFrom:     l.EnvFrom,
		Unknown:     l.Verdict == subprocenv.Unknown,
	}
	s.Loc.Object = pkgName + "." + strings.TrimPrefix(l.Func, "var ")
	s.Loc.Path = l.Key()
	if l.EnvSet && l.Env != nil {
		s.EnvLoc = pos.loc(l.Env)
		s.EnvLoc.Object, s.EnvLoc.Path = s.Loc.Object, s.Loc.Path
	}
	for _, v := range l.Via {
		s.Via = append(s.Via, model.Related{Loc: pos.loc(v), Message: "the Cmd is returned here and started without an Env of its own"})
	}
	return s
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
