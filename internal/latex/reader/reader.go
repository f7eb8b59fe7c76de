// Package reader turns a LaTeX source bundle into repro's document model.
// It drives the macro-expanding mouth over the main file, follows \input,
// and walks the expanded tokens in document order as LaTeX would typeset
// them: sections, counters, display math, floats, labels, references,
// citations and the bibliography. Numbers are computed the way LaTeX
// computes them, so they match the printed paper.
package reader

import (
	"fmt"
	"path"
	"sort"
	"strings"
	"time"

	"github.com/reprohq/repro/doc"
	lx "github.com/reprohq/repro/internal/latex"
)

// Files is the source bundle as the reader needs it.
type Files interface {
	// ReadFile returns the content of a file of the bundle.
	ReadFile(name string) ([]byte, bool)
	// Resolve resolves an \input-like name relative to the bundle, trying
	// the extensions in order; it refuses names that leave the bundle.
	Resolve(from, name string, exts ...string) (string, bool)
}

// srcFile is one source file read by the reader.
type srcFile struct {
	name  string
	src   string
	lines []int32 // offsets of line starts, built lazily
}

func (f *srcFile) line(pos int32) int {
	if f.lines == nil {
		f.lines = append(f.lines, 0)
		for i := 0; i < len(f.src); i++ {
			if f.src[i] == '\n' {
				f.lines = append(f.lines, int32(i+1))
			}
		}
	}
	return sort.Search(len(f.lines), func(i int) bool { return f.lines[i] > pos })
}

// Reader holds the state of one extraction. It is not safe for concurrent
// use; extract several papers with several readers.
type Reader struct {
	fs     Files
	main   string
	files  []*srcFile
	byName map[string]int16
	m      *mouth
	d      *doc.Document

	class    string
	packages map[string]string // package -> options
	readPkgs map[string]bool   // local packages already read
	inDoc    bool
	done     bool

	counters    map[string]*counter
	resets      map[string][]string
	theorems    map[string]string // environment -> counter it steps
	secnumdepth int
	ieee        bool // IEEEtran conventions
	revtex      bool // REVTeX conventions
	appendix    bool

	cur            curLabel
	labels         map[string]labelInfo
	refs           []refUse
	cites          map[string]*citeUse
	citeOrder      []string
	nociteAll      bool
	bibFiles       []string
	bibHeadingDone bool
	inlineBib      []string // raw thebibliography environments

	envs      []envFrame
	inTabular int             // > 0 while walking a tabular's body
	closeAt   int             // raw-recording length at the closing delimiter of a display
	excluded  map[string]bool // \excludecomment environments

	secNumber string // \thesection at this point
	secTitle  string
	text      textBuf

	eqBlock      int
	unnumbered   int
	pendingAfter []int // equations waiting for their "after" context

	titleToks  []lx.Token
	authorToks [][]lx.Token
	abstract   string
	keywords   []string

	warnCount int
	maxWarn   int
}

type curLabel struct {
	number string
	kind   string
}

type labelInfo struct {
	number string
	kind   string
	file   int16
	pos    int32
}

type refUse struct {
	label   string
	cmd     string
	section string
	file    int16
	pos     int32
}

type citeUse struct {
	count    int
	sections []string
}

type envFrame struct {
	name  string
	fl    *floatInfo
	saved savedEq // the equation counter saved by subequations
}

type savedEq struct {
	val    int
	format []fpart
}

// floatInfo collects a float while it is read.
type floatInfo struct {
	kind         string // figure, table, algorithm
	counter      string
	captions     []caption
	rows         [][]doc.Cell
	pendingRows  [][]doc.Cell // a tabular in a float of another kind, for a \captionof{table} that follows
	subs         []doc.Figure
	file         int16
	pos          int32
	section      string
	pendingLabel string
}

type caption struct {
	number string
	text   string // as listed: the short caption, or the caption shortened
	full   string // the whole caption
	label  string
}

// Options configures a Reader.
type Options struct {
	// MaxWarnings caps the warnings kept (default 200).
	MaxWarnings int
	// MaxExpansions caps macro expansions (default 2,000,000): a recursive
	// or exponential macro stops there with a warning.
	MaxExpansions int
	// MaxTokens caps the tokens that expansions may produce (default
	// 20,000,000), so that a macro bomb cannot exhaust memory.
	MaxTokens int
}

// Read extracts the document whose main file is main.
func Read(fs Files, main string, opts Options) *doc.Document {
	start := time.Now()
	r := &Reader{
		fs: fs, main: main, byName: map[string]int16{},
		d:           doc.New(),
		packages:    map[string]string{},
		readPkgs:    map[string]bool{},
		counters:    map[string]*counter{},
		resets:      map[string][]string{},
		theorems:    map[string]string{},
		labels:      map[string]labelInfo{},
		cites:       map[string]*citeUse{},
		excluded:    map[string]bool{},
		secnumdepth: 3,
		maxWarn:     opts.MaxWarnings,
	}
	if r.maxWarn <= 0 {
		r.maxWarn = 200
	}
	r.m = newMouth(r)
	r.m.maxExpansions = opts.MaxExpansions
	if r.m.maxExpansions <= 0 {
		r.m.maxExpansions = defaultMaxExpansions
	}
	r.m.maxTokens = opts.MaxTokens
	if r.m.maxTokens <= 0 {
		r.m.maxTokens = defaultMaxTokens
	}
	r.initCounters()
	idx, toks := r.loadFile(main)
	if idx < 0 {
		r.warn(main, 0, "main file %q cannot be read", main)
		return r.d
	}
	r.m.push(&frame{toks: toks, file: idx, name: main, depth: 1})
	r.safely(r.run)
	r.safely(r.finish)
	r.d.Stats.Milliseconds = float64(time.Since(start).Microseconds()) / 1000
	return r.d
}

// safely runs f, turning a panic (a bug in the reader) into a warning so
// that what was read so far is still returned.
func (r *Reader) safely(f func()) {
	defer func() {
		if e := recover(); e != nil {
			file, line := r.pos(r.m.lastTok())
			r.warn(file, line, "internal error while reading here (please report it): %v", e)
		}
	}()
	f()
}

// loadFile reads and tokenizes a file once; it returns the file index.
func (r *Reader) loadFile(name string) (int16, []lx.Token) {
	if idx, ok := r.byName[name]; ok {
		return idx, lx.Scan(r.files[idx].src, idx)
	}
	if len(r.files) >= 4000 {
		return -1, nil
	}
	data, ok := r.fs.ReadFile(name)
	if !ok {
		return -1, nil
	}
	idx := int16(len(r.files))
	f := &srcFile{name: name, src: string(data)}
	r.files = append(r.files, f)
	r.byName[name] = idx
	r.d.Stats.Files++
	r.d.Stats.Bytes += len(data)
	return idx, lx.Scan(f.src, idx)
}

// resolve finds the file named by an \input-like command at t.
func (r *Reader) resolve(t lx.Token, name string) (string, bool) {
	from := r.main
	if t.File >= 0 && int(t.File) < len(r.files) {
		from = r.files[t.File].name
	}
	name = strings.Trim(strings.TrimSpace(name), `"`)
	if name == "" {
		return "", false
	}
	if strings.HasPrefix(name, "/") || strings.HasPrefix(name, "~") || hasDotDot(name) {
		if full, ok := r.fs.Resolve(from, name, ".tex"); ok {
			return full, true
		}
		r.warnTok(t, "refused to read %q: it is outside the source folder", name)
		return "", false
	}
	if full, ok := r.fs.Resolve(from, name, ".tex"); ok {
		return full, true
	}
	ext := path.Ext(name)
	switch ext {
	case ".sty", ".cls", ".clo", ".cfg", ".def", ".fd", ".pdf_tex", ".pgf", ".tikz", ".pdf", ".png", ".eps":
		return "", false
	}
	if systemInputs[strings.TrimSuffix(name, ".tex")] {
		return "", false
	}
	r.warnTok(t, "input file %q not found", name)
	return "", false
}

var systemInputs = map[string]bool{"glyphtounicode": true, "epsf": true, "psfig": true, "amssym": true, "mathptmx": true}

func hasDotDot(name string) bool {
	for _, p := range strings.Split(name, "/") {
		if p == ".." {
			return true
		}
	}
	return false
}

func (r *Reader) pos(t lx.Token) (string, int) {
	if t.File < 0 || int(t.File) >= len(r.files) {
		return r.main, 0
	}
	f := r.files[t.File]
	return f.name, f.line(t.Pos)
}

func (r *Reader) warnTok(t lx.Token, format string, args ...any) {
	file, line := r.pos(t)
	r.warn(file, line, format, args...)
}

func (r *Reader) warn(file string, line int, format string, args ...any) {
	r.warnCount++
	if len(r.d.Warnings) >= r.maxWarn {
		return
	}
	r.d.Warnings = append(r.d.Warnings, doc.Warning{File: file, Line: line, Message: fmt.Sprintf(format, args...)})
}

// run is the main loop: LaTeX's stomach.
func (r *Reader) run() {
	for !r.done && r.process(r.m.next()) {
	}
}

// process handles one token; it reports false at the end of the input.
func (r *Reader) process(t lx.Token) bool {
	switch t.Kind {
	case lx.EOF:
		return false
	case lx.Command:
		r.command(t)
	case lx.MathShift:
		r.mathShift(t)
	case lx.Par:
		r.breakParagraph()
	case lx.Word, lx.Other, lx.Space:
		if r.inDoc {
			if t.Kind != lx.Space {
				r.markParagraph()
			}
			r.text.add(t.Text)
			if len(r.text.para) > maxParagraph {
				r.emitParagraph()
			}
		}
	case lx.Active, lx.Verbatim:
		if r.inDoc {
			r.text.add(" ")
		}
	}
	return true
}

// argText reads an argument with expansion and returns its tokens.
func (r *Reader) readArg() []lx.Token {
	t := r.skipSpaces()
	switch t.Kind {
	case lx.EOF:
		return nil
	case lx.BeginGrp:
		return r.readGroup()
	case lx.Par:
		r.m.unread(t)
		return nil
	}
	return []lx.Token{t}
}

func (r *Reader) skipSpaces() lx.Token {
	for {
		t := r.m.next()
		if t.Kind != lx.Space && t.Kind != lx.Comment {
			return t
		}
	}
}

// readGroup reads expanded tokens up to the matching }.
func (r *Reader) readGroup() []lx.Token { return readGroupWith(r.m.next) }

// readOpt reads an optional [argument] with expansion.
func (r *Reader) readOpt() ([]lx.Token, bool) {
	t := r.skipSpaces()
	if !t.IsOther('[') {
		r.m.unread(t)
		return nil, false
	}
	var out []lx.Token
	depth := 0
	for {
		t := r.m.next()
		switch {
		case t.Kind == lx.EOF:
			return out, true
		case t.Kind == lx.BeginGrp:
			depth++
		case t.Kind == lx.EndGrp:
			depth--
			if depth < 0 {
				r.m.unread(t)
				return out, true
			}
		case t.IsOther(']') && depth == 0:
			return out, true
		case t.Kind == lx.Par:
			r.m.unread(t)
			return out, true
		}
		out = append(out, t)
	}
}

// rawString reads a raw argument and returns it as a trimmed string, for
// labels, keys, file and environment names.
func (r *Reader) rawString() string {
	return strings.TrimSpace(tokensText(r.m.readArgRaw()))
}

func (r *Reader) finish() {
	r.flushAfter()
	r.emitParagraph()
	r.buildFront()
	r.buildRefs()
	r.buildLabels()
	r.buildBibliography()
	if r.warnCount > len(r.d.Warnings) {
		r.d.Warnings = append(r.d.Warnings, doc.Warning{File: r.main, Message: fmt.Sprintf("%d more warnings not shown", r.warnCount-len(r.d.Warnings))})
	}
	for _, f := range r.files {
		r.d.Source.Files = append(r.d.Source.Files, f.name)
	}
	sort.Strings(r.d.Source.Files)
}
