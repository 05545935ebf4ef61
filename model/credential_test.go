package model

import "testing"

func TestIsSecretName(t *testing.T) {
	for name, want := range map[string]bool{
		"DB_PASSWORD": true, "GITHUB_TOKEN": true, "stripeApiKey": true,
		"PASSWD": true, "DB_PASSWD": true, "DB_PASS": true, "SMTP_PWD": true,
		// PASS and PWD are passwords in any position, as whole words
		"DB_PASS_BD": true, "PASS_DB": true, "PWD_ADMIN": true, "SMTP_PASS_2": true, "passDb": true,
		// not a password: another word, a verb, a file, the working directory
		"PASSENGER": false, "BYPASS_CACHE": false, "COMPASS_HEADING": false,
		"PASS_THROUGH": false, "PASS_FAIL_THRESHOLD": false, "PASSWD_FILE": false,
		"PWD": false, "OLDPWD": false, "PASS": false, "PWD_DIR": false,
	} {
		if got := IsSecretName(name); got != want {
			t.Errorf("IsSecretName(%q) = %v, want %v", name, got, want)
		}
	}
}
