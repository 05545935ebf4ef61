// Package reach computes the blast radius of each workload of a scanned
// project: what an attacker who controls the workload gets. It reads the
// merged model (with workload details, see engine.Options.KeepDetails) and
// lists, per workload, the secrets it receives and how, the identities it
// runs as and what each may do, its reach into the host and the network,
// what its rights reach in turn (bounded: one step), and the other
// workloads that share an identity or a secret with it. Every item carries
// the location it comes from. No secret value is ever read into the view.
//
// Ranking: every item has a tier (critical, high, medium, low); a
// workload's tier is the highest of its items and its score the sum of
// their weights (critical 100, high 20, medium 5, low 1). Workloads are
// ordered by tier, then score, then ID.
package reach

import (
	"io"
	"sort"
	"strconv"
	"strings"

	"github.com/isolint/isolint/model"
)

// SchemaVersion is the version of the JSON document (docs/reach-json.md).
const SchemaVersion = "1"

// Tier grades what an item gives an attacker.
type Tier string

// The tiers, worst first.
const (
	// Critical: root on the host (runtime socket, privileged, host root
	// file system), cluster-admin-equivalent RBAC, cloud administrator.
	Critical Tier = "critical"
	// High: other workloads' secrets, pod create or exec, write tokens,
	// sensitive host paths, host namespaces, broad cloud grants.
	High Tier = "high"
	// Medium: own secrets in the environment, unrestricted egress, other
	// host paths, narrow cloud grants.
	Medium Tier = "medium"
	// Low: read-only or narrow rights, facts worth knowing.
	Low Tier = "low"
	// None: nothing in reach.
	None Tier = "none"
)

// Rank orders tiers: higher is worse.
func (t Tier) Rank() int {
	switch t {
	case Critical:
		return 4
	case High:
		return 3
	case Medium:
		return 2
	case Low:
		return 1
	}
	return 0
}

// Weight is a tier's contribution to a workload's score.
func (t Tier) Weight() int {
	switch t {
	case Critical:
		return 100
	case High:
		return 20
	case Medium:
		return 5
	case Low:
		return 1
	}
	return 0
}

func worst(a, b Tier) Tier {
	if b.Rank() > a.Rank() {
		return b
	}
	if a == "" {
		return None
	}
	return a
}

// Loc is where an item comes from.
type Loc struct {
	File string `json:"file"`
	Line int    `json:"line,omitempty"`
	Col  int    `json:"column,omitempty"`
}

func (l *Loc) String() string {
	if l == nil {
		return ""
	}
	return model.Location{File: l.File, Line: l.Line, Col: l.Col}.String()
}

func locOf(l model.Location) *Loc {
	if l.File == "" {
		return nil
	}
	return &Loc{File: l.File, Line: l.Line, Col: l.Col}
}

// Item is one thing in a workload's reach.
type Item struct {
	Tier Tier   `json:"tier"`
	What string `json:"what"`
	Loc  *Loc   `json:"location,omitempty"`
}

// Secret is a secret a workload receives. Only names, keys and places are
// recorded, never a value.
type Secret struct {
	Tier Tier `json:"tier"`
	// How it is delivered: env-var, env-from, env-file, volume,
	// service-account-token, ci-secret, all-ci-secrets, ci-token,
	// checkout-token, oidc-token, literal, header, inherited-environment.
	How   string `json:"how"`
	Store string `json:"store,omitempty"`
	Name  string `json:"name"`
	Key   string `json:"key,omitempty"`
	// Into is where it lands: the variable name or mount path.
	Into string `json:"into,omitempty"`
	Loc  *Loc   `json:"location,omitempty"`
}

// Identity is an identity a workload runs as or assumes, with its rights.
type Identity struct {
	Kind string `json:"kind"`
	Name string `json:"name"`
	Loc  *Loc   `json:"location,omitempty"`
	// Rights are what the scan shows the identity may do.
	Rights []Item `json:"rights"`
	// Unknown says why some or all rights are not known (the binding or
	// the role is not in the scan); empty when the scan shows them all.
	Unknown string `json:"rightsUnknown,omitempty"`
}

// Share is another workload that holds an identity or secret this one holds.
type Share struct {
	Workload string `json:"workload"`
	Via      string `json:"via"`
	Loc      *Loc   `json:"location,omitempty"`
}

// Workload is the blast radius of one workload.
type Workload struct {
	ID        string `json:"id"`
	Format    string `json:"format"`
	Kind      string `json:"kind"`
	Name      string `json:"name"`
	Namespace string `json:"namespace,omitempty"`
	Instance  string `json:"instance,omitempty"`
	// Unit is the deployment unit the workload was built in: a Kustomize
	// overlay's folder, a Helm chart with one value set ("charts/web
	// (values prod)"), or, for plain manifests copied per environment, the
	// folder of the copy, ending in "/" ("envs/prod/"). Units are
	// alternatives: nothing in the view joins workloads of two units (see
	// model.SameUnit).
	Unit  string `json:"unit,omitempty"`
	Loc   *Loc   `json:"location,omitempty"`
	Tier  Tier   `json:"tier"`
	Score int    `json:"score"`

	Secrets    []Secret   `json:"secrets"`
	Identities []Identity `json:"identities"`
	Host       []Item     `json:"host"`
	Network    []Item     `json:"network"`
	// Transitive is what the workload's rights reach in turn: Secrets its
	// identity can read, the pods it can create or exec into, the grants
	// of a role it assumes.
	Transitive []Item  `json:"transitive"`
	SharedWith []Share `json:"sharedWith"`
}

// Matches reports whether the --workload filter names the workload:
// its ID, namespace/name, or name (kind/name also works).
func (w *Workload) Matches(filter string) bool {
	if filter == "" {
		return true
	}
	if w.ID == filter || w.Name == filter || w.Kind+"/"+w.Name == filter {
		return true
	}
	return w.Namespace != "" && w.Namespace+"/"+w.Name == filter
}

// Result is the blast radius of every workload, worst first.
type Result struct {
	SchemaVersion string      `json:"schemaVersion"`
	Workloads     []*Workload `json:"workloads"`
}

// Filter keeps the workloads the filter names.
func (r *Result) Filter(name string) *Result {
	out := &Result{SchemaVersion: r.SchemaVersion, Workloads: []*Workload{}}
	for _, w := range r.Workloads {
		if w.Matches(name) {
			out.Workloads = append(out.Workloads, w)
		}
	}
	return out
}

// rank sets tier and score from the items and sorts the lists.
func (w *Workload) rank() {
	t, score := None, 0
	add := func(x Tier) {
		t = worst(t, x)
		score += x.Weight()
	}
	for _, s := range w.Secrets {
		add(s.Tier)
	}
	for _, id := range w.Identities {
		for _, r := range id.Rights {
			add(r.Tier)
		}
	}
	for _, lists := range [][]Item{w.Host, w.Network, w.Transitive} {
		for _, i := range lists {
			add(i.Tier)
		}
	}
	w.Tier, w.Score = t, score
	sortItems(w.Host)
	sortItems(w.Network)
	sortItems(w.Transitive)
	sort.SliceStable(w.Secrets, func(i, j int) bool {
		a, b := w.Secrets[i], w.Secrets[j]
		if a.Tier.Rank() != b.Tier.Rank() {
			return a.Tier.Rank() > b.Tier.Rank()
		}
		return locLess(a.Loc, b.Loc)
	})
	sort.SliceStable(w.SharedWith, func(i, j int) bool {
		a, b := w.SharedWith[i], w.SharedWith[j]
		if a.Workload != b.Workload {
			return a.Workload < b.Workload
		}
		return a.Via < b.Via
	})
}

func sortItems(items []Item) {
	sort.SliceStable(items, func(i, j int) bool {
		a, b := items[i], items[j]
		if a.Tier.Rank() != b.Tier.Rank() {
			return a.Tier.Rank() > b.Tier.Rank()
		}
		if a.Loc.String() != b.Loc.String() {
			return locLess(a.Loc, b.Loc)
		}
		return a.What < b.What
	})
}

func locLess(a, b *Loc) bool {
	switch {
	case a == nil || b == nil:
		return a == nil && b != nil
	case a.File != b.File:
		return a.File < b.File
	case a.Line != b.Line:
		return a.Line < b.Line
	}
	return a.Col < b.Col
}

func sortWorkloads(ws []*Workload) {
	sort.SliceStable(ws, func(i, j int) bool {
		a, b := ws[i], ws[j]
		if a.Tier.Rank() != b.Tier.Rank() {
			return a.Tier.Rank() > b.Tier.Rank()
		}
		if a.Score != b.Score {
			return a.Score > b.Score
		}
		if a.ID != b.ID {
			return a.ID < b.ID
		}
		if a.Instance != b.Instance {
			return a.Instance < b.Instance
		}
		if a.Unit != b.Unit {
			return a.Unit < b.Unit
		}
		return locLess(a.Loc, b.Loc)
	})
}

// list joins at most n strings, saying how many more there are.
func list(items []string, n int) string {
	if len(items) <= n {
		return strings.Join(items, ", ")
	}
	return strings.Join(items[:n], ", ") + " and " + strconv.Itoa(len(items)-n) + " more"
}

// Writers are the output formats of the view, by --format name.
var Writers = map[string]func(io.Writer, *Result) error{
	"text": Text, "json": JSON, "dot": DOT, "mermaid": Mermaid,
}

// WriterNames lists the formats in the order --help shows them.
func WriterNames() []string { return []string{"text", "json", "dot", "mermaid"} }

// Summary counts the workloads by tier: "7 workload(s): 1 critical, 5 high,
// 1 medium, 0 low, 0 none".
func (r *Result) Summary() string {
	n := map[Tier]int{}
	for _, w := range r.Workloads {
		n[w.Tier]++
	}
	return strconv.Itoa(len(r.Workloads)) + " workload(s): " + strconv.Itoa(n[Critical]) + " critical, " + strconv.Itoa(n[High]) + " high, " +
		strconv.Itoa(n[Medium]) + " medium, " + strconv.Itoa(n[Low]) + " low, " + strconv.Itoa(n[None]) + " with nothing in reach"
}
