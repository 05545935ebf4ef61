package model

import (
	"slices"
	"testing"
)

// An env source's secret keys are those named like secrets and those whose
// value the scanner found shaped like a credential, in the order of Keys.
func TestEnvSourceSecretKeys(t *testing.T) {
	s := &EnvSource{Keys: []string{"LOG_LEVEL", "DATABASE_URL", "DB_PASSWORD", "PORT"},
		CredentialKeys: map[string]string{"DATABASE_URL": "a URL with a password"}}
	if got := s.SecretKeys(); !slices.Equal(got, []string{"DATABASE_URL", "DB_PASSWORD"}) {
		t.Errorf("SecretKeys = %q", got)
	}
}
