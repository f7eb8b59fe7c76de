package cli

import (
	"bytes"
	"fmt"
	"io"
	"os"

	"golang.org/x/term"
)

// IOStreams is where a command reads and writes. Commands never touch
// os.Stdin, os.Stdout or os.Stderr: they get an IOStreams, which tests build
// with Test and whose TTY flags they set as needed.
//
// Rules: Out carries data only (a document, a version, a completion script),
// so that it can be piped; messages for people go to ErrOut. Progress is
// shown only when ErrOut is a terminal.
type IOStreams struct {
	In     io.Reader
	Out    io.Writer
	ErrOut io.Writer

	StdinTTY  bool
	StdoutTTY bool
	StderrTTY bool
}

// System returns the process's standard streams, with their TTY flags
// detected.
func System() *IOStreams {
	return &IOStreams{
		In:        os.Stdin,
		Out:       os.Stdout,
		ErrOut:    os.Stderr,
		StdinTTY:  isTerminal(os.Stdin),
		StdoutTTY: isTerminal(os.Stdout),
		StderrTTY: isTerminal(os.Stderr),
	}
}

// Test returns streams backed by buffers (stdin, stdout, stderr), none of
// them a terminal.
func Test() (ios *IOStreams, in, out, errOut *bytes.Buffer) {
	in, out, errOut = new(bytes.Buffer), new(bytes.Buffer), new(bytes.Buffer)
	return &IOStreams{In: in, Out: out, ErrOut: errOut}, in, out, errOut
}

func isTerminal(f *os.File) bool {
	return term.IsTerminal(int(f.Fd()))
}

// progressf prints a progress line on ErrOut when it is a terminal.
func (s *IOStreams) progressf(format string, args ...any) {
	if s.StderrTTY {
		fmt.Fprintf(s.ErrOut, "repro: "+format+"\n", args...)
	}
}

// warnf prints a warning line on ErrOut.
func (s *IOStreams) warnf(format string, args ...any) {
	fmt.Fprintf(s.ErrOut, "repro: warning: "+format+"\n", args...)
}
