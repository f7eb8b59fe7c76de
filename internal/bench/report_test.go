package bench

import (
	"math"
	"path/filepath"
	"testing"

	"github.com/reprohq/repro/internal/golden"
)

func TestReportGolden(t *testing.T) {
	rep := sampleReport(t)
	golden.Check(t, filepath.Join("testdata", "report.json"), rep.JSON())
	golden.Check(t, filepath.Join("testdata", "report.md"), rep.Markdown("benchmarks.svg"))
	golden.Check(t, filepath.Join("testdata", "readme.md"), rep.ReadmeTable())
	golden.Check(t, filepath.Join("testdata", "report.svg"), rep.SVG())
	golden.Check(t, filepath.Join("testdata", "benchmarks.yaml"), sampleFile(t).Marshal())
}

func checkGolden(t *testing.T, name string, got []byte) {
	t.Helper()
	golden.Check(t, filepath.Join("testdata", name), got)
}

// mixedReport has every kind of outcome: better than the paper, scaled,
// NaN, skipped, long names, a relative tolerance, a zero tolerance.
func mixedReport(t testing.TB) *Report {
	t.Helper()
	up, down := true, false
	f := NewFile([]Target{
		{Dataset: "ImageNet", Metric: "Top-1 Acc.", Value: 76.5, Raw: "76.5", Percent: true, HigherIsBetter: &up, Tolerance: Tolerance{Absolute: 1}, Source: Source{Table: "1"}},
		{Dataset: "ImageNet", Metric: "Top-5 Acc.", Value: 93.1, Raw: "93.1", Percent: true, HigherIsBetter: &up, Tolerance: Tolerance{Absolute: 1}, Source: Source{Table: "1"}},
		{Dataset: "COCO", Metric: "FID", Setting: "256×256", Value: 7.4, Raw: "7.40", HigherIsBetter: &down, Tolerance: Tolerance{Relative: 0.05}, Source: Source{Table: "2"}},
		{Dataset: "HalfCheetah-v4", Metric: "Average return", Value: 10250, Raw: "10,250 ± 310", PlusMinus: fp(310), HigherIsBetter: &up, Tolerance: Tolerance{Absolute: 620}, Source: Source{Section: "5.2"}},
		{Dataset: "Penn Treebank (Mikolov et al. 2010 preprocessing, word level)", Metric: "Test perplexity", Setting: "2 layers / 650 hidden units / dropout 0.5 / tied embeddings", Value: 78.4, HigherIsBetter: &down, Tolerance: Tolerance{Relative: 0.05}, Source: Source{Table: "4"}},
		{Dataset: "WMT14 En–De", Metric: "BLEU", Value: 27.3, Tolerance: Tolerance{Absolute: 1}, Skip: true, Source: Source{Table: "3"}},
		{Dataset: "LibriSpeech test-clean", Metric: "WER", Value: 2.1, Percent: true, HigherIsBetter: &down, Tolerance: Tolerance{Absolute: 1}},
		{Dataset: "Toy", Metric: "loss", Value: 0.031, HigherIsBetter: &down, Tolerance: Tolerance{Relative: 0.05}},
		{Dataset: "Exact", Metric: "count", Value: 12, Tolerance: Tolerance{}},
	})
	rs := []Result{
		{Dataset: "imagenet", Metric: "top1", Value: 0.781, File: "eval.json", Line: 2},
		{Dataset: "imagenet", Metric: "top5", Value: 91.9, File: "eval.json", Line: 3},
		{Dataset: "coco", Metric: "fid", Setting: "256x256", Value: 9.8, File: "eval.json", Line: 4},
		{Dataset: "halfcheetah-v4", Metric: "return", Value: 9800, File: "runs/events.out.tfevents.1", Step: 1000000},
		{Dataset: "Penn Treebank (Mikolov et al. 2010 preprocessing, word level)", Metric: "perplexity", Value: 80.1, File: "eval.json", Line: 6},
		{Dataset: "WMT14 En-De", Metric: "bleu", Value: 21, File: "eval.json", Line: 7},
		{Dataset: "Toy", Metric: "loss", Value: math.NaN(), File: "eval.json", Line: 8},
		{Dataset: "Exact", Metric: "count", Value: 12, File: "eval.json", Line: 9},
		{Dataset: "train", Metric: "loss", Value: 0.12, File: "runs/events.out.tfevents.1", Step: 1000000},
	}
	return Compare(f, rs)
}

func TestMixedReportGolden(t *testing.T) {
	rep := mixedReport(t)
	checkSVG(t, rep.SVG())
	checkGolden(t, "mixed.json", rep.JSON())
	checkGolden(t, "mixed.md", rep.Markdown("benchmarks.svg"))
	checkGolden(t, "mixed.svg", rep.SVG())
}
