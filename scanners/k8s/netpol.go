package k8s

import (
	"github.com/isolint/isolint/model"
	"github.com/isolint/isolint/scanners/yamldoc"
)

func (l *lowerer) networkPolicy(v yamldoc.Value, ns, name string, loc model.Location) {
	spec := v.Get("spec")
	np := &model.NetworkPolicy{Namespace: ns, Name: name, Loc: loc}
	if !spec.ExpectMap() {
		return // the API server rejects a policy without a spec
	}
	np.PodSelector = selector(spec.Get("podSelector"))
	egress := spec.Get("egress")
	if types := spec.Get("policyTypes"); types.Exists() {
		np.PolicyTypes = types.TextList()
	} else {
		// the API server's default: Ingress always, Egress when egress rules exist
		np.PolicyTypes = []string{"Ingress"}
		if len(egress.Items()) > 0 {
			np.PolicyTypes = append(np.PolicyTypes, "Egress")
		}
	}
	if egress.ExpectSeq() {
		for _, it := range egress.Items() {
			if !it.IsMap() && !it.IsNull() {
				it.Doc().Notice(it, model.NoticeWarning, "%s must be a mapping, got %s", it.Path(), it.KindName())
				continue
			}
			np.Egress = append(np.Egress, egressRule(it))
		}
	}
	l.p.NetworkPolicies = append(l.p.NetworkPolicies, np)
}

func egressRule(it yamldoc.Value) model.EgressRule {
	r := model.EgressRule{Loc: it.Loc()}
	if to := it.Get("to"); to.ExpectSeq() {
		for _, p := range to.Items() {
			if !p.ExpectMap() {
				continue
			}
			peer := model.NetworkPeer{Loc: p.Loc()}
			if ib := p.Get("ipBlock"); ib.ExpectMap() {
				peer.IPBlock = &model.IPBlock{CIDR: ib.Get("cidr").StringVal(), Except: ib.Get("except").TextList()}
			}
			if ps := p.Get("podSelector"); ps.Exists() {
				s := selector(ps)
				peer.PodSelector = &s
			}
			if ns := p.Get("namespaceSelector"); ns.Exists() {
				s := selector(ns)
				peer.NamespaceSelector = &s
			}
			r.To = append(r.To, peer)
		}
	}
	if ports := it.Get("ports"); ports.ExpectSeq() {
		for _, p := range ports.Items() {
			if !p.ExpectMap() {
				continue
			}
			np := model.NetworkPort{Protocol: p.Get("protocol").Text(), Port: p.Get("port").Text()}
			if e := p.Get("endPort").Int(); e.Known() {
				np.EndPort = int(e.Value)
			}
			r.Ports = append(r.Ports, np)
		}
	}
	return r
}

func selector(v yamldoc.Value) model.LabelSelector {
	s := model.LabelSelector{Loc: v.KeyLoc()}
	if !v.IsMap() {
		return s // null or {}: selects everything
	}
	s.MatchLabels = textMap(v.Get("matchLabels"))
	if me := v.Get("matchExpressions"); me.ExpectSeq() {
		for _, e := range me.Items() {
			s.MatchExpressions = append(s.MatchExpressions, model.LabelRequirement{
				Key: e.Get("key").Text(), Operator: e.Get("operator").Text(), Values: e.Get("values").TextList(),
			})
		}
	}
	return s
}
