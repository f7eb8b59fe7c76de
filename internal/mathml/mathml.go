// Package mathml renders LaTeX math as MathML Core, the subset of MathML
// that browsers (Chromium since version 109, Firefox, Safari) lay out
// natively. It reads the math with the parser the oracles use
// (internal/texmath), so what the report shows is what the oracles
// compute; an equation the parser cannot read completely is not rendered
// (Render reports false) and the caller shows its LaTeX source instead.
//
// MathML Core has no mathvariant other than "normal", so bold, blackboard,
// calligraphic, fraktur, sans-serif and monospace letters are written as
// the Unicode mathematical alphanumeric characters.
package mathml

import (
	"strings"

	"github.com/reprohq/repro/internal/texmath"
)

// Render returns the MathML of one display equation (a <math
// display="block"> element) and true, or "" and false when the LaTeX does
// not parse into a complete tree.
func Render(latex string) (string, bool) {
	return render(latex, true)
}

// RenderInline is Render for inline math (<math> without display).
func RenderInline(latex string) (string, bool) {
	return render(latex, false)
}

func render(latex string, display bool) (string, bool) {
	if strings.TrimSpace(latex) == "" {
		return "", false
	}
	n, err := texmath.Parse(latex)
	if err != nil || n == nil || !texmath.Complete(n) {
		return "", false
	}
	w := writer{inline: !display}
	if display {
		w.b.WriteString(`<math display="block">`)
	} else {
		w.b.WriteString(`<math>`)
	}
	w.node(n)
	w.b.WriteString(`</math>`)
	return w.b.String(), true
}

type writer struct {
	b strings.Builder
	// inline is set for text-style math, where big operators take their
	// limits as sub- and superscripts, as LaTeX prints them in a line.
	inline bool
}

func (w *writer) open(tag string) { w.b.WriteString("<" + tag + ">") }

func (w *writer) close(tag string) { w.b.WriteString("</" + tag + ">") }

// leaf writes <tag>text</tag> with text escaped.
func (w *writer) leaf(tag, text string) {
	w.b.WriteString("<" + tag + ">")
	escape(&w.b, text)
	w.b.WriteString("</" + tag + ">")
}

// mo writes an operator.
func (w *writer) mo(text string) { w.leaf("mo", text) }

// fence writes a stretchy delimiter; "" writes nothing.
func (w *writer) fence(text string, form string) {
	if text == "" {
		return
	}
	w.b.WriteString(`<mo fence="true" form="` + form + `">`)
	escape(&w.b, text)
	w.b.WriteString("</mo>")
}

// around writes body between a pair of stretchy delimiters ("" for none).
func (w *writer) around(open, close string, body func()) {
	w.fence(open, "prefix")
	body()
	w.fence(close, "postfix")
}

// fenced writes body between a pair of delimiters, in one <mrow>.
func (w *writer) fenced(open, close string, body func()) {
	w.open("mrow")
	w.around(open, close, body)
	w.close("mrow")
}

// upright writes an identifier that must not be italic (a capital Greek
// letter, a symbol).
func (w *writer) upright(text string) {
	w.b.WriteString(`<mi mathvariant="normal">`)
	escape(&w.b, text)
	w.b.WriteString("</mi>")
}

func escape(b *strings.Builder, s string) {
	for _, r := range s {
		switch r {
		case '&':
			b.WriteString("&amp;")
		case '<':
			b.WriteString("&lt;")
		case '>':
			b.WriteString("&gt;")
		case '"':
			b.WriteString("&quot;")
		default:
			b.WriteRune(r)
		}
	}
}

// row writes the nodes in one <mrow>.
func (w *writer) row(ns ...*texmath.Node) {
	w.open("mrow")
	for _, n := range ns {
		w.node(n)
	}
	w.close("mrow")
}

// scripts writes base (already a function of the writer) with sub- and
// superscripts; under/over when limits is set.
func (w *writer) scripts(base func(), sub, sup *texmath.Node, limits bool) {
	tag := ""
	switch {
	case sub != nil && sup != nil:
		tag = "msubsup"
		if limits {
			tag = "munderover"
		}
	case sub != nil:
		tag = "msub"
		if limits {
			tag = "munder"
		}
	case sup != nil:
		tag = "msup"
		if limits {
			tag = "mover"
		}
	default:
		base()
		return
	}
	w.open(tag)
	base()
	if sub != nil {
		w.row(sub)
	}
	if sup != nil {
		w.row(sup)
	}
	w.close(tag)
}

func (w *writer) node(n *texmath.Node) {
	if n == nil {
		w.b.WriteString("<mrow></mrow>")
		return
	}
	switch n.Kind {
	case texmath.Unknown:
		w.leaf("mtext", n.Text)
	case texmath.Empty:
		w.b.WriteString("<mrow></mrow>")
	case texmath.Num:
		w.leaf("mn", n.Text)
	case texmath.Sym:
		w.sym(n)
	case texmath.Text:
		w.leaf("mtext", n.Text)
	case texmath.Ellipsis:
		w.mo(ellipses[n.Name])
	case texmath.Binary:
		w.open("mrow")
		w.node(n.Args[0])
		w.mo(opText(n.Op))
		w.node(n.Args[1])
		w.close("mrow")
	case texmath.Juxt:
		w.open("mrow")
		w.node(n.Args[0])
		w.node(n.Args[1])
		w.close("mrow")
	case texmath.Unary:
		w.open("mrow")
		w.scripts(func() { w.mo(opText(n.Op)) }, n.Sub, n.Sup, false)
		w.node(n.Args[0])
		w.close("mrow")
	case texmath.Frac:
		w.open("mfrac")
		w.row(n.Args[0])
		w.row(n.Args[1])
		w.close("mfrac")
	case texmath.Sqrt:
		if n.Sup != nil {
			w.open("mroot")
			w.row(n.Args[0])
			w.row(n.Sup)
			w.close("mroot")
			break
		}
		w.open("msqrt")
		w.node(n.Args[0])
		w.close("msqrt")
	case texmath.Pow:
		base := n.Args[0]
		// x_i^2 parses as a power of a subscripted symbol: one msubsup.
		if base.Kind == texmath.Sym && base.Sub != nil && base.Sup == nil {
			bare := *base
			bare.Sub = nil
			w.scripts(func() { w.sym(&bare) }, base.Sub, n.Args[1], false)
			break
		}
		if base.Kind == texmath.Index {
			w.scripts(func() { w.node(base.Args[0]) }, base.Args[1], n.Args[1], false)
			break
		}
		w.scripts(func() { w.node(base) }, nil, n.Args[1], false)
	case texmath.Index:
		w.scripts(func() { w.node(n.Args[0]) }, n.Args[1], nil, false)
	case texmath.Transpose:
		w.open("msup")
		w.node(n.Args[0])
		if n.Op == "T" || n.Op == "mathsf" {
			w.upright("T")
		} else {
			w.upright("⊤")
		}
		w.close("msup")
	case texmath.Postfix:
		w.open("mrow")
		w.node(n.Args[0])
		if n.Op == "'" {
			w.mo("′")
		} else {
			w.mo(n.Op)
		}
		w.close("mrow")
	case texmath.Apply:
		w.open("mrow")
		w.node(n.Args[0])
		w.mo("\u2061") // function application
		open, close := delim(n.Open), delim(n.Close)
		if n.Open == "" {
			open, close = "(", ")"
		}
		w.around(open, close, func() { w.list(n.Args[1:], n.Seps) })
		w.close("mrow")
	case texmath.Func:
		w.open("mrow")
		w.scripts(func() { w.leaf("mi", n.Name) }, n.Sub, n.Sup, false)
		if len(n.Args) > 0 {
			w.mo("\u2061")
			open, close := "(", ")"
			if n.Open == `\{` {
				open, close = "{", "}"
			}
			w.around(open, close, func() { w.list(n.Args, n.Seps) })
		}
		w.close("mrow")
	case texmath.BigOp:
		w.bigOp(n)
	case texmath.Bracket:
		w.fenced(delim(n.Open), delim(n.Close), func() { w.node(n.Args[0]) })
	case texmath.Abs:
		w.fenced("|", "|", func() { w.node(n.Args[0]) })
	case texmath.Norm:
		w.fenced("‖", "‖", func() { w.node(n.Args[0]) })
	case texmath.Set:
		w.fenced("{", "}", func() { w.list(n.Args, n.Seps) })
	case texmath.Matrix:
		open, close := matrixFences(n.Name)
		w.fenced(open, close, func() { w.table(n.Rows, alignFor(n.Name)) })
	case texmath.Cases:
		w.fenced("{", "", func() { w.table(n.Rows, "left") })
	case texmath.Rel:
		w.open("mrow")
		for i, a := range n.Args {
			if i > 0 {
				w.mo(relText(n.Rels[i-1]))
			}
			w.node(a)
		}
		w.close("mrow")
	case texmath.List:
		w.open("mrow")
		w.list(n.Args, n.Seps)
		w.close("mrow")
	case texmath.Seq:
		w.seq(n)
	case texmath.Accent:
		w.accent(n.Name, func() { w.node(n.Args[0]) })
	case texmath.Deriv:
		w.deriv(n)
	case texmath.Binom:
		w.fenced("(", ")", func() {
			w.b.WriteString(`<mfrac linethickness="0">`)
			w.row(n.Args[0])
			w.row(n.Args[1])
			w.close("mfrac")
		})
	default:
		w.leaf("mtext", texmath.Format(n))
	}
}

// list writes args with their separators.
func (w *writer) list(args []*texmath.Node, seps []string) {
	for i, a := range args {
		if i > 0 {
			sep := ","
			if i-1 < len(seps) {
				sep = seps[i-1]
			}
			w.sep(sep)
		}
		w.node(a)
	}
}

// sep writes one separator of a list or sequence.
func (w *writer) sep(sep string) {
	switch sep {
	case ",", ";", ".", ":":
		w.b.WriteString(`<mo separator="true">` + sep + "</mo>")
	case "":
		w.b.WriteString(`<mspace width="0.5em"></mspace>`)
	case "quad":
		w.b.WriteString(`<mspace width="1em"></mspace>`)
	case "qquad":
		w.b.WriteString(`<mspace width="2em"></mspace>`)
	case "implies":
		w.mo("⟹")
	case "impliedby":
		w.mo("⟸")
	case "iff":
		w.mo("⟺")
	case "therefore":
		w.mo("∴")
	case "because":
		w.mo("∵")
	case "mid", "middle|":
		w.mo("∣")
	default:
		if strings.HasPrefix(sep, "middle") {
			w.mo(delim(strings.TrimPrefix(sep, "middle")))
			return
		}
		w.leaf("mtext", "\u00a0"+sep+"\u00a0")
	}
}

// seq writes statements; a sequence broken by \\ becomes a one-column
// table, as MathML Core has no line breaking.
func (w *writer) seq(n *texmath.Node) {
	broken := false
	for _, s := range n.Seps {
		if s == `\\` || s == "newline" {
			broken = true
		}
	}
	if !broken {
		w.open("mrow")
		for i, a := range n.Args {
			if i > 0 {
				w.sep(n.Seps[i-1])
			}
			w.node(a)
		}
		for i := len(n.Args); i <= len(n.Seps); i++ {
			w.sep(n.Seps[i-1])
		}
		w.close("mrow")
		return
	}
	// One table row per line; a row keeps its separators.
	w.b.WriteString(`<mtable columnalign="left"><mtr><mtd><mrow>`)
	for i, a := range n.Args {
		w.node(a)
		if i >= len(n.Seps) {
			continue
		}
		if sep := n.Seps[i]; sep == `\\` || sep == "newline" {
			if i < len(n.Args)-1 {
				w.b.WriteString(`</mrow></mtd></mtr><mtr><mtd><mrow>`)
			}
			continue
		}
		w.sep(n.Seps[i])
	}
	for i := len(n.Args); i <= len(n.Seps)-1; i++ {
		if sep := n.Seps[i]; sep != `\\` && sep != "newline" {
			w.sep(sep)
		}
	}
	w.b.WriteString(`</mrow></mtd></mtr>`)
	w.b.WriteString("</mtable>")
}

// table writes rows as an <mtable>.
func (w *writer) table(rows [][]*texmath.Node, align string) {
	if align != "" {
		w.b.WriteString(`<mtable columnalign="` + align + `">`)
	} else {
		w.b.WriteString("<mtable>")
	}
	for _, r := range rows {
		w.b.WriteString("<mtr>")
		for _, c := range r {
			w.b.WriteString("<mtd>")
			w.node(c)
			w.b.WriteString("</mtd>")
		}
		w.b.WriteString("</mtr>")
	}
	w.b.WriteString("</mtable>")
}

func (w *writer) bigOp(n *texmath.Node) {
	w.open("mrow")
	sym, word := bigOpSymbol(n.Name)
	integral := strings.HasSuffix(n.Name, "int")
	base := func() {
		switch {
		case n.Name == "Ehat":
			w.open("mover")
			w.upright("𝔼")
			w.mo("^")
			w.close("mover")
		case word:
			w.leaf("mi", sym)
		case integral:
			w.b.WriteString(`<mo largeop="true" movablelimits="false">` + sym + "</mo>")
		case len([]rune(sym)) == 1 && isLetterlike(sym):
			w.upright(sym)
		default:
			w.b.WriteString(`<mo largeop="true">` + sym + "</mo>")
		}
	}
	// Expectations and the like take their scripts beside them, as LaTeX
	// prints \mathbb{E}_{x}; sums and word operators take them under and
	// over in display.
	expect := n.Name == "E" || n.Name == "V" || n.Name == "P" || n.Name == "Var" || n.Name == "Cov" || n.Name == "Ehat"
	w.scripts(base, n.Sub, n.Sup, !integral && !expect && !w.inline)
	if len(n.Args) > 0 && n.Args[0] != nil {
		body := n.Args[0]
		if expect && body.Kind != texmath.Bracket {
			w.around("[", "]", func() { w.node(body) })
			w.close("mrow")
			return
		}
		if word {
			w.mo("\u2061")
		}
		w.node(body)
	}
	w.close("mrow")
}

func (w *writer) accent(name string, base func()) {
	mark, under := accentMark(name)
	tag := "mover"
	if under {
		tag = "munder"
	}
	w.b.WriteString("<" + tag + ` accent="true">`)
	base()
	w.b.WriteString(`<mo stretchy="true">`)
	escape(&w.b, mark)
	w.b.WriteString("</mo></" + tag + ">")
}

func (w *writer) deriv(n *texmath.Node) {
	d := "d"
	if strings.HasPrefix(n.Op, "p") {
		d = "∂"
	}
	dOrder := func() {
		if n.Text == "" {
			w.upright(d)
			return
		}
		w.open("msup")
		w.upright(d)
		w.leaf("mn", n.Text)
		w.close("msup")
	}
	switch len(n.Args) {
	case 0:
		w.upright(d)
	case 1:
		// \dv{x}: the operator d/dx
		w.open("mfrac")
		dOrder()
		w.open("mrow")
		w.upright(d)
		w.node(n.Args[0])
		w.close("mrow")
		w.close("mfrac")
	default:
		w.open("mfrac")
		w.open("mrow")
		dOrder()
		w.node(n.Args[0])
		w.close("mrow")
		w.open("mrow")
		for _, a := range n.Args[1:] {
			w.upright(d)
			if n.Text != "" && len(n.Args) == 2 {
				w.open("msup")
				w.node(a)
				w.leaf("mn", n.Text)
				w.close("msup")
				continue
			}
			w.node(a)
		}
		w.close("mrow")
		w.close("mfrac")
	}
}

func (w *writer) sym(n *texmath.Node) {
	base := func() {
		if len(n.Accents) == 0 {
			w.symBase(n)
			return
		}
		// innermost accent first
		var wrap func(i int)
		wrap = func(i int) {
			if i < 0 {
				w.symBase(n)
				return
			}
			w.accent(n.Accents[i], func() { wrap(i - 1) })
		}
		wrap(len(n.Accents) - 1)
	}
	withPrimes := base
	if n.Primes > 0 {
		withPrimes = func() {
			w.open("msup")
			base()
			w.mo(strings.Repeat("′", n.Primes))
			w.close("msup")
		}
	}
	w.scripts(withPrimes, n.Sub, n.Sup, false)
}

// symBase writes the symbol itself, in its font.
func (w *writer) symBase(n *texmath.Node) {
	name := n.Name
	text, italic := symbolText(name)
	switch n.Font {
	case "text", "textsc":
		w.leaf("mtext", text)
		return
	case "mathrm", "operatorname":
		if len([]rune(text)) == 1 {
			w.upright(text)
		} else {
			w.leaf("mi", text)
		}
		return
	case "":
		if len([]rune(text)) > 1 {
			w.leaf("mi", text) // multi-letter identifiers are upright
			return
		}
		if !italic {
			w.upright(text)
			return
		}
		w.leaf("mi", text)
		return
	}
	styled := styleText(text, n.Font)
	if len([]rune(styled)) == 1 {
		w.upright(styled)
		return
	}
	w.leaf("mi", styled)
}
