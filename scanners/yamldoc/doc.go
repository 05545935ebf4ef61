package yamldoc

import (
	"bytes"
	"errors"
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/isolint/isolint/model"
	yaml "go.yaml.in/yaml/v3"
)

// Doc is one parsed YAML document with what is needed to locate its nodes
// in the file and to report problems with it.
type Doc struct {
	File    string
	Raw     RawDoc
	Root    *yaml.Node // the document's content node (not the DocumentNode)
	Notices []model.Notice
	// Origin, when set, maps positions in rendered text (a Helm chart's
	// output, a built Kustomize overlay) to the line a user edits. Every
	// location a Value hands out passes through it, so lowering and rules
	// never learn that the text was rendered.
	Origin Origin

	lineStarts []int               // byte offsets of line starts in Raw.Bytes, built on demand
	runeMarks  map[int][]int       // per line: see colOffset
	reported   map[*yaml.Node]bool // nodes already noticed, so each problem is said once
	paths      []pathNode          // the slab Value paths are allocated from
}

// Origin maps a location in rendered text to its source. Locate returns
// the location to report (a template line, a values line, a base or patch
// line) and the places that explain the value (the values line that set
// it, the `if` that switched the block on). A location it cannot map is
// returned as it came, with no related places.
type Origin interface {
	Locate(rendered model.Location) (model.Location, []model.Related)
}

// locate passes loc through the document's origin, if any.
func (d *Doc) locate(loc model.Location) (model.Location, []model.Related) {
	if d == nil || d.Origin == nil {
		return loc, nil
	}
	return d.Origin.Locate(loc)
}

// Parse parses one document. A syntax error is returned with the file and
// the line in the file; the caller turns it into a notice.
func Parse(file string, raw RawDoc) (*Doc, error) {
	var n yaml.Node
	// Unmarshal reads from the byte slice directly; a Decoder would copy
	// it through an io.Reader buffer first.
	if err := yaml.Unmarshal(raw.Bytes, &n); err != nil {
		return nil, &SyntaxError{File: file, Line: raw.Line - 1 + errLine(err), Msg: errMessage(err)}
	}
	if n.Kind == 0 {
		return nil, &SyntaxError{File: file, Line: raw.Line, Msg: "unexpected end of document"}
	}
	d := &Doc{File: file, Raw: raw, Root: &n}
	if n.Kind == yaml.DocumentNode && len(n.Content) > 0 {
		d.Root = n.Content[0]
	}
	return d, nil
}

// SyntaxError is a document that does not parse as YAML.
type SyntaxError struct {
	File string
	Line int // 0 when unknown
	Msg  string
}

func (e *SyntaxError) Error() string {
	if e.Line > 0 {
		return fmt.Sprintf("%s:%d: %s", e.File, e.Line, e.Msg)
	}
	return e.File + ": " + e.Msg
}

var lineRe = regexp.MustCompile(`^(?:yaml: )?line (\d+): `)

// errLine extracts the 1-based line of a yaml.v3 error, or 0.
func errLine(err error) int {
	var te *yaml.TypeError
	if errors.As(err, &te) {
		return 0
	}
	m := lineRe.FindStringSubmatch(err.Error())
	if m == nil {
		return 0
	}
	n, _ := strconv.Atoi(m[1])
	return n
}

// yaml.v3 errors that quote text from the input: anchor names, which may
// be anything, a credential included.
var (
	unknownAnchorRe = regexp.MustCompile(`unknown anchor '.*' referenced`)
	selfAnchorRe    = regexp.MustCompile(`anchor '.*' value contains itself`)
)

// errMessage strips yaml.v3's "yaml: line N: " prefix and withholds the
// anchor names some errors quote; every other yaml.v3 syntax error names
// only tokens (such as ',' or '}').
func errMessage(err error) string {
	s := err.Error()
	if m := lineRe.FindStringIndex(s); m != nil {
		s = s[m[1]:]
	}
	s = strings.TrimPrefix(s, "yaml: ")
	if s == "EOF" {
		return "unexpected end of document"
	}
	s = unknownAnchorRe.ReplaceAllString(s, "an alias refers to an anchor not defined before it")
	return selfAnchorRe.ReplaceAllString(s, "an anchor's value contains an alias to itself")
}

// Value returns the document's root as a Value.
func (d *Doc) Value() Value {
	return Value{doc: d, node: resolve(d.Root)}
}

// Notice records a problem at a value's position. Each node is reported once.
func (d *Doc) Notice(v Value, level model.NoticeLevel, format string, args ...any) {
	if d.reported == nil {
		d.reported = map[*yaml.Node]bool{}
	}
	n := v.key
	if n == nil {
		n = v.node
	}
	if n != nil {
		if d.reported[n] {
			return
		}
		d.reported[n] = true
	}
	loc := v.Loc()
	if loc.File == "" {
		loc.File = d.File
	}
	d.Notices = append(d.Notices, model.Notice{Level: level, Loc: loc, Message: fmt.Sprintf(format, args...)})
}

// position converts a node's position to file coordinates.
func (d *Doc) position(n *yaml.Node) (line, col int) {
	return d.Raw.Line - 1 + n.Line, n.Column
}

// line returns the text of the document's 1-based line l.
func (d *Doc) line(l int) []byte {
	if d.lineStarts == nil {
		d.lineStarts = append(d.lineStarts, 0)
		for i, c := range d.Raw.Bytes {
			if c == '\n' {
				d.lineStarts = append(d.lineStarts, i+1)
			}
		}
	}
	if l < 1 || l > len(d.lineStarts) {
		return nil
	}
	start := d.lineStarts[l-1]
	end := len(d.Raw.Bytes)
	if l < len(d.lineStarts) {
		end = d.lineStarts[l] - 1
	}
	return bytes.TrimRight(d.Raw.Bytes[start:end], "\r")
}

// scalarEnd returns the file line and exclusive end column of a scalar node
// that sits on one line; ok is false for block and multi-line scalars.
func (d *Doc) scalarEnd(n *yaml.Node) (line, col int, ok bool) {
	if n.Kind != yaml.ScalarNode || n.Style&(yaml.LiteralStyle|yaml.FoldedStyle) != 0 {
		return 0, 0, false
	}
	line, col = d.position(n)
	if n.Style&(yaml.DoubleQuotedStyle|yaml.SingleQuotedStyle) == 0 {
		// a plain scalar's text is its value
		if strings.Contains(n.Value, "\n") || n.Value == "" {
			return 0, 0, false
		}
		return line, col + utf8.RuneCountInString(n.Value), true
	}
	// columns count code points; find the node's byte offset on its line
	text := d.line(n.Line)
	off := d.colOffset(n.Line, text, n.Column)
	if off >= len(text) {
		return 0, 0, false
	}
	q := byte('"')
	if n.Style&yaml.SingleQuotedStyle != 0 {
		q = '\''
	}
	size := quotedLen(text[off:], q)
	if size <= 0 {
		return 0, 0, false
	}
	return line, col + utf8.RuneCount(text[off:off+size]), true
}

// markEvery is the spacing, in code points, of the byte offsets colOffset
// keeps for a line that is not ASCII.
const markEvery = 64

// colOffset returns the byte offset in text, the document's line l, of the
// 1-based code-point column col (len(text) past its end). Walking the line
// from its start for each value made a minified JSON file, one line of
// thousands of values, quadratic (a 589 KB pod.json took 109 s): an ASCII
// line maps columns to offsets directly, and any other line keeps the
// offset of every 64th code point, computed once.
func (d *Doc) colOffset(l int, text []byte, col int) int {
	if col <= 1 {
		return 0
	}
	if d.runeMarks == nil {
		d.runeMarks = map[int][]int{}
	}
	marks, ok := d.runeMarks[l]
	if !ok {
		marks = lineMarks(text)
		d.runeMarks[l] = marks
	}
	if marks == nil { // ASCII
		return min(col-1, len(text))
	}
	k := min((col-1)/markEvery, len(marks)-1)
	off, c := marks[k], k*markEvery+1
	for off < len(text) && c < col {
		_, size := utf8.DecodeRune(text[off:])
		off += size
		c++
	}
	return off
}

// lineMarks returns nil for an ASCII line, else the byte offsets of code
// points 0, 64, 128, … of the line.
func lineMarks(text []byte) []int {
	ascii := true
	for _, c := range text {
		if c >= utf8.RuneSelf {
			ascii = false
			break
		}
	}
	if ascii {
		return nil
	}
	marks := []int{0}
	for off, n := 0, 0; off < len(text); n++ {
		if n > 0 && n%markEvery == 0 {
			marks = append(marks, off)
		}
		_, size := utf8.DecodeRune(text[off:])
		off += size
	}
	return marks
}

// quotedLen is the byte length of a quoted scalar starting at b[0], or -1
// when it does not close on this line.
func quotedLen(b []byte, q byte) int {
	for i := 1; i < len(b); i++ {
		switch {
		case q == '"' && b[i] == '\\':
			i++
		case b[i] == q:
			if q == '\'' && i+1 < len(b) && b[i+1] == '\'' {
				i++
				continue
			}
			return i + 1
		}
	}
	return -1
}

// ParseNotice turns an error from Parse into an error notice at the line
// the parser names (else the document's first line). The message is
// syntaxPrefix followed by the parser's message for a syntax error, or
// readPrefix followed by the error otherwise; neither quotes input text.
func ParseNotice(file string, raw RawDoc, err error, syntaxPrefix, readPrefix string) model.Notice {
	n := model.Notice{Level: model.NoticeError, Loc: model.Location{File: file, Line: raw.Line, Col: 1}}
	var se *SyntaxError
	if errors.As(err, &se) {
		if se.Line > 0 {
			n.Loc.Line = se.Line
		}
		n.Message = syntaxPrefix + se.Msg
	} else {
		n.Message = readPrefix + err.Error()
	}
	return n
}
