package mcpserver

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io/fs"
	"math"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"github.com/google/jsonschema-go/jsonschema"
	"github.com/modelcontextprotocol/go-sdk/mcp"

	"github.com/reprohq/repro/doc"
	"github.com/reprohq/repro/internal/arxiv"
	"github.com/reprohq/repro/internal/bench"
	"github.com/reprohq/repro/internal/check"
	"github.com/reprohq/repro/internal/graph"
	"github.com/reprohq/repro/internal/oracle"
	"github.com/reprohq/repro/internal/plan"
	"github.com/reprohq/repro/internal/project"
	"github.com/reprohq/repro/internal/render"
	"github.com/reprohq/repro/internal/scaffold"
	"github.com/reprohq/repro/internal/workspace"
	"github.com/reprohq/repro/internal/xerr"
)

type handlers struct{ deps Deps }

// ---- inputs and outputs ----

// FetchInput is fetch_paper's input.
type FetchInput struct {
	Ref string `json:"ref" jsonschema:"an arXiv reference: 2501.00663, arXiv:2501.00663v2 or an arxiv.org URL"`
}

// FetchOutput is fetch_paper's output.
type FetchOutput struct {
	Path string `json:"path" jsonschema:"the local path of the downloaded source, usable as a source"`
}

// ExtractInput is extract's input.
type ExtractInput struct {
	Source string `json:"source" jsonschema:"the paper: a local path (folder, .tex, .tar.gz) or an arXiv reference"`
	Format string `json:"format,omitempty" jsonschema:"md (the Markdown context document, the default) or json (the JSON contract)"`
}

// ExtractOutput is extract's output.
type ExtractOutput struct {
	Title      string   `json:"title" jsonschema:"the paper's title"`
	Authors    []string `json:"authors" jsonschema:"the authors"`
	ArxivID    string   `json:"arxiv_id" jsonschema:"the arXiv identifier, empty when unknown"`
	Sections   int      `json:"sections" jsonschema:"the number of sections"`
	Equations  int      `json:"equations" jsonschema:"the number of display equations"`
	Numbered   int      `json:"numbered_equations" jsonschema:"the number of numbered equations"`
	Algorithms int      `json:"algorithms" jsonschema:"the number of algorithms"`
	Tables     int      `json:"tables" jsonschema:"the number of tables"`
	Figures    int      `json:"figures" jsonschema:"the number of figures"`
	References int      `json:"references" jsonschema:"the number of bibliography entries"`
	Results    int      `json:"results" jsonschema:"the number of reported results (benchmark targets)"`
	Warnings   []string `json:"warnings" jsonschema:"what did not extract cleanly"`
	Format     string   `json:"format" jsonschema:"the format of document: md or json"`
	Document   string   `json:"document" jsonschema:"the context document (Markdown) or the JSON contract"`
}

// SourceInput is the input of the tools that only read a paper.
type SourceInput struct {
	Source string `json:"source" jsonschema:"the paper: a local path (folder, .tex, .tar.gz) or an arXiv reference"`
}

// EquationSummary is one equation of list_equations.
type EquationSummary struct {
	Number     string `json:"number" jsonschema:"the printed number, empty when unnumbered"`
	Label      string `json:"label" jsonschema:"the LaTeX label, empty when none"`
	LaTeX      string `json:"latex" jsonschema:"the math as written in the source"`
	Section    string `json:"section" jsonschema:"the number of the enclosing section"`
	Parsed     bool   `json:"parsed" jsonschema:"whether the whole equation was read into known constructs"`
	Executable bool   `json:"executable" jsonschema:"whether a NumPy reference function computes its right-hand side"`
	Reason     string `json:"reason" jsonschema:"why it is not executable, empty when it is"`
}

// ListEquationsOutput is list_equations' output.
type ListEquationsOutput struct {
	Title     string            `json:"title" jsonschema:"the paper's title"`
	Equations []EquationSummary `json:"equations" jsonschema:"the display equations in order"`
}

// GetEquationInput is get_equation's input.
type GetEquationInput struct {
	Source string `json:"source" jsonschema:"the paper: a local path (folder, .tex, .tar.gz) or an arXiv reference"`
	Number string `json:"number,omitempty" jsonschema:"the equation's printed number, such as 3.1 (give number or label)"`
	Label  string `json:"label,omitempty" jsonschema:"the equation's LaTeX label, such as eq:attn (give number or label)"`
}

// GetEquationOutput is get_equation's output.
type GetEquationOutput struct {
	Number        string `json:"number" jsonschema:"the printed number, empty when unnumbered"`
	Label         string `json:"label" jsonschema:"the LaTeX label, empty when none"`
	LaTeX         string `json:"latex" jsonschema:"the math as written in the source"`
	LaTeXExpanded string `json:"latex_expanded" jsonschema:"the math with the paper's macros expanded"`
	Section       string `json:"section" jsonschema:"the number of the enclosing section"`
	SectionTitle  string `json:"section_title" jsonschema:"the title of the enclosing section"`
	ContextBefore string `json:"context_before" jsonschema:"the sentence that introduces the equation"`
	ContextAfter  string `json:"context_after" jsonschema:"the sentence that follows it (often where x is ...)"`
	Python        string `json:"python" jsonschema:"the NumPy reference function and its inputs function, or a comment saying why there is none"`
	Function      string `json:"function" jsonschema:"the Python function's name"`
	Parsed        bool   `json:"parsed" jsonschema:"whether the whole equation was read into known constructs"`
	Executable    bool   `json:"executable" jsonschema:"whether the Python computes the right-hand side"`
	Reason        string `json:"reason" jsonschema:"why it is not executable, empty when it is"`
}

// PlanInput is plan's input.
type PlanInput struct {
	Sources []string `json:"sources" jsonschema:"the papers: local paths or arXiv references; cited papers are implemented first"`
	Intent  string   `json:"intent,omitempty" jsonschema:"validate, full (default), component, extend or benchmark"`
	Env     string   `json:"env,omitempty" jsonschema:"target environment: cpu (default), gpu or colab"`
}

// PlanOutput is plan's output.
type PlanOutput struct {
	Markdown          string   `json:"markdown" jsonschema:"the plan as Markdown (PLAN.md)"`
	Order             []string `json:"order" jsonschema:"the papers' identifiers in implementation order"`
	Intent            string   `json:"intent" jsonschema:"the plan's intent"`
	Env               string   `json:"env" jsonschema:"the plan's target environment"`
	Chain             []string `json:"chain" jsonschema:"the longest chain of dependencies, foundations first"`
	Equations         int      `json:"equations" jsonschema:"the number of equations"`
	NumberedEquations int      `json:"numbered_equations" jsonschema:"the number of numbered equations"`
	Algorithms        int      `json:"algorithms" jsonschema:"the number of algorithms"`
	Components        int      `json:"components" jsonschema:"the number of components (Python modules)"`
	TestFiles         int      `json:"test_files" jsonschema:"the number of test files to write first"`
}

// ScaffoldInput is scaffold's input.
type ScaffoldInput struct {
	Source    string `json:"source" jsonschema:"the paper: a local path (folder, .tex, .tar.gz) or an arXiv reference"`
	Out       string `json:"out" jsonschema:"the project folder, created when missing; re-running never overwrites files you changed"`
	Intent    string `json:"intent,omitempty" jsonschema:"validate, full (default), component, extend or benchmark"`
	Env       string `json:"env,omitempty" jsonschema:"target environment: cpu (default), gpu or colab"`
	Component string `json:"component,omitempty" jsonschema:"with intent component: the component (module name, section number or title)"`
	Python    string `json:"python,omitempty" jsonschema:"the Python interpreter check should run for the project (default: uv when installed, else python3)"`
	Git       bool   `json:"git,omitempty" jsonschema:"run git init and a first commit in a new project (default false)"`
}

// ScaffoldOutput is scaffold's output.
type ScaffoldOutput struct {
	Out       string   `json:"out" jsonschema:"the project folder"`
	Written   []string `json:"written" jsonschema:"files created or regenerated, relative to out"`
	Unchanged []string `json:"unchanged" jsonschema:"files that already held what would be written"`
	Kept      []string `json:"kept" jsonschema:"files changed by you since repro wrote them, left alone"`
	GitNote   string   `json:"git_note" jsonschema:"what happened with git, empty when nothing to say"`
}

// CheckInput is check's input.
type CheckInput struct {
	Project        string   `json:"project" jsonschema:"the project folder made by scaffold"`
	Python         string   `json:"python,omitempty" jsonschema:"the Python interpreter (path, name or a command such as uv run python); default: the project's"`
	Skip           []string `json:"skip,omitempty" jsonschema:"tools to turn off: ruff, types, coverage"`
	TimeoutSeconds int      `json:"timeout_seconds,omitempty" jsonschema:"a limit on the whole run in seconds; 0 for none"`
}

// CheckItem is one equation, algorithm or other test file of check.
type CheckItem struct {
	Number  string `json:"number" jsonschema:"the equation's number (or algorithm's), empty for another test file"`
	Label   string `json:"label" jsonschema:"the label"`
	Func    string `json:"func" jsonschema:"the Python function"`
	Status  string `json:"status" jsonschema:"passing, failing, pending, no_test or not_run"`
	Test    string `json:"test" jsonschema:"the test file, relative to the project"`
	Message string `json:"message" jsonschema:"the failing assertion, the pending reason, or why no test ran"`
}

// CheckTool is one tool of check.
type CheckTool struct {
	Name    string `json:"name" jsonschema:"pytest, coverage, ruff format, ruff check or types"`
	Ran     bool   `json:"ran" jsonschema:"whether it ran"`
	OK      bool   `json:"ok" jsonschema:"ran and found nothing wrong"`
	Message string `json:"message" jsonschema:"what it found"`
	Hint    string `json:"hint" jsonschema:"what to do: how to install it, how to fix"`
}

// CheckOutput is check's output: the check report.
type CheckOutput struct {
	Python          string         `json:"python" jsonschema:"the interpreter used, with its version"`
	Equations       []CheckItem    `json:"equations" jsonschema:"the state of each equation"`
	Algorithms      []CheckItem    `json:"algorithms" jsonschema:"the state of each algorithm"`
	Other           []CheckItem    `json:"other" jsonschema:"the test files tied to no equation or algorithm"`
	Tools           []CheckTool    `json:"tools" jsonschema:"the tools run"`
	Coverage        float64        `json:"coverage" jsonschema:"percent of lines covered, -1 when not measured"`
	Totals          map[string]int `json:"totals" jsonschema:"counts by status (passing, failing, pending, no_test, not_run), items and test cases"`
	MissingPackages []string       `json:"missing_packages" jsonschema:"Python distributions the interpreter lacks"`
}

// BenchInput is bench_compare's input.
type BenchInput struct {
	Project string   `json:"project" jsonschema:"the project folder made by scaffold (holding benchmarks.yaml)"`
	Results []string `json:"results" jsonschema:"results files: CSV, JSON, JSON lines or TensorBoard event files, relative to the server's directory or absolute"`
	Targets string   `json:"targets,omitempty" jsonschema:"the targets file (default: project/benchmarks.yaml)"`
}

// BenchTarget is one target of bench_compare.
type BenchTarget struct {
	ID        string   `json:"id" jsonschema:"the target's identifier"`
	Dataset   string   `json:"dataset" jsonschema:"the dataset"`
	Metric    string   `json:"metric" jsonschema:"the metric"`
	Setting   string   `json:"setting" jsonschema:"the setting, empty when none"`
	Paper     float64  `json:"paper" jsonschema:"the paper's number"`
	Ours      *float64 `json:"ours" jsonschema:"our result on the paper's scale, null when not run"`
	Tolerance float64  `json:"tolerance" jsonschema:"the allowed absolute difference"`
	Status    string   `json:"status" jsonschema:"ok, close, off or not_run"`
	Note      string   `json:"note" jsonschema:"more about the outcome: scaling, beating the paper, NaN"`
}

// BenchOutput is bench_compare's output.
type BenchOutput struct {
	Verdict   string        `json:"verdict" jsonschema:"REPRODUCED, PARTIALLY REPRODUCED, NOT REPRODUCED or INCONCLUSIVE"`
	Rule      string        `json:"rule" jsonschema:"how the verdict is reached"`
	Summary   string        `json:"summary" jsonschema:"a one-line summary"`
	Targets   []BenchTarget `json:"targets" jsonschema:"each target compared, in the file's order"`
	Unmatched int           `json:"unmatched" jsonschema:"the number of results that matched no target"`
}

// ---- registration ----

func (h *handlers) register(s *mcp.Server) {
	mcp.AddTool(s, &mcp.Tool{Name: "fetch_paper", Title: "Fetch a paper",
		Description: "Download an arXiv paper's LaTeX source and return its local path, usable as a source by the other tools."},
		safe("fetch_paper", h.fetch))
	extractSchema, err := jsonschema.For[ExtractInput](nil)
	if err != nil {
		panic(err) // static types: cannot fail
	}
	extractSchema.Properties["format"].Enum = []any{"md", "json"}
	mcp.AddTool(s, &mcp.Tool{Name: "extract", Title: "Extract a paper", InputSchema: extractSchema,
		Description: "Extract a paper (a local path or an arXiv reference) into its context document: Markdown (format md, the default) for reading, or the JSON contract (format json), with counts of what was found."},
		safe("extract", h.extract))
	mcp.AddTool(s, &mcp.Tool{Name: "list_equations", Title: "List equations",
		Description: "List a paper's display equations with their number, label and LaTeX, and whether each parsed and has an executable NumPy reference (else why not)."},
		safe("list_equations", h.listEquations))
	mcp.AddTool(s, &mcp.Tool{Name: "get_equation", Title: "Get an equation",
		Description: "One equation of a paper by number (3.1) or label: its LaTeX (raw and with macros expanded), section, the sentences around it, and its NumPy reference function."},
		safe("get_equation", h.getEquation))
	mcp.AddTool(s, &mcp.Tool{Name: "plan", Title: "Plan a reproduction",
		Description: "Build the implementation plan for one or more papers: components, equation dependencies, tests to write first, phases, files, hyperparameters, benchmarks; as Markdown with a summary."},
		safe("plan", h.plan))
	mcp.AddTool(s, &mcp.Tool{Name: "scaffold", Title: "Scaffold a project",
		Description: "Generate a runnable, equation-first Python/PyTorch reproduction project for a paper into the folder out: one stub and one test per equation, configs, benchmark targets. Files you changed are never overwritten. Reports progress."},
		safe("scaffold", h.scaffold))
	mcp.AddTool(s, &mcp.Tool{Name: "check", Title: "Check a project",
		Description: "Run a scaffolded project's tests (pytest), coverage, ruff and type checks and report each equation's status (passing, failing, pending, no_test, not_run). Does not rewrite the README. Reports progress."},
		safe("check", h.check))
	mcp.AddTool(s, &mcp.Tool{Name: "bench_compare", Title: "Compare benchmarks",
		Description: "Compare results files (CSV, JSON, JSON lines, TensorBoard) with the paper's reported numbers in a project's benchmarks.yaml and reach a verdict. Writes nothing."},
		safe("bench_compare", h.benchCompare))
}

// ---- handlers ----

func required(name, value string) error {
	if strings.TrimSpace(value) == "" {
		return fmt.Errorf("%s is required", name)
	}
	return nil
}

func (h *handlers) read(ctx context.Context, source string) (*doc.Document, error) {
	if err := required("source", source); err != nil {
		return nil, err
	}
	if h.deps.Extract == nil {
		return nil, errors.New("extraction is not configured in this server")
	}
	d, err := h.deps.Extract(ctx, source)
	if err != nil {
		msg := err.Error()
		if !strings.Contains(msg, source) {
			msg = "reading " + source + ": " + msg
		}
		var xe *xerr.Error
		if errors.As(err, &xe) && xe.Hint != "" {
			msg += "\nhint: " + xe.Hint
		}
		return nil, errors.New(msg)
	}
	if d == nil {
		return nil, fmt.Errorf("reading %s: no document", source)
	}
	return d, nil
}

func (h *handlers) fetch(ctx context.Context, _ *mcp.CallToolRequest, in FetchInput) (*mcp.CallToolResult, FetchOutput, error) {
	if err := required("ref", in.Ref); err != nil {
		return nil, FetchOutput{}, err
	}
	if _, ok := arxiv.ParseRef(in.Ref); !ok {
		return nil, FetchOutput{}, fmt.Errorf("%q is not an arXiv reference (want 2501.00663, arXiv:2501.00663v2 or an arxiv.org URL)", in.Ref)
	}
	if h.deps.Fetch == nil {
		return nil, FetchOutput{}, errors.New("fetching needs network access configured: this server was started without it; give a local path as source instead")
	}
	p, err := h.deps.Fetch(ctx, in.Ref)
	if err != nil {
		return nil, FetchOutput{}, fmt.Errorf("fetching %s: %w", in.Ref, err)
	}
	return nil, FetchOutput{Path: p}, nil
}

func (h *handlers) markdown(d *doc.Document) (string, error) {
	var b bytes.Buffer
	if err := render.Markdown(&b, d, render.Options{Version: h.deps.Version}); err != nil {
		return "", err
	}
	return b.String(), nil
}

func (h *handlers) extract(ctx context.Context, _ *mcp.CallToolRequest, in ExtractInput) (*mcp.CallToolResult, ExtractOutput, error) {
	format := in.Format
	if format == "" || format == "markdown" {
		format = "md"
	}
	if format != "md" && format != "json" {
		return nil, ExtractOutput{}, fmt.Errorf("unknown format %q: use md or json", in.Format)
	}
	d, err := h.read(ctx, in.Source)
	if err != nil {
		return nil, ExtractOutput{}, err
	}
	out := ExtractOutput{
		Title: d.Title, Authors: nonNil(d.Authors), ArxivID: d.ArxivID,
		Sections: len(d.Sections), Equations: len(d.Equations), Algorithms: len(d.Algorithms),
		Tables: len(d.Tables), Figures: len(d.Figures), References: len(d.References), Results: len(d.Results),
		Warnings: []string{}, Format: format,
	}
	for _, e := range d.Equations {
		if e.Number != nil {
			out.Numbered++
		}
	}
	for _, w := range d.Warnings {
		msg := w.Message
		if w.File != "" {
			msg = fmt.Sprintf("%s:%d: %s", w.File, w.Line, w.Message)
		}
		out.Warnings = append(out.Warnings, msg)
	}
	if format == "json" {
		var b bytes.Buffer
		err = render.JSON(&b, d)
		out.Document = b.String()
	} else {
		out.Document, err = h.markdown(d)
	}
	if err != nil {
		return nil, ExtractOutput{}, fmt.Errorf("rendering %s: %w", in.Source, err)
	}
	return nil, out, nil
}

func (h *handlers) listEquations(ctx context.Context, _ *mcp.CallToolRequest, in SourceInput) (*mcp.CallToolResult, ListEquationsOutput, error) {
	d, err := h.read(ctx, in.Source)
	if err != nil {
		return nil, ListEquationsOutput{}, err
	}
	eqs, syms := oracle.FromDocument(d)
	out := ListEquationsOutput{Title: d.Title, Equations: []EquationSummary{}}
	for i, e := range d.Equations {
		if err := ctx.Err(); err != nil {
			return nil, ListEquationsOutput{}, err
		}
		o := oracle.Translate(eqs[i], syms)
		out.Equations = append(out.Equations, EquationSummary{
			Number: e.NumberString(), Label: e.Label, LaTeX: e.LaTeX, Section: e.Section,
			Parsed: o.Parsed, Executable: o.Executable, Reason: o.Reason,
		})
	}
	return nil, out, nil
}

func (h *handlers) getEquation(ctx context.Context, _ *mcp.CallToolRequest, in GetEquationInput) (*mcp.CallToolResult, GetEquationOutput, error) {
	num := strings.Trim(strings.TrimSpace(in.Number), "()")
	label := strings.TrimSpace(in.Label)
	if num == "" && label == "" {
		return nil, GetEquationOutput{}, errors.New("give the equation's number or label")
	}
	d, err := h.read(ctx, in.Source)
	if err != nil {
		return nil, GetEquationOutput{}, err
	}
	idx := -1
	for i, e := range d.Equations {
		if num != "" && (e.NumberString() == num || e.Tag == num) ||
			label != "" && (e.Label == label || slices.Contains(e.Labels, label)) {
			idx = i
			break
		}
	}
	if idx < 0 {
		var avail []string
		for _, e := range d.Equations {
			if n := e.NumberString(); n != "" {
				avail = append(avail, n)
			}
		}
		what := fmt.Sprintf("number %q", num)
		if num == "" {
			what = fmt.Sprintf("label %q", label)
		}
		if len(avail) == 0 {
			return nil, GetEquationOutput{}, fmt.Errorf("%s has no equation with %s, and no numbered equation", in.Source, what)
		}
		more := ""
		if len(avail) > 20 {
			more = fmt.Sprintf(" and %d more", len(avail)-20)
			avail = avail[:20]
		}
		return nil, GetEquationOutput{}, fmt.Errorf("%s has no equation with %s; the numbered equations are %s%s",
			in.Source, what, strings.Join(avail, ", "), more)
	}
	eqs, syms := oracle.FromDocument(d)
	o := oracle.Translate(eqs[idx], syms)
	e := d.Equations[idx]
	return nil, GetEquationOutput{
		Number: e.NumberString(), Label: e.Label, LaTeX: e.LaTeX, LaTeXExpanded: e.LaTeXExpanded,
		Section: e.Section, SectionTitle: e.SectionTitle,
		ContextBefore: e.Context.Before, ContextAfter: e.Context.After,
		Python: o.Python, Function: o.Name, Parsed: o.Parsed, Executable: o.Executable, Reason: o.Reason,
	}, nil
}

// papers extracts the sources into the plan's papers, with distinct IDs.
func (h *handlers) papers(ctx context.Context, sources []string) ([]graph.Paper, error) {
	var papers []graph.Paper
	seen := map[string]int{}
	for _, src := range sources {
		d, err := h.read(ctx, src)
		if err != nil {
			return nil, err
		}
		id := paperID(src)
		seen[id]++
		if n := seen[id]; n > 1 {
			id = fmt.Sprintf("%s-%d", id, n)
		}
		arx := d.ArxivID
		if _, statErr := os.Stat(src); statErr != nil {
			if ref, ok := arxiv.ParseRef(src); ok {
				arx = ref.ID
			}
		}
		papers = append(papers, graph.Paper{ID: id, ArxivID: arx, Doc: d})
	}
	return papers, nil
}

// paperID is the identifier of a source as the CLI and the workspace make
// it: the arXiv slug of a reference, else workspace.LocalID.
func paperID(src string) string {
	if id := workspace.LocalID(src); id != "" {
		return id
	}
	if ref, ok := arxiv.ParseRef(src); ok {
		return arxiv.Ref{ID: ref.ID}.Slug()
	}
	return "paper"
}

func validIntentEnv(intent, env string) error {
	if intent != "" && !slices.Contains(plan.Intents, intent) {
		return fmt.Errorf("unknown intent %q: use one of %s", intent, strings.Join(plan.Intents, ", "))
	}
	if env != "" && !slices.Contains(plan.Envs, env) {
		return fmt.Errorf("unknown env %q: use one of %s", env, strings.Join(plan.Envs, ", "))
	}
	return nil
}

func (h *handlers) plan(ctx context.Context, _ *mcp.CallToolRequest, in PlanInput) (*mcp.CallToolResult, PlanOutput, error) {
	if len(in.Sources) == 0 {
		return nil, PlanOutput{}, errors.New("sources is required: give at least one paper")
	}
	if err := validIntentEnv(in.Intent, in.Env); err != nil {
		return nil, PlanOutput{}, err
	}
	papers, err := h.papers(ctx, in.Sources)
	if err != nil {
		return nil, PlanOutput{}, err
	}
	p := plan.Build(graph.Build(papers), papers, plan.Options{Intent: in.Intent, Env: in.Env, Version: h.deps.Version})
	out := PlanOutput{
		Markdown: string(p.Markdown()), Order: []string{}, Intent: p.Intent, Env: p.Env,
		Chain: nonNil(p.Summary.Chain), Equations: p.Summary.Equations, NumberedEquations: p.Summary.NumberedEquations,
		Algorithms: p.Summary.Algorithms, Components: p.Summary.Components, TestFiles: p.Summary.TestFiles,
	}
	for _, pp := range p.Papers {
		out.Order = append(out.Order, pp.ID)
	}
	return nil, out, nil
}

func (h *handlers) scaffold(ctx context.Context, req *mcp.CallToolRequest, in ScaffoldInput) (*mcp.CallToolResult, ScaffoldOutput, error) {
	if err := required("out", in.Out); err != nil {
		return nil, ScaffoldOutput{}, err
	}
	if err := validIntentEnv(in.Intent, in.Env); err != nil {
		return nil, ScaffoldOutput{}, err
	}
	if in.Intent == plan.IntentComponent && in.Component == "" {
		return nil, ScaffoldOutput{}, errors.New("intent component needs a component")
	}
	pr := newProgress(ctx, req)
	pr.step("extracting "+in.Source, 3)
	papers, err := h.papers(ctx, []string{in.Source})
	if err != nil {
		return nil, ScaffoldOutput{}, err
	}
	pr.step("planning and generating "+in.Out, 3)
	p := plan.Build(graph.Build(papers), papers, plan.Options{Intent: in.Intent, Env: in.Env, Version: h.deps.Version})
	res, err := scaffold.Generate(ctx, papers, p, scaffold.Options{
		Out: in.Out, Intent: in.Intent, Env: in.Env, Component: in.Component,
		Version: h.deps.Version, Git: in.Git, Python: in.Python,
	})
	if err != nil {
		return nil, ScaffoldOutput{}, fmt.Errorf("scaffolding %s: %w", in.Out, err)
	}
	pr.step(fmt.Sprintf("done: %d files written, %d unchanged, %d kept", len(res.Written), len(res.Unchanged), len(res.Kept)), 3)
	return nil, ScaffoldOutput{
		Out: in.Out, Written: nonNil(res.Written), Unchanged: nonNil(res.Unchanged), Kept: nonNil(res.Kept), GitNote: res.GitNote,
	}, nil
}

func isDir(path string) error {
	fi, err := os.Stat(path)
	if err != nil {
		return fmt.Errorf("no project folder %s: %w", path, err)
	}
	if !fi.IsDir() {
		return fmt.Errorf("%s is not a folder", path)
	}
	return nil
}

func (h *handlers) check(ctx context.Context, req *mcp.CallToolRequest, in CheckInput) (*mcp.CallToolResult, CheckOutput, error) {
	if err := required("project", in.Project); err != nil {
		return nil, CheckOutput{}, err
	}
	if err := isDir(in.Project); err != nil {
		return nil, CheckOutput{}, err
	}
	for _, s := range in.Skip {
		if !slices.Contains(check.SkipNames, s) {
			return nil, CheckOutput{}, fmt.Errorf("unknown skip %q: use %s", s, strings.Join(check.SkipNames, ", "))
		}
	}
	if in.TimeoutSeconds < 0 {
		return nil, CheckOutput{}, errors.New("timeout_seconds must not be negative")
	}
	pr := newProgress(ctx, req)
	pr.step("checking "+in.Project, 0)
	rep, err := check.Run(ctx, check.Options{
		Root: in.Project, Python: in.Python, Skip: in.Skip,
		Timeout: time.Duration(in.TimeoutSeconds) * time.Second, Progress: pr,
	})
	if err != nil {
		return nil, CheckOutput{}, fmt.Errorf("checking %s: %w", in.Project, err)
	}
	pr.step("done", 0)
	out := CheckOutput{
		Python: rep.Python, Equations: items(rep.Equations), Algorithms: items(rep.Algorithms), Other: items(rep.Other),
		Tools: []CheckTool{}, Coverage: -1, Totals: rep.Totals, MissingPackages: nonNil(rep.MissingPackages),
	}
	if out.Totals == nil {
		out.Totals = map[string]int{}
	}
	if rep.Coverage != nil {
		out.Coverage = *rep.Coverage
	}
	for _, t := range rep.Tools {
		out.Tools = append(out.Tools, CheckTool{Name: t.Name, Ran: t.Ran, OK: t.OK, Message: t.Message, Hint: t.Hint})
	}
	return nil, out, nil
}

func items(in []check.Item) []CheckItem {
	out := []CheckItem{}
	for _, it := range in {
		out = append(out, CheckItem{Number: it.Number, Label: it.Label, Func: it.Func, Status: it.Status, Test: it.Test, Message: it.Message})
	}
	return out
}

func (h *handlers) benchCompare(ctx context.Context, _ *mcp.CallToolRequest, in BenchInput) (*mcp.CallToolResult, BenchOutput, error) {
	if err := required("project", in.Project); err != nil {
		return nil, BenchOutput{}, err
	}
	if err := isDir(in.Project); err != nil {
		return nil, BenchOutput{}, err
	}
	targets := in.Targets
	if targets == "" {
		targets = filepath.Join(in.Project, project.BenchmarksFile)
	}
	f, err := bench.Load(targets)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, BenchOutput{}, fmt.Errorf("no benchmark targets file %s: give a project made by scaffold, or the file as targets", targets)
	}
	if err != nil {
		return nil, BenchOutput{}, err
	}
	var results []bench.Result
	for _, p := range in.Results {
		if err := ctx.Err(); err != nil {
			return nil, BenchOutput{}, err
		}
		rs, err := bench.ReadResults(p)
		if err != nil {
			return nil, BenchOutput{}, fmt.Errorf("reading results %s: %w", p, err)
		}
		results = append(results, rs...)
	}
	rep := bench.Compare(f, results)
	out := BenchOutput{Verdict: rep.Verdict, Rule: rep.Rule, Summary: rep.Summary(), Targets: []BenchTarget{}, Unmatched: len(rep.Unmatched)}
	for _, o := range rep.Outcomes {
		t := o.Target
		bt := BenchTarget{ID: t.ID, Dataset: t.Dataset, Metric: t.Metric, Setting: t.Setting, Paper: t.Value,
			Tolerance: o.Bound, Status: string(o.Status), Note: o.Note}
		if o.Ours != nil && !isNaNOrInf(*o.Ours) {
			v := *o.Ours
			bt.Ours = &v
		}
		out.Targets = append(out.Targets, bt)
	}
	return nil, out, nil
}

func isNaNOrInf(f float64) bool { return math.IsNaN(f) || math.IsInf(f, 0) }

func nonNil[T any](s []T) []T {
	if s == nil {
		return []T{}
	}
	return s
}

// ---- resources ----

func (h *handlers) readContext(ctx context.Context, req *mcp.ReadResourceRequest) (res *mcp.ReadResourceResult, err error) {
	defer func() {
		if r := recover(); r != nil {
			res, err = nil, fmt.Errorf("internal error: reading a context document: %v", r)
		}
	}()
	uri := req.Params.URI
	src, err := sourceOfURI(uri)
	if err != nil {
		return nil, err
	}
	d, err := h.read(ctx, src)
	if err != nil {
		return nil, err
	}
	md, err := h.markdown(d)
	if err != nil {
		return nil, err
	}
	return &mcp.ReadResourceResult{Contents: []*mcp.ResourceContents{{URI: uri, MIMEType: "text/markdown", Text: md}}}, nil
}
