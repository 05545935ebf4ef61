package rules

import (
	"regexp"
	"strings"

	"github.com/isolint/isolint/controls"
	"github.com/isolint/isolint/model"
)

var _ = register(&Rule{
	ID:         "checkout-persists-credentials",
	Title:      "Checkout leaves the job token on disk",
	Severity:   Medium,
	Confidence: ConfidenceHigh,
	Axis:       AxisSecrets,
	Formats:    []model.Format{model.FormatGHA},
	Controls: []controls.Ref{
		nhi(2), nist("IA-5"), nist("AC-6"), csf("PR.AA-05"), csf("PR.PS-01"), cicd(6),
	},
	Description: "`actions/checkout` stores the job's token in the checkout's git configuration unless " +
		"`persist-credentials: false` is set. Every later step, including third-party actions and build " +
		"scripts that never push, can then read the token from disk, and an artifact or cache that includes " +
		"the workspace publishes it (zizmor calls this artipacked).",
	Fix: "Add `with: { persist-credentials: false }` to the checkout step. A step that really pushes can " +
		"authenticate explicitly (`git push https://x-access-token:${GITHUB_TOKEN}@github.com/…` with the " +
		"token in that step's env only).",
	Examples: []Example{{
		Format: model.FormatGHA, Path: ".github/workflows/test.yml",
		Bad: `on: push
permissions:
  contents: read
jobs:
  test:
    runs-on: ubuntu-latest
    steps:
      - uses: actions/checkout@v4
      - run: make test`,
		Good: `on: push
permissions:
  contents: read
jobs:
  test:
    runs-on: ubuntu-latest
    steps:
      - uses: actions/checkout@v4
        with:
          persist-credentials: false
      - run: make test`,
	}},
	Workload: func(p *Pass, w *model.Workload) {
		if w.CI == nil {
			return
		}
		steps := w.CI.Steps
		for i, st := range steps {
			if st.Action != "actions/checkout" || st.WithUnknown {
				continue
			}
			loc := st.Uses.Loc
			how := "does not set `persist-credentials: false`"
			if in := st.Input("persist-credentials"); in != nil {
				if !in.Value.Known() {
					continue // decided at run time
				}
				if !model.CheckoutPersists(in.Value.Value) {
					continue
				}
				loc, how = in.Value.Loc, "sets `persist-credentials` to a value other than false"
			} else {
				loc.Synthetic = true
				loc.Path = strings.TrimSuffix(loc.Path, ".uses") + ".with.persist-credentials"
			}
			var related []model.Related
			for _, later := range steps[i+1:] {
				if uploadsWorkspace(later) {
					related = append(related, model.Related{Loc: later.Uses.Loc, Message: "this upload includes the checkout, and the token in it"})
				}
			}
			token := "the job token"
			if in := st.Input("token"); in != nil && !model.IsJobTokenRef(in.Value.Value) {
				token = "the token its `token:` input gives"
				if v := strings.TrimSpace(in.Value.Value); wholeExpr.MatchString(v) {
					// a reference names a secret, never its value; a
					// token written in the file is not repeated
					token += " (" + v + ")"
				}
			}
			p.ReportAt(w, loc, related, "%s of %s %s: %s stays in .git/config for every later step to read", st.Display(), w.Display(), how, token)
		}
	},
})

// wholeExpr is a value that is one `${{ … }}` expression and nothing else.
var wholeExpr = regexp.MustCompile(`^\$\{\{[^{}]*\}\}$`)

// uploadsWorkspace reports an artifact upload of the whole checkout.
func uploadsWorkspace(st *model.Step) bool {
	if st.Action != "actions/upload-artifact" {
		return false
	}
	in := st.Input("path")
	if in == nil {
		return false
	}
	for _, line := range strings.Split(in.Value.Value, "\n") {
		switch strings.TrimSpace(line) {
		case ".", "./", "${{ github.workspace }}", "${{github.workspace}}":
			return true
		}
	}
	return false
}
