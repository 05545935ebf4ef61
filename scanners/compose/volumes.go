package compose

import (
	"path"
	"strings"
	"unicode"

	"github.com/isolint/isolint/model"
	"github.com/isolint/isolint/scanners/yamldoc"
)

// volumes reads a service's volumes from every layer (short `SRC:DST:MODE`
// and long syntax); a mount a higher layer sets again for the same target
// wins, as Compose merges them.
func (p *project) volumes(sv *service, w *model.Workload, c *model.Container) {
	var mounts []*model.Mount
	index := map[string]int{}
	for _, f := range sv.each("volumes") {
		if !f.ExpectSeq() {
			continue
		}
		for _, it := range f.Items() {
			var m *model.Mount
			switch {
			case it.IsScalar() && !it.IsNull():
				m = p.shortVolume(sv, field{it, f.l})
			case it.IsMap():
				m = p.longVolume(sv, field{it, f.l})
			default:
				p.doc.Notice(it, model.NoticeWarning, "%s must be a volume string or mapping, got %s; docker compose would reject it", it.Path(), it.KindName())
			}
			if m == nil {
				continue
			}
			if i, ok := index[m.Target]; ok && m.Target != "" {
				mounts[i] = m
				continue
			}
			index[m.Target] = len(mounts)
			mounts = append(mounts, m)
		}
	}
	for _, m := range mounts {
		w.Volumes = append(w.Volumes, m.Volume)
		c.Mounts = append(c.Mounts, m)
	}
}

// shortVolume reads `[SOURCE:]TARGET[:MODE]`.
func (p *project) shortVolume(sv *service, f field) *model.Mount {
	raw := f.Text()
	src, dst, mode, ok := splitVolume(raw)
	if !ok {
		p.doc.Notice(f.Value, model.NoticeWarning, "%s is not a valid volume (SOURCE:TARGET[:MODE]); docker compose would reject it", f.Path())
		return nil
	}
	loc := f.loc()
	m := &model.Mount{Loc: loc, ReadOnly: model.Bool{Loc: loc}}
	m.Target = p.part(f, dst).Value
	for _, o := range strings.Split(mode, ",") {
		switch o {
		case "ro":
			m.ReadOnly = model.Bool{Value: true, Set: true, Loc: loc, Via: f.via(nil)}
		case "rw":
			m.ReadOnly = model.Bool{Set: true, Loc: loc, Via: f.via(nil)}
		}
	}
	if src == "" {
		m.Volume = &model.Volume{Kind: model.VolumeEmpty, Loc: loc} // an anonymous volume
		return m
	}
	s := p.part(f, homeVar(src, p.scan.environment()))
	m.Name = s.Value
	if s.Known() && !isPathSource(s.Value) {
		m.Volume = p.namedVolume(sv, s.Value, loc)
		return m
	}
	m.Volume = p.bindVolume(s, f.l)
	return m
}

// part interpolates one part of a volume string, keeping the string's
// location.
func (p *project) part(f field, text string) model.String {
	s := model.String{Value: text, Set: true, Loc: f.loc(), Via: f.via(nil)}
	if strings.IndexByte(text, '$') < 0 {
		return s
	}
	x := p.scan.environment().expand(text)
	if x.invalid {
		p.doc.Notice(f.Value, model.NoticeWarning, "%s holds an invalid ${…} interpolation; docker compose would reject it, so it was not checked", f.Path())
	}
	s.Value, s.Unknown, s.Via = x.value, x.unknown || x.invalid, f.via(x.via)
	return s
}

// homeVar reads a source starting with $HOME or ${HOME}, when .env does not
// set HOME, as the home directory it always is (~).
func homeVar(src string, env *environment) string {
	if _, ok := env.lookup("HOME"); ok {
		return src
	}
	for _, pre := range []string{"${HOME}", "$HOME"} {
		if rest, ok := strings.CutPrefix(src, pre); ok && (rest == "" || rest[0] == '/') {
			return "~" + rest
		}
	}
	return src
}

// longVolume reads the long syntax: type, source, target, read_only.
func (p *project) longVolume(sv *service, f field) *model.Mount {
	get := func(k string) field { return field{f.Get(k), f.l} }
	typ := p.str(get("type"))
	srcF := get("source")
	src := p.str(srcF)
	if src.Set && src.Value != "" {
		src = p.part(srcF, homeVar(srcF.Text(), p.scan.environment()))
	}
	tgt := p.str(get("target"))
	loc := f.loc()
	if srcF.Exists() {
		loc = srcF.loc()
	}
	m := &model.Mount{Name: src.Value, Target: tgt.Value, Loc: loc}
	m.ReadOnly = p.boolean(get("read_only"))
	if !m.ReadOnly.Set {
		m.ReadOnly.Loc = f.Synthetic("read_only")
	}
	kind := typ.Value
	if !typ.Set {
		// the type is required; read it from the source as the short syntax does
		switch {
		case src.Value == "":
			kind = "volume"
		case isPathSource(src.Value) || !src.Known():
			kind = "bind"
		default:
			kind = "volume"
		}
	}
	switch {
	case !typ.Known() && typ.Set:
		m.Volume = &model.Volume{Kind: model.VolumeOther, Loc: loc}
	case kind == "bind" || kind == "npipe":
		if !src.Set || src.Value == "" {
			p.doc.Notice(f.Value, model.NoticeWarning, "%s of type %s needs a source; docker compose would reject it", f.Path(), kind)
			return nil
		}
		m.Volume = p.bindVolume(src, f.l)
	case kind == "volume":
		if src.Value == "" {
			m.Volume = &model.Volume{Kind: model.VolumeEmpty, Loc: loc}
		} else if !src.Known() {
			m.Volume = &model.Volume{Name: src.Value, Kind: model.VolumeOther, Loc: loc}
		} else {
			m.Volume = p.namedVolume(sv, src.Value, loc)
		}
	case kind == "tmpfs":
		m.Volume = &model.Volume{Kind: model.VolumeEmpty, Loc: loc}
	default: // image, cluster
		m.Volume = &model.Volume{Name: src.Value, Kind: model.VolumeOther, Loc: loc}
	}
	return m
}

// bindVolume classifies a bind source: absolute and home-relative paths,
// and relative paths that leave the scanned tree, are host paths; relative
// paths inside it are the project's own files. The tree, not the compose
// file's directory, is the boundary: `..` in .devcontainer/compose.yaml (the
// dev container template) or in deploy/compose.yaml of a monorepo is the
// repository itself.
func (p *project) bindVolume(src model.String, l *layer) *model.Volume {
	vol := &model.Volume{Name: src.Value, Loc: src.Loc, Kind: model.VolumeHostPath, HostPath: src}
	if src.Known() && !isHostPath(src.Value) && !escapes(path.Join(p.scan.rootDir, l.dir, src.Value)) {
		vol.Kind = model.VolumeProjectPath
	}
	return vol
}

// namedVolume resolves a named volume against the top-level volumes: one
// whose local driver binds a host directory (driver_opts type none / o
// bind, device PATH) is a host path.
func (p *project) namedVolume(sv *service, name string, use model.Location) *model.Volume {
	vol := &model.Volume{Name: name, Kind: model.VolumeNamed, Loc: use}
	def := p.top.Get("volumes").Get(name)
	if !def.IsMap() {
		return vol
	}
	top := &layer{}
	if b := p.boolean(field{def.Get("external"), top}); b.IsTrue() {
		return vol
	}
	opts := def.Get("driver_opts")
	d := p.str(field{def.Get("driver"), top})
	if d.Known() && d.Value == "local-persist" {
		// the local-persist plugin keeps the volume's data in a host
		// directory (https://github.com/MatchbookLab/local-persist)
		if mp := opts.Get("mountpoint"); mp.Exists() {
			return p.hostDevice(sv, name, use, mp, top)
		}
		return vol
	}
	if d.Set && (d.Unknown || d.Value != "local") {
		return vol
	}
	dev := opts.Get("device")
	if !dev.Exists() {
		return vol
	}
	bind := false
	if o := p.str(field{opts.Get("o"), top}); o.Known() {
		for _, opt := range strings.Split(o.Value, ",") {
			bind = bind || opt == "bind" || opt == "rbind"
		}
	}
	if t := p.str(field{opts.Get("type"), top}); t.Known() && t.Value == "none" {
		bind = true
	}
	if !bind {
		return vol // an NFS or other file system, not a host path
	}
	return p.hostDevice(sv, name, use, dev, top)
}

// hostDevice is a named volume whose data is the host directory at dev.
func (p *project) hostDevice(sv *service, name string, use model.Location, dev yamldoc.Value, top *layer) *model.Volume {
	hp := p.str(field{dev, top})
	hp.Via = append(hp.Via, model.Related{Loc: use, Message: "named volume " + name + " mounted by service " + sv.name + " here"})
	bv := p.bindVolume(hp, top)
	bv.Name = name
	return bv
}

// isPathSource reports a short-syntax source that is a path rather than
// a volume name, as Compose tells them apart.
func isPathSource(s string) bool {
	if s == "" {
		return false
	}
	switch s[0] {
	case '.', '/', '~':
		return true
	}
	return isHostPath(s)
}

// splitVolume splits a short volume string at its colons, keeping a
// Windows drive letter and ${…} with its source, as compose-go's
// format.ParseVolume does.
func splitVolume(spec string) (src, dst, mode string, ok bool) {
	switch len(spec) {
	case 0:
		return "", "", "", false
	case 1, 2:
		return "", spec, "", true
	}
	var parts []string
	var buf []rune
	depth := 0
	for i, r := range spec {
		switch {
		case r == '$' && i+1 < len(spec) && spec[i+1] == '{':
			depth++
		case r == '}' && depth > 0:
			depth--
		case r == ':' && depth == 0 && !(len(buf) == 1 && unicode.IsLetter(buf[0])):
			if len(buf) == 0 {
				return "", "", "", false
			}
			parts = append(parts, string(buf))
			buf = buf[:0]
			continue
		}
		buf = append(buf, r)
	}
	if len(buf) == 0 {
		return "", "", "", false
	}
	parts = append(parts, string(buf))
	switch len(parts) {
	case 1:
		return "", parts[0], "", true
	case 2:
		return parts[0], parts[1], "", true
	case 3:
		return parts[0], parts[1], parts[2], true
	}
	return "", "", "", false
}

// devices reads a service's devices: `HOST[:CONTAINER[:PERMISSIONS]]`,
// the long {source, target, permissions}, or a CDI name
// (vendor.com/class=name). Each is a host device.
func (p *project) devices(sv *service, w *model.Workload, c *model.Container) {
	seen := map[string]bool{}
	for _, f := range sv.each("devices") {
		if !f.ExpectSeq() {
			continue
		}
		for _, it := range f.Items() {
			var src, dst model.String
			switch {
			case it.IsScalar() && !it.IsNull():
				s := p.str(field{it, f.l})
				src, dst = s, s
				if s.Known() && !isCDI(s.Value) {
					parts := strings.Split(s.Value, ":")
					src.Value, dst.Value = parts[0], parts[0]
					if len(parts) > 1 {
						dst.Value = parts[1]
					}
				}
			case it.IsMap():
				src = p.str(field{it.Get("source"), f.l})
				dst = p.str(field{it.Get("target"), f.l})
				if !src.Set {
					p.doc.Notice(it, model.NoticeWarning, "%s needs a source; docker compose would reject it", it.Path())
					continue
				}
				if !dst.Set {
					dst = src
				}
			default:
				p.doc.Notice(it, model.NoticeWarning, "%s must be a device string or mapping, got %s; docker compose would reject it", it.Path(), it.KindName())
				continue
			}
			if seen[src.Value+"\x00"+dst.Value] {
				continue
			}
			seen[src.Value+"\x00"+dst.Value] = true
			vol := &model.Volume{Name: src.Value, Kind: model.VolumeHostPath, Loc: src.Loc, HostPath: src, Device: true}
			w.Volumes = append(w.Volumes, vol)
			c.Mounts = append(c.Mounts, &model.Mount{Volume: vol, Name: src.Value, Target: dst.Value, Loc: src.Loc, ReadOnly: model.Bool{Loc: src.Loc}})
		}
	}
}

// isCDI reports a Container Device Interface name (nvidia.com/gpu=all).
func isCDI(s string) bool {
	i := strings.IndexByte(s, '=')
	return i > 0 && !strings.HasPrefix(s, "/") && strings.Contains(s[:i], "/")
}

// files reads a service's secrets or configs: file-mounted, which is how
// a service should receive a secret.
func (p *project) files(sv *service, w *model.Workload, c *model.Container, key string, kind model.VolumeKind, dir string) {
	for _, f := range sv.each(key) {
		if !f.ExpectSeq() {
			continue
		}
		for _, it := range f.Items() {
			var src, tgt model.String
			switch {
			case it.IsScalar() && !it.IsNull():
				src = p.str(field{it, f.l})
			case it.IsMap():
				src = p.str(field{it.Get("source"), f.l})
				tgt = p.str(field{it.Get("target"), f.l})
			default:
				p.doc.Notice(it, model.NoticeWarning, "%s must be a name or a mapping with source, got %s; docker compose would reject it", it.Path(), it.KindName())
				continue
			}
			target := tgt.Value
			switch {
			case target == "":
				target = dir + src.Value
			case !strings.HasPrefix(target, "/"):
				target = dir + target
			}
			vol := &model.Volume{Name: src.Value, Kind: kind, Loc: src.Loc}
			w.Volumes = append(w.Volumes, vol)
			c.Mounts = append(c.Mounts, &model.Mount{Volume: vol, Name: src.Value, Target: target, Loc: src.Loc,
				ReadOnly: model.Bool{Value: true, Loc: src.Loc}}) // read-only by design
		}
	}
}
