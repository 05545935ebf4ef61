package reach

import (
	"path"
	"sort"

	"github.com/isolint/isolint/model"
)

// maxListed bounds the names one item lists (workloads in a namespace,
// actions of a statement): a view, not an inventory.
const maxListed = 6

// Compute returns the blast radius of every workload of the project, worst
// first. The project must keep workload details (containers, volumes);
// workloads without them show only identity, network and sharing.
func Compute(p *model.Project) *Result {
	ix := newIndex(p)
	ws := distinct(p.Workloads)
	var out []*Workload
	for _, w := range ws {
		out = append(out, ix.direct(w))
	}
	for _, s := range p.Subprocesses {
		out = append(out, subprocess(s))
	}
	for _, m := range p.Metadata {
		out = append(out, instance(m))
	}
	// one bounded step: what a workload's rights reach, judged by the
	// direct reach of what they reach (never recursively)
	direct := map[*model.Workload]Tier{}
	for i, r := range out {
		r.rank()
		if i < len(ws) {
			direct[ws[i]] = r.Tier
		}
	}
	for i, w := range ws {
		ix.transitive(out[i], w, direct)
		ix.shared(out[i], w)
	}
	for _, r := range out {
		r.rank()
	}
	sortWorkloads(out)
	if out == nil {
		out = []*Workload{}
	}
	return &Result{SchemaVersion: SchemaVersion, Workloads: out}
}

// distinct drops repeated definitions of the same workload, keeping the
// first: a Kubernetes object with the same ID in two files (a base and an
// overlay), or a workload of another format with the same ID and instance
// in the same directory (a Compose file and its override). Services of two
// Compose projects that happen to share a name stay apart.
func distinct(ws []*model.Workload) []*model.Workload {
	seen := map[string]bool{}
	var out []*model.Workload
	for _, w := range ws {
		k := w.ID() + "\x00" + w.Instance
		if w.Format != model.FormatK8s {
			k += "\x00" + path.Dir(w.Loc.File)
		}
		if !seen[k] {
			seen[k] = true
			out = append(out, w)
		}
	}
	return out
}

// index holds what several workloads look up.
type index struct {
	p        *model.Project
	accounts map[string]*model.ServiceAccount
	roles    map[string]*model.Role // kind/namespace/name
	// secrets are the Kubernetes Secrets the scan's workloads use, by
	// namespace, with their users.
	secrets map[string]map[string][]string
	byNS    map[string][]*model.Workload
	// holders are the workloads holding each identity or secret key;
	// secretKeys the secret keys each workload holds.
	holders    map[string][]holder
	secretKeys map[*model.Workload][]string
	nsAccounts map[string][]string // accountsIn, once per namespace
	// egress links functions and tasks to their security groups (built
	// on first use: only Terraform and CloudFormation workloads need it).
	egress *model.EgressIndex
}

type holder struct {
	w   *model.Workload
	loc model.Location
	via string
}

func newIndex(p *model.Project) *index {
	ix := &index{p: p, accounts: map[string]*model.ServiceAccount{}, roles: map[string]*model.Role{},
		secrets: map[string]map[string][]string{}, byNS: map[string][]*model.Workload{}, holders: map[string][]holder{},
		secretKeys: map[*model.Workload][]string{}, nsAccounts: map[string][]string{}}
	for _, sa := range p.ServiceAccounts {
		if _, ok := ix.accounts[sa.Key()]; !ok {
			ix.accounts[sa.Key()] = sa
		}
	}
	for _, r := range p.Roles {
		k := r.Kind + "/" + r.Namespace + "/" + r.Name
		if _, ok := ix.roles[k]; !ok {
			ix.roles[k] = r
		}
	}
	for _, w := range distinct(p.Workloads) {
		if w.Format == model.FormatK8s {
			ix.byNS[w.Namespace] = append(ix.byNS[w.Namespace], w)
		}
		for _, k := range ix.identityKeys(w) {
			ix.holders[k.key] = append(ix.holders[k.key], holder{w: w, loc: k.loc, via: k.via})
		}
		for _, c := range w.Containers {
			for _, e := range c.Env {
				if e.Secret != nil {
					ix.useSecret(w, e.Secret.Store, e.Secret.Name, e.Loc)
				}
			}
			for _, s := range c.EnvSources {
				if s.Kind == model.EnvFromSecret {
					ix.useSecret(w, model.StoreK8sSecret, s.Name, s.Loc)
				}
			}
			for _, m := range c.Mounts {
				if v := m.Volume; v != nil && v.Kind == model.VolumeSecret && v.Source != "" {
					ix.useSecret(w, model.StoreK8sSecret, v.Source, m.Loc)
				}
			}
		}
	}
	return ix
}

func (ix *index) useSecret(w *model.Workload, store model.SecretStore, name string, loc model.Location) {
	if name == "" {
		return
	}
	if store == model.StoreK8sSecret && w.Format == model.FormatK8s {
		m := ix.secrets[w.Namespace]
		if m == nil {
			m = map[string][]string{}
			ix.secrets[w.Namespace] = m
		}
		if u := m[name]; len(u) == 0 || u[len(u)-1] != w.ID() {
			m[name] = append(u, w.ID())
		}
	}
	if store == model.StoreCISecrets || store == model.StoreEnvironmentVar {
		return // CI secrets are per repository; environment values per caller
	}
	k := "secret:" + string(store) + "/" + w.Namespace + "/" + name
	if store != model.StoreK8sSecret {
		k = "secret:" + string(store) + "/" + name
	}
	hs := ix.holders[k]
	if len(hs) > 0 && hs[len(hs)-1].w == w {
		return
	}
	ix.holders[k] = append(hs, holder{w: w, loc: loc, via: "secret " + name})
	ix.secretKeys[w] = append(ix.secretKeys[w], k)
}

type identityKey struct {
	key, via string
	loc      model.Location
}

// identityKeys are the keys under which a workload's identities are
// shared: its own identity and, for a CI job, the cloud roles it assumes
// (keyed by the role in the scan when one matches).
func (ix *index) identityKeys(w *model.Workload) []identityKey {
	var out []identityKey
	add := func(id model.Identity) {
		if id.Key == "" || id.Unknown || id.Default {
			return
		}
		key := "id:" + id.Key
		for _, r := range ix.p.CloudRoles {
			if r.AssumedBy(id) {
				key = "id:" + r.Key
				break
			}
		}
		out = append(out, identityKey{key: key, via: id.Describe(), loc: id.Loc})
	}
	if w.Identity.Kind != model.IdentityCIRunner {
		add(w.Identity)
	}
	if w.CI != nil {
		for _, id := range w.CI.CloudRoles {
			add(id)
		}
	}
	return out
}

func workloadID(w *model.Workload) string { return w.ID() }

// direct computes what the workload itself holds.
func (ix *index) direct(w *model.Workload) *Workload {
	r := &Workload{ID: workloadID(w), Format: string(w.Format), Kind: w.Kind, Name: w.Name, Namespace: w.Namespace,
		Instance: w.Instance, Loc: locOf(w.Loc),
		Secrets: []Secret{}, Identities: []Identity{}, Host: []Item{}, Network: []Item{}, Transitive: []Item{}, SharedWith: []Share{}}
	ix.secretsOf(r, w)
	ix.identitiesOf(r, w)
	hostOf(r, w)
	ix.networkOf(r, w)
	return r
}

func sortedKeys[V any](m map[string]V) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

// shared lists the other workloads holding one of the workload's
// identities or secrets.
func (ix *index) shared(r *Workload, w *model.Workload) {
	seen := map[string]bool{}
	keys := ix.identityKeys(w)
	for _, k := range ix.secretKeys[w] {
		keys = append(keys, identityKey{key: k})
	}
	for _, k := range keys {
		for _, h := range ix.holders[k.key] {
			if h.w == w {
				continue
			}
			id := h.w.ID()
			if h.w.Instance != "" {
				id += " (" + h.w.Instance + ")"
			}
			s := Share{Workload: id, Via: h.via, Loc: locOf(h.loc)}
			sk := s.Workload + "\x00" + s.Via
			if !seen[sk] {
				seen[sk] = true
				r.SharedWith = append(r.SharedWith, s)
			}
		}
	}
}
