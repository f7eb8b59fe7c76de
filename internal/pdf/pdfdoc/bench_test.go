package pdfdoc

import (
	"context"
	"os"
	"path/filepath"
	"testing"

	"github.com/reprohq/repro/internal/pdf"
	"github.com/reprohq/repro/internal/pdf/layout"
)

// benchFile is a corpus paper's dump (or its PDF); the benchmarks skip
// without one.
func benchFile(b *testing.B) *pdf.File {
	for _, id := range []string{"seita-minibatch-mh-uai17", "turner-mhgan-icml19"} {
		if _, err := os.Stat(filepath.Join(csDumpDir, id+".json")); err == nil {
			return csLoad(b, id)
		}
	}
	f, err := pdf.Open(context.Background(), "../testdata/tinyformer.pdf", pdf.Options{})
	if err != nil {
		b.Skip("no corpus dump and no test PDF: ", err)
	}
	return f
}

func reportPages(b *testing.B, f *pdf.File) {
	b.ReportMetric(float64(b.Elapsed().Milliseconds())/float64(b.N)/float64(len(f.Pages)), "ms/page")
}

func BenchmarkAnalyze(b *testing.B) {
	f := benchFile(b)
	b.ResetTimer()
	for b.Loop() {
		layout.Analyze(f)
	}
	reportPages(b, f)
}

func BenchmarkBuild(b *testing.B) {
	f := benchFile(b)
	b.ResetTimer()
	for b.Loop() {
		Build(f)
	}
	reportPages(b, f)
}
