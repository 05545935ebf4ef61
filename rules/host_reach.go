package rules

import (
	"strconv"
	"strings"

	"github.com/isolint/isolint/model"
)

// hostVolume is a workload volume that reaches into the host, classified
// once so that container-runtime-socket, host-device and host-path-mount
// each report a volume that is theirs and no other's.
type hostVolume struct {
	vol   *model.Volume
	reach model.HostReach
	// mounts are the containers' mounts of the volume, as related locations.
	mounts []model.Related
	// writers name the containers that mount it without readOnly: true.
	writers []string
}

// hostVolumes returns the host-reaching volumes of w. A host path that is
// not known (a template) is left out: nothing can be said of it. So is a
// volume that no container mounts, when every mount is known: declared
// alone, it gives no container anything of the host.
func hostVolumes(w *model.Workload) []hostVolume {
	var out []hostVolume
	mountsKnown := allMountsKnown(w)
	for _, v := range w.Volumes {
		var reach model.HostReach
		switch {
		case v.Device:
			reach = model.ReachDevice
		case v.Kind == model.VolumeHostPath && v.HostPath.Known():
			reach = model.ClassifyHostPath(v.HostPath.Value, v.HostPathType)
		}
		if reach == model.ReachNone {
			continue
		}
		hv := hostVolume{vol: v, reach: reach}
		for _, c := range w.Containers {
			for _, m := range c.Mounts {
				if m.Volume != v {
					continue
				}
				how := "read-write"
				if m.ReadOnly.IsTrue() {
					how = "read-only"
				} else {
					hv.writers = append(hv.writers, c.Display())
				}
				hv.mounts = append(hv.mounts, model.Related{Loc: m.Loc, Message: c.Display() + " mounts it at " + m.Target + " (" + how + ")"})
			}
		}
		if len(hv.mounts) == 0 && mountsKnown {
			continue
		}
		if len(hv.mounts) > 0 && len(hv.writers) == 0 && v.Kind == model.VolumeHostPath && model.IsPublicHostData(v.HostPath.Value) {
			continue // read-only time zone data or CA certificates: nothing to reach
		}
		if w.Kind == model.KindMCPServer && len(hv.mounts) > 0 && len(hv.writers) == 0 && v.Kind == model.VolumeHostPath && model.IsProjectFolder(v.HostPath.Value) {
			// an agent's tool server given one project folder, read-only:
			// the isolated setup, not host reach
			continue
		}
		out = append(out, hv)
	}
	return out
}

// allMountsKnown reports whether w's containers and the volume each of
// their mounts names are all known: then a volume no mount names is
// mounted by none.
func allMountsKnown(w *model.Workload) bool {
	if w.MountsUnknown || len(w.Containers) == 0 {
		return false
	}
	for _, c := range w.Containers {
		for _, m := range c.Mounts {
			if m.Volume == nil && (m.Name == "" || model.Unresolved(m.Name)) {
				return false // a templated or unresolved volume name
			}
		}
	}
	return true
}

// where says which containers mount the volume, for messages.
func (hv hostVolume) where() string {
	if len(hv.mounts) == 0 {
		return "declared; which container mounts it is not known"
	}
	if len(hv.writers) == 0 {
		return "mounted read-only"
	}
	return "writable by " + strings.Join(hv.writers, ", ")
}

// reportHostVolume records a finding at the volume's host path; what says
// what the path gives the container ("" for nothing in particular).
func reportHostVolume(p *Pass, w *model.Workload, hv hostVolume, sev Severity, what string) {
	msg := w.Display() + " mounts host path " + strconv.Quote(hv.vol.HostPath.Value) + " (volume " + strconv.Quote(hv.vol.Name) + ", " + hv.where() + ")"
	if what != "" {
		msg += ": " + what
	}
	var conf Confidence
	if len(hv.mounts) == 0 {
		conf = ConfidenceMedium // mounted, if at all, by a container isolint could not read
	}
	p.Report(Finding{
		Severity:   sev,
		Confidence: conf,
		Message:    msg,
		Loc:        hv.vol.HostPath.Loc,
		Related:    append(append([]model.Related(nil), hv.mounts...), hv.vol.HostPath.Via...),
		Format:     w.Format, Object: w.ID(), Workload: w.Name, Unit: w.Unit,
	})
}
