package reader

import (
	"strings"

	lx "github.com/reprohq/repro/internal/latex"
)

// Limits bound the work done on hostile input.
const (
	defaultMaxExpansions = 2_000_000  // macro expansions per document
	maxStackDepth        = 400        // nested token frames (macro bodies, files)
	maxFrameTokens       = 1_000_000  // tokens in one expanded frame
	defaultMaxTokens     = 20_000_000 // tokens produced by all expansions of a document
	maxInputDepth        = 40         // nested \input
)

// macro is a user-defined macro: \newcommand, \def, \let, an operator.
type macro struct {
	name    string
	nparams int
	// def is the optional first argument's default (\newcommand[n][def]);
	// hasDef tells whether there is one.
	def    []lx.Token
	hasDef bool
	// params is \def's parameter text: delimiter tokens and Param tokens.
	params []lx.Token
	body   []lx.Token
	kind   string
	// disabled is set when the macro blew the expansion limit.
	disabled bool
}

// envDef is a \newenvironment.
type envDef struct {
	nparams int
	def     []lx.Token
	hasDef  bool
	begin   []lx.Token
	end     []lx.Token
}

// ifSwitch is \footrue or \foofalse of a \newif.
type ifSwitch struct {
	name string
	val  bool
}

type frame struct {
	toks  []lx.Token
	i     int
	file  int16 // index of the file, or -1 for a macro body
	name  string
	depth int // \input depth for file frames
	// sealed frames are not popped when exhausted: reading stops there.
	sealed bool
}

// mouth delivers tokens from a stack of frames (files and macro bodies),
// expanding user macros, conditionals and \input on the way, as TeX's mouth
// does. It never loops forever: expansions are counted and bounded.
type mouth struct {
	r                              *Reader
	stack                          []*frame
	macros                         map[string]*macro
	envs                           map[string]*envDef
	bools                          map[string]bool // \newif values, keyed by name without \if
	switches                       map[string]ifSwitch
	conds                          []bool // open conditionals: true while in a taken branch
	expansions                     int
	tokens                         int // produced by expansion so far
	maxTokens                      int
	maxExpansions                  int
	warnedExpansions, warnedTokens bool
	recorders                      []*[]lx.Token
	peeked                         []lx.Token
	envStack                       []string // open user environments, for their \end code
}

func newMouth(r *Reader) *mouth {
	return &mouth{r: r, macros: map[string]*macro{}, envs: map[string]*envDef{}, bools: map[string]bool{}, switches: map[string]ifSwitch{}}
}

func (m *mouth) push(f *frame) bool {
	if len(m.stack) >= maxStackDepth {
		name := ""
		for i := len(m.stack) - 1; i >= 0 && name == ""; i-- {
			name = m.stack[i].name
		}
		m.r.warnTok(m.lastTok(), "macro nesting deeper than %d levels in %s; expansion stopped (recursive definition?)", maxStackDepth, name)
		if mac, ok := m.macros[name]; ok {
			mac.disabled = true
		}
		return false
	}
	m.stack = append(m.stack, f)
	return true
}

func (m *mouth) lastTok() lx.Token {
	for i := len(m.stack) - 1; i >= 0; i-- {
		f := m.stack[i]
		if f.i > 0 && f.i <= len(f.toks) {
			return f.toks[f.i-1]
		}
	}
	return lx.Token{}
}

// raw returns the next token without expansion (but across frames).
func (m *mouth) raw() lx.Token {
	if n := len(m.peeked); n > 0 {
		t := m.peeked[n-1]
		m.peeked = m.peeked[:n-1]
		m.record(t)
		return t
	}
	for len(m.stack) > 0 {
		f := m.stack[len(m.stack)-1]
		if f.i < len(f.toks) {
			t := f.toks[f.i]
			f.i++
			m.record(t)
			return t
		}
		if f.sealed {
			return lx.Token{Kind: lx.EOF}
		}
		m.stack = m.stack[:len(m.stack)-1]
	}
	return lx.Token{Kind: lx.EOF}
}

// record appends t to the active recorders: they keep the tokens as
// written in the source files, so tokens produced by expansion are skipped.
func (m *mouth) record(t lx.Token) {
	if t.Exp {
		return
	}
	for _, r := range m.recorders {
		*r = append(*r, t)
	}
}

// unread pushes t back so that the next raw or next returns it. Recorded
// tokens are un-recorded.
func (m *mouth) unread(t lx.Token) {
	for _, r := range m.recorders {
		if t.Exp {
			break
		}
		if n := len(*r); n > 0 {
			*r = (*r)[:n-1]
		}
	}
	m.peeked = append(m.peeked, t)
}

// skipSpacesRaw skips blanks and comments (not paragraph breaks).
func (m *mouth) skipSpacesRaw() lx.Token {
	for {
		t := m.raw()
		if t.Kind != lx.Space && t.Kind != lx.Comment {
			return t
		}
	}
}

// next returns the next token after expansion of user macros, user
// environments, conditionals and file inclusion.
func (m *mouth) next() lx.Token {
	for {
		t := m.raw()
		if t.Kind != lx.Command {
			return t
		}
		if m.expand(t) {
			continue
		}
		return t
	}
}

// conditionals that are macros with braced arguments, not TeX primitives.
var notConditional = map[string]bool{
	`\iff`: true, `\ifthenelse`: true, `\ifdef`: true, `\ifundef`: true, `\ifdefempty`: true,
	`\ifdefvoid`: true, `\ifstrempty`: true, `\ifstrequal`: true, `\ifblank`: true, `\ifbool`: true,
	`\iftoggle`: true, `\ifboolexpr`: true, `\ifnumcomp`: true, `\ifdefstring`: true, `\ifdefmacro`: true,
	`\ifcsdef`: true, `\ifcsundef`: true, `\ifdefstrequal`: true, `\ifnumequal`: true,
}

func isConditional(name string) bool {
	return strings.HasPrefix(name, `\if`) && !notConditional[name]
}

// expand expands t if it is expandable; it reports whether it did.
func (m *mouth) expand(t lx.Token) bool {
	name := t.Text
	if mac, ok := m.macros[name]; ok && !mac.disabled {
		return m.expandMacro(t, mac)
	}
	if sw, ok := m.switches[name]; ok {
		m.bools[sw.name] = sw.val
		return true
	}
	switch {
	case isConditional(name):
		m.conditional(t)
		return true
	case name == `\else` || name == `\or`:
		if len(m.conds) > 0 {
			m.skipBranch(false)
			m.conds = m.conds[:len(m.conds)-1]
		}
		return true
	case name == `\fi`:
		if len(m.conds) > 0 {
			m.conds = m.conds[:len(m.conds)-1]
		}
		return true
	}
	switch name {
	case `\input`, `\include`, `\subfile`, `\import`, `\subimport`, `\inputfrom`, `\subinputfrom`, `\includefrom`, `\subincludefrom`, `\InputIfFileExists`, `\IfFileExists`:
		return m.input(t)
	case `\endinput`:
		// Stop reading the current file (after the current line, in TeX).
		for i := len(m.stack) - 1; i >= 0; i-- {
			if m.stack[i].file >= 0 {
				m.stack[i].i = len(m.stack[i].toks)
				break
			}
		}
		return true
	case `\ifthenelse`, `\ifdef`, `\ifundef`, `\ifbool`, `\iftoggle`, `\ifdefempty`, `\ifstrempty`, `\ifblank`, `\ifstrequal`, `\ifcsdef`:
		// Take the true branch: read the test, then keep argument 1 and drop argument 2.
		nargs := 1
		if name == `\ifstrequal` {
			nargs = 2
		}
		for range nargs {
			m.readArgRaw()
		}
		yes := m.readArgRaw()
		m.readArgRaw()
		m.pushTokens(t, yes, "")
		return true
	case `\csname`:
		var b strings.Builder
		b.WriteByte('\\')
		for {
			u := m.next()
			if u.Kind == lx.EOF || u.Is(`\endcsname`) {
				break
			}
			if u.Kind == lx.Command {
				b.WriteString(strings.TrimPrefix(u.Text, `\`))
			} else {
				b.WriteString(u.Text)
			}
			if b.Len() > 200 {
				break
			}
		}
		m.pushTokens(t, []lx.Token{{Text: b.String(), Kind: lx.Command}}, "")
		return true
	case `\expandafter`, `\noexpand`, `\protect`, `\relax`:
		// \expandafter's reordering rarely matters for what repro reads;
		// treat these as no-ops.
		return name != `\relax`
	case `\begin`:
		return m.beginUserEnv(t)
	case `\end`:
		return m.endUserEnv(t)
	}
	return false
}

func (m *mouth) pushTokens(at lx.Token, toks []lx.Token, name string) {
	if len(toks) == 0 {
		return
	}
	m.tokens += len(toks)
	if m.tokens > m.maxTokens {
		return
	}
	out := make([]lx.Token, len(toks))
	for i, u := range toks {
		u.Pos = at.Pos
		u.File = at.File
		u.Exp = true
		out[i] = u
	}
	m.push(&frame{toks: out, file: -1, name: name})
}

// readArgRaw reads one undelimited macro argument without expansion: the
// next non-blank token, or a balanced group without its braces.
func (m *mouth) readArgRaw() []lx.Token {
	t := m.skipSpacesRaw()
	switch t.Kind {
	case lx.EOF:
		return nil
	case lx.BeginGrp:
		return m.readGroupRaw()
	case lx.Par:
		m.unread(t)
		return nil
	}
	return []lx.Token{t}
}

// readGroupRaw reads the tokens up to the } matching an already read {.
func (m *mouth) readGroupRaw() []lx.Token { return readGroupWith(m.raw) }

// readGroupWith reads tokens from next up to the } matching an already
// read {, without the braces.
func readGroupWith(next func() lx.Token) []lx.Token {
	var out []lx.Token
	depth := 1
	for {
		t := next()
		switch t.Kind {
		case lx.EOF:
			return out
		case lx.BeginGrp:
			depth++
		case lx.EndGrp:
			depth--
			if depth == 0 {
				return out
			}
		}
		out = append(out, t)
		if len(out) > maxFrameTokens {
			return out
		}
	}
}

// readOptRaw reads an optional [argument] if one follows; brackets inside
// braces do not end it.
func (m *mouth) readOptRaw() ([]lx.Token, bool) {
	t := m.skipSpacesRaw()
	if !t.IsOther('[') {
		m.unread(t)
		return nil, false
	}
	var out []lx.Token
	depth := 0
	for {
		t := m.raw()
		switch {
		case t.Kind == lx.EOF:
			return out, true
		case t.Kind == lx.BeginGrp:
			depth++
		case t.Kind == lx.EndGrp:
			depth--
			if depth < 0 {
				m.unread(t)
				return out, true
			}
		case t.IsOther(']') && depth == 0:
			return out, true
		case t.Kind == lx.Par:
			m.unread(t)
			return out, true
		}
		out = append(out, t)
	}
}

// readStar consumes a * if one follows.
func (m *mouth) readStar() bool {
	t := m.raw()
	if t.IsOther('*') {
		return true
	}
	m.unread(t)
	return false
}

func (m *mouth) expandMacro(t lx.Token, mac *macro) bool {
	m.expansions++
	if m.expansions > m.maxExpansions {
		if !m.warnedExpansions {
			m.warnedExpansions = true
			m.r.warnTok(t, "macro expansion limit (%d) reached at %s; the rest is read unexpanded (recursive definition?)", m.maxExpansions, mac.name)
		}
		mac.disabled = true
		return false
	}
	var args [9][]lx.Token
	if mac.params != nil {
		if !m.matchParams(mac, &args) {
			return true
		}
	} else {
		i := 0
		if mac.hasDef {
			if opt, ok := m.readOptRaw(); ok {
				args[0] = opt
			} else {
				args[0] = mac.def
			}
			i = 1
		}
		for ; i < mac.nparams && i < 9; i++ {
			args[i] = m.readArgRaw()
		}
	}
	body := substitute(mac.body, &args, mac.nparams)
	m.tokens += len(body)
	if m.tokens > m.maxTokens {
		if !m.warnedTokens {
			m.warnedTokens = true
			m.r.warnTok(t, "macro expansions produced more than %d tokens at %s; the rest is read unexpanded (exponential definition?)", m.maxTokens, mac.name)
		}
		mac.disabled = true
		return true
	}
	if len(body) > maxFrameTokens {
		m.r.warnTok(t, "expansion of %s is too large; dropped", mac.name)
		mac.disabled = true
		return true
	}
	if len(body) == 0 {
		return true
	}
	for i := range body {
		body[i].Pos = t.Pos
		body[i].File = t.File
		body[i].Exp = true
	}
	if !m.push(&frame{toks: body, file: -1, name: mac.name}) {
		mac.disabled = true
	}
	return true
}

// substitute replaces #n in body by args[n-1] and ## by #.
func substitute(body []lx.Token, args *[9][]lx.Token, n int) []lx.Token {
	size := len(body)
	for _, t := range body {
		if t.Kind == lx.Param && len(t.Text) == 2 && t.Text[1] >= '1' && t.Text[1] <= '9' {
			size += len(args[t.Text[1]-'1'])
		}
	}
	out := make([]lx.Token, 0, size)
	for _, t := range body {
		if t.Kind == lx.Param && len(t.Text) == 2 {
			c := t.Text[1]
			if c >= '1' && c <= '9' {
				out = append(out, args[c-'1']...)
				continue
			}
			if c == '#' {
				t.Text = "#"
			}
		}
		out = append(out, t)
	}
	return out
}

// matchParams reads arguments for a \def with a parameter text.
func (m *mouth) matchParams(mac *macro, args *[9][]lx.Token) bool {
	p := mac.params
	i := 0
	// Leading delimiter tokens must match literally.
	for i < len(p) && p[i].Kind != lx.Param {
		t := m.raw()
		if t.Kind == lx.Space && p[i].Kind != lx.Space {
			t = m.skipSpacesRaw()
		}
		if !sameToken(t, p[i]) {
			m.unread(t)
			// TeX would stop with "Use of \x doesn't match its definition".
			m.r.warnTok(t, "use of %s doesn't match its definition", mac.name)
			return false
		}
		i++
	}
	for i < len(p) {
		// p[i] is a parameter; collect following delimiter tokens.
		idx := int(p[i].Text[len(p[i].Text)-1] - '1')
		if idx < 0 || idx > 8 {
			idx = 0
		}
		i++
		j := i
		for j < len(p) && p[j].Kind != lx.Param {
			j++
		}
		delim := p[i:j]
		i = j
		if len(delim) == 0 {
			args[idx] = m.readArgRaw()
			continue
		}
		args[idx] = m.readDelimited(delim)
	}
	return true
}

func sameToken(a, b lx.Token) bool {
	if a.Kind == lx.Space && b.Kind == lx.Space {
		return true
	}
	return a.Kind == b.Kind && a.Text == b.Text
}

// readDelimited reads tokens up to the delimiter sequence at brace depth 0.
func (m *mouth) readDelimited(delim []lx.Token) []lx.Token {
	var out []lx.Token
	depth := 0
	for {
		t := m.raw()
		if t.Kind == lx.EOF {
			return out
		}
		if depth == 0 && sameToken(t, delim[0]) {
			// Try to match the rest.
			matched := []lx.Token{t}
			ok := true
			for k := 1; k < len(delim); k++ {
				u := m.raw()
				matched = append(matched, u)
				if !sameToken(u, delim[k]) {
					ok = false
					break
				}
			}
			if ok {
				// Strip one pair of enclosing braces, as TeX does.
				if len(out) >= 2 && out[0].Kind == lx.BeginGrp && out[len(out)-1].Kind == lx.EndGrp && balancedInner(out[1:len(out)-1]) {
					out = out[1 : len(out)-1]
				}
				return out
			}
			// Put back all but the first and continue.
			for k := len(matched) - 1; k >= 1; k-- {
				m.unread(matched[k])
			}
			out = append(out, t)
			continue
		}
		switch t.Kind {
		case lx.BeginGrp:
			depth++
		case lx.EndGrp:
			depth--
			if depth < 0 {
				m.unread(t)
				return out
			}
		case lx.Par:
			if delim[0].Kind != lx.Par && !delim[0].Is(`\par`) {
				m.unread(t)
				return out
			}
		}
		out = append(out, t)
		if len(out) > 100000 {
			return out
		}
	}
}

func balancedInner(toks []lx.Token) bool {
	d := 0
	for _, t := range toks {
		switch t.Kind {
		case lx.BeginGrp:
			d++
		case lx.EndGrp:
			d--
			if d < 0 {
				return false
			}
		}
	}
	return d == 0
}

// conditional evaluates \if... and skips the false branch.
func (m *mouth) conditional(t lx.Token) {
	name := t.Text
	val := true
	switch name {
	case `\iffalse`:
		val = false
	case `\iftrue`:
		val = true
	case `\ifdefined`:
		u := m.skipSpacesRaw()
		_, user := m.macros[u.Text]
		val = user || !strings.HasPrefix(u.Text, `\`) || knownCommand(u.Text)
	case `\ifx`:
		a := m.skipSpacesRaw()
		b := m.skipSpacesRaw()
		val = m.ifx(a, b)
	case `\ifcsname`:
		for {
			u := m.raw()
			if u.Kind == lx.EOF || u.Is(`\endcsname`) {
				break
			}
		}
	case `\ifpdf`:
		val = true
	case `\ifxetex`, `\ifluatex`, `\ifXeTeX`, `\ifLuaTeX`, `\ifluatex@`:
		val = false
	default:
		if v, ok := m.bools[name[3:]]; ok {
			val = v
		}
	}
	if val {
		m.conds = append(m.conds, true)
		return
	}
	// Skip to \else (enter it) or \fi (close).
	if m.skipBranch(true) {
		m.conds = append(m.conds, true)
	}
}

func (m *mouth) ifx(a, b lx.Token) bool {
	if a.Kind != b.Kind {
		return false
	}
	if a.Kind != lx.Command {
		return a.Text == b.Text
	}
	ma, oka := m.macros[a.Text]
	mb, okb := m.macros[b.Text]
	undefined := func(s string) bool { return s == `\undefined` || s == `\@undefined` }
	switch {
	case undefined(b.Text):
		return !oka && !knownCommand(a.Text)
	case undefined(a.Text):
		return !okb && !knownCommand(b.Text)
	case oka && okb:
		return tokensText(ma.body) == tokensText(mb.body) && ma.nparams == mb.nparams
	case a.Text == b.Text:
		return true
	}
	return oka == okb
}

// skipBranch skips raw tokens of a false branch. With stopAtElse it stops
// after an \else (or \or) at this level and reports true; it always stops
// after the matching \fi, reporting false.
func (m *mouth) skipBranch(stopAtElse bool) bool {
	depth := 0
	for {
		t := m.rawNoRecord()
		if t.Kind == lx.EOF {
			return false
		}
		if t.Kind != lx.Command {
			continue
		}
		switch {
		case isConditional(t.Text):
			depth++
		case t.Text == `\fi`:
			if depth == 0 {
				return false
			}
			depth--
		case (t.Text == `\else` || t.Text == `\or`) && depth == 0 && stopAtElse:
			return true
		}
	}
}

func (m *mouth) rawNoRecord() lx.Token {
	rec := m.recorders
	m.recorders = nil
	t := m.raw()
	m.recorders = rec
	return t
}

// knownCommand reports whether a command is defined by LaTeX or a common
// package, for \ifdefined and \ifx tests.
func knownCommand(name string) bool {
	switch name {
	case `\undefined`, `\@undefined`:
		return false
	}
	return builtinKnown[name]
}

var builtinKnown = map[string]bool{
	`\section`: true, `\subsection`: true, `\label`: true, `\ref`: true, `\cite`: true, `\textbf`: true,
	`\mathbb`: true, `\mathcal`: true, `\frac`: true, `\includegraphics`: true, `\caption`: true,
	`\chapter`: false, `\eqref`: true, `\citep`: true, `\citet`: true, `\url`: true, `\href`: true,
}

func tokensText(toks []lx.Token) string {
	var b strings.Builder
	for i, t := range toks {
		// A control word followed by a letter must stay two tokens: in the
		// source they were separated, but an expansion can join them
		// (\langle then the argument z), and "\langlez" is another word.
		if i > 0 && startsLetter(t.Text) && isControlWord(toks[i-1].Text) {
			b.WriteByte(' ')
		}
		b.WriteString(t.Text)
	}
	return b.String()
}

func startsLetter(s string) bool {
	return s != "" && (s[0] >= 'a' && s[0] <= 'z' || s[0] >= 'A' && s[0] <= 'Z')
}

// isControlWord reports a backslash followed by letters only (\alpha, not
// \, or \{).
func isControlWord(s string) bool {
	return len(s) > 1 && s[0] == '\\' && startsLetter(s[1:]) && strings.IndexFunc(s[1:], func(r rune) bool {
		return !(r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r == '@')
	}) < 0
}

// input handles \input and its relatives.
func (m *mouth) input(t lx.Token) bool {
	var dir string
	var name string
	switch t.Text {
	case `\import`, `\subimport`, `\inputfrom`, `\subinputfrom`, `\includefrom`, `\subincludefrom`:
		m.readStar()
		dir = strings.TrimSpace(tokensText(m.readArgRaw()))
		name = strings.TrimSpace(tokensText(m.readArgRaw()))
	case `\InputIfFileExists`, `\IfFileExists`:
		name = strings.TrimSpace(tokensText(m.readArgRaw()))
		yes := m.readArgRaw()
		no := m.readArgRaw()
		full, ok := m.r.resolve(t, name)
		if t.Text == `\IfFileExists` {
			if ok {
				m.pushTokens(t, yes, "")
			} else {
				m.pushTokens(t, no, "")
			}
			return true
		}
		if ok {
			m.pushFile(t, full)
			m.pushTokens(t, yes, "")
		} else {
			m.pushTokens(t, no, "")
		}
		return true
	default:
		u := m.skipSpacesRaw()
		if u.Kind == lx.BeginGrp {
			name = strings.TrimSpace(tokensText(m.readGroupRaw()))
		} else {
			// \input file.tex: the name runs to the next blank.
			var b strings.Builder
			for u.Kind != lx.EOF && u.Kind != lx.Space && u.Kind != lx.Par && u.Kind != lx.Comment && u.Kind != lx.Command && u.Kind != lx.BeginGrp && u.Kind != lx.EndGrp {
				b.WriteString(u.Text)
				u = m.raw()
			}
			if u.Kind != lx.Space {
				m.unread(u)
			}
			name = b.String()
		}
	}
	if name == "" {
		return true
	}
	if dir != "" {
		name = strings.TrimSuffix(dir, "/") + "/" + name
	}
	full, ok := m.r.resolve(t, name)
	if !ok {
		return true
	}
	m.pushFile(t, full)
	return true
}

func (m *mouth) pushFile(at lx.Token, full string) {
	depth := 0
	for _, f := range m.stack {
		if f.file >= 0 {
			if m.r.files[f.file].name == full {
				m.r.warnTok(at, "%q includes itself (cycle); skipped", full)
				return
			}
			depth++
		}
	}
	if depth >= maxInputDepth {
		m.r.warnTok(at, "\\input nested deeper than %d files; %q skipped", maxInputDepth, full)
		return
	}
	idx, toks := m.r.loadFile(full)
	if idx < 0 {
		return
	}
	if at.Text == `\subfile` {
		toks = subfileBody(toks)
	}
	m.push(&frame{toks: toks, file: idx, name: full, depth: depth + 1})
}

// subfileBody keeps the body of a subfiles document (between
// \begin{document} and \end{document}) when it has one.
func subfileBody(toks []lx.Token) []lx.Token {
	begin, end := -1, len(toks)
	for i := 0; i+2 < len(toks); i++ {
		if toks[i].Is(`\begin`) && toks[i+1].Kind == lx.BeginGrp && toks[i+2].Text == "document" {
			if begin < 0 {
				begin = i + 4
			}
		}
		if toks[i].Is(`\end`) && toks[i+1].Kind == lx.BeginGrp && toks[i+2].Text == "document" {
			end = i
		}
	}
	if begin < 0 || begin > end {
		return toks
	}
	return toks[begin:end]
}

// beginUserEnv expands \begin{name} of a \newenvironment.
func (m *mouth) beginUserEnv(t lx.Token) bool {
	if len(m.envs) == 0 {
		return false
	}
	name, toks, ok := m.peekEnvName()
	if !ok {
		return false
	}
	env, ok := m.envs[name]
	if !ok {
		for i := len(toks) - 1; i >= 0; i-- {
			m.unread(toks[i])
		}
		return false
	}
	m.expansions++
	if m.expansions > m.maxExpansions {
		for i := len(toks) - 1; i >= 0; i-- {
			m.unread(toks[i])
		}
		return false
	}
	var args [9][]lx.Token
	i := 0
	if env.hasDef {
		if opt, ok := m.readOptRaw(); ok {
			args[0] = opt
		} else {
			args[0] = env.def
		}
		i = 1
	}
	for ; i < env.nparams && i < 9; i++ {
		args[i] = m.readArgRaw()
	}
	m.envStack = append(m.envStack, name)
	m.pushTokens(t, substitute(env.begin, &args, env.nparams), "\\begin{"+name+"}")
	return true
}

func (m *mouth) endUserEnv(t lx.Token) bool {
	if len(m.envStack) == 0 {
		return false
	}
	name, toks, ok := m.peekEnvName()
	if !ok {
		return false
	}
	top := m.envStack[len(m.envStack)-1]
	if name != top {
		for i := len(toks) - 1; i >= 0; i-- {
			m.unread(toks[i])
		}
		return false
	}
	m.envStack = m.envStack[:len(m.envStack)-1]
	if env, ok := m.envs[name]; ok {
		m.pushTokens(t, env.end, "\\end{"+name+"}")
	}
	return true
}

// peekEnvName reads {name} after \begin or \end. On success the tokens are
// consumed; otherwise they have been pushed back. toks are what was read.
func (m *mouth) peekEnvName() (string, []lx.Token, bool) {
	var toks []lx.Token
	t := m.raw()
	for t.Kind == lx.Space {
		toks = append(toks, t)
		t = m.raw()
	}
	toks = append(toks, t)
	if t.Kind != lx.BeginGrp {
		for i := len(toks) - 1; i >= 0; i-- {
			m.unread(toks[i])
		}
		return "", nil, false
	}
	var b strings.Builder
	for {
		u := m.raw()
		toks = append(toks, u)
		if u.Kind == lx.EndGrp {
			break
		}
		if u.Kind == lx.EOF || u.Kind == lx.BeginGrp || u.Kind == lx.Par || b.Len() > 60 {
			for i := len(toks) - 1; i >= 0; i-- {
				m.unread(toks[i])
			}
			return "", nil, false
		}
		b.WriteString(u.Text)
	}
	return strings.TrimSpace(b.String()), toks, true
}
