// Package model is the runtime model every scanner lowers onto and every rule
// reads: workloads, their containers, environment, mounts, security settings,
// identities and network policy. Every fact carries the Location it came from.
package model

import (
	"cmp"
	"strconv"
	"strings"
)

// Format names an input format.
type Format string

// The formats isolint reads. The string values are what users type
// (`--type k8s`) and what the outputs print.
const (
	FormatK8s       Format = "k8s"
	FormatCompose   Format = "compose"
	FormatTerraform Format = "tf"
	FormatGHA       Format = "gha"
	FormatGitLab    Format = "gitlab"
	FormatDev       Format = "dev"
	FormatGo        Format = "go"
	// FormatCFN is AWS CloudFormation, SAM and Serverless Framework
	// templates.
	FormatCFN Format = "cfn"
)

// Location is a range in a scanned file. Lines and columns are 1-based;
// columns count Unicode code points. End is inclusive of the last character's
// start plus one (exclusive end column), as SARIF regions are.
type Location struct {
	File      string // slash-separated, relative to the source root
	Line      int
	Col       int
	EndLine   int
	EndCol    int
	Path      string // logical key path, e.g. "spec.template.spec.containers[app].securityContext.privileged"
	Object    string // the object the key belongs to, e.g. "Deployment/shop/web"
	Anchored  bool   // the key sits in a YAML anchor shared by several objects
	Synthetic bool   // no key exists: the place where the missing key belongs
}

// IsZero reports whether the location was never set.
func (l Location) IsZero() bool { return l.File == "" && l.Line == 0 }

// String renders path:line:col.
func (l Location) String() string {
	if l.Line <= 0 {
		return l.File
	}
	return l.File + ":" + strconv.Itoa(l.Line) + ":" + strconv.Itoa(l.Col)
}

// Compare orders locations by file, line and column: -1, 0 or +1.
func (l *Location) Compare(o *Location) int {
	if c := strings.Compare(l.File, o.File); c != 0 {
		return c
	}
	if c := cmp.Compare(l.Line, o.Line); c != 0 {
		return c
	}
	return cmp.Compare(l.Col, o.Col)
}

// Before orders locations by file, line and column.
func (l Location) Before(o Location) bool { return l.Compare(&o) < 0 }

// Related is a second place that explains a fact: where a value came from
// (a variable default, a YAML anchor's use site) or another use of the same
// thing (the other workloads sharing an identity).
type Related struct {
	Loc     Location
	Message string
}
