package oracle_test

import (
	"cmp"
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/reprohq/repro"
	"github.com/reprohq/repro/internal/golden"
	"github.com/reprohq/repro/internal/oracle"
)

// paperStats are the counts of one paper.
type paperStats struct {
	paper                                 string
	display, parsed, numbered, executable int
	executableAll                         int
	module                                []byte
	oracles                               []oracle.Oracle
}

func corpusOracles(t *testing.T) []paperStats {
	t.Helper()
	dirs, err := filepath.Glob(filepath.Join(golden.CorpusDir(t), "*"))
	if err != nil || len(dirs) == 0 {
		t.Skip("corpus empty")
	}
	var out []paperStats
	for _, dir := range dirs {
		if fi, err := os.Stat(dir); err != nil || !fi.IsDir() {
			continue
		}
		d, err := repro.Extract(context.Background(), dir, repro.Options{})
		if err != nil {
			t.Fatalf("%s: %v", dir, err)
		}
		eqs, syms := oracle.FromDocument(d)
		s := paperStats{paper: filepath.Base(dir)}
		for _, eq := range eqs {
			o := oracle.Translate(eq, syms)
			s.oracles = append(s.oracles, o)
			s.display++
			if o.Parsed {
				s.parsed++
			}
			if o.Executable {
				s.executableAll++
			}
			if eq.Number != "" {
				s.numbered++
				if o.Executable {
					s.executable++
				}
			}
		}
		s.module = oracle.Module(s.oracles, "oracles of "+s.paper)
		out = append(out, s)
	}
	return out
}

// The targets of the corpus measurement: parsed >= 95% of display
// equations, executable >= 40% of numbered equations.
const (
	parseTarget      = 0.95
	executableTarget = 0.40
)

// TestCorpusRates measures, over every display equation of the corpus, the
// parse rate and the executable rate, per paper and in total, and checks the
// targets: parsed >= 95% of display equations, executable >= 40% of
// numbered equations. The log lists why the rest is not executable, with
// counts: mostly expectations, inequalities, integrals over sets and
// spaces, variances, limits, suprema, arg max over sets.
func TestCorpusRates(t *testing.T) {
	stats := corpusOracles(t)
	var b strings.Builder
	fmt.Fprintf(&b, "%-40s %7s %7s %8s %10s\n", "paper", "display", "parsed", "numbered", "executable")
	var tot paperStats
	for _, s := range stats {
		fmt.Fprintf(&b, "%-40s %7d %7d %8d %10d\n", s.paper, s.display, s.parsed, s.numbered, s.executable)
		tot.display += s.display
		tot.parsed += s.parsed
		tot.numbered += s.numbered
		tot.executable += s.executable
		tot.executableAll += s.executableAll
	}
	fmt.Fprintf(&b, "%-40s %7d %7d %8d %10d\n", "total", tot.display, tot.parsed, tot.numbered, tot.executable)
	parseRate := float64(tot.parsed) / float64(max(1, tot.display))
	execRate := float64(tot.executable) / float64(max(1, tot.numbered))
	fmt.Fprintf(&b, "parsed %.1f%% of display equations; executable %.1f%% of numbered equations (%d of all %d display equations)\n",
		100*parseRate, 100*execRate, tot.executableAll, tot.display)
	// why the numbered equations that are not executable are not
	reasons := map[string]int{}
	for _, s := range stats {
		for _, o := range s.oracles {
			if o.Number != "" && !o.Executable {
				r := o.Reason
				if i := strings.IndexAny(r, "(:"); i > 0 {
					r = strings.TrimSpace(r[:i])
				}
				reasons[r]++
			}
		}
	}
	keys := make([]string, 0, len(reasons))
	for k := range reasons {
		keys = append(keys, k)
	}
	slices.SortFunc(keys, func(a, b string) int { return cmp.Or(reasons[b]-reasons[a], strings.Compare(a, b)) })
	b.WriteString("numbered equations not executable, by reason:\n")
	for _, k := range keys {
		fmt.Fprintf(&b, "%5d  %s\n", reasons[k], k)
	}
	t.Log("\n" + b.String())
	if parseRate < parseTarget {
		t.Errorf("parsed %.1f%% of display equations, want >= %.0f%%", 100*parseRate, 100*parseTarget)
	}
	if execRate < executableTarget {
		t.Errorf("executable %.1f%% of numbered equations, want >= %.0f%%", 100*execRate, 100*executableTarget)
	}
}

// TestCorpusOraclesRun writes every executable oracle of every corpus paper
// into one module per paper and calls each function on its random inputs
// with Python and numpy: a function that raises fails the test.
func TestCorpusOraclesRun(t *testing.T) {
	py := python(t)
	stats := corpusOracles(t)
	dir := t.TempDir()
	total := 0
	for _, s := range stats {
		if s.executableAll == 0 {
			continue
		}
		path := filepath.Join(dir, s.paper+".py")
		if err := os.WriteFile(path, s.module, 0o644); err != nil {
			t.Fatal(err)
		}
		out, err := exec.Command(py, "-c", runner, path).CombinedOutput()
		if err != nil {
			t.Errorf("%s: the module does not run: %v\n%s", s.paper, err, out)
			continue
		}
		for _, line := range strings.Split(strings.TrimSpace(string(out)), "\n") {
			if strings.HasPrefix(line, "FAIL ") {
				t.Errorf("%s: %s", s.paper, line)
			}
			if n, ok := strings.CutPrefix(line, "OK "); ok {
				var k int
				fmt.Sscan(n, &k)
				total += k
			}
		}
	}
	t.Logf("%d oracles ran on random inputs", total)
}
