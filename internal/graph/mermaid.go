package graph

import (
	"fmt"
	"strconv"
	"strings"
)

// Mermaid returns the graph as a Mermaid flowchart: one node per paper,
// declared in implementation order, and an arrow from each paper to each
// paper it cites, labelled with the number of citations and the weight, so
// that the papers cited are drawn below the papers citing them. Edges
// broken to remove cycles are drawn dotted. The text has no fence; it ends
// with a newline.
func (g *Graph) Mermaid() string {
	var b strings.Builder
	b.WriteString("flowchart TD\n")
	node := map[string]string{}
	for i, p := range g.Order {
		node[p] = "p" + strconv.Itoa(i)
		fmt.Fprintf(&b, "    %s[\"%s\"]\n", node[p], mermaidText(p))
	}
	for _, e := range g.Edges {
		label := fmt.Sprintf("%d× · w %s", e.Cites, FormatWeight(e.Weight))
		arrow := "-->"
		if g.isBroken(e) {
			arrow = "-.->"
			label += " · cycle broken"
		}
		fmt.Fprintf(&b, "    %s %s|\"%s\"| %s\n", node[e.From], arrow, label, node[e.To])
	}
	return b.String()
}

// FormatWeight formats an edge weight without trailing zeros ("4.5", "6").
func FormatWeight(w float64) string { return strconv.FormatFloat(w, 'f', -1, 64) }

// mermaidText escapes text for a quoted Mermaid label.
func mermaidText(s string) string {
	r := strings.NewReplacer(`"`, "#quot;", "\n", " ", "<", "#lt;", ">", "#gt;")
	return r.Replace(s)
}
