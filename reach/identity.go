package reach

import (
	"sort"
	"strconv"
	"strings"

	"github.com/isolint/isolint/model"
)

// The identities a workload runs as, and what the scan shows each may do.

func (ix *index) identitiesOf(r *Workload, w *model.Workload) {
	id := w.Identity
	switch id.Kind {
	case model.IdentityK8sServiceAccount:
		r.Identities = append(r.Identities, ix.serviceAccount(w))
	case model.IdentityAWSRole, model.IdentityGCPServiceAccount, model.IdentityAzureManagedIdentity:
		ci := ix.cloudIdentity(id)
		if machineKinds[w.Kind] && id.Key == "" && !id.Unknown {
			ci.Name = "(no instance profile)"
			ci.Unknown = "no instance profile is named: the machine holds no role credentials, unless what launches it adds a profile"
		}
		r.Identities = append(r.Identities, ci)
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

// machineKinds are the EC2 machines whose identity is an instance profile.
var machineKinds = map[string]bool{"aws_instance": true, "aws_launch_template": true, "aws_launch_configuration": true,
	"AWS::EC2::Instance": true, "AWS::EC2::LaunchTemplate": true, "AWS::AutoScaling::LaunchConfiguration": true}

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
	for _, g := range ix.grantsOf(ns, name, w.Unit) {
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
	// pods: create pods or pod controllers; exec: create or get pods/exec
	// or pods/attach.
	pods, exec bool
}

// grantsOf lists what the bindings of the scan that a reader in unit sees
// (its own and plain manifests: never an alternative unit's) give the
// service account ns/name.
func (ix *index) grantsOf(ns, name, unit string) []grant {
	var out []grant
	for _, b := range ix.p.RoleBindings {
		if !model.SameUnit(b.Unit, unit) {
			continue
		}
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
		ru := b.Unit
		if ru == "" {
			ru = unit
		}
		role, _ := inUnit(ix.roles[model.RoleKey(b.RoleRef.Kind, roleNS, b.RoleRef.Name)], ru, func(r *model.Role) string { return r.Unit })
		switch {
		case role == nil:
			g.unknown = b.RoleRef.Kind + " " + b.RoleRef.Name + " (bound by " + b.Kind + " " + b.Name + ") is not in the scan"
		case role.Aggregated:
			g.unknown = "ClusterRole " + role.Name + " aggregates the ClusterRoles its selectors match: "
			if n := len(ix.agg.Sources(role, ru)); n > 0 {
				g.unknown += "the rules shown come from the " + strconv.Itoa(n) + " in the scan, others in the cluster may add more"
			} else {
				g.unknown += "none in the scan matches, its rules are filled in at run time"
			}
		}
		if role != nil {
			for _, pr := range ix.agg.Rules(role, ru) {
				by := by
				if pr.From != role {
					by += " through ClusterRole " + pr.From.Name
				}
				g.items = append(g.items, ruleItem(by, scope, b.Kind == "RoleBinding", pr.PolicyRule))
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
				if len(pr.PodCreation()) > 0 {
					g.pods = true // directly, or through a pod controller
				}
				if pr.GrantsExec() {
					g.exec = true
				}
			}
		}
		out = append(out, g)
	}
	return out
}

// ruleItem describes one role rule and grades it.
func ruleItem(by, scope string, namespaced bool, pr model.PolicyRule) Item {
	what := strings.Join(pr.Verbs, ", ") + " " + strings.Join(pr.Resources, ", ")
	if len(pr.ResourceNames) > 0 {
		what += " named " + list(pr.ResourceNames, maxListed)
	}
	t := Low
	danger := pr.DangerousGrants(namespaced)
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
	role := ix.cloudRoles.First(id)
	if role == nil {
		out.Unknown = "the role is not defined in the scan: its grants are unknown"
		if k := strings.ToLower(id.Key + " " + id.Name); strings.Contains(k, "instance-profile/") || strings.Contains(k, "instance_profile.") || strings.Contains(k, "instanceprofile") {
			out.Unknown = "the instance profile, or the role it carries, is not in the scan: its grants are unknown"
		}
		return out
	}
	if role.Key != id.Key {
		out.Name += " = " + model.TerraformAddr(role.Key)
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
	if role.DeniesAll() {
		// an unconditioned Deny of every action wins over every Allow:
		// the grants are shown, but reach nothing (as overprivileged-identity
		// does not report them)
		for i := range out {
			if out[i].Tier.Rank() > Low.Rank() {
				out[i].Tier = Low
				out[i].What += " (denied: the role also denies every action)"
			}
		}
	}
	return out
}

// accountsIn lists the service accounts of a namespace ("" for every
// namespace) that the scan defines or its workloads run as, as a reader in
// unit sees them.
func (ix *index) accountsIn(namespace, unit string) []string {
	ck := namespace + "\x00" + unit
	if out, ok := ix.nsAccounts[ck]; ok {
		return out
	}
	seen := map[string]bool{}
	for key, sas := range ix.accounts {
		if _, ok := inUnit(sas, unit, func(sa *model.ServiceAccount) string { return sa.Unit }); ok {
			seen[key] = true
		}
	}
	for _, ws := range ix.byNS {
		for _, w := range ws {
			if id := w.Identity; id.Kind == model.IdentityK8sServiceAccount && !id.Unknown && id.Key != "" && model.SameUnit(w.Unit, unit) {
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
	ix.nsAccounts[ck] = out
	return out
}
