package output

import (
	"bytes"
	"encoding/json"
)

// indentEncoder encodes values as json.Encoder does with SetIndent(prefix,
// indent) and SetEscapeHTML(false), byte for byte, but indents with a
// punctuation scan instead of encoding/json's validating state machine:
// re-indenting was three quarters of the JSON writer's time and half of
// the SARIF skeleton's. encoding/json's compact output (Marshaler output
// included, which it compacts) is valid JSON with no whitespace outside
// strings, so only strings need to be skipped over.
type indentEncoder struct {
	prefix, indent string
	compact        bytes.Buffer
	enc            *json.Encoder
	out            []byte
}

func newIndentEncoder(prefix, indent string) *indentEncoder {
	e := &indentEncoder{prefix: prefix, indent: indent}
	e.enc = json.NewEncoder(&e.compact)
	e.enc.SetEscapeHTML(false)
	return e
}

// encode returns v's indented encoding without json.Encoder's trailing
// newline. The result is valid until the next call.
func (e *indentEncoder) encode(v any) ([]byte, error) {
	e.compact.Reset()
	if err := e.enc.Encode(v); err != nil {
		return nil, err
	}
	src := bytes.TrimSuffix(e.compact.Bytes(), []byte("\n"))
	e.out = appendIndented(e.out[:0], src, e.prefix, e.indent)
	return e.out, nil
}

// appendIndented appends src, compact JSON as encoding/json writes it, to
// dst laid out as json.Indent(dst, src, prefix, indent) does.
func appendIndented(dst, src []byte, prefix, indent string) []byte {
	depth := 0
	needIndent := false // after { or [: indent unless the value is empty
	for i := 0; i < len(src); i++ {
		c := src[i]
		if needIndent && c != '}' && c != ']' {
			needIndent = false
			depth++
			dst = appendNewline(dst, prefix, indent, depth)
		}
		switch c {
		case '"':
			end := stringEnd(src, i)
			dst = append(dst, src[i:end]...)
			i = end - 1
		case '{', '[':
			needIndent = true
			dst = append(dst, c)
		case ',':
			dst = append(dst, c)
			dst = appendNewline(dst, prefix, indent, depth)
		case ':':
			dst = append(dst, c, ' ')
		case '}', ']':
			if needIndent {
				needIndent = false
			} else {
				depth--
				dst = appendNewline(dst, prefix, indent, depth)
			}
			dst = append(dst, c)
		default:
			dst = append(dst, c)
		}
	}
	return dst
}

// stringEnd returns the offset just past the string that opens at
// src[start] (len(src) if it does not close).
func stringEnd(src []byte, start int) int {
	for i := start + 1; i < len(src); {
		q := bytes.IndexByte(src[i:], '"')
		if q < 0 {
			return len(src)
		}
		i += q
		// escaped when preceded by an odd number of backslashes
		n := 0
		for j := i - 1; j > start && src[j] == '\\'; j-- {
			n++
		}
		if n%2 == 0 {
			return i + 1
		}
		i++
	}
	return len(src)
}

func appendNewline(dst []byte, prefix, indent string, depth int) []byte {
	dst = append(dst, '\n')
	dst = append(dst, prefix...)
	for range depth {
		dst = append(dst, indent...)
	}
	return dst
}
