package dev

import (
	"net/url"
	"strings"

	"github.com/isolint/isolint/model"
	"github.com/isolint/isolint/scanners/ci/shell"
	"github.com/isolint/isolint/scanners/yamldoc"
)

// MCP server configurations. The tools agree on one shape for a server
// (https://modelcontextprotocol.io/quickstart/user and each tool's docs):
//
//	"name": {"command": "npx", "args": ["-y", "pkg"], "env": {"K": "v"}}   a local (stdio) server
//	"name": {"url": "https://…", "headers": {"Authorization": "…"}}        a remote server
//
// under a top-level `mcpServers` (Claude Code, Claude Desktop, Cursor,
// Gemini CLI, Windsurf, Cline, Amazon Q, Copilot) or `servers` (VS Code,
// which also reads `envFile` and `${input:…}` prompts). Gemini CLI names
// a streamable HTTP url `httpUrl`, Windsurf `serverUrl`; older VS Code
// settings.json files hold the servers under `mcp.servers`. Codex's
// .codex/config.toml has [mcp_servers.<name>] tables with the same keys,
// and `http_headers` for the headers (`env_http_headers` and
// `bearer_token_env_var` name environment variables, not values).

// mcpServersOf returns the servers object of an MCP configuration, or an
// absent value.
func mcpServersOf(root yamldoc.Value) yamldoc.Value {
	for _, key := range []string{"mcpServers", "servers", "mcp_servers"} {
		if v := root.Get(key); v.Exists() {
			return v
		}
	}
	if m := root.Get("mcp"); m.IsMap() {
		return m.Get("servers")
	}
	return yamldoc.Value{}
}

// mcpFile lowers the servers of an MCP configuration.
func (l *lowering) mcpFile(root yamldoc.Value) {
	l.mcpServers(mcpServersOf(root))
}

// mcpServers lowers each server of a servers object.
func (l *lowering) mcpServers(servers yamldoc.Value) {
	if !isObject(servers) {
		return
	}
	for _, pair := range servers.Pairs() {
		name := safeName(pair.Key)
		v := pair.Value.WithObject(model.KindMCPServer + "/" + name).WithPath(servers.Path() + "." + name)
		if v.IsNull() {
			continue
		}
		if !v.IsMap() {
			wrongType(v, "an object (a server definition)")
			continue
		}
		l.mcpServer(name, v)
	}
}

// mcpServer lowers one server: the process the agent starts (a container
// when the command is `docker run …`), its environment, and for a remote
// server its endpoint.
func (l *lowering) mcpServer(name string, v yamldoc.Value) {
	w := &model.Workload{
		Format:    model.FormatDev,
		Kind:      model.KindMCPServer,
		Name:      name,
		Namespace: l.file,
		Loc:       v.KeyLoc(),
		SpecLoc:   v.KeyLoc(),
		Lacks:     model.SettingRunAsNonRoot | model.SettingAllowPrivilegeEscalation,
	}
	if cmd := v.Get("command"); cmd.Exists() {
		if c := l.mcpProcess(name, w, v, cmd); c != nil {
			w.Containers = []*model.Container{c}
		}
	}
	for _, key := range []string{"url", "httpUrl", "serverUrl"} {
		u := v.Get(key)
		raw, ok := text(u)
		if !ok {
			continue
		}
		w.Endpoint = &model.Endpoint{URL: literal(expand(raw, mcpVars), raw, u.Loc()), Params: queryParams(u, raw)}
		h := v.Get("headers")
		if !h.Exists() {
			h = v.Get("http_headers") // Codex
		}
		if isObject(h) {
			for _, pair := range h.Pairs() {
				s, ok := text(pair.Value)
				if !ok {
					continue
				}
				w.Endpoint.Headers = append(w.Endpoint.Headers, model.Input{Name: pair.Key,
					Value: literal(expand(s, mcpVars), s, pair.Value.Loc()), Loc: pair.Value.Loc()})
			}
		}
		break
	}
	l.p.Workloads = append(l.p.Workloads, w)
}

// mcpProcess lowers the command of a local server.
func (l *lowering) mcpProcess(name string, w *model.Workload, v, cmd yamldoc.Value) *model.Container {
	command, ok := text(cmd)
	if !ok {
		return nil
	}
	c := &model.Container{Name: name, Kind: model.ContainerProcess, Loc: w.Loc}
	ws := &words{}
	var argv []shell.Word
	args := v.Get("args")
	if !args.Exists() && strings.ContainsAny(strings.TrimSpace(command), " \t") && !strings.Contains(command, `\`) {
		// a whole command line in `command` (some tools split it); a
		// Windows path (C:\Program Files\…) is one word
		argv = splitCommand(cmd, command, ws)
	} else {
		argv = append(argv, ws.word(cmd, command, mcpVars))
	}
	if isArray(args) {
		for _, it := range args.Items() {
			if s, ok := text(it); ok {
				argv = append(argv, ws.word(it, s, mcpVars))
			}
		}
	}
	own := argv // the server's own command line
	if r := shell.ContainerRun(shell.Unwrap(argv)); r != nil {
		// `docker run … image args`: the flags set up the container, the
		// words after the image are its command line
		c.Kind = model.ContainerRegular
		own = nil
		if r.Image != nil {
			c.Image = model.String{Value: r.Image.Lit, Set: true, Unknown: !r.Image.Known, Loc: ws.at(*r.Image)}
			for i, wd := range argv {
				if wd.Start == r.Image.Start {
					own = argv[i+1:]
				}
			}
		}
		shell.Apply(w, c, r, ws.at, envFromTool)
	}
	for _, wd := range own {
		loc := ws.at(wd)
		c.Args = append(c.Args, literal(expand(wd.Text, mcpVars), wd.Text, loc))
	}
	block := l.env(v.Get("env"), mcpVars)
	if c.Kind == model.ContainerRegular && len(block) > 0 {
		// `docker run -e NAME` forwards NAME from the docker client's
		// environment, which the server's `env` sets: the container
		// receives what that entry holds. When the entry is an
		// ${input:…} prompt or a value written in the file, NAME is not
		// the agent's variable passed through (docs/dev.md: a prompt is
		// not secret-env-var; a written value is judged on its entry).
		fromAgent := map[string]bool{}
		for _, e := range block {
			fromAgent[e.Name] = e.FromVar != ""
		}
		for _, e := range c.Env {
			if agent, ok := fromAgent[e.Name]; ok && !agent && e.FromVar == e.Name && !e.Value.Set {
				e.FromVar = ""
			}
		}
	}
	c.Env = append(c.Env, block...)
	if ef := v.Get("envFile"); ef.Exists() {
		if s, ok := text(ef); ok {
			c.EnvSources = append(c.EnvSources, &model.EnvSource{Kind: model.EnvFromFile, Name: s, Loc: ef.Loc()})
		}
	}
	return c
}

// splitCommand splits a command line written as one string the way a
// shell would, each word located in the string when it can be.
func splitCommand(v yamldoc.Value, s string, ws *words) []shell.Word {
	parts, err := shell.Words(s, nil)
	if err != nil || len(parts) == 0 {
		return []shell.Word{ws.word(v, s, mcpVars)}
	}
	out := make([]shell.Word, 0, len(parts))
	for _, p := range parts {
		loc, ok := v.Span(p.Start, p.End-p.Start)
		if !ok {
			loc = v.Loc()
		}
		raw := p.Text
		if p.Known {
			raw = p.Lit
		}
		out = append(out, ws.wordAt(loc, raw, mcpVars))
	}
	return out
}

// envFromTool judges `-e NAME=${env:X}` in a server's docker command line.
func envFromTool(_ shell.Word, value string) (*model.SecretRef, string) {
	return nil, expand(value, mcpVars).envVar
}

// queryParams reads the query parameters of a server's url.
func queryParams(v yamldoc.Value, raw string) []model.Input {
	_, query, ok := strings.Cut(raw, "?")
	if !ok {
		return nil
	}
	query, _, _ = strings.Cut(query, "#")
	var out []model.Input
	for _, kv := range strings.Split(query, "&") {
		k, val, _ := strings.Cut(kv, "=")
		if uk, err := url.QueryUnescape(k); err == nil {
			k = uk
		}
		if uv, err := url.QueryUnescape(val); err == nil {
			val = uv
		}
		if k == "" {
			continue
		}
		out = append(out, model.Input{Name: k, Value: literal(expand(val, mcpVars), val, v.Loc()), Loc: v.Loc()})
	}
	return out
}
