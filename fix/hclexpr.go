package fix

import (
	"strings"

	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hclsyntax"
	"github.com/isolint/isolint/rules"
	"github.com/zclconf/go-cty/cty"
)

// Fixes inside Terraform expressions: ECS container definitions written
// with jsonencode (objects and lists of HCL syntax), and a kubernetes_*
// container's `capabilities.add` list. Heredoc and file JSON is left.

// exprPath returns the chain of expressions from e down to the one that
// starts at line:col (an object's key counts as its item), or nil.
func exprPath(e hclsyntax.Expression, line, col int, depth int) []hclsyntax.Expression {
	if e == nil || depth > maxDepth || !within(e.Range(), line, col) {
		return nil
	}
	if r := e.Range(); r.Start.Line == line && r.Start.Column == col {
		return []hclsyntax.Expression{e}
	}
	var kids []hclsyntax.Expression
	switch x := e.(type) {
	case *hclsyntax.FunctionCallExpr:
		kids = x.Args
	case *hclsyntax.TupleConsExpr:
		kids = x.Exprs
	case *hclsyntax.ParenthesesExpr:
		kids = []hclsyntax.Expression{x.Expression}
	case *hclsyntax.ObjectConsExpr:
		for _, it := range x.Items {
			if r := it.KeyExpr.Range(); r.Start.Line == line && r.Start.Column == col {
				return []hclsyntax.Expression{e, it.KeyExpr}
			}
			kids = append(kids, it.ValueExpr)
		}
	}
	for _, k := range kids {
		if p := exprPath(k, line, col, depth+1); p != nil {
			return append([]hclsyntax.Expression{e}, p...)
		}
	}
	return nil
}

// keyName is an object item's key: a bare name or a literal string.
func keyName(k hclsyntax.Expression) string {
	if w, ok := k.(*hclsyntax.ObjectConsKeyExpr); ok {
		if name := hcl.ExprAsKeyword(w.Wrapped); name != "" {
			return name
		}
		k = w.Wrapped
	}
	v, diags := k.Value(nil)
	if diags.HasErrors() || !v.IsKnown() || v.IsNull() || v.Type() != cty.String {
		return ""
	}
	return v.AsString()
}

// item returns the value of key in object o.
func item(o *hclsyntax.ObjectConsExpr, key string) hclsyntax.Expression {
	for _, it := range o.Items {
		if keyName(it.KeyExpr) == key {
			return it.ValueExpr
		}
	}
	return nil
}

// containerObject finds the jsonencode object of the ECS container a
// finding points at (its `name` key, another key of it, or its brace).
func (f *hclFile) containerObject(at *hclsyntax.Block, fd rules.Finding) *hclsyntax.ObjectConsExpr {
	a, ok := at.Body.Attributes["container_definitions"]
	if !ok {
		return nil
	}
	call, ok := a.Expr.(*hclsyntax.FunctionCallExpr)
	if !ok || call.Name != "jsonencode" {
		return nil
	}
	p := exprPath(a.Expr, fd.Loc.Line, fd.Loc.Col, 0)
	for i := len(p) - 1; i >= 0; i-- {
		o, ok := p[i].(*hclsyntax.ObjectConsExpr)
		if !ok {
			continue
		}
		// the container: an item of the definitions' list
		if i > 0 {
			if _, inList := p[i-1].(*hclsyntax.TupleConsExpr); inList && item(o, "name") != nil || inList && item(o, "image") != nil {
				return o
			}
		}
	}
	return nil
}

// setInObject sets key = value in object o: the value replaced where the
// key is written on one line, else a line added before the closing brace
// (after a blank line, so `terraform fmt` alignment around stays), or
// `, key = value` in an object written on one line.
func (f *hclFile) setInObject(o *hclsyntax.ObjectConsExpr, key, value string) *edit {
	for _, it := range o.Items {
		if keyName(it.KeyExpr) != key {
			continue
		}
		r := it.ValueExpr.Range()
		if r.Start.Line != r.End.Line {
			return nil
		}
		if strings.TrimSpace(string(f.src[r.Start.Byte:r.End.Byte])) == value {
			return &edit{} // already so
		}
		return &edit{start: r.Start.Byte, end: r.End.Byte, text: value}
	}
	open, close := o.OpenRange, o.SrcRange
	closeAt := close.End.Byte - 1 // the closing brace
	if closeAt < 0 || closeAt >= len(f.src) || f.src[closeAt] != '}' {
		return nil
	}
	if open.Start.Line == close.End.Line {
		if len(o.Items) == 0 {
			return &edit{start: closeAt, end: closeAt, text: " " + key + " = " + value + " "}
		}
		at := closeAt
		for at > 0 && f.src[at-1] == ' ' {
			at--
		}
		return &edit{start: at, end: at, text: ", " + key + " = " + value}
	}
	line := close.End.Line
	if strings.TrimSpace(string(f.src[f.lines[line-1]:closeAt])) != "" || len(o.Items) == 0 {
		return nil // the brace shares its line with an item
	}
	first := o.Items[0].KeyExpr.Range().Start.Line
	if first == open.Start.Line {
		return nil
	}
	indent := f.indentAt(first)
	at := f.lines[line-1]
	return &edit{start: at, end: at, text: "\n" + indent + key + " = " + value + "\n", indent: len(indent)}
}

// without renders list t without the element that starts at line:col,
// from the other elements' own text; false when t is not on one line.
func (f *hclFile) without(t *hclsyntax.TupleConsExpr, line, col int) (string, bool) {
	r := t.Range()
	if r.Start.Line != r.End.Line {
		return "", false
	}
	var keep []string
	found := false
	for _, e := range t.Exprs {
		er := e.Range()
		if er.Start.Line == line && er.Start.Column == col {
			found = true
			continue
		}
		keep = append(keep, string(f.src[er.Start.Byte:er.End.Byte]))
	}
	return "[" + strings.Join(keep, ", ") + "]", found
}

// ecsCapability is the fix of an ECS container's added capability: the
// item leaves `linuxParameters.capabilities.add` and `drop = ["ALL"]` is
// set beside it.
func (f *hclFile) ecsCapability(at *hclsyntax.Block, fd rules.Finding) []hclChange {
	a, ok := at.Body.Attributes["container_definitions"]
	if !ok {
		return nil
	}
	if call, ok := a.Expr.(*hclsyntax.FunctionCallExpr); !ok || call.Name != "jsonencode" {
		return nil
	}
	p := exprPath(a.Expr, fd.Loc.Line, fd.Loc.Col, 0)
	if len(p) < 3 {
		return nil
	}
	list, ok := p[len(p)-2].(*hclsyntax.TupleConsExpr)
	if !ok {
		return nil
	}
	caps, ok := p[len(p)-3].(*hclsyntax.ObjectConsExpr)
	if !ok || item(caps, "add") != list {
		return nil
	}
	rest, ok := f.without(list, fd.Loc.Line, fd.Loc.Col)
	if !ok {
		return nil
	}
	lr := list.Range()
	drop := f.setInObject(caps, "drop", `["ALL"]`)
	if drop == nil {
		return nil
	}
	out := []hclChange{{text: &edit{start: lr.Start.Byte, end: lr.End.Byte, text: rest}}}
	if drop.end > drop.start || drop.text != "" {
		out = append(out, hclChange{text: drop})
	}
	return out
}

// ecsObjectEscalates: a jsonencode ECS container that is privileged (or
// not known not to be) or adds SYS_ADMIN or ALL.
func (f *hclFile) ecsObjectEscalates(o *hclsyntax.ObjectConsExpr) bool {
	if p := item(o, "privileged"); p != nil {
		v, diags := p.Value(nil)
		if diags.HasErrors() || !v.IsKnown() || v.IsNull() || v.Type() != cty.Bool || v.True() {
			return true
		}
	}
	lp, _ := item(o, "linuxParameters").(*hclsyntax.ObjectConsExpr)
	if lp == nil {
		return item(o, "linuxParameters") != nil
	}
	caps, _ := item(lp, "capabilities").(*hclsyntax.ObjectConsExpr)
	if caps == nil {
		return item(lp, "capabilities") != nil
	}
	add := item(caps, "add")
	return add != nil && addsAdmin(add)
}

// addsAdmin reports whether a capabilities `add` list may add SYS_ADMIN or
// ALL: it names one, or is not a list of known strings.
func addsAdmin(add hclsyntax.Expression) bool {
	v, diags := add.Value(nil)
	if diags.HasErrors() || !v.IsWhollyKnown() || !v.CanIterateElements() {
		return true
	}
	for it := v.ElementIterator(); it.Next(); {
		_, e := it.Element()
		if e.IsNull() || e.Type() != cty.String {
			return true
		}
		if n := strings.TrimPrefix(strings.ToUpper(e.AsString()), "CAP_"); n == "SYS_ADMIN" || n == "ALL" {
			return true
		}
	}
	return false
}

// appendToList adds elem to the list written as key's value in object o
// (a list on one line, or one element per line), or sets key = [elem].
func (f *hclFile) appendToList(o *hclsyntax.ObjectConsExpr, key, elem string) *edit {
	v := item(o, key)
	if v == nil {
		return f.setInObject(o, key, "["+elem+"]")
	}
	t, ok := v.(*hclsyntax.TupleConsExpr)
	if !ok {
		return nil
	}
	r := t.Range()
	closeAt := r.End.Byte - 1
	if closeAt < 0 || f.src[closeAt] != ']' {
		return nil
	}
	if len(t.Exprs) == 0 {
		return &edit{start: closeAt, end: closeAt, text: elem}
	}
	last := t.Exprs[len(t.Exprs)-1].Range()
	if r.Start.Line == r.End.Line {
		return &edit{start: last.End.Byte, end: last.End.Byte, text: ", " + elem}
	}
	// one element per line: a line like the last one's, after it
	if last.Start.Line == r.Start.Line || last.End.Line == r.End.Line {
		return nil
	}
	indent := f.indentAt(last.Start.Line)
	rest := f.src[last.End.Byte:]
	comma := 0
	for comma < len(rest) && (rest[comma] == ' ' || rest[comma] == '\t') {
		comma++
	}
	if comma < len(rest) && rest[comma] == ',' {
		// the last element ends with a comma: the new line does too
		at := f.lines[last.End.Line] // after the last element's line
		return &edit{start: at, end: at, text: indent + elem + ",\n", indent: len(indent)}
	}
	return &edit{start: last.End.Byte, end: last.End.Byte, text: ",\n" + indent + elem}
}
