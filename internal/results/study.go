package results

import (
	"slices"
	"strconv"
	"strings"

	"github.com/reprohq/repro/doc"
)

// maxStudy is the number of study targets a paper may have; the tables
// past it (the later ones) are left out, with a warning.
const maxStudy = 200

// warnPrefix starts the warnings Extract adds, so that a second call can
// replace them.
const warnPrefix = "benchmark targets: "

// introducesDataset reports whether the paper introduces one of its data
// sets or benchmarks: the name before the title's colon, or a name the
// abstract introduces ("we introduce DataComp, a benchmark"), is one of
// the paper's data sets. Its baseline runs are then its results too.
func introducesDataset(d *doc.Document) bool {
	if len(d.Datasets) == 0 {
		return false
	}
	var cands []string
	title := Printed(d.Title)
	if i := strings.IndexByte(title, ':'); i > 0 {
		if f := strings.Fields(title[:i]); len(f) == 1 {
			cands = append(cands, trimToken(f[0]))
		}
	}
	cands = append(cands, namesInText(d.Abstract)...)
	for _, c := range cands {
		n := norm(c)
		if len(n) < 3 {
			continue
		}
		for _, ds := range d.Datasets {
			if norm(ds.Name) == n {
				return true
			}
		}
	}
	return false
}

// studySkipWords in a caption's first sentence mark a table that a study
// does not report as results: the sizes and parts of a model, the
// properties of data, the machines.
var studySkipWords = []string{
	"statistic", "properties", "number of parameters", "parameter count", "components", "metadata",
	"hardware", "platform", "architecture", "dataset sizes", "data sizes", "overview of",
}

func studySkip(first string) bool {
	for _, w := range studySkipWords {
		if strings.Contains(first, w) {
			return true
		}
	}
	return false
}

// statColumns marks as ignored the data columns of a study's table that
// describe the data or the model rather than measure a run: sizes,
// counts, numbers of parameters.
func statColumns(b *block, role []int) {
	for j := range role {
		if role[j] != colData {
			continue
		}
		hl := headerLabels(b, j)
		if len(hl) == 0 {
			continue
		}
		h := strings.TrimSpace(lowerASCII(hl[len(hl)-1]))
		switch {
		case skipColumn(lowerASCII(strings.Join(hl, " "))): // "Samples" over "seen"
			role[j] = colIgnore
		case strings.HasPrefix(h, "#"), strings.HasPrefix(h, "number of"), strings.HasPrefix(h, "num. "),
			containsWord(h, "size"), containsWord(h, "count"), containsWord(h, "params"), containsWord(h, "parameters"):
			role[j] = colIgnore
		}
	}
}

// resultWords in a caption say that a table reports results.
var resultWords = []string{
	"result", "results", "performance", "performances", "comparison", "compared", "comparing",
	"baseline", "baselines", "accuracy", "accuracies", "error", "errors", "score", "scores",
	"return", "returns", "reward", "rewards",
}

// studySignal reports whether a table that a study reports reads as
// results: its caption names a metric or says results, performance,
// comparison, baselines; or a data column's header names a metric; or
// its numbers have spreads (± or a column of standard deviations).
func studySignal(caption string, plans []plan) bool {
	lower := lowerASCII(caption)
	for _, w := range resultWords {
		if containsWord(lower, w) {
			return true
		}
	}
	if len(captionMetrics(caption)) > 0 {
		return true
	}
	for _, pl := range plans {
		b := pl.b
		for j, r := range pl.role {
			switch r {
			case colStd:
				return true
			case colData:
				for _, h := range headerLabels(b, j) {
					hl := lowerASCII(h)
					if _, ok := arrow(h); ok {
						return true
					}
					if m := findMetric(h, hl); m.ok && !sizeMetric(lowerASCII(m.word)) {
						return true
					}
				}
				for _, row := range b.body {
					if c := cellAt(row, j); c.Value != nil && c.PlusMinus != nil {
						return true
					}
				}
			case colLabel:
				// Metrics as rows ("Accuracy", "Recall").
				for _, row := range b.body {
					t := Printed(cellAt(row, j).Text)
					if m := findMetric(t, lowerASCII(t)); m.ok && !m.generic && len(m.word)*2 > len(t) {
						return true
					}
				}
			}
		}
	}
	return false
}

// sizeMetric: the vocabulary's words for the size of a model, which a
// header may give without the table reporting results.
func sizeMetric(w string) bool {
	switch w {
	case "params", "#params", "# params", "parameters", "flops", "memory":
		return true
	}
	return false
}

// studyLines marks every line of a study's results table as a target line
// (Why "study"): the rows, each with the label of its method column as the
// method; or, when the rows are data sets or metrics and the column headers
// are not, the columns, each with its outermost header that is not a
// number, a data set or a metric ("Fine-tuning" over "10M") as the method,
// else the paper's name that the caption gives ("Baselines using DQN").
// Lines without such a label are not targets.
func (p *paper) studyLines(rows []rowLine, cols []colLine, caption string) (anyRow, anyCol bool) {
	if p.methodsAsColumns(rows, cols) {
		capName := ""
		for i := range cols {
			if k := p.studyHeader(cols[i].labels); k >= 0 {
				cols[i].m, cols[i].ok = line{labels: cols[i].labels, method: k, why: "study"}, true
				anyCol = true
				continue
			}
			if capName == "" {
				capName = p.captionName(caption)
				if capName == "" {
					capName = "-"
				}
			}
			if capName != "-" {
				ls := append(cols[i].labels[:len(cols[i].labels):len(cols[i].labels)], lab{text: capName, lower: lowerASCII(capName), col: -1})
				cols[i].m, cols[i].ok = line{labels: ls, method: len(ls) - 1, why: "study"}, true
				anyCol = true
			}
		}
		return false, anyCol
	}
	mc := methodColumn(rows)
	if mc < 0 {
		return false, false
	}
	for i := range rows {
		for k, l := range rows[i].labels {
			if l.col == mc {
				rows[i].m, rows[i].ok = line{labels: rows[i].labels, method: k, why: "study"}, true
				anyRow = true
				break
			}
		}
	}
	return anyRow, false
}

// dataLabel reports whether a label names a data set or a metric (as
// resolve classifies it): one of the paper's data sets, a label under a
// Dataset/Task/Metric header, a metric word, an arrow, a unit. dataAxis:
// the label is a column header, where generic words ("Score") count.
func (p *paper) dataLabel(l lab, dataAxis bool) bool {
	c := p.classified(l, dataAxis)
	return c.isM || c.ds != ""
}

// methodsAsColumns reports whether a study's block has its methods as
// columns: no column header names a data set or a metric, and every label
// of the rows does, or is a number ("Freeway / m1d0", "Accuracy").
func (p *paper) methodsAsColumns(rows []rowLine, cols []colLine) bool {
	for _, c := range cols {
		for _, l := range c.labels {
			if !l.heading && p.dataLabel(l, true) {
				return false
			}
		}
	}
	data := false
	for _, r := range rows {
		for _, l := range r.labels {
			switch {
			case p.dataLabel(l, false):
				data = true
			case numericSetting(l.text):
			default:
				return false
			}
		}
	}
	return data
}

// methodColumn is the label column that names a study's methods: the
// first one headed Method/Model/..., else, among the columns not headed
// Dataset/Metric/... (all of them when every one is), the one with the
// most distinct labels (then the one whose labels repeat least from a row
// to the next, then the leftmost), the others holding settings and groups
// that repeat ("small", "medium"); its labels must mostly differ
// (a study's rows are its runs), unless a Method header says it. -1 when
// there is none.
func methodColumn(rows []rowLine) int {
	distinct := map[int]map[string]bool{}
	kinded := map[int]bool{}
	repeats, last := map[int]int{}, map[int]string{}
	var order []int
	n := 0
	for _, r := range rows {
		if len(r.labels) > 0 {
			n++
		}
		for _, l := range r.labels {
			if l.col < 0 {
				continue
			}
			if l.kind == kindMethod {
				return l.col
			}
			if distinct[l.col] == nil {
				distinct[l.col] = map[string]bool{}
				order = append(order, l.col)
			}
			distinct[l.col][l.text] = true
			kinded[l.col] = l.kind == kindDataset || l.kind == kindMetric
			if last[l.col] == l.text {
				repeats[l.col]++ // "small" on the rows below: a group
			}
			last[l.col] = l.text
		}
	}
	better := func(c, best int) bool {
		switch {
		case len(distinct[c]) != len(distinct[best]):
			return len(distinct[c]) > len(distinct[best])
		case repeats[c] != repeats[best]:
			return repeats[c] < repeats[best]
		}
		return c < best
	}
	for _, pass := range []bool{false, true} {
		best := -1
		for _, c := range order {
			if kinded[c] != pass || len(distinct[c])*2 < n {
				continue
			}
			if best < 0 || better(c, best) {
				best = c
			}
		}
		if best >= 0 {
			return best
		}
	}
	return -1
}

// studyHeader is the index of a column's outermost header label that can
// name a method: not a number or an assignment ("10M", "k = 2"), not a
// data set or a metric; -1 when there is none.
func (p *paper) studyHeader(labels []lab) int {
	for k, l := range labels {
		if numericSetting(l.text) || l.heading || p.dataLabel(l, true) || isAggregate(l.lower) || placeholder(l.text) {
			continue
		}
		return k
	}
	return -1
}

// numericSetting reports whether a label is a number with at most a unit
// or suffix ("10M", "50", "1e-3"), or an assignment ("k = 2").
func numericSetting(s string) bool {
	digits, letters := 0, 0
	for i := 0; i < len(s); i++ {
		switch c := s[i]; {
		case '0' <= c && c <= '9':
			digits++
		case isLetterByte(c):
			letters++
		}
	}
	return (digits > 0 && letters <= 2) || strings.ContainsAny(s, "=")
}

// captionName is the first of the paper's names that a caption gives, or "".
func (p *paper) captionName(caption string) string {
	lower := lowerASCII(caption)
	for _, n := range p.names {
		if i := wordIndex(lower, n.lower, false); i >= 0 {
			return caption[i : i+len(n.lower)]
		}
	}
	return ""
}

// headline keeps, in a table after the paper's main results table, the
// lines that name the method plainly ("Ours", "SimPLe (ours)", "GateNet
// (full)") when several lines are the method with different qualifiers
// ("Ours, deterministic", "Ours, 100 steps"): a sweep of variants is not
// the paper's headline numbers. Without a plain line, the table gives
// none. A table with one method line keeps it.
func (p *paper) headline(rs []doc.Result, tgs []target) ([]doc.Result, []target) {
	var methods []string
	for _, r := range rs {
		methods = appendOnce(methods, r.Method)
	}
	if len(methods) < 2 {
		return rs, tgs
	}
	plain := map[string]bool{}
	for _, m := range methods {
		plain[m] = p.plainOwn(m)
	}
	k := 0
	for i, r := range rs {
		if plain[r.Method] {
			rs[k], tgs[k] = r, tgs[i]
			k++
		}
	}
	return rs[:k], tgs[:k]
}

// plainOwn reports whether a method label is the method itself, with
// nothing that makes it a variant: its name, an ours marker, a reference
// to an algorithm, or "full" / "default".
func (p *paper) plainOwn(label string) bool {
	lower := lowerASCII(label)
	if strings.HasPrefix(lower, "algorithm ") && numericSetting(lower[len("algorithm "):]) {
		return true
	}
	cut := func(w string) {
		for {
			i := wordIndex(lower, w, false)
			if i < 0 {
				return
			}
			lower = lower[:i] + " " + lower[i+len(w):]
		}
	}
	for _, n := range p.names {
		cut(n.lower)
	}
	for _, w := range []string{"our method", "our approach", "our model", "this work", "this paper", "proposed", "ours"} {
		cut(w)
	}
	rest := strings.Join(strings.FieldsFunc(lower, func(r rune) bool {
		return strings.ContainsRune(" ,;:-–()[]*", r)
	}), " ")
	switch rest {
	case "", "full", "full model", "default", "complete", "final":
		return true
	}
	return false
}

// study adds the targets of a study: the lines of the results tables that
// gave none of the paper's method (skip), at most maxStudy of them in
// all, the first tables first. It returns them by table and warns when
// the cap left some out.
func (p *paper) study(d *doc.Document, skip []bool) ([][]doc.Result, int) {
	found := make([][]doc.Result, len(d.Tables))
	total, cutN := 0, 0
	var cut []string
	var at *doc.Table
	for i := range d.Tables {
		if skip[i] {
			continue
		}
		t := &d.Tables[i]
		if len(cut) > 0 {
			// Past the cap: only how many.
			if n := p.analyze(t, countStudy, true).count; n > 0 {
				cut, cutN = append(cut, t.Number), cutN+n
			}
			continue
		}
		rs := p.analyze(t, findStudy, true).results
		if len(rs) == 0 {
			continue
		}
		switch {
		case total > 0 && total+len(rs) > maxStudy:
			cut, cutN, at = append(cut, t.Number), cutN+len(rs), t
			continue
		case total+len(rs) > maxStudy:
			// The first table alone is too long: its first rows.
			cut, cutN, at = append(cut, t.Number), len(rs)-maxStudy, t
			rs = rs[:maxStudy]
		}
		found[i] = rs
		total += len(rs)
	}
	if cutN > 0 {
		d.Warnings = append(d.Warnings, doc.Warning{File: at.File, Line: at.Line,
			Message: warnPrefix + "kept the first " + strconv.Itoa(total) + " targets of the study's results tables; " + strconv.Itoa(cutN) +
				" more in table(s) " + strings.Join(cut, ", ") + " left out (at most " + strconv.Itoa(maxStudy) + " per paper)"})
	}
	return found, total
}

// methodSettings starts the Setting of each target of a study's table
// with its method when the table has several: targets are matched to a
// reproduction's results by dataset, metric and setting.
func methodSettings(rs []doc.Result, tgs []target) {
	for _, r := range rs[min(1, len(rs)):] {
		if r.Method != rs[0].Method {
			for i := range tgs {
				if !slices.Contains(tgs[i].setting, rs[i].Method) {
					tgs[i].setting = append([]string{rs[i].Method}, tgs[i].setting...)
				}
			}
			return
		}
	}
}
