package shell

import "strings"

// Run is a container started from a script (`docker run`, `docker create`,
// `docker container run`, `podman run`, `nerdctl run`), or the option
// string of a CI job's container, read into the flags that decide its
// isolation. Each flag keeps the word it was read from (for its position).
type Run struct {
	Engine string // "docker", "podman", "nerdctl"; "" for an option string
	// Cmd is the engine word (the position of the whole command).
	Cmd   Word
	Image *Word

	Privileged *Flag
	// Network, PID, IPC, UTS and Userns are namespace modes ("host").
	Network, PID, IPC, UTS, Userns *Flag
	CapAdd                         []Flag
	Devices                        []Flag
	Volumes                        []Flag // -v/--volume SRC:DST[:OPTS]
	Mounts                         []Flag // --mount type=bind,source=…
	Env                            []Flag // -e/--env NAME[=VALUE]
	EnvFiles                       []Flag
	SecurityOpts                   []Flag
	User                           *Flag
	// APISocket is docker's --use-api-socket, which mounts the engine's
	// socket into the container.
	APISocket *Flag
}

// Flag is one flag with its value. Word is the word holding the value (the
// flag itself for boolean flags); FlagWord the flag's own word.
type Flag struct {
	Name     string
	Value    string
	Known    bool // the value is a literal
	Word     Word
	FlagWord Word
}

// valueFlags are the `docker run` / `podman run` flags that take a value,
// so that the image (the first other argument) can be found.
var valueFlags = map[string]bool{
	"-a": true, "--attach": true, "--add-host": true, "--annotation": true, "--blkio-weight": true,
	"--blkio-weight-device": true, "--cap-add": true, "--cap-drop": true, "--cgroup-parent": true,
	"--cgroupns": true, "--cidfile": true, "--cpu-period": true, "--cpu-quota": true,
	"--cpu-rt-period": true, "--cpu-rt-runtime": true, "-c": true, "--cpu-shares": true, "--cpus": true,
	"--cpuset-cpus": true, "--cpuset-mems": true, "--device": true, "--device-cgroup-rule": true,
	"--device-read-bps": true, "--device-read-iops": true, "--device-write-bps": true,
	"--device-write-iops": true, "--dns": true, "--dns-option": true, "--dns-search": true,
	"--domainname": true, "--entrypoint": true, "-e": true, "--env": true, "--env-file": true,
	"--expose": true, "--gpus": true, "--group-add": true, "--health-cmd": true,
	"--health-interval": true, "--health-retries": true, "--health-start-period": true,
	"--health-start-interval": true, "--health-timeout": true, "-h": true, "--hostname": true,
	"--ip": true, "--ip6": true, "--ipc": true, "--isolation": true, "--kernel-memory": true,
	"-l": true, "--label": true, "--label-file": true, "--link": true, "--link-local-ip": true,
	"--log-driver": true, "--log-opt": true, "--mac-address": true, "-m": true, "--memory": true,
	"--memory-reservation": true, "--memory-swap": true, "--memory-swappiness": true, "--mount": true,
	"--name": true, "--network": true, "--net": true, "--network-alias": true, "--net-alias": true,
	"--oom-score-adj": true, "--pid": true, "--pids-limit": true, "--platform": true, "-p": true,
	"--publish": true, "--pull": true, "--restart": true, "--runtime": true, "--security-opt": true,
	"--shm-size": true, "--stop-signal": true, "--stop-timeout": true, "--storage-opt": true,
	"--sysctl": true, "--tmpfs": true, "--ulimit": true, "-u": true, "--user": true, "--userns": true,
	"--uts": true, "-v": true, "--volume": true, "--volume-driver": true, "--volumes-from": true,
	"-w": true, "--workdir": true, "--arch": true, "--os": true, "--variant": true,
	"--secret": true, "--pod": true, "--systemd": true, "--userns-uid-map": true, "--uidmap": true,
	"--gidmap": true, "--subuidname": true, "--subgidname": true, "--log-level": true, "--health-on-failure": true,
	"--annotation-file": true, "--chrootdirs": true, "--conmon-pidfile": true, "--decryption-key": true,
	"--detach-keys": true, "--hooks-dir": true, "--image-volume": true, "--init-path": true,
	"--requires": true, "--sdnotify": true, "--seccomp-policy": true, "--timeout": true, "--umask": true,
	"--personality": true, "--preserve-fd": true, "--pidfile": true, "--passwd-entry": true,
	"--group-entry": true, "--rdt-class": true, "--retry": true, "--retry-delay": true, "--cgroup-conf": true,
	"--cgroups": true,
}

// engineGlobals are engine flags before the subcommand that take a value.
var engineGlobals = map[string]bool{
	"-H": true, "--host": true, "--context": true, "-c": true, "--config": true, "-l": true,
	"--log-level": true, "--tlscacert": true, "--tlscert": true, "--tlskey": true,
	"--connection": true, "--url": true, "--identity": true, "--root": true, "--runroot": true,
	"--storage-driver": true, "--cgroup-manager": true, "--namespace": true, "-n": true,
	"--address": true, "-a": true, "--remote": true, "-r": true, "--runtime": true,
}

// ContainerRun reads a command (after Unwrap) that starts a container,
// or returns nil.
func ContainerRun(args []Word) *Run {
	if len(args) < 2 || !args[0].Known {
		return nil
	}
	engine := strings.TrimSuffix(baseName(args[0].Lit), ".exe") // docker.exe on Windows runners
	switch engine {
	case "docker", "podman", "nerdctl":
	default:
		return nil
	}
	i := 1
	for i < len(args) && args[i].Known && strings.HasPrefix(args[i].Lit, "-") {
		if engineGlobals[args[i].Lit] {
			i++
		}
		i++
	}
	if i >= len(args) || !args[i].Known {
		return nil
	}
	sub := args[i].Lit
	if sub == "container" && i+1 < len(args) && args[i+1].Known {
		i++
		sub = args[i].Lit
	}
	if sub != "run" && sub != "create" {
		return nil
	}
	r := Flags(args[i+1:], true)
	r.Engine = engine
	r.Cmd = args[0]
	return r
}

// Flags reads run flags. With image true the first non-flag argument is
// the image and reading stops there (what follows is the container's
// command); without, every word is read as a flag (an option string).
func Flags(args []Word, image bool) *Run {
	r := &Run{}
	for i := 0; i < len(args); i++ {
		a := args[i]
		if !a.Known || !strings.HasPrefix(a.Lit, "-") || a.Lit == "-" {
			if image {
				w := a
				r.Image = &w
				return r
			}
			continue
		}
		if a.Lit == "--" {
			if image && i+1 < len(args) {
				w := args[i+1]
				r.Image = &w
			}
			return r
		}
		name, val, hasVal := strings.Cut(a.Lit, "=")
		f := Flag{Name: name, FlagWord: a}
		switch {
		case hasVal:
			f.Value, f.Known, f.Word = val, true, a
		case valueFlags[name]:
			if i+1 < len(args) {
				i++
				f.Value, f.Known, f.Word = args[i].Lit, args[i].Known, args[i]
			}
		case !strings.HasPrefix(name, "--") && len(name) > 2:
			// combined short flags: -it, -dit, -itv/x:y is not valid docker
			// syntax, but -itePASS=x is; only booleans are read here
			r.short(name, a)
			continue
		default:
			f.Value, f.Known, f.Word = "true", true, a
		}
		r.set(f)
	}
	return r
}

func (r *Run) short(name string, w Word) {
	for _, c := range name[1:] {
		switch c {
		case 'd', 'i', 't', 'P', 'q':
		default:
			return // a value flag glued to its value (-eFOO=bar): not read
		}
	}
}

func (r *Run) set(f Flag) {
	switch f.Name {
	case "--privileged":
		if f.Known && f.Value != "false" {
			r.Privileged = &f
		}
	case "--network", "--net":
		r.Network = &f
	case "--pid":
		r.PID = &f
	case "--ipc":
		r.IPC = &f
	case "--uts":
		r.UTS = &f
	case "--userns":
		r.Userns = &f
	case "--cap-add":
		r.CapAdd = append(r.CapAdd, f)
	case "--device":
		r.Devices = append(r.Devices, f)
	case "-v", "--volume":
		r.Volumes = append(r.Volumes, f)
	case "--mount":
		r.Mounts = append(r.Mounts, f)
	case "-e", "--env":
		r.Env = append(r.Env, f)
	case "--env-file":
		r.EnvFiles = append(r.EnvFiles, f)
	case "--security-opt":
		r.SecurityOpts = append(r.SecurityOpts, f)
	case "-u", "--user":
		r.User = &f
	case "--use-api-socket":
		if f.Known && f.Value != "false" {
			r.APISocket = &f
		}
	}
}

// BindSource returns the host path of a --mount value of type bind
// (`type=bind,source=/var/run/docker.sock,target=…`), or "".
func BindSource(mount string) (src, target string, readOnly bool) {
	typ := "volume"
	for _, kv := range strings.Split(mount, ",") {
		k, v, _ := strings.Cut(kv, "=")
		switch strings.ToLower(strings.TrimSpace(k)) {
		case "type":
			typ = v
		case "source", "src":
			src = v
		case "target", "destination", "dst":
			target = v
		case "readonly", "ro":
			readOnly = v == "" || v == "true" || v == "1"
		}
	}
	if typ != "bind" {
		return "", target, readOnly
	}
	return src, target, readOnly
}

// SplitVolume splits a -v value `SRC:DST[:OPTS]`; a single path is an
// anonymous volume (no source).
func SplitVolume(v string) (src, dst string, readOnly bool) {
	parts := strings.Split(v, ":")
	switch len(parts) {
	case 1:
		return "", parts[0], false
	case 2:
		return parts[0], parts[1], false
	}
	opts := parts[len(parts)-1]
	for _, o := range strings.Split(opts, ",") {
		if o == "ro" || o == "readonly" {
			readOnly = true
		}
	}
	return parts[0], strings.Join(parts[1:len(parts)-1], ":"), readOnly
}
