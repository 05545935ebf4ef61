package github

import (
	"errors"
	"math"
	"strconv"
	"strings"
)

// GitHub Actions expressions (`${{ … }}` and `if:` conditions), parsed far
// enough to know which contexts an expression reads (secrets.X,
// toJSON(secrets), github.event.*, github.token, env.X) and to evaluate a
// condition against what is known about one way a job can run.
// Syntax: https://docs.github.com/en/actions/reference/workflows-and-actions/expressions

// exprNode is a parsed expression.
type exprNode interface{ isExpr() }

type (
	exprLit struct {
		val any // nil, bool, float64, string
	}
	// exprRef is a context access: github.event.pull_request.head.sha. A
	// segment is "*" for `.*` and for an index that is not a literal.
	exprRef struct {
		path    []string
		dynamic bool // indexed by something other than a literal
	}
	exprCall struct {
		name string // lower case
		args []exprNode
	}
	exprUnary struct {
		op string
		x  exprNode
	}
	exprBinary struct {
		op   string
		l, r exprNode
	}
)

func (exprLit) isExpr()    {}
func (exprRef) isExpr()    {}
func (exprCall) isExpr()   {}
func (exprUnary) isExpr()  {}
func (exprBinary) isExpr() {}

// maxExprDepth bounds nesting so that hostile input cannot exhaust the stack.
const maxExprDepth = 64

type exprParser struct {
	toks  []exprTok
	pos   int
	depth int
}

type exprTok struct {
	kind byte // 'i' ident, 's' string, 'n' number, 'o' operator/punct, 0 end
	text string
}

var errExpr = errors.New("not a valid expression")

func lexExpr(s string) ([]exprTok, error) {
	var out []exprTok
	for i := 0; i < len(s); {
		c := s[i]
		switch {
		case c == ' ' || c == '\t' || c == '\n' || c == '\r':
			i++
		case c == '\'':
			var b strings.Builder
			j := i + 1
			for {
				if j >= len(s) {
					return nil, errExpr
				}
				if s[j] == '\'' {
					if j+1 < len(s) && s[j+1] == '\'' {
						b.WriteByte('\'')
						j += 2
						continue
					}
					break
				}
				b.WriteByte(s[j])
				j++
			}
			out = append(out, exprTok{'s', b.String()})
			i = j + 1
		case c >= '0' && c <= '9' || (c == '-' && i+1 < len(s) && s[i+1] >= '0' && s[i+1] <= '9'):
			j := i + 1
			for j < len(s) && (isIdentByte(s[j]) || s[j] == '.') {
				j++
			}
			out = append(out, exprTok{'n', s[i:j]})
			i = j
		case isIdentByte(c):
			j := i
			for j < len(s) && (isIdentByte(s[j]) || s[j] == '-') {
				j++
			}
			out = append(out, exprTok{'i', s[i:j]})
			i = j
		default:
			two := ""
			if i+1 < len(s) {
				two = s[i : i+2]
			}
			switch two {
			case "==", "!=", "<=", ">=", "&&", "||":
				out = append(out, exprTok{'o', two})
				i += 2
				continue
			}
			if strings.IndexByte("!<>()[],.*", c) < 0 {
				return nil, errExpr
			}
			out = append(out, exprTok{'o', string(c)})
			i++
		}
	}
	return out, nil
}

func isIdentByte(c byte) bool {
	return c == '_' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9'
}

// parseExpr parses one expression (without the `${{ }}` delimiters).
func parseExpr(s string) (exprNode, error) {
	toks, err := lexExpr(s)
	if err != nil {
		return nil, err
	}
	p := &exprParser{toks: toks}
	n, err := p.or()
	if err != nil {
		return nil, err
	}
	if p.pos != len(p.toks) {
		return nil, errExpr
	}
	return n, nil
}

func (p *exprParser) peek() exprTok {
	if p.pos < len(p.toks) {
		return p.toks[p.pos]
	}
	return exprTok{}
}

func (p *exprParser) accept(op string) bool {
	if t := p.peek(); t.kind == 'o' && t.text == op {
		p.pos++
		return true
	}
	return false
}

func (p *exprParser) or() (exprNode, error) {
	p.depth++
	defer func() { p.depth-- }()
	if p.depth > maxExprDepth {
		return nil, errExpr
	}
	l, err := p.and()
	for err == nil && p.accept("||") {
		var r exprNode
		if r, err = p.and(); err == nil {
			l = exprBinary{"||", l, r}
		}
	}
	return l, err
}

func (p *exprParser) and() (exprNode, error) {
	l, err := p.cmp()
	for err == nil && p.accept("&&") {
		var r exprNode
		if r, err = p.cmp(); err == nil {
			l = exprBinary{"&&", l, r}
		}
	}
	return l, err
}

func (p *exprParser) cmp() (exprNode, error) {
	l, err := p.unary()
	for err == nil {
		t := p.peek()
		if t.kind != 'o' || (t.text != "==" && t.text != "!=" && t.text != "<" && t.text != ">" && t.text != "<=" && t.text != ">=") {
			break
		}
		p.pos++
		var r exprNode
		if r, err = p.unary(); err == nil {
			l = exprBinary{t.text, l, r}
		}
	}
	return l, err
}

func (p *exprParser) unary() (exprNode, error) {
	if p.accept("!") {
		p.depth++
		defer func() { p.depth-- }()
		if p.depth > maxExprDepth {
			return nil, errExpr
		}
		x, err := p.unary()
		return exprUnary{"!", x}, err
	}
	return p.postfix()
}

func (p *exprParser) postfix() (exprNode, error) {
	t := p.peek()
	var n exprNode
	switch t.kind {
	case 's':
		p.pos++
		return exprLit{t.text}, nil
	case 'n':
		p.pos++
		f, err := parseNumber(t.text)
		if err != nil {
			return nil, errExpr
		}
		return exprLit{f}, nil
	case 'i':
		p.pos++
		switch t.text {
		case "true":
			return exprLit{true}, nil
		case "false":
			return exprLit{false}, nil
		case "null":
			return exprLit{nil}, nil
		}
		if p.accept("(") {
			c := exprCall{name: strings.ToLower(t.text)}
			if !p.accept(")") {
				for {
					a, err := p.or()
					if err != nil {
						return nil, err
					}
					c.args = append(c.args, a)
					if p.accept(")") {
						break
					}
					if !p.accept(",") {
						return nil, errExpr
					}
				}
			}
			n = c
		} else {
			n = exprRef{path: []string{t.text}}
		}
	case 'o':
		if t.text == "(" {
			p.pos++
			x, err := p.or()
			if err != nil {
				return nil, err
			}
			if !p.accept(")") {
				return nil, errExpr
			}
			n = x
		} else {
			return nil, errExpr
		}
	default:
		return nil, errExpr
	}
	// property access and indexing
	for {
		switch {
		case p.accept("."):
			t := p.peek()
			seg := ""
			switch {
			case t.kind == 'i':
				seg = t.text
			case t.kind == 'o' && t.text == "*":
				seg = "*"
			default:
				return nil, errExpr
			}
			p.pos++
			n = extend(n, seg, false)
		case p.accept("["):
			idx, err := p.or()
			if err != nil {
				return nil, err
			}
			if !p.accept("]") {
				return nil, errExpr
			}
			if l, ok := idx.(exprLit); ok {
				if s, ok := l.val.(string); ok {
					n = extend(n, s, false)
					continue
				}
			}
			if u, ok := idx.(exprRef); ok && len(u.path) == 0 {
				n = extend(n, "*", true)
				continue
			}
			n = extend(n, "*", true)
		default:
			return n, nil
		}
	}
}

// extend appends a path segment to a context reference; other bases (a
// function's result) keep no path.
func extend(n exprNode, seg string, dynamic bool) exprNode {
	if r, ok := n.(exprRef); ok {
		path := append(append([]string(nil), r.path...), seg)
		return exprRef{path: path, dynamic: r.dynamic || dynamic}
	}
	return n
}

func parseNumber(s string) (float64, error) {
	if strings.HasPrefix(s, "0x") {
		i, err := strconv.ParseInt(s[2:], 16, 64)
		return float64(i), err
	}
	return strconv.ParseFloat(s, 64)
}

// walkExpr calls fn for n and every node below it.
func walkExpr(n exprNode, fn func(exprNode)) {
	if n == nil {
		return
	}
	fn(n)
	switch x := n.(type) {
	case exprCall:
		for _, a := range x.args {
			walkExpr(a, fn)
		}
	case exprUnary:
		walkExpr(x.x, fn)
	case exprBinary:
		walkExpr(x.l, fn)
		walkExpr(x.r, fn)
	}
}

// exprSpan is one `${{ … }}` in a string: its byte range (delimiters
// included) and parsed body (nil when it does not parse).
type exprSpan struct {
	start, end int
	body       string
	node       exprNode
}

// findExprs finds the `${{ … }}` expressions in s.
func findExprs(s string) []exprSpan {
	var out []exprSpan
	for i := 0; ; {
		j := strings.Index(s[i:], "${{")
		if j < 0 {
			return out
		}
		start := i + j
		k := closeExpr(s, start+3)
		if k < 0 {
			return out
		}
		body := s[start+3 : k]
		n, _ := parseExpr(body)
		out = append(out, exprSpan{start: start, end: k + 2, body: body, node: n})
		i = k + 2
	}
}

// closeExpr finds the "}}" that ends an expression starting at i, skipping
// string literals.
func closeExpr(s string, i int) int {
	for i < len(s) {
		switch {
		case s[i] == '\'':
			j := strings.IndexByte(s[i+1:], '\'')
			if j < 0 {
				return -1
			}
			i += j + 2
		case strings.HasPrefix(s[i:], "}}"):
			return i
		default:
			i++
		}
	}
	return -1
}

// condition parses an `if:` value: an expression with or without the
// `${{ }}` delimiters.
func condition(s string) (exprNode, bool) {
	t := strings.TrimSpace(s)
	if strings.HasPrefix(t, "${{") && strings.HasSuffix(t, "}}") && len(findExprs(t)) == 1 {
		t = t[3 : len(t)-2]
	} else if strings.Contains(t, "${{") {
		return nil, false // a string with an embedded expression: always truthy, but unclear
	}
	n, err := parseExpr(t)
	return n, err == nil
}

// isString reports a string literal's value (a symbol is not one).
func isString(v any) bool {
	_, ok := v.(string)
	return ok
}

// oneOf is a string known only to be one of a few values.
type oneOf []string

// cmp compares the value with a literal: known unequal when the literal
// is none of the values (GitHub compares strings case-insensitively).
func (o oneOf) cmp(op string, other any) tri {
	lit, ok := other.(string)
	if !ok || (op != "==" && op != "!=") {
		return unknown
	}
	for _, v := range o {
		if strings.EqualFold(v, lit) {
			return unknown
		}
	}
	return known(op == "!=")
}

// opaque values are not strings a function can read.
func opaque(v any) bool {
	switch v.(type) {
	case symbol, oneOf:
		return true
	}
	return false
}

// symbol is a value known only by identity: github.repository is some
// repository, equal to the pull request's head repository when the pull
// request does not come from a fork, but not known to equal any literal.
type symbol string

// tri is a three-valued result: an expression's value when known.
type tri struct {
	known bool
	val   any // nil, bool, float64, string
}

var unknown = tri{}

func known(v any) tri { return tri{known: true, val: v} }

// lookupFunc answers a context path in one scenario; ok false is unknown.
type lookupFunc func(path []string) (any, bool)

// eval evaluates n with three-valued logic: anything that depends on an
// unknown context value is unknown.
func eval(n exprNode, look lookupFunc) tri {
	switch x := n.(type) {
	case exprLit:
		return known(x.val)
	case exprRef:
		if x.dynamic {
			return unknown
		}
		if v, ok := look(x.path); ok {
			return known(v)
		}
		return unknown
	case exprUnary:
		v := eval(x.x, look)
		if !v.known {
			return unknown
		}
		return known(!truthy(v.val))
	case exprBinary:
		switch x.op {
		case "&&":
			l := eval(x.l, look)
			if l.known && !truthy(l.val) {
				return l
			}
			r := eval(x.r, look)
			if !l.known {
				if r.known && !truthy(r.val) {
					return known(false)
				}
				return unknown
			}
			return r
		case "||":
			l := eval(x.l, look)
			if l.known && truthy(l.val) {
				return l
			}
			r := eval(x.r, look)
			if !l.known {
				if r.known && truthy(r.val) {
					return known(true)
				}
				return unknown
			}
			return r
		}
		l, r := eval(x.l, look), eval(x.r, look)
		if !l.known || !r.known {
			return unknown
		}
		if o, ok := l.val.(oneOf); ok {
			return o.cmp(x.op, r.val)
		}
		if o, ok := r.val.(oneOf); ok {
			return o.cmp(x.op, l.val)
		}
		ls, lsym := l.val.(symbol)
		rs, rsym := r.val.(symbol)
		switch {
		case lsym && rsym && (x.op == "==" || x.op == "!="):
			return known((ls == rs) == (x.op == "=="))
		case (x.op == "==" || x.op == "!=") && ((lsym && outsiders[ls] && isString(r.val)) || (rsym && outsiders[rs] && isString(l.val))):
			return known(x.op == "!=") // an outsider's fork is named by no literal
		case lsym || rsym:
			return unknown // a value known only to equal, or not, another one
		}
		return known(compare(x.op, l.val, r.val))
	case exprCall:
		return call(x, look)
	}
	return unknown
}

func call(c exprCall, look lookupFunc) tri {
	switch c.name {
	case "success", "always":
		return known(true)
	case "startswith", "endswith", "contains":
		if len(c.args) != 2 {
			return unknown
		}
		a, b := eval(c.args[0], look), eval(c.args[1], look)
		if !a.known || !b.known {
			return unknown
		}
		if opaque(a.val) || opaque(b.val) {
			return unknown
		}
		as, aok := a.val.(string)
		bs := toString(b.val)
		if !aok {
			if a.val == nil {
				as = ""
			} else {
				return unknown // contains(array, x)
			}
		}
		as, bs = strings.ToLower(as), strings.ToLower(bs)
		switch c.name {
		case "startswith":
			return known(strings.HasPrefix(as, bs))
		case "endswith":
			return known(strings.HasSuffix(as, bs))
		}
		return known(strings.Contains(as, bs))
	}
	return unknown
}

// truthy is GitHub's coercion to boolean.
func truthy(v any) bool {
	switch x := v.(type) {
	case nil:
		return false
	case bool:
		return x
	case float64:
		return x != 0 && !math.IsNaN(x)
	case string:
		return x != ""
	}
	return true
}

func toString(v any) string {
	switch x := v.(type) {
	case nil:
		return ""
	case bool:
		return strconv.FormatBool(x)
	case float64:
		return strconv.FormatFloat(x, 'f', -1, 64)
	case string:
		return x
	}
	return ""
}

func toNumber(v any) float64 {
	switch x := v.(type) {
	case nil:
		return 0
	case bool:
		if x {
			return 1
		}
		return 0
	case float64:
		return x
	case string:
		if strings.TrimSpace(x) == "" {
			return 0
		}
		f, err := parseNumber(strings.TrimSpace(x))
		if err != nil {
			return math.NaN()
		}
		return f
	}
	return math.NaN()
}

// compare applies a comparison operator with GitHub's loose equality:
// strings compare case-insensitively; values of different types compare as
// numbers.
func compare(op string, l, r any) bool {
	ls, lok := l.(string)
	rs, rok := r.(string)
	var c int
	switch {
	case lok && rok:
		c = strings.Compare(strings.ToLower(ls), strings.ToLower(rs))
	default:
		if lb, ok := l.(bool); ok {
			if rb, ok := r.(bool); ok {
				if lb == rb {
					c = 0
				} else if !lb {
					c = -1
				} else {
					c = 1
				}
				break
			}
		}
		if l == nil && r == nil {
			c = 0
			break
		}
		a, b := toNumber(l), toNumber(r)
		if math.IsNaN(a) || math.IsNaN(b) {
			return op == "!="
		}
		switch {
		case a < b:
			c = -1
		case a > b:
			c = 1
		}
	}
	switch op {
	case "==":
		return c == 0
	case "!=":
		return c != 0
	case "<":
		return c < 0
	case ">":
		return c > 0
	case "<=":
		return c <= 0
	case ">=":
		return c >= 0
	}
	return false
}
