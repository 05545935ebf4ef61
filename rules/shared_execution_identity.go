package rules

import (
	"fmt"
	"slices"
	"sort"
	"strings"

	"github.com/isolint/isolint/controls"
	"github.com/isolint/isolint/model"
)

var _ = register(&Rule{
	ID:         "shared-execution-identity",
	Title:      "One execution identity is shared by several workloads",
	Severity:   High,
	Confidence: ConfidenceHigh,
	Axis:       AxisIdentity,
	Formats:    []model.Format{model.FormatK8s, model.FormatGHA, model.FormatGitLab, model.FormatTerraform, model.FormatCFN},
	Controls: []controls.Ref{
		nhi(9), ciOnly(nhi(8)), nist("AC-6"), nist("IA-9"), ciOnly(nist("AC-5")),
		csf("PR.AA-01"), csf("PR.AA-05"), cicd(2), zt(6), asi(3), asi(8),
	},
	Needs: []model.InputKind{model.InputIdentities},
	Description: "When two workloads run as the same identity (a Kubernetes ServiceAccount, an IAM role, " +
		"a cloud service account), each holds every right the other needs, a compromise of either is a " +
		"compromise of both, and audit logs cannot tell them apart. Each use is reported, with the other " +
		"uses as related locations. Workloads running as their namespace's default service account are " +
		"reported by default-service-account instead. A CI job's cloud role (aws `role-to-assume`, gcp " +
		"workload identity provider and service account, azure client id) is shared only when jobs of " +
		"different trust assume it: a pull-request job and a deploy job mean that code anyone can propose " +
		"runs as the deploy identity; two deploy jobs of the same trust are not reported.",
	Fix: "Give each workload its own identity with only the rights it needs (one ServiceAccount per " +
		"Deployment, one task role per task definition). In CI, give pull-request jobs a read-only role and " +
		"restrict the deploy role's trust policy to the protected branch or environment (the OIDC `sub` claim).",
	Examples: []Example{{
		Format: model.FormatK8s, Path: "apps.yaml",
		Bad: `apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
spec:
  template:
    spec:
      serviceAccountName: app
      containers:
        - name: web
          image: example/web:1.0
---
apiVersion: batch/v1
kind: Job
metadata:
  name: migrate
spec:
  template:
    spec:
      serviceAccountName: app
      containers:
        - name: migrate
          image: example/migrate:1.0`,
		Good: `apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
spec:
  template:
    spec:
      serviceAccountName: web
      containers:
        - name: web
          image: example/web:1.0
---
apiVersion: batch/v1
kind: Job
metadata:
  name: migrate
spec:
  template:
    spec:
      serviceAccountName: migrate
      containers:
        - name: migrate
          image: example/migrate:1.0`,
	}, {
		Format: model.FormatGHA, Path: ".github/workflows/ci.yml",
		Bad: `on:
  pull_request:
  push:
    branches: [main]
permissions:
  id-token: write
  contents: read
jobs:
  plan:
    if: github.event_name == 'pull_request'
    runs-on: ubuntu-latest
    steps:
      - uses: aws-actions/configure-aws-credentials@v4
        with:
          role-to-assume: arn:aws:iam::123456789012:role/deploy
          aws-region: eu-west-1
  deploy:
    if: github.event_name == 'push'
    runs-on: ubuntu-latest
    steps:
      - uses: aws-actions/configure-aws-credentials@v4
        with:
          role-to-assume: arn:aws:iam::123456789012:role/deploy
          aws-region: eu-west-1`,
		Good: `on:
  pull_request:
  push:
    branches: [main]
permissions:
  id-token: write
  contents: read
jobs:
  plan:
    if: github.event_name == 'pull_request'
    runs-on: ubuntu-latest
    steps:
      - uses: aws-actions/configure-aws-credentials@v4
        with:
          role-to-assume: arn:aws:iam::123456789012:role/plan-readonly
          aws-region: eu-west-1
  deploy:
    if: github.event_name == 'push'
    runs-on: ubuntu-latest
    steps:
      - uses: aws-actions/configure-aws-credentials@v4
        with:
          role-to-assume: arn:aws:iam::123456789012:role/deploy
          aws-region: eu-west-1`,
	}, {
		Format: model.FormatGitLab, Path: ".gitlab-ci.yml",
		Bad: `plan:
  id_tokens:
    AWS_ID_TOKEN:
      aud: https://gitlab.example.com
  rules:
    - if: $CI_PIPELINE_SOURCE == "merge_request_event"
  script:
    - aws sts assume-role-with-web-identity --role-arn arn:aws:iam::123456789012:role/deploy --role-session-name ci --web-identity-token "$AWS_ID_TOKEN"
    - terraform plan

deploy:
  id_tokens:
    AWS_ID_TOKEN:
      aud: https://gitlab.example.com
  rules:
    - if: $CI_COMMIT_BRANCH == $CI_DEFAULT_BRANCH
  script:
    - aws sts assume-role-with-web-identity --role-arn arn:aws:iam::123456789012:role/deploy --role-session-name ci --web-identity-token "$AWS_ID_TOKEN"
    - terraform apply -auto-approve`,
		Good: `plan:
  id_tokens:
    AWS_ID_TOKEN:
      aud: https://gitlab.example.com
  rules:
    - if: $CI_PIPELINE_SOURCE == "merge_request_event"
  script:
    - aws sts assume-role-with-web-identity --role-arn arn:aws:iam::123456789012:role/plan-readonly --role-session-name ci --web-identity-token "$AWS_ID_TOKEN"
    - terraform plan

deploy:
  id_tokens:
    AWS_ID_TOKEN:
      aud: https://gitlab.example.com
  rules:
    - if: $CI_COMMIT_BRANCH == $CI_DEFAULT_BRANCH
  script:
    - aws sts assume-role-with-web-identity --role-arn arn:aws:iam::123456789012:role/deploy --role-session-name ci --web-identity-token "$AWS_ID_TOKEN"
    - terraform apply -auto-approve`,
	}, {
		Format: model.FormatTerraform, Path: "main.tf",
		Bad: `resource "aws_iam_role" "app" {
  name = "app"
}

resource "aws_lambda_function" "ingest" {
  function_name = "ingest"
  role          = aws_iam_role.app.arn
}

resource "aws_lambda_function" "report" {
  function_name = "report"
  role          = aws_iam_role.app.arn
}`,
		Good: `resource "aws_iam_role" "ingest" {
  name = "ingest"
}

resource "aws_iam_role" "report" {
  name = "report"
}

resource "aws_lambda_function" "ingest" {
  function_name = "ingest"
  role          = aws_iam_role.ingest.arn
}

resource "aws_lambda_function" "report" {
  function_name = "report"
  role          = aws_iam_role.report.arn
}`,
	}, {
		Format: model.FormatCFN, Path: "template.yaml",
		Bad: `AWSTemplateFormatVersion: "2010-09-09"
Transform: AWS::Serverless-2016-10-31
Resources:
  AppRole:
    Type: AWS::IAM::Role
    Properties:
      AssumeRolePolicyDocument:
        Statement:
          - Effect: Allow
            Principal: { Service: lambda.amazonaws.com }
            Action: sts:AssumeRole
  Ingest:
    Type: AWS::Serverless::Function
    Properties:
      Handler: ingest.handler
      Runtime: python3.12
      Role: !GetAtt AppRole.Arn
  Report:
    Type: AWS::Serverless::Function
    Properties:
      Handler: report.handler
      Runtime: python3.12
      Role: !GetAtt AppRole.Arn`,
		Good: `AWSTemplateFormatVersion: "2010-09-09"
Transform: AWS::Serverless-2016-10-31
Resources:
  Ingest:
    Type: AWS::Serverless::Function
    Properties:
      Handler: ingest.handler
      Runtime: python3.12
      Policies:
        - S3ReadPolicy:
            BucketName: ingest-uploads
  Report:
    Type: AWS::Serverless::Function
    Properties:
      Handler: report.handler
      Runtime: python3.12
      Policies:
        - DynamoDBReadPolicy:
            TableName: reports`,
	}},
	Project: func(p *Pass, proj *model.Project) {
		uses := map[string][]*model.Workload{}
		var keys []string
		for _, w := range proj.Workloads {
			id := w.Identity
			if !p.Rule.AppliesTo(w.Format) || w.CI != nil || id.Kind == "" || id.Key == "" || id.Default || id.Unknown || nodeKinds[w.Kind] || id.Template != "" {
				continue
			}
			k := string(id.Kind) + "|" + id.Key
			if _, ok := uses[k]; !ok {
				keys = append(keys, k)
			}
			uses[k] = append(uses[k], w)
		}
		sort.Strings(keys)
		sharedCIRoles(p, proj)
		for _, k := range keys {
			ws := distinctWorkloads(uses[k])
			if len(ws) < 2 {
				continue
			}
			reportSharing(p, ws)
		}
	},
})

// reportSharing reports each of the workloads ws that share one identity,
// naming the others that can run beside it (model.SameUnit: not those of
// an alternative overlay) as related places. Each finding lists at most
// MaxRelated of them, taken from the first MaxRelated+1 candidates of its
// unit, and counts the rest, so the check is linear in the workloads.
func reportSharing(p *Pass, ws []*model.Workload) {
	var all, plain []int
	byUnit := map[string][]int{}
	for i, w := range ws {
		all = append(all, i)
		if w.Unit == "" {
			plain = append(plain, i)
		} else {
			byUnit[w.Unit] = append(byUnit[w.Unit], i)
		}
	}
	rel := make([]*model.Related, len(ws))
	related := func(j int) model.Related {
		if rel[j] == nil {
			o := ws[j]
			rel[j] = &model.Related{Loc: o.Identity.Loc, Message: "also used by " + displayInstance(o)}
		}
		return *rel[j]
	}
	head := func(idx []int) []int { return idx[:min(len(idx), MaxRelated+1)] }
	candidates := map[string][]int{"": head(all)}
	shown := map[string][]model.Related{}
	for i, w := range ws {
		others := len(ws) - 1
		cand, ok := candidates[w.Unit]
		if w.Unit != "" {
			others = len(plain) + len(byUnit[w.Unit]) - 1
			if !ok {
				// the unit's own workloads and the plain ones, in order
				a, b := head(plain), head(byUnit[w.Unit])
				for len(cand) <= MaxRelated && (len(a) > 0 || len(b) > 0) {
					if len(b) == 0 || len(a) > 0 && a[0] < b[0] {
						cand, a = append(cand, a[0]), a[1:]
					} else {
						cand, b = append(cand, b[0]), b[1:]
					}
				}
				candidates[w.Unit] = cand
			}
		}
		if others == 0 {
			continue
		}
		var list []model.Related
		if _, listed := slices.BinarySearch(cand, i); !listed && len(w.Identity.Via) == 0 {
			// every workload its candidates do not list is shown the same
			// places: one list for all of them (100 places of 104 bytes,
			// for each of thousands of workloads sharing a default
			// identity); nothing writes into a finding's Related
			list = shown[w.Unit]
			if list == nil {
				for _, j := range cand[:min(len(cand), MaxRelated)] {
					list = append(list, related(j))
				}
				list = slices.Clip(list)
				shown[w.Unit] = list
			}
		} else {
			list = make([]model.Related, 0, min(others, MaxRelated)+len(w.Identity.Via))
			for _, j := range cand {
				if j != i && len(list) < MaxRelated {
					list = append(list, related(j))
				}
			}
			list = append(list, w.Identity.Via...)
		}
		p.Report(Finding{
			Message: fmt.Sprintf("%s runs as %s, which %d other workload(s) also use", w.Display(), w.Identity.Describe(), others),
			Loc:     w.Identity.Loc, Related: list, RelatedLeftOut: others - min(others, MaxRelated),
			// the unit names the overlay whose build shares the identity
			Format: w.Format, Object: w.ID(), Workload: w.Name, Unit: w.Unit,
		})
	}
}

// nodeKinds are the node pools of managed clusters: their pools share one
// node identity by design (GKE's recommended least-privilege node account),
// so sharing it is not reported; what pods reach through it is
// (metadata-credentials-reachable, overprivileged-identity).
var nodeKinds = map[string]bool{"google_container_node_pool": true, "google_container_cluster": true, "azurerm_kubernetes_cluster": true}

// ciRoleUse is one job assuming a cloud role, at the trust of each way the
// job can run.
type ciRoleUse struct {
	w  *model.Workload
	id model.Identity
	// runs are the job's triggers with their trust: a job that push and
	// pull_request_target both start runs at both trusts.
	runs []model.Trigger
}

// lowest is the least trusted run of the use.
func (u ciRoleUse) lowest() model.Trust {
	t := u.runs[0].Trust
	for _, r := range u.runs[1:] {
		t = min(t, r.Trust)
	}
	return t
}

// trustsText says at which trusts the use runs ("untrusted: pull_request_target;
// internal: push").
func (u ciRoleUse) trustsText() string {
	var parts []string
	for _, r := range u.runs {
		parts = append(parts, r.Trust.String()+": "+r.Event)
	}
	return strings.Join(parts, ", ")
}

// sharedCIRoles reports cloud roles that CI jobs of different trust assume.
// Each use is judged at the trust of each trigger that can start its job,
// so a role that a pull_request_target job and a push job of one workflow
// both assume is shared across trusts even when each job can also run on
// the other's trigger. Jobs whose trust is unknown (reusable workflows,
// templates) are left out.
func sharedCIRoles(p *Pass, proj *model.Project) {
	uses := map[string][]ciRoleUse{}
	var keys []string
	for _, w := range proj.Workloads {
		if !p.Rule.AppliesTo(w.Format) || w.CI == nil || w.CI.Trust == model.TrustUnknown {
			continue
		}
		runs := runsOf(w.CI)
		seen := map[string]bool{}
		for _, id := range w.CI.CloudRoles {
			if id.Key == "" || id.Unknown || seen[id.Key] {
				continue
			}
			seen[id.Key] = true
			if _, ok := uses[id.Key]; !ok {
				keys = append(keys, id.Key)
			}
			uses[id.Key] = append(uses[id.Key], ciRoleUse{w, id, runs})
		}
	}
	sort.Strings(keys)
	for _, k := range keys {
		us := uses[k]
		if len(us) < 2 {
			continue // one job: not shared between jobs
		}
		trusts := map[model.Trust]bool{}
		lowest := us[0].lowest()
		for _, u := range us {
			for _, r := range u.runs {
				trusts[r.Trust] = true
			}
			lowest = min(lowest, u.lowest())
		}
		if len(trusts) < 2 {
			continue
		}
		conf := ConfidenceMedium
		if lowest == model.TrustUntrusted {
			conf = ConfidenceHigh
		}
		// A job that runs at one trust is shown every job that runs at
		// another or at several; a job that runs at several is shown every
		// other job. What a job is shown is built once per trust level
		// (there are few) or capped at MaxRelated, so the check is linear
		// in the jobs.
		single := func(u ciRoleUse) bool { return len(u.runs) == 1 }
		entry := func(o ciRoleUse) (model.Related, string) {
			t := o.trustsText()
			return model.Related{Loc: o.id.Loc, Message: "also assumed by " + o.w.Display() + " (" + t + ")"}, o.w.Display() + " (" + t + ")"
		}
		others := func(skip func(i int, o ciRoleUse) bool) *ciOthers {
			c := &ciOthers{}
			for i, o := range us {
				if skip(i, o) {
					continue
				}
				if len(c.related) == MaxRelated {
					c.leftOut++
					continue
				}
				r, name := entry(o)
				c.related = append(c.related, r)
				c.names = append(c.names, name)
			}
			c.text = strings.Join(c.names, ", ")
			if c.leftOut > 0 {
				c.text += fmt.Sprintf(" and %d more job(s)", c.leftOut)
			}
			return c
		}
		byTrust := map[model.Trust]*ciOthers{}
		var head, rest *ciOthers
		for i, u := range us {
			var c *ciOthers
			if single(u) {
				t := u.runs[0].Trust
				if c = byTrust[t]; c == nil {
					c = others(func(_ int, o ciRoleUse) bool { return single(o) && o.runs[0].Trust == t })
					byTrust[t] = c
				}
			} else {
				// every other job: the first MaxRelated+1 entries less its own
				if head == nil {
					head = &ciOthers{}
					for _, o := range us[:min(len(us), MaxRelated+1)] {
						r, name := entry(o)
						head.related = append(head.related, r)
						head.names = append(head.names, name)
					}
				}
				if i >= len(head.related) && rest != nil {
					c = rest // a job past the head is shown the same others as every such job
				} else {
					c = &ciOthers{leftOut: len(us) - 1 - min(len(us)-1, MaxRelated)}
					var names []string
					for j, r := range head.related {
						if j != i && len(c.related) < MaxRelated {
							c.related = append(c.related, r)
							names = append(names, head.names[j])
						}
					}
					c.text = strings.Join(names, ", ")
					if c.leftOut > 0 {
						c.text += fmt.Sprintf(" and %d more job(s)", c.leftOut)
					}
					if i >= len(head.related) {
						rest = c
					}
				}
			}
			if len(c.related) == 0 {
				continue
			}
			p.Report(Finding{
				Message: fmt.Sprintf("%s (%s) assumes %s, which %s also assume(s): jobs of different trust share one cloud identity, so the less trusted job can act as the other",
					u.w.Display(), u.trustsText(), u.id.Describe(), c.text),
				Loc: u.id.Loc, Related: append(slices.Clip(c.related), u.id.Via...), RelatedLeftOut: c.leftOut,
				Format: u.w.Format, Object: u.w.ID(), Workload: u.w.Name, Confidence: conf,
			})
		}
	}
}

// ciOthers are the other jobs a finding about one job names.
type ciOthers struct {
	related []model.Related
	names   []string
	text    string
	leftOut int
}

// runsOf lists the triggers of a job with their trust (its lowest trust
// alone when the scanner recorded no events).
func runsOf(j *model.CIJob) []model.Trigger {
	var out []model.Trigger
	seen := map[model.Trust]bool{}
	for _, e := range j.Events {
		if e.Trust == model.TrustUnknown || seen[e.Trust] {
			continue // one run per trust level is enough to judge
		}
		seen[e.Trust] = true
		out = append(out, model.Trigger{Event: e.Event, Trust: e.Trust, Loc: e.Loc})
	}
	if len(out) == 0 {
		out = []model.Trigger{{Event: j.Why, Trust: j.Trust}}
	}
	sort.Slice(out, func(a, b int) bool { return out[a].Trust < out[b].Trust })
	if out[0].Trust == j.Trust && j.Why != "" {
		out[0].Event = j.Why // "pull_request_target from a fork"
	}
	return out
}

// distinctWorkloads drops repeated definitions of the same workload (the
// same kind, namespace and name in two files), keeping the first. Instances
// of one Terraform resource (module calls, for_each keys) and the objects
// of different overlays are distinct.
func distinctWorkloads(ws []*model.Workload) []*model.Workload {
	seen := map[string]bool{}
	var out []*model.Workload
	for _, w := range ws {
		id := w.ID() + "\x00" + w.Instance + "\x00" + w.Unit
		if seen[id] {
			continue
		}
		seen[id] = true
		out = append(out, w)
	}
	return out
}

// displayInstance names a workload with its instance, when it has one:
// `aws_ecs_task_definition "this" (module.api.aws_ecs_task_definition.this)`.
func displayInstance(w *model.Workload) string {
	if w.Instance == "" {
		return w.Display()
	}
	return w.Display() + " (" + w.Instance + ")"
}
