package oracle

import (
	"fmt"
	"slices"
	"strings"

	"github.com/reprohq/repro/internal/texmath"
)

// paramList returns the parameters in order: the left side's arguments,
// then the symbols as they appear.
func (g *gen) paramList() []Param {
	g.assignDims()
	var out []Param
	for _, name := range g.order {
		p, ok := g.params[name]
		if !ok {
			continue
		}
		out = append(out, Param{Name: p.name, Symbol: p.symbol, Kind: p.kind, Shape: g.shape(p), Example: g.example(p)})
	}
	return out
}

// assignDims gives the stated dimension names their example size. All are
// 3: a paper states some shapes and not others, and one size for every
// dimension keeps the stated and the unstated ones compatible (the curated
// tests, which pass their own inputs, use distinct sizes).
func (g *gen) assignDims() {
	sizes := []int{3}
	next := 0
	for _, name := range g.order {
		p, ok := g.params[name]
		if !ok {
			continue
		}
		for _, d := range p.shape {
			if _, ok := g.dims[d]; ok || isIntLit(d) {
				continue
			}
			g.dims[d] = sizes[next%len(sizes)]
			next++
		}
	}
}

// elemShape is the shape of one element of a parameter.
func (g *gen) elemShape(p *param) []int {
	if len(p.shape) > 0 {
		out := make([]int, len(p.shape))
		for i, d := range p.shape {
			if v, ok := g.dims[d]; ok {
				out[i] = v
			} else {
				fmt.Sscan(d, &out[i])
				if out[i] <= 0 {
					out[i] = 3
				}
			}
		}
		return out
	}
	switch p.kind {
	case KindScalar, KindInt, KindIndex, KindFunction:
		return nil
	case KindMatrix:
		return []int{3, 3}
	case KindTensor:
		if len(p.dims) > 0 {
			return nil // an indexed array of numbers
		}
	}
	return []int{3}
}

func (g *gen) fullShape(p *param) []int {
	var out []int
	for i, r := range p.dims {
		out = append(out, r.size+p.dimOff[i])
	}
	return append(out, g.elemShape(p)...)
}

func tuple(dims []int) string {
	switch len(dims) {
	case 0:
		return "()"
	case 1:
		return fmt.Sprintf("(%d,)", dims[0])
	}
	parts := make([]string, len(dims))
	for i, d := range dims {
		parts[i] = fmt.Sprint(d)
	}
	return "(" + strings.Join(parts, ", ") + ")"
}

func (g *gen) shape(p *param) string {
	switch p.kind {
	case KindFunction, KindIndex:
		return ""
	case KindInt:
		if len(p.dims) == 0 {
			return ""
		}
	}
	return tuple(g.fullShape(p))
}

// example is the Python expression of an example value: positive numbers
// (so that logarithms and roots are defined), well-conditioned symmetric
// positive definite matrices (so that inverses and determinants are), ints
// that fit the index ranges.
func (g *gen) example(p *param) string {
	switch p.kind {
	case KindFunction:
		return "_example_function"
	case KindInt:
		if len(p.dims) > 0 {
			// an array of sizes (N_k): each one the example range length
			full := g.fullShape(p)
			return fmt.Sprintf("np.full(%s, %d)", tuple(full), defaultRange)
		}
		if v, ok := g.dims[p.name]; ok {
			return fmt.Sprint(v)
		}
		return fmt.Sprint(g.intValue(p.name))
	case KindIndex:
		return "1"
	}
	full := g.fullShape(p)
	if len(full) == 0 {
		if v, ok := g.dims[p.name]; ok {
			return fmt.Sprintf("%d.0", v)
		}
		return "float(rng.uniform(0.5, 1.5))"
	}
	elem := g.elemShape(p)
	if p.kind == KindMatrix && len(elem) == 2 && elem[0] == elem[1] {
		if strings.TrimSuffix(p.name, "_") == "I" || strings.HasPrefix(p.name, "I_") {
			return fmt.Sprintf("np.broadcast_to(np.eye(%d), %s).copy()", elem[0], tuple(full))
		}
		return fmt.Sprintf("_rand_spd(rng, %s, %d)", tuple(full[:len(full)-2]), elem[0])
	}
	return fmt.Sprintf("rng.uniform(0.5, 1.5, size=%s)", tuple(full))
}

// intValue is the example value of an int parameter: a range bound gets the
// value that makes its range the example length.
func (g *gen) intValue(name string) int {
	v := 0
	texmath.Walk(g.tree, func(n *texmath.Node) bool {
		if v != 0 || n.Kind != texmath.BigOp || n.Sup == nil {
			return v == 0
		}
		up := n.Sup
		c := 0
		if up.Kind == texmath.Binary && up.Args[1].Kind == texmath.Num && (up.Op == "+" || up.Op == "-") {
			fmt.Sscan(up.Args[1].Text, &c)
			if up.Op == "-" {
				c = -c
			}
			up = up.Args[0]
		}
		if up.Kind == texmath.Sym && symbolName(up) == name {
			lower := 1
			if idxs, ok := g.parseIndices(n.Sub); ok && len(idxs) > 0 && idxs[0].lower != nil && idxs[0].lower.Kind == texmath.Num {
				fmt.Sscan(idxs[0].lower.Text, &lower)
			} else if ok && len(idxs) > 0 && idxs[0].lower == nil {
				lower = 0
			}
			v = lower + defaultRange - 1 - c
			if v < 1 {
				v = 1
			}
		}
		return v == 0
	})
	if v == 0 {
		v = defaultRange
	}
	return v
}

// source is the Python of an executable oracle: the function and its
// inputs function.
func (g *gen) source(o Oracle, code string, rhs *texmath.Node) string {
	var b strings.Builder
	names := make([]string, len(o.Params))
	for i, p := range o.Params {
		names[i] = p.Name
	}
	fmt.Fprintf(&b, "def %s(%s):\n", o.Name, strings.Join(names, ", "))
	num := o.Number
	if num == "" {
		num = "unnumbered"
	} else {
		num = "(" + num + ")"
	}
	fmt.Fprintf(&b, "    r\"\"\"%s %s\n\n", num, docText(oneLine(o.LaTeX)))
	if o.Approximate {
		fmt.Fprintf(&b, "    Computes the approximation %s ≈ %s.\n", docText(o.Defines), docText(texmath.Format(rhs)))
	} else {
		fmt.Fprintf(&b, "    Computes %s = %s.\n", docText(o.Defines), docText(texmath.Format(rhs)))
	}
	if len(o.Params) > 0 {
		b.WriteString("\n    Parameters:\n")
		for _, p := range o.Params {
			shape := ""
			if p.Shape != "" && p.Shape != "()" {
				shape = ", example shape " + p.Shape
			}
			fmt.Fprintf(&b, "        %s: %s (%s%s)\n", p.Name, docText(p.Symbol), p.Kind, shape)
		}
	}
	b.WriteString("    \"\"\"\n")
	for _, l := range g.locals {
		fmt.Fprintf(&b, "    %s\n", l)
	}
	fmt.Fprintf(&b, "    return %s\n\n\n", code)
	fmt.Fprintf(&b, "def %s__inputs(rng):\n", o.Name)
	if len(o.Params) == 0 {
		b.WriteString("    return {}\n")
		return b.String()
	}
	b.WriteString("    return {\n")
	for _, p := range o.Params {
		fmt.Fprintf(&b, "        %q: %s,\n", p.Name, p.Example)
	}
	b.WriteString("    }\n")
	return b.String()
}

func oneLine(s string) string {
	return strings.Join(strings.Fields(s), " ")
}

// docText makes text safe in a raw docstring.
func docText(s string) string {
	s = strings.ReplaceAll(s, `"`, "'")
	for strings.HasSuffix(s, `\`) {
		s = strings.TrimSuffix(s, `\`)
	}
	return s
}

// Module writes a complete Python module: the imports, the helper
// functions, every oracle (functions and comment blocks) and ORACLES, a
// dictionary from each executable oracle's name to its function and its
// inputs function. Names that repeat get a suffix. header, when not empty,
// is written first as comment lines.
func Module(oracles []Oracle, header string) []byte {
	var b strings.Builder
	for _, l := range strings.Split(strings.TrimSpace(header), "\n") {
		if strings.TrimSpace(header) == "" {
			break
		}
		b.WriteString("# " + strings.TrimRight(l, " ") + "\n")
	}
	b.WriteString(`"""NumPy reference oracles generated from the paper's equations by repro.

Each executable equation is a function of its symbols; NAME__inputs(rng)
makes random inputs of compatible shapes for it. Equations that cannot be
executed are comments that say why.
"""

`)
	b.WriteString(prelude)
	seen := map[string]int{}
	var registry []string
	for _, o := range oracles {
		b.WriteString("\n\n")
		if !o.Executable {
			b.WriteString(o.Python)
			continue
		}
		name := o.Name
		py := o.Python
		if k := seen[name]; k > 0 {
			newName := fmt.Sprintf("%s_%d", name, k+1)
			for seen[newName] > 0 {
				k++
				newName = fmt.Sprintf("%s_%d", name, k+1)
			}
			py = strings.ReplaceAll(py, "def "+name+"(", "def "+newName+"(")
			py = strings.ReplaceAll(py, "def "+name+"__inputs(", "def "+newName+"__inputs(")
			name = newName
		}
		seen[o.Name]++
		if name != o.Name {
			seen[name]++
		}
		b.WriteString(py)
		registry = append(registry, name)
	}
	b.WriteString("\n\nORACLES = {\n")
	for _, name := range registry {
		fmt.Fprintf(&b, "    %q: (%s, %s__inputs),\n", name, name, name)
	}
	b.WriteString("}\n")
	b.WriteString(`

if __name__ == "__main__":
    _rng = np.random.default_rng(0)
    for _name, (_fn, _inputs) in ORACLES.items():
        print(_name, np.asarray(_fn(**_inputs(_rng))).shape)
`)
	return []byte(b.String())
}

// Names returns the function names Module gives the executable oracles,
// in order.
func Names(oracles []Oracle) []string {
	seen := map[string]int{}
	var out []string
	for _, o := range oracles {
		if !o.Executable {
			continue
		}
		name := o.Name
		if k := seen[name]; k > 0 {
			newName := fmt.Sprintf("%s_%d", name, k+1)
			for seen[newName] > 0 {
				k++
				newName = fmt.Sprintf("%s_%d", name, k+1)
			}
			name = newName
		}
		seen[o.Name]++
		if name != o.Name {
			seen[name]++
		}
		out = append(out, name)
	}
	return out
}

// Helpers lists the helper functions every module defines.
func Helpers() []string {
	var out []string
	for _, l := range strings.Split(prelude, "\n") {
		if strings.HasPrefix(l, "def ") {
			out = append(out, strings.TrimPrefix(l[:strings.Index(l, "(")], "def "))
		}
	}
	slices.Sort(out)
	return out
}

// prelude holds the imports and the helper functions of a module.
const prelude = `import math

import numpy as np


def _at(a, k):
    """Element k of an array; a negative position is an error, not a wrap."""
    k = int(k)
    if k < 0:
        raise IndexError("index %d before the first element" % k)
    return np.asarray(a)[k]


def _T(a):
    """Transpose: swap the last two axes; a vector is its own transpose."""
    a = np.asarray(a)
    return a if a.ndim < 2 else np.swapaxes(a, -1, -2)


def _mm(a, b):
    """Juxtaposed arrays: the matrix product, or the product with a number."""
    a, b = np.asarray(a), np.asarray(b)
    if a.ndim == 0 or b.ndim == 0:
        return a * b
    return a @ b


def _outer(a, b):
    """a b^T: the outer product of two vectors, a @ b^T otherwise."""
    a, b = np.asarray(a), np.asarray(b)
    if a.ndim == 0 or b.ndim == 0:
        return a * b
    if a.ndim == 1 and b.ndim == 1:
        return np.outer(a, b)
    return a @ _T(b)


def _inner(a, b):
    """The inner product over the last axis."""
    return np.sum(np.asarray(a) * np.asarray(b), axis=-1)


def _kron(a, b):
    """The Kronecker product (the outer product of vectors)."""
    a, b = np.asarray(a), np.asarray(b)
    if a.ndim <= 1 and b.ndim <= 1:
        return np.outer(a, b)
    return np.kron(a, b)


def _inv(a):
    """x^{-1}: the matrix inverse of a matrix, the reciprocal otherwise."""
    a = np.asarray(a, dtype=float)
    return np.linalg.inv(a) if a.ndim >= 2 else 1.0 / a


def _det(a):
    a = np.asarray(a, dtype=float)
    return np.linalg.det(a) if a.ndim >= 2 else a


def _trace(a):
    a = np.asarray(a, dtype=float)
    return np.trace(a, axis1=-2, axis2=-1) if a.ndim >= 2 else a


def _norm(x):
    """The Euclidean (Frobenius) norm of all the elements."""
    return np.sqrt(np.sum(np.abs(np.asarray(x, dtype=float)) ** 2))


def _norm1(x):
    return np.sum(np.abs(np.asarray(x, dtype=float)))


def _norminf(x):
    return np.max(np.abs(np.asarray(x, dtype=float)))


def _wnorm(x, a):
    """The norm of x weighted by a matrix: sqrt(x^T A x)."""
    x = np.asarray(x, dtype=float)
    return np.sqrt(x @ np.asarray(a, dtype=float) @ x)


def _softmax(x, axis=-1):
    x = np.asarray(x, dtype=float)
    z = x - np.max(x, axis=axis, keepdims=True)
    e = np.exp(z)
    return e / np.sum(e, axis=axis, keepdims=True)


def _logsumexp(x, axis=-1):
    x = np.asarray(x, dtype=float)
    m = np.max(x, axis=axis, keepdims=True)
    return np.squeeze(m, axis=axis) + np.log(np.sum(np.exp(x - m), axis=axis))


def _sigmoid(x):
    x = np.asarray(x, dtype=float)
    return np.exp(-np.logaddexp(0.0, -x))


def _relu(x):
    return np.maximum(np.asarray(x, dtype=float), 0.0)


def _erf(x):
    return np.vectorize(math.erf, otypes=[float])(x)


def _gelu(x):
    """The exact GELU, x Phi(x)."""
    x = np.asarray(x, dtype=float)
    return 0.5 * x * (1.0 + _erf(x / math.sqrt(2.0)))


def _silu(x):
    x = np.asarray(x, dtype=float)
    return x * _sigmoid(x)


def _softplus(x):
    return np.logaddexp(0.0, np.asarray(x, dtype=float))


def _elu(x):
    x = np.asarray(x, dtype=float)
    return np.where(x > 0, x, np.expm1(np.minimum(x, 0.0)))


def _softsign(x):
    x = np.asarray(x, dtype=float)
    return x / (1.0 + np.abs(x))


def _logit(p):
    p = np.asarray(p, dtype=float)
    return np.log(p / (1.0 - p))


def _coth(x):
    return 1.0 / np.tanh(x)


def _layer_norm(x, eps=1e-5):
    x = np.asarray(x, dtype=float)
    mu = np.mean(x, axis=-1, keepdims=True)
    var = np.var(x, axis=-1, keepdims=True)
    return (x - mu) / np.sqrt(var + eps)


def _rms_norm(x, eps=1e-8):
    x = np.asarray(x, dtype=float)
    return x / np.sqrt(np.mean(x * x, axis=-1, keepdims=True) + eps)


def _gamma(x):
    return np.vectorize(math.gamma, otypes=[float])(x)


def _factorial(x):
    return _gamma(np.asarray(x, dtype=float) + 1.0)


def _binom(n, k):
    n, k = np.asarray(n, dtype=float), np.asarray(k, dtype=float)
    return _gamma(n + 1.0) / (_gamma(k + 1.0) * _gamma(n - k + 1.0))


def _integrate(fn, a, b, n=2000):
    """The integral of fn from a to b by composite Simpson's rule on n
    (even) intervals, in float64; fn is called at each node, so any
    function parameter works. Array bounds give an array of integrals."""
    a = np.asarray(a, dtype=float)
    b = np.asarray(b, dtype=float)
    if a.ndim or b.ndim:
        a, b = np.broadcast_arrays(a, b)
        parts = [_integrate(fn, ai, bi, n) for ai, bi in zip(a.ravel(), b.ravel())]
        return np.stack(parts).reshape(a.shape + np.shape(parts[0]))
    x = np.linspace(float(a), float(b), n + 1)
    y = np.stack([np.asarray(fn(v), dtype=float) for v in x])
    w = np.ones(n + 1)
    w[1:-1:2] = 4.0
    w[2:-1:2] = 2.0
    return (float(b) - float(a)) / (3.0 * n) * np.tensordot(w, y, axes=(0, 0))


def _matrix(cells):
    """A matrix (or a vector) written cell by cell: the cells are broadcast
    to one shape, which trails the matrix's own axes."""
    flat = []

    def walk(c):
        if isinstance(c, list):
            for x in c:
                walk(x)
        else:
            flat.append(np.asarray(c, dtype=float))

    walk(cells)
    shape = np.broadcast_shapes(*[f.shape for f in flat])
    out = np.array([np.broadcast_to(f, shape) for f in flat])
    if isinstance(cells[0], list):
        out = out.reshape((len(cells), len(cells[0])) + shape)
    return out


def _identity(x):
    return x


def _sum(terms):
    total = 0.0
    for t in terms:
        total = total + t
    return total


def _prod(terms):
    total = 1.0
    for t in terms:
        total = total * t
    return total


def _mean(terms):
    terms = [np.asarray(t, dtype=float) for t in terms]
    if not terms:
        raise ValueError("average over an empty range")
    return _sum(terms) / len(terms)


def _max(terms):
    terms = [np.asarray(t, dtype=float) for t in terms]
    if not terms:
        raise ValueError("max over an empty range")
    out = terms[0]
    for t in terms[1:]:
        out = np.maximum(out, t)
    return out


def _min(terms):
    terms = [np.asarray(t, dtype=float) for t in terms]
    if not terms:
        raise ValueError("min over an empty range")
    out = terms[0]
    for t in terms[1:]:
        out = np.minimum(out, t)
    return out


def _argmax(terms, lower):
    return np.argmax(np.stack([np.asarray(t, dtype=float) for t in terms]), axis=0) + lower


def _argmin(terms, lower):
    return np.argmin(np.stack([np.asarray(t, dtype=float) for t in terms]), axis=0) + lower


def _deriv(fn, x):
    """Central finite differences of fn at x, in float64, with the step
    6e-6 max(1, |x_i|): the derivative for a number x; for an array x, the
    gradient (x's shape) when fn gives a number, the elementwise derivative
    when fn gives x's shape and its Jacobian is diagonal (an elementwise
    function), else the Jacobian with x's axes first."""
    x = np.asarray(x, dtype=float)
    if x.ndim == 0:
        h = 6e-6 * max(1.0, abs(float(x)))
        return (np.asarray(fn(x + h), dtype=float) - np.asarray(fn(x - h), dtype=float)) / (2 * h)
    cols = []
    for i in np.ndindex(x.shape):
        h = 6e-6 * max(1.0, abs(float(x[i])))
        e = np.zeros_like(x)
        e[i] = h
        cols.append((np.asarray(fn(x + e), dtype=float) - np.asarray(fn(x - e), dtype=float)) / (2 * h))
    out = np.stack(cols).reshape(x.shape + cols[0].shape)
    if cols[0].ndim == 0 or cols[0].shape != x.shape:
        return out
    m = out.reshape(x.size, x.size)
    d = np.diag(m)
    if np.allclose(m - np.diag(d), 0.0, atol=1e-7 * max(1.0, float(np.abs(m).max()))):
        return d.reshape(x.shape)
    return out


def _example_function(*args):
    """A smooth stand-in for a function parameter: keeps the first argument's shape."""
    if not args:
        return 0.0
    out = np.tanh(np.asarray(args[0], dtype=float))
    for a in args[1:]:
        out = out + 0.1 * np.mean(np.asarray(a, dtype=float))
    return out


def _rand_spd(rng, lead, n):
    """Random symmetric positive definite n x n matrices (well conditioned)."""
    a = rng.uniform(-0.5, 0.5, size=tuple(lead) + (n, n))
    return a @ np.swapaxes(a, -1, -2) / n + np.eye(n)
`
