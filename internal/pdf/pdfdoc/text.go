package pdfdoc

import (
	"math"
	"strings"
	"unicode"

	"github.com/reprohq/repro/doc"
	"github.com/reprohq/repro/internal/pdf"
	"github.com/reprohq/repro/internal/pdf/layout"
)

// text collects the prose: the lines no finder took, in reading order,
// joined into paragraphs across columns and pages and de-hyphenated, each
// with the number of its section.
func (p *paper) text() {
	if len(p.Lines) == 0 {
		return
	}
	g := p.eqGeometry()
	vocab := p.txtVocab()
	keep := func(left, right string) bool {
		l, r := strings.ToLower(left), strings.ToLower(right)
		if vocab[l+r] > 0 {
			return false
		}
		return strings.Contains(r, "-") || vocab[l] > 0 && vocab[r] > 0
	}
	var cur []string
	sec := ""
	var prev *layout.Line
	flush := func() {
		if len(cur) > 0 {
			if t := strings.TrimSpace(layout.JoinLinesWith(cur, keep)); t != "" {
				p.D.Text = append(p.D.Text, doc.Paragraph{Section: sec, Text: t})
			}
		}
		cur = cur[:0]
		prev = nil
	}
	for i := range p.Lines {
		if p.Heading[i] {
			flush()
			continue
		}
		if p.Used[i] {
			// A display ends the part of a paragraph before it; a float
			// or a footnote the text flows around does not.
			if p.display[i] {
				flush()
			}
			continue
		}
		l := &p.Lines[i]
		if strings.TrimSpace(l.Text) == "" {
			continue
		}
		if prev != nil && (p.Section[i] != sec || p.txtBreak(g, prev, l)) {
			flush()
		}
		if len(cur) == 0 {
			sec = p.Section[i]
		}
		cur = append(cur, txtLine(l))
		prev = l
	}
	flush()
}

// txtBreak reports whether line l starts a new paragraph after prev.
func (p *paper) txtBreak(g *eqGeom, prev, l *layout.Line) bool {
	if math.Abs(prev.Size-l.Size) > 0.8 {
		return true
	}
	left, _ := g.bounds(p, l)
	_, pr := g.bounds(p, prev)
	prevShort := prev.X1 < pr-2*g.body
	prevEnds := strings.HasSuffix(strings.TrimSpace(prev.Text), ".") || strings.HasSuffix(strings.TrimSpace(prev.Text), ":")
	indent := l.X0 > left+0.6*g.body && l.X0 < left+3*g.body
	sameCol := prev.Page == l.Page && prev.Column == l.Column
	if sameCol {
		gap := l.Baseline - prev.Baseline
		if gap > 1.6*g.lead || gap < 0 {
			return true
		}
		if indent && (prevShort || prevEnds) {
			return true
		}
		return prevShort && prevEnds
	}
	// Across columns and pages: continue unless the line before ended a
	// paragraph.
	if prevShort && prevEnds {
		return true
	}
	return indent && prevEnds
}

// txtLine renders a line for the prose: inline math in $...$ (runs of
// math-font glyphs, with the digits, operators and scripts around them).
func txtLine(l *layout.Line) string {
	if l.Math == 0 {
		return l.Text
	}
	n := len(l.Chars)
	isM := make([]bool, n)
	for i := range l.Chars {
		c := &l.Chars[i]
		isM[i] = layout.MathWeight(c) > 0 || c.R == 0x2212
		if !isM[i] && c.Size < 0.88*l.Size && math.Abs(c.OY-l.Baseline) > 0.1*l.Size && i > 0 && isM[i-1] {
			isM[i] = true
		}
	}
	gapBefore := func(i int) float64 {
		if i == 0 {
			return 0
		}
		return l.Chars[i].X0 - l.Chars[i-1].X1
	}
	for i := 1; i < n; i++ {
		c := &l.Chars[i]
		if !isM[i] && isM[i-1] && gapBefore(i) < 1.0*l.Size {
			if strings.ContainsRune("=+<>()[]0123456789.,/|'", c.R) || c.Size < 0.88*l.Size {
				isM[i] = true
			}
		}
	}
	// Digits just before a run ("10" of 10^{-4}).
	for i := n - 1; i > 0; i-- {
		if isM[i] && !isM[i-1] && gapBefore(i) < 0.17*l.Size {
			for j := i - 1; j >= 0 && !isM[j] && (l.Chars[j].R >= '0' && l.Chars[j].R <= '9' || l.Chars[j].R == '.'); j-- {
				isM[j] = true
				if gapBefore(j) >= 0.17*l.Size {
					break
				}
			}
		}
	}
	// Trailing punctuation and unbalanced parentheses leave the run.
	for i := 0; i < n; i++ {
		if !isM[i] || i+1 < n && isM[i+1] {
			continue
		}
		start := i
		for start > 0 && isM[start-1] {
			start--
		}
		for j := i; j >= start; j-- {
			r := l.Chars[j].R
			if strings.ContainsRune(".,;:", r) || r == ')' && !txtHasOpen(l.Chars[start:j]) {
				isM[j] = false
				continue
			}
			break
		}
		if start < n && l.Chars[start].R == '(' {
			isM[start] = false
		}
	}
	var b strings.Builder
	for i := 0; i < n; {
		if i > 0 && (i < len(l.SpaceBefore) && l.SpaceBefore[i] || len(l.SpaceBefore) == 0 && gapBefore(i) > 0.17*l.Size) {
			b.WriteByte(' ')
		}
		j := i
		for j < n && isM[j] == isM[i] {
			j++
		}
		if isM[i] {
			sub := *l
			sub.Chars = l.Chars[i:j]
			if s := joinToks(eqRowTokens(&sub)); s != "" {
				b.WriteString("$" + s + "$")
			}
		} else {
			b.WriteString(txtChars(l, i, j))
		}
		i = j
	}
	return b.String()
}

func txtHasOpen(cs []pdf.Char) bool {
	d := 0
	for _, c := range cs {
		switch c.R {
		case '(':
			d++
		case ')':
			d--
		}
	}
	return d > 0
}

// txtChars renders l.Chars[i:j] with the line's word spaces.
func txtChars(l *layout.Line, i, j int) string {
	if len(l.SpaceBefore) != len(l.Chars) {
		return layout.CharsText(l.Chars[i:j], nil)
	}
	var b strings.Builder
	for k := i; k < j; k++ {
		if k > i && l.SpaceBefore[k] {
			b.WriteByte(' ')
		}
		b.WriteString(layout.CharsText(l.Chars[k:k+1], nil))
	}
	return b.String()
}

// txtVocab counts the words of the document (lowercased), to tell a
// broken word from a hyphenated compound at a line end. It is counted once
// per paper; the lines' text does not change after layout.
func (p *paper) txtVocab() map[string]int {
	if p.vocab != nil {
		return p.vocab
	}
	v := map[string]int{}
	after := false // the line before ended in a hyphen
	for i := range p.Lines {
		t := p.Lines[i].Text
		ws := strings.FieldsFunc(t, func(r rune) bool { return !unicode.IsLetter(r) })
		hy := strings.HasSuffix(strings.TrimSpace(t), "-")
		for k, w := range ws {
			// The pieces of a word broken across lines are not words.
			if k == 0 && after || k == len(ws)-1 && hy {
				continue
			}
			v[strings.ToLower(w)]++
		}
		after = hy
	}
	p.vocab = v
	return v
}
