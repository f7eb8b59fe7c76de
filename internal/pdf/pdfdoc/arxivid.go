package pdfdoc

import (
	"math"
	"regexp"
	"sort"
	"strings"
	"time"

	"github.com/reprohq/repro/internal/arxiv"
	"github.com/reprohq/repro/internal/bib"
	"github.com/reprohq/repro/internal/pdf/layout"
)

// stampRE matches arXiv's margin stamp: "arXiv:1707.06347v2 [cs.LG] 20 Jul 2017".
var stampRE = regexp.MustCompile(`(?i)arXiv:\s*([0-9]{4}\.[0-9]{4,5}|[a-z-]+(?:\.[A-Z]{2})?/[0-9]{7})(v[0-9]+)?\s*\[([A-Za-z.\-]+)\]\s*([0-9]{1,2}\s*[A-Z][a-z]{2}\s*[0-9]{4})?`)

// arxivID sets d.ArxivID (and d.Date when the stamp gives one) from the
// arXiv margin stamp, or from an "arXiv:ID" in the first page's header or
// footer.
func (p *paper) arxivID() {
	if p.L == nil || len(p.L.Pages) == 0 {
		return
	}
	// the stamp: rotated text taken out of the first page's lines
	for _, pg := range p.L.Pages[:min(2, len(p.L.Pages))] {
		for k := range pg.Removed {
			for _, t := range []string{stampText(&pg.Removed[k]), pg.Removed[k].Text} {
				if id, date, ok := parseStamp(t); ok {
					p.D.ArxivID = id
					if date != "" && p.D.Date == "" {
						p.D.Date = date
					}
					return
				}
			}
		}
	}
	// "arXiv:ID" in the first page's margins or a preprint notice
	pg := &p.L.Pages[0]
	h := pg.Height
	if h <= 0 {
		h = 792
	}
	cands := append([]layout.Line(nil), pg.Removed...)
	for _, l := range pg.Lines {
		low := strings.ToLower(l.Text)
		if !strings.Contains(low, "arxiv") {
			continue
		}
		if l.Y0 < 0.1*h || l.Y1 > 0.9*h || strings.Contains(low, "preprint") {
			cands = append(cands, l)
		}
	}
	for k := range cands {
		t := cands[k].Text
		if id, date, ok := parseStamp(t); ok {
			p.D.ArxivID = id
			if date != "" && p.D.Date == "" {
				p.D.Date = date
			}
			return
		}
		if id := validArxiv(bib.ArxivID(t)); id != "" {
			p.D.ArxivID = id
			return
		}
	}
}

// validArxiv returns id in canonical form when it is a valid arXiv
// identifier, else "".
func validArxiv(id string) string {
	if id == "" {
		return ""
	}
	r, ok := arxiv.ParseRef(id)
	if !ok {
		return ""
	}
	return r.ID
}

// parseStamp reads an arXiv stamp: the identifier without version and the
// date as YYYY-MM-DD ("" when the stamp has none).
func parseStamp(t string) (id, date string, ok bool) {
	m := stampRE.FindStringSubmatch(t)
	if m == nil {
		return "", "", false
	}
	id = validArxiv(m[1])
	if id == "" {
		return "", "", false
	}
	if m[4] != "" {
		ds := strings.Join(strings.Fields(spaceDate(m[4])), " ")
		if tm, err := time.Parse("2 Jan 2006", ds); err == nil {
			date = tm.Format("2006-01-02")
		}
	}
	return id, date, true
}

// spaceDate puts spaces into a date whose spaces were lost ("20Jul2017").
func spaceDate(s string) string {
	var b strings.Builder
	prevDigit, prevLetter := false, false
	for _, r := range s {
		digit := r >= '0' && r <= '9'
		letter := !digit && r != ' '
		if (digit && prevLetter) || (letter && prevDigit) {
			b.WriteByte(' ')
		}
		b.WriteRune(r)
		prevDigit, prevLetter = digit, letter
	}
	return b.String()
}

// stampText returns the text of a rotated line in reading order, with
// spaces at gaps; for upright text it returns the line's text.
func stampText(l *layout.Line) string {
	if len(l.Chars) == 0 {
		return l.Text
	}
	rotated := 0
	for _, c := range l.Chars {
		if c.Angle != 0 {
			rotated++
		}
	}
	if rotated*2 < len(l.Chars) {
		return l.Text
	}
	a := l.Chars[0].Angle
	chars := append(l.Chars[:0:0], l.Chars...)
	// PDFium's angle turns clockwise on the page: the baseline runs along
	// (cos a, sin a) in top-left coordinates (3π/2 reads bottom to top)
	dx, dy := math.Cos(a), math.Sin(a)
	sort.SliceStable(chars, func(i, j int) bool {
		return chars[i].OX*dx+chars[i].OY*dy < chars[j].OX*dx+chars[j].OY*dy
	})
	var b strings.Builder
	for k, c := range chars {
		if c.Generated {
			if c.R == ' ' {
				b.WriteByte(' ')
			}
			continue
		}
		if k > 0 {
			prev := chars[k-1]
			gap := math.Abs(c.OY - prev.OY)
			adv := math.Abs(prev.Y1 - prev.Y0)
			if gap-adv > 0.2*math.Max(c.Size, 4) {
				b.WriteByte(' ')
			}
		}
		b.WriteRune(c.R)
	}
	return b.String()
}
