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
	// a machine the scan lowers as a workload (an EC2 instance or launch
	// template with its instance profile, a GCE instance) gets its
	// metadata-service reach; others are listed on their own
	machines, atPlace := map[string]*Workload{}, map[string][]*Workload{}
	for _, r := range out {
		machines[machineKey(r)] = r
		k := r.Kind + "\x00" + r.Loc.String()
		atPlace[k] = append(atPlace[k], r)
	}
	for _, m := range p.Metadata {
		mr := instance(m)
		r := machines[machineKey(mr)]
		if at := atPlace[mr.Kind+"\x00"+mr.Loc.String()]; r == nil && len(at) == 1 {
			// a part of the resource (a cluster's inline node pool): the
			// one workload the resource is
			r = at[0]
			for i := range mr.Network {
				mr.Network[i].What = mr.Name + ": " + mr.Network[i].What
			}
		}
		if r != nil {
			r.Network = append(r.Network, mr.Network...)
			continue
		}
		out = append(out, mr)
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
// first: a Kubernetes object with the same ID in two files of one unit, or
// a workload of another format with the same ID and instance in the same
// directory (a Compose file and its override). Services of two Compose
// projects that happen to share a name stay apart, and so do the builds of
// one object in alternative units (two overlays, two value sets of a chart).
func distinct(ws []*model.Workload) []*model.Workload {
	seen := map[string]bool{}
	var out []*model.Workload
	for _, w := range ws {
		k := w.ID() + "\x00" + w.Instance + "\x00" + w.Unit
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

// machineKey matches a machine's metadata settings to its workload: the
// same resource, at the same place, in the same instance.
func machineKey(r *Workload) string {
	return r.Kind + "\x00" + r.Loc.String() + "\x00" + r.Instance
}

// index holds what several workloads look up.
type index struct {
	p *model.Project
	// accounts and roles are the ServiceAccounts and Roles by key
	// (namespace/name, kind/namespace/name), one per unit that defines it.
	accounts map[string][]*model.ServiceAccount
	roles    map[string][]*model.Role
	// agg gives an aggregated ClusterRole the rules of the roles it
	// aggregates.
	agg *model.RoleAggregation
	// secrets are the Kubernetes Secrets the scan's workloads use, by
	// namespace, with their users.
	secrets map[string]map[string][]*model.Workload
	byNS    map[string][]*model.Workload
	// holders are the workloads holding each identity or secret key;
	// secretKeys the secret keys each workload holds.
	holders    map[string][]holder
	secretKeys map[*model.Workload][]string
	nsAccounts map[string][]string // accountsIn, once per namespace and unit
	// egress links functions and tasks to their security groups (built
	// on first use: only Terraform and CloudFormation workloads need it).
	egress *model.EgressIndex
	// cloudRoles finds the CloudRoles an identity refers to.
	cloudRoles *model.CloudRoleIndex
	// policies finds the egress NetworkPolicies that select a workload.
	policies model.EgressPolicies
}

type holder struct {
	w   *model.Workload
	loc model.Location
	via string
}

func newIndex(p *model.Project) *index {
	ix := &index{p: p, accounts: map[string][]*model.ServiceAccount{}, roles: map[string][]*model.Role{},
		secrets: map[string]map[string][]*model.Workload{}, byNS: map[string][]*model.Workload{}, holders: map[string][]holder{},
		secretKeys: map[*model.Workload][]string{}, nsAccounts: map[string][]string{},
		cloudRoles: model.NewCloudRoleIndex(p.CloudRoles), policies: model.NewEgressPolicies(p.NetworkPolicies)}
	for _, sa := range p.ServiceAccounts {
		ix.accounts[sa.Key()] = appendUnit(ix.accounts[sa.Key()], sa, sa.Unit, func(o *model.ServiceAccount) string { return o.Unit })
	}
	for _, r := range p.Roles {
		ix.roles[r.Key()] = appendUnit(ix.roles[r.Key()], r, r.Unit, func(o *model.Role) string { return o.Unit })
	}
	ix.agg = model.NewRoleAggregation(p.Roles)
	for _, w := range distinct(p.Workloads) {
		if w.Format == model.FormatK8s {
			ix.byNS[w.Namespace] = append(ix.byNS[w.Namespace], w)
		}
		for _, k := range ix.identityKeys(w, true) {
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
			m = map[string][]*model.Workload{}
			ix.secrets[w.Namespace] = m
		}
		if u := m[name]; len(u) == 0 || u[len(u)-1] != w {
			m[name] = append(u, w)
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
//
// A holder key leaves out the identity an instance takes from its launch
// template: the template stands for its instances, so they are not listed
// as sharing it, though each lists who else holds its identity.
func (ix *index) identityKeys(w *model.Workload, holder bool) []identityKey {
	var out []identityKey
	add := func(id model.Identity) {
		if id.Key == "" || id.Unknown || id.Default || holder && id.Template != "" {
			return
		}
		key := "id:" + id.Key
		if r := ix.cloudRoles.First(id); r != nil {
			key = "id:" + r.Key
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

// label names a workload in another's items: its ID, with its instance
// and unit when it has them.
func label(w *model.Workload) string {
	id := w.ID()
	if w.Instance != "" {
		id += " (" + w.Instance + ")"
	}
	if w.Unit != "" {
		id += " in " + w.Unit
	}
	return id
}

// appendUnit adds an object defined under one key, keeping one per unit
// (the first: a later definition in the same unit is a repeat).
func appendUnit[T any](list []T, o T, unit string, unitOf func(T) string) []T {
	for _, x := range list {
		if unitOf(x) == unit {
			return list
		}
	}
	return append(list, o)
}

// inUnit picks, of the objects defined under one key, the one a reader of
// the unit sees: the unit's own, else a plain manifest's, else (for a plain
// reader) the first.
func inUnit[T any](list []T, unit string, unitOf func(T) string) (T, bool) {
	var zero T
	for _, x := range list {
		if unitOf(x) == unit {
			return x, true
		}
	}
	for _, x := range list {
		if model.SameUnit(unitOf(x), unit) {
			return x, true
		}
	}
	return zero, false
}

// direct computes what the workload itself holds.
func (ix *index) direct(w *model.Workload) *Workload {
	r := &Workload{ID: workloadID(w), Format: string(w.Format), Kind: w.Kind, Name: w.Name, Namespace: w.Namespace,
		Instance: w.Instance, Unit: w.Unit, Loc: locOf(w.Loc),
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
	keys := ix.identityKeys(w, false)
	for _, k := range ix.secretKeys[w] {
		keys = append(keys, identityKey{key: k})
	}
	for _, k := range keys {
		for _, h := range ix.holders[k.key] {
			if h.w == w || !model.SameUnit(h.w.Unit, w.Unit) {
				continue // an alternative build never runs beside this one
			}
			id := label(h.w)
			s := Share{Workload: id, Via: h.via, Loc: locOf(h.loc)}
			sk := s.Workload + "\x00" + s.Via
			if !seen[sk] {
				seen[sk] = true
				r.SharedWith = append(r.SharedWith, s)
			}
		}
	}
}
