package helm

import (
	"strconv"
	"strings"

	yaml "go.yaml.in/yaml/v3"
)

// chartScope is one chart of a render (the chart itself or a subchart):
// where its values sit in the top chart's values, and its own values.yaml.
type chartScope struct {
	name   string
	prefix valuePath  // keys from the top chart's values to this chart's
	own    *valueFile // the chart's values.yaml (nil when it has none)
}

// valueFile is a values file parsed with positions.
type valueFile struct {
	display string
	root    *yaml.Node
}

func parseValueFile(display string, data []byte) *valueFile {
	var n yaml.Node
	if err := yaml.Unmarshal(data, &n); err != nil || n.Kind == 0 {
		return &valueFile{display: display}
	}
	root := &n
	if root.Kind == yaml.DocumentNode && len(root.Content) > 0 {
		root = root.Content[0]
	}
	return &valueFile{display: display, root: root}
}

// valueSources are the values files of one release, highest precedence
// first: --values / value-set files (last given first), then the top
// chart's values.yaml. A subchart's own values.yaml comes last for it.
type valueSources struct {
	top []*valueFile
}

// valueNode is a node found in a values file: the key (nil for a list
// item) and the value.
type valueNode struct {
	key, value *yaml.Node
}

func (p valuePath) wild() bool {
	for _, k := range p {
		if k == "[*]" {
			return true
		}
	}
	return false
}

// find looks a values path up for a chart scope, in precedence order, and
// returns the first node that holds what was rendered (want; nil: any).
func (s *valueSources) find(scope *chartScope, p valuePath, want *yaml.Node) (valueNode, string, bool) {
	if s == nil || scope == nil {
		return valueNode{}, "", false
	}
	full := append(append(valuePath{}, scope.prefix...), p...)
	for _, f := range s.top {
		if n, ok := lookup(f.root, full, want); ok {
			return n, f.display, true
		}
		// a subchart's .Values.global is its parent's global
		if len(scope.prefix) > 0 && len(p) > 0 && p[0] == "global" {
			if n, ok := lookup(f.root, p, want); ok {
				return n, f.display, true
			}
		}
	}
	if scope.own != nil && len(scope.prefix) > 0 {
		if n, ok := lookup(scope.own.root, p, want); ok {
			return n, scope.own.display, true
		}
	}
	return valueNode{}, "", false
}

// findSuffix looks, in precedence order, for the one node of a values file
// whose path ends with suffix and holds what was rendered. A file with
// several such nodes is ambiguous: nothing is returned.
func (s *valueSources) findSuffix(scope *chartScope, suffix valuePath, want *yaml.Node) (valueNode, string, bool) {
	if s == nil || scope == nil || len(suffix) == 0 {
		return valueNode{}, "", false
	}
	files := append([]*valueFile{}, s.top...)
	if scope.own != nil && len(scope.prefix) > 0 {
		files = append(files, scope.own)
	}
	for _, f := range files {
		var found []valueNode
		var walk func(n *yaml.Node, depth int)
		walk = func(n *yaml.Node, depth int) {
			n = deref(n)
			if n == nil || depth > 32 || len(found) > 1 {
				return
			}
			switch n.Kind {
			case yaml.MappingNode:
				for i := 0; i+1 < len(n.Content); i += 2 {
					if n.Content[i].Value == suffix[0] {
						if r, ok := walkPath(valueNode{key: n.Content[i], value: n.Content[i+1]}, suffix[1:], want, 0); ok {
							found = append(found, r)
						}
					}
					walk(n.Content[i+1], depth+1)
				}
			case yaml.SequenceNode:
				for _, it := range n.Content {
					walk(it, depth+1)
				}
			}
		}
		walk(f.root, 0)
		if len(found) == 1 {
			return found[0], f.display, true
		}
		if len(found) > 1 {
			return valueNode{}, "", false
		}
	}
	return valueNode{}, "", false
}

// lookup follows a path in a values tree; "[*]" tries every element.
func lookup(root *yaml.Node, p valuePath, want *yaml.Node) (valueNode, bool) {
	if root == nil {
		return valueNode{}, false
	}
	return walkPath(valueNode{value: root}, p, want, 0)
}

func walkPath(at valueNode, p valuePath, want *yaml.Node, depth int) (valueNode, bool) {
	n := deref(at.value)
	if n == nil || depth > 64 {
		return valueNode{}, false
	}
	if len(p) == 0 {
		if matches(n, want) {
			return at, true
		}
		return valueNode{}, false
	}
	k := p[0]
	switch n.Kind {
	case yaml.MappingNode:
		if k == "[*]" {
			for i := 0; i+1 < len(n.Content); i += 2 {
				if r, ok := walkPath(valueNode{key: n.Content[i], value: n.Content[i+1]}, p[1:], want, depth+1); ok {
					return r, true
				}
			}
			return valueNode{}, false
		}
		// the last of duplicate keys wins, as when Helm reads the file
		for i := len(n.Content) - 2; i >= 0; i -= 2 {
			if n.Content[i].Value == k {
				return walkPath(valueNode{key: n.Content[i], value: n.Content[i+1]}, p[1:], want, depth+1)
			}
		}
	case yaml.SequenceNode:
		if k == "[*]" {
			for _, it := range n.Content {
				if r, ok := walkPath(valueNode{value: it}, p[1:], want, depth+1); ok {
					return r, true
				}
			}
			return valueNode{}, false
		}
		if strings.HasPrefix(k, "[") && strings.HasSuffix(k, "]") {
			i, err := strconv.Atoi(k[1 : len(k)-1])
			if err == nil && i >= 0 && i < len(n.Content) {
				return walkPath(valueNode{value: n.Content[i]}, p[1:], want, depth+1)
			}
		}
	}
	return valueNode{}, false
}

func deref(n *yaml.Node) *yaml.Node {
	for i := 0; n != nil && n.Kind == yaml.AliasNode && i < 8; i++ {
		n = n.Alias
	}
	return n
}

// matches reports whether a values node can be what was rendered: the same
// scalar, or a collection for a collection.
func matches(v, want *yaml.Node) bool {
	want = deref(want)
	if want == nil {
		return true
	}
	switch want.Kind {
	case yaml.ScalarNode:
		if v.Kind != yaml.ScalarNode {
			return false
		}
		if v.Value == want.Value {
			return true
		}
		return strings.EqualFold(v.Value, want.Value) && isBool(v.Value)
	case yaml.MappingNode, yaml.SequenceNode:
		return v.Kind == want.Kind
	}
	return false
}

func isBool(s string) bool {
	switch strings.ToLower(s) {
	case "true", "false", "yes", "no", "on", "off":
		return true
	}
	return false
}
