// Package fix makes the mechanical edits that resolve findings: minimal
// text edits computed from node positions (a key inserted with the
// indentation around it, one value changed), never a re-serialisation, so
// comments, key order, anchors, blank lines and line endings stay as they
// were. It reads the findings a scan produced and the files they point
// into; it never decides what is a finding.
package fix

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"sort"
	"strings"
	"sync"

	"github.com/isolint/isolint/model"
	"github.com/isolint/isolint/rules"
	"github.com/isolint/isolint/source"
	yaml "go.yaml.in/yaml/v3"
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
	var parts []string
	for _, fx := range fixers {
		if fx.rule == ruleID {
			parts = append(parts, fx.does)
		}
	}
	if d := hclDoes[ruleID]; d != "" {
		parts = append(parts, "in Terraform, "+d)
	}
	return strings.Join(parts, "; ")
}

// Options choose the fixes to make.
type Options struct {
	Unsafe bool            // also make unsafe fixes
	Rules  map[string]bool // only these rules' fixes (nil: all)
	// survey: only say which findings have a fix and its edits; make none
	survey bool
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
	// Edits gives, per finding index, the edits of its fix made alone.
	Edits   map[int][]rules.TextEdit
	Notices []model.Notice
}

// Plan computes the fixes for findings. read returns the content of a file
// by its display path, or an error when the file is not one isolint may
// edit (not read by the scan, rendered from a template, too large).
// Suppressed and baselined findings are not fixed.
func Plan(findings []rules.Finding, read func(path string) ([]byte, error), opts Options) *Result {
	res := &Result{Available: map[int]Safety{}, Edits: map[int][]rules.TextEdit{}}
	byFile := map[string][]int{}
	var paths []string
	for i, fd := range findings {
		if fd.Suppression != nil || fd.Baselined || fd.Loc.File == "" || !hasFixer(fd) {
			continue
		}
		if _, ok := byFile[fd.Loc.File]; !ok {
			paths = append(paths, fd.Loc.File)
		}
		byFile[fd.Loc.File] = append(byFile[fd.Loc.File], i)
	}
	sort.Strings(paths)
	// files are planned independently, in parallel; their results are
	// merged in path order, so the outcome does not depend on scheduling
	parts := make([]*Result, len(paths))
	files := make([]*File, len(paths))
	if len(paths) == 1 { // one file (a scan's worker): no goroutine
		if f := planOne(paths[0], findings, byFile[paths[0]], read, opts, res); f != nil {
			res.Files = append(res.Files, *f)
		}
		return res
	}
	workers := min(runtime.GOMAXPROCS(0), len(paths))
	var wg sync.WaitGroup
	next := make(chan int)
	// a panic on a planning goroutine would end the process, past any
	// recover of the caller's (a scan's survey, `isolint fix`): it is
	// caught there and raised again here, on the caller's goroutine
	panics := make([]any, len(paths))
	for range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range next {
				parts[i] = &Result{Available: map[int]Safety{}, Edits: map[int][]rules.TextEdit{}}
				files[i], panics[i] = planCaught(paths[i], findings, byFile[paths[i]], read, opts, parts[i])
			}
		}()
	}
	for i := range paths {
		next <- i
	}
	close(next)
	wg.Wait()
	for _, p := range panics {
		if p != nil {
			panic(p)
		}
	}
	for i, part := range parts {
		if files[i] != nil {
			res.Files = append(res.Files, *files[i])
		}
		for k, v := range part.Available {
			res.Available[k] = v
		}
		for k, v := range part.Edits {
			res.Edits[k] = v
		}
		res.Notices = append(res.Notices, part.Notices...)
	}
	return res
}

// planCaught is planOne on a goroutine of Plan's: it returns a panic
// instead of raising it.
func planCaught(p string, findings []rules.Finding, idx []int, read func(string) ([]byte, error), opts Options, res *Result) (f *File, caught any) {
	defer func() {
		if r := recover(); r != nil {
			f, caught = nil, r
		}
	}()
	return planOne(p, findings, idx, read, opts, res), nil
}

// planOne plans the fixes of one file; nil when it cannot be read.
func planOne(p string, findings []rules.Finding, idx []int, read func(string) ([]byte, error), opts Options, res *Result) *File {
	src, err := read(p)
	if err != nil {
		return nil
	}
	var out File
	lower := strings.ToLower(p)
	switch {
	case findings[idx[0]].Format == model.FormatDev:
		out = planJSONFile(p, src, findings, idx, opts, res)
	case strings.HasSuffix(lower, ".tf") || strings.HasSuffix(lower, ".tf.json") || strings.HasSuffix(lower, ".json") && findings[idx[0]].Format == model.FormatTerraform:
		out = planHCLFile(p, src, findings, idx, opts, res)
	default:
		out = planFile(p, src, read, findings, idx, opts, res)
	}
	return &out
}

// hasFixer reports whether some fixer handles the finding's rule and format.
func hasFixer(fd rules.Finding) bool {
	if fd.Format == model.FormatTerraform {
		return hclFixers[fd.RuleID] != nil
	}
	return fixerFor(fd) != nil
}

// describe is what the fix of a finding does.
func describe(fd rules.Finding) string {
	if fx := fixerFor(fd); fx != nil {
		return fx.does
	}
	return hclDoes[fd.RuleID]
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

func planFile(path string, src []byte, read func(string) ([]byte, error), findings []rules.Finding, idx []int, opts Options, res *Result) File {
	lines := make([]int, 0, len(idx))
	for _, i := range idx {
		lines = append(lines, findings[i].Loc.Line)
		for _, r := range findings[i].Related {
			lines = append(lines, r.Loc.Line) // a step a moved secret goes to
		}
	}
	yf, err := parseDocs(src, lines)
	if err != nil {
		return File{Path: path, Old: src} // the scan already said why it could not read the file
	}
	return planParsed(path, yf, read, findings, idx, opts, res)
}

// planParsed plans the fixes of one YAML file parsed for editing.
func planParsed(path string, yf *yamlFile, read func(string) ([]byte, error), findings []rules.Finding, idx []int, opts Options, res *Result) File {
	src := yf.src
	out := File{Path: path, Old: src}
	yf.path, yf.read = path, read
	if yf.starts == nil {
		// index only the lines the findings ask about
		var lines []int
		for _, i := range idx {
			lines = append(lines, findings[i].Loc.Line)
			for _, r := range findings[i].Related {
				lines = append(lines, r.Loc.Line)
			}
		}
		yf.wantLines(lines)
	}
	var accepted []change
	for _, i := range idx {
		fd := findings[i]
		fx := fixerFor(fd)
		start, ok := yf.at(fd.Loc.Line, fd.Loc.Col)
		if fx == nil || !ok && !fx.inText {
			continue
		}
		changes, safety := fx.plan(yf, start, fd)
		if len(changes) == 0 {
			continue
		}
		alone, err := yf.plan(changes)
		if err != nil || len(alone) == 0 {
			// no edit isolint can make there, or the file already says
			// what the fix would write (a Kustomize base whose setting a
			// patch elsewhere defeats): nothing here resolves the finding
			continue
		}
		res.Available[i] = safety
		res.Edits[i] = yf.textEdits(path, alone)
		if opts.survey {
			continue
		}
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
			if brokenDocs(changed) > brokenDocs(src) {
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

// textEdits converts byte-offset edits to regions of the file.
func (f *yamlFile) textEdits(path string, edits []edit) []rules.TextEdit {
	sorted := append([]edit(nil), edits...)
	sort.SliceStable(sorted, func(i, j int) bool {
		if sorted[i].start != sorted[j].start {
			return sorted[i].start < sorted[j].start
		}
		return sorted[i].indent > sorted[j].indent
	})
	out := make([]rules.TextEdit, 0, len(sorted))
	for _, e := range sorted {
		sl, sc := f.position(e.start)
		el, ec := f.position(e.end)
		out = append(out, rules.TextEdit{Region: model.Location{File: path, Line: sl, Col: sc, EndLine: el, EndCol: ec}, Text: e.text})
	}
	return out
}

// Annotate plans the fixes of res's findings (reading the files they point
// into through read) and records on each finding what its fix does.
func Annotate(findings []rules.Finding, read func(path string) ([]byte, error)) {
	plan := Plan(findings, read, Options{Unsafe: true, survey: true})
	for i, s := range plan.Available {
		fd := &findings[i]
		fd.Fix = &rules.FixNote{Unsafe: s == Unsafe, Does: describe(*fd), Edits: plan.Edits[i]}
	}
}

// Doc is a YAML document a scanner parsed: the line of the file it
// starts on, and its content node, whose positions count from that line.
type Doc struct {
	Line int
	Root *yaml.Node
}

// AnnotateParsed is Annotate for a file whose YAML documents the scan
// already parsed (content is the file's text, docs its documents): the
// fix survey then reuses those trees instead of parsing the file again.
// The nodes' lines are made lines of the file, so nothing may read them
// as the scanner's afterwards.
func AnnotateParsed(findings []rules.Finding, path string, content []byte, docs []Doc) {
	var idx []int
	for i, fd := range findings {
		if fd.Suppression == nil && !fd.Baselined && fd.Loc.File == path && hasFixer(fd) {
			idx = append(idx, i)
		}
	}
	if len(idx) == 0 {
		return
	}
	nodes := 0
	for _, d := range docs {
		if d.Root != nil {
			nodes += 1 + size(d.Root, 1)
		}
	}
	yf := &yamlFile{src: content, parent: make(map[*yaml.Node]*yaml.Node, nodes), crlf: bytes.Contains(content, []byte("\r\n"))}
	yf.lineStarts = append(yf.lineStarts, 0)
	for i, b := range content {
		if b == '\n' {
			yf.lineStarts = append(yf.lineStarts, i+1)
		}
	}
	for _, d := range docs {
		if d.Root == nil {
			continue
		}
		if d.Line > 1 {
			shiftLines(d.Root, d.Line-1, 0)
		}
		doc := &yaml.Node{Kind: yaml.DocumentNode, Line: d.Root.Line, Column: 1, Content: []*yaml.Node{d.Root}}
		yf.docs = append(yf.docs, doc)
		yf.link(doc, 0)
	}
	res := &Result{Available: map[int]Safety{}, Edits: map[int][]rules.TextEdit{}}
	read := Reader("", nil, path, content)
	planParsed(path, yf, read, findings, idx, Options{Unsafe: true, survey: true}, res)
	for i, s := range res.Available {
		fd := &findings[i]
		fd.Fix = &rules.FixNote{Unsafe: s == Unsafe, Does: describe(*fd), Edits: res.Edits[i]}
	}
}

// Editable reports whether isolint edits a file of this format and path:
// plain YAML of a format with fixes (never JSON, never rendered text).
func Editable(f model.Format, path string) bool {
	switch f {
	case model.FormatK8s, model.FormatCompose, model.FormatGHA, model.FormatGitLab, model.FormatCFN:
		ext := strings.ToLower(filepath.Ext(path))
		return ext == ".yaml" || ext == ".yml"
	case model.FormatDev:
		return true // flag edits inside strings only (see planJSONFile)
	}
	return hclEditable(f, path)
}

// maxEditSize bounds the files isolint edits (engine's default scan limit).
const maxEditSize = 10 << 20

// Reader returns the reader Plan and Annotate use for a scan: only the
// files named in editable (display paths, relative to base), as regular
// files (never through a symlink) of a size isolint edits; and the file
// held, whose content is already in memory.
func Reader(base string, editable map[string]bool, held string, content []byte) func(string) ([]byte, error) {
	return func(p string) ([]byte, error) {
		if held != "" && p == held {
			return content, nil
		}
		if !editable[p] {
			return nil, fmt.Errorf("%s is not a file isolint edits", p)
		}
		full := filepath.Join(base, filepath.FromSlash(p))
		info, err := os.Lstat(full)
		if err != nil {
			return nil, err
		}
		if !info.Mode().IsRegular() || info.Size() > maxEditSize {
			return nil, fmt.Errorf("%s is not a regular file of a size isolint edits", p)
		}
		// bounded and non-blocking even if the file is swapped since Lstat
		return source.ReadRegular(full, maxEditSize)
	}
}

func planHCLFile(path string, src []byte, findings []rules.Finding, idx []int, opts Options, res *Result) File {
	out := File{Path: path, Old: src}
	hf, ok := parseHCL(path, src)
	if !ok {
		return out
	}
	var accepted []hclChange
	for _, i := range idx {
		fd := findings[i]
		at := hf.blockAt(fd.Loc.Line, fd.Loc.Col)
		if at == nil {
			continue
		}
		changes, safety := hclFixers[fd.RuleID](hf, at, fd)
		if len(changes) == 0 {
			continue
		}
		alone, err := hf.planHCL(changes)
		if err != nil {
			continue
		}
		res.Available[i] = safety
		res.Edits[i] = textEditsOf(src, path, alone)
		if opts.survey || safety == Unsafe && !opts.Unsafe || opts.Rules != nil && !opts.Rules[fd.RuleID] {
			continue
		}
		trial := append(append([]hclChange(nil), accepted...), changes...)
		if _, err := hf.planHCL(trial); err != nil {
			continue
		}
		accepted = trial
		out.Fixed = append(out.Fixed, i)
	}
	if len(accepted) == 0 {
		return out
	}
	edits, err := hf.planHCL(accepted)
	if err == nil {
		var changed []byte
		if changed, err = apply(src, edits); err == nil {
			if _, ok := parseHCL(path, changed); !ok {
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

// textEditsOf converts byte-offset edits of src to regions.
func textEditsOf(src []byte, path string, edits []edit) []rules.TextEdit {
	yf := &yamlFile{src: src, lineStarts: []int{0}}
	for i, b := range src {
		if b == '\n' {
			yf.lineStarts = append(yf.lineStarts, i+1)
		}
	}
	return yf.textEdits(path, edits)
}
