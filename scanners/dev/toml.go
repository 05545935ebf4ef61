package dev

import (
	"errors"
	"regexp"
	"sort"
	"unicode/utf8"

	"github.com/isolint/isolint/scanners/yamldoc"
	"github.com/isolint/isolint/source"
	"github.com/pelletier/go-toml/v2/unstable"
	yaml "go.yaml.in/yaml/v3"
)

// TOML, for Codex's .codex/config.toml. go-toml's parser
// (github.com/pelletier/go-toml/v2/unstable) keeps the byte range of every
// key and value; the expressions it returns are assembled here into the
// same node tree the YAML layer builds, with each node at the line and
// column (in code points) of its text, so that the MCP lowering and the
// positions of findings are those of the JSON files.

// ParseTOML parses a TOML file into a document. A file without any
// key returns a nil document and no error.
func ParseTOML(file string, content []byte) (*yamldoc.Doc, error) {
	if err := source.CheckNesting(content, source.TOML, maxDepth); err != nil {
		var ne *source.NestingError
		errors.As(err, &ne)
		return nil, &SyntaxError{Line: ne.Line, Col: ne.Col, Msg: err.Error()}
	}
	t := &tomlTree{src: content, index: map[*yaml.Node]map[string]entry{}}
	for i, c := range content {
		if c == '\n' {
			t.lines = append(t.lines, i+1)
		}
	}
	root := &yaml.Node{Kind: yaml.MappingNode, Tag: "!!map", Line: 1, Column: 1}
	current := root
	var p unstable.Parser
	p.Reset(content)
	empty := true
	for p.NextExpression() {
		e := p.Expression()
		switch e.Kind {
		case unstable.KeyValue:
			t.keyValue(current, e)
		case unstable.Table:
			current = t.table(root, e.Key(), false)
		case unstable.ArrayTable:
			current = t.table(root, e.Key(), true)
		default:
			continue
		}
		empty = false
	}
	if err := p.Error(); err != nil {
		line, col := 1, 1
		var pe *unstable.ParserError
		if errors.As(err, &pe) && pe.Highlight != nil {
			line, col = t.position(cap(content) - cap(pe.Highlight))
		}
		return nil, &SyntaxError{Line: line, Col: col, Msg: quotedChar.ReplaceAllString(err.Error(), "a character")}
	}
	if empty {
		return nil, nil
	}
	return &yamldoc.Doc{File: file, Raw: yamldoc.RawDoc{Line: 1, Bytes: content}, Root: root}, nil
}

// quotedChar is how go-toml quotes a character of the input in a message
// (U+0050 'P'); messages quote nothing of the file.
var quotedChar = regexp.MustCompile(`U\+[0-9A-F]{4,6} '.*?'`)

// tomlTree assembles the node tree.
type tomlTree struct {
	src   []byte
	lines []int // byte offsets of the starts of lines 2, 3, …
	// index finds a key among a mapping's entries without scanning them
	// all: looking each table header up in a list made a config of N
	// [mcp_servers.x] tables quadratic
	index map[*yaml.Node]map[string]entry
	// the last position computed: the parser hands out offsets in order,
	// so counting code points from there, not from the line's start,
	// keeps a long line (an inline array of thousands of values) linear
	lastOff, lastCol int
}

// entry locates the last entry of a key in a mapping's Content (the key's
// index; -1: none), and the last whose value is a list.
type entry struct{ last, lastSeq int }

// add appends the entry k: v to the mapping m.
func (t *tomlTree) add(m, k, v *yaml.Node) {
	keys := t.index[m]
	if keys == nil {
		keys = map[string]entry{}
		t.index[m] = keys
	}
	e, ok := keys[k.Value]
	if !ok {
		e.lastSeq = -1
	}
	e.last = len(m.Content)
	if v.Kind == yaml.SequenceNode {
		e.lastSeq = e.last
	}
	keys[k.Value] = e
	m.Content = append(m.Content, k, v)
}

// position converts a byte offset to a line and a column in code points.
func (t *tomlTree) position(off int) (line, col int) {
	off = max(0, min(off, len(t.src)))
	i := sort.SearchInts(t.lines, off+1) // lines starting at or before off
	start := 0
	if i > 0 {
		start = t.lines[i-1]
	}
	from, col := start, 1
	if t.lastOff >= start && t.lastOff <= off && t.lastCol > 0 {
		from, col = t.lastOff, t.lastCol
	}
	col += utf8.RuneCount(t.src[from:off])
	t.lastOff, t.lastCol = off, col
	return i + 1, col
}

func (t *tomlTree) at(n *yaml.Node, r unstable.Range) *yaml.Node {
	n.Line, n.Column = t.position(int(r.Offset))
	return n
}

// key makes the node of one part of a key.
func (t *tomlTree) key(k *unstable.Node) *yaml.Node {
	n := &yaml.Node{Kind: yaml.ScalarNode, Tag: "!!str", Value: string(k.Data)}
	if raw := t.src[k.Raw.Offset : k.Raw.Offset+k.Raw.Length]; len(raw) > 0 {
		switch raw[0] {
		case '"':
			n.Style = yaml.DoubleQuotedStyle
		case '\'':
			n.Style = yaml.SingleQuotedStyle
		}
	}
	return t.at(n, k.Raw)
}

// child returns the mapping under key k of m, adding it when m has none;
// for an array of tables, the last table of it (as TOML reads `[a.b]`
// after `[[a]]`).
func (t *tomlTree) child(m *yaml.Node, k *unstable.Node) *yaml.Node {
	if e, ok := t.index[m][string(k.Data)]; ok {
		switch v := m.Content[e.last+1]; {
		case v.Kind == yaml.MappingNode:
			return v
		case v.Kind == yaml.SequenceNode && len(v.Content) > 0 && v.Content[len(v.Content)-1].Kind == yaml.MappingNode:
			return v.Content[len(v.Content)-1]
		}
		// a key redefined as a table: kept twice, and noticed as a duplicate
	}
	kn := t.key(k)
	v := &yaml.Node{Kind: yaml.MappingNode, Tag: "!!map", Line: kn.Line, Column: kn.Column}
	t.add(m, kn, v)
	return v
}

// table returns the mapping a `[a.b]` header (or a new one for an
// `[[a.b]]` header) opens.
func (t *tomlTree) table(root *yaml.Node, keys unstable.Iterator, array bool) *yaml.Node {
	var parts []*unstable.Node
	for keys.Next() {
		parts = append(parts, keys.Node())
	}
	m := root
	for i, k := range parts {
		if !array || i < len(parts)-1 {
			m = t.child(m, k)
			continue
		}
		var seq *yaml.Node
		if e, ok := t.index[m][string(k.Data)]; ok && e.lastSeq >= 0 {
			seq = m.Content[e.lastSeq+1]
		}
		kn := t.key(k)
		if seq == nil {
			seq = &yaml.Node{Kind: yaml.SequenceNode, Tag: "!!seq", Line: kn.Line, Column: kn.Column}
			t.add(m, kn, seq)
		}
		item := &yaml.Node{Kind: yaml.MappingNode, Tag: "!!map", Line: kn.Line, Column: kn.Column}
		seq.Content = append(seq.Content, item)
		m = item
	}
	return m
}

// keyValue adds `a.b.c = value` to m.
func (t *tomlTree) keyValue(m *yaml.Node, kv *unstable.Node) {
	var parts []*unstable.Node
	for it := kv.Key(); it.Next(); {
		parts = append(parts, it.Node())
	}
	if len(parts) == 0 {
		return
	}
	for _, k := range parts[:len(parts)-1] {
		m = t.child(m, k)
	}
	kn := t.key(parts[len(parts)-1])
	t.add(m, kn, t.value(kv.Value(), kn))
}

// value makes the node of a value; near places a value that has no range
// of its own (an array) at its key or first item.
func (t *tomlTree) value(v *unstable.Node, near *yaml.Node) *yaml.Node {
	switch v.Kind {
	case unstable.Array:
		n := &yaml.Node{Kind: yaml.SequenceNode, Tag: "!!seq", Style: yaml.FlowStyle, Line: near.Line, Column: near.Column}
		for it := v.Children(); it.Next(); {
			c := it.Node()
			if c.Kind == unstable.Comment {
				continue
			}
			n.Content = append(n.Content, t.value(c, near))
		}
		return n
	case unstable.InlineTable:
		n := t.at(&yaml.Node{Kind: yaml.MappingNode, Tag: "!!map", Style: yaml.FlowStyle}, v.Raw)
		for it := v.Children(); it.Next(); {
			if c := it.Node(); c.Kind == unstable.KeyValue {
				t.keyValue(n, c)
			}
		}
		return n
	}
	n := &yaml.Node{Kind: yaml.ScalarNode, Value: string(v.Data)}
	raw := t.src[v.Raw.Offset : v.Raw.Offset+v.Raw.Length]
	switch v.Kind {
	case unstable.String:
		n.Tag = "!!str"
		switch {
		case len(raw) >= 3 && (string(raw[:3]) == `"""` || string(raw[:3]) == "'''"):
			n.Style = yaml.LiteralStyle // multi-line: no exact span
		case len(raw) > 0 && raw[0] == '"':
			n.Style = yaml.DoubleQuotedStyle
		case len(raw) > 0 && raw[0] == '\'':
			n.Style = yaml.SingleQuotedStyle
		}
	case unstable.Bool:
		n.Tag = "!!bool"
	case unstable.Integer:
		n.Tag = "!!int"
	case unstable.Float:
		n.Tag = "!!float"
	default:
		n.Tag = "!!timestamp"
	}
	return t.at(n, v.Raw)
}
