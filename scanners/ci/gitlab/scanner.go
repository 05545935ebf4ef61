// Package gitlab reads GitLab CI configuration (.gitlab-ci.yml, the files
// it includes with `include: local`, and `*.gitlab-ci.yml` templates) and
// lowers each job onto the model. It composes the configuration as GitLab
// does before reading it: local includes merged into the root file,
// `extends` deep-merged (several levels, several parents), `default:` and
// the legacy global keywords applied, `!reference` tags resolved; YAML
// anchors and merge keys are resolved by yamldoc.
package gitlab

import (
	"errors"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"runtime"
	"sort"
	"strconv"
	"strings"

	"github.com/bmatcuk/doublestar/v4"
	"github.com/isolint/isolint/model"
	"github.com/isolint/isolint/scanners/yamldoc"
	"github.com/isolint/isolint/source"
)

// ClaimPath claims the root pipeline file, `*.gitlab-ci.yml` templates and
// files under a `.gitlab/ci/` directory.
func ClaimPath(p string) bool {
	base := path.Base(p)
	switch {
	case base == ".gitlab-ci.yml" || base == ".gitlab-ci.yaml":
		return true
	case strings.HasSuffix(base, ".gitlab-ci.yml") || strings.HasSuffix(base, ".gitlab-ci.yaml"):
		return true
	}
	ext := path.Ext(base)
	return (ext == ".yml" || ext == ".yaml") && (strings.Contains("/"+p, "/.gitlab/ci/") || strings.Contains("/"+p, "/.gitlab-ci/"))
}

// IsRoot reports a root pipeline file.
func IsRoot(p string) bool {
	base := path.Base(p)
	return base == ".gitlab-ci.yml" || base == ".gitlab-ci.yaml"
}

// Sniff claims a YAML file that holds GitLab jobs: a top-level key whose
// mapping has `script:`, `extends:` or `trigger:` among its own keys, or a
// hidden job (a top-level `.name:` mapping).
func Sniff(content []byte) bool {
	docs := yamldoc.Split(content)
	if len(docs) == 0 {
		return false
	}
	b := docs[len(docs)-1].Bytes
	inTop := false
	childIndent := -1
	for len(b) > 0 {
		var line []byte
		line, b = yamldoc.CutLine(b)
		l := string(line)
		t := strings.TrimLeft(l, " ")
		if t == "" || t[0] == '#' {
			continue
		}
		indent := len(l) - len(t)
		if indent == 0 {
			inTop = strings.HasSuffix(strings.TrimRight(t, " "), ":") && !strings.HasPrefix(t, "-")
			if inTop && t[0] == '.' && len(t) > 2 && !strings.ContainsAny(t, " \t\"'") {
				return true // a hidden job (template), a GitLab-only notion
			}
			childIndent = -1
			continue
		}
		if !inTop {
			continue
		}
		if childIndent < 0 {
			childIndent = indent
		}
		if indent != childIndent {
			continue
		}
		for _, k := range []string{"script:", "extends:", "trigger:", "before_script:"} {
			if strings.HasPrefix(t, k) {
				return true
			}
		}
	}
	return false
}

// maxIncludes is GitLab's limit on included files per pipeline.
const maxIncludes = 150

// includeSizeLimit bounds a local include read from disk.
const includeSizeLimit = 4 << 20

// ScanAll lowers the GitLab files of a scan: each root file with the files
// it includes as one pipeline, and every other claimed file that no root
// includes (a template) as a pipeline of its own.
func ScanAll(files []*source.File) *model.Project {
	return ScanUnits(files, nil)
}

// ScanUnits is ScanAll, calling done (when not nil) with the workloads of
// each pipeline as soon as it is composed and lowered.
func ScanUnits(files []*source.File, done func([]*model.Workload)) *model.Project {
	return scanUnits(files, done, runtime.GOMAXPROCS(0))
}

// scanUnits is ScanUnits composing the root files' pipelines on workers
// goroutines (composeAhead); 1 composes them one after another.
func scanUnits(files []*source.File, done func([]*model.Workload), workers int) *model.Project {
	p := &model.Project{}
	given := 0 // workloads handed to done
	finished := func() {
		if done != nil && len(p.Workloads) > given {
			done(p.Workloads[given:len(p.Workloads):len(p.Workloads)])
			given = len(p.Workloads)
		}
	}
	byPath := map[string]*source.File{}
	for _, f := range files {
		byPath[f.Path] = f
	}
	// shallower root files first: a nested .gitlab-ci.yml (a monorepo's
	// service) that the repository's root file includes is part of that
	// pipeline, not a second one
	var roots []*source.File
	for _, f := range files {
		if IsRoot(f.Path) {
			roots = append(roots, f)
		}
	}
	sort.SliceStable(roots, func(i, j int) bool {
		return strings.Count(roots[i].Path, "/") < strings.Count(roots[j].Path, "/")
	})
	included := map[string]bool{}
	if workers > 1 && len(roots) > 1 {
		take, stop := composeAhead(roots, byPath, workers)
		defer stop()
		for i, f := range roots {
			c := take(i)
			if included[f.Path] {
				continue // composed ahead, in vain: in sequence it never is
			}
			if c.panicked != nil {
				panic(c.panicked) // as in sequence: the engine reports it
			}
			p.Merge(c.p)
			finished()
			for k := range c.loaded {
				included[k] = true
			}
		}
	} else {
		for _, f := range roots {
			if included[f.Path] {
				continue
			}
			s := newScan(p, f, byPath)
			s.pipeline()
			finished()
			for k := range s.loaded {
				included[k] = true
			}
		}
	}
	for _, f := range files {
		if !IsRoot(f.Path) && !included[f.Path] {
			s := newScan(p, f, byPath)
			s.pipeline()
			finished()
		}
	}
	return p
}

// scan composes one pipeline.
type scan struct {
	p      *model.Project
	root   *source.File
	byPath map[string]*source.File
	loaded map[string]bool
	docs   []*yamldoc.Doc
	count  int
	// notRead: an include of the pipeline was not read
	notRead bool
}

func newScan(p *model.Project, root *source.File, byPath map[string]*source.File) *scan {
	return &scan{p: p, root: root, byPath: byPath, loaded: map[string]bool{}}
}

// load parses one file of the pipeline and returns its configuration
// (with its own includes merged under it).
func (s *scan) load(display string, content []byte, depth int) *node {
	s.loaded[display] = true
	docs := yamldoc.Split(content)
	if len(docs) == 0 {
		return nil
	}
	raw := docs[0]
	if len(docs) > 1 {
		// a `spec:` header document precedes the configuration
		if yamldoc.HasTopLevelKey(docs[0].Bytes, "spec") {
			raw = docs[1]
		}
	}
	doc, err := yamldoc.Parse(display, raw)
	if err != nil {
		s.p.Notices = append(s.p.Notices, parseNotice(display, raw, err))
		return nil
	}
	s.docs = append(s.docs, doc)
	root := doc.Value()
	if !root.IsMap() {
		if root.Exists() && !root.IsNull() {
			doc.Notice(root, model.NoticeError, "a GitLab CI configuration must be a mapping, got %s", root.KindName())
		}
		return nil
	}
	cv := &converter{}
	cfg := &node{v: root, kind: 'm', m: map[string]*node{}}
	for _, pr := range root.Pairs() {
		v := pr.Value
		if !strings.HasPrefix(pr.Key, ".") && !reserved[pr.Key] {
			v = v.WithObject("job/" + display + "/" + pr.Key)
		} else {
			v = v.WithObject("pipeline/" + display)
		}
		if _, dup := cfg.m[pr.Key]; !dup {
			cfg.keys = append(cfg.keys, pr.Key)
		}
		cfg.m[pr.Key] = cv.convert(v, 1)
	}
	if cv.over {
		doc.Notice(root, model.NoticeWarning, "the configuration expands to more than %d values (nested aliases); the rest was not read", maxNodes)
	}
	var merged *node
	for _, inc := range s.includes(cfg.get("include"), doc) {
		if depth >= 100 {
			break
		}
		if sub := s.load(inc.path, inc.content, depth+1); sub != nil {
			merged = merge(merged, sub, nil, 0)
		}
	}
	return merge(merged, cfg, nil, 0)
}

// resolve lists the files the local include rel names in repository r:
// the matches of a glob, or the file itself when it exists.
func (s *scan) resolve(r repository, rel string) []string {
	target := path.Join(r.display, rel)
	if !strings.ContainsAny(rel, "*?[{") {
		if _, ok := s.byPath[target]; ok {
			return []string{target}
		}
		if r.abs != "" {
			if _, err := os.Lstat(filepath.Join(r.abs, filepath.FromSlash(rel))); err == nil {
				return []string{target}
			}
		}
		return nil
	}
	var paths []string
	seen := map[string]bool{}
	for p := range s.byPath {
		if ok, _ := doublestar.Match(target, p); ok && !seen[p] {
			seen[p] = true
			paths = append(paths, p)
		}
	}
	// files the walk did not claim as GitLab CI (a template with only
	// variables or hidden jobs) still match on disk
	if r.abs != "" {
		matches, _ := doublestar.Glob(os.DirFS(r.abs), rel, doublestar.WithFilesOnly(), doublestar.WithNoFollow())
		for _, m := range matches {
			if p := path.Join(r.display, m); !seen[p] {
				seen[p] = true
				paths = append(paths, p)
			}
		}
	}
	sort.Strings(paths)
	return paths
}

type includedFile struct {
	path    string
	content []byte
}

// includes resolves the local includes of one file. Remote, project,
// template and component includes are outside the scan and skipped.
func (s *scan) includes(inc *node, doc *yamldoc.Doc) []includedFile {
	if inc == nil {
		return nil
	}
	var out []includedFile
	repos := []repository{s.repository()}
	if w, ok := s.workTree(repos[0]); ok {
		repos = append(repos, w)
	}
	items := inc.list()
	single := inc.kind == 'm'
	if single {
		// one include written as a mapping (`include: {local: …}`, or
		// `include:` over an indented `template: …`): GitLab's schema takes
		// a single include item as well as a list of them
		// (https://docs.gitlab.com/ci/yaml/#include)
		items = []*node{inc}
	}
	for _, it := range items {
		var local string
		// where a notice about the item goes: the item, or for a single
		// include written as a mapping, its key's value (the mapping starts
		// on the include: line)
		at := it.v
		switch it.kind {
		case 'v':
			local = it.text()
			if strings.Contains(local, "://") {
				s.external(doc, at, "a remote include")
				continue
			}
		case 'm':
			l := it.get("local")
			if !l.exists() {
				// https://docs.gitlab.com/ci/yaml/#include: the other kinds
				// are read from outside the repository
				kind := "an include"
				for _, k := range []string{"remote", "project", "template", "component"} {
					if v := it.get(k); v.exists() {
						kind = "a " + k + " include"
						if single {
							at = v.v
						}
						break
					}
				}
				s.external(doc, at, kind)
				continue
			}
			if single {
				at = l.v
			}
			local = l.text()
		default:
			continue
		}
		if local == "" {
			continue
		}
		if strings.Contains(local, "$") {
			s.unread(doc, at, "included file %s was not read (its path names a variable)", strconv.Quote(local))
			continue
		}
		// with or without a leading /, a local include is relative to the
		// repository root (https://docs.gitlab.com/ci/yaml/#includelocal),
		// not to the including file's folder
		rel := path.Clean(strings.TrimPrefix(local, "/"))
		if rel == ".." || strings.HasPrefix(rel, "../") {
			s.unread(doc, at, "included file %s was not read (it lies outside the repository)", strconv.Quote(local))
			continue
		}
		// the repository around the scanned root first; when the file is
		// not there, the work tree above it
		var paths []string
		repo := repos[0]
		for _, r := range repos {
			repo = r
			if paths = s.resolve(r, rel); len(paths) > 0 {
				break
			}
		}
		if len(paths) == 0 && !strings.ContainsAny(rel, "*?[{") {
			repo = repos[0]
			paths = []string{path.Join(repo.display, rel)}
		}
		for _, p := range paths {
			if s.loaded[p] {
				continue
			}
			s.count++
			if s.count > maxIncludes {
				s.unread(doc, at, "more than %d included files; the rest were not read", maxIncludes)
				return out
			}
			if f, ok := s.byPath[p]; ok {
				out = append(out, includedFile{p, f.Content})
				continue
			}
			var b []byte
			var err error
			display := p
			if repo.abs != "" {
				b, _, err = source.ReadWithin(filepath.Join(repo.abs, filepath.FromSlash(repo.relative(p))), repo.abs, includeSizeLimit)
			} else {
				b, display, err = s.root.ReadSibling(path.Join(repo.fromRoot, repo.relative(p)), includeSizeLimit)
			}
			if err != nil {
				why := "it could not be read"
				switch {
				case errors.Is(err, source.ErrOutsideRoot):
					why = "it lies outside the repository"
				case errors.Is(err, fs.ErrNotExist):
					why = "no such file in the repository"
				}
				s.unread(doc, at, "included file %s was not read (%s)", strconv.Quote(local), why)
				continue
			}
			out = append(out, includedFile{display, b})
		}
	}
	return out
}

// unread reports an include that was not read. What it defines (jobs,
// `default:`, variables, the templates other jobs extend) is unknown, so
// the pipeline was not checked in full: an error, as for a Kustomize
// overlay's remote base or a Helm dependency that is not vendored, so the
// scan does not pass unless --allow-unread accepts that.
func (s *scan) unread(doc *yamldoc.Doc, at yamldoc.Value, format string, args ...any) {
	s.notRead = true
	doc.Notice(at, model.NoticeError, format+"; what it defines was not checked", args...)
}

// external reports a remote, project, template or component include: code
// from outside the repository, as a GitHub step's `uses:` of another
// repository is, so its own jobs are not this scan's to check and the
// notice is a warning. What it lends the repository's jobs is another
// matter: a job that extends a template none of the files read defines is
// not checked in full (see extend).
func (s *scan) external(doc *yamldoc.Doc, at yamldoc.Value, kind string) {
	s.notRead = true
	doc.Notice(at, model.NoticeWarning, "%s was not read (isolint fetches nothing); the jobs it defines were not checked", kind)
}

// repository is the directory local includes are relative to.
type repository struct {
	abs      string // on disk; "" when the root file is not on disk
	display  string // as a display path ("." for the display root)
	fromRoot string // relative to the root file's folder ("." or "../..")
}

// repository finds the repository root of the pipeline: the git work tree
// around the root file when it lies within the scanned root, else the
// scanned root itself.
func (s *scan) repository() repository {
	dir := path.Dir(s.root.Path)
	r := repository{display: dir, fromRoot: "."}
	if s.root.Abs == "" || s.root.Root == "" {
		return r
	}
	d, err := filepath.EvalSymlinks(filepath.Dir(s.root.Abs))
	if err != nil || !source.Within(d, s.root.Root) {
		return r
	}
	limit := s.root.Root
	start := d
	found := s.root.Root
	for {
		if _, err := os.Lstat(filepath.Join(d, ".git")); err == nil {
			found = d
			break
		}
		if d == limit {
			break
		}
		parent := filepath.Dir(d)
		if parent == d || !source.Within(parent, limit) {
			break
		}
		d = parent
	}
	up, err := filepath.Rel(start, found)
	if err != nil {
		return r
	}
	r.abs = found
	r.fromRoot = filepath.ToSlash(up)
	r.display = path.Clean(path.Join(dir, r.fromRoot))
	return r
}

// workTree is the git work tree above the scanned root, when the folder
// display paths are relative to is one (the CLI picks the work tree around
// the paths it is given): a pre-commit hook that names
// `.gitlab/ci/build.yml` alone scans `.gitlab/ci`, and its
// `local: /ci/common.yml` lies at the work tree's root, as GitLab reads it.
// Nothing outside the work tree is read (the limit a Kustomize overlay's
// bases have). ok is false when there is no such work tree.
func (s *scan) workTree(inner repository) (repository, bool) {
	if inner.abs != "" {
		if _, err := os.Lstat(filepath.Join(inner.abs, ".git")); err == nil {
			return repository{}, false // the root file's own work tree
		}
	}
	real := s.root.WorkTree()
	if real == "" || real == inner.abs {
		return repository{}, false
	}
	return repository{abs: real, display: ".", fromRoot: ""}, true
}

// relative turns a display path under the repository into a path from
// the repository root.
func (r repository) relative(p string) string {
	if r.display == "." {
		return p
	}
	return strings.TrimPrefix(p, r.display+"/")
}

func parseNotice(file string, raw yamldoc.RawDoc, err error) model.Notice {
	return yamldoc.ParseNotice(file, raw, err, "not valid YAML, so no job in it was checked: ", "could not be read: ")
}

// reserved are the top-level keywords that are not jobs.
var reserved = map[string]bool{
	"default": true, "include": true, "stages": true, "variables": true, "workflow": true,
	"image": true, "services": true, "cache": true, "before_script": true, "after_script": true,
	"spec": true,
}
