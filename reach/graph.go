package reach

import (
	"strconv"
	"strings"
)

// graph is the picture DOT and Mermaid draw: workloads, the identities
// and secrets they hold, and what their rights and host access reach.
// Items below high are left out of the picture (the text and JSON views
// list them), so that it stays readable.
type graph struct {
	nodes []gnode
	edges []gedge
	ids   map[string]int
}

type gnode struct {
	id    string
	label string
	shape string // workload, identity, secret, host, reach
	tier  Tier
}

type gedge struct {
	from, to int
	label    string
}

// node adds a node whose label lines are the parts (each cleaned: a line
// break from the input never splits a label).
func (g *graph) node(key, shape string, t Tier, parts ...string) int {
	if i, ok := g.ids[key]; ok {
		if t.Rank() > g.nodes[i].tier.Rank() {
			g.nodes[i].tier = t
		}
		return i
	}
	g.ids[key] = len(g.nodes)
	for i, p := range parts {
		parts[i] = Clean(p)
	}
	g.nodes = append(g.nodes, gnode{id: "n" + strconv.Itoa(len(g.nodes)), label: strings.Join(parts, "\n"), shape: shape, tier: t})
	return len(g.nodes) - 1
}

func (g *graph) edge(from, to int, label string) {
	e := gedge{from: from, to: to, label: Clean(label)}
	for _, o := range g.edges {
		if o == e {
			return
		}
	}
	g.edges = append(g.edges, e)
}

func graphOf(r *Result) *graph {
	g := &graph{ids: map[string]int{}}
	for _, w := range r.Workloads {
		// identities and secrets are nodes per unit: the builds of
		// alternative units never share one
		unit := w.Unit + "\x00"
		parts := []string{w.ID}
		if w.Unit != "" {
			parts = append(parts, "in "+w.Unit)
		}
		wid := g.node("w:"+unit+w.ID+"\x00"+w.Instance, "workload", w.Tier, append(parts, string(w.Tier)+" · score "+strconv.Itoa(w.Score))...)
		for _, s := range w.Secrets {
			if s.Tier.Rank() < Medium.Rank() {
				continue
			}
			g.edge(wid, g.node("s:"+unit+s.Store+"/"+s.Name, "secret", s.Tier, secretLabel(s)...), s.How)
		}
		for _, id := range w.Identities {
			t := None
			for _, it := range id.Rights {
				t = worst(t, it.Tier)
			}
			if id.Kind == "ci-token" && t.Rank() < High.Rank() {
				continue
			}
			label := []string{id.Kind, id.Name}
			if id.Unknown != "" {
				label = append(label, "(rights unknown)")
			}
			iid := g.node("i:"+unit+id.Kind+"/"+id.Name, "identity", t, label...)
			g.edge(wid, iid, "runs as")
			for _, it := range id.Rights {
				if it.Tier.Rank() >= High.Rank() {
					g.edge(iid, g.node("r:"+it.What, "reach", it.Tier, it.What), "may")
				}
			}
		}
		for _, it := range w.Transitive {
			if it.Tier.Rank() >= High.Rank() {
				g.edge(wid, g.node("t:"+it.What, "reach", it.Tier, it.What), "reaches")
			}
		}
		for _, part := range []struct {
			label string
			items []Item
		}{{"host", w.Host}, {"network", w.Network}} {
			for _, it := range part.items {
				if it.Tier.Rank() >= High.Rank() {
					g.edge(wid, g.node("h:"+unit+w.ID+"\x00"+it.What, "host", it.Tier, it.What), part.label)
				}
			}
		}
	}
	return g
}

func secretLabel(s Secret) []string {
	if s.Store != "" {
		return []string{s.Store, s.Name}
	}
	return []string{s.Name}
}

// short cuts a label for a picture.
func short(s string, n int) string {
	rs := []rune(s)
	if len(rs) <= n {
		return s
	}
	return string(rs[:n-1]) + "…"
}
