package render

import (
	"fmt"
	"io"
	"regexp"
	"strconv"
	"strings"

	"github.com/reprohq/repro/doc"
)

// Markdown writes the context document for d: the paper as people and LLMs
// need it to reimplement it. The parts come in a fixed order:
//
//   - header: title, authors, arXiv id and link, date, keywords, source kind
//     and main file, repro version and schema version;
//   - abstract;
//   - quick reference: a table of counts;
//   - outline: the numbered section tree;
//   - equations: number or environment, labels, section, the LaTeX as
//     written (and macro-expanded when that differs), the sentences around
//     it, and where it is referenced;
//   - algorithms: number, caption, inputs and outputs, pseudocode;
//   - architecture: figure captions with their numbers and subfigures;
//   - tables: number, caption, and the cells as a Markdown table;
//   - hyperparameters, then datasets and metrics, each with where the paper
//     states it;
//   - reported results: the numbers the paper's results tables give for
//     its own method (method, dataset, metric, setting, value, direction,
//     table), the benchmark targets of a reproduction;
//   - references: key, authors, title, venue, year, arXiv id, DOI, and how
//     often and where each is cited;
//   - warnings: file:line: message.
//
// Every part is present even when empty, so that readers can rely on the
// headings. The output depends only on d and opts (no time, no absolute
// paths that are not in d, no map order), so it can be golden-tested.
func Markdown(w io.Writer, d *doc.Document, opts Options) error {
	if d == nil {
		return errNilDocument
	}
	m := &mdDoc{d: d, titles: sectionTitles(d.Sections)}
	m.header(opts)
	m.abstract()
	m.quickReference()
	m.outline()
	m.equations()
	m.algorithms()
	m.figures()
	m.tables()
	m.facts()
	m.results()
	m.references()
	m.warnings()
	_, err := io.WriteString(w, strings.Join(m.blocks, "\n\n")+"\n")
	return err
}

// mdDoc accumulates Markdown blocks (paragraphs, lists, tables, fenced
// code); Markdown joins them with one blank line.
type mdDoc struct {
	d      *doc.Document
	titles map[string]string // section number -> title
	blocks []string
}

func (m *mdDoc) add(format string, args ...any) {
	m.blocks = append(m.blocks, fmt.Sprintf(format, args...))
}

// addBlock adds a literal block, if it is not empty.
func (m *mdDoc) addBlock(s string) {
	if s != "" {
		m.blocks = append(m.blocks, s)
	}
}

// list adds a bullet list of the non-empty items.
func (m *mdDoc) list(items ...string) {
	var b strings.Builder
	for _, it := range items {
		if it == "" {
			continue
		}
		if b.Len() > 0 {
			b.WriteByte('\n')
		}
		b.WriteString("- ")
		b.WriteString(it)
	}
	m.addBlock(b.String())
}

const none = "_None extracted._"

func (m *mdDoc) header(opts Options) {
	d := m.d
	title := oneLine(d.Title)
	if title == "" {
		title = "Untitled paper"
	}
	m.add("# %s", title)

	var items []string
	if len(d.Authors) > 0 {
		items = append(items, "**Authors:** "+joinOneLine(d.Authors, ", "))
	}
	if id := strings.TrimSpace(d.ArxivID); id != "" {
		items = append(items, "**arXiv:** "+arxivLink(id))
	}
	if d.Date != "" {
		items = append(items, "**Date:** "+oneLine(d.Date))
	}
	if len(d.Keywords) > 0 {
		items = append(items, "**Keywords:** "+joinOneLine(d.Keywords, ", "))
	}
	items = append(items, "**Source:** "+sourceLine(d))
	by := "repro"
	if opts.Version != "" {
		by += " " + opts.Version
	}
	schema := d.SchemaVersion
	if schema == "" {
		schema = doc.SchemaVersion
	}
	items = append(items, fmt.Sprintf("**Extracted by:** %s (JSON schema %s)", by, schema))
	m.list(items...)
}

func sourceLine(d *doc.Document) string {
	s := d.Source
	kind := s.Kind
	if kind == "" {
		kind = "unknown"
	}
	parts := []string{kind}
	if s.MainFile != "" {
		parts = append(parts, "main file "+code(s.MainFile))
	}
	switch n := d.Stats.Files; {
	case n == 1:
		parts = append(parts, "1 file read")
	case n > 1:
		parts = append(parts, strconv.Itoa(n)+" files read")
	}
	if s.Generator != "" {
		parts = append(parts, "generator "+oneLine(s.Generator))
	}
	return strings.Join(parts, ", ")
}

func (m *mdDoc) abstract() {
	m.add("## Abstract")
	paras := splitParagraphs(m.d.Abstract)
	if len(paras) == 0 {
		m.add("_No abstract found._")
		return
	}
	for _, p := range paras {
		m.addBlock(p)
	}
}

func (m *mdDoc) quickReference() {
	d := m.d
	numbered := 0
	for i := range d.Equations {
		if d.Equations[i].NumberString() != "" {
			numbered++
		}
	}
	rows := []struct {
		item string
		n    int
	}{
		{"Sections", len(d.Sections)},
		{"Equations, numbered", numbered},
		{"Equations, unnumbered", len(d.Equations) - numbered},
		{"Algorithms", len(d.Algorithms)},
		{"Tables", len(d.Tables)},
		{"Figures", len(d.Figures)},
		{"Reported results", len(d.Results)},
		{"References", len(d.References)},
		{"Warnings", len(d.Warnings)},
	}
	m.add("## Quick reference")
	var b strings.Builder
	b.WriteString("| Item | Count |\n| --- | ---: |")
	for _, r := range rows {
		fmt.Fprintf(&b, "\n| %s | %d |", r.item, r.n)
	}
	m.addBlock(b.String())
}

func (m *mdDoc) outline() {
	m.add("## Outline")
	secs := m.d.Sections
	if len(secs) == 0 {
		m.add(none)
		return
	}
	var b strings.Builder
	// open holds the levels of the items that the next one may nest in, so
	// that siblings share a depth and a skipped level nests one step only.
	var open []int
	for i, s := range secs {
		for len(open) > 0 && open[len(open)-1] >= s.Level {
			open = open[:len(open)-1]
		}
		depth := len(open)
		open = append(open, s.Level)
		if i > 0 {
			b.WriteByte('\n')
		}
		b.WriteString(strings.Repeat("  ", depth))
		b.WriteString("- ")
		title := oneLine(s.Title)
		switch {
		case s.Number != "" && title != "":
			b.WriteString(s.Number + " " + title)
		case s.Number != "":
			b.WriteString(s.Number)
		default:
			b.WriteString(title)
		}
		if s.Appendix && s.Level <= 1 {
			b.WriteString(" _(appendix)_")
		}
		if s.Label != "" {
			b.WriteString(" " + code(s.Label))
		}
	}
	m.addBlock(b.String())
}

func (m *mdDoc) equations() {
	m.add("## Equations")
	if len(m.d.Equations) == 0 {
		m.add(none)
		return
	}
	for i := range m.d.Equations {
		m.equation(&m.d.Equations[i])
	}
}

func (m *mdDoc) equation(e *doc.Equation) {
	if n := oneLine(e.NumberString()); n != "" {
		m.add("### Equation (%s)", n)
	} else if e.Env != "" {
		m.add("### Unnumbered equation (%s)", code(e.Env))
	} else {
		m.add("### Unnumbered equation")
	}

	m.list(
		labelsItem(e.Label, e.Labels),
		item("Environment", codeOrEmpty(e.Env)),
		"**Section:** "+m.section(e.Section, e.SectionTitle),
		item("Source", position(e.File, e.Line)),
	)
	m.addBlock(fence("latex", e.LaTeX))
	if exp := strings.TrimSpace(e.LaTeXExpanded); exp != "" && exp != strings.TrimSpace(e.LaTeX) {
		m.add("With the paper's macros expanded:")
		m.addBlock(fence("latex", e.LaTeXExpanded))
	}
	m.list(
		item("Before", oneLine(e.Context.Before)),
		item("After", oneLine(e.Context.After)),
		"**Referenced in:** "+m.referencedIn(e.ReferencedIn),
	)
}

// referencedIn lists the places an item is referenced, grouping repeated
// (section, command) pairs in order of first appearance: "§3.2 (\eqref ×2)".
func (m *mdDoc) referencedIn(refs []doc.Ref) string {
	if len(refs) == 0 {
		return "not referenced"
	}
	type key struct{ section, command string }
	var order []key
	count := map[key]int{}
	for _, r := range refs {
		k := key{r.Section, r.Command}
		if count[k] == 0 {
			order = append(order, k)
		}
		count[k]++
	}
	parts := make([]string, len(order))
	for i, k := range order {
		s := sectionMark(k.section)
		cmd := ""
		if k.command != "" {
			cmd = `\` + strings.TrimPrefix(k.command, `\`)
		}
		if n := count[k]; n > 1 {
			cmd = strings.TrimSpace(cmd + " ×" + strconv.Itoa(n))
		}
		if cmd != "" {
			s += " (" + cmd + ")"
		}
		parts[i] = s
	}
	return strings.Join(parts, ", ")
}

func (m *mdDoc) algorithms() {
	m.add("## Algorithms")
	if len(m.d.Algorithms) == 0 {
		m.add(none)
		return
	}
	for i := range m.d.Algorithms {
		a := &m.d.Algorithms[i]
		m.add("### %s", floatTitle("Algorithm", a.Number, fullCaption(a.Caption, a.CaptionFull)))
		m.list(
			item("Label", codeOrEmpty(a.Label)),
			"**Section:** "+m.section(a.Section, ""),
			item("Package", oneLine(a.Package)),
			item("Source", position(a.File, a.Line)),
			subList("Inputs", a.Inputs),
			subList("Outputs", a.Outputs),
		)
		pseudo := a.Pseudocode
		if strings.TrimSpace(pseudo) == "" {
			pseudo = stepsText(a.Steps)
		}
		if strings.TrimSpace(pseudo) != "" {
			m.addBlock(fence("", pseudo))
		}
	}
}

// stepsText lays out algorithm steps as indented pseudocode, for documents
// whose extractor filled Steps but not Pseudocode.
func stepsText(steps []doc.Step) string {
	var b strings.Builder
	for i, s := range steps {
		if i > 0 {
			b.WriteByte('\n')
		}
		b.WriteString(strings.Repeat("  ", max(s.Depth, 0)))
		text := oneLine(s.Text)
		switch s.Kind {
		case doc.StepRequire:
			text = "Require: " + text
		case doc.StepEnsure:
			text = "Ensure: " + text
		case doc.StepComment:
			text = "// " + text
		}
		b.WriteString(text)
		if c := oneLine(s.Comment); c != "" {
			b.WriteString("  // " + c)
		}
	}
	return b.String()
}

func (m *mdDoc) figures() {
	m.add("## Architecture")
	if len(m.d.Figures) == 0 {
		m.add(none)
		return
	}
	m.add("The paper's figures, in order; their captions name the components of the method.")
	for i := range m.d.Figures {
		f := &m.d.Figures[i]
		m.add("### %s", floatTitle("Figure", f.Number, fullCaption(f.Caption, f.CaptionFull)))
		var subs []string
		for _, s := range f.Subfigures {
			line := oneLine(s.Caption)
			if s.Number != "" {
				line = strings.TrimSpace("(" + strings.Trim(s.Number, "()") + ") " + line)
			}
			if s.Label != "" {
				line = strings.TrimSpace(line + " " + code(s.Label))
			}
			if line == "" {
				line = "_no caption_"
			}
			subs = append(subs, line)
		}
		m.list(
			item("Label", codeOrEmpty(f.Label)),
			"**Section:** "+m.section(f.Section, ""),
			item("Source", position(f.File, f.Line)),
			subList("Subfigures", subs),
		)
	}
}

func (m *mdDoc) tables() {
	m.add("## Tables")
	if len(m.d.Tables) == 0 {
		m.add(none)
		return
	}
	for i := range m.d.Tables {
		t := &m.d.Tables[i]
		m.add("### %s", floatTitle("Table", t.Number, fullCaption(t.Caption, t.CaptionFull)))
		m.list(
			item("Label", codeOrEmpty(t.Label)),
			"**Section:** "+m.section(t.Section, ""),
			item("Source", position(t.File, t.Line)),
		)
		if grid := gridTable(t.Rows); grid != "" {
			m.addBlock(grid)
		} else {
			m.add("_No cells extracted._")
		}
	}
}

// facts lists the hyperparameters, data sets and metrics, each with where
// the paper states it.
func (m *mdDoc) facts() {
	m.add("## Hyperparameters")
	if len(m.d.Hyperparameters) == 0 {
		m.add(none)
	} else {
		var b strings.Builder
		b.WriteString("| name | symbol | value | applies to | where | the paper's words |\n| --- | --- | --- | --- | --- | --- |\n")
		for _, h := range m.d.Hyperparameters {
			sym := ""
			if h.Symbol != "" {
				sym = "$" + h.Symbol + "$"
			}
			fmt.Fprintf(&b, "| %s | %s | %s | %s | %s | %s |\n", mdCell(h.Name), mdCell(sym), mdCell(h.Raw),
				mdCell(h.AppliesTo), mdCell(m.where(h.Source)), mdCell(h.Source.Quote))
		}
		m.addBlock(strings.TrimSuffix(b.String(), "\n"))
	}
	m.add("## Datasets and metrics")
	if len(m.d.Datasets) == 0 && len(m.d.Metrics) == 0 {
		m.add(none)
		return
	}
	var items []string
	for _, ds := range m.d.Datasets {
		items = append(items, fmt.Sprintf("**Dataset** %s (%s)", oneLine(ds.Name), m.where(ds.Source)))
	}
	for _, mt := range m.d.Metrics {
		dir := ""
		if mt.HigherIsBetter != nil {
			dir = ", lower is better"
			if *mt.HigherIsBetter {
				dir = ", higher is better"
			}
		}
		items = append(items, fmt.Sprintf("**Metric** %s (%s%s)", oneLine(mt.Name), m.where(mt.Source), dir))
	}
	m.list(items...)
}

// maxResults is the number of reported results the context document lists;
// the JSON has them all.
const maxResults = 60

// results lists the numbers the paper reports for its own method, as the
// targets of a reproduction.
func (m *mdDoc) results() {
	m.add("## Reported results")
	rs := m.d.Results
	if len(rs) == 0 {
		m.add(none)
		return
	}
	m.add("The numbers the paper's results tables report for its own method: the targets of a reproduction.")
	var b strings.Builder
	b.WriteString("| method | dataset | metric | setting | value | better | table |\n| --- | --- | --- | --- | ---: | --- | --- |\n")
	for i := range rs {
		if i == maxResults {
			break
		}
		r := &rs[i]
		value := r.Raw
		if value == "" {
			value = strconv.FormatFloat(r.Value, 'g', -1, 64)
		}
		if r.PlusMinus != nil && !strings.Contains(value, "±") {
			value += " ± " + strconv.FormatFloat(*r.PlusMinus, 'g', -1, 64)
		}
		if r.Bold {
			value = "**" + value + "**"
		}
		better := ""
		if r.HigherIsBetter != nil {
			better = "↓ lower"
			if *r.HigherIsBetter {
				better = "↑ higher"
			}
		}
		table := "Table " + r.Source.Table
		if r.Source.Table == "" {
			table = "a table"
		}
		fmt.Fprintf(&b, "| %s | %s | %s | %s | %s | %s | %s |\n", mdCell(r.Method), mdCell(r.Dataset), mdCell(r.Metric),
			mdCell(r.Setting), mdCell(value), better, table)
	}
	m.addBlock(strings.TrimSuffix(b.String(), "\n"))
	if n := len(rs) - maxResults; n > 0 {
		m.add("_%d more in the JSON output (`results`)._", n)
	}
}

// where names a fact's place: its section, and its table when it has one.
func (m *mdDoc) where(p doc.Provenance) string {
	s := m.section(p.Section, "")
	if p.Table != "" {
		s += ", Table " + p.Table
	}
	return s
}

// mdCell makes text safe for one cell of a Markdown table.
func mdCell(s string) string {
	return strings.ReplaceAll(oneLine(s), "|", `\|`)
}

// gridTable renders rows as a GitHub-flavoured Markdown table. The first row
// is the header row (Markdown tables need one); short rows are padded.
func gridTable(rows [][]doc.Cell) string {
	cols := 0
	for _, r := range rows {
		cols = max(cols, len(r))
	}
	if cols == 0 {
		return ""
	}
	var b strings.Builder
	writeRow := func(r []doc.Cell) {
		b.WriteByte('|')
		for c := range cols {
			text := ""
			if c < len(r) {
				text = cellText(r[c])
			}
			if text == "" {
				b.WriteString(" |")
			} else {
				b.WriteString(" " + text + " |")
			}
		}
	}
	for i, r := range rows {
		if i > 0 {
			b.WriteByte('\n')
		}
		writeRow(r)
		if i == 0 {
			b.WriteString("\n|" + strings.Repeat(" --- |", cols))
		}
	}
	return b.String()
}

// cellText is a cell as Markdown: blank when it is covered by a span that
// starts elsewhere, emphasis as **bold**, *italic* and <u>underline</u>,
// pipes escaped.
func cellText(c doc.Cell) string {
	if c.Spanned {
		return ""
	}
	t := oneLine(c.Text)
	if t == "" {
		return ""
	}
	t = strings.ReplaceAll(t, "|", `\|`)
	if c.Italic {
		t = "*" + t + "*"
	}
	if c.Bold {
		t = "**" + t + "**"
	}
	if c.Underline {
		t = "<u>" + t + "</u>"
	}
	return t
}

func (m *mdDoc) references() {
	m.add("## References")
	refs := m.d.References
	if len(refs) == 0 {
		m.add(none)
		return
	}
	if most := mostCited(refs, 5); most != "" {
		m.add("Most cited: %s.", most)
	}
	var b strings.Builder
	for i := range refs {
		if i > 0 {
			b.WriteByte('\n')
		}
		b.WriteString("- " + referenceLine(&refs[i]))
	}
	m.addBlock(b.String())
}

// mostCited names up to n references with the most citations, most cited
// first, ties in bibliography order.
func mostCited(refs []doc.Reference, n int) string {
	idx := make([]int, 0, len(refs))
	for i := range refs {
		if refs[i].Cited > 0 {
			idx = append(idx, i)
		}
	}
	// Stable insertion sort by count, descending: small n, no map order.
	for i := 1; i < len(idx); i++ {
		for j := i; j > 0 && refs[idx[j]].Cited > refs[idx[j-1]].Cited; j-- {
			idx[j], idx[j-1] = idx[j-1], idx[j]
		}
	}
	if len(idx) > n {
		idx = idx[:n]
	}
	parts := make([]string, len(idx))
	for i, k := range idx {
		parts[i] = fmt.Sprintf("%s (%d)", code(refs[k].Key), refs[k].Cited)
	}
	return strings.Join(parts, ", ")
}

func referenceLine(r *doc.Reference) string {
	var parts []string
	key := code(r.Key)
	if r.Key == "" {
		key = "(no key)"
	}
	parts = append(parts, key+":")
	if len(r.Authors) > 0 {
		parts = append(parts, joinOneLine(r.Authors, ", ")+".")
	}
	if t := oneLine(r.Title); t != "" {
		parts = append(parts, "*"+strings.TrimSuffix(t, ".")+".*")
	}
	var venue []string
	if v := oneLine(r.Venue); v != "" {
		venue = append(venue, v)
	}
	if y := oneLine(r.Year); y != "" {
		venue = append(venue, y)
	}
	if len(venue) > 0 {
		parts = append(parts, strings.Join(venue, ", ")+".")
	}
	if id := strings.TrimSpace(r.ArxivID); id != "" {
		parts = append(parts, "arXiv: "+arxivLink(id)+".")
	}
	if doi := strings.TrimSpace(r.DOI); doi != "" {
		parts = append(parts, "DOI: ["+doi+"](https://doi.org/"+doi+").")
	}
	if u := strings.TrimSpace(r.URL); u != "" {
		parts = append(parts, "URL: <"+u+">.")
	}
	parts = append(parts, citedLine(r))
	return strings.Join(parts, " ")
}

func citedLine(r *doc.Reference) string {
	var s string
	switch r.Cited {
	case 0:
		return "Not cited in the text."
	case 1:
		s = "Cited once"
	default:
		s = fmt.Sprintf("Cited %d times", r.Cited)
	}
	if len(r.CitedIn) > 0 {
		secs := make([]string, len(r.CitedIn))
		for i, n := range r.CitedIn {
			secs[i] = sectionMark(n)
		}
		s += ", in " + strings.Join(secs, ", ")
	}
	return s + "."
}

func (m *mdDoc) warnings() {
	m.add("## Warnings")
	if len(m.d.Warnings) == 0 {
		m.add("None.")
		return
	}
	var b strings.Builder
	for i, w := range m.d.Warnings {
		if i > 0 {
			b.WriteByte('\n')
		}
		b.WriteString("- ")
		if pos := position(w.File, w.Line); pos != "" {
			b.WriteString(pos + ": ")
		}
		b.WriteString(oneLine(w.Message))
	}
	m.addBlock(b.String())
}

// section names a section for the reader: "§3.2 Attention", "§3.2",
// "Acknowledgments" (unnumbered), or the front matter.
func (m *mdDoc) section(number, title string) string {
	title = oneLine(title)
	if title == "" && number != "" {
		title = m.titles[number]
	}
	switch {
	case number != "" && title != "":
		return "§" + number + " " + title
	case number != "":
		return "§" + number
	case title != "":
		return title
	}
	return "front matter (before the first numbered section)"
}

// sectionMark is the short form used in lists: "§3.2", or "unnumbered text"
// (front matter, or a section without a number).
func sectionMark(number string) string {
	if number == "" {
		return "unnumbered text"
	}
	return "§" + number
}

func sectionTitles(secs []doc.Section) map[string]string {
	t := make(map[string]string, len(secs))
	for _, s := range secs {
		if s.Number == "" {
			continue
		}
		if _, ok := t[s.Number]; !ok {
			t[s.Number] = oneLine(s.Title)
		}
	}
	return t
}

// floatTitle is "Table 2: caption", "Table 2", or "Table (unnumbered): caption".
func floatTitle(kind, number, caption string) string {
	t := kind
	if n := oneLine(number); n != "" {
		t += " " + n
	} else {
		t += " (unnumbered)"
	}
	if c := oneLine(caption); c != "" {
		t += ": " + c
	}
	return t
}

func labelsItem(label string, labels []string) string {
	var all []string
	seen := map[string]bool{}
	for _, l := range append([]string{label}, labels...) {
		if l != "" && !seen[l] {
			seen[l] = true
			all = append(all, code(l))
		}
	}
	switch len(all) {
	case 0:
		return ""
	case 1:
		return "**Label:** " + all[0]
	}
	return "**Labels:** " + strings.Join(all, ", ")
}

// item is "**name:** value", or "" when value is empty.
func item(name, value string) string {
	if value == "" {
		return ""
	}
	return "**" + name + ":** " + value
}

// subList is a list item with nested items, or "" when there are none.
func subList(name string, values []string) string {
	var b strings.Builder
	for _, v := range values {
		if v = oneLine(v); v != "" {
			b.WriteString("\n  - " + v)
		}
	}
	if b.Len() == 0 {
		return ""
	}
	return "**" + name + ":**" + b.String()
}

func position(file string, line int) string {
	switch {
	case file != "" && line > 0:
		return code(file + ":" + strconv.Itoa(line))
	case file != "":
		return code(file)
	}
	return ""
}

func arxivLink(id string) string {
	return "[" + id + "](https://arxiv.org/abs/" + id + ")"
}

func codeOrEmpty(s string) string {
	if s == "" {
		return ""
	}
	return code(s)
}

// code is s as an inline code span, with a delimiter longer than any run of
// backticks inside it.
func code(s string) string {
	s = oneLine(s)
	delim := strings.Repeat("`", longestRun(s, '`')+1)
	if strings.HasPrefix(s, "`") || strings.HasSuffix(s, "`") {
		s = " " + s + " "
	}
	return delim + s + delim
}

// fence is body as a fenced code block, with a fence longer than any run of
// backticks inside it. Trailing blank lines are dropped; the text is
// otherwise kept exactly as written.
func fence(lang, body string) string {
	body = strings.TrimRight(strings.ReplaceAll(body, "\r\n", "\n"), " \t\n")
	body = strings.TrimLeft(body, "\n")
	f := strings.Repeat("`", max(3, longestRun(body, '`')+1))
	return f + lang + "\n" + body + "\n" + f
}

func longestRun(s string, c byte) int {
	best, n := 0, 0
	for i := 0; i < len(s); i++ {
		if s[i] == c {
			n++
			best = max(best, n)
		} else {
			n = 0
		}
	}
	return best
}

// oneLine collapses all white space, newlines included, to single spaces.
func oneLine(s string) string {
	return strings.Join(strings.Fields(s), " ")
}

func joinOneLine(ss []string, sep string) string {
	out := make([]string, 0, len(ss))
	for _, s := range ss {
		if s = oneLine(s); s != "" {
			out = append(out, s)
		}
	}
	return strings.Join(out, sep)
}

var blankLine = regexp.MustCompile(`\r?\n[ \t]*\r?\n`)

// splitParagraphs splits text at blank lines and collapses the white space
// inside each paragraph.
func splitParagraphs(s string) []string {
	var out []string
	for _, p := range blankLine.Split(s, -1) {
		if p = oneLine(p); p != "" {
			out = append(out, p)
		}
	}
	return out
}

// fullCaption prefers the whole caption to the listed (short) one: the
// context document is for reading.
func fullCaption(listed, full string) string {
	if full != "" {
		return full
	}
	return listed
}
