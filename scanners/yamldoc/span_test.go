package yamldoc

import "testing"

func TestSpan(t *testing.T) {
	src := "a: x\nrun: |\n  echo one\n  docker run --privileged img\nopts: --network host\nq: \"--pid host\"\nesc: \"a\\tb --x\"\nfold: >\n  one\n  two\n"
	raws := Split([]byte(src))
	doc, err := Parse("f.yml", raws[0])
	if err != nil {
		t.Fatal(err)
	}
	root := doc.Value()
	for _, c := range []struct {
		key       string
		sub       string
		line, col int
		ok        bool
	}{
		{"run", "--privileged", 4, 14, true},
		{"run", "echo", 3, 3, true},
		{"opts", "host", 5, 17, true},
		{"q", "host", 6, 11, true},
		{"esc", "--x", 0, 0, false},
		{"fold", "two", 0, 0, false},
	} {
		v := root.Get(c.key)
		s, _ := v.Str()
		off := indexOf(s, c.sub)
		loc, ok := v.Span(off, len(c.sub))
		if ok != c.ok {
			t.Errorf("%s %q: ok = %v", c.key, c.sub, ok)
			continue
		}
		if ok && (loc.Line != c.line || loc.Col != c.col || loc.EndCol != c.col+len(c.sub)) {
			t.Errorf("%s %q: at %d:%d-%d, want %d:%d", c.key, c.sub, loc.Line, loc.Col, loc.EndCol, c.line, c.col)
		}
	}
}

func indexOf(s, sub string) int {
	for i := 0; i+len(sub) <= len(s); i++ {
		if s[i:i+len(sub)] == sub {
			return i
		}
	}
	return -1
}

func TestHasTopLevelKey(t *testing.T) {
	doc := []byte("name: x\non:\n  push:\njobs: {}\n  nested: 1\nonly-prefix: 2\n")
	for key, want := range map[string]bool{"on": true, "jobs": true, "nested": false, "only": false, "name": true} {
		if got := HasTopLevelKey(doc, key); got != want {
			t.Errorf("%s: %v", key, got)
		}
	}
}

// Nested merge keys naming the same anchors many times must not make Get
// or Pairs exponential.
func TestMergeFanOut(t *testing.T) {
	var b []byte
	b = append(b, "a0: &a0 {x: 1}\n"...)
	for i := 1; i <= 12; i++ {
		p := "a" + itoa(i-1)
		b = append(b, ("a" + itoa(i) + ": &a" + itoa(i) + " {<<: [*" + p + ", *" + p + ", *" + p + "], y" + itoa(i) + ": 1}\n")...)
	}
	b = append(b, "top: {<<: *a12}\n"...)
	doc, err := Parse("f.yml", Split(b)[0])
	if err != nil {
		t.Fatal(err)
	}
	top := doc.Value().Get("top")
	if top.Get("x").Text() != "1" || top.Get("missing").Exists() {
		t.Error("merged key not found")
	}
	if n := len(top.Pairs()); n != 13 {
		t.Errorf("%d pairs, want 13", n)
	}
}

func itoa(i int) string {
	if i < 10 {
		return string(rune('0' + i))
	}
	return itoa(i/10) + string(rune('0'+i%10))
}
