package shell

import (
	"strings"

	"github.com/isolint/isolint/model"
)

// Locator places a word of a script or option string in the file.
type Locator func(w Word) model.Location

// EnvValue judges the value of `-e NAME=VALUE` when it is not a literal:
// a CI secret reference, a variable, or unknown. It may be nil.
type EnvValue func(w Word, value string) (secret *model.SecretRef, fromVar string)

// Apply lowers the flags of r onto container c of workload w: privileged
// mode, namespaces, capabilities, devices, mounts, environment, security
// options and user. Each value is located at the word that sets it.
func Apply(w *model.Workload, c *model.Container, r *Run, at Locator, env EnvValue) {
	if f := r.Privileged; f != nil {
		c.Security.Privileged = model.Bool{Value: true, Set: true, Loc: at(f.FlagWord)}
	}
	ns := func(f *Flag) model.Bool {
		if f == nil {
			return model.Bool{}
		}
		b := model.Bool{Set: true, Loc: at(f.Word)}
		if !f.Known {
			b.Unknown = true
			return b
		}
		b.Value = f.Value == "host"
		return b
	}
	setNS(&c.HostNetwork, ns(r.Network))
	setNS(&c.HostPID, ns(r.PID))
	setNS(&c.HostIPC, ns(r.IPC))
	setNS(&c.HostUTS, ns(r.UTS))
	setNS(&c.HostUserns, ns(r.Userns))
	for _, f := range r.CapAdd {
		for _, capName := range strings.Split(f.Value, ",") {
			c.Security.CapAdd = append(c.Security.CapAdd, model.String{Value: capName, Set: true, Unknown: !f.Known, Loc: at(f.Word)})
		}
	}
	for _, f := range r.SecurityOpts {
		if !f.Known {
			continue
		}
		k, v, _ := strings.Cut(f.Value, "=")
		if v == "" {
			k, v, _ = strings.Cut(f.Value, ":")
		}
		loc := at(f.Word)
		switch strings.ToLower(k) {
		case "seccomp":
			if v == "unconfined" {
				c.Security.Seccomp = model.String{Value: "Unconfined", Set: true, Loc: loc}
			}
		case "apparmor":
			if v == "unconfined" {
				c.Security.AppArmor = model.String{Value: "Unconfined", Set: true, Loc: loc}
			}
		case "label":
			switch {
			case v == "disable":
				c.Security.SELinuxDisabled = model.Bool{Value: true, Set: true, Loc: loc}
			case strings.HasPrefix(v, "type:"):
				c.Security.SELinuxType = model.String{Value: strings.TrimPrefix(v, "type:"), Set: true, Loc: loc}
			}
		case "no-new-privileges":
			c.Security.NoNewPrivileges = model.Bool{Value: v == "" || v == "true", Set: true, Loc: loc}
		}
	}
	if f := r.User; f != nil {
		c.Security.User = model.String{Value: f.Value, Set: true, Unknown: !f.Known, Loc: at(f.Word)}
	}
	for _, f := range r.Devices {
		src := f.Value
		if i := strings.IndexByte(src, ':'); i >= 0 {
			src = src[:i]
		}
		vol := &model.Volume{Name: "device:" + src, Kind: model.VolumeHostPath, Device: true, Loc: at(f.Word),
			HostPath: model.String{Value: src, Set: true, Unknown: !f.Known, Loc: at(f.Word)}}
		mount(w, c, vol, src, false, at(f.Word))
	}
	for _, f := range r.Volumes {
		spec := f.Value
		if !f.Known {
			// "$HOME/.aws:/root/.aws": split the text, judge the variable part
			spec = strings.Trim(f.Word.Text, `"`)
			if strings.ContainsAny(spec, "'`\\") {
				addVolume(w, c, f.Value, "", false, false, at(f.Word))
				continue
			}
		}
		src, dst, ro := SplitVolume(spec)
		addVolume(w, c, src, dst, ro, true, at(f.Word))
	}
	for _, f := range r.Mounts {
		if !f.Known {
			continue
		}
		if src, dst, ro := BindSource(f.Value); src != "" {
			addVolume(w, c, src, dst, ro, true, at(f.Word))
		}
	}
	if f := r.APISocket; f != nil {
		vol := &model.Volume{Name: "docker-api-socket", Kind: model.VolumeHostPath, Loc: at(f.FlagWord),
			HostPath: model.String{Value: "/var/run/docker.sock", Set: true, Loc: at(f.FlagWord)}}
		mount(w, c, vol, "/var/run/docker.sock", false, at(f.FlagWord))
	}
	for _, f := range r.Env {
		addEnv(c, f, at, env)
	}
	for _, f := range r.EnvFiles {
		c.EnvSources = append(c.EnvSources, &model.EnvSource{Kind: model.EnvFromFile, Name: f.Value, Loc: at(f.Word), FromFlag: true})
	}
}

func setNS(dst *model.Bool, b model.Bool) {
	if b.Set && (!dst.IsTrue() || b.IsTrue()) {
		*dst = b
	}
}

// addVolume records a -v/--mount source: a host path, a path in the
// checkout, or a named volume.
func addVolume(w *model.Workload, c *model.Container, src, dst string, ro, known bool, loc model.Location) {
	vol := &model.Volume{Name: src, Loc: loc, Kind: model.VolumeOther}
	switch {
	case !known:
		vol.Kind = model.VolumeHostPath
		vol.HostPath = model.String{Set: true, Unknown: true, Loc: loc}
	case src == "":
		vol.Kind = model.VolumeEmpty
	case isProjectPath(src):
		vol.Kind = model.VolumeProjectPath
	case strings.HasPrefix(src, "/") || strings.HasPrefix(src, "~"):
		vol.Kind = model.VolumeHostPath
		vol.HostPath = model.String{Value: src, Set: true, Loc: loc}
	case strings.HasPrefix(src, "$HOME") || strings.HasPrefix(src, "${HOME}"):
		vol.Kind = model.VolumeHostPath
		rest := strings.TrimPrefix(strings.TrimPrefix(src, "${HOME}"), "$HOME")
		vol.HostPath = model.String{Value: "~" + rest, Set: true, Loc: loc}
	case strings.Contains(src, "$") || strings.Contains(src, "${{"):
		vol.Kind = model.VolumeHostPath
		vol.HostPath = model.String{Value: src, Set: true, Unknown: true, Loc: loc}
	default:
		vol.Kind = model.VolumeNamed
	}
	mount(w, c, vol, dst, ro, loc)
}

// AddVolume records a `SRC:DST[:ro]` volume of container c (a CI job
// container's `volumes:` entry).
func AddVolume(w *model.Workload, c *model.Container, spec string, known bool, loc model.Location) {
	if !known {
		addVolume(w, c, spec, "", false, false, loc)
		return
	}
	src, dst, ro := SplitVolume(spec)
	addVolume(w, c, src, dst, ro, true, loc)
}

// isProjectPath reports a bind source inside the checkout: relative paths
// and the variables CI systems set to the workspace.
func isProjectPath(src string) bool {
	if src == "." || src == ".." || strings.HasPrefix(src, "./") || strings.HasPrefix(src, "../") {
		return true
	}
	for _, p := range []string{"$PWD", "${PWD}", "$(pwd)", "`pwd`", "${{ github.workspace }}", "${{github.workspace}}",
		"$GITHUB_WORKSPACE", "${GITHUB_WORKSPACE}", "$CI_PROJECT_DIR", "${CI_PROJECT_DIR}", "$CI_BUILDS_DIR", "${CI_BUILDS_DIR}", "$RUNNER_TEMP", "${RUNNER_TEMP}", "${{ runner.temp }}"} {
		if src == p || strings.HasPrefix(src, p+"/") {
			return true
		}
	}
	return false
}

func mount(w *model.Workload, c *model.Container, vol *model.Volume, target string, ro bool, loc model.Location) {
	w.Volumes = append(w.Volumes, vol)
	c.Mounts = append(c.Mounts, &model.Mount{Volume: vol, Name: vol.Name, Target: target, Loc: loc,
		ReadOnly: model.Bool{Value: ro, Set: ro, Loc: loc}})
}

func addEnv(c *model.Container, f Flag, at Locator, env EnvValue) {
	loc := at(f.Word)
	text := f.Word.Text
	if f.Known {
		text = f.Value
	}
	name, value, hasValue := strings.Cut(text, "=")
	name = strings.Trim(name, `"'`)
	if name == "" {
		return
	}
	ev := &model.EnvVar{Name: name, Loc: loc}
	switch {
	case !hasValue:
		ev.FromVar = name // passed through from the job's own environment
	case f.Known:
		ev.Value = model.String{Value: value, Set: true, Loc: loc}
	default:
		value = strings.Trim(value, `"'`)
		if env != nil {
			ev.Secret, ev.FromVar = env(f.Word, value)
		}
		if ev.Secret == nil && ev.FromVar == "" {
			ev.FromVar = varOnly(value)
		}
		ev.Value = model.String{Set: true, Unknown: true, Loc: loc}
	}
	c.Env = append(c.Env, ev)
}

// varOnly returns X when s is exactly `$X` or `${X}`.
func varOnly(s string) string {
	switch {
	case strings.HasPrefix(s, "${") && strings.HasSuffix(s, "}"):
		s = s[2 : len(s)-1]
	case strings.HasPrefix(s, "$"):
		s = s[1:]
	default:
		return ""
	}
	for _, r := range s {
		if !(r == '_' || r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9') {
			return ""
		}
	}
	return s
}

// VarOnly returns X when s is exactly `$X` or `${X}`.
func VarOnly(s string) string { return varOnly(s) }

// CommandOf records a parsed command as the model keeps it: its name and
// arguments (literal where known, else as written).
func CommandOf(args []Word, at Locator) model.Command {
	cmd := model.Command{Name: args[0].Lit, Loc: at(args[0])}
	for _, a := range args[1:] {
		if a.Known {
			cmd.Args = append(cmd.Args, a.Lit)
		} else {
			cmd.Args = append(cmd.Args, a.Text)
		}
	}
	return cmd
}

// StartedContainer returns the container that a `docker run`, `podman run`
// or like command starts, with its flags lowered onto it and onto w (host
// namespaces, mounts …); nil for any other command. The caller adds it to
// w.Containers.
func StartedContainer(w *model.Workload, args []Word, at Locator, env EnvValue) *model.Container {
	r := ContainerRun(args)
	if r == nil {
		return nil
	}
	name := r.Engine + " run"
	if r.Image != nil {
		name = r.Image.Text
		if r.Image.Known {
			name = r.Image.Lit
		}
	}
	ctr := &model.Container{Name: name, Kind: model.ContainerScripted, Loc: at(r.Cmd)}
	if r.Image != nil {
		ctr.Image = model.String{Value: r.Image.Lit, Set: true, Unknown: !r.Image.Known, Loc: at(*r.Image)}
	}
	Apply(w, ctr, r, at, env)
	return ctr
}
