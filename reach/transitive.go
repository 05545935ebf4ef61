package reach

import (
	"sort"
	"strings"

	"github.com/isolint/isolint/model"
)

// What a workload's rights reach in turn: one bounded step.

// transitive adds what the workload's rights reach in turn.
func (ix *index) transitive(r *Workload, w *model.Workload, direct map[*model.Workload]Tier) {
	if w.Format == model.FormatK8s && w.Identity.Kind == model.IdentityK8sServiceAccount && !w.Identity.Unknown {
		ns, name, _ := strings.Cut(w.Identity.Key, "/")
		for _, g := range ix.grantsOf(ns, name, w.Unit) {
			ix.secretReach(r, w, g)
			if g.pods || g.exec {
				ix.podReach(r, w, g, direct)
			}
		}
	}
	// a CI job that assumes a role a workload of the scan runs as acts as
	// that workload: say whose identity it is
	if w.CI != nil {
		for _, id := range w.CI.CloudRoles {
			for _, role := range ix.cloudRoles.AssumedBy(id) {
				for _, h := range ix.holders["id:"+role.Key] {
					if h.w == w {
						continue
					}
					t := direct[h.w]
					r.Transitive = append(r.Transitive, Item{Tier: worst(Low, capTier(t)),
						What: "acts as " + h.w.ID() + ", which runs as " + model.TerraformAddr(role.Key) + " (" + string(t) + " blast radius)", Loc: locOf(id.Loc)})
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

func (ix *index) secretReach(r *Workload, w *model.Workload, g grant) {
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
			var users []string
			for _, u := range ix.secrets[ns][n] {
				if model.SameUnit(u.Unit, w.Unit) {
					users = append(users, label(u))
				}
			}
			if len(users) == 0 {
				continue // only alternative builds use it
			}
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

func (ix *index) podReach(r *Workload, w *model.Workload, g grant, direct map[*model.Workload]Tier) {
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
		if p == w || !model.SameUnit(p.Unit, w.Unit) {
			continue
		}
		pt := direct[p]
		t = worst(t, pt)
		names = append(names, label(p)+" ("+string(pt)+")")
	}
	text := where + " (" + what + "), and what those pods reach, their service accounts' rights included"
	if g.pods {
		text += "; a new pod can run as any service account of its namespace"
		var accounts []string
		for _, key := range ix.accountsIn(g.namespace, w.Unit) {
			if key == w.Identity.Key {
				continue
			}
			ns, name, _ := strings.Cut(key, "/")
			at, bound := None, false
			for _, og := range ix.grantsOf(ns, name, w.Unit) {
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
