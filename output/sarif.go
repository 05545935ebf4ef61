package output

import (
	"io"
	"strings"

	"github.com/isolint/isolint/engine"
	"github.com/isolint/isolint/internal/version"
	"github.com/isolint/isolint/model"
	"github.com/isolint/isolint/rules"
	"github.com/owenrumney/go-sarif/v2/sarif"
)

// srcRoot is the uriBaseId of every location: GitHub code scanning resolves
// it to the repository checkout.
const srcRoot = "%SRCROOT%"

// fingerprintKey names isolint's partial fingerprint. Its value hashes rule,
// file, object and key path, never the line, so code scanning keeps an
// alert's identity when lines move.
const fingerprintKey = "isolint/v1"

// SARIF writes a SARIF 2.1.0 log that GitHub code scanning accepts as is:
// full rule metadata with help and security-severity, regions, related
// locations, partial fingerprints, suppressions with their justification,
// and a tool execution notification per input problem.
func SARIF(w io.Writer, res *engine.Result, opts Options) error {
	rep, err := sarif.New(sarif.Version210)
	if err != nil {
		return err
	}
	run := sarif.NewRunWithInformationURI("isolint", version.InformationURI)
	run.Tool.Driver.WithVersion(opts.Version)
	if v := strings.TrimPrefix(opts.Version, "v"); v != "" && v[0] >= '0' && v[0] <= '9' {
		run.Tool.Driver.WithSemanticVersion(v)
	}
	run.WithColumnKind("unicodeCodePoints")

	all := rules.All()
	index := map[string]int{}
	for i, r := range all {
		index[r.ID] = i
		tags := []string{"security", string(r.Axis)}
		for _, c := range r.Controls {
			tags = append(tags, c.Tag())
		}
		props := sarif.NewPropertyBag()
		props.Add("security-severity", r.Severity.SecurityScore())
		props.Add("tags", tags)
		props.Add("precision", precision(r.Confidence))
		props.Add("problem.severity", problemSeverity(r.Severity))
		run.AddRule(r.ID).
			WithName(ruleName(r.ID)).
			WithShortDescription(sarif.NewMultiformatMessageString(r.Title)).
			WithFullDescription(sarif.NewMultiformatMessageString(r.Description)).
			WithHelp(sarif.NewMultiformatMessageString(helpText(r)).WithMarkdown(r.Help())).
			WithDefaultConfiguration(sarif.NewReportingConfiguration().WithLevel(r.Severity.SARIFLevel())).
			WithProperties(props.Properties)
	}

	for _, f := range res.Findings {
		result := sarif.NewRuleResult(f.RuleID).
			WithRuleIndex(index[f.RuleID]).
			WithLevel(f.Severity.SARIFLevel()).
			WithMessage(sarif.NewTextMessage(f.Message)).
			WithLocations([]*sarif.Location{location(f.Loc)})
		result.WithPartialFingerPrints(map[string]interface{}{fingerprintKey: f.Fingerprint})
		for i, rel := range f.Related {
			l := location(rel.Loc).WithId(i + 1).WithMessage(sarif.NewTextMessage(rel.Message))
			result.AddRelatedLocation(l)
		}
		if s := f.Suppression; s != nil {
			sup := sarif.NewSuppression(string(s.Kind)).WithJustifcation(s.Justification).WithStatus("accepted")
			if !s.Loc.IsZero() {
				sup.WithLocation(location(s.Loc))
			}
			result.AddSuppression(sup)
		}
		props := sarif.NewPropertyBag()
		props.Add("confidence", f.Confidence.String())
		props.Add("severity", f.Severity.String())
		if f.Object != "" {
			props.Add("object", f.Object)
		}
		if f.Format != "" {
			props.Add("format", string(f.Format))
		}
		result.AttachPropertyBag(props)
		run.AddResult(result)
	}

	inv := sarif.NewInvocation().WithExecutionSuccess(true)
	inv.WithToolExecutionNotifications([]*sarif.Notification{})
	for _, n := range res.Notices {
		note := sarif.NewNotification().WithLevel(noticeLevel(n.Level)).WithMessage(sarif.NewTextMessage(n.Message))
		note.WithLocations([]*sarif.Location{location(n.Loc)})
		inv.AddTToolExecutionNotification(note)
	}
	run.AddInvocations(inv)
	if opts.SARIFCategory != "" {
		id := opts.SARIFCategory
		if !strings.HasSuffix(id, "/") {
			id += "/"
		}
		run.WithAutomationDetails(sarif.NewRunAutomationDetails().WithID(id))
	}
	rep.AddRun(run)
	return rep.PrettyWrite(w)
}

// location renders a model location; lines and columns are never below 1.
func location(l model.Location) *sarif.Location {
	art := sarif.NewArtifactLocation().WithUri(uriEscape(l.File)).WithUriBaseId(srcRoot)
	pl := sarif.NewPhysicalLocation().WithArtifactLocation(art)
	if l.Line > 0 {
		r := sarif.NewRegion().WithStartLine(l.Line).WithStartColumn(max(l.Col, 1))
		if l.EndLine >= l.Line && l.EndCol > 0 {
			end := l.EndCol
			if l.EndLine == l.Line && end <= max(l.Col, 1) {
				end = max(l.Col, 1) + 1
			}
			r.WithEndLine(l.EndLine).WithEndColumn(end)
		}
		pl.WithRegion(r)
	}
	return sarif.NewLocationWithPhysicalLocation(pl)
}

// uriEscape makes a relative path a valid URI reference (spaces, %, #, ?).
func uriEscape(p string) string {
	var b strings.Builder
	for i := 0; i < len(p); i++ {
		c := p[i]
		switch {
		case c == ' ' || c == '%' || c == '#' || c == '?' || c == '[' || c == ']' || c < 0x20 || c >= 0x7f:
			b.WriteString("%")
			b.WriteString(strings.ToUpper(string("0123456789abcdef"[c>>4]) + string("0123456789abcdef"[c&15])))
		default:
			b.WriteByte(c)
		}
	}
	return b.String()
}

// ruleName is the rule ID in PascalCase, as SARIF viewers show rule names.
func ruleName(id string) string {
	var b strings.Builder
	for _, part := range strings.Split(id, "-") {
		if part == "" {
			continue
		}
		b.WriteString(strings.ToUpper(part[:1]) + part[1:])
	}
	return b.String()
}

func helpText(r *rules.Rule) string {
	s := r.Description
	if r.Fix != "" {
		s += "\n\nHow to fix: " + r.Fix
	}
	return s
}

func precision(c rules.Confidence) string {
	switch c {
	case rules.ConfidenceHigh:
		return "high"
	case rules.ConfidenceMedium:
		return "medium"
	}
	return "low"
}

func problemSeverity(s rules.Severity) string {
	switch s {
	case rules.Critical, rules.High:
		return "error"
	case rules.Medium:
		return "warning"
	}
	return "recommendation"
}

func noticeLevel(l model.NoticeLevel) string {
	switch l {
	case model.NoticeError:
		return "error"
	case model.NoticeWarning:
		return "warning"
	}
	return "note"
}
