package results

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// printedReplacer turns the LaTeX left in cell text into what the PDF
// shows: ± for \pm, % for \%, the arrows, and nothing for math shifts and
// the emphasis commands whose argument it keeps.
var printedReplacer = strings.NewReplacer(
	`\pm`, "±", `\mp`, "∓", `\%`, "%", `\uparrow`, "↑", `\downarrow`, "↓",
	`\Uparrow`, "↑", `\Downarrow`, "↓", `\times`, "×", `\dagger`, "†", `\ddagger`, "‡",
	`\star`, "⋆", `\ast`, "*", `\approx`, "≈", `\sim`, "~", `\cap`, "∩", `\cup`, "∪", `\leq`, "≤", `\geq`, "≥",
	`\le`, "≤", `\ge`, "≥", `\,`, " ", `\;`, " ", `\!`, "", `\ `, " ", `~`, " ",
	`\mathbf`, "", `\boldsymbol`, "", `\bm`, "", `\textbf`, "", `\mathrm`, "",
	`\underline`, "", `\textit`, "", `\emph`, "", `\mathit`, "", `\textsc`, "", `\textnormal`, "",
	`\textsf`, "", `\texttt`, "", `\textrm`, "", `\text`, "", `\mathsf`, "", `\mathtt`, "", `\mathbb`, "", `\mathcal`, "",
	`\varepsilon`, "ε", `\epsilon`, "ε", `\gamma`, "γ", `\lambda`, "λ", `\alpha`, "α",
	`\beta`, "β", `\sigma`, "σ", `\mu`, "μ", `\tau`, "τ", `\delta`, "δ", `\theta`, "θ",
	`\eta`, "η", `\rho`, "ρ", `\phi`, "φ", `\pi`, "π", `\infty`, "∞", `\cdot`, "·",
	"$", "", "{", "", "}", "", `^*`, "*", `^\dagger`, "†", `\_`, "_", `\&`, "&", `\#`, "#",
)

// Printed is a cell's text as the PDF shows it, on one line: "91.3 $\pm$
// 0.2" becomes "91.3 ± 0.2", "$\mathbf{13.8} \pm 2.0$" becomes
// "13.8 ± 2.0", "12.5\%" becomes "12.5%". A Result's Raw is the Printed
// text of its cell.
func Printed(s string) string {
	if s == "" {
		return ""
	}
	if strings.ContainsAny(s, `\${}^~`) {
		s = printedReplacer.Replace(s)
		// Commands the replacer does not know: drop the backslash, keep
		// the name (\textsc{Per} → Per was handled; \foo → foo).
		if strings.IndexByte(s, '\\') >= 0 {
			s = strings.ReplaceAll(s, `\`, "")
		}
	}
	return collapseSpace(s)
}

// collapseSpace trims s and turns every run of white space into one space.
func collapseSpace(s string) string {
	space, clean := false, true
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c == '\n' || c == '\t' || c == '\r' || (c == ' ' && (space || i == 0 || i == len(s)-1)) {
			clean = false
			break
		}
		space = c == ' '
	}
	if clean {
		return s
	}
	return strings.Join(strings.Fields(s), " ")
}

// lowerASCII lowercases s (ASCII letters only, other bytes kept), without
// allocating when s has no upper-case letter.
func lowerASCII(s string) string {
	for i := 0; i < len(s); i++ {
		if c := s[i]; 'A' <= c && c <= 'Z' {
			b := []byte(s)
			for j := i; j < len(b); j++ {
				if c := b[j]; 'A' <= c && c <= 'Z' {
					b[j] = c + 'a' - 'A'
				}
			}
			return string(b)
		}
	}
	return s
}

// isWordByte reports whether c is part of a word (letters and digits,
// and any byte of a multi-byte rune, so that é or ε do not end a word).
func isWordByte(c byte) bool {
	return c >= utf8.RuneSelf || c == '_' || ('0' <= c && c <= '9') || ('a' <= c && c <= 'z') || ('A' <= c && c <= 'Z')
}

func isLetterByte(c byte) bool {
	return c >= utf8.RuneSelf || ('a' <= c && c <= 'z') || ('A' <= c && c <= 'Z')
}

// containsWord reports whether w occurs in s with no letter or digit
// directly before it and no letter directly after it (a digit may follow:
// "top-1" in "top-1 acc", "FID" in "FID-30K"). Both are compared as given.
func containsWord(s, w string) bool {
	return wordIndex(s, w, false) >= 0
}

// wordIndex is the index of the first occurrence of w in s at word
// boundaries (see containsWord), or -1. With strictEnd, a digit after w
// also rejects the occurrence.
func wordIndex(s, w string, strictEnd bool) int {
	if w == "" {
		return -1
	}
	for off := 0; off+len(w) <= len(s); {
		i := strings.Index(s[off:], w)
		if i < 0 {
			return -1
		}
		i += off
		end := i + len(w)
		okStart := i == 0 || !isWordByte(s[i-1]) || !isWordByte(w[0])
		okEnd := end == len(s) || !isWordByte(w[len(w)-1])
		if !okEnd {
			c := s[end]
			okEnd = !isLetterByte(c) && (!strictEnd || !('0' <= c && c <= '9'))
		}
		if okStart && okEnd {
			return i
		}
		off = i + 1
	}
	return -1
}

// norm reduces a name to its lower-case letters and digits, so that
// "Walker 2D", "walker2d" and "Walker-2d" compare equal.
func norm(s string) string {
	var b strings.Builder
	for _, r := range s {
		if unicode.IsLetter(r) || unicode.IsDigit(r) {
			b.WriteRune(unicode.ToLower(r))
		}
	}
	return b.String()
}
