package compose

import (
	"strings"

	"github.com/isolint/isolint/model"
)

// command reads the container's command line: entrypoint, then command,
// each a list or a string Compose splits as a shell would. Every argument
// keeps the location of its list item (of the string, for the string
// form); one that interpolates a variable is unknown. A higher layer's
// entrypoint or command replaces its base's.
func (p *project) command(sv *service) []model.String {
	var out []model.String
	for _, key := range []string{"entrypoint", "command"} {
		f := sv.get(key)
		switch {
		case !f.Exists() || f.IsNull():
		case f.IsSeq():
			for _, it := range f.Items() {
				if it.IsScalar() && !it.IsNull() {
					out = append(out, p.part(field{it, f.l}, it.Text()))
				}
			}
		case f.IsScalar():
			words, ok := shellSplit(f.Text())
			if !ok {
				continue // an unclosed quote: Compose rejects it, nothing to judge
			}
			for _, w := range words {
				out = append(out, p.part(f, w))
			}
		default:
			p.doc.Notice(f.Value, model.NoticeWarning, "%s must be a string or a list, got %s; docker compose would reject it", f.Path(), f.KindName())
		}
	}
	return out
}

// shellSplit splits a command string into words as a POSIX shell does
// without expanding anything: blanks separate words, single quotes keep
// everything, double quotes keep all but \" \\ \$ \`, and a backslash
// escapes the next character. ok is false for an unclosed quote.
func shellSplit(s string) (words []string, ok bool) {
	var b strings.Builder
	inWord := false
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case c == ' ' || c == '\t' || c == '\n' || c == '\r':
			if inWord {
				words = append(words, b.String())
				b.Reset()
				inWord = false
			}
		case c == '\\' && i+1 < len(s):
			i++
			b.WriteByte(s[i])
			inWord = true
		case c == '\'':
			j := strings.IndexByte(s[i+1:], '\'')
			if j < 0 {
				return nil, false
			}
			b.WriteString(s[i+1 : i+1+j])
			i += j + 1
			inWord = true
		case c == '"':
			i++
			for ; i < len(s) && s[i] != '"'; i++ {
				if s[i] == '\\' && i+1 < len(s) && strings.IndexByte("\"\\$`", s[i+1]) >= 0 {
					i++
				}
				b.WriteByte(s[i])
			}
			if i >= len(s) {
				return nil, false
			}
			inWord = true
		default:
			b.WriteByte(c)
			inWord = true
		}
	}
	if inWord {
		words = append(words, b.String())
	}
	return words, true
}
