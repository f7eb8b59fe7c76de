package cli

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"github.com/spf13/cobra"

	"github.com/reprohq/repro"
	"github.com/reprohq/repro/internal/arxiv"
	"github.com/reprohq/repro/internal/graph"
	"github.com/reprohq/repro/internal/plan"
	"github.com/reprohq/repro/internal/scaffold"
	"github.com/reprohq/repro/internal/workspace"
)

const scaffoldLong = `Scaffold generates a runnable Python/PyTorch reproduction project from a
paper or a workspace: one module per component of the plan, every numbered
equation a function stub with its test written first, configs from the
paper's hyperparameters, the paper's reported results as benchmark targets,
docs, a notebook, scripts, and a first git commit.

Tests of a function that still raises NotImplementedError are skipped
(the "pending" convention, explained in the project's README), so pytest
passes on a fresh project and runs every test for real once its function is
implemented.

Re-running never overwrites what you changed: generated files carry a
marker with a hash of their content; a file you edited is left alone and
listed; new equations get new stubs and tests.

When --intent is not given and standard input is a terminal, scaffold asks
for the intent, the component, the environment and the output; it never
asks otherwise (the defaults are full, all components, cpu, both).`

const scaffoldExample = `  # A project for the example paper
  repro scaffold --out tinyformer-repro examples/tinyformer

  # From a workspace made with repro new, for a GPU machine, CLI only
  repro scaffold --env gpu --output cli --out ws-project ws/

  # Only one component
  repro scaffold --intent component --component attention_and_normalization examples/tinyformer`

type scaffoldOptions struct {
	IO        *IOStreams
	Source    string
	Out       string
	Intent    string
	Component string
	Env       string
	Output    string
	Package   string
	Python    string
	NoGit     bool
	Remote    remoteFlags
}

func newCmdScaffold(f *factory) *cobra.Command {
	opts := &scaffoldOptions{IO: f.IO}
	cmd := &cobra.Command{
		Use:     "scaffold [flags] SOURCE-or-WORKSPACE",
		Short:   "Generate a runnable, equation-first Python reproduction project",
		Long:    scaffoldLong,
		Example: scaffoldExample,
		Args:    exactArgs(1, "SOURCE-or-WORKSPACE"),
		RunE: func(cmd *cobra.Command, args []string) error {
			opts.Source = args[0]
			if !cmd.Flags().Changed("intent") && opts.IO.StdinTTY && opts.IO.StdoutTTY {
				if err := askScaffold(opts.IO.In, opts.IO.ErrOut, opts); err != nil {
					return err
				}
			}
			return runScaffold(cmd.Context(), opts)
		},
	}
	fl := cmd.Flags()
	fl.StringVar(&opts.Out, "out", "", "project `DIR` (default: <paper id>-repro, or the workspace itself)")
	scaffoldFlags(cmd, opts)
	opts.Remote.register(cmd)
	return cmd
}

func scaffoldFlags(cmd *cobra.Command, opts *scaffoldOptions) {
	fl := cmd.Flags()
	if fl.Lookup("intent") == nil {
		fl.StringVar(&opts.Intent, "intent", "", "validate, full, component, extend or benchmark (default full)")
	}
	fl.StringVar(&opts.Component, "component", "", "with --intent component: the component `NAME` to scaffold")
	if fl.Lookup("env") == nil {
		fl.StringVar(&opts.Env, "env", "", "target environment: cpu, gpu or colab (default cpu)")
	}
	fl.StringVar(&opts.Output, "output", "both", "notebook, cli or both")
	fl.StringVar(&opts.Package, "package", "", "Python package `NAME` (default: from the paper)")
	fl.BoolVar(&opts.NoGit, "no-git", false, "do not run git init and the first commit")
	fl.StringVar(&opts.Python, "python", "", "the Python interpreter `PATH` that repro check runs for the project (default: uv when installed, else python3)")
}

// askScaffold asks the four questions on a terminal, with defaults.
func askScaffold(in io.Reader, out io.Writer, opts *scaffoldOptions) error {
	r := bufio.NewReader(in)
	ask := func(q, def string, choices []string) (string, error) {
		for {
			fmt.Fprintf(out, "%s [%s] (%s): ", q, def, strings.Join(choices, ", "))
			line, err := r.ReadString('\n')
			line = strings.TrimSpace(line)
			if line == "" {
				return def, nil
			}
			if choices == nil || slices.Contains(choices, line) {
				return line, nil
			}
			if err != nil {
				return def, nil
			}
			fmt.Fprintf(out, "please answer one of: %s\n", strings.Join(choices, ", "))
		}
	}
	var err error
	if opts.Intent, err = ask("Intent", "full", plan.Intents); err != nil {
		return err
	}
	if opts.Intent == plan.IntentComponent && opts.Component == "" {
		if opts.Component, err = ask("Component (a module name of the plan)", "", nil); err != nil {
			return err
		}
	}
	if opts.Env == "" {
		if opts.Env, err = ask("Environment", "cpu", plan.Envs); err != nil {
			return err
		}
	}
	opts.Output, err = ask("Output", opts.Output, []string{"notebook", "cli", "both"})
	return err
}

func runScaffold(ctx context.Context, opts *scaffoldOptions) error {
	if opts.Intent != "" && !slices.Contains(plan.Intents, opts.Intent) {
		return usageErrorf("use one of "+strings.Join(plan.Intents, ", "), "unknown intent %q", opts.Intent)
	}
	if opts.Env != "" && !slices.Contains(plan.Envs, opts.Env) {
		return usageErrorf("use one of "+strings.Join(plan.Envs, ", "), "unknown environment %q", opts.Env)
	}
	if !slices.Contains([]string{"notebook", "cli", "both"}, opts.Output) {
		return usageErrorf("use notebook, cli or both", "unknown output %q", opts.Output)
	}
	if opts.Intent == plan.IntentComponent && opts.Component == "" {
		return usageErrorf("name it with --component", "--intent component needs a component")
	}
	papers, out, err := scaffoldPapers(ctx, opts)
	if err != nil {
		return err
	}
	if opts.Out == "" {
		opts.Out = out
	}
	return scaffoldInto(ctx, opts.IO, papers, opts)
}

// scaffoldPapers loads a workspace's papers, or extracts one source.
func scaffoldPapers(ctx context.Context, opts *scaffoldOptions) ([]graph.Paper, string, error) {
	if _, err := os.Stat(filepath.Join(opts.Source, workspace.ConfigName)); err == nil {
		w, err := workspace.Open(opts.Source, false)
		if err != nil {
			return nil, "", err
		}
		return w.Papers(), opts.Source, nil
	}
	var (
		id  string
		err error
	)
	eo := &extractOptions{IO: opts.IO, Source: opts.Source, Remote: opts.Remote}
	var papers []graph.Paper
	if checkSource(opts.Source) != nil {
		ref, ok := arxiv.ParseRef(opts.Source)
		if !ok {
			return nil, "", checkSource(opts.Source)
		}
		d, err := extractRemote(ctx, eo)
		if err != nil {
			return nil, "", err
		}
		id = arxiv.Ref{ID: ref.ID}.Slug()
		papers = append(papers, graph.Paper{ID: id, ArxivID: ref.ID, Doc: d})
	} else {
		d, err2 := repro.Extract(ctx, opts.Source, repro.Options{})
		if err2 != nil {
			return nil, "", err2
		}
		id = workspace.LocalID(opts.Source)
		papers = append(papers, graph.Paper{ID: id, ArxivID: d.ArxivID, Doc: d})
	}
	return papers, id + "-repro", err
}

// scaffoldInto plans and generates the project.
func scaffoldInto(ctx context.Context, ios *IOStreams, papers []graph.Paper, opts *scaffoldOptions) error {
	g := graph.Build(papers)
	p := plan.Build(g, papers, plan.Options{Intent: opts.Intent, Env: opts.Env, Version: repro.Version})
	res, err := scaffold.Generate(ctx, papers, p, scaffold.Options{
		Out: opts.Out, Intent: opts.Intent, Env: opts.Env, Component: opts.Component, Output: opts.Output,
		Package: opts.Package, Version: repro.Version, Git: !opts.NoGit, Python: opts.Python,
	})
	if err != nil {
		return err
	}
	fmt.Fprintf(ios.Out, "project %s: %d files written, %d unchanged, %d kept (changed by you) in %v\n",
		opts.Out, len(res.Written), len(res.Unchanged), len(res.Kept), res.Elapsed.Round(1000))
	for _, k := range res.Kept {
		fmt.Fprintf(ios.Out, "kept %s\n", k)
	}
	if res.GitNote != "" {
		fmt.Fprintln(ios.Out, res.GitNote)
	}
	return nil
}
