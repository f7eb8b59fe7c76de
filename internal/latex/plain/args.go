package plain

import (
	"strings"

	"github.com/reprohq/repro/internal/latex"
)

// The helpers in this file read macro arguments from a token slice. They are
// shared with the sibling packages tabular and algo. All of them are total:
// any index (even out of range) and any token slice (even unbalanced) give
// an answer without panicking, and every "next" index they return is at
// least the index they were given, so loops built on them make progress.

// Skip returns the index of the first token at or after i that is neither a
// Space nor a Comment (a Par is not skipped). It returns len(toks) when
// there is none.
func Skip(toks []latex.Token, i int) int {
	if i < 0 {
		i = 0
	}
	for i < len(toks) && (toks[i].Kind == latex.Space || toks[i].Kind == latex.Comment) {
		i++
	}
	return i
}

// Match returns the index of the EndGrp that closes the BeginGrp at toks[i].
// When the group is not closed it returns len(toks). When toks[i] is not a
// BeginGrp it returns i.
func Match(toks []latex.Token, i int) int {
	if i < 0 || i >= len(toks) || toks[i].Kind != latex.BeginGrp {
		return i
	}
	depth := 0
	for j := i; j < len(toks); j++ {
		switch toks[j].Kind {
		case latex.BeginGrp:
			depth++
		case latex.EndGrp:
			depth--
			if depth == 0 {
				return j
			}
		}
	}
	return len(toks)
}

// Group reads a braced group starting at the first non-space token at or
// after i. It returns the tokens inside the braces and the index just after
// the closing brace. ok is false (and next is i) when there is no group
// there. An unclosed group runs to the end of toks.
func Group(toks []latex.Token, i int) (inner []latex.Token, next int, ok bool) {
	j := Skip(toks, i)
	if j >= len(toks) || toks[j].Kind != latex.BeginGrp {
		return nil, max(i, 0), false
	}
	e := Match(toks, j)
	if e >= len(toks) {
		return toks[j+1:], len(toks), true
	}
	return toks[j+1 : e], e + 1, true
}

// Arg reads a mandatory macro argument the way TeX does: a braced group
// (returned without its braces) or else the single next non-space token.
// ok is false at the end of the input or when the next token is a closing
// brace.
func Arg(toks []latex.Token, i int) (inner []latex.Token, next int, ok bool) {
	if inner, next, ok = Group(toks, i); ok {
		return inner, next, true
	}
	j := Skip(toks, i)
	if j >= len(toks) || toks[j].Kind == latex.EndGrp || toks[j].Kind == latex.Par {
		return nil, max(i, 0), false
	}
	return toks[j : j+1], j + 1, true
}

// Optional reads an optional argument [...] starting at the first non-space
// token at or after i. Brackets inside braces do not count. ok is false
// (and next is i) when there is no '[' there or when it is not closed
// before a paragraph break, the end of the input or 512 tokens.
func Optional(toks []latex.Token, i int) (inner []latex.Token, next int, ok bool) {
	return delimited(toks, i, '[', ']')
}

// Paren reads a parenthesised optional argument (...) such as the trim
// specification of \cmidrule(lr) or algorithm2e's comment argument, in the
// same way as Optional.
func Paren(toks []latex.Token, i int) (inner []latex.Token, next int, ok bool) {
	return delimited(toks, i, '(', ')')
}

// maxDelimited bounds the length in tokens of an optional argument, so
// that many unclosed brackets cost linear time, not quadratic.
const maxDelimited = 512

func delimited(toks []latex.Token, i int, open, close byte) ([]latex.Token, int, bool) {
	j := Skip(toks, i)
	if j >= len(toks) || !toks[j].IsOther(open) {
		return nil, max(i, 0), false
	}
	depth, nest := 0, 0
	for k := j + 1; k < len(toks) && k-j <= maxDelimited; k++ {
		t := toks[k]
		switch {
		case t.Kind == latex.Par:
			return nil, max(i, 0), false
		case t.Kind == latex.BeginGrp:
			depth++
		case t.Kind == latex.EndGrp:
			depth--
			if depth < 0 {
				return nil, max(i, 0), false
			}
		case depth == 0 && t.IsOther(open) && open != close:
			nest++
		case depth == 0 && t.IsOther(close):
			if nest == 0 {
				return toks[j+1 : k], k + 1, true
			}
			nest--
		}
	}
	return nil, max(i, 0), false
}

// Star skips a '*' directly after position i (no space allowed), as in
// \section* or \\*. It reports whether there was one.
func Star(toks []latex.Token, i int) (next int, ok bool) {
	if i >= 0 && i < len(toks) && toks[i].IsOther('*') {
		return i + 1, true
	}
	return max(i, 0), false
}

// Join concatenates the tokens' text. As Scan is lossless, Join of a
// contiguous slice of Scan's output is the source text it came from.
func Join(toks []latex.Token) string {
	switch len(toks) {
	case 0:
		return ""
	case 1:
		return toks[0].Text
	}
	var b strings.Builder
	for _, t := range toks {
		b.WriteString(t.Text)
	}
	return b.String()
}

// EnvName reads the {name} after \begin or \end starting at i. It returns
// the name (spaces trimmed) and the index after the closing brace; ok is
// false when there is no short, well-formed name there.
func EnvName(toks []latex.Token, i int) (name string, next int, ok bool) {
	inner, next, ok := Group(toks, i)
	if !ok || len(inner) > 16 {
		return "", max(i, 0), false
	}
	for _, t := range inner {
		if t.Kind != latex.Word && t.Kind != latex.Other && t.Kind != latex.Space {
			return "", max(i, 0), false
		}
	}
	name = strings.TrimSpace(Join(inner))
	if name == "" {
		return "", max(i, 0), false
	}
	return name, next, true
}

// FindEnd returns the index of the \end token that closes the environment
// name whose body starts at toks[i], counting nested environments of the
// same name, and the index just after its {name}. When it is not closed,
// both are len(toks).
func FindEnd(toks []latex.Token, i int, name string) (end, next int) {
	depth := 0
	for j := max(i, 0); j < len(toks); j++ {
		t := toks[j]
		if t.Kind != latex.Command || (t.Text != `\begin` && t.Text != `\end`) {
			continue
		}
		n, after, ok := EnvName(toks, j+1)
		if !ok || n != name {
			continue
		}
		if t.Text == `\begin` {
			depth++
			continue
		}
		if depth == 0 {
			return j, after
		}
		depth--
	}
	return len(toks), len(toks)
}

// IsMathEnv reports whether name is a display-math environment whose body
// is math (equation, align, gather, ... and their starred forms).
func IsMathEnv(name string) bool {
	return mathEnvs[strings.TrimSuffix(name, "*")]
}

var mathEnvs = map[string]bool{
	"equation": true, "align": true, "alignat": true, "flalign": true, "gather": true,
	"multline": true, "eqnarray": true, "math": true, "displaymath": true, "dmath": true,
	"split": true, "aligned": true, "gathered": true,
}
