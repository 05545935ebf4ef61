// Package controls holds the framework catalogues rules map to (OWASP NHI
// Top 10, NIST SP 800-53, CSF 2.0, SP 800-190, CIS Kubernetes, Pod Security
// Standards, OWASP CI/CD Top 10) as embedded data, copied from the sources
// each file names. Rules reference controls by ID only; titles come from here.
package controls

import (
	"embed"
	"encoding/json"
	"fmt"
	"sort"
	"sync"
)

// Framework identifies a catalogue; the values are what `isolint report
// --framework` takes.
type Framework string

const (
	NHI       Framework = "owasp-nhi"
	NIST80053 Framework = "nist-800-53"
	CSF       Framework = "nist-csf-2"
	SP800190  Framework = "nist-800-190"
	CIS       Framework = "cis-k8s"
	PSS       Framework = "pss"
	CICD      Framework = "owasp-cicd"
	Agentic   Framework = "owasp-agentic-draft"
	// SP800207 is the tenets of zero trust (SP 800-207 §2.1); rules map to
	// it, reports do not list it yet (it is not in Order).
	SP800207 Framework = "nist-800-207"
)

var files = map[Framework]string{
	NHI:       "data/owasp-nhi-top10-2025.json",
	NIST80053: "data/nist-sp800-53r5.json",
	CSF:       "data/nist-csf-2.0.json",
	SP800190:  "data/nist-sp800-190.json",
	CIS:       "data/cis-kubernetes-1.12-section5.json",
	PSS:       "data/k8s-pod-security-standards.json",
	CICD:      "data/owasp-cicd-top10.json",
	Agentic:   "data/owasp-agentic-top10-draft.json",
	SP800207:  "data/nist-sp800-207-tenets.json",
}

// Order is the order frameworks are listed in.
var Order = []Framework{NHI, NIST80053, CSF, SP800190, CIS, PSS, CICD}

//go:embed data/*.json
var data embed.FS

// Control is one entry of a catalogue.
type Control struct {
	ID        string `json:"id"`
	Title     string `json:"title"`
	Kind      string `json:"kind,omitempty"`
	Withdrawn bool   `json:"withdrawn,omitempty"`
}

// Source is where a catalogue's text was copied from.
type Source struct {
	Repo   string `json:"repo"`
	Commit string `json:"commit"`
	Path   string `json:"path"`
}

// Catalog is one framework's controls.
type Catalog struct {
	Framework Framework `json:"-"`
	Name      string    `json:"framework"`
	Version   string    `json:"version"`
	Publisher string    `json:"publisher"`
	Source    Source    `json:"source"`
	Controls  []Control `json:"controls"`
	byID      map[string]int
}

// Lookup returns the control with the given ID.
func (c *Catalog) Lookup(id string) (Control, bool) {
	i, ok := c.byID[id]
	if !ok {
		return Control{}, false
	}
	return c.Controls[i], true
}

var (
	loadOnce sync.Once
	catalogs map[Framework]*Catalog
	loadErr  error
)

func load() {
	catalogs = map[Framework]*Catalog{}
	for f, name := range files {
		b, err := data.ReadFile(name)
		if err != nil {
			loadErr = err
			return
		}
		c := &Catalog{Framework: f}
		if err := json.Unmarshal(b, c); err != nil {
			loadErr = fmt.Errorf("%s: %w", name, err)
			return
		}
		c.byID = make(map[string]int, len(c.Controls))
		for i, ctl := range c.Controls {
			c.byID[ctl.ID] = i
		}
		catalogs[f] = c
	}
}

// Get returns a framework's catalogue. The data is embedded and tested, so
// a failure to load it is a build defect and panics.
func Get(f Framework) *Catalog {
	loadOnce.Do(load)
	if loadErr != nil {
		panic("controls: embedded data is broken: " + loadErr.Error())
	}
	return catalogs[f]
}

// Ref is a rule's reference to a control.
type Ref struct {
	Framework Framework
	ID        string
	// Only limits the reference to results of these formats (e.g. CIS
	// Kubernetes IDs to Kubernetes results); empty means the framework's
	// default scope (see Scope).
	Only []string
}

// Title returns the control's official title, or "" if the ID is unknown.
func (r Ref) Title() string {
	c := Get(r.Framework)
	if c == nil {
		return ""
	}
	ctl, _ := c.Lookup(r.ID)
	return ctl.Title
}

// Tag renders the reference as a short tag: "NIST-800-53:AC-6".
func (r Ref) Tag() string {
	return string(r.Framework) + ":" + r.ID
}

// Scope returns the formats a reference applies to, or nil for all. CIS
// Kubernetes and Pod Security Standards apply to Kubernetes results (and
// kubernetes_* Terraform resources); OWASP CI/CD to CI results.
func (r Ref) Scope() []string {
	if len(r.Only) > 0 {
		return r.Only
	}
	switch r.Framework {
	case CIS, PSS:
		return []string{"k8s", "tf:kubernetes"}
	case CICD:
		return []string{"gha", "gitlab"}
	}
	return nil
}

// Frameworks lists the loaded frameworks in Order.
func Frameworks() []*Catalog {
	var out []*Catalog
	for _, f := range Order {
		out = append(out, Get(f))
	}
	return out
}

// SortRefs orders references by framework order, then ID.
func SortRefs(refs []Ref) {
	rank := map[Framework]int{}
	for i, f := range Order {
		rank[f] = i
	}
	sort.SliceStable(refs, func(i, j int) bool {
		if refs[i].Framework != refs[j].Framework {
			return rank[refs[i].Framework] < rank[refs[j].Framework]
		}
		return refs[i].ID < refs[j].ID
	})
}
