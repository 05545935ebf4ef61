package github

import (
	"regexp"
	"strconv"
	"strings"

	"github.com/isolint/isolint/model"
	"github.com/isolint/isolint/scanners/ci/shell"
	"github.com/isolint/isolint/scanners/yamldoc"
)

// steps lowers a job's (or composite action's) steps. Step env goes to the
// container the steps run in; `docker run` in scripts adds containers.
//
// jobWorlds are the ways the job can run (its `if:` applied); a step's own
// `if:` narrows them further. Composite actions (inJob false) run in the
// file's worlds, and their steps' conditions are not evaluated.
func (l *lowerer) steps(w *model.Workload, j *model.CIJob, main *model.Container, list yamldoc.Value, inJob bool, jobWorlds []world, defaultShell string) {
	if !list.ExpectSeq() {
		return
	}
	var foreign []*model.Step // steps whose shell is not a POSIX shell
	defer func() { l.foreignNote(w, foreign) }()
	for i, sv := range list.Items() {
		if !sv.ExpectMap() {
			continue
		}
		name := stepName(sv, i)
		sv = sv.Named(name)
		st := &model.Step{Index: i, Name: name, Loc: sv.Loc()}
		refs := map[string]bool{}
		if u := sv.Get("uses"); u.Exists() {
			st.Uses = u.StringVal()
			st.Action = actionName(st.Uses.Value)
		}
		if wv := sv.Get("with"); wv.IsScalar() && !wv.IsNull() {
			st.WithUnknown = true
		}
		for _, pr := range sv.Get("with").Pairs() {
			in := l.input(pr.Key, pr.Value)
			st.With = append(st.With, in)
			envRefs(in.Value.Value, refs)
		}
		env, sources := l.envMap(sv.Get("env"))
		st.Env = env
		for _, e := range env {
			envRefs(e.Value.Value, refs)
		}
		main.Env = append(main.Env, env...)
		main.EnvSources = append(main.EnvSources, sources...)
		if run := sv.Get("run"); run.Exists() {
			st.Run = run.StringVal()
			st.Shell = sv.Get("shell").Text()
			if st.Shell == "" {
				st.Shell = defaultShell
			}
			envRefs(st.Run.Value, refs)
			l.script(w, j, st, run, refs)
			if !bashLike(st.Shell) {
				foreign = append(foreign, st)
			}
		}
		st.EnvRefs = sortedKeys(refs)
		stepWorlds := l.worlds
		if inJob {
			stepWorlds = reachable(jobWorlds, sv.Get("if"))
		}
		l.checkout(st, sv, stepWorlds, l.envOf(st, j))
		l.cloudRole(j, st)
		j.Steps = append(j.Steps, st)
	}
}

// actionName normalises `owner/repo/path@ref` to "owner/repo/path" in
// lower case; local and docker references are kept as written.
func actionName(uses string) string {
	if strings.HasPrefix(uses, "./") || strings.HasPrefix(uses, "docker://") {
		return uses
	}
	if i := strings.IndexByte(uses, '@'); i >= 0 {
		uses = uses[:i]
	}
	return strings.ToLower(strings.TrimSpace(uses))
}

// envRefs records `${{ env.X }}` references in s.
func envRefs(s string, refs map[string]bool) {
	if !strings.Contains(s, "${{") {
		return
	}
	for _, sp := range findExprs(s) {
		walkExpr(sp.node, func(x exprNode) {
			if r, ok := x.(exprRef); ok && len(r.path) >= 2 && strings.EqualFold(r.path[0], "env") && r.path[1] != "*" {
				refs[r.path[1]] = true
			}
		})
	}
}

// bashLike reports a shell whose scripts mvdan.cc/sh reads.
func bashLike(sh string) bool {
	sh = strings.TrimSpace(sh)
	if sh == "" {
		return true
	}
	f := strings.Fields(sh)[0]
	f = f[strings.LastIndexByte(f, '/')+1:]
	return f == "bash" || f == "sh" || f == "dash" || f == "ash" || f == "zsh"
}

// script parses a run script: its commands, the variables it reads, the
// containers it starts and any checkout of pull-request code.
func (l *lowerer) script(w *model.Workload, j *model.CIJob, st *model.Step, run yamldoc.Value, refs map[string]bool) {
	src, ok := run.Str()
	if !ok {
		return
	}
	// expressions are expanded into the script text before it runs,
	// whatever its language
	for _, sp := range findExprs(src) {
		if _, bulk := secretRef(sp.node); bulk {
			st.RunAllSecrets = exprLoc(run, sp)
			break
		}
	}
	posix := bashLike(st.Shell)
	if !posix {
		// PowerShell and cmd: only their container engine lines read as
		// shell; other languages (python …) not at all
		cont, ok := continuation(st.Shell)
		if !ok {
			return
		}
		src = shell.ContainerLines(src, cont)
	}
	spans := findExprs(src)
	sc, err := shell.Parse(src, masks(spans))
	if err != nil {
		if posix {
			l.scriptNotice(run, st, err)
		}
		return
	}
	for _, v := range sc.Vars {
		refs[v] = true
	}
	at := wordLocator(run)
	for _, c := range sc.Commands {
		args := shell.Unwrap(c.Args)
		if len(args) == 0 {
			continue
		}
		st.Commands = append(st.Commands, shell.CommandOf(args, at))
		if ctr := shell.StartedContainer(w, args, at, l.envValue(spans)); ctr != nil {
			w.Containers = append(w.Containers, ctr)
		}
		if st.UntrustedCheckout == nil {
			if why := checksOutPR(args, spans, l.envOf(st, j)); why != "" {
				st.UntrustedCheckout = &model.Related{Loc: at(args[0]), Message: why}
			}
		}
	}
}

// checksOutPR reports a command that fetches or checks out pull-request
// code: `gh pr checkout`, `git fetch … pull/N/head`, `git checkout` of an
// event-supplied ref, written in the command or read from a variable the
// step's environment sets to one.
func checksOutPR(args []shell.Word, spans []exprSpan, env envLookup) string {
	name := args[0].Lit
	switch name {
	case "gh", "hub":
		if len(args) >= 3 && args[1].Lit == "pr" && args[2].Lit == "checkout" {
			return "`" + name + " pr checkout` fetches the pull request's code"
		}
	case "git":
		if len(args) < 2 {
			return ""
		}
		switch args[1].Lit {
		case "fetch", "checkout", "switch", "pull", "reset", "merge":
		default:
			return ""
		}
		for _, a := range args[2:] {
			text := a.Text
			if strings.Contains(text, "pull/") && (strings.Contains(text, "/head") || strings.Contains(text, "/merge")) {
				return "`git " + args[1].Lit + "` of a refs/pull/… ref fetches the pull request's code"
			}
			for _, sp := range spans {
				if sp.start >= a.Start && sp.end <= a.End {
					if what := untrustedRef(sp.node, env); what != "" {
						return "`git " + args[1].Lit + "` of " + what
					}
				}
			}
			for _, v := range a.Vars {
				if what := untrustedVar(v, env); what != "" {
					return "`git " + args[1].Lit + "` of $" + v + ", " + what
				}
			}
		}
	}
	return ""
}

// envLookup returns the value a step's environment gives a variable: the
// step's env, else the job's, else the workflow's, as GitHub sets them.
type envLookup func(name string) (string, bool)

// envOf is the environment lookup of a step of job j.
func (l *lowerer) envOf(st *model.Step, j *model.CIJob) envLookup {
	return func(name string) (string, bool) {
		scopes := [][]*model.EnvVar{st.Env, nil, l.pipe.Env}
		if j != nil {
			scopes[1] = j.Env
		}
		for _, scope := range scopes {
			for i := len(scope) - 1; i >= 0; i-- { // a later key of the same name wins
				if e := scope[i]; e.Name == name {
					return e.Value.Value, e.Value.Set // the text as written: expressions unexpanded
				}
			}
		}
		return "", false
	}
}

// untrustedVar reports an environment variable set to the head of a pull
// request or of a workflow_run ("set from ${{ … }} (…)").
func untrustedVar(name string, env envLookup) string {
	if env == nil {
		return ""
	}
	v, ok := env(name)
	if !ok {
		return ""
	}
	for _, sp := range findExprs(v) {
		if what := untrustedRef(sp.node, nil); what != "" {
			return "set from " + what
		}
	}
	return ""
}

// untrustedRef reports an expression naming the head of a pull request or
// of a workflow_run (code its author controls), directly or through an
// `env.X` the step's environment sets to one.
func untrustedRef(n exprNode, env envLookup) string {
	what := ""
	walkExpr(n, func(x exprNode) {
		r, ok := x.(exprRef)
		if !ok || what != "" {
			return
		}
		p := strings.ToLower(strings.Join(r.path, "."))
		switch {
		case strings.HasPrefix(p, "github.event.pull_request.head."), p == "github.head_ref",
			p == "github.event.pull_request.merge_commit_sha", p == "github.event.pull_request.number",
			p == "github.event.number", p == "github.event.issue.number":
			what = "${{ " + p + " }} (the pull request's code)"
		case strings.HasPrefix(p, "github.event.workflow_run.head_"), strings.HasPrefix(p, "github.event.workflow_run.pull_requests"):
			what = "${{ " + p + " }} (the triggering run's code)"
		case len(r.path) == 2 && strings.EqualFold(r.path[0], "env"):
			if via := untrustedVar(r.path[1], env); via != "" {
				what = "${{ env." + r.path[1] + " }}, " + via
			}
		}
	})
	return what
}

// checkout records an actions/checkout step that checks out untrusted code
// in a world that has secrets (pull_request_target, workflow_run,
// issue_comment) and untrusted authors: a pull_request_target job or step
// whose `if:` admits only pull requests from branches of the repository
// (`head.repo.full_name == github.repository`, `!head.repo.fork`) runs no
// fork's code.
func (l *lowerer) checkout(st *model.Step, sv yamldoc.Value, worlds []world, env envLookup) {
	if st.Action != "actions/checkout" {
		if st.UntrustedCheckout != nil && !privilegedWorld(worlds) {
			st.UntrustedCheckout = nil
		}
		return
	}
	with := sv.Get("with")
	for _, key := range []string{"ref", "repository"} {
		v := with.Get(key)
		s, ok := v.Str()
		if !ok {
			continue
		}
		for _, sp := range findExprs(s) {
			if what := untrustedRef(sp.node, env); what != "" {
				st.UntrustedCheckout = &model.Related{Loc: v.Loc(), Message: "checks out " + what}
				break
			}
		}
		if st.UntrustedCheckout == nil && key == "ref" && strings.Contains(s, "refs/pull/") {
			st.UntrustedCheckout = &model.Related{Loc: v.Loc(), Message: "checks out a refs/pull/… ref (the pull request's code)"}
		}
		if st.UntrustedCheckout != nil {
			break
		}
	}
	if st.UntrustedCheckout != nil && !privilegedWorld(worlds) {
		st.UntrustedCheckout = nil
	}
}

// privilegedWorld reports whether any world runs with the base
// repository's secrets on behalf of possibly untrusted code.
func privilegedWorld(worlds []world) bool {
	for _, w := range worlds {
		switch w.event {
		case "pull_request_target", "workflow_run", "issue_comment":
			if w.trust == model.TrustUntrusted {
				return true
			}
		}
	}
	return false
}

// cloudRole records the cloud identity a step assumes through OIDC.
func (l *lowerer) cloudRole(j *model.CIJob, st *model.Step) {
	get := func(name string) *model.Input {
		in := st.Input(name)
		if in == nil || in.Value.Known() {
			return in
		}
		// ${{ env.X }} written in the file, ${{ vars.X }}: one value
		cp := *in
		cp.Value = l.resolveExpr(in.Value, st, j)
		return &cp
	}
	id := model.Identity{Kind: model.IdentityCICloudRole}
	switch {
	case st.Action == "aws-actions/configure-aws-credentials":
		in := get("role-to-assume")
		if in == nil {
			return
		}
		id.Key, id.Name, id.Loc, id.Via = "aws:"+in.Value.Value, in.Value.Value, in.Value.Loc, in.Value.Via
		id.Unknown = !in.Value.Known()
	case st.Action == "google-github-actions/auth":
		prov := get("workload_identity_provider")
		if prov == nil {
			return
		}
		sa := get("service_account")
		id.Key, id.Name, id.Loc, id.Via = "gcp:"+prov.Value.Value, prov.Value.Value, prov.Value.Loc, prov.Value.Via
		id.Unknown = !prov.Value.Known()
		if sa != nil {
			id.Key += "|" + sa.Value.Value
			id.Name = sa.Value.Value + " (through " + prov.Value.Value + ")"
			id.Unknown = id.Unknown || !sa.Value.Known()
		}
	case st.Action == "azure/login":
		cid := get("client-id")
		if cid == nil || get("creds") != nil {
			return
		}
		id.Key, id.Name, id.Loc, id.Via = "azure:"+cid.Value.Value, "client "+cid.Value.Value, cid.Value.Loc, cid.Value.Via
		id.Unknown = !cid.Value.Known()
		if t := get("tenant-id"); t != nil {
			id.Key += "|" + t.Value.Value
			id.Unknown = id.Unknown || !t.Value.Known()
		}
	default:
		return
	}
	j.CloudRoles = append(j.CloudRoles, id)
}

// soleRef is a value that is one reference and nothing else:
// ${{ env.X }}, ${{ vars.X }}, ${{ secrets.X }}.
var soleRef = regexp.MustCompile(`^\$\{\{\s*(env|vars|secrets)\.([A-Za-z_][A-Za-z0-9_-]*)\s*\}\}$`)

// resolveExpr reads an input that is only a reference. `env.X` takes the
// literal the step, the job or the workflow sets X to in the file (the
// place is a related location). `vars.X` and `secrets.X` are not in the
// file, but every job that reads one in the same deployment environment
// reads the same value (an environment may override it): the value then
// stands for itself, known as "the value of vars.X". Anything else stays
// unknown.
func (l *lowerer) resolveExpr(v model.String, st *model.Step, j *model.CIJob) model.String {
	out := v
	for range 4 {
		m := soleRef.FindStringSubmatch(strings.TrimSpace(out.Value))
		if m == nil {
			return out
		}
		switch strings.ToLower(m[1]) {
		case "vars", "secrets":
			out.Value = "${{ " + strings.ToLower(m[1]) + "." + m[2] + " }}"
			if env := j.Environment; env.Known() {
				out.Value += " (environment " + env.Value + ")"
			}
			out.Unknown = false
			return out
		}
		e := lookupEnv(m[2], st.Env, j.Env, l.pipe.Env)
		if e == nil || !e.Value.Set {
			return out
		}
		out.Via = append(append([]model.Related(nil), out.Via...), model.Related{Loc: e.Loc, Message: "env " + m[2] + " is set here"})
		out.Value = e.Value.Value
		if !strings.Contains(out.Value, "${{") {
			out.Unknown = false
			return out
		}
	}
	return out
}

// lookupEnv finds an env variable in the innermost scope that sets it.
func lookupEnv(name string, scopes ...[]*model.EnvVar) *model.EnvVar {
	for _, sc := range scopes {
		for _, e := range sc {
			if e.Name == name {
				return e
			}
		}
	}
	return nil
}

// continuation is the line continuation character of a non-POSIX shell
// whose container engine lines isolint reads; ok is false for the others.
func continuation(sh string) (byte, bool) {
	f := strings.Fields(sh)
	if len(f) == 0 {
		return 0, false
	}
	switch name := strings.ToLower(f[0][strings.LastIndexAny(f[0], `/\`)+1:]); strings.TrimSuffix(name, ".exe") {
	case "pwsh", "powershell":
		return '`', true
	case "cmd":
		return '^', true
	}
	return 0, false
}

// foreignNote says once per job (or composite action) that the scripts of
// steps run by another shell than a POSIX one were not analysed, except
// for their container engine lines.
func (l *lowerer) foreignNote(w *model.Workload, steps []*model.Step) {
	if len(steps) == 0 {
		return
	}
	var shells, names []string
	seen := map[string]bool{}
	for _, st := range steps {
		sh := strings.Fields(st.Shell)[0]
		if !seen[sh] {
			seen[sh] = true
			shells = append(shells, sh)
		}
		names = append(names, strconv.Quote(st.Name))
	}
	if len(names) > 3 {
		names = append(names[:3], "…")
	}
	l.p.Notices = append(l.p.Notices, model.Notice{Level: model.NoticeNote, Loc: w.Loc,
		Message: w.Display() + " runs steps in " + strings.Join(shells, ", ") + " (" + strings.Join(names, ", ") +
			"): their scripts were not analysed as shell; only docker, podman and nerdctl command lines in PowerShell and cmd scripts were read"})
}

// scriptNotice reports a script that does not parse, at the line of the
// error when it can be placed.
func (l *lowerer) scriptNotice(run yamldoc.Value, st *model.Step, err error) {
	off, msg, ok := shell.ErrorAt(err)
	loc := run.Loc()
	if ok {
		if at, found := run.Span(off, 0); found {
			loc = at
		}
	}
	l.p.Notices = append(l.p.Notices, model.Notice{Level: model.NoticeWarning, Loc: loc,
		Message: "the script of " + st.Display() + " does not parse as a shell script (" + msg + "); its commands were not checked"})
}
