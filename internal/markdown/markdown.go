// Package markdown reads a paper written as Markdown or as plain text (a
// paper pasted as text, or the output of a converter such as pandoc,
// marker or a Nougat-like model) into the document model, filling the same
// fields as the LaTeX reader where the text allows it: title, authors,
// abstract and keywords; the section tree; display equations with their
// numbers, labels and surrounding sentences; table, figure and algorithm
// captions with pipe tables and pseudocode; the references; and the prose,
// paragraph by paragraph, for the fact and result extractors.
//
// Parse accepts any input: bad UTF-8, binary data, unterminated displays
// and very long lines give warnings, never a panic, and the work is linear
// in the size of the input.
package markdown

import (
	"fmt"
	"path/filepath"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/reprohq/repro/doc"
)

// Kinds of input, as Source.Kind records them.
const (
	KindMarkdown = "markdown"
	KindText     = "text"
)

// Limits that keep the work bounded.
const (
	maxWarnings   = 200
	longLine      = 1 << 20 // a line longer than this gets a warning
	maxHeadingLen = 200     // longer lines are never headings
	maxDisplay    = 400     // lines a display may span
)

// Parse reads the paper in data, named name; the kind is decided by the
// extension: .md and .markdown are Markdown, anything else plain text.
func Parse(name string, data []byte) *doc.Document {
	kind := KindText
	switch strings.ToLower(filepath.Ext(name)) {
	case ".md", ".markdown", ".mdown", ".mkd":
		kind = KindMarkdown
	}
	return ParseKind(name, data, kind)
}

// ParseKind reads the paper in data as the given kind ("markdown" or
// "text"; any other value is read as text but recorded as given). The
// document's Source has Kind and Path set; the caller sets Generator.
func ParseKind(name string, data []byte, kind string) *doc.Document {
	start := time.Now()
	d := doc.New()
	d.Source = doc.Source{Kind: kind, Path: name}
	d.Stats.Files = 1
	d.Stats.Bytes = len(data)
	p := &parser{d: d, file: name, markdown: kind == KindMarkdown}
	p.run(data)
	d.Stats.Milliseconds = float64(time.Since(start).Microseconds()) / 1000
	return d
}

// parser holds the state of one read.
type parser struct {
	d        *doc.Document
	file     string
	markdown bool
	lines    []string
	i        int // the line being read (0-based)

	// front matter
	front      bool // before the first section heading
	titleSet   bool
	titleHash  int  // # count of the title heading, 0 when not ATX
	baseHash   int  // # count that means a section (level 1) minus one
	inAbstract bool // paragraphs go to the abstract

	// section state
	sec      doc.Section
	appendix bool
	lastTop  string // number of the last top-level section, for plain-text checks
	refs     bool   // inside the references section
	refLines []refLine
	afterRef bool // a references section has ended

	// paragraph being collected
	para     []string
	paraLine int

	// prose context for equations
	lastProse    string // the last paragraph text of the current section
	pendingAfter []int  // equations waiting for the sentence after them

	// equations
	eqBlock      int
	eqCounter    int
	unnumbered   int
	macros       map[string]macro
	macroOrder   []string
	expandWarn   bool
	expandBudget int // expansions left for the document; 0 before the first

	// captions and floats
	pendingTable int  // index of a table whose caption came before its rows, or -1
	lastTable    int  // index of a table just read without a caption, or -1
	pendingAlg   int  // index of an algorithm whose steps may follow in a code block, or -1
	blankRun     int  // blank lines since the last block
	noTableUntil int  // lines before this one were seen not to start a table
	keywordsNext bool // a Keywords heading: the next paragraph lists them
	abstract     []string
}

type refLine struct {
	text string
	line int
}

func (p *parser) warnf(line int, format string, args ...any) {
	if len(p.d.Warnings) >= maxWarnings {
		return
	}
	p.d.Warnings = append(p.d.Warnings, doc.Warning{File: p.file, Line: line, Message: fmt.Sprintf(format, args...)})
}

// run reads the whole input.
func (p *parser) run(data []byte) {
	if line, ok := binaryAt(data); ok {
		p.warnf(line, "the input looks like binary data, not text; nothing was read")
		return
	}
	s := string(data)
	if !utf8.ValidString(s) {
		p.warnf(invalidUTF8Line(s), "invalid UTF-8 (replaced with U+FFFD)")
		s = strings.ToValidUTF8(s, "\uFFFD")
	}
	if strings.IndexByte(s, 0) >= 0 {
		p.warnf(1+strings.Count(s[:strings.IndexByte(s, 0)], "\n"), "NUL bytes in the text (replaced with spaces)")
		s = strings.ReplaceAll(s, "\x00", " ")
	}
	p.lines = strings.Split(s, "\n")
	for i, l := range p.lines {
		if strings.HasSuffix(l, "\r") {
			p.lines[i] = l[:len(l)-1]
		}
		if len(l) > longLine {
			p.warnf(i+1, "line %d is %d bytes long; read as one paragraph", i+1, len(l))
		}
	}
	p.front = true
	p.pendingTable, p.lastTable, p.pendingAlg = -1, -1, -1
	p.collectMacros()
	if p.markdown {
		p.frontMatter()
	}
	p.baseHash = p.hashBase()
	for p.i < len(p.lines) {
		p.step()
	}
	p.flush()
	p.endRefs()
	p.crossRefs()
	p.finish()
}

// binaryAt reports whether data looks binary: many control bytes in its
// first 64 KiB. It returns the line of the first such byte.
func binaryAt(data []byte) (int, bool) {
	n := min(len(data), 1<<16)
	bad, first := 0, -1
	for i := 0; i < n; i++ {
		c := data[i]
		if c < 0x20 && c != '\n' && c != '\r' && c != '\t' && c != '\f' {
			bad++
			if first < 0 {
				first = i
			}
		}
	}
	if n == 0 || bad*10 < n {
		return 0, false
	}
	return 1 + strings.Count(string(data[:first]), "\n"), true
}

func invalidUTF8Line(s string) int {
	line := 1
	for i := 0; i < len(s); {
		r, size := utf8.DecodeRuneInString(s[i:])
		if r == utf8.RuneError && size == 1 {
			return line
		}
		if s[i] == '\n' {
			line++
		}
		i += size
	}
	return line
}

// finish fills what is left once everything is read.
func (p *parser) finish() {
	if len(p.abstract) > 0 {
		parts := p.abstract
		if p.d.Abstract != "" {
			parts = append([]string{p.d.Abstract}, parts...)
		}
		p.d.Abstract = strings.Join(parts, "\n\n")
	}
	for _, i := range p.pendingAfter {
		p.d.Equations[i].Context.After = ""
	}
	for _, name := range p.macroOrder {
		m := p.macros[name]
		p.d.Macros = append(p.d.Macros, doc.Macro{Name: name, Params: m.params, Default: m.def, Body: m.body, Kind: m.kind})
	}
	for i := range p.d.References {
		if p.d.References[i].Key == "" {
			p.d.References[i].Key = "ref" + strconv.Itoa(i+1)
		}
	}
}

// step reads the block at p.i.
func (p *parser) step() {
	line := p.lines[p.i]
	t := strings.TrimSpace(line)
	if t == "" {
		p.flush()
		p.blankRun++
		p.i++
		return
	}
	if p.markdown && (strings.HasPrefix(t, "```") || strings.HasPrefix(t, "~~~")) {
		p.flush()
		p.fence(t)
		p.blankRun = 0
		return
	}
	if len(t) < maxHeadingLen*4 && p.heading(t) {
		p.blankRun = 0
		return
	}
	if p.refs {
		p.refLines = append(p.refLines, refLine{text: line, line: p.i + 1})
		p.i++
		return
	}
	if p.display(line) {
		p.blankRun = 0
		return
	}
	if p.table(t) {
		p.blankRun = 0
		return
	}
	if p.algorithmCaption(t) {
		p.blankRun = 0
		return
	}
	if p.markdown && isImageLine(t) {
		p.flush()
		// An image whose alt text is a caption: "![Figure 2: ...](f.png)".
		if m := linkRE.FindStringSubmatch(t); m != nil && isCaptionStart(m[1]) {
			p.caption(m[1], p.i+1)
		}
		p.i++
		return
	}
	if isListStart(t) || isCaptionStart(t) {
		p.flush()
	}
	if len(p.para) == 0 {
		p.paraLine = p.i + 1
	}
	p.para = append(p.para, t)
	p.i++
}

// flush ends the paragraph being collected and files it: as a caption,
// the abstract, keywords, author lines, or body text.
func (p *parser) flush() {
	if len(p.para) == 0 {
		return
	}
	text := strings.Join(p.para, " ")
	line := p.paraLine
	raw := append([]string(nil), p.para...)
	p.para = p.para[:0]
	p.blankRun = 0
	if len(raw) > 1 && isCaptionStart(raw[0]) && captionAlone(raw[0]) {
		// "TABLE I" on a line of its own, the caption on the next.
		text = strings.TrimRight(raw[0], " *_.:") + ": " + strings.Join(raw[1:], " ")
	}
	if p.caption(text, line) {
		return
	}
	text = inlineText(text)
	if text == "" {
		return
	}
	if p.front || p.inAbstract {
		if p.frontParagraph(text, raw) {
			return
		}
	}
	p.lastTable, p.pendingTable = -1, -1
	p.d.Text = append(p.d.Text, doc.Paragraph{Section: p.sec.Number, File: p.file, Line: line, Text: text})
	p.lastProse = text
	if len(p.pendingAfter) > 0 {
		after := firstSentence(text)
		for _, i := range p.pendingAfter {
			p.d.Equations[i].Context.After = after
		}
		p.pendingAfter = p.pendingAfter[:0]
	}
}

// frontParagraph files a paragraph of the front matter, given as its
// text and its source lines, and reports whether it was taken.
func (p *parser) frontParagraph(text string, raw []string) bool {
	if p.inAbstract {
		if kws, ok := cutKeywords(text); ok {
			p.d.Keywords = append(p.d.Keywords, kws...)
			p.inAbstract = false
			return true
		}
		p.abstract = append(p.abstract, text)
		return true
	}
	if rest, ok := cutAbstract(text, raw[0]); ok {
		if rest != "" {
			p.abstract = append(p.abstract, rest)
		}
		p.inAbstract = rest == "" // "Abstract" alone: the next paragraphs
		return true
	}
	if p.keywordsNext {
		p.keywordsNext = false
		if kws, ok := cutKeywords("Keywords: " + text); ok {
			p.d.Keywords = append(p.d.Keywords, kws...)
			return true
		}
	}
	if kws, ok := cutKeywords(text); ok {
		p.d.Keywords = append(p.d.Keywords, kws...)
		p.inAbstract = false
		return true
	}
	if !p.titleSet && !p.markdown && len(raw[0]) <= 300 {
		// Plain text: the first line is the title, the lines that follow
		// it in the same paragraph are the authors and affiliations.
		p.d.Title = inlineText(raw[0])
		p.titleSet = true
		for _, l := range raw[1:] {
			p.authorLine(inlineText(l))
		}
		return true
	}
	if p.titleSet && p.d.Abstract == "" && len(p.abstract) == 0 {
		taken := false
		for _, l := range raw {
			if p.authorLine(inlineText(l)) {
				taken = true
			}
		}
		if taken {
			return true
		}
		// An affiliation or e-mail line between the authors and the
		// abstract.
		if len(p.d.Authors) > 0 && len(text) < 300 && !strings.HasSuffix(text, ".") {
			return true
		}
	}
	return false
}

// frontMatter reads a YAML metadata block at the start of a Markdown file
// (title, author, abstract, keywords, date).
func (p *parser) frontMatter() {
	if len(p.lines) == 0 || strings.TrimSpace(p.lines[0]) != "---" {
		return
	}
	end := -1
	for i := 1; i < len(p.lines) && i < 500; i++ {
		if t := strings.TrimSpace(p.lines[i]); t == "---" || t == "..." {
			end = i
			break
		}
	}
	if end < 0 {
		return
	}
	key := ""
	var block []string
	fill := func() {
		v := strings.TrimSpace(strings.Join(block, " "))
		block = nil
		if key == "" {
			return
		}
		switch key {
		case "abstract":
			p.d.Abstract = v
		}
	}
	for i := 1; i < end; i++ {
		l := p.lines[i]
		t := strings.TrimSpace(l)
		if t == "" {
			continue
		}
		indented := l[0] == ' ' || l[0] == '\t'
		if indented || strings.HasPrefix(t, "- ") {
			item := unquote(strings.TrimSpace(strings.TrimPrefix(t, "- ")))
			item = strings.TrimPrefix(item, "name:")
			switch key {
			case "author", "authors":
				if strings.HasPrefix(t, "- ") || strings.HasPrefix(strings.TrimSpace(item), "name") {
					if n := unquote(strings.TrimSpace(item)); n != "" {
						p.d.Authors = append(p.d.Authors, n)
					}
				}
			case "keywords":
				p.d.Keywords = append(p.d.Keywords, item)
			case "abstract":
				block = append(block, t)
			}
			continue
		}
		fill()
		k, v, ok := strings.Cut(t, ":")
		if !ok {
			key = ""
			continue
		}
		key = strings.ToLower(strings.TrimSpace(k))
		v = unquote(strings.TrimSpace(v))
		switch key {
		case "title":
			p.d.Title, p.titleSet = v, v != ""
		case "author", "authors":
			if v != "" {
				for _, a := range strings.Split(v, ",") {
					if a = strings.TrimSpace(strings.Trim(a, "[]\"' ")); a != "" {
						p.d.Authors = append(p.d.Authors, a)
					}
				}
			}
		case "date":
			p.d.Date = v
		case "keywords":
			for _, k := range strings.Split(strings.Trim(v, "[]"), ",") {
				if k = unquote(strings.TrimSpace(k)); k != "" {
					p.d.Keywords = append(p.d.Keywords, k)
				}
			}
		case "abstract":
			if v != "|" && v != ">" && v != "|-" && v != ">-" {
				block = append(block, v)
			}
		}
	}
	fill()
	p.i = end + 1
}

func unquote(s string) string {
	if len(s) >= 2 && (s[0] == '"' && s[len(s)-1] == '"' || s[0] == '\'' && s[len(s)-1] == '\'') {
		return s[1 : len(s)-1]
	}
	return s
}

// hashBase returns the # count of a level-1 section minus one: the title's
// count when the first heading is the title, else the smallest count
// minus one.
func (p *parser) hashBase() int {
	if !p.markdown {
		return 0
	}
	minH, first, counts := 7, 0, [8]int{}
	for _, l := range p.lines[p.i:] {
		if len(l) == 0 || l[0] != '#' || len(l) > maxHeadingLen {
			continue
		}
		h, _ := atxHeading(l)
		if h == 0 {
			continue
		}
		if first == 0 {
			first = h
		}
		counts[h]++
		minH = min(minH, h)
	}
	if minH == 7 {
		return 0
	}
	// A single top heading followed by deeper ones is the title.
	if first == minH && counts[minH] == 1 && !p.titleSet {
		return minH
	}
	return minH - 1
}
