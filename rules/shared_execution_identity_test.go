package rules_test

import (
	"fmt"
	"strings"
	"testing"

	"github.com/isolint/isolint/model"
	"github.com/isolint/isolint/rules"
)

// sharingProject: n Deployments running as one service account, and n CI
// jobs (every other one a pull-request job) assuming one cloud role.
func sharingProject(n int) *model.Project {
	p := &model.Project{}
	for i := range n {
		loc := model.Location{File: fmt.Sprintf("apps/%04d.yaml", i), Line: 10, Col: 7}
		p.Workloads = append(p.Workloads, &model.Workload{
			Format: model.FormatK8s, Kind: "Deployment", Namespace: "shop", Name: fmt.Sprintf("web-%04d", i), Loc: loc,
			Identity: model.Identity{Kind: model.IdentityK8sServiceAccount, Key: "shop/app", Name: "app", Loc: loc},
		})
		trust, why := model.TrustProtected, "push to main"
		if i%2 == 0 {
			trust, why = model.TrustUntrusted, "pull_request"
		}
		jloc := model.Location{File: fmt.Sprintf("repo-%04d/.github/workflows/ci.yml", i), Line: 20, Col: 26}
		job := &model.CIJob{ID: "deploy", Trust: trust, Why: why,
			CloudRoles: []model.Identity{{Kind: model.IdentityCICloudRole, Key: "arn:aws:iam::1:role/deploy", Name: "deploy", Loc: jloc}}}
		if i == 3 {
			// a job two triggers start, at two trusts: shown every other job
			job.Events = []model.Trigger{{Event: "push", Trust: model.TrustProtected}, {Event: "pull_request_target", Trust: model.TrustUntrusted}}
			job.Trust, job.Why = model.TrustUntrusted, "pull_request_target"
		}
		p.Workloads = append(p.Workloads, &model.Workload{
			Format: model.FormatGHA, Kind: "job", Name: fmt.Sprintf("job-%04d", i), Loc: jloc, CI: job,
		})
	}
	return p
}

// TestSharedIdentityRelatedCapped: an identity shared by more workloads than
// GitHub shows related locations lists MaxRelated of them in each finding
// and counts the rest, in the message and in RelatedLeftOut.
func TestSharedIdentityRelatedCapped(t *testing.T) {
	const n = 250
	fs := rules.RunProject([]*rules.Rule{rules.ByID("shared-execution-identity")}, sharingProject(n), rules.Options{})
	var k8s, ci int
	for _, f := range fs {
		if len(f.Related) != rules.MaxRelated {
			t.Fatalf("%s: %d related, want %d", f.Loc.File, len(f.Related), rules.MaxRelated)
		}
		for _, r := range f.Related {
			if r.Loc == f.Loc {
				t.Fatalf("%s lists itself as related", f.Loc.File)
			}
		}
		switch f.Format {
		case model.FormatK8s:
			k8s++
			if f.RelatedLeftOut != n-1-rules.MaxRelated || !strings.Contains(f.Message, fmt.Sprintf("which %d other workload(s)", n-1)) {
				t.Fatalf("%s: left out %d, message %q", f.Loc.File, f.RelatedLeftOut, f.Message)
			}
		case model.FormatGHA:
			ci++
			if f.Loc.File == "repo-0003/.github/workflows/ci.yml" {
				if f.RelatedLeftOut != n-1-rules.MaxRelated || !strings.Contains(f.Message, fmt.Sprintf("and %d more job(s)", n-1-rules.MaxRelated)) {
					t.Fatalf("%s: left out %d, message %q", f.Loc.File, f.RelatedLeftOut, f.Message)
				}
				continue
			}
			// a job of one trust is shown the jobs of the other, and the
			// job at two trusts
			var i int
			fmt.Sscanf(f.Loc.File, "repo-%04d", &i)
			want := n/2 + 1 - rules.MaxRelated // 125 untrusted jobs and job 3
			if i%2 == 0 {
				want-- // 124 protected jobs and job 3
			}
			if f.RelatedLeftOut != want || !strings.Contains(f.Message, fmt.Sprintf("and %d more job(s)", want)) {
				t.Fatalf("%s: left out %d, message %q", f.Loc.File, f.RelatedLeftOut, f.Message)
			}
		}
	}
	if k8s != n || ci != n {
		t.Fatalf("%d Kubernetes and %d CI findings, want %d of each", k8s, ci, n)
	}
}

// TestSharedCIRoleEveryJobAtTwoTrusts: when every job sharing a role runs
// at two trusts, each is shown MaxRelated other jobs, never itself, and
// counts the rest; the jobs past the first MaxRelated+1 share one list.
func TestSharedCIRoleEveryJobAtTwoTrusts(t *testing.T) {
	const n = 250
	p := sharingProject(n)
	for _, w := range p.Workloads {
		if w.CI != nil {
			w.CI.Events = []model.Trigger{{Event: "push", Trust: model.TrustProtected}, {Event: "pull_request_target", Trust: model.TrustUntrusted}}
			w.CI.Trust, w.CI.Why = model.TrustUntrusted, "pull_request_target"
		}
	}
	fs := rules.RunProject([]*rules.Rule{rules.ByID("shared-execution-identity")}, p, rules.Options{})
	ci := 0
	for _, f := range fs {
		if f.Format != model.FormatGHA {
			continue
		}
		ci++
		if len(f.Related) != rules.MaxRelated || f.RelatedLeftOut != n-1-rules.MaxRelated {
			t.Fatalf("%s: %d related, %d left out", f.Loc.File, len(f.Related), f.RelatedLeftOut)
		}
		for _, r := range f.Related {
			if r.Loc == f.Loc {
				t.Fatalf("%s lists itself as related", f.Loc.File)
			}
		}
		var i int
		fmt.Sscanf(f.Loc.File, "repo-%04d", &i)
		if self := fmt.Sprintf("job-%04d", i); strings.Count(f.Message, self) != 1 || !strings.Contains(f.Message, fmt.Sprintf("and %d more job(s)", n-1-rules.MaxRelated)) {
			t.Fatalf("%s: message %q", f.Loc.File, f.Message)
		}
	}
	if ci != n {
		t.Fatalf("%d CI findings, want %d", ci, n)
	}
}

// BenchmarkSharedIdentity: the project rule is linear in the users of an
// identity (ns/op per workload stays flat from 500 to 2,000).
func BenchmarkSharedIdentity(b *testing.B) {
	r := []*rules.Rule{rules.ByID("shared-execution-identity")}
	for _, n := range []int{500, 2000} {
		p := sharingProject(n)
		b.Run(fmt.Sprint(n), func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				rules.RunProject(r, p, rules.Options{})
			}
			b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/float64(2*n), "ns/workload")
		})
	}
}
