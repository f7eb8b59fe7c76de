package mathml

import (
	"encoding/xml"
	"errors"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/reprohq/repro"
	"github.com/reprohq/repro/internal/golden"
)

// wellFormed parses s as XML and returns the element names in order.
func wellFormed(t testing.TB, s string) []string {
	t.Helper()
	dec := xml.NewDecoder(strings.NewReader(s))
	var names []string
	for {
		tok, err := dec.Token()
		if errors.Is(err, io.EOF) {
			return names
		}
		if err != nil {
			t.Fatalf("not well-formed XML: %v\n%s", err, s)
		}
		if se, ok := tok.(xml.StartElement); ok {
			names = append(names, se.Name.Local)
		}
	}
}

func TestRender(t *testing.T) {
	tests := []struct {
		name, latex string
		want        []string // substrings of the MathML, in order
	}{
		{"fraction", `\frac{a}{b}`, []string{"<mfrac>", "<mi>a</mi>", "<mi>b</mi>", "</mfrac>"}},
		{"sub and sup", `x_i^2`, []string{"<msubsup><mi>x</mi>", "<mi>i</mi>", "<mn>2</mn>", "</msubsup>"}},
		{"norm squared", `\|x\|_2^2`, []string{"<msubsup>", "‖", "<mn>2</mn>", "<mn>2</mn>", "</msubsup>"}},
		{"sum with limits", `\sum_{i=1}^{N} x_i`, []string{"<munderover>", "∑", "<mi>i</mi><mo>=</mo><mn>1</mn>", "<mi>N</mi>", "</munderover>"}},
		{"integral limits beside", `\int_0^1 f(x)\,dx`, []string{"<msubsup>", "∫", "</msubsup>"}},
		{"greek", `\alpha + \Gamma`, []string{"<mi>α</mi>", "<mo>+</mo>", `<mi mathvariant="normal">Γ</mi>`}},
		{"minus sign", `a - b`, []string{"<mo>−</mo>"}},
		{"bold", `\mathbf{W}x`, []string{"𝐖", "<mi>x</mi>"}},
		{"blackboard", `\mathbb{R}^{d}`, []string{"ℝ", "<mi>d</mi>"}},
		{"calligraphic", `\mathcal{L} = 0`, []string{"ℒ"}},
		{"hat accent", `\hat{y}`, []string{`<mover accent="true"><mi>y</mi>`, "^"}},
		{"sqrt", `\sqrt{d_k}`, []string{"<msqrt>", "<msub><mi>d</mi>", "</msqrt>"}},
		{"root", `\sqrt[3]{x}`, []string{"<mroot>", "<mn>3</mn>", "</mroot>"}},
		{"expectation", `\mathbb{E}_{x \sim p}[f(x)]`, []string{"<msub>", "𝔼", "∼", "["}},
		{"cases", `f(x) = \begin{cases} 1 & x > 0 \\ 0 & \text{otherwise} \end{cases}`, []string{"{", `<mtable columnalign="left">`, "<mtr>", "&gt;", "<mtext>", "otherwise"}},
		{"matrix", `\begin{pmatrix} a & b \\ c & d \end{pmatrix}`, []string{"(", "<mtable>", "<mtd><mi>a</mi></mtd>", ")"}},
		{"relations", `a \le b \ne c \approx d`, []string{"≤", "≠", "≈"}},
		{"negated relation", `a \nleq b`, []string{"≤\u0338"}},
		{"transpose", `W^\top x`, []string{"<msup>", "⊤"}},
		{"arg max", `\operatorname*{arg\,max}_\theta J(\theta)`, []string{"<munder><mi>arg max</mi>", "θ"}},
		{"function", `\log p(x)`, []string{"<mi>log</mi>", "\u2061"}},
		{"lines keep separators", `a = 1, \quad b = 2, \\ c = 3`, []string{"<mtable", "<mo separator=\"true\">,</mo>", "<mspace width=\"1em\">", "</mtr><mtr>", "<mn>3</mn>"}},
		{"binomial", `\binom{n}{k}`, []string{`<mfrac linethickness="0">`}},
		{"prime", `f'(x)`, []string{"′"}},
		{"escaping", `a < b`, []string{"&lt;"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, ok := Render(tc.latex)
			if !ok {
				t.Fatalf("Render(%q) = false", tc.latex)
			}
			wellFormed(t, got)
			if !strings.HasPrefix(got, `<math display="block">`) || !strings.HasSuffix(got, "</math>") {
				t.Errorf("not a block math element: %s", got)
			}
			rest := got
			for _, w := range tc.want {
				i := strings.Index(rest, w)
				if i < 0 {
					t.Fatalf("missing %q (in order) in\n%s", w, got)
				}
				rest = rest[i+len(w):]
			}
		})
	}
}

func TestRenderRefuses(t *testing.T) {
	for _, s := range []string{"", "   ", `\frac{a}{`, `\unknowncommand{x}`} {
		if got, ok := Render(s); ok {
			t.Errorf("Render(%q) = %q, true; want false (shown as LaTeX)", s, got)
		}
	}
}

func TestInline(t *testing.T) {
	got, ok := RenderInline(`x^2`)
	if !ok || !strings.HasPrefix(got, "<math>") {
		t.Fatalf("RenderInline = %q, %v", got, ok)
	}
}

// TestExampleGolden renders every equation of the example paper; the
// golden file shows what the report shows.
func TestExampleGolden(t *testing.T) {
	d, err := repro.Extract(t.Context(), filepath.Join("..", "..", "examples", "tinyformer"), repro.Options{})
	if err != nil {
		t.Fatal(err)
	}
	var b strings.Builder
	rendered := 0
	for _, e := range d.Equations {
		num := "-"
		if e.Number != nil {
			num = *e.Number
		}
		m, ok := Render(e.LaTeXExpanded)
		if !ok {
			b.WriteString("(" + num + ") LaTeX: " + e.LaTeXExpanded + "\n\n")
			continue
		}
		rendered++
		wellFormed(t, m)
		b.WriteString("(" + num + ") " + m + "\n\n")
	}
	if rendered < len(d.Equations)*9/10 {
		t.Errorf("rendered %d of %d equations", rendered, len(d.Equations))
	}
	golden.Check(t, filepath.Join("testdata", "tinyformer.golden"), []byte(b.String()))
}

// TestCorpus renders every display equation of the corpus: the output is
// always well-formed, and most equations render.
func TestCorpus(t *testing.T) {
	dir := golden.CorpusDir(t)
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	total, rendered := 0, 0
	for _, e := range entries {
		if !e.IsDir() {
			continue
		}
		d, err := repro.Extract(t.Context(), filepath.Join(dir, e.Name()), repro.Options{})
		if err != nil {
			t.Errorf("%s: %v", e.Name(), err)
			continue
		}
		for _, eq := range d.Equations {
			total++
			if m, ok := Render(eq.LaTeXExpanded); ok {
				rendered++
				wellFormed(t, m)
			}
		}
	}
	rate := float64(rendered) / float64(max(total, 1))
	t.Logf("corpus: %d of %d display equations rendered as MathML (%.1f%%)", rendered, total, 100*rate)
	if rate < 0.95 {
		t.Errorf("only %.1f%% rendered", 100*rate)
	}
}

func FuzzRender(f *testing.F) {
	for _, s := range []string{`\frac{a}{b}`, `x_i^2`, `\sum_{i}^{n} \alpha_i`, `\begin{cases} a & b \\ c \end{cases}`,
		`\mathbb{E}[x] \le \|y\|_2^2`, `a, \quad b \\ c`, `\hat{\bar{x}}'`, `\dv{f}{x}`, `<&>"`} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		if m, ok := Render(s); ok {
			wellFormed(t, m)
		}
	})
}

func BenchmarkRender(b *testing.B) {
	const eq = `\mathcal{L}(\theta) = -\frac{1}{N}\sum_{i=1}^{N} \log p_\theta(y_i \mid x_i) + \lambda \|\theta\|_2^2`
	b.SetBytes(int64(len(eq)))
	for b.Loop() {
		if _, ok := Render(eq); !ok {
			b.Fatal("not rendered")
		}
	}
}

func TestInlineLimits(t *testing.T) {
	display, _ := Render(`\sum_{i=1}^{n} x_i`)
	inline, _ := RenderInline(`\sum_{i=1}^{n} x_i`)
	if !strings.Contains(display, "<munderover>") || !strings.Contains(inline, "<msubsup>") {
		t.Errorf("display %s\ninline %s", display, inline)
	}
}
