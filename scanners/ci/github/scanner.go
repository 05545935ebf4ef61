// Package github reads GitHub Actions workflows (.github/workflows/*.yml)
// and action metadata (action.yml) and lowers each job onto the model: a
// Workload of kind "job" whose containers are the job container, its
// services and the containers its scripts start, and whose CI part
// (model.CIJob) holds triggers, trust, permissions, runner, steps, secret
// uses, reusable-workflow calls and the cloud roles the job assumes.
package github

import (
	"path"
	"strconv"
	"strings"

	"github.com/isolint/isolint/model"
	"github.com/isolint/isolint/scanners/yamldoc"
	"github.com/isolint/isolint/source"
	"go.yaml.in/yaml/v3"
)

// ClaimPath claims workflow files (directly in .github/workflows, as GitHub
// reads them) and action metadata files anywhere.
func ClaimPath(p string) bool {
	base := path.Base(p)
	ext := strings.ToLower(path.Ext(base))
	if ext != ".yml" && ext != ".yaml" {
		return false
	}
	if base == "action.yml" || base == "action.yaml" {
		return true
	}
	dir := path.Dir(p)
	return dir == ".github/workflows" || strings.HasSuffix(dir, "/.github/workflows")
}

// Disclaim reports a file in .github/workflows (or named action.yml) that is
// neither a workflow nor an action: its first document has no top-level
// jobs or runs key. GitHub rejects it as a workflow; a Kubernetes manifest
// kept there by mistake is still applied by whatever reads it as one.
func Disclaim(content []byte) bool {
	docs := yamldoc.Split(content)
	if len(docs) == 0 {
		return false
	}
	b := docs[0].Bytes
	return !yamldoc.HasTopLevelKey(b, "jobs") && !yamldoc.HasTopLevelKey(b, "runs")
}

// Sniff claims a workflow kept elsewhere (a workflow template, a copy): a
// document with top-level `on` and `jobs` keys.
func Sniff(content []byte) bool {
	docs := yamldoc.Split(content)
	if len(docs) == 0 {
		return false
	}
	b := docs[0].Bytes
	return yamldoc.HasTopLevelKey(b, "jobs") && (yamldoc.HasTopLevelKey(b, "on") || yamldoc.HasTopLevelKey(b, `"on"`) || yamldoc.HasTopLevelKey(b, "'on'"))
}

// Scan lowers one workflow or action metadata file on its own.
func Scan(file string, content []byte) *model.Project {
	p, _ := scan(file, content, nil, nil)
	return p
}

// localCall is a job that calls a reusable workflow of the same
// repository, with the ways the calling job can run.
type localCall struct {
	callee string // display path of the called workflow
	worlds []world
}

// scan lowers one file; callers are the worlds of the jobs that call it
// (nil: none known), which replace its workflow_call trigger. keep, when
// set, receives the document it parsed, once lowered (see
// source.File.KeepYAML).
func scan(file string, content []byte, callers []world, keep func(line int, root *yaml.Node)) (*model.Project, []localCall) {
	p := &model.Project{}
	var calls []localCall
	docs := yamldoc.Split(content)
	if len(docs) == 0 {
		return p, nil
	}
	for i, raw := range docs {
		if i > 0 {
			p.Notices = append(p.Notices, model.Notice{Level: model.NoticeWarning, Loc: model.Location{File: file, Line: raw.Line, Col: 1},
				Message: "GitHub reads only the first YAML document of a workflow; document " + strconv.Itoa(i+1) + " was not checked"})
			break
		}
		doc, err := yamldoc.Parse(file, raw)
		if err != nil {
			p.Notices = append(p.Notices, parseNotice(file, raw, err))
			continue
		}
		root := doc.Value()
		switch {
		case !root.IsMap():
			if root.Exists() && !root.IsNull() {
				doc.Notice(root, model.NoticeError, "a workflow must be a mapping, got %s", root.KindName())
			}
		case root.Get("jobs").Exists():
			l := newLowerer(doc, p, "workflow")
			l.callers = callers
			l.workflow(root)
			calls = l.calls
		case root.Get("runs").Exists():
			l := newLowerer(doc, p, "action")
			l.action(root)
		default:
			// GitHub rejects it ("Invalid workflow file"); nothing runs
			doc.Notice(root, model.NoticeWarning, "not a workflow or action: it has no top-level `jobs` (a workflow) or `runs` (an action), so GitHub runs nothing from it")
		}
		p.Notices = append(p.Notices, doc.Notices...)
		if keep != nil {
			keep(raw.Line, doc.Root)
		}
	}
	return p, calls
}

// maxCallDepth bounds how far caller trust is carried through chains of
// reusable workflows.
const maxCallDepth = 4

// ScanAll lowers the workflows of a scan together, so that a reusable
// workflow of the repository (`uses: ./.github/workflows/x.yml`) is read
// with the triggers and conditions of the jobs that call it: its jobs then
// have the callers' trust instead of an unknown one.
func ScanAll(files []*source.File) *model.Project {
	byPath := map[string]*source.File{}
	for _, f := range files {
		byPath[f.Path] = f
	}
	results := map[string]*model.Project{}
	calls := map[string][]localCall{}
	injected := map[string][]world{}
	// a file others cannot call is lowered once: Settled's promise
	settled := map[string]bool{}
	for _, f := range files {
		if fp, ok := f.Prepared.(*firstPass); ok {
			results[f.Path], calls[f.Path] = fp.p, fp.calls
			settled[f.Path] = !fp.callable
			f.Prepared = nil
			continue
		}
		results[f.Path], calls[f.Path] = scan(f.Path, f.Content, nil, nil)
		settled[f.Path] = !callable(results[f.Path])
	}
	for range maxCallDepth {
		next := map[string][]world{}
		for _, f := range files {
			for _, c := range calls[f.Path] {
				if _, ok := byPath[c.callee]; ok && c.callee != f.Path {
					next[c.callee] = append(next[c.callee], c.worlds...)
				}
			}
		}
		changed := false
		for _, f := range files {
			ws := next[f.Path]
			if len(ws) == 0 || settled[f.Path] || sameWorlds(ws, injected[f.Path]) {
				continue
			}
			injected[f.Path] = ws
			results[f.Path], calls[f.Path] = scan(f.Path, f.Content, ws, nil)
			changed = true
		}
		if !changed {
			break
		}
	}
	p := &model.Project{}
	for _, f := range files {
		p.Merge(results[f.Path])
	}
	return p
}

// firstPass is a file lowered on its own, before callers are known.
type firstPass struct {
	p        *model.Project
	calls    []localCall
	callable bool // see callable
}

// Prepare lowers a file on its own on a parallel file worker: the first
// pass of ScanAll, which depends on the file alone. ScanAll lowers again
// only the reusable workflows that other workflows call. The document it
// parsed goes to f.KeepYAML, when set.
func Prepare(f *source.File) {
	p, calls := scan(f.Path, f.Content, nil, f.KeepYAML)
	f.Prepared = &firstPass{p: p, calls: calls, callable: callable(p)}
}

// Settled returns the lowering of a prepared file that ScanAll hands on
// as Prepare lowered it: that of a file no other workflow can call (nil
// for one that can, or was not prepared).
func Settled(f *source.File) *model.Project {
	if fp, ok := f.Prepared.(*firstPass); ok && !fp.callable {
		return fp.p
	}
	return nil
}

// callable reports whether a lowered file is a workflow others can call:
// one with a workflow_call trigger. Its callers' triggers replace that
// one (lowerer.triggers), so no other file's lowering depends on them.
func callable(p *model.Project) bool {
	for _, pipe := range p.Pipelines {
		for _, t := range pipe.Triggers {
			if t.Event == "workflow_call" {
				return true
			}
		}
	}
	return false
}

func sameWorlds(a, b []world) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i].event != b[i].event || a[i].trust != b[i].trust || a[i].ref != b[i].ref || (a[i].fromFork == nil) != (b[i].fromFork == nil) ||
			(a[i].fromFork != nil && *a[i].fromFork != *b[i].fromFork) {
			return false
		}
	}
	return true
}

// localWorkflow resolves `uses: ./.github/workflows/x.yml` of a job in
// file to the called file's display path, or "".
func localWorkflow(file, uses string) string {
	if !strings.HasPrefix(uses, "./") || strings.Contains(uses, "@") {
		return ""
	}
	i := strings.LastIndex(file, ".github/workflows/")
	if i < 0 {
		return ""
	}
	return path.Clean(file[:i] + strings.TrimPrefix(uses, "./"))
}

func parseNotice(file string, raw yamldoc.RawDoc, err error) model.Notice {
	return yamldoc.ParseNotice(file, raw, err, "not valid YAML, so no job in it was checked: ", "could not be read: ")
}

// lowerer lowers one document.
type lowerer struct {
	doc  *yamldoc.Doc
	p    *model.Project
	pipe *model.Pipeline
	// worlds are the ways the workflow can run (one per trigger, two for
	// events that come from forks or from any branch).
	worlds []world
	// defaultShell is the workflow's defaults.run.shell.
	defaultShell string
	// callers replace the workflow_call trigger when known.
	callers []world
	// calls are the jobs that call a reusable workflow of the repository.
	calls []localCall
}

func newLowerer(doc *yamldoc.Doc, p *model.Project, kind string) *lowerer {
	pipe := &model.Pipeline{Format: model.FormatGHA, Kind: kind, Name: doc.File}
	p.Pipelines = append(p.Pipelines, pipe)
	return &lowerer{doc: doc, p: p, pipe: pipe}
}

// firstKey is the location of the document's first key, where
// workflow-level settings belong.
func firstKey(root yamldoc.Value) model.Location {
	for _, pr := range root.Pairs() {
		l := pr.Value.KeyLoc()
		l.Path = ""
		return l
	}
	return root.Loc()
}

func (l *lowerer) workflow(root yamldoc.Value) {
	obj := "workflow/" + l.doc.File
	root = root.WithObject(obj)
	l.pipe.Loc = firstKey(root)
	on := root.Get("on")
	l.pipe.TriggersLoc = on.KeyLoc()
	l.triggers(on)
	l.pipe.Permissions = permissions(root.Get("permissions"), l.pipe.Loc, "permissions")
	l.defaultShell = root.Get("defaults").Get("run").Get("shell").Text()
	env := root.Get("env")
	l.pipe.Env, l.pipe.EnvSources = l.envMap(env)

	jobs := root.Get("jobs")
	if !jobs.ExpectMap() {
		return
	}
	for _, pr := range jobs.Pairs() {
		jv := pr.Value.WithObject("job/" + l.doc.File + "/" + pr.Key)
		if !jv.ExpectMap() {
			continue
		}
		if w := l.job(pr.Key, jv); w != nil {
			if len(l.worlds) > 0 && len(w.CI.Events) == 0 {
				continue // `if:` is false for every trigger: the job never runs
			}
			l.pipe.Jobs = append(l.pipe.Jobs, w)
			l.p.Workloads = append(l.p.Workloads, w)
		}
	}
}

// action lowers action metadata: a composite action's steps form one
// workload; a Docker action's image and env its container.
func (l *lowerer) action(root yamldoc.Value) {
	l.pipe.Kind = "action"
	name := path.Dir(l.doc.File)
	root = root.WithObject("action/" + l.doc.File)
	l.pipe.Loc = firstKey(root)
	runs := root.Get("runs")
	if !runs.ExpectMap() {
		return
	}
	using := strings.ToLower(runs.Get("using").Text())
	w := &model.Workload{Format: model.FormatGHA, Kind: "action", Name: name, Namespace: l.doc.File, Loc: runs.KeyLoc(), SpecLoc: runs.KeyLoc()}
	j := &model.CIJob{Pipeline: l.pipe, ID: name, Loc: runs.KeyLoc(), Trust: model.TrustUnknown}
	w.CI = j
	switch using {
	case "composite":
		c := &model.Container{Name: "caller's runner", Kind: model.ContainerRunner, Loc: runs.KeyLoc()}
		w.Containers = append(w.Containers, c)
		l.steps(w, j, c, runs.Get("steps"), false, nil, "")
		if len(j.CloudRoles) > 0 {
			w.Identity = j.CloudRoles[0]
		}
	case "docker":
		img := runs.Get("image")
		c := &model.Container{Name: img.Text(), Kind: model.ContainerRegular, Image: img.StringVal(), Loc: img.KeyLoc()}
		env, sources := l.envMap(runs.Get("env"))
		c.Env, c.EnvSources = env, sources
		w.Containers = append(w.Containers, c)
	default:
		return // a JavaScript action: nothing here defines where it runs
	}
	l.pipe.Jobs = append(l.pipe.Jobs, w)
	l.p.Workloads = append(l.p.Workloads, w)
}

// permissions reads a permissions value; absent, its location is where
// it belongs (anchor, Synthetic).
func permissions(v yamldoc.Value, anchor model.Location, p string) model.Permissions {
	if !v.Exists() {
		anchor.Synthetic = true
		anchor.Path = p
		return model.Permissions{Loc: anchor}
	}
	perm := model.Permissions{Set: true, Loc: v.Loc()}
	switch {
	case v.IsNull():
		// `permissions:` with no value is an empty mapping: no access
	case v.IsScalar():
		s := v.Text()
		switch s {
		case "read-all", "write-all":
			perm.All = s
		default:
			if strings.Contains(s, "${{") {
				perm.Unknown = true
			} else {
				v.Doc().Notice(v, model.NoticeWarning, "%s must be read-all, write-all or a mapping of scopes; it was not checked", v.Path())
				perm.Unknown = true
			}
		}
	case v.IsMap():
		for _, pr := range v.Pairs() {
			level := pr.Value.Text()
			perm.Scopes = append(perm.Scopes, model.Permission{Scope: pr.Key, Level: level, Loc: pr.Value.Loc()})
		}
	default:
		v.ExpectMap()
		perm.Unknown = true
	}
	return perm
}
