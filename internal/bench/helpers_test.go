package bench

import (
	"errors"
	"strings"
	"testing"

	"github.com/reprohq/repro/doc"
	"github.com/reprohq/repro/internal/xerr"
)

func fp(f float64) *float64 { return &f }
func bp(b bool) *bool       { return &b }

// paperResults is what the extractor might find in a small paper: two
// tables, percentages, a ±, a lower-is-better metric, settings.
func paperResults() []doc.Result {
	src := func(table, caption string, line int) doc.Provenance {
		return doc.Provenance{Section: "4", Table: table, Quote: caption, File: "main.tex", Line: line}
	}
	t2 := src("2", "Results on GLUE dev sets.", 120)
	t3 := src("3", "Language modelling and generation.", 160)
	return []doc.Result{
		{Method: "TinyFormer (ours)", Dataset: "SST-2", Metric: "Acc.", Value: 91.3, Raw: "91.3 ± 0.2", PlusMinus: fp(0.2), Percent: true, HigherIsBetter: bp(true), Direction: "metric", Why: "ours", Row: "TinyFormer (ours)", Column: "SST-2 / Acc.", Source: t2},
		{Method: "TinyFormer (ours)", Dataset: "MNLI-m", Metric: "Acc.", Value: 84.1, Raw: "84.1", Percent: true, HigherIsBetter: bp(true), Why: "ours", Row: "TinyFormer (ours)", Column: "MNLI-m / Acc.", Source: t2},
		{Method: "TinyFormer (ours)", Dataset: "SQuAD", Metric: "F1", Value: 88.5, Raw: "88.5", Percent: true, Why: "ours", Row: "TinyFormer (ours)", Column: "SQuAD / F1", Source: t2},
		{Method: "TinyFormer (ours)", Dataset: "CoLA", Metric: "MCC", Value: 55.2, Raw: "55.2", Why: "ours", Row: "TinyFormer (ours)", Column: "CoLA / MCC", Source: t2},
		{Method: "TinyFormer (ours)", Dataset: "WikiText-103", Metric: "PPL", Setting: "Base", Value: 24.3, Raw: "24.3", HigherIsBetter: bp(false), Direction: "arrow", Why: "ours", Row: "TinyFormer (ours) / Base", Column: "WikiText-103 / PPL ↓", Source: t3},
		{Method: "TinyFormer (ours)", Dataset: "WikiText-103", Metric: "PPL", Setting: "Large", Value: 18.7, Raw: "18.7", HigherIsBetter: bp(false), Direction: "arrow", Why: "ours", Row: "TinyFormer (ours) / Large", Column: "WikiText-103 / PPL ↓", Source: t3},
		{Method: "TinyFormer (ours)", Dataset: "WMT14 En–De", Metric: "BLEU", Setting: "Base", Value: 27.9, Raw: "27.9", Why: "ours", Row: "TinyFormer (ours) / Base", Column: "WMT14 En–De / BLEU", Source: t3},
		{Method: "TinyFormer (ours)", Dataset: "CIFAR-10", Metric: "FID", Value: 3.21, Raw: "3.21", Why: "name", Row: "TinyFormer", Column: "CIFAR-10 / FID", Source: t3},
	}
}

// projectResults is what a user's run might report against paperResults,
// in the CSV format.
const projectCSV = `dataset,metric,value,setting
sst2,accuracy,0.9102,
MNLI-m,acc,82.6,
squad,f1-score,86.9,
WikiText-103,perplexity,23.1,base
WikiText-103,perplexity,20.9,large
cifar10,fid,4.9,
imagenet,top-1,76.1,
`

func sampleFile(t testing.TB) *File {
	t.Helper()
	f := NewFile(FromResults("", paperResults()))
	return f
}

func sampleReport(t testing.TB) *Report {
	t.Helper()
	rs, err := ParseResults("results.csv", []byte(projectCSV))
	if err != nil {
		t.Fatal(err)
	}
	return Compare(sampleFile(t), rs)
}

// wantInputError checks that err is a *xerr.Error of KindInput with a line
// when line > 0 and a message containing msg.
func wantInputError(t *testing.T, err error, line int, msg string) {
	t.Helper()
	var e *xerr.Error
	if !errors.As(err, &e) {
		t.Fatalf("error %v (%T) is not an *xerr.Error", err, err)
	}
	if e.Kind != xerr.KindInput {
		t.Errorf("kind %v, want input", e.Kind)
	}
	if line > 0 && e.Line != line {
		t.Errorf("line %d, want %d (%v)", e.Line, line, err)
	}
	if msg != "" && !strings.Contains(e.Error(), msg) {
		t.Errorf("error %q does not say %q", e.Error(), msg)
	}
	if e.Hint == "" {
		t.Errorf("error %q has no hint", e.Error())
	}
}
