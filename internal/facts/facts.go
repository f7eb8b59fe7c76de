// Package facts finds what a paper states about its experiments: the
// hyperparameters, the data sets and the evaluation metrics. It reads a
// document the LaTeX reader has already built: its prose (doc.Document.Text
// and the abstract, sentence by sentence) and its tables, and fills
// Document.Hyperparameters, Datasets and Metrics.
//
// Nothing is invented: every item cites where it was found (section, table
// number, file and line when known) and quotes the paper's own words, a
// sentence or a table row rendered as "name | value".
//
// The rules are deliberately plain and tested one by one:
//
//   - a hyperparameter name of the vocabulary followed by its value ("a
//     learning rate of 3e-4", "weight decay 0.01", "hidden size $d = 256$")
//     or preceded by it ("0.1 dropout", "4000 warm-up steps");
//   - a count and its noun ("4 layers", "8 heads", "trained for 100k steps",
//     "five seeds");
//   - a symbol set to a value ("$\beta_1 = 0.9$", "$\lambda = 0.5$"), named
//     by the words that introduce the symbol elsewhere in the paper ("a gate
//     penalty $\lambda$"), by the symbols every paper shares (\beta_1) or
//     by the Greek letter itself;
//   - words as values: the optimizer ("We train with AdamW"), the learning
//     rate schedule ("a cosine schedule"), the activation;
//   - tables whose caption or header speaks of hyperparameters, settings or
//     configuration, with one row per name, several value columns (one per
//     model: AppliesTo is the column's header) or transposed;
//   - data sets from a list of some 370 well-known names (675 spellings) and the
//     pattern "the X dataset/benchmark/corpus";
//   - metrics from a list, with whether higher is better.
//
// Values are numbers (3e-4, 3 \times 10^{-4}, 100k, 6.4M, 12,000, 10% →
// 0.1), lists (a grid, "{0.1, 0.3, 0.5}"), ranges ("between 1e-4 and 1e-3")
// or words. Raw keeps the value as written.
//
// Items come in document order, the abstract first. A hyperparameter is
// listed once per name, value and AppliesTo (its first statement is the
// source); a data set or a metric once per name. Sections about other
// work or none (related work, background, preliminaries,
// acknowledgements, broader impact, checklists) are not read; neither are
// footnotes, captions (except for data sets and metrics) and the text of
// floats, which the reader leaves out of doc.Document.Text.
package facts

import (
	"runtime"
	"sort"
	"strings"
	"sync"

	"github.com/reprohq/repro/doc"
)

// unit is a piece of the paper read in document order: a paragraph of
// prose or a table.
type unit struct {
	section string
	file    string
	line    int
	text    string     // a paragraph
	table   *doc.Table // or a table
	skip    bool       // in a related-work or acknowledgements section
	order   [3]int
}

// Extract fills d.Hyperparameters, d.Datasets and d.Metrics from the
// document's prose (d.Abstract and d.Text) and tables (d.Tables),
// replacing what they held; it changes nothing else. It never fails: a
// paper that states nothing gets empty, non-nil lists. It is
// deterministic and safe to call again.
func Extract(d *doc.Document) {
	units := documentUnits(d)
	g := newGlossary()
	for _, u := range units {
		if u.table != nil && isHyperTable(u.table) {
			learnTable(g, u.table)
		}
	}
	// Each paragraph's sentences, split and lexed once: in parallel, since
	// lexing is CPU-bound and touches nothing shared; each worker fills
	// its own slots, so the result does not depend on scheduling.
	sentences := make([][]sentence, len(units))
	var wg sync.WaitGroup
	workers := min(runtime.GOMAXPROCS(0), max(1, len(units)/64))
	for w := range workers {
		wg.Go(func() {
			for i := w; i < len(units); i += workers {
				u := units[i]
				if u.table != nil || u.skip {
					continue
				}
				for _, s := range splitSentences(u.text) {
					sentences[i] = append(sentences[i], sentence{s, lex(s)})
				}
			}
		})
	}
	wg.Wait()
	for _, ss := range sentences {
		for _, sn := range ss {
			g.learnTokens(sn.toks)
		}
	}
	hp := []doc.Hyperparameter{}
	ds := []doc.Dataset{}
	ms := []doc.Metric{}
	seenHP := map[string]bool{}
	seenDS := map[string]bool{}
	seenM := map[string]bool{}
	var all strings.Builder
	all.WriteString(strings.ToLower(d.Abstract))
	for _, p := range d.Text {
		all.WriteByte(' ')
		all.WriteString(strings.ToLower(p.Text))
	}
	lowDoc := all.String()
	addHP := func(h hyper, prov doc.Provenance) {
		key := h.name + "\x00" + valueKey(h.val) + "\x00" + h.appliesTo
		if seenHP[key] {
			return
		}
		seenHP[key] = true
		hp = append(hp, doc.Hyperparameter{
			Name: h.name, Symbol: h.symbol, Value: h.val.v, Raw: h.val.raw, Kind: h.val.kind,
			Unit: h.unit, AppliesTo: h.appliesTo, Source: prov,
		})
	}
	addDS := func(name string, prov doc.Provenance) {
		k := normKey(name)
		if k == "" || seenDS[k] {
			return
		}
		seenDS[k] = true
		ds = append(ds, doc.Dataset{Name: name, Source: prov})
	}
	addM := func(e *nameEntry, prov doc.Provenance) {
		if seenM[e.canon] {
			return
		}
		seenM[e.canon] = true
		ms = append(ms, doc.Metric{Name: e.canon, HigherIsBetter: e.hib, Source: prov})
	}
	prevText := ""
	for ui, u := range units {
		if u.skip {
			continue
		}
		if u.table != nil {
			t := u.table
			prov := doc.Provenance{Section: t.Section, Table: t.Number, File: t.File, Line: t.Line}
			if isHyperTable(t) {
				for _, it := range extractTable(t, g) {
					p := prov
					p.Quote = shortenQuote(it.quote)
					addHP(it.h, p)
				}
			}
			for _, piece := range tablePieces(t) {
				p := prov
				p.Quote = shortenQuote(piece.text)
				toks := lex(piece.text)
				for _, name := range findDatasets(toks, lowDoc) {
					addDS(name, p)
				}
				for _, e := range findMetrics(toks, piece.header, true) {
					addM(e, p)
				}
			}
			continue
		}
		ctx := strings.ToLower(prevText + " " + u.text)
		prevText = u.text
		for _, sn := range sentences[ui] {
			s, toks := sn.text, sn.toks
			prov := doc.Provenance{Section: u.section, Quote: shortenQuote(s), File: u.file, Line: u.line}
			for _, h := range extractTokens(s, toks, g, ctx) {
				addHP(h, prov)
			}
			for _, name := range findDatasets(toks, lowDoc) {
				addDS(name, prov)
			}
			for _, e := range findMetrics(toks, false, false) {
				addM(e, prov)
			}
		}
	}
	d.Hyperparameters, d.Datasets, d.Metrics = hp, ds, ms
}

// sentence is a sentence of prose and its tokens.
type sentence struct {
	text string
	toks []token
}

// learnTable adds the symbols of a hyperparameter table's row labels to
// the glossary: "Gate penalty $\lambda$" names \lambda.
func learnTable(g *glossary, t *doc.Table) {
	for _, r := range t.Rows {
		if len(r) < 2 {
			continue
		}
		for _, label := range splitCompound(r[0].Text) {
			name, sym, _ := rowName(label, g)
			if sym == "" || name == "" || snakeName(label) == "" {
				continue
			}
			g.add(sym, name, prioTable)
		}
	}
}

// skipTitles are sections whose data sets and settings are other papers'.
var skipTitles = []string{"related work", "related works", "prior work", "previous work", "literature",
	"acknowledg", "broader impact", "societal impact", "ethics", "ethical", "checklist", "author contributions",
	"background", "preliminar"}

// skipTitle reports whether a section's title is one of skipTitles.
func skipTitle(title string) bool {
	low := strings.ToLower(title)
	for _, w := range skipTitles {
		if strings.Contains(low, w) {
			return true
		}
	}
	return false
}

// documentUnits lists the abstract, the paragraphs and the tables in
// document order.
func documentUnits(d *doc.Document) []unit {
	secRank := map[string]int{}
	skipSec := map[string]bool{}
	fileRank := map[string]int{}
	note := func(file string) {
		if _, ok := fileRank[file]; !ok && file != "" {
			fileRank[file] = len(fileRank)
		}
	}
	for _, s := range d.Sections {
		if s.Level > 1 || s.Number == "" {
			note(s.File)
			continue
		}
		if _, ok := secRank[s.Number]; !ok {
			secRank[s.Number] = len(secRank) + 1
		}
		if skipTitle(s.Title) {
			skipSec[s.Number] = true
		}
		note(s.File)
	}
	for _, p := range d.Text {
		note(p.File)
	}
	// An unnumbered section ("Acknowledgements") keeps the number of the
	// section before it: skip by position, up to the next heading of its
	// file.
	type span struct {
		file     string
		from, to int
	}
	var skipSpans []span
	for i, s := range d.Sections {
		if s.Number != "" || s.File == "" || !skipTitle(s.Title) {
			continue
		}
		sp := span{file: s.File, from: s.Line, to: 1 << 30}
		for _, n := range d.Sections[i+1:] {
			if n.File == s.File && n.Line > s.Line && n.Level <= s.Level {
				sp.to = n.Line
				break
			}
		}
		skipSpans = append(skipSpans, sp)
	}
	inSkip := func(file string, line int) bool {
		for _, sp := range skipSpans {
			if file == sp.file && line > sp.from && line < sp.to {
				return true
			}
		}
		return false
	}
	rank := func(sec string) int {
		if r, ok := secRank[sec]; ok {
			return r
		}
		if sec == "" {
			return 0
		}
		return len(secRank) + 1
	}
	frank := func(file string) int {
		if r, ok := fileRank[file]; ok {
			return r
		}
		return 1 << 20
	}
	var units []unit
	if a := strings.TrimSpace(d.Abstract); a != "" {
		units = append(units, unit{text: a, order: [3]int{-1, 0, 0}})
	}
	for _, p := range d.Text {
		units = append(units, unit{section: p.Section, file: p.File, line: p.Line, text: p.Text,
			skip: skipSec[p.Section] || inSkip(p.File, p.Line), order: [3]int{rank(p.Section), frank(p.File), p.Line * 2}})
	}
	for i := range d.Tables {
		t := &d.Tables[i]
		units = append(units, unit{section: t.Section, file: t.File, line: t.Line, table: t,
			skip: skipSec[t.Section] || inSkip(t.File, t.Line), order: [3]int{rank(t.Section), frank(t.File), t.Line*2 + 1}})
	}
	sort.SliceStable(units, func(a, b int) bool {
		x, y := units[a].order, units[b].order
		for k := 0; k < 3; k++ {
			if x[k] != y[k] {
				return x[k] < y[k]
			}
		}
		return false
	})
	return units
}

// piece is a part of a table searched for data sets and metrics.
type piece struct {
	text   string
	header bool
}

// tablePieces returns a table's caption sentences and its header cells.
func tablePieces(t *doc.Table) []piece {
	var out []piece
	capt := t.CaptionFull
	if capt == "" {
		capt = t.Caption
	}
	for _, s := range splitSentences(capt) {
		out = append(out, piece{text: s})
	}
	seen := map[string]bool{}
	for _, r := range t.Rows {
		for _, c := range r {
			txt := strings.TrimSpace(c.Text)
			if !c.Header || txt == "" || seen[txt] {
				continue
			}
			seen[txt] = true
			out = append(out, piece{text: txt, header: true})
		}
	}
	return out
}

// findDatasets returns the data sets a sentence names.
func findDatasets(toks []token, lowDoc string) []string {
	var out []string
	covered := make([]bool, len(toks))
	for _, m := range datasetMatcher.find(toks) {
		e := &datasetMatcher.entries[m.entry]
		if e.gate != nil && !anyContains(lowDoc, e.gate) {
			continue
		}
		out = append(out, e.canon)
		for k := m.from; k < m.to; k++ {
			covered[k] = true
		}
	}
	for _, m := range patternDataset(toks) {
		if anyUsed(covered, m.from, m.to) {
			continue
		}
		var words []string
		for _, t := range toks[m.from:m.to] {
			words = append(words, t.text)
		}
		name := strings.Join(words, " ")
		// "the Hopper-medium dataset" is a variant of a known one.
		if k := strings.IndexAny(name, "-‐ "); k > 0 {
			if known := datasetMatcher.find(lex(name[:k])); len(known) == 1 {
				e := &datasetMatcher.entries[known[0].entry]
				if e.gate == nil || anyContains(lowDoc, e.gate) {
					name = e.canon
				}
			}
		}
		out = append(out, name)
	}
	return out
}

func anyContains(s string, words []string) bool {
	for _, w := range words {
		if containsWord(s, w) {
			return true
		}
	}
	return false
}

// containsWord reports whether s contains w as a whole word.
func containsWord(s, w string) bool {
	for i := 0; ; {
		k := strings.Index(s[i:], w)
		if k < 0 {
			return false
		}
		a, b := i+k, i+k+len(w)
		if (a == 0 || !isAlnum(s[a-1])) && (b == len(s) || !isAlnum(s[b])) {
			return true
		}
		i = a + 1
	}
}

func isAlnum(c byte) bool { return isLetter(c) || isDigit(c) }

// findMetrics returns the metrics a sentence names. A common word
// ("precision", "returns") counts only in a clause that reports or
// compares, or in a table header; a measurement such as inference time
// only in a table's caption or header.
func findMetrics(toks []token, header, inTable bool) []*nameEntry {
	var out []*nameEntry
	for _, m := range metricMatcher.find(toks) {
		e := &metricMatcher.entries[m.entry]
		if e.tableOnly && !inTable {
			continue
		}
		if e.context && !header {
			a, b := clause(toks, m.from)
			ok := false
			for k := a; k < b; k++ {
				if toks[k].kind == kWord && reportWords[toks[k].low] && (k < m.from || k >= m.to) {
					ok = true
				}
			}
			if !ok {
				continue
			}
		}
		out = append(out, e)
	}
	return out
}

// valueKey is a canonical string of a value, for removing duplicates.
func valueKey(v value) string {
	switch x := v.v.(type) {
	case float64:
		return fmtNum(x)
	case []float64:
		parts := make([]string, len(x))
		for i, f := range x {
			parts[i] = fmtNum(f)
		}
		return v.kind + ":" + strings.Join(parts, ",")
	case string:
		return "text:" + strings.ToLower(x)
	}
	return ""
}

// normKey normalises a name for comparison: lower case, letters and digits
// only.
func normKey(s string) string {
	var b strings.Builder
	for _, r := range strings.ToLower(s) {
		if r >= 'a' && r <= 'z' || r >= '0' && r <= '9' || r > 127 {
			b.WriteRune(r)
		}
	}
	return b.String()
}
