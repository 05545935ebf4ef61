package reach

import (
	"strings"

	"github.com/isolint/isolint/model"
)

// The secrets a workload receives, and how.

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
				keys := s.SecretKeys()
				if len(keys) > 0 || model.IsSecretFileName(s.Name) {
					into := "every variable of the file"
					if len(keys) > 0 {
						into = list(keys, maxListed)
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
		if sa, ok := inUnit(ix.accounts[w.Identity.Key], w.Unit, func(sa *model.ServiceAccount) string { return sa.Unit }); ok && !w.AutomountToken.Set && sa.AutomountToken.IsFalse() {
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
			if in := st.Input("persist-credentials"); in != nil && (!in.Value.Known() || !model.CheckoutPersists(in.Value.Value)) {
				continue
			}
			tier := Low
			if tokenWrites(j.Effective()) {
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

// tokenWrites reports whether the job token may write: write-all, a write
// scope, or permissions unset (the repository default may be write-all).
// id-token: write is left out: it lets the job request an OIDC token
// (through ACTIONS_ID_TOKEN_REQUEST_TOKEN), and gives the job token itself,
// the one checkout persists, no write.
func tokenWrites(p model.Permissions) bool {
	if !p.Set || p.Unknown || p.All == "write-all" {
		return true
	}
	for _, w := range p.Writes() {
		if w.Scope != "id-token" {
			return true
		}
	}
	return false
}
