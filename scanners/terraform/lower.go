package terraform

import (
	"regexp"
	"strings"

	"github.com/isolint/isolint/model"
)

// resCtx is one instance of one resource being lowered.
type resCtx struct {
	in   *instance
	res  *resource
	n    node   // the resource block
	addr string // full address: module path, type.name, instance key
}

type lowerFunc func(rc *resCtx)

// lowerers maps resource types to their lowering.
var lowerers = map[string]lowerFunc{}

func init() {
	for _, t := range k8sKinds {
		lowerers[t.typ] = lowerK8s
		lowerers[t.typ+"_v1"] = lowerK8s
	}
	lowerers["kubernetes_service_account"] = lowerK8sServiceAccount
	lowerers["kubernetes_service_account_v1"] = lowerK8sServiceAccount
	lowerers["aws_ecs_task_definition"] = lowerECS
	lowerers["aws_batch_job_definition"] = lowerBatch
	lowerers["aws_lambda_function"] = lowerLambda
	lowerers["aws_codebuild_project"] = lowerCodeBuild
	lowerers["aws_instance"] = lowerInstance
	lowerers["aws_launch_template"] = lowerInstance
	lowerers["aws_launch_configuration"] = lowerInstance
	lowerers["aws_iam_instance_profile"] = lowerInstanceProfile
	lowerers["aws_security_group"] = lowerSecurityGroup
	lowerers["aws_security_group_rule"] = lowerSecurityGroupRule
	lowerers["aws_vpc_security_group_egress_rule"] = lowerVPCEgressRule
	lowerers["aws_iam_role"] = lowerIAMRole
	lowerers["aws_iam_role_policy"] = lowerIAMRolePolicy
	lowerers["aws_iam_role_policy_attachment"] = lowerIAMRolePolicyAttachment
	lowerers["aws_iam_policy_attachment"] = lowerIAMPolicyAttachment
	lowerers["aws_iam_policy"] = lowerIAMPolicy
	lowerers["google_cloud_run_service"] = lowerCloudRun
	lowerers["google_cloud_run_v2_service"] = lowerCloudRunV2
	lowerers["google_cloud_run_v2_job"] = lowerCloudRunV2
	lowerers["google_compute_instance"] = lowerGCEInstance
	lowerers["google_compute_instance_template"] = lowerGCEInstance
	lowerers["google_compute_firewall"] = lowerGCPFirewall
	lowerers["google_service_account"] = lowerGCPServiceAccount
	for _, t := range []string{"google_project_iam_member", "google_project_iam_binding", "google_folder_iam_member",
		"google_folder_iam_binding", "google_organization_iam_member", "google_organization_iam_binding"} {
		lowerers[t] = lowerGCPIAM
	}
	lowerers["azurerm_role_assignment"] = lowerAzureRoleAssignment
	lowerers["google_cloudfunctions_function"] = lowerCloudFunction
	lowerers["google_cloudfunctions2_function"] = lowerCloudFunction2
	for _, t := range []string{"azurerm_linux_function_app", "azurerm_windows_function_app", "azurerm_function_app"} {
		lowerers[t] = lowerAzureFunctionApp
	}
	lowerers["azurerm_container_app"] = lowerAzureContainerApp
	lowerers["google_container_node_pool"] = lowerGKENodePool
	lowerers["google_container_cluster"] = lowerGKENodePool
	lowerers["aws_eks_node_group"] = lowerEKSNodeGroup
	lowerers["azurerm_kubernetes_cluster"] = lowerAKS
	lowerers["aws_iam_access_key"] = lowerAWSAccessKey
	lowerers["google_service_account_key"] = lowerGCPServiceAccountKey
	lowerers["azuread_application_password"] = lowerAzureADPassword
	lowerers["azuread_service_principal_password"] = lowerAzureADPassword
	lowerers["kubernetes_secret"] = lowerK8sSecret
	lowerers["kubernetes_secret_v1"] = lowerK8sSecret
	lowerers["aws_iam_openid_connect_provider"] = lowerOIDCProvider
	lowerers["google_iam_workload_identity_pool_provider"] = lowerGCPWorkloadIdentityProvider
	lowerers["azuread_application_federated_identity_credential"] = lowerAzureFederatedCredential
	lowerers["azurerm_federated_identity_credential"] = lowerAzureFederatedCredential
	lowerers["azuread_application_flexible_federated_identity_credential"] = lowerAzureFederatedCredential
	lowerers["azurerm_container_group"] = lowerAzureContainerGroup
	lowerers["azurerm_network_security_group"] = lowerAzureNSG
	lowerers["azurerm_network_security_rule"] = lowerAzureNSGRule
	lowerers["aws_ecs_service"] = lowerECSService
	lowerers["azurerm_app_service_virtual_network_swift_connection"] = lowerSwiftConnection
}

// lower lowers every resource of the instance, then the modules it calls.
func (in *instance) lower() {
	if in.lowered {
		return
	}
	in.lowered = true
	for _, res := range in.mod.resOrder {
		if res.data {
			if res.typ == "aws_iam_policy_document" {
				in.eachInstance(res, func(rc *resCtx) { in.run.iam.docs[rc.addr] = rc.n })
			}
			continue
		}
		f := lowerers[res.typ]
		if f == nil {
			continue
		}
		in.eachInstance(res, f)
	}
	for _, c := range in.mod.callOrder {
		in.lowerRegistryModule(c)
		ch, _ := in.moduleInstances(c)
		for _, x := range ch {
			x.lower()
		}
	}
}

// eachInstance calls f for each count/for_each instance of a resource; an
// unknown count or for_each gives one instance whose index is unknown.
func (in *instance) eachInstance(res *resource, f lowerFunc) {
	ks := in.resourceKeys(res)
	list := ks.list
	if !ks.known {
		list = []instanceKey{{}}
	}
	for _, k := range list {
		s := scopeFor(in.root(), ks, k, ks.known)
		addr := in.prefix() + res.addr() + k.suffix
		f(&resCtx{in: in, res: res, n: blockNode(s, res.block, "", res.addr()), addr: addr})
	}
}

// workload starts a workload for the resource.
func (rc *resCtx) workload() *model.Workload {
	loc := rangeLoc(rc.res.block.DefRange, rc.res.block.DefRange)
	loc.Object = rc.res.addr()
	w := &model.Workload{
		Format:  model.FormatTerraform,
		Kind:    rc.res.typ,
		Name:    rc.res.name,
		Loc:     loc,
		SpecLoc: loc,
		// a function, build or VM offers none of a pod spec's settings;
		// pod specs and ECS/Batch containers say what they offer
		Lacks: model.AllSettings,
	}
	if rc.addr != rc.res.addr() {
		w.Instance = rc.addr
	}
	return w
}

func (rc *resCtx) add(w *model.Workload) {
	rc.in.run.proj.Workloads = append(rc.in.run.proj.Workloads, w)
}

// identityTypes are the resource types whose references name an identity.
var identityTypes = map[string]bool{
	"aws_iam_role": true, "data.aws_iam_role": true, "aws_iam_instance_profile": true,
	"google_service_account": true, "data.google_service_account": true,
	"azurerm_user_assigned_identity": true,
}

// resourceType strips the module path and instance key from an address:
// `module.a.aws_iam_role.x["k"]` → "aws_iam_role".
func resourceType(addr string) string {
	parts := strings.Split(stripIndexes(addr), ".")
	for len(parts) >= 2 && parts[0] == "module" {
		parts = parts[2:]
	}
	if len(parts) == 0 {
		return ""
	}
	if parts[0] == "data" && len(parts) > 1 {
		return "data." + parts[1]
	}
	return parts[0]
}

var indexRe = regexp.MustCompile(`\[[^\]]*\]`)

func stripIndexes(addr string) string { return indexRe.ReplaceAllString(addr, "") }

// identity reads the identity a workload runs as from the attribute that
// names it (a role ARN, a service account email).
func (rc *resCtx) identity(n node, kind model.IdentityKind) model.Identity {
	id := model.Identity{Kind: kind, Loc: n.Loc()}
	if !n.Exists() {
		return id
	}
	v := n.value()
	refs, _ := marksOf(v)
	id.Via = n.via(v)
	for _, r := range refs {
		if identityTypes[resourceType(r)] || (strings.HasPrefix(r, "module.") && resourceType(r) == "") {
			id.Key, id.Name = rc.in.run.key(r), r
			return id
		}
	}
	s := n.Str()
	switch {
	case s.Known() && s.Value != "":
		id.Key, id.Name = s.Value, s.Value
	case s.Set && !s.Known():
		id.Unknown = true
	}
	return id
}

// env reads a list of {name, value} objects (ECS, Batch, k8s env blocks).
func envList(items []node, nameKey, valueKey string) []*model.EnvVar {
	var out []*model.EnvVar
	for _, e := range items {
		name := e.Get(nameKey).Text()
		if name == "" {
			continue
		}
		ev := &model.EnvVar{Name: name, Loc: e.Get(nameKey).Loc()}
		if v := e.Get(valueKey); v.Exists() {
			ev.Value = v.Str()
			ev.FromVar = fromVar(v)
		}
		out = append(out, ev)
	}
	return out
}

// envMap reads a map of variables (Lambda environment.variables, Azure
// environment_variables).
func envMap(n node) []*model.EnvVar {
	var out []*model.EnvVar
	for _, p := range n.Pairs() {
		ev := &model.EnvVar{Name: p.Key, Loc: p.Val.Loc(), Value: p.Val.Str()}
		ev.FromVar = fromVar(p.Val)
		out = append(out, ev)
	}
	return out
}

// fromVar names the input variable a value is exactly (`var.db_password`),
// so that rules can judge the variable's name when its value is unknown.
func fromVar(n node) string {
	if n.expr == nil {
		return ""
	}
	tr := traversalOf(n.expr)
	if len(tr) == 2 && tr.RootName() == "var" {
		return stepName(tr, 1)
	}
	return ""
}

// boolFromString makes a Bool of a string setting that means true when it
// equals want ("host" network mode).
func boolFromString(s model.String, want string) model.Bool {
	b := model.Bool{Set: s.Set, Unknown: s.Unknown, Loc: s.Loc, Via: s.Via}
	if s.Known() {
		b.Value = strings.EqualFold(s.Value, want)
	}
	return b
}

// hostPathVolume returns a host-path volume.
func hostPathVolume(name string, loc model.Location, p model.String) *model.Volume {
	return &model.Volume{Name: name, Kind: model.VolumeHostPath, Loc: loc, HostPath: p}
}

// missingSecurity is the synthetic security context location of a
// container: its name key, or the container itself.
func missingSecurity(c *model.Container, path string) model.SecurityContext {
	l := c.Loc
	l.Synthetic = true
	l.Path = path
	return model.SecurityContext{Loc: l}
}
