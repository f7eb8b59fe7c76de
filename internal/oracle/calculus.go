package oracle

import (
	"strings"

	"github.com/reprohq/repro/internal/texmath"
)

// Derivatives and definite integrals, computed numerically (see RULES.md,
// "Derivatives and integrals"):
//
//   - \nabla_\theta E, \frac{\partial E}{\partial \theta}, \frac{d}{dx} E,
//     \dv{E}{x} and f'(x) are central finite differences of E in the
//     variable (_deriv), when E is executable and shows its dependence on
//     the variable: the variable itself, or one evaluation point of it
//     (\nabla_\theta J(\theta_{t-1}) is the gradient of J at \theta_{t-1}).
//     A symbol that depends on the variable through its subscript
//     (\lambda_t for d/dt) or a differentiation variable that does not
//     appear (\partial r_\phi(b) / \partial \theta, where b depends on
//     \theta elsewhere) is not executable: the dependence is not written.
//   - \int_a^b E \, dx with finite bounds and a plain scalar variable is
//     composite Simpson quadrature (_integrate).

// derivVar is a differentiation variable: a symbol.
func derivVar(n *texmath.Node) (*texmath.Node, bool) {
	if n == nil {
		return nil, false
	}
	if n.Kind == texmath.Bracket && n.Open == "{" && len(n.Args) == 1 {
		n = n.Args[0]
	}
	if n.Kind != texmath.Sym || !isNameLike(n.Name) || n.Name == "d" && n.Sub == nil {
		return nil, false
	}
	return n, true
}

// isDiffOf reads a differential: d x, \mathrm{d} x, \partial x. It returns x.
func isDiffOf(n *texmath.Node) (*texmath.Node, bool) {
	switch n.Kind {
	case texmath.Unary:
		if n.Op == "partial" && n.Sub == nil && n.Sup == nil {
			return derivVar(n.Args[0])
		}
	case texmath.Juxt:
		if isDSym(n.Args[0]) {
			return derivVar(n.Args[1])
		}
	}
	return nil, false
}

// isDSym reports whether n is the differential's d.
func isDSym(n *texmath.Node) bool {
	return n.Kind == texmath.Sym && n.Name == "d" && n.Sub == nil && n.Sup == nil && len(n.Accents) == 0 &&
		n.Primes == 0 && (n.Font == "" || n.Font == "mathrm" || n.Font == "operatorname")
}

// fracDerivative reads a fraction that is a derivative: it returns the
// variable and the differentiated expression (nil for the operator
// \frac{d}{dx}, which applies to what follows it).
func fracDerivative(n *texmath.Node) (v, body *texmath.Node, ok bool) {
	v, ok = isDiffOf(n.Args[1])
	if !ok {
		return nil, nil, false
	}
	num := n.Args[0]
	switch {
	case num.Kind == texmath.Unary && num.Op == "partial" && num.Sub == nil && num.Sup == nil:
		if num.Args[0].Kind == texmath.Empty {
			return v, nil, true
		}
		return v, num.Args[0], true
	case isDSym(num):
		return v, nil, true
	case num.Kind == texmath.Juxt:
		f := flattenJuxt(num)
		if isDSym(f[0]) && len(f) > 1 {
			return v, rebuildJuxt(f[1:]), true
		}
	}
	return nil, nil, false
}

// derivOperator reports whether n is a derivative operator without its
// operand (\frac{\partial}{\partial\theta}, \frac{d}{dt}, \dv{}{t},
// \nabla_\theta without an argument is never one), and its variable.
func derivOperator(n *texmath.Node) (*texmath.Node, bool) {
	switch n.Kind {
	case texmath.Frac:
		if v, body, ok := fracDerivative(n); ok && body == nil {
			return v, true
		}
	case texmath.Deriv:
		if len(n.Args) == 2 && n.Text == "" && n.Args[0].Kind == texmath.Empty {
			return derivVar(n.Args[1])
		}
	}
	return nil, false
}

func rebuildJuxt(f []*texmath.Node) *texmath.Node {
	n := f[0]
	for _, m := range f[1:] {
		n = &texmath.Node{Kind: texmath.Juxt, Pos: n.Pos, End: m.End, Args: []*texmath.Node{n, m}}
	}
	return n
}

// juxtDerivative handles a product with a derivative operator in it:
// a \frac{\partial}{\partial\theta} f(\theta) g(\theta) differentiates the
// rest of the product, f g. ok is false when there is no operator.
func (g *gen) juxtDerivative(n *texmath.Node) (val, bool) {
	f := flattenJuxt(n)
	for k, m := range f {
		v, ok := derivOperator(m)
		if !ok && m.Kind == texmath.Unary && m.Op == "nabla" && m.Sup == nil && k < len(f)-1 {
			// \nabla_w \frac{1}{N} \sum ...: a gradient whose own operand
			// does not depend on the variable takes in the rest of the product
			if x, isVar := derivVar(m.Sub); isVar {
				if _, why := dependence(m.Args[0], x); strings.Contains(why, "does not show") {
					rest := append([]*texmath.Node{m.Args[0]}, f[k+1:]...)
					d := g.derivative(x, rebuildJuxt(rest))
					if k == 0 || g.reason != "" {
						return d, true
					}
					return g.juxtHole(rebuildJuxt(f[:k]), d, m, n), true
				}
			}
		}
		if !ok {
			continue
		}
		if k == len(f)-1 {
			return g.fail("a derivative operator without an operand"), true
		}
		d := g.derivative(v, rebuildJuxt(f[k+1:]))
		if k == 0 || g.reason != "" {
			return d, true
		}
		return g.juxtHole(rebuildJuxt(f[:k]), d, m, n), true
	}
	return val{}, false
}

// juxtHole multiplies left by the translated value d (standing in for the
// nodes from m to the end of n).
func (g *gen) juxtHole(left *texmath.Node, d val, m, n *texmath.Node) val {
	hole := &texmath.Node{Kind: texmath.Sym, Name: "derivative", Pos: m.Pos, End: n.End}
	if g.subst == nil {
		g.subst = map[*texmath.Node]val{}
	}
	g.subst[hole] = d
	return g.juxt(left, hole)
}

// sameSymbol compares two symbols as the generator names them: bold and
// italic are the same letter.
func sameSymbol(a, b *texmath.Node) bool {
	norm := func(f string) string {
		switch f {
		case "mathbf", "boldsymbol", "bm", "mathit", "mathrm", "pmb":
			return ""
		}
		return f
	}
	if a.Kind != texmath.Sym || b.Kind != texmath.Sym || a.Name != b.Name || norm(a.Font) != norm(b.Font) ||
		a.Primes != b.Primes || strings.Join(a.Accents, " ") != strings.Join(b.Accents, " ") {
		return false
	}
	fmtOr := func(n *texmath.Node) string {
		if n == nil {
			return ""
		}
		return texmath.Format(n)
	}
	sup := func(n *texmath.Node) string {
		s := fmtOr(n.Sup)
		switch s {
		case `\top`, "T", `\intercal`, `\mathsf{T}`, `\mathsf{T} `:
			return "" // x^\top is x, transposed
		}
		return s
	}
	return fmtOr(a.Sub) == fmtOr(b.Sub) && sup(a) == sup(b)
}

// mentions reports whether n holds the symbol v anywhere (subscripts
// included).
func mentions(n, v *texmath.Node) bool {
	found := false
	texmath.Walk(n, func(m *texmath.Node) bool {
		if sameSymbol(m, v) {
			found = true
		}
		return !found
	})
	return found
}

// dependence finds how body depends on the variable v: the symbol to
// perturb (v itself, or the one evaluation point v_{t-1} of a plain v), or
// a reason why the dependence is not written.
func dependence(body, v *texmath.Node) (*texmath.Node, string) {
	var direct bool
	var points []*texmath.Node
	var hidden string
	texmath.Walk(body, func(m *texmath.Node) bool {
		if m.Kind != texmath.Sym {
			return true
		}
		if sameSymbol(m, v) {
			direct = true
			return false
		}
		if (m.Sub != nil && mentions(m.Sub, v)) || (m.Sup != nil && mentions(m.Sup, v)) {
			hidden = texmath.Format(m)
			return false
		}
		if v.Sub == nil && v.Sup == nil && m.Sub != nil && m.Name == v.Name && m.Primes == v.Primes &&
			strings.Join(m.Accents, " ") == strings.Join(v.Accents, " ") {
			c := *m
			c.Sub, c.Font = nil, v.Font
			if sameSymbol(&c, v) {
				for _, p := range points {
					if sameSymbol(p, m) {
						return true
					}
				}
				points = append(points, m)
			}
		}
		return true
	})
	switch {
	case hidden != "":
		return nil, "a derivative or an integral of " + hidden + ", which depends on " + texmath.Format(v) + " through its subscript"
	case direct && len(points) == 0:
		return v, ""
	case !direct && len(points) == 1:
		return points[0], ""
	case direct:
		return nil, "a derivative in " + texmath.Format(v) + " of an expression that also holds " + texmath.Format(points[0])
	case len(points) > 1:
		return nil, "a derivative in " + texmath.Format(v) + " evaluated at several points"
	}
	return nil, "a derivative in " + texmath.Format(v) + " of an expression that does not show its dependence on it"
}

// derivative translates d body / d v: central finite differences in the
// symbol body depends on.
func (g *gen) derivative(v, body *texmath.Node) val {
	if g.reason != "" {
		return val{code: "None", atom: true}
	}
	if body == nil || body.Kind == texmath.Empty {
		return g.fail("a derivative operator without an operand")
	}
	if g.inDeriv {
		return g.fail("a derivative of a derivative (finite differences would not be accurate enough)")
	}
	point, why := dependence(body, v)
	if why != "" {
		return g.fail("%s", why)
	}
	if isPlainSym(point) {
		if r := g.bound(point.Name); r != nil {
			return g.fail("a derivative in the index %s", point.Name)
		}
	}
	if g.dummy[texmath.Format(point)] != "" {
		// d/dt inside \int ... dt: the variable is the integration variable
		return g.derivAt(g.dummy[texmath.Format(point)], body)
	}
	pv := g.symbol(point)
	if g.reason != "" {
		return pv
	}
	if pv.t == tInt || !isIdent(pv.code) {
		return g.fail("a derivative in %s, which is not a real-valued parameter", texmath.Format(point))
	}
	return g.derivAt(pv.code, body)
}

// derivAt differentiates body in the Python variable name.
func (g *gen) derivAt(name string, body *texmath.Node) val {
	g.inDeriv = true
	b := g.expr(body)
	g.inDeriv = false
	if g.reason != "" {
		return b
	}
	return val{code: "_deriv(lambda " + name + ": " + b.code + ", " + name + ")", t: tTensor, atom: true}
}

func isIdent(s string) bool {
	if s == "" {
		return false
	}
	for i, c := range s {
		if !(c == '_' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || i > 0 && c >= '0' && c <= '9') {
			return false
		}
	}
	return true
}

// primeDerivative reads f'(x), the derivative of a one-argument function f,
// when f itself is called in the equation or is a known function: u(t) and
// u'(t) in one equation are a function and its derivative. ok is false
// otherwise (then f' is a function of its own).
func (g *gen) primeDerivative(n *texmath.Node) (val, bool) {
	head := n.Args[0]
	if head.Kind != texmath.Sym || head.Primes != 1 || len(n.Args) != 2 {
		return val{}, false
	}
	base := *head
	base.Primes = 0
	called := isBuiltinHead(&base)
	texmath.Walk(g.tree, func(m *texmath.Node) bool {
		if m.Kind == texmath.Apply && m.Args[0].Kind == texmath.Sym && sameSymbol(m.Args[0], &base) {
			called = true
		}
		return !called
	})
	if !called {
		return val{}, false
	}
	arg := n.Args[1]
	if g.inDeriv {
		return g.fail("a derivative of a derivative (finite differences would not be accurate enough)"), true
	}
	x := g.expr(arg)
	if g.reason != "" {
		return x, true
	}
	g.inDeriv = true
	call := &texmath.Node{Kind: texmath.Apply, Pos: n.Pos, End: n.End, Open: n.Open, Close: n.Close,
		Args: []*texmath.Node{&base, {Kind: texmath.Sym, Name: "derivative", Pos: arg.Pos, End: arg.End}}}
	if g.subst == nil {
		g.subst = map[*texmath.Node]val{}
	}
	g.subst[call.Args[1]] = val{code: "_x", t: x.t, atom: true}
	f := g.expr(call)
	g.inDeriv = false
	if g.reason != "" {
		return f, true
	}
	return val{code: "_deriv(lambda _x: " + f.code + ", " + x.code + ")", t: tTensor, atom: true}, true
}

// integral translates \int_a^b body dx: composite Simpson quadrature over
// finite bounds in one plain scalar variable.
func (g *gen) integral(n *texmath.Node) val {
	if n.Name != "int" {
		return g.fail("a multiple integral")
	}
	if n.Sub == nil || n.Sup == nil {
		return g.fail("an integral over a set or a whole space (no bounds)")
	}
	if n.Sub.Kind == texmath.Sym && (n.Sub.Font == "mathcal" || n.Sub.Font == "mathbb") {
		return g.fail("an integral over a set")
	}
	infinite := false
	for _, b := range []*texmath.Node{n.Sub, n.Sup} {
		texmath.Walk(b, func(m *texmath.Node) bool {
			if m.Kind == texmath.Sym && m.Name == "infty" {
				infinite = true
			}
			return !infinite
		})
	}
	if infinite {
		return g.fail("an improper integral (infinite bounds)")
	}
	if len(n.Args) == 0 || n.Args[0] == nil {
		return g.fail("an integral without an integrand")
	}
	f := flattenJuxt(n.Args[0])
	var v *texmath.Node
	var rest []*texmath.Node
	for i := 0; i < len(f); i++ {
		if v == nil && i+1 < len(f) && isDSym(f[i]) {
			if x, ok := derivVar(f[i+1]); ok {
				v = x
				i++
				continue
			}
		}
		if v == nil {
			if x, ok := isDiffOf(f[i]); ok && f[i].Kind == texmath.Juxt {
				v = x
				continue
			}
		}
		rest = append(rest, f[i])
	}
	if v == nil {
		return g.fail("an integral whose differential d· cannot be read")
	}
	if !isPlainSym(v) || greekUpperOrBold(v) {
		return g.fail("an integral over a vector or a measure (d%s)", texmath.Format(v))
	}
	if len(rest) == 0 {
		return g.fail("an integral without an integrand")
	}
	body := rebuildJuxt(rest)
	if _, why := dependence(body, v); strings.Contains(why, "through its subscript") {
		return g.fail("%s", why)
	}
	if mentions(n.Sub, v) || mentions(n.Sup, v) {
		return g.fail("an integral whose bounds hold its variable")
	}
	if r := g.bound(v.Name); r != nil {
		return g.fail("an integral over the index %s", v.Name)
	}
	// the bounds are numbers: a symbol alone in a bound is a scalar
	for _, b := range []*texmath.Node{n.Sub, n.Sup} {
		if b.Kind == texmath.Sym {
			g.cellScalars[symName(b, nil, false)] = true
		}
	}
	lo, hi := g.expr(n.Sub), g.expr(n.Sup)
	name := "_" + symName(v, nil, false)
	key := texmath.Format(v)
	if g.dummy == nil {
		g.dummy = map[string]string{}
	}
	old, had := g.dummy[key]
	g.dummy[key] = name
	b := g.expr(body)
	if had {
		g.dummy[key] = old
	} else {
		delete(g.dummy, key)
	}
	if g.reason != "" {
		return b
	}
	return val{code: "_integrate(lambda " + name + ": " + b.code + ", " + lo.code + ", " + hi.code + ")", t: tTensor, atom: true}
}

func greekUpperOrBold(v *texmath.Node) bool {
	return v.Font == "mathbf" || v.Font == "boldsymbol" || v.Font == "bm" || v.Font == "mathcal"
}
