package model

import (
	"slices"
	"sort"
	"strings"
)

// InputKind is a kind of object whose presence in a scan makes a rule's
// silence meaningful: egress rules say nothing about egress in a scan with
// no NetworkPolicy or firewall, identity rules nothing about rights in a
// scan with no role or binding. Rules declare the inputs they need; the
// compliance report passes a control only over input of those kinds, and
// lists it as the evidence of the pass.
type InputKind string

const (
	// InputWorkloads: runtime definitions (pods, services, tasks, jobs).
	InputWorkloads InputKind = "workloads"
	// InputNetwork: objects that govern where workloads may connect:
	// NetworkPolicies, security group / firewall / NSG rules, instance
	// metadata settings.
	InputNetwork InputKind = "network-controls"
	// InputAccess: objects that grant rights to an identity: RBAC roles and
	// bindings, cloud roles with their policies, CI workflows and pipelines
	// (their token permissions).
	InputAccess InputKind = "access-grants"
	// InputCredentials: places a credential is delivered or written:
	// variables fed from a secret store or named like a secret, bulk
	// imports of secrets or env files, secret volumes, static keys minted
	// or handed to a job.
	InputCredentials InputKind = "credential-sources"
	// InputIdentities: workloads whose execution identity is resolved.
	InputIdentities InputKind = "identities"
	// InputTrust: trust policies that say who may assume a cloud identity
	// (AWS assume-role policies, GCP workload identity providers, Azure
	// federated credentials).
	InputTrust InputKind = "trust-policies"
	// InputSubprocesses: child processes Go source starts.
	InputSubprocesses InputKind = "subprocesses"
	// InputHostPaths: hostPath volumes, whatever their path.
	InputHostPaths InputKind = "host-path-volumes"
	// InputOpenEgress: workloads no egress restriction in the scan covers
	// (a Kubernetes pod no NetworkPolicy with Egress selects: Kubernetes
	// then allows every destination). Evidence against deny-by-default.
	InputOpenEgress InputKind = "open-egress"
	// InputUnlinkedEgress: Terraform and CloudFormation workloads that
	// isolint cannot show restricted: with no egress fact, with security
	// groups not in the scan or computed, or open (a function outside any
	// VPC, a security group allowing all egress); see egress.go. Those
	// whose security groups in the scan all limit egress are not counted.
	InputUnlinkedEgress InputKind = "unlinked-egress"
)

// InputText describes an input for "no … in the scan" sentences.
var InputText = map[InputKind]string{
	InputWorkloads:      "workload",
	InputNetwork:        "NetworkPolicy, security group, firewall rule or instance metadata setting",
	InputAccess:         "RBAC role or binding, cloud role policy or CI token permission",
	InputCredentials:    "credential source (secret reference, secret-named variable, secret import or volume)",
	InputIdentities:     "workload with a resolved execution identity",
	InputTrust:          "trust policy (assume-role policy, workload identity provider, federated credential)",
	InputSubprocesses:   "subprocess started by Go code",
	InputHostPaths:      "hostPath volume",
	InputOpenEgress:     "workload with unrestricted egress",
	InputUnlinkedEgress: "workload whose egress restriction is not known",
}

// ScopeKubernetes is the tally key of Terraform kubernetes_* objects, kept
// apart because CIS and PSS controls apply to them and no other Terraform.
const ScopeKubernetes = "tf:kubernetes"

// SampleSize is how many objects an Inventory keeps per input and format.
const SampleSize = 5

// Sighting is one object of an input: where it is and what it is.
type Sighting struct {
	File   string `json:"file"`
	Line   int    `json:"line,omitempty"`
	Object string `json:"object"`
}

// Tally counts the objects of one input in one format and keeps the first
// SampleSize of them, in scan order.
type Tally struct {
	Count  int
	Sample []Sighting
}

// Unchecked is input that was seen but not checked: a file that could not
// be read or parsed, a file skipped, a chart or overlay that did not
// render, a workload whose identity could not be resolved.
type Unchecked struct {
	File   string
	Line   int
	Format Format
	// Object names what was not checked (a chart and its value set, a
	// workload); empty for a whole file.
	Object string
	Reason string
	// Input limits what was not checked to one kind of input (a workload
	// with an unresolved identity was checked for everything else); empty:
	// everything the file defines.
	Input InputKind
}

// Inventory is what a scan held, by input and format: the evidence a
// compliance report needs once workload details are dropped. The engine
// fills it in path order, so it is deterministic.
type Inventory struct {
	Inputs    map[InputKind]map[string]*Tally
	Unchecked []Unchecked
}

// NewInventory returns an empty inventory.
func NewInventory() *Inventory {
	return &Inventory{Inputs: map[InputKind]map[string]*Tally{}}
}

// Tally returns the tally of an input in a format scope ("k8s", "tf",
// "tf:kubernetes" …); nil when the scan held none.
func (inv *Inventory) Tally(in InputKind, scope string) *Tally {
	if inv == nil {
		return nil
	}
	return inv.Inputs[in][scope]
}

func (inv *Inventory) add(in InputKind, f Format, kind string, s Sighting) {
	inv.addScope(in, string(f), s)
	if f == FormatTerraform && strings.HasPrefix(kind, "kubernetes_") {
		inv.addScope(in, ScopeKubernetes, s)
	}
}

func (inv *Inventory) addScope(in InputKind, scope string, s Sighting) {
	m := inv.Inputs[in]
	if m == nil {
		m = map[string]*Tally{}
		inv.Inputs[in] = m
	}
	t := m[scope]
	if t == nil {
		t = &Tally{}
		m[scope] = t
	}
	t.Count++
	if len(t.Sample) < SampleSize {
		t.Sample = append(t.Sample, s)
	}
}

// Merge adds o's counts and samples after inv's.
func (inv *Inventory) Merge(o *Inventory) {
	if o == nil {
		return
	}
	ins := make([]string, 0, len(o.Inputs))
	for in := range o.Inputs {
		ins = append(ins, string(in))
	}
	sort.Strings(ins)
	for _, in := range ins {
		for scope, t := range o.Inputs[InputKind(in)] {
			m := inv.Inputs[InputKind(in)]
			if m == nil {
				m = map[string]*Tally{}
				inv.Inputs[InputKind(in)] = m
			}
			mine := m[scope]
			if mine == nil {
				mine = &Tally{}
				m[scope] = mine
			}
			mine.Count += t.Count
			for _, s := range t.Sample {
				if len(mine.Sample) < SampleSize {
					mine.Sample = append(mine.Sample, s)
				}
			}
		}
	}
	inv.Unchecked = append(inv.Unchecked, o.Unchecked...)
}

// NotChecked records a file (or an object of it) seen but not checked.
func (inv *Inventory) NotChecked(u Unchecked) {
	inv.Unchecked = append(inv.Unchecked, u)
}

func sighting(l Location, object string) Sighting {
	return Sighting{File: l.File, Line: l.Line, Object: object}
}

// AddDetails records what only a workload's details show (credential
// sources and hostPath volumes): call it before Workload.DropDetails.
func (inv *Inventory) AddDetails(p *Project) {
	if p == nil {
		return
	}
	eachDetail(p.Workloads, inv.add)
}

// Details are the sightings AddDetails would record, in the order it
// would record them: what a file's workloads' details showed, held until
// the scan merges the file (Inventory.MergeDetails). A file's handful of
// sightings in one slice cost a fraction of an Inventory's maps of
// tallies, which a 100,000-file scan held for every file (26 MB at its
// peak).
type Details struct {
	seen []detail
}

type detail struct {
	in     InputKind
	format Format
	kind   string
	s      Sighting
}

// NewDetails takes what only the workloads' details show (see
// AddDetails); nil when they show nothing. Call it before
// Workload.DropDetails.
func NewDetails(ws []*Workload) *Details {
	var seen []detail
	eachDetail(ws, func(in InputKind, f Format, kind string, s Sighting) {
		seen = append(seen, detail{in, f, kind, s})
	})
	if len(seen) == 0 {
		return nil
	}
	return &Details{seen: slices.Clip(seen)}
}

// MergeDetails adds d's sightings, in order: the inventory is then what
// AddDetails would have made of the workloads.
func (inv *Inventory) MergeDetails(d *Details) {
	if d == nil {
		return
	}
	for _, x := range d.seen {
		inv.add(x.in, x.format, x.kind, x.s)
	}
}

// eachDetail hands add what only the workloads' details show.
func eachDetail(ws []*Workload, add func(in InputKind, f Format, kind string, s Sighting)) {
	for _, w := range ws {
		for _, v := range w.Volumes {
			switch v.Kind {
			case VolumeHostPath:
				loc := v.Loc
				if !v.HostPath.Loc.IsZero() {
					loc = v.HostPath.Loc
				}
				add(InputHostPaths, w.Format, w.Kind, sighting(loc, w.ID()))
			case VolumeSecret:
				add(InputCredentials, w.Format, w.Kind, sighting(v.Loc, w.ID()))
			}
		}
		for _, c := range w.Containers {
			eachEnv(w.Format, w.Kind, w.ID(), c.Env, c.EnvSources, add)
		}
	}
}

func (inv *Inventory) addEnv(f Format, kind, object string, env []*EnvVar, sources []*EnvSource) {
	eachEnv(f, kind, object, env, sources, inv.add)
}

func eachEnv(f Format, kind, object string, env []*EnvVar, sources []*EnvSource, add func(in InputKind, f Format, kind string, s Sighting)) {
	for _, e := range env {
		if e.Secret != nil || IsSecretName(e.Name) {
			add(InputCredentials, f, kind, sighting(e.Loc, object))
		}
	}
	for _, s := range sources {
		if s.Kind != EnvFromConfigMap || len(s.SecretKeys()) > 0 {
			add(InputCredentials, f, kind, sighting(s.Loc, object))
		}
	}
}

// AddProject records the objects project-wide rules read, once every file
// is merged: workloads and their identities, network objects, access
// grants, subprocesses, CI-level credentials, workloads with open egress,
// and the charts and overlays that failed to render.
func (inv *Inventory) AddProject(p *Project) {
	if p == nil {
		return
	}
	for _, w := range p.Workloads {
		s := sighting(w.Loc, w.ID())
		inv.add(InputWorkloads, w.Format, w.Kind, s)
		switch {
		case w.Identity.Unknown:
			inv.NotChecked(Unchecked{File: w.Loc.File, Line: w.Loc.Line, Format: w.Format, Object: w.ID(),
				Reason: "its execution identity could not be resolved", Input: InputIdentities})
		case w.Identity.Kind != "":
			inv.add(InputIdentities, w.Format, w.Kind, s)
			if w.Identity.Kind == IdentityCICloudRole {
				// a federated cloud login: where a static key would
				// otherwise be handed in
				inv.add(InputCredentials, w.Format, w.Kind, sighting(w.Identity.Loc, w.ID()))
			}
		}
	}
	for _, n := range p.NetworkPolicies {
		inv.add(InputNetwork, FormatK8s, "", sighting(n.Loc, "NetworkPolicy/"+n.Namespace+"/"+n.Name))
	}
	egress := NewEgressPolicies(p.NetworkPolicies)
	for _, w := range p.Workloads {
		if w.Format != FormatK8s || w.Partial {
			continue
		}
		if !egress.Selected(w) {
			inv.add(InputOpenEgress, w.Format, w.Kind, sighting(w.Loc, w.ID()))
		}
	}
	eg := NewEgressIndex(p)
	for _, w := range p.Workloads {
		if !(w.Format == FormatTerraform && !strings.HasPrefix(w.Kind, "kubernetes_") || w.Format == FormatCFN) {
			continue
		}
		// open-egress stays the Kubernetes sense (no NetworkPolicy selects
		// the pod, so it also reaches the metadata endpoint); a function
		// that is open, or whose egress is not linked, is what isolint cannot
		// show restricted
		if eg.Judge(w).Verdict != EgressRestricted {
			inv.add(InputUnlinkedEgress, w.Format, w.Kind, sighting(w.Loc, w.ID()))
		}
	}
	for _, g := range p.SecurityGroups {
		inv.add(InputNetwork, orTerraform(g.Format), "", sighting(g.Loc, g.Name))
	}
	for _, f := range p.Firewalls {
		inv.add(InputNetwork, orTerraform(f.Format), f.Kind, sighting(f.Loc, f.Resource))
	}
	for _, m := range p.Metadata {
		inv.add(InputNetwork, orTerraform(m.Format), m.Kind, sighting(m.Loc, m.Resource))
	}
	for _, r := range p.Roles {
		inv.add(InputAccess, FormatK8s, "", sighting(r.Loc, roleObject(r.Kind, r.Namespace, r.Name)))
	}
	for _, b := range p.RoleBindings {
		inv.add(InputAccess, FormatK8s, "", sighting(b.Loc, roleObject(b.Kind, b.Namespace, b.Name)))
	}
	for _, pl := range p.Pipelines {
		inv.add(InputAccess, pl.Format, "", sighting(pl.Loc, pl.Display()))
		inv.addEnv(pl.Format, "", pl.Display(), pl.Env, pl.EnvSources)
	}
	for _, c := range p.StaticCredentials {
		inv.add(InputCredentials, c.Format, "", sighting(c.Loc, c.Object))
	}
	for _, t := range p.TrustPolicies {
		inv.add(InputTrust, t.Format, "", sighting(t.Loc, t.Object))
	}
	for _, s := range p.Subprocesses {
		inv.add(InputSubprocesses, FormatGo, "", sighting(s.Loc, s.Loc.Object))
	}
	for _, r := range p.Renderings {
		if !r.Failed {
			continue
		}
		what := string(r.Kind) + " " + r.Path
		if r.Release != "" {
			what += " (values " + r.Release + ")"
		}
		file, line := r.Loc.File, r.Loc.Line
		if file == "" {
			file = r.Path
		}
		inv.NotChecked(Unchecked{File: file, Line: line, Format: FormatK8s, Object: what, Reason: "did not render: " + r.Err})
	}
}

// AddCloudRoles records the cloud roles with rights that one format's
// files define (a CloudRole does not carry its format): call it with each
// file's, or each format's, project before merging it.
func (inv *Inventory) AddCloudRoles(f Format, p *Project) {
	if p == nil || f == "" {
		return
	}
	for _, r := range p.CloudRoles {
		if len(r.Statements) > 0 || len(r.ManagedPolicies) > 0 || len(r.Grants) > 0 {
			inv.add(InputAccess, f, "", sighting(r.Loc, r.Name))
		}
	}
}

// orTerraform is a cloud object's format, Terraform when unset.
func orTerraform(f Format) Format {
	if f == "" {
		return FormatTerraform
	}
	return f
}

func roleObject(kind, ns, name string) string {
	if ns == "" {
		return kind + "/" + name
	}
	return kind + "/" + ns + "/" + name
}
