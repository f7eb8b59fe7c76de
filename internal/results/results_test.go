package results

import (
	"fmt"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/reprohq/repro/doc"
	"github.com/reprohq/repro/internal/golden"
)

// TestFixtures runs the reader, facts and Extract on the small papers of
// testdata and pins their results.
func TestFixtures(t *testing.T) {
	golden.Inputs(t, filepath.Join("testdata", "*.tex"), func(t *testing.T, path string, src []byte) {
		d := readTeX(t, string(src))
		Extract(d)
		checkCells(t, d)
		golden.CheckJSON(t, strings.TrimSuffix(path, ".tex")+".golden.json", d.Results)
	})
}

// TestFixtureSummaries states what each fixture must give, so that a
// golden file cannot be accepted with a wrong target unnoticed.
func TestFixtureSummaries(t *testing.T) {
	want := map[string][]string{
		"normal.tex": {
			"T2 GateNet-S | CIFAR-10 | Acc. | S | 93.5 ↑arrow ours",
			"T2 GateNet-S | CIFAR-10 | NLL | S | 0.24 ↓arrow ours",
			"T2 GateNet-S | SVHN | Acc. | S | 95.3 ↑arrow ours",
			"T2 GateNet-L | CIFAR-10 | Acc. | L | 94.6 ↑arrow ours",
			"T2 GateNet-L | CIFAR-10 | NLL | L | 0.19 ↓arrow ours",
			"T2 GateNet-L | SVHN | Acc. | L | 96.1 ↑arrow ours",
			"T2 GateNet-L | SVHN | NLL | 0.17 ↓arrow ours",
			"T3 GateNet (full) | CIFAR-10 | Error | 5.4 ↓metric name",
			"T4 GateNet-S | SVHN | Params | 2.5e+06 ↓metric name",
			"T4 GateNet-S | SVHN | Latency (ms) | 1.9 ↓metric name",
		},
		"transposed.tex": {
			"T1 SRP | CartPole | Normalized return | Easy | 92.3 ↑arrow name",
			"T1 SRP | CartPole | Normalized return | Hard | 61.7 ↑arrow name",
			"T1 SRP | Acrobot | Normalized return | Easy | 70.4 ↑arrow name",
			"T2 SRP (ours) | CartPole | return | 92.3±1.5 ↑metric ours",
			"T2 SRP (ours) | Acrobot | return | 70.4±2.2 ↑metric ours",
			"T3 SRP | CartPole | Steps to solve | 800 ↓metric name",
			"T3 SRP | Acrobot | Steps to solve | 2500 ↓metric name",
		},
		"captions.tex": {
			"T1 MoDi | ImageNet | Top-1 accuracy | ResNet-50 | 77 ↑metric name",
			"T1 MoDi | ImageNet | Top-1 accuracy | ResNet-101 | 78.8 ↑metric name",
			"T2 MoDi | CIFAR-10 | accuracy | 94.8 ↑metric name",
			"T2 MoDi | CIFAR-100 | accuracy | 76.3 ↑metric name",
			"T2 MoDi | en-de | BLEU | 27.9 ↑metric name",
			"T2 MoDi | en-fr | BLEU | 38.9 ↑metric name",
			"T3 Algorithm 1 | | Wall-clock time | 21 ↓metric name",
			"T3 Algorithm 1 | | Memory | 14 ↓metric name",
		},
		// A survey with no method of its own: its comparison is a study.
		// The notation and statistics tables give nothing.
		"none.tex": {
			"T2 ResNet-18 | CIFAR-10 | Accuracy | ResNet-18 | 93.1 ↑metric study",
			"T2 WideNet | CIFAR-10 | Accuracy | WideNet | 93.8 ↑metric study",
			"T2 DenseNet | CIFAR-10 | Accuracy | DenseNet | 94.2 ↑metric study",
		},
		// A study: the hyperparameter, component-size, training-budget
		// and statistics tables give nothing; the returns table has the
		// games as rows and the regimes as columns (with their spreads),
		// the accuracy table the baselines as rows.
		"study.tex": {
			"T4 Zero-shot | Maze | Mean return | Zero-shot / m1 | 10.2±1.1 ↑metric study",
			"T4 Fine-tuned | Maze | Mean return | Fine-tuned / m1 | 14±0.9 ↑metric study",
			"T4 Zero-shot | Maze | Mean return | Zero-shot / m2 | 3.5±0.8 ↑metric study",
			"T4 Fine-tuned | Maze | Mean return | Fine-tuned / m2 | 12.1±1.3 ↑metric study",
			"T4 Zero-shot | Keys | Mean return | Zero-shot / m1 | 0.4±0.2 ↑metric study",
			"T4 Fine-tuned | Keys | Mean return | Fine-tuned / m1 | 7.7±2 ↑metric study",
			"T5 Linear | CIFAR-10 | accuracy | Linear | 40.1 ↑metric study",
			"T5 Linear | SVHN | accuracy | Linear | 60.2 ↑metric study",
			"T5 Linear | MNIST | accuracy | Linear | 91 ↑metric study",
			"T5 MLP | CIFAR-10 | accuracy | MLP | 52.3 ↑metric study",
			"T5 MLP | SVHN | accuracy | MLP | 78.9 ↑metric study",
			"T5 MLP | MNIST | accuracy | MLP | 97.8 ↑metric study",
			"T5 CNN | CIFAR-10 | accuracy | CNN | 80.4 ↑metric study",
			"T5 CNN | SVHN | accuracy | CNN | 92 ↑metric study",
			"T5 CNN | MNIST | accuracy | CNN | 99.1 ↑metric study",
		},
		// The main table keeps both variants; the rollout-length sweep
		// keeps its plain LoopNet row; the model-type table, with only
		// qualified own columns, gives nothing; the last table has one
		// own column and keeps it.
		"variants.tex": {
			"T1 LoopNet (small) | Maze | Mean return | small | 9.5 ↑metric name",
			"T1 LoopNet (small) | Keys | Mean return | small | 4 ↑metric name",
			"T1 LoopNet (large) | Maze | Mean return | large | 11.2 ↑metric name",
			"T1 LoopNet (large) | Keys | Mean return | large | 4.8 ↑metric name",
			"T2 LoopNet | Maze | Return | 11.2 ↑metric name",
			"T2 LoopNet | Keys | Return | 4.8 ↑metric name",
			"T4 Ours, stochastic | Maze | Return | 11.2 ↑metric ours",
			"T4 Ours, stochastic | Keys | Return | 4.8 ↑metric ours",
		},
		// A benchmark paper: its own filtered data in Table 1, and the
		// baselines it ran as study targets (not the data-size column).
		"benchmark.tex": {
			"T1 ToyPool-F (ours) | CIFAR-10 | Accuracy | 66.4 ↑metric ours",
			"T2 No filtering | CIFAR-10 | Accuracy | No filtering / small | 20.5 ↑arrow study",
			"T2 No filtering | | Accuracy | No filtering / Average / small | 18 ↑arrow study",
			"T2 Text-based | CIFAR-10 | Accuracy | Text-based / small | 24.1 ↑arrow study",
			"T2 Text-based | | Accuracy | Text-based / Average / small | 21.2 ↑arrow study",
			"T2 No filtering | CIFAR-10 | Accuracy | No filtering / large | 55 ↑arrow study",
			"T2 No filtering | | Accuracy | No filtering / Average / large | 50.3 ↑arrow study",
			"T2 Text-based | CIFAR-10 | Accuracy | Text-based / large | 58.8 ↑arrow study",
			"T2 Text-based | | Accuracy | Text-based / Average / large | 53.9 ↑arrow study",
		},
	}
	golden.Inputs(t, filepath.Join("testdata", "*.tex"), func(t *testing.T, path string, src []byte) {
		d := readTeX(t, string(src))
		Extract(d)
		var got []string
		for _, r := range d.Results {
			got = append(got, summary(r))
		}
		w, ok := want[filepath.Base(path)]
		if !ok {
			t.Fatalf("no summary for %s", path)
		}
		if strings.Join(got, "\n") != strings.Join(w, "\n") {
			t.Errorf("got\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(w, "\n"))
		}
	})
}

// summary is a result on one line: table, method, dataset, metric,
// setting, value ± error, direction and why.
func summary(r doc.Result) string {
	parts := []string{"T" + r.Source.Table + " " + r.Method, r.Dataset, r.Metric}
	if r.Setting != "" {
		parts = append(parts, r.Setting)
	}
	v := strconv.FormatFloat(r.Value, 'g', -1, 64)
	if r.PlusMinus != nil {
		v += "±" + strconv.FormatFloat(*r.PlusMinus, 'g', -1, 64)
	}
	dir := ""
	if r.HigherIsBetter != nil {
		dir = "↓"
		if *r.HigherIsBetter {
			dir = "↑"
		}
	}
	parts = append(parts, v+" "+dir+r.Direction+" "+r.Why)
	return strings.ReplaceAll(strings.Join(parts, " | "), "|  |", "| |")
}

// checkCells checks that every result points to a real cell: its table
// exists and holds a cell whose printed text is Raw and whose value is the
// result's (before the suffix is applied).
func checkCells(t *testing.T, d *doc.Document) {
	t.Helper()
	for _, r := range d.Results {
		if !cellExists(d, r) {
			t.Errorf("result %q in table %q: no cell reads %q", r.Method, r.Source.Table, r.Raw)
		}
		switch r.Why {
		case "ours", "name", "bold-label", "study":
		default:
			t.Errorf("result %q: why %q", r.Method, r.Why)
		}
		if r.Method == "" || r.Row == "" || r.Column == "" {
			t.Errorf("result without method, row or column: %+v", r)
		}
		if (r.Direction == "") != (r.HigherIsBetter == nil) {
			t.Errorf("result %q: direction %q with higher_is_better %v", r.Method, r.Direction, r.HigherIsBetter)
		}
	}
}

func cellExists(d *doc.Document, r doc.Result) bool {
	for _, tb := range d.Tables {
		if tb.Number != r.Source.Table || tb.Line != r.Source.Line || tb.File != r.Source.File {
			continue
		}
		for _, row := range tb.Rows {
			for _, c := range row {
				if !c.Spanned && Printed(c.Text) == r.Raw {
					return true
				}
			}
		}
	}
	return false
}

// TestExtractEmpty: no tables, no results, and a non-nil list.
func TestExtractEmpty(t *testing.T) {
	d := doc.New()
	Extract(d)
	if d.Results == nil || len(d.Results) != 0 {
		t.Fatalf("results %v", d.Results)
	}
}

// TestExtractTwice: Extract replaces the list.
func TestExtractTwice(t *testing.T) {
	d := readTeX(t, string(mustRead(t, filepath.Join("testdata", "normal.tex"))))
	Extract(d)
	n := len(d.Results)
	Extract(d)
	if len(d.Results) != n || n == 0 {
		t.Errorf("a second Extract gave %d results, want %d", len(d.Results), n)
	}
}

// cell builds a test cell: "*" marks bold, "#" a header cell, "~" a
// spanned cell; a number (with "± x" or "(x)") gets its value.
func cell(s string) doc.Cell {
	var c doc.Cell
	for len(s) > 0 && strings.ContainsRune("*#~", rune(s[0])) {
		switch s[0] {
		case '*':
			c.Bold = true
		case '#':
			c.Header = true
		case '~':
			c.Spanned = true
		}
		s = s[1:]
	}
	c.Text = s
	num := strings.Trim(s, "()%")
	if i := strings.Index(num, "±"); i >= 0 {
		if pm, err := strconv.ParseFloat(strings.TrimSpace(num[i+len("±"):]), 64); err == nil {
			c.PlusMinus = &pm
		}
		num = strings.TrimSpace(num[:i])
	}
	num = strings.TrimRight(num, "kKMB")
	if v, err := strconv.ParseFloat(num, 64); err == nil {
		c.Value = &v
	}
	return c
}

func table(caption string, rows ...string) doc.Table {
	t := doc.Table{Number: "1", Caption: caption, Section: "4", File: "main.tex", Line: 10}
	for _, r := range rows {
		var cells []doc.Cell
		for _, s := range strings.Split(r, "|") {
			cells = append(cells, cell(strings.TrimSpace(s)))
		}
		t.Rows = append(t.Rows, cells)
	}
	return t
}

// TestRules checks the rules one by one on tables built by hand.
func TestRules(t *testing.T) {
	base := func() *doc.Document {
		d := doc.New()
		d.Title = "GateNet: Gates for Small Networks"
		d.Datasets = []doc.Dataset{{Name: "CIFAR-10"}, {Name: "SVHN"}, {Name: "MNIST"}}
		return d
	}
	tests := []struct {
		name  string
		table doc.Table
		want  []string
	}{
		{"name as prefix, arrows, group label",
			table("Results.",
				"# | #Model | #CIFAR-10 Acc. $\\uparrow$ | #SVHN Err. $\\downarrow$",
				"Baselines | ResNet | 90.1 | 5.0",
				"~Baselines | WideNet | 91.0 | 4.8",
				"Ours | GateNet-S | 92.0 | 4.1"),
			[]string{"T1 GateNet-S | CIFAR-10 | CIFAR-10 Acc. | 92 ↑arrow ours", "T1 GateNet-S | SVHN | SVHN Err. | 4.1 ↓arrow ours"}},
		{"a bold label among plain ones",
			table("Accuracy on MNIST.",
				"#Model | #Accuracy",
				"A | 90.1", "B | 91.0", "*Mine | 93.5", "C | 89.9"),
			[]string{"T1 Mine | MNIST | Accuracy | 93.5 ↑metric bold-label"}},
		{"all labels bold: no sign of the method, a study's table",
			table("Accuracy on MNIST.",
				"#Model | #Accuracy",
				"*A | 90.1", "*B | 91.0", "*C | 89.9"),
			[]string{"T1 A | MNIST | Accuracy | A | 90.1 ↑metric study", "T1 B | MNIST | Accuracy | B | 91 ↑metric study",
				"T1 C | MNIST | Accuracy | C | 89.9 ↑metric study"}},
		{"ablations are not targets",
			table("Ablations on MNIST (error).",
				"#Variant | #Error",
				"GateNet | 1.2", "GateNet w/o gate | 1.9", "without warm-up | 1.5", "- residual | 1.7", "no gate | 2.0"),
			[]string{"T1 GateNet | MNIST | Error | 1.2 ↓metric name"}},
		{"a hyperparameter table is not read",
			table("Hyperparameters of GateNet.",
				"#Model | #Learning rate", "GateNet | 0.001"),
			nil},
		{"settings table by its header",
			table("GateNet.", "#Setting | #Value", "GateNet | 3", "Other | 4"),
			nil},
		{"p-values and text columns are not targets",
			table("Inception score on CIFAR-10 (higher is better).",
				"#Model | #Score | #p | #Note",
				"GAN | 2.9 | – | plain",
				"GateNet | 3.4 | <0.0001 | gated"),
			[]string{"T1 GateNet | CIFAR-10 | Score | 3.4 ↑arrow name"}},
		{"a (std) column after the value",
			table("Return on MNIST.",
				"#Model | #Return | #~Return",
				"PPO | 10.0 | (1.0)",
				"GateNet | 12.5 | (0.5)"),
			[]string{"T1 GateNet | MNIST | Return | 12.5±0.5 ↑metric name"}},
		{"section rows name the dataset",
			table("Test error.",
				"#MNIST | #Base | #GateNet",
				"small | 1.5 | 1.2",
				"*SVHN | | ",
				"small | 4.5 | 4.0"),
			[]string{"T1 GateNet | MNIST | Test error | small | 1.2 ↓metric name", "T1 GateNet | SVHN | Test error | small | 4 ↓metric name"}},
		{"transposed with (ours)",
			table("Scores.",
				"#Task | #PPO | #Gates (ours)",
				"Pong | 10.0 | 12.0",
				"Breakout | 20.0 | 25.0"),
			[]string{"T1 Gates (ours) | Pong | Scores | 12 ↑metric ours", "T1 Gates (ours) | Breakout | Scores | 25 ↑metric ours"}},
		{"a bare ours cell loses to the name",
			table("Steps to solve.",
				"# | #PPO | #GateNet",
				"#Task | #ours | #",
				"Pong | 100 | 80",
				"Breakout | 200 | 150"),
			[]string{"T1 GateNet | Pong | Steps to solve | 80 ↓metric name", "T1 GateNet | Breakout | Steps to solve | 150 ↓metric name"}},
		{"no sign of the method: a study's table",
			table("Accuracy on MNIST.", "#Model | #Accuracy", "A | 90.1", "B | 91.0"),
			[]string{"T1 A | MNIST | Accuracy | A | 90.1 ↑metric study", "T1 B | MNIST | Accuracy | B | 91 ↑metric study"}},
		{"suffixes and percent",
			table("Size and accuracy on SVHN.",
				"#Model | #Params | #Accuracy",
				"Big | 11M | 0.91",
				"GateNet | 2.5M | 0.93"),
			[]string{"T1 GateNet | SVHN | Params | 2.5e+06 ↓metric name", "T1 GateNet | SVHN | Accuracy | 0.93 ↑metric name"}},
		{"a caption naming two data sets names none",
			table("Accuracy on MNIST and SVHN.",
				"#Model | #Split A", "A | 90.1", "GateNet | 93.0"),
			[]string{"T1 GateNet | Split A | Accuracy | 93 ↑metric name"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			d := base()
			d.Tables = []doc.Table{tc.table}
			Extract(d)
			var got []string
			for _, r := range d.Results {
				got = append(got, summary(r))
			}
			checkCells(t, d)
			if strings.Join(got, "\n") != strings.Join(tc.want, "\n") {
				t.Errorf("got\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(tc.want, "\n"))
			}
		})
	}
}

func TestDirectionAndPercent(t *testing.T) {
	d := doc.New()
	d.Title = "GateNet: x"
	d.Tables = []doc.Table{table("Results (lower is better).",
		"#Model | #Loss | #Top-1 (%) | #Acc",
		"GateNet | 0.5 | 91.0 | 88.0")}
	Extract(d)
	if len(d.Results) != 3 {
		t.Fatalf("%d results", len(d.Results))
	}
	for i, want := range []struct {
		higher  bool
		dir     string
		percent bool
	}{{false, "arrow", false}, {false, "arrow", true}, {false, "arrow", true}} {
		r := d.Results[i]
		if r.HigherIsBetter == nil || *r.HigherIsBetter != want.higher || r.Direction != want.dir || r.Percent != want.percent {
			t.Errorf("%s: higher %v dir %q percent %v", r.Metric, r.HigherIsBetter, r.Direction, r.Percent)
		}
	}
}

func TestMethodNames(t *testing.T) {
	tests := []struct {
		text string
		want string
	}{
		{"We propose TinyFormer, a small model.", "TinyFormer"},
		{"We present Muse, a text-to-image model.", "Muse"},
		{"This paper introduces Graph Convolutional Recurrent Network (GCRN), a deep learning model.", "GCRN"},
		{"To do so, we propose a reinforcement learning approach called Differentiable Data Selection (DDS).", "DDS"},
		{"We introduce the Metropolis-Hastings generative adversarial network (MH-GAN), which combines both.", "MH-GAN"},
		{"We describe Simulated Policy Learning (SimPLe), a complete algorithm.", "SimPLe"},
		{"We show that our proposed SVMcompare algorithm outperforms SVMrank.", "SVMcompare"},
		{"We propose a new model, GateNet, for small images.", "GateNet"},
		{"We introduce DataComp, a benchmark.", "DataComp"},
		{"Prior work proposed ResNet (He et al.).", ""},
		{"We use LSTM networks and PPO.", ""},
		{"We propose to use PPO for training.", ""},
		{"We present results on ImageNet (IN1K).", ""},
		{"We present a method that can be tuned.", ""},
		{"We call this approach Momentum.", "Momentum"},
		{"", ""},
	}
	for _, tc := range tests {
		if got := strings.Join(namesInText(tc.text), ","); got != tc.want {
			t.Errorf("namesInText(%q) = %q, want %q", tc.text, got, tc.want)
		}
	}
	captions := []struct{ in, want string }{
		{"Pseudocode for SimPLe", "SimPLe"},
		{"LAX: Optimizing parameters and a control variate.", "LAX"},
		{"Training a classification model with DDS.", "DDS"},
		{"Stochastic gradient descent with momentum", ""},
		{"MHminibatch acceptance test.", "MHminibatch"},
		{"DCEM($f_\\theta$, N)", "DCEM"},
	}
	for _, tc := range captions {
		if got := strings.Join(namesInCaption(tc.in), ","); got != tc.want {
			t.Errorf("namesInCaption(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
}

func TestMethodNamesDocument(t *testing.T) {
	d := doc.New()
	d.Title = "TinyFormer: Gated Residual Attention"
	d.Abstract = "We introduce the Gated Unit (GU), and evaluate on CIFAR-10 (C10)."
	d.Macros = []doc.Macro{{Name: `\method`, Body: `\textsc{Tiny}`}, {Name: `\R`, Body: `\mathbb{R}`}, {Name: `\REBAR`, Body: `REBAR`}}
	d.Algorithms = []doc.Algorithm{{Caption: "Pseudocode for TinyFormer"}}
	d.Sections = []doc.Section{
		{Number: "2", Title: "Related work"},
		{Number: "3", Title: "The LAX estimator"},
		{Number: "4", Title: "BAYESIAN QUADRATURE"},
		{Number: "5", Title: "Comparison with PPO"},
	}
	d.Text = []doc.Paragraph{{Section: "2", Text: "We propose FooNet in our earlier work."}}
	d.Datasets = []doc.Dataset{{Name: "CIFAR-10"}}
	got := fmt.Sprint(methodNames(d))
	want := "[{TinyFormer tinyformer false} {GU gu false} {Tiny tiny false} {LAX lax true}]"
	if got != want {
		t.Errorf("methodNames = %s, want %s", got, want)
	}
	if got := MethodNames(d); len(got) != 4 || got[0] != "TinyFormer" {
		t.Errorf("MethodNames = %v", got)
	}
}

func TestHelpers(t *testing.T) {
	for _, tc := range []struct{ in, want string }{
		{"91.3 $\\pm$ 0.2", "91.3 ± 0.2"},
		{"$\\mathbf{13.8} \\pm 2.0$", "13.8 ± 2.0"},
		{"12.5\\%", "12.5%"},
		{"$\\mathbf{28.20^*}$", "28.20*"},
		{"Acc. $\\uparrow$", "Acc. ↑"},
		{"  a \n b ", "a b"},
		{"\\textsc{Per}", "Per"},
		{"Image-based $\\cap$ CLIP", "Image-based ∩ CLIP"},
		{"", ""},
	} {
		if got := Printed(tc.in); got != tc.want {
			t.Errorf("Printed(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
	for _, tc := range []struct {
		in   string
		want bool
	}{{"TinyFormer", true}, {"SimPLe", true}, {"GCRN", true}, {"MH-GAN", true}, {"ResNet-50", true},
		{"Metropolis-Hastings", false}, {"Muse", false}, {"C10", false}, {"x", false}, {"P_model", false}} {
		if got := nameLike(tc.in); got != tc.want {
			t.Errorf("nameLike(%q) = %v", tc.in, got)
		}
	}
	for _, tc := range []struct {
		in   string
		want bool
	}{{"w/o gate", true}, {"without warm-up", true}, {"- residual", true}, {"no gate penalty", true},
		{"-0.5", false}, {"gatenet", false}, {"+ glu", false}, {"nominal", false}, {"none", false}} {
		if got := isAblation(tc.in); got != tc.want {
			t.Errorf("isAblation(%q) = %v", tc.in, got)
		}
	}
	for _, tc := range []struct {
		in     string
		word   string
		higher bool
	}{{"Acc. $\\uparrow$", "Acc", true}, {"Top-1 error", "Top-1 error", false}, {"FID-30K", "FID", false},
		{"IS", "IS", true}, {"Test Perplexity", "Perplexity", false}, {"Timeouts (1 hr)", "Timeouts", false}, {"BLEU", "BLEU", true}} {
		m := findMetric(tc.in, lowerASCII(tc.in))
		if !m.ok || m.word != tc.word || m.higher != tc.higher {
			t.Errorf("findMetric(%q) = %+v", tc.in, m)
		}
	}
	if m := findMetric("Island", "island"); m.ok {
		t.Errorf("Island is a metric: %+v", m)
	}
	for _, tc := range []struct{ in, want string }{
		{"Results for image classification accuracy (left) and translation BLEU (right).", "accuracy,BLEU"},
		{"Zero-shot performance of CLIP models.", ""},
		{"Mean scores obtained by our method.", "Mean scores"},
		{"Top-1 error on ImageNet.", "Top-1 error"},
	} {
		var got []string
		for _, m := range captionMetrics(tc.in) {
			got = append(got, m.word)
		}
		if strings.Join(got, ",") != tc.want {
			t.Errorf("captionMetrics(%q) = %v, want %s", tc.in, got, tc.want)
		}
	}
	for _, tc := range []struct {
		in string
		v  float64
		ok bool
	}{{"28 sec", 28, true}, {"1.3h", 1.3, true}, {"12 GB", 12, true}, {"1,200 s", 1200, true}, {"abc", 0, false}, {"12 apples", 0, false}, {"-", 0, false}} {
		v, ok := numberWithUnit(tc.in)
		if v != tc.v || ok != tc.ok {
			t.Errorf("numberWithUnit(%q) = %v, %v", tc.in, v, ok)
		}
	}
	for _, tc := range []struct {
		v    float64
		raw  string
		want float64
	}{{632, "632M", 632e6}, {12.8, "12.8B", 12.8e9}, {100, "100k", 1e5}, {0.5, "0.5s", 0.5}, {3, "M", 3}} {
		if got := scaled(tc.v, tc.raw); got != tc.want {
			t.Errorf("scaled(%v, %q) = %v", tc.v, tc.raw, got)
		}
	}
	for _, tc := range []struct{ in, want string }{
		{"Test results. Mean over seeds.", "Test results."},
		{"Dev. acc. on SST-2. More.", "Dev. acc. on SST-2."},
		{"Accuracy of 91.5 on X", "Accuracy of 91.5 on X"},
	} {
		if got := firstSentence(tc.in); got != tc.want {
			t.Errorf("firstSentence(%q) = %q", tc.in, got)
		}
	}
}

// TestTitlePrefix: a paper named "Sparse GateNorm" extends GateNorm; rows
// of plain GateNorm are a baseline.
func TestTitlePrefix(t *testing.T) {
	d := doc.New()
	d.Title = "Sparse GateNorm: Token-Adaptive Gates"
	d.Tables = []doc.Table{table("Perplexity on the test set.",
		"#Method | #ppl.",
		"GateNorm (dense) | 24.1",
		"Sparse GateNorm, k=4 | 24.4")}
	Extract(d)
	if len(d.Results) != 1 || d.Results[0].Method != "Sparse GateNorm, k=4" || d.Results[0].Why != "name" {
		t.Errorf("results %+v", d.Results)
	}
}

// TestDistinguish: targets of one table that share dataset and metric get
// a Setting that tells them apart.
func TestDistinguish(t *testing.T) {
	d := doc.New()
	d.Title = "GateNet: x"
	d.Datasets = []doc.Dataset{{Name: "MNIST"}}
	d.Tables = []doc.Table{
		table("Accuracy on MNIST.",
			"#Model | #Accuracy",
			"GateNet, k=2 | 90.0",
			"GateNet, k=4 | 91.0"),
		table("Return: median (left) and best (right).",
			"#Game | #GateNet | #~GateNet",
			"Pong | 10.0 | 12.0"),
		table("Return.",
			"#Model | #Return",
			"Base | 4.0",
			"GateNet | 5.0",
			"#Model | #Return",
			"Base | 5.5",
			"GateNet | 6.0"),
		table("Time and accuracy on MNIST.",
			"#Model | #Time | #Accuracy | #Top-1/Top-5",
			"Base | 40 sec | 88.0 | 50.1/70.2",
			"GateNet | 28 sec | 90.5 | 56.8/79.5"),
	}
	Extract(d)
	var got []string
	for _, r := range d.Results {
		got = append(got, summary(r))
	}
	want := []string{
		"T1 GateNet, k=2 | MNIST | Accuracy | k=2 | 90 ↑metric name",
		"T1 GateNet, k=4 | MNIST | Accuracy | k=4 | 91 ↑metric name",
		"T1 GateNet | Pong | Return | left | 10 ↑metric name",
		"T1 GateNet | Pong | Return | right | 12 ↑metric name",
		"T1 GateNet | | Return | part 1 | 5 ↑metric name",
		"T1 GateNet | | Return | part 2 | 6 ↑metric name",
		"T1 GateNet | MNIST | Time | 28 ↓metric name",
		"T1 GateNet | MNIST | Accuracy | 90.5 ↑metric name",
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("got\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	checkCells(t, d)
}
