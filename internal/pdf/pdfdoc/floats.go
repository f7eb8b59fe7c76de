package pdfdoc

import (
	"math"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"unicode"

	"github.com/reprohq/repro/doc"
	"github.com/reprohq/repro/internal/latex/tabular"
	"github.com/reprohq/repro/internal/pdf"
	"github.com/reprohq/repro/internal/pdf/layout"
)

// Float kinds.
const (
	kindTable     = "table"
	kindFigure    = "figure"
	kindAlgorithm = "algorithm"
)

// captionRE matches the label that starts a caption: the float's name, its
// number as printed ("3", "A.1", "S2", "IV") and what follows the number.
var captionRE = regexp.MustCompile(`^(Table|TABLE|Tab\.|Figure|FIGURE|Fig\.|FIG\.|Algorithm|ALGORITHM)\s?~?\s*((?:[A-Z]{1,2}\.?)?\d{1,3}(?:\.\d{1,3})*|[IVXL]{1,6})(\s*[:.|—–]\s*|\s+|$)`)

// flCaption is one caption found in the lines.
type flCaption struct {
	kind        string
	num         string
	first, last int // line indices of the caption's first and last line
	lines       []int
	lo, hi      float64 // the caption's horizontal extent
	full        bool    // the caption starts a line and spans its column
	labelOnly   bool    // the first line holds only the label ("TABLE II")
	labelLen    int     // the label's length in bytes ("Figure 3:")
	hang        float64 // the indent of lines after the first (caption format=hang)
	text        string
	// strong is how sure the caption is: 2 for a number followed by a colon
	// or period (or a bold label), 1 otherwise.
	strong int
}

// floats finds the captions of tables, figures and algorithms, reads the
// tables' cells and the algorithms' steps, and marks the lines it takes.
func (p *paper) floats() {
	if len(p.Lines) == 0 {
		return
	}
	g := p.geometry()
	caps := p.findCaptions(g)
	for _, c := range caps {
		for _, i := range c.lines {
			if p.coveredBy(i, c.lo, c.hi) >= 0.6 {
				p.Used[i] = true
			}
		}
	}
	for _, c := range caps {
		sec := ""
		if c.first < len(p.Section) {
			sec = p.Section[c.first]
		}
		full := c.text
		switch c.kind {
		case kindTable:
			t := doc.Table{Number: c.num, Caption: shortCaption(full), Section: sec, Rows: [][]doc.Cell{}}
			if t.Caption != full {
				t.CaptionFull = full
			}
			region := p.tableRegion(g, c)
			for _, i := range region {
				p.Used[i] = true
			}
			t.Rows = p.tableRows(region)
			p.D.Tables = append(p.D.Tables, t)
		case kindFigure:
			f := doc.Figure{Number: c.num, Caption: shortCaption(full), Section: sec}
			if f.Caption != full {
				f.CaptionFull = full
			}
			for _, i := range p.figureRegion(g, c) {
				p.Used[i] = true
			}
			p.D.Figures = append(p.D.Figures, f)
		case kindAlgorithm:
			a := p.algorithm(g, c)
			a.Section = sec
			p.D.Algorithms = append(p.D.Algorithms, a)
		}
	}
	p.rotatedFloats()
}

// rotatedFloats reads the floats set sideways (landscape tables, which the
// layout leaves out as rotated text): a page's rotated characters are
// turned upright, laid out again and searched for captions.
func (p *paper) rotatedFloats() {
	have := map[string]bool{}
	for _, t := range p.D.Tables {
		have[kindTable+t.Number] = true
	}
	for _, f := range p.D.Figures {
		have[kindFigure+f.Number] = true
	}
	for _, a := range p.D.Algorithms {
		have[kindAlgorithm+a.Number] = true
	}
	for _, pg := range p.L.Pages {
		var cs []pdf.Char
		angles := map[float64]int{}
		for _, l := range pg.Removed {
			for _, c := range l.Chars {
				if c.Angle != 0 {
					cs = append(cs, c)
					angles[math.Round(c.Angle*100)/100]++
				}
			}
		}
		if len(cs) < 200 {
			continue // an arXiv stamp, a rotated label
		}
		a, n := 0.0, 0
		for k, v := range angles {
			if v > n || v == n && k < a {
				a, n = k, v
			}
		}
		up := uprightChars(cs, a)
		if len(up) < 200 {
			continue
		}
		w, h := 0.0, 0.0
		for _, c := range up {
			w, h = math.Max(w, c.X1), math.Max(h, c.Y1)
		}
		ld := layout.Analyze(&pdf.File{Pages: []pdf.Page{{Number: pg.Number, Width: w + 20, Height: h + 20, Chars: up}}})
		ld.Body = p.L.Body
		sub := &paper{L: ld, D: doc.New(), RefStart: -1, RefEnd: -1}
		for _, spg := range ld.Pages {
			sub.Lines = append(sub.Lines, spg.Lines...)
		}
		sec := p.sectionAtPage(pg.Number)
		sub.Section = make([]string, len(sub.Lines))
		for i := range sub.Section {
			sub.Section[i] = sec
		}
		sub.Heading = make([]bool, len(sub.Lines))
		sub.Used = make([]bool, len(sub.Lines))
		sub.floats()
		for _, t := range sub.D.Tables {
			if !have[kindTable+t.Number] {
				have[kindTable+t.Number] = true
				p.D.Tables = append(p.D.Tables, t)
			}
		}
		for _, f := range sub.D.Figures {
			if !have[kindFigure+f.Number] {
				have[kindFigure+f.Number] = true
				p.D.Figures = append(p.D.Figures, f)
			}
		}
		for _, al := range sub.D.Algorithms {
			if !have[kindAlgorithm+al.Number] {
				have[kindAlgorithm+al.Number] = true
				p.D.Algorithms = append(p.D.Algorithms, al)
			}
		}
	}
}

// uprightChars turns the characters rotated by angle a upright: x runs
// along their baseline, y across it, shifted to start near the origin.
func uprightChars(cs []pdf.Char, a float64) []pdf.Char {
	// baseline direction in top-left page coordinates (PDFium's angle
	// turns clockwise on the page: 3π/2 reads bottom to top), and the
	// direction of the next line
	dx, dy := math.Cos(a), math.Sin(a)
	nx, ny := -dy, dx
	out := make([]pdf.Char, 0, len(cs))
	minU, minV := math.Inf(1), math.Inf(1)
	for _, c := range cs {
		if math.Abs(math.Round(c.Angle*100)/100-a) > 0.02 {
			continue
		}
		u := c.OX*dx + c.OY*dy
		v := c.OX*nx + c.OY*ny
		adv := math.Abs((c.X1-c.X0)*dx) + math.Abs((c.Y1-c.Y0)*dy)
		nc := c
		nc.Angle = 0
		nc.OX, nc.OY = u, v
		nc.X0, nc.X1 = u, u+adv
		nc.Y0, nc.Y1 = v-0.75*c.Size, v+0.25*c.Size
		out = append(out, nc)
		minU, minV = math.Min(minU, u), math.Min(minV, nc.Y0)
	}
	for k := range out {
		out[k].OX -= minU - 10
		out[k].X0 -= minU - 10
		out[k].X1 -= minU - 10
		out[k].OY -= minV - 10
		out[k].Y0 -= minV - 10
		out[k].Y1 -= minV - 10
	}
	return out
}

// pageWidth returns the width of page n, or 0.
func (p *paper) pageWidth(n int) float64 {
	for _, pg := range p.L.Pages {
		if pg.Number == n {
			return pg.Width
		}
	}
	return 0
}

// sectionAtPage returns the section of the last line on or before page n.
func (p *paper) sectionAtPage(n int) string {
	sec := ""
	for i := range p.Lines {
		if p.Lines[i].Page > n {
			break
		}
		if i < len(p.Section) {
			sec = p.Section[i]
		}
	}
	return sec
}

// shortCaption cuts a caption to about 300 characters at a word boundary.
func shortCaption(s string) string {
	const max = 300
	if len(s) <= max {
		return s
	}
	cut := strings.LastIndexByte(s[:max], ' ')
	if cut < max/2 {
		cut = max
		for cut > 0 && !isRuneStart(s[cut]) {
			cut--
		}
	}
	return strings.TrimSpace(s[:cut]) + "…"
}

func isRuneStart(b byte) bool { return b&0xC0 != 0x80 }

// pageGeom is what the finders need to know about the page layout.
type pageGeom struct {
	body    float64       // body font size
	lead    float64       // baseline distance of body text
	left    float64       // left edge of the text area
	right   float64       // right edge of the text area
	colL    [2]float64    // column left edges (two-column layout)
	colR    [2]float64    // column right edges
	twoCol  bool          // the document is set in two columns
	byPage  map[int][]int // line indices by page number, in reading order
	byPageY map[int][]int // line indices by page number, top to bottom
}

// geometry measures the text area, the columns and the body leading.
func (p *paper) geometry() *pageGeom {
	g := &pageGeom{body: 10, byPage: map[int][]int{}}
	if p.L != nil && p.L.Body > 0 {
		g.body = p.L.Body
	}
	g.twoCol = p.L != nil && p.L.Columns == 2
	var x0s, x1s []float64
	var c0L, c0R, c1L, c1R []float64
	var leads []float64
	gutters, widths := map[int]float64{}, map[int]float64{}
	if p.L != nil {
		for _, pg := range p.L.Pages {
			widths[pg.Number] = pg.Width
			if pg.Columns == 2 && pg.Gutter > 0 {
				gutters[pg.Number] = pg.Gutter
			}
		}
	}
	for i := range p.Lines {
		l := &p.Lines[i]
		g.byPage[l.Page] = append(g.byPage[l.Page], i)
		if math.Abs(l.Size-g.body) > 0.6 || l.X1-l.X0 < 100 {
			continue
		}
		x0s = append(x0s, l.X0)
		x1s = append(x1s, l.X1)
		// a line marked as the left column but crossing the page's gutter
		// is full width (a one-column part of a page)
		gut, ok := gutters[l.Page]
		if !ok {
			gut = widths[l.Page] / 2
		}
		two := g.twoCol && gut > 0
		switch {
		case l.Column == 0 && (!two || l.X1 < gut+10):
			c0L, c0R = append(c0L, l.X0), append(c0R, l.X1)
		case l.Column == 1 && (!two || l.X0 > gut-10):
			c1L, c1R = append(c1L, l.X0), append(c1R, l.X1)
		}
		if i > 0 {
			q := &p.Lines[i-1]
			if q.Page == l.Page && q.Column == l.Column && math.Abs(q.Size-g.body) < 0.6 {
				if d := l.Baseline - q.Baseline; d > 0.8*g.body && d < 2*g.body {
					leads = append(leads, d)
				}
			}
		}
	}
	g.left, g.right = quantile(x0s, 0.05), quantile(x1s, 0.95)
	g.lead = median(leads)
	if g.lead == 0 {
		g.lead = 1.2 * g.body
	}
	if g.right <= g.left {
		g.left, g.right = 0, 612
		if len(p.L.Pages) > 0 && p.L.Pages[0].Width > 0 {
			g.right = p.L.Pages[0].Width
		}
	}
	g.byPageY = map[int][]int{}
	for pg, idx := range g.byPage {
		y := append([]int(nil), idx...)
		sort.SliceStable(y, func(a, b int) bool { return p.Lines[y[a]].Baseline < p.Lines[y[b]].Baseline })
		g.byPageY[pg] = y
	}
	g.colL[0], g.colR[0] = quantile(c0L, 0.05), quantile(c0R, 0.95)
	g.colL[1], g.colR[1] = quantile(c1L, 0.05), quantile(c1R, 0.95)
	if !g.twoCol || len(c1L) == 0 {
		g.colL[0], g.colR[0] = g.left, g.right
		g.colL[1], g.colR[1] = g.left, g.right
	}
	return g
}

// colRange returns the horizontal extent of column c (-1 for full width).
func (g *pageGeom) colRange(c int) (float64, float64) {
	if c == 0 || c == 1 {
		return g.colL[c], g.colR[c]
	}
	return g.left, g.right
}

func quantile(v []float64, q float64) float64 {
	if len(v) == 0 {
		return 0
	}
	s := append([]float64(nil), v...)
	sort.Float64s(s)
	i := int(q * float64(len(s)-1))
	return s[i]
}

func median(v []float64) float64 { return quantile(v, 0.5) }

// findCaptions returns the captions in line order, one per kind and number.
func (p *paper) findCaptions(g *pageGeom) []flCaption {
	var caps []flCaption
	for i := range p.Lines {
		if p.Used[i] || (i < len(p.Heading) && p.Heading[i]) {
			continue
		}
		starts := capStarts(&p.Lines[i])
		for _, st := range starts {
			if c, ok := p.captionAt(g, i, st, starts); ok {
				caps = append(caps, c)
			}
		}
	}
	// One caption per kind and number: keep the surest, then the one in
	// the usual caption size (not text inside a figure's image), then the
	// first.
	sizes := map[float64]int{}
	for _, c := range caps {
		sizes[math.Round(p.Lines[c.first].Size*2)/2]++
	}
	capSize, n := 0.0, 0
	for sz, k := range sizes {
		if k > n || k == n && sz < capSize {
			capSize, n = sz, k
		}
	}
	off := func(c flCaption) float64 { return math.Abs(p.Lines[c.first].Size - capSize) }
	best := map[string]int{}
	for k, c := range caps {
		key := c.kind + "\x00" + c.num
		j, ok := best[key]
		if !ok || c.strong > caps[j].strong || c.strong == caps[j].strong && off(c) < off(caps[j])-0.3 {
			best[key] = k
		}
	}
	out := caps[:0:0]
	for k, c := range caps {
		if best[c.kind+"\x00"+c.num] == k {
			out = append(out, c)
		}
	}
	return out
}

// captionKind maps a caption label's word to a float kind.
func captionKind(w string) string {
	switch strings.ToLower(strings.TrimSuffix(w, ".")) {
	case "table", "tab":
		return kindTable
	case "figure", "fig":
		return kindFigure
	}
	return kindAlgorithm
}

// captionLabel matches a caption label at the start of t and returns the
// kind, the number, whether punctuation follows it and the rest of t.
func captionLabel(t string) (kind, num string, punct bool, labelLen int, rest string, ok bool) {
	m := captionRE.FindStringSubmatchIndex(t)
	if m == nil {
		return "", "", false, 0, "", false
	}
	word := t[m[2]:m[3]]
	num = t[m[4]:m[5]]
	sep := strings.TrimSpace(t[m[6]:m[7]])
	rest = strings.TrimSpace(t[m[1]:])
	kind = captionKind(word)
	punct = sep != ""
	if strings.Trim(num, "IVXL") == "" {
		// a roman number: only tables, and only with punctuation
		if !punct || kind != kindTable {
			return "", "", false, 0, "", false
		}
	}
	if sep == "." && rest != "" && unicode.IsLower(firstRune(rest)) {
		return "", "", false, 0, "", false // "Fig. 3. shows" is not a caption
	}
	return kind, num, punct, m[5] - m[2], rest, true
}

// labelLineRE matches a line holding only an upper-case float label, as
// IEEE styles set it above the caption: "TABLE IV", "TABLE 2".
var labelLineRE = regexp.MustCompile(`^(TABLE|FIGURE|ALGORITHM)\s+([IVXL]{1,6}|\d{1,3}|[A-Z]\.?\d{1,3})$`)

// labelLine reads a line holding only an upper-case float label.
func labelLine(t string) (kind, num string, ok bool) {
	m := labelLineRE.FindStringSubmatch(strings.TrimSpace(t))
	if m == nil {
		return "", "", false
	}
	return captionKind(m[1]), m[2], true
}

// capStart is a place in a line where a caption label may begin: the
// line's start, a span's start, or a wide gap inside a span (two captions
// side by side that the layout did not split).
type capStart struct {
	x    float64
	text string // the text from there to the end of its span
	bold bool
	line bool // the start of the line
}

// capLabelStartRE is a cheap test for a caption label.
var capLabelStartRE = regexp.MustCompile(`^(Table|TABLE|Tab\.|Figure|FIGURE|Fig\.|FIG\.|Algorithm|ALGORITHM)\s?~?[A-Z]{0,2}\.?[0-9IVX]`)

// capStarts returns the places in line l where a caption may begin.
func capStarts(l *layout.Line) []capStart {
	out := []capStart{{x: l.X0, text: l.Text, line: true}}
	for k, sp := range l.Spans {
		if k > 0 {
			out = append(out, capStart{x: sp.X0, text: sp.Text, bold: sp.Bold})
		}
		if sp.Last >= len(l.Chars) || sp.First > sp.Last {
			continue
		}
		for m := sp.First + 1; m <= sp.Last; m++ {
			c, prev := &l.Chars[m], &l.Chars[m-1]
			if c.X0-prev.X1 < 0.45*math.Max(c.Size, 1) || (c.R != 'F' && c.R != 'T' && c.R != 'A') {
				continue
			}
			t := layout.CharsText(l.Chars[m:sp.Last+1], nil)
			if capLabelStartRE.MatchString(t) {
				out = append(out, capStart{x: c.X0, text: t, bold: c.Weight >= 600 || fontLooksBold(c.Font)})
			}
		}
	}
	return out
}

// piece returns the text of line l that lies within [lo, hi]: the spans
// whose middle is inside, and the characters inside of a span that
// crosses an edge at a wide gap.
func piece(l *layout.Line, lo, hi float64) string {
	spans := l.Spans
	if len(spans) == 0 {
		spans = []layout.Span{{X0: l.X0, X1: l.X1, Text: l.Text, First: 0, Last: len(l.Chars) - 1}}
	}
	var parts []string
	for _, s := range spans {
		if s.X1 <= lo || s.X0 >= hi {
			continue
		}
		crossLo, crossHi := s.X0 < lo-3 && s.X1 > lo+3, s.X0 < hi-3 && s.X1 > hi+3
		if (crossLo || crossHi) && s.Last < len(l.Chars) && s.First <= s.Last {
			if a, b, ok := gapCut(l.Chars[s.First:s.Last+1], lo, hi, crossLo, crossHi); ok {
				if b > a {
					parts = append(parts, layout.CharsText(l.Chars[s.First+a:s.First+b], nil))
				}
				continue
			}
		}
		if m := (s.X0 + s.X1) / 2; m >= lo && m <= hi && s.X0 >= lo-20 {
			parts = append(parts, s.Text)
		}
	}
	return strings.Join(parts, " ")
}

// gapCut returns the range of chars between the wide gaps nearest to lo
// (when crossLo) and hi (when crossHi); ok is false when there is no wide
// gap near a crossed edge.
func gapCut(cs []pdf.Char, lo, hi float64, crossLo, crossHi bool) (int, int, bool) {
	near := func(x float64) int {
		best, bd := -1, 12.0
		for m := 1; m < len(cs); m++ {
			g := cs[m].X0 - cs[m-1].X1
			if g < 0.45*math.Max(cs[m].Size, 1) {
				continue
			}
			if d := math.Abs((cs[m].X0+cs[m-1].X1)/2 - x); d < bd {
				best, bd = m, d
			}
		}
		return best
	}
	a, b := 0, len(cs)
	if crossLo {
		if a = near(lo); a < 0 {
			return 0, 0, false
		}
	}
	if crossHi {
		if b = near(hi); b < 0 {
			return 0, 0, false
		}
	}
	return a, max(a, b), true
}

// coveredBy returns the fraction of line i's width within [lo, hi].
func (p *paper) coveredBy(i int, lo, hi float64) float64 {
	l := &p.Lines[i]
	w := l.X1 - l.X0
	if w <= 0 {
		return 1
	}
	in := math.Min(l.X1, hi) - math.Max(l.X0, lo)
	if in <= 0 {
		return 0
	}
	return in / w
}

// captionAt reports whether a caption starts at st in line i and reads it.
func (p *paper) captionAt(g *pageGeom, i int, st capStart, starts []capStart) (flCaption, bool) {
	l := &p.Lines[i]
	kind, num, punct, n, rest, ok := captionLabel(st.text)
	labelOnly := false
	if !ok {
		// IEEE's "TABLE IV" on a line of its own, the caption below it
		kind, num, ok = labelLine(st.text)
		if !ok || !st.line {
			return flCaption{}, false
		}
		labelOnly, punct, n = true, true, len(st.text)
	}
	labelBold := st.line && boldPrefix(l, n) || !st.line && st.bold
	strong := 1
	if punct || labelBold {
		strong = 2
	}
	switch {
	case punct:
	case labelBold && rest != "":
	case kind == kindAlgorithm && p.algoBodyFollows(i):
	default:
		return flCaption{}, false
	}
	if st.line && p.runningText(g, i) {
		return flCaption{}, false
	}
	// the caption's horizontal extent: from its label to the next caption
	// on the same line (or a block boundary), else to the column's (or the
	// line's) right edge
	c := flCaption{kind: kind, num: num, first: i, last: i, lines: []int{i}, strong: strong, labelOnly: labelOnly, labelLen: n}
	_, colR := g.colRange(l.Column)
	c.lo, c.hi = st.x-2, math.Max(colR, l.X1)+2
	for _, o := range starts {
		if o.x <= st.x+1 || o.x-1 >= c.hi {
			continue
		}
		if _, _, _, _, _, ok := captionLabel(o.text); ok {
			c.hi = o.x - 1
		}
	}
	for k := 1; k < len(l.Spans); k++ {
		sp := l.Spans[k]
		if sp.X0 > st.x+1 && sp.X0-1 < c.hi && p.splitBelow(g, i, l.Spans[k-1].X1, sp.X0) {
			c.hi = sp.X0 - 1
		}
	}
	c.full = st.line && c.hi >= math.Max(colR, l.X1)
	// a left-aligned first line that stops well short of the column: the
	// caption sits in a minipage as wide as that line
	colL, _ := g.colRange(l.Column)
	if c.full && math.Abs(l.X0-colL) < 3 && l.X1 < colR-6*l.Size && !p.captionEndsAt(l) {
		c.hi = l.X1 + l.Size
		c.full = false
	}
	if _, _, _, _, r, ok := captionLabel(strings.TrimSpace(piece(l, c.lo, c.hi))); ok {
		rest = r
	}
	if labelOnly {
		rest = ""
		c.lo, c.hi = math.Min(c.lo, colL-2), math.Max(c.hi, colR+2)
		c.full = false
	}
	parts := []string{rest}
	prev := i
	maxLines := 25
	if kind == kindAlgorithm {
		maxLines = 2
	}
	for len(c.lines) <= maxLines {
		j, txt := p.captionNext(g, &c, prev)
		if j < 0 {
			break
		}
		if kind == kindAlgorithm {
			// the header wraps when it is full, or when the body's first
			// step follows the line
			full := p.Lines[prev].X1 >= p.algoRight(g, i)-3*p.Lines[prev].Size
			stepNext := j+1 < len(p.Lines) && algoStepStart(p.Lines[j+1].Text)
			if algoStepStart(txt) || strings.HasPrefix(txt, "▷") || !full && !stepNext {
				break
			}
		}
		parts = append(parts, txt)
		c.lines = append(c.lines, j)
		c.last = max(c.last, j)
		prev = j
	}
	c.text = joinLineTexts(parts)
	if labelOnly && len(c.lines) == 1 {
		return flCaption{}, false
	}
	return c, true
}

// captionEndsAt reports whether the caption line l ends a sentence (so its
// shortness says nothing about the caption's width).
func (p *paper) captionEndsAt(l *layout.Line) bool {
	t := strings.TrimSpace(l.Text)
	return strings.HasSuffix(t, ".")
}

// splitBelow reports whether the line under line i (within a line's
// distance) also has a gap between x0 and x1: two blocks side by side.
func (p *paper) splitBelow(g *pageGeom, i int, x0, x1 float64) bool {
	l := &p.Lines[i]
	seen := false
	for _, j := range g.byPageY[l.Page] {
		q := &p.Lines[j]
		d := q.Baseline - l.Baseline
		if d <= 0.5*l.Size || d > 1.6*l.Size || q.X1 < l.X0 || q.X0 > l.X1 {
			continue
		}
		spans := q.Spans
		if len(spans) == 0 {
			spans = []layout.Span{{X0: q.X0, X1: q.X1}}
		}
		for _, s := range spans {
			if s.X0 < x1-1 && s.X1 > x0+1 {
				return false // text crosses the gap
			}
		}
		seen = true
	}
	return seen
}

// captionNext finds the line that continues caption c below line prev and
// the part of its text inside the caption's extent; -1 when the caption
// ends.
func (p *paper) captionNext(g *pageGeom, c *flCaption, prev int) (int, string) {
	pl := &p.Lines[prev]
	first := &p.Lines[c.first]
	for _, j := range g.byPageY[pl.Page] {
		q := &p.Lines[j]
		d := q.Baseline - pl.Baseline
		if d <= 0.4*pl.Size || q.X1 < c.lo || q.X0 > c.hi {
			continue
		}
		if d > 1.55*math.Max(first.Size, pl.Size) {
			return -1, ""
		}
		txt := piece(q, c.lo, c.hi)
		if txt == "" {
			continue
		}
		// a line beside the caption (the other column) is not its next
		if pieceRight(q, c.lo, c.hi) < pieceLeft(pl, c.lo, c.hi) || pieceLeft(q, c.lo, c.hi) > pieceRight(pl, c.lo, c.hi) {
			continue
		}
		ref := first.Size
		if c.labelOnly {
			// IEEE: the caption below the label is in small capitals
			ref = p.Lines[c.lines[min(1, len(c.lines)-1)]].Size
			if len(c.lines) == 1 {
				ref = q.Size
				if q.Size < 0.6*first.Size {
					return -1, ""
				}
			}
		}
		if p.Used[j] || (j < len(p.Heading) && p.Heading[j]) || math.Abs(q.Size-ref) > 0.8 {
			return -1, ""
		}
		if _, _, _, _, _, ok := captionLabel(txt); ok {
			return -1, ""
		}
		// a table row, or prose wider than a centred caption line
		if len(q.Spans) >= 3 && p.coveredBy(j, c.lo, c.hi) > 0.9 {
			return -1, ""
		}
		if len(c.lines) == 1 && !c.labelOnly && q.X0 < first.X0-2*first.Size && p.coveredBy(j, c.lo, c.hi) > 0.9 {
			return -1, ""
		}
		// the previous line ended a paragraph well short of the margin
		// (or of this line)
		pt := strings.TrimSpace(piece(pl, c.lo, c.hi))
		if len(c.lines) == 1 {
			_, _, _, _, pt, _ = captionLabel(pt)
		}
		// lines of a caption paragraph share their left edge (a narrower,
		// centred line below is a table's header)
		dx := pieceLeft(q, c.lo, c.hi) - pieceLeft(pl, c.lo, c.hi)
		hang := len(c.lines) == 1 && dx > 0 && dx < 0.6*float64(c.labelLen)*pl.Size+2*pl.Size && !strings.HasSuffix(strings.TrimSpace(piece(pl, c.lo, c.hi)), ".")
		if !(c.labelOnly && len(c.lines) == 1) && math.Abs(dx) > 2*pl.Size && !hang {
			return -1, ""
		}
		if hang {
			c.hang = dx
		}
		if len(c.lines) > 1 && c.hang > 0 && math.Abs(dx) > 2*pl.Size {
			// later lines of a hanging caption keep the indent
			return -1, ""
		}
		left, right := pieceLeft(q, c.lo, c.hi), pieceRight(q, c.lo, c.hi)
		if c.full {
			colL, colR := g.colRange(first.Column)
			left, right = math.Min(left, colL), math.Max(right, math.Min(c.hi-2, math.Max(colR, first.X1)))
		}
		if pt != "" && strings.HasSuffix(pt, ".") && pieceRight(pl, c.lo, c.hi)-pieceLeft(pl, c.lo, c.hi) < right-left-4*pl.Size {
			return -1, ""
		}
		return j, txt
	}
	return -1, ""
}

// pieceLeft returns the left end of line l's text within [lo, hi].
func pieceLeft(l *layout.Line, lo, hi float64) float64 {
	if len(l.Spans) <= 1 {
		return l.X0
	}
	x := hi
	for _, s := range l.Spans {
		if m := (s.X0 + s.X1) / 2; m >= lo && m <= hi {
			x = math.Min(x, s.X0)
		}
	}
	return x
}

// pieceRight returns the right end of line l's text within [lo, hi].
func pieceRight(l *layout.Line, lo, hi float64) float64 {
	if len(l.Spans) <= 1 {
		return l.X1
	}
	r := lo
	for _, s := range l.Spans {
		if m := (s.X0 + s.X1) / 2; m >= lo && m <= hi {
			r = math.Max(r, s.X1)
		}
	}
	return r
}

// colRightOf returns the right edge of the column line l is in.
func (g *pageGeom) colRightOf(l *layout.Line) float64 {
	_, r := g.colRange(l.Column)
	return r
}

// captionAtLoose reports whether line j starts with a caption label followed
// by punctuation (used to stop a caption at the next one).
func (p *paper) captionAtLoose(j int) (string, bool) {
	m := captionRE.FindStringSubmatch(p.Lines[j].Text)
	if m == nil || strings.TrimSpace(m[3]) == "" {
		return "", false
	}
	return m[2], true
}

// boldPrefix reports whether the first n bytes of the line's text are set
// in a bold font.
func boldPrefix(l *layout.Line, n int) bool {
	if len(l.Spans) > 0 && l.Spans[0].Bold && len(l.Spans[0].Text) <= n+2 {
		return true
	}
	// count letters of the label in Chars
	want := 0
	for _, r := range l.Text[:min(n, len(l.Text))] {
		if !unicode.IsSpace(r) {
			want++
		}
	}
	seen, bold := 0, 0
	for _, ch := range l.Chars {
		if ch.Generated || unicode.IsSpace(ch.R) {
			continue
		}
		if seen >= want {
			break
		}
		seen++
		if ch.Weight >= 600 || fontLooksBold(ch.Font) {
			bold++
		}
	}
	return want > 0 && seen == want && bold == want
}

// fontLooksBold reports whether a font name says bold.
func fontLooksBold(f string) bool {
	f = strings.ToLower(f)
	return strings.Contains(f, "bold") || strings.Contains(f, "medi") || strings.Contains(f, "cmbx") ||
		strings.Contains(f, "black") || strings.Contains(f, "heavy") || strings.Contains(f, "semibold")
}

func firstRune(s string) rune {
	for _, r := range s {
		return r
	}
	return 0
}

// runningText reports whether line i continues a paragraph of running text
// (so that a "Figure 3." at its start is a reference, not a caption).
func (p *paper) runningText(g *pageGeom, i int) bool {
	if i == 0 {
		return false
	}
	l := &p.Lines[i]
	q := &p.Lines[i-1]
	if q.Page != l.Page || q.Column != l.Column || (i-1 < len(p.Heading) && p.Heading[i-1]) {
		return false
	}
	if math.Abs(q.Size-l.Size) > 0.3 {
		return false
	}
	d := l.Baseline - q.Baseline
	if d <= 0.5*l.Size || d > 1.3*l.Size+0.5 || math.Abs(q.X0-l.X0) > 2*l.Size {
		return false
	}
	// the previous line is a full line of prose that does not end a sentence
	_, r := g.colRange(q.Column)
	t := strings.TrimSpace(q.Text)
	if t == "" || q.X1 < r-3*q.Size || len(q.Spans) > 1 {
		return false
	}
	last := t[len(t)-1]
	return last != '.' && last != ':' && !p.Used[i-1]
}

// joinLineTexts joins lines of one paragraph, undoing end-of-line hyphens.
func joinLineTexts(parts []string) string {
	var b strings.Builder
	for _, s := range parts {
		s = strings.TrimSpace(s)
		if s == "" {
			continue
		}
		cur := b.String()
		switch {
		case b.Len() == 0:
		case strings.HasSuffix(cur, "-") && len(cur) > 1 && unicode.IsLetter(lastRune(cur[:len(cur)-1])) && unicode.IsLower(firstRune(s)):
			cur = cur[:len(cur)-1]
			b.Reset()
			b.WriteString(cur)
		case strings.HasSuffix(cur, "/") || strings.HasSuffix(cur, "-"):
		default:
			b.WriteByte(' ')
		}
		b.WriteString(s)
	}
	return b.String()
}

func lastRune(s string) rune {
	var last rune
	for _, r := range s {
		last = r
	}
	return last
}

// flLinesNear returns the page's lines (indices) beside caption c, on the
// side above or below it, horizontally overlapping the caption's column,
// ordered moving away from the caption.
func (p *paper) flLinesNear(g *pageGeom, c flCaption, above bool) []int {
	first, last := &p.Lines[c.first], &p.Lines[c.last]
	lo, hi := g.colRange(first.Column)
	if first.Column == -1 {
		lo, hi = g.left, g.right
	}
	if !c.full && !c.labelOnly {
		// a caption in a minipage: its float is as wide as the caption
		lo, hi = math.Max(lo, c.lo), math.Min(hi, c.hi)
	}
	// a caption within one half of the page belongs to a float in that
	// half (a column the layout did not see)
	capL, capR := pieceLeft(first, c.lo, c.hi), pieceRight(first, c.lo, c.hi)
	for _, j := range c.lines[1:] {
		capL = math.Min(capL, pieceLeft(&p.Lines[j], c.lo, c.hi))
		capR = math.Max(capR, pieceRight(&p.Lines[j], c.lo, c.hi))
	}
	mid := p.pageWidth(first.Page) / 2
	half := 0
	switch {
	case mid > 0 && capR < mid:
		half = -1
	case mid > 0 && capL > mid:
		half = 1
	}
	inCap := map[int]bool{}
	for _, j := range c.lines {
		inCap[j] = true
	}
	var out []int
	for _, i := range g.byPage[first.Page] {
		if inCap[i] {
			continue
		}
		l := &p.Lines[i]
		if l.X1 < lo+2 || l.X0 > hi-2 {
			continue
		}
		if m := (l.X0 + l.X1) / 2; half < 0 && m > mid+20 || half > 0 && m < mid-20 {
			continue
		}
		if above && l.Y1 <= first.Y0+1 || !above && l.Y0 >= last.Y1-1 {
			out = append(out, i)
		}
	}
	sort.SliceStable(out, func(a, b int) bool {
		if above {
			return p.Lines[out[a]].Y0 > p.Lines[out[b]].Y0
		}
		return p.Lines[out[a]].Y0 < p.Lines[out[b]].Y0
	})
	return out
}

// bodyLine reports whether line i looks like a line of running prose.
func (p *paper) bodyLine(g *pageGeom, i int) bool {
	l := &p.Lines[i]
	if math.Abs(l.Size-g.body) > 0.6 {
		return false
	}
	if len(l.Spans) > 1 {
		// two columns of prose side by side on one baseline
		if !g.twoCol {
			return false
		}
		colW := g.colR[0] - g.colL[0]
		for _, s := range l.Spans {
			if s.X1-s.X0 < 0.85*colW || len(strings.Fields(s.Text)) < 6 {
				return false
			}
		}
		return l.Math < 0.3
	}
	lo, hi := g.colRange(l.Column)
	if l.X1-l.X0 < 0.85*(hi-lo) {
		return false
	}
	return len(strings.Fields(l.Text)) >= 6 && l.Math < 0.3
}

// flStop reports whether line i cannot belong to a float region.
func (p *paper) flStop(g *pageGeom, i int) bool {
	if p.Used[i] || (i < len(p.Heading) && p.Heading[i]) {
		return true
	}
	if _, ok := p.captionAtLoose(i); ok {
		return true
	}
	return p.RefStart >= 0 && i >= p.RefStart && i < p.RefEnd
}

// flWalk takes lines from cand (ordered away from the caption edge at y)
// while the gaps stay small and no body text starts.
func (p *paper) flWalk(g *pageGeom, cand []int, edge float64, above bool, firstGap, gap float64) []int {
	var out []int
	var isProse []bool
	prose, multi := 0, 0
	for k, i := range cand {
		l := &p.Lines[i]
		var d float64
		if above {
			d = edge - l.Y1
		} else {
			d = l.Y0 - edge
		}
		lim := gap
		if k == 0 {
			lim = firstGap
		}
		if d > lim || p.flStop(g, i) {
			break
		}
		body := p.bodyLine(g, i)
		if body {
			prose++
			// one line of prose ends a table of cells; a table of text
			// needs two
			if prose >= 2 || multi > 0 {
				break
			}
		} else {
			prose = 0
		}
		if len(p.Lines[i].Spans) >= 2 {
			multi++
		}
		out = append(out, i)
		isProse = append(isProse, body)
		if above {
			edge = math.Min(edge, l.Y0)
		} else {
			edge = math.Max(edge, l.Y1)
		}
	}
	// prose where the walk stopped is not the float's
	for len(out) > 0 && isProse[len(out)-1] {
		out = out[:len(out)-1]
		isProse = isProse[:len(isProse)-1]
	}
	return out
}

// tableRegion returns the lines of the table that caption c belongs to,
// in top-to-bottom order.
func (p *paper) tableRegion(g *pageGeom, c flCaption) []int {
	first, last := &p.Lines[c.first], &p.Lines[c.last]
	below := p.flWalk(g, p.flLinesNear(g, c, false), last.Y1, false, 3*g.lead, 2.2*g.lead)
	above := p.flWalk(g, p.flLinesNear(g, c, true), first.Y0, true, 3*g.lead, 2.2*g.lead)
	score := func(r []int) float64 {
		s := 0.0
		for _, i := range r {
			if len(p.Lines[i].Spans) >= 2 {
				s++
			}
		}
		return s
	}
	var r []int
	sb, sa := score(below), score(above)
	switch {
	case sb > 0 && sb >= sa:
		r = below
	case sa > 0:
		r = above
	case len(below) > 0:
		r = below
	default:
		r = above
	}
	sort.Ints(r)
	sort.SliceStable(r, func(a, b int) bool { return p.Lines[r[a]].Baseline < p.Lines[r[b]].Baseline-1 })
	return r
}

// figureRegion returns the text lines inside a figure (axis labels, ticks,
// legends) that sit next to its caption: small or sparse lines up to a gap.
func (p *paper) figureRegion(g *pageGeom, c flCaption) []int {
	first := &p.Lines[c.first]
	cand := p.flLinesNear(g, c, true)
	var out []int
	edge := first.Y0
	for k, i := range cand {
		l := &p.Lines[i]
		lim := 3.5 * g.lead
		if k == 0 {
			lim = 4 * g.lead
		}
		if edge-l.Y1 > lim || p.flStop(g, i) || p.bodyLine(g, i) {
			break
		}
		small := l.Size < g.body-0.6
		sparse := len(strings.Fields(l.Text)) <= 4 || len(l.Spans) >= 2
		if !small && !sparse {
			break
		}
		// the short last line of a paragraph above the figure
		if k+1 < len(cand) && !small {
			q := &p.Lines[cand[k+1]]
			if l.Baseline-q.Baseline < 1.3*g.lead && p.bodyLine(g, cand[k+1]) {
				break
			}
		}
		out = append(out, i)
		edge = math.Min(edge, l.Y0)
	}
	return out
}

// tableRows reads the cells of the region's lines, aligning spans on
// column positions shared across rows.
func (p *paper) tableRows(region []int) [][]doc.Cell {
	rows := [][]doc.Cell{}
	if len(region) == 0 {
		return rows
	}
	// merge lines on the same baseline (a row split by the layout)
	var groups [][]int
	for _, i := range region {
		if n := len(groups); n > 0 {
			q := &p.Lines[groups[n-1][0]]
			if math.Abs(q.Baseline-p.Lines[i].Baseline) < 1.5 {
				groups[n-1] = append(groups[n-1], i)
				continue
			}
		}
		groups = append(groups, []int{i})
	}
	type span struct {
		x0, x1 float64
		s      layout.Span
		l      *layout.Line
	}
	rowSpans := make([][]span, len(groups))
	for k, gr := range groups {
		for _, i := range gr {
			l := &p.Lines[i]
			if len(l.Spans) == 0 {
				rowSpans[k] = append(rowSpans[k], span{l.X0, l.X1, layout.Span{X0: l.X0, X1: l.X1, Text: l.Text, Bold: l.Bold, Italic: l.Italic, Math: l.Math, Size: l.Size, First: 0, Last: len(l.Chars) - 1}, l})
				continue
			}
			for _, s := range l.Spans {
				rowSpans[k] = append(rowSpans[k], span{s.X0, s.X1, s, l})
			}
		}
		sort.Slice(rowSpans[k], func(a, b int) bool { return rowSpans[k][a].x0 < rowSpans[k][b].x0 })
	}
	// columns: intervals from the rows with the most common (largest) span count
	counts := map[int]int{}
	maxN := 0
	for _, rs := range rowSpans {
		counts[len(rs)]++
		maxN = max(maxN, len(rs))
	}
	anchorN := 0
	for n, c := range counts {
		if n >= 2 && (c > counts[anchorN] || c == counts[anchorN] && n > anchorN) {
			anchorN = n
		}
	}
	if anchorN == 0 {
		anchorN = maxN
	}
	type col struct{ x0, x1 float64 }
	var cols []col
	for _, rs := range rowSpans {
		if len(rs) != anchorN {
			continue
		}
		if cols == nil {
			for _, s := range rs {
				cols = append(cols, col{s.x0, s.x1})
			}
			continue
		}
		for k, s := range rs {
			cols[k].x0 = math.Min(cols[k].x0, s.x0)
			cols[k].x1 = math.Max(cols[k].x1, s.x1)
		}
	}
	// make the intervals disjoint
	for k := 1; k < len(cols); k++ {
		if cols[k].x0 < cols[k-1].x1 {
			mid := (cols[k].x0 + cols[k-1].x1) / 2
			cols[k-1].x1, cols[k].x0 = mid, mid
		}
	}
	colOf := func(x float64) int {
		best, bd := 0, math.Inf(1)
		for k, c := range cols {
			if x >= c.x0 && x <= c.x1 {
				return k
			}
			d := math.Min(math.Abs(x-c.x0), math.Abs(x-c.x1))
			if d < bd {
				best, bd = k, d
			}
		}
		return best
	}
	// a span over several columns whose words fall into different columns
	// is split at the column boundaries (cells the layout did not separate)
	for k, rs := range rowSpans {
		var out []span
		for _, sp := range rs {
			if len(cols) < 2 || colOf(sp.x0+0.5) == colOf(sp.x1-0.5) || sp.l == nil || sp.s.Last >= len(sp.l.Chars) || sp.s.First > sp.s.Last {
				out = append(out, sp)
				continue
			}
			cs := sp.l.Chars[sp.s.First : sp.s.Last+1]
			var parts []span
			start := 0
			for m := 1; m <= len(cs); m++ {
				if m < len(cs) && cs[m].X0-cs[m-1].X1 < 0.25*math.Max(cs[m].Size, 1) {
					continue
				}
				w := span{cs[start].X0, cs[m-1].X1, sp.s, sp.l}
				for _, c := range cs[start:m] {
					w.x0, w.x1 = math.Min(w.x0, c.X0), math.Max(w.x1, c.X1)
				}
				w.s.Text = layout.CharsText(cs[start:m], nil)
				if n := len(parts); n > 0 && colOf((parts[n-1].x0+parts[n-1].x1)/2) == colOf((w.x0+w.x1)/2) {
					parts[n-1].x1 = w.x1
					parts[n-1].s.Text += " " + w.s.Text
				} else {
					parts = append(parts, w)
				}
				start = m
			}
			if len(parts) > 1 {
				for q := range parts {
					parts[q].s.X0, parts[q].s.X1 = parts[q].x0, parts[q].x1
				}
				out = append(out, parts...)
			} else {
				out = append(out, sp)
			}
		}
		rowSpans[k] = out
	}
	header := true
	for _, rs := range rowSpans {
		if len(cols) == 0 {
			break
		}
		row := make([]doc.Cell, len(cols))
		filled := make([]bool, len(cols))
		numeric := 0
		for _, s := range rs {
			a, b := colOf(s.x0+0.5), colOf(s.x1-0.5)
			if b < a {
				b = a
			}
			cell := doc.Cell{Text: strings.TrimSpace(s.s.Text), Bold: s.s.Bold, Italic: s.s.Italic, Math: s.s.Math > 0.5}
			cell.Value, cell.PlusMinus = cellNumber(cell.Text)
			if cell.Value != nil {
				numeric++
			}
			if filled[a] {
				row[a].Text = strings.TrimSpace(row[a].Text + " " + cell.Text)
				row[a].Value, row[a].PlusMinus = cellNumber(row[a].Text)
				continue
			}
			if b > a {
				cell.ColSpan = b - a + 1
			}
			row[a] = cell
			filled[a] = true
			for k := a + 1; k <= b; k++ {
				if !filled[k] {
					row[k] = doc.Cell{Text: cell.Text, Spanned: true, Bold: cell.Bold}
					filled[k] = true
				}
			}
		}
		if numeric > 0 {
			header = false
		}
		if header {
			for k := range row {
				row[k].Header = true
			}
		}
		rows = append(rows, row)
	}
	return mergeSpreadColumns(rows)
}

// thousandsRE matches a number with its thousands set apart by spaces.
var thousandsRE = regexp.MustCompile(`^\d{1,3}(?: \d{3})+(?:\.\d+)?$`)

// cellNumber reads a cell's number and spread (tabular.Number), with
// thousands separated by spaces ("1 000") read as one number.
func cellNumber(text string) (*float64, *float64) {
	if thousandsRE.MatchString(text) {
		text = strings.ReplaceAll(text, " ", "")
	}
	return tabular.Number(text)
}

// spreadRE matches a cell that only holds a spread: "(0.3)", "± 0.3".
var spreadRE = regexp.MustCompile(`^(?:\(\s*[0-9][0-9.,]*\s*\)|±\s*[0-9][0-9.,]*)$`)

// mergeSpreadColumns joins a column of spreads ("(0.3)", "± 0.3") to the
// column of values before it, so that "85.3 (0.3)" is one cell.
func mergeSpreadColumns(rows [][]doc.Cell) [][]doc.Cell {
	if len(rows) == 0 {
		return rows
	}
	n := len(rows[0])
	var keep []int
	merge := make([]bool, n)
	for c := 1; c < n; c++ {
		spread, other := 0, 0
		for _, r := range rows {
			if c >= len(r) || r[c].Header || r[c].Text == "" || r[c].Spanned {
				continue
			}
			if spreadRE.MatchString(r[c].Text) {
				spread++
			} else {
				other++
			}
		}
		merge[c] = spread >= 2 && spread >= 4*other
	}
	for c := 0; c < n; c++ {
		if !merge[c] {
			keep = append(keep, c)
		}
	}
	if len(keep) == n {
		return rows
	}
	out := make([][]doc.Cell, len(rows))
	for k, r := range rows {
		var nr []doc.Cell
		for c := 0; c < len(r); c++ {
			if c < n && merge[c] && len(nr) > 0 {
				prev := &nr[len(nr)-1]
				if r[c].Text != "" && !r[c].Spanned && r[c].Text != prev.Text {
					prev.Text = strings.TrimSpace(prev.Text + " " + r[c].Text)
					prev.Value, prev.PlusMinus = cellNumber(prev.Text)
					if prev.PlusMinus == nil && prev.Value != nil {
						if sv, _ := tabular.Number(strings.Trim(r[c].Text, "()± ")); sv != nil {
							prev.PlusMinus = sv
						}
					}
				}
				continue
			}
			nr = append(nr, r[c])
		}
		out[k] = nr
	}
	return out
}

// Algorithms.

var (
	algoNumOnlyRE = regexp.MustCompile(`^\s*\d{1,3}\s*:\s*`)
	// algoNumSpaceRE is algorithm2e's line number: "12 " before the step.
	algoNumSpaceRE = regexp.MustCompile(`^\s*(\d{1,3})\s+`)
)

// algoStepStart reports whether a line starts like an algorithm's step.
func algoStepStart(s string) bool {
	if algoNumOnlyRE.MatchString(s) {
		return true
	}
	w := strings.ToLower(strings.Trim(firstWord(s), ":"))
	switch w {
	case "require", "input", "inputs", "output", "outputs", "ensure", "initialize", "initialise", "given", "parameters", "data", "result":
		return true
	}
	return false
}

func firstWord(s string) string {
	f := strings.Fields(s)
	if len(f) == 0 {
		return ""
	}
	return f[0]
}

// algoRight returns the right edge of the algorithm whose header is line
// i: the widest of the lines that follow it in its column, or the
// column's edge.
func (p *paper) algoRight(g *pageGeom, i int) float64 {
	h := &p.Lines[i]
	r := h.X1
	for j := i + 1; j < len(p.Lines) && j <= i+12; j++ {
		l := &p.Lines[j]
		if l.Page != h.Page || l.Column != h.Column || l.Baseline-h.Baseline > 20*h.Size {
			break
		}
		r = math.Max(r, l.X1)
	}
	return math.Min(r, g.colRightOf(h))
}

// algoBodyFollows reports whether the lines after i look like the start of
// an algorithm body.
func (p *paper) algoBodyFollows(i int) bool {
	for j := i + 1; j < len(p.Lines) && j <= i+3; j++ {
		if p.Lines[j].Page != p.Lines[i].Page {
			return false
		}
		if algoStepStart(p.Lines[j].Text) {
			return true
		}
	}
	return false
}

// algorithm reads the algorithm whose header is caption c.
func (p *paper) algorithm(g *pageGeom, c flCaption) doc.Algorithm {
	a := doc.Algorithm{Number: c.num, Caption: c.text, Inputs: []string{}, Outputs: []string{}, Steps: []doc.Step{}}
	if len(a.Caption) > 300 {
		a.CaptionFull = a.Caption
		a.Caption = shortCaption(a.Caption)
	}
	head := &p.Lines[c.first]
	var body []int
	prevY := p.Lines[c.last].Baseline
	for j := c.last + 1; j < len(p.Lines) && len(body) < 200; j++ {
		l := &p.Lines[j]
		if l.Page != head.Page || p.flStop(g, j) {
			break
		}
		if l.Column != head.Column && head.Column != -1 && l.Column != -1 {
			break
		}
		gap := l.Baseline - prevY
		if gap <= 0 || gap > 2.6*math.Max(l.Size, 0.8*g.body) {
			break
		}
		// running prose after the float: a full body line with no step
		// number, following a numbered step
		if len(body) > 2 && p.bodyLine(g, j) && !algoNumOnlyRE.MatchString(l.Text) && gap > 1.45*l.Size {
			break
		}
		body = append(body, j)
		prevY = l.Baseline
	}
	if len(body) == 0 {
		return a
	}
	// line numbers: "3:" (algorithmic), or "3" alone (algorithm2e) when
	// the numbers run in sequence
	numRE := algoNumOnlyRE
	colon, next, seq := 0, 1, 0
	for _, j := range body {
		t := p.Lines[j].Text
		if algoNumOnlyRE.MatchString(t) {
			colon++
		}
		if m := algoNumSpaceRE.FindStringSubmatch(t); m != nil {
			if n, _ := strconv.Atoi(m[1]); n == next {
				seq++
				next++
			}
		}
	}
	if colon < 2 && seq >= 3 {
		numRE = algoNumSpaceRE
	}
	// depth is measured from the left edge of the numbered steps when the
	// lines are numbered (Require/Ensure lines sit at the margin)
	left, leftNum := math.Inf(1), math.Inf(1)
	for _, j := range body {
		left = math.Min(left, p.stepX(j, numRE))
		if numRE.MatchString(p.Lines[j].Text) {
			leftNum = math.Min(leftNum, p.stepX(j, numRE))
		}
	}
	if !math.IsInf(leftNum, 1) {
		left = leftNum
	}
	em := math.Max(g.body, 5)
	var pseudo []string
	for _, j := range body {
		p.Used[j] = true
		l := &p.Lines[j]
		text := strings.TrimSpace(numRE.ReplaceAllString(l.Text, ""))
		pseudo = append(pseudo, text)
		depth := int(math.Round((p.stepX(j, numRE) - left) / em))
		if depth < 0 {
			depth = 0
		}
		st := doc.Step{Kind: stepKind(text), Depth: depth, Text: text}
		if i := strings.Index(text, "▷"); i > 0 {
			st.Comment = strings.TrimSpace(text[i+len("▷"):])
			st.Text = strings.TrimSpace(text[:i])
		}
		switch st.Kind {
		case doc.StepRequire:
			a.Inputs = append(a.Inputs, stripKeyword(text))
		case doc.StepEnsure:
			a.Outputs = append(a.Outputs, stripKeyword(text))
		}
		a.Steps = append(a.Steps, st)
	}
	a.Pseudocode = strings.Join(pseudo, "\n")
	return a
}

// stepX returns the x where the text of line j's step starts, after its
// line number.
func (p *paper) stepX(j int, numRE *regexp.Regexp) float64 {
	l := &p.Lines[j]
	m := numRE.FindStringIndex(l.Text)
	if m == nil || len(l.Spans) == 0 {
		return l.X0
	}
	// the first span after the number
	if len(l.Spans) > 1 && numRE.MatchString(l.Spans[0].Text+" ") && strings.TrimSpace(numRE.ReplaceAllString(l.Spans[0].Text+" ", "")) == "" {
		return l.Spans[1].X0
	}
	// count characters: skip the number's runes in Chars
	n := 0
	for _, r := range l.Text[:m[1]] {
		if !unicode.IsSpace(r) {
			n++
		}
	}
	seen := 0
	for _, ch := range l.Chars {
		if ch.Generated || unicode.IsSpace(ch.R) {
			continue
		}
		if seen == n {
			return ch.X0
		}
		seen++
	}
	return l.X0
}

// stepKind classifies an algorithm line by its first keyword.
func stepKind(text string) string {
	w := strings.ToLower(strings.TrimRight(firstWord(text), ":"))
	switch w {
	case "for", "foreach", "parallel":
		return doc.StepFor
	case "while":
		return doc.StepWhile
	case "if":
		return doc.StepIf
	case "else":
		if strings.HasPrefix(strings.ToLower(strings.TrimPrefix(text, firstWord(text))), " if") {
			return doc.StepElseIf
		}
		return doc.StepElse
	case "elseif", "elsif", "elif":
		return doc.StepElseIf
	case "return":
		return doc.StepReturn
	case "repeat", "loop":
		return doc.StepRepeat
	case "until":
		return doc.StepUntil
	case "require", "input", "inputs", "given", "parameters", "data":
		return doc.StepRequire
	case "ensure", "output", "outputs", "result":
		return doc.StepEnsure
	case "function", "procedure", "def":
		return doc.StepFunction
	case "▷", "//", "#", "comment":
		return doc.StepComment
	}
	if strings.HasPrefix(w, "end") {
		return doc.StepStatement
	}
	return doc.StepStatement
}

// stripKeyword removes the leading keyword and colon of a Require/Input line.
func stripKeyword(text string) string {
	f := firstWord(text)
	rest := strings.TrimSpace(strings.TrimPrefix(text, f))
	if !strings.HasSuffix(f, ":") {
		rest = strings.TrimSpace(strings.TrimPrefix(rest, ":"))
	}
	return rest
}
