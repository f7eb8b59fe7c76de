package results

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/reprohq/repro/doc"
	"github.com/reprohq/repro/internal/golden"
)

// BenchmarkExtract times Extract alone on the example paper and, when the
// corpus is present, on every corpus paper (one iteration = all papers).
func BenchmarkExtract(b *testing.B) {
	b.Run("tinyformer", func(b *testing.B) {
		d := readDir(b, filepath.Join("..", "..", "examples", "tinyformer"))
		b.ResetTimer()
		for b.Loop() {
			Extract(d)
		}
	})
	b.Run("corpus", func(b *testing.B) {
		dir := golden.CorpusDir(b)
		entries, err := os.ReadDir(dir)
		if err != nil {
			b.Fatal(err)
		}
		var docs []*doc.Document
		for _, e := range entries {
			if e.IsDir() {
				docs = append(docs, readDir(b, filepath.Join(dir, e.Name())))
			}
		}
		b.ResetTimer()
		for b.Loop() {
			for _, d := range docs {
				Extract(d)
			}
		}
		b.ReportMetric(float64(b.Elapsed().Microseconds())/float64(b.N*len(docs)), "µs/paper")
	})
}
