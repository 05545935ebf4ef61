package filter_test

import (
	"bytes"
	"testing"

	"github.com/isolint/isolint/filter"
)

// FuzzParseDirectives: no file makes the ignore-comment parser panic, and
// every directive it finds lies on a line of the file, at a column of it.
func FuzzParseDirectives(f *testing.F) {
	for _, s := range []string{
		"hostNetwork: true # isolint:ignore host-network -- node exporter (SEC-1)\n",
		"# isolint:ignore privileged-container until=2026-09-30 -- builds images\nprivileged: true\n",
		"x := 1 // isolint:ignore a,b c --\n",
		"# isolint:ignore\n",
		"value: \"# isolint:ignore host-network -- not a comment\"\n",
	} {
		f.Add("deploy.yaml", []byte(s))
		f.Add("main.go", []byte(s))
	}
	f.Fuzz(func(t *testing.T, path string, content []byte) {
		lines := bytes.Count(content, []byte("\n")) + 1
		for _, d := range filter.ParseDirectives(path, content) {
			if d.Loc.Line < 1 || d.Loc.Line > lines || d.Loc.Col < 1 {
				t.Fatalf("directive at %d:%d of a %d-line file", d.Loc.Line, d.Loc.Col, lines)
			}
			if d.Problem == "" && (len(d.Rules) == 0 || d.Reason == "") {
				t.Fatalf("a directive without rules or reason has no problem: %+v", d)
			}
		}
	})
}
