package safetext_test

import (
	"fmt"
	"os"
	"strings"
	"testing"
	"unicode/utf8"

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

// FuzzLine: whatever the input, the result holds no line end, control
// character, line separator or bidi control, and safe text is unchanged.
func FuzzLine(f *testing.F) {
	for _, s := range []string{"a\nb", "\x1b[31m", "\u202e", "\xff\xfe", "naïve", "::error::x"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		got := safetext.Line(s)
		for _, r := range got {
			if r < 0x20 && r != '\t' || r == 0x7f || r >= 0x80 && r <= 0x9f || r == 0x2028 || r == 0x2029 || r >= 0x202a && r <= 0x202e || r >= 0x2066 && r <= 0x2069 {
				t.Fatalf("Line(%q) = %q holds %U", s, got, r)
			}
		}
		if !utf8.ValidString(got) {
			t.Fatalf("Line(%q) = %q is not UTF-8", s, got)
		}
		if safetext.Line(got) != got {
			t.Fatalf("Line is not idempotent on %q", got)
		}
		if strings.HasPrefix(safetext.Path(s), ":") {
			t.Fatalf("Path(%q) starts with ':'", s)
		}
	})
}

func TestRedactURL(t *testing.T) {
	for in, want := range map[string]string{
		"https://user:tok@github.com/o/r//x?ref=v1":                         "https://…@github.com/o/r//x?ref=v1",
		"https://github.com/o/r":                                            "https://github.com/o/r",
		"git@github.com:o/r.git":                                            "git@github.com:o/r.git",
		"oci://deploy:glpat-x@registry/stacks/a:1":                          "oci://…@registry/stacks/a:1",
		"https://gl.example.com/raw/x.yml?private_token=glpat-x&ref=main#l": "https://gl.example.com/raw/x.yml?private_token=…&ref=main#l",
		// found in review: scheme-less forms, tokens with "/", bare parts, fragments
		"github.com/o/r//base?ref=v1&private_token=glpat-x":   "github.com/o/r//base?ref=v1&private_token=…",
		"user:tok@host/x?private_token=glpat-x":               "…@host/x?private_token=…",
		"git@github.com:o/r?private_token=glpat-x":            "git@github.com:o/r?private_token=…",
		"deploy:tok@github.com:o/r":                           "…@github.com:o/r",
		"https://user:ab/SECRET@host/x":                       "https://…@host/x",
		"https://h/x#access_token=abc":                        "https://h/x#access_token=…",
		"https://h/x?glpat-abcdefghijklmnop":                  "https://h/x?…",
		"https://h/x?a=1#L12":                                 "https://h/x?a=…#L12",
		"https://h/x.yml?ref=v2#glpat-abcdefghijklmnopqrstuv": "https://h/x.yml?ref=v2#…",
		// found in review: an "@" in the query or fragment is no user information
		"https://gl.example.com/raw/x.yml?email=ci@corp.com&private_token=glpat-SECRET": "https://gl.example.com/raw/x.yml?email=…&private_token=…",
		"github.com/o/r//base?ref=v1@abc&private_token=glpat-SECRET":                    "github.com/o/r//base?ref=v1@abc&private_token=…",
		"https://h/x#state=a@b&access_token=SECRET":                                     "https://h/x#state=…&access_token=…",
		"https://u:p@h/x?email=ci@corp.com":                                             "https://…@h/x?email=…",
	} {
		if got := safetext.RedactURL(in); got != want {
			t.Errorf("RedactURL(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestPanicQuotesNoValue(t *testing.T) {
	var runtimeErr any
	func() {
		defer func() { runtimeErr = recover() }()
		items := []string{"a", "b", "c"}
		n := len(os.Args) + 4
		_ = items[n]
	}()
	if got := safetext.Panic(runtimeErr); !strings.HasPrefix(got, "runtime error: index out of range [") || !strings.HasSuffix(got, "] with length 3") {
		t.Errorf("runtime error described as %q", got)
	}
	for _, r := range []any{"token ghp_0123456789abcdef0123456789abcdef0123 is bad", fmt.Errorf("bad value %q", "AKIAIOSFODNN7EXAMPLE")} {
		if got := safetext.Panic(r); strings.Contains(got, "ghp_") || strings.Contains(got, "AKIA") || !strings.HasPrefix(got, "a panic (") {
			t.Errorf("Panic(%q) = %q: it quotes the value", r, got)
		}
	}
}
