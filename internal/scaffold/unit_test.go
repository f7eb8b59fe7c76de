package scaffold

import (
	"bytes"
	"slices"
	"strings"
	"testing"

	"github.com/reprohq/repro/doc"
)

func TestIdentifier(t *testing.T) {
	for _, tc := range []struct{ in, want string }{
		{"Q", "q"},
		{`\mathbf{W}^{Q}`, "w_q"},
		{`\hat{x}`, "hat_x"},
		{"x'", "x_prime"},
		{`\theta_f`, "theta_f"},
		{`\lambda`, "lambda_"},
		{`\mathcal{L}_{\mathrm{LS}}`, "l_ls"},
		{"2x", "x2x"},
		{`\mathrm{sum}`, "sum_"},
		{"é", ""},
		{"", ""},
	} {
		if got := identifier(tc.in); got != tc.want {
			t.Errorf("identifier(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
}

func TestParameters(t *testing.T) {
	for _, tc := range []struct {
		args []string
		want []string
	}{
		{nil, []string{"x"}},
		{[]string{"Q", "K", "V"}, []string{"q", "k", "v"}},
		{[]string{"x", "x", "N"}, []string{"x", "n"}},
		{[]string{"f", "x", "f", "X"}, []string{"f", "x", "big_x"}},
		{[]string{`\theta`, `\theta'`}, []string{"theta", "theta_prime"}},
		{[]string{"a_1", "a^1"}, []string{"a_1", "a_1_2"}},
		{[]string{`\;`}, []string{"x"}},
	} {
		got, _ := parameters(tc.args)
		if !slices.Equal(got, tc.want) {
			t.Errorf("parameters(%q) = %q, want %q", tc.args, got, tc.want)
		}
	}
}

func TestPyDoc(t *testing.T) {
	in := "a \"\"\" b \\\nc\r\n\x00d \\"
	got := pyDoc(in, "    ")
	if strings.Contains(got, `"`) || strings.ContainsAny(got, "\x00\r") {
		t.Errorf("pyDoc(%q) = %q: a quote or control character is left", in, got)
	}
	if want := "a '''''' b \\\n    c\n    d \\"; got != want {
		t.Errorf("pyDoc(%q) = %q, want %q", in, got, want)
	}
	if got := pyStr("a\"b\\c\nd"); got != `"a\"b\\c\nd"` {
		t.Errorf("pyStr = %s", got)
	}
	if got := fence("a ``` b ```` c"); got != "`````" {
		t.Errorf("fence = %q", got)
	}
}

func TestYAMLNumber(t *testing.T) {
	for _, tc := range []struct {
		in   float64
		want string
	}{
		{3e-4, "0.0003"},
		{1e-8, "1.0e-08"},
		{2.5e-10, "2.5e-10"},
		{1e20, "1.0e+20"},
		{256, "256"},
		{-3, "-3"},
		{0.1, "0.1"},
	} {
		if got := yamlNumber(tc.in); got != tc.want {
			t.Errorf("yamlNumber(%g) = %q, want %q", tc.in, got, tc.want)
		}
	}
}

func TestMarker(t *testing.T) {
	for _, p := range []string{"a.py", "b.toml", "c.yaml", "d.sh", ".gitignore", "e.md", "f.ipynb", ".python-version"} {
		body := []byte("line one\nline two\n")
		if p == "f.ipynb" {
			body = []byte(`{"metadata": {"repro": {"marker": "repro:generated sha256=` + zeroHash + `"}}}` + "\n")
		}
		file := mark(p, body, "v1")
		got, rec, ok := unmark(p, file)
		if styleOf(p) == markNone {
			if ok || !bytes.Equal(file, body) {
				t.Errorf("%s: marked although it cannot hold a marker", p)
			}
		} else if !ok || !bytes.Equal(got, body) || rec != hashOf(body) {
			t.Errorf("%s: unmark(mark(body)) = %q, %q, %v", p, got, rec, ok)
		}
		for _, tc := range []struct {
			name    string
			current []byte
			exists  bool
			body    []byte
			want    verdict
		}{
			{"missing", nil, false, body, write},
			{"same", file, true, body, unchanged},
			{"other version", mark(p, body, "v2"), true, body, unchanged},
			{"plan changed", file, true, []byte("new body\n"), write},
			{"user changed", append(bytes.Clone(file), "mine\n"...), true, []byte("new body\n"), kept},
			{"user's own file", []byte("mine\n"), true, body, kept},
			{"user's own file, same as generated", body, true, body, unchanged},
		} {
			want := tc.want
			if styleOf(p) == markNone && tc.name == "plan changed" {
				want = kept // without a marker, a difference is the user's
			}
			if p == "f.ipynb" && tc.name == "plan changed" {
				continue // a notebook body always holds its marker
			}
			if got := judge(p, tc.current, tc.exists, tc.body); got != want {
				t.Errorf("%s, %s: judge = %v, want %v", p, tc.name, got, want)
			}
		}
	}
}

func TestDifferentiable(t *testing.T) {
	for _, tc := range []struct {
		latex string
		want  bool
	}{
		{`\operatorname{softmax}(x)`, true},
		{`\hat{y} = \operatorname*{arg\,max}_c p(c)`, false},
		{`\arg\min_x f(x)`, false},
		{`q = \mathbb{1}[c = y]`, false},
		{`g = \begin{cases} 1 & x > 0 \\ 0 \end{cases}`, false},
		{`\lfloor x \rfloor`, false},
	} {
		if got, _ := differentiable(tc.latex); got != tc.want {
			t.Errorf("differentiable(%q) = %v", tc.latex, got)
		}
	}
}

func TestPaperHyperparameters(t *testing.T) {
	src := func(sec, table string) doc.Provenance {
		return doc.Provenance{Section: sec, Table: table, Quote: "q " + sec + table}
	}
	pc := paperHyperparameters([]doc.Hyperparameter{
		{Name: "epsilon", Value: 1e-5, Raw: "10^{-5}", Source: src("3", "")},
		{Name: "learning_rate", Value: 3e-4, Raw: "3e-4", Source: src("4", "")},
		{Name: "epsilon", Value: 1e-8, Raw: "10^{-8}", Source: src("4", "1")},
		{Name: "final_learning_rate", Value: 3e-6, Raw: "3e-6", Source: src("4", "1")},
		{Name: "optimizer", Value: "SGD with momentum", Raw: "SGD", Source: src("4", "")},
		{Name: "num_layers", Value: 2.5, Raw: "2.5", Source: src("4", "")},
		{Name: "batch_size", Value: []any{64.0, 128.0}, Raw: "64, 128", Kind: "list", Source: src("4", "")},
	})
	got := map[string]string{}
	for _, s := range pc.Sections {
		for _, it := range s.Items {
			got[s.Name+"."+it.Key] = it.Value
		}
	}
	want := map[string]string{
		"optimizer.eps": "1.0e-08", "optimizer.lr": "0.0003", "optimizer.name": "sgd", "schedule.min_lr_ratio": "0.01",
		"train.batch_size": "64", "paper.epsilon": "1.0e-05", "paper.num_layers": "2.5",
	}
	for k, v := range want {
		if got[k] != v {
			t.Errorf("%s = %q, want %q (all: %v)", k, got[k], v, got)
		}
	}
	if len(got) != len(want) {
		t.Errorf("got %v, want %v", got, want)
	}
}

func TestNotebookFromPercent(t *testing.T) {
	nb, err := notebook([]byte("# %% [markdown]\n# # Title\n#\n# text\n\n# %%\nx = 1\n\n\n# %%\n\n"), &project{})
	if err != nil {
		t.Fatal(err)
	}
	s := string(nb)
	for _, want := range []string{`"cell_type": "markdown"`, `"# Title\n"`, `"text"`, `"x = 1"`, `"nbformat": 4`, zeroHash} {
		if !strings.Contains(s, want) {
			t.Errorf("notebook lacks %s:\n%s", want, s)
		}
	}
	if strings.Count(s, `"cell_type"`) != 2 {
		t.Errorf("empty cells kept:\n%s", s)
	}
	if _, err := notebook([]byte("x = 1\n# %%\n"), &project{}); err == nil {
		t.Error("text before the first cell: no error")
	}
}

func TestLayoutTree(t *testing.T) {
	pr := &project{Model: true, CLI: true, Notebook: true, Papers: []*paper{{ID: "p", Package: "p", Config: "configs/paper.yaml", ModelTest: "tests/test_model.py",
		Components: []*component{{Module: "m", Section: "1", Name: "Method", Equations: []*equation{{}}}}}}}
	got := strings.Join(layout(pr), "\n")
	for _, want := range []string{"├── src/\n│   └── p/\n│       ├── m.py", "└── docs/", "one file per numbered equation (1)"} {
		if !strings.Contains(got, want) {
			t.Errorf("layout lacks %q:\n%s", want, got)
		}
	}
	if strings.Contains(got, "test_algorithms") {
		t.Errorf("layout lists algorithms tests without algorithms:\n%s", got)
	}
}
