package model

import "strings"

// SecurityContext is the set of isolation settings of a workload or container.
// Each value carries its own location; absent values are unset (Set false).
type SecurityContext struct {
	// Loc is the securityContext key itself, or where one belongs
	// (Synthetic) when it is absent.
	Loc Location

	Privileged               Bool
	AllowPrivilegeEscalation Bool
	// NoNewPrivileges is compose's security_opt no-new-privileges; it means
	// the same as AllowPrivilegeEscalation false.
	NoNewPrivileges Bool
	RunAsUser       Int
	RunAsNonRoot    Bool
	// User is a user written as a string ("root", "0", "1000:1000", "app"),
	// as Compose, ECS and Docker take it.
	User           String
	ReadOnlyRootFS Bool

	CapAdd  []String
	CapDrop []String

	// Seccomp is the seccomp profile type: "RuntimeDefault", "Localhost",
	// "Unconfined"; compose values are mapped onto these.
	Seccomp String
	// AppArmor is the AppArmor profile: "RuntimeDefault", "Localhost",
	// "Unconfined".
	AppArmor String
	// SELinuxType is the SELinux type label (spc_t runs unconfined);
	// SELinuxDisabled is compose's label:disable.
	SELinuxType     String
	SELinuxDisabled Bool

	// HostProcess is Kubernetes windowsOptions.hostProcess: the container
	// runs as a process on the Windows node, outside any container
	// isolation, with the node's network and files.
	HostProcess Bool
}

// Effective is the security setting a container runs with: the container's
// own values, and for the fields the kubelet inherits from the pod
// (runAsUser, runAsNonRoot, seccomp, AppArmor, SELinux, Windows
// hostProcess), the workload's where
// the container leaves them unset. Every value keeps the location of the key
// that decides it.
func Effective(w *Workload, c *Container) SecurityContext {
	e := c.Security
	var p SecurityContext
	if w.Security != nil {
		p = *w.Security
	}
	if !e.RunAsUser.Set {
		e.RunAsUser = p.RunAsUser
	}
	if !e.RunAsNonRoot.Set {
		e.RunAsNonRoot = p.RunAsNonRoot
	}
	if !e.User.Set {
		e.User = p.User
	}
	if !e.Seccomp.Set {
		e.Seccomp = p.Seccomp
	}
	if !e.AppArmor.Set {
		e.AppArmor = p.AppArmor
	}
	if !e.SELinuxType.Set {
		e.SELinuxType = p.SELinuxType
	}
	if !e.SELinuxDisabled.Set {
		e.SELinuxDisabled = p.SELinuxDisabled
	}
	if !e.HostProcess.Set {
		e.HostProcess = p.HostProcess
	}
	return e
}

// RootState says whether a container's user is root.
type RootState int

const (
	// RootUnknown: nothing in the definition says; the image decides.
	RootUnknown RootState = iota
	// RootExplicit: the definition names uid 0 or the root user.
	RootExplicit
	// NonRoot: the definition guarantees a non-root user.
	NonRoot
)

// Root judges an effective security context: explicit uid 0 or user root is
// root whatever else is set; runAsNonRoot true, a non-zero runAsUser or a
// non-root user name is not; anything else is left to the image.
// It returns the location of the key that decides.
func (s SecurityContext) Root() (RootState, Location) {
	if s.RunAsUser.Known() {
		if s.RunAsUser.Value == 0 {
			return RootExplicit, s.RunAsUser.Loc
		}
	}
	if s.User.Known() {
		u := s.User.Value
		if i := strings.IndexByte(u, ':'); i >= 0 {
			u = u[:i]
		}
		switch u {
		case "0", "root":
			return RootExplicit, s.User.Loc
		case "":
		default:
			return NonRoot, s.User.Loc
		}
	}
	if s.RunAsUser.Known() {
		return NonRoot, s.RunAsUser.Loc
	}
	if s.RunAsNonRoot.IsTrue() {
		return NonRoot, s.RunAsNonRoot.Loc
	}
	return RootUnknown, Location{}
}

// Capability normalises a Linux capability name: upper case, without the
// CAP_ prefix, as both the kubelet and Docker accept either form.
func Capability(name string) string {
	n := strings.ToUpper(strings.TrimSpace(name))
	return strings.TrimPrefix(n, "CAP_")
}

// capabilityPower says what an added capability allows and whether it is
// enough on its own to leave the container or read other workloads
// (capabilities(7)); the others weaken the host or the node's neighbours
// without being an escape on their own.
var capabilityPower = map[string]struct {
	power  string
	escape bool
}{
	"ALL":                {"every capability", true},
	"SYS_ADMIN":          {"mount filesystems, load BPF, escape through cgroups and namespaces", true},
	"NET_ADMIN":          {"reconfigure the network: routes, iptables, interfaces", true},
	"SYS_PTRACE":         {"trace and read the memory of other processes", true},
	"SYS_MODULE":         {"load kernel modules", true},
	"DAC_READ_SEARCH":    {"read any file, bypassing permissions (open_by_handle_at escapes)", true},
	"SYS_RAWIO":          {"raw I/O to devices and kernel memory", true},
	"BPF":                {"load BPF programs into the kernel", true},
	"PERFMON":            {"observe the kernel and other processes through perf events", true},
	"NET_RAW":            {"forge packets and spoof other pods on the node network", false},
	"MAC_ADMIN":          {"change the mandatory access control (AppArmor, SELinux) policy", false},
	"MAC_OVERRIDE":       {"override mandatory access control", false},
	"SYS_BOOT":           {"reboot the host or load a new kernel", false},
	"SYS_TIME":           {"set the host's clock", false},
	"AUDIT_CONTROL":      {"change or disable kernel auditing", false},
	"AUDIT_READ":         {"read the kernel audit log", false},
	"SYSLOG":             {"read the kernel log and its addresses", false},
	"LINUX_IMMUTABLE":    {"change immutable and append-only file flags", false},
	"IPC_LOCK":           {"lock memory", false},
	"IPC_OWNER":          {"bypass permission checks on System V IPC objects", false},
	"SYS_RESOURCE":       {"override resource limits and quotas", false},
	"SYS_NICE":           {"change the priority and CPU placement of any process", false},
	"SYS_PACCT":          {"switch process accounting", false},
	"SYS_TTY_CONFIG":     {"configure terminals", false},
	"LEASE":              {"take leases on files it does not own", false},
	"WAKE_ALARM":         {"set alarms that wake the system", false},
	"BLOCK_SUSPEND":      {"block system suspend", false},
	"NET_BROADCAST":      {"broadcast and listen to multicast", false},
	"CHECKPOINT_RESTORE": {"checkpoint and restore processes", false},
}

// CapabilityPower says what an added Linux capability (normalised by
// Capability) lets a container do, and whether that is an escape on its
// own; ok is false for capabilities that break no isolation.
func CapabilityPower(name string) (power string, escape, ok bool) {
	c, ok := capabilityPower[name]
	return c.power, c.escape, ok
}
