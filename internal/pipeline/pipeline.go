// Package pipeline runs the extraction stages over a source bundle that is
// already in memory. It is shared by the library façade (package repro) and
// by the workspace, which extracts many papers.
package pipeline

import (
	"context"
	"time"

	"github.com/reprohq/repro/doc"
	"github.com/reprohq/repro/internal/facts"
	"github.com/reprohq/repro/internal/latex/reader"
	"github.com/reprohq/repro/internal/markdown"
	"github.com/reprohq/repro/internal/pdf"
	"github.com/reprohq/repro/internal/pdf/pdfdoc"
	"github.com/reprohq/repro/internal/results"
	"github.com/reprohq/repro/internal/source"
)

// Extract reads a LaTeX bundle into a document. generator names the tool
// and version that made it ("repro v0.1.0").
func Extract(b *source.Bundle, generator string) *doc.Document {
	start := time.Now()
	d := reader.Read(bundleFiles{b}, b.Main, reader.Options{})
	facts.Extract(d)
	results.Extract(d)
	d.Source = doc.Source{Kind: "latex", Path: b.Root, MainFile: b.Main, Files: d.Source.Files, Generator: generator}
	d.Warnings = append(append([]doc.Warning{}, b.Warnings...), d.Warnings...)
	d.Stats.Milliseconds = float64(time.Since(start).Microseconds()) / 1000
	return d
}

// bundleFiles adapts a source bundle to the reader.
type bundleFiles struct{ b *source.Bundle }

func (f bundleFiles) ReadFile(name string) ([]byte, bool) { return f.b.ReadFile(name) }
func (f bundleFiles) Resolve(from, name string, exts ...string) (string, bool) {
	return f.b.Resolve(from, name, exts...)
}
func (f bundleFiles) Names() []string { return f.b.Order }

// Document extracts any bundle: LaTeX with Extract, a PDF with the PDF
// reader (internal/pdf, internal/pdf/pdfdoc), Markdown and text with
// internal/markdown; the fact, result and hyperparameter stages run on all
// of them. The error is for a PDF that cannot be read (damaged, encrypted,
// scanned without text).
func Document(ctx context.Context, b *source.Bundle, generator string) (*doc.Document, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	start := time.Now()
	var d *doc.Document
	switch b.Kind {
	case source.KindPDF:
		f, err := pdf.Read(ctx, b.Root, b.Files[b.Main], pdf.Options{})
		if err != nil {
			return nil, err
		}
		d = pdfdoc.Build(f)
	case source.KindMarkdown, source.KindText:
		d = markdown.ParseKind(b.Main, b.Files[b.Main], b.Kind)
	default:
		return Extract(b, generator), nil
	}
	facts.Extract(d)
	results.Extract(d)
	d.Source.Kind = b.Kind
	d.Source.Path = b.Root
	d.Source.MainFile = b.Main
	d.Source.Generator = generator
	d.Warnings = append(append([]doc.Warning{}, b.Warnings...), d.Warnings...)
	d.Stats.Files = 1
	d.Stats.Bytes = len(b.Files[b.Main])
	d.Stats.Milliseconds = float64(time.Since(start).Microseconds()) / 1000
	return d, nil
}
