package facts

import (
	"math"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"
)

// kind is the kind of a token of a sentence.
type kind uint8

const (
	kWord  kind = iota // a word of prose, or text inside \text{...}
	kNum               // a number, in prose or in math
	kSym               // a math symbol: \lambda, \beta_1, d, T_{\max}
	kOp                // = : ≈ ∈ < > ≤ ≥ ~ ×
	kPunct             // , ; ( ) [ ] { } / - – … and any other character
)

// token is one token of a sentence. start and end are byte offsets into the
// sentence, so that a value can be quoted as written.
type token struct {
	kind       kind
	text       string  // the token as written
	low        string  // words: lower case; symbols: normalised (\beta_1); ops and punct: canonical
	num        float64 // numbers, and number words ("five")
	isInt      bool    // an integer as written (no decimal point or exponent)
	pct        bool    // a percentage, already divided by 100
	numWord    bool    // a word that is a number ("five")
	math       bool    // inside $...$
	start, end int
}

// numberWords are the number words read in prose ("five seeds").
var numberWords = map[string]float64{
	"one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7,
	"eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "fifteen": 15,
	"twenty": 20, "thirty": 30, "fifty": 50, "hundred": 100,
}

// multipliers are words that scale the number before them.
var multipliers = map[string]int{
	"thousand": 3, "million": 6, "millions": 6, "billion": 9, "billions": 9,
}

// greek maps Greek letters written in Unicode to their LaTeX names.
var greek = map[rune]string{
	'α': `\alpha`, 'β': `\beta`, 'γ': `\gamma`, 'δ': `\delta`, 'ε': `\epsilon`, 'ϵ': `\epsilon`,
	'ζ': `\zeta`, 'η': `\eta`, 'θ': `\theta`, 'κ': `\kappa`, 'λ': `\lambda`, 'μ': `\mu`,
	'ν': `\nu`, 'ξ': `\xi`, 'π': `\pi`, 'ρ': `\rho`, 'σ': `\sigma`, 'τ': `\tau`, 'φ': `\phi`,
	'ϕ': `\phi`, 'χ': `\chi`, 'ψ': `\psi`, 'ω': `\omega`, 'Γ': `\Gamma`, 'Δ': `\Delta`,
	'Λ': `\Lambda`, 'Σ': `\Sigma`, 'Ω': `\Omega`,
}

// mathOps are the LaTeX commands read as operators.
var mathOps = map[string]string{
	`\in`: "∈", `\approx`: "≈", `\sim`: "~", `\simeq`: "≈", `\leq`: "≤", `\le`: "≤", `\geq`: "≥",
	`\ge`: "≥", `\times`: "×", `\cdot`: "×", `\neq`: "≠", `\to`: "→", `\rightarrow`: "→",
	`\leftarrow`: "←", `\gets`: "←", `\equiv`: "≡", `\propto`: "∝", `\pm`: "±", `\mapsto`: "→",
	`\coloneqq`: "=", `\doteq`: "=", `\triangleq`: "=", `\defeq`: "=", `\ll`: "≪", `\gg`: "≫",
	`\lesssim`: "≤", `\gtrsim`: "≥", `\mid`: "|", `\vert`: "|", `\setminus`: "\\",
}

// mathSkip are LaTeX commands that print nothing of interest.
var mathSkip = map[string]bool{
	`\,`: true, `\;`: true, `\!`: true, `\:`: true, `\ `: true, `\quad`: true, `\qquad`: true,
	`\left`: true, `\right`: true, `\big`: true, `\Big`: true, `\bigg`: true, `\Bigg`: true,
	`\bigl`: true, `\bigr`: true, `\Bigl`: true, `\Bigr`: true, `\biggl`: true, `\biggr`: true,
	`\displaystyle`: true, `\textstyle`: true, `\scriptstyle`: true, `\limits`: true,
	`\nolimits`: true, `\tiny`: true, `\small`: true, `\footnotesize`: true,
}

// fontCmds take one argument that is part of the symbol (\mathcal{D}).
var fontCmds = map[string]bool{
	`\mathcal`: true, `\mathbb`: true, `\mathbf`: true, `\boldsymbol`: true, `\bm`: true,
	`\mathit`: true, `\mathsf`: true, `\mathscr`: true, `\mathfrak`: true, `\hat`: true,
	`\tilde`: true, `\bar`: true, `\vec`: true, `\widehat`: true, `\widetilde`: true,
	`\overline`: true, `\dot`: true, `\mathbold`: true,
}

// textCmds hold prose inside math (\text{...}).
var textCmds = map[string]bool{
	`\text`: true, `\textrm`: true, `\mathrm`: true, `\textit`: true, `\mbox`: true,
	`\operatorname`: true, `\textnormal`: true, `\textbf`: true, `\texttt`: true,
}

// lex splits a sentence (prose with inline math as $...$) into tokens.
func lex(s string) []token {
	l := lexer{s: s}
	l.run()
	return l.toks
}

type lexer struct {
	s    string
	i    int
	math bool
	toks []token
}

func (l *lexer) emit(t token) {
	t.math = l.math
	if t.text == "" {
		t.text = l.s[t.start:t.end]
	}
	if t.low == "" {
		t.low = strings.ToLower(t.text)
	}
	l.toks = append(l.toks, t)
}

func (l *lexer) run() {
	for l.i < len(l.s) {
		if len(l.toks) > 20000 {
			return
		}
		c := l.s[l.i]
		switch {
		case c == '$':
			l.math = !l.math
			l.i++
		case c == ' ' || c == '\n' || c == '\t' || c == '\r' || c == '~' && !l.math:
			l.i++
		case strings.HasPrefix(l.s[l.i:], "..."):
			l.emit(token{kind: kPunct, low: "…", start: l.i, end: l.i + 3})
			l.i += 3
		case isDigit(c) || c == '.' && l.i+1 < len(l.s) && isDigit(l.s[l.i+1]) && !l.prevIsNum():
			l.number()
		case c == '-' && l.negativeAhead():
			l.number()
		case l.math:
			l.mathToken()
		default:
			l.textToken()
		}
	}
}

// prevIsNum reports whether the last token is a number (so that ".5" after
// it is not a new number but punctuation).
func (l *lexer) prevIsNum() bool {
	return len(l.toks) > 0 && l.toks[len(l.toks)-1].kind == kNum && l.toks[len(l.toks)-1].end == l.i
}

// negativeAhead reports whether a '-' at l.i is the sign of a number: it is
// followed by a digit and does not follow a number, symbol or closing bracket.
func (l *lexer) negativeAhead() bool {
	j := l.i + 1
	if j >= len(l.s) || !isDigit(l.s[j]) && !(l.s[j] == '.' && j+1 < len(l.s) && isDigit(l.s[j+1])) {
		return false
	}
	if len(l.toks) == 0 {
		return true
	}
	p := l.toks[len(l.toks)-1]
	switch p.kind {
	case kNum, kSym:
		return false
	case kWord:
		// "1e-4-1e-3" is a range, "layer-2" a name; "of -2" a number.
		return p.end < l.i
	case kPunct:
		return p.low != ")" && p.low != "]" && p.low != "}"
	}
	return true
}

func isDigit(c byte) bool { return c >= '0' && c <= '9' }

// number reads a number with its decorations: thousands separators (1,000,
// 100{,}000, 100\,000), an exponent (3e-4, 3 \times 10^{-4}, 3·10^-4, 10^{-8}),
// a suffix (100k, 6.4M, 1B), a multiplier word (1.5 million) and a percent
// sign (10%, 10\%).
func (l *lexer) number() {
	s := l.s
	start := l.i
	i := l.i
	neg := false
	if s[i] == '-' {
		neg = true
		i++
	}
	var digits strings.Builder
	isInt := true
	// Integer part with separators: the first group has one to three
	// digits, every later group exactly three.
	group, seps := 0, 0
	for i < len(s) {
		c := s[i]
		if isDigit(c) {
			digits.WriteByte(c)
			group++
			i++
			continue
		}
		if sep := thousandsSep(s, i); sep > 0 && group > 0 && (group <= 3 && seps == 0 || group == 3) {
			j := i + sep
			if j+3 <= len(s) && isDigit(s[j]) && isDigit(s[j+1]) && isDigit(s[j+2]) && (j+3 == len(s) || !isDigit(s[j+3])) {
				i = j
				group = 0
				seps++
				continue
			}
		}
		break
	}
	if i < len(s) && s[i] == '.' && i+1 < len(s) && isDigit(s[i+1]) {
		isInt = false
		digits.WriteByte('.')
		i++
		for i < len(s) && isDigit(s[i]) {
			digits.WriteByte(s[i])
			i++
		}
	}
	exp := 0
	if _, err := strconv.ParseFloat(digits.String(), 64); err != nil {
		// Not a number after all (a lone '.'): punctuation.
		l.emit(token{kind: kPunct, low: s[l.i : l.i+1], start: l.i, end: l.i + 1})
		l.i++
		return
	}
	end := i
	// Exponent: e-4, E+05.
	if i < len(s) && (s[i] == 'e' || s[i] == 'E') {
		j := i + 1
		if j < len(s) && (s[j] == '-' || s[j] == '+') {
			j++
		} else if strings.HasPrefix(s[j:], "−") {
			j += len("−")
		}
		k := j
		for k < len(s) && isDigit(s[k]) {
			k++
		}
		if k > j && (k == len(s) || !isLetter(s[k])) {
			e, _ := strconv.Atoi(strings.TrimPrefix(strings.ReplaceAll(s[i+1:k], "−", "-"), "+"))
			exp += e
			isInt = false
			i, end = k, k
		}
	}
	// 10^{-4} on its own, or "× 10^{-4}" after a mantissa.
	if e, k, ok := powerOfTen(s, start+boolInt(neg)); ok && digits.String() == "10" {
		digits.Reset()
		digits.WriteString("1")
		exp = e
		isInt = e >= 0
		i, end = k, k
	} else if j, ok := timesTen(s, i); ok {
		if e, k, ok := powerOfTen(s, j); ok {
			exp += e
			isInt = false
			i, end = k, k
		}
	}
	// Suffixes k, K, M, B (not followed by a letter: "100k", "6.4M"), also
	// just after math: "$45$K steps".
	if l.math && i+1 < len(s) && s[i] == '$' && strings.IndexByte("kKMB", s[i+1]) >= 0 && (i+2 == len(s) || !isLetter(s[i+2])) {
		l.math = false
		i++
	}
	if i < len(s) && strings.IndexByte("kKMB", s[i]) >= 0 && (i+1 == len(s) || !isLetter(s[i+1])) && !l.math {
		switch s[i] {
		case 'k', 'K':
			exp += 3
		case 'M':
			exp += 6
		case 'B':
			exp += 9
		}
		i++
		end = i
	}
	pct := false
	// Percent: "10%", "10\%", "10 %".
	j := i
	for j < len(s) && s[j] == ' ' {
		j++
	}
	if strings.HasPrefix(s[j:], `\%`) {
		j += 2
		pct = true
	} else if j < len(s) && s[j] == '%' {
		j++
		pct = true
	}
	if pct {
		exp -= 2
		isInt = false
		i, end = j, j
	}
	// A multiplier word: "1.5 million".
	if !pct {
		k := i
		for k < len(s) && s[k] == ' ' {
			k++
		}
		w := k
		for w < len(s) && isLetter(s[w]) {
			w++
		}
		if m, ok := multipliers[strings.ToLower(s[k:w])]; ok && w > k {
			exp += m
			i, end = w, w
		}
	}
	// One parse of mantissa and exponent: 3e-4 is 0.0003, not 3 × 0.0001.
	v, _ := strconv.ParseFloat(digits.String()+"e"+strconv.Itoa(exp), 64)
	if isInt && v != math.Trunc(v) {
		isInt = false
	}
	if neg {
		v = -v
	}
	if math.IsInf(v, 0) || math.IsNaN(v) {
		v = 0
	}
	if !l.math && i < len(s) && isLetter(s[i]) && !pct {
		// "512x512": a size; "2D", "3rd", "4x": a word, not a number.
		if s[i] == 'x' && i+1 < len(s) && isDigit(s[i+1]) {
			l.emit(token{kind: kNum, num: v, isInt: isInt, start: start, end: end})
			l.emit(token{kind: kOp, low: "×", start: i, end: i + 1})
			l.i = i + 1
			return
		}
		j := i
		for j < len(s) && (isLetter(s[j]) || isDigit(s[j]) || s[j] == '-') {
			j++
		}
		l.emit(token{kind: kWord, start: start, end: j})
		l.i = j
		return
	}
	l.emit(token{kind: kNum, num: v, isInt: isInt, pct: pct, start: start, end: end})
	l.i = i
}

func boolInt(b bool) int {
	if b {
		return 1
	}
	return 0
}

// thousandsSep returns the length of a thousands separator at s[i] (",",
// "{,}", "\,"), or 0.
func thousandsSep(s string, i int) int {
	switch {
	case strings.HasPrefix(s[i:], "{,}"):
		return 3
	case strings.HasPrefix(s[i:], `\,`):
		return 2
	case s[i] == ',':
		return 1
	}
	return 0
}

// timesTen returns the position after a multiplication sign that follows
// a mantissa ("3 \times 10^{-4}", "3·10^-4", "3 x 10^-4").
func timesTen(s string, i int) (int, bool) {
	j := skipSpace(s, i)
	switch {
	case strings.HasPrefix(s[j:], `\times`):
		j += len(`\times`)
	case strings.HasPrefix(s[j:], `\cdot`):
		j += len(`\cdot`)
	case strings.HasPrefix(s[j:], "×"):
		j += len("×")
	case strings.HasPrefix(s[j:], "·"):
		j += len("·")
	case strings.HasPrefix(s[j:], "x") || strings.HasPrefix(s[j:], "*"):
		j++
	default:
		return 0, false
	}
	j = skipSpace(s, j)
	for j < len(s) && s[j] == '{' {
		j++
	}
	if strings.HasPrefix(s[j:], "10") {
		return j, true
	}
	return 0, false
}

// powerOfTen parses "10^{-4}", "10^-4", "10^{4}", "10^4" at s[i].
func powerOfTen(s string, i int) (exp, end int, ok bool) {
	if !strings.HasPrefix(s[i:], "10") {
		return 0, 0, false
	}
	j := i + 2
	j = skipSpace(s, j)
	if j >= len(s) || s[j] != '^' {
		return 0, 0, false
	}
	j++
	j = skipSpace(s, j)
	brace := false
	if j < len(s) && s[j] == '{' {
		brace = true
		j++
		j = skipSpace(s, j)
	}
	neg := false
	switch {
	case strings.HasPrefix(s[j:], "-"):
		neg = true
		j++
	case strings.HasPrefix(s[j:], "−"):
		neg = true
		j += len("−")
	case strings.HasPrefix(s[j:], "+"):
		j++
	}
	k := j
	for k < len(s) && isDigit(s[k]) && (brace || k == j) {
		k++
	}
	if k == j {
		return 0, 0, false
	}
	e, _ := strconv.Atoi(s[j:k])
	if e > 300 {
		e = 300
	}
	if neg {
		e = -e
	}
	if brace {
		k = skipSpace(s, k)
		if k >= len(s) || s[k] != '}' {
			return 0, 0, false
		}
		k++
	}
	return e, k, true
}

func skipSpace(s string, i int) int {
	for i < len(s) && s[i] == ' ' {
		i++
	}
	return i
}

func isLetter(c byte) bool { return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' }

// mathToken reads one token inside math.
func (l *lexer) mathToken() {
	s := l.s
	c := s[l.i]
	start := l.i
	switch {
	case c == '\\':
		j := l.i + 1
		for j < len(s) && isLetter(s[j]) {
			j++
		}
		if j == l.i+1 && j < len(s) {
			// A control symbol: \{ \} \, \% \\ ...
			r, n := utf8.DecodeRuneInString(s[j:])
			j += n
			name := s[l.i:j]
			l.i = j
			switch {
			case name == `\{` || name == `\}`:
				l.emit(token{kind: kPunct, low: name[1:], start: start, end: j})
			case mathSkip[name] || name == `\\`:
			default:
				l.emit(token{kind: kPunct, low: string(r), start: start, end: j})
			}
			return
		}
		name := s[l.i:j]
		switch {
		case mathSkip[name]:
			l.i = j
		case mathOps[name] != "":
			l.i = j
			l.emit(token{kind: kOp, low: mathOps[name], start: start, end: j})
		case name == `\dots` || name == `\ldots` || name == `\cdots`:
			l.i = j
			l.emit(token{kind: kPunct, low: "…", start: start, end: j})
		case name == `\lbrace` || name == `\rbrace`:
			l.i = j
			b := "{"
			if name == `\rbrace` {
				b = "}"
			}
			l.emit(token{kind: kPunct, low: b, start: start, end: j})
		case textCmds[name]:
			// The argument's words, as prose.
			a, b, end := groupAt(s, j)
			l.i = end
			if a < b {
				inner := lexer{s: s[:b], i: a}
				for inner.i < b {
					if len(inner.toks) > 200 {
						break
					}
					cc := s[inner.i]
					switch {
					case cc == ' ' || cc == '{' || cc == '}':
						inner.i++
					case isDigit(cc):
						inner.number()
					default:
						inner.textToken()
					}
				}
				for _, t := range inner.toks {
					t.math = true
					l.toks = append(l.toks, t)
				}
			}
		default:
			end := j
			if fontCmds[name] {
				_, _, end = groupAt(s, j)
			}
			end = scripts(s, end)
			l.i = end
			l.emit(token{kind: kSym, low: normSym(s[start:end]), start: start, end: end})
		}
	case isLetter(c):
		end := scripts(s, l.i+1)
		l.i = end
		l.emit(token{kind: kSym, low: normSym(s[start:end]), start: start, end: end})
	case c == '{' || c == '}' || c == '^' || c == '_' || c == '&':
		l.i++
	case c == '=' || c == '<' || c == '>' || c == ':':
		l.i++
		low := string(c)
		if c == ':' && l.i < len(s) && s[l.i] == '=' {
			l.i++
			low = "="
		}
		l.emit(token{kind: kOp, low: low, start: start, end: l.i})
	default:
		r, n := utf8.DecodeRuneInString(s[l.i:])
		l.i += n
		if g, ok := greek[r]; ok {
			end := scripts(s, l.i)
			l.i = end
			l.emit(token{kind: kSym, low: normSym(g + s[start+n:end]), start: start, end: end})
			return
		}
		l.emitRune(r, start)
	}
}

// emitRune emits a single character as an operator or punctuation.
func (l *lexer) emitRune(r rune, start int) {
	switch r {
	case '=', '≈', '∈', '≤', '≥', '×', '<', '>', '≠', '→':
		l.emit(token{kind: kOp, low: string(r), start: start, end: l.i})
	case '−':
		l.emit(token{kind: kPunct, low: "-", start: start, end: l.i})
	case '—':
		l.emit(token{kind: kPunct, low: "—", start: start, end: l.i})
	default:
		l.emit(token{kind: kPunct, low: string(r), start: start, end: l.i})
	}
}

// textToken reads one token of prose.
func (l *lexer) textToken() {
	s := l.s
	start := l.i
	r, n := utf8.DecodeRuneInString(s[l.i:])
	if g, ok := greek[r]; ok {
		// β1, β_1, λ: symbols written in Unicode.
		end := l.i + n
		for end < len(s) && isDigit(s[end]) {
			end++
		}
		end = scripts(s, end)
		sym := g
		if rest := s[l.i+n : end]; rest != "" {
			if rest[0] != '_' && rest[0] != '^' {
				rest = "_" + rest
			}
			sym += rest
		}
		if end == len(s) || !isWordRune(s, end) {
			l.i = end
			l.emit(token{kind: kSym, low: normSym(sym), start: start, end: end})
			return
		}
	}
	if unicode.IsLetter(r) {
		end := l.i
		for end < len(s) {
			r, n := utf8.DecodeRuneInString(s[end:])
			if unicode.IsLetter(r) || unicode.IsDigit(r) || r == '\'' || r == '’' {
				end += n
				continue
			}
			// A hyphen or a dot inside a word: warm-up, SST-2, top-1.
			if (r == '-' || r == '‐') && end+n < len(s) && isWordRune(s, end+n) {
				end += n
				continue
			}
			break
		}
		w := s[start:end]
		w = strings.TrimRight(w, "'’")
		end = start + len(w)
		l.i = end
		low := strings.ToLower(w)
		t := token{kind: kWord, low: low, start: start, end: end}
		if v, ok := numberWords[low]; ok {
			t.num, t.numWord, t.isInt = v, true, true
		}
		l.emit(t)
		return
	}
	l.i += n
	if r == '\\' {
		// A stray command in prose: skip its name.
		for l.i < len(s) && isLetter(s[l.i]) {
			l.i++
		}
		return
	}
	l.emitRune(r, start)
}

func isWordRune(s string, i int) bool {
	r, _ := utf8.DecodeRuneInString(s[i:])
	return unicode.IsLetter(r) || unicode.IsDigit(r)
}

// groupAt returns the content bounds of a {group} starting at or after
// s[i] (spaces skipped) and the position after it; a single character
// stands for a group of its own.
func groupAt(s string, i int) (a, b, end int) {
	i = skipSpace(s, i)
	if i >= len(s) {
		return i, i, i
	}
	if s[i] != '{' {
		if s[i] == '\\' {
			j := i + 1
			for j < len(s) && isLetter(s[j]) {
				j++
			}
			if j == i+1 && j < len(s) {
				j++
			}
			return i, j, j
		}
		_, n := utf8.DecodeRuneInString(s[i:])
		return i, i + n, i + n
	}
	depth := 0
	for j := i; j < len(s); j++ {
		switch s[j] {
		case '{':
			depth++
		case '}':
			depth--
			if depth == 0 {
				return i + 1, j, j + 1
			}
		case '$':
			return i + 1, j, j
		}
	}
	return i + 1, len(s), len(s)
}

// scripts reads subscripts and superscripts after a symbol (_1, _{\max},
// ^{(l)}) and returns the position after them.
func scripts(s string, i int) int {
	for n := 0; n < 4; n++ {
		j := skipSpace(s, i)
		if j >= len(s) || s[j] != '_' && s[j] != '^' && s[j] != '\'' {
			return i
		}
		if s[j] == '\'' {
			i = j + 1
			continue
		}
		_, _, end := groupAt(s, j+1)
		i = end
	}
	return i
}

// normSym normalises a symbol as written: spaces and braces around single
// characters go ("\beta_{1}" and "\beta_1" are the same), Unicode Greek
// becomes its LaTeX name.
func normSym(s string) string {
	var b strings.Builder
	for _, r := range s {
		if g, ok := greek[r]; ok {
			b.WriteString(g)
			continue
		}
		if r != ' ' {
			b.WriteRune(r)
		}
	}
	out := b.String()
	// _{1} -> _1, ^{2} -> ^2
	for _, p := range []string{"_{", "^{"} {
		for i := 0; i+4 <= len(out); i++ {
			if out[i:i+2] == p {
				if j := strings.IndexByte(out[i+2:], '}'); j == 1 {
					out = out[:i+1] + out[i+2:i+3] + out[i+4:]
				}
			}
		}
	}
	return out
}
