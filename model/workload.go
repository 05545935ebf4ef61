package model

// Workload is one runtime definition: a Kubernetes pod template, a Compose
// service, an ECS task definition, a CI job. Rules that are about "a process
// that runs somewhere" read only this type, so they fire for every format.
type Workload struct {
	Format Format
	Kind   string // "Deployment", "service", "aws_ecs_task_definition", "job"
	Name   string
	// Namespace is the Kubernetes namespace (defaulted as kubectl does);
	// for a CI job, the pipeline file, which scopes job names; empty elsewhere.
	Namespace string
	// Instance tells apart evaluations of one definition: a Terraform
	// resource evaluated in several module calls or count/for_each
	// instances ("module.api", `module.api["x"][0]`). Findings of all
	// instances sit on the same keys, and ID and Display leave it out.
	Instance string
	// Unit is the deployment unit the workload was built in (a Kustomize
	// overlay's folder); empty for a plain file. See SameUnit.
	Unit string
	Loc  Location

	// SpecLoc is the key of the mapping where workload-level settings live
	// (a pod spec's `spec:`); findings about a missing setting point here.
	SpecLoc Location

	// Labels are the pod labels NetworkPolicies select on.
	Labels map[string]string
	// OS is the declared operating system ("linux", "windows"), empty if unsaid.
	OS string

	Containers []*Container
	Volumes    []*Volume

	// Security holds the workload-level defaults containers inherit (a
	// pod's securityContext); nil where the format has no such level.
	Security *SecurityContext

	HostNetwork Bool
	// Shares are the other host namespaces the workload shares, and
	// whether its containers share one process namespace; nil where the
	// format says nothing of them, and once details are dropped (only
	// per-workload checks read them: read them through Host).
	Shares *HostShares
	// Joins are the namespaces the workload takes from another workload
	// (Compose `pid: "service:x"`, `network_mode: "container:x"`).
	Joins []NamespaceJoin

	// Identity is what the workload runs as; Kind is empty when the format
	// has no such notion.
	Identity Identity
	// AutomountToken is a pod's automountServiceAccountToken.
	AutomountToken Bool

	// Partial is set when the definition is only part of what runs: a
	// Compose override fragment (a service with neither image nor build,
	// completed by another file at run time), or a service whose `extends`
	// base could not be read. A setting it leaves unset may be set where it
	// is completed, so rules about a missing setting skip it; settings it
	// does write are checked as usual.
	Partial bool
	// MountsUnknown is set when some container's mounts could not be read
	// (containers or mount points given by an unresolved value), so a
	// volume that no known mount names may still be mounted.
	MountsUnknown bool
	// CI is the CI-only part of a CI job (gha, gitlab); nil otherwise.
	CI *CIJob
	// Endpoint is the remote server a workload connects to (a remote MCP
	// server); nil otherwise.
	Endpoint *Endpoint
	// Egress is how the platform sends the workload's traffic out (see
	// egress.go); nil where NetworkPolicies decide or the format does not
	// say.
	Egress *Egress
	// Lacks are the security settings the workload's platform does not
	// offer, so that leaving them unset is no choice (a Lambda function has
	// no read-only root filesystem to ask for); zero: a pod spec's
	// settings, all of them.
	Lacks Settings
}

// HostShares are the namespaces besides the network that a workload may
// share with the host, and whether its containers share one process
// namespace. They are kept apart from Workload, and dropped with its
// details, because what a workload keeps for project-wide checks is most
// of a scan's memory: five located booleans are 600 bytes of it.
type HostShares struct {
	PID    Bool
	IPC    Bool
	UTS    Bool // compose uts: host
	Userns Bool // compose userns_mode: host
	// ProcessNamespace is a pod's shareProcessNamespace: its containers
	// see each other's processes.
	ProcessNamespace Bool
}

// Host returns the host namespaces the workload shares (none, when the
// format says nothing of them or its details were dropped).
func (w *Workload) Host() HostShares {
	if w.Shares == nil {
		return HostShares{}
	}
	return *w.Shares
}

// SetShares returns the workload's HostShares to fill in, creating it.
func (w *Workload) SetShares() *HostShares {
	if w.Shares == nil {
		w.Shares = &HostShares{}
	}
	return w.Shares
}

// Settings is a set of container security settings a platform may offer.
type Settings uint8

const (
	// SettingAllowPrivilegeEscalation: a pod spec's allowPrivilegeEscalation.
	SettingAllowPrivilegeEscalation Settings = 1 << iota
	// SettingNoNewPrivileges: a no-new-privileges security option (Compose
	// security_opt, ECS dockerSecurityOptions on EC2 hosts).
	SettingNoNewPrivileges
	// SettingReadOnlyRootFS: a read-only root filesystem flag.
	SettingReadOnlyRootFS
	// SettingRunAsNonRoot: a pod spec's runAsNonRoot, whose absence leaves
	// the user to the image.
	SettingRunAsNonRoot
	// AllSettings is every setting above: a platform that offers none.
	AllSettings = SettingAllowPrivilegeEscalation | SettingNoNewPrivileges | SettingReadOnlyRootFS | SettingRunAsNonRoot
)

// Offers reports whether the workload's platform has the setting.
func (w *Workload) Offers(s Settings) bool { return w.Lacks&s == 0 }

// ID is a stable identity of the workload for fingerprints and messages:
// kind/namespace/name, or kind/name where there is no namespace.
func (w *Workload) ID() string {
	if w.Namespace != "" {
		return w.Kind + "/" + w.Namespace + "/" + w.Name
	}
	return w.Kind + "/" + w.Name
}

// Display names the workload for messages: `Deployment "web"`.
func (w *Workload) Display() string {
	return w.Kind + " " + quote(w.Name)
}

// DropDetails releases what only per-workload checks read (containers,
// volumes, the workload-level security context, the host namespaces it
// shares besides the network) once they have run, so
// that a scan's memory does not grow with every container it has seen.
// Project-wide checks read identity, labels, namespace, host network,
// token automount and CI facts only.
func (w *Workload) DropDetails() {
	w.Containers = nil
	w.Volumes = nil
	w.Security = nil
	w.Shares = nil
}

// Volume returns the volume with the given name, or nil.
func (w *Workload) Volume(name string) *Volume {
	for _, v := range w.Volumes {
		if v.Name == name {
			return v
		}
	}
	return nil
}

// ContainerKind distinguishes how a container runs inside its workload.
type ContainerKind string

const (
	ContainerRegular   ContainerKind = "container"
	ContainerInit      ContainerKind = "initContainer"
	ContainerEphemeral ContainerKind = "ephemeralContainer"
	ContainerService   ContainerKind = "service" // a CI job's service container
	// ContainerRunner is the environment a CI job's steps run in when the
	// job names no container: the runner's own machine.
	ContainerRunner ContainerKind = "runner"
	// ContainerScripted is a container a CI script starts (`docker run`).
	ContainerScripted ContainerKind = "scripted container"
	// ContainerProcess is a process a tool starts directly on the machine
	// it runs on, in no container of its own (an MCP server run with npx,
	// uvx or a local binary): it has the user's rights and environment.
	ContainerProcess ContainerKind = "process"
)

// Container is one process tree with its own image, environment and mounts.
type Container struct {
	Name  string
	Kind  ContainerKind
	Image String
	Loc   Location // the container entry (its name key)
	// Sidecar is set on a Kubernetes init container with restartPolicy:
	// Always (a native sidecar): it starts before the pod's containers and
	// keeps running beside them for the pod's whole life.
	Sidecar bool

	Env        []*EnvVar
	EnvSources []*EnvSource
	Mounts     []*Mount
	// Args are the container's command line as written: the items of the
	// entrypoint override and its arguments (k8s command then args), each
	// with its location. Kept so that rules can judge literals in them; no
	// output prints them.
	Args []String

	// Security is the container-level setting as written; use Effective to
	// combine it with the workload's.
	Security SecurityContext

	// HostNetwork, HostPID, HostIPC and HostUTS are set where a single
	// container, not the whole workload, chooses to share a host namespace
	// (`docker run --network host` in a CI script, a CI job container's
	// options).
	HostNetwork Bool
	HostPID     Bool
	HostIPC     Bool
	HostUTS     Bool
	HostUserns  Bool
}

// Display names the container for messages: `container "app"`.
func (c *Container) Display() string {
	return string(c.Kind) + " " + quote(c.Name)
}

func quote(s string) string {
	return `"` + s + `"`
}

// NamespaceJoin is a namespace a workload shares with another workload
// instead of having its own.
type NamespaceJoin struct {
	// Namespace is "pid" or "network".
	Namespace string
	// Kind is "service" (of the same project) or "container" (any
	// container on the host); Target its name.
	Kind, Target string
	Loc          Location
	Via          []Related
}
