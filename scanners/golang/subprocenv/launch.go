package subprocenv

import (
	"go/ast"
	"go/token"
	"go/types"
)

// maxFactoryDepth bounds how many returning functions a Cmd is followed
// through, and maxInstances the ways one Cmd is followed (a factory with
// many callers that are factories with many callers …).
const (
	maxFactoryDepth = 4
	maxInstances    = 512
)

// instance is one way a Cmd travels from where it is made to where it
// starts: through the functions that return it, each adding a layer of
// Env writes (later layers run later, so they override earlier ones).
type instance struct {
	layers  [][]envSet
	started bool
	unknown bool
	via     []ast.Node
}

func (c *checker) instances(f *fate, depth int) []instance {
	if f.unknown {
		return []instance{{unknown: true}}
	}
	if len(f.rets) == 0 {
		return []instance{{layers: [][]envSet{f.sets}, started: f.started}}
	}
	if depth >= maxFactoryDepth {
		return []instance{{unknown: true}}
	}
	var out []instance
	for _, r := range f.rets {
		sites := c.callSites(r.fn)
		if len(sites) == 0 {
			// nobody here calls it: its callers elsewhere decide
			out = append(out, instance{unknown: true})
		}
		for _, call := range sites {
			if call == nil {
				out = append(out, instance{unknown: true})
				continue
			}
			for _, in := range c.instances(c.resultFate(call, r.fn, r.idx), depth+1) {
				in.layers = append([][]envSet{f.sets}, in.layers...)
				in.started = in.started || f.started
				in.via = append([]ast.Node{call.Fun}, in.via...)
				out = append(out, in)
			}
			if len(out) > maxInstances {
				return []instance{{unknown: true}}
			}
		}
	}
	return out
}

// outcome is the verdict of one instance.
type outcome struct {
	verdict Verdict
	env     ev // for Inherits: the value (at == nil: Env never set)
	dead    bool
	via     []ast.Node
}

func (c *checker) evaluate(in instance, initial ev, nilInh bool) outcome {
	if in.unknown {
		return outcome{verdict: Unknown}
	}
	v := initial
	for _, layer := range in.layers {
		if len(layer) == 0 {
			continue
		}
		evs := make([]ev, 0, len(layer))
		for _, s := range layer {
			e := c.judge(s.value, s.self, nilInh)
			if e.v == vInherit || e.v == vNil {
				e.at = s.value
			}
			evs = append(evs, e)
		}
		v = combine(evs, &v, nilInh)
	}
	if !in.started {
		return outcome{dead: true}
	}
	return outcome{verdict: verdictOf(v, nilInh), env: v, via: in.via}
}

func verdictOf(v ev, nilInh bool) Verdict {
	switch v.v {
	case vInherit:
		return Inherits
	case vNil:
		if nilInh {
			return Inherits
		}
		return Explicit
	case vExplicit:
		return Explicit
	}
	return Unknown
}

// launches judges one site. A Cmd that reaches several starts (a factory
// with several callers) gives one launch per place its inheriting
// environment comes from; otherwise one launch with the site's verdict.
func (c *checker) launches(s site) []Launch {
	base := Launch{Call: s.call, At: s.at, Func: s.fn}
	switch s.kind {
	case siteCmd:
		initial := ev{v: vNil}
		if s.lit != nil {
			if val := keyed(s.lit, "Env"); val != nil {
				initial = c.judge(val, nil, true)
				if initial.v == vInherit || initial.v == vNil {
					initial.at = val
				}
			}
		}
		var outs []outcome
		for _, in := range c.instances(c.exprFate(s.node, nil), 0) {
			outs = append(outs, c.evaluate(in, initial, true))
		}
		return group(base, outs)
	case siteStart, siteSysAttr:
		call := s.node.(*ast.CallExpr)
		if len(call.Args) != 3 || call.Ellipsis.IsValid() {
			return []Launch{withVerdict(base, Unknown)}
		}
		nilInh := s.kind == siteStart
		v := c.judgeAttr(call.Args[2], nilInh)
		return group(base, []outcome{{verdict: verdictOf(v, nilInh), env: v}})
	case siteSysExec:
		call := s.node.(*ast.CallExpr)
		if len(call.Args) != 3 || call.Ellipsis.IsValid() {
			return []Launch{withVerdict(base, Unknown)}
		}
		v := c.judge(call.Args[2], nil, false)
		v.at = call.Args[2]
		return group(base, []outcome{{verdict: verdictOf(v, false), env: v}})
	}
	return nil
}

func withVerdict(l Launch, v Verdict) Launch {
	l.Verdict = v
	return l
}

// group turns the outcomes of a site into launches.
func group(base Launch, outs []outcome) []Launch {
	var out []Launch
	byEnv := map[ast.Expr]int{}
	anyUnknown, anyLive := false, false
	for _, o := range outs {
		if o.dead {
			continue
		}
		anyLive = true
		switch o.verdict {
		case Unknown:
			anyUnknown = true
		case Inherits:
			i, ok := byEnv[o.env.at]
			if !ok {
				l := base
				l.Verdict = Inherits
				if o.env.at != nil {
					l.EnvSet, l.Env, l.EnvFrom = true, o.env.at, o.env.from
				}
				out = append(out, l)
				i = len(out) - 1
				byEnv[o.env.at] = i
			}
			out[i].Via = appendNodes(out[i].Via, o.via)
		}
	}
	if len(out) > 0 {
		for i := range out {
			sortNodes(out[i].Via)
		}
		return out
	}
	if !anyLive {
		return nil
	}
	l := base
	l.Verdict = Explicit
	if anyUnknown {
		l.Verdict = Unknown
	}
	return []Launch{l}
}

func appendNodes(list, add []ast.Node) []ast.Node {
	for _, n := range add {
		dup := false
		for _, m := range list {
			if m == n {
				dup = true
				break
			}
		}
		if !dup {
			list = append(list, n)
		}
	}
	return list
}

// keyed returns the value of key name in a struct literal, or nil.
func keyed(lit *ast.CompositeLit, name string) ast.Expr {
	for _, e := range lit.Elts {
		if kv, ok := e.(*ast.KeyValueExpr); ok {
			if id, ok := kv.Key.(*ast.Ident); ok && id.Name == name {
				return kv.Value
			}
		}
	}
	return nil
}

// judgeAttr judges the Env of a ProcAttr argument: a literal, or a local
// variable holding one whose Env may be written later.
func (c *checker) judgeAttr(e ast.Expr, nilInh bool) ev {
	e = ast.Unparen(e)
	if u, ok := e.(*ast.UnaryExpr); ok && u.Op == token.AND {
		e = ast.Unparen(u.X)
	}
	switch x := e.(type) {
	case *ast.CompositeLit:
		return c.literalEnv(x, nilInh)
	case *ast.Ident:
		if _, ok := c.info.Uses[x].(*types.Nil); ok {
			if nilInh {
				return unknown // os.StartProcess(…, nil) panics
			}
			return ev{v: vNil} // syscall: a nil attr is an empty one
		}
		v, ok := c.info.Uses[x].(*types.Var)
		if !ok || !c.isLocal(v) {
			return unknown
		}
		return c.attrVar(v, nilInh)
	}
	return unknown
}

func (c *checker) literalEnv(lit *ast.CompositeLit, nilInh bool) ev {
	val := keyed(lit, "Env")
	if val == nil {
		return ev{v: vNil}
	}
	v := c.judge(val, nil, nilInh)
	if v.v == vInherit || v.v == vNil {
		v.at = val
	}
	return v
}

// attrVar judges a local ProcAttr variable: what its literal or literals
// say, then the Env values written to it.
func (c *checker) attrVar(v *types.Var, nilInh bool) ev {
	var inits, sets []ev
	for _, id := range c.refsOf(v) {
		p := c.parentOf(id)
		var rhs ast.Expr
		switch d := p.(type) {
		case *ast.AssignStmt:
			if i := indexOf(d.Lhs, id); i >= 0 {
				if len(d.Lhs) != len(d.Rhs) {
					return unknown
				}
				rhs = d.Rhs[i]
			}
		case *ast.ValueSpec:
			if i := indexOf(nameExprs(d.Names), id); i >= 0 {
				if len(d.Values) == 0 {
					inits = append(inits, ev{v: vNil})
					continue
				}
				if len(d.Values) != len(d.Names) {
					return unknown
				}
				rhs = d.Values[i]
			}
		case *ast.SelectorExpr:
			if d.X == ast.Expr(id) && d.Sel.Name == "Env" {
				if as, ok := c.parentOf(d).(*ast.AssignStmt); ok {
					if i := indexOf(as.Lhs, d); i >= 0 {
						if len(as.Lhs) != len(as.Rhs) {
							return unknown
						}
						s := c.judge(as.Rhs[i], v, nilInh)
						if s.v == vInherit || s.v == vNil {
							s.at = as.Rhs[i]
						}
						sets = append(sets, s)
					}
				}
			}
			continue
		default:
			continue
		}
		if rhs == nil {
			continue
		}
		r := ast.Unparen(rhs)
		if u, ok := r.(*ast.UnaryExpr); ok && u.Op == token.AND {
			r = ast.Unparen(u.X)
		}
		lit, ok := r.(*ast.CompositeLit)
		if !ok {
			return unknown
		}
		inits = append(inits, c.literalEnv(lit, nilInh))
	}
	if len(inits) == 0 {
		return unknown
	}
	initial := combine(inits, nil, nilInh)
	if len(sets) == 0 {
		return initial
	}
	return combine(sets, &initial, nilInh)
}

func nameExprs(ids []*ast.Ident) []ast.Expr {
	out := make([]ast.Expr, len(ids))
	for i, id := range ids {
		out[i] = id
	}
	return out
}
