package reader

import (
	"strconv"
	"strings"

	"github.com/reprohq/repro/doc"
	lx "github.com/reprohq/repro/internal/latex"
)

// Display math environments and how they are numbered:
// 'e' one number for the whole block, 'r' one number per row, 'u' none.
var mathEnvs = map[string]byte{
	"equation": 'e', "multline": 'e', "dmath": 'e', "dseries": 'e', "dgroup": 'e', "empheq": 'e',
	"align": 'r', "gather": 'r', "flalign": 'r', "alignat": 'r', "eqnarray": 'r', "xalignat": 'r', "xxalignat": 'u',
	"IEEEeqnarray": 'r', "dgroup*": 'u', "darray": 'e',
	"equation*": 'u', "multline*": 'u', "dmath*": 'u', "align*": 'u', "gather*": 'u', "flalign*": 'u', "alignat*": 'u',
	"eqnarray*": 'u', "IEEEeqnarray*": 'u', "displaymath": 'u', "math": 'i',
}

// display reads one display: \[..\], $$..$$ or a math environment.
func (r *Reader) display(t lx.Token, env string, bracket bool) {
	mode := byte('u')
	if !bracket && env != "$$" {
		mode = mathEnvs[env]
	}
	if mode == 'i' {
		r.inlineMath(`\end{math}`)
		return
	}
	r.flushAfter()
	r.emitParagraph()
	before := r.text.lastSentence()
	// Arguments of alignat and IEEEeqnarray are not part of the math.
	switch env {
	case "alignat", "alignat*", "xalignat", "xxalignat", "IEEEeqnarray", "IEEEeqnarray*", "empheq":
		r.m.readOptRaw()
		r.m.readArgRaw()
	}
	var raw []lx.Token
	r.closeAt = -1
	r.m.recorders = append(r.m.recorders, &raw)
	var body []lx.Token
	switch {
	case bracket:
		body = r.collectUntil(func(u lx.Token) bool { return u.Is(`\]`) }, false)
	case env == "$$":
		body = r.collectUntil(func(u lx.Token) bool { return u.Kind == lx.MathShift && r.nextIsMathShift() }, true)
	default:
		body = r.collectEnv(env)
	}
	r.m.recorders = r.m.recorders[:len(r.m.recorders)-1]
	// The raw tokens end with the closing delimiter (or the macro that
	// produced it): cut there.
	if r.closeAt >= 0 && r.closeAt <= len(raw) {
		raw = raw[:r.closeAt]
	} else {
		raw = trimClosing(raw, env, bracket)
	}
	if !r.inDoc {
		return
	}
	r.scanRefs(body)
	r.equations(t, env, mode, body, raw, before)
	r.text.displayMark()
}

// nextIsMathShift consumes the second $ of a closing $$.
func (r *Reader) nextIsMathShift() bool {
	u := r.m.next()
	if u.Kind == lx.MathShift {
		return true
	}
	r.m.unread(u)
	return true // a lone $ also closes, tolerantly
}

// collectUntil reads expanded tokens until stop; with parStops a blank
// line also ends the math, as it would be an error in TeX.
func (r *Reader) collectUntil(stop func(lx.Token) bool, parStops bool) []lx.Token {
	var out []lx.Token
	for {
		t := r.m.next()
		if t.Kind == lx.EOF {
			return out
		}
		at := r.rawLen() - 1
		if stop(t) {
			r.closeAt = at
			return out
		}
		if parStops && t.Kind == lx.Par {
			r.warnTok(t, "blank line inside display math; display ended here")
			r.m.unread(t)
			return out
		}
		if t.Is(`\end`) {
			// \end{document} inside math: an unclosed display.
			name, toks := r.envNameTokens(r.m.next)
			if name == "document" {
				r.warnTok(t, "display math not closed before \\end{document}")
				r.done = true
				return out
			}
			out = append(out, t)
			out = append(out, toks...)
			continue
		}
		out = append(out, t)
		if len(out) > 1_000_000 {
			return out
		}
	}
}

// trimClosing drops the closing delimiter from recorded raw tokens.
func trimClosing(raw []lx.Token, env string, bracket bool) []lx.Token {
	switch {
	case bracket:
		for i := len(raw) - 1; i >= 0; i-- {
			if raw[i].Is(`\]`) {
				return raw[:i]
			}
		}
	case env == "$$":
		for i := len(raw) - 1; i >= 0; i-- {
			if raw[i].Kind == lx.MathShift {
				j := i
				if j > 0 && raw[j-1].Kind == lx.MathShift {
					j--
				}
				return raw[:j]
			}
		}
	default:
		for i := len(raw) - 1; i >= 0; i-- {
			if raw[i].Is(`\end`) {
				return raw[:i]
			}
		}
	}
	return raw
}

// mathShift handles $: inline math, or $$ display math.
func (r *Reader) mathShift(t lx.Token) {
	u := r.m.next()
	if u.Kind == lx.MathShift {
		r.display(t, "$$", false)
		return
	}
	r.m.unread(u)
	r.inlineMath("$")
}

// inlineMath reads inline math up to its closing delimiter; its text
// joins the prose as $...$.
func (r *Reader) inlineMath(closer string) {
	var body []lx.Token
	for {
		t := r.m.next()
		if t.Kind == lx.EOF {
			break
		}
		if closer == "$" && t.Kind == lx.MathShift || t.Text == closer && t.Kind == lx.Command {
			break
		}
		if closer == `\end{math}` && t.Is(`\end`) {
			r.m.readArgRaw()
			break
		}
		if t.Kind == lx.Par {
			r.m.unread(t)
			break
		}
		body = append(body, t)
		if len(body) > 100000 {
			break
		}
	}
	r.scanRefs(body)
	if r.inDoc {
		r.markParagraph()
		r.text.add("$" + strings.TrimSpace(collapseSpace(tokensText(body))) + "$")
	}
}

// row is one row of a display.
type row struct {
	toks     []lx.Token
	raw      string
	tag      string
	hasTag   bool
	tagStar  bool
	noNumber bool
	labels   []string
}

// equations numbers the rows of one display and adds them to the document.
func (r *Reader) equations(t lx.Token, env string, mode byte, body, raw []lx.Token, before string) {
	var rows []row
	if mode == 'r' {
		rows = splitRows(body)
		rawRows := splitRows(raw)
		if len(rawRows) == len(rows) {
			for i := range rows {
				rows[i].raw = tokensText(rawRows[i].toks)
			}
		} else {
			for i := range rows {
				rows[i].raw = tokensText(rows[i].toks)
			}
		}
	} else {
		rows = []row{{toks: body, raw: tokensText(raw)}}
	}
	r.eqBlock++
	file, line := r.pos(t)
	first := len(r.d.Equations)
	// Assign numbers in order, as LaTeX does at the end of each row.
	nums := make([]*string, len(rows))
	for i := range rows {
		rw := &rows[i]
		r.rowMarks(rw)
		switch {
		case rw.hasTag && rw.tagStar:
			// \tag* prints its text as is, without the parentheses of a
			// number: it is kept as the equation's tag, not its number.
			r.cur = curLabel{number: rw.tag, kind: "equation"}
		case rw.hasTag:
			s := rw.tag
			nums[i] = &s
			r.cur = curLabel{number: s, kind: "equation"}
		case mode != 'u' && !rw.noNumber:
			s := r.refstep("equation", "equation")
			nums[i] = &s
		}
		for _, l := range rw.labels {
			r.setLabel(t, l, r.cur)
		}
	}
	// Group rows: unnumbered rows join the next numbered row; trailing
	// unnumbered rows join the previous one.
	groups := lx.GroupRows(nums)
	for _, g := range groups {
		var latex, expanded []string
		var labels []string
		tag := ""
		for _, i := range g.Rows {
			rw := rows[i]
			if rw.tagStar {
				tag = rw.tag
			}
			exp := strings.TrimSpace(collapseSpace(tokensText(stripMarks(rw.toks))))
			if exp != "" {
				expanded = append(expanded, exp)
			}
			if s := strings.TrimSpace(rw.raw); s != "" {
				latex = append(latex, s)
			} else if exp != "" {
				// The whole row came from a macro: its expansion is all
				// there is to show.
				latex = append(latex, exp)
			}
			labels = append(labels, rw.labels...)
		}
		eq := doc.Equation{
			Number: g.Num, Tag: tag, Labels: labels, Env: envName(env),
			LaTeX: strings.Join(latex, " \\\\\n"), LaTeXExpanded: strings.Join(expanded, " \\\\\n"),
			Section: r.secNumber, SectionTitle: r.secTitle, File: file, Line: line, Block: r.eqBlock,
			Context: doc.Context{Before: before}, ReferencedIn: []doc.Ref{},
		}
		if eq.Labels == nil {
			eq.Labels = []string{}
		}
		if len(labels) > 0 {
			eq.Label = labels[0]
		}
		if g.Num != nil {
			eq.ID = "eq-" + *g.Num
		} else {
			r.unnumbered++
			eq.ID = "eq-u" + strconv.Itoa(r.unnumbered)
		}
		r.d.Equations = append(r.d.Equations, eq)
	}
	for i := first; i < len(r.d.Equations); i++ {
		r.pendingAfter = append(r.pendingAfter, i)
	}
}

func envName(env string) string {
	switch env {
	case `\[`:
		return "displaymath"
	}
	return env
}

func isBlank(toks []lx.Token) bool {
	for _, t := range toks {
		switch t.Kind {
		case lx.Space, lx.Comment, lx.Par:
		default:
			return false
		}
	}
	return true
}

// splitRows splits a display body at top-level \\ (outside braces and
// nested environments such as aligned, cases, array or split).
func splitRows(body []lx.Token) []row {
	var rows []row
	var cur []lx.Token
	depth, envDepth := 0, 0
	for i := 0; i < len(body); i++ {
		t := body[i]
		switch t.Kind {
		case lx.BeginGrp:
			depth++
		case lx.EndGrp:
			depth--
		case lx.Command:
			switch t.Text {
			case `\intertext`, `\shortintertext`:
				if depth == 0 && envDepth <= 0 {
					// Interjected text ends the row before it (amsmath
					// breaks the line) and belongs to no row.
					if !isBlank(cur) {
						rows = append(rows, row{toks: cur})
						cur = nil
					}
					end, _ := groupToks(body, i+1)
					i = end
					continue
				}
			case `\begin`:
				envDepth++
			case `\end`:
				envDepth--
			case `\\`, `\cr`, `\tabularnewline`:
				if depth == 0 && envDepth <= 0 {
					rows = append(rows, row{toks: cur})
					cur = nil
					// Skip \\* and \\[len].
					j := i + 1
					for j < len(body) && body[j].Kind == lx.Space {
						j++
					}
					if j < len(body) && body[j].IsOther('*') {
						i = j
						j++
					}
					for j < len(body) && body[j].Kind == lx.Space {
						j++
					}
					if j < len(body) && body[j].IsOther('[') {
						for j < len(body) && !body[j].IsOther(']') {
							j++
						}
						i = j
					}
					continue
				}
			}
		}
		cur = append(cur, t)
	}
	rows = append(rows, row{toks: cur})
	return rows
}

// rowMarks finds \tag, \nonumber, \notag and \label in a row, and
// executes the counter commands found there (a macro such as
// \newcommand{\mytag}{\refstepcounter{equation}\tag*{(\theequation)}} steps
// the equation counter in the middle of a row, as LaTeX does).
func (r *Reader) rowMarks(rw *row) {
	toks := rw.toks
	var tagToks []lx.Token
	for i := 0; i < len(toks); i++ {
		t := toks[i]
		if t.Kind != lx.Command {
			continue
		}
		switch t.Text {
		case `\nonumber`, `\notag`, `\IEEEnonumber`:
			rw.noNumber = true
		case `\IEEEyesnumber`, `\yesnumber`:
			rw.noNumber = false
		case `\label`, `\ltx@label`:
			j, key := groupText(toks, i+1)
			if key != "" {
				rw.labels = append(rw.labels, key)
			}
			i = j
		case `\tag`:
			j := i + 1
			if j < len(toks) && toks[j].IsOther('*') {
				rw.tagStar = true
				j++
			}
			end, tt := groupToks(toks, j)
			tagToks = tt
			rw.hasTag = true
			i = end
		case `\eqno`, `\leqno`:
			tagToks = toks[i+1:]
			rw.hasTag = true
			i = len(toks)
		case `\refstepcounter`, `\stepcounter`:
			j, name := groupText(toks, i+1)
			if name != "" {
				if t.Text == `\refstepcounter` {
					r.refstep(name, "equation")
				} else {
					r.step(name)
				}
			}
			i = j
		case `\setcounter`, `\addtocounter`:
			j, name := groupText(toks, i+1)
			k, val := groupToks(toks, j+1)
			if v, ok := r.counterValue(val); ok && name != "" {
				c := r.newCounter(name, "")
				if t.Text == `\setcounter` {
					c.val = v
				} else {
					c.val += v
				}
			}
			i = k
		}
	}
	if rw.hasTag {
		rw.tag = r.tagText(tagToks)
		if !rw.tagStar && len(tagToks) > 0 && tagToks[0].Kind != lx.BeginGrp {
			rw.tag = strings.Trim(rw.tag, "()")
		}
	}
}

// tagText renders a \tag's text, with \the<counter> replaced by its value.
func (r *Reader) tagText(toks []lx.Token) string {
	var b strings.Builder
	for _, t := range toks {
		if t.Kind == lx.Command && strings.HasPrefix(t.Text, `\the`) {
			if _, ok := r.counters[t.Text[4:]]; ok {
				b.WriteString(r.the(t.Text[4:]))
				continue
			}
		}
		if t.Kind == lx.Comment {
			continue
		}
		b.WriteString(t.Text)
	}
	return strings.TrimSpace(collapseSpace(b.String()))
}

// stripMarks removes \label{..}, \nonumber, \notag and \tag{..} so that
// the expanded LaTeX stands alone as math.
func stripMarks(toks []lx.Token) []lx.Token {
	out := make([]lx.Token, 0, len(toks))
	for i := 0; i < len(toks); i++ {
		t := toks[i]
		if t.Kind == lx.Comment {
			continue
		}
		if t.Kind == lx.Command {
			switch t.Text {
			case `\nonumber`, `\notag`, `\IEEEnonumber`:
				continue
			case `\label`:
				j, _ := groupToks(toks, i+1)
				i = j
				continue
			case `\tag`:
				j := i + 1
				if j < len(toks) && toks[j].IsOther('*') {
					j++
				}
				end, _ := groupToks(toks, j)
				i = end
				continue
			}
		}
		out = append(out, t)
	}
	return out
}

// collapseSpace turns every run of blanks into one space.
func collapseSpace(s string) string {
	var b strings.Builder
	b.Grow(len(s))
	space := false
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c == ' ' || c == '\n' || c == '\t' || c == '\r' {
			space = true
			continue
		}
		if space && b.Len() > 0 {
			b.WriteByte(' ')
		}
		space = false
		b.WriteByte(c)
	}
	return b.String()
}
