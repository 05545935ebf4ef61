// Package safetext makes text taken from scanned files safe to print on a
// line of a human-facing stream (text output, stderr notices, GitHub
// workflow-command messages).
//
// A file name, a workload name or a YAML value is chosen by whoever wrote
// the scanned files, which for a CI gate on pull requests is anyone. A
// newline in it would start a line of its choosing: on a GitHub Actions
// runner, a line starting with "::" is a workflow command
// ("::add-mask::", "::error file=…::", "::stop-commands::"), and a
// terminal executes escape sequences. Each writer passes such text through
// Line (or Path) once, where it writes it.
package safetext

import (
	"regexp"
	"strconv"
	"strings"
	"unicode/utf8"
)

// Line returns s with every character that could end the line, move the
// cursor, reach a terminal as a control sequence or reorder the text
// escaped Go-style: \n, \r, \x1b, \u2028, \u202e, and \xff for a byte
// that is not UTF-8. Tabs and printable text, non-ASCII letters included,
// are kept. Text that needs no escaping is returned as is.
func Line(s string) string {
	i := 0
	for i < len(s) {
		r, size := utf8.DecodeRuneInString(s[i:])
		if unsafeRune(r, size) {
			break
		}
		i += size
	}
	if i == len(s) {
		return s
	}
	var b strings.Builder
	b.Grow(len(s) + 8)
	b.WriteString(s[:i])
	for i < len(s) {
		r, size := utf8.DecodeRuneInString(s[i:])
		switch {
		case r == utf8.RuneError && size == 1:
			b.WriteString(`\x`)
			b.WriteString(hex2(s[i]))
		case r == '\n':
			b.WriteString(`\n`)
		case r == '\r':
			b.WriteString(`\r`)
		case unsafeRune(r, size) && r < 0x80:
			b.WriteString(`\x`)
			b.WriteString(hex2(byte(r)))
		case unsafeRune(r, size):
			q := strconv.QuoteRuneToASCII(r) // '\u202e'
			b.WriteString(q[1 : len(q)-1])
		default:
			b.WriteString(s[i : i+size])
		}
		i += size
	}
	return b.String()
}

// Path is Line for a file path that begins an output line: a path that
// would begin the line with ':' (a file named "::error title=x::a.yaml")
// is written as "./:…", the same file.
func Path(p string) string {
	p = Line(p)
	if strings.HasPrefix(p, ":") {
		return "./" + p
	}
	return p
}

func hex2(c byte) string {
	const digits = "0123456789abcdef"
	return string([]byte{digits[c>>4], digits[c&0xf]})
}

// unsafeRune reports the characters Line escapes: C0 controls but the tab,
// DEL, C1 controls (U+0085 is a line end to some readers), the Unicode
// line and paragraph separators, bidirectional controls (which make a
// terminal show text in another order than it is), and bytes that are not
// UTF-8.
func unsafeRune(r rune, size int) bool {
	switch {
	case r == utf8.RuneError && size == 1:
		return true
	case r < 0x20:
		return r != '\t'
	case r == 0x7f:
		return true
	case r >= 0x80 && r <= 0x9f:
		return true
	case r == 0x2028 || r == 0x2029:
		return true
	case r >= 0x202a && r <= 0x202e, r >= 0x2066 && r <= 0x2069, r == 0x200e || r == 0x200f, r == 0x061c:
		return true
	}
	return false
}

// RedactURL drops what in a URL may hold a credential, for a notice that
// names a remote file isolint did not fetch: the user information
// (https://user:token@host/…, user:token@host/…, everything up to the last
// "@" before the query and fragment, since a token may hold an unencoded
// "/"), the value of every query
// and fragment parameter but those that name a version (?ref=v1,
// ?version=, as Kustomize and Git URLs use them), since tokens travel as
// ?private_token=… and #access_token=… too, and a bare query or fragment
// part other than a short anchor (#L12). Scheme-less forms (Kustomize's
// github.com/org/repo//path?ref=v1) are redacted alike; git's
// git@host:path keeps its usual account name. report.StripCredentials,
// for the repository URL a report records, keeps a parsed URL and drops
// its query whole; a notice only needs the URL recognisable.
func RedactURL(s string) string {
	scheme := 0
	if i := strings.Index(s, "://"); i >= 0 {
		scheme = i + 3
	}
	// the user information ends before the query and fragment: an "@" in
	// them (?email=ci@corp.com&private_token=…) is a parameter's, and
	// cutting there would keep the parameters after it whole
	head := len(s)
	if i := strings.IndexAny(s[scheme:], "?#"); i >= 0 {
		head = scheme + i
	}
	if at := strings.LastIndexByte(s[:head], '@'); at >= scheme && !(scheme == 0 && at == 3 && strings.HasPrefix(s, "git@")) {
		s = s[:scheme] + "…" + s[at:]
	}
	cut := strings.IndexAny(s, "?#")
	if cut < 0 {
		return s
	}
	out := s[:cut]
	for rest := s[cut:]; rest != ""; {
		sep := rest[0]
		part := rest[1:]
		next := len(part)
		if sep == '?' {
			next = strings.IndexByte(part, '#')
			if next < 0 {
				next = len(part)
			}
		}
		out += string(sep) + redactParams(part[:next])
		rest = part[next:]
	}
	return out
}

// redactParams redacts a query or fragment: "&"-separated parameters.
func redactParams(query string) string {
	params := strings.Split(query, "&")
	for j, p := range params {
		k, _, ok := strings.Cut(p, "=")
		switch {
		case ok && !keptParams[strings.ToLower(k)]:
			params[j] = k + "=…"
		case !ok && !anchor.MatchString(p):
			params[j] = "…"
		}
	}
	return strings.Join(params, "&")
}

// anchor is a bare fragment or query part RedactURL shows: a short name
// such as a line anchor (#L12), too short to be a token.
var anchor = regexp.MustCompile(`^[A-Za-z0-9_.-]{0,12}$`)

// keptParams are the query parameters RedactURL shows: versions and fetch
// options, never credentials.
var keptParams = map[string]bool{"ref": true, "version": true, "timeout": true, "submodules": true, "depth": true}
