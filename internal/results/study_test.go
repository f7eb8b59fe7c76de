package results

import (
	"fmt"
	"strings"
	"testing"

	"github.com/reprohq/repro/doc"
)

// TestStudyRules checks the rules for a study's tables and for the
// variants of the method one by one, on tables built by hand.
func TestStudyRules(t *testing.T) {
	study := func() *doc.Document {
		d := doc.New()
		d.Title = "How Small Agents Transfer"
		d.Datasets = []doc.Dataset{{Name: "CIFAR-10"}, {Name: "SVHN"}, {Name: "Pong"}}
		return d
	}
	named := func() *doc.Document {
		d := study()
		d.Title = "GateNet: Gates for Small Networks"
		return d
	}
	tests := []struct {
		name   string
		doc    func() *doc.Document
		tables []doc.Table
		want   []string
	}{
		{"rows are the study's methods", study,
			[]doc.Table{table("Test accuracy of the baselines.",
				"#Method | #CIFAR-10 | #SVHN",
				"Linear | 40.1 | 60.2",
				"CNN | 80.4 | 92.0")},
			[]string{
				"T1 Linear | CIFAR-10 | accuracy | Linear | 40.1 ↑metric study",
				"T1 Linear | SVHN | accuracy | Linear | 60.2 ↑metric study",
				"T1 CNN | CIFAR-10 | accuracy | CNN | 80.4 ↑metric study",
				"T1 CNN | SVHN | accuracy | CNN | 92 ↑metric study",
			}},
		{"games as rows: the columns are the methods, over their budgets", study,
			[]doc.Table{table("Direct evaluation, mean over five runs (std).",
				"#Game | #Fine-tuning | #~Fine-tuning | #~Fine-tuning | #Scratch | #~Scratch",
				"# | #10M | #~10M | #50M | #50M | #~50M",
				"Pong | 1.5 | (0.5) | 2.5 | 3.0 | (0.2)")},
			[]string{
				"T1 Fine-tuning | Pong | | Fine-tuning / 10M | 1.5±0.5  study",
				"T1 Fine-tuning | Pong | | Fine-tuning / 50M | 2.5  study",
				"T1 Scratch | Pong | | Scratch / 50M | 3±0.2  study",
			}},
		{"budgets only as headers: the paper's name in the caption", named,
			[]doc.Table{table("Baselines using GateNet for every game.",
				"#Game | #10M | #50M",
				"Pong | 1.5 | 2.5")},
			[]string{
				"T1 GateNet | Pong | | 10M | 1.5  study",
				"T1 GateNet | Pong | | 50M | 2.5  study",
			}},
		{"metrics as rows: the columns are the methods", study,
			[]doc.Table{table("Face detection on a sample.",
				"# | #DetA | #DetB",
				"Accuracy | 93.9 | 96.6",
				"Recall | 90.5 | 93.8")},
			[]string{
				"T1 DetA | | Accuracy | DetA | 93.9 ↑metric study",
				"T1 DetB | | Accuracy | DetB | 96.6 ↑metric study",
				"T1 DetA | | Recall | DetA | 90.5 ↑metric study",
				"T1 DetB | | Recall | DetB | 93.8 ↑metric study",
			}},
		{"a Dataset header over the data sets", study,
			[]doc.Table{table("Classification accuracies.",
				"#Method | #Dataset | #~Dataset",
				"#~Method | #Enzymes | #Reddit",
				"WL | 50.8 | 73.3",
				"GIN | 38.7 | 89.8")},
			[]string{
				"T1 WL | Enzymes | accuracies | WL | 50.8 ↑metric study",
				"T1 WL | Reddit | accuracies | WL | 73.3 ↑metric study",
				"T1 GIN | Enzymes | accuracies | GIN | 38.7 ↑metric study",
				"T1 GIN | Reddit | accuracies | GIN | 89.8 ↑metric study",
			}},
		{"the method column differs most; the repeated one is a setting", study,
			[]doc.Table{table("Zero-shot performance of the baselines.",
				"#Scale | #Source | #CIFAR-10",
				"small | Web | 20.5",
				"small | Books | 22.0",
				"large | Web | 55.0",
				"large | Books | 58.8")},
			[]string{
				"T1 Web | CIFAR-10 | | Web / small | 20.5  study",
				"T1 Books | CIFAR-10 | | Books / small | 22  study",
				"T1 Web | CIFAR-10 | | Web / large | 55  study",
				"T1 Books | CIFAR-10 | | Books / large | 58.8  study",
			}},
		{"sizes and counts are not targets", study,
			[]doc.Table{table("Results on CIFAR-10.",
				"#Method | #Dataset size | #Number of runs | #Accuracy",
				"A | 10M | 5 | 50.1",
				"B | 20M | 5 | 60.2")},
			[]string{
				"T1 A | CIFAR-10 | Accuracy | A | 50.1 ↑metric study",
				"T1 B | CIFAR-10 | Accuracy | B | 60.2 ↑metric study",
			}},
		{"a caption metric that names rows is not the metric", study,
			[]doc.Table{table("Zero-shot results. The CLIP score filter is best.",
				"#Filtering | #CIFAR-10",
				"No filtering | 0.25",
				"CLIP score (30%) | 0.31")},
			[]string{
				"T1 No filtering | CIFAR-10 | | No filtering | 0.25  study",
				"T1 CLIP score (30%) | CIFAR-10 | | CLIP score (30%) | 0.31  study",
			}},
		{"statistics are not results", study,
			[]doc.Table{table("Statistics of the games, with their scores.",
				"#Game | #Frames | #Actions", "Pong | 100 | 6", "Breakout | 200 | 4")},
			nil},
		{"component sizes are not results", study,
			[]doc.Table{table("Number of parameters of the components (comparison).",
				"#Layer | #Units | #Weights", "Conv | 32 | 8224", "Dense | 256 | 65792")},
			nil},
		{"no word of results, no metric, no spread", study,
			[]doc.Table{table("Training budget of each regime.",
				"#Regime | #Frames | #Updates", "Short | 10 | 2500", "Long | 50 | 12500")},
			nil},
		{"no label column", study,
			[]doc.Table{table("Positive rates by threshold (results).",
				"#Threshold | #Rate", "0.1 | 3.6", "0.2 | 2.0")},
			nil},
		{"labels that repeat name no method", study,
			[]doc.Table{table("Accuracy per seed.",
				"#Scale | #Accuracy", "small | 1.0", "small | 2.0", "small | 3.0")},
			nil},
		{"a paper with its own method is no study", named,
			[]doc.Table{
				table("Accuracy on CIFAR-10.", "#Model | #Accuracy", "ResNet | 90.1", "GateNet | 93.0"),
				table("Accuracy of the baselines on SVHN.", "#Model | #Accuracy", "ResNet | 95.1", "WideNet | 95.5"),
			},
			[]string{"T1 GateNet | CIFAR-10 | Accuracy | 93 ↑metric name"}},
		{"variants after the main table: the plain line", named,
			[]doc.Table{
				table("Accuracy on CIFAR-10.", "#Model | #Accuracy", "ResNet | 90.1", "GateNet-S | 92.0", "GateNet-L | 93.0"),
				table("Accuracy on SVHN for several depths.", "#Model | #Accuracy",
					"GateNet (full) | 95.9", "GateNet, 4 layers | 95.1", "GateNet, 8 layers | 95.5"),
				table("Accuracy on SVHN of gate types.", "#Game | #Ours, hard | #Ours, soft", "Pong | 1.0 | 2.0"),
			},
			[]string{
				"T1 GateNet-S | CIFAR-10 | Accuracy | S | 92 ↑metric name",
				"T1 GateNet-L | CIFAR-10 | Accuracy | L | 93 ↑metric name",
				"T2 GateNet (full) | SVHN | Accuracy | 95.9 ↑metric name",
			}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			d := tc.doc()
			for i := range tc.tables {
				tc.tables[i].Number = fmt.Sprint(i + 1)
				tc.tables[i].Line = 10 * (i + 1)
			}
			d.Tables = tc.tables
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

// TestStudyCap: at most maxStudy study targets, whole tables in order,
// with one warning naming the tables left out, replaced by a second call.
func TestStudyCap(t *testing.T) {
	rows := func(n int) []string {
		out := []string{"#Method | #Accuracy"}
		for i := range n {
			out = append(out, fmt.Sprintf("M%d | %d.5", i, i))
		}
		return out
	}
	mk := func(sizes ...int) *doc.Document {
		d := doc.New()
		d.Title = "A Study"
		d.Warnings = []doc.Warning{{File: "main.tex", Message: "an earlier warning"}}
		for i, n := range sizes {
			tb := table("Accuracy of the baselines.", rows(n)...)
			tb.Number, tb.Line = fmt.Sprint(i+1), 10*(i+1)
			d.Tables = append(d.Tables, tb)
		}
		return d
	}
	d := mk(150, 60, 10)
	Extract(d)
	Extract(d)
	if len(d.Results) != 150 || d.Results[149].Source.Table != "1" {
		t.Errorf("%d results", len(d.Results))
	}
	if len(d.Warnings) != 2 || d.Warnings[0].Message != "an earlier warning" ||
		!strings.Contains(d.Warnings[1].Message, "70 more in table(s) 2, 3") || d.Warnings[1].Line != 20 {
		t.Errorf("warnings %+v", d.Warnings)
	}
	d = mk(250)
	Extract(d)
	if len(d.Results) != maxStudy || len(d.Warnings) != 2 || !strings.Contains(d.Warnings[1].Message, "50 more in table(s) 1") {
		t.Errorf("%d results, warnings %+v", len(d.Results), d.Warnings)
	}
	d = mk(100, 100)
	Extract(d)
	if len(d.Results) != 200 || len(d.Warnings) != 1 {
		t.Errorf("%d results, warnings %+v", len(d.Results), d.Warnings)
	}
}

func TestPlainOwn(t *testing.T) {
	d := doc.New()
	d.Title = "SimPLe: Model-Based Learning"
	p := newPaper(d)
	for _, tc := range []struct {
		in   string
		want bool
	}{
		{"Ours", true}, {"SimPLe (ours)", true}, {"SimPLe", true}, {"SimPLe (full)", true}, {"Algorithm 2", true},
		{"Our method", true}, {"Ours, deterministic", false}, {"Ours, SD 100 steps", false}, {"SimPLe-S", false},
		{"SimPLe (base model)", false}, {"GPT2 (ours)", false},
	} {
		if got := p.plainOwn(tc.in); got != tc.want {
			t.Errorf("plainOwn(%q) = %v", tc.in, got)
		}
	}
}

func TestIntroducesDataset(t *testing.T) {
	for _, tc := range []struct {
		title, abstract string
		datasets        []string
		want            bool
	}{
		{"ToyPool: A Benchmark for Filtering", "", []string{"ToyPool", "CIFAR-10"}, true},
		{"A Benchmark", "We introduce FooSet, a collection of graphs.", []string{"FooSet"}, true},
		{"GateNet: Gates", "We propose GateNet, a network.", []string{"CIFAR-10"}, false},
		{"Data Sets", "We present results on CIFAR-10.", []string{"CIFAR-10"}, false},
	} {
		d := doc.New()
		d.Title, d.Abstract = tc.title, tc.abstract
		for _, n := range tc.datasets {
			d.Datasets = append(d.Datasets, doc.Dataset{Name: n})
		}
		if got := introducesDataset(d); got != tc.want {
			t.Errorf("introducesDataset(%q, %q) = %v", tc.title, tc.abstract, got)
		}
	}
}
