package output

import (
	"bufio"
	"io"
	"strconv"
	"strings"

	"github.com/isolint/isolint/engine"
	"github.com/isolint/isolint/internal/safetext"
	"github.com/isolint/isolint/model"
	"github.com/isolint/isolint/rules"
)

// GitHub writes one GitHub Actions workflow command per new finding, which
// the runner turns into an annotation on the file and line:
//
//	::error file=deploy/app.yaml,line=12,col=9,endLine=12,endColumn=25,title=privileged-container: Container runs privileged::message
//
// critical and high findings are errors, medium ones warnings, low ones
// notices. Files that could not be read or parsed are warnings. Suppressed
// and baselined findings are left out: the annotations are the gate.
// Paths are relative to the repository root, as GitHub expects.
// (docs.github.com, "Workflow commands for GitHub Actions".)
func GitHub(w io.Writer, res *engine.Result, opts Options) error {
	bw := bufio.NewWriter(w)
	for _, f := range res.Findings {
		if !Reported(f) {
			continue
		}
		title := f.RuleID
		if r := rules.ByID(f.RuleID); r != nil {
			title += ": " + r.Title
		}
		writeCommand(bw, githubLevel(f.Severity), f.Loc, title, f.Message)
	}
	for _, n := range res.Notices {
		switch n.Level {
		case model.NoticeError:
			writeCommand(bw, "warning", n.Loc, "isolint could not check this file fully", n.Message)
		case model.NoticeWarning:
			writeCommand(bw, "notice", n.Loc, "isolint", n.Message)
		}
	}
	return bw.Flush()
}

func githubLevel(s rules.Severity) string {
	switch s {
	case rules.Critical, rules.High:
		return "error"
	case rules.Medium:
		return "warning"
	}
	return "notice"
}

func writeCommand(w *bufio.Writer, level string, loc model.Location, title, msg string) {
	w.WriteString("::" + level + " file=" + escapeProperty(loc.File))
	if loc.Line > 0 {
		w.WriteString(",line=" + strconv.Itoa(loc.Line))
		if loc.Col > 0 {
			w.WriteString(",col=" + strconv.Itoa(loc.Col))
		}
		if loc.EndLine >= loc.Line {
			w.WriteString(",endLine=" + strconv.Itoa(loc.EndLine))
			// GitHub reads endColumn only on a single-line range
			if loc.EndLine == loc.Line && loc.EndCol > max(loc.Col, 1) {
				w.WriteString(",endColumn=" + strconv.Itoa(loc.EndCol))
			}
		}
	}
	w.WriteString(",title=" + escapeProperty(title) + "::" + escapeData(msg) + "\n")
}

// escapeData and escapeProperty escape as @actions/core does
// (toolkit packages/core/src/command.ts): % CR LF in the message, and
// also : and , in property values, which would otherwise end them.
var (
	dataEscaper     = strings.NewReplacer("%", "%25", "\r", "%0D", "\n", "%0A")
	propertyEscaper = strings.NewReplacer("%", "%25", "\r", "%0D", "\n", "%0A", ":", "%3A", ",", "%2C")
)

// Text from the scanned files passes through safetext.Line first: a
// newline becomes a visible \n rather than a %0A the runner would turn
// back into a line break, and an escape sequence never reaches the log.
func escapeData(s string) string     { return dataEscaper.Replace(safetext.Line(s)) }
func escapeProperty(s string) string { return propertyEscaper.Replace(safetext.Line(s)) }
