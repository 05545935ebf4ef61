package main

import (
	"bytes"
	"fmt"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strings"
	"sync"
	"testing"

	"github.com/isolint/isolint/engine/enginetest"
	"github.com/isolint/isolint/output"
)

var (
	buildOnce sync.Once
	binPath   string
	buildErr  error
)

// binary builds the isolint command once per test run.
func binary(t *testing.T) string {
	t.Helper()
	buildOnce.Do(func() {
		dir, err := os.MkdirTemp("", "isolint-bin")
		if err != nil {
			buildErr = err
			return
		}
		binPath = filepath.Join(dir, "isolint")
		out, err := exec.Command("go", "build", "-o", binPath, ".").CombinedOutput()
		if err != nil {
			buildErr = fmt.Errorf("go build: %v\n%s", err, out)
		}
	})
	if buildErr != nil {
		t.Fatal(buildErr)
	}
	return binPath
}

// runBinary runs the built binary in dir with extra environment.
func runBinary(t *testing.T, dir string, env []string, args ...string) (code int, stdout, stderr []byte) {
	t.Helper()
	cmd := exec.Command(binary(t), args...)
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), env...)
	var out, errb bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errb
	err := cmd.Run()
	if ee, ok := err.(*exec.ExitError); ok {
		code = ee.ExitCode()
	} else if err != nil {
		t.Fatal(err)
	}
	return code, out.Bytes(), errb.Bytes()
}

func moduleRoot(t *testing.T) string {
	t.Helper()
	abs, err := filepath.Abs("../..")
	if err != nil {
		t.Fatal(err)
	}
	return abs
}

// TestOutputDeterministic: the same scan gives byte-identical output in
// every format, run after run and with GOMAXPROCS=1 or 8.
func TestOutputDeterministic(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the binary")
	}
	root := moduleRoot(t)
	gen := t.TempDir()
	if _, err := enginetest.GenerateTree(gen, enginetest.TreeOptions{Files: 300, Seed: 7}); err != nil {
		t.Fatal(err)
	}
	// every format: the formats lowered at once run in parallel
	mixed := t.TempDir()
	if _, err := enginetest.GenerateTree(mixed, enginetest.TreeOptions{Files: 240, Seed: 7, AllFormats: true}); err != nil {
		t.Fatal(err)
	}
	for _, target := range []struct{ name, dir, arg string }{
		{"examples", root, "examples"},
		{"golden input", root, "testdata/golden/input"},
		{"generated tree", gen, "."},
		{"generated tree of every format", mixed, "."},
	} {
		for _, format := range output.FormatNames() {
			t.Run(target.name+"/"+format, func(t *testing.T) {
				var first []byte
				for i, procs := range []string{"1", "8", "8", "2"} {
					code, out, errb := runBinary(t, target.dir, []string{"GOMAXPROCS=" + procs}, "scan", target.arg, "-f", format)
					got := append(append(out, "\n--- stderr ---\n"...), errb...)
					if code != exitFindings {
						t.Fatalf("exit %d: %s", code, errb)
					}
					if i == 0 {
						first = got
						continue
					}
					if !bytes.Equal(first, got) {
						t.Fatalf("run %d (GOMAXPROCS=%s) differs from run 0 (GOMAXPROCS=1)", i, procs)
					}
				}
			})
		}
	}
}

// planted are distinctive fake credentials. None may appear in any output.
var planted = []string{
	"ghp_PLANTEDx0123456789abcdefghijABCDEFGHIJ",
	"AKIAPLANTED0123456X",
	"wJalrXUtnFEMI/K7MDENG/bPxRfiCYPLANTEDKEY",
	"Sup3r-PLANTED-Pa55w0rd!",
	"xoxb-PLANTED-1234567890-abcdefghijkl",
	"MIIEowIBAAKCAQEAPLANTEDprivatekeymaterial",
	"eyJhbGciOiJIUzI1NiJ9.PLANTEDjwt.c2lnbmF0dXJl",
	"postgres://admin:PLANTEDdbpass@db:5432/app",
	"PLANTEDanchor",
}

// plantedTree writes manifests that carry the planted values in every
// place a value can hide: env values, annotations, ConfigMap and Secret
// data, args, comments, malformed lines, alias names, keys of broken
// documents, duplicate keys and values of the wrong type.
func plantedTree(t *testing.T) string {
	p := planted
	return tree(t, map[string]string{
		"deploy.yaml": fmt.Sprintf(`# token for later: %[1]s
apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
  annotations:
    deploy.example.com/token: %[1]s
    note: "password is %[4]s"
spec:
  template:
    metadata:
      annotations:
        vault.example.com/secret: %[3]s
    spec:
      hostNetwork: true
      containers:
        - name: web
          image: example/web:1
          args: ["--token=%[1]s", "--dsn", "%[8]s"]
          env:
            - name: GITHUB_TOKEN
              value: %[1]s
            - name: AWS_ACCESS_KEY_ID
              value: %[2]s
            - name: AWS_SECRET_ACCESS_KEY
              value: "%[3]s"
            - name: DB_PASSWORD
              value: '%[4]s'
            - name: SLACK_TOKEN
              value: %[5]s # %[5]s
            - name: JWT
              value: %[7]s
            - name: DATABASE_URL
              value: %[8]s
            - name: PRIVATE_KEY
              value: |
                -----BEGIN RSA PRIVATE KEY-----
                %[6]s
                -----END RSA PRIVATE KEY-----
          securityContext:
            privileged: %[4]s
            runAsUser: %[2]s
            capabilities:
              add: %[5]s
---
apiVersion: v1
kind: ConfigMap
metadata:
  name: settings
data:
  token: %[1]s
  %[2]s: aws
---
apiVersion: v1
kind: Secret
metadata:
  name: creds
stringData:
  password: %[4]s
`, p[0], p[1], p[2], p[3], p[4], p[5], p[6], p[7]),
		"broken.yaml": fmt.Sprintf(`apiVersion: v1
kind: Pod
metadata:
  name: broken
spec:
  containers:
    - name: a
      env:
        - name: TOKEN
          value: %[1]s: %[2]s: [
`, p[0], p[3]),
		"alias.yaml": fmt.Sprintf(`apiVersion: v1
kind: Pod
metadata:
  name: alias
spec:
  hostPID: *%[1]s
  containers:
    - name: a
      image: x
      env:
        - name: K
          value: *%[2]s
`, p[8], p[1]),
		"dupes.yaml": fmt.Sprintf(`apiVersion: v1
kind: Pod
metadata:
  name: dupes
spec:
  hostIPC: %[1]s
  hostIPC: %[2]s
  containers:
    - name: a
      image: x
      env:
        - name: TOKEN
          value: %[3]s
        - name: TOKEN
          value: %[3]s
      securityContext:
        %[1]s: true
`, p[1], p[3], p[0]),
		".github/workflows/ci.yml": fmt.Sprintf(`on: pull_request_target
permissions: %[1]s
env:
  GITHUB_TOKEN: %[1]s
  DATABASE_URL: %[8]s
jobs:
  build:
    runs-on: ubuntu-latest
    env:
      AWS_SECRET_ACCESS_KEY: %[3]s
    container:
      image: example/ci:1
      options: --env SLACK_TOKEN=%[5]s --privileged
      credentials:
        username: bot
        password: %[4]s
    steps:
      - uses: actions/checkout@v4
        with:
          ref: ${{ github.event.pull_request.head.sha }}
          persist-credentials: %[4]s
      - uses: docker/login-action@v3
        with:
          password: %[1]s
      - run: |
          docker run --rm -e JWT=%[7]s -e KEY=%[2]s -v /var/run/docker.sock:/s example/x:1
          curl -H "Authorization: Bearer %[1]s" https://api.example.com
          cat <<%[4]s
      - run: echo "%[5]s
  call:
    uses: ./.github/workflows/other.yml
    with:
      api-key: %[1]s
`, p[0], p[1], p[2], p[3], p[4], p[5], p[6], p[7]),
		".gitlab-ci.yml": fmt.Sprintf(`variables:
  DEPLOY_TOKEN: %[1]s
  DB_PASSWORD:
    value: %[4]s
deploy:
  variables:
    AWS_SECRET_ACCESS_KEY: %[3]s
  services:
    - docker:dind
  script:
    - git clone "https://user:%[4]s@gitlab.example.com/a/b.git?token=%[1]s" "$CI_JOB_TOKEN"
    - docker run --rm -e SLACK=%[5]s --privileged example/x:1
    - 'cat <<%[1]s'
`, p[0], p[1], p[2], p[3], p[4], p[5], p[6], p[7]),
		"truncated.yaml": "apiVersion: v1\nkind: Pod\nmetadata:\n  name: \"" + p[3] + "\n",
		"tab.yaml":       "apiVersion: v1\nkind: Pod\nspec:\n\tcontainers: " + p[0] + "\n",
		"flow.json":      `{"apiVersion": "v1", "kind": "Pod", "metadata": {"name": "j"}, "spec": {"hostNetwork": "` + p[3] + `", "containers": [{"name": "` + "c" + `", "env": [{"name": "API_KEY", "value": "` + p[0] + `"}]}]`,
		// Compose: literals, interpolation defaults, the .env and an
		// env_file beside the file, command lines and wrong types
		"stack/compose.yaml": fmt.Sprintf(`services:
  web:
    image: example/web:1
    user: ${RUN_AS}
    privileged: %[4]s
    cap_add: %[5]s
    command: serve --token=%[1]s --dsn "%[8]s"
    entrypoint: ["/bin/web", "--password", "%[4]s"]
    env_file: [secrets.env]
    environment:
      GITHUB_TOKEN: %[1]s
      AWS_SECRET_ACCESS_KEY: ${AWS_SECRET_ACCESS_KEY:-%[3]s}
      DB_PASSWORD: ${DB_PASSWORD}
      JWT: "%[7]s"
  worker:
    image: example/worker:1
    environment:
      - SLACK_TOKEN=%[5]s
      - DATABASE_URL=%[8]s
  broken:
    image: example/broken:1
    environment: "TOKEN=%[1]s"
    read_only: "%[2]s"
`, p[0], p[1], p[2], p[3], p[4], p[5], p[6], p[7]),
		// Go: credentials in an explicit Env, next to an inheriting
		// launch, and as the literal a syntax error stops at
		"tools/run.go": fmt.Sprintf(`package tools

import (
	"os"
	"os/exec"
	"syscall"
)

// token: %[1]s
func Run() error {
	cmd := exec.Command("deploy", "--token", "%[1]s")
	cmd.Env = []string{"AWS_SECRET_ACCESS_KEY=%[3]s"}
	cmd.Run()
	return syscall.Exec("/bin/sh", []string{"sh", "%[4]s"}, append(os.Environ(), "DB=%[8]s"))
}

func Broken() {
	x := "%[5]s" "%[1]s"
}
`, p[0], p[1], p[2], p[3], p[4], p[5], p[6], p[7]),
		"stack/.env":        fmt.Sprintf("RUN_AS=root\nDB_PASSWORD=%[1]s\nAWS_SECRET_ACCESS_KEY='%[2]s'\nbad line %[1]s\n", p[3], p[2]),
		"stack/secrets.env": fmt.Sprintf("API_TOKEN=%[1]s\nexport AWS_ACCESS_KEY_ID=%[2]s\n%[1]s\n", p[0], p[1]),
		// dev containers and MCP servers: env, runArgs, mounts, command
		// lines, URLs, headers, names, comments, wrong types and syntax
		// errors right after a value
		".devcontainer/devcontainer.json": fmt.Sprintf(`// token: %[1]s
{
	"name": "%[2]s",
	"image": "example/dev:1",
	"privileged": "%[4]s",
	"runArgs": ["-e", "SLACK_TOKEN=%[5]s", "--env=JWT=%[7]s", "-v", "%[4]s:/data", "--label", "%[1]s"],
	"mounts": ["source=/srv/data,target=/x,type=bind,%[4]s", {"source": "%[3]s", "target": "/y", "type": "bind"}],
	"containerEnv": {"GITHUB_TOKEN": "%[1]s", "DATABASE_URL": "%[8]s", "LIST": ["%[3]s"]},
	"remoteEnv": {"AWS_SECRET_ACCESS_KEY": "${localEnv:AWS_SECRET_ACCESS_KEY:%[3]s}", "DB_PASSWORD": "%[4]s"},
	"build": {"args": {"NPM_TOKEN": "%[1]s"}},
	"features": {"ghcr.io/devcontainers/features/docker-in-docker:2": {"password": "%[4]s"}},
	"customizations": {"vscode": {"mcp": {"servers": {"x": {"command": "npx", "env": {"API_KEY": "%[1]s"}}}}}}
}
`, p[0], p[1], p[2], p[3], p[4], p[5], p[6], p[7]),
		".mcp.json": fmt.Sprintf(`{
  "mcpServers": {
    "%[1]s": {"command": "npx", "args": ["-y", "pkg", "--token=%[1]s", "%[8]s", "--password", "%[4]s"]},
    "env": {"command": "docker", "args": ["run", "-e", "KEY=%[2]s", "-e", "JWT", "image", "--secret=%[3]s"],
            "env": {"JWT": "%[7]s", "SLACK_BOT_TOKEN": "%[5]s", "AWS_SECRET_ACCESS_KEY": "${AWS_SECRET_ACCESS_KEY:-%[3]s}"}},
    "remote": {"url": "https://bot:%[4]s@mcp.example.com/mcp?token=%[1]s&%[2]s=1",
               "headers": {"Authorization": "Bearer %[4]s", "%[1]s": "x", "X-Api-Key": "%[3]s"}},
    "broken": {"command": {"%[1]s": "%[4]s"}, "args": "%[4]s", "env": ["%[1]s"], "headers": "%[3]s"}
  }
}
`, p[0], p[1], p[2], p[3], p[4], p[5], p[6], p[7]),
		".vscode/mcp.json":                  fmt.Sprintf("{\n  // %[1]s\n  \"servers\": {\"a\": {\"command\": \"node\", \"env\": {\"TOKEN\": \"%[4]s\" \"%[1]s\": 1}}}\n}\n", p[0], p[1], p[2], p[3]),
		"agents/.cursor/mcp.json":           "{\"mcpServers\": {\"a\": {\"command\": \"npx\", \"env\": {\"TOKEN\": \"" + p[0] + "\n",
		"agents/claude_desktop_config.json": "{\"mcpServers\": {\"a\": {\"command\": \"npx\", \"args\": [" + p[3] + "]}}}\n",
		".codex/config.toml": fmt.Sprintf(`# %[1]s
[mcp_servers.a]
command = "npx"
args = ["pkg", "--token=%[1]s", "%[8]s"]
env = { SLACK_TOKEN = "%[5]s", DB_PASSWORD = '%[4]s', AWS_SECRET_ACCESS_KEY = """%[3]s""" }
[mcp_servers.b]
url = "https://mcp.example.com/mcp?key=%[2]s"
http_headers.Authorization = "Bearer %[7]s"
`, p[0], p[1], p[2], p[3], p[4], p[5], p[6], p[7]),
		"agents/.codex/config.toml": "[mcp_servers.a]\ncommand = " + p[3] + "\n",
	})
}

// TestPlantedSecretsNeverPrinted: no planted value appears in text, JSON
// or SARIF output, in stderr, or in the -o file.
func TestPlantedSecretsNeverPrinted(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the binary")
	}
	dir := plantedTree(t)
	outDir := t.TempDir()
	for _, format := range output.FormatNames() {
		for _, extra := range [][]string{nil, {"--no-inline-ignores", "--require-egress-policy"}} {
			args := append([]string{"scan", dir, "-f", format}, extra...)
			code, out, errb := runBinary(t, outDir, nil, args...)
			if code != exitFindings {
				t.Fatalf("%v: exit %d: %s", args, code, errb)
			}
			file := filepath.Join(outDir, "report."+format)
			if c, _, errb := runBinary(t, outDir, nil, append(args, "-o", file)...); c != exitFindings {
				t.Fatalf("-o: exit %d: %s", c, errb)
			}
			written, err := os.ReadFile(file)
			if err != nil {
				t.Fatal(err)
			}
			for _, s := range planted {
				for what, b := range map[string][]byte{"stdout": out, "stderr": errb, "-o file": written} {
					if bytes.Contains(b, []byte(s)) || bytes.Contains(b, []byte(jsonEscaped(s))) {
						t.Errorf("%s %v: %s contains planted value %q", format, extra, what, s)
					}
					// fragments: the distinctive marker alone
					if bytes.Contains(b, []byte("PLANTED")) {
						t.Errorf("%s %v: %s contains a fragment of a planted value", format, extra, what)
					}
				}
			}
		}
	}
	// the scan did read the values: it reported on the files that hold them
	_, out, errb := runBinary(t, outDir, nil, "scan", dir)
	for _, s := range []string{"deploy.yaml", "broken.yaml", "truncated.yaml", "stack/compose.yaml", "stack/.env",
		".devcontainer/devcontainer.json", ".mcp.json", ".vscode/mcp.json", "agents/.cursor/mcp.json", "agents/claude_desktop_config.json",
		".codex/config.toml", "agents/.codex/config.toml", "tools/run.go"} {
		if !bytes.Contains(append(out, errb...), []byte(s)) {
			t.Errorf("nothing reported about %s; the test does not exercise it", s)
		}
	}
}

func jsonEscaped(s string) string {
	return strings.NewReplacer("/", `\/`, "!", `\u0021`).Replace(s)
}

// TestWritesOnlyOutputFile: a scan changes nothing in the scanned tree,
// the working directory or HOME, except the -o file.
func TestWritesOnlyOutputFile(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the binary")
	}
	scanned := plantedTree(t)
	cwd, home, tmp := t.TempDir(), t.TempDir(), t.TempDir()
	env := []string{"HOME=" + home, "TMPDIR=" + tmp, "XDG_CACHE_HOME=" + filepath.Join(home, ".cache"), "XDG_CONFIG_HOME=" + filepath.Join(home, ".config")}
	before := map[string]string{}
	for _, d := range []string{scanned, cwd, home, tmp} {
		snapshot(t, d, before)
	}
	for _, format := range output.FormatNames() {
		runBinary(t, cwd, env, "scan", scanned, "-f", format, "-o", filepath.Join(cwd, "out."+format))
		runBinary(t, cwd, env, "scan", scanned, "-f", format)
	}
	after := map[string]string{}
	for _, d := range []string{scanned, cwd, home, tmp} {
		snapshot(t, d, after)
	}
	var changed []string
	for p, s := range after {
		if before[p] != s && !strings.HasPrefix(filepath.Base(p), "out.") {
			changed = append(changed, p)
		}
	}
	for p := range before {
		if _, ok := after[p]; !ok {
			changed = append(changed, p+" (removed)")
		}
	}
	sort.Strings(changed)
	if len(changed) > 0 {
		t.Errorf("the scan changed files other than -o:\n%s", strings.Join(changed, "\n"))
	}
	for _, format := range output.FormatNames() {
		if _, ok := after[filepath.Join(cwd, "out."+format)]; !ok {
			t.Errorf("-o out.%s was not written", format)
		}
	}
}

func snapshot(t *testing.T, dir string, into map[string]string) {
	t.Helper()
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		info, err := d.Info()
		if err != nil {
			return err
		}
		if d.IsDir() {
			into[p] = info.Mode().String() // its mtime changes when -o adds a file
			return nil
		}
		into[p] = fmt.Sprintf("%v %d %v", info.Mode(), info.Size(), info.ModTime().UnixNano())
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}
