package dev

import (
	"strings"

	"github.com/isolint/isolint/model"
)

// Variables in dev container and MCP configurations. Each tool fills in its
// own syntax when it starts the container or the server; nothing here can
// know the values, except the few that name a known place:
//
//   - dev containers (https://containers.dev/implementors/json_reference/#variables-in-devcontainerjson):
//     ${localEnv:NAME[:default]} (also ${env:NAME}), ${containerEnv:NAME[:default]},
//     ${localWorkspaceFolder}, ${containerWorkspaceFolder},
//     ${localWorkspaceFolderBasename}, ${containerWorkspaceFolderBasename},
//     ${devcontainerId};
//   - VS Code and Cursor MCP configurations: ${input:ID}, ${env:NAME},
//     ${workspaceFolder}, ${userHome}, ${config:…}, ${command:…};
//   - Claude Code: ${NAME} and ${NAME:-default}; Gemini CLI: $NAME and ${NAME}.
//
// The host's home (${localEnv:HOME}, ${localEnv:USERPROFILE}, ${userHome})
// reads as "~" and the workspace folder as "." (the project), so that host
// paths built from them are classified; anything else is unknown.

// dialect is the variable syntax of a file.
type dialect int

const (
	devcontainerVars dialect = iota
	mcpVars
)

// expansion is a string value with its variables read.
type expansion struct {
	// text is the value with the known variables filled in; unknown
	// references stay as written.
	text string
	// known: every reference was filled in (or there was none).
	known bool
	// refs: the value holds at least one reference.
	refs bool
	// envVar names the environment variable when the whole value is one
	// reference to the environment of the host or the tool
	// (${localEnv:X}, ${env:X}, ${X}, $X).
	envVar string
	// input: the whole value is one ${input:…} (a VS Code prompt, kept in
	// its secret storage).
	input bool
}

// expand reads the variables of s.
func expand(s string, d dialect) expansion {
	x := expansion{known: true}
	if !strings.Contains(s, "$") {
		x.text = s
		return x
	}
	var b strings.Builder
	parts := 0
	home := false // the previous part was the host's home
	for i := 0; i < len(s); {
		ref, n := reference(s[i:], d)
		if n == 0 {
			b.WriteByte(s[i])
			i++
			home = false
			parts++
			continue
		}
		x.refs = true
		parts++
		switch {
		case ref.home:
			if !home { // ${localEnv:HOME}${localEnv:USERPROFILE}: one of them is empty
				b.WriteString("~")
			}
			home = true
		case ref.workspace:
			b.WriteString(".")
			home = false
		default:
			b.WriteString(s[i : i+n])
			x.known = false
			home = false
		}
		if ref.env != "" && i == 0 && n == len(s) {
			x.envVar = ref.env
		}
		if ref.input && i == 0 && n == len(s) {
			x.input = true
		}
		i += n
	}
	x.text = b.String()
	return x
}

// ref is one variable reference.
type ref struct {
	env       string // the environment variable it reads, if any
	input     bool
	home      bool
	workspace bool
}

// reference reads a variable reference at the start of s; n is 0 when there
// is none.
func reference(s string, d dialect) (ref, int) {
	if len(s) < 2 || s[0] != '$' {
		return ref{}, 0
	}
	if s[1] != '{' {
		// $NAME: the Gemini CLI and shells expand it; other tools leave it
		j := 1
		for j < len(s) && isNameByte(s[j], j == 1) {
			j++
		}
		if j == 1 || d != mcpVars {
			return ref{}, 0
		}
		return ref{env: s[1:j], home: s[1:j] == "HOME"}, j
	}
	end := strings.IndexByte(s, '}')
	if end < 0 {
		return ref{}, 0
	}
	body := s[2:end]
	n := end + 1
	kind, rest, scoped := strings.Cut(body, ":")
	switch {
	case d == devcontainerVars && scoped && (kind == "localEnv" || kind == "env"):
		// ${env:NAME} is VS Code's older spelling of ${localEnv:NAME}
		name, _, _ := strings.Cut(rest, ":")
		return ref{env: name, home: name == "HOME" || name == "USERPROFILE"}, n
	case d == devcontainerVars && scoped && kind == "containerEnv":
		return ref{}, n
	case d == devcontainerVars && body == "localWorkspaceFolder":
		return ref{workspace: true}, n
	case d == mcpVars && scoped && kind == "env":
		return ref{env: rest, home: rest == "HOME" || rest == "USERPROFILE"}, n
	case d == mcpVars && scoped && kind == "input":
		return ref{input: true}, n
	case d == mcpVars && (body == "workspaceFolder" || body == "workspaceRoot"):
		return ref{workspace: true}, n
	case d == mcpVars && body == "userHome":
		return ref{home: true}, n
	case d == mcpVars && isName(body):
		return ref{env: body, home: body == "HOME"}, n
	case d == mcpVars && strings.Contains(body, ":-") && isName(body[:strings.Index(body, ":-")]):
		// ${NAME:-default} (Claude Code): the default is written in the
		// file, but the variable usually wins
		name := body[:strings.Index(body, ":-")]
		return ref{env: name}, n
	}
	return ref{}, n
}

func isName(s string) bool {
	if s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		if !isNameByte(s[i], i == 0) {
			return false
		}
	}
	return true
}

func isNameByte(c byte, first bool) bool {
	return c == '_' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || !first && c >= '0' && c <= '9'
}

// literal returns the model value of a string setting: its text when it
// holds no reference; otherwise unknown, except that a value with the shape
// of a token somewhere in its text (a default written after `:-`) keeps
// that text, so that the credential written in the file is judged.
func literal(x expansion, raw string, loc model.Location) model.String {
	s := model.String{Value: x.text, Set: true, Loc: loc}
	if !x.known {
		s.Unknown = true
		if model.TokenKind(raw) != "" {
			s.Value, s.Unknown = raw, false
		}
	}
	return s
}
