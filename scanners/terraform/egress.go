package terraform

import (
	"path"
	"strings"

	"github.com/isolint/isolint/model"
)

// How functions and tasks reach the network (model/egress.go): outside any
// VPC, the platform sends their traffic to the internet itself; attached
// to a VPC, the security groups they name decide.

// egressScope groups the workloads of one module directory, one root
// module and one cloud: a VPC-attached Lambda says nothing of how a Cloud
// Function beside it is meant to reach the network, nor what one root
// module makes of a module how another root's call of it is deployed.
func (rc *resCtx) egressScope() string {
	cloud, _, _ := strings.Cut(rc.res.typ, "_")
	return "tf:" + rc.in.run.qual + path.Dir(rc.res.block.DefRange.Filename) + ":" + cloud
}

// lambdaEgress reads an aws_lambda_function's vpc_config: without one (or
// with no subnets and no groups, which detaches the function) the function
// reaches the internet directly; with one, through its security groups.
func lambdaEgress(rc *resCtx) *model.Egress {
	vc := rc.n.Get("vpc_config")
	e := &model.Egress{Path: model.EgressDirect, Loc: vc.Loc(), Scope: rc.egressScope(), Detail: "it sets no vpc_config"}
	if !vc.Exists() {
		return e
	}
	e.Detail = "its vpc_config names no subnets and no security groups"
	e.Loc = vc.KeyLoc()
	sgs, subnets := vc.Get("security_group_ids"), vc.Get("subnet_ids")
	groups := rc.securityGroupRefs(sgs)
	if len(groups) == 0 && emptyList(sgs) && emptyList(subnets) {
		return e
	}
	e.Path, e.Groups = model.EgressSecurityGroups, groups
	return e
}

// emptyList reports an absent attribute or a known empty list.
func emptyList(n node) bool {
	if !n.Exists() {
		return true
	}
	if len(n.Items()) > 0 {
		return false
	}
	s := n.Strings()
	return len(s) == 0
}

// securityGroupRefs reads a list of security groups: a reference to an
// aws_security_group of the unit is its key; a literal group ID stays
// as written (a group the scan does not define); anything else is unknown.
func (rc *resCtx) securityGroupRefs(n node) []model.String {
	if !n.Exists() {
		return nil
	}
	items := n.Items()
	if len(items) == 0 {
		if s := n.Strings(); len(s) == 1 && s[0].Unknown {
			return s // the whole list is computed
		}
	}
	var out []model.String
	for _, it := range items {
		s := it.Str()
		for _, r := range it.Refs() {
			if resourceType(r) == "aws_security_group" {
				s = model.String{Value: rc.in.run.key(r), Set: true, Loc: s.Loc, Via: s.Via}
				break
			}
		}
		out = append(out, s)
	}
	return out
}

// groupOf is the security group a standalone rule belongs to: the key
// of the aws_security_group its security_group_id refers to, or a literal
// group ID; "" when computed.
func (rc *resCtx) groupOf(n node) string {
	for _, r := range n.Refs() {
		if resourceType(r) == "aws_security_group" {
			return rc.in.run.key(r)
		}
	}
	return n.Text()
}

// gcfEgress reads a Cloud Function's VPC egress (gen 1 at the resource,
// gen 2 in service_config): without a VPC connector or direct VPC egress
// the function reaches the internet directly, as it does through a
// connector that carries private ranges only (the default).
func (rc *resCtx) gcfEgress(n node) *model.Egress {
	e := &model.Egress{Path: model.EgressDirect, Scope: rc.egressScope()}
	conn, settings := n.Get("vpc_connector"), n.Get("vpc_connector_egress_settings")
	all := "ALL_TRAFFIC"
	if !conn.Exists() && n.Get("direct_vpc_network_interface").Exists() {
		conn, settings, all = n.Get("direct_vpc_network_interface"), n.Get("direct_vpc_egress"), "VPC_EGRESS_ALL_TRAFFIC"
	}
	e.Loc = conn.Loc()
	if !conn.Exists() {
		e.Detail = "it has no VPC connector"
		return e
	}
	e.Detail = "its VPC access carries private ranges only (" + lastSeg(settings.Loc().Path) + " is not " + all + ")"
	if c := conn.Str(); c.Set && !c.Known() && !conn.blockLike() {
		e.Unknown, e.Via = true, c.Via
		return e
	}
	s := settings.Str()
	switch {
	case s.Set && !s.Known():
		e.Unknown, e.Loc, e.Via = true, s.Loc, s.Via
	case s.Known() && strings.EqualFold(s.Value, all):
		e.Path, e.Loc, e.Via = model.EgressNetwork, s.Loc, s.Via
	case s.Known():
		e.Loc, e.Via = s.Loc, s.Via // private ranges only: the rest goes direct
	default:
		e.Loc = settings.Loc() // unset: private ranges only
	}
	return e
}

// blockLike reports a node that is a block or an object, not a scalar.
func (n node) blockLike() bool { return n.blk != nil || len(n.Pairs()) > 0 }

// azureAppEgress reads a Function App's VNet integration: without a subnet
// (virtual_network_subnet_id, or an
// azurerm_app_service_virtual_network_swift_connection naming the app,
// linked later) the app reaches the internet directly, as it does when
// only private ranges are routed into the VNet (vnet_route_all_enabled
// false, the default).
func (rc *resCtx) azureAppEgress() *model.Egress {
	e := &model.Egress{Path: model.EgressDirect, Scope: rc.egressScope()}
	subnet := rc.n.Get("virtual_network_subnet_id")
	e.Loc = subnet.Loc()
	e.Detail = "it is not integrated with a VNet"
	attached := *e
	attached.Detail = "only private ranges go through its VNet (vnet_route_all_enabled is not true)"
	routeAll(&attached, rc.n.Get("site_config").Get("vnet_route_all_enabled"))
	if !subnet.Exists() {
		// a swift connection may attach it (linkEgress)
		rc.in.run.attachedApps[rc.addr] = &attached
		return e
	}
	if s := subnet.Str(); s.Set && !s.Known() && len(subnet.Refs()) == 0 {
		e.Unknown, e.Via = true, s.Via
		return e
	}
	return &attached
}

// routeAll reads vnet_route_all_enabled for an app attached to a subnet.
func routeAll(e *model.Egress, ra node) {
	b := ra.Bool()
	switch {
	case b.Unknown:
		e.Unknown, e.Loc, e.Via = true, b.Loc, b.Via
	case b.IsTrue():
		e.Path, e.Loc, e.Via = model.EgressNetwork, b.Loc, b.Via
	default:
		e.Loc = b.Loc // private ranges only: the rest goes direct
	}
}

// lowerSwiftConnection records the app an
// azurerm_app_service_virtual_network_swift_connection attaches to a
// subnet.
func lowerSwiftConnection(rc *resCtx) {
	for _, r := range rc.n.Get("app_service_id").Refs() {
		rc.in.run.swift[r] = rc.n.Get("app_service_id").KeyLoc()
	}
}

// lowerECSService records the security groups an aws_ecs_service gives
// the tasks of its task definition (awsvpc network mode).
func lowerECSService(rc *resCtx) {
	nc := rc.n.Get("network_configuration")
	if !nc.Exists() {
		return
	}
	e := &model.Egress{Path: model.EgressSecurityGroups, Loc: nc.KeyLoc(), Scope: rc.egressScope()}
	e.Groups = rc.securityGroupRefs(nc.Get("security_groups"))
	for _, r := range rc.n.Get("task_definition").Refs() {
		if resourceType(r) == "aws_ecs_task_definition" {
			rc.in.run.services[r] = append(rc.in.run.services[r], e)
		}
	}
}

// linkEgress completes what lowering could not know resource by resource:
// the Function Apps a swift connection of the unit attaches to a subnet,
// and the security groups the services of an ECS task definition run its
// tasks with. ws are the unit's workloads.
func (r *run) linkEgress(ws []*model.Workload) {
	for _, w := range ws {
		addr := w.Instance
		if addr == "" {
			addr = w.Loc.Object
		}
		switch {
		case r.attachedApps[addr] != nil:
			if loc, ok := r.swift[addr]; ok {
				e := r.attachedApps[addr]
				e.Via = append(e.Via, model.Related{Loc: loc, Message: "this swift connection attaches the app to a subnet"})
				w.Egress = e
			}
		case w.Kind == "aws_ecs_task_definition":
			svcs := r.services[addr]
			if len(svcs) == 0 || !r.awsvpc[addr] {
				continue // bridge or host mode: the host's groups decide
			}
			e := *svcs[0]
			for _, s := range svcs[1:] {
				// several services: every group any of them uses
				e.Groups = append(e.Groups, s.Groups...)
			}
			w.Egress = &e
		}
	}
}

// lastSeg is the last key of a path.
func lastSeg(p string) string { return p[strings.LastIndexByte(p, '.')+1:] }
