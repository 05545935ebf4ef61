package gitlab

import (
	"regexp"
	"sort"
	"strconv"
	"strings"

	"github.com/isolint/isolint/model"
	"github.com/isolint/isolint/scanners/ci/shell"
)

// pipeline composes the configuration and lowers its jobs.
func (s *scan) pipeline() {
	raw := s.load(s.root.Path, s.root.Content, 0)
	defer func() {
		for _, d := range s.docs {
			s.p.Notices = append(s.p.Notices, d.Notices...)
		}
	}()
	if raw == nil {
		return
	}
	notice := func(n *node, msg string) {
		if d := n.v.Doc(); d != nil {
			d.Notice(n.v, model.NoticeWarning, "%s", msg)
		}
	}
	rs := &resolver{global: raw, notice: notice}
	cfg := rs.resolve(raw, 0)
	pipe := &model.Pipeline{Format: model.FormatGitLab, Kind: "pipeline", Name: s.root.Path}
	for _, k := range cfg.keys {
		pipe.Loc = cfg.m[k].keyLoc()
		pipe.Loc.Path = ""
		break
	}
	pipe.Env = variables(cfg.get("variables"))

	// default: and the legacy global keywords it replaces
	def := cfg.get("default")
	if def == nil {
		def = &node{kind: 'm', m: map[string]*node{}}
	}
	for _, k := range []string{"image", "services", "before_script", "after_script", "cache"} {
		if g := cfg.get(k); g != nil && def.get(k) == nil {
			if def.m == nil {
				def = &node{kind: 'm', m: map[string]*node{}}
			}
			def = merge(def, &node{v: cfg.v, kind: 'm', keys: []string{k}, m: map[string]*node{k: g}}, nil, 0)
		}
	}

	ws := worlds()
	if wr := cfg.get("workflow").get("rules"); wr.exists() {
		var kept []world
		for _, w := range ws {
			if runsIn(w, wr) {
				kept = append(kept, w)
			}
		}
		ws = kept
	}
	for _, k := range cfg.keys {
		if strings.HasPrefix(k, ".") || reserved[k] {
			continue
		}
		jn := cfg.m[k]
		if jn.kind != 'm' {
			continue
		}
		full := s.extend(cfg, k, jn, 0, map[string]bool{})
		if !full.get("script").exists() && !full.get("trigger").exists() && !full.get("run").exists() {
			continue // not a job GitLab would run (a fragment of a template)
		}
		w := s.job(pipe, k, jn, full, def, ws)
		pipe.Jobs = append(pipe.Jobs, w)
		s.p.Workloads = append(s.p.Workloads, w)
	}
	s.p.Pipelines = append(s.p.Pipelines, pipe)
}

// maxExtendsDepth is GitLab's limit on extends nesting.
const maxExtendsDepth = 11

// extend resolves `extends` for one job or hidden job: parents in order,
// each resolved first, then the job's own keys over them.
func (s *scan) extend(cfg *node, name string, jn *node, depth int, seen map[string]bool) *node {
	ext := jn.get("extends")
	if !ext.exists() {
		return jn
	}
	if depth >= maxExtendsDepth || seen[name] {
		jn.v.Doc().Notice(ext.v, model.NoticeWarning, "extends of %s nests too deep or loops; it was not followed", name)
		return jn
	}
	seen[name] = true
	defer delete(seen, name)
	var base *node
	for _, pn := range ext.list() {
		parent := pn.text()
		pj := cfg.get(parent)
		if pj == nil || pj.kind != 'm' {
			if s.notRead {
				// most likely defined in the include that was not read:
				// what the job inherits is unknown, so it is not checked
				// in full (GitLab itself rejects a pipeline whose extends
				// names nothing, so without such an include this is a
				// mistake in the file, not a gap in the scan)
				jn.v.Doc().Notice(pn.v, model.NoticeError, "extends names %s, which none of the files read defines (an include was not read), so what %s inherits was not checked", parent, name)
				continue
			}
			jn.v.Doc().Notice(pn.v, model.NoticeWarning, "extends names %s, which is not in the configuration", parent)
			continue
		}
		resolved := s.extend(cfg, parent, pj, depth+1, seen)
		rel := model.Related{Loc: pn.loc(), Message: "inherited from " + parent + " through extends"}
		base = merge(base, resolved.withVia(rel), nil, 0)
	}
	out := merge(base, jn, nil, 0)
	if out.kind == 'm' {
		delete(out.m, "extends")
	}
	return out
}

// job lowers one job after extends.
func (s *scan) job(pipe *model.Pipeline, name string, own, jn, def *node, ws []world) *model.Workload {
	loc := own.keyLoc()
	w := &model.Workload{Format: model.FormatGitLab, Kind: "job", Name: name, Namespace: pipe.Name, Loc: loc, SpecLoc: loc}
	j := &model.CIJob{Pipeline: pipe, ID: name, Loc: loc}
	w.CI = j

	// what the job takes from default:
	inherit := jn.get("inherit")
	useDefault := func(key string) *node {
		if v := jn.get(key); v != nil {
			return v
		}
		d := inherit.get("default")
		if d != nil {
			if d.kind == 'v' && d.text() == "false" {
				return nil
			}
			if d.kind == 's' {
				ok := false
				for _, it := range d.list() {
					if it.text() == key {
						ok = true
					}
				}
				if !ok {
					return nil
				}
			}
		}
		if v := def.get(key); v != nil {
			return v.withVia(model.Related{Loc: loc, Message: "job " + name + " takes " + key + " from default"})
		}
		return nil
	}

	// environment: is a name or a mapping {name, url, action, …}
	// (https://docs.gitlab.com/ci/yaml/#environment)
	env := jn.get("environment")
	if env != nil && env.kind == 'm' {
		j.Environment = env.get("name").str()
	} else {
		j.Environment = env.str()
	}
	var kept []world
	for _, w := range ws {
		rules := jn.get("rules")
		if rules.exists() {
			if !runsIn(w, rules) {
				continue
			}
		} else if !onlyExcept(w, jn.get("only"), jn.get("except")) {
			continue
		}
		kept = append(kept, w)
	}
	jobTrust(j, kept, j.Environment.Set)

	if tags := useDefault("tags"); tags != nil {
		j.Runner.Loc = tags.loc()
		for _, t := range tags.list() {
			j.Runner.Labels = append(j.Runner.Labels, t.str())
		}
	}
	for _, it := range useDefault("id_tokens").pairs() {
		tok := model.IDToken{Name: it.key, Loc: it.n.keyLoc()}
		for _, a := range it.n.get("aud").list() {
			tok.Aud = append(tok.Aud, a.text())
		}
		j.IDTokens = append(j.IDTokens, tok)
	}
	for _, it := range jn.get("secrets").pairs() {
		j.SecretUses = append(j.SecretUses, model.SecretUse{Name: it.key, Loc: it.n.keyLoc()})
	}
	j.Env = variables(jn.get("variables"))
	if iv := inherit.get("variables"); iv.exists() {
		keep := map[string]bool{}
		all := iv.kind == 'v' && iv.text() != "false"
		for _, it := range iv.list() {
			if iv.kind == 's' {
				keep[it.text()] = true
			}
		}
		if !all {
			j.Refuses = map[string]bool{}
			for _, e := range pipe.Env {
				if !keep[e.Name] {
					j.Refuses[e.Name] = true
				}
			}
		}
	}

	vars := map[string]*model.EnvVar{}
	for _, e := range pipe.Env {
		vars[e.Name] = e
	}
	for _, e := range j.Env {
		vars[e.Name] = e
	}

	// the job's container: its image, else the runner's default image
	var main *model.Container
	if img := useDefault("image"); img.exists() {
		n := img
		if img.kind == 'm' {
			n = img.get("name")
		}
		image := expandImage(n.str(), vars)
		main = &model.Container{Name: image.Value, Kind: model.ContainerRegular, Image: image, Loc: img.keyLoc()}
		if img.kind == 'm' {
			if u := img.get("docker").get("user"); u.exists() {
				main.Security.User = u.str()
			}
		}
		dindPrivileged(main)
		j.ContainerLoc = img.keyLoc()
	} else {
		main = &model.Container{Name: "runner's default image", Kind: model.ContainerRunner, Loc: loc}
	}
	main.Env = append(main.Env, j.Env...)
	w.Containers = append(w.Containers, main)
	for _, sv := range useDefault("services").list() {
		w.Containers = append(w.Containers, service(sv, vars))
	}
	lang := &scriptLanguage{why: windowsRunner(j, main)}
	if lang.why != "" {
		j.Runner.Windows = true
	}
	for _, key := range []string{"before_script", "script", "after_script"} {
		n := jn.get(key)
		if key != "script" {
			n = useDefault(key)
		}
		s.script(w, j, main, key, n, vars, lang)
	}
	if h := jn.get("hooks").get("pre_get_sources_script"); h.exists() {
		s.script(w, j, main, "hooks.pre_get_sources_script", h, vars, lang)
	}
	if lang.why != "" {
		s.p.Notices = append(s.p.Notices, model.Notice{Level: model.NoticeNote, Loc: loc,
			Message: "job " + name + " runs its scripts in PowerShell (" + lang.why + "): they were not analysed as shell; only their docker, podman and nerdctl command lines were read"})
	}
	for _, e := range j.Env {
		if role := awsRoleVar(e); role != nil {
			j.CloudRoles = append(j.CloudRoles, *role)
		}
	}
	if len(j.CloudRoles) > 0 {
		w.Identity = j.CloudRoles[0]
	}
	return w
}

type pair struct {
	key string
	n   *node
}

func (n *node) pairs() []pair {
	if n == nil || n.kind != 'm' {
		return nil
	}
	out := make([]pair, 0, len(n.keys))
	for _, k := range n.keys {
		out = append(out, pair{k, n.get(k)})
	}
	return out
}

// variables reads a `variables:` mapping: `NAME: value` or `NAME: {value:
// …, description: …}`. A value that is only `$OTHER` is recorded as
// coming from that variable. With `expand: false` the value is the raw text
// written, `$` and all (https://docs.gitlab.com/ci/yaml/#variablesexpand):
// a literal of the file.
func variables(n *node) []*model.EnvVar {
	if n.exists() && n.kind != 'm' {
		if d := n.v.Doc(); d != nil {
			d.Notice(n.v, model.NoticeWarning, "%s must be a mapping of names to values, got %s", n.v.Path(), n.v.KindName())
		}
		return nil
	}
	var out []*model.EnvVar
	for _, pr := range n.pairs() {
		v := pr.n
		raw := false
		if v.kind == 'm' {
			if e := v.get("expand"); e.exists() && e.kind == 'v' {
				b := e.v.Bool()
				raw = b.Set && !b.Value
			}
			v = v.get("value")
			if v == nil {
				continue
			}
		}
		if v.kind != 'v' {
			continue
		}
		ev := &model.EnvVar{Name: pr.key, Loc: pr.n.keyLoc()}
		s := v.str()
		s.Unknown = false
		if !raw && strings.Contains(s.Value, "$") {
			s.Unknown = true
			ev.FromVar = shell.VarOnly(s.Value)
		}
		ev.Value = s
		out = append(out, ev)
	}
	return out
}

// service lowers one `services:` entry (a string or a mapping).
func service(sv *node, vars map[string]*model.EnvVar) *model.Container {
	n := sv
	if sv.kind == 'm' {
		n = sv.get("name")
	}
	img := expandImage(n.str(), vars)
	name := img.Value
	if sv.kind == 'm' {
		if a := sv.get("alias").text(); a != "" {
			name = a
		}
	}
	c := &model.Container{Name: name, Kind: model.ContainerService, Image: img, Loc: sv.loc()}
	if sv.kind == 'm' {
		c.Env = variables(sv.get("variables"))
	}
	dindPrivileged(c)
	return c
}

// dindPrivileged marks a container whose image is Docker-in-Docker as
// privileged: the daemon needs it.
func dindPrivileged(c *model.Container) {
	img := c.Image
	if !img.Set || !isDind(img.Value) {
		return
	}
	b := model.Bool{Value: true, Set: true, Loc: img.Loc, Via: img.Via}
	b.Via = append(b.Via, model.Related{Loc: img.Loc, Message: "Docker-in-Docker only starts on a runner configured with privileged = true, which then runs every job's containers privileged"})
	c.Security.Privileged = b
}

// varRef is a $NAME or ${NAME} reference in an image name.
var varRef = regexp.MustCompile(`\$(?:\{([A-Za-z_][A-Za-z0-9_]*)\}|([A-Za-z_][A-Za-z0-9_]*))`)

// expandImage fills in the variables of an image name that the pipeline or
// the job sets to a literal, as GitLab expands `image` and `services` names
// (https://docs.gitlab.com/ci/variables/where_variables_can_be_used/); the
// others (predefined, project settings) stay as written. Each variable used
// is a related location.
func expandImage(img model.String, vars map[string]*model.EnvVar) model.String {
	if !img.Set || !strings.Contains(img.Value, "$") {
		return img
	}
	out := img
	out.Via = append([]model.Related(nil), img.Via...)
	for range 4 { // a value may name another variable; bounded
		changed := false
		out.Value = varRef.ReplaceAllStringFunc(out.Value, func(ref string) string {
			m := varRef.FindStringSubmatch(ref)
			name := m[1] + m[2]
			e := vars[name]
			if e == nil || !e.Value.Set || e.Value.Value == ref {
				return ref
			}
			changed = true
			out.Via = append(out.Via, model.Related{Loc: e.Loc, Message: "variable " + name + " is set here"})
			return e.Value.Value
		})
		if !changed || !strings.Contains(out.Value, "$") {
			break
		}
	}
	out.Unknown = strings.Contains(out.Value, "$")
	return out
}

// isDind reports a Docker-in-Docker image (docker:dind, docker:27-dind,
// docker:dind-rootless, registry mirrors of them). A tag that keeps an
// unknown variable still says dind by its literal part (docker:${V}-dind);
// an unknown repository says nothing.
func isDind(image string) bool {
	i := strings.LastIndexByte(image, '/')
	repoTag := image[i+1:]
	repo, tag, _ := strings.Cut(repoTag, ":")
	if strings.Contains(repo, "$") {
		return false
	}
	if at := strings.IndexByte(tag, '@'); at >= 0 {
		tag = tag[:at]
	}
	return repo == "docker" && strings.Contains(varRef.ReplaceAllString(unbraced.ReplaceAllString(tag, ""), ""), "dind")
}

// unbraced is a ${…} reference with a default or other operator
// (${V:-27}), which varRef leaves alone.
var unbraced = regexp.MustCompile(`\$\{[^}]*\}`)

// scriptLanguage says why a job's scripts are PowerShell, not POSIX shell
// ("" while they are taken for shell).
type scriptLanguage struct{ why string }

// windowsRunner says why a job runs on Windows, whose GitLab runners run
// scripts in PowerShell (https://docs.gitlab.com/runner/shells/): a
// Windows runner tag (windows, saas-windows-medium-amd64 …) or a Windows
// or PowerShell image; "" otherwise.
func windowsRunner(j *model.CIJob, main *model.Container) string {
	for _, t := range j.Runner.Labels {
		if t.Known() && strings.Contains(strings.ToLower(t.Value), "windows") {
			return "runner tag " + strconv.Quote(t.Value)
		}
	}
	if img := strings.ToLower(main.Image.Value); main.Image.Known() &&
		(strings.Contains(img, "powershell") || strings.Contains(img, "/windows/") || strings.Contains(img, "windows/servercore") || strings.Contains(img, "nanoserver")) {
		return "image " + strconv.Quote(main.Image.Value)
	}
	return ""
}

// powerShellLine matches PowerShell that no POSIX script holds: $env:NAME,
// or a Verb-Noun cmdlet starting a line.
var powerShellLine = regexp.MustCompile(`(?m)\$env:[A-Za-z_]|^\s*(?:Write|Set|Get|New|Remove|Invoke|Start|Stop|Import|Install|Copy|Move|Test|Out|Add|Select|Where|ForEach|Expand|Compress)-[A-Z][A-Za-z]+\b`)

// script parses one script section.
func (s *scan) script(w *model.Workload, j *model.CIJob, main *model.Container, key string, n *node, vars map[string]*model.EnvVar, lang *scriptLanguage) {
	if !n.exists() {
		return
	}
	st := &model.Step{Index: len(j.Steps), Name: key, Loc: n.keyLoc()}
	refs := map[string]bool{}
	for _, it := range n.list() {
		if it.kind != 'v' {
			continue
		}
		src, ok := it.v.Str()
		if !ok {
			continue
		}
		if lang.why == "" && powerShellLine.MatchString(src) {
			lang.why = "PowerShell syntax in " + key
		}
		if lang.why != "" {
			src = shell.ContainerLines(src, '`')
		}
		sc, err := shell.Parse(src, nil)
		if err != nil && lang.why != "" {
			continue // said once for the job
		}
		if err != nil {
			off, msg, ok := shell.ErrorAt(err)
			loc := it.loc()
			if ok {
				if at, found := it.v.Span(off, 0); found {
					loc = at
				}
			}
			s.p.Notices = append(s.p.Notices, model.Notice{Level: model.NoticeWarning, Loc: loc,
				Message: "a line of " + key + " of job " + w.Name + " does not parse as a shell script (" + msg + "); it was not checked"})
			continue
		}
		for _, v := range sc.Vars {
			refs[v] = true
		}
		at := locator(it)
		for _, c := range sc.Commands {
			args := shell.Unwrap(c.Args)
			if len(args) == 0 {
				continue
			}
			st.Commands = append(st.Commands, shell.CommandOf(args, at))
			if ctr := shell.StartedContainer(w, args, at, nil); ctr != nil {
				w.Containers = append(w.Containers, ctr)
			}
			if u := jobTokenUse(args, at); u != nil {
				j.TokenUses = append(j.TokenUses, *u)
			}
			if role := scriptRole(args, at, vars); role != nil {
				j.CloudRoles = append(j.CloudRoles, *role)
			}
		}
	}
	st.EnvRefs = sortedKeys(refs)
	j.Steps = append(j.Steps, st)
}

// locator places words of a script item.
func locator(it *node) shell.Locator {
	return func(wd shell.Word) model.Location {
		loc, ok := it.v.Span(wd.Start, wd.End-wd.Start)
		if !ok {
			loc = it.v.Loc()
		}
		return loc
	}
}

// ownProject are the variables that name the pipeline's own project.
var ownProject = []string{"CI_PROJECT_ID", "CI_PROJECT_PATH", "CI_PROJECT_URL", "CI_REPOSITORY_URL",
	"CI_REGISTRY", "CI_REGISTRY_IMAGE", "CI_PROJECT_NAMESPACE", "CI_PROJECT_NAME", "CI_PROJECT_PATH_SLUG",
	"CI_DEPENDENCY_PROXY_SERVER", "CI_DEPENDENCY_PROXY_GROUP_IMAGE_PREFIX", "CI_DEPENDENCY_PROXY_DIRECT_GROUP_IMAGE_PREFIX"}

// jobTokenUse finds CI_JOB_TOKEN sent to a URL in one command, and judges
// whether the URL is another project's.
func jobTokenUse(args []shell.Word, at shell.Locator) *model.TokenUse {
	var tokenWord *shell.Word
	for i := range args {
		if hasVar(args[i], "CI_JOB_TOKEN") || strings.Contains(args[i].Text, "CI_JOB_TOKEN") {
			tokenWord = &args[i]
			break
		}
	}
	if tokenWord == nil {
		return nil
	}
	u := &model.TokenUse{Loc: at(*tokenWord)}
	for _, a := range args {
		t := a.Text
		if !strings.Contains(t, "://") && !strings.Contains(t, "CI_API_V4_URL") && !strings.Contains(t, "CI_SERVER_URL") && !strings.Contains(t, "CI_SERVER_HOST") {
			continue
		}
		own := false
		for _, v := range ownProject {
			if strings.Contains(t, v) {
				own = true
			}
		}
		u.Target = safeURL(strings.Trim(t, `"'`))
		u.CrossProject = !own
		if u.CrossProject {
			break
		}
	}
	return u
}

// safeURL drops what may hold a credential from a URL for messages: the
// user information and the query.
func safeURL(u string) string {
	if i := strings.IndexAny(u, "?#"); i >= 0 {
		u = u[:i]
	}
	rest, scheme := u, ""
	if j := strings.Index(u, "://"); j >= 0 {
		scheme, rest = u[:j+3], u[j+3:]
	}
	host := rest
	if k := strings.IndexByte(rest, '/'); k >= 0 {
		host = rest[:k]
	}
	if at := strings.LastIndexByte(host, '@'); at >= 0 {
		rest = rest[at+1:]
	}
	if model.TokenKind(rest) != "" {
		return "a URL"
	}
	return scheme + rest
}

func hasVar(w shell.Word, name string) bool {
	for _, v := range w.Vars {
		if v == name {
			return true
		}
	}
	return false
}

// scriptRole finds a cloud role a script assumes with the job's OIDC token:
// `aws sts assume-role-with-web-identity --role-arn …`, `gcloud iam
// workload-identity-pools create-cred-config … --service-account=…`.
func scriptRole(args []shell.Word, at shell.Locator, vars map[string]*model.EnvVar) *model.Identity {
	if len(args) < 3 || !args[0].Known {
		return nil
	}
	flag := func(name string) (string, model.Location, bool, bool) {
		for i := 1; i < len(args); i++ {
			a := args[i]
			if a.Known && a.Lit == name && i+1 < len(args) {
				return resolveWord(args[i+1], at, vars)
			}
			if a.Known && strings.HasPrefix(a.Lit, name+"=") {
				return strings.TrimPrefix(a.Lit, name+"="), at(a), true, true
			}
			if !a.Known && strings.HasPrefix(a.Text, name+"=") {
				return "", at(a), false, true
			}
		}
		return "", model.Location{}, false, false
	}
	id := model.Identity{Kind: model.IdentityCICloudRole}
	switch {
	case args[0].Lit == "aws" && args[1].Lit == "sts" && args[2].Lit == "assume-role-with-web-identity":
		v, loc, known, ok := flag("--role-arn")
		if !ok {
			return nil
		}
		id.Key, id.Name, id.Loc, id.Unknown = "aws:"+v, v, loc, !known
	case args[0].Lit == "gcloud" && len(args) > 3 && args[1].Lit == "iam" && args[2].Lit == "workload-identity-pools" && args[3].Lit == "create-cred-config":
		v, loc, known, ok := flag("--service-account")
		if !ok {
			return nil
		}
		prov := ""
		if len(args) > 4 {
			prov = args[4].Lit
		}
		id.Key, id.Name, id.Loc, id.Unknown = "gcp:"+prov+"|"+v, v, loc, !known
	default:
		return nil
	}
	return &id
}

// resolveWord reads a word's value: a literal, or `$VAR` naming a variable
// with a literal value (located at that variable).
func resolveWord(w shell.Word, at shell.Locator, vars map[string]*model.EnvVar) (string, model.Location, bool, bool) {
	if w.Known {
		return w.Lit, at(w), true, true
	}
	if name := shell.VarOnly(strings.Trim(w.Text, `"`)); name != "" {
		if e := vars[name]; e != nil && e.Value.Known() {
			return e.Value.Value, at(w), true, true
		}
	}
	return "", at(w), false, true
}

// awsRoleVar reads the role the AWS SDKs assume with a web identity token
// (AWS_ROLE_ARN), when a job sets it as a literal.
func awsRoleVar(e *model.EnvVar) *model.Identity {
	if e.Name != "AWS_ROLE_ARN" || !e.Value.Known() || !strings.HasPrefix(e.Value.Value, "arn:") {
		return nil
	}
	return &model.Identity{Kind: model.IdentityCICloudRole, Key: "aws:" + e.Value.Value, Name: e.Value.Value, Loc: e.Value.Loc}
}

// jobTrust sets the job's events and trust from the pipelines it runs in.
// A deployment environment raises branch pipelines to protected: its
// protection decides who may deploy.
func jobTrust(j *model.CIJob, ws []world, hasEnvironment bool) {
	j.Trust = model.TrustUnknown
	for _, w := range ws {
		t := w.trust
		if hasEnvironment && t == model.TrustInternal {
			t = model.TrustProtected
		}
		j.Events = append(j.Events, model.Trigger{Event: w.name, Trust: t})
		if j.Trust == model.TrustUnknown || t < j.Trust {
			j.Trust = t
			j.Why = w.name
		}
	}
}

func sortedKeys(m map[string]bool) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}
