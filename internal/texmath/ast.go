// Package texmath parses LaTeX math (one display equation, with the paper's
// own macros already expanded) into a syntax tree: numbers and symbols (with
// their accents, fonts, subscripts and name-like superscripts kept
// structurally), binary operators with the usual precedence, implicit
// multiplication, functions, fractions, roots, powers, big operators with
// their bounds, norms, brackets of every kind, matrices, cases, relation
// chains and text.
//
// The parser never gives up: what it cannot read becomes an Unknown node, so
// that a partial parse still yields a tree, and Parse reports the first such
// place with its byte offset. It never panics (FuzzParse checks this).
//
// The tree is shared by the oracle generator (internal/oracle), which
// translates it to NumPy, and by renderers; String prints it as an
// S-expression for tests and debugging and Format prints it back as LaTeX.
package texmath

import (
	"fmt"
	"strings"
)

// Kind is the kind of a Node.
type Kind uint8

// The node kinds. The fields each kind uses are listed beside it.
const (
	Unknown   Kind = iota // Text: the source that could not be read
	Empty                 // an absent operand (a row that starts with "&=")
	Num                   // Text: the literal ("0.5")
	Sym                   // Name, Font, Accents, Primes, Sub, Sup (name-like marks only: * ' + - (i) text)
	Text                  // Text: the content of \text{...} and the like
	Ellipsis              // Name: "dots", "cdots", "vdots", "ddots"
	Binary                // Op ("+", "-", "/", "cdot", "times", "odot", "otimes", "parallel", ...), Args[0], Args[1]
	Juxt                  // implicit multiplication: Args[0] Args[1]
	Unary                 // Op ("-", "+", "pm", "nabla", "partial", "neg", "forall", "exists"), Args[0]; Sub for \nabla_\theta
	Frac                  // Op ("frac", "nicefrac", ...), Args[0] numerator, Args[1] denominator
	Sqrt                  // Args[0]; Sup: the index of \sqrt[n]{x} or nil
	Pow                   // Args[0] base, Args[1] exponent
	Index                 // a subscript on something that is not a symbol: Args[0] base, Args[1] subscript
	Transpose             // Args[0]; Op: how it was written ("top", "T", "intercal", "mathsf")
	Postfix               // Op ("'", "!"), Args[0]
	Apply                 // Args[0] the function (a Sym, Func or Apply), Args[1:] the arguments; Open, Close; Seps between arguments
	Func                  // Name ("log", "exp", "max", "det", ...), Sub, Sup; Args: the arguments (empty for a bare operator name)
	BigOp                 // Name ("sum", "prod", "int", "lim", "max", "argmax", "E", ...), Sub (lower bound), Sup (upper bound), Args[0] body (nil when none)
	Bracket               // Open, Close, Args[0] content
	Abs                   // Args[0]; Open, Close
	Norm                  // Args[0]; Open, Close
	Set                   // Args: items; Seps: separators (",", ":", "mid")
	Matrix                // Name: environment; Rows
	Cases                 // Rows: {value, condition}; condition may be nil
	Rel                   // a chain: Args (n operands), Rels (n-1 relations)
	List                  // a comma list: Args; Seps
	Seq                   // statements: Args; Seps (",", "quad", "\\\\", "implies", "where", ...)
	Accent                // an accent over an expression that is not a symbol: Name, Args[0]
	Deriv                 // \dv{f}{x}, \pdv: Op, Args; Text: the order of \dv[2]{f}{x} ("" when none)
	Binom                 // Args[0], Args[1]
)

var kindNames = [...]string{
	Unknown: "unknown", Empty: "empty", Num: "num", Sym: "sym", Text: "text", Ellipsis: "ellipsis",
	Binary: "binary", Juxt: "juxt", Unary: "unary", Frac: "frac", Sqrt: "sqrt", Pow: "pow",
	Index: "index", Transpose: "transpose", Postfix: "postfix", Apply: "apply", Func: "func",
	BigOp: "bigop", Bracket: "bracket", Abs: "abs", Norm: "norm", Set: "set", Matrix: "matrix",
	Cases: "cases", Rel: "rel", List: "list", Seq: "seq", Accent: "accent", Deriv: "deriv", Binom: "binom",
}

func (k Kind) String() string {
	if int(k) < len(kindNames) {
		return kindNames[k]
	}
	return fmt.Sprintf("kind(%d)", int(k))
}

// Node is one node of the tree. Which fields a node uses depends on its Kind
// (see the constants). Pos and End are byte offsets into the source.
type Node struct {
	Kind     Kind
	Pos, End int

	Op      string   // operator, relation-free operator name, environment
	Name    string   // symbol base name ("x", "alpha", "L", "SNR"); function or big-operator name
	Font    string   // "" or "mathbf", "boldsymbol", "mathcal", "mathbb", "mathrm", "operatorname", "text", ...
	Accents []string // innermost first: \hat{\bar x} is ["bar", "hat"]
	Primes  int      // x'' has 2

	Sub, Sup *Node
	Args     []*Node
	Rels     []string // Rel: the relations between Args
	Seps     []string // List, Seq, Set, Apply: the separators between Args
	Rows     [][]*Node
	Open     string
	Close    string
	Text     string
}

// IsSym reports whether n is a symbol named name (any font, no accents).
func (n *Node) IsSym(name string) bool {
	return n != nil && n.Kind == Sym && n.Name == name && len(n.Accents) == 0
}

// Walk calls fn on n and, while fn returns true, on its descendants in
// source order (Sub and Sup after Args).
func Walk(n *Node, fn func(*Node) bool) {
	if n == nil || !fn(n) {
		return
	}
	for _, a := range n.Args {
		Walk(a, fn)
	}
	for _, row := range n.Rows {
		for _, c := range row {
			Walk(c, fn)
		}
	}
	Walk(n.Sub, fn)
	Walk(n.Sup, fn)
}

// Complete reports whether the tree has no Unknown node: the whole equation
// was read into known constructs.
func Complete(n *Node) bool {
	ok := true
	Walk(n, func(m *Node) bool {
		if m.Kind == Unknown {
			ok = false
		}
		return ok
	})
	return ok
}

// String prints the tree as an S-expression, for tests and debugging:
// (= (sym L) (+ (juxt a b) (num 1))).
func (n *Node) String() string {
	var b strings.Builder
	n.sexpr(&b)
	return b.String()
}

func (n *Node) sexpr(b *strings.Builder) {
	if n == nil {
		b.WriteString("nil")
		return
	}
	switch n.Kind {
	case Num:
		b.WriteString(n.Text)
		return
	case Empty:
		b.WriteString("_")
		return
	case Sym:
		b.WriteString(symString(n))
		return
	case Text:
		fmt.Fprintf(b, "(text %q)", n.Text)
		return
	case Unknown:
		fmt.Fprintf(b, "(unknown %q)", n.Text)
		return
	case Ellipsis:
		b.WriteString("...")
		return
	}
	b.WriteByte('(')
	switch n.Kind {
	case Binary, Unary, Postfix:
		b.WriteString(n.Op)
	case Rel:
		b.WriteString("rel")
	case Func, BigOp:
		b.WriteString(n.Kind.String() + " " + n.Name)
	case Accent:
		b.WriteString("accent " + n.Name)
	case Bracket, Abs, Norm:
		fmt.Fprintf(b, "%s %s%s", n.Kind, n.Open, n.Close)
	case Matrix:
		b.WriteString("matrix " + n.Name)
	case Transpose:
		b.WriteString("T")
	default:
		b.WriteString(n.Kind.String())
	}
	if n.Sub != nil && n.Kind != Sym {
		b.WriteString(" _")
		n.Sub.sexpr(b)
	}
	if n.Sup != nil && n.Kind != Sym {
		b.WriteString(" ^")
		n.Sup.sexpr(b)
	}
	for i, a := range n.Args {
		b.WriteByte(' ')
		if n.Kind == Rel && i > 0 {
			b.WriteString(n.Rels[i-1])
			b.WriteByte(' ')
		}
		if (n.Kind == Seq || n.Kind == List || n.Kind == Set) && i > 0 && i-1 < len(n.Seps) && n.Seps[i-1] != "," {
			b.WriteString(n.Seps[i-1])
			b.WriteByte(' ')
		}
		a.sexpr(b)
	}
	if n.Kind == Seq || n.Kind == List || n.Kind == Set {
		// separators after the last item: "0 & \text{otherwise}"
		for i := len(n.Args); i <= len(n.Seps); i++ {
			if n.Seps[i-1] != "," {
				b.WriteString(" " + n.Seps[i-1])
			}
		}
	}
	for _, row := range n.Rows {
		b.WriteString(" [")
		for j, c := range row {
			if j > 0 {
				b.WriteByte(' ')
			}
			c.sexpr(b)
		}
		b.WriteByte(']')
	}
	b.WriteByte(')')
}

// symString prints a symbol compactly: font:name with accents, primes and
// scripts, as in bf:x_{i}, hat(x)_t, sigma^{*}.
func symString(n *Node) string {
	s := n.Name
	if n.Font != "" {
		s = n.Font + ":" + s
	}
	for _, a := range n.Accents {
		s = a + "(" + s + ")"
	}
	s += strings.Repeat("'", n.Primes)
	if n.Sub != nil {
		s += "_{" + n.Sub.String() + "}"
	}
	if n.Sup != nil {
		s += "^{" + n.Sup.String() + "}"
	}
	return s
}
