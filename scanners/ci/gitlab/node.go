package gitlab

import (
	"strconv"
	"strings"

	"github.com/isolint/isolint/model"
	"github.com/isolint/isolint/scanners/yamldoc"
	yaml "go.yaml.in/yaml/v3"
)

// node is a GitLab configuration value after GitLab's own composition:
// `include` (files merged into one configuration), `extends` (jobs deep-
// merged over their parents), `default:` and `!reference` tags. YAML
// anchors and merge keys are already resolved by yamldoc. Leaves keep the
// yamldoc.Value they came from, so every fact keeps its file and position.
type node struct {
	v     yamldoc.Value // the value as written (for merged maps: the winning one)
	keys  []string      // mapping keys in order
	m     map[string]*node
	items []*node // sequence items, nested sequences flattened
	kind  byte    // 'm' mapping, 's' sequence, 'v' scalar or null, 'r' unresolved !reference
	ref   []string
	// via explains how the value reached where it is read (extends,
	// default, !reference); readers add it to locations' Via.
	via []model.Related
}

const maxConvertDepth = 64

// maxNodes bounds the values one pipeline composes into, so that nested
// YAML aliases (a "billion laughs") cannot exhaust time or memory.
const maxNodes = 200000

// converter turns yamldoc.Values into node trees. A mapping or list reached
// again through an alias is converted once and shared.
type converter struct {
	memo  map[*yaml.Node]*node
	count int
	over  bool
}

// convert turns a yamldoc.Value into a node tree; `!reference` tags become
// 'r' nodes resolved later against the merged configuration.
func (cv *converter) convert(v yamldoc.Value, depth int) *node {
	n := &node{v: v, kind: 'v'}
	cv.count++
	if depth > maxConvertDepth || cv.count > maxNodes {
		cv.over = cv.over || cv.count > maxNodes
		return n
	}
	yn := v.Node()
	if yn != nil && (v.IsMap() || v.IsSeq()) {
		if m, ok := cv.memo[yn]; ok {
			return m
		}
		if cv.memo == nil {
			cv.memo = map[*yaml.Node]*node{}
		}
		cv.memo[yn] = n
	}
	switch {
	case v.IsTagged("!reference") && v.IsSeq():
		n.kind = 'r'
		for _, it := range v.Items() {
			n.ref = append(n.ref, it.Text())
		}
	case v.IsMap():
		n.kind = 'm'
		n.m = map[string]*node{}
		for _, pr := range v.Pairs() {
			if _, dup := n.m[pr.Key]; !dup {
				n.keys = append(n.keys, pr.Key)
			}
			n.m[pr.Key] = cv.convert(pr.Value, depth+1)
		}
	case v.IsSeq():
		n.kind = 's'
		for _, it := range v.Items() {
			n.items = append(n.items, cv.convert(it, depth+1))
		}
	}
	return n
}

// get returns a mapping's child, carrying the parent's via.
func (n *node) get(key string) *node {
	if n == nil || n.kind != 'm' {
		return nil
	}
	c := n.m[key]
	if c == nil || len(n.via) == 0 {
		return c
	}
	cp := *c
	cp.via = append(append([]model.Related(nil), n.via...), c.via...)
	return &cp
}

// list returns a sequence's items (with via), or the node itself for a
// scalar (GitLab accepts a string where a one-item list is meant).
func (n *node) list() []*node {
	if n == nil {
		return nil
	}
	switch n.kind {
	case 's':
		out := make([]*node, 0, len(n.items))
		for _, it := range n.items {
			if len(n.via) > 0 {
				cp := *it
				cp.via = append(append([]model.Related(nil), n.via...), it.via...)
				it = &cp
			}
			out = append(out, it)
		}
		return out
	case 'v':
		if n.v.IsNull() {
			return nil
		}
		return []*node{n}
	}
	return nil
}

// text is a scalar's text ("" for anything else).
func (n *node) text() string {
	if n == nil || n.kind != 'v' {
		return ""
	}
	return n.v.Text()
}

func (n *node) exists() bool { return n != nil && !(n.kind == 'v' && n.v.IsNull()) }

// loc is the value's location (its key, or the item).
func (n *node) loc() model.Location { return n.v.Loc() }

// keyLoc is the location of the value's key.
func (n *node) keyLoc() model.Location { return n.v.KeyLoc() }

// str reads a scalar as a model.String with the node's via.
func (n *node) str() model.String {
	if n == nil {
		return model.String{}
	}
	s := n.v.StringVal()
	s.Via = append(s.Via, n.via...)
	return s
}

// withVia returns a copy of n that carries rel.
func (n *node) withVia(rel model.Related) *node {
	cp := *n
	cp.via = append(append([]model.Related(nil), n.via...), rel)
	return &cp
}

// merge deep-merges over onto base as GitLab does for include and extends:
// mappings merge key by key, anything else is replaced. Entries taken from
// base alone carry rel.
func merge(base, over *node, rel *model.Related, depth int) *node {
	if base == nil {
		return over
	}
	if over == nil {
		if rel != nil {
			return base.withVia(*rel)
		}
		return base
	}
	if base.kind != 'm' || over.kind != 'm' || depth > maxConvertDepth {
		return over
	}
	// children carry their parents' via (get), so the merged map has none
	out := &node{v: over.v, kind: 'm', m: map[string]*node{}}
	for _, k := range base.keys {
		out.keys = append(out.keys, k)
		if _, ok := over.m[k]; ok {
			out.m[k] = merge(base.get(k), over.get(k), rel, depth+1)
		} else if rel != nil {
			out.m[k] = base.get(k).withVia(*rel)
		} else {
			out.m[k] = base.get(k)
		}
	}
	for _, k := range over.keys {
		if _, ok := base.m[k]; !ok {
			out.keys = append(out.keys, k)
			out.m[k] = over.get(k)
		}
	}
	return out
}

// maxReferenceDepth is GitLab's limit on nested !reference tags.
const maxReferenceDepth = 10

// resolver replaces `!reference [.job, key, …]` nodes with what they name
// in the configuration, flattening sequences into sequences as GitLab does
// for scripts and rules. Shared subtrees are resolved once; the values
// produced are bounded by maxNodes.
type resolver struct {
	global *node
	notice func(n *node, msg string)
	memo   map[*node]*node
	count  int
	over   bool
}

func (r *resolver) resolve(n *node, depth int) *node {
	if n == nil || depth > maxReferenceDepth*4 {
		return n
	}
	if n.kind != 'r' {
		if m, ok := r.memo[n]; ok {
			return m
		}
	}
	var out *node
	switch n.kind {
	case 'r':
		target := r.global
		for _, k := range n.ref {
			target = target.get(k)
			if target == nil {
				r.notice(n, "!reference ["+strings.Join(n.ref, ", ")+"] names nothing in the configuration")
				return &node{v: n.v, kind: 'v'}
			}
		}
		if depth >= maxReferenceDepth {
			r.notice(n, "!reference nesting is deeper than GitLab allows")
			return &node{v: n.v, kind: 'v'}
		}
		res := r.resolve(target, depth+1)
		return res.withVia(model.Related{Loc: n.v.Loc(), Message: "taken from !reference [" + strings.Join(n.ref, ", ") + "] here"})
	case 'm':
		out = &node{v: n.v, kind: 'm', keys: n.keys, m: make(map[string]*node, len(n.m)), via: n.via}
		if r.memo == nil {
			r.memo = map[*node]*node{}
		}
		r.memo[n] = out
		for k, c := range n.m {
			out.m[k] = r.resolve(c, depth)
		}
	case 's':
		out = &node{v: n.v, kind: 's', via: n.via}
		if r.memo == nil {
			r.memo = map[*node]*node{}
		}
		r.memo[n] = out
		for _, it := range n.items {
			res := r.resolve(it, depth)
			items := []*node{res}
			if res.kind == 's' && (it.kind == 'r' || it.kind == 's') {
				items = res.list()
			}
			r.count += len(items)
			if r.count > maxNodes {
				if !r.over {
					r.over = true
					r.notice(n, "the configuration expands to more than "+strconv.Itoa(maxNodes)+" values (nested aliases or !reference tags); the rest was not read")
				}
				break
			}
			out.items = append(out.items, items...)
		}
	default:
		return n
	}
	return out
}
