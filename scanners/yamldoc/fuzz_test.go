package yamldoc

import (
	"bytes"
	_ "github.com/isolint/isolint/internal/golden" // accepts -update, so `go test ./... -update` runs everywhere
	"os"
	"path/filepath"
	"testing"
)

// seeds are the fixtures and hostile inputs of the repository.
func seeds(f *testing.F) {
	for _, glob := range []string{"../../testdata/*/*.yaml", "../../testdata/hostile/*", "../../examples/*/*/*.yaml"} {
		files, _ := filepath.Glob(glob)
		for _, p := range files {
			if b, err := os.ReadFile(p); err == nil && len(b) < 64<<10 {
				f.Add(b)
			}
		}
	}
	f.Add([]byte("--- !tag\na: 1\n...\n%YAML 1.2\n---\nkind: Pod\n"))
	f.Add([]byte("\xef\xbb\xbfkind: 'Pod' # c\r\napiVersion: \"v1\"\r\n"))
}

// yamlBreaks writes every line break as "\n": YAML ends a line at "\n",
// "\r\n" or a lone "\r", and the parser counts lines so (Split counts
// "\n" alone, which is never more).
func yamlBreaks(b []byte) []byte {
	return bytes.ReplaceAll(bytes.ReplaceAll(b, []byte("\r\n"), []byte("\n")), []byte("\r"), []byte("\n"))
}

// FuzzSplit: documents are in order, lie inside the input, start on the
// line they claim, and Split never loses non-comment content lines.
func FuzzSplit(f *testing.F) {
	seeds(f)
	f.Fuzz(func(t *testing.T, b []byte) {
		docs := Split(b)
		content := bytes.TrimPrefix(b, bom)
		prevEnd, prevLine := 0, 0
		for i, d := range docs {
			if d.Index != i {
				t.Fatalf("doc %d has index %d", i, d.Index)
			}
			off := bytes.Index(content[prevEnd:], d.Bytes)
			if off < 0 || len(d.Bytes) == 0 {
				t.Fatalf("doc %d is not a non-empty part of the input after the previous one", i)
			}
			start := prevEnd + off
			if line := 1 + bytes.Count(content[:start], []byte("\n")); line != d.Line && len(d.Bytes) > 0 {
				// the slice found may be an earlier identical run of bytes;
				// check the claimed line holds the document's first line (at
				// its end: a document may begin after a lone "\r")
				lines := bytes.Split(content, []byte("\n"))
				first, _, _ := bytes.Cut(d.Bytes, []byte("\n"))
				if d.Line < 1 || d.Line > len(lines) || !bytes.HasSuffix(lines[d.Line-1], first) {
					t.Fatalf("doc %d claims line %d", i, d.Line)
				}
			}
			if d.Line < prevLine {
				t.Fatalf("doc %d starts on line %d, before doc %d", i, d.Line, i-1)
			}
			prevEnd, prevLine = start+len(d.Bytes), d.Line
		}
	})
}

// FuzzTopLevelScalar: when the sniffer finds a top-level key, the parser
// reads the same value there. The k8s scanner skips documents by the
// sniffed kind, so a disagreement would hide a workload.
func FuzzTopLevelScalar(f *testing.F) {
	seeds(f)
	f.Fuzz(func(t *testing.T, b []byte) {
		for _, raw := range Split(b) {
			v, ok := TopLevelScalar(raw.Bytes, "kind")
			if !ok {
				continue
			}
			doc, err := Parse("f.yaml", raw)
			if err != nil {
				continue
			}
			got := doc.Value().Get("kind")
			if s, isStr := got.Str(); doc.Value().IsMap() && isStr && s != v {
				t.Fatalf("sniffed kind %q, parser reads %q", v, s)
			}
		}
	})
}

// FuzzParseWalk parses every document and walks every value with the
// accessors scanners use: nothing may panic or loop, and every location
// lies inside the file.
func FuzzParseWalk(f *testing.F) {
	seeds(f)
	f.Fuzz(func(t *testing.T, b []byte) {
		lines := 1 + bytes.Count(yamlBreaks(b), []byte("\n"))
		for _, raw := range Split(b) {
			doc, err := Parse("f.yaml", raw)
			if err != nil {
				se, ok := err.(*SyntaxError)
				if !ok || se.Line < 0 || se.Line > lines+1 {
					t.Fatalf("bad syntax error %v", err)
				}
				continue
			}
			budget := 20000
			walk(t, doc.Value(), 0, &budget, lines)
			for _, n := range doc.Notices {
				if n.Loc.File != "f.yaml" || n.Loc.Line < 1 || n.Loc.Line > lines {
					t.Fatalf("notice at %v outside the file (%d lines)", n.Loc, lines)
				}
			}
		}
	})
}

func walk(t *testing.T, v Value, depth int, budget *int, lines int) {
	*budget--
	if *budget < 0 || depth > 64 {
		return
	}
	if l := v.Loc(); v.Exists() && (l.Line < 1 || l.Line > lines || l.Col < 1 || l.EndLine < l.Line || (l.EndLine == l.Line && l.EndCol <= l.Col)) {
		t.Fatalf("value %s has location %+v (file has %d lines)", v.Path(), l, lines)
	}
	v.Bool()
	v.Int()
	v.StringVal()
	v.Strings()
	v.KeyLoc()
	v.Synthetic("x")
	for _, p := range v.Pairs() {
		v.Get(p.Key)
		walk(t, p.Value, depth+1, budget, lines)
	}
	for _, it := range v.Items() {
		walk(t, it.Named("n"), depth+1, budget, lines)
	}
}
