package rules

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/isolint/isolint/model"
	"github.com/isolint/isolint/scanners/compose"
	"github.com/isolint/isolint/source"
)

// Compose services lowered by the real Compose scanner: what the fixture
// harness does not see (confidence, severity, related locations, values
// kept out of messages).

// scanCompose writes compose.yaml and side files (name, content pairs) into
// a temporary root and checks every rule on it.
func scanCompose(t *testing.T, content string, side ...string) []Finding {
	t.Helper()
	root := t.TempDir()
	for i := 0; i+1 < len(side); i += 2 {
		if err := os.WriteFile(filepath.Join(root, side[i]), []byte(side[i+1]), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	proj := compose.Scan(&source.File{Path: "compose.yaml", Abs: filepath.Join(root, "compose.yaml"), Root: root, Content: []byte(content)})
	for _, n := range proj.Notices {
		t.Fatalf("unexpected notice %s: %s", n.Loc, n.Message)
	}
	return Run(All(), proj, Options{})
}

func TestComposeConfidence(t *testing.T) {
	fs := scanCompose(t, `services:
  explicit:
    image: x
    user: root
    read_only: true
  image:
    image: x
    read_only: true
  creds:
    image: x
    user: "1000"
    read_only: true
    environment:
      GITHUB_TOKEN: ghp_0123456789abcdefghijABCDEFGHIJ012345
      DB_PASSWORD: correct-horse-battery
    volumes:
      - ${SOCK}:/var/run/docker.sock
      - /etc:/host/etc
      - /etc/ssl:/host/ssl:ro
`)
	for _, c := range []struct {
		rule string
		line int
		conf Confidence
		sev  Severity
	}{
		{"runs-as-root", 4, ConfidenceHigh, Medium},
		{"runs-as-root", 6, ConfidenceLow, Medium},
		{"privilege-escalation", 2, ConfidenceHigh, Medium},
		{"privilege-escalation", 6, ConfidenceLow, Medium},
		{"literal-credential", 14, ConfidenceHigh, Critical},
		{"literal-credential", 15, ConfidenceMedium, Critical},
		{"container-runtime-socket", 17, ConfidenceLow, Critical},
		{"host-path-mount", 18, ConfidenceHigh, High},
		{"host-path-mount", 19, ConfidenceHigh, Medium},
	} {
		f := atLine(t, fs, c.rule, c.line)
		if f.Confidence != c.conf || f.Severity != c.sev {
			t.Errorf("%s line %d: %s/%s, want %s/%s", c.rule, c.line, f.Severity, f.Confidence, c.sev, c.conf)
		}
	}
	if n := len(ofRule(fs, "privilege-escalation")); n != 2 {
		t.Errorf("%d privilege-escalation findings, want 2 (a non-root service is not reported)", n)
	}
}

// TestComposeRelated: a finding on an inherited or interpolated key names
// where the value came from.
func TestComposeRelated(t *testing.T) {
	fs := scanCompose(t, `x-base: &base
  privileged: true
services:
  a:
    <<: *base
    image: x
    user: ${RUN_AS}
    read_only: true
  b:
    extends: a
`, ".env", "RUN_AS=root\n")
	related := func(f Finding) string {
		var s []string
		for _, r := range f.Related {
			s = append(s, r.Loc.String()+" "+r.Message)
		}
		return strings.Join(s, "; ")
	}
	for _, c := range []struct {
		rule, object string
		line         int
		want         string
	}{
		{"privileged-container", "service/a", 2, "compose.yaml:5:5 merged from anchor &base here"},
		{"privileged-container", "service/b", 2, "compose.yaml:5:5 merged from anchor &base here; compose.yaml:10:5 inherited by service b through extends"},
		{"runs-as-root", "service/a", 7, ".env:1:1 RUN_AS is set in .env"},
		{"runs-as-root", "service/b", 7, "compose.yaml:10:5 inherited by service b through extends; .env:1:1 RUN_AS is set in .env"},
	} {
		found := false
		for _, f := range ofRule(fs, c.rule) {
			if f.Object == c.object && f.Loc.Line == c.line {
				found = true
				if got := related(f); got != c.want {
					t.Errorf("%s %s: related %q, want %q", c.rule, c.object, got, c.want)
				}
			}
		}
		if !found {
			t.Errorf("no %s finding for %s on line %d", c.rule, c.object, c.line)
		}
	}
}

// TestComposeNoValueInMessages: values from the compose file, its .env and
// its env files never reach a message or a related location.
func TestComposeNoValueInMessages(t *testing.T) {
	secrets := []string{
		"ghp_0123456789abcdefghijABCDEFGHIJ012345", "Sup3rS3cretPw", "hunter2hunter2",
		"correct-horse-battery", "dotenv-s3cret-value", "envfile-s3cret-value", "s3cr3t-t0ken-value",
	}
	fs := scanCompose(t, `services:
  a:
    image: x
    user: ${APP_USER}
    privileged: ${PRIV}
    environment:
      GITHUB_TOKEN: ghp_0123456789abcdefghijABCDEFGHIJ012345
      DATABASE_URL: "postgres://u:Sup3rS3cretPw@db/app"
      dbPassword: correct-horse-battery
      API_KEY: ${API_KEY}
    env_file: [secrets.env]
    command: [--db-password=hunter2hunter2, --token, s3cr3t-t0ken-value]
`, ".env", "APP_USER=root\nPRIV=true\nAPI_KEY=dotenv-s3cret-value\n", "secrets.env", "DB_PASSWORD=envfile-s3cret-value\n")
	for _, rule := range []string{"literal-credential", "secret-env-var", "secret-env-bulk", "runs-as-root", "privileged-container"} {
		if len(ofRule(fs, rule)) == 0 {
			t.Errorf("no %s finding", rule)
		}
	}
	if n := len(ofRule(fs, "literal-credential")); n != 5 {
		t.Errorf("%d literal-credential findings, want 5 (a value from .env is not a literal of the file)", n)
	}
	for _, f := range fs {
		texts := []string{f.Message, f.Loc.Path, f.Object}
		for _, r := range f.Related {
			texts = append(texts, r.Message, r.Loc.Path)
		}
		for _, s := range texts {
			for _, v := range secrets {
				if strings.Contains(s, v) {
					t.Errorf("%s: %q contains a value", f.RuleID, s)
				}
			}
		}
	}
}

// TestDevContainerLocalDefault: a well-known local default password in a
// dev container's Compose file is low severity and confidence; the same
// value elsewhere, and a real-looking value there, are not.
func TestDevContainerLocalDefault(t *testing.T) {
	src := `services:
  db:
    image: postgres:16
    environment:
      POSTGRES_PASSWORD: postgres
      REPLICA_PASSWORD: Vq7-Lm2-Xc9-Rt4
`
	for _, c := range []struct {
		path string
		sev  Severity
		conf Confidence
	}{{".devcontainer/docker-compose.yml", Low, ConfidenceLow}, {"docker-compose.yml", Critical, ConfidenceMedium}} {
		root := t.TempDir()
		proj := compose.Scan(&source.File{Path: c.path, Abs: filepath.Join(root, filepath.FromSlash(c.path)), Root: root, Content: []byte(src)})
		fs := ofRule(Run(All(), proj, Options{}), "literal-credential")
		if len(fs) != 2 {
			t.Fatalf("%s: %d findings, want 2: %v", c.path, len(fs), fs)
		}
		for _, f := range fs {
			want, conf := Critical, ConfidenceMedium
			if f.Loc.Line == 5 {
				want, conf = c.sev, c.conf
			}
			if f.Severity != want || f.Confidence != conf {
				t.Errorf("%s:%d: %s/%s, want %s/%s (%s)", c.path, f.Loc.Line, f.Severity, f.Confidence, want, conf, f.Message)
			}
		}
	}
}

// A Compose service runs on a host, not a Kubernetes node: the message
// says so, and names no pods.
func TestComposeHostPathWording(t *testing.T) {
	fs := scanCompose(t, `services:
  backup:
    image: x
    volumes:
      - /etc:/host/etc
`)
	found := false
	for _, f := range fs {
		if f.RuleID != "host-path-mount" {
			continue
		}
		found = true
		if !strings.Contains(f.Message, "the host's filesystem") || strings.Contains(f.Message, "pods") || strings.Contains(f.Message, "node") {
			t.Errorf("message %q", f.Message)
		}
	}
	if !found {
		t.Error("no host-path-mount finding")
	}
}

// An ECS task on the host network has no NetworkPolicy to bypass: the
// message names what it does lose.
func TestECSHostNetworkWording(t *testing.T) {
	w := &model.Workload{Format: model.FormatTerraform, Kind: "aws_ecs_task_definition", Name: "a",
		HostNetwork: model.Bool{Value: true, Set: true, Loc: model.Location{File: "main.tf", Line: 3, Col: 3}}}
	fs := CheckWorkloads([]*Rule{ByID("host-network")}, []*model.Workload{w}, Options{})
	if len(fs) != 1 || strings.Contains(fs[0].Message, "NetworkPolicy") || !strings.Contains(fs[0].Message, "security group") {
		t.Errorf("findings %+v", fs)
	}
}
