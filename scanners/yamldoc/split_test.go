package yamldoc

import "testing"

// A lone "\r" ends a line for the YAML parser (old Mac line ends), so the
// splitter and the sniffers must end lines there too: otherwise the sniffed
// kind of "kind: 0\r#c" is "0\r#c" where the parser reads "0", and a
// document after "#c\r" looks like a comment and is dropped.
func TestLoneCarriageReturnEndsALine(t *testing.T) {
	for _, c := range []struct {
		src      string
		kind     string // sniffed and parsed; "" when the sniffer declines
		docs     int
		lastLine int // the line the last document starts on, counting "\n" as directives and fixes do
	}{
		{"kind: 0\r#000000", "0", 1, 1},
		{"kind: Pod\r\napiVersion: v1\r\n", "Pod", 1, 1},
		{"# only a comment\rkind: Pod\r", "Pod", 1, 1},
		{"kind: Pod\r---\rkind: Secret\r", "Secret", 2, 1},
		{"kind: Pod\r\n---\r\nkind: Secret\r\n", "Secret", 2, 2},
		{"kind: Pod\n...\rkind: Secret\n", "Secret", 2, 2},
		{"a: 1\rkind: Job\rb: 2\r", "Job", 1, 1},
		{"kind:\r  Job\r", "", 1, 1},
	} {
		docs := Split([]byte(c.src))
		if len(docs) != c.docs {
			t.Errorf("%q: %d documents, want %d", c.src, len(docs), c.docs)
			continue
		}
		last := docs[len(docs)-1]
		if last.Line != c.lastLine {
			t.Errorf("%q: last document on line %d, want %d", c.src, last.Line, c.lastLine)
		}
		v, ok := TopLevelScalar(last.Bytes, "kind")
		if c.kind == "" {
			if ok {
				t.Errorf("%q: sniffed %q, want the sniffer to decline", c.src, v)
			}
			continue
		}
		if !ok || v != c.kind {
			t.Errorf("%q: sniffed %q (%v), want %q", c.src, v, ok, c.kind)
		}
		if !HasTopLevelKey(last.Bytes, "kind") {
			t.Errorf("%q: kind not found at the top level", c.src)
		}
		doc, err := Parse("f.yaml", last)
		if err != nil {
			t.Fatalf("%q: %v", c.src, err)
		}
		if s, _ := doc.Value().Get("kind").Str(); s != c.kind {
			t.Errorf("%q: parser reads kind %q, want %q", c.src, s, c.kind)
		}
	}
}
