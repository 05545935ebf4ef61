package cloudformation

import (
	"strconv"
	"strings"

	"github.com/isolint/isolint/model"
	"github.com/isolint/isolint/scanners/yamldoc"
)

// node is a place in a template reached through property names, with the
// structural intrinsics on the way (`!If`, `AWS::NoValue`) resolved where
// their conditions are static. A node under a condition that is not
// (an `!If` on a parameter without a default) or under another function
// that yields a structure (`!ImportValue`) is unknown: it exists, but what
// it holds cannot be read.
type node struct {
	t *template
	v yamldoc.Value
	// at is the property as written (`Role: !If […]`), where findings
	// sit; v is what it resolved to (the branch the condition selects).
	at      yamldoc.Value
	unknown bool
	via     []model.Related
}

// maxResolve bounds `!If` chains.
const maxResolve = 16

// resolve follows `!If` to the branch its condition selects.
func (n node) resolve() node {
	for range maxResolve {
		if n.unknown || !n.v.Exists() {
			return n
		}
		name, arg, _, ok := intrinsic(n.v)
		if !ok {
			return n
		}
		switch name {
		case "Fn::If":
			items := argList(arg)
			if len(items) != 3 {
				n.unknown = true
				return n
			}
			if !n.at.Exists() {
				n.at = n.v
			}
			c := items[0].Text()
			switch n.t.condition(c, 0) {
			case condTrue:
				n.v = items[1]
				n.via = append(n.via, model.Related{Loc: items[1].Loc(), Message: "selected by condition " + c})
			case condFalse:
				n.v = items[2]
				n.via = append(n.via, model.Related{Loc: items[2].Loc(), Message: "selected by condition " + c + " (false)"})
			default:
				n.unknown = true
				return n
			}
		case "Ref":
			if arg.Text() == "AWS::NoValue" {
				return node{t: n.t}
			}
			return n
		default:
			return n
		}
	}
	n.unknown = true
	return n
}

// isCall reports whether the resolved node is a function call (a value
// to evaluate rather than a structure to walk).
func (n node) isCall() bool {
	_, _, _, ok := intrinsic(n.v)
	return ok
}

// Exists reports whether the property is there (known or not).
func (n node) Exists() bool { return n.unknown || n.resolve().v.Exists() }

// Unknown reports whether the property is there but cannot be read.
func (n node) Unknown() bool {
	r := n.resolve()
	return r.unknown || (r.v.Exists() && r.isCall())
}

// Get returns a property of a mapping.
func (n node) Get(key string) node {
	r := n.resolve()
	if r.unknown || (r.v.Exists() && r.isCall()) {
		return node{t: n.t, v: r.v, unknown: true, via: r.via}
	}
	return node{t: n.t, v: r.v.Get(key), via: r.via}.resolve()
}

// Items returns the items of a list, `AWS::NoValue` items dropped.
func (n node) Items() []node {
	r := n.resolve()
	if r.unknown || !r.v.IsSeq() || r.isCall() {
		return nil
	}
	var out []node
	for _, it := range r.v.Items() {
		c := node{t: n.t, v: it, via: r.via}.resolve()
		if c.Exists() {
			out = append(out, c)
		}
	}
	return out
}

// Pairs returns the entries of a mapping.
func (n node) Pairs() []pair {
	r := n.resolve()
	if r.unknown || !r.v.IsMap() || r.isCall() {
		return nil
	}
	var out []pair
	for _, p := range r.v.Pairs() {
		c := node{t: n.t, v: p.Value, via: r.via}
		if c.Exists() {
			out = append(out, pair{Key: p.Key, Val: c})
		}
	}
	return out
}

type pair struct {
	Key string
	Val node
}

// written is the property as written.
func (n node) written() yamldoc.Value {
	if n.at.Exists() {
		return n.at
	}
	return n.v
}

// Loc is the property's location: its key, to the end of a one-line value.
func (n node) Loc() model.Location { return n.written().Loc() }

// KeyLoc is the location of the property's key alone.
func (n node) KeyLoc() model.Location { return n.written().KeyLoc() }

// Synthetic is where a missing property `name` below n belongs.
func (n node) Synthetic(name string) model.Location { return n.written().Synthetic(name) }

// eval evaluates the property's value.
func (n node) eval() result {
	r := n.resolve()
	if r.unknown {
		return unknown
	}
	if !r.v.Exists() {
		return result{noValue: true}
	}
	x := n.t.eval(r.v, 0)
	x.via = append(append([]model.Related(nil), r.via...), x.via...)
	return x
}

// Str reads a string property.
func (n node) Str() model.String {
	s := model.String{Loc: n.Loc(), Via: n.written().Via()}
	if !n.Exists() || n.v.IsNull() {
		return s
	}
	x := n.eval()
	if x.noValue {
		return s
	}
	s.Set = true
	s.Via = append(s.Via, x.via...)
	if x.known && !x.isList {
		s.Value = x.s
	} else {
		s.Unknown = true
	}
	return s
}

// Text is a known string property's value, or "".
func (n node) Text() string {
	if s := n.Str(); s.Known() {
		return s.Value
	}
	return ""
}

// Bool reads a boolean property; CloudFormation takes true and false in
// any case, quoted or not.
func (n node) Bool() model.Bool {
	s := n.Str()
	b := model.Bool{Set: s.Set, Unknown: s.Unknown, Loc: s.Loc, Via: s.Via}
	if !s.Known() {
		return b
	}
	switch strings.ToLower(s.Value) {
	case "true":
		b.Value = true
	case "false":
	default:
		n.t.notice(n.written(), "%s must be true or false, got another value; it was not checked", n.written().Path())
		return model.Bool{Loc: s.Loc}
	}
	return b
}

// Int reads an integer property.
func (n node) Int() model.Int {
	s := n.Str()
	i := model.Int{Set: s.Set, Unknown: s.Unknown, Loc: s.Loc, Via: s.Via}
	if !s.Known() {
		return i
	}
	v, err := strconv.ParseInt(strings.TrimSpace(s.Value), 10, 64)
	if err != nil {
		n.t.notice(n.written(), "%s must be an integer, got another value; it was not checked", n.written().Path())
		return model.Int{Loc: s.Loc}
	}
	i.Value = v
	return i
}

// Strings reads a list of strings, or a single string where
// CloudFormation takes either (IAM Action and Resource). Each item keeps
// its location; items of a list computed by a function share the node's.
func (n node) Strings() []model.String {
	if !n.Exists() {
		return nil
	}
	if items := n.Items(); len(items) > 0 || n.resolve().v.IsSeq() && !n.Unknown() {
		out := make([]model.String, 0, len(items))
		for _, it := range items {
			out = append(out, it.Str())
		}
		return out
	}
	x := n.eval()
	if x.noValue {
		return nil
	}
	loc, via := n.Loc(), append(n.written().Via(), x.via...)
	if x.isList {
		var out []model.String
		for _, it := range x.list {
			s := model.String{Set: true, Loc: loc, Via: append(via, it.via...)}
			if it.known && !it.isList {
				s.Value = it.s
			} else {
				s.Unknown = true
			}
			out = append(out, s)
		}
		return out
	}
	return []model.String{n.Str()}
}

// Ref returns the logical ID of the template resource the property refers
// to exactly (`!Ref Role`, `!GetAtt Role.Arn`, `!Sub ${Role.Arn}`).
func (n node) Ref() string {
	return n.eval().res
}
