package terraform

import (
	"math/big"
	"sort"
	"strings"

	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hclsyntax"
	hcljson "github.com/hashicorp/hcl/v2/json"
	"github.com/isolint/isolint/model"
	"github.com/isolint/isolint/source"
	"github.com/zclconf/go-cty/cty"
	"github.com/zclconf/go-cty/cty/convert"
	"github.com/zclconf/go-cty/cty/function/stdlib"
)

// node is a place in a configuration that holds a value: a block body, an
// expression, or part of an evaluated value. Lowering walks nodes the way
// the k8s scanner walks YAML: Get a key, list Items, read a Bool or String
// that carries the location of the key that sets it. Nodes see through
// jsonencode(…), heredoc and file() JSON, and references to locals, so that
// a finding points at the key to edit inside them.
type node struct {
	sc   *scope
	body *bodyView      // a block body, or nil
	blk  *hcl.Block     // the block of a body
	expr hcl.Expression // an expression, or nil
	// literal: expr is JSON read from a file, evaluated without variables.
	literal bool
	val     cty.Value // a part of an evaluated value (when body and expr are nil)
	hasVal  bool
	key     hcl.Range // the key naming this value
	rng     hcl.Range // the value
	path    string
	object  string
	// anchor is where a missing key belongs (for absent nodes).
	anchor hcl.Range
	exists bool
}

// bodyView is a block body's attributes and nested blocks, for both syntaxes.
type bodyView struct {
	attrs  hcl.Attributes
	blocks hcl.Blocks
}

func viewOf(b hcl.Body) *bodyView {
	if sb, ok := b.(*hclsyntax.Body); ok {
		v := &bodyView{attrs: make(hcl.Attributes, len(sb.Attributes))}
		for n, a := range sb.Attributes {
			v.attrs[n] = a.AsHCLAttribute()
		}
		for _, bl := range sb.Blocks {
			v.blocks = append(v.blocks, bl.AsHCLBlock())
		}
		return v
	}
	attrs, _ := b.JustAttributes()
	delete(attrs, "//")
	return &bodyView{attrs: attrs}
}

// blockNode is the node of a block.
func blockNode(s *scope, b *hcl.Block, path, object string) node {
	return node{sc: s, body: viewOf(b.Body), blk: b, key: b.TypeRange, rng: b.DefRange, path: path, object: object, exists: true}
}

func (n node) Exists() bool { return n.exists }

func (n node) child(key, rng hcl.Range, seg string) node {
	return node{sc: n.sc, key: key, rng: rng, path: join(n.path, seg), object: n.object, exists: true, literal: n.literal}
}

func join(path, seg string) string {
	if path == "" {
		return seg
	}
	if strings.HasPrefix(seg, "[") {
		return path + seg
	}
	return path + "." + seg
}

// absent is a missing key below n.
func (n node) absent(name string) node {
	a := n.key
	if n.blk != nil {
		a = n.blk.DefRange
	}
	return node{sc: n.sc, path: join(n.path, name), object: n.object, anchor: a}
}

// Get returns the attribute, nested block or object key name.
func (n node) Get(name string) node {
	if !n.exists {
		return n.absent(name)
	}
	if n.body != nil {
		if a := n.body.attrs[name]; a != nil {
			c := n.child(a.NameRange, a.Expr.Range(), name)
			c.expr = a.Expr
			return c
		}
		for _, b := range n.blocks(name) {
			return b
		}
		return n.absent(name)
	}
	if e := n.unwrap(); e.expr != nil && e.expr != n.expr {
		return e.Get(name)
	}
	if call, ok := n.expr.(*hclsyntax.FunctionCallExpr); ok && call.Name == "merge" && !n.literal {
		// the last argument that sets the key decides, as merge does
		for i := len(call.Args) - 1; i >= 0; i-- {
			a := n
			a.expr = call.Args[i]
			if c := a.Get(name); c.Exists() {
				return c
			}
		}
	}
	if n.expr != nil {
		if pairs, ok := exprMap(n.expr); ok {
			for _, p := range pairs {
				if n.keyName(p.Key) == name {
					c := n.child(p.Key.Range(), p.Value.Range(), name)
					c.expr = p.Value
					return c
				}
			}
			return n.absent(name)
		}
		if items, ok := exprList(n.expr); ok && len(items) > 0 {
			return n.Items()[0].Get(name) // a JSON block written as a list
		}
	}
	v, marks := n.structured()
	if !v.IsKnown() || v.IsNull() {
		c := n.child(n.key, n.rng, name)
		c.val, c.hasVal = cty.DynamicVal.WithMarks(marks), true
		if v.IsNull() {
			return n.absent(name)
		}
		return c
	}
	ty := v.Type()
	var e cty.Value
	switch {
	case ty.IsObjectType() && ty.HasAttribute(name):
		e = v.GetAttr(name)
	case ty.IsMapType() && v.HasIndex(cty.StringVal(name)).True():
		e = v.Index(cty.StringVal(name))
	default:
		return n.absent(name)
	}
	c := n.child(n.key, n.rng, name)
	c.val, c.hasVal = e, true // its own marks: the collection's are about the whole
	return c
}

// keyName reads an object key: a bare name or a known string.
func (n node) keyName(k hcl.Expression) string {
	if kw := hcl.ExprAsKeyword(k); kw != "" {
		return kw
	}
	if ok, isKey := k.(*hclsyntax.ObjectConsKeyExpr); isKey && !ok.ForceNonLiteral {
		if kw := hcl.ExprAsKeyword(ok.Wrapped); kw != "" {
			return kw
		}
	}
	var v cty.Value
	if n.literal {
		v, _ = k.Value(nil)
	} else {
		v = n.sc.eval(k)
	}
	v, _ = v.UnmarkDeep()
	if v.IsKnown() && !v.IsNull() && v.Type() == cty.String {
		return v.AsString()
	}
	return ""
}

// blocks lists the nested blocks of a type, with dynamic blocks expanded
// over their known for_each (an unknown for_each gives one block whose
// iterator is unknown).
func (n node) blocks(typ string) []node {
	var out []node
	for _, b := range n.body.blocks {
		switch {
		case b.Type == typ:
			c := blockNode(n.sc, b, join(n.path, typ), n.object)
			out = append(out, c)
		case b.Type == "dynamic" && len(b.Labels) == 1 && b.Labels[0] == typ:
			out = append(out, n.dynamic(b, typ)...)
		}
	}
	if len(out) > 1 {
		for i := range out {
			out[i].path += "[" + itoa(i) + "]"
		}
	}
	return out
}

func (n node) dynamic(b *hcl.Block, typ string) []node {
	v := viewOf(b.Body)
	var content *hcl.Block
	for _, c := range v.blocks {
		if c.Type == "content" {
			content = c
		}
	}
	if content == nil {
		return nil
	}
	iter := typ
	if a := v.attrs["iterator"]; a != nil {
		if kw := hcl.ExprAsKeyword(a.Expr); kw != "" {
			iter = kw
		}
	}
	a := v.attrs["for_each"]
	if a == nil {
		return nil
	}
	var out []node
	for _, it := range dynamicIterations(n.sc, a.Expr) {
		c := blockNode(n.sc.with(iter, it), content, join(n.path, typ), n.object)
		c.key = b.DefRange
		out = append(out, c)
	}
	return out
}

// dynamicIterations are the values of a dynamic block's iterator, one per
// block it makes. Terraform takes any collection there: a map or object
// (keyed by its keys), a set (keyed by its elements), a list or tuple
// (keyed by index); elements may be partly unknown. An unknown collection
// makes one block whose iterator is unknown; at most maxCount blocks are
// made.
func dynamicIterations(sc *scope, forEach hcl.Expression) []cty.Value {
	unknown := []cty.Value{cty.ObjectVal(map[string]cty.Value{"key": cty.DynamicVal, "value": cty.DynamicVal})}
	v, marks := sc.eval(forEach).Unmark()
	if !v.IsKnown() || v.IsNull() || !v.CanIterateElements() || v.Type().IsSetType() && !v.IsWhollyKnown() {
		return unknown
	}
	var out []cty.Value
	for it := v.ElementIterator(); it.Next() && len(out) < maxCount; {
		k, e := it.Element()
		if v.Type().IsSetType() {
			k = e
		}
		out = append(out, cty.ObjectVal(map[string]cty.Value{"key": k, "value": e.WithMarks(marks)}))
	}
	return out
}

// Items lists the elements of a list, or the blocks of a repeated block
// type (see All); a single object is a list of itself, as JSON container
// definitions and .tf.json blocks are written either way.
func (n node) Items() []node {
	if !n.exists {
		return nil
	}
	if n.body != nil {
		return []node{n}
	}
	if e := n.unwrap(); e.expr != nil && e.expr != n.expr {
		return e.Items()
	}
	if call, ok := n.expr.(*hclsyntax.FunctionCallExpr); ok && call.Name == "concat" && !n.literal {
		var out []node
		for _, arg := range call.Args {
			a := n
			a.expr = arg
			out = append(out, a.Items()...)
		}
		return out
	}
	if n.expr != nil {
		if items, ok := exprList(n.expr); ok {
			out := make([]node, 0, len(items))
			for i, it := range items {
				c := n.child(it.Range(), it.Range(), "["+itoa(i)+"]")
				c.expr = it
				out = append(out, c)
			}
			return out
		}
		if _, ok := exprMap(n.expr); ok {
			return []node{n}
		}
	}
	v, _ := n.structured()
	if !v.IsKnown() || v.IsNull() {
		return nil
	}
	ty := v.Type()
	if ty.IsObjectType() || ty.IsMapType() {
		return []node{n}
	}
	if !(ty.IsListType() || ty.IsTupleType() || ty.IsSetType()) {
		return nil
	}
	var out []node
	i := 0
	for it := v.ElementIterator(); it.Next(); i++ {
		_, e := it.Element()
		c := n.child(n.key, n.rng, "["+itoa(i)+"]")
		c.val, c.hasVal = e, true
		out = append(out, c)
	}
	return out
}

// readable reports whether the parts of a list or object can be read:
// absent, a block, written out, or evaluated to a known value. An
// unresolved variable, or a concat() with one, is not.
func (n node) readable() bool {
	if !n.exists || n.body != nil {
		return true
	}
	u := n.unwrap()
	if u.expr != nil {
		if _, ok := exprList(u.expr); ok {
			return true
		}
		if _, ok := exprMap(u.expr); ok {
			return true
		}
	}
	v, _ := u.structured()
	return v.IsKnown()
}

// All lists the blocks of a type below n (or the items of a list attribute
// of that name, as JSON syntax writes blocks).
func (n node) All(typ string) []node {
	if !n.exists {
		return nil
	}
	if n.body != nil {
		if n.body.attrs[typ] == nil {
			return n.blocks(typ)
		}
	}
	return n.Get(typ).Items()
}

// pair is one key of a map value.
type pair struct {
	Key string
	Val node
}

// Pairs lists the keys of a map or object value in written order (sorted
// for an evaluated value).
func (n node) Pairs() []pair {
	if !n.exists {
		return nil
	}
	if n.body != nil {
		var out []pair
		for name, a := range n.body.attrs {
			c := n.child(a.NameRange, a.Expr.Range(), name)
			c.expr = a.Expr
			out = append(out, pair{name, c})
		}
		sort.Slice(out, func(i, j int) bool { return out[i].Val.key.Start.Byte < out[j].Val.key.Start.Byte })
		return out
	}
	if e := n.unwrap(); e.expr != nil && e.expr != n.expr {
		return e.Pairs()
	}
	if n.expr != nil {
		if items, ok := exprMap(n.expr); ok {
			var out []pair
			for _, p := range items {
				k := n.keyName(p.Key)
				if k == "" {
					continue
				}
				c := n.child(p.Key.Range(), p.Value.Range(), k)
				c.expr = p.Value
				out = append(out, pair{k, c})
			}
			return out
		}
	}
	v, _ := n.structured()
	if !v.IsKnown() || v.IsNull() || !(v.Type().IsObjectType() || v.Type().IsMapType()) {
		return nil
	}
	var out []pair
	for it := v.ElementIterator(); it.Next(); {
		k, e := it.Element()
		k, _ = k.UnmarkDeep()
		c := n.child(n.key, n.rng, k.AsString())
		c.val, c.hasVal = e, true
		out = append(out, pair{k.AsString(), c})
	}
	return out
}

// unwrap sees through an expression to the syntax that holds its parts:
// jsonencode/tolist/… arguments, parentheses, a reference to a local, a
// conditional with a known condition, JSON in a heredoc or a string, and
// JSON read by file(). It returns n itself when there is nothing to see
// through.
func (n node) unwrap() node {
	cur := n
	for range 16 {
		next, ok := cur.unwrapOnce()
		if !ok {
			return cur
		}
		cur = next
	}
	return cur
}

func (n node) unwrapOnce() (node, bool) {
	if n.expr == nil || n.literal {
		return n, false
	}
	with := func(e hcl.Expression) (node, bool) {
		c := n
		c.expr = e
		return c, true
	}
	switch e := n.expr.(type) {
	case *hclsyntax.ParenthesesExpr:
		return with(e.Expression)
	case *hclsyntax.TemplateWrapExpr:
		return with(e.Wrapped)
	case *hclsyntax.FunctionCallExpr:
		switch e.Name {
		case "jsonencode", "tolist", "toset", "tomap", "jsondecode", "yamlencode", "nonsensitive", "sensitive":
			if len(e.Args) == 1 {
				return with(e.Args[0])
			}
		case "file":
			if len(e.Args) == 1 {
				p, _ := n.sc.eval(e.Args[0]).UnmarkDeep()
				if p.IsKnown() && !p.IsNull() && p.Type() == cty.String {
					if f, ok := n.sc.inst.run.readFile(n.sc.inst, p.AsString()); ok && f.json != nil {
						c := n
						c.expr, c.literal = f.json, true
						c.key, c.rng = f.json.Range(), f.json.Range()
						return c, true
					}
				}
			}
		case "templatefile":
			if len(e.Args) == 2 {
				return n.templateFile(e)
			}
		}
	case *hclsyntax.ConditionalExpr:
		c, _ := n.sc.eval(e.Condition).UnmarkDeep()
		if c.IsKnown() && !c.IsNull() && c.Type() == cty.Bool {
			if c.True() {
				return with(e.TrueResult)
			}
			return with(e.FalseResult)
		}
	case *hclsyntax.ScopeTraversalExpr:
		tr := e.Traversal
		if tr.RootName() == "local" && len(tr) >= 2 {
			name := stepName(tr, 1)
			if l := n.sc.inst.mod.locals[name]; l != nil && len(tr) == 2 {
				c := n
				c.sc = n.sc.inst.root()
				c.expr = l.attr.Expr
				c.key, c.rng = l.attr.NameRange, l.attr.Expr.Range()
				return c, true
			}
		}
	case *hclsyntax.TemplateExpr:
		return n.jsonTemplate(e)
	}
	return n, false
}

// jsonTemplate reads a heredoc or quoted string that holds JSON with the
// positions of its keys: the template's source is parsed as JSON whose
// strings are templates (as in .tf.json), so `"${var.image}"` still
// evaluates. JSON with interpolations outside strings is read as a value.
func (n node) jsonTemplate(e *hclsyntax.TemplateExpr) (node, bool) {
	if len(e.Parts) == 0 {
		return n, false
	}
	start, end := e.Parts[0].Range().Start, e.Parts[len(e.Parts)-1].Range().End
	src := n.sc.inst.run.source(start, end, e.SrcRange.Filename)
	if src == nil {
		return n, false
	}
	trim := strings.TrimLeft(string(src), " \t\r\n")
	if !strings.HasPrefix(trim, "{") && !strings.HasPrefix(trim, "[") {
		return n, false
	}
	if source.CheckNesting(src, source.JSON, 0) != nil {
		return n, false
	}
	j, diags := hcljson.ParseExpressionWithStartPos(src, e.SrcRange.Filename, start)
	if diags.HasErrors() {
		return n, false
	}
	c := n
	c.expr = j
	c.literal = e.IsStringLiteral()
	return c, true
}

// templateFile reads templatefile("x.json.tpl", {…}) as JSON when the
// template is JSON: positions in the template file, strings evaluated with
// the template's variables.
func (n node) templateFile(e *hclsyntax.FunctionCallExpr) (node, bool) {
	p, _ := n.sc.eval(e.Args[0]).UnmarkDeep()
	if !p.IsKnown() || p.IsNull() || p.Type() != cty.String {
		return n, false
	}
	f, ok := n.sc.inst.run.readFile(n.sc.inst, p.AsString())
	if !ok || f.json == nil {
		return n, false
	}
	vars := templateVars(n.sc.eval(e.Args[1]))
	s := &scope{inst: n.sc.inst, extra: vars}
	c := n
	c.sc, c.expr = s, f.json
	c.key, c.rng = f.json.Range(), f.json.Range()
	return c, true
}

// structured evaluates the node for its parts: a known string holding JSON
// (a rendered template) is decoded.
func (n node) structured() (cty.Value, cty.ValueMarks) {
	v, marks := n.value().Unmark()
	if v.IsKnown() && !v.IsNull() && v.Type() == cty.String {
		t := strings.TrimSpace(v.AsString())
		if strings.HasPrefix(t, "{") || strings.HasPrefix(t, "[") {
			if d, err := stdlib.JSONDecode(cty.StringVal(t)); err == nil {
				return d, marks
			}
		}
	}
	return v, marks
}

// value evaluates the node.
func (n node) value() cty.Value {
	switch {
	case n.hasVal:
		return n.val
	case n.expr != nil && n.literal:
		v, diags := n.expr.Value(nil)
		if diags.HasErrors() {
			return cty.DynamicVal
		}
		return v
	case n.expr != nil:
		return n.sc.eval(n.expr)
	}
	return cty.NullVal(cty.DynamicPseudoType)
}

// Loc is where the value is set: its key (to the value's end on one line),
// or, for an absent key, the place it belongs (Synthetic).
func (n node) Loc() model.Location {
	var l model.Location
	if !n.exists {
		l = rangeLoc(n.anchor, n.anchor)
		l.Synthetic = true
	} else {
		l = rangeLoc(n.key, n.rng)
	}
	l.Path, l.Object = n.path, n.object
	return l
}

// KeyLoc is the key alone.
func (n node) KeyLoc() model.Location {
	if !n.exists {
		return n.Loc()
	}
	l := rangeLoc(n.key, n.key)
	l.Path, l.Object = n.path, n.object
	return l
}

// via lists where the value came from, and the module calls that make it.
func (n node) via(v cty.Value) []model.Related {
	_, origins := marksOf(v)
	return append(origins, n.sc.inst.calls...)
}

// Bool reads a boolean; "true"/"false" strings convert as Terraform does.
func (n node) Bool() model.Bool {
	b := model.Bool{Loc: n.Loc()}
	if !n.exists {
		return b
	}
	v := n.value()
	b.Via = n.via(v)
	uv, _ := v.UnmarkDeep()
	if uv.IsNull() {
		return model.Bool{Loc: b.Loc}
	}
	b.Set = true
	if !uv.IsKnown() {
		b.Unknown = true
		return b
	}
	c, err := convert.Convert(uv, cty.Bool)
	if err != nil || c.IsNull() {
		b.Unknown = true
		return b
	}
	b.Value = c.True()
	return b
}

// Str reads a string; numbers and booleans read as their text.
func (n node) Str() model.String {
	s := model.String{Loc: n.Loc()}
	if !n.exists {
		return s
	}
	v := n.value()
	s.Via = n.via(v)
	uv, _ := v.UnmarkDeep()
	if uv.IsNull() {
		return model.String{Loc: s.Loc}
	}
	s.Set = true
	if !uv.IsKnown() {
		s.Unknown = true
		return s
	}
	c, err := convert.Convert(uv, cty.String)
	if err != nil || c.IsNull() {
		s.Unknown = true
		return s
	}
	s.Value = c.AsString()
	return s
}

// Int reads an integer; numeric strings convert.
func (n node) Int() model.Int {
	i := model.Int{Loc: n.Loc()}
	if !n.exists {
		return i
	}
	v := n.value()
	i.Via = n.via(v)
	uv, _ := v.UnmarkDeep()
	if uv.IsNull() {
		return model.Int{Loc: i.Loc}
	}
	i.Set = true
	if !uv.IsKnown() {
		i.Unknown = true
		return i
	}
	c, err := convert.Convert(uv, cty.Number)
	if err != nil || c.IsNull() {
		i.Unknown = true
		return i
	}
	x, acc := c.AsBigFloat().Int64()
	if acc != big.Exact {
		i.Unknown = true
		return i
	}
	i.Value = x
	return i
}

// Strings reads a string or a list of strings (IAM Action is either).
func (n node) Strings() []model.String {
	if !n.exists {
		return nil
	}
	uv, _ := n.value().UnmarkDeep()
	if uv.IsKnown() && !uv.IsNull() && uv.Type().IsPrimitiveType() {
		return []model.String{n.Str()}
	}
	items := n.Items()
	if len(items) == 0 && (!uv.IsKnown()) {
		s := n.Str()
		s.Unknown, s.Set = true, true
		return []model.String{s}
	}
	out := make([]model.String, 0, len(items))
	for _, it := range items {
		out = append(out, it.Str())
	}
	return out
}

// Text is the known string value, or "".
func (n node) Text() string {
	s := n.Str()
	if !s.Known() {
		return ""
	}
	return s.Value
}

// Refs lists the resources the value refers to.
func (n node) Refs() []string {
	if !n.exists {
		return nil
	}
	refs, _ := marksOf(n.value())
	return refs
}

// exprMap lists the pairs of an object constructor (native or JSON).
func exprMap(e hcl.Expression) ([]hcl.KeyValuePair, bool) {
	switch e.(type) {
	case *hclsyntax.ObjectConsExpr:
	default:
		if _, native := e.(hclsyntax.Expression); native {
			return nil, false
		}
	}
	pairs, diags := hcl.ExprMap(e)
	if diags.HasErrors() {
		return nil, false
	}
	return pairs, true
}

// exprList lists the items of a tuple constructor (native or JSON).
func exprList(e hcl.Expression) ([]hcl.Expression, bool) {
	switch e.(type) {
	case *hclsyntax.TupleConsExpr:
	default:
		if _, native := e.(hclsyntax.Expression); native {
			return nil, false
		}
	}
	items, diags := hcl.ExprList(e)
	if diags.HasErrors() {
		return nil, false
	}
	return items, true
}
