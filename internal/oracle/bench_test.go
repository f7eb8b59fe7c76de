package oracle_test

import (
	"context"
	"os"
	"path/filepath"
	"sync"
	"testing"

	"github.com/reprohq/repro"
	"github.com/reprohq/repro/internal/oracle"
)

var (
	benchOnce sync.Once
	benchEqs  []oracle.Equation
	benchSyms []*oracle.Symbols
)

// BenchmarkTranslate translates every corpus equation with its paper's
// symbol table (or, without the corpus, the golden set).
func BenchmarkTranslate(b *testing.B) {
	corpus := filepath.Join("..", "..", "..", "shared", "corpus", "papers")
	benchOnce.Do(func() {
		dirs, _ := filepath.Glob(filepath.Join(corpus, "*"))
		for _, dir := range dirs {
			if fi, err := os.Stat(dir); err != nil || !fi.IsDir() {
				continue
			}
			d, err := repro.Extract(context.Background(), dir, repro.Options{})
			if err != nil {
				continue
			}
			eqs, syms := oracle.FromDocument(d)
			for _, eq := range eqs {
				benchEqs = append(benchEqs, eq)
				benchSyms = append(benchSyms, syms)
			}
		}
	})
	eqs, syms := benchEqs, benchSyms
	if len(eqs) == 0 {
		golden, s := goldenEquations(b)
		for _, eq := range golden {
			eqs = append(eqs, eq)
			syms = append(syms, s)
		}
	}
	b.ReportAllocs()
	b.ResetTimer()
	for range b.N {
		for i, eq := range eqs {
			oracle.Translate(eq, syms[i])
		}
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*len(eqs)), "ns/equation")
}
