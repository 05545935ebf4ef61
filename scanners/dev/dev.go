// Package dev reads the files that define where a developer's tools and
// AI coding agents run: dev container definitions (devcontainer.json) and
// MCP server configurations (.mcp.json, .vscode/mcp.json, .cursor/mcp.json,
// Claude Desktop, Gemini CLI, Codex …). A dev container is lowered onto the model
// as one workload with one container; each MCP server as one workload with
// the process or container the agent starts, or, for a remote server, its
// endpoint. `docker run` command lines and `runArgs` are read with the
// flag parser the CI scanners use (scanners/ci/shell). Files are JSON with
// comments (and TOML for Codex), parsed into the shared YAML node tree so
// that positions are exact.
package dev

import (
	"bytes"
	"path"
	"strings"

	"github.com/isolint/isolint/model"
	"github.com/isolint/isolint/scanners/jsonc"
	"github.com/isolint/isolint/scanners/yamldoc"
	"github.com/isolint/isolint/source"
)

// fileKind is what a claimed file holds.
type fileKind int

const (
	kindUnknown fileKind = iota
	// kindDevContainer: .devcontainer/devcontainer.json,
	// .devcontainer/<name>/devcontainer.json, .devcontainer.json.
	kindDevContainer
	// kindMCP: a file whose only purpose is MCP servers (.mcp.json,
	// mcp.json, claude_desktop_config.json …).
	kindMCP
	// kindSettings: a settings file that may hold MCP servers among other
	// settings (.vscode/settings.json, .gemini/settings.json); read only
	// when it mentions them.
	kindSettings
	// kindCodex: Codex's project configuration (.codex/config.toml), TOML,
	// whose MCP servers are [mcp_servers.<name>] tables.
	kindCodex
)

// mcpFileNames are files that hold MCP server configurations wherever
// they are: Claude Code and Copilot (.mcp.json), VS Code, Cursor, Amazon Q,
// Roo, Kiro (<dir>/mcp.json), Claude Desktop, Windsurf, Cline.
var mcpFileNames = map[string]bool{
	".mcp.json": true, "mcp.json": true, "claude_desktop_config.json": true,
	"mcp_config.json": true, "cline_mcp_settings.json": true,
}

// classify says what a file is by its path.
func classify(p string) fileKind {
	base := path.Base(p)
	dir := path.Dir(p)
	switch {
	case base == ".devcontainer.json":
		return kindDevContainer
	case base == "devcontainer.json" && (path.Base(dir) == ".devcontainer" || path.Base(path.Dir(dir)) == ".devcontainer"):
		return kindDevContainer
	case mcpFileNames[base]:
		return kindMCP
	case base == "settings.json" && (path.Base(dir) == ".vscode" || path.Base(dir) == ".gemini"):
		return kindSettings
	case base == "config.toml" && path.Base(dir) == ".codex":
		return kindCodex
	}
	return kindUnknown
}

// ClaimPath claims dev container definitions and MCP configurations by
// their well-known names.
func ClaimPath(p string) bool { return classify(p) != kindUnknown }

// MayHold reports whether a file could be an MCP configuration under
// another name (a shared `mcpServers` snippet): JSON.
func MayHold(p string) bool {
	switch strings.ToLower(path.Ext(p)) {
	case ".json", ".jsonc":
		return true
	}
	return false
}

var mcpServersKey = []byte(`"mcpServers"`)

// Sniff claims a JSON file whose top level holds an `mcpServers` object of
// server definitions (a command or a url each).
func Sniff(content []byte) bool {
	if !bytes.Contains(content, mcpServersKey) {
		return false
	}
	doc, err := jsonc.Parse("", content)
	if err != nil || doc == nil {
		return false
	}
	servers := doc.Value().Get("mcpServers")
	if !servers.IsMap() {
		return false
	}
	for _, s := range servers.Pairs() {
		if s.Value.Get("command").Exists() || s.Value.Get("url").Exists() || s.Value.Get("httpUrl").Exists() || s.Value.Get("serverUrl").Exists() {
			return true
		}
	}
	return false
}

// Scan lowers one file.
func Scan(f *source.File) *model.Project {
	p := &model.Project{}
	kind := classify(f.Path)
	if kind == kindSettings && !bytes.Contains(f.Content, []byte(`"mcp`)) {
		return p // editor or CLI settings without MCP servers
	}
	if kind == kindCodex && !bytes.Contains(f.Content, []byte("mcp_servers")) {
		return p // Codex settings without MCP servers
	}
	parse, lang := jsonc.Parse, "JSON"
	if kind == kindCodex {
		parse, lang = ParseTOML, "TOML"
	}
	doc, err := parse(f.Path, f.Content)
	if err != nil {
		p.Notices = append(p.Notices, jsonc.Notice(f.Path, "not valid "+lang, err))
		return p
	}
	if doc == nil {
		return p // empty, or only comments
	}
	l := &lowering{f: f, file: f.Path, doc: doc, p: p}
	root := doc.Value()
	if !root.IsMap() {
		doc.Notice(root, model.NoticeWarning, "the file must hold a JSON object, got %s; it was not checked", kindName(root))
	} else {
		switch kind {
		case kindDevContainer:
			l.devcontainer(root)
		case kindMCP, kindSettings, kindCodex:
			l.mcpFile(root)
		default:
			// sniffed, or forced with --type dev: decide by content
			if mcpServersOf(root).Exists() {
				l.mcpFile(root)
			} else {
				l.devcontainer(root)
			}
		}
	}
	p.Notices = append(p.Notices, doc.Notices...)
	return p
}

// lowering is the lowering of one file.
type lowering struct {
	f    *source.File
	file string
	doc  *yamldoc.Doc
	p    *model.Project
}
