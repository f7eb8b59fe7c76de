package tabular

import (
	"math"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"
)

// Number reads the numeric value of a cell's plain text (as plain.Text
// gives it): "91.2", "$91.2$", "91.2%", "-3.5", "1.2e-3", "12.3k" (12.3),
// "1,024", "$1.2 \times 10^{-3}$", "3×". An "a ± b" form ("91.2 $\pm$ 0.3",
// "$91.2 \pm 0.3$", "91.2±0.3", "$91.2_{\pm 0.3}$") also gives b. A cell is
// numeric when, after its leading number and ± part, only markers remain:
// %, *, †, ‡, a short unit suffix (k M B G x s ms h), or a parenthesised
// number such as a standard deviation "(0.3)". Otherwise both are nil.
func Number(text string) (value, plusMinus *float64) {
	s := numView(text)
	if len(s) > 2 && s[0] == '(' && s[len(s)-1] == ')' && !strings.ContainsAny(s[1:len(s)-1], "()") {
		s = strings.TrimSpace(s[1 : len(s)-1]) // a bracketed number alone: (0.3)
	}
	v, rest, ok := leadingFloat(s)
	if !ok {
		return nil, nil
	}
	rest = strings.TrimLeft(rest, " ")
	// scientific forms: 1.2×10^-3 and 10^-3
	if strings.HasPrefix(rest, "^") && v == 10 {
		if e, r, ok := leadingFloat(rest[1:]); ok && e == math.Trunc(e) {
			v, rest = scaled(1, e), r
		}
	} else if r, ok := cutAnyPrefix(rest, "×", "·", "x"); ok {
		r = strings.TrimLeft(r, " ")
		if strings.HasPrefix(r, "10^") {
			if e, r2, ok := leadingFloat(r[3:]); ok && e == math.Trunc(e) {
				v, rest = scaled(v, e), r2
			}
		}
	}
	if math.IsInf(v, 0) || math.IsNaN(v) {
		return nil, nil
	}
	rest = dropScripts.Replace(rest)
	rest = strings.TrimLeft(rest, " ")
	var pm *float64
	if r, ok := cutAnyPrefix(rest, "±", "+-", "+/-"); ok {
		if p, r2, ok := leadingFloat(strings.TrimLeft(r, " ")); ok && !math.IsInf(p, 0) {
			p = math.Abs(p)
			pm, rest = &p, r2
		}
	}
	if !onlyMarkers(rest) {
		return nil, nil
	}
	return &v, pm
}

// dropScripts removes the ^ and _ left around markers and ± parts.
var dropScripts = strings.NewReplacer("^", "", "_", "")

// numView simplifies a cell's text for number reading: $ and braces go,
// \pm and friends become their characters, other commands (\mathbf,
// \scriptsize, \dagger ...) disappear, the Unicode minus is "-".
func numView(text string) string {
	var b strings.Builder
	for i := 0; i < len(text); {
		c := text[i]
		switch {
		case c == '$' || c == '{' || c == '}':
			i++
		case c == '\\':
			j := i + 1
			for j < len(text) && isASCIILetter(text[j]) {
				j++
			}
			if j == i+1 && j < len(text) { // control symbol
				switch text[j] {
				case '%':
					b.WriteByte('%')
				case ' ', ';', ':':
					b.WriteByte(' ')
				}
				i = j + 1
				continue
			}
			switch text[i:j] {
			case `\pm`:
				b.WriteString("±")
			case `\times`:
				b.WriteString("×")
			case `\cdot`:
				b.WriteString("·")
			case `\dagger`, `\ddagger`, `\ast`, `\star`:
				b.WriteByte('*')
			case `\%`:
				b.WriteByte('%')
			}
			i = j
		default:
			r, size := utf8.DecodeRuneInString(text[i:])
			switch r {
			case '−', '–':
				b.WriteByte('-')
			case '\u00a0', '\u2009', '\u202f':
				b.WriteByte(' ')
			default:
				b.WriteString(text[i : i+size])
			}
			i += size
		}
	}
	return strings.TrimSpace(b.String())
}

func isASCIILetter(c byte) bool { return 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' }

func isDigit(c byte) bool { return '0' <= c && c <= '9' }

// leadingFloat reads a number at the start of s: an optional sign, digits
// with optional thousands commas (1,024), a fraction, an exponent.
func leadingFloat(s string) (float64, string, bool) {
	i := 0
	if i < len(s) && (s[i] == '+' || s[i] == '-') {
		i++
		for i < len(s) && s[i] == ' ' {
			i++
		}
	}
	var num strings.Builder
	if i > 0 && s[0] == '-' {
		num.WriteByte('-')
	}
	digits := 0
	for i < len(s) {
		switch {
		case isDigit(s[i]):
			num.WriteByte(s[i])
			digits++
			i++
			continue
		case s[i] == ',' && digits > 0 && threeDigits(s[i+1:]):
			// thousands separator: exactly three digits follow
			i++
			continue
		}
		break
	}
	if i < len(s) && s[i] == '.' && i+1 < len(s) && isDigit(s[i+1]) {
		num.WriteByte('.')
		i++
		for i < len(s) && isDigit(s[i]) {
			num.WriteByte(s[i])
			digits++
			i++
		}
	}
	if digits == 0 {
		return 0, s, false
	}
	if i < len(s) && (s[i] == 'e' || s[i] == 'E') {
		j := i + 1
		if j < len(s) && (s[j] == '+' || s[j] == '-') {
			j++
		}
		if j < len(s) && isDigit(s[j]) {
			k := j
			for k < len(s) && isDigit(s[k]) {
				k++
			}
			num.WriteString(s[i:k])
			i = k
		}
	}
	v, err := strconv.ParseFloat(num.String(), 64)
	if err != nil {
		return 0, s, false
	}
	return v, s[i:], true
}

// threeDigits reports whether s starts with exactly three digits.
func threeDigits(s string) bool {
	return len(s) >= 3 && isDigit(s[0]) && isDigit(s[1]) && isDigit(s[2]) && (len(s) == 3 || !isDigit(s[3]))
}

func cutAnyPrefix(s string, prefixes ...string) (string, bool) {
	for _, p := range prefixes {
		if strings.HasPrefix(s, p) {
			return s[len(p):], true
		}
	}
	return s, false
}

// suffixes are the unit words allowed after a number.
var suffixes = map[string]bool{
	"k": true, "K": true, "M": true, "B": true, "G": true, "T": true, "x": true, "×": true,
	"s": true, "ms": true, "h": true, "m": true, "pp": true, "%": true,
}

// onlyMarkers reports whether what follows a number leaves the cell
// numeric: markers, a unit suffix, extra ± parts, parenthesised numbers.
func onlyMarkers(rest string) bool {
	for guard := 0; guard < 16; guard++ {
		rest = strings.TrimLeftFunc(rest, func(r rune) bool {
			return unicode.IsSpace(r) || strings.ContainsRune("%*†‡§¶'\"∗⋆°↑↓", r)
		})
		if rest == "" {
			return true
		}
		switch {
		case strings.HasPrefix(rest, "(") || strings.HasPrefix(rest, "["):
			close := ")"
			if rest[0] == '[' {
				close = "]"
			}
			end := strings.Index(rest, close)
			if end < 0 {
				return false
			}
			inner := strings.TrimSpace(strings.TrimLeft(rest[1:end], "±+- "))
			inner = strings.TrimRight(inner, "% ")
			if _, r, ok := leadingFloat(inner); !ok || strings.TrimSpace(r) != "" {
				return false
			}
			rest = rest[end+1:]
		case strings.HasPrefix(rest, "±"):
			_, r, ok := leadingFloat(strings.TrimLeft(rest[len("±"):], " "))
			if !ok {
				return false
			}
			rest = r
		default:
			word := rest
			if k := strings.IndexFunc(rest, func(r rune) bool { return unicode.IsSpace(r) || r == '*' || r == '%' }); k >= 0 {
				word = rest[:k]
			}
			if !suffixes[word] {
				return false
			}
			rest = rest[len(word):]
		}
	}
	return false
}

// scaled returns v×10^e, read back from its decimal form so that 1.1×10^21
// is 1.1e21 exactly as written rather than 1.1000000000000001e21.
func scaled(v, e float64) float64 {
	if math.Abs(e) > 400 {
		return math.Inf(1)
	}
	f, err := strconv.ParseFloat(strconv.FormatFloat(v, 'g', -1, 64)+"e"+strconv.Itoa(int(e)), 64)
	if err != nil {
		return math.Inf(1)
	}
	return f
}
