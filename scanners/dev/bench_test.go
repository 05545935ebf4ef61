package dev

import (
	"fmt"
	"strings"
	"testing"

	"github.com/isolint/isolint/scanners/jsonc"
	"github.com/isolint/isolint/source"
)

// devcontainerJSON is a devcontainer.json shaped like the ones people
// commit: comments, features with options, runArgs, mounts, env,
// customizations (about 2.5 KB).
const devcontainerJSON = `// For format details, see https://aka.ms/devcontainer.json. For config options, see the
// README at: https://github.com/devcontainers/templates/tree/main/src/go
{
	"name": "Go",
	"image": "mcr.microsoft.com/devcontainers/go:1-1.22-bookworm",
	// Features to add to the dev container. More info: https://containers.dev/features.
	"features": {
		"ghcr.io/devcontainers/features/docker-in-docker:2": {"version": "latest", "moby": true},
		"ghcr.io/devcontainers/features/github-cli:1": {},
		"ghcr.io/devcontainers/features/node:1": {"version": "lts"},
		"ghcr.io/devcontainers/features/kubectl-helm-minikube:1": {"minikube": "none"},
	},
	"runArgs": ["--cap-add=SYS_PTRACE", "--security-opt", "seccomp=unconfined", "--env-file", ".devcontainer/devcontainer.env"],
	"mounts": [
		"source=${localEnv:HOME}${localEnv:USERPROFILE}/.ssh,target=/home/vscode/.ssh,type=bind,readonly",
		"source=go-mod-cache-${devcontainerId},target=/go/pkg/mod,type=volume",
		{"source": "${localWorkspaceFolder}/.cache", "target": "/home/vscode/.cache", "type": "bind"}
	],
	"containerEnv": {"GOFLAGS": "-mod=mod", "GITHUB_TOKEN": "${localEnv:GITHUB_TOKEN}", "CGO_ENABLED": "0"},
	"remoteEnv": {"PATH": "${containerEnv:PATH}:/home/vscode/go/bin", "LOCAL_WORKSPACE_FOLDER": "${localWorkspaceFolder}"},
	"forwardPorts": [8080, 6060],
	"portsAttributes": {"8080": {"label": "api", "onAutoForward": "notify"}},
	"postCreateCommand": "go mod download && go install golang.org/x/tools/gopls@latest",
	"customizations": {
		"vscode": {
			"extensions": ["golang.go", "ms-azuretools.vscode-docker", "github.vscode-github-actions"],
			"settings": {"go.toolsManagement.checkForUpdates": "local", "go.useLanguageServer": true, "go.gopath": "/go"}
		}
	},
	// Uncomment to connect as root instead. More info: https://aka.ms/dev-containers-non-root.
	// "remoteUser": "root"
	"remoteUser": "vscode"
}
`

// mcpJSON is an MCP configuration with n servers of every shape (local
// npx and uvx servers, docker run servers, remote servers).
func mcpJSON(n int) string {
	var b strings.Builder
	b.WriteString("{\n  \"mcpServers\": {\n")
	for i := range n {
		if i > 0 {
			b.WriteString(",\n")
		}
		switch i % 4 {
		case 0:
			fmt.Fprintf(&b, `    "npx%d": {"command": "npx", "args": ["-y", "@modelcontextprotocol/server-github"], "env": {"GITHUB_PERSONAL_ACCESS_TOKEN": "${GITHUB_PAT}", "LOG": "info"}}`, i)
		case 1:
			fmt.Fprintf(&b, `    "docker%d": {"command": "docker", "args": ["run", "-i", "--rm", "-e", "API_KEY", "-v", "${HOME}/.cache/mcp:/cache", "--network", "bridge", "example/mcp-server:1.%d", "--stdio"], "env": {"API_KEY": "${API_KEY}"}}`, i, i)
		case 2:
			fmt.Fprintf(&b, `    "remote%d": {"type": "http", "url": "https://mcp.example.com/%d/mcp?team=core", "headers": {"Authorization": "Bearer ${TOKEN}", "X-Client": "bench"}}`, i, i)
		default:
			fmt.Fprintf(&b, `    "uvx%d": {"command": "uvx", "args": ["mcp-server-fetch", "--ignore-robots-txt", "--user-agent", "bench/%d"]}`, i, i)
		}
	}
	b.WriteString("\n  }\n}\n")
	return b.String()
}

// BenchmarkScanDevContainer scans a typical devcontainer.json; the reported
// MB/s and ns/op give files/s (1e9 / ns/op).
func BenchmarkScanDevContainer(b *testing.B) {
	f := &source.File{Path: ".devcontainer/devcontainer.json", Content: []byte(devcontainerJSON)}
	b.SetBytes(int64(len(f.Content)))
	b.ReportAllocs()
	for b.Loop() {
		if p := Scan(f); len(p.Workloads) != 1 || len(p.Notices) != 0 {
			b.Fatalf("%d workloads, %v", len(p.Workloads), p.Notices)
		}
	}
}

// BenchmarkScanMCP scans an MCP configuration of 8 servers (a large one in
// practice) and of 200 (a stress test, about 36 KB).
func BenchmarkScanMCP(b *testing.B) {
	for _, n := range []int{8, 200} {
		b.Run(fmt.Sprint(n), func(b *testing.B) {
			f := &source.File{Path: ".mcp.json", Content: []byte(mcpJSON(n))}
			b.SetBytes(int64(len(f.Content)))
			b.ReportAllocs()
			for b.Loop() {
				if p := Scan(f); len(p.Workloads) != n || len(p.Notices) != 0 {
					b.Fatalf("%d workloads, %v", len(p.Workloads), p.Notices)
				}
			}
		})
	}
}

// BenchmarkParseJSONC parses a minified 1 MB JSON file, the worst case of
// one long line.
func BenchmarkParseJSONC(b *testing.B) {
	content := []byte(strings.ReplaceAll(mcpJSON(6000), "\n", ""))
	b.SetBytes(int64(len(content)))
	b.ReportAllocs()
	for b.Loop() {
		if _, err := jsonc.Parse("big.json", content); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkSniff measures the content sniff on JSON that holds no MCP
// servers (package.json-like, the common case) and on a snippet that does.
func BenchmarkSniff(b *testing.B) {
	other := []byte(`{"name": "app", "version": "1.0.0", "scripts": {"build": "tsc", "test": "vitest"}, "dependencies": {"react": "^19.0.0"}}`)
	snippet := []byte(mcpJSON(4))
	for name, c := range map[string][]byte{"other": other, "mcp": snippet} {
		b.Run(name, func(b *testing.B) {
			b.SetBytes(int64(len(c)))
			for b.Loop() {
				Sniff(c)
			}
		})
	}
}
