package layout

import (
	"strings"
	"sync"

	"github.com/reprohq/repro/internal/pdf"
)

// fontClass is what a font's name says about it.
type fontClass struct {
	math, bold, italic bool
	ext                bool // a TeX extension font (big operators, delimiters)
}

var fontClasses sync.Map // font name -> fontClass

func classOf(font string) fontClass {
	if v, ok := fontClasses.Load(font); ok {
		return v.(fontClass)
	}
	c := fontClass{math: isMathFontName(font), bold: isBoldName(font), italic: isItalicName(font)}
	f := strings.ToUpper(font)
	for _, p := range []string{"CMEX", "LMEX", "TXEX", "PXEX", "EUEX", "ESINT", "MNSYMBOLE"} {
		if strings.HasPrefix(f, p) {
			c.ext = true
		}
	}
	fontClasses.Store(font, c)
	return c
}

// MathWeight says how strongly a character marks mathematics: 1 for a
// character in a math font (CMMI, CMSY, CMEX, AMS symbol fonts, LM/STIX
// math) or a Unicode mathematical alphanumeric, 0.5 for a single letter in
// an italic text font (weak evidence), 0 otherwise.
func MathWeight(c *pdf.Char) float64 {
	if c.R >= 0x1D400 && c.R <= 0x1D7FF {
		return 1
	}
	if classOf(c.Font).math {
		return 1
	}
	if isMathSymbol(c.R) {
		return 1
	}
	return 0
}

// IsMathFont reports whether a font is one of TeX's (or OpenType's) math
// fonts.
func IsMathFont(font string) bool { return classOf(font).math }

func isMathFontName(font string) bool {
	f := strings.ToUpper(font)
	for _, p := range []string{"CMMI", "CMSY", "CMEX", "CMBSY", "MSAM", "MSBM", "EUFM", "EUSM", "RSFS", "LMMATH", "STIXMATH", "MTMI", "MTSY", "TXMI", "TXSY", "PXMI", "PXSY", "TXEX", "PXEX", "ESINT", "LMMI", "LMSY", "LMEX", "RMTMI", "NEWTXMI", "ZXLR"} {
		if strings.HasPrefix(f, p) {
			return true
		}
	}
	if strings.Contains(f, "MATH") {
		return true
	}
	if strings.HasPrefix(f, "STIXGENERAL-ITALIC") {
		return true
	}
	return false
}

// isMathSymbol reports runes that only appear in mathematics.
func isMathSymbol(r rune) bool {
	switch {
	case r >= 0x2200 && r <= 0x22FF: // mathematical operators
		return true
	case r >= 0x27C0 && r <= 0x27EF, r >= 0x2980 && r <= 0x2AFF:
		return true
	case r >= 0x2190 && r <= 0x21FF: // arrows
		return true
	case r >= 0x0391 && r <= 0x03F6 || r == 0x00B5: // Greek, micro sign
		return true
	}
	return false
}

// IsBoldFont reports whether a character is set bold.
func IsBoldFont(c *pdf.Char) bool {
	return c.Weight >= 600 || classOf(c.Font).bold
}

func isBoldName(font string) bool {
	f := strings.ToLower(font)
	if strings.HasPrefix(f, "cmbx") || strings.HasPrefix(f, "cmb10") || strings.HasPrefix(f, "cmbsy") || strings.HasPrefix(f, "lmroman10-bold") || strings.HasPrefix(f, "sfbx") || strings.HasPrefix(f, "cmssbx") {
		return true
	}
	for _, s := range []string{"bold", "-medi", "semibold", "demi", "black", "heavy", "-bd", ".b"} {
		if strings.Contains(f, s) {
			return true
		}
	}
	return false
}

// IsItalicFont reports whether a character is set italic.
func IsItalicFont(c *pdf.Char) bool {
	return c.Italic || classOf(c.Font).italic
}

func isItalicName(font string) bool {
	f := strings.ToLower(font)
	if strings.HasPrefix(f, "cmti") || strings.HasPrefix(f, "cmsl") || strings.HasPrefix(f, "cmbxti") {
		return true
	}
	return strings.Contains(f, "italic") || strings.Contains(f, "oblique") || strings.Contains(f, "-ital") || strings.HasSuffix(f, "-it")
}

// Ligature expands the ligature code points (ﬀ ﬁ ﬂ ﬃ ﬄ ﬅ ﬆ); it returns ""
// for any other rune.
func Ligature(r rune) string {
	switch r {
	case 0xFB00:
		return "ff"
	case 0xFB01:
		return "fi"
	case 0xFB02:
		return "fl"
	case 0xFB03:
		return "ffi"
	case 0xFB04:
		return "ffl"
	case 0xFB05, 0xFB06:
		return "st"
	}
	return ""
}

// extText maps the glyphs of TeX's extension font, which PDFium reads as
// their character codes, to the Unicode characters they draw.
var extText = map[rune]rune{
	'P': '∑', 'X': '∑', 'Q': '∏', 'Y': '∏', 'R': '∫', 'Z': '∫', 'H': '∮', 'I': '∮',
	'S': '⋃', '[': '⋃', 'T': '⋂', '\\': '⋂', 'V': '⋀', '^': '⋀', 'W': '⋁', '_': '⋁',
	'`': '∐', 'a': '∐', 'N': '⨂', 'O': '⨂', 'L': '⨁', 'M': '⨁', 'J': '⨀', 'K': '⨀',
	'p': '√', 'q': '√', 'r': '√', 's': '√', 't': '√',
	0x00: '(', 0x10: '(', 0x12: '(', 0x20: '(', '0': '(', '@': '(', 'B': '(',
	0x01: ')', 0x11: ')', 0x13: ')', 0x21: ')', '1': ')', 'A': ')', 'C': ')',
	0x02: '[', 0x14: '[', 0x22: '[', '2': '[', 0x03: ']', 0x15: ']', 0x23: ']', '3': ']',
	0x08: '{', 0x1A: '{', 0x28: '{', '8': '{', ':': '{', '<': '{',
	0x09: '}', 0x1B: '}', 0x29: '}', '9': '}', ';': '}', '=': '}',
	0x0A: '⟨', 0x1C: '⟨', 0x2A: '⟨', 'D': '⟨', 0x0B: '⟩', 0x1D: '⟩', 0x2B: '⟩', 'E': '⟩',
	0x0C: '|', 0x0D: '‖', 0x04: '⌊', 0x05: '⌋', 0x06: '⌈', 0x07: '⌉',
}

// mathabx's fonts (matha, mathb, mathx) have their own encodings, which
// PDFium reads as Latin-1 and Latin Extended-A characters; these are the
// glyphs papers use most.
var mathaText = map[rune]rune{
	'p': '(', 'q': ')', 'r': '[', 's': ']', 't': '{', 'u': '}', '`': '+', '´': '−', '“': '=',
	'„': '∼', 'ď': '≤', 'ě': '≥', 'ă': '<', 'ą': '>', '}': '‖', '{': '/', '¨': '·', 'P': '∈',
	'8': '∞', 'Ñ': '→', 'Ð': '←',
}

var mathxText = map[rune]rune{
	'ÿ': '∑', 'ř': '∑', 'p': '(', 'q': ')', 'r': '[', 's': ']', 't': '{', 'u': '}',
}

// remapGlyph maps the characters of fonts with private encodings.
func remapGlyph(font string, r rune) rune {
	if !strings.HasPrefix(font, "TeX-math") {
		return r
	}
	var m map[rune]rune
	switch {
	case strings.HasPrefix(font, "TeX-matha"), strings.HasPrefix(font, "TeX-mathb"):
		m = mathaText
	case strings.HasPrefix(font, "TeX-mathx"):
		m = mathxText
	}
	if x, ok := m[r]; ok {
		return x
	}
	return r
}
