package plan

import "testing"

func TestNames(t *testing.T) {
	pkgs := []struct{ id, title, want string }{
		{"tinyformer", "TinyFormer: Gated Residual Attention", "tinyformer"},
		{"2401.00001", "GateNorm: Normalised Gating for Residual Networks", "gatenorm"},
		{"2402.00002", "Sparse GateNorm: Token-Adaptive Gating", "sparse_gatenorm"},
		{"2403.00003", "Streaming Speech Recognition with Sparse Gated Residual Blocks", "streaming_speech_recognition"},
		{"2401.00004", "A Very Long Prefix Before The Colon: Subtitle", "very_long_prefix"},
		{"2401.00005", "", "paper_2401_00005"},
		{"hep-th/9901001", "", "paper_hep_th_9901001"},
		{"2401.00006", "3D Gaussians", "m_3d_gaussians"},
		{"2401.00007", "Lambda", "lambda_"},
	}
	for _, tt := range pkgs {
		if got := packageName(tt.id, tt.title); got != tt.want {
			t.Errorf("packageName(%q, %q) = %q, want %q", tt.id, tt.title, got, tt.want)
		}
	}
	mods := []struct{ title, top, want string }{
		{"The TinyFormer Block", "3", "tinyformer_block"},
		{"Attention and normalization", "3", "attention_normalization"},
		{"Method", "3", "method"},
		{"", "4", "section_4"},
		{"Front matter", "", "front_matter"},
		{"$\\alpha$", "", "alpha"},
	}
	for _, tt := range mods {
		if got := moduleName(tt.title, tt.top); got != tt.want {
			t.Errorf("moduleName(%q) = %q, want %q", tt.title, got, tt.want)
		}
	}
	labels := []struct{ in, want string }{
		{"eq:gate-norm", "gate_norm"}, {"eqn:sec:loss", "loss"}, {"loss", "loss"}, {"", ""},
	}
	for _, tt := range labels {
		if got := labelSlug(tt.in); got != tt.want {
			t.Errorf("labelSlug(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
	syms := []struct{ in, want string }{
		{`\mathcal{L}_{\mathrm{LS}}`, "l_ls"}, {`\hat{x}`, "hat_x"}, {"h'", "h_prime"}, {`\mathrm{Attn}`, "attn"}, {"", ""},
	}
	for _, tt := range syms {
		if got := symbolSlug(tt.in); got != tt.want {
			t.Errorf("symbolSlug(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
	used := map[string]bool{}
	for _, want := range []string{"a", "a_2", "a_3"} {
		if got := unique("a", used); got != want {
			t.Errorf("unique = %q, want %q", got, want)
		}
	}
}
