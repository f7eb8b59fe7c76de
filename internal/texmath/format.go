package texmath

import (
	"strings"
)

// Format prints a tree back as LaTeX. The output parses to the same tree
// (up to spacing, sizes and annotations the parser drops), which the tests
// check on the corpus.
func Format(n *Node) string {
	var b strings.Builder
	format(&b, n)
	return strings.TrimSpace(b.String())
}

var relTeX = map[string]string{
	"=": "=", "<": "<", ">": ">", "!=": `\neq`, "<=": `\leq`, ">=": `\geq`, "<<": `\ll`, ">>": `\gg`,
	"approx": `\approx`, "simeq": `\simeq`, "cong": `\cong`, "equiv": `\equiv`, "sim": `\sim`,
	"propto": `\propto`, "in": `\in`, "notin": `\notin`, "ni": `\ni`, "subset": `\subset`,
	"subseteq": `\subseteq`, "supset": `\supset`, "supseteq": `\supseteq`, "to": `\to`,
	"mapsto": `\mapsto`, "<-": `\leftarrow`, ":=": `\coloneqq`, "=:": `\eqqcolon`, "given": `\mid`,
	"colon": ":", "perp": `\perp`, "asymp": `\asymp`, "<~": `\lesssim`, ">~": `\gtrsim`,
	"prec": `\prec`, "succ": `\succ`, "preceq": `\preceq`, "succeq": `\succeq`, "models": `\models`,
	"vdash": `\vdash`, "parallel": `\parallel`, "nparallel": `\nparallel`, "nsim": `\nsim`,
	"iff": `\iff`, "bowtie": `\bowtie`, "between": `\between`,
}

var opTeX = map[string]string{
	"+": "+", "-": "-", "pm": `\pm`, "mp": `\mp`, "oplus": `\oplus`, "ominus": `\ominus`,
	"cup": `\cup`, "triangle": `\triangle`, "cdot": `\cdot`, "times": `\times`, "odot": `\odot`,
	"otimes": `\otimes`, "circ": `\circ`, "ast": `\ast`, "/": "/", "wedge": `\wedge`, "vee": `\vee`,
	"cap": `\cap`, "setminus": `\setminus`, "star": `\star`, "bullet": `\bullet`,
	"diamond": `\diamond`, "oslash": `\oslash`, "mod": `\bmod`, "neg": `\neg`, "forall": `\forall`,
	"exists": `\exists`, "nexists": `\nexists`, "nabla": `\nabla`, "partial": `\partial`,
	"wr": `\wr`, "amalg": `\amalg`, "intercal": `\intercal`,
}

var sepTeX = map[string]string{
	",": ",", ";": ";", ".": ".", "quad": `\quad`, "qquad": `\qquad`, `\\`: `\\`, "newline": `\\`,
	"implies": `\implies`, "impliedby": `\impliedby`, "iff": `\iff`, "therefore": `\therefore`,
	"because": `\because`, "": " ",
}

func format(b *strings.Builder, n *Node) {
	if n == nil {
		return
	}
	switch n.Kind {
	case Unknown:
		b.WriteString(n.Text)
	case Empty:
	case Num:
		b.WriteString(n.Text)
	case Sym:
		formatSym(b, n)
	case Text:
		b.WriteString(`\text{` + n.Text + `}`)
	case Ellipsis:
		b.WriteString(`\` + n.Name + " ")
	case Binary:
		level := prec(n)
		operand(b, n.Args[0], prec(n.Args[0]) < level)
		b.WriteString(" " + opTeX[n.Op] + " ")
		operand(b, n.Args[1], prec(n.Args[1]) <= level)
	case Juxt:
		left := n.Args[0]
		operand(b, left, prec(left) < precJuxt || left.Kind == BigOp && len(left.Args) > 0 ||
			left.Kind == Func && len(left.Args) > 0 && left.Open == "")
		b.WriteByte(' ')
		right := n.Args[1]
		// a bracket after a symbol would read as its arguments: t {(i)}
		operand(b, right, prec(right) <= precJuxt || right.Kind == Bracket && right.Open == "(")
	case Unary:
		b.WriteString(opTeX[n.Op])
		if n.Op != "-" && n.Op != "+" {
			b.WriteByte(' ')
		}
		scripts(b, n.Sub, n.Sup)
		operand(b, n.Args[0], prec(n.Args[0]) < precAtom)
	case Frac:
		b.WriteString(`\frac{`)
		format(b, n.Args[0])
		b.WriteString("}{")
		format(b, n.Args[1])
		b.WriteString("}")
	case Sqrt:
		b.WriteString(`\sqrt`)
		if n.Sup != nil {
			b.WriteString("[")
			format(b, n.Sup)
			b.WriteString("]")
		}
		b.WriteString("{")
		format(b, n.Args[0])
		b.WriteString("}")
	case Pow:
		group(b, n.Args[0])
		if e := n.Args[1]; e.Kind == Sym && len(e.Name) == 1 && strings.Contains("*+-'", e.Name) {
			b.WriteString("^" + e.Name + " ")
			break
		}
		b.WriteString("^{")
		format(b, n.Args[1])
		b.WriteString("}")
	case Index:
		group(b, n.Args[0])
		b.WriteString("_{")
		format(b, n.Args[1])
		b.WriteString("}")
	case Transpose:
		group(b, n.Args[0])
		b.WriteString(`^{\top}`)
	case Postfix:
		group(b, n.Args[0])
		b.WriteString(n.Op)
	case Apply:
		format(b, n.Args[0])
		open, close := n.Open, n.Close
		if open == "" {
			open, close = `\left(`, `\right)`
			if len(n.Args) == 2 {
				open, close = "{", "}"
			}
		} else {
			open, close = `\left`+open, `\right`+close
		}
		b.WriteString(open)
		list(b, n.Args[1:], n.Seps)
		b.WriteString(close)
	case Func:
		if _, ok := funcs[`\`+n.Name]; ok {
			b.WriteString(`\` + n.Name + " ")
		} else if n.Name == "max" || n.Name == "min" || n.Name == "sup" || n.Name == "inf" || n.Name == "arg" {
			b.WriteString(`\` + n.Name + " ")
		} else {
			b.WriteString(`\operatorname{` + n.Name + "}")
		}
		scripts(b, n.Sub, n.Sup)
		if len(n.Args) > 0 {
			if n.Open == `\{` {
				b.WriteString(`\left\{`)
			} else {
				b.WriteString(`\left(`)
			}
			list(b, n.Args, n.Seps)
			if n.Open == `\{` {
				b.WriteString(`\right\}`)
			} else {
				b.WriteString(`\right)`)
			}
		}
	case BigOp:
		b.WriteString(bigOpTeX(n.Name))
		scripts(b, n.Sub, n.Sup)
		if len(n.Args) > 0 && n.Args[0] != nil {
			b.WriteByte(' ')
			if n.Name == "E" || n.Name == "V" || n.Name == "P" || n.Name == "Var" || n.Name == "Cov" {
				group(b, n.Args[0])
			} else {
				format(b, n.Args[0])
			}
		}
	case Bracket:
		b.WriteString(`\left` + delimTeX(n.Open, "("))
		format(b, n.Args[0])
		b.WriteString(`\right` + delimTeX(n.Close, "."))
	case Abs:
		b.WriteString(`\left|`)
		format(b, n.Args[0])
		b.WriteString(`\right|`)
	case Norm:
		b.WriteString(`\left\|`)
		format(b, n.Args[0])
		b.WriteString(`\right\|`)
	case Set:
		b.WriteString(`\left\{`)
		list(b, n.Args, n.Seps)
		b.WriteString(`\right\}`)
	case Matrix:
		env := n.Name
		b.WriteString(`\begin{` + env + "}")
		if env == "array" || env == "subarray" || env == "tabular" {
			cols := 1
			for _, r := range n.Rows {
				cols = max(cols, len(r))
			}
			b.WriteString("{" + strings.Repeat("c", cols) + "}")
		}
		rows(b, n.Rows)
		b.WriteString(`\end{` + env + "}")
	case Cases:
		b.WriteString(`\begin{cases}`)
		rows(b, n.Rows)
		b.WriteString(`\end{cases}`)
	case Rel:
		for i, a := range n.Args {
			if i > 0 {
				b.WriteString(" " + relationTeX(n.Rels[i-1]) + " ")
			}
			format(b, a)
		}
	case List:
		b.WriteString("{")
		list(b, n.Args, n.Seps)
		b.WriteString("}")
	case Seq:
		for i, a := range n.Args {
			if i > 0 {
				writeSep(b, n.Seps[i-1])
			}
			format(b, a)
		}
		for i := len(n.Args); i <= len(n.Seps); i++ {
			writeSep(b, n.Seps[i-1])
		}
	case Accent:
		b.WriteString(`\` + accentTeX(n.Name) + "{")
		format(b, n.Args[0])
		b.WriteString("}")
	case Deriv:
		// in braces, so that a braced operand after it is not read as a
		// third argument
		b.WriteString(`{\` + n.Op)
		for _, a := range n.Args {
			b.WriteString("{")
			format(b, a)
			b.WriteString("}")
		}
		b.WriteString("}")
	case Binom:
		b.WriteString(`\binom{`)
		format(b, n.Args[0])
		b.WriteString("}{")
		format(b, n.Args[1])
		b.WriteString("}")
	}
}

// Precedence levels, loosest first, for printing the braces a tree needs.
const (
	precRel = iota + 1
	precAdd
	precMul
	precJuxt
	precAtom
)

func prec(n *Node) int {
	switch n.Kind {
	case Rel, Seq, List:
		return precRel
	case Binary:
		switch n.Op {
		case "+", "-", "pm", "mp", "oplus", "ominus", "cup", "triangle":
			return precAdd
		}
		return precMul
	case Juxt, Unary:
		return precJuxt
	case BigOp:
		if len(n.Args) > 0 {
			return precJuxt
		}
	}
	return precAtom
}

// operand prints n, in braces (a group the parser sees through) when asked.
func operand(b *strings.Builder, n *Node, braces bool) {
	if !braces {
		format(b, n)
		return
	}
	b.WriteString("{")
	format(b, n)
	b.WriteString("}")
}

func list(b *strings.Builder, args []*Node, seps []string) {
	for i, a := range args {
		if i > 0 {
			sep := ","
			if i-1 < len(seps) {
				sep = seps[i-1]
			}
			if t, ok := sepTeX[sep]; ok {
				sep = t
			} else if strings.HasPrefix(sep, "middle") {
				sep = `\middle` + strings.TrimPrefix(sep, "middle")
			} else {
				sep = `\text{ ` + sep + ` }`
			}
			b.WriteString(sep + " ")
		}
		format(b, a)
	}
}

func rows(b *strings.Builder, rs [][]*Node) {
	for i, r := range rs {
		if i > 0 {
			b.WriteString(` \\ `)
		}
		for j, c := range r {
			if j > 0 {
				b.WriteString(" & ")
			}
			format(b, c)
		}
	}
}

// group prints n, in braces when it is more than one token.
func group(b *strings.Builder, n *Node) {
	switch n.Kind {
	case Sym, Num, Bracket, Abs, Norm, Set, Apply:
		if n.Kind == Sym && (n.Sub != nil || n.Sup != nil || n.Primes > 0) {
			b.WriteString("{")
			format(b, n)
			b.WriteString("}")
			return
		}
		format(b, n)
	default:
		b.WriteString("{")
		format(b, n)
		b.WriteString("}")
	}
}

func scripts(b *strings.Builder, sub, sup *Node) {
	if sub != nil {
		b.WriteString("_{")
		format(b, sub)
		b.WriteString("}")
	}
	if sup != nil {
		if sup.Kind == Sym && len(sup.Name) == 1 && strings.Contains("*+-'", sup.Name) {
			b.WriteString("^" + sup.Name + " ") // a mark: x^*, 0^+
			return
		}
		b.WriteString("^{")
		format(b, sup)
		b.WriteString("}")
	}
}

func formatSym(b *strings.Builder, n *Node) {
	var s string
	switch {
	case len(n.Name) == 1 && (isLetter(n.Name[0]) || isDigit(n.Name)):
		s = n.Name
	case isNumber(n.Name):
		s = n.Name
	case greekName(n.Name):
		s = `\` + n.Name
	case len(n.Name) == 1:
		// a mark or a placeholder: *, +, -, '
		switch n.Name {
		case "*", "+", "-", "'", "|", "/", ":", "=", "<", ">", ",":
			s = `\mathord{` + n.Name + "}"
		default:
			s = `\` + n.Name
		}
	case n.Font == "":
		s = `\` + n.Name
		_, isGreek := greek[s]
		_, isOp := mulOps[s]
		if !isGreek && !isOp {
			s = `\mathrm{` + n.Name + `}`
		}
	default:
		s = n.Name
	}
	switch n.Font {
	case "":
	case "text":
		s = `\text{` + s + "}"
	default:
		s = `\` + n.Font + "{" + s + "}"
	}
	for _, a := range n.Accents {
		s = `\` + accentTeX(a) + "{" + s + "}"
	}
	b.WriteString(s)
	b.WriteString(strings.Repeat("'", n.Primes))
	if n.Sub != nil || n.Sup != nil {
		scripts(b, n.Sub, n.Sup)
	}
	if len(n.Name) > 1 && n.Font == "" && !greekName(n.Name) || len(n.Name) == 1 && !isLetter(n.Name[0]) {
		b.WriteByte(' ')
	} else if strings.HasPrefix(s, `\`) && n.Sub == nil && n.Sup == nil && n.Primes == 0 {
		b.WriteByte(' ')
	}
}

func greekName(name string) bool {
	g, ok := greek[`\`+name]
	return ok && g == name
}

func accentTeX(a string) string {
	switch a {
	case "bar":
		return "bar"
	case "ring":
		return "mathring"
	case "larrow":
		return "overleftarrow"
	case "paren":
		return "wideparen"
	case "":
		return "mathord"
	}
	return a
}

func bigOpTeX(name string) string {
	switch name {
	case "E", "V", "P":
		return `\mathbb{` + name + "}"
	case "Ehat":
		return `\hat{\mathbb{E}}`
	case "Var", "Cov":
		return `\mathrm{` + name + "}"
	case "argmax", "argmin", "minimize", "maximize":
		return `\operatorname*{` + name + "}"
	}
	return `\` + name
}

func delimTeX(d, def string) string {
	if d == "" {
		return def
	}
	if strings.HasPrefix(d, `\`) && len(d) > 2 {
		return d + " "
	}
	return d
}

func writeSep(b *strings.Builder, sep string) {
	if t, ok := sepTeX[sep]; ok {
		b.WriteString(" " + t + " ")
	} else {
		b.WriteString(` \text{ ` + sep + ` } `)
	}
}

func relationTeX(r string) string {
	if t, ok := relTeX[r]; ok {
		return t
	}
	if strings.HasPrefix(r, "!") {
		return `\not` + relationTeX(r[1:])
	}
	return r
}
