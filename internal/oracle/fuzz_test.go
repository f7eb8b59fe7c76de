package oracle_test

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/reprohq/repro/internal/oracle"
)

// FuzzTranslate checks that Translate and Module never panic and that an
// executable oracle is a function with its inputs function. The generated
// Python of fuzz inputs is not run.
func FuzzTranslate(f *testing.F) {
	for _, s := range []string{
		`y = \sum_{i=1}^{N} x_i`, `\mathrm{Attention}(Q, K, V) = \mathrm{softmax}\left(\frac{QK^\top}{\sqrt{d_k}}\right)V`,
		`a_t = \sum_{l=0}^{T-t-1} \delta_{t+l}`, `y_i = \begin{cases} 1 & x > 0 \\ 0 & \text{otherwise} \end{cases}`,
		`p(x) = p(x \mid z) p(z)`, `\|x\|^2 = x^\top x`, `y = \sum_{k=1}^{K}\sum_{i=1}^{N_k} z_{ik}`,
		`L = \hat{\mathbb{E}}_t[r_t]`, `x = \begin{bmatrix} a & b \end{bmatrix}`, `y = f^{-1}(x)`, `&= a`,
		`y = \mathbf{1}_m`, `y = \sum_{m \in [M]} x_m^{(m)}`, `q_j = \prod_{t} \max_i x_{ti}`,
	} {
		f.Add(s, "")
	}
	f.Add(`&= \frac{1}{2} x`, `\mathcal{L}`)
	f.Fuzz(func(t *testing.T, tex, lhs string) {
		if len(tex) > 2000 || len(lhs) > 200 {
			return
		}
		// A slow input is a bug too: the watchdog crashes the worker, so
		// that the fuzzer records the input.
		watchdog := time.AfterFunc(2*time.Second, func() { panic(fmt.Sprintf("slow input: tex %q lhs %q", tex, lhs)) })
		defer watchdog.Stop()
		syms := oracle.NewSymbols(nil)
		syms.AddContext("where $" + tex + "$ is a function and $x \\in \\mathbb{R}^{d}$")
		eq := oracle.Equation{Number: "1", LaTeX: tex, LHS: lhs}
		syms.Learn([]oracle.Equation{eq})
		o := oracle.Translate(eq, syms)
		if strings.HasPrefix(o.Reason, "internal error") {
			t.Fatalf("%q: %s", tex, o.Reason)
		}
		if o.Executable {
			if !strings.Contains(o.Python, "def "+o.Name+"(") || !strings.Contains(o.Python, "def "+o.Name+"__inputs(rng):") {
				t.Fatalf("%q: malformed function:\n%s", tex, o.Python)
			}
		} else if o.Reason == "" || !strings.HasPrefix(o.Python, "# ") {
			t.Fatalf("%q: a non-executable oracle without a reason", tex)
		}
		oracle.Module([]oracle.Oracle{o, o}, tex)
	})
}
