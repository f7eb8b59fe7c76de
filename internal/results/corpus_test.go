package results

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/reprohq/repro/doc"
	"github.com/reprohq/repro/internal/golden"
)

// TestCorpus runs Extract on every paper of the shared corpus (skipped when
// it is absent) and logs, per paper, the tables that read as results (for
// the paper's method, and for a study: see isResultsTable), the targets
// and why they were taken. It checks that nothing panics, that every
// target reads a real cell, and that every paper with a results table
// gets a target.
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
			own, study := 0, 0
			for i := range d.Tables {
				if p.analyze(&d.Tables[i], findStrong, true).isResults {
					own++
				}
				if isResultsTable(p, &d.Tables[i]) {
					study++
				}
			}
			checkCells(t, d)
			total += len(d.Results)
			if len(d.Results) > 0 {
				papers++
			}
			why := map[string]int{}
			for _, r := range d.Results {
				why[r.Why]++
			}
			t.Logf("%-42s %2d tables, %2d/%2d results tables, %4d targets %v, names %v", e.Name(), len(d.Tables), own, study, len(d.Results), why, MethodNames(d))
			if study > 0 && len(d.Results) == 0 {
				t.Errorf("%d results tables and no target", study)
			}
		})
	}
	t.Logf("%d targets in %d papers", total, papers)
}

// isResultsTable is the definition of a results table the corpus test
// holds Extract to: a table a study reports as results (studySignal: a
// caption or header that says results or names a metric, or spreads; not
// statistics, sizes, architecture, hardware, settings), with lines that
// can be named.
func isResultsTable(p *paper, t *doc.Table) bool {
	return p.analyze(t, findStudy, true).isResults
}
