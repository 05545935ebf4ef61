package output

import (
	"bufio"
	"fmt"
	"io"

	"github.com/isolint/isolint/engine"
	"github.com/isolint/isolint/internal/safetext"
	"github.com/isolint/isolint/model"
	"github.com/isolint/isolint/rules"
)

const (
	ansiReset  = "\x1b[0m"
	ansiBold   = "\x1b[1m"
	ansiRed    = "\x1b[31m"
	ansiYellow = "\x1b[33m"
	ansiCyan   = "\x1b[36m"
	ansiDim    = "\x1b[2m"
)

func severityColor(s rules.Severity) string {
	switch s {
	case rules.Critical:
		return ansiBold + ansiRed
	case rules.High:
		return ansiRed
	case rules.Medium:
		return ansiYellow
	}
	return ansiCyan
}

// Text writes one line per unsuppressed finding:
//
//	path:line:col: severity rule-id: message
//
// Suppressed and baselined findings are counted in the summary, not listed.
func Text(w io.Writer, res *engine.Result, opts Options) error {
	bw := bufio.NewWriter(w)
	for _, f := range res.Findings {
		if !Reported(f) {
			continue
		}
		// file names and messages come from the scanned files: escaped,
		// so that no line starts with what they choose
		path := safetext.Path(relToCwd(res, opts.Cwd, f.Loc.File))
		sev := f.Severity.String()
		if opts.Color {
			sev = severityColor(f.Severity) + sev + ansiReset
			path = ansiBold + path + ansiReset
		}
		fmt.Fprintf(bw, "%s:%d:%d: %s %s: %s%s\n", path, max(f.Loc.Line, 1), max(f.Loc.Col, 1), sev, f.RuleID, safetext.Line(f.Message), fixMark(f))
	}
	return bw.Flush()
}

// TextSummary writes the notices and a summary for stderr: what was
// covered, how many findings by severity, how many suppressed.
func TextSummary(w io.Writer, res *engine.Result, opts Options) {
	bw := bufio.NewWriter(w)
	defer bw.Flush()
	for _, n := range res.Notices {
		if opts.Quiet && n.Level != model.NoticeError {
			continue
		}
		path := safetext.Path(relToCwd(res, opts.Cwd, n.Loc.File))
		where := path
		if n.Loc.Line > 0 {
			where = fmt.Sprintf("%s:%d", path, n.Loc.Line)
		}
		level := string(n.Level)
		if opts.Color {
			level = ansiDim + level + ansiReset
		}
		fmt.Fprintf(bw, "%s: %s: %s\n", where, level, safetext.Line(n.Message))
	}
	if opts.Quiet {
		return
	}
	s := summarize(res)
	baselined := ""
	if s.Baselined != nil {
		baselined = fmt.Sprintf("; %d baselined (in %s, not reported)", *s.Baselined, safetext.Line(res.Baseline.File))
	}
	fmt.Fprintf(bw, "isolint: %d finding(s): %d critical, %d high, %d medium, %d low; %d suppressed%s\n",
		s.Total, s.BySeverity["critical"], s.BySeverity["high"], s.BySeverity["medium"], s.BySeverity["low"], s.Suppressed, baselined)
	fmt.Fprintf(bw, "isolint: files: %s\n", CoverageLine(res))
}

// fixMark tells, after the message, that `isolint fix` can resolve the
// finding.
func fixMark(f rules.Finding) string {
	switch {
	case f.Fix == nil:
		return ""
	case f.Fix.Unsafe:
		return " [fixable with --unsafe]"
	}
	return " [fixable]"
}
