package bench

import (
	"math"
	"strings"
	"testing"

	"github.com/reprohq/repro/doc"
)

func TestToleranceBound(t *testing.T) {
	tests := []struct {
		tol   Tolerance
		paper float64
		want  float64
	}{
		{Tolerance{Absolute: 1}, 91.3, 1},
		{Tolerance{Relative: 0.05}, 24.3, 1.215},
		{Tolerance{Relative: 0.05}, -20, 1},
		{Tolerance{Absolute: 1, Relative: 0.05}, 10, 1},
		{Tolerance{Absolute: 1, Relative: 0.05}, 100, 5},
		{Tolerance{}, 3, 0},
		{Tolerance{Relative: 0.1}, 0, 0},
		{Tolerance{Relative: 0.02}, 83.2, 1.664},
	}
	for _, tt := range tests {
		if got := tt.tol.Bound(tt.paper); got != tt.want {
			t.Errorf("%+v.Bound(%v) = %v, want %v", tt.tol, tt.paper, got, tt.want)
		}
	}
}

func TestToleranceString(t *testing.T) {
	tests := []struct {
		tol  Tolerance
		want string
	}{
		{Tolerance{Absolute: 1}, "±1 (absolute)"},
		{Tolerance{Absolute: 0.01}, "±0.01 (absolute)"},
		{Tolerance{Relative: 0.05}, "±5%"},
		{Tolerance{Relative: 0.07}, "±7%"},
		{Tolerance{Relative: 0.025}, "±2.5%"},
		{Tolerance{Absolute: 1, Relative: 0.05}, "±1 or ±5%, whichever is larger"},
		{Tolerance{}, "exact"},
	}
	for _, tt := range tests {
		if got := tt.tol.String(); got != tt.want {
			t.Errorf("%+v.String() = %q, want %q", tt.tol, got, tt.want)
		}
	}
}

func TestDefaultTolerance(t *testing.T) {
	tests := []struct {
		metric    string
		value     float64
		percent   bool
		plusMinus *float64
		want      Tolerance
		why       string
	}{
		{"Acc.", 91.3, true, nil, Tolerance{Absolute: 1}, "default for accuracy-like metrics in points (±1)"},
		{"accuracy", 91.3, false, nil, Tolerance{Absolute: 1}, "in points"}, // above 1: percent scale
		{"accuracy", 0.913, false, nil, Tolerance{Absolute: 0.01}, "0–1 scale"},
		{"F1", 88.5, true, nil, Tolerance{Absolute: 1}, "accuracy-like"},
		{"BLEU", 27.9, false, nil, Tolerance{Absolute: 1}, "BLEU/ROUGE in points"},
		{"ROUGE-L", 0.41, false, nil, Tolerance{Absolute: 0.01}, "BLEU/ROUGE on a 0–1 scale"},
		{"PPL", 24.3, false, nil, Tolerance{Relative: 0.05}, "perplexity"},
		{"FID", 3.21, false, nil, Tolerance{Relative: 0.05}, "FID/IS"},
		{"IS", 9.5, false, nil, Tolerance{Relative: 0.05}, "FID/IS"},
		{"Top-1 error", 23.5, true, nil, Tolerance{Absolute: 1}, "error rates in percent"},
		{"error", 0.235, false, nil, Tolerance{Relative: 0.05}, "losses and errors"},
		{"val loss", 2.3, false, nil, Tolerance{Relative: 0.05}, "losses and errors"},
		{"Average return", 3500, false, nil, Tolerance{Relative: 0.1}, "RL returns"},
		{"Params (M)", 110, false, nil, Tolerance{Relative: 0.02}, "other metrics"},
		// A ± widens the tolerance to twice it when that is wider.
		{"Acc.", 91.3, true, fp(0.2), Tolerance{Absolute: 1}, "default for accuracy"},
		{"Acc.", 91.3, true, fp(0.7), Tolerance{Absolute: 1.4}, "the paper's ±0.7, doubled"},
		{"Average return", 3500, false, fp(400), Tolerance{Absolute: 800}, "the paper's ±400, doubled"},
		{"PPL", 24.3, false, fp(0.1), Tolerance{Relative: 0.05}, "perplexity"},
		{"Acc.", 91.3, true, fp(0), Tolerance{Absolute: 1}, "accuracy"},
		{"Acc.", 91.3, true, fp(math.NaN()), Tolerance{Absolute: 1}, "accuracy"},
		{"Acc.", 91.3, true, fp(0.15), Tolerance{Absolute: 1}, "accuracy"},
	}
	for _, tt := range tests {
		got, why := DefaultTolerance(tt.metric, tt.value, tt.percent, tt.plusMinus)
		if got != tt.want || !strings.Contains(why, tt.why) {
			t.Errorf("DefaultTolerance(%q, %v, %v, %v) = %+v %q, want %+v %q", tt.metric, tt.value, tt.percent, tt.plusMinus, got, why, tt.want, tt.why)
		}
		if !isDefaultSource(why) {
			t.Errorf("source %q is not recognised as a default", why)
		}
	}
}

func TestTargetID(t *testing.T) {
	tests := []struct {
		table, dataset, metric, setting string
		want                            string
	}{
		{"2", "SST-2", "Accuracy", "", "t2-sst-2-accuracy"},
		{"A.1", "WMT14 En–De", "BLEU", "Base", "ta-1-wmt14-en-de-bleu-base"},
		{"", "", "PPL", "", "ppl"},
		{"", "", "", "", "target"},
		{"3", "a very long data set name indeed", "some metric", "with a long setting that goes on", "t3-a-very-long-data-set-name-indeed-some-metric-with-a-long"},
		{"", strings.Repeat("x", 80), "", "", strings.Repeat("x", 60)},
	}
	for _, tt := range tests {
		got := targetID(tt.table, tt.dataset, tt.metric, tt.setting)
		if got != tt.want {
			t.Errorf("targetID(%q, %q, %q, %q) = %q, want %q", tt.table, tt.dataset, tt.metric, tt.setting, got, tt.want)
		}
		if len(got) > maxIDLen {
			t.Errorf("id %q is longer than %d", got, maxIDLen)
		}
	}
}

func TestFromResults(t *testing.T) {
	rs := paperResults()
	rs = append(rs, rs[0]) // an exact duplicate is dropped
	dup := rs[0]           // the same names in another row: suffixed id
	dup.Row, dup.Value, dup.Raw = "TinyFormer-L (ours)", 92.0, "92.0"
	rs = append(rs, dup)
	rs = append(rs, doc.Result{Dataset: "X", Metric: "Acc", Value: math.NaN()}) // dropped
	ts := FromResults("tiny", rs)
	if len(ts) != len(paperResults())+1 {
		t.Fatalf("%d targets, want %d", len(ts), len(paperResults())+1)
	}
	ids := map[string]bool{}
	for _, tg := range ts {
		if ids[tg.ID] {
			t.Errorf("duplicate id %s", tg.ID)
		}
		ids[tg.ID] = true
		if tg.Paper != "tiny" {
			t.Errorf("%s: paper id %q", tg.ID, tg.Paper)
		}
	}
	first, last := ts[0], ts[len(ts)-1]
	if first.ID != "t2-sst-2-acc" || last.ID != "t2-sst-2-acc-2" {
		t.Errorf("ids %q, %q", first.ID, last.ID)
	}
	if first.Source != (Source{Table: "2", Caption: "Results on GLUE dev sets.", Row: "TinyFormer (ours)", Column: "SST-2 / Acc.", Section: "4", File: "main.tex", Line: 120}) {
		t.Errorf("source %+v", first.Source)
	}
	if first.PlusMinus == nil || *first.PlusMinus != 0.2 || !first.Percent || first.Raw != "91.3 ± 0.2" {
		t.Errorf("first target %+v", first)
	}
	// The ± pointer is copied, not shared.
	*rs[0].PlusMinus = 5
	if *first.PlusMinus != 0.2 {
		t.Error("FromResults shares the result's PlusMinus")
	}
	// The direction comes from the metric when the paper gives none.
	for _, tg := range ts {
		if tg.Metric == "F1" && (tg.HigherIsBetter == nil || !*tg.HigherIsBetter) {
			t.Errorf("F1: higher_is_better %v", tg.HigherIsBetter)
		}
		if tg.Metric == "FID" && (tg.HigherIsBetter == nil || *tg.HigherIsBetter) {
			t.Errorf("FID: higher_is_better %v", tg.HigherIsBetter)
		}
	}
	if got := FromResults("", nil); got != nil {
		t.Errorf("FromResults(nil) = %v", got)
	}
}

func TestAddAndMerge(t *testing.T) {
	f := NewFile([]Target{{ID: "a", Metric: "acc"}, {ID: "a", Metric: "f1"}, {Dataset: "SST-2", Metric: "acc"}})
	var ids []string
	for _, tg := range f.Targets {
		ids = append(ids, tg.ID)
	}
	if strings.Join(ids, ",") != "a,a-2,sst-2-acc" {
		t.Errorf("ids %v", ids)
	}
	f.Targets[0].Tolerance = Tolerance{Absolute: 3} // the user's edit
	n := f.Merge([]Target{{ID: "a", Metric: "acc", Tolerance: Tolerance{Absolute: 1}}, {ID: "b", Metric: "bleu"}})
	if n != 1 || len(f.Targets) != 4 || f.Targets[0].Tolerance.Absolute != 3 || f.Targets[3].ID != "b" {
		t.Errorf("Merge: %d added, targets %+v", n, f.Targets)
	}
}

func TestNumbers(t *testing.T) {
	if got := roundFor(92.3-91.3, 91.3); got != 1 {
		t.Errorf("roundFor(92.3-91.3) = %v", got)
	}
	if got := roundFor(0.1+0.2, 0.3); got != 0.3 {
		t.Errorf("roundFor(0.1+0.2) = %v", got)
	}
	tests := []struct {
		f    float64
		want string
	}{
		{91.3, "91.3"}, {0.913 * 100, "91.3"}, {1e20, "1e+20"}, {1e-9, "1e-09"}, {0, "0"},
		{math.NaN(), "NaN"}, {math.Inf(1), "+Inf"}, {math.Inf(-1), "-Inf"}, {-2.5, "-2.5"},
	}
	for _, tt := range tests {
		if got := fmtNum(tt.f); got != tt.want {
			t.Errorf("fmtNum(%v) = %q, want %q", tt.f, got, tt.want)
		}
	}
	signs := []struct {
		f    float64
		dec  int
		want string
	}{
		{0.28, 2, "+0.28"}, {-0.28, 2, "−0.28"}, {0, 1, "±0.0"}, {-0.0001, 2, "±0.00"}, {math.NaN(), 2, "NaN"}, {math.Inf(1), 2, "+Inf"},
	}
	for _, tt := range signs {
		if got := signed(tt.f, tt.dec); got != tt.want {
			t.Errorf("signed(%v, %d) = %q, want %q", tt.f, tt.dec, got, tt.want)
		}
	}
	decs := []struct {
		raw   string
		value float64
		want  int
	}{
		{"91.3", 91.3, 2}, {"91.3 ± 0.2", 91.3, 2}, {"28", 28, 1}, {"", 3.21, 3}, {"", 1e-9, 3}, {"0.1234567", 0.1234567, 6},
		{"10,250 ± 310", 10250, 0}, {"1,234.5", 1234.5, 2}, {"12", 12, 1},
	}
	for _, tt := range decs {
		if got := decimals(&Target{Raw: tt.raw, Value: tt.value}); got != tt.want {
			t.Errorf("decimals(%q, %v) = %d, want %d", tt.raw, tt.value, got, tt.want)
		}
	}
}

func TestLabel(t *testing.T) {
	tests := []struct {
		d, m, want string
	}{
		{"SST-2", "Acc.", "SST-2 · Acc."}, {"SST-2", "", "SST-2"}, {"", "PPL", "PPL"},
	}
	for _, tt := range tests {
		tg := Target{Dataset: tt.d, Metric: tt.m}
		if got := tg.Label(); got != tt.want {
			t.Errorf("Label() = %q, want %q", got, tt.want)
		}
	}
}
