package k8s

import (
	"strings"

	"github.com/isolint/isolint/model"
	"github.com/isolint/isolint/scanners/yamldoc"
)

// workload lowers an object with a pod template.
func (l *lowerer) workload(v yamldoc.Value, kind, ns, name string, nameLoc model.Location, specPath string) {
	spec := at(v, specPath)
	if !spec.ExpectMap() {
		return // no pod template (an Argo Rollout with workloadRef): nothing to check
	}
	tmplMeta := v.Get("metadata")
	if i := strings.LastIndexByte(specPath, '.'); i >= 0 {
		tmplMeta = at(v, specPath[:i]).Get("metadata")
	}
	w := &model.Workload{
		Format:    model.FormatK8s,
		Kind:      kind,
		Name:      name,
		Namespace: ns,
		Loc:       nameLoc,
		SpecLoc:   spec.KeyLoc(),
		Labels:    textMap(tmplMeta.Get("labels")),
		OS:        spec.Get("os").Get("name").Text(),
	}
	anns := tmplMeta.Get("annotations")

	w.HostNetwork = boolOr(spec, "hostNetwork", w.SpecLoc)
	w.Shares = &model.HostShares{
		PID:              boolOr(spec, "hostPID", w.SpecLoc),
		IPC:              boolOr(spec, "hostIPC", w.SpecLoc),
		ProcessNamespace: boolOr(spec, "shareProcessNamespace", w.SpecLoc),
	}
	w.AutomountToken = boolOr(spec, "automountServiceAccountToken", w.SpecLoc)
	w.Identity = identity(spec, ns, w.SpecLoc)

	podSecurity := security(spec.Get("securityContext"), w.SpecLoc)
	annotatedProfiles(&podSecurity, anns, "seccomp.security.alpha.kubernetes.io/pod", "")
	w.Security = &podSecurity

	if vols := spec.Get("volumes"); vols.ExpectSeq() {
		for _, it := range vols.Items() {
			if vol := volume(it); vol != nil {
				w.Volumes = append(w.Volumes, vol)
			}
		}
	}
	for _, f := range []struct {
		key  string
		kind model.ContainerKind
	}{
		{"initContainers", model.ContainerInit},
		{"containers", model.ContainerRegular},
		{"ephemeralContainers", model.ContainerEphemeral},
	} {
		list := spec.Get(f.key)
		if !list.ExpectSeq() {
			continue
		}
		for _, it := range list.Items() {
			if it.ExpectMap() {
				w.Containers = append(w.Containers, container(w, it, f.kind, anns))
			}
		}
	}
	if w.OS == "" && hostProcessPod(w) {
		// a HostProcess pod runs only on Windows nodes (its containers are
		// processes on the Windows host): the Linux-only settings do not
		// apply to it, whether or not it names its os
		w.OS = "windows"
	}
	l.p.Workloads = append(l.p.Workloads, w)
}

// hostProcessPod reports a pod whose pod-level or any container's
// windowsOptions.hostProcess is true: the API server requires every
// container of such a pod to be a HostProcess container.
func hostProcessPod(w *model.Workload) bool {
	if w.Security.HostProcess.IsTrue() {
		return true
	}
	for _, c := range w.Containers {
		if c.Security.HostProcess.IsTrue() {
			return true
		}
	}
	return false
}

// boolOr reads a boolean key of m; when it is absent the location is the
// place it belongs (anchor, Synthetic).
func boolOr(m yamldoc.Value, key string, anchor model.Location) model.Bool {
	b := m.Get(key).Bool()
	if !b.Set {
		b.Loc = missing(anchor, join(anchor.Path, key))
	}
	return b
}

func join(path, key string) string {
	if path == "" {
		return key
	}
	return path + "." + key
}

// identity reads the service account a pod runs as.
func identity(spec yamldoc.Value, ns string, specLoc model.Location) model.Identity {
	sa := spec.Get("serviceAccountName")
	if sa.Text() == "" {
		if old := spec.Get("serviceAccount"); old.Text() != "" {
			sa = old // deprecated alias, still honoured by the API server
		}
	}
	id := model.Identity{Kind: model.IdentityK8sServiceAccount, Name: sa.Text()}
	if id.Name == "" {
		id.Name = "default"
		id.Default = true
		id.Loc = missing(specLoc, join(specLoc.Path, "serviceAccountName"))
	} else {
		s := sa.StringVal()
		id.Loc, id.Via, id.Unknown = s.Loc, s.Via, s.Unknown
		id.Default = id.Name == "default"
	}
	id.Key = ns + "/" + id.Name
	return id
}

// volume reads one entry of a pod's volumes.
func volume(it yamldoc.Value) *model.Volume {
	if !it.ExpectMap() {
		return nil
	}
	name := it.Get("name").Text()
	it = it.Named(name)
	vol := &model.Volume{Name: name, Loc: it.Get("name").Loc(), Kind: model.VolumeOther}
	if vol.Loc.IsZero() {
		vol.Loc = it.Loc()
	}
	switch {
	case it.Get("hostPath").Exists():
		hp := it.Get("hostPath")
		vol.Kind = model.VolumeHostPath
		vol.HostPath = hp.Get("path").StringVal()
		if !vol.HostPath.Set {
			vol.HostPath.Loc = hp.KeyLoc()
		}
		vol.HostPathType = hp.Get("type").Text()
	case it.Get("secret").Exists():
		vol.Kind = model.VolumeSecret
		vol.Source = it.Get("secret").Get("secretName").Text()
	case it.Get("configMap").Exists():
		vol.Kind = model.VolumeConfig
	case it.Get("projected").Exists():
		vol.Kind = model.VolumeProjected
	case it.Get("emptyDir").Exists():
		vol.Kind = model.VolumeEmpty
	case it.Get("persistentVolumeClaim").Exists(), it.Get("ephemeral").Exists():
		vol.Kind = model.VolumeNamed
	}
	return vol
}

// container reads one container, init container or ephemeral container.
func container(w *model.Workload, it yamldoc.Value, kind model.ContainerKind, anns yamldoc.Value) *model.Container {
	name := it.Get("name").Text()
	it = it.Named(name)
	c := &model.Container{Name: name, Kind: kind, Image: it.Get("image").StringVal(), Loc: it.Get("name").Loc()}
	// a native sidecar: an init container that the kubelet keeps running
	// beside the app containers (restartPolicy is valid only on init
	// containers, and Always is its only value)
	c.Sidecar = kind == model.ContainerInit && it.Get("restartPolicy").Text() == "Always"
	if c.Loc.IsZero() {
		c.Loc = it.Loc()
	}
	if name == "" && (w.Kind == "Service" || w.Kind == "Configuration" || w.Kind == "Revision") {
		// a Knative object (a core Service has no pod template): its one
		// container may go unnamed, and Knative names it user-container
		c.Name = "user-container"
	} else if name == "" && c.Image.Known() {
		c.Name = c.Image.Value // as CI containers are named: messages say which one
	}
	if env := it.Get("env"); env.ExpectSeq() {
		for _, e := range env.Items() {
			if ev := envVar(e); ev != nil {
				c.Env = append(c.Env, ev)
			}
		}
	}
	if ef := it.Get("envFrom"); ef.ExpectSeq() {
		for _, e := range ef.Items() {
			if src := envSource(e); src != nil {
				c.EnvSources = append(c.EnvSources, src)
			}
		}
	}
	for _, key := range []string{"command", "args"} {
		c.Args = append(c.Args, it.Get(key).Strings()...)
	}
	if vm := it.Get("volumeMounts"); vm.ExpectSeq() {
		for _, m := range vm.Items() {
			if !m.ExpectMap() {
				continue
			}
			mn := m.Get("name").Text()
			m = m.Named(mn + ":" + m.Get("mountPath").Text())
			mt := &model.Mount{Name: mn, Target: m.Get("mountPath").Text(), Volume: w.Volume(mn), Loc: m.Get("name").Loc()}
			mt.ReadOnly = boolOr(m, "readOnly", mt.Loc)
			c.Mounts = append(c.Mounts, mt)
		}
	}
	anchor := c.Loc
	anchor.Path = it.Path()
	c.Security = security(it.Get("securityContext"), anchor)
	annotatedProfiles(&c.Security, anns, "container.seccomp.security.alpha.kubernetes.io/"+name,
		"container.apparmor.security.beta.kubernetes.io/"+name)
	return c
}

func envVar(e yamldoc.Value) *model.EnvVar {
	if !e.ExpectMap() {
		return nil
	}
	name := e.Get("name").Text()
	e = e.Named(name)
	ev := &model.EnvVar{Name: name, Loc: e.Get("name").Loc()}
	if ev.Loc.IsZero() {
		ev.Loc = e.Loc()
	}
	if val := e.Get("value"); val.Exists() {
		ev.Value = val.StringVal()
	}
	if skr := e.Get("valueFrom").Get("secretKeyRef"); skr.ExpectMap() {
		ev.Secret = &model.SecretRef{Store: model.StoreK8sSecret, Name: skr.Get("name").Text(), Key: skr.Get("key").Text(), Loc: skr.KeyLoc()}
	}
	return ev
}

func envSource(e yamldoc.Value) *model.EnvSource {
	if !e.ExpectMap() {
		return nil
	}
	prefix := e.Get("prefix").Text()
	if r := e.Get("secretRef"); r.Exists() {
		return &model.EnvSource{Kind: model.EnvFromSecret, Name: r.Get("name").Text(), Prefix: prefix, Loc: r.KeyLoc()}
	}
	if r := e.Get("configMapRef"); r.Exists() {
		return &model.EnvSource{Kind: model.EnvFromConfigMap, Name: r.Get("name").Text(), Prefix: prefix, Loc: r.KeyLoc()}
	}
	return nil
}

// security reads a pod or container securityContext. owner is the pod
// spec's or container's location; unset values point at the securityContext
// key, or at owner when there is none.
func security(sc yamldoc.Value, owner model.Location) model.SecurityContext {
	var s model.SecurityContext
	if sc.ExpectMap() {
		s.Loc = sc.KeyLoc()
	} else {
		s.Loc = missing(owner, join(owner.Path, "securityContext"))
	}
	s.Privileged = boolOr(sc, "privileged", s.Loc)
	s.AllowPrivilegeEscalation = boolOr(sc, "allowPrivilegeEscalation", s.Loc)
	s.RunAsNonRoot = boolOr(sc, "runAsNonRoot", s.Loc)
	s.ReadOnlyRootFS = boolOr(sc, "readOnlyRootFilesystem", s.Loc)
	s.RunAsUser = sc.Get("runAsUser").Int()
	if !s.RunAsUser.Set {
		s.RunAsUser.Loc = missing(s.Loc, join(s.Loc.Path, "runAsUser"))
	}
	caps := sc.Get("capabilities")
	if caps.ExpectMap() {
		s.CapAdd = caps.Get("add").Strings()
		s.CapDrop = caps.Get("drop").Strings()
	}
	if t := sc.Get("seccompProfile").Get("type"); t.Exists() {
		s.Seccomp = t.StringVal()
	}
	if t := sc.Get("appArmorProfile").Get("type"); t.Exists() {
		s.AppArmor = t.StringVal()
	}
	if t := sc.Get("seLinuxOptions").Get("type"); t.Exists() {
		s.SELinuxType = t.StringVal()
	}
	if h := sc.Get("windowsOptions").Get("hostProcess"); h.Exists() {
		s.HostProcess = h.Bool()
	}
	return s
}

// annotatedProfiles fills seccomp and AppArmor profiles from the annotations
// that preceded the securityContext fields, where the fields are unset.
// Annotation values: "unconfined", "runtime/default", "docker/default",
// "localhost/<profile>".
func annotatedProfiles(s *model.SecurityContext, anns yamldoc.Value, seccompKey, apparmorKey string) {
	if !anns.IsMap() {
		return
	}
	if a := anns.Get(seccompKey); seccompKey != "" && a.Exists() && !s.Seccomp.Set {
		s.Seccomp = profileFromAnnotation(a)
	}
	if a := anns.Get(apparmorKey); apparmorKey != "" && a.Exists() && !s.AppArmor.Set {
		s.AppArmor = profileFromAnnotation(a)
	}
}

func profileFromAnnotation(a yamldoc.Value) model.String {
	s := a.StringVal()
	switch v := s.Value; {
	case v == "unconfined":
		s.Value = "Unconfined"
	case v == "runtime/default" || v == "docker/default":
		s.Value = "RuntimeDefault"
	case strings.HasPrefix(v, "localhost/"):
		s.Value = "Localhost"
	}
	return s
}
