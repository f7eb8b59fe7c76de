package cli

import (
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"strings"

	"github.com/spf13/cobra"

	"github.com/reprohq/repro/internal/xerr"
)

// Exit codes; the root command's help documents them and ExitCode is the
// only place that maps errors to them.
const (
	ExitOK          = 0   // success
	ExitInternal    = 1   // a bug in repro
	ExitUsage       = 2   // unknown command or flag, wrong arguments
	ExitInput       = 3   // bad input: xerr.KindInput
	ExitFailed      = 4   // a check failed: tests, linters, benchmarks not reproduced
	ExitInterrupted = 130 // SIGINT or SIGTERM (context.Canceled)
)

// ExitCode maps an error returned by a command to the process exit code.
func ExitCode(err error) int {
	if err == nil {
		return ExitOK
	}
	if errors.Is(err, context.Canceled) {
		return ExitInterrupted
	}
	var fe failedError
	if errors.As(err, &fe) {
		return ExitFailed
	}
	var xe *xerr.Error
	if errors.As(err, &xe) {
		switch xe.Kind {
		case xerr.KindUsage:
			return ExitUsage
		case xerr.KindInput:
			return ExitInput
		}
		return ExitInternal
	}
	// A file-system error that no stage wrapped is still about the input.
	if errors.Is(err, fs.ErrNotExist) || errors.Is(err, fs.ErrPermission) {
		return ExitInput
	}
	return ExitInternal
}

// hintReport is the hint for bugs in repro.
const hintReport = "this is a bug in repro; please report it with the command you ran and the output of 'repro version'"

// report prints err as "repro: error: ..." and its hint as "repro: hint: ..."
// on w, and returns the exit code.
func report(w io.Writer, err error) int {
	code := ExitCode(err)
	if code == ExitOK {
		return code
	}
	msg := err.Error()
	if code == ExitInterrupted {
		msg = "interrupted"
	}
	fmt.Fprintf(w, "repro: error: %s\n", msg)
	hint := xerr.HintOf(err)
	if hint == "" && xerr.KindOf(err) == xerr.KindInternal && isXerr(err) {
		hint = hintReport
	}
	if hint != "" {
		fmt.Fprintf(w, "repro: hint: %s\n", hint)
	}
	return code
}

func isXerr(err error) bool {
	var xe *xerr.Error
	return errors.As(err, &xe)
}

// usageError turns an error found while parsing the command line into a
// usage error with a hint pointing at the command's help.
func usageError(cmd *cobra.Command, err error) error {
	if isXerr(err) {
		return err
	}
	msg, _, _ := strings.Cut(err.Error(), "\n") // cobra appends suggestions on later lines
	hint := fmt.Sprintf("run '%s --help' for usage", cmd.CommandPath())
	if rest, ok := strings.CutPrefix(msg, "unknown command "); ok {
		name, _, _ := strings.Cut(strings.Trim(rest, `"`), `"`)
		if s := cmd.SuggestionsFor(name); len(s) > 0 {
			hint = fmt.Sprintf("did you mean '%s %s'? run '%s --help' for the list of commands", cmd.CommandPath(), s[0], cmd.CommandPath())
		}
	}
	return &xerr.Error{Kind: xerr.KindUsage, Msg: msg, Hint: hint}
}

// usageErrorf is a usage error raised by a command after its flags parsed,
// such as a flag value out of range.
func usageErrorf(hint, format string, args ...any) error {
	return &xerr.Error{Kind: xerr.KindUsage, Msg: fmt.Sprintf(format, args...), Hint: hint}
}

// failedError is the outcome of a command whose report said what failed
// (repro check, repro bench): exit status 4, not a bug.
type failedError struct{ msg string }

func (e failedError) Error() string { return e.msg }

// failed returns a failedError with the message.
func failed(format string, args ...any) error {
	return failedError{fmt.Sprintf(format, args...)}
}

// maxArgs allows at most n positional arguments, named in the error.
func maxArgs(n int, names string) cobra.PositionalArgs {
	return func(cmd *cobra.Command, args []string) error {
		if len(args) <= n {
			return nil
		}
		return &xerr.Error{
			Kind: xerr.KindUsage,
			Msg:  fmt.Sprintf("%s takes at most %d argument(s) (%s); got %d", cmd.CommandPath(), n, names, len(args)),
			Hint: fmt.Sprintf("run '%s --help' for usage", cmd.CommandPath()),
		}
	}
}

// exactArgs requires n positional arguments, named in the error.
func exactArgs(n int, names string) cobra.PositionalArgs {
	return func(cmd *cobra.Command, args []string) error {
		if len(args) == n {
			return nil
		}
		var msg string
		switch n {
		case 0:
			msg = fmt.Sprintf("%s takes no arguments, got %d", cmd.CommandPath(), len(args))
		case 1:
			msg = fmt.Sprintf("%s takes one argument, %s; got %d", cmd.CommandPath(), names, len(args))
		default:
			msg = fmt.Sprintf("%s takes %d arguments (%s); got %d", cmd.CommandPath(), n, names, len(args))
		}
		return &xerr.Error{
			Kind: xerr.KindUsage,
			Msg:  msg,
			Hint: fmt.Sprintf("run '%s --help' for usage", cmd.CommandPath()),
		}
	}
}

// minArgs requires at least n positional arguments, named in the error.
func minArgs(n int, names string) cobra.PositionalArgs {
	return func(cmd *cobra.Command, args []string) error {
		if len(args) >= n {
			return nil
		}
		return &xerr.Error{
			Kind: xerr.KindUsage,
			Msg:  fmt.Sprintf("%s needs at least %d %s argument(s); got %d", cmd.CommandPath(), n, names, len(args)),
			Hint: fmt.Sprintf("run '%s --help' for usage", cmd.CommandPath()),
		}
	}
}
