package output

import (
	"encoding/json"
	"io"
	"sort"

	"github.com/isolint/isolint/engine"
	"github.com/isolint/isolint/model"
	"github.com/isolint/isolint/rules"
)

// JSONSchemaVersion is bumped on any incompatible change to the JSON output
// (documented in docs/json-output.md).
const JSONSchemaVersion = "1"

type jsonReport struct {
	SchemaVersion string        `json:"schemaVersion"`
	Tool          jsonTool      `json:"tool"`
	Findings      []jsonFinding `json:"findings"`
	Notices       []jsonNotice  `json:"notices"`
	Summary       jsonSummary   `json:"summary"`
}

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
	RuleID      string           `json:"ruleId"`
	Title       string           `json:"title"`
	Severity    string           `json:"severity"`
	Confidence  string           `json:"confidence"`
	Axis        string           `json:"axis"`
	Format      string           `json:"format,omitempty"`
	Object      string           `json:"object,omitempty"`
	Message     string           `json:"message"`
	Location    jsonLocation     `json:"location"`
	Related     []jsonRelated    `json:"related"`
	Controls    []string         `json:"controls"`
	Fingerprint string           `json:"fingerprint"`
	Suppression *jsonSuppression `json:"suppression,omitempty"`
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
}

func jsonLoc(l model.Location) jsonLocation {
	return jsonLocation{File: l.File, Line: l.Line, Column: l.Col, EndLine: l.EndLine, EndColumn: l.EndCol, KeyPath: l.Path}
}

// JSON writes the documented JSON report (docs/json-output.md).
func JSON(w io.Writer, res *engine.Result, opts Options) error {
	rep := jsonReport{
		SchemaVersion: JSONSchemaVersion,
		Tool:          jsonTool{Name: "isolint", Version: opts.Version},
		Findings:      []jsonFinding{},
		Notices:       []jsonNotice{},
		Summary:       jsonSummary{Summary: Summarize(res.Findings), Formats: map[string]*engine.FormatStats{}, Unrecognised: res.Stats.Unrecognised},
	}
	for f, st := range res.Stats.Formats {
		rep.Summary.Formats[string(f)] = st
	}
	for _, f := range res.Findings {
		r := rules.ByID(f.RuleID)
		jf := jsonFinding{
			RuleID: f.RuleID, Title: r.Title, Severity: f.Severity.String(), Confidence: f.Confidence.String(),
			Axis: string(r.Axis), Format: string(f.Format), Object: f.Object, Message: f.Message,
			Location: jsonLoc(f.Loc), Related: []jsonRelated{}, Controls: controlTags(r, f), Fingerprint: f.Fingerprint,
		}
		for _, rel := range f.Related {
			jf.Related = append(jf.Related, jsonRelated{Location: jsonLoc(rel.Loc), Message: rel.Message})
		}
		if s := f.Suppression; s != nil {
			jf.Suppression = &jsonSuppression{Kind: string(s.Kind), Justification: s.Justification, Expires: s.Expires, Location: jsonLoc(s.Loc)}
		}
		rep.Findings = append(rep.Findings, jf)
	}
	for _, n := range res.Notices {
		rep.Notices = append(rep.Notices, jsonNotice{Level: string(n.Level), Location: jsonLoc(n.Loc), Message: n.Message})
	}
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	return enc.Encode(rep)
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
