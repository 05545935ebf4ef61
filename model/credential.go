package model

import (
	"path"
	"regexp"
	"strings"
	"unicode"
)

// Credential facts shared by every scanner and rule: does a variable name
// say "secret", does a value look like a known token, is a value only a
// placeholder. Nothing here returns or stores the value itself.

// secretWords are name parts that on their own mark a secret.
var secretWords = map[string]bool{
	"PASSWORD": true, "PASSWORDS": true, "PASSWD": true, "PASSPHRASE": true,
	"SECRET": true, "SECRETS": true, "TOKEN": true, "TOKENS": true,
	"CREDENTIAL": true, "CREDENTIALS": true, "CREDS": true,
	"APIKEY": true, "PRIVATEKEY": true, "ACCESSKEY": true, "SECRETKEY": true,
	"AUTHTOKEN": true, "ACCESSTOKEN": true, "CLIENTSECRET": true,
	"CONNECTIONSTRING": true,
}

// keyQualifiers make "…_KEY" a secret: API_KEY, ACCESS_KEY, SIGNING_KEY.
var keyQualifiers = map[string]bool{
	"API": true, "ACCESS": true, "PRIVATE": true, "SECRET": true, "SIGNING": true,
	"ENCRYPTION": true, "MASTER": true, "AUTH": true, "LICENSE": true,
	"ACCOUNT": true, "SHARED": true, "HMAC": true, "SERVICE": true, "SESSION": true,
	"ENCRYPT": true, "CIPHER": true, "DECRYPTION": true,
}

// notSecretSuffixes end names that only describe a secret: where it is, what
// it is called, how it behaves (PASSWORD_FILE, TOKEN_URL, SECRET_NAME).
var notSecretSuffixes = map[string]bool{
	"FILE": true, "FILES": true, "PATH": true, "DIR": true, "URL": true, "URI": true,
	"ENDPOINT": true, "HOST": true, "PORT": true, "NAME": true, "NAMES": true,
	"REF": true, "ID": true, "IDS": true, "ARN": true, "HEADER": true, "ENABLED": true,
	"ENABLE": true, "DISABLED": true, "DISABLE": true, "TTL": true, "EXPIRY": true,
	"EXPIRES": true, "EXPIRATION": true, "LENGTH": true, "LEN": true, "TYPE": true,
	"MODE": true, "POLICY": true, "FIELD": true, "PARAM": true, "PREFIX": true,
	"SUFFIX": true, "COUNT": true, "MIN": true, "MAX": true, "SIZE": true,
	"TIMEOUT": true, "LOCATION": true, "VERSION": true, "ALGORITHM": true,
	"ALG": true, "FORMAT": true, "REQUIRED": true, "RESET": true, "ROTATION": true,
	"AUDIENCE": true, "ISSUER": true, "SCOPE": true, "SCOPES": true, "CACHE": true,
	"STORE": true, "BACKEND": true, "PROVIDER": true, "KIND": true, "MOUNT": true,
	"KEY": false, "SOURCE": true, "REGION": true, "LIFETIME": true, "DURATION": true,
	"INTERVAL": true, "PERIOD": true, "ATTEMPTS": true, "RETRIES": true, "COMMAND": true,
	"CMD": true, "HINT": true, "POLICIES": true, "RULES": true, "COMPLEXITY": true,
	"STRENGTH": true, "ENV": true, "VAR": true, "VARIABLE": true, "USER": true,
	"USERNAME": true, "LOGIN": true, "EMAIL": true,
}

// passVerbs follow PASS or PWD where the word is a verb or a directory,
// not a password: PASS_THROUGH, PASS_FAIL, PASS_ENV, PWD_ORIG.
var passVerbs = map[string]bool{
	"THROUGH": true, "THRU": true, "FAIL": true, "FAILED": true, "RATE": true,
	"THRESHOLD": true, "ENV": true, "ARGS": true, "ARG": true, "ON": true,
	"ALONG": true, "TO": true, "HEADERS": true, "ORIG": true, "OLD": true,
	"PERCENT": true, "SCORE": true, "MARK": true, "STATUS": true,
}

// SplitName splits a variable name into upper-case words at '_', '-', '.',
// and lower-to-upper case changes: "dbPassword" → [DB PASSWORD].
func SplitName(name string) []string {
	var words []string
	var cur []rune
	flush := func() {
		if len(cur) > 0 {
			words = append(words, strings.ToUpper(string(cur)))
			cur = cur[:0]
		}
	}
	prevLower := false
	for _, r := range name {
		switch {
		case r == '_' || r == '-' || r == '.' || r == ' ' || r == '/':
			flush()
			prevLower = false
			continue
		case unicode.IsUpper(r) && prevLower:
			flush()
		}
		cur = append(cur, r)
		prevLower = unicode.IsLower(r) || unicode.IsDigit(r)
	}
	flush()
	return words
}

// IsSecretName reports whether a variable or key name says it holds a
// secret: DB_PASSWORD, GITHUB_TOKEN, stripeApiKey, AWS_SECRET_ACCESS_KEY,
// DB_PASS_BD, PWD_ADMIN; not PASSWORD_FILE, TOKEN_URL, SECRET_NAME,
// AWS_ACCESS_KEY_ID, PWD, PASS_THROUGH, PASSENGER, BYPASS_CACHE (PASS must be
// a whole word).
func IsSecretName(name string) bool {
	words := SplitName(name)
	if len(words) == 0 {
		return false
	}
	last := words[len(words)-1]
	if notSecretSuffixes[last] {
		return false
	}
	if len(words) == 1 && (last == "PWD" || last == "OLDPWD" || last == "PASS") {
		return false // the shell's working directory, or a bare verb
	}
	for i, w := range words {
		if secretWords[w] {
			return true
		}
		if w == "KEY" && i > 0 && keyQualifiers[words[i-1]] {
			return true
		}
		if (w == "PASS" || w == "PWD" || w == "PW") && i == len(words)-1 {
			return true // DB_PASS, SMTP_PWD
		}
		if (w == "PASS" || w == "PWD") && !passVerbs[words[i+1]] {
			return true // DB_PASS_BD, PWD_ADMIN, SMTP_PASS_2; not PASS_THROUGH
		}
	}
	return false
}

// tokenPattern is a credential format recognisable by its shape alone.
// need lists literals of which any match holds at least one: a value
// holding none of them is not tried against re. The patterns start with
// \b, which keeps Go's regexp from looking for a literal prefix first, and
// every value of every scanned file passes here.
type tokenPattern struct {
	kind string
	need []string
	re   *regexp.Regexp
}

var tokenPatterns = []tokenPattern{
	{"private key", []string{"-----BEGIN "}, regexp.MustCompile(`-----BEGIN (?:RSA |EC |DSA |OPENSSH |ENCRYPTED |PGP )?PRIVATE KEY(?: BLOCK)?-----`)},
	{"AWS access key ID", []string{"AKIA", "ASIA", "ABIA", "ACCA"}, regexp.MustCompile(`\b(?:AKIA|ASIA|ABIA|ACCA)[A-Z2-7]{16}\b`)},
	{"GitHub token", []string{"ghp_", "gho_", "ghu_", "ghs_", "ghr_", "github_pat_"}, regexp.MustCompile(`\b(?:gh[pousr]_[A-Za-z0-9]{36,}|github_pat_[A-Za-z0-9_]{50,})\b`)},
	{"GitLab token", []string{"glpat-", "glptt-", "gldt-", "glrt-", "glcbt-", "gloas-", "glsoat-"}, regexp.MustCompile(`\b(?:glpat|glptt|gldt|glrt|glcbt|gloas|glsoat)-[A-Za-z0-9_\-]{20,}`)},
	{"Slack token", []string{"xox"}, regexp.MustCompile(`\bxox[abposr]-[A-Za-z0-9-]{10,}`)},
	{"Slack webhook URL", []string{"https://hooks.slack.com/services/T"}, regexp.MustCompile(`https://hooks\.slack\.com/services/T[A-Za-z0-9_]+/B[A-Za-z0-9_]+/[A-Za-z0-9_]+`)},
	{"Stripe key", []string{"_live_", "_test_"}, regexp.MustCompile(`\b(?:sk|rk)_(?:live|test)_[A-Za-z0-9]{16,}`)},
	{"Google API key", []string{"AIza"}, regexp.MustCompile(`\bAIza[0-9A-Za-z_\-]{35}\b`)},
	{"OpenAI API key", []string{"sk-"}, regexp.MustCompile(`\bsk-(?:proj-|svcacct-|admin-)?[A-Za-z0-9_\-]{20,}T3BlbkFJ[A-Za-z0-9_\-]{20,}|\bsk-(?:proj|svcacct|admin)-[A-Za-z0-9_\-]{40,}`)},
	{"Anthropic API key", []string{"sk-ant-"}, regexp.MustCompile(`\bsk-ant-(?:api|admin)\d{2}-[A-Za-z0-9_\-]{80,}`)},
	{"npm token", []string{"npm_"}, regexp.MustCompile(`\bnpm_[A-Za-z0-9]{36}\b`)},
	{"SendGrid API key", []string{"SG."}, regexp.MustCompile(`\bSG\.[A-Za-z0-9_\-]{22}\.[A-Za-z0-9_\-]{43}\b`)},
	{"Azure storage account key", []string{"AccountKey="}, regexp.MustCompile(`AccountKey=[A-Za-z0-9+/]{80,}={0,2}`)},
	{"JSON web token", []string{"eyJ"}, regexp.MustCompile(`\beyJ[A-Za-z0-9_\-]{10,}\.eyJ[A-Za-z0-9_\-]{10,}\.[A-Za-z0-9_\-]{10,}`)},
}

// connString matches a URL whose user info carries a password:
// scheme://user:password@host. The password group is judged separately.
var connString = regexp.MustCompile(`\b[A-Za-z][A-Za-z0-9+.\-]*://[^:/@\s]*:([^@/\s]+)@[^\s]`)

// TokenKind names the credential format a value contains ("GitHub token"),
// or "" when none is recognised. It never returns any part of the value.
func TokenKind(value string) string {
	if len(value) < 8 {
		return ""
	}
	for _, p := range tokenPatterns {
		if !containsAny(value, p.need) {
			continue
		}
		if loc := p.re.FindStringIndex(value); loc != nil {
			if IsPlaceholder(value[loc[0]:loc[1]]) {
				continue
			}
			return p.kind
		}
	}
	if !strings.Contains(value, "://") || !strings.Contains(value, "@") {
		return ""
	}
	if m := connString.FindStringSubmatch(value); m != nil && !IsPlaceholder(m[1]) {
		return "connection string with a password"
	}
	return ""
}

func containsAny(s string, subs []string) bool {
	for _, sub := range subs {
		if strings.Contains(s, sub) {
			return true
		}
	}
	return false
}

// placeholderWords mark a placeholder wherever they appear in a value
// (AKIAIOSFODNN7EXAMPLE, changeme123): five letters or more, or with a
// separator, they are next to never part of a random token.
var placeholderWords = []string{
	"changeme", "change-me", "change_me", "replaceme", "replace-me", "replace_me",
	"example", "sample", "dummy", "placeholder", "redacted", "notasecret",
	"not-a-secret", "your-", "your_", "yourpassword", "xxxx", "****",
	"fixme", "insert",
}

// placeholderAffixes mark a placeholder only as a word of the value, or
// at a word's start or end (TBD, fake-token, mockpassword, password_todo):
// short enough to occur by chance inside a random token
// (AKIA2OGYBAH6TBDMNXNN, ghp_R8mockq2…), where they say nothing.
var placeholderAffixes = []string{"todo", "tbd", "fake", "mock"}

var placeholderExact = map[string]bool{
	"": true, "-": true, "~": true, "null": true, "nil": true, "none": true,
	"n/a": true, "na": true, "true": true, "false": true, "yes": true, "no": true,
	"on": true, "off": true, "''": true, `""`: true,
	"test": true, "testing": true, "unset": true, "empty": true, "undefined": true,
	"disabled": true, "enabled": true, "required": true, "optional": true,
}

// IsPlaceholder reports whether a value is not a real credential: empty,
// an interpolation (${X}, $(X), {{ … }}, $X), a reference to a secret store,
// a file path, a boolean, or an obvious placeholder (changeme, <token>, xxxx).
func IsPlaceholder(value string) bool {
	v := strings.TrimSpace(value)
	lower := strings.ToLower(v)
	if placeholderExact[lower] || len(v) < 3 {
		return true
	}
	if strings.Contains(v, "${") || strings.Contains(v, "$(") || strings.Contains(v, "{{") ||
		strings.Contains(v, "<%") || strings.Contains(v, "#{") || strings.Contains(v, "%(") ||
		strings.Contains(v, "${{") || strings.HasPrefix(v, "$") || strings.HasPrefix(v, "%") {
		return true
	}
	for _, p := range []string{"vault:", "ref+", "enc[", "arn:aws:secretsmanager:", "arn:aws:ssm:", "sm://", "secretmanager://", "gcp:secretmanager:", "azurekeyvault", "@microsoft.keyvault", "projects/"} {
		if strings.HasPrefix(lower, p) {
			return true
		}
	}
	if (strings.HasPrefix(v, "/") || strings.HasPrefix(v, "./") || strings.HasPrefix(v, "~/")) && !strings.ContainsAny(v, " \t") {
		return true
	}
	for _, w := range placeholderWords {
		if strings.Contains(lower, w) {
			return true
		}
	}
	if hasPlaceholderAffix(lower) {
		return true
	}
	if strings.HasPrefix(v, "<") && strings.HasSuffix(v, ">") {
		return true
	}
	return allSame(v)
}

// hasPlaceholderAffix reports a word of s (a run of letters and digits)
// that starts or ends with one of placeholderAffixes.
func hasPlaceholderAffix(lower string) bool {
	words := strings.FieldsFunc(lower, func(r rune) bool {
		return !unicode.IsLetter(r) && !unicode.IsDigit(r)
	})
	for _, w := range words {
		for _, a := range placeholderAffixes {
			if strings.HasPrefix(w, a) || strings.HasSuffix(w, a) {
				return true
			}
		}
	}
	return false
}

func allSame(s string) bool {
	for i := 1; i < len(s); i++ {
		if s[i] != s[0] {
			return false
		}
	}
	return true
}

// LiteralCredential judges a name/value pair written as a literal. It returns
// what the value is ("GitHub token", "value of a secret-named variable") and
// whether the judgement rests on the value's own shape (strong) or only on
// the name (weak). ok is false when the value is no credential.
func LiteralCredential(name, value string) (kind string, strong, ok bool) {
	if k := TokenKind(value); k != "" {
		return k, true, true
	}
	if IsSecretName(name) && !IsPlaceholder(value) && !isNumberOrFlag(value) && !IsSecretReferenceList(value) {
		return "literal value of a secret-named variable", false, true
	}
	return "", false, false
}

// secretRefLine is one entry of a list that maps environment variables to
// places in a secret store: ANTHROPIC_API_KEY=anthropic:api-key,
// DB_PASSWORD=path/to/secret#key (the name, then a reference holding a
// store separator :, / or #, no spaces); or HashiCorp's vault-action form
// `secret/data/ci token | NPM_TOKEN`.
var secretRefLine = regexp.MustCompile(`^(?:[A-Za-z_][A-Za-z0-9_]*\s*=\s*[A-Za-z0-9_.@\-]+(?:[:/#][A-Za-z0-9_.@\-]+)+|[A-Za-z0-9_.\-]+(?:/[A-Za-z0-9_.\-]+)+\s+[A-Za-z0-9_.\-]+\s*\|\s*[A-Za-z_][A-Za-z0-9_]*)\s*;?$`)

// IsSecretReferenceList reports a value that lists where secrets are
// (a secret manager's paths, one per line or separated by commas), not
// any secret itself: `repo_secrets: ANTHROPIC_API_KEY=anthropic:api-key`.
func IsSecretReferenceList(value string) bool {
	n := 0
	for _, line := range strings.FieldsFunc(value, func(r rune) bool { return r == '\n' || r == ',' }) {
		line = strings.TrimSpace(line)
		if line == "" {
			continue
		}
		if !secretRefLine.MatchString(line) {
			return false
		}
		n++
	}
	return n > 0
}

// localDefaults are passwords that dev stacks' images and templates use
// for services reachable only on the developer's machine (the postgres
// image's documented example, MinIO's and RabbitMQ's defaults …).
var localDefaults = map[string]bool{
	"postgres": true, "postgresql": true, "password": true, "passw0rd": true, "root": true,
	"admin": true, "secret": true, "mysql": true, "mariadb": true, "redis": true, "guest": true,
	"rabbitmq": true, "pass": true, "dev": true, "development": true, "devpassword": true,
	"local": true, "localdev": true, "docker": true, "keycloak": true, "minio": true,
	"minioadmin": true, "minio123": true, "mongo": true, "mongodb": true, "elastic": true,
	"changeit": true, "vscode": true, "app": true, "user": true, "password123": true,
	"admin123": true, "secret123": true, "test123": true, "p@ssw0rd": true, "devcontainer": true,
}

// IsLocalDefault reports a well-known default password of a local dev
// stack (POSTGRES_PASSWORD: postgres).
func IsLocalDefault(value string) bool {
	return localDefaults[strings.ToLower(strings.TrimSpace(value))]
}

// IsDevContainerFile reports a file of a dev container definition: one
// under a .devcontainer/ folder (its Compose file, its env files).
func IsDevContainerFile(file string) bool {
	return strings.Contains("/"+strings.ReplaceAll(file, "\\", "/"), "/.devcontainer/")
}

func isNumberOrFlag(v string) bool {
	v = strings.TrimSpace(v)
	if len(v) > 5 {
		return false
	}
	for _, r := range v {
		if !unicode.IsDigit(r) {
			return false
		}
	}
	return true
}

// envFileExts are file name parts that only say "this is an env file".
var envFileExts = map[string]bool{
	"env": true, "txt": true, "ini": true, "conf": true, "cfg": true, "properties": true,
	"list": true, "local": true, "file": true, "dotenv": true,
}

// IsSecretFileName reports whether an env file's path says it holds
// secrets, by its name or its directory's: secrets.env, .env.secret,
// db_password.txt, secrets/app.env; not .env, app.env, token_url.env.
func IsSecretFileName(p string) bool {
	p = path.Clean(strings.ReplaceAll(p, "\\", "/"))
	return secretFilePart(path.Base(p)) || secretFilePart(path.Base(path.Dir(p)))
}

func secretFilePart(name string) bool {
	var words []string
	for _, part := range strings.Split(name, ".") {
		if part != "" && !envFileExts[strings.ToLower(part)] {
			words = append(words, part)
		}
	}
	return len(words) > 0 && IsSecretName(strings.Join(words, "_"))
}

// credentialHeaders are HTTP headers whose value is a credential whatever
// it looks like.
var credentialHeaders = map[string]bool{"AUTHORIZATION": true, "PROXY-AUTHORIZATION": true, "COOKIE": true}

// authSchemes are the schemes an Authorization value starts with.
var authSchemes = []string{"bearer ", "basic ", "token ", "bot ", "apikey ", "api-key ", "digest ", "negotiate "}

// HeaderCredential judges an HTTP header written as a literal (an MCP
// server's `headers`), as LiteralCredential judges a variable: a value with
// a token's shape (strong), or the non-placeholder value of a header that
// carries a credential by its name (Authorization, Cookie, X-API-Key,
// X-Auth-Token …), its scheme (`Bearer `) set aside (weak).
func HeaderCredential(name, value string) (kind string, strong, ok bool) {
	if k := TokenKind(value); k != "" {
		return k, true, true
	}
	if !credentialHeaders[strings.ToUpper(strings.TrimSpace(name))] && !IsSecretName(name) {
		return "", false, false
	}
	v := strings.TrimSpace(value)
	for _, s := range authSchemes {
		if len(v) > len(s) && strings.EqualFold(v[:len(s)], s) {
			v = strings.TrimSpace(v[len(s):])
			break
		}
	}
	if len(v) < 8 || IsPlaceholder(v) {
		return "", false, false
	}
	return "literal value of a credential header", false, true
}
