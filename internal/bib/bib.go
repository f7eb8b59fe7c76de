// Package bib parses the bibliographies of LaTeX papers: BibTeX databases
// (.bib) and the .bbl files that BibTeX and biber write for LaTeX, in the
// thebibliography form of natbib and the standard styles as well as
// biblatex's own format. It produces doc.Reference values for the document
// model, with titles and names cleaned of LaTeX markup and arXiv identifiers
// and DOIs extracted.
//
// The parsers are forgiving: real bibliographies have missing commas,
// unbalanced braces and unterminated entries, and each of those is reported
// as a doc.Warning with its file and line while parsing goes on with the next
// entry. They never panic and always terminate, whatever the input.
package bib

import (
	"fmt"
	"sort"
	"strings"

	"github.com/reprohq/repro/doc"
)

// Entry is one entry of a .bib file.
type Entry struct {
	// Type is the lower-case entry type: "article", "inproceedings", ...
	Type string `json:"type"`
	// Key is the citation key as written.
	Key string `json:"key"`
	// Fields maps lower-case field names to values. Values have their outer
	// braces or quotes removed, @string macros and # concatenation resolved
	// and runs of white space collapsed to one space; LaTeX markup inside
	// them is kept (see Clean).
	Fields map[string]string `json:"fields"`
	// File and Line give the position of the entry's @.
	File string `json:"file"`
	Line int    `json:"line"`
}

// monthMacros are the month abbreviations that BibTeX predefines.
var monthMacros = map[string]string{
	"jan": "January", "feb": "February", "mar": "March", "apr": "April",
	"may": "May", "jun": "June", "jul": "July", "aug": "August",
	"sep": "September", "oct": "October", "nov": "November", "dec": "December",
}

// ParseBib parses the BibTeX database src, read from file (used only in
// positions), and returns its entries in order of appearance, with
// @string macros (and the predefined month macros) expanded. @preamble and
// @comment entries and text outside entries are ignored, and so are %
// comment lines between fields. Entries may be delimited by braces or
// parentheses. Syntax errors are reported as warnings
// and the parser resumes at the next entry; of entries with the same key
// (compared without case) the first is kept. Crossref inheritance is not
// applied: see Resolve. The slices returned are never nil.
func ParseBib(file string, src []byte) ([]Entry, []doc.Warning) {
	p := &bibParser{
		file:   file,
		s:      string(src),
		macros: map[string]string{},
		seen:   map[string]int{},
	}
	for k, v := range monthMacros {
		p.macros[k] = v
	}
	p.parse()
	if p.entries == nil {
		p.entries = []Entry{}
	}
	if p.warns == nil {
		p.warns = []doc.Warning{}
	}
	return p.entries, p.warns
}

type bibParser struct {
	file      string
	s         string
	pos       int
	lines     []int // offsets of line starts, built on first use
	macros    map[string]string
	undefined map[string]bool
	seen      map[string]int // lower-case key -> line of first definition
	entries   []Entry
	warns     []doc.Warning
}

func (p *bibParser) warnf(off int, format string, args ...any) {
	p.warns = append(p.warns, doc.Warning{File: p.file, Line: p.lineAt(off), Message: fmt.Sprintf(format, args...)})
}

// lineAt returns the 1-based line number of byte offset off.
func (p *bibParser) lineAt(off int) int {
	if p.lines == nil {
		p.lines = lineStarts(p.s)
	}
	return sort.SearchInts(p.lines, off+1)
}

func lineStarts(s string) []int {
	lines := []int{0}
	for i := 0; i < len(s); i++ {
		if s[i] == '\n' {
			lines = append(lines, i+1)
		}
	}
	return lines
}

func (p *bibParser) parse() {
	for p.pos < len(p.s) {
		i := strings.IndexByte(p.s[p.pos:], '@')
		if i < 0 {
			return
		}
		at := p.pos + i
		p.pos = at + 1
		p.skipSpace()
		typ := strings.ToLower(p.readName())
		if typ == "" {
			continue // a stray @ in text outside entries
		}
		p.skipSpace()
		if p.pos >= len(p.s) || p.s[p.pos] != '{' && p.s[p.pos] != '(' {
			if p.atLineStart(at) {
				p.warnf(at, "expected { or ( after @%s; entry skipped", typ)
			}
			continue
		}
		closer := byte('}')
		if p.s[p.pos] == '(' {
			closer = ')'
		}
		p.pos++
		switch typ {
		case "comment":
			// An unclosed @comment runs to the next entry at a line start.
			p.pos, _ = p.skipGroup(p.pos, closer)
		case "preamble":
			end, ok := p.skipGroup(p.pos, closer)
			if !ok {
				p.warnf(at, "unterminated @preamble")
			}
			p.pos = end
		case "string":
			p.parseFields(at, "@string", closer, func(name string, off int, val string) {
				p.macros[strings.ToLower(name)] = val
			})
		default:
			p.parseEntry(at, typ, closer)
		}
	}
}

// skipGroup skips the body of a delimited group whose opening delimiter was
// just read, up to and including closer at brace depth zero. When the group
// is not closed before the next line-start entry (see entryStartAt) it
// returns the offset of that entry, or the end of input, and ok=false.
func (p *bibParser) skipGroup(from int, closer byte) (int, bool) {
	depth := 0
	for i := from; i < len(p.s); i++ {
		switch c := p.s[i]; {
		case c == '{':
			depth++
		case c == '}' && depth > 0:
			depth--
		case c == closer && depth == 0:
			return i + 1, true
		case c == '@' && p.entryStartAt(i):
			return i, false
		}
	}
	return len(p.s), false
}

// parseEntry parses a regular entry whose opening delimiter was just read.
func (p *bibParser) parseEntry(at int, typ string, closer byte) {
	e := Entry{Type: typ, File: p.file, Line: p.lineAt(at), Fields: map[string]string{}}
	p.skipSpace()
	keyStart := p.pos
	for p.pos < len(p.s) {
		c := p.s[p.pos]
		if isSpace(c) || c == ',' || c == closer || c == '{' || c == '}' || c == '=' || c == '@' || c == '"' || c == '#' {
			break
		}
		p.pos++
	}
	e.Key = p.s[keyStart:p.pos]
	p.skipSpace()
	switch {
	case p.pos >= len(p.s) || p.s[p.pos] == '@':
		p.warnf(at, "unterminated entry %q", e.Key)
		p.addEntry(e, at)
		return
	case p.s[p.pos] == ',':
		p.pos++
	case p.s[p.pos] == closer:
		p.pos++
		p.addEntry(e, at)
		return
	case p.s[p.pos] == '=':
		// "@article{title = ...": the key is missing and what we read is a
		// field name.
		p.warnf(at, "entry @%s has no key", typ)
		p.pos = keyStart
		e.Key = ""
	default:
		p.warnf(p.pos, "missing comma after key %q", e.Key)
	}
	p.parseFields(at, e.Key, closer, func(name string, off int, val string) {
		if _, dup := e.Fields[name]; dup {
			p.warnf(off, "duplicate field %q in entry %q; keeping the first", name, e.Key)
			return
		}
		e.Fields[name] = val
	})
	p.addEntry(e, at)
}

func (p *bibParser) addEntry(e Entry, at int) {
	if e.Key != "" {
		k := strings.ToLower(e.Key)
		if line, dup := p.seen[k]; dup {
			p.warnf(at, "duplicate key %q (first at line %d); keeping the first", e.Key, line)
			return
		}
		p.seen[k] = e.Line
	}
	p.entries = append(p.entries, e)
}

// parseFields parses "name = value" assignments separated by commas up to
// closer, calling set for each with the lower-case name. On return p.pos is
// after closer, or at the @ of the next entry, or at the end of input when
// the entry is unterminated (which is reported).
func (p *bibParser) parseFields(at int, key string, closer byte, set func(name string, off int, val string)) {
	for {
		p.skipSpaceAndComments()
		if p.pos >= len(p.s) {
			p.warnf(at, "unterminated entry %q", key)
			return
		}
		switch p.s[p.pos] {
		case closer:
			p.pos++
			return
		case ',':
			p.pos++
			continue
		case '@':
			p.warnf(at, "unterminated entry %q: missing %q before the next entry", key, closer)
			return
		}
		nameOff := p.pos
		name := strings.ToLower(p.readName())
		if name == "" {
			p.warnf(p.pos, "unexpected %q in entry %q", p.s[p.pos], key)
			p.recover(closer)
			continue
		}
		p.skipSpace()
		if p.pos >= len(p.s) || p.s[p.pos] != '=' {
			p.warnf(nameOff, "missing = after field %q in entry %q", name, key)
			p.recover(closer)
			continue
		}
		p.pos++
		val, ok := p.parseValue(closer)
		if !ok {
			if p.pos >= len(p.s) || p.s[p.pos] == '@' {
				p.warnf(nameOff, "unterminated value of field %q in entry %q", name, key)
				return
			}
			p.warnf(p.pos, "bad value of field %q in entry %q", name, key)
			p.recover(closer)
			continue
		}
		set(name, nameOff, val)
		p.skipSpaceAndComments()
		if p.pos >= len(p.s) {
			continue // reported at the top of the loop
		}
		switch c := p.s[p.pos]; {
		case c == ',' || c == closer || c == '@':
			// handled at the top of the loop
		case p.fieldAhead():
			p.warnf(p.pos, "missing comma after field %q in entry %q", name, key)
		default:
			p.warnf(p.pos, "unexpected %q after field %q in entry %q", c, name, key)
			p.recover(closer)
		}
	}
}

// parseValue parses a field value: pieces ({...}, "...", a number or a
// macro name) joined by #. ok is false on a syntax error; if the value is
// unterminated p.pos is left at the next entry's @ or at the end of input.
func (p *bibParser) parseValue(closer byte) (string, bool) {
	var b strings.Builder
	for {
		p.skipSpace()
		if p.pos >= len(p.s) {
			return "", false
		}
		switch c := p.s[p.pos]; {
		case c == '{' || c == '"':
			v, ok := p.readDelimited()
			if !ok {
				return "", false
			}
			b.WriteString(v)
		case isDigit(c):
			start := p.pos
			for p.pos < len(p.s) && isDigit(p.s[p.pos]) {
				p.pos++
			}
			b.WriteString(p.s[start:p.pos])
		default:
			off := p.pos
			name := p.readName()
			if name == "" {
				return "", false
			}
			v, ok := p.macros[strings.ToLower(name)]
			if !ok {
				if p.undefined == nil {
					p.undefined = map[string]bool{}
				}
				if !p.undefined[strings.ToLower(name)] {
					p.undefined[strings.ToLower(name)] = true
					p.warnf(off, "undefined string macro %q; using its name", name)
				}
				v = name
			}
			b.WriteString(v)
		}
		p.skipSpace()
		if p.pos < len(p.s) && p.s[p.pos] == '#' {
			p.pos++
			continue
		}
		return collapseSpace(b.String()), true
	}
}

// readDelimited reads a {...} or "..." value piece at p.pos and returns its
// content. Braces nest; a quote ends a quoted piece only at brace depth zero,
// and \" followed by a letter or brace is taken as an umlaut, not an end. A
// line starting with what looks like a new entry ends an unclosed piece: ok
// is false and p.pos is left at that @.
func (p *bibParser) readDelimited() (string, bool) {
	quoted := p.s[p.pos] == '"'
	start := p.pos + 1
	depth := 0
	if !quoted {
		depth = 1
	}
	for i := start; i < len(p.s); i++ {
		switch p.s[i] {
		case '{':
			depth++
		case '}':
			if depth > 0 {
				depth--
			}
			if !quoted && depth == 0 {
				p.pos = i + 1
				return p.s[start:i], true
			}
		case '"':
			if quoted && depth == 0 {
				if i > start && p.s[i-1] == '\\' && i+1 < len(p.s) && (isLetter(p.s[i+1]) || p.s[i+1] == '{') {
					continue
				}
				p.pos = i + 1
				return p.s[start:i], true
			}
		case '@':
			if p.entryStartAt(i) {
				p.pos = i
				return "", false
			}
		}
	}
	p.pos = len(p.s)
	return "", false
}

// recover skips to the next comma or closer at brace depth zero, or to the
// next line-start entry, always moving forward at least one byte unless it
// is already at one of those.
func (p *bibParser) recover(closer byte) {
	depth := 0
	for p.pos < len(p.s) {
		c := p.s[p.pos]
		switch {
		case c == '{':
			depth++
		case c == '}' && depth > 0:
			depth--
		case depth == 0 && (c == ',' || c == closer):
			return
		case c == '@' && p.entryStartAt(p.pos):
			return
		}
		p.pos++
	}
}

// fieldAhead reports whether p.pos starts "name =" (a field whose preceding
// comma is missing).
func (p *bibParser) fieldAhead() bool {
	save := p.pos
	defer func() { p.pos = save }()
	if p.readName() == "" {
		return false
	}
	p.skipSpace()
	return p.pos < len(p.s) && p.s[p.pos] == '='
}

// readName reads an identifier (entry type, field or macro name): a run of
// bytes that are not white space or BibTeX punctuation.
func (p *bibParser) readName() string {
	start := p.pos
	for p.pos < len(p.s) && isNameByte(p.s[p.pos]) {
		p.pos++
	}
	return p.s[start:p.pos]
}

func isNameByte(c byte) bool {
	if isSpace(c) || c < ' ' || c == 0x7f {
		return false
	}
	return strings.IndexByte("\"#%'(),={}@\\", c) < 0
}

func (p *bibParser) skipSpace() {
	for p.pos < len(p.s) && isSpace(p.s[p.pos]) {
		p.pos++
	}
}

// skipSpaceAndComments skips white space and % comments, which BibTeX
// itself does not know but which people use to comment out fields and which
// biber accepts.
func (p *bibParser) skipSpaceAndComments() {
	for {
		p.skipSpace()
		if p.pos >= len(p.s) || p.s[p.pos] != '%' {
			return
		}
		for p.pos < len(p.s) && p.s[p.pos] != '\n' {
			p.pos++
		}
	}
}

func isSpace(c byte) bool {
	return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v'
}

// atLineStart reports whether only blanks precede offset i on its line.
func (p *bibParser) atLineStart(i int) bool {
	for j := i - 1; j >= 0; j-- {
		switch p.s[j] {
		case ' ', '\t':
			continue
		case '\n', '\r':
			return true
		default:
			return false
		}
	}
	return true
}

// entryStartAt reports whether the @ at offset i starts a line and is
// followed by an entry type and an opening delimiter, as a new entry is.
func (p *bibParser) entryStartAt(i int) bool {
	if !p.atLineStart(i) {
		return false
	}
	j := i + 1
	for j < len(p.s) && (p.s[j] == ' ' || p.s[j] == '\t') {
		j++
	}
	k := j
	for k < len(p.s) && isLetter(p.s[k]) {
		k++
	}
	if k == j {
		return false
	}
	for k < len(p.s) && (p.s[k] == ' ' || p.s[k] == '\t') {
		k++
	}
	return k < len(p.s) && (p.s[k] == '{' || p.s[k] == '(')
}
