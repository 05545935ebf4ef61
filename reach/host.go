package reach

import "github.com/isolint/isolint/model"

// hostOf lists what the workload reaches on its host.
func hostOf(r *Workload, w *model.Workload) {
	seen := map[string]bool{}
	add := func(t Tier, what string, l model.Location) {
		k := what + "\x00" + l.String()
		if !seen[k] {
			seen[k] = true
			r.Host = append(r.Host, Item{Tier: t, What: what, Loc: locOf(l)})
		}
	}
	ns := func(b model.Bool, what string) {
		if b.IsTrue() {
			add(High, what, b.Loc)
		}
	}
	host := w.Host()
	ns(host.PID, "host PID namespace: sees and signals every process on the host")
	ns(host.IPC, "host IPC namespace")
	ns(host.UTS, "host UTS namespace")
	ns(host.Userns, "host user namespace")
	for _, c := range w.Containers {
		who := c.Display()
		e := model.Effective(w, c)
		if e.Privileged.IsTrue() {
			add(Critical, who+" is privileged: root on the host", e.Privileged.Loc)
		}
		if e.HostProcess.IsTrue() {
			add(Critical, who+" is a Windows HostProcess container: a process on the host, outside any container", e.HostProcess.Loc)
		}
		ns(c.HostPID, who+" shares the host PID namespace")
		ns(c.HostIPC, who+" shares the host IPC namespace")
		ns(c.HostUTS, who+" shares the host UTS namespace")
		ns(c.HostUserns, who+" shares the host user namespace")
		for _, cp := range e.CapAdd {
			if !cp.Known() {
				continue
			}
			name := model.Capability(cp.Value)
			if power, escape, ok := model.CapabilityPower(name); ok {
				t := Medium
				switch {
				case name == "ALL" || name == "SYS_ADMIN":
					t = Critical
				case escape:
					t = High
				}
				add(t, who+" adds "+name+": "+power, cp.Loc)
			}
		}
		if e.Seccomp.Known() && e.Seccomp.Value == "Unconfined" {
			add(Medium, who+" runs without seccomp", e.Seccomp.Loc)
		}
		switch c.Kind {
		case model.ContainerProcess:
			add(High, who+" runs on the user's machine, not in a container: the user's files, credentials and environment", c.Loc)
		case model.ContainerRunner:
			if w.CI != nil && w.CI.Runner.SelfHosted {
				add(Medium, "steps run on a self-hosted runner ("+w.CI.Runner.Display()+"): what earlier jobs left on it", w.CI.Runner.Loc)
			}
		}
		for _, m := range c.Mounts {
			v := m.Volume
			if v == nil {
				continue
			}
			if v.Device {
				add(High, who+" gets host device "+v.HostPath.Value, m.Loc)
				continue
			}
			if v.Kind != model.VolumeHostPath || !v.HostPath.Known() {
				continue
			}
			hp := v.HostPath.Value
			ro := m.ReadOnly.IsTrue()
			if ro && model.IsPublicHostData(hp) {
				continue
			}
			mode := " (read-write)"
			if ro {
				mode = " (read-only)"
			}
			switch model.ClassifyHostPath(hp, v.HostPathType) {
			case model.ReachRuntimeSocket:
				what := " mounts the container runtime socket "
				if model.HoldsRuntimeSocket(hp) {
					what = " mounts a directory that holds the container runtime socket, "
				}
				if ro {
					hp += " (read-only, which does not stop connecting to a socket)"
				}
				add(Critical, who+what+hp+": it can start privileged containers on the host", m.Loc)
			case model.ReachDevice:
				add(High, who+" mounts host device "+hp+mode, m.Loc)
			case model.ReachSensitive:
				if model.WholeFilesystem(hp) {
					note := ""
					if ro {
						note = ": read-only does not stop connecting to the runtime's socket in it"
					}
					add(Critical, who+" mounts the host's whole filesystem "+hp+mode+note, m.Loc)
					break
				}
				add(High, who+" mounts sensitive host path "+hp+mode, m.Loc)
			default:
				t := Medium
				if ro {
					t = Low
				}
				add(t, who+" mounts host path "+hp+mode, m.Loc)
			}
		}
	}
}
