package oracle

import (
	"strings"
	"testing"

	"github.com/reprohq/repro/doc"
)

// tr translates one equation with a symbol table built from "where"
// sentences.
func tr(t *testing.T, tex string, where ...string) Oracle {
	t.Helper()
	syms := NewSymbols(nil)
	for _, w := range where {
		syms.AddContext(w)
	}
	eq := Equation{Number: "1", LaTeX: tex}
	syms.Learn([]Equation{eq})
	return Translate(eq, syms)
}

// body is the expression the oracle returns.
func body(o Oracle) string {
	for _, l := range strings.Split(o.Python, "\n") {
		if s := strings.TrimSpace(l); strings.HasPrefix(s, "return ") && !strings.HasPrefix(s, "return {") {
			return strings.TrimPrefix(s, "return ")
		}
	}
	return ""
}

func params(o Oracle) string {
	var out []string
	for _, p := range o.Params {
		out = append(out, p.Name+":"+p.Kind)
	}
	return strings.Join(out, " ")
}

// TestDefinitions pins what defines something: the relation, the chain,
// the statement.
func TestDefinitions(t *testing.T) {
	tests := []struct {
		tex, defines, body string
		identity           bool
	}{
		{`y = a + b`, `y`, `a + b`, false},
		{`a := b`, `a`, `b`, false},
		{`a \triangleq b`, `a`, `b`, false},
		{`a \coloneqq b`, `a`, `b`, false},
		{`a \stackrel{\text{def}}{=} b`, `a`, `b`, false},
		{`\theta \leftarrow \theta - \eta g`, `\theta`, `theta - (eta * g)`, false},
		// a = b = c: the first right side that executes
		{`a = \mathbb{E}[x] = \mu`, `a`, `mu`, false},
		{`a = b + c = d`, `a`, `b + c`, false},
		// a := b := c defines a by b only
		{`a := b := c`, `a`, `b`, false},
		// b =: a defines a
		{`b + 1 =: a`, `a`, `b + 1`, false},
		{`f(x) = x^2`, `f\left(x\right)`, `x ** 2`, false},
		{`\sigma_t^2 = 1 - \alpha_t^2`, `{\sigma_{t}}^{2}`, `1 - (alpha_t ** 2)`, false},
		// an expression on the left: the right side is computed
		{`\|x\|^2 = \sum_i x_i^2`, `\left\|x\right\|^{2}`, `_sum(_at(x, i) ** 2 for i in range(0, len(x)))`, true},
		{`x \le \frac{a}{b} = c + 1`, `\frac{a}{b}`, `c + 1`, true},
		// the main statement defines; "where" elaborates
		{`L = \ell + R, \quad \text{where} \quad R = \lambda \|w\|^2`, `L`, `ell + R`, false},
		// a bound with a definition after "with": the definition counts
		{`\|x\| \le C \quad \text{with} \quad C := 2a`, `C`, `2 * a`, false},
		// constraints define nothing
		{`y = x + 1 \quad \text{s.t.} \quad z = 1`, `y`, `x + 1`, false},
		// a continuation row gets the display's left side (see TestContinuation)
	}
	for _, tt := range tests {
		o := tr(t, tt.tex)
		if !o.Executable {
			t.Errorf("%s: not executable: %s", tt.tex, o.Reason)
			continue
		}
		if o.Defines != tt.defines || body(o) != tt.body || o.Identity != tt.identity {
			t.Errorf("%s\n got  defines %q body %q identity %v\n want defines %q body %q identity %v",
				tt.tex, o.Defines, body(o), o.Identity, tt.defines, tt.body, tt.identity)
		}
	}
}

// TestNotExecutable pins the reasons an equation is not executable.
func TestNotExecutable(t *testing.T) {
	tests := []struct{ tex, reason string }{
		{`x \le y`, "an inequality"},
		{`1 \approx b`, "an approximation"},
		{`p(x) \propto q(x)`, "a proportionality"},
		{`x \in \mathbb{R}^d`, "a set membership"},
		{`x \sim \mathcal{N}(0, 1)`, "a statement about a distribution"},
		{`f \colon \mathbb{R} \to \mathbb{R}`, "a signature"},
		{`a + b`, "nothing is defined"},
		{`\min_x f(x) \quad \text{s.t.} \quad g = 1`, "an optimisation problem"},
		{`t = 1, 2, \dots, T`, "a range of values"},
		{`x \le y = z + 1`, "an inequality"},
		{`L = \mathbb{E}_{x \sim p}[f(x)]`, "an expectation"},
		{`V = \mathrm{Var}(x)`, "a variance"},
		{`Z = \int f(x) \, \mathrm{d}x`, "an integral over a set or a whole space"},
		{`a = \lim_{n \to \infty} a_n`, "a limit"},
		{`s = \sup_{x \in X} f(x)`, "a supremum"},
		{`x^* = \arg\max_x f(x)`, "an arg max over a continuous variable (x)"},
		{`m = \max_{a'} Q(s, a')`, "a max over a set or a continuous variable"},
		{`g = \frac{\partial L}{\partial w}`, "does not show its dependence"},
		{`g = \frac{\partial}{\partial \theta} r_\phi(b)`, "does not show its dependence"},
		{`p_w(t) = \dv{w(\lambda_t)}{t}`, "through its subscript"},
		{`h = \nabla_x \nabla_x f(x)`, "a derivative of a derivative"},
		{`y = \dv[2]{f(x)}{x}`, "a derivative (higher"},
		{`g = \nabla f(x)`, "without its variable"},
		{`Z = \int_{-\infty}^{\infty} f(x) \, \mathrm{d}x`, "an improper integral"},
		{`Z = \int_{\mathcal{X}} f(x) \, \mathrm{d}x`, "no bounds"},
		{`Z = \int_0^1 f(\mathbf{x}) \, \mathrm{d}\mathbf{x}`, "a vector or a measure"},
		{`Z = \iint_0^1 f(x, y) \, dx dy`, "a multiple integral"},
		{`a \not\approx b`, "an approximation"},
		{`y = E_\tau[f(x)]`, "an expectation"},
		{`d = |S_1 - S_2|`, "the size |·| of a set"},
		{`g = \frac{\partial L}{\partial w}`, "a derivative"},
		{`p(x) = p(x \mid z) p(z)`, "different densities under one name"},
		{`q = \mathcal{N}(\mu, \sigma^2)`, "a probability distribution"},
		{`y = x_1 + \dots + x_n`, "an ellipsis"},
		{`y = \delta(x)`, "a Dirac delta"},
		{`V = \sum_{k=0}^{\infty} \gamma^k r_k`, "an infinite sum"},
		{`A = \{1, 2\}`, "a set"},
		{`y = W * x`, "a convolution"},
		{`y = g^{-1}(x)`, "an inverse or a power of a function"},
		{`y = (f \circ g)(x)`, "a composition"},
		{`y = x \pm 1`, "a ± (two values)"},
		{`y = \text{the mean of } x`, "words inside the formula"},
		{`y = |\mathcal{S}|`, "the size |·| of a set"},
		{`y = \mathcal{O}(n^2)`, "order notation"},
		{`y = \sum_{x \in \mathcal{X}} p(x)`, "a sum over a set"},
		{`y = x + \foo`, "not fully parsed"},
		{`y = \sum_{k=1}^{K}\sum_{i=1}^{N_k} z_{ik} + N`, "N is both a size and an array of sizes"},
		{`y = \|x\|_{\mathcal{H}}`, "a norm in a named space"},
	}
	for _, tt := range tests {
		o := tr(t, tt.tex)
		if o.Executable {
			t.Errorf("%s: executable (%s), want not: %s", tt.tex, body(o), tt.reason)
			continue
		}
		if !strings.Contains(o.Reason, tt.reason) {
			t.Errorf("%s: reason %q, want %q", tt.tex, o.Reason, tt.reason)
		}
		if !strings.HasPrefix(o.Python, "# (1) not executable: ") {
			t.Errorf("%s: comment %q", tt.tex, o.Python)
		}
	}
}

// TestProducts pins matrix against elementwise products and calls against
// multiplications.
func TestProducts(t *testing.T) {
	tests := []struct{ tex, body string }{
		// a matrix (upper case, bold upper case) meets an array: @
		{`y = W x`, `_mm(W, x)`},
		{`y = \mathbf{W}\mathbf{x} + \mathbf{b}`, `_mm(W, x) + b`},
		{`C = A B`, `_mm(A, B)`},
		{`C = A \times B`, `_mm(A, B)`},
		{`y = A^{-1} b`, `_mm(_inv(A), b)`},
		// a transposed vector: inner and outer products
		{`s = x^\top y`, `_mm(_T(x), y)`},
		{`S = x y^\top`, `_outer(x, y)`},
		{`s = x^\top W y`, `_mm(_mm(_T(x), W), y)`},
		{`S = Q K^\top`, `_outer(Q, K)`},
		// a number meets anything, or two plain arrays: elementwise
		{`y = \alpha x`, `alpha * x`},
		{`e = a b`, `a * b`},
		{`z = a \odot b`, `a * b`},
		{`c = \mathbf{u} \cdot \mathbf{v}`, `_inner(u, v)`},
		{`c = a \cdot b`, `a * b`},
		{`z = a \otimes b`, `_kron(a, b)`},
		{`z = a \wedge 1`, `np.minimum(a, 1)`},
		// calls and products
		{`y = f(x)`, `f(x)`},
		{`y = f(x, z)`, `f(x, z)`},
		{`y = f(x; \theta)`, `f(x, theta)`},
		{`y = a(b + c)`, `a * (b + c)`},
		{`y = \sigma(x)`, `_sigmoid(x)`},
		{`y = \sigma(W x + b)`, `_sigmoid(_mm(W, x) + b)`},
		{`y = \mathrm{softmax}(z)`, `_softmax(z)`},
		{`y = \operatorname{ReLU}(x)`, `_relu(x)`},
		{`y = \tanh(x) + \log x + e^{-x}`, `np.tanh(x) + np.log(x) + np.exp(-x)`},
		{`y = \alpha_t (1 - p)^\gamma`, `alpha_t * ((1 - p) ** gamma)`},
		{`y = W^Q_i (X W^K_i)^\top`, `_outer(W_Q_i, (_mm(X, W_K_i)))`},
		{`y = D(x)(1 - D(x))`, `D(x) * (1 - D(x))`},
		{`y = \Gamma(n + 1)`, `_gamma(n + 1)`},
		{`d = D_{\mathrm{KL}}(p \| q)`, `D_KL(p, q)`},
		{`l = \log p(x \mid z)`, `np.log(p(x, z))`},
		{`y = q(z \mid x = \hat{x}(z))`, `q(z, x_hat(z))`},
		// indicator, cases, norms, brackets
		{`y = \mathbb{1}[x > 0]`, `np.where((x > 0), 1.0, 0.0)`},
		{`y = \begin{cases} x & x > 0 \\ 0 & \text{otherwise} \end{cases}`, `np.where((x > 0), x, 0)`},
		{`n = \|x\|_2 + \|x\|_1 + \|x\|_\infty + |x|`, `_norm(x) + _norm1(x) + _norminf(x) + np.abs(x)`},
		{`n = \|x\|_{A}`, `_wnorm(x, A)`},
		{`y = \langle u, v \rangle + \lceil x \rceil`, `_inner(u, v) + np.ceil(x)`},
		{`y = \sqrt[3]{x} + n! + \binom{n}{k}`, `x ** (1.0 / 3) + _factorial(n) + _binom(n, k)`},
		{`y = \max(a, b, c) + \min\{M, x\}`, `np.maximum(np.maximum(a, b), c) + np.minimum(M, x)`},
		{`M = \begin{pmatrix} a & b \\ c & d \end{pmatrix}`, `np.array([[a, b], [c, d]], dtype=float)`},
		{`v = \begin{bmatrix} a \\ b \end{bmatrix}`, `np.array([a, b], dtype=float)`},
		{`y = \mathbf{1}_m + \mathbf{I}_d x`, `np.ones(int(m)) + _mm(np.eye(int(d)), x)`},
		{`y = \pi r^2`, `np.pi * (r ** 2)`},
		{`y = \Delta A x`, `_mm(Delta_A, x)`},
	}
	for _, tt := range tests {
		o := tr(t, tt.tex)
		if !o.Executable {
			t.Errorf("%s: not executable: %s", tt.tex, o.Reason)
			continue
		}
		if got := body(o); got != tt.body {
			t.Errorf("%s\n got  %s\n want %s", tt.tex, got, tt.body)
		}
	}
}

// TestSubscripts pins subscripts as indices or as names, and the sums.
func TestSubscripts(t *testing.T) {
	tests := []struct{ tex, params, body string }{
		// names
		{`y = \theta_{t+1} + \theta_{t-1} + W_{xi}`, `theta_tp1:scalar theta_tm1:scalar W_xi:matrix`, `theta_tp1 + theta_tm1 + W_xi`},
		{`y = \mathcal{L}_{\mathrm{CE}} + \hat{x} + x^* + \lambda + x'`, `cal_L_CE:tensor x_hat:tensor x_star:tensor lambda_:scalar x_prime:tensor`, `cal_L_CE + x_hat + x_star + lambda_ + x_prime`},
		{`y = W^Q + \sigma_{t|s} + \alpha^A_v`, `W_Q:matrix sigma_t_s:scalar alpha_A_v:scalar`, `W_Q + sigma_t_s + alpha_A_v`},
		// a bound index selects an element; the bound comes from the array
		{`y = \sum_{i=1}^{N} x_i`, `x:tensor`, `_sum(_at(x, i - 1) for i in range(1, N + 1))`},
		{`y = \frac{1}{N}\sum_{i=1}^{N} x_i`, `x:tensor`, `(1 / N) * _sum(_at(x, i - 1) for i in range(1, N + 1))`},
		{`y = \sum_i w_i x_i`, `w:tensor x:tensor`, `_sum(_at(w, i) * _at(x, i) for i in range(0, len(w)))`},
		{`y = \sum_{k=0}^{K-1} \theta_k`, `theta:scalar`, `_sum(_at(theta, k) for k in range(0, K))`},
		{`y = \sum_{n=1}^{10} a_n`, `a:tensor`, `_sum(_at(a, n - 1) for n in range(1, 11))`},
		{`y = \sum_{t=1}^{T} \gamma^t r_{t+1}`, `gamma:scalar r:tensor`, `_sum((gamma ** t) * _at(r, t) for t in range(1, T + 1))`},
		{`y = \sum_{t=2}^{T} x_t - x_{t-1}`, `x:tensor`, `_sum(_at(x, t - 1) - _at(x, t - 2) for t in range(2, T + 1))`},
		{`y = \sum_{i=1}^{n}\sum_{j=1}^{n} a_i a_j k_{ij}`, `a:tensor k:tensor`, `_sum(_sum((_at(a, i - 1) * _at(a, j - 1)) * _at(_at(k, i - 1), j - 1) for j in range(1, n + 1)) for i in range(1, n + 1))`},
		{`y = \sum_{n,m=1}^{N} k_{nm}`, `k:tensor`, `_sum(_at(_at(k, n - 1), m - 1) for n in range(1, N + 1) for m in range(1, N + 1))`},
		{`y = \sum_{t=1}^{T} t^{-\alpha}`, `T:int alpha:scalar`, `_sum(t ** (-alpha) for t in range(1, T + 1))`},
		{`y = \sum_{l=0}^{T-t-1} \delta_{t+l}`, `T:int t:int delta:scalar`, `_sum(_at(delta, l + t) for l in range(0, int(T - t - 1) + 1))`},
		{`y = \sum_{k=1}^{K}\sum_{i=1}^{N_k} z_{ik}`, `N:int z:tensor`, `_sum(_sum(_at(_at(z, i - 1), k - 1) for i in range(1, int(_at(N, k - 1)) + 1)) for k in range(1, K + 1))`},
		{`y = \sum_{m \in [M]} x_m`, `x:tensor`, `_sum(_at(x, m - 1) for m in range(1, M + 1))`},
		{`y = \prod_{t=1}^{T} p_t`, `p:tensor`, `_prod(_at(p, t - 1) for t in range(1, T + 1))`},
		{`y = \max_i x_i`, `x:tensor`, `_max(_at(x, i) for i in range(0, len(x)))`},
		{`y = \arg\max_i x_i`, `x:tensor`, `_argmax([_at(x, i) for i in range(0, len(x))], 0)`},
		{`y = \hat{\mathbb{E}}_t[r_t]`, `r:tensor`, `_mean((_at(r, t)) for t in range(0, len(r)))`},
		{`y = \sum_n w^{(n)} f(x_n)`, `w:tensor f:function x:tensor`, `_sum(_at(w, n) * f(_at(x, n)) for n in range(0, len(w)))`},
		{`y = \sum_{j=1}^{K} q_j(z)`, `K:int q:function z:tensor`, `_sum(q(j, z) for j in range(1, K + 1))`},
		// the sum takes in the terms after it that use its index
		{`H = -\sum_i y_i \log y_i + (1 - y_i)\log(1 - y_i)`, `y:tensor`, `-_sum(_at(y, i) * np.log(_at(y, i)) + (1 - _at(y, i)) * np.log(1 - _at(y, i)) for i in range(0, len(y)))`},
		// the defined symbol's index is elementwise
		{`z_i = x_i + b_i`, `x:tensor b:tensor`, `x + b`},
		{`p_i = \frac{e^{z_i}}{\sum_j e^{z_j}}`, `z:tensor`, `np.exp(z) / _sum(np.exp(_at(z, j)) for j in range(0, len(z)))`},
	}
	for _, tt := range tests {
		o := tr(t, tt.tex)
		if !o.Executable {
			t.Errorf("%s: not executable: %s", tt.tex, o.Reason)
			continue
		}
		got := body(o)
		if tt.params != "" && params(o) != tt.params || got != tt.body {
			t.Errorf("%s\n got  %s | %s\n want %s | %s", tt.tex, params(o), got, tt.params, tt.body)
		}
	}
}

// TestDerivedSizes checks that a symbolic bound is computed from the
// length of the array it ranges over.
func TestDerivedSizes(t *testing.T) {
	o := tr(t, `\bar{x} = \frac{1}{N}\sum_{i=1}^{N} x_i`)
	if !strings.Contains(o.Python, "    N = len(x)\n") {
		t.Errorf("no derived size:\n%s", o.Python)
	}
	o = tr(t, `y = \sum_{k=0}^{K} a_k`)
	if !strings.Contains(o.Python, "    K = len(a) - 1\n") {
		t.Errorf("no derived size:\n%s", o.Python)
	}
	o = tr(t, `y = \sum_{i=1}^{N} x_i x_{i+1}`)
	if !strings.Contains(o.Python, "    N = len(x) - 1\n") {
		t.Errorf("the offset is not taken into account:\n%s", o.Python)
	}
	if !strings.Contains(o.Python, `"x": rng.uniform(0.5, 1.5, size=(4,))`) {
		t.Errorf("the example array is not long enough:\n%s", o.Python)
	}
}

// TestKindsFromSymbols checks that stated kinds change the translation.
func TestKindsFromSymbols(t *testing.T) {
	o := tr(t, `y = g(a + b)`)
	if body(o) != `g * (a + b)` {
		t.Errorf("unstated g: %s", body(o))
	}
	o = tr(t, `y = g(a + b)`, `where $g$ is a neural network.`)
	if body(o) != `g(a + b)` {
		t.Errorf("stated function g: %s", body(o))
	}
	o = tr(t, `y = \sigma(x)`, `where $\sigma$ is the logistic sigmoid function.`)
	if body(o) != `_sigmoid(x)` {
		t.Errorf("sigmoid: %s", body(o))
	}
	o = tr(t, `y = u v`, `where $u \in \mathbb{R}^{d \times k}$ and $v \in \mathbb{R}^{k}$.`)
	if body(o) != `_mm(u, v)` || params(o) != "u:matrix v:vector" {
		t.Errorf("stated shapes: %s %s", body(o), params(o))
	}
	if o.Params[0].Shape != "(3, 3)" {
		t.Errorf("shape %q", o.Params[0].Shape)
	}
	o = tr(t, `s = \sqrt{d_k}`, `where $d_k$ is the dimension of the keys.`)
	if params(o) != "d_k:int" {
		t.Errorf("d_k: %s", params(o))
	}
	// a function the paper defines is a call elsewhere
	syms := NewSymbols(nil)
	eqs := []Equation{{LaTeX: `\Phi(x) = \frac{1}{2}(1 + \mathrm{erf}(x))`}, {Number: "2", LaTeX: `y = \Phi(\frac{a - b}{s})`}}
	syms.Learn(eqs)
	if o := Translate(eqs[1], syms); body(o) != `Phi((a - b) / s)` {
		t.Errorf("learned function: %s", body(o))
	}
}

// TestContinuation checks that a row that continues a display uses the
// display's left side.
func TestContinuation(t *testing.T) {
	o := Translate(Equation{Number: "3", LaTeX: `&= \frac{1}{2} \|x - y\|^2`, LHS: `\mathcal{L}(x)`}, nil)
	if !o.Executable || o.Defines != `\mathcal{L} \left(x\right)` || o.Name != "eq3_cal_L" {
		t.Errorf("continuation: %+v", o)
	}
	o = Translate(Equation{Number: "4", LaTeX: `&\le 2`, LHS: `\mathcal{L}(x)`}, nil)
	if o.Executable {
		t.Errorf("an inequality row is executable")
	}
}

// TestFromDocument checks the continuation rows and the symbol table built
// from a document.
func TestFromDocument(t *testing.T) {
	one, two := "1", "2"
	d := &doc.Document{
		Macros: []doc.Macro{{Name: `\vx`, Body: `\mathbf{x}`, Kind: "newcommand"}, {Name: `\softplus`, Body: `softplus`, Kind: "operator"}},
		Equations: []doc.Equation{
			{Number: &one, LaTeXExpanded: `\mathcal{L}(\theta) &= \mathbb{E}[\ell]`, Block: 1, Context: doc.Context{After: "where $N$ is the number of samples."}},
			{Number: &two, LaTeXExpanded: `&= \frac{1}{N}\sum_{n=1}^{N} \ell_n`, Block: 1},
		},
	}
	eqs, syms := FromDocument(d)
	if eqs[1].LHS != `\mathcal{L}(\theta)` {
		t.Errorf("LHS %q", eqs[1].LHS)
	}
	if e, ok := syms.Lookup("x"); !ok || e.Kind != KindVector || e.Font != "mathbf" {
		t.Errorf("macro \\vx: %+v", e)
	}
	if e, ok := syms.Lookup("softplus"); !ok || e.Kind != KindFunction {
		t.Errorf("operator macro: %+v", e)
	}
	if e, ok := syms.Lookup("N"); !ok || e.Kind != KindInt || e.Source != "context" {
		t.Errorf("context: %+v", e)
	}
	if e, ok := syms.Lookup("cal_L"); !ok || e.Source != "equation" {
		t.Errorf("learned: %+v", e)
	}
	o := Translate(eqs[1], syms)
	if !o.Executable || o.Name != "eq2_cal_L" {
		t.Errorf("row 2: %s %s", o.Name, o.Reason)
	}
}

// TestContext pins what "where" sentences say about symbols.
func TestContext(t *testing.T) {
	tests := []struct{ sentence, name, kind, shape string }{
		{`where $d_k$ is the dimension of the keys`, "d_k", KindInt, ""},
		{`where $N$ is the number of samples.`, "N", KindInt, ""},
		{`with $W \in \mathbb{R}^{d \times k}$ the weights`, "W", KindMatrix, "d k"},
		{`where $x \in \mathbb{R}^{n}$`, "x", KindVector, "n"},
		{`where $\eta$ is the learning rate`, "eta", KindScalar, ""},
		{`and $f$ is a neural network with parameters $\theta$`, "f", KindFunction, ""},
		{`where $\phi(s)$ is a feature map`, "phi", KindFunction, ""},
		{`where $\alpha, \beta \in \mathbb{R}$`, "beta", KindScalar, ""},
		{`$i$ is the index of the sample`, "i", KindIndex, ""},
		{`where $M$ is a matrix of features`, "M", KindMatrix, ""},
	}
	for _, tt := range tests {
		s := NewSymbols(nil)
		s.AddContext(tt.sentence)
		e, ok := s.Lookup(tt.name)
		if !ok || e.Kind != tt.kind || strings.Join(e.Shape, " ") != tt.shape {
			t.Errorf("%q: %s is %+v, want %s %s", tt.sentence, tt.name, e, tt.kind, tt.shape)
		}
	}
	// only the noun right after the verb counts
	s := NewSymbols(nil)
	s.AddContext(`where $\mathbf{x}$ is replaced by our predictive model`)
	if e, ok := s.Lookup("x"); ok {
		t.Errorf("x read as %+v", e)
	}
	if err := s.Declare(`W_q`, "nonsense"); err == nil {
		t.Error("Declare accepted an unknown kind")
	}
	if err := s.Declare(`W_q`, KindMatrix, "d", "d_k"); err != nil {
		t.Error(err)
	}
	if e, _ := s.Lookup("W_q"); strings.Join(e.Shape, ",") != "d,d_k" {
		t.Errorf("declared shape %v", e.Shape)
	}
	if len(s.Entries()) != 1 {
		t.Errorf("entries %v", s.Entries())
	}
}

// TestExamples checks the example inputs: sizes that fit the ranges,
// positive numbers, well-conditioned matrices.
func TestExamples(t *testing.T) {
	o := tr(t, `y = \sum_{i=1}^{5} a_i + W x + \alpha + f(x) + \mathbf{1}_m`)
	want := map[string]string{
		"a":     "rng.uniform(0.5, 1.5, size=(5,))",
		"W":     "_rand_spd(rng, (), 3)",
		"x":     "rng.uniform(0.5, 1.5, size=(3,))",
		"alpha": "float(rng.uniform(0.5, 1.5))",
		"f":     "_example_function",
		"m":     "3",
	}
	for _, p := range o.Params {
		if w, ok := want[p.Name]; ok && p.Example != w {
			t.Errorf("%s: example %s, want %s", p.Name, p.Example, w)
		}
	}
	if !strings.Contains(o.Python, "def eq1_y__inputs(rng):") {
		t.Errorf("no inputs function:\n%s", o.Python)
	}
}

// TestModule checks the module layout: helpers, functions, registry, and
// names made unique.
func TestModule(t *testing.T) {
	a := tr(t, `y = x + 1`)
	b := tr(t, `y = 2x`)
	c := tr(t, `y \le 1`)
	m := string(Module([]Oracle{a, b, c}, "paper: test"))
	for _, want := range []string{
		"# paper: test\n", "import numpy as np\n", "def _softmax(", "def eq1_y(x):", "def eq1_y_2(x):",
		"def eq1_y_2__inputs(rng):", "# (1) not executable: an inequality", `"eq1_y": (eq1_y, eq1_y__inputs),`,
		`"eq1_y_2": (eq1_y_2, eq1_y_2__inputs),`, `if __name__ == "__main__":`,
	} {
		if !strings.Contains(m, want) {
			t.Errorf("module lacks %q", want)
		}
	}
	if got := Names([]Oracle{a, b, c}); strings.Join(got, ",") != "eq1_y,eq1_y_2" {
		t.Errorf("Names %v", got)
	}
	if h := Helpers(); len(h) < 20 || h[0] != "_T" {
		t.Errorf("Helpers %v", h)
	}
}

// TestCalculus pins the derivative, integral and approximation rules.
func TestCalculus(t *testing.T) {
	tests := []struct{ tex, body string }{
		{`g = \nabla_\theta L(\theta)`, `_deriv(lambda theta: L(theta), theta)`},
		// the gradient at an evaluation point of the variable
		{`\theta_t = \theta_{t-1} - \eta \nabla_\theta J(\theta_{t-1}, \psi)`,
			`theta_tm1 - (eta * _deriv(lambda theta_tm1: J(theta_tm1, psi), theta_tm1))`},
		{`g = \frac{\partial \ell(w)}{\partial w}`, `_deriv(lambda w: ell(w), w)`},
		// the operator applies to the rest of the product
		{`g = a \frac{\partial}{\partial \theta} \log p(b, \theta)`, `a * _deriv(lambda theta: np.log(p(b, theta)), theta)`},
		{`y(x) = \frac{\mathrm{d}}{\mathrm{d}x} \log(1 + e^{x})`, `_deriv(lambda x: np.log(1 + np.exp(x)), x)`},
		{`y(t) = \dv{\cos(t)}{t}`, `_deriv(lambda t: np.cos(t), t)`},
		// a gradient whose operand is a constant factor takes in the product
		{`g = \nabla_w \frac{1}{n} f(w)`, `_deriv(lambda w: (1 / n) * f(w), w)`},
		// f'(x) with f called in the equation: the derivative of f
		{`y = f(x) + f'(x)`, `f(x) + _deriv(lambda _x: f(_x), x)`},
		{`Z = \int_a^b f(x) \, \mathrm{d}x`, `_integrate(lambda _x: f(_x), a, b)`},
		{`Z = \int_0^1 t^2 dt`, `_integrate(lambda _t: _t ** 2, 0, 1)`},
		{`s(x) \approx \nabla_x \log q(x)`, `_deriv(lambda x: np.log(q(x)), x)`},
	}
	for _, tt := range tests {
		o := tr(t, tt.tex)
		if !o.Executable {
			t.Errorf("%s: not executable: %s", tt.tex, o.Reason)
			continue
		}
		if got := body(o); got != tt.body {
			t.Errorf("%s\n got  %s\n want %s", tt.tex, got, tt.body)
		}
	}
	o := tr(t, `s(x) \approx \nabla_x \log q(x)`)
	if !o.Approximate || !strings.Contains(o.Python, "Computes the approximation") {
		t.Errorf("an approximation is not marked: %v\n%s", o.Approximate, o.Python)
	}
	o = tr(t, `v^\top g \approx \frac{f(x + \epsilon v) - f(x)}{\epsilon}`)
	if !o.Executable || !o.Approximate || !o.Identity {
		t.Errorf("an approximation of an expression: executable %v approximate %v identity %v (%s)", o.Executable, o.Approximate, o.Identity, o.Reason)
	}
	if o := tr(t, `y = x + 1`); o.Approximate {
		t.Error("an equality marked approximate")
	}
}
