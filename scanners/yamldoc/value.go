package yamldoc

import (
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/isolint/isolint/model"
	yaml "go.yaml.in/yaml/v3"
)

// Value is a node reached from a document's root, with the key that leads
// to it, its logical key path, and the anchors it was reached through.
// The zero Value is "absent": every accessor on it returns absent values.
type Value struct {
	doc    *Doc
	key    *yaml.Node // the mapping key, nil for the root and sequence items
	node   *yaml.Node // the value, aliases resolved
	path   *pathNode  // the logical key path, joined only when asked for
	object string
	via    []model.Related // alias and merge-key use sites crossed on the way
}

// maxAliasChain bounds alias-to-alias resolution.
const maxAliasChain = 64

func resolve(n *yaml.Node) *yaml.Node {
	for i := 0; n != nil && n.Kind == yaml.AliasNode && i < maxAliasChain; i++ {
		n = n.Alias
	}
	if n != nil && n.Kind == yaml.AliasNode {
		return nil
	}
	return n
}

// Exists reports whether the value is present (a key with any value,
// null included, or a sequence item).
func (v Value) Exists() bool { return v.node != nil }

// IsNull reports whether the value is present and null (`key:` or `key: ~`).
func (v Value) IsNull() bool {
	return v.node != nil && v.node.Kind == yaml.ScalarNode && v.node.Tag == "!!null"
}

// IsMap, IsSeq and IsScalar report the node kind.
func (v Value) IsMap() bool    { return v.node != nil && v.node.Kind == yaml.MappingNode }
func (v Value) IsSeq() bool    { return v.node != nil && v.node.Kind == yaml.SequenceNode }
func (v Value) IsScalar() bool { return v.node != nil && v.node.Kind == yaml.ScalarNode }

// Path is the logical key path from the root.
func (v Value) Path() string { return v.path.String() }

// Doc returns the document the value belongs to.
func (v Value) Doc() *Doc { return v.doc }

// Node returns the underlying node (aliases resolved), for format-specific
// readers that need it.
func (v Value) Node() *yaml.Node { return v.node }

// WithObject names the object that the value and everything below it
// belong to (e.g. "Deployment/shop/web"); locations carry it.
func (v Value) WithObject(obj string) Value {
	v.object = obj
	return v
}

// WithPath replaces the value's logical path, for readers that re-root
// (a List item becomes its own object).
func (v Value) WithPath(p string) Value {
	v.path = nil
	if p != "" {
		v.path = v.doc.newPath(nil, p)
	}
	return v
}

// Via returns the anchor use sites the value was reached through and, for
// rendered text, the places its origin names (the values line that set it).
func (v Value) Via() []model.Related {
	if v.doc == nil || v.doc.Origin == nil {
		return v.via
	}
	_, rel := v.doc.locate(v.rawLoc())
	if len(rel) == 0 {
		return v.via
	}
	return append(append(make([]model.Related, 0, len(v.via)+len(rel)), v.via...), rel...)
}

// KindName describes the node kind for messages: "a mapping", "a string".
func (v Value) KindName() string {
	if v.node == nil {
		return "nothing"
	}
	switch v.node.Kind {
	case yaml.MappingNode:
		return "a mapping"
	case yaml.SequenceNode:
		return "a list"
	case yaml.ScalarNode:
		switch v.node.Tag {
		case "!!null":
			return "null"
		case "!!bool":
			return "a boolean"
		case "!!int", "!!float":
			return "a number"
		}
		return "a string"
	}
	return "an alias"
}

func (v Value) child(key, node *yaml.Node, seg string) Value {
	c := Value{doc: v.doc, key: key, path: v.doc.newPath(v.path, seg), object: v.object, via: v.via}
	if node != nil && node.Kind == yaml.AliasNode {
		c.via = v.crossing(node, "value defined by anchor &"+node.Value+" used here")
	}
	c.node = resolve(node)
	return c
}

// pathNode is one segment of a value's logical key path ("spec",
// "containers", "[0]") under its parent's. Values are looked up, read and
// dropped far more often than their path is needed (for a location or a
// notice), so the path is a chain joined on demand, once per node, rather
// than a string built on every lookup (6% of a scan's allocated objects).
type pathNode struct {
	up   *pathNode
	seg  string
	full string // the joined path, once asked for ("" until then)
}

// String joins the path: keys with ".", indexes appended as they are. The
// path is built in one allocation from the segments up to the nearest
// ancestor already joined (values are made by lookups, so a path's
// ancestors are rarely asked for their own).
func (n *pathNode) String() string {
	if n == nil {
		return ""
	}
	if n.full != "" {
		return n.full
	}
	var stack [24]string
	segs := stack[:0]
	base := ""
	for m := n; m != nil; m = m.up {
		if m.full != "" {
			base = m.full
			break
		}
		segs = append(segs, m.seg)
	}
	size := len(base)
	for _, seg := range segs {
		size += len(seg) + 1
	}
	var b strings.Builder
	b.Grow(size)
	b.WriteString(base)
	for i := len(segs) - 1; i >= 0; i-- {
		seg := segs[i]
		switch {
		case b.Len() == 0:
		case seg != "" && seg[0] == '[':
		default:
			b.WriteByte('.')
		}
		b.WriteString(seg)
	}
	n.full = b.String()
	return n.full
}

// newPath makes a path node from the document's slab: one allocation per
// pathSlab nodes rather than one per lookup. A Doc is read by one goroutine.
func (d *Doc) newPath(up *pathNode, seg string) *pathNode {
	if d == nil {
		return &pathNode{up: up, seg: seg}
	}
	if len(d.paths) == cap(d.paths) {
		d.paths = make([]pathNode, 0, pathSlab)
	}
	d.paths = append(d.paths, pathNode{up: up, seg: seg})
	return &d.paths[len(d.paths)-1]
}

const pathSlab = 32

// indexSegs are the path segments of the first sequence items, made once.
var indexSegs = func() (segs [64]string) {
	for i := range segs {
		segs[i] = "[" + strconv.Itoa(i) + "]"
	}
	return
}()

func indexSeg(i int) string {
	if i < len(indexSegs) {
		return indexSegs[i]
	}
	return "[" + strconv.Itoa(i) + "]"
}

// crossing records an alias or merge use site, keeping the list bounded.
func (v Value) crossing(use *yaml.Node, msg string) []model.Related {
	if len(v.via) >= 8 {
		return v.via
	}
	via := make([]model.Related, len(v.via), len(v.via)+1)
	copy(via, v.via)
	line, col := v.doc.position(use)
	loc, _ := v.doc.locate(model.Location{File: v.doc.File, Line: line, Col: col, EndLine: line, EndCol: col + 1, Path: v.Path(), Object: v.object})
	return append(via, model.Related{Loc: loc, Message: msg})
}

// maxMergeDepth bounds nested merge keys (<<: *a where a itself merges).
const maxMergeDepth = 16

// Get returns the value of key in a mapping: the last explicit entry (as
// kubectl's JSON conversion keeps), else the first merged mapping (`<<`)
// that has it. A duplicate key is noticed once. Absent, or not a mapping:
// the zero Value.
func (v Value) Get(key string) Value {
	if v.node == nil || v.node.Kind != yaml.MappingNode {
		return Value{}
	}
	return v.get(v.node, key, 0, v, nil)
}

// get looks key up in m, then in the mappings m merges. searched holds the
// merged mappings already searched during this lookup: a mapping merged
// many times over (`<<: [*a, *a]` nested, a "merge bomb") is searched once,
// so a lookup costs at most the size of the document.
func (v Value) get(m *yaml.Node, key string, depth int, via Value, searched map[*yaml.Node]bool) Value {
	c := m.Content
	found := -1
	for i := 0; i+1 < len(c); i += 2 {
		k := c[i]
		if k.Kind == yaml.ScalarNode && k.Value == key && k.Tag != "!!merge" {
			if found >= 0 && v.doc != nil {
				prev := c[found]
				dup := via.child(k, c[i+1], key)
				line, _ := v.doc.position(prev)
				v.doc.Notice(dup, model.NoticeWarning, "duplicate key %q (line %d is overridden by this one)", key, line)
			}
			found = i
		}
	}
	if found >= 0 {
		return via.child(c[found], c[found+1], key)
	}
	if depth >= maxMergeDepth {
		return Value{}
	}
	// merge keys: `<<: *a` or `<<: [*a, *b]`; earlier sources win
	for i := 0; i+1 < len(c); i += 2 {
		k := c[i]
		if k.Kind != yaml.ScalarNode || (k.Tag != "!!merge" && !(k.Value == "<<" && k.Style == 0)) {
			continue
		}
		src := c[i+1]
		var sources []*yaml.Node
		switch r := resolve(src); {
		case r == nil:
		case r.Kind == yaml.MappingNode:
			sources = []*yaml.Node{src}
		case r.Kind == yaml.SequenceNode:
			sources = r.Content
		}
		for _, s := range sources {
			r := resolve(s)
			if r == nil || r.Kind != yaml.MappingNode || searched[r] {
				continue
			}
			if searched == nil {
				searched = map[*yaml.Node]bool{}
			}
			searched[r] = true
			name := s.Value
			if s.Kind != yaml.AliasNode {
				name = ""
			}
			through := via
			through.via = via.crossing(k, "merged from anchor &"+name+" here")
			if got := v.get(r, key, depth+1, through, searched); got.node != nil {
				return got
			}
		}
	}
	return Value{}
}

// Pair is one key/value entry of a mapping.
type Pair struct {
	Key   string
	Value Value
}

// Pairs returns a mapping's entries in order, merged entries included
// (explicit keys first win over merged ones, as Get decides).
func (v Value) Pairs() []Pair {
	if v.node == nil || v.node.Kind != yaml.MappingNode {
		return nil
	}
	var out []Pair
	seen := map[string]int{}
	v.pairs(v.node, 0, v, seen, &out, false, map[*yaml.Node]bool{})
	return out
}

// pairs collects m's entries, then those of the mappings it merges; a merged
// mapping already collected adds nothing and is skipped (see get).
func (v Value) pairs(m *yaml.Node, depth int, via Value, seen map[string]int, out *[]Pair, merged bool, collected map[*yaml.Node]bool) {
	c := m.Content
	for i := 0; i+1 < len(c); i += 2 {
		k := c[i]
		if k.Kind != yaml.ScalarNode || k.Tag == "!!merge" || (k.Value == "<<" && k.Style == 0) {
			continue
		}
		p := Pair{Key: k.Value, Value: via.child(k, c[i+1], k.Value)}
		if j, ok := seen[k.Value]; ok {
			if !merged {
				(*out)[j] = p // a later explicit duplicate wins
			}
			continue
		}
		seen[k.Value] = len(*out)
		*out = append(*out, p)
	}
	if depth >= maxMergeDepth {
		return
	}
	for i := 0; i+1 < len(c); i += 2 {
		k := c[i]
		if k.Kind != yaml.ScalarNode || (k.Tag != "!!merge" && !(k.Value == "<<" && k.Style == 0)) {
			continue
		}
		var sources []*yaml.Node
		switch r := resolve(c[i+1]); {
		case r == nil:
		case r.Kind == yaml.MappingNode:
			sources = []*yaml.Node{c[i+1]}
		case r.Kind == yaml.SequenceNode:
			sources = r.Content
		}
		for _, s := range sources {
			r := resolve(s)
			if r == nil || r.Kind != yaml.MappingNode || collected[r] {
				continue
			}
			collected[r] = true
			through := via
			through.via = via.crossing(k, "merged from anchor &"+s.Value+" here")
			v.pairs(r, depth+1, through, seen, out, true, collected)
		}
	}
}

// Items returns a sequence's items, their paths indexed [0], [1] …
func (v Value) Items() []Value {
	if v.node == nil || v.node.Kind != yaml.SequenceNode {
		return nil
	}
	out := make([]Value, 0, len(v.node.Content))
	for i, n := range v.node.Content {
		out = append(out, v.child(nil, n, indexSeg(i)))
	}
	return out
}

// Named re-labels a sequence item's path by a name ("containers[app]"
// instead of "containers[0]") so fingerprints survive reordering.
func (v Value) Named(name string) Value {
	if name == "" {
		return v
	}
	if n := v.path; n != nil && n.up != nil && strings.LastIndexByte(n.seg, '[') == 0 && strings.HasSuffix(n.seg, "]") {
		v.path = v.doc.newPath(n.up, "["+name+"]") // an item's index
		return v
	}
	if p := v.Path(); strings.HasSuffix(p, "]") {
		if i := strings.LastIndexByte(p, '['); i >= 0 {
			v.path = v.doc.newPath(nil, p[:i]+"["+name+"]")
		}
	}
	return v
}

// Str returns a scalar's text; ok is false for non-scalars and null.
func (v Value) Str() (string, bool) {
	if v.node == nil || v.node.Kind != yaml.ScalarNode || v.node.Tag == "!!null" {
		return "", false
	}
	return v.node.Value, true
}

// Text returns a scalar's text or "".
func (v Value) Text() string {
	s, _ := v.Str()
	return s
}

// isTemplated reports a scalar that a template engine or shell fills in
// later ({{ .Values.x }}, ${VAR}, $(VAR)): its value is unknown here.
func isTemplated(s string) bool { return model.Unresolved(s) }

// yaml11Bools are the plain scalars goyaml v2 (and so kubectl, through
// sigs.k8s.io/yaml) reads as booleans.
var yaml11Bools = map[string]bool{
	"y": true, "Y": true, "yes": true, "Yes": true, "YES": true,
	"true": true, "True": true, "TRUE": true,
	"on": true, "On": true, "ON": true,
	"n": false, "N": false, "no": false, "No": false, "NO": false,
	"false": false, "False": false, "FALSE": false,
	"off": false, "Off": false, "OFF": false,
}

// Bool reads a boolean as kubectl does (YAML 1.1: yes/no/on/off/y/n too).
// A quoted or non-boolean value is noticed and returned unset; a templated
// one is returned Unknown.
func (v Value) Bool() model.Bool {
	b := model.Bool{Loc: v.Loc(), Via: v.Via()}
	if v.node == nil || v.IsNull() {
		return b
	}
	if v.node.Kind == yaml.ScalarNode {
		if v.node.Style == 0 || v.node.Tag == "!!bool" {
			if val, ok := yaml11Bools[v.node.Value]; ok {
				b.Value, b.Set = val, true
				return b
			}
		}
		if isTemplated(v.node.Value) {
			b.Set, b.Unknown = true, true
			return b
		}
	}
	v.doc.Notice(v, model.NoticeWarning, "%s must be a boolean, got %s (a quoted value is a string); it was not checked", v.keyName(), v.KindName())
	return model.Bool{Loc: v.Loc()}
}

// StringVal reads a string setting. Numbers and booleans are read as their
// text (several formats accept them); mappings and lists are noticed.
func (v Value) StringVal() model.String {
	s := model.String{Loc: v.Loc(), Via: v.Via()}
	if v.node == nil || v.IsNull() {
		return s
	}
	if v.node.Kind != yaml.ScalarNode {
		v.doc.Notice(v, model.NoticeWarning, "%s must be a string, got %s", v.keyName(), v.KindName())
		return model.String{Loc: v.Loc()}
	}
	s.Value, s.Set = v.node.Value, true
	s.Unknown = isTemplated(v.node.Value)
	return s
}

// Int reads an integer setting; a quoted number is noticed (kubectl rejects
// it) and returned unset.
func (v Value) Int() model.Int {
	i := model.Int{Loc: v.Loc(), Via: v.Via()}
	if v.node == nil || v.IsNull() {
		return i
	}
	if v.node.Kind == yaml.ScalarNode {
		if isTemplated(v.node.Value) {
			i.Set, i.Unknown = true, true
			return i
		}
		if v.node.Style == 0 || v.node.Tag == "!!int" {
			if n, err := strconv.ParseInt(strings.ReplaceAll(v.node.Value, "_", ""), 0, 64); err == nil {
				i.Value, i.Set = n, true
				return i
			}
		}
	}
	v.doc.Notice(v, model.NoticeWarning, "%s must be an integer, got %s (a quoted number is a string); it was not checked", v.keyName(), v.KindName())
	return model.Int{Loc: v.Loc()}
}

// Strings reads a list of strings (capabilities, verbs); a single scalar is
// noticed. Each item keeps its location.
func (v Value) Strings() []model.String {
	if v.node == nil || v.IsNull() {
		return nil
	}
	if v.node.Kind != yaml.SequenceNode {
		v.doc.Notice(v, model.NoticeWarning, "%s must be a list, got %s", v.keyName(), v.KindName())
		return nil
	}
	var out []model.String
	for _, it := range v.Items() {
		if it.IsScalar() && !it.IsNull() {
			out = append(out, it.StringVal())
		}
	}
	return out
}

// TextList reads a list of strings as plain text.
func (v Value) TextList() []string {
	var out []string
	for _, s := range v.Strings() {
		out = append(out, s.Value)
	}
	return out
}

// ExpectMap notices a present value that is not a mapping and reports
// whether it is one.
func (v Value) ExpectMap() bool {
	if v.node == nil || v.IsNull() {
		return false
	}
	if v.node.Kind != yaml.MappingNode {
		v.doc.Notice(v, model.NoticeWarning, "%s must be a mapping, got %s", v.keyName(), v.KindName())
		return false
	}
	return true
}

// ExpectSeq notices a present value that is not a list and reports whether
// it is one.
func (v Value) ExpectSeq() bool {
	if v.node == nil || v.IsNull() {
		return false
	}
	if v.node.Kind != yaml.SequenceNode {
		v.doc.Notice(v, model.NoticeWarning, "%s must be a list, got %s", v.keyName(), v.KindName())
		return false
	}
	return true
}

func (v Value) keyName() string {
	if p := v.Path(); p != "" {
		return p
	}
	return "the document"
}

// Loc is the value's location: from its key (or the item itself) to the end
// of a one-line scalar value, or to the end of the key for a block value.
// An absent value has no location.
func (v Value) Loc() model.Location {
	loc := v.rawLoc()
	if v.doc != nil && v.doc.Origin != nil && loc.File != "" {
		loc, _ = v.doc.locate(loc)
	}
	return loc
}

// rawLoc is Loc in the parsed text, before any origin mapping.
func (v Value) rawLoc() model.Location {
	if v.doc == nil {
		return model.Location{}
	}
	start := v.key
	if start == nil {
		start = v.node
	}
	if start == nil {
		return model.Location{}
	}
	line, col := v.doc.position(start)
	loc := model.Location{File: v.doc.File, Line: line, Col: col, Path: v.Path(), Object: v.object, Anchored: len(v.via) > 0}
	if el, ec, ok := v.doc.scalarEnd(start); ok {
		loc.EndLine, loc.EndCol = el, ec
	} else {
		loc.EndLine, loc.EndCol = line, col+1
	}
	if v.key != nil && v.node != nil && v.node.Kind == yaml.ScalarNode && v.node.Line == v.key.Line {
		if el, ec, ok := v.doc.scalarEnd(v.node); ok {
			loc.EndLine, loc.EndCol = el, ec
		}
	}
	return loc
}

// KeyLoc is the location of the key alone (or of the item for sequence items).
func (v Value) KeyLoc() model.Location {
	l := v.rawLoc()
	if v.key != nil {
		if el, ec, ok := v.doc.scalarEnd(v.key); ok {
			l.EndLine, l.EndCol = el, ec
		}
	}
	if v.doc != nil && v.doc.Origin != nil && l.File != "" {
		l, _ = v.doc.locate(l)
	}
	return l
}

// Synthetic is the location to report a missing key `name` below v: v's
// own key, marked Synthetic, with the would-be path.
func (v Value) Synthetic(name string) model.Location {
	l := v.KeyLoc()
	l.Synthetic = true
	if l.Path == "" {
		l.Path = name
	} else {
		l.Path += "." + name
	}
	return l
}

// Span locates bytes [off, off+n) of a scalar's value in the file, for
// formats that embed a language in a string (a shell script, a flag list).
// A span that crosses a line end is cut at it. ok is false when the value
// cannot be mapped back to its text exactly (escapes, folded or multi-line
// flow scalars): report at v.Loc() then.
func (v Value) Span(off, n int) (model.Location, bool) {
	nd := v.node
	if v.doc == nil || nd == nil || nd.Kind != yaml.ScalarNode || off < 0 || n < 0 || off+n > len(nd.Value) {
		return model.Location{}, false
	}
	val := nd.Value
	lineStart := strings.LastIndexByte(val[:off], '\n') + 1
	lineEnd := len(val)
	if i := strings.IndexByte(val[off:], '\n'); i >= 0 {
		lineEnd = off + i
	}
	if off+n > lineEnd {
		n = lineEnd - off
	}
	vline := val[lineStart:lineEnd]
	var docLine, startByte int
	var text []byte
	switch {
	case nd.Style&yaml.LiteralStyle != 0:
		docLine = nd.Line + 1 + strings.Count(val[:off], "\n")
		text = v.doc.line(docLine)
		indent := len(text) - len(vline)
		if indent < 0 || string(text[indent:]) != vline || strings.TrimLeft(string(text[:indent]), " ") != "" {
			return model.Location{}, false
		}
		startByte = indent + (off - lineStart)
	case nd.Style&yaml.FoldedStyle != 0 || strings.Contains(val, "\n"):
		return model.Location{}, false
	default:
		docLine = nd.Line
		text = v.doc.line(docLine)
		b := v.doc.colOffset(docLine, text, nd.Column)
		if nd.Style&(yaml.DoubleQuotedStyle|yaml.SingleQuotedStyle) != 0 {
			b++
		}
		if b+len(val) > len(text) || string(text[b:b+len(val)]) != val {
			return model.Location{}, false
		}
		startByte = b + off
	}
	var col int
	if docLine == nd.Line {
		// count from the node's own column, not from the line's start: a
		// minified line holds thousands of values
		col = nd.Column + utf8.RuneCount(text[v.doc.colOffset(docLine, text, nd.Column):startByte])
	} else {
		col = utf8.RuneCount(text[:startByte]) + 1
	}
	line := v.doc.Raw.Line - 1 + docLine
	loc := model.Location{File: v.doc.File, Line: line, Col: col, EndLine: line,
		EndCol: col + utf8.RuneCount(text[startByte:startByte+n]), Path: v.Path(), Object: v.object, Anchored: len(v.via) > 0}
	if n == 0 {
		loc.EndCol = col + 1
	}
	if v.doc.Origin != nil {
		loc, _ = v.doc.locate(loc)
	}
	return loc, true
}

// IsTagged reports whether the node carries the explicit local tag (a
// GitLab `!reference`).
func (v Value) IsTagged(tag string) bool { return v.node != nil && v.node.Tag == tag }
