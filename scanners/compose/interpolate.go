package compose

import (
	"strings"

	"github.com/isolint/isolint/model"
)

// Interpolation as Compose does it before reading any value
// (https://docs.docker.com/reference/compose-file/interpolation/):
//
//	$$              a literal $
//	$VAR, ${VAR}    the variable's value
//	${VAR:-def}     def when VAR is unset or empty     ${VAR-def}  def when VAR is unset
//	${VAR:?err}     an error when VAR is unset or empty ${VAR?err}  an error when VAR is unset
//	${VAR:+alt}     alt when VAR is set and not empty   ${VAR+alt}  alt when VAR is set
//
// Defaults and alternatives are themselves interpolated. Variable names are
// [_A-Za-z][_A-Za-z0-9]*; a `$` followed by anything else is kept as is,
// and `${` not followed by a name and a closing brace is an invalid template
// that Compose rejects.
//
// Values come from the .env file beside the compose file only: the shell
// environment of whoever runs `docker compose` cannot be known offline, so a
// variable .env does not set is unresolved and the value that depends on it
// is unknown. A default written in the file is taken as the value, as it is
// what Compose uses when the variable is unset.

// variable is one variable known to the scan, from a .env file.
type variable struct {
	value   string
	unknown bool           // the .env value itself depends on an unresolved variable
	loc     model.Location // the .env line that sets it
}

// environment maps variable names to what .env sets; parent, when set, is
// asked for names this one lacks.
type environment struct {
	vars   map[string]variable
	parent *environment
}

func (e *environment) lookup(name string) (variable, bool) {
	for ; e != nil; e = e.parent {
		if v, ok := e.vars[name]; ok {
			return v, true
		}
	}
	return variable{}, false
}

// expansion is the result of interpolating one string.
type expansion struct {
	value string
	// unknown: the value depends on a variable that is not resolved here.
	unknown bool
	// invalid: the string is not a valid template (Compose rejects it).
	invalid bool
	// only names the variable when the whole string is one reference to it
	// (`${DB_PASSWORD}`, `$TOKEN`, `${KEY:-x}`).
	only string
	// via are the .env lines of the variables used.
	via []model.Related
}

// maxExpandDepth bounds nested defaults (${A:-${B:-${C}}}).
const maxExpandDepth = 16

// expand interpolates s.
func (e *environment) expand(s string) expansion {
	var x expansion
	if strings.IndexByte(s, '$') < 0 {
		x.value = s
		return x
	}
	x.value = e.substitute(s, &x, 0)
	if name, ok := singleReference(s); ok {
		x.only = name
	}
	return x
}

func (e *environment) substitute(s string, x *expansion, depth int) string {
	if depth > maxExpandDepth {
		x.invalid = true
		return ""
	}
	var b strings.Builder
	for i := 0; i < len(s); {
		c := s[i]
		if c != '$' || i+1 >= len(s) {
			b.WriteByte(c)
			i++
			continue
		}
		switch n := s[i+1]; {
		case n == '$':
			b.WriteByte('$')
			i += 2
		case n == '{':
			end := closingBrace(s, i+1)
			if end < 0 {
				x.invalid = true
				return b.String()
			}
			b.WriteString(e.braced(s[i+2:end], x, depth))
			i = end + 1
		case isNameStart(n):
			j := i + 1
			for j < len(s) && isNameChar(s[j]) {
				j++
			}
			b.WriteString(e.resolve(s[i+1:j], x))
			i = j
		default:
			b.WriteByte(c)
			i++
		}
	}
	return b.String()
}

// braced interpolates the inside of ${…}.
func (e *environment) braced(in string, x *expansion, depth int) string {
	j := 0
	for j < len(in) && (j > 0 && isNameChar(in[j]) || j == 0 && isNameStart(in[j])) {
		j++
	}
	name, rest := in[:j], in[j:]
	if name == "" {
		x.invalid = true
		return ""
	}
	if rest == "" {
		return e.resolve(name, x)
	}
	colon := strings.HasPrefix(rest, ":")
	op := rest
	if colon {
		op = rest[1:]
	}
	if op == "" || !strings.ContainsRune("-?+", rune(op[0])) {
		x.invalid = true
		return ""
	}
	arg := op[1:]
	v, set := e.lookup(name)
	// "set" for the :-forms means set and not empty
	usable := set && (!colon || v.value != "" || v.unknown)
	switch op[0] {
	case '-':
		if set && (!colon || v.value != "") {
			return e.use(name, v, x)
		}
		if set && v.unknown {
			x.unknown = true
			return ""
		}
		return e.substitute(arg, x, depth+1)
	case '?':
		if usable {
			return e.use(name, v, x)
		}
		// Compose stops with an error unless the environment sets it
		x.unknown = true
		return ""
	default: // '+'
		switch {
		case !set:
			return ""
		case colon && v.unknown:
			x.unknown = true
			return ""
		case !colon || v.value != "":
			x.via = append(x.via, setAt(name, v))
			return e.substitute(arg, x, depth+1)
		}
		return ""
	}
}

// resolve looks a plain reference up.
func (e *environment) resolve(name string, x *expansion) string {
	v, ok := e.lookup(name)
	if !ok {
		x.unknown = true
		return ""
	}
	return e.use(name, v, x)
}

func (e *environment) use(name string, v variable, x *expansion) string {
	if v.unknown {
		x.unknown = true
	}
	x.via = append(x.via, setAt(name, v))
	return v.value
}

func setAt(name string, v variable) model.Related {
	return model.Related{Loc: v.loc, Message: name + " is set in .env"}
}

// closingBrace returns the index of the brace that closes the one at
// s[open], counting nested braces, or -1.
func closingBrace(s string, open int) int {
	depth := 0
	for i := open; i < len(s); i++ {
		switch s[i] {
		case '{':
			depth++
		case '}':
			depth--
			if depth == 0 {
				return i
			}
		}
	}
	return -1
}

// singleReference reports whether s is exactly one variable reference and
// names the variable.
func singleReference(s string) (string, bool) {
	if len(s) < 2 || s[0] != '$' {
		return "", false
	}
	if s[1] == '{' {
		if closingBrace(s, 1) != len(s)-1 {
			return "", false
		}
		in := s[2 : len(s)-1]
		j := 0
		for j < len(in) && (j > 0 && isNameChar(in[j]) || j == 0 && isNameStart(in[j])) {
			j++
		}
		if j == 0 {
			return "", false
		}
		if rest := strings.TrimPrefix(in[j:], ":"); rest != "" && !strings.ContainsRune("-?", rune(rest[0])) {
			return "", false // ${X:+alt} is alt, not X
		}
		return in[:j], true
	}
	for i := 1; i < len(s); i++ {
		if i == 1 && !isNameStart(s[i]) || !isNameChar(s[i]) {
			return "", false
		}
	}
	return s[1:], true
}

func isNameStart(c byte) bool {
	return c == '_' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z'
}

func isNameChar(c byte) bool {
	return isNameStart(c) || c >= '0' && c <= '9'
}
