package plan

import (
	"slices"
	"testing"
)

func TestAnalyze(t *testing.T) {
	tests := []struct {
		name    string
		latex   string
		defines string
		also    []string
		args    []string
		uses    []string
	}{
		{"calligraphic with text subscript", `\mathcal{L}_{\mathrm{LS}} &= - \sum_{c=1}^{C} q_c \log p_\theta(c \mid x),`,
			`\mathcal{L}_{\mathrm{LS}}`, nil, nil, []string{"C", "q_c", `p_{\theta}`, "x"}},
		{"same name written three ways", `\mathcal{L}_{LS} = \mathcal{L}_{\text{CE}} + \mathcal{L}_\mathrm{gate}`,
			`\mathcal{L}_{\mathrm{LS}}`, nil, nil, []string{`\mathcal{L}_{\mathrm{CE}}`, `\mathcal{L}_{\mathrm{gate}}`}},
		{"layer superscript dropped", `\boldsymbol{h}^{(l)} &= \boldsymbol{h}^{(l-1)} + g^{(l)} \, \boldsymbol{a}^{(l)}`,
			"h", nil, nil, []string{"g", "a"}},
		{"function head with arguments", `\operatorname{Attn}(Q, K, V) = \operatorname{softmax}\!\left( \frac{Q K^\top}{\sqrt{d_k}} \right) V`,
			`\mathrm{Attn}`, nil, []string{"Q", "K", "V"}, []string{"d"}},
		{"bold and transposes", `g = \operatorname{sigmoid}\left( \mathbf{w}_g^\top \hat{\mathbf{x}} + b_g \right) ,`,
			"g", nil, nil, []string{"w_g", `\hat{x}`, "b_g"}},
		{"power dropped", `\sigma^2 &= \frac{1}{d} \sum_{i=1}^{d} \left( x_i - \mu \right)^2 ,`,
			`\sigma`, nil, nil, []string{"d", "x", `\mu`}},
		{"coloneqq", `\mathrm{GN}(x) \coloneqq x / \|x\|`, `\mathrm{GN}`, nil, []string{"x"}, nil},
		{"colon equals", `z := W_1 x + b_1`, "z", nil, nil, []string{"W_1", "x", "b_1"}},
		{"triangleq", `\rho \triangleq \frac{k}{T}`, `\rho`, nil, nil, []string{"k", "T"}},
		{"equiv", `\phi(x) \equiv \exp(-x^2)`, `\phi`, nil, []string{"x"}, nil},
		{"stackrel def", `f \stackrel{\text{def}}{=} g \circ h`, "f", nil, nil, []string{"g", "h"}},
		{"identity is no definition", `a + b = c`, "", nil, nil, []string{"a", "b", "c"}},
		{"derivative is no definition", `\frac{\partial \mathcal{L}}{\partial g_t} = 1`, "", nil, nil, []string{`\mathcal{L}`, "g"}},
		{"continuation row", `&= \mathbf{W}^{O} \mathbf{z}`, "", nil, nil, []string{"W^O", "z"}},
		{"several clauses", `K &= X \mathbf{W}^{K}, \qquad V = X \mathbf{W}^{V}, \\ \mathrm{head}_h &= \operatorname{Attn}(Q_h, K_h, V_h)`,
			"K", []string{"V", `\mathrm{head}_h`}, nil, []string{"X", "W^K", "W^V", `\mathrm{Attn}`, "Q_h", "K_h", "V_h"}},
		{"index range defines nothing", `\mathrm{head}_h = \operatorname{Attn}(Q_h), \quad h = 1, \dots, H`,
			`\mathrm{head}_h`, nil, nil, []string{`\mathrm{Attn}`, "Q_h", "H"}},
		{"cases stay inside", `\tilde{g}^{(l)} = \begin{cases} 1 & \text{if } \bar{g}^{(l)} > \tau, \\ 0 & \text{otherwise}, \end{cases}`,
			`\tilde{g}`, nil, nil, []string{`\bar{g}`, `\tau`}},
		{"split wrapper", `\begin{split} \mu &= \frac{1}{d} \sum_{i} x_i, \qquad s^2 = \frac{1}{d} \sum_i (x_i - \mu)^2 \end{split}`,
			`\mu`, []string{"s"}, nil, []string{"d", "x"}},
		{"hat and tilde", `\tilde{m}_t = m_t + g_t - \operatorname{sg}(g_t)`, `\tilde{m}`, nil, nil, []string{"m", "g", `\mathrm{sg}`}},
		{"indicator is standard", `m_t &= \mathbb{1}\left[ g_t > \tau \right]`, "m", nil, nil, []string{"g", `\tau`}},
		{"name subscripts kept", `\eta_t = \eta_{\min} + \frac{1}{2}(\eta_{\max} - \eta_{\min})(1 + \cos(\pi t / T))`,
			`\eta`, nil, nil, []string{`\eta_{\min}`, `\eta_{\max}`, `\pi`, "t", "T"}},
		{"prime and star", `h' = h + F(h^{*})`, "h'", nil, nil, []string{"h", "F", "h^*"}},
		{"argmax with scripts", `\hat{y} = \operatorname*{arg\,max}_{c \in \{1,\dots,C\}} \, p_\theta(c \mid x),`,
			`\hat{y}`, nil, nil, []string{"C", `p_{\theta}`, "x"}},
		{"chunk index range", `\mathbf{h}_c = \operatorname{Encoder}\left( \mathbf{x}_{(c-1)W+1 : cW} , \mathbf{h}_{c-1} \right)`,
			"h_c", nil, nil, []string{`\mathrm{Encoder}`, "x", "h"}},
		{"plain softmax letters", `p = softmax(z)`, "p", nil, nil, []string{"z"}},
		{"varepsilon is epsilon", `y = x + \varepsilon`, "y", nil, nil, []string{"x", `\epsilon`}},
		{"label and tag dropped", `E = m c^2 \label{eq:e} \tag{E}`, "E", nil, nil, []string{"m", "c"}},
		{"powers and names in scripts", `R = \gamma^h r + W_{x2} + W^{Q} + \widecheck{\mu}_{\text{BH}}`, "R", nil, nil,
			[]string{`\gamma`, "r", `W_{\mathrm{x2}}`, "W^Q", `\check{\mu}_{\mathrm{BH}}`}},
		{"no relation", `\kappa \in (0, 1]`, "", nil, nil, []string{`\kappa`}},
		{"bound variables", `\mathcal{R} = \frac{1}{L} \sum_{l=1}^{L} g^{(l)} + \sum_j w_j + \max_{k \in K} s_k + \prod_{n}^{N} a`,
			`\mathcal{R}`, nil, nil, []string{"L", "g", "w", "K", "s", "N", "a"}},
		{"empty", ``, "", nil, nil, nil},
		{"unbalanced", `x = {\frac{a}{`, "x", nil, nil, []string{"a"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := Analyze(tt.latex)
			if got.Defines != tt.defines {
				t.Errorf("Defines = %q, want %q", got.Defines, tt.defines)
			}
			if !slices.Equal(got.Also, tt.also) {
				t.Errorf("Also = %q, want %q", got.Also, tt.also)
			}
			if !slices.Equal(got.Args, tt.args) {
				t.Errorf("Args = %q, want %q", got.Args, tt.args)
			}
			if !slices.Equal(got.Uses, tt.uses) {
				t.Errorf("Uses = %q, want %q", got.Uses, tt.uses)
			}
		})
	}
}

func TestStepSymbols(t *testing.T) {
	tests := []struct {
		text          string
		assigns, uses []string
	}{
		{`$\hat{\mathbf{x}} \gets (\mathbf{x} - \mu) / \sqrt{\sigma^2 + \epsilon}$ as in [eq:normalise]`,
			[]string{`\hat{x}`}, []string{"x", `\mu`, `\sigma`, `\epsilon`}},
		{`compute $\mathcal{L}_{\mathrm{sparse}}$ with $\tilde{m}_t$ from [eq:ste]`,
			nil, []string{`\mathcal{L}_{\mathrm{sparse}}`, `\tilde{m}`}},
		{`$\eta_s \leftarrow \eta_{\max} \, s / S_w$`, []string{`\eta_s`}, []string{`\eta_{\max}`, "s", "S_w"}},
		{`no math here`, nil, nil},
		{`unclosed $x`, nil, nil},
	}
	for _, tt := range tests {
		a, u := StepSymbols(tt.text)
		if !slices.Equal(a, tt.assigns) || !slices.Equal(u, tt.uses) {
			t.Errorf("StepSymbols(%q) = %q, %q; want %q, %q", tt.text, a, u, tt.assigns, tt.uses)
		}
	}
}

func FuzzAnalyze(f *testing.F) {
	for _, s := range []string{`x = y`, `\mathbf{`, `_^_^`, `\begin{cases}`, `\hat\hat\hat`, `x_{\mathrm{`, `\stackrel{=}`, `$`} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		Analyze(s)
		StepSymbols(s)
	})
}
