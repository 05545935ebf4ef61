package reach

import "strconv"

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

func (g *graph) node(key, label, shape string, t Tier) int {
	if i, ok := g.ids[key]; ok {
		if t.Rank() > g.nodes[i].tier.Rank() {
			g.nodes[i].tier = t
		}
		return i
	}
	g.ids[key] = len(g.nodes)
	g.nodes = append(g.nodes, gnode{id: "n" + strconv.Itoa(len(g.nodes)), label: Clean(label), shape: shape, tier: t})
	return len(g.nodes) - 1
}

func (g *graph) edge(from, to int, label string) {
	g.edges = append(g.edges, gedge{from: from, to: to, label: Clean(label)})
}

func graphOf(r *Result) *graph {
	g := &graph{ids: map[string]int{}}
	for _, w := range r.Workloads {
		wid := g.node("w:"+w.ID+"\x00"+w.Instance, w.ID+"\n"+string(w.Tier)+" · score "+strconv.Itoa(w.Score), "workload", w.Tier)
		for _, s := range w.Secrets {
			if s.Tier.Rank() < Medium.Rank() {
				continue
			}
			g.edge(wid, g.node("s:"+s.Store+"/"+s.Name, secretLabel(s), "secret", s.Tier), s.How)
		}
		for _, id := range w.Identities {
			t := None
			for _, it := range id.Rights {
				t = worst(t, it.Tier)
			}
			if id.Kind == "ci-token" && t.Rank() < High.Rank() {
				continue
			}
			label := id.Kind + "\n" + id.Name
			if id.Unknown != "" {
				label += "\n(rights unknown)"
			}
			iid := g.node("i:"+id.Kind+"/"+id.Name, label, "identity", t)
			g.edge(wid, iid, "runs as")
			for _, it := range id.Rights {
				if it.Tier.Rank() >= High.Rank() {
					g.edge(iid, g.node("r:"+it.What, it.What, "reach", it.Tier), "may")
				}
			}
		}
		for _, it := range w.Transitive {
			if it.Tier.Rank() >= High.Rank() {
				g.edge(wid, g.node("t:"+it.What, it.What, "reach", it.Tier), "reaches")
			}
		}
		for _, it := range append(append([]Item(nil), w.Host...), w.Network...) {
			if it.Tier.Rank() >= High.Rank() {
				g.edge(wid, g.node("h:"+w.ID+"\x00"+it.What, it.What, "host", it.Tier), "host")
			}
		}
	}
	return g
}

func secretLabel(s Secret) string {
	l := s.Name
	if s.Store != "" {
		l = s.Store + "\n" + s.Name
	}
	return l
}

// short cuts a label for a picture.
func short(s string, n int) string {
	rs := []rune(s)
	if len(rs) <= n {
		return s
	}
	return string(rs[:n-1]) + "…"
}
