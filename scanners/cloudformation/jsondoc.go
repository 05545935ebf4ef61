package cloudformation

import (
	"bytes"
	"strings"

	"github.com/isolint/isolint/model"
	"github.com/isolint/isolint/scanners/jsonc"
	"github.com/isolint/isolint/scanners/yamldoc"
	yaml "go.yaml.in/yaml/v3"
)

// jsonDoc reads a property of JSON type written as a string: CloudFormation
// takes a policy document (`PolicyDocument`, `AssumeRolePolicyDocument`)
// either as a mapping or as the text of a JSON object, often a YAML block
// scalar (`PolicyDocument: |`) or a `!Sub` of one. A string that evaluates
// to a JSON object is parsed and read as the mapping it spells; anything
// else (a mapping, a call that yields no known text, text that is not a
// JSON object) is returned as it came. Unknown parts of a partly known
// string stay unknown inside the values they fall in, and one outside a
// JSON string leaves the text unparsable and so the document unknown.
func (t *template) jsonDoc(doc node) node {
	r := doc.resolve()
	if r.unknown || !r.v.Exists() || r.v.IsMap() || r.v.IsSeq() {
		return doc
	}
	x := doc.eval()
	if x.isList || x.noValue || !strings.HasPrefix(strings.TrimSpace(x.s), "{") {
		return doc
	}
	text := strings.ReplaceAll(x.s, unknownPart, `\u0000`)
	d, err := jsonc.Parse(t.file, []byte(text))
	if err != nil || d == nil {
		return doc
	}
	d.Origin = t.stringOrigin(doc, r.v, x.s)
	prop := doc.written()
	root := d.Value().WithPath(prop.Path())
	if loc := prop.Loc(); loc.Object != "" {
		root = root.WithObject(loc.Object)
	}
	return node{t: t, v: root, at: yamldoc.Value{}, via: append(r.via, x.via...)}
}

// stringOrigin maps locations in the text of a JSON string back to the
// template: line for line into a literal block scalar written as is
// (`PolicyDocument: |`), else onto the property's key.
func (t *template) stringOrigin(doc node, v yamldoc.Value, text string) yamldoc.Origin {
	o := stringOrigin{file: t.file, at: doc.KeyLoc()}
	n := v.Node()
	if n == nil || n.Kind != yaml.ScalarNode || n.Style&yaml.LiteralStyle == 0 || t.doc == nil || v.Doc() != t.doc ||
		strings.Count(n.Value, "\n") != strings.Count(text, "\n") {
		return o
	}
	// a `!Sub` changes the text only inside lines: a line whose text
	// changed keeps its line, and its columns start at the line's indent
	raw, got := strings.Split(n.Value, "\n"), strings.Split(text, "\n")
	o.changed = map[int]bool{}
	for i := range raw {
		if raw[i] != got[i] {
			o.changed[i+1] = true
		}
	}
	first := t.doc.Raw.Line - 1 + n.Line + 1 // the block's text starts below its `|`
	lines := bytes.Split(t.doc.Raw.Bytes, []byte("\n"))
	for i := n.Line; i < len(lines); i++ { // lines[n.Line] is the line below the indicator
		l := bytes.TrimRight(lines[i], "\r")
		if len(bytes.TrimSpace(l)) == 0 {
			continue
		}
		o.block, o.first, o.indent = true, first, len(l)-len(bytes.TrimLeft(l, " "))
		break
	}
	return o
}

type stringOrigin struct {
	file  string
	at    model.Location // the property's key
	block bool           // a literal block scalar: lines map one to one
	first int            // the file line of the block's first line
	// indent is the block's indentation, added to columns.
	indent int
	// changed holds the lines (of the text) a substitution changed, whose
	// columns are not the file's.
	changed map[int]bool
}

func (o stringOrigin) Locate(l model.Location) (model.Location, []model.Related) {
	if !o.block {
		at := o.at
		at.Path, at.Anchored = l.Path, l.Anchored
		if at.Object == "" {
			at.Object = l.Object
		}
		return at, nil
	}
	l.File = o.file
	if o.changed[l.Line] || o.changed[l.EndLine] {
		l.Col, l.EndLine, l.EndCol = 1, l.Line, 2
	}
	l.Line += o.first - 1
	l.Col += o.indent
	if l.EndLine > 0 {
		l.EndLine += o.first - 1
		l.EndCol += o.indent
	}
	return l, nil
}
