package fix

import (
	"bytes"
	"errors"
	"sort"
	"strings"

	yaml "go.yaml.in/yaml/v3"
)

// A change is what one finding's fix wants of a mapping: a scalar set at a
// key path below it, or an item present in the sequence at that path.
type change struct {
	anchor *yaml.Node // the block mapping the path starts from
	path   []string
	value  string // the scalar to set, as YAML text
	item   string // with value "": the item the sequence must hold
	before string // at the anchor's level: insert before this key, if present
	// block, with key: the scalar value of key becomes this block mapping
	// (lines relative to the key's indentation plus one step); an empty
	// block removes the key's line.
	block []string
	key   *yaml.Node
	// remove: delete the entry of path[0] in the anchor (and the anchor's
	// own entry when nothing else is left in it)
	remove bool
	// drop: delete this scalar item from its block sequence (the entry that
	// holds the sequence when it is the only item)
	drop *yaml.Node
	// text: an edit inside a scalar's text, made as it is
	text *edit
}

// edit replaces src[start:end] with text.
type edit struct {
	start, end int
	text       string
	indent     int // for insertions at one offset: the deeper one goes first
}

var errCannot = errors.New("the file's layout there is not one isolint edits (a flow collection, an empty value or an alias)")

// trie merges the changes to one anchor so that a missing parent key
// (securityContext) is inserted once, holding every key the fixes set.
type trie struct {
	keys     []string
	children map[string]*trie
	value    string
	item     []string
	before   string
}

func (t *trie) child(k string) *trie {
	if t.children == nil {
		t.children = map[string]*trie{}
	}
	c := t.children[k]
	if c == nil {
		c = &trie{}
		t.children[k] = c
		t.keys = append(t.keys, k)
	}
	return c
}

// plan turns the changes of a file into edits. Changes whose edit cannot
// be made leave the file as it is for that change only.
func (f *yamlFile) plan(changes []change) ([]edit, error) {
	byAnchor := map[*yaml.Node]*trie{}
	var anchors []*yaml.Node
	var edits []edit
	// items dropped from one sequence: all of them removes its entry
	drops := map[*yaml.Node]map[*yaml.Node]bool{}
	seen := map[edit]bool{}
	for _, c := range changes {
		if c.text != nil {
			if !seen[*c.text] {
				seen[*c.text] = true
				edits = append(edits, *c.text)
			}
			continue
		}
		if c.drop != nil {
			seq := f.parent[c.drop]
			if drops[seq] == nil {
				drops[seq] = map[*yaml.Node]bool{}
			}
			drops[seq][c.drop] = true
		}
	}
	for _, c := range changes {
		if c.text != nil {
			continue // made above
		}
		if c.drop != nil {
			seq := f.parent[c.drop]
			set := drops[seq]
			if set == nil {
				continue // done with the sequence's other items
			}
			if seq != nil && len(set) == len(seq.Content) {
				delete(drops, seq)
				m := f.parent[seq]
				if m == nil || m.Kind != yaml.MappingNode {
					return nil, errCannot
				}
				// the entry alone: the change that drops ALL fills its mapping
				e, err := f.removeEntry(m, f.keyOf(seq), false)
				if err != nil {
					return nil, err
				}
				edits = append(edits, e)
				continue
			}
			e, err := f.removeItem(c.drop)
			if err != nil {
				return nil, err
			}
			edits = append(edits, e)
			continue
		}
		if c.remove {
			e, err := f.removeEntry(c.anchor, c.path[0], true)
			if err != nil {
				return nil, err
			}
			edits = append(edits, e)
			continue
		}
		if c.key != nil {
			e, err := f.replaceWithBlock(c.anchor, c.key, c.block)
			if err != nil {
				return nil, err
			}
			edits = append(edits, e)
			continue
		}
		t := byAnchor[c.anchor]
		if t == nil {
			t = &trie{}
			byAnchor[c.anchor] = t
			anchors = append(anchors, c.anchor)
		}
		n := t
		for i, k := range c.path {
			n = n.child(k)
			if i == 0 && c.before != "" {
				n.before = c.before
			}
		}
		if c.value != "" {
			n.value = c.value
		} else if c.item != "" && !contains(n.item, c.item) {
			n.item = append(n.item, c.item)
		}
	}
	for _, a := range anchors {
		es, err := f.render(a, byAnchor[a])
		if err != nil {
			return nil, err
		}
		edits = append(edits, es...)
	}
	return edits, nil
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

// render computes the edits that make mapping m hold what t asks.
func (f *yamlFile) render(m *yaml.Node, t *trie) ([]edit, error) {
	if m.Kind != yaml.MappingNode || m.Style&yaml.FlowStyle != 0 {
		return nil, errCannot
	}
	step := f.step(m)
	var edits []edit
	type insertion struct {
		before string
		lines  []string
	}
	var inserts []insertion
	for _, key := range t.keys {
		c := t.children[key]
		k, v := get(m, key)
		switch {
		case v == nil:
			inserts = append(inserts, insertion{before: c.before, lines: newLines(key, c, step)})
		case c.value != "":
			if v.Kind != yaml.ScalarNode {
				return nil, errCannot
			}
			if sameScalar(v, c.value) {
				continue
			}
			e, err := f.replaceScalar(k, v, c.value)
			if err != nil {
				return nil, err
			}
			edits = append(edits, e)
		case len(c.item) > 0:
			es, err := f.appendItems(v, c.item)
			if err != nil {
				return nil, err
			}
			edits = append(edits, es...)
		default:
			if v.Kind != yaml.MappingNode {
				return nil, errCannot
			}
			es, err := f.render(v, c)
			if err != nil {
				return nil, err
			}
			edits = append(edits, es...)
		}
	}
	indent := strings.Repeat(" ", m.Column-1)
	for _, in := range inserts {
		var b strings.Builder
		for _, l := range in.lines {
			b.WriteString(indent + l + f.newline())
		}
		at := -1
		if in.before != "" {
			if k, _ := get(m, in.before); k != nil && k.Column == m.Column && f.ownLine(k) {
				at = f.lineStarts[k.Line-1]
			}
		}
		text := b.String()
		if at < 0 {
			at = f.afterLine(f.lastLine(m))
			if at == len(f.src) && len(f.src) > 0 && f.src[len(f.src)-1] != '\n' {
				// the file ends without a line break: keep it so
				text = f.newline() + strings.TrimSuffix(text, f.newline())
			}
		}
		edits = append(edits, edit{start: at, end: at, text: text, indent: m.Column})
	}
	return edits, nil
}

// ownLine reports whether key k is the first thing on its line (not after
// a sequence dash).
func (f *yamlFile) ownLine(k *yaml.Node) bool {
	n, ok := indentOf(f.lineText(k.Line))
	return ok && n == k.Column-1
}

// afterLine is the offset just after line l's line ending.
func (f *yamlFile) afterLine(l int) int {
	if l < len(f.lineStarts) {
		return f.lineStarts[l]
	}
	return len(f.src)
}

// step is the indentation the file uses for a nested mapping: taken from a
// nested block mapping of m or its ancestors, else 2.
func (f *yamlFile) step(m *yaml.Node) int {
	for n := m; n != nil; n = f.parent[n] {
		if n.Kind != yaml.MappingNode {
			continue
		}
		for i := 1; i < len(n.Content); i += 2 {
			if v := n.Content[i]; v.Kind == yaml.MappingNode && v.Style&yaml.FlowStyle == 0 && v.Line > n.Content[i-1].Line {
				if d := v.Column - n.Column; d > 0 && d <= 8 {
					return d
				}
			}
		}
	}
	return 2
}

// newLines renders key and what t holds below it, relative to the
// anchor's indentation.
func newLines(key string, t *trie, step int) []string {
	switch {
	case t.value != "":
		return []string{key + ": " + t.value}
	case len(t.item) > 0:
		lines := []string{key + ":"}
		for _, it := range t.item {
			lines = append(lines, strings.Repeat(" ", step)+"- "+it)
		}
		return lines
	}
	lines := []string{key + ":"}
	for _, k := range t.keys {
		for _, l := range newLines(k, t.children[k], step) {
			lines = append(lines, strings.Repeat(" ", step)+l)
		}
	}
	return lines
}

var yamlBools = map[string]string{
	"true": "true", "True": "true", "TRUE": "true", "yes": "true", "Yes": "true", "YES": "true", "on": "true", "On": "true", "ON": "true", "y": "true", "Y": "true",
	"false": "false", "False": "false", "FALSE": "false", "no": "false", "No": "false", "NO": "false", "off": "false", "Off": "false", "OFF": "false", "n": "false", "N": "false",
}

// sameScalar reports whether v already holds want (booleans in any of the
// spellings Kubernetes' YAML 1.1 reading accepts).
func sameScalar(v *yaml.Node, want string) bool {
	if v.Style == 0 {
		if b, ok := yamlBools[v.Value]; ok {
			return b == want
		}
	}
	return v.Value == want && (v.Style == 0 || yamlBools[want] == "")
}

// replaceScalar replaces the single-line value v of key k by text.
func (f *yamlFile) replaceScalar(k, v *yaml.Node, text string) (edit, error) {
	if v.Style&(yaml.LiteralStyle|yaml.FoldedStyle) != 0 || v.Line != k.Line || v.Alias != nil || v.Anchor != "" || v.Tag == "!!null" && v.Value == "" {
		return edit{}, errCannot
	}
	start := f.offset(v.Line, v.Column)
	line := f.lineText(v.Line)
	lineStart := f.lineStarts[v.Line-1]
	rel := start - lineStart
	if rel < 0 || rel >= len(line) {
		return edit{}, errCannot
	}
	end := -1
	switch line[rel] {
	case '"', '\'':
		q := line[rel]
		for i := rel + 1; i < len(line); i++ {
			if q == '"' && line[i] == '\\' {
				i++
				continue
			}
			if line[i] == q {
				if q == '\'' && i+1 < len(line) && line[i+1] == '\'' {
					i++
					continue
				}
				end = i + 1
				break
			}
		}
	default:
		end = len(line)
		if i := strings.Index(string(line[rel:]), " #"); i >= 0 {
			end = rel + i
		}
		for end > rel && (line[end-1] == ' ' || line[end-1] == '\t') {
			end--
		}
		if string(line[rel:end]) != v.Value {
			return edit{}, errCannot
		}
	}
	if end < 0 {
		return edit{}, errCannot
	}
	return edit{start: start, end: lineStart + end, text: text}, nil
}

// appendItems adds items to block sequence s, at its indentation.
func (f *yamlFile) appendItems(s *yaml.Node, items []string) ([]edit, error) {
	if s.Kind != yaml.SequenceNode {
		return nil, errCannot
	}
	missing := false
	for _, it := range items {
		found := false
		for _, c := range s.Content {
			found = found || c.Kind == yaml.ScalarNode && c.Value == it
		}
		missing = missing || !found
	}
	if !missing {
		return nil, nil
	}
	if s.Style&yaml.FlowStyle != 0 || len(s.Content) == 0 {
		return nil, errCannot
	}
	var b strings.Builder
	for _, it := range items {
		present := false
		for _, c := range s.Content {
			if c.Kind == yaml.ScalarNode && c.Value == it {
				present = true
			}
		}
		if !present {
			b.WriteString(strings.Repeat(" ", s.Column-1) + "- " + it + f.newline())
		}
	}
	if b.Len() == 0 {
		return nil, nil
	}
	// a block sequence's node column is its first item's, not its dash's
	dash := s.Column - 1
	if first := s.Content[0]; first.Line == s.Line {
		line := f.lineText(first.Line)
		if n, ok := indentOf(line); ok && n < first.Column-1 && line[n] == '-' {
			dash = n
		}
	}
	text := strings.ReplaceAll(b.String(), strings.Repeat(" ", s.Column-1)+"- ", strings.Repeat(" ", dash)+"- ")
	seq := *s
	seq.Column = dash + 1
	at := f.afterLine(f.lastLine(&seq))
	return []edit{{start: at, end: at, text: text, indent: dash + 2}}, nil
}

// apply returns src with the edits made. Overlapping edits are refused.
func apply(src []byte, edits []edit) ([]byte, error) {
	sort.SliceStable(edits, func(i, j int) bool {
		if edits[i].start != edits[j].start {
			return edits[i].start < edits[j].start
		}
		return edits[i].indent > edits[j].indent
	})
	var out []byte
	pos := 0
	for _, e := range edits {
		if e.start < pos {
			return nil, errors.New("two fixes edit the same text")
		}
		out = append(out, src[pos:e.start]...)
		out = append(out, e.text...)
		pos = e.end
	}
	return append(out, src[pos:]...), nil
}

// replaceWithBlock turns `key: scalar` into `key:` followed by lines, or
// removes the key's line when lines is empty.
func (f *yamlFile) replaceWithBlock(m, k *yaml.Node, lines []string) (edit, error) {
	_, v := get(m, k.Value)
	if v == nil || v.Kind != yaml.ScalarNode || v.Line != k.Line || !f.ownLine(k) {
		return edit{}, errCannot
	}
	if len(lines) == 0 {
		start := f.lineStarts[k.Line-1]
		return edit{start: start, end: f.afterLine(k.Line), text: ""}, nil
	}
	e, err := f.replaceScalar(k, v, "")
	if err != nil {
		return edit{}, err
	}
	// drop the space between the colon and the old value; a comment after
	// the value stays on the key's line
	for e.start > 0 && f.src[e.start-1] == ' ' {
		e.start--
	}
	lineEnd := f.lineStarts[k.Line-1] + len(f.lineText(k.Line))
	rest := string(f.src[e.end:lineEnd])
	e.end = lineEnd
	indent := strings.Repeat(" ", k.Column-1+f.step(m))
	var b strings.Builder
	b.WriteString(rest)
	for _, l := range lines {
		b.WriteString(f.newline() + indent + l)
	}
	e.text = b.String()
	return e, nil
}

// removeEntry deletes the lines of key's entry in mapping m, or m's own
// entry in its parent when key is all m holds.
func (f *yamlFile) removeEntry(m *yaml.Node, key string, climb bool) (edit, error) {
	k, _ := get(m, key)
	if k == nil || m.Style&yaml.FlowStyle != 0 || !f.ownLine(k) {
		return edit{}, errCannot
	}
	if climb && len(m.Content) == 2 {
		if p := f.parent[m]; p != nil && p.Kind == yaml.MappingNode && f.keyOf(m) != "" {
			return f.removeEntry(p, f.keyOf(m), true)
		}
	}
	end := k.Line
	for l := k.Line + 1; l <= len(f.lineStarts); l++ {
		text := f.lineText(l)
		if bytes.HasPrefix(text, []byte("---")) || bytes.HasPrefix(text, []byte("...")) {
			break
		}
		n, ok := indentOf(text)
		if !ok {
			continue
		}
		if n <= k.Column-1 {
			break
		}
		end = l
	}
	return edit{start: f.lineStarts[k.Line-1], end: f.afterLine(end), text: ""}, nil
}

// valueText is the source text of a single-line scalar value.
func (f *yamlFile) valueText(k, v *yaml.Node) (string, bool) {
	e, err := f.replaceScalar(k, v, "")
	if err != nil {
		return "", false
	}
	return string(f.src[e.start:e.end]), true
}

// removeItem deletes a scalar item's line from its block sequence.
func (f *yamlFile) removeItem(it *yaml.Node) (edit, error) {
	seq := f.parent[it]
	if seq == nil || seq.Kind != yaml.SequenceNode || seq.Style&yaml.FlowStyle != 0 {
		return edit{}, errCannot
	}
	if len(seq.Content) == 1 {
		if m := f.parent[seq]; m != nil && m.Kind == yaml.MappingNode {
			return f.removeEntry(m, f.keyOf(seq), false)
		}
		return edit{}, errCannot
	}
	line := f.lineText(it.Line)
	n, ok := indentOf(line)
	if !ok || line[n] != '-' || it.Column-1 <= n {
		return edit{}, errCannot // the item shares its line with its key
	}
	for _, other := range seq.Content {
		if other != it && other.Line == it.Line {
			return edit{}, errCannot
		}
	}
	return edit{start: f.lineStarts[it.Line-1], end: f.afterLine(it.Line), text: ""}, nil
}
