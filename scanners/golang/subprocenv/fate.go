package subprocenv

import (
	"go/ast"
	"go/token"
	"go/types"
)

// What happens to a Cmd once it is made.
//
// A Cmd's fate is followed through the package: the variables, unexported
// fields and parameters of in-package functions that hold it, the Env
// values written to it, whether it is started, and the functions that
// return it (factories), whose callers then decide. Handing it to code
// the analysis cannot see (another package, a slice, a map, an exported
// field of a library) makes its fate unknown.

// envSet is a value written to a Cmd's Env: `cmd.Env = value`, or
// `Env: value` in a literal. self is the holder written through, for
// append(cmd.Env, …).
type envSet struct {
	value ast.Expr
	self  types.Object
}

type fate struct {
	sets    []envSet
	started bool
	unknown bool
	rets    []retSite // returned from in-package functions
}

type retSite struct {
	fn  *types.Func
	idx int
}

func (f *fate) merge(o *fate) {
	if o == nil || o == f {
		return
	}
	f.sets = append(f.sets, o.sets...)
	f.started = f.started || o.started
	f.unknown = f.unknown || o.unknown
	f.rets = append(f.rets, o.rets...)
}

// exprFate follows the value of e, a Cmd, from where it appears. self is
// the holder e reads, if any.
func (c *checker) exprFate(e ast.Expr, self types.Object) *fate {
	f := &fate{}
	for {
		p := c.parentOf(e)
		switch x := p.(type) {
		case *ast.ParenExpr, *ast.StarExpr:
			e = x.(ast.Expr)
			continue
		case *ast.UnaryExpr:
			if x.Op == token.AND {
				e = x
				continue
			}
			f.unknown = true
		case *ast.SelectorExpr:
			c.useSelector(x, self, f)
		case *ast.CallExpr:
			c.argFate(x, e, f)
		case *ast.AssignStmt:
			if i := indexOf(x.Rhs, e); i >= 0 && len(x.Lhs) == len(x.Rhs) {
				f.merge(c.storeFate(x.Lhs[i]))
			} else {
				f.unknown = true
			}
		case *ast.ValueSpec:
			if i := indexOf(x.Values, e); i >= 0 && len(x.Names) == len(x.Values) {
				f.merge(c.storeFate(x.Names[i]))
			} else {
				f.unknown = true
			}
		case *ast.ReturnStmt:
			c.returnFate(x, e, f)
		case *ast.KeyValueExpr:
			// Process{cmd: exec.Command(…)}: the literal's field holds it
			if x.Value == e {
				if id, ok := x.Key.(*ast.Ident); ok {
					if v, ok := c.info.Uses[id].(*types.Var); ok && v.IsField() {
						f.merge(c.holderFate(origin(v)))
						break
					}
				}
			}
			f.unknown = true
		case *ast.ExprStmt, *ast.BinaryExpr:
			// discarded, or compared with nil
		default:
			f.unknown = true
		}
		return f
	}
}

// useSelector records what cmd.X does, for sel == cmd.X.
func (c *checker) useSelector(sel *ast.SelectorExpr, self types.Object, f *fate) {
	name := sel.Sel.Name
	switch {
	case name == "Env":
		switch p := c.parentOf(sel).(type) {
		case *ast.AssignStmt:
			if i := indexOf(p.Lhs, sel); i >= 0 {
				if p.Tok == token.ASSIGN && len(p.Lhs) == len(p.Rhs) {
					f.sets = append(f.sets, envSet{value: p.Rhs[i], self: self})
				} else {
					f.unknown = true
				}
			}
		case *ast.UnaryExpr:
			if p.Op == token.AND {
				f.unknown = true // &cmd.Env: written elsewhere
			}
		}
	case startMethods[name]:
		// called, or taken as a method value (errgroup.Go(cmd.Run))
		f.started = true
	}
}

// argFate follows a Cmd passed as an argument.
func (c *checker) argFate(call *ast.CallExpr, e ast.Expr, f *fate) {
	i := indexOf(call.Args, e)
	if i < 0 {
		f.unknown = true
		return
	}
	if id, ok := ast.Unparen(call.Fun).(*ast.Ident); ok {
		if _, ok := c.info.Uses[id].(*types.Builtin); ok {
			if id.Name == "append" {
				f.unknown = true // into a slice
			}
			return
		}
	}
	if fn, decl := c.calleeDecl(call); decl != nil {
		if decl.Body == nil {
			f.unknown = true // implemented elsewhere (assembly, linkname)
			return
		}
		f.merge(c.paramFate(fn, i, call.Ellipsis.IsValid()))
		return
	}
	if path, _ := c.qualified(call.Fun); harmless[path] {
		return
	}
	f.unknown = true
}

// storeFate follows a Cmd stored into lhs: a variable or field.
func (c *checker) storeFate(lhs ast.Expr) *fate {
	if id, ok := ast.Unparen(lhs).(*ast.Ident); ok && id.Name == "_" {
		return &fate{} // discarded
	}
	if obj := c.objOf(lhs); obj != nil {
		if _, ok := obj.(*types.Var); ok {
			return c.holderFate(obj)
		}
	}
	return &fate{unknown: true}
}

func (c *checker) returnFate(r *ast.ReturnStmt, e ast.Expr, f *fate) {
	decl, ok := c.enclosingFunc(r).(*ast.FuncDecl)
	if !ok {
		f.unknown = true // a function literal: followed no further
		return
	}
	fn, ok := c.info.Defs[decl.Name].(*types.Func)
	i := indexOf(r.Results, e)
	if !ok || i < 0 {
		f.unknown = true
		return
	}
	if sig, ok := fn.Type().(*types.Signature); !ok || sig.Results().Len() != len(r.Results) {
		f.unknown = true
		return
	}
	f.rets = append(f.rets, retSite{fn, i})
}

// internal reports whether every use of a variable or field is in this
// package: a local, or an unexported package-level variable or field (or
// any, in package main).
func (c *checker) internal(v *types.Var) bool {
	if c.isLocal(v) {
		return true
	}
	return v.Pkg() == c.pkg && c.pkg != nil && (!v.Exported() || c.pkg.Name() == "main")
}

// holderFate follows every use of a variable or field that holds a Cmd.
func (c *checker) holderFate(obj types.Object) *fate {
	if h, ok := c.holder[obj]; ok {
		return h // known, or being followed (a cycle through assignments)
	}
	h := &fate{}
	c.holder[obj] = h
	v, ok := obj.(*types.Var)
	if !ok || !c.internal(v) {
		h.unknown = true
		return h
	}
	if c.depth > maxDepth {
		h.unknown = true
		return h
	}
	c.depth++
	defer func() { c.depth-- }()
	for _, id := range c.refsOf(obj) {
		if c.info.Defs[id] == obj {
			if r, ok := c.namedResult(id); ok {
				h.rets = append(h.rets, r) // returned by a bare return
			}
			continue
		}
		var e ast.Expr = id
		switch p := c.parentOf(id).(type) {
		case *ast.SelectorExpr:
			if p.Sel == id {
				e = p // x.field
			}
		case *ast.KeyValueExpr:
			if p.Key == ast.Expr(id) {
				continue // a literal's key naming the field
			}
		}
		if c.isStoreTarget(e) {
			continue
		}
		h.merge(c.exprFate(e, obj))
	}
	return h
}

// isStoreTarget reports an expression that is written, not read.
func (c *checker) isStoreTarget(e ast.Expr) bool {
	switch p := c.parentOf(e).(type) {
	case *ast.AssignStmt:
		return indexOf(p.Lhs, e) >= 0
	case *ast.RangeStmt:
		return p.Key == e || p.Value == e
	}
	return false
}

// paramFate follows a Cmd passed to parameter i of an in-package function.
func (c *checker) paramFate(fn *types.Func, i int, spread bool) *fate {
	sig, ok := fn.Type().(*types.Signature)
	if !ok || spread || i >= sig.Params().Len() || (sig.Variadic() && i >= sig.Params().Len()-1) {
		return &fate{unknown: true}
	}
	h := c.holderFate(sig.Params().At(i))
	if len(h.rets) > 0 {
		return &fate{unknown: true} // returned to the caller again: not followed
	}
	return h
}

// callSites lists the calls of an in-package function; a nil entry is a
// use as a function value, whose calls are not followed.
func (c *checker) callSites(fn *types.Func) []*ast.CallExpr {
	var out []*ast.CallExpr
	for _, id := range c.refsOf(fn) {
		if c.info.Defs[id] == fn {
			continue
		}
		var e ast.Node = id
		if sel, ok := c.parentOf(id).(*ast.SelectorExpr); ok && sel.Sel == id {
			e = sel
		}
		for {
			switch p := c.parentOf(e).(type) {
			case *ast.ParenExpr, *ast.IndexExpr, *ast.IndexListExpr:
				e = p
				continue
			}
			break
		}
		call, ok := c.parentOf(e).(*ast.CallExpr)
		if !ok || call.Fun != e {
			call = nil
		}
		out = append(out, call)
	}
	return out
}

// resultFate follows result idx of a call to an in-package function.
func (c *checker) resultFate(call *ast.CallExpr, fn *types.Func, idx int) *fate {
	sig, ok := fn.Type().(*types.Signature)
	if !ok {
		return &fate{unknown: true}
	}
	if sig.Results().Len() == 1 {
		return c.exprFate(call, nil)
	}
	var e ast.Node = call
	for {
		if p, ok := c.parentOf(e).(*ast.ParenExpr); ok {
			e = p
			continue
		}
		break
	}
	switch p := c.parentOf(e).(type) {
	case *ast.AssignStmt:
		if len(p.Rhs) == 1 && idx < len(p.Lhs) {
			return c.storeFate(p.Lhs[idx])
		}
	case *ast.ValueSpec:
		if len(p.Values) == 1 && idx < len(p.Names) {
			return c.storeFate(p.Names[idx])
		}
	case *ast.ReturnStmt:
		if len(p.Results) == 1 {
			if decl, ok := c.enclosingFunc(p).(*ast.FuncDecl); ok {
				if outer, ok := c.info.Defs[decl.Name].(*types.Func); ok {
					return &fate{rets: []retSite{{outer, idx}}}
				}
			}
		}
	}
	return &fate{unknown: true}
}

// namedResult reports whether id declares a named result of a function
// declaration that a bare `return` returns.
func (c *checker) namedResult(id *ast.Ident) (retSite, bool) {
	field, ok := c.parentOf(id).(*ast.Field)
	if !ok {
		return retSite{}, false
	}
	list, ok := c.parentOf(field).(*ast.FieldList)
	if !ok {
		return retSite{}, false
	}
	ft, ok := c.parentOf(list).(*ast.FuncType)
	if !ok || ft.Results != list {
		return retSite{}, false
	}
	decl, ok := c.parentOf(ft).(*ast.FuncDecl)
	if !ok {
		return retSite{}, false
	}
	fn, ok := c.info.Defs[decl.Name].(*types.Func)
	if !ok {
		return retSite{}, false
	}
	bare := false
	for _, r := range c.returnsOf(decl) {
		if len(r.Results) == 0 {
			bare = true
		}
	}
	if !bare {
		return retSite{}, false
	}
	i := 0
	for _, f := range list.List {
		for _, n := range f.Names {
			if n == id {
				return retSite{fn, i}, true
			}
			i++
		}
		if len(f.Names) == 0 {
			i++
		}
	}
	return retSite{}, false
}
