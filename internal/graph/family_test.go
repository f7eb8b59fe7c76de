package graph_test

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"testing"

	"github.com/reprohq/repro"
	"github.com/reprohq/repro/internal/golden"
	"github.com/reprohq/repro/internal/graph"
)

const familyDir = "../../examples/family"

// truth is examples/family/truth.json.
type truth struct {
	Papers []struct {
		ID      string `json:"id"`
		Dir     string `json:"dir"`
		ArxivID string `json:"arxiv_id"`
		Title   string `json:"title"`
	} `json:"papers"`
	Edges []struct {
		From     string   `json:"from"`
		To       string   `json:"to"`
		Match    string   `json:"match"`
		Cites    int      `json:"cites"`
		Sections []string `json:"sections"`
	} `json:"edges"`
	Order  []string   `json:"order"`
	Cycles [][]string `json:"cycles"`
}

// family extracts the example papers, in the order given (the truth's
// order reversed, so that the graph has to reorder them).
func family(t *testing.T) (truth, []graph.Paper) {
	t.Helper()
	var tr truth
	b, err := os.ReadFile(filepath.Join(familyDir, "truth.json"))
	if err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(b, &tr); err != nil {
		t.Fatal(err)
	}
	var papers []graph.Paper
	for _, p := range slices.Backward(tr.Papers) {
		d, err := repro.Extract(context.Background(), filepath.Join(familyDir, p.Dir), repro.Options{})
		if err != nil {
			t.Fatal(err)
		}
		if d.Title != p.Title {
			t.Errorf("%s: title %q, want %q", p.Dir, d.Title, p.Title)
		}
		papers = append(papers, graph.Paper{ID: p.ID, ArxivID: p.ArxivID, Doc: d})
	}
	return tr, papers
}

func TestFamily(t *testing.T) {
	tr, papers := family(t)
	g := graph.Build(papers)
	if len(g.Edges) != len(tr.Edges) {
		t.Errorf("%d edges, want %d: %v", len(g.Edges), len(tr.Edges), g.Edges)
	}
	for i, want := range tr.Edges {
		if i >= len(g.Edges) {
			break
		}
		e := g.Edges[i]
		if e.From != want.From || e.To != want.To || e.Match != want.Match || e.Cites != want.Cites || !slices.Equal(e.Sections, want.Sections) {
			t.Errorf("edge %d = %+v, want %+v", i, e, want)
		}
		if e.Weight <= 0 {
			t.Errorf("edge %d has weight %g", i, e.Weight)
		}
	}
	if !slices.Equal(g.Order, tr.Order) {
		t.Errorf("Order = %q, want %q", g.Order, tr.Order)
	}
	if len(g.Cycles) != len(tr.Cycles) {
		t.Errorf("Cycles = %q, want %q", g.Cycles, tr.Cycles)
	}
	golden.CheckString(t, "testdata/family.mmd", g.Mermaid())
	golden.CheckJSON(t, "testdata/family.json", g)
}

func TestFamilyImportant(t *testing.T) {
	_, papers := family(t)
	// papers are application, extension, base.
	var got []string
	for _, r := range graph.Important(papers[0], 3, papers[1:]...) {
		got = append(got, r.ArxivID)
	}
	// The application cites only two papers with an arXiv id: the base
	// (in the workspace) and the Conformer.
	if want := []string{"2005.08100"}; !slices.Equal(got, want) {
		t.Errorf("Important(application) = %q, want %q", got, want)
	}
	got = got[:0]
	for _, r := range graph.Important(papers[2], 3) {
		got = append(got, fmt.Sprintf("%s %g", r.ArxivID, graph.Weight(papers[2].Doc, r)))
	}
	// The base cites layer norm in its method section, pre-norm in its
	// experiments.
	if want := []string{"1607.06450 3", "2002.04745 3", "2003.04887 2.5"}; !slices.Equal(got, want) {
		t.Errorf("Important(base) = %q, want %q", got, want)
	}
}
