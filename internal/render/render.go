// Package render turns a doc.Document into the files people and programs
// read: the JSON contract (JSON) and the Markdown context document
// (Markdown). Renderers see only the document model: they never import the
// LaTeX engine, never touch the file system and never mutate the document.
// Their output is a pure function of the document and the options, so it can
// be compared byte for byte in golden tests.
package render

import (
	"bytes"
	"encoding/json"
	"errors"
	"io"
	"math"

	"github.com/reprohq/repro/doc"
)

// Options configures the Markdown renderer.
type Options struct {
	// Version is the repro version printed in the header ("v0.1.0");
	// empty leaves it out. The caller passes repro.Version: this package
	// cannot import the root package without an import cycle.
	Version string
}

// errNilDocument is returned when a renderer is given no document.
var errNilDocument = errors.New("render: nil document")

// FileJSON writes d as JSON for a file that is kept and regenerated (the
// context documents of a workspace or project): JSON without the
// extraction time, so that an unchanged paper gives the same bytes and a
// regeneration sees no change.
func FileJSON(w io.Writer, d *doc.Document) error {
	if d == nil {
		return errNilDocument
	}
	dc := *d
	dc.Stats.Milliseconds = 0
	return JSON(w, &dc)
}

// JSON writes d as the JSON contract: 2-space indentation, a trailing
// newline, fields in the order of doc's struct tags, and no HTML escaping,
// so that LaTeX's <, > and & stay readable. Nil slices are written as []
// rather than null, and non-finite cell values (which JSON cannot hold) are
// left out; d itself is not modified.
func JSON(w io.Writer, d *doc.Document) error {
	if d == nil {
		return errNilDocument
	}
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	if err := enc.Encode(normalize(d)); err != nil {
		return err
	}
	_, err := w.Write(buf.Bytes())
	return err
}

// normalize returns a copy of d in which every slice the JSON contract lists
// as an array is non-nil and every number is finite. Slices it must change
// are copied; d is never written to.
func normalize(d *doc.Document) *doc.Document {
	n := *d
	n.Authors = nonNil(n.Authors)
	n.Sections = nonNil(n.Sections)
	n.Warnings = nonNil(n.Warnings)

	n.Equations = make([]doc.Equation, len(d.Equations))
	for i, e := range d.Equations {
		e.Labels = nonNil(e.Labels)
		e.ReferencedIn = nonNil(e.ReferencedIn)
		n.Equations[i] = e
	}
	n.Algorithms = make([]doc.Algorithm, len(d.Algorithms))
	for i, a := range d.Algorithms {
		a.Inputs = nonNil(a.Inputs)
		a.Outputs = nonNil(a.Outputs)
		a.Steps = nonNil(a.Steps)
		n.Algorithms[i] = a
	}
	n.Tables = make([]doc.Table, len(d.Tables))
	for i, t := range d.Tables {
		rows := make([][]doc.Cell, len(t.Rows))
		for r, row := range t.Rows {
			cells := make([]doc.Cell, len(row))
			for c, cell := range row {
				cell.Value = finite(cell.Value)
				cell.PlusMinus = finite(cell.PlusMinus)
				cells[c] = cell
			}
			rows[r] = cells
		}
		t.Rows = rows
		n.Tables[i] = t
	}
	n.Figures = nonNil(n.Figures)
	n.Hyperparameters = nonNil(n.Hyperparameters)
	n.Datasets = nonNil(n.Datasets)
	n.Metrics = nonNil(n.Metrics)
	n.Results = make([]doc.Result, len(d.Results))
	for i, r := range d.Results {
		if math.IsNaN(r.Value) || math.IsInf(r.Value, 0) {
			r.Value = 0
		}
		r.PlusMinus = finite(r.PlusMinus)
		n.Results[i] = r
	}
	n.References = make([]doc.Reference, len(d.References))
	for i, r := range d.References {
		r.Authors = nonNil(r.Authors)
		r.CitedIn = nonNil(r.CitedIn)
		n.References[i] = r
	}
	if math.IsNaN(n.Stats.Milliseconds) || math.IsInf(n.Stats.Milliseconds, 0) {
		n.Stats.Milliseconds = 0
	}
	return &n
}

func nonNil[T any](s []T) []T {
	if s == nil {
		return []T{}
	}
	return s
}

func finite(f *float64) *float64 {
	if f == nil || math.IsNaN(*f) || math.IsInf(*f, 0) {
		return nil
	}
	return f
}
