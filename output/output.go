// Package output writes a finished scan in each output format, one file per
// format, all from the same sorted result list. Writers decide nothing about
// what is a finding; they only render.
package output

import (
	"fmt"
	"io"
	"path/filepath"
	"sort"
	"strings"

	"github.com/isolint/isolint/engine"
	"github.com/isolint/isolint/model"
	"github.com/isolint/isolint/rules"
)

// Options are the settings every writer may use.
type Options struct {
	// Version is the isolint version to record.
	Version string
	// Color enables ANSI colour in text output.
	Color bool
	// Quiet leaves out of TextSummary everything but error notices: the
	// summary lines, warnings and notes (-q).
	Quiet bool
	// Cwd is the working directory; text output shows paths relative to it.
	Cwd string
	// SARIFCategory sets runAutomationDetails.id.
	SARIFCategory string
}

// Writer renders a result.
type Writer func(w io.Writer, res *engine.Result, opts Options) error

// Formats maps --format names to writers.
var Formats = map[string]Writer{
	"text":   Text,
	"json":   JSON,
	"sarif":  SARIF,
	"github": GitHub,
	"gitlab": GitLab,
	"junit":  JUnit,
}

// FormatNames lists the --format names, sorted.
func FormatNames() []string {
	var out []string
	for k := range Formats {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

// Summary counts a result's findings.
type Summary struct {
	Total      int            `json:"findings"`
	Suppressed int            `json:"suppressed"`
	BySeverity map[string]int `json:"bySeverity"`
	// Baselined counts the findings the baseline in force records; it is
	// present only when a baseline is in force.
	Baselined *int `json:"baselined,omitempty"`
}

// Summarize counts new (not suppressed, not baselined) findings by
// severity, suppressed ones and baselined ones.
func Summarize(fs []rules.Finding) Summary {
	s := Summary{BySeverity: map[string]int{"critical": 0, "high": 0, "medium": 0, "low": 0}}
	baselined := 0
	for _, f := range fs {
		if f.Suppression != nil {
			s.Suppressed++
			continue
		}
		if f.Baselined {
			baselined++
			continue
		}
		s.Total++
		s.BySeverity[f.Severity.String()]++
	}
	if baselined > 0 {
		s.Baselined = &baselined
	}
	return s
}

// summarize is Summarize with Baselined present whenever a baseline is in
// force, even when it matched nothing.
func summarize(res *engine.Result) Summary {
	s := Summarize(res.Findings)
	if res.Baseline != nil && s.Baselined == nil {
		zero := 0
		s.Baselined = &zero
	}
	return s
}

// Reported reports whether a finding is one CI outputs list: neither
// waived nor recorded in the baseline in force.
func Reported(f rules.Finding) bool {
	return f.Suppression == nil && !f.Baselined
}

// relToCwd turns a display path into one relative to the working
// directory, for clickable terminal output.
func relToCwd(res *engine.Result, cwd, p string) string {
	if cwd == "" || res.Base == "" || cwd == res.Base || filepath.IsAbs(p) {
		return p
	}
	rel, err := filepath.Rel(cwd, filepath.Join(res.Base, filepath.FromSlash(p)))
	if err != nil {
		return p
	}
	return filepath.ToSlash(rel)
}

// CoverageLine describes what the scan covered, per format.
func CoverageLine(res *engine.Result) string {
	var parts []string
	var formats []string
	for f := range res.Stats.Formats {
		formats = append(formats, string(f))
	}
	sort.Strings(formats)
	for _, f := range formats {
		st := res.Stats.Formats[model.Format(f)]
		if st.Seen == 0 {
			continue
		}
		p := fmt.Sprintf("%s: %d seen, %d scanned, %d skipped", f, st.Seen, st.Scanned, st.Skipped)
		if st.Errors > 0 {
			p += fmt.Sprintf(", %d with errors", st.Errors)
		}
		parts = append(parts, p)
	}
	for _, k := range []model.RenderKind{model.RenderHelm, model.RenderKustomize} {
		st := res.Stats.Renderings[k]
		if st == nil || st.Seen == 0 {
			continue
		}
		unit := map[model.RenderKind]string{model.RenderHelm: "helm charts", model.RenderKustomize: "kustomize overlays"}[k]
		p := fmt.Sprintf("%s: %d seen, %d rendered", unit, st.Seen, st.Rendered)
		if st.Failed > 0 {
			p += fmt.Sprintf(", %d failed (not checked)", st.Failed)
		}
		parts = append(parts, p)
	}
	if len(parts) == 0 {
		parts = append(parts, "no supported file found")
	}
	if res.Stats.Unrecognised > 0 {
		parts = append(parts, fmt.Sprintf("%d YAML/JSON file(s) of no supported format", res.Stats.Unrecognised))
	}
	return strings.Join(parts, "; ")
}
