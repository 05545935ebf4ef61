package model

import (
	"strings"
	"testing"
)

// tokenKindUnfiltered is TokenKind without the literal prefilter: every
// pattern tried on every value.
func tokenKindUnfiltered(value string) string {
	if len(value) < 8 {
		return ""
	}
	for _, p := range tokenPatterns {
		if loc := p.re.FindStringIndex(value); loc != nil {
			if IsPlaceholder(value[loc[0]:loc[1]]) {
				continue
			}
			return p.kind
		}
	}
	if m := connString.FindStringSubmatch(value); m != nil && !IsPlaceholder(m[1]) {
		return "connection string with a password"
	}
	return ""
}

// tokenSamples holds one value of each recognised format (made up, of the
// right shape) and near misses.
var tokenSamples = map[string]string{
	"-----BEGIN OPENSSH PRIVATE KEY-----\nb3BlbnNzaC1rZXk\n-----END OPENSSH PRIVATE KEY-----": "private key",
	"AKIAQ3EGRV7YHJ2KZ4WB":                     "AWS access key ID",
	"key=ASIAQ3EGRV7YHJ2KZ4WB;":                "AWS access key ID",
	"ghp_R8kQ2vX9mZ4wL7nB3cF6hJ1tY5pD0sG8aE42": "GitHub token",
	"github_pat_11ABCDEFG0123456789_abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUV": "GitHub token",
	"glpat-xK9mZ4wL7nB3cF6hJ1tY":                                                                   "GitLab token",
	"xoxb-1234567890-abcdefghij":                                                                   "Slack token",
	"https://hooks.slack.com/services/T0123/B0456/abcXYZ":                                          "Slack webhook URL",
	"sk_live_4eC39HqLyjWDarjtT1zdp7dc":                                                             "Stripe key",
	"AIzaSyD3x9mZ4wL7nB3cF6hJ1tY5pD0sG8aE4Qw":                                                      "Google API key",
	"sk-proj-" + strings.Repeat("aB3", 15):                                                         "OpenAI API key",
	"sk-abcdefghijklmnopqrstT3BlbkFJabcdefghijklmnopqrst":                                          "OpenAI API key",
	"sk-ant-api03-" + strings.Repeat("xY9_", 21):                                                   "Anthropic API key",
	"npm_" + strings.Repeat("a1B2", 9):                                                             "npm token",
	"SG." + strings.Repeat("a", 22) + "." + strings.Repeat("B", 43):                                "SendGrid API key",
	"DefaultEndpointsProtocol=https;AccountName=x;AccountKey=" + strings.Repeat("Ab9+", 22) + "==": "Azure storage account key",
	"eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.dozjgNryP4J3jVmNHl0w5N_XgL0n3I9PlFUP0THsR8U": "JSON web token",
	"postgres://app:s3cr3tP4ss@db.internal:5432/app":                                               "connection string with a password",
	"postgres://app:${DB_PASSWORD}@db.internal/app":                                                "",
	"https://example.com/path?q=1":                                                                 "",
	"user@example.com":                                                                             "",
	"AKIAEXAMPLEEXAMPLEEX":                                                                         "",
	// a short placeholder word inside a token's random part is chance
	"AKIA2OGYBAH6TBDMNXNN":                     "AWS access key ID",
	"ghp_R8mockq2Lk9ZtVb3nXw7YcD1fHsJ4uPa6Ee0": "GitHub token",
	"glpat-xK9mZ4wfakeL7nB3cF6hJ1tY":           "GitLab token",
	// AWS's documented example; placeholder words as words
	"AKIAIOSFODNN7EXAMPLE":                         "",
	"xoxb-your-slack-token-here":                   "",
	"xoxb-1234567890-fake-token":                   "",
	"glpat-TODOxK9mZ4wL7nB3cF6hJ1":                 "",
	"ghp_xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx": "",
	"registry.example.com/team-15/app-0515:1.14.0": "",
	"--listen=:8080":                               "",
	"db.team-15.svc.cluster.local":                 "",
}

func TestTokenKind(t *testing.T) {
	for v, want := range tokenSamples {
		if got := TokenKind(v); got != want {
			t.Errorf("TokenKind(%.30q…) = %q, want %q", v, got, want)
		}
		if got := tokenKindUnfiltered(v); got != want {
			t.Errorf("unfiltered TokenKind(%.30q…) = %q, want %q", v, got, want)
		}
	}
}

// FuzzTokenKind checks that the literal prefilter never changes an answer.
func FuzzTokenKind(f *testing.F) {
	for v := range tokenSamples {
		f.Add(v)
		f.Add("x " + v + " y")
	}
	f.Fuzz(func(t *testing.T, v string) {
		if got, want := TokenKind(v), tokenKindUnfiltered(v); got != want {
			t.Fatalf("TokenKind(%q) = %q, without the prefilter %q", v, got, want)
		}
	})
}
