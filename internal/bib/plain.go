package bib

import (
	"regexp"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/reprohq/repro/doc"
)

// maxPlainLen bounds the text ParsePlain looks at: a reference is a few
// hundred bytes, and anything much longer is not one reference.
const maxPlainLen = 4096

// ParsePlain parses one formatted reference as a paper prints it, without
// LaTeX markup, such as "Doe, J. and Smith, A. A title. In NeurIPS, 2020."
// It is ParsePlainLabel without the label.
func ParsePlain(text string) doc.Reference {
	_, r := ParsePlainLabel(text)
	return r
}

// ParsePlainLabel parses one formatted reference and returns its leading
// label ("12" for "[12]" or "12.", "Smith et al., 2020" for a bracketed
// author-year label; "" when there is none) and the reference, with Source
// "text" and no Key.
//
// The fields are recovered heuristically from the common styles: author-year
// ("Authors. Title. Venue, Year." and "Authors (Year). Title. Venue."),
// ACM ("Authors. Year. Title. Venue."), IEEE (the title in quotes), Springer
// ("Authors: Title. Venue (Year)") and Vancouver ("Doe J, Smith A. Title.").
// The arXiv identifier, DOI and URL are found anywhere in the text (see
// ArxivID and DOI); the year is the one in parentheses after the authors,
// else the last 19xx/20xx number outside identifiers, else the label's.
// ParsePlainLabel never fails; text it cannot read ends up in the title.
func ParsePlainLabel(text string) (label string, r doc.Reference) {
	r = doc.Reference{Authors: []string{}, CitedIn: []string{}, Source: "text"}
	if len(text) > maxPlainLen {
		text = text[:maxPlainLen]
	}
	text = strings.ToValidUTF8(text, "\uFFFD")
	text = collapseSpace(text)
	label, text = cutLabel(text)
	if text == "" {
		return label, r
	}

	r.ArxivID = ArxivID(text)
	r.DOI = DOI(text)
	if r.ArxivID == "" && r.DOI != "" {
		r.ArxivID = ArxivID(r.DOI)
	}
	r.URL = plainURL(text)

	s := stripPlainIDs(text)
	s = strings.TrimRight(s, " ,;.")
	authors, rest, year := splitAuthors(s)
	if authors != "" {
		authors = strings.ReplaceAll(authors, " & ", " and ")
		r.Authors = bblNames(strings.TrimRight(authors, " ,:"))
		trimVancouver(r.Authors)
	}
	rest = strings.TrimSpace(rest)
	// ACM puts the year in a block of its own after the authors.
	if m := yearBlockRE.FindStringSubmatch(rest); m != nil {
		year = m[1]
		rest = rest[len(m[0]):]
	}
	var title, venue string
	if t, v, ok := quotedTitle(rest); ok {
		title, venue = t, v
	} else {
		end := titleEnd(rest)
		title, venue = rest[:end], rest[end:]
	}
	r.Title = trimTitle(strings.Trim(title, " \"“”‘’"))
	r.Venue = plainVenue(venue)
	if r.Venue == "" && r.ArxivID != "" {
		r.Venue = "arXiv"
	}
	r.Year = year
	if r.Year == "" {
		r.Year = lastYear(s)
	}
	if r.Year == "" {
		r.Year = lastYear(label)
	}
	return label, r
}

var (
	// bracketLabelRE matches "[12]", "[Smith et al., 2020]" or "[SDP20]".
	bracketLabelRE = regexp.MustCompile(`^\[([^\[\]]{1,60})\]\s*`)
	// numberLabelRE matches "12." or "12)" or "(12)" but not a year.
	numberLabelRE = regexp.MustCompile(`^\(?(\d{1,3})[.)]\s+`)
	// plainIDs match the identifiers and link boilerplate removed before
	// the structure is read, so that their digits and periods do not count;
	// each runs only when the lower-cased text contains its key.
	plainIDs = []struct {
		key string
		re  *regexp.Regexp
	}{
		{"http", regexp.MustCompile(`https?://\S+`)},
		{"www.", regexp.MustCompile(`(?i)www\.\S+`)},
		{"10.", regexp.MustCompile(`(?i)(?:\bdoi\s*:?\s*)?\b10\.\d{4,9}/\S+`)},
		{"arxiv", regexp.MustCompile(`(?i)\barxiv(?:\s+preprint)?(?:\s+arxiv)?\s*[:\s]\s*(?:\d{4}\.\d{4,5}|[a-z\-]+(?:\.[a-z\-]+)?/\d{7})(?:v\d+)?(?:\s*\[[a-z\-.]+\])?`)},
		{"abs/", regexp.MustCompile(`(?i)\babs/\S+`)},
		{"online", regexp.MustCompile(`(?i)\[online\]`)},
		{"available", regexp.MustCompile(`(?i)\bavailable(?:\s+at)?\s*:`)},
		{"url", regexp.MustCompile(`(?i)\burl\s*:?(?:\s|$)`)},
		{"accessed", regexp.MustCompile(`(?i)\baccessed\b[^.]*`)},
		{"doi", regexp.MustCompile(`(?i)\bdoi\s*:`)},
	}
	// yearBlockRE matches an ACM year block at the start of the text after
	// the authors: "2012. ".
	yearBlockRE = regexp.MustCompile(`^\(?((?:19|20)\d\d)[a-z]?\)?\.\s+`)
	// parenYearAfterRE matches "(2015)" or "(2015a)." after the authors.
	parenYearAfterRE = regexp.MustCompile(`\s*\(((?:19|20)\d\d)[a-z]?\)[.,:]?\s+`)
	// venueTailRE matches what follows the venue's name: volume, pages, the
	// year, a publisher's place.
	venueTailRE = regexp.MustCompile(`(?i)(?:,\s*(?:pages|pp\.|p\.|volume|vol\.|number|no\.|chapter|\d)|\.?\s+\d+\s*[(:–-]|\.?\s+\d+,\s*\d|\s+\d+\s*:\s*\d|\s+pp?\.\s*\d|[\s,]+\(?(?:19|20)\d\d[a-z]?\)?(?:[\s.,;]|$))`)
)

// cutLabel removes a leading reference label and returns it.
func cutLabel(s string) (string, string) {
	if m := bracketLabelRE.FindStringSubmatch(s); m != nil {
		return strings.TrimSpace(m[1]), s[len(m[0]):]
	}
	if m := numberLabelRE.FindStringSubmatch(s); m != nil {
		return m[1], s[len(m[0]):]
	}
	return "", s
}

// plainURL returns the first http(s) URL in s, without trailing punctuation.
func plainURL(s string) string {
	for _, scheme := range []string{"https://", "http://"} {
		if i := strings.Index(s, scheme); i >= 0 {
			end := i
			for end < len(s) && !isSpace(s[end]) {
				end++
			}
			return strings.TrimRight(s[i:end], ".,;)]")
		}
	}
	return ""
}

// splitAuthors splits s into the author list, the rest and, when the style
// prints it right after the authors, the year.
func splitAuthors(s string) (authors, rest, year string) {
	// IEEE: authors, then the title in quotes.
	if i := strings.IndexAny(s, "“\""); i > 0 {
		before := strings.TrimRight(s[:i], " ,")
		if looksLikeAuthors(before) {
			return before, s[i:], ""
		}
	}
	// Springer: "Doe, J., Smith, A.: Title".
	if i := strings.Index(s, ": "); i > 1 {
		before := s[:i]
		w := lastWord(before)
		if (strings.HasSuffix(before, ".") && (isInitial(w) || w == "al.")) && looksLikeAuthors(before) {
			return before, s[i+2:], ""
		}
	}
	end := authorEnd(s)
	// Author-year: "Doe, J. and Smith, A. (2015). Title".
	if loc := parenYearAfterRE.FindStringSubmatchIndex(s); loc != nil && loc[0] > 0 && (end < 0 || end+1 >= loc[0]) {
		before := strings.TrimRight(s[:loc[0]], " ,")
		if looksLikeAuthors(before) {
			return before, s[loc[1]:], s[loc[2]:loc[3]]
		}
	}
	if end < 0 {
		return "", s, ""
	}
	before := s[:end+1]
	if !looksLikeAuthors(before) {
		return "", s, ""
	}
	return before, s[end+1:], ""
}

// authorEnd returns the index of the period that ends the author block of
// s, or -1. A period after an initial ends it only when a title starts
// after it: "Ba J. Adam" and "Ba, J. Adam" end there, "G. E. Hinton" and
// "Geoffrey E. Hinton." do not.
func authorEnd(s string) int {
	for i := 0; i < len(s); i++ {
		if s[i] != '.' || i+1 < len(s) && s[i+1] != ' ' {
			continue
		}
		ws := strings.LastIndexByte(s[:i], ' ') + 1
		w := s[ws : i+1]
		next := nextWord(s, i+1)
		if next == "" {
			return i
		}
		switch {
		case w == "al." && strings.HasSuffix(strings.TrimSpace(s[:ws]), "et"):
			return i
		case w == "Jr." || w == "Sr." || w == "Dr." || w == "St.":
			continue
		case !isInitial(w) && !isInitial(strings.TrimSuffix(w, ".")):
			return i
		}
		// An initial.
		r, _ := utf8.DecodeRuneInString(next)
		titleWord := len(next) == 1 && unicode.IsUpper(r) && startsLower(nextWord(s, i+2+len(next)))
		if !titleWord && isInitial(strings.TrimRight(next, ",")) || !unicode.IsUpper(r) {
			continue // more initials, "and", "et al.", a particle
		}
		if strings.HasSuffix(next, ",") {
			continue // a surname: "E. Hinton,"
		}
		// The name's words before this initial.
		segStart := max(strings.LastIndexByte(s[:ws], ','), strings.LastIndex(s[:ws], " and "), strings.LastIndex(s[:ws], " & "))
		seg := strings.Fields(strings.TrimPrefix(strings.TrimPrefix(s[max(segStart, 0):ws], ","), " and "))
		allInitials := true
		for _, f := range seg {
			if !isInitial(f) && f != "&" {
				allInitials = false
			}
		}
		if allInitials && segStart >= 0 && s[segStart] == ',' {
			// "Ba, J. Adam": a surname before the comma.
			prevStart := max(strings.LastIndexByte(s[:segStart], ','), strings.LastIndex(s[:segStart], " and "), 0)
			prev := strings.Fields(strings.TrimPrefix(strings.TrimPrefix(s[prevStart:segStart], ","), " and "))
			if len(prev) >= 1 && len(prev) <= 3 && !anyInitial(prev) {
				return i
			}
		}
		if strings.HasSuffix(next, ".") && !titleWord {
			continue // a surname: "Geoffrey E. Hinton."
		}
		if !allInitials && len(seg) <= 3 && !hasInitialThenWord(seg) {
			return i // Vancouver "Ba J." or "Hinton G. E."
		}
		if titleWord {
			return i
		}
		// Otherwise a surname follows: "E. Hinton."
	}
	return -1
}

// hasInitialThenWord reports whether fields hold an initial before a
// word, as in a name written first-name first ("A. Smith").
func hasInitialThenWord(fields []string) bool {
	for i := 0; i+1 < len(fields); i++ {
		if isInitial(fields[i]) && !isInitial(fields[i+1]) {
			return true
		}
	}
	return false
}

func anyInitial(fields []string) bool {
	for _, f := range fields {
		if isInitial(f) {
			return true
		}
	}
	return false
}

// nextWord returns the word after s[i:] white space, punctuation included.
func nextWord(s string, i int) string {
	i = skipSpaces(s, i)
	j := i
	for j < len(s) && s[j] != ' ' {
		j++
	}
	return s[i:j]
}

// lastWord returns the last space-separated word of s.
func lastWord(s string) string {
	return s[strings.LastIndexByte(s, ' ')+1:]
}

// nameParticles may start a lower-case word inside a name.
var nameParticles = map[string]bool{
	"van": true, "von": true, "der": true, "den": true, "de": true, "del": true, "della": true,
	"di": true, "da": true, "dos": true, "du": true, "la": true, "le": true, "y": true,
	"bin": true, "ben": true, "al": true, "and": true, "et": true, "al.": true, "ter": true, "zu": true,
}

// looksLikeAuthors reports whether s reads as a list of person names:
// short names whose words are capitalised, initials or particles.
func looksLikeAuthors(s string) bool {
	s = strings.TrimSpace(s)
	if s == "" || len(s) > 2000 {
		return false
	}
	words := 0
	for _, part := range strings.Split(strings.ReplaceAll(s, " & ", " and "), ",") {
		n := 0
		for _, f := range strings.Fields(part) {
			f = strings.Trim(f, ".:;()")
			if f == "" || nameParticles[strings.ToLower(f)] || f == "others" || f == "&" {
				continue
			}
			r, _ := utf8.DecodeRuneInString(f)
			if !unicode.IsUpper(r) {
				return false
			}
			if strings.ContainsAny(f, "0123456789?!") {
				return false
			}
			n++
		}
		if n > 4 && !strings.Contains(part, " and ") {
			return false
		}
		words += n
	}
	return words > 0
}

// titleEnd returns the index where the title at the start of s ends: after
// its first sentence.
func titleEnd(s string) int {
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c != '.' && c != '?' && c != '!' || i+1 < len(s) && s[i+1] != ' ' {
			continue
		}
		if c == '.' {
			w := strings.ToLower(lastWord(s[:i]))
			switch w {
			case "vs", "e.g", "i.e", "etc", "al", "cf", "fig", "eq":
				continue
			}
			if len(w) == 1 && unicode.IsLower(rune(w[0])) {
				continue
			}
		}
		return i + 1
	}
	return len(s)
}

// quotedTitle reads an IEEE title in quotes at the start of s and returns
// it and the text after it.
func quotedTitle(s string) (title, after string, ok bool) {
	var closer string
	switch {
	case strings.HasPrefix(s, "“"):
		closer, s = "”", s[len("“"):]
	case strings.HasPrefix(s, "\""):
		closer, s = "\"", s[1:]
	default:
		return "", "", false
	}
	i := strings.Index(s, closer)
	if i < 0 {
		return "", "", false
	}
	return s[:i], s[i+len(closer):], true
}

// plainVenue extracts the venue's name from the text after the title.
func plainVenue(v string) string {
	v = strings.TrimLeft(v, " ,.;:")
	for _, p := range []string{"In: ", "in: ", "In ", "in ", "Proceedings of the ", "Proceedings of ", "Proc. of the ", "Proc. of "} {
		v = strings.TrimPrefix(v, p)
	}
	v = strings.TrimSpace(v)
	if loc := venueTailRE.FindStringIndex(v); loc != nil {
		v = v[:loc[0]]
	}
	if parenYearRE.MatchString(v) {
		v = parenYearRE.ReplaceAllString(v, "")
	}
	if strings.HasPrefix(lastYear(v), v) { // the venue was only a year
		return ""
	}
	return strings.Trim(collapseSpace(v), " .,;:")
}

// vancouverRE matches a name written surname first with bare initials and
// a final period: "Oduya T.", "Ba JL.".
var vancouverRE = regexp.MustCompile(`^[^.]+ \p{Lu}{1,3}\.$`)

// trimVancouver removes the period that ends the author block from the
// last name of a Vancouver list ("Vance R, Oduya T."), where no name has
// periods of its own.
func trimVancouver(names []string) {
	n := len(names)
	if n == 0 || !vancouverRE.MatchString(names[n-1]) {
		return
	}
	for _, name := range names[:n-1] {
		if strings.Contains(name, ".") {
			return
		}
	}
	names[n-1] = strings.TrimSuffix(names[n-1], ".")
}

// stripPlainIDs removes URLs, DOIs, arXiv identifiers and link words from s.
func stripPlainIDs(s string) string {
	lower := asciiLower(s)
	changed := false
	for _, id := range plainIDs {
		if k := strings.Index(lower, id.key); k >= 0 {
			// Matches start at most a few bytes before their key ("doi:
			// 10."): the text before that cannot change.
			k = max(0, k-8)
			for k > 0 && s[k-1] != ' ' {
				k--
			}
			s = s[:k] + id.re.ReplaceAllString(s[k:], " ")
			lower = asciiLower(s)
			changed = true
		}
	}
	if changed {
		s = collapseSpace(s)
	}
	return s
}

// startsLower reports whether s starts with a lower-case letter.
func startsLower(s string) bool {
	r, _ := utf8.DecodeRuneInString(s)
	return unicode.IsLower(r)
}
