package github

import (
	"regexp"
	"sort"
	"strconv"
	"strings"

	"github.com/isolint/isolint/model"
	"github.com/isolint/isolint/scanners/ci/shell"
	"github.com/isolint/isolint/scanners/yamldoc"
	yaml "go.yaml.in/yaml/v3"
)

// job lowers one entry of `jobs:`.
func (l *lowerer) job(id string, jv yamldoc.Value) *model.Workload {
	loc := jv.KeyLoc()
	w := &model.Workload{Format: model.FormatGHA, Kind: "job", Name: id, Namespace: l.doc.File, Loc: loc, SpecLoc: loc}
	j := &model.CIJob{Pipeline: l.pipe, ID: id, Loc: loc}
	w.CI = j

	// environment: is a name or a mapping {name, url}
	// (https://docs.github.com/en/actions/reference/workflows-and-actions/workflow-syntax#jobsjob_idenvironment)
	env := jv.Get("environment")
	if env.IsMap() {
		j.Environment = env.Get("name").StringVal()
	} else {
		j.Environment = env.StringVal()
	}
	kept := reachable(l.worlds, jv.Get("if"))
	jobTrust(j, kept, env.Exists() && !env.IsNull())
	j.Permissions = permissions(jv.Get("permissions"), loc, jv.Path()+".permissions")
	j.Runner = runner(jv.Get("runs-on"), jv.Get("strategy").Get("matrix"))
	if !j.Runner.Loc.IsZero() {
		w.SpecLoc = j.Runner.Loc
	}
	j.Env, j.EnvSources = l.envMap(jv.Get("env"))
	l.secretUses(j, jv)

	if uses := jv.Get("uses"); uses.Exists() {
		l.call(j, jv, uses)
		if callee := localWorkflow(l.doc.File, uses.Text()); callee != "" && len(kept) > 0 {
			l.calls = append(l.calls, localCall{callee: callee, worlds: kept})
		}
		return w
	}

	// the environment the steps run in: the job container, or the runner
	var main *model.Container
	if cv := jv.Get("container"); cv.Exists() && !cv.IsNull() {
		main = l.container(w, j, cv, model.ContainerRegular, "")
		j.ContainerLoc = cv.KeyLoc()
	} else {
		name := j.Runner.Display()
		if name == "" {
			name = "runner"
		}
		main = &model.Container{Name: name, Kind: model.ContainerRunner, Loc: j.Runner.Loc}
		if main.Loc.IsZero() {
			main.Loc = loc
		}
		w.Containers = append(w.Containers, main)
	}
	main.Env = append(main.Env, j.Env...)
	main.EnvSources = append(main.EnvSources, j.EnvSources...)
	if sv := jv.Get("services"); sv.ExpectMap() {
		for _, pr := range sv.Pairs() {
			l.container(w, j, pr.Value, model.ContainerService, pr.Key)
		}
	}
	shellName := jv.Get("defaults").Get("run").Get("shell").Text()
	if shellName == "" {
		shellName = l.defaultShell
	}
	if shellName == "" && j.Runner.Windows {
		shellName = "pwsh"
	}
	l.steps(w, j, main, jv.Get("steps"), true, kept, shellName)
	if len(j.CloudRoles) > 0 {
		w.Identity = j.CloudRoles[0]
	}
	return w
}

// call lowers a job that calls a reusable workflow.
func (l *lowerer) call(j *model.CIJob, jv, uses yamldoc.Value) {
	c := &model.WorkflowCall{Uses: uses.StringVal()}
	sec := jv.Get("secrets")
	switch {
	case sec.IsScalar() && sec.Text() == "inherit":
		c.SecretsInherit = model.Bool{Value: true, Set: true, Loc: sec.Loc()}
	case sec.IsMap():
		for _, pr := range sec.Pairs() {
			c.Secrets = append(c.Secrets, l.input(pr.Key, pr.Value))
		}
	}
	for _, pr := range jv.Get("with").Pairs() {
		c.With = append(c.With, l.input(pr.Key, pr.Value))
	}
	j.Call = c
}

// container lowers the job container or a service: image, env, registry
// credentials, volumes and the `docker create` options string.
func (l *lowerer) container(w *model.Workload, j *model.CIJob, cv yamldoc.Value, kind model.ContainerKind, name string) *model.Container {
	c := &model.Container{Kind: kind, Loc: cv.KeyLoc()}
	if cv.IsScalar() {
		c.Image = cv.StringVal()
	} else if cv.ExpectMap() {
		c.Image = cv.Get("image").StringVal()
		c.Env, c.EnvSources = l.envMap(cv.Get("env"))
		if cred := cv.Get("credentials"); cred.ExpectMap() {
			for _, pr := range cred.Pairs() {
				j.Credentials = append(j.Credentials, l.input(pr.Key, pr.Value))
			}
		}
		if vols := cv.Get("volumes"); vols.ExpectSeq() {
			for _, it := range vols.Items() {
				s := it.StringVal()
				shell.AddVolume(w, c, s.Value, s.Known() && !strings.Contains(s.Value, "${{"), it.Loc())
			}
		}
		if opts := cv.Get("options"); opts.Exists() {
			l.options(w, c, opts)
		}
	}
	c.Name = name
	if c.Name == "" {
		c.Name = c.Image.Value
		if c.Name == "" {
			c.Name = "container"
		}
	}
	w.Containers = append(w.Containers, c)
	return c
}

// options reads a container's options string as `docker create` flags.
func (l *lowerer) options(w *model.Workload, c *model.Container, opts yamldoc.Value) {
	s, ok := opts.Str()
	if !ok {
		return
	}
	spans := findExprs(s)
	words, err := shell.Words(s, masks(spans))
	if err != nil {
		l.doc.Notice(opts, model.NoticeWarning, "%s could not be split into flags (%s); they were not checked", opts.Path(), shellErr(err))
		return
	}
	shell.Apply(w, c, shell.Flags(words, false), wordLocator(opts), l.envValue(spans))
}

// wordLocator places a word of the scalar v.
func wordLocator(v yamldoc.Value) shell.Locator {
	return func(wd shell.Word) model.Location {
		if loc, ok := v.Span(wd.Start, wd.End-wd.Start); ok {
			return loc
		}
		return v.Loc()
	}
}

func masks(spans []exprSpan) [][2]int {
	var out [][2]int
	for _, s := range spans {
		out = append(out, [2]int{s.start, s.end})
	}
	return out
}

// envValue judges `-e NAME=${{ secrets.X }}` in a script or options string.
func (l *lowerer) envValue(spans []exprSpan) shell.EnvValue {
	return func(wd shell.Word, value string) (*model.SecretRef, string) {
		for _, sp := range spans {
			if sp.start >= wd.Start && sp.end <= wd.End && sp.node != nil {
				if name, bulk := secretRef(sp.node); name != "" && !bulk {
					return &model.SecretRef{Store: model.StoreCISecrets, Name: "secrets." + name}, ""
				}
			}
		}
		return nil, ""
	}
}

var (
	windowsOS = regexp.MustCompile(`^windows-`)
)

// runner reads `runs-on`: a label, a list of labels, or a group with
// labels. Labels given by a matrix are resolved when the matrix lists them.
func runner(v yamldoc.Value, matrix yamldoc.Value) model.Runner {
	r := model.Runner{Loc: v.Loc()}
	if !v.Exists() {
		return r
	}
	var labels []model.String
	addLabel := func(s model.String) {
		if s.Known() && strings.Contains(s.Value, "${{") {
			s.Unknown = true
		}
		if s.Unknown {
			if vals := matrixValues(s.Value, matrix); len(vals) > 0 {
				for _, x := range vals {
					labels = append(labels, model.String{Value: x, Set: true, Loc: s.Loc})
				}
				return
			}
		}
		labels = append(labels, s)
	}
	switch {
	case v.IsScalar():
		addLabel(v.StringVal())
	case v.IsSeq():
		for _, it := range v.Items() {
			addLabel(it.StringVal())
		}
	case v.IsMap():
		r.Group = v.Get("group").StringVal()
		if ls := v.Get("labels"); ls.IsSeq() {
			for _, it := range ls.Items() {
				addLabel(it.StringVal())
			}
		} else if ls.Exists() {
			addLabel(ls.StringVal())
		}
	}
	r.Labels = labels
	hosted := len(labels) > 0 && !r.Group.Set
	for _, lb := range labels {
		switch {
		case !lb.Known():
			hosted = false
		case strings.EqualFold(lb.Value, "self-hosted"):
			r.SelfHosted = true
			hosted = false
		case model.IsGitHubHostedLabel(strings.ToLower(lb.Value)): // labels are case-insensitive
			if windowsOS.MatchString(strings.ToLower(lb.Value)) {
				r.Windows = true
			}
		default:
			hosted = false
		}
	}
	r.Hosted = hosted
	return r
}

// excludedValue reports a value of the matrix key that an `exclude` entry
// naming only that key removes from every combination: an exclude entry
// matches the combinations it partially matches, so `exclude: [{os:
// self-hosted}]` leaves no combination with that os. Entries that name
// other keys too remove only some combinations and leave the value in.
// `include` entries are added after exclusion and are never removed
// (https://docs.github.com/en/actions/reference/workflows-and-actions/workflow-syntax#jobsjob_idstrategymatrixexclude).
func excludedValue(matrix yamldoc.Value, key string, v yamldoc.Value) bool {
	for _, ex := range matrix.Get("exclude").Items() {
		if !ex.IsMap() {
			continue
		}
		pairs := ex.Pairs()
		if len(pairs) == 1 && pairs[0].Key == key && sameLiteral(pairs[0].Value, v) {
			return true
		}
	}
	return false
}

// sameLiteral compares two literal matrix values: scalars by their text,
// lists item by item. Anything else is not known to be equal.
func sameLiteral(a, b yamldoc.Value) bool {
	switch {
	case a.IsScalar() && b.IsScalar():
		x, ok1 := a.Str()
		y, ok2 := b.Str()
		return ok1 && ok2 && x == y && !strings.Contains(x, "${{")
	case a.IsSeq() && b.IsSeq():
		ai, bi := a.Items(), b.Items()
		if len(ai) != len(bi) {
			return false
		}
		for i := range ai {
			if !sameLiteral(ai[i], bi[i]) {
				return false
			}
		}
		return true
	}
	return false
}

var matrixRef = regexp.MustCompile(`^\$\{\{\s*matrix\.([A-Za-z0-9_-]+)\s*\}\}$`)

// matrixValues lists the literal labels a `${{ matrix.X }}` label takes,
// or nil when any is unknown. The labels of every combination are listed
// together: a runner is self-hosted when one combination is. A value may
// itself be a list of labels, all of which one runner must have
// (`runner: [ubuntu-latest, [self-hosted, linux]]`,
// `include: [{runner: [self-hosted, gpu]}]`).
func matrixValues(s string, matrix yamldoc.Value) []string {
	m := matrixRef.FindStringSubmatch(strings.TrimSpace(s))
	if m == nil || !matrix.IsMap() {
		return nil
	}
	var out []string
	label := func(v yamldoc.Value) bool {
		t, ok := v.Str()
		if !v.IsScalar() || !ok || strings.Contains(t, "${{") {
			return false
		}
		out = append(out, t)
		return true
	}
	// value adds one combination's value: a label or a list of labels
	value := func(v yamldoc.Value) bool {
		if !v.IsSeq() {
			return label(v)
		}
		for _, it := range v.Items() {
			if !label(it) {
				return false
			}
		}
		return true
	}
	if x := matrix.Get(m[1]); x.Exists() {
		if !x.IsSeq() {
			return nil // an expression (fromJSON(…)): the values are unknown
		}
		for _, it := range x.Items() {
			if excludedValue(matrix, m[1], it) {
				continue
			}
			if !value(it) {
				return nil
			}
		}
	}
	for _, inc := range matrix.Get("include").Items() {
		if x := inc.Get(m[1]); x.Exists() && !value(x) {
			return nil
		}
	}
	return out
}

// envMap reads an `env:` mapping. Secret references become SecretRefs;
// `toJSON(secrets)` becomes an all-secrets EnvSource.
func (l *lowerer) envMap(v yamldoc.Value) ([]*model.EnvVar, []*model.EnvSource) {
	if !v.Exists() || v.IsNull() {
		return nil, nil
	}
	if v.IsScalar() {
		var sources []*model.EnvSource
		if s, ok := v.Str(); ok {
			for _, sp := range findExprs(s) {
				if _, bulk := secretRef(sp.node); bulk {
					sources = append(sources, &model.EnvSource{Kind: model.EnvFromAllSecrets, Name: "secrets", Loc: exprLoc(v, sp)})
				}
			}
		}
		return nil, sources
	}
	if !v.ExpectMap() {
		return nil, nil
	}
	var vars []*model.EnvVar
	var sources []*model.EnvSource
	for _, pr := range v.Pairs() {
		ev := &model.EnvVar{Name: pr.Key, Loc: pr.Value.KeyLoc()}
		val := pr.Value
		if val.IsMap() || val.IsSeq() {
			val.Doc().Notice(val, model.NoticeWarning, "%s must be a string, got %s", val.Path(), val.KindName())
			continue
		}
		s := val.StringVal()
		ev.Value = s
		for _, sp := range findExprs(s.Value) {
			ev.Value.Unknown = true
			name, bulk := secretRef(sp.node)
			switch {
			case bulk:
				sources = append(sources, &model.EnvSource{Kind: model.EnvFromAllSecrets, Name: pr.Key, Loc: exprLoc(val, sp)})
			case name != "" && ev.Secret == nil:
				ev.Secret = &model.SecretRef{Store: model.StoreCISecrets, Name: "secrets." + name, Loc: exprLoc(val, sp)}
			}
		}
		if !s.Unknown && strings.Contains(s.Value, "$") {
			ev.FromVar = shell.VarOnly(s.Value) // GitHub does not expand $X in env; kept for messages
		}
		vars = append(vars, ev)
	}
	return vars, sources
}

// input reads one `with:` or `secrets:` entry.
func (l *lowerer) input(name string, v yamldoc.Value) model.Input {
	in := model.Input{Name: name, Loc: v.KeyLoc()}
	if v.IsMap() || v.IsSeq() {
		return in
	}
	in.Value = v.StringVal()
	for _, sp := range findExprs(in.Value.Value) {
		in.Value.Unknown = true
		n, bulk := secretRef(sp.node)
		switch {
		case bulk && in.AllSecrets.IsZero():
			in.AllSecrets = exprLoc(v, sp)
		case n != "" && !bulk && in.Secret == nil:
			in.Secret = &model.SecretRef{Store: model.StoreCISecrets, Name: "secrets." + n, Loc: exprLoc(v, sp)}
		}
	}
	return in
}

// exprLoc locates an expression inside a scalar, or the scalar.
func exprLoc(v yamldoc.Value, sp exprSpan) model.Location {
	if loc, ok := v.Span(sp.start, sp.end-sp.start); ok {
		return loc
	}
	return v.Loc()
}

// secretRef names the secret an expression reads (`secrets.X`,
// `secrets['X']`), or reports bulk access (`secrets`, `toJSON(secrets)`,
// `secrets[expr]`).
func secretRef(n exprNode) (name string, bulk bool) {
	walkExpr(n, func(x exprNode) {
		r, ok := x.(exprRef)
		if !ok || !strings.EqualFold(r.path[0], "secrets") {
			return
		}
		if len(r.path) == 1 || r.dynamic || r.path[1] == "*" {
			bulk = true
			return
		}
		if name == "" {
			name = r.path[1]
		}
	})
	return name, bulk
}

// secretUses records every secret and job-token reference in the job.
func (l *lowerer) secretUses(j *model.CIJob, jv yamldoc.Value) {
	visitScalars(jv, 0, map[*yaml.Node]bool{}, func(v yamldoc.Value, s string) {
		for _, sp := range findExprs(s) {
			if sp.node == nil {
				continue
			}
			loc := exprLoc(v, sp)
			walkExpr(sp.node, func(x exprNode) {
				r, ok := x.(exprRef)
				if !ok {
					return
				}
				switch {
				case strings.EqualFold(r.path[0], "secrets"):
					if len(r.path) == 1 || r.dynamic || r.path[1] == "*" {
						j.SecretUses = append(j.SecretUses, model.SecretUse{Bulk: true, Loc: loc})
					} else {
						j.SecretUses = append(j.SecretUses, model.SecretUse{Name: r.path[1], Loc: loc})
						if strings.EqualFold(r.path[1], "GITHUB_TOKEN") {
							j.TokenUses = append(j.TokenUses, model.TokenUse{Loc: loc})
						}
					}
				case len(r.path) == 2 && strings.EqualFold(r.path[0], "github") && strings.EqualFold(r.path[1], "token"):
					j.TokenUses = append(j.TokenUses, model.TokenUse{Loc: loc})
				}
			})
		}
	})
}

// maxVisitDepth bounds the walk over a job's values.
const maxVisitDepth = 32

// visitScalars calls fn for every string scalar at or below v. A mapping
// or list reached again through an alias is not walked again, so that
// nested aliases cannot make the walk exponential.
func visitScalars(v yamldoc.Value, depth int, seen map[*yaml.Node]bool, fn func(v yamldoc.Value, s string)) {
	if depth > maxVisitDepth {
		return
	}
	if n := v.Node(); n != nil && (v.IsMap() || v.IsSeq()) {
		if seen[n] {
			return
		}
		seen[n] = true
	}
	switch {
	case v.IsMap():
		for _, pr := range v.Pairs() {
			visitScalars(pr.Value, depth+1, seen, fn)
		}
	case v.IsSeq():
		for _, it := range v.Items() {
			visitScalars(it, depth+1, seen, fn)
		}
	default:
		if s, ok := v.Str(); ok && strings.Contains(s, "${{") {
			fn(v, s)
		}
	}
}

func shellErr(err error) string {
	_, msg, _ := shell.ErrorAt(err)
	return msg
}

// stepName names a step for messages.
func stepName(sv yamldoc.Value, i int) string {
	if n := sv.Get("name").Text(); n != "" && !strings.Contains(n, "${{") {
		return n
	}
	if n := sv.Get("id").Text(); n != "" {
		return n
	}
	if u := sv.Get("uses").Text(); u != "" {
		return u
	}
	return "#" + strconv.Itoa(i+1)
}

func sortedKeys(m map[string]bool) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}
