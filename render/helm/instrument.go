package helm

import (
	"sort"
	"strconv"
	"strings"
	"text/template/parse"
	"unicode/utf8"
)

// How positions survive rendering: before a template is rendered, a marker
// (a private-use code point, an index, another private-use code point) is
// written into it where each run of literal text starts, at each line of
// such text, and before each action that writes output. Markers inside
// literal text are literal text themselves, and a marker before an action is
// an action of its own that takes over the original's leading trim (`{{-`),
// so the rendered text, markers removed, is byte for byte what Helm renders.
// Each marker in the output then says where the bytes after it came from: a
// template line and column, or an action (with the `.Values` paths it reads
// and the `if`/`with`/`range` blocks around it). Only the top level of
// templates that are rendered is marked: the output of a helper (`define`)
// reaches the text only through an `include` action, and is attributed to it.
const (
	markOpen  = '\uE000'
	markClose = '\uE001'
)

// segKind says what produced the bytes after a marker.
type segKind uint8

const (
	segText   segKind = iota // literal template text
	segAction                // an action's output
)

// segment is what one marker stands for.
type segment struct {
	kind  segKind
	file  string // display path of the template
	line  int    // 1-based line in the template
	col   int    // 1-based column (code points)
	chart *chartScope
	// for actions: the action's source text, its end column when it sits
	// on one line, and the values paths it reads
	text   string
	endCol int
	refs   []valuePath
	conds  []*condition // enclosing if/with/range, outermost first
}

// condition is an `if`, `with` or `range` that a segment lies in.
type condition struct {
	file string
	line int
	col  int
	text string // "if .Values.hostNetwork"
	refs []valuePath
}

// valuePath is a path into the values of a chart scope: keys, and "[*]" for
// any element of a list or map (a range).
type valuePath []string

func (p valuePath) String() string {
	var b strings.Builder
	b.WriteString(".Values")
	for _, k := range p {
		if k == "[*]" {
			b.WriteString("[*]")
			continue
		}
		b.WriteString(".")
		b.WriteString(k)
	}
	return b.String()
}

// segments is the table of markers of one render.
type segments struct {
	list []*segment
}

func (s *segments) add(seg *segment) string {
	s.list = append(s.list, seg)
	return string(markOpen) + strconv.Itoa(len(s.list)-1) + string(markClose)
}

// edit inserts text at a byte offset of the source, replacing n bytes.
type edit struct {
	off  int
	n    int
	text string
}

// instrument returns the template with markers, or the template unchanged
// when it does not parse (Helm reports the error when it renders it).
func instrument(src, file string, scope *chartScope, segs *segments) string {
	trees, err := parseTemplate(file, src)
	if err != nil {
		return src
	}
	main := trees[file]
	if main == nil || main.Root == nil {
		return src
	}
	in := &instrumenter{src: src, file: file, scope: scope, segs: segs, lines: lineStarts(src), vars: map[string]valuePath{}}
	in.list(main.Root, dotState{root: true}, nil)
	if len(in.edits) == 0 {
		return src
	}
	sort.SliceStable(in.edits, func(i, j int) bool { return in.edits[i].off < in.edits[j].off })
	var b strings.Builder
	b.Grow(len(src) + 8*len(in.edits))
	last := 0
	for _, e := range in.edits {
		if e.off < last {
			continue // overlapping edits cannot happen; be safe rather than corrupt
		}
		b.WriteString(src[last:e.off])
		b.WriteString(e.text)
		last = e.off + e.n
	}
	b.WriteString(src[last:])
	return b.String()
}

// parseTemplate parses one template file as text/template would, without
// knowing the function names (Helm's are many and its users add none here).
func parseTemplate(name, src string) (trees map[string]*parse.Tree, err error) {
	defer func() {
		if r := recover(); r != nil {
			trees, err = nil, errParse
		}
	}()
	t := parse.New(name)
	t.Mode = parse.SkipFuncCheck
	trees = map[string]*parse.Tree{}
	if _, err := t.Parse(src, "{{", "}}", trees); err != nil {
		return nil, err
	}
	return trees, nil
}

type parseError struct{}

func (parseError) Error() string { return "template does not parse" }

var errParse error = parseError{}

type instrumenter struct {
	src   string
	file  string
	scope *chartScope
	segs  *segments
	lines []int
	edits []edit
	vars  map[string]valuePath // $name → values path, for variables bound to values
}

// dotState is what `.` is: the root context, a values path, or unknown.
type dotState struct {
	root bool
	path valuePath // when not root; nil: unknown
}

func lineStarts(s string) []int {
	starts := []int{0}
	for i := 0; i < len(s); i++ {
		if s[i] == '\n' {
			starts = append(starts, i+1)
		}
	}
	return starts
}

// pos converts a byte offset to a 1-based line and column (code points).
func (in *instrumenter) pos(off int) (line, col int) {
	i := sort.Search(len(in.lines), func(i int) bool { return in.lines[i] > off }) - 1
	if i < 0 {
		i = 0
	}
	return i + 1, utf8.RuneCountInString(in.src[in.lines[i]:off]) + 1
}

func (in *instrumenter) list(l *parse.ListNode, dot dotState, conds []*condition) {
	if l == nil {
		return
	}
	for _, n := range l.Nodes {
		in.node(n, dot, conds)
	}
}

func (in *instrumenter) node(n parse.Node, dot dotState, conds []*condition) {
	switch n := n.(type) {
	case *parse.TextNode:
		in.text(n, conds)
	case *parse.ActionNode:
		if n.Pipe != nil && len(n.Pipe.Decl) > 0 {
			// {{ $x := .Values.y }} writes nothing; remember what $x is
			if p, ok := in.single(n.Pipe, dot); ok && len(n.Pipe.Decl) == 1 {
				in.vars[n.Pipe.Decl[0].Ident[0]] = p
			}
			return
		}
		in.action(int(n.Pos), n.Pipe, n.String(), dot, conds)
	case *parse.TemplateNode:
		in.action(int(n.Pos), n.Pipe, n.String(), dot, conds)
	case *parse.IfNode:
		c := in.condition(int(n.Pos), "if", n.Pipe, dot)
		in.list(n.List, dot, append(conds[:len(conds):len(conds)], c))
		in.list(n.ElseList, dot, conds)
	case *parse.WithNode:
		c := in.condition(int(n.Pos), "with", n.Pipe, dot)
		inner := dotState{}
		if p, ok := in.single(n.Pipe, dot); ok {
			inner.path = p
		}
		in.list(n.List, inner, append(conds[:len(conds):len(conds)], c))
		in.list(n.ElseList, dot, conds)
	case *parse.RangeNode:
		c := in.condition(int(n.Pos), "range", n.Pipe, dot)
		inner := dotState{}
		if p, ok := in.single(n.Pipe, dot); ok {
			elem := append(p[:len(p):len(p)], "[*]")
			inner.path = elem
			if d := n.Pipe.Decl; len(d) > 0 {
				in.vars[d[len(d)-1].Ident[0]] = elem
			}
		}
		in.list(n.List, inner, append(conds[:len(conds):len(conds)], c))
		in.list(n.ElseList, dot, conds)
	}
}

// text marks where a run of literal text starts and where each of its
// lines starts.
func (in *instrumenter) text(n *parse.TextNode, conds []*condition) {
	start := int(n.Pos)
	if start < 0 || start+len(n.Text) > len(in.src) || in.src[start:start+len(n.Text)] != string(n.Text) {
		return // the node is not the source text it claims to be: leave it
	}
	add := func(off int) {
		line, col := in.pos(off)
		m := in.segs.add(&segment{kind: segText, file: in.file, line: line, col: col, chart: in.scope, conds: conds})
		in.edits = append(in.edits, edit{off: off, text: m})
	}
	add(start)
	for i, c := range n.Text {
		if c == '\n' && i+1 < len(n.Text) {
			add(start + i + 1)
		}
	}
}

// action marks an action that writes output with a marker action of its
// own, placed before it, that takes over its leading trim marker.
func (in *instrumenter) action(pos int, pipe *parse.PipeNode, text string, dot dotState, conds []*condition) {
	open := strings.LastIndex(in.src[:min(pos, len(in.src))], "{{")
	if open < 0 {
		return
	}
	line, col := in.pos(open)
	seg := &segment{kind: segAction, file: in.file, line: line, col: col, chart: in.scope, text: text, conds: conds}
	if end := strings.Index(in.src[pos:], "}}"); end >= 0 {
		if el, ec := in.pos(pos + end + 2); el == line {
			seg.endCol = ec
		}
	}
	if pipe != nil {
		seg.refs = in.refs(pipe, dot)
	}
	m := in.segs.add(seg)
	lead := "{{"
	n := 2
	if strings.HasPrefix(in.src[open:], "{{- ") || strings.HasPrefix(in.src[open:], "{{-\t") || strings.HasPrefix(in.src[open:], "{{-\n") {
		lead = "{{-"
		n = 3 // the original loses its trim marker: "{{- x }}" becomes "{{ x }}"
	}
	in.edits = append(in.edits, edit{off: open, n: n, text: lead + " " + strconv.Quote(m) + " }}{{"})
}

func (in *instrumenter) condition(pos int, word string, pipe *parse.PipeNode, dot dotState) *condition {
	open := strings.LastIndex(in.src[:min(pos, len(in.src))], "{{")
	if open < 0 {
		open = pos
	}
	line, col := in.pos(open)
	c := &condition{file: in.file, line: line, col: col}
	if pipe != nil {
		c.text = word + " " + pipe.String()
		c.refs = in.refs(pipe, dot)
	}
	return c
}

// single resolves a pipeline that is one field chain (`.Values.x`, `.y`,
// `$v.z`, `$`) to a values path.
func (in *instrumenter) single(pipe *parse.PipeNode, dot dotState) (valuePath, bool) {
	if pipe == nil || len(pipe.Cmds) != 1 || len(pipe.Cmds[0].Args) != 1 {
		return nil, false
	}
	return in.resolve(pipe.Cmds[0].Args[0], dot)
}

// resolve maps one argument node to a values path.
func (in *instrumenter) resolve(n parse.Node, dot dotState) (valuePath, bool) {
	switch n := n.(type) {
	case *parse.FieldNode:
		return fromDot(dot, n.Ident)
	case *parse.DotNode:
		if !dot.root && dot.path != nil {
			return dot.path, true
		}
	case *parse.VariableNode:
		if len(n.Ident) == 0 {
			return nil, false
		}
		if n.Ident[0] == "$" {
			return fromDot(dotState{root: true}, n.Ident[1:])
		}
		if p, ok := in.vars[n.Ident[0]]; ok {
			return append(p[:len(p):len(p)], n.Ident[1:]...), true
		}
	case *parse.ChainNode:
		if p, ok := in.resolve(n.Node, dot); ok {
			return append(p[:len(p):len(p)], n.Field...), true
		}
	case *parse.PipeNode:
		return in.single(n, dot)
	}
	return nil, false
}

func fromDot(dot dotState, ident []string) (valuePath, bool) {
	if dot.root {
		if len(ident) >= 1 && ident[0] == "Values" {
			return valuePath(append([]string{}, ident[1:]...)), true
		}
		return nil, false
	}
	if dot.path == nil {
		return nil, false
	}
	return append(dot.path[:len(dot.path):len(dot.path)], ident...), true
}

// refs collects every values path a pipeline reads, in order, whatever
// function receives it (`toYaml .Values.x`, `dict "value" .Values.x`).
func (in *instrumenter) refs(pipe *parse.PipeNode, dot dotState) []valuePath {
	var out []valuePath
	var walk func(n parse.Node)
	walk = func(n parse.Node) {
		if len(out) >= 16 {
			return
		}
		if p, ok := in.resolve(n, dot); ok {
			if _, isPipe := n.(*parse.PipeNode); !isPipe {
				out = append(out, p)
				return
			}
		}
		switch n := n.(type) {
		case *parse.PipeNode:
			for _, c := range n.Cmds {
				walk(c)
			}
		case *parse.CommandNode:
			for _, a := range n.Args {
				walk(a)
			}
		case *parse.ChainNode:
			walk(n.Node)
		}
	}
	walk(pipe)
	return out
}
