package pdfdoc

import (
	"time"

	"github.com/reprohq/repro/doc"
	"github.com/reprohq/repro/internal/pdf"
	"github.com/reprohq/repro/internal/pdf/layout"
)

// Build reads a paper's structure from a PDF's text layer: it lays the
// pages out (layout.Analyze) and runs the finders in order: sections,
// front matter, references, floats, equations, body text; then it follows
// the links to equations to fill their ReferencedIn.
func Build(f *pdf.File) *doc.Document {
	return build(f).D
}

func build(f *pdf.File) *paper {
	t0 := time.Now()
	if f == nil {
		f = &pdf.File{}
	}
	d := doc.New()
	p := newPaper(layout.Analyze(f), d)
	p.sections()
	p.front()
	p.references()
	p.floats()
	p.equations()
	p.text()
	p.eqRefs()
	d.Source.Kind = "pdf"
	d.Source.Path = f.Path
	d.Stats.Files = 1
	d.Stats.Milliseconds = float64(time.Since(t0).Microseconds()) / 1000
	return p
}

// newPaper flattens the pages' lines into reading order and sizes the
// per-line state.
func newPaper(l *layout.Doc, d *doc.Document) *paper {
	p := &paper{L: l, D: d, RefStart: -1, RefEnd: -1}
	n := 0
	for _, pg := range l.Pages {
		n += len(pg.Lines)
	}
	p.Lines = make([]layout.Line, 0, n)
	for _, pg := range l.Pages {
		p.Lines = append(p.Lines, pg.Lines...)
	}
	p.Section = make([]string, n)
	p.Heading = make([]bool, n)
	p.Used = make([]bool, n)
	return p
}
