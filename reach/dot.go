package reach

import (
	"bufio"
	"io"
	"strings"
)

// DOT writes the picture as a Graphviz digraph (`dot -Tsvg`).
func DOT(w io.Writer, r *Result) error {
	g := graphOf(r)
	bw := bufio.NewWriter(w)
	bw.WriteString("digraph reach {\n  rankdir=LR;\n  node [fontname=\"Helvetica\", fontsize=10];\n  edge [fontname=\"Helvetica\", fontsize=9];\n")
	for _, n := range g.nodes {
		shape := map[string]string{"workload": "box", "identity": "ellipse", "secret": "note", "host": "octagon", "reach": "box"}[n.shape]
		style := "filled"
		if n.shape == "reach" {
			style = "filled,dashed"
		}
		bw.WriteString("  " + n.id + " [label=" + dotQuote(labelLines(n.label)) + ", shape=" + shape +
			", style=\"" + style + "\", fillcolor=\"" + fill(n.tier) + "\"];\n")
	}
	for _, e := range g.edges {
		bw.WriteString("  " + g.nodes[e.from].id + " -> " + g.nodes[e.to].id + " [label=" + dotQuote(e.label) + "];\n")
	}
	bw.WriteString("}\n")
	return bw.Flush()
}

// labelLines shortens each line of a label for the picture.
func labelLines(s string) string {
	parts := strings.Split(s, "\n")
	for i, p := range parts {
		parts[i] = short(p, 60)
	}
	return strings.Join(parts, "\n")
}

// dotQuote writes a DOT string: quotes and backslashes escaped, the label
// line breaks as \n. Control characters were cleaned before.
func dotQuote(s string) string {
	var b strings.Builder
	b.WriteByte('"')
	for _, r := range s {
		switch r {
		case '"':
			b.WriteString(`\"`)
		case '\\':
			b.WriteString(`\\`)
		case '\n':
			b.WriteString(`\n`)
		default:
			b.WriteRune(r)
		}
	}
	b.WriteByte('"')
	return b.String()
}

func fill(t Tier) string {
	switch t {
	case Critical:
		return "#f4b4b4"
	case High:
		return "#f9d6a8"
	case Medium:
		return "#fbeeb0"
	case Low:
		return "#dcecf7"
	}
	return "#eeeeee"
}
