package scanners

import (
	"testing"

	"github.com/isolint/isolint/model"
)

// TestClassifyCompose: Compose file names are Compose's unless a more
// specific directory claims them, and Compose content is recognised under
// any name without taking other formats' files.
func TestClassifyCompose(t *testing.T) {
	compose := []byte("services:\n  web:\n    image: nginx\n")
	checkClassify(t, []classifyCase{
		{"docker-compose.yml", "services: {}\n", model.FormatCompose},
		{"deploy/compose.prod.yaml", "", model.FormatCompose},
		{"stack/app.yml", string(compose), model.FormatCompose},
		{".github/workflows/docker-compose.yml", "on: push\njobs: {}\n", model.FormatGHA},
		{".gitlab-ci.yml", "services:\n  - docker:dind\ntest:\n  script: [make]\n", model.FormatGitLab},
		{"k8s/web.yaml", "apiVersion: v1\nkind: Pod\nmetadata: {name: x}\n", model.FormatK8s},
		{"chart/values.yaml", string(compose), ""},
	})
}

// TestClassifyDev: dev container definitions and MCP configurations are
// claimed by name, other JSON only when it holds MCP servers, and the
// formats that share JSON keep their files.
func TestClassifyDev(t *testing.T) {
	checkClassify(t, []classifyCase{
		{".devcontainer/devcontainer.json", `{"image": "x"}`, model.FormatDev},
		{".devcontainer/go/devcontainer.json", "", model.FormatDev},
		{".devcontainer.json", "", model.FormatDev},
		{".vscode/mcp.json", `{"servers": {}}`, model.FormatDev},
		{".mcp.json", "", model.FormatDev},
		{"claude_desktop_config.json", "", model.FormatDev},
		{".codex/config.toml", "[mcp_servers.a]\ncommand = \"npx\"\n", model.FormatDev},
		{"examples/agent.json", `{"mcpServers": {"a": {"command": "npx"}}}`, model.FormatDev},
		{"examples/agent.json", `{"name": "x", "mcpServers": []}`, ""},
		{"docs/devcontainer.json", `{"image": "x", "privileged": true}`, ""},
		{"k8s/pod.json", `{"apiVersion": "v1", "kind": "Pod", "metadata": {"name": "mcpServers"}}`, model.FormatK8s},
		{".devcontainer/docker-compose.yml", "services:\n  app:\n    image: x\n", model.FormatCompose},
	})
}

// TestClassifyDisclaimedWorkflowPath: a file in .github/workflows that is
// no workflow goes to the format whose content it holds; when none claims
// it (a broken or flow-style workflow, a misplaced config), the directory's
// claim stands.
func TestClassifyDisclaimedWorkflowPath(t *testing.T) {
	checkClassify(t, []classifyCase{
		{".github/workflows/deployment.yaml", "apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: x}\n", model.FormatK8s},
		{".github/workflows/ci.yml", "on: push\njobs:\n  a:\n    runs-on: x\n    steps: [{run: make}]\n", model.FormatGHA},
		{".github/workflows/ci.yml", "{on: push, jobs: {a: {runs-on: x, steps: [{run: make}]}}}\n", model.FormatGHA},
		{".github/workflows/dependabot.yml", "version: 2\nupdates: []\n", model.FormatGHA},
		{".github/workflows/broken.yml", "on: push\njobs: [\n", model.FormatGHA},
		{"action.yml", "name: x\nruns:\n  using: composite\n  steps: []\n", model.FormatGHA},
		// the manifest names jobs at the top level: it stays a workflow
		{".github/workflows/odd.yml", "apiVersion: v1\nkind: Pod\njobs: {}\n", model.FormatGHA},
	})
}

// classifyCase is a file and the format Classify must give it ("" for none).
type classifyCase struct {
	path, content string
	want          model.Format
}

// checkClassify classifies each file with a registry of every format.
func checkClassify(t *testing.T, cases []classifyCase) {
	t.Helper()
	r := New(Options{})
	for _, c := range cases {
		var got model.Format
		if s := r.Classify(c.path, []byte(c.content)); s != nil {
			got = s.Format
		}
		if got != c.want {
			t.Errorf("Classify(%q, %q) = %q, want %q", c.path, c.content, got, c.want)
		}
	}
}
