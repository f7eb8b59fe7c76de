// Package pipeline runs the extraction stages over a source bundle that is
// already in memory. It is shared by the library façade (package repro) and
// by the workspace, which extracts many papers.
package pipeline

import (
	"time"

	"github.com/reprohq/repro/doc"
	"github.com/reprohq/repro/internal/facts"
	"github.com/reprohq/repro/internal/latex/reader"
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
