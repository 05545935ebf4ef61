// Package fix makes the mechanical edits that resolve findings: minimal
// text edits computed from node positions (a key inserted with the
// indentation around it, one value changed), never a re-serialisation, so
// comments, key order, anchors, blank lines and line endings stay as they
// were. It reads the findings a scan produced and the files they point
// into; it never decides what is a finding.
package fix

import (
	"fmt"
	"sort"

	"github.com/isolint/isolint/model"
	"github.com/isolint/isolint/rules"
)

// Safety says whether a fix can change what the workload does.
type Safety int

const (
	// Safe: the workload cannot depend on what the fix removes, or the scan
	// shows it unused.
	Safe Safety = iota + 1
	// Unsafe: the workload may depend on it (an app that calls the
	// Kubernetes API, an image that writes to its root filesystem).
	Unsafe
)

func (s Safety) String() string {
	switch s {
	case Safe:
		return "safe"
	case Unsafe:
		return "unsafe"
	}
	return ""
}

// Describe returns what the fix of a rule does, or "" when it has none.
func Describe(ruleID string) string {
	for _, fx := range fixers {
		if fx.rule == ruleID {
			return fx.does
		}
	}
	return ""
}

// Options choose the fixes to make.
type Options struct {
	Unsafe bool            // also make unsafe fixes
	Rules  map[string]bool // only these rules' fixes (nil: all)
}

// File is the outcome for one file.
type File struct {
	Path     string // display path, as in findings
	Old, New []byte // New == nil: unchanged
	Fixed    []int  // indexes of the findings the edits resolve
}

// Result is what Plan found.
type Result struct {
	Files []File
	// Available gives, per finding index, the safety of the fix that exists
	// for it (absent: none).
	Available map[int]Safety
	Notices   []model.Notice
}

// Plan computes the fixes for findings. read returns the content of a file
// by its display path, or an error when the file is not one isolint may
// edit (not read by the scan, rendered from a template, too large).
// Suppressed and baselined findings are not fixed.
func Plan(findings []rules.Finding, read func(path string) ([]byte, error), opts Options) *Result {
	res := &Result{Available: map[int]Safety{}}
	byFile := map[string][]int{}
	var paths []string
	for i, fd := range findings {
		if fd.Suppression != nil || fd.Baselined || fd.Loc.File == "" || fixerFor(fd) == nil {
			continue
		}
		if _, ok := byFile[fd.Loc.File]; !ok {
			paths = append(paths, fd.Loc.File)
		}
		byFile[fd.Loc.File] = append(byFile[fd.Loc.File], i)
	}
	sort.Strings(paths)
	for _, p := range paths {
		src, err := read(p)
		if err != nil {
			continue
		}
		out := planFile(p, src, findings, byFile[p], opts, res)
		res.Files = append(res.Files, out)
	}
	return res
}

func fixerFor(fd rules.Finding) *fixer {
	for i := range fixers {
		fx := &fixers[i]
		if fx.rule != fd.RuleID {
			continue
		}
		for _, f := range fx.formats {
			if f == fd.Format {
				return fx
			}
		}
	}
	return nil
}

func planFile(path string, src []byte, findings []rules.Finding, idx []int, opts Options, res *Result) File {
	out := File{Path: path, Old: src}
	yf, err := parseYAML(src)
	if err != nil {
		return out // the scan already said why it could not read the file
	}
	var accepted []change
	for _, i := range idx {
		fd := findings[i]
		start, ok := yf.at(fd.Loc.Line, fd.Loc.Col)
		if !ok {
			continue
		}
		changes, safety := fixerFor(fd).plan(yf, start, fd)
		if len(changes) == 0 {
			continue
		}
		if _, err := yf.plan(changes); err != nil {
			continue // no edit isolint can make there
		}
		res.Available[i] = safety
		if safety == Unsafe && !opts.Unsafe || opts.Rules != nil && !opts.Rules[fd.RuleID] {
			continue
		}
		trial := append(append([]change(nil), accepted...), changes...)
		if _, err := yf.plan(trial); err != nil {
			continue
		}
		accepted = trial
		out.Fixed = append(out.Fixed, i)
	}
	if len(accepted) == 0 {
		return out
	}
	edits, err := yf.plan(accepted)
	if err == nil {
		var changed []byte
		if changed, err = apply(src, edits); err == nil {
			if _, perr := parseYAML(changed); perr != nil {
				err = fmt.Errorf("the edited file would not parse")
			} else {
				out.New = changed
				return out
			}
		}
	}
	res.Notices = append(res.Notices, model.Notice{Level: model.NoticeWarning, Loc: model.Location{File: path},
		Message: "left unchanged: " + err.Error()})
	out.Fixed = nil
	return out
}
