// Package results finds the benchmark targets of a paper: the numbers its
// results tables report for its own method. It reads a document the LaTeX
// reader and the facts stage have built (its tables, title, abstract,
// prose, algorithms, macros, data sets and metrics) and fills
// Document.Results.
//
// The rules, each tested on small tables:
//
//   - The method's names (MethodNames): the name before the title's colon
//     ("TinyFormer: ...", "Sparse GateNorm: ..."); the names the abstract
//     and the prose of the introduction and the method introduce ("we
//     propose X", "we present X, a ...", "an approach called Long Name
//     (LN)", "our proposed X algorithm"); the names of the paper's algorithm
//     captions ("Pseudocode for X", "X: ..."); macros such as \method. Names
//     of the paper's data sets and metrics and common acronyms (RL, GAN,
//     LSTM) are dropped. Weaker signs (name-like words of the method's
//     section headings and of the title) count only in a table where
//     nothing stronger matches, for lines whose numbers are mostly bold.
//   - A table is read when its caption's first sentence is not about
//     hyperparameters, settings, statistics or notation, its label column
//     is not headed Hyperparameter/Setting/Value, and it has numeric
//     columns. A header that comes back in the middle of a table starts a
//     sub-table (a block); a row with one text and no number is a section
//     row ("Omniglot") that applies to the rows below it.
//   - The method's rows: a label that says ours, our method, proposed, this
//     work; a label naming the method, as a word or a prefix ("TinyFormer",
//     "TinyFormer-S", "TCS+DDS"); a reference to one of the paper's
//     algorithms ("Algorithm 1"); else, when a few method labels are bold
//     among plain ones, the bold ones. A group label "Ours" gives way to
//     the row's own label. Ablated variants ("w/o X", "without X", "- X",
//     "no X") are never targets. When no row matches, the columns are
//     tried: the table is transposed (methods as columns). A bare "ours"
//     cell loses to a line that names the method.
//   - Each numeric cell of the method's line is a target. Its dataset,
//     metric and setting come from the labels of the other axis (the
//     column headers, or the row labels of a transposed table), then the
//     other labels of the method's line, then the caption: a metric word, a
//     direction mark or a unit ("Time (s)") makes a label the metric; a data
//     set the paper uses (Document.Datasets), or a label column headed
//     Dataset/Task/Game, the dataset; a section row, the dataset; the one
//     data set the caption names as the table's ("on CC3M"), the dataset;
//     else an unclassified column label. The caption's metric words fill a
//     missing metric (one per sub-table when it names one per sub-table:
//     "accuracy (left) and BLEU (right)").
//   - Setting: the labels left over (those of the method's line only when
//     they differ between the table's targets); then, where two targets of
//     a table still share dataset, metric and setting, what tells them
//     apart: the method's variant ("λ = 0" for "TinyFormer, λ = 0"), the
//     sub-table ("part 2"), or the column's place under a spanning header
//     ("left", "right").
//   - Direction: ↑/↓ in the headers, or "higher/lower is better" in the
//     caption ("arrow"); else the metric's usual sense ("metric").
//   - Values: the reader's number, with a K/M/B suffix applied, and numbers
//     with a unit the reader leaves as text ("28 sec"); a "(0.3)" column
//     after a value (same header) is its PlusMinus; p-value, year, std and
//     data-size columns are not targets; neither are cells such as
//     "56.81/79.51" that hold two numbers.
//
// Every target points to a real cell: Raw is the cell's Printed text.
package results

import (
	"strings"

	"github.com/reprohq/repro/doc"
)

// Extract fills d.Results from d.Tables, replacing what it held; it
// changes nothing else. A paper without results tables gets an empty,
// non-nil list. It is deterministic and safe to call again.
func Extract(d *doc.Document) {
	d.Results = []doc.Result{}
	if len(d.Tables) == 0 {
		return
	}
	p := newPaper(d)
	var found [][]doc.Result
	n := 0
	for i := range d.Tables {
		if !p.hasSignal(&d.Tables[i]) {
			continue
		}
		a := p.analyze(&d.Tables[i], false)
		if len(a.results) == 0 && a.weakSeen {
			a = p.analyze(&d.Tables[i], true)
		}
		found = append(found, a.results)
		n += len(a.results)
	}
	if n == 0 {
		return
	}
	d.Results = make([]doc.Result, 0, n)
	for _, rs := range found {
		d.Results = append(d.Results, rs...)
	}
}

func newPaper(d *doc.Document) *paper {
	p := &paper{names: methodNames(d), metrics: d.Metrics, algs: map[string]string{}, refs: map[string]string{}, kinds: map[string]string{},
		memo: map[labKey]cls{}}
	for _, ds := range d.Datasets {
		if n := norm(ds.Name); len(n) >= 2 {
			p.datasets = append(p.datasets, dataset{name: ds.Name, lower: lowerASCII(ds.Name), norm: n})
		}
	}
	for k, l := range d.Labels {
		if l.Number != "" {
			p.refs[k], p.kinds[k] = l.Number, l.Kind
		}
		if l.Kind == "algorithm" {
			p.algs[k] = l.Number
		}
	}
	return p
}

// hasSignal reports, cheaply, whether a table's text cells may name the
// paper's method: an "ours" marker, a name, a reference, or bold text.
func (p *paper) hasSignal(t *doc.Table) bool {
	var b strings.Builder
	for _, r := range t.Rows {
		for _, c := range r {
			if c.Value != nil || c.Text == "" {
				continue
			}
			if c.Bold || strings.IndexByte(c.Text, '[') >= 0 {
				return true
			}
			b.WriteString(c.Text)
			b.WriteByte('\n')
		}
	}
	text := lowerASCII(b.String())
	if hasOurs(text) {
		return true
	}
	for _, n := range p.names {
		if wordIndex(text, n.lower, false) >= 0 {
			return true
		}
	}
	return false
}
