package rules

import (
	"fmt"
	"strings"
)

// MarkdownTable renders the rule catalogue as the README shows it. The
// README's copy is checked against this by a test, so it cannot drift.
func MarkdownTable() string {
	var b strings.Builder
	b.WriteString("| rule | severity | axis | formats | what it flags |\n|---|---|---|---|---|\n")
	for _, r := range All() {
		fmt.Fprintf(&b, "| `%s` | %s | %s | %s | %s |\n", r.ID, r.Severity, r.Axis, formatList(r.Formats), strings.ReplaceAll(r.Title, "|", "\\|"))
	}
	return b.String()
}
