package reach

import (
	"bufio"
	"strings"
	"testing"
	"unicode/utf8"
)

// writeWrapped keeps every line within TextWidth runes, cuts a word longer
// than a line, counts runes (not bytes), and loses no text.
func TestWriteWrapped(t *testing.T) {
	long := strings.Repeat("é", 130) // 260 bytes, 130 runes
	for _, c := range []struct {
		name, text string
		loc        *Loc
	}{
		{"words", strings.Repeat("egress unrestricted through sg-0123 ", 12), nil},
		{"long word", "secret " + long + " mounted", nil},
		{"location fits", "short text", &Loc{File: "a/b.yaml", Line: 3, Col: 5}},
		{"location cut", strings.Repeat("word ", 19), &Loc{File: strings.Repeat("deep/", 30) + "x.yaml", Line: 1, Col: 1}},
	} {
		var sb strings.Builder
		w := bufio.NewWriter(&sb)
		writeWrapped(w, "│  └─ ", "│    ", c.text, c.loc)
		w.Flush()
		out := sb.String()
		if !strings.HasSuffix(out, "\n") {
			t.Errorf("%s: output does not end a line", c.name)
		}
		var words []string
		for _, l := range strings.Split(strings.TrimSuffix(out, "\n"), "\n") {
			if n := utf8.RuneCountInString(l); n > TextWidth {
				t.Errorf("%s: line of %d runes: %q", c.name, n, l)
			}
			words = append(words, strings.Fields(strings.NewReplacer("│", "", "└─", "", "at ", "").Replace(l))...)
		}
		got := strings.Join(words, "")
		want := strings.ReplaceAll(c.text, " ", "")
		if !strings.HasPrefix(got, want) {
			t.Errorf("%s: text lost or changed:\n got %q\nwant %q", c.name, got, want)
		}
	}
}
