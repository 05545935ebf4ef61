package rules

import (
	"strconv"

	"github.com/isolint/isolint/model"
)

// describeSecret names a secret reference for messages (names only, never
// values): `Secret "db" key "password"`.
func describeSecret(s *model.SecretRef) string {
	var what string
	switch s.Store {
	case model.StoreK8sSecret:
		what = "Secret " + strconv.Quote(s.Name)
	case model.StoreAWSSecrets:
		what = "Secrets Manager secret " + strconv.Quote(s.Name)
	case model.StoreAWSParameter:
		what = "SSM parameter " + strconv.Quote(s.Name)
	case model.StoreGCPSecret:
		what = "Secret Manager secret " + strconv.Quote(s.Name)
	case model.StoreCISecrets:
		what = "secret " + s.Name
	case model.StoreComposeSecret:
		what = "Compose secret " + strconv.Quote(s.Name)
	default:
		what = "secret " + strconv.Quote(s.Name)
	}
	if s.Key != "" {
		what += " key " + strconv.Quote(s.Key)
	}
	return what
}
