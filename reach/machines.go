package reach

import (
	"strconv"
	"strings"

	"github.com/isolint/isolint/model"
)

// Launch sites that are not workloads in the model: Go child processes and
// virtual machines (through their metadata service).

// subprocess is the reach of a child process Go source starts.
func subprocess(s *model.Subprocess) *Workload {
	name := s.Func
	if name == "" {
		name = s.Call
	}
	if s.Package != "" {
		name = s.Package + "." + name
	}
	id := "subprocess/" + name
	if s.Loc.Path != "" {
		id = "subprocess/" + s.Package + "." + s.Loc.Path
	}
	r := &Workload{ID: id, Format: string(model.FormatGo), Kind: "subprocess", Name: name, Loc: locOf(s.Loc),
		Secrets: []Secret{}, Identities: []Identity{}, Host: []Item{}, Network: []Item{}, Transitive: []Item{}, SharedWith: []Share{}}
	switch {
	case s.Unknown:
		r.Identities = append(r.Identities, Identity{Kind: "process", Name: s.Call, Rights: []Item{},
			Unknown: "the child's environment cannot be judged offline"})
	case s.EnvInherits:
		via := s.Call + " with the environment unset"
		if s.EnvFrom != "" {
			via = s.Call + " with " + s.EnvFrom
		}
		l := s.Loc
		if s.EnvSet {
			l = s.EnvLoc
		}
		r.Secrets = append(r.Secrets, Secret{Tier: Medium, How: "inherited-environment", Name: "the parent's whole environment", Into: via, Loc: locOf(l)})
	}
	r.Identities = append(r.Identities, Identity{Kind: "process", Name: "the parent process's user", Rights: []Item{},
		Unknown: "the user and host the program runs as are not in the scan"})
	return r
}

// instance is the reach of a virtual machine or node template through its
// metadata service. Where the machine is also a workload of the model (an
// EC2 instance, launch template or configuration; a GCE instance), Compute
// adds this network reach to it, with its instance profile's role.
func instance(m *model.InstanceMetadata) *Workload {
	format := model.FormatTerraform
	if strings.HasPrefix(m.Kind, "AWS::") {
		format = model.FormatCFN // CloudFormation resource types
	}
	r := &Workload{ID: m.Kind + "/" + m.Name, Format: string(format), Kind: m.Kind, Name: m.Name, Loc: locOf(m.Loc),
		Secrets: []Secret{}, Identities: []Identity{}, Host: []Item{}, Network: []Item{}, Transitive: []Item{}, SharedWith: []Share{}}
	if m.Resource != "" && m.Resource != m.Name && m.Resource != m.Kind+"."+m.Name {
		r.Instance = m.Resource
	}
	r.Identities = append(r.Identities, Identity{Kind: "instance-identity", Name: "the instance's role or service account", Rights: []Item{},
		Unknown: "the scan does not say what the machine runs as"})
	if m.Provider == model.ProviderGCP {
		if m.ExposedToPods.IsTrue() {
			r.Network = append(r.Network, Item{Tier: High, What: "pods reach the node's metadata server and its service account (GCE_METADATA)", Loc: locOf(m.ExposedToPods.Loc)})
		}
		if m.LegacyEndpoints.IsTrue() {
			r.Network = append(r.Network, Item{Tier: High, What: "legacy metadata endpoints on: no Metadata-Flavor header needed (SSRF reaches them)", Loc: locOf(m.LegacyEndpoints.Loc)})
		}
		return r
	}
	if m.Endpoint.Known() && m.Endpoint.Value == "disabled" {
		r.Network = append(r.Network, Item{Tier: Low, What: "metadata endpoint disabled", Loc: locOf(m.Endpoint.Loc)})
		return r
	}
	switch {
	case !m.Tokens.Set:
		r.Network = append(r.Network, Item{Tier: Medium, What: "IMDS tokens not required (unset: the image and account default may allow IMDSv1)", Loc: locOf(m.OptionsLoc)})
	case m.Tokens.Known() && m.Tokens.Value == "optional":
		r.Network = append(r.Network, Item{Tier: High, What: "IMDSv1 allowed: any process or SSRF on the instance reads its role's credentials", Loc: locOf(m.Tokens.Loc)})
	}
	if m.HopLimit.Known() && m.HopLimit.Value > 1 {
		r.Network = append(r.Network, Item{Tier: High, What: "metadata hop limit " + strconv.FormatInt(m.HopLimit.Value, 10) + ": containers on the instance reach its role's credentials", Loc: locOf(m.HopLimit.Loc)})
	}
	return r
}
