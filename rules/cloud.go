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
		if md.Endpoint.Unknown || (md.Endpoint.Known() && strings.EqualFold(md.Endpoint.Value, "disabled")) {
			continue
		}
		who := md.Kind + " " + strconv.Quote(md.Name)
		report := func(loc model.Location, via []model.Related, conf Confidence, msg string) {
			p.Report(Finding{Confidence: conf, Message: who + " " + msg, Loc: loc, Related: via, Format: md.Format, Object: md.Kind + "/" + md.Name})
		}
		switch t := md.Tokens; {
		case t.Known() && strings.EqualFold(t.Value, "optional"):
			report(t.Loc, t.Via, ConfidenceHigh, "allows IMDSv1 ("+lastKey(t.Loc.Path, "http_tokens")+" = \"optional\"): any process on it, or a request forged through it (SSRF), reads the instance role's credentials without a session token")
		case !t.Set:
			report(t.Loc, t.Via, ConfidenceMedium, "does not set "+keyPath(t.Loc.Path, "metadata_options.http_tokens")+" = \"required\": unless the AMI or the account default requires IMDSv2, any process on it, or a request forged through it (SSRF), reads the instance role's credentials without a session token")
		}
		if h := md.HopLimit; h.Known() && h.Value > 1 {
			report(h.Loc, h.Via, ConfidenceHigh, "sets "+lastKey(h.Loc.Path, "http_put_response_hop_limit")+" = "+strconv.FormatInt(h.Value, 10)+": containers on the instance reach the metadata service through it and get the instance role's credentials")
		}
	}
}

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

// checkCloudRoles reports the IAM roles and service accounts Terraform and
// CloudFormation workloads run as that are granted every action, or
// iam:PassRole on every role.
func checkCloudRoles(p *Pass, proj *model.Project) {
	users := map[string][]*model.Workload{}
	for _, w := range proj.Workloads {
		id := w.Identity
		if !cloudFormats[w.Format] || !p.Rule.AppliesTo(w.Format) || id.Key == "" || id.Unknown || (id.Kind != model.IdentityAWSRole && id.Kind != model.IdentityGCPServiceAccount) {
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
		for _, st := range r.Statements {
			var what string
			loc, ok := st.GrantsAllActions()
			if ok {
				what = "every action on every resource"
			} else if loc, ok = st.GrantsPassRoleOnAll(); ok {
				what = "iam:PassRole on every role, so it can hand any role to a service it controls"
			} else {
				continue
			}
			p.Report(Finding{
				Message: identityLabel(r) + ", which " + strings.Join(names, ", ") + " " + verb(len(names) > 1, "runs", "run") +
					" as, is granted " + what + " by " + shortAddr(st.Policy),
				Loc: loc, Related: append(related, st.Via...), Format: ws[0].Format,
				Object: string(r.Kind) + "/" + shortAddr(r.Key), Workload: ws[0].Name,
			})
		}
		for _, mp := range r.ManagedPolicies {
			what, ok := model.BroadManagedPolicy(mp.Name)
			if !ok {
				continue
			}
			p.Report(Finding{
				Message: identityLabel(r) + ", which " + strings.Join(names, ", ") + " " + verb(len(names) > 1, "runs", "run") +
					" as, is granted the AWS managed policy " + mp.Name + ", which grants " + what,
				Loc: mp.Loc, Related: append(append([]model.Related(nil), related...), mp.Via...), Format: ws[0].Format,
				Object: string(r.Kind) + "/" + shortAddr(r.Key), Workload: ws[0].Name,
			})
		}
	}
}

// cloudFormats are the formats whose workloads run as cloud roles that
// the scan's CloudRoles describe.
var cloudFormats = map[model.Format]bool{model.FormatTerraform: true, model.FormatCFN: true}

// identityLabel names a cloud role for messages, without the module path
// (each module call's copy of a role is reported once, at the same line).
func identityLabel(r *model.CloudRole) string {
	if r.Kind == model.IdentityGCPServiceAccount {
		return "service account " + shortAddr(r.Name)
	}
	return "IAM role " + shortAddr(r.Name)
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

// platformHas reports whether a workload's platform has the setting, so
// that its absence is a choice: Terraform workloads other than pod specs
// only have what their resource schema offers.
func platformHas(w *model.Workload, setting string) bool {
	if w.Format != model.FormatTerraform || podLike(w) {
		return true
	}
	switch setting {
	case "readOnlyRootFilesystem":
		return w.Kind == "aws_ecs_task_definition" || w.Kind == "aws_batch_job_definition"
	}
	return false
}
