package terraform

import (
	"strings"

	"github.com/isolint/isolint/model"
)

// Serverless functions and container apps, and the nodes of managed
// Kubernetes clusters: each lowers onto a workload with its identity and
// environment (and, for nodes, their metadata settings), so that the
// identity, credential and metadata rules read them like any other.

// lowerCloudFunction lowers a google_cloudfunctions_function (1st gen):
// without service_account_email it runs as the App Engine default service
// account, which holds Editor on the project by default.
func lowerCloudFunction(rc *resCtx) {
	w := rc.workload()
	w.Identity = rc.gcpIdentity(rc.n.Get("service_account_email"))
	if w.Identity.Default && w.Identity.Key == "" {
		w.Identity.Name = "the App Engine default service account"
	}
	c := &model.Container{Name: rc.res.name, Kind: model.ContainerRegular, Loc: w.Loc}
	c.Env = append(envMap(rc.n.Get("environment_variables")), functionSecrets(rc.n)...)
	w.Containers = []*model.Container{c}
	w.Egress = rc.gcfEgress(rc.n)
	rc.add(w)
}

// lowerCloudFunction2 lowers a google_cloudfunctions2_function: its
// service_config holds the identity and environment (absent: the default
// compute service account).
func lowerCloudFunction2(rc *resCtx) {
	w := rc.workload()
	sc := rc.n.Get("service_config")
	if sc.Exists() {
		w.SpecLoc = sc.KeyLoc()
	}
	w.Identity = rc.gcpIdentity(sc.Get("service_account_email"))
	if !sc.Exists() {
		w.Identity.Loc = w.Loc
		w.Identity.Loc.Synthetic = true
		w.Identity.Loc.Path = "service_config.service_account_email"
	}
	c := &model.Container{Name: rc.res.name, Kind: model.ContainerRegular, Loc: w.SpecLoc}
	c.Env = append(envMap(sc.Get("environment_variables")), functionSecrets(sc)...)
	w.Containers = []*model.Container{c}
	w.Egress = rc.gcfEgress(sc)
	rc.add(w)
}

// functionSecrets reads secret_environment_variables blocks (Secret
// Manager secrets delivered as environment variables).
func functionSecrets(n node) []*model.EnvVar {
	var out []*model.EnvVar
	for _, s := range n.All("secret_environment_variables") {
		key := s.Get("key")
		if key.Text() == "" {
			continue
		}
		ref := &model.SecretRef{Store: model.StoreGCPSecret, Name: s.Get("secret").Text(), Key: s.Get("version").Text(), Loc: s.KeyLoc()}
		if ref.Name == "" {
			if refs := s.Get("secret").Refs(); len(refs) > 0 {
				ref.Name = refs[0]
			}
		}
		out = append(out, &model.EnvVar{Name: key.Text(), Loc: key.Loc(), Secret: ref})
	}
	return out
}

// azureIdentity reads an Azure resource's identity block: a user-assigned
// identity is the one its identity_ids names, a system-assigned one is the
// resource's own. Without a block the resource has no identity.
func (rc *resCtx) azureIdentity(idb node) model.Identity {
	if !idb.Exists() {
		return model.Identity{}
	}
	t := idb.Get("type").Str()
	id := model.Identity{Kind: model.IdentityAzureManagedIdentity, Loc: idb.Get("type").Loc(), Via: t.Via}
	switch {
	case !t.Known():
		id.Unknown = true
	case strings.Contains(t.Value, "UserAssigned"):
		ids := idb.Get("identity_ids").Items()
		if len(ids) == 0 {
			id.Unknown = true
			break
		}
		uid := rc.identity(ids[0], model.IdentityAzureManagedIdentity)
		uid.Loc = idb.Get("identity_ids").Loc()
		return uid
	case strings.Contains(t.Value, "SystemAssigned"):
		id.Key, id.Name = rc.in.run.key(rc.addr), rc.res.addr()+" (system-assigned identity)"
	}
	return id
}

// lowerAzureFunctionApp lowers azurerm_linux_function_app,
// azurerm_windows_function_app and azurerm_function_app: identity and
// app_settings (the function's environment; Key Vault references are
// secrets, not literals), and the storage key the runtime receives as
// AzureWebJobsStorage.
func lowerAzureFunctionApp(rc *resCtx) {
	w := rc.workload()
	w.Identity = rc.azureIdentity(rc.n.Get("identity"))
	c := &model.Container{Name: rc.res.name, Kind: model.ContainerRegular, Loc: w.Loc}
	c.Env = envMap(rc.n.Get("app_settings"))
	if k := rc.n.Get("storage_account_access_key"); k.Exists() {
		c.Env = append(c.Env, &model.EnvVar{Name: "storage_account_access_key", Loc: k.Loc(), Value: k.Str(), FromVar: fromVar(k)})
	}
	w.Containers = []*model.Container{c}
	w.Egress = rc.azureAppEgress()
	rc.add(w)
}

// lowerAzureContainerApp lowers an azurerm_container_app: identity and the
// template's containers with their env (secret_name: a secret of the app).
func lowerAzureContainerApp(rc *resCtx) {
	w := rc.workload()
	w.Identity = rc.azureIdentity(rc.n.Get("identity"))
	t := rc.n.Get("template")
	if t.Exists() {
		w.SpecLoc = t.KeyLoc()
	}
	for _, cn := range t.All("container") {
		c := &model.Container{Name: cn.Get("name").Text(), Kind: model.ContainerRegular, Image: cn.Get("image").Str(), Loc: cn.Get("name").Loc()}
		if c.Name == "" {
			c.Name = rc.res.name
		}
		for _, e := range cn.All("env") {
			ev := &model.EnvVar{Name: e.Get("name").Text(), Loc: e.Get("name").Loc()}
			if ev.Name == "" {
				continue
			}
			if sn := e.Get("secret_name"); sn.Exists() {
				ev.Secret = &model.SecretRef{Store: "azure-container-app-secret", Name: sn.Text(), Loc: sn.Loc()}
			} else if v := e.Get("value"); v.Exists() {
				ev.Value = v.Str()
				ev.FromVar = fromVar(v)
			}
			c.Env = append(c.Env, ev)
		}
		w.Containers = append(w.Containers, c)
	}
	rc.add(w)
}

// lowerGKENodePool lowers a google_container_node_pool, and the default
// pool and node_pool blocks of a google_container_cluster: the nodes' service
// account (absent: the default compute account) and OAuth scopes, and
// what the nodes' metadata server shows pods.
func lowerGKENodePool(rc *resCtx) {
	if rc.res.typ == "google_container_cluster" {
		if rc.n.Get("enable_autopilot").Bool().IsTrue() {
			return // Autopilot manages its nodes
		}
		pools := rc.n.All("node_pool")
		// node_pool blocks replace the default pool
		if b := rc.n.Get("remove_default_node_pool").Bool(); !b.IsTrue() && !b.Unknown && len(pools) == 0 {
			gkeNodes(rc, rc.n.Get("node_config"), rc.res.addr(), model.Location{})
		}
		for _, np := range pools {
			gkeNodes(rc, np.Get("node_config"), rc.res.addr()+" node_pool "+np.Get("name").Text(), np.KeyLoc())
		}
		return
	}
	gkeNodes(rc, rc.n.Get("node_config"), rc.res.addr(), model.Location{})
}

// gkeNodes lowers one pool's node_config; anchor is the node_pool block
// of a cluster (zero: the resource), where a missing node_config belongs.
func gkeNodes(rc *resCtx, nc node, what string, anchor model.Location) {
	w := rc.workload()
	if nc.Exists() {
		w.SpecLoc = nc.KeyLoc()
	}
	w.Identity = rc.gcpIdentity(nc.Get("service_account"))
	if !nc.Exists() {
		w.Identity.Loc = w.Loc
		if !anchor.IsZero() {
			w.Identity.Loc = anchor
		}
		w.Identity.Loc.Synthetic = true
		w.Identity.Loc.Path = "node_config.service_account"
	}
	if sc := nc.Get("oauth_scopes"); sc.Exists() {
		w.Identity.Scopes = sc.Strings()
	}
	rc.add(w)

	md := &model.InstanceMetadata{Resource: rc.addr, Kind: rc.res.typ, Name: rc.res.name, Provider: model.ProviderGCP, Loc: w.Loc, OptionsLoc: w.SpecLoc}
	if m := nc.Get("workload_metadata_config").Get("mode"); m.Exists() {
		s := m.Str()
		md.ExposedToPods = model.Bool{Set: true, Unknown: !s.Known(), Loc: s.Loc, Via: s.Via}
		if s.Known() {
			md.ExposedToPods.Value = strings.EqualFold(s.Value, "GCE_METADATA")
		}
	}
	if le := nc.Get("metadata").Get("disable-legacy-endpoints"); le.Exists() {
		b := le.Bool()
		md.LegacyEndpoints = model.Bool{Set: b.Set, Unknown: b.Unknown, Value: !b.Value, Loc: b.Loc, Via: b.Via}
	}
	if what != rc.res.addr() {
		md.Name = rc.res.name + " (" + strings.TrimPrefix(what, rc.res.addr()+" ") + ")"
	}
	rc.in.run.proj.Metadata = append(rc.in.run.proj.Metadata, md)
}

// lowerEKSNodeGroup records which launch template an aws_eks_node_group's
// nodes start from: the template's metadata options decide whether pods on
// them reach the node role's credentials.
func lowerEKSNodeGroup(rc *resCtx) {
	lt := rc.n.Get("launch_template")
	if !lt.Exists() {
		return
	}
	for _, k := range []string{"id", "name"} {
		for _, r := range lt.Get(k).Refs() {
			if resourceType(r) == "aws_launch_template" {
				rc.in.run.nodeGroups[r] = append(rc.in.run.nodeGroups[r], model.Related{Loc: lt.KeyLoc(), Message: "EKS node group " + rc.res.addr() + " starts its nodes from this template: its pods reach the node role"})
			}
		}
	}
}

// lowerAKS lowers an azurerm_kubernetes_cluster's nodes: the kubelet
// identity (user-assigned, or the one AKS creates and names after the
// cluster) is what every pod reaches through the node's metadata endpoint.
func lowerAKS(rc *resCtx) {
	w := rc.workload()
	ki := rc.n.Get("kubelet_identity")
	switch {
	case ki.Exists():
		w.Identity = rc.identity(ki.Get("user_assigned_identity_id"), model.IdentityAzureManagedIdentity)
	case rc.n.Get("identity").Exists():
		w.Identity = rc.azureIdentity(rc.n.Get("identity"))
	}
	if rc.n.Get("default_node_pool").Exists() {
		w.SpecLoc = rc.n.Get("default_node_pool").KeyLoc()
	}
	rc.add(w)
}

// registryModule is a well-known remote module that defines a workload: it
// is never fetched, but the role a call passes in still identifies what the
// workload runs as (docs/terraform.md, "a reference to one still identifies
// it").
type registryModule struct {
	kind string // the resource the module wraps, for messages
	role string // the input that names an existing role
	env  string // the input that holds the environment, if any
}

var registryModules = map[string]registryModule{
	"terraform-aws-modules/lambda/aws":               {kind: "aws_lambda_function", role: "lambda_role", env: "environment_variables"},
	"terraform-aws-modules/ecs/aws//modules/service": {kind: "aws_ecs_service", role: "tasks_iam_role_arn"},
	"terraform-aws-modules/batch/aws":                {kind: "aws_batch_job_definition", role: "instance_iam_role_arn"},
}

// lowerRegistryModule lowers a call of a known remote module that passes in
// an existing role; a call that lets the module create its role defines an
// identity the scan cannot see, and is left alone.
func (in *instance) lowerRegistryModule(c *moduleCall) {
	src := strings.TrimPrefix(c.source, "registry.terraform.io/")
	m, ok := registryModules[src]
	if !ok || c.target != nil {
		return
	}
	addr := "module." + c.name
	n := blockNode(in.root(), c.block, "", addr)
	role := n.Get(m.role)
	if !role.Exists() {
		return
	}
	loc := rangeLoc(c.block.DefRange, c.block.DefRange)
	loc.Object = addr
	w := &model.Workload{Format: model.FormatTerraform, Kind: "module", Name: c.name, Loc: loc, SpecLoc: loc, Lacks: model.AllSettings}
	if in.prefix() != "" {
		w.Instance = in.prefix() + addr
	}
	rc := &resCtx{in: in, n: n, addr: in.prefix() + addr}
	w.Identity = rc.identity(role, model.IdentityAWSRole)
	ct := &model.Container{Name: c.name + " (" + m.kind + ")", Kind: model.ContainerRegular, Loc: loc}
	if m.env != "" {
		ct.Env = envMap(n.Get(m.env))
	}
	w.Containers = []*model.Container{ct}
	in.run.proj.Workloads = append(in.run.proj.Workloads, w)
}
