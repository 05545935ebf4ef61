package subprocenv

import (
	"go/ast"
	"go/token"
	"go/types"
)

// How environment values are judged.
//
// The analysis is flow-insensitive within a package: it collects every
// value a variable, a Cmd's Env or a function's result is given and
// combines them. A list that is the parent's environment on some writes
// and a built list on others is Unknown (it depends on the path taken),
// never a confident finding.

// maxDepth bounds how far judgements follow variables, calls and factories.
const maxDepth = 24

// val is the abstract value of an environment list.
type val uint8

const (
	vNone     val = iota // the list being judged itself (a self reference): no information
	vGrow                // the list being judged, with entries appended to it
	vNil                 // nil
	vExplicit            // a list the program builds (possibly empty, never nil)
	vInherit             // the parent's environment (os.Environ())
	vUnknown
)

type ev struct {
	v    val
	from string   // vInherit: the call that reads the parent's environment
	at   ast.Expr // vInherit, vNil: the Env value that carries it
}

var unknown = ev{v: vUnknown}

// combine merges the values a list may hold. Self references (vNone) add
// nothing; appends to the list itself (vGrow) make a nil list non-nil.
// When no write gives the list a value of its own, prev (what it held
// before: a zero value, or what a lower layer set) stands. With nilInh, a
// nil list means the parent's environment (a Cmd's or os.ProcAttr's Env),
// so nil and os.Environ() agree.
func combine(evs []ev, prev *ev, nilInh bool) ev {
	var strong []ev
	grows := false
	for _, e := range evs {
		switch e.v {
		case vNone:
		case vGrow:
			grows = true
		default:
			strong = append(strong, e)
		}
	}
	if len(strong) == 0 {
		switch {
		case prev != nil && prev.v != vNone && prev.v != vGrow:
			strong = []ev{*prev}
		case grows:
			return ev{v: vGrow}
		default:
			return ev{v: vNone}
		}
	}
	var has [vUnknown + 1]bool
	var firstInherit, firstNil *ev
	for i := range strong {
		e := &strong[i]
		has[e.v] = true
		if e.v == vInherit && firstInherit == nil {
			firstInherit = e
		}
		if e.v == vNil && firstNil == nil {
			firstNil = e
		}
	}
	switch {
	case has[vUnknown]:
		return unknown
	case has[vInherit]:
		if has[vExplicit] || (has[vNil] && !nilInh) {
			return unknown
		}
		return *firstInherit
	case has[vExplicit]:
		if has[vNil] && nilInh && !grows {
			return unknown // nil on one path is the parent's environment
		}
		return ev{v: vExplicit}
	case has[vNil]:
		if grows {
			return ev{v: vExplicit}
		}
		return *firstNil
	}
	return unknown
}

// judge returns the value of an environment expression. self is the list
// being judged (a variable, or a Cmd whose Env is being written), so that
// append(env, …) and append(cmd.Env, …) read as growing it.
func (c *checker) judge(e ast.Expr, self types.Object, nilInh bool) ev {
	if c.depth > maxDepth {
		return unknown
	}
	c.depth++
	defer func() { c.depth-- }()
	switch x := ast.Unparen(e).(type) {
	case *ast.Ident:
		obj := c.objOf(x)
		if obj == nil {
			return unknown
		}
		if self != nil && obj == self {
			return ev{v: vNone}
		}
		switch o := obj.(type) {
		case *types.Nil:
			return ev{v: vNil}
		case *types.Var:
			if c.isLocal(o) {
				return c.judgeVar(o, nilInh)
			}
		}
		return unknown
	case *ast.CompositeLit:
		return ev{v: vExplicit}
	case *ast.SelectorExpr:
		if x.Sel.Name == "Env" && self != nil && c.objOf(x.X) == self {
			return ev{v: vNone}
		}
		return unknown
	case *ast.CallExpr:
		return c.judgeCall(x, self, nilInh)
	}
	return unknown
}

func (c *checker) judgeCall(call *ast.CallExpr, self types.Object, nilInh bool) ev {
	switch {
	case c.isBuiltin(call, "append"):
		if len(call.Args) == 0 {
			return unknown
		}
		base := c.judge(call.Args[0], self, nilInh)
		if call.Ellipsis.IsValid() && len(call.Args) == 2 {
			spread := c.judge(call.Args[1], self, nilInh)
			switch {
			case base.v == vInherit:
				return base
			case spread.v == vInherit:
				return spread
			case base.v == vUnknown || spread.v == vUnknown:
				return unknown
			}
		} else if len(call.Args) == 1 {
			return base
		}
		switch base.v {
		case vNone, vGrow:
			return ev{v: vGrow}
		case vNil:
			return ev{v: vExplicit}
		}
		return base
	case c.isBuiltin(call, "make"):
		return ev{v: vExplicit}
	}
	if len(call.Args) == 1 && c.isConversion(call.Fun) {
		return c.judge(call.Args[0], self, nilInh)
	}
	path, name := c.qualified(call.Fun)
	if from, ok := envReaders[path+"."+name]; ok {
		return ev{v: vInherit, from: from}
	}
	switch path + "." + name {
	case "slices.Clone":
		if len(call.Args) == 1 {
			return c.judge(call.Args[0], self, nilInh)
		}
		return unknown
	case "slices.Concat":
		var parts []ev
		for _, a := range call.Args {
			p := c.judge(a, self, nilInh)
			if p.v == vInherit {
				return p
			}
			parts = append(parts, p)
		}
		for _, p := range parts {
			if p.v == vUnknown {
				return unknown
			}
		}
		return ev{v: vExplicit}
	case "slices.DeleteFunc":
		// removes the entries a predicate picks: a filtered environment
		if len(call.Args) == 2 && c.judge(call.Args[0], self, nilInh).v != vUnknown {
			return ev{v: vExplicit}
		}
		return unknown
	}
	if sel, ok := ast.Unparen(call.Fun).(*ast.SelectorExpr); ok && sel.Sel.Name == "Environ" && len(call.Args) == 0 && c.isCmd(sel, self) {
		from := "Cmd.Environ()"
		if id, ok := ast.Unparen(sel.X).(*ast.Ident); ok {
			from = id.Name + ".Environ()"
		}
		return ev{v: vInherit, from: from}
	}
	if fn, decl := c.calleeDecl(call); decl != nil {
		return c.judgeReturn(fn, 0, nilInh)
	}
	return unknown
}

// isCmd reports whether sel.X is an exec.Cmd: by its type when the check
// knows it, or because it is the Cmd being judged, or one just made.
func (c *checker) isCmd(sel *ast.SelectorExpr, self types.Object) bool {
	if s, ok := c.info.Selections[sel]; ok {
		return s.Obj().Pkg() != nil && execPaths[s.Obj().Pkg().Path()]
	}
	if self != nil && c.objOf(sel.X) == self {
		return true
	}
	if call, ok := ast.Unparen(sel.X).(*ast.CallExpr); ok {
		path, name := c.qualified(call.Fun)
		return execPaths[path] && (name == "Command" || name == "CommandContext")
	}
	return false
}

func (c *checker) isConversion(fun ast.Expr) bool {
	switch f := ast.Unparen(fun).(type) {
	case *ast.ArrayType:
		return true
	case *ast.Ident:
		_, ok := c.info.Uses[f].(*types.TypeName)
		return ok
	case *ast.SelectorExpr:
		_, ok := c.info.Uses[f.Sel].(*types.TypeName)
		return ok
	}
	return false
}

// isLocal reports a variable declared in a function of this package
// (a local or a parameter).
func (c *checker) isLocal(v *types.Var) bool {
	return !v.IsField() && v.Pkg() == c.pkg && v.Parent() != nil && v.Parent() != c.pkg.Scope() && v.Parent() != types.Universe
}

type varKey struct {
	obj    types.Object
	nilInh bool
}

// judgeVar combines every value a local variable is given.
func (c *checker) judgeVar(v *types.Var, nilInh bool) ev {
	k := varKey{v, nilInh}
	if r, ok := c.vars[k]; ok {
		if r == nil {
			return ev{v: vNone} // being judged: a cycle through another variable
		}
		return *r
	}
	c.vars[k] = nil
	r := c.judgeVarDefs(v, nilInh)
	c.vars[k] = &r
	return r
}

func (c *checker) judgeVarDefs(v *types.Var, nilInh bool) ev {
	var defs []ev
	var weak *ev
	for _, id := range c.refsOf(v) {
		p := c.parentOf(id)
		if c.info.Defs[id] == v {
			switch d := p.(type) {
			case *ast.AssignStmt:
				defs = append(defs, c.assigned(d.Lhs, d.Rhs, id, v, nilInh))
			case *ast.ValueSpec:
				if len(d.Values) == 0 {
					weak = &ev{v: vNil}
					continue
				}
				lhs := make([]ast.Expr, len(d.Names))
				for i, n := range d.Names {
					lhs[i] = n
				}
				defs = append(defs, c.assigned(lhs, d.Values, id, v, nilInh))
			case *ast.Field:
				if fl, ok := c.parentOf(d).(*ast.FieldList); ok {
					if ft, ok := c.parentOf(fl).(*ast.FuncType); ok && ft.Results == fl {
						weak = &ev{v: vNil} // a named result starts as nil
						continue
					}
				}
				return unknown // a parameter: the caller decides
			default:
				return unknown
			}
			continue
		}
		switch u := p.(type) {
		case *ast.AssignStmt:
			if indexOf(u.Lhs, id) >= 0 {
				if u.Tok != token.ASSIGN {
					return unknown
				}
				defs = append(defs, c.assigned(u.Lhs, u.Rhs, id, v, nilInh))
			}
		case *ast.RangeStmt:
			if u.Key == ast.Expr(id) || u.Value == ast.Expr(id) {
				return unknown
			}
		case *ast.UnaryExpr:
			if u.Op == token.AND {
				return unknown // its address escapes: anything may write it
			}
		}
	}
	return combine(defs, weak, nilInh)
}

// assigned judges the value lhs[i] == id receives from rhs.
func (c *checker) assigned(lhs, rhs []ast.Expr, id *ast.Ident, self types.Object, nilInh bool) ev {
	i := indexOf(lhs, id)
	switch {
	case i < 0:
		return unknown
	case len(lhs) == len(rhs):
		return c.judge(rhs[i], self, nilInh)
	case len(rhs) == 1:
		if call, ok := ast.Unparen(rhs[0]).(*ast.CallExpr); ok {
			if fn, decl := c.calleeDecl(call); decl != nil {
				return c.judgeReturn(fn, i, nilInh)
			}
		}
	}
	return unknown
}

func indexOf(list []ast.Expr, e ast.Expr) int {
	for i, x := range list {
		if x == e {
			return i
		}
	}
	return -1
}

type retKey struct {
	fn     *types.Func
	idx    int
	nilInh bool
}

// judgeReturn combines what an in-package function returns as result idx.
func (c *checker) judgeReturn(fn *types.Func, idx int, nilInh bool) ev {
	k := retKey{fn, idx, nilInh}
	if r, ok := c.rets[k]; ok {
		if r == nil {
			return ev{v: vNone} // recursion
		}
		return *r
	}
	c.rets[k] = nil
	r := c.judgeReturnDefs(fn, idx, nilInh)
	c.rets[k] = &r
	return r
}

func (c *checker) judgeReturnDefs(fn *types.Func, idx int, nilInh bool) ev {
	decl := c.decls[fn]
	sig, ok := fn.Type().(*types.Signature)
	if decl == nil || decl.Body == nil || !ok || idx >= sig.Results().Len() {
		return unknown
	}
	n := sig.Results().Len()
	var evs []ev
	for _, r := range c.returnsOf(decl) {
		switch {
		case len(r.Results) == 0:
			evs = append(evs, c.judgeVar(sig.Results().At(idx), nilInh))
		case len(r.Results) == n:
			evs = append(evs, c.judge(r.Results[idx], nil, nilInh))
		case len(r.Results) == 1:
			if call, ok := ast.Unparen(r.Results[0]).(*ast.CallExpr); ok {
				if callee, d := c.calleeDecl(call); d != nil {
					evs = append(evs, c.judgeReturn(callee, idx, nilInh))
					continue
				}
			}
			return unknown
		default:
			return unknown
		}
	}
	r := combine(evs, nil, nilInh)
	if r.v == vNone || r.v == vGrow {
		return unknown
	}
	return r
}

// returnsOf lists the return statements of a declaration, not of the
// function literals inside it.
func (c *checker) returnsOf(decl *ast.FuncDecl) []*ast.ReturnStmt {
	var out []*ast.ReturnStmt
	ast.Inspect(decl.Body, func(n ast.Node) bool {
		switch n := n.(type) {
		case *ast.FuncLit:
			return false
		case *ast.ReturnStmt:
			out = append(out, n)
		}
		return true
	})
	return out
}
