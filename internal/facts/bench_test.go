package facts_test

import (
	"context"
	"path/filepath"
	"testing"

	"github.com/reprohq/repro"
	"github.com/reprohq/repro/doc"
	"github.com/reprohq/repro/internal/facts"
)

// BenchmarkExtract runs the facts extractor on the example paper, already
// read.
func BenchmarkExtract(b *testing.B) {
	d, err := repro.Extract(context.Background(), filepath.Join("..", "..", "examples", "tinyformer"), repro.Options{})
	if err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	for b.Loop() {
		facts.Extract(d)
	}
}

// BenchmarkExtractCorpus runs the extractor on every corpus paper, read
// once beforehand; it skips when the corpus is absent.
func BenchmarkExtractCorpus(b *testing.B) {
	dirs, _ := filepath.Glob(filepath.Join(corpusDir, "*"))
	if len(dirs) == 0 {
		b.Skipf("corpus not present at %s", corpusDir)
	}
	docs := make([]*doc.Document, 0, len(dirs))
	for _, dir := range dirs {
		d, err := repro.Extract(context.Background(), dir, repro.Options{})
		if err != nil {
			continue
		}
		docs = append(docs, d)
	}
	b.ReportAllocs()
	for b.Loop() {
		for _, d := range docs {
			facts.Extract(d)
		}
	}
}
