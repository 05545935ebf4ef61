package dev

import (
	"path"
	"strings"

	"github.com/isolint/isolint/model"
	"github.com/isolint/isolint/scanners/ci/shell"
	"github.com/isolint/isolint/scanners/yamldoc"
)

// devcontainer lowers a devcontainer.json
// (https://containers.dev/implementors/json_reference/) onto one workload
// with one container. The container's settings come from the properties
// the dev container CLI turns into `docker run` flags (privileged, capAdd,
// securityOpt, mounts, containerEnv, containerUser), from runArgs (read as
// `docker run` flags), and from the features it installs that change them.
func (l *lowering) devcontainer(root yamldoc.Value) {
	name := l.devcontainerName()
	root = root.WithObject(model.KindDevContainer + "/" + name)
	w := &model.Workload{
		Format:    model.FormatDev,
		Kind:      model.KindDevContainer,
		Name:      name,
		Namespace: l.file,
		Loc:       root.Loc(),
		SpecLoc:   root.Loc(),
		// docker run flags: a user, but no runAsNonRoot that leaves it
		// to the image by choice
		Lacks: model.SettingRunAsNonRoot | model.SettingAllowPrivilegeEscalation,
	}
	c := &model.Container{Name: name, Kind: model.ContainerRegular, Loc: w.Loc}
	c.Security.Loc = root.Loc()
	c.Security.Loc.Synthetic = true
	if img, ok := text(root.Get("image")); ok {
		x := expand(img, devcontainerVars)
		c.Image = model.String{Value: x.text, Set: true, Unknown: !x.known, Loc: root.Get("image").Loc()}
	}
	w.Containers = []*model.Container{c}

	// A Docker Compose dev container takes its container from the compose
	// file, which the compose scanner reads; runArgs, appPort and
	// workspaceMount apply only to image and Dockerfile dev containers.
	compose := root.Get("dockerComposeFile").Exists()

	ws := &words{}
	run := &shell.Run{}
	// features first: the properties written in the file decide over them
	l.features(root.Get("features"), w, c)
	if !compose {
		if ra := root.Get("runArgs"); isArray(ra) {
			var args []shell.Word
			for _, it := range ra.Items() {
				if s, ok := text(it); ok {
					args = append(args, ws.word(it, s, devcontainerVars))
				}
			}
			run = shell.Flags(args, false)
		}
	}
	if b := boolean(root.Get("privileged")); b.IsTrue() {
		wd := ws.word(root.Get("privileged"), "--privileged", devcontainerVars)
		run.Privileged = &shell.Flag{Name: "--privileged", Value: "true", Known: true, Word: wd, FlagWord: wd}
	}
	l.flagList(root.Get("capAdd"), "--cap-add", ws, &run.CapAdd)
	l.flagList(root.Get("securityOpt"), "--security-opt", ws, &run.SecurityOpts)
	shell.Apply(w, c, run, ws.at, envFromHost)

	if ms := root.Get("mounts"); isArray(ms) {
		for _, it := range ms.Items() {
			l.mount(w, c, it)
		}
	}
	if wm := root.Get("workspaceMount"); wm.Exists() && !compose {
		l.mount(w, c, wm)
	}
	c.Env = append(c.Env, l.env(root.Get("containerEnv"), devcontainerVars)...)
	// remoteEnv reaches the processes the tool starts in the container
	// (terminals, tasks, extensions, agents), not its first process
	c.Env = append(c.Env, l.env(root.Get("remoteEnv"), devcontainerVars)...)
	l.user(root, c)
	l.p.Workloads = append(l.p.Workloads, w)

	// MCP servers VS Code starts inside the dev container
	if vs := root.Get("customizations").Get("vscode"); vs.IsMap() {
		if m := vs.Get("mcp"); isObject(m) {
			l.mcpServers(m.Get("servers"))
		}
	}
}

// devcontainerName names the dev container by its configuration's folder
// (.devcontainer/<name>/devcontainer.json), else "devcontainer". The
// `name` property is free text, shown only in the tool's UI: it is not
// printed (it could hold anything).
func (l *lowering) devcontainerName() string {
	dir := path.Dir(l.file)
	if path.Base(path.Dir(dir)) == ".devcontainer" {
		return path.Base(dir)
	}
	return model.KindDevContainer
}

// flagList reads an array property (capAdd, securityOpt) as repeated
// `docker run` flags.
func (l *lowering) flagList(v yamldoc.Value, flag string, ws *words, into *[]shell.Flag) {
	if !isArray(v) {
		return
	}
	for _, it := range v.Items() {
		s, ok := text(it)
		if !ok {
			continue
		}
		wd := ws.word(it, s, devcontainerVars)
		*into = append(*into, shell.Flag{Name: flag, Value: wd.Lit, Known: wd.Known, Word: wd, FlagWord: wd})
	}
}

// envFromHost judges `-e NAME=${localEnv:X}` in runArgs: the value comes
// from the host's environment variable X.
func envFromHost(_ shell.Word, value string) (*model.SecretRef, string) {
	return nil, expand(value, devcontainerVars).envVar
}

// env reads containerEnv or remoteEnv.
func (l *lowering) env(v yamldoc.Value, d dialect) []*model.EnvVar {
	if !isObject(v) {
		return nil
	}
	var out []*model.EnvVar
	for _, pair := range v.Pairs() {
		raw, ok := text(pair.Value)
		if !ok {
			continue // null unsets the variable
		}
		x := expand(raw, d)
		out = append(out, &model.EnvVar{
			Name:    pair.Key,
			Loc:     pair.Value.KeyLoc(),
			Value:   literal(x, raw, pair.Value.Loc()),
			FromVar: x.envVar,
		})
	}
	return out
}

// user reads the user the tool's processes run as: remoteUser, which
// defaults to containerUser (the container's user), which defaults to the
// image's.
func (l *lowering) user(root yamldoc.Value, c *model.Container) {
	for _, key := range []string{"remoteUser", "containerUser"} {
		v := root.Get(key)
		s, ok := text(v)
		if !ok {
			continue
		}
		x := expand(s, devcontainerVars)
		c.Security.User = model.String{Value: x.text, Set: true, Unknown: !x.known, Loc: v.Loc()}
		return
	}
}

// words are the words of a command line read from JSON array items: each
// item is one word, located at the item.
type words struct {
	locs []model.Location
}

// word makes a word of item v with text raw; its variables are read in
// dialect d, and a word with unknown variables is not Known.
func (ws *words) word(v yamldoc.Value, raw string, d dialect) shell.Word {
	return ws.wordAt(v.Loc(), raw, d)
}

func (ws *words) wordAt(loc model.Location, raw string, d dialect) shell.Word {
	x := expand(raw, d)
	w := shell.Word{Text: raw, Start: len(ws.locs), End: len(ws.locs) + 1}
	ws.locs = append(ws.locs, loc)
	if x.known {
		w.Lit, w.Known = x.text, true
	}
	return w
}

// at locates a word.
func (ws *words) at(w shell.Word) model.Location {
	if w.Start >= 0 && w.Start < len(ws.locs) {
		return ws.locs[w.Start]
	}
	return model.Location{}
}

// mountSpec is one mount: a `--mount` string or a mount object.
type mountSpec struct {
	typ, source, target string
	readOnly            bool
	loc                 model.Location // where the source is written
	via                 []model.Related
	// name names the mount in messages: the key that holds it
	// ("mounts[2]", "workspaceMount", "feature docker-outside-of-docker").
	name string
}

// mount lowers one `mounts` entry (or workspaceMount): a `--mount` string
// (`source=…,target=…,type=bind`) or an object {source, target, type}.
func (l *lowering) mount(w *model.Workload, c *model.Container, v yamldoc.Value) {
	var m mountSpec
	switch {
	case v.IsMap():
		m.typ, _ = text(v.Get("type"))
		m.source, _ = text(v.Get("source"))
		m.target, _ = text(v.Get("target"))
		m.loc = v.Loc()
		if src := v.Get("source"); src.Exists() {
			m.loc = src.Loc()
		}
		if m.typ == "" {
			m.typ = "volume"
		}
	case !v.IsScalar() || v.IsNull() || v.Node().Tag != "!!str":
		if !v.IsNull() {
			wrongType(v, "a string or an object")
		}
		return
	default:
		s, _ := v.Str()
		m = parseMount(s)
		m.loc = v.Loc()
	}
	m.name = safePath(v)
	addMount(w, c, m)
}

// parseMount reads a `docker run --mount` value. Docker's default type is
// volume.
func parseMount(s string) mountSpec {
	m := mountSpec{typ: "volume"}
	for _, kv := range strings.Split(s, ",") {
		k, v, hasValue := strings.Cut(strings.TrimSpace(kv), "=")
		switch strings.ToLower(k) {
		case "type":
			m.typ = v
		case "source", "src":
			m.source = v
		case "target", "destination", "dst":
			m.target = v
		case "readonly", "ro":
			m.readOnly = !hasValue || v == "true" || v == "1"
		}
	}
	return m
}

// addMount records a mount: a bind of a host path (classified by the
// rules), of the project's own folder (${localWorkspaceFolder}), or a
// volume or tmpfs, which are no host reach.
func addMount(w *model.Workload, c *model.Container, m mountSpec) {
	vol := &model.Volume{Name: m.name, Kind: model.VolumeOther, Loc: m.loc}
	switch strings.ToLower(m.typ) {
	case "bind":
		x := expand(m.source, devcontainerVars)
		switch {
		case m.source == "":
			return // Docker rejects a bind without a source
		case !x.known && isSocketPath(x.text):
			// ${localEnv:XDG_RUNTIME_DIR}/docker.sock: where is unknown,
			// what is not
			vol.Kind = model.VolumeHostPath
			vol.HostPath = model.String{Value: m.source, Set: true, Loc: m.loc}
		case !x.known:
			vol.Kind = model.VolumeHostPath
			vol.HostPath = model.String{Value: m.source, Set: true, Unknown: true, Loc: m.loc}
		case inProject(x.text):
			vol.Kind = model.VolumeProjectPath
		case !strings.HasPrefix(x.text, ".") && !isAbsolute(x.text):
			return // Docker refuses a bind of a relative path
		case strings.HasPrefix(x.text, "."):
			// out of the workspace folder (${localWorkspaceFolder}/..):
			// shown as written
			vol.Kind = model.VolumeHostPath
			vol.HostPath = model.String{Value: m.source, Set: true, Loc: m.loc}
		default:
			vol.Kind = model.VolumeHostPath
			vol.HostPath = model.String{Value: x.text, Set: true, Loc: m.loc}
		}
	case "volume":
		vol.Kind = model.VolumeNamed
		if m.source == "" {
			vol.Kind = model.VolumeEmpty // an anonymous volume
		}
	case "tmpfs":
		vol.Kind = model.VolumeEmpty
	}
	if vol.Name == "" {
		vol.Name = m.source
	}
	if vol.HostPath.Set {
		vol.HostPath.Via = m.via
	}
	w.Volumes = append(w.Volumes, vol)
	c.Mounts = append(c.Mounts, &model.Mount{Volume: vol, Name: vol.Name, Target: m.target, Loc: m.loc,
		ReadOnly: model.Bool{Value: m.readOnly, Set: m.readOnly, Loc: m.loc}})
}

// inProject reports a bind source inside the workspace folder ("." after
// ${localWorkspaceFolder} is read).
func inProject(p string) bool {
	if p != "." && !strings.HasPrefix(p, "./") {
		return false
	}
	clean := path.Clean(p)
	return clean != ".." && !strings.HasPrefix(clean, "../")
}

// isSocketPath reports a path whose last element names a container
// runtime's socket, whatever its directory.
func isSocketPath(p string) bool {
	return model.ClassifyHostPath("/"+path.Base(p), "") == model.ReachRuntimeSocket && strings.HasSuffix(p, ".sock")
}

// isAbsolute reports an absolute host path: Unix, home-relative, or
// Windows (C:\…, C:/…, \\server\share, //./pipe/…).
func isAbsolute(p string) bool {
	switch {
	case strings.HasPrefix(p, "/"), strings.HasPrefix(p, "~"), strings.HasPrefix(p, "\\\\"):
		return true
	case len(p) >= 3 && p[1] == ':' && (p[2] == '\\' || p[2] == '/'):
		return true
	}
	return false
}
