// Package config reads .isolint.yaml: excludes, disabled rules, severity
// overrides, waivers (ignores) with reasons and expiry, rules that cannot be
// waived, and custom resource kinds with pod templates.
package config

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"time"

	"github.com/bmatcuk/doublestar/v4"
	"github.com/isolint/isolint/source"
	yaml "go.yaml.in/yaml/v3"
)

// Names are the file names looked up when --config is not given.
var Names = []string{".isolint.yaml", ".isolint.yml"}

// Config is the parsed configuration.
type Config struct {
	// Path is the file the config was read from ("" for none); File is its
	// display path.
	Path string `yaml:"-"`
	File string `yaml:"-"`
	// Dir is the absolute, symlink-resolved directory of the config file.
	// Exclude and ignore path globs match paths relative to it (as well as
	// display paths), so a config works wherever isolint is run from.
	Dir string `yaml:"-"`
	// SHA256 is the hex sha256 of the bytes parsed, for the report's
	// evidence: the config that was in force, read once.
	SHA256 string `yaml:"-"`

	Exclude             []string          `yaml:"exclude"`
	Disable             []string          `yaml:"disable"`
	Severity            map[string]string `yaml:"severity"`
	Ignore              []Ignore          `yaml:"ignore"`
	Unwaivable          []string          `yaml:"unwaivable"`
	FailOn              string            `yaml:"fail-on"`
	RequireEgressPolicy bool              `yaml:"require-egress-policy"`
	NoInlineIgnores     bool              `yaml:"no-inline-ignores"`
	CustomKinds         []CustomKind      `yaml:"custom-kinds"`
	Helm                []HelmChart       `yaml:"helm"`
	RunnerLabels        RunnerLabels      `yaml:"runner-labels"`

	lines map[string]int // entry → line, see Line
}

// Ignore waives a rule for files matching a glob, optionally only for one
// workload, with a reason and an optional expiry date.
type Ignore struct {
	Rule     string `yaml:"rule"`
	Path     string `yaml:"path"`
	Workload string `yaml:"workload"`
	Reason   string `yaml:"reason"`
	Expires  string `yaml:"expires"`
	// Line and Col locate the entry in the config file.
	Line int `yaml:"-"`
	Col  int `yaml:"-"`
}

// CustomKind maps a custom resource to the path of its pod spec.
type CustomKind struct {
	APIVersion string `yaml:"apiVersion"`
	Kind       string `yaml:"kind"`
	PodSpec    string `yaml:"podSpec"`
}

// HelmChart names the value sets to render the charts matching a glob
// with, each reported as its own release.
type HelmChart struct {
	Chart    string        `yaml:"chart"`
	Releases []HelmRelease `yaml:"releases"`
}

// HelmRelease is one named value set: values files relative to the chart
// folder, applied in order after values.yaml, then --set style overrides.
type HelmRelease struct {
	Name   string   `yaml:"name"`
	Values []string `yaml:"values"`
	Set    []string `yaml:"set"`
}

// RunnerLabels are an organisation's GitHub Actions runner labels (and
// runner group names), as actionlint's self-hosted-runner.labels: a label
// that is neither a standard GitHub-hosted label nor `self-hosted` is
// settled by these lists. Entries are path.Match globs ("linux-*").
type RunnerLabels struct {
	SelfHosted   []string `yaml:"self-hosted"`
	GitHubHosted []string `yaml:"github-hosted"`
}

// Error is a configuration problem with its position.
type Error struct {
	File string
	Line int
	Msg  string
}

func (e *Error) Error() string {
	if e.Line > 0 {
		return fmt.Sprintf("%s:%d: %s", e.File, e.Line, e.Msg)
	}
	return e.File + ": " + e.Msg
}

var (
	lineRe      = regexp.MustCompile(`line (\d+): `)
	unknownRe   = regexp.MustCompile(`field (\S+) not found in type \S+`)
	unmarshalRe = regexp.MustCompile("cannot unmarshal !!(\\w+)(?: `[^`]*`)? into (\\S+)")
)

// maxConfigSize bounds the config file: far more than any real one.
const maxConfigSize = 1 << 20

// Load reads a config file. display is the path to show in messages.
func Load(path, display string) (*Config, error) {
	b, err := source.ReadRegular(path, maxConfigSize)
	if err != nil {
		return nil, &Error{File: display, Msg: "cannot read config: " + errText(err)}
	}
	return Parse(b, path, display)
}

func errText(err error) string {
	var pe *fs.PathError
	if errors.As(err, &pe) {
		return pe.Err.Error()
	}
	return err.Error()
}

// Parse parses config bytes.
func Parse(b []byte, path, display string) (*Config, error) {
	sum := sha256.Sum256(b)
	c := &Config{Path: path, File: display, SHA256: hex.EncodeToString(sum[:]), lines: map[string]int{}}
	if path != "" {
		if abs, err := filepath.Abs(filepath.Dir(path)); err == nil {
			if real, err := filepath.EvalSymlinks(abs); err == nil {
				abs = real
			}
			c.Dir = abs
		}
	}
	if len(bytes.TrimSpace(b)) == 0 {
		return c, nil
	}
	dec := yaml.NewDecoder(bytes.NewReader(b))
	dec.KnownFields(true)
	if err := dec.Decode(c); err != nil {
		var te *yaml.TypeError
		if errors.As(err, &te) && len(te.Errors) > 0 {
			err = errors.New(te.Errors[0])
		}
		msg := strings.TrimPrefix(err.Error(), "yaml: ")
		line := 0
		if m := lineRe.FindStringSubmatchIndex(msg); m != nil {
			fmt.Sscan(msg[m[2]:m[3]], &line)
			msg = msg[:m[0]] + msg[m[1]:]
		}
		msg = unknownRe.ReplaceAllString(msg, `unknown key "$1" (see the Configuration section of the README)`)
		if m := unmarshalRe.FindStringSubmatch(msg); m != nil {
			msg = fmt.Sprintf("expected %s, got %s", goTypeName(m[2]), yamlKindName(m[1]))
		}
		return nil, &Error{File: display, Line: line, Msg: msg}
	}
	// a second document would be silently ignored: its waivers, excludes
	// and overrides would look applied and not be
	var next yaml.Node
	if err := dec.Decode(&next); err == nil {
		return nil, &Error{File: display, Line: max(next.Line, 1), Msg: "a second YAML document; the config is one document (remove the '---' or merge the two)"}
	} else if !errors.Is(err, io.EOF) {
		return nil, &Error{File: display, Msg: "text after the config document does not parse as YAML"}
	}
	// positions of entries, for findings about them and for errors
	var root yaml.Node
	if yaml.Unmarshal(b, &root) == nil && len(root.Content) > 0 && root.Content[0].Kind == yaml.MappingNode {
		m := root.Content[0]
		for i := 0; i+1 < len(m.Content); i += 2 {
			key, val := m.Content[i].Value, m.Content[i+1]
			c.lines[key] = m.Content[i].Line
			switch val.Kind {
			case yaml.SequenceNode:
				for j, it := range val.Content {
					c.lines[fmt.Sprintf("%s[%d]", key, j)] = it.Line
					if key == "ignore" && j < len(c.Ignore) {
						c.Ignore[j].Line, c.Ignore[j].Col = it.Line, it.Column
					}
				}
			case yaml.MappingNode:
				for j := 0; j+1 < len(val.Content); j += 2 {
					c.lines[key+"."+val.Content[j].Value] = val.Content[j].Line
				}
			}
		}
	}
	for i, g := range c.Exclude {
		if !doublestar.ValidatePattern(g) {
			return nil, &Error{File: display, Line: c.Line(fmt.Sprintf("exclude[%d]", i)), Msg: fmt.Sprintf("exclude[%d] is not a valid glob (an unclosed '[' or '{'?)", i)}
		}
	}
	for _, ig := range c.Ignore {
		if ig.Path != "" && !doublestar.ValidatePattern(ig.Path) {
			return nil, &Error{File: display, Line: ig.Line, Msg: "ignore path is not a valid glob (an unclosed '[' or '{'?); it would match nothing"}
		}
		if ig.Expires != "" {
			if _, err := time.Parse("2006-01-02", ig.Expires); err != nil {
				return nil, &Error{File: display, Line: ig.Line, Msg: fmt.Sprintf("ignore expires %q is not a date (want YYYY-MM-DD)", ig.Expires)}
			}
		}
		if ig.Rule == "" {
			return nil, &Error{File: display, Line: ig.Line, Msg: "ignore entry needs a rule"}
		}
	}
	for _, list := range []struct {
		key      string
		patterns []string
	}{{"self-hosted", c.RunnerLabels.SelfHosted}, {"github-hosted", c.RunnerLabels.GitHubHosted}} {
		for _, pat := range list.patterns {
			if _, err := filepath.Match(pat, ""); err != nil || strings.TrimSpace(pat) == "" {
				return nil, &Error{File: display, Line: c.Line("runner-labels." + list.key), Msg: fmt.Sprintf("runner-labels.%s: %q is not a label or glob pattern", list.key, pat)}
			}
		}
	}
	for i, k := range c.CustomKinds {
		if k.Kind == "" || k.APIVersion == "" || k.PodSpec == "" {
			return nil, &Error{File: display, Line: c.Line(fmt.Sprintf("custom-kinds[%d]", i)), Msg: "custom-kinds entries need apiVersion, kind and podSpec"}
		}
	}
	for i, h := range c.Helm {
		line := c.Line(fmt.Sprintf("helm[%d]", i))
		if h.Chart == "" || len(h.Releases) == 0 {
			return nil, &Error{File: display, Line: line, Msg: "helm entries need a chart glob and at least one release"}
		}
		if _, err := doublestarValid(h.Chart); err != nil {
			return nil, &Error{File: display, Line: line, Msg: fmt.Sprintf("helm chart glob %q is not valid", h.Chart)}
		}
		names := map[string]bool{}
		for _, r := range h.Releases {
			if r.Name == "" || names[r.Name] {
				return nil, &Error{File: display, Line: line, Msg: "each helm release needs a name of its own"}
			}
			names[r.Name] = true
			for _, v := range r.Values {
				if filepath.IsAbs(v) || strings.HasPrefix(filepath.ToSlash(filepath.Clean(v)), "../") {
					return nil, &Error{File: display, Line: line, Msg: fmt.Sprintf("helm release %s: values file %q must lie inside the chart folder", r.Name, v)}
				}
			}
		}
	}
	return c, nil
}

// doublestarValid checks a glob's syntax.
func doublestarValid(g string) (bool, error) {
	_, err := filepath.Match(strings.ReplaceAll(g, "**", "*"), "x")
	return err == nil, err
}

// Line returns the line of a config entry: a top-level key ("fail-on"), a
// list item ("disable[2]") or a mapping entry ("severity.host-network");
// 0 when unknown.
func (c *Config) Line(key string) int {
	if c == nil {
		return 0
	}
	return c.lines[key]
}

// Errorf returns a configuration error located at a config entry (see Line).
func (c *Config) Errorf(key, format string, args ...any) error {
	file := ""
	if c != nil {
		file = c.File
	}
	return &Error{File: file, Line: c.Line(key), Msg: fmt.Sprintf(format, args...)}
}

func goTypeName(t string) string {
	switch {
	case strings.HasPrefix(t, "[]"):
		return "a list"
	case strings.HasPrefix(t, "map["):
		return "a mapping"
	case t == "bool":
		return "true or false"
	case t == "string":
		return "a string"
	case strings.HasPrefix(t, "int"):
		return "a number"
	}
	return "a mapping"
}

func yamlKindName(tag string) string {
	switch tag {
	case "seq":
		return "a list"
	case "map":
		return "a mapping"
	case "str":
		return "a string"
	case "int", "float":
		return "a number"
	case "bool":
		return "a boolean"
	case "null":
		return "nothing"
	}
	return "a " + tag
}

// Rel returns the slash-separated path of the file at abs relative to the
// config file's directory, or "" when it lies outside that directory.
func (c *Config) Rel(abs string) string {
	if c == nil || c.Dir == "" || abs == "" {
		return ""
	}
	rel, err := filepath.Rel(c.Dir, abs)
	if err != nil || rel == ".." || strings.HasPrefix(rel, ".."+string(filepath.Separator)) {
		return ""
	}
	return filepath.ToSlash(rel)
}

// Find looks for a config file in dir; it returns "" when there is none.
// A config found by looking is confined as the scan is: one that resolves
// (through a symlink) outside dir, or is not a regular file, is an error
// and is not read. Only a path the user names with --config may lie
// anywhere.
func Find(dir string) (string, error) {
	for _, n := range Names {
		p := filepath.Join(dir, n)
		if _, err := os.Lstat(p); err != nil {
			continue
		}
		display := filepath.ToSlash(p)
		abs, err := filepath.Abs(p)
		if err != nil {
			return "", &Error{File: display, Msg: "config could not be located: " + err.Error()}
		}
		real, err := filepath.EvalSymlinks(abs)
		if err != nil {
			return "", &Error{File: display, Msg: "config is a broken symlink; not read"}
		}
		realDir, err := filepath.EvalSymlinks(filepath.Dir(abs))
		if err != nil || !source.Within(real, realDir) {
			return "", &Error{File: display, Msg: "config is a symlink to a file outside " + filepath.ToSlash(dir) + "; not read (name it with --config to use it)"}
		}
		if info, err := os.Stat(real); err != nil || !info.Mode().IsRegular() {
			return "", &Error{File: display, Msg: "config is not a regular file; not read"}
		}
		return p, nil
	}
	return "", nil
}
