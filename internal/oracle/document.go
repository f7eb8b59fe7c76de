package oracle

import (
	"github.com/reprohq/repro/doc"
	"github.com/reprohq/repro/internal/texmath"
)

// FromDocument returns a paper's display equations ready for Translate (a
// row that continues a display, "&= ...", gets the display's left-hand side)
// and its symbol table: the macros, the sentences after the equations, and
// the functions the paper defines.
func FromDocument(d *doc.Document) ([]Equation, *Symbols) {
	eqs := make([]Equation, 0, len(d.Equations))
	block, lhs := -1, ""
	for _, e := range d.Equations {
		if e.Block != block {
			block, lhs = e.Block, ""
		}
		eq := Equation{Number: e.NumberString(), Label: e.Label, LaTeX: e.LaTeXExpanded, Context: e.Context.After}
		if first, ok := leftSide(eq.LaTeX); ok {
			lhs = first
		} else if lhs != "" {
			eq.LHS = lhs
		}
		eqs = append(eqs, eq)
	}
	syms := NewSymbols(d.Macros)
	for _, eq := range eqs {
		if eq.Context != "" {
			syms.AddContext(eq.Context)
		}
	}
	syms.Learn(eqs)
	return eqs, syms
}

// leftSide returns the left-hand side of an equation's first relation
// chain, as LaTeX; ok is false for a row that starts with its relation.
func leftSide(src string) (string, bool) {
	n, _ := texmath.Parse(src)
	for n.Kind == texmath.Seq && len(n.Args) > 0 {
		n = n.Args[0]
	}
	if n.Kind != texmath.Rel {
		return "", false
	}
	first := n.Args[0]
	if first.Kind == texmath.Empty {
		return "", false
	}
	if first.Pos < 0 || first.End > len(src) || first.Pos >= first.End {
		return "", false
	}
	return src[first.Pos:first.End], true
}
