package pdfdoc

import (
	"math"
	"regexp"
	"sort"
	"strings"
	"unicode"

	"github.com/reprohq/repro/internal/pdf/layout"
)

// abstractRE matches the abstract's heading, alone or run in with the text
// ("Abstract—We ...", "Abstract. We ...").
var abstractRE = regexp.MustCompile(`^(?:Abstract|ABSTRACT|A\s?B\s?S\s?T\s?R\s?A\s?C\s?T)\s*(?:[.:—–-]\s*)?(.*)$`)

// frontStopRE matches lines that end the abstract.
var frontStopRE = regexp.MustCompile(`^(?:Keywords|KEYWORDS|Key words|Index Terms|CCS Concepts|ACM Reference Format|1\.?\s+Introduction|1\.?\s+INTRODUCTION|I\.\s+INTRODUCTION|Introduction$|INTRODUCTION$)`)

// affiliationWords start the words that mark a line of the author block
// as an affiliation, an address or a note rather than names.
var affiliationWords = []string{
	"universit", "institut", "department", "dept", "laborator", "lab", "labs", "school", "college",
	"center", "centre", "research", "inc", "ltd", "corporation", "company", "google", "deepmind", "openai",
	"microsoft", "facebook", "amazon", "nvidia", "ibm", "brain", "faculty", "hospital", "academy",
	"technolog", "polytechn", "equal", "correspond", "address", "street", "avenue", "road",
	"usa", "u.s.a", "germany", "france", "canada", "china", "japan", "italy", "switzerland",
	"uk", "netherlands", "israel", "korea", "india", "australia", "spain", "sweden", "austria", "singapore",
	"proceedings", "conference", "copyright", "preprint", "submitted", "workshop", "anonymous",
	"email", "e-mail", "contribution", "foundation", "ai2", "ecole", "école", "eth", "mit", "epfl", "csail",
	"berkeley", "stanford", "oxford", "cambridge", "toronto", "montreal", "mila", "vector", "paris",
	"london", "york", "seattle", "california", "massachusetts", "inria", "cnrs", "max", "sciences",
	"engineering", "computer", "computing", "science", "update", "version", "draft", "kingdom", "united",
}

// isAffiliation reports whether a line of the author block is an
// affiliation, an address, an e-mail or a note.
func isAffiliation(text string) bool {
	low := strings.ToLower(text)
	if strings.ContainsAny(low, "@{}") || strings.Contains(low, "http") || strings.Contains(low, "www.") {
		return true
	}
	for _, w := range strings.FieldsFunc(low, func(r rune) bool { return !unicode.IsLetter(r) && r != '.' && r != '-' }) {
		for _, a := range affiliationWords {
			if strings.HasPrefix(w, a) && (len(a) > 3 || len(w) <= len(a)+1) {
				return true
			}
		}
	}
	return false
}

// front reads the title, the authors and the abstract from the first page.
func (p *paper) front() {
	p.arxivID()
	if p.L == nil || len(p.Lines) == 0 {
		p.frontMetaTitle()
		return
	}
	g := p.geometry()
	// the front matter is on the first page, or on the second when the
	// first has no title or abstract (a cover page)
	first := p.Lines[0].Page
	pg1 := p.pageLines(first)
	absHead, absText := p.findAbstract(pg1)
	if absHead < 0 && !p.hasTitleSize(g, pg1) {
		if pg2 := p.pageLines(first + 1); len(pg2) > 0 {
			if h, t := p.findAbstract(pg2); h >= 0 || p.hasTitleSize(g, pg2) {
				pg1, absHead, absText = pg2, h, t
			}
		}
	}
	// title: the largest text above the abstract, in the top part of the page
	limitY := math.Inf(1)
	if absHead >= 0 {
		limitY = p.Lines[absHead].Y0
	}
	maxSize := 0.0
	for _, i := range pg1 {
		l := &p.Lines[i]
		if l.Y1 > limitY || !hasLetters(l.Text, 2) {
			continue
		}
		if h := p.pageHeight(l.Page); h > 0 && l.Y0 > 0.6*h {
			continue
		}
		maxSize = math.Max(maxSize, l.Size)
	}
	var title []int
	if maxSize >= g.body+1.2 {
		var cand []int
		for _, i := range pg1 {
			l := &p.Lines[i]
			if math.Abs(l.Size-maxSize) < 0.6 && l.Y1 <= limitY && hasLetters(l.Text, 1) {
				cand = append(cand, i)
			}
		}
		sort.SliceStable(cand, func(a, b int) bool { return p.Lines[cand[a]].Y0 < p.Lines[cand[b]].Y0 })
		for k, i := range cand {
			if k > 0 {
				prev := &p.Lines[cand[k-1]]
				if p.Lines[i].Y0-prev.Y1 > 1.2*maxSize {
					break
				}
			}
			title = append(title, i)
		}
	}
	if len(title) > 0 {
		parts := []string{}
		for _, i := range title {
			l := &p.Lines[i]
			t := l.Text
			if mostlyUpper(t) && len(l.Chars) > 0 {
				// letter-spaced capitals: spaces from the gaps alone
				t = layout.CharsText(l.Chars, nil)
			}
			parts = append(parts, t)
			p.Used[i] = true
		}
		p.D.Title = cleanTitle(joinTitle(parts, p.txtVocab()))
	}
	if !sensibleTitle(p.D.Title) || mostlyUpper(p.D.Title) {
		// small capitals come out with odd spaces: the information
		// dictionary's title is better when it says the same
		mt := strings.TrimSpace(p.L.Meta.Title)
		if p.D.Title == "" || sensibleTitle(mt) && sameWords(mt, p.D.Title) {
			p.D.Title = ""
			p.frontMetaTitle()
		}
		if !sensibleTitle(p.D.Title) {
			p.D.Title = ""
			p.frontMetaTitle()
		}
	}
	// authors: between the title and the abstract
	top := 0.0
	if len(title) > 0 {
		for _, i := range title {
			top = math.Max(top, p.Lines[i].Y1)
		}
	}
	bottom := limitY
	if absHead < 0 {
		bottom = p.firstProseY(g, pg1, top)
	}
	if len(title) > 0 || absHead >= 0 {
		p.D.Authors = p.authorNames(g, pg1, top, bottom, absHead >= 0)
	}
	if absText == "" && absHead < 0 {
		// a cover page: the abstract opens the next page
		if _, t := p.findAbstract(p.pageLines(first + 1)); t != "" {
			absText = t
		}
	}
	if absText != "" {
		p.D.Abstract = absText
	}
	p.keywords(pg1)
}

// keywordsRE matches a keywords line: "Keywords: a, b", "Index Terms—a, b".
var keywordsRE = regexp.MustCompile(`^(?:Keywords|KEYWORDS|Key words|Keywords and phrases|Index Terms|INDEX TERMS)\s*[:.—–-]?\s*(.*)$`)

// keywords reads the paper's keywords from the first page, when it lists
// them, into d.Keywords; the line and its continuation are marked used.
func (p *paper) keywords(pg1 []int) {
	for k, i := range pg1 {
		m := keywordsRE.FindStringSubmatch(strings.TrimSpace(p.Lines[i].Text))
		if m == nil {
			continue
		}
		parts := []string{m[1]}
		p.Used[i] = true
		prev := &p.Lines[i]
		for _, j := range pg1[k+1:] {
			q := &p.Lines[j]
			if (j < len(p.Heading) && p.Heading[j]) || q.Baseline-prev.Baseline > 1.5*q.Size || math.Abs(q.Size-prev.Size) > 0.5 || frontStopRE.MatchString(strings.TrimSpace(q.Text)) || len(parts) >= 4 {
				break
			}
			parts = append(parts, q.Text)
			p.Used[j] = true
			prev = q
		}
		text := strings.TrimRight(joinLineTexts(parts), ". ")
		sep := ","
		if !strings.Contains(text, ",") && strings.Contains(text, ";") {
			sep = ";"
		} else if !strings.Contains(text, ",") && strings.Contains(text, "·") {
			sep = "·"
		}
		for _, w := range strings.Split(text, sep) {
			if w = strings.TrimSpace(w); w != "" && len(w) < 80 {
				p.D.Keywords = append(p.D.Keywords, w)
			}
		}
		return
	}
}

// pageLines returns the indices of page n's lines.
func (p *paper) pageLines(n int) []int {
	var out []int
	for i := range p.Lines {
		if p.Lines[i].Page == n {
			out = append(out, i)
		}
	}
	return out
}

// hasTitleSize reports whether the lines include text well above the body
// size in the page's top part.
func (p *paper) hasTitleSize(g *pageGeom, lines []int) bool {
	for _, i := range lines {
		l := &p.Lines[i]
		if l.Size >= g.body+1.2 && hasLetters(l.Text, 4) {
			if h := p.pageHeight(l.Page); h == 0 || l.Y0 < 0.5*h {
				return true
			}
		}
	}
	return false
}

// mostlyUpper reports whether most of the letters of s are capitals.
func mostlyUpper(s string) bool {
	up, n := 0, 0
	for _, r := range s {
		if unicode.IsLetter(r) {
			n++
			if unicode.IsUpper(r) {
				up++
			}
		}
	}
	return n > 0 && up*10 >= n*7
}

// sameWords reports whether two titles share most of their words, ignoring
// case and spacing.
func sameWords(a, b string) bool {
	squash := func(s string) string {
		var sb strings.Builder
		for _, r := range strings.ToLower(s) {
			if unicode.IsLetter(r) || unicode.IsDigit(r) {
				sb.WriteRune(r)
			}
		}
		return sb.String()
	}
	return squash(a) == squash(b) || strings.Contains(squash(b), squash(a)) && len(squash(a)) > len(squash(b))/2
}

// frontMetaTitle uses the document information's title when it is sensible.
func (p *paper) frontMetaTitle() {
	if p.L == nil || p.D.Title != "" {
		return
	}
	if t := strings.TrimSpace(p.L.Meta.Title); sensibleTitle(t) {
		p.D.Title = t
	}
}

func (p *paper) pageHeight(n int) float64 {
	for _, pg := range p.L.Pages {
		if pg.Number == n {
			return pg.Height
		}
	}
	return 0
}

// sensibleTitle rules out empty and placeholder titles.
func sensibleTitle(t string) bool {
	low := strings.ToLower(strings.TrimSpace(t))
	if len(low) < 6 || !strings.Contains(low, " ") || !hasLetters(low, 5) {
		return false
	}
	for _, bad := range []string{".tex", ".dvi", ".pdf", ".doc", "untitled", "microsoft word", "proceedings of", "arxiv:"} {
		if strings.Contains(low, bad) {
			return false
		}
	}
	return true
}

// cleanTitle drops footnote marks at the end of a title.
func cleanTitle(t string) string {
	t = strings.TrimRightFunc(t, func(r rune) bool {
		return r == '*' || r == '∗' || r == '†' || r == '‡' || r == '§' || unicode.IsDigit(r) || unicode.IsSpace(r)
	})
	return t
}

func hasLetters(s string, n int) bool {
	c := 0
	for _, r := range s {
		if unicode.IsLetter(r) {
			c++
			if c >= n {
				return true
			}
		}
	}
	return false
}

// findAbstract returns the index of the abstract's heading line (-1 when
// there is none) and the abstract's text.
func (p *paper) findAbstract(pg1 []int) (int, string) {
	g := p.geometry()
	for k, i := range pg1 {
		l := &p.Lines[i]
		m := abstractRE.FindStringSubmatch(strings.TrimSpace(l.Text))
		if m == nil {
			continue
		}
		// a lone "Abstract" heading, or a run-in one in a distinct font
		if m[1] != "" && !l.Bold && !boldPrefix(l, 8) && !strings.ContainsAny(l.Text[:min(len(l.Text), 10)], "—.:") {
			continue
		}
		p.Used[i] = true
		parts := []string{}
		if m[1] != "" {
			parts = append(parts, m[1])
		}
		size := 0.0
		prev := l
		for _, j := range pg1[k+1:] {
			q := &p.Lines[j]
			if (j < len(p.Heading) && p.Heading[j]) || frontStopRE.MatchString(strings.TrimSpace(q.Text)) {
				break
			}
			if size == 0 {
				size = q.Size
			} else if math.Abs(q.Size-size) > 0.8 {
				break
			}
			if q.Column == prev.Column && q.Y0-prev.Y1 > 1.6*math.Max(q.Size, 6) && len(parts) > 0 {
				break
			}
			if q.Size < g.body-2.5 {
				break
			}
			parts = append(parts, q.Text)
			p.Used[j] = true
			prev = q
		}
		return i, joinLineTexts(parts)
	}
	return -1, ""
}

// firstProseY returns the top of the first paragraph of body text below y
// on the first page, or +Inf.
func (p *paper) firstProseY(g *pageGeom, pg1 []int, y float64) float64 {
	best := math.Inf(1)
	for _, i := range pg1 {
		l := &p.Lines[i]
		if l.Y0 > y && (p.bodyLine(g, i) && i+2 < len(p.Lines) && p.bodyLine(g, i+1) && p.bodyLine(g, i+2) || (i < len(p.Heading) && p.Heading[i])) {
			best = math.Min(best, l.Y0)
		}
	}
	return best
}

// authorNames reads the author names from the first page's lines between
// y0 and y1.
func (p *paper) authorNames(g *pageGeom, pg1 []int, y0, y1 float64, markAll bool) []string {
	// the author block ends at the first float caption below the title (a
	// float at the top of a column beside the abstract)
	for _, i := range pg1 {
		l := &p.Lines[i]
		if l.Y0 < y0-1 || l.Y0 >= y1 {
			continue
		}
		t := strings.TrimSpace(l.Text)
		if _, _, _, _, _, ok := captionLabel(t); ok {
			y1 = l.Y0
		} else if _, _, ok := labelLine(t); ok {
			y1 = l.Y0
		}
	}
	var lines []int
	anyBold := false
	for _, i := range pg1 {
		l := &p.Lines[i]
		if l.Y0 < y0-1 || l.Y1 > y1+1 || p.Used[i] || l.Size < g.body-0.6 {
			continue
		}
		lines = append(lines, i)
		if l.Bold {
			anyBold = true
		}
	}
	names := []string{}
	seen := map[string]bool{}
	for _, i := range lines {
		l := &p.Lines[i]
		// the author block above an abstract heading is front matter, not
		// prose: names, affiliations and addresses alike
		if markAll {
			p.Used[i] = true
		}
		if anyBold && !l.Bold {
			continue
		}
		if isAffiliation(l.Text) {
			continue
		}
		found := splitNames(nameText(l))
		for _, n := range found {
			if !seen[n] {
				seen[n] = true
				names = append(names, n)
			}
		}
		if len(found) > 0 {
			p.Used[i] = true
		}
	}
	return names
}

// nameText returns a line's text with superscripts and footnote marks
// replaced by a separator.
func nameText(l *layout.Line) string {
	if len(l.Chars) == 0 {
		return l.Text
	}
	var b strings.Builder
	start := 0
	flush := func(end int) {
		if end > start {
			b.WriteString(layout.CharsText(l.Chars[start:end], nil))
		}
	}
	for k := range l.Chars {
		c := &l.Chars[k]
		sup := c.Size > 0 && c.Size < 0.8*l.Size || c.OY < l.Baseline-0.25*l.Size
		mark := strings.ContainsRune("*∗†‡§¶⋆♯♭♮★☆", c.R) || unicode.IsDigit(c.R)
		wide := k > start && (c.X0-l.Chars[k-1].X1 > 1.5*l.Size || spanStart(l, k))
		if sup || mark || wide {
			flush(k)
			b.WriteByte('|')
			start = k + 1
			if wide && !sup && !mark {
				start = k
			}
		}
	}
	flush(len(l.Chars))
	return b.String()
}

// spanStart reports whether character k starts a span other than the first.
func spanStart(l *layout.Line, k int) bool {
	for _, s := range l.Spans[min(1, len(l.Spans)):] {
		if s.First == k {
			return true
		}
	}
	return false
}

// splitNames splits a line of author names at commas, "and", "&" and
// separators, keeping what looks like a name.
func splitNames(s string) []string {
	s = strings.NewReplacer(" and ", "|", " AND ", "|", "&", "|", ",", "|", "·", "|", ";", "|", "  ", "|").Replace(" " + s + " ")
	var out []string
	for _, part := range strings.Split(s, "|") {
		n := strings.Join(strings.Fields(part), " ")
		n = strings.TrimSuffix(strings.TrimPrefix(n, "and "), " and")
		if looksLikeName(n) {
			out = append(out, n)
		}
	}
	return out
}

// looksLikeName reports whether s can be a person's name: two to six words
// of letters, each capitalised (particles aside).
func looksLikeName(s string) bool {
	f := strings.Fields(s)
	if len(f) < 2 || len(f) > 6 || len(s) > 60 {
		return false
	}
	for _, w := range f {
		r := firstRune(w)
		if !unicode.IsLetter(r) {
			return false
		}
		if !unicode.IsUpper(r) {
			switch w {
			case "van", "von", "der", "den", "de", "da", "di", "du", "la", "le", "del", "dos", "bin", "al":
				continue
			}
			return false
		}
		for _, c := range w {
			if !unicode.IsLetter(c) && c != '.' && c != '-' && c != '\'' && c != '’' {
				return false
			}
		}
	}
	return true
}

// joinTitle joins a title's lines. A line that ends in a hyphen before a
// capitalised continuation (small capitals: "GRA-" / "DIENT") is a word
// broken by TeX when the whole word is one the paper uses; other lines are
// joined as captions are.
func joinTitle(parts []string, vocab map[string]int) string {
	var out []string
	for _, s := range parts {
		s = strings.TrimSpace(s)
		if n := len(out); n > 0 && s != "" {
			prev := out[n-1]
			if strings.HasSuffix(prev, "-") {
				left := lastTitleWord(strings.TrimSuffix(prev, "-"))
				right := firstTitleWord(s)
				if left != "" && right != "" && vocab[strings.ToLower(left+right)] > 0 {
					out[n-1] = strings.TrimSuffix(prev, "-") + s
					continue
				}
			}
		}
		out = append(out, s)
	}
	return joinLineTexts(out)
}

// lastTitleWord is the run of letters at the end of s.
func lastTitleWord(s string) string {
	i := strings.LastIndexFunc(s, func(r rune) bool { return !unicode.IsLetter(r) })
	return s[i+1:]
}

// firstTitleWord is the run of letters at the start of s.
func firstTitleWord(s string) string {
	if i := strings.IndexFunc(s, func(r rune) bool { return !unicode.IsLetter(r) }); i >= 0 {
		return s[:i]
	}
	return s
}
