package pdfdoc

import (
	"math"
	"sort"
	"strings"
	"unicode"

	"github.com/reprohq/repro/internal/pdf"
	"github.com/reprohq/repro/internal/pdf/layout"
)

// This file turns the glyphs of a display into best-effort LaTeX: Unicode
// symbols mapped to macros, TeX's extension-font glyphs to big operators,
// sub- and superscripts from baseline offsets and sizes, fractions from a
// numerator and a denominator stacked around a row, and limits above and
// below big operators.

var eqMacro = map[rune]string{
	'α': `\alpha`, 'β': `\beta`, 'γ': `\gamma`, 'δ': `\delta`, 'ε': `\varepsilon`, 'ϵ': `\epsilon`,
	'ζ': `\zeta`, 'η': `\eta`, 'θ': `\theta`, 'ϑ': `\vartheta`, 'ι': `\iota`, 'κ': `\kappa`,
	'λ': `\lambda`, 'μ': `\mu`, 'ν': `\nu`, 'ξ': `\xi`, 'π': `\pi`, 'ϖ': `\varpi`, 'ρ': `\rho`,
	'ϱ': `\varrho`, 'σ': `\sigma`, 'ς': `\varsigma`, 'τ': `\tau`, 'υ': `\upsilon`, 'φ': `\varphi`,
	'ϕ': `\phi`, 'χ': `\chi`, 'ψ': `\psi`, 'ω': `\omega`,
	'Γ': `\Gamma`, 'Δ': `\Delta`, 'Θ': `\Theta`, 'Λ': `\Lambda`, 'Ξ': `\Xi`, 'Π': `\Pi`,
	'Σ': `\Sigma`, 'Υ': `\Upsilon`, 'Φ': `\Phi`, 'Ψ': `\Psi`, 'Ω': `\Omega`,
	'∑': `\sum`, '∏': `\prod`, '∐': `\coprod`, '∫': `\int`, '∮': `\oint`, '⋃': `\bigcup`, '⋂': `\bigcap`,
	'∂': `\partial`, '∇': `\nabla`, '∞': `\infty`, '≤': `\leq`, '≥': `\geq`, '≠': `\neq`,
	'≈': `\approx`, '∼': `\sim`, '≃': `\simeq`, '≡': `\equiv`, '∈': `\in`, '∉': `\notin`, '∋': `\ni`,
	'⊂': `\subset`, '⊆': `\subseteq`, '⊃': `\supset`, '⊇': `\supseteq`, '∪': `\cup`, '∩': `\cap`,
	'×': `\times`, '·': `\cdot`, '⋅': `\cdot`, '∗': `*`, '−': `-`, '±': `\pm`, '∓': `\mp`,
	'→': `\to`, '←': `\leftarrow`, '⇒': `\Rightarrow`, '⇐': `\Leftarrow`, '⇔': `\Leftrightarrow`,
	'↔': `\leftrightarrow`, '↦': `\mapsto`, '∀': `\forall`, '∃': `\exists`, '¬': `\neg`,
	'∧': `\wedge`, '∨': `\vee`, '⊤': `\top`, '⊥': `\perp`, '‖': `\|`, '∥': `\|`, '∣': `|`,
	'⟨': `\langle`, '⟩': `\rangle`, '〈': `\langle`, '〉': `\rangle`, '…': `\ldots`, '⋯': `\cdots`,
	'√': `\sqrt`, '∝': `\propto`, '◦': `\circ`, '∘': `\circ`, '⊙': `\odot`, '⊗': `\otimes`,
	'⊕': `\oplus`, 'ℓ': `\ell`, 'ℝ': `\mathbb{R}`, 'ℕ': `\mathbb{N}`, 'ℤ': `\mathbb{Z}`,
	'ℚ': `\mathbb{Q}`, 'ℂ': `\mathbb{C}`, '′': `'`, '≜': `\triangleq`, '≔': `:=`, '⌊': `\lfloor`,
	'⌋': `\rfloor`, '⌈': `\lceil`, '⌉': `\rceil`, '≪': `\ll`, '≫': `\gg`, '∅': `\emptyset`,
	'⊺': `\top`, '†': `\dagger`, '⋆': `\star`,
	'≺': `\prec`, '≻': `\succ`, '⪯': `\preceq`, '∖': `\setminus`, '⊘': `\oslash`, '⊖': `\ominus`,
	'µ': `\mu`, '{': `\{`, '}': `\}`, '%': `\%`, '#': `\#`, '&': `\&`, '_': `\_`, '∆': `\Delta`, 'ı': `\imath`,
}

// cmex maps the glyphs of TeX's extension font, which PDFium reads as
// their character codes, to what they draw.
var cmex = map[rune]string{
	'P': `\sum`, 'X': `\sum`, 'Q': `\prod`, 'Y': `\prod`, 'R': `\int`, 'Z': `\int`,
	'H': `\oint`, 'I': `\oint`, 'S': `\bigcup`, '[': `\bigcup`, 'T': `\bigcap`, '\\': `\bigcap`,
	'V': `\bigwedge`, '^': `\bigwedge`, 'W': `\bigvee`, '_': `\bigvee`, '`': `\coprod`, 'a': `\coprod`,
	'N': `\bigotimes`, 'O': `\bigotimes`, 'L': `\bigoplus`, 'M': `\bigoplus`, 'J': `\bigodot`, 'K': `\bigodot`,
	'p': `\sqrt`, 'q': `\sqrt`, 'r': `\sqrt`, 's': `\sqrt`, 't': `\sqrt`,
	0x00: `(`, 0x01: `)`, 0x02: `[`, 0x03: `]`, 0x04: `\lfloor`, 0x05: `\rfloor`, 0x06: `\lceil`, 0x07: `\rceil`,
	0x08: `\{`, 0x09: `\}`, 0x0A: `\langle`, 0x0B: `\rangle`, 0x0C: `|`, 0x0D: `\|`,
	0x10: `(`, 0x11: `)`, 0x12: `(`, 0x13: `)`, 0x14: `[`, 0x15: `]`, 0x16: `\lfloor`, 0x17: `\rfloor`,
	0x18: `\lceil`, 0x19: `\rceil`, 0x1A: `\{`, 0x1B: `\}`, 0x1C: `\langle`, 0x1D: `\rangle`,
	0x20: `(`, 0x21: `)`, 0x22: `[`, 0x23: `]`, 0x24: `\lfloor`, 0x25: `\rfloor`, 0x26: `\lceil`, 0x27: `\rceil`,
	0x28: `\{`, 0x29: `\}`, 0x2A: `\langle`, 0x2B: `\rangle`,
	'D': `\langle`, 'E': `\rangle`, 'b': `\widehat{}`, 'c': `\widehat{}`, 'd': `\widehat{}`,
	'e': `\widetilde{}`, 'f': `\widetilde{}`, 'g': `\widetilde{}`,
	'0': `(`, '1': `)`, '2': `[`, '3': `]`, '8': `\{`, '9': `\}`, ':': `\{`, ';': `\}`, '<': `\{`, '=': `\}`,
	'@': `(`, 'A': `)`, 'B': `(`, 'C': `)`,
}

// eqAccent maps spacing accents to LaTeX accent macros.
var eqAccent = map[rune]string{0x02DC: `\tilde`, 0x02C6: `\hat`, 0x00AF: `\bar`, 0x02D9: `\dot`, 0x02C7: `\check`, 0x02D8: `\breve`, 0x00A8: `\ddot`, 0x20D7: `\vec`}

// eqBigOps are the macros of big operators that take limits.
var eqBigOps = map[string]bool{`\sum`: true, `\prod`: true, `\coprod`: true, `\bigcup`: true, `\bigcap`: true,
	`\bigvee`: true, `\bigwedge`: true, `\bigoplus`: true, `\bigotimes`: true, `\int`: true, `\oint`: true}

// charLatex is the LaTeX for one glyph.
func charLatex(c *pdf.Char) string {
	f := strings.ToUpper(c.Font)
	switch {
	case strings.HasPrefix(f, "CMEX") || strings.HasPrefix(f, "LMEX") || strings.HasPrefix(f, "TXEX") || strings.HasPrefix(f, "PXEX"):
		if s, ok := cmex[c.R]; ok {
			return s
		}
	case strings.HasPrefix(f, "MSBM") && c.R < 128 && unicode.IsUpper(c.R):
		return `\mathbb{` + string(c.R) + `}`
	case strings.HasPrefix(f, "EUFM") && c.R < 128 && unicode.IsLetter(c.R):
		return `\mathfrak{` + string(c.R) + `}`
	case strings.HasPrefix(f, "RSFS") && c.R < 128 && unicode.IsLetter(c.R):
		return `\mathscr{` + string(c.R) + `}`
	case (strings.HasPrefix(f, "CMSY") || strings.HasPrefix(f, "CMBSY")) && c.R < 128 && unicode.IsUpper(c.R):
		return `\mathcal{` + string(c.R) + `}`
	case strings.HasPrefix(f, "CMBX") && c.R < 128 && unicode.IsLetter(c.R):
		return `\mathbf{` + string(c.R) + `}`
	}
	if s, ok := eqMacro[c.R]; ok {
		return s
	}
	if s := mathAlnum(c.R); s != "" {
		return s
	}
	if lg := layout.Ligature(c.R); lg != "" {
		return lg
	}
	if c.R < 32 {
		return ""
	}
	return string(c.R)
}

// mathAlnum maps the Unicode mathematical alphanumerics to styled letters.
func mathAlnum(r rune) string {
	if r < 0x1D400 || r > 0x1D7FF {
		return ""
	}
	if r >= 0x1D7CE {
		d := rune('0' + (r-0x1D7CE)%10)
		if r < 0x1D7D8 {
			return `\mathbf{` + string(d) + `}`
		}
		if r < 0x1D7E2 {
			return `\mathbb{` + string(d) + `}`
		}
		return string(d)
	}
	if r >= 0x1D6A8 {
		// Greek styles: drop the style.
		return ""
	}
	styles := []string{`\mathbf`, ``, `\boldsymbol`, `\mathcal`, `\mathcal`, `\mathfrak`, `\mathbb`, `\mathfrak`, `\mathsf`, `\mathsf`, `\mathsf`, `\mathsf`, `\mathtt`}
	k := int(r-0x1D400) / 52
	o := int(r-0x1D400) % 52
	var ch rune
	if o < 26 {
		ch = rune('A' + o)
	} else {
		ch = rune('a' + o - 26)
	}
	if k >= len(styles) {
		return string(ch)
	}
	if styles[k] == "" {
		return string(ch)
	}
	return styles[k] + "{" + string(ch) + "}"
}

// eqTok is a piece of a row's LaTeX at a horizontal position.
type eqTok struct {
	x float64
	s string
}

// eqRowTokens renders a row's characters with sub- and superscripts
// grouped.
func eqRowTokens(l *layout.Line) []eqTok {
	var toks []eqTok
	level := 0
	var cur strings.Builder
	var curX float64
	flush := func() {
		if cur.Len() == 0 {
			return
		}
		s := cur.String()
		switch level {
		case 1:
			s = "^{" + s + "}"
		case -1:
			s = "_{" + s + "}"
		}
		toks = append(toks, eqTok{curX, s})
		cur.Reset()
	}
	size := l.Size
	// Accents set as glyphs of their own go onto the letter below them.
	accentOn := map[int]string{}
	skip := map[int]bool{}
	for i := range l.Chars {
		a := &l.Chars[i]
		m, ok := eqAccent[a.R]
		if !ok {
			continue
		}
		cx := (a.X0 + a.X1) / 2
		best, bestD := -1, math.Inf(1)
		for j := range l.Chars {
			b := &l.Chars[j]
			if j == i || layout.IsAccent(b.R) || cx < b.X0-1 || cx > b.X1+1 || b.OY < a.OY-0.5 {
				continue
			}
			if d := math.Abs(cx - (b.X0+b.X1)/2); d < bestD {
				best, bestD = j, d
			}
		}
		if best >= 0 {
			accentOn[best] = m
		}
		skip[i] = true
	}
	for i := range l.Chars {
		if skip[i] {
			continue
		}
		c := &l.Chars[i]
		lv := 0
		if c.Size < 0.88*size {
			switch {
			case c.OY < l.Baseline-0.18*size:
				lv = 1
			case c.OY > l.Baseline+0.08*size:
				lv = -1
			}
		}
		s := charLatex(c)
		if s == "" {
			continue
		}
		if m, ok := accentOn[i]; ok {
			s = m + "{" + s + "}"
		}
		if lv != level || level == 0 {
			flush()
			level = lv
			curX = c.X0
		}
		if cur.Len() > 0 && needSpace(cur.String(), s) {
			cur.WriteByte(' ')
		}
		cur.WriteString(s)
	}
	flush()
	return toks
}

// needSpace reports whether a space must separate a control word from
// the letter after it.
func needSpace(prev, next string) bool {
	if next == "" {
		return false
	}
	r := rune(next[0])
	if !unicode.IsLetter(r) {
		return false
	}
	i := strings.LastIndexByte(prev, '\\')
	if i < 0 {
		return false
	}
	for _, c := range prev[i+1:] {
		if !unicode.IsLetter(c) {
			return false
		}
	}
	return len(prev) > i+1
}

func joinToks(toks []eqTok) string {
	sort.SliceStable(toks, func(i, j int) bool { return toks[i].x < toks[j].x })
	var b strings.Builder
	for _, t := range toks {
		if b.Len() > 0 {
			prev := b.String()
			if needSpace(prev, t.s) || (!strings.HasPrefix(t.s, "^") && !strings.HasPrefix(t.s, "_")) && len(t.s) > 1 && t.s[0] == '\\' {
				b.WriteByte(' ')
			}
		}
		b.WriteString(t.s)
	}
	return strings.TrimSpace(b.String())
}

// eqSpanToks renders a span of a line.
func eqSpanToks(l *layout.Line, s layout.Span) string {
	sub := *l
	sub.Chars = spanChars(l, s)
	return joinToks(eqRowTokens(&sub))
}

// eqLatex renders the lines of one equation (top to bottom), leaving out
// the characters of the number (numLine's span numSpan).
func eqLatex(lines []*layout.Line, numLine *layout.Line, numSpan int) string {
	sort.SliceStable(lines, func(i, j int) bool { return lines[i].Baseline < lines[j].Baseline })
	type spanRef struct{ li, si int }
	consumed := map[spanRef]bool{}
	extra := make([][]eqTok, len(lines))
	// Fractions: a span above and a span below a row, overlapping each
	// other, with nothing of the row between.
	for m := 1; m+1 < len(lines); m++ {
		M := lines[m]
		A, B := lines[m-1], lines[m+1]
		if M.Baseline-A.Baseline > 1.05*M.Size || B.Baseline-M.Baseline > 1.15*M.Size || B.Baseline-A.Baseline > 2*M.Size {
			continue
		}
		if M == numLine && len(M.Spans) == 1 {
			// A number alone between two rows is no fraction bar.
			continue
		}
		for ai, sa := range A.Spans {
			if consumed[spanRef{m - 1, ai}] {
				continue
			}
			for bi, sb := range B.Spans {
				if consumed[spanRef{m + 1, bi}] {
					continue
				}
				lo, hi := math.Max(sa.X0, sb.X0), math.Min(sa.X1, sb.X1)
				if hi-lo < 0.5*math.Min(sa.X1-sa.X0, sb.X1-sb.X0) {
					continue
				}
				if eqRowHasCharIn(M, lo, hi) {
					continue
				}
				consumed[spanRef{m - 1, ai}] = true
				consumed[spanRef{m + 1, bi}] = true
				extra[m] = append(extra[m], eqTok{math.Min(sa.X0, sb.X0), `\frac{` + eqSpanToks(A, sa) + `}{` + eqSpanToks(B, sb) + `}`})
				break
			}
		}
	}
	// Limits: spans just above or below a big operator or an operator
	// name (max, arg min, sup, lim).
	for m := range lines {
		M := lines[m]
		ops := eqOpWords(M)
		for ci := range M.Chars {
			c := &M.Chars[ci]
			op := charLatex(c)
			if end, ok := ops[ci]; ok {
				cc := *c
				cc.X1 = M.Chars[end].X1
				c = &cc
			} else if !eqBigOps[op] || c.Y1-c.Y0 < 1.2*M.Size && c.Size < 1.2*M.Size {
				continue
			}
			var lo, hi string
			for _, k := range []int{m - 1, m + 1} {
				if k < 0 || k >= len(lines) {
					continue
				}
				L := lines[k]
				for si, s := range L.Spans {
					if consumed[spanRef{k, si}] {
						continue
					}
					if s.X1 < c.X0-2 || s.X0 > c.X1+2 {
						continue
					}
					if k < m && L.Baseline < c.Y0-0.8*M.Size || k > m && L.Baseline > c.Y1+1.2*M.Size {
						continue
					}
					consumed[spanRef{k, si}] = true
					if k < m {
						hi = eqSpanToks(L, s)
					} else {
						lo = eqSpanToks(L, s)
					}
				}
			}
			if lo != "" || hi != "" {
				t := ""
				if lo != "" {
					t += "_{" + lo + "}"
				}
				if hi != "" {
					t += "^{" + hi + "}"
				}
				extra[m] = append(extra[m], eqTok{c.X1 - 0.01, t})
			}
		}
	}
	var rows []string
	for li, l := range lines {
		var toks []eqTok
		for si, s := range l.Spans {
			if consumed[spanRef{li, si}] || l == numLine && si == numSpan {
				continue
			}
			part := *l
			part.Chars = spanChars(l, s)
			toks = append(toks, eqRowTokens(&part)...)
		}
		toks = append(toks, extra[li]...)
		if r := eqOperators(joinToks(toks)); r != "" {
			rows = append(rows, r)
		}
	}
	return strings.Join(rows, " \\\\\n")
}

func eqRowHasCharIn(l *layout.Line, lo, hi float64) bool {
	for i := range l.Chars {
		c := &l.Chars[i]
		cx := (c.X0 + c.X1) / 2
		if cx > lo+0.5 && cx < hi-0.5 {
			return true
		}
	}
	return false
}

// eqOpNames are the operator names set in roman in a display.
var eqOpNames = []string{"argmax", "argmin", "softmax", "max", "min", "sup", "inf", "lim", "log", "exp", "det", "diag", "tr", "sin", "cos", "tanh", "arg"}

// eqOpWords finds the operator names among a row's roman letters that
// take limits: the index of the first letter maps to the last one's.
func eqOpWords(l *layout.Line) map[int]int {
	out := map[int]int{}
	for i := 0; i < len(l.Chars); {
		j := i
		for j < len(l.Chars) && l.Chars[j].R >= 'a' && l.Chars[j].R <= 'z' && !layout.IsMathFont(l.Chars[j].Font) && (j == i || len(l.SpaceBefore) <= j || !l.SpaceBefore[j]) {
			j++
		}
		if j > i {
			w := string(eqRunes(l.Chars[i:j]))
			switch w {
			case "max", "min", "argmax", "argmin", "sup", "inf", "lim":
				out[i] = j - 1
			}
			i = j
			continue
		}
		i++
	}
	return out
}

func eqRunes(cs []pdf.Char) []rune {
	r := make([]rune, len(cs))
	for i := range cs {
		r[i] = cs[i].R
	}
	return r
}

// eqOperators writes the operator names of a rendered row as macros:
// "argmax" is \arg\max, "log" \log.
func eqOperators(s string) string {
	var b strings.Builder
	for i := 0; i < len(s); {
		if s[i] == '\\' {
			// A control word: copy it whole.
			j := i + 1
			for j < len(s) && (s[j] >= 'a' && s[j] <= 'z' || s[j] >= 'A' && s[j] <= 'Z') {
				j++
			}
			b.WriteString(s[i:j])
			i = j
			continue
		}
		if s[i] >= 'a' && s[i] <= 'z' && (i == 0 || !eqIsLetter(s[i-1])) {
			j := i
			for j < len(s) && s[j] >= 'a' && s[j] <= 'z' {
				j++
			}
			w := s[i:j]
			if m, ok := eqOpMacro(w); ok {
				b.WriteString(m)
				if j < len(s) && eqIsLetter(s[j]) {
					b.WriteByte(' ')
				}
				i = j
				continue
			}
			b.WriteString(w)
			i = j
			continue
		}
		b.WriteByte(s[i])
		i++
	}
	return b.String()
}

func eqIsLetter(c byte) bool { return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' }

func eqOpMacro(w string) (string, bool) {
	switch w {
	case "argmax":
		return `\arg\max`, true
	case "argmin":
		return `\arg\min`, true
	case "softmax":
		return `\operatorname{softmax}`, true
	}
	for _, n := range eqOpNames {
		if w == n {
			return `\` + w, true
		}
	}
	return "", false
}

// spanChars returns a span's characters (none when the line was built
// without them).
func spanChars(l *layout.Line, s layout.Span) []pdf.Char {
	if s.First < 0 || s.Last >= len(l.Chars) || s.First > s.Last {
		return nil
	}
	return l.Chars[s.First : s.Last+1]
}
