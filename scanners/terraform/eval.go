package terraform

import (
	"fmt"
	"sort"
	"strconv"

	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hclsyntax"
	"github.com/isolint/isolint/model"
	"github.com/zclconf/go-cty/cty"
	"github.com/zclconf/go-cty/cty/convert"
	"github.com/zclconf/go-cty/cty/function"
)

// Values carry two kinds of cty marks through every operation and function:
//
//   - refMark names a resource, data source or module a value depends on
//     (aws_iam_role.task.arn is unknown offline, but it is that role), so
//     that two references to one role group together, and policies find the
//     role they are attached to.
//   - originMark is where a value came from when it was not written where
//     it is used: a variable default, a tfvars line, a module input. Lowered
//     values list their origins as related locations.
type refMark struct{ addr string }

type originMark struct {
	loc model.Location
	msg string
}

// instance is one evaluation of a module: a root module with its tfvars,
// or a called module with the inputs of one call (one per count/for_each key).
type instance struct {
	run     *run
	mod     *module
	rootMod *module
	parent  *instance
	path    string          // "" at the root, `module.a`, `module.a["x"].module.b`
	calls   []model.Related // call sites, innermost first
	depth   int

	inputs map[string]input
	tfvars map[string]*hcl.Attribute

	vars, locals, resAttrs, outputs map[string]cty.Value
	busy                            map[string]bool
	keys                            map[string]*instanceKeys
	children                        map[string][]*instance
	childKeys                       map[string]*instanceKeys
	funcs                           map[string]function.Function
	lowered                         bool
}

// input is one argument of a module call, evaluated in the caller's scope.
type input struct {
	attr  *hcl.Attribute
	scope *scope
	call  string
}

func newInstance(r *run, m *module, parent *instance, path string, calls []model.Related) *instance {
	in := &instance{
		run: r, mod: m, parent: parent, path: path, calls: calls,
		inputs: map[string]input{}, tfvars: map[string]*hcl.Attribute{},
		vars: map[string]cty.Value{}, locals: map[string]cty.Value{}, resAttrs: map[string]cty.Value{},
		outputs: map[string]cty.Value{}, busy: map[string]bool{}, keys: map[string]*instanceKeys{},
		children: map[string][]*instance{}, childKeys: map[string]*instanceKeys{},
	}
	in.rootMod = m
	if parent != nil {
		in.rootMod = parent.rootMod
		in.depth = parent.depth + 1
	}
	return in
}

// useTfvars applies a root module's automatically loaded variable files;
// later files override earlier ones, as Terraform does.
func (in *instance) useTfvars() {
	for _, f := range in.mod.tfvars {
		for name, a := range f.attrs {
			in.tfvars[name] = a
		}
	}
}

// prefix is the instance's address prefix: "" or "module.a.".
func (in *instance) prefix() string {
	if in.path == "" {
		return ""
	}
	return in.path + "."
}

func (in *instance) root() *scope { return &scope{inst: in} }

// scope is where an expression is evaluated: a module instance plus the
// names a block adds (each, count, a dynamic block's iterator).
type scope struct {
	inst  *instance
	extra map[string]cty.Value
}

// with returns a scope that also defines name.
func (s *scope) with(name string, v cty.Value) *scope {
	n := &scope{inst: s.inst, extra: make(map[string]cty.Value, len(s.extra)+1)}
	for k, x := range s.extra {
		n.extra[k] = x
	}
	n.extra[name] = v
	return n
}

// eval evaluates an expression. A value that cannot be known offline is
// unknown; an expression Terraform would reject is unknown too (the
// terraform CLI reports it, not isolint). The marks of everything it refers
// to are kept even then, so identities still group.
func (s *scope) eval(expr hcl.Expression) (v cty.Value) {
	if expr == nil {
		return cty.NullVal(cty.DynamicPseudoType)
	}
	vars := s.variables(expr)
	defer func() {
		if recover() != nil {
			v = cty.DynamicVal.WithMarks(varMarks(vars))
		}
	}()
	ctx := &hcl.EvalContext{Variables: vars, Functions: s.funcTable(expr)}
	val, diags := expr.Value(ctx)
	if diags.HasErrors() {
		return cty.DynamicVal.WithMarks(varMarks(vars))
	}
	return val
}

func varMarks(vars map[string]cty.Value) cty.ValueMarks {
	out := cty.ValueMarks{}
	for _, v := range vars {
		_, pvm := v.UnmarkDeepWithPaths()
		for _, p := range pvm {
			for m := range p.Marks {
				out[m] = struct{}{}
			}
		}
	}
	return out
}

// literal evaluates an expression that may not refer to anything (a
// variable default, a tfvars value).
func literal(expr hcl.Expression) cty.Value {
	v, diags := expr.Value(&hcl.EvalContext{Functions: baseFuncs})
	if diags.HasErrors() {
		return cty.DynamicVal
	}
	return v
}

// tree builds the nested objects an expression's references traverse.
type tree map[string]any // values: cty.Value or tree

func (t tree) set(v cty.Value, names ...string) {
	cur := t
	for i, n := range names {
		if i == len(names)-1 {
			cur[n] = v
			return
		}
		next, ok := cur[n].(tree)
		if !ok {
			if _, leaf := cur[n].(cty.Value); leaf {
				return // the whole value is already there
			}
			next = tree{}
			cur[n] = next
		}
		cur = next
	}
}

func (t tree) value() cty.Value {
	attrs := make(map[string]cty.Value, len(t))
	for k, x := range t {
		switch x := x.(type) {
		case cty.Value:
			attrs[k] = x
		case tree:
			attrs[k] = x.value()
		}
	}
	return cty.ObjectVal(attrs)
}

// stepName returns the attribute name of traversal step i, or "".
func stepName(t hcl.Traversal, i int) string {
	if i >= len(t) {
		return ""
	}
	switch s := t[i].(type) {
	case hcl.TraverseAttr:
		return s.Name
	case hcl.TraverseRoot:
		return s.Name
	}
	return ""
}

// variables resolves the references of an expression.
func (s *scope) variables(expr hcl.Expression) map[string]cty.Value {
	t := tree{}
	in := s.inst
	for _, tr := range expr.Variables() {
		root := tr.RootName()
		if v, ok := s.extra[root]; ok {
			t[root] = v
			continue
		}
		switch root {
		case "var":
			if n := stepName(tr, 1); n != "" {
				t.set(in.variable(n), "var", n)
			}
		case "local":
			if n := stepName(tr, 1); n != "" {
				t.set(in.local(n), "local", n)
			}
		case "module":
			n := stepName(tr, 1)
			c := in.mod.calls[n]
			if c == nil {
				continue
			}
			if out := stepName(tr, 2); out != "" && c.count == nil && c.forEach == nil {
				t.set(in.moduleOutput(c, out), "module", n, out)
			} else {
				t.set(in.moduleValue(c), "module", n)
			}
		case "data":
			typ, n := stepName(tr, 1), stepName(tr, 2)
			if res := in.mod.data[typ+"."+n]; res != nil {
				in.resourceRef(t, res, stepName(tr, 3), "data", typ, n)
			}
		case "path":
			t.set(cty.StringVal(in.mod.absDir), "path", "module")
			t.set(cty.StringVal(in.rootMod.absDir), "path", "root")
			t.set(cty.StringVal(in.rootMod.absDir), "path", "cwd")
		case "terraform":
			t.set(cty.StringVal("default"), "terraform", "workspace")
		case "count", "each", "self":
			t[root] = cty.DynamicVal
		default:
			n := stepName(tr, 1)
			if res := in.mod.resources[root+"."+n]; res != nil {
				in.resourceRef(t, res, stepName(tr, 2), root, n)
			}
		}
	}
	out := make(map[string]cty.Value, len(t))
	for k, x := range t {
		switch x := x.(type) {
		case cty.Value:
			out[k] = x
		case tree:
			out[k] = x.value()
		}
	}
	return out
}

// ref is an unknown value that is known to be the resource at addr.
func ref(addr string) cty.Value {
	return cty.DynamicVal.Mark(refMark{addr: addr})
}

// resourceRef places a reference to a resource in t: a literal attribute
// of a single resource is its value; anything else (arn, id, a counted
// instance) is unknown but identified.
func (in *instance) resourceRef(t tree, res *resource, attr string, names ...string) {
	addr := in.prefix() + res.addr()
	if res.count == nil && res.forEach == nil {
		if attr != "" {
			t.set(in.resourceAttr(res, attr, addr), append(names, attr)...)
			return
		}
		t.set(ref(addr), names...)
		return
	}
	keys := in.resourceKeys(res)
	if !keys.known {
		t.set(ref(addr), names...)
		return
	}
	if keys.counted {
		elems := make([]cty.Value, len(keys.list))
		for i, k := range keys.list {
			elems[i] = ref(addr + k.suffix)
		}
		if len(elems) == 0 {
			t.set(cty.EmptyTupleVal, names...)
			return
		}
		t.set(cty.TupleVal(elems), names...)
		return
	}
	attrs := map[string]cty.Value{}
	for _, k := range keys.list {
		attrs[k.key] = ref(addr + k.suffix)
	}
	t.set(cty.ObjectVal(attrs), names...)
}

// resourceAttr evaluates an argument written in a single resource's body.
func (in *instance) resourceAttr(res *resource, attr, addr string) cty.Value {
	k := "res:" + addr + "." + attr
	if v, ok := in.resAttrs[k]; ok {
		return v
	}
	a := metaAttrs(res.block.Body)[attr]
	if a == nil || in.busy[k] {
		return ref(addr)
	}
	in.busy[k] = true
	v := in.root().eval(a.Expr).Mark(refMark{addr: addr})
	delete(in.busy, k)
	in.resAttrs[k] = v
	return v
}

// instanceKey is one count index or for_each key.
type instanceKey struct {
	key    string    // the for_each key, or the count index as text
	suffix string    // `["key"]` or `[0]`
	each   cty.Value // for_each: each.value
	index  int
}

type instanceKeys struct {
	known   bool
	counted bool
	list    []instanceKey
	// count is the count when it is over maxCount, whose first maxCount
	// instances list holds
	count int64
}

// maxCount bounds the instances a count makes.
const maxCount = 1024

// countNotice says that a count over maxCount was cut, on the count.
func (in *instance) countNotice(ks *instanceKeys, count hcl.Expression, what string) {
	if ks.count > maxCount && count != nil {
		in.run.notice(model.NoticeWarning, count.Range(), what+" has count = "+strconv.FormatInt(ks.count, 10)+
			": only its first "+itoa(maxCount)+" instances were evaluated")
	}
}

// resourceKeys evaluates a resource's count or for_each.
func (in *instance) resourceKeys(res *resource) *instanceKeys {
	k := "keys:" + res.addr()
	if ks, ok := in.keys[k]; ok {
		return ks
	}
	in.keys[k] = &instanceKeys{} // unknown while evaluating (a cycle)
	ks := expand(in.root(), res.count, res.forEach)
	in.keys[k] = ks
	in.countNotice(ks, res.count, res.addr())
	return ks
}

// expand evaluates count / for_each.
func expand(s *scope, count, forEach hcl.Expression) *instanceKeys {
	switch {
	case count != nil:
		v, _ := s.eval(count).UnmarkDeep()
		if !v.IsKnown() || v.IsNull() || !v.Type().Equals(cty.Number) {
			if v.IsKnown() && v.Type() == cty.String {
				if n, err := convert.Convert(v, cty.Number); err == nil {
					v = n
				}
			}
			if !v.IsKnown() || v.IsNull() || !v.Type().Equals(cty.Number) {
				return &instanceKeys{counted: true}
			}
		}
		n, acc := v.AsBigFloat().Int64()
		if acc != 0 && n < 0 {
			return &instanceKeys{counted: true}
		}
		ks := &instanceKeys{known: true, counted: true}
		if n > maxCount {
			ks.count = n
		}
		for i := 0; i < int(min(n, maxCount)); i++ {
			ks.list = append(ks.list, instanceKey{key: itoa(i), suffix: "[" + itoa(i) + "]", index: i})
		}
		return ks
	case forEach != nil:
		v := s.eval(forEach)
		uv, top := v.Unmark()
		if !uv.IsWhollyKnown() || uv.IsNull() {
			return &instanceKeys{}
		}
		ty := uv.Type()
		if !(ty.IsMapType() || ty.IsObjectType() || ty.IsSetType()) {
			return &instanceKeys{}
		}
		ks := &instanceKeys{known: true}
		for it := uv.ElementIterator(); it.Next(); {
			kv, ev := it.Element()
			kv, _ = kv.UnmarkDeep()
			if ty.IsSetType() {
				kv = ev
				kv, _ = kv.UnmarkDeep()
			}
			if kv.Type() != cty.String || kv.IsNull() {
				return &instanceKeys{}
			}
			key := kv.AsString()
			ks.list = append(ks.list, instanceKey{key: key, suffix: fmt.Sprintf("[%q]", key), each: ev.WithMarks(top)})
		}
		sort.Slice(ks.list, func(i, j int) bool { return ks.list[i].key < ks.list[j].key })
		return ks
	}
	return &instanceKeys{known: true, list: []instanceKey{{}}}
}

// scopeFor returns the scope of one instance of a counted or for_each block.
func scopeFor(s *scope, ks *instanceKeys, k instanceKey, known bool) *scope {
	switch {
	case !known && ks.counted:
		return s.with("count", cty.ObjectVal(map[string]cty.Value{"index": cty.UnknownVal(cty.Number)}))
	case !known:
		return s.with("each", cty.ObjectVal(map[string]cty.Value{"key": cty.UnknownVal(cty.String), "value": cty.DynamicVal}))
	case ks.counted:
		return s.with("count", cty.ObjectVal(map[string]cty.Value{"index": cty.NumberIntVal(int64(k.index))}))
	case k.suffix != "":
		ev := k.each
		if ev == cty.NilVal {
			ev = cty.StringVal(k.key)
		}
		return s.with("each", cty.ObjectVal(map[string]cty.Value{"key": cty.StringVal(k.key), "value": ev}))
	}
	return s
}

// variable returns the value of an input variable: the module call's
// argument, a tfvars value, the default, or unknown. It is marked with
// where it came from.
func (in *instance) variable(name string) cty.Value {
	k := "var:" + name
	if v, ok := in.vars[k]; ok {
		return v
	}
	decl := in.mod.vars[name]
	if decl == nil || in.busy[k] {
		return cty.DynamicVal
	}
	in.busy[k] = true
	defer delete(in.busy, k)
	var v cty.Value
	var origin *originMark
	if inp, ok := in.inputs[name]; ok {
		v = inp.scope.eval(inp.attr.Expr)
		origin = &originMark{loc: rangeLoc(inp.attr.NameRange, inp.attr.Expr.Range()), msg: "value of " + name + " given by " + inp.call}
	} else if a := in.tfvars[name]; a != nil {
		v = literal(a.Expr)
		origin = &originMark{loc: rangeLoc(a.NameRange, a.Expr.Range()), msg: "value of var." + name + " set in " + a.NameRange.Filename}
	} else if decl.def != nil {
		v = literal(decl.def.Expr)
		origin = &originMark{loc: rangeLoc(decl.def.NameRange, decl.def.Expr.Range()), msg: "default of var." + name}
	} else {
		v = cty.DynamicVal // set on the command line or by the environment: unknown
	}
	if decl.typed {
		uv, marks := v.UnmarkDeepWithPaths()
		if decl.details != nil && !uv.IsNull() {
			uv = decl.details.Apply(uv)
		}
		if c, err := convert.Convert(uv, decl.typ); err == nil {
			uv = c
		}
		v = uv.MarkWithPaths(marks)
	}
	if origin != nil {
		v = markDeep(v, *origin)
	}
	in.vars[k] = v
	return v
}

// markDeep marks a value and every part of it, so that a part taken out
// of a collection keeps its origin, while the marks a collection gathers
// as a whole (the conditions of a filtering for expression) stay on it.
func markDeep(v cty.Value, m any) cty.Value {
	out, err := cty.Transform(v, func(_ cty.Path, x cty.Value) (cty.Value, error) {
		return x.Mark(m), nil
	})
	if err != nil {
		return v.Mark(m)
	}
	return out
}

// local evaluates a local value; a local that refers to itself, directly
// or through others, is unknown and noticed.
func (in *instance) local(name string) cty.Value {
	k := "local:" + name
	if v, ok := in.locals[k]; ok {
		return v
	}
	l := in.mod.locals[name]
	if l == nil {
		return cty.DynamicVal
	}
	if in.busy[k] {
		in.run.notice(model.NoticeError, l.attr.NameRange, "local."+name+" refers to itself (directly or through other locals); its value is unknown")
		return cty.DynamicVal
	}
	in.busy[k] = true
	v := in.root().eval(l.attr.Expr)
	delete(in.busy, k)
	in.locals[k] = v
	return v
}

// moduleInstances returns the instances of a local module call, creating
// them on first use; a remote or missing module has none.
func (in *instance) moduleInstances(c *moduleCall) ([]*instance, *instanceKeys) {
	if ch, ok := in.children[c.name]; ok {
		return ch, in.childKeys[c.name]
	}
	in.children[c.name] = nil
	ks := expand(in.root(), c.count, c.forEach)
	in.childKeys[c.name] = ks
	in.countNotice(ks, c.count, "module "+c.name)
	if c.target == nil {
		return nil, ks
	}
	switch {
	case in.calledFrom(c.target):
		// what it defines is checked where it is already being evaluated
		in.run.notice(model.NoticeWarning, c.block.DefRange, "module "+c.name+" calls a module that is already being evaluated (a cycle); it was not evaluated again")
		return nil, ks
	case in.depth >= maxModuleDepth:
		in.run.notice(model.NoticeError, c.block.DefRange, "module "+c.name+" was not evaluated, so what it defines was not checked: module calls nest deeper than "+itoa(maxModuleDepth))
		return nil, ks
	}
	list := ks.list
	if !ks.known {
		list = []instanceKey{{}}
	}
	switch r := in.run; {
	case r.instances+len(list) > maxInstances:
		r.notice(model.NoticeError, c.block.DefRange, "module "+c.name+" was not evaluated, so what it defines was not checked: its root module already evaluates "+itoa(r.instances)+" module instances (at most "+itoa(maxInstances)+")")
		return nil, ks
	case r.total+len(list) > r.budget:
		r.notice(model.NoticeError, c.block.DefRange, "module "+c.name+" was not evaluated, so what it defines was not checked: the scan already evaluates "+itoa(r.total)+" module instances (at most "+itoa(r.budget)+" for its root modules)")
		return nil, ks
	}
	in.run.instances += len(list)
	in.run.total += len(list)
	var out []*instance
	for _, k := range list {
		s := scopeFor(in.root(), ks, k, ks.known)
		p := in.prefix() + "module." + c.name + k.suffix
		call := model.Related{Loc: rangeLoc(c.block.DefRange, c.block.DefRange), Message: "module." + c.name + k.suffix + " calls this module here"}
		child := newInstance(in.run, c.target, in, p, append([]model.Related{call}, in.calls...))
		for name, a := range c.inputs {
			child.inputs[name] = input{attr: a, scope: s, call: "module." + c.name + k.suffix}
		}
		out = append(out, child)
	}
	in.children[c.name] = out
	return out, ks
}

// calledFrom reports whether m is this instance's module or an ancestor's.
func (in *instance) calledFrom(m *module) bool {
	for p := in; p != nil; p = p.parent {
		if p.mod == m {
			return true
		}
	}
	return false
}

// moduleOutput is one output of a single module call.
func (in *instance) moduleOutput(c *moduleCall, name string) cty.Value {
	ch, _ := in.moduleInstances(c)
	if len(ch) != 1 {
		return ref(in.prefix() + "module." + c.name + "." + name)
	}
	return ch[0].output(name)
}

// moduleValue is the whole value of a module call: an object of outputs,
// or a collection of them for count / for_each.
func (in *instance) moduleValue(c *moduleCall) cty.Value {
	ch, ks := in.moduleInstances(c)
	addr := in.prefix() + "module." + c.name
	if len(ch) == 0 || !ks.known {
		return ref(addr)
	}
	objs := make([]cty.Value, len(ch))
	for i, x := range ch {
		attrs := map[string]cty.Value{}
		for n := range x.mod.outputs {
			attrs[n] = x.output(n)
		}
		objs[i] = cty.ObjectVal(attrs)
	}
	if c.count == nil && c.forEach == nil {
		return objs[0]
	}
	if ks.counted {
		return cty.TupleVal(objs)
	}
	m := map[string]cty.Value{}
	for i, k := range ks.list {
		m[k.key] = objs[i]
	}
	return cty.ObjectVal(m)
}

// output evaluates an output of this instance.
func (in *instance) output(name string) cty.Value {
	k := "output:" + name
	if v, ok := in.outputs[k]; ok {
		return v
	}
	expr := in.mod.outputs[name]
	if expr == nil || in.busy[k] {
		return ref(in.path + "." + name)
	}
	in.busy[k] = true
	v := in.root().eval(expr)
	delete(in.busy, k)
	in.outputs[k] = v
	return v
}

// marksOf splits a value's marks into the resources it refers to (sorted)
// and the places it came from (sorted by position).
func marksOf(v cty.Value) (refs []string, origins []model.Related) {
	_, pvm := v.UnmarkDeepWithPaths()
	seenR, seenO := map[string]bool{}, map[originMark]bool{}
	for _, p := range pvm {
		for m := range p.Marks {
			switch m := m.(type) {
			case refMark:
				if !seenR[m.addr] {
					seenR[m.addr] = true
					refs = append(refs, m.addr)
				}
			case originMark:
				if !seenO[m] {
					seenO[m] = true
					origins = append(origins, model.Related{Loc: m.loc, Message: m.msg})
				}
			}
		}
	}
	sort.Strings(refs)
	sort.Slice(origins, func(i, j int) bool { return origins[i].Loc.Before(origins[j].Loc) })
	return refs, origins
}

// rangeLoc is the location of a key and its value: from the key's start to
// the value's end when both are on one line, else to the key's end.
func rangeLoc(key, val hcl.Range) model.Location {
	l := model.Location{File: key.Filename, Line: key.Start.Line, Col: key.Start.Column, EndLine: key.End.Line, EndCol: key.End.Column}
	if val.Filename == key.Filename && val.End.Line == key.Start.Line && val.End.Byte >= key.End.Byte {
		l.EndLine, l.EndCol = val.End.Line, val.End.Column
	}
	return l
}

// isTraversalTo reports whether expr is exactly a reference to root.name….
func traversalOf(expr hcl.Expression) hcl.Traversal {
	if st, ok := expr.(*hclsyntax.ScopeTraversalExpr); ok {
		return st.Traversal
	}
	if tr, diags := hcl.AbsTraversalForExpr(expr); !diags.HasErrors() {
		return tr
	}
	return nil
}
