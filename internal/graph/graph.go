// Package graph builds the dependency graph of the papers of a workspace:
// which paper cites which, how strongly, and in which order to implement
// them (the papers a paper builds on first).
//
// A paper A depends on a paper B of the same workspace when one of A's
// references is B. References are matched by DOI (case-insensitive; an arXiv
// paper also has the DOI 10.48550/arXiv.<id>), by arXiv identifier (version
// dropped) or by normalised title together with the year. The weight of an
// edge says how much A relies on B: citations in the method and experiments
// count more than citations in the introduction or related work (see
// Weight). Build orders the papers topologically and breaks citation cycles
// deterministically by dropping the lightest edge of each cycle.
//
// Everything this package returns is deterministic: the same papers give
// the same graph, with explicit tie-breaks by identifier.
package graph

import (
	"cmp"
	"slices"

	"github.com/reprohq/repro/doc"
)

// Paper is one paper of a workspace.
type Paper struct {
	// ID is the paper's workspace identifier, such as "2501.00663" or
	// "tinyformer".
	ID string
	// ArxivID is the paper's arXiv identifier, if any; when empty,
	// Doc.ArxivID is used.
	ArxivID string
	// DOI is the paper's DOI when it is known; optional. A paper with an
	// arXiv identifier is also matched by its arXiv DOI.
	DOI string
	// Doc is the extracted document; it may be nil (the paper then has no
	// references and is matched by its identifiers only).
	Doc *doc.Document
}

// Match kinds: how a reference was recognised as a paper of the workspace.
const (
	MatchDOI   = "doi"
	MatchArxiv = "arxiv"
	MatchTitle = "title"
)

// Edge says that paper From cites paper To.
type Edge struct {
	From string `json:"from"`
	To   string `json:"to"`
	// Weight sums the section weights of the citations (see Weight).
	Weight float64 `json:"weight"`
	// Cites is how often From cites To.
	Cites int `json:"cites"`
	// Sections are the numbers of From's sections where To is cited, in
	// order of first citation.
	Sections []string `json:"sections"`
	// Match is how the reference was matched: "doi", "arxiv" or "title".
	Match string `json:"match"`
}

// Graph is the citation graph of a workspace's papers.
type Graph struct {
	// Papers are the papers' identifiers, in the order given to Build
	// (duplicates and empty identifiers dropped).
	Papers []string `json:"papers"`
	// Edges are all citations between the papers, sorted by From then To.
	Edges []Edge `json:"edges"`
	// Order is the implementation order: every paper comes after the
	// papers it cites, ties broken by identifier.
	Order []string `json:"order"`
	// Cycles are the citation cycles found, each starting at its smallest
	// identifier and listed in citation order; each was broken by
	// ignoring its lightest edge.
	Cycles [][]string `json:"cycles"`
	// Broken are the edges ignored to break the cycles, one per cycle.
	Broken []Edge `json:"broken"`
}

// Build builds the graph of papers. Self-citations are ignored; several
// references of one paper that match the same paper make one edge.
func Build(papers []Paper) *Graph {
	g := &Graph{Papers: []string{}, Edges: []Edge{}, Order: []string{}, Cycles: [][]string{}, Broken: []Edge{}}
	ps := dedupe(papers)
	for _, p := range ps {
		g.Papers = append(g.Papers, p.ID)
	}
	ix := newIndex(ps)
	type key struct{ from, to string }
	at := map[key]int{}
	for _, p := range ps {
		if p.Doc == nil {
			continue
		}
		for _, r := range p.Doc.References {
			j, how := ix.match(r)
			if j < 0 || ps[j].ID == p.ID {
				continue
			}
			k := key{p.ID, ps[j].ID}
			i, ok := at[k]
			if !ok {
				i = len(g.Edges)
				at[k] = i
				g.Edges = append(g.Edges, Edge{From: p.ID, To: ps[j].ID, Sections: []string{}, Match: how})
			}
			e := &g.Edges[i]
			e.Weight = round2(e.Weight + Weight(p.Doc, r))
			e.Cites += r.Cited
			for _, s := range r.CitedIn {
				if !slices.Contains(e.Sections, s) {
					e.Sections = append(e.Sections, s)
				}
			}
			if matchRank(how) < matchRank(e.Match) {
				e.Match = how
			}
		}
	}
	slices.SortFunc(g.Edges, func(a, b Edge) int {
		return cmp.Or(cmp.Compare(a.From, b.From), cmp.Compare(a.To, b.To))
	})
	g.breakCycles()
	g.Order = g.topoOrder()
	return g
}

// dedupe drops papers without an identifier and repeated identifiers (the
// first one wins).
func dedupe(papers []Paper) []Paper {
	seen := map[string]bool{}
	out := make([]Paper, 0, len(papers))
	for _, p := range papers {
		if p.ID == "" || seen[p.ID] {
			continue
		}
		seen[p.ID] = true
		out = append(out, p)
	}
	return out
}

func matchRank(how string) int {
	switch how {
	case MatchDOI:
		return 0
	case MatchArxiv:
		return 1
	}
	return 2
}

// Active returns the edges that are not broken: the edges the
// implementation order follows.
func (g *Graph) Active() []Edge {
	out := []Edge{}
	for _, e := range g.Edges {
		if !g.isBroken(e) {
			out = append(out, e)
		}
	}
	return out
}

func (g *Graph) isBroken(e Edge) bool {
	for _, b := range g.Broken {
		if b.From == e.From && b.To == e.To {
			return true
		}
	}
	return false
}

// Dependencies returns the papers that id cites directly, following the
// edges that are not broken, sorted by identifier.
func (g *Graph) Dependencies(id string) []string {
	out := []string{}
	for _, e := range g.Active() {
		if e.From == id {
			out = append(out, e.To)
		}
	}
	slices.Sort(out)
	return out
}

// Dependents returns the papers that cite id directly, following the edges
// that are not broken, sorted by identifier.
func (g *Graph) Dependents(id string) []string {
	out := []string{}
	for _, e := range g.Active() {
		if e.To == id {
			out = append(out, e.From)
		}
	}
	slices.Sort(out)
	return out
}
