package jsonc

import (
	"encoding/json"
	"fmt"
	"math"
	"reflect"
	"strconv"
	"strings"
	"testing"

	yaml "go.yaml.in/yaml/v3"
)

// TestParseJSONCMatchesYAML: on JSON that yaml.v3 reads, the parser builds
// the same tree with the same positions (line, and column in code points).
func TestParseJSONCMatchesYAML(t *testing.T) {
	for _, src := range []string{
		`{"a": 1, "b": [true, false, null], "c": {"d": "e"}}`,
		"{\n\t\"name\": \"dév\",\n\t\"list\": [\n\t\t\"x\",\n\t\t{\"k\": -1.5e3}\n\t]\n}",
		"[\n  \"é\", \"日本\", {\"ü\": \"\\u00e9\\n\"}\n]",
		`{"a":1,"b":{"c":"d"},"e":[]}`,
		"{\r\n  \"crlf\": \"yes\"\r\n}",
	} {
		var want yaml.Node
		if err := yaml.Unmarshal([]byte(src), &want); err != nil {
			t.Fatalf("yaml.v3: %v", err)
		}
		doc, err := Parse("f.json", []byte(src))
		if err != nil {
			t.Fatalf("%q: %v", src, err)
		}
		if diff := compareNodes(want.Content[0], doc.Root, ""); diff != "" {
			t.Errorf("%q: %s", src, diff)
		}
	}
}

func compareNodes(want, got *yaml.Node, path string) string {
	if want.Kind != got.Kind {
		return fmt.Sprintf("%s: kind %v, want %v", path, got.Kind, want.Kind)
	}
	if want.Line != got.Line || want.Column != got.Column {
		return fmt.Sprintf("%s: at %d:%d, want %d:%d", path, got.Line, got.Column, want.Line, want.Column)
	}
	if want.Kind == yaml.ScalarNode && (want.Value != got.Value || want.Tag != got.Tag) {
		return fmt.Sprintf("%s: %s %q, want %s %q", path, got.Tag, got.Value, want.Tag, want.Value)
	}
	if len(want.Content) != len(got.Content) {
		return fmt.Sprintf("%s: %d children, want %d", path, len(got.Content), len(want.Content))
	}
	for i := range want.Content {
		if d := compareNodes(want.Content[i], got.Content[i], path+"/"+strconv.Itoa(i)); d != "" {
			return d
		}
	}
	return ""
}

// TestParseJSONCExtensions: comments and trailing commas are read as VS
// Code reads them, without moving any position; the JSON that yaml.v3
// rejects (\/, surrogate pairs, long keys) is read.
func TestParseJSONCExtensions(t *testing.T) {
	src := "// leading comment\n{\n  /* block\n     comment */ \"a\": [1, 2,], // trailing\n  \"b\": \"x\\/y\\ud83d\\ude00\\u00e9\",\n  \"" + strings.Repeat("k", 1100) + "\": 1,\n}\n"
	doc, err := Parse("f.json", []byte(src))
	if err != nil {
		t.Fatal(err)
	}
	root := doc.Value()
	a := root.Get("a")
	if l := a.Loc(); l.Line != 4 || l.Col != 17 {
		t.Errorf("a at %d:%d, want 4:17", l.Line, l.Col)
	}
	if n := len(a.Items()); n != 2 {
		t.Errorf("a has %d items, want 2", n)
	}
	if s := root.Get("b").Text(); s != "x/y😀é" {
		t.Errorf("b = %q", s)
	}
	if l := root.Get("b").Loc(); l.Line != 5 || l.Col != 3 || l.EndCol != 32 {
		t.Errorf("b at %d:%d-%d, want 5:3-32", l.Line, l.Col, l.EndCol)
	}
	if !root.Get(strings.Repeat("k", 1100)).Exists() {
		t.Error("the long key was not read")
	}
}

// TestParseJSONCErrors: each error names its line and column and quotes
// nothing of the file.
func TestParseJSONCErrors(t *testing.T) {
	for _, c := range []struct {
		src       string
		line, col int
		msg       string
	}{
		{`{"a": 1 "b": 2}`, 1, 9, "expected ',' or '}'"},
		{"{\n  \"a\": tru\n}", 2, 8, "expected a value"},
		{"{\n  \"a\": \"open\n}", 2, 8, "not closed"},
		{"{\"a\": 1} /* open", 1, 10, "comment is not closed"},
		{`{"a": "\q"}`, 1, 8, "invalid escape"},
		{`{"a": 01x}`, 1, 9, "invalid number"},
		{`{"a": [1, 2}`, 1, 12, "expected ',' or ']'"},
		{`{a: 1}`, 1, 2, "expected a quoted key"},
		{`{"a": 1}}`, 1, 9, "after the top-level value"},
		{`{"a": "PLANTEDsecret`, 1, 7, "not closed"},
		{`{"a": PLANTEDsecret}`, 1, 7, "unexpected text"},
		{strings.Repeat("[", 300), 1, 258, "nesting is deeper"},
		{`{"a":`, 1, 6, "unexpected end of file"},
	} {
		_, err := Parse("f.json", []byte(c.src))
		se, ok := err.(*SyntaxError)
		if !ok {
			t.Errorf("%q: error %v, want a SyntaxError", c.src, err)
			continue
		}
		if se.Line != c.line || se.Col != c.col || !strings.Contains(se.Msg, c.msg) {
			t.Errorf("%q: %d:%d %s, want %d:%d …%s…", c.src, se.Line, se.Col, se.Msg, c.line, c.col, c.msg)
		}
		if strings.Contains(se.Msg, "PLANTED") {
			t.Errorf("%q: message quotes the file: %s", c.src, se.Msg)
		}
	}
}

func TestParseJSONCEmpty(t *testing.T) {
	for _, src := range []string{"", "  \n", "// only a comment\n", "\xEF\xBB\xBF/* c */"} {
		doc, err := Parse("f.json", []byte(src))
		if doc != nil || err != nil {
			t.Errorf("%q: doc %v, err %v; want neither", src, doc, err)
		}
	}
}

// toAny converts a parsed tree to what encoding/json decodes.
func toAny(n *yaml.Node) any {
	switch n.Kind {
	case yaml.MappingNode:
		m := map[string]any{}
		for i := 0; i+1 < len(n.Content); i += 2 {
			m[n.Content[i].Value] = toAny(n.Content[i+1])
		}
		return m
	case yaml.SequenceNode:
		out := []any{}
		for _, c := range n.Content {
			out = append(out, toAny(c))
		}
		return out
	}
	switch n.Tag {
	case "!!null":
		return nil
	case "!!bool":
		return n.Value == "true"
	case "!!int", "!!float":
		f, _ := strconv.ParseFloat(n.Value, 64)
		return f
	}
	return n.Value
}

// FuzzParseJSONC: no input panics; standard JSON is accepted and read to
// the values encoding/json reads.
func FuzzParseJSONC(f *testing.F) {
	for _, s := range []string{
		`{"a": [1, "b", {"c": null}], "d": true}`,
		"// c\n{\"a\": 1, /* x */ \"b\": [2,],}",
		`"\ud83d\ude00\/"`,
		`[-0.5e-3, 1E+2, 0]`,
		`{"a": "\u0000"}`,
		"{\"\xff\": \"\xfe\"}",
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		doc, err := Parse("f.json", b)
		if err != nil {
			if _, ok := err.(*SyntaxError); !ok {
				t.Fatalf("error of type %T", err)
			}
		}
		var want any
		if json.Unmarshal(b, &want) != nil {
			return
		}
		if err != nil {
			t.Fatalf("valid JSON rejected: %v", err)
		}
		if doc == nil {
			t.Fatal("valid JSON read as empty")
		}
		got := toAny(doc.Root)
		if !equalJSON(got, want) {
			t.Fatalf("read %#v, encoding/json reads %#v", got, want)
		}
	})
}

// equalJSON compares decoded values, numbers by value (a number too large
// for float64 is infinite for one and an error for the other).
func equalJSON(a, b any) bool {
	if fa, ok := a.(float64); ok {
		fb, ok := b.(float64)
		return ok && (fa == fb || math.IsInf(fa, 0))
	}
	return reflect.DeepEqual(a, b) || deepMixed(a, b)
}

func deepMixed(a, b any) bool {
	switch x := a.(type) {
	case map[string]any:
		y, ok := b.(map[string]any)
		if !ok || len(x) != len(y) {
			return false
		}
		for k, v := range x {
			if !equalJSON(v, y[k]) {
				return false
			}
		}
		return true
	case []any:
		y, ok := b.([]any)
		if !ok || len(x) != len(y) {
			return false
		}
		for i := range x {
			if !equalJSON(x[i], y[i]) {
				return false
			}
		}
		return true
	}
	return false
}
