package bib

import (
	"regexp"
	"strings"

	"github.com/reprohq/repro/internal/arxiv"
)

// idRE matches an arXiv identifier at the start of a string: new style
// YYMM.NNNN or YYMM.NNNNN, or old style archive[.SC]/YYMMNNN, with an
// optional version suffix that is not part of the first group.
var idRE = regexp.MustCompile(`^(?:(\d{2}(?:0[1-9]|1[0-2])\.\d{4,5})|([A-Za-z]+(?:-[A-Za-z]+)?(?:\.[A-Za-z]+(?:-[A-Za-z]+)?)?/\d{7}))(?:v\d+)?`)

// maxIDLen bounds the text matchID looks at: the longest identifiers, such
// as cond-mat.stat-mech/0101001v12, are well under it, and one byte more is
// needed to see where an identifier ends.
const maxIDLen = 64

// matchID returns the arXiv identifier at the start of s, without version,
// or "".
func matchID(s string) string {
	if !maybeID(s) {
		return ""
	}
	if len(s) > maxIDLen {
		s = s[:maxIDLen] // keeps the regexp's work constant
	}
	m := idRE.FindStringSubmatchIndex(s)
	if m == nil {
		return ""
	}
	end := m[1]
	if end < len(s) && (isDigit(s[end]) || isLetter(s[end])) {
		return ""
	}
	if m[2] >= 0 {
		return s[m[2]:m[3]]
	}
	id := s[m[4]:m[5]]
	archive := strings.ToLower(id[:strings.IndexByte(id, '/')])
	if dot := strings.IndexByte(archive, '.'); dot >= 0 {
		archive = archive[:dot]
	}
	if !arxiv.IsOldArchive(archive) {
		return ""
	}
	return id
}

// maybeID is a cheap test that rules out most strings that do not start
// with an identifier: new style needs "dddd.", old style a slash followed
// by a digit soon after a letter.
func maybeID(s string) bool {
	if len(s) < 9 {
		return false
	}
	if isDigit(s[0]) {
		return isDigit(s[1]) && isDigit(s[2]) && isDigit(s[3]) && s[4] == '.'
	}
	if !isLetter(s[0]) {
		return false
	}
	i := strings.IndexByte(s[:min(len(s), 40)], '/')
	return i > 0 && i+1 < len(s) && isDigit(s[i+1])
}

// fillerWords may stand between the word "arXiv" (or "CoRR") and the
// identifier: "arXiv preprint arXiv:2501.00663", "arxiv.org/abs/2501.00663",
// "CoRR, abs/1806.05780".
var fillerWords = []string{
	"preprints", "preprint", "e-prints", "e-print", "eprints", "eprint",
	"arxiv", "format", "volume", "vol", "org", "abs", "pdf", "ps", "id", "no",
}

// ArxivID returns the first arXiv identifier in text, without its version
// suffix ("2501.00663", "hep-th/9901001", "cs.LG/0101001"), or "" when there
// is none. An identifier counts only in arXiv context: after the word arXiv
// (as in "arXiv:2501.00663v2" or "arXiv preprint arXiv:2501.00663"), in an
// arxiv.org URL, in a 10.48550/arXiv DOI, or after "CoRR abs/"; bare
// numbers such as page ranges are never taken for identifiers.
func ArxivID(text string) string {
	lower := asciiLower(text)
	ctx := contextFinder{lower: lower, nextA: -1, nextC: -1}
	for from := 0; from < len(lower); {
		i, n := ctx.next(from)
		if i < 0 {
			return ""
		}
		from = i + n
		if id := afterContext(text, lower, from); id != "" {
			return id
		}
	}
	return ""
}

// contextFinder finds the occurrences of "arxiv" and of the whole word
// "corr" in lower, remembering the next occurrence of each so that the
// whole search stays linear.
type contextFinder struct {
	lower        string
	nextA, nextC int // next known occurrence at or after the last from; -1 unknown, len(lower) none
}

// next returns the index and length of the first context word at or after
// from, or -1.
func (f *contextFinder) next(from int) (int, int) {
	for {
		if f.nextA < from {
			f.nextA = indexFrom(f.lower, "arxiv", from)
		}
		if f.nextC < from {
			f.nextC = indexFrom(f.lower, "corr", from)
		}
		a, c := f.nextA, f.nextC
		if a == len(f.lower) && c == len(f.lower) {
			return -1, 0
		}
		if a <= c {
			return a, 5
		}
		if (c == 0 || !isLetter(f.lower[c-1])) && (c+4 >= len(f.lower) || !isLetter(f.lower[c+4])) {
			return c, 4
		}
		from = c + 4
	}
}

// indexFrom returns the index of sub in s at or after from, or len(s).
func indexFrom(s, sub string, from int) int {
	if from > len(s) {
		return len(s)
	}
	if i := strings.Index(s[from:], sub); i >= 0 {
		return from + i
	}
	return len(s)
}

// afterContext skips filler after a context word ending at i and returns the
// identifier that follows, or "".
func afterContext(text, lower string, i int) string {
	limit := i + 48
	for i < len(text) && i < limit {
		if id := matchID(text[i:]); id != "" {
			return id
		}
		ch := lower[i]
		if strings.IndexByte(" \t\r\n:/.,;~{}()[]\\", ch) >= 0 {
			i++
			continue
		}
		if ch == 'v' && strings.HasPrefix(lower[i:], "verb") { // \verb in .bbl
			i += 4
			continue
		}
		found := false
		for _, w := range fillerWords {
			if strings.HasPrefix(lower[i:], w) {
				i += len(w)
				found = true
				break
			}
		}
		if !found {
			return ""
		}
	}
	return ""
}

// eprintID returns the arXiv identifier of an eprint-like field value, which
// needs no arXiv context: "2501.00663v1", "arXiv:2501.00663", "hep-th/9901001".
func eprintID(v string) string {
	v = strings.TrimSpace(Clean(v))
	if id := ArxivID(v); id != "" {
		return id
	}
	return matchID(v)
}

// doiRE matches a DOI: the 10. directory prefix, a registrant code and a
// suffix that runs to white space or a delimiter.
var doiRE = regexp.MustCompile(`10\.\d{4,9}/[^\s"<>{}\\]+`)

// DOI returns the first DOI in text ("10.1145/1008731.1008736"), taken from
// a bare DOI, a "doi:" prefix or a doi.org URL, with trailing punctuation and
// unbalanced closing brackets trimmed and LaTeX escapes such as \_ undone.
// It returns "" when text has no DOI.
func DOI(text string) string {
	if !strings.Contains(text, "10.") {
		return ""
	}
	text = unescapeDOI(text)
	for _, m := range doiRE.FindAllStringIndex(text, -1) {
		if m[0] > 0 && (isDigit(text[m[0]-1]) || text[m[0]-1] == '.') {
			continue
		}
		d := trimDOI(text[m[0]:m[1]])
		if i := strings.IndexByte(d, '/'); i >= 0 && i < len(d)-1 {
			return d
		}
	}
	return ""
}

func unescapeDOI(s string) string {
	if !strings.Contains(s, `\`) {
		return s
	}
	r := strings.NewReplacer(`\_`, "_", `\%`, "%", `\&`, "&", `\#`, "#", `\$`, "$", `{\_}`, "_")
	return r.Replace(s)
}

// trimDOI removes trailing punctuation and unbalanced closing brackets.
func trimDOI(d string) string {
	for d != "" {
		last := d[len(d)-1]
		switch last {
		case '.', ',', ';', ':', '\'', '`', '~':
			d = d[:len(d)-1]
			continue
		case ')', ']':
			open := byte('(')
			if last == ']' {
				open = '['
			}
			if strings.Count(d, string(open)) < strings.Count(d, string(last)) {
				d = d[:len(d)-1]
				continue
			}
		}
		return d
	}
	return d
}

// asciiLower lower-cases ASCII letters only, so that byte offsets are kept.
func asciiLower(s string) string {
	b := []byte(s)
	for i, c := range b {
		if c >= 'A' && c <= 'Z' {
			b[i] = c + 'a' - 'A'
		}
	}
	return string(b)
}

func isDigit(b byte) bool { return b >= '0' && b <= '9' }
