package subprocenv

import (
	"go/ast"
	"go/token"
	"go/types"
	"sort"
	"strconv"
	"strings"

	"github.com/isolint/isolint/model"
)

// Verdict is what the analysis knows of a child process's environment.
type Verdict uint8

const (
	// Unknown: the environment cannot be judged from the package alone.
	Unknown Verdict = iota
	// Inherits: the child receives the parent's whole environment.
	Inherits
	// Explicit: the child receives a list the program builds (or an
	// empty one).
	Explicit
)

func (v Verdict) String() string {
	switch v {
	case Inherits:
		return "inherits"
	case Explicit:
		return "explicit"
	}
	return "unknown"
}

// Launch is one child process a package starts, and where its environment
// comes from.
type Launch struct {
	// Call names the API ("exec.Command", "exec.Cmd", "os.StartProcess",
	// "syscall.Exec" …); At is the node to point at: the callee of the call,
	// or the type of a Cmd literal.
	Call string
	At   ast.Node
	// Func is the enclosing function as Go writes it ("run",
	// "(*Runner).Start", "var name"); Ordinal counts launches of the same
	// Call in Func, from 1, in source order.
	Func    string
	Ordinal int

	Verdict Verdict
	// EnvSet reports that the environment is given a value; Env is that
	// value (for Inherits, the one that passes the parent's environment on).
	EnvSet bool
	Env    ast.Expr
	// EnvFrom names the call that reads the parent's environment when Env
	// is set from it ("os.Environ()").
	EnvFrom string
	// Via are the call sites of functions that return the Cmd, where it is
	// started with the environment of the verdict.
	Via []ast.Node
}

// Pos and End are the range to report.
func (l *Launch) Pos() token.Pos {
	if l.Verdict == Inherits && l.EnvSet && l.Env != nil {
		return l.Env.Pos()
	}
	return l.At.Pos()
}

// End is the end of the range to report.
func (l *Launch) End() token.Pos {
	if l.Verdict == Inherits && l.EnvSet && l.Env != nil {
		return l.Env.End()
	}
	return l.At.End()
}

// Describe says, in one sentence, why the child inherits the environment:
// the isolint rule's message (model.Subprocess.Summary).
func (l *Launch) Describe() string {
	s := model.Subprocess{Call: l.Call, Func: l.Func, EnvSet: l.EnvSet, EnvFrom: l.EnvFrom}
	return s.Summary()
}

// Check finds the child processes the files of one package start and judges
// their environments. info needs Defs, Uses and Selections; it may come from
// a complete type check (the analyzer) or from a check whose imports are
// stubs (the isolint scan): the judgement uses only the identity of objects
// and of imported packages' functions, never their types.
func Check(files []*ast.File, info *types.Info, pkg *types.Package) []Launch {
	c := &checker{
		info:      info,
		pkg:       pkg,
		parent:    map[ast.Node]ast.Node{},
		indexed:   map[ast.Decl]bool{},
		localRefs: map[types.Object][]*ast.Ident{},
		decls:     map[*types.Func]*ast.FuncDecl{},
		holder:    map[types.Object]*fate{},
		vars:      map[varKey]*ev{},
		rets:      map[retKey]*ev{},
	}
	var sites []site
	for _, f := range files {
		c.findSites(f, &sites)
	}
	if len(sites) == 0 {
		return nil
	}
	for _, f := range files {
		for _, d := range f.Decls {
			c.all = append(c.all, d)
			if fd, ok := d.(*ast.FuncDecl); ok {
				if fn, ok := info.Defs[fd.Name].(*types.Func); ok {
					c.decls[fn] = fd
				}
			}
		}
	}
	sort.Slice(c.all, func(i, j int) bool { return c.all[i].Pos() < c.all[j].Pos() })
	var out []Launch
	for _, s := range sites {
		out = append(out, c.launches(s)...)
	}
	counts := map[string]int{}
	for i := range out {
		k := out[i].Func + "\x00" + out[i].Call
		counts[k]++
		out[i].Ordinal = counts[k]
	}
	return out
}

// site is a call or literal that makes a process.
type site struct {
	kind siteKind
	call string   // API name for messages
	node ast.Expr // the CallExpr, or the Cmd CompositeLit
	at   ast.Node // what to point at
	fn   string   // enclosing function
	lit  *ast.CompositeLit
}

type siteKind uint8

const (
	siteCmd       siteKind = iota + 1 // exec.Command, exec.CommandContext, exec.Cmd{…}
	siteStart                         // os.StartProcess: ProcAttr.Env nil inherits
	siteSysAttr                       // syscall.ForkExec/StartProcess: ProcAttr.Env nil is empty
	siteSysExec                       // syscall.Exec, unix.Exec: envv nil is empty
	siteUnhandled                     // not a launch
)

// execPaths are the packages whose Command, CommandContext and Cmd are
// os/exec's (x/sys/execabs re-exports them).
var execPaths = map[string]bool{"os/exec": true, "golang.org/x/sys/execabs": true}

// envReaders are the functions that return the parent's environment.
var envReaders = map[string]string{
	"os.Environ":                    "os.Environ()",
	"syscall.Environ":               "syscall.Environ()",
	"golang.org/x/sys/unix.Environ": "unix.Environ()",
}

// startMethods start a Cmd.
var startMethods = map[string]bool{"Run": true, "Start": true, "Output": true, "CombinedOutput": true}

// harmless are packages whose functions may be handed a Cmd (to print or
// log it) without setting its Env or starting it.
var harmless = map[string]bool{"fmt": true, "log": true, "log/slog": true, "errors": true}

type checker struct {
	info *types.Info
	pkg  *types.Package
	// The package is indexed lazily, one top-level declaration at a time:
	// most of a package (generated tables, large switches) never needs it.
	all        []ast.Decl // every top-level declaration, by position
	indexed    map[ast.Decl]bool
	parent     map[ast.Node]ast.Node         // for nodes of indexed declarations
	localRefs  map[types.Object][]*ast.Ident // objects local to indexed declarations
	globalRefs map[types.Object][]*ast.Ident // functions, fields, package variables; built on first use
	decls      map[*types.Func]*ast.FuncDecl
	holder     map[types.Object]*fate
	vars       map[varKey]*ev
	rets       map[retKey]*ev
	depth      int
}

// findSites lists the launch sites of a file.
func (c *checker) findSites(f *ast.File, sites *[]site) {
	for _, d := range f.Decls {
		switch d := d.(type) {
		case *ast.FuncDecl:
			c.findIn(d, funcName(d), sites)
		case *ast.GenDecl:
			if d.Tok != token.VAR {
				continue
			}
			for _, sp := range d.Specs {
				if vs, ok := sp.(*ast.ValueSpec); ok && len(vs.Names) > 0 {
					c.findIn(vs, "var "+vs.Names[0].Name, sites)
				}
			}
		}
	}
}

func (c *checker) findIn(n ast.Node, fname string, sites *[]site) {
	ast.Inspect(n, func(n ast.Node) bool {
		switch n := n.(type) {
		case *ast.CallExpr:
			if s, ok := c.launchCall(n); ok {
				s.fn = fname
				*sites = append(*sites, s)
			}
		case *ast.CompositeLit:
			if path, name := c.qualified(n.Type); execPaths[path] && name == "Cmd" {
				*sites = append(*sites, site{kind: siteCmd, call: "exec.Cmd", node: n, at: n.Type, fn: fname, lit: n})
			}
		}
		return true
	})
}

// parentOf returns the parent of n within its top-level declaration (nil
// for the declaration itself).
func (c *checker) parentOf(n ast.Node) ast.Node {
	if p, ok := c.parent[n]; ok {
		return p
	}
	if d := c.declAt(n.Pos()); d != nil && !c.indexed[d] {
		c.index(d)
		return c.parent[n]
	}
	return nil
}

// declAt returns the top-level declaration that contains pos.
func (c *checker) declAt(pos token.Pos) ast.Decl {
	i := sort.Search(len(c.all), func(i int) bool { return c.all[i].End() > pos })
	if i < len(c.all) && c.all[i].Pos() <= pos {
		return c.all[i]
	}
	return nil
}

// index records the parents of a declaration's nodes and the references
// to objects declared inside it.
func (c *checker) index(d ast.Decl) {
	c.indexed[d] = true
	var stack []ast.Node
	ast.Inspect(d, func(n ast.Node) bool {
		if n == nil {
			stack = stack[:len(stack)-1]
			return true
		}
		if len(stack) > 0 {
			c.parent[n] = stack[len(stack)-1]
		}
		stack = append(stack, n)
		if id, ok := n.(*ast.Ident); ok {
			obj := c.info.Uses[id]
			if obj == nil {
				obj = c.info.Defs[id]
			}
			if obj != nil && c.isLocalObj(obj) {
				c.localRefs[obj] = append(c.localRefs[obj], id)
			}
		}
		return true
	})
}

// isLocalObj reports an object declared inside a function (a local
// variable or parameter): all its references are in one declaration.
func (c *checker) isLocalObj(obj types.Object) bool {
	p := obj.Parent()
	return p != nil && p != types.Universe && (c.pkg == nil || p != c.pkg.Scope()) && obj.Pkg() == c.pkg
}

// refsOf returns the identifiers that define or use obj, in source order.
func (c *checker) refsOf(obj types.Object) []*ast.Ident {
	if c.isLocalObj(obj) {
		if d := c.declAt(obj.Pos()); d != nil && !c.indexed[d] {
			c.index(d)
		}
		return c.localRefs[obj]
	}
	if c.globalRefs == nil {
		c.globalRefs = map[types.Object][]*ast.Ident{}
		add := func(id *ast.Ident, obj types.Object) {
			switch o := obj.(type) {
			case *types.Func:
				obj = o.Origin()
			case *types.Var:
				if !o.IsField() && o.Parent() != c.pkg.Scope() {
					return
				}
				obj = o.Origin()
			default:
				return
			}
			if obj.Pkg() == c.pkg {
				c.globalRefs[obj] = append(c.globalRefs[obj], id)
			}
		}
		for id, obj := range c.info.Uses {
			add(id, obj)
		}
		for id, obj := range c.info.Defs {
			if obj != nil {
				add(id, obj)
			}
		}
		for _, ids := range c.globalRefs {
			sort.Slice(ids, func(i, j int) bool { return ids[i].Pos() < ids[j].Pos() })
		}
	}
	return c.globalRefs[obj]
}

func (c *checker) launchCall(call *ast.CallExpr) (site, bool) {
	path, name := c.qualified(call.Fun)
	s := site{node: call, at: call.Fun}
	switch {
	case execPaths[path] && (name == "Command" || name == "CommandContext"):
		s.kind, s.call = siteCmd, "exec."+name
	case path == "os" && name == "StartProcess":
		s.kind, s.call = siteStart, "os.StartProcess"
	case path == "syscall" && (name == "ForkExec" || name == "StartProcess"):
		s.kind, s.call = siteSysAttr, "syscall."+name
	case (path == "syscall" || path == "golang.org/x/sys/unix") && name == "Exec":
		s.kind, s.call = siteSysExec, pkgName(path)+".Exec"
	default:
		return s, false
	}
	return s, true
}

func pkgName(path string) string {
	return path[strings.LastIndex(path, "/")+1:]
}

// funcName renders a declaration's name as Go writes it in stack traces.
func funcName(d *ast.FuncDecl) string {
	if d.Recv == nil || len(d.Recv.List) == 0 {
		return d.Name.Name
	}
	t := d.Recv.List[0].Type
	star := ""
	if s, ok := t.(*ast.StarExpr); ok {
		star, t = "*", s.X
	}
	switch x := t.(type) {
	case *ast.IndexExpr:
		t = x.X
	case *ast.IndexListExpr:
		t = x.X
	}
	if id, ok := t.(*ast.Ident); ok {
		return "(" + star + id.Name + ")." + d.Name.Name
	}
	return d.Name.Name
}

// origin maps an instantiated generic function or field to its declaration.
func origin(obj types.Object) types.Object {
	switch o := obj.(type) {
	case *types.Func:
		return o.Origin()
	case *types.Var:
		return o.Origin()
	}
	return obj
}

// qualified returns the import path and name of a package-level function,
// type or variable that expr names: pkg.Name, or Name through a dot import.
// It works for packages the type check could not import (their names
// resolve to a PkgName whose path is known).
func (c *checker) qualified(expr ast.Expr) (path, name string) {
	expr = ast.Unparen(expr)
	switch e := expr.(type) {
	case *ast.IndexExpr:
		return c.qualified(e.X)
	case *ast.IndexListExpr:
		return c.qualified(e.X)
	case *ast.Ident:
		obj := c.info.Uses[e]
		if obj == nil || obj.Pkg() == nil || obj.Pkg() == c.pkg || obj.Parent() != obj.Pkg().Scope() {
			return "", ""
		}
		return obj.Pkg().Path(), obj.Name()
	case *ast.SelectorExpr:
		x, ok := ast.Unparen(e.X).(*ast.Ident)
		if !ok {
			return "", ""
		}
		if pn, ok := c.info.Uses[x].(*types.PkgName); ok {
			return pn.Imported().Path(), e.Sel.Name
		}
	}
	return "", ""
}

// calleeDecl returns the declaration of the in-package function or method a
// call calls, or nil.
func (c *checker) calleeDecl(call *ast.CallExpr) (*types.Func, *ast.FuncDecl) {
	var obj types.Object
	switch f := ast.Unparen(call.Fun).(type) {
	case *ast.Ident:
		obj = c.info.Uses[f]
	case *ast.SelectorExpr:
		if sel, ok := c.info.Selections[f]; ok {
			if sel.Kind() != types.MethodVal {
				return nil, nil
			}
			obj = sel.Obj()
		} else {
			obj = c.info.Uses[f.Sel]
		}
	case *ast.IndexExpr:
		if id, ok := f.X.(*ast.Ident); ok {
			obj = c.info.Uses[id]
		}
	case *ast.IndexListExpr:
		if id, ok := f.X.(*ast.Ident); ok {
			obj = c.info.Uses[id]
		}
	}
	fn, ok := obj.(*types.Func)
	if !ok {
		return nil, nil
	}
	fn = fn.Origin()
	return fn, c.decls[fn]
}

func (c *checker) isBuiltin(call *ast.CallExpr, name string) bool {
	id, ok := ast.Unparen(call.Fun).(*ast.Ident)
	if !ok {
		return false
	}
	b, ok := c.info.Uses[id].(*types.Builtin)
	return ok && b.Name() == name
}

// objOf returns the variable or field an expression names: x, or x.f.
func (c *checker) objOf(e ast.Expr) types.Object {
	switch e := ast.Unparen(e).(type) {
	case *ast.Ident:
		if obj := c.info.Uses[e]; obj != nil {
			return origin(obj)
		}
		return c.info.Defs[e]
	case *ast.SelectorExpr:
		if sel, ok := c.info.Selections[e]; ok && sel.Kind() == types.FieldVal {
			return origin(sel.Obj())
		}
	}
	return nil
}

// enclosingFunc returns the innermost function (FuncDecl or FuncLit) around n.
func (c *checker) enclosingFunc(n ast.Node) ast.Node {
	for p := c.parentOf(n); p != nil; p = c.parentOf(p) {
		switch p.(type) {
		case *ast.FuncDecl, *ast.FuncLit:
			return p
		}
	}
	return nil
}

// sortNodes orders nodes by position.
func sortNodes(ns []ast.Node) {
	sort.Slice(ns, func(i, j int) bool { return ns[i].Pos() < ns[j].Pos() })
}

// Key is a stable name for a launch within its package: function, API and
// ordinal ("run/exec.Command#2"); it does not change when lines move.
func (l *Launch) Key() string {
	return l.Func + "/" + l.Call + "#" + strconv.Itoa(l.Ordinal)
}
