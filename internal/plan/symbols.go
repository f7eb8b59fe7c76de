package plan

import (
	"slices"
	"strings"
	"unicode/utf8"
)

// Symbols is what the symbol analysis finds in one equation.
type Symbols struct {
	// Defines is the symbol the equation defines: the head symbol of the
	// left-hand side of its first top-level relation (=, :=, \coloneqq,
	// \triangleq, \equiv, \doteq, \stackrel{...}{=}), without arguments;
	// "" when that side is not a single symbol (an identity or a
	// constraint).
	Defines string
	// Also are the symbols that later clauses of the same display define
	// ("K = XW^K, \qquad V = XW^V", rows split by \\).
	Also []string
	// Args are the arguments of a defined function ("Attn(Q, K, V) = ..."
	// gives Q, K, V): bound variables, not uses.
	Args []string
	// Uses are the symbols used, in order of first use, each once, without
	// the symbols the equation defines and its arguments.
	Uses []string
}

// Symbol notation. A symbol is written in a canonical LaTeX form so that the
// same symbol written two ways compares equal:
//
//   - bold is dropped: \mathbf{x}, \boldsymbol{x}, \bm{x} are x;
//   - accents are kept: \hat{x}, \bar{g}, \tilde{m} (\widehat is \hat,
//     \widetilde is \tilde, \overline is \bar);
//   - letter fonts are kept: \mathcal{L}, \mathbb{X}, \mathfrak{g};
//   - names in text fonts are \mathrm: \operatorname{Attn},
//     \mathrm{Attn} and \text{Attn} (a capitalised word, or one followed by
//     "(") are all \mathrm{Attn};
//   - subscripts and superscripts that are names stay: W_c, W^Q, W_1,
//     \mathcal{L}_{\mathrm{LS}} (also written \mathcal{L}_{LS} or
//     \mathcal{L}_{\text{LS}}), p_{\theta}, \eta_{\max}, \theta^*, h';
//   - scripts that are indices, powers or transposes are dropped: x_i,
//     h^{(l)}, x_{t-1}, x_{1:T}, \sigma^2, \gamma^t, W^\top, W^T,
//     A^{-1}; index letters are i, j, k, l, m, n and t, and a
//     superscript lower-case letter is a power.
//
// Standard functions and sets are not symbols: \exp, \log, \max, softmax,
// \operatorname{sigmoid}, \mathbb{R}, \mathbb{E}, \mathbb{1}, \mathrm{d}.

// Analyze runs the symbol analysis on one equation's LaTeX (its
// latex_expanded form, with the paper's macros expanded).
func Analyze(latex string) Symbols {
	toks := clean(tokenize(latex))
	s := Symbols{}
	var defined []string
	var uses []string
	for ci, cl := range clauses(toks) {
		lhs, rhs, ok := splitRelation(cl, false)
		if !ok {
			uses = append(uses, scan(cl)...)
			continue
		}
		if isRange(rhs) {
			// "h = 1, \dots, H" declares an index, it defines nothing.
			uses = append(uses, scan(rhs)...)
			continue
		}
		sym, args, ok := definition(lhs)
		switch {
		case !ok:
			uses = append(uses, scan(lhs)...)
		case ci == 0:
			s.Defines = sym
			s.Args = args
			defined = append(defined, sym)
		case !slices.Contains(defined, sym):
			s.Also = append(s.Also, sym)
			defined = append(defined, sym)
		}
		uses = append(uses, scan(rhs)...)
	}
	for _, u := range uses {
		if !slices.Contains(defined, u) && !slices.Contains(s.Args, u) && !slices.Contains(s.Uses, u) {
			s.Uses = append(s.Uses, u)
		}
	}
	return s
}

// StepSymbols returns the symbols a line of pseudocode assigns (left of
// \gets, \leftarrow, := or =) and uses, from the math of the line ($...$
// segments of the step text).
func StepSymbols(text string) (assigns, uses []string) {
	for _, m := range mathSegments(text) {
		toks := clean(tokenize(m))
		lhs, rhs, ok := splitRelation(toks, true)
		if ok {
			if sym, _, ok := definition(lhs); ok {
				assigns = appendNew(assigns, sym)
			} else {
				uses = appendNew(uses, scan(lhs)...)
			}
			uses = appendNew(uses, scan(rhs)...)
			continue
		}
		uses = appendNew(uses, scan(toks)...)
	}
	return assigns, uses
}

// mathSegments returns the contents of the $...$ segments of text.
func mathSegments(text string) []string {
	var out []string
	for {
		i := strings.IndexByte(text, '$')
		if i < 0 {
			return out
		}
		j := strings.IndexByte(text[i+1:], '$')
		if j < 0 {
			return out
		}
		out = append(out, text[i+1:i+1+j])
		text = text[i+1+j+1:]
	}
}

func appendNew(list []string, xs ...string) []string {
	for _, x := range xs {
		if !slices.Contains(list, x) {
			list = append(list, x)
		}
	}
	return list
}

// ---------------------------------------------------------------- tokens

// Token kinds.
const (
	tCmd    = 'c' // \name or \X
	tLetter = 'l' // one ASCII letter
	tNum    = 'n' // digits
	tOther  = 'o' // any other character
	tBegin  = 'b' // \begin{name}, name in text
	tEnd    = 'e' // \end{name}
)

type token struct {
	kind byte
	text string
	sp   bool // whitespace before it
}

func (t token) is(kind byte, text string) bool { return t.kind == kind && t.text == text }
func (t token) isOther(s string) bool          { return t.is(tOther, s) }

// tokenize splits math LaTeX into tokens, dropping comments and whitespace.
func tokenize(s string) []token {
	var out []token
	sp := false
	for i := 0; i < len(s); {
		c := s[i]
		switch {
		case c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '~':
			sp = true
			i++
			continue
		case c == '%':
			for i < len(s) && s[i] != '\n' {
				i++
			}
			continue
		case c == '\\':
			j := i + 1
			for j < len(s) && isLetter(s[j]) {
				j++
			}
			if j == i+1 && j < len(s) {
				_, n := utf8.DecodeRuneInString(s[j:])
				j += n
			}
			out = append(out, token{tCmd, s[i:j], sp})
			i = j
		case isLetter(c):
			out = append(out, token{tLetter, s[i : i+1], sp})
			i++
		case '0' <= c && c <= '9':
			j := i
			for j < len(s) && ('0' <= s[j] && s[j] <= '9' || s[j] == '.' && j+1 < len(s) && '0' <= s[j+1] && s[j+1] <= '9') {
				j++
			}
			out = append(out, token{tNum, s[i:j], sp})
			i = j
		default:
			_, n := utf8.DecodeRuneInString(s[i:])
			out = append(out, token{tOther, s[i : i+n], sp})
			i += n
		}
		sp = false
	}
	return out
}

func isLetter(c byte) bool { return 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' }

// dropped are commands removed with the number of brace arguments they
// take: spacing, sizes, \left/\right (their delimiter stays), labels and
// tags.
var dropped = map[string]int{
	`\,`: 0, `\!`: 0, `\;`: 0, `\:`: 0, `\ `: 0, `\>`: 0, `\enspace`: 0, `\thinspace`: 0,
	`\displaystyle`: 0, `\textstyle`: 0, `\scriptstyle`: 0, `\limits`: 0, `\nolimits`: 0,
	`\left`: 0, `\right`: 0, `\middle`: 0, `\big`: 0, `\Big`: 0, `\bigg`: 0, `\Bigg`: 0,
	`\bigl`: 0, `\bigr`: 0, `\Bigl`: 0, `\Bigr`: 0, `\biggl`: 0, `\biggr`: 0, `\Biggl`: 0, `\Biggr`: 0,
	`\bigm`: 0, `\Bigm`: 0, `\nonumber`: 0, `\notag`: 0, `\allowbreak`: 0, `\nobreak`: 0,
	`\label`: 1, `\tag`: 1, `\hspace`: 1, `\vspace`: 1, `\color`: 1, `\phantom`: 1,
	`\hphantom`: 1, `\vphantom`: 1, `\mspace`: 1, `\kern`: 0, `\hfill`: 0,
}

// clean drops what does not matter to symbols (see dropped, and the
// alignment tab &), turns \begin{name} and \end{name} into single tokens
// (skipping an array's column specification), and removes environments
// that wrap the whole equation (split, aligned, gathered ...).
func clean(toks []token) []token {
	var out []token
	for i := 0; i < len(toks); i++ {
		t := toks[i]
		if t.isOther("&") {
			continue
		}
		if t.kind == tCmd && (t.text == `\begin` || t.text == `\end`) {
			inner, next, ok := group(toks, i+1)
			if !ok {
				continue
			}
			name := strings.TrimSuffix(joinText(inner), "*")
			kind := byte(tBegin)
			if t.text == `\end` {
				kind = tEnd
			}
			out = append(out, token{kind, name, t.sp})
			i = next - 1
			if kind == tBegin && (name == "array" || name == "tabular") {
				if _, n, ok := group(toks, i+1); ok {
					i = n - 1
				}
			}
			continue
		}
		if n, ok := dropped[t.text]; ok && t.kind == tCmd {
			if t.text == `\tag` && i+1 < len(toks) && toks[i+1].isOther("*") {
				i++
			}
			for k := 0; k < n; k++ {
				if _, next, ok := group(toks, i+1); ok {
					i = next - 1
				}
			}
			continue
		}
		if t.is(tCmd, `\\`) {
			out = append(out, t)
			if i+1 < len(toks) && toks[i+1].isOther("[") { // \\[1ex]
				for j := i + 2; j < len(toks); j++ {
					if toks[j].isOther("]") {
						i = j
						break
					}
				}
			}
			continue
		}
		out = append(out, t)
	}
	// Unwrap \begin{split} ... \end{split} around everything.
	for len(out) >= 2 && out[0].kind == tBegin && out[len(out)-1].kind == tEnd && out[0].text == out[len(out)-1].text && wrapper[out[0].text] {
		out = out[1 : len(out)-1]
	}
	return out
}

// wrapper environments only arrange the rows of an equation.
var wrapper = map[string]bool{
	"split": true, "aligned": true, "gathered": true, "alignedat": true, "multlined": true, "subequations": true,
}

// joinText returns the letters, digits and other characters of toks, with
// the names of commands other than spacing.
func joinText(toks []token) string {
	var b strings.Builder
	for _, t := range toks {
		if t.kind == tCmd {
			if _, sp := dropped[t.text]; sp {
				continue
			}
		}
		b.WriteString(t.text)
	}
	return b.String()
}

// group returns the tokens inside the brace group at toks[i] and the index
// after it; ok is false when toks[i] does not open a group.
func group(toks []token, i int) (inner []token, next int, ok bool) {
	if i >= len(toks) || !toks[i].isOther("{") {
		return nil, i, false
	}
	depth := 0
	for j := i; j < len(toks); j++ {
		switch {
		case toks[j].isOther("{"):
			depth++
		case toks[j].isOther("}"):
			depth--
			if depth == 0 {
				return toks[i+1 : j], j + 1, true
			}
		}
	}
	return toks[i+1:], len(toks), true
}

// arg returns a macro argument at toks[i]: a brace group, or one token (a
// command with its own braced argument when it takes one, as in
// x_\mathrm{LS}).
func arg(toks []token, i int) (inner []token, next int, ok bool) {
	if i >= len(toks) {
		return nil, i, false
	}
	if inner, next, ok := group(toks, i); ok {
		return inner, next, true
	}
	t := toks[i]
	if t.isOther("}") {
		return nil, i, false
	}
	if t.kind == tCmd && takesArg(t.text) {
		if _, next, ok := group(toks, i+1); ok {
			return toks[i:next], next, true
		}
	}
	return toks[i : i+1], i + 1, true
}

func takesArg(cmd string) bool {
	return bold[cmd] || accents[cmd] != "" || letterFonts[cmd] || nameFonts[cmd] || textFonts[cmd]
}

// ------------------------------------------------------------- structure

// depthDelta returns how a token changes the nesting depth: braces,
// parentheses, brackets and environments.
func depthDelta(t token) int {
	switch {
	case t.isOther("{"), t.isOther("("), t.isOther("["), t.kind == tBegin:
		return 1
	case t.isOther("}"), t.isOther(")"), t.isOther("]"), t.kind == tEnd:
		return -1
	}
	return 0
}

// clauses splits toks at top-level \\, \quad and \qquad.
func clauses(toks []token) [][]token {
	var out [][]token
	depth, start := 0, 0
	for i, t := range toks {
		depth = max(0, depth+depthDelta(t))
		if depth == 0 && t.kind == tCmd && (t.text == `\\` || t.text == `\quad` || t.text == `\qquad`) {
			if i > start {
				out = append(out, toks[start:i])
			}
			start = i + 1
		}
	}
	if start < len(toks) {
		out = append(out, toks[start:])
	}
	return out
}

// relations are the commands that define the left-hand side.
var relations = map[string]bool{
	`\coloneqq`: true, `\coloneq`: true, `\triangleq`: true, `\equiv`: true, `\doteq`: true,
	`\eqqcolon`: true, `\defeq`: true, `\eqdef`: true, `\stackrel`: true, `\overset`: true,
}

// splitRelation splits a clause at its first top-level relation; with
// assign, \gets and \leftarrow count as relations too (pseudocode).
func splitRelation(toks []token, assign bool) (lhs, rhs []token, ok bool) {
	depth := 0
	for i := 0; i < len(toks); i++ {
		t := toks[i]
		if depth == 0 {
			switch {
			case t.isOther("="):
				l := toks[:i]
				if n := len(l); n > 0 && l[n-1].isOther(":") { // :=
					l = l[:n-1]
				}
				return l, toks[i+1:], true
			case t.kind == tCmd && (t.text == `\stackrel` || t.text == `\overset`):
				_, n1, ok1 := arg(toks, i+1)
				over, n2, ok2 := arg(toks, n1)
				if ok1 && ok2 && len(over) > 0 && (over[0].isOther("=") || relations[over[0].text]) {
					return toks[:i], toks[n2:], true
				}
			case t.kind == tCmd && relations[t.text]:
				return toks[:i], toks[i+1:], true
			case assign && t.kind == tCmd && (t.text == `\gets` || t.text == `\leftarrow`):
				return toks[:i], toks[i+1:], true
			}
		}
		depth = max(0, depth+depthDelta(t))
	}
	return nil, nil, false
}

// isRange says whether the right-hand side of a relation is a range of
// values, as in "h = 1, \dots, H" or "i = 1, 2, \ldots, n".
func isRange(rhs []token) bool {
	if len(rhs) == 0 || rhs[0].kind != tNum {
		return false
	}
	for _, t := range rhs {
		if t.kind == tCmd && (t.text == `\dots` || t.text == `\ldots` || t.text == `\cdots` || t.text == `\dotsc`) {
			return true
		}
	}
	return false
}

// definition reads a left-hand side that is one symbol, possibly applied
// to arguments in parentheses or brackets: "h^{(l)}", "\mathcal{L}_{LS}",
// "\operatorname{Attn}(Q, K, V)".
func definition(lhs []token) (sym string, args []string, ok bool) {
	if len(lhs) == 0 {
		return "", nil, false
	}
	sym, i, kind := symbol(lhs, 0)
	if kind != kSym {
		return "", nil, false
	}
	if i < len(lhs) && (lhs[i].isOther("(") || lhs[i].isOther("[")) {
		depth := 0
		j := i
		for ; j < len(lhs); j++ {
			depth += depthDelta(lhs[j])
			if depth == 0 {
				break
			}
		}
		if j == len(lhs) {
			return "", nil, false
		}
		args = scan(lhs[i+1 : j])
		i = j + 1
	}
	for ; i < len(lhs); i++ {
		if t := lhs[i]; !(t.isOther(",") || t.isOther(".") || t.isOther(";") || t.isOther(":")) {
			return "", nil, false
		}
	}
	return sym, args, true
}

// scan returns the symbols in toks, in order, without the variables that
// big operators bind (see bound).
func scan(toks []token) []string {
	var out, bnd []string
	for i := 0; i < len(toks); {
		sym, next, kind := symbol(toks, i)
		switch kind {
		case kSym:
			out = append(out, sym)
			i = next
		case kSkip:
			i = next
		default:
			if toks[i].isOther("_") {
				bnd = append(bnd, bound(toks, i+1)...)
			}
			i++
		}
	}
	if len(bnd) == 0 {
		return out
	}
	kept := out[:0]
	for _, s := range out {
		if !slices.Contains(bnd, s) {
			kept = append(kept, s)
		}
	}
	return kept
}

// bound returns the variables bound by the subscript at toks[i] of
// something that is not a symbol (\sum, \prod, \max, \operatorname*{arg
// max}): the symbols before a top-level = or \in ("i=1", "c \in C"), or
// a lone index letter ("\sum_i").
func bound(toks []token, i int) []string {
	inner, _, ok := arg(toks, i)
	if !ok {
		return nil
	}
	if len(inner) == 1 && inner[0].kind == tLetter && indexLetters[inner[0].text] {
		return []string{inner[0].text}
	}
	depth := 0
	for j, t := range inner {
		if depth == 0 && (t.isOther("=") || t.is(tCmd, `\in`)) {
			var out []string
			for k := 0; k < j; {
				sym, next, kind := symbol(inner[:j], k)
				if kind == kSym {
					out = append(out, sym)
				}
				k = max(next, k+1)
			}
			return out
		}
		depth = max(0, depth+depthDelta(t))
	}
	return nil
}

// --------------------------------------------------------------- symbols

// What symbol finds at a position.
const (
	kNone = iota // not a symbol: go on with the next token
	kSym         // a symbol
	kSkip        // something to skip whole (a standard function, prose)
)

var greek = map[string]bool{}

func init() {
	for _, g := range strings.Fields(`alpha beta gamma delta epsilon varepsilon zeta eta theta vartheta
		iota kappa lambda mu nu xi pi varpi rho varrho sigma varsigma tau upsilon phi varphi chi psi
		omega Gamma Delta Theta Lambda Xi Pi Sigma Upsilon Phi Psi Omega ell hbar aleph`) {
		greek[`\`+g] = true
	}
}

// bold commands are dropped from symbols.
var bold = map[string]bool{
	`\mathbf`: true, `\boldsymbol`: true, `\bm`: true, `\mathbold`: true, `\pmb`: true,
	`\vb`: true, `\bmath`: true, `\mathbfit`: true,
}

// accents are kept, with their canonical name.
var accents = map[string]string{
	`\hat`: `\hat`, `\widehat`: `\hat`, `\bar`: `\bar`, `\overline`: `\bar`, `\tilde`: `\tilde`,
	`\widetilde`: `\tilde`, `\vec`: `\vec`, `\dot`: `\dot`, `\ddot`: `\ddot`, `\check`: `\check`,
	`\breve`: `\breve`, `\mathring`: `\mathring`, `\acute`: `\acute`, `\grave`: `\grave`,
	`\widecheck`: `\check`, `\wideparen`: `\wideparen`, `\overrightarrow`: `\vec`,
}

// letterFonts make a different letter: kept.
var letterFonts = map[string]bool{`\mathcal`: true, `\mathscr`: true, `\mathfrak`: true, `\mathbb`: true, `\mathbbm`: true}

// nameFonts set names (\operatorname{Attn}); their content is a name.
var nameFonts = map[string]bool{
	`\mathrm`: true, `\operatorname`: true, `\mathsf`: true, `\mathtt`: true, `\mathit`: true,
	`\mathsfit`: true, `\textsc`: true,
}

// textFonts set prose; their content is a name only when it looks like one.
var textFonts = map[string]bool{
	`\text`: true, `\textrm`: true, `\textit`: true, `\textbf`: true, `\mbox`: true,
	`\textnormal`: true, `\textsf`: true, `\texttt`: true, `\textup`: true, `\emph`: true,
}

// stdCommands are standard operators.
var stdCommands = map[string]bool{}

// stdNames are standard function names, lower case, as written in a name
// font or as plain letters.
var stdNames = map[string]bool{}

// stdSets are blackboard letters with a standard meaning.
var stdSets = map[string]bool{"R": true, "N": true, "Z": true, "C": true, "Q": true, "E": true, "P": true, "1": true, "I": true, "V": true}

func init() {
	for _, c := range strings.Fields(`exp log ln lg sin cos tan cot sec csc tanh sinh cosh coth arcsin arccos
		arctan arg max min sup inf lim liminf limsup det dim ker deg gcd Pr hom mod bmod pmod`) {
		stdCommands[`\`+c] = true
	}
	for _, n := range strings.Fields(`exp log ln lg sin cos tan tanh sinh cosh sigmoid softmax softplus
		relu gelu silu swish elu tanh max min argmax argmin arg sup inf lim det tr trace diag sign sgn
		mean var std cov abs erf const avg d e dropout concat kl mse rank vec sum prod clip clamp
		floor ceil round stopgrad if otherwise for and where s.t. st with else`) {
		stdNames[n] = true
	}
}

// indexLetters are letters used as indices: dropped from scripts.
var indexLetters = map[string]bool{"i": true, "j": true, "k": true, "l": true, "m": true, "n": true, "t": true}

// symbol reads a symbol at toks[i] with its scripts and returns it in
// canonical form, the index after it and what it is.
func symbol(toks []token, i int) (string, int, int) {
	if i >= len(toks) {
		return "", i, kNone
	}
	t := toks[i]
	var base string
	j := i + 1
	switch {
	case t.kind == tLetter:
		// A run of letters that spells a standard function: softmax(x).
		k := i
		var run strings.Builder
		for k < len(toks) && toks[k].kind == tLetter && (k == i || !toks[k].sp) {
			run.WriteString(toks[k].text)
			k++
		}
		if k-i >= 2 && stdNames[strings.ToLower(run.String())] {
			return "", k, kSkip
		}
		base = t.text
	case t.kind != tCmd:
		return "", j, kNone
	case greek[t.text]:
		base = t.text
		if base == `\varepsilon` {
			base = `\epsilon`
		}
	case stdCommands[t.text]:
		return "", j, kSkip
	case bold[t.text]:
		inner, next, ok := arg(toks, j)
		if !ok {
			return "", j, kNone
		}
		sym, end, kind := symbol(inner, 0)
		if kind != kSym || end != len(inner) {
			return "", j, kNone // look inside: \mathbf{0}, \mathbf{W x}
		}
		base, j = sym, next
	case accents[t.text] != "":
		inner, next, ok := arg(toks, j)
		if !ok {
			return "", j, kNone
		}
		sym, end, kind := symbol(inner, 0)
		if kind != kSym || end != len(inner) {
			return "", j, kNone
		}
		base, j = accents[t.text]+"{"+sym+"}", next
	case letterFonts[t.text]:
		inner, next, ok := arg(toks, j)
		if !ok {
			return "", j, kNone
		}
		name := plainText(inner)
		if name == "" {
			return "", next, kSkip
		}
		if (t.text == `\mathbb` || t.text == `\mathbbm`) && stdSets[name] {
			return "", next, kSkip
		}
		font := t.text
		if font == `\mathbbm` {
			font = `\mathbb`
		}
		base, j = font+"{"+name+"}", next
	case nameFonts[t.text] || textFonts[t.text]:
		k := j
		if t.text == `\operatorname` && k < len(toks) && toks[k].isOther("*") {
			k++
		}
		inner, next, ok := arg(toks, k)
		if !ok {
			return "", j, kNone
		}
		name := plainText(inner)
		if name == "" || stdNames[strings.ToLower(name)] {
			return "", next, kSkip
		}
		if textFonts[t.text] {
			call := next < len(toks) && toks[next].isOther("(")
			if strings.ContainsAny(name, " ,.;:") || !(call || isUpper(name[0]) && len(name) > 1) {
				return "", next, kSkip // prose: \text{if }, \text{otherwise}
			}
		}
		base, j = `\mathrm{`+name+"}", next
	default:
		return "", j, kNone
	}
	sub, sup, primes := "", "", ""
	for j < len(toks) {
		s := toks[j]
		switch {
		case s.isOther("'"):
			primes += "'"
			j++
			continue
		case s.isOther("_") || s.isOther("^"):
			inner, next, ok := arg(toks, j+1)
			if !ok {
				return compose(base, sub, sup, primes), j + 1, kSym
			}
			isSup := s.isOther("^")
			if c, keep, prime := script(inner, isSup); prime {
				primes += c
			} else if keep && isSup {
				sup = c
			} else if keep {
				sub = c
			}
			j = next
			continue
		}
		break
	}
	return compose(base, sub, sup, primes), j, kSym
}

func compose(base, sub, sup, primes string) string {
	s := base
	if sub != "" {
		s += "_" + wrap(sub)
	}
	if sup != "" {
		s += "^" + wrap(sup)
	}
	return s + primes
}

func wrap(s string) string {
	if len(s) == 1 {
		return s
	}
	return "{" + s + "}"
}

func isUpper(c byte) bool { return 'A' <= c && c <= 'Z' }

// plainText returns the text of a name: letters, digits and a few
// characters, without spacing commands ("arg\,max" → "argmax").
func plainText(toks []token) string {
	var b strings.Builder
	for _, t := range toks {
		switch t.kind {
		case tLetter, tNum:
			if t.sp && b.Len() > 0 {
				b.WriteByte(' ')
			}
			b.WriteString(t.text)
		case tOther:
			if t.text != "{" && t.text != "}" {
				b.WriteString(t.text)
			}
		case tCmd:
			if greek[t.text] {
				b.WriteString(t.text)
			}
		}
	}
	return strings.TrimSpace(b.String())
}

// script classifies a subscript or superscript: the canonical text and
// whether it is part of the symbol's name (keep), or primes.
func script(inner []token, sup bool) (canon string, keep, prime bool) {
	if len(inner) == 0 {
		return "", false, false
	}
	first := inner[0]
	// Primes: h^{\prime}, h^{\prime\prime}.
	if first.is(tCmd, `\prime`) {
		n := 0
		for _, t := range inner {
			if t.is(tCmd, `\prime`) {
				n++
			}
		}
		return strings.Repeat("'", n), false, true
	}
	if first.isOther("(") {
		return "", false, false // h^{(l)}
	}
	for _, t := range inner {
		switch {
		case t.kind == tOther && strings.Contains("+-=,:;<>|", t.text):
			return "", false, false // x_{t-1}, x_{1:T}, A^{-1}
		case t.kind == tCmd && (t.text == `\le` || t.text == `\leq` || t.text == `\ge` || t.text == `\geq` ||
			t.text == `\in` || t.text == `\dots` || t.text == `\ldots` || t.text == `\cdots` || t.text == `\mid` ||
			t.text == `\setminus` || t.text == `\neq`):
			return "", false, false
		}
	}
	if len(inner) == 1 {
		t := inner[0]
		switch t.kind {
		case tNum:
			return t.text, !sup, false // W_1; x^2 is a power
		case tLetter:
			// x_i is indexed; x^t, \gamma^h are powers; W^T is a
			// transpose; W_c, W^Q are names.
			if indexLetters[t.text] || sup && (t.text == "T" || 'a' <= t.text[0] && t.text[0] <= 'z') {
				return "", false, false
			}
			return t.text, true, false
		case tOther:
			if t.text == "*" {
				return "*", true, false
			}
			return "", false, false
		case tCmd:
			switch {
			case t.text == `\top` || t.text == `\intercal` || t.text == `\dagger` || t.text == `\mathsf`:
				return "", false, false
			case t.text == `\star` || t.text == `\ast`:
				return "*", true, false
			case greek[t.text] || t.text == `\max` || t.text == `\min` || t.text == `\infty`:
				return t.text, true, false
			}
			return "", false, false
		}
	}
	// A name in a font: _{\mathrm{LS}}, _\text{gate}, ^{\mathsf{T}}.
	if first.kind == tCmd && (nameFonts[first.text] || textFonts[first.text]) {
		if in, next, ok := arg(inner, 1); ok && next == len(inner) {
			name := strings.ReplaceAll(plainText(in), " ", "")
			if name == "" || sup && (name == "T" || name == "top") {
				return "", false, false
			}
			return `\mathrm{` + name + "}", true, false
		}
	}
	// Letters and digits only: _{LS} and _{x2} are names, _{ij} two
	// indices.
	letters, indices := true, true
	for _, t := range inner {
		if t.kind != tLetter && t.kind != tNum {
			letters = false
			break
		}
		if !indexLetters[t.text] {
			indices = false
		}
	}
	if letters {
		if indices {
			return "", false, false
		}
		var b strings.Builder
		for _, t := range inner {
			b.WriteString(t.text)
		}
		return `\mathrm{` + b.String() + "}", true, false
	}
	// A symbol: s_{\hat{y}}, x_{\mathbf{k}}.
	if sym, end, kind := symbol(inner, 0); kind == kSym && end == len(inner) && !indexLetters[sym] {
		return sym, true, false
	}
	return "", false, false
}
