package output

import (
	"testing"

	"github.com/isolint/isolint/internal/golden"
)

// The rule metadata every SARIF log holds is encoded when the rule
// catalogue changes, not on every run: sarif_rules.json must be what the
// catalogue encodes to now (`go test ./output -update` rewrites it).
func TestEmbeddedSARIFRules(t *testing.T) {
	b, err := encodeRules()
	if err != nil {
		t.Fatal(err)
	}
	golden.Check(t, "sarif_rules.json", b)
}
