package rules

import (
	"path"
	"strings"

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
		"deploy. GitHub advises against self-hosted runners for public repositories for this reason. " +
		"`runs-on: self-hosted` is self-hosted (high confidence). A label that is neither a standard " +
		"GitHub-hosted label nor `self-hosted` (`ubuntu-24.04-4core`), or a runner group (`runs-on: {group: …}`, " +
		"which also targets GitHub-hosted larger runners), may be a GitHub-hosted larger runner: it is reported " +
		"with low confidence, saying so, unless `runner-labels` in .isolint.yaml lists it as self-hosted (high) " +
		"or GitHub-hosted (quiet).",
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
		r := j.Runner
		conf := ConfidenceHigh
		what := "self-hosted runner"
		switch {
		case r.SelfHosted:
		case r.Group.Known() && matchesAny(r.Group.Value, p.Options.GitHubHostedLabels):
			return // a group of GitHub-hosted larger runners, by the configuration
		case r.Group.Known() && matchesAny(r.Group.Value, p.Options.SelfHostedLabels):
			what = "self-hosted runner group (by the configuration's runner-labels)"
		case r.Group.Known():
			// GitHub-hosted larger runners are targeted by group too
			// (https://docs.github.com/en/actions/using-github-hosted-runners/using-larger-runners/running-jobs-on-larger-runners#using-groups-to-control-where-jobs-are-run)
			conf = ConfidenceLow
			what = "runner group: it may hold self-hosted runners or GitHub-hosted larger runners (list the organisation's groups under runner-labels in .isolint.yaml to settle it)"
		case len(r.Labels) == 0 || !allKnown(r.Labels):
			return // a label given by an expression: unknown
		default:
			// labels GitHub does not define: the configuration settles them
			switch settleLabels(r.Labels, p.Options) {
			case labelsHosted:
				return
			case labelsSelfHosted:
				what = "self-hosted runner (by the configuration's runner-labels)"
			default:
				conf = ConfidenceLow
				what = "runner whose labels name no standard GitHub-hosted runner: it may be self-hosted or a GitHub-hosted larger runner (list the organisation's labels under runner-labels in .isolint.yaml to settle it)"
			}
		}
		for _, e := range j.Events {
			if e.Trust != model.TrustUntrusted {
				continue
			}
			p.Report(Finding{
				Message: w.Display() + " runs on a " + what + " (" + r.Display() + ") and " + e.Event +
					" events can start it: code from outside the project runs on a persistent machine shared with trusted jobs",
				Loc: r.Loc, Related: []model.Related{{Loc: e.Loc, Message: "untrusted trigger " + e.Event}},
				Format: w.Format, Object: w.ID(), Workload: w.Name, Unit: w.Unit, Confidence: conf,
			})
			return
		}
	},
})

type labelVerdict int

const (
	labelsUnsettled labelVerdict = iota
	labelsHosted
	labelsSelfHosted
)

// settleLabels judges custom runner labels by the configured lists: one
// self-hosted label makes the runner self-hosted; labels that are all
// GitHub-hosted (configured or standard) make it hosted; else unsettled.
func settleLabels(labels []model.String, opts Options) labelVerdict {
	hosted := true
	for _, lb := range labels {
		switch {
		case matchesAny(lb.Value, opts.SelfHostedLabels):
			return labelsSelfHosted
		case matchesAny(lb.Value, opts.GitHubHostedLabels) || model.IsGitHubHostedLabel(strings.ToLower(lb.Value)):
		default:
			hosted = false
		}
	}
	if hosted {
		return labelsHosted
	}
	return labelsUnsettled
}

// matchesAny reports a label matching one of the configured globs.
func matchesAny(label string, patterns []string) bool {
	for _, pat := range patterns {
		if ok, _ := path.Match(pat, label); ok || strings.EqualFold(pat, label) {
			return true
		}
	}
	return false
}

func allKnown(ss []model.String) bool {
	for _, s := range ss {
		if !s.Known() {
			return false
		}
	}
	return true
}
