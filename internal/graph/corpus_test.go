package graph_test

import (
	"context"
	"os"
	"path/filepath"
	"testing"

	"github.com/reprohq/repro"
	"github.com/reprohq/repro/internal/graph"
)

// corpusDir holds one folder per paper, when the shared corpus is present.
const corpusDir = "../../../shared/corpus/papers"

// TestCorpus builds one graph over every paper of the corpus: it must not
// panic, and must give every paper a place in the order.
func TestCorpus(t *testing.T) {
	dirs, err := os.ReadDir(corpusDir)
	if err != nil {
		t.Skip("corpus not present: " + corpusDir)
	}
	if testing.Short() {
		t.Skip("corpus: skipped in -short mode")
	}
	var papers []graph.Paper
	for _, d := range dirs {
		if !d.IsDir() {
			continue
		}
		doc, err := repro.Extract(context.Background(), filepath.Join(corpusDir, d.Name()), repro.Options{})
		if err != nil {
			t.Logf("%s: %v", d.Name(), err)
			continue
		}
		papers = append(papers, graph.Paper{ID: d.Name(), Doc: doc})
	}
	g := graph.Build(papers)
	if len(g.Order) != len(papers) {
		t.Errorf("order has %d papers, want %d", len(g.Order), len(papers))
	}
	refs := 0
	for _, p := range papers {
		refs += len(p.Doc.References)
		graph.Important(p, 5, papers...)
	}
	t.Logf("corpus: %d papers, %d references, %d edges, %d cycles", len(papers), refs, len(g.Edges), len(g.Cycles))
	for _, e := range g.Edges {
		t.Logf("  %s → %s (%s, %d cites, weight %g)", e.From, e.To, e.Match, e.Cites, e.Weight)
	}
	_ = g.Mermaid()
}
