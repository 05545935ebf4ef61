package safetext_test

import (
	"strings"
	"testing"

	"github.com/isolint/isolint/internal/safetext"
)

func TestLine(t *testing.T) {
	for in, want := range map[string]string{
		"deploy/app.yaml":                          "deploy/app.yaml",
		"naïve 名前\ttab":                            "naïve 名前\ttab",
		"p\n::add-mask::x\n::error file=README.md": `p\n::add-mask::x\n::error file=README.md`,
		"a\r\nb":                      `a\r\nb`,
		"\x1b]0;pwned\x07\x1b[2J":     `\x1b]0;pwned\x07\x1b[2J`,
		"del\x7f nul\x00":             `del\x7f nul\x00`,
		"nel\u0085 ls\u2028 ps\u2029": `nel\u0085 ls\u2028 ps\u2029`,
		"rlo\u202egnp.exe":            `rlo\u202egnp.exe`,
		"bad\xffutf8":                 `bad\xffutf8`,
	} {
		got := safetext.Line(in)
		if got != want {
			t.Errorf("Line(%q) = %q, want %q", in, got, want)
		}
		if strings.ContainsAny(got, "\n\r\x1b\u2028\u0085") {
			t.Errorf("Line(%q) = %q keeps a line end or escape", in, got)
		}
	}
}

func TestPath(t *testing.T) {
	for in, want := range map[string]string{
		"::error title=x::a.yaml": "./::error title=x::a.yaml",
		":a.yaml":                 "./:a.yaml",
		"dir/::x.yaml":            "dir/::x.yaml",
		"a\n::warning::b.yaml":    `a\n::warning::b.yaml`,
	} {
		if got := safetext.Path(in); got != want {
			t.Errorf("Path(%q) = %q, want %q", in, got, want)
		}
	}
}
