// Package shell reads the shell scripts CI jobs run (GitHub Actions `run:`,
// GitLab `script:`) with a real shell parser (mvdan.cc/sh), never with
// regular expressions: it lists the simple commands of a script with their
// words and byte offsets, the variables the script expands, and parses
// `docker run` / `docker create` / `podman run` command lines and container
// option strings into the flags that matter for isolation.
package shell

import (
	"errors"
	"strings"
	"sync"

	"mvdan.cc/sh/v3/syntax"
)

// Word is one word of a command line.
type Word struct {
	// Text is the word's source text (quotes and expansions as written).
	Text string
	// Lit is the word's value when Known: quotes removed, no expansion.
	Lit   string
	Known bool
	// Start and End are byte offsets of the word in the script.
	Start, End int
	// Vars are the variables the word expands ($X, ${X:-y}).
	Vars []string
}

// Command is one simple command: its words, name first.
type Command struct {
	Args       []Word
	Start, End int
}

// Name is the command's name when it is a literal, else "".
func (c Command) Name() string {
	if len(c.Args) == 0 || !c.Args[0].Known {
		return ""
	}
	return c.Args[0].Lit
}

// Script is a parsed script.
type Script struct {
	Commands []Command
	// Vars are the names of every variable the script expands.
	Vars []string
}

// parsers are reused: a syntax.Parser may parse many scripts, one at a time.
var parsers = sync.Pool{New: func() any {
	return syntax.NewParser(syntax.Variant(syntax.LangBash), syntax.KeepComments(false))
}}

// Parse parses a bash script. masked are byte ranges the caller's template
// language fills in before the shell sees the script (GitHub's `${{ }}`):
// they are parsed as opaque text and make the words holding them unknown.
// A script that does not parse returns the error (with a line and column
// relative to the script) and no commands.
func Parse(src string, masked [][2]int) (*Script, error) {
	work := src
	if len(masked) > 0 {
		b := []byte(src)
		for _, m := range masked {
			for i := m[0]; i < m[1] && i < len(b); i++ {
				if b[i] != '\n' {
					b[i] = 'x'
				}
			}
		}
		work = string(b)
	}
	p := parsers.Get().(*syntax.Parser)
	f, err := p.Parse(strings.NewReader(work), "")
	parsers.Put(p)
	if err != nil {
		return nil, err
	}
	s := &Script{}
	seen := map[string]bool{}
	var nested []Command
	syntax.Walk(f, func(n syntax.Node) bool {
		switch x := n.(type) {
		case *syntax.CallExpr:
			if len(x.Args) > 0 {
				c := Command{Start: int(x.Pos().Offset()), End: int(x.End().Offset())}
				for _, w := range x.Args {
					c.Args = append(c.Args, word(src, w, masked))
				}
				s.Commands = append(s.Commands, c)
				nested = append(nested, inner(src, c, masked)...)
			}
		case *syntax.DeclClause:
			// `export NAME=value`: a command whose arguments are the
			// assignments as written, so that rules see what a script
			// exports (a static cloud key from a variable)
			if x.Variant != nil && x.Variant.Value == "export" {
				s.Commands = append(s.Commands, exportCommand(src, x, masked))
			}
		case *syntax.ParamExp:
			if x.Param != nil && !seen[x.Param.Value] {
				seen[x.Param.Value] = true
				s.Vars = append(s.Vars, x.Param.Value)
			}
		}
		return true
	})
	s.Commands = append(s.Commands, nested...)
	return s, nil
}

// exportCommand lowers `export A=1 B=$X` to the words export, A=1, B=$X.
func exportCommand(src string, x *syntax.DeclClause, masked [][2]int) Command {
	span := func(start, end int) (int, int, string) {
		end = min(end, len(src))
		if start < end {
			return start, end, src[start:end]
		}
		return start, end, ""
	}
	vs, ve, vt := span(int(x.Variant.Pos().Offset()), int(x.Variant.End().Offset()))
	c := Command{Start: int(x.Pos().Offset()), End: int(x.End().Offset()),
		Args: []Word{{Text: vt, Lit: "export", Known: true, Start: vs, End: ve}}}
	for _, a := range x.Args {
		if a.Name == nil {
			continue
		}
		st, en, t := span(int(a.Pos().Offset()), int(a.End().Offset()))
		w := Word{Text: t, Start: st, End: en, Known: true, Lit: a.Name.Value}
		if a.Value != nil {
			v := word(src, a.Value, masked)
			w.Known, w.Vars = v.Known, v.Vars
			w.Lit = a.Name.Value + "=" + v.Lit
		} else if !a.Naked {
			w.Lit = a.Name.Value + "="
		}
		if !w.Known {
			w.Lit = ""
		}
		c.Args = append(c.Args, w)
	}
	return c
}

// inner parses the script of `sh -c '…'` / `bash -c "…"` when it is one
// quoted literal without escapes or quotes of its own kind, so that
// positions map back exactly; its commands are returned with offsets in the
// outer script. Without escapes a script can only nest twice (once in each
// kind of quote), so the recursion ends.
func inner(src string, c Command, masked [][2]int) []Command {
	args := Unwrap(c.Args)
	if len(args) < 3 || !args[0].Known {
		return nil
	}
	switch baseName(args[0].Lit) {
	case "sh", "bash", "dash", "ash", "zsh":
	default:
		return nil
	}
	for i := 1; i+1 < len(args); i++ {
		if !args[i].Known || args[i].Lit != "-c" {
			if args[i].Known && strings.HasPrefix(args[i].Lit, "-") {
				continue
			}
			return nil
		}
		w := args[i+1]
		t := w.Text
		if len(t) < 2 || (t[0] != '\'' && t[0] != '"') || t[len(t)-1] != t[0] || strings.ContainsAny(t[1:len(t)-1], "\\"+string(t[0])) {
			return nil
		}
		body := t[1 : len(t)-1]
		base := w.Start + 1
		var sub [][2]int
		for _, m := range masked {
			if m[0] >= base && m[1] <= base+len(body) {
				sub = append(sub, [2]int{m[0] - base, m[1] - base})
			}
		}
		if t[0] == '"' && strings.Contains(body, "$") && len(sub) == 0 {
			return nil // expanded by the outer shell first
		}
		s, err := Parse(body, sub)
		if err != nil {
			return nil
		}
		out := make([]Command, 0, len(s.Commands))
		for _, ic := range s.Commands {
			ic.Start += base
			ic.End += base
			for k := range ic.Args {
				ic.Args[k].Start += base
				ic.Args[k].End += base
			}
			out = append(out, ic)
		}
		return out
	}
	return nil
}

// ErrorAt returns the byte offset in the script and the message of a parse
// error from Parse, when it has a position.
func ErrorAt(err error) (offset int, msg string, ok bool) {
	var pe syntax.ParseError
	if errors.As(err, &pe) {
		return int(pe.Pos.Offset()), withheld(pe.Text), true
	}
	var le syntax.LangError
	if errors.As(err, &le) {
		return int(le.Pos.Offset()), withheld(le.Error()), true
	}
	return 0, withheld(err.Error()), false
}

// withheld removes quoted script text from a parser message, which may be
// any part of the script (a credential included), keeping short
// backquoted syntax tokens such as `fi` or `"`.
func withheld(msg string) string {
	var b strings.Builder
	for i := 0; i < len(msg); i++ {
		c := msg[i]
		if c != '"' && c != '\'' && c != '`' {
			b.WriteByte(c)
			continue
		}
		j := strings.IndexByte(msg[i+1:], c)
		if j < 0 {
			b.WriteByte(c)
			continue
		}
		quoted := msg[i+1 : i+1+j]
		if c == '`' && len(quoted) <= 4 {
			b.WriteString(msg[i : i+2+j])
		} else {
			b.WriteString(string(c) + "…" + string(c))
		}
		i += j + 1
	}
	return b.String()
}

// Words splits a one-line flag string (a container `options:` value) into
// words as a shell would.
func Words(src string, masked [][2]int) ([]Word, error) {
	s, err := Parse(src, masked)
	if err != nil {
		return nil, err
	}
	var out []Word
	for _, c := range s.Commands {
		out = append(out, c.Args...)
	}
	return out, nil
}

func word(src string, w *syntax.Word, masked [][2]int) Word {
	out := Word{Start: int(w.Pos().Offset()), End: int(w.End().Offset())}
	if out.End > len(src) {
		out.End = len(src)
	}
	if out.Start < out.End {
		out.Text = src[out.Start:out.End]
	}
	var b strings.Builder
	out.Known = lit(&b, w.Parts, &out)
	for _, m := range masked {
		if m[0] < out.End && m[1] > out.Start {
			out.Known = false
		}
	}
	if out.Known {
		out.Lit = b.String()
	}
	return out
}

// lit writes the literal value of parts; it returns false when any part is
// an expansion.
func lit(b *strings.Builder, parts []syntax.WordPart, w *Word) bool {
	ok := true
	for _, p := range parts {
		switch x := p.(type) {
		case *syntax.Lit:
			b.WriteString(unescape(x.Value))
		case *syntax.SglQuoted:
			b.WriteString(x.Value)
		case *syntax.DblQuoted:
			if !lit(b, x.Parts, w) {
				ok = false
			}
		case *syntax.ParamExp:
			if x.Param != nil {
				w.Vars = append(w.Vars, x.Param.Value)
			}
			ok = false
		default:
			syntax.Walk(p, func(n syntax.Node) bool {
				if pe, isPE := n.(*syntax.ParamExp); isPE && pe.Param != nil {
					w.Vars = append(w.Vars, pe.Param.Value)
				}
				return true
			})
			ok = false
		}
	}
	return ok
}

// unescape removes the backslashes of an unquoted literal (`\ ` → ` `).
func unescape(s string) string {
	if !strings.Contains(s, `\`) {
		return s
	}
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		if s[i] == '\\' && i+1 < len(s) {
			i++
			if s[i] == '\n' {
				continue
			}
		}
		b.WriteByte(s[i])
	}
	return b.String()
}

// wrappers are commands that run their arguments as a command, with the
// number of their own option values to skip for the options that take one.
var wrappers = map[string]map[string]bool{
	"sudo":    {"-u": true, "-g": true, "-C": true, "-D": true, "-h": true, "-p": true, "-r": true, "-t": true, "-U": true, "-T": true},
	"doas":    {"-u": true, "-C": true},
	"env":     {"-u": true, "-C": true, "-S": true},
	"time":    {"-f": true, "-o": true},
	"nohup":   {},
	"exec":    {"-a": true},
	"command": {},
	"nice":    {"-n": true},
	"timeout": {"-k": true, "-s": true},
	"xargs":   {"-I": true, "-n": true, "-P": true, "-d": true, "-a": true, "-E": true, "-L": true, "-s": true},
	"retry":   {"-t": true, "-d": true},
}

// Unwrap drops leading wrapper commands (`sudo -E docker run …` → `docker
// run …`) and returns the words of the command that really runs.
func Unwrap(args []Word) []Word {
	for range 4 {
		if len(args) == 0 || !args[0].Known {
			return args
		}
		name := baseName(args[0].Lit)
		opts, ok := wrappers[name]
		if !ok {
			return args
		}
		i := 1
		for i < len(args) {
			a := args[i]
			if !a.Known {
				break
			}
			switch {
			case a.Lit == "--":
				i++
			case name == "env" && strings.Contains(a.Lit, "=") && !strings.HasPrefix(a.Lit, "-"):
				i++
				continue
			case name == "timeout" && i == firstPositional(args, opts):
				i++ // the duration
				continue
			case strings.HasPrefix(a.Lit, "-"):
				i++
				if opts[a.Lit] {
					i++
				}
				continue
			}
			break
		}
		if i >= len(args) {
			return nil
		}
		args = args[i:]
	}
	return args
}

func firstPositional(args []Word, opts map[string]bool) int {
	for i := 1; i < len(args); i++ {
		a := args[i]
		if !a.Known || !strings.HasPrefix(a.Lit, "-") {
			return i
		}
		if opts[a.Lit] {
			i++
		}
	}
	return len(args)
}

func baseName(p string) string {
	if i := strings.LastIndexByte(p, '/'); i >= 0 {
		return p[i+1:]
	}
	return p
}
