package cli

import (
	"context"
	"errors"
	"fmt"
	"io"
	"path/filepath"
	"time"

	"github.com/spf13/cobra"

	"github.com/reprohq/repro/internal/agent"
)

const implementLong = `Implement has a language model write the stubs of a generated project,
module by module in the plan's order: the model sees the module's part of
the context document, its stubs, its tests and its oracles, and answers with
the module's new source; repro applies the edits (only inside src/, unless
--allow-test-edits), runs the module's tests for real with pytest and sends
the failures back, up to --rounds rounds. Independent modules run in
parallel (--parallel).

The model: --model (or the llm: settings of the workspace's repro.yaml, or
$REPRO_MODEL) as "openai:gpt-4.1-mini",
"anthropic:claude-sonnet-4-5", or a bare name with --base-url (or
$OPENAI_BASE_URL) for any OpenAI-compatible server: vLLM, Ollama,
llama.cpp, LM Studio, OpenRouter. Keys come from $OPENAI_API_KEY and
$ANTHROPIC_API_KEY (a server on localhost needs none) and are never printed.

Every step is checkpointed under .repro/agent/: a run that was interrupted
(or stopped by --max-cost or --max-tokens) continues where it stopped when
run again, and never asks the model again for an answer it already has.
Transcripts are kept there too. The cost report ends the output.

The exit status is 0 when every module is green, 4 when one is not or the
budget stopped the run, 130 when interrupted.`

const implementExample = `  # With OpenAI, two rounds per module, at most one dollar
  repro implement --model openai:gpt-4.1-mini --rounds 2 --max-cost 1 tinyformer-repro

  # One module, with a local Ollama server
  repro implement --model qwen2.5-coder --base-url http://localhost:11434/v1 --module optimization_details`

type implementOptions struct {
	IO             *IOStreams
	Dir            string
	LLM            llmFlags
	Modules        []string
	Rounds         int
	Parallel       int
	AllowTestEdits bool
	Python         string
	JSON           bool
}

func newCmdImplement(f *factory) *cobra.Command {
	opts := &implementOptions{IO: f.IO}
	cmd := &cobra.Command{
		Use:     "implement [flags] [DIR]",
		Short:   "Have a language model implement a generated project's stubs until their tests pass",
		Long:    implementLong,
		Example: implementExample,
		Args:    maxArgs(1, "DIR"),
		RunE: func(cmd *cobra.Command, args []string) error {
			opts.Dir = "."
			if len(args) == 1 {
				opts.Dir = args[0]
			}
			if opts.Rounds < 1 {
				return usageErrorf("give --rounds 1 or more", "--rounds %d", opts.Rounds)
			}
			return runImplement(cmd.Context(), opts)
		},
	}
	fl := cmd.Flags()
	fl.StringSliceVar(&opts.Modules, "module", nil, "only these modules (name, package.name or path)")
	fl.IntVar(&opts.Rounds, "rounds", 3, "rounds of answer, test and feedback per module")
	fl.IntVar(&opts.Parallel, "parallel", 2, "modules worked on at the same time")
	fl.BoolVar(&opts.AllowTestEdits, "allow-test-edits", false, "let the model edit tests/ too")
	fl.StringVar(&opts.Python, "python", "", "the Python interpreter `PATH` that runs the tests")
	fl.BoolVar(&opts.JSON, "json", false, "print the report as JSON")
	opts.LLM.register(cmd)
	return cmd
}

func runImplement(ctx context.Context, opts *implementOptions) error {
	root, err := filepath.Abs(opts.Dir)
	if err != nil {
		return err
	}
	meter, err := opts.LLM.meter(root)
	if err != nil {
		return err
	}
	var progress io.Writer
	if opts.IO.StderrTTY {
		progress = prefixWriter{opts.IO.ErrOut}
	}
	start := time.Now()
	rep, runErr := agent.Implement(ctx, meter, agent.Options{
		Root: root, Python: opts.Python, Modules: opts.Modules, Rounds: opts.Rounds,
		Parallel: opts.Parallel, AllowTestEdits: opts.AllowTestEdits, Progress: progress,
	})
	if rep == nil {
		return runErr
	}
	if opts.JSON {
		if _, err := opts.IO.Out.Write(rep.JSON()); err != nil {
			return err
		}
	} else {
		if err := rep.WriteText(opts.IO.Out); err != nil {
			return err
		}
		fmt.Fprintf(opts.IO.Out, "\nThis run's model calls (%s):\n%s", time.Since(start).Round(time.Millisecond), meter.Report())
	}
	switch {
	case runErr == nil && rep.Green():
		return nil
	case errors.Is(runErr, context.Canceled):
		return runErr
	case errors.Is(runErr, agent.ErrStopped):
		return failed("stopped by the budget: run again with a larger --max-cost or --max-tokens to continue where it stopped")
	case runErr != nil:
		return failed("%v", runErr)
	}
	return failed("not every module is green")
}
