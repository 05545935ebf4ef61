package terraform

import (
	"regexp"
	"strings"

	"github.com/isolint/isolint/model"
)

// defaultComputeSA matches the Compute Engine default service account.
var defaultComputeSA = regexp.MustCompile(`^[0-9]+-compute@developer\.gserviceaccount\.com$`)

// gcpIdentity reads a service account attribute; absent, the workload runs
// as the project's default compute service account.
func (rc *resCtx) gcpIdentity(n node) model.Identity {
	id := rc.identity(n, model.IdentityGCPServiceAccount)
	s := n.Str()
	switch {
	case !n.Exists() || (s.Known() && s.Value == ""):
		id.Default, id.Name, id.Key = true, "the default compute service account", ""
		if !n.Exists() {
			id.Loc = n.Loc()
		}
	case s.Known() && defaultComputeSA.MatchString(s.Value):
		id.Default = true
	}
	return id
}

// lowerCloudRun lowers a google_cloud_run_service (v1 API shape).
func lowerCloudRun(rc *resCtx) {
	w := rc.workload()
	spec := rc.n.Get("template").Get("spec")
	if !spec.Exists() {
		return
	}
	w.SpecLoc = spec.KeyLoc()
	w.Identity = rc.gcpIdentity(spec.Get("service_account_name"))
	for _, cn := range spec.All("containers") {
		c := &model.Container{Name: cn.Get("name").Text(), Kind: model.ContainerRegular, Image: cn.Get("image").Str(), Loc: cn.KeyLoc()}
		if c.Name == "" {
			c.Name = rc.res.name
		}
		for _, e := range cn.All("env") {
			ev := cloudRunEnv(e)
			if skr := e.Get("value_from").Get("secret_key_ref"); skr.Exists() {
				ev.Secret = &model.SecretRef{Store: model.StoreGCPSecret, Name: skr.Get("name").Text(), Key: skr.Get("key").Text(), Loc: skr.KeyLoc()}
			}
			if ev.Name != "" {
				c.Env = append(c.Env, ev)
			}
		}
		w.Containers = append(w.Containers, c)
	}
	rc.add(w)
}

func cloudRunEnv(e node) *model.EnvVar {
	ev := &model.EnvVar{Name: e.Get("name").Text(), Loc: e.Get("name").Loc()}
	if v := e.Get("value"); v.Exists() {
		ev.Value = v.Str()
		ev.FromVar = fromVar(v)
	}
	return ev
}

// lowerCloudRunV2 lowers google_cloud_run_v2_service and _job.
func lowerCloudRunV2(rc *resCtx) {
	w := rc.workload()
	t := rc.n.Get("template")
	if rc.res.typ == "google_cloud_run_v2_job" {
		t = t.Get("template")
	}
	if !t.Exists() {
		return
	}
	w.SpecLoc = t.KeyLoc()
	w.Identity = rc.gcpIdentity(t.Get("service_account"))
	for _, cn := range t.All("containers") {
		c := &model.Container{Name: cn.Get("name").Text(), Kind: model.ContainerRegular, Image: cn.Get("image").Str(), Loc: cn.KeyLoc()}
		if c.Name == "" {
			c.Name = rc.res.name
		}
		for _, e := range cn.All("env") {
			ev := cloudRunEnv(e)
			if skr := e.Get("value_source").Get("secret_key_ref"); skr.Exists() {
				ev.Secret = &model.SecretRef{Store: model.StoreGCPSecret, Name: skr.Get("secret").Text(), Key: skr.Get("version").Text(), Loc: skr.KeyLoc()}
				if ev.Secret.Name == "" {
					if refs := skr.Get("secret").Refs(); len(refs) > 0 {
						ev.Secret.Name = refs[0]
					}
				}
			}
			if ev.Name != "" {
				c.Env = append(c.Env, ev)
			}
		}
		w.Containers = append(w.Containers, c)
	}
	rc.add(w)
}

// lowerGCEInstance lowers a VM's service account. Without a service_account
// block the VM has no identity; a block without an email runs as the
// default compute service account.
func lowerGCEInstance(rc *resCtx) {
	w := rc.workload()
	sa := rc.n.Get("service_account")
	if sa.Exists() {
		w.Identity = rc.gcpIdentity(sa.Get("email"))
		if sc := sa.Get("scopes"); sc.Exists() {
			w.Identity.Scopes = sc.Strings()
		}
	}
	rc.add(w)
}

// lowerGCPServiceAccount records a service account as a cloud role.
func lowerGCPServiceAccount(rc *resCtx) {
	rc.in.run.iam.role(&model.CloudRole{Kind: model.IdentityGCPServiceAccount, Key: rc.in.run.key(rc.addr), Name: rc.addr, Loc: rangeLoc(rc.res.block.DefRange, rc.res.block.DefRange)}, rc.n.Get("email").Text())
}

// lowerGCPIAM records a predefined role granted to service accounts at a
// project, folder or organisation (google_*_iam_member / _binding).
func lowerGCPIAM(rc *resCtx) {
	role := rc.n.Get("role")
	level := "project"
	switch {
	case strings.HasPrefix(rc.res.typ, "google_folder_"):
		level = "folder"
	case strings.HasPrefix(rc.res.typ, "google_organization_"):
		level = "organization"
	}
	rs := role.Str()
	rg := &model.RoleGrant{Role: rs, Scope: rc.n.Get(level).Str(), ScopeLevel: level, Conditioned: rc.n.Get("condition").Exists(), Loc: role.Loc()}
	if level == "organization" {
		rg.Scope = rc.n.Get("org_id").Str()
	}
	var members []node
	if m := rc.n.Get("member"); m.Exists() {
		members = append(members, m)
	}
	members = append(members, rc.n.Get("members").Items()...)
	for _, m := range members {
		key := ""
		for _, r := range m.Refs() {
			if resourceType(r) == "google_service_account" || resourceType(r) == "data.google_service_account" {
				key = rc.in.run.key(r)
			}
		}
		if s := m.Str(); key == "" && s.Known() && strings.HasPrefix(s.Value, "serviceAccount:") {
			key = strings.TrimPrefix(s.Value, "serviceAccount:")
		}
		if key == "" {
			continue
		}
		rc.in.run.iam.grantRole(model.IdentityGCPServiceAccount, key, rg, model.Related{Loc: m.Loc(), Message: rs.Value + " granted here"})
	}
}

// lowerAzureRoleAssignment records an azurerm_role_assignment to a managed
// identity: a user-assigned identity, or the system-assigned identity of a
// workload (azurerm_linux_function_app.x.identity[0].principal_id).
func lowerAzureRoleAssignment(rc *resCtx) {
	role := rc.n.Get("role_definition_name")
	if !role.Exists() {
		role = rc.n.Get("role_definition_id")
	}
	scope := rc.n.Get("scope")
	rg := &model.RoleGrant{Role: role.Str(), Scope: scope.Str(), Conditioned: rc.n.Get("condition").Exists(), Loc: role.Loc()}
	if rg.Scope.Known() {
		rg.ScopeLevel = model.AzureScopeLevel(rg.Scope.Value)
	}
	for _, r := range scope.Refs() {
		switch resourceType(r) {
		case "data.azurerm_subscription", "azurerm_subscription":
			rg.ScopeLevel = "subscription"
		case "azurerm_management_group", "data.azurerm_management_group":
			rg.ScopeLevel = "management-group"
		case "azurerm_resource_group", "data.azurerm_resource_group":
			rg.ScopeLevel = "resource-group"
		}
	}
	p := rc.n.Get("principal_id")
	for _, r := range p.Refs() {
		if t := resourceType(r); t == "azurerm_user_assigned_identity" || azureWorkloadTypes[t] {
			rc.in.run.iam.grantRole(model.IdentityAzureManagedIdentity, rc.in.run.key(r), rg, model.Related{Loc: p.Loc(), Message: rg.Role.Value + " assigned here"})
			return
		}
	}
}

// lowerGCPFirewall records a google_compute_firewall EGRESS rule. A rule
// with `disabled = true` is not enforced ("the network behaves as if it did
// not exist"), and one without destination_ranges applies to every
// destination (GCP uses 0.0.0.0/0 for an egress rule that names none).
func lowerGCPFirewall(rc *resCtx) {
	dir := rc.n.Get("direction").Str()
	if !dir.Known() || !strings.EqualFold(dir.Value, "EGRESS") {
		return // INGRESS is the default
	}
	disabled := rc.n.Get("disabled").Bool()
	if disabled.IsTrue() {
		return
	}
	rules := rc.n.All("allow")
	allow := true
	if len(rules) == 0 {
		rules, allow = rc.n.All("deny"), false
	}
	f := rc.firewall(rc.n.Get("destination_ranges").Loc())
	f.Allow = allow
	for _, r := range rules {
		p := r.Get("protocol").Str()
		ports := r.Get("ports")
		b := model.Bool{Set: p.Set, Unknown: p.Unknown, Loc: p.Loc, Via: p.Via}
		if p.Known() {
			b.Value = strings.EqualFold(p.Value, "all") && !ports.Exists()
		}
		if b.Value || !f.AllProtocols.Set {
			f.AllProtocols = b
		}
	}
	if disabled.Unknown {
		// whether the rule is in force is not known
		f.AllProtocols = model.Bool{Set: true, Unknown: true, Loc: disabled.Loc, Via: disabled.Via}
	}
	if d := rc.n.Get("destination_ranges"); d.Exists() {
		f.Destinations = d.Strings()
	} else {
		// the rule applies to every destination: it belongs on the
		// resource, where destination_ranges would be written
		loc := rangeLoc(rc.res.block.DefRange, rc.res.block.DefRange)
		loc.Object, loc.Synthetic, loc.Path = rc.res.addr(), true, "destination_ranges"
		f.Loc = loc
		f.Destinations = []model.String{{Value: "0.0.0.0/0", Set: true, Loc: loc, Via: rc.in.calls}}
	}
	rc.addFirewall(f)
}

// lowerAzureContainerGroup lowers an azurerm_container_group.
func lowerAzureContainerGroup(rc *resCtx) {
	w := rc.workload()
	for _, cn := range rc.n.All("container") {
		c := &model.Container{Name: cn.Get("name").Text(), Kind: model.ContainerRegular, Image: cn.Get("image").Str(), Loc: cn.Get("name").Loc()}
		c.Env = envMap(cn.Get("environment_variables"))
		for _, p := range cn.Get("secure_environment_variables").Pairs() {
			c.Env = append(c.Env, &model.EnvVar{Name: p.Key, Loc: p.Val.Loc(), Secret: &model.SecretRef{Store: "azure-secure-environment-variable", Name: p.Key, Loc: p.Val.Loc()}})
		}
		c.Security = missingSecurity(c, join(cn.path, "security"))
		c.Security.Privileged = cn.Get("security").Get("privilege_enabled").Bool()
		w.Containers = append(w.Containers, c)
	}
	rc.add(w)
}

// lowerAzureNSG records an NSG's inline outbound rules.
func lowerAzureNSG(rc *resCtx) {
	for _, r := range rc.n.All("security_rule") {
		azureRule(rc, r)
	}
}

// lowerAzureNSGRule records an azurerm_network_security_rule.
func lowerAzureNSGRule(rc *resCtx) { azureRule(rc, rc.n) }

func azureRule(rc *resCtx, r node) {
	if d := r.Get("direction").Str(); !d.Known() || !strings.EqualFold(d.Value, "Outbound") {
		return
	}
	access := r.Get("access").Str()
	f := rc.firewall(r.Get("destination_address_prefix").Loc())
	f.Allow = access.Known() && strings.EqualFold(access.Value, "Allow")
	p := r.Get("protocol").Str()
	f.AllProtocols = model.Bool{Set: p.Set, Unknown: p.Unknown, Loc: p.Loc, Via: p.Via}
	if p.Known() {
		f.AllProtocols.Value = p.Value == "*" && azureAllPorts(r)
	}
	if d := r.Get("destination_address_prefix"); d.Exists() {
		f.Destinations = append(f.Destinations, d.Str())
	}
	f.Destinations = append(f.Destinations, r.Get("destination_address_prefixes").Strings()...)
	rc.addFirewall(f)
}

func azureAllPorts(r node) bool {
	if p := r.Get("destination_port_range").Str(); p.Known() {
		return p.Value == "*" || p.Value == "0-65535"
	}
	for _, p := range r.Get("destination_port_ranges").Strings() {
		if p.Known() && (p.Value == "*" || p.Value == "0-65535") {
			return true
		}
	}
	return false
}

// azureWorkloadTypes are the Azure resources whose system-assigned
// identity a role assignment can name through
// `<resource>.identity[0].principal_id`.
var azureWorkloadTypes = map[string]bool{
	"azurerm_linux_function_app": true, "azurerm_windows_function_app": true, "azurerm_function_app": true,
	"azurerm_container_app": true, "azurerm_container_group": true, "azurerm_kubernetes_cluster": true,
	"azurerm_linux_web_app": true, "azurerm_windows_web_app": true,
}
