package cli

import (
	"github.com/spf13/cobra"

	"github.com/reprohq/repro"
)

const rootLong = `repro turns a research paper's LaTeX sources into a document model: its
sections, equations (as written and with the paper's macros expanded),
algorithms, tables, figures and references, numbered the way LaTeX numbers
them. It writes the model as a Markdown context document, for people and
LLMs, or as JSON, for programs.

Data goes to standard output (or the file given with -o); messages go to
standard error as "repro: error: ...", "repro: hint: ..." and
"repro: warning: ...".

Exit status:
  0    success
  1    internal error (a bug in repro; please report it)
  2    usage error: unknown command or flag, bad flag value, wrong arguments
  3    bad input: a missing, unreadable or unusable paper source or output path
  4    a check failed: repro check found failing tests or tools, repro bench
       did not reproduce the paper's numbers
  130  interrupted by SIGINT or SIGTERM`

const rootExample = `  # Write the context document of the example paper to stdout
  repro extract examples/tinyformer

  # Write the JSON document model to a file
  repro extract --format json -o paper.json examples/tinyformer

  # Print the version
  repro --version`

// newRootCmd builds the command tree. started is set when a command's run
// function is reached, which tells usage errors from the command's own.
func newRootCmd(f *factory, started *bool) *cobra.Command {
	root := &cobra.Command{
		Use:           "repro",
		Short:         "Turn research papers into a document model for reproducing them",
		Long:          rootLong,
		Example:       rootExample,
		Version:       repro.Version,
		SilenceErrors: true, // report prints errors, once, in one format
		SilenceUsage:  true,
		PersistentPreRun: func(*cobra.Command, []string) {
			*started = true
		},
	}
	root.SetVersionTemplate("repro version {{.Version}}\n") // the same line as "repro version"
	root.SetIn(f.IO.In)
	root.SetOut(f.IO.Out)
	root.SetErr(f.IO.ErrOut)
	root.SetFlagErrorFunc(func(cmd *cobra.Command, err error) error {
		return usageError(cmd, err)
	})

	root.AddCommand(
		newCmdExtract(f, nil),
		newCmdFetch(f),
		newCmdNew(f),
		newCmdAdd(f),
		newCmdScaffold(f),
		newCmdCheck(f),
		newCmdBench(f),
		newCmdEquations(f),
		newCmdImplement(f),
		newCmdMCP(f),
		newCmdReport(f),
		newCmdRun(f),
		newCmdVersion(f),
	)
	root.AddCommand(f.extra...)

	// Create cobra's help and completion commands now rather than at
	// execution, so that they get examples like every other command.
	root.InitDefaultHelpCmd()
	root.InitDefaultCompletionCmd()
	for _, c := range root.Commands() {
		switch c.Name() {
		case "help":
			c.Example = "  repro help extract"
		case "completion":
			c.Example = "  # Load completions in the current bash session\n  source <(repro completion bash)"
			// cobra's completion command prints its help, with status 0,
			// for a missing or unknown shell; make both usage errors.
			c.Args = cobra.ArbitraryArgs
			c.RunE = func(cmd *cobra.Command, args []string) error {
				hint := "run 'repro completion bash' (or zsh, fish, powershell)"
				if len(args) == 0 {
					return usageErrorf(hint, "repro completion needs a shell")
				}
				return usageErrorf(hint, "unknown shell %q", args[0])
			}
			for _, sh := range c.Commands() {
				sh.Example = completionExamples[sh.Name()]
			}
		}
	}
	return root
}

var completionExamples = map[string]string{
	"bash": "  source <(repro completion bash)\n" +
		"  repro completion bash > /etc/bash_completion.d/repro",
	"zsh": "  repro completion zsh > \"${fpath[1]}/_repro\"",
	"fish": "  repro completion fish | source\n" +
		"  repro completion fish > ~/.config/fish/completions/repro.fish",
	"powershell": "  repro completion powershell | Out-String | Invoke-Expression",
}
