package oracle

import (
	"fmt"
	"slices"
	"strconv"
	"strings"

	"github.com/reprohq/repro/internal/texmath"
)

// typ is what the generator knows of a value's shape, for choosing between
// a matrix product and an elementwise one.
type typ uint8

const (
	tScalar typ = iota // a number
	tInt               // a Python int: a loop index, a size
	tVector            // a vector (bold lower-case, stated)
	tMatrix            // a matrix (upper-case, bold upper-case, stated)
	tRow               // a transposed vector: x^T
	tTensor            // an array of unknown rank (plain lower-case, call results)
)

func nonScalar(t typ) bool { return t == tVector || t == tMatrix || t == tRow || t == tTensor }
func matrixish(t typ) bool { return t == tMatrix || t == tRow }

// wider is the type of an elementwise combination.
func wider(a, b typ) typ {
	for _, t := range []typ{tMatrix, tRow, tTensor, tVector, tScalar} {
		if a == t || b == t {
			return t
		}
	}
	return tInt
}

type val struct {
	code string
	t    typ
	atom bool // needs no parentheses
}

func paren(v val) string {
	if v.atom {
		return v.code
	}
	return "(" + v.code + ")"
}

// param is one parameter being collected.
type param struct {
	name, symbol, kind string
	dims               []*rangeInfo // the index ranges of an indexed array
	dimOff             []int        // per dim: extra length for offsets (max-min)
	shape              []string     // stated dimension names
	order              int
	bare               bool // used without an index
}

// rangeInfo is one bound index of a sum, product, max or min.
type rangeInfo struct {
	sym     string // the index's identifier in the equation (i)
	py      string // the loop variable
	lower   string // Python code of the lower bound
	size    int    // example length of the range
	offsets map[string][2]int
	pos     map[string]int // the axis of each array the index selects
	arrays  []string       // arrays indexed by it, in the order met
}

type gen struct {
	syms    *Symbols
	lhs     *texmath.Node
	tree    *texmath.Node
	reason  string
	params  map[string]*param
	order   []string
	ranges  []*rangeInfo
	locals  []string
	derived map[string]bool // sizes computed from array lengths
	intSyms map[string]bool // symbols used as bounds
	dims    map[string]int  // example values of stated dimensions
	arity   map[string]int  // function parameters: their number of arguments
	// cellScalars are the symbols written in matrix cells: numbers
	cellScalars map[string]bool
	free        map[string]bool // the defined symbol's elementwise indices
	// subst holds values already translated, standing in for nodes (the
	// derivative in a \frac{d}{dx} f(x) product)
	subst map[*texmath.Node]val
	// dummy maps the integration variables in scope (as LaTeX) to their
	// Python names
	dummy   map[string]string
	inDeriv bool // translating the body of a derivative
}

func newGen(syms *Symbols, lhs, tree *texmath.Node) *gen {
	if syms == nil {
		syms = NewSymbols(nil)
	}
	g := &gen{syms: syms, lhs: lhs, tree: tree, params: map[string]*param{},
		derived: map[string]bool{}, intSyms: map[string]bool{}, dims: map[string]int{},
		cellScalars: map[string]bool{}, free: map[string]bool{}}
	return g
}

func (g *gen) fail(format string, args ...any) val {
	if g.reason == "" {
		g.reason = fmt.Sprintf(format, args...)
	}
	return val{code: "None", atom: true}
}

// function translates the right-hand side; the left side's arguments come
// first among the parameters.
func (g *gen) function(rhs *texmath.Node) string {
	g.scanBounds(rhs)
	lhs := g.lhs
	if lhs.Kind == texmath.Pow {
		lhs = lhs.Args[0]
	}
	if lhs.Kind == texmath.Apply {
		for _, a := range lhs.Args[1:] {
			if a.Kind == texmath.Sym {
				g.symbol(a)
			}
		}
	}
	g.freeIndices(lhs)
	v := g.expr(absorbSums(rhs))
	return v.code
}

// absorbSums extends a sum over the terms after it that use its index:
// \sum_i y_i \log y_i + (1-y_i)\log(1-y_i) sums both terms, since i means
// nothing outside the sum.
func absorbSums(n *texmath.Node) *texmath.Node {
	if n == nil {
		return nil
	}
	m := *n
	if len(n.Args) > 0 {
		m.Args = make([]*texmath.Node, len(n.Args))
		for i, a := range n.Args {
			m.Args[i] = absorbSums(a)
		}
	}
	if m.Kind != texmath.Binary || m.Op != "+" && m.Op != "-" {
		return &m
	}
	left, right := m.Args[0], m.Args[1]
	sum := rightmostSum(left)
	if sum == nil || len(sum.Args) == 0 || sum.Args[0] == nil {
		return &m
	}
	idx := sumIndices(sum)
	if len(idx) == 0 || !usesIndex(right, idx) || usesIndexOutside(left, sum, idx) {
		return &m
	}
	body := &texmath.Node{Kind: texmath.Binary, Op: m.Op, Pos: sum.Args[0].Pos, End: right.End, Args: []*texmath.Node{sum.Args[0], right}}
	sum.Args = []*texmath.Node{body}
	return left
}

// rightmostSum finds the sum that ends an expression (\frac{1}{N}\sum_i x_i,
// a + \sum_i x_i, -\sum_i x_i); it is a copy that may be changed.
func rightmostSum(n *texmath.Node) *texmath.Node {
	switch n.Kind {
	case texmath.BigOp:
		if n.Name == "sum" {
			return n
		}
	case texmath.Juxt, texmath.Binary:
		if n.Kind == texmath.Binary && n.Op != "+" && n.Op != "-" && n.Op != "cdot" {
			return nil
		}
		last := len(n.Args) - 1
		if n.Args[last].Kind == texmath.BigOp && n.Args[last].Name == "sum" {
			c := *n.Args[last]
			n.Args[last] = &c
			return &c
		}
		return rightmostSum(n.Args[last])
	case texmath.Unary:
		if n.Op == "-" || n.Op == "+" {
			if n.Args[0].Kind == texmath.BigOp && n.Args[0].Name == "sum" {
				c := *n.Args[0]
				n.Args[0] = &c
				return &c
			}
			return rightmostSum(n.Args[0])
		}
	}
	return nil
}

func sumIndices(sum *texmath.Node) map[string]bool {
	out := map[string]bool{}
	if sum.Sub == nil {
		return out
	}
	var g gen
	if idxs, ok := g.parseIndices(sum.Sub); ok {
		for _, ix := range idxs {
			out[ix.sym.Name] = true
		}
	}
	return out
}

// usesIndex reports whether an expression mentions one of the indices, alone
// or in a subscript.
func usesIndex(n *texmath.Node, idx map[string]bool) bool {
	found := false
	texmath.Walk(n, func(m *texmath.Node) bool {
		if isPlainSym(m) && idx[m.Name] {
			found = true
		}
		if m.Kind == texmath.BigOp && m.Sub != nil {
			for k := range sumIndices(m) {
				if idx[k] {
					return false // bound again inside
				}
			}
		}
		return !found
	})
	return found
}

// usesIndexOutside reports whether the index is used in left outside the sum.
func usesIndexOutside(left, sum *texmath.Node, idx map[string]bool) bool {
	found := false
	texmath.Walk(left, func(m *texmath.Node) bool {
		if m == sum {
			return false
		}
		if isPlainSym(m) && idx[m.Name] {
			found = true
		}
		return !found
	})
	return found
}

// scanBounds marks the symbols used in sum bounds as integers.
func (g *gen) scanBounds(n *texmath.Node) {
	texmath.Walk(n, func(m *texmath.Node) bool {
		if m.Kind == texmath.BigOp && m.Sup != nil {
			texmath.Walk(m.Sup, func(s *texmath.Node) bool {
				if s.Kind == texmath.Sym {
					g.intSyms[symbolName(s)] = true
					if s.Sub != nil && isPlainSym(s.Sub) {
						g.intSyms[ident(baseName(s))] = true // N_k: an array of sizes
					}
				}
				return true
			})
		}
		return true
	})
}

func (g *gen) expr(n *texmath.Node) val {
	if g.reason != "" {
		return val{code: "None", atom: true}
	}
	if v, ok := g.subst[n]; ok {
		return v
	}
	if m, ok := g.scriptOnProduct(n); ok {
		return g.expr(m)
	}
	switch n.Kind {
	case texmath.Num:
		return val{code: n.Text, t: tScalar, atom: true}
	case texmath.Sym:
		return g.symbol(n)
	case texmath.Binary:
		return g.binary(n)
	case texmath.Juxt:
		if v, ok := g.juxtDerivative(n); ok {
			return v
		}
		return g.juxt(n.Args[0], n.Args[1])
	case texmath.Unary:
		switch n.Op {
		case "-":
			v := g.expr(n.Args[0])
			return val{code: "-" + paren(v), t: v.t}
		case "+":
			return g.expr(n.Args[0])
		case "nabla":
			if v, ok := derivVar(n.Sub); ok && n.Sup == nil {
				return g.derivative(v, n.Args[0])
			}
			if n.Sub == nil {
				return g.fail("a gradient ∇ without its variable")
			}
			return g.fail("a gradient ∇ in %s (not one symbol) or a higher derivative", texmath.Format(n.Sub))
		case "partial":
			return g.fail("a partial derivative ∂")
		case "pm", "mp":
			return g.fail("a ± (two values)")
		}
		return g.fail("a logical operator (%s)", n.Op)
	case texmath.Frac:
		if v, body, ok := fracDerivative(n); ok {
			if body == nil {
				return g.fail("a derivative operator without an operand")
			}
			return g.derivative(v, body)
		}
		if isPartial(n.Args[0]) || isPartial(n.Args[1]) || isDiff(n.Args[1]) {
			return g.fail("a derivative (higher or not in one symbol)")
		}
		a, b := g.expr(n.Args[0]), g.expr(n.Args[1])
		return val{code: paren(a) + " / " + paren(b), t: wider(a.t, b.t)}
	case texmath.Sqrt:
		a := g.expr(n.Args[0])
		if n.Sup != nil {
			k := g.expr(n.Sup)
			return val{code: paren(a) + " ** (1.0 / " + paren(k) + ")", t: a.t}
		}
		return val{code: "np.sqrt(" + a.code + ")", t: a.t, atom: true}
	case texmath.Pow:
		return g.pow(n)
	case texmath.Transpose:
		a := g.expr(n.Args[0])
		t := tRow
		if a.t == tMatrix {
			t = tMatrix
		}
		return val{code: "_T(" + a.code + ")", t: t, atom: true}
	case texmath.Apply:
		return g.apply(n)
	case texmath.Func:
		return g.fn(n)
	case texmath.BigOp:
		return g.bigop(n)
	case texmath.Bracket:
		return g.bracket(n)
	case texmath.Abs:
		if isSetLike(n.Args[0]) {
			return g.fail("the size |·| of a set")
		}
		if a := n.Args[0]; a.Kind == texmath.Binary && (a.Op == "-" || a.Op == "setminus") && isSetLike(a.Args[0]) && isSetLike(a.Args[1]) {
			// |S_1 - S_2|: the size of a set difference
			return g.fail("the size |·| of a set")
		}
		a := g.expr(n.Args[0])
		return val{code: "np.abs(" + a.code + ")", t: a.t, atom: true}
	case texmath.Norm:
		a := g.expr(n.Args[0])
		return val{code: "_norm(" + a.code + ")", t: tScalar, atom: true}
	case texmath.Index:
		return g.index(n)
	case texmath.Cases:
		return g.cases(n)
	case texmath.Matrix:
		return g.matrix(n)
	case texmath.Postfix:
		if n.Op == "!" {
			a := g.expr(n.Args[0])
			return val{code: "_factorial(" + a.code + ")", t: a.t, atom: true}
		}
		return g.fail("a derivative (prime)")
	case texmath.Binom:
		a, b := g.expr(n.Args[0]), g.expr(n.Args[1])
		return val{code: "_binom(" + a.code + ", " + b.code + ")", t: wider(a.t, b.t), atom: true}
	case texmath.Deriv:
		if len(n.Args) != 2 || n.Text != "" {
			return g.fail("a derivative (higher, mixed or not in one symbol)")
		}
		if v, ok := derivVar(n.Args[1]); ok {
			if n.Args[0].Kind == texmath.Empty {
				return g.fail("a derivative operator without an operand")
			}
			return g.derivative(v, n.Args[0])
		}
		return g.fail("a derivative (higher, mixed or not in one symbol)")
	case texmath.Accent:
		return g.fail("an accent over an expression (\\%s)", n.Name)
	case texmath.Ellipsis:
		return g.fail("an ellipsis (…)")
	case texmath.Text:
		return g.fail("words inside the formula")
	case texmath.Unknown:
		return g.fail("a part that did not parse")
	case texmath.Empty:
		return g.fail("a missing operand")
	case texmath.Rel:
		return g.fail("a relation inside an expression")
	case texmath.Set:
		return g.fail("a set")
	case texmath.Seq, texmath.List:
		return g.fail("a list of expressions")
	}
	return g.fail("an unsupported construct (%s)", n.Kind)
}

// isSetLike reports whether |n| would be the size of a set: a calligraphic
// or a plain upper-case symbol.
func isSetLike(n *texmath.Node) bool {
	return n.Kind == texmath.Sym && (n.Font == "mathcal" || isUpper(n.Name) && n.Font == "")
}

func isPartial(n *texmath.Node) bool {
	found := false
	texmath.Walk(n, func(m *texmath.Node) bool {
		if m.Kind == texmath.Unary && (m.Op == "partial" || m.Op == "nabla") || m.Kind == texmath.Sym && m.Name == "partial" {
			found = true
		}
		return !found
	})
	return found
}

// isDiff reports whether a denominator is a differential: dt, \mathrm{d}x.
func isDiff(n *texmath.Node) bool {
	if n.Kind == texmath.Juxt {
		a := n.Args[0]
		return a.Kind == texmath.Sym && a.Name == "d" && a.Sub == nil && (a.Font == "mathrm" || a.Font == "") &&
			n.Args[1].Kind == texmath.Sym && len(n.Args[1].Name) >= 1
	}
	return false
}

// --- symbols ----------------------------------------------------------------

// idxRef is a reference to a bound index in a subscript, with an offset
// (x_{t+1} is t with offset 1).
type idxRef struct {
	r     *rangeInfo
	off   int
	extra []term // symbolic offset: \delta_{t+l} with l bound is at l + t
}

func (g *gen) bound(name string) *rangeInfo {
	for i := len(g.ranges) - 1; i >= 0; i-- {
		if g.ranges[i].sym == name {
			return g.ranges[i]
		}
	}
	return nil
}

// splitSub splits a subscript into the parts that name the symbol and the
// bound indices that select an element: with i bound, z_{t,i} is z_t at i.
func (g *gen) splitSub(sub *texmath.Node, bound func(string) *rangeInfo) (names []*texmath.Node, refs []idxRef) {
	var parts []*texmath.Node
	whole := true // parts that are a whole subscript or a list item
	switch sub.Kind {
	case texmath.List:
		parts = sub.Args
	case texmath.Juxt:
		parts = flattenJuxt(sub)
		whole = false
	default:
		parts = []*texmath.Node{sub}
	}
	for _, p := range parts {
		if r, off, extra, ok := g.indexExpr(p, bound); ok {
			refs = append(refs, idxRef{r, off, extra})
			continue
		}
		if whole && isPlainSym(p) && g.free[p.Name] {
			continue // y_i = f(x_i): elementwise over i
		}
		names = append(names, p)
	}
	if len(refs) == 0 && sub.Kind == texmath.Juxt {
		// W_{xi}: one name part, xi
		return []*texmath.Node{sub}, nil
	}
	return names, refs
}

func flattenJuxt(n *texmath.Node) []*texmath.Node {
	if n.Kind == texmath.Juxt {
		return append(flattenJuxt(n.Args[0]), flattenJuxt(n.Args[1])...)
	}
	return []*texmath.Node{n}
}

// indexPart recognises i, i+1, t-1, t+k+1 with one index bound (k) and the
// other terms integers or free symbols (t, a symbolic offset).
func (g *gen) indexPart(p *texmath.Node, bound func(string) *rangeInfo) (*rangeInfo, int, bool) {
	r, off, _, ok := g.indexExpr(p, bound)
	return r, off, ok
}

// term is one term of a subscript sum.
type term struct {
	neg bool
	n   *texmath.Node
}

// indexExpr splits i + c + t into the bound index i, the constant c and
// the symbolic terms (t).
func (g *gen) indexExpr(p *texmath.Node, bound func(string) *rangeInfo) (*rangeInfo, int, []term, bool) {
	var terms []term
	var flatten func(n *texmath.Node, neg bool) bool
	flatten = func(n *texmath.Node, neg bool) bool {
		switch {
		case n.Kind == texmath.Binary && (n.Op == "+" || n.Op == "-"):
			return flatten(n.Args[0], neg) && flatten(n.Args[1], neg != (n.Op == "-"))
		case n.Kind == texmath.Num || isPlainSym(n):
			terms = append(terms, term{neg, n})
			return true
		}
		return false
	}
	if !flatten(p, false) {
		return nil, 0, nil, false
	}
	var r *rangeInfo
	off := 0
	var rest []term
	for _, t := range terms {
		if t.n.Kind == texmath.Num {
			k, err := strconv.Atoi(t.n.Text)
			if err != nil {
				return nil, 0, nil, false
			}
			if t.neg {
				k = -k
			}
			off += k
			continue
		}
		if ri := bound(t.n.Name); ri != nil {
			if r != nil || t.neg {
				return nil, 0, nil, false // i + j, or -i
			}
			r = ri
			continue
		}
		rest = append(rest, t)
	}
	if r == nil {
		return nil, 0, nil, false
	}
	return r, off, rest, true
}

func isPlainSym(n *texmath.Node) bool {
	return n.Kind == texmath.Sym && n.Sub == nil && n.Sup == nil && len(n.Accents) == 0 && n.Primes == 0 &&
		(n.Font == "" || n.Font == "mathrm")
}

// symName is the identifier of a symbol whose subscript parts names are
// the given ones.
func symName(n *texmath.Node, names []*texmath.Node, dropSup bool) string {
	m := *n
	if dropSup {
		m.Sup = nil
	}
	s := baseName(&m)
	for _, p := range names {
		s += "_" + subName(p)
	}
	return ident(s)
}

// symKind decides what a symbol is: the symbol table first, then the
// conventions (bold lower-case vector, upper-case matrix, Greek lower-case
// scalar, sum bounds int).
func (g *gen) symKind(n *texmath.Node, name string) string {
	// a function the paper defines, t(i) = i/T, may also be written as a
	// value, t: only a stated function is never a value
	if e, ok := g.syms.Lookup(name); ok && !(e.Kind == KindFunction && e.Source == "equation") && (e.Font == "" || e.Font == n.Font) {
		return e.Kind
	}
	if e, ok := g.syms.lookupSym(n); ok && !(e.Kind == KindFunction && e.Source == "equation") {
		return e.Kind
	}
	if g.intSyms[name] {
		return KindInt
	}
	base := strings.TrimPrefix(n.Name, "Delta_") // \Delta A is of A's kind
	if g.cellScalars[name] && !isUpper(base) && n.Font != "mathbf" {
		return KindScalar
	}
	switch {
	case n.Font == "mathbf":
		if isUpper(base) {
			return KindMatrix
		}
		return KindVector
	case n.Font == "mathcal" || n.Font == "mathscr" || n.Font == "mathfrak":
		return KindTensor
	case isUpper(base) && (n.Font == "" || n.Font == "mathsf"):
		return KindMatrix
	case greekLower[base]:
		return KindScalar
	}
	return KindTensor
}

var greekLower = map[string]bool{
	"alpha": true, "beta": true, "gamma": true, "delta": true, "epsilon": true, "varepsilon": true,
	"zeta": true, "eta": true, "theta": true, "vartheta": true, "iota": true, "kappa": true,
	"lambda": true, "mu": true, "nu": true, "xi": true, "pi": true, "rho": true, "sigma": true,
	"tau": true, "upsilon": true, "phi": true, "varphi": true, "chi": true, "psi": true,
	"omega": true, "ell": true, "varrho": true, "varsigma": true, "varpi": true, "varkappa": true,
}

func kindTyp(kind string) typ {
	switch kind {
	case KindScalar:
		return tScalar
	case KindVector:
		return tVector
	case KindMatrix:
		return tMatrix
	case KindInt, KindIndex:
		return tInt
	}
	return tTensor
}

// symbol translates a symbol: a loop index, a constant, or a parameter
// (indexed when its subscript holds bound indices).
func (g *gen) symbol(n *texmath.Node) val {
	if d := g.dummy[texmath.Format(n)]; d != "" && isPlainSym(n) {
		return val{code: d, t: tScalar, atom: true}
	}
	if isPlainSym(n) {
		if r := g.bound(n.Name); r != nil {
			return val{code: r.py, t: tInt, atom: true}
		}
	}
	if c, ok := g.constant(n); ok {
		return c
	}
	if isIndicator(n) && n.Sub != nil {
		cond := n.Sub
		if cond.Kind == texmath.Set && len(cond.Args) == 1 {
			cond = cond.Args[0]
		}
		if cond.Kind == texmath.Rel {
			return val{code: "np.where(" + g.condition(cond) + ", 1.0, 0.0)", t: tTensor, atom: true}
		}
	}
	if v, ok := g.special(n); ok {
		return v
	}
	if !isNameLike(n.Name) {
		return g.fail("the symbol %s", texmath.Format(n))
	}
	if n.Font == "mathbb" && strings.Contains("RNZCQ", n.Name) && len(n.Name) == 1 {
		return g.fail("a set (%s)", texmath.Format(n))
	}
	var names []*texmath.Node
	var refs []idxRef
	if n.Sub != nil {
		names, refs = g.splitSub(n.Sub, g.bound)
	}
	dropSup := false
	if sup := supIndex(n); sup != nil {
		if r, off, ok := g.indexPart(sup, g.bound); ok {
			refs = append(refs, idxRef{r, off, nil})
			dropSup = true
		}
	}
	for _, part := range names {
		if g.dependsOnBound(part) {
			return g.fail("a subscript that depends on an index in a way that cannot be indexed (%s)", texmath.Format(n))
		}
	}
	name := symName(n, names, dropSup)
	kind := g.symKind(n, name)
	if kind == KindFunction {
		return g.fail("the function %s used as a value", texmath.Format(n))
	}
	p := g.addParam(name, texmath.Format(n), kind)
	if p == nil {
		return val{code: "None", atom: true}
	}
	code := name
	if p.kind == KindInt {
		// a size used both alone and indexed (N and N_k) is two things
		if len(refs) > 0 && p.bare || len(refs) == 0 && len(p.dims) > 0 {
			return g.fail("%s is both a size and an array of sizes", name)
		}
	}
	if len(refs) == 0 {
		p.bare = true
	}
	if len(refs) > 0 {
		if len(p.dims) == 0 {
			for _, r := range refs {
				p.dims = append(p.dims, r.r)
				p.dimOff = append(p.dimOff, extraLength(r.r, name))
			}
		} else if len(p.dims) != len(refs) {
			return g.fail("the array %s indexed in two ways", name)
		}
		for _, r := range refs {
			origin := g.origin(r.r, name)
			code = "_at(" + code + ", " + indexCode(r.r.py, r.off, origin) + g.extraCode(r.extra) + ")"
		}
	}
	if g.derived[name] {
		return val{code: name, t: tInt, atom: true}
	}
	t := kindTyp(kind)
	if len(refs) > 0 && (t == tVector || t == tTensor) && (len(names) > 0 || t == tTensor) {
		// z_{s,i} is a component of z_s; x_n alone, bold, is the n-th vector
		t = tScalar
	}
	return val{code: code, t: t, atom: true}
}

// origin is the index value at position 0 of an array indexed in a range:
// the lower bound plus the smallest offset used.
func (g *gen) origin(r *rangeInfo, array string) string {
	if v, ok := originValue(r, array); ok {
		return strconv.Itoa(v)
	}
	off := r.offsets[array]
	return addInt(r.lower, off[0])
}

// originValue is the index of an array's first element: an array holds a
// sequence numbered from 1 (\sum_{t=2}^T x_t - x_{t-1} reads x_1 ... x_T;
// \sum_{t=1}^T r_{t+1} reads r_1 ... r_{T+1}), or from the smallest index
// used when that is 0 or less (\sum_{k=0}^{K-1} \theta_k reads \theta_0
// ...). ok is false when the lower bound is symbolic: then the array starts
// at the smallest index used.
func originValue(r *rangeInfo, array string) (int, bool) {
	v, err := strconv.Atoi(r.lower)
	if err != nil {
		return 0, false
	}
	return min(1, v+r.offsets[array][0]), true
}

// extraLength is how many elements an array indexed by a range needs
// beyond the range's length: the offsets above and the elements before the
// lower bound.
func extraLength(r *rangeInfo, array string) int {
	off := r.offsets[array]
	if o, ok := originValue(r, array); ok {
		v, _ := strconv.Atoi(r.lower)
		return v - o + off[1]
	}
	return off[1] - off[0]
}

// indexCode is the position of index+off in an array whose first element
// has index origin.
func indexCode(py string, off int, origin string) string {
	if o, err := strconv.Atoi(origin); err == nil {
		return addInt(py, off-o) // i + 1 - 1 is i
	}
	return addInt(py, off) + " - (" + origin + ")"
}

// addInt adds a constant to Python integer code, folding a constant the
// code already ends with (len(x) - 1 + 1 is len(x)).
func addInt(code string, k int) string {
	if k == 0 {
		return code
	}
	if v, err := strconv.Atoi(code); err == nil {
		return strconv.Itoa(v + k)
	}
	for _, op := range []string{" + ", " - "} {
		i := strings.LastIndex(code, op)
		if i < 0 {
			continue
		}
		if v, err := strconv.Atoi(code[i+3:]); err == nil && !strings.ContainsAny(code[i+3:], " ()") {
			if op == " - " {
				v = -v
			}
			return addInt(code[:i], v+k)
		}
	}
	if k > 0 {
		return fmt.Sprintf("%s + %d", code, k)
	}
	return fmt.Sprintf("%s - %d", code, -k)
}

// constant translates \pi, e, \infty.
func (g *gen) constant(n *texmath.Node) (val, bool) {
	if n.Sub != nil || n.Sup != nil || len(n.Accents) > 0 || n.Primes > 0 {
		return val{}, false
	}
	if _, ok := g.syms.Lookup(n.Name); ok {
		return val{}, false
	}
	switch {
	case n.Name == "pi" && n.Font == "":
		return val{code: "np.pi", t: tScalar, atom: true}, true
	case n.Name == "infty":
		return val{code: "np.inf", t: tScalar, atom: true}, true
	case n.Name == "e" && n.Font == "mathrm":
		return val{code: "np.e", t: tScalar, atom: true}, true
	}
	return val{}, false
}

func (g *gen) addParam(name, symbol, kind string) *param {
	if g.derived[name] {
		return &param{name: name, kind: KindInt}
	}
	if p, ok := g.params[name]; ok {
		if p.kind == KindFunction && kind != KindFunction || p.kind != KindFunction && kind == KindFunction {
			g.fail("%s is both a function and a value", symbol)
			return nil
		}
		return p
	}
	p := &param{name: name, symbol: symbol, kind: kind, order: len(g.order)}
	if e, ok := g.syms.Lookup(name); ok {
		p.shape = e.Shape
	}
	g.params[name] = p
	g.order = append(g.order, name)
	return p
}

// --- operators ----------------------------------------------------------------

func (g *gen) binary(n *texmath.Node) val {
	switch n.Op {
	case "+", "-":
		a, b := g.expr(n.Args[0]), g.expr(n.Args[1])
		rhs := b.code
		if n.Op == "-" || !b.atom && strings.HasPrefix(b.code, "-") {
			rhs = paren(b)
		}
		t := wider(a.t, b.t)
		if a.t == tInt && b.t == tInt {
			t = tInt
		}
		return val{code: a.code + " " + n.Op + " " + rhs, t: t}
	case "/":
		a, b := g.expr(n.Args[0]), g.expr(n.Args[1])
		return val{code: paren(a) + " / " + paren(b), t: wider(a.t, b.t)}
	case "odot":
		a, b := g.expr(n.Args[0]), g.expr(n.Args[1])
		return val{code: paren(a) + " * " + paren(b), t: wider(a.t, b.t)}
	case "cdot":
		a, b := g.expr(n.Args[0]), g.expr(n.Args[1])
		if (a.t == tVector || a.t == tRow) && b.t == tVector {
			return val{code: "_inner(" + a.code + ", " + b.code + ")", t: tScalar, atom: true}
		}
		return val{code: paren(a) + " * " + paren(b), t: wider(a.t, b.t)}
	case "times":
		a, b := g.expr(n.Args[0]), g.expr(n.Args[1])
		if matrixish(a.t) && matrixish(b.t) {
			return val{code: "_mm(" + a.code + ", " + b.code + ")", t: tMatrix, atom: true}
		}
		return val{code: paren(a) + " * " + paren(b), t: wider(a.t, b.t)}
	case "otimes":
		a, b := g.expr(n.Args[0]), g.expr(n.Args[1])
		return val{code: "_kron(" + a.code + ", " + b.code + ")", t: tMatrix, atom: true}
	case "wedge":
		a, b := g.expr(n.Args[0]), g.expr(n.Args[1])
		return val{code: "np.minimum(" + a.code + ", " + b.code + ")", t: wider(a.t, b.t), atom: true}
	case "vee":
		a, b := g.expr(n.Args[0]), g.expr(n.Args[1])
		return val{code: "np.maximum(" + a.code + ", " + b.code + ")", t: wider(a.t, b.t), atom: true}
	case "mod":
		a, b := g.expr(n.Args[0]), g.expr(n.Args[1])
		return val{code: "np.mod(" + a.code + ", " + b.code + ")", t: wider(a.t, b.t), atom: true}
	case "ast", "star":
		return g.fail("a convolution (∗)")
	case "circ":
		return g.fail("a composition of functions (∘)")
	case "pm", "mp":
		return g.fail("a ± (two values)")
	case "cup", "cap", "setminus", "oplus", "ominus", "triangle":
		return g.fail("a set operation (%s)", n.Op)
	}
	return g.fail("the operator %s", n.Op)
}

// juxt translates implicit multiplication: a matrix product when a matrix
// (or a transposed vector) meets another array, an outer product for x y^T,
// an elementwise product otherwise.
func (g *gen) juxt(a, b *texmath.Node) val {
	if ind, ok := g.indicator(a, b); ok {
		return ind
	}
	if a.Kind == texmath.Text || b.Kind == texmath.Text {
		return g.fail("words inside the formula")
	}
	if a.Kind == texmath.Sym && a.Name == "E" && (a.Font == "" || a.Font == "mathrm") && len(a.Accents) == 0 &&
		b.Kind == texmath.Bracket && b.Open == "[" {
		// E_\tau[...] written with a plain E is an expectation too
		return g.fail("an expectation 𝔼[·] (a sample mean is not assumed)")
	}
	if merged := deltaName(a, b); merged != nil {
		return g.expr(merged)
	}
	if m, ok := g.scriptOnProduct(b); ok {
		// a W (X V)^\top: the script applies to the bracket only
		b = m
		if b.Kind == texmath.Juxt {
			return g.juxt(&texmath.Node{Kind: texmath.Juxt, Pos: a.Pos, End: b.Args[0].End, Args: []*texmath.Node{a, b.Args[0]}}, b.Args[1])
		}
	}
	va := g.expr(a)
	if b.Kind == texmath.Transpose && nonScalar(va.t) && va.t != tRow {
		vy := g.expr(b.Args[0])
		if nonScalar(vy.t) && vy.t != tMatrix || vy.t == tMatrix && va.t == tMatrix {
			return val{code: "_outer(" + va.code + ", " + vy.code + ")", t: tMatrix, atom: true}
		}
	}
	vb := g.expr(b)
	if (matrixish(va.t) || matrixish(vb.t)) && nonScalar(va.t) && nonScalar(vb.t) {
		return val{code: "_mm(" + va.code + ", " + vb.code + ")", t: mmType(va.t, vb.t), atom: true}
	}
	t := wider(va.t, vb.t)
	if va.t == tInt && vb.t == tInt {
		t = tInt
	}
	return val{code: paren(va) + " * " + paren(vb), t: t}
}

func mmType(a, b typ) typ {
	switch {
	case a == tMatrix && b == tMatrix:
		return tMatrix
	case a == tRow && b == tMatrix:
		return tRow
	case a == tRow:
		return tScalar
	case a == tMatrix:
		return tVector
	case b == tMatrix:
		return tRow // k(x, X) K^{-1}: a row, so that f(X) after it is a product
	}
	return tTensor
}

// indicator translates \mathbb{1}[x > 0] and \mathbb{1}_{x > 0}.
func (g *gen) indicator(a, b *texmath.Node) (val, bool) {
	if !isIndicator(a) || a.Sub != nil {
		return val{}, false
	}
	var cond *texmath.Node
	switch b.Kind {
	case texmath.Bracket:
		cond = b.Args[0]
	case texmath.Set:
		if len(b.Args) == 1 {
			cond = b.Args[0]
		}
	}
	if cond == nil || cond.Kind != texmath.Rel {
		return val{}, false
	}
	c := g.condition(cond)
	return val{code: "np.where(" + c + ", 1.0, 0.0)", t: tTensor, atom: true}, true
}

func isIndicator(n *texmath.Node) bool {
	return n.Kind == texmath.Sym && (n.Name == "1" || n.Name == "I") && n.Font == "mathbb"
}

// condition translates a comparison chain for np.where.
func (g *gen) condition(n *texmath.Node) string {
	if n.Kind != texmath.Rel {
		g.fail("a condition in words")
		return "None"
	}
	ops := map[string]string{"<": "<", ">": ">", "<=": "<=", ">=": ">=", "=": "==", "!=": "!="}
	var parts []string
	for i, r := range n.Rels {
		op, ok := ops[r]
		if !ok {
			g.fail("the condition %s", r)
			return "None"
		}
		a, b := g.expr(n.Args[i]), g.expr(n.Args[i+1])
		parts = append(parts, "("+paren(a)+" "+op+" "+paren(b)+")")
	}
	return strings.Join(parts, " & ")
}

func (g *gen) pow(n *texmath.Node) val {
	base, exp := n.Args[0], n.Args[1]
	if base.Kind == texmath.Sym && base.Name == "e" && base.Sub == nil && len(base.Accents) == 0 && (base.Font == "" || base.Font == "mathrm") {
		if _, ok := g.syms.Lookup("e"); !ok {
			v := g.expr(exp)
			return val{code: "np.exp(" + v.code + ")", t: v.t, atom: true}
		}
	}
	if base.Kind == texmath.Index && base.Args[0].Kind == texmath.Norm {
		// \|x\|_2^2
		v := g.index(base)
		e := g.expr(exp)
		return val{code: v.code + " ** " + paren(e), t: tScalar}
	}
	b := g.expr(base)
	if isMinusOne(exp) {
		return val{code: "_inv(" + b.code + ")", t: b.t, atom: true}
	}
	e := g.expr(exp)
	return val{code: paren(b) + " ** " + paren(e), t: b.t}
}

func isMinusOne(n *texmath.Node) bool {
	if n.Kind == texmath.Unary && n.Op == "-" && n.Args[0].Kind == texmath.Num && n.Args[0].Text == "1" {
		return true
	}
	return n.Kind == texmath.Num && n.Text == "-1"
}

func (g *gen) bracket(n *texmath.Node) val {
	inner := n.Args[0]
	switch n.Open {
	case "(", "[", "{", ".":
		if n.Open == "(" && n.Close == "]" || n.Open == "[" && n.Close == ")" {
			return g.fail("an interval")
		}
		if inner.Kind == texmath.List || inner.Kind == texmath.Seq {
			return g.fail("a tuple")
		}
		v := g.expr(inner)
		return val{code: "(" + v.code + ")", t: v.t, atom: true}
	case `\langle`:
		if inner.Kind == texmath.Seq && len(inner.Args) == 2 && inner.Seps[0] == "," {
			a, b := g.expr(inner.Args[0]), g.expr(inner.Args[1])
			return val{code: "_inner(" + a.code + ", " + b.code + ")", t: tScalar, atom: true}
		}
		return g.fail("an angle bracket that is not an inner product")
	case `\lceil`:
		v := g.expr(inner)
		return val{code: "np.ceil(" + v.code + ")", t: v.t, atom: true}
	case `\lfloor`:
		v := g.expr(inner)
		return val{code: "np.floor(" + v.code + ")", t: v.t, atom: true}
	}
	return g.fail("the brackets %s%s", n.Open, n.Close)
}

// index translates a subscript on an expression: a norm's order, or an
// element selected by bound indices.
func (g *gen) index(n *texmath.Node) val {
	base, sub := n.Args[0], n.Args[1]
	if base.Kind == texmath.Norm {
		v := g.expr(base.Args[0])
		switch {
		case sub.Kind == texmath.Num && sub.Text == "2", sub.IsSym("F"), sub.Kind == texmath.Empty:
			return val{code: "_norm(" + v.code + ")", t: tScalar, atom: true}
		case sub.Kind == texmath.Num && sub.Text == "1":
			return val{code: "_norm1(" + v.code + ")", t: tScalar, atom: true}
		case sub.IsSym("infty"):
			return val{code: "_norminf(" + v.code + ")", t: tScalar, atom: true}
		}
		w := g.expr(sub)
		if w.t == tMatrix {
			return val{code: "_wnorm(" + v.code + ", " + w.code + ")", t: tScalar, atom: true}
		}
		return g.fail("a norm in a named space (‖·‖_%s)", texmath.Format(sub))
	}
	names, refs := g.splitSub(sub, g.bound)
	if len(refs) == 0 || len(names) > 0 {
		return g.fail("a subscript on an expression")
	}
	v := g.expr(base)
	code := v.code
	for _, r := range refs {
		code = "_at(" + code + ", " + indexCode(r.r.py, r.off, r.r.lower) + ")"
	}
	return val{code: code, t: tTensor, atom: true}
}

func (g *gen) cases(n *texmath.Node) val {
	type branch struct{ cond, value string }
	var branches []branch
	def := ""
	var t typ
	for _, row := range n.Rows {
		if len(row) == 0 {
			continue
		}
		v := g.expr(row[0])
		t = wider(t, v.t)
		var cond *texmath.Node
		if len(row) > 1 {
			cond = row[1]
		}
		c := conditionNode(cond)
		if c == nil {
			if def != "" {
				return g.fail("two default cases")
			}
			def = v.code
			continue
		}
		branches = append(branches, branch{g.condition(c), v.code})
	}
	if g.reason != "" {
		return val{code: "None", atom: true}
	}
	code := def
	if code == "" {
		code = "np.nan"
	}
	for i := len(branches) - 1; i >= 0; i-- {
		code = "np.where(" + branches[i].cond + ", " + branches[i].value + ", " + code + ")"
	}
	return val{code: code, t: t, atom: true}
}

// conditionNode finds the comparison in a cases condition ("if x > 0"); nil
// for "otherwise" and for an empty condition. A condition in words is
// returned as is (and fails).
func conditionNode(c *texmath.Node) *texmath.Node {
	if c == nil {
		return nil
	}
	switch c.Kind {
	case texmath.Empty:
		return nil
	case texmath.Text:
		w := strings.ToLower(strings.Trim(c.Text, " .,;:"))
		if w == "otherwise" || w == "else" || w == "elsewhere" || w == "" {
			return nil
		}
		return c
	case texmath.Seq:
		var last *texmath.Node
		for i, a := range c.Args {
			if a.Kind == texmath.Empty {
				continue
			}
			if i > 0 && (c.Seps[i-1] == "otherwise" || c.Seps[i-1] == "else") && a.Kind != texmath.Rel {
				continue
			}
			last = a
		}
		if last == nil {
			for _, s := range c.Seps {
				if s == "otherwise" || s == "else" {
					return nil
				}
			}
			return c
		}
		return conditionNode(last)
	}
	return c
}

func (g *gen) matrix(n *texmath.Node) val {
	// the symbols written in the cells of a matrix are its entries: numbers,
	// unless they are stated or written as arrays
	for _, row := range n.Rows {
		for _, c := range row {
			texmath.Walk(c, func(m *texmath.Node) bool {
				if m.Kind == texmath.Sym && m.Font == "" {
					g.cellScalars[symbolName(m)] = true
				}
				return m.Kind != texmath.Matrix
			})
		}
	}
	for name := range g.cellScalars {
		if p, ok := g.params[name]; ok && p.kind == KindTensor {
			p.kind = KindScalar
		}
	}
	var rows []string
	scalars, blocks := true, true
	width := -1
	for _, row := range n.Rows {
		var cells []string
		for _, c := range row {
			v := g.expr(c)
			if v.t != tScalar && v.t != tInt {
				scalars = false
			}
			if v.t != tMatrix {
				blocks = false
			}
			cells = append(cells, v.code)
		}
		if width >= 0 && len(cells) != width {
			return g.fail("a matrix with rows of different lengths")
		}
		width = len(cells)
		rows = append(rows, "["+strings.Join(cells, ", ")+"]")
	}
	if len(rows) == 0 {
		return g.fail("an empty matrix")
	}
	if scalars && (width == 1 || len(rows) == 1) {
		// a column or a row of numbers is a vector
		var cells []string
		for _, r := range rows {
			cells = append(cells, strings.Trim(r, "[]"))
		}
		return val{code: "np.array([" + strings.Join(cells, ", ") + "], dtype=float)", t: tVector, atom: true}
	}
	if scalars {
		return val{code: "np.array([" + strings.Join(rows, ", ") + "], dtype=float)", t: tMatrix, atom: true}
	}
	if blocks {
		return val{code: "np.block([" + strings.Join(rows, ", ") + "])", t: tMatrix, atom: true}
	}
	for _, row := range n.Rows {
		for _, c := range row {
			if c.Kind == texmath.Matrix {
				return g.fail("a matrix of mixed blocks")
			}
		}
	}
	// numbers and arrays of numbers: stacked after broadcasting
	t := tMatrix
	if width == 1 || len(rows) == 1 {
		var cells []string
		for _, r := range rows {
			cells = append(cells, strings.Trim(r, "[]"))
		}
		return val{code: "_matrix([" + strings.Join(cells, ", ") + "])", t: tVector, atom: true}
	}
	return val{code: "_matrix([" + strings.Join(rows, ", ") + "])", t: t, atom: true}
}

// --- functions ----------------------------------------------------------------

// builtins maps function names to the Python that computes them; names are
// compared in lower case.
var builtins = map[string]string{
	"softmax": "_softmax", "sigmoid": "_sigmoid", "logistic": "_sigmoid", "relu": "_relu",
	"gelu": "_gelu", "silu": "_silu", "swish": "_silu", "tanh": "np.tanh", "softplus": "_softplus",
	"exp": "np.exp", "log": "np.log", "ln": "np.log", "layernorm": "_layer_norm", "ln_": "_layer_norm",
	"rmsnorm": "_rms_norm", "logsumexp": "_logsumexp", "lse": "_logsumexp", "mean": "np.mean",
	"std": "np.std", "sign": "np.sign", "sgn": "np.sign", "abs": "np.abs", "diag": "np.diag",
	"tr": "_trace", "trace": "_trace", "det": "_det", "erf": "_erf", "norm": "_norm",
	"sg": "_identity", "stopgrad": "_identity", "id": "_identity", "elu": "_elu", "sin": "np.sin",
	"cos": "np.cos", "tan": "np.tan", "sinh": "np.sinh", "cosh": "np.cosh", "arcsin": "np.arcsin",
	"arccos": "np.arccos", "arctan": "np.arctan", "lg": "np.log10", "sqrt": "np.sqrt",
	"clip": "np.clip", "floor": "np.floor", "ceil": "np.ceil", "round": "np.round",
	"logit": "_logit", "coth": "_coth", "expm1": "np.expm1", "log1p": "np.log1p",
	"exp1m": "np.expm1", "softsign": "_softsign",
}

// distributions are names that denote laws, not values.
var distributions = map[string]bool{
	"N": true, "U": true, "GP": true, "Bernoulli": true, "Cat": true, "Categorical": true,
	"Gaussian": true, "Normal": true, "Uniform": true, "Dir": true, "Dirichlet": true,
	"Beta": true, "Bern": true, "Poisson": true, "Multinomial": true, "Laplace": true,
}

func (g *gen) fn(n *texmath.Node) val {
	name := n.Name
	if len(n.Args) == 0 {
		return g.fail("the operator %s without an argument", name)
	}
	switch name {
	case "max", "min":
		var codes []string
		var t typ
		for _, a := range n.Args {
			v := g.expr(a)
			t = wider(t, v.t)
			codes = append(codes, v.code)
		}
		if len(codes) == 1 {
			return val{code: "np." + name + "(" + codes[0] + ")", t: tScalar, atom: true}
		}
		f := "np.maximum"
		if name == "min" {
			f = "np.minimum"
		}
		code := codes[0]
		for _, c := range codes[1:] {
			code = f + "(" + code + ", " + c + ")"
		}
		return val{code: code, t: t, atom: true}
	case "Pr":
		return g.fail("a probability Pr(·)")
	case "log":
		if n.Sub != nil {
			if n.Args[0].Kind == texmath.Rel {
				return g.fail("conditional probability notation p(·|·)")
			}
			v := g.expr(n.Args[0])
			if n.Sub.Kind == texmath.Num && n.Sub.Text == "2" {
				return g.powered(n, val{code: "np.log2(" + v.code + ")", t: v.t, atom: true})
			}
			b := g.expr(n.Sub)
			return g.powered(n, val{code: "np.log(" + v.code + ") / np.log(" + b.code + ")", t: v.t})
		}
	}
	f, ok := builtins[strings.ToLower(name)]
	if !ok {
		return g.fail("the operator %s", name)
	}
	if n.Sup != nil && isMinusOne(n.Sup) {
		switch name {
		case "sin", "cos", "tan":
			f = "np.arc" + name
		default:
			return g.fail("an inverse function")
		}
		n = &texmath.Node{Kind: texmath.Func, Name: name, Args: n.Args}
	}
	if len(n.Args) != 1 && f != "np.clip" {
		return g.fail("%s of %d arguments", name, len(n.Args))
	}
	var codes []string
	var t typ
	for _, a := range n.Args {
		if a.Kind == texmath.Rel {
			return g.fail("conditional probability notation p(·|·)")
		}
		v := g.expr(a)
		t = wider(t, v.t)
		codes = append(codes, v.code)
	}
	switch f {
	case "_det", "_trace", "_norm":
		t = tScalar
	default:
		if t == tMatrix || t == tRow {
			t = tTensor // exp(A) is elementwise: no longer a matrix operand
		}
	}
	return g.powered(n, val{code: f + "(" + strings.Join(codes, ", ") + ")", t: t, atom: true})
}

// powered applies the power of \log^2 x.
func (g *gen) powered(n *texmath.Node, v val) val {
	if n.Sup == nil {
		return v
	}
	e := g.expr(n.Sup)
	return val{code: paren(v) + " ** " + paren(e), t: v.t}
}

// funcWord returns the lower-case name a symbol would have as a builtin.
func funcWord(head *texmath.Node) string {
	if head.Kind != texmath.Sym || len(head.Accents) > 0 || head.Primes > 0 {
		return ""
	}
	if len(head.Name) > 1 && !greekLower[head.Name] && !upperGreek[head.Name] {
		return strings.ToLower(head.Name)
	}
	return ""
}

func (g *gen) apply(n *texmath.Node) val {
	if v, ok := g.primeDerivative(n); ok {
		return v
	}
	head := n.Args[0]
	args := n.Args[1:]
	given := false
	if flat, ok := splitArgs(args); ok {
		given = len(flat) != len(args)
		args = flat
	} else {
		return g.fail("a relation inside the arguments of %s", texmath.Format(head))
	}
	if head.Kind != texmath.Sym {
		switch head.Kind {
		case texmath.Pow:
			return g.fail("an inverse or a power of a function")
		case texmath.Apply:
			return g.fail("a function returned by a function")
		}
		return g.fail("applying %s", texmath.Format(head))
	}
	word := funcWord(head)
	if e, ok := g.syms.lookupSym(head); ok && e.Builtin != "" {
		return g.call(e.Builtin, head, args, false)
	}
	if _, declared := g.syms.lookupSym(head); !declared {
		// the activation and normalisation functions, whatever their font
		if f, ok := builtins[word]; ok && head.Sub == nil {
			return g.call(f, head, args, false)
		}
		if head.Name == "sigma" && head.Sub == nil && head.Sup == nil && head.Font == "" {
			return g.call("_sigmoid", head, args, false)
		}
		if head.Name == "Gamma" && head.Sub == nil && head.Font == "" {
			return g.call("_gamma", head, args, false)
		}
		if (head.Font == "mathcal" || head.Font == "text" || head.Font == "mathrm" || head.Font == "") && distributions[head.Name] && (head.Font != "" || len(head.Name) > 1) {
			return g.fail("a probability distribution (%s), not a value", texmath.Format(head))
		}
		if head.Font == "mathcal" && head.Name == "O" {
			return g.fail("order notation 𝒪(·)")
		}
	}
	if given && head.Kind == texmath.Sym && isBuiltinHead(head) {
		return g.fail("conditional probability notation p(·|·)")
	}
	var lead []val
	if head.Name == "delta" && head.Sub == nil && head.Font == "" && len(head.Accents) == 0 && (given || g.isCall(n)) {
		if _, ok := g.syms.lookupSym(head); !ok {
			return g.fail("a Dirac delta δ(·)")
		}
	}
	if head.Sub != nil && (given || g.isCall(n)) {
		if names, refs := g.splitSub(head.Sub, g.bound); len(refs) > 0 {
			// q_j(z) with j bound: the function q of (j, z)
			m := *head
			m.Sub = nil
			if len(names) > 0 {
				m.Sub = &texmath.Node{Kind: texmath.List, Args: names}
			}
			for _, r := range refs {
				lead = append(lead, val{code: addInt(r.r.py, r.off), t: tInt, atom: true})
			}
			return g.callParam(&m, args, lead)
		}
	}
	if !given && !g.isCall(n) {
		// a(b + c) is a product
		b := &texmath.Node{Kind: texmath.Bracket, Open: "(", Close: ")", Args: []*texmath.Node{args[0]}}
		return g.juxt(head, b)
	}
	return g.callParam(head, args, nil)
}

// callParam calls a function parameter; lead are leading index arguments.
// A function called with different numbers of arguments in one equation
// (p(x) and p(x | z)) is several densities under one name: not executable.
func (g *gen) callParam(head *texmath.Node, args []*texmath.Node, lead []val) val {
	name := symbolName(head)
	arity := len(args) + len(lead)
	if g.arity == nil {
		g.arity = map[string]int{}
	}
	if a, ok := g.arity[name]; ok && a != arity {
		return g.fail("%s called with %d and %d arguments (different densities under one name)", texmath.Format(head), a, arity)
	}
	g.arity[name] = arity
	v := g.call("", head, args, true)
	if len(lead) == 0 || g.reason != "" {
		return v
	}
	codes := make([]string, len(lead))
	for i, l := range lead {
		codes[i] = l.code
	}
	open := strings.Index(v.code, "(")
	sep := ", "
	if strings.HasSuffix(v.code, "()") {
		sep = ""
	}
	v.code = v.code[:open+1] + strings.Join(codes, ", ") + sep + v.code[open+1:]
	return v
}

// splitArgs flattens the arguments of a call: p(x | z) is p(x, z), and
// D(P \| Q) is D(P, Q). ok is false when an argument is another relation.
func splitArgs(args []*texmath.Node) ([]*texmath.Node, bool) {
	var out []*texmath.Node
	for _, a := range args {
		if a.Kind != texmath.Rel {
			out = append(out, a)
			continue
		}
		if len(a.Rels) == 1 && a.Rels[0] == "=" && a.Args[0].Kind == texmath.Sym {
			// q(z | x = \hat x(z)): the argument evaluated at a value
			out = append(out, a.Args[1])
			continue
		}
		var parts []*texmath.Node
		ok := true
		for i, r := range a.Rels {
			if r == "given" || r == "parallel" {
				continue
			}
			if r == "=" && i > 0 && a.Args[i].Kind == texmath.Sym {
				continue // q(z \mid x = v): handled below
			}
			ok = false
		}
		if !ok {
			return nil, false
		}
		for i, b := range a.Args {
			if i > 0 && a.Rels[i-1] == "=" {
				parts[len(parts)-1] = b
				continue
			}
			if b.Kind == texmath.List {
				parts = append(parts, b.Args...)
			} else {
				parts = append(parts, b)
			}
		}
		out = append(out, parts...)
	}
	return out, true
}

// isBuiltinHead reports whether a head names a builtin function (which
// takes no conditioning bar).
func isBuiltinHead(head *texmath.Node) bool {
	_, ok := builtins[funcWord(head)]
	return ok || head.Name == "sigma" && head.Sub == nil && head.Font == ""
}

// call emits a call of a builtin (f) or of a function parameter.
func (g *gen) call(f string, head *texmath.Node, args []*texmath.Node, param bool) val {
	if param {
		name := symbolName(head)
		if g.derived[name] {
			return g.fail("%s is both a size and a function", name)
		}
		p := g.addParam(name, texmath.Format(head), KindFunction)
		if p == nil {
			return val{code: "None", atom: true}
		}
		f = name
	} else if len(args) != 1 && f != "np.clip" {
		return g.fail("%s of %d arguments", texmath.Format(head), len(args))
	}
	var codes []string
	t := tTensor
	for _, a := range args {
		v := g.expr(a)
		if !param {
			t = v.t
			if t == tRow {
				t = tTensor
			}
		}
		codes = append(codes, v.code)
	}
	return val{code: f + "(" + strings.Join(codes, ", ") + ")", t: t, atom: true}
}

// isCall decides between f(x), a call, and a(b + c), a product: a call when
// the symbol is a known or stated function or one the paper defines, when
// there are several arguments, or when the argument is a single symbol or
// number; a product when the symbol is a stated value or the argument is an
// expression.
func (g *gen) isCall(n *texmath.Node) bool {
	head := n.Args[0]
	if g.syms.defined[symbolName(head)] {
		return true
	}
	if e, ok := g.syms.lookupSym(head); ok && e.Source != "equation" {
		return e.Kind == KindFunction
	}
	if g.syms.called[symbolName(head)] {
		return true
	}
	if flat, ok := splitArgs(n.Args[1:]); ok && len(flat) > 1 {
		return true
	}
	if slices.Contains(n.Seps, ";") {
		return true
	}
	if head.Font == "text" || head.Font == "operatorname" || head.Font == "mathrm" && len(head.Name) > 1 {
		return true
	}
	switch a := n.Args[1]; a.Kind {
	case texmath.Sym, texmath.Num:
		return true
	case texmath.Transpose:
		return a.Args[0].Kind == texmath.Sym
	case texmath.Apply:
		return true
	}
	return false
}

// deltaName reads \Delta A as one name, the difference (or increment) A:
// Delta_A, and \Delta J(x) as the function Delta_J.
func deltaName(a, b *texmath.Node) *texmath.Node {
	if !a.IsSym("Delta") || a.Sub != nil || a.Sup != nil || a.Font != "" || a.Primes > 0 {
		return nil
	}
	rename := func(s *texmath.Node) *texmath.Node {
		c := *s
		c.Name = "Delta_" + baseName(s)
		c.Font, c.Accents, c.Primes, c.Sup = "", nil, 0, nil
		if s.Sup != nil {
			c.Name += "_" + markName(s.Sup)
		}
		return &c
	}
	switch {
	case b.Kind == texmath.Sym && isNameLike(b.Name):
		return rename(b)
	case b.Kind == texmath.Apply && b.Args[0].Kind == texmath.Sym:
		c := *b
		c.Args = append([]*texmath.Node{rename(b.Args[0])}, b.Args[1:]...)
		return &c
	}
	return nil
}

// special translates the vectors of ones and zeros, \mathbf{1}_m and
// \mathbf{0}_m, and the identity matrix I_d, whose size is their subscript.
func (g *gen) special(n *texmath.Node) (val, bool) {
	if len(n.Accents) > 0 || n.Primes > 0 || n.Sup != nil {
		return val{}, false
	}
	sizeOf := func() (val, bool) {
		sub := n.Sub
		if sub.Kind == texmath.Num || isPlainSym(sub) && g.bound(sub.Name) == nil {
			if sub.Kind == texmath.Sym {
				g.intSyms[symbolName(sub)] = true
				g.dims[symbolName(sub)] = 3 // a size: the example dimension
			}
			return g.expr(sub), true
		}
		return val{}, false
	}
	switch {
	case (n.Name == "1" || n.Name == "0") && (n.Font == "mathbf" || n.Font == ""):
		if n.Sub == nil {
			if n.Font == "mathbf" {
				g.fail("a vector of %ss of unstated size", n.Name)
				return val{code: "None", atom: true}, true
			}
			return val{}, false
		}
		size, ok := sizeOf()
		if !ok {
			return val{}, false
		}
		f := "np.ones"
		if n.Name == "0" {
			f = "np.zeros"
		}
		return val{code: f + "(int(" + size.code + "))", t: tVector, atom: true}, true
	case n.Name == "I" && (n.Font == "mathbf" || n.Font == "") && n.Sub != nil:
		if _, declared := g.syms.lookupSym(n); declared {
			if e, _ := g.syms.lookupSym(n); e.Kind != KindMatrix {
				return val{}, false
			}
		}
		size, ok := sizeOf()
		if !ok {
			return val{}, false
		}
		return val{code: "np.eye(int(" + size.code + "))", t: tMatrix, atom: true}, true
	}
	return val{}, false
}

// supIndex returns what may index a symbol in its superscript: x^{(i)}, or a
// label R^m (an index when m is bound).
func supIndex(n *texmath.Node) *texmath.Node {
	if n.Sup == nil {
		return nil
	}
	if n.Sup.Kind == texmath.Bracket {
		return n.Sup.Args[0]
	}
	if isPlainSym(n.Sup) {
		return n.Sup
	}
	return nil
}

// extraCode is the Python of a symbolic offset: " + t".
func (g *gen) extraCode(extra []term) string {
	var b strings.Builder
	for _, t := range extra {
		name := symbolName(t.n)
		g.intSyms[name] = true
		v := g.symbol(t.n)
		if t.neg {
			b.WriteString(" - " + v.code)
		} else {
			b.WriteString(" + " + v.code)
		}
	}
	return b.String()
}

// freeIndexLetters are the letters read as an elementwise index when they
// subscript the defined symbol: y_i = f(x_i) is y = f(x).
var freeIndexLetters = map[string]bool{"i": true, "j": true, "k": true, "l": true, "m": true, "n": true}

func (g *gen) freeIndices(lhs *texmath.Node) {
	if lhs.Kind == texmath.Apply {
		lhs = lhs.Args[0]
	}
	if lhs.Kind != texmath.Sym || lhs.Sub == nil {
		return
	}
	parts := []*texmath.Node{lhs.Sub}
	if lhs.Sub.Kind == texmath.List {
		parts = lhs.Sub.Args
	}
	for _, p := range parts {
		if isPlainSym(p) && freeIndexLetters[p.Name] && p.Font == "" {
			g.free[p.Name] = true
		}
	}
}

// scriptOnProduct rewrites a script on an application that is a product:
// \alpha_t (1 - p_t)^\gamma is \alpha_t times (1 - p_t)^\gamma, and
// W (X V)^\top is W times (X V)^\top, while f(x + 1)^2 stays the square of
// a call.
func (g *gen) scriptOnProduct(n *texmath.Node) (*texmath.Node, bool) {
	if n.Kind != texmath.Pow && n.Kind != texmath.Transpose && n.Kind != texmath.Index {
		return nil, false
	}
	a := n.Args[0]
	if a.Kind != texmath.Apply || len(a.Args) != 2 || a.Args[0].Kind != texmath.Sym || g.isCall(a) || g.builtinHead(a.Args[0]) {
		return nil, false
	}
	br := &texmath.Node{Kind: texmath.Bracket, Open: "(", Close: ")", Pos: a.Args[1].Pos, End: a.End, Args: []*texmath.Node{a.Args[1]}}
	scripted := *n
	scripted.Args = append([]*texmath.Node{br}, n.Args[1:]...)
	return &texmath.Node{Kind: texmath.Juxt, Pos: n.Pos, End: n.End, Args: []*texmath.Node{a.Args[0], &scripted}}, true
}

// builtinHead reports whether applying the symbol is a known function
// (softmax, \sigma, \Gamma) whatever its argument.
func (g *gen) builtinHead(head *texmath.Node) bool {
	if e, ok := g.syms.lookupSym(head); ok {
		return e.Kind == KindFunction
	}
	if _, ok := builtins[funcWord(head)]; ok && head.Sub == nil {
		return true
	}
	return head.Sub == nil && head.Sup == nil && head.Font == "" && (head.Name == "sigma" || head.Name == "Gamma")
}
