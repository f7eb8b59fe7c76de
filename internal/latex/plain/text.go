// Package plain turns fragments of LaTeX (a caption, a title, a table cell,
// an author block, a sentence) whose user macros are already expanded into
// readable plain text, keeping inline math as $...$ LaTeX.
//
// The renderer is a single forward pass over latex.Scan's tokens: it never
// backtracks more than a bounded look-ahead, so its cost is linear in the
// input, and it accepts any input, however unbalanced, without panicking.
package plain

import (
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/reprohq/repro/internal/latex"
)

// Text renders a LaTeX text fragment as plain text.
//
//   - Comments are dropped; groups and text-formatting commands (\textbf,
//     \emph, \textsc, \mbox, \bf, \small, \centering ...) are unwrapped or
//     dropped; unknown commands with a braced argument keep the argument's
//     text, unknown commands without one are dropped.
//   - \cite, \citep and the like are dropped (with the space before them when
//     punctuation follows); textual citations (\citet, \citeauthor, \textcite)
//     and cross-references (\ref, \eqref, \cref, \autoref) are kept as
//     "[key]" so that the sentence still reads. \label and \footnote are
//     dropped.
//   - \url{x} gives x, \href{u}{t} gives t.
//   - Accents and special letters become Unicode (\'e é, {\ss} ß); ~ is a
//     space; “ and ” are “ ”; -- and --- are – and —; \% \& \$ \# \_
//     \{ \} are the character; \\ and \newline are a space.
//   - Inline math ($...$, \(...\), \ensuremath, and display math) is kept
//     as $...$ with its LaTeX, whitespace normalised.
//   - Whitespace is collapsed and the result trimmed.
func Text(src string) string { return Analyze(src).Text }

// Flags reports whether the whole fragment is set in bold (\textbf, \bf,
// \bfseries, \mathbf, \boldsymbol, \bm), italic (\textit, \emph, \it) or
// underlined (\underline, \uline), as table cells such as \textbf{91.2},
// $\mathbf{91.2}$, {\bf 91.2} or \underline{90.1} are. "Whole" means every
// word (letters or digits) that is printed, in text or in math; a fragment
// with no word has no flags. Punctuation and symbols around the words
// (\textbf{91.2}\%, $^\dagger$) do not matter.
func Flags(src string) (bold, italic, underline bool) {
	in := Analyze(src)
	return in.Bold, in.Italic, in.Underline
}

// Info is what Analyze finds out about a fragment in one pass.
type Info struct {
	Text                    string // as Text returns it
	Bold, Italic, Underline bool   // as Flags returns them
	// MathRunes and TextRunes measure how much of Text is inside $...$
	// and outside it: non-blank characters, where in math a symbol command
	// (\pm, \alpha) counts as one, braces and other commands (\mathbf)
	// as none.
	MathRunes, TextRunes int
}

// Analyze renders src once and returns its text, its flags and how much of
// it is math.
func Analyze(src string) Info {
	r := &renderer{src: src, toks: latex.Scan(src, 0)}
	r.run()
	in := Info{Text: r.finish()}
	if r.words > 0 {
		in.Bold = r.nBold == r.words
		in.Italic = r.nItalic == r.words
		in.Underline = r.nUnder == r.words
	}
	in.MathRunes, in.TextRunes = r.mathRunes, r.textRunes
	return in
}

// maxMathScan bounds the search for the $ that closes inline math at
// brace depth 0; past it (or at a paragraph break) the next $ closes.
const maxMathScan = 4096

// maxDepth bounds the renderer's recursion (accent arguments rendered on
// their own, nested \ensuremath and the like).
const maxDepth = 32

type renderer struct {
	src   string // the source toks were scanned from (Pos indexes it)
	toks  []latex.Token
	i     int
	out   []byte
	st    style
	stack []style
	depth int

	// afterDrop is set when a citation or footnote was just dropped: the
	// space before it goes if punctuation follows.
	afterDrop bool

	inMath               bool
	mathOpen             int // len(out) just after the opening $
	words                int
	nBold, nItalic       int
	nUnder               int
	mathRunes, textRunes int
}

func (r *renderer) run() {
	for r.i < len(r.toks) {
		prev := r.i
		r.step()
		if r.i <= prev { // every step makes progress, whatever it did
			r.i = prev + 1
		}
	}
}

// sub renders toks with a fresh renderer that shares the style, for
// arguments whose text is needed on its own (accents). Beyond maxDepth the
// tokens are flattened instead.
func (r *renderer) sub(toks []latex.Token) string {
	if r.depth >= maxDepth {
		return Join(toks)
	}
	s := &renderer{src: r.src, toks: toks, st: r.st, depth: r.depth + 1}
	s.run()
	r.words += s.words
	r.nBold += s.nBold
	r.nItalic += s.nItalic
	r.nUnder += s.nUnder
	return string(s.out)
}

// ---- output ---------------------------------------------------------------

// write appends text-mode output. After a dropped citation, punctuation
// pulls the text back to the word before it, and an emptied "()" or "[]"
// disappears.
func (r *renderer) write(s string) {
	if s == "" {
		return
	}
	if r.afterDrop {
		if s == " " {
			r.out = append(r.out, ' ')
			return
		}
		r.afterDrop = false
		if strings.IndexByte(".,;:!?)]", s[0]) >= 0 {
			r.trimSpace()
			n := len(r.out)
			if n > 0 && (s[0] == ')' && r.out[n-1] == '(' || s[0] == ']' && r.out[n-1] == '[') {
				r.out = r.out[:n-1]
				s = s[1:]
			}
		}
	}
	r.out = append(r.out, s...)
	r.count(s)
}

// count records how many visible characters went out in text or math.
func (r *renderer) count(s string) {
	n := 0
	for _, c := range s {
		if !unicode.IsSpace(c) {
			n++
		}
	}
	if r.inMath {
		r.mathRunes += n
	} else {
		r.textRunes += n
	}
}

func (r *renderer) trimSpace() {
	for len(r.out) > 0 && r.out[len(r.out)-1] == ' ' {
		r.out = r.out[:len(r.out)-1]
	}
}

// word writes a run of letters or digits and counts it for Flags.
func (r *renderer) word(s string) {
	r.write(s)
	r.words++
	if r.st.bold {
		r.nBold++
	}
	if r.st.italic {
		r.nItalic++
	}
	if r.st.under {
		r.nUnder++
	}
}

func (r *renderer) push() { r.stack = append(r.stack, r.st) }

func (r *renderer) pop() {
	if n := len(r.stack); n > 0 {
		r.st = r.stack[n-1]
		r.stack = r.stack[:n-1]
	}
}

// finish collapses whitespace and trims.
func (r *renderer) finish() string {
	var b strings.Builder
	b.Grow(len(r.out))
	pending := false
	s := string(r.out)
	for _, c := range s {
		if unicode.IsSpace(c) {
			pending = b.Len() > 0
			continue
		}
		if pending {
			b.WriteByte(' ')
			pending = false
		}
		b.WriteRune(c)
	}
	return b.String()
}

// ---- text mode ------------------------------------------------------------

func (r *renderer) peek(k int) latex.Token {
	if j := r.i + k; j < len(r.toks) {
		return r.toks[j]
	}
	return latex.Token{}
}

func (r *renderer) step() {
	t := r.toks[r.i]
	switch t.Kind {
	case latex.Comment:
		r.i++
	case latex.Space, latex.Par, latex.Active, latex.AlignTab:
		r.write(" ")
		r.i++
	case latex.Word:
		r.word(t.Text)
		r.i++
	case latex.BeginGrp:
		r.push()
		r.i++
	case latex.EndGrp:
		r.pop()
		r.i++
	case latex.MathShift:
		r.dollarMath()
	case latex.Verbatim:
		r.write(verbatimText(t.Text))
		r.i++
	case latex.Command:
		r.command(t)
	case latex.Other:
		r.other(t)
	default: // Param, Sup, Sub: printed as they are
		r.write(t.Text)
		r.i++
	}
}

// other handles the TeX ligatures “ ” -- ---.
func (r *renderer) other(t latex.Token) {
	switch {
	case t.IsOther('`'):
		if r.peek(1).IsOther('`') {
			r.write("“")
			r.i += 2
			return
		}
		r.write("'")
	case t.IsOther('\''):
		if r.peek(1).IsOther('\'') {
			r.write("”")
			r.i += 2
			return
		}
		r.write("'")
	case t.IsOther('-'):
		if r.peek(1).IsOther('-') {
			if r.peek(2).IsOther('-') {
				r.write("—")
				r.i += 3
				return
			}
			r.write("–")
			r.i += 2
			return
		}
		r.write("-")
	default:
		r.write(t.Text)
	}
	r.i++
}

// skipSpaces skips spaces and comments after a control word, as TeX does.
func (r *renderer) skipSpaces() { r.i = Skip(r.toks, r.i) }

// args skips the arguments after r.i given by spec (see tables.go).
func (r *renderer) args(spec string) { r.i = SkipArgs(r.toks, r.i, spec) }

// SkipArgs skips the macro arguments that follow toks[i] according to
// spec, one letter per argument: m mandatory (a group or one token), o an
// optional [..], p an optional (..), s an optional star, d a TeX dimension.
// Absent optional arguments are fine; it returns the index after the last
// argument found.
func SkipArgs(toks []latex.Token, i int, spec string) int {
	for _, c := range spec {
		switch c {
		case 'm':
			if _, next, ok := Arg(toks, i); ok {
				i = next
			}
		case 'o':
			if _, next, ok := Optional(toks, i); ok {
				i = next
			}
		case 'p':
			if _, next, ok := Paren(toks, i); ok {
				i = next
			}
		case 's':
			i, _ = Star(toks, i)
		case 'd':
			i = skipDimen(toks, i)
		}
	}
	return i
}

func (r *renderer) command(t latex.Token) {
	name := t.Text
	r.i++
	if s, ok := controlSymbols[name]; ok {
		r.write(s)
		return
	}
	switch name {
	case `\,`:
		if n := len(r.out); n > 0 && isDigit(r.out[n-1]) && r.peek(0).Kind == latex.Word && isDigit(r.peek(0).Text[0]) {
			return
		}
		r.write(" ")
		return
	case `\\`:
		r.i, _ = Star(r.toks, r.i)
		if _, next, ok := Optional(r.toks, r.i); ok {
			r.i = next
		}
		r.write(" ")
		return
	case `\(`, `\[`:
		closer := `\)`
		if name == `\[` {
			closer = `\]`
		}
		end := r.i
		for end < len(r.toks) && !r.toks[end].Is(closer) {
			end++
		}
		r.math(r.i, end)
		r.i = min(end+1, len(r.toks))
		return
	case `\ensuremath`:
		if _, _, ok := Group(r.toks, r.i); ok {
			j := Skip(r.toks, r.i)
			end := Match(r.toks, j)
			r.math(j+1, end)
			r.i = min(end+1, len(r.toks))
			return
		}
		if inner, next, ok := Arg(r.toks, r.i); ok {
			r.i = next
			r.write("$" + Join(inner) + "$")
		}
		return
	case `\begin`:
		r.begin()
		return
	case `\end`:
		if _, next, ok := EnvName(r.toks, r.i); ok {
			r.i = next
		}
		r.write(" ")
		return
	case `\url`, `\nolinkurl`, `\path`:
		if url, rest, ok := r.rawArg(); ok {
			r.write(unescapeURL(url))
			r.inject(rest)
		}
		return
	case `\href`:
		r.args("o")
		url, rest, ok := r.rawArg()
		if !ok {
			return
		}
		if rest != nil { // the text argument is in the rest of the line
			r.inject(rest)
			return
		}
		if j := Skip(r.toks, r.i); j+1 < len(r.toks) && r.toks[j].Kind == latex.BeginGrp && blankUntilClose(r.toks[j+1:]) {
			r.args("m")
			r.write(unescapeURL(url))
		}
		return // the text argument follows as an ordinary group
	case `\item`:
		if label, next, ok := Optional(r.toks, r.i); ok {
			r.i = next
			r.write(" ")
			r.write(r.sub(label))
			r.write(" ")
			return
		}
		r.write(" • ")
		return
	case `\and`, `\And`, `\AND`:
		r.trimSpace()
		r.write(", ")
		r.skipSpaces()
		return
	case `\xspace`:
		if xspace(r.peek(0)) {
			r.write(" ")
		}
		return
	case `\char`:
		r.i = skipNumber(r.toks, r.i)
		return
	}
	if a, ok := accentOf(name); ok {
		r.accent(name, a)
		return
	}
	if s, ok := symbols[name]; ok {
		r.write(s)
		return
	}
	if s, ok := letters[name]; ok {
		r.skipSpaces()
		r.write(s)
		return
	}
	if f, ok := switches[name]; ok {
		f(&r.st)
		r.skipSpaces()
		return
	}
	if f, ok := styleArgs[name]; ok {
		j := Skip(r.toks, r.i)
		if j < len(r.toks) && r.toks[j].Kind == latex.BeginGrp {
			r.push()
			f(&r.st)
			r.i = j + 1
		}
		return
	}
	if spec, ok := dropped[name]; ok {
		r.args(spec)
		switch {
		case cleanDrop[name]:
			r.afterDrop = true
		case spaceDrop[name]:
			r.write(" ")
		default:
			r.skipSpaces()
		}
		return
	}
	if spec, ok := textualCites[name]; ok {
		r.keyed(spec)
		return
	}
	if spec, ok := refs[name]; ok {
		r.keyed(spec)
		return
	}
	if spec, ok := unwrapped[name]; ok {
		r.args(spec)
		return
	}
	// An unknown command: drop it with a star or optional arguments that
	// follow it directly; a braced argument after it is an ordinary group.
	if isControlWord(name) {
		r.i, _ = Star(r.toks, r.i)
		for r.i < len(r.toks) && r.toks[r.i].IsOther('[') {
			_, next, ok := Optional(r.toks, r.i)
			if !ok {
				break
			}
			r.i = next
		}
		if r.i < len(r.toks) && r.toks[r.i].Kind == latex.Space {
			j := Skip(r.toks, r.i)
			if j < len(r.toks) && r.toks[j].Kind == latex.BeginGrp {
				r.i = j
			}
		}
	}
}

// rawArg reads a braced argument whose text is taken literally, as \url
// does: a % in it is not a comment. When the tokenizer did read a comment
// there (the closing brace is inside it), rest holds the tokens of what
// follows the brace on that line, to be rendered next.
func (r *renderer) rawArg() (arg string, rest []latex.Token, ok bool) {
	j := Skip(r.toks, r.i)
	if j >= len(r.toks) || r.toks[j].Kind != latex.BeginGrp {
		if inner, next, ok := Arg(r.toks, r.i); ok {
			r.i = next
			return Join(inner), nil, true
		}
		return "", nil, false
	}
	last := r.toks[len(r.toks)-1]
	limit := int(last.Pos) + len(last.Text)
	start := int(r.toks[j].Pos) + 1
	if start > limit || limit > len(r.src) {
		return "", nil, false
	}
	depth, end := 1, -1
	for k := start; k < limit && end < 0; k++ {
		switch r.src[k] {
		case '\\':
			k++ // \{ and \} do not count
		case '{':
			depth++
		case '}':
			depth--
			if depth == 0 {
				end = k
			}
		}
	}
	if end < 0 { // not closed: take the rest
		r.i = len(r.toks)
		return r.src[start:limit], nil, true
	}
	k := j
	for k+1 < len(r.toks) && int(r.toks[k+1].Pos) <= end {
		k++
	}
	r.i = k + 1
	if int(r.toks[k].Pos) == end && r.toks[k].Kind == latex.EndGrp {
		return r.src[start:end], nil, true
	}
	// The closing brace is inside toks[k], a comment running to the end
	// of the line: what follows the brace there is tokenized anew.
	tokEnd := int(r.toks[k].Pos) + len(r.toks[k].Text)
	if end+1 < tokEnd {
		rest = latex.Scan(r.src[end+1:tokEnd], 0)
		for n := range rest {
			rest[n].Pos += int32(end + 1)
		}
	}
	return r.src[start:end], rest, true
}

// inject renders toks (the rest of a line after a raw argument) in place.
func (r *renderer) inject(toks []latex.Token) {
	if len(toks) == 0 {
		return
	}
	if r.depth >= maxDepth {
		r.write(Join(toks))
		return
	}
	saved, savedI := r.toks, r.i
	r.toks, r.i = toks, 0
	r.depth++
	r.run()
	r.depth--
	r.toks, r.i = saved, savedI
}

// keyed renders a reference or a textual citation as [key]: the arguments
// given by spec are skipped except the last, which is the key.
func (r *renderer) keyed(spec string) {
	if spec == "" {
		return
	}
	r.args(spec[:len(spec)-1])
	key, next, ok := Arg(r.toks, r.i)
	if !ok {
		return
	}
	r.i = next
	k := strings.Join(strings.Fields(Join(key)), " ")
	if k != "" {
		r.write("[" + k + "]")
	}
}

func (r *renderer) accent(name string, a accent) {
	arg, next, ok := Arg(r.toks, r.i)
	if !ok {
		return
	}
	r.i = next
	if len(arg) == 1 && arg[0].Kind == latex.Word {
		// \'ecole: the accent takes the first letter only.
		w := arg[0].Text
		_, size := utf8.DecodeRuneInString(w)
		r.word(a.apply(w[:size]) + w[size:])
		return
	}
	s := r.sub(arg)
	if s == "" {
		if !isLetterByte(name[1]) {
			r.write(name[1:]) // \~{} and \^{} print the accent alone
		}
		return
	}
	r.write(a.apply(s))
}

func accentOf(name string) (accent, bool) {
	if len(name) < 2 {
		return accent{}, false
	}
	a, ok := accents[name[1:]]
	return a, ok
}

// begin handles \begin{env}: math environments become $...$, the others
// are stepped through with their arguments skipped.
func (r *renderer) begin() {
	name, next, ok := EnvName(r.toks, r.i)
	if !ok {
		return
	}
	r.i = next
	if IsMathEnv(name) {
		end, after := FindEnd(r.toks, r.i, name)
		r.write(" ")
		r.math(r.i, end)
		r.write(" ")
		r.i = after
		return
	}
	if name == "comment" {
		_, after := FindEnd(r.toks, r.i, name)
		r.i = after
		return
	}
	if spec, ok := envArgs[name]; ok {
		r.args(spec)
	} else if r.i < len(r.toks) && r.toks[r.i].IsOther('[') {
		r.args("o")
	}
	r.write(" ")
}

// ---- math -----------------------------------------------------------------

// dollarMath handles $...$ and $$...$$ at r.i.
func (r *renderer) dollarMath() {
	start := r.i + 1
	display := r.peek(1).Kind == latex.MathShift
	if display {
		start++
	}
	end := -1
	if display {
		for j := start; j+1 < len(r.toks); j++ {
			if r.toks[j].Kind == latex.MathShift && r.toks[j+1].Kind == latex.MathShift {
				end = j
				break
			}
		}
	} else {
		depth := 0
		for j := start; j < len(r.toks) && j-start < maxMathScan; j++ {
			switch r.toks[j].Kind {
			case latex.Par: // math does not span paragraphs
				j = len(r.toks)
				continue
			case latex.BeginGrp:
				depth++
			case latex.EndGrp:
				depth = max(depth-1, 0)
			case latex.MathShift:
				if depth == 0 {
					end = j
				}
			}
			if end >= 0 {
				break
			}
		}
	}
	if end < 0 { // unbalanced braces or no closing $: the next $ closes,
		end = len(r.toks) // or else the paragraph's end
		for j := start; j < len(r.toks); j++ {
			if k := r.toks[j].Kind; k == latex.MathShift || k == latex.Par && !display {
				end = j
				break
			}
		}
	}
	r.math(start, end)
	switch {
	case end >= len(r.toks):
		r.i = len(r.toks)
	case r.toks[end].Kind != latex.MathShift:
		r.i = end // a paragraph break ended unclosed math
	case display:
		r.i = min(end+2, len(r.toks))
	default:
		r.i = end + 1
	}
}

// math writes toks[lo:hi] as $...$ with whitespace normalised, tracking
// the font for Flags.
func (r *renderer) math(lo, hi int) {
	hi = min(hi, len(r.toks))
	if r.inMath || r.depth >= maxDepth {
		// nested (\ensuremath inside math): the text is already raw
		r.out = append(r.out, Join(r.toks[lo:max(lo, hi)])...)
		return
	}
	r.afterDrop = false
	r.out = append(r.out, '$')
	open := len(r.out)
	r.mathOpen = open
	r.inMath = true
	saved, savedSt := len(r.stack), r.st
	for i := lo; i < hi; {
		i = r.mathStep(i, hi)
	}
	r.trimSpace()
	if len(r.out) <= open {
		r.out = r.out[:open-1] // empty math: nothing at all
	} else {
		r.out = append(r.out, '$')
	}
	r.inMath = false
	if len(r.stack) > saved {
		r.stack = r.stack[:saved]
	}
	r.st = savedSt
}

// mathStep writes the math token at i and returns the next index (> i).
func (r *renderer) mathStep(i, hi int) int {
	t := r.toks[i]
	switch t.Kind {
	case latex.Comment:
		return i + 1
	case latex.Space, latex.Par:
		if n := len(r.out); n > r.mathOpen && r.out[n-1] != ' ' {
			r.out = append(r.out, ' ')
		}
		return i + 1
	case latex.Word:
		r.word(t.Text)
		return i + 1
	case latex.BeginGrp:
		r.push()
	case latex.EndGrp:
		r.pop()
	case latex.Command:
		switch t.Text {
		case `\label`, `\tag`, `\nonumber`, `\notag`:
			return min(SkipArgs(r.toks, i+1, dropped[t.Text]), hi)
		}
		f, ok := styleArgs[t.Text]
		if !ok {
			if sw, isSwitch := switches[t.Text]; isSwitch {
				sw(&r.st)
			}
			break
		}
		j := Skip(r.toks, i+1)
		if j < hi && r.toks[j].Kind == latex.BeginGrp {
			r.out = append(r.out, t.Text+"{"...)
			r.push()
			f(&r.st)
			return j + 1
		}
	}
	switch t.Kind {
	case latex.Command:
		r.out = append(r.out, t.Text...)
		if !isControlWord(t.Text) || symbols[t.Text] != "" {
			r.mathRunes++ // a symbol counts as one character, a font command as none
		}
	case latex.BeginGrp, latex.EndGrp:
		r.out = append(r.out, t.Text...)
	default:
		r.write(t.Text)
	}
	return i + 1
}

// ---- helpers --------------------------------------------------------------

func isDigit(c byte) bool { return '0' <= c && c <= '9' }

func isControlWord(name string) bool {
	return len(name) > 1 && isLetterByte(name[1])
}

func isLetterByte(c byte) bool { return 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || c == '@' }

// verbatimText returns the content of a Verbatim token: \verb|x| gives x,
// \begin{verbatim}x\end{verbatim} gives x.
func verbatimText(s string) string {
	if strings.HasPrefix(s, `\begin`) {
		if name := strings.TrimSpace(strings.TrimPrefix(s, `\begin`)); strings.HasPrefix(name, "{comment}") {
			return ""
		}
		open := strings.IndexByte(s, '}')
		end := strings.LastIndex(s, `\end{`)
		if open < 0 || end <= open {
			if open >= 0 {
				return s[open+1:]
			}
			return ""
		}
		return s[open+1 : end]
	}
	j := 1
	for j < len(s) && isLetterByte(s[j]) {
		j++
	}
	rest := s[j:]
	rest = strings.TrimPrefix(rest, "*")
	if strings.HasPrefix(rest, "[") {
		if k := strings.IndexByte(rest, ']'); k >= 0 {
			rest = rest[k+1:]
		}
	}
	if strings.HasPrefix(s, `\mintinline`) && strings.HasPrefix(rest, "{") {
		if k := strings.IndexByte(rest, '}'); k >= 0 {
			rest = rest[k+1:]
		}
	}
	if len(rest) >= 2 {
		return rest[1 : len(rest)-1]
	}
	return ""
}

// unescapeURL undoes the escapes hyperref allows in URLs.
func unescapeURL(s string) string {
	s = strings.TrimSpace(s)
	if !strings.Contains(s, `\`) {
		return s
	}
	return urlEscapes.Replace(s)
}

var urlEscapes = strings.NewReplacer(`\%`, "%", `\#`, "#", `\_`, "_", `\&`, "&", `\~`, "~", `\$`, "$", `\{`, "{", `\}`, "}")

// skipDimen skips a TeX dimension or glue: 2pt, -0.5\baselineskip,
// 1em plus 1fil. It returns i when there is none.
func skipDimen(toks []latex.Token, i int) int {
	for round := 0; round < 3; round++ {
		j := Skip(toks, i)
		if j < len(toks) && (toks[j].IsOther('-') || toks[j].IsOther('+')) {
			j++
		}
		start := j
		for j < len(toks) && j-start < 6 && (toks[j].Kind == latex.Word && isDigit(toks[j].Text[0]) || toks[j].IsOther('.') || toks[j].IsOther(',')) {
			j++
		}
		if j < len(toks) && toks[j].Kind == latex.Command && isRegister(toks[j].Text) {
			j++
		}
		if j == start {
			return i
		}
		i = j
		k := Skip(toks, i)
		if k < len(toks) && toks[k].Kind == latex.Word && (toks[k].Text == "plus" || toks[k].Text == "minus") {
			i = k + 1
			continue
		}
		return i
	}
	return i
}

func isRegister(s string) bool {
	return strings.HasSuffix(s, "skip") || strings.HasSuffix(s, "width") || strings.HasSuffix(s, "height") ||
		strings.HasSuffix(s, "sep") || strings.HasSuffix(s, "space") || strings.HasSuffix(s, "size") ||
		s == `\fill` || s == `\stretch`
}

// skipNumber skips the argument of \char: 65, "41, '101 or `\x.
func skipNumber(toks []latex.Token, i int) int {
	j := Skip(toks, i)
	if j < len(toks) && (toks[j].IsOther('"') || toks[j].IsOther('\'') || toks[j].IsOther('`')) {
		j++
	}
	if j < len(toks) && (toks[j].Kind == latex.Word || toks[j].Kind == latex.Command) {
		j++
	}
	return j
}

// xspace reports whether \xspace followed by t makes a space: before a
// word, math or a command, not before punctuation, a brace or a space.
func xspace(t latex.Token) bool {
	switch t.Kind {
	case latex.Word, latex.MathShift, latex.Verbatim:
		return true
	case latex.Command:
		switch t.Text {
		case `\ `, `\/`, `\footnote`, `\footnotemark`, `\xspace`, `\\`, `\,`, `\@`:
			return false
		}
		return true
	case latex.Other:
		return !strings.Contains(",.'/?;:!-)]`\"", t.Text)
	}
	return false
}

// blankUntilClose reports whether toks start with blanks and a closing
// brace (an empty group's inside), looking no further than that.
func blankUntilClose(toks []latex.Token) bool {
	j := Skip(toks, 0)
	return j < len(toks) && toks[j].Kind == latex.EndGrp
}
