package reach

import (
	"net/url"

	"github.com/isolint/isolint/model"
)

// What a workload reaches on the network.

// networkOf lists the workload's network reach.
func (ix *index) networkOf(r *Workload, w *model.Workload) {
	host := w.HostNetwork.IsTrue()
	if host {
		r.Network = append(r.Network, Item{Tier: High, What: "host network: every address and port the host reaches, the host's loopback services and the metadata endpoint", Loc: locOf(w.HostNetwork.Loc)})
	}
	for _, c := range w.Containers {
		if c.HostNetwork.IsTrue() {
			host = true
			r.Network = append(r.Network, Item{Tier: High, What: c.Display() + " uses the host network", Loc: locOf(c.HostNetwork.Loc)})
		}
	}
	if w.Endpoint != nil && w.Endpoint.URL.Known() {
		if u, err := url.Parse(w.Endpoint.URL.Value); err == nil && u.Host != "" {
			r.Network = append(r.Network, Item{Tier: Low, What: "connects to " + u.Scheme + "://" + u.Host, Loc: locOf(w.Endpoint.URL.Loc)})
		}
	}
	if w.Format != model.FormatK8s {
		if !host && w.Egress != nil {
			ix.functionEgress(r, w)
			return
		}
		if !host && len(w.Containers) > 0 {
			r.Network = append(r.Network, Item{Tier: Low, What: "egress: nothing in the scan restricts it (" + string(w.Format) + " has no egress policy isolint reads)", Loc: locOf(w.Loc)})
		}
		return
	}
	selecting := ix.policies.Select(w)
	if len(selecting) == 0 {
		r.Network = append(r.Network, Item{Tier: Medium, What: "egress unrestricted: no egress NetworkPolicy in the scan selects it (any address, including the metadata endpoint)", Loc: locOf(w.SpecLoc)})
		return
	}
	var names []string
	for _, np := range selecting {
		names = append(names, np.Name)
		for _, er := range np.Egress {
			if len(er.To) == 0 {
				r.Network = append(r.Network, Item{Tier: Medium, What: "NetworkPolicy " + np.Name + " allows egress to any address", Loc: locOf(er.Loc)})
				continue
			}
			for _, peer := range er.To {
				if peer.IPBlock == nil {
					continue
				}
				for _, a := range model.MetadataAddrs {
					if peer.IPBlock.Allows(a) && portsAllow(er.Ports, 80) {
						r.Network = append(r.Network, Item{Tier: High, What: "NetworkPolicy " + np.Name + " lets it reach the metadata endpoint " + a.String(), Loc: locOf(peer.Loc)})
						break
					}
				}
			}
		}
	}
	r.Network = append(r.Network, Item{Tier: Low, What: "egress limited by NetworkPolicy " + list(names, maxListed), Loc: locOf(selecting[0].Loc)})
}

func portsAllow(ports []model.NetworkPort, n int) bool {
	if len(ports) == 0 {
		return true
	}
	for _, p := range ports {
		if p.AllowsPort(n) {
			return true
		}
	}
	return false
}

// functionEgress lists how a function or task reaches the network, as the
// model judges it (model/egress.go).
func (ix *index) functionEgress(r *Workload, w *model.Workload) {
	if ix.egress == nil {
		ix.egress = model.NewEgressIndex(ix.p)
	}
	j := ix.egress.Judge(w)
	switch j.Verdict {
	case model.EgressOpenDirect:
		what := "egress unrestricted: the platform sends its traffic to the internet directly"
		if w.Egress.Detail != "" {
			what += " (" + w.Egress.Detail + ")"
		}
		r.Network = append(r.Network, Item{Tier: Medium, What: what, Loc: locOf(j.Loc)})
	case model.EgressOpenGroup:
		r.Network = append(r.Network, Item{Tier: Medium, What: "egress unrestricted: security group " + j.Group.Name + " allows every protocol and port to any address", Loc: locOf(j.Loc)})
	case model.EgressRestricted:
		r.Network = append(r.Network, Item{Tier: Low, What: "egress limited by its security groups", Loc: locOf(w.Egress.Loc)})
	default:
		what := "egress: not known"
		if j.Reason != "" {
			what += " (" + j.Reason + ")"
		}
		r.Network = append(r.Network, Item{Tier: Low, What: what, Loc: locOf(w.Egress.Loc)})
	}
}
