package texmath

import (
	"errors"
	"strings"
	"testing"
)

// TestParse pins the tree of each construct: precedence, implicit
// multiplication, scripts, functions, big operators, brackets, matrices,
// cases, relations.
func TestParse(t *testing.T) {
	tests := []struct{ src, want string }{
		// precedence and implicit multiplication
		{`a + b c`, `(+ a (juxt b c))`},
		{`a - b - c`, `(- (- a b) c)`},
		{`a b / c d`, `(/ (juxt a b) (juxt c d))`},
		{`-x^2`, `(- (pow x 2))`},
		{`a \cdot b + c`, `(+ (cdot a b) c)`},
		{`2x`, `(juxt 2 x)`},
		{`a \odot b \otimes c`, `(otimes (odot a b) c)`},
		{`a \times b`, `(times a b)`},
		{`0.5 x`, `(juxt 0.5 x)`},
		// scripts: subscripts and name-like superscripts stay on the symbol
		{`x_i^2`, `(pow x_{i} 2)`},
		{`\sigma^2_t`, `(pow sigma_{t} 2)`},
		{`x^{(i)}`, `x^{(bracket () i)}`},
		{`x^*`, `x^{*}`},
		{`x'`, `x'`},
		{`\phi^{''}(x)`, `(apply phi'' x)`},
		{`W^Q_i`, `W_{i}^{Q}`},
		{`\gamma^n`, `(pow gamma n)`},
		{`x_{12}`, `x_{12}`},
		{`x_12`, `(juxt x_{1} 2)`},
		// transposes and inverses
		{`x^\top y`, `(juxt (T x) y)`},
		{`X^T`, `(T X)`},
		{`\mathbf{w}^\intercal`, `(T mathbf:w)`},
		{`\Phi^\mathsf{\scriptscriptstyle T}`, `(T Phi)`},
		{`A^{-1}`, `(pow A (- 1))`},
		{`K^{-1}_{mn}`, `(index (pow K (- 1)) (juxt m n))`},
		{`\Sigma_p^{-1}`, `(pow Sigma_{p} (- 1))`},
		// fractions and roots
		{`\frac{a}{b}`, `(frac a b)`},
		{`\frac12`, `(frac 1 2)`},
		{`\tfrac{1}{2}x`, `(juxt (frac 1 2) x)`},
		{`\sqrt{x}`, `(sqrt x)`},
		{`\sqrt[3]{x}`, `(sqrt ^3 x)`},
		// applications and functions
		{`f(x, y)`, `(apply f x y)`},
		{`f(x; \theta)`, `(apply f x theta)`},
		{`\sigma(Wx + b)`, `(apply sigma (+ (juxt W x) b))`},
		{`\log x + 1`, `(+ (func log x) 1)`},
		{`\log(x + 1)`, `(func log (+ x 1))`},
		{`\log p(x)`, `(func log (apply p x))`},
		{`\exp\left(-\frac{x^2}{2}\right)`, `(func exp (- (frac (pow x 2) 2)))`},
		{`\sin^2 x`, `(func sin ^2 x)`},
		{`\text{softmax}(z)`, `(apply text:softmax z)`},
		{`\operatorname{tr}(A)`, `(apply operatorname:tr A)`},
		{`\operatorname*{softmax} \frac{a}{b}`, `(apply operatorname:softmax (frac a b))`},
		{`g^{-1}(y)`, `(apply (pow g (- 1)) y)`},
		{`\sigma_Q^2(s, t)`, `(pow (apply sigma_{Q} s t) 2)`},
		{`z_i^2 (a + b)`, `(juxt (pow z_{i} 2) (bracket () (+ a b)))`},
		{`D(x)(1 - D(x))`, `(juxt (apply D x) (bracket () (- 1 (apply D x))))`},
		{`Var(x)`, `(bigop Var (bracket () x))`},
		// big operators: bounds and body
		{`\sum_{i=1}^{N} x_i y_i + c`, `(+ (bigop sum _(rel i = 1) ^N (juxt x_{i} y_{i})) c)`},
		{`\prod_{t=2}^{T} p_t`, `(bigop prod _(rel t = 2) ^T p_{t})`},
		{`\sum\limits_{n,m=1}^{N} k_{nm}`, `(bigop sum _(list n (rel m = 1)) ^N k_{(juxt n m)})`},
		{`\max_i x_i`, `(bigop max _i x_{i})`},
		{`\max(a, b)`, `(func max a b)`},
		{`\min\{M, x\}`, `(func min M x)`},
		{`\arg\max_{a} Q(s, a)`, `(bigop argmax _a (apply Q s a))`},
		{`\operatorname*{arg\,min}_\theta L(\theta)`, `(bigop argmin _theta (apply L theta))`},
		{`\mathbb{E}_{x \sim p}[f(x)]`, `(bigop E _(rel x sim p) (bracket [] (apply f x)))`},
		{`\hat{\mathbb{E}}_t[r_t]`, `(bigop Ehat _t (bracket [] r_{t}))`},
		{`\int_0^1 f(t) \mathrm{d}t`, `(bigop int _0 ^1 (juxt (juxt (apply f t) mathrm:d) t))`},
		{`\lim_{n \to \infty} a_n`, `(bigop lim _(rel n to infty) a_{n})`},
		{`\sum_{\substack{i \\ j}} a`, `(bigop sum _(seq i \\ j) a)`},
		// norms, absolute values, brackets of every kind
		{`\|x\|_2^2`, `(pow (index (norm \|\| x) 2) 2)`},
		{`||x||`, `(norm \|\| x)`},
		{`|x - y|`, `(abs || (- x y))`},
		{`\left| a \right|`, `(abs || a)`},
		{`|a| + |b|`, `(+ (abs || a) (abs || b))`},
		{`\lambda\|\theta\|`, `(juxt lambda (norm \|\| theta))`},
		{`\langle u, v \rangle`, `(bracket \langle\rangle (seq u v))`},
		{`\lceil x \rceil`, `(bracket \lceil\rceil x)`},
		{`[0, 1)`, `(bracket [) (seq 0 1))`},
		{`\left[ a \right)`, `(bracket [) a)`},
		{`\left\{ a \right.`, `(set a)`},
		{`\{x : x > 0\}`, `(set (rel x colon x > 0))`},
		{`\big( a \big)`, `(bracket () a)`},
		// conditioning bars and divergences
		{`p(x \mid z)`, `(apply p (rel x given z))`},
		{`p(x | z)`, `(apply p (rel x given z))`},
		{`D_{\mathrm{KL}}(p \| q)`, `(apply D_{mathrm:KL} (rel p parallel q))`},
		// matrices and cases
		{`\begin{pmatrix} a & b \\ c & d \end{pmatrix}`, `(matrix pmatrix [a b] [c d])`},
		{`\begin{bmatrix} 1 \\ 2 \end{bmatrix}`, `(matrix bmatrix [1] [2])`},
		{`\begin{cases} 1 & \text{if } x > 0 \\ 0 & \text{otherwise} \end{cases}`, `(cases [1 (seq _ if (rel x > 0))] [0 (seq _ otherwise)])`},
		// accents and fonts are part of the name
		{`\hat{\mathbf{x}}_\theta`, `hat(mathbf:x)_{theta}`},
		{`\mathcal{L}_{\mathrm{CE}}`, `mathcal:L_{mathrm:CE}`},
		{`\bar{x}`, `bar(x)`},
		{`\tilde{h}_t`, `tilde(h)_{t}`},
		{`\boldsymbol{\mu}`, `mathbf:mu`},
		{`{\bf z}`, `mathbf:z`},
		{`{\rm Pr}(A)`, `(apply mathrm:Pr A)`},
		{`\mathbf 1_m`, `mathbf:1_{m}`},
		{`\overline{a + b}`, `(accent bar (+ a b))`},
		// relations: definitions, chains, inequalities
		{`a = b = c`, `(rel a = b = c)`},
		{`a := b`, `(rel a := b)`},
		{`a \triangleq b`, `(rel a := b)`},
		{`a \coloneqq b`, `(rel a := b)`},
		{`a \stackrel{\text{def}}{=} b`, `(rel a := b)`},
		{`a \eqqcolon b`, `(rel a =: b)`},
		{`x \leftarrow x + 1`, `(rel x <- (+ x 1))`},
		{`a \le b < c`, `(rel a <= b < c)`},
		{`a \approx b`, `(rel a approx b)`},
		{`a \not\approx b`, `(rel a !approx b)`},
		{`a \propto b`, `(rel a propto b)`},
		{`x \in \mathbb{R}^d`, `(rel x in (pow mathbb:R d))`},
		{`x \sim \mathcal{N}(0, 1)`, `(rel x sim (apply mathcal:N 0 1))`},
		// statements, separators and rows
		{`x = 1, \quad y = 2`, `(seq (rel x = 1) _ quad (rel y = 2))`},
		{`a = b \text{ where } b = 1`, `(seq (rel a = b) where (rel b = 1))`},
		{`a \\ &= b`, `(rel a = b)`},
		{`a &= b + c \\ &\quad + d`, `(rel a = (+ (+ b c) d))`},
		{`a = b \implies c = d`, `(seq (rel a = b) implies (rel c = d))`},
		{`\begin{aligned} a &= 1 \\ b &= 2 \end{aligned}`, `(seq (rel a = 1) \\ (rel b = 2))`},
		// operators
		{`\nabla_\theta J(\theta)`, `(nabla _theta (apply J theta))`},
		{`\frac{\partial f}{\partial x}`, `(frac (partial f) (partial x))`},
		{`n!`, `(! n)`},
		{`\binom{n}{k}`, `(binom n k)`},
		{`\dots`, `...`},
		{`x_1, \ldots, x_n`, `(seq x_{1} ... x_{n})`},
		{`\text{linear CKA}`, `(text "linear CKA")`},
		// what the paper's macros leave behind is ignored
		{`a \label{eq:a} = b \nonumber`, `(rel a = b)`},
		{`\displaystyle a \, b \; c`, `(juxt (juxt a b) c)`},
		{`\textcolor{red}{a} + b`, `(+ a b)`},
		{`\underbrace{a + b}_{\text{sum}}`, `(+ a b)`},
		{`a \hskip -0.5cm b`, `(juxt a b)`},
	}
	for _, tt := range tests {
		n, err := Parse(tt.src)
		if err != nil {
			t.Errorf("Parse(%q): %v", tt.src, err)
			continue
		}
		if got := n.String(); got != tt.want {
			t.Errorf("Parse(%q)\n got  %s\n want %s", tt.src, got, tt.want)
		}
	}
}

// TestParseErrors checks that what cannot be read becomes an Unknown node
// and that the error carries its offset.
func TestParseErrors(t *testing.T) {
	tests := []struct {
		src    string
		offset int
		msg    string
	}{
		{`a + \foo{b}`, 4, `unknown command \foo`},
		{`(a + b`, 0, `unclosed (`},
		{`a + b)`, 5, `unexpected )`},
		{`\frac{a}`, 8, `missing argument`},
		{`\left( a`, 0, `\left( without \right`},
		{`\begin{tikzcd} a \end{tikzcd}`, 0, `unknown environment tikzcd`},
		{`|a`, 0, `unclosed |`},
	}
	for _, tt := range tests {
		n, err := Parse(tt.src)
		var perr *Error
		if !errors.As(err, &perr) {
			t.Errorf("Parse(%q): error %v, want a *Error", tt.src, err)
			continue
		}
		if perr.Offset != tt.offset || !strings.Contains(perr.Msg, tt.msg) {
			t.Errorf("Parse(%q): error at %d %q, want at %d %q", tt.src, perr.Offset, perr.Msg, tt.offset, tt.msg)
		}
		if n == nil || Complete(n) {
			t.Errorf("Parse(%q): the tree %v should hold an Unknown node", tt.src, n)
		}
	}
}

// TestPartialParse checks that a partial parse keeps what it read.
func TestPartialParse(t *testing.T) {
	n, err := Parse(`L = \foo{x} + \frac{a}{b}`)
	if err == nil {
		t.Fatal("want an error")
	}
	if n.Kind != Rel || n.Args[1].Kind != Binary || n.Args[1].Args[1].Kind != Frac {
		t.Errorf("partial tree %v", n)
	}
}

// TestGluedCommand checks the repair of a command glued to letters by a
// macro expansion (\langlez for \langle z).
func TestGluedCommand(t *testing.T) {
	n, err := Parse(`\langlez, S\rangle`)
	if err != nil {
		t.Fatal(err)
	}
	if got := n.String(); got != `(bracket \langle\rangle (seq z S))` {
		t.Errorf("got %s", got)
	}
}

// TestPositions checks that nodes carry the byte offsets of their source.
func TestPositions(t *testing.T) {
	src := `\mathcal{L}(\theta) = \left\| y - f(x) \right\|^2`
	n, err := Parse(src)
	if err != nil {
		t.Fatal(err)
	}
	lhs, rhs := n.Args[0], n.Args[1]
	if got := src[lhs.Pos:lhs.End]; got != `\mathcal{L}(\theta)` {
		t.Errorf("left side %q", got)
	}
	if got := src[rhs.Pos:rhs.End]; got != `\left\| y - f(x) \right\|^2` {
		t.Errorf("right side %q", got)
	}
}

// TestFormatRoundTrip checks that Format prints a tree that parses back to
// the same tree.
func TestFormatRoundTrip(t *testing.T) {
	for _, src := range roundTripInputs {
		checkRoundTrip(t, src)
	}
}

var roundTripInputs = []string{
	`\mathrm{Attention}(Q, K, V) = \mathrm{softmax}\left(\frac{QK^\top}{\sqrt{d_k}}\right)V`,
	`\mathcal{L} = -\sum_{c=1}^{C} y_c \log \hat{y}_c + \lambda \|\theta\|_2^2`,
	`y_i = \begin{cases} 1 & \text{if } x_i > 0 \\ 0 & \text{otherwise} \end{cases}`,
	`\theta_{t+1} = \theta_t - \eta \nabla_\theta \mathcal{L}(\theta_t)`,
	`p(x) = \mathbb{E}_{z \sim p(z)}\left[p(x \mid z)\right] \approx \frac{1}{N}\sum_{i=1}^N p(x \mid z_i)`,
	`A = \begin{bmatrix} 0 & 1 \\ -\theta & 0 \end{bmatrix}, \quad x^{(i)}_t = W^Q_i x`,
	`\hat{A}_t = \sum_{l=0}^{T-t-1} (\gamma\lambda)^l \delta_{t+l}`,
	`K^{-1}_{mn} + |a| \cdot \langle u, v \rangle + n! + \binom{n}{k}`,
}

func checkRoundTrip(t *testing.T, src string) {
	t.Helper()
	n, err := Parse(src)
	if err != nil {
		return
	}
	printed := Format(n)
	m, err := Parse(printed)
	if err != nil {
		t.Errorf("Format(%q) = %q, which does not parse: %v", src, printed, err)
		return
	}
	if a, b := n.String(), m.String(); a != b {
		t.Errorf("round trip of %q\n printed %q\n before %s\n after  %s", src, printed, a, b)
	}
}

// TestWalkAndComplete checks the tree helpers.
func TestWalkAndComplete(t *testing.T) {
	n, _ := Parse(`a + \frac{b}{c_i}`)
	var syms []string
	Walk(n, func(m *Node) bool {
		if m.Kind == Sym {
			syms = append(syms, m.Name)
		}
		return true
	})
	if strings.Join(syms, ",") != "a,b,c,i" {
		t.Errorf("walk order %v", syms)
	}
	if !Complete(n) {
		t.Error("a complete tree reported incomplete")
	}
	if !n.Args[0].IsSym("a") || n.Args[0].IsSym("b") {
		t.Error("IsSym")
	}
	if Kind(200).String() != "kind(200)" || Sym.String() != "sym" {
		t.Error("Kind.String")
	}
}
