package bib

import (
	"fmt"
	"regexp"
	"strings"

	"github.com/reprohq/repro/doc"
)

// ParseBbl parses a .bbl file, read from file (used only in positions), and
// returns one reference per \bibitem (thebibliography, as natbib and the
// standard BibTeX styles write it) or per \entry (biblatex/biber), in order,
// with Source "bbl". Commands inside % comments are ignored. No item is
// dropped or merged: an item whose key cannot be read is returned with an
// empty key and a warning. The slices returned are never nil.
//
// For thebibliography items the fields are recovered heuristically: authors
// from the text before the first \newblock, the title from the second block,
// the venue from the third (its \emph part when there is one), the year from
// the natbib label or the last 19xx/20xx number, and arXiv identifiers,
// DOIs and URLs from \url, \doi, \href and "arXiv:" text anywhere in the item.
// revtex's \bibinfo{field}{value} markup is used when present.
func ParseBbl(file string, src []byte) ([]doc.Reference, []doc.Warning) {
	p := &bblParser{file: file, raw: string(src)}
	p.text = blankComments(p.raw)
	p.br = newBraces(p.text)
	p.parse()
	if p.refs == nil {
		p.refs = []doc.Reference{}
	}
	if p.warns == nil {
		p.warns = []doc.Warning{}
	}
	return p.refs, p.warns
}

type bblParser struct {
	file  string
	raw   string  // the source
	text  string  // the source with comments blanked, same offsets
	br    *braces // groups of text
	lines []int
	refs  []doc.Reference
	warns []doc.Warning
}

func (p *bblParser) warnf(off int, format string, args ...any) {
	if p.lines == nil {
		p.lines = lineStarts(p.raw)
	}
	line := 0
	for lo, hi := 0, len(p.lines); lo < hi; {
		mid := (lo + hi) / 2
		if p.lines[mid] <= off {
			line = mid + 1
			lo = mid + 1
		} else {
			hi = mid
		}
	}
	p.warns = append(p.warns, doc.Warning{File: p.file, Line: line, Message: fmt.Sprintf(format, args...)})
}

// blankComments replaces every % comment (from an unescaped % to the end of
// its line) with spaces, keeping byte offsets and newlines.
func blankComments(s string) string {
	if !strings.Contains(s, "%") {
		return s
	}
	b := []byte(s)
	for i := 0; i < len(b); i++ {
		switch b[i] {
		case '\\':
			i++ // an escaped character, \% included
		case '%':
			for i < len(b) && b[i] != '\n' {
				b[i] = ' '
				i++
			}
		}
	}
	return string(b)
}

// itemStart is one \bibitem or \entry found in the text.
type itemStart struct {
	off      int // offset of the backslash
	biblatex bool
}

// findCommand returns the offsets of \name not followed by a letter.
func findCommand(s, name string) []int {
	var offs []int
	pat := `\` + name
	for from := 0; ; {
		i := strings.Index(s[from:], pat)
		if i < 0 {
			return offs
		}
		i += from
		end := i + len(pat)
		from = end
		if end < len(s) && isLetter(s[end]) {
			continue
		}
		offs = append(offs, i)
	}
}

// itemOffsets returns the offsets of the commands name in text that start
// an item, leaving out mentions in definitions and tests such as
// \providecommand{\bibitem} or \ifx\bibitem\undefined.
func itemOffsets(text, name string) []int {
	offs := findCommand(text, name)
	kept := offs[:0]
	for _, off := range offs {
		if !isMention(text, off, len(name)+1) {
			kept = append(kept, off)
		}
	}
	return kept
}

// definers are the commands after which a control sequence is named rather
// than executed.
var definers = []string{
	`\def`, `\edef`, `\gdef`, `\xdef`, `\let`, `\ifx`, `\ifdefined`, `\show`, `\meaning`,
	`\string`, `\providecommand`, `\newcommand`, `\renewcommand`, `\DeclareRobustCommand`,
	`\csname`, `\expandafter`, `\noexpand`, `\ifundef`, `\ifdef`, `\undef`,
}

// isMention reports whether the command of length n at text[off] is named
// by a definition or test instead of being used.
func isMention(text string, off, n int) bool {
	before := strings.TrimRight(text[max(0, off-40):off], " \t\n{*")
	for _, d := range definers {
		if strings.HasSuffix(before, d) {
			return true
		}
	}
	// \ifx\undefined\bibitem, \let\bibitem\relax
	after := text[off+n:]
	after = strings.TrimLeft(after, " \t")
	for _, w := range []string{`\undefined`, `\relax`, `\@undefined`, `\@empty`, `\endcsname`} {
		if strings.HasPrefix(after, w) {
			return true
		}
	}
	return false
}

func (p *bblParser) parse() {
	var starts []itemStart
	bibitems := itemOffsets(p.text, "bibitem")
	entries := itemOffsets(p.text, "entry")
	for i, j := 0, 0; i < len(bibitems) || j < len(entries); {
		if j >= len(entries) || i < len(bibitems) && bibitems[i] < entries[j] {
			starts = append(starts, itemStart{off: bibitems[i]})
			i++
		} else {
			starts = append(starts, itemStart{off: entries[j], biblatex: true})
			j++
		}
	}
	if len(starts) == 0 {
		p.warnf(0, "no \\bibitem or \\entry found")
		return
	}
	for n, st := range starts {
		end := len(p.text)
		if n+1 < len(starts) {
			end = starts[n+1].off
		}
		if st.biblatex {
			p.refs = append(p.refs, p.parseEntry(st.off, end))
		} else {
			p.refs = append(p.refs, p.parseBibitem(st.off, end))
		}
	}
}

// argAt reads a braced argument at s[j] after optional white space. It
// scans s; loops should use braces.arg.
func argAt(s string, j int) (string, int, bool) {
	j = skipSpaces(s, j)
	return braceArg(s, j)
}

// optArgAt reads a [...] optional argument at s[j] after optional white
// space; it ends at the first ] at brace depth zero.
func optArgAt(s string, j int) (string, int, bool) {
	j = skipSpaces(s, j)
	if j >= len(s) || s[j] != '[' {
		return "", j, false
	}
	depth := 0
	for k := j + 1; k < len(s); k++ {
		switch s[k] {
		case '\\':
			k++
		case '{':
			depth++
		case '}':
			if depth > 0 {
				depth--
			}
		case ']':
			if depth == 0 {
				return s[j+1 : k], k + 1, true
			}
		}
	}
	return "", j, false
}

var (
	endBibRE   = regexp.MustCompile(`\\end\s*\{thebibliography\}`)
	newblockRE = regexp.MustCompile(`\\newblock\b`)
)

// parseBibitem parses the thebibliography item at text[off:end].
func (p *bblParser) parseBibitem(off, end int) doc.Reference {
	s := p.text[:end]
	r := doc.Reference{Authors: []string{}, CitedIn: []string{}, Source: "bbl"}
	j := off + len(`\bibitem`)
	label, k, hasLabel := optArgAt(s, j)
	if hasLabel {
		j = k
	}
	key, k, ok := p.br.arg(j, end)
	if !ok {
		p.warnf(off, "\\bibitem without a {key}")
	} else {
		r.Key = strings.TrimSpace(key)
		j = k
	}
	body := p.text[j:end]
	if m := endBibRE.FindStringIndex(body); m != nil {
		body = body[:m[0]]
	}
	fillBibitem(&r, label, body)
	return r
}

// fillBibitem fills r from a natbib label and an item body.
func fillBibitem(r *doc.Reference, label, body string) {
	body = strings.TrimSpace(body)
	ids := itemIDs(body)
	r.ArxivID, r.DOI, r.URL = ids.arxiv, ids.doi, ids.url
	if strings.Contains(body, `\bibinfo`) {
		fillBibinfo(r, body)
	} else if raw := newblockRE.Split(body, -1); len(raw) == 1 {
		fillQuoted(r, body)
	} else {
		var blocks []string
		for _, b := range raw {
			if b = strings.TrimSpace(b); b != "" && !isJunkBlock(b) {
				blocks = append(blocks, b)
			}
		}
		switch {
		case len(blocks) == 1:
			// Only a title and URLs, as plainnat prints an authorless @misc.
			r.Title = trimTitle(Clean(blocks[0]))
		case len(blocks) >= 2:
			r.Authors = bblNames(blocks[0])
			r.Title = trimTitle(Clean(blocks[1]))
		}
		if len(blocks) >= 3 {
			r.Venue = bblVenue(blocks[2])
		}
	}
	if r.Year == "" {
		r.Year = lastYear(Clean(label))
	}
	if r.Year == "" {
		r.Year = lastYear(Clean(stripIDs(body)))
	}
}

// isJunkBlock reports whether a \newblock block holds only a URL, DOI,
// ISSN/ISBN or similar, not a title or venue.
func isJunkBlock(b string) bool {
	return junkBlockRE.MatchString(b)
}

var junkBlockRE = regexp.MustCompile(`(?i)^(?:\\(?:url|doi|href|path|urlprefix|eprint|bibinfo|texttt)\b|(?:url|doi|issn|isbn|available|eprint)\b|arxiv:)`)

type itemIDSet struct{ arxiv, doi, url string }

// itemIDs finds the arXiv identifier, DOI and URL anywhere in an item.
func itemIDs(body string) itemIDSet {
	var ids itemIDSet
	ids.arxiv = ArxivID(body)
	br := newBraces(body)
	for _, i := range findCommand(body, "doi") {
		if arg, _, ok := br.arg(i+len(`\doi`), len(body)); ok {
			if ids.doi = DOI(arg); ids.doi != "" {
				break
			}
		}
	}
	if ids.doi == "" {
		ids.doi = DOI(body)
	}
	ids.url = latexURL(body)
	if ids.arxiv == "" && ids.doi != "" {
		ids.arxiv = ArxivID(ids.doi)
	}
	return ids
}

// stripIDs removes URLs, DOIs and arXiv identifiers from s so that their
// digits are not taken for years.
func stripIDs(s string) string {
	br := newBraces(s)
	var b strings.Builder
	last := 0
	for i := 0; i < len(s); i++ {
		if s[i] != '\\' {
			continue
		}
		name, j := readCommand(s, i)
		switch name {
		case "url", "doi", "href", "path":
			if _, k, ok := br.arg(j, len(s)); ok {
				b.WriteString(s[last:i])
				b.WriteByte(' ')
				last = k
				i = k - 1
			}
		}
	}
	b.WriteString(s[last:])
	return idLikeRE.ReplaceAllString(b.String(), " ")
}

var idLikeRE = regexp.MustCompile(`(?i)(arxiv[:\s]*\S+|10\.\d{4,9}/\S+|\d{4}\.\d{4,5}|https?://\S+)`)

// lastYear returns the last 19xx or 20xx number in s that is not part of a
// longer number, or "".
func lastYear(s string) string {
	year := ""
	for i := 0; i+4 <= len(s); i++ {
		if (s[i] == '1' && s[i+1] == '9' || s[i] == '2' && s[i+1] == '0') &&
			isDigit(s[i+2]) && isDigit(s[i+3]) &&
			(i == 0 || !isDigit(s[i-1])) && (i+4 == len(s) || !isDigit(s[i+4])) {
			year = s[i : i+4]
			i += 3
		}
	}
	return year
}

// trimTitle removes the trailing period and, for styles that print the year
// after the title, a trailing ", 2020".
func trimTitle(t string) string {
	t = strings.TrimRight(strings.TrimSpace(t), ".,; ")
	if m := titleYearRE.FindStringIndex(t); m != nil && m[0] > 0 {
		t = strings.TrimRight(t[:m[0]], ".,; ")
	}
	return t
}

// titleYearRE matches the ", 2020" or ", July 2020" that some styles print
// after a title.
var titleYearRE = regexp.MustCompile(`,\s*(?:(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec)[a-z]*\.?\s+)?(?:19|20)\d\d[a-z]?$`)

var (
	venueCutRE  = regexp.MustCompile(`(?i),\s*(pages|pp\.|p\.|volume|vol\.|number|no\.|chapter|\d)`)
	emphRE      = regexp.MustCompile(`\\(emph|textit|textsl|it|em)\b`)
	parenYearRE = regexp.MustCompile(`\(\s*(19|20)\d\d[a-z]?\s*\)`)
)

// bblVenue extracts the venue from a \newblock block: its first emphasised
// text, or the block up to volume, pages or year.
func bblVenue(b string) string {
	if m := emphRE.FindStringIndex(b); m != nil {
		if arg, _, ok := argAt(b, m[1]); ok {
			if v := strings.Trim(Clean(arg), " ,;:"); v != "" {
				return v
			}
		}
	}
	v := Clean(b)
	if loc := venueCutRE.FindStringIndex(v); loc != nil {
		v = v[:loc[0]]
	}
	for _, prefix := range []string{"In ", "in "} {
		v = strings.TrimPrefix(v, prefix)
	}
	return strings.Trim(v, " .,;:")
}

// bblNames splits the author block of a thebibliography item. It handles
// "Jane Doe, John Smith, and Ann Lee", "J. Doe and J. Smith" and the
// "Doe, J., Smith, J., and Lee, A." form of author-year styles.
func bblNames(block string) []string {
	var segs []string
	for _, part := range splitTopLevel(block, ',') {
		for _, seg := range splitAnd(" " + part + " ") {
			seg = collapseSpace(parenYearRE.ReplaceAllString(Clean(seg), ""))
			seg = strings.TrimSuffix(seg, " .")
			seg = strings.TrimSpace(strings.TrimPrefix(seg, "and "))
			l := strings.ToLower(seg)
			if seg == "" || l == "et al." || l == "et al" || l == "others" || l == "and" {
				continue
			}
			segs = append(segs, seg)
		}
	}
	// Drop the final period unless it ends one-letter initials
	// ("Berg, R.", "Doe, J.-P.").
	if n := len(segs); n > 0 && strings.HasSuffix(segs[n-1], ".") {
		fields := strings.Fields(segs[n-1])
		if !isSingleInitials(fields[len(fields)-1]) {
			segs[n-1] = strings.TrimSuffix(segs[n-1], ".")
		}
	}
	if pairStyle(segs) {
		names := make([]string, 0, len(segs)/2)
		for i := 0; i+1 < len(segs); i += 2 {
			names = append(names, segs[i+1]+" "+segs[i])
		}
		return names
	}
	if segs == nil {
		return []string{}
	}
	return segs
}

// pairStyle reports whether segs alternate surnames and given names or
// initials ("Doe", "J.", "Smith", "A. B.").
func pairStyle(segs []string) bool {
	if len(segs) < 2 || len(segs)%2 != 0 {
		return false
	}
	allSingle, someInitial := true, false
	for i := 0; i < len(segs); i += 2 {
		last, given := strings.Fields(segs[i]), strings.Fields(segs[i+1])
		if len(last) != 1 || len(given) != 1 {
			allSingle = false
		}
		for _, w := range last {
			if isInitial(w) {
				return false
			}
		}
		// A given-name part ends with an initial ("J.", "D. D.",
		// "Mary K.") or is one word ("Arthur").
		switch {
		case len(given) == 0 || len(given) > 3:
			return false
		case isInitial(given[len(given)-1]):
			someInitial = true
		case len(given) > 1:
			return false
		}
	}
	return allSingle || someInitial
}

// isInitial reports whether w is made of initials: "J.", "Ch.", "J.-P.",
// "R.G." or a lone capital letter such as the S of "Ari S Morcos".
func isInitial(w string) bool {
	return initialsRE.MatchString(w)
}

// isSingleInitials is isInitial without the two-letter form "Ch.", which
// cannot be told from a short surname ending a sentence ("Le.").
func isSingleInitials(w string) bool {
	return singleInitialsRE.MatchString(w)
}

var (
	initialsRE       = regexp.MustCompile(`^(?:\p{Lu}|(?:\p{Lu}\p{Ll}?\.)+(?:-(?:\p{Lu}\p{Ll}?\.)+)*)$`)
	singleInitialsRE = regexp.MustCompile(`^(?:\p{Lu}\.)+(?:-(?:\p{Lu}\.)+)*$`)
)

// fillBibinfo fills r from revtex's \bibinfo{field}{value} markup.
func fillBibinfo(r *doc.Reference, body string) {
	br := newBraces(body)
	for _, i := range findCommand(body, "bibinfo") {
		name, k, ok := br.arg(i+len(`\bibinfo`), len(body))
		if !ok {
			continue
		}
		val, _, ok := br.arg(k, len(body))
		if !ok {
			continue
		}
		v := Clean(val)
		switch strings.TrimSpace(name) {
		case "author":
			if v != "" {
				r.Authors = append(r.Authors, v)
			}
		case "title":
			if r.Title == "" {
				r.Title = trimTitle(v)
			}
		case "year":
			if r.Year == "" {
				r.Year = lastYear(v)
			}
		case "journal", "booktitle", "howpublished", "school", "institution":
			if r.Venue == "" {
				r.Venue = v
			}
		case "publisher", "organization":
			if r.Venue == "" {
				r.Venue = v
			}
		case "eprint":
			if r.ArxivID == "" {
				r.ArxivID = eprintID(val)
			}
		case "doi":
			if r.DOI == "" {
				r.DOI = DOI(val)
			}
		case "url":
			if r.URL == "" {
				r.URL = strings.TrimSpace(latexURL(val))
				if r.URL == "" {
					r.URL = strings.TrimSpace(val)
				}
			}
		}
	}
}

// fillQuoted handles items without \newblock in the style of IEEEtran and
// similar: the authors, the title in TeX double quotes, then the venue,
// usually emphasised, and the year.
func fillQuoted(r *doc.Reference, body string) {
	open := strings.Index(body, "``")
	if open < 0 {
		return
	}
	closeAt := strings.Index(body[open+2:], "''")
	if closeAt < 0 {
		return
	}
	closeAt += open + 2
	r.Authors = bblNames(strings.TrimRight(strings.TrimSpace(body[:open]), ","))
	r.Title = trimTitle(Clean(body[open+2 : closeAt]))
	rest := strings.TrimLeft(body[closeAt+2:], " ,.\n")
	if strings.HasPrefix(rest, "in ") || strings.HasPrefix(rest, "In ") {
		rest = rest[3:]
	}
	r.Venue = bblVenue(rest)
}
