package reach

import (
	"strings"

	"github.com/isolint/isolint/internal/safetext"
)

// Clean makes a string taken from scanned input safe to print on a
// terminal line: the one escaper every human-facing writer uses
// (internal/safetext), with tabs escaped too, so that the tree's columns
// hold.
func Clean(s string) string {
	return strings.ReplaceAll(safetext.Line(s), "\t", `\t`)
}
