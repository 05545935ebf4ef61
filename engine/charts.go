package engine

import (
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"sort"
	"strings"
	"sync"

	"github.com/bmatcuk/doublestar/v4"
	"github.com/isolint/isolint/config"
	"github.com/isolint/isolint/discover"
	"github.com/isolint/isolint/filter"
	"github.com/isolint/isolint/internal/safetext"
	"github.com/isolint/isolint/model"
	"github.com/isolint/isolint/render/helm"
	"github.com/isolint/isolint/rules"
	"github.com/isolint/isolint/scanners/k8s"
	"github.com/isolint/isolint/source"
)

// HelmOptions are the values given on the command line, for every chart.
type HelmOptions struct {
	Values []string // --values files, as given
	Set    []string // --set key=value
}

// RenderStats counts the charts (or overlays) a scan found.
type RenderStats struct {
	Seen     int `json:"seen"`
	Rendered int `json:"rendered"` // rendered with at least one value set
	Failed   int `json:"failed"`   // rendered with none: not checked
}

// chartIndex finds the chart a walked file belongs to: the outermost
// folder with a Chart.yaml around it (a vendored subchart under
// `charts/` belongs to its parent), inside the file's scan root.
type chartIndex struct {
	mu     sync.Mutex
	isDir  map[string]bool // directory → holds Chart.yaml
	charts map[string]helm.Chart
	trees  map[string]string // scan root → the work tree around it
}

func newChartIndex() *chartIndex {
	return &chartIndex{isDir: map[string]bool{}, charts: map[string]helm.Chart{}, trees: map[string]string{}}
}

func (x *chartIndex) hasChart(dir string) bool {
	if v, ok := x.isDir[dir]; ok {
		return v
	}
	v := statChart(dir)
	x.isDir[dir] = v
	return v
}

// statChart reports whether dir holds a Chart.yaml that is a regular file
// (or a link to one).
func statChart(dir string) bool {
	info, err := os.Stat(filepath.Join(dir, "Chart.yaml"))
	return err == nil && info.Mode().IsRegular()
}

// listed records what a directory the walk read says: whether it holds a
// Chart.yaml, without the stat hasChart would make for it. The walk lists
// a directory before it finds any file in or below it. Helm's loader
// matches the name exactly, as this does (a stat on a case-insensitive
// file system would not).
func (x *chartIndex) listed(dir string, entries []fs.DirEntry) {
	v := false
	for _, e := range entries {
		if e.Name() != "Chart.yaml" {
			continue
		}
		switch t := e.Type(); {
		case t.IsRegular():
			v = true
		case t&fs.ModeSymlink != 0:
			v = statChart(dir)
		}
		break
	}
	x.mu.Lock()
	x.isDir[dir] = v
	x.mu.Unlock()
}

// claim reports whether c is a file of a chart, and records the chart.
//
// A chart file named below its chart's folder (a pre-commit hook passes
// `charts/api/templates/deploy.yaml` alone, or the scan root is
// `charts/api/templates`) renders the whole chart, as `helm template
// charts/api` would, when the chart's folder lies in the git work tree
// around the scan root (the limit an overlay's bases have, overlayRoot):
// read as raw YAML, a template is not checked at all. Only a file Helm
// reads (under the chart's templates/ or charts/, its Chart.yaml or
// values.yaml) looks above the scan root, so `isolint scan examples/pod.yaml`
// in a repository whose root is a chart still scans that file as it stands.
func (x *chartIndex) claim(c discover.Candidate) bool {
	x.mu.Lock()
	defer x.mu.Unlock()
	helmReads := func(rel string) bool {
		parts := strings.Split(filepath.ToSlash(rel), "/")
		for _, d := range parts[:len(parts)-1] {
			if d == "templates" || d == "charts" {
				return true
			}
		}
		base := parts[len(parts)-1]
		return base == "Chart.yaml" || base == "values.yaml" || base == "values.yml"
	}
	limit := c.Root
	var chartDir string
	for pass := 0; pass < 2 && chartDir == ""; pass++ {
		if pass == 1 {
			if !helmReads(c.Real) {
				break
			}
			tree, ok := x.trees[c.Root]
			if !ok {
				tree = overlayRoot(c.Root)
				x.trees[c.Root] = tree
			}
			if tree == c.Root {
				break
			}
			limit = tree
		}
		for d := filepath.Dir(c.Real); source.Within(d, limit); d = filepath.Dir(d) {
			if x.hasChart(d) {
				chartDir = d
				// a chart vendored under another chart's charts/ is part of it
				if p := filepath.Dir(d); filepath.Base(p) == "charts" && source.Within(filepath.Dir(p), limit) && x.hasChart(filepath.Dir(p)) {
					continue
				}
				break
			}
			if filepath.Dir(d) == d {
				break
			}
		}
		if pass == 1 && chartDir != "" {
			if rel, err := filepath.Rel(chartDir, c.Real); err != nil || !helmReads(rel) {
				chartDir = ""
			}
		}
	}
	if chartDir == "" {
		return false
	}
	if _, ok := x.charts[chartDir]; !ok {
		rel, err := filepath.Rel(chartDir, c.Real)
		if err != nil {
			return false
		}
		display := strings.TrimSuffix(c.Path, "/"+filepath.ToSlash(rel))
		switch {
		case c.Path == filepath.ToSlash(rel):
			// the chart is the display root: templates/x.yaml, not templates/templates/x.yaml
			display = "."
		case display == c.Path:
			display = path.Dir(c.Path)
		}
		x.charts[chartDir] = helm.Chart{Dir: chartDir, Display: display, Root: limit}
	}
	return true
}

func (x *chartIndex) list() []helm.Chart {
	out := make([]helm.Chart, 0, len(x.charts))
	for _, c := range x.charts {
		out = append(out, c)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Display < out[j].Display })
	return out
}

// chartOut is what rendering and checking one chart gave.
type chartOut struct {
	renderings []model.Rendering
	notices    []model.Notice
	findings   []releaseFinding
	directives map[string][]filter.Directive
	objects    int
	workloads  map[string]int
	library    bool
	rendered   int // releases rendered
	// inventory holds what each release held, for the compliance report:
	// its workloads' details (taken before they are dropped) and its
	// objects.
	inventory *model.Inventory
	// releases are the objects of each release with their details, each
	// labelled with its unit (see releaseModel); only when asked for.
	releases []*model.Project
}

// releaseFinding is a finding and the release it came from.
type releaseFinding struct {
	f       rules.Finding
	release string
}

// valueSets picks the value sets of a chart: the command line's, else the
// configuration's entries whose glob matches the chart, else nil (values.yaml
// and ci/*-values.yaml).
func valueSets(c helm.Chart, cli HelmOptions, base string, cfg *config.Config) []helm.ValueSet {
	if len(cli.Values) > 0 || len(cli.Set) > 0 {
		vs := helm.ValueSet{Name: "values", Set: cli.Set}
		var names []string
		for _, v := range cli.Values {
			abs, _ := filepath.Abs(v)
			disp := filepath.ToSlash(v)
			if rel, err := filepath.Rel(base, abs); err == nil && !strings.HasPrefix(rel, "..") {
				disp = filepath.ToSlash(rel)
			}
			vs.Files = append(vs.Files, helm.ValueFile{Path: abs, Display: disp})
			names = append(names, path.Base(disp))
		}
		if len(names) > 0 {
			vs.Name = strings.Join(names, "+")
		}
		if len(cli.Set) > 0 {
			vs.Name += " --set"
			vs.Name = strings.TrimPrefix(vs.Name, "values --set")
			if vs.Name == "" {
				vs.Name = "--set"
			}
		}
		// values.yaml is the chart's own; files named on the command line
		// are read where they are
		return []helm.ValueSet{vs}
	}
	if cfg == nil {
		return nil
	}
	var sets []helm.ValueSet
	for _, h := range cfg.Helm {
		if !chartMatches(h.Chart, c, cfg) {
			continue
		}
		for _, r := range h.Releases {
			vs := helm.ValueSet{Name: r.Name, Set: r.Set}
			for _, v := range r.Values {
				vs.Files = append(vs.Files, helm.ValueFile{Path: filepath.Join(c.Dir, filepath.FromSlash(v)), Display: path.Clean(helm.JoinDisplay(c.Display, v)), Confined: true})
			}
			sets = append(sets, vs)
		}
	}
	return sets
}

// chartMatches matches a `helm:` entry's chart glob against the chart's
// display path and its path relative to the config file.
func chartMatches(glob string, c helm.Chart, cfg *config.Config) bool {
	glob = strings.TrimSuffix(glob, "/")
	paths := []string{c.Display}
	if cfg.Dir != "" {
		if rel, err := filepath.Rel(cfg.Dir, c.Dir); err == nil {
			paths = append(paths, filepath.ToSlash(rel))
		}
	}
	for _, p := range paths {
		if ok, _ := doublestar.Match(glob, p); ok {
			return true
		}
	}
	return false
}

// renderChart renders one chart with each value set and checks what each
// release holds, one release at a time: project-wide rules join the
// objects of one release, never of alternative value sets. With keep, it
// also returns each release's objects for the merged model (releaseModel).
func renderChart(c helm.Chart, all []helm.Chart, sets []helm.ValueSet, maxFile int64, k *k8s.Scanner, enabled []*rules.Rule, ropts rules.Options, keep bool) chartOut {
	out := chartOut{directives: map[string][]filter.Directive{}, workloads: map[string]int{}, inventory: model.NewInventory()}
	r := helm.Render(c, helm.Options{Sets: sets, Charts: all, MaxFileSize: maxFile})
	out.notices = append(out.notices, r.Notices...)
	for _, f := range r.Files {
		if d := filter.ParseDirectives(f.Display, f.Content); len(d) > 0 {
			out.directives[f.Display] = d
		}
	}
	if r.Library {
		out.library = true
		return out
	}
	anyOptionalOK := false
	for i, rel := range r.Releases {
		if !rel.Rendering.Failed && (sets == nil || i < len(sets) && sets[i].Optional) {
			anyOptionalOK = true
		}
	}
	for i, rel := range r.Releases {
		optional := sets == nil || i < len(sets) && sets[i].Optional
		if rel.Rendering.Failed {
			msg := "chart " + c.Display + " could not be rendered with value set " + rel.Rendering.Release + ": " + rel.Rendering.Err
			loc := rel.Rendering.Loc
			if loc.File == "" {
				loc.File = helm.JoinDisplay(c.Display, "Chart.yaml")
			}
			if optional && anyOptionalOK {
				// another value set of the chart stands in for this one
				out.notices = append(out.notices, model.Notice{Level: model.NoticeWarning, Loc: loc, Message: msg + " (checked with its other value sets)"})
				continue
			}
			out.notices = append(out.notices, model.Notice{Level: model.NoticeError, Loc: loc, Message: msg + "; its workloads were not checked"})
			out.renderings = append(out.renderings, rel.Rendering)
			continue
		}
		p := &model.Project{}
		for _, o := range rel.Outputs {
			p.Merge(scanRenderedSafely(k, o))
		}
		rendering := rel.Rendering
		rendering.Objects = len(p.Workloads) + len(p.ServiceAccounts) + len(p.Roles) + len(p.RoleBindings) + len(p.NetworkPolicies)
		out.renderings = append(out.renderings, rendering)
		out.rendered++
		out.notices = append(out.notices, p.Notices...)
		p.Notices = nil
		out.objects += rendering.Objects
		for _, w := range p.Workloads {
			out.workloads[w.Kind]++
		}
		for _, f := range rules.CheckWorkloads(enabled, p.Workloads, ropts) {
			out.findings = append(out.findings, releaseFinding{f: f, release: rel.Rendering.Release})
		}
		out.inventory.AddDetails(p)
		var details []model.Workload
		if keep {
			details = make([]model.Workload, len(p.Workloads))
			for i, w := range p.Workloads {
				details[i] = *w
			}
		}
		for _, w := range p.Workloads {
			w.DropDetails()
		}
		for _, f := range rules.RunProject(enabled, p, ropts) {
			out.findings = append(out.findings, releaseFinding{f: f, release: rel.Rendering.Release})
		}
		out.inventory.AddProject(p)
		if keep {
			out.releases = append(out.releases, releaseModel(p, details, c.Display+" (values "+rel.Rendering.Release+")"))
		}
	}
	out.renderings = append(out.renderings, r.Missing...)
	out.notices = dedupNotices(out.notices)
	return out
}

// releaseModel hands one release's objects to the merged model that views
// of the whole project read (isolint reach, the report's blast radius):
// the workloads get back the details dropped for the project rules, and
// every object is labelled with the release's unit, so that views never
// join the objects of two value sets of a chart, which are alternatives
// (model.SameUnit). The release's findings were made before, without the
// label: the scan's output does not change.
func releaseModel(p *model.Project, details []model.Workload, unit string) *model.Project {
	for i, w := range p.Workloads {
		w.Containers, w.Volumes, w.Security = details[i].Containers, details[i].Volumes, details[i].Security
	}
	p.SetUnit(unit)
	return &model.Project{Workloads: p.Workloads, ServiceAccounts: p.ServiceAccounts, Roles: p.Roles,
		RoleBindings: p.RoleBindings, NetworkPolicies: p.NetworkPolicies, StaticCredentials: p.StaticCredentials}
}

func dedupNotices(ns []model.Notice) []model.Notice {
	seen := map[string]bool{}
	out := ns[:0]
	for _, n := range ns {
		k := n.Loc.String() + "\x00" + string(n.Level) + "\x00" + n.Message
		if seen[k] {
			continue
		}
		seen[k] = true
		out = append(out, n)
	}
	return out
}

// mergeReleases makes one finding of the same finding from several
// releases of a chart (same rule, place and message), naming the releases
// when the chart was rendered with more than one value set.
func mergeReleases(fs []releaseFinding, releases int) []rules.Finding {
	type group struct {
		f        rules.Finding
		releases []string
	}
	var order []string
	groups := map[string]*group{}
	for _, rf := range fs {
		f := rf.f
		k := f.RuleID + "\x00" + f.Loc.String() + "\x00" + f.Object + "\x00" + f.Message
		g, ok := groups[k]
		if !ok {
			g = &group{f: f}
			groups[k] = g
			order = append(order, k)
		} else {
			g.f.Related = mergeRelated(g.f.Related, f.Related)
		}
		if !contains(g.releases, rf.release) {
			g.releases = append(g.releases, rf.release)
		}
	}
	out := make([]rules.Finding, 0, len(order))
	for _, k := range order {
		g := groups[k]
		if releases > 1 {
			word := "release "
			if len(g.releases) > 1 {
				word = "releases "
			}
			g.f.Message += " (" + word + strings.Join(g.releases, ", ") + ")"
		}
		out = append(out, g.f)
	}
	return out
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

// scanRenderedSafely scans a template's rendered text; a panic (an isolint
// bug the chart found) leaves that template not checked, with an error
// notice, instead of ending the scan from the chart's goroutine.
func scanRenderedSafely(k *k8s.Scanner, o helm.Output) (p *model.Project) {
	defer func() {
		if r := recover(); r != nil {
			p = &model.Project{Notices: []model.Notice{{Level: model.NoticeError, Loc: model.Location{File: o.File},
				Message: "internal error while scanning what this template rendered (please report it): " + safetext.Panic(r)}}}
		}
	}()
	return scanRendered(k, o.File, o.Text, o.Origin)
}

// scanRendered is the Kubernetes scanner's ScanRendered (a test seam).
var scanRendered = (*k8s.Scanner).ScanRendered
