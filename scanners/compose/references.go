package compose

import "github.com/isolint/isolint/model"

// resolveReferences applies the settings that name another service of the
// file: `network_mode`, `pid` and `ipc: service:x` share x's namespace, so
// they share the host's when x does; `volumes_from: [x]` mounts every
// volume x mounts. Each finding then sits on the key that names x, with
// x's own setting as a related location.
func (p *project) resolveReferences() {
	state := map[*lowered]int{} // 1 resolving, 2 done
	var resolve func(l *lowered)
	resolve = func(l *lowered) {
		if state[l] != 0 {
			return // done, or a cycle (docker compose rejects those)
		}
		state[l] = 1
		for _, r := range l.refs {
			t := p.byName[r.service]
			if t == nil || t == l {
				continue // a service of another file (an override), or itself
			}
			resolve(t)
			switch r.kind {
			case refNetwork:
				l.w.HostNetwork = shared(l.w.HostNetwork, t.w.HostNetwork, r, "network")
			case refPID:
				l.w.SetShares().PID = shared(l.w.Host().PID, t.w.Host().PID, r, "PID")
			case refIPC:
				l.w.SetShares().IPC = shared(l.w.Host().IPC, t.w.Host().IPC, r, "IPC")
			case refVolumes:
				p.copyMounts(l, t, r)
			}
		}
		state[l] = 2
	}
	for _, l := range p.order {
		resolve(l)
	}
}

// shared is own (set, unknown) after joining the namespace of another
// service whose setting is theirs: the host's when theirs is, known not
// to be when theirs is known not to be.
func shared(own, theirs model.Bool, r reference, what string) model.Bool {
	switch {
	case theirs.IsTrue():
		via := append(append([]model.Related(nil), r.via...), model.Related{Loc: theirs.Loc, Message: "service " + r.service + " uses the host's " + what + " namespace here"})
		return model.Bool{Value: true, Set: true, Loc: r.loc, Via: append(via, theirs.Via...)}
	case !theirs.Unknown:
		own.Unknown = false
	}
	return own
}

// copyMounts gives l the volumes t mounts (secrets and configs are not
// volumes), located at l's volumes_from entry.
func (p *project) copyMounts(l, t *lowered, r reference) {
	for _, m := range t.c.Mounts {
		if m.Volume == nil || m.Volume.Kind == model.VolumeSecret || m.Volume.Kind == model.VolumeConfig {
			continue
		}
		origin := model.Related{Loc: m.Loc, Message: "mounted by service " + r.service + " here"}
		vol := *m.Volume
		vol.Loc = r.loc
		if vol.HostPath.Set {
			vol.HostPath.Via = append(append(append([]model.Related(nil), r.via...), origin), vol.HostPath.Via...)
			vol.HostPath.Loc = r.loc
		}
		ro := m.ReadOnly
		ro.Loc = r.loc
		if r.ro {
			ro = model.Bool{Value: true, Set: true, Loc: r.loc, Via: r.via}
		}
		l.w.Volumes = append(l.w.Volumes, &vol)
		l.c.Mounts = append(l.c.Mounts, &model.Mount{Volume: &vol, Name: m.Name, Target: m.Target, ReadOnly: ro, Loc: r.loc})
	}
}
