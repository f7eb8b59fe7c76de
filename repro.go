// Package repro turns research papers into verified, runnable reproduction
// projects. This package is the library façade over the pipeline stages in
// internal/: intake (internal/source), LaTeX extraction (internal/latex and
// internal/latex/reader), bibliographies (internal/bib) and rendering
// (internal/render). Each stage is usable on its own; this package wires
// them together.
package repro

import (
	"context"
	"time"

	"github.com/reprohq/repro/doc"
	"github.com/reprohq/repro/internal/pipeline"
	"github.com/reprohq/repro/internal/source"
)

// Version is the version of repro; set at build time with
// -ldflags "-X github.com/reprohq/repro.Version=v1.2.3".
var Version = "v0.1.0-dev"

// Options configures an extraction.
type Options struct {
	// MainFile overrides main-file detection (a path inside the source).
	MainFile string
}

// Extract reads the paper at path (a folder, a .tex file, a .tar.gz/.tgz/.tar
// archive or a gzip-compressed single .tex; a PDF; a Markdown or text file)
// and returns its document model.
// A paper that does not parse fully still yields all that did, with
// warnings; an error means the source could not be read at all.
func Extract(ctx context.Context, path string, opts Options) (*doc.Document, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	start := time.Now()
	b, err := source.Open(path, source.Options{MainFile: opts.MainFile})
	if err != nil {
		return nil, err
	}
	d, err := ExtractBundleContext(ctx, b)
	if err != nil {
		return nil, err
	}
	d.Stats.Milliseconds = float64(time.Since(start).Microseconds()) / 1000
	return d, nil
}

// ExtractBundleContext extracts a bundle of any kind (LaTeX, PDF,
// Markdown, text); the error is for a PDF that cannot be read.
func ExtractBundleContext(ctx context.Context, b *source.Bundle) (*doc.Document, error) {
	return pipeline.Document(ctx, b, "repro "+Version)
}

// ExtractBundle extracts a LaTeX source bundle that is already in memory
// (see ExtractBundleContext for the other kinds).
func ExtractBundle(b *source.Bundle) *doc.Document {
	return pipeline.Extract(b, "repro "+Version)
}
