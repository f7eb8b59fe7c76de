package pdf

import (
	"context"
	"os"
	"path/filepath"
	"testing"

	"github.com/reprohq/repro/internal/golden"
)

func benchmarkFile(b *testing.B, path string) {
	data, err := os.ReadFile(path)
	if err != nil {
		b.Skip(err)
	}
	if _, err := Read(context.Background(), path, data, Options{}); err != nil { // warm the pool
		b.Fatal(err)
	}
	b.ResetTimer()
	pages, cpu0 := 0, cpuTime()
	for b.Loop() {
		f, err := Read(context.Background(), path, data, Options{})
		if err != nil {
			b.Fatal(err)
		}
		pages += len(f.Pages)
	}
	b.ReportMetric(float64(pages)/b.Elapsed().Seconds(), "pages/s")
	if cpu := cpuTime() - cpu0; cpu > 0 {
		b.ReportMetric(float64(pages)/cpu.Seconds(), "pages/cpu-s")
	}
}

// BenchmarkOpen reads the tinyformer fixture. pages/cpu-s is the speed on
// one core, whatever else the machine runs.
func BenchmarkOpen(b *testing.B) {
	benchmarkFile(b, filepath.Join("testdata", "tinyformer.pdf"))
}

// BenchmarkCorpusPaper reads one corpus paper.
func BenchmarkCorpusPaper(b *testing.B) {
	benchmarkFile(b, filepath.Join(golden.CorpusDir(b), "turner-mhgan-icml19", "compiled.pdf"))
}
