package mathml

import (
	"strings"
	"unicode"
)

var ellipses = map[string]string{"dots": "…", "cdots": "⋯", "vdots": "⋮", "ddots": "⋱"}

// ops maps texmath's operator names to characters.
var ops = map[string]string{
	"+": "+", "-": "−", "pm": "±", "mp": "∓", "oplus": "⊕", "ominus": "⊖", "cup": "∪",
	"triangle": "△", "cdot": "⋅", "times": "×", "odot": "⊙", "otimes": "⊗", "circ": "∘",
	"ast": "∗", "/": "/", "wedge": "∧", "vee": "∨", "cap": "∩", "setminus": "∖", "star": "⋆",
	"bullet": "∙", "diamond": "⋄", "oslash": "⊘", "mod": "mod", "neg": "¬", "forall": "∀",
	"exists": "∃", "nexists": "∄", "nabla": "∇", "partial": "∂", "wr": "≀", "amalg": "⨿",
	"intercal": "⊺", "parallel": "∥",
}

func opText(op string) string {
	if s, ok := ops[op]; ok {
		return s
	}
	return op
}

// rels maps texmath's relation names to characters.
var rels = map[string]string{
	"=": "=", "<": "<", ">": ">", "!=": "≠", "<=": "≤", ">=": "≥", "<<": "≪", ">>": "≫",
	"approx": "≈", "simeq": "≃", "cong": "≅", "equiv": "≡", "sim": "∼", "propto": "∝",
	"in": "∈", "notin": "∉", "ni": "∋", "subset": "⊂", "subseteq": "⊆", "supset": "⊃",
	"supseteq": "⊇", "to": "→", "mapsto": "↦", "<-": "←", ":=": "≔", "=:": "≕", "given": "∣",
	"colon": ":", "perp": "⊥", "asymp": "≍", "<~": "≲", ">~": "≳", "prec": "≺", "succ": "≻",
	"preceq": "⪯", "succeq": "⪰", "models": "⊨", "vdash": "⊢", "parallel": "∥",
	"nparallel": "∦", "nsim": "≁", "iff": "⟺", "bowtie": "⋈", "between": "≬",
	"implies": "⟹", "impliedby": "⟸",
}

func relText(r string) string {
	if s, ok := rels[r]; ok {
		return s
	}
	if strings.HasPrefix(r, "!") {
		return relText(r[1:]) + "\u0338"
	}
	return r
}

// delims maps delimiters as texmath keeps them to characters.
var delims = map[string]string{
	"(": "(", ")": ")", "[": "[", "]": "]", `\{`: "{", `\}`: "}", `\lbrace`: "{", `\rbrace`: "}",
	`\langle`: "⟨", `\rangle`: "⟩", `\lceil`: "⌈", `\rceil`: "⌉", `\lfloor`: "⌊", `\rfloor`: "⌋",
	`\lbrack`: "[", `\rbrack`: "]", `\lvert`: "|", `\rvert`: "|", `\lVert`: "‖", `\rVert`: "‖",
	"|": "|", `\vert`: "|", `\|`: "‖", `\Vert`: "‖", `\llbracket`: "⟦", `\rrbracket`: "⟧",
	`\lgroup`: "⟮", `\rgroup`: "⟯", "<": "⟨", ">": "⟩", ".": "", `\lAngle`: "⟪", `\rAngle`: "⟫",
	`\lbrbrak`: "❲", `\rbrbrak`: "❳", `\lmoustache`: "⎰", `\rmoustache`: "⎱", "/": "/",
	`\backslash`: "∖", `\uparrow`: "↑", `\downarrow`: "↓",
}

func delim(d string) string {
	if s, ok := delims[d]; ok {
		return s
	}
	return strings.TrimPrefix(d, `\`)
}

// matrixFences gives the delimiters of a matrix environment.
func matrixFences(env string) (string, string) {
	switch strings.TrimSuffix(env, "*") {
	case "pmatrix", "psmallmatrix":
		return "(", ")"
	case "bmatrix", "bsmallmatrix":
		return "[", "]"
	case "Bmatrix", "Bsmallmatrix":
		return "{", "}"
	case "vmatrix", "vsmallmatrix":
		return "|", "|"
	case "Vmatrix", "Vsmallmatrix":
		return "‖", "‖"
	}
	return "", ""
}

// alignFor gives the column alignment of an environment: the alignment
// environments alternate right and left, like amsmath's align.
func alignFor(env string) string {
	switch strings.TrimSuffix(env, "*") {
	case "aligned", "align", "alignat", "alignedat", "split", "eqnarray", "flalign":
		return "right left right left right left right left"
	case "gathered", "gather", "multline":
		return "center"
	}
	return ""
}

// bigOpSymbol gives a big operator's character, or its word (true) for the
// operators written as words (lim, max, arg max).
func bigOpSymbol(name string) (string, bool) {
	switch name {
	case "sum":
		return "∑", false
	case "prod":
		return "∏", false
	case "coprod":
		return "∐", false
	case "int":
		return "∫", false
	case "iint":
		return "∬", false
	case "iiint":
		return "∭", false
	case "oint":
		return "∮", false
	case "bigcup":
		return "⋃", false
	case "bigcap":
		return "⋂", false
	case "bigoplus":
		return "⨁", false
	case "bigotimes":
		return "⨂", false
	case "bigodot":
		return "⨀", false
	case "bigvee":
		return "⋁", false
	case "bigwedge":
		return "⋀", false
	case "biguplus":
		return "⨄", false
	case "bigsqcup":
		return "⨆", false
	case "E", "Ehat":
		return "𝔼", false
	case "V":
		return "𝕍", false
	case "P":
		return "ℙ", false
	case "argmax":
		return "arg max", true
	case "argmin":
		return "arg min", true
	case "limsup":
		return "lim sup", true
	case "liminf":
		return "lim inf", true
	}
	return name, true
}

func isLetterlike(s string) bool {
	for _, r := range s {
		return unicode.IsLetter(r)
	}
	return false
}

// accentMark gives an accent's mark and whether it goes under.
func accentMark(name string) (string, bool) {
	switch name {
	case "hat":
		return "^", false
	case "tilde":
		return "~", false
	case "bar":
		return "¯", false
	case "underline":
		return "_", true
	case "dot":
		return "˙", false
	case "ddot":
		return "¨", false
	case "dddot":
		return "⃛", false
	case "vec":
		return "→", false
	case "check":
		return "ˇ", false
	case "breve":
		return "˘", false
	case "acute":
		return "´", false
	case "grave":
		return "`", false
	case "ring":
		return "˚", false
	case "larrow":
		return "←", false
	case "utilde":
		return "~", true
	case "paren":
		return "⏜", false
	}
	return "^", false
}

// names maps symbol names (texmath's Sym.Name for commands) to characters.
var names = map[string]string{
	"alpha": "α", "beta": "β", "gamma": "γ", "delta": "δ", "epsilon": "ϵ", "varepsilon": "ε",
	"zeta": "ζ", "eta": "η", "theta": "θ", "vartheta": "ϑ", "iota": "ι", "kappa": "κ",
	"varkappa": "ϰ", "lambda": "λ", "mu": "μ", "nu": "ν", "xi": "ξ", "omicron": "ο", "pi": "π",
	"varpi": "ϖ", "rho": "ρ", "varrho": "ϱ", "sigma": "σ", "varsigma": "ς", "tau": "τ",
	"upsilon": "υ", "phi": "ϕ", "varphi": "φ", "chi": "χ", "psi": "ψ", "omega": "ω", "digamma": "ϝ",
	"Gamma": "Γ", "Delta": "Δ", "Theta": "Θ", "Lambda": "Λ", "Xi": "Ξ", "Pi": "Π", "Sigma": "Σ",
	"Upsilon": "Υ", "Phi": "Φ", "Psi": "Ψ", "Omega": "Ω",
	"ell": "ℓ", "imath": "ı", "jmath": "ȷ", "hbar": "ℏ", "infty": "∞", "emptyset": "∅",
	"aleph": "ℵ", "beth": "ℶ", "Re": "ℜ", "Im": "ℑ", "wp": "℘", "bot": "⊥", "top": "⊤",
	"dagger": "†", "ddagger": "‡", "star": "⋆", "prime": "′", "mho": "℧", "eth": "ð", "Box": "□",
	"square": "□", "triangle": "△", "bigstar": "★", "checkmark": "✓", "S": "§", "natural": "♮",
	"flat": "♭", "sharp": "♯", "clubsuit": "♣", "diamondsuit": "♢", "heartsuit": "♡",
	"spadesuit": "♠", "angle": "∠", "lozenge": "◊", "blacksquare": "■", "nabla": "∇",
	"partial": "∂", "cdot": "⋅", "times": "×", "ast": "∗", "circ": "∘", "bullet": "∙",
}

// symbolText gives the characters of a symbol name and whether a single
// character of it is italic by default (Latin and lowercase Greek letters
// are; capital Greek and other symbols are upright, as in LaTeX).
func symbolText(name string) (string, bool) {
	if s, ok := names[name]; ok {
		r := []rune(s)[0]
		lowerGreek := r >= 'α' && r <= 'ω' || strings.ContainsRune("ϵϑϰϖϱςϕϝ", r)
		return s, lowerGreek
	}
	if len(name) == 1 {
		c := name[0]
		return name, c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z'
	}
	return name, false
}

// alphabets are the first code points of the mathematical alphanumeric
// styles for A, a and 0 (0 when the style has no digits).
var alphabets = map[string][3]rune{
	"mathbf":    {0x1D400, 0x1D41A, 0x1D7CE},
	"mathbfit":  {0x1D468, 0x1D482, 0x1D7CE},
	"mathcal":   {0x1D49C, 0x1D4B6, 0},
	"mathscr":   {0x1D49C, 0x1D4B6, 0},
	"mathfrak":  {0x1D504, 0x1D51E, 0},
	"mathbb":    {0x1D538, 0x1D552, 0x1D7D8},
	"mathsf":    {0x1D5A0, 0x1D5BA, 0x1D7E2},
	"mathtt":    {0x1D670, 0x1D68A, 0x1D7F6},
	"mathsfbf":  {0x1D5D4, 0x1D5EE, 0x1D7EC},
	"mathitalc": {0x1D434, 0x1D44E, 0},
}

// holes are the letters that Unicode encodes outside the mathematical
// alphanumeric block (the block has reserved gaps for them).
var holes = map[string]map[rune]rune{
	"mathcal": {'B': 'ℬ', 'E': 'ℰ', 'F': 'ℱ', 'H': 'ℋ', 'I': 'ℐ', 'L': 'ℒ', 'M': 'ℳ', 'R': 'ℛ',
		'e': 'ℯ', 'g': 'ℊ', 'o': 'ℴ'},
	"mathfrak": {'C': 'ℭ', 'H': 'ℌ', 'I': 'ℑ', 'R': 'ℜ', 'Z': 'ℨ'},
	"mathbb":   {'C': 'ℂ', 'H': 'ℍ', 'N': 'ℕ', 'P': 'ℙ', 'Q': 'ℚ', 'R': 'ℝ', 'Z': 'ℤ'},
}

// boldGreek maps Greek letters to the mathematical bold Greek block.
func boldGreek(r rune) (rune, bool) {
	switch {
	case r >= 'Α' && r <= 'Ω':
		return 0x1D6A8 + (r - 'Α'), true
	case r >= 'α' && r <= 'ω':
		return 0x1D6C2 + (r - 'α'), true
	}
	return r, false
}

// styleText writes text in a font's mathematical alphanumeric characters;
// characters the style does not have are kept.
func styleText(text, font string) string {
	if font == "mathscr" {
		font = "mathcal"
	}
	a, ok := alphabets[font]
	if !ok {
		return text
	}
	var b strings.Builder
	for _, r := range text {
		if h, ok := holes[font][r]; ok {
			b.WriteRune(h)
			continue
		}
		switch {
		case r >= 'A' && r <= 'Z':
			b.WriteRune(a[0] + (r - 'A'))
		case r >= 'a' && r <= 'z':
			b.WriteRune(a[1] + (r - 'a'))
		case r >= '0' && r <= '9' && a[2] != 0:
			b.WriteRune(a[2] + (r - '0'))
		default:
			if font == "mathbf" {
				if g, ok := boldGreek(r); ok {
					b.WriteRune(g)
					continue
				}
			}
			b.WriteRune(r)
		}
	}
	return b.String()
}
