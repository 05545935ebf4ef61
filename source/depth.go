package source

import (
	"bytes"
	"strconv"
)

// The HCL, JSON and TOML parsers isolint uses descend one Go call (often
// several) per level of nesting, and a Go stack overflow is a fatal error
// that no recover catches: `x = [[[[…` 100,000 deep in a .tfvars file
// killed the whole scan. CheckNesting measures the nesting of a file's
// bytes in one linear pass before any parser sees them, so that a file
// nested deeper than any real configuration is refused with a notice and
// the scan goes on.
//
// The measure errs on the side of depth: every bracket, quoted string,
// heredoc and template interpolation the parser could descend into counts
// as a level, and a closing bracket only closes the kind of bracket that
// is open, so no text can hide nesting from it.

// MaxNesting is the deepest nesting isolint parses. Real Terraform, JSON
// and TOML files stay below 30; the parsers need a few kilobytes of stack
// per level, so this bounds a file's stack to a few megabytes.
const MaxNesting = 500

// Syntax selects the lexical rules CheckNesting applies.
type Syntax int

const (
	// HCL is HCL native syntax (.tf, .tfvars): comments, quoted templates
	// with ${…} and %{…}, heredocs.
	HCL Syntax = iota
	// HCLTemplate is a bare HCL template (templatefile): text whose only
	// nesting is in ${…} and %{…}.
	HCLTemplate
	// JSON is JSON, including HCL's JSON syntax (.tf.json), whose strings
	// are templates: ${…} inside a string counts.
	JSON
	// TOML is TOML: # comments, four kinds of strings, arrays, inline
	// tables and table headers.
	TOML
	// Go is Go source: go/parser allows 100,000 levels, which cost a
	// 200 KB file 8 s and 240 MB before type checking walks them again.
	Go
)

// NestingError reports nesting deeper than the limit, at the line where
// the limit was crossed.
type NestingError struct {
	Line, Col int
	Limit     int
}

func (e *NestingError) Error() string {
	return "nesting is deeper than " + strconv.Itoa(e.Limit) + " levels; the file was not parsed"
}

// CheckNesting returns a *NestingError when b nests deeper than limit
// (limit <= 0: MaxNesting), else nil.
func CheckNesting(b []byte, syn Syntax, limit int) error {
	if limit <= 0 {
		limit = MaxNesting
	}
	var off int
	switch syn {
	case JSON:
		off = jsonDepth(b, limit)
	case TOML:
		off = tomlDepth(b, limit)
	case Go:
		off = goDepth(b, limit)
	case HCLTemplate:
		off = hclDepth(b, true, 0, limit, nil)
	default:
		off = hclDepth(b, false, 0, limit, nil)
	}
	if off < 0 {
		return nil
	}
	line := 1 + bytes.Count(b[:off], []byte{'\n'})
	col := off - (bytes.LastIndexByte(b[:off], '\n') + 1) + 1
	return &NestingError{Line: line, Col: col, Limit: limit}
}

// lexer modes of the HCL scan
const (
	modeBracket  = iota // inside ( [ {, in expression syntax
	modeInterp          // inside ${ or %{, in expression syntax
	modeString          // inside a quoted template
	modeHeredoc         // inside a heredoc template
	modeTemplate        // the whole input is a template (the bottom of the stack)
)

type frame struct {
	mode  int
	open  byte   // the bracket that opened a modeBracket frame
	delim []byte // a heredoc's closing marker
}

// hclDepth returns the offset at which the nesting of b, starting at base
// levels, goes past limit, or -1. scratch, when set, lends its storage to
// the stack (jsonDepth calls it once per template string).
func hclDepth(b []byte, template bool, base, limit int, scratch *[]frame) int {
	var stack []frame
	if scratch != nil {
		stack = (*scratch)[:0]
		defer func() { *scratch = stack[:0] }()
	}
	if template {
		stack = append(stack, frame{mode: modeTemplate})
		base-- // the bottom frame is the input itself
	}
	push := func(f frame) bool {
		stack = append(stack, f)
		return base+len(stack) > limit
	}
	top := func() int {
		if len(stack) == 0 {
			return -1
		}
		return stack[len(stack)-1].mode
	}
	lineStart := true
	for i := 0; i < len(b); i++ {
		c := b[i]
		atLineStart := lineStart
		lineStart = c == '\n'
		switch top() {
		case modeString, modeHeredoc, modeTemplate:
			m := top()
			if m == modeHeredoc && atLineStart {
				f := stack[len(stack)-1]
				j := i
				for j < len(b) && (b[j] == ' ' || b[j] == '\t') {
					j++
				}
				if bytes.HasPrefix(b[j:], f.delim) {
					k := j + len(f.delim)
					if k == len(b) || b[k] == '\n' || b[k] == '\r' {
						stack = stack[:len(stack)-1]
						i = k - 1
						continue
					}
				}
			}
			switch {
			case c == '\\' && m == modeString:
				i++ // an escape; \n in the source ends nothing
			case c == '"' && m == modeString:
				stack = stack[:len(stack)-1]
			case c == '\n' && m == modeString:
				stack = stack[:len(stack)-1] // quoted strings end at the line
				lineStart = true
			case (c == '$' || c == '%') && i+1 < len(b) && b[i+1] == c && i+2 < len(b) && b[i+2] == '{':
				i += 2 // $${ and %%{ are literal
			case (c == '$' || c == '%') && i+1 < len(b) && b[i+1] == '{':
				i++
				if push(frame{mode: modeInterp}) {
					return i
				}
			}
			continue
		}
		// expression syntax
		switch c {
		case '#':
			i = skipLine(b, i)
			lineStart = true
		case '/':
			if i+1 < len(b) && b[i+1] == '/' {
				i = skipLine(b, i)
				lineStart = true
			} else if i+1 < len(b) && b[i+1] == '*' {
				end := bytes.Index(b[i+2:], []byte("*/"))
				if end < 0 {
					return -1 // the rest is a comment
				}
				i += 2 + end + 1
			}
		case '"':
			if push(frame{mode: modeString}) {
				return i
			}
		case '<':
			if d, n := heredocStart(b[i:]); n > 0 {
				if push(frame{mode: modeHeredoc, delim: d}) {
					return i
				}
				i += n - 1
				lineStart = true
			}
		case '(', '[', '{':
			if push(frame{mode: modeBracket, open: c}) {
				return i
			}
		case ')', ']', '}':
			if len(stack) == 0 {
				continue
			}
			f := stack[len(stack)-1]
			if f.mode == modeInterp && c == '}' || f.mode == modeBracket && f.open == opening(c) {
				stack = stack[:len(stack)-1]
			}
			// any other closer closes nothing: it cannot hide depth
		}
	}
	return -1
}

func opening(c byte) byte {
	switch c {
	case ')':
		return '('
	case ']':
		return '['
	}
	return '{'
}

// skipLine returns the offset of the newline ending the line at i (or the
// last offset).
func skipLine(b []byte, i int) int {
	if n := bytes.IndexByte(b[i:], '\n'); n >= 0 {
		return i + n
	}
	return len(b) - 1
}

// heredocStart recognises `<<EOT` or `<<-EOT` followed by a line end at the
// start of b; it returns the marker and the bytes up to and including the
// newline.
func heredocStart(b []byte) ([]byte, int) {
	if len(b) < 3 || b[0] != '<' || b[1] != '<' {
		return nil, 0
	}
	i := 2
	if b[i] == '-' {
		i++
	}
	start := i
	for i < len(b) && (b[i] == '_' || b[i] == '-' || b[i] >= 'a' && b[i] <= 'z' || b[i] >= 'A' && b[i] <= 'Z' || b[i] >= '0' && b[i] <= '9' && i > start) {
		i++
	}
	if i == start {
		return nil, 0
	}
	d := b[start:i]
	if i < len(b) && b[i] == '\r' {
		i++
	}
	if i >= len(b) || b[i] != '\n' {
		return nil, 0
	}
	return d, i + 1
}

// jsonDepth is hclDepth for JSON. A string is a level, and a string that
// holds a template interpolation is scanned, unescaped, as a template one
// level down: HCL's JSON syntax evaluates `"${…}"` strings as templates.
func jsonDepth(b []byte, limit int) int {
	var stack []byte
	var unescaped []byte
	var frames []frame
	for i := 0; i < len(b); i++ {
		switch c := b[i]; c {
		case '{', '[':
			stack = append(stack, c)
			if len(stack) > limit {
				return i
			}
		case '}', ']':
			if n := len(stack); n > 0 && stack[n-1] == opening(c) {
				stack = stack[:n-1]
			}
		case '"':
			if len(stack)+1 > limit {
				return i
			}
			start := i
			end, interp := stringEnd(b, i)
			if interp {
				unescaped = unescapeJSON(unescaped[:0], b[start+1:end])
				if hclDepth(unescaped, true, len(stack)+1, limit, &frames) >= 0 {
					return start
				}
			}
			i = end
		}
	}
	return -1
}

// stringEnd returns the offset of the quote closing the JSON string that
// opens at b[i] (or the last offset) and whether the string holds "${" or
// "%{".
func stringEnd(b []byte, i int) (end int, interp bool) {
	for j := i + 1; j < len(b); j++ {
		switch b[j] {
		case '\\':
			j++
		case '"':
			return j, interp
		case '{':
			if b[j-1] == '$' || b[j-1] == '%' {
				interp = true
			}
		}
	}
	return len(b) - 1, interp
}

// unescapeJSON appends s with its escapes undone as far as the template
// scan needs: \" is a quote, \\ a backslash, \n a newline; any other
// escape is kept as it is.
func unescapeJSON(dst, s []byte) []byte {
	for i := 0; i < len(s); i++ {
		if s[i] == '\\' && i+1 < len(s) {
			i++
			switch s[i] {
			case 'n':
				dst = append(dst, '\n')
			case '"', '\\':
				dst = append(dst, s[i])
			default:
				dst = append(dst, '\\', s[i])
			}
			continue
		}
		dst = append(dst, s[i])
	}
	return dst
}

// tomlDepth is hclDepth for TOML: # comments; "…" and '…' strings on one
// line; """…""" and ”'…”' strings over lines; [ and { nest.
func tomlDepth(b []byte, limit int) int {
	var stack []byte
	for i := 0; i < len(b); i++ {
		switch c := b[i]; c {
		case '#':
			i = skipLine(b, i)
		case '"', '\'':
			if bytes.HasPrefix(b[i:], []byte{c, c, c}) {
				j := i + 3
				for ; j < len(b) && !bytes.HasPrefix(b[j:], []byte{c, c, c}); j++ {
					if c == '"' && b[j] == '\\' {
						j++
					}
				}
				i = j + 2
				continue
			}
			for i++; i < len(b) && b[i] != c && b[i] != '\n'; i++ {
				if c == '"' && b[i] == '\\' {
					i++
				}
			}
		case '[', '{':
			stack = append(stack, c)
			if len(stack) > limit {
				return i
			}
		case ']', '}':
			if n := len(stack); n > 0 && stack[n-1] == opening(c) {
				stack = stack[:n-1]
			}
		}
	}
	return -1
}

// goDepth is hclDepth for Go: // and /* */ comments; "…" strings and '…'
// runes with escapes; `…` raw strings; ( [ { nest.
func goDepth(b []byte, limit int) int {
	var stack []byte
	for i := 0; i < len(b); i++ {
		switch c := b[i]; c {
		case '/':
			if i+1 < len(b) && b[i+1] == '/' {
				i = skipLine(b, i)
			} else if i+1 < len(b) && b[i+1] == '*' {
				end := bytes.Index(b[i+2:], []byte("*/"))
				if end < 0 {
					return -1
				}
				i += 2 + end + 1
			}
		case '"', '\'':
			for i++; i < len(b) && b[i] != c && b[i] != '\n'; i++ {
				if b[i] == '\\' {
					i++
				}
			}
		case '`':
			end := bytes.IndexByte(b[i+1:], '`')
			if end < 0 {
				return -1
			}
			i += 1 + end
		case '(', '[', '{':
			stack = append(stack, c)
			if len(stack) > limit {
				return i
			}
		case ')', ']', '}':
			if n := len(stack); n > 0 && stack[n-1] == opening(c) {
				stack = stack[:n-1]
			}
		}
	}
	return -1
}
