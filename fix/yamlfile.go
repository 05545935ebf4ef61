package fix

import (
	"bytes"
	"sort"
	"unicode/utf8"

	"github.com/isolint/isolint/scanners/yamldoc"
	yaml "go.yaml.in/yaml/v3"
)

// yamlFile is a YAML stream parsed for editing: every node keeps its
// position, and each node knows its parent, so that a fix can climb from the
// key a finding points at to the mapping it edits (a container, a pod spec,
// a step, a service).
type yamlFile struct {
	path       string                       // display path
	read       func(string) ([]byte, error) // other files of the scan (a reusable workflow's callee)
	src        []byte
	lineStarts []int // byte offset of each line's start
	crlf       bool
	docs       []*yaml.Node
	parent     map[*yaml.Node]*yaml.Node
	starts     map[[2]int]*yaml.Node // see at
	items      map[[2]int]*yaml.Node // scalar items of sequences, by position
	// want, when set, holds the lines at and item may be asked about
	// (want[l]); starts and items then index only nodes on those lines. A
	// question about another line indexes every line.
	want    []bool
	callees map[string]*yamlFile // local reusable workflows read, by path (nil: unreadable)
	needs   map[*yaml.Node]jobScopes
	// jobsKnown caches allJobsKnown, by workflow
	jobsKnown map[*yaml.Node]bool
}

// jobScopes caches yamlFile.jobNeeds.
type jobScopes struct {
	s     scopes
	known bool
}

func parseYAML(src []byte) (*yamlFile, error) { return parseDocs(src, nil) }

// parseDocs parses the documents of src that hold one of lines (all of
// them when lines is nil): a fix edits only where findings are, and a
// stream's other documents (a CRD beside a Deployment) need no tree.
func parseDocs(src []byte, lines []int) (*yamlFile, error) {
	f := &yamlFile{src: src, parent: map[*yaml.Node]*yaml.Node{}, crlf: bytes.Contains(src, []byte("\r\n"))}
	f.lineStarts = append(f.lineStarts, 0)
	for i, b := range src {
		if b == '\n' {
			f.lineStarts = append(f.lineStarts, i+1)
		}
	}
	// each document on its own, read from the byte slice in place (a
	// Decoder copies the stream through a reader buffer first)
	raws := yamldoc.Split(src)
	for i, raw := range raws {
		if lines != nil {
			end := len(f.lineStarts) + 1
			if i+1 < len(raws) {
				end = raws[i+1].Line
			}
			held := false
			for _, l := range lines {
				if l >= raw.Line && l < end {
					held = true
					break
				}
			}
			if !held {
				continue
			}
		}
		var n yaml.Node
		if err := yaml.Unmarshal(raw.Bytes, &n); err != nil {
			return nil, err
		}
		if n.Kind == 0 {
			continue
		}
		if raw.Line > 1 {
			shiftLines(&n, raw.Line-1, 0)
		}
		f.docs = append(f.docs, &n)
		f.link(&n, 0)
	}
	return f, nil
}

// brokenDocs counts the documents of src that do not parse: an edit
// must not add one (a document broken before is the user's, and the
// documents a fix edits are others).
func brokenDocs(src []byte) int {
	n := 0
	for _, raw := range yamldoc.Split(src) {
		var doc yaml.Node
		if yaml.Unmarshal(raw.Bytes, &doc) != nil {
			n++
		}
	}
	return n
}

// shiftLines makes the positions of a document parsed on its own
// positions in the file.
func shiftLines(n *yaml.Node, by, depth int) {
	if depth > maxDepth {
		return
	}
	n.Line += by // (an alias's target is not in its Content: each node once)
	for _, c := range n.Content {
		shiftLines(c, by, depth+1)
	}
}

// maxDepth bounds the walk; deeper documents are not edited.
const maxDepth = 200

// size counts the nodes link records under n, so that the parent map is
// made once at its size instead of growing (and rehashing) as it fills.
func size(n *yaml.Node, depth int) int {
	if depth > maxDepth {
		return 0
	}
	c := len(n.Content)
	for _, k := range n.Content {
		c += size(k, depth+1)
	}
	return c
}

func (f *yamlFile) link(n *yaml.Node, depth int) {
	if depth > maxDepth {
		return
	}
	for _, c := range n.Content {
		if _, seen := f.parent[c]; seen {
			continue // an alias target reached twice
		}
		f.parent[c] = n
		f.link(c, depth+1)
	}
}

// at returns the node whose key or value starts at line:col (1-based; the
// column counts code points, as isolint's locations do), and the mapping
// that holds it. For a key whose value is a mapping, start is that mapping;
// otherwise start is the mapping holding the key or value.
func (f *yamlFile) at(line, col int) (start *yaml.Node, ok bool) {
	f.indexFor(line)
	start, ok = f.starts[[2]int{line, col}]
	if !ok {
		// a list item (an added capability): start from the mapping that
		// holds the list
		if it := f.items[[2]int{line, col}]; it != nil {
			start, ok = f.parent[f.parent[it]], true
		}
	}
	return start, ok
}

// item returns the scalar sequence item at line:col.
func (f *yamlFile) item(line, col int) *yaml.Node {
	f.indexFor(line)
	return f.items[[2]int{line, col}]
}

// wantLines limits the index to the given lines (see yamlFile.want).
func (f *yamlFile) wantLines(lines []int) {
	f.want = make([]bool, len(f.lineStarts)+1)
	for _, l := range lines {
		if l >= 0 && l < len(f.want) {
			f.want[l] = true
		}
	}
}

// indexFor makes sure the index answers questions about line.
func (f *yamlFile) indexFor(line int) {
	if f.starts != nil && (f.want == nil || line >= 0 && line < len(f.want) && f.want[line]) {
		return
	}
	if f.want != nil && (line < 0 || line >= len(f.want) || !f.want[line]) {
		f.want = nil
	}
	f.index()
}

// index records where each key and scalar value starts (on the wanted
// lines, when they are set). Of several nodes at one position the index
// keeps the same one whichever lines are wanted.
func (f *yamlFile) index() {
	f.starts = map[[2]int]*yaml.Node{}
	f.items = map[[2]int]*yaml.Node{}
	wanted := func(line int) bool {
		return f.want == nil || line >= 0 && line < len(f.want) && f.want[line]
	}
	var walk func(n *yaml.Node, depth int)
	walk = func(n *yaml.Node, depth int) {
		if depth > maxDepth {
			return
		}
		if n.Kind == yaml.MappingNode {
			for i := 0; i+1 < len(n.Content); i += 2 {
				k, v := n.Content[i], n.Content[i+1]
				at := n
				if v.Kind == yaml.MappingNode {
					at = v
				}
				if wanted(k.Line) {
					if _, dup := f.starts[[2]int{k.Line, k.Column}]; !dup {
						f.starts[[2]int{k.Line, k.Column}] = at
					}
				}
				if v.Kind == yaml.ScalarNode && wanted(v.Line) {
					if _, dup := f.starts[[2]int{v.Line, v.Column}]; !dup {
						f.starts[[2]int{v.Line, v.Column}] = n
					}
				}
			}
		}
		if n.Kind == yaml.SequenceNode {
			for _, c := range n.Content {
				if c.Kind == yaml.ScalarNode && wanted(c.Line) {
					f.items[[2]int{c.Line, c.Column}] = c
				}
			}
		}
		for _, c := range n.Content {
			if c.Kind != yaml.AliasNode {
				walk(c, depth+1)
			}
		}
	}
	for _, d := range f.docs {
		walk(d, 0)
	}
}

// get returns the key and value nodes of key in mapping m.
func get(m *yaml.Node, key string) (k, v *yaml.Node) {
	if m == nil || m.Kind != yaml.MappingNode {
		return nil, nil
	}
	for i := 0; i+1 < len(m.Content); i += 2 {
		if m.Content[i].Value == key {
			k, v = m.Content[i], m.Content[i+1]
		}
	}
	return k, v
}

// keyOf returns the key under which node n is the value in its parent
// mapping ("" when its parent is not a mapping).
func (f *yamlFile) keyOf(n *yaml.Node) string {
	p := f.parent[n]
	if p == nil || p.Kind != yaml.MappingNode {
		return ""
	}
	for i := 1; i < len(p.Content); i += 2 {
		if p.Content[i] == n {
			return p.Content[i-1].Value
		}
	}
	return ""
}

// offset converts a 1-based line and code-point column to a byte offset.
func (f *yamlFile) offset(line, col int) int {
	if line < 1 || line > len(f.lineStarts) {
		return len(f.src)
	}
	off := f.lineStarts[line-1]
	for c := 1; c < col && off < len(f.src) && f.src[off] != '\n'; c++ {
		_, size := utf8.DecodeRune(f.src[off:])
		off += size
	}
	return off
}

// lineText returns line l (1-based) without its line ending.
func (f *yamlFile) lineText(l int) []byte {
	if l < 1 || l > len(f.lineStarts) {
		return nil
	}
	end := len(f.src)
	if l < len(f.lineStarts) {
		end = f.lineStarts[l] - 1
	}
	return bytes.TrimRight(f.src[f.lineStarts[l-1]:end], "\r")
}

func (f *yamlFile) newline() string {
	if f.crlf {
		return "\r\n"
	}
	return "\n"
}

// indentOf counts the leading spaces of a line; ok is false for a blank or
// comment-only line.
func indentOf(line []byte) (n int, ok bool) {
	for n < len(line) && line[n] == ' ' {
		n++
	}
	if n == len(line) || line[n] == '#' {
		return n, false
	}
	return n, true
}

// lastLine is the last line of block mapping or sequence m that holds
// content: the line before the first later line indented less than m's
// keys (or a document marker), less trailing blank and comment lines.
func (f *yamlFile) lastLine(m *yaml.Node) int {
	indent := m.Column - 1
	last := m.Line
	for l := m.Line + 1; l <= len(f.lineStarts); l++ {
		text := f.lineText(l)
		if bytes.HasPrefix(text, []byte("---")) || bytes.HasPrefix(text, []byte("...")) {
			break
		}
		n, ok := indentOf(text)
		if !ok {
			continue
		}
		if n < indent || (n == indent && m.Kind == yaml.SequenceNode && !bytes.HasPrefix(text[n:], []byte("-"))) {
			break
		}
		last = l
	}
	return last
}

// position converts a byte offset to a 1-based line and code-point column.
func (f *yamlFile) position(off int) (line, col int) {
	line = sort.Search(len(f.lineStarts), func(i int) bool { return f.lineStarts[i] > off })
	if line < 1 {
		line = 1
	}
	start := f.lineStarts[line-1]
	if off > len(f.src) {
		off = len(f.src)
	}
	return line, utf8.RuneCount(f.src[start:off]) + 1
}
