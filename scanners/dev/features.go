package dev

import (
	"strings"

	"github.com/isolint/isolint/model"
	"github.com/isolint/isolint/scanners/yamldoc"
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
			m.loc, m.via = loc, why("a bind mount of "+m.source)
			addMount(w, c, m)
		}
	}
}
