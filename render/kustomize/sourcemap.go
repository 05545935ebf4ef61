package kustomize

import (
	"sort"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/isolint/isolint/model"
	yaml "go.yaml.in/yaml/v3"
)

// A built object is mapped back to its sources by key path. Paths name
// list items by the key strategic merge matches them on (a container by
// its name, a mount by its mountPath), so that the base's item and a
// patch's item for the same container meet; other items by position, and
// scalars in a list by their value.

// itemKeys are the fields that name a list item, tried in order.
var itemKeys = []string{"name", "mountPath", "containerPort", "devicePath", "ip", "topologyKey"}

func itemSegment(n *yaml.Node, i int) string {
	n = deref(n)
	if n == nil {
		return "[" + strconv.Itoa(i) + "]"
	}
	switch n.Kind {
	case yaml.MappingNode:
		for _, k := range itemKeys {
			if v := mapGet(n, k); v != nil && v.Kind == yaml.ScalarNode {
				return "[" + k + "=" + v.Value + "]"
			}
		}
	case yaml.ScalarNode:
		return "[=" + n.Value + "]"
	}
	return "[" + strconv.Itoa(i) + "]"
}

func deref(n *yaml.Node) *yaml.Node {
	for i := 0; n != nil && n.Kind == yaml.AliasNode && i < 64; i++ {
		n = n.Alias
	}
	if n != nil && n.Kind == yaml.DocumentNode && len(n.Content) > 0 {
		return deref(n.Content[0])
	}
	return n
}

func mapGet(m *yaml.Node, key string) *yaml.Node {
	m = deref(m)
	if m == nil || m.Kind != yaml.MappingNode {
		return nil
	}
	var found *yaml.Node
	for i := 0; i+1 < len(m.Content); i += 2 {
		if m.Content[i].Value == key {
			found = deref(m.Content[i+1])
		}
	}
	return found
}

func join(p, seg string) string {
	switch {
	case p == "":
		return seg
	case strings.HasPrefix(seg, "["):
		return p + seg
	}
	return p + "." + seg
}

// place is where a key (or list item) is written in a source file.
type place struct {
	file         string
	line, col    int
	keyEnd       int // exclusive end column of the key on line
	valEnd       int // exclusive end column of a one-line scalar value on line; 0 otherwise
	scalar       bool
	value        string
	fromBase     bool
	unattributed bool // no source writes this key: placed at its nearest written ancestor
}

func (p place) loc() model.Location {
	return model.Location{File: p.file, Line: p.line, Col: p.col, EndLine: p.line, EndCol: max(p.keyEnd, p.col+1)}
}

// source is one document that contributes to a built object: the base
// resource, or a patch.
type source struct {
	file  string
	base  bool
	nodes map[string]place
	root  *yaml.Node // the parsed document
}

// index records every key and item of a YAML tree by path. lineOff and
// colOff convert node positions to file positions (colOff is non-zero for
// an inline patch in a block scalar).
func (s *source) index(n *yaml.Node, p string, key *yaml.Node, lineOff, colOff int) {
	n = deref(n)
	if n == nil {
		return
	}
	start := key
	if start == nil {
		start = n
	}
	pl := place{file: s.file, line: start.Line + lineOff, col: start.Column + colOff, fromBase: s.base}
	pl.keyEnd = pl.col + 1
	if key != nil {
		pl.keyEnd = pl.col + utf8.RuneCountInString(key.Value)
	}
	if n.Kind == yaml.ScalarNode {
		pl.scalar, pl.value = true, n.Value
		if n.Line == start.Line && n.Style&(yaml.LiteralStyle|yaml.FoldedStyle) == 0 && !strings.Contains(n.Value, "\n") {
			w := utf8.RuneCountInString(n.Value)
			if n.Style&(yaml.DoubleQuotedStyle|yaml.SingleQuotedStyle) != 0 {
				w += 2
			}
			pl.valEnd = n.Column + colOff + w
		}
	}
	if _, dup := s.nodes[p]; !dup || p == "" {
		s.nodes[p] = pl
	}
	switch n.Kind {
	case yaml.MappingNode:
		for i := 0; i+1 < len(n.Content); i += 2 {
			k := n.Content[i]
			if k.Kind != yaml.ScalarNode || strings.HasPrefix(k.Value, "$") || k.Value == "<<" {
				continue // strategic merge directives ($patch, $setElementOrder) set nothing
			}
			s.index(n.Content[i+1], join(p, k.Value), k, lineOff, colOff)
		}
	case yaml.SequenceNode:
		for i, it := range n.Content {
			s.index(it, join(p, itemSegment(it, i)), nil, lineOff, colOff)
		}
	}
}

// jsonPatchSource indexes a JSON 6902 patch against the built object: each
// add or replace sets the keys of its value at its path.
func jsonPatchSource(file string, ops *yaml.Node, built *yaml.Node, lineOff, colOff int) *source {
	s := &source{file: file, nodes: map[string]place{}}
	ops = deref(ops)
	if ops == nil || ops.Kind != yaml.SequenceNode {
		return s
	}
	for _, op := range ops.Content {
		kind := mapGet(op, "op")
		ptr := mapGet(op, "path")
		if kind == nil || ptr == nil || (kind.Value != "add" && kind.Value != "replace") {
			continue
		}
		p, ok := pointerPath(built, ptr.Value)
		if !ok {
			continue
		}
		// the value (and the keys below it) sit on the `value:` entry
		var valKey, val *yaml.Node
		m := deref(op)
		for i := 0; i+1 < len(m.Content); i += 2 {
			if m.Content[i].Value == "value" {
				valKey, val = m.Content[i], m.Content[i+1]
			}
		}
		if val == nil {
			continue
		}
		s.index(val, p, valKey, lineOff, colOff)
	}
	return s
}

// pointerPath converts a JSON pointer into a key path of the built object.
// Items are resolved by position in the built object, which is where
// later patches may have moved them: good enough to place a key.
func pointerPath(built *yaml.Node, ptr string) (string, bool) {
	if ptr == "" || ptr[0] != '/' {
		return "", false
	}
	n := deref(built)
	p := ""
	for _, raw := range strings.Split(ptr[1:], "/") {
		seg := strings.ReplaceAll(strings.ReplaceAll(raw, "~1", "/"), "~0", "~")
		switch {
		case n != nil && n.Kind == yaml.SequenceNode:
			i, err := strconv.Atoi(seg)
			if seg == "-" {
				i, err = len(n.Content)-1, nil
			}
			if err != nil || i < 0 || i >= len(n.Content) {
				return "", false
			}
			p = join(p, itemSegment(n.Content[i], i))
			n = deref(n.Content[i])
		default:
			p = join(p, seg)
			n = mapGet(n, seg)
		}
	}
	return p, true
}

// renderedKey is one key or item of the built text, with the place it was
// attributed to.
type renderedKey struct {
	line, col int
	keyEnd    int
	at        place
	base      *place // the base's own place when a patch overrode it
}

// Origin maps the built text of one object to the lines users edit. It
// implements yamldoc.Origin.
type Origin struct {
	keys   []renderedKey // sorted by line, col
	header place
}

// attribute walks the built object and places each key on the source that
// last set it: for a scalar, the last source whose value differs from the
// one before it (a patch repeating the base's value, such as a container's
// name, sets nothing); for a mapping or list, the first source that has it
// (so that a missing setting is reported where the object or block is
// defined). A key no source writes (added by a transformer) sits on
// transformer's line when known, else on its nearest written ancestor.
func attribute(built *yaml.Node, sources []*source, transformers map[string]place, header place) *Origin {
	o := &Origin{header: header}
	var walk func(n *yaml.Node, p string, key *yaml.Node, parent place)
	walk = func(n *yaml.Node, p string, key *yaml.Node, parent place) {
		n = deref(n)
		if n == nil {
			return
		}
		var at *place
		var base *place
		for _, s := range sources {
			pl, ok := s.nodes[p]
			if !ok {
				continue
			}
			switch {
			case at == nil:
				c := pl
				at = &c
			case n.Kind == yaml.ScalarNode && pl.scalar && pl.value != at.value:
				if at.fromBase {
					b := *at
					base = &b
				}
				c := pl
				at = &c
			}
		}
		if t, ok := transformers[p]; ok && (at == nil || (n.Kind == yaml.ScalarNode && at.value != n.Value)) {
			at = &t
		}
		if at == nil {
			c := parent
			c.unattributed = true
			at = &c
		}
		start := key
		if start == nil {
			start = n
		}
		rk := renderedKey{line: start.Line, col: start.Column, at: *at, base: base}
		rk.keyEnd = rk.col + 1
		if key != nil {
			rk.keyEnd = rk.col + utf8.RuneCountInString(key.Value)
		}
		o.keys = append(o.keys, rk)
		switch n.Kind {
		case yaml.MappingNode:
			for i := 0; i+1 < len(n.Content); i += 2 {
				walk(n.Content[i+1], join(p, n.Content[i].Value), n.Content[i], *at)
			}
		case yaml.SequenceNode:
			for i, it := range n.Content {
				walk(it, join(p, itemSegment(it, i)), nil, *at)
			}
		}
	}
	walk(built, "", nil, header)
	// the first key of a list item shares the item's position: keep the key
	sort.SliceStable(o.keys, func(i, j int) bool {
		a, b := o.keys[i], o.keys[j]
		if a.line != b.line {
			return a.line < b.line
		}
		return a.col < b.col
	})
	return o
}

// Locate implements yamldoc.Origin: the built position becomes the source
// key's (with its value's end when the built location spans the value).
func (o *Origin) Locate(l model.Location) (model.Location, []model.Related) {
	i := sort.Search(len(o.keys), func(i int) bool {
		k := o.keys[i]
		return k.line > l.Line || (k.line == l.Line && k.col > l.Col)
	}) - 1
	var rk renderedKey
	if i >= 0 {
		rk = o.keys[i]
		// a list item and its first key share a position: the key is later
		// in the walk, and sorts after the item
	} else {
		rk = renderedKey{at: o.header}
	}
	at := rk.at
	out := l
	out.File, out.Line, out.Col, out.EndLine = at.file, at.line, at.col, at.line
	out.EndCol = max(at.keyEnd, at.col+1)
	if l.EndLine == l.Line && l.EndCol > rk.keyEnd && at.valEnd > 0 && !at.unattributed {
		out.EndCol = at.valEnd
	}
	var rel []model.Related
	if rk.base != nil {
		rel = append(rel, model.Related{Loc: rk.base.loc(), Message: "the base sets it here; the patch overrides it"})
	}
	return out, rel
}
