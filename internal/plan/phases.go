package plan

import (
	"fmt"
	"slices"
	"strings"

	"github.com/reprohq/repro/internal/graph"
)

// Phase names.
const (
	phaseSetup     = "Set-up"
	phaseTests     = "Tests first"
	phaseAssembly  = "Model assembly"
	phaseTraining  = "Training"
	phaseQuality   = "Quality gates"
	phaseDocs      = "Documentation"
	phaseBenchmark = "Benchmarks"
	phaseExtension = "Extension"
)

// has says whether the intent includes a phase.
func has(intent, phase string) bool {
	switch phase {
	case phaseAssembly, phaseTraining:
		return intent != IntentComponent
	case phaseBenchmark:
		return intent == IntentFull || intent == IntentBenchmark || intent == IntentExtend
	case phaseExtension:
		return intent == IntentExtend
	}
	return true
}

// modelTest is the model test of a paper; with one paper it has no
// package suffix.
func modelTest(pi *paperInfo, multi bool) string {
	if multi {
		return "tests/test_model_" + pi.pkg + ".py"
	}
	return "tests/test_model.py"
}

// packages are the papers' package names, in order.
func packages(infos []*paperInfo) []string {
	var out []string
	for _, pi := range infos {
		out = append(out, pi.pkg)
	}
	return out
}

// trainCommand is the training command for the environment.
func trainCommand(o Options) string {
	switch {
	case o.Intent == IntentValidate || o.Env == EnvCPU:
		return "uv run python scripts/train.py --config configs/small.yaml"
	case o.Env == EnvColab:
		return "uv run jupyter nbconvert --to notebook --execute notebooks/quickstart.ipynb"
	}
	return "uv run python scripts/train.py --config configs/paper.yaml --device cuda"
}

// pytest returns a pytest command over files, one file a line.
func pytest(files []string) string {
	if len(files) == 0 {
		return ""
	}
	return "uv run pytest -q " + strings.Join(files, " \\\n    ")
}

// phases lists the phases of the work for the intent.
func phases(o Options, infos []*paperInfo, tests []TestFile) []Phase {
	var out []Phase
	add := func(p Phase) {
		p.Number = len(out) + 1
		if p.Tasks == nil {
			p.Tasks = []string{}
		}
		if p.Tests == nil {
			p.Tests = []string{}
		}
		if p.Verify == nil {
			p.Verify = []string{}
		}
		out = append(out, p)
	}
	multi := len(infos) > 1
	pkgs := packages(infos)
	var imports []string
	for _, p := range pkgs {
		imports = append(imports, "import "+p)
	}
	add(Phase{
		Name: phaseSetup,
		Goal: "a project that installs and imports, with the test and lint tools",
		Tasks: []string{
			"create pyproject.toml (uv; dependencies: numpy, torch, pyyaml; dev: pytest, ruff), .gitignore, README.md",
			"create the packages " + joinCode(pkgs) + " under src/ with empty modules for the components",
			"create configs/default.yaml, configs/small.yaml and configs/paper.yaml (values to fill in from the papers)",
		},
		Verify: []string{"uv sync", "uv run python -c \"" + strings.Join(imports, "; ") + "\""},
	})
	var files []string
	for _, t := range tests {
		files = append(files, t.Path)
	}
	add(Phase{
		Name: phaseTests,
		Goal: fmt.Sprintf("the %d test files below, written before the code they test; they fail until it exists", len(tests)),
		Tasks: []string{
			"one file per numbered equation in tests/test_equations/: output shape, gradient flow, numerical stability, determinism, and comparison with an oracle (a direct NumPy transcription of the equation)",
			"one file per numbered algorithm in tests/test_algorithms/: the effect of each step on a toy input, consistency with the equations its lines refer to, determinism",
			"shared fixtures (seeds, small shapes, tolerances) in tests/conftest.py",
		},
		Tests:  files,
		Verify: []string{"uv run pytest --collect-only -q tests/test_equations tests/test_algorithms"},
	})
	for _, pi := range infos {
		levels := map[int][]*compInfo{}
		var keys []int
		for _, c := range pi.comps {
			if _, ok := levels[c.c.Level]; !ok {
				keys = append(keys, c.c.Level)
			}
			levels[c.c.Level] = append(levels[c.c.Level], c)
		}
		slices.Sort(keys)
		for _, l := range keys {
			var tasks, files []string
			for _, c := range levels[l] {
				what := describeItems(c.c.Equations, c.c.Algorithms)
				task := fmt.Sprintf("%s (%s, §%s): %s", c.c.Path, c.c.Name, c.c.Section, what)
				if len(c.c.DependsOn) > 0 {
					task += "; uses " + joinCode(c.c.DependsOn)
				}
				tasks = append(tasks, task)
				files = append(files, c.c.Tests...)
			}
			name := fmt.Sprintf("Components of %s, level %d", pi.pkg, l)
			goal := "the components that build on the previous level"
			if l == 0 {
				name += " (foundations)"
				goal = "the components that use no other component of the paper"
			}
			if len(pi.deps) > 0 && l == 0 {
				goal += "; they may use the packages of " + joinCode(depPackages(pi))
			}
			p := Phase{Name: name, Goal: goal, Tasks: tasks, Tests: files}
			if cmd := pytest(files); cmd != "" {
				p.Verify = []string{cmd}
			} else {
				p.Verify = []string{"uv run python -c \"import " + pi.pkg + "\""}
			}
			add(p)
		}
	}
	if has(o.Intent, phaseAssembly) {
		var tasks, files []string
		for _, pi := range infos {
			tasks = append(tasks, "src/"+pi.pkg+"/model.py: assemble the components of "+pi.p.ID+" into the model, with a forward pass on a small batch")
			files = append(files, modelTest(pi, multi))
		}
		add(Phase{Name: phaseAssembly, Goal: "the models, assembled from tested components", Tasks: tasks, Tests: files, Verify: []string{pytest(files)}})
	}
	if has(o.Intent, phaseTraining) {
		goal := "a training run that learns: the loss goes down on the small configuration"
		if o.Intent != IntentValidate && o.Env != EnvCPU {
			goal = "training at paper scale, with checkpoints and logged metrics"
		}
		add(Phase{
			Name: phaseTraining,
			Goal: goal,
			Tasks: []string{
				"src/<package>/train.py and scripts/train.py: data loading, the objective, the optimiser and schedule, checkpoints, logging",
				"fill configs/paper.yaml with the papers' hyperparameters (see Hyperparameters) and configs/small.yaml with a fast variant",
			},
			Verify: []string{"uv run python scripts/train.py --config configs/small.yaml --steps 50", trainCommand(o)},
		})
	}
	add(Phase{
		Name:   phaseQuality,
		Goal:   "lint, format and the whole test suite pass",
		Tasks:  []string{"ruff check and ruff format clean", "every test passes, none skipped without a reason"},
		Verify: []string{"uv run ruff check . && uv run ruff format --check .", "uv run pytest -q"},
	})
	add(Phase{
		Name: phaseDocs,
		Goal: "a project others can run and check against the papers",
		Tasks: []string{
			"README.md: quick start, the papers, implementation status per equation, results (paper vs ours)",
			"docs/equations.md: each equation with its code and test; docs/benchmarks.md: reported and reproduced numbers",
			"ARCHITECTURE.md: the components and how they fit (the dependency tables of this plan)",
		},
		Verify: []string{"test -s README.md && test -s docs/equations.md && test -s docs/benchmarks.md"},
	})
	if has(o.Intent, phaseBenchmark) {
		add(Phase{
			Name: phaseBenchmark,
			Goal: fmt.Sprintf("the papers' reported numbers reproduced within %s relative, or the gap explained", percent(DefaultTolerance)),
			Tasks: []string{
				"scripts/benchmark.py: evaluate on each reported data set and metric and write docs/benchmarks.md",
				"compare with the papers' tables (see Benchmarks) and explain every gap above the tolerance",
			},
			Verify: []string{benchCommand(o)},
		})
	}
	if has(o.Intent, phaseExtension) {
		add(Phase{
			Name: phaseExtension,
			Goal: "the extension, behind a configuration switch, compared with the reproduced baseline",
			Tasks: []string{
				"implement the extension as new components with their own tests, leaving the reproduced ones unchanged",
				"configs/extension.yaml; run baseline and extension with the same seeds and budget",
			},
			Verify: []string{"uv run pytest -q", "uv run python scripts/benchmark.py --config configs/extension.yaml"},
		})
	}
	return out
}

// benchCommand is the benchmark command for the environment.
func benchCommand(o Options) string {
	if o.Env == EnvCPU {
		return "uv run python scripts/benchmark.py --config configs/small.yaml"
	}
	return "uv run python scripts/benchmark.py --config configs/paper.yaml --device cuda"
}

// depPackages are the packages of the papers pi depends on, sorted.
func depPackages(pi *paperInfo) []string {
	var out []string
	for _, d := range pi.deps {
		out = append(out, d.pkg)
	}
	slices.Sort(out)
	return out
}

// describeItems lists equations and algorithms: "equations (1), (2);
// Algorithm 1".
func describeItems(eqs, algs []string) string {
	var parts []string
	if len(eqs) > 0 {
		var e []string
		for _, x := range eqs {
			e = append(e, "("+x+")")
		}
		w := "equations "
		if len(eqs) == 1 {
			w = "equation "
		}
		parts = append(parts, w+strings.Join(e, ", "))
	}
	for _, a := range algs {
		parts = append(parts, "Algorithm "+a)
	}
	return strings.Join(parts, "; ")
}

func joinCode(xs []string) string {
	var out []string
	for _, x := range xs {
		out = append(out, "`"+x+"`")
	}
	return strings.Join(out, ", ")
}

func percent(x float64) string { return fmt.Sprintf("%g%%", x*100) }

// manifest lists the files to create.
func manifest(o Options, infos []*paperInfo, tests []TestFile) []File {
	multi := len(infos) > 1
	files := []File{
		{"pyproject.toml", "config", "project, dependencies (uv), pytest and ruff settings"},
		{".gitignore", "config", "Python, data, checkpoints"},
		{"README.md", "doc", "quick start, papers, implementation status, results"},
		{"ARCHITECTURE.md", "doc", "components and their dependencies"},
		{"IMPLEMENTATION_PLAN.md", "doc", "this plan"},
		{"configs/default.yaml", "config", "default configuration"},
		{"configs/small.yaml", "config", "a fast configuration for CPU and tests"},
		{"configs/paper.yaml", "config", "the papers' hyperparameters"},
	}
	if o.Intent == IntentExtend {
		files = append(files, File{"configs/extension.yaml", "config", "the extension's configuration"})
	}
	for _, pi := range infos {
		files = append(files, File{"src/" + pi.pkg + "/__init__.py", "source", "package of " + pi.p.ID})
		for _, c := range pi.comps {
			files = append(files, File{c.c.Path, "source", c.c.Name + ": " + describeItems(c.c.Equations, c.c.Algorithms)})
		}
		if has(o.Intent, phaseAssembly) {
			files = append(files, File{"src/" + pi.pkg + "/model.py", "source", "the model of " + pi.p.ID + ", assembled from its components"})
		}
		if has(o.Intent, phaseTraining) {
			files = append(files, File{"src/" + pi.pkg + "/train.py", "source", "training loop of " + pi.p.ID})
		}
	}
	files = append(files, File{"tests/conftest.py", "test", "shared fixtures: seeds, shapes, tolerances"})
	for _, t := range tests {
		files = append(files, File{t.Path, "test", t.Kind + " " + t.Item + " of " + t.Paper})
	}
	if has(o.Intent, phaseAssembly) {
		for _, pi := range infos {
			files = append(files, File{modelTest(pi, multi), "test", "forward pass and shapes of the model of " + pi.p.ID})
		}
	}
	if has(o.Intent, phaseTraining) {
		files = append(files, File{"scripts/train.py", "script", "train with a configuration"})
	}
	if has(o.Intent, phaseBenchmark) {
		files = append(files, File{"scripts/benchmark.py", "script", "evaluate and compare with the papers' numbers"})
	}
	files = append(files,
		File{"notebooks/quickstart.ipynb", "notebook", "load, run and inspect the model"},
		File{"docs/equations.md", "doc", "each equation with its code and test"},
		File{"docs/benchmarks.md", "doc", "reported and reproduced numbers"},
	)
	return files
}

// hyperparameterWords mark the caption of a table of hyperparameters.
var hyperparameterWords = []string{"hyperparameter", "hyper-parameter", "setting", "configuration", "training details", "implementation details"}

// notes returns the notes on hyperparameters and benchmarks, pointing to
// the tables that probably hold them.
func notes(infos []*paperInfo, nhyper, nbench int) (hyper, bench string) {
	hp, res := candidateTables(infos)
	if nhyper > 0 {
		hyper = "Extracted from the papers' text and hyperparameter tables, each with the words it came from; check them against the papers before training."
	} else {
		hyper = "No hyperparameters were found in the papers' text or tables; read the values from the papers."
	}
	if len(hp) > 0 {
		hyper += " Tables that probably hold them: " + strings.Join(hp, "; ") + "."
	}
	if nbench > 0 {
		bench = "The numbers the papers report for their own methods, read from their result tables: the targets of the reproduction. The scaffolded project keeps them in benchmarks.yaml, with a tolerance each, and repro bench compares a run's results with them."
	} else {
		bench = "No result of the papers' own methods was recognised in their tables; copy the numbers to reproduce into the project's benchmarks.yaml by hand."
		if len(res) > 0 {
			bench += " Tables that probably hold them: " + strings.Join(res, "; ") + "."
		}
	}
	return hyper, bench
}

// benchmarks lists the results the papers report for their own methods.
func benchmarks(infos []*paperInfo) []Benchmark {
	out := []Benchmark{}
	for _, pi := range infos {
		if pi.d == nil {
			continue
		}
		for _, r := range pi.d.Results {
			src := "Table " + r.Source.Table
			if r.Source.Quote != "" {
				src += " (" + r.Source.Quote + ")"
			}
			metric := r.Metric
			if r.Setting != "" {
				metric += " (" + r.Setting + ")"
			}
			out = append(out, Benchmark{Paper: pi.p.ID, Dataset: r.Dataset, Metric: metric, Method: r.Method, Value: r.Raw, Source: src})
		}
	}
	return out
}

// hyperparameters lists the papers' extracted hyperparameters.
func hyperparameters(infos []*paperInfo) []Hyperparameter {
	out := []Hyperparameter{}
	for _, pi := range infos {
		if pi.d == nil {
			continue
		}
		for _, h := range pi.d.Hyperparameters {
			src := "§" + h.Source.Section
			if h.Source.Section == "" {
				src = "front matter"
			}
			if h.Source.Table != "" {
				src += ", Table " + h.Source.Table
			}
			out = append(out, Hyperparameter{Paper: pi.p.ID, Name: h.Name, Symbol: h.Symbol, Value: h.Raw, Source: src + ": " + h.Source.Quote})
		}
	}
	return out
}

// coreHyperparameters are the values a training run cannot do without.
var coreHyperparameters = [][]string{{"learning_rate"}, {"batch_size"}, {"optimizer"}, {"training_steps", "epochs"}}

// missingHyperparameters names, per paper, the core values not extracted.
func missingHyperparameters(infos []*paperInfo) []string {
	var items []string
	for _, pi := range infos {
		if pi.d == nil {
			continue
		}
		have := map[string]bool{}
		for _, h := range pi.d.Hyperparameters {
			have[h.Name] = true
		}
		var miss []string
		for _, alts := range coreHyperparameters {
			found := false
			for _, a := range alts {
				found = found || have[a]
			}
			if !found {
				miss = append(miss, strings.Join(alts, " or "))
			}
		}
		if len(miss) > 0 {
			items = append(items, fmt.Sprintf("%s: %s", pi.p.ID, strings.Join(miss, ", ")))
		}
	}
	return items
}

// candidateTables lists the tables whose caption names hyperparameters,
// and the other tables of experiment and result sections.
func candidateTables(infos []*paperInfo) (hyper, results []string) {
	for _, pi := range infos {
		for _, t := range pi.d.Tables {
			name := fmt.Sprintf("%s Table %s (%q)", pi.p.ID, firstNonEmpty(t.Number, "unnumbered"), shorten(t.Caption, 60))
			c := strings.ToLower(t.CaptionFull + " " + t.Caption)
			isHyper := false
			for _, w := range hyperparameterWords {
				if strings.Contains(c, w) {
					isHyper = true
				}
			}
			top, _, _ := strings.Cut(t.Section, ".")
			title, _ := sectionTitle(pi.d, top)
			switch {
			case isHyper:
				hyper = append(hyper, name)
			case graph.SectionWeight(title) == graph.WeightCore:
				results = append(results, name)
			}
		}
	}
	return hyper, results
}

func shorten(s string, n int) string {
	r := []rune(s)
	if len(r) <= n {
		return s
	}
	return strings.TrimSpace(string(r[:n-1])) + "…"
}

// riskExempt are symbols not reported as undefined: index letters.
func riskExempt(s string) bool { return indexLetters[s] }

// undefinedLabel starts the extractor's warning about a reference to a
// label that the paper does not define.
const undefinedLabel = "reference to undefined label "

// risks lists what may go wrong.
func risks(o Options, g *graph.Graph, infos []*paperInfo, bad []string) []Risk {
	out := []Risk{}
	for _, b := range bad {
		out = append(out, Risk{Kind: "options", Title: "Option not understood", Details: b, Action: "use one of the intents " + strings.Join(Intents, ", ") + " and environments " + strings.Join(Envs, ", ")})
	}
	if len(g.Cycles) > 0 {
		var items []string
		for i, c := range g.Cycles {
			b := g.Broken[i]
			items = append(items, fmt.Sprintf("%s (ignored %s → %s, weight %s)", strings.Join(append(slices.Clone(c), c[0]), " → "), b.From, b.To, graph.FormatWeight(b.Weight)))
		}
		out = append(out, Risk{Kind: "cycle", Title: "Papers cite each other", Details: "the implementation order ignores the lightest citation of each cycle", Items: items, Action: "check that the papers of each cycle do not need each other's code; implement the shared parts first"})
	}
	for _, pi := range infos {
		if len(pi.eqs) == 0 && len(pi.algs) == 0 {
			out = append(out, Risk{Kind: "no-equations", Paper: pi.p.ID, Title: "No equations or algorithms extracted", Details: "nothing of this paper can be tested equation by equation", Action: "check the paper's source (a PDF-only paper or unusual markup) and write the components from the text"})
		}
		// Undefined symbols, with the equations that use them.
		var order []string
		uses := map[string][]string{}
		for _, ei := range pi.eqs {
			for _, s := range ei.row.Undefined {
				if riskExempt(s) {
					continue
				}
				if _, ok := uses[s]; !ok {
					order = append(order, s)
				}
				if !slices.Contains(uses[s], ei.key) {
					uses[s] = append(uses[s], ei.key)
				}
			}
		}
		if len(order) > 0 {
			var items []string
			for _, s := range order {
				items = append(items, fmt.Sprintf("$%s$ in (%s)", s, strings.Join(uses[s], "), (")))
			}
			out = append(out, Risk{
				Kind: "undefined-symbols", Paper: pi.p.ID, Title: "Symbols used but defined by no equation",
				Details: fmt.Sprintf("%d symbols are inputs, parameters or constants whose meaning and shape are given in the text, if at all", len(order)),
				Items:   items,
				Action:  "read their definitions in the paper's text (the context document has the sentences around each equation) and write them down, with shapes, in docs/equations.md before coding",
			})
		}
		// Equations referenced but absent.
		var missing, other []string
		for _, w := range pi.d.Warnings {
			l, ok := strings.CutPrefix(w.Message, undefinedLabel)
			if !ok {
				continue
			}
			l = strings.Trim(l, "\"")
			item := fmt.Sprintf("%s (%s:%d)", l, w.File, w.Line)
			if strings.HasPrefix(strings.ToLower(l), "eq") {
				missing = append(missing, item)
			} else {
				other = append(other, item)
			}
		}
		if len(missing) > 0 {
			out = append(out, Risk{Kind: "missing-equation", Paper: pi.p.ID, Title: "Equations referenced but absent", Details: "the text refers to equations that are not in the source (a long version, an appendix left out)", Items: missing, Action: "find them in the paper's other versions or ask the authors; until then implement the simplest reading and mark it in the code"})
		}
		if len(other) > 0 {
			out = append(out, Risk{Kind: "missing-reference", Paper: pi.p.ID, Title: "References to undefined labels", Details: "the text refers to items that are not in the source", Items: other, Action: "check whether the missing items matter to the implementation"})
		}
		// Unnumbered equations that others need: they get no test file.
		var items []string
		for _, ei := range pi.eqs {
			if !ei.numbered && len(ei.row.UsedBy) > 0 && len(ei.row.Defines) > 0 {
				items = append(items, fmt.Sprintf("%s defines $%s$", ei.key, strings.Join(ei.row.Defines, "$, $")))
			}
		}
		if len(items) > 0 {
			out = append(out, Risk{Kind: "unnumbered-definition", Paper: pi.p.ID, Title: "Unnumbered equations that other equations use", Details: "they have no test file of their own", Items: items, Action: "test them inside the tests of the equations that use them"})
		}
	}
	if missing := missingHyperparameters(infos); len(missing) > 0 {
		hp, _ := candidateTables(infos)
		d := "core training values were not found in the papers' text or tables"
		if len(hp) > 0 {
			d += "; tables that may hold them: " + strings.Join(hp, "; ")
		}
		out = append(out, Risk{Kind: "missing-hyperparameters", Title: "Hyperparameters missing", Details: d, Items: missing, Action: "collect every value with its source (section or table, with the quote) before training; where the papers give none, choose a documented default and say so in README.md"})
	}
	if has(o.Intent, phaseTraining) {
		out = append(out, Risk{Kind: "divergence", Title: "Training diverges or does not learn", Details: "a wrong sign, scale or initialisation in one equation is enough", Action: "keep the numerical-stability and gradient-flow tests green, overfit one batch first, compare the loss curve with the paper's"})
	}
	if (has(o.Intent, phaseBenchmark) || has(o.Intent, phaseTraining)) && o.Env == EnvCPU && o.Intent != IntentValidate && o.Intent != IntentComponent {
		out = append(out, Risk{Kind: "compute", Title: "Paper-scale runs need more than a CPU", Details: "the target environment is cpu", Action: "reproduce the trends on configs/small.yaml and run configs/paper.yaml on a GPU when one is available (--env gpu)"})
	}
	return out
}

// successCriteria states when the work is done.
func successCriteria(o Options, pl *Plan) []string {
	eq, alg := 0, 0
	for _, t := range pl.Tests {
		if t.Kind == "equation" {
			eq++
		} else {
			alg++
		}
	}
	out := []string{
		fmt.Sprintf("every numbered equation has its test file and it passes (%d files in tests/test_equations/)", eq),
		fmt.Sprintf("every numbered algorithm has its test file and it passes (%d files in tests/test_algorithms/)", alg),
		"the quality gates pass: ruff check, ruff format --check, the whole test suite",
	}
	if has(o.Intent, phaseTraining) {
		out = append(out, "the small configuration trains: the loss decreases and no value is NaN or infinite")
	}
	if has(o.Intent, phaseBenchmark) {
		out = append(out, fmt.Sprintf("the papers' reported numbers are reproduced within %s relative (the default tolerance; a tolerance the paper states wins), or every gap is explained in docs/benchmarks.md", percent(pl.Tolerance.Relative)))
	}
	if o.Intent == IntentExtend {
		out = append(out, "the extension is compared with the reproduced baseline with the same seeds and budget")
	}
	return out
}
