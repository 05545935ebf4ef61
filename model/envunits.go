package model

import (
	"path"
	"slices"
	"strings"
)

// InferEnvUnits gives plain Kubernetes manifests a deployment unit when the
// scan shows they are one of several copies for different clusters or
// environments. One cluster cannot hold two objects of the same kind,
// namespace and name, so when plain files in two folders both define one
// (envs/prod/app.yaml and envs/staging/app.yaml both define Deployment
// app/app), those folders are alternatives: the unit of a copy is the folder
// just below where the two paths part (envs/prod, envs/staging), and every
// plain object under that folder belongs to it. Project-wide rules then join
// the objects of one environment with each other and with plain objects
// outside any unit, never with another environment's (see SameUnit):
// staging's RoleBinding does not widen prod's service account, prod's
// NetworkPolicy does not restrict staging's pods, and a Job only staging
// runs does not make prod's Deployment share its identity.
//
// Objects already in a unit (built by a Kustomize overlay) are left alone.
// Units found this way end in "/", which tells them from overlay folders:
// findings do not carry them (see IsEnvUnit), so messages do not say
// "built by overlay". The cost is linear in the objects (each folder's
// ancestors are looked up once).
func (p *Project) InferEnvUnits() {
	type obj struct {
		dir  string
		unit *string
	}
	var objs []obj
	dirs := map[string][]string{} // object key → the folders defining it
	seen := map[string]bool{}     // key and folder
	add := func(key string, loc Location, unit *string) {
		if *unit != "" || loc.File == "" {
			return
		}
		d := path.Dir(loc.File)
		objs = append(objs, obj{d, unit})
		if key != "" && !seen[key+"\x00"+d] {
			seen[key+"\x00"+d] = true
			dirs[key] = append(dirs[key], d)
		}
	}
	p.unitHolders(func(h unitHolder) {
		switch h.format {
		case "", FormatK8s:
			add(h.key, h.loc, h.unit)
		}
	})
	roots := map[string]bool{}
	for _, ds := range dirs {
		if len(ds) < 2 {
			continue
		}
		envRoots(ds, roots)
	}
	if len(roots) == 0 {
		return
	}
	unitOf := map[string]string{} // folder → its deepest root, "" for none
	for _, o := range objs {
		u, ok := unitOf[o.dir]
		if !ok {
			for d := o.dir; ; d = path.Dir(d) {
				if roots[d] {
					u = d + "/"
					break
				}
				if d == "." || d == "/" || path.Dir(d) == d {
					break
				}
			}
			unitOf[o.dir] = u
		}
		*o.unit = u
	}
}

// envRoots adds to roots the root of each copy in dirs (the folders
// defining one object): the folder of a copy just below the deepest folder
// it shares with any other copy. A copy that is itself that shared folder
// (one at the top of the others' tree) gets none. Sorted by components,
// the copy sharing most with d is next to it, so this is n log n.
func envRoots(dirs []string, roots map[string]bool) {
	parts := make([][]string, len(dirs))
	for i, d := range dirs {
		if d != "." {
			parts[i] = strings.Split(d, "/")
		}
	}
	slices.SortFunc(parts, slices.Compare)
	common := func(a, b []string) int {
		n := 0
		for n < len(a) && n < len(b) && a[n] == b[n] {
			n++
		}
		return n
	}
	for i, p := range parts {
		deepest := 0
		if i > 0 {
			deepest = common(p, parts[i-1])
		}
		if i+1 < len(parts) {
			deepest = max(deepest, common(p, parts[i+1]))
		}
		if deepest < len(p) {
			roots[strings.Join(p[:deepest+1], "/")] = true
		}
	}
}

// IsEnvUnit reports a unit InferEnvUnits gave: the folder of plain
// manifests copied per environment, which nothing built.
func IsEnvUnit(unit string) bool { return strings.HasSuffix(unit, "/") }
