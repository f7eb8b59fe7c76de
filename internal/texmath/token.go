package texmath

import (
	"unicode/utf8"
)

type tokKind uint8

const (
	tEOF  tokKind = iota
	tCmd          // \name or \c (one non-letter character)
	tChar         // one character: a letter, a digit or punctuation
)

type token struct {
	kind  tokKind
	text  string // "\\alpha", "x", "{", "\\\\"
	pos   int
	end   int
	noise bool // a command the parser skips (spacing, labels, styles)
}

// tokenize splits math source into tokens: control sequences and single
// characters. Spaces and comments are dropped; every token keeps its byte
// offset.
func tokenize(src string) []token {
	toks := make([]token, 0, len(src)/2+2)
	i := 0
	for i < len(src) {
		c := src[i]
		switch {
		case c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v':
			i++
		case c == '%':
			for i < len(src) && src[i] != '\n' {
				i++
			}
		case c == '\\':
			j := i + 1
			if j >= len(src) {
				toks = append(toks, token{kind: tCmd, text: "\\", pos: i, end: j})
				i = j
				continue
			}
			if isLetter(src[j]) {
				for j < len(src) && isLetter(src[j]) {
					j++
				}
				// a starred command: \operatorname*, \tag*
				if j < len(src) && src[j] == '*' && starred[src[i:j]] {
					j++
				}
			} else {
				_, size := utf8.DecodeRuneInString(src[j:])
				j += size
			}
			toks = append(toks, token{kind: tCmd, text: src[i:j], pos: i, end: j, noise: isNoise(src[i:j])})
			i = j
		case c == '|' && i+1 < len(src) && src[i+1] == '|':
			// || is the norm bar \|
			toks = append(toks, token{kind: tCmd, text: `\|`, pos: i, end: i + 2})
			i += 2
		default:
			_, size := utf8.DecodeRuneInString(src[i:])
			if size == 0 {
				size = 1
			}
			toks = append(toks, token{kind: tChar, text: src[i : i+size], pos: i, end: i + size})
			i += size
		}
	}
	toks = append(toks, token{kind: tEOF, pos: len(src), end: len(src)})
	return toks
}

func isLetter(c byte) bool { return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' }

func isDigit(s string) bool { return len(s) == 1 && s[0] >= '0' && s[0] <= '9' }

func isLetterTok(t token) bool {
	if t.kind != tChar {
		return false
	}
	if len(t.text) == 1 {
		return isLetter(t.text[0])
	}
	r, _ := utf8.DecodeRuneInString(t.text)
	return r > 127 && (r >= 0x370 && r <= 0x3ff) // Greek letters typed directly
}

// starred lists the commands whose star form is one command.
var starred = map[string]bool{
	`\operatorname`: true, `\tag`: true, `\DeclareMathOperator`: true,
}
