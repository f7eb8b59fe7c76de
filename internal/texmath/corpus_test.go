package texmath_test

import (
	"context"
	"os"
	"path/filepath"
	"sync"
	"testing"

	"github.com/reprohq/repro"
	"github.com/reprohq/repro/internal/golden"
	"github.com/reprohq/repro/internal/texmath"
)

var (
	corpusOnce sync.Once
	corpusEqs  []string
)

// corpusEquations returns the expanded LaTeX of every display equation of
// the corpus, or skips when the corpus is absent.
func corpusEquations(t testing.TB) []string {
	t.Helper()
	dir := golden.CorpusDir(t)
	corpusOnce.Do(func() {
		dirs, _ := filepath.Glob(filepath.Join(dir, "*"))
		for _, d := range dirs {
			if fi, err := os.Stat(d); err != nil || !fi.IsDir() {
				continue
			}
			doc, err := repro.Extract(context.Background(), d, repro.Options{})
			if err != nil {
				continue
			}
			for _, e := range doc.Equations {
				corpusEqs = append(corpusEqs, e.LaTeXExpanded)
			}
		}
	})
	if len(corpusEqs) == 0 {
		t.Skip("no corpus equations")
	}
	return corpusEqs
}

// TestCorpusParse parses every display equation of the corpus: at least
// 95% parse completely, none panics, and the printed form of each complete
// tree parses back to the same tree.
func TestCorpusParse(t *testing.T) {
	eqs := corpusEquations(t)
	complete := 0
	for _, src := range eqs {
		n, err := texmath.Parse(src)
		if err == nil {
			complete++
		} else if perr, ok := err.(*texmath.Error); ok && len(perr.Msg) > 14 && perr.Msg[:14] == "internal error" {
			t.Errorf("panic on %q: %v", src, err)
		}
		if err != nil {
			continue
		}
		printed := texmath.Format(n)
		m, err := texmath.Parse(printed)
		if err != nil {
			t.Errorf("Format(%.80q) does not parse: %v\n%s", src, err, printed)
			continue
		}
		if a, b := n.String(), m.String(); a != b {
			t.Errorf("round trip of %.120q\n printed %.200q\n before %.300s\n after  %.300s", src, printed, a, b)
		}
	}
	rate := float64(complete) / float64(len(eqs))
	t.Logf("%d of %d corpus equations parse completely (%.1f%%)", complete, len(eqs), 100*rate)
	if rate < 0.95 {
		t.Errorf("parse rate %.1f%%, want >= 95%%", 100*rate)
	}
}

// BenchmarkParse parses every corpus equation (or, without the corpus, the
// built-in set).
func BenchmarkParse(b *testing.B) {
	eqs := builtin
	if _, err := os.Stat(filepath.Join("..", "..", "..", "shared", "corpus", "papers")); err == nil {
		eqs = corpusEquations(b)
	}
	bytes := 0
	for _, e := range eqs {
		bytes += len(e)
	}
	b.SetBytes(int64(bytes))
	b.ReportAllocs()
	b.ResetTimer()
	for range b.N {
		for _, e := range eqs {
			texmath.Parse(e)
		}
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*len(eqs)), "ns/equation")
}

var builtin = []string{
	`\mathrm{Attention}(Q, K, V) = \mathrm{softmax}\left(\frac{QK^\top}{\sqrt{d_k}}\right)V`,
	`\mathcal{L} = -\sum_{c=1}^{C} y_c \log \hat{y}_c + \lambda \|\theta\|_2^2`,
	`\theta_{t+1} = \theta_t - \eta \nabla_\theta \mathcal{L}(\theta_t)`,
	`p(x) = \mathbb{E}_{z \sim p(z)}\left[p(x \mid z)\right] \approx \frac{1}{N}\sum_{i=1}^N p(x \mid z_i)`,
}
