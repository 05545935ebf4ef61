package model

import (
	"path"
	"strings"
)

// VolumeKind says where a volume's data lives.
type VolumeKind string

const (
	VolumeHostPath    VolumeKind = "host-path"    // a path on the host (k8s hostPath, absolute bind mount)
	VolumeProjectPath VolumeKind = "project-path" // a bind mount of a path inside the project (compose ./data)
	VolumeSecret      VolumeKind = "secret"
	VolumeConfig      VolumeKind = "config"
	VolumeProjected   VolumeKind = "projected"
	VolumeEmpty       VolumeKind = "empty" // emptyDir, tmpfs, anonymous volume
	VolumeNamed       VolumeKind = "named" // a runtime-managed named volume or claim
	VolumeOther       VolumeKind = "other"
)

// Volume is storage a workload can mount.
type Volume struct {
	Name string
	Kind VolumeKind
	Loc  Location // the volume entry
	// HostPath is the host path of a host-path volume; its Loc is the key
	// the user edits.
	HostPath String
	// HostPathType is a k8s hostPath type ("CharDevice", "Socket", …).
	HostPathType string
	// Device is set for a device handed to the container (compose devices).
	Device bool
	// Source names the object a secret volume reads (a k8s secret
	// volume's secretName), when written.
	Source string
}

// Mount is a volume mounted into a container.
type Mount struct {
	Volume   *Volume // nil when the name resolves to no volume
	Name     string  // the volume name as written
	Target   string  // path inside the container
	ReadOnly Bool
	Loc      Location
}

// HostReach classifies what a host path gives a container.
type HostReach int

const (
	ReachNone HostReach = iota
	// ReachOther: a host path that is not known to be sensitive.
	ReachOther
	// ReachSensitive: a host directory holding credentials or system state.
	ReachSensitive
	// ReachDevice: a host device node or /dev.
	ReachDevice
	// ReachRuntimeSocket: a container runtime's socket, or a directory that
	// holds one (its own, /run, /run/user …): whoever holds it can start privileged
	// containers on the host. Read-only or not: a read-only mount does not
	// stop connect() on a unix socket (Linux checks EROFS only for regular
	// files, directories and symlinks).
	ReachRuntimeSocket
)

// runtimeSockets are the API sockets of container runtimes and the
// directories that hold them.
var runtimeSockets = map[string]bool{
	"/var/run": true, "/run": true,
	"/var/run/docker.sock": true, "/run/docker.sock": true,
	"/var/run/docker": true, "/run/docker": true,
	"/var/run/containerd": true, "/run/containerd": true,
	"/var/run/containerd/containerd.sock": true, "/run/containerd/containerd.sock": true,
	"/var/run/crio": true, "/run/crio": true,
	"/var/run/crio/crio.sock": true, "/run/crio/crio.sock": true,
	"/var/run/podman": true, "/run/podman": true,
	"/var/run/podman/podman.sock": true, "/run/podman/podman.sock": true,
	"/var/run/dockershim.sock": true, "/var/run/cri-dockerd.sock": true, "/run/cri-dockerd.sock": true,
	"/run/k3s/containerd": true, "/run/k3s/containerd/containerd.sock": true,
	"/run/user/1000/docker.sock": true, "/run/user/1000/podman/podman.sock": true,
}

var socketNames = []string{"docker.sock", "containerd.sock", "crio.sock", "podman.sock", "dockershim.sock", "cri-dockerd.sock"}

// sensitiveHostPaths hold host credentials, the runtime's state or the
// kernel's interfaces. Home-relative entries match any user's home.
var sensitiveHostPaths = []string{
	"/", "/etc", "/root", "/home", "/proc", "/sys", "/boot",
	"/var/lib/kubelet", "/var/lib/docker", "/var/lib/containerd", "/var/log",
	"/var/lib/etcd", "/etc/kubernetes",
}

var sensitiveHomeDirs = []string{".ssh", ".aws", ".kube", ".config", ".docker", ".gnupg", ".azure", ".gcloud"}

// ClassifyHostPath says what mounting the host path p gives a container.
// hostType is a k8s hostPath type, or "" when unknown. A path with an
// unresolved part (an unknown variable) should not be passed here.
func ClassifyHostPath(p, hostType string) HostReach {
	if p == "" {
		return ReachNone
	}
	if isEnginePipe(p) {
		return ReachRuntimeSocket
	}
	home := strings.HasPrefix(p, "~")
	clean := path.Clean(strings.TrimPrefix(p, "~"))
	if home {
		clean = path.Clean("/" + clean)
		for _, d := range sensitiveHomeDirs {
			if clean == "/" || within(clean, "/"+d) {
				return ReachSensitive
			}
		}
		return ReachOther
	}
	if runtimeSockets[clean] || HoldsRuntimeSocket(clean) {
		return ReachRuntimeSocket
	}
	base := path.Base(clean)
	for _, s := range socketNames {
		if base == s {
			return ReachRuntimeSocket
		}
	}
	if hostType == "CharDevice" || hostType == "BlockDevice" || within(clean, "/dev") {
		return ReachDevice
	}
	for _, s := range sensitiveHostPaths {
		if within(clean, s) || within(s, clean) {
			// a sensitive directory, something inside it, or a parent of it
			return ReachSensitive
		}
	}
	// a macOS user's home folder, or all of them (/home is above)
	if clean == "/Users" || (strings.HasPrefix(clean, "/Users/") && strings.Count(clean, "/") == 2) {
		return ReachSensitive
	}
	// any user's credentials under /home/<user>/.ssh and the like
	if strings.HasPrefix(clean, "/home/") || strings.HasPrefix(clean, "/Users/") {
		for _, d := range sensitiveHomeDirs {
			if strings.Contains(clean+"/", "/"+d+"/") {
				return ReachSensitive
			}
		}
	}
	return ReachOther
}

// HoldsRuntimeSocket reports whether the host path p is a directory above
// a container runtime's socket and its directory (/run, /run/containerd …)
// under /run, such as /run/user or /run/k3s; not the socket or the
// directories known to hold it themselves, nor / (the whole filesystem,
// a sensitive path; see WholeFilesystem). /var/run is taken as
// /run, as the host resolves
// the path of a mount's source; /var is not, since on every systemd host
// /var/run is a symlink to /run, which a container that mounts /var
// resolves into its own /run, not the host's.
func HoldsRuntimeSocket(p string) bool {
	clean := path.Clean(p)
	if clean == "/" || runtimeSockets[clean] {
		return false
	}
	if rest, ok := strings.CutPrefix(clean, "/var/run"); ok && (rest == "" || rest[0] == '/') {
		clean = "/run" + rest
	}
	if !within(clean, "/run") {
		return false
	}
	for s := range runtimeSockets {
		if strings.HasPrefix(s, clean+"/") {
			return true
		}
	}
	return false
}

// WholeFilesystem reports a host path that is the host's root: every
// credential of the host, and its runtime sockets, which a read-only mount
// does not keep a process from connecting to.
func WholeFilesystem(p string) bool { return path.Clean(p) == "/" }

// within reports whether p is dir or lies below it.
func within(p, dir string) bool {
	if dir == "/" {
		return p == "/"
	}
	return p == dir || strings.HasPrefix(p, dir+"/")
}

// isEnginePipe reports a Windows named pipe of a container engine
// (\\.\pipe\docker_engine, //./pipe/dockerDesktopLinuxEngine): Docker's API
// socket on Windows hosts.
func isEnginePipe(p string) bool {
	l := strings.ToLower(strings.ReplaceAll(p, "\\", "/"))
	if !strings.HasPrefix(l, "//./pipe/") {
		return false
	}
	name := l[len("//./pipe/"):]
	return strings.Contains(name, "docker") || strings.Contains(name, "containerd") || strings.Contains(name, "podman")
}

// publicHostData are host files that tell a reader nothing secret and are
// mounted read-only everywhere: time zone data and the public CA bundles.
var publicHostData = []string{
	"/etc/localtime", "/etc/timezone", "/usr/share/zoneinfo",
	"/etc/ssl/certs", "/etc/pki/tls/certs", "/etc/pki/ca-trust/extracted",
	"/etc/ca-certificates", "/usr/share/ca-certificates",
}

// IsProjectFolder reports a host path that is one folder inside a user's
// home, below the home itself and outside its hidden configuration folders
// (~/src/app, /home/alice/work/api, /Users/alice/code/site): where projects
// are checked out. The home itself, ~/.ssh, ~/.config/x are not.
func IsProjectFolder(p string) bool {
	var rest string
	switch {
	case strings.HasPrefix(p, "~/"):
		rest = path.Clean(p[2:])
	case strings.HasPrefix(p, "/home/"), strings.HasPrefix(p, "/Users/"):
		clean := path.Clean(p)
		parts := strings.SplitN(strings.TrimPrefix(clean, "/"), "/", 3)
		if len(parts) < 3 {
			return false
		}
		rest = parts[2]
	default:
		return false
	}
	if rest == "." || rest == "" || strings.HasPrefix(rest, "..") {
		return false
	}
	for _, part := range strings.Split(rest, "/") {
		if strings.HasPrefix(part, ".") {
			return false
		}
	}
	return true
}

// IsPublicHostData reports whether a host path holds only public data
// (time zone, CA certificates). Mounted read-only it gives no reach.
func IsPublicHostData(p string) bool {
	clean := path.Clean(p)
	for _, d := range publicHostData {
		if within(clean, d) {
			return true
		}
	}
	return false
}
