package dev

import (
	"github.com/isolint/isolint/model"
	"github.com/isolint/isolint/scanners/yamldoc"
	yaml "go.yaml.in/yaml/v3"
)

// Typed reads of JSON values. A value of the wrong type is noticed once,
// naming its key in the file's own terms (object, array, string), and is
// then left unchecked; the rest of the file is still read.

// kindName describes a JSON value for messages.
func kindName(v yamldoc.Value) string {
	n := v.Node()
	if n == nil {
		return "nothing"
	}
	switch n.Kind {
	case yaml.MappingNode:
		return "an object"
	case yaml.SequenceNode:
		return "an array"
	}
	switch n.Tag {
	case "!!null":
		return "null"
	case "!!bool":
		return "a boolean"
	case "!!int", "!!float":
		return "a number"
	}
	return "a string"
}

func wrongType(v yamldoc.Value, want string) {
	v.Doc().Notice(v, model.NoticeWarning, "%s must be %s, got %s; it was not checked", safePath(v), want, kindName(v))
}

// isObject reports whether v is an object; a present value of another type
// (null aside) is noticed.
func isObject(v yamldoc.Value) bool {
	switch {
	case v.IsMap():
		return true
	case v.Exists() && !v.IsNull():
		wrongType(v, "an object")
	}
	return false
}

// isArray reports whether v is an array; a present value of another type
// (null aside) is noticed.
func isArray(v yamldoc.Value) bool {
	switch {
	case v.IsSeq():
		return true
	case v.Exists() && !v.IsNull():
		wrongType(v, "an array")
	}
	return false
}

// boolean reads true or false. The tools read JSON types, so "true" in
// quotes is not a boolean (it is noticed).
func boolean(v yamldoc.Value) model.Bool {
	b := model.Bool{Loc: v.Loc()}
	if !v.Exists() || v.IsNull() {
		return b
	}
	if n := v.Node(); n.Kind == yaml.ScalarNode && n.Tag == "!!bool" {
		b.Value, b.Set = n.Value == "true", true
		return b
	}
	wrongType(v, "true or false")
	return b
}

// text reads a scalar as its text: a string, or a number or boolean as
// written (the tools turn them into strings). ok is false for objects,
// arrays and null; objects and arrays are noticed.
func text(v yamldoc.Value) (string, bool) {
	if !v.Exists() || v.IsNull() {
		return "", false
	}
	if s, ok := v.Str(); ok {
		return s, true
	}
	wrongType(v, "a string")
	return "", false
}

// withheld is what a name (a server's key, a path segment) is shown as when
// it has the shape of a credential: the file's own text is never printed
// when it could be one.
const withheld = "(withheld)"

// safeName returns name, or withheld when it looks like a credential.
func safeName(name string) string {
	if model.TokenKind(name) != "" {
		return withheld
	}
	return name
}

// safePath is a value's path for a notice; a path holding text with the
// shape of a credential (a key that is a token) is withheld whole.
func safePath(v yamldoc.Value) string {
	if p := v.Path(); model.TokenKind(p) == "" {
		return p
	}
	return "a value"
}
