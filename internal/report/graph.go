package report

import (
	"fmt"
	"html/template"
	"strings"
	"unicode/utf8"

	"github.com/reprohq/repro/internal/graph"
)

// Geometry of the dependency graph.
const (
	nodeW    = 220
	nodeH    = 54
	colGap   = 90
	rowGap   = 22
	graphPad = 16
)

// graphSVG draws the citation graph in layers: a paper's layer is one more
// than the deepest paper it cites, so the papers to implement first are on
// the left and every arrow (cites) points left. Edges that were ignored to
// break a cycle are dashed.
func graphSVG(g *graph.Graph, titles map[string]string) string {
	broken := map[[2]string]bool{}
	for _, e := range g.Broken {
		broken[[2]string{e.From, e.To}] = true
	}
	deps := map[string][]string{}
	for _, e := range g.Edges {
		if !broken[[2]string{e.From, e.To}] {
			deps[e.From] = append(deps[e.From], e.To)
		}
	}
	layer := map[string]int{}
	// g.Order puts every paper after the papers it cites.
	order := g.Order
	if len(order) == 0 {
		order = g.Papers
	}
	for _, id := range order {
		l := 0
		for _, d := range deps[id] {
			if ld, ok := layer[d]; ok && ld+1 > l {
				l = ld + 1
			}
		}
		layer[id] = l
	}
	var cols [][]string
	for _, id := range order {
		l := layer[id]
		for len(cols) <= l {
			cols = append(cols, nil)
		}
		cols[l] = append(cols[l], id)
	}
	rank := map[string]int{}
	for i, id := range order {
		rank[id] = i + 1
	}
	type pos struct{ x, y float64 }
	at := map[string]pos{}
	maxRows := 0
	for c, ids := range cols {
		maxRows = max(maxRows, len(ids))
		for r, id := range ids {
			at[id] = pos{float64(graphPad + c*(nodeW+colGap)), float64(graphPad + r*(nodeH+rowGap))}
		}
	}
	w := graphPad*2 + len(cols)*nodeW + max(0, len(cols)-1)*colGap
	h := graphPad*2 + maxRows*nodeH + max(0, maxRows-1)*rowGap
	var b strings.Builder
	fmt.Fprintf(&b, `<svg xmlns="http://www.w3.org/2000/svg" class="graph" width="%d" height="%d" viewBox="0 0 %d %d" role="img" aria-label="dependency graph">`, w, h, w, h)
	b.WriteString(`<defs><marker id="arrow" viewBox="0 0 10 10" refX="10" refY="5" markerWidth="8" markerHeight="8" orient="auto-start-reverse"><path d="M0,0L10,5L0,10z" fill="#57606a"/></marker></defs>`)
	for _, e := range g.Edges {
		from, ok1 := at[e.From]
		to, ok2 := at[e.To]
		if !ok1 || !ok2 {
			continue
		}
		x1, y1 := from.x, from.y+nodeH/2
		x2, y2 := to.x+nodeW, to.y+nodeH/2
		if from.x <= to.x { // a cycle's back edge: go round
			x1, x2 = from.x+nodeW, to.x
		}
		dash := ""
		if broken[[2]string{e.From, e.To}] {
			dash = ` stroke-dasharray="5 4"`
		}
		mx := (x1 + x2) / 2
		fmt.Fprintf(&b, `<path d="M%.1f,%.1f C%.1f,%.1f %.1f,%.1f %.1f,%.1f" fill="none" stroke="#57606a" stroke-width="1.5"%s marker-end="url(#arrow)"><title>%s cites %s %d× (weight %s; sections %s)</title></path>`,
			x1, y1, mx, y1, mx, y2, x2, y2, dash,
			template.HTMLEscapeString(e.From), template.HTMLEscapeString(e.To), e.Cites,
			graph.FormatWeight(e.Weight), template.HTMLEscapeString(strings.Join(e.Sections, ", ")))
	}
	for _, id := range order {
		p := at[id]
		fmt.Fprintf(&b, `<a href="#paper-%s"><g><rect x="%.0f" y="%.0f" width="%d" height="%d" rx="8" fill="#f6f8fa" stroke="#0969da" stroke-width="1.5"/>`,
			slug(id), p.x, p.y, nodeW, nodeH)
		fmt.Fprintf(&b, `<text x="%.0f" y="%.0f" font-size="13" font-weight="600" fill="#0969da">%d. %s</text>`,
			p.x+10, p.y+21, rank[id], template.HTMLEscapeString(clip(id, 26)))
		fmt.Fprintf(&b, `<text x="%.0f" y="%.0f" font-size="11" fill="#57606a">%s</text></g></a>`,
			p.x+10, p.y+40, template.HTMLEscapeString(clip(titles[id], 34)))
	}
	b.WriteString(`</svg>`)
	return b.String()
}

// clip shortens s to n characters with an ellipsis.
func clip(s string, n int) string {
	if utf8.RuneCountInString(s) <= n {
		return s
	}
	r := []rune(s)
	return strings.TrimSpace(string(r[:n-1])) + "…"
}
