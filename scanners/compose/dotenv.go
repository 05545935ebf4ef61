package compose

import (
	"sort"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/isolint/isolint/model"
)

// An env file (the project's .env, a service's env_file) as Compose reads
// it (compose-go's dotenv parser): `KEY=VALUE`, `KEY: VALUE`, an optional
// `export ` prefix, `#` comments, single-quoted values taken literally,
// double-quoted values with escapes and interpolation (both may span
// lines), unquoted values up to the line end or a ` #` comment, and a bare
// `KEY` taken from the caller's environment. Values are kept only to
// interpolate the compose file; they are never printed.

// envEntry is one variable an env file sets.
type envEntry struct {
	key     string
	value   string
	unknown bool // the value depends on an unresolved variable, or comes from the caller's environment
	line    int  // 1-based
	col     int
}

// envProblem is a line Compose would reject.
type envProblem struct {
	line int
	msg  string
}

// parseEnvFile reads an env file. Later assignments win, as in Compose;
// lookup resolves variables the file does not set itself (nil: none).
func parseEnvFile(content []byte, file string, lookup *environment) ([]envEntry, []envProblem) {
	p := envParser{src: string(content), file: file, own: &environment{vars: map[string]variable{}, parent: lookup}}
	p.src = strings.TrimPrefix(p.src, "\uFEFF")
	p.lineStarts = []int{0}
	for i := 0; i < len(p.src); i++ {
		if p.src[i] == '\n' {
			p.lineStarts = append(p.lineStarts, i+1)
		}
	}
	p.parse()
	return p.entries, p.problems
}

type envParser struct {
	src        string
	pos        int
	file       string
	lineStarts []int
	own        *environment // what the file has set so far, then lookup
	entries    []envEntry
	problems   []envProblem
}

func (p *envParser) line(off int) int {
	return sort.Search(len(p.lineStarts), func(i int) bool { return p.lineStarts[i] > off })
}

func (p *envParser) col(off int) int {
	return utf8.RuneCountInString(p.src[p.lineStarts[p.line(off)-1]:off]) + 1
}

// skipLine moves past the end of the current line.
func (p *envParser) skipLine() {
	if i := strings.IndexByte(p.src[p.pos:], '\n'); i >= 0 {
		p.pos += i + 1
	} else {
		p.pos = len(p.src)
	}
}

func (p *envParser) parse() {
	for {
		// the next statement: skip blank space and comments
		for p.pos < len(p.src) && unicode.IsSpace(rune(p.src[p.pos])) {
			p.pos++
		}
		if p.pos >= len(p.src) {
			return
		}
		if p.src[p.pos] == '#' {
			p.skipLine()
			continue
		}
		start := p.pos
		if rest := p.src[p.pos:]; strings.HasPrefix(rest, "export") && len(rest) > 6 && (rest[6] == ' ' || rest[6] == '\t') {
			p.pos += 6
			for p.pos < len(p.src) && isBlank(p.src[p.pos]) {
				p.pos++
			}
			start = p.pos
		}
		keyEnd, sep := -1, byte(0)
		bad := false
		for i := p.pos; i < len(p.src); i++ {
			c := p.src[i]
			if c == '=' || c == ':' || c == '\n' {
				keyEnd, sep = i, c
				break
			}
			if isBlank(c) || c == '_' || c == '.' || c == '-' || c == '[' || c == ']' || isNameChar(c) || c >= utf8.RuneSelf {
				continue
			}
			bad = true
			break
		}
		if keyEnd < 0 && !bad {
			keyEnd = len(p.src)
		}
		key := strings.TrimRight(p.src[start:max(keyEnd, start)], " \t\r")
		if bad || strings.ContainsAny(key, " \t") {
			p.problems = append(p.problems, envProblem{line: p.line(start), msg: "is not a KEY=VALUE line"})
			p.skipLine()
			continue
		}
		e := envEntry{key: key, line: p.line(start), col: p.col(start)}
		if sep != '=' && sep != ':' {
			// a bare KEY: the value comes from the caller's environment
			p.pos = keyEnd
			e.unknown = true
			p.add(e)
			continue
		}
		p.pos = keyEnd + 1
		for p.pos < len(p.src) && isBlank(p.src[p.pos]) {
			p.pos++
		}
		if !p.value(&e) {
			return
		}
		p.add(e)
	}
}

func (p *envParser) add(e envEntry) {
	p.entries = append(p.entries, e)
	p.own.vars[e.key] = variable{value: e.value, unknown: e.unknown, loc: p.loc(e)}
}

func (p *envParser) loc(e envEntry) model.Location {
	return model.Location{File: p.file, Line: e.line, Col: e.col, EndLine: e.line, EndCol: e.col + utf8.RuneCountInString(e.key), Path: e.key}
}

// value reads the value at p.pos into e; false when the file cannot be
// read further (an unterminated quote).
func (p *envParser) value(e *envEntry) bool {
	if p.pos >= len(p.src) || (p.src[p.pos] != '"' && p.src[p.pos] != '\'') {
		end := strings.IndexByte(p.src[p.pos:], '\n')
		if end < 0 {
			end = len(p.src) - p.pos
		}
		raw := p.src[p.pos : p.pos+end]
		p.pos += end
		if i := strings.Index(raw, " #"); i >= 0 {
			raw = raw[:i]
		}
		p.interpolate(e, strings.TrimRightFunc(raw, unicode.IsSpace))
		return true
	}
	q := p.src[p.pos]
	var b strings.Builder
	escaped := false
	for i := p.pos + 1; i < len(p.src); i++ {
		c := p.src[i]
		if c == q && !escaped {
			p.pos = i + 1
			if q == '\'' {
				e.value = b.String()
			} else {
				p.interpolate(e, unescape(b.String()))
			}
			return true
		}
		if c == '\\' && !escaped {
			escaped = true
			continue
		}
		if escaped && c != q {
			b.WriteByte('\\')
		}
		escaped = false
		b.WriteByte(c)
	}
	p.problems = append(p.problems, envProblem{line: e.line, msg: "has a quoted value that is never closed"})
	return false
}

// interpolate expands a value with what the file set before it, then the
// outer environment.
func (p *envParser) interpolate(e *envEntry, raw string) {
	x := p.own.expand(raw)
	e.value, e.unknown = x.value, x.unknown || x.invalid
}

// unescape applies the escapes Compose honours in double-quoted values.
func unescape(s string) string {
	if !strings.Contains(s, `\`) {
		return s
	}
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		if s[i] != '\\' || i+1 >= len(s) {
			b.WriteByte(s[i])
			continue
		}
		i++
		switch s[i] {
		case 'n':
			b.WriteByte('\n')
		case 't':
			b.WriteByte('\t')
		case 'r':
			b.WriteByte('\r')
		case '"', '\\':
			b.WriteByte(s[i])
		case '$':
			b.WriteString("$$") // a literal $, kept from interpolation
		default:
			b.WriteByte('\\')
			b.WriteByte(s[i])
		}
	}
	return b.String()
}

func isBlank(c byte) bool { return c == ' ' || c == '\t' || c == '\r' || c == '\v' || c == '\f' }
