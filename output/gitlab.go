package output

import (
	"bytes"
	"encoding/json"
	"io"

	"github.com/isolint/isolint/engine"
	"github.com/isolint/isolint/internal/safetext"
	"github.com/isolint/isolint/rules"
)

// gitlabIssue is one entry of a GitLab Code Quality report, the subset of
// the Code Climate issue format GitLab reads (docs.gitlab.com, "Code
// Quality", "Code Quality report format").
type gitlabIssue struct {
	Type        string         `json:"type"`
	CheckName   string         `json:"check_name"`
	Description string         `json:"description"`
	Categories  []string       `json:"categories"`
	Severity    string         `json:"severity"`
	Fingerprint string         `json:"fingerprint"`
	Location    gitlabLocation `json:"location"`
}

type gitlabLocation struct {
	Path  string      `json:"path"`
	Lines gitlabLines `json:"lines"`
}

type gitlabLines struct {
	Begin int `json:"begin"`
	End   int `json:"end,omitempty"`
}

// GitLab writes a GitLab Code Quality report (a JSON array of issues) for
// `artifacts:reports:codequality`. Each new finding is one issue; its
// fingerprint is isolint's, which ignores line moves, so GitLab's merge
// request widget does not show a finding as fixed and reintroduced when
// lines above it change. Suppressed and baselined findings are left out.
func GitLab(w io.Writer, res *engine.Result, opts Options) error {
	issues := []gitlabIssue{}
	for _, f := range res.Findings {
		if !Reported(f) {
			continue
		}
		lines := gitlabLines{Begin: max(f.Loc.Line, 1)}
		if f.Loc.EndLine > lines.Begin {
			lines.End = f.Loc.EndLine
		}
		issues = append(issues, gitlabIssue{
			Type:        "issue",
			CheckName:   f.RuleID,
			Description: safetext.Line(f.Message) + " (isolint " + f.RuleID + ")",
			Categories:  []string{"Security"},
			Severity:    gitlabSeverity(f.Severity),
			Fingerprint: f.Fingerprint,
			Location:    gitlabLocation{Path: f.Loc.File, Lines: lines},
		})
	}
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	if err := enc.Encode(issues); err != nil {
		return err
	}
	_, err := w.Write(b.Bytes())
	return err
}

// gitlabSeverity maps isolint's four severities onto the top four of
// GitLab's five (info, minor, major, critical, blocker).
func gitlabSeverity(s rules.Severity) string {
	switch s {
	case rules.Critical:
		return "blocker"
	case rules.High:
		return "critical"
	case rules.Medium:
		return "major"
	}
	return "minor"
}
