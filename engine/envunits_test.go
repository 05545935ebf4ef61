package engine

import (
	"slices"
	"strings"
	"testing"

	"github.com/isolint/isolint/internal/testfiles"
	"github.com/isolint/isolint/model"
)

// Run gives per-environment copies their units before the project rules:
// prod's egress policy does not cover staging's copy of the Deployment,
// and the finding names no unit (the files are plain manifests).
func TestRunSeparatesEnvironmentCopies(t *testing.T) {
	deploy := `apiVersion: apps/v1
kind: Deployment
metadata: {name: app, namespace: app}
spec:
  template:
    metadata: {labels: {app: app}}
    spec:
      containers:
        - name: app
          image: example/app:1
`
	dir := t.TempDir()
	testfiles.WriteTree(t, dir, map[string]string{
		"envs/prod/app.yaml":    deploy,
		"envs/staging/app.yaml": deploy,
		"envs/prod/egress.yaml": "apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata: {name: deny, namespace: app}\nspec:\n  podSelector: {}\n  policyTypes: [Egress]\n",
	})
	res, err := Run(Options{Paths: []string{dir}, Base: dir, RequireEgressPolicy: true})
	if err != nil {
		t.Fatal(err)
	}
	var files []string
	for _, f := range res.Findings {
		if f.RuleID != "egress-unrestricted" {
			continue
		}
		files = append(files, f.Loc.File)
		if f.Unit != "" || strings.Contains(f.Message, "envs/") {
			t.Errorf("an environment unit leaked into the finding: unit %q, %q", f.Unit, f.Message)
		}
	}
	if !slices.Equal(files, []string{"envs/staging/app.yaml"}) {
		t.Errorf("egress-unrestricted on %q, want on staging's copy only", files)
	}
	// the report's inventory agrees: staging's copy has open egress
	if open := res.Inventory.Tally(model.InputOpenEgress, string(model.FormatK8s)); open == nil || open.Count != 1 {
		t.Errorf("the inventory's open egress: %+v, want staging's copy", open)
	}
}
