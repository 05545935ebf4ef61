package rules

import (
	"github.com/isolint/isolint/controls"
	"github.com/isolint/isolint/model"
)

var _ = register(&Rule{
	ID:         "secrets-inherit",
	Title:      "Reusable workflow receives every secret",
	Severity:   High,
	Confidence: ConfidenceHigh,
	Axis:       AxisSecrets,
	Formats:    []model.Format{model.FormatGHA},
	Controls: []controls.Ref{
		nhi(2), nist("AC-6"), nist("SC-4"), nist("IA-5"), csf("PR.AA-05"), csf("PR.DS-10"), cicd(6), cicd(5),
	},
	Description: "A job that calls a reusable workflow with `secrets: inherit` hands the callee every secret " +
		"the caller can read: repository, environment and organisation secrets, including ones added later. " +
		"The called workflow, and every action it uses, can then read credentials it never needed, and a " +
		"change to the callee (another repository, a moving tag) silently widens who holds them.",
	Fix: "Pass only the secrets the called workflow declares under `on.workflow_call.secrets`, one by one: " +
		"`secrets: { NPM_TOKEN: ${{ secrets.NPM_TOKEN }} }`.",
	Examples: []Example{{
		Format: model.FormatGHA, Path: ".github/workflows/release.yml",
		Bad: `on: push
permissions:
  contents: read
jobs:
  publish:
    uses: example/workflows/.github/workflows/publish.yml@v1
    secrets: inherit`,
		Good: `on: push
permissions:
  contents: read
jobs:
  publish:
    uses: example/workflows/.github/workflows/publish.yml@v1
    secrets:
      NPM_TOKEN: ${{ secrets.NPM_TOKEN }}`,
	}},
	Workload: func(p *Pass, w *model.Workload) {
		if w.CI == nil || w.CI.Call == nil {
			return
		}
		if b := w.CI.Call.SecretsInherit; b.IsTrue() {
			p.ReportAt(w, b.Loc, b.Via, "%s calls reusable workflow %s with `secrets: inherit`: the callee receives every secret the caller can read, not only the ones it declares",
				w.Display(), quoteText(w.CI.Call.Uses.Value))
		}
	},
})

// quoteText quotes a value for a message.
func quoteText(s string) string { return `"` + s + `"` }
