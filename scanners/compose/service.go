package compose

import (
	"strings"

	"github.com/isolint/isolint/model"
	"github.com/isolint/isolint/scanners/yamldoc"
)

// lower turns one service into a workload with one container.
func (p *project) lower(name string, v yamldoc.Value) {
	sv, partial := p.resolveExtends(name, v)
	top := sv.top().svc
	w := &model.Workload{
		Format:  model.FormatCompose,
		Kind:    "service",
		Name:    name,
		Loc:     top.KeyLoc(),
		SpecLoc: top.KeyLoc(),
		Partial: partial,
	}
	// a service with neither image nor build only completes a service of
	// another file (an override): docker compose rejects it on its own
	if !sv.get("image").Exists() && !sv.get("build").Exists() {
		w.Partial = true
	}
	if pf := p.strKey(sv, "platform"); pf.Known() {
		w.OS, _, _ = strings.Cut(strings.ToLower(pf.Value), "/")
	}
	c := &model.Container{Name: name, Kind: model.ContainerRegular, Loc: w.Loc}
	c.Image = p.strKey(sv, "image")
	w.Containers = []*model.Container{c}
	l := &lowered{w: w, c: c}

	w.HostNetwork = p.namespace(sv, "network_mode", l, refNetwork)
	w.Shares = &model.HostShares{
		PID:    p.namespace(sv, "pid", l, refPID),
		IPC:    p.namespace(sv, "ipc", l, refIPC),
		UTS:    p.namespace(sv, "uts", l, -1),
		Userns: p.namespace(sv, "userns_mode", l, -1),
	}

	c.Security = p.security(sv)
	c.Args = p.command(sv)
	c.Env = p.environment(sv)
	c.EnvSources = p.envFiles(sv)
	p.volumes(sv, w, c)
	p.devices(sv, w, c)
	p.files(sv, w, c, "secrets", model.VolumeSecret, "/run/secrets/")
	p.files(sv, w, c, "configs", model.VolumeConfig, "/")
	if b := p.boolKey(sv, "use_api_socket"); b.IsTrue() || b.Set && b.Unknown {
		// Docker mounts its API socket into the container
		// (https://docs.docker.com/reference/compose-file/services/#use_api_socket)
		hp := model.String{Value: "/var/run/docker.sock", Set: true, Unknown: b.Unknown, Loc: b.Loc, Via: b.Via}
		vol := &model.Volume{Name: "docker API socket", Kind: model.VolumeHostPath, Loc: b.Loc, HostPath: hp}
		w.Volumes = append(w.Volumes, vol)
		c.Mounts = append(c.Mounts, &model.Mount{Volume: vol, Name: vol.Name, Target: "/var/run/docker.sock", Loc: b.Loc, ReadOnly: model.Bool{Loc: b.Loc}})
	}
	for _, f := range sv.each("volumes_from") {
		if !f.ExpectSeq() {
			continue
		}
		for _, it := range f.Items() {
			s := p.str(field{it, f.l})
			if !s.Known() {
				continue
			}
			parts := strings.Split(s.Value, ":")
			if parts[0] == "container" {
				continue // a container outside the project: its mounts are unknown
			}
			l.refs = append(l.refs, reference{kind: refVolumes, service: parts[0], loc: s.Loc, via: s.Via,
				ro: len(parts) > 1 && parts[len(parts)-1] == "ro"})
		}
	}
	for _, f := range sv.each("profiles") {
		f.Strings() // must be a list; profiled services run when their profile is enabled
	}

	p.byName[name] = l
	p.order = append(p.order, l)
}

// namespace reads network_mode, pid, ipc, uts or userns_mode: true when it
// is "host". A `service:x` value is resolved once every service is lowered;
// `container:x` names a container outside the project, whose namespaces are
// unknown.
func (p *project) namespace(sv *service, key string, l *lowered, ref referenceKind) model.Bool {
	f := sv.get(key)
	if !f.Exists() {
		return model.Bool{Loc: sv.missing(key)}
	}
	s := p.str(f)
	b := model.Bool{Loc: s.Loc, Via: s.Via, Set: s.Set, Unknown: s.Unknown}
	if !s.Known() {
		return b
	}
	b.Value = s.Value == "host"
	if kind, target, ok := strings.Cut(s.Value, ":"); ok {
		if (kind == "service" || kind == "container") && (ref == refPID || ref == refNetwork) {
			ns := "pid"
			if ref == refNetwork {
				ns = "network"
			}
			l.w.Joins = append(l.w.Joins, model.NamespaceJoin{Namespace: ns, Kind: kind, Target: target, Loc: s.Loc, Via: s.Via})
		}
		switch {
		case kind == "service" && ref >= 0:
			// unknown until the service is found in this file
			b.Unknown = true
			l.refs = append(l.refs, reference{kind: ref, service: target, loc: s.Loc, via: s.Via})
		case kind == "container":
			b.Unknown = true
		}
	}
	return b
}

// security reads the settings Docker applies to the container's process.
func (p *project) security(sv *service) model.SecurityContext {
	sec := model.SecurityContext{Loc: sv.top().svc.KeyLoc()}
	sec.Loc.Synthetic = true
	sec.Privileged = p.boolKey(sv, "privileged")
	sec.ReadOnlyRootFS = p.boolKey(sv, "read_only")
	sec.User = p.strKey(sv, "user")
	sec.CapAdd = p.capabilities(sv, "cap_add")
	sec.CapDrop = p.capabilities(sv, "cap_drop")

	opts := sv.get("security_opt")
	sec.NoNewPrivileges = model.Bool{Loc: sv.missing("security_opt")}
	if opts.Exists() {
		sec.NoNewPrivileges.Loc = opts.Synthetic("no-new-privileges")
	}
	sec.Seccomp = model.String{Loc: sec.NoNewPrivileges.Loc}
	sec.AppArmor = model.String{Loc: sec.NoNewPrivileges.Loc}
	sec.SELinuxType = model.String{Loc: sec.NoNewPrivileges.Loc}
	sec.SELinuxDisabled = model.Bool{Loc: sec.NoNewPrivileges.Loc}
	// later options win, and a service's own options come after its base's
	for _, f := range sv.each("security_opt") {
		if !f.ExpectSeq() {
			continue
		}
		for _, it := range f.Items() {
			p.securityOpt(&sec, p.str(field{it, f.l}))
		}
	}
	return sec
}

// securityOpt applies one security_opt entry. Docker accepts both
// `key:value` and `key=value`.
func (p *project) securityOpt(sec *model.SecurityContext, s model.String) {
	if !s.Set {
		return
	}
	key, val, _ := strings.Cut(s.Value, "=")
	if k, v, ok := strings.Cut(s.Value, ":"); ok && (len(k) < len(key)) {
		key, val = k, v
	}
	key = strings.TrimSpace(strings.ToLower(key))
	val = strings.TrimSpace(val)
	if s.Unknown {
		// which option it is may still be plain (seccomp:${PROFILE})
		if strings.Contains(key, "$") {
			return
		}
	}
	with := func(v string) model.String {
		return model.String{Value: v, Set: true, Unknown: s.Unknown, Loc: s.Loc, Via: s.Via}
	}
	switch key {
	case "no-new-privileges":
		b := model.Bool{Set: true, Unknown: s.Unknown, Loc: s.Loc, Via: s.Via}
		switch strings.ToLower(val) {
		case "", "true":
			b.Value = true
		case "false":
		default:
			b.Unknown = true
		}
		sec.NoNewPrivileges = b
	case "seccomp":
		switch strings.ToLower(val) {
		case "unconfined":
			sec.Seccomp = with("Unconfined")
		case "builtin", "default", "docker/default", "runtime/default":
			sec.Seccomp = with("RuntimeDefault")
		default:
			sec.Seccomp = with("Localhost")
		}
	case "apparmor":
		switch strings.ToLower(val) {
		case "unconfined":
			sec.AppArmor = with("Unconfined")
		case "docker-default", "runtime/default":
			sec.AppArmor = with("RuntimeDefault")
		default:
			sec.AppArmor = with("Localhost")
		}
	case "label":
		switch {
		case strings.EqualFold(val, "disable"):
			sec.SELinuxDisabled = model.Bool{Value: true, Set: true, Unknown: s.Unknown, Loc: s.Loc, Via: s.Via}
		case strings.HasPrefix(val, "type:"):
			sec.SELinuxType = with(strings.TrimPrefix(val, "type:"))
		}
	}
}

// capabilities reads cap_add or cap_drop from every layer, each capability
// once (the highest layer's entry).
func (p *project) capabilities(sv *service, key string) []model.String {
	var out []model.String
	seen := map[string]int{}
	for _, f := range sv.each(key) {
		if !f.ExpectSeq() {
			continue
		}
		for _, it := range f.Items() {
			if !it.IsScalar() || it.IsNull() {
				p.doc.Notice(it, model.NoticeWarning, "%s must be a capability name, got %s", it.Path(), it.KindName())
				continue
			}
			s := p.str(field{it, f.l})
			n := model.Capability(s.Value)
			if i, ok := seen[n]; ok && s.Known() {
				out[i] = s
				continue
			}
			seen[n] = len(out)
			out = append(out, s)
		}
	}
	return out
}
