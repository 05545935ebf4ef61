package cloudformation

import (
	"regexp"
	"strings"

	"github.com/isolint/isolint/model"
	"github.com/isolint/isolint/scanners/yamldoc"
)

// resource is one entry of Resources being lowered.
type resource struct {
	id    string
	typ   string
	v     yamldoc.Value // the entry (its logical ID key)
	props node
}

type lowerFunc func(t *template, r *resource)

// lowerers maps resource types to their lowering. IAM resources are read
// first (see lower), so that a workload's role is known when it is lowered.
var lowerers = map[string]lowerFunc{
	"AWS::Lambda::Function":                 lowerLambda,
	"AWS::Serverless::Function":             lowerSAMFunction,
	"AWS::ECS::TaskDefinition":              lowerECS,
	"AWS::Batch::JobDefinition":             lowerBatch,
	"AWS::CodeBuild::Project":               lowerCodeBuild,
	"AWS::EC2::Instance":                    lowerInstanceWorkload,
	"AWS::EKS::Nodegroup":                   lowerEKSNodegroup,
	"AWS::EC2::LaunchTemplate":              lowerLaunchTemplateWorkload,
	"AWS::AutoScaling::LaunchConfiguration": lowerLaunchConfigurationWorkload,
	"AWS::EC2::SecurityGroup":               lowerSecurityGroup,
	"AWS::EC2::SecurityGroupEgress":         lowerSecurityGroupEgress,
	"AWS::ECS::Service":                     lowerECSService,
	"AWS::IAM::Role":                        lowerRole,
	"AWS::IAM::AccessKey":                   lowerAccessKey,
	"AWS::IAM::Policy":                      lowerPolicy,
	"AWS::IAM::RolePolicy":                  lowerRolePolicy,
	"AWS::IAM::ManagedPolicy":               lowerPolicy,
}

// lower lowers every resource of the template.
func (t *template) lower() {
	t.samGlobals = t.node(t.root.Get("Globals").Get("Function"))
	tr := t.root.Get("Transform")
	for _, x := range append([]yamldoc.Value{tr}, tr.Items()...) {
		if name := x.Text(); name != "" && !strings.HasPrefix(name, "AWS::Serverless-") && name != "AWS::LanguageExtensions" {
			t.notice(x, "transform %s is a macro that rewrites the template at deploy time; what it adds or changes was not checked", name)
		}
	}
	var rs []*resource
	for _, id := range t.order {
		v := t.resources[id]
		if strings.HasPrefix(id, "Fn::ForEach::") {
			t.notice(v, "%s repeats resources over a collection (AWS::LanguageExtensions), which isolint does not expand; the resources it makes were not checked", id)
			continue
		}
		r := &resource{id: id, v: v, typ: t.node(v).Get("Type").Text(), props: t.node(v).Get("Properties")}
		if c := v.Get("Condition"); c.Exists() && t.condition(c.Text(), 0) == condFalse {
			continue // never created with the parameter defaults
		}
		rs = append(rs, r)
	}
	for _, r := range rs {
		switch r.typ {
		case "AWS::IAM::Role":
			t.iam.addRole(t, r)
		case "AWS::IAM::ManagedPolicy":
			t.iam.managed[r.id] = r.props.Get("PolicyDocument")
		}
	}
	for _, r := range rs {
		if f := lowerers[r.typ]; f != nil {
			f(t, r)
		}
	}
	t.linkNodeGroups()
	t.linkEgress()
}

// lowerRole reads a role's policies and its trust policy.
func lowerRole(t *template, r *resource) {
	lowerRolePolicies(t, r)
	lowerRoleTrust(t, r)
}

// missing is where a missing property of a resource belongs: below
// Properties, or at the resource when it has none.
func (t *template) missing(r *resource, name string) model.Location {
	if r.props.Exists() {
		return r.props.Synthetic(name)
	}
	loc := r.v.KeyLoc()
	loc.Object, loc.Synthetic, loc.Path = r.id, true, name
	return loc
}

// workload starts a workload for a resource.
func (t *template) workload(r *resource) *model.Workload {
	loc := r.v.KeyLoc()
	loc.Object = r.id
	// a function or build offers none of a pod spec's settings; ECS and
	// Batch containers say what they offer
	return &model.Workload{Format: model.FormatCFN, Kind: r.typ, Name: r.id, Loc: loc, SpecLoc: loc, Lacks: model.AllSettings}
}

func (t *template) add(w *model.Workload) { t.proj.Workloads = append(t.proj.Workloads, w) }

// roleKey is the identity key of a role the template defines: the file and
// the logical ID, as a stack is one file.
func (t *template) roleKey(id string) string { return t.file + "#" + id }

// identity reads the role a workload runs as from the property naming it:
// a reference to a role of the template, or a role ARN.
func (t *template) identity(n node) model.Identity {
	id, x, ok := roleProperty(n)
	if !ok {
		return id
	}
	if x.res != "" {
		if t.typeOf(x.res) == "AWS::IAM::Role" {
			id.Key, id.Name = t.roleKey(x.res), x.res
			return id
		}
		id.Unknown = true // an instance profile, a custom resource
		return id
	}
	if x.known && !x.isList && x.s != "" {
		id.Key, id.Name = x.s, x.s
		if k, ok := t.iam.byName[roleName(x.s)]; ok {
			id.Key, id.Name = k, strings.TrimPrefix(k, t.file+"#")
		}
		return id
	}
	if name := roleName(x.s); strings.Contains(x.s, ":role/") && name != "" && !strings.Contains(name, unknownPart) {
		// `!Sub arn:${AWS::Partition}:iam::${AWS::AccountId}:role/app`:
		// the role named app in the account the stack deploys to
		if k, ok := t.iam.byName[name]; ok {
			id.Key, id.Name = k, strings.TrimPrefix(k, t.file+"#")
			return id
		}
		id.Key = strings.ReplaceAll(x.s, unknownPart, "*")
		id.Name = id.Key
		return id
	}
	if !x.noValue {
		id.Unknown = true
	}
	return id
}

// roleProperty starts the identity a property naming a role or an
// instance profile gives, at the property, and evaluates the property: ok
// is false when it is absent.
func roleProperty(n node) (id model.Identity, x result, ok bool) {
	id = model.Identity{Kind: model.IdentityAWSRole, Loc: n.Loc()}
	if !n.Exists() {
		return id, x, false
	}
	x = n.eval()
	id.Via = append(n.written().Via(), x.via...)
	return id, x, true
}

// roleName is the role name of a role ARN (`arn:aws:iam::1:role/path/x`
// → x), or the string itself.
func roleName(s string) string {
	if i := strings.Index(s, ":role/"); i >= 0 {
		return s[strings.LastIndex(s, "/")+1:]
	}
	return s
}

// typeOf is the type of a resource of the template.
func (t *template) typeOf(id string) string {
	v, ok := t.resources[id]
	if !ok {
		return ""
	}
	return t.node(v).Get("Type").Text()
}

var dynamicSecret = regexp.MustCompile(`\{\{resolve:(secretsmanager|ssm-secure):`)

// dynamicSecretRef reads the secret a dynamic reference names, in s from
// just after `{{resolve:secretsmanager:` (or `ssm-secure:`) to its `}}`:
// `secret-id:SecretString:json-key:…` or `parameter-name:version`. A
// secret id written as an ARN keeps its colons (`arn:aws:secretsmanager:
// region:account:secret:name`, `arn:aws:ssm:region:account:parameter/name`).
func dynamicSecretRef(kind, s string) (name, key string) {
	if end := strings.Index(s, "}}"); end >= 0 {
		s = s[:end]
	}
	parts := strings.Split(s, ":")
	n := 1
	if parts[0] == "arn" {
		n = 7 // arn:partition:secretsmanager:region:account:secret:name
		if kind == "ssm-secure" {
			n = 6 // arn:partition:ssm:region:account:parameter/name
		}
	}
	n = min(n, len(parts))
	name, rest := strings.Join(parts[:n], ":"), parts[n:]
	if kind == "secretsmanager" && len(rest) >= 2 && rest[0] == "SecretString" {
		key = rest[1]
	}
	return name, key
}

// subSecretResource is the template resource a `!Sub` dynamic reference
// names as its secret (`{{resolve:secretsmanager:${DbSecret}:…}}`, whose
// `${DbSecret}` is the secret's ARN), or "".
func (t *template) subSecretResource(val node) string {
	name, arg, _, ok := intrinsic(val.resolve().v)
	if !ok || name != "Fn::Sub" {
		return ""
	}
	tmpl, vars := arg, yamldoc.Value{}
	if items := argList(arg); len(items) > 0 {
		tmpl = items[0]
		if len(items) > 1 {
			vars = items[1]
		}
	}
	text := tmpl.Text()
	m := dynamicSecret.FindStringSubmatchIndex(text)
	if m == nil {
		return ""
	}
	rest := text[m[1]:]
	end := strings.IndexByte(rest, '}')
	if !strings.HasPrefix(rest, "${") || end < 0 || (len(rest) > end+1 && rest[end+1] != ':' && rest[end+1] != '}') {
		return "" // the secret id is not exactly one `${…}`
	}
	ref := rest[2:end]
	if vars.IsMap() && vars.Get(ref).Exists() {
		return t.eval(vars.Get(ref), 0).res
	}
	res, _, _ := strings.Cut(ref, ".")
	if _, ok := t.resources[res]; ok {
		return res
	}
	return ""
}

// envVar reads one environment variable's value: a literal, a parameter
// (its default, and its name for rules that judge names), a dynamic
// reference to a secret (filled in at deploy time: the secret's value ends
// up in the environment).
func (t *template) envVar(name string, nameLoc model.Location, val node) *model.EnvVar {
	ev := &model.EnvVar{Name: name, Loc: nameLoc, Value: val.Str()}
	x := val.eval()
	ev.FromVar = x.param
	if m := dynamicSecret.FindStringSubmatchIndex(x.s); m != nil && !x.known {
		kind := x.s[m[2]:m[3]]
		store := model.StoreAWSSecrets
		if kind == "ssm-secure" {
			store = model.StoreAWSParameter
		}
		name, key := dynamicSecretRef(kind, x.s[m[1]:])
		if strings.Contains(name, unknownPart) {
			switch res := t.subSecretResource(val); {
			case res != "":
				name = res // a secret of the template, named as ValueFrom references name it
			case strings.Trim(name, unknownPart) == "":
				name = "(unknown)"
			default:
				name = strings.ReplaceAll(name, unknownPart, "*") // arn:${AWS::Partition}:…:secret:db
			}
		}
		ev.Secret = &model.SecretRef{Store: store, Name: name, Key: strings.ReplaceAll(key, unknownPart, "*"), Loc: val.Loc()}
	}
	if v, ok := slsEnvVar(x.s); ok && t.sls && !x.known {
		ev.FromVar = v
	}
	return ev
}

// slsEnvVar is the variable a Serverless value is exactly: `${env:NAME}`.
func slsEnvVar(s string) (string, bool) {
	if strings.HasPrefix(s, "${env:") && strings.HasSuffix(s, "}") && strings.Count(s, "${") == 1 {
		name, _, _ := strings.Cut(s[len("${env:"):len(s)-1], ",")
		return strings.TrimSpace(name), name != ""
	}
	return "", false
}

// envMap reads a mapping of variables (Lambda Environment.Variables).
func (t *template) envMap(vars node) []*model.EnvVar {
	var out []*model.EnvVar
	for _, p := range vars.Pairs() {
		out = append(out, t.envVar(p.Key, p.Val.KeyLoc(), p.Val))
	}
	return out
}

// envList reads a list of {Name, Value} objects (ECS, Batch).
func (t *template) envList(items []node) []*model.EnvVar {
	var out []*model.EnvVar
	for _, e := range items {
		name := e.Get("Name").Text()
		if name == "" {
			continue
		}
		out = append(out, t.envVar(name, e.Get("Name").Loc(), e.Get("Value")))
	}
	return out
}

// lowerLambda lowers an AWS::Lambda::Function: its role and environment.
func lowerLambda(t *template, r *resource) {
	w := t.workload(r)
	w.Identity = t.identity(r.props.Get("Role"))
	c := &model.Container{Name: r.id, Kind: model.ContainerRegular, Loc: w.Loc, Image: r.props.Get("Code").Get("ImageUri").Str()}
	c.Env = t.envMap(r.props.Get("Environment").Get("Variables"))
	w.Containers = []*model.Container{c}
	w.Egress = t.vpcEgress(r.props.Get("VpcConfig"), t.missing(r, "VpcConfig"), "SecurityGroupIds", "SubnetIds")
	t.add(w)
}

// lowerECS lowers an AWS::ECS::TaskDefinition as the Terraform scanner
// lowers aws_ecs_task_definition: task-level host settings and volumes,
// the task role, and each container definition.
func lowerECS(t *template, r *resource) {
	w := t.workload(r)
	p := r.props
	w.HostNetwork = boolFromString(p.Get("NetworkMode").Str(), "host")
	w.Shares = &model.HostShares{
		PID: boolFromString(p.Get("PidMode").Str(), "host"),
		// PidMode task: the task's containers share one PID namespace
		ProcessNamespace: boolFromString(p.Get("PidMode").Str(), "task"),
		IPC:              boolFromString(p.Get("IpcMode").Str(), "host"),
	}
	if nm := p.Get("NetworkMode").Str(); nm.Known() && nm.Value == "awsvpc" {
		t.awsvpc[r.id] = true
	}
	// as in Terraform: readonlyRootFilesystem, and no-new-privileges on
	// EC2 hosts (DockerSecurityOptions is not valid on Fargate)
	w.Lacks = model.SettingAllowPrivilegeEscalation | model.SettingRunAsNonRoot
	if ec2, known := ecsRunsOnHosts(p.Get("RequiresCompatibilities")); !ec2 || !known {
		w.Lacks |= model.SettingNoNewPrivileges
	}
	w.Identity = t.identity(p.Get("TaskRoleArn"))
	if !p.Get("TaskRoleArn").Exists() {
		w.Identity.Loc = r.props.Synthetic("TaskRoleArn")
		if !r.props.Exists() {
			w.Identity.Loc = w.Loc
			w.Identity.Loc.Synthetic = true
		}
		if p.Get("ExecutionRoleArn").Exists() {
			// as in Terraform: with no task role, a task on an EC2 (or
			// external) host gets the host's instance role from the
			// metadata endpoint; on Fargate it gets none
			switch ec2, known := ecsRunsOnHosts(p.Get("RequiresCompatibilities")); {
			case !known:
				w.Identity.Unknown = true
			case ec2:
				w.Identity.Default = true
				w.Identity.Name = "the EC2 instance role"
			}
		}
	}
	for _, v := range p.Get("Volumes").Items() {
		w.Volumes = append(w.Volumes, volume(v))
	}
	if p.Get("ContainerDefinitions").Unknown() {
		w.MountsUnknown = true // which volume they mount is unknown
	}
	for _, cd := range p.Get("ContainerDefinitions").Items() {
		w.Containers = append(w.Containers, t.ecsContainer(w, cd))
	}
	t.add(w)
}

// volume reads an ECS or Batch volume.
func volume(v node) *model.Volume {
	name := v.Get("Name").Text()
	loc := v.Get("Name").Loc()
	if !v.Get("Name").Exists() {
		loc = v.Loc()
	}
	switch {
	case v.Get("Host").Get("SourcePath").Exists():
		return &model.Volume{Name: name, Kind: model.VolumeHostPath, Loc: loc, HostPath: v.Get("Host").Get("SourcePath").Str()}
	case v.Get("DockerVolumeConfiguration").Exists(), v.Get("EFSVolumeConfiguration").Exists():
		return &model.Volume{Name: name, Kind: model.VolumeNamed, Loc: loc}
	case v.Get("Host").Exists() && !v.Get("Host").Unknown():
		return &model.Volume{Name: name, Kind: model.VolumeEmpty, Loc: loc} // Host without SourcePath: a Docker-managed volume
	}
	return &model.Volume{Name: name, Kind: model.VolumeOther, Loc: loc}
}

// ecsContainer reads one ECS container definition, or a Batch job's
// container properties (the same property names).
func (t *template) ecsContainer(w *model.Workload, cd node) *model.Container {
	name := cd.Get("Name").Text()
	if name == "" {
		name = w.Name
	}
	c := &model.Container{Name: name, Kind: model.ContainerRegular, Image: cd.Get("Image").Str(), Loc: cd.Get("Name").Loc()}
	if !cd.Get("Name").Exists() {
		c.Loc = cd.Loc()
	}
	c.Env = t.envList(cd.Get("Environment").Items())
	for _, f := range cd.Get("EnvironmentFiles").Items() {
		// an env file in S3: every variable in it reaches the container
		if v := f.Get("Value"); v.Text() != "" {
			c.EnvSources = append(c.EnvSources, &model.EnvSource{Kind: model.EnvFromFile, Name: v.Text(), Loc: v.Loc()})
		}
	}
	for _, s := range cd.Get("Secrets").Items() {
		n := s.Get("Name").Text()
		if n == "" {
			continue
		}
		c.Env = append(c.Env, &model.EnvVar{Name: n, Loc: s.Get("Name").Loc(), Secret: awsSecretRef(s.Get("ValueFrom"))})
	}
	if cd.Unknown() || cd.Get("MountPoints").Unknown() {
		w.MountsUnknown = true
	}
	for _, m := range cd.Get("MountPoints").Items() {
		src := m.Get("SourceVolume").Text()
		mt := &model.Mount{Name: src, Target: m.Get("ContainerPath").Text(), Volume: w.Volume(src), Loc: m.Get("SourceVolume").Loc()}
		mt.ReadOnly = m.Get("ReadOnly").Bool()
		c.Mounts = append(c.Mounts, mt)
	}
	sc := c.Loc
	sc.Synthetic = true
	c.Security.Loc = sc
	c.Security.Privileged = cd.Get("Privileged").Bool()
	c.Security.User = cd.Get("User").Str()
	c.Security.ReadOnlyRootFS = cd.Get("ReadonlyRootFilesystem").Bool()
	if !c.Security.ReadOnlyRootFS.Set {
		c.Security.ReadOnlyRootFS.Loc = sc
	}
	if !c.Security.Privileged.Set {
		c.Security.Privileged.Loc = sc
	}
	c.Security.NoNewPrivileges.Loc = sc
	c.Security.NoNewPrivileges.Loc.Path = "DockerSecurityOptions"
	for _, d := range cd.Get("LinuxParameters").Get("Devices").Items() {
		// a host device handed to the container (docker run --device)
		src := d.Get("HostPath").Str()
		if !src.Known() {
			continue
		}
		vol := &model.Volume{Name: src.Value, Kind: model.VolumeHostPath, Loc: src.Loc, HostPath: src, Device: true}
		w.Volumes = append(w.Volumes, vol)
		c.Mounts = append(c.Mounts, &model.Mount{Volume: vol, Name: src.Value, Target: d.Get("ContainerPath").Text(), Loc: src.Loc, ReadOnly: model.Bool{Loc: src.Loc}})
	}
	caps := cd.Get("LinuxParameters").Get("Capabilities")
	c.Security.CapAdd = caps.Get("Add").Strings()
	c.Security.CapDrop = caps.Get("Drop").Strings()
	for _, o := range cd.Get("DockerSecurityOptions").Strings() {
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

// awsSecretRef reads a container secret's ValueFrom: a Secrets Manager ARN
// (or a reference to a secret of the template), or an SSM parameter.
func awsSecretRef(from node) *model.SecretRef {
	x := from.eval()
	ref := &model.SecretRef{Store: model.StoreAWSParameter, Loc: from.Loc()}
	if x.known {
		ref.Name = x.s
	}
	switch {
	case strings.Contains(x.s, ":secretsmanager:"):
		ref.Store = model.StoreAWSSecrets
	case x.res != "":
		if typ := from.t.typeOf(x.res); strings.HasPrefix(typ, "AWS::SecretsManager::") {
			ref.Store = model.StoreAWSSecrets
		}
		ref.Name = x.res
	}
	if ref.Name == "" {
		ref.Name = "(unknown)"
	}
	return ref
}

// lowerBatch lowers an AWS::Batch::JobDefinition's container properties.
func lowerBatch(t *template, r *resource) {
	p := r.props.Get("ContainerProperties")
	if !p.Exists() || p.Unknown() {
		return
	}
	w := t.workload(r)
	w.Lacks = model.SettingAllowPrivilegeEscalation | model.SettingRunAsNonRoot | model.SettingNoNewPrivileges
	w.Identity = t.identity(p.Get("JobRoleArn"))
	for _, v := range p.Get("Volumes").Items() {
		w.Volumes = append(w.Volumes, volume(v))
	}
	w.Containers = append(w.Containers, t.ecsContainer(w, p))
	t.add(w)
}

// lowerCodeBuild lowers an AWS::CodeBuild::Project: its service role, the
// build container's privileged mode and environment variables.
func lowerCodeBuild(t *template, r *resource) {
	w := t.workload(r)
	w.Identity = t.identity(r.props.Get("ServiceRole"))
	env := r.props.Get("Environment")
	c := &model.Container{Name: r.id, Kind: model.ContainerRegular, Loc: env.KeyLoc(), Image: env.Get("Image").Str()}
	if !env.Exists() {
		c.Loc = w.Loc
	}
	c.Security.Loc = c.Loc
	c.Security.Loc.Synthetic = true
	c.Security.Privileged = env.Get("PrivilegedMode").Bool()
	for _, e := range env.Get("EnvironmentVariables").Items() {
		name := e.Get("Name").Text()
		if name == "" {
			continue
		}
		typ := e.Get("Type").Str()
		switch strings.ToUpper(typ.Value) {
		case "SECRETS_MANAGER":
			c.Env = append(c.Env, &model.EnvVar{Name: name, Loc: e.Get("Name").Loc(), Secret: &model.SecretRef{Store: model.StoreAWSSecrets, Name: e.Get("Value").Text(), Loc: typ.Loc}})
			continue
		case "PARAMETER_STORE":
			c.Env = append(c.Env, &model.EnvVar{Name: name, Loc: e.Get("Name").Loc(), Secret: &model.SecretRef{Store: model.StoreAWSParameter, Name: e.Get("Value").Text(), Loc: typ.Loc}})
			continue
		}
		ev := t.envVar(name, e.Get("Name").Loc(), e.Get("Value"))
		if typ.Set && !typ.Known() {
			ev.Value.Unknown = true // the value may name a secret: not a literal
		}
		c.Env = append(c.Env, ev)
	}
	w.Containers = []*model.Container{c}
	t.add(w)
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

// ecsRunsOnHosts reports whether a task definition may run on EC2 or
// external hosts: RequiresCompatibilities absent (the ECS default is EC2),
// or naming EC2 or EXTERNAL. known is false when the list cannot be read.
func ecsRunsOnHosts(n node) (ec2, known bool) {
	if !n.Exists() {
		return true, true
	}
	if n.Unknown() {
		return false, false
	}
	for _, s := range n.Strings() {
		if !s.Known() {
			return false, false
		}
		if v := strings.ToUpper(s.Value); v == "EC2" || v == "EXTERNAL" {
			return true, true
		}
	}
	return false, true
}
