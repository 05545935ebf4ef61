// Package jsonc parses JSON with comments (JSONC), as VS Code, the dev
// container CLI and the agent tools read their configuration: `//` and
// `/* */` comments and trailing commas in objects and arrays are allowed.
// Plain JSON (CloudFormation and CDK templates) is JSONC without them. The
// parser builds the same node tree the YAML layer builds, so that the dev
// and CloudFormation scanners read yamldoc.Value with its positions. It is
// written here rather than borrowed from yaml.v3 (JSON is YAML) because
// yaml.v3 rejects valid JSON: the `\/` escape, surrogate-pair `\u` escapes
// and keys longer than 1024 characters.
package jsonc

import (
	"bytes"
	"fmt"
	"strconv"
	"strings"
	"unicode/utf16"
	"unicode/utf8"

	"github.com/isolint/isolint/model"
	"github.com/isolint/isolint/scanners/yamldoc"
	yaml "go.yaml.in/yaml/v3"
)

// MaxDepth bounds the nesting of objects and arrays, so that hostile input
// cannot exhaust the stack.
const MaxDepth = 256

// SyntaxError is JSONC that does not parse. Its message names tokens, never
// text of the file.
type SyntaxError struct {
	Line, Col int
	Msg       string
}

func (e *SyntaxError) Error() string {
	return strconv.Itoa(e.Line) + ":" + strconv.Itoa(e.Col) + ": " + e.Msg
}

// Notice is the error notice for file, whose parse failed with err: at the
// syntax error's line and column when err is a SyntaxError (a TOML one too,
// which shares the type), else at the file's start. what says what the file
// is not ("not valid JSON").
func Notice(file, what string, err error) model.Notice {
	n := model.Notice{Level: model.NoticeError, Loc: model.Location{File: file, Line: 1, Col: 1}, Message: what + ": " + err.Error()}
	if se, ok := err.(*SyntaxError); ok {
		n.Loc.Line, n.Loc.Col, n.Message = se.Line, se.Col, what+": "+se.Msg
	}
	return n
}

var bom = []byte{0xEF, 0xBB, 0xBF}

// Parse parses a JSONC file into a document. A file holding only
// whitespace and comments returns a nil document and no error.
func Parse(file string, content []byte) (*yamldoc.Doc, error) {
	content = bytes.TrimPrefix(content, bom)
	p := &parser{src: content, line: 1, col: 1}
	if err := p.space(); err != nil {
		return nil, err
	}
	if p.pos >= len(p.src) {
		return nil, nil
	}
	root, err := p.value(0)
	if err != nil {
		return nil, err
	}
	if err := p.space(); err != nil {
		return nil, err
	}
	if p.pos < len(p.src) {
		return nil, p.errorf("unexpected %s after the top-level value", p.describe())
	}
	return &yamldoc.Doc{File: file, Raw: yamldoc.RawDoc{Line: 1, Bytes: content}, Root: root}, nil
}

// parser reads JSONC, tracking the line and the column (in code points) of
// its position.
type parser struct {
	src       []byte
	pos       int
	line, col int
}

func (p *parser) errorf(format string, args ...any) *SyntaxError {
	return &SyntaxError{Line: p.line, Col: p.col, Msg: fmt.Sprintf(format, args...)}
}

// advance moves past n bytes, keeping line and column.
func (p *parser) advance(n int) {
	end := min(p.pos+n, len(p.src))
	for ; p.pos < end; p.pos++ {
		c := p.src[p.pos]
		switch {
		case c == '\n':
			p.line++
			p.col = 1
		case c&0xC0 != 0x80: // not a UTF-8 continuation byte
			p.col++
		}
	}
}

// space skips whitespace and comments.
func (p *parser) space() error {
	for p.pos < len(p.src) {
		switch c := p.src[p.pos]; {
		case c == ' ' || c == '\t' || c == '\n' || c == '\r':
			p.advance(1)
		case c == '/' && p.pos+1 < len(p.src) && p.src[p.pos+1] == '/':
			n := bytes.IndexByte(p.src[p.pos:], '\n')
			if n < 0 {
				n = len(p.src) - p.pos
			}
			p.advance(n)
		case c == '/' && p.pos+1 < len(p.src) && p.src[p.pos+1] == '*':
			line, col := p.line, p.col
			n := bytes.Index(p.src[p.pos+2:], []byte("*/"))
			if n < 0 {
				return &SyntaxError{Line: line, Col: col, Msg: "comment is not closed (no */)"}
			}
			p.advance(n + 4)
		default:
			return nil
		}
	}
	return nil
}

// describe names the character at the position for messages: a
// punctuation token as itself, anything else by its kind, so that no text
// of the file is quoted.
func (p *parser) describe() string {
	if p.pos >= len(p.src) {
		return "end of file"
	}
	c := p.src[p.pos]
	switch {
	case strings.IndexByte("{}[],:\"'", c) >= 0:
		return "'" + string(c) + "'"
	case c >= '0' && c <= '9' || c == '-':
		return "number"
	case c < 0x20:
		return "control character"
	case c >= 0x80:
		return "non-ASCII character"
	}
	return "text"
}

func (p *parser) node(kind yaml.Kind, tag string) *yaml.Node {
	return &yaml.Node{Kind: kind, Tag: tag, Line: p.line, Column: p.col}
}

func (p *parser) value(depth int) (*yaml.Node, error) {
	if depth > MaxDepth {
		return nil, p.errorf("nesting is deeper than %d levels", MaxDepth)
	}
	if p.pos >= len(p.src) {
		return nil, p.errorf("unexpected end of file, expected a value")
	}
	switch c := p.src[p.pos]; {
	case c == '{':
		return p.object(depth)
	case c == '[':
		return p.array(depth)
	case c == '"':
		n := p.node(yaml.ScalarNode, "!!str")
		n.Style = yaml.DoubleQuotedStyle
		s, err := p.str()
		if err != nil {
			return nil, err
		}
		n.Value = s
		return n, nil
	case c == '-' || c >= '0' && c <= '9':
		return p.number()
	}
	for _, lit := range []struct{ text, tag string }{{"true", "!!bool"}, {"false", "!!bool"}, {"null", "!!null"}} {
		if bytes.HasPrefix(p.src[p.pos:], []byte(lit.text)) && !isWordByte(p.src, p.pos+len(lit.text)) {
			n := p.node(yaml.ScalarNode, lit.tag)
			n.Value = lit.text
			p.advance(len(lit.text))
			return n, nil
		}
	}
	return nil, p.errorf("unexpected %s, expected a value", p.describe())
}

func isWordByte(b []byte, i int) bool {
	if i >= len(b) {
		return false
	}
	c := b[i]
	return c == '_' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9'
}

func (p *parser) object(depth int) (*yaml.Node, error) {
	n := p.node(yaml.MappingNode, "!!map")
	n.Style = yaml.FlowStyle
	p.advance(1) // {
	err := p.members('}', func() error {
		if p.src[p.pos] != '"' {
			return p.errorf("unexpected %s, expected a quoted key or '}'", p.describe())
		}
		k := p.node(yaml.ScalarNode, "!!str")
		k.Style = yaml.DoubleQuotedStyle
		key, err := p.str()
		if err != nil {
			return err
		}
		k.Value = key
		if err := p.space(); err != nil {
			return err
		}
		if p.pos >= len(p.src) || p.src[p.pos] != ':' {
			return p.errorf("unexpected %s, expected ':' after a key", p.describe())
		}
		p.advance(1)
		if err := p.space(); err != nil {
			return err
		}
		v, err := p.value(depth + 1)
		if err != nil {
			return err
		}
		n.Content = append(n.Content, k, v)
		return nil
	})
	if err != nil {
		return nil, err
	}
	return n, nil
}

func (p *parser) array(depth int) (*yaml.Node, error) {
	n := p.node(yaml.SequenceNode, "!!seq")
	n.Style = yaml.FlowStyle
	p.advance(1) // [
	err := p.members(']', func() error {
		v, err := p.value(depth + 1)
		if err != nil {
			return err
		}
		n.Content = append(n.Content, v)
		return nil
	})
	if err != nil {
		return nil, err
	}
	return n, nil
}

// members reads the comma-separated members of an object or an array,
// from past its opening byte to past its closing one: each reads one
// member (a key and its value, or a value) at its first byte. A trailing
// comma before the closing byte is allowed.
func (p *parser) members(closing byte, each func() error) error {
	for {
		if err := p.space(); err != nil {
			return err
		}
		if p.pos >= len(p.src) {
			return p.errorf("unexpected end of file, expected '%c'", closing)
		}
		if p.src[p.pos] == closing {
			p.advance(1)
			return nil
		}
		if err := each(); err != nil {
			return err
		}
		if err := p.space(); err != nil {
			return err
		}
		if p.pos >= len(p.src) {
			return p.errorf("unexpected end of file, expected ',' or '%c'", closing)
		}
		switch p.src[p.pos] {
		case ',':
			p.advance(1)
		case closing:
		default:
			return p.errorf("unexpected %s, expected ',' or '%c'", p.describe(), closing)
		}
	}
}

// str reads a string at the position (its opening quote) and returns its
// value.
func (p *parser) str() (string, error) {
	line, col := p.line, p.col
	start := p.pos + 1
	// the common case: no escapes
	i := start
	for i < len(p.src) && p.src[i] != '"' && p.src[i] != '\\' && p.src[i] >= 0x20 {
		i++
	}
	if i < len(p.src) && p.src[i] == '"' {
		s := validUTF8(string(p.src[start:i]))
		p.advance(i + 1 - p.pos)
		return s, nil
	}
	var b strings.Builder
	b.Write(p.src[start:i])
	for {
		if i >= len(p.src) {
			return "", &SyntaxError{Line: line, Col: col, Msg: "string is not closed (no closing quote)"}
		}
		c := p.src[i]
		switch {
		case c == '"':
			p.advance(i + 1 - p.pos)
			return validUTF8(b.String()), nil
		case c == '\n' || c == '\r':
			return "", &SyntaxError{Line: line, Col: col, Msg: "string is not closed on its line"}
		case c < 0x20 && c != '\t':
			p.advance(i - p.pos)
			return "", p.errorf("control character in a string")
		case c == '\\':
			if i+1 >= len(p.src) {
				return "", &SyntaxError{Line: line, Col: col, Msg: "string is not closed (no closing quote)"}
			}
			e := p.src[i+1]
			switch e {
			case '"', '\\', '/':
				b.WriteByte(e)
			case 'b':
				b.WriteByte('\b')
			case 'f':
				b.WriteByte('\f')
			case 'n':
				b.WriteByte('\n')
			case 'r':
				b.WriteByte('\r')
			case 't':
				b.WriteByte('\t')
			case 'u':
				r, n, ok := unicodeEscape(p.src[i:])
				if !ok {
					p.advance(i - p.pos)
					return "", p.errorf("invalid \\u escape in a string")
				}
				b.WriteRune(r)
				i += n
				continue
			default:
				p.advance(i - p.pos)
				return "", p.errorf("invalid escape in a string")
			}
			i += 2
		default:
			b.WriteByte(c)
			i++
		}
	}
}

// validUTF8 replaces each byte of s that is not UTF-8 with U+FFFD, as
// JSON readers do.
func validUTF8(s string) string {
	if utf8.ValidString(s) {
		return s
	}
	var b strings.Builder
	for i := 0; i < len(s); {
		r, n := utf8.DecodeRuneInString(s[i:])
		b.WriteRune(r)
		i += n
	}
	return b.String()
}

// unicodeEscape reads `\uXXXX`, or a surrogate pair `\uD83D\uDE00`, at the
// start of b; it returns the rune and the bytes read. A lone surrogate
// reads as U+FFFD, as JavaScript's JSON.parse keeps it.
func unicodeEscape(b []byte) (rune, int, bool) {
	hex := func(s []byte) (rune, bool) {
		if len(s) < 4 {
			return 0, false
		}
		v, err := strconv.ParseUint(string(s[:4]), 16, 32)
		return rune(v), err == nil
	}
	r1, ok := hex(b[2:])
	if !ok {
		return 0, 0, false
	}
	if utf16.IsSurrogate(r1) && len(b) >= 12 && b[6] == '\\' && b[7] == 'u' {
		if r2, ok := hex(b[8:]); ok {
			if r := utf16.DecodeRune(r1, r2); r != utf8.RuneError {
				return r, 12, true
			}
		}
	}
	if utf16.IsSurrogate(r1) {
		return utf8.RuneError, 6, true
	}
	return r1, 6, true
}

// number reads a JSON number.
func (p *parser) number() (*yaml.Node, error) {
	n := p.node(yaml.ScalarNode, "!!int")
	i := p.pos
	if p.src[i] == '-' {
		i++
	}
	digits := func() int {
		j := i
		for i < len(p.src) && p.src[i] >= '0' && p.src[i] <= '9' {
			i++
		}
		return i - j
	}
	if digits() == 0 {
		p.advance(i - p.pos)
		return nil, p.errorf("invalid number")
	}
	if i < len(p.src) && p.src[i] == '.' {
		i++
		n.Tag = "!!float"
		if digits() == 0 {
			p.advance(i - p.pos)
			return nil, p.errorf("invalid number")
		}
	}
	if i < len(p.src) && (p.src[i] == 'e' || p.src[i] == 'E') {
		i++
		n.Tag = "!!float"
		if i < len(p.src) && (p.src[i] == '+' || p.src[i] == '-') {
			i++
		}
		if digits() == 0 {
			p.advance(i - p.pos)
			return nil, p.errorf("invalid number")
		}
	}
	if isWordByte(p.src, i) {
		p.advance(i - p.pos)
		return nil, p.errorf("invalid number")
	}
	n.Value = string(p.src[p.pos:i])
	p.advance(i - p.pos)
	return n, nil
}
