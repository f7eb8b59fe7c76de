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
//   - Headline numbers, not sweeps: in a table after the paper's main
//     results table (the first table with the method), when several lines
//     are the method with different qualifiers ("Ours, deterministic",
//     "Ours, 100 steps", "Muse (base model)"), only the lines that name it
//     plainly ("Ours", "SimPLe (ours)", "GateNet (full)") are kept, and
//     none when there is no such line. The main table keeps them all; a
//     table with one method line keeps it.
//   - Studies and benchmarks: when no line of any table is the paper's
//     method (an empirical study, a benchmark collection), or when the
//     paper introduces one of its data sets or benchmarks (the title's
//     "Name:" or "we introduce Name" is a data set), the lines of the
//     results tables that gave no target are targets, with Why "study".
//     A results table, here, has a caption or header that says results,
//     performance, comparison, baselines, accuracy, error, score, return
//     or names a metric, or numbers with spreads; a caption about
//     statistics, properties, components, the number of parameters,
//     architecture, hardware or platforms (besides the hyperparameter
//     and settings captions above) is not one, and columns of sizes and
//     counts ("Dataset size", "# samples", "Params") are not targets.
//     The method of a row is the label of its method column (headed
//     Method/Model/..., else the label column whose labels differ most,
//     not a Dataset/Task column when another will do; its labels must
//     mostly differ). When the rows are data sets or metrics ("Freeway /
//     m1d0", "Accuracy") and no column header is, the columns are the
//     methods: the outermost header that is not a number ("Fine-tuning"
//     over "10M"), else the paper's name that the caption gives. The
//     setting of each target starts with its method when the table has
//     several. At most 200 study targets per paper, whole tables in
//     order (the main ones first); a warning names the tables left out.
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
//     A metric the caption names that is also in the rows' labels ("CLIP
//     score (L/14 30%)" filtering) is not the table's metric. A header that
//     only names the kind of the header below it ("Dataset" over
//     "Enzymes") makes that one the dataset.
//   - Direction: ↑/↓ in the headers, or "higher/lower is better" in the
//     caption ("arrow"); else the metric's usual sense ("metric").
//   - Values: the reader's number, with a K/M/B suffix applied, and numbers
//     with a unit the reader leaves as text ("28 sec"); a "(0.3)" column
//     after a value (same header) is its PlusMinus; p-value, year, std and
//     data-size columns are not targets; neither are cells such as
//     "56.81/79.51" that hold two numbers.
//
// A row that only continues the \multirow cells above it (every cell
// spanned) is skipped. Every target points to a real cell: Raw is the
// cell's Printed text.
package results

import (
	"strings"

	"github.com/reprohq/repro/doc"
)

// Extract fills d.Results from d.Tables, replacing what it held; it
// changes nothing else but its own warnings (the cap on a study's
// targets), which it also replaces. A paper without results tables gets
// an empty, non-nil list. It is deterministic and safe to call again.
func Extract(d *doc.Document) {
	d.Results = []doc.Result{}
	if len(d.Warnings) > 0 {
		ws := d.Warnings[:0:0]
		for _, w := range d.Warnings {
			if !strings.HasPrefix(w.Message, warnPrefix) {
				ws = append(ws, w)
			}
		}
		d.Warnings = ws
	}
	if len(d.Tables) == 0 {
		return
	}
	p := newPaper(d)
	found := make([][]doc.Result, len(d.Tables))
	matched := make([]bool, len(d.Tables))
	n := 0
	mainSeen := false // the paper's main results table: the first with the method
	for i := range d.Tables {
		if !p.hasSignal(&d.Tables[i]) {
			continue
		}
		a := p.analyze(&d.Tables[i], findStrong, !mainSeen)
		if !a.matched && a.weakSeen {
			a = p.analyze(&d.Tables[i], findWeak, !mainSeen)
		}
		matched[i] = a.matched
		mainSeen = mainSeen || a.matched
		found[i] = a.results
		n += len(a.results)
	}
	// A study (no line of any table is the paper's method) or a paper
	// that introduces a benchmark: the lines of its results tables.
	if !mainSeen || introducesDataset(d) {
		study, m := p.study(d, matched)
		for i, rs := range study {
			if len(rs) > 0 {
				found[i] = rs
			}
		}
		n += m
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
