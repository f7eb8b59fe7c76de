// Package pdf reads the text layer of a PDF file with PDFium compiled to
// WebAssembly (go-pdfium's webassembly mode on wazero, no cgo): every
// character with its box, baseline origin, font name, size and weight, the
// named destinations hyperref writes, and the link annotations that point
// at them. Layout analysis is in package layout; the document model is
// built by package pdfdoc.
//
// Coordinates are PDF points with the origin at the top-left corner of the
// page and y growing downwards (PDFium's bottom-left origin is flipped on
// reading), so that sorting by Y is reading order within a column.
package pdf

// File is the text layer of one PDF file.
type File struct {
	Path  string `json:"path,omitempty"`
	Pages []Page `json:"pages"`
	// Dests are the document's named destinations (hyperref's
	// "equation.3", "table.2", "cite.smith20", "section.4.1", ...).
	Dests []Dest `json:"dests,omitempty"`
	Meta  Meta   `json:"meta"`
	// Warnings are problems that did not stop the reading: a page skipped
	// after a timeout, a page PDFium cannot load.
	Warnings []string `json:"warnings,omitempty"`
}

// Meta is the document information dictionary.
type Meta struct {
	Title    string `json:"title,omitempty"`
	Author   string `json:"author,omitempty"`
	Subject  string `json:"subject,omitempty"`
	Keywords string `json:"keywords,omitempty"`
	Creator  string `json:"creator,omitempty"`
	Producer string `json:"producer,omitempty"`
}

// Page is one page's characters in content-stream order.
type Page struct {
	Number int     `json:"number"` // 1-based
	Width  float64 `json:"width"`
	Height float64 `json:"height"`
	// Rotation is the page's /Rotate in degrees clockwise (0, 90, 180,
	// 270). Coordinates are in the unrotated page space.
	Rotation int    `json:"rotation,omitempty"`
	Chars    []Char `json:"chars"`
	Links    []Link `json:"links,omitempty"`
}

// Char is one character of the text layer, as PDFium reports it; nothing
// is dropped or rewritten:
//
//   - R is PDFium's Unicode value. A glyph with no Unicode mapping (some
//     CMEX10 delimiters) is U+0000; math extension pieces of Latin Modern
//     fonts are in the private use area (U+F8xx). A hyphen that PDFium
//     judges to break a word at a line end is U+0002, and no generated line
//     break follows it. Ligatures are split into their letters, which share
//     the ligature's box ("fi" is 'f' and 'i' with one box).
//   - Generated characters are spaces PDFium infers from gaps and "\r",
//     "\n" pairs at line ends. They have empty boxes at the origin;
//     spaces carry the neighbour's font, line breaks have no font (Font "",
//     Weight 0, Size 1).
type Char struct {
	R rune `json:"r"`
	// Box is the glyph's bounding box (loose box where PDFium gives one).
	X0 float64 `json:"x0"`
	Y0 float64 `json:"y0"`
	X1 float64 `json:"x1"`
	Y1 float64 `json:"y1"`
	// OX, OY is the glyph origin: OY is the baseline.
	OX   float64 `json:"ox"`
	OY   float64 `json:"oy"`
	Font string  `json:"font"` // base font name without the subset prefix ("CMMI10", "NimbusRomNo9L-Medi")
	// Size is the font size in points, scaled by the text matrix.
	Size float64 `json:"size"`
	// Weight is PDFium's weight: the font descriptor's /FontWeight, else
	// derived from /StemV, so not only 400 and 700 (CMR10 is 345, CMBX10
	// 570, NimbusRomNo9L-Medi 700); 0 when unknown.
	Weight int `json:"weight"`
	// Italic is set from the font descriptor's italic flag or the font
	// name ("Italic", "Ital", "Oblique", "-It", CMMI, CMTI, ...). PDFium
	// flags some symbol fonts (CMSY) italic too.
	Italic bool `json:"italic,omitempty"`
	// Angle is the rotation in radians in [0, 2π), as FPDFText_GetCharAngle
	// reports it: 0 for upright text; the corpus has 4.712 (3π/2) for
	// rotated axis labels and for the text of /Rotate 90 pages, whose
	// coordinates stay in the unrotated page space.
	Angle float64 `json:"angle,omitempty"`
	// Generated is true for characters PDFium synthesises (spaces it infers
	// from gaps, line breaks); they have no glyph.
	Generated bool `json:"generated,omitempty"`
}

// Dest is a named destination.
type Dest struct {
	Name string  `json:"name"`
	Page int     `json:"page"` // 1-based; 0 when unresolved
	X    float64 `json:"x"`
	Y    float64 `json:"y"` // top-left origin, like characters
	// HasXY is false when the destination names only a page (a /Fit view).
	// A /FitH view (used by some styles) gives only Y, and X is 0; a /FitV
	// view only X, and Y is 0.
	HasXY bool `json:"has_xy,omitempty"`
}

// Link is a link annotation on a page.
type Link struct {
	X0   float64 `json:"x0"`
	Y0   float64 `json:"y0"`
	X1   float64 `json:"x1"`
	Y1   float64 `json:"y1"`
	Dest string  `json:"dest,omitempty"` // a named destination
	URI  string  `json:"uri,omitempty"`
	// Page is the target page when the link has an explicit destination.
	Page int `json:"page,omitempty"`
}
