package model

import (
	"maps"
	"net/netip"
	"slices"
	"strconv"
)

// NetworkPolicy is a Kubernetes NetworkPolicy.
type NetworkPolicy struct {
	Unit        string // see Workload.Unit
	Namespace   string
	Name        string
	Loc         Location
	PodSelector LabelSelector
	// PolicyTypes are the effective types: as written, or defaulted as the
	// API server does (Ingress always, Egress when egress rules exist).
	PolicyTypes []string
	Egress      []EgressRule
}

// Key identifies the policy in its cluster: namespace and name.
func (n *NetworkPolicy) Key() string { return n.Namespace + "/" + n.Name }

// HasEgress reports whether the policy restricts egress of the pods it selects.
func (n *NetworkPolicy) HasEgress() bool {
	for _, t := range n.PolicyTypes {
		if t == "Egress" {
			return true
		}
	}
	return false
}

// LabelSelector is a Kubernetes label selector.
type LabelSelector struct {
	MatchLabels      map[string]string
	MatchExpressions []LabelRequirement
	Loc              Location
}

// LabelRequirement is one matchExpressions entry.
type LabelRequirement struct {
	Key      string
	Operator string // In, NotIn, Exists, DoesNotExist
	Values   []string
}

// Matches reports whether the selector selects a pod with the given labels.
// An empty selector selects every pod.
func (s LabelSelector) Matches(labels map[string]string) bool {
	for k, v := range s.MatchLabels {
		if got, ok := labels[k]; !ok || got != v {
			return false
		}
	}
	for _, r := range s.MatchExpressions {
		v, ok := labels[r.Key]
		switch r.Operator {
		case "In":
			if !ok || !contains(r.Values, v) {
				return false
			}
		case "NotIn":
			if ok && contains(r.Values, v) {
				return false
			}
		case "Exists":
			if !ok {
				return false
			}
		case "DoesNotExist":
			if ok {
				return false
			}
		default:
			return false
		}
	}
	return true
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

// EgressRule is one entry of a NetworkPolicy's egress list. An empty To
// allows every destination; an empty Ports allows every port.
type EgressRule struct {
	Loc   Location
	To    []NetworkPeer
	Ports []NetworkPort
}

// NetworkPeer is one destination of an egress rule.
type NetworkPeer struct {
	Loc               Location
	IPBlock           *IPBlock
	PodSelector       *LabelSelector
	NamespaceSelector *LabelSelector
}

// IPBlock is a CIDR with exceptions.
type IPBlock struct {
	CIDR   String
	Except []string
}

// Allows reports whether the block lets traffic reach addr. A CIDR that does
// not parse allows nothing (the API server rejects it).
func (b *IPBlock) Allows(addr netip.Addr) bool {
	p, err := netip.ParsePrefix(b.CIDR.Value)
	if err != nil || !p.Contains(addr) {
		return false
	}
	for _, e := range b.Except {
		if ep, err := netip.ParsePrefix(e); err == nil && ep.Contains(addr) {
			return false
		}
	}
	return true
}

// IsAnywhere reports whether the block is all of IPv4 or IPv6.
func (b *IPBlock) IsAnywhere() bool {
	p, err := netip.ParsePrefix(b.CIDR.Value)
	return err == nil && p.Bits() == 0
}

// NetworkPort is one entry of an egress rule's ports.
type NetworkPort struct {
	Protocol string // TCP (default), UDP, SCTP
	Port     string // a number or a named port; empty means every port
	EndPort  int
}

// AllowsPort reports whether the port entry admits TCP traffic to port n.
// A named port is judged not to (it names a container port of the peer).
func (p NetworkPort) AllowsPort(n int) bool {
	if p.Protocol != "" && p.Protocol != "TCP" {
		return false
	}
	if p.Port == "" {
		return true
	}
	v, err := strconv.Atoi(p.Port)
	if err != nil {
		return false
	}
	if p.EndPort > 0 {
		return n >= v && n <= p.EndPort
	}
	return n == v
}

// MetadataAddrs are the link-local addresses of cloud instance metadata
// services (AWS, GCP, Azure, OpenStack; AWS IMDS over IPv6).
var MetadataAddrs = []netip.Addr{
	netip.MustParseAddr("169.254.169.254"),
	netip.MustParseAddr("fd00:ec2::254"),
}

// Selects reports whether the policy applies to the pods of workload w: the
// same namespace, and a pod selector that matches the pod labels.
func (n *NetworkPolicy) Selects(w *Workload) bool {
	return n.Namespace == w.Namespace && n.PodSelector.Matches(w.Labels)
}

// EgressPolicies are a scan's NetworkPolicies with policyTypes Egress, by
// namespace: the one answer to "which egress policies select this pod",
// for the rule, the inventory and the blast radius alike. A policy selects
// pods of its own namespace only (Selects), and one whose podSelector has
// matchLabels only pods carrying one of them, so a lookup tries the
// policies of the pod's namespace filed under one of its labels and those
// with no matchLabels, not every policy of the namespace (a monorepo's
// namespace holds hundreds of policies and thousands of pods).
type EgressPolicies struct {
	byNS map[string]*nsEgress
}

// nsEgress are one namespace's egress policies, in their order.
type nsEgress struct {
	all []*NetworkPolicy
	// unlabelled holds the indexes of the policies whose podSelector has
	// no matchLabels; byLabel those of the others, each under its
	// smallest matchLabels key and value ("key\x00value").
	unlabelled []int
	byLabel    map[string][]int
}

// NewEgressPolicies indexes the egress policies of nps, in their order.
func NewEgressPolicies(nps []*NetworkPolicy) EgressPolicies {
	e := EgressPolicies{byNS: map[string]*nsEgress{}}
	for _, n := range nps {
		if !n.HasEgress() {
			continue
		}
		ns := e.byNS[n.Namespace]
		if ns == nil {
			ns = &nsEgress{byLabel: map[string][]int{}}
			e.byNS[n.Namespace] = ns
		}
		i := len(ns.all)
		ns.all = append(ns.all, n)
		if len(n.PodSelector.MatchLabels) == 0 {
			ns.unlabelled = append(ns.unlabelled, i)
			continue
		}
		k := slices.Min(slices.Collect(maps.Keys(n.PodSelector.MatchLabels)))
		key := k + "\x00" + n.PodSelector.MatchLabels[k]
		ns.byLabel[key] = append(ns.byLabel[key], i)
	}
	return e
}

// candidates calls f with the index of each policy of w's namespace that
// may select it, unlabelled ones first, then by label; f returns false
// to stop.
func (ns *nsEgress) candidates(w *Workload, f func(i int) bool) {
	for _, i := range ns.unlabelled {
		if !f(i) {
			return
		}
	}
	if len(ns.byLabel) == 0 {
		return
	}
	for k, v := range w.Labels {
		for _, i := range ns.byLabel[k+"\x00"+v] {
			if !f(i) {
				return
			}
		}
	}
}

// Select returns the egress policies that select w's pods, of w's
// namespace and unit (SameUnit), in their order.
func (e EgressPolicies) Select(w *Workload) []*NetworkPolicy {
	ns := e.byNS[w.Namespace]
	if ns == nil {
		return nil
	}
	var idx []int
	ns.candidates(w, func(i int) bool {
		if n := ns.all[i]; SameUnit(n.Unit, w.Unit) && n.Selects(w) {
			idx = append(idx, i)
		}
		return true
	})
	slices.Sort(idx)
	out := make([]*NetworkPolicy, 0, len(idx))
	for _, i := range idx {
		out = append(out, ns.all[i])
	}
	if len(out) == 0 {
		return nil
	}
	return out
}

// Selected reports whether any egress policy selects w's pods.
func (e EgressPolicies) Selected(w *Workload) bool {
	ns := e.byNS[w.Namespace]
	if ns == nil {
		return false
	}
	found := false
	ns.candidates(w, func(i int) bool {
		n := ns.all[i]
		found = SameUnit(n.Unit, w.Unit) && n.Selects(w)
		return !found
	})
	return found
}
