package graph

import (
	"cmp"
	"slices"

	"github.com/reprohq/repro/doc"
)

// Important returns up to n references of p worth following (repro add
// --follow N): those with an arXiv identifier, ranked by Weight (then by
// number of citations, then by arXiv identifier), without p itself and
// without the papers of exclude (usually the other papers of the
// workspace, matched as Build matches them). A reference listed twice
// counts once, with its weights added. The references returned are copies,
// with ArxivID normalised (see NormalizeArxiv). It returns nil when n <= 0.
func Important(p Paper, n int, exclude ...Paper) []doc.Reference {
	if n <= 0 || p.Doc == nil {
		return nil
	}
	ix := newIndex(append([]Paper{p}, exclude...))
	type cand struct {
		ref    doc.Reference
		weight float64
	}
	var cands []cand
	at := map[string]int{}
	for _, r := range p.Doc.References {
		a := NormalizeArxiv(r.ArxivID)
		if a == "" {
			continue
		}
		if j, _ := ix.match(r); j >= 0 {
			continue // p itself or a paper already in the workspace
		}
		w := Weight(p.Doc, r)
		if i, ok := at[a]; ok {
			cands[i].weight = round2(cands[i].weight + w)
			cands[i].ref.Cited += r.Cited
			continue
		}
		r.ArxivID = a
		r.Authors = slices.Clone(r.Authors)
		r.CitedIn = slices.Clone(r.CitedIn)
		at[a] = len(cands)
		cands = append(cands, cand{r, w})
	}
	slices.SortStableFunc(cands, func(x, y cand) int {
		return cmp.Or(cmp.Compare(y.weight, x.weight), cmp.Compare(y.ref.Cited, x.ref.Cited), cmp.Compare(x.ref.ArxivID, y.ref.ArxivID))
	})
	out := make([]doc.Reference, 0, min(n, len(cands)))
	for _, c := range cands[:min(n, len(cands))] {
		out = append(out, c.ref)
	}
	return out
}
