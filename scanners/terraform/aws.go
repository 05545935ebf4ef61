package terraform

import (
	"strings"

	"github.com/isolint/isolint/model"
)

// lowerECS lowers an aws_ecs_task_definition: task-level host settings and
// volumes, the task role, and each container of container_definitions
// (jsonencode, heredoc or file JSON, with positions inside it).
func lowerECS(rc *resCtx) {
	w := rc.workload()
	if nm := rc.n.Get("network_mode").Str(); nm.Known() && strings.EqualFold(nm.Value, "awsvpc") {
		rc.in.run.awsvpc[rc.addr] = true
	}
	// ECS offers readonlyRootFilesystem, and no-new-privileges on EC2
	// hosts (dockerSecurityOptions is not valid on Fargate)
	w.Lacks = model.SettingAllowPrivilegeEscalation | model.SettingRunAsNonRoot
	if ec2, known := ecsRunsOnHosts(rc.n.Get("requires_compatibilities")); !ec2 || !known {
		w.Lacks |= model.SettingNoNewPrivileges
	}
	w.HostNetwork = boolFromString(rc.n.Get("network_mode").Str(), "host")
	w.Shares = &model.HostShares{
		PID: boolFromString(rc.n.Get("pid_mode").Str(), "host"),
		// pid_mode "task": the task's containers share one PID namespace
		ProcessNamespace: boolFromString(rc.n.Get("pid_mode").Str(), "task"),
		IPC:              boolFromString(rc.n.Get("ipc_mode").Str(), "host"),
	}
	w.Identity = rc.identity(rc.n.Get("task_role_arn"), model.IdentityAWSRole)
	if !w.Identity.Loc.Synthetic && !rc.n.Get("task_role_arn").Exists() {
		w.Identity.Loc.Synthetic = true
	}
	if !rc.n.Get("task_role_arn").Exists() && rc.n.Get("execution_role_arn").Exists() {
		// RULES.md: no task role, but an execution role (the agent's, for
		// pulling images and secrets). With no task role, a task on an EC2
		// (or ECS Anywhere) host gets the credentials of the host's
		// instance role from the metadata endpoint, like every other task
		// there; on Fargate it gets none.
		switch ec2, known := ecsRunsOnHosts(rc.n.Get("requires_compatibilities")); {
		case !known:
			w.Identity.Unknown = true
		case ec2:
			w.Identity.Default = true
			w.Identity.Name = "the EC2 instance role"
		}
	}
	for _, v := range rc.n.All("volume") {
		name := v.Get("name").Text()
		loc := v.Get("name").Loc()
		switch {
		case v.Get("host_path").Exists():
			w.Volumes = append(w.Volumes, hostPathVolume(name, loc, v.Get("host_path").Str()))
		case v.Get("docker_volume_configuration").Exists():
			w.Volumes = append(w.Volumes, &model.Volume{Name: name, Loc: loc, Kind: model.VolumeNamed})
		default:
			w.Volumes = append(w.Volumes, &model.Volume{Name: name, Loc: loc, Kind: model.VolumeOther})
		}
	}
	defs := rc.n.Get("container_definitions")
	if !defs.readable() {
		w.MountsUnknown = true // var.containers: which volume they mount is unknown
	}
	for _, cd := range defs.Items() {
		w.Containers = append(w.Containers, ecsContainer(w, cd))
	}
	rc.add(w)
}

// ecsContainer reads one ECS (or Batch) container definition.
func ecsContainer(w *model.Workload, cd node) *model.Container {
	name := cd.Get("name").Text()
	if name == "" {
		name = w.Name
	}
	c := &model.Container{Name: name, Kind: model.ContainerRegular, Image: cd.Get("image").Str(), Loc: cd.Get("name").Loc()}
	if !cd.Get("name").Exists() {
		c.Loc = cd.Loc()
	}
	c.Env = envList(cd.Get("environment").Items(), "name", "value")
	for _, f := range cd.Get("environmentFiles").Items() {
		// an env file in S3: every variable in it reaches the container
		if v := f.Get("value"); v.Text() != "" {
			c.EnvSources = append(c.EnvSources, &model.EnvSource{Kind: model.EnvFromFile, Name: v.Text(), Loc: v.Loc()})
		}
	}
	for _, s := range cd.Get("secrets").Items() {
		n := s.Get("name").Text()
		from := s.Get("valueFrom")
		if n == "" {
			continue
		}
		c.Env = append(c.Env, &model.EnvVar{Name: n, Loc: s.Get("name").Loc(), Secret: awsSecretRef(from)})
	}
	if !cd.readable() || !cd.Get("mountPoints").readable() {
		w.MountsUnknown = true
	}
	for _, m := range cd.Get("mountPoints").Items() {
		src := m.Get("sourceVolume").Text()
		mt := &model.Mount{Name: src, Target: m.Get("containerPath").Text(), Volume: w.Volume(src), Loc: m.Get("sourceVolume").Loc()}
		mt.ReadOnly = m.Get("readOnly").Bool()
		c.Mounts = append(c.Mounts, mt)
	}
	c.Security = missingSecurity(c, join(cd.path, "securityContext"))
	c.Security.Privileged = cd.Get("privileged").Bool()
	c.Security.User = cd.Get("user").Str()
	c.Security.ReadOnlyRootFS = cd.Get("readonlyRootFilesystem").Bool()
	if !c.Security.ReadOnlyRootFS.Set {
		c.Security.ReadOnlyRootFS.Loc = synthetic(c.Loc, join(cd.path, "readonlyRootFilesystem"))
	}
	if !c.Security.Privileged.Set {
		c.Security.Privileged.Loc = synthetic(c.Loc, join(cd.path, "privileged"))
	}
	c.Security.NoNewPrivileges.Loc = synthetic(c.Loc, join(cd.path, "dockerSecurityOptions"))
	for _, d := range cd.Get("linuxParameters").Get("devices").Items() {
		// a host device handed to the container (docker run --device)
		src := d.Get("hostPath").Str()
		if !src.Known() {
			continue
		}
		vol := &model.Volume{Name: src.Value, Kind: model.VolumeHostPath, Loc: src.Loc, HostPath: src, Device: true}
		w.Volumes = append(w.Volumes, vol)
		c.Mounts = append(c.Mounts, &model.Mount{Volume: vol, Name: src.Value, Target: d.Get("containerPath").Text(), Loc: src.Loc, ReadOnly: model.Bool{Loc: src.Loc}})
	}
	caps := cd.Get("linuxParameters").Get("capabilities")
	c.Security.CapAdd = caps.Get("add").Strings()
	c.Security.CapDrop = caps.Get("drop").Strings()
	for _, o := range cd.Get("dockerSecurityOptions").Strings() {
		if !o.Known() {
			continue
		}
		switch v := strings.ToLower(o.Value); {
		case v == "no-new-privileges" || v == "no-new-privileges:true":
			c.Security.NoNewPrivileges = model.Bool{Value: true, Set: true, Loc: o.Loc, Via: o.Via}
		case v == "seccomp:unconfined":
			c.Security.Seccomp = model.String{Value: "Unconfined", Set: true, Loc: o.Loc, Via: o.Via}
		case v == "apparmor:unconfined":
			c.Security.AppArmor = model.String{Value: "Unconfined", Set: true, Loc: o.Loc, Via: o.Via}
		case v == "label:disable":
			c.Security.SELinuxDisabled = model.Bool{Value: true, Set: true, Loc: o.Loc, Via: o.Via}
		}
	}
	return c
}

// awsSecretRef reads an ECS/Batch secret's valueFrom: a Secrets Manager
// ARN, or an SSM parameter ARN or name.
func awsSecretRef(from node) *model.SecretRef {
	ref := &model.SecretRef{Store: model.StoreAWSParameter, Name: from.Text(), Loc: from.Loc()}
	if strings.Contains(ref.Name, ":secretsmanager:") {
		ref.Store = model.StoreAWSSecrets
	}
	for _, r := range from.Refs() {
		if strings.Contains(resourceType(r), "secretsmanager") {
			ref.Store = model.StoreAWSSecrets
			if ref.Name == "" {
				ref.Name = r
			}
		} else if ref.Name == "" && strings.Contains(resourceType(r), "ssm_parameter") {
			ref.Name = r
		}
	}
	if ref.Name == "" {
		ref.Name = "(unknown)"
	}
	return ref
}

// lowerBatch lowers an aws_batch_job_definition's container_properties.
func lowerBatch(rc *resCtx) {
	w := rc.workload()
	props := rc.n.Get("container_properties")
	if !props.Exists() {
		return
	}
	p := props.unwrap()
	// Batch offers readonlyRootFilesystem; no-new-privileges is not one
	// of its container properties
	w.Lacks = model.SettingAllowPrivilegeEscalation | model.SettingRunAsNonRoot | model.SettingNoNewPrivileges
	w.Identity = rc.identity(p.Get("jobRoleArn"), model.IdentityAWSRole)
	for _, v := range p.Get("volumes").Items() {
		name := v.Get("name").Text()
		loc := v.Get("name").Loc()
		if h := v.Get("host").Get("sourcePath"); h.Exists() {
			w.Volumes = append(w.Volumes, hostPathVolume(name, loc, h.Str()))
		} else {
			w.Volumes = append(w.Volumes, &model.Volume{Name: name, Loc: loc, Kind: model.VolumeOther})
		}
	}
	w.Containers = append(w.Containers, ecsContainer(w, p))
	rc.add(w)
}

// lowerLambda lowers an aws_lambda_function: its role and environment.
func lowerLambda(rc *resCtx) {
	w := rc.workload()
	w.Identity = rc.identity(rc.n.Get("role"), model.IdentityAWSRole)
	c := &model.Container{Name: rc.res.name, Kind: model.ContainerRegular, Loc: w.Loc, Image: rc.n.Get("image_uri").Str()}
	c.Env = envMap(rc.n.Get("environment").Get("variables"))
	w.Containers = []*model.Container{c}
	w.Egress = lambdaEgress(rc)
	rc.add(w)
}

// lowerCodeBuild lowers an aws_codebuild_project: its service role, the
// build container's privileged mode and environment variables.
func lowerCodeBuild(rc *resCtx) {
	w := rc.workload()
	w.Identity = rc.identity(rc.n.Get("service_role"), model.IdentityAWSRole)
	env := rc.n.Get("environment")
	c := &model.Container{Name: rc.res.name, Kind: model.ContainerRegular, Loc: env.KeyLoc(), Image: env.Get("image").Str()}
	if !env.Exists() {
		c.Loc = w.Loc
	}
	c.Security.Loc = synthetic(c.Loc, join(env.path, "privileged_mode"))
	c.Security.Privileged = env.Get("privileged_mode").Bool()
	for _, e := range env.All("environment_variable") {
		name := e.Get("name").Text()
		if name == "" {
			continue
		}
		ev := &model.EnvVar{Name: name, Loc: e.Get("name").Loc()}
		val := e.Get("value")
		switch t := strings.ToUpper(e.Get("type").Text()); t {
		case "SECRETS_MANAGER":
			ev.Secret = &model.SecretRef{Store: model.StoreAWSSecrets, Name: val.Text(), Loc: e.Get("type").Loc()}
		case "PARAMETER_STORE":
			ev.Secret = &model.SecretRef{Store: model.StoreAWSParameter, Name: val.Text(), Loc: e.Get("type").Loc()}
		default:
			if e.Get("type").Str().Unknown {
				break // the value may name a secret: not a literal
			}
			ev.Value = val.Str()
			ev.FromVar = fromVar(val)
		}
		c.Env = append(c.Env, ev)
	}
	w.Containers = []*model.Container{c}
	rc.add(w)
}

// lowerMetadata records an EC2 instance's or launch template's metadata
// options.
func lowerMetadata(rc *resCtx) {
	mo := rc.n.Get("metadata_options")
	md := &model.InstanceMetadata{
		Format:   model.FormatTerraform,
		Resource: rc.addr, Kind: rc.res.typ, Name: rc.res.name,
		Loc:        rangeLoc(rc.res.block.DefRange, rc.res.block.DefRange),
		OptionsLoc: mo.KeyLoc(),
		Endpoint:   mo.Get("http_endpoint").Str(),
		Tokens:     mo.Get("http_tokens").Str(),
		HopLimit:   mo.Get("http_put_response_hop_limit").Int(),
	}
	md.Loc.Object = rc.res.addr()
	md.OptionsLoc.Object = rc.res.addr()
	if lt := rc.n.Get("launch_template"); !mo.Exists() && rc.res.typ == "aws_instance" && lt.Exists() {
		// an instance launched from a template takes the template's
		// metadata options unless it sets its own ("parameters configured
		// on this resource will override the corresponding parameters in
		// the launch template"): a template of the scan is judged where it
		// is written, one outside it is not known
		loc := lt.KeyLoc()
		loc.Object = rc.res.addr()
		md.OptionsLoc = loc
		md.Endpoint = model.String{Set: true, Unknown: true, Loc: loc}
		md.Tokens = model.String{Set: true, Unknown: true, Loc: loc}
		md.HopLimit = model.Int{Set: true, Unknown: true, Loc: loc}
		rc.in.run.proj.Metadata = append(rc.in.run.proj.Metadata, md)
		return
	}
	if !mo.Exists() {
		md.OptionsLoc = md.Loc
		md.OptionsLoc.Synthetic = true
		md.OptionsLoc.Path = "metadata_options"
	}
	if !md.Tokens.Set {
		md.Tokens.Loc = md.OptionsLoc
		md.Tokens.Loc.Synthetic = true
		md.Tokens.Loc.Path = "metadata_options.http_tokens"
		md.Tokens.Via = rc.in.calls
	}
	rc.in.run.proj.Metadata = append(rc.in.run.proj.Metadata, md)
}

// allProtocols reads an AWS protocol: "-1" and "all" admit every protocol
// and port.
func allProtocols(n node) model.Bool {
	s := n.Str()
	b := model.Bool{Set: s.Set, Unknown: s.Unknown, Loc: s.Loc, Via: s.Via}
	if s.Known() {
		v := strings.ToLower(s.Value)
		b.Value = v == "-1" || v == "all"
	}
	return b
}

func (rc *resCtx) firewall(loc model.Location) *model.FirewallRule {
	loc.Object = rc.res.addr()
	return &model.FirewallRule{Format: model.FormatTerraform, Resource: rc.addr, Kind: rc.res.typ, Name: rc.res.name, Loc: loc, Allow: true}
}

func (rc *resCtx) addFirewall(f *model.FirewallRule) {
	rc.in.run.proj.Firewalls = append(rc.in.run.proj.Firewalls, f)
}

// lowerSecurityGroup records a security group and its inline egress
// rules. Terraform removes the allow-all rule AWS adds to a new group, so
// a group with no egress rule allows no egress.
func lowerSecurityGroup(rc *resCtx) {
	loc := rangeLoc(rc.res.block.DefRange, rc.res.block.DefRange)
	loc.Object = rc.res.addr()
	rc.in.run.proj.SecurityGroups = append(rc.in.run.proj.SecurityGroups, &model.SecurityGroup{Key: rc.in.run.key(rc.addr), Name: rc.res.addr(), Loc: loc})
	for _, e := range rc.n.All("egress") {
		f := rc.firewall(e.KeyLoc())
		f.Group = rc.in.run.key(rc.addr)
		f.AllProtocols = allProtocols(e.Get("protocol"))
		f.Destinations = append(e.Get("cidr_blocks").Strings(), e.Get("ipv6_cidr_blocks").Strings()...)
		rc.addFirewall(f)
	}
}

// lowerSecurityGroupRule records an aws_security_group_rule of type egress.
func lowerSecurityGroupRule(rc *resCtx) {
	if t := rc.n.Get("type").Str(); !t.Known() || t.Value != "egress" {
		return
	}
	f := rc.firewall(rc.n.Get("type").Loc())
	f.Group = rc.groupOf(rc.n.Get("security_group_id"))
	f.AllProtocols = allProtocols(rc.n.Get("protocol"))
	f.Destinations = append(rc.n.Get("cidr_blocks").Strings(), rc.n.Get("ipv6_cidr_blocks").Strings()...)
	rc.addFirewall(f)
}

// lowerVPCEgressRule records an aws_vpc_security_group_egress_rule.
func lowerVPCEgressRule(rc *resCtx) {
	f := rc.firewall(rangeLoc(rc.res.block.DefRange, rc.res.block.DefRange))
	f.Group = rc.groupOf(rc.n.Get("security_group_id"))
	f.AllProtocols = allProtocols(rc.n.Get("ip_protocol"))
	for _, k := range []string{"cidr_ipv4", "cidr_ipv6"} {
		if d := rc.n.Get(k); d.Exists() {
			f.Destinations = append(f.Destinations, d.Str())
		}
	}
	rc.addFirewall(f)
}

// ecsRunsOnHosts reports whether a task definition may run on EC2 or
// external hosts: requires_compatibilities absent (the ECS default is EC2),
// or naming EC2 or EXTERNAL. known is false when the list cannot be read.
func ecsRunsOnHosts(n node) (ec2, known bool) {
	if !n.Exists() {
		return true, true
	}
	items := n.Items()
	if len(items) == 0 {
		s := n.Str()
		return false, s.Known() || !s.Set
	}
	for _, it := range items {
		s := it.Str()
		if !s.Known() {
			return false, false
		}
		if v := strings.ToUpper(s.Value); v == "EC2" || v == "EXTERNAL" {
			return true, true
		}
	}
	return false, true
}
