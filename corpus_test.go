package repro

import (
	"encoding/json"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"
)

// corpusDir is the shared corpus of real papers, next to the repository.
const corpusDir = "../shared/corpus/papers"

type corpusTruth struct {
	Compiled  bool     `json:"compiled"`
	Equations []string `json:"equations"`
	Labels    map[string]struct {
		Number string `json:"number"`
		Kind   string `json:"kind"`
	} `json:"labels"`
	Bibitems int `json:"bibitems"`
}

var parens = regexp.MustCompile(`^\((.*)\)$`)

func normNum(s string) string {
	s = parens.ReplaceAllString(strings.TrimSpace(s), "$1")
	return strings.Join(strings.FieldsFunc(s, func(r rune) bool { return r == ' ' || r == '$' || r == '\t' || r == '\n' }), "")
}

// TestCorpus extracts every corpus paper and checks equation numbers
// against the numbers LaTeX printed, the way ../shared/corpus/score.py
// does. The papers' text stays in the corpus; only numbers are compared.
func TestCorpus(t *testing.T) {
	dirs, _ := filepath.Glob(filepath.Join(corpusDir, "*"))
	if len(dirs) == 0 {
		t.Skipf("corpus not present at %s", corpusDir)
	}
	var tp, npred, ntrue, labOK, labN int
	var slowest time.Duration
	for _, dir := range dirs {
		data, err := os.ReadFile(filepath.Join(dir, "truth.json"))
		if err != nil {
			continue
		}
		var tr corpusTruth
		if err := json.Unmarshal(data, &tr); err != nil {
			t.Fatalf("%s: %v", dir, err)
		}
		start := time.Now()
		d := extract(t, dir)
		if el := time.Since(start); el > slowest {
			slowest = el
		}
		for _, w := range d.Warnings {
			if strings.Contains(w.Message, "internal error") {
				t.Errorf("%s: %s:%d: %s", filepath.Base(dir), w.File, w.Line, w.Message)
			}
		}
		if !tr.Compiled {
			continue // must not crash; not scored
		}
		truth := map[string]bool{}
		for _, n := range tr.Equations {
			truth[normNum(n)] = true
		}
		pred := map[string]bool{}
		for _, e := range d.Equations {
			if e.Number != nil {
				pred[normNum(*e.Number)] = true
			}
		}
		for n := range pred {
			if truth[n] {
				tp++
			}
		}
		npred += len(pred)
		ntrue += len(truth)
		for k, l := range tr.Labels {
			if (l.Kind == "equation" || l.Kind == "AMS") && truth[normNum(l.Number)] && !strings.HasPrefix(k, "thmt@@") {
				labN++
				if got, ok := d.Labels[k]; ok && normNum(got.Number) == normNum(l.Number) {
					labOK++
				}
			}
		}
	}
	recall, precision := float64(tp)/float64(ntrue), float64(tp)/float64(npred)
	t.Logf("equations: recall %.3f precision %.3f (%d/%d); labels %d/%d; slowest paper %v", recall, precision, tp, ntrue, labOK, labN, slowest)
	if recall < 0.98 || precision < 0.98 {
		t.Errorf("equation numbers: recall %.3f precision %.3f, want both >= 0.98", recall, precision)
	}
	if float64(labOK) < 0.98*float64(labN) {
		t.Errorf("equation labels: %d/%d right, want >= 98%%", labOK, labN)
	}
}

// BenchmarkCorpus extracts every corpus paper once per iteration, on one
// goroutine; papers/s = papers / (ns/op / 1e9).
func BenchmarkCorpus(b *testing.B) {
	dirs, _ := filepath.Glob(filepath.Join(corpusDir, "*"))
	if len(dirs) == 0 {
		b.Skipf("corpus not present at %s", corpusDir)
	}
	var times []time.Duration
	for b.Loop() {
		times = times[:0]
		for _, dir := range dirs {
			start := time.Now()
			extract(b, dir)
			times = append(times, time.Since(start))
		}
	}
	slices.Sort(times)
	b.ReportMetric(float64(len(dirs))/(float64(b.Elapsed().Seconds())/float64(b.N)), "papers/s")
	b.ReportMetric(float64(times[len(times)/2].Microseconds())/1000, "median-ms")
}
