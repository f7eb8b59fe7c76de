// Package plan turns the papers of a workspace and their dependency graph
// into an implementation plan: the components to write (one module per
// top-level section that holds equations or algorithms), the order to write
// them in (papers in dependency order, components by level, foundations
// first), which equation depends on which (a symbol analysis of the
// equations, see Analyze), the test files to write first (one per numbered
// equation and algorithm), the phases with the commands that verify them,
// the files to create, the risks and the success criteria.
//
// Test files are tests/test_equations/test_eq<N>_<slug>.py for each
// numbered equation and tests/test_algorithms/test_alg<N>_<slug>.py for
// each numbered algorithm, N being the number with dots (and any other
// character that is not a letter or digit) replaced by underscores and the
// slug coming from the label ("eq:gate-norm" → gate_norm), else from the
// defined symbol, else from the component. In a workspace of several papers
// the slug starts with the paper's package (test_eq1_gatenorm_mean.py), so
// that file names stay unique.
//
// Markdown renders the plan as IMPLEMENTATION_PLAN.md and JSON as
// plan.json. Both are deterministic: the same papers and options give the
// same bytes. The plan only reports what the extraction found; what it
// cannot know yet (hyperparameters, reported results) it says so.
package plan

import (
	"encoding/json"
	"slices"
	"strings"

	"github.com/reprohq/repro/doc"
	"github.com/reprohq/repro/internal/graph"
)

// SchemaVersion is the version of plan.json. Fields may be added without
// changing it; renaming or removing a field bumps it.
const SchemaVersion = "1.0"

// Intents and environments.
const (
	IntentValidate  = "validate"
	IntentFull      = "full"
	IntentComponent = "component"
	IntentExtend    = "extend"
	IntentBenchmark = "benchmark"

	EnvCPU   = "cpu"
	EnvGPU   = "gpu"
	EnvColab = "colab"
)

// Intents are the intents a plan can have, and Envs its target
// environments.
var (
	Intents = []string{IntentValidate, IntentFull, IntentComponent, IntentExtend, IntentBenchmark}
	Envs    = []string{EnvCPU, EnvGPU, EnvColab}
)

// DefaultTolerance is the relative tolerance within which the paper's
// numbers must be reproduced when the paper states none.
const DefaultTolerance = 0.02

// Options configure a plan.
type Options struct {
	// Intent is validate, full, component, extend or benchmark; "" is full.
	Intent string
	// Env is the target environment: cpu, gpu or colab; "" is cpu.
	Env string
	// Version is repro's version, recorded as the generator.
	Version string
}

// Plan is an implementation plan. Its JSON form is plan.json.
type Plan struct {
	SchemaVersion     string `json:"schema_version"`
	Generator         string `json:"generator"`
	Intent            string `json:"intent"`
	IntentDescription string `json:"intent_description"`
	Env               string `json:"env"`
	EnvDescription    string `json:"env_description"`
	// Papers are in implementation order.
	Papers  []Paper `json:"papers"`
	Graph   Graph   `json:"graph"`
	Summary Summary `json:"summary"`
	// EquationDependencies has one row per equation, papers in order.
	EquationDependencies []EquationDependency `json:"equation_dependencies"`
	// AlgorithmLinks are the algorithm lines that refer to equations.
	AlgorithmLinks []AlgorithmLink `json:"algorithm_links"`
	// Tests are the test files to write first.
	Tests  []TestFile `json:"tests"`
	Phases []Phase    `json:"phases"`
	// Files is the manifest of files to create.
	Files []File `json:"files"`
	// Hyperparameters are the papers' extracted values, with their source;
	// HyperparametersNote says how to use them and where else to look.
	Hyperparameters     []Hyperparameter `json:"hyperparameters"`
	HyperparametersNote string           `json:"hyperparameters_note"`
	// Benchmarks are the results the papers report for their own methods
	// (doc.Document.Results); BenchmarksNote says where they come from.
	Benchmarks      []Benchmark `json:"benchmarks"`
	BenchmarksNote  string      `json:"benchmarks_note"`
	Risks           []Risk      `json:"risks"`
	SuccessCriteria []string    `json:"success_criteria"`
	Tolerance       Tolerance   `json:"tolerance"`
}

// Paper is one paper of the plan.
type Paper struct {
	ID      string `json:"id"`
	Title   string `json:"title"`
	ArxivID string `json:"arxiv_id"`
	// Package is the Python package of the paper's code (src/<package>).
	Package string `json:"package"`
	// DependsOn are the papers it cites (edges not broken), in
	// implementation order.
	DependsOn         []string    `json:"depends_on"`
	Equations         int         `json:"equations"`
	NumberedEquations int         `json:"numbered_equations"`
	Algorithms        int         `json:"algorithms"`
	Components        []Component `json:"components"`
}

// Component is a part of a paper's code: the equations and algorithms of
// one top-level section, implemented in one module.
type Component struct {
	Name string `json:"name"` // the section title
	// Module is the module name, a slug of the title; Path its file.
	Module  string `json:"module"`
	Path    string `json:"path"`
	Section string `json:"section"` // top-level section number
	// Level is 0 for foundations; a component comes after the components
	// whose equations it uses.
	Level      int      `json:"level"`
	Equations  []string `json:"equations"`
	Algorithms []string `json:"algorithms"`
	// DependsOn are the modules of the same paper it uses.
	DependsOn []string `json:"depends_on"`
	// Tests are the test files it must pass.
	Tests []string `json:"tests"`
}

// Graph is the paper graph in the plan.
type Graph struct {
	Edges  []graph.Edge `json:"edges"`
	Order  []string     `json:"order"`
	Cycles [][]string   `json:"cycles"`
	Broken []graph.Edge `json:"broken"`
}

// Summary sizes the work.
type Summary struct {
	// Chain is the longest chain of dependencies, foundations first.
	Chain             []string `json:"chain"`
	Equations         int      `json:"equations"`
	NumberedEquations int      `json:"numbered_equations"`
	Algorithms        int      `json:"algorithms"`
	Components        int      `json:"components"`
	TestFiles         int      `json:"test_files"`
}

// EquationDependency is one row of the equation dependency table.
type EquationDependency struct {
	Paper string `json:"paper"`
	// Equation is the number, else the tag, else the equation's id.
	Equation string `json:"equation"`
	Numbered bool   `json:"numbered"`
	Label    string `json:"label,omitempty"`
	Section  string `json:"section"`
	// Defines are the symbols it defines (see Analyze), in canonical LaTeX.
	Defines []string `json:"defines"`
	// Uses are the symbols it uses.
	Uses      []string      `json:"uses"`
	DependsOn []EquationRef `json:"depends_on"`
	UsedBy    []EquationRef `json:"used_by"`
	// Undefined are the symbols it uses that no equation defines.
	Undefined []string `json:"undefined"`
}

// EquationRef names an equation and the symbols that link it.
type EquationRef struct {
	Paper    string   `json:"paper"`
	Equation string   `json:"equation"`
	Symbols  []string `json:"symbols"`
}

// AlgorithmLink is one algorithm line that refers to equations, by a
// reference to their labels ([label] in the step text) or by a symbol that
// they define.
type AlgorithmLink struct {
	Paper     string `json:"paper"`
	Algorithm string `json:"algorithm"`
	// Line counts the steps from 1, as algorithmic's [1] numbers them.
	Line int    `json:"line"`
	Text string `json:"text"`
	// Refs are the equations the line references.
	Refs []string `json:"refs"`
	// Symbols are equations whose symbols the line assigns or uses.
	Symbols []EquationRef `json:"symbols"`
}

// TestFile is a test file to write first.
type TestFile struct {
	Path  string `json:"path"`
	Paper string `json:"paper"`
	Kind  string `json:"kind"` // equation or algorithm
	// Item is the equation or algorithm number.
	Item      string   `json:"item"`
	Label     string   `json:"label,omitempty"`
	Component string   `json:"component"` // the module path
	Checks    []string `json:"checks"`
}

// Phase is a step of the work with the commands that show it done.
type Phase struct {
	Number int      `json:"number"`
	Name   string   `json:"name"`
	Goal   string   `json:"goal"`
	Tasks  []string `json:"tasks"`
	Tests  []string `json:"tests"`
	Verify []string `json:"verify"`
}

// File is an entry of the file manifest.
type File struct {
	Path    string `json:"path"`
	Kind    string `json:"kind"` // source, test, config, script, notebook, doc
	Purpose string `json:"purpose"`
}

// Hyperparameter is a value the implementation needs (none yet).
type Hyperparameter struct {
	Paper  string `json:"paper"`
	Name   string `json:"name"`
	Symbol string `json:"symbol"`
	Value  string `json:"value"`
	Source string `json:"source"`
}

// Benchmark is a result a paper reports for its own method.
type Benchmark struct {
	Paper   string `json:"paper"`
	Dataset string `json:"dataset"`
	Metric  string `json:"metric"`
	Method  string `json:"method"`
	Value   string `json:"value"`
	Source  string `json:"source"`
}

// Risk is something that may go wrong, and what to do about it.
type Risk struct {
	Kind    string   `json:"kind"`
	Paper   string   `json:"paper,omitempty"`
	Title   string   `json:"title"`
	Details string   `json:"details"`
	Items   []string `json:"items,omitempty"`
	Action  string   `json:"action"`
}

// Tolerance is how close the reproduced numbers must be.
type Tolerance struct {
	Relative float64 `json:"relative"`
	Source   string  `json:"source"`
}

// JSON returns plan.json: the plan indented with two spaces, with a final
// newline.
func (p *Plan) JSON() ([]byte, error) {
	b, err := json.MarshalIndent(p, "", "  ")
	if err != nil {
		return nil, err
	}
	return append(b, '\n'), nil
}

var intentDescriptions = map[string]string{
	IntentValidate:  "check the paper's equations and algorithms numerically: implement and test every component, run a small training to see that it learns",
	IntentFull:      "implement every component, assemble the model, train it and reproduce the reported results",
	IntentComponent: "implement and test the components only, as a library; no model assembly or training",
	IntentExtend:    "reproduce the papers, then build and evaluate an extension against the reproduced baseline",
	IntentBenchmark: "reproduce the reported results at paper scale and compare every reported number",
}

var envDescriptions = map[string]string{
	EnvCPU:   "CPU only: run the tests and the small configuration (configs/small.yaml); paper-scale training is out of reach unless the models are small",
	EnvGPU:   "one CUDA GPU: run the tests on CPU and train with configs/paper.yaml on the GPU",
	EnvColab: "Google Colab (one T4-class GPU, sessions of a few hours): run notebooks/quickstart.ipynb, checkpoint often and keep configs/small.yaml for quick runs",
}

// normalize fills the defaults of o and reports what was not understood.
func (o Options) normalize() (Options, []string) {
	var bad []string
	o.Intent = strings.ToLower(strings.TrimSpace(o.Intent))
	o.Env = strings.ToLower(strings.TrimSpace(o.Env))
	if o.Intent == "" {
		o.Intent = IntentFull
	} else if !slices.Contains(Intents, o.Intent) {
		bad = append(bad, "intent "+quote(o.Intent)+" is unknown; planned as "+IntentFull)
		o.Intent = IntentFull
	}
	if o.Env == "" {
		o.Env = EnvCPU
	} else if !slices.Contains(Envs, o.Env) {
		bad = append(bad, "environment "+quote(o.Env)+" is unknown; planned as "+EnvCPU)
		o.Env = EnvCPU
	}
	return o, bad
}

func quote(s string) string { return "\"" + s + "\"" }

// docOf returns the paper's document, or an empty one.
func docOf(p graph.Paper) *doc.Document {
	if p.Doc != nil {
		return p.Doc
	}
	return doc.New()
}
