package model

import "strings"

// Bool is a boolean setting as written in a runtime definition.
//
// Set is false when the key is absent; Value then holds the platform default
// and Loc the place where the key belongs (Loc.Synthetic). Unknown is true when
// the key is written but its value cannot be known offline (a template
// expression, an unresolved variable): rules never report it with confidence.
type Bool struct {
	Value   bool
	Set     bool
	Unknown bool
	Loc     Location
	Via     []Related // where the value came from when not written at Loc
}

// IsTrue reports a known, explicitly written true.
func (b Bool) IsTrue() bool { return b.Set && !b.Unknown && b.Value }

// IsFalse reports a known, explicitly written false.
func (b Bool) IsFalse() bool { return b.Set && !b.Unknown && !b.Value }

// String is a string setting as written in a runtime definition. See Bool.
type String struct {
	Value   string
	Set     bool
	Unknown bool
	Loc     Location
	Via     []Related
}

// Known reports whether the string is written and its value known.
func (s String) Known() bool { return s.Set && !s.Unknown }

// Int is an integer setting as written in a runtime definition. See Bool.
type Int struct {
	Value   int64
	Set     bool
	Unknown bool
	Loc     Location
	Via     []Related
}

// Known reports whether the integer is written and its value known.
func (i Int) Known() bool { return i.Set && !i.Unknown }

// Unresolved reports text that a template engine or shell fills in later
// ({{ .Values.x }}, ${VAR}, $(VAR)): its value cannot be known offline.
func Unresolved(s string) bool {
	return strings.Contains(s, "{{") || strings.Contains(s, "${") || strings.Contains(s, "$(")
}
