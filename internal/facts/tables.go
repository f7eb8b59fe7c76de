package facts

import (
	"strings"

	"github.com/reprohq/repro/doc"
)

// Words in a caption that make a table one of hyperparameters: strong ones
// always, weak ones unless the caption speaks of results.
var (
	strongTableWords = []string{"hyperparameter", "hyper-parameter", "hyper parameter"}
	weakTableWords   = []string{"setting", "configuration", "config", "training detail", "implementation detail",
		"architecture detail", "optimization detail", "experimental detail", "training parameter",
		"model parameter", "parameters used", "training setup", "experimental setup", "architecture"}
	resultWords = []string{"result", "accuracy", "performance", "comparison", "compare", "score", "error",
		"bleu", "fid", "ablation", "outperform", "better", "best", "evaluation", "runtime", "time"}
)

// isHyperTable reports whether a table lists hyperparameters: its caption
// or a header cell says so.
func isHyperTable(t *doc.Table) bool {
	capt := strings.ToLower(t.Caption + " " + t.CaptionFull)
	for _, w := range strongTableWords {
		if strings.Contains(capt, w) {
			return true
		}
	}
	results := false
	for _, w := range resultWords {
		if strings.Contains(capt, w) {
			results = true
		}
	}
	if !results {
		for _, w := range weakTableWords {
			if strings.Contains(capt, w) {
				return true
			}
		}
	}
	// A header that says so: "Hyperparameter | Value", "Parameter | Value",
	// "Setting | ...". "Parameters" over a column of counts does not.
	for ri, row := range t.Rows {
		if ri > 1 {
			break
		}
		for ci, c := range row {
			low := strings.ToLower(strings.TrimSpace(c.Text))
			if strings.Contains(low, "hyperparameter") || strings.Contains(low, "hyper-parameter") {
				return true
			}
			if ci == 0 && (low == "parameter" || low == "setting" || low == "config" || low == "configuration" || low == "name") {
				for _, o := range row[1:] {
					if v := strings.ToLower(strings.TrimSpace(o.Text)); v == "value" || v == "values" {
						return true
					}
				}
			}
		}
	}
	return false
}

// tableItem is a hyperparameter read from a table, with its quote.
type tableItem struct {
	h     hyper
	quote string
}

// rowName names a table's row label: the vocabulary's phrase it contains
// ("Number of Transformer layers" → num_layers), the symbol it is ("$\beta_1$"
// → beta1), else the label itself in snake case ("Perceptual loss weight"
// → perceptual_loss_weight). It also returns the label's symbol.
func rowName(label string, g *glossary) (name, symbol string, def *nameDef) {
	clean := strings.NewReplacer(".", " ", "#", " ", "*", " ").Replace(label)
	toks := lex(clean)
	for _, t := range toks {
		if t.kind == kSym && symbol == "" {
			symbol = t.low
		}
	}
	ms := findMentions(toks)
	if len(ms) > 0 {
		// The last phrase names the row: "Optimizer momentum" is a
		// momentum; "Learning rate schedule" a schedule.
		m := ms[len(ms)-1]
		for _, x := range ms {
			if x.to-x.from > m.to-m.from {
				m = x
			}
		}
		return m.def.name, symbol, m.def
	}
	words := 0
	for _, t := range toks {
		if t.kind == kWord {
			words++
		}
	}
	if words == 0 && symbol != "" {
		if n := g.name(symbol); n != "" {
			return n, symbol, defByName(n)
		}
		return "", symbol, nil
	}
	return snakeName(label), symbol, nil
}

// splitCompound splits "Layers $L$ / hidden size $d$ / heads $H$" and
// "$\beta_1$, $\beta_2$, $\epsilon$" into their parts, outside math and
// parentheses.
func splitCompound(s string) []string {
	var parts []string
	depth := 0
	inMath := false
	from := 0
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case c == '$':
			inMath = !inMath
		case inMath:
		case c == '(' || c == '[' || c == '{':
			depth++
		case c == ')' || c == ']' || c == '}':
			if depth > 0 {
				depth--
			}
		case depth == 0 && (c == '/' || c == ','):
			parts = append(parts, strings.TrimSpace(s[from:i]))
			from = i + 1
		}
	}
	parts = append(parts, strings.TrimSpace(s[from:]))
	for _, p := range parts {
		if p == "" {
			return []string{strings.TrimSpace(s)}
		}
	}
	return parts
}

// extractTable reads the hyperparameters of a hyperparameter table, in any
// of three layouts: rows of name and value; several value columns (one per
// model or data set, whose header becomes AppliesTo); and transposed, with
// the names in the header row and one row per model.
func extractTable(t *doc.Table, g *glossary) []tableItem {
	rows := nonEmptyRows(t.Rows)
	if len(rows) == 0 {
		return nil
	}
	ncol := 0
	for _, r := range rows {
		if len(r) > ncol {
			ncol = len(r)
		}
	}
	if ncol < 2 {
		return nil
	}
	// Header rows: the leading rows marked as header, unless they hold
	// values ("# Layers & 12" above the first rule).
	nh := 0
	for nh < len(rows) && allHeader(rows[nh]) && !rowHasValue(rows[nh]) {
		nh++
	}
	if nh == len(rows) {
		nh = 0
	}
	// No rule under the header: a first row without numbers is one.
	if nh == 0 && len(rows) > 1 && !rowHasValue(rows[0]) && !rowHasValue(rows[0][:1]) {
		if v, ok := parseCellValue(rows[0][0].Text); !ok || v.kind == kindText {
			nh = 1
		}
	}
	// Transposed: the names are in the header row.
	if nh > 0 {
		hdr := rows[nh-1]
		named := 0
		for c := 1; c < len(hdr); c++ {
			if _, _, d := rowName(hdr[c].Text, g); d != nil {
				named++
			}
		}
		firstNamed := 0
		for _, r := range rows[nh:] {
			if len(r) > 0 {
				if _, _, d := rowName(r[0].Text, g); d != nil {
					firstNamed++
				}
			}
		}
		// Names in the header and labels down the first column (a model
		// or a scale per row), or neither named and several columns.
		if named > firstNamed || named == 0 && firstNamed == 0 && ncol > 2 {
			return transposed(t, rows, nh, g)
		}
	}
	// Value columns and their headers.
	var cols []int
	for c := 1; c < ncol; c++ {
		h := strings.ToLower(strings.TrimSpace(headerText(rows[:nh], c)))
		switch {
		case isMetricHeader(h):
			continue
		case strings.Contains(h, "description"), strings.Contains(h, "note"), strings.Contains(h, "comment"),
			strings.Contains(h, "meaning"), strings.Contains(h, "explanation"), strings.Contains(h, "symbol"):
			continue
		}
		cols = append(cols, c)
	}
	var out []tableItem
	prevLabel := ""
	for _, r := range rows[nh:] {
		if len(r) < 2 {
			continue
		}
		label := strings.TrimSpace(r[0].Text)
		if label == "" || r[0].Spanned {
			label = prevLabel
		}
		if label == "" || isMetricHeader(label) {
			continue
		}
		prevLabel = label
		for _, c := range cols {
			if c >= len(r) || r[c].Spanned && c > 1 && r[c-1].Spanned {
				continue
			}
			cell := strings.TrimSpace(r[c].Text)
			if cell == "" {
				continue
			}
			appliesTo := ""
			if len(cols) > 1 {
				appliesTo = headerText(rows[:nh], c)
			}
			quote := label + " | " + cell
			if len(cols) > 1 {
				quote = rowQuote(r)
			}
			for _, h := range cellItems(label, cell, g) {
				if appliesTo != "" {
					h.appliesTo = appliesTo
				}
				out = append(out, tableItem{h: h, quote: quote})
			}
		}
	}
	return out
}

// transposed reads a table whose header row holds the names.
func transposed(t *doc.Table, rows [][]doc.Cell, nh int, g *glossary) []tableItem {
	hdr := rows[nh-1]
	var out []tableItem
	for _, r := range rows[nh:] {
		label := ""
		if len(r) > 0 {
			label = strings.TrimSpace(r[0].Text)
		}
		for c := 1; c < len(r) && c < len(hdr); c++ {
			cell := strings.TrimSpace(r[c].Text)
			if cell == "" || isMetricHeader(hdr[c].Text) {
				continue
			}
			for _, h := range cellItems(hdr[c].Text, cell, g) {
				if label != "" {
					h.appliesTo = label
				}
				out = append(out, tableItem{h: h, quote: strings.TrimSpace(hdr[c].Text) + " | " + cell})
			}
		}
	}
	return out
}

// cellItems reads the hyperparameters of one name cell and one value cell.
func cellItems(label, cell string, g *glossary) []hyper {
	// "$\beta_1{=}0.9, \beta_2{=}0.96$": the value cell names its symbols.
	if strings.Contains(cell, "=") {
		var out []hyper
		for _, h := range extractSentence(cell, g, strings.ToLower(label)) {
			if h.symbol != "" {
				out = append(out, h)
			}
		}
		if len(out) > 0 {
			return out
		}
	}
	names := splitCompound(label)
	vals := splitCompound(cell)
	if len(names) > 1 && len(names) == len(vals) {
		var out []hyper
		for i := range names {
			out = append(out, cellItems(names[i], vals[i], g)...)
		}
		return out
	}
	name, sym, def := rowName(label, g)
	if name == "" {
		return nil
	}
	v, ok := parseCellValue(cell)
	if !ok {
		return nil
	}
	appliesTo := ""
	if def != nil {
		appliesTo = def.appliesTo
		if def.text || v.kind == kindText {
			v = canonicalText(def, v)
		}
		if !plausible(def, v) {
			return nil
		}
	}
	// "6000 HalfCheetah": the value for one environment.
	if v.kind == kindNumber {
		toks := lex(cell)
		if n := len(toks); n == 2 && toks[1].kind == kWord && isUpperStart(toks[1].text) {
			appliesTo = toks[1].text
		}
	}
	if appliesTo == "" {
		appliesTo = toMethod
	}
	return []hyper{{name: name, symbol: sym, val: v, appliesTo: appliesTo, unit: cellUnit(cell)}}
}

// canonicalText gives an optimizer or a schedule its canonical spelling.
func canonicalText(def *nameDef, v value) value {
	s, ok := v.v.(string)
	if !ok {
		return v
	}
	first := strings.ToLower(strings.Fields(s + " x")[0])
	switch def.name {
	case "optimizer":
		if c, ok := optimizers[first]; ok {
			v.v = c
		}
	case "lr_schedule":
		if c, ok := schedules[first]; ok {
			v.v = c
		}
	case "activation":
		if c, ok := activations[first]; ok {
			v.v = c
		}
	}
	v.kind = kindText
	return v
}

func cellUnit(cell string) string {
	toks := lex(cell)
	if len(toks) == 2 && toks[0].kind == kNum && toks[1].kind == kWord {
		switch toks[1].low {
		case "frames", "tokens", "iterations", "updates", "timesteps", "pixels":
			return toks[1].low
		}
	}
	return ""
}

func isUpperStart(s string) bool {
	return s != "" && s[0] >= 'A' && s[0] <= 'Z'
}

func nonEmptyRows(rows [][]doc.Cell) [][]doc.Cell {
	var out [][]doc.Cell
	for _, r := range rows {
		for _, c := range r {
			if strings.TrimSpace(c.Text) != "" {
				out = append(out, r)
				break
			}
		}
	}
	return out
}

func allHeader(r []doc.Cell) bool {
	for _, c := range r {
		if !c.Header && strings.TrimSpace(c.Text) != "" {
			return false
		}
	}
	return true
}

// rowHasValue reports whether a row's cells after the first hold a number.
func rowHasValue(r []doc.Cell) bool {
	for _, c := range r[1:] {
		if v, ok := parseCellValue(c.Text); ok && v.kind != kindText {
			return true
		}
	}
	return false
}

// headerText joins the header cells above column c, top to bottom.
func headerText(hdr [][]doc.Cell, c int) string {
	var parts []string
	for _, r := range hdr {
		if c < len(r) {
			t := strings.TrimSpace(r[c].Text)
			if t != "" && (len(parts) == 0 || parts[len(parts)-1] != t) {
				parts = append(parts, t)
			}
		}
	}
	return strings.Join(parts, " / ")
}

// rowQuote renders a table row as "cell | cell | ...".
func rowQuote(r []doc.Cell) string {
	var parts []string
	for _, c := range r {
		parts = append(parts, strings.TrimSpace(c.Text))
	}
	return strings.Join(parts, " | ")
}

// isMetricHeader reports whether a column's header names a result (a
// metric, a runtime) rather than a setting.
func isMetricHeader(h string) bool {
	low := strings.ToLower(h)
	for _, w := range []string{"runtime", "time", "perplexity", "accuracy", "acc.", "score", "test", "error", "bleu", "fid"} {
		if strings.Contains(low, w) {
			return true
		}
	}
	if low == "acc" {
		return true
	}
	return len(metricMatcher.find(lex(h))) > 0
}
