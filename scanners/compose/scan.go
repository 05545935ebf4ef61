package compose

import (
	"errors"
	"io/fs"
	"path"
	"path/filepath"
	"strconv"
	"strings"

	"github.com/isolint/isolint/internal/safetext"
	"github.com/isolint/isolint/model"
	"github.com/isolint/isolint/scanners/yamldoc"
	"github.com/isolint/isolint/source"
)

// maxSideFile bounds the .env, env_file and extends files read beside a
// compose file.
const maxSideFile = 1 << 20

// scan is the lowering of one compose file.
type scan struct {
	f *source.File
	p *model.Project
	// rootDir is the compose file's directory relative to the scan root,
	// slash-separated ("." at the root; "" when the root is not known).
	rootDir string

	env     *environment // the project's .env, read on first use
	envRead bool

	others   map[string]*otherFile // extends files, by path relative to the compose file
	envFiles map[string]*envFile   // env_file keys, by path relative to the compose file
}

// otherFile is a compose file named by `extends.file`.
type otherFile struct {
	services yamldoc.Value
	err      error
}

// errNoServices: a Compose file that defines no services.
var errNoServices = errors.New("it has no services")

// envFile is an env_file's keys, and those whose value has a credential's
// shape (a Stripe key, a URL with a password: model.TokenKind); values
// themselves are not kept.
type envFile struct {
	display  string
	keys     []string
	credKeys map[string]string
	err      error
}

// environment returns the variables of the .env file beside the compose
// file (none when there is no such file inside the scanned root).
func (s *scan) environment() *environment {
	if s.envRead {
		return s.env
	}
	s.envRead = true
	s.env = &environment{vars: map[string]variable{}}
	b, display, err := s.f.ReadSibling(".env", maxSideFile)
	if err != nil {
		if !errors.Is(err, fs.ErrNotExist) && !errors.Is(err, source.ErrOutsideRoot) {
			s.note(model.NoticeNote, model.Location{File: s.f.Path}, ".env beside this file was not read ("+source.ErrText(err)+"); variables it may set are treated as unknown")
		}
		return s.env
	}
	entries, problems := parseEnvFile(b, display, nil)
	for _, e := range entries {
		s.env.vars[e.key] = variable{value: e.value, unknown: e.unknown,
			loc: model.Location{File: display, Line: e.line, Col: e.col, EndLine: e.line, EndCol: e.col + len(e.key), Path: e.key}}
	}
	s.envProblems(display, ".env", problems)
	return s.env
}

// envProblems notices the first line of an env file Compose would reject
// (a binary or foreign file would otherwise give one notice per line).
func (s *scan) envProblems(display, what string, problems []envProblem) {
	if len(problems) == 0 {
		return
	}
	msg := "this " + what + " line " + problems[0].msg
	if n := len(problems) - 1; n > 0 {
		msg += " (and " + strconv.Itoa(n) + " more lines)"
	}
	s.note(model.NoticeWarning, model.Location{File: display, Line: problems[0].line, Col: 1}, msg+"; docker compose would reject the file")
}

func (s *scan) note(level model.NoticeLevel, loc model.Location, msg string) {
	s.p.Notices = append(s.p.Notices, model.Notice{Level: level, Loc: loc, Message: msg})
}

// document lowers the services of one YAML document.
func (s *scan) document(doc *yamldoc.Doc) {
	root := doc.Value()
	if !root.IsMap() {
		if root.Exists() && !root.IsNull() {
			doc.Notice(root, model.NoticeWarning, "a Compose file must be a mapping, got %s", root.KindName())
		}
		return
	}
	s.includes(root.Get("include"))
	svcs := root.Get("services")
	if !svcs.Exists() {
		if looksLikeV1(root) {
			s.note(model.NoticeNote, model.Location{File: s.f.Path, Line: doc.Raw.Line, Col: 1},
				"Compose file format v1 (services at the top level, no services: key) is not read by docker compose v2; not checked")
		}
		return
	}
	if !svcs.ExpectMap() {
		return
	}
	p := &project{scan: s, doc: doc, top: root, services: svcs, byName: map[string]*lowered{}}
	for _, pair := range svcs.Pairs() {
		v := pair.Value.WithObject("service/" + pair.Key)
		if !v.IsMap() {
			if v.IsNull() {
				doc.Notice(v, model.NoticeWarning, "%s must be a mapping (a service definition), got null", v.Path())
			} else {
				v.ExpectMap()
			}
			continue
		}
		p.lower(pair.Key, v)
	}
	p.resolveReferences()
	for _, l := range p.order {
		s.p.Workloads = append(s.p.Workloads, l.w)
	}
}

// includes checks the files a top-level `include:` names
// (https://docs.docker.com/reference/compose-file/include/): each is its own
// Compose file, relative to this one, whose services join the project. A
// local file that exists is checked when it is scanned itself; one that
// cannot be read leaves its services unchecked, and the notice says so.
func (s *scan) includes(inc yamldoc.Value) {
	if !inc.Exists() || inc.IsNull() {
		return
	}
	var entries []yamldoc.Value
	if inc.IsSeq() {
		entries = inc.Items()
	} else {
		entries = []yamldoc.Value{inc}
	}
	for _, e := range entries {
		var paths []yamldoc.Value
		switch {
		case e.IsMap():
			if pv := e.Get("path"); pv.IsSeq() {
				paths = pv.Items()
			} else if pv.Exists() {
				paths = []yamldoc.Value{pv}
			}
		default:
			paths = []yamldoc.Value{e}
		}
		for _, pv := range paths {
			rel, ok := pv.Str()
			if !ok || rel == "" {
				continue
			}
			doc := pv.Doc()
			switch {
			case isRemote(rel):
				// named without what may carry a credential
				// (https://user:token@host/…, ?private_token=…)
				doc.Notice(pv, model.NoticeError, "included Compose file %s is remote and was not read (isolint fetches nothing); the services it defines were not checked", strconv.Quote(safetext.RedactURL(rel)))
				continue
			case strings.Contains(rel, "$"):
				doc.Notice(pv, model.NoticeError, "included Compose file %s names a variable and was not read; the services it defines were not checked", strconv.Quote(rel))
				continue
			}
			of := s.other(rel)
			switch {
			case of.err == nil:
			case errors.Is(of.err, fs.ErrNotExist):
				doc.Notice(pv, model.NoticeWarning, "included Compose file %s does not exist; docker compose would reject this project", strconv.Quote(rel))
			case errors.Is(of.err, source.ErrOutsideRoot):
				doc.Notice(pv, model.NoticeError, "included Compose file %s lies outside the scanned root and was not read; the services it defines were not checked", strconv.Quote(rel))
			case errors.Is(of.err, errNoServices):
				// networks, volumes or configs only: nothing to check
			default:
				doc.Notice(pv, model.NoticeError, "included Compose file %s could not be read (%s); the services it defines were not checked", strconv.Quote(rel), source.ErrText(of.err))
			}
		}
	}
}

// looksLikeV1 reports a legacy (v1) compose file: top-level keys that are
// services with an image or a build.
func looksLikeV1(root yamldoc.Value) bool {
	for _, p := range root.Pairs() {
		if p.Value.IsMap() && (p.Value.Get("image").Exists() || p.Value.Get("build").Exists()) {
			return true
		}
	}
	return false
}

// project is one document's services while they are lowered.
type project struct {
	scan     *scan
	doc      *yamldoc.Doc
	top      yamldoc.Value // the document root
	services yamldoc.Value
	byName   map[string]*lowered
	order    []*lowered
}

// lowered is one service's workload and the references to other services
// that are resolved once every service is lowered.
type lowered struct {
	w    *model.Workload
	c    *model.Container
	refs []reference
}

// referenceKind is a setting that names another service.
type referenceKind int

const (
	refNetwork referenceKind = iota // network_mode: service:x
	refPID                          // pid: service:x
	refIPC                          // ipc: service:x
	refVolumes                      // volumes_from: x
)

type reference struct {
	kind    referenceKind
	service string
	loc     model.Location
	via     []model.Related
	ro      bool // volumes_from x:ro
}

// layer is one service definition that contributes to a service: the
// service itself, then the service it extends, and so on.
type layer struct {
	svc  yamldoc.Value
	name string
	// file is the layer's file relative to the compose file's directory
	// ("" for the compose file itself), and dir that file's directory
	// ("" for the compose file's own); relative paths in the layer are
	// relative to dir, as Compose resolves them.
	file, dir string
	// via are the extends use sites crossed to reach the layer.
	via []model.Related
}

// field is a value read from one layer.
type field struct {
	yamldoc.Value
	l *layer
}

// service is a service as its layers define it.
type service struct {
	name   string
	layers []*layer
}

// resetTag and overrideTag are Compose's merge tags: !reset drops what a
// lower layer set, !override replaces it instead of merging.
const (
	resetTag    = "!reset"
	overrideTag = "!override"
)

func tag(v yamldoc.Value) string {
	if n := v.Node(); n != nil {
		return n.Tag
	}
	return ""
}

// get returns the value of key in the highest layer that sets it.
func (sv *service) get(key string) field {
	for _, l := range sv.layers {
		v := l.svc.Get(key)
		if !v.Exists() {
			continue
		}
		if tag(v) == resetTag {
			return field{}
		}
		return field{v, l}
	}
	return field{}
}

// each returns the values of key from the lowest layer up, as Compose
// merges lists and mappings across `extends`.
func (sv *service) each(key string) []field {
	var out []field
	for _, l := range sv.layers {
		v := l.svc.Get(key)
		if !v.Exists() {
			continue
		}
		if tag(v) == resetTag {
			break
		}
		out = append(out, field{v, l})
		if tag(v) == overrideTag {
			break
		}
	}
	for i, j := 0, len(out)-1; i < j; i, j = i+1, j-1 {
		out[i], out[j] = out[j], out[i]
	}
	return out
}

// top is the service's own definition.
func (sv *service) top() *layer { return sv.layers[0] }

// missing is where a key the service does not set belongs: the service's
// own key, marked Synthetic.
func (sv *service) missing(key string) model.Location {
	return sv.top().svc.Synthetic(key)
}

// maxExtends bounds an extends chain.
const maxExtends = 16

// resolveExtends follows a service's extends chain. partial is true when a
// base could not be read.
func (p *project) resolveExtends(name string, v yamldoc.Value) (sv *service, partial bool) {
	sv = &service{name: name, layers: []*layer{{svc: v, name: name}}}
	seen := map[string]bool{"\x00" + name: true} // file and service of each layer
	services := p.services
	for range maxExtends {
		cur := sv.layers[len(sv.layers)-1]
		ext := cur.svc.Get("extends")
		if !ext.Exists() || ext.IsNull() {
			return sv, partial
		}
		var ref, file model.String
		refField := field{ext, cur}
		switch {
		case ext.IsScalar():
			ref = p.str(refField)
		case ext.IsMap():
			ref = p.str(field{ext.Get("service"), cur})
			if fv := ext.Get("file"); fv.Exists() {
				file = p.str(field{fv, cur})
			}
		default:
			p.doc.Notice(ext, model.NoticeWarning, "%s must be a service name or a mapping with service and file, got %s", ext.Path(), ext.KindName())
			return sv, true
		}
		if !ref.Known() || ref.Value == "" || file.Set && !file.Known() {
			return sv, true // a base named by an unresolved variable
		}
		dir, fileRel := cur.dir, cur.file
		if file.Set {
			rel := path.Join(cur.dir, file.Value)
			if path.IsAbs(file.Value) {
				rel = file.Value
			}
			if isRemote(file.Value) {
				// named without what may carry a credential
				// what the base sets is unknown: not checked in full, as for
				// a base outside the root (extendsNotice)
				p.scan.note(model.NoticeError, ext.Get("file").Loc(), "extends file "+safetext.RedactURL(file.Value)+" is remote and was not read; the service was checked without its base")
				return sv, true
			}
			of := p.scan.other(rel)
			if of.err != nil {
				p.extendsNotice(ext, file, of.err)
				return sv, true
			}
			services = of.services
			fileRel = path.Clean(rel)
			dir = path.Dir(rel)
			if dir == "." {
				dir = ""
			}
		}
		key := fileRel + "\x00" + ref.Value
		if seen[key] {
			p.doc.Notice(ext, model.NoticeWarning, "%s leads back to service %q, a cycle; docker compose would reject it", ext.Path(), ref.Value)
			return sv, true
		}
		seen[key] = true
		base := services.Get(ref.Value)
		if !base.IsMap() {
			if base.Exists() {
				return sv, true // not a mapping: noticed when that service is lowered
			}
			p.doc.Notice(ext, model.NoticeWarning, "%s names service %q, which is not defined; docker compose would reject it", ext.Path(), ref.Value)
			return sv, true
		}
		use := model.Related{Loc: ext.KeyLoc(), Message: "inherited by service " + name + " through extends"}
		via := append(append([]model.Related(nil), cur.via...), use)
		sv.layers = append(sv.layers, &layer{svc: base.WithObject("service/" + ref.Value), name: ref.Value, file: fileRel, dir: dir, via: via})
	}
	p.doc.Notice(sv.top().svc.Get("extends"), model.NoticeWarning, "extends chain of service %q is longer than %d", name, maxExtends)
	return sv, true
}

func (p *project) extendsNotice(ext yamldoc.Value, file model.String, err error) {
	at := ext.Get("file")
	switch {
	case errors.Is(err, source.ErrOutsideRoot):
		// what the base sets (privileged, volumes, a user) is unknown: not
		// checked in full
		p.doc.Notice(at, model.NoticeError, "extends file %s lies outside the scanned root and its git work tree and was not read; the service was checked without its base", file.Value)
	case errors.Is(err, fs.ErrNotExist):
		p.doc.Notice(at, model.NoticeWarning, "extends file %s does not exist; docker compose would reject this service", file.Value)
	default:
		p.doc.Notice(at, model.NoticeError, "extends file %s could not be read (%s); the service was checked without its base", file.Value, source.ErrText(err))
	}
}

// workTree is the git work tree display paths are relative to, when it
// holds the scanned root (source.File.WorkTree); "" otherwise.
func (s *scan) workTree() string { return s.f.WorkTree() }

// other reads and parses an extends file once.
func (s *scan) other(rel string) *otherFile {
	if of, ok := s.others[rel]; ok {
		return of
	}
	of := &otherFile{}
	s.others[rel] = of
	b, display, err := s.f.ReadSibling(rel, maxSideFile)
	if errors.Is(err, source.ErrOutsideRoot) {
		// a pre-commit hook names services/api/compose.yaml alone, and it
		// extends ../common.yml: read it from the git work tree around the
		// scan, as a Kustomize overlay's bases are
		if tree := s.workTree(); tree != "" && s.f.Abs != "" {
			abs := filepath.Join(filepath.Dir(s.f.Abs), filepath.FromSlash(rel))
			if b, _, err = source.ReadWithin(abs, tree, maxSideFile); err == nil {
				display = path.Clean(path.Join(path.Dir(s.f.Path), rel))
			}
		}
	}
	if err != nil {
		of.err = err
		return of
	}
	for _, raw := range yamldoc.Split(b) {
		doc, err := yamldoc.Parse(display, raw)
		if err != nil {
			of.err = errors.New("it is not valid YAML")
			return of
		}
		// the file's own notices are reported when it is scanned itself
		if svcs := doc.Value().Get("services"); svcs.IsMap() {
			of.services = svcs
			return of
		}
	}
	of.err = errNoServices
	return of
}

// envFileKeys reads the variable names an env_file sets, once.
func (s *scan) envFileKeys(rel string) *envFile {
	if ef, ok := s.envFiles[rel]; ok {
		return ef
	}
	if s.envFiles == nil {
		s.envFiles = map[string]*envFile{}
	}
	ef := &envFile{}
	s.envFiles[rel] = ef
	b, display, err := s.f.ReadSibling(rel, maxSideFile)
	ef.display = display
	if err != nil {
		ef.err = err
		return ef
	}
	entries, problems := parseEnvFile(b, display, nil)
	seen := map[string]bool{}
	for _, e := range entries {
		if !seen[e.key] {
			seen[e.key] = true
			ef.keys = append(ef.keys, e.key)
		}
		if kind := model.TokenKind(e.value); !e.unknown && kind != "" {
			if ef.credKeys == nil {
				ef.credKeys = map[string]string{}
			}
			ef.credKeys[e.key] = kind
		}
	}
	s.envProblems(display, "env_file", problems)
	return ef
}

// isHostPath reports a bind source that names a host path by itself:
// absolute, home-relative, a Windows drive or a named pipe.
func isHostPath(p string) bool {
	if p == "" {
		return false
	}
	if p[0] == '/' || p[0] == '~' || strings.HasPrefix(p, `\\`) {
		return true
	}
	return len(p) >= 2 && p[1] == ':' && (p[0] >= 'a' && p[0] <= 'z' || p[0] >= 'A' && p[0] <= 'Z')
}

// isRemote reports an extends file Compose fetches (oci://, a git URL):
// never read here.
func isRemote(f string) bool {
	if strings.Contains(f, "://") || strings.HasPrefix(f, "git@") {
		return true
	}
	scheme, _, ok := strings.Cut(f, ":")
	return ok && len(scheme) > 1 && !strings.ContainsAny(scheme, "/\\.")
}

// escapes reports whether a path relative to the project directory leads
// out of it.
func escapes(rel string) bool {
	c := path.Clean(rel)
	return c == ".." || strings.HasPrefix(c, "../")
}
