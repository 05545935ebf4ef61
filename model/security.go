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
}

// Effective is the security setting a container runs with: the container's
// own values, and for the fields the kubelet inherits from the pod
// (runAsUser, runAsNonRoot, seccomp, AppArmor, SELinux), the workload's where
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

// breakingCapabilities are the capabilities that, added to a container,
// break its isolation from the host or from other workloads. NET_RAW is
// in the runtime's default set and lets a container forge packets and spoof
// neighbours; it is graded lower.
var breakingCapabilities = map[string]string{
	"ALL":             "every capability",
	"SYS_ADMIN":       "mount filesystems, load BPF, escape through cgroups and namespaces",
	"NET_ADMIN":       "reconfigure the network: routes, iptables, interfaces",
	"SYS_PTRACE":      "trace and read the memory of other processes",
	"SYS_MODULE":      "load kernel modules",
	"DAC_READ_SEARCH": "read any file, bypassing permissions (open_by_handle_at escapes)",
	"SYS_RAWIO":       "raw I/O to devices and kernel memory",
	"BPF":             "load BPF programs into the kernel",
	"PERFMON":         "observe the kernel and other processes through perf events",
	"NET_RAW":         "forge packets and spoof other pods on the node network",
}

// BreakingCapability says what an added Linux capability (normalised by
// Capability) lets a container do, when it breaks isolation.
func BreakingCapability(name string) (string, bool) {
	power, ok := breakingCapabilities[name]
	return power, ok
}
