package facts_test

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"testing"

	"github.com/reprohq/repro"
	"github.com/reprohq/repro/doc"
)

// corpusDir is the shared corpus of real papers, next to the repository
// (as in the root package's corpus test).
const corpusDir = "../../../shared/corpus/papers"

// annotation is what a careful reader finds in a paper, written by hand in
// testdata/annotations: names and values only, never the paper's sentences.
type annotation struct {
	Paper           string `json:"paper"`
	Note            string `json:"note"`
	Hyperparameters []struct {
		Name  string `json:"name"`
		Value any    `json:"value"`
	} `json:"hyperparameters"`
	// Datasets and Metrics are names; "A|B" accepts either spelling.
	Datasets []string `json:"datasets"`
	Metrics  []string `json:"metrics"`
}

func loadAnnotation(t *testing.T, name string) annotation {
	t.Helper()
	data, err := os.ReadFile(filepath.Join("testdata", "annotations", name+".json"))
	if err != nil {
		t.Fatal(err)
	}
	var a annotation
	if err := json.Unmarshal(data, &a); err != nil {
		t.Fatalf("%s: %v", name, err)
	}
	return a
}

// score counts matches between what was extracted and what was annotated.
type score struct{ tp, pred, gold int }

func (s *score) add(o score) { s.tp += o.tp; s.pred += o.pred; s.gold += o.gold }

func (s score) precision() float64 {
	if s.pred == 0 {
		return 1
	}
	return float64(s.tp) / float64(s.pred)
}

func (s score) recall() float64 {
	if s.gold == 0 {
		return 1
	}
	return float64(s.tp) / float64(s.gold)
}

func (s score) String() string {
	return fmt.Sprintf("P %.2f R %.2f (%d/%d found, %d/%d correct)", s.precision(), s.recall(), s.tp, s.gold, s.tp, s.pred)
}

// valueKey is a value's canonical form for matching: numbers to six
// significant digits, lists and ranges as their sorted numbers, words in
// lower case without punctuation.
func valueKey(v any) string {
	switch x := v.(type) {
	case float64:
		return strconv.FormatFloat(x, 'g', 6, 64)
	case int:
		return strconv.FormatFloat(float64(x), 'g', 6, 64)
	case []float64:
		s := append([]float64(nil), x...)
		sort.Float64s(s)
		parts := make([]string, len(s))
		for i, f := range s {
			parts[i] = strconv.FormatFloat(f, 'g', 6, 64)
		}
		return "[" + strings.Join(parts, ",") + "]"
	case []any:
		var fs []float64
		for _, e := range x {
			if f, ok := e.(float64); ok {
				fs = append(fs, f)
			}
		}
		return valueKey(fs)
	case string:
		return "'" + norm(x)
	}
	return fmt.Sprint(v)
}

func norm(s string) string {
	var b strings.Builder
	for _, r := range strings.ToLower(s) {
		if r >= 'a' && r <= 'z' || r >= '0' && r <= '9' || r > 127 {
			b.WriteRune(r)
		}
	}
	return b.String()
}

// compare scores a document against an annotation, per kind, and returns
// the misses and the extra items for the log.
func compare(d *doc.Document, a annotation) (hp, ds, ms score, missed, extra []string) {
	gold := map[string]bool{}
	for _, h := range a.Hyperparameters {
		gold[h.Name+" = "+valueKey(h.Value)] = true
	}
	pred := map[string]bool{}
	for _, h := range d.Hyperparameters {
		pred[h.Name+" = "+valueKey(h.Value)] = true
	}
	hp = setScore(gold, pred, &missed, &extra)

	matchNames := func(goldNames []string, predNames []string) score {
		g := map[string]bool{}
		alt := map[string]string{} // every spelling -> the first
		for _, n := range goldNames {
			parts := strings.Split(n, "|")
			g[norm(parts[0])] = true
			for _, p := range parts {
				alt[norm(p)] = norm(parts[0])
			}
		}
		p := map[string]bool{}
		for _, n := range predNames {
			k := norm(n)
			if c, ok := alt[k]; ok {
				k = c
			}
			p[k] = true
		}
		return setScore(g, p, &missed, &extra)
	}
	var dn, mn []string
	for _, x := range d.Datasets {
		dn = append(dn, x.Name)
	}
	for _, x := range d.Metrics {
		mn = append(mn, x.Name)
	}
	ds = matchNames(a.Datasets, dn)
	ms = matchNames(a.Metrics, mn)
	return
}

func setScore(gold, pred map[string]bool, missed, extra *[]string) score {
	s := score{pred: len(pred), gold: len(gold)}
	for k := range gold {
		if pred[k] {
			s.tp++
		} else {
			*missed = append(*missed, k)
		}
	}
	for k := range pred {
		if !gold[k] {
			*extra = append(*extra, k)
		}
	}
	sort.Strings(*missed)
	sort.Strings(*extra)
	return s
}

// evalPaper extracts one paper and scores it against its annotation.
func evalPaper(t *testing.T, dir, name string) (hp, ds, ms score) {
	t.Helper()
	d, err := repro.Extract(context.Background(), dir, repro.Options{})
	if err != nil {
		t.Fatalf("%s: %v", name, err)
	}
	a := loadAnnotation(t, name)
	hp, ds, ms, missed, extra := compare(d, a)
	all := hp
	all.add(ds)
	all.add(ms)
	t.Logf("%-40s hyperparameters %v", name, hp)
	t.Logf("%-40s datasets        %v", name, ds)
	t.Logf("%-40s metrics         %v", name, ms)
	t.Logf("%-40s all             %v", name, all)
	if testing.Verbose() {
		t.Logf("%s: missed %q", name, missed)
		t.Logf("%s: extra  %q", name, extra)
	}
	return hp, ds, ms
}

// corpusPapers are the corpus papers annotated by hand.
var corpusPapers = []string{
	"chang-muse-icml23",
	"farebrother-dqn-generalization",
	"relax-iclr18",
	"takagi-pretrain-transformer-offline-rl",
	"wang-diff-data-rewards-icml20",
}

// Bars for the corpus, pooled over the five papers and the three kinds:
// what the extractor reaches, minus a small margin.
const (
	corpusMinPrecision = 0.85
	corpusMinRecall    = 0.8
)

// TestCorpusPrecisionRecall scores the extractor on five corpus papers
// annotated by hand. It skips when the corpus is absent.
func TestCorpusPrecisionRecall(t *testing.T) {
	if _, err := os.Stat(corpusDir); err != nil {
		t.Skipf("corpus not present at %s", corpusDir)
	}
	var total, hpAll, dsAll, msAll score
	for _, name := range corpusPapers {
		dir := filepath.Join(corpusDir, name)
		if _, err := os.Stat(dir); err != nil {
			t.Skipf("corpus paper %s not present", name)
		}
		hp, ds, ms := evalPaper(t, dir, name)
		hpAll.add(hp)
		dsAll.add(ds)
		msAll.add(ms)
		total.add(hp)
		total.add(ds)
		total.add(ms)
	}
	t.Logf("%-40s hyperparameters %v", "OVERALL", hpAll)
	t.Logf("%-40s datasets        %v", "OVERALL", dsAll)
	t.Logf("%-40s metrics         %v", "OVERALL", msAll)
	t.Logf("%-40s all             %v", "OVERALL", total)
	if total.precision() < corpusMinPrecision || total.recall() < corpusMinRecall {
		t.Errorf("overall precision %.2f, recall %.2f: want at least %.2f and %.2f", total.precision(), total.recall(), corpusMinPrecision, corpusMinRecall)
	}
}

// TestTinyformerPrecisionRecall scores the example paper, whose
// hyperparameter table and prose are annotated by hand.
func TestTinyformerPrecisionRecall(t *testing.T) {
	hp, ds, ms := evalPaper(t, filepath.Join("..", "..", "examples", "tinyformer"), "tinyformer")
	var all score
	all.add(hp)
	all.add(ds)
	all.add(ms)
	if all.precision() < 0.95 || all.recall() < 0.95 {
		t.Errorf("tinyformer: precision %.2f, recall %.2f: want at least 0.95 each", all.precision(), all.recall())
	}
}
