package model

import "strings"

// The breadth of a cloud identity's rights beyond "every action": service
// wildcards on sensitive services, sensitive single actions on every
// resource, broad provider-managed policies and predefined roles. Scanners
// record what is attached; the judgements here are shared by every format
// (Terraform, CloudFormation) and read by overprivileged-identity.

// ManagedPolicy is a provider-managed policy attached to a role by name.
type ManagedPolicy struct {
	// Name is the policy name ("PowerUserAccess"), ARN the reference as
	// written ("arn:aws:iam::aws:policy/PowerUserAccess").
	Name string
	ARN  String
	// Loc is the key or item that attaches it (policy_arn,
	// managed_policy_arns[i], ManagedPolicyArns item).
	Loc Location
	Via []Related
}

// RoleGrant is a predefined role granted to an identity at a scope.
type RoleGrant struct {
	// Role is the role as written: "roles/editor", "Owner".
	Role String
	// Scope is the resource the grant applies to as written (a project, a
	// subscription ID, a management group); ScopeLevel reads it:
	// "organization", "folder", "project" (GCP), "management-group",
	// "subscription", "resource-group", "resource" (Azure); "" when unknown.
	Scope      String
	ScopeLevel string
	// Conditioned is set when the grant carries a condition (IAM
	// conditions, Azure ABAC conditions).
	Conditioned bool
	// Loc is the role key; Via the places that make the grant.
	Loc Location
	Via []Related
}

// broadManaged are AWS managed policies that grant far more than any one
// workload needs, with what they grant.
var broadManaged = map[string]string{
	"AdministratorAccess":                  "every action on every resource",
	"PowerUserAccess":                      "every action but IAM and Organizations management on every resource",
	"IAMFullAccess":                        "every IAM action, so it can grant itself anything",
	"AmazonS3FullAccess":                   "every S3 action on every bucket",
	"SecretsManagerReadWrite":              "read and write of every secret in Secrets Manager",
	"AmazonSSMFullAccess":                  "every SSM action, including reading every parameter and running commands on instances",
	"AWSKeyManagementServicePowerUser":     "creation and management of every KMS key",
	"AWSLambda_FullAccess":                 "every Lambda action, including changing the code of every function",
	"AmazonEC2FullAccess":                  "every EC2 action on every instance",
	"AmazonDynamoDBFullAccess":             "every DynamoDB action on every table",
	"AmazonRDSFullAccess":                  "every RDS action on every database",
	"AmazonECS_FullAccess":                 "every ECS action, including passing roles to tasks",
	"AWSCloudFormationFullAccess":          "every CloudFormation action, which creates any resource with the caller's rights",
	"AmazonSQSFullAccess":                  "every SQS action on every queue",
	"AmazonSNSFullAccess":                  "every SNS action on every topic",
	"AWSCodeBuildAdminAccess":              "every CodeBuild action",
	"AmazonEC2ContainerRegistryFullAccess": "every ECR action, including replacing every image",
}

// BroadManagedPolicy says what an AWS managed policy grants when it is
// far broader than a workload's task ("" and false otherwise).
func BroadManagedPolicy(name string) (string, bool) {
	what, ok := broadManaged[name]
	return what, ok
}

// ManagedPolicyName reads an AWS managed policy name from its ARN
// (arn:aws:iam::aws:policy/PowerUserAccess,
// arn:aws:iam::aws:policy/job-function/…); "" for customer policies.
func ManagedPolicyName(arn string) string {
	if !strings.HasPrefix(arn, "arn:aws") || !strings.Contains(arn, ":aws:policy/") {
		return ""
	}
	return arn[strings.LastIndex(arn, "/")+1:]
}

// sensitiveServices are the AWS services whose wildcard grants reach
// credentials, code or the identity system itself.
var sensitiveServices = map[string]bool{
	"iam": true, "s3": true, "secretsmanager": true, "kms": true, "sts": true, "ssm": true,
	"lambda": true, "ec2": true, "ecs": true, "eks": true, "dynamodb": true, "rds": true,
	"organizations": true, "cloudformation": true, "codebuild": true, "ecr": true,
	"sso": true, "identitystore": true, "ssm-guiconnect": true, "ssmmessages": true,
}

// sensitiveActions are single actions that hand over credentials or other
// identities when allowed on every resource.
var sensitiveActions = map[string]string{
	"secretsmanager:getsecretvalue": "read every secret",
	"ssm:getparameter":              "read every parameter",
	"ssm:getparameters":             "read every parameter",
	"ssm:getparametersbypath":       "read every parameter",
	"kms:decrypt":                   "decrypt with every key",
	"iam:passrole":                  "hand any role to a service it controls",
	"sts:assumerole":                "assume any role that trusts its account",
	"iam:createaccesskey":           "mint keys for any user",
	"iam:attachrolepolicy":          "attach any policy to any role",
	"iam:putrolepolicy":             "write any role's policy",
	"lambda:updatefunctioncode":     "replace the code of every function",
	"ssm:sendcommand":               "run commands on every managed instance",
	"ec2:getpassworddata":           "read every Windows instance's password",
}

// ServiceWildcard reports an Allow of every action of a sensitive service
// ("s3:*", "iam:*", "secretsmanager:*"), or of a wildcard prefix of one
// ("iam:Put*", "ssm:Get*"), on every resource. It returns the action.
func (s *PolicyStatement) ServiceWildcard() (String, bool) {
	if !s.allows() || s.NotAction || !s.onAllResources() {
		return String{}, false
	}
	for _, a := range s.Actions {
		if !a.Known() {
			continue
		}
		svc, act, ok := strings.Cut(strings.ToLower(a.Value), ":")
		if ok && sensitiveServices[svc] && strings.HasSuffix(act, "*") {
			return a, true
		}
	}
	return String{}, false
}

// SensitiveAction reports an Allow of a credential-handing action
// (secretsmanager:GetSecretValue, ssm:GetParameter*, kms:Decrypt,
// iam:PassRole, sts:AssumeRole) on every resource, with what it lets the
// holder do.
func (s *PolicyStatement) SensitiveAction() (String, string, bool) {
	if !s.allows() || s.NotAction || !s.onAllResources() {
		return String{}, "", false
	}
	for _, a := range s.Actions {
		if !a.Known() {
			continue
		}
		if what, ok := sensitiveActions[strings.ToLower(a.Value)]; ok {
			return a, what, true
		}
	}
	return String{}, "", false
}

// NotActionAllow reports an Allow with NotAction on every resource: every
// action but those listed, including every action a service adds later.
func (s *PolicyStatement) NotActionAllow() (Location, bool) {
	if !s.allows() || !s.NotAction || !s.onAllResources() {
		return Location{}, false
	}
	return s.Loc, true
}

// gcpPrimitive are GCP's basic roles.
var gcpPrimitive = map[string]string{
	"roles/owner":  "every permission, including granting roles",
	"roles/editor": "write access to nearly every resource",
}

// azureBroad are Azure built-in roles that grant control of everything in
// their scope.
var azureBroad = map[string]string{
	"owner":                     "full control, including granting access to others",
	"contributor":               "full control of every resource but access grants",
	"user access administrator": "granting any role to anyone",
	"role based access control administrator": "granting any role to anyone",
}

// azureBroadIDs are the built-in role definition IDs of azureBroad.
var azureBroadIDs = map[string]string{
	"8e3af657-a8ff-443c-a75c-2fe8c4bcb635": "owner",
	"b24988ac-6180-42a0-ab88-20f7382dd24c": "contributor",
	"18d7d88d-d35e-4fb5-a5c3-7773c20a72d9": "user access administrator",
}

// Broad judges a predefined role grant: GCP basic roles and `*.admin` roles
// (roles/storage.admin, roles/iam.serviceAccountAdmin …) anywhere; Azure
// Owner, Contributor and User Access Administrator at subscription or
// management-group scope. It returns what the grant lets the holder do.
func (g RoleGrant) Broad() (string, bool) {
	if !g.Role.Known() || g.Conditioned {
		return "", false
	}
	r := strings.TrimSpace(g.Role.Value)
	if strings.HasPrefix(r, "roles/") {
		on := " on the " + scopeName(g.ScopeLevel, "project")
		if what, ok := gcpPrimitive[r]; ok {
			return r + on + " (" + what + ")", true
		}
		svc, _, _ := strings.Cut(strings.TrimPrefix(r, "roles/"), ".")
		if strings.HasSuffix(strings.ToLower(r), "admin") {
			return r + on + " (administration of every " + svc + " resource in it)", true
		}
		return "", false
	}
	name := strings.ToLower(r)
	if i := strings.LastIndex(name, "/roledefinitions/"); i >= 0 {
		name = azureBroadIDs[name[i+len("/roledefinitions/"):]]
	}
	what, ok := azureBroad[name]
	if !ok || (g.ScopeLevel != "subscription" && g.ScopeLevel != "management-group") {
		return "", false
	}
	return r + " on the whole " + scopeName(g.ScopeLevel, "") + " (" + what + ")", true
}

func scopeName(level, def string) string {
	switch level {
	case "management-group":
		return "management group"
	case "":
		return def
	}
	return level
}

// AzureScopeLevel reads the level of an Azure scope ID:
// /subscriptions/x → "subscription", …/resourceGroups/y → "resource-group",
// /providers/Microsoft.Management/managementGroups/z → "management-group".
func AzureScopeLevel(scope string) string {
	s := strings.ToLower(strings.TrimSuffix(strings.TrimSpace(scope), "/"))
	switch {
	case strings.Contains(s, "/providers/microsoft.management/managementgroups/") && strings.Count(s, "/") == 4:
		return "management-group"
	case strings.HasPrefix(s, "/subscriptions/") && strings.Count(s, "/") == 2:
		return "subscription"
	case strings.HasPrefix(s, "/subscriptions/") && strings.Count(s, "/") == 4 && strings.Contains(s, "/resourcegroups/"):
		return "resource-group"
	case strings.HasPrefix(s, "/subscriptions/") || strings.HasPrefix(s, "/providers/"):
		return "resource"
	}
	return ""
}
