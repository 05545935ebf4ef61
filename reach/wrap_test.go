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

// The text view escapes a unit and a location taken from input: in the
// head, and in a location that fits after its text or is cut onto lines
// of its own.
func TestTextEscapesUnitsAndLocations(t *testing.T) {
	evil := "ov\x1b[2J\n::error::x\u202e"
	r := &Result{Workloads: []*Workload{{
		ID: "Deployment/app/app", Format: "k8s", Unit: evil + "/", Tier: High,
		Loc:     &Loc{File: evil + "/app.yaml", Line: 1, Col: 1},
		Host:    []Item{{Tier: Low, What: "socket", Loc: &Loc{File: evil + ".yaml", Line: 4, Col: 5}}},
		Network: []Item{{Tier: Medium, What: "egress", Loc: &Loc{File: strings.Repeat("deep/", 30) + evil + ".yaml", Line: 2, Col: 3}}},
	}}}
	var sb strings.Builder
	if err := Text(&sb, r); err != nil {
		t.Fatal(err)
	}
	out := sb.String()
	if strings.ContainsAny(out, "\x1b\u202e") || strings.Contains(out, "\n::error") {
		t.Errorf("raw control characters in the text view:\n%q", out)
	}
	if !strings.Contains(out, ` in ov\x1b[2J\n::error::x\u202e/ [k8s]`) {
		t.Errorf("the head does not name the escaped unit:\n%s", out)
	}
	if !strings.Contains(strings.ReplaceAll(out, "\n", ""), `ov\x1b[2J\n::error::x\u202e/app.yaml:1:1`) {
		t.Errorf("the head's location is not escaped:\n%s", out)
	}
	if !strings.Contains(out, `socket  ov\x1b[2J\n::error::x\u202e.yaml:4:5`) {
		t.Errorf("a location after its text is not escaped:\n%s", out)
	}
}
