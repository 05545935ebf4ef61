package rules

import (
	"github.com/isolint/isolint/controls"
	"github.com/isolint/isolint/model"
)

// privilegedTriggers run with the base repository's secrets and a token
// that may write, whoever opened the pull request or wrote the comment.
var privilegedTriggers = map[string]bool{"pull_request_target": true, "workflow_run": true, "issue_comment": true}

var _ = register(&Rule{
	ID:         "untrusted-code-with-secrets",
	Title:      "Untrusted code runs where secrets are reachable",
	Severity:   Critical,
	Confidence: ConfidenceHigh,
	Axis:       AxisSecrets,
	Formats:    []model.Format{model.FormatGHA},
	Controls: []controls.Ref{
		nhi(2), nhi(8), nist("AC-6"), csf("PR.AA-05"), csf("PR.PS-01"), cicd(4), cicd(6),
	},
	Description: "`pull_request_target`, `workflow_run` and `issue_comment` workflows run in the context of " +
		"the base repository: with its secrets and a token that can write. When such a job checks out or " +
		"fetches the pull request's code (`ref: ${{ github.event.pull_request.head.sha }}`, `refs/pull/…`, " +
		"`gh pr checkout`) and can reach a secret or a write token, anyone who opens a pull request can run " +
		"code with them (a \"pwn request\"; zizmor's dangerous-triggers). A job or checkout step whose `if:` " +
		"admits only pull requests from branches of the repository (`github.event.pull_request.head.repo.full_name " +
		"== github.repository`, `!github.event.pull_request.head.repo.fork`), or for `workflow_run` only runs of " +
		"the repository's own branches (`github.event.workflow_run.head_repository.full_name == github.repository`, " +
		"`github.event.workflow_run.event == 'push'`), runs no fork's code and is not reported; " +
		"a condition OR-ed with anything else, or one isolint cannot evaluate, is.",
	Fix: "Run untrusted code under `pull_request`, which gets no secrets and a read-only token for forks. " +
		"If the privileged trigger is needed (to comment, to label), split the work: build and test the pull " +
		"request in a `pull_request` workflow, and let the privileged one act only on its results, without " +
		"checking out the pull request's code. At least set `permissions: {}` and use no secrets in the job " +
		"that checks it out.",
	Examples: []Example{{
		Format: model.FormatGHA, Path: ".github/workflows/preview.yml",
		Bad: `on: pull_request_target
permissions:
  contents: read
jobs:
  preview:
    runs-on: ubuntu-latest
    steps:
      - uses: actions/checkout@v4
        with:
          ref: ${{ github.event.pull_request.head.sha }}
          persist-credentials: false
      - run: npm ci && npm run build
      - run: ./deploy-preview.sh
        env:
          DEPLOY_TOKEN: ${{ secrets.PREVIEW_DEPLOY_TOKEN }}`,
		Good: `on: pull_request
permissions:
  contents: read
jobs:
  preview:
    runs-on: ubuntu-latest
    steps:
      - uses: actions/checkout@v4
        with:
          persist-credentials: false
      - run: npm ci && npm run build`,
	}},
	Workload: func(p *Pass, w *model.Workload) {
		j := w.CI
		if j == nil {
			return
		}
		var trigger *model.Trigger
		for i := range j.Events {
			// the untrusted world: a job whose if: admits only the
			// repository's own branches keeps pull_request_target internal
			if privilegedTriggers[j.Events[i].Event] && j.Events[i].Trust == model.TrustUntrusted {
				trigger = &j.Events[i]
				break
			}
		}
		if trigger == nil {
			return
		}
		reach, conf, ok := reachesSecrets(j)
		if !ok {
			return
		}
		for _, st := range j.Steps {
			uc := st.UntrustedCheckout
			if uc == nil {
				continue
			}
			related := []model.Related{{Loc: trigger.Loc, Message: "the workflow runs on " + trigger.Event + ", with the base repository's secrets"}, reach}
			p.Report(Finding{
				Message: w.Display() + " runs on " + trigger.Event + " and its " + st.Display() + " " + uc.Message +
					", while the job can reach " + reach.Message + ": the author of a pull request can run code with it",
				Loc: uc.Loc, Related: related, Format: w.Format, Object: w.ID(), Workload: w.Name, Unit: w.Unit, Confidence: conf,
			})
		}
	},
})

// reachesSecrets says what privileged credential a CI job can reach: a
// secret it references, secrets passed on to a callee, or a token with
// write scopes (the repository default when nothing limits it).
func reachesSecrets(j *model.CIJob) (model.Related, Confidence, bool) {
	if s, ok := j.CanReachSecrets(); ok {
		what := "secret " + s.Name
		if s.Bulk {
			what = "every secret"
		}
		return model.Related{Loc: s.Loc, Message: what}, ConfidenceHigh, true
	}
	perm := j.Effective()
	switch {
	case perm.Unknown:
		return model.Related{}, 0, false
	case !perm.Set:
		return model.Related{Loc: j.Loc, Message: "a job token with the repository's default permissions (no `permissions` is set)"}, ConfidenceMedium, true
	case perm.All == "write-all":
		return model.Related{Loc: perm.Loc, Message: "a job token with write-all permissions"}, ConfidenceHigh, true
	}
	if ws := perm.Writes(); len(ws) > 0 {
		return model.Related{Loc: ws[0].Loc, Message: "a job token with " + ws[0].Scope + ": write"}, ConfidenceHigh, true
	}
	return model.Related{}, 0, false
}
