// Package xerr holds the user-facing error type shared by the pipeline
// stages: a message with an optional file:line position and a hint telling
// the user what to do next. The CLI maps these to exit codes in one place.
package xerr

import (
	"errors"
	"fmt"
)

// Kind classifies an error for the CLI's exit code.
type Kind int

const (
	// KindInput is bad input from the user: a missing file, an unreadable
	// archive, a source without a main file. Exit code 3.
	KindInput Kind = iota + 1
	// KindUsage is a wrong flag or argument. Exit code 2.
	KindUsage
	// KindInternal is a bug. Exit code 1.
	KindInternal
)

// Error is a user-facing error.
type Error struct {
	Kind Kind
	File string // may be empty
	Line int    // 0 when unknown
	Msg  string
	Hint string
	Err  error // wrapped cause, may be nil
}

func (e *Error) Error() string {
	pos := ""
	switch {
	case e.File != "" && e.Line > 0:
		pos = fmt.Sprintf("%s:%d: ", e.File, e.Line)
	case e.File != "":
		pos = e.File + ": "
	}
	if e.Err != nil {
		return pos + e.Msg + ": " + e.Err.Error()
	}
	return pos + e.Msg
}

func (e *Error) Unwrap() error { return e.Err }

// Input returns a KindInput error about file with a hint.
func Input(file, msg, hint string) *Error {
	return &Error{Kind: KindInput, File: file, Msg: msg, Hint: hint}
}

// Inputf is Input with a formatted message and no hint.
func Inputf(file, format string, args ...any) *Error {
	return &Error{Kind: KindInput, File: file, Msg: fmt.Sprintf(format, args...)}
}

// HintOf returns the hint of the first *Error in err's chain, or "".
func HintOf(err error) string {
	var e *Error
	if errors.As(err, &e) {
		return e.Hint
	}
	return ""
}

// KindOf returns the kind of the first *Error in err's chain, or KindInternal.
func KindOf(err error) Kind {
	var e *Error
	if errors.As(err, &e) {
		return e.Kind
	}
	return KindInternal
}
