package output

import (
	"bufio"
	"io"
	"sort"

	"github.com/isolint/isolint/engine"
	"github.com/isolint/isolint/model"
	"github.com/isolint/isolint/rules"
)

// JSONSchemaVersion is bumped on any incompatible change to the JSON output
// (documented in docs/json-output.md).
const JSONSchemaVersion = "1"

type jsonTool struct {
	Name    string `json:"name"`
	Version string `json:"version"`
}

type jsonLocation struct {
	File      string `json:"file"`
	Line      int    `json:"line,omitempty"`
	Column    int    `json:"column,omitempty"`
	EndLine   int    `json:"endLine,omitempty"`
	EndColumn int    `json:"endColumn,omitempty"`
	KeyPath   string `json:"keyPath,omitempty"`
}

type jsonRelated struct {
	Location jsonLocation `json:"location"`
	Message  string       `json:"message"`
}

type jsonSuppression struct {
	Kind          string       `json:"kind"`
	Justification string       `json:"justification"`
	Expires       string       `json:"expires,omitempty"`
	Location      jsonLocation `json:"location"`
}

type jsonFinding struct {
	RuleID     string        `json:"ruleId"`
	Title      string        `json:"title"`
	Severity   string        `json:"severity"`
	Confidence string        `json:"confidence"`
	Axis       string        `json:"axis"`
	Format     string        `json:"format,omitempty"`
	Object     string        `json:"object,omitempty"`
	Message    string        `json:"message"`
	Location   jsonLocation  `json:"location"`
	Related    []jsonRelated `json:"related"`
	// RelatedLeftOut counts related places beyond those listed (the other
	// users of an identity shared by more than 100 workloads).
	RelatedLeftOut int              `json:"relatedLeftOut,omitempty"`
	Controls       []string         `json:"controls"`
	Fingerprint    string           `json:"fingerprint"`
	Suppression    *jsonSuppression `json:"suppression,omitempty"`
	// Baseline is "new" or "unchanged" when a baseline is in force.
	Baseline string `json:"baseline,omitempty"`
	// Fix is set when `isolint fix` has an edit for the finding.
	Fix *jsonFix `json:"fix,omitempty"`
}

type jsonFix struct {
	Safety      string `json:"safety"` // "safe", or "unsafe" (made with --unsafe)
	Description string `json:"description"`
}

type jsonNotice struct {
	Level    string       `json:"level"`
	Location jsonLocation `json:"location"`
	Message  string       `json:"message"`
}

type jsonSummary struct {
	Summary
	Formats      map[string]*engine.FormatStats `json:"formats"`
	Unrecognised int                            `json:"unrecognisedFiles"`
	Renderings   map[string]*engine.RenderStats `json:"renderings,omitempty"`
	NotChecked   []jsonNotChecked               `json:"notChecked,omitempty"`
}

// jsonNotChecked is a chart or overlay (or a chart's dependency) that did
// not render: what it deploys was not checked.
type jsonNotChecked struct {
	Kind     string        `json:"kind"`
	Path     string        `json:"path"`
	Release  string        `json:"release,omitempty"`
	Error    string        `json:"error"`
	Location *jsonLocation `json:"location,omitempty"`
}

func jsonLoc(l model.Location) jsonLocation {
	return jsonLocation{File: l.File, Line: l.Line, Column: l.Col, EndLine: l.EndLine, EndColumn: l.EndCol, KeyPath: l.Path}
}

// JSON writes the documented JSON report (docs/json-output.md). Findings
// and notices are encoded one at a time as they are written, so a scan
// with many findings never holds the whole report in memory twice.
func JSON(w io.Writer, res *engine.Result, opts Options) error {
	summary := jsonSummary{Summary: summarize(res), Formats: map[string]*engine.FormatStats{}, Unrecognised: res.Stats.Unrecognised}
	for f, st := range res.Stats.Formats {
		summary.Formats[string(f)] = st
	}
	if len(res.Stats.Renderings) > 0 {
		summary.Renderings = map[string]*engine.RenderStats{}
		for k, st := range res.Stats.Renderings {
			summary.Renderings[string(k)] = st
		}
	}
	for _, r := range res.Unrendered() {
		nc := jsonNotChecked{Kind: string(r.Kind), Path: r.Path, Release: r.Release, Error: r.Err}
		if r.Loc.File != "" {
			l := jsonLoc(r.Loc)
			nc.Location = &l
		}
		summary.NotChecked = append(summary.NotChecked, nc)
	}
	jw := &jsonStream{w: bufio.NewWriterSize(w, 64<<10)}
	jw.raw("{\n")
	jw.field("schemaVersion", JSONSchemaVersion)
	jw.field("tool", jsonTool{Name: "isolint", Version: opts.Version})
	jw.array("findings", len(res.Findings), func(i int) any {
		jf := jsonFindingOf(res.Findings[i])
		if res.Baseline != nil {
			jf.Baseline = BaselineState(res.Findings[i])
		}
		return jf
	})
	jw.array("notices", len(res.Notices), func(i int) any {
		n := res.Notices[i]
		return jsonNotice{Level: string(n.Level), Location: jsonLoc(n.Loc), Message: n.Message}
	})
	jw.last = true
	jw.field("summary", summary)
	jw.raw("}\n")
	if jw.err != nil {
		return jw.err
	}
	return jw.w.Flush()
}

func jsonFindingOf(f rules.Finding) jsonFinding {
	r := rules.ByID(f.RuleID)
	jf := jsonFinding{
		RuleID: f.RuleID, Title: r.Title, Severity: f.Severity.String(), Confidence: f.Confidence.String(),
		Axis: string(r.Axis), Format: string(f.Format), Object: f.Object, Message: f.Message,
		Location: jsonLoc(f.Loc), Related: []jsonRelated{}, Controls: controlTags(r, f), Fingerprint: f.Fingerprint,
	}
	jf.RelatedLeftOut = f.RelatedLeftOut
	for _, rel := range f.Related {
		jf.Related = append(jf.Related, jsonRelated{Location: jsonLoc(rel.Loc), Message: rel.Message})
	}
	if fx := f.Fix; fx != nil {
		jf.Fix = &jsonFix{Safety: "safe", Description: fx.Does}
		if fx.Unsafe {
			jf.Fix.Safety = "unsafe"
		}
	}
	if s := f.Suppression; s != nil {
		jf.Suppression = &jsonSuppression{Kind: string(s.Kind), Justification: s.Justification, Expires: s.Expires, Location: jsonLoc(s.Loc)}
	}
	return jf
}

// jsonStream writes a JSON object field by field with the layout of
// json.Encoder with SetIndent("", "  ") and no HTML escaping.
type jsonStream struct {
	w    *bufio.Writer
	encs map[string]*indentEncoder // by prefix
	err  error
	last bool // the next field is the object's last
}

func (j *jsonStream) raw(s string) {
	if j.err == nil {
		_, j.err = j.w.WriteString(s)
	}
}

// value writes v indented as if nested under prefix.
func (j *jsonStream) value(v any, prefix string) {
	if j.err != nil {
		return
	}
	enc := j.encs[prefix]
	if enc == nil {
		if j.encs == nil {
			j.encs = map[string]*indentEncoder{}
		}
		enc = newIndentEncoder(prefix, "  ")
		j.encs[prefix] = enc
	}
	var b []byte
	if b, j.err = enc.encode(v); j.err != nil {
		return
	}
	_, j.err = j.w.Write(b)
}

func (j *jsonStream) field(name string, v any) {
	j.raw("  \"" + name + "\": ")
	j.value(v, "  ")
	j.end()
}

func (j *jsonStream) array(name string, n int, item func(int) any) {
	if n == 0 {
		j.raw("  \"" + name + "\": []")
		j.end()
		return
	}
	j.raw("  \"" + name + "\": [\n")
	for i := range n {
		j.raw("    ")
		j.value(item(i), "    ")
		if i < n-1 {
			j.raw(",\n")
		} else {
			j.raw("\n")
		}
	}
	j.raw("  ]")
	j.end()
}

func (j *jsonStream) end() {
	if j.last {
		j.raw("\n")
	} else {
		j.raw(",\n")
	}
}

// BaselineState is SARIF's baselineState for a finding when a baseline is
// in force: "unchanged" when the baseline records it, else "new".
func BaselineState(f rules.Finding) string {
	if f.Baselined {
		return "unchanged"
	}
	return "new"
}

// controlTags lists the controls a finding maps to, as framework:id.
func controlTags(r *rules.Rule, f rules.Finding) []string {
	out := []string{}
	for _, c := range r.ControlsFor(f) {
		out = append(out, c.Tag())
	}
	sort.Strings(out)
	return out
}
