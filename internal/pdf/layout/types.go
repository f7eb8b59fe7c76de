// Package layout turns a PDF's characters into lines in reading order:
// words from character gaps, lines from baselines, columns, running
// headers, footers, page numbers and review line numbers removed,
// hyphenation joined and ligatures expanded. It knows nothing about papers;
// package pdfdoc reads the structure of a paper from its lines.
package layout

import "github.com/reprohq/repro/internal/pdf"

// Doc is the laid-out text of a PDF.
type Doc struct {
	Pages []Page
	// Body is the most common font size of running text, in points.
	Body float64
	// Columns is 1 or 2: the layout of most text pages.
	Columns int
	Dests   []pdf.Dest
	Meta    pdf.Meta
}

// Page is one page's lines in reading order.
type Page struct {
	Number        int
	Width, Height float64
	Lines         []Line
	// Removed are the running headers, footers, page numbers and margin
	// line numbers taken out of Lines (kept for the arXiv stamp and for
	// debugging).
	Removed []Line
	Links   []pdf.Link
	// Columns is 1 or 2 for this page; Gutter is the x that separates the
	// columns of a two-column page.
	Columns int
	Gutter  float64
}

// Line is a run of characters on one baseline within one column.
type Line struct {
	Page   int
	Column int // 0 for the left (or only) column, 1 for the right; -1 for full width
	X0, Y0 float64
	X1, Y1 float64
	// Baseline is the y of the dominant characters' origins.
	Baseline float64
	// Text is the line's text: spaces where the gap between characters is
	// wider than a word space; ligatures expanded; PDFium's hyphen mark
	// (U+0002) and soft hyphens printed as '-' (JoinLines removes them
	// where a word was broken across lines).
	Text string
	// Spans are the parts of the line separated by gaps much wider than a
	// word space (table cells, an equation and its number at the margin).
	Spans []Span
	// Size is the dominant font size; Font the dominant font.
	Size   float64
	Font   string
	Bold   bool
	Italic bool
	// Math is the fraction of non-space characters in math fonts (CMMI,
	// CMSY, CMEX, MSAM/MSBM, LM math, STIX math, Unicode math alphanumerics).
	Math float64
	// Chars are the line's characters in visual order (left to right).
	Chars []pdf.Char
	// SpaceBefore[i] is true when a word space separates Chars[i] from the
	// character before it.
	SpaceBefore []bool
	// Hyphen is true when the line ends in a hyphen (or PDFium's mark of
	// one), so that a word may continue on the next line.
	Hyphen bool
}

// Span is a part of a line between wide gaps.
type Span struct {
	X0, X1 float64
	Text   string
	Size   float64
	Font   string
	Bold   bool
	Italic bool
	Math   float64
	// First and Last index the span's characters in Line.Chars.
	First, Last int
}
