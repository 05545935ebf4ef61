package terraform

import (
	"bytes"
	"errors"
	"path"
	"sort"
	"strconv"
	"strings"

	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/ext/typeexpr"
	"github.com/hashicorp/hcl/v2/hclsyntax"
	hcljson "github.com/hashicorp/hcl/v2/json"
	"github.com/isolint/isolint/model"
	"github.com/isolint/isolint/source"
	"github.com/zclconf/go-cty/cty"
)

// module is one directory of .tf / .tf.json files.
type module struct {
	dir    string // display path of the directory ("." for the source root)
	absDir string
	root   string // the scan root it lies under
	// files are the module's files, whose contents and syntax trees are
	// let go of once the last root module that calls it is lowered
	files []*source.File

	vars      map[string]*variable
	locals    map[string]*local
	resources map[string]*resource // "type.name"
	data      map[string]*resource // "type.name"
	resOrder  []*resource
	calls     map[string]*moduleCall
	callOrder []*moduleCall
	outputs   map[string]hcl.Expression
	tfvars    []*tfvarsFile
	called    bool
	// planned are the blocks of the files plan parsed, until load reads
	// them; loaded is set once it has.
	planned map[*source.File][]*hcl.Block
	loaded  bool
}

type variable struct {
	name    string
	decl    hcl.Range
	def     *hcl.Attribute
	typ     cty.Type
	typed   bool
	details *typeexpr.Defaults
}

type local struct {
	name string
	attr *hcl.Attribute
}

type resource struct {
	typ, name string
	data      bool
	block     *hcl.Block
	count     hcl.Expression
	forEach   hcl.Expression
}

// addr is the resource's address inside its module.
func (r *resource) addr() string {
	if r.data {
		return "data." + r.typ + "." + r.name
	}
	return r.typ + "." + r.name
}

type moduleCall struct {
	name   string
	block  *hcl.Block
	source string
	// sourceRange is the source value, where a notice about it belongs
	sourceRange hcl.Range
	inputs      hcl.Attributes
	count       hcl.Expression
	forEach     hcl.Expression
	target      *module
}

// tfvarsFile is an automatically loaded variable file of a root module.
type tfvarsFile struct {
	attrs hcl.Attributes
}

var topSchema = &hcl.BodySchema{Blocks: []hcl.BlockHeaderSchema{
	{Type: "variable", LabelNames: []string{"name"}},
	{Type: "locals"},
	{Type: "resource", LabelNames: []string{"type", "name"}},
	{Type: "data", LabelNames: []string{"type", "name"}},
	{Type: "module", LabelNames: []string{"name"}},
	{Type: "output", LabelNames: []string{"name"}},
	{Type: "provider", LabelNames: []string{"name"}},
	{Type: "terraform"},
	{Type: "moved"},
	{Type: "import"},
	{Type: "removed"},
	{Type: "check", LabelNames: []string{"name"}},
	{Type: "ephemeral", LabelNames: []string{"type", "name"}},
}}

var variableSchema = &hcl.BodySchema{Attributes: []hcl.AttributeSchema{
	{Name: "type"}, {Name: "default"}, {Name: "description"}, {Name: "sensitive"}, {Name: "nullable"}, {Name: "ephemeral"},
}}

var outputSchema = &hcl.BodySchema{Attributes: []hcl.AttributeSchema{{Name: "value"}}}

// isConfig reports a Terraform configuration file.
func isConfig(p string) bool {
	return strings.HasSuffix(p, ".tf") || strings.HasSuffix(p, ".tf.json")
}

// isTfvars reports a variable definitions file.
func isTfvars(p string) bool {
	return strings.HasSuffix(p, ".tfvars") || strings.HasSuffix(p, ".tfvars.json")
}

// autoLoaded reports a variable file Terraform reads without -var-file.
func autoLoaded(p string) bool {
	b := path.Base(p)
	return b == "terraform.tfvars" || b == "terraform.tfvars.json" ||
		strings.HasSuffix(b, ".auto.tfvars") || strings.HasSuffix(b, ".auto.tfvars.json")
}

// parse reads a file as native HCL or JSON syntax. A file nested deeper
// than source.MaxNesting is not handed to the parser, which would overflow
// the stack (a fatal error, not a panic).
func parse(f *source.File) (*hcl.File, hcl.Diagnostics) {
	syn := source.HCL
	if strings.HasSuffix(f.Path, ".json") {
		syn = source.JSON
	}
	if err := source.CheckNesting(f.Content, syn, 0); err != nil {
		var ne *source.NestingError
		errors.As(err, &ne)
		pos := hcl.Pos{Line: ne.Line, Column: ne.Col}
		return nil, hcl.Diagnostics{{Severity: hcl.DiagError, Summary: "Nesting too deep",
			Detail:  "more than " + strconv.Itoa(ne.Limit) + " levels of brackets, strings or templates inside one another; the file was not parsed",
			Subject: &hcl.Range{Filename: f.Path, Start: pos, End: pos}}}
	}
	if syn == source.JSON {
		return hcljson.Parse(f.Content, f.Path)
	}
	return hclsyntax.ParseConfig(f.Content, f.Path, hcl.InitialPos)
}

// parseFile is parse; tests wrap it to follow the syntax trees.
var parseFile = parse

// parsed is a file parsed ahead of ScanAll by Prepare.
type parsed struct {
	file  *hcl.File // nil for a tfvars file no module loads (only its errors count)
	diags hcl.Diagnostics
}

// Prepare parses, on a parallel file worker, a file that ScanAll needs
// before it knows the root modules (see eager). Every other file is parsed
// when the root module that reads it is lowered, so that the syntax of
// every file of a scan is not held at once.
func Prepare(f *source.File) {
	if !eager(f) {
		return
	}
	hf, diags := parseFile(f)
	if isTfvars(f.Path) && !autoLoaded(f.Path) {
		hf = nil
	}
	f.Prepared = &parsed{file: hf, diags: diags}
}

// eager reports a file that may call a module: which directories are root
// modules is known only once every module call of the scan is. A module
// block begins with the word module, not followed by a dot (module.x.y
// refers to a call's output); a JSON file may spell its keys with escapes.
// Variable files are small and parsed ahead too.
func eager(f *source.File) bool {
	if strings.HasSuffix(f.Path, ".json") || isTfvars(f.Path) {
		return true
	}
	b := f.Content
	for {
		i := bytes.Index(b, moduleWord)
		if i < 0 {
			return false
		}
		b = b[i+len(moduleWord):]
		if len(b) == 0 || b[0] != '.' {
			return true
		}
	}
}

var moduleWord = []byte("module")

// parseOnce returns the file's syntax, from Prepare when it ran, and lets
// go of what Prepare kept: the module keeps what it reads.
func parseOnce(f *source.File) (*hcl.File, hcl.Diagnostics) {
	if p, ok := f.Prepared.(*parsed); ok {
		f.Prepared = nil
		return p.file, p.diags
	}
	return parseFile(f)
}

// plan reads the module calls of one directory: it parses the files that
// may call a module (eager), keeping their blocks for load.
func (r *run) plan(dir string, files []*source.File) *module {
	m := &module{dir: dir, files: files, calls: map[string]*moduleCall{}, planned: map[*source.File][]*hcl.Block{}}
	if len(files) > 0 {
		m.absDir = parentDir(files[0].Abs)
		m.root = files[0].Root
	}
	for _, f := range files {
		if isTfvars(f.Path) || !eager(f) {
			continue
		}
		hf, diags := parseOnce(f)
		r.diagNotices(diags)
		var blocks []*hcl.Block
		if hf != nil && hf.Body != nil {
			content, _, _ := hf.Body.PartialContent(topSchema)
			blocks = content.Blocks
		}
		m.planned[f] = blocks
		for _, b := range blocks {
			if b.Type == "module" {
				r.block(m, b)
			}
		}
	}
	return m
}

// load reads the rest of a planned module: it parses its other files and
// reads every block but the module calls plan read.
func (r *run) load(m *module) {
	if m.loaded {
		return
	}
	m.loaded = true
	m.vars, m.locals = map[string]*variable{}, map[string]*local{}
	m.resources, m.data = map[string]*resource{}, map[string]*resource{}
	m.outputs = map[string]hcl.Expression{}
	var varFiles []*source.File
	for _, f := range m.files {
		if isTfvars(f.Path) {
			if autoLoaded(f.Path) {
				varFiles = append(varFiles, f)
			} else if _, diags := parseOnce(f); diags.HasErrors() {
				r.diagNotices(diags) // read by -var-file: still report bad syntax
			}
			continue
		}
		blocks, planned := m.planned[f]
		if !planned {
			hf, diags := r.parsed(f)
			r.diagNotices(diags)
			if hf == nil || hf.Body == nil {
				continue
			}
			content, _, _ := hf.Body.PartialContent(topSchema)
			blocks = content.Blocks
		}
		for _, b := range blocks {
			// plan read the calls; a file it did not parse has none
			if b.Type != "module" {
				r.block(m, b)
			}
		}
	}
	m.planned = nil
	// terraform.tfvars first, then *.auto.tfvars in lexical order
	sort.SliceStable(varFiles, func(i, j int) bool {
		ti := strings.HasPrefix(path.Base(varFiles[i].Path), "terraform.tfvars")
		tj := strings.HasPrefix(path.Base(varFiles[j].Path), "terraform.tfvars")
		if ti != tj {
			return ti
		}
		return path.Base(varFiles[i].Path) < path.Base(varFiles[j].Path)
	})
	for _, f := range varFiles {
		hf, diags := parseOnce(f)
		r.diagNotices(diags)
		if hf == nil || hf.Body == nil {
			continue
		}
		attrs, diags := hf.Body.JustAttributes()
		r.diagNotices(diags)
		m.tfvars = append(m.tfvars, &tfvarsFile{attrs: attrs})
	}
}

func (r *run) block(m *module, b *hcl.Block) {
	switch b.Type {
	case "variable":
		v := &variable{name: b.Labels[0], decl: b.DefRange}
		c, _, _ := b.Body.PartialContent(variableSchema)
		v.def = c.Attributes["default"]
		if t := c.Attributes["type"]; t != nil {
			ty, defaults, diags := typeexpr.TypeConstraintWithDefaults(t.Expr)
			if !diags.HasErrors() {
				v.typ, v.details, v.typed = ty, defaults, true
			}
		}
		m.vars[v.name] = v
	case "locals":
		attrs, diags := b.Body.JustAttributes()
		r.diagNotices(diags)
		for name, a := range attrs {
			if prev, dup := m.locals[name]; dup {
				r.notice(model.NoticeWarning, a.NameRange, "local value "+name+" is defined twice (also at line "+itoa(prev.attr.NameRange.Start.Line)+"); terraform would reject the module")
			}
			m.locals[name] = &local{name: name, attr: a}
		}
	case "resource", "data":
		res := &resource{typ: b.Labels[0], name: b.Labels[1], data: b.Type == "data", block: b}
		attrs := metaAttrs(b.Body)
		if a := attrs["count"]; a != nil {
			res.count = a.Expr
		}
		if a := attrs["for_each"]; a != nil {
			res.forEach = a.Expr
		}
		key := res.typ + "." + res.name
		if res.data {
			m.data[key] = res
		} else {
			m.resources[key] = res
		}
		m.resOrder = append(m.resOrder, res)
	case "module":
		attrs, _ := b.Body.JustAttributes()
		c := &moduleCall{name: b.Labels[0], block: b, inputs: hcl.Attributes{}}
		for name, a := range attrs {
			switch name {
			case "source":
				if v, diags := a.Expr.Value(nil); !diags.HasErrors() && v.Type() == cty.String && v.IsKnown() && !v.IsNull() {
					c.source = v.AsString()
					c.sourceRange = a.Expr.Range()
				}
			case "count":
				c.count = a.Expr
			case "for_each":
				c.forEach = a.Expr
			case "version", "providers", "depends_on":
			default:
				c.inputs[name] = a
			}
		}
		m.calls[c.name] = c
		m.callOrder = append(m.callOrder, c)
	case "output":
		c, _, _ := b.Body.PartialContent(outputSchema)
		if a := c.Attributes["value"]; a != nil {
			m.outputs[b.Labels[0]] = a.Expr
		}
	}
}

// metaAttrs returns the attributes of a block body (count, for_each …)
// without complaining about its nested blocks.
func metaAttrs(b hcl.Body) hcl.Attributes {
	if sb, ok := b.(*hclsyntax.Body); ok {
		out := hcl.Attributes{}
		for n, a := range sb.Attributes {
			out[n] = a.AsHCLAttribute()
		}
		return out
	}
	attrs, _ := b.JustAttributes()
	return attrs
}

func parentDir(p string) string {
	i := strings.LastIndexAny(p, `/\`)
	if i < 0 {
		return "."
	}
	return p[:i]
}
