package github

import (
	"strings"

	"github.com/isolint/isolint/model"
	"github.com/isolint/isolint/scanners/yamldoc"
)

// A world is one way a workflow can run: an event, with what is known of
// its context. Pull-request events have two (from a fork, from a branch of
// the repository); pushes and dispatches that any branch can cause have two
// (any branch, a protected one). A job's `if:` is evaluated in each; the job
// keeps the worlds where it is not known to be false.
type world struct {
	event string
	trust model.Trust
	loc   model.Location
	ref   string // github.ref when known
	// fromFork: the pull request's head is a fork; for workflow_run, the
	// triggering run's head repository is (nil: neither event)
	fromFork *bool
}

const (
	ownRepo  = "isolint-owner/isolint-repo"
	forkRepo = "isolint-fork/isolint-repo"
	topicRef = "refs/heads/isolint-topic-branch"
	// the repositories' ids and owners, known by identity as their names are
	ownRepoID  = "isolint-owner/isolint-repo#id"
	forkRepoID = "isolint-fork/isolint-repo#id"
	ownOwner   = "isolint-owner"
	forkOwner  = "isolint-fork"
)

// outsiders are the values of a fork's pull request that its author
// chooses: the fork's name, id and owner. No literal a workflow compares
// them with can name them (the author of the workflow cannot know an
// outsider's fork), so a comparison with a literal is known:
// `head.repo.full_name == 'owner/repo'` admits no fork of an outsider.
var outsiders = map[symbol]bool{forkRepo: true, forkRepoID: true, forkOwner: true}

// prEvents carry a pull request whose head may come from a fork.
var prEvents = map[string]bool{
	"pull_request": true, "pull_request_target": true, "pull_request_review": true,
	"pull_request_review_comment": true,
}

// untrustedEvents are started by people outside the project (comments,
// issues, stars, forks) or by runs of possibly untrusted code.
var untrustedEvents = map[string]bool{
	"issue_comment": true, "issues": true, "discussion": true, "discussion_comment": true,
	"fork": true, "workflow_run": true,
}

// protectedEvents run only on the default branch or on deliberate releases.
var protectedEvents = map[string]bool{
	"schedule": true, "release": true, "deployment": true, "registry_package": true,
	"page_build": true, "public": true, "gollum": true, "watch": true,
}

// anyBranchEvents can run on any branch someone with write access picks.
var anyBranchEvents = map[string]bool{
	"push": true, "workflow_dispatch": true, "repository_dispatch": true,
}

// triggers reads `on:` in each of its shapes: an event name, a list of
// names, or a mapping of events to their filters.
func (l *lowerer) triggers(on yamldoc.Value) {
	add := func(event string, loc model.Location, cfg yamldoc.Value) {
		t := model.Trigger{Event: event, Loc: loc}
		ws := worldsOf(event, loc, cfg)
		if event == "workflow_call" && len(l.callers) > 0 {
			// the callers' ways of running, at this trigger
			ws = nil
			for _, c := range l.callers {
				c.loc = loc
				ws = append(ws, c)
			}
		}
		for _, w := range ws {
			l.worlds = append(l.worlds, w)
			if t.Trust == model.TrustUnknown || (w.trust != model.TrustUnknown && w.trust < t.Trust) {
				t.Trust = w.trust
			}
		}
		l.pipe.Triggers = append(l.pipe.Triggers, t)
	}
	switch {
	case on.IsScalar() && !on.IsNull():
		add(on.Text(), on.Loc(), yamldoc.Value{})
	case on.IsSeq():
		for _, it := range on.Items() {
			if s, ok := it.Str(); ok {
				add(s, it.Loc(), yamldoc.Value{})
			}
		}
	case on.IsMap():
		for _, pr := range on.Pairs() {
			add(pr.Key, pr.Value.KeyLoc(), pr.Value)
		}
	case on.Exists():
		on.Doc().Notice(on, model.NoticeWarning, "on must be an event name, a list or a mapping, got %s", on.KindName())
	}
}

func worldsOf(event string, loc model.Location, cfg yamldoc.Value) []world {
	yes, no := true, false
	switch {
	case prEvents[event]:
		ref := ""
		if event == "pull_request" || event == "pull_request_review" || event == "pull_request_review_comment" {
			ref = "refs/pull/1/merge"
		}
		return []world{
			{event: event, trust: model.TrustUntrusted, loc: loc, ref: ref, fromFork: &yes},
			{event: event, trust: model.TrustInternal, loc: loc, ref: ref, fromFork: &no},
		}
	case event == "workflow_run":
		// the triggering run: a fork's pull request, or a run of the
		// repository's own branches (a push, a pull request from a branch)
		return []world{
			{event: event, trust: model.TrustUntrusted, loc: loc, fromFork: &yes},
			{event: event, trust: model.TrustInternal, loc: loc, fromFork: &no},
		}
	case untrustedEvents[event]:
		return []world{{event: event, trust: model.TrustUntrusted, loc: loc}}
	case protectedEvents[event]:
		return []world{{event: event, trust: model.TrustProtected, loc: loc}}
	case event == "workflow_call":
		return []world{{event: event, trust: model.TrustUnknown, loc: loc}}
	case anyBranchEvents[event]:
		if event == "push" && onlyProtectedRefs(cfg) {
			return []world{{event: event, trust: model.TrustProtected, loc: loc}}
		}
		return []world{
			{event: event, trust: model.TrustInternal, loc: loc, ref: topicRef},
			{event: event, trust: model.TrustProtected, loc: loc},
		}
	}
	// merge_group, create, delete, label, check_run, status and the rest:
	// caused by people with access to the repository
	return []world{{event: event, trust: model.TrustInternal, loc: loc}}
}

// onlyProtectedRefs reports a push filter that names only literal branches
// or only tags: pushes to arbitrary topic branches do not run it.
func onlyProtectedRefs(cfg yamldoc.Value) bool {
	if !cfg.IsMap() {
		return false
	}
	branches := cfg.Get("branches")
	tags := cfg.Get("tags")
	if cfg.Get("branches-ignore").Exists() {
		return false
	}
	if !branches.Exists() {
		return tags.Exists() || cfg.Get("tags-ignore").Exists()
	}
	items := branches.Items()
	if len(items) == 0 {
		if s, ok := branches.Str(); ok {
			return literalRef(s)
		}
		return false
	}
	for _, it := range items {
		s, _ := it.Str()
		if !literalRef(s) {
			return false
		}
	}
	return true
}

func literalRef(s string) bool {
	return s != "" && !strings.ContainsAny(s, "*?[!+") && !strings.Contains(s, "${{")
}

// lookup answers context paths in the world.
func (w world) lookup(p []string) (any, bool) {
	if len(p) < 2 || p[0] != "github" {
		return nil, false
	}
	switch p[1] {
	case "event_name":
		if len(p) == 2 {
			return w.event, true
		}
	case "ref":
		if len(p) == 2 && w.ref != "" {
			return w.ref, true
		}
	case "ref_name":
		if len(p) == 2 && strings.HasPrefix(w.ref, "refs/heads/") {
			return strings.TrimPrefix(w.ref, "refs/heads/"), true
		}
	case "repository":
		if len(p) == 2 {
			return symbol(ownRepo), true
		}
	case "repository_owner":
		if len(p) == 2 {
			return symbol(ownOwner), true
		}
	case "repository_id":
		if len(p) == 2 {
			return symbol(ownRepoID), true
		}
	case "head_ref", "base_ref":
		if len(p) == 2 && !prEvents[w.event] && w.event != "" {
			return "", true // only set for pull-request events
		}
	case "event":
		if len(p) == 4 && p[2] == "repository" {
			switch p[3] {
			case "full_name":
				return symbol(ownRepo), true
			case "id":
				return symbol(ownRepoID), true
			}
		}
		if len(p) >= 3 && p[2] == "workflow_run" && w.event == "workflow_run" && w.fromFork != nil {
			return w.triggeringRun(strings.Join(p[3:], "."))
		}
		if len(p) >= 3 && p[2] == "pull_request" {
			if w.fromFork == nil || !prEvents[w.event] {
				if w.event == "push" || w.event == "schedule" || w.event == "workflow_dispatch" || w.event == "release" || protectedEvents[w.event] {
					return nil, true
				}
				return nil, false
			}
			pick := func(fork, own string) (any, bool) {
				if *w.fromFork {
					return symbol(fork), true
				}
				return symbol(own), true
			}
			switch strings.Join(p[3:], ".") {
			case "head.repo.full_name":
				return pick(forkRepo, ownRepo)
			case "head.repo.id":
				return pick(forkRepoID, ownRepoID)
			case "head.repo.owner.login":
				return pick(forkOwner, ownOwner)
			case "head.repo.fork":
				return *w.fromFork, true
			case "base.repo.full_name":
				return symbol(ownRepo), true
			case "base.repo.id":
				return symbol(ownRepoID), true
			case "base.repo.owner.login":
				return symbol(ownOwner), true
			}
		}
	}
	return nil, false
}

// forkRunEvents are the events of a fork's run that start a workflow_run.
var forkRunEvents = oneOf{"pull_request", "pull_request_target", "pull_request_review", "pull_request_review_comment"}

// triggeringRun answers github.event.workflow_run.* in a workflow_run world.
func (w world) triggeringRun(path string) (any, bool) {
	pick := func(fork, own string) (any, bool) {
		if *w.fromFork {
			return symbol(fork), true
		}
		return symbol(own), true
	}
	switch path {
	case "head_repository.full_name":
		return pick(forkRepo, ownRepo)
	case "head_repository.id":
		return pick(forkRepoID, ownRepoID)
	case "head_repository.owner.login":
		return pick(forkOwner, ownOwner)
	case "head_repository.fork":
		return *w.fromFork, true
	case "repository.full_name":
		return symbol(ownRepo), true
	case "repository.id":
		return symbol(ownRepoID), true
	case "repository.owner.login":
		return symbol(ownOwner), true
	case "event":
		if *w.fromFork {
			return forkRunEvents, true
		}
	}
	return nil, false
}

// reachable returns the worlds in which a condition is not known to be
// false. A condition that does not parse keeps every world.
func reachable(worlds []world, cond yamldoc.Value) []world {
	s, ok := cond.Str()
	if !ok {
		if b := cond.Node(); b != nil && cond.IsScalar() && b.Tag == "!!bool" && strings.EqualFold(b.Value, "false") {
			return nil
		}
		return worlds
	}
	n, ok := condition(s)
	if !ok {
		return worlds
	}
	var out []world
	for _, w := range worlds {
		if v := eval(n, w.lookup); v.known && !truthy(v.val) {
			continue
		}
		out = append(out, w)
	}
	return out
}

// jobTrust sets the job's events and trust from the worlds it can run in.
// A deployment environment raises branch-push worlds to protected: its
// protection rules decide which refs may deploy.
func jobTrust(j *model.CIJob, worlds []world, hasEnvironment bool) {
	seen := map[string]int{}
	j.Trust = model.TrustUnknown
	for _, w := range worlds {
		t := w.trust
		if hasEnvironment && t == model.TrustInternal {
			t = model.TrustProtected
		}
		key := w.event + "/" + t.String()
		if _, ok := seen[key]; !ok {
			seen[key] = len(j.Events)
			j.Events = append(j.Events, model.Trigger{Event: w.event, Loc: w.loc, Trust: t})
		}
		if t != model.TrustUnknown && (j.Trust == model.TrustUnknown || t < j.Trust) {
			j.Trust = t
			j.Why = w.event
			if w.fromFork != nil && *w.fromFork {
				j.Why = w.event + " from a fork"
			}
		}
	}
}
