package bib

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// Clean turns a fragment of LaTeX markup, as found in bibliography fields,
// into plain text: grouping braces and math shifts are removed, formatting
// commands keep their argument (\emph{x} -> x), accent commands are composed
// with their letter ({\"o}, \"{o} and \"o all give ö), escaped specials are
// unescaped (\& -> &), ~ becomes a space, -- and --- become en and em dashes,
// doubled backquotes and apostrophes become curly double quotes, and runs
// of white space collapse to one space. Unknown commands are dropped but
// their arguments are kept. Clean never fails; markup it does not understand
// degrades to its text.
func Clean(s string) string {
	if s == "" {
		return ""
	}
	c := cleaner{br: newBraces(s)}
	c.run(0, len(s))
	return collapseSpace(c.b.String())
}

// cleaner converts one string; br finds its groups. Offsets are into br.s
// throughout, and each run is limited to a range of it.
type cleaner struct {
	b  strings.Builder
	br *braces
}

// run appends the plain text of br.s[from:to].
func (c *cleaner) run(from, to int) {
	s := c.br.s[:to]
	for i := from; i < len(s); {
		ch := s[i]
		switch ch {
		case '\\':
			i = c.command(s, i)
		case '{', '}', '$':
			i++
		case '~':
			c.b.WriteByte(' ')
			i++
		case '-':
			n := 1
			for i+n < len(s) && s[i+n] == '-' && n < 3 {
				n++
			}
			switch n {
			case 3:
				c.b.WriteString("—")
			case 2:
				c.b.WriteString("–")
			default:
				c.b.WriteByte('-')
			}
			i += n
		case '`':
			if i+1 < len(s) && s[i+1] == '`' {
				c.b.WriteString("“")
				i += 2
			} else {
				c.b.WriteString("‘")
				i++
			}
		case '\'':
			if i+1 < len(s) && s[i+1] == '\'' {
				c.b.WriteString("”")
				i += 2
			} else {
				c.b.WriteByte('\'')
				i++
			}
		case '\n', '\t', '\r':
			c.b.WriteByte(' ')
			i++
		default:
			c.b.WriteByte(ch)
			i++
		}
	}
}

// command handles the control sequence starting at s[i] == '\\', where s is
// br.s cut at the end of the current range, and returns the index after
// everything it consumed.
func (c *cleaner) command(s string, i int) int {
	name, j := readCommand(s, i)
	if name == "" { // a lone trailing backslash
		return j
	}
	if isLetter(name[0]) {
		// TeX skips spaces after a control word.
		j = skipSpaces(s, j)
	}
	if acc, ok := accents[name]; ok {
		arg, k := c.accentArg(s, j)
		if arg == "" && (name == "~" || name == "^") {
			c.b.WriteString(name) // \~{} prints a tilde
			return k
		}
		c.b.WriteString(compose(acc, arg))
		return k
	}
	if sym, ok := symbols[name]; ok {
		c.b.WriteString(sym)
		return j
	}
	switch name {
	case "url", "path", "nolinkurl":
		arg, k, ok := c.br.group(j, len(s))
		if ok {
			c.b.WriteString(strings.TrimSpace(arg))
			return k
		}
		return j
	case "href":
		_, k, ok := c.br.group(j, len(s))
		if !ok {
			return j
		}
		k = skipSpaces(s, k)
		if _, k2, ok := c.br.group(k, len(s)); ok {
			c.run(k+1, k2-1)
			return k2
		}
		return k
	case "noopsort", "label", "index", "hskip", "vskip", "hspace", "vspace", "bibinitperiod", "bibinitdelim":
		if name == "bibinitperiod" {
			c.b.WriteByte('.')
			return j
		}
		if name == "bibinitdelim" {
			c.b.WriteByte(' ')
			return j
		}
		if _, k, ok := c.br.group(j, len(s)); ok {
			return k
		}
		return j
	case "penalty":
		for j < len(s) && (s[j] >= '0' && s[j] <= '9' || s[j] == '-') {
			j++
		}
		return j
	case "newblock", "par", "bibnamedelima", "bibnamedelimb", "bibnamedelimc", "bibnamedelimd", "bibnamedelimi", "addspace", "space", "quad", "qquad":
		c.b.WriteByte(' ')
		return j
	case "verb":
		if j < len(s) {
			delim := s[j]
			end := strings.IndexByte(s[j+1:], delim)
			if end >= 0 {
				c.b.WriteString(s[j+1 : j+1+end])
				return j + 1 + end + 1
			}
		}
		return j
	}
	// Unknown command: drop it, its arguments follow as ordinary text.
	return j
}

// readCommand reads the control sequence at s[i] == '\\' and returns its name
// (letters, or one non-letter character) and the index after it.
func readCommand(s string, i int) (string, int) {
	j := i + 1
	if j >= len(s) {
		return "", j
	}
	if !isLetter(s[j]) {
		_, size := utf8.DecodeRuneInString(s[j:])
		return s[j : j+size], j + size
	}
	for j < len(s) && isLetter(s[j]) {
		j++
	}
	return s[i+1 : j], j
}

// accentArg reads the argument of an accent command at s[j]: a braced group,
// a control sequence such as \i, or a single character. It returns the plain
// text of the argument and the index after it.
func (c *cleaner) accentArg(s string, j int) (string, int) {
	j = skipSpaces(s, j) // TeX skips spaces before a macro argument
	if j >= len(s) {
		return "", j
	}
	switch s[j] {
	case '{':
		_, k, ok := c.br.group(j, len(s))
		if !ok {
			return "", j + 1
		}
		sub := cleaner{br: c.br}
		sub.run(j+1, k-1)
		return collapseSpace(sub.b.String()), k
	case '\\':
		name, k := readCommand(s, j)
		if sym, ok := symbols[name]; ok {
			return sym, k
		}
		return "", k
	case '}':
		return "", j
	}
	r, size := utf8.DecodeRuneInString(s[j:])
	return string(r), j + size
}

func skipSpaces(s string, j int) int {
	for j < len(s) && (s[j] == ' ' || s[j] == '\t' || s[j] == '\n' || s[j] == '\r') {
		j++
	}
	return j
}

func isLetter(b byte) bool { return b >= 'a' && b <= 'z' || b >= 'A' && b <= 'Z' }

// collapseSpace replaces each run of white space with one space and trims
// both ends.
func collapseSpace(s string) string {
	if isCollapsed(s) {
		return s
	}
	var b strings.Builder
	b.Grow(len(s))
	space := false
	for _, r := range s {
		if unicode.IsSpace(r) {
			space = true
			continue
		}
		if space && b.Len() > 0 {
			b.WriteByte(' ')
		}
		space = false
		b.WriteRune(r)
	}
	return b.String()
}

// accent describes one LaTeX accent command: the combining mark used when no
// precomposed letter exists, and the precomposed letters as base/result pairs.
type accent struct {
	mark  rune
	pairs string
}

var accents = map[string]*accent{
	"'":  {'\u0301', "aáeéiíoóuúyýAÁEÉIÍOÓUÚYÝcćnńsśzźCĆNŃSŚZŹgǵlĺrŕLĹRŔwẃWẂ"},
	"`":  {'\u0300', "aàeèiìoòuùAÀEÈIÌOÒUÙnǹ"},
	"^":  {'\u0302', "aâeêiîoôuûAÂEÊIÎOÔUÛcĉgĝhĥjĵsŝwŵyŷCĈGĜHĤJĴSŜWŴYŶ"},
	"\"": {'\u0308', "aäeëiïoöuüyÿAÄEËIÏOÖUÜYŸ"},
	"~":  {'\u0303', "aãoõnñiĩuũAÃOÕNÑIĨUŨ"},
	"=":  {'\u0304', "aāeēiīoōuūAĀEĒIĪOŌUŪ"},
	".":  {'\u0307', "zżeėcċgġIİZŻEĖCĊGĠ"},
	"u":  {'\u0306', "aăgğuŭAĂGĞUŬ"},
	"v":  {'\u030C', "cčsšzžrřeěnňdďtťCČSŠZŽRŘEĚNŇDĎTŤ"},
	"H":  {'\u030B', "oőuűOŐUŰ"},
	"c":  {'\u0327', "cçsştţCÇSŞTŢgģkķlļnņrŗ"},
	"k":  {'\u0328', "aąeęiįuųAĄEĘIĮUŲ"},
	"r":  {'\u030A', "aåuůAÅUŮ"},
	"d":  {'\u0323', ""},
	"b":  {'\u0331', ""},
	"t":  {'\u0361', ""},
}

// compose applies an accent to the first letter of base.
func compose(a *accent, base string) string {
	if base == "" {
		return ""
	}
	r, size := utf8.DecodeRuneInString(base)
	rest := base[size:]
	switch r {
	case 'ı':
		r = 'i'
	case 'ȷ':
		r = 'j'
	}
	for p := a.pairs; p != ""; {
		b, n := utf8.DecodeRuneInString(p)
		p = p[n:]
		res, m := utf8.DecodeRuneInString(p)
		p = p[m:]
		if b == r {
			return string(res) + rest
		}
	}
	if a.mark == '\u0361' { // tie accent: keep the letters
		return string(r) + rest
	}
	return string(r) + string(a.mark) + rest
}

// symbols maps control sequences that stand for a character or word.
var symbols = map[string]string{
	"&": "&", "%": "%", "$": "$", "#": "#", "_": "_", "{": "{", "}": "}",
	" ": " ", ",": " ", ";": " ", ":": " ", "!": "", "-": "", "/": "", "@": "",
	"\\": " ", "\n": " ", "\t": " ",
	"ss": "ß", "SS": "SS", "o": "ø", "O": "Ø", "ae": "æ", "AE": "Æ", "oe": "œ", "OE": "Œ",
	"aa": "å", "AA": "Å", "l": "ł", "L": "Ł", "i": "ı", "j": "ȷ", "dh": "ð", "DH": "Ð",
	"th": "þ", "TH": "Þ", "ng": "ŋ", "NG": "Ŋ", "dj": "đ", "DJ": "Đ",
	"textendash": "–", "textemdash": "—", "ldots": "…", "dots": "…", "textellipsis": "…",
	"textquoteright": "’", "textquoteleft": "‘", "textquotedblleft": "“", "textquotedblright": "”",
	"textquotesingle": "'", "textquotedbl": "\"", "textasciitilde": "~", "textbackslash": "\\",
	"textasciicircum": "^", "textunderscore": "_", "textbar": "|", "textless": "<", "textgreater": ">",
	"S": "§", "P": "¶", "copyright": "©", "textcopyright": "©", "textregistered": "®",
	"texttrademark": "™", "pounds": "£", "euro": "€", "textdegree": "°", "textperiodcentered": "·",
	"LaTeX": "LaTeX", "TeX": "TeX", "BibTeX": "BibTeX", "LaTeXe": "LaTeX2e", "XeTeX": "XeTeX",
	"slash": "/", "nobreakspace": " ", "enspace": " ", "thinspace": " ", "and": "and",
	// Common math symbols that appear in titles.
	"alpha": "α", "beta": "β", "gamma": "γ", "delta": "δ", "epsilon": "ε", "varepsilon": "ε",
	"zeta": "ζ", "eta": "η", "theta": "θ", "vartheta": "ϑ", "iota": "ι", "kappa": "κ",
	"lambda": "λ", "mu": "μ", "nu": "ν", "xi": "ξ", "pi": "π", "varpi": "ϖ", "rho": "ρ",
	"varrho": "ϱ", "sigma": "σ", "varsigma": "ς", "tau": "τ", "upsilon": "υ", "phi": "φ",
	"varphi": "φ", "chi": "χ", "psi": "ψ", "omega": "ω", "Gamma": "Γ", "Delta": "Δ",
	"Theta": "Θ", "Lambda": "Λ", "Xi": "Ξ", "Pi": "Π", "Sigma": "Σ", "Upsilon": "Υ",
	"Phi": "Φ", "Psi": "Ψ", "Omega": "Ω", "ell": "ℓ", "infty": "∞", "times": "×", "pm": "±",
	"cdot": "·", "leq": "≤", "le": "≤", "geq": "≥", "ge": "≥", "neq": "≠", "ne": "≠",
	"to": "→", "rightarrow": "→", "leftarrow": "←", "sim": "∼", "approx": "≈", "partial": "∂",
	"nabla": "∇", "sum": "∑", "prod": "∏", "int": "∫", "in": "∈", "log": "log", "exp": "exp",
	"sqrt": "√", "mid": "|", "vert": "|", "star": "⋆", "ast": "∗", "circ": "∘", "emptyset": "∅",
	"forall": "∀", "exists": "∃", "langle": "⟨", "rangle": "⟩",
}

// isCollapsed reports whether s is ASCII with single inner spaces only, so
// that collapseSpace would return it unchanged.
func isCollapsed(s string) bool {
	if s == "" {
		return true
	}
	if s[0] == ' ' || s[len(s)-1] == ' ' {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c >= 0x80 || c < ' ' && c != 0 || c == ' ' && s[i+1] == ' ' {
			return false
		}
	}
	return true
}
