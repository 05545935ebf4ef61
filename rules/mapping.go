package rules

import (
	"strconv"

	"github.com/isolint/isolint/controls"
)

// Short constructors for control references, so that each rule's mapping
// reads like the table in RULES.md. Titles live in controls/ only.

func nhi(n int) controls.Ref {
	return controls.Ref{Framework: controls.NHI, ID: "NHI" + strconv.Itoa(n) + ":2025"}
}
func nist(id string) controls.Ref {
	return controls.Ref{Framework: controls.NIST80053, ID: id}
}
func csf(id string) controls.Ref   { return controls.Ref{Framework: controls.CSF, ID: id} }
func cis(id string) controls.Ref   { return controls.Ref{Framework: controls.CIS, ID: id} }
func sp190(id string) controls.Ref { return controls.Ref{Framework: controls.SP800190, ID: id} }

// zt names a tenet of zero trust (SP 800-207 §2.1).
func zt(n int) controls.Ref {
	return controls.Ref{Framework: controls.SP800207, ID: "ZT-T" + strconv.Itoa(n)}
}
func cicd(n int) controls.Ref {
	return controls.Ref{Framework: controls.CICD, ID: "CICD-SEC-" + strconv.Itoa(n)}
}

// pssBaseline and pssRestricted name a Pod Security Standards control by
// its title in the standard's table.
func pssBaseline(title string) controls.Ref {
	return controls.Ref{Framework: controls.PSS, ID: "baseline:" + title}
}
func pssRestricted(title string) controls.Ref {
	return controls.Ref{Framework: controls.PSS, ID: "restricted:" + title}
}

// only limits a reference to results of the given formats.
func only(r controls.Ref, formats ...string) controls.Ref {
	r.Only = formats
	return r
}

// ciOnly limits a reference to CI results.
func ciOnly(r controls.Ref) controls.Ref { return only(r, "gha", "gitlab") }
