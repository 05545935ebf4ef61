package rules

import (
	"github.com/isolint/isolint/controls"
	"github.com/isolint/isolint/model"
)

var _ = register(&Rule{
	ID:         "self-hosted-runner-untrusted",
	Title:      "Self-hosted runner runs untrusted code",
	Severity:   High,
	Confidence: ConfidenceHigh,
	Axis:       AxisIdentity,
	Formats:    []model.Format{model.FormatGHA},
	Controls: []controls.Ref{
		nhi(8), nhi(9), nist("SC-4"), nist("AC-4"), csf("PR.IR-01"), cicd(5), cicd(4), cicd(7),
	},
	Description: "A self-hosted runner is a persistent machine: what one job leaves behind (a modified tool, " +
		"a background process, a poisoned cache, credentials on disk) is there for the next job, and the " +
		"machine's own network reach and cloud identity are every job's. A job on it that pull requests " +
		"from forks, comments or issues can start runs code from outside the project next to the jobs that " +
		"deploy. GitHub advises against self-hosted runners for public repositories for this reason. A " +
		"runner group or custom labels that name no GitHub-hosted image are reported with medium confidence.",
	Fix: "Run untrusted events on GitHub-hosted (or ephemeral, single-use) runners, and keep self-hosted " +
		"runners for jobs that only trusted refs start (push to protected branches, releases). Restrict fork " +
		"jobs with `if: github.event.pull_request.head.repo.full_name == github.repository` where they must " +
		"use the runner.",
	Examples: []Example{{
		Format: model.FormatGHA, Path: ".github/workflows/test.yml",
		Bad: `on: pull_request
permissions:
  contents: read
jobs:
  test:
    runs-on: [self-hosted, linux, gpu]
    steps:
      - run: make test`,
		Good: `on: pull_request
permissions:
  contents: read
jobs:
  test:
    runs-on: ubuntu-latest
    steps:
      - run: make test`,
	}},
	Workload: func(p *Pass, w *model.Workload) {
		j := w.CI
		if j == nil || j.Runner.Hosted {
			return
		}
		conf := ConfidenceHigh
		if !j.Runner.SelfHosted {
			if !j.Runner.Group.Known() && !allKnown(j.Runner.Labels) {
				return // a label given by an expression: unknown
			}
			if len(j.Runner.Labels) == 0 && !j.Runner.Group.Known() {
				return
			}
			conf = ConfidenceMedium
		}
		for _, e := range j.Events {
			if e.Trust != model.TrustUntrusted {
				continue
			}
			what := "self-hosted runner"
			if !j.Runner.SelfHosted {
				what = "runner that is not GitHub-hosted"
			}
			p.Report(Finding{
				Message: w.Display() + " runs on a " + what + " (" + j.Runner.Display() + ") and " + e.Event +
					" events can start it: code from outside the project runs on a persistent machine shared with trusted jobs",
				Loc: j.Runner.Loc, Related: []model.Related{{Loc: e.Loc, Message: "untrusted trigger " + e.Event}},
				Format: w.Format, Object: w.ID(), Workload: w.Name, Unit: w.Unit, Confidence: conf,
			})
			return
		}
	},
})

func allKnown(ss []model.String) bool {
	for _, s := range ss {
		if !s.Known() {
			return false
		}
	}
	return true
}
