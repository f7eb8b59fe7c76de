package markdown

import (
	"regexp"
	"strings"
	"unicode"

	"github.com/reprohq/repro/doc"
	"github.com/reprohq/repro/internal/bib"
	"github.com/reprohq/repro/internal/latex/algo"
	"github.com/reprohq/repro/internal/latex/tabular"
)

// captionRE matches the start of a caption: "Table 2:", "**Table 2.**",
// "Figure A.1:", "Fig. 3.", "Algorithm 1", "Table S3 |".
var captionRE = regexp.MustCompile(`^(?:\*\*|__|\*|_)?(Table|TABLE|Figure|FIGURE|Fig\.|FIG\.|Algorithm|ALGORITHM)\s+([A-Z]?\d{1,3}(?:\.\d{1,3})?[a-z]?|[A-Z]\.\d{1,3}[a-z]?|[IVX]{1,5})(?:\*\*|__|\*|_)?\s*(?:[:.|—–-]|(?:\*\*|__)?$)(?:\*\*|__|\*|_)?\s*`)

// isCaptionStart reports, cheaply, whether a line may start a caption.
func isCaptionStart(t string) bool {
	t = strings.TrimLeft(t, "*_")
	for _, w := range []string{"Table ", "TABLE ", "Figure ", "FIGURE ", "Fig. ", "FIG. ", "Algorithm ", "ALGORITHM "} {
		if strings.HasPrefix(t, w) {
			return captionRE.MatchString(t[:min(len(t), 60)]) || captionRE.MatchString(t)
		}
	}
	return false
}

// splitCaption returns the kind, number and text of a caption paragraph.
func splitCaption(text string) (kind, num, caption string, ok bool) {
	if !isCaptionStart(text) {
		return "", "", "", false
	}
	head := text
	if len(head) > 80 {
		head = head[:80]
	}
	m := captionRE.FindStringSubmatchIndex(head)
	if m == nil {
		return "", "", "", false
	}
	switch strings.ToLower(head[m[2]:m[3]]) {
	case "table":
		kind = "table"
	case "algorithm":
		kind = "algorithm"
	default:
		kind = "figure"
	}
	caption = strings.TrimSpace(emphasisRE.Replace(text[m[1]:]))
	return kind, head[m[4]:m[5]], caption, true
}

// shortCaption cuts a caption to about 300 bytes, at a word.
func shortCaption(c string) string {
	if len(c) <= 300 {
		return c
	}
	cut := strings.LastIndexByte(c[:300], ' ')
	if cut < 100 {
		cut = 300
		for cut > 0 && c[cut]&0xC0 == 0x80 {
			cut--
		}
	}
	return strings.TrimRight(c[:cut], " ,;:") + "…"
}

// caption files a paragraph that is a caption and reports whether it was.
func (p *parser) caption(text string, line int) bool {
	kind, num, c, ok := splitCaption(text)
	if !ok {
		// pandoc's table caption: "Table: ..." or ": ..." by the table.
		if rest, found := strings.CutPrefix(text, "Table: "); found || p.lastTable >= 0 && strings.HasPrefix(text, ": ") {
			if !found {
				rest = text[2:]
			}
			kind, c, ok = "table", strings.TrimSpace(rest), true
		}
	}
	if !ok {
		return false
	}
	c = inlineText(c)
	short := shortCaption(c)
	full := ""
	if short != c {
		full = c
	}
	switch kind {
	case "table":
		if p.lastTable >= 0 && p.d.Tables[p.lastTable].Number == "" && p.d.Tables[p.lastTable].Caption == "" {
			t := &p.d.Tables[p.lastTable]
			t.Number, t.Caption, t.CaptionFull = num, short, full
			p.lastTable = -1
			return true
		}
		p.d.Tables = append(p.d.Tables, doc.Table{Number: num, Caption: short, CaptionFull: full, Rows: [][]doc.Cell{}, Section: p.sec.Number, File: p.file, Line: line})
		p.pendingTable = len(p.d.Tables) - 1
	case "figure":
		p.d.Figures = append(p.d.Figures, doc.Figure{Number: num, Caption: short, CaptionFull: full, Section: p.sec.Number, File: p.file, Line: line})
	case "algorithm":
		p.addAlgorithm(num, c, line)
	}
	return true
}

func (p *parser) addAlgorithm(num, c string, line int) {
	short := shortCaption(c)
	full := ""
	if short != c {
		full = c
	}
	p.d.Algorithms = append(p.d.Algorithms, doc.Algorithm{Number: num, Caption: short, CaptionFull: full,
		Inputs: []string{}, Outputs: []string{}, Steps: []doc.Step{}, Section: p.sec.Number, File: p.file, Line: line})
	p.pendingAlg = len(p.d.Algorithms) - 1
}

// algorithmCaption reads "Algorithm N: caption" followed by its steps on
// the next lines (up to a blank line) and reports whether it did.
func (p *parser) algorithmCaption(t string) bool {
	if !strings.HasPrefix(strings.TrimLeft(t, "*_"), "Algorithm ") && !strings.HasPrefix(strings.TrimLeft(t, "*_"), "ALGORITHM ") {
		return false
	}
	kind, num, c, ok := splitCaption(t)
	if !ok || kind != "algorithm" {
		return false
	}
	p.flush()
	line := p.i + 1
	p.addAlgorithm(num, inlineText(c), line)
	p.i++
	var body []string
	for p.i < len(p.lines) && len(body) < 500 {
		l := p.lines[p.i]
		if strings.TrimSpace(l) == "" || p.markdown && strings.HasPrefix(strings.TrimSpace(l), "```") {
			break
		}
		body = append(body, l)
		p.i++
	}
	if len(body) > 0 {
		p.fillAlgorithm(&p.d.Algorithms[p.pendingAlg], body)
		p.pendingAlg = -1
	}
	return true
}

// fence reads a fenced code block: the steps of an algorithm when one
// waits for them or the block is LaTeX pseudocode, else skipped.
func (p *parser) fence(t string) {
	marker := t[:3]
	info := strings.TrimSpace(strings.TrimLeft(t, "`~"))
	start := p.i + 1
	p.i++
	var body []string
	closed := false
	for p.i < len(p.lines) {
		l := p.lines[p.i]
		p.i++
		if strings.HasPrefix(strings.TrimSpace(l), marker) {
			closed = true
			break
		}
		body = append(body, l)
	}
	if !closed {
		p.warnf(start, "unterminated code block (%s)", marker)
	}
	joined := strings.Join(body, "\n")
	latexAlg := strings.Contains(joined, `\State`) || strings.Contains(joined, `\STATE`) || strings.Contains(joined, `\KwIn`) ||
		strings.Contains(joined, `\begin{algorithmic}`) || strings.Contains(joined, `\Require`) || strings.Contains(joined, `\REQUIRE`)
	switch {
	case p.pendingAlg >= 0 && p.pendingAlg < len(p.d.Algorithms) && len(p.d.Algorithms[p.pendingAlg].Steps) == 0:
		p.fillAlgorithm(&p.d.Algorithms[p.pendingAlg], body)
		p.pendingAlg = -1
	case latexAlg || info == "pseudocode" || info == "algorithm":
		p.addAlgorithm("", "", start)
		p.fillAlgorithm(&p.d.Algorithms[p.pendingAlg], body)
		p.pendingAlg = -1
	case info == "math" || info == "latex" && strings.Contains(joined, `\begin{`):
		p.emitDisplay("displaymath", joined, "", start)
	}
}

// fillAlgorithm reads the steps of an algorithm from its lines.
func (p *parser) fillAlgorithm(a *doc.Algorithm, lines []string) {
	joined := strings.Join(lines, "\n")
	if strings.Contains(joined, `\State`) || strings.Contains(joined, `\STATE`) || strings.Contains(joined, `\KwIn`) ||
		strings.Contains(joined, `\Require`) || strings.Contains(joined, `\REQUIRE`) || strings.Contains(joined, `\For`) {
		r := algo.Parse(joined)
		a.Package, a.Steps, a.Pseudocode = r.Package, r.Steps, r.Pseudocode
		a.Inputs = append(a.Inputs, r.Inputs...)
		a.Outputs = append(a.Outputs, r.Outputs...)
		if a.Steps == nil {
			a.Steps = []doc.Step{}
		}
		return
	}
	// Plain pseudocode: strip line numbers, depth from indentation.
	type pline struct {
		indent int
		text   string
	}
	var pls []pline
	minIndent, unit := -1, 0
	for _, l := range lines {
		l = strings.ReplaceAll(l, "\t", "    ")
		if m := stepNumberRE.FindStringIndex(l); m != nil {
			l = l[m[1]:]
		}
		text := strings.TrimSpace(l)
		if text == "" {
			continue
		}
		ind := len(l) - len(strings.TrimLeft(l, " "))
		pls = append(pls, pline{ind, text})
		if minIndent < 0 || ind < minIndent {
			minIndent = ind
		}
	}
	for _, pl := range pls {
		if d := pl.indent - minIndent; d > 0 && (unit == 0 || d < unit) {
			unit = d
		}
	}
	var pseudo []string
	for _, pl := range pls {
		depth := 0
		if unit > 0 {
			depth = (pl.indent - minIndent) / unit
		}
		pseudo = append(pseudo, strings.Repeat("  ", depth)+pl.text)
		kind, text, comment := classifyStep(pl.text)
		switch kind {
		case "":
			continue // a block end
		case doc.StepRequire:
			a.Inputs = append(a.Inputs, text)
		case doc.StepEnsure:
			a.Outputs = append(a.Outputs, text)
		}
		a.Steps = append(a.Steps, doc.Step{Kind: kind, Depth: depth, Text: text, Comment: comment})
	}
	a.Pseudocode = strings.Join(pseudo, "\n")
}

// stepNumberRE matches a line number before a step: "1:", "12.", "3)".
var stepNumberRE = regexp.MustCompile(`^\s*\d{1,3}[:.)]`)

// classifyStep returns the kind of a plain pseudocode line (or "" for a
// block end), its text and a trailing comment.
func classifyStep(t string) (kind, text, comment string) {
	text = t
	for _, c := range []string{"//", "▷", "⊳", "# "} {
		if i := strings.Index(text, c); i > 0 {
			comment = strings.TrimSpace(text[i+len(c):])
			text = strings.TrimSpace(text[:i])
			break
		} else if i == 0 {
			return doc.StepComment, strings.TrimSpace(text[len(c):]), ""
		}
	}
	lower := strings.ToLower(text)
	word := strings.FieldsFunc(lower, func(r rune) bool { return !unicode.IsLetter(r) })
	first := ""
	if len(word) > 0 && strings.HasPrefix(lower, word[0]) {
		first = word[0]
	}
	for _, pre := range []struct{ p, kind string }{
		{"input:", doc.StepRequire}, {"inputs:", doc.StepRequire}, {"require:", doc.StepRequire}, {"given:", doc.StepRequire},
		{"output:", doc.StepEnsure}, {"outputs:", doc.StepEnsure}, {"ensure:", doc.StepEnsure},
	} {
		if strings.HasPrefix(lower, pre.p) {
			return pre.kind, strings.TrimSpace(text[len(pre.p):]), comment
		}
	}
	switch {
	case lower == "end" || lower == "}" || strings.HasPrefix(lower, "end ") || strings.HasPrefix(lower, "endfor") ||
		strings.HasPrefix(lower, "endif") || strings.HasPrefix(lower, "endwhile") || strings.HasPrefix(lower, "end;"):
		return "", text, comment
	case strings.HasPrefix(lower, "else if") || first == "elseif" || first == "elif":
		return doc.StepElseIf, text, comment
	case first == "else" || first == "otherwise":
		return doc.StepElse, text, comment
	case first == "for" || first == "foreach" || first == "forall":
		return doc.StepFor, text, comment
	case first == "while":
		return doc.StepWhile, text, comment
	case first == "repeat" || first == "loop":
		return doc.StepRepeat, text, comment
	case first == "until":
		return doc.StepUntil, text, comment
	case first == "if":
		return doc.StepIf, text, comment
	case first == "return":
		return doc.StepReturn, text, comment
	case first == "function" || first == "procedure" || first == "def":
		return doc.StepFunction, text, comment
	}
	return doc.StepStatement, text, comment
}

// table reads a pipe table, a LaTeX table or tabular (as Nougat-like
// converters write them), or in plain text a block of aligned columns, at
// p.i, and reports whether it did.
func (p *parser) table(t string) bool {
	if strings.HasPrefix(t, `\begin{table`) || strings.HasPrefix(t, `\begin{tabular`) {
		return p.latexTable(t)
	}
	if strings.HasPrefix(t, "|") && p.i+1 < len(p.lines) || p.markdown && strings.Contains(t, "|") && p.i+1 < len(p.lines) && isSeparatorRow(strings.TrimSpace(p.lines[p.i+1])) {
		if !isSeparatorRow(strings.TrimSpace(p.lines[p.i+1])) && !strings.HasPrefix(strings.TrimSpace(p.lines[p.i+1]), "|") {
			return false
		}
		p.flush()
		start := p.i + 1
		var rows [][]doc.Cell
		header := true
		sawSep := false
		for p.i < len(p.lines) && len(rows) < 10000 {
			l := strings.TrimSpace(p.lines[p.i])
			if l == "" || !strings.Contains(l, "|") {
				break
			}
			p.i++
			if isSeparatorRow(l) {
				sawSep = true
				header = false
				continue
			}
			rows = append(rows, parseRow(splitPipes(l), header))
		}
		if !sawSep && len(rows) > 0 {
			// No separator: the first row is the header, as in most tables.
			for j := range rows[0] {
				rows[0][j].Header = true
			}
		}
		p.addRows(rows, start)
		return true
	}
	if p.markdown || len(p.para) > 0 && !isCaptionStart(p.para[0]) || len(t) > 300 || p.i < p.noTableUntil {
		return false
	}
	// Plain text: two or more lines of columns separated by 2+ spaces,
	// some numeric, right after a table caption or followed by one.
	n := 0
	numeric := false
	for p.i+n < len(p.lines) && n < 2000 {
		l := strings.TrimSpace(p.lines[p.i+n])
		cols := splitColumns(l)
		if len(cols) < 2 || len(l) > 300 {
			break
		}
		for _, c := range cols {
			if v, _ := tabular.Number(c); v != nil {
				numeric = true
			}
		}
		n++
	}
	if n < 2 || !numeric {
		p.noTableUntil = p.i + max(n, 1) // these lines are not a table either
		return false
	}
	p.flush() // the caption above the table
	start := p.i + 1
	var rows [][]doc.Cell
	for k := 0; k < n; k++ {
		rows = append(rows, parseRow(splitColumns(strings.TrimSpace(p.lines[p.i+k])), k == 0))
	}
	p.i += n
	p.addRows(rows, start)
	return true
}

// addRows files the rows of a table: into the table whose caption came
// just before, or as a new table waiting for a caption below it.
func (p *parser) addRows(rows [][]doc.Cell, line int) {
	if rows == nil {
		rows = [][]doc.Cell{}
	}
	if p.pendingTable >= 0 && p.pendingTable < len(p.d.Tables) && len(p.d.Tables[p.pendingTable].Rows) == 0 {
		t := &p.d.Tables[p.pendingTable]
		t.Rows = rows
		p.pendingTable = -1
		return
	}
	p.d.Tables = append(p.d.Tables, doc.Table{Rows: rows, Section: p.sec.Number, File: p.file, Line: line})
	p.lastTable = len(p.d.Tables) - 1
	p.pendingTable = -1
}

// isSeparatorRow reports whether a line is a pipe table's header rule.
func isSeparatorRow(l string) bool {
	if !strings.Contains(l, "-") {
		return false
	}
	for i := 0; i < len(l); i++ {
		switch l[i] {
		case '|', '-', ':', ' ', '+', '=':
		default:
			return false
		}
	}
	return true
}

// splitPipes splits a pipe table row into its cells; \| and | inside
// $...$ or `...` do not split.
func splitPipes(l string) []string {
	l = strings.TrimSpace(l)
	l = strings.TrimPrefix(l, "|")
	if strings.HasSuffix(l, "|") && !strings.HasSuffix(l, `\|`) {
		l = l[:len(l)-1]
	}
	var cells []string
	inMath, inCode := false, false
	start := 0
	for i := 0; i < len(l); i++ {
		switch l[i] {
		case '\\':
			i++
		case '$':
			if !inCode {
				inMath = !inMath
			}
		case '`':
			inCode = !inCode
		case '|':
			if !inMath && !inCode {
				cells = append(cells, l[start:i])
				start = i + 1
			}
		}
	}
	cells = append(cells, l[start:])
	for i := range cells {
		cells[i] = strings.ReplaceAll(strings.TrimSpace(cells[i]), `\|`, "|")
	}
	return cells
}

// splitColumns splits a plain-text table line at runs of 2+ spaces or tabs.
func splitColumns(l string) []string {
	var cols []string
	start := 0
	for i := 0; i < len(l); i++ {
		if l[i] == '\t' || l[i] == ' ' && i+1 < len(l) && (l[i+1] == ' ' || l[i+1] == '\t') {
			if c := strings.TrimSpace(l[start:i]); c != "" {
				cols = append(cols, c)
			}
			for i < len(l) && (l[i] == ' ' || l[i] == '\t') {
				i++
			}
			start = i
		}
	}
	if c := strings.TrimSpace(l[start:]); c != "" {
		cols = append(cols, c)
	}
	return cols
}

// parseRow turns cell texts into cells.
func parseRow(texts []string, header bool) []doc.Cell {
	row := make([]doc.Cell, 0, len(texts))
	for _, t := range texts {
		c := doc.Cell{Header: header}
		for {
			switch {
			case len(t) >= 4 && (strings.HasPrefix(t, "**") && strings.HasSuffix(t, "**") || strings.HasPrefix(t, "__") && strings.HasSuffix(t, "__")):
				c.Bold = true
				t = strings.TrimSpace(t[2 : len(t)-2])
				continue
			case len(t) >= 2 && (t[0] == '*' && t[len(t)-1] == '*' || t[0] == '_' && t[len(t)-1] == '_'):
				c.Italic = true
				t = strings.TrimSpace(t[1 : len(t)-1])
				continue
			case strings.HasPrefix(t, "<u>") && strings.HasSuffix(t, "</u>"):
				c.Underline = true
				t = strings.TrimSpace(t[3 : len(t)-4])
				continue
			}
			break
		}
		if strings.Contains(t, `\textbf{`) || strings.Contains(t, `\mathbf{`) || strings.Contains(t, `\bm{`) {
			c.Bold = true
		}
		if len(t) >= 2 && t[0] == '$' && t[len(t)-1] == '$' {
			c.Math = true
		}
		c.Text = inlineText(t)
		if !header {
			c.Value, c.PlusMinus = tabular.Number(numberView(t))
		}
		row = append(row, c)
	}
	return row
}

// numberView prepares a cell for tabular.Number: bold markup removed.
func numberView(t string) string {
	if strings.ContainsAny(t, `\*}`) {
		t = boldStripper.Replace(t)
	}
	return strings.TrimSpace(t)
}

var boldStripper = strings.NewReplacer(`\textbf{`, "", `\mathbf{`, "", `\bm{`, "", `\underline{`, "", "**", "", "}", "")

// refStartRE matches the label that starts a reference entry: "- ",
// "1. ", "[1] ", "(1) ".
var refStartRE = regexp.MustCompile(`^\s*(?:[-*+•]\s+|\[[^\[\]]{1,60}\]\s*|\(?\d{1,3}[.)]\s+)`)

// endRefs parses the collected references section.
func (p *parser) endRefs() {
	if !p.refs {
		return
	}
	p.refs = false
	p.afterRef = true
	lines := p.refLines
	p.refLines = nil
	marked, blanks := 0, 0
	for _, l := range lines {
		if strings.TrimSpace(l.text) == "" {
			blanks++
		} else if refStartRE.MatchString(l.text) {
			marked++
		}
	}
	var entries []string
	var cur []string
	emit := func() {
		if len(cur) > 0 {
			entries = append(entries, strings.Join(cur, " "))
			cur = cur[:0]
		}
	}
	prevEnds := true
	for _, l := range lines {
		t := strings.TrimSpace(l.text)
		switch {
		case t == "":
			if marked == 0 {
				emit()
			}
			continue
		case marked > 0:
			if refStartRE.MatchString(l.text) {
				emit()
			}
		case blanks == 0:
			// One entry per line, with continuation lines joined: a new
			// entry starts after a line that ends a sentence.
			r := []rune(t)[0]
			if prevEnds && unicode.IsUpper(r) {
				emit()
			}
		}
		cur = append(cur, t)
		prevEnds = strings.HasSuffix(t, ".") || strings.HasSuffix(t, ")") || strings.Contains(t[max(0, len(t)-30):], "doi") || strings.Contains(t, "http")
	}
	emit()
	for _, e := range entries {
		e = strings.TrimSpace(e)
		if e[0] == '-' || e[0] == '*' || e[0] == '+' || strings.HasPrefix(e, "•") {
			e = strings.TrimSpace(strings.TrimLeft(e, "-*+•"))
		}
		label, r := bib.ParsePlainLabel(stripEmphasis(inlineText(e)))
		if r.Title == "" && len(r.Authors) == 0 && r.ArxivID == "" && r.DOI == "" {
			continue
		}
		r.Key = label
		r.Source = "text"
		p.d.References = append(p.d.References, r)
	}
}

// captionAlone reports whether a line is only a caption's label and
// number, "TABLE I" or "Figure 3".
func captionAlone(l string) bool {
	_, _, c, ok := splitCaption(strings.TrimSpace(l))
	return ok && c == ""
}

// latexTable reads a LaTeX table float or tabular starting at p.i: its
// rows through the tabular package and its \caption.
func (p *parser) latexTable(t string) bool {
	env, _, _ := strings.Cut(t[len(`\begin{`):], "}")
	endTag := `\end{` + env + `}`
	var b strings.Builder
	n := 0
	found := false
	for p.i+n < len(p.lines) && n < 5000 {
		l := p.lines[p.i+n]
		n++
		b.WriteString(l)
		b.WriteByte('\n')
		if strings.Contains(l, endTag) {
			found = true
			break
		}
	}
	if !found {
		p.warnf(p.i+1, "unterminated \\begin{%s}", env)
	}
	p.flush()
	start := p.i + 1
	p.i += n
	src := b.String()
	rows := [][]doc.Cell{}
	if i := strings.Index(src, `\begin{tabular`); i >= 0 {
		name, a, _ := strings.Cut(src[i+len(`\begin{`):], "}")
		a = strings.TrimSpace(a)
		if strings.HasPrefix(a, "[") { // \begin{tabular}[t]{spec}
			if e := strings.IndexByte(a, ']'); e >= 0 {
				a = strings.TrimSpace(a[e+1:])
			}
		}
		if name == "tabular*" || name == "tabularx" { // the width first
			if _, k, ok := group(a, 0); ok {
				a = strings.TrimSpace(a[k:])
			}
		}
		if spec, k, ok := group(a, 0); ok {
			body := a[k:]
			if e := strings.Index(body, `\end{`+name+`}`); e >= 0 {
				body = body[:e]
			}
			rows = tabular.Parse(spec, body)
		}
	}
	if i := strings.Index(src, `\caption`); i >= 0 && p.pendingTable < 0 {
		k := skipBlank(src, i+len(`\caption`))
		if k < len(src) && src[k] == '[' { // a short caption
			if e := strings.IndexByte(src[k:], ']'); e >= 0 {
				k = skipBlank(src, k+e+1)
			}
		}
		if c, _, ok := group(src, k); ok {
			c = inlineText(c)
			short, full := shortCaption(c), ""
			if short != c {
				full = c
			}
			// LaTeX numbers the table; the number is not printed here.
			p.d.Tables = append(p.d.Tables, doc.Table{Caption: short, CaptionFull: full, Rows: [][]doc.Cell{}, Section: p.sec.Number, File: p.file, Line: start})
			p.pendingTable = len(p.d.Tables) - 1
		}
	}
	if l := labelRE.FindStringSubmatch(src); l != nil && p.pendingTable >= 0 {
		p.d.Tables[p.pendingTable].Label = strings.TrimSpace(l[1])
	}
	p.addRows(rows, start)
	return true
}
