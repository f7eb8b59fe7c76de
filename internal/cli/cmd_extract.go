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
	"time"

	"github.com/spf13/cobra"

	"github.com/reprohq/repro"
	"github.com/reprohq/repro/doc"
	"github.com/reprohq/repro/internal/arxiv"
	"github.com/reprohq/repro/internal/atomicfile"
	"github.com/reprohq/repro/internal/enrich"
	"github.com/reprohq/repro/internal/llm"
	"github.com/reprohq/repro/internal/render"
	"github.com/reprohq/repro/internal/source"
	"github.com/reprohq/repro/internal/xerr"
)

const extractLong = `Extract reads a paper's LaTeX sources and writes its document model:
title, authors, abstract, the numbered section outline, every equation (the
LaTeX as written, with the paper's macros expanded, its number, labels,
section, surrounding sentences and where it is referenced), algorithms,
tables (cells and spans), figures, references (with how often and where each
is cited) and warnings about the source.

SOURCE is a paper's folder, its main .tex file, a .tar.gz, .tgz, .tar or
.zip archive, or a gzip-compressed .tex file (as arXiv serves them). The main
file is detected; --main names it when detection picks the wrong one.

Formats (--format):
  md    the context document, Markdown for people and LLMs (default)
  json  the document model as JSON; its field names are a contract
        (see schema_version)

Without -o the document goes to standard output. With -o it is written to a
temporary file next to PATH and renamed over it, so PATH never holds a
half-written document.

Warnings about the paper go to standard error as
"repro: warning: file:line: message" when standard error is a terminal or
with --verbose; standard output holds only the document.

Exit status is 3 if SOURCE is missing or cannot be read, 2 for a bad flag.`

const extractExample = `  # Context document of the example paper, on stdout
  repro extract examples/tinyformer

  # JSON document model, written atomically to a file
  repro extract --format json -o tinyformer.json examples/tinyformer

  # An arXiv source archive whose main file is not detected
  repro extract --main paper.tex 2401.01234.tar.gz

  # Show warnings about the source even when stderr is not a terminal
  repro extract --verbose paper/ > paper.md 2> warnings.txt`

// extractOptions are the inputs of "repro extract".
type extractOptions struct {
	IO      *IOStreams
	Extract func(ctx context.Context, path string, opts repro.Options) (*doc.Document, error)

	Source   string
	Format   string
	Output   string
	MainFile string
	Verbose  bool
	Remote   remoteFlags
	// UseLLM enriches the document with a language model (--llm).
	UseLLM bool
	LLM    llmFlags
}

// Output formats.
const (
	formatMarkdown = "md"
	formatJSON     = "json"
)

func newCmdExtract(f *factory, runF func(context.Context, *extractOptions) error) *cobra.Command {
	opts := &extractOptions{IO: f.IO, Extract: f.Extract}
	cmd := &cobra.Command{
		Use:     "extract [flags] SOURCE",
		Short:   "Extract a paper's document model as Markdown or JSON",
		Long:    extractLong,
		Example: extractExample,
		Args:    exactArgs(1, "SOURCE"),
		RunE: func(cmd *cobra.Command, args []string) error {
			opts.Source = args[0]
			if runF != nil {
				return runF(cmd.Context(), opts)
			}
			return runExtract(cmd.Context(), opts)
		},
	}
	fl := cmd.Flags()
	fl.StringVar(&opts.Format, "format", formatMarkdown, "output format: md or json")
	fl.StringVarP(&opts.Output, "output", "o", "", "write to `PATH` instead of stdout (atomically)")
	fl.StringVar(&opts.MainFile, "main", "", "main `FILE` inside SOURCE, overriding detection")
	fl.BoolVar(&opts.Verbose, "verbose", false, "print warnings about the paper even when stderr is not a terminal")
	opts.Remote.register(cmd)
	fl.BoolVar(&opts.UseLLM, "llm", false, "add notes from a language model, checked against the paper (see --model)")
	opts.LLM.register(cmd)
	_ = cmd.RegisterFlagCompletionFunc("format", cobra.FixedCompletions(
		[]string{formatMarkdown + "\tMarkdown context document", formatJSON + "\tJSON document model"},
		cobra.ShellCompDirectiveNoFileComp))
	return cmd
}

func runExtract(ctx context.Context, opts *extractOptions) error {
	format, err := parseFormat(opts.Format)
	if err != nil {
		return err
	}
	if err := checkSource(opts.Source); err != nil {
		if _, ok := arxiv.ParseRef(opts.Source); !ok {
			return err
		}
	}
	toFile := opts.Output != "" && opts.Output != "-"
	if toFile {
		// Fail before a long extraction, not after it.
		if err := checkOutput(opts.Output); err != nil {
			return err
		}
	}

	ios := opts.IO
	start := time.Now()
	ios.progressf("extracting %s", opts.Source)
	d, err := loadDocument(ctx, opts)
	if err != nil {
		return err
	}
	var notes *enrich.Enrichment
	if opts.UseLLM {
		if notes, err = enrichDocument(ctx, opts, d); err != nil {
			return err
		}
	}

	var buf bytes.Buffer
	switch format {
	case formatJSON:
		err = render.JSON(&buf, d)
		if err == nil && notes != nil {
			err = appendJSONField(&buf, "llm", notes)
		}
	default:
		err = render.Markdown(&buf, d, render.Options{Version: repro.Version})
		if notes != nil {
			buf.WriteString("\n")
			buf.Write(notes.Markdown())
		}
	}
	if err != nil {
		return fmt.Errorf("rendering %s: %w", format, err)
	}

	dest := "stdout"
	if toFile {
		if err := writeFileAtomic(opts.Output, buf.Bytes()); err != nil {
			return err
		}
		dest = opts.Output
	} else if _, err := ios.Out.Write(buf.Bytes()); err != nil {
		return fmt.Errorf("writing to stdout: %w", err)
	}

	if ios.StderrTTY || opts.Verbose {
		for _, w := range d.Warnings {
			ios.warnf("%s", warningText(w))
		}
	}
	ios.progressf("wrote %s to %s in %s: %s", format, dest,
		time.Since(start).Round(time.Millisecond), summary(d))
	return nil
}

// enrichDocument asks the language model for notes on d (package enrich):
// what it says that the paper does not support is dropped, each with a
// warning; the cost goes to stderr.
func enrichDocument(ctx context.Context, opts *extractOptions, d *doc.Document) (*enrich.Enrichment, error) {
	meter, err := opts.LLM.meter(".")
	if err != nil {
		return nil, err
	}
	opts.IO.progressf("asking %s for notes on the paper", meter.Name())
	notes, err := enrich.Enrich(ctx, meter, d, enrich.Options{})
	if err != nil {
		if errors.Is(err, llm.ErrBudget) {
			return nil, failed("%v", err)
		}
		return nil, err
	}
	for _, w := range notes.Warnings {
		opts.IO.warnf("llm: %s", w)
	}
	t := meter.Total()
	fmt.Fprintf(opts.IO.ErrOut, "repro: llm: %d calls, %d input and %d output tokens, $%.4f\n", t.Calls, t.InputTokens, t.OutputTokens, t.Cost)
	return notes, nil
}

// appendJSONField adds "name": v as the last field of the JSON object in
// buf (indented like render.JSON, HTML escaping off).
func appendJSONField(buf *bytes.Buffer, name string, v any) error {
	var field bytes.Buffer
	enc := json.NewEncoder(&field)
	enc.SetEscapeHTML(false)
	enc.SetIndent("  ", "  ")
	if err := enc.Encode(v); err != nil {
		return err
	}
	b := bytes.TrimRight(buf.Bytes(), "\n")
	if len(b) == 0 || b[len(b)-1] != '}' {
		return fmt.Errorf("not a JSON object")
	}
	out := append(bytes.Clone(b[:len(b)-1]), []byte(",\n  \""+name+"\": ")...)
	out = append(out, bytes.TrimRight(field.Bytes(), "\n")...)
	out = append(out, "\n}\n"...)
	buf.Reset()
	buf.Write(out)
	return nil
}

// loadDocument extracts opts.Source: a local source, or an arXiv
// reference fetched (or taken from the cache) with opts.Remote.
func loadDocument(ctx context.Context, opts *extractOptions) (*doc.Document, error) {
	var d *doc.Document
	err := checkSource(opts.Source)
	switch {
	case err == nil:
		d, err = opts.Extract(ctx, opts.Source, repro.Options{MainFile: opts.MainFile})
	default:
		if _, ok := arxiv.ParseRef(opts.Source); !ok {
			return nil, err
		}
		d, err = extractRemote(ctx, opts)
	}
	if err != nil {
		return nil, err
	}
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	if d == nil {
		return nil, &xerr.Error{Kind: xerr.KindInternal, Msg: "extraction returned no document and no error"}
	}
	return d, nil
}

// parseFormat validates --format.
func parseFormat(s string) (string, error) {
	switch strings.ToLower(strings.TrimSpace(s)) {
	case formatMarkdown, "markdown":
		return formatMarkdown, nil
	case formatJSON:
		return formatJSON, nil
	}
	return "", usageErrorf("use --format md (the default) or --format json",
		"unknown format %q", s)
}

// extractRemote fetches an arXiv paper (or takes it from the cache) and
// extracts it.
func extractRemote(ctx context.Context, opts *extractOptions) (*doc.Document, error) {
	ref, _ := arxiv.ParseRef(opts.Source)
	f, err := opts.Remote.fetcher()
	if err != nil {
		return nil, err
	}
	b, paper, err := f.Bundle(ctx, ref)
	if err != nil {
		return nil, err
	}
	if opts.MainFile != "" {
		// Detection picked a main file; read the archive again with the
		// one the user named.
		if b, err = source.FromBytes(b.Root, paper.Data, source.Options{MainFile: opts.MainFile}); err != nil {
			return nil, err
		}
	}
	d, err := repro.ExtractBundleContext(ctx, b)
	if err != nil {
		return nil, err
	}
	d.ArxivID = paper.Ref.String()
	if paper.Meta != nil {
		if d.Title == "" {
			d.Title = paper.Meta.Title
		}
		if len(d.Authors) == 0 {
			d.Authors = paper.Meta.Authors
		}
		if d.Abstract == "" {
			d.Abstract = paper.Meta.Abstract
		}
	}
	return d, nil
}

// checkSource reports a missing or unreadable SOURCE as bad input.
func checkSource(path string) error {
	_, err := os.Stat(path)
	switch {
	case err == nil:
		return nil
	case errors.Is(err, fs.ErrNotExist):
		return &xerr.Error{
			Kind: xerr.KindInput, File: path, Msg: "no such file or directory",
			Hint: "SOURCE is a paper's folder, its main .tex file, or a .tar.gz, .tgz, .tar, .zip or .gz archive; check the path",
		}
	default:
		return &xerr.Error{
			Kind: xerr.KindInput, File: path, Msg: "cannot read the source", Err: unwrapPath(err),
			Hint: "check the permissions of SOURCE",
		}
	}
}

// checkOutput reports an -o path that cannot be written.
func checkOutput(path string) error {
	if fi, err := os.Stat(path); err == nil && fi.IsDir() {
		return &xerr.Error{
			Kind: xerr.KindInput, File: path, Msg: "is a directory",
			Hint: "-o takes a file path, such as -o " + filepath.Join(path, "paper.md"),
		}
	}
	dir := filepath.Dir(path)
	fi, err := os.Stat(dir)
	switch {
	case errors.Is(err, fs.ErrNotExist):
		return &xerr.Error{
			Kind: xerr.KindInput, File: dir, Msg: "output folder does not exist",
			Hint: "create it first (mkdir -p " + dir + ") or choose another -o path",
		}
	case err != nil:
		return &xerr.Error{Kind: xerr.KindInput, File: dir, Msg: "cannot use the output folder", Err: unwrapPath(err)}
	case !fi.IsDir():
		return &xerr.Error{Kind: xerr.KindInput, File: dir, Msg: "is not a folder", Hint: "choose another -o path"}
	}
	return nil
}

// writeFileAtomic writes data to a temporary file in path's folder and
// renames it over path, so that path holds either its old content or all of
// data, never part of it. An existing file keeps its permissions.
func writeFileAtomic(path string, data []byte) error {
	if err := atomicfile.WriteFile(path, data); err != nil {
		return &xerr.Error{
			Kind: xerr.KindInput, File: path, Msg: "cannot write the output", Err: unwrapPath(err),
			Hint: "check that the folder of -o is writable and the disk is not full",
		}
	}
	return nil
}

// unwrapPath drops the *fs.PathError wrapper, whose path the xerr.Error
// already names.
func unwrapPath(err error) error {
	var pe *fs.PathError
	if errors.As(err, &pe) {
		return pe.Err
	}
	return err
}

// warningText is "file:line: message", leaving out what is unknown.
func warningText(w doc.Warning) string {
	switch {
	case w.File != "" && w.Line > 0:
		return fmt.Sprintf("%s:%d: %s", w.File, w.Line, w.Message)
	case w.File != "":
		return w.File + ": " + w.Message
	}
	return w.Message
}

// summary counts what was extracted, for the progress line.
func summary(d *doc.Document) string {
	numbered := 0
	for i := range d.Equations {
		if d.Equations[i].NumberString() != "" {
			numbered++
		}
	}
	return fmt.Sprintf("%s (%d numbered), %s, %s, %s, %s, %s",
		plural(len(d.Equations), "equation"), numbered,
		plural(len(d.Algorithms), "algorithm"),
		plural(len(d.Tables), "table"),
		plural(len(d.Figures), "figure"),
		plural(len(d.References), "reference"),
		plural(len(d.Warnings), "warning"))
}

func plural(n int, noun string) string {
	if n == 1 {
		return "1 " + noun
	}
	return fmt.Sprintf("%d %ss", n, noun)
}
