package dev

import (
	"errors"
	"io/fs"
	"path"
	"path/filepath"
	"strings"

	"github.com/isolint/isolint/model"
	"github.com/isolint/isolint/scanners/ci/shell"
	"github.com/isolint/isolint/scanners/jsonc"
	"github.com/isolint/isolint/scanners/yamldoc"
	"github.com/isolint/isolint/source"
)

// A dev container feature is installed from its own metadata
// (devcontainer-feature.json), which may make the container privileged,
// add capabilities and security options, and mount host paths; the dev
// container CLI merges them into the container whatever the devcontainer
// itself says. The metadata is not in the scanned tree, so the features
// that change isolation are known here, from their published metadata in
// https://github.com/devcontainers/features (src/<id>/devcontainer-feature.json):
var knownFeatures = map[string]featureFacts{
	// "privileged": true: the Docker daemon it starts needs it
	"docker-in-docker": {privileged: true},
	// mounts the host's Docker socket at /var/run/docker-host.sock
	"docker-outside-of-docker": {mounts: []mountSpec{dockerHostSocket}},
	"docker-from-docker":       {mounts: []mountSpec{dockerHostSocket}}, // its former name
	// "capAdd": ["SYS_PTRACE"], "securityOpt": ["seccomp=unconfined"], for debuggers
	"go":   {capAdd: []string{"SYS_PTRACE"}, securityOpt: []string{"seccomp=unconfined"}},
	"rust": {capAdd: []string{"SYS_PTRACE"}, securityOpt: []string{"seccomp=unconfined"}},
}

// legacyFeatures are the short IDs of the first features (`"golang":
// "latest"`), which the dev container CLI maps onto the published ones.
var legacyFeatures = map[string]string{
	"docker-in-docker": "docker-in-docker", "docker-from-docker": "docker-from-docker",
	"golang": "go", "rust": "rust",
}

var dockerHostSocket = mountSpec{typ: "bind", source: "/var/run/docker.sock", target: "/var/run/docker-host.sock"}

// featureFacts is what a feature's metadata does to the container.
type featureFacts struct {
	privileged  bool
	capAdd      []string
	securityOpt []string
	mounts      []mountSpec
}

// featurePublisher is the namespace of the features published by the dev
// container specification's maintainers.
const featurePublisher = "ghcr.io/devcontainers/features/"

// featureID returns the published feature a reference names
// ("ghcr.io/devcontainers/features/docker-in-docker:2" → "docker-in-docker"),
// or "".
func featureID(ref string) string {
	r := strings.ToLower(strings.TrimSpace(ref))
	if i := strings.IndexByte(r, '@'); i >= 0 {
		r = r[:i] // a digest
	}
	if strings.HasPrefix(r, featurePublisher) {
		id := strings.TrimPrefix(r, featurePublisher)
		if i := strings.IndexByte(id, ':'); i >= 0 {
			id = id[:i] // a version tag
		}
		return id
	}
	return legacyFeatures[r]
}

// features applies the known features of the `features` object to the
// container, each fact located at the feature's key.
func (l *lowering) features(v yamldoc.Value, w *model.Workload, c *model.Container) {
	if !isObject(v) {
		return
	}
	for _, pair := range v.Pairs() {
		if strings.HasPrefix(pair.Key, "./") || strings.HasPrefix(pair.Key, "../") {
			l.localFeature(pair.Key, pair.Value.KeyLoc(), w, c)
			continue
		}
		id := featureID(pair.Key)
		facts, ok := knownFeatures[id]
		if !ok {
			continue
		}
		loc := pair.Value.KeyLoc()
		why := func(what string) []model.Related {
			return []model.Related{{Loc: loc, Message: "feature " + id + " sets " + what + " in its devcontainer-feature.json"}}
		}
		if facts.privileged {
			c.Security.Privileged = model.Bool{Value: true, Set: true, Loc: loc, Via: why(`"privileged": true`)}
		}
		for _, cp := range facts.capAdd {
			c.Security.CapAdd = append(c.Security.CapAdd, model.String{Value: cp, Set: true, Loc: loc, Via: why(`"capAdd": ["` + cp + `"]`)})
		}
		for _, opt := range facts.securityOpt {
			if opt == "seccomp=unconfined" {
				c.Security.Seccomp = model.String{Value: "Unconfined", Set: true, Loc: loc, Via: why(`"securityOpt": ["` + opt + `"]`)}
			}
		}
		for _, m := range facts.mounts {
			m.loc, m.via, m.name = loc, why("a bind mount of "+m.source), "feature "+id
			addMount(w, c, m)
		}
	}
}

// maxFeatureFile bounds the size of a local feature's metadata file.
const maxFeatureFile = 1 << 20

// localFeature applies a feature kept in the repository
// (`"./local-features/x": {}`, a folder beside devcontainer.json) from its
// own devcontainer-feature.json: each of its settings is reported where it
// is written, with the devcontainer.json key that installs it related.
func (l *lowering) localFeature(ref string, use model.Location, w *model.Workload, c *model.Container) {
	if l.f == nil || l.f.Abs == "" {
		return // scanned from memory: no folder to read
	}
	var b []byte
	var display string
	err := source.ErrOutsideRoot
	// a folder out of the tree by its name is not looked at on disk at all
	if dir, derr := filepath.EvalSymlinks(filepath.Dir(l.f.Abs)); derr == nil && source.Within(filepath.Join(dir, filepath.FromSlash(ref)), l.f.Root) {
		b, display, err = l.f.ReadSibling(path.Join(ref, "devcontainer-feature.json"), maxFeatureFile)
	}
	if err != nil {
		level, why := model.NoticeWarning, "its devcontainer-feature.json could not be read ("+source.ErrText(err)+")"
		switch {
		case errors.Is(err, fs.ErrNotExist):
			why = "it has no devcontainer-feature.json"
		case errors.Is(err, source.ErrOutsideRoot):
			level, why = model.NoticeNote, "it lies outside the scanned tree"
		}
		l.p.Notices = append(l.p.Notices, model.Notice{Level: level, Loc: use, Message: "local feature " + safeName(ref) + " was not checked: " + why})
		return
	}
	doc, err := jsonc.Parse(display, b)
	if err != nil {
		l.p.Notices = append(l.p.Notices, jsonc.Notice(display, "not valid JSON", err))
		return
	}
	if doc == nil {
		return
	}
	defer func() { l.p.Notices = append(l.p.Notices, doc.Notices...) }()
	root := doc.Value()
	if !isObject(root) {
		return
	}
	via := []model.Related{{Loc: use, Message: "devcontainer.json installs the feature here"}}
	before := len(c.Security.CapAdd)
	ws := &words{}
	run := &shell.Run{}
	if b := boolean(root.Get("privileged")); b.IsTrue() {
		wd := ws.word(root.Get("privileged"), "--privileged", devcontainerVars)
		run.Privileged = &shell.Flag{Name: "--privileged", Value: "true", Known: true, Word: wd, FlagWord: wd}
	}
	l.flagList(root.Get("capAdd"), "--cap-add", ws, &run.CapAdd)
	l.flagList(root.Get("securityOpt"), "--security-opt", ws, &run.SecurityOpts)
	shell.Apply(w, c, run, ws.at, envFromHost)
	sec := &c.Security
	for _, s := range []*model.String{&sec.Seccomp, &sec.AppArmor, &sec.SELinuxType} {
		if s.Loc.File == display {
			s.Via = via
		}
	}
	for _, b := range []*model.Bool{&sec.Privileged, &sec.SELinuxDisabled, &sec.NoNewPrivileges} {
		if b.Loc.File == display {
			b.Via = via
		}
	}
	for i := before; i < len(sec.CapAdd); i++ {
		sec.CapAdd[i].Via = via
	}
	if ms := root.Get("mounts"); isArray(ms) {
		for _, it := range ms.Items() {
			n := len(c.Mounts)
			l.mount(w, c, it)
			for _, m := range c.Mounts[n:] {
				if m.Volume != nil && m.Volume.HostPath.Set {
					m.Volume.HostPath.Via = via
				}
			}
		}
	}
	c.Env = append(c.Env, l.env(root.Get("containerEnv"), devcontainerVars)...)
}
