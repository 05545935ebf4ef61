// Package cloudformation reads AWS CloudFormation templates (YAML with the
// short-form intrinsic tags, and JSON), AWS SAM templates, the templates
// the AWS CDK synthesizes (cdk.out/*.template.json) and Serverless
// Framework services (serverless.yml), and lowers the runtimes they define
// onto the model: Lambda and SAM functions, ECS task definitions, Batch
// job definitions and CodeBuild projects with the IAM roles they run as and
// the policies granted to those roles, security group egress rules and
// instance metadata options.
//
// Parameter defaults, Mappings and Conditions are evaluated where they are
// static, with the string functions over known values; anything known only
// at deploy time (pseudo parameters, resource attributes, imported values,
// dynamic references, Serverless `${…}` variables) is unknown, and an
// unknown value never gives a confident finding.
package cloudformation

import (
	"bytes"
	"fmt"
	"path"
	"strings"

	"github.com/isolint/isolint/model"
	"github.com/isolint/isolint/scanners/jsonc"
	"github.com/isolint/isolint/scanners/yamldoc"
	"github.com/isolint/isolint/source"
)

// ClaimPath claims the templates the AWS CDK writes: cdk.out/*.template.json
// (and the nested assembly directories of CDK stages below it).
func ClaimPath(p string) bool {
	return strings.HasSuffix(p, ".template.json") && (strings.HasPrefix(p, "cdk.out/") || strings.Contains(p, "/cdk.out/"))
}

// MayHold reports whether a file could hold a template or a service: YAML,
// JSON, or the `.template` extension CloudFormation examples use.
func MayHold(p string) bool {
	switch strings.ToLower(path.Ext(p)) {
	case ".yaml", ".yml", ".json", ".template":
		return true
	}
	return false
}

// maxSniff bounds the bytes searched for an AWS type before a file is
// parsed to be sniffed.
const maxSniff = 64 << 10

// Sniff claims a CloudFormation or SAM template by its content: a
// top-level AWSTemplateFormatVersion, the SAM transform, or a top-level
// Resources mapping one of whose resources has an `AWS::` or `Custom::`
// type. Nothing else defines these keys at the top level (Kubernetes
// manifests, Compose files and CI pipelines use other ones), so no other
// format's files are claimed.
func Sniff(content []byte) bool {
	return sniffTemplate(content)
}

// SniffFile claims a file by its name and content: a Serverless Framework
// service is named serverless.yml (or .yaml, .json) and has top-level
// `service` and `provider` keys; any other file is sniffed as a template.
func SniffFile(p string, content []byte) bool {
	if IsServerlessName(p) {
		return sniffServerless(content)
	}
	return sniffTemplate(content)
}

// IsServerlessName reports the file names the Serverless Framework reads.
func IsServerlessName(p string) bool {
	switch path.Base(p) {
	case "serverless.yml", "serverless.yaml", "serverless.json":
		return true
	}
	return false
}

func sniffTemplate(content []byte) bool {
	head := content
	if len(head) > maxSniff {
		head = head[:maxSniff]
	}
	if !bytes.Contains(head, []byte("AWSTemplateFormatVersion")) && !bytes.Contains(head, []byte("AWS::")) &&
		!bytes.Contains(head, []byte("Custom::")) {
		return false
	}
	docs := yamldoc.Split(content)
	if len(docs) == 0 {
		return false
	}
	b := docs[0].Bytes
	var root yamldoc.Value
	if looksJSON(b) {
		// JSON: read the top level (a CDK tree.json or manifest.json names
		// AWS:: types too, but not as a template's Resources)
		doc, err := jsonc.Parse("", content)
		if err != nil || doc == nil {
			return false
		}
		root = doc.Value()
	} else {
		if yamldoc.HasTopLevelKey(b, "AWSTemplateFormatVersion") {
			return true
		}
		if !yamldoc.HasTopLevelKey(b, "Resources") && !yamldoc.HasTopLevelKey(b, "Transform") {
			return false
		}
		doc, err := yamldoc.Parse("", docs[0])
		if err != nil {
			return false
		}
		root = doc.Value()
	}
	if root.Get("AWSTemplateFormatVersion").Exists() {
		return true
	}
	tr := root.Get("Transform")
	for _, t := range append([]string{tr.Text()}, tr.TextList()...) {
		if strings.HasPrefix(t, "AWS::Serverless") {
			return true
		}
	}
	for _, r := range root.Get("Resources").Pairs() {
		if typ := r.Value.Get("Type").Text(); strings.HasPrefix(typ, "AWS::") || strings.HasPrefix(typ, "Custom::") {
			return true
		}
	}
	return false
}

func sniffServerless(content []byte) bool {
	docs := yamldoc.Split(content)
	if len(docs) == 0 {
		return false
	}
	b := docs[0].Bytes
	if looksJSON(b) {
		return bytes.Contains(b, []byte(`"service"`)) && bytes.Contains(b, []byte(`"provider"`))
	}
	return yamldoc.HasTopLevelKey(b, "service") && yamldoc.HasTopLevelKey(b, "provider")
}

func looksJSON(b []byte) bool {
	t := bytes.TrimLeft(b, " \t\r\n\ufeff")
	return len(t) > 0 && t[0] == '{'
}

// Scan lowers one template or service file.
func Scan(f *source.File) *model.Project {
	p := &model.Project{}
	doc, ok := parse(f.Path, f.Content, p)
	if !ok {
		return p
	}
	root := doc.Value()
	if !root.IsMap() {
		if root.Exists() && !root.IsNull() {
			p.Notices = append(p.Notices, model.Notice{Level: model.NoticeError, Loc: model.Location{File: f.Path, Line: 1, Col: 1},
				Message: "a template must be a mapping, got " + root.KindName() + "; the file was not checked"})
		}
		return p
	}
	t := newTemplate(f.Path, doc, root, p)
	if IsServerlessName(f.Path) || (root.Get("service").Exists() && root.Get("provider").Exists() && !root.Get("Resources").Exists()) {
		t.serverless()
	} else {
		t.lower()
	}
	t.iam.finish(t)
	p.Notices = append(p.Notices, doc.Notices...)
	p.Notices = append(p.Notices, t.notices...)
	return p
}

// parse reads a template: JSON with the JSON reader (which takes all of
// JSON, unlike a YAML parser), anything else as one YAML document.
func parse(file string, content []byte, p *model.Project) (*yamldoc.Doc, bool) {
	docs := yamldoc.Split(content)
	if len(docs) == 0 {
		return nil, false
	}
	if looksJSON(content) {
		doc, err := jsonc.Parse(file, content)
		if err != nil {
			n := jsonc.Notice(file, "not valid JSON", err)
			n.Message += "; the file was not checked"
			p.Notices = append(p.Notices, n)
			return nil, false
		}
		return doc, doc != nil
	}
	if len(docs) > 1 {
		p.Notices = append(p.Notices, model.Notice{Level: model.NoticeWarning, Loc: model.Location{File: file, Line: docs[1].Line, Col: 1},
			Message: "a template is one YAML document; document 2 and those after it were not checked"})
	}
	doc, err := yamldoc.Parse(file, docs[0])
	if err != nil {
		p.Notices = append(p.Notices, yamldoc.ParseNotice(file, docs[0], err, "not valid YAML: ", "could not be read: "))
		return nil, false
	}
	return doc, true
}

// template is one template (or service) being lowered.
type template struct {
	file       string
	doc        *yamldoc.Doc
	root       yamldoc.Value
	params     map[string]yamldoc.Value
	mappings   yamldoc.Value
	conditions yamldoc.Value
	resources  map[string]yamldoc.Value
	order      []string
	conds      map[string]cond
	condBusy   map[string]bool
	proj       *model.Project
	iam        *iamIndex
	notices    []model.Notice
	noticed    map[string]bool
	// samGlobals is the SAM template's Globals.Function section.
	samGlobals node
	// nodeGroups are the EKS node groups started from each launch template.
	nodeGroups map[string][]model.Related
	// groupRules holds the security groups with an egress rule of their
	// own; services the egress each AWS::ECS::Service gives a task
	// definition, used for those in awsvpc mode (awsvpc); see linkEgress.
	groupRules map[string]bool
	services   map[string][]*model.Egress
	awsvpc     map[string]bool
	// steps counts evaluated values against maxEvalSteps.
	steps int
	// sls is set for a Serverless Framework service, whose `${…}`
	// variables are resolved by the framework at deploy time.
	sls bool
}

func newTemplate(file string, doc *yamldoc.Doc, root yamldoc.Value, p *model.Project) *template {
	t := &template{
		file: file, doc: doc, root: root, params: map[string]yamldoc.Value{}, resources: map[string]yamldoc.Value{},
		conds: map[string]cond{}, condBusy: map[string]bool{}, proj: p, iam: newIAMIndex(), noticed: map[string]bool{}, nodeGroups: map[string][]model.Related{},
		groupRules: map[string]bool{}, services: map[string][]*model.Egress{}, awsvpc: map[string]bool{},
	}
	for _, pp := range root.Get("Parameters").Pairs() {
		t.params[pp.Key] = pp.Value
	}
	t.mappings = root.Get("Mappings")
	t.conditions = root.Get("Conditions")
	res := root.Get("Resources")
	if sls := root.Get("resources").Get("Resources"); !res.Exists() && sls.Exists() {
		res = sls // a Serverless service's own CloudFormation resources
	}
	if res.Exists() && !res.IsMap() {
		doc.Notice(res, model.NoticeWarning, "Resources must be a mapping, got %s; nothing in it was checked", res.KindName())
	}
	for _, r := range res.Pairs() {
		t.resources[r.Key] = r.Value.WithObject(r.Key)
		t.order = append(t.order, r.Key)
	}
	return t
}

// notice records a problem with the template once per location.
func (t *template) notice(v yamldoc.Value, format string, args ...any) {
	loc := v.Loc()
	if loc.File == "" {
		loc = model.Location{File: t.file, Line: 1, Col: 1}
	}
	k := loc.String() + format
	if t.noticed[k] {
		return
	}
	t.noticed[k] = true
	t.notices = append(t.notices, model.Notice{Level: model.NoticeWarning, Loc: loc, Message: fmt.Sprintf(format, args...)})
}

// node returns the resource's node.
func (t *template) node(v yamldoc.Value) node { return node{t: t, v: v} }
