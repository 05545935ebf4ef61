package rules

import (
	"strconv"
	"strings"

	"github.com/isolint/isolint/controls"
	"github.com/isolint/isolint/model"
)

var _ = register(&Rule{
	ID:         "overprivileged-identity",
	Title:      "Workload identity holds more rights than its task",
	Severity:   High,
	Confidence: ConfidenceHigh,
	Axis:       AxisIdentity,
	Formats:    []model.Format{model.FormatK8s, model.FormatGHA, model.FormatTerraform, model.FormatCFN},
	Controls: []controls.Ref{
		nhi(5), nist("AC-6"), only(nist("AC-6(5)"), "k8s", "tf"), csf("PR.AA-05"),
		when(cis("5.1.1"), "bindings to the cluster-admin ClusterRole", `ClusterRole "cluster-admin"`, ""),
		when(cis("5.1.2"), "grants that read Secrets", `read Secrets|use every verb on (every resource|[^"]*\bsecrets\b)|\b(get|list|watch)\b[^"]* every resource`, ""),
		when(cis("5.1.3"), "wildcard grants of Roles and ClusterRoles", `use every verb|every resource`, `ClusterRole "cluster-admin"`),
		when(cis("5.1.4"), "grants that create pods", `create pods|create pod controllers|use every verb on (every resource|([^"]*, )?(pods|deployments|daemonsets|statefulsets|replicasets|replicationcontrollers|jobs|cronjobs)[, ])|\bcreate\b[^"]* every resource|ClusterRole "(admin|edit)"`, ""),
		cicd(2), zt(6), asi(3),
	},
	Needs: []model.InputKind{model.InputAccess},
	Description: "A service account bound to `cluster-admin`, `admin` or `edit`, or to a Role or ClusterRole " +
		"with wildcard (`*`) verbs or resources, read access to Secrets, `create` or `get` on `pods/exec` " +
		"or `pods/attach` (an exec over a WebSocket is authorized as `get` before Kubernetes 1.35), `create` " +
		"on pods or on the controllers that start them (Deployments, DaemonSets, StatefulSets, ReplicaSets, " +
		"ReplicationControllers, Jobs, CronJobs: the new pod can mount any Secret and run as any service " +
		"account of its namespace), `impersonate`, `escalate` or `bind` on roles, `create` on " +
		"`serviceaccounts/token`, or " +
		"access to `nodes/proxy`, lets whoever runs code in a pod that uses it read every credential in reach " +
		"or take over other workloads. Each binding subject that workloads hold is reported at the binding's " +
		"`roleRef`, with the offending role rule and the workloads it covers as related locations: a service " +
		"account, the groups of every service account (`system:serviceaccounts`, and `system:authenticated`, which " +
		"holds every service-account token too) or of a namespace's (`system:serviceaccounts:<ns>`), and anonymous " +
		"requests (User `system:anonymous`, Group `system:unauthenticated`), which any pod can send by leaving its " +
		"token out. An aggregated ClusterRole grants the rules of the ClusterRoles of the scan that its " +
		"`clusterRoleSelectors` match (`matchLabels`, `matchExpressions`; through other aggregated roles too), as " +
		"the aggregation controller gives them, and its own `rules`, which the controller replaces, are not judged; " +
		"the rule that grants the access is then a related location. Roles not in the scan, other than the " +
		"built-in ones, are judged only by what the scan shows. " +
		"In Terraform, the cloud identity a workload runs as (an IAM role, including one passed into a known registry " +
		"module; a GCP service account; an Azure managed identity) is reported at the key that grants it: `*` or " +
		"`NotAction` on every resource, a wildcard on a sensitive service (`iam:*`, `s3:*`, `secretsmanager:*`, " +
		"`kms:*`, `sts:*`, `ssm:*`, `lambda:*`, `ec2:*` …), a credential-handing action on every resource " +
		"(`secretsmanager:GetSecretValue`, `ssm:GetParameter*`, `kms:Decrypt`, `iam:PassRole`, `sts:AssumeRole`), " +
		"broad AWS managed policies (AdministratorAccess, PowerUserAccess, IAMFullAccess, the `*FullAccess` family " +
		"on sensitive services), GCP basic and `*.admin` roles, Azure Owner, Contributor or User Access " +
		"Administrator on a subscription or management group, and a GCP VM or node pool running as the default " +
		"compute account with the `cloud-platform` scope. In GitHub Actions, `permissions: write-all` on a job, or on " +
		"the workflow when some job sets no `permissions` of its own, or no `permissions` at all.",
	Fix: "Write a Role for the workload that lists the verbs, resources and, where possible, resourceNames it " +
		"uses, bind that instead, and keep cluster-wide and wildcard grants for humans' break-glass accounts.",
	Examples: []Example{{
		Format: model.FormatK8s, Path: "rbac.yaml",
		Bad: `apiVersion: rbac.authorization.k8s.io/v1
kind: RoleBinding
metadata:
  name: ci-deployer
  namespace: apps
roleRef:
  apiGroup: rbac.authorization.k8s.io
  kind: ClusterRole
  name: edit
subjects:
  - kind: ServiceAccount
    name: ci-deployer
    namespace: apps`,
		Good: `apiVersion: rbac.authorization.k8s.io/v1
kind: Role
metadata:
  name: ci-deployer
  namespace: apps
rules:
  - apiGroups: [apps]
    resources: [deployments]
    verbs: [get, patch]
---
apiVersion: rbac.authorization.k8s.io/v1
kind: RoleBinding
metadata:
  name: ci-deployer
  namespace: apps
roleRef:
  apiGroup: rbac.authorization.k8s.io
  kind: Role
  name: ci-deployer
subjects:
  - kind: ServiceAccount
    name: ci-deployer
    namespace: apps`,
	}, {
		Format: model.FormatGHA, Path: ".github/workflows/test.yml",
		Bad: `on: push
permissions: write-all
jobs:
  test:
    runs-on: ubuntu-latest
    steps:
      - run: make test`,
		Good: `on: push
permissions:
  contents: read
jobs:
  test:
    runs-on: ubuntu-latest
    steps:
      - run: make test`,
	}, {
		Format: model.FormatTerraform, Path: "main.tf",
		Bad: `resource "aws_iam_role" "task" {
  name = "task"
}

resource "aws_iam_role_policy_attachment" "task" {
  role       = aws_iam_role.task.name
  policy_arn = "arn:aws:iam::aws:policy/AdministratorAccess"
}

resource "aws_lambda_function" "task" {
  function_name = "task"
  role          = aws_iam_role.task.arn
}`,
		Good: `resource "aws_iam_role" "task" {
  name = "task"
}

resource "aws_iam_role_policy" "task" {
  role = aws_iam_role.task.id
  policy = jsonencode({
    Version   = "2012-10-17"
    Statement = [{ Effect = "Allow", Action = ["s3:GetObject"], Resource = "arn:aws:s3:::reports/*" }]
  })
}

resource "aws_lambda_function" "task" {
  function_name = "task"
  role          = aws_iam_role.task.arn
}`,
	}, {
		Format: model.FormatCFN, Path: "template.yaml",
		Bad: `AWSTemplateFormatVersion: "2010-09-09"
Transform: AWS::Serverless-2016-10-31
Resources:
  Ingest:
    Type: AWS::Serverless::Function
    Properties:
      Handler: ingest.handler
      Runtime: python3.12
      Policies:
        - AdministratorAccess`,
		Good: `AWSTemplateFormatVersion: "2010-09-09"
Transform: AWS::Serverless-2016-10-31
Resources:
  Ingest:
    Type: AWS::Serverless::Function
    Properties:
      Handler: ingest.handler
      Runtime: python3.12
      Policies:
        - S3ReadPolicy:
            BucketName: ingest-uploads`,
	}},
	Workload: func(p *Pass, w *model.Workload) {
		ciOverprivilegedJob(p, w)
		checkDefaultAccountScopes(p, w)
	},
	Pipeline: ciOverprivilegedWorkflow,
	Project: func(p *Pass, proj *model.Project) {
		checkCloudRoles(p, proj)

		roles := map[string][]*model.Role{}
		for _, r := range proj.Roles {
			roles[r.Key()] = append(roles[r.Key()], r)
		}
		agg := model.NewRoleAggregation(proj.Roles)
		// the workloads that run as each account, and as any account of a
		// namespace; every pod can send anonymous requests, whatever it runs as
		var all, pods []*model.Workload
		byAccount, byNamespace := map[string][]*model.Workload{}, map[string][]*model.Workload{}
		for _, w := range proj.Workloads {
			if w.Format != model.FormatK8s {
				continue
			}
			pods = append(pods, w)
			if id := w.Identity; id.Kind == model.IdentityK8sServiceAccount && !id.Unknown {
				all = append(all, w)
				byAccount[id.Key] = append(byAccount[id.Key], w)
				byNamespace[w.Namespace] = append(byNamespace[w.Namespace], w)
			}
		}
		for _, b := range proj.RoleBindings {
			grants, evidence := bindingGrants(roles, agg, b)
			if grants == "" {
				continue
			}
			scope := "in every namespace"
			if b.Kind == "RoleBinding" {
				scope = "in namespace " + strconv.Quote(b.Namespace)
			}
			for _, s := range b.Subjects {
				who := serviceAccountSubject(s)
				if who == "" {
					continue
				}
				var candidates, users []*model.Workload
				anonymous := false
				switch sc, ns, name := s.Scope(); sc {
				case model.ScopeAllAccounts:
					candidates = all
				case model.ScopeAnonymous:
					candidates, anonymous = pods, true
				case model.ScopeNamespace:
					candidates = byNamespace[ns]
				case model.ScopeAccount:
					candidates = byAccount[ns+"/"+name]
				}
				for _, w := range candidates {
					if model.SameUnit(w.Unit, b.Unit) {
						users = append(users, w) // never a workload of an alternative overlay
					}
				}
				related := append([]model.Related(nil), evidence...)
				more := " more workloads run as it, "
				if anonymous {
					more = " more workloads can send them, "
				}
				for i, w := range users {
					if i == maxRelatedUses {
						related = append(related, model.Related{Loc: w.Identity.Loc, Message: strconv.Itoa(len(users)-i) + more + w.Display() + " among them"})
						break
					}
					use := w.Display() + " runs as " + w.Identity.Describe()
					if anonymous {
						use = w.Display() + " can send anonymous requests"
					}
					related = append(related, model.Related{Loc: w.Identity.Loc, Message: use})
				}
				p.Report(Finding{
					Message: who + " is bound by " + b.Kind + " " + strconv.Quote(b.Name) + " to " + b.RoleRef.Kind + " " +
						strconv.Quote(b.RoleRef.Name) + ", which lets it " + grants + " " + scope,
					Loc: b.RoleRef.Loc, Related: related, Format: model.FormatK8s,
					Object: bindingObject(b), Unit: b.Unit,
				})
			}
		}
	},
})

// maxRelatedUses bounds the workloads listed as related locations of one
// finding: a group binding may cover every workload of the cluster.
const maxRelatedUses = 10

// serviceAccountSubject names a binding subject that covers workloads
// (service accounts, their groups, anonymous requests), or returns "" for
// humans and other groups.
func serviceAccountSubject(s model.Subject) string {
	switch sc, ns, name := s.Scope(); sc {
	case model.ScopeAccount:
		return "ServiceAccount " + ns + "/" + name
	case model.ScopeNamespace:
		return "every service account of namespace " + strconv.Quote(ns) + " (group " + s.Name + ")"
	case model.ScopeAllAccounts:
		if s.Name == "system:authenticated" {
			return "every service account and signed-in user (group system:authenticated)"
		}
		return "every service account (group system:serviceaccounts)"
	case model.ScopeAnonymous:
		return "every pod, through anonymous requests (" + s.Kind + " " + s.Name + ")"
	}
	return ""
}

func bindingObject(b *model.RoleBinding) string {
	if b.Namespace == "" {
		return b.Kind + "/" + b.Name
	}
	return b.Kind + "/" + b.Namespace + "/" + b.Name
}

// bindingGrants says what a binding's role allows that a workload should
// not hold ("" when nothing, or when the role is not in roles, keyed
// kind/namespace/name, in a unit deployed with the binding), with the role
// rules that grant it as evidence. An aggregated ClusterRole grants the
// rules of the roles it aggregates (agg).
func bindingGrants(roles map[string][]*model.Role, agg *model.RoleAggregation, b *model.RoleBinding) (string, []model.Related) {
	ns := b.Namespace // a RoleBinding's Role lives in the binding's namespace
	switch b.RoleRef.Kind {
	case "ClusterRole":
		if what, ok := model.BuiltinClusterRole(b.RoleRef.Name); ok {
			return what, nil
		}
		ns = ""
	case "Role":
		if b.Kind != "RoleBinding" {
			return "", nil // a ClusterRoleBinding cannot refer to a Role
		}
	}
	var role *model.Role
	for _, r := range roles[model.RoleKey(b.RoleRef.Kind, ns, b.RoleRef.Name)] {
		if model.SameUnit(r.Unit, b.Unit) {
			role = r // the first definition deployed with the binding
			break
		}
	}
	if role == nil {
		return "", nil
	}
	var all []string
	var evidence []model.Related
	seen := map[string]bool{}
	for _, r := range agg.Rules(role, b.Unit) {
		found := r.DangerousGrants(b.Kind == "RoleBinding")
		if len(found) == 0 {
			continue
		}
		msg := r.From.Kind + " " + strconv.Quote(r.From.Name) + " grants " + strings.Join(found, ", ") + " here"
		if r.From != role {
			msg += ", aggregated into " + role.Kind + " " + strconv.Quote(role.Name)
		}
		evidence = append(evidence, model.Related{Loc: r.Loc, Message: msg})
		for _, f := range found {
			if !seen[f] {
				seen[f] = true
				all = append(all, f)
			}
		}
	}
	return strings.Join(all, ", "), evidence
}
