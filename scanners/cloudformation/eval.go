package cloudformation

import (
	"strconv"
	"strings"

	"github.com/isolint/isolint/model"
	"github.com/isolint/isolint/scanners/yamldoc"
)

// Intrinsic functions, evaluated where they are static: parameter
// defaults, Mappings, Conditions, and the string functions over known
// values. Anything else (a resource attribute, an imported value, a pseudo
// parameter such as AWS::AccountId, a parameter without a default) is
// unknown, and an unknown value never gives a confident finding.

// maxEvalDepth bounds nested intrinsics, so that no template makes the
// evaluation run away.
const maxEvalDepth = 32

// maxEvalSteps bounds the values evaluated in one template: lists reached
// through YAML aliases (a "billion laughs") would otherwise be walked once
// per path to them.
const maxEvalSteps = 50000

// unknownPart stands for an unknown part of a partly known string
// (`arn:${AWS::Partition}:iam::aws:policy/X`), so that readers can still
// judge the known parts.
const unknownPart = "\x00"

// result is an evaluated value.
type result struct {
	known   bool
	s       string // the text, when known; with unknownPart for unknown parts otherwise
	isList  bool
	list    []result
	noValue bool // AWS::NoValue: the property is removed
	// res is the logical ID of the resource the value is exactly a
	// reference to (Ref, Fn::GetAtt, a `${Res.Arn}` Sub), att its attribute.
	res, att string
	// param is the parameter the value is exactly a Ref to.
	param string
	via   []model.Related
}

// unknown is a value that cannot be known offline.
var unknown = result{s: unknownPart}

// intrinsic recognises an intrinsic function call: a short-form tag
// (`!Ref X`) or a one-key mapping (`{"Fn::GetAtt": [...]}`, `Ref: X`). For
// a tag, arg is the tagged node itself, whose content is the argument.
func intrinsic(v yamldoc.Value) (name string, arg yamldoc.Value, tagged, ok bool) {
	n := v.Node()
	if n == nil {
		return "", yamldoc.Value{}, false, false
	}
	if tag := n.Tag; len(tag) > 1 && tag[0] == '!' && tag[1] != '!' {
		switch tag {
		case "!Ref":
			name = "Ref"
		case "!Condition":
			name = "Condition"
		default:
			name = "Fn::" + tag[1:]
		}
		return name, v, true, true
	}
	if v.IsMap() && len(n.Content) == 2 {
		k := n.Content[0].Value
		if k == "Ref" || strings.HasPrefix(k, "Fn::") {
			return k, v.Get(k), false, true
		}
	}
	return "", yamldoc.Value{}, false, false
}

// eval evaluates a value: a scalar, a list, or an intrinsic function.
// A mapping that is not a function call is not a value (it is unknown).
func (t *template) eval(v yamldoc.Value, depth int) result {
	if depth > maxEvalDepth || !v.Exists() || v.IsNull() {
		return unknown
	}
	if t.steps++; t.steps > maxEvalSteps {
		if t.steps == maxEvalSteps+1 {
			t.notice(v, "the template's values are too large to evaluate (more than %d, YAML aliases repeating lists?); values from here on are unknown and were not checked", maxEvalSteps)
		}
		return unknown
	}
	if name, arg, tagged, ok := intrinsic(v); ok {
		return t.call(name, arg, tagged, depth+1)
	}
	switch {
	case v.IsScalar():
		return t.literal(v.Text())
	case v.IsSeq():
		return t.evalList(v.Items(), depth)
	}
	return unknown
}

// literal is a string written as is; a dynamic reference in it
// (`{{resolve:ssm:…}}`) is filled in at deploy time and so unknown here.
func (t *template) literal(s string) result {
	if strings.Contains(s, "{{resolve:") || strings.Contains(s, unknownPart) || (t.sls && model.Unresolved(s)) {
		return result{s: s}
	}
	return result{known: true, s: s}
}

func (t *template) evalList(items []yamldoc.Value, depth int) result {
	r := result{known: true, isList: true}
	for _, it := range items {
		x := t.eval(it, depth+1)
		if x.noValue {
			continue
		}
		if !x.known {
			r.known = false
		}
		r.list = append(r.list, x)
	}
	return r
}

// argList returns the items of a function's list argument.
func argList(arg yamldoc.Value) []yamldoc.Value {
	if arg.IsSeq() {
		return arg.Items()
	}
	return nil
}

// call evaluates one intrinsic function.
func (t *template) call(name string, arg yamldoc.Value, tagged bool, depth int) result {
	if depth > maxEvalDepth {
		return unknown
	}
	switch name {
	case "Ref":
		return t.ref(arg.Text(), arg)
	case "Fn::GetAtt":
		var res, att string
		if items := argList(arg); len(items) >= 2 {
			res, att = items[0].Text(), items[1].Text()
		} else {
			res, att, _ = strings.Cut(arg.Text(), ".")
		}
		if _, ok := t.resources[res]; ok {
			return result{s: unknownPart, res: res, att: att}
		}
		return unknown
	case "Fn::Sub":
		return t.sub(arg, depth)
	case "Fn::Join":
		items := argList(arg)
		if len(items) != 2 {
			return unknown
		}
		delim := t.eval(items[0], depth)
		list := t.eval(items[1], depth)
		if !list.isList {
			return unknown
		}
		r := result{known: delim.known && list.known}
		var parts []string
		for _, x := range list.list {
			parts = append(parts, x.s)
			r.via = append(r.via, x.via...)
		}
		d := delim.s
		if !delim.known {
			d = unknownPart
		}
		r.s = strings.Join(parts, d)
		return r
	case "Fn::Select":
		items := argList(arg)
		if len(items) != 2 {
			return unknown
		}
		idx := t.eval(items[0], depth)
		list := t.eval(items[1], depth)
		i, err := strconv.Atoi(idx.s)
		if !idx.known || err != nil || !list.isList || i < 0 || i >= len(list.list) {
			return unknown
		}
		return list.list[i]
	case "Fn::Split":
		items := argList(arg)
		if len(items) != 2 {
			return unknown
		}
		delim := t.eval(items[0], depth)
		s := t.eval(items[1], depth)
		if !delim.known || !s.known || s.isList || delim.s == "" {
			return unknown
		}
		r := result{known: true, isList: true, via: s.via}
		for _, p := range strings.Split(s.s, delim.s) {
			r.list = append(r.list, result{known: true, s: p, via: s.via})
		}
		return r
	case "Fn::FindInMap":
		return t.findInMap(argList(arg), depth)
	case "Fn::If":
		items := argList(arg)
		if len(items) != 3 {
			return unknown
		}
		switch t.condition(items[0].Text(), depth) {
		case condTrue:
			return t.eval(items[1], depth)
		case condFalse:
			return t.eval(items[2], depth)
		}
		return unknown
	}
	// Fn::Base64, Fn::GetAZs, Fn::ImportValue, Fn::Cidr, Fn::Transform,
	// Fn::Length, Fn::ToJsonString, and the condition functions in a value
	return unknown
}

// pseudoParams are the AWS pseudo parameters: known only at deploy time.
var pseudoParams = map[string]bool{
	"AWS::AccountId": true, "AWS::NotificationARNs": true, "AWS::Partition": true, "AWS::Region": true,
	"AWS::StackId": true, "AWS::StackName": true, "AWS::URLSuffix": true,
}

// ref evaluates `Ref name`: a parameter (its default), a resource (its
// physical ID or ARN, unknown here but kept as a reference), a pseudo
// parameter, or AWS::NoValue.
func (t *template) ref(name string, at yamldoc.Value) result {
	if name == "AWS::NoValue" {
		return result{noValue: true}
	}
	if pseudoParams[name] {
		return unknown
	}
	if p, ok := t.params[name]; ok {
		r := result{s: unknownPart, param: name}
		d := p.Get("Default")
		typ := p.Get("Type").Text()
		if strings.HasPrefix(typ, "AWS::SSM::Parameter::") {
			// the default names a Systems Manager parameter, read at deploy
			// time: a reference, like {{resolve:ssm:…}}
			return unknown
		}
		if !d.Exists() || d.IsNull() {
			return r
		}
		x := t.literal(scalarText(d))
		if !d.IsScalar() {
			if !d.IsSeq() {
				return r
			}
			x = t.evalList(d.Items(), 0)
		}
		x.param = name
		x.via = []model.Related{{Loc: d.Loc(), Message: "default of parameter " + name}}
		if x.known && !x.isList && (typ == "CommaDelimitedList" || strings.HasPrefix(typ, "List<")) {
			list := result{known: true, isList: true, param: name, via: x.via}
			for _, s := range strings.Split(x.s, ",") {
				list.list = append(list.list, result{known: true, s: strings.TrimSpace(s), via: x.via})
			}
			return list
		}
		return x
	}
	if _, ok := t.resources[name]; ok {
		return result{s: unknownPart, res: name}
	}
	return unknown
}

// scalarText is a scalar's text (numbers and booleans as written).
func scalarText(v yamldoc.Value) string {
	s, _ := v.Str()
	return s
}

// sub evaluates Fn::Sub: `${Name}` is a parameter, a resource or a
// variable of the second form's map; `${Res.Attr}` an attribute; `${!X}`
// the literal `${X}`.
func (t *template) sub(arg yamldoc.Value, depth int) result {
	var tmpl yamldoc.Value
	var vars yamldoc.Value
	if items := argList(arg); len(items) > 0 {
		tmpl = items[0]
		if len(items) > 1 {
			vars = items[1]
		}
	} else {
		tmpl = arg
	}
	if !tmpl.IsScalar() {
		return unknown
	}
	s := tmpl.Text()
	r := result{known: true}
	var b strings.Builder
	parts := 0
	var only result
	for {
		i := strings.Index(s, "${")
		if i < 0 {
			b.WriteString(s)
			if s != "" {
				parts++
			}
			break
		}
		j := strings.IndexByte(s[i:], '}')
		if j < 0 {
			b.WriteString(s)
			parts++
			break
		}
		if i > 0 {
			b.WriteString(s[:i])
			parts++
		}
		name := s[i+2 : i+j]
		s = s[i+j+1:]
		if strings.HasPrefix(name, "!") {
			b.WriteString("${" + name[1:] + "}")
			parts++
			continue
		}
		var x result
		switch {
		case vars.IsMap() && vars.Get(name).Exists():
			x = t.eval(vars.Get(name), depth+1)
		case strings.Contains(name, ".") && !strings.HasPrefix(name, "AWS::"):
			res, att, _ := strings.Cut(name, ".")
			x = unknown
			if _, ok := t.resources[res]; ok {
				x = result{s: unknownPart, res: res, att: att}
			}
		default:
			x = t.ref(name, tmpl)
		}
		parts++
		only = x
		if !x.known || x.isList {
			r.known = false
			b.WriteString(unknownPart)
		} else {
			b.WriteString(x.s)
		}
		r.via = append(r.via, x.via...)
	}
	r.s = b.String()
	if parts == 1 && only.res != "" {
		r.res, r.att = only.res, only.att // "${Role.Arn}" is the role
	}
	if r.known && strings.Contains(r.s, "{{resolve:") {
		r.known = false
	}
	return r
}

// findInMap evaluates Fn::FindInMap [map, top key, second key].
func (t *template) findInMap(items []yamldoc.Value, depth int) result {
	if len(items) < 3 {
		return unknown
	}
	var keys [3]string
	var via []model.Related
	for i := range 3 {
		k := t.eval(items[i], depth)
		if !k.known || k.isList {
			return unknown
		}
		keys[i] = k.s
		via = append(via, k.via...)
	}
	v := t.mappings.Get(keys[0]).Get(keys[1]).Get(keys[2])
	if !v.Exists() {
		return unknown
	}
	x := t.eval(v, depth)
	x.via = append(append(via, model.Related{Loc: v.Loc(), Message: "value from Mappings." + keys[0]}), x.via...)
	return x
}

// cond is a condition's value: true, false, or not known statically.
type cond int

const (
	condUnknown cond = iota
	condTrue
	condFalse
)

func condOf(b bool) cond {
	if b {
		return condTrue
	}
	return condFalse
}

// condition evaluates the named entry of Conditions.
func (t *template) condition(name string, depth int) cond {
	if c, ok := t.conds[name]; ok {
		return c
	}
	if depth > maxEvalDepth || t.condBusy[name] {
		return condUnknown // a cycle: CloudFormation rejects it
	}
	t.condBusy[name] = true
	c := t.condExpr(t.conditions.Get(name), depth+1)
	delete(t.condBusy, name)
	t.conds[name] = c
	return c
}

// condExpr evaluates a condition function.
func (t *template) condExpr(v yamldoc.Value, depth int) cond {
	if depth > maxEvalDepth || !v.Exists() {
		return condUnknown
	}
	name, arg, _, ok := intrinsic(v)
	if !ok && v.IsMap() && len(v.Node().Content) == 2 && v.Node().Content[0].Value == "Condition" {
		name, arg, ok = "Condition", v.Get("Condition"), true
	}
	if !ok {
		return condUnknown
	}
	items := argList(arg)
	switch name {
	case "Condition":
		return t.condition(arg.Text(), depth)
	case "Fn::Equals":
		if len(items) != 2 {
			return condUnknown
		}
		a, b := t.eval(items[0], depth), t.eval(items[1], depth)
		if !a.known || !b.known || a.isList || b.isList {
			return condUnknown
		}
		return condOf(a.s == b.s)
	case "Fn::Not":
		if len(items) != 1 {
			return condUnknown
		}
		switch t.condExpr(items[0], depth+1) {
		case condTrue:
			return condFalse
		case condFalse:
			return condTrue
		}
		return condUnknown
	case "Fn::And", "Fn::Or":
		and := name == "Fn::And"
		out := condOf(and)
		for _, it := range items {
			switch t.condExpr(it, depth+1) {
			case condUnknown:
				out = condUnknown
			case condTrue:
				if !and {
					return condTrue
				}
			case condFalse:
				if and {
					return condFalse
				}
			}
		}
		return out
	}
	return condUnknown
}
