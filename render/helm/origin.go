package helm

import (
	"sort"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/isolint/isolint/model"
	"github.com/isolint/isolint/scanners/yamldoc"
	yaml "go.yaml.in/yaml/v3"
)

// breakpoint says that the rendered bytes from off on came from seg; emit
// tells apart two outputs of one marker (the iterations of a range).
type breakpoint struct {
	off  int
	seg  int
	emit int
}

// output is one rendered template with its markers taken out.
type output struct {
	file  string // template display path
	text  []byte
	bps   []breakpoint
	lines []int // byte offsets of line starts in text
	segs  *segments
	vals  *valueSources
}

// strip removes the markers from a rendered template and records where
// each came from.
func strip(file, rendered string, segs *segments, vals *valueSources) *output {
	o := &output{file: file, segs: segs, vals: vals}
	b := make([]byte, 0, len(rendered))
	for {
		i := strings.IndexRune(rendered, markOpen)
		if i < 0 {
			b = append(b, rendered...)
			break
		}
		j := strings.IndexRune(rendered[i:], markClose)
		if j < 0 {
			b = append(b, rendered...)
			break
		}
		b = append(b, rendered[:i]...)
		idx, err := strconv.Atoi(rendered[i+len(string(markOpen)) : i+j])
		if err == nil && idx >= 0 && idx < len(segs.list) {
			if n := len(o.bps); n > 0 && o.bps[n-1].off == len(b) {
				o.bps = o.bps[:n-1] // nothing came out of the previous one
			}
			o.bps = append(o.bps, breakpoint{off: len(b), seg: idx, emit: len(o.bps)})
		}
		rendered = rendered[i+j+len(string(markClose)):]
	}
	for i := range o.bps {
		o.bps[i].emit = i
	}
	o.text = b
	o.lines = []int{0}
	for i, c := range b {
		if c == '\n' {
			o.lines = append(o.lines, i+1)
		}
	}
	return o
}

// offset converts a 1-based line and column (code points) of the text to
// a byte offset, or -1.
func (o *output) offset(line, col int) int {
	if line < 1 || line > len(o.lines) {
		return -1
	}
	off := o.lines[line-1]
	for c := 1; c < col && off < len(o.text) && o.text[off] != '\n'; c++ {
		_, size := utf8.DecodeRune(o.text[off:])
		off += size
	}
	return off
}

// at returns the breakpoint in force at byte offset off.
func (o *output) at(off int) (breakpoint, bool) {
	i := sort.Search(len(o.bps), func(i int) bool { return o.bps[i].off > off }) - 1
	if i < 0 {
		return breakpoint{}, false
	}
	return o.bps[i], true
}

// docOrigin maps the locations of one rendered document.
type docOrigin struct {
	out    *output
	shift  int                      // output line of the document's line 1, minus one
	index  map[[2]int]*renderedNode // (line, col) in the output → node
	byPath map[string]*renderedNode // key path → the key (or list item)
}

// renderedNode is a key or value of the rendered document, with its path
// of keys (list elements as "[i]") from the document root.
type renderedNode struct {
	path  []string
	key   *yaml.Node // the key node, nil for list items and the root
	value *yaml.Node
	line  int // output line of the node (key, else value)
	col   int
	isKey bool
}

// newDocOrigin indexes a rendered document's nodes by position.
func newDocOrigin(out *output, raw yamldoc.RawDoc) *docOrigin {
	d := &docOrigin{out: out, shift: raw.Line - 1, index: map[[2]int]*renderedNode{}, byPath: map[string]*renderedNode{}}
	var n yaml.Node
	if err := yaml.Unmarshal(raw.Bytes, &n); err != nil || n.Kind == 0 {
		return d
	}
	root := &n
	if root.Kind == yaml.DocumentNode && len(root.Content) > 0 {
		root = root.Content[0]
	}
	shift := raw.Line - 1
	var walk func(nd *yaml.Node, path []string, depth int)
	walk = func(nd *yaml.Node, path []string, depth int) {
		if nd == nil || depth > 64 {
			return
		}
		switch nd.Kind {
		case yaml.MappingNode:
			for i := 0; i+1 < len(nd.Content); i += 2 {
				k, v := nd.Content[i], nd.Content[i+1]
				p := append(path[:len(path):len(path)], k.Value)
				kn := &renderedNode{path: p, key: k, value: v, line: k.Line + shift, col: k.Column, isKey: true}
				d.index[[2]int{k.Line + shift, k.Column}] = kn
				d.byPath[strings.Join(p, "\x00")] = kn
				if _, ok := d.index[[2]int{v.Line + shift, v.Column}]; !ok {
					d.index[[2]int{v.Line + shift, v.Column}] = &renderedNode{path: p, key: k, value: v, line: v.Line + shift, col: v.Column}
				}
				walk(v, p, depth+1)
			}
		case yaml.SequenceNode:
			for i, it := range nd.Content {
				p := append(path[:len(path):len(path)], "["+strconv.Itoa(i)+"]")
				in := &renderedNode{path: p, value: it, line: it.Line + shift, col: it.Column}
				if _, ok := d.index[[2]int{it.Line + shift, it.Column}]; !ok {
					d.index[[2]int{it.Line + shift, it.Column}] = in
				}
				d.byPath[strings.Join(p, "\x00")] = in
				walk(it, p, depth+1)
			}
		}
	}
	walk(root, nil, 0)
	return d
}

// Locate maps a location in the rendered document to the line a user edits.
func (d *docOrigin) Locate(loc model.Location) (model.Location, []model.Related) {
	o := d.out
	off := o.offset(loc.Line, loc.Col)
	bp, ok := o.at(off)
	if off < 0 || !ok {
		return d.fallback(loc), nil
	}
	seg := o.segs.list[bp.seg]
	node := d.index[[2]int{loc.Line, loc.Col}]
	switch seg.kind {
	case segText:
		out := loc
		out.File = seg.file
		out.Line = seg.line
		startCol := o.colOf(bp.off)
		out.Col = seg.col + (loc.Col - startCol)
		out.EndLine, out.EndCol = out.Line, out.Col+1
		if node != nil && node.isKey {
			out.EndCol = out.Col + utf8.RuneCountInString(node.key.Value)
		}
		if loc.EndLine == loc.Line && loc.EndCol > loc.Col {
			if eoff := o.offset(loc.EndLine, loc.EndCol-1); eoff >= 0 {
				if ebp, ok := o.at(eoff); ok && ebp.emit == bp.emit {
					out.EndCol = out.Col + (loc.EndCol - loc.Col)
				}
			}
		}
		var rel []model.Related
		if node != nil && node.isKey && node.value != nil {
			// the key is written in the template; its value may come from values
			rel = d.valueRelated(node)
		}
		return out, append(rel, conditionRelated(seg, o.vals)...)
	default:
		if node != nil {
			if vloc, ok := d.fromValues(node, bp, seg); ok {
				vloc.Path, vloc.Object, vloc.Synthetic, vloc.Anchored = loc.Path, loc.Object, loc.Synthetic, loc.Anchored
				rel := []model.Related{{Loc: actionLoc(seg, loc), Message: "written into the manifest by `" + trimAction(seg.text) + "`"}}
				return vloc, append(rel, conditionRelated(seg, o.vals)...)
			}
		}
		out := actionLoc(seg, loc)
		var rel []model.Related
		if node != nil {
			rel = d.refsRelated(seg, node)
		}
		return out, append(rel, conditionRelated(seg, o.vals)...)
	}
}

// fallback places a location no marker covers on the template's first line.
func (d *docOrigin) fallback(loc model.Location) model.Location {
	loc.File = d.out.file
	loc.Line, loc.Col, loc.EndLine, loc.EndCol = 1, 1, 1, 2
	return loc
}

// colOf is the 1-based column (code points) of a byte offset.
func (o *output) colOf(off int) int {
	i := sort.Search(len(o.lines), func(i int) bool { return o.lines[i] > off }) - 1
	if i < 0 {
		return 1
	}
	return utf8.RuneCount(o.text[o.lines[i]:off]) + 1
}

// actionLoc is the template place of an action, for what it wrote.
func actionLoc(seg *segment, loc model.Location) model.Location {
	loc.File, loc.Line, loc.Col = seg.file, seg.line, seg.col
	loc.EndLine, loc.EndCol = seg.line, seg.col+2
	if seg.endCol > seg.col {
		loc.EndCol = seg.endCol
	}
	return loc
}

func trimAction(s string) string {
	s = strings.TrimSpace(strings.TrimSuffix(strings.TrimPrefix(s, "{{"), "}}"))
	if len(s) > 80 {
		s = s[:77] + "..."
	}
	return s
}

// fromValues finds, for a key or value written by an action that emits a
// block of YAML (`toYaml .Values.securityContext | nindent 12`), the node of
// the values file it was copied from: the path below the deepest ancestor
// written by something else, looked up under each values path the action
// reads, and accepted when the values node holds what was rendered.
func (d *docOrigin) fromValues(node *renderedNode, bp breakpoint, seg *segment) (model.Location, bool) {
	// the deepest ancestor whose own key was written by another emission
	k := len(node.path) - 1
	for ; k > 0; k-- {
		anc := d.byPath[strings.Join(node.path[:k], "\x00")]
		if anc == nil {
			continue
		}
		off := d.out.offset(anc.line, anc.col)
		if abp, ok := d.out.at(off); ok && abp.emit != bp.emit {
			break
		}
	}
	rel := append([]string{}, node.path[k:]...)
	if i, ok := index(rel[0]); ok && k > 0 {
		// items of a list the action wrote after items the template wrote
		// (a sidecars list appended to the main container): count only
		// the items of this emission
		j := 0
		for n := 0; n < i; n++ {
			it := d.byPath[strings.Join(append(node.path[:k:k], "["+strconv.Itoa(n)+"]"), "\x00")]
			if it == nil {
				continue
			}
			if ibp, ok := d.out.at(d.out.offset(it.line, it.col)); ok && ibp.emit == bp.emit {
				j++
			}
		}
		rel[0] = "[" + strconv.Itoa(j) + "]"
	}
	for start := 0; start < len(rel); start++ {
		for _, ref := range seg.refs {
			p := append(append(valuePath{}, ref...), rel[start:]...)
			if vn, vf, ok := d.out.vals.find(seg.chart, p, node.value); ok {
				return valueLoc(vn, vf, node), true
			}
		}
	}
	// a helper that reads .Values itself (`include "app.securityContext" .`)
	// names no values path: take the one values node whose path ends with
	// the key above the block and the path below it, holding what was
	// rendered, when there is exactly one
	if k > 0 && !strings.HasPrefix(node.path[k-1], "[") {
		suffix := append([]string{node.path[k-1]}, rel...)
		if vn, vf, ok := d.out.vals.findSuffix(seg.chart, suffix, node.value); ok {
			return valueLoc(vn, vf, node), true
		}
	}
	return model.Location{}, false
}

// index reads a path element "[i]".
func index(el string) (int, bool) {
	if !strings.HasPrefix(el, "[") || !strings.HasSuffix(el, "]") {
		return 0, false
	}
	i, err := strconv.Atoi(el[1 : len(el)-1])
	return i, err == nil
}

// valueLoc is the location of a values node for a rendered key or value.
func valueLoc(vn valueNode, vf string, node *renderedNode) model.Location {
	target := vn.value
	if node.isKey && vn.key != nil {
		target = vn.key
	}
	if target == nil {
		target = vn.key
	}
	l := model.Location{File: vf, Line: target.Line, Col: target.Column, EndLine: target.Line, EndCol: target.Column + utf8.RuneCountInString(target.Value)}
	if target.Value == "" || target.Kind != yaml.ScalarNode {
		l.EndCol = target.Column + 1
	}
	if node.isKey && vn.key != nil && vn.value != nil && vn.value.Kind == yaml.ScalarNode && vn.value.Line == vn.key.Line && vn.value.Style&(yaml.LiteralStyle|yaml.FoldedStyle) == 0 && !strings.Contains(vn.value.Value, "\n") {
		l.EndCol = vn.value.Column + utf8.RuneCountInString(vn.value.Value)
	}
	return l
}

// valueRelated names the values line a template key's value came from
// (`hostNetwork: {{ .Values.hostNetwork }}`).
func (d *docOrigin) valueRelated(node *renderedNode) []model.Related {
	v := node.value
	bp, ok := d.out.at(d.out.offset(v.Line+d.shift, v.Column))
	if !ok {
		return nil
	}
	seg := d.out.segs.list[bp.seg]
	if seg.kind != segAction {
		return nil
	}
	return d.refsRelated(seg, node)
}

// refsRelated names the values lines an action that wrote a value reads.
func (d *docOrigin) refsRelated(seg *segment, node *renderedNode) []model.Related {
	var out []model.Related
	for _, strict := range []bool{true, false} {
		for _, ref := range seg.refs {
			want := node.value
			if !strict {
				if ref.wild() {
					continue
				}
				want = nil
			}
			vn, vf, ok := d.out.vals.find(seg.chart, ref, want)
			if !ok {
				continue
			}
			t := vn.key
			if t == nil {
				t = vn.value
			}
			out = append(out, model.Related{Loc: model.Location{File: vf, Line: t.Line, Col: t.Column, EndLine: t.Line, EndCol: t.Column + 1},
				Message: "value of `" + ref.String() + "` set here"})
		}
		if len(out) > 0 {
			break
		}
	}
	return out
}

// conditionRelated names the if/with/range blocks that switched a segment
// on, innermost first, with the values line each reads.
func conditionRelated(seg *segment, vals *valueSources) []model.Related {
	var out []model.Related
	for i := len(seg.conds) - 1; i >= 0 && len(out) < 6; i-- {
		c := seg.conds[i]
		out = append(out, model.Related{Loc: model.Location{File: c.file, Line: c.line, Col: c.col, EndLine: c.line, EndCol: c.col + 2},
			Message: "rendered because of `" + trimAction(c.text) + "`"})
		for _, ref := range c.refs {
			if vn, vf, ok := vals.find(seg.chart, ref, nil); ok {
				t := vn.key
				if t == nil {
					t = vn.value
				}
				out = append(out, model.Related{Loc: model.Location{File: vf, Line: t.Line, Col: t.Column, EndLine: t.Line, EndCol: t.Column + 1},
					Message: "`" + ref.String() + "` set here"})
				break
			}
		}
	}
	return out
}
