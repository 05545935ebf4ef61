package engine_test

import (
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/isolint/isolint/engine"
)

// largeSize is the size of each generated file: ten times a typical big
// one, so that anything quadratic in a file's size (a position lookup
// walking its line again for every value, a sniff copying the rest of the
// file for every line) shows as a jump of minutes, not a percentage.
const largeSize = 10 << 20

// largeBytes is -large-size: a smaller size run next to a larger one tells
// linear growth (twice the size, twice the time) from worse.
var largeBytes = flag.Int("large-size", largeSize, "size of each file BenchmarkLarge generates, in bytes")

// largeFile is one generated file of a format: its path in the scanned
// tree and a unit repeated (with its index) up to largeSize between a head
// and a tail.
type largeFile struct {
	name, path       string
	head, unit, tail string
	sep              string // between units
}

var largeFiles = []largeFile{
	{name: "k8s-yaml", path: "deploy/all.yaml", unit: `apiVersion: apps/v1
kind: Deployment
metadata:
  name: web-%[1]d
  namespace: shop
spec:
  template:
    spec:
      hostNetwork: true
      containers:
        - name: app
          image: "example/web:%[1]d"
          env:
            - {name: DB_PASSWORD, value: "v%[1]d"}
          securityContext: {privileged: true}
`, sep: "---\n"},
	// minified: one line of 10 MB (a 589 KB pod.json took 109 s)
	{name: "k8s-json-one-line", path: "deploy/pod.json", head: `{"apiVersion":"v1","kind":"Pod","metadata":{"name":"p"},"spec":{"containers":[`,
		unit: `{"name":"c%[1]d","image":"nginx","env":[{"name":"E%[1]d","value":"v"}],"securityContext":{"privileged":true}}`, sep: ",", tail: "]}}"},
	// claimed by nothing: only the sniffs read it (a 1.4 MB values.yaml
	// took 94 s)
	{name: "unclaimed-yaml", path: "chart/values.yaml", unit: "key%[1]d:\n  sub: value%[1]d\n  list: [a, b]\n"},
	{name: "github-actions", path: ".github/workflows/ci.yml", head: "on: [push]\njobs:\n", unit: `  job%[1]d:
    runs-on: ubuntu-latest
    env:
      TOKEN: ${{ secrets.TOKEN }}
    steps:
      - uses: actions/checkout@v4
      - run: curl https://example.com/%[1]d | sh
`},
	{name: "gitlab-ci", path: ".gitlab-ci.yml", unit: `job%[1]d:
  image: docker:24
  services: [docker:dind]
  variables: {DOCKER_HOST: "tcp://docker:2375"}
  script:
    - docker build -t x%[1]d .
`},
	{name: "compose", path: "compose.yaml", head: "services:\n", unit: `  svc%[1]d:
    image: example/svc:%[1]d
    privileged: true
    network_mode: host
    volumes: ["/var/run/docker.sock:/var/run/docker.sock"]
    environment: {API_TOKEN: "t%[1]d"}
`},
	{name: "devcontainer-one-line", path: ".devcontainer/devcontainer.json", head: `{"image":"mcr.microsoft.com/devcontainers/base","privileged":true,"containerEnv":{`,
		unit: `"K%[1]d":"value%[1]d"`, sep: ",", tail: "}}"},
	{name: "codex-toml", path: ".codex/config.toml", unit: "[mcp_servers.s%[1]d]\ncommand = \"npx\"\nargs = [\"-y\", \"srv%[1]d\"]\n[mcp_servers.s%[1]d.env]\nGITHUB_TOKEN = \"ghp_R8kQ2vX9mZ4wL7nB3cF6hJ1tY5pD0sG8aE%[1]d\"\n"},
	{name: "terraform", path: "infra/main.tf", unit: `resource "aws_security_group" "sg%[1]d" {
  name = "sg-%[1]d"
  egress {
    from_port   = 0
    to_port     = 0
    protocol    = "-1"
    cidr_blocks = ["0.0.0.0/0"]
  }
}
`},
	{name: "terraform-json-one-line", path: "infra/main.tf.json", head: `{"resource":{"aws_security_group":{`,
		unit: `"sg%[1]d":{"name":"sg-%[1]d","egress":[{"from_port":0,"to_port":0,"protocol":"-1","cidr_blocks":["0.0.0.0/0"]}]}`, sep: ",", tail: "}}}"},
	{name: "go", path: "cmd/tool/main.go", head: "package main\n\nimport (\n\t\"os\"\n\t\"os/exec\"\n)\n\nfunc main() {}\n", unit: `
func run%[1]d() error {
	cmd := exec.Command("sh", "-c", "echo %[1]d")
	cmd.Env = os.Environ()
	return cmd.Run()
}
`},
}

func (l largeFile) content() []byte {
	var b strings.Builder
	b.Grow(*largeBytes + 4096)
	b.WriteString(l.head)
	for i := 0; b.Len() < *largeBytes; i++ {
		if i > 0 {
			b.WriteString(l.sep)
		}
		fmt.Fprintf(&b, l.unit, i)
	}
	b.WriteString(l.tail)
	return []byte(b.String())
}

// BenchmarkLarge scans one generated 10 MB file per format through the
// whole pipeline (read, sniff, parse, lower, check). Each op takes seconds:
//
//	go test -run='^$' -bench=Large -benchtime=1x ./engine
func BenchmarkLarge(b *testing.B) {
	for _, l := range largeFiles {
		b.Run(l.name, func(b *testing.B) {
			dir := b.TempDir()
			p := filepath.Join(dir, filepath.FromSlash(l.path))
			if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
				b.Fatal(err)
			}
			c := l.content()
			if err := os.WriteFile(p, c, 0o644); err != nil {
				b.Fatal(err)
			}
			b.SetBytes(int64(len(c)))
			b.ReportAllocs()
			for b.Loop() {
				res, err := engine.Run(engine.Options{Paths: []string{dir}, Base: dir, MaxFileSize: 2*int64(*largeBytes) + 1<<20})
				if err != nil {
					b.Fatal(err)
				}
				if l.name != "unclaimed-yaml" && len(res.Findings) == 0 {
					b.Fatalf("no findings: %v", res.Notices)
				}
				if len(res.Unread) > 0 {
					b.Fatalf("not read in full: %v", res.Notices)
				}
			}
		})
	}
}

// TestLargeFilesAreValid runs each generator at a small size, so that the
// benchmark's inputs stay inputs isolint reads (a finding, no notice).
func TestLargeFilesAreValid(t *testing.T) {
	for _, l := range largeFiles {
		dir := t.TempDir()
		p := filepath.Join(dir, filepath.FromSlash(l.path))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		c := l.head + fmt.Sprintf(l.unit, 0) + l.sep + fmt.Sprintf(l.unit, 1) + l.tail
		if err := os.WriteFile(p, []byte(c), 0o644); err != nil {
			t.Fatal(err)
		}
		res, err := engine.Run(engine.Options{Paths: []string{dir}, Base: dir})
		if err != nil {
			t.Fatal(err)
		}
		if l.name != "unclaimed-yaml" && len(res.Findings) == 0 || len(res.Notices) > 0 {
			t.Errorf("%s: %d findings, notices %v", l.name, len(res.Findings), res.Notices)
		}
	}
}
