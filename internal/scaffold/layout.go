package scaffold

import (
	"strconv"
	"strings"
)

// entry is one line of the layout tree in README.md.
type entry struct {
	depth      int
	name, note string
}

// layout draws the project's tree for README.md: the files and folders,
// with what each holds (test folders summarised).
func layout(pr *project) []string {
	es := []entry{
		{0, "pyproject.toml", "dependencies (uv, pip), pytest and ruff settings"},
		{0, "README.md", "this file"},
		{0, "ARCHITECTURE.md", "the papers and modules, as diagrams"},
		{0, "IMPLEMENTATION_PLAN.md", "the plan: order, dependencies, phases, risks"},
		{0, "papers/", "the context documents of the papers"},
	}
	configs := "default.yaml, small.yaml (CPU smoke run)"
	for _, pa := range pr.Papers {
		if pr.Model {
			configs += ", " + strings.TrimPrefix(pa.Config, "configs/")
		}
	}
	if pr.Model {
		es = append(es, entry{0, "configs/", configs})
	}
	es = append(es, entry{0, "src/", ""})
	for _, pa := range pr.Papers {
		note := pa.ID
		if note == pa.Package {
			note = ""
		}
		es = append(es, entry{1, pa.Package + "/", note})
		for _, co := range pa.Components {
			es = append(es, entry{2, co.Module + ".py", "§" + co.Section + " " + oneLine(co.Name, 40)})
		}
		if pr.Model {
			es = append(es,
				entry{2, "model.py", "the model, assembled from the components"},
				entry{2, "data.py", "the data sets (synthetic placeholders)"},
				entry{2, "train.py", "the training loop"},
				entry{2, "evaluate.py", "evaluation of a checkpoint"},
			)
		}
	}
	neq, nalg := 0, 0
	for _, pa := range pr.Papers {
		for _, co := range pa.Components {
			neq += len(co.Equations)
			nalg += len(co.Algorithms)
		}
	}
	es = append(es, entry{0, "tests/", ""},
		entry{1, "conftest.py", "the pending-test convention"},
		entry{1, "helpers.py", "inputs and checks shared by the tests"})
	if pr.Model {
		for _, pa := range pr.Papers {
			es = append(es, entry{1, strings.TrimPrefix(pa.ModelTest, "tests/"), "the model of " + pa.Package + " and a short training run"})
		}
	}
	es = append(es, entry{1, "test_equations/", "one file per numbered equation (" + strconv.Itoa(neq) + ")"})
	if nalg > 0 {
		es = append(es, entry{1, "test_algorithms/", "one file per numbered algorithm (" + strconv.Itoa(nalg) + ")"})
	}
	if pr.Notebook {
		es = append(es, entry{0, "notebooks/quickstart.ipynb", "status, a short training run, evaluation"})
	}
	if pr.CLI && pr.Model {
		s := "train.sh, evaluate.sh, train.py"
		if pr.Benchmark {
			s += ", benchmark.py"
		}
		es = append(es, entry{0, "scripts/", s})
	}
	es = append(es, entry{0, "docs/", "equations.md, benchmarks.md"})

	// Draw: a branch for each entry, "└──" for the last of its level.
	width := 0
	for _, e := range es {
		width = max(width, 4*(e.depth+1)+len([]rune(e.name)))
	}
	out := []string{"."}
	for i, e := range es {
		var b strings.Builder
		for d := 0; d < e.depth; d++ {
			if more(es, i, d) {
				b.WriteString("│   ")
			} else {
				b.WriteString("    ")
			}
		}
		if more(es, i, e.depth) {
			b.WriteString("├── ")
		} else {
			b.WriteString("└── ")
		}
		b.WriteString(e.name)
		if e.note != "" {
			b.WriteString(strings.Repeat(" ", width+2-4*(e.depth+1)-len([]rune(e.name))))
			b.WriteString(e.note)
		}
		out = append(out, b.String())
	}
	return out
}

// more says whether an entry at depth d follows entry i before the tree
// goes back above depth d.
func more(es []entry, i, d int) bool {
	for _, e := range es[i+1:] {
		if e.depth < d {
			return false
		}
		if e.depth == d {
			return true
		}
	}
	return false
}
