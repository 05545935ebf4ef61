// Package kustomize builds the Kustomize overlays of a scan in-process, as
// `kustomize build` would, on a file system confined to the scanned root:
// no remote base is fetched, no exec or KRM function plugin runs, no Helm
// chart is inflated. Each built object comes with an Origin that places
// its keys on the base or patch line that last set them, so the
// Kubernetes lowering and the rules never learn that the text was built.
package kustomize

import (
	"fmt"
	"io"
	"log"
	"os"
	"path"
	"path/filepath"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"sync"

	"github.com/isolint/isolint/internal/safetext"
	"github.com/isolint/isolint/model"
	"github.com/isolint/isolint/scanners/yamldoc"
	yaml "go.yaml.in/yaml/v3"
	"sigs.k8s.io/kustomize/api/krusty"
	"sigs.k8s.io/kustomize/api/resmap"
	"sigs.k8s.io/kustomize/api/resource"
	"sigs.k8s.io/kustomize/api/types"
)

// Input is a kustomization file the walk found.
type Input struct {
	Path string // display path
	Real string // symlink-resolved path
	Root string // the real scan root it lies under
}

// Overlay is one kustomization built (or refused) on its own: one that no
// other kustomization of the scan uses as a resource.
type Overlay struct {
	File    string // display path of the kustomization file
	Dir     string // display path of its folder: the overlay's name
	Docs    []Doc
	Result  model.Rendering
	Notices []model.Notice
}

// Doc is one built object as YAML, with the origin of its lines.
type Doc struct {
	Text   []byte
	Origin *Origin
}

// Result is every overlay of a scan, and the files they consume.
type Result struct {
	Overlays []*Overlay
	// Consumed holds the display paths of the files an overlay reads
	// (kustomizations, resources, patches): they are reported through the
	// build, never also scanned as plain manifests.
	Consumed map[string]bool
	Notices  []model.Notice
}

// Options configure the builds.
type Options struct {
	MaxFileSize int64 // a larger file is refused (0: no limit)
}

// Render builds every overlay among the kustomizations found.
func Render(inputs []Input, opts Options) *Result {
	res := &Result{Consumed: map[string]bool{}}
	byRoot := map[string][]Input{}
	var roots []string
	for _, in := range inputs {
		if _, ok := byRoot[in.Root]; !ok {
			roots = append(roots, in.Root)
		}
		byRoot[in.Root] = append(byRoot[in.Root], in)
	}
	sort.Strings(roots)
	for _, root := range roots {
		renderRoot(root, byRoot[root], opts, res)
	}
	return res
}

// tree is the kustomizations of one scan root.
type tree struct {
	fs          *confinedFS
	displayRoot string
	// baseDir is the real folder display paths are relative to, when it
	// lies inside the build root (the scan's display base is below the git
	// work tree the overlays are built in); "" otherwise.
	baseDir string
	byDir   map[string]*kustomization // real dir → kustomization
	cache   map[string][]parsedDoc    // see parsed
}

func (t *tree) display(real string) string {
	if t.baseDir != "" {
		// display paths are relative to a folder inside the build root
		rel, err := filepath.Rel(t.baseDir, real)
		if err != nil {
			return real
		}
		return filepath.ToSlash(rel)
	}
	rel, err := filepath.Rel(t.fs.root, real)
	if err != nil {
		return real
	}
	return path.Clean(path.Join(t.displayRoot, filepath.ToSlash(rel)))
}

// load reads the kustomization of a real directory, once.
func (t *tree) load(dir string) (*kustomization, []model.Notice) {
	if k, ok := t.byDir[dir]; ok {
		return k, nil
	}
	for _, name := range fileNames {
		p := filepath.Join(dir, name)
		if !t.fs.Exists(p) {
			continue
		}
		b, err := t.fs.ReadFile(p)
		if err != nil {
			return nil, []model.Notice{{Level: model.NoticeError, Loc: model.Location{File: t.display(p)}, Message: "the kustomization could not be read: " + t.clean(err.Error())}}
		}
		k, ns := readKustomization(t.fs, p, t.display(p), b)
		t.byDir[dir] = k
		return k, ns
	}
	t.byDir[dir] = nil
	return nil, nil
}

func renderRoot(root string, inputs []Input, opts Options, res *Result) {
	t := &tree{fs: newConfinedFS(root, opts.MaxFileSize), byDir: map[string]*kustomization{}, cache: map[string][]parsedDoc{}}
	sort.Slice(inputs, func(i, j int) bool { return inputs[i].Path < inputs[j].Path })
	if rel, err := filepath.Rel(root, inputs[0].Real); err == nil {
		rel = filepath.ToSlash(rel)
		disp := inputs[0].Path
		real := filepath.ToSlash(inputs[0].Real)
		switch {
		case disp == rel || strings.HasSuffix(disp, "/"+rel):
			t.displayRoot = strings.TrimSuffix(strings.TrimSuffix(disp, rel), "/")
		case strings.HasSuffix(rel, "/"+disp) && !strings.HasPrefix(disp, "../") && strings.HasSuffix(real, "/"+disp):
			// the display base is a folder inside the root
			t.baseDir = filepath.FromSlash(strings.TrimSuffix(real, "/"+disp))
		default:
			t.displayRoot = strings.TrimSuffix(strings.TrimSuffix(disp, rel), "/")
		}
		if t.displayRoot == "" {
			t.displayRoot = "."
		}
	}
	var all []*kustomization
	for _, in := range inputs {
		k, ns := t.load(filepath.Dir(in.Real))
		res.Notices = append(res.Notices, ns...)
		if k != nil && k.real == in.Real {
			all = append(all, k)
		}
	}
	// a kustomization another one uses (as a resource or a component) is
	// deployed through that one, not on its own
	used := map[string]bool{}
	for _, k := range all {
		for _, e := range append(append([]entry(nil), k.resources...), k.components...) {
			if t.fs.IsDir(e.value) {
				used[e.value] = true
			}
		}
	}
	reached := map[*kustomization]bool{}
	for _, k := range all {
		if used[k.dir] || k.component {
			continue
		}
		res.Overlays = append(res.Overlays, t.buildSafely(k, reached))
	}
	// kustomizations that only use each other (a cycle) have no overlay
	// above them: build them so that kustomize says what is wrong, rather
	// than pass over them in silence
	for _, k := range all {
		if !reached[k] && !k.component {
			res.Overlays = append(res.Overlays, t.buildSafely(k, reached))
		}
	}
	for _, r := range t.fs.Consumed() {
		res.Consumed[t.display(r)] = true
	}
	// a kustomization file is never a manifest; the ones no overlay
	// reached (a component alone) are consumed too, and so is every file a
	// kustomization names, even where it cannot be read from this root (a
	// pre-commit run given an overlay and its patch, but not the base)
	for _, k := range all {
		res.Consumed[k.file] = true
		for _, n := range k.named {
			res.Consumed[n] = true
		}
	}
}

// graph is what an overlay reaches: its kustomizations (bases and
// components), the files they name, and for each resource file the chain of
// kustomizations from the overlay down to the one that lists it.
type graph struct {
	owner   map[string][]*kustomization // real resource file → chain, overlay first
	files   []string                    // real files the graph names
	reached []*kustomization
}

// walk collects the kustomizations reachable from k, the chain that leads
// to each resource file, and the first refusal met.
func (t *tree) walk(k *kustomization, chain []*kustomization, g *graph, seen map[*kustomization]bool, notices *[]model.Notice) *refusal {
	if seen[k] {
		return nil
	}
	seen[k] = true
	g.reached = append(g.reached, k)
	chain = append(chain[:len(chain):len(chain)], k)
	g.files = append(g.files, k.real)
	first := k.refused // the local files are still the overlay's: keep walking
	for _, p := range k.patches {
		if p.file != "" {
			g.files = append(g.files, p.file)
		}
	}
	for _, e := range append(append([]entry(nil), k.resources...), k.components...) {
		if t.fs.IsDir(e.value) {
			sub, ns := t.load(e.value)
			*notices = append(*notices, ns...)
			if sub == nil {
				continue // kustomize says what is wrong
			}
			if r := t.walk(sub, chain, g, seen, notices); r != nil && first == nil {
				first = r
			}
			continue
		}
		real, err := t.fs.real(e.value)
		if err != nil {
			continue
		}
		g.files = append(g.files, real)
		if _, ok := g.owner[real]; !ok {
			g.owner[real] = chain
		}
	}
	return first
}

// buildSafely is build, with a panic (a bug here, on input no test had)
// turned into a failed overlay: one overlay must not lose the whole scan.
func (t *tree) buildSafely(k *kustomization, reached map[*kustomization]bool) (ov *Overlay) {
	defer func() {
		if r := recover(); r != nil {
			loc := model.Location{File: k.file, Line: 1, Col: 1}
			msg := fmt.Sprintf("internal error while building this overlay (please report it): %v", safetext.Panic(r))
			ov = &Overlay{File: k.file, Dir: k.display, Result: model.Rendering{Kind: model.RenderKustomize, Path: k.display, Failed: true, Err: msg, Loc: loc},
				Notices: []model.Notice{{Level: model.NoticeError, Loc: loc, Message: "overlay " + k.display + " was not checked: " + msg}}}
		}
	}()
	return t.build(k, reached)
}

// build builds one overlay.
func (t *tree) build(k *kustomization, reached map[*kustomization]bool) *Overlay {
	ov := &Overlay{File: k.file, Dir: k.display, Result: model.Rendering{Kind: model.RenderKustomize, Path: k.display}}
	g := &graph{owner: map[string][]*kustomization{}}
	fail := func(loc model.Location, msg string) *Overlay {
		if loc.File == "" {
			loc = model.Location{File: k.file, Line: 1, Col: 1}
		}
		ov.Result.Failed, ov.Result.Err, ov.Result.Loc = true, msg, loc
		ov.Notices = append(ov.Notices, model.Notice{Level: model.NoticeError, Loc: loc,
			Message: "overlay " + k.display + " could not be built and was not checked: " + msg})
		return ov
	}
	r := t.walk(k, nil, g, map[*kustomization]bool{}, &ov.Notices)
	for _, x := range g.reached {
		reached[x] = true
	}
	if r != nil && r.noticed {
		// the kustomization's own notice says why; record the failure only
		ov.Result.Failed, ov.Result.Err, ov.Result.Loc = true, r.reason, r.loc
		return ov
	}
	if r != nil {
		for _, f := range g.files {
			t.fs.record(f)
		}
		return fail(r.loc, r.reason)
	}
	for _, f := range g.files {
		t.fs.record(f)
	}
	if k.doc == nil {
		return fail(model.Location{}, "the kustomization is empty")
	}
	// origin annotations tell which resource file each object comes from
	text, userOrigins, err := withOriginAnnotations(k.doc.Root)
	if err != nil {
		return fail(model.Location{}, err.Error())
	}
	t.fs.override[k.real] = text
	defer delete(t.fs.override, k.real)

	opts := krusty.MakeDefaultOptions()
	opts.LoadRestrictions = types.LoadRestrictionsRootOnly
	opts.PluginConfig = types.DisabledPluginConfig()
	m, err := runSafely(krusty.MakeKustomizer(opts), t.fs, k.dir)
	if err != nil {
		return fail(t.blame(k, err.Error()), t.clean(err.Error()))
	}
	res := m.Resources()
	origins := make([]*resource.Origin, len(res))
	for i, r := range res {
		origins[i], _ = r.GetOrigin()
	}
	if !userOrigins {
		if err := m.RemoveOriginAnnotations(); err != nil {
			return fail(model.Location{}, t.clean(err.Error()))
		}
	}
	for i, r := range res {
		origin := origins[i]
		text, err := r.AsYAML()
		if err != nil {
			ov.Notices = append(ov.Notices, model.Notice{Level: model.NoticeError, Loc: model.Location{File: k.file, Line: 1, Col: 1},
				Message: "a built object of overlay " + k.display + " could not be read and was not checked: " + t.clean(err.Error())})
			continue
		}
		ov.Docs = append(ov.Docs, Doc{Text: text, Origin: t.origin(k, g, r, origin, text)})
	}
	ov.Result.Objects = len(ov.Docs)
	return ov
}

// runSafely turns a panic inside kustomize into an error: input must never
// crash a scan.
func runSafely(kz *krusty.Kustomizer, fs *confinedFS, dir string) (m resmap.ResMap, err error) {
	defer quiet()()
	defer func() {
		if r := recover(); r != nil {
			m, err = nil, fmt.Errorf("kustomize failed on this input: %v", r)
		}
	}()
	rm, err := kz.Run(fs, dir)
	if err != nil {
		return nil, err
	}
	return rm, nil
}

// quiet silences what kustomize prints while it builds (deprecation
// warnings straight to standard error, log lines that may quote values):
// a scan's output is its report only. It returns the function that
// restores both. Builds run one at a time (see mu).
func quiet() func() {
	mu.Lock()
	stderr, logOut := os.Stderr, log.Writer()
	log.SetOutput(io.Discard)
	if null, err := os.OpenFile(os.DevNull, os.O_WRONLY, 0); err == nil {
		os.Stderr = null
		return func() {
			os.Stderr = stderr
			null.Close()
			log.SetOutput(logOut)
			mu.Unlock()
		}
	}
	return func() {
		log.SetOutput(logOut)
		mu.Unlock()
	}
}

// mu serialises builds: quiet swaps process-wide writers.
var mu sync.Mutex

// withOriginAnnotations returns the kustomization with buildMetadata
// originAnnotations added, and whether the user had asked for them.
func withOriginAnnotations(root *yaml.Node) ([]byte, bool, error) {
	var n yaml.Node
	b, err := yaml.Marshal(root)
	if err != nil {
		return nil, false, err
	}
	if err := yaml.Unmarshal(b, &n); err != nil {
		return nil, false, err
	}
	m := deref(&n)
	if m == nil || m.Kind != yaml.MappingNode {
		return nil, false, fmt.Errorf("the kustomization must be a mapping")
	}
	bm := mapGet(m, "buildMetadata")
	asked := false
	if bm == nil || bm.Kind != yaml.SequenceNode {
		bm = &yaml.Node{Kind: yaml.SequenceNode, Tag: "!!seq"}
		m.Content = append(m.Content, &yaml.Node{Kind: yaml.ScalarNode, Tag: "!!str", Value: "buildMetadata"}, bm)
	}
	for _, it := range bm.Content {
		if it.Value == types.OriginAnnotations {
			asked = true
		}
	}
	if !asked {
		bm.Content = append(bm.Content, &yaml.Node{Kind: yaml.ScalarNode, Tag: "!!str", Value: types.OriginAnnotations})
	}
	out, err := yaml.Marshal(m)
	return out, asked, err
}

// longValue is a bracketed or quoted stretch of an error message that
// could quote input text (kustomize quotes a patch it cannot parse).
var longValue = regexp.MustCompile("`[^`]*`" + `|\[[^\]]{40,}\]|'[^']{80,}'|"[^"]{80,}"|\{[^}]{40,}\}|anchor '[^']*'`)

// clean makes a kustomize error fit a notice: real paths become display
// paths, quoted input is withheld, one line.
func (t *tree) clean(s string) string {
	if t.baseDir != "" {
		s = strings.ReplaceAll(s, t.baseDir+string(filepath.Separator), "")
	}
	s = strings.ReplaceAll(s, t.fs.root+string(filepath.Separator), strings.TrimSuffix(t.displayRoot, ".")+sepIf(t.displayRoot))
	s = strings.ReplaceAll(s, t.fs.root, t.displayRoot)
	s = longValue.ReplaceAllString(s, "[…]")
	if i := strings.Index(s, " patch from "); i >= 0 {
		s = s[:i] + " patch from […]" // the patch text follows, up to the end
	}
	if i := strings.IndexByte(s, '\n'); i >= 0 {
		s = s[:i]
	}
	if len(s) > 480 {
		// kustomize nests its errors: keep the first step and the cause
		s = s[:200] + " … " + s[len(s)-240:]
	}
	return s
}

// blame finds the entry of k that a kustomize error names ("accumulating
// resources from '../b'", a patch file, the object a strategic-merge patch
// names: "no resource matches strategic merge patch
// \"Deployment.v1.apps/web.[noNs]\""), or returns the zero location (line 1).
func (t *tree) blame(k *kustomization, msg string) model.Location {
	for _, e := range append(append([]entry(nil), k.resources...), k.components...) {
		if e.text != "" && strings.Contains(msg, "'"+e.text+"'") {
			return e.loc
		}
	}
	for _, p := range k.patches {
		if p.file != "" && strings.Contains(msg, filepath.Base(p.file)) {
			return p.loc
		}
	}
	for _, p := range k.patches {
		var docs []parsedDoc
		if p.file != "" {
			docs = t.parsed(p.file, nil, 0)
		} else if n := p.inline.Node(); n != nil {
			docs = t.parsed(k.real+"\x00blame:"+strconv.Itoa(n.Line), []byte(n.Value), 0)
		}
		for _, d := range docs {
			meta := mapGet(d.root, "metadata")
			kind, name := mapGet(d.root, "kind"), mapGet(meta, "name")
			ns := "[noNs]"
			if n := mapGet(meta, "namespace"); n != nil && n.Value != "" {
				ns = n.Value
			}
			if kind != nil && name != nil && strings.Contains(msg, "\""+kind.Value+".") && strings.Contains(msg, "/"+name.Value+"."+ns+"\"") {
				return p.loc
			}
		}
	}
	return model.Location{}
}

func sepIf(displayRoot string) string {
	if displayRoot == "." || displayRoot == "" {
		return ""
	}
	return "/"
}

// origin places the keys of one built object on its base and patches.
func (t *tree) origin(top *kustomization, g *graph, r *resource.Resource, o *resource.Origin, text []byte) *Origin {
	var built yaml.Node
	if err := yaml.Unmarshal(text, &built); err != nil {
		return &Origin{header: place{file: top.file, line: 1, col: 1, keyEnd: 2}}
	}
	header := place{file: top.file, line: 1, col: 1, keyEnd: 2}
	kind, name := r.GetKind(), r.GetName()
	var sources []*source
	var chain []*kustomization
	if o != nil && o.Path != "" {
		real, err := t.fs.real(filepath.Join(top.dir, filepath.FromSlash(o.Path)))
		if err == nil {
			if src, hdr, ok := t.baseSource(real, kind, name); ok {
				sources = append(sources, src)
				header = hdr
			} else {
				// a document isolint cannot match (a List item): its file
				header = place{file: t.display(real), line: 1, col: 1, keyEnd: 2}
			}
			chain = g.owner[real]
		}
	} else if o != nil && o.ConfiguredIn != "" {
		// a generated object: its generator's entry
		real, err := t.fs.real(filepath.Join(top.dir, filepath.FromSlash(o.ConfiguredIn)))
		if err == nil {
			if gk, _ := t.load(filepath.Dir(real)); gk != nil && gk.doc != nil {
				header = place{file: gk.file, line: 1, col: 1, keyEnd: 2}
				for _, key := range []string{"configMapGenerator", "secretGenerator"} {
					if v := gk.doc.Value().Get(key); v.Exists() {
						l := v.KeyLoc()
						header = place{file: l.File, line: l.Line, col: l.Col, keyEnd: l.EndCol}
					}
				}
			}
		}
	}
	transformers := map[string]place{}
	if len(chain) == 0 {
		chain = []*kustomization{top}
	}
	// the namespace a kustomization sets: the highest one wins
	for i := len(chain) - 1; i >= 0; i-- {
		if ns := chain[i].namespace; ns.value != "" {
			transformers["metadata.namespace"] = place{file: ns.loc.File, line: ns.loc.Line, col: ns.loc.Col, keyEnd: ns.loc.Col + len("namespace"), valEnd: ns.loc.EndCol, scalar: true, value: ns.value}
		}
	}
	baseName := name
	if len(sources) > 0 {
		if n := mapGet(mapGet(builtSourceRoot(sources[0]), "metadata"), "name"); n != nil {
			baseName = n.Value
		}
	}
	sources = append(sources, t.patchSources(chain, kind, baseName, r, &built)...)
	return attribute(&built, sources, transformers, header)
}

func builtSourceRoot(s *source) *yaml.Node { return s.root }

// baseSource finds the document of a resource file that a built object
// came from: the same kind, and the name the built one ends with (a
// prefix or suffix may have been added).
func (t *tree) baseSource(real, kind, name string) (*source, place, bool) {
	file := t.display(real)
	var best *yaml.Node
	var bestRaw yamldoc.RawDoc
	bestLen := -1
	for _, d := range t.parsed(real, nil, 0) {
		root, raw := d.root, d.raw
		if k := mapGet(root, "kind"); k == nil || k.Value != kind {
			continue
		}
		nm := ""
		if v := mapGet(mapGet(root, "metadata"), "name"); v != nil {
			nm = v.Value
		}
		if !strings.Contains(name, nm) || len(nm) <= bestLen {
			continue
		}
		best, bestRaw, bestLen = root, raw, len(nm)
	}
	if best == nil {
		return nil, place{}, false
	}
	s := &source{file: file, base: true, nodes: map[string]place{}, root: best}
	s.index(best, "", nil, bestRaw.Line-1, 0)
	hdr := s.nodes[""]
	if k, ok := s.nodes["kind"]; ok {
		hdr = k
	}
	return s, hdr, true
}

// parsedDoc is one document of a resource or patch, parsed once per scan.
type parsedDoc struct {
	raw  yamldoc.RawDoc
	root *yaml.Node
}

// parsed returns the documents of a file (text nil: read through the
// confined file system) or of an inline patch (key names it, its lines
// shifted by lineOff), parsing each once: an overlay of many objects
// looks its sources up many times.
func (t *tree) parsed(key string, text []byte, lineOff int) []parsedDoc {
	if docs, ok := t.cache[key]; ok {
		return docs
	}
	if text == nil {
		b, err := t.fs.ReadFile(key)
		if err != nil {
			t.cache[key] = nil
			return nil
		}
		text = b
	}
	var docs []parsedDoc
	for _, raw := range yamldoc.Split(text) {
		raw.Line += lineOff
		var n yaml.Node
		if yaml.Unmarshal(raw.Bytes, &n) != nil {
			continue
		}
		if root := deref(&n); root != nil {
			docs = append(docs, parsedDoc{raw: raw, root: root})
		}
	}
	t.cache[key] = docs
	return docs
}

// patchSources lists the patches that apply to an object, in the order
// kustomize applies them: the deepest kustomization first, each one's
// components before its own patches.
func (t *tree) patchSources(chain []*kustomization, kind, baseName string, r *resource.Resource, built *yaml.Node) []*source {
	var out []*source
	names := []string{baseName}
	cur := baseName
	for i := len(chain) - 1; i >= 0; i-- {
		k := chain[i]
		var ks []*kustomization
		for _, c := range k.components {
			if ck, _ := t.load(c.value); ck != nil {
				ks = append(ks, ck)
			}
		}
		ks = append(ks, k)
		for _, kk := range ks {
			for _, p := range kk.patches {
				out = append(out, t.patchDocs(kk, p, kind, names, r, built)...)
			}
		}
		cur = k.namePrefix + cur + k.nameSuffix
		names = append(names, cur)
	}
	return out
}

// patchDocs parses one patch entry and returns the documents of it that
// target the object.
func (t *tree) patchDocs(k *kustomization, p patch, kind string, names []string, r *resource.Resource, built *yaml.Node) []*source {
	var file string
	var docs []parsedDoc
	colOff := 0
	if p.file != "" {
		file = t.display(p.file)
		docs = t.parsed(p.file, nil, 0)
	} else {
		n := p.inline.Node()
		if n == nil {
			return nil
		}
		file = k.file
		line := p.inline.Loc().Line
		key := k.real + "\x00" + strconv.Itoa(n.Line) + ":" + strconv.Itoa(n.Column)
		if n.Style&(yaml.LiteralStyle|yaml.FoldedStyle) != 0 {
			// a block scalar's text starts on the next line, indented
			colOff = blockIndent(k, n)
			docs = t.parsed(key, []byte(n.Value), n.Line+k.doc.Raw.Line-1)
		} else {
			// a flow or quoted patch: every key sits on the entry
			docs = t.parsed(key, []byte(n.Value), line-1)
			colOff = -1
		}
	}
	var out []*source
	for _, d := range docs {
		root, raw := d.root, d.raw
		if p.target != nil && !p.target.matches(r, kind, names) {
			continue
		}
		var s *source
		switch {
		case root.Kind == yaml.SequenceNode:
			s = jsonPatchSource(file, root, built, raw.Line-1, max(colOff, 0))
		case root.Kind == yaml.MappingNode && !p.json:
			if p.target == nil {
				k := mapGet(root, "kind")
				nm := mapGet(mapGet(root, "metadata"), "name")
				if k == nil || k.Value != kind || nm == nil || !contains(names, nm.Value) {
					continue
				}
			}
			s = &source{file: file, nodes: map[string]place{}}
			s.index(root, "", nil, raw.Line-1, max(colOff, 0))
		default:
			continue
		}
		if colOff < 0 {
			// keys of a one-line patch: all on the entry's line
			for key, pl := range s.nodes {
				pl.line, pl.col, pl.keyEnd, pl.valEnd = p.loc.Line, p.loc.Col, p.loc.Col+1, 0
				s.nodes[key] = pl
			}
		}
		out = append(out, s)
	}
	return out
}

// blockIndent is the indentation of a block scalar's text in the file.
func blockIndent(k *kustomization, n *yaml.Node) int {
	lines := strings.Split(string(k.doc.Raw.Bytes), "\n")
	for i := n.Line; i < len(lines); i++ { // n.Line is 1-based: lines[n.Line] is the next line
		l := strings.TrimRight(lines[i], "\r")
		if strings.TrimSpace(l) == "" {
			continue
		}
		return len(l) - len(strings.TrimLeft(l, " "))
	}
	return 0
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

// matches decides whether a patch target selects the object, as kustomize
// does: fields are anchored regular expressions.
func (tg *target) matches(r *resource.Resource, kind string, names []string) bool {
	re := func(pattern, s string) bool {
		if pattern == "" {
			return true
		}
		ok, err := regexp.MatchString("^(?:"+pattern+")$", s)
		return err == nil && ok
	}
	gvk := r.GetGvk()
	if !re(tg.kind, kind) || !re(tg.group, gvk.Group) || !re(tg.version, gvk.Version) || !re(tg.namespace, r.GetNamespace()) && tg.namespace != "" {
		return false
	}
	if tg.name != "" {
		ok := false
		for _, n := range append(names, r.GetName()) {
			if re(tg.name, n) {
				ok = true
				break
			}
		}
		if !ok {
			return false
		}
	}
	if tg.labelSelector != "" && !selects(tg.labelSelector, r.GetLabels()) {
		return false
	}
	if tg.annotationSelector != "" && !selects(tg.annotationSelector, r.GetAnnotations()) {
		return false
	}
	return true
}

// selects evaluates the equality forms of a label selector ("a=b,c!=d,e").
func selects(sel string, labels map[string]string) bool {
	for _, term := range strings.Split(sel, ",") {
		term = strings.TrimSpace(term)
		switch {
		case term == "":
		case strings.Contains(term, "!="):
			kv := strings.SplitN(term, "!=", 2)
			if labels[strings.TrimSpace(kv[0])] == strings.TrimSpace(kv[1]) {
				return false
			}
		case strings.Contains(term, "="):
			kv := strings.SplitN(strings.Replace(term, "==", "=", 1), "=", 2)
			if v, ok := labels[strings.TrimSpace(kv[0])]; !ok || v != strings.TrimSpace(kv[1]) {
				return false
			}
		case strings.HasPrefix(term, "!"):
			if _, ok := labels[strings.TrimPrefix(term, "!")]; ok {
				return false
			}
		case strings.Contains(term, " in ") || strings.Contains(term, " notin "):
			// set-based terms: not evaluated; assume the patch applies
		default:
			if _, ok := labels[term]; !ok {
				return false
			}
		}
	}
	return true
}
