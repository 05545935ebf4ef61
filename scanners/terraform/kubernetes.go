package terraform

import (
	"strings"

	"github.com/isolint/isolint/model"
)

// k8sKinds are the kubernetes provider's workload resources (each also
// with a _v1 variant) and where their pod spec lives.
var k8sKinds = []struct {
	typ  string
	spec []string
}{
	{"kubernetes_pod", []string{"spec"}},
	{"kubernetes_deployment", []string{"spec", "template", "spec"}},
	{"kubernetes_daemonset", []string{"spec", "template", "spec"}},
	{"kubernetes_daemon_set", []string{"spec", "template", "spec"}},
	{"kubernetes_stateful_set", []string{"spec", "template", "spec"}},
	{"kubernetes_replication_controller", []string{"spec", "template", "spec"}},
	{"kubernetes_job", []string{"spec", "template", "spec"}},
	{"kubernetes_cron_job", []string{"spec", "job_template", "spec", "template", "spec"}},
}

func k8sSpecPath(typ string) []string {
	t := strings.TrimSuffix(typ, "_v1")
	for _, k := range k8sKinds {
		if k.typ == t {
			return k.spec
		}
	}
	return nil
}

// lowerK8s lowers a kubernetes_* workload onto the same model as a
// Kubernetes manifest. The provider's names are the API's in snake case
// and nested objects are blocks.
func lowerK8s(rc *resCtx) {
	w := rc.workload()
	w.Lacks = 0 // a pod spec
	meta := rc.n.Get("metadata")
	w.Namespace = meta.Get("namespace").Text()
	if w.Namespace == "" {
		w.Namespace = "default"
	}
	spec := rc.n
	tmplMeta := meta
	for i, p := range k8sSpecPath(rc.res.typ) {
		if p == "spec" && i > 0 {
			tmplMeta = spec.Get("metadata")
		}
		spec = spec.Get(p)
	}
	if !spec.Exists() {
		return // no pod template written: nothing to check
	}
	w.SpecLoc = spec.KeyLoc()
	w.Labels = map[string]string{}
	for _, p := range tmplMeta.Get("labels").Pairs() {
		w.Labels[p.Key] = p.Val.Text()
	}
	if os := spec.Get("os").Get("name"); os.Exists() {
		w.OS = os.Text()
	}
	w.HostNetwork = spec.Get("host_network").Bool()
	w.Shares = &model.HostShares{PID: spec.Get("host_pid").Bool(), IPC: spec.Get("host_ipc").Bool()}
	// The provider defaults automount_service_account_token to true (since
	// v2.0) and sends it with the pod, so an unset field mounts the token
	// whatever the ServiceAccount says.
	w.AutomountToken = spec.Get("automount_service_account_token").Bool()
	if !w.AutomountToken.Set {
		w.AutomountToken.Value = true
		w.AutomountToken.Loc = synthetic(w.SpecLoc, join(spec.path, "automount_service_account_token"))
	}

	sa := spec.Get("service_account_name")
	id := model.Identity{Kind: model.IdentityK8sServiceAccount}
	if s := sa.Str(); s.Set && (s.Unknown || s.Value != "") {
		id.Name, id.Loc, id.Via, id.Unknown = s.Value, s.Loc, s.Via, s.Unknown
		id.Default = s.Value == "default"
	} else {
		id.Name, id.Default, id.Loc = "default", true, sa.Loc()
	}
	id.Key = w.Namespace + "/" + id.Name
	w.Identity = id

	podSecurity := k8sSecurity(spec.Get("security_context"), spec)
	w.Security = &podSecurity
	for _, v := range spec.All("volume") {
		name := v.Get("name").Text()
		vol := &model.Volume{Name: name, Loc: v.Get("name").Loc(), Kind: model.VolumeOther}
		switch {
		case v.Get("host_path").Exists():
			hp := v.Get("host_path")
			vol.Kind = model.VolumeHostPath
			vol.HostPath = hp.Get("path").Str()
			if !vol.HostPath.Set {
				vol.HostPath.Loc = hp.KeyLoc()
			}
			vol.HostPathType = hp.Get("type").Text()
		case v.Get("secret").Exists():
			vol.Kind = model.VolumeSecret
			vol.Source = v.Get("secret").Get("secret_name").Text()
		case v.Get("config_map").Exists():
			vol.Kind = model.VolumeConfig
		case v.Get("projected").Exists():
			vol.Kind = model.VolumeProjected
		case v.Get("empty_dir").Exists():
			vol.Kind = model.VolumeEmpty
		case v.Get("persistent_volume_claim").Exists():
			vol.Kind = model.VolumeNamed
		}
		w.Volumes = append(w.Volumes, vol)
	}
	for _, f := range []struct {
		block string
		kind  model.ContainerKind
	}{{"init_container", model.ContainerInit}, {"container", model.ContainerRegular}} {
		for _, cn := range spec.All(f.block) {
			w.Containers = append(w.Containers, k8sContainer(w, cn, f.kind))
		}
	}
	rc.add(w)
}

func k8sContainer(w *model.Workload, cn node, kind model.ContainerKind) *model.Container {
	name := cn.Get("name").Text()
	c := &model.Container{Name: name, Kind: kind, Image: cn.Get("image").Str(), Loc: cn.Get("name").Loc()}
	if !cn.Get("name").Exists() {
		c.Loc = cn.KeyLoc()
	}
	for _, e := range cn.All("env") {
		n := e.Get("name").Text()
		if n == "" {
			continue
		}
		ev := &model.EnvVar{Name: n, Loc: e.Get("name").Loc()}
		if v := e.Get("value"); v.Exists() {
			ev.Value = v.Str()
			ev.FromVar = fromVar(v)
		}
		if skr := e.Get("value_from").Get("secret_key_ref"); skr.Exists() {
			ev.Secret = &model.SecretRef{Store: model.StoreK8sSecret, Name: skr.Get("name").Text(), Key: skr.Get("key").Text(), Loc: skr.KeyLoc()}
		}
		c.Env = append(c.Env, ev)
	}
	for _, e := range cn.All("env_from") {
		prefix := e.Get("prefix").Text()
		if r := e.Get("secret_ref"); r.Exists() {
			c.EnvSources = append(c.EnvSources, &model.EnvSource{Kind: model.EnvFromSecret, Name: r.Get("name").Text(), Prefix: prefix, Loc: r.KeyLoc()})
		}
		if r := e.Get("config_map_ref"); r.Exists() {
			c.EnvSources = append(c.EnvSources, &model.EnvSource{Kind: model.EnvFromConfigMap, Name: r.Get("name").Text(), Prefix: prefix, Loc: r.KeyLoc()})
		}
	}
	for _, m := range cn.All("volume_mount") {
		mn := m.Get("name").Text()
		mt := &model.Mount{Name: mn, Target: m.Get("mount_path").Text(), Volume: w.Volume(mn), Loc: m.Get("name").Loc()}
		mt.ReadOnly = m.Get("read_only").Bool()
		c.Mounts = append(c.Mounts, mt)
	}
	c.Security = k8sSecurity(cn.Get("security_context"), cn)
	return c
}

// k8sSecurity reads a pod or container security_context block.
func k8sSecurity(sc, owner node) model.SecurityContext {
	var s model.SecurityContext
	if sc.Exists() {
		s.Loc = sc.KeyLoc()
	} else {
		s.Loc = owner.Get("security_context").Loc()
		if owner.Get("name").Exists() {
			s.Loc = owner.Get("name").Loc()
			s.Loc.Synthetic = true
			s.Loc.Path = join(owner.path, "security_context")
		}
	}
	s.Privileged = sc.Get("privileged").Bool()
	s.AllowPrivilegeEscalation = sc.Get("allow_privilege_escalation").Bool()
	s.RunAsNonRoot = sc.Get("run_as_non_root").Bool()
	s.ReadOnlyRootFS = sc.Get("read_only_root_filesystem").Bool()
	s.RunAsUser = sc.Get("run_as_user").Int() // a string in the provider's schema
	if caps := sc.Get("capabilities"); caps.Exists() {
		s.CapAdd = caps.Get("add").Strings()
		s.CapDrop = caps.Get("drop").Strings()
	}
	if t := sc.Get("seccomp_profile").Get("type"); t.Exists() {
		s.Seccomp = t.Str()
	}
	if t := sc.Get("se_linux_options").Get("type"); t.Exists() {
		s.SELinuxType = t.Str()
	}
	for _, b := range []*model.Bool{&s.Privileged, &s.AllowPrivilegeEscalation, &s.RunAsNonRoot, &s.ReadOnlyRootFS} {
		if !b.Set {
			b.Loc = synthetic(s.Loc, b.Loc.Path)
		}
	}
	if !s.RunAsUser.Set {
		s.RunAsUser.Loc = synthetic(s.Loc, s.RunAsUser.Loc.Path)
	}
	return s
}

// synthetic is where a missing key belongs: anchor, marked Synthetic.
func synthetic(anchor model.Location, path string) model.Location {
	anchor.Synthetic = true
	anchor.Path = path
	return anchor
}

// lowerK8sServiceAccount records a kubernetes_service_account.
func lowerK8sServiceAccount(rc *resCtx) {
	meta := rc.n.Get("metadata")
	ns := meta.Get("namespace").Text()
	if ns == "" {
		ns = "default"
	}
	sa := &model.ServiceAccount{Namespace: ns, Name: meta.Get("name").Text(), Loc: meta.Get("name").Loc()}
	sa.AutomountToken = rc.n.Get("automount_service_account_token").Bool()
	if !sa.AutomountToken.Set {
		sa.AutomountToken.Value = true // the provider's default
		sa.AutomountToken.Loc = synthetic(sa.Loc, join(rc.n.path, "automount_service_account_token"))
	}
	if sa.Name != "" {
		rc.in.run.proj.ServiceAccounts = append(rc.in.run.proj.ServiceAccounts, sa)
	}
}
