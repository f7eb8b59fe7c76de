package oracle

import (
	"strings"

	"github.com/reprohq/repro/internal/texmath"
)

// pythonKeywords are the names a parameter may not take (a trailing
// underscore is added).
var pythonKeywords = map[string]bool{
	"False": true, "None": true, "True": true, "and": true, "as": true, "assert": true,
	"async": true, "await": true, "break": true, "class": true, "continue": true, "def": true,
	"del": true, "elif": true, "else": true, "except": true, "finally": true, "for": true,
	"from": true, "global": true, "if": true, "import": true, "in": true, "is": true,
	"lambda": true, "nonlocal": true, "not": true, "or": true, "pass": true, "raise": true,
	"return": true, "try": true, "while": true, "with": true, "yield": true,
	// names the generated code uses
	"np": true, "math": true, "rng": true, "len": true, "range": true, "sum": true, "abs": true,
	"min": true, "max": true, "float": true, "int": true, "print": true, "type": true,
	"list": true, "dict": true, "id": true, "input": true, "object": true, "str": true,
}

// fontPrefix names the fonts that change what a letter denotes; bold and
// italic do not (x and \mathbf{x} are the same name).
var fontPrefix = map[string]string{
	"mathcal": "cal_", "mathbb": "bb_", "mathfrak": "frak_", "mathscr": "scr_",
}

// baseName is the identifier of a symbol without its subscript: font prefix,
// base, accents, primes and name-like superscript marks.
func baseName(n *texmath.Node) string {
	var b strings.Builder
	name := n.Name
	if p := fontPrefix[n.Font]; p != "" {
		b.WriteString(p)
	}
	b.WriteString(sanitize(name))
	for _, a := range n.Accents {
		if a != "" {
			b.WriteString("_" + a)
		}
	}
	for i := 0; i < n.Primes; i++ {
		b.WriteString("_prime")
	}
	if n.Sup != nil {
		b.WriteString("_" + markName(n.Sup))
	}
	return b.String()
}

// markName names a name-like superscript: * is star, (i) is i.
func markName(s *texmath.Node) string {
	switch s.Kind {
	case texmath.Sym:
		switch s.Name {
		case "*", "ast":
			return "star"
		case "+":
			return "plus"
		case "-":
			return "minus"
		}
		return subName(s)
	case texmath.Unary:
		switch s.Op {
		case "+":
			return "plus"
		case "-":
			return "minus"
		}
	case texmath.Bracket:
		return subName(s.Args[0])
	case texmath.Text:
		return sanitize(s.Text)
	}
	return subName(s)
}

// subName renders a subscript (or any small expression) as part of an
// identifier: t+1 is tp1, t-1 is tm1, t|s is t_s, {x,i} is x_i.
func subName(n *texmath.Node) string {
	if n == nil {
		return ""
	}
	switch n.Kind {
	case texmath.Num:
		return strings.ReplaceAll(n.Text, ".", "p")
	case texmath.Sym:
		if m, ok := markWords[n.Name]; ok {
			return m
		}
		s := baseName(n)
		if n.Sub != nil {
			s += "_" + subName(n.Sub)
		}
		return s
	case texmath.Text:
		return sanitize(n.Text)
	case texmath.Binary:
		op := map[string]string{"+": "p", "-": "m", "/": "over", "cdot": "", "times": "x"}[n.Op]
		return subName(n.Args[0]) + op + subName(n.Args[1])
	case texmath.Juxt:
		return subName(n.Args[0]) + subName(n.Args[1])
	case texmath.Unary:
		if n.Args[0].Kind == texmath.Empty {
			return map[string]string{"-": "minus", "+": "plus", "pm": "pm"}[n.Op]
		}
		if n.Op == "-" {
			return "m" + subName(n.Args[0])
		}
		return subName(n.Args[0])
	case texmath.List, texmath.Seq:
		parts := make([]string, 0, len(n.Args))
		for _, a := range n.Args {
			parts = append(parts, subName(a))
		}
		return strings.Join(parts, "_")
	case texmath.Rel:
		parts := make([]string, 0, len(n.Args))
		for _, a := range n.Args {
			parts = append(parts, subName(a))
		}
		return strings.Join(parts, "_")
	case texmath.Bracket:
		return subName(n.Args[0])
	case texmath.Pow:
		return subName(n.Args[0]) + "pow" + subName(n.Args[1])
	case texmath.Frac:
		return subName(n.Args[0]) + "over" + subName(n.Args[1])
	case texmath.Apply:
		parts := []string{subName(n.Args[0])}
		for _, a := range n.Args[1:] {
			parts = append(parts, subName(a))
		}
		return strings.Join(parts, "_")
	case texmath.Transpose:
		return subName(n.Args[0]) + "T"
	case texmath.Func, texmath.BigOp:
		return sanitize(n.Name)
	}
	return "x"
}

// sanitize keeps the characters of an identifier.
func sanitize(s string) string {
	var b strings.Builder
	for _, r := range s {
		switch {
		case r >= 'a' && r <= 'z', r >= 'A' && r <= 'Z', r >= '0' && r <= '9', r == '_':
			b.WriteRune(r)
		case r == ' ' || r == '-' || r == '.':
			b.WriteByte('_')
		}
	}
	return b.String()
}

// ident makes a valid Python identifier of a name.
func ident(s string) string {
	s = sanitize(s)
	for strings.Contains(s, "__") {
		s = strings.ReplaceAll(s, "__", "_")
	}
	s = strings.Trim(s, "_")
	if s == "" {
		s = "v"
	}
	if s[0] >= '0' && s[0] <= '9' {
		s = "v" + s
	}
	if pythonKeywords[s] {
		s += "_"
	}
	return s
}

// symbolName is the identifier of a symbol with its whole subscript as part
// of the name: \theta_{t+1} is theta_tp1, \mathcal{L} is cal_L.
func symbolName(n *texmath.Node) string {
	s := baseName(n)
	if n.Sub != nil {
		s += "_" + subName(n.Sub)
	}
	return ident(s)
}

// markWords name the marks that are not letters: k_{+}, x^{*}.
var markWords = map[string]string{"+": "plus", "-": "minus", "*": "star", "'": "prime", "ast": "star"}
