package graph

import (
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/reprohq/repro/doc"
	_ "github.com/reprohq/repro/internal/golden"
)

// paper makes a paper with the given sections ("1 Introduction", "3
// Method") and references.
func paper(id, arxiv, title string, sections []string, refs ...doc.Reference) Paper {
	d := doc.New()
	d.Title = title
	for _, s := range sections {
		num, t, _ := strings.Cut(s, " ")
		d.Sections = append(d.Sections, doc.Section{Number: num, Title: t, Level: 1})
	}
	d.References = refs
	return Paper{ID: id, ArxivID: arxiv, Doc: d}
}

func ref(key string, mod func(*doc.Reference)) doc.Reference {
	r := doc.Reference{Key: key, Cited: 1, CitedIn: []string{"1"}}
	mod(&r)
	return r
}

var secs = []string{"1 Introduction", "2 Related Work", "3 Method", "4 Experiments", "5 Conclusion"}

func TestNormalize(t *testing.T) {
	arxiv := []struct{ in, want string }{
		{"2401.00001", "2401.00001"},
		{"2401.00001v3", "2401.00001"},
		{"arXiv:2401.00001v2", "2401.00001"},
		{" ARXIV:2401.00001 ", "2401.00001"},
		{"https://arxiv.org/abs/2401.00001v1", "2401.00001"},
		{"http://arxiv.org/pdf/2401.00001v1.pdf", "2401.00001"},
		{"hep-th/9901001v2", "hep-th/9901001"},
		{"cs.LG/0101001", "cs.lg/0101001"},
		{"", ""},
	}
	for _, tt := range arxiv {
		if got := NormalizeArxiv(tt.in); got != tt.want {
			t.Errorf("NormalizeArxiv(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
	dois := []struct{ in, want string }{
		{"10.48550/arXiv.2401.00001", "10.48550/arxiv.2401.00001"},
		{"https://doi.org/10.1145/ABC", "10.1145/abc"},
		{"http://dx.doi.org/10.1145/abc", "10.1145/abc"},
		{"doi:10.1145/abc", "10.1145/abc"},
	}
	for _, tt := range dois {
		if got := NormalizeDOI(tt.in); got != tt.want {
			t.Errorf("NormalizeDOI(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
	titles := []struct{ in, want string }{
		{"{GateNorm}: Normalised  Gating for Residual Networks.", "gatenorm normalised gating for residual networks"},
		{`\textsc{Adam}: A Method for Stochastic Optimization`, "adam a method for stochastic optimization"},
		{"Self-Attention with $O(n)$ Cost", "self attention with o n cost"},
		{"Schmidhuber’s Über-Netze", "schmidhubers über netze"},
		{"  ", ""},
	}
	for _, tt := range titles {
		if got := NormalizeTitle(tt.in); got != tt.want {
			t.Errorf("NormalizeTitle(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestMatch(t *testing.T) {
	target := paper("B", "2401.00001", "GateNorm: Normalised Gating for Residual Networks", nil)
	tests := []struct {
		name string
		ref  doc.Reference
		want string // match kind, "" for none
	}{
		{"arxiv id", ref("r", func(r *doc.Reference) { r.ArxivID = "2401.00001" }), MatchArxiv},
		{"arxiv id with version", ref("r", func(r *doc.Reference) { r.ArxivID = "2401.00001v4" }), MatchArxiv},
		{"other arxiv id", ref("r", func(r *doc.Reference) { r.ArxivID = "2401.00002" }), ""},
		{"arxiv doi", ref("r", func(r *doc.Reference) { r.DOI = "10.48550/ARXIV.2401.00001" }), MatchDOI},
		{"doi beats arxiv", ref("r", func(r *doc.Reference) { r.DOI = "10.48550/arXiv.2401.00001"; r.ArxivID = "2401.00001" }), MatchDOI},
		{"other doi then arxiv", ref("r", func(r *doc.Reference) { r.DOI = "10.1145/1"; r.ArxivID = "2401.00001" }), MatchArxiv},
		{"title and year", ref("r", func(r *doc.Reference) {
			r.Title = "{GateNorm}: normalised gating for residual networks"
			r.Year = "2024"
		}), MatchTitle},
		{"title, no year", ref("r", func(r *doc.Reference) { r.Title = "GateNorm -- Normalised Gating for Residual Networks" }), MatchTitle},
		{"title, venue year after the arXiv year", ref("r", func(r *doc.Reference) { r.Title = "GateNorm: Normalised Gating for Residual Networks"; r.Year = "2025" }), MatchTitle},
		{"title, other year", ref("r", func(r *doc.Reference) { r.Title = "GateNorm: Normalised Gating for Residual Networks"; r.Year = "2019" }), ""},
		{"other title", ref("r", func(r *doc.Reference) { r.Title = "GateNorm for Transformers"; r.Year = "2024" }), ""},
		{"nothing", ref("r", func(r *doc.Reference) {}), ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			from := paper("A", "", "Citing paper", secs, tt.ref)
			g := Build([]Paper{from, target})
			got := ""
			if len(g.Edges) == 1 {
				got = g.Edges[0].Match
				if e := g.Edges[0]; e.From != "A" || e.To != "B" {
					t.Errorf("edge %s → %s, want A → B", e.From, e.To)
				}
			} else if len(g.Edges) > 1 {
				t.Fatalf("%d edges", len(g.Edges))
			}
			if got != tt.want {
				t.Errorf("match = %q, want %q", got, tt.want)
			}
		})
	}
}

func TestMatchYearFromDate(t *testing.T) {
	target := paper("B", "", "A Study of Gated Residual Networks", nil)
	target.Doc.Date = "March 2021"
	for _, tt := range []struct {
		year string
		want int
	}{{"2021", 1}, {"2022", 0}, {"", 1}} {
		from := paper("A", "", "x", secs, ref("r", func(r *doc.Reference) { r.Title = "A study of gated residual networks"; r.Year = tt.year }))
		if g := Build([]Paper{from, target}); len(g.Edges) != tt.want {
			t.Errorf("year %q: %d edges, want %d (a date year is exact)", tt.year, len(g.Edges), tt.want)
		}
	}
}

func TestSectionWeight(t *testing.T) {
	tests := []struct {
		title string
		want  float64
	}{
		{"Method", WeightCore}, {"Our Approach", WeightCore}, {"Model Architecture", WeightCore},
		{"Experimental Setup", WeightCore}, {"Results and Discussion", WeightCore}, {"Training", WeightCore},
		{"Introduction", WeightContext}, {"Related Work", WeightContext}, {"Background", WeightContext},
		{"Preliminaries", WeightContext}, {"Conclusion", WeightOther}, {"Acknowledgments", WeightOther},
		{"GateNorm", WeightOther}, {"", WeightOther},
	}
	for _, tt := range tests {
		if got := SectionWeight(tt.title); got != tt.want {
			t.Errorf("SectionWeight(%q) = %g, want %g", tt.title, got, tt.want)
		}
	}
}

func TestWeight(t *testing.T) {
	d := paper("A", "", "x", []string{"1 Introduction", "2 Related Work", "3 GateNorm", "4 Experiments", "5 Conclusion", "A Proofs"}).Doc
	d.Equations = []doc.Equation{{ID: "eq-1", Section: "3.2"}}
	tests := []struct {
		name    string
		cited   int
		citedIn []string
		want    float64
	}{
		{"introduction once", 1, []string{"1"}, 0.5},
		{"method once", 1, []string{"3"}, 2},
		{"subsection of the method", 1, []string{"3.2"}, 2},
		{"experiments and conclusion", 2, []string{"4", "5"}, 3},
		{"spread evenly", 6, []string{"1", "3", "4"}, 9},
		{"repeated in one section", 4, []string{"3"}, 8},
		{"unknown section", 1, []string{"9"}, 1},
		{"unnumbered section", 1, []string{""}, 1},
		{"appendix", 1, []string{"A.1"}, 1},
		{"listed only", 0, nil, WeightListed},
		{"cited, sections unknown", 2, nil, 2},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := doc.Reference{Cited: tt.cited, CitedIn: tt.citedIn}
			if got := Weight(d, r); got != tt.want {
				t.Errorf("Weight = %g, want %g", got, tt.want)
			}
		})
	}
}

// cites returns a reference of the paper with the given arXiv id, cited n
// times in section sec.
func cites(arxiv string, n int, sec string) doc.Reference {
	return doc.Reference{Key: "k" + arxiv, ArxivID: arxiv, Cited: n, CitedIn: []string{sec}}
}

func TestOrder(t *testing.T) {
	tests := []struct {
		name   string
		papers []Paper
		order  []string
		edges  int
	}{
		{"chain", []Paper{
			paper("c", "0003", "", secs, cites("0002", 1, "3")),
			paper("b", "0002", "", secs, cites("0001", 1, "3")),
			paper("a", "0001", "", secs),
		}, []string{"a", "b", "c"}, 2},
		{"diamond", []Paper{
			paper("top", "0004", "", secs, cites("0002", 1, "3"), cites("0003", 1, "3")),
			paper("right", "0003", "", secs, cites("0001", 1, "3")),
			paper("left", "0002", "", secs, cites("0001", 1, "3")),
			paper("root", "0001", "", secs),
		}, []string{"root", "left", "right", "top"}, 4},
		{"independent papers by id", []Paper{paper("z", "", "", nil), paper("m", "", "", nil), paper("a", "", "", nil)},
			[]string{"a", "m", "z"}, 0},
		{"self citation ignored", []Paper{paper("a", "0001", "", secs, cites("0001", 3, "3"))}, []string{"a"}, 0},
		{"nil document", []Paper{{ID: "x", ArxivID: "0001"}, paper("y", "", "", secs, cites("0001", 1, "3"))}, []string{"x", "y"}, 1},
		{"duplicates and empty ids dropped", []Paper{paper("a", "", "", nil), paper("a", "", "", nil), {ID: ""}}, []string{"a"}, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			g := Build(tt.papers)
			if !slices.Equal(g.Order, tt.order) {
				t.Errorf("Order = %q, want %q", g.Order, tt.order)
			}
			if len(g.Edges) != tt.edges {
				t.Errorf("%d edges, want %d", len(g.Edges), tt.edges)
			}
			if len(g.Cycles) != 0 {
				t.Errorf("cycles %q", g.Cycles)
			}
		})
	}
}

func TestMergedReferences(t *testing.T) {
	a := paper("a", "", "", secs, cites("0002", 1, "1"), cites("0002v2", 2, "3"))
	g := Build([]Paper{a, paper("b", "0002", "", nil)})
	want := []Edge{{From: "a", To: "b", Weight: 4.5, Cites: 3, Sections: []string{"1", "3"}, Match: MatchArxiv}}
	if fmt.Sprint(g.Edges) != fmt.Sprint(want) {
		t.Errorf("Edges = %v, want %v", g.Edges, want)
	}
}

func TestCycles(t *testing.T) {
	// a → b (heavy), b → c (heavy), c → a (light): the cycle a b c is
	// broken at c → a, so the order is c, b, a.
	three := []Paper{
		paper("a", "0001", "", secs, cites("0002", 3, "3")),
		paper("b", "0002", "", secs, cites("0003", 2, "3")),
		paper("c", "0003", "", secs, cites("0001", 1, "1")),
	}
	g := Build(three)
	if want := [][]string{{"a", "b", "c"}}; fmt.Sprint(g.Cycles) != fmt.Sprint(want) {
		t.Errorf("Cycles = %q, want %q", g.Cycles, want)
	}
	if len(g.Broken) != 1 || g.Broken[0].From != "c" || g.Broken[0].To != "a" {
		t.Errorf("Broken = %v, want c → a", g.Broken)
	}
	if want := []string{"c", "b", "a"}; !slices.Equal(g.Order, want) {
		t.Errorf("Order = %q, want %q", g.Order, want)
	}
	if len(g.Edges) != 3 || len(g.Active()) != 2 {
		t.Errorf("%d edges, %d active; want 3, 2", len(g.Edges), len(g.Active()))
	}
	if !strings.Contains(g.Mermaid(), "-.->") {
		t.Errorf("Mermaid does not draw the broken edge dotted:\n%s", g.Mermaid())
	}

	// Equal weights: the tie is broken by From, then To: a → b goes.
	tie := []Paper{
		paper("b", "0002", "", secs, cites("0003", 1, "3")),
		paper("c", "0003", "", secs, cites("0001", 1, "3")),
		paper("a", "0001", "", secs, cites("0002", 1, "3")),
	}
	g = Build(tie)
	if len(g.Broken) != 1 || g.Broken[0].From != "a" || g.Broken[0].To != "b" {
		t.Errorf("tie: Broken = %v, want a → b", g.Broken)
	}
	if want := []string{"a", "c", "b"}; !slices.Equal(g.Order, want) {
		t.Errorf("tie: Order = %q, want %q", g.Order, want)
	}

	// Two cycles sharing a paper, and a mutual citation.
	two := []Paper{
		paper("a", "0001", "", secs, cites("0002", 2, "3"), cites("0004", 1, "1")),
		paper("b", "0002", "", secs, cites("0001", 1, "3")),
		paper("d", "0004", "", secs, cites("0001", 2, "3")),
	}
	g = Build(two)
	if len(g.Cycles) != 2 || len(g.Broken) != 2 {
		t.Fatalf("Cycles = %q, Broken = %v; want two", g.Cycles, g.Broken)
	}
	// The search from a meets a → b → a first: b → a (2) is lighter than
	// a → b (4); then a → d → a loses a → d (0.5).
	if want := "[[b a] [a d]]"; fmt.Sprint(brokenPairs(g)) != want {
		t.Errorf("Broken = %v, want %s", brokenPairs(g), want)
	}
	if len(g.Order) != 3 {
		t.Errorf("Order = %q", g.Order)
	}
}

func brokenPairs(g *Graph) [][2]string {
	var out [][2]string
	for _, e := range g.Broken {
		out = append(out, [2]string{e.From, e.To})
	}
	return out
}

func TestDeterministic(t *testing.T) {
	ps := []Paper{
		paper("a", "0001", "", secs, cites("0002", 1, "3"), cites("0003", 1, "3")),
		paper("b", "0002", "", secs, cites("0003", 1, "1"), cites("0001", 1, "1")),
		paper("c", "0003", "", secs, cites("0001", 1, "4")),
		paper("d", "0004", "", secs, cites("0001", 1, "4")),
	}
	want := Build(ps)
	for i := range 20 {
		q := slices.Clone(ps)
		// A fixed set of permutations.
		for j := range q {
			k := (j*7 + i) % len(q)
			q[j], q[k] = q[k], q[j]
		}
		got := Build(q)
		if fmt.Sprint(got.Edges, got.Order, got.Cycles, got.Broken) != fmt.Sprint(want.Edges, want.Order, want.Cycles, want.Broken) {
			t.Fatalf("permutation %d: %v %v %v %v\nwant %v %v %v %v", i, got.Edges, got.Order, got.Cycles, got.Broken,
				want.Edges, want.Order, want.Cycles, want.Broken)
		}
	}
}

func TestImportant(t *testing.T) {
	p := paper("p", "2401.00001", "P", secs,
		cites("1111.00001", 1, "1"),   // 0.5
		cites("1111.00002", 2, "3"),   // 4
		cites("1111.00003", 1, "4"),   // 2
		cites("1111.00003v2", 1, "5"), // +1 → 3
		cites("2401.00001", 5, "3"),   // itself
		cites("2402.00002", 9, "3"),   // in the workspace
		doc.Reference{Key: "noid", Title: "No identifier", Cited: 9, CitedIn: []string{"3"}},
		cites("1111.00004", 1, "1"), // 0.5, tie with 00001
	)
	other := Paper{ID: "o", ArxivID: "2402.00002v1"}
	var ids []string
	for _, r := range Important(p, 10, other) {
		ids = append(ids, r.ArxivID)
	}
	want := []string{"1111.00002", "1111.00003", "1111.00001", "1111.00004"}
	if !slices.Equal(ids, want) {
		t.Errorf("Important = %q, want %q", ids, want)
	}
	if got := Important(p, 2, other); len(got) != 2 || got[0].ArxivID != "1111.00002" {
		t.Errorf("Important(2) = %v", got)
	}
	if got := Important(p, 0); got != nil {
		t.Errorf("Important(0) = %v, want nil", got)
	}
	if got := Important(Paper{ID: "x"}, 3); got != nil {
		t.Errorf("Important without a document = %v, want nil", got)
	}
	// Without exclude, the workspace paper is a candidate.
	if got := Important(p, 1); got[0].ArxivID != "2402.00002" {
		t.Errorf("Important(1) without exclude = %v", got)
	}
}

func TestMermaid(t *testing.T) {
	g := Build([]Paper{
		paper("b", "0002", "", secs, cites("0001", 3, "3")),
		paper(`a"1`, "0001", "", secs),
	})
	want := "flowchart TD\n" +
		"    p0[\"a#quot;1\"]\n" +
		"    p1[\"b\"]\n" +
		"    p1 -->|\"3× · w 6\"| p0\n"
	if got := g.Mermaid(); got != want {
		t.Errorf("Mermaid =\n%s\nwant\n%s", got, want)
	}
}
