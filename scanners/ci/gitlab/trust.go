package gitlab

import (
	"regexp"
	"strings"

	"github.com/isolint/isolint/model"
)

// A world is one kind of pipeline a job can run in, with the predefined
// variables GitLab sets for it. Jobs keep the worlds their `rules`,
// `only`/`except` (and the pipeline's `workflow:rules`) do not exclude.
type world struct {
	name  string
	trust model.Trust
	vars  map[string]string // unset variables are absent; unknown ones too (see known)
	known map[string]bool
	kind  string // "mr", "branch", "tag", "schedule", "other" for only/except refs
	ref   string
}

const topic = "isolint-topic-branch"

func worlds() []world {
	base := func(name string, t model.Trust, kind string, vars map[string]string) world {
		known := map[string]bool{}
		for _, k := range []string{"CI_PIPELINE_SOURCE", "CI_COMMIT_BRANCH", "CI_COMMIT_TAG", "CI_COMMIT_REF_NAME",
			"CI_MERGE_REQUEST_ID", "CI_MERGE_REQUEST_IID", "CI_OPEN_MERGE_REQUESTS", "CI_COMMIT_REF_PROTECTED",
			"CI_DEFAULT_BRANCH", "CI_MERGE_REQUEST_EVENT_TYPE", "CI_MERGE_REQUEST_SOURCE_BRANCH_NAME",
			"CI_EXTERNAL_PULL_REQUEST_IID", "CI_COMMIT_REF_SLUG"} {
			known[k] = true
		}
		vars["CI_DEFAULT_BRANCH"] = "main"
		if vars["CI_COMMIT_REF_NAME"] != "" {
			vars["CI_COMMIT_REF_SLUG"] = vars["CI_COMMIT_REF_NAME"]
		}
		return world{name: name, trust: t, vars: vars, known: known, kind: kind, ref: vars["CI_COMMIT_REF_NAME"]}
	}
	return []world{
		base("merge request pipelines", model.TrustUntrusted, "mr", map[string]string{
			"CI_PIPELINE_SOURCE": "merge_request_event", "CI_COMMIT_REF_NAME": topic, "CI_MERGE_REQUEST_ID": "1",
			"CI_MERGE_REQUEST_IID": "1", "CI_COMMIT_REF_PROTECTED": "false", "CI_MERGE_REQUEST_EVENT_TYPE": "detached",
			"CI_MERGE_REQUEST_SOURCE_BRANCH_NAME": topic}),
		base("pushes to any branch", model.TrustInternal, "branch", map[string]string{
			"CI_PIPELINE_SOURCE": "push", "CI_COMMIT_BRANCH": topic, "CI_COMMIT_REF_NAME": topic,
			"CI_COMMIT_REF_PROTECTED": "false"}),
		base("the default branch", model.TrustProtected, "branch", map[string]string{
			"CI_PIPELINE_SOURCE": "push", "CI_COMMIT_BRANCH": "main", "CI_COMMIT_REF_NAME": "main",
			"CI_COMMIT_REF_PROTECTED": "true"}),
		base("tags", model.TrustProtected, "tag", map[string]string{
			"CI_PIPELINE_SOURCE": "push", "CI_COMMIT_TAG": "v1.0.0", "CI_COMMIT_REF_NAME": "v1.0.0",
			"CI_COMMIT_REF_PROTECTED": "true"}),
		base("scheduled pipelines", model.TrustProtected, "schedule", map[string]string{
			"CI_PIPELINE_SOURCE": "schedule", "CI_COMMIT_BRANCH": "main", "CI_COMMIT_REF_NAME": "main",
			"CI_COMMIT_REF_PROTECTED": "true"}),
		// pipelines run from the UI, the API or a trigger token, on a branch
		// the person picks
		base("pipelines run by hand or through the API", model.TrustInternal, "other", map[string]string{
			"CI_PIPELINE_SOURCE": "web", "CI_COMMIT_BRANCH": topic, "CI_COMMIT_REF_NAME": topic,
			"CI_COMMIT_REF_PROTECTED": "false"}),
	}
}

// lookup returns a variable's value in the world: set, unset, or unknown.
func (w world) lookup(name string) (val string, set, known bool) {
	if !w.known[name] {
		return "", false, false
	}
	v, ok := w.vars[name]
	return v, ok, true
}

// ruleApplies evaluates a `rules:if` expression; ok is false when unknown.
func (w world) ruleApplies(expr string) (result, ok bool) {
	p := &ruleParser{s: expr, w: w}
	v := p.or()
	p.skip()
	if p.err || p.i != len(p.s) {
		return false, false
	}
	if !v.known {
		return false, false
	}
	return v.truthy(), true
}

// rval is a value in a rules expression.
type rval struct {
	known bool
	set   bool // a variable that is defined (strings are always set)
	s     string
	re    *regexp.Regexp
	isNil bool
}

func (v rval) truthy() bool { return v.set && v.s != "" }

type ruleParser struct {
	s     string
	i     int
	w     world
	err   bool
	depth int
}

func (p *ruleParser) skip() {
	for p.i < len(p.s) && (p.s[p.i] == ' ' || p.s[p.i] == '\t' || p.s[p.i] == '\n') {
		p.i++
	}
}

func (p *ruleParser) accept(tok string) bool {
	p.skip()
	if strings.HasPrefix(p.s[p.i:], tok) {
		p.i += len(tok)
		return true
	}
	return false
}

func (p *ruleParser) or() rval {
	p.depth++
	defer func() { p.depth-- }()
	if p.depth > 32 {
		p.err = true
		return rval{}
	}
	l := p.and()
	for !p.err && p.accept("||") {
		r := p.and()
		switch {
		case l.known && l.truthy(), r.known && r.truthy():
			l = rval{known: true, set: true, s: "true"}
		case l.known && r.known:
			l = rval{known: true}
		default:
			l = rval{}
		}
	}
	return l
}

func (p *ruleParser) and() rval {
	l := p.cmp()
	for !p.err && p.accept("&&") {
		r := p.cmp()
		switch {
		case l.known && !l.truthy(), r.known && !r.truthy():
			l = rval{known: true}
		case l.known && r.known:
			l = rval{known: true, set: true, s: "true"}
		default:
			l = rval{}
		}
	}
	return l
}

func (p *ruleParser) cmp() rval {
	l := p.primary()
	for _, op := range []string{"==", "!=", "=~", "!~"} {
		if p.accept(op) {
			r := p.primary()
			return compareRule(op, l, r)
		}
	}
	return l
}

func compareRule(op string, l, r rval) rval {
	if !l.known || !r.known {
		return rval{}
	}
	yes := rval{known: true, set: true, s: "true"}
	no := rval{known: true}
	b := func(x bool) rval {
		if x {
			return yes
		}
		return no
	}
	switch op {
	case "==", "!=":
		var eq bool
		switch {
		case l.isNil || r.isNil:
			eq = (l.isNil || !l.set) == (r.isNil || !r.set)
		default:
			eq = l.set == r.set && l.s == r.s
		}
		return b(eq == (op == "=="))
	default:
		re := r.re
		if re == nil {
			return rval{}
		}
		m := l.set && re.MatchString(l.s)
		return b(m == (op == "=~"))
	}
}

func (p *ruleParser) primary() rval {
	p.skip()
	if p.i >= len(p.s) {
		p.err = true
		return rval{}
	}
	c := p.s[p.i]
	switch {
	case c == '(':
		p.i++
		v := p.or()
		if !p.accept(")") {
			p.err = true
		}
		return v
	case c == '$':
		j := p.i + 1
		brace := j < len(p.s) && p.s[j] == '{'
		if brace {
			j++
		}
		k := j
		for k < len(p.s) && (p.s[k] == '_' || p.s[k] >= 'A' && p.s[k] <= 'Z' || p.s[k] >= 'a' && p.s[k] <= 'z' || p.s[k] >= '0' && p.s[k] <= '9') {
			k++
		}
		name := p.s[j:k]
		if brace {
			if k < len(p.s) && p.s[k] == '}' {
				k++
			} else {
				p.err = true
			}
		}
		p.i = k
		v, set, known := p.w.lookup(name)
		return rval{known: known, set: set, s: v}
	case c == '"' || c == '\'':
		j := strings.IndexByte(p.s[p.i+1:], c)
		if j < 0 {
			p.err = true
			return rval{}
		}
		s := p.s[p.i+1 : p.i+1+j]
		p.i += j + 2
		if strings.Contains(s, "$") {
			return rval{} // a string with variables: unknown
		}
		return rval{known: true, set: true, s: s}
	case c == '/':
		j := p.i + 1
		for j < len(p.s) && p.s[j] != '/' {
			if p.s[j] == '\\' {
				j++
			}
			j++
		}
		if j >= len(p.s) {
			p.err = true
			return rval{}
		}
		pat := p.s[p.i+1 : j]
		j++
		flags := ""
		for j < len(p.s) && strings.IndexByte("imsx", p.s[j]) >= 0 {
			flags += string(p.s[j])
			j++
		}
		p.i = j
		if flags != "" {
			pat = "(?" + flags + ")" + pat
		}
		re, err := regexp.Compile(pat)
		if err != nil {
			return rval{}
		}
		return rval{known: true, set: true, re: re, s: pat}
	case strings.HasPrefix(p.s[p.i:], "null"):
		p.i += 4
		return rval{known: true, isNil: true}
	}
	p.err = true
	return rval{}
}

// runsIn says whether a job's `rules` let it run in the world: the first
// rule whose condition holds decides; `when: never` keeps it out. Unknown
// conditions keep the world (the job may run there).
func runsIn(w world, rules *node) bool {
	for _, r := range rules.list() {
		when := r.get("when").text()
		cond := r.get("if")
		var res, ok bool
		if cond.exists() {
			res, ok = w.ruleApplies(cond.text())
		} else {
			res, ok = true, true
		}
		if r.get("changes").exists() || r.get("exists").exists() {
			if ok && !res {
				continue
			}
			ok = false // may or may not apply
		}
		if !ok {
			if when != "never" {
				return true
			}
			continue
		}
		if res {
			return when != "never"
		}
	}
	return false
}

// onlyExcept applies the legacy `only`/`except` keywords (refs form).
func onlyExcept(w world, only, except *node) bool {
	refsOf := func(n *node) []*node {
		if n == nil {
			return nil
		}
		if n.kind == 'm' {
			return n.get("refs").list()
		}
		return n.list()
	}
	matches := func(ref string) (bool, bool) {
		switch ref {
		case "branches", "pushes":
			return w.kind == "branch", true
		case "tags":
			return w.kind == "tag", true
		case "merge_requests":
			return w.kind == "mr", true
		case "schedules":
			return w.kind == "schedule", true
		case "api", "web", "triggers", "pipelines", "chat":
			return w.kind == "other", true
		case "external", "external_pull_requests":
			return false, true
		}
		if strings.HasPrefix(ref, "/") {
			return w.kind != "mr" && w.kind != "tag", false
		}
		// a literal branch name: taken to be protected
		return w.kind == "branch" && w.trust == model.TrustProtected, true
	}
	if only.exists() {
		refs := refsOf(only)
		if len(refs) > 0 {
			any := false
			for _, r := range refs {
				if m, _ := matches(r.text()); m {
					any = true
				}
			}
			if !any {
				return false
			}
		}
	} else if w.kind == "mr" {
		return false // the default is only: [branches, tags]
	}
	for _, r := range refsOf(except) {
		if m, sure := matches(r.text()); m && sure {
			return false
		}
	}
	return true
}
