package report

import (
	"fmt"
	"io"
	"strings"

	"github.com/isolint/isolint/internal/safetext"
)

// markdownBudget keeps a Markdown report under GitHub's 65,536-character
// limit for a pull-request comment, with room for a heading a workflow
// may add.
const markdownBudget = 60000

// markdownMaxListed is how many controls no rule tests are named one by
// one; a larger catalogue (NIST SP 800-53) gives only their number.
const markdownMaxListed = 60

// Markdown writes the report for a pull-request comment: the summary, the
// scan metadata, a table of controls and, folded, the evidence per failing
// control and the waived findings. When the whole would not fit in a
// comment, evidence is cut per control (the JSON and HTML reports keep all
// of it) and the cut is said.
func Markdown(w io.Writer, r *Report) error {
	var out string
	for _, limit := range []int{-1, 25, 5, 0} {
		out = markdown(r, limit)
		if len(out) <= markdownBudget {
			break
		}
	}
	_, err := io.WriteString(w, out)
	return err
}

// markdown renders the report with at most limit evidence rows per control
// (-1: all).
func markdown(r *Report, limit int) string {
	var b strings.Builder
	t := r.Totals
	fmt.Fprintf(&b, "## isolint compliance report: %s\n\n", mdText(r.Framework.Name+" ("+r.Framework.Version+")"))
	fmt.Fprintf(&b, "**%d fail · %d pass · %d not tested** of %d controls — %d finding(s) in force", t.Fail, t.Pass, t.NotTested, t.Controls, t.Findings)
	if r.Scan.Baseline != nil {
		fmt.Fprintf(&b, " (%d recorded in the baseline)", t.Baselined)
	}
	fmt.Fprintf(&b, ", %d waived.\n\n", t.Suppressed)
	if t.Controls > 0 {
		fmt.Fprintf(&b, "`%s`\n\n", bar(r, 40))
	}
	if n := len(r.Scan.FilesWithErrors); n > 0 {
		fmt.Fprintf(&b, "> [!WARNING]\n> %d file(s) could not be read or parsed in full; what they define was not (fully) checked: %s\n\n", n, mdCodeList(r.Scan.FilesWithErrors, 10))
	}

	b.WriteString("| | |\n|---|---|\n")
	fmt.Fprintf(&b, "| Framework | %s %s, %s — catalogue `%s` from %s |\n", mdText(r.Framework.Name), mdText(r.Framework.Version), mdText(r.Framework.Publisher), short(r.Framework.Digest), mdCode(r.Framework.Source.Repo+"@"+shortCommit(r.Framework.Source.Commit)))
	fmt.Fprintf(&b, "| Mapping | `%s` |\n", r.MappingVersion)
	fmt.Fprintf(&b, "| isolint | %s |\n", mdCode(r.Tool.Version))
	fmt.Fprintf(&b, "| Generated | %s |\n", r.GeneratedAt)
	fmt.Fprintf(&b, "| Scanned | %s |\n", mdCodeList(r.Scan.Roots, 10))
	fmt.Fprintf(&b, "| Files | %s |\n", mdText(coverage(r)))
	fmt.Fprintf(&b, "| Config | %s |\n", configText(r, mdCode))
	fmt.Fprintf(&b, "| Baseline | %s |\n\n", baselineText(r, mdCode))

	b.WriteString("### Controls\n\n| Status | Control | Title | Findings | Rules / reason |\n|---|---|---|---:|---|\n")
	var noRule []*Control
	for _, c := range r.Controls {
		if c.NotTested == NoRule {
			noRule = append(noRule, c)
			continue
		}
		detail := ruleIDs(c)
		if c.Status == NotTested {
			detail = c.Reason
		}
		findings := fmt.Sprint(c.Findings)
		if c.Suppressed > 0 {
			findings += fmt.Sprintf(" (+%d waived)", c.Suppressed)
		}
		fmt.Fprintf(&b, "| %s | %s | %s | %s | %s |\n", statusLabel(c.Status), mdCode(c.ID), mdText(c.Title), findings, mdText(detail))
	}
	if len(noRule) > 0 {
		if len(noRule) <= markdownMaxListed {
			fmt.Fprintf(&b, "\n<details><summary>%d control(s) no isolint rule tests</summary>\n\n", len(noRule))
			for _, c := range noRule {
				fmt.Fprintf(&b, "- %s %s\n", mdCode(c.ID), mdText(c.Title))
			}
			b.WriteString("\n</details>\n")
		} else {
			fmt.Fprintf(&b, "\n%d other control(s) of the catalogue have no isolint rule; the JSON and HTML reports list them.\n", len(noRule))
		}
	}

	cut := false
	first := true
	for _, c := range r.Controls {
		if c.Findings == 0 {
			continue
		}
		if first {
			b.WriteString("\n### Evidence\n")
			first = false
		}
		fmt.Fprintf(&b, "\n<details><summary><b>%s</b> %s — %d finding(s)</summary>\n\n", mdText(c.ID), mdText(c.Title), c.Findings)
		b.WriteString("| Where | Object | Rule | Severity | Message |\n|---|---|---|---|---|\n")
		shown := 0
		for _, e := range c.Evidence {
			if e.Suppression != nil {
				continue
			}
			if limit >= 0 && shown == limit {
				cut = true
				fmt.Fprintf(&b, "| … | | | | %d more finding(s) in the JSON or HTML report |\n", c.Findings-shown)
				break
			}
			shown++
			sev := e.Severity
			if e.Baseline == "unchanged" {
				sev += " (baselined)"
			}
			fmt.Fprintf(&b, "| %s | %s | %s | %s | %s |\n", mdCode(e.Where()), mdText(e.Object), mdCode(e.RuleID), sev, mdText(e.Message))
		}
		b.WriteString("\n</details>\n")
	}

	if len(r.Suppressed) > 0 {
		fmt.Fprintf(&b, "\n<details><summary>%d waived finding(s)</summary>\n\n| Where | Object | Rule | Waiver | Reason | Expires |\n|---|---|---|---|---|---|\n", len(r.Suppressed))
		for i, e := range r.Suppressed {
			if limit >= 0 && i == max(limit, 1)*4 {
				cut = true
				fmt.Fprintf(&b, "| … | | | | %d more in the JSON or HTML report | |\n", len(r.Suppressed)-i)
				break
			}
			s := e.Suppression
			fmt.Fprintf(&b, "| %s | %s | %s | %s | %s | %s |\n", mdCode(e.Where()), mdText(e.Object), mdCode(e.RuleID), mdCode(s.Waiver), mdText(s.Justification), mdText(s.Expires))
		}
		b.WriteString("\n</details>\n")
	}
	if cut {
		b.WriteString("\nSome evidence was left out to fit a comment; `isolint report --format json` or `--format html` has all of it.\n")
	}
	return b.String()
}

func statusLabel(s Status) string {
	switch s {
	case Fail:
		return "❌ fail"
	case Pass:
		return "✅ pass"
	}
	return "➖ not tested"
}

// bar draws the share of each status as a line of block characters:
// █ fail, ▒ pass, ░ not tested.
func bar(r *Report, width int) string {
	t := r.Totals
	cells := func(n int) int {
		if n == 0 {
			return 0
		}
		return max(1, n*width/t.Controls)
	}
	f, p := cells(t.Fail), cells(t.Pass)
	n := max(width-f-p, 0)
	if t.NotTested == 0 {
		n = 0
	}
	return strings.Repeat("█", f) + strings.Repeat("▒", p) + strings.Repeat("░", n) +
		fmt.Sprintf(" █ fail %d  ▒ pass %d  ░ not tested %d", t.Fail, t.Pass, t.NotTested)
}

// mdText makes text safe in a Markdown table cell: no line breaks, no
// table pipes, no HTML, no emphasis or link syntax taking effect.
var mdEscaper = strings.NewReplacer(
	"\r", " ", "\n", " ", "|", `\|`, "&", "&amp;", "<", "&lt;", ">", "&gt;",
	`\`, `\\`, "*", `\*`, "_", `\_`, "`", "\\`", "[", `\[`, "]", `\]`,
)

// Text from the scanned files (paths, object names) passes through
// safetext.Line: a report printed to a CI log or a terminal carries no
// escape sequence and starts no line of its own.
func mdText(s string) string { return mdEscaper.Replace(safetext.Line(s)) }

// mdCode renders s as inline code, or as escaped text when it holds a
// backtick or a pipe, which code spans cannot carry in a table.
func mdCode(s string) string {
	if s == "" {
		return ""
	}
	if strings.ContainsAny(s, "`|\r\n") {
		return mdText(s)
	}
	return "`" + safetext.Line(s) + "`"
}

func mdCodeList(items []string, n int) string {
	var out []string
	for i, s := range items {
		if i == n {
			out = append(out, fmt.Sprintf("and %d more", len(items)-n))
			break
		}
		out = append(out, mdCode(s))
	}
	return strings.Join(out, ", ")
}
