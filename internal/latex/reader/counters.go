package reader

import (
	"strconv"
	"strings"

	lx "github.com/reprohq/repro/internal/latex"
)

// counter is a LaTeX counter and its \the<name> representation.
type counter struct {
	val    int
	format []fpart
}

// fpart is one piece of a \the<counter> representation.
type fpart struct {
	lit   string
	ctr   string
	style byte // 'a' arabic, 'l' alph, 'L' Alph, 'r' roman, 'R' Roman, 'f' fnsymbol, 't' \the<ctr>, 'p' \the<ctr>. when ctr > 0
}

func (r *Reader) initCounters() {
	for _, name := range []string{"part", "chapter", "section", "subsection", "subsubsection", "paragraph", "subparagraph",
		"equation", "figure", "table", "algorithm", "algocf", "footnote", "subfigure", "subtable", "parentequation", "enumi"} {
		r.newCounter(name, "")
	}
	r.setFormat("part", []fpart{{ctr: "part", style: 'R'}})
	r.within("section", "chapter", false)
	r.within("subsection", "section", true)
	r.within("subsubsection", "subsection", true)
	r.within("paragraph", "subsubsection", true)
	r.within("subparagraph", "paragraph", true)
	r.within("subfigure", "figure", false)
	r.within("subtable", "table", false)
	r.setFormat("subfigure", []fpart{{ctr: "subfigure", style: 'l'}})
	r.setFormat("subtable", []fpart{{ctr: "subtable", style: 'l'}})
}

// applyClass sets the numbering conventions of a document class.
func (r *Reader) applyClass(class, opts string) {
	r.class = class
	switch class {
	case "report", "book", "memoir", "scrbook", "scrreprt", "thesis", "ucthesis", "mitthesis":
		r.secnumdepth = 2
		r.within("section", "chapter", true)
		for _, c := range []string{"equation", "figure", "table"} {
			r.resets["chapter"] = append(r.resets["chapter"], c)
			r.setFormat(c, []fpart{{ctr: "chapter", style: 'p'}, {ctr: c, style: 'a'}})
		}
	case "IEEEtran":
		// IEEEtran prints sections as I, II; subsections as II-A;
		// subsubsections as II-A1; tables as I, II.
		r.setFormat("section", []fpart{{ctr: "section", style: 'R'}})
		r.setFormat("subsection", []fpart{{ctr: "section", style: 't'}, {lit: "-"}, {ctr: "subsection", style: 'L'}})
		r.setFormat("subsubsection", []fpart{{ctr: "subsection", style: 't'}, {ctr: "subsubsection", style: 'a'}})
		r.setFormat("table", []fpart{{ctr: "table", style: 'R'}})
		r.ieee = true
	case "revtex4", "revtex4-1", "revtex4-2":
		// REVTeX: sections I, II; subsections A, B; tables I, II.
		r.setFormat("section", []fpart{{ctr: "section", style: 'R'}})
		r.setFormat("subsection", []fpart{{ctr: "subsection", style: 'L'}})
		r.setFormat("subsubsection", []fpart{{ctr: "subsubsection", style: 'a'}})
		r.setFormat("table", []fpart{{ctr: "table", style: 'R'}})
		r.revtex = true
	}
}

func (r *Reader) newCounter(name, within string) *counter {
	c, ok := r.counters[name]
	if !ok {
		c = &counter{format: []fpart{{ctr: name, style: 'a'}}}
		r.counters[name] = c
	}
	if within != "" {
		r.within(name, within, true)
	}
	return c
}

func (r *Reader) setFormat(name string, f []fpart) {
	r.newCounter(name, "").format = f
}

// within makes name reset with parent; with prefix, \the<name> becomes
// \the<parent>.\arabic{name}, as \numberwithin does.
func (r *Reader) within(name, parent string, prefix bool) {
	r.newCounter(parent, "")
	c := r.newCounter(name, "")
	for _, ch := range r.resets[parent] {
		if ch == name {
			goto fmtOnly
		}
	}
	r.resets[parent] = append(r.resets[parent], name)
fmtOnly:
	if prefix {
		c.format = []fpart{{ctr: parent, style: 't'}, {lit: "."}, {ctr: name, style: 'a'}}
	}
}

// without undoes within (\counterwithout).
func (r *Reader) without(name, parent string) {
	ch := r.resets[parent]
	for i, n := range ch {
		if n == name {
			r.resets[parent] = append(ch[:i:i], ch[i+1:]...)
			break
		}
	}
	r.newCounter(name, "").format = []fpart{{ctr: name, style: 'a'}}
}

func (r *Reader) step(name string) {
	c := r.newCounter(name, "")
	c.val++
	for _, ch := range r.resets[name] {
		if cc, ok := r.counters[ch]; ok {
			cc.val = 0
		}
	}
}

// refstep steps a counter and makes it the current label target.
func (r *Reader) refstep(name, kind string) string {
	r.step(name)
	n := r.the(name)
	r.cur = curLabel{number: n, kind: kind}
	return n
}

func (r *Reader) value(name string) int {
	if c, ok := r.counters[name]; ok {
		return c.val
	}
	return 0
}

// the formats \the<name>.
func (r *Reader) the(name string) string {
	return r.theDepth(name, 0)
}

func (r *Reader) theDepth(name string, depth int) string {
	c, ok := r.counters[name]
	if !ok || depth > 8 {
		return ""
	}
	var b strings.Builder
	for _, p := range c.format {
		switch p.style {
		case 0:
			b.WriteString(p.lit)
		case 't':
			b.WriteString(r.theDepth(p.ctr, depth+1))
		case 'p':
			if r.value(p.ctr) > 0 {
				b.WriteString(r.theDepth(p.ctr, depth+1))
				b.WriteString(".")
			}
		default:
			b.WriteString(formatNum(r.value(p.ctr), p.style))
		}
	}
	return b.String()
}

func formatNum(v int, style byte) string {
	switch style {
	case 'l', 'L':
		if v <= 0 {
			return ""
		}
		s := ""
		for v > 0 {
			v--
			s = string(rune('a'+v%26)) + s
			v /= 26
		}
		if style == 'L' {
			s = strings.ToUpper(s)
		}
		return s
	case 'r', 'R':
		s := roman(v)
		if style == 'R' {
			s = strings.ToUpper(s)
		}
		return s
	case 'f':
		syms := []string{"*", "†", "‡", "§", "¶", "‖", "**", "††", "‡‡"}
		if v >= 1 && v <= len(syms) {
			return syms[v-1]
		}
		return strconv.Itoa(v)
	}
	return strconv.Itoa(v)
}

func roman(v int) string {
	if v <= 0 || v > 4000 {
		return strconv.Itoa(v)
	}
	vals := []int{1000, 900, 500, 400, 100, 90, 50, 40, 10, 9, 5, 4, 1}
	syms := []string{"m", "cm", "d", "cd", "c", "xc", "l", "xl", "x", "ix", "v", "iv", "i"}
	var b strings.Builder
	for i, n := range vals {
		for v >= n {
			b.WriteString(syms[i])
			v -= n
		}
	}
	return b.String()
}

var styleOf = map[string]byte{`\arabic`: 'a', `\alph`: 'l', `\Alph`: 'L', `\roman`: 'r', `\Roman`: 'R', `\fnsymbol`: 'f'}

// parseFormat reads a \the<counter> definition body such as
// \thesection.\arabic{equation}. It returns false when the body is not
// understood, so that the old format is kept.
func (r *Reader) parseFormat(body []lx.Token) ([]fpart, bool) {
	var out []fpart
	for i := 0; i < len(body); i++ {
		t := body[i]
		switch t.Kind {
		case lx.Command:
			if st, ok := styleOf[t.Text]; ok {
				j, name := groupText(body, i+1)
				if name == "" {
					return nil, false
				}
				out = append(out, fpart{ctr: name, style: st})
				i = j
				continue
			}
			if strings.HasPrefix(t.Text, `\the`) && len(t.Text) > 4 {
				out = append(out, fpart{ctr: t.Text[4:], style: 't'})
				continue
			}
			switch t.Text {
			case `\@arabic`, `\@alph`, `\@Alph`, `\@roman`, `\@Roman`:
				// \@arabic\c@equation
				if i+1 < len(body) && strings.HasPrefix(body[i+1].Text, `\c@`) {
					out = append(out, fpart{ctr: body[i+1].Text[3:], style: styleOf[`\`+t.Text[2:]]})
					i++
					continue
				}
				return nil, false
			case `\relax`, `\protect`, `\textup`, `\textnormal`, `\mbox`, `\rm`, `\upshape`, `\normalfont`, `\textrm`, `\text`:
				continue
			case `\ifnum`, `\ifx`, `\else`, `\fi`:
				return nil, false
			}
			if t.Text == `\-` || t.Text == `\,` {
				out = append(out, fpart{lit: "-"})
				continue
			}
			return nil, false
		case lx.BeginGrp, lx.EndGrp, lx.Space, lx.Comment:
			continue
		case lx.Word, lx.Other:
			out = append(out, fpart{lit: t.Text})
		default:
			return nil, false
		}
	}
	return out, len(out) > 0
}

// groupText returns the text of the argument at body[i:] (a group or a
// single token) and the index of its last token.
func groupText(body []lx.Token, i int) (int, string) {
	end, toks := groupToks(body, i)
	return end, strings.TrimSpace(tokensText(toks))
}
