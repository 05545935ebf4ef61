package dev

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/isolint/isolint/model"
	"github.com/isolint/isolint/source"
)

func TestClaimPath(t *testing.T) {
	for p, want := range map[string]bool{
		".devcontainer/devcontainer.json":        true,
		".devcontainer.json":                     true,
		".devcontainer/python/devcontainer.json": true,
		"svc/.devcontainer/devcontainer.json":    true,
		"devcontainer.json":                      false,
		"docs/devcontainer.json":                 false,
		".devcontainer/a/b/devcontainer.json":    false,
		".devcontainer/devcontainer-lock.json":   false,
		".mcp.json":                              true,
		".vscode/mcp.json":                       true,
		".cursor/mcp.json":                       true,
		"pkg/mcp.json":                           true,
		"claude_desktop_config.json":             true,
		".gemini/settings.json":                  true,
		".vscode/settings.json":                  true,
		"settings.json":                          false,
		".vscode/launch.json":                    false,
		".claude/settings.json":                  false,
		".codex/config.toml":                     true,
		"config.toml":                            false,
	} {
		if got := ClaimPath(p); got != want {
			t.Errorf("ClaimPath(%q) = %v, want %v", p, got, want)
		}
	}
}

func TestSniff(t *testing.T) {
	for src, want := range map[string]bool{
		`{"mcpServers": {"x": {"command": "npx", "args": ["pkg"]}}}`:           true,
		"// snippet\n{\"mcpServers\": {\"x\": {\"url\": \"https://a/mcp\"},}}": true,
		`{"mcpServers": {}}`: false,
		`{"config": {"mcpServers": {"x": {"command": "npx"}}}}`: false,
		`{"mcpServers": {"x": {"description": "no command"}}}`:  false,
		`{"servers": {"x": {"command": "npx"}}}`:                false,
		`{"mcpServers": `:                                       false,
	} {
		if got := Sniff([]byte(src)); got != want {
			t.Errorf("Sniff(%q) = %v, want %v", src, got, want)
		}
	}
}

func TestExpand(t *testing.T) {
	for _, c := range []struct {
		in     string
		d      dialect
		text   string
		known  bool
		envVar string
		input  bool
	}{
		{"plain", devcontainerVars, "plain", true, "", false},
		{"${localEnv:HOME}/.ssh", devcontainerVars, "~/.ssh", true, "", false},
		{"${localEnv:HOME}${localEnv:USERPROFILE}/.aws", devcontainerVars, "~/.aws", true, "", false},
		{"${env:HOME}${env:USERPROFILE}/.kube", devcontainerVars, "~/.kube", true, "", false},
		{"${localWorkspaceFolder}/data", devcontainerVars, "./data", true, "", false},
		{"${localEnv:GITHUB_TOKEN}", devcontainerVars, "${localEnv:GITHUB_TOKEN}", false, "GITHUB_TOKEN", false},
		{"${localEnv:TOKEN:fallback}", devcontainerVars, "${localEnv:TOKEN:fallback}", false, "TOKEN", false},
		{"${containerEnv:PATH}:/bin", devcontainerVars, "${containerEnv:PATH}:/bin", false, "", false},
		{"pa$word", devcontainerVars, "pa$word", true, "", false},
		{"${input:token}", mcpVars, "${input:token}", false, "", true},
		{"${env:API_KEY}", mcpVars, "${env:API_KEY}", false, "API_KEY", false},
		{"${API_KEY}", mcpVars, "${API_KEY}", false, "API_KEY", false},
		{"${API_KEY:-x}", mcpVars, "${API_KEY:-x}", false, "API_KEY", false},
		{"$API_KEY", mcpVars, "$API_KEY", false, "API_KEY", false},
		{"Bearer ${env:T}", mcpVars, "Bearer ${env:T}", false, "", false},
		{"${userHome}/.aws:/root/.aws", mcpVars, "~/.aws:/root/.aws", true, "", false},
		{"${workspaceFolder}:/w", mcpVars, ".:/w", true, "", false},
		{"${localEnv:HOME}", mcpVars, "${localEnv:HOME}", false, "", false},
	} {
		x := expand(c.in, c.d)
		if x.text != c.text || x.known != c.known || x.envVar != c.envVar || x.input != c.input {
			t.Errorf("expand(%q) = %+v, want text %q known %v envVar %q input %v", c.in, x, c.text, c.known, c.envVar, c.input)
		}
	}
}

func scan(t *testing.T, path, src string) *model.Project {
	t.Helper()
	p := Scan(&source.File{Path: path, Content: []byte(src)})
	for _, n := range p.Notices {
		t.Errorf("notice %s: %s", n.Loc, n.Message)
	}
	return p
}

// TestLowerDevContainer: properties, runArgs, mounts and features are
// lowered onto the container with the locations of the keys that set them.
func TestLowerDevContainer(t *testing.T) {
	p := scan(t, ".devcontainer/api/devcontainer.json", `{
	"image": "mcr.microsoft.com/devcontainers/go:1",
	"features": {"ghcr.io/devcontainers/features/docker-in-docker:2": {}},
	"runArgs": ["--cap-add=NET_ADMIN", "-e", "TOKEN"],
	"mounts": [
		"source=${localWorkspaceFolder}/cache,target=/cache,type=bind",
		"source=cache-${devcontainerId},target=/c,type=volume",
		"source=${localEnv:HOME}/.ssh,target=/root/.ssh,type=bind,readonly"
	],
	"containerEnv": {"KEY": "${localEnv:API_KEY}", "MODE": "dev"},
	"containerUser": "root",
	"remoteUser": "vscode"
}`)
	if len(p.Workloads) != 1 {
		t.Fatalf("%d workloads, want 1", len(p.Workloads))
	}
	w := p.Workloads[0]
	if w.Format != model.FormatDev || w.Kind != model.KindDevContainer || w.Name != "api" || w.Namespace != ".devcontainer/api/devcontainer.json" {
		t.Errorf("workload %s %s %q in %q", w.Format, w.Kind, w.Name, w.Namespace)
	}
	c := w.Containers[0]
	if c.Image.Value != "mcr.microsoft.com/devcontainers/go:1" || c.Image.Loc.Line != 2 {
		t.Errorf("image %+v", c.Image)
	}
	if pr := c.Security.Privileged; !pr.IsTrue() || pr.Loc.Line != 3 || len(pr.Via) != 1 || !strings.Contains(pr.Via[0].Message, "docker-in-docker") {
		t.Errorf("privileged %+v", pr)
	}
	if len(c.Security.CapAdd) != 1 || c.Security.CapAdd[0].Value != "NET_ADMIN" || c.Security.CapAdd[0].Loc.Line != 4 || c.Security.CapAdd[0].Loc.Col != 14 {
		t.Errorf("capAdd %+v", c.Security.CapAdd)
	}
	kinds := map[string]model.VolumeKind{}
	for _, m := range c.Mounts {
		kinds[m.Target] = m.Volume.Kind
	}
	if kinds["/cache"] != model.VolumeProjectPath || kinds["/c"] != model.VolumeNamed || kinds["/root/.ssh"] != model.VolumeHostPath {
		t.Errorf("mount kinds %v", kinds)
	}
	for _, m := range c.Mounts {
		if m.Target == "/root/.ssh" && (m.Volume.HostPath.Value != "~/.ssh" || !m.ReadOnly.IsTrue()) {
			t.Errorf("ssh mount %+v read-only %v", m.Volume.HostPath, m.ReadOnly)
		}
	}
	env := map[string]*model.EnvVar{}
	for _, e := range c.Env {
		env[e.Name] = e
	}
	if e := env["TOKEN"]; e == nil || e.FromVar != "TOKEN" {
		t.Errorf("runArgs -e TOKEN: %+v", e)
	}
	if e := env["KEY"]; e == nil || e.FromVar != "API_KEY" || e.Value.Known() {
		t.Errorf("KEY: %+v", e)
	}
	if e := env["MODE"]; e == nil || !e.Value.Known() || e.Value.Value != "dev" {
		t.Errorf("MODE: %+v", e)
	}
	if u := c.Security.User; u.Value != "vscode" || u.Loc.Line != 12 {
		t.Errorf("user %+v: remoteUser decides", u)
	}
}

// TestLowerComposeDevContainer: runArgs and workspaceMount do not apply to
// a Compose dev container; the general properties do.
func TestLowerComposeDevContainer(t *testing.T) {
	p := scan(t, ".devcontainer.json", `{
	"dockerComposeFile": "compose.yaml",
	"service": "app",
	"runArgs": ["--privileged"],
	"workspaceMount": "source=/,target=/host,type=bind",
	"capAdd": ["SYS_PTRACE"]
}`)
	c := p.Workloads[0].Containers[0]
	if c.Security.Privileged.Set || len(c.Mounts) != 0 {
		t.Errorf("runArgs or workspaceMount read for a Compose dev container: %+v %v", c.Security.Privileged, c.Mounts)
	}
	if len(c.Security.CapAdd) != 1 {
		t.Errorf("capAdd not read: %v", c.Security.CapAdd)
	}
	if p.Workloads[0].Name != model.KindDevContainer {
		t.Errorf("name %q", p.Workloads[0].Name)
	}
}

// TestLowerMCP: a docker run server is a container with its image and its
// own arguments; an npx server a process; a remote server an endpoint.
func TestLowerMCP(t *testing.T) {
	p := scan(t, ".mcp.json", `{"mcpServers": {
	"gh": {"command": "docker", "args": ["run", "-i", "--rm", "-e", "GITHUB_TOKEN", "ghcr.io/github/github-mcp-server", "stdio", "--read-only"],
	       "env": {"GITHUB_TOKEN": "${GH_PAT}"}},
	"fs": {"command": "npx", "args": ["-y", "@modelcontextprotocol/server-filesystem", "/tmp"]},
	"line": {"command": "uvx mcp-server-git --repository ."},
	"remote": {"url": "https://mcp.example.com/sse?team=core&token=${input:t}", "headers": {"Authorization": "Bearer x", "X-Team": "core"}}
}}`)
	byName := map[string]*model.Workload{}
	for _, w := range p.Workloads {
		if w.Kind != model.KindMCPServer || w.Namespace != ".mcp.json" {
			t.Errorf("workload %s %q in %q", w.Kind, w.Name, w.Namespace)
		}
		byName[w.Name] = w
	}
	gh := byName["gh"].Containers[0]
	if gh.Kind != model.ContainerRegular || gh.Image.Value != "ghcr.io/github/github-mcp-server" {
		t.Errorf("gh: %s %+v", gh.Kind, gh.Image)
	}
	if len(gh.Args) != 2 || gh.Args[0].Value != "stdio" || gh.Args[1].Value != "--read-only" {
		t.Errorf("gh args %+v, want the words after the image", gh.Args)
	}
	if len(gh.Env) != 2 || gh.Env[0].FromVar != "GITHUB_TOKEN" || gh.Env[1].FromVar != "GH_PAT" {
		t.Errorf("gh env %+v", gh.Env)
	}
	fs := byName["fs"].Containers[0]
	if fs.Kind != model.ContainerProcess || len(fs.Args) != 4 || fs.Args[0].Value != "npx" || fs.Args[3].Loc.Col != 85 {
		t.Errorf("fs: %s %+v", fs.Kind, fs.Args)
	}
	line := byName["line"].Containers[0]
	if len(line.Args) != 4 || line.Args[1].Value != "mcp-server-git" || line.Args[1].Loc.Col != 27 || line.Args[1].Loc.EndCol != 41 {
		t.Errorf("line: %+v", line.Args)
	}
	r := byName["remote"]
	if len(r.Containers) != 0 || r.Endpoint == nil {
		t.Fatalf("remote: %d containers, endpoint %v", len(r.Containers), r.Endpoint)
	}
	if e := r.Endpoint; e.URL.Known() || len(e.Params) != 2 || !e.Params[0].Value.Known() || e.Params[1].Value.Known() || len(e.Headers) != 2 || e.Headers[0].Value.Value != "Bearer x" {
		t.Errorf("endpoint %+v", e)
	}
}

// TestScanNotices: bad input is a notice naming the line; settings files
// that do not mention MCP are not parsed at all.
func TestScanNotices(t *testing.T) {
	p := Scan(&source.File{Path: ".vscode/mcp.json", Content: []byte("{\n  \"servers\": {\n    \"a\": {\"command\": \"npx\",}\n    \"b\": {}\n  }\n}")})
	if len(p.Notices) != 1 || p.Notices[0].Level != model.NoticeError || p.Notices[0].Loc.Line != 4 {
		t.Errorf("notices %+v, want one error on line 4", p.Notices)
	}
	p = Scan(&source.File{Path: ".vscode/settings.json", Content: []byte("{ \"editor.tabSize\": 2 // unclosed\n")})
	if len(p.Notices) != 0 || len(p.Workloads) != 0 {
		t.Errorf("settings without MCP: %+v", p)
	}
	p = Scan(&source.File{Path: ".mcp.json", Content: []byte(`{"mcpServers": {"ghp_0123456789abcdefghijklmnopqrstuvwxyzAB": "x"}}`)})
	if len(p.Notices) != 1 || strings.Contains(p.Notices[0].Message, "ghp_") {
		t.Errorf("notices %+v: want one, without the key", p.Notices)
	}
}

// TestLocalFeatureConfined: a local feature is read only inside the
// scanned tree; one that leads out of it (a symlink) is a note, and what
// it says is not applied.
func TestLocalFeatureConfined(t *testing.T) {
	root, outside := t.TempDir(), t.TempDir()
	write := func(p, s string) {
		t.Helper()
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(s), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	write(filepath.Join(outside, "devcontainer-feature.json"), `{"id": "x", "privileged": true}`)
	write(filepath.Join(root, ".devcontainer", "inside", "devcontainer-feature.json"), `{"id": "y", "capAdd": ["SYS_ADMIN"]}`)
	if err := os.Symlink(outside, filepath.Join(root, ".devcontainer", "escape")); err != nil {
		t.Fatal(err)
	}
	content := []byte(`{"image": "x", "features": {"./escape": {}, "./inside": {}, "../../../etc": {}}}`)
	abs := filepath.Join(root, ".devcontainer", "devcontainer.json")
	write(abs, string(content))
	p := Scan(&source.File{Path: ".devcontainer/devcontainer.json", Abs: abs, Root: root, Content: content})
	c := p.Workloads[0].Containers[0]
	if c.Security.Privileged.Set {
		t.Error("a feature outside the tree was applied")
	}
	if len(c.Security.CapAdd) != 1 || c.Security.CapAdd[0].Loc.File != ".devcontainer/inside/devcontainer-feature.json" || len(c.Security.CapAdd[0].Via) != 1 {
		t.Errorf("capAdd of the local feature: %+v", c.Security.CapAdd)
	}
	if len(p.Notices) != 2 {
		t.Fatalf("notices %+v, want two", p.Notices)
	}
	for _, n := range p.Notices {
		if n.Level != model.NoticeNote || !strings.Contains(n.Message, "outside the scanned tree") {
			t.Errorf("notice %s: %s", n.Level, n.Message)
		}
	}
}

// TestHostileJSON: deep nesting and broken bytes are notices, not panics.
func TestHostileJSON(t *testing.T) {
	for name, src := range map[string]string{
		"deep":     strings.Repeat(`{"a":`, 100000) + "1" + strings.Repeat("}", 100000),
		"deep-arr": `{"runArgs": ` + strings.Repeat("[", 100000),
		"nul":      "{\"image\": \"x\x00\"}",
		"utf16":    "\xff\xfe{\x00}\x00",
	} {
		p := Scan(&source.File{Path: ".devcontainer.json", Content: []byte(src)})
		if len(p.Notices) != 1 || p.Notices[0].Level != model.NoticeError || p.Notices[0].Loc.Line == 0 {
			t.Errorf("%s: notices %+v, want one error with a line", name, p.Notices)
		}
	}
}

// FuzzScan: no dev container, MCP or Codex configuration makes the
// scanner (parsing and lowering) panic.
func FuzzScan(f *testing.F) {
	for _, s := range []struct {
		kind uint8
		src  string
	}{
		{0, `{"image":"x","privileged":true,"runArgs":["--network=host"],"containerEnv":{"T":"${localEnv:GITHUB_TOKEN}"},"mounts":["source=/var/run/docker.sock,target=/var/run/docker.sock,type=bind"]}`},
		{1, `{"mcpServers":{"gh":{"command":"npx","args":["-y","x"],"env":{"GITHUB_TOKEN":"ghp_x"}}}}`},
		{2, "[mcp_servers.gh]\ncommand = \"npx\"\nargs = [\"-y\", \"x\"]\n[mcp_servers.gh.env]\nGITHUB_TOKEN = \"x\"\n"},
		{0, "// c\n{\"features\": {\"./f\": {}},}"},
	} {
		f.Add(s.kind, s.src)
	}
	f.Fuzz(func(t *testing.T, kind uint8, src string) {
		root := t.TempDir()
		name := []string{".devcontainer/devcontainer.json", ".mcp.json", ".codex/config.toml"}[kind%3]
		p := filepath.Join(root, filepath.FromSlash(name))
		Scan(&source.File{Path: name, Abs: p, Root: root, Content: []byte(src), Format: model.FormatDev})
	})
}
