// Package helm renders Helm charts offline, in process, with Helm's own
// packages (chart loading, values coalescing, the template engine), as
// `helm template` would with release name `release-name` in namespace
// `default`, and keeps a source map: every location in the rendered text
// maps back to the template line that wrote it or, for YAML copied out of
// the values (`toYaml .Values.x`), to the values line it came from.
//
// Nothing is fetched and nothing is run: no repository or dependency
// download, no plugin, no hook; `lookup` answers empty and DNS lookups
// answer nothing, as under `helm template`; values schemas are not
// checked (their $refs may name URLs). Files are read only inside the
// scanned root.
package helm

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"path"
	"path/filepath"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/Masterminds/semver/v3"
	"github.com/isolint/isolint/internal/safetext"
	"github.com/isolint/isolint/model"
	"github.com/isolint/isolint/scanners/yamldoc"
	"github.com/isolint/isolint/source"
	yaml "go.yaml.in/yaml/v3"
	"helm.sh/helm/v4/pkg/chart/common"
	"helm.sh/helm/v4/pkg/chart/common/util"
	"helm.sh/helm/v4/pkg/chart/loader/archive"
	chart "helm.sh/helm/v4/pkg/chart/v2"
	"helm.sh/helm/v4/pkg/chart/v2/loader"
	chartutil "helm.sh/helm/v4/pkg/chart/v2/util"
	"helm.sh/helm/v4/pkg/engine"
	"helm.sh/helm/v4/pkg/ignore"
	"helm.sh/helm/v4/pkg/strvals"
)

// ReleaseName and Namespace are what `helm template` uses by default.
const (
	ReleaseName = "release-name"
	Namespace   = "default"
)

// maxChartBytes bounds what one chart may make isolint read.
const maxChartBytes = 100 << 20

// Chart is a chart folder found in the scanned tree.
type Chart struct {
	Dir     string // absolute, symlink-resolved
	Display string // display path of the folder
	Root    string // the scan root it lies under: nothing outside it is read
}

// JoinDisplay joins a display folder ("." for the base) and a path in it.
func JoinDisplay(dir, rel string) string {
	if dir == "." || dir == "" {
		return rel
	}
	return dir + "/" + rel
}

// ValueFile is a values file of a value set.
type ValueFile struct {
	Path    string // on disk
	Display string
	// Confined files must lie inside the chart's scan root (files named in
	// the configuration); files named on the command line need not.
	Confined bool
}

// ValueSet is one set of values a chart is rendered with: one release.
type ValueSet struct {
	Name  string
	Files []ValueFile
	Set   []string // --set key=value
	// Optional sets stand in for each other (values.yaml alone and the
	// chart-testing ci/*-values.yaml files): the chart is checked when
	// any of them renders.
	Optional bool
}

// Options configure rendering.
type Options struct {
	// Sets are the value sets to render the chart with; nil: values.yaml
	// alone ("default") and each ci/*-values.yaml of the chart.
	Sets []ValueSet
	// Charts are all charts of the scan, where a dependency that is not
	// vendored may be found.
	Charts []Chart
	// MaxFileSize skips larger chart files.
	MaxFileSize int64
	// Timeout bounds the rendering of one value set (0: DefaultTimeout).
	Timeout time.Duration
}

// DefaultTimeout is how long one value set of a chart may take to render.
// Templates are code: three nested `range until 10000` never end in
// practice. A rendering that takes longer is reported as not checked and
// the scan goes on (the abandoned rendering ends with the process).
const DefaultTimeout = 20 * time.Second

// Output is one rendered template: text that holds Kubernetes documents,
// and the origin of each document's locations.
type Output struct {
	File   string // the template's display path
	Text   []byte
	Origin func(yamldoc.RawDoc) yamldoc.Origin
}

// Release is a chart rendered with one value set.
type Release struct {
	Rendering model.Rendering
	Outputs   []Output
}

// SourceFile is a file of the chart as read (for inline ignore comments).
type SourceFile struct {
	Display string
	Content []byte
}

// Result is what rendering a chart gave.
type Result struct {
	Releases []Release
	// Missing are dependencies that could not be found: what they deploy
	// was not checked.
	Missing []model.Rendering
	Notices []model.Notice
	Files   []SourceFile
	// Library is set for a library chart, which renders nothing itself.
	Library bool
	// Name is the chart's name from Chart.yaml.
	Name string
}

// Render renders a chart with each of its value sets.
func Render(c Chart, opts Options) (res *Result) {
	res = &Result{}
	chartYAML := JoinDisplay(c.Display, "Chart.yaml")
	defer func() {
		if r := recover(); r != nil {
			res.Releases = []Release{{Rendering: model.Rendering{Kind: model.RenderHelm, Path: c.Display, Release: "default", Failed: true,
				Err: fmt.Sprintf("internal error while rendering (please report it): %v", safetext.Panic(r)), Loc: model.Location{File: chartYAML, Line: 1, Col: 1}}}}
		}
	}()
	files, err := readChart(c.Dir, c.Root, opts.MaxFileSize)
	if err != nil {
		res.Releases = []Release{failed(c, "default", "the chart could not be read: "+err.Error(), model.Location{File: chartYAML, Line: 1, Col: 1})}
		return res
	}
	for _, f := range files {
		if isSourceFile(f.Name) {
			res.Files = append(res.Files, SourceFile{Display: JoinDisplay(c.Display, f.Name), Content: f.Data})
		}
	}
	probe, err := loader.LoadFiles(files)
	if err != nil {
		res.Releases = []Release{failed(c, "default", cleanErr(err.Error()), loadErrLoc(c, err.Error()))}
		return res
	}
	res.Name = probe.Name()
	if probe.Metadata != nil && probe.Metadata.Type == "library" {
		res.Library = true
		return res
	}
	sets := opts.Sets
	if sets == nil {
		sets = defaultSets(c, files)
	}
	for _, vs := range sets {
		rel, missing, notes := renderBounded(c, files, vs, opts)
		res.Releases = append(res.Releases, rel)
		res.Notices = append(res.Notices, notes...)
		for _, m := range missing {
			if !hasRendering(res.Missing, m) {
				res.Missing = append(res.Missing, m)
			}
		}
	}
	res.Notices = dedupNotices(res.Notices)
	return res
}

func hasRendering(list []model.Rendering, r model.Rendering) bool {
	for _, x := range list {
		if x.Path == r.Path {
			return true
		}
	}
	return false
}

func dedupNotices(ns []model.Notice) []model.Notice {
	seen := map[string]bool{}
	out := ns[:0]
	for _, n := range ns {
		k := n.Loc.String() + "\x00" + n.Message
		if seen[k] {
			continue
		}
		seen[k] = true
		out = append(out, n)
	}
	return out
}

func failed(c Chart, release, msg string, loc model.Location) Release {
	return Release{Rendering: model.Rendering{Kind: model.RenderHelm, Path: c.Display, Release: release, Failed: true, Err: msg, Loc: loc}}
}

// isSourceFile reports chart files a user edits that may hold inline ignores.
func isSourceFile(name string) bool {
	ext := path.Ext(name)
	return (ext == ".yaml" || ext == ".yml" || ext == ".tpl") && !strings.HasPrefix(name, "charts/")
}

// defaultSets are values.yaml alone and each ci/*-values.yaml file.
func defaultSets(c Chart, files []*archive.BufferedFile) []ValueSet {
	sets := []ValueSet{{Name: "default", Optional: true}}
	var ci []string
	for _, f := range files {
		if strings.HasPrefix(f.Name, "ci/") && strings.Count(f.Name, "/") == 1 && strings.HasSuffix(f.Name, "-values.yaml") {
			ci = append(ci, f.Name)
		}
	}
	sort.Strings(ci)
	for _, n := range ci {
		sets = append(sets, ValueSet{Name: n, Optional: true,
			Files: []ValueFile{{Path: filepath.Join(c.Dir, filepath.FromSlash(n)), Display: JoinDisplay(c.Display, n), Confined: true}}})
	}
	return sets
}

// readChart reads a chart folder as Helm's directory loader does
// (.helmignore honoured), refusing anything that resolves outside root.
func readChart(dir, root string, maxFile int64) ([]*archive.BufferedFile, error) {
	rules := ignore.Empty()
	if b, err := readConfined(filepath.Join(dir, ignore.HelmIgnore), root, maxFile); err == nil {
		if r, err := ignore.Parse(bytes.NewReader(b)); err == nil {
			rules = r
		}
	}
	rules.AddDefaults()
	var files []*archive.BufferedFile
	var total int64
	err := filepath.WalkDir(dir, func(p string, d os.DirEntry, err error) error {
		if err != nil {
			return nil // an unreadable entry is left out; Helm reports what it then lacks
		}
		rel, rerr := filepath.Rel(dir, p)
		if rerr != nil || rel == "." {
			return nil
		}
		n := filepath.ToSlash(rel)
		info, err := os.Stat(p) // follows a symlink: checked against root below
		if err != nil {
			return nil
		}
		if d.IsDir() {
			if d.Name() == ".git" || rules.Ignore(n, info) {
				return filepath.SkipDir
			}
			return nil
		}
		if rules.Ignore(n, info) {
			return nil
		}
		if d.Type()&os.ModeSymlink != 0 {
			real, err := filepath.EvalSymlinks(p)
			if err != nil || !source.Within(real, root) || info.IsDir() {
				return nil // never leave the scanned root; linked directories are not followed
			}
		}
		if !info.Mode().IsRegular() || (maxFile > 0 && info.Size() > maxFile) {
			return nil
		}
		total += info.Size()
		if total > maxChartBytes {
			return fmt.Errorf("larger than %d MiB", maxChartBytes>>20)
		}
		b, err := source.ReadRegular(p, maxFile)
		if err != nil {
			return nil
		}
		files = append(files, &archive.BufferedFile{Name: n, Data: b})
		return nil
	})
	if err != nil {
		return nil, err
	}
	return files, nil
}

// readLimited reads a file named on the command line, refusing one larger
// than maxFile.
func readLimited(p string, maxFile int64) ([]byte, error) {
	return source.ReadRegular(p, maxFile)
}

// readConfined reads a file that must resolve inside root.
func readConfined(p, root string, maxFile int64) ([]byte, error) {
	b, _, err := source.ReadWithin(p, root, maxFile)
	return b, err
}

// renderBounded renders a value set, giving up after opts.Timeout.
func renderBounded(c Chart, files []*archive.BufferedFile, vs ValueSet, opts Options) (Release, []model.Rendering, []model.Notice) {
	type out struct {
		rel     Release
		missing []model.Rendering
		notes   []model.Notice
	}
	timeout := opts.Timeout
	if timeout <= 0 {
		timeout = DefaultTimeout
	}
	done := make(chan out, 1)
	go func() {
		defer func() {
			if r := recover(); r != nil {
				done <- out{rel: failed(c, vs.Name, fmt.Sprintf("internal error while rendering (please report it): %v", safetext.Panic(r)), model.Location{File: JoinDisplay(c.Display, "Chart.yaml"), Line: 1, Col: 1})}
			}
		}()
		rel, missing, notes := renderRelease(c, files, vs, opts)
		done <- out{rel, missing, notes}
	}()
	timer := time.NewTimer(timeout)
	defer timer.Stop()
	select {
	case o := <-done:
		return o.rel, o.missing, o.notes
	case <-timer.C:
		return failed(c, vs.Name, fmt.Sprintf("rendering took longer than %s and was abandoned", timeout), model.Location{File: JoinDisplay(c.Display, "Chart.yaml"), Line: 1, Col: 1}), nil, nil
	}
}

// renderRelease renders the chart with one value set.
func renderRelease(c Chart, files []*archive.BufferedFile, vs ValueSet, opts Options) (Release, []model.Rendering, []model.Notice) {
	chartYAML := model.Location{File: JoinDisplay(c.Display, "Chart.yaml"), Line: 1, Col: 1}
	var notes []model.Notice
	ch, err := loader.LoadFiles(files)
	if err != nil {
		return failed(c, vs.Name, cleanErr(err.Error()), loadErrLoc(c, err.Error())), nil, nil
	}
	// the values of the set, with positions for the source map
	vals := map[string]any{}
	var sources valueSources
	for _, f := range vs.Files {
		var b []byte
		if f.Confined {
			b, err = readConfined(f.Path, c.Root, opts.MaxFileSize)
		} else {
			b, err = readLimited(f.Path, opts.MaxFileSize)
		}
		if err != nil {
			return failed(c, vs.Name, "values file "+f.Display+" could not be read: "+cleanErr(err.Error()), model.Location{File: f.Display}), nil, nil
		}
		m, err := loader.LoadValues(bytes.NewReader(b))
		if err != nil {
			return failed(c, vs.Name, "values file "+f.Display+" is not valid YAML: "+cleanErr(err.Error()), model.Location{File: f.Display, Line: errLine(err.Error()), Col: 1}), nil, nil
		}
		vals = loader.MergeMaps(vals, m)
		sources.top = append([]*valueFile{parseValueFile(f.Display, b)}, sources.top...)
	}
	for _, s := range vs.Set {
		if err := strvals.ParseInto(s, vals); err != nil {
			return failed(c, vs.Name, "--set "+setKey(s)+": cannot be parsed", model.Location{}), nil, nil
		}
	}
	if own := chartFile(files, "values.yaml"); own != nil {
		sources.top = append(sources.top, parseValueFile(c.Display+"/values.yaml", own))
	}

	// dependencies that are not vendored
	found, missing, depNotes := resolveDependencies(c, ch, files, vals, opts)
	notes = append(notes, depNotes...)
	if err := chartutil.ProcessDependencies(ch, vals); err != nil {
		return failed(c, vs.Name, "dependencies: "+cleanErr(err.Error()), chartYAML), missing, notes
	}

	// mark every rendered template for the source map
	segs := &segments{}
	displays := map[string]string{}
	instrumentChart(ch, c.Display, nil, segs, displays, found)

	top, err := util.ToRenderValuesWithSchemaValidation(ch, vals, common.ReleaseOptions{Name: ReleaseName, Namespace: Namespace, Revision: 1, IsInstall: true}, nil, true)
	if err != nil {
		return failed(c, vs.Name, "values: "+cleanErr(err.Error()), chartYAML), missing, notes
	}
	rendered, err := engine.Engine{CustomTemplateFuncs: renderFuncs()}.RenderWithContext(context.Background(), ch, top)
	if err != nil {
		msg, loc := renderError(err, displays)
		if loc.File == "" {
			loc = chartYAML
		}
		return failed(c, vs.Name, msg, loc), missing, notes
	}
	names := make([]string, 0, len(rendered))
	for n := range rendered {
		names = append(names, n)
	}
	sort.Strings(names)
	rel := Release{Rendering: model.Rendering{Kind: model.RenderHelm, Path: c.Display, Release: vs.Name}}
	for _, n := range names {
		if !isManifest(n) {
			continue
		}
		text := rendered[n]
		if strings.TrimSpace(stripMarkers(text)) == "" {
			continue
		}
		disp := displays[n]
		if disp == "" {
			disp = JoinDisplay(c.Display, n)
		}
		o := strip(disp, text, segs, &sources)
		rel.Outputs = append(rel.Outputs, Output{File: disp, Text: o.text, Origin: func(raw yamldoc.RawDoc) yamldoc.Origin { return newDocOrigin(o, raw) }})
	}
	return rel, missing, notes
}

// isManifest reports rendered templates `helm template` prints.
func isManifest(name string) bool {
	b := path.Base(name)
	if strings.HasPrefix(b, "_") || strings.EqualFold(b, "NOTES.txt") {
		return false
	}
	// templates/tests/ hold test hooks: resources like any other
	return true
}

var markerRe = regexp.MustCompile(`\{\{-? "\\ue000\d+\\ue001" \}\}\{\{|\x{E000}\d+\x{E001}|\\ue000\d+\\ue001`)

func stripMarkers(s string) string {
	if !strings.ContainsRune(s, markOpen) && !strings.Contains(s, `\ue000`) {
		return s
	}
	return markerRe.ReplaceAllString(s, "")
}

// cleanErr strips markers from an error message and bounds its length.
func cleanErr(s string) string {
	s = stripMarkers(s)
	s = strings.Join(strings.Fields(s), " ")
	if len(s) > 400 {
		s = s[:397] + "..."
	}
	return s
}

var (
	tplErrRe  = regexp.MustCompile(`(?:template: |\()([^():\s]+):(\d+)(?::(\d+))?[:)]`)
	colRe     = regexp.MustCompile(`(\.(?:ya?ml|tpl|txt)):(\d+):\d+`)
	lineNumRe = regexp.MustCompile(`line (\d+)`)
)

var loadErrRe = regexp.MustCompile(`cannot load ([^:\s]+):.*?line (\d+)`)

// loadErrLoc places a chart loading error on the file and line it names
// ("cannot load values.yaml: ... line 6: ..."), else on Chart.yaml.
func loadErrLoc(c Chart, msg string) model.Location {
	if m := loadErrRe.FindStringSubmatch(msg); m != nil {
		line, _ := strconv.Atoi(m[2])
		return model.Location{File: JoinDisplay(c.Display, m[1]), Line: line, Col: 1}
	}
	return model.Location{File: JoinDisplay(c.Display, "Chart.yaml"), Line: 1, Col: 1}
}

func errLine(s string) int {
	if m := lineNumRe.FindStringSubmatch(s); m != nil {
		n, _ := strconv.Atoi(m[1])
		return n
	}
	return 0
}

// renderError turns a template error into a message naming the template
// file and line (markers add no lines, so Helm's lines are the file's).
func renderError(err error, displays map[string]string) (string, model.Location) {
	msg := cleanErr(err.Error())
	var loc model.Location
	if m := tplErrRe.FindStringSubmatch(msg); m != nil {
		if d, ok := displays[m[1]]; ok {
			line, _ := strconv.Atoi(m[2])
			loc = model.Location{File: d, Line: line, Col: 1}
		}
	}
	if loc.File == "" {
		// Helm rewrites execution errors as "NAME:LINE:COL: executing ..."
		best := -1
		for name, d := range displays {
			i := strings.Index(msg, name+":")
			if i < 0 || (best >= 0 && i >= best) {
				continue
			}
			rest := msg[i+len(name)+1:]
			n := 0
			for n < len(rest) && rest[n] >= '0' && rest[n] <= '9' {
				n++
			}
			if line, err := strconv.Atoi(rest[:n]); err == nil && line > 0 {
				best, loc = i, model.Location{File: d, Line: line, Col: 1}
			}
		}
	}
	// name display paths rather than Helm's chart-relative names, and no
	// columns: they count the markers the source map added
	msg = colRe.ReplaceAllString(msg, "$1:$2")
	names := make([]string, 0, len(displays))
	for name := range displays {
		names = append(names, name)
	}
	sort.Slice(names, func(i, j int) bool { return len(names[i]) > len(names[j]) })
	for _, name := range names {
		msg = strings.ReplaceAll(msg, name+":", displays[name]+":")
	}
	return msg, loc
}

func chartFile(files []*archive.BufferedFile, name string) []byte {
	for _, f := range files {
		if f.Name == name {
			return f.Data
		}
	}
	return nil
}

func setKey(s string) string {
	if i := strings.IndexByte(s, '='); i >= 0 {
		return s[:i]
	}
	return s
}

// instrumentChart marks the templates of a chart and its dependencies and
// records each template's display path under Helm's template name.
func instrumentChart(ch *chart.Chart, display string, prefix valuePath, segs *segments, displays, depDisplay map[string]string) {
	scope := &chartScope{name: ch.Name(), prefix: prefix}
	if len(prefix) > 0 && ch.Values != nil {
		for _, f := range ch.Raw {
			if f.Name == "values.yaml" {
				scope.own = parseValueFile(JoinDisplay(display, "values.yaml"), f.Data)
			}
		}
	}
	full := ch.ChartFullPath()
	library := ch.Metadata != nil && ch.Metadata.Type == "library"
	for _, t := range ch.Templates {
		if t == nil {
			continue
		}
		name := path.Join(full, t.Name)
		displays[name] = JoinDisplay(display, t.Name)
		if library || strings.HasPrefix(path.Base(t.Name), "_") {
			continue // helpers write only through the include that calls them
		}
		t.Data = []byte(instrument(string(t.Data), JoinDisplay(display, t.Name), scope, segs))
	}
	for _, dep := range ch.Dependencies() {
		d := depDisplay[dep.Name()]
		if d == "" {
			d = JoinDisplay(display, "charts/"+dep.Name())
		}
		// an aliased dependency is renamed to its alias, which is also its
		// key in the parent's values
		instrumentChart(dep, d, append(prefix[:len(prefix):len(prefix)], dep.Name()), segs, displays, depDisplay)
	}
}

// resolveDependencies finds the dependencies Chart.yaml names that are not
// vendored under charts/: disabled ones need nothing, one kept elsewhere in
// the scanned tree is used, the rest are reported as not checked.
func resolveDependencies(c Chart, ch *chart.Chart, files []*archive.BufferedFile, vals map[string]any, opts Options) (map[string]string, []model.Rendering, []model.Notice) {
	found := map[string]string{}
	if ch.Metadata == nil || len(ch.Metadata.Dependencies) == 0 {
		return found, nil, nil
	}
	have := map[string]bool{}
	for _, d := range ch.Dependencies() {
		have[d.Name()] = true
	}
	coalesced, _ := util.CoalesceValues(ch, vals)
	var missing []model.Rendering
	var notes []model.Notice
	chartYAML := JoinDisplay(c.Display, "Chart.yaml")
	for _, d := range ch.Metadata.Dependencies {
		if d == nil || have[d.Name] {
			continue
		}
		if !dependencyEnabled(d, coalesced) {
			continue
		}
		loc := model.Location{File: chartYAML, Line: depLine(chartFile(files, "Chart.yaml"), d.Name), Col: 1}
		if sub, disp, ok := findChart(c, d, opts); ok {
			ch.AddDependency(sub)
			found[d.Name] = disp
			if d.Alias != "" {
				found[d.Alias] = disp
			}
			notes = append(notes, model.Notice{Level: model.NoticeNote, Loc: loc,
				Message: fmt.Sprintf("dependency %s is not vendored under charts/; rendered with the chart at %s (version %s)", d.Name, disp, sub.Metadata.Version)})
			continue
		}
		msg := fmt.Sprintf("dependency %s %s is not vendored under charts/ and not found in the scanned tree (run `helm dependency build`); the chart was rendered without it and what it deploys was not checked", d.Name, d.Version)
		notes = append(notes, model.Notice{Level: model.NoticeWarning, Loc: loc, Message: msg})
		missing = append(missing, model.Rendering{Kind: model.RenderHelm, Path: JoinDisplay(c.Display, "charts/"+d.Name), Release: "", Failed: true, Err: msg, Loc: loc})
	}
	return found, missing, notes
}

// depLine finds the line of a dependency's `name:` in Chart.yaml (else 1).
func depLine(chartYAML []byte, name string) int {
	for i, l := range strings.Split(string(chartYAML), "\n") {
		t := strings.TrimSpace(strings.TrimPrefix(strings.TrimSpace(l), "- "))
		if v, ok := strings.CutPrefix(t, "name:"); ok {
			if j := strings.Index(v, " #"); j >= 0 {
				v = v[:j]
			}
			if strings.Trim(strings.TrimSpace(v), `"'`) != name {
				continue
			}
			return i + 1
		}
	}
	return 1
}

// dependencyEnabled evaluates a dependency's condition and tags as Helm does.
func dependencyEnabled(d *chart.Dependency, vals common.Values) bool {
	for _, c := range strings.Split(strings.TrimSpace(d.Condition), ",") {
		c = strings.TrimSpace(c)
		if c == "" {
			continue
		}
		if v, err := vals.PathValue(c); err == nil {
			if b, ok := v.(bool); ok {
				return b
			}
		}
	}
	if len(d.Tags) > 0 {
		tags, err := vals.Table("tags")
		if err == nil {
			anyTrue, anyFalse := false, false
			for _, t := range d.Tags {
				if b, ok := tags[t].(bool); ok {
					if b {
						anyTrue = true
					} else {
						anyFalse = true
					}
				}
			}
			if anyFalse && !anyTrue {
				return false
			}
		}
	}
	return true
}

// findChart looks for a dependency elsewhere in the scanned tree: at its
// file:// repository path, else any chart of the scan with its name whose
// version satisfies the constraint.
func findChart(c Chart, d *chart.Dependency, opts Options) (*chart.Chart, string, bool) {
	var cands []Chart
	if strings.HasPrefix(d.Repository, "file://") {
		rel := strings.TrimPrefix(d.Repository, "file://")
		if !filepath.IsAbs(rel) {
			dir := filepath.Join(c.Dir, filepath.FromSlash(rel))
			if real, err := filepath.EvalSymlinks(dir); err == nil && source.Within(real, c.Root) {
				disp := path.Clean(JoinDisplay(c.Display, rel))
				cands = append(cands, Chart{Dir: real, Display: disp, Root: c.Root})
			}
		}
	}
	for _, o := range opts.Charts {
		if o.Dir != c.Dir && path.Base(filepath.ToSlash(o.Dir)) == d.Name || o.Dir != c.Dir && chartName(o) == d.Name {
			cands = append(cands, o)
		}
	}
	var constraint *semver.Constraints
	if d.Version != "" {
		constraint, _ = semver.NewConstraint(d.Version)
	}
	for _, o := range cands {
		if o.Dir == c.Dir || !source.Within(o.Dir, c.Root) {
			continue
		}
		files, err := readChart(o.Dir, c.Root, opts.MaxFileSize)
		if err != nil {
			continue
		}
		sub, err := loader.LoadFiles(files)
		if err != nil || sub.Metadata == nil || sub.Name() != d.Name {
			continue
		}
		if constraint != nil {
			v, err := semver.NewVersion(sub.Metadata.Version)
			if err != nil || !constraint.Check(v) {
				continue
			}
		}
		return sub, o.Display, true
	}
	return nil, "", false
}

// chartName reads the name from a chart's Chart.yaml.
func chartName(c Chart) string {
	b, err := readConfined(filepath.Join(c.Dir, "Chart.yaml"), c.Root, 1<<20)
	if err != nil {
		return ""
	}
	var m struct {
		Name string `yaml:"name"`
	}
	if yaml.Unmarshal(b, &m) != nil {
		return ""
	}
	return m.Name
}
