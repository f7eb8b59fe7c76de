package pdfdoc

import (
	"math"
	"regexp"
	"sort"
	"strconv"
	"strings"

	"github.com/reprohq/repro/doc"
	"github.com/reprohq/repro/internal/bib"
	"github.com/reprohq/repro/internal/pdf"
)

// refHeadRE matches a bibliography heading, numbered or not.
var refHeadRE = regexp.MustCompile(`^(?:(?:\d{1,2}|[A-Z]|[IVX]{1,4})\.?\s+)?(References|REFERENCES|Reference|Bibliography|BIBLIOGRAPHY|Literature Cited|LITERATURE CITED|Works Cited|References and Notes|R\s?E\s?F\s?E\s?R\s?E\s?N\s?C\s?E\s?S)\s*$`)

// appendixHeadRE matches the first line of an appendix or supplement.
var appendixHeadRE = regexp.MustCompile(`^(?:[A-Z]\.?\s+)?(Appendix|APPENDIX|Appendices|APPENDICES|Supplementary|SUPPLEMENTARY|Supplemental|SUPPLEMENTAL|Checklist|NeurIPS Paper Checklist)\b`)

// Entry label patterns: "[12]", "[Smi20]", "12."
var (
	refBracketRE = regexp.MustCompile(`^\[([^\[\]]{1,24})\]`)
	refNumDotRE  = regexp.MustCompile(`^(\d{1,3})\.\s`)
)

// refRunningRE matches a running head or page number inside the
// bibliography: "REFERENCES 46", "12 Bibliography", "46".
var refRunningRE = regexp.MustCompile(`^(?:\d{1,4}\s+)?(?:References|REFERENCES|Bibliography|BIBLIOGRAPHY)?(?:\s+\d{1,4})?$`)

// refEntry is one bibliography entry as lines.
type refEntry struct {
	lines []int
	key   string
}

// references finds the bibliography, splits it into entries and parses
// them, and counts the citation links that point at each.
func (p *paper) references() {
	p.RefStart, p.RefEnd = -1, -1
	if len(p.Lines) == 0 {
		return
	}
	g := p.geometry()
	heads := p.refHeadings(g)
	dests := p.citeDests()
	headless := false
	if len(heads) == 0 {
		// no heading (an image, an unusual word): start at the first
		// entry the anchors or a "[1]" label mark
		s := p.refStartWithoutHeading(g, dests)
		if s < 0 {
			return
		}
		heads, headless = []int{s - 1}, true
	}
	var all []refEntry
	for k, h := range heads {
		limit := len(p.Lines)
		if k+1 < len(heads) {
			limit = heads[k+1]
		}
		end := p.refEnd(g, h+1, limit)
		if !headless {
			p.Used[h] = true
		}
		if k == 0 {
			// the range of the first bibliography; the lines of any other
			// (a supplement's) are marked used all the same
			p.RefStart, p.RefEnd = h+1, end
		}
		// floats placed among the references keep their captions
		skip := map[int]bool{}
		for i := h + 1; i < end; i++ {
			if skip[i] {
				continue
			}
			starts := capStarts(&p.Lines[i])
			if c, ok := p.captionAt(g, i, starts[0], starts); ok && c.strong == 2 {
				for _, j := range c.lines {
					skip[j] = true
				}
			}
		}
		for i := h + 1; i < end; i++ {
			if !skip[i] {
				p.Used[i] = true
			}
		}
		all = append(all, p.splitRefs(g, h+1, end, dests, skip)...)
	}
	refs := make([]doc.Reference, 0, len(all))
	index := map[string]int{}
	for n, e := range all {
		parts := make([]string, 0, len(e.lines))
		for _, i := range e.lines {
			parts = append(parts, p.Lines[i].Text)
		}
		text := joinLineTexts(parts)
		label, r := bib.ParsePlainLabel(text)
		if r.Authors == nil {
			r.Authors = []string{}
		}
		if r.CitedIn == nil {
			r.CitedIn = []string{}
		}
		switch {
		case e.key != "":
			r.Key = e.key
		case label != "" && !strings.ContainsAny(label, " ,"):
			r.Key = label
		default:
			r.Key = "ref" + strconv.Itoa(n+1)
		}
		if _, dup := index[r.Key]; dup {
			r.Key += "-" + strconv.Itoa(n+1)
		}
		index[r.Key] = len(refs)
		refs = append(refs, r)
	}
	p.countCitations(refs, index)
	p.countNumberedCitations(refs, index)
	p.D.References = append(p.D.References, refs...)
}

// refStartWithoutHeading returns the first line of a bibliography that has
// no heading, or -1: the first line a cite anchor marks, or a "[1]" line
// followed by "[2]" and "[3]" in the second half of the paper.
func (p *paper) refStartWithoutHeading(g *pageGeom, dests []citeDest) int {
	half := len(p.Lines) / 2
	if len(dests) >= 3 {
		idx := make([]int, 0, len(p.Lines)-half)
		for i := half; i < len(p.Lines); i++ {
			idx = append(idx, i)
		}
		starts := p.refStartsByDest(g, idx, dests)
		if len(starts)*10 >= len(dests)*6 {
			first := len(p.Lines)
			for i := range starts {
				first = min(first, i)
			}
			return first
		}
	}
	for i := half; i < len(p.Lines); i++ {
		if !strings.HasPrefix(strings.TrimSpace(p.Lines[i].Text), "[1]") {
			continue
		}
		seen2, seen3 := false, false
		for j := i + 1; j < len(p.Lines) && j < i+15; j++ {
			t := strings.TrimSpace(p.Lines[j].Text)
			seen2 = seen2 || strings.HasPrefix(t, "[2]")
			seen3 = seen3 || strings.HasPrefix(t, "[3]")
		}
		if seen2 && seen3 {
			return i
		}
	}
	return -1
}

// refHeadings returns the indices of the lines that head a bibliography.
func (p *paper) refHeadings(g *pageGeom) []int {
	var out []int
	for i := range p.Lines {
		l := &p.Lines[i]
		t := strings.TrimSpace(l.Text)
		if len(t) > 40 || !refHeadRE.MatchString(t) {
			continue
		}
		heading := i < len(p.Heading) && p.Heading[i]
		if !heading && !l.Bold && l.Size < g.body+0.5 && !isUpperWord(t) {
			continue
		}
		out = append(out, i)
	}
	return out
}

func isUpperWord(s string) bool {
	return s == strings.ToUpper(s)
}

// refEnd returns the index after the last line of the bibliography that
// starts at line s.
func (p *paper) refEnd(g *pageGeom, s, limit int) int {
	for j := s; j < limit; j++ {
		l := &p.Lines[j]
		t := strings.TrimSpace(l.Text)
		if j < len(p.Heading) && p.Heading[j] && j > s {
			return j
		}
		if appendixHeadRE.MatchString(t) && (l.Bold || l.Size > g.body+0.5) {
			return j
		}
		if l.Size > g.body+1.8 && len(t) < 120 {
			return j
		}
		if l.Bold && l.Size >= g.body-0.3 && appendixNumRE.MatchString(t) && !refBracketRE.MatchString(t) {
			return j
		}
	}
	return limit
}

// appendixNumRE matches a lettered appendix section heading ("A Proofs",
// "B.1 Setup").
var appendixNumRE = regexp.MustCompile(`^[A-H](?:\.\d{1,2})*\.?\s+[A-Z][a-z]`)

// citeDest is a bibliography anchor: the key and where it is.
type citeDest struct {
	key  string
	page int
	x, y float64
}

// citeDests returns hyperref's cite.KEY destinations.
func (p *paper) citeDests() []citeDest {
	var out []citeDest
	seen := map[string]bool{}
	if p.L == nil {
		return nil
	}
	for _, d := range p.L.Dests {
		key, ok := citeKey(d.Name)
		if !ok || d.Page <= 0 || !d.HasXY || seen[key] {
			continue
		}
		seen[key] = true
		out = append(out, citeDest{key: key, page: d.Page, x: d.X, y: d.Y})
	}
	return out
}

// citeKey returns the BibTeX key of a "cite.KEY" destination name
// (biblatex writes "cite.0@KEY").
func citeKey(name string) (string, bool) {
	key, ok := strings.CutPrefix(name, "cite.")
	if !ok || key == "" {
		return "", false
	}
	if i := strings.IndexByte(key, '@'); i > 0 && strings.Trim(key[:i], "0123456789") == "" {
		key = key[i+1:]
	}
	return key, key != ""
}

// splitRefs splits lines [s, e) into entries: by the cite destinations
// when they mark the entries, else by labels, hanging indents or gaps.
func (p *paper) splitRefs(g *pageGeom, s, e int, dests []citeDest, skip map[int]bool) []refEntry {
	var idx, sizes []float64
	for i := s; i < e; i++ {
		if strings.TrimSpace(p.Lines[i].Text) != "" && !skip[i] {
			sizes = append(sizes, p.Lines[i].Size)
		}
	}
	size := median(sizes)
	_ = idx
	var lines []int
	for i := s; i < e; i++ {
		l := &p.Lines[i]
		if strings.TrimSpace(l.Text) == "" || skip[i] {
			continue
		}
		// running heads and page numbers the layout left in
		if refRunningRE.MatchString(strings.TrimSpace(l.Text)) {
			continue
		}
		// footnotes at the foot of a column are smaller than the entries
		if h := p.pageHeight(l.Page); l.Size < size-0.7 && h > 0 && l.Y0 > 0.7*h {
			continue
		}
		lines = append(lines, i)
	}
	if len(lines) == 0 {
		return nil
	}
	return p.splitRefLines(g, lines, dests)
}

// splitRefLines splits the bibliography's lines into entries.
func (p *paper) splitRefLines(g *pageGeom, idx []int, dests []citeDest) []refEntry {
	starts := p.refStartsByDest(g, idx, dests)
	byDest := len(starts) > 0 && len(starts)*10 >= len(dests)*6
	if !byDest {
		starts = p.refStarts(g, idx)
	}
	var out []refEntry
	for k, i := range idx {
		key, isStart := starts[i]
		if isStart || len(out) == 0 {
			if !isStart && byDest {
				continue // text before the first anchor
			}
			out = append(out, refEntry{key: key})
		}
		_ = k
		out[len(out)-1].lines = append(out[len(out)-1].lines, i)
	}
	return out
}

// refStartsByDest maps cite destinations to the lines they mark: on the
// destination's page and column, the first line at or below its y.
func (p *paper) refStartsByDest(g *pageGeom, idx []int, dests []citeDest) map[int]string {
	if len(dests) == 0 {
		return nil
	}
	byPage := map[int][]int{}
	for _, i := range idx {
		byPage[p.Lines[i].Page] = append(byPage[p.Lines[i].Page], i)
	}
	// the entry starts the layout suggests break ties between lines side
	// by side, as does the key's likeness to the first word
	heur := p.refStarts(g, idx)
	type cand struct {
		i     int
		dy    float64
		start bool
		key   int
	}
	cands := make([][]cand, len(dests))
	var offs []float64
	for k, d := range dests {
		minDy := math.Inf(1)
		for _, i := range byPage[d.page] {
			l := &p.Lines[i]
			if d.x > 0 && (d.x < l.X0-30 || d.x > l.X1+5) {
				continue
			}
			dy := l.Baseline - d.y
			if dy < -2 || dy > 3*math.Max(l.Size, 6) {
				continue
			}
			_, st := heur[i]
			kp := keyPrefix(d.key, p.Lines[i].Text)
			if kp < 3 {
				kp = 0
			}
			cands[k] = append(cands[k], cand{i, dy, st, kp})
			if st {
				minDy = math.Min(minDy, dy)
			}
		}
		if !math.IsInf(minDy, 1) {
			offs = append(offs, minDy)
		}
	}
	off := median(offs)
	starts := map[int]string{}
	for k, d := range dests {
		best := -1
		better := func(a, b cand) bool {
			if a.start != b.start {
				return a.start
			}
			if a.key != b.key {
				return a.key > b.key
			}
			return math.Abs(a.dy-off) < math.Abs(b.dy-off)
		}
		for c, x := range cands[k] {
			if _, taken := starts[x.i]; taken {
				continue
			}
			if best < 0 || better(x, cands[k][best]) {
				best = c
			}
		}
		if best >= 0 {
			starts[cands[k][best].i] = d.key
		}
	}
	return starts
}

// keyPrefix returns the length of the common prefix of a citation key and
// the letters of a line's first word, case folded.
func keyPrefix(key, text string) int {
	key = strings.ToLower(key)
	var w []rune
	for _, r := range strings.ToLower(text) {
		if r >= 'a' && r <= 'z' {
			w = append(w, r)
			continue
		}
		if r == '-' || r == '\'' || r == '[' || r == ']' || r >= '0' && r <= '9' {
			continue
		}
		if len(w) > 0 {
			break
		}
	}
	n := 0
	for n < len(key) && n < len(w) && rune(key[n]) == w[n] {
		n++
	}
	return n
}

// refStarts finds where entries start without anchors: numbered labels,
// a hanging indent, or the gaps between entries.
func (p *paper) refStarts(g *pageGeom, idx []int) map[int]string {
	starts := map[int]string{}
	// numbered labels: "[12]" or "12.", checked for order
	nb, nd := 0, 0
	for _, i := range idx {
		t := strings.TrimSpace(p.Lines[i].Text)
		if refBracketRE.MatchString(t) {
			nb++
		}
		if refNumDotRE.MatchString(t) {
			nd++
		}
	}
	if nb >= 2 && nb*5 >= len(idx) {
		for _, i := range idx {
			if refBracketRE.MatchString(strings.TrimSpace(p.Lines[i].Text)) {
				starts[i] = ""
			}
		}
		return starts
	}
	if nd >= 2 && nd*5 >= len(idx) {
		next := 1
		for _, i := range idx {
			m := refNumDotRE.FindStringSubmatch(strings.TrimSpace(p.Lines[i].Text))
			if m == nil {
				continue
			}
			if n, _ := strconv.Atoi(m[1]); n == next || (next == 1 && n <= 3) {
				starts[i] = ""
				next = n + 1
			}
		}
		if len(starts) >= 2 {
			return starts
		}
		starts = map[int]string{}
	}
	// hanging indent: entries start at the column's left edge, their
	// other lines are indented
	type seg struct{ page, col int }
	left := map[seg]float64{}
	for _, i := range idx {
		l := &p.Lines[i]
		k := seg{l.Page, l.Column}
		if v, ok := left[k]; !ok || l.X0 < v {
			left[k] = l.X0
		}
	}
	var offs []float64
	for _, i := range idx {
		l := &p.Lines[i]
		if d := l.X0 - left[seg{l.Page, l.Column}]; d > 1.5 && d < 40 {
			offs = append(offs, d)
		}
	}
	indent := median(offs)
	// a column holding only the continuation of an entry: its lines sit
	// one indent right of where the other columns' entries start
	starts0 := map[int]float64{}
	for k, v := range left {
		if c, ok := starts0[k.col]; !ok || v < c {
			starts0[k.col] = v
		}
	}
	for k, v := range left {
		if d := v - starts0[k.col]; indent > 2 && math.Abs(d-indent) < 1.5 {
			left[k] = starts0[k.col]
		}
	}
	if len(offs)*8 >= len(idx) && indent > 2 {
		for _, i := range idx {
			l := &p.Lines[i]
			if l.X0-left[seg{l.Page, l.Column}] < indent/2 {
				starts[i] = ""
			}
		}
		return starts
	}
	// gaps: an entry starts after a vertical gap larger than the leading
	// inside entries
	var leads []float64
	for k := 1; k < len(idx); k++ {
		a, b := &p.Lines[idx[k-1]], &p.Lines[idx[k]]
		if a.Page == b.Page && a.Column == b.Column {
			if d := b.Baseline - a.Baseline; d > 0 {
				leads = append(leads, d)
			}
		}
	}
	sort.Float64s(leads)
	inner := quantile(leads, 0.25)
	starts[idx[0]] = ""
	for k := 1; k < len(idx); k++ {
		a, b := &p.Lines[idx[k-1]], &p.Lines[idx[k]]
		if a.Page != b.Page || a.Column != b.Column {
			if entryEnds(a.Text) && refAuthorStartRE.MatchString(b.Text) {
				starts[idx[k]] = ""
			}
			continue
		}
		if b.Baseline-a.Baseline > inner+1.5 || entryEnds(a.Text) && refAuthorStartRE.MatchString(b.Text) {
			starts[idx[k]] = ""
		}
	}
	return starts
}

// refAuthorStartRE matches the start of an entry in author-first styles:
// "Smith, J.", "J. Smith", "van der Berg, A.".
var refAuthorStartRE = regexp.MustCompile(`^(?:(?:van|von|de|der|den|da|di|le|la)\s)*[A-Z][\p{L}'’\-]+,\s|^[A-Z]\.\s?(?:[A-Z]\.\s?)*[A-Z][\p{L}'’\-]+[,\s]`)

// entryEnds reports whether a line ends the way an entry does.
func entryEnds(t string) bool {
	t = strings.TrimSpace(t)
	return strings.HasSuffix(t, ".")
}

// numCiteRE matches a numbered citation in running text: "[3]",
// "[3, 7]", "[2–5]".
var numCiteRE = regexp.MustCompile(`\[(\d{1,3}(?:\s*[,–-]\s*\d{1,3})*)\]`)

// countNumberedCitations counts "[12]" citations in the body text when the
// bibliography is numbered and the PDF has no citation links.
func (p *paper) countNumberedCitations(refs []doc.Reference, index map[string]int) {
	numeric := 0
	for _, r := range refs {
		if r.Cited > 0 {
			return // the links counted them
		}
		if _, err := strconv.Atoi(r.Key); err == nil {
			numeric++
		}
	}
	if len(refs) == 0 || numeric*2 < len(refs) {
		return
	}
	cite := func(n, line int) {
		r, ok := index[strconv.Itoa(n)]
		if !ok {
			return
		}
		refs[r].Cited++
		sec := ""
		if line < len(p.Section) {
			sec = p.Section[line]
		}
		for _, s := range refs[r].CitedIn {
			if s == sec {
				return
			}
		}
		refs[r].CitedIn = append(refs[r].CitedIn, sec)
	}
	for i := range p.Lines {
		if p.Used[i] || p.RefStart >= 0 && i >= p.RefStart && i < p.RefEnd {
			continue
		}
		t := p.Lines[i].Text
		for _, m := range numCiteRE.FindAllStringSubmatchIndex(t, -1) {
			if m[0] > 0 && strings.ContainsAny(t[max(0, m[0]-4):m[0]], "∈=(") {
				continue // an interval in math
			}
			var nums []int
			ok := true
			for _, part := range strings.Split(t[m[2]:m[3]], ",") {
				a, b, rng := strings.Cut(strings.NewReplacer("–", "-").Replace(part), "-")
				x, err1 := strconv.Atoi(strings.TrimSpace(a))
				if err1 != nil || x == 0 {
					ok = false
					break
				}
				y := x
				if rng {
					if v, err := strconv.Atoi(strings.TrimSpace(b)); err == nil && v >= x && v-x < 30 {
						y = v
					}
				}
				for n := x; n <= y; n++ {
					nums = append(nums, n)
				}
			}
			if !ok {
				continue
			}
			for _, n := range nums {
				cite(n, i)
			}
		}
	}
}

// countCitations counts the citation links in the body for each reference.
func (p *paper) countCitations(refs []doc.Reference, index map[string]int) {
	if p.L == nil {
		return
	}
	byPage := map[int][]int{}
	for i := range p.Lines {
		byPage[p.Lines[i].Page] = append(byPage[p.Lines[i].Page], i)
	}
	for _, pg := range p.L.Pages {
		var last pdf.Link
		lastKey := ""
		for _, lk := range pg.Links {
			key, ok := citeKey(lk.Dest)
			if !ok {
				continue
			}
			r, ok := index[key]
			if !ok {
				continue
			}
			// one citation can be several links: the names and the year of
			// "Smith et al. (2020)", or a citation broken over two lines
			same := key == lastKey && (math.Abs(lk.Y0-last.Y0) < 3 && lk.X0-last.X1 < 80 ||
				lk.Y0 > last.Y0 && lk.Y0-last.Y1 < 6 && lk.X0 < last.X0)
			last, lastKey = lk, key
			if same {
				continue
			}
			line := -1
			cx, cy := (lk.X0+lk.X1)/2, (lk.Y0+lk.Y1)/2
			for _, i := range byPage[pg.Number] {
				l := &p.Lines[i]
				if cy >= l.Y0-1 && cy <= l.Y1+1 && cx >= l.X0-2 && cx <= l.X1+2 {
					line = i
					break
				}
			}
			if line >= 0 && p.RefStart >= 0 && line >= p.RefStart && line < p.RefEnd {
				continue // a back-reference inside the bibliography
			}
			refs[r].Cited++
			sec := ""
			if line >= 0 && line < len(p.Section) {
				sec = p.Section[line]
			}
			found := false
			for _, s := range refs[r].CitedIn {
				if s == sec {
					found = true
					break
				}
			}
			if !found {
				refs[r].CitedIn = append(refs[r].CitedIn, sec)
			}
		}
	}
}
