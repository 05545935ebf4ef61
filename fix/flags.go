package fix

import (
	"bytes"
	"regexp"
	"strings"

	"github.com/isolint/isolint/model"
	"github.com/isolint/isolint/rules"
	yaml "go.yaml.in/yaml/v3"
)

// Capabilities added with a container runtime's flag (`--cap-add X` in a
// GitHub job container's `options`, a `docker run` in a CI script, a dev
// container's `runArgs`, an MCP server's docker `args`): the flag becomes
// `--cap-drop ALL`, written with the same separator, so the text around it
// (the scalar's style, a JSON string's quotes) stays as it was.

// capFlag matches `--cap-add=X`, `--cap-add X` and, in a JSON list,
// `--cap-add", "X`.
var capFlag = regexp.MustCompile(`--cap-add(=|[ \t]+|"[ \t]*,[ \t]*")([A-Za-z_]+)`)

// capFlagEdit returns the edit of the flag that the finding at byte
// offset off of line (starting at byte start) points at: the flag itself,
// the quote before it, or its value.
func capFlagEdit(line []byte, start, off int) *edit {
	for _, m := range capFlag.FindAllSubmatchIndex(line, -1) {
		from, to := start+m[0], start+m[1]
		if off < from-1 || off >= to {
			continue
		}
		sep := string(line[m[2]:m[3]])
		if sep != "=" && strings.TrimSpace(sep) == "" {
			sep = " "
		}
		return &edit{start: from, end: to, text: "--cap-drop" + sep + "ALL"}
	}
	return nil
}

// flagFixer is dangerous-capability's fix in the formats that add
// capabilities with flags inside YAML strings.
var flagFixer = fixer{
	inText: true,
	rule:   "dangerous-capability", formats: []model.Format{model.FormatGHA, model.FormatGitLab, model.FormatDev},
	does: "replaces `--cap-add X` in a job container's `options`, a `docker run` in a CI script, a dev container's `runArgs` or an MCP server's docker `args` with `--cap-drop ALL`, and removes the capability from a dev container's `capAdd` (unsafe: a process that needs the capability fails)",
	plan: func(f *yamlFile, _ *yaml.Node, fd rules.Finding) ([]change, Safety) {
		if fd.Loc.Line < 1 || fd.Loc.Line > len(f.lineStarts) {
			return nil, 0
		}
		e := capFlagEdit(f.lineText(fd.Loc.Line), f.lineStarts[fd.Loc.Line-1], f.offset(fd.Loc.Line, fd.Loc.Col))
		if e == nil {
			return nil, 0
		}
		return []change{{text: e}}, Unsafe
	},
}

func init() { fixers = append(fixers, flagFixer) }

// planJSONFile makes the flag fixes in a dev container or MCP config
// (JSON with comments): literal edits inside one string or between two
// strings of a list, which keep the file's syntax as it was.
func planJSONFile(path string, src []byte, findings []rules.Finding, idx []int, opts Options, res *Result) File {
	out := File{Path: path, Old: src}
	lf := &yamlFile{src: src, lineStarts: []int{0}}
	for i, b := range src {
		if b == '\n' {
			lf.lineStarts = append(lf.lineStarts, i+1)
		}
	}
	var accepted []edit
	for _, i := range idx {
		fd := findings[i]
		if fd.RuleID != "dangerous-capability" || fd.Loc.Line < 1 || fd.Loc.Line > len(lf.lineStarts) {
			continue
		}
		off := lf.offset(fd.Loc.Line, fd.Loc.Col)
		e := capFlagEdit(lf.lineText(fd.Loc.Line), lf.lineStarts[fd.Loc.Line-1], off)
		if e == nil {
			e = capAddItemEdit(src, off)
		}
		if e == nil {
			continue
		}
		res.Available[i] = Unsafe
		res.Edits[i] = lf.textEdits(path, []edit{*e})
		if opts.survey || !opts.Unsafe || opts.Rules != nil && !opts.Rules[fd.RuleID] {
			continue
		}
		if _, err := apply(src, append(append([]edit(nil), accepted...), *e)); err != nil {
			continue
		}
		accepted = append(accepted, *e)
		out.Fixed = append(out.Fixed, i)
	}
	if len(accepted) > 0 {
		if changed, err := apply(src, accepted); err == nil {
			out.New = changed
		} else {
			out.Fixed = nil
		}
	}
	return out
}

// capAddItemEdit removes the string at off from a `"capAdd": [...]` list
// of a dev container (which has no capDrop), with the comma that
// separates it from its neighbour on the same line.
func capAddItemEdit(src []byte, off int) *edit {
	if off >= len(src) || src[off] != '"' {
		return nil
	}
	end := off + 1
	for end < len(src) && src[end] != '"' && src[end] != '\\' && src[end] != '\n' {
		end++
	}
	if end >= len(src) || src[end] != '"' {
		return nil
	}
	end++
	// the list it is in must be capAdd's, opened on this line or before
	key := bytes.LastIndex(src[:off], []byte(`"capAdd"`))
	if key < 0 {
		return nil
	}
	between := src[key+len(`"capAdd"`) : off]
	if bytes.Count(between, []byte("[")) != 1 || bytes.ContainsAny(between, "]{}") {
		return nil
	}
	isSpace := func(b byte) bool { return b == ' ' || b == '\t' }
	j := end
	for j < len(src) && isSpace(src[j]) {
		j++
	}
	if j < len(src) && src[j] == ',' {
		j++
		for j < len(src) && isSpace(src[j]) {
			j++
		}
		return &edit{start: off, end: j}
	}
	i := off
	for i > 0 && isSpace(src[i-1]) {
		i--
	}
	if i > 0 && src[i-1] == ',' {
		return &edit{start: i - 1, end: end}
	}
	return &edit{start: off, end: end}
}
