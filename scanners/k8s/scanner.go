// Package k8s reads Kubernetes manifests (multi-document YAML or JSON, List
// kinds, every pod-template kind and the well-known custom kinds that embed
// one) and lowers workloads, service accounts, RBAC and network policies
// onto the model, keeping the position of every key.
package k8s

import (
	"bytes"
	"strconv"
	"strings"

	"github.com/isolint/isolint/model"
	"github.com/isolint/isolint/scanners/yamldoc"
	yaml "go.yaml.in/yaml/v3"
)

// Scanner lowers Kubernetes files. It is safe for concurrent use.
type Scanner struct {
	kinds *kindIndex
}

// New returns a scanner with the given options.
func New(opts Options) *Scanner {
	return &Scanner{kinds: newKindIndex(opts)}
}

// Sniff reports whether content holds a Kubernetes object: a document with
// top-level apiVersion and kind.
func Sniff(content []byte) bool {
	for i, raw := range yamldoc.Split(content) {
		if i >= 32 {
			break
		}
		_, hasKind := yamldoc.TopLevelScalar(raw.Bytes, "kind")
		_, hasAPI := yamldoc.TopLevelScalar(raw.Bytes, "apiVersion")
		if hasKind && hasAPI {
			return true
		}
		if !hasKind && looksFlow(raw.Bytes) {
			doc, err := yamldoc.Parse("", raw)
			if err == nil && doc.Value().Get("kind").Exists() && doc.Value().Get("apiVersion").Exists() {
				return true
			}
			// a broken JSON manifest is still one: claim it so that its
			// parse error is reported rather than the file silently ignored
			if err != nil && bytes.Contains(raw.Bytes, []byte(`"kind"`)) && bytes.Contains(raw.Bytes, []byte(`"apiVersion"`)) {
				return true
			}
		}
	}
	return false
}

// looksFlow reports a JSON or flow-style document, whose keys the line
// sniffer cannot see.
func looksFlow(b []byte) bool {
	for _, c := range b {
		switch c {
		case ' ', '\t', '\r', '\n':
			continue
		case '{':
			return true
		}
		return false
	}
	return false
}

// Scan lowers one file.
func (s *Scanner) Scan(path string, content []byte) *model.Project {
	return s.ScanKeep(path, content, nil)
}

// ScanKeep lowers one file and hands each document it parsed to keep
// (see source.File.KeepYAML), once lowered.
func (s *Scanner) ScanKeep(path string, content []byte, keep func(line int, root *yaml.Node)) *model.Project {
	p := &model.Project{}
	for _, raw := range yamldoc.Split(content) {
		if kind, ok := yamldoc.TopLevelScalar(raw.Bytes, "kind"); ok {
			if api, ok := yamldoc.TopLevelScalar(raw.Bytes, "apiVersion"); ok && !s.kinds.wantedIn(api, kind) || !s.kinds.wanted(kind) {
				continue
			}
		}
		if line := templateLine(raw.Bytes); line > 0 {
			// a chart template: what its actions produce (whole securityContext
			// blocks from values.yaml) is unknown, so checking the text as it
			// stands would report settings as missing that the chart sets.
			// Not checked is never clean: an error, so the scan does not
			// pass (exit 5) unless --allow-unread accepts that.
			p.Notices = append(p.Notices, model.Notice{Level: model.NoticeError,
				Loc:     model.Location{File: path, Line: raw.Line - 1 + line, Col: 1},
				Message: "document " + strconv.Itoa(raw.Index+1) + " is a template (a line holds only a {{ … }} action) and was not checked; scan the chart's folder (the one holding Chart.yaml) to render it"})
			continue
		}
		doc, err := yamldoc.Parse(path, raw)
		if err != nil {
			p.Notices = append(p.Notices, parseNotice(path, raw, err))
			continue
		}
		l := lowerer{kinds: s.kinds, p: p}
		l.object(doc.Value(), 0)
		p.Notices = append(p.Notices, doc.Notices...)
		if keep != nil {
			keep(raw.Line, doc.Root)
		}
	}
	return p
}

// templateLine returns the 1-based line of the first line of doc that holds
// nothing but a Go template action ("{{- if .Values.x }}", "{{ toYaml . |
// nindent 8 }}"), or 0. Actions inside values ("image: {{ .Values.image }}")
// do not count: such values are read as unknown.
func templateLine(doc []byte) int {
	if !bytes.Contains(doc, []byte("{{")) {
		return 0
	}
	for n := 1; len(doc) > 0; n++ {
		end := bytes.IndexByte(doc, '\n')
		var l []byte
		if end < 0 {
			l, doc = doc, nil
		} else {
			l, doc = doc[:end], doc[end+1:]
		}
		t := bytes.TrimSpace(l)
		if !bytes.HasPrefix(t, []byte("{{")) {
			continue
		}
		if i := bytes.LastIndex(t, []byte("}}")); i > 0 {
			if rest := bytes.TrimSpace(t[i+2:]); len(rest) == 0 || rest[0] == '#' {
				return n
			}
		}
	}
	return 0
}

func parseNotice(path string, raw yamldoc.RawDoc, err error) model.Notice {
	doc := "document " + strconv.Itoa(raw.Index+1)
	return yamldoc.ParseNotice(path, raw, err, doc+" is not valid YAML: ", doc+" could not be read: ")
}

// lowerer turns one document's objects into model values.
type lowerer struct {
	kinds *kindIndex
	p     *model.Project
}

const maxListDepth = 8

// object lowers one Kubernetes object (or a List of them).
func (l *lowerer) object(v yamldoc.Value, depth int) {
	if !v.IsMap() {
		if v.Exists() && !v.IsNull() {
			v.Doc().Notice(v, model.NoticeWarning, "a Kubernetes object must be a mapping, got %s", v.KindName())
		}
		return
	}
	apiVersion := v.Get("apiVersion").Text()
	kind := v.Get("kind").Text()
	g := group(apiVersion)
	if kind == "List" || (strings.HasSuffix(kind, "List") && v.Get("items").Exists()) {
		if depth >= maxListDepth || !v.Get("items").ExpectSeq() {
			return
		}
		for _, it := range v.Get("items").Items() {
			l.object(it.WithPath(""), depth+1)
		}
		return
	}
	meta := v.Get("metadata")
	name := meta.Get("name").Text()
	if name == "" {
		name = meta.Get("generateName").Text()
	}
	ns := ""
	if !clusterScoped[kind] {
		ns = meta.Get("namespace").Text()
		if ns == "" {
			ns = "default" // as kubectl applies it without -n
		}
	}
	obj := kind + "/" + name
	if ns != "" {
		obj = kind + "/" + ns + "/" + name
	}
	v = v.WithObject(obj)
	meta = v.Get("metadata")
	nameLoc := meta.Get("name").Loc()
	if nameLoc.IsZero() {
		nameLoc = v.Get("kind").Loc()
	}

	if specPath, ok := l.kinds.pod[g+"/"+kind]; ok {
		l.workload(v, kind, ns, name, nameLoc, specPath)
		return
	}
	switch g + "/" + kind {
	case "/ServiceAccount":
		l.serviceAccount(v, ns, name, nameLoc)
	case "/Secret":
		l.secret(v, obj)
	case "rbac.authorization.k8s.io/Role", "rbac.authorization.k8s.io/ClusterRole":
		l.role(v, kind, ns, name, nameLoc)
	case "rbac.authorization.k8s.io/RoleBinding", "rbac.authorization.k8s.io/ClusterRoleBinding":
		l.binding(v, kind, ns, name, nameLoc)
	case "networking.k8s.io/NetworkPolicy", "extensions/NetworkPolicy":
		l.networkPolicy(v, ns, name, nameLoc)
	}
}

// at follows a dot path of keys.
func at(v yamldoc.Value, path string) yamldoc.Value {
	for _, k := range strings.Split(path, ".") {
		v = v.Get(k)
	}
	return v
}

func (l *lowerer) serviceAccount(v yamldoc.Value, ns, name string, loc model.Location) {
	sa := &model.ServiceAccount{Namespace: ns, Name: name, Loc: loc}
	sa.AutomountToken = v.Get("automountServiceAccountToken").Bool()
	if !sa.AutomountToken.Set {
		sa.AutomountToken.Loc = missing(loc, "automountServiceAccountToken")
	}
	l.p.ServiceAccounts = append(l.p.ServiceAccounts, sa)
}

// secret records a Secret of type kubernetes.io/service-account-token: the
// token controller fills it with a token for the named service account that
// never expires (unlike the projected tokens pods get by default). Nothing
// else of a Secret is read; its data is never looked at.
func (l *lowerer) secret(v yamldoc.Value, obj string) {
	t := v.Get("type")
	s := t.StringVal()
	if !s.Known() || s.Value != "kubernetes.io/service-account-token" {
		return
	}
	l.p.StaticCredentials = append(l.p.StaticCredentials, &model.StaticCredential{
		Kind: model.CredK8sSATokenSecret, Format: model.FormatK8s, Provider: model.ProviderKubernetes,
		Resource: obj, Object: obj, Loc: t.Loc(), Via: s.Via,
		Principal: v.Get("metadata").Get("annotations").Get("kubernetes.io/service-account.name").StringVal(),
	})
}

// missing returns the location to report a missing key at: anchor (an
// existing key nearby), marked Synthetic, with the missing key's path.
func missing(anchor model.Location, path string) model.Location {
	anchor.Synthetic = true
	anchor.Path = path
	return anchor
}

// textMap reads a mapping of strings (labels).
func textMap(v yamldoc.Value) map[string]string {
	if !v.ExpectMap() {
		return nil
	}
	out := map[string]string{}
	for _, p := range v.Pairs() {
		out[p.Key] = p.Value.Text()
	}
	return out
}
