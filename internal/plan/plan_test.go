package plan_test

import (
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/reprohq/repro"
	"github.com/reprohq/repro/doc"
	"github.com/reprohq/repro/internal/graph"
	"github.com/reprohq/repro/internal/plan"
)

func phaseNames(p *plan.Plan) []string {
	var out []string
	for _, ph := range p.Phases {
		if strings.HasPrefix(ph.Name, "Components of") {
			if len(out) == 0 || out[len(out)-1] != "Components" {
				out = append(out, "Components")
			}
			continue
		}
		out = append(out, ph.Name)
	}
	return out
}

func TestOptions(t *testing.T) {
	papers := family(t)
	g := graph.Build(papers)
	all := []string{"Set-up", "Tests first", "Components", "Model assembly", "Training", "Quality gates", "Documentation", "Benchmarks"}
	tests := []struct {
		opts           plan.Options
		intent, env    string
		phases         []string
		optionRisk     bool
		trainingVerify string
	}{
		{plan.Options{}, "full", "cpu", all, false, "configs/small.yaml"},
		{plan.Options{Intent: "Benchmark", Env: "GPU"}, "benchmark", "gpu", all, false, "configs/paper.yaml --device cuda"},
		{plan.Options{Intent: "validate", Env: "gpu"}, "validate", "gpu",
			[]string{"Set-up", "Tests first", "Components", "Model assembly", "Training", "Quality gates", "Documentation"}, false, "configs/small.yaml"},
		{plan.Options{Intent: "component"}, "component", "cpu",
			[]string{"Set-up", "Tests first", "Components", "Quality gates", "Documentation"}, false, ""},
		{plan.Options{Intent: "extend", Env: "colab"}, "extend", "colab", append(slices.Clone(all), "Extension"), false, "notebooks/quickstart.ipynb"},
		{plan.Options{Intent: "everything", Env: "tpu"}, "full", "cpu", all, true, "configs/small.yaml"},
	}
	for _, tt := range tests {
		t.Run(tt.opts.Intent+"/"+tt.opts.Env, func(t *testing.T) {
			p := plan.Build(g, papers, tt.opts)
			if p.Intent != tt.intent || p.Env != tt.env {
				t.Errorf("intent, env = %s, %s; want %s, %s", p.Intent, p.Env, tt.intent, tt.env)
			}
			if p.IntentDescription == "" || p.EnvDescription == "" {
				t.Error("missing descriptions")
			}
			if got := phaseNames(p); !slices.Equal(got, tt.phases) {
				t.Errorf("phases = %q, want %q", got, tt.phases)
			}
			for i, ph := range p.Phases {
				if ph.Number != i+1 || len(ph.Verify) == 0 {
					t.Errorf("phase %d %q: number %d, %d verify commands", i, ph.Name, ph.Number, len(ph.Verify))
				}
				if ph.Name == "Training" && !strings.Contains(strings.Join(ph.Verify, "\n"), tt.trainingVerify) {
					t.Errorf("training verify %q lacks %q", ph.Verify, tt.trainingVerify)
				}
			}
			hasRisk := false
			for _, r := range p.Risks {
				hasRisk = hasRisk || r.Kind == "options"
			}
			if hasRisk != tt.optionRisk {
				t.Errorf("option risk = %v, want %v", hasRisk, tt.optionRisk)
			}
			bench := slices.Contains(tt.phases, "Benchmarks")
			if got := strings.Contains(strings.Join(p.SuccessCriteria, "\n"), "2% relative"); got != bench {
				t.Errorf("tolerance criterion = %v, want %v: %q", got, bench, p.SuccessCriteria)
			}
		})
	}
}

// TestSinglePaper plans the TinyFormer example alone: test files without a
// package prefix, several component levels, tags and appendix numbers.
func TestSinglePaper(t *testing.T) {
	d, err := repro.Extract(context.Background(), "../../examples/tinyformer", repro.Options{})
	if err != nil {
		t.Fatal(err)
	}
	p := plan.Build(nil, []graph.Paper{{ID: "tinyformer", Doc: d}}, plan.Options{})
	var paths []string
	for _, tf := range p.Tests {
		paths = append(paths, tf.Path)
	}
	for _, want := range []string{
		"tests/test_equations/test_eq1_1_predict.py",
		"tests/test_equations/test_eq3_1_attn.py",
		"tests/test_equations/test_eqmha_mha.py",
		"tests/test_equations/test_eq3_6a_block_a.py",
		"tests/test_equations/test_eqa_4_lr.py",
		"tests/test_algorithms/test_alg1_train.py",
		"tests/test_algorithms/test_algb_1_infer.py",
	} {
		if !slices.Contains(paths, want) {
			t.Errorf("no test file %s in %q", want, paths)
		}
	}
	numbered := 0
	for _, e := range d.Equations {
		if e.Number != nil {
			numbered++
		}
	}
	if len(p.Tests) != numbered+len(d.Algorithms) {
		t.Errorf("%d test files, want %d", len(p.Tests), numbered+len(d.Algorithms))
	}
	if p.Papers[0].Package != "tinyformer" {
		t.Errorf("package %q", p.Papers[0].Package)
	}
	levels := map[int]bool{}
	for _, c := range p.Papers[0].Components {
		levels[c.Level] = true
		if !strings.HasPrefix(c.Path, "src/tinyformer/") || !strings.HasSuffix(c.Path, ".py") {
			t.Errorf("component path %q", c.Path)
		}
	}
	if !levels[0] || !levels[1] {
		t.Errorf("levels %v, want 0 and 1", levels)
	}
	for i := 1; i < len(p.Papers[0].Components); i++ {
		if p.Papers[0].Components[i].Level < p.Papers[0].Components[i-1].Level {
			t.Error("components not sorted by level")
		}
	}
	for _, r := range p.EquationDependencies {
		if r.Equation == "3.3" && slices.Contains(r.Defines, "h") {
			t.Errorf("(3.3) defines h: %q (h = 1, ..., H is an index range)", r.Defines)
		}
	}
	if !strings.HasPrefix(string(p.Markdown()), "# Implementation plan: TinyFormer") {
		t.Errorf("title: %.80s", p.Markdown())
	}
}

func TestEmpty(t *testing.T) {
	for _, papers := range [][]graph.Paper{nil, {{ID: "x"}}, {{ID: "a", Doc: doc.New()}, {ID: "b", Doc: doc.New()}}} {
		p := plan.Build(nil, papers, plan.Options{})
		js, err := p.JSON()
		if err != nil {
			t.Fatal(err)
		}
		if strings.Contains(string(js), "null") {
			t.Errorf("JSON has null:\n%s", js)
		}
		var back map[string]any
		if err := json.Unmarshal(js, &back); err != nil {
			t.Fatal(err)
		}
		if md := p.Markdown(); !strings.Contains(string(md), "## Success criteria") {
			t.Errorf("Markdown incomplete:\n%s", md)
		}
	}
}

func TestCyclePlan(t *testing.T) {
	mk := func(id, cites string) graph.Paper {
		d := doc.New()
		d.Title = "Paper " + id
		d.Sections = []doc.Section{{Number: "1", Title: "Method", Level: 1}}
		d.References = []doc.Reference{{Key: "k", ArxivID: cites, Cited: 1, CitedIn: []string{"1"}}}
		d.Equations = []doc.Equation{{ID: "eq-1", Number: ptr("1"), Label: "eq:" + id, Section: "1", LaTeXExpanded: `y_` + id + ` = x`}}
		return graph.Paper{ID: id, ArxivID: "2401.0000" + id, Doc: d}
	}
	papers := []graph.Paper{mk("1", "2401.00002"), mk("2", "2401.00003"), mk("3", "2401.00001")}
	p := plan.Build(nil, papers, plan.Options{})
	if len(p.Graph.Cycles) != 1 || len(p.Graph.Broken) != 1 {
		t.Fatalf("cycles %q, broken %v", p.Graph.Cycles, p.Graph.Broken)
	}
	found := false
	for _, r := range p.Risks {
		found = found || r.Kind == "cycle"
	}
	if !found {
		t.Error("no cycle risk")
	}
	md := string(p.Markdown())
	if !strings.Contains(md, "Cycles broken:") || !strings.Contains(md, "-.->") {
		t.Error("Markdown does not show the broken cycle")
	}
	// All weights are equal: 1 → 2 is ignored (ties by From, To), so the
	// order is 1, 3, 2; packages come from the titles ("Paper 1").
	var pkgs []string
	for _, pp := range p.Papers {
		pkgs = append(pkgs, pp.Package)
	}
	if want := []string{"paper_1", "paper_3", "paper_2"}; !slices.Equal(pkgs, want) {
		t.Errorf("packages %q, want %q", pkgs, want)
	}
}

func ptr(s string) *string { return &s }

// TestCorpus plans every paper of the shared corpus alone and all of them
// together: no panic, and a test file per numbered equation.
func TestCorpus(t *testing.T) {
	const dir = "../../../shared/corpus/papers"
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Skip("corpus not present: " + dir)
	}
	if testing.Short() {
		t.Skip("corpus: skipped in -short mode")
	}
	var papers []graph.Paper
	for _, e := range entries {
		if !e.IsDir() {
			continue
		}
		d, err := repro.Extract(context.Background(), filepath.Join(dir, e.Name()), repro.Options{})
		if err != nil {
			continue
		}
		gp := graph.Paper{ID: e.Name(), Doc: d}
		papers = append(papers, gp)
		p := plan.Build(nil, []graph.Paper{gp}, plan.Options{})
		numbered, links := 0, 0
		for _, eq := range d.Equations {
			if eq.Number != nil {
				numbered++
			}
		}
		for _, r := range p.EquationDependencies {
			links += len(r.DependsOn)
		}
		eqTests := 0
		for _, tf := range p.Tests {
			if tf.Kind == "equation" {
				eqTests++
			}
		}
		if eqTests != numbered {
			t.Errorf("%s: %d equation tests, %d numbered equations", e.Name(), eqTests, numbered)
		}
		if _, err := p.JSON(); err != nil {
			t.Errorf("%s: %v", e.Name(), err)
		}
		p.Markdown()
		t.Logf("%s: %d equations, %d links, %d components", e.Name(), len(d.Equations), links, len(p.Papers[0].Components))
	}
	p := plan.Build(nil, papers, plan.Options{})
	t.Logf("corpus: %d papers, %d test files, %d edges", len(p.Papers), len(p.Tests), len(p.Graph.Edges))
}
