package results

import (
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/reprohq/repro/doc"
)

// FuzzNames checks that the name finders and Printed never panic and only
// return words of their input.
func FuzzNames(f *testing.F) {
	for _, s := range []string{
		"We propose TinyFormer, a small model.",
		"This paper introduces Graph Convolutional Recurrent Network (GCRN), a model.",
		"we call it (X", "We present (", "( ) we propose", "Pseudocode for SimPLe",
		"$\\mathbf{13.8} \\pm 2.0$", "we propose é\xff(Ab", "We propose\x00", "[",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		for _, n := range append(namesInText(s), namesInCaption(s)...) {
			if n == "" || !strings.Contains(s, n) {
				t.Errorf("name %q is not in %q", n, s)
			}
		}
		p := Printed(s)
		if utf8.ValidString(s) && !utf8.ValidString(p) {
			t.Errorf("Printed(%q) = %q is not UTF-8", s, p)
		}
		nameLike(s)
		isAblation(s)
		findMetric(s, lowerASCII(s))
		captionMetrics(s)
		numberWithUnit(s)
		firstSentence(s)
	})
}

// FuzzTable checks that Extract never panics on tables of arbitrary cells
// and that every result reads a real cell.
func FuzzTable(f *testing.F) {
	f.Add("Model|Acc.\nBase|90.1\nOurs|92.3", "Results on CIFAR-10.", "GateNet: x")
	f.Add("|A|B\nMNIST||\nGateNet|1|(2)\nw/o x|3|4", "", "GateNet: y")
	f.Add("x", "Hyperparameters.", "")
	f.Add("Task|PPO|Z (ours)\n*Pong\nEasy|1|2", "Steps.", "Z")
	f.Fuzz(func(t *testing.T, grid, caption, title string) {
		d := doc.New()
		d.Title = title
		d.Datasets = []doc.Dataset{{Name: "CIFAR-10"}, {Name: "Pong"}}
		tb := doc.Table{Number: "1", Caption: caption}
		for _, line := range strings.Split(grid, "\n") {
			var row []doc.Cell
			for _, s := range strings.Split(line, "|") {
				row = append(row, cell(s))
			}
			tb.Rows = append(tb.Rows, row)
		}
		d.Tables = []doc.Table{tb}
		Extract(d)
		if d.Results == nil {
			t.Fatal("nil results")
		}
		for _, r := range d.Results {
			if !cellExists(d, r) {
				t.Errorf("result %+v reads no cell", r)
			}
		}
	})
}
