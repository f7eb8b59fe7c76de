// Package oracle translates parsed equations (internal/texmath) into NumPy
// reference functions: for each equation that defines something, a Python
// function that computes its right-hand side, with parameters named after
// the symbols, and a function that makes random inputs of compatible shapes
// for it. An equation that cannot be executed (an expectation, a limit, an
// arg max over a set, an inequality...) gets a comment that says why.
//
// The rules the translation follows are listed in RULES.md beside this file
// and tested one by one; the curated set of standard ML equations in
// testdata/curated checks the numbers against independent NumPy code.
package oracle

import (
	"fmt"
	"strings"

	"github.com/reprohq/repro/internal/texmath"
)

// Equation is one equation to translate.
type Equation struct {
	Number string // the printed number, "" when unnumbered
	Label  string
	// LaTeX is the equation with the paper's macros expanded.
	LaTeX string
	// Context is the sentence after the equation ("where x is ..."); it is
	// read into the symbol table by FromDocument, not by Translate.
	Context string
	// LHS is, for a row that continues a display ("&= ..."), the left-hand
	// side of the display's first row, as LaTeX.
	LHS string
}

// Param is one parameter of an oracle.
type Param struct {
	Name   string // the Python identifier
	Symbol string // the symbol as LaTeX
	Kind   string // scalar, vector, matrix, tensor, int, index, function
	// Shape is the shape of the example input as a Python tuple, "()" for a
	// scalar, "" for a function or an int.
	Shape string
	// Example is a Python expression (using rng, a numpy Generator) that
	// makes an example value.
	Example string
}

// Oracle is the translation of one equation.
type Oracle struct {
	Number string
	Label  string
	LaTeX  string
	// Name is the Python function's name (eq12_attention).
	Name   string
	Params []Param
	// Defines is the defined symbol, as LaTeX ("" when nothing is defined).
	Defines string
	// Parsed reports whether the whole equation was read into known
	// constructs.
	Parsed bool
	// Identity reports that the left side is an expression rather than a
	// symbol (\|x - \hat x\|^2 = ...): the function computes the right side,
	// which the equation states is the value of the left side.
	Identity bool
	// Approximate reports that the relation is ≈ (\approx, \simeq): the
	// function computes the right side, which the paper states approximates
	// the defined left side.
	Approximate bool
	// Executable reports whether Python computes the right-hand side; when
	// not, Reason says why.
	Executable bool
	Reason     string
	// Python is the function's source followed by its inputs function
	// (Name + "__inputs"), or a comment block when not executable.
	Python string
}

// defining are the relations that define their left side.
var defining = map[string]bool{"=": true, ":=": true, "=:": true, "<-": true, "equiv": true}

// definition is one candidate definition found in an equation.
type definition struct {
	lhs  *texmath.Node
	rhss []*texmath.Node
	// identity: the left side is an expression, not a symbol (lhs = rhs
	// states the value of an expression)
	identity bool
	// approx: lhs \approx rhs
	approx bool
}

// Translate translates one equation. syms may be nil. It never panics: a
// failure of the generator itself gives a non-executable oracle whose
// reason starts with "internal error" (FuzzTranslate checks there is none).
func Translate(eq Equation, syms *Symbols) (o Oracle) {
	defer func() {
		if r := recover(); r != nil {
			o = Oracle{Number: eq.Number, Label: eq.Label, LaTeX: eq.LaTeX, Name: funcName(eq, nil),
				Reason: fmt.Sprintf("internal error: %v", r)}
			o.Python = comment(o)
		}
	}()
	o = Oracle{Number: eq.Number, Label: eq.Label, LaTeX: eq.LaTeX}
	tree, err := texmath.Parse(eq.LaTeX)
	o.Parsed = err == nil
	var lhs *texmath.Node
	if eq.LHS != "" {
		if l, err := texmath.Parse(eq.LHS); err == nil {
			lhs = l
		}
	}
	defs := definitions(tree, lhs)
	defs = append(defs, identities(tree, lhs)...)
	if len(defs) == 0 {
		o.Reason = noDefinitionReason(tree)
		if !o.Parsed {
			o.Reason = "not fully parsed: " + err.Error()
		}
		o.Name = funcName(eq, nil)
		o.Python = comment(o)
		return o
	}
	first := ""
	for _, d := range defs {
		for _, rhs := range d.rhss {
			g := newGen(syms, d.lhs, tree)
			code := g.function(rhs)
			if g.reason == "" {
				o.Executable = true
				o.Identity = d.identity
				o.Approximate = d.approx
				o.Defines = texmath.Format(d.lhs)
				o.Name = funcName(eq, d.lhs)
				o.Params = g.paramList()
				o.Python = g.source(o, code, rhs)
				return o
			}
			if first == "" {
				first = g.reason
				o.Defines = texmath.Format(d.lhs)
				o.Name = funcName(eq, d.lhs)
			}
		}
	}
	o.Reason = first
	if !o.Parsed && !strings.HasPrefix(first, "not fully parsed") {
		o.Reason = first + " (and not fully parsed: " + err.Error() + ")"
	}
	o.Python = comment(o)
	return o
}

// stmt is one statement of an equation and the separators before it.
type stmt struct {
	node *texmath.Node
	seps []string
}

// statements flattens an equation into its statements: the items of the
// top-level sequence (rows of split/aligned, comma lists, \quad-separated
// parts), each with the separators since the previous statement.
func statements(tree *texmath.Node) []stmt {
	var out []stmt
	var pending []string
	var walk func(n *texmath.Node)
	walk = func(n *texmath.Node) {
		switch n.Kind {
		case texmath.Seq, texmath.List:
			for i, a := range n.Args {
				if i > 0 && i-1 < len(n.Seps) {
					pending = append(pending, n.Seps[i-1])
				} else if i > 0 {
					pending = append(pending, ",")
				}
				walk(a)
			}
		case texmath.Empty:
		default:
			out = append(out, stmt{node: n, seps: pending})
			pending = nil
		}
	}
	walk(tree)
	return out
}

// conditionSeps introduce constraints and conditions: what follows them
// never defines anything (s.t. 1^T y = k; when Y = 0).
var conditionSeps = map[string]bool{
	"s.t.": true, "s.t": true, "st": true, "subject to": true, `subject\;to`: true, "such that": true,
	"if": true, "when": true, "unless": true, "provided": true, "for": true, "for all": true,
	"for each": true, "for every": true, "for any": true, "for some": true, "given": true,
	"otherwise": true, "else": true, "iff": true, "if and only if": true,
}

// sideSeps introduce elaborations: a definition after them ("where G = ...",
// "\qquad b = b(\theta, \epsilon)") counts only when the main statements
// define nothing.
var sideSeps = map[string]bool{
	"quad": true, "qquad": true, "where": true, "with": true, "implies": true, "impliedby": true,
	"therefore": true, "because": true, "i.e.": true, "i.e.,": true, "e.g.": true, "e.g.,": true,
	"hence": true, "thus": true, "so": true, "since": true, "as": true, "let": true, "by": true,
	"using": true, "via": true, "also": true, "we have": true, "in which": true, "text": true,
	"then": true, "where:": true, "with:": true,
}

// definitions finds the definitions of an equation, in order. A chain
// a = b = c defines a by b (and by c, tried next); a := b := c defines a by
// b and b by c; b =: a defines a. Constraints (after "s.t.", "when", "if")
// define nothing; definitions after "where" or \qquad count only when the
// main statements define nothing. lhs stands in for the missing left side
// of a continuation row.
func definitions(tree, lhs *texmath.Node) []definition {
	var primary, side []definition
	stmts := statements(tree)
	condition := false
	for si, st := range stmts {
		isSide, and := false, false
		for _, sep := range st.seps {
			if conditionSeps[sep] {
				condition = true
			}
			if sideSeps[sep] {
				isSide = true
			}
			if sep == "and" {
				and = true
			}
		}
		if condition {
			continue
		}
		if and {
			isSide = false
		}
		if st.node.Kind != texmath.Rel {
			continue
		}
		args := st.node.Args
		rels := st.node.Rels
		if args[0].Kind == texmath.Empty && lhs != nil && si == 0 {
			args = append([]*texmath.Node{lhs}, args[1:]...)
		}
		var defs []definition
		for i, r := range rels {
			switch {
			case r == "=:":
				if !definable(args[i+1]) {
					continue
				}
				d := definition{lhs: args[i+1], rhss: []*texmath.Node{args[i]}}
				for k := i - 1; k >= 0 && rels[k] == "="; k-- {
					d.rhss = append(d.rhss, args[k])
				}
				defs = append(defs, d)
			case (r == "approx" || r == "simeq") && i == 0:
				// a ≈ b: the approximation b of a defined symbol a
				if !definable(args[0]) {
					continue
				}
				d := definition{lhs: args[0], rhss: []*texmath.Node{args[1]}, approx: true}
				for k := 1; k < len(rels) && rels[k] == "="; k++ {
					d.rhss = append(d.rhss, args[k+1])
				}
				defs = append(defs, d)
			case defining[r] && (i == 0 || r != "="):
				if !definable(args[i]) {
					continue
				}
				d := definition{lhs: args[i], rhss: []*texmath.Node{args[i+1]}}
				for k := i + 1; k < len(rels) && rels[k] == "="; k++ {
					d.rhss = append(d.rhss, args[k+1])
				}
				if enumeration(d, stmts, si) {
					continue
				}
				defs = append(defs, d)
			}
		}
		if isSide {
			side = append(side, defs...)
		} else {
			primary = append(primary, defs...)
		}
	}
	if len(primary) > 0 {
		return primary
	}
	return side
}

// enumeration reports whether a definition t = 1 starts a list of values
// (t = 1, 2, \dots, T): a range, not a definition.
func enumeration(d definition, stmts []stmt, i int) bool {
	if len(d.rhss) != 1 || d.rhss[0].Kind != texmath.Num || i+1 >= len(stmts) {
		return false
	}
	next := stmts[i+1].node
	return next.Kind == texmath.Num || next.Kind == texmath.Ellipsis
}

// identities finds the equality whose left side is an expression, in the
// equation's first statement only: expr = rhs (= rhs2 ...), or B = C in
// A \le B = C.
func identities(tree, lhs *texmath.Node) []definition {
	stmts := statements(tree)
	if len(stmts) == 0 || stmts[0].node.Kind != texmath.Rel {
		return nil
	}
	n := stmts[0].node
	args := n.Args
	if args[0].Kind == texmath.Empty && lhs != nil {
		args = append([]*texmath.Node{lhs}, args[1:]...)
	}
	var defs []definition
	for i, r := range n.Rels {
		approx := (r == "approx" || r == "simeq") && i == 0
		if r != "=" && !approx && (i > 0 || r != ":=" && r != "equiv") {
			continue
		}
		l := args[i]
		if l.Kind == texmath.Empty || l.Kind == texmath.Num || definable(l) || hasRelation(l) {
			continue
		}
		// the first equality whose left member is an expression: in
		// A \le B = C, B = C is stated
		d := definition{lhs: l, identity: true, approx: approx}
		for k := i; k < len(n.Rels) && (k == i || n.Rels[k] == "="); k++ {
			if args[k+1].Kind == texmath.Num {
				continue // "= 0" is a claim about the left side, not a computation
			}
			d.rhss = append(d.rhss, args[k+1])
		}
		if len(d.rhss) > 0 {
			defs = append(defs, d)
		}
		break
	}
	return defs
}

func hasRelation(n *texmath.Node) bool {
	return n.Kind == texmath.Rel || n.Kind == texmath.Seq || n.Kind == texmath.List
}

// definable reports whether a node can be the left side of a definition: a
// symbol, a power of one (\sigma_t^2), or a function of arguments (f(x, y)).
func definable(n *texmath.Node) bool {
	switch n.Kind {
	case texmath.Sym:
		if n.Font == "mathbb" && (n.Name == "R" || n.Name == "N" || n.Name == "E") {
			return false
		}
		return isNameLike(n.Name)
	case texmath.Pow:
		return (n.Args[0].Kind == texmath.Sym || n.Args[0].Kind == texmath.Apply) &&
			n.Args[1].Kind == texmath.Num && definable(n.Args[0])
	case texmath.Apply:
		return n.Args[0].Kind == texmath.Sym && definable(n.Args[0])
	}
	return false
}

func isNameLike(name string) bool {
	if name == "" {
		return false
	}
	c := name[0]
	return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z'
}

// noDefinitionReason says why an equation without a definition is not
// executable.
func noDefinitionReason(tree *texmath.Node) string {
	stmts := statements(tree)
	if len(stmts) > 0 {
		first := stmts[0].node
		if first.Kind == texmath.BigOp {
			switch first.Name {
			case "min", "max", "argmin", "argmax", "minimize", "maximize", "sup", "inf":
				return "an optimisation problem, not a definition"
			}
		}
		if first.Kind == texmath.Rel && len(first.Rels) == 1 && first.Args[1].Kind == texmath.Num && len(stmts) > 1 &&
			(stmts[1].node.Kind == texmath.Num || stmts[1].node.Kind == texmath.Ellipsis) {
			return "a range of values (t = 1, 2, …), not a definition"
		}
	}
	rels := map[string]bool{}
	texmath.Walk(tree, func(n *texmath.Node) bool {
		if n.Kind == texmath.Rel {
			for _, r := range n.Rels {
				rels[r] = true
			}
		}
		return true
	})
	switch {
	case rels["<="] || rels[">="] || rels["<"] || rels[">"] || rels["<<"] || rels[">>"] || rels["!<="]:
		return "an inequality, not a definition"
	case rels["approx"] || rels["simeq"] || rels["!approx"]:
		return "an approximation (≈), not a definition"
	case rels["propto"]:
		return "a proportionality (∝): defined only up to a constant"
	case rels["sim"]:
		return "a statement about a distribution (∼), not a value"
	case rels["in"] || rels["subset"] || rels["subseteq"] || rels["notin"]:
		return "a set membership (∈), not a definition"
	case rels["to"] || rels["mapsto"] || rels["colon"]:
		return "a signature or a mapping (→), not a definition"
	case rels["="] || rels[":="] || rels["equiv"] || rels["<-"]:
		return "an identity between expressions: its left side is not a symbol to define"
	case len(rels) > 0:
		return "a relation that defines nothing"
	}
	return "an expression without a relation: nothing is defined"
}

// funcName names the oracle: eq12_attention, eq_u_softmax.
func funcName(eq Equation, lhs *texmath.Node) string {
	num := eq.Number
	if num == "" {
		num = eq.Label
	}
	prefix := "eq_" + ident(strings.ReplaceAll(num, ".", "_"))
	if num == "" {
		prefix = "eq"
	} else if c := num[0]; c >= '0' && c <= '9' {
		prefix = "eq" + ident(strings.ReplaceAll(num, ".", "_"))
		prefix = strings.Replace(prefix, "eqv", "eq", 1)
	}
	if lhs == nil {
		return ident(prefix)
	}
	return ident(prefix + "_" + defName(lhs))
}

// defName names what a definition defines.
func defName(lhs *texmath.Node) string {
	switch lhs.Kind {
	case texmath.Sym:
		return symbolName(lhs)
	case texmath.Apply:
		return symbolName(lhs.Args[0])
	case texmath.Pow:
		if !definable(lhs) {
			break
		}
		base := defName(lhs.Args[0])
		if lhs.Args[1].Kind == texmath.Num && lhs.Args[1].Text == "2" {
			return base + "_sq"
		}
		return base + "_pow" + subName(lhs.Args[1])
	}
	return "value"
}

// comment is the Python of a non-executable equation.
func comment(o Oracle) string {
	var b strings.Builder
	num := o.Number
	if num == "" {
		num = "unnumbered"
	} else {
		num = "(" + num + ")"
	}
	fmt.Fprintf(&b, "# %s not executable: %s\n", num, o.Reason)
	for _, line := range strings.Split(strings.TrimSpace(o.LaTeX), "\n") {
		b.WriteString("#     " + strings.TrimRight(line, " \t") + "\n")
	}
	return b.String()
}
