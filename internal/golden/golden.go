// Package golden compares test output with golden files, or rewrites them
// when the tests run with -update.
//
// It is meant for tests only. Importing it registers the -update flag, so a
// test package without golden files imports it blank to accept
// "go test ./... -update" like the others:
//
//	import _ "github.com/reprohq/repro/internal/golden"
package golden

import (
	"bytes"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"unicode/utf8"
)

// Update is the -update flag: rewrite the golden files (and the cmp sections
// of testscript scripts) with what the tests produce instead of comparing.
var Update = flag.Bool("update", false, "update golden files")

// Check compares got with the golden file at path and reports a mismatch as
// a test error: the path, the line:column of the first differing byte and a
// few lines of both around it. With -update it writes got to path instead,
// creating the parent directories. It reports whether the file (now) holds
// got, so that a caller can log more context on a mismatch.
func Check(t testing.TB, path string, got []byte) bool {
	t.Helper()
	want, err := os.ReadFile(path)
	if *Update {
		if err == nil && bytes.Equal(got, want) {
			return true // leave the file and its time alone
		}
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			t.Errorf("golden: %v", err)
			return false
		}
		if err := os.WriteFile(path, got, 0o644); err != nil {
			t.Errorf("golden: %v", err)
			return false
		}
		return true
	}
	if errors.Is(err, fs.ErrNotExist) {
		t.Errorf("golden file %s is missing (run go test -update to create it)", path)
		return false
	}
	if err != nil {
		t.Errorf("golden: %v", err)
		return false
	}
	if d := Diff(path, got, want); d != "" {
		t.Errorf("%s\n(run go test -update to accept the new output, then review git diff)", d)
		return false
	}
	return true
}

// CheckString is Check for a string.
func CheckString(t testing.TB, path, got string) bool {
	t.Helper()
	return Check(t, path, []byte(got))
}

// CheckJSON is Check for v marshalled as indented JSON (two spaces) with a
// final newline.
func CheckJSON(t testing.TB, path string, v any) bool {
	t.Helper()
	got, err := json.MarshalIndent(v, "", "  ")
	if err != nil {
		t.Fatalf("golden: marshal for %s: %v", path, err)
	}
	return Check(t, path, append(got, '\n'))
}

// Inputs runs fn, in a sub-test named after the file's base name, on each
// file that matches pattern (see filepath.Glob) with its content. It fails t
// when nothing matches, so that a moved testdata folder does not pass
// silently.
func Inputs(t *testing.T, pattern string, fn func(t *testing.T, path string, src []byte)) {
	t.Helper()
	files, err := filepath.Glob(pattern)
	if err != nil || len(files) == 0 {
		t.Fatalf("no test inputs match %s (%v)", pattern, err)
	}
	for _, path := range files {
		t.Run(filepath.Base(path), func(t *testing.T) {
			src, err := os.ReadFile(path)
			if err != nil {
				t.Fatal(err)
			}
			fn(t, path, src)
		})
	}
}

// around is how many lines Diff shows before and after the differing one.
const around = 2

// maxLine is how many bytes of a line Diff shows; a longer line is cut to a
// window around the difference.
const maxLine = 160

// Diff describes where got first differs from want, the content of the
// golden file at path: "path:line:col: ..." (line and column count from 1,
// the column in bytes, as in Go's own positions) followed by a few numbered
// lines of both around that place, the differing line marked with ">". It
// returns "" when got and want are equal.
func Diff(path string, got, want []byte) string {
	if bytes.Equal(got, want) {
		return ""
	}
	i := 0
	for i < len(got) && i < len(want) && got[i] == want[i] {
		i++
	}
	line := bytes.Count(want[:i], []byte("\n")) + 1
	col := i - (bytes.LastIndexByte(want[:i], '\n') + 1) + 1
	var what string
	switch {
	case i == len(want):
		what = fmt.Sprintf("the golden file ends here; the output goes on for %d more bytes", len(got)-i)
	case i == len(got):
		what = fmt.Sprintf("the output ends here; the golden file goes on for %d more bytes", len(want)-i)
	default:
		w, _ := utf8.DecodeRune(want[i:])
		g, _ := utf8.DecodeRune(got[i:])
		what = fmt.Sprintf("the golden file has %q, the output %q", w, g)
	}
	var b strings.Builder
	fmt.Fprintf(&b, "%s:%d:%d: %s\n", path, line, col, what)
	b.WriteString("--- want (golden file)\n")
	excerpt(&b, want, line, col)
	b.WriteString("--- got (test output)\n")
	excerpt(&b, got, line, col)
	return strings.TrimSuffix(b.String(), "\n")
}

// excerpt writes the lines of text around line (counted from 1), numbered,
// marking line with ">" and cutting long lines around col.
func excerpt(b *strings.Builder, text []byte, line, col int) {
	lines := strings.SplitAfter(string(text), "\n")
	for n := max(1, line-around); n <= line+around && n <= len(lines); n++ {
		l := lines[n-1]
		if l == "" { // after a final newline
			if n == line {
				fmt.Fprintf(b, "> %4d | (end of file)\n", n)
			}
			continue
		}
		mark := " "
		if n == line {
			mark = ">"
		}
		fmt.Fprintf(b, "%s %4d | %s\n", mark, n, show(l, col, n == line))
	}
}

// show prepares one line for display: a missing final newline is said, and
// a long line is cut to a window around col when at is set, else to its
// start.
func show(l string, col int, at bool) string {
	s, nl := strings.CutSuffix(l, "\n")
	if len(s) > maxLine {
		lo := 0
		if at {
			lo = max(0, min(col-1-maxLine/2, len(s)-maxLine))
		}
		hi := min(len(s), lo+maxLine)
		for lo > 0 && !utf8.RuneStart(s[lo]) {
			lo--
		}
		for hi < len(s) && !utf8.RuneStart(s[hi]) {
			hi++
		}
		cut := s[lo:hi]
		if lo > 0 {
			cut = "…" + cut
		}
		if hi < len(s) {
			cut += "…"
		}
		s = cut
	}
	if !nl {
		s += "⟨no newline at end of file⟩"
	}
	return s
}
