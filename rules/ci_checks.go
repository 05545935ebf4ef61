package rules

import (
	"strconv"
	"strings"

	"github.com/isolint/isolint/model"
)

// The CI parts of rules that every format shares: what a workflow or
// pipeline says outside any container (workflow-level env, step inputs,
// token permissions) is checked here, once per pipeline or job; the
// containers, volumes and env of CI jobs go through the rules' own checks.

// reportPipeline records a finding about a pipeline-level key.
func reportPipeline(p *Pass, pipe *model.Pipeline, loc model.Location, related []model.Related, conf Confidence, msg string) {
	p.Report(Finding{Message: msg, Loc: loc, Related: related, Format: pipe.Format, Object: pipe.ID(), Confidence: conf})
}

// ciLiteralCredentials reports credentials written as literals where CI
// puts them outside a container's env: workflow-level env and GitLab
// top-level variables, step inputs (`with:`), reusable-workflow inputs and
// registry credentials of job containers.
func ciLiteralCredentials(p *Pass, pipe *model.Pipeline) {
	scope := "workflow-level env"
	if pipe.Format == model.FormatGitLab {
		scope = "top-level variable"
	}
	for _, e := range pipe.Env {
		if !e.Value.Known() || e.Secret != nil || e.FromVar != "" {
			continue
		}
		if kind, strong, ok := model.LiteralCredential(e.Name, e.Value.Value); ok {
			reportPipeline(p, pipe, e.Value.Loc, e.Value.Via, ciGrade(strong),
				pipe.Display()+" sets "+scope+" "+e.Name+" to "+ciLiteral(kind, strong)+"; every job receives it")
		}
	}
	for _, w := range pipe.Jobs {
		j := w.CI
		if j == nil {
			continue
		}
		for _, st := range j.Steps {
			for _, in := range st.With {
				ciLiteralInput(p, w, in, st.Display()+" of "+w.Display()+" passes input "+in.Name)
			}
		}
		for _, in := range j.Credentials {
			ciLiteralInput(p, w, in, w.Display()+" sets container registry credential "+in.Name)
		}
		if j.Call != nil {
			for _, in := range append(append([]model.Input(nil), j.Call.With...), j.Call.Secrets...) {
				ciLiteralInput(p, w, in, w.Display()+" passes "+in.Name+" to "+quoteText(j.Call.Uses.Value))
			}
		}
	}
}

func ciLiteralInput(p *Pass, w *model.Workload, in model.Input, who string) {
	if !in.Value.Known() || in.Secret != nil {
		return
	}
	if kind, strong, ok := model.LiteralCredential(in.Name, in.Value.Value); ok {
		p.Report(Finding{Message: who + " as " + ciLiteral(kind, strong), Loc: in.Value.Loc, Related: in.Value.Via,
			Format: w.Format, Object: w.ID(), Workload: w.Name, Unit: w.Unit, Confidence: ciGrade(strong)})
	}
}

// ciBulkSecrets reports `toJSON(secrets)` in workflow-level env: every job
// then holds every secret.
func ciBulkSecrets(p *Pass, pipe *model.Pipeline) {
	for _, src := range pipe.EnvSources {
		if src.Kind == model.EnvFromAllSecrets {
			reportPipeline(p, pipe, src.Loc, nil, 0, pipe.Display()+" loads every secret into workflow-level env "+src.Name+": every step of every job receives all of them")
		}
	}
}

// ciJobBulkSecrets reports `toJSON(secrets)` (or `secrets[expr]`) outside
// env in a gha job: in an action's `with:` input (which the action's
// process receives as an INPUT_* variable), in a `run:` script (expanded
// into the script file before it runs) and in the inputs and secrets a
// reusable-workflow call passes on. The env forms are the containers'
// env sources, reported with them.
func ciJobBulkSecrets(p *Pass, w *model.Workload) {
	j := w.CI
	if j == nil || w.Format != model.FormatGHA {
		return
	}
	report := func(loc model.Location, msg string) {
		p.Report(Finding{Message: msg, Loc: loc, Format: w.Format, Object: w.ID(), Workload: w.Name, Unit: w.Unit})
	}
	for _, st := range j.Steps {
		for _, in := range st.With {
			if !in.AllSecrets.IsZero() {
				report(in.AllSecrets, st.Display()+" of "+w.Display()+" passes every secret available to it to the action as input "+in.Name)
			}
		}
		if !st.RunAllSecrets.IsZero() {
			report(st.RunAllSecrets, st.Display()+" of "+w.Display()+" writes every secret available to it into its run script")
		}
	}
	if c := j.Call; c != nil {
		for _, in := range append(append([]model.Input(nil), c.With...), c.Secrets...) {
			if !in.AllSecrets.IsZero() {
				report(in.AllSecrets, w.Display()+" passes every secret available to it to "+quoteText(c.Uses.Value)+" as "+in.Name)
			}
		}
	}
}

// ciSecretBinding says whether an env entry binds a secret, and names it.
func ciSecretBinding(format model.Format, e *model.EnvVar) (string, bool) {
	switch {
	case e.Secret != nil:
		return describeSecret(e.Secret), true
	case format == model.FormatGitLab && e.FromVar != "" && model.IsSecretName(e.FromVar):
		return "variable $" + e.FromVar, true
	case format == model.FormatGitLab && model.IsSecretName(e.Name) && (e.FromVar != "" || e.Value.Known() && !model.IsPlaceholder(e.Value.Value)):
		return "secret-named variable " + e.Name, true
	}
	return "", false
}

// ciJobSecretScope reports a secret in a gha job's env that steps of the
// job do not read: every step, third-party actions included, receives it.
// A job of one step, or whose steps all read it, is not reported.
func ciJobSecretScope(p *Pass, w *model.Workload) {
	j := w.CI
	if j == nil || w.Format != model.FormatGHA || len(j.Steps) < 2 {
		return
	}
	for _, e := range j.Env {
		what, ok := ciSecretBinding(w.Format, e)
		if !ok {
			continue
		}
		users, idle := stepsReading(j.Steps, e.Name)
		if len(idle) == 0 {
			continue
		}
		related := append([]model.Related(nil), users...)
		p.ReportAt(w, e.Loc, related, "%s binds %s to job-level env %s, so all %d steps receive it, %s; bind it in the env of the steps that use it (%s)",
			w.Display(), what, e.Name, len(j.Steps), idleText(idle), usersText(w.Format, users))
	}
}

// ciPipelineSecretScope reports a secret bound for a whole workflow
// (workflow-level env) or pipeline (GitLab top-level variables) that some
// of the jobs receiving it never read.
func ciPipelineSecretScope(p *Pass, pipe *model.Pipeline) {
	for _, e := range pipe.Env {
		what, ok := ciSecretBinding(pipe.Format, e)
		if !ok {
			continue
		}
		var users []model.Related
		var idle []string
		receivers := 0
		for _, w := range pipe.Jobs {
			if w.CI == nil {
				continue
			}
			if pipe.Format == model.FormatGitLab {
				if w.CI.Refuses[e.Name] {
					continue // inherit: variables keeps it out of this job
				}
				receivers++
				if u, _ := stepsReading(w.CI.Steps, e.Name); len(u) > 0 {
					users = append(users, model.Related{Loc: u[0].Loc, Message: w.Display() + " uses it"})
				} else {
					idle = append(idle, w.Display())
				}
				continue
			}
			u, i := stepsReading(w.CI.Steps, e.Name)
			receivers += len(w.CI.Steps)
			for k := range u {
				u[k].Message = u[k].Message + " of " + w.Display()
			}
			users = append(users, u...)
			for _, s := range i {
				idle = append(idle, s+" of "+w.Display())
			}
		}
		if receivers < 2 || len(idle) == 0 {
			continue
		}
		scope := "workflow-level env"
		unit := "step"
		if pipe.Format == model.FormatGitLab {
			scope, unit = "top-level variables", "job"
		}
		reportPipeline(p, pipe, e.Loc, users, 0, pipe.Display()+" binds "+what+" in "+scope+" as "+e.Name+", which "+strconv.Itoa(receivers)+" "+unit+"s receive, "+
			idleText(idle)+"; bind it where it is used ("+usersText(pipe.Format, users)+")")
	}
}

// stepsReading splits steps into those that read the variable and the
// rest (named for messages).
func stepsReading(steps []*model.Step, name string) (users []model.Related, idle []string) {
	for _, st := range steps {
		if st.ReadsEnv(name) {
			users = append(users, model.Related{Loc: st.Loc, Message: st.Display() + " uses it"})
		} else {
			idle = append(idle, st.Display())
		}
	}
	return users, idle
}

func idleText(idle []string) string {
	const show = 3
	s := strings.Join(idle[:min(show, len(idle))], ", ")
	if len(idle) > show {
		s += " and " + strconv.Itoa(len(idle)-show) + " more"
	}
	return "including " + s + ", which never read it"
}

// usersText says how many steps (or GitLab jobs) name the variable; when
// none does, what may still read it: an action (GitHub) or a tool the job
// runs (GitLab, which has no actions) reading its environment.
func usersText(f model.Format, users []model.Related) string {
	if len(users) == 0 {
		if f == model.FormatGitLab {
			return "no job names it; a tool a job runs may read it from its environment"
		}
		return "no step names it; an action may read it implicitly"
	}
	return strconv.Itoa(len(users)) + " use it"
}

// ciOverprivilegedJob reports a gha job whose token has write-all, or that
// runs with the repository's default permissions because neither it nor
// its workflow sets any.
func ciOverprivilegedJob(p *Pass, w *model.Workload) {
	j := w.CI
	if j == nil || w.Format != model.FormatGHA || j.Pipeline == nil || j.Pipeline.Kind != "workflow" {
		return
	}
	pipe := j.Pipeline
	switch {
	case j.Permissions.Set && j.Permissions.All == "write-all":
		p.ReportAt(w, j.Permissions.Loc, nil, "%s gives its token write-all: every step can write to the repository's contents, packages, releases, issues, pull requests and workflows", w.Display())
	case !j.Permissions.Set && !pipe.Permissions.Set && !pipe.ReusableOnly():
		p.Report(Finding{
			Message: w.Display() + " runs with the repository's default token permissions (neither the workflow nor the job sets `permissions`), which are write-all on repositories created before February 2023 and in many organisations",
			Loc:     j.Permissions.Loc, Format: w.Format, Object: w.ID(), Workload: w.Name, Unit: w.Unit, Confidence: ConfidenceMedium,
		})
	}
}

// ciOverprivilegedWorkflow reports workflow-level write-all that some job
// runs with. A job's own `permissions` replace the workflow's rather than
// add to them, and a reusable-workflow call's `permissions` cap its
// callee's token (https://docs.github.com/en/actions/writing-workflows/workflow-syntax-for-github-actions#jobsjob_idpermissions),
// so only the jobs that set none inherit write-all; they are named, and
// are the related locations.
func ciOverprivilegedWorkflow(p *Pass, pipe *model.Pipeline) {
	if pipe.Format != model.FormatGHA || !pipe.Permissions.Set || pipe.Permissions.All != "write-all" {
		return
	}
	var heirs []string
	var related []model.Related
	inheriting, jobs := permissionHeirs(pipe)
	for _, w := range inheriting {
		j := w.CI
		heirs = append(heirs, w.Display())
		what := " inherits it"
		if j.Call != nil {
			what = " passes it to " + quoteText(j.Call.Uses.Value)
		}
		related = append(related, model.Related{Loc: j.Loc, Message: w.Display() + " sets no permissions and" + what})
	}
	switch {
	case jobs == 0:
		// no job was read (a broken jobs: key has its own notice): nothing
		// shows that the jobs narrow the token
		reportPipeline(p, pipe, pipe.Permissions.Loc, nil, 0, pipe.Display()+" gives every job's token write-all: every step of every job can write to the repository")
	case len(heirs) == jobs:
		reportPipeline(p, pipe, pipe.Permissions.Loc, related, 0, pipe.Display()+" gives every job's token write-all: every step of every job can write to the repository")
	case len(heirs) > 0:
		reportPipeline(p, pipe, pipe.Permissions.Loc, related, 0, pipe.Display()+" gives write-all to the token of "+countJobs(len(heirs), jobs)+
			" that set no permissions of their own ("+strings.Join(heirs, ", ")+"): every step of those jobs can write to the repository")
	}
}

// permissionHeirs are the jobs of a pipeline that set no permissions of
// their own and so take the workflow's; jobs counts every job read.
func permissionHeirs(pipe *model.Pipeline) (heirs []*model.Workload, jobs int) {
	for _, w := range pipe.Jobs {
		if w.CI == nil {
			continue
		}
		jobs++
		if !w.CI.Permissions.Set {
			heirs = append(heirs, w)
		}
	}
	return heirs, jobs
}

// countJobs says "2 of its 5 jobs".
func countJobs(n, of int) string {
	return strconv.Itoa(n) + " of its " + strconv.Itoa(of) + " jobs"
}

// ciLiteral describes a literal credential without any part of its value.
func ciLiteral(kind string, strong bool) string {
	if strong {
		return "a literal credential (" + kind + ")"
	}
	return "a literal value (its name says it is secret)"
}

func ciGrade(strong bool) Confidence {
	if strong {
		return ConfidenceHigh
	}
	return ConfidenceMedium
}
