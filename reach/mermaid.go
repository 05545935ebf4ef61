package reach

import (
	"bufio"
	"io"
	"strings"
)

// Mermaid writes the picture as a Mermaid flowchart (GitHub renders it in
// a ```mermaid block).
func Mermaid(w io.Writer, r *Result) error {
	g := graphOf(r)
	bw := bufio.NewWriter(w)
	bw.WriteString("flowchart LR\n")
	for _, n := range g.nodes {
		open, close := "[", "]"
		switch n.shape {
		case "identity":
			open, close = "([", "])"
		case "secret":
			open, close = "[/", "/]"
		case "host":
			open, close = "{{", "}}"
		}
		bw.WriteString("  " + n.id + open + mermaidQuote(labelLines(n.label)) + close + ":::" + tierClass(n.tier) + "\n")
	}
	for _, e := range g.edges {
		bw.WriteString("  " + g.nodes[e.from].id + " -->|" + mermaidQuote(e.label) + "| " + g.nodes[e.to].id + "\n")
	}
	for _, t := range []Tier{Critical, High, Medium, Low, None} {
		bw.WriteString("  classDef " + tierClass(t) + " fill:" + fill(t) + ",stroke:#555\n")
	}
	return bw.Flush()
}

func tierClass(t Tier) string { return "t" + string(t) }

// mermaidQuote writes a Mermaid string label: characters that end or
// change a label are written as entity codes, line breaks as <br/>.
func mermaidQuote(s string) string {
	r := strings.NewReplacer(`"`, "#quot;", "<", "#lt;", ">", "#gt;", "|", "#124;", "#", "#35;", "`", "#96;", "\n", "<br/>")
	// a Replacer rewrites each input character once: the entity codes it
	// writes are not escaped again
	return `"` + r.Replace(s) + `"`
}
