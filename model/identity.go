package model

// IdentityKind names a kind of execution identity.
type IdentityKind string

const (
	IdentityK8sServiceAccount IdentityKind = "kubernetes-service-account"
	IdentityAWSRole           IdentityKind = "aws-iam-role"
	IdentityGCPServiceAccount IdentityKind = "gcp-service-account"
	IdentityCICloudRole       IdentityKind = "ci-cloud-role"
	IdentityCIRunner          IdentityKind = "ci-runner"
)

// Identity is what a workload runs as.
type Identity struct {
	Kind IdentityKind
	// Key identifies the identity across workloads: "namespace/name" for a
	// service account, an ARN or resource address for a cloud role.
	Key string
	// Name is the identity as the user wrote it, for messages.
	Name string
	// Default is true when the workload names no identity and runs as the
	// platform's default one (the namespace's "default" service account),
	// or names the default explicitly.
	Default bool
	Unknown bool
	// Loc is the key that selects the identity, or where one belongs
	// (Synthetic) when none is named.
	Loc Location
	Via []Related
	// Template is the launch template an EC2 instance takes this identity
	// from (it names no instance profile of its own): the template stands
	// for the instances it launches, so sharing is judged on it alone.
	Template string
	// Scopes are the OAuth scopes a GCP VM or node identity is limited to
	// (oauth_scopes, service_account.scopes); nil where none are written.
	Scopes []String
}

// ServiceAccount is a Kubernetes ServiceAccount object found in the scan.
type ServiceAccount struct {
	Unit           string // see Workload.Unit
	Namespace      string
	Name           string
	Loc            Location
	AutomountToken Bool
}

// Key is the identity key workloads use to refer to this account.
func (s *ServiceAccount) Key() string { return s.Namespace + "/" + s.Name }

// Describe names the identity for messages ("service account shop/web",
// "IAM role deploy").
func (id Identity) Describe() string {
	switch id.Kind {
	case IdentityK8sServiceAccount:
		return "service account " + id.Key
	case IdentityAWSRole:
		return "IAM role " + id.Name
	case IdentityGCPServiceAccount:
		return "GCP service account " + id.Name
	case IdentityAzureManagedIdentity:
		return "managed identity " + id.Name
	case IdentityCICloudRole:
		return "cloud role " + id.Name
	case IdentityCIRunner:
		return "runner " + id.Name
	}
	return id.Name
}
