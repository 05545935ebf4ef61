package model

import "strings"

// Static credentials: keys and tokens that a scan mints or hands to a job
// and that stay valid until someone revokes them. Scanners record where
// each is created or passed in; rules judge them (long-lived-credential).
// Nothing here holds a credential's value.

// CredentialKind names a kind of static credential.
type CredentialKind string

const (
	// CredAWSAccessKey is an IAM user access key (aws_iam_access_key,
	// AWS::IAM::AccessKey).
	CredAWSAccessKey CredentialKind = "aws-access-key"
	// CredGCPServiceAccountKey is a service account key file
	// (google_service_account_key).
	CredGCPServiceAccountKey CredentialKind = "gcp-sa-key"
	// CredAzureAppPassword is an Entra ID application or service principal
	// client secret (azuread_application_password,
	// azuread_service_principal_password).
	CredAzureAppPassword CredentialKind = "azure-app-password"
	// CredK8sSATokenSecret is a Secret of type
	// kubernetes.io/service-account-token: a token that never expires.
	CredK8sSATokenSecret CredentialKind = "k8s-sa-token-secret"
	// CredCIStaticCloudKey is a static cloud key a CI job or step
	// authenticates with (aws-access-key-id from a secret, GCP
	// credentials_json, Azure creds or client secret).
	CredCIStaticCloudKey CredentialKind = "ci-static-cloud-key"
)

// Cloud providers, as StaticCredential.Provider and TrustPolicy.Provider name them.
const (
	ProviderAWS        = "aws"
	ProviderGCP        = "gcp"
	ProviderAzure      = "azure"
	ProviderKubernetes = "kubernetes"
)

// StaticCredential is one place that mints a long-lived credential or
// passes one to a workload.
type StaticCredential struct {
	Unit     string // see Workload.Unit
	Kind     CredentialKind
	Format   Format
	Provider string // ProviderAWS, ProviderGCP, ProviderAzure, ProviderKubernetes
	// Resource names the definition for messages: a Terraform address
	// ("aws_iam_access_key.deploy"), a Kubernetes object
	// ("Secret/ci/deployer-token"), a CI job and step.
	Resource string
	// Object identifies what the finding is about (fingerprints, ignores),
	// as Workload.ID does.
	Object string
	// Workload is the workload (CI job) name the credential is handed to,
	// when there is one, for config ignores keyed by workload.
	Workload string
	// Loc is where the finding belongs: the resource's block header (a
	// resource whose existence is the problem), the Secret's `type:` line,
	// the CI input or env line that passes the key in.
	Loc Location
	// Principal is the identity the credential authenticates as, as
	// written (the IAM user, the service account, the application), when
	// known; Secret is the CI secret the key is read from (its name only).
	Principal String
	Secret    string
	// Expiry is when the credential stops being valid.
	Expiry Expiry
	// Federation says what would replace the static key: "OIDC role
	// assumption (aws-actions/configure-aws-credentials with
	// role-to-assume)". Empty when the platform has no such alternative.
	Federation string
	Via        []Related
}

// Expiry is a credential's validity as written. Set is false when nothing
// limits it (no end date): the credential lives until it is revoked.
type Expiry struct {
	Set bool
	// Unknown: an end is written, but its value is not known offline (a
	// variable, a time_rotating resource); rules give it the benefit of
	// the doubt.
	Unknown bool
	// End is the end date as written (RFC 3339), or the relative lifetime
	// ("8760h"), for messages.
	End String
	// Hours is the lifetime in hours when it can be computed (a relative
	// end, or an end date with a start date); 0 when it cannot.
	Hours int64
	Loc   Location
}

// MaxCredentialHours is the longest lifetime a static credential may have
// before it counts as long-lived: one year, the longest rotation period
// CIS and the cloud providers' own guidance accept for a key.
const MaxCredentialHours = 366 * 24

// NeverExpires reports a credential with no end at all.
func (c *StaticCredential) NeverExpires() bool { return !c.Expiry.Set }

// TooLong reports a known lifetime above MaxCredentialHours.
func (c *StaticCredential) TooLong() bool {
	return c.Expiry.Set && !c.Expiry.Unknown && c.Expiry.Hours > MaxCredentialHours
}

// CloudKeyEnv names the environment variables that carry a static cloud
// key, by provider: a job that sets one from a secret (or exports it)
// authenticates with a long-lived key. Both halves of an AWS key pair are
// listed; rules report one line per job and provider.
var CloudKeyEnv = map[string]string{
	"AWS_SECRET_ACCESS_KEY":                  ProviderAWS,
	"AWS_ACCESS_KEY_ID":                      ProviderAWS,
	"GOOGLE_CREDENTIALS":                     ProviderGCP,
	"GOOGLE_APPLICATION_CREDENTIALS":         ProviderGCP,
	"GCLOUD_SERVICE_KEY":                     ProviderGCP,
	"GCP_SERVICE_ACCOUNT_KEY":                ProviderGCP,
	"GCP_SA_KEY":                             ProviderGCP,
	"CLOUDSDK_AUTH_CREDENTIAL_FILE_OVERRIDE": ProviderGCP,
	"ARM_CLIENT_SECRET":                      ProviderAzure,
	"AZURE_CLIENT_SECRET":                    ProviderAzure,
	"AZURE_CREDENTIALS":                      ProviderAzure,
}

// CloudKeyEnvProvider returns the provider whose static key an environment
// variable carries, or "".
func CloudKeyEnvProvider(name string) string {
	return CloudKeyEnv[strings.ToUpper(strings.TrimSpace(name))]
}
