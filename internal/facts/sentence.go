package facts

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// abbreviations end with a period that does not end a sentence.
var abbreviations = map[string]bool{
	"e.g": true, "i.e": true, "al": true, "etc": true, "cf": true, "eq": true, "eqs": true,
	"fig": true, "figs": true, "sec": true, "secs": true, "sect": true, "tab": true, "vs": true,
	"resp": true, "approx": true, "w.r.t": true, "alg": true, "thm": true, "def": true,
	"prop": true, "lem": true, "ref": true, "refs": true, "no": true, "nos": true, "dr": true,
	"mr": true, "ms": true, "st": true, "ca": true, "app": true, "appx": true, "acc": true,
	"dev": true, "transf": true, "approx.": true, "corr": true, "vol": true, "pp": true,
	"ch": true, "chap": true, "avg": true, "std": true, "min": true, "max": true, "resp.": true,
	"a.k.a": true, "viz": true, "ibid": true, "incl": true, "est": true,
}

// splitSentences splits a paragraph into sentences. A sentence ends at
// '.', '?' or '!' followed by a space and a capital letter, a digit, '$',
// '(' or a quote, outside math, unless the word before is an abbreviation
// ("e.g.", "Fig.") or a single capital letter (an initial).
func splitSentences(p string) []string {
	var out []string
	inMath := false
	from := 0
	for i := 0; i < len(p); i++ {
		c := p[i]
		if c == '$' {
			inMath = !inMath
			continue
		}
		if inMath || c != '.' && c != '?' && c != '!' {
			continue
		}
		j := i + 1
		for j < len(p) && (p[j] == ')' || p[j] == '"' || p[j] == '\'') {
			j++
		}
		if j >= len(p) || p[j] != ' ' {
			continue
		}
		k := j
		for k < len(p) && p[k] == ' ' {
			k++
		}
		if k >= len(p) {
			continue
		}
		r, _ := utf8.DecodeRuneInString(p[k:])
		if !(unicode.IsUpper(r) || r == '$' || r == '(' || r == '"' || r == '`' || r == '\\' || unicode.IsDigit(r) && c != '.') {
			continue
		}
		if c == '.' && abbrevBefore(p[from:i]) {
			continue
		}
		if s := strings.TrimSpace(p[from:j]); s != "" {
			out = append(out, s)
		}
		from = k
		i = k - 1
	}
	if s := strings.TrimSpace(p[from:]); s != "" {
		out = append(out, s)
	}
	return out
}

// abbrevBefore reports whether s ends with an abbreviation or an initial.
func abbrevBefore(s string) bool {
	k := len(s)
	j := k
	for j > 0 {
		r, n := utf8.DecodeLastRuneInString(s[:j])
		if unicode.IsLetter(r) || r == '.' {
			j -= n
			continue
		}
		break
	}
	w := s[j:k]
	if w == "" {
		return false
	}
	if abbreviations[strings.ToLower(w)] {
		return true
	}
	// A single capital letter: an initial ("J. Smith"); a single lower-case
	// letter: a list marker or a variable, not an end.
	if utf8.RuneCountInString(w) == 1 {
		r, _ := utf8.DecodeRuneInString(w)
		return unicode.IsUpper(r)
	}
	return false
}

// clause returns the part of a sentence around token i up to the nearest
// ';' on either side, as token bounds [a, b).
func clause(toks []token, i int) (int, int) {
	a := i
	for a > 0 && !(toks[a-1].kind == kPunct && toks[a-1].low == ";") {
		a--
	}
	b := i
	for b < len(toks) && !(toks[b].kind == kPunct && toks[b].low == ";") {
		b++
	}
	return a, b
}

// shortenQuote cuts a quote to at most 600 bytes, on a rune boundary.
func shortenQuote(s string) string {
	s = strings.TrimSpace(s)
	if len(s) <= 600 {
		return s
	}
	cut := 600
	for cut > 0 && !utf8.RuneStart(s[cut]) {
		cut--
	}
	return s[:cut] + "…"
}
