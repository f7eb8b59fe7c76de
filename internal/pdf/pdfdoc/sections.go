package pdfdoc

import (
	"math"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/reprohq/repro/doc"
	"github.com/reprohq/repro/internal/pdf/layout"
)

var (
	// secNumRE: "3 Training", "3.2. Training", "A Proofs", "A.1 Lemmas",
	// "IV. EXPERIMENTS".
	secNumRE = regexp.MustCompile(`^(\d{1,2}(?:\.\d{1,2}){0,3}|[A-Z](?:\.\d{1,2}){0,3}|[IVX]{1,5})\.?\s+(\S.*)$`)
	// secAppendixRE: "Appendix A: Proofs", "APPENDIX B. MORE RESULTS".
	secAppendixRE = regexp.MustCompile(`^(?:Appendix|APPENDIX)\s+([A-Z](?:\.\d{1,2})?)\s*[.:—–-]?\s+(\S.*)$`)
	// secUnnumberedRE names the unnumbered headings worth keeping.
	secUnnumberedRE = regexp.MustCompile(`^(?i:references|bibliography|acknowledge?ments?|related work|conclusions?|broader impacts?|impact statement|appendix|appendices|supplementary material|limitations)$`)
	secRomanRE      = regexp.MustCompile(`^[IVX]{1,5}$`)
	// secAppendixHeadRE is an unnumbered heading that starts the
	// appendices.
	secAppendixHeadRE = regexp.MustCompile(`^(?i:appendix|appendices|supplementary material|artifact description|artifact appendix)$`)
)

// secCand is a line that looks like a numbered heading.
type secCand struct {
	line   int
	end    int // index after the last title line
	number string
	title  string
	level  int
	kind   int // numArabic, numLetter, numRoman
}

const (
	numArabic = iota + 1
	numLetter
	numRoman
)

// sections finds the numbered (and a few unnumbered) headings, fills
// d.Sections, p.Heading and p.Section.
func (p *paper) sections() {
	if len(p.Lines) == 0 {
		return
	}
	body := p.L.Body
	if body <= 0 {
		body = 10
	}
	dests := destsOf(p.L.Dests, "section", "subsection", "subsubsection", "appendix")
	var heads []secCand
	if len(dests) >= 3 {
		heads = p.secByDests(dests)
		// A heading hyperref gave no destination (a section numbered
		// by hand, say): large and bold, with a number no other
		// heading has.
		have := map[string]bool{}
		taken := map[int]bool{}
		for _, h := range heads {
			have[h.number] = true
			for j := h.line; j < h.end; j++ {
				taken[j] = true
			}
		}
		for i := range p.Lines {
			l := &p.Lines[i]
			if taken[i] || !l.Bold || l.Size < body*1.12 {
				continue
			}
			if c, ok := p.secParse(i); ok && c.kind == numArabic && c.level <= 2 && !have[c.number] && !p.secInTOC(i) {
				heads = append(heads, c)
				have[c.number] = true
			}
		}
	} else {
		var cands []secCand
		for i := range p.Lines {
			if c, ok := p.secParse(i); ok && p.secStyled(i, c.title) && p.Lines[i].Size >= body*0.7 && !p.secInTOC(i) {
				cands = append(cands, c)
			}
		}
		appendix := len(p.Lines)
		for i := range p.Lines {
			t := strings.TrimSpace(p.Lines[i].Text)
			if secAppendixHeadRE.MatchString(t) && p.secStyled(i, t) {
				appendix = i
				break
			}
		}
		heads = secSequence(cands, appendix)
	}
	// Unnumbered headings.
	isHead := map[int]bool{}
	for _, h := range heads {
		isHead[h.line] = true
	}
	for i := range p.Lines {
		if isHead[i] {
			continue
		}
		l := &p.Lines[i]
		t := strings.TrimSpace(strings.TrimRight(l.Text, ".:"))
		if !secUnnumberedRE.MatchString(t) {
			continue
		}
		if !(l.Bold || l.Size >= body*1.12 || secAllCaps(t)) || !p.secBlockStart(i, body) {
			continue
		}
		heads = append(heads, secCand{line: i, end: i + 1, title: t, level: 1})
	}
	sortCands(heads)
	cur := ""
	k := 0
	for i := range p.Lines {
		if k < len(heads) && heads[k].line == i {
			h := heads[k]
			k++
			cur = h.number
			for j := h.line; j < h.end; j++ {
				p.Heading[j] = true
				p.Used[j] = true
			}
			app := h.kind == numLetter
			p.D.Sections = append(p.D.Sections, doc.Section{Number: h.number, Title: h.title, Level: h.level, Appendix: app})
		}
		p.Section[i] = cur
	}
}

func sortCands(cs []secCand) {
	for i := 1; i < len(cs); i++ {
		for j := i; j > 0 && cs[j].line < cs[j-1].line; j-- {
			cs[j], cs[j-1] = cs[j-1], cs[j]
		}
	}
}

// secParse parses line i as a numbered heading, whatever its style: the
// number, the title (with a wrapped second line in the same style) and the
// index after its last line.
func (p *paper) secParse(i int) (secCand, bool) {
	l := &p.Lines[i]
	text := strings.TrimSpace(l.Text)
	if len(text) > 160 || len(text) < 2 || l.Math > 0.35 {
		return secCand{}, false
	}
	var num, title string
	if m := secAppendixRE.FindStringSubmatch(text); m != nil {
		num, title = m[1], m[2]
	} else if m := secNumRE.FindStringSubmatch(text); m != nil {
		num, title = m[1], m[2]
	} else {
		return secCand{}, false
	}
	if len(l.Chars) > 0 && (l.Chars[0].Size < 0.85*l.Size || l.Chars[0].OY < l.Baseline-0.2*l.Size) {
		// A raised mark ("1 Chelsea Finn1 ..."), not a number.
		return secCand{}, false
	}
	title = secDropMark(l, strings.TrimSpace(title))
	r, _ := utf8.DecodeRuneInString(title)
	if !unicode.IsUpper(r) {
		return secCand{}, false
	}
	if strings.Count(title, " ") > 18 || secTOCLine(title) || secRunIn(title) {
		return secCand{}, false
	}
	c := secCand{line: i, end: i + 1, number: num, title: title}
	switch {
	case num[0] >= '0' && num[0] <= '9':
		c.kind = numArabic
	case secRomanRE.MatchString(num):
		c.kind = numRoman
	default:
		c.kind = numLetter
	}
	c.level = strings.Count(num, ".") + 1
	c.end = p.secWrap(i)
	for j := i + 1; j < c.end; j++ {
		c.title += " " + strings.TrimSpace(p.Lines[j].Text)
	}
	return c, true
}

// secWrap returns the index after a heading's last line: a title may wrap
// onto the next line in the same style.
func (p *paper) secWrap(i int) int {
	l := &p.Lines[i]
	end := i + 1
	if !l.Bold && l.Size < p.L.Body*1.12 {
		return end
	}
	for j := i + 1; j < len(p.Lines) && j <= i+2; j++ {
		q := &p.Lines[j]
		if q.Page != l.Page || q.Column != l.Column || q.Bold != l.Bold || math.Abs(q.Size-l.Size) > 0.5 {
			break
		}
		if d := q.Baseline - p.Lines[j-1].Baseline; d <= 0 || d > 1.6*l.Size {
			break
		}
		qt := strings.TrimSpace(q.Text)
		if secNumRE.MatchString(qt) || len(qt) > 100 || q.Math > 0.35 {
			break
		}
		end = j + 1
	}
	return end
}

// secRunIn reports a run-in heading followed by its paragraph's text
// ("Verify attacks. Iterative attacks are ...").
func secRunIn(t string) bool {
	i := strings.Index(t, ". ")
	return i > 0 && len(t)-i > 25
}

// secStyled reports whether line i is set like a heading: bold, larger than
// the body, in capitals or small capitals and set off from the text, or in
// a font of its own and set off above and below.
func (p *paper) secStyled(i int, title string) bool {
	l := &p.Lines[i]
	body := p.L.Body
	bold := l.Bold || len(l.Spans) > 1 && l.Spans[len(l.Spans)-1].Bold
	if (bold && l.Size >= body*0.85) || l.Size >= body*1.12 {
		return true
	}
	above, below := p.secIsolated(i)
	if !above {
		return false
	}
	f := strings.ToUpper(l.Font)
	smallCaps := strings.Contains(f, "CSC") || strings.HasPrefix(f, "SFCC") || strings.Contains(f, "SMALLCAPS") || strings.HasSuffix(f, "-SC")
	if secAllCaps(title) || smallCaps {
		return true
	}
	return below && l.X1 < p.secRight(l)-3*body && l.Font != p.bodyFont()
}

// secIsolated reports whether line i is set off from the line above and
// from the line below by more than the leading.
func (p *paper) secIsolated(i int) (above, below bool) {
	l := &p.Lines[i]
	lead := p.L.Body * 1.2
	above = true
	if i > 0 {
		q := &p.Lines[i-1]
		if q.Page == l.Page && q.Column == l.Column {
			above = l.Baseline-q.Baseline > 1.35*lead
		}
	}
	below = true
	if i+1 < len(p.Lines) {
		q := &p.Lines[i+1]
		if q.Page == l.Page && q.Column == l.Column && q.Font == l.Font {
			below = q.Baseline-l.Baseline > 1.15*lead
		}
	}
	return above, below
}

// secRight is the right edge of the longest lines in line l's column.
func (p *paper) secRight(l *layout.Line) float64 {
	if p.eqG == nil {
		p.eqG = p.eqGeometry()
	}
	_, r := p.eqG.bounds(p, l)
	return r
}

// bodyFont is the most common font of body-size lines.
func (p *paper) bodyFont() string {
	if p.bodyFontName != "" {
		return p.bodyFontName
	}
	n := map[string]int{}
	best := ""
	for i := range p.Lines {
		l := &p.Lines[i]
		if math.Abs(l.Size-p.L.Body) < 0.6 && len(l.Chars) > 30 {
			n[l.Font] += len(l.Chars)
			if n[l.Font] > n[best] {
				best = l.Font
			}
		}
	}
	p.bodyFontName = best
	return best
}

// secTOCLine reports a table-of-contents entry: dot leaders or a page
// number at the end.
func secTOCLine(t string) bool {
	if strings.Contains(t, ". . .") || strings.Contains(t, "....") {
		return true
	}
	f := strings.Fields(t)
	if len(f) > 1 {
		if _, err := strconv.Atoi(f[len(f)-1]); err == nil {
			return true
		}
	}
	return false
}

func secAllCaps(t string) bool {
	n, up := 0, 0
	for _, r := range t {
		if unicode.IsLetter(r) {
			n++
			if unicode.IsUpper(r) {
				up++
			}
		}
	}
	return n >= 3 && up == n
}

// secBlockStart reports whether line i starts a block: the first line of
// its column, or set off from the line above by more than the leading.
func (p *paper) secBlockStart(i int, body float64) bool {
	if i == 0 {
		return true
	}
	l, q := &p.Lines[i], &p.Lines[i-1]
	if q.Page != l.Page || q.Column != l.Column {
		return true
	}
	return l.Baseline-q.Baseline > 1.5*body
}

// secByDests finds the heading below each section destination: the first
// line under it (in the destination's column) that parses as a numbered
// heading, or else the first line in heading style, numbered from the
// destination's name.
func (p *paper) secByDests(dests []destRef) []secCand {
	var out []secCand
	taken := map[int]bool{}
	byPage := map[int][]int{}
	for i := range p.Lines {
		byPage[p.Lines[i].Page] = append(byPage[p.Lines[i].Page], i)
	}
	for _, d := range dests {
		var window []int
		for _, i := range byPage[d.Page] {
			l := &p.Lines[i]
			dy := l.Baseline - d.Y
			if taken[i] || p.Used[i] || d.HasXY && (dy < -4 || dy > 40) {
				continue
			}
			if !d.HasXY {
				// A destination without a position: the heading with its
				// number anywhere on the page.
				if c, ok := p.secParse(i); !ok || c.number != d.Number {
					continue
				}
			}
			if d.HasXY && d.X > 0 && (d.X < l.X0-40 || d.X > l.X1) {
				continue
			}
			window = append(window, i)
		}
		sort.Slice(window, func(a, b int) bool { return p.Lines[window[a]].Baseline < p.Lines[window[b]].Baseline })
		found := false
		// A heading with the destination's number first, then any.
		sort.SliceStable(window, func(a, b int) bool {
			ca, oka := p.secParse(window[a])
			cb, okb := p.secParse(window[b])
			return oka && ca.number == d.Number && !(okb && cb.number == d.Number)
		})
		for _, i := range window {
			if c, ok := p.secParse(i); ok {
				if d.Kind == "subsection" && c.level == 1 && c.kind == numLetter {
					// IEEE-style "A. Title" under section II.
					c.number = d.Number
					c.level = 2
				}
				out = append(out, c)
				for j := c.line; j < c.end; j++ {
					taken[j] = true
				}
				found = true
				break
			}
		}
		if found || d.Kind == "subsubsection" {
			continue
		}
		for _, i := range window {
			l := &p.Lines[i]
			t := strings.TrimSpace(l.Text)
			if len(t) > 160 || !p.secStyled(i, t) {
				continue
			}
			c := secCand{line: i, end: p.secWrap(i), number: d.Number, title: t, level: strings.Count(d.Number, ".") + 1, kind: numArabic}
			for j := i + 1; j < c.end; j++ {
				c.title += " " + strings.TrimSpace(p.Lines[j].Text)
			}
			if d.Kind == "subsection" {
				c.level = 2
			}
			if d.Kind == "appendix" || d.Number != "" && (d.Number[0] < '0' || d.Number[0] > '9') {
				c.kind = numLetter
			}
			out = append(out, c)
			for j := c.line; j < c.end; j++ {
				taken[j] = true
			}
			break
		}
	}
	return out
}

// secSequence keeps the candidates whose numbers follow on from the
// headings before them.
func secSequence(cands []secCand, appendix int) []secCand {
	var out []secCand
	top, topKind := "", 0
	sub := 0
	subsub := 0
	for _, c := range cands {
		parts := strings.Split(c.number, ".")
		ok := false
		switch c.level {
		case 1:
			switch c.kind {
			case numArabic:
				n, _ := strconv.Atoi(parts[0])
				t, _ := strconv.Atoi(top)
				ok = (topKind == 0 && n <= 3) || (topKind == numArabic && n > t && n <= t+2)
			case numRoman:
				n := roman(parts[0])
				ok = (topKind == 0 && n <= 2) || (topKind == numRoman && n > roman(top) && n <= roman(top)+2)
				if !ok && topKind == numLetter {
					// "I" after "H" is a letter.
					ok = len(parts[0]) == 1 && parts[0][0] > top[0] && parts[0][0] <= top[0]+2
					if ok {
						c.kind = numLetter
					}
				}
			case numLetter:
				l := parts[0][0]
				if topKind == numRoman && len(parts) == 1 && c.line < appendix {
					// IEEE: "A. Title" under "II. TITLE" is subsection II-A.
					if int(l-'A') == sub {
						sub++
						c.number, c.level = top+"-"+parts[0], 2
						out = append(out, c)
					}
					continue
				}
				// Lettered sections are appendices: after the numbered
				// ones or an appendix heading ("A Synthetic Paper" is a
				// title).
				first := topKind == numArabic || topKind == numRoman || c.line > appendix
				ok = (topKind != numLetter && first && l <= 'B') || (topKind == numLetter && l > top[0] && l <= top[0]+2)
			}
			if ok {
				top, topKind, sub, subsub = parts[0], c.kind, 0, 0
			}
		case 2:
			m, _ := strconv.Atoi(parts[1])
			if parts[0] == top {
				ok = m > sub && m <= sub+3
			} else if topKind == numArabic && c.kind == numArabic {
				n, _ := strconv.Atoi(parts[0])
				t, _ := strconv.Atoi(top)
				ok = n == t+1 && m <= 2
			}
			if ok {
				top, topKind, sub, subsub = parts[0], c.kind, m, 0
			}
		case 3:
			m, _ := strconv.Atoi(parts[2])
			s, _ := strconv.Atoi(parts[1])
			ok = parts[0] == top && s == sub && m > subsub && m <= subsub+3
			if ok {
				subsub = m
			}
		}
		if ok {
			out = append(out, c)
		}
	}
	return out
}

func roman(s string) int {
	v := map[byte]int{'I': 1, 'V': 5, 'X': 10}
	n := 0
	for i := 0; i < len(s); i++ {
		x := v[s[i]]
		if i+1 < len(s) && v[s[i+1]] > x {
			n -= x
		} else {
			n += x
		}
	}
	return n
}

// secDropMark removes a footnote mark (raised, smaller characters) from
// the end of a heading's title.
func secDropMark(l *layout.Line, title string) string {
	k := 0
	for i := len(l.Chars) - 1; i >= 0; i-- {
		c := &l.Chars[i]
		if c.Size < 0.85*l.Size && c.OY < l.Baseline-0.2*l.Size {
			k++
			continue
		}
		break
	}
	if k == 0 || k >= utf8.RuneCountInString(title) {
		return title
	}
	r := []rune(title)
	return strings.TrimSpace(string(r[:len(r)-k]))
}

// secInTOC reports whether line i is among table-of-contents entries: a
// line with dot leaders within three lines of it on its page.
func (p *paper) secInTOC(i int) bool {
	for j := i - 3; j <= i+3; j++ {
		if j < 0 || j >= len(p.Lines) || p.Lines[j].Page != p.Lines[i].Page {
			continue
		}
		t := p.Lines[j].Text
		if strings.Contains(t, ". . . .") || strings.Contains(t, ".....") {
			return true
		}
	}
	return false
}
