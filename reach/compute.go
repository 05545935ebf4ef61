package reach

import (
	"net/url"
	"sort"
	"strconv"
	"strings"

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
	var out []*Workload
	for _, w := range distinct(p.Workloads) {
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
	direct := map[string]Tier{}
	for _, r := range out {
		r.rank()
		direct[r.ID+"\x00"+r.Instance] = r.Tier
	}
	for i, w := range distinct(p.Workloads) {
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

// distinct drops repeated definitions of the same workload (the same ID
// and instance in two files), keeping the first.
func distinct(ws []*model.Workload) []*model.Workload {
	seen := map[string]bool{}
	var out []*model.Workload
	for _, w := range ws {
		k := w.ID() + "\x00" + w.Instance
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
		out = append(out, identityKey{key: key, via: describeIdentity(id), loc: id.Loc})
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

func describeIdentity(id model.Identity) string {
	switch id.Kind {
	case model.IdentityK8sServiceAccount:
		return "service account " + id.Key
	case model.IdentityAWSRole:
		return "IAM role " + id.Name
	case model.IdentityGCPServiceAccount:
		return "GCP service account " + id.Name
	case model.IdentityAzureManagedIdentity:
		return "managed identity " + id.Name
	case model.IdentityCICloudRole:
		return "cloud role " + id.Name
	case model.IdentityCIRunner:
		return "runner " + id.Name
	}
	return id.Name
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

func (ix *index) secretsOf(r *Workload, w *model.Workload) {
	seen := map[string]bool{}
	ciNamed := map[string]bool{} // CI secrets already listed as env vars
	add := func(s Secret) {
		k := s.How + "\x00" + s.Name + "\x00" + s.Key + "\x00" + s.Into + "\x00" + s.Loc.String()
		if !seen[k] {
			seen[k] = true
			r.Secrets = append(r.Secrets, s)
		}
	}
	envVars := func(env []*model.EnvVar) {
		for _, e := range env {
			switch {
			case e.Secret != nil:
				name := e.Secret.Name
				if e.Secret.Store == model.StoreCISecrets {
					name = strings.TrimPrefix(name, "secrets.")
					ciNamed[name] = true
				}
				add(Secret{Tier: Medium, How: "env-var", Store: string(e.Secret.Store), Name: name, Key: e.Secret.Key, Into: e.Name, Loc: locOf(e.Loc)})
			case e.Value.Known():
				if kind, _, ok := model.LiteralCredential(e.Name, e.Value.Value); ok {
					add(Secret{Tier: High, How: "literal", Name: kind, Into: e.Name, Loc: locOf(e.Loc)})
				}
			case e.FromVar != "" && model.IsSecretName(e.Name):
				add(Secret{Tier: Medium, How: "env-var", Store: string(model.StoreEnvironmentVar), Name: e.FromVar, Into: e.Name, Loc: locOf(e.Loc)})
			}
		}
	}
	sources := func(srcs []*model.EnvSource) {
		for _, s := range srcs {
			switch s.Kind {
			case model.EnvFromSecret:
				add(Secret{Tier: High, How: "env-from", Store: string(model.StoreK8sSecret), Name: s.Name, Into: "every key" + prefixNote(s.Prefix), Loc: locOf(s.Loc)})
			case model.EnvFromFile:
				if len(s.SecretKeys) > 0 || model.IsSecretFileName(s.Name) {
					into := "every variable of the file"
					if len(s.SecretKeys) > 0 {
						into = list(s.SecretKeys, maxListed)
					}
					add(Secret{Tier: High, How: "env-file", Name: s.Name, Into: into, Loc: locOf(s.Loc)})
				}
			case model.EnvFromAllSecrets:
				add(Secret{Tier: High, How: "all-ci-secrets", Store: string(model.StoreCISecrets), Name: "every secret", Loc: locOf(s.Loc)})
			}
		}
	}
	for _, c := range w.Containers {
		envVars(c.Env)
		sources(c.EnvSources)
		for _, m := range c.Mounts {
			if v := m.Volume; v != nil && v.Kind == model.VolumeSecret {
				s := Secret{Tier: Low, How: "volume", Name: v.Name, Into: m.Target, Loc: locOf(m.Loc)}
				if v.Source != "" {
					s.Store, s.Name = string(model.StoreK8sSecret), v.Source
				}
				add(s)
			}
		}
	}
	// a pod's service-account token, unless switched off on the pod or
	// its ServiceAccount (the pod's setting wins)
	if w.Format == model.FormatK8s && w.Identity.Kind == model.IdentityK8sServiceAccount {
		mounted := !w.AutomountToken.IsFalse()
		if sa := ix.accounts[w.Identity.Key]; sa != nil && !w.AutomountToken.Set && sa.AutomountToken.IsFalse() {
			mounted = false
		}
		if mounted {
			add(Secret{Tier: Low, How: "service-account-token", Store: string(model.StoreK8sSecret), Name: w.Identity.Key,
				Into: "/var/run/secrets/kubernetes.io/serviceaccount", Loc: locOf(w.Identity.Loc)})
		}
	}
	if w.Endpoint != nil {
		for _, h := range append(append([]model.Input(nil), w.Endpoint.Headers...), w.Endpoint.Params...) {
			if h.Secret != nil {
				add(Secret{Tier: Medium, How: "header", Store: string(h.Secret.Store), Name: h.Secret.Name, Into: h.Name, Loc: locOf(h.Loc)})
			} else if h.Value.Known() {
				if kind, _, ok := model.HeaderCredential(h.Name, h.Value.Value); ok {
					add(Secret{Tier: High, How: "literal", Name: kind, Into: h.Name, Loc: locOf(h.Loc)})
				}
			}
		}
	}
	if j := w.CI; j != nil {
		if j.Pipeline != nil {
			envVars(j.Pipeline.Env)
			sources(j.Pipeline.EnvSources)
		}
		envVars(j.Env)
		sources(j.EnvSources)
		for _, s := range j.SecretUses {
			switch {
			case s.Bulk:
				add(Secret{Tier: High, How: "all-ci-secrets", Store: string(model.StoreCISecrets), Name: "every secret", Loc: locOf(s.Loc)})
			case s.Name == "GITHUB_TOKEN":
				add(Secret{Tier: Low, How: "ci-token", Store: string(model.StoreCISecrets), Name: s.Name, Loc: locOf(s.Loc)})
			case ciNamed[s.Name]:
				// listed with the variable it is bound to
			default:
				add(Secret{Tier: Medium, How: "ci-secret", Store: string(model.StoreCISecrets), Name: s.Name, Loc: locOf(s.Loc)})
			}
		}
		if j.Call != nil && j.Call.SecretsInherit.IsTrue() {
			add(Secret{Tier: High, How: "all-ci-secrets", Store: string(model.StoreCISecrets), Name: "every secret (secrets: inherit)", Loc: locOf(j.Call.SecretsInherit.Loc)})
		}
		for _, t := range j.TokenUses {
			into := t.Target
			add(Secret{Tier: Low, How: "ci-token", Name: "job token", Into: into, Loc: locOf(t.Loc)})
		}
		for _, t := range j.IDTokens {
			add(Secret{Tier: Low, How: "oidc-token", Name: t.Name, Into: strings.Join(t.Aud, ", "), Loc: locOf(t.Loc)})
		}
		for _, st := range j.Steps {
			if st.Action != "actions/checkout" || st.WithUnknown {
				continue
			}
			if in := st.Input("persist-credentials"); in != nil && (!in.Value.Known() || strings.EqualFold(strings.TrimSpace(in.Value.Value), "false")) {
				continue
			}
			tier := Low
			if j.Effective().AnyWrite() || !j.Effective().Set {
				tier = Medium
			}
			add(Secret{Tier: tier, How: "checkout-token", Name: "job token", Into: ".git/config", Loc: locOf(st.Uses.Loc)})
		}
	}
}

func prefixNote(p string) string {
	if p == "" {
		return ""
	}
	return " (prefixed)"
}

func (ix *index) identitiesOf(r *Workload, w *model.Workload) {
	id := w.Identity
	switch id.Kind {
	case model.IdentityK8sServiceAccount:
		r.Identities = append(r.Identities, ix.serviceAccount(w))
	case model.IdentityAWSRole, model.IdentityGCPServiceAccount, model.IdentityAzureManagedIdentity:
		r.Identities = append(r.Identities, ix.cloudIdentity(id))
	case model.IdentityCIRunner:
		if id.Name != "" {
			r.Identities = append(r.Identities, Identity{Kind: string(id.Kind), Name: id.Name, Loc: locOf(id.Loc), Rights: []Item{}})
		}
	}
	if j := w.CI; j != nil {
		r.Identities = append(r.Identities, ciToken(w))
		for _, cr := range j.CloudRoles {
			r.Identities = append(r.Identities, ix.cloudIdentity(cr))
		}
	}
}

// ciToken describes the job token's permissions (gha GITHUB_TOKEN,
// gitlab CI_JOB_TOKEN).
func ciToken(w *model.Workload) Identity {
	j := w.CI
	id := Identity{Kind: "ci-token", Rights: []Item{}}
	if w.Format == model.FormatGitLab {
		id.Name = "CI_JOB_TOKEN"
		id.Rights = append(id.Rights, Item{Tier: Low, What: "the job token's rights are those of the user who runs the pipeline, limited to the projects its allowlist admits"})
		id.Unknown = "the project's job token allowlist is not in the scan"
		return id
	}
	id.Name = "GITHUB_TOKEN"
	perms := j.Effective()
	id.Loc = locOf(perms.Loc)
	switch {
	case perms.Unknown:
		id.Unknown = "permissions are an expression"
	case !perms.Set:
		id.Rights = append(id.Rights, Item{Tier: Medium, What: "permissions not set: the repository default applies (write-all on older repositories)", Loc: locOf(perms.Loc)})
		id.Unknown = "the repository's default token permissions are not in the scan"
	case perms.All == "write-all":
		id.Rights = append(id.Rights, Item{Tier: High, What: "write-all: write to every scope (contents, packages, actions …)", Loc: locOf(perms.Loc)})
	case perms.All == "read-all":
		id.Rights = append(id.Rights, Item{Tier: Low, What: "read-all", Loc: locOf(perms.Loc)})
	default:
		for _, s := range perms.Scopes {
			t := Low
			what := s.Level + " " + s.Scope
			switch {
			case s.Level == "none":
				continue
			case s.Scope == "id-token" && s.Level == "write":
				t, what = Medium, "write id-token: request OIDC tokens to assume cloud roles"
			case s.Level == "write" && (s.Scope == "contents" || s.Scope == "packages" || s.Scope == "actions" || s.Scope == "deployments"):
				t = High
			case s.Level == "write":
				t = Medium
			}
			id.Rights = append(id.Rights, Item{Tier: t, What: what, Loc: locOf(s.Loc)})
		}
	}
	return id
}

// serviceAccount resolves the RBAC rights of a pod's service account.
func (ix *index) serviceAccount(w *model.Workload) Identity {
	id := w.Identity
	out := Identity{Kind: string(id.Kind), Name: id.Key, Loc: locOf(id.Loc), Rights: []Item{}}
	if id.Unknown {
		out.Name = id.Name
		out.Unknown = "the service account is not known offline (a template value)"
		return out
	}
	if id.Default {
		out.Name += " (the namespace's default)"
	}
	ns, name, _ := strings.Cut(id.Key, "/")
	var unknown []string
	bound := false
	for _, g := range ix.grantsOf(ns, name) {
		bound = true
		out.Rights = append(out.Rights, g.items...)
		if g.unknown != "" {
			unknown = append(unknown, g.unknown)
		}
	}
	if !bound {
		unknown = append(unknown, "no binding for this service account in the scan")
	}
	sort.Strings(unknown)
	out.Unknown = strings.Join(unknown, "; ")
	return out
}

// grant is what one binding gives a service account.
type grant struct {
	binding *model.RoleBinding
	// namespace is where the rights apply; "" for every namespace.
	namespace string
	items     []Item
	unknown   string
	// readSecrets lists the Secret names the rights may read; "*" for all.
	readSecrets []string
	// pods: create pods; exec: create pods/exec or pods/attach.
	pods, exec bool
}

func (ix *index) grantsOf(ns, name string) []grant {
	var out []grant
	for _, b := range ix.p.RoleBindings {
		matched := false
		for _, s := range b.Subjects {
			if s.Matches(ns, name) {
				matched = true
				break
			}
		}
		if !matched {
			continue
		}
		g := grant{binding: b, namespace: b.Namespace}
		scope := "in every namespace"
		if b.Kind == "RoleBinding" {
			scope = "in namespace " + b.Namespace
		}
		by := b.RoleRef.Kind + " " + b.RoleRef.Name + " (" + b.Kind + " " + b.Name + ")"
		roleNS := b.Namespace
		if b.RoleRef.Kind == "ClusterRole" {
			roleNS = ""
			if what, ok := model.BuiltinClusterRole(b.RoleRef.Name); ok {
				t := High
				if b.RoleRef.Name == "cluster-admin" {
					t = Critical
				}
				g.items = append(g.items, Item{Tier: t, What: by + ": " + what + " " + scope, Loc: locOf(b.RoleRef.Loc)})
				g.readSecrets, g.pods, g.exec = []string{"*"}, true, true
				out = append(out, g)
				continue
			}
		}
		role := ix.roles[b.RoleRef.Kind+"/"+roleNS+"/"+b.RoleRef.Name]
		switch {
		case role == nil:
			g.unknown = b.RoleRef.Kind + " " + b.RoleRef.Name + " (bound by " + b.Kind + " " + b.Name + ") is not in the scan"
		case role.Aggregated:
			g.unknown = "ClusterRole " + role.Name + " aggregates other roles: its rules are filled in at run time"
		}
		if role != nil {
			for _, pr := range role.Rules {
				g.items = append(g.items, ruleItem(by, scope, pr))
				for _, v := range []string{"get", "list", "watch"} {
					if pr.Allows(v, "", "secrets") {
						if len(pr.ResourceNames) > 0 && v == "get" {
							g.readSecrets = append(g.readSecrets, pr.ResourceNames...)
						} else {
							g.readSecrets = append(g.readSecrets, "*")
						}
						break
					}
				}
				if pr.Allows("create", "", "pods") {
					g.pods = true
				}
				if pr.Allows("create", "", "pods/exec") || pr.Allows("create", "", "pods/attach") {
					g.exec = true
				}
			}
		}
		out = append(out, g)
	}
	return out
}

// ruleItem describes one role rule and grades it.
func ruleItem(by, scope string, pr model.PolicyRule) Item {
	what := strings.Join(pr.Verbs, ", ") + " " + strings.Join(pr.Resources, ", ")
	if len(pr.ResourceNames) > 0 {
		what += " named " + list(pr.ResourceNames, maxListed)
	}
	t := Low
	danger := pr.DangerousGrants()
	switch {
	case contains(pr.Verbs, "*") && contains(pr.Resources, "*"):
		t = Critical
	case len(danger) > 0:
		t = High
		what += " (" + strings.Join(danger, ", ") + ")"
	case writes(pr.Verbs):
		t = Medium
	}
	return Item{Tier: t, What: by + ": " + what + " " + scope, Loc: locOf(pr.Loc)}
}

func writes(verbs []string) bool {
	for _, v := range verbs {
		switch v {
		case "create", "update", "patch", "delete", "deletecollection", "*":
			return true
		}
	}
	return false
}

func contains(l []string, s string) bool {
	for _, x := range l {
		if x == s {
			return true
		}
	}
	return false
}

// cloudIdentity resolves a cloud role's grants in the scan.
func (ix *index) cloudIdentity(id model.Identity) Identity {
	out := Identity{Kind: string(id.Kind), Name: id.Name, Loc: locOf(id.Loc), Rights: []Item{}}
	if id.Unknown || id.Key == "" {
		if out.Name == "" {
			out.Name = "(not named)"
		}
		out.Unknown = "the role is not known offline"
		if id.Key == "" && !id.Unknown {
			out.Unknown = "the workload names no role"
		}
		return out
	}
	var role *model.CloudRole
	for _, r := range ix.p.CloudRoles {
		if r.AssumedBy(id) {
			role = r
			break
		}
	}
	if role == nil {
		out.Unknown = "the role is not defined in the scan: its grants are unknown"
		return out
	}
	if role.Key != id.Key {
		out.Name += " = " + role.Key
	}
	out.Rights = roleRights(role)
	if len(out.Rights) == 0 {
		out.Unknown = "no policy attached to the role in the scan"
	}
	return out
}

func roleRights(role *model.CloudRole) []Item {
	var out []Item
	for _, st := range role.Statements {
		var acts, res []string
		for _, a := range st.Actions {
			if a.Known() {
				acts = append(acts, a.Value)
			} else {
				acts = append(acts, "(unknown)")
			}
		}
		for _, r := range st.Resources {
			if r.Known() {
				res = append(res, r.Value)
			} else {
				res = append(res, "(unknown)")
			}
		}
		verb := "allows"
		if !strings.EqualFold(st.Effect, "Allow") {
			verb = "denies"
		}
		if st.NotAction {
			verb += " every action but"
		}
		what := st.Policy + " " + verb + " " + list(acts, maxListed)
		switch {
		case st.NotResource:
			what += " on every resource but " + list(res, 3)
		case len(res) == 0:
			what += " on every resource in its scope"
		default:
			what += " on " + list(res, 3)
		}
		if st.Conditioned {
			what += " (conditioned)"
		}
		t := Medium
		if _, ok := st.GrantsAllActions(); ok {
			t = Critical
		} else if _, ok := st.NotActionAllow(); ok {
			t = Critical
		} else if _, ok := st.ServiceWildcard(); ok {
			t = High
		} else if _, _, ok := st.SensitiveAction(); ok {
			t = High
		} else if _, ok := st.GrantsPassRoleOnAll(); ok {
			t = High
		} else if verb != "allows" || st.Conditioned {
			t = Low
		}
		out = append(out, Item{Tier: t, What: what, Loc: locOf(st.Loc)})
	}
	for _, mp := range role.ManagedPolicies {
		t, what := Medium, "managed policy "+mp.Name+" (its contents are not in the scan)"
		if w, ok := model.BroadManagedPolicy(mp.Name); ok {
			t, what = High, "managed policy "+mp.Name+": "+w
			if mp.Name == "AdministratorAccess" || mp.Name == "IAMFullAccess" {
				t = Critical
			}
		}
		out = append(out, Item{Tier: t, What: what, Loc: locOf(mp.Loc)})
	}
	for _, g := range role.Grants {
		t, what := Medium, "role "+g.Role.Value
		if w, ok := g.Broad(); ok {
			t, what = High, w
			if r := strings.ToLower(g.Role.Value); r == "roles/owner" || r == "owner" || strings.Contains(r, "8e3af657") {
				t = Critical
			}
		}
		out = append(out, Item{Tier: t, What: what, Loc: locOf(g.Loc)})
	}
	return out
}

// hostOf lists what the workload reaches on its host.
func hostOf(r *Workload, w *model.Workload) {
	seen := map[string]bool{}
	add := func(t Tier, what string, l model.Location) {
		k := what + "\x00" + l.String()
		if !seen[k] {
			seen[k] = true
			r.Host = append(r.Host, Item{Tier: t, What: what, Loc: locOf(l)})
		}
	}
	ns := func(b model.Bool, what string) {
		if b.IsTrue() {
			add(High, what, b.Loc)
		}
	}
	ns(w.HostPID, "host PID namespace: sees and signals every process on the host")
	ns(w.HostIPC, "host IPC namespace")
	ns(w.HostUTS, "host UTS namespace")
	ns(w.HostUserns, "host user namespace")
	for _, c := range w.Containers {
		who := c.Display()
		e := model.Effective(w, c)
		if e.Privileged.IsTrue() {
			add(Critical, who+" is privileged: root on the host", e.Privileged.Loc)
		}
		ns(c.HostPID, who+" shares the host PID namespace")
		ns(c.HostIPC, who+" shares the host IPC namespace")
		ns(c.HostUTS, who+" shares the host UTS namespace")
		ns(c.HostUserns, who+" shares the host user namespace")
		for _, cp := range e.CapAdd {
			if !cp.Known() {
				continue
			}
			name := model.Capability(cp.Value)
			if power, ok := model.BreakingCapability(name); ok {
				t := High
				if name == "ALL" || name == "SYS_ADMIN" {
					t = Critical
				}
				if name == "NET_RAW" {
					t = Medium
				}
				add(t, who+" adds "+name+": "+power, cp.Loc)
			}
		}
		if e.Seccomp.Known() && e.Seccomp.Value == "Unconfined" {
			add(Medium, who+" runs without seccomp", e.Seccomp.Loc)
		}
		switch c.Kind {
		case model.ContainerProcess:
			add(High, who+" runs on the user's machine, not in a container: the user's files, credentials and environment", c.Loc)
		case model.ContainerRunner:
			if w.CI != nil && w.CI.Runner.SelfHosted {
				add(Medium, "steps run on a self-hosted runner ("+w.CI.Runner.Display()+"): what earlier jobs left on it", w.CI.Runner.Loc)
			}
		}
		for _, m := range c.Mounts {
			v := m.Volume
			if v == nil {
				continue
			}
			if v.Device {
				add(High, who+" gets host device "+v.HostPath.Value, m.Loc)
				continue
			}
			if v.Kind != model.VolumeHostPath || !v.HostPath.Known() {
				continue
			}
			hp := v.HostPath.Value
			ro := m.ReadOnly.IsTrue()
			if ro && model.IsPublicHostData(hp) {
				continue
			}
			mode := " (read-write)"
			if ro {
				mode = " (read-only)"
			}
			switch model.ClassifyHostPath(hp, v.HostPathType) {
			case model.ReachRuntimeSocket:
				add(Critical, who+" mounts the container runtime socket "+hp+": it can start privileged containers on the host", m.Loc)
			case model.ReachDevice:
				add(High, who+" mounts host device "+hp+mode, m.Loc)
			case model.ReachSensitive:
				t := High
				if hp == "/" && !ro {
					t = Critical
				}
				add(t, who+" mounts sensitive host path "+hp+mode, m.Loc)
			default:
				t := Medium
				if ro {
					t = Low
				}
				add(t, who+" mounts host path "+hp+mode, m.Loc)
			}
		}
	}
}

// networkOf lists the workload's network reach.
func (ix *index) networkOf(r *Workload, w *model.Workload) {
	host := w.HostNetwork.IsTrue()
	if host {
		r.Network = append(r.Network, Item{Tier: High, What: "host network: every address and port the host reaches, the host's loopback services and the metadata endpoint", Loc: locOf(w.HostNetwork.Loc)})
	}
	for _, c := range w.Containers {
		if c.HostNetwork.IsTrue() {
			host = true
			r.Network = append(r.Network, Item{Tier: High, What: c.Display() + " uses the host network", Loc: locOf(c.HostNetwork.Loc)})
		}
	}
	if w.Endpoint != nil && w.Endpoint.URL.Known() {
		if u, err := url.Parse(w.Endpoint.URL.Value); err == nil && u.Host != "" {
			r.Network = append(r.Network, Item{Tier: Low, What: "connects to " + u.Scheme + "://" + u.Host, Loc: locOf(w.Endpoint.URL.Loc)})
		}
	}
	if w.Format != model.FormatK8s {
		if !host && len(w.Containers) > 0 {
			r.Network = append(r.Network, Item{Tier: Low, What: "egress: nothing in the scan restricts it (" + string(w.Format) + " has no egress policy isolint reads)", Loc: locOf(w.Loc)})
		}
		return
	}
	var selecting []*model.NetworkPolicy
	for _, np := range ix.p.NetworkPolicies {
		if np.HasEgress() && np.Selects(w) {
			selecting = append(selecting, np)
		}
	}
	if len(selecting) == 0 {
		r.Network = append(r.Network, Item{Tier: Medium, What: "egress unrestricted: no egress NetworkPolicy in the scan selects it (any address, including the metadata endpoint)", Loc: locOf(w.SpecLoc)})
		return
	}
	var names []string
	for _, np := range selecting {
		names = append(names, np.Name)
		for _, er := range np.Egress {
			if len(er.To) == 0 {
				r.Network = append(r.Network, Item{Tier: Medium, What: "NetworkPolicy " + np.Name + " allows egress to any address", Loc: locOf(er.Loc)})
				continue
			}
			for _, peer := range er.To {
				if peer.IPBlock == nil {
					continue
				}
				for _, a := range model.MetadataAddrs {
					if peer.IPBlock.Allows(a) && portsAllow(er.Ports, 80) {
						r.Network = append(r.Network, Item{Tier: High, What: "NetworkPolicy " + np.Name + " lets it reach the metadata endpoint " + a.String(), Loc: locOf(peer.Loc)})
						break
					}
				}
			}
		}
	}
	r.Network = append(r.Network, Item{Tier: Low, What: "egress limited by NetworkPolicy " + list(names, maxListed), Loc: locOf(selecting[0].Loc)})
}

func portsAllow(ports []model.NetworkPort, n int) bool {
	if len(ports) == 0 {
		return true
	}
	for _, p := range ports {
		if p.AllowsPort(n) {
			return true
		}
	}
	return false
}

// transitive adds what the workload's rights reach in turn.
func (ix *index) transitive(r *Workload, w *model.Workload, direct map[string]Tier) {
	if w.Format == model.FormatK8s && w.Identity.Kind == model.IdentityK8sServiceAccount && !w.Identity.Unknown {
		ns, name, _ := strings.Cut(w.Identity.Key, "/")
		for _, g := range ix.grantsOf(ns, name) {
			ix.secretReach(r, g)
			if g.pods || g.exec {
				ix.podReach(r, w, g, direct)
			}
		}
	}
	// a CI job that assumes a role a workload of the scan runs as acts as
	// that workload: say whose identity it is
	if w.CI != nil {
		for _, id := range w.CI.CloudRoles {
			for _, role := range ix.p.CloudRoles {
				if !role.AssumedBy(id) {
					continue
				}
				for _, h := range ix.holders["id:"+role.Key] {
					if h.w == w {
						continue
					}
					t := direct[h.w.ID()+"\x00"+h.w.Instance]
					r.Transitive = append(r.Transitive, Item{Tier: worst(Low, capTier(t)),
						What: "acts as " + h.w.ID() + ", which runs as " + role.Key + " (" + string(t) + " blast radius)", Loc: locOf(id.Loc)})
				}
			}
		}
	}
}

// capTier keeps a reached workload's tier, bounded at high unless it is
// critical: reaching a workload's identity is not running its code.
func capTier(t Tier) Tier {
	if t == Critical {
		return High
	}
	return t
}

func (ix *index) secretReach(r *Workload, g grant) {
	if len(g.readSecrets) == 0 {
		return
	}
	loc := locOf(g.binding.RoleRef.Loc)
	by := " (read through " + g.binding.RoleRef.Kind + " " + g.binding.RoleRef.Name + ")"
	all := contains(g.readSecrets, "*")
	var namespaces []string
	if g.namespace != "" {
		namespaces = []string{g.namespace}
	} else {
		for ns := range ix.secrets {
			namespaces = append(namespaces, ns)
		}
		sort.Strings(namespaces)
	}
	for _, ns := range namespaces {
		var names []string
		for n := range ix.secrets[ns] {
			if all || contains(g.readSecrets, n) {
				names = append(names, n)
			}
		}
		sort.Strings(names)
		for _, n := range names {
			users := ix.secrets[ns][n]
			r.Transitive = append(r.Transitive, Item{Tier: High, What: "Secret " + ns + "/" + n + ", used by " + list(users, 3) + by, Loc: loc})
		}
	}
	if all {
		where := "every Secret in every namespace"
		if g.namespace != "" {
			where = "every Secret in namespace " + g.namespace
		}
		r.Transitive = append(r.Transitive, Item{Tier: High, What: where + ", including those the scan does not show" + by, Loc: loc})
	}
}

func (ix *index) podReach(r *Workload, w *model.Workload, g grant, direct map[string]Tier) {
	what := "create pods"
	if g.exec && !g.pods {
		what = "exec into pods"
	} else if g.exec {
		what = "create and exec into pods"
	}
	var pods []*model.Workload
	where := "any pod in every namespace"
	if g.namespace != "" {
		where = "any pod in namespace " + g.namespace
		pods = ix.byNS[g.namespace]
	} else {
		for _, ns := range sortedKeys(ix.byNS) {
			pods = append(pods, ix.byNS[ns]...)
		}
	}
	t := High
	var names []string
	for _, p := range pods {
		if p == w {
			continue
		}
		pt := direct[p.ID()+"\x00"+p.Instance]
		t = worst(t, pt)
		names = append(names, p.ID()+" ("+string(pt)+")")
	}
	text := where + " (" + what + "), and what those pods reach, their service accounts' rights included"
	if g.pods {
		text += "; a new pod can run as any service account of its namespace"
		var accounts []string
		for _, key := range ix.accountsIn(g.namespace) {
			if key == w.Identity.Key {
				continue
			}
			ns, name, _ := strings.Cut(key, "/")
			at, bound := None, false
			for _, og := range ix.grantsOf(ns, name) {
				bound = true
				for _, it := range og.items {
					at = worst(at, it.Tier)
				}
			}
			label := string(at)
			if !bound {
				label = "rights unknown"
			}
			t = worst(t, capTier(at))
			accounts = append(accounts, key+" ("+label+")")
		}
		if len(accounts) > 0 {
			text += " (" + list(accounts, maxListed) + ")"
		}
	}
	if len(names) > 0 {
		text += ": " + list(names, maxListed)
	}
	r.Transitive = append(r.Transitive, Item{Tier: t, What: text, Loc: locOf(g.binding.RoleRef.Loc)})
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

// subprocess is the reach of a child process Go source starts.
func subprocess(s *model.Subprocess) *Workload {
	name := s.Func
	if name == "" {
		name = s.Call
	}
	if s.Package != "" {
		name = s.Package + "." + name
	}
	id := "subprocess/" + name
	if s.Loc.Path != "" {
		id = "subprocess/" + s.Package + "." + s.Loc.Path
	}
	r := &Workload{ID: id, Format: string(model.FormatGo), Kind: "subprocess", Name: name, Loc: locOf(s.Loc),
		Secrets: []Secret{}, Identities: []Identity{}, Host: []Item{}, Network: []Item{}, Transitive: []Item{}, SharedWith: []Share{}}
	switch {
	case s.Unknown:
		r.Identities = append(r.Identities, Identity{Kind: "process", Name: s.Call, Rights: []Item{},
			Unknown: "the child's environment cannot be judged offline"})
	case s.EnvInherits:
		via := s.Call + " with the environment unset"
		if s.EnvFrom != "" {
			via = s.Call + " with " + s.EnvFrom
		}
		l := s.Loc
		if s.EnvSet {
			l = s.EnvLoc
		}
		r.Secrets = append(r.Secrets, Secret{Tier: Medium, How: "inherited-environment", Name: "the parent's whole environment", Into: via, Loc: locOf(l)})
	}
	r.Identities = append(r.Identities, Identity{Kind: "process", Name: "the parent process's user", Rights: []Item{},
		Unknown: "the user and host the program runs as are not in the scan"})
	return r
}

// instance is the reach of a virtual machine or node template through its
// metadata service: the instance's own identity is not linked in the model.
func instance(m *model.InstanceMetadata) *Workload {
	format := model.FormatTerraform
	if strings.HasPrefix(m.Kind, "AWS::") {
		format = model.FormatCFN // CloudFormation resource types
	}
	r := &Workload{ID: m.Kind + "/" + m.Name, Format: string(format), Kind: m.Kind, Name: m.Name, Loc: locOf(m.Loc),
		Secrets: []Secret{}, Identities: []Identity{}, Host: []Item{}, Network: []Item{}, Transitive: []Item{}, SharedWith: []Share{}}
	if m.Resource != "" && m.Resource != m.Name && m.Resource != m.Kind+"."+m.Name {
		r.Instance = m.Resource
	}
	r.Identities = append(r.Identities, Identity{Kind: "instance-identity", Name: "the instance's role or service account", Rights: []Item{},
		Unknown: "isolint does not link an instance to its instance profile or service account"})
	if m.Provider == model.ProviderGCP {
		if m.ExposedToPods.IsTrue() {
			r.Network = append(r.Network, Item{Tier: High, What: "pods reach the node's metadata server and its service account (GCE_METADATA)", Loc: locOf(m.ExposedToPods.Loc)})
		}
		if m.LegacyEndpoints.IsTrue() {
			r.Network = append(r.Network, Item{Tier: High, What: "legacy metadata endpoints on: no Metadata-Flavor header needed (SSRF reaches them)", Loc: locOf(m.LegacyEndpoints.Loc)})
		}
		return r
	}
	if m.Endpoint.Known() && m.Endpoint.Value == "disabled" {
		r.Network = append(r.Network, Item{Tier: Low, What: "metadata endpoint disabled", Loc: locOf(m.Endpoint.Loc)})
		return r
	}
	switch {
	case !m.Tokens.Set:
		r.Network = append(r.Network, Item{Tier: Medium, What: "IMDS tokens not required (unset: the image and account default may allow IMDSv1)", Loc: locOf(m.OptionsLoc)})
	case m.Tokens.Known() && m.Tokens.Value == "optional":
		r.Network = append(r.Network, Item{Tier: High, What: "IMDSv1 allowed: any process or SSRF on the instance reads its role's credentials", Loc: locOf(m.Tokens.Loc)})
	}
	if m.HopLimit.Known() && m.HopLimit.Value > 1 {
		r.Network = append(r.Network, Item{Tier: High, What: "metadata hop limit " + strconv.FormatInt(m.HopLimit.Value, 10) + ": containers on the instance reach its role's credentials", Loc: locOf(m.HopLimit.Loc)})
	}
	return r
}

// accountsIn lists the service accounts of a namespace ("" for every
// namespace) that the scan defines or its workloads run as.
func (ix *index) accountsIn(namespace string) []string {
	if out, ok := ix.nsAccounts[namespace]; ok {
		return out
	}
	seen := map[string]bool{}
	for key := range ix.accounts {
		seen[key] = true
	}
	for _, ws := range ix.byNS {
		for _, w := range ws {
			if id := w.Identity; id.Kind == model.IdentityK8sServiceAccount && !id.Unknown && id.Key != "" {
				seen[id.Key] = true
			}
		}
	}
	var out []string
	for key := range seen {
		if ns, _, _ := strings.Cut(key, "/"); namespace == "" || ns == namespace {
			out = append(out, key)
		}
	}
	sort.Strings(out)
	ix.nsAccounts[namespace] = out
	return out
}
