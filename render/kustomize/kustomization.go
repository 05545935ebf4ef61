package kustomize

import (
	"path"
	"path/filepath"
	"strings"

	"github.com/isolint/isolint/internal/safetext"

	"github.com/isolint/isolint/model"
	"github.com/isolint/isolint/scanners/yamldoc"
)

// fileNames are the names kustomize looks for in a directory, in its order.
var fileNames = []string{"kustomization.yaml", "kustomization.yml", "Kustomization"}

// IsKustomization reports whether p names a kustomization file.
func IsKustomization(p string) bool {
	b := path.Base(filepath.ToSlash(p))
	for _, n := range fileNames {
		if b == n {
			return true
		}
	}
	return false
}

// kustomization is what isolint reads of a kustomization file itself,
// with positions: the entries that name other files (to find bases, refuse
// remote ones and know which files a build consumes) and the patches and
// name transformations (to place a built key on the line that set it).
type kustomization struct {
	file    string // display path
	real    string // real path of the file
	dir     string // real directory
	display string // display directory
	doc     *yamldoc.Doc

	component  bool
	resources  []entry // resources and the deprecated bases
	components []entry
	patches    []patch
	namespace  entry
	namePrefix string
	nameSuffix string
	// refused is the first entry that keeps the overlay from being built
	// here (a remote base, Helm inflation), with the reason.
	refused *refusal
	// named are the display paths of the local files and folders it
	// names, whether or not they can be read from here: a patch file named
	// by an overlay that cannot be built is still no manifest of its own.
	named []string
}

// entry is a string the kustomization names, where it is written.
type entry struct {
	value string // the real path, for files and folders
	text  string // as written
	loc   model.Location
}

// patch is one patch the kustomization applies: a file or inline text,
// strategic merge or JSON 6902, with the target it names, if any.
type patch struct {
	file   string         // real path of a patch file; "" when inline
	inline yamldoc.Value  // the inline patch's scalar
	target *target        // nil: the patch names its target (strategic merge)
	json   bool           // written under patchesJson6902 (else decided by content)
	loc    model.Location // the entry
}

// target is a patch's target selector: kustomize matches its fields as
// anchored regular expressions, the selectors as label selectors.
type target struct {
	group, version, kind, name, namespace string
	labelSelector, annotationSelector     string
}

type refusal struct {
	loc     model.Location
	reason  string
	noticed bool // a notice already says so
}

// remoteLike reports an entry kustomize would fetch: a URL or a git
// repository spec (github.com/org/repo//path?ref=v1, git@host:org/repo).
func remoteLike(s string) bool {
	return strings.Contains(s, "://") || strings.HasPrefix(s, "git@") || strings.HasPrefix(s, "github.com/") ||
		strings.HasPrefix(s, "gitlab.com/") || strings.HasPrefix(s, "bitbucket.org/") || strings.Contains(s, "?ref=") ||
		strings.Contains(s, "?version=") || strings.Contains(s, ".git//") || strings.HasSuffix(s, ".git")
}

// inlineText reports a patchesStrategicMerge item that is a patch written
// inline rather than a file name.
func inlineText(s string) bool { return strings.ContainsAny(s, "\n:") }

// readKustomization parses a kustomization file. fs confines every name it
// checks; it never fetches anything.
func readKustomization(fs *confinedFS, real, display string, content []byte) (*kustomization, []model.Notice) {
	k := &kustomization{file: display, real: real, dir: filepath.Dir(real), display: path.Dir(display)}
	raws := yamldoc.Split(content)
	if len(raws) == 0 {
		return k, nil
	}
	doc, err := yamldoc.Parse(display, raws[0])
	if err != nil {
		n := yamldoc.ParseNotice(display, raws[0], err, "the kustomization is not valid YAML: ", "the kustomization could not be read: ")
		k.refused = &refusal{loc: n.Loc, reason: "the kustomization is not valid YAML", noticed: true}
		return k, []model.Notice{n}
	}
	k.doc = doc
	root := doc.Value()
	k.component = root.Get("kind").Text() == "Component"
	local := func(v yamldoc.Value, what string) (string, bool) {
		s, ok := v.Str()
		if !ok || s == "" {
			return "", false
		}
		if remoteLike(s) {
			k.refuse(v.Loc(), what+" "+safetext.RedactURL(s)+" is remote (isolint fetches nothing)")
			return "", false
		}
		if filepath.IsAbs(s) {
			k.refuse(v.Loc(), what+" "+s+" is an absolute path")
			return "", false
		}
		k.named = append(k.named, path.Clean(path.Join(k.display, s)))
		p := filepath.Join(k.dir, filepath.FromSlash(s))
		if !fs.Exists(p) {
			k.refuse(v.Loc(), what+" "+s+" does not exist inside the scanned root or its git work tree (scan a folder that holds the overlay and its bases)")
			return "", false
		}
		return p, true
	}
	for _, key := range []string{"resources", "bases"} {
		for _, it := range root.Get(key).Items() {
			if p, ok := local(it, "resource"); ok {
				k.resources = append(k.resources, entry{value: p, text: it.Text(), loc: it.Loc()})
			}
		}
	}
	for _, it := range root.Get("components").Items() {
		if p, ok := local(it, "component"); ok {
			k.components = append(k.components, entry{value: p, text: it.Text(), loc: it.Loc()})
		}
	}
	for _, it := range root.Get("patchesStrategicMerge").Items() {
		s := it.Text()
		if inlineText(s) {
			k.patches = append(k.patches, patch{inline: it, loc: it.Loc()})
		} else if p, ok := local(it, "patch"); ok {
			k.patches = append(k.patches, patch{file: p, loc: it.Loc()})
		}
	}
	for _, key := range []string{"patches", "patchesJson6902"} {
		for _, it := range root.Get(key).Items() {
			pt := patch{json: key == "patchesJson6902", loc: it.Loc()}
			if it.IsScalar() {
				p, ok := local(it, "patch")
				if !ok {
					continue
				}
				pt.file = p
			} else {
				if t := it.Get("target"); t.IsMap() {
					pt.target = &target{
						group: t.Get("group").Text(), version: t.Get("version").Text(), kind: t.Get("kind").Text(),
						name: t.Get("name").Text(), namespace: t.Get("namespace").Text(),
						labelSelector: t.Get("labelSelector").Text(), annotationSelector: t.Get("annotationSelector").Text(),
					}
				}
				switch {
				case it.Get("path").Exists():
					p, ok := local(it.Get("path"), "patch")
					if !ok {
						continue
					}
					pt.file = p
				case it.Get("patch").IsScalar():
					pt.inline = it.Get("patch")
				default:
					continue
				}
			}
			k.patches = append(k.patches, pt)
		}
	}
	// other names kustomize loads: refuse what it would fetch
	for _, key := range []string{"configurations", "crds", "transformers", "generators", "validators"} {
		for _, it := range root.Get(key).Items() {
			if s := it.Text(); s != "" && !inlineText(s) {
				local(it, key+" entry")
			}
		}
	}
	for _, key := range []string{"configMapGenerator", "secretGenerator"} {
		for _, g := range root.Get(key).Items() {
			for _, f := range append(g.Get("files").Items(), g.Get("envs").Items()...) {
				s := f.Text()
				if i := strings.IndexByte(s, '='); i >= 0 {
					s = s[i+1:] // key=path
				}
				if remoteLike(s) {
					k.refuse(g.Loc(), key+" reads a remote file (isolint fetches nothing)")
				}
			}
			if s := g.Get("env").Text(); remoteLike(s) {
				k.refuse(g.Get("env").Loc(), key+" reads a remote file (isolint fetches nothing)")
			}
		}
	}
	for _, it := range root.Get("replacements").Items() {
		if p := it.Get("path"); p.Exists() {
			local(p, "replacement")
		}
	}
	if p := root.Get("openapi").Get("path"); p.Exists() {
		local(p, "openapi")
	}
	for _, key := range []string{"helmCharts", "helmChartInflationGenerator", "helmGlobals"} {
		if v := root.Get(key); v.Exists() {
			k.refuse(v.KeyLoc(), key+": Helm charts inflated by a kustomization are not rendered (scan the chart folder itself)")
		}
	}
	k.namespace = entry{value: root.Get("namespace").Text(), loc: root.Get("namespace").Loc()}
	k.namePrefix = root.Get("namePrefix").Text()
	k.nameSuffix = root.Get("nameSuffix").Text()
	return k, doc.Notices
}

func (k *kustomization) refuse(loc model.Location, reason string) {
	if k.refused == nil {
		k.refused = &refusal{loc: loc, reason: reason}
	}
}
