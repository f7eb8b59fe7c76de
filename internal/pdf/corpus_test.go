package pdf

import (
	"context"
	"path/filepath"
	"runtime"
	"testing"
	"time"

	"github.com/reprohq/repro/internal/golden"
	"github.com/reprohq/repro/internal/xerr"
)

// TestCorpus opens every compiled.pdf and paper.pdf of the shared corpus:
// each must be read, or fail with an input error; none may panic.
func TestCorpus(t *testing.T) {
	if testing.Short() {
		t.Skip("short")
	}
	dir := golden.CorpusDir(t)
	var pdfs []string
	for _, name := range []string{"compiled.pdf", "paper.pdf"} {
		m, _ := filepath.Glob(filepath.Join(dir, "*", name))
		pdfs = append(pdfs, m...)
	}
	if len(pdfs) == 0 {
		t.Skip("no PDFs in the corpus")
	}
	pages, start, cpu0 := 0, time.Now(), cpuTime()
	for i, path := range pdfs {
		rel, _ := filepath.Rel(dir, path)
		t0 := time.Now()
		f, err := Open(context.Background(), path, Options{})
		if i == 0 {
			// The first call starts the pool: compiling PDFium, or loading
			// it from the compilation cache.
			t.Logf("first call (%s): %v", rel, time.Since(t0).Round(time.Millisecond))
		}
		if err != nil {
			if xerr.KindOf(err) != xerr.KindInput {
				t.Errorf("%s: %v is not an input error", rel, err)
			} else {
				t.Logf("%s: %v", rel, err)
			}
			continue
		}
		pages += len(f.Pages)
		if len(f.Warnings) > 0 {
			t.Logf("%s: warnings %q", rel, f.Warnings)
		}
	}
	d, cpu := time.Since(start), cpuTime()-cpu0
	t.Logf("%d files, %d pages in %v: %.0f pages/s, %.0f pages per CPU second (GOMAXPROCS %d)", len(pdfs), pages,
		d.Round(time.Millisecond), float64(pages)/d.Seconds(), float64(pages)/cpu.Seconds(), runtime.GOMAXPROCS(0))
}
