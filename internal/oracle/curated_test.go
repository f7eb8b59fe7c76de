package oracle_test

import (
	"bufio"
	"bytes"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/reprohq/repro/internal/oracle"
)

// curated is one equation of the curated set.
type curated struct {
	name, tex, where string
	declare          [][]string
}

// loadCurated reads testdata/curated/equations.txt.
func loadCurated(t testing.TB) []curated {
	t.Helper()
	f, err := os.Open(filepath.Join("testdata", "curated", "equations.txt"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var out []curated
	var cur *curated
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 1<<20), 1<<20)
	for sc.Scan() {
		line := strings.TrimSpace(sc.Text())
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		key, val, ok := strings.Cut(line, ":")
		if !ok {
			t.Fatalf("curated: bad line %q", line)
		}
		val = strings.TrimSpace(val)
		switch key {
		case "name":
			out = append(out, curated{name: val})
			cur = &out[len(out)-1]
		case "tex":
			cur.tex = val
		case "where":
			cur.where = val
		case "declare":
			cur.declare = append(cur.declare, strings.Fields(val))
		default:
			t.Fatalf("curated: unknown key %q", key)
		}
	}
	if err := sc.Err(); err != nil {
		t.Fatal(err)
	}
	return out
}

// translateCurated translates one curated equation with its own symbol
// table, as a paper would state it.
func translateCurated(t testing.TB, c curated) oracle.Oracle {
	t.Helper()
	syms := oracle.NewSymbols(nil)
	if c.where != "" {
		syms.AddContext(c.where)
	}
	for _, d := range c.declare {
		if err := syms.Declare(d[0], d[1], d[2:]...); err != nil {
			t.Fatalf("%s: declare %v: %v", c.name, d, err)
		}
	}
	eq := oracle.Equation{Number: "", Label: c.name, LaTeX: c.tex}
	syms.Learn([]oracle.Equation{eq})
	o := oracle.Translate(eq, syms)
	name := "curated_" + c.name
	o.Python = strings.ReplaceAll(o.Python, "def "+o.Name+"(", "def "+name+"(")
	o.Python = strings.ReplaceAll(o.Python, "def "+o.Name+"__inputs(", "def "+name+"__inputs(")
	o.Name = name
	return o
}

// curatedDriver runs every case of reference.py against its oracle and
// prints one line per equation: PASS name, or FAIL name: why.
const curatedDriver = `

def _curated_main():
    import inspect
    import sys
    rng = np.random.default_rng(20240601)
    for name in sys.argv[1:]:
        fn = globals().get("curated_" + name)
        case = globals().get("case_" + name)
        if fn is None or case is None:
            print("FAIL %s: no oracle or no reference" % name)
            continue
        inputs, expected = case(rng)
        params = set(inspect.signature(fn).parameters)
        if params != set(inputs):
            print("FAIL %s: parameters %s, reference gives %s" % (name, sorted(params), sorted(inputs)))
            continue
        try:
            got = fn(**inputs)
        except Exception as e:
            print("FAIL %s: %s: %s" % (name, type(e).__name__, e))
            continue
        got = np.asarray(got, dtype=float)
        expected = np.asarray(expected, dtype=float)
        if got.shape != expected.shape:
            print("FAIL %s: shape %s, want %s" % (name, got.shape, expected.shape))
            continue
        if not np.allclose(got, expected, rtol=1e-6, atol=1e-9):
            err = np.max(np.abs(got - expected))
            print("FAIL %s: max abs error %.3g" % (name, err))
            continue
        print("PASS %s" % name)


_curated_main()
`

// TestCuratedCatchesMistakes checks that the comparison is sharp: wrong
// versions of curated equations (a missing transpose, a wrong index, a
// wrong exponent, max for min, no epsilon) fail against the same NumPy
// references.
func TestCuratedCatchesMistakes(t *testing.T) {
	wrong := []curated{
		{name: "softmax", tex: `p_i = \frac{\exp(z_i)}{\sum_{j=1}^{K} \exp(z_i)}`},
		{name: "scaled_dot_product_attention", tex: `\mathrm{Attention}(Q, K, V) = \mathrm{softmax}\left(\frac{QK}{\sqrt{d_k}}\right)V`,
			where: "where $d_k$ is the dimension of the keys."},
		{name: "adam_bias_correction", tex: `\hat{m}_t = \frac{m_t}{1 - \beta_1^{t-1}}`},
		{name: "ppo_clip", tex: `L^{\mathrm{CLIP}}(\theta) = \hat{\mathbb{E}}_t\left[\max\left(r_t \hat{A}_t, \mathrm{clip}\left(r_t, 1 - \epsilon, 1 + \epsilon\right)\hat{A}_t\right)\right]`},
		{name: "rms_norm", tex: `\bar{a}_i = \frac{a_i}{\sqrt{\frac{1}{n}\sum_{j=1}^{n} a_j^2}}\, g_i`},
		{name: "gae", tex: `\hat{A}_t = \sum_{l=0}^{T-t-1} (\gamma\lambda)^{l+1} \delta_{t+l}`},
		{name: "discounted_return", tex: `G_t = \sum_{k=0}^{T-t} \gamma^k r_{t+k+1}`},
		// the derivative of softplus(-x), not of softplus(x)
		{name: "softplus_derivative", tex: `s(x) = \frac{\mathrm{d}}{\mathrm{d}x} \log\left(1 + e^{-x}\right)`},
		// a gradient of the quadratic without its transpose term
		{name: "quadratic_gradient", tex: `\mathbf{g} = \nabla_{\mathbf{x}} \left(\frac{1}{2}\mathbf{x}^\top \mathbf{x} - \mathbf{b}^\top \mathbf{x}\right)`},
	}
	py := python(t)
	ref, err := os.ReadFile(filepath.Join("testdata", "curated", "reference.py"))
	if err != nil {
		t.Fatal(err)
	}
	var oracles []oracle.Oracle
	var names []string
	for _, c := range wrong {
		o := translateCurated(t, c)
		if o.Executable {
			oracles = append(oracles, o)
			names = append(names, c.name)
		}
	}
	var src bytes.Buffer
	src.Write(oracle.Module(oracles, "wrong equations"))
	src.Write(ref)
	src.WriteString(curatedDriver)
	path := filepath.Join(t.TempDir(), "wrong.py")
	if err := os.WriteFile(path, src.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
	out, _ := exec.Command(py, append([]string{path}, names...)...).CombinedOutput()
	for _, name := range names {
		if strings.Contains(string(out), "PASS "+name+"\n") {
			t.Errorf("the wrong %s passes", name)
		}
	}
	if len(names) != len(wrong) {
		t.Errorf("only %d of %d wrong equations translated", len(names), len(wrong))
	}
}

// TestCurated translates each equation of the curated set and checks the
// oracle against the independent NumPy implementation of reference.py on
// random inputs.
func TestCurated(t *testing.T) {
	cases := loadCurated(t)
	if len(cases) < 30 {
		t.Fatalf("the curated set has %d equations, want at least 30", len(cases))
	}
	var oracles []oracle.Oracle
	var names []string
	for _, c := range cases {
		o := translateCurated(t, c)
		if !o.Executable {
			t.Errorf("%s: not executable: %s", c.name, o.Reason)
			continue
		}
		oracles = append(oracles, o)
		names = append(names, c.name)
	}
	py := python(t)
	ref, err := os.ReadFile(filepath.Join("testdata", "curated", "reference.py"))
	if err != nil {
		t.Fatal(err)
	}
	var src bytes.Buffer
	src.Write(oracle.Module(oracles, "curated equations"))
	src.WriteString("\n\n# --- reference.py ---\n")
	src.Write(ref)
	src.WriteString(curatedDriver)
	path := filepath.Join(t.TempDir(), "curated.py")
	if err := os.WriteFile(path, src.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
	out, err := exec.Command(py, append([]string{path}, names...)...).CombinedOutput()
	if err != nil {
		t.Fatalf("curated module: %v\n%s", err, out)
	}
	passed := map[string]bool{}
	for _, line := range strings.Split(strings.TrimSpace(string(out)), "\n") {
		switch {
		case strings.HasPrefix(line, "PASS "):
			passed[strings.TrimPrefix(line, "PASS ")] = true
		case strings.HasPrefix(line, "FAIL "):
			t.Error(line)
		}
	}
	var b strings.Builder
	for _, c := range cases {
		mark := "FAIL"
		if passed[c.name] {
			mark = "pass"
		}
		fmt.Fprintf(&b, "%-30s %s\n", c.name, mark)
	}
	t.Logf("curated set, %d of %d equations agree with NumPy:\n%s", len(passed), len(cases), b.String())
	if !slices.Equal(names, names) || len(passed) != len(cases) {
		t.Errorf("%d of %d curated equations pass", len(passed), len(cases))
	}
}
