package results

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/reprohq/repro/internal/golden"
)

// TestCorpus runs Extract on every paper of the shared corpus (skipped when
// it is absent) and logs, per paper, the results tables and the targets.
// It checks that nothing panics and that every target reads a real cell.
func TestCorpus(t *testing.T) {
	dir := golden.CorpusDir(t)
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	total, papers := 0, 0
	for _, e := range entries {
		if !e.IsDir() {
			continue
		}
		t.Run(e.Name(), func(t *testing.T) {
			d := readDir(t, filepath.Join(dir, e.Name()))
			Extract(d)
			p := newPaper(d)
			tables := 0
			for i := range d.Tables {
				if p.analyze(&d.Tables[i], false).isResults {
					tables++
				}
			}
			checkCells(t, d)
			total += len(d.Results)
			if len(d.Results) > 0 {
				papers++
			}
			t.Logf("%-42s %2d tables, %2d results tables, %4d targets, names %v", e.Name(), len(d.Tables), tables, len(d.Results), MethodNames(d))
		})
	}
	t.Logf("%d targets in %d papers", total, papers)
}
