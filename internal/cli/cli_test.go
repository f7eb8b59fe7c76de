package cli

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/spf13/cobra"

	"github.com/reprohq/repro"
	"github.com/reprohq/repro/doc"
	"github.com/reprohq/repro/internal/xerr"
)

// fakeDoc is what the fake extractor returns: small, with two warnings.
func fakeDoc(path string) *doc.Document {
	d := doc.New()
	d.Source = doc.Source{Kind: "latex", Path: path, MainFile: "main.tex"}
	d.Title = "Fake <Paper> & Co"
	n := "1"
	d.Equations = []doc.Equation{{ID: "eq:a", Number: &n, Label: "eq:a", LaTeX: `a < b`}}
	d.Warnings = []doc.Warning{
		{File: "main.tex", Line: 7, Message: `undefined reference "eq:x"`},
		{Message: "no bibliography"},
	}
	return d
}

type result struct {
	code           int
	stdout, stderr string
	gotOpts        repro.Options
}

// runCLI runs repro in-process with args. extract replaces repro.Extract
// (nil: return fakeDoc); tty sets the TTY flags of all streams.
func runCLI(t *testing.T, tty bool, extract func(context.Context, string, repro.Options) (*doc.Document, error), args ...string) result {
	t.Helper()
	ios, _, out, errOut := Test()
	ios.StdinTTY, ios.StdoutTTY, ios.StderrTTY = tty, tty, tty
	var res result
	f := &factory{IO: ios, Extract: func(ctx context.Context, path string, o repro.Options) (*doc.Document, error) {
		res.gotOpts = o
		if extract != nil {
			return extract(ctx, path, o)
		}
		return fakeDoc(path), nil
	}}
	f.extra = []*cobra.Command{{
		Use: "boom", Hidden: true,
		Run: func(*cobra.Command, []string) { panic("kaboom") },
	}}
	res.code = run(t.Context(), args, f)
	res.stdout, res.stderr = out.String(), errOut.String()
	return res
}

// paperDir returns a folder that exists, for SOURCE.
func paperDir(t *testing.T) string {
	t.Helper()
	dir := filepath.Join(t.TempDir(), "paper")
	if err := os.Mkdir(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	return dir
}

func TestExitCode(t *testing.T) {
	tests := []struct {
		name string
		err  error
		want int
	}{
		{"nil", nil, ExitOK},
		{"plain", errors.New("boom"), ExitInternal},
		{"usage", &xerr.Error{Kind: xerr.KindUsage, Msg: "x"}, ExitUsage},
		{"input", xerr.Input("main.tex", "bad", "fix it"), ExitInput},
		{"wrapped input", fmt.Errorf("reading: %w", xerr.Inputf("a.tex", "bad")), ExitInput},
		{"internal xerr", &xerr.Error{Kind: xerr.KindInternal, Msg: "bug"}, ExitInternal},
		{"canceled", context.Canceled, ExitInterrupted},
		{"wrapped canceled", fmt.Errorf("extract: %w", context.Canceled), ExitInterrupted},
		{"canceled inside xerr", &xerr.Error{Kind: xerr.KindInput, Msg: "x", Err: context.Canceled}, ExitInterrupted},
		{"not exist", &fs.PathError{Op: "open", Path: "x", Err: fs.ErrNotExist}, ExitInput},
		{"permission", fs.ErrPermission, ExitInput},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := ExitCode(tt.err); got != tt.want {
				t.Errorf("ExitCode(%v) = %d, want %d", tt.err, got, tt.want)
			}
		})
	}
}

func TestUsageErrors(t *testing.T) {
	src := paperDir(t)
	tests := []struct {
		args       []string
		wantErr    string
		wantHint   string
		wantNoRuns bool
	}{
		{[]string{"extract", "--bogus", src}, "unknown flag: --bogus", "run 'repro extract --help' for usage", true},
		{[]string{"extract"}, "repro extract takes one argument, SOURCE; got 0", "run 'repro extract --help' for usage", true},
		{[]string{"extract", src, src}, "repro extract takes one argument, SOURCE; got 2", "run 'repro extract --help' for usage", true},
		{[]string{"extract", "--format", "pdf", src}, `unknown format "pdf"`, "use --format md (the default) or --format json", true},
		{[]string{"extract", "-o"}, "flag needs an argument: 'o' in -o", "run 'repro extract --help' for usage", true},
		{[]string{"nope"}, `unknown command "nope" for "repro"`, "run 'repro --help' for usage", true},
		{[]string{"extracts"}, `unknown command "extracts" for "repro"`, "did you mean 'repro extract'? run 'repro --help' for the list of commands", true},
		{[]string{"--nope"}, "unknown flag: --nope", "run 'repro --help' for usage", true},
		{[]string{"version", "x"}, "repro version takes no arguments, got 1", "run 'repro version --help' for usage", true},
		{[]string{"completion", "csh"}, `unknown shell "csh"`, "run 'repro completion bash' (or zsh, fish, powershell)", true},
	}
	for _, tt := range tests {
		t.Run(strings.Join(tt.args, " "), func(t *testing.T) {
			called := false
			r := runCLI(t, false, func(ctx context.Context, p string, o repro.Options) (*doc.Document, error) {
				called = true
				return fakeDoc(p), nil
			}, tt.args...)
			if r.code != ExitUsage {
				t.Errorf("exit code %d, want %d", r.code, ExitUsage)
			}
			want := "repro: error: " + tt.wantErr + "\nrepro: hint: " + tt.wantHint + "\n"
			if r.stderr != want {
				t.Errorf("stderr:\n%s\nwant:\n%s", r.stderr, want)
			}
			if r.stdout != "" {
				t.Errorf("stdout not empty: %q", r.stdout)
			}
			if called && tt.wantNoRuns {
				t.Error("the extractor ran despite the usage error")
			}
		})
	}
}

func TestExtractStdout(t *testing.T) {
	src := paperDir(t)
	tests := []struct {
		name       string
		tty        bool
		args       []string
		wantOut    string // substring of stdout
		wantErrOut []string
		wantNoErr  bool
	}{
		{
			name:      "markdown, not a terminal: stderr silent",
			args:      []string{"extract", src},
			wantOut:   "# Fake <Paper> & Co\n",
			wantNoErr: true,
		},
		{
			name:      "json, not a terminal",
			args:      []string{"extract", "--format", "json", src},
			wantOut:   `"title": "Fake <Paper> & Co"`,
			wantNoErr: true,
		},
		{
			name:    "verbose prints warnings but no progress",
			args:    []string{"extract", "--verbose", "--format=json", src},
			wantOut: `"latex": "a < b"`,
			wantErrOut: []string{
				"repro: warning: main.tex:7: undefined reference \"eq:x\"\n",
				"repro: warning: no bibliography\n",
			},
		},
		{
			name:    "terminal prints progress and warnings",
			tty:     true,
			args:    []string{"extract", src},
			wantOut: "## Equations",
			wantErrOut: []string{
				"repro: extracting " + src + "\n",
				"repro: warning: main.tex:7: undefined reference \"eq:x\"\n",
				"repro: wrote md to stdout in ",
				": 1 equation (1 numbered), 0 algorithms, 0 tables, 0 figures, 0 references, 2 warnings\n",
			},
		},
		{
			name:      "markdown alias",
			args:      []string{"extract", "--format", "Markdown", src},
			wantOut:   "## Quick reference",
			wantNoErr: true,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := runCLI(t, tt.tty, nil, tt.args...)
			if r.code != ExitOK {
				t.Fatalf("exit code %d; stderr:\n%s", r.code, r.stderr)
			}
			if !strings.Contains(r.stdout, tt.wantOut) {
				t.Errorf("stdout does not contain %q:\n%s", tt.wantOut, r.stdout)
			}
			if strings.Contains(r.stdout, "repro:") {
				t.Errorf("messages leaked to stdout:\n%s", r.stdout)
			}
			if tt.wantNoErr && r.stderr != "" {
				t.Errorf("stderr not empty:\n%s", r.stderr)
			}
			for _, s := range tt.wantErrOut {
				if !strings.Contains(r.stderr, s) {
					t.Errorf("stderr does not contain %q:\n%s", s, r.stderr)
				}
			}
			if strings.Contains(tt.args[len(tt.args)-2], "json") && !json.Valid([]byte(r.stdout)) {
				t.Errorf("stdout is not valid JSON:\n%s", r.stdout)
			}
		})
	}
}

func TestExtractPassesMainFile(t *testing.T) {
	r := runCLI(t, false, nil, "extract", "--main", "paper.tex", paperDir(t))
	if r.code != ExitOK {
		t.Fatalf("exit code %d: %s", r.code, r.stderr)
	}
	if r.gotOpts.MainFile != "paper.tex" {
		t.Errorf("MainFile = %q, want paper.tex", r.gotOpts.MainFile)
	}
}

func TestExtractOutputFile(t *testing.T) {
	src := paperDir(t)
	dir := t.TempDir()
	out := filepath.Join(dir, "paper.json")

	// A new file.
	r := runCLI(t, false, nil, "extract", "--format", "json", "-o", out, src)
	if r.code != ExitOK || r.stdout != "" || r.stderr != "" {
		t.Fatalf("code %d, stdout %q, stderr %q", r.code, r.stdout, r.stderr)
	}
	data, err := os.ReadFile(out)
	if err != nil {
		t.Fatal(err)
	}
	if !json.Valid(data) {
		t.Errorf("%s is not valid JSON", out)
	}

	// An existing file is replaced and keeps its permissions.
	if err := os.Chmod(out, 0o600); err != nil {
		t.Fatal(err)
	}
	r = runCLI(t, true, nil, "extract", "-o", out, src)
	if r.code != ExitOK {
		t.Fatalf("code %d: %s", r.code, r.stderr)
	}
	if !strings.Contains(r.stderr, "repro: wrote md to "+out+" in ") {
		t.Errorf("no progress line naming the file:\n%s", r.stderr)
	}
	data, _ = os.ReadFile(out)
	if !bytes.HasPrefix(data, []byte("# Fake <Paper> & Co\n")) {
		t.Errorf("file not replaced: %q", data[:min(len(data), 40)])
	}
	if fi, _ := os.Stat(out); fi.Mode().Perm() != 0o600 {
		t.Errorf("mode %v, want 0600", fi.Mode().Perm())
	}

	// No temporary files are left behind.
	entries, _ := os.ReadDir(dir)
	if len(entries) != 1 {
		var names []string
		for _, e := range entries {
			names = append(names, e.Name())
		}
		t.Errorf("folder holds %v, want only paper.json", names)
	}
}

func TestExtractFailureLeavesOutputAlone(t *testing.T) {
	src := paperDir(t)
	dir := t.TempDir()
	out := filepath.Join(dir, "paper.md")
	if err := os.WriteFile(out, []byte("old\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	r := runCLI(t, false, func(context.Context, string, repro.Options) (*doc.Document, error) {
		return nil, xerr.Input("main.tex", "no \\documentclass found", "pass the main file with --main")
	}, "extract", "-o", out, src)
	if r.code != ExitInput {
		t.Errorf("exit code %d, want %d", r.code, ExitInput)
	}
	want := "repro: error: main.tex: no \\documentclass found\nrepro: hint: pass the main file with --main\n"
	if r.stderr != want {
		t.Errorf("stderr:\n%s\nwant:\n%s", r.stderr, want)
	}
	if data, _ := os.ReadFile(out); string(data) != "old\n" {
		t.Errorf("output changed to %q", data)
	}
	if entries, _ := os.ReadDir(dir); len(entries) != 1 {
		t.Errorf("%d files in the output folder, want 1", len(entries))
	}
}

func TestExtractErrors(t *testing.T) {
	src := paperDir(t)
	notDir := filepath.Join(t.TempDir(), "file")
	if err := os.WriteFile(notDir, nil, 0o644); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name     string
		extract  func(context.Context, string, repro.Options) (*doc.Document, error)
		args     []string
		code     int
		stderr   string // prefix
		wantHint bool
	}{
		{
			name: "internal error without hint",
			extract: func(context.Context, string, repro.Options) (*doc.Document, error) {
				return nil, errors.New("walker lost its way")
			},
			args:   []string{"extract", src},
			code:   ExitInternal,
			stderr: "repro: error: walker lost its way\n",
		},
		{
			name: "internal xerr gets the report hint",
			extract: func(context.Context, string, repro.Options) (*doc.Document, error) {
				return nil, &xerr.Error{Kind: xerr.KindInternal, Msg: "counter underflow"}
			},
			args:     []string{"extract", src},
			code:     ExitInternal,
			stderr:   "repro: error: counter underflow\nrepro: hint: this is a bug in repro; please report it",
			wantHint: true,
		},
		{
			name: "nil document",
			extract: func(context.Context, string, repro.Options) (*doc.Document, error) {
				return nil, nil
			},
			args:   []string{"extract", src},
			code:   ExitInternal,
			stderr: "repro: error: extraction returned no document and no error\nrepro: hint: this is a bug",
		},
		{
			name: "interrupted",
			extract: func(context.Context, string, repro.Options) (*doc.Document, error) {
				return nil, fmt.Errorf("reading main.tex: %w", context.Canceled)
			},
			args:   []string{"extract", src},
			code:   ExitInterrupted,
			stderr: "repro: error: interrupted\n",
		},
		{
			name:     "missing source",
			args:     []string{"extract", filepath.Join(src, "nope")},
			code:     ExitInput,
			stderr:   "repro: error: " + filepath.Join(src, "nope") + ": no such file or directory\nrepro: hint: SOURCE is",
			wantHint: true,
		},
		{
			name:     "output is a folder",
			args:     []string{"extract", "-o", src, src},
			code:     ExitInput,
			stderr:   "repro: error: " + src + ": is a directory\nrepro: hint: -o takes a file path",
			wantHint: true,
		},
		{
			name:   "output folder is a file",
			args:   []string{"extract", "-o", filepath.Join(notDir, "x.md"), src},
			code:   ExitInput,
			stderr: "repro: error: " + notDir + ": is not a folder\n",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := runCLI(t, false, tt.extract, tt.args...)
			if r.code != tt.code {
				t.Errorf("exit code %d, want %d", r.code, tt.code)
			}
			if !strings.HasPrefix(r.stderr, tt.stderr) {
				t.Errorf("stderr:\n%s\nwant prefix:\n%s", r.stderr, tt.stderr)
			}
			if r.stdout != "" {
				t.Errorf("stdout not empty: %q", r.stdout)
			}
		})
	}
}

func TestInterruptedAfterExtraction(t *testing.T) {
	ctx, cancel := context.WithCancel(t.Context())
	ios, _, out, errOut := Test()
	f := &factory{IO: ios, Extract: func(context.Context, string, repro.Options) (*doc.Document, error) {
		cancel() // the signal arrives while extracting; the stage does not notice
		return fakeDoc("x"), nil
	}}
	code := run(ctx, []string{"extract", paperDir(t)}, f)
	if code != ExitInterrupted {
		t.Errorf("exit code %d, want %d", code, ExitInterrupted)
	}
	if out.Len() != 0 {
		t.Errorf("wrote a document after the interrupt: %q", out.String())
	}
	if errOut.String() != "repro: error: interrupted\n" {
		t.Errorf("stderr %q", errOut.String())
	}
}

func TestPanicIsReported(t *testing.T) {
	t.Setenv("REPRO_DEBUG", "")
	for _, args := range [][]string{
		{"boom"},
		{"extract", paperDir(t)},
	} {
		r := runCLI(t, false, func(context.Context, string, repro.Options) (*doc.Document, error) {
			panic("index out of range")
		}, args...)
		if r.code != ExitInternal {
			t.Errorf("%v: exit code %d, want %d", args, r.code, ExitInternal)
		}
		lines := strings.Split(strings.TrimSuffix(r.stderr, "\n"), "\n")
		if len(lines) != 2 ||
			!strings.HasPrefix(lines[0], "repro: error: internal error: ") ||
			!strings.HasPrefix(lines[1], "repro: hint: this is a bug in repro; please report it") {
			t.Errorf("%v: stderr:\n%s", args, r.stderr)
		}
	}
}

func TestVersion(t *testing.T) {
	want := "repro version " + repro.Version + "\n"
	for _, args := range [][]string{{"version"}, {"--version"}, {"-v"}} {
		r := runCLI(t, false, nil, args...)
		if r.code != ExitOK || r.stdout != want || r.stderr != "" {
			t.Errorf("%v: code %d, stdout %q, stderr %q; want stdout %q", args, r.code, r.stdout, r.stderr, want)
		}
	}
}

// TestEveryCommandHasExamples walks the whole tree, cobra's help and
// completion commands included.
func TestEveryCommandHasExamples(t *testing.T) {
	ios, _, _, _ := Test()
	var started bool
	root := newRootCmd(&factory{IO: ios}, &started)
	var walk func(c *cobra.Command)
	walk = func(c *cobra.Command) {
		if c.Hidden {
			return
		}
		if strings.TrimSpace(c.Example) == "" {
			t.Errorf("%q has no examples", c.CommandPath())
		}
		if c.Short == "" {
			t.Errorf("%q has no short help", c.CommandPath())
		}
		for _, sub := range c.Commands() {
			walk(sub)
		}
	}
	walk(root)
	for _, name := range []string{"extract", "version", "help", "completion"} {
		if c, _, err := root.Find([]string{name}); err != nil || c.Name() != name {
			t.Errorf("no %q command", name)
		}
	}
}

func TestRootHelpDocumentsExitCodes(t *testing.T) {
	r := runCLI(t, false, nil, "--help")
	if r.code != ExitOK {
		t.Fatalf("exit code %d", r.code)
	}
	for code := range map[int]bool{ExitOK: true, ExitInternal: true, ExitUsage: true, ExitInput: true, ExitInterrupted: true} {
		if !strings.Contains(r.stdout, fmt.Sprintf("\n  %-4d ", code)) {
			t.Errorf("root help does not document exit status %d", code)
		}
	}
}

func TestWriteFileAtomicError(t *testing.T) {
	err := writeFileAtomic(filepath.Join(t.TempDir(), "missing", "x.md"), []byte("x"))
	if ExitCode(err) != ExitInput || xerr.HintOf(err) == "" {
		t.Errorf("err = %v (exit %d, hint %q)", err, ExitCode(err), xerr.HintOf(err))
	}
}
