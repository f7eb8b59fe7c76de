package layout

import (
	"cmp"
	"math"
	"regexp"
	"slices"
	"sort"
	"strings"
	"unicode"

	"github.com/reprohq/repro/internal/pdf"
)

// Analyze lays out every page of f.
func Analyze(f *pdf.File) *Doc {
	if f == nil {
		return &Doc{Columns: 1, Body: 10}
	}
	d := &Doc{Dests: f.Dests, Meta: f.Meta, Columns: 1}
	cols := map[int]int{}
	for i := range f.Pages {
		p, ncol := analyzePage(&f.Pages[i], false)
		d.Pages = append(d.Pages, p)
		if ncol > 0 {
			cols[ncol]++
		}
	}
	if cols[2] > cols[1] {
		d.Columns = 2
		// In a two-column paper a page with little in one column (the
		// last page, a page of floats) still has its gutter.
		for i := range d.Pages {
			if d.Pages[i].Columns == 1 && len(f.Pages[i].Chars) > 0 {
				if p, ncol := analyzePage(&f.Pages[i], true); ncol == 2 {
					d.Pages[i] = p
				}
			}
		}
	}
	removeRunning(d)
	d.Body = bodySize(d)
	return d
}

// chunk is a run of characters on one baseline without a gap of an em or
// more: the unit columns are assigned by.
type chunk struct {
	chars    []pdf.Char
	x0, x1   float64
	baseline float64
	size     float64
	group    int // baseline group index
	gs, ge   int // the chunk's characters are groups[group][gs:ge]
	col      int
}

func analyzePage(pg *pdf.Page, twoColDoc bool) (Page, int) {
	out := Page{Number: pg.Number, Width: pg.Width, Height: pg.Height, Links: pg.Links, Columns: 1, Gutter: pg.Width / 2}
	chars := make([]pdf.Char, 0, len(pg.Chars))
	var rotated []pdf.Char
	var spaces []pdf.Char
	for _, c := range pg.Chars {
		if c.Generated || c.R == ' ' || c.R == '\u00a0' || c.R == '\r' || c.R == '\n' || c.R == 0 {
			if c.R == ' ' || c.R == '\u00a0' {
				spaces = append(spaces, c)
			}
			continue
		}
		if unicode.IsControl(c.R) && c.R != 2 && !classOf(c.Font).ext {
			continue
		}
		if math.Abs(c.Angle) > 0.01 && math.Abs(c.Angle-2*math.Pi) > 0.01 {
			rotated = append(rotated, c)
			continue
		}
		c.R = remapGlyph(c.Font, c.R)
		if c.Size <= 0 {
			c.Size = c.Y1 - c.Y0
			if c.Size <= 0 {
				c.Size = 1
			}
		}
		if classOf(c.Font).ext && c.Y1-c.Y0 > 0.9*c.Size {
			// TeX hangs big operators and delimiters from their top;
			// they are centred on the math axis, a quarter em above the
			// baseline of the row they belong to.
			c.OY = (c.Y0+c.Y1)/2 + 0.25*c.Size
		}
		chars = append(chars, c)
	}
	slices.SortFunc(spaces, func(a, b pdf.Char) int { return cmp.Compare(a.OY, b.OY) })
	if len(rotated) > 0 {
		out.Removed = append(out.Removed, rotatedLines(pg.Number, rotated)...)
	}
	if len(chars) == 0 {
		return out, 0
	}
	// Baseline groups.
	slices.SortStableFunc(chars, func(a, b pdf.Char) int { return cmp.Compare(a.OY, b.OY) })
	var groups [][]pdf.Char
	start := 0
	for i := 1; i <= len(chars); i++ {
		if i == len(chars) || chars[i].OY-chars[i-1].OY > 0.6 {
			groups = append(groups, chars[start:i])
			start = i
		}
	}
	// Chunks.
	var chunks []*chunk
	for gi, g := range groups {
		slices.SortStableFunc(g, func(a, b pdf.Char) int { return cmp.Compare(a.X0, b.X0) })
		cs := 0
		maxX := g[0].X1
		for i := 1; i <= len(g); i++ {
			if i < len(g) {
				em := math.Max(g[i].Size, g[i-1].Size)
				if g[i].X0-maxX < 0.95*em {
					maxX = math.Max(maxX, g[i].X1)
					continue
				}
			}
			ch := &chunk{chars: g[cs:i], group: gi, gs: cs, ge: i}
			ch.x0, ch.x1 = g[cs].X0, maxX
			ch.baseline, ch.size = dominant(g[cs:i])
			for _, c := range g[cs:i] {
				ch.x0 = math.Min(ch.x0, c.X0)
			}
			chunks = append(chunks, ch)
			if i < len(g) {
				cs = i
				maxX = g[i].X1
			}
		}
	}
	chunks, lineNums := removeLineNumbers(chunks, pg)
	out.Removed = append(out.Removed, lineNums...)

	// Columns.
	ncol, gutter := detectColumns(chunks, pg, twoColDoc)
	out.Columns, out.Gutter = ncol, gutter
	fullGroup := map[int]bool{}
	for _, ch := range chunks {
		ch.col = 0
		if ncol == 2 {
			switch {
			case ch.x1 <= gutter+2:
				ch.col = 0
			case ch.x0 >= gutter-2:
				ch.col = 1
			default:
				ch.col = -1
				fullGroup[ch.group] = true
			}
		}
	}
	// Raw lines: one per (group, column).
	type key struct{ g, c int }
	raw := map[key]*rawLine{}
	var order []key
	for _, ch := range chunks {
		c := ch.col
		if fullGroup[ch.group] {
			c = -1
		}
		k := key{ch.group, c}
		rl := raw[k]
		if rl == nil {
			rl = &rawLine{col: c, gs: ch.gs, ge: ch.ge}
			raw[k] = rl
			order = append(order, k)
		}
		// The chunks of a line are neighbours in their group (sorted by
		// x); the line's characters are one slice of it, capped so that
		// merging scripts into it copies.
		rl.gs, rl.ge = min(rl.gs, ch.gs), max(rl.ge, ch.ge)
		rl.chars = groups[ch.group][rl.gs:rl.ge:rl.ge]
	}
	var rls []*rawLine
	for _, k := range order {
		rl := raw[k]
		rl.finish()
		rls = append(rls, rl)
	}
	rls = mergeScripts(rls)
	var lines []Line
	for _, rl := range rls {
		lines = append(lines, makeLine(pg.Number, rl, spaces))
	}
	out.Lines = readingOrder(lines)
	return out, ncol
}

// rawLine is a line before sub- and superscripts are merged into it.
type rawLine struct {
	chars          []pdf.Char
	gs, ge         int
	col            int
	baseline, size float64
	x0, x1         float64
	dead           bool
}

func (rl *rawLine) finish() {
	rl.baseline, rl.size = dominant(rl.chars)
	rl.x0, rl.x1 = math.Inf(1), math.Inf(-1)
	for _, c := range rl.chars {
		rl.x0 = math.Min(rl.x0, c.X0)
		rl.x1 = math.Max(rl.x1, c.X1)
	}
}

// dominant returns the baseline and size of the most characters.
func dominant(cs []pdf.Char) (baseline, size float64) {
	type bs struct {
		b, s float64
		n    int
	}
	var counts [8]bs
	k := 0
	best := bs{b: cs[0].OY, s: cs[0].Size}
	for i := range cs {
		b, s := math.Round(cs[i].OY*4)/4, math.Round(cs[i].Size*10)/10
		j := 0
		for ; j < k; j++ {
			if counts[j].b == b && counts[j].s == s {
				break
			}
		}
		if j == k {
			if k == len(counts) {
				continue
			}
			counts[k] = bs{b: b, s: s}
			k++
		}
		counts[j].n++
		if c := counts[j]; c.n > best.n || c.n == best.n && c.s > best.s {
			best = c
		}
	}
	return best.b, best.s
}

// IsAccent reports the spacing accents TeX sets above a letter as glyphs
// of their own (tilde, hat, bar, dot, check, breve, dieresis).
func IsAccent(r rune) bool {
	switch r {
	case 0x02DC, 0x02C6, 0x00AF, 0x02D9, 0x02C7, 0x02D8, 0x00A8, 0x02DA, 0x20D7, '~', '^':
		return true
	}
	return false
}

func isAccentLine(rl *rawLine) bool {
	if len(rl.chars) > 4 {
		return false
	}
	for _, c := range rl.chars {
		if !IsAccent(c.R) {
			return false
		}
	}
	return true
}

// mergeScripts merges the lines of sub- and superscripts (smaller, on a
// nearby baseline, within the x-extent of a line) into that line.
func mergeScripts(rls []*rawLine) []*rawLine {
	idx := make([]int, len(rls))
	for i := range idx {
		idx[i] = i
	}
	// Smallest and shortest first, so scripts merge into big lines.
	sort.SliceStable(idx, func(a, b int) bool {
		ra, rb := rls[idx[a]], rls[idx[b]]
		if ra.size != rb.size {
			return ra.size < rb.size
		}
		return len(ra.chars) < len(rb.chars)
	})
	for _, i := range idx {
		a := rls[i]
		if a.dead {
			continue
		}
		var best *rawLine
		bestD := math.Inf(1)
		accent := isAccentLine(a)
		for _, b := range rls {
			if b == a || b.dead || b.col != a.col {
				continue
			}
			if accent && !isAccentLine(b) {
				// An accent merges into the line whose letter it sits on.
				d := b.baseline - a.baseline
				if d > 0 && d < 1.3*b.size && a.x0 >= b.x0-2 && a.x1 <= b.x1+2 && d < bestD {
					best, bestD = b, d
				}
				continue
			}
			d := a.baseline - b.baseline
			ad := math.Abs(d)
			small := a.size <= 0.9*b.size
			same := a.size <= b.size*1.05 && ad <= 0.2*b.size
			if !small && !same {
				continue
			}
			if small && (d < -0.62*b.size || d > 0.45*b.size) {
				continue
			}
			if small && len(a.chars) > len(b.chars)*2+4 {
				continue
			}
			if a.x0 < b.x0-b.size*1.2 || a.x1 > b.x1+b.size*1.2 {
				continue
			}
			if ad < bestD {
				best, bestD = b, ad
			}
		}
		if best != nil {
			best.chars = append(best.chars, a.chars...)
			best.x0 = math.Min(best.x0, a.x0)
			best.x1 = math.Max(best.x1, a.x1)
			a.dead = true
		}
	}
	var out []*rawLine
	for _, rl := range rls {
		if !rl.dead {
			out = append(out, rl)
		}
	}
	return out
}

func makeLine(page int, rl *rawLine, spaces []pdf.Char) Line {
	cs := rl.chars
	slices.SortStableFunc(cs, func(a, b pdf.Char) int {
		if c := cmp.Compare(a.X0, b.X0); c != 0 {
			return c
		}
		return cmp.Compare(a.OY, b.OY)
	})
	l := Line{Page: page, Column: rl.col, Baseline: rl.baseline, Size: rl.size, Chars: cs}
	l.X0, l.Y0, l.X1, l.Y1 = math.Inf(1), math.Inf(1), math.Inf(-1), math.Inf(-1)
	for _, c := range cs {
		l.X0 = math.Min(l.X0, c.X0)
		l.Y0 = math.Min(l.Y0, c.Y0)
		l.X1 = math.Max(l.X1, c.X1)
		l.Y1 = math.Max(l.Y1, c.Y1)
	}
	l.SpaceBefore = make([]bool, len(cs))
	maxX := cs[0].X1
	for i := 1; i < len(cs); i++ {
		l.SpaceBefore[i] = spaceGap(cs, i, maxX, spaces)
		maxX = math.Max(maxX, cs[i].X1)
	}
	// Spans.
	start := 0
	maxX = cs[0].X1
	for i := 1; i <= len(cs); i++ {
		if i < len(cs) {
			em := math.Max(cs[i].Size, cs[i-1].Size)
			if cs[i].X0-maxX < 0.95*em {
				maxX = math.Max(maxX, cs[i].X1)
				continue
			}
		}
		l.Spans = append(l.Spans, makeSpan(cs, start, i-1, spaces))
		if i < len(cs) {
			start = i
			maxX = cs[i].X1
		}
	}
	var parts []string
	for _, s := range l.Spans {
		parts = append(parts, s.Text)
	}
	l.Text = strings.Join(parts, " ")
	l.Font, l.Bold, l.Italic, l.Math = style(cs)
	last := cs[len(cs)-1]
	l.Hyphen = last.R == 2 || last.R == '-' || last.R == 0xAD
	return l
}

func makeSpan(cs []pdf.Char, first, last int, spaces []pdf.Char) Span {
	s := Span{First: first, Last: last, X0: cs[first].X0, X1: cs[first].X1}
	for _, c := range cs[first : last+1] {
		s.X0 = math.Min(s.X0, c.X0)
		s.X1 = math.Max(s.X1, c.X1)
	}
	s.Text = CharsText(cs[first:last+1], spaces)
	_, s.Size = dominant(cs[first : last+1])
	s.Font, s.Bold, s.Italic, s.Math = style(cs[first : last+1])
	return s
}

// CharsText renders characters (left to right) as text: a space where the
// gap is wider than a word space or a generated space lies between two
// characters; ligatures expanded; U+0002 (PDFium's mark of a hyphen at a
// line break) and soft hyphens printed as '-'.
func CharsText(cs []pdf.Char, spaces []pdf.Char) string {
	var b strings.Builder
	maxX := math.Inf(-1)
	for i := range cs {
		c := &cs[i]
		if i > 0 && spaceGap(cs, i, maxX, spaces) {
			b.WriteByte(' ')
		}
		maxX = math.Max(maxX, c.X1)
		if lg := Ligature(c.R); lg != "" {
			b.WriteString(lg)
			continue
		}
		if IsAccent(c.R) && c.R != '~' && c.R != '^' {
			continue
		}
		if classOf(c.Font).ext {
			if r, ok := extText[c.R]; ok {
				b.WriteRune(r)
			} else if c.R > 127 {
				b.WriteRune(c.R)
			}
			continue
		}
		switch c.R {
		case 2, 0xAD:
			b.WriteByte('-')
		default:
			b.WriteRune(c.R)
		}
	}
	return b.String()
}

// spaceGap reports a word space before cs[i], maxX being the right edge
// of the characters before it.
func spaceGap(cs []pdf.Char, i int, maxX float64, spaces []pdf.Char) bool {
	p, c := &cs[i-1], &cs[i]
	gap := c.X0 - maxX
	em := math.Max(c.Size, p.Size)
	return gap > 0.17*em || (gap > 0.05*em && spaceBetween(spaces, p, c))
}

func spaceBetween(spaces []pdf.Char, p, c *pdf.Char) bool {
	// spaces are few per line; a linear scan over the page's would be
	// slow, so they are searched by baseline.
	i := sort.Search(len(spaces), func(i int) bool { return spaces[i].OY >= p.OY-1 })
	for ; i < len(spaces) && spaces[i].OY <= p.OY+1; i++ {
		s := &spaces[i]
		if s.OX > p.OX+0.01 && s.OX <= c.X0+0.5 {
			return true
		}
	}
	return false
}

// style returns the dominant font, boldness, italics and math fraction of
// characters.
func style(cs []pdf.Char) (font string, bold, italic bool, mathFrac float64) {
	nb, ni, n := 0, 0, 0
	var m float64
	bestN := 0
	type fc struct {
		name string
		n    int
		cls  fontClass
	}
	var fonts [6]fc
	k := 0
	for i := range cs {
		c := &cs[i]
		j := 0
		for ; j < k; j++ {
			if fonts[j].name == c.Font {
				break
			}
		}
		var cls fontClass
		if j == k && k < len(fonts) {
			fonts[k] = fc{name: c.Font, cls: classOf(c.Font)}
			k++
		}
		if j < k {
			fonts[j].n++
			cls = fonts[j].cls
			if fonts[j].n > bestN {
				font, bestN = c.Font, fonts[j].n
			}
		} else {
			cls = classOf(c.Font)
		}
		w := 0.0
		if cls.math || c.R >= 0x1D400 && c.R <= 0x1D7FF || isMathSymbol(c.R) {
			w = 1
		}
		if w == 0 && !unicode.IsLetter(c.R) && !unicode.IsDigit(c.R) {
			continue
		}
		n++
		if c.Weight >= 600 || cls.bold {
			nb++
		}
		it := c.Italic || cls.italic
		if it {
			ni++
		}
		if w == 0 && it && unicode.IsLetter(c.R) && isolated(cs, i) {
			w = 0.5
		}
		m += w
	}
	if n == 0 {
		return font, false, false, 0
	}
	return font, nb*10 >= n*6, ni*10 >= n*6, m / float64(n)
}

// isolated reports whether cs[i] is a single letter word.
func isolated(cs []pdf.Char, i int) bool {
	near := func(j int) bool {
		if j < 0 || j >= len(cs) {
			return false
		}
		a, b := &cs[i], &cs[j]
		if j < i {
			a, b = b, a
		}
		return b.X0-a.X1 < 0.17*a.Size && unicode.IsLetter(cs[j].R)
	}
	return !near(i-1) && !near(i+1)
}

// detectColumns decides whether a page is set in two columns and where the
// gutter is.
func detectColumns(chunks []*chunk, pg *pdf.Page, twoColDoc bool) (int, float64) {
	cx := pg.Width / 2
	if pg.Width <= 0 {
		return 1, 0
	}
	total := 0
	for _, ch := range chunks {
		total += len(ch.chars)
	}
	if total < 200 && !twoColDoc || total < 60 {
		return 1, cx
	}
	best, bestW := cx, math.MaxInt
	for x := cx - 0.08*pg.Width; x <= cx+0.08*pg.Width; x++ {
		w := 0
		for _, ch := range chunks {
			if ch.x0 < x-1 && ch.x1 > x+1 {
				w += len(ch.chars)
			}
		}
		if w < bestW || (w == bestW && math.Abs(x-cx) < math.Abs(best-cx)) {
			best, bestW = x, w
		}
	}
	left, right, leftNear, rightNear := 0, 0, 0, 0
	for _, ch := range chunks {
		switch {
		case ch.x1 <= best+2:
			left += len(ch.chars)
			if ch.x1 > best-30 && len(ch.chars) > 20 {
				leftNear++
			}
		case ch.x0 >= best-2:
			right += len(ch.chars)
			if len(ch.chars) > 20 {
				rightNear++
			}
		}
	}
	if bestW*2 < total && left*5 > total && right*5 > total && (left+right)*2 > total && leftNear >= 4 && rightNear >= 4 {
		return 2, best
	}
	if twoColDoc && bestW*10 < total && left*20 > total && right*20 > total && leftNear >= 2 && rightNear >= 2 {
		return 2, best
	}
	return 1, cx
}

var lineNumRE = regexp.MustCompile(`^[0-9]{1,4}$`)

// removeLineNumbers takes out the review line numbers: columns of small
// integers at the margins, increasing down the page.
func removeLineNumbers(chunks []*chunk, pg *pdf.Page) ([]*chunk, []Line) {
	type cand struct {
		ch *chunk
		v  int
	}
	byX := map[int][]cand{}
	for _, ch := range chunks {
		if len(ch.chars) > 4 {
			continue
		}
		s := string(runes(ch.chars))
		if !lineNumRE.MatchString(s) {
			continue
		}
		v := 0
		for _, r := range s {
			v = v*10 + int(r-'0')
		}
		// Right-aligned numbers share x1; left-aligned share x0.
		byX[int(math.Round(ch.x1/4))] = append(byX[int(math.Round(ch.x1/4))], cand{ch, v})
	}
	drop := map[*chunk]bool{}
	for _, cs := range byX {
		if len(cs) < 8 {
			continue
		}
		sort.Slice(cs, func(i, j int) bool { return cs[i].ch.baseline < cs[j].ch.baseline })
		inc := 0
		for i := 1; i < len(cs); i++ {
			if cs[i].v > cs[i-1].v {
				inc++
			}
		}
		if inc*10 < (len(cs)-1)*8 {
			continue
		}
		// Not inside the text: a column of numbers in a table is
		// preceded by other text on the same baseline.
		for _, c := range cs {
			drop[c.ch] = true
		}
	}
	if len(drop) == 0 {
		return chunks, nil
	}
	var keep []*chunk
	var removed []Line
	for _, ch := range chunks {
		if drop[ch] {
			rl := &rawLine{chars: ch.chars}
			rl.finish()
			removed = append(removed, makeLine(pg.Number, rl, nil))
			continue
		}
		keep = append(keep, ch)
	}
	return keep, removed
}

func runes(cs []pdf.Char) []rune {
	r := make([]rune, len(cs))
	for i, c := range cs {
		r[i] = c.R
	}
	return r
}

func rotatedLines(page int, cs []pdf.Char) []Line {
	// The arXiv stamp is one rotated line; keep it as one.
	rl := &rawLine{chars: append([]pdf.Char(nil), cs...), col: -1}
	rl.finish()
	l := makeLine(page, rl, nil)
	var b strings.Builder
	for _, c := range cs {
		if lg := Ligature(c.R); lg != "" {
			b.WriteString(lg)
		} else {
			b.WriteRune(c.R)
		}
	}
	l.Text = b.String()
	return []Line{l}
}

// readingOrder sorts a page's lines: full-width lines split the page into
// bands; within a band the left column comes before the right.
func readingOrder(lines []Line) []Line {
	sort.SliceStable(lines, func(i, j int) bool { return lines[i].Baseline < lines[j].Baseline })
	var out []Line
	var band []Line
	flush := func() {
		for _, c := range []int{0, 1} {
			for _, l := range band {
				if l.Column == c {
					out = append(out, l)
				}
			}
		}
		band = band[:0]
	}
	for _, l := range lines {
		if l.Column == -1 {
			flush()
			out = append(out, l)
			continue
		}
		band = append(band, l)
	}
	flush()
	return out
}

var digitsRE = regexp.MustCompile(`[0-9]+`)
var pageNumRE = regexp.MustCompile(`^(?i:page\s*)?([0-9]{1,4}|[ivxlc]{1,6})(\s*(of|/)\s*[0-9]+)?$`)

// removeRunning moves running headers and footers (the same text, digits
// aside, at the same height on several pages) and page numbers to
// Page.Removed.
func removeRunning(d *Doc) {
	type key struct {
		text string
		y    int
	}
	pages := map[key]map[int]bool{}
	keyOf := func(l *Line, dy int) key {
		t := strings.ToLower(digitsRE.ReplaceAllString(l.Text, "#"))
		t = strings.Join(strings.Fields(t), " ")
		return key{t, int(math.Round(l.Baseline/3)) + dy}
	}
	margin := func(p *Page, l *Line) bool {
		h := p.Height
		if h <= 0 {
			return false
		}
		return l.Baseline < 0.13*h || l.Y0 > 0.86*h
	}
	for pi := range d.Pages {
		p := &d.Pages[pi]
		for li := range p.Lines {
			l := &p.Lines[li]
			if !margin(p, l) || len(l.Text) > 200 {
				continue
			}
			k := keyOf(l, 0)
			if pages[k] == nil {
				pages[k] = map[int]bool{}
			}
			pages[k][p.Number] = true
		}
	}
	need := 3
	if n := len(d.Pages) / 8; n > need {
		need = n
	}
	if len(d.Pages) < 3 {
		need = 2
	}
	for pi := range d.Pages {
		p := &d.Pages[pi]
		keep := p.Lines[:0:0]
		for li := range p.Lines {
			l := &p.Lines[li]
			drop := false
			if margin(p, l) {
				n := 0
				for dy := -1; dy <= 1; dy++ {
					if m := pages[keyOf(l, dy)]; len(m) > n {
						n = len(m)
					}
				}
				if n >= need {
					drop = true
				}
				if pageNumRE.MatchString(strings.TrimSpace(l.Text)) && (l.Y0 > 0.86*p.Height || l.Baseline < 0.08*p.Height) {
					drop = true
				}
			}
			if drop {
				p.Removed = append(p.Removed, *l)
			} else {
				keep = append(keep, *l)
			}
		}
		p.Lines = keep
	}
}

// bodySize is the most common size of text, counted in characters of lines
// with some length.
func bodySize(d *Doc) float64 {
	count := map[float64]int{}
	for _, p := range d.Pages {
		for _, l := range p.Lines {
			if len(l.Chars) < 15 || l.Math > 0.5 {
				continue
			}
			count[math.Round(l.Size*2)/2] += len(l.Chars)
		}
	}
	best, bestN := 10.0, 0
	for s, n := range count {
		if n > bestN || (n == bestN && s > best) {
			best, bestN = s, n
		}
	}
	return best
}
