// Package tabular turns the body of a LaTeX tabular (tabular, tabular*,
// tabularx, tabulary, longtable, array) into a grid of doc.Cell: rows split
// on \\, cells on &, rules dropped, \multicolumn and \multirow spread over
// the grid, each cell's text, font, numeric value and ± read.
//
// Parse accepts any input: unbalanced braces, stray & or \\ and absurd
// spans give a best-effort grid, never a panic, in time linear in the
// input (grids are bounded, see maxCols and maxGrid).
package tabular

import (
	"strconv"
	"strings"

	"github.com/reprohq/repro/doc"
	"github.com/reprohq/repro/internal/latex"
	"github.com/reprohq/repro/internal/latex/plain"
)

// maxGrid bounds rows×columns of a padded grid; beyond it short rows are
// left short rather than padded.
const maxGrid = 1 << 18

// maxHeader is the most rows that header detection marks.
const maxHeader = 5

// Parse splits body, the text between \begin{tabular}{colspec} and
// \end{tabular}, into rows of cells.
//
// Rows end at top-level \\ (also \\[2pt], \\*, \tabularnewline); cells at
// top-level & (not inside braces or nested environments, not \&). Rule
// commands (\hline \toprule \midrule \bottomrule \cmidrule \cline
// \addlinespace \specialrule \hhline \rowcolor \cellcolor ...) are dropped,
// and so are rows left empty. \multicolumn{n}{spec}{text} gives a cell with
// ColSpan n followed by n-1 Spanned copies; \multirow{n}{width}{text} gives
// RowSpan n and turns the (normally empty) cells below into Spanned copies;
// a negative n (\multirow{-2}) spans upward, and the top cell of the span
// becomes the one with RowSpan; a \multirow with no text spans nothing.
// Rows above the first header-ending rule that follows content (\midrule,
// \hline, \toprule, \specialrule, \hhline, \Xhline, \hdashline, or a
// longtable's \endfirsthead/\endhead) are marked Header, when there are at
// most five of them and rows follow. Every row has at least as many cells
// as colspec declares columns (short rows are padded with empty cells)
// unless the grid would exceed 2^18 cells.
//
// The result is never nil; a body without content gives an empty slice.
func Parse(colspec, body string) [][]doc.Cell {
	toks := latex.Scan(body, 0)
	raws := split(toks)
	raws = longtableParts(raws)

	var grid [][]doc.Cell
	var spans []span
	var ruleBefore []bool
	carry := false     // a header-ending rule seen on rows that were dropped
	coveredUntil := -1 // the last row a \multirow from above covers
	for _, raw := range raws {
		row, rowSpans, rules := buildRow(raw, len(grid))
		carry = carry || rules || raw.marker
		if isEmpty(row) && len(rowSpans) == 0 {
			// A row that only held rules (or nothing): LaTeX would print an
			// empty row, but it carries no data. It still counts for
			// \multirow spans from above, so keep it when one covers it.
			if len(grid) > coveredUntil {
				continue
			}
		}
		grid = append(grid, row)
		spans = append(spans, rowSpans...)
		for _, s := range rowSpans {
			if s.n > 1 {
				coveredUntil = max(coveredUntil, s.row+s.n-1)
			}
		}
		ruleBefore = append(ruleBefore, carry)
		carry = false
	}

	ncols := Columns(colspec)
	for _, row := range grid {
		ncols = max(ncols, len(row))
	}
	if len(grid)*ncols <= maxGrid {
		for r := range grid {
			for len(grid[r]) < ncols {
				grid[r] = append(grid[r], doc.Cell{})
			}
		}
	}
	for _, s := range spans {
		s.apply(grid)
	}
	grid = dropEmpty(grid, &ruleBefore)

	header := headerRows(grid, ruleBefore)
	for r := 0; r < header; r++ {
		for c := range grid[r] {
			grid[r][c].Header = true
		}
	}
	if grid == nil {
		grid = [][]doc.Cell{}
	}
	return grid
}

// rawRow is one row of the source: its cells' tokens and what ended it.
type rawRow struct {
	cells [][]latex.Token
	// part names the longtable marker (endhead, endfirsthead, endfoot,
	// endlastfoot) that ended the row, if any; marker is set on the empty
	// row that longtableParts puts after a kept head, to end the header.
	part   string
	marker bool
}

// split cuts the body into rows and cells at top-level \\ and &.
func split(toks []latex.Token) []rawRow {
	var rows []rawRow
	var cells [][]latex.Token
	depth, env := 0, 0
	start := 0
	endCell := func(i int) {
		cells = append(cells, toks[start:i])
	}
	endRow := func(marker string) {
		rows = append(rows, rawRow{cells: cells, part: marker})
		cells = nil
	}
	for i := 0; i < len(toks); {
		t := toks[i]
		switch t.Kind {
		case latex.BeginGrp:
			depth++
		case latex.EndGrp:
			depth = max(depth-1, 0)
		case latex.AlignTab:
			if depth == 0 && env == 0 {
				endCell(i)
				start = i + 1
			}
		case latex.Command:
			switch t.Text {
			case `\begin`:
				if name, next, ok := plain.EnvName(toks, i+1); ok && name != "" {
					env++
					i = next
					continue
				}
			case `\end`:
				if _, next, ok := plain.EnvName(toks, i+1); ok {
					env = max(env-1, 0)
					i = next
					continue
				}
			}
			if depth != 0 || env != 0 {
				break
			}
			switch t.Text {
			case `\\`, `\tabularnewline`, `\cr`, `\crcr`:
				endCell(i)
				next := i + 1
				if t.Text == `\\` {
					next, _ = plain.Star(toks, next)
					if _, n, ok := plain.Optional(toks, next); ok && n-next < 32 {
						next = n
					}
				}
				endRow("")
				start, i = next, next
				continue
			case `\endfirsthead`, `\endhead`, `\endfoot`, `\endlastfoot`:
				endCell(i)
				endRow(t.Text[1:])
				start = i + 1
			}
		}
		i++
	}
	if start < len(toks) || len(cells) > 0 {
		cells = append(cells, toks[min(start, len(toks)):])
		rows = append(rows, rawRow{cells: cells})
	}
	return rows
}

// longtableParts keeps a longtable's first head and body and drops the
// repeated head and the feet. Rows are tagged by the marker that ends their
// part: a row tagged "endhead" closes the rows since the previous marker.
func longtableParts(rows []rawRow) []rawRow {
	hasMarker, hasFirst := false, false
	for _, r := range rows {
		if r.part != "" {
			hasMarker = true
			hasFirst = hasFirst || r.part == "endfirsthead"
		}
	}
	if !hasMarker {
		return rows
	}
	var out []rawRow
	partStart := 0
	for i, r := range rows {
		if r.part == "" {
			continue
		}
		part := rows[partStart : i+1]
		partStart = i + 1
		keep := r.part == "endfirsthead" || r.part == "endhead" && !hasFirst || r.part == "endlastfoot"
		if !keep {
			continue
		}
		out = append(out, part...)
		if r.part != "endlastfoot" {
			// the marker ends the header: the next row starts the body
			out = append(out, rawRow{marker: true})
		}
	}
	return append(out, rows[partStart:]...)
}

// span is a \multirow waiting for the grid to be complete.
type span struct {
	row, col, colspan, n int
}

// buildRow turns a raw row into cells. rules reports a header-ending rule
// (\midrule, \hline ...) in the row's source.
func buildRow(raw rawRow, rowIndex int) (row []doc.Cell, spans []span, rules bool) {
	for _, toks := range raw.cells {
		toks, ruled := stripRules(toks)
		rules = rules || ruled
		toks = trim(toks)
		colspan, rowspan := 1, 1
		if len(toks) > 0 && toks[0].Is(`\multicolumn`) {
			var n []latex.Token
			var next int
			var ok bool
			if n, next, ok = plain.Arg(toks, 1); ok {
				colspan = clamp(atoi(n, 1), 1, maxCols)
				next = plain.SkipArgs(toks, next, "m")
				if inner, after, ok := plain.Arg(toks, next); ok {
					// anything after the text argument stays with the cell
					toks = append(append([]latex.Token{}, inner...), toks[after:]...)
				} else {
					toks = toks[next:]
				}
				toks, _ = stripRules(toks)
				toks = trim(toks)
			}
		}
		if len(toks) > 0 && (toks[0].Is(`\multirow`) || toks[0].Is(`\multirowcell`)) {
			toks, rowspan = multirow(toks)
		}
		c := cell(toks)
		if colspan > 1 {
			c.ColSpan = colspan
		}
		col := len(row)
		row = append(row, c)
		for k := 1; k < colspan; k++ {
			row = append(row, spanned(c))
		}
		if (rowspan > 1 || rowspan < -1) && c.Text != "" {
			spans = append(spans, span{row: rowIndex, col: col, colspan: colspan, n: rowspan})
		}
	}
	return row, spans, rules
}

// multirow reads \multirow[vpos]{n}[bigstruts]{width}[fixup]{text} (or
// \multirowcell{n}[..]{text}) and returns the text and n.
func multirow(toks []latex.Token) ([]latex.Token, int) {
	spec := "omomo"
	if toks[0].Is(`\multirowcell`) {
		spec = "mo"
	}
	i, n, mandatory := 1, 1, 0
	for _, c := range spec {
		switch c {
		case 'o':
			i = plain.SkipArgs(toks, i, "o")
		case 'm':
			arg, next, ok := plain.Arg(toks, i)
			if !ok {
				return toks[min(i, len(toks)):], 1
			}
			if mandatory == 0 {
				n = atoi(arg, 1)
			}
			mandatory++
			i = next
		}
	}
	inner, next, ok := plain.Arg(toks, i)
	if !ok {
		return toks[min(i, len(toks)):], n
	}
	out := append(append([]latex.Token{}, inner...), toks[next:]...)
	return trim(out), clamp(n, -maxCols*16, maxCols*16)
}

// rules: commands dropped from cells. The value is the argument spec;
// ends says whether the rule ends a header.
var rules = map[string]struct {
	spec string
	ends bool
}{
	`\hline`: {"", true}, `\toprule`: {"o", true}, `\midrule`: {"o", true}, `\bottomrule`: {"o", false},
	`\cmidrule`: {"opm", false}, `\cline`: {"m", false}, `\cdashline`: {"m", false},
	`\hdashline`: {"o", true}, `\addlinespace`: {"o", false}, `\specialrule`: {"mmm", true},
	`\hhline`: {"m", true}, `\Xhline`: {"m", true}, `\Xcline`: {"mm", false}, `\firsthline`: {"", false},
	`\lasthline`: {"", false}, `\morecmidrules`: {"", false}, `\arrayrulecolor`: {"om", false},
	`\rowcolor`: {"om", false}, `\rowcolors`: {"somm", false}, `\noalign`: {"m", false},
	`\cellcolor`: {"om", false}, `\caption`: {"om", false}, `\label`: {"m", false},
	`\pagebreak`: {"o", false}, `\newpage`: {"", false}, `\nopagebreak`: {"o", false},
	`\bigstrut`: {"o", false}, `\hlineB`: {"m", true}, `\thickhline`: {"", true},
	`\belowrulesepcolor`: {"m", false}, `\aboverulesepcolor`: {"m", false}, `\vspace`: {"sm", false},
	`\hiderowcolors`: {"", false}, `\showrowcolors`: {"", false},
}

// stripRules removes rule commands and their arguments at the top level of
// a cell and reports whether one of them ends a header.
func stripRules(toks []latex.Token) ([]latex.Token, bool) {
	var out []latex.Token
	ends := false
	depth := 0
	last := 0
	for i := 0; i < len(toks); {
		t := toks[i]
		switch t.Kind {
		case latex.BeginGrp:
			depth++
		case latex.EndGrp:
			depth = max(depth-1, 0)
		case latex.Command:
			if depth != 0 {
				break
			}
			r, ok := rules[t.Text]
			if !ok {
				break
			}
			out = append(out, toks[last:i]...)
			ends = ends || r.ends
			i = max(plain.SkipArgs(toks, i+1, r.spec), i+1)
			last = i
			continue
		}
		i++
	}
	if last == 0 {
		return toks, ends
	}
	return append(out, toks[last:]...), ends
}

// trim drops spaces, paragraph breaks and comments at both ends.
func trim(toks []latex.Token) []latex.Token {
	blank := func(k latex.Kind) bool { return k == latex.Space || k == latex.Comment || k == latex.Par }
	for len(toks) > 0 && blank(toks[0].Kind) {
		toks = toks[1:]
	}
	for len(toks) > 0 && blank(toks[len(toks)-1].Kind) {
		toks = toks[:len(toks)-1]
	}
	return toks
}

// cell renders a cell's tokens.
func cell(toks []latex.Token) doc.Cell {
	in := plain.Analyze(plain.Join(toks))
	c := doc.Cell{
		Text:      in.Text,
		Bold:      in.Bold,
		Italic:    in.Italic,
		Underline: in.Underline,
		Math:      in.MathRunes > in.TextRunes,
	}
	c.Value, c.PlusMinus = Number(in.Text)
	return c
}

// spanned is the copy of c placed on a grid position that c covers.
func spanned(c doc.Cell) doc.Cell {
	return doc.Cell{Text: c.Text, Bold: c.Bold, Italic: c.Italic, Underline: c.Underline, Math: c.Math, Spanned: true}
}

// blankCell reports whether a grid position holds nothing, so that a
// \multirow may cover it.
func blankCell(c doc.Cell) bool { return c.Text == "" && c.RowSpan == 0 }

// apply spreads a \multirow over the rows below (or above, for negative n).
func (s span) apply(grid [][]doc.Cell) {
	if s.row >= len(grid) || s.col >= len(grid[s.row]) {
		return
	}
	cols := func(r int) bool { // are the span's columns present on row r?
		return s.col+s.colspan <= len(grid[r])
	}
	if s.n > 1 {
		// Cover the blank cells below, stopping at the first row whose
		// cells are taken (LaTeX would overprint them).
		src := grid[s.row][s.col]
		last := s.row
		for r := s.row + 1; r < len(grid) && r < s.row+s.n && cols(r); r++ {
			free := true
			for c := s.col; c < s.col+s.colspan; c++ {
				free = free && blankCell(grid[r][c])
			}
			if !free {
				break
			}
			for c := s.col; c < s.col+s.colspan; c++ {
				grid[r][c] = spanned(src)
			}
			last = r
		}
		if last > s.row {
			grid[s.row][s.col].RowSpan = last - s.row + 1
		}
		return
	}
	// Negative: the cell sits on the span's last row; move it to the top.
	top := max(s.row+s.n+1, 0)
	if top == s.row {
		return
	}
	for r := top; r < s.row; r++ {
		if !cols(r) {
			return
		}
		for c := s.col; c < s.col+s.colspan; c++ {
			if !blankCell(grid[r][c]) {
				return // the rows above are not free: leave the cell where it is
			}
		}
	}
	src := grid[s.row][s.col]
	for r := top; r <= s.row; r++ {
		for c := s.col; c < s.col+s.colspan; c++ {
			grid[r][c] = spanned(src)
		}
	}
	grid[top][s.col] = src
	grid[top][s.col].RowSpan = s.row - top + 1
}

func isEmpty(row []doc.Cell) bool {
	for _, c := range row {
		if !blankCell(c) {
			return false
		}
	}
	return true
}

// dropEmpty removes rows with no text and no span, moving their
// header-ending rules to the next row.
func dropEmpty(grid [][]doc.Cell, ruleBefore *[]bool) [][]doc.Cell {
	out := grid[:0]
	rb := (*ruleBefore)[:0]
	carry := false
	for r, row := range grid {
		carry = carry || (*ruleBefore)[r]
		if isEmpty(row) {
			continue
		}
		out = append(out, row)
		rb = append(rb, carry)
		carry = false
	}
	*ruleBefore = rb
	return out
}

// headerRows returns how many leading rows are the header: those above the
// first header-ending rule (or longtable head marker) that follows
// content, when there are at most maxHeader of them and some rows follow.
func headerRows(grid [][]doc.Cell, ruleBefore []bool) int {
	for k := 1; k < len(grid) && k <= maxHeader; k++ {
		if ruleBefore[k] {
			return k
		}
	}
	return 0
}

func atoi(toks []latex.Token, def int) int {
	s := strings.TrimSpace(plain.Join(toks))
	n, err := strconv.Atoi(s)
	if err != nil {
		return def
	}
	return n
}

func clamp(n, lo, hi int) int { return max(lo, min(n, hi)) }
