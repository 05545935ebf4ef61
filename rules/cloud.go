package rules

import (
	"sort"
	"strconv"
	"strings"

	"github.com/isolint/isolint/model"
)

// The infrastructure-as-code parts (Terraform, CloudFormation) of
// egress-unrestricted, metadata-credentials-reachable and
// overprivileged-identity: checks over the cloud facts of the model
// (model/cloud.go), called from those rules' Project checks.

// checkFirewalls reports cloud firewall rules that allow every protocol
// and port to every address.
func checkFirewalls(p *Pass, proj *model.Project) {
	for _, f := range proj.Firewalls {
		if !p.Rule.AppliesTo(f.Format) {
			continue
		}
		d, ok := f.Unrestricted()
		if !ok {
			continue
		}
		p.Report(Finding{
			Confidence: ConfidenceHigh,
			Message: f.Kind + " " + strconv.Quote(f.Name) + " allows outbound traffic on every protocol and port to " + d.Value +
				": whatever runs behind it can reach any host, including an attacker's",
			Loc: d.Loc, Related: d.Via, Format: f.Format, Object: f.Kind + "/" + f.Name,
		})
	}
}

// checkInstanceMetadata reports VMs and launch templates whose metadata
// service hands the instance role's credentials to requests without a
// session token (IMDSv1), or to containers one network hop away.
func checkInstanceMetadata(p *Pass, proj *model.Project) {
	for _, md := range proj.Metadata {
		if !p.Rule.AppliesTo(md.Format) {
			continue
		}
		who := md.Kind + " " + strconv.Quote(md.Name)
		report := func(loc model.Location, via []model.Related, conf Confidence, msg string) {
			related := append(append([]model.Related(nil), via...), md.UsedBy...)
			p.Report(Finding{Confidence: conf, Message: who + " " + msg, Loc: loc, Related: related, Format: md.Format, Object: md.Kind + "/" + md.Name})
		}
		if md.Provider == model.ProviderGCP {
			if b := md.ExposedToPods; b.IsTrue() {
				report(b.Loc, b.Via, ConfidenceHigh, "sets workload_metadata_config mode = \"GCE_METADATA\": every pod on these nodes reaches the node's metadata server and takes the node service account's credentials")
			}
			if b := md.LegacyEndpoints; b.IsTrue() {
				report(b.Loc, b.Via, ConfidenceHigh, "sets disable-legacy-endpoints = false: the node's legacy metadata endpoints answer requests without the Metadata-Flavor header, so a request forged through any pod or process (SSRF) reads the node's credentials")
			}
			continue
		}
		if md.Endpoint.Unknown || (md.Endpoint.Known() && strings.EqualFold(md.Endpoint.Value, "disabled")) {
			continue
		}
		switch t := md.Tokens; {
		case t.Known() && strings.EqualFold(t.Value, "optional"):
			report(t.Loc, t.Via, ConfidenceHigh, "allows IMDSv1 ("+lastKey(t.Loc.Path, "http_tokens")+" = \"optional\"): any process on it, or a request forged through it (SSRF), reads the instance role's credentials without a session token")
		case !t.Set:
			report(t.Loc, t.Via, ConfidenceMedium, "does not set "+keyPath(t.Loc.Path, "metadata_options.http_tokens")+" = \"required\": unless the AMI or the account default requires IMDSv2, any process on it, or a request forged through it (SSRF), reads the instance role's credentials without a session token")
		}
		if h := md.HopLimit; h.Known() && h.Value > 1 {
			on := "containers on the instance"
			if len(md.UsedBy) > 0 {
				on = "pods of the EKS nodes it launches"
			}
			report(h.Loc, h.Via, ConfidenceHigh, "sets "+lastKey(h.Loc.Path, "http_put_response_hop_limit")+" = "+strconv.FormatInt(h.Value, 10)+": "+on+" reach the metadata service through it and get the instance role's credentials")
		}
	}
}

// checkCloudRoles reports the IAM roles and service accounts Terraform
// workloads run as that are granted every action, or iam:PassRole on every
// role.
func checkCloudRoles(p *Pass, proj *model.Project) {
	users := map[string][]*model.Workload{}
	for _, w := range proj.Workloads {
		id := w.Identity
		if !cloudFormats[w.Format] || !p.Rule.AppliesTo(w.Format) || id.Key == "" || id.Unknown ||
			(id.Kind != model.IdentityAWSRole && id.Kind != model.IdentityGCPServiceAccount && id.Kind != model.IdentityAzureManagedIdentity) {
			continue
		}
		k := string(id.Kind) + "|" + id.Key
		users[k] = append(users[k], w)
	}
	for _, r := range proj.CloudRoles {
		ws := users[string(r.Kind)+"|"+r.Key]
		if len(ws) == 0 {
			continue // no workload in the scan runs as it
		}
		if r.DeniesAll() {
			continue // an explicit deny of everything overrides every grant
		}
		var names []string
		var related []model.Related
		seen := map[string]bool{}
		for i, w := range ws {
			if !seen[w.Display()] {
				seen[w.Display()] = true
				names = append(names, w.Display())
			}
			switch {
			case i < maxRelatedUses:
				related = append(related, model.Related{Loc: w.Identity.Loc, Message: displayInstance(w) + " runs as this identity"})
			case i == maxRelatedUses:
				related = append(related, model.Related{Loc: w.Identity.Loc, Message: strconv.Itoa(len(ws)-i) + " more workloads run as it, " + displayInstance(w) + " among them"})
			}
		}
		if len(names) > maxRelatedUses {
			names = append(names[:maxRelatedUses], strconv.Itoa(len(names)-maxRelatedUses)+" more")
		}
		sort.Strings(names)
		report := func(what, by string, loc model.Location, via []model.Related) {
			if by != "" {
				what += " by " + by
			}
			p.Report(Finding{
				Message: identityLabel(r) + ", which " + strings.Join(names, ", ") + " " + verb(len(names) > 1, "runs", "run") +
					" as, is granted " + what,
				Loc: loc, Related: append(append([]model.Related(nil), related...), via...), Format: ws[0].Format,
				Object: string(r.Kind) + "/" + shortAddr(r.Key), Workload: ws[0].Name,
			})
		}
		for _, st := range r.Statements {
			if what, so, a, ok := statementBreadth(st); ok {
				// the policy's attachment, then where a module's caller
				// gave the value the user must change
				report(what+" by "+resourceAddr(st.Policy)+so, "", a.Loc, appendRelated(st.Via, a.Via))
			}
		}
		for _, mp := range r.ManagedPolicies {
			if what, ok := model.BroadManagedPolicy(mp.Name); ok {
				report("the AWS managed policy "+mp.Name+", which grants "+what, "", mp.Loc, mp.Via)
			}
		}
		for _, g := range r.Grants {
			if what, ok := g.Broad(); ok {
				report(what, "", g.Loc, g.Via)
			}
		}
	}
}

// checkDefaultAccountScopes reports a GCP VM or node pool that runs as the
// default compute service account with the cloud-platform scope: the
// account holds Editor on the project unless an organisation policy
// removed the grant, and the scope lets every process on the machine use
// all of it.
func checkDefaultAccountScopes(p *Pass, w *model.Workload) {
	id := w.Identity
	if w.Format != model.FormatTerraform || id.Kind != model.IdentityGCPServiceAccount || !id.Default || id.Unknown {
		return
	}
	for _, s := range id.Scopes {
		if !s.Known() {
			continue
		}
		if v := strings.TrimPrefix(s.Value, "https://www.googleapis.com/auth/"); v == "cloud-platform" {
			p.ReportAt(w, s.Loc, s.Via, "%s runs as the default compute service account with the cloud-platform scope: every process on it can use the account's Editor role on the project", w.Display())
			return
		}
	}
}

// statementBreadth says what a policy statement grants beyond a workload's
// task, with the value that grants it (its Via says where a module's
// caller gave it): every action, every action but a few (NotAction; the
// statement's key, which has no Via), iam:PassRole on every role, every
// action of a sensitive service, or a credential-handing action, on every
// resource.
func statementBreadth(st *model.PolicyStatement) (what, so string, at model.String, ok bool) {
	if loc, ok := st.NotActionAllow(); ok {
		return "every action except those its NotAction lists on every resource", ", including every action AWS adds later", model.String{Loc: loc}, true
	}
	if a, ok := st.GrantsAllActions(); ok {
		return "every action on every resource", "", a, true
	}
	if a, ok := st.GrantsPassRoleOnAll(); ok {
		return "iam:PassRole on every role", ", so it can hand any role to a service it controls", a, true
	}
	if a, ok := st.ServiceWildcard(); ok {
		return a.Value + " (every action it matches) on every resource", "", a, true
	}
	if a, what, ok := st.SensitiveAction(); ok {
		return a.Value + " on every resource", ", so it can " + what, a, true
	}
	return "", "", model.String{}, false
}

// appendRelated is a followed by the places of b that a does not hold.
func appendRelated(a, b []model.Related) []model.Related {
	out := append([]model.Related(nil), a...)
next:
	for _, r := range b {
		for _, o := range out {
			if o == r {
				continue next
			}
		}
		out = append(out, r)
	}
	return out
}

// cloudFormats are the formats whose workloads run as cloud roles that
// the scan's CloudRoles describe.
var cloudFormats = map[model.Format]bool{model.FormatTerraform: true, model.FormatCFN: true}

// lastKey is the last key of a location's path (the setting's name as its
// format spells it: http_tokens, HttpTokens), or def.
func lastKey(path, def string) string {
	if path == "" {
		return def
	}
	return path[strings.LastIndexByte(path, '.')+1:]
}

// keyPath is the block and key of a location's path (metadata_options.http_tokens,
// MetadataOptions.HttpTokens), or def.
func keyPath(path, def string) string {
	i := strings.LastIndexByte(path, '.')
	if i < 0 {
		return def
	}
	if j := strings.LastIndexByte(path[:i], '.'); j >= 0 {
		return path[j+1:]
	}
	return path
}

// identityLabel names a cloud role for messages, without the module path
// or instance key (each module call's copy of a role, and each instance of
// a count or for_each role, is reported once, at the same line).
func identityLabel(r *model.CloudRole) string {
	switch r.Kind {
	case model.IdentityGCPServiceAccount:
		return "service account " + resourceAddr(r.Name)
	case model.IdentityAzureManagedIdentity:
		if !strings.Contains(r.Key, "azurerm_user_assigned_identity.") {
			return "the system-assigned identity of " + resourceAddr(r.Name)
		}
		return "managed identity " + resourceAddr(r.Name)
	}
	return "IAM role " + resourceAddr(r.Name)
}

// resourceAddr is shortAddr without the resource's own instance key:
// `aws_iam_role.fn["ingest"]` → "aws_iam_role.fn". The instances of one
// count or for_each resource are one definition, reported once with each
// instance's workloads as related locations (docs/terraform.md, "Where
// findings point"); names that are not addresses (ARNs, emails) stay.
func resourceAddr(addr string) string {
	a := shortAddr(addr)
	head, rest := a, ""
	if i := strings.Index(a, "] "); i >= 0 {
		// a policy named after its resource: `aws_iam_role.fn["a"] inline policy p`
		head, rest = a[:i+1], a[i+1:]
	}
	if i := strings.IndexByte(head, '['); i > 0 && strings.HasSuffix(head, "]") &&
		strings.Contains(head[:i], ".") && !strings.ContainsAny(head[:i], ":/@ ") {
		return head[:i] + rest
	}
	return a
}

// shortAddr strips the module path and instance keys from a Terraform
// address: `module.api["x"].aws_iam_role.task` → "aws_iam_role.task".
func shortAddr(addr string) string {
	for strings.HasPrefix(addr, "module.") {
		rest := addr[len("module."):]
		i := strings.IndexByte(rest, '.')
		if i < 0 {
			return addr
		}
		// skip the module name and an instance key with dots inside quotes
		if j := strings.IndexByte(rest, '['); j >= 0 && j < i {
			if k := strings.Index(rest[j:], "]."); k >= 0 {
				i = j + k + 1
			}
		}
		addr = rest[i+1:]
	}
	return addr
}

// checkWorkloadEgress reports the functions and tasks whose traffic can
// reach any address: through a security group that allows every protocol
// to every address (always), or straight to the internet when the user
// asks for every workload or when other workloads of the same module or
// stack are attached to a VPC, so that egress is evidently managed there.
// Unknown and unlinked egress is never reported (the inventory counts it).
func checkWorkloadEgress(p *Pass, proj *model.Project) {
	x := model.NewEgressIndex(proj)
	for _, w := range proj.Workloads {
		if w.Egress == nil || !p.Rule.AppliesTo(w.Format) {
			continue
		}
		j := x.Judge(w)
		switch j.Verdict {
		case model.EgressOpenGroup:
			g := j.Group
			related := append([]model.Related(nil), j.Via...)
			var msg string
			if j.Rule != nil {
				d, _ := j.Rule.Unrestricted()
				related = append(related, model.Related{Loc: d.Loc, Message: "this rule of " + g.Name + " allows every protocol and port to " + d.Value})
				msg = "security group " + g.Name + ", which allows every protocol and port to " + d.Value
			} else {
				related = append(related, model.Related{Loc: g.Loc, Message: g.Name + " has no egress rule of its own, so AWS keeps the rule it adds to every new group: all traffic to 0.0.0.0/0 and ::/0"})
				msg = "security group " + g.Name + ", which has no egress rule of its own and so keeps AWS's default rule allowing all outbound traffic"
			}
			p.Report(Finding{
				Confidence: ConfidenceHigh,
				Message:    w.Display() + " can connect to any address: its traffic leaves through " + msg,
				Loc:        j.Loc, Related: related, Format: w.Format, Object: w.ID(), Workload: w.Name, Unit: w.Unit,
			})
		case model.EgressOpenDirect:
			managed := x.Managed(w)
			if !managed && !p.Options.RequireEgressPolicy {
				continue
			}
			why := "it is attached to no VPC"
			if w.Egress.Detail != "" {
				why = w.Egress.Detail
			}
			msg := w.Display() + " can connect to any address: " + why + ", so the platform sends its traffic to the internet directly, through no security group or firewall"
			if managed {
				msg += " (other workloads of the same module or stack are attached to a private network, so egress is evidently managed there)"
			}
			p.Report(Finding{
				Confidence: ConfidenceMedium,
				Message:    msg, Loc: j.Loc, Related: j.Via, Format: w.Format, Object: w.ID(), Workload: w.Name, Unit: w.Unit,
			})
		}
	}
}
