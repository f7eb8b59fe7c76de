package results

import (
	"math"
	"slices"
	"strconv"
	"strings"

	"github.com/reprohq/repro/doc"
)

// paper is what Extract knows about the paper when it reads a table.
type paper struct {
	names    []name
	datasets []dataset
	metrics  []doc.Metric
	algs     map[string]string // \label of an algorithm -> its number
	refs     map[string]string // every \label -> its number
	memo     map[labKey]cls    // labels classified so far
	// dcBuf and ocBuf are resolve's scratch space.
	dcBuf, ocBuf []cls
	kinds        map[string]string // every \label -> its kind (algorithm, table, ...)
}

type dataset struct{ name, lower, norm string }

// block is one header and the body rows under it; a table whose header
// comes back in the middle holds several blocks (sub-tables).
type block struct {
	header [][]doc.Cell
	body   [][]doc.Cell
	width  int
	labels [][]string // headerLabels by column, filled on first use
	// sections holds the sectionText of each body row, filled on first use.
	sections []string
}

// section is the text of body row i when it is a section row, else "".
func (b *block) section(i int) string {
	if b.sections == nil {
		b.sections = make([]string, len(b.body))
		for k, r := range b.body {
			b.sections[k] = sectionText(r)
		}
	}
	return b.sections[i]
}

// Column roles.
const (
	colEmpty  = iota
	colLabel  // text: method names, datasets, settings
	colData   // numbers
	colStd    // the standard deviations of the column before, "(0.3)"
	colIgnore // numbers that are not results: p-values, years, data sizes
)

// lab is one label of a row or a column.
type lab struct {
	text    string // as printed
	lower   string
	bold    bool
	kind    int    // from the header of its label column
	section bool   // from a section row ("Omniglot" above its rows)
	col     int    // the label column it is in, -1 for a section or header label
	alg     string // "Algorithm N" when the label refers to one of the paper's algorithms
	// heading: a header that only names the kind of the labels below it
	// ("Dataset" over "Enzymes"); it is not a dataset, metric or setting.
	heading bool
}

// newLab makes a label from a cell's printed text, with the paper's
// references resolved ("Equation [eq:x]" → "Equation 3").
func (p *paper) newLab(text string, bold bool, kind, col int) lab {
	l := lab{bold: bold, kind: kind, col: col}
	l.alg, _ = p.algRef(text)
	l.text = p.resolveRefs(text)
	l.lower = lowerASCII(l.text)
	return l
}

// resolveRefs replaces the references the reader prints as "[key]" with
// the numbers LaTeX gives them.
func (p *paper) resolveRefs(text string) string {
	if len(p.refs) == 0 || strings.IndexByte(text, '[') < 0 {
		return text
	}
	// A reference standing alone was a \Cref: "Algorithm 1".
	if strings.HasPrefix(text, "[") && strings.HasSuffix(text, "]") && strings.Count(text, "[") == 1 {
		if k, ok := p.kinds[text[1:len(text)-1]]; ok && k != "" {
			return strings.ToUpper(k[:1]) + k[1:] + " " + p.refs[text[1:len(text)-1]]
		}
	}
	var b strings.Builder
	rest := text
	for {
		i := strings.IndexByte(rest, '[')
		if i < 0 {
			break
		}
		j := strings.IndexByte(rest[i:], ']')
		if j < 0 {
			break
		}
		n, ok := p.refs[rest[i+1:i+j]]
		b.WriteString(rest[:i])
		if ok {
			b.WriteString(n)
		} else {
			b.WriteString(rest[i : i+j+1])
		}
		rest = rest[i+j+1:]
	}
	b.WriteString(rest)
	return b.String()
}

// line is a row (or, in a transposed table, a column) of the paper's method.
type line struct {
	labels []lab
	method int    // index of the label naming the method
	why    string // ours, name, bold-label, study
	bare   bool   // recognised by a bare "ours" cell only
	byName bool   // recognised by a name
	alg    string // the method is "Algorithm N"
	// weakOnly lines are recognised by a weak name only; byWeak lines
	// hold a weak name (matched or not).
	weakOnly, byWeak bool
}

// analyzed is what one table gives.
type analyzed struct {
	results   []doc.Result
	isResults bool // the table reads as a results table
	weakSeen  bool // a label holds a weak name
	// matched: a line of the table is the paper's method (before the
	// variants of a table other than the main one are dropped).
	matched bool
	count   int // the targets, with countStudy (results is then empty)
}

// How analyze finds the lines whose cells are targets.
const (
	findStrong = iota // the method's names, ours, references, bold labels
	findWeak          // and the weak names
	findStudy         // every line: the results table of a study (Why "study")
	countStudy        // as findStudy, counting the targets only (analyzed.count)
)

// plan is a block of a table that holds numbers, with the roles and kinds
// of its columns.
type plan struct {
	b     *block
	role  []int
	kinds []int
	start string // a dataset named in the label column's header
}

// labelsHold reports whether a label of the blocks' label columns holds a
// word (in any case).
func labelsHold(plans []plan, word string) bool {
	w := lowerASCII(word)
	for _, pl := range plans {
		for _, r := range pl.b.body {
			for j, role := range pl.role {
				if role == colLabel && j < len(r) && r[j].Text != "" && wordIndex(lowerASCII(Printed(r[j].Text)), w, false) >= 0 {
					return true
				}
			}
		}
	}
	return false
}

// rowLine is a body row of a block: its labels, its section and whether
// it is a target line.
type rowLine struct {
	r       []doc.Cell
	labels  []lab
	section string
	m       line
	ok      bool
}

// colLine is a data column of a block with its header labels.
type colLine struct {
	j      int
	labels []lab
	m      line
	ok     bool
}

func cellAt(r []doc.Cell, j int) doc.Cell {
	if j < len(r) {
		return r[j]
	}
	return doc.Cell{}
}

// placeholder reports whether a cell stands for a missing value.
func placeholder(t string) bool {
	switch strings.Trim(t, " $*") {
	case "", "-", "--", "---", "–", "—", "N/A", "n/a", "NA", "n.a.", "×", "✗", "✓", "?", "\\times", "-/-", "/", "\\text{-}", "\\textendash", "\\textemdash":
		return true
	}
	return false
}

// splitBlocks cuts a table into blocks at header rows that follow body rows.
func splitBlocks(rows [][]doc.Cell) []block {
	var blocks []block
	var cur block
	inBody := false
	for _, r := range rows {
		distinct, nonEmpty, allHeader, values := rowShape(r)
		if nonEmpty == 0 || allSpanned(r) {
			continue // a row that only continues the \multirow cells above
		}
		header := false
		switch {
		case inBody && distinct == 1 && values == 0:
			header = false // a section row
		case allHeader:
			header = true
		case !inBody && values == 0 && distinct >= 2:
			header = true
		case inBody && values == 0 && distinct >= 2 && (fullText(r) || repeatsHeader(r, cur.header)):
			header = true // the header of a second sub-table
		}
		if header {
			if inBody {
				blocks = append(blocks, cur)
				cur, inBody = block{}, false
			}
			cur.header = append(cur.header, r)
		} else {
			cur.body = append(cur.body, r)
			inBody = true
		}
		cur.width = max(cur.width, len(r))
	}
	if len(cur.body) > 0 || len(cur.header) > 0 {
		blocks = append(blocks, cur)
	}
	return blocks
}

// allSpanned reports whether every non-empty cell of a row is covered by a
// cell above or beside it.
func allSpanned(r []doc.Cell) bool {
	for _, c := range r {
		if !c.Spanned && strings.TrimSpace(c.Text) != "" {
			return false
		}
	}
	return true
}

// rowShape counts a row's distinct non-empty texts and non-empty cells,
// whether all its non-empty cells are header cells, and its numbers.
func rowShape(r []doc.Cell) (distinct, nonEmpty int, allHeader bool, values int) {
	allHeader = true
	var first string
	for _, c := range r {
		t := strings.TrimSpace(c.Text)
		if t == "" {
			continue
		}
		nonEmpty++
		if !c.Header {
			allHeader = false
		}
		if c.Value != nil && !c.Spanned {
			values++
		}
		if distinct == 0 {
			first, distinct = t, 1
		} else if t != first && distinct == 1 {
			distinct = 2
		}
	}
	return distinct, nonEmpty, allHeader && nonEmpty > 0, values
}

// fullText reports whether every cell of a row holds text (no number, no
// placeholder, no blank).
func fullText(r []doc.Cell) bool {
	for _, c := range r {
		if t := strings.TrimSpace(c.Text); t == "" || placeholder(t) || c.Value != nil {
			return false
		}
	}
	return len(r) > 1
}

// repeatsHeader reports whether a row starts as one of the header rows does
// ("Method & en-de & en-fr" under "Method & CIFAR-10 & CIFAR-100").
func repeatsHeader(r []doc.Cell, header [][]doc.Cell) bool {
	if len(r) == 0 {
		return false
	}
	first := strings.TrimSpace(r[0].Text)
	if first == "" {
		return false
	}
	for _, h := range header {
		if len(h) > 0 && strings.TrimSpace(h[0].Text) == first {
			return true
		}
	}
	return false
}

// sectionText is the text of a section row (one text, no number), or "".
func sectionText(r []doc.Cell) string {
	distinct, _, _, values := rowShape(r)
	if distinct != 1 || values != 0 {
		return ""
	}
	for _, c := range r {
		if t := strings.TrimSpace(c.Text); t != "" {
			return Printed(t)
		}
	}
	return ""
}

// headerLabels are the header texts above column j, top down, each once.
func headerLabels(b *block, j int) []string {
	if b.labels == nil {
		b.labels = make([][]string, b.width)
		for k := range b.labels {
			b.labels[k] = computeHeaderLabels(b, k)
		}
	}
	if j < len(b.labels) {
		return b.labels[j]
	}
	return nil
}

func computeHeaderLabels(b *block, j int) []string {
	var out []string
	for _, h := range b.header {
		t := Printed(cellAt(h, j).Text)
		if t == "" || placeholder(t) {
			continue
		}
		if len(out) > 0 && out[len(out)-1] == t {
			continue
		}
		out = append(out, t)
	}
	return out
}

func parenthesized(t string) bool {
	t = strings.Trim(strings.TrimSpace(t), "$")
	return strings.HasPrefix(t, "(") && strings.HasSuffix(t, ")")
}

// roles decides what each column of a block holds.
func roles(b *block) []int {
	role := make([]int, b.width)
	paren := make([]int, b.width)
	numeric := make([]int, b.width)
	numberish := make([]int, b.width)
	for j := 0; j < b.width; j++ {
		nonEmpty := 0
		for i, r := range b.body {
			if b.section(i) != "" {
				continue
			}
			c := cellAt(r, j)
			t := strings.TrimSpace(c.Text)
			if placeholder(t) {
				continue
			}
			nonEmpty++
			if numberLike(t) {
				numberish[j]++
			}
			if c.Value != nil {
				numeric[j]++
				if parenthesized(t) {
					paren[j]++
				}
			}
		}
		switch {
		case numeric[j] > 0 && numeric[j]*2 >= nonEmpty:
			role[j] = colData
		case nonEmpty > 0 && numberish[j]*2 > nonEmpty:
			role[j] = colIgnore // "56.81/79.51", "<0.0001": numbers the reader does not read
		case nonEmpty > 0:
			role[j] = colLabel
			for _, h := range headerLabels(b, j) {
				if skipColumn(lowerASCII(h)) {
					role[j] = colIgnore
				}
			}
		}
	}
	prevData := -1
	for j := 0; j < b.width; j++ {
		if role[j] != colData {
			continue
		}
		hl := headerLabels(b, j)
		switch {
		case len(hl) > 0 && isStdHeader(lowerASCII(hl[len(hl)-1])) && prevData >= 0:
			role[j] = colStd
			continue
		case prevData == j-1 && prevData >= 0 && paren[j]*5 >= numeric[j]*4 && sameLabels(hl, headerLabels(b, prevData)):
			role[j] = colStd
			continue
		}
		for _, h := range hl {
			if skipColumn(lowerASCII(h)) {
				role[j] = colIgnore
			}
		}
		if role[j] == colData {
			prevData = j
		}
	}
	return role
}

func isStdHeader(lower string) bool {
	switch strings.Trim(lower, " ()$") {
	case "std", "sd", "±", "± std", "stdev", "std.", "s.d.", "std. dev.", "stderr", "sem", "s.e.", "se", "(std)":
		return true
	}
	return false
}

func sameLabels(a, b []string) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

// analyze reads one table. how says which lines are targets (findStrong,
// findWeak, findStudy); with variants false (a table after the paper's main
// results table), lines that qualify the method ("Ours, deterministic",
// "Muse (base model)") are kept only when no line names it plainly, and
// then dropped (see headline).
func (p *paper) analyze(t *doc.Table, how int, variants bool) analyzed {
	weak, study, countOnly := how == findWeak, how >= findStudy, how == countStudy
	caption := t.CaptionFull
	if caption == "" {
		caption = t.Caption
	}
	caption = Printed(caption)
	first := strings.ToLower(firstSentence(caption))
	for _, w := range skipCaption {
		if strings.Contains(first, w) {
			return analyzed{}
		}
	}
	if study && studySkip(first) {
		return analyzed{}
	}
	var out analyzed
	blocks := splitBlocks(withUnits(t.Rows))
	var plans []plan
	for i := range blocks {
		b := &blocks[i]
		if len(b.body) == 0 {
			continue
		}
		role := roles(b)
		if study {
			statColumns(b, role)
		}
		kinds := make([]int, b.width)
		data, values := 0, 0
		skip := false
		start := ""
		firstLabel := -1
		for j := 0; j < b.width; j++ {
			switch role[j] {
			case colData:
				data++
				for _, r := range b.body {
					if c := cellAt(r, j); c.Value != nil && !c.Spanned {
						values++
					}
				}
			case colLabel:
				if firstLabel < 0 {
					firstLabel = j
				}
				for _, h := range headerLabels(b, j) {
					lower := lowerASCII(h)
					if k := columnKind(h); k != kindNone && kinds[j] == kindNone {
						kinds[j] = k
					}
					if skipHeaders[strings.Trim(lower, " :")] && data == 0 {
						skip = true
					}
					if j == firstLabel && kinds[j] == kindNone && start == "" && p.datasetIn(lower) != "" {
						start = h
					}
				}
			}
		}
		if skip || data == 0 || values < 2 {
			continue
		}
		plans = append(plans, plan{b, role, kinds, start})
	}
	if len(plans) == 0 {
		return out
	}
	if study && !studySignal(caption, plans) {
		return out
	}
	out.isResults = true
	var info *captionInfo // read when a target needs it
	capInfo := func() *captionInfo {
		if info == nil {
			info = p.readCaption(caption)
			// A metric the caption names that is also in the rows' labels
			// is a method ("CLIP score (L/14 30%)" filtering), not the
			// table's metric.
			ms := info.metrics[:0:0]
			for _, m := range info.metrics {
				if !labelsHold(plans, m.word) {
					ms = append(ms, m)
				}
			}
			info.metrics = ms
		}
		return info
	}

	var targets []target
	for bi, pl := range plans {
		b := pl.b
		// The rows: labels, section labels, matches.
		var rows []rowLine
		section := pl.start
		for i, r := range b.body {
			if s := b.section(i); s != "" {
				section = p.resolveRefs(s)
				continue
			}
			ri := rowLine{r: r, section: section}
			for j := 0; j < b.width; j++ {
				if pl.role[j] != colLabel {
					continue
				}
				c := cellAt(r, j)
				text := Printed(c.Text)
				if text == "" || placeholder(text) {
					continue
				}
				ri.labels = append(ri.labels, p.newLab(text, c.Bold, pl.kinds[j], j))
			}
			rows = append(rows, ri)
		}
		// The data columns and their headers.
		var cols []colLine
		for j := 0; j < b.width; j++ {
			if pl.role[j] != colData {
				continue
			}
			ci := colLine{j: j}
			kind := kindNone
			for _, h := range headerLabels(b, j) {
				l := p.newLab(h, false, kind, -1)
				kind = kindNone
				// "Dataset" over "Enzymes": the label below is a data set.
				if kindWords[strings.Trim(l.lower, " :")] == kindDataset && l.lower != "data" {
					l.heading, kind = true, kindDataset
				}
				ci.labels = append(ci.labels, l)
			}
			cols = append(cols, ci)
		}
		// Which rows, or else which columns, are the paper's method (or,
		// in a study, the lines of the table).
		var anyRow, anyCol bool
		if study {
			anyRow, anyCol = p.studyLines(rows, cols, caption)
		} else {
			var weakSeen bool
			anyRow, anyCol, weakSeen = p.ownLines(rows, cols, weak)
			out.weakSeen = out.weakSeen || weakSeen
		}

		// Each row's and each column's labels as printed, once.
		rowText := make([]string, len(rows))
		for i, ri := range rows {
			var ls []string
			if ri.section != "" {
				ls = append(ls, ri.section)
			}
			for _, l := range ri.labels {
				ls = appendOnce(ls, l.text)
			}
			rowText[i] = strings.Join(ls, " / ")
		}
		colText := make([]string, len(cols))
		for i, col := range cols {
			var ls []string
			for _, l := range col.labels {
				ls = appendOnce(ls, l.text)
			}
			colText[i] = strings.Join(ls, " / ")
		}
		// Room for the block's targets.
		n := 0
		for _, row := range rows {
			for _, col := range cols {
				if (anyRow && row.ok) || (anyCol && col.ok) {
					n++
				}
			}
		}
		targets = slices.Grow(targets, n)
		out.results = slices.Grow(out.results, n)
		var buf []lab
		for ri, row := range rows {
			var rowOther []lab // the other labels of a matched row
			if anyRow && row.ok {
				rowOther = otherLabels(row.labels, row.m.method)
				if row.section != "" {
					rowOther = append([]lab{{text: row.section, lower: lowerASCII(row.section), section: true, col: -1}}, rowOther...)
				}
			}
			for ci, col := range cols {
				var m line
				var data, other []lab
				switch {
				case anyRow && row.ok:
					m, data, other = row.m, col.labels, rowOther
				case anyCol && col.ok:
					m = col.m
					buf = buf[:0]
					if row.section != "" {
						buf = append(buf, lab{text: row.section, lower: lowerASCII(row.section), section: true, col: -1})
					}
					buf = append(buf, row.labels...)
					data = buf
					other = otherLabels(m.labels, m.method)
				default:
					continue
				}
				c := cellAt(row.r, col.j)
				if c.Spanned || c.Value == nil || math.IsNaN(*c.Value) || math.IsInf(*c.Value, 0) {
					continue
				}
				if countOnly {
					out.count++
					continue
				}
				raw := Printed(c.Text)
				targets = append(targets, target{block: bi, col: col.j, span: spanStart(b, col.j)})
				out.results = append(out.results, doc.Result{})
				tg, res := &targets[len(targets)-1], &out.results[len(out.results)-1]
				*res = doc.Result{
					Method:    m.labels[m.method].text,
					Value:     scaled(*c.Value, raw),
					Raw:       raw,
					PlusMinus: c.PlusMinus,
					Bold:      c.Bold,
					Why:       m.why,
					Row:       rowText[ri],
					Column:    colText[ci],
					Source:    doc.Provenance{Section: t.Section, Table: t.Number, Quote: t.Caption, File: t.File, Line: t.Line},
				}
				if m.alg != "" {
					res.Method = m.alg
				}
				// The standard deviation printed in the next column, "(0.3)".
				if j := col.j + 1; j < b.width && pl.role[j] == colStd && res.PlusMinus == nil {
					if sc := cellAt(row.r, j); sc.Value != nil && !sc.Spanned {
						v := math.Abs(*sc.Value)
						res.PlusMinus = &v
					}
				}
				p.resolve(res, tg, data, other, capInfo(), bi, len(plans))
			}
		}
	}
	out.matched = len(out.results) > 0
	if !variants && !study {
		out.results, targets = p.headline(out.results, targets)
	}
	// Setting: the labels of the method's rows that are not the same for
	// all the table's targets (a resolution, a model size).
	count := map[string]int{}
	for _, tg := range targets {
		seen := map[string]bool{}
		for _, o := range tg.other {
			if !seen[o] {
				seen[o] = true
				count[o]++
			}
		}
	}
	for i := range targets {
		tg := &targets[i]
		for _, o := range tg.other {
			if count[o] < len(targets) {
				tg.setting = appendOnce(tg.setting, o)
			}
		}
	}
	if study {
		methodSettings(out.results, targets)
	}
	p.distinguish(out.results, targets)
	for i := range targets {
		out.results[i].Setting = strings.Join(targets[i].setting, " / ")
	}
	return out
}

// ownLines marks the rows, or else the columns, of a block that are the
// paper's method; weakSeen reports a label holding a weak name.
func (p *paper) ownLines(rows []rowLine, cols []colLine, weak bool) (anyRow, anyCol, weakSeen bool) {
	for i := range rows {
		rows[i].m, rows[i].ok = p.match(rows[i].labels, weak)
		if rows[i].ok && rows[i].m.weakOnly {
			var cells []doc.Cell
			for _, c := range cols {
				cells = append(cells, cellAt(rows[i].r, c.j))
			}
			rows[i].ok = mostlyBold(cells)
		}
		anyRow = anyRow || rows[i].ok
		weakSeen = weakSeen || rows[i].m.byWeak
	}
	if !anyRow {
		for i := range cols {
			cols[i].m, cols[i].ok = p.match(cols[i].labels, weak)
			if cols[i].ok && cols[i].m.weakOnly {
				var cells []doc.Cell
				for _, r := range rows {
					cells = append(cells, cellAt(r.r, cols[i].j))
				}
				cols[i].ok = mostlyBold(cells)
			}
			anyCol = anyCol || cols[i].ok
			weakSeen = weakSeen || cols[i].m.byWeak
		}
	}
	if !anyRow && !anyCol {
		// A bold method label among plain ones.
		anyRow = boldRows(func(i int) []lab { return rows[i].labels }, func(i int, m line) { rows[i].m, rows[i].ok = m, true }, len(rows))
	}
	// A bare "ours" cell loses to a line that names the method.
	dropBare := func(ms []*line, oks []*bool) {
		named := false
		for k, m := range ms {
			named = named || (*oks[k] && m.byName) || m.byWeak
		}
		if !named {
			return
		}
		for k, m := range ms {
			if *oks[k] && m.bare && !m.byName && !m.byWeak {
				*oks[k] = false
			}
		}
	}
	if anyRow {
		var ms []*line
		var oks []*bool
		for i := range rows {
			ms, oks = append(ms, &rows[i].m), append(oks, &rows[i].ok)
		}
		dropBare(ms, oks)
	} else if anyCol {
		var ms []*line
		var oks []*bool
		for i := range cols {
			ms, oks = append(ms, &cols[i].m), append(oks, &cols[i].ok)
		}
		dropBare(ms, oks)
	}
	return anyRow, anyCol, weakSeen
}

// target is what a result being built needs besides its doc.Result: the
// labels that may go to Setting and its place in the table.
type target struct {
	setting []string // from the data axis: always kept
	other   []string // from the method's axis: kept when they vary
	block   int      // the sub-table
	col     int      // the column
	span    int      // the first column of the header span above it
}

// distinguish makes the Settings of a table's targets tell apart the
// targets that share a dataset and a metric: by the method's variant when
// the methods differ ("TinyFormer, λ = 0" and "TinyFormer, λ = 0.5" give
// "λ = 0" and "λ = 0.5"), else by the sub-table ("part 2") or by the place
// of the column under a header that spans several ("left", "right").
func (p *paper) distinguish(results []doc.Result, targets []target) {
	if len(targets) < 2 {
		return
	}
	type key struct{ dataset, metric, setting string }
	groups := func() [][]int {
		index := map[key]int{}
		var g [][]int
		for i, tg := range targets {
			k := key{results[i].Dataset, results[i].Metric, strings.Join(tg.setting, " / ")}
			n, ok := index[k]
			if !ok {
				n = len(g)
				index[k] = n
				g = append(g, nil)
			}
			g[n] = append(g[n], i)
		}
		return g
	}
	variants := map[string]string{}
	for _, idx := range groups() {
		if len(idx) < 2 {
			continue
		}
		first, same := results[idx[0]].Method, true
		for _, i := range idx[1:] {
			same = same && results[i].Method == first
		}
		if same {
			continue
		}
		for _, i := range idx {
			m := results[i].Method
			v, ok := variants[m]
			if !ok {
				v = p.variant(m)
				variants[m] = v
			}
			targets[i].setting = append([]string{v}, targets[i].setting...)
		}
	}
	for _, idx := range groups() {
		if len(idx) < 2 {
			continue
		}
		blocks := map[int]bool{}
		for _, i := range idx {
			blocks[targets[i].block] = true
		}
		if len(blocks) == len(idx) {
			for _, i := range idx {
				targets[i].setting = append(targets[i].setting, "part "+strconv.Itoa(targets[i].block+1))
			}
			continue
		}
		// Columns under one spanning header: their place in the span.
		bySpan := map[[2]int][]int{}
		var spans [][2]int
		for _, i := range idx {
			k := [2]int{targets[i].block, targets[i].span}
			if _, ok := bySpan[k]; !ok {
				spans = append(spans, k)
			}
			bySpan[k] = append(bySpan[k], i)
		}
		for _, k := range spans {
			is := bySpan[k]
			if len(is) < 2 {
				continue
			}
			for n, i := range is {
				place := "column " + strconv.Itoa(n+1) + " of " + strconv.Itoa(len(is))
				if len(is) == 2 {
					place = [2]string{"left", "right"}[n]
				}
				targets[i].setting = append(targets[i].setting, place)
			}
		}
	}
}

// variant is what a method's label adds to the method's name: "λ = 0" for
// "TinyFormer, λ = 0", "base model" for "Muse (base model)", "GPT2" for
// "GPT2 (ours)"; the whole label when it adds nothing.
func (p *paper) variant(method string) string {
	orig := method
	lower := lowerASCII(method)
	cut := func(at, n int) {
		method = method[:at] + method[at+n:]
		lower = lower[:at] + lower[at+n:]
	}
	for _, n := range p.names {
		if i := wordIndex(lower, n.lower, false); i >= 0 {
			cut(i, len(n.lower))
			break
		}
	}
	for _, w := range []string{"(ours)", "ours", "(proposed)", "proposed"} {
		if i := wordIndex(lower, w, false); i >= 0 {
			cut(i, len(w))
		}
	}
	v := strings.TrimSpace(strings.Trim(strings.TrimSpace(method), ",;:-–()[] "))
	if strings.HasPrefix(v, "(") && strings.HasSuffix(v, ")") {
		v = v[1 : len(v)-1]
	}
	if v == "" || strings.Count(v, "(") != strings.Count(v, ")") {
		return orig
	}
	return v
}

func appendOnce(list []string, s string) []string {
	for _, x := range list {
		if x == s {
			return list
		}
	}
	return append(list, s)
}

// otherLabels are a line's labels other than the method's, without the
// group labels ("Baselines", "Ours").
func otherLabels(labels []lab, method int) []lab {
	var out []lab
	for k, l := range labels {
		if k == method || groupWords[strings.Trim(l.lower, " :()")] || bareMarker(l.lower) || l.text == labels[method].text {
			continue
		}
		out = append(out, l)
	}
	return out
}

// match decides whether a line's labels name the paper's method. The line
// is returned even when it does not match, with byWeak set when a weak
// name is among its labels.
func (p *paper) match(labels []lab, weak bool) (line, bool) {
	m := line{labels: labels, method: -1}
	if len(labels) == 0 {
		return m, false
	}
	for _, l := range labels {
		if matchNameWeak(l.lower, p.names) {
			m.byWeak = true
		}
		if isAblation(l.lower) {
			return line{}, false
		}
	}
	for k, l := range labels {
		if hasOurs(l.lower) {
			m.method, m.why = k, "ours"
			m.bare = bareMarker(l.lower)
			break
		}
	}
	for k, l := range labels {
		if n := l.alg; n != "" {
			if m.method < 0 || m.bare {
				if m.method < 0 {
					m.why = "name"
				}
				m.method, m.bare = k, false
			}
			m.byName, m.alg = true, n
			break
		}
		_, strong := matchName(l.lower, p.names, false)
		if strong || (weak && matchNameWeak(l.lower, p.names)) {
			if m.method < 0 || m.bare {
				if m.method < 0 {
					m.why = "name"
				}
				m.method, m.bare = k, false
			}
			m.byName, m.weakOnly = true, !strong
			break
		}
	}
	if m.method < 0 {
		return m, false
	}
	// "Ours" as a group label: the row's own label names the method.
	if m.bare && len(labels) > 1 {
		for k := len(labels) - 1; k >= 0; k-- {
			l := labels[k]
			if k == m.method || bareMarker(l.lower) || groupWords[strings.Trim(l.lower, " :()")] || l.kind == kindDataset || l.kind == kindMetric {
				continue
			}
			m.method = k
			break
		}
	}
	return m, true
}

func matchNameWeak(lower string, names []name) bool {
	_, ok := matchName(lower, names, true)
	return ok
}

// algRef recognises a reference to one of the paper's algorithms as a
// label ("[alg:full]", as the reader prints \Cref{alg:full}), and returns
// "Algorithm N".
func (p *paper) algRef(text string) (string, bool) {
	if len(p.algs) == 0 {
		return "", false
	}
	i := strings.IndexByte(text, '[')
	if i < 0 {
		return "", false
	}
	j := strings.IndexByte(text[i:], ']')
	if j < 0 {
		return "", false
	}
	if n, ok := p.algs[text[i+1:i+j]]; ok {
		return "Algorithm " + n, true
	}
	return "", false
}

// boldRows marks the rows whose method label is bold when few are: the
// first label column with both bold and plain labels.
func boldRows(labels func(int) []lab, mark func(int, line), n int) bool {
	if n < 3 {
		return false
	}
	// The method column: the first label column of kind method, else the first.
	col := -1
	for i := 0; i < n && col < 0; i++ {
		for _, l := range labels(i) {
			if l.kind == kindMethod {
				col = l.col
				break
			}
		}
	}
	if col < 0 {
		for i := 0; i < n && col < 0; i++ {
			if ls := labels(i); len(ls) > 0 {
				col = ls[0].col
			}
		}
	}
	if col < 0 {
		return false
	}
	var bold []int
	plain := 0
	for i := 0; i < n; i++ {
		for _, l := range labels(i) {
			if l.col != col {
				continue
			}
			if l.bold {
				bold = append(bold, i)
			} else {
				plain++
			}
		}
	}
	if len(bold) == 0 || len(bold)*3 > n || plain == 0 {
		return false
	}
	for _, i := range bold {
		ls := labels(i)
		for k, l := range ls {
			if l.col == col {
				switch strings.Trim(l.lower, " :") {
				case "total", "average", "mean", "avg", "avg.", "human", "random", "oracle", "best", "median", "all", "sum":
					continue
				}
				if isAblation(l.lower) {
					continue
				}
				mark(i, line{labels: ls, method: k, why: "bold-label"})
			}
		}
	}
	return true
}

// captionInfo is what a table's caption says, for resolve.
type captionInfo struct {
	metrics []metricMatch
	dataset string
	dir     bool
	dirOK   bool
	percent bool
}

func (p *paper) readCaption(caption string) *captionInfo {
	c := &captionInfo{metrics: captionMetrics(firstSentence(caption))}
	if len(c.metrics) == 0 {
		c.metrics = captionMetrics(caption)
	}
	lower := lowerASCII(caption)
	c.dataset = p.captionDataset(caption)
	c.dir, c.dirOK = betterWords(lower)
	c.percent = strings.Contains(caption, "(%)") || strings.Contains(lower, "in percent") ||
		strings.Contains(caption, "in %") || strings.Contains(lower, "percentage")
	return c
}

// cls is a label as resolve classifies it.
type cls struct {
	lab
	ds string // the data set it names
	// dsMatched: ds is one of the paper's data sets (not only the label
	// of a Dataset column).
	dsMatched bool
	metric    metricMatch
	arrowUp   bool // ↑ (with arrowOK)
	arrowOK   bool // the label has a direction mark
	isM       bool
	agg       bool
	setting   bool
	used      bool
}

type labKey struct {
	text     string
	kind     int
	section  bool
	dataAxis bool
}

// resolve names a target's dataset, metric and setting from the labels of
// its data axis (the column headers, or the row labels of a transposed
// table), the other labels of the method's line, and the caption.
func (p *paper) resolve(r *doc.Result, tg *target, data, other []lab, info *captionInfo, block, blocks int) {
	classify := p.classified
	dc, oc := p.dcBuf[:0], p.ocBuf[:0] // scratch space, not kept
	defer func() { p.dcBuf, p.ocBuf = dc[:0], oc[:0] }()
	for _, l := range data {
		if !l.heading {
			dc = append(dc, classify(l, true))
		}
	}
	for _, l := range other {
		oc = append(oc, classify(l, false))
	}
	// The metric: the innermost metric label of the data axis, else one of
	// the method's line (a "Metric" column), else the caption's.
	var metric *cls
	for i := len(dc) - 1; i >= 0; i-- {
		if dc[i].isM && !dc[i].agg {
			metric = &dc[i]
			break
		}
	}
	if metric == nil {
		for i := range oc {
			if oc[i].isM && (oc[i].kind == kindMetric || !oc[i].metric.generic) && oc[i].ds == "" && !oc[i].agg {
				metric = &oc[i]
				break
			}
		}
	}
	var mm metricMatch
	switch {
	case metric != nil:
		metric.used = true
		r.Metric = stripArrows(metric.text)
		mm = metric.metric
		if metric.ds != "" && metric.kind != kindMetric {
			metric.ds = "" // "ImageNet acc.": the metric; the data set below
			if ds := p.datasetIn(metric.lower); ds != "" {
				r.Dataset = ds
			}
		}
	case len(info.metrics) > 0:
		k := 0
		if len(info.metrics) == blocks && blocks > 1 {
			k = block
		}
		mm = info.metrics[k]
		r.Metric = mm.word
		// A "min" column of "minimum and average return": the return.
		for _, c := range dc {
			if c.agg {
				if f := strings.Fields(r.Metric); len(f) > 1 && aggregateWords[lowerASCII(f[0])] {
					r.Metric = strings.Join(f[1:], " ")
				}
				break
			}
		}
	}
	// The data set.
	if r.Dataset == "" {
		pick := func(cs []cls, cond func(c *cls) bool) bool {
			for i := range cs {
				if !cs[i].used && cond(&cs[i]) {
					cs[i].used = true
					r.Dataset = cs[i].text
					return true
				}
			}
			return false
		}
		named := func(c *cls) bool { return c.dsMatched && !c.isM }
		kinded := func(c *cls) bool { return c.ds != "" && !c.isM }
		section := func(c *cls) bool { return c.section && !c.isM && !c.setting && !c.agg }
		unknown := func(c *cls) bool { return !c.isM && !c.setting && !c.agg && c.kind != kindMethod }
		switch {
		case pick(dc, named), pick(oc, named), pick(dc, kinded), pick(oc, kinded), pick(dc, section), pick(oc, section):
		case info.dataset != "":
			r.Dataset = info.dataset
		default:
			pick(dc, unknown)
		}
	}
	// Setting: the data axis's other labels.
	for _, c := range dc {
		if !c.used {
			tg.setting = appendOnce(tg.setting, c.text)
		}
	}
	for _, c := range oc {
		if !c.used {
			tg.other = append(tg.other, c.text)
		}
	}
	// The direction: an arrow in the headers, "higher is better" in the
	// caption, or the metric's usual sense.
	for _, c := range dc {
		if c.arrowOK {
			h := c.arrowUp
			r.HigherIsBetter, r.Direction = &h, "arrow"
			break
		}
	}
	if r.Direction == "" && info.dirOK {
		h := info.dir
		r.HigherIsBetter, r.Direction = &h, "arrow"
	}
	if r.Direction == "" {
		if mm.ok && !mm.noDir {
			h := mm.higher
			r.HigherIsBetter, r.Direction = &h, "metric"
		} else if metric != nil && !mm.ok {
			if h := p.metricDirection(metric.lower); h != nil {
				r.HigherIsBetter, r.Direction = h, "metric"
			}
		}
	}
	// Percent: a % sign in the cell or its headers, or a percentage metric
	// whose values exceed 1.
	pct := strings.Contains(r.Raw, "%") || info.percent
	for _, c := range dc {
		pct = pct || strings.Contains(c.text, "%")
	}
	if !pct && mm.ok && mm.percent && r.Value > 1 && r.Value <= 100 {
		pct = true
	}
	r.Percent = pct
}

// classified is classify, remembered for the paper.
func (p *paper) classified(l lab, dataAxis bool) cls {
	key := labKey{l.text, l.kind, l.section, dataAxis}
	if c, ok := p.memo[key]; ok {
		c.lab = l
		return c
	}
	c := p.classify(l, dataAxis)
	p.memo[key] = c
	return c
}

// classify says what a label is: a data set, a metric, a statistic, a
// setting.
func (p *paper) classify(l lab, dataAxis bool) cls {
	c := cls{lab: l}
	c.ds = p.datasetIn(l.lower)
	c.dsMatched = c.ds != ""
	if l.kind == kindDataset && c.ds == "" {
		c.ds = l.text
	}
	c.metric = findMetric(l.text, l.lower)
	c.arrowUp, c.arrowOK = arrow(l.text)
	c.isM = l.kind == kindMetric || c.arrowOK || (c.metric.ok && (dataAxis || !c.metric.generic)) || p.metricNamed(l.lower)
	if c.isM && c.ds != "" && l.kind == kindDataset {
		c.isM = false
	}
	c.agg = isAggregate(l.lower)
	if !c.isM && c.ds == "" && (strings.HasPrefix(l.lower, "average ") || strings.HasPrefix(l.lower, "mean ") || strings.HasPrefix(l.lower, "avg") ||
		strings.HasPrefix(l.lower, "median ") || strings.HasPrefix(l.lower, "number of") || strings.HasPrefix(l.lower, "# ")) {
		c.isM = true
	}
	if !c.isM && c.ds == "" && unitLabel(l.lower) {
		c.isM = true // "Skipped (%)", "Time (s)": a quantity with its unit
	}
	c.setting = settingLike(l.text, l.lower) && !c.isM
	return c
}

// datasetIn returns the paper's data set that a label names, or "".
func (p *paper) datasetIn(lower string) string {
	for _, ds := range p.datasets {
		if wordIndex(lower, ds.lower, false) >= 0 {
			return ds.name
		}
	}
	if n := norm(lower); n != "" {
		for _, ds := range p.datasets {
			if n == ds.norm {
				return ds.name
			}
		}
	}
	return ""
}

// captionDataset is the one data set of the paper that a caption names
// as the data of the table ("on CC3M", "for MS-COCO", "the X dataset"),
// as the caption writes it, or "".
func (p *paper) captionDataset(caption string) string {
	lower := lowerASCII(caption)
	found := ""
	for _, ds := range p.datasets {
		for off := 0; off < len(lower); {
			i := wordIndex(lower[off:], ds.lower, false)
			if i < 0 {
				break
			}
			i += off
			off = i + len(ds.lower)
			if !dataContext(lower, i, off) && !p.listed(lower, i) {
				continue
			}
			name := caption[i:off]
			if found != "" && norm(found) != ds.norm {
				// Two data sets, or one inside another ("ImageNet" in "ImageNet-21k").
				if strings.Contains(norm(found), ds.norm) {
					break
				}
				if strings.Contains(ds.norm, norm(found)) {
					found = name
					break
				}
				return ""
			}
			found = name
			break
		}
	}
	return found
}

// listed reports whether the name at lower[i:] continues a list of the
// paper's data sets ("on MNIST and SVHN", "CIFAR-10, SVHN").
func (p *paper) listed(lower string, i int) bool {
	before := strings.TrimRight(lower[:i], " ")
	switch {
	case strings.HasSuffix(before, " and"), strings.HasSuffix(before, " or"):
		before = strings.TrimRight(before[:len(before)-3], " ,")
	case strings.HasSuffix(before, ","):
		before = strings.TrimRight(before[:len(before)-1], " ")
	default:
		return false
	}
	for _, ds := range p.datasets {
		if strings.HasSuffix(before, ds.lower) {
			return true
		}
	}
	return false
}

// dataContext reports whether the words around lower[i:j] make it the data
// a table is about: "on X", "for X", "of X", "X dataset".
func dataContext(lower string, i, j int) bool {
	before := strings.Fields(lower[max(0, i-16):i])
	if len(before) > 0 && !strings.HasSuffix(lower[:i], "-") {
		switch before[len(before)-1] {
		case "on", "for", "of", "over", "across":
			return true
		}
	}
	after := strings.Fields(lower[j:min(len(lower), j+16)])
	if len(after) > 0 {
		switch strings.Trim(after[0], ".,;:()") {
		case "dataset", "datasets", "data", "benchmark", "corpus", "test", "validation", "val", "dev", "train":
			return true
		}
	}
	return false
}

// metricNamed reports whether a label is one of the paper's metrics.
func (p *paper) metricNamed(lower string) bool {
	for _, m := range p.metrics {
		if ml := lowerASCII(m.Name); len(ml) > 2 && wordIndex(lower, ml, false) >= 0 {
			return true
		}
	}
	return false
}

func (p *paper) metricDirection(lower string) *bool {
	for _, m := range p.metrics {
		if ml := lowerASCII(m.Name); len(ml) > 2 && wordIndex(lower, ml, false) >= 0 && m.HigherIsBetter != nil {
			h := *m.HigherIsBetter
			return &h
		}
	}
	return nil
}

// firstSentence is a caption's first sentence.
func firstSentence(s string) string {
	for i := 0; i+1 < len(s); i++ {
		if s[i] == '.' && s[i+1] == ' ' && i > 0 && !('0' <= s[i-1] && s[i-1] <= '9' && i+2 < len(s) && '0' <= s[i+2] && s[i+2] <= '9') {
			// Not an abbreviation such as "Acc." or "e.g.".
			w := s[:i]
			if k := strings.LastIndexByte(w, ' '); k >= 0 {
				w = w[k+1:]
			}
			switch lowerASCII(w) {
			case "e.g", "i.e", "acc", "vs", "al", "et", "fig", "tab", "eq", "no", "approx", "resp", "cf", "dev", "avg",
				"std", "val", "est", "num", "perf", "param", "params", "sec", "err", "max", "min":
				continue
			}
			return s[:i+1]
		}
	}
	return s
}

// scaled is a cell's value with its K/M/B suffix applied: "632M" is
// 632,000,000 (the reader gives 632).
func scaled(v float64, raw string) float64 {
	s := strings.TrimSpace(raw)
	if s == "" {
		return v
	}
	mult := 1.0
	switch s[len(s)-1] {
	case 'k', 'K':
		mult = 1e3
	case 'M':
		mult = 1e6
	case 'B', 'G':
		mult = 1e9
	case 'T':
		mult = 1e12
	default:
		return v
	}
	if len(s) < 2 || !('0' <= s[len(s)-2] && s[len(s)-2] <= '9') {
		return v
	}
	if out := v * mult; !math.IsInf(out, 0) {
		return out
	}
	return v
}

// unitLabel reports whether a header gives a unit: "Skipped (%)", "Time
// (s)", "Memory (GB)".
func unitLabel(lower string) bool {
	if strings.Contains(lower, "%") {
		return true
	}
	for _, u := range []string{"(s)", "(ms)", "(sec)", "(secs)", "(seconds)", "(min)", "(h)", "(hours)", "(gb)", "(mb)", "(x)", "(×)", "(db)", "(m)", "(b)"} {
		if strings.HasSuffix(lower, u) {
			return true
		}
	}
	return false
}

// withUnits returns rows in which a cell holding a number and a unit
// ("28 sec", "1.3 h", "12 GB"), which the reader leaves without a value,
// has its number; rows is not modified (changed rows are copied).
func withUnits(rows [][]doc.Cell) [][]doc.Cell {
	out := rows
	copied := false
	for i, r := range rows {
		for j, c := range r {
			if c.Value != nil {
				continue
			}
			v, ok := numberWithUnit(Printed(c.Text))
			if !ok {
				continue
			}
			if !copied {
				out = append([][]doc.Cell(nil), rows...)
				copied = true
			}
			if &out[i][0] == &rows[i][0] {
				out[i] = append([]doc.Cell(nil), r...)
			}
			out[i][j].Value = &v
		}
	}
	return out
}

// units are the units numberWithUnit accepts after a number.
var units = map[string]bool{
	"s": true, "sec": true, "secs": true, "second": true, "seconds": true, "ms": true, "min": true, "mins": true,
	"minutes": true, "h": true, "hr": true, "hrs": true, "hour": true, "hours": true, "day": true, "days": true,
	"gb": true, "mb": true, "kb": true, "tb": true, "x": true, "×": true, "fps": true, "it/s": true,
}

// numberWithUnit reads "28 sec", "1.3h", "12 GB", "2.5x": a number and a
// unit, nothing else.
func numberWithUnit(s string) (float64, bool) {
	i := 0
	if i < len(s) && (s[i] == '-' || s[i] == '+') {
		i++
	}
	digits := 0
	for i < len(s) && (('0' <= s[i] && s[i] <= '9') || s[i] == '.' || s[i] == ',') {
		if s[i] != '.' && s[i] != ',' {
			digits++
		}
		i++
	}
	if digits == 0 || i == len(s) {
		return 0, false
	}
	unit := lowerASCII(strings.TrimSpace(s[i:]))
	if !units[unit] {
		return 0, false
	}
	v, err := strconv.ParseFloat(strings.ReplaceAll(s[:i], ",", ""), 64)
	if err != nil || math.IsInf(v, 0) || math.IsNaN(v) {
		return 0, false
	}
	return v, true
}

// numberLike reports whether a cell is made of numbers and the signs
// around them ("56.81/79.51", "$<$0.0001", "2.977(77)"), with no word.
func numberLike(t string) bool {
	digits := 0
	for i := 0; i < len(t); i++ {
		c := t[i]
		switch {
		case '0' <= c && c <= '9':
			digits++
		case isLetterByte(c) && c < 0x80:
			if c == 'e' || c == 'E' { // 1e-3
				continue
			}
			return false
		}
	}
	return digits > 0 && !strings.Contains(t, `\text`)
}

// mostlyBold reports whether most of the numbers among cells are bold.
func mostlyBold(cells []doc.Cell) bool {
	n, bold := 0, 0
	for _, c := range cells {
		if c.Value == nil || c.Spanned {
			continue
		}
		n++
		if c.Bold {
			bold++
		}
	}
	return n > 0 && bold*2 > n
}

// spanStart is the first column of the header cell above column j in the
// block's last header row (the column itself when it is not spanned).
func spanStart(b *block, j int) int {
	if len(b.header) == 0 {
		return j
	}
	h := b.header[len(b.header)-1]
	for j > 0 && j < len(h) && h[j].Spanned {
		j--
	}
	return j
}
