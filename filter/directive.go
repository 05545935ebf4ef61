// Package filter applies suppressions to findings: inline
// `isolint:ignore` directives and the waivers of .isolint.yaml. A
// suppression needs a reason and may expire; one that cannot take effect,
// or that matches nothing, is itself reported, so none fails silently.
package filter

import (
	"bytes"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/isolint/isolint/model"
)

// Directive is one inline `isolint:ignore` comment.
type Directive struct {
	Loc    model.Location
	Rules  []string
	Reason string
	Until  string // YYYY-MM-DD, or ""
	// Problem says why the directive is malformed ("" when it is fine).
	Problem string
}

var marker = []byte("isolint:ignore")

// ParseDirectives finds the ignore directives in a file's comments: a `#`
// (not in Go source) or `//` comment whose text starts with "isolint:ignore", then rule IDs
// (comma or space separated), an optional `until=YYYY-MM-DD`, then `--`
// and the reason:
//
//	privileged: true # isolint:ignore privileged-container -- builds images (SEC-42)
func ParseDirectives(path string, content []byte) []Directive {
	if !bytes.Contains(content, marker) {
		return nil
	}
	var out []Directive
	goSource := strings.HasSuffix(path, ".go")
	line := 0
	for len(content) > 0 {
		line++
		end := bytes.IndexByte(content, '\n')
		var l []byte
		if end < 0 {
			l, content = content, nil
		} else {
			l, content = content[:end], content[end+1:]
		}
		i := bytes.Index(l, marker)
		if i < 0 {
			continue
		}
		before := bytes.TrimRight(l[:i], " \t")
		if !bytes.HasSuffix(before, []byte("//")) && (goSource || !bytes.HasSuffix(before, []byte("#"))) {
			continue // not in a comment (`#` starts none in Go)
		}
		text := strings.TrimRight(string(l[i+len(marker):]), " \t\r")
		col := utf8.RuneCount(l[:i]) + 1
		d := parse(text)
		d.Loc = model.Location{File: path, Line: line, Col: col, EndLine: line, EndCol: col + utf8.RuneCountInString("isolint:ignore"+text)}
		out = append(out, d)
	}
	return out
}

func parse(text string) Directive {
	var d Directive
	spec, reason, hasReason := strings.Cut(text, "--")
	d.Reason = strings.TrimSpace(reason)
	for _, f := range strings.FieldsFunc(spec, func(r rune) bool { return r == ',' || r == ' ' || r == '\t' }) {
		if v, ok := strings.CutPrefix(f, "until="); ok {
			d.Until = v
			continue
		}
		if v, ok := strings.CutPrefix(f, "expires="); ok {
			d.Until = v
			continue
		}
		d.Rules = append(d.Rules, f)
	}
	switch {
	case len(d.Rules) == 0:
		d.Problem = "names no rule (write `isolint:ignore <rule-id> -- <reason>`)"
	case !hasReason || d.Reason == "":
		d.Problem = "gives no reason (write `-- <reason>` after the rule ID)"
	case d.Until != "":
		if _, err := time.Parse("2006-01-02", d.Until); err != nil {
			d.Problem = "has an expiry that is not a date (write `until=YYYY-MM-DD`)"
		}
	}
	return d
}
