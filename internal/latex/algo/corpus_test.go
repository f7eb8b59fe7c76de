package algo

import (
	"os"
	"testing"
	"time"

	"github.com/reprohq/repro/internal/golden"
	"github.com/reprohq/repro/internal/latex"
	"github.com/reprohq/repro/internal/latex/plain"
)

// TestCorpus runs Parse over every algorithm float body in the real papers
// of the shared corpus (read only): no panic, the result's invariants hold,
// it is quick, and a body with pseudocode gives steps.
func TestCorpus(t *testing.T) {
	bodies, stepCount := 0, 0
	pkgs := map[string]int{}
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
			if !ok || (name != "algorithm" && name != "algorithm*" && name != "algorithm2e") {
				continue
			}
			end, _ := plain.FindEnd(toks, next, name)
			body := plain.Join(toks[next:end])
			start := time.Now()
			r := Parse(body)
			if d := time.Since(start); d > time.Second {
				t.Errorf("%s: algorithm at offset %d took %v", path, toks[i].Pos, d)
			}
			checkResult(t, r)
			if r.Package != "" && len(r.Steps) == 0 {
				t.Errorf("%s: algorithm at offset %d (%s) has no steps", path, toks[i].Pos, r.Package)
			}
			bodies++
			stepCount += len(r.Steps)
			pkgs[r.Package]++
		}
	}
	t.Logf("%d algorithms, %d steps, packages %v", bodies, stepCount, pkgs)
	if bodies == 0 {
		t.Error("no algorithms found in the corpus")
	}
}
