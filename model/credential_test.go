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

func TestIsSecretReferenceList(t *testing.T) {
	for v, want := range map[string]bool{
		"ANTHROPIC_API_KEY=anthropic:api-key":                       true,
		"DB_PASSWORD=path/to/secret#key\nAPI_KEY=ci/api#key\n":      true,
		"secret/data/ci npm_token | NPM_TOKEN ;":                    true,
		"A=x:y, B=z/w":                                              true,
		"hunter2-but-longer":                                        false,
		"DB_PASSWORD=hunter2-but-longer":                            false,
		"ANTHROPIC_API_KEY=anthropic:api-key\nTOKEN=plain-text-val": false,
	} {
		if got := IsSecretReferenceList(v); got != want {
			t.Errorf("IsSecretReferenceList(%q) = %v, want %v", v, got, want)
		}
	}
}

// Placeholder words longer than four letters count anywhere in a value;
// the short ones (todo, tbd, fake, mock) only as a word, or at a word's
// start or end: inside a random string they are chance.
func TestIsPlaceholder(t *testing.T) {
	for v, want := range map[string]bool{
		"changeme": true, "changeme123": true, "my-example-key": true, "AKIAIOSFODNN7EXAMPLE": true,
		"TBD": true, "todo": true, "fake-token": true, "mockpassword": true, "password_todo": true,
		"xxxxxxxx": true, "<token>": true, "${DB_PASSWORD}": true,
		"Vq7TbDx-9Lm2-Rk4": false, "AKIA2OGYBAH6TBDMNXNN": false, "R8mockq2Lk9ZtVb3": false,
		"k9Rtodo4Lm2Zq": false, "hunter2-but-longer": false,
	} {
		if got := IsPlaceholder(v); got != want {
			t.Errorf("IsPlaceholder(%q) = %v, want %v", v, got, want)
		}
	}
}
