package markdown

import (
	"regexp"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/reprohq/repro/doc"
	"github.com/reprohq/repro/internal/sentence"
)

// atxHeading returns the # count and text of an ATX heading line, or 0.
func atxHeading(l string) (int, string) {
	t := strings.TrimLeft(l, " ")
	if len(l)-len(t) > 3 {
		return 0, ""
	}
	h := 0
	for h < len(t) && t[h] == '#' {
		h++
	}
	if h == 0 || h > 6 || h < len(t) && t[h] != ' ' && t[h] != '\t' {
		return 0, ""
	}
	text := strings.TrimSpace(t[h:])
	// A closing sequence of #s.
	if j := strings.TrimRight(text, "#"); j != text && (j == "" || strings.HasSuffix(j, " ")) {
		text = strings.TrimSpace(j)
	}
	return h, text
}

// isSetext reports whether u is a setext underline of c.
func isSetext(u string, c byte) bool {
	if len(u) < 2 {
		return false
	}
	for i := 0; i < len(u); i++ {
		if u[i] != c {
			return false
		}
	}
	return true
}

// heading reads a heading at p.i (t is the trimmed line) and reports
// whether there was one.
func (p *parser) heading(t string) bool {
	if p.markdown {
		if t[0] == '#' {
			if h, text := atxHeading(p.lines[p.i]); h > 0 {
				p.flush()
				p.onHeading(inlineText(text), h, p.i+1, false)
				p.i++
				return true
			}
		}
		if len(p.para) == 0 && p.i+1 < len(p.lines) && len(t) <= maxHeadingLen && !p.refs {
			u := strings.TrimSpace(p.lines[p.i+1])
			h := 0
			switch {
			case isSetext(u, '='):
				h = 1
			case isSetext(u, '-') && !isListStart(t) && !strings.Contains(t, "|"):
				h = 2
			}
			if h > 0 {
				p.onHeading(inlineText(t), -h, p.i+1, false)
				p.i += 2
				return true
			}
		}
		return false
	}
	if len(t) > maxHeadingLen {
		return false
	}
	if n := len(p.para); n > 0 && !strings.HasSuffix(p.para[n-1], ".") && !strings.HasSuffix(p.para[n-1], ":") && !isCaptionStart(p.para[0]) {
		return false
	}
	text := inlineText(t)
	if !p.textHeadingOK(text) {
		return false
	}
	p.flush()
	p.onHeading(text, 0, p.i+1, true)
	p.i++
	return true
}

// Kinds of section numbers.
const (
	numNone = iota
	numDigits
	numLetter
	numRoman
	numAppendix
)

var (
	romanNumRE = regexp.MustCompile(`^(?:X{0,2})(?:IX|IV|V?I{1,3}|V)$|^X{1,2}$`)
	appendixRE = regexp.MustCompile(`(?i)^(?:appendix|supplementary (?:material|section))\s+([A-Z](?:\.\d{1,2}){0,3})\b\s*[:.—–-]?\s*(.*)$`)
)

// splitNumber splits a heading into its number as printed and its title.
// strictLetter asks for "A." or "A:" (not "A Title") before a lone letter.
func splitNumber(text string, strictLetter bool) (num, title string, kind int) {
	if len(text) > 8 && (text[0]|0x20 == 'a' || text[0]|0x20 == 's') {
		if m := appendixRE.FindStringSubmatch(text); m != nil {
			return m[1], strings.TrimSpace(m[2]), numAppendix
		}
	}
	f, rest, ok := strings.Cut(text, " ")
	if !ok {
		return "", text, numNone
	}
	rest = strings.TrimSpace(rest)
	punct := strings.HasSuffix(f, ".") || strings.HasSuffix(f, ":")
	n := strings.TrimRight(f, ".:")
	switch {
	case dottedNumber(n, false):
		return n, rest, numDigits
	case romanNumRE.MatchString(n) && strings.HasSuffix(f, ".") && rest == strings.ToUpper(rest):
		return n, rest, numRoman
	case dottedNumber(n, true) && (len(n) > 1 || punct || !strictLetter):
		return n, rest, numLetter
	case romanNumRE.MatchString(n) && strings.HasSuffix(f, "."):
		return n, rest, numRoman
	}
	return "", text, numNone
}

// knownSections are unnumbered headings recognised in plain text.
var knownSections = map[string]bool{
	"abstract": true, "introduction": true, "related work": true, "background": true,
	"method": true, "methods": true, "methodology": true, "approach": true, "experiments": true,
	"experimental setup": true, "results": true, "discussion": true, "conclusion": true,
	"conclusions": true, "limitations": true, "acknowledgments": true, "acknowledgements": true,
	"acknowledgment": true, "acknowledgement": true, "references": true, "bibliography": true,
	"appendix": true, "appendices": true, "supplementary material": true, "broader impact": true,
	"broader impacts": true, "ethics statement": true, "keywords": true, "index terms": true,
	"literature cited": true, "works cited": true,
}

func isReferencesTitle(lower string) bool {
	switch lower {
	case "references", "bibliography", "literature cited", "works cited", "reference", "references and notes":
		return true
	}
	return false
}

// textHeadingOK reports whether a plain-text line is a section heading:
// a known unnumbered name, "Appendix A: ...", or a number that continues
// the section sequence followed by a short capitalised title.
func (p *parser) textHeadingOK(text string) bool {
	if text == "" || !(text[0] >= '0' && text[0] <= '9' || text[0] >= 'A' && text[0] <= 'Z') {
		return false
	}
	lower := strings.ToLower(strings.TrimRight(text, ": "))
	if knownSections[lower] {
		return true
	}
	num, title, kind := splitNumber(text, false)
	if kind == numAppendix {
		return true
	}
	if kind == numNone || !titleLike(title) {
		return false
	}
	comps := strings.Split(num, ".")
	switch kind {
	case numDigits:
		if p.refs {
			return false
		}
		top, _ := strconv.Atoi(comps[0])
		last, lerr := strconv.Atoi(p.lastTop)
		if len(comps) == 1 {
			return lerr == nil && top == last+1 || p.lastTop == "" && top <= 2
		}
		return comps[0] == p.lastTop
	case numLetter:
		if isRoman(p.lastTop) && len(comps) == 1 && strings.HasSuffix(strings.Fields(text)[0], ".") {
			return true // IEEE subsection "A. Dataset"
		}
		if !p.appendix && !p.refs && !p.afterRef {
			return false
		}
		if len(comps) > 1 {
			return comps[0] == p.lastTop
		}
		if len(p.lastTop) == 1 && p.lastTop[0] >= 'A' && p.lastTop[0] <= 'Z' {
			return num[0] == p.lastTop[0]+1
		}
		return num == "A"
	case numRoman:
		if p.refs || strings.ToUpper(title) != title {
			return false
		}
		return romanValue(num) == romanValue(p.lastTop)+1
	}
	return false
}

func isRoman(s string) bool { return s != "" && romanNumRE.MatchString(s) }

func romanValue(s string) int {
	if !isRoman(s) {
		return 0
	}
	vals := map[byte]int{'I': 1, 'V': 5, 'X': 10}
	v := 0
	for i := 0; i < len(s); i++ {
		if i+1 < len(s) && vals[s[i]] < vals[s[i+1]] {
			v -= vals[s[i]]
		} else {
			v += vals[s[i]]
		}
	}
	return v
}

// titleLike reports whether s reads as a heading's title: capitalised,
// short, not a sentence and not math.
func titleLike(s string) bool {
	if s == "" || len(s) > 100 {
		return false
	}
	r, _ := utf8.DecodeRuneInString(s)
	if !unicode.IsUpper(r) {
		return false
	}
	switch s[len(s)-1] {
	case '.', ',', ';', ':', '=':
		return false
	}
	if strings.ContainsAny(s, "=$\\|") || len(strings.Fields(s)) > 12 {
		return false
	}
	letters, digits := 0, 0
	for _, c := range s {
		switch {
		case unicode.IsLetter(c):
			letters++
		case unicode.IsDigit(c):
			digits++
		}
	}
	return letters > 2*digits
}

// onHeading files a heading. hashes is the ATX # count, minus the setext
// level for setext headings, or 0 in plain text.
func (p *parser) onHeading(text string, hashes, line int, plain bool) {
	num, title, kind := splitNumber(text, !plain && !p.appendix && !p.afterRef && !p.refs)
	if !plain && kind == numRoman {
		num, title, kind = "", text, numNone
	}
	lower := strings.ToLower(strings.TrimRight(title, ": "))
	if kind == numNone {
		lower = strings.ToLower(strings.TrimRight(text, ": "))
	}
	if p.markdown && !p.titleSet && p.front && kind == numNone && !knownSections[lower] &&
		len(p.d.Text) == 0 && p.d.Abstract == "" && len(p.abstract) == 0 && text != "" {
		p.d.Title, p.titleSet = text, true
		p.titleHash = hashes
		return
	}
	p.pendingAfter = p.pendingAfter[:0]
	p.lastProse = ""
	p.lastTable, p.pendingTable, p.pendingAlg = -1, -1, -1
	switch {
	case lower == "abstract" && kind == numNone:
		p.inAbstract = true
		return
	case (lower == "keywords" || lower == "index terms") && kind == numNone:
		p.inAbstract, p.keywordsNext = false, true
		return
	case isReferencesTitle(lower):
		p.endRefs()
		p.refs = true
		p.front, p.inAbstract = false, false
		return
	}
	p.endRefs()
	p.front, p.inAbstract = false, false
	if kind == numNone && (lower == "appendix" || lower == "appendices" || lower == "supplementary material" ||
		strings.HasPrefix(lower, "appendix ") && !strings.Contains(lower, ":")) {
		p.appendix = true
		if lower == "appendix" || lower == "appendices" || lower == "supplementary material" {
			return
		}
	}
	level := 1
	switch kind {
	case numDigits, numLetter, numAppendix:
		level = strings.Count(num, ".") + 1
		if isRoman(p.lastTop) && kind == numLetter && len(num) == 1 {
			level = 2
		}
	case numRoman:
		level = 1
	default:
		switch {
		case hashes > 0:
			level = hashes - p.baseHash
		case hashes < 0:
			level = -hashes
		}
	}
	level = max(1, min(level, 4))
	if kind == numAppendix || kind == numLetter && !isRoman(p.lastTop) {
		p.appendix = true
	}
	if level == 1 && num != "" {
		p.lastTop = num
	} else if level == 1 && kind == numNone {
		// An unnumbered top section does not break the sequence.
	} else if kind != numNone && level > 1 && p.lastTop == "" {
		p.lastTop = strings.Split(num, ".")[0]
	}
	if kind == numNone {
		title = text
	}
	s := doc.Section{Number: num, Title: title, Level: level, Appendix: p.appendix, File: p.file, Line: line}
	p.d.Sections = append(p.d.Sections, s)
	p.sec = s
}

var (
	abstractRE = regexp.MustCompile(`(?i)^(?:(?:\*\*|__)?abstract\s*[:.—–-]|(?:\*\*|__)abstract\s*[:.—–-]?\s*(?:\*\*|__))(?:\*\*|__)?\s*`)
	keywordsRE = regexp.MustCompile(`(?i)^(?:\*\*|__|\*|_)?(?:keywords|key words|index terms)(?:\*\*|__|\*|_)?\s*[:.—–-]?\s*(?:\*\*|__|\*|_)?\s*`)
)

// cutAbstract reports whether a paragraph starts with "Abstract" as a
// marker (alone on its first line, followed by punctuation, or in bold)
// and returns the rest.
func cutAbstract(text, first string) (string, bool) {
	if len(text) < 8 || !strings.EqualFold(strings.TrimLeft(text, "*_#")[:min(8, len(strings.TrimLeft(text, "*_#")))], "abstract") {
		return "", false
	}
	if strings.EqualFold(strings.Trim(inlineText(first), "*_#:.—–- "), "abstract") {
		rest := strings.TrimSpace(text[min(len(text), len(inlineText(first))):])
		return strings.TrimLeft(rest, ":.—–- "), true
	}
	m := abstractRE.FindStringIndex(text)
	if m == nil {
		return "", false
	}
	return strings.TrimSpace(text[m[1]:]), true
}

// cutKeywords reports whether a paragraph lists keywords and returns them.
func cutKeywords(text string) ([]string, bool) {
	if len(text) > 1000 {
		return nil, false
	}
	m := keywordsRE.FindStringIndex(text)
	if m == nil || m[1] == len(text) && !strings.Contains(text, ":") {
		return nil, false
	}
	var kws []string
	for _, k := range strings.FieldsFunc(text[m[1]:], func(r rune) bool { return r == ',' || r == ';' || r == '·' || r == '•' }) {
		if k = strings.Trim(strings.TrimSpace(k), ". "); k != "" {
			kws = append(kws, k)
		}
	}
	return kws, true
}

// orgWords mark an affiliation rather than a person's name.
var orgWords = []string{
	"university", "institute", "department", "dept", "school", "college", "laboratory", "lab",
	"inc", "ltd", "corp", "research", "center", "centre", "google", "microsoft", "meta", "deepmind",
	"openai", "faculty", "academy", "hospital", "foundation", "company", "group", "team", "usa", "china",
	"germany", "france", "uk", "canada", "japan", "abstract", "correspondence", "equal", "contribution",
}

var (
	supRE       = regexp.MustCompile(`<sup>[^<]{0,40}</sup>|\^[^\^\s]{1,20}\^|\$\^\{?[^$]{0,30}\}?\$|[\d*†‡§¶♯♮∗⋆]+`)
	emailRE     = regexp.MustCompile(`\S+@\S+`)
	nameSplitRE = regexp.MustCompile(`\s*(?:,|;|·|•|\||&|\band\b|\t|\s{2,})\s*`)
	nameWordRE  = regexp.MustCompile(`^(?:\p{Lu}[\p{L}'’\-]*\.?|\p{Lu}\.(?:-?\p{Lu}\.)*|van|von|der|de|del|della|di|da|dos|du|la|le|bin|ter)$`)
)

// authorLine adds the person names on a front-matter line and reports
// whether it found any.
func (p *parser) authorLine(l string) bool {
	if l == "" || len(l) > 1000 {
		return false
	}
	l = emailRE.ReplaceAllString(l, " ")
	l = supRE.ReplaceAllString(l, " ")
	if i := strings.IndexByte(l, '('); i >= 0 {
		if j := strings.IndexByte(l[i:], ')'); j > 0 {
			l = l[:i] + " " + l[i+j+1:]
		}
	}
	var names []string
	for _, seg := range nameSplitRE.Split(l, -1) {
		seg = strings.Trim(seg, " *_,.")
		if seg == "" {
			continue
		}
		if !personName(seg) {
			return false
		}
		names = append(names, seg)
	}
	if len(names) == 0 {
		return false
	}
	p.d.Authors = append(p.d.Authors, names...)
	return true
}

// personName reports whether s reads as one person's name.
func personName(s string) bool {
	f := strings.Fields(s)
	if len(f) < 2 || len(f) > 5 {
		return false
	}
	lower := strings.ToLower(s)
	for _, w := range orgWords {
		if strings.Contains(" "+lower+" ", " "+w+" ") || strings.Contains(" "+lower+" ", " "+w+",") {
			return false
		}
	}
	for _, w := range f {
		if !nameWordRE.MatchString(w) {
			return false
		}
	}
	return true
}

// isListStart reports whether a line starts a list item.
func isListStart(t string) bool {
	if len(t) >= 2 && (t[0] == '-' || t[0] == '*' || t[0] == '+') && t[1] == ' ' {
		return true
	}
	i := 0
	for i < len(t) && i < 3 && t[i] >= '0' && t[i] <= '9' {
		i++
	}
	return i > 0 && i+1 < len(t) && (t[i] == '.' || t[i] == ')') && t[i+1] == ' '
}

// isImageLine reports whether a Markdown line is only an image.
func isImageLine(t string) bool {
	return strings.HasPrefix(t, "![") && strings.HasSuffix(t, ")") || strings.HasPrefix(t, "<img") || strings.HasPrefix(t, "<!--") && strings.HasSuffix(t, "-->")
}

var (
	linkRE     = regexp.MustCompile(`!?\[([^\]\n]{0,300})\]\([^)\s]{0,500}\)`)
	htmlTagRE  = regexp.MustCompile(`</?(?:sup|sub|span|em|strong|b|i|br|div|a)\b[^>]{0,200}>`)
	emphasisRE = strings.NewReplacer("**", "", "__", "", "`", "")
)

// inlineText turns a line or paragraph of Markdown into plain text with
// its inline math kept: emphasis markers, code ticks, links and simple
// HTML tags are removed, list and quote markers dropped.
func inlineText(s string) string {
	s = strings.TrimSpace(s)
	s = strings.TrimLeft(s, "> ")
	if isListStart(s) {
		if s[0] == '-' || s[0] == '*' || s[0] == '+' {
			s = s[2:]
		}
	}
	if strings.ContainsAny(s, "*_`") {
		s = emphasisRE.Replace(s)
	}
	if strings.Contains(s, "](") {
		s = linkRE.ReplaceAllString(s, "$1")
	}
	if strings.Contains(s, "<") {
		s = htmlTagRE.ReplaceAllString(s, "")
	}
	return collapseSpace(s)
}

// collapseSpace replaces runs of white space with one space and trims.
func collapseSpace(s string) string {
	if !needsCollapse(s) {
		return s
	}
	return strings.Join(strings.Fields(s), " ")
}

func needsCollapse(s string) bool {
	if s == "" {
		return false
	}
	if s[0] == ' ' || s[len(s)-1] == ' ' {
		return true
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c == '\t' || c == '\n' || c == '\r' || c == '\v' || c == '\f' || c == ' ' && i+1 < len(s) && s[i+1] == ' ' || c >= 0x80 {
			return true
		}
	}
	return false
}

// lastSentence returns the last sentence of s (of its last 4000 bytes).
func lastSentence(s string) string {
	s = strings.TrimSpace(s)
	if len(s) > 4000 {
		cut := len(s) - 4000
		for cut < len(s) && !utf8.RuneStart(s[cut]) {
			cut++
		}
		s = s[cut:]
	}
	return clip(s[sentence.LastStart(s):])
}

// firstSentence returns the first sentence of s (looked for in its first
// 4000 bytes).
func firstSentence(s string) string {
	s = strings.TrimSpace(s)
	head := s
	if len(head) > 4001 {
		head = head[:4001]
	}
	if e := sentence.FirstEnd(head); e < len(head) {
		return clip(s[:e])
	}
	return clip(s)
}

// clip cuts s to about 600 bytes.
func clip(s string) string {
	s = strings.TrimLeft(strings.TrimSpace(s), ".,;: ")
	if len(s) > 600 {
		cut := 600
		for cut > 0 && !utf8.RuneStart(s[cut]) {
			cut--
		}
		s = s[:cut] + "…"
	}
	return s
}

var (
	starEmphRE  = regexp.MustCompile(`\*([^*\s][^*]{0,300})\*`)
	underEmphRE = regexp.MustCompile(`(^|\s)_([^_\s][^_]{0,300})_`)
)

// stripEmphasis removes *single* and _single_ emphasis markers, for text
// without math such as references.
func stripEmphasis(s string) string {
	if strings.Contains(s, "*") {
		s = starEmphRE.ReplaceAllString(s, "$1")
	}
	if strings.Contains(s, "_") {
		s = underEmphRE.ReplaceAllString(s, "$1$2")
	}
	return s
}

// dottedNumber reports whether s is a section number: "3", "3.2", "12.1.4"
// (one or two digits per part, at most four parts) or, with letter, the
// same with a capital letter first: "A", "A.1".
func dottedNumber(s string, letter bool) bool {
	parts := strings.Split(s, ".")
	if len(parts) > 4 {
		return false
	}
	for i, p := range parts {
		if i == 0 && letter {
			if len(p) != 1 || p[0] < 'A' || p[0] > 'Z' {
				return false
			}
			continue
		}
		if len(p) == 0 || len(p) > 2 {
			return false
		}
		for j := 0; j < len(p); j++ {
			if p[j] < '0' || p[j] > '9' {
				return false
			}
		}
	}
	return true
}
