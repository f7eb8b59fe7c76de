package oracle

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/reprohq/repro/internal/texmath"
)

// defaultRange is the length of an index range in example inputs when the
// equation does not fix it. It equals the example size of every other
// dimension (3), so that an array over an index and a vector broadcast
// together however the paper mixes them.
const defaultRange = 3

func (g *gen) bigop(n *texmath.Node) val {
	switch n.Name {
	case "sum":
		return g.reduce(n, "_sum")
	case "prod":
		return g.reduce(n, "_prod")
	case "max":
		return g.reduce(n, "_max")
	case "min":
		return g.reduce(n, "_min")
	case "argmax":
		return g.reduce(n, "_argmax")
	case "argmin":
		return g.reduce(n, "_argmin")
	case "Ehat":
		// the empirical average over an index: \hat{\mathbb{E}}_t[...]
		return g.reduce(n, "_mean")
	case "E":
		return g.fail("an expectation 𝔼[·] (a sample mean is not assumed)")
	case "V", "Var", "Cov":
		return g.fail("a variance 𝕍[·] over a distribution")
	case "P":
		return g.fail("a probability ℙ(·)")
	case "int", "iint", "iiint", "oint":
		return g.integral(n)
	case "lim", "limsup", "liminf":
		return g.fail("a limit")
	case "sup", "inf":
		return g.fail("a supremum or an infimum over a set")
	case "minimize", "maximize":
		return g.fail("an optimisation problem")
	}
	return g.fail("the operator %s", n.Name)
}

// bound is one index of a reduction with its lower bound.
type boundIdx struct {
	sym   *texmath.Node
	lower *texmath.Node // nil: from 0, the first element
	upper *texmath.Node // from the index set, m \in [M]
}

// indexSet reads the integer ranges [M] and \{1, \dots, N\}: their upper
// bound, nil for other sets.
func indexSet(set *texmath.Node) *texmath.Node {
	switch set.Kind {
	case texmath.Bracket:
		if set.Open == "[" && set.Close == "]" {
			c := set.Args[0]
			if c.Kind == texmath.Sym || c.Kind == texmath.Num {
				return c
			}
		}
	case texmath.Set:
		if len(set.Args) == 3 && set.Args[0].Kind == texmath.Num && set.Args[0].Text == "1" &&
			set.Args[1].Kind == texmath.Ellipsis && (set.Args[2].Kind == texmath.Sym || set.Args[2].Kind == texmath.Num) {
			return set.Args[2]
		}
	}
	return nil
}

// reduce translates \sum_{i=1}^{N} body (and \prod, \max_i, \arg\max_i) into
// a loop over the index, reduced by fn: the arrays indexed by i in the body
// hold one element per value of i, and a bound that is a symbol (N, K-1) is
// taken from their length.
func (g *gen) reduce(n *texmath.Node, fn string) val {
	if len(n.Args) == 0 || n.Args[0] == nil {
		return g.fail("%s without a body", n.Name)
	}
	body := n.Args[0]
	opName := map[string]string{"_sum": "a sum", "_prod": "a product", "_max": "a max", "_min": "a min",
		"_argmax": "an arg max", "_argmin": "an arg min", "_mean": "an empirical average"}[fn]
	if n.Sub == nil {
		return g.fail("%s without an index", opName)
	}
	idxs, ok := g.parseIndices(n.Sub)
	if !ok {
		if fn == "_sum" || fn == "_prod" {
			return g.fail("%s over a set or a condition", opName)
		}
		return g.fail("%s over a set or a continuous variable", opName)
	}
	upper := n.Sup
	if upper == nil && len(idxs) == 1 && idxs[0].upper != nil {
		upper = idxs[0].upper
	}
	if upper != nil && (upper.IsSym("infty") || upper.Kind == texmath.Unary && upper.Args[0].IsSym("infty")) {
		return g.fail("an infinite %s", strings.TrimPrefix(strings.TrimPrefix(opName, "a "), "an "))
	}
	var ranges []*rangeInfo
	var loops []string
	for _, ix := range idxs {
		r := &rangeInfo{sym: ix.sym.Name, offsets: map[string][2]int{}, pos: map[string]int{}, size: defaultRange}
		r.py = g.loopVar(ix.sym.Name)
		for _, o := range ranges {
			if o.py == r.py {
				r.py += "_"
			}
		}
		ranges = append(ranges, r)
	}
	ragged := ""
	if upper != nil && g.dependsOnBound(upper) {
		// \sum_{i=1}^{N_k} inside a sum over k: the bound is the element N_k
		// of an array of sizes
		if upper.Kind != texmath.Sym || upper.Sub == nil {
			return g.fail("%s whose bound depends on an outer index in a way that cannot be indexed", opName)
		}
		names, refs := g.splitSub(upper.Sub, g.bound)
		if len(refs) == 0 || len(names) > 0 {
			return g.fail("%s whose bound depends on an outer index in a way that cannot be indexed", opName)
		}
		g.intSyms[symName(upper, nil, false)] = true
		v := g.symbol(upper)
		if g.reason != "" {
			return val{code: "None", atom: true}
		}
		ragged = "int(" + v.code + ")"
	}
	for i, ix := range idxs {
		r := ranges[i]
		lower := "0"
		lowerVal := 0
		if ix.lower != nil {
			if g.dependsOnBound(ix.lower) {
				return g.fail("%s whose bound depends on an outer index (a ragged range)", opName)
			}
			lc, lv, ok := g.intBound(ix.lower)
			if !ok {
				return g.fail("%s whose lower bound is not an integer", opName)
			}
			lower, lowerVal = lc, lv
		}
		r.lower = lower
		g.scanOffsets(body, r, ranges)
		if len(r.arrays) == 0 && (fn != "_sum" && fn != "_prod") && upper == nil {
			return g.fail("%s over a continuous variable (%s)", opName, ix.sym.Name)
		}
		hi, ok := ragged, true
		if ragged == "" {
			hi, ok = g.upperBound(upper, r, lowerVal, opName)
		}
		if !ok {
			return val{code: "None", atom: true}
		}
		loops = append(loops, fmt.Sprintf("for %s in range(%s, %s)", r.py, lower, addInt(hi, 1)))
	}
	g.ranges = append(g.ranges, ranges...)
	v := g.expr(body)
	g.ranges = g.ranges[:len(g.ranges)-len(ranges)]
	gen := v.code + " " + strings.Join(loops, " ")
	switch fn {
	case "_argmax", "_argmin":
		if len(ranges) != 1 {
			return g.fail("%s over several indices", opName)
		}
		return val{code: fn + "([" + gen + "], " + ranges[0].lower + ")", t: tInt, atom: true}
	}
	return val{code: fn + "(" + gen + ")", t: v.t, atom: true}
}

// loopVar names a loop variable, away from the parameters.
func (g *gen) loopVar(name string) string {
	py := ident(name)
	if _, clash := g.params[py]; clash || g.derived[py] {
		py += "_"
	}
	for _, r := range g.ranges {
		if r.py == py {
			py += "_"
		}
	}
	return py
}

// parseIndices reads i, i=1, n,m=1 under a reduction.
func (g *gen) parseIndices(sub *texmath.Node) ([]boundIdx, bool) {
	var idxs []boundIdx
	add := func(n, lower *texmath.Node) bool {
		if !isPlainSym(n) || len(n.Name) > 2 || !isNameLike(n.Name) {
			return false
		}
		idxs = append(idxs, boundIdx{sym: n, lower: lower})
		return true
	}
	switch sub.Kind {
	case texmath.Sym:
		return idxs, add(sub, nil)
	case texmath.Rel:
		if len(sub.Rels) == 1 && sub.Rels[0] == "in" {
			// m \in [M] and i \in \{1, \dots, N\}: the integers 1..M
			if upper := indexSet(sub.Args[1]); upper != nil && add(sub.Args[0], &texmath.Node{Kind: texmath.Num, Text: "1"}) {
				idxs[len(idxs)-1].upper = upper
				return idxs, true
			}
			return nil, false
		}
		if len(sub.Rels) != 1 || sub.Rels[0] != "=" {
			return nil, false
		}
		lhs := sub.Args[0]
		if lhs.Kind == texmath.List {
			for _, a := range lhs.Args {
				if !add(a, sub.Args[1]) {
					return nil, false
				}
			}
			return idxs, true
		}
		return idxs, add(lhs, sub.Args[1])
	case texmath.List:
		// n, m=1
		var lower *texmath.Node
		last := sub.Args[len(sub.Args)-1]
		if last.Kind == texmath.Rel && len(last.Rels) == 1 && last.Rels[0] == "=" {
			lower = last.Args[1]
		}
		for _, a := range sub.Args {
			if a.Kind == texmath.Rel {
				if len(a.Rels) != 1 || a.Rels[0] != "=" || !add(a.Args[0], a.Args[1]) {
					return nil, false
				}
				continue
			}
			if !add(a, lower) {
				return nil, false
			}
		}
		return idxs, true
	}
	return nil, false
}

// intBound translates a lower bound: a number, a symbol (an int parameter)
// or a symbol plus a number. It returns the code and an example value.
func (g *gen) intBound(n *texmath.Node) (string, int, bool) {
	switch {
	case n.Kind == texmath.Num:
		v, err := strconv.Atoi(n.Text)
		return n.Text, v, err == nil
	case n.Kind == texmath.Unary && n.Op == "-" && n.Args[0].Kind == texmath.Num:
		v, err := strconv.Atoi(n.Args[0].Text)
		return "-" + n.Args[0].Text, -v, err == nil
	case n.Kind == texmath.Sym:
		name := symbolName(n)
		g.intSyms[name] = true
		v := g.symbol(n)
		return v.code, 1, g.reason == ""
	case n.Kind == texmath.Binary && (n.Op == "+" || n.Op == "-") && n.Args[0].Kind == texmath.Sym && n.Args[1].Kind == texmath.Num:
		g.intSyms[symbolName(n.Args[0])] = true
		v := g.symbol(n.Args[0])
		k, err := strconv.Atoi(n.Args[1].Text)
		if err != nil {
			return "", 0, false
		}
		if n.Op == "-" {
			k = -k
		}
		return addInt(v.code, k), 1 + k, g.reason == ""
	}
	return "", 0, false
}

// upperBound translates the upper bound of a range into Python code, taking
// a symbolic size from the length of an array indexed by the range.
func (g *gen) upperBound(upper *texmath.Node, r *rangeInfo, lowerVal int, opName string) (string, bool) {
	fromArray := func() string {
		a := r.arrays[0]
		off := r.offsets[a]
		length := "len(" + a + ")"
		if p := r.pos[a]; p > 0 {
			length = fmt.Sprintf("np.shape(%s)[%d]", a, p)
		}
		// the array holds elements origin .. origin+len-1, and the last one
		// used is upper+max
		origin, ok := originValue(r, a)
		if !ok {
			origin = lowerVal + off[0]
		}
		return addInt(length, origin-1-off[1])
	}
	lowerIsLit := isIntLit(r.lower)
	switch {
	case upper == nil:
		if len(r.arrays) == 0 {
			g.fail("%s without bounds over no array", opName)
			return "", false
		}
		if !lowerIsLit {
			g.fail("%s with a symbolic lower bound and no upper bound", opName)
			return "", false
		}
		return fromArray(), true
	case upper.Kind == texmath.Num:
		v, err := strconv.Atoi(upper.Text)
		if err != nil {
			g.fail("%s with a bound that is not an integer", opName)
			return "", false
		}
		if lowerIsLit {
			r.size = max(1, v-lowerVal+1)
		}
		return upper.Text, true
	}
	// S or S + c
	var s *texmath.Node
	c := 0
	switch {
	case upper.Kind == texmath.Sym:
		s = upper
	case upper.Kind == texmath.Binary && (upper.Op == "+" || upper.Op == "-") && upper.Args[0].Kind == texmath.Sym && upper.Args[1].Kind == texmath.Num:
		s = upper.Args[0]
		k, err := strconv.Atoi(upper.Args[1].Text)
		if err != nil {
			g.fail("%s with a bound that is not an integer", opName)
			return "", false
		}
		c = k
		if upper.Op == "-" {
			c = -k
		}
	}
	if s == nil || !isNameLike(s.Name) {
		calls := false
		texmath.Walk(upper, func(m *texmath.Node) bool {
			if m.Kind == texmath.Apply || m.Kind == texmath.Func || m.Kind == texmath.BigOp {
				calls = true
			}
			return !calls
		})
		if calls {
			g.fail("%s whose bound is computed by a function", opName)
			return "", false
		}
		v := g.expr(upper)
		return "int(" + v.code + ")", g.reason == ""
	}
	name := symbolName(s)
	if g.derived[name] || len(r.arrays) > 0 && lowerIsLit && g.canDerive(name) {
		if !g.derived[name] {
			// S + c = upper, from the array's length
			g.derived[name] = true
			g.locals = append(g.locals, name+" = "+addInt(fromArray(), -c))
			delete(g.params, name)
			g.order = removeString(g.order, name)
		}
		return addInt(name, c), true
	}
	g.intSyms[name] = true
	p := g.addParam(name, texmath.Format(s), KindInt)
	if p == nil {
		return "", false
	}
	return addInt(name, c), true
}

// canDerive reports whether a size symbol may be computed from an array's
// length: not when the paper states it as something else than a size.
func (g *gen) canDerive(name string) bool {
	if e, ok := g.syms.Lookup(name); ok {
		return e.Kind == KindInt
	}
	if p, ok := g.params[name]; ok && p.kind == KindFunction {
		return false
	}
	return true
}

func isIntLit(s string) bool {
	_, err := strconv.Atoi(s)
	return err == nil
}

func removeString(list []string, s string) []string {
	out := list[:0]
	for _, x := range list {
		if x != s {
			out = append(out, x)
		}
	}
	return out
}

// scanOffsets finds, before the body is translated, the arrays indexed by
// the range's index and the smallest and largest offsets they are indexed
// with (x_{t-1} and x_{t+1} give -1 and 1).
func (g *gen) scanOffsets(body *texmath.Node, r *rangeInfo, siblings []*rangeInfo) {
	// the indices bound inside the body (by this reduction and the ones it
	// contains) are indices too, so that \psi_{lk} is \psi at l and k
	inner := map[string]*rangeInfo{}
	for _, s := range siblings {
		inner[s.sym] = s
	}
	bound := func(name string) *rangeInfo {
		if ri, ok := inner[name]; ok {
			return ri
		}
		return g.bound(name)
	}
	record := func(name string, off, pos int) {
		o, ok := r.offsets[name]
		if !ok {
			r.arrays = append(r.arrays, name)
			r.offsets[name] = [2]int{off, off}
			r.pos[name] = pos
			return
		}
		r.offsets[name] = [2]int{min(o[0], off), max(o[1], off)}
	}
	var walk func(n *texmath.Node, head bool)
	walk = func(n *texmath.Node, head bool) {
		if n == nil {
			return
		}
		if n.Kind == texmath.Sym && !head {
			var names []*texmath.Node
			var refs []idxRef
			if n.Sub != nil {
				names, refs = g.splitSub(n.Sub, bound)
			}
			dropSup := false
			if n.Sup != nil && n.Sup.Kind == texmath.Bracket {
				if rr, off, ok := g.indexPart(n.Sup.Args[0], bound); ok {
					refs = append(refs, idxRef{rr, off, nil})
					dropSup = true
				}
			}
			for pos, ref := range refs {
				if ref.r == r {
					record(symName(n, names, dropSup), ref.off, pos)
				}
			}
			return
		}
		if n.Kind == texmath.BigOp && n.Sub != nil {
			// an inner reduction over the same index name hides it; its
			// other indices are bound inside it
			if idxs, ok := g.parseIndices(n.Sub); ok {
				for _, ix := range idxs {
					if ix.sym.Name == r.sym {
						return
					}
				}
				var added []string
				for _, ix := range idxs {
					if _, ok := inner[ix.sym.Name]; !ok {
						inner[ix.sym.Name] = &rangeInfo{sym: ix.sym.Name}
						added = append(added, ix.sym.Name)
					}
				}
				defer func() {
					for _, a := range added {
						delete(inner, a)
					}
				}()
			}
		}
		for i, a := range n.Args {
			walk(a, n.Kind == texmath.Apply && i == 0)
		}
		for _, row := range n.Rows {
			for _, c := range row {
				walk(c, false)
			}
		}
	}
	walk(body, false)
}

// dependsOnBound reports whether a bound uses an index bound outside it
// (\sum_{i=1}^{N_k} inside a sum over k).
func (g *gen) dependsOnBound(n *texmath.Node) bool {
	found := false
	texmath.Walk(n, func(m *texmath.Node) bool {
		if m.Kind == texmath.Sym && m.Sub != nil {
			if _, refs := g.splitSub(m.Sub, g.bound); len(refs) > 0 {
				found = true
			}
		}
		if isPlainSym(m) && g.bound(m.Name) != nil {
			found = true
		}
		return !found
	})
	return found
}
