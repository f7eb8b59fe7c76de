package facts

import (
	"strings"
	"testing"
)

// FuzzExtractSentence checks that the sentence parser never panics or
// hangs, and that what it finds is the sentence's own: every value's raw
// text is in the sentence, and every value has the type its kind says.
func FuzzExtractSentence(f *testing.F) {
	for _, s := range []string{
		"We use a learning rate of 3e-4 and a batch size of 256.",
		"Adam with $\\beta_1 = 0.9$ and $\\beta_2 = 0.999$, $\\epsilon = 10^{-8}$.",
		"trained for 100k steps with 4000 warm-up steps and dropout 10\\%.",
		"grid {0.1, 0.3, 0.5}; between 1e-4 and 1e-3; 1e-4–1e-3; [.01, .003]",
		"$L = 4$ layers, $H = 8$ heads, hidden size $d = 256$, λ = 0.5, τ=0.1",
		"We use the cosine schedule, starting at $0.1$ for CIFAR-10 and $3.2$ for ImageNet.",
		"$\\{", "$", "\\", "10^{", "3 \\times", "1,", "-", ".5.", "β", "$x_{", "{{{{", "12,000,00",
		"images of size $224 \\times 224 \\times 3$ and 512x512 pixels",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		if len(s) > 2000 {
			return
		}
		g := newGlossary()
		g.learn(s)
		for _, h := range extractSentence(s, g, strings.ToLower(s)) {
			if h.name == "" {
				t.Fatalf("%q: empty name", s)
			}
			if h.val.raw != "" && !strings.Contains(s, h.val.raw) {
				t.Fatalf("%q: raw %q is not in the sentence", s, h.val.raw)
			}
			switch h.val.kind {
			case kindNumber:
				if _, ok := h.val.v.(float64); !ok {
					t.Fatalf("%q: number %T", s, h.val.v)
				}
			case kindList, kindRange:
				if _, ok := h.val.v.([]float64); !ok {
					t.Fatalf("%q: %s %T", s, h.val.kind, h.val.v)
				}
			case kindText:
				if _, ok := h.val.v.(string); !ok {
					t.Fatalf("%q: text %T", s, h.val.v)
				}
			default:
				t.Fatalf("%q: kind %q", s, h.val.kind)
			}
		}
		splitSentences(s)
		parseCellValue(s)
		cellItems(s, s, g)
		toks := lex(s)
		findDatasets(toks, s)
		findMetrics(toks, true, true)
	})
}
