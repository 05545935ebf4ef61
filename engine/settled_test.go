package engine

import (
	"testing"

	"github.com/isolint/isolint/internal/testfiles"
)

// A workflow no other can call is checked on the file worker (Scanner.
// Settled), not with its format's tail: its findings and what the
// inventory counts of it come from there, each once. (Checking it again in
// the tail would cost time only: finish merges equal findings.)
func TestSettledWorkflowFindingsAndInventory(t *testing.T) {
	dir := t.TempDir()
	testfiles.WriteTree(t, dir, map[string]string{
		".github/workflows/ci.yml": "on: push\njobs:\n  build:\n    runs-on: ubuntu-latest\n    env:\n      DEPLOY_TOKEN: ${{ secrets.DEPLOY_TOKEN }}\n    steps:\n      - uses: actions/checkout@v4\n      - run: make\n",
	})
	res, err := Run(Options{Paths: []string{dir}, Base: dir})
	if err != nil {
		t.Fatal(err)
	}
	for in, scopes := range res.Inventory.Inputs {
		for scope, tally := range scopes {
			if tally.Count != 1 {
				t.Errorf("inventory %s/%s counts %d, want 1: the job was checked twice", in, scope, tally.Count)
			}
		}
	}
	if len(res.Inventory.Inputs) == 0 {
		t.Error("the inventory counts nothing of the workflow")
	}
	seen := map[string]int{}
	for _, f := range res.Findings {
		seen[f.RuleID]++
	}
	for _, id := range []string{"secret-scope-too-wide", "checkout-persists-credentials"} {
		if seen[id] != 1 {
			t.Errorf("%d %s findings, want 1", seen[id], id)
		}
	}
}
