package model

// EnvVar is one environment variable handed to a container or step.
//
// Value holds a literal value when one is written. It is kept only so that
// rules can judge it (is it a credential?); no output ever prints it.
type EnvVar struct {
	Name  string
	Loc   Location // the variable's name key
	Value String   // literal value, when written

	// Secret is set when the value is delivered from a secret store
	// (a Kubernetes Secret key, AWS Secrets Manager, `${{ secrets.X }}`).
	Secret *SecretRef
	// FromVar names the variable a value is interpolated from
	// (compose `${DB_PASSWORD}`, gitlab `$TOKEN`), when the value is only that.
	FromVar string
}

// SecretStore names where a secret lives.
type SecretStore string

const (
	StoreK8sSecret      SecretStore = "kubernetes-secret"
	StoreAWSSecrets     SecretStore = "aws-secrets-manager"
	StoreAWSParameter   SecretStore = "aws-ssm-parameter"
	StoreGCPSecret      SecretStore = "gcp-secret-manager"
	StoreCISecrets      SecretStore = "ci-secrets"
	StoreComposeSecret  SecretStore = "compose-secret"
	StoreEnvironmentVar SecretStore = "environment" // interpolated from the caller's environment
)

// SecretRef points at a secret in a store.
type SecretRef struct {
	Store SecretStore
	Name  string // the secret object (k8s Secret name, ARN, secrets.NAME)
	Key   string // the key inside it, when there is one
	Loc   Location
}

// ID identifies the secret for grouping: store/name/key.
func (s *SecretRef) ID() string { return string(s.Store) + "/" + s.Name + "/" + s.Key }

// EnvSourceKind says what an EnvSource pushes into the environment.
type EnvSourceKind string

const (
	EnvFromSecret     EnvSourceKind = "secret"      // k8s envFrom.secretRef
	EnvFromConfigMap  EnvSourceKind = "configmap"   // k8s envFrom.configMapRef
	EnvFromFile       EnvSourceKind = "env-file"    // compose env_file
	EnvFromAllSecrets EnvSourceKind = "all-secrets" // gha toJSON(secrets)
)

// EnvSource pushes many variables into the environment at once.
type EnvSource struct {
	Kind   EnvSourceKind
	Name   string // secret or config map name, env file path
	Prefix string
	Loc    Location
	// Keys are the variable names the source is known to hold (an env file
	// that could be read); empty when unknown.
	Keys []string
	// CredentialKeys are the Keys whose value (in an env file) has a
	// credential's shape, with its kind (TokenKind); never the value.
	CredentialKeys map[string]string
	// FromFlag: the source is a container engine's --env-file flag on a
	// command line (docker run --env-file FILE).
	FromFlag bool
}

// SecretKeys are the Keys that hold secrets: by their name, or by a value
// with a credential's shape (CredentialKeys), in the order of Keys.
func (s *EnvSource) SecretKeys() []string {
	var out []string
	for _, k := range s.Keys {
		if IsSecretName(k) || s.CredentialKeys[k] != "" {
			out = append(out, k)
		}
	}
	return out
}
