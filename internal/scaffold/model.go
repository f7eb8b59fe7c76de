package scaffold

import (
	"fmt"
	"path"
	"path/filepath"
	"slices"
	"strings"

	"github.com/reprohq/repro/doc"
	"github.com/reprohq/repro/internal/bench"
	"github.com/reprohq/repro/internal/graph"
	"github.com/reprohq/repro/internal/oracle"
	"github.com/reprohq/repro/internal/plan"
)

// project is what the templates see: the whole project.
type project struct {
	Name        string // the distribution name in pyproject.toml
	Title       string
	Description string
	Version     string // repro's version
	Generator   string // "repro v..."

	Intent, IntentDescription string
	Env, EnvDescription       string
	Output                    string
	Device                    string // cpu or auto
	Notebook, CLI             bool   // notebooks/ and scripts/ are generated
	Model                     bool   // model, data, training (every intent but component)
	Benchmark                 bool   // scripts/benchmark.py (intents that reproduce numbers)
	Component                 string // the only component, with intent component

	Papers   []*paper
	Main     *paper // the paper that builds on the others: the last in order
	Multi    bool
	Packages []string

	Plan      *plan.Plan
	Tolerance plan.Tolerance
	HyperNote string
	BenchNote string

	// Bench is the project's benchmarks.yaml: every paper's targets;
	// BenchReport compares them with no results yet (every target not run).
	Bench       *bench.File
	BenchReport *bench.Report

	MermaidPapers  string
	MermaidModules string
	Layout         []string // the tree of README.md
}

// paper is one paper of the project.
type paper struct {
	ID, FileID  string
	Title       string
	Authors     string
	ArxivID     string
	ArxivURL    string
	Package     string
	DependsOn   []string // packages of the papers it builds on
	Doc         *doc.Document
	Components  []*component
	Equations   []*equation // every equation of the kept components, in document order
	Algorithms  []*algorithm
	Datasets    []dataset
	Config      string // its configs/paper*.yaml
	PaperConfig paperConfig
	Shapes      shapes
	Targets     []bench.Target // the paper's own results: benchmark targets
	ModelTest   string         // tests/test_model.py, or tests/test_model_<pkg>.py
	// Oracles are the NumPy references of the paper's equations, in
	// tests/<OracleModule>.py.
	Oracles      []oracle.Oracle
	OracleModule string
}

// component is one module of a paper's package.
type component struct {
	Paper      *paper
	Name       string
	Module     string
	Path       string
	Import     string // package.module
	Section    string
	Level      int
	DependsOn  []string
	Equations  []*equation // numbered: one stub each
	Unnumbered []*equation
	Algorithms []*algorithm // numbered: one stub each
	Others     []*algorithm // unnumbered algorithms
	Tests      []string
}

// equation is one equation of a paper.
type equation struct {
	Paper        *paper
	Comp         *component
	Key          string // number, tag or id
	Numbered     bool
	Label        string
	Section      string
	SectionTitle string
	LaTeX        string // latex_expanded, else latex
	Func         string // the stub's name; "" when unnumbered
	Test         string // its test file; "" when unnumbered
	Params       []string
	ParamSymbols []string // the LaTeX symbol of each parameter ("" for the default x)
	Defines      []string
	Uses         []string
	Before       string
	After        string
	// Oracle is the equation's NumPy reference (tests/oracles.py) when its
	// LaTeX defines something; nil otherwise. Compared says whether the
	// test compares the implementation with it (an executable oracle of
	// numbers and arrays).
	Compared bool
	Oracle   *paperOracle
	// Differentiable is a guess from the LaTeX; DiffReason says why not.
	Differentiable bool
	DiffReason     string
}

// algorithm is one algorithm of a paper.
type algorithm struct {
	Paper      *paper
	Comp       *component
	Key        string
	Number     string
	Label      string
	Caption    string
	Section    string
	Inputs     []string
	Outputs    []string
	Pseudocode string
	Func       string
	Test       string
	Refs       []*equation // the equations its lines refer to
}

// dataset is a data set the paper names.
type dataset struct {
	Name, Key, Where, Quote string
}

// shapes are the tensor shapes of the generated tests.
type shapes struct {
	Batch, Seq, Dim int
	Source          string // where the sizes come from
}

// build makes the template data from the papers and the plan.
func build(papers []graph.Paper, p *plan.Plan, o Options) (*project, error) {
	pr := &project{
		Version:           o.Version,
		Generator:         strings.TrimSpace("repro " + o.Version),
		Intent:            p.Intent,
		IntentDescription: p.IntentDescription,
		Env:               p.Env,
		EnvDescription:    p.EnvDescription,
		Output:            o.Output,
		Device:            "cpu",
		Notebook:          o.Output != OutputCLI,
		CLI:               o.Output != OutputNotebook,
		Model:             p.Intent != plan.IntentComponent,
		Benchmark:         p.Intent == plan.IntentFull || p.Intent == plan.IntentBenchmark || p.Intent == plan.IntentExtend,
		Plan:              p,
		Tolerance:         p.Tolerance,
		HyperNote:         p.HyperparametersNote,
		BenchNote:         p.BenchmarksNote,
		Multi:             len(p.Papers) > 1,
	}
	if pr.Env != plan.EnvCPU {
		pr.Device = "auto"
	}
	if len(p.Papers) == 0 {
		return nil, usage("the plan has no papers", "extract a paper first: repro new --dir DIR SOURCE")
	}
	docs := map[string]*doc.Document{}
	for _, gp := range papers {
		if gp.Doc != nil {
			docs[gp.ID] = gp.Doc
		}
	}
	if o.Package != "" {
		if pr.Multi {
			return nil, usage("--package names the package of a single paper, and this project has "+itoa(len(p.Papers)), "leave it out: the plan names one package per paper")
		}
		if !validPackage(o.Package) {
			return nil, usage(fmt.Sprintf("%q is not a Python package name", o.Package), "use lower-case letters, digits and underscores, starting with a letter")
		}
	}
	eqByKey := map[[2]string]*equation{}
	for _, pp := range p.Papers {
		d := docs[pp.ID]
		if d == nil {
			d = doc.New()
			d.Title = pp.Title
		}
		pa := &paper{
			ID: pp.ID, FileID: fileID(pp.ID), Title: oneLine(firstNonEmpty(d.Title, pp.Title, pp.ID), 0),
			Authors: oneLine(strings.Join(d.Authors, ", "), 300), ArxivID: pp.ArxivID, Package: pp.Package, Doc: d,
		}
		if o.Package != "" {
			pa.Package = o.Package
		}
		if pa.ArxivID != "" {
			pa.ArxivURL = "https://arxiv.org/abs/" + pa.ArxivID
		}
		pa.ModelTest = "tests/test_model.py"
		if pr.Multi {
			pa.ModelTest = "tests/test_model_" + pa.Package + ".py"
		}
		pr.Papers = append(pr.Papers, pa)
		pr.Packages = append(pr.Packages, pa.Package)
		buildPaper(pr, pa, pp, p)
		for _, e := range pa.Equations {
			eqByKey[[2]string{pa.ID, e.Key}] = e
		}
	}
	byID := map[string]*paper{}
	for _, pa := range pr.Papers {
		byID[pa.ID] = pa
	}
	for i, pp := range p.Papers {
		for _, dep := range pp.DependsOn {
			if dp := byID[dep]; dp != nil {
				pr.Papers[i].DependsOn = append(pr.Papers[i].DependsOn, dp.Package)
			}
		}
	}
	// Algorithm lines that refer to equations.
	for _, l := range p.AlgorithmLinks {
		pa := byID[l.Paper]
		if pa == nil {
			continue
		}
		for _, a := range pa.Algorithms {
			if a.Key != l.Algorithm {
				continue
			}
			add := func(paperID, key string) {
				if e := eqByKey[[2]string{paperID, key}]; e != nil && e.Func != "" && !slices.Contains(a.Refs, e) {
					a.Refs = append(a.Refs, e)
				}
			}
			for _, r := range l.Refs {
				add(l.Paper, r)
			}
			for _, r := range l.Symbols {
				add(r.Paper, r.Equation)
			}
		}
	}
	if o.Component != "" {
		if err := keepComponent(pr, o.Component); err != nil {
			return nil, err
		}
	}
	pr.Main = pr.Papers[len(pr.Papers)-1]
	pr.Title = pr.Main.Title
	pr.Name = strings.ReplaceAll(pr.Main.Package, "_", "-")
	if pr.Multi {
		pr.Title = "Reproduction of " + itoa(len(pr.Papers)) + " papers"
		pr.Name = strings.ReplaceAll(firstNonEmpty(identifier(filepath.Base(o.Out)), "reproduction"), "_", "-")
		if pr.Name == "." || pr.Name == "" {
			pr.Name = "reproduction"
		}
	}
	pr.Description = "Reproduction of " + pr.Main.Title
	if pr.Multi {
		var ts []string
		for _, pa := range pr.Papers {
			ts = append(ts, pa.Title)
		}
		pr.Description = "Reproduction of " + strings.Join(ts, "; ")
	}
	pr.Description = oneLine(pr.Description, 200)
	var targets []bench.Target
	for _, pa := range pr.Papers {
		targets = append(targets, pa.Targets...)
	}
	pr.Bench = bench.NewFile(targets)
	pr.BenchReport = bench.Compare(pr.Bench, nil)
	pr.MermaidPapers = papersMermaid(p)
	pr.MermaidModules = modulesMermaid(pr)
	return pr, nil
}

// buildPaper fills pa's components, equations, algorithms, data sets,
// hyperparameters, shapes and benchmarks.
func buildPaper(pr *project, pa *paper, pp plan.Paper, p *plan.Plan) {
	d := pa.Doc
	// Components, in the plan's order; module names clear of the helper
	// modules (model, data, train, evaluate).
	compOf := map[string][]*component{} // equation key → components (in order)
	algOf := map[string][]*component{}
	used := map[string]bool{}
	renamed := map[string]string{}
	for _, c := range pp.Components {
		used[c.Module] = true
	}
	for _, c := range pp.Components {
		mod := c.Module
		if helperModules[mod] {
			mod += "_section"
			for n := 2; used[mod]; n++ {
				mod = c.Module + "_section_" + itoa(n)
			}
			used[mod] = true
		}
		co := &component{
			Paper: pa, Name: oneLine(c.Name, 0), Module: mod, Path: "src/" + pa.Package + "/" + mod + ".py",
			Import: pa.Package + "." + mod, Section: c.Section, Level: c.Level, DependsOn: c.DependsOn, Tests: c.Tests,
		}
		for _, k := range c.Equations {
			compOf[k] = append(compOf[k], co)
		}
		for _, k := range c.Algorithms {
			algOf[k] = append(algOf[k], co)
		}
		pa.Components = append(pa.Components, co)
		renamed[c.Module] = mod
	}
	for _, co := range pa.Components {
		deps := []string{}
		for _, dep := range co.DependsOn {
			deps = append(deps, firstNonEmpty(renamed[dep], dep))
		}
		co.DependsOn = deps
	}
	// Test files, by item, in order.
	tests := map[[2]string][]string{}
	for _, t := range p.Tests {
		if t.Paper == pp.ID {
			k := [2]string{t.Kind, t.Item}
			tests[k] = append(tests[k], t.Path)
		}
	}
	take := func(m map[[2]string][]string, k [2]string) string {
		if len(m[k]) == 0 {
			return ""
		}
		s := m[k][0]
		m[k] = m[k][1:]
		return s
	}
	takeComp := func(m map[string][]*component, k string) *component {
		if len(m[k]) == 0 {
			return nil
		}
		c := m[k][0]
		m[k] = m[k][1:]
		return c
	}
	oracles := paperOracles(pa, d, pr.Multi)
	funcs := map[*component]map[string]bool{}
	for i := range d.Equations {
		de := &d.Equations[i]
		key, numbered := de.NumberString(), true
		if key == "" {
			numbered = false
			key = firstNonEmpty(de.Tag, de.ID)
		}
		co := takeComp(compOf, key)
		if co == nil {
			continue
		}
		latex := firstNonEmpty(strings.TrimSpace(de.LaTeXExpanded), strings.TrimSpace(de.LaTeX))
		sym := plan.Analyze(latex)
		e := &equation{
			Paper: pa, Comp: co, Key: key, Numbered: numbered, Label: de.Label, Section: de.Section,
			SectionTitle: oneLine(de.SectionTitle, 0), LaTeX: clean(latex),
			Uses: sym.Uses, Before: oneLine(de.Context.Before, 400), After: oneLine(de.Context.After, 400),
		}
		if sym.Defines != "" {
			e.Defines = append(e.Defines, sym.Defines)
		}
		e.Defines = append(e.Defines, sym.Also...)
		e.Params, e.ParamSymbols = parameters(sym.Args)
		if o := oracles[key]; numbered && o != nil {
			e.Oracle = o
			if o.Executable && callable(o) {
				e.Compared = true
				// The stub takes the oracle's parameters, so that the test
				// can call both on the same inputs.
				e.Params, e.ParamSymbols = nil, nil
				for _, p := range o.Params {
					e.Params = append(e.Params, p.Name)
					e.ParamSymbols = append(e.ParamSymbols, p.Symbol)
				}
			}
		}
		e.Differentiable, e.DiffReason = differentiable(latex)
		if numbered {
			e.Test = take(tests, [2]string{"equation", key})
			e.Func = itemFunc("eq", e.Test, key, pa.Package, pr.Multi, funcs, co)
			co.Equations = append(co.Equations, e)
		} else {
			co.Unnumbered = append(co.Unnumbered, e)
		}
		pa.Equations = append(pa.Equations, e)
	}
	for i := range d.Algorithms {
		da := &d.Algorithms[i]
		key := da.Number
		if key == "" {
			key = "unnumbered " + itoa(i+1)
		}
		co := takeComp(algOf, key)
		if co == nil {
			continue
		}
		a := &algorithm{
			Paper: pa, Comp: co, Key: key, Number: da.Number, Label: da.Label, Caption: oneLine(da.Caption, 300),
			Section: da.Section, Inputs: cleanAll(da.Inputs), Outputs: cleanAll(da.Outputs), Pseudocode: clean(strings.TrimRight(da.Pseudocode, "\n ")),
		}
		if da.Number != "" {
			a.Test = take(tests, [2]string{"algorithm", key})
			a.Func = itemFunc("alg", a.Test, key, pa.Package, pr.Multi, funcs, co)
			co.Algorithms = append(co.Algorithms, a)
			pa.Algorithms = append(pa.Algorithms, a)
		} else {
			co.Others = append(co.Others, a)
		}
	}
	quotes := map[string]bool{}
	keys := map[string]bool{}
	for _, ds := range d.Datasets {
		name := oneLine(ds.Name, 80)
		key := firstNonEmpty(identifier(name), "dataset")
		if name == "" || keys[key] {
			continue
		}
		keys[key] = true
		q := oneLine(ds.Source.Quote, 200)
		if quotes[q] {
			q = "" // said with the data set before
		}
		quotes[q] = true
		pa.Datasets = append(pa.Datasets, dataset{Name: name, Key: key, Where: where(ds.Source), Quote: q})
	}
	pa.Config = "configs/paper.yaml"
	if pr.Multi {
		pa.Config = "configs/paper_" + pa.Package + ".yaml"
	}
	pa.PaperConfig = paperHyperparameters(d.Hyperparameters)
	pa.Shapes = testShapes(d.Hyperparameters)
	pa.Targets = bench.FromResults(pa.FileID, d.Results)
}

func cleanAll(xs []string) []string {
	var out []string
	for _, x := range xs {
		if s := oneLine(x, 300); s != "" {
			out = append(out, s)
		}
	}
	return out
}

// itemFunc names the stub of an equation or algorithm after its test file
// (tests/test_equations/test_eq3_1_attn.py → eq_3_1_attn), without the
// package that the plan puts into test names when there are several
// papers; unique within its module.
func itemFunc(prefix, test, key, pkg string, multi bool, funcs map[*component]map[string]bool, co *component) string {
	name := ""
	if test != "" {
		base := strings.TrimSuffix(path.Base(test), ".py")
		rest := strings.TrimPrefix(base, "test_"+prefix)
		if multi {
			rest = strings.Replace(rest, "_"+pkg+"_", "_", 1)
		}
		name = prefix + "_" + strings.Trim(rest, "_")
	}
	if name == prefix+"_" || name == "" || identifier(name) != name {
		name = prefix + "_" + firstNonEmpty(identifier(key), "x")
	}
	if funcs[co] == nil {
		funcs[co] = map[string]bool{}
	}
	out := name
	for n := 2; funcs[co][out]; n++ {
		out = name + "_" + itoa(n)
	}
	funcs[co][out] = true
	return out
}

// nonDifferentiable are LaTeX fragments of functions whose output does not
// depend differentiably on their input.
var nonDifferentiable = []struct{ frag, why string }{
	{"arg", "an argmax or argmin"},
	{`\mathbb{1}`, "an indicator function"},
	{`\lfloor`, "a floor"},
	{`\lceil`, "a ceiling"},
	{`{sign}`, "a sign function"},
	{`{sgn}`, "a sign function"},
	{`\begin{cases}`, "a case distinction"},
}

// differentiable guesses from the LaTeX whether the equation is
// differentiable in its inputs.
func differentiable(latex string) (bool, string) {
	for _, n := range nonDifferentiable {
		if n.frag == "arg" {
			if strings.Contains(latex, `\arg`) || strings.Contains(latex, "arg\\,max") || strings.Contains(latex, "arg\\,min") ||
				strings.Contains(latex, "argmax") || strings.Contains(latex, "argmin") {
				return false, n.why
			}
			continue
		}
		if strings.Contains(latex, n.frag) {
			return false, n.why
		}
	}
	return true, ""
}

// keepComponent keeps only the component named by name (its module, its
// package-qualified module, its section number or its title).
func keepComponent(pr *project, name string) error {
	type hit struct {
		pa *paper
		co *component
	}
	var hits []hit
	var all []string
	want := strings.ToLower(strings.TrimSpace(name))
	for _, pa := range pr.Papers {
		for _, co := range pa.Components {
			all = append(all, co.Import)
			if want == co.Module || want == strings.ToLower(co.Import) || want == strings.ToLower(co.Section) ||
				want == strings.ToLower(co.Name) || want == strings.ToLower(pa.Package+":"+co.Module) {
				hits = append(hits, hit{pa, co})
			}
		}
	}
	switch len(hits) {
	case 0:
		return usage(fmt.Sprintf("no component %q in the plan", name), "the components are: "+strings.Join(all, ", "))
	case 1:
	default:
		var names []string
		for _, h := range hits {
			names = append(names, h.co.Import)
		}
		return usage(fmt.Sprintf("component %q is ambiguous", name), "name one of: "+strings.Join(names, ", "))
	}
	pr.Component = hits[0].co.Import
	for _, pa := range pr.Papers {
		var cs []*component
		for _, co := range pa.Components {
			if co == hits[0].co {
				cs = append(cs, co)
			}
		}
		pa.Components = cs
		var es []*equation
		for _, e := range pa.Equations {
			if e.Comp == hits[0].co {
				es = append(es, e)
			}
		}
		pa.Equations = es
		var as []*algorithm
		for _, a := range pa.Algorithms {
			if a.Comp == hits[0].co {
				as = append(as, a)
			}
		}
		pa.Algorithms = as
	}
	return nil
}

// where says where a fact was found: "Section 4.2, Table 1".
func where(p doc.Provenance) string {
	var parts []string
	if p.Section != "" {
		parts = append(parts, "Section "+p.Section)
	}
	if p.Table != "" {
		parts = append(parts, "Table "+p.Table)
	}
	if len(parts) == 0 {
		return "front matter"
	}
	return strings.Join(parts, ", ")
}

// papersMermaid is the paper graph of the plan as a Mermaid flowchart.
func papersMermaid(p *plan.Plan) string {
	g := &graph.Graph{Edges: p.Graph.Edges, Order: p.Graph.Order, Cycles: p.Graph.Cycles, Broken: p.Graph.Broken}
	for _, pp := range p.Papers {
		g.Papers = append(g.Papers, pp.ID)
		if !slices.Contains(g.Order, pp.ID) {
			g.Order = append(g.Order, pp.ID)
		}
	}
	return g.Mermaid()
}

// modulesMermaid is the module graph: one subgraph per package with its
// components (an arrow from a module to each module it uses), the model
// using the components, training using the model and the data.
func modulesMermaid(pr *project) string {
	var b strings.Builder
	b.WriteString("flowchart TD\n")
	for i, pa := range pr.Papers {
		fmt.Fprintf(&b, "    subgraph p%d[\"%s\"]\n", i, mermaidLabel(pa.Package+" · "+pa.Title))
		id := func(mod string) string { return fmt.Sprintf("p%d_%s", i, mod) }
		if pr.Model {
			fmt.Fprintf(&b, "        %s[\"train.py\"]\n", id("train"))
			fmt.Fprintf(&b, "        %s[\"model.py\"]\n", id("model"))
			fmt.Fprintf(&b, "        %s[\"data.py\"]\n", id("data"))
		}
		for _, co := range pa.Components {
			fmt.Fprintf(&b, "        %s[\"%s.py<br/>§%s %s\"]\n", id(co.Module), co.Module, mermaidLabel(co.Section), mermaidLabel(co.Name))
		}
		b.WriteString("    end\n")
		if pr.Model {
			fmt.Fprintf(&b, "    %s --> %s\n", id("train"), id("model"))
			fmt.Fprintf(&b, "    %s --> %s\n", id("train"), id("data"))
		}
		mods := map[string]bool{}
		for _, co := range pa.Components {
			mods[co.Module] = true
		}
		for _, co := range pa.Components {
			if pr.Model {
				fmt.Fprintf(&b, "    %s --> %s\n", id("model"), id(co.Module))
			}
			for _, dep := range co.DependsOn {
				if mods[dep] {
					fmt.Fprintf(&b, "    %s --> %s\n", id(co.Module), id(dep))
				}
			}
		}
	}
	for i, pa := range pr.Papers {
		for _, dep := range pa.DependsOn {
			for j, pb := range pr.Papers {
				if pb.Package == dep {
					fmt.Fprintf(&b, "    p%d -.->|builds on| p%d\n", i, j)
				}
			}
		}
	}
	return b.String()
}

func firstNonEmpty(xs ...string) string {
	for _, x := range xs {
		if x != "" {
			return x
		}
	}
	return ""
}
