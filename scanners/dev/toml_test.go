package dev

import (
	"fmt"
	"strconv"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/isolint/isolint/scanners/yamldoc"
	"github.com/isolint/isolint/source"
	toml "github.com/pelletier/go-toml/v2"
)

// TestParseTOML: tables, dotted keys, inline tables, arrays and arrays of
// tables become the node tree, each node at its line and column.
func TestParseTOML(t *testing.T) {
	src := `# Codex
model = "o3"

[mcp_servers.github]
command = "docker"
args = ["run", "-i", "ghcr.io/github/github-mcp-server"]
env = { "GITHUB_TOKEN" = "x", LOG = 'debug' }

[mcp_servers.github.tools]
enabled = true

[mcp_servers."é server"]
url = "https://mcp.example.com/mcp"
http_headers.Authorization = "Bearer y"

[[profiles.list]]
name = "a"
[[profiles.list]]
name = "b"
`
	doc, err := ParseTOML("config.toml", []byte(src))
	if err != nil {
		t.Fatal(err)
	}
	root := doc.Value()
	gh := root.Get("mcp_servers").Get("github")
	if l := gh.Get("command").Loc(); l.Line != 5 || l.Col != 1 || l.EndCol != 19 {
		t.Errorf("command at %d:%d-%d, want 5:1-19", l.Line, l.Col, l.EndCol)
	}
	args := gh.Get("args").Items()
	if len(args) != 3 || args[2].Text() != "ghcr.io/github/github-mcp-server" || args[2].Loc().Col != 22 {
		t.Errorf("args %v at %v", len(args), args[len(args)-1].Loc())
	}
	env := gh.Get("env")
	if v := env.Get("GITHUB_TOKEN"); v.Text() != "x" || v.Loc().Line != 7 || v.Loc().Col != 9 {
		t.Errorf("env GITHUB_TOKEN %q at %v", v.Text(), v.Loc())
	}
	if env.Get("LOG").Text() != "debug" {
		t.Errorf("LOG %q", env.Get("LOG").Text())
	}
	if b := gh.Get("tools").Get("enabled"); !boolean(b).IsTrue() {
		t.Errorf("tools.enabled: %v", b.Node())
	}
	srv := root.Get("mcp_servers").Get("é server")
	if h := srv.Get("http_headers").Get("Authorization"); h.Text() != "Bearer y" || h.Loc().Line != 14 || h.Loc().Col != 14 {
		t.Errorf("header %q at %v", h.Text(), h.Loc())
	}
	list := root.Get("profiles").Get("list").Items()
	if len(list) != 2 || list[1].Get("name").Text() != "b" {
		t.Errorf("array of tables: %d items", len(list))
	}
}

func TestParseTOMLErrors(t *testing.T) {
	for _, c := range []struct {
		src       string
		line, col int
	}{
		{"[mcp_servers.a]\ncommand = \n", 2, 11},
		{"a = 1\nb = PLANTEDsecret\n", 2, 5},
		{"[mcp_servers.a\nx = 1\n", 1, 15},
	} {
		_, err := ParseTOML("config.toml", []byte(c.src))
		se, ok := err.(*SyntaxError)
		if !ok {
			t.Errorf("%q: error %v, want a SyntaxError", c.src, err)
			continue
		}
		if se.Line != c.line || se.Col != c.col || strings.Contains(se.Msg, "PLANTED") || strings.Contains(se.Msg, "'P'") {
			t.Errorf("%q: %d:%d %s, want %d:%d and nothing of the file", c.src, se.Line, se.Col, se.Msg, c.line, c.col)
		}
	}
}

// TestScanCodex: Codex's MCP servers are lowered as every other MCP
// configuration's.
func TestScanCodex(t *testing.T) {
	p := Scan(&source.File{Path: ".codex/config.toml", Content: []byte(`[mcp_servers.sandbox]
command = "docker"
args = ["run", "--rm", "-i", "--privileged", "example/mcp:1"]
env_vars = ["HOME"]

[mcp_servers.sandbox.env]
API_TOKEN = "tok-live-0123456789abcdef"

[mcp_servers.docs]
url = "https://docs.example.com/mcp"
bearer_token_env_var = "DOCS_TOKEN"
http_headers = { "X-Api-Key" = "kQ8vN2pL5tR9wX3zA7cF" }
env_http_headers = { "X-Team-Token" = "TEAM_TOKEN" }
`)})
	if len(p.Notices) != 0 || len(p.Workloads) != 2 {
		t.Fatalf("%d workloads, notices %v", len(p.Workloads), p.Notices)
	}
	sb := p.Workloads[0].Containers[0]
	if !sb.Security.Privileged.IsTrue() || sb.Security.Privileged.Loc.Line != 3 || sb.Security.Privileged.Loc.Col != 30 {
		t.Errorf("privileged %+v", sb.Security.Privileged)
	}
	if len(sb.Env) != 1 || sb.Env[0].Name != "API_TOKEN" || sb.Env[0].Value.Loc.Line != 7 {
		t.Errorf("env %+v", sb.Env)
	}
	docs := p.Workloads[1]
	if docs.Endpoint == nil || len(docs.Endpoint.Headers) != 1 || docs.Endpoint.Headers[0].Name != "X-Api-Key" {
		t.Errorf("endpoint %+v", docs.Endpoint)
	}
	if p := Scan(&source.File{Path: ".codex/config.toml", Content: []byte("model = \"o3\"\n[broken\n")}); len(p.Notices) != 0 {
		t.Errorf("a Codex file without MCP servers is read: %v", p.Notices)
	}
}

// FuzzParseTOML: no input panics; whatever go-toml accepts is read, with
// every key it reads.
func FuzzParseTOML(f *testing.F) {
	for _, s := range []string{
		"[mcp_servers.a]\ncommand = \"npx\"\nargs = [\"-y\", 'p']\n",
		"a.b.c = 1\n[d]\ne = { f = [1, 2.5, true] }\n[[g]]\nh = 1979-05-27T07:32:00Z\n",
		"s = \"\"\"\nmulti\nline\"\"\"\nt = '''x'''\n",
		"\"quoted key\" = 'v' # comment\n",
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		doc, err := ParseTOML("f.toml", b)
		if err != nil {
			if _, ok := err.(*SyntaxError); !ok {
				t.Fatalf("error of type %T", err)
			}
		}
		var want map[string]any
		if toml.Unmarshal(b, &want) != nil {
			return
		}
		if err != nil {
			t.Fatalf("valid TOML rejected: %v", err)
		}
		if len(want) == 0 {
			return
		}
		if doc == nil {
			t.Fatal("valid TOML read as empty")
		}
		checkKeys(t, doc.Value(), want, "")
	})
}

func checkKeys(t *testing.T, v yamldoc.Value, want map[string]any, path string) {
	for k, w := range want {
		got := v.Get(k)
		if !got.Exists() {
			t.Fatalf("%s.%s: not read", path, k)
		}
		switch w := w.(type) {
		case map[string]any:
			checkKeys(t, got, w, path+"."+k)
		case []any:
			if n := len(got.Items()); n != len(w) {
				t.Fatalf("%s.%s: %d items, want %d", path, k, n, len(w))
			}
		case string:
			if got.Text() != w {
				t.Fatalf("%s.%s: %q, want %q", path, k, got.Text(), w)
			}
		}
	}
}

// TestParseTOMLManyTables: a table header is found through an index, not
// a scan of its parent's entries (8,000 [mcp_servers.x] tables grew the
// time 11x for 4x the tables), and a long line's columns are counted from
// the last value, not from the line's start. Both must keep the tree and
// positions the scans gave.
func TestParseTOMLManyTables(t *testing.T) {
	const n = 3000
	var b strings.Builder
	for i := range n {
		fmt.Fprintf(&b, "[mcp_servers.s%d]\ncommand = \"npx\"\n[mcp_servers.s%d.env]\nT = \"%d\"\n[[profiles]]\nname = \"p%d\"\n[profiles.opts]\nx = %d\n", i, i, i, i, i)
	}
	b.WriteString("[mcp_servers.s7]\nurl = \"https://late\"\n") // reopened: joins s7
	b.WriteString("args = [")
	for i := range n {
		fmt.Fprintf(&b, "\"é%d\", ", i)
	}
	b.WriteString("]\n")
	src := b.String()
	doc, err := ParseTOML("config.toml", []byte(src))
	if err != nil {
		t.Fatal(err)
	}
	servers := doc.Value().Get("mcp_servers").Pairs()
	if len(servers) != n {
		t.Fatalf("%d servers, want %d", len(servers), n)
	}
	s7 := doc.Value().Get("mcp_servers").Get("s7")
	if c, _ := s7.Get("command").Str(); c != "npx" || s7.Get("url").Text() != "https://late" || s7.Get("env").Get("T").Text() != "7" {
		t.Errorf("s7 = command %q, url %q: a reopened table was not joined", c, s7.Get("url").Text())
	}
	profiles := doc.Value().Get("profiles").Items()
	if len(profiles) != n || profiles[n-1].Get("opts").Get("x").Text() != strconv.Itoa(n-1) {
		t.Fatalf("%d profiles; the last one's opts: %q", len(profiles), profiles[len(profiles)-1].Get("opts").Get("x").Text())
	}
	args := s7.Get("args").Items()
	if len(args) != n {
		t.Fatalf("%d args", len(args))
	}
	lastLine := src[strings.LastIndex(src[:len(src)-1], "\n")+1:]
	for _, i := range []int{0, 1, n / 2, n - 1} {
		at := strings.Index(lastLine, fmt.Sprintf("\"é%d\"", i))
		want := utf8.RuneCountInString(lastLine[:at]) + 1
		if loc := args[i].Loc(); loc.Col != want {
			t.Errorf("args[%d] at column %d, want %d", i, loc.Col, want)
		}
	}
}
