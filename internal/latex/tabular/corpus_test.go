package tabular

import (
	"os"
	"testing"
	"time"

	"github.com/reprohq/repro/internal/golden"
	"github.com/reprohq/repro/internal/latex"
	"github.com/reprohq/repro/internal/latex/plain"
)

// tabularEnvs are the environments whose bodies the corpus test parses,
// with the arguments before the column spec.
var tabularEnvs = map[string]string{
	"tabular": "o", "tabular*": "mo", "tabularx": "m", "tabulary": "m", "longtable": "o", "array": "o",
}

// TestCorpus runs Parse over every tabular body in the real papers of the
// shared corpus (read only) and checks that it neither panics nor breaks
// the grid invariants nor takes long.
func TestCorpus(t *testing.T) {
	tables, rows, cells, values := 0, 0, 0, 0
	for _, path := range golden.CorpusTeX(t) {
		src, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		toks := latex.Scan(string(src), 0)
		for i := 0; i < len(toks); i++ {
			if !toks[i].Is(`\begin`) {
				continue
			}
			name, next, ok := plain.EnvName(toks, i+1)
			pre, isTab := tabularEnvs[name]
			if !ok || !isTab {
				continue
			}
			next = plain.SkipArgs(toks, next, pre)
			spec, bodyStart, ok := plain.Arg(toks, next)
			if !ok {
				continue
			}
			end, _ := plain.FindEnd(toks, bodyStart, name)
			body := plain.Join(toks[bodyStart:end])
			start := time.Now()
			grid := Parse(plain.Join(spec), body)
			if d := time.Since(start); d > time.Second {
				t.Errorf("%s: table at offset %d took %v", path, toks[i].Pos, d)
			}
			checkGrid(t, grid)
			tables++
			rows += len(grid)
			for _, row := range grid {
				for _, c := range row {
					cells++
					if c.Value != nil {
						values++
					}
				}
			}
		}
	}
	t.Logf("%d tables, %d rows, %d cells, %d numeric", tables, rows, cells, values)
	if tables == 0 {
		t.Error("no tables found in the corpus")
	}
}
