package source_test

import (
	"bytes"
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/isolint/isolint/source"
)

func deep(open, inner, close string, n int) string {
	return strings.Repeat(open, n) + inner + strings.Repeat(close, n)
}

func TestCheckNestingRefusesHostileNesting(t *testing.T) {
	const n = 100_000
	for name, tc := range map[string]struct {
		syn  source.Syntax
		src  string
		line int
	}{
		"tfvars lists":        {source.HCL, "a = 1\nx = " + deep("[", "", "]", n) + "\n", 2},
		"tf parentheses":      {source.HCL, "locals {\n  x = " + deep("(", "1", ")", n) + "\n}\n", 2},
		"tf objects":          {source.HCL, "locals {\n  x = " + deep("{a=", "1", "}", n) + "\n}\n", 2},
		"tf templates":        {source.HCL, "x = \"" + deep("${\"", "", "\"}", n) + "\"\n", 1},
		"tf heredoc":          {source.HCL, "x = <<EOT\n" + deep("${[", "", "]}", n) + "\nEOT\n", 2},
		"closers in strings":  {source.HCL, "x = " + strings.Repeat(`[ ")" `, n) + "\n", 1},
		"closers in comments": {source.HCL, "x = " + strings.Repeat("[ # ]\n", n), source.MaxNesting + 1},
		"mismatched closers":  {source.HCL, "x = " + strings.Repeat("[ ) ", n) + "\n", 1},
		"tf.json objects":     {source.JSON, deep(`{"a":`, "1", "}", n), 1},
		"tf.json template":    {source.JSON, `{"locals":{"x":"${` + deep("[", "", "]", n) + `}"}}`, 1},
		"tf.json escaped":     {source.JSON, `{"x":"${` + strings.Repeat(`[\")\" `, n) + `}"}`, 1},
		"template file":       {source.HCLTemplate, "a\n%{ if x }" + deep("${(", "", ")}", n), 2},
		"toml arrays":         {source.TOML, "[t]\nx = " + deep("[", "", "]", n), 2},
		"toml inline tables":  {source.TOML, "x = " + deep("{a=", "1", "}", n), 1},
		"go parentheses":      {source.Go, "package p\n\nvar x = " + deep("(", "1", ")", n), 3},
		"go closers in runes": {source.Go, "package p\n\nvar x = " + strings.Repeat("[]any{')', ", n), 3},
	} {
		err := source.CheckNesting([]byte(tc.src), tc.syn, 0)
		var ne *source.NestingError
		if !errors.As(err, &ne) {
			t.Errorf("%s: err = %v, want a NestingError", name, err)
			continue
		}
		if ne.Line != tc.line || ne.Limit != source.MaxNesting {
			t.Errorf("%s: line %d, limit %d; want line %d, limit %d", name, ne.Line, ne.Limit, tc.line, source.MaxNesting)
		}
	}
}

func TestCheckNestingAcceptsWhatIsNotNesting(t *testing.T) {
	const n = 100_000
	for name, tc := range map[string]struct {
		syn source.Syntax
		src string
	}{
		"long flat list":              {source.HCL, "x = [" + strings.Repeat("1, ", n) + "]\n"},
		"brackets in a comment":       {source.HCL, "# " + strings.Repeat("[", n) + "\nx = 1\n"},
		"brackets in a block comment": {source.HCL, "/* " + strings.Repeat("(", n) + " */\nx = 1\n"},
		"brackets in a string":        {source.HCL, `x = "` + strings.Repeat("[", n) + `"` + "\n"},
		"brackets in a heredoc":       {source.HCL, "x = <<-EOT\n  " + strings.Repeat("{", n) + "\n  EOT\ny = 1\n"},
		"escaped interpolation":       {source.HCL, `x = "` + strings.Repeat("$${", n) + `"` + "\n"},
		"json strings":                {source.JSON, `{"a":"` + strings.Repeat("[", n) + `"}`},
		"json flat":                   {source.JSON, "[" + strings.Repeat("{},", n) + "{}]"},
		"toml strings":                {source.TOML, "a = '" + strings.Repeat("[", n) + "'\nb = \"\"\"\n" + strings.Repeat("{", n) + "\"\"\"\n"},
		"toml comments":               {source.TOML, "# " + strings.Repeat("[", n) + "\n[a]\nb = 1\n"},
		"toml tables":                 {source.TOML, strings.Repeat("[[a.b]]\nc = [1, [2]]\n", n)},
		"go strings":                  {source.Go, "package p\nvar a, b, c = \"" + strings.Repeat("(", n) + "\", `" + strings.Repeat("{", n) + "`, '['\n// " + strings.Repeat("[", n) + "\n"},
	} {
		if err := source.CheckNesting([]byte(tc.src), tc.syn, 0); err != nil {
			t.Errorf("%s: %v", name, err)
		}
	}
}

// Every fixture of the repository nests far less than the limit by this
// measure: the bound refuses only hostile files.
func TestCheckNestingOnFixtures(t *testing.T) {
	checked := 0
	err := filepath.WalkDir("../testdata", func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		syn := source.Syntax(-1)
		switch {
		case strings.HasSuffix(p, ".tf"), strings.HasSuffix(p, ".tfvars"), strings.HasSuffix(p, ".hcl"):
			syn = source.HCL
		case strings.HasSuffix(p, ".json"):
			syn = source.JSON
		case strings.HasSuffix(p, ".toml"):
			syn = source.TOML
		case strings.HasSuffix(p, ".tpl"), strings.HasSuffix(p, ".tftpl"):
			syn = source.HCLTemplate
		case strings.HasSuffix(p, ".go"):
			syn = source.Go
		}
		if syn < 0 {
			return nil
		}
		b, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		checked++
		if err := source.CheckNesting(b, syn, 40); err != nil {
			t.Errorf("%s: %v", p, err)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if checked < 20 {
		t.Errorf("checked %d fixtures, want the repository's", checked)
	}
}

// FuzzCheckNesting: no input makes the depth scan panic, it is
// deterministic, and a refusal points at a line and column of the input.
func FuzzCheckNesting(f *testing.F) {
	for _, s := range []string{
		"x = [[1]]\n", "x = \"${a[\"b\"]}\"\n", "x = <<-EOT\n  ${[1]}\n  EOT\n", `{"a":"${[1]}"}`,
		"a = '''\n[\n'''\n", "/* [ */ x = 1 # (\n", "x = \"\\\"${(\"", "<<", "<<A\n",
	} {
		f.Add(uint8(0), []byte(s), uint8(3))
	}
	f.Fuzz(func(t *testing.T, syn uint8, b []byte, limit uint8) {
		s := source.Syntax(syn % 5)
		lim := int(limit%16) + 1
		err := source.CheckNesting(b, s, lim)
		if again := source.CheckNesting(b, s, lim); (err == nil) != (again == nil) {
			t.Fatal("not deterministic")
		}
		if err == nil {
			return
		}
		var ne *source.NestingError
		if !errors.As(err, &ne) {
			t.Fatalf("err = %v", err)
		}
		lines := strings.Split(string(b), "\n")
		if ne.Line < 1 || ne.Line > len(lines) || ne.Col < 1 || ne.Col > len(lines[ne.Line-1])+1 {
			t.Fatalf("refused at %d:%d, outside the input", ne.Line, ne.Col)
		}
		// nesting only grows when the input is wrapped in a bracket
		wrapped := append(append([]byte("x = ["), b...), ']')
		if s == source.HCL && !bytes.ContainsAny(b, "\"#/<") && source.CheckNesting(wrapped, s, lim) == nil {
			t.Fatal("wrapping the input in a list made it shallower")
		}
	})
}

// BenchmarkCheckNesting: the bound runs before every HCL, .tf.json, TOML
// and Go parse, so it must cost little next to the parse (one pass, no
// allocation but its stack).
func BenchmarkCheckNesting(b *testing.B) {
	for _, c := range []struct {
		name string
		syn  source.Syntax
		unit string
	}{
		{"hcl", source.HCL, "resource \"aws_security_group\" \"sg\" {\n  name = \"sg-${var.env}\" # comment\n  egress {\n    cidr_blocks = [\"0.0.0.0/0\"]\n  }\n  tags = merge(local.tags, { Name = \"x\" })\n}\n"},
		{"json", source.JSON, `{"sg":{"name":"sg-${var.env}","egress":[{"cidr_blocks":["0.0.0.0/0"]}]}},`},
		{"go", source.Go, "func f() error {\n\tcmd := exec.Command(\"sh\", \"-c\", `echo {`)\n\treturn cmd.Run() // (\n}\n"},
	} {
		src := []byte(strings.Repeat(c.unit, (10<<20)/len(c.unit)))
		b.Run(c.name, func(b *testing.B) {
			b.SetBytes(int64(len(src)))
			for b.Loop() {
				if err := source.CheckNesting(src, c.syn, 0); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
