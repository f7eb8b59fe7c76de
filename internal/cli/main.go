// Package cli is repro's command-line interface: the cobra command tree, one
// file per command (cmd_*.go), the signal-cancelled root context, and the one
// place where errors become messages and exit codes. It is the only package
// that touches the process's standard streams or exit status; cmd/repro only
// calls Main.
//
// Each command follows the same shape: an options struct filled from flags
// and arguments, and a run function taking a context and the options, with
// all I/O through an injected IOStreams so that tests run commands
// in-process.
package cli

import (
	"context"
	"fmt"
	"os"
	"os/signal"
	"runtime/debug"
	"syscall"

	"github.com/spf13/cobra"

	"github.com/reprohq/repro"
	"github.com/reprohq/repro/doc"
)

// Main runs repro with the process's arguments and standard streams, under
// a context cancelled by SIGINT or SIGTERM, and returns the exit code.
func Main() int {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	go func() {
		// After the first signal, restore the default handling so that a
		// second one ends a command that does not notice cancellation.
		<-ctx.Done()
		stop()
	}()
	return Run(ctx, System(), os.Args[1:])
}

// Run runs repro with args (without the program name) on ios and returns
// the exit code. It never panics: a panic is reported as an internal error.
func Run(ctx context.Context, ios *IOStreams, args []string) int {
	return run(ctx, args, &factory{IO: ios, Extract: repro.Extract})
}

// factory holds what commands depend on; tests replace its fields.
type factory struct {
	IO *IOStreams
	// Extract is repro.Extract.
	Extract func(ctx context.Context, path string, opts repro.Options) (*doc.Document, error)
	// extra commands added to the root, for tests.
	extra []*cobra.Command
}

func run(ctx context.Context, args []string, f *factory) (code int) {
	defer func() {
		if r := recover(); r != nil {
			fmt.Fprintf(f.IO.ErrOut, "repro: error: internal error: %v\n", r)
			fmt.Fprintf(f.IO.ErrOut, "repro: hint: %s (set REPRO_DEBUG=1 for a stack trace)\n", hintReport)
			if os.Getenv("REPRO_DEBUG") != "" {
				f.IO.ErrOut.Write(debug.Stack())
			}
			code = ExitInternal
		}
	}()

	var started bool // set once a command's run function is reached
	root := newRootCmd(f, &started)
	root.SetArgs(args)
	cmd, err := root.ExecuteContextC(ctx)
	if err != nil && !started {
		// cobra failed before running the command: unknown command or
		// flag, bad flag value, wrong number of arguments.
		err = usageError(cmd, err)
	}
	return report(f.IO.ErrOut, err)
}
