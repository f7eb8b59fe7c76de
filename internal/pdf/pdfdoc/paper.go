// Package pdfdoc reads a paper's structure from a PDF's laid-out lines
// (package layout) into the document model: title, authors and abstract,
// numbered sections, display equations with the numbers printed at the
// margin, algorithms, tables as cells, figures, references, and the arXiv
// ID. Everything it cannot read exactly is marked approximate.
package pdfdoc

import (
	"github.com/reprohq/repro/doc"
	"github.com/reprohq/repro/internal/pdf/layout"
)

// paper is the state the finders share while building one document.
// Finders run in this order: sections, front matter, references, floats
// (captions, table and algorithm regions), equations, body text. A finder
// marks the lines it takes in Used so that later finders, and the body
// text, skip them.
type paper struct {
	L *layout.Doc
	D *doc.Document
	// Lines are all pages' lines in reading order.
	Lines []layout.Line
	// Section is the number of the section each line is in ("" before the
	// first numbered section), filled by the section finder.
	Section []string
	// Heading is true for the lines that are section headings.
	Heading []bool
	// Used marks lines taken by a structure.
	Used []bool
	// RefStart is the index of the first line after the references
	// heading, or -1; RefEnd the index after the last reference line.
	RefStart, RefEnd int

	// eqG caches the column geometry the section, equation and text
	// finders share; bodyFontName the most common body font.
	eqG          *eqGeom
	bodyFontName string
	// display marks the lines of display equations (which end the part
	// of a paragraph before them).
	display map[int]bool
	// vocab caches txtVocab: the front matter and the body text both
	// use it.
	vocab map[string]int
}
