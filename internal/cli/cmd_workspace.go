package cli

import (
	"context"
	"fmt"
	"io"
	"slices"
	"sort"
	"strings"
	"sync"

	"github.com/spf13/cobra"

	"github.com/reprohq/repro"
	"github.com/reprohq/repro/doc"
	"github.com/reprohq/repro/internal/enrich"
	"github.com/reprohq/repro/internal/llm"
	"github.com/reprohq/repro/internal/plan"
	"github.com/reprohq/repro/internal/workspace"
	"github.com/reprohq/repro/internal/xerr"
)

const newLong = `New creates a workspace for reproducing one or more papers: repro.yaml
(the papers and settings), papers/<id>.context.md and .context.json for
every paper, the papers' dependency graph and IMPLEMENTATION_PLAN.md with
plan.json.

Each SOURCE is a local paper (a folder, a .tex file, an archive) or an arXiv
reference (2501.00663, 2501.00663v2, hep-th/9901001, an arxiv.org URL, or the
arXiv DOI 10.48550/arXiv.2501.00663). arXiv sources are fetched once into the
cache (see 'repro fetch --help'); papers are extracted in parallel.

With --follow N the N most important arXiv references of every paper (by how
often and where they are cited) are fetched and added too, --depth levels
deep.

On a terminal, progress is shown on standard error; otherwise one line per
paper is printed on standard output.`

const newExample = `  # A workspace for the example paper
  repro new --dir tinyformer-ws examples/tinyformer

  # A family of papers from arXiv, following each paper's 3 most cited references
  repro new --dir ws --follow 3 2401.00001 2402.00002

  # Work from the cache only
  repro new --offline --dir ws 2401.00001`

const addExample = `  # Add a paper to the workspace in the current folder
  repro add 2403.00003

  # Add a local paper to another workspace
  repro add --dir ws ../papers/mine/`

type workspaceOptions struct {
	IO      *IOStreams
	Dir     string
	Sources []string
	Follow  int
	Depth   int
	Jobs    int
	Intent  string
	Env     string
	Remote  remoteFlags
	UseLLM  bool
	LLM     llmFlags
	create  bool
	// NoScaffold skips the project generation that ends repro new.
	NoScaffold bool
	Scaffold   scaffoldOptions
}

func newCmdNew(f *factory) *cobra.Command {
	opts := &workspaceOptions{IO: f.IO, create: true, Scaffold: scaffoldOptions{IO: f.IO}}
	cmd := &cobra.Command{
		Use:     "new [flags] SOURCE...",
		Short:   "Create a workspace from papers: context documents, graph and plan",
		Long:    newLong,
		Example: newExample,
		Args:    minArgs(1, "SOURCE"),
		RunE: func(cmd *cobra.Command, args []string) error {
			opts.Sources = args
			return runWorkspace(cmd.Context(), opts)
		},
	}
	workspaceFlags(cmd, opts)
	cmd.Flags().BoolVar(&opts.NoScaffold, "no-scaffold", false, "only the workspace: do not generate the Python project")
	scaffoldFlags(cmd, &opts.Scaffold)
	return cmd
}

func newCmdAdd(f *factory) *cobra.Command {
	opts := &workspaceOptions{IO: f.IO}
	cmd := &cobra.Command{
		Use:     "add [flags] SOURCE...",
		Short:   "Add papers to a workspace and update its graph and plan",
		Long:    "Add adds papers to the workspace in --dir (default: the current folder) and\nbrings every paper, the graph and the plan up to date. " + strings.SplitN(newLong, "\n\n", 2)[1],
		Example: addExample,
		Args:    minArgs(1, "SOURCE"),
		RunE: func(cmd *cobra.Command, args []string) error {
			opts.Sources = args
			return runWorkspace(cmd.Context(), opts)
		},
	}
	workspaceFlags(cmd, opts)
	return cmd
}

func workspaceFlags(cmd *cobra.Command, opts *workspaceOptions) {
	fl := cmd.Flags()
	fl.StringVar(&opts.Dir, "dir", ".", "workspace `DIR`")
	fl.IntVar(&opts.Follow, "follow", 0, "also add the `N` most important arXiv references of each paper")
	fl.IntVar(&opts.Depth, "depth", 1, "levels of references to follow with --follow")
	fl.IntVar(&opts.Jobs, "jobs", 0, "papers extracted in parallel (default: the number of cores)")
	fl.StringVar(&opts.Intent, "intent", "", "plan intent: validate, full, component, extend or benchmark")
	fl.StringVar(&opts.Env, "env", "", "target environment of the plan: cpu, gpu or colab")
	fl.BoolVar(&opts.UseLLM, "llm", false, "add notes from a language model to each new paper's context document, checked against the paper (see --model)")
	opts.Remote.register(cmd)
	opts.LLM.register(cmd)
}

func runWorkspace(ctx context.Context, opts *workspaceOptions) error {
	if opts.Intent != "" && !slices.Contains(plan.Intents, opts.Intent) {
		return usageErrorf("use one of "+strings.Join(plan.Intents, ", "), "unknown intent %q", opts.Intent)
	}
	if opts.Env != "" && !slices.Contains(plan.Envs, opts.Env) {
		return usageErrorf("use one of "+strings.Join(plan.Envs, ", "), "unknown environment %q", opts.Env)
	}
	if opts.Follow < 0 || opts.Depth < 0 {
		return usageErrorf("give a number of references and levels of 0 or more", "--follow and --depth cannot be negative")
	}
	w, err := workspace.Open(opts.Dir, opts.create)
	if err != nil {
		return err
	}
	remote, err := opts.Remote.remote()
	if err != nil {
		return err
	}
	ios := opts.IO
	var notes func(context.Context, *doc.Document) ([]byte, error)
	var meter *llm.Meter
	if opts.UseLLM {
		if meter, err = opts.LLM.meter(opts.Dir); err != nil {
			return err
		}
		var mu sync.Mutex
		notes = func(ctx context.Context, d *doc.Document) ([]byte, error) {
			e, err := enrich.Enrich(ctx, meter, d, enrich.Options{})
			if err != nil {
				return nil, err
			}
			mu.Lock()
			for _, w := range e.Warnings {
				ios.warnf("llm: %s: %s", paperName(d), w)
			}
			mu.Unlock()
			return e.Markdown(), nil
		}
	}
	pr := newProgress(ios)
	res, err := w.Add(ctx, opts.Sources, workspace.Options{
		Remote: remote, Jobs: opts.Jobs, Progress: pr.event,
		Generator: "repro " + repro.Version, Version: repro.Version,
		Follow: opts.Follow, Depth: opts.Depth,
		Plan:  plan.Options{Intent: opts.Intent, Env: opts.Env, Version: repro.Version},
		Notes: notes,
	})
	pr.finish()
	if meter != nil {
		t := meter.Total()
		fmt.Fprintf(ios.ErrOut, "repro: llm: %d calls, %d input and %d output tokens, $%.4f\n", t.Calls, t.InputTokens, t.OutputTokens, t.Cost)
	}
	if err != nil {
		return err
	}
	out := ios.Out
	if ios.StdoutTTY {
		fmt.Fprintf(out, "workspace %s: %d papers (%d extracted, %d unchanged, %d failed)\n", opts.Dir,
			len(w.Config.Papers), len(res.Extracted), len(res.Unchanged), len(res.Failed))
		if res.Graph != nil && len(res.Graph.Order) > 0 {
			fmt.Fprintf(out, "implementation order: %s\n", strings.Join(res.Graph.Order, " → "))
		}
		fmt.Fprintf(out, "plan: %s/IMPLEMENTATION_PLAN.md\n", strings.TrimSuffix(opts.Dir, "/"))
	}
	if opts.create && !opts.NoScaffold && len(res.Failed) == 0 {
		so := opts.Scaffold
		so.Intent, so.Env, so.Out = opts.Intent, opts.Env, opts.Dir
		if err := scaffoldInto(ctx, ios, w.Papers(), &so); err != nil {
			return err
		}
	}
	if len(res.Failed) > 0 {
		ids := make([]string, 0, len(res.Failed))
		for id := range res.Failed {
			ids = append(ids, id)
		}
		sort.Strings(ids)
		for _, id := range ids {
			fmt.Fprintf(ios.ErrOut, "repro: error: %s: %v\n", id, res.Failed[id])
			if h := xerr.HintOf(res.Failed[id]); h != "" {
				fmt.Fprintf(ios.ErrOut, "repro: hint: %s\n", h)
			}
		}
		return &xerr.Error{Kind: xerr.KindInput, Msg: fmt.Sprintf("%d of %d papers failed", len(res.Failed), len(w.Config.Papers)), Hint: "the other papers, the graph and the plan were written"}
	}
	return nil
}

// progress shows workspace events: a live bar on a terminal (stderr), or
// one plain line per paper on standard output when it is not a terminal.
type progress struct {
	ios  *IOStreams
	live bool
	last string
}

func newProgress(ios *IOStreams) *progress {
	return &progress{ios: ios, live: ios.StderrTTY && ios.StdoutTTY}
}

func (p *progress) event(e workspace.Event) {
	if p.live {
		if e.Kind == "plan" {
			p.clear()
			fmt.Fprintf(p.ios.ErrOut, "repro: plan written (%s)\n", e.Message)
			return
		}
		if e.Kind == "failed" {
			p.clear()
			fmt.Fprintf(p.ios.ErrOut, "repro: %s failed: %s\n", e.ID, e.Message)
		}
		p.bar(e)
		return
	}
	var w io.Writer = p.ios.Out
	switch e.Kind {
	case "extracted":
		fmt.Fprintf(w, "extracted %s: %s\n", e.ID, e.Message)
	case "unchanged":
		fmt.Fprintf(w, "unchanged %s\n", e.ID)
	case "failed":
		fmt.Fprintf(w, "failed %s: %s\n", e.ID, e.Message)
	case "plan":
		fmt.Fprintf(w, "plan %s\n", e.Message)
	}
}

func (p *progress) bar(e workspace.Event) {
	const width = 24
	done := e.Done
	if e.Kind != "start" {
		done = e.Done
	}
	filled := 0
	if e.Total > 0 {
		filled = width * done / e.Total
	}
	line := fmt.Sprintf("\r[%s%s] %d/%d %s %s", strings.Repeat("=", filled), strings.Repeat(" ", width-filled), done, e.Total, e.Kind, e.ID)
	if len(line) < len(p.last) {
		line += strings.Repeat(" ", len(p.last)-len(line))
	}
	p.last = line
	fmt.Fprint(p.ios.ErrOut, line)
}

func (p *progress) clear() {
	if p.last != "" {
		fmt.Fprint(p.ios.ErrOut, "\r"+strings.Repeat(" ", len(p.last))+"\r")
		p.last = ""
	}
}

func (p *progress) finish() {
	if p.live {
		p.clear()
	}
}

// paperName names a paper in messages: its arXiv id, else its title.
func paperName(d *doc.Document) string {
	if d.ArxivID != "" {
		return d.ArxivID
	}
	return d.Title
}
