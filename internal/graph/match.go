package graph

import (
	"strconv"
	"strings"
	"unicode"

	"github.com/reprohq/repro/doc"
)

// index finds the workspace paper a reference names.
type index struct {
	papers  []Paper
	byDOI   map[string]int
	byArxiv map[string]int
	byTitle map[string][]int
	years   []int // the paper's year, 0 when unknown
	fromID  []bool
}

func newIndex(ps []Paper) *index {
	ix := &index{
		papers:  ps,
		byDOI:   map[string]int{},
		byArxiv: map[string]int{},
		byTitle: map[string][]int{},
		years:   make([]int, len(ps)),
		fromID:  make([]bool, len(ps)),
	}
	put := func(m map[string]int, k string, i int) {
		if _, ok := m[k]; !ok && k != "" {
			m[k] = i
		}
	}
	for i, p := range ps {
		a := paperArxiv(p)
		put(ix.byArxiv, a, i)
		put(ix.byDOI, NormalizeDOI(p.DOI), i)
		if a != "" {
			put(ix.byDOI, "10.48550/arxiv."+a, i)
		}
		if p.Doc != nil {
			if t := NormalizeTitle(p.Doc.Title); titleUsable(t) {
				ix.byTitle[t] = append(ix.byTitle[t], i)
			}
			ix.years[i] = year(p.Doc.Date)
		}
		if ix.years[i] == 0 {
			ix.years[i] = arxivYear(a)
			ix.fromID[i] = ix.years[i] != 0
		}
	}
	return ix
}

// match returns the index of the paper r names and how it was matched, or
// -1. The DOI is tried first (it is the identifier the author wrote in
// full; an arXiv DOI also carries the arXiv identifier, so either names the
// same paper), then the arXiv identifier, then the title with the year.
func (ix *index) match(r doc.Reference) (int, string) {
	if d := NormalizeDOI(r.DOI); d != "" {
		if i, ok := ix.byDOI[d]; ok {
			return i, MatchDOI
		}
	}
	if a := NormalizeArxiv(r.ArxivID); a != "" {
		if i, ok := ix.byArxiv[a]; ok {
			return i, MatchArxiv
		}
	}
	t := NormalizeTitle(r.Title)
	if !titleUsable(t) {
		return -1, ""
	}
	ry := year(r.Year)
	for _, i := range ix.byTitle[t] {
		py := ix.years[i]
		// A paper whose year comes only from its arXiv identifier is
		// often cited by the year of the venue that published it later.
		if ry == 0 || py == 0 || ry == py || (ix.fromID[i] && ry == py+1) {
			return i, MatchTitle
		}
	}
	return -1, ""
}

// paperArxiv is the normalised arXiv identifier of p.
func paperArxiv(p Paper) string {
	if a := NormalizeArxiv(p.ArxivID); a != "" {
		return a
	}
	if p.Doc != nil {
		return NormalizeArxiv(p.Doc.ArxivID)
	}
	return ""
}

// NormalizeArxiv returns an arXiv identifier in a canonical form: lower
// case, without an "arXiv:" prefix, an arxiv.org URL around it or a version
// suffix ("arXiv:2401.00001v2" → "2401.00001"). It returns "" for "".
func NormalizeArxiv(id string) string {
	s := strings.ToLower(strings.TrimSpace(id))
	for _, p := range []string{"https://", "http://", "www.", "export.", "arxiv.org/", "abs/", "pdf/", "arxiv:"} {
		s = strings.TrimPrefix(s, p)
	}
	s = strings.TrimSuffix(s, ".pdf")
	if i := strings.LastIndexByte(s, 'v'); i > 0 && i < len(s)-1 && isDigits(s[i+1:]) && isDigit(s[i-1]) {
		s = s[:i]
	}
	return s
}

// NormalizeDOI returns a DOI in lower case without a doi.org URL or "doi:"
// prefix.
func NormalizeDOI(d string) string {
	s := strings.ToLower(strings.TrimSpace(d))
	for _, p := range []string{"https://", "http://", "dx.", "doi.org/", "doi:"} {
		s = strings.TrimPrefix(s, p)
	}
	return strings.TrimSpace(s)
}

// NormalizeTitle returns a title for comparison: lower case, LaTeX
// commands, braces, math shifts and punctuation removed, whitespace
// collapsed ("{GateNorm}: Normalised  Gating" → "gatenorm normalised
// gating").
func NormalizeTitle(t string) string {
	var b strings.Builder
	space := false
	rs := []rune(t)
	for i := 0; i < len(rs); i++ {
		r := rs[i]
		if r == '\\' {
			j := i + 1
			for j < len(rs) && isASCIILetter(rs[j]) {
				j++
			}
			if j == i+1 && j < len(rs) {
				j++ // a control symbol such as \& or \'
			}
			i = j - 1
			space = true
			continue
		}
		if unicode.IsLetter(r) || unicode.IsDigit(r) {
			if space && b.Len() > 0 {
				b.WriteByte(' ')
			}
			space = false
			b.WriteRune(unicode.ToLower(r))
			continue
		}
		if r == '{' || r == '}' || r == '$' || r == '\'' || r == '’' {
			continue // "{GateNorm}", "Adam's"
		}
		space = true
	}
	return b.String()
}

// titleUsable says whether a normalised title is long enough to identify a
// paper.
func titleUsable(t string) bool { return len(t) >= 8 }

// year returns the first 19xx or 20xx year in s, or 0.
func year(s string) int {
	for i := 0; i+4 <= len(s); i++ {
		if (i == 0 || !isDigit(s[i-1])) && isDigits(s[i:i+4]) && (i+4 == len(s) || !isDigit(s[i+4])) {
			if y, _ := strconv.Atoi(s[i : i+4]); y >= 1900 && y < 2100 {
				return y
			}
		}
	}
	return 0
}

// arxivYear returns the year of an arXiv identifier ("2401.00001" → 2024,
// "hep-th/9901001" → 1999), or 0.
func arxivYear(a string) int {
	s := a
	if i := strings.LastIndexByte(s, '/'); i >= 0 {
		s = s[i+1:]
	}
	if len(s) < 4 || !isDigits(s[:2]) {
		return 0
	}
	yy, _ := strconv.Atoi(s[:2])
	if yy >= 91 {
		return 1900 + yy
	}
	return 2000 + yy
}

func isDigit(c byte) bool { return '0' <= c && c <= '9' }

func isDigits(s string) bool {
	for i := 0; i < len(s); i++ {
		if !isDigit(s[i]) {
			return false
		}
	}
	return s != ""
}

func isASCIILetter(r rune) bool { return 'a' <= r && r <= 'z' || 'A' <= r && r <= 'Z' }
