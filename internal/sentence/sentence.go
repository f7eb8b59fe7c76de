// Package sentence finds sentence boundaries in a paper's prose, for the
// sentences around a display equation: a period, question mark or
// exclamation mark followed by a space ends a sentence unless it closes an
// abbreviation ("e.g.", "et al.", "Eq.", "Fig.").
package sentence

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// abbreviations are the words whose period does not end a sentence.
var abbreviations = []string{"e.g", "i.e", "et al", "etc", "cf", "Eq", "Eqs", "Fig", "Sec", "vs", "resp", "approx", "w.r.t", "Tab", "Alg", "Thm", "Def", "Prop", "Lem", "Ref", "No"}

// AbbrevBefore reports whether s ends with an abbreviation whose period
// does not end a sentence.
func AbbrevBefore(s string) bool {
	for _, a := range abbreviations {
		if strings.HasSuffix(s, a) {
			return true
		}
	}
	return false
}

// endsAt reports whether the mark at s[i] ends a sentence when the next
// sentence starts with a rune for which next is true.
func endsAt(s string, i int, next func(rune) bool) bool {
	c := s[i]
	if c != '.' && c != '?' && c != '!' || i+1 < len(s) && s[i+1] != ' ' || AbbrevBefore(s[:i]) {
		return false
	}
	if i+2 >= len(s) {
		return true
	}
	r, _ := utf8.DecodeRuneInString(s[i+2:])
	return next(r)
}

// FirstEnd returns the length of the first sentence of s: up to and
// including the mark that ends it (followed by an upper-case letter, "$" or
// "(", or by the end of s), or len(s) when no mark ends one.
func FirstEnd(s string) int {
	for i := 0; i < len(s); i++ {
		if endsAt(s, i, func(r rune) bool { return unicode.IsUpper(r) || r == '$' || r == '(' }) {
			return i + 1
		}
	}
	return len(s)
}

// LastStart returns where the last sentence of s starts: after the last
// mark followed by a space and an upper-case letter, or 0.
func LastStart(s string) int {
	start := 0
	for i := 0; i+2 < len(s); i++ {
		if endsAt(s, i, unicode.IsUpper) {
			start = i + 2
		}
	}
	return start
}
