package fix

import (
	"bytes"
	"strings"

	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hclsyntax"
	"github.com/hashicorp/hcl/v2/hclwrite"
	"github.com/isolint/isolint/model"
	"github.com/isolint/isolint/rules"
	"github.com/zclconf/go-cty/cty"
)

// hclFile is a Terraform file parsed for editing: blocks keep their
// ranges, and each block knows its parent, so that a fix can climb from
// the block or attribute a finding points at to the container block it
// edits. Edits are text edits at those ranges, as for YAML.
type hclFile struct {
	src    []byte
	body   *hclsyntax.Body
	parent map[*hclsyntax.Block]*hclsyntax.Block
	lines  []int // byte offset of each line's start
}

func parseHCL(path string, src []byte) (*hclFile, bool) {
	if bytes.Contains(src, []byte("\r\n")) {
		return nil, false // byte ranges below assume one-byte line ends
	}
	file, diags := hclsyntax.ParseConfig(src, path, hcl.InitialPos)
	if diags.HasErrors() {
		return nil, false
	}
	body, ok := file.Body.(*hclsyntax.Body)
	if !ok {
		return nil, false
	}
	f := &hclFile{src: src, body: body, parent: map[*hclsyntax.Block]*hclsyntax.Block{}, lines: []int{0}}
	for i, b := range src {
		if b == '\n' {
			f.lines = append(f.lines, i+1)
		}
	}
	var link func(b *hclsyntax.Body, parent *hclsyntax.Block, depth int)
	link = func(b *hclsyntax.Body, parent *hclsyntax.Block, depth int) {
		if depth > maxDepth {
			return
		}
		for _, blk := range b.Blocks {
			f.parent[blk] = parent
			link(blk.Body, blk, depth+1)
		}
	}
	link(body, nil, 0)
	return f, true
}

// blockAt returns the innermost block whose type keyword or one of whose
// attributes' names starts at line:col.
func (f *hclFile) blockAt(line, col int) *hclsyntax.Block {
	var found, inside *hclsyntax.Block
	for blk := range f.parent {
		if r := blk.TypeRange; r.Start.Line == line && r.Start.Column == col {
			return blk
		}
		for _, a := range blk.Body.Attributes {
			if r := a.NameRange; r.Start.Line == line && r.Start.Column == col {
				found = blk
			}
			if within(a.Expr.Range(), line, col) {
				inside = blk // an item of a list, a key of jsonencode's object
			}
		}
	}
	if found == nil {
		return inside
	}
	return found
}

// within reports whether line:col lies in r.
func within(r hcl.Range, line, col int) bool {
	after := line > r.Start.Line || line == r.Start.Line && col >= r.Start.Column
	before := line < r.End.Line || line == r.End.Line && col < r.End.Column
	return after && before
}

func (f *hclFile) climb(b *hclsyntax.Block, types ...string) *hclsyntax.Block {
	for n, depth := b, 0; n != nil && depth <= maxDepth; n, depth = f.parent[n], depth+1 {
		for _, t := range types {
			if n.Type == t {
				return n
			}
		}
	}
	return nil
}

// child returns the only nested block of the type (nil when none, or when
// several would make the choice a guess).
func child(b *hclsyntax.Block, typ string) (*hclsyntax.Block, bool) {
	var found *hclsyntax.Block
	for _, c := range b.Body.Blocks {
		if c.Type == typ {
			if found != nil {
				return nil, false
			}
			found = c
		}
	}
	return found, true
}

// indentAt is the indentation of the line holding byte offset off.
func (f *hclFile) indentAt(line int) string {
	start := f.lines[line-1]
	end := start
	for end < len(f.src) && (f.src[end] == ' ' || f.src[end] == '\t') {
		end++
	}
	return string(f.src[start:end])
}

// hclChange sets attribute path[len-1] = value inside the nested blocks
// path[:len-1] of anchor, creating blocks that are missing.
type hclChange struct {
	anchor *hclsyntax.Block
	path   []string
	value  string
	// text: an edit inside an expression (jsonencode's objects), made as
	// it is; anchor and path are then unused
	text *edit
}

// planHCL renders changes as edits; blocks written on one line are left
// for the user.
func (f *hclFile) planHCL(changes []hclChange) ([]edit, error) {
	var edits []edit
	inserts := map[*hclsyntax.Block][]string{}
	var order []*hclsyntax.Block
	seen := map[edit]bool{}
	for _, c := range changes {
		if c.text != nil {
			if !seen[*c.text] {
				seen[*c.text] = true
				edits = append(edits, *c.text)
			}
			continue
		}
		b := c.anchor
		path := c.path
		for len(path) > 1 {
			next, ok := child(b, path[0])
			if !ok {
				return nil, errCannot
			}
			if next == nil {
				break
			}
			b, path = next, path[1:]
		}
		if b.OpenBraceRange.Start.Line == b.CloseBraceRange.Start.Line {
			return nil, errCannot
		}
		if len(path) == 1 {
			if a, ok := b.Body.Attributes[path[0]]; ok {
				r := a.Expr.Range()
				if r.Start.Line != r.End.Line {
					return nil, errCannot
				}
				if strings.TrimSpace(string(f.src[r.Start.Byte:r.End.Byte])) == c.value {
					continue
				}
				edits = append(edits, edit{start: r.Start.Byte, end: r.End.Byte, text: c.value})
				continue
			}
		}
		// the missing blocks and the attribute, as lines inside b
		var lines []string
		for i, name := range path[:len(path)-1] {
			lines = append(lines, strings.Repeat("  ", i)+name+" {")
		}
		lines = append(lines, strings.Repeat("  ", len(path)-1)+path[len(path)-1]+" = "+c.value)
		for i := len(path) - 2; i >= 0; i-- {
			lines = append(lines, strings.Repeat("  ", i)+"}")
		}
		if _, seen := inserts[b]; !seen {
			order = append(order, b)
		}
		inserts[b] = mergeHCLLines(inserts[b], lines)
	}
	for _, b := range order {
		closeLine := b.CloseBraceRange.Start.Line
		indent := f.indentAt(b.TypeRange.Start.Line) + "  "
		// formatted as `terraform fmt` would (aligned `=`), and set apart
		// by a blank line so that the lines around keep their alignment
		snippet := hclwrite.Format([]byte(strings.Join(inserts[b], "\n") + "\n"))
		var text strings.Builder
		if len(b.Body.Attributes) > 0 || len(b.Body.Blocks) > 0 {
			text.WriteString("\n")
		}
		for _, l := range strings.SplitAfter(strings.TrimSuffix(string(snippet), "\n"), "\n") {
			text.WriteString(indent + strings.TrimSuffix(l, "\n") + "\n")
		}
		at := f.lines[closeLine-1]
		edits = append(edits, edit{start: at, end: at, text: text.String(), indent: len(indent)})
	}
	return edits, nil
}

// mergeHCLLines adds lines to what is already to be inserted, merging a
// new block into an inserted block of the same name (two fixes that both
// create security_context write it once).
func mergeHCLLines(have, add []string) []string {
	if len(add) > 1 && strings.HasSuffix(add[0], " {") {
		for i, l := range have {
			if l == add[0] {
				// insert add's inner lines before the block's closing line
				depth := 0
				for j := i; j < len(have); j++ {
					if strings.HasSuffix(have[j], "{") {
						depth++
					}
					if strings.TrimSpace(have[j]) == "}" {
						depth--
						if depth == 0 {
							inner := mergeHCLLines(append([]string(nil), have[i+1:j]...), add[1:len(add)-1])
							out := append(append(append([]string{}, have[:i+1]...), inner...), have[j:]...)
							return out
						}
					}
				}
			}
		}
	}
	return append(append([]string(nil), have...), add...)
}

// hclDoes says what each Terraform fix does.
var hclDoes = map[string]string{
	"privilege-escalation":            "sets `allow_privilege_escalation = false` in a `kubernetes_*` container's `security_context` (an ECS container definition in `jsonencode`: adds `no-new-privileges` to `dockerSecurityOptions`), where it is not privileged and adds no SYS_ADMIN or ALL (safe)",
	"writable-root-filesystem":        "sets `read_only_root_filesystem = true` in a `kubernetes_*` container's `security_context`, and `readonlyRootFilesystem = true` in an ECS container definition written with `jsonencode` (unsafe)",
	"dangerous-capability":            "removes the capability from a `kubernetes_*` container's `capabilities.add` (an ECS container definition's `linuxParameters.capabilities.add` in `jsonencode`) and sets `drop = [\"ALL\"]` beside it (unsafe)",
	"runs-as-root":                    "sets `run_as_non_root = true` in a `kubernetes_*` container's `security_context`, unless `run_as_user` is written (unsafe)",
	"service-account-token-automount": "sets `automount_service_account_token = false` in a `kubernetes_*` pod spec (unsafe)",
}

// hclFixers are the Terraform fixes: the kubernetes_* container settings
// (ECS container definitions are JSON inside strings and are left).
var hclFixers = map[string]func(f *hclFile, at *hclsyntax.Block, fd rules.Finding) ([]hclChange, Safety){
	"privilege-escalation": func(f *hclFile, at *hclsyntax.Block, fd rules.Finding) ([]hclChange, Safety) {
		c := f.climb(at, "container", "init_container")
		if c == nil {
			if o := f.containerObject(at, fd); o != nil && !f.ecsObjectEscalates(o) {
				if e := f.appendToList(o, "dockerSecurityOptions", `"no-new-privileges"`); e != nil {
					return []hclChange{{text: e}}, Safe
				}
			}
			return nil, 0
		}
		if hclEscalates(c) {
			return nil, 0
		}
		return []hclChange{{anchor: c, path: []string{"security_context", "allow_privilege_escalation"}, value: "false"}}, Safe
	},
	"writable-root-filesystem": func(f *hclFile, at *hclsyntax.Block, fd rules.Finding) ([]hclChange, Safety) {
		c := f.climb(at, "container", "init_container")
		if c == nil {
			if o := f.containerObject(at, fd); o != nil {
				if e := f.setInObject(o, "readonlyRootFilesystem", "true"); e != nil && e.text != "" {
					return []hclChange{{text: e}}, Unsafe
				}
			}
			return nil, 0
		}
		return []hclChange{{anchor: c, path: []string{"security_context", "read_only_root_filesystem"}, value: "true"}}, Unsafe
	},
	"runs-as-root": func(f *hclFile, at *hclsyntax.Block, _ rules.Finding) ([]hclChange, Safety) {
		c := f.climb(at, "container", "init_container")
		if c == nil {
			return nil, 0
		}
		if sc, _ := child(c, "security_context"); sc != nil {
			if _, ok := sc.Body.Attributes["run_as_user"]; ok {
				return nil, 0 // a written user, root or a variable: the user's call
			}
		}
		return []hclChange{{anchor: c, path: []string{"security_context", "run_as_non_root"}, value: "true"}}, Unsafe
	},
	"dangerous-capability": func(f *hclFile, at *hclsyntax.Block, fd rules.Finding) ([]hclChange, Safety) {
		if at.Type != "capabilities" {
			if ch := f.ecsCapability(at, fd); ch != nil {
				return ch, Unsafe
			}
			return nil, 0
		}
		a, ok := at.Body.Attributes["add"]
		if !ok || f.climb(at, "container", "init_container") == nil {
			return nil, 0
		}
		list, ok := a.Expr.(*hclsyntax.TupleConsExpr)
		if !ok {
			return nil, 0
		}
		rest, ok := f.without(list, fd.Loc.Line, fd.Loc.Col)
		if !ok {
			return nil, 0
		}
		return []hclChange{{anchor: at, path: []string{"add"}, value: rest}, {anchor: at, path: []string{"drop"}, value: `["ALL"]`}}, Unsafe
	},
	"service-account-token-automount": func(f *hclFile, at *hclsyntax.Block, _ rules.Finding) ([]hclChange, Safety) {
		for n := at; n != nil; n = f.parent[n] {
			if n.Type != "spec" {
				continue
			}
			for _, c := range n.Body.Blocks {
				if c.Type == "container" || c.Type == "dynamic" && len(c.Labels) == 1 && c.Labels[0] == "container" {
					return []hclChange{{anchor: n, path: []string{"automount_service_account_token"}, value: "false"}}, Unsafe
				}
			}
		}
		return nil, 0
	},
}

// hclEscalates: privileged (or not known to be false), or SYS_ADMIN or
// ALL added (or additions not known offline).
func hclEscalates(c *hclsyntax.Block) bool {
	sc, _ := child(c, "security_context")
	if sc == nil {
		return false
	}
	if a, ok := sc.Body.Attributes["privileged"]; ok {
		v, diags := a.Expr.Value(nil)
		if diags.HasErrors() || !v.IsKnown() || v.IsNull() || v.Type() != cty.Bool || v.True() {
			return true
		}
	}
	if caps, _ := child(sc, "capabilities"); caps != nil {
		if a, ok := caps.Body.Attributes["add"]; ok && addsAdmin(a.Expr) {
			return true
		}
	}
	return false
}

// hclEditable: plain .tf files (not .tf.json, whose JSON isolint does
// not edit).
func hclEditable(f model.Format, path string) bool {
	return f == model.FormatTerraform && strings.HasSuffix(strings.ToLower(path), ".tf")
}
