package pdfdoc

import (
	"math"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"unicode"

	"github.com/reprohq/repro/doc"
	"github.com/reprohq/repro/internal/pdf/layout"
)

// eqNumRE matches a printed equation number: (3), (3.2), (A.1), (A1),
// (1a), (S4), (2.1.3).
var (
	eqNumRE = regexp.MustCompile(`^\(\s*((?:[A-Z]{1,2}\.?)?[0-9]{1,3}(?:\.[0-9]{1,3}){0,2}[a-z]?)\s*\)$`)
	// eqNamedRE is a \tag with a name: (MHA), (*), (P1').
	eqNamedRE = regexp.MustCompile(`^\(([A-Za-z][A-Za-z0-9′'*-]{0,9}|\*{1,3}|†|‡)\)$`)
	eqTailRE  = regexp.MustCompile(`\(\s*((?:[A-Z]{1,2}\.?)?[0-9]{1,3}(?:\.[0-9]{1,3}){0,2}[a-z]?)\s*\)$`)
)

// eqGeom holds the column edges of every page.
type eqGeom struct {
	box  map[[2]int][2]float64 // (page, column) -> left, right
	doc  map[int][2]float64    // column -> left, right over the document
	body float64
	lead float64
}

func (p *paper) eqGeometry() *eqGeom {
	g := &eqGeom{box: map[[2]int][2]float64{}, doc: map[int][2]float64{}, body: p.L.Body}
	if g.body <= 0 {
		g.body = 10
	}
	x0 := map[[2]int][]float64{}
	x1 := map[[2]int][]float64{}
	var leads []float64
	for i := range p.Lines {
		l := &p.Lines[i]
		if len(l.Chars) < 25 || math.Abs(l.Size-g.body) > 0.8 || l.Math > 0.3 {
			continue
		}
		for _, k := range [][2]int{{l.Page, l.Column}, {0, l.Column}} {
			x0[k] = append(x0[k], l.X0)
			x1[k] = append(x1[k], l.X1)
		}
		if i > 0 {
			q := &p.Lines[i-1]
			if q.Page == l.Page && q.Column == l.Column {
				if d := l.Baseline - q.Baseline; d > 0.9*g.body && d < 1.8*g.body {
					leads = append(leads, d)
				}
			}
		}
	}
	for k := range x0 {
		if len(x0[k]) < 4 && k[0] != 0 {
			continue
		}
		b := [2]float64{eqQuantile(x0[k], 0.1), eqQuantile(x1[k], 0.9)}
		if k[0] == 0 {
			g.doc[k[1]] = b
		} else {
			g.box[k] = b
		}
	}
	g.lead = eqQuantile(leads, 0.5)
	if g.lead == 0 {
		g.lead = 1.2 * g.body
	}
	return g
}

// bounds returns the left and right text edges for a line's column.
func (g *eqGeom) bounds(p *paper, l *layout.Line) (float64, float64) {
	pg := &p.L.Pages[0]
	for i := range p.L.Pages {
		if p.L.Pages[i].Number == l.Page {
			pg = &p.L.Pages[i]
			break
		}
	}
	if l.Column == -1 && pg.Columns == 2 {
		a, okA := g.get(l.Page, 0)
		b, okB := g.get(l.Page, 1)
		if okA && okB {
			return a[0], b[1]
		}
	}
	c := l.Column
	if c < 0 {
		c = 0
	}
	if b, ok := g.get(l.Page, c); ok {
		return b[0], b[1]
	}
	return 0, pg.Width
}

func (g *eqGeom) get(page, col int) ([2]float64, bool) {
	if b, ok := g.box[[2]int{page, col}]; ok {
		return b, true
	}
	b, ok := g.doc[col]
	return b, ok
}

func eqQuantile(v []float64, q float64) float64 {
	if len(v) == 0 {
		return 0
	}
	s := append([]float64(nil), v...)
	sort.Float64s(s)
	return s[int(q*float64(len(s)-1))]
}

// eqHit is a printed equation number found on a line.
type eqHit struct {
	line   int
	span   int // index of the number's span; -1 when found in a line's tail
	num    string
	strict bool
	dest   bool
	used   bool // the line was taken by an earlier finder
	named  bool // a \tag with a name, accepted only with an AMS destination
	// tag is set for a \tag* that prints a remark before the number,
	// "(factor the joint) (23)": the display has no number of its own.
	tag string
}

// equations finds the display equations: numbers at the margin confirmed by
// hyperref's equation destinations where the PDF has them, the display's
// lines around each number, and the unnumbered displays.
func (p *paper) equations() {
	if len(p.Lines) == 0 {
		return
	}
	g := p.eqGeometry()
	dests := destsOf(p.L.Dests, "equation", "AMS")
	var hits []eqHit
	for i := range p.Lines {
		if p.Heading[i] {
			continue
		}
		if h, ok := p.eqNumberOn(g, i); ok {
			// A line another finder took (a table, say) is a display
			// only if a destination of the same number confirms it.
			h.used = p.Used[i]
			hits = append(hits, h)
		}
	}
	// Confirm by destinations.
	if len(dests) > 0 {
		usedDest := make([]bool, len(dests))
		for k := range hits {
			h := &hits[k]
			l := &p.Lines[h.line]
			best := -1
			for di, d := range dests {
				if usedDest[di] || d.Page != l.Page || h.named && d.Kind != "AMS" {
					continue
				}
				dy := l.Baseline - d.Y
				if d.HasXY && (dy < -12 || dy > 90) || !d.HasXY && !eqDestIs(d.Number, h.num) {
					continue
				}
				if best < 0 || eqDestIs(d.Number, h.num) && !eqDestIs(dests[best].Number, h.num) {
					best = di
				}
			}
			if best >= 0 && h.used && !eqDestIs(dests[best].Number, h.num) {
				best = -1
			}
			if best >= 0 {
				h.dest = true
				usedDest[best] = true
			}
		}
	}
	seen := map[string]bool{}
	var acc []eqHit
	for _, h := range hits {
		ok := h.dest || !h.used && !h.named && h.strict && (len(dests) == 0 || p.Lines[h.line].Math >= 0.3 || h.span >= 0 && len(p.Lines[h.line].Spans) == 1)
		if !ok || h.tag == "" && seen[h.num] {
			continue
		}
		if h.tag == "" {
			seen[h.num] = true
		}
		acc = append(acc, h)
	}
	// Regions around the numbers.
	inRegion := map[int]int{} // line -> region index
	type region struct {
		lines []int
		hits  []eqHit
	}
	var regions []*region
	for _, h := range acc {
		if r, ok := inRegion[h.line]; ok {
			regions[r].hits = append(regions[r].hits, h)
			continue
		}
		lines := p.eqGrow(g, h.line, inRegion)
		r := &region{lines: lines, hits: []eqHit{h}}
		for _, li := range lines {
			inRegion[li] = len(regions)
		}
		regions = append(regions, r)
	}
	// Unnumbered displays.
	for i := range p.Lines {
		if _, ok := inRegion[i]; ok || p.Used[i] || p.Heading[i] {
			continue
		}
		l := &p.Lines[i]
		if l.Math < 0.5 || !p.eqDisplayish(g, i) || eqNonSpace(l.Text) < 3 {
			continue
		}
		lines := p.eqGrow(g, i, inRegion)
		for _, li := range lines {
			inRegion[li] = len(regions)
		}
		regions = append(regions, &region{lines: lines})
	}
	sort.SliceStable(regions, func(a, b int) bool { return regions[a].lines[0] < regions[b].lines[0] })
	unnumbered := 0
	if p.display == nil {
		p.display = map[int]bool{}
	}
	for bi, r := range regions {
		for _, li := range r.lines {
			p.Used[li] = true
			p.display[li] = true
		}
		sec := p.Section[r.lines[0]]
		before := p.eqContext(r.lines[0], -1)
		after := p.eqContext(r.lines[len(r.lines)-1], +1)
		// Assign each line to the nearest number row.
		groups := make([][]int, max(1, len(r.hits)))
		if len(r.hits) > 1 {
			sort.Slice(r.hits, func(a, b int) bool { return p.Lines[r.hits[a].line].Baseline < p.Lines[r.hits[b].line].Baseline })
			for _, li := range r.lines {
				best, bestD := 0, math.Inf(1)
				for k, h := range r.hits {
					d := math.Abs(p.Lines[li].Baseline - p.Lines[h.line].Baseline)
					if d < bestD-0.5 || (math.Abs(d-bestD) <= 0.5 && p.Lines[h.line].Baseline > p.Lines[li].Baseline) {
						best, bestD = k, d
					}
				}
				groups[best] = append(groups[best], li)
			}
		} else {
			groups[0] = r.lines
		}
		for k, grp := range groups {
			if len(grp) == 0 {
				continue
			}
			var ls []*layout.Line
			var texts []string
			var numLine *layout.Line
			numSpan := -1
			var hit *eqHit
			if k < len(r.hits) {
				hit = &r.hits[k]
				numLine = &p.Lines[hit.line]
				numSpan = hit.span
			}
			for _, li := range grp {
				l := &p.Lines[li]
				ls = append(ls, l)
				t := l.Text
				if l == numLine {
					t = eqStripNumber(l, numSpan)
				}
				if t = strings.TrimSpace(t); t != "" {
					texts = append(texts, t)
				}
			}
			latex := eqLatex(ls, numLine, numSpan)
			if hit != nil && numSpan < 0 {
				latex = strings.TrimSpace(eqTailRE.ReplaceAllString(latex, ""))
				latex = strings.TrimSuffix(latex, "(")
			}
			eq := doc.Equation{
				Env: "display", LaTeX: latex, LaTeXExpanded: latex, Labels: []string{},
				Section: sec, SectionTitle: p.secTitle(sec), Block: bi + 1, Approx: true,
				Text: strings.Join(texts, "\n"), ReferencedIn: []doc.Ref{},
				Context: doc.Context{Before: before, After: after},
			}
			if hit != nil && hit.tag != "" {
				eq.Tag = hit.tag
				unnumbered++
				eq.ID = "eq-u" + strconv.Itoa(unnumbered)
			} else if hit != nil {
				n := hit.num
				eq.Number = &n
				eq.ID = "eq-" + n
			} else {
				unnumbered++
				eq.ID = "eq-u" + strconv.Itoa(unnumbered)
			}
			p.D.Equations = append(p.D.Equations, eq)
		}
	}
}

// eqNumberOn looks for an equation number at the right margin of line i.
func (p *paper) eqNumberOn(g *eqGeom, i int) (eqHit, bool) {
	h, ok := p.eqNumberAt(g, i)
	if ok {
		h.tag = eqTagText(&p.Lines[i])
	}
	return h, ok
}

// eqTagText returns the whole tag when a line ends in a parenthesised
// remark set apart from the display, then the number: "(since x > 0)
// (37)" (a \tag* that prints both). The remark starts a span of its own.
func eqTagText(l *layout.Line) string {
	n := len(l.Spans)
	if n < 1 {
		return ""
	}
	last := strings.TrimSpace(l.Spans[n-1].Text)
	loc := eqTailRE.FindStringIndex(last)
	if loc == nil {
		return ""
	}
	num := last[loc[0]:]
	rem := strings.TrimSpace(last[:loc[0]])
	if !strings.HasSuffix(rem, ")") {
		return ""
	}
	if strings.Count(rem, ")") > strings.Count(rem, "(") && eqLetters(rem) >= 2 {
		// The end of a remark that began on the line above.
		return rem + " " + num
	}
	if !strings.HasPrefix(rem, "(") {
		return ""
	}
	depth := 0
	for k := len(rem) - 1; k >= 0; k-- {
		switch rem[k] {
		case ')':
			depth++
		case '(':
			depth--
			if depth == 0 {
				if k == 0 {
					return rem + " " + num
				}
				return ""
			}
		}
	}
	return ""
}

func (p *paper) eqNumberAt(g *eqGeom, i int) (eqHit, bool) {
	l := &p.Lines[i]
	if len(l.Spans) == 0 {
		return eqHit{}, false
	}
	left, right := g.bounds(p, l)
	si := len(l.Spans) - 1
	s := l.Spans[si]
	t := strings.ReplaceAll(s.Text, " ", "")
	if m := eqNumRE.FindStringSubmatch(t); m != nil {
		h := eqHit{line: i, span: si, num: m[1]}
		atRight := s.X1 >= right-0.6*g.body && s.X1 <= right+2.5*g.body
		if atRight {
			if si == 0 {
				// A number alone: the display is on the lines around.
				h.strict = p.eqNearMath(g, i)
			} else {
				content := l.Spans[:si]
				c0, c1 := content[0].X0, content[len(content)-1].X1
				mathy := false
				for _, c := range content {
					if c.Math >= 0.2 {
						mathy = true
					}
				}
				indented := c0 > left+1.5*g.body
				short := c1 < s.X0-1.5*g.body
				h.strict = (mathy || indented) && short || mathy && l.Math >= 0.3
			}
		}
		return h, true
	}
	if m := eqNamedRE.FindStringSubmatch(t); m != nil && si > 0 && s.X1 >= right-0.6*g.body && s.X1 <= right+2.5*g.body {
		return eqHit{line: i, span: si, num: m[1], named: true}, true
	}
	// The number run into the display (a gap of less than an em).
	tx := strings.TrimSpace(l.Text)
	if m := eqTailRE.FindStringSubmatch(tx); m != nil && l.X1 >= right-0.6*g.body && l.Math >= 0.1 {
		// Without a destination to confirm it, only a mostly-math line
		// set off from the left margin.
		strict := l.Math >= 0.6 || l.Math >= 0.4 && l.X0 > left+2*g.body
		return eqHit{line: i, span: -1, num: m[1], strict: strict}, true
	}
	// leqno: the number at the left margin, the display after a gap.
	if len(l.Spans) > 1 && l.Spans[0].X0 <= left+0.6*g.body {
		if m := eqNumRE.FindStringSubmatch(strings.ReplaceAll(l.Spans[0].Text, " ", "")); m != nil {
			rest := l.Spans[1:]
			mathy := false
			for _, c := range rest {
				if c.Math >= 0.3 {
					mathy = true
				}
			}
			short := rest[len(rest)-1].X1 < right-1.5*g.body
			return eqHit{line: i, span: 0, num: m[1], strict: mathy && short}, true
		}
	}
	return eqHit{}, false
}

// eqNearMath reports whether lines next to line i (same page and column)
// are display math.
func (p *paper) eqNearMath(g *eqGeom, i int) bool {
	l := &p.Lines[i]
	for _, j := range []int{i - 1, i + 1, i - 2, i + 2} {
		if j < 0 || j >= len(p.Lines) {
			continue
		}
		q := &p.Lines[j]
		if q.Page != l.Page || q.Column != l.Column || math.Abs(q.Baseline-l.Baseline) > 3*g.lead {
			continue
		}
		if q.Math >= 0.25 && p.eqDisplayish(g, j) {
			return true
		}
	}
	return false
}

// eqDisplayish reports whether line i looks like part of a display: mostly
// math, or set off from both margins.
func (p *paper) eqDisplayish(g *eqGeom, i int) bool {
	l := &p.Lines[i]
	left, right := g.bounds(p, l)
	x1 := l.X1
	if len(l.Spans) > 1 && eqNumRE.MatchString(strings.ReplaceAll(l.Spans[0].Text, " ", "")) && l.Math >= 0.3 {
		return true
	}
	if n := len(l.Spans); n > 1 && eqNumRE.MatchString(strings.ReplaceAll(l.Spans[n-1].Text, " ", "")) {
		x1 = l.Spans[n-2].X1
	} else if n == 1 && eqNumRE.MatchString(strings.ReplaceAll(l.Spans[0].Text, " ", "")) {
		return true
	}
	indented := l.X0 > left+2*g.body
	short := x1 < right-1.5*g.body
	if l.X0 <= left+0.5*g.body && i > 0 {
		// The last line of a paragraph: it starts at the margin under a
		// full line of prose.
		q := &p.Lines[i-1]
		if q.Page == l.Page && q.Column == l.Column && q.X1 >= right-g.body && q.X0 <= left+2*g.body && q.Math < 0.3 && l.Baseline-q.Baseline < 1.5*g.lead {
			return false
		}
	}
	if l.Math >= 0.5 {
		return indented || short || l.Math >= 0.7
	}
	if l.Math >= 0.15 {
		return indented && short
	}
	// Centred text inside a display ("subject to", "if x > 0").
	w := right - left
	return indented && short && math.Abs((l.X0+x1)/2-(left+right)/2) < 0.15*w && len(l.Text) < 60 && l.Math > 0
}

// eqGrow returns the lines of the display around line i.
func (p *paper) eqGrow(g *eqGeom, i int, taken map[int]int) []int {
	l := &p.Lines[i]
	ok := func(j, k int) bool {
		if j < 0 || j >= len(p.Lines) || p.Used[j] || p.Heading[j] {
			return false
		}
		if _, t := taken[j]; t {
			return false
		}
		q, r := &p.Lines[j], &p.Lines[k]
		if q.Page != l.Page || q.Column != l.Column {
			return false
		}
		if math.Abs(q.Baseline-r.Baseline) > 2.6*g.lead {
			return false
		}
		return p.eqDisplayish(g, j)
	}
	lo, hi := i, i
	for lo-1 >= 0 && i-lo < 14 && ok(lo-1, lo) {
		lo--
	}
	for hi+1 < len(p.Lines) && hi-i < 14 && ok(hi+1, hi) {
		hi++
	}
	out := make([]int, 0, hi-lo+1)
	for j := lo; j <= hi; j++ {
		out = append(out, j)
	}
	return out
}

// eqStripNumber returns a line's text without its number.
func eqStripNumber(l *layout.Line, span int) string {
	if span < 0 {
		return strings.TrimSpace(eqTailRE.ReplaceAllString(strings.TrimSpace(l.Text), ""))
	}
	var parts []string
	for i, s := range l.Spans {
		if i != span {
			parts = append(parts, s.Text)
		}
	}
	return strings.Join(parts, " ")
}

func eqNonSpace(s string) int {
	n := 0
	for _, r := range s {
		if r != ' ' {
			n++
		}
	}
	return n
}

// eqContext returns the sentence before (dir -1) or after (dir +1) a
// display, from the prose lines next to it.
func (p *paper) eqContext(i, dir int) string {
	var ls []string
	for j, n := i+dir, 0; j >= 0 && j < len(p.Lines) && n < 4; j += dir {
		if p.Heading[j] {
			break
		}
		if p.Used[j] {
			if n > 0 {
				break
			}
			continue
		}
		ls = append(ls, p.Lines[j].Text)
		n++
	}
	if dir < 0 {
		for a, b := 0, len(ls)-1; a < b; a, b = a+1, b-1 {
			ls[a], ls[b] = ls[b], ls[a]
		}
	}
	t := layout.JoinLines(ls)
	sents := splitSentences(t)
	if len(sents) == 0 {
		return ""
	}
	if dir < 0 {
		return sents[len(sents)-1]
	}
	return sents[0]
}

// splitSentences splits text after ". " before a capital letter.
func splitSentences(t string) []string {
	var out []string
	start := 0
	for i := 0; i+2 < len(t); i++ {
		if (t[i] == '.' || t[i] == '?' || t[i] == '!') && t[i+1] == ' ' && t[i+2] >= 'A' && t[i+2] <= 'Z' {
			out = append(out, strings.TrimSpace(t[start:i+1]))
			start = i + 2
		}
	}
	if s := strings.TrimSpace(t[start:]); s != "" {
		out = append(out, s)
	}
	return out
}

// secTitle returns the title of the section numbered num.
func (p *paper) secTitle(num string) string {
	if num == "" {
		return ""
	}
	for _, s := range p.D.Sections {
		if s.Number == num {
			return s.Title
		}
	}
	return ""
}

// eqDestIs reports whether a destination's number names the printed
// number: hyperref's \theHequation may carry the section before it
// ("2.158" for a printed 158).
func eqDestIs(dest, num string) bool {
	return dest == num || strings.HasSuffix(dest, "."+num)
}

// eqLetters counts the letters of s.
func eqLetters(s string) int {
	n := 0
	for _, r := range s {
		if unicode.IsLetter(r) {
			n++
		}
	}
	return n
}

// eqRefs fills the equations' ReferencedIn from the link annotations that
// point at equation destinations: the section of the line the link is on
// and the sentence around it.
func (p *paper) eqRefs() {
	byNum := map[string]int{}
	for i := range p.D.Equations {
		if n := p.D.Equations[i].Number; n != nil {
			byNum[*n] = i
		}
	}
	if len(byNum) == 0 {
		return
	}
	byPage := map[int][]int{}
	for i := range p.Lines {
		byPage[p.Lines[i].Page] = append(byPage[p.Lines[i].Page], i)
	}
	type key struct{ eq, line int }
	seen := map[key]bool{}
	for _, pg := range p.L.Pages {
		for _, lk := range pg.Links {
			kind, num, ok := strings.Cut(lk.Dest, ".")
			if !ok || kind != "equation" {
				continue
			}
			ei, ok := byNum[num]
			if !ok {
				for n, i := range byNum {
					if eqDestIs(num, n) {
						ei, ok = i, true
						break
					}
				}
			}
			if !ok {
				continue
			}
			cy := (lk.Y0 + lk.Y1) / 2
			line := -1
			for _, i := range byPage[pg.Number] {
				l := &p.Lines[i]
				if cy >= l.Y0-1 && cy <= l.Y1+1 && lk.X0 < l.X1 && lk.X1 > l.X0 {
					line = i
					break
				}
			}
			if line < 0 || seen[key{ei, line}] {
				continue
			}
			seen[key{ei, line}] = true
			e := &p.D.Equations[ei]
			e.ReferencedIn = append(e.ReferencedIn, doc.Ref{Section: p.Section[line], Command: "link", Text: p.eqRefSentence(line, *e.Number)})
		}
	}
}

// eqRefSentence returns the sentence around line i that names the
// equation number.
func (p *paper) eqRefSentence(i int, num string) string {
	var ls []string
	for j := i - 2; j <= i+2; j++ {
		if j < 0 || j >= len(p.Lines) || p.Lines[j].Page != p.Lines[i].Page || p.Heading[j] || j != i && p.Used[j] {
			continue
		}
		ls = append(ls, p.Lines[j].Text)
	}
	sents := splitSentences(layout.JoinLines(ls))
	for _, s := range sents {
		if strings.Contains(s, "("+num+")") {
			return s
		}
	}
	for _, s := range sents {
		if strings.Contains(s, num) {
			return s
		}
	}
	return strings.TrimSpace(p.Lines[i].Text)
}
