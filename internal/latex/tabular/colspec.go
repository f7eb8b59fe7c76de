package tabular

import (
	"strconv"
	"strings"

	"github.com/reprohq/repro/internal/latex"
	"github.com/reprohq/repro/internal/latex/plain"
)

// maxCols bounds a column count read from a colspec or a \multicolumn, so
// that \multicolumn{999999}{c}{} cannot make a huge grid.
const maxCols = 64

// Columns returns the number of columns a tabular preamble declares:
// l c r count one each, as do p{..} m{..} b{..} X S[..] and other column
// letters; | : and @{..} !{..} >{..} <{..} count none; *{3}{lc} repeats.
// Braces around the whole spec are tolerated. The result is at most 64.
func Columns(colspec string) int {
	return min(countCols(latex.Scan(colspec, 0), 0), maxCols)
}

func countCols(toks []latex.Token, depth int) int {
	if depth > 4 {
		return 0
	}
	n := 0
	for i := 0; i < len(toks) && n <= maxCols; {
		t := toks[i]
		switch {
		case t.Kind == latex.Word:
			last := ' '
			for _, c := range t.Text {
				if 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' {
					n++
					last = c
				}
			}
			i++
			switch last {
			case 'p', 'm', 'b', 'P', 'M', 'B':
				i = plain.SkipArgs(toks, i, "m")
			case 'w', 'W':
				i = plain.SkipArgs(toks, i, "mm")
			case 'D':
				i = plain.SkipArgs(toks, i, "mmm")
			}
			// S[table-format=2.1], X[2], and arguments of column types
			// defined by the paper.
			for {
				j := i
				if _, next, ok := plain.Optional(toks, i); ok {
					j = next
				}
				if _, next, ok := plain.Group(toks, j); ok && !isColLetterGroup(toks, j) {
					j = next
				}
				if j == i {
					break
				}
				i = j
			}
		case t.IsOther('*'):
			count, next, ok := plain.Arg(toks, i+1)
			if !ok {
				i++
				continue
			}
			spec, next2, ok := plain.Arg(toks, next)
			if !ok {
				i = next
				continue
			}
			k, err := strconv.Atoi(strings.TrimSpace(plain.Join(count)))
			if err != nil || k < 0 {
				k = 1
			}
			per := countCols(spec, depth+1)
			if per > 0 {
				k = min(k, maxCols/per+1)
			}
			n += k * per
			i = next2
		case t.IsOther('@') || t.IsOther('!') || t.IsOther('>') || t.IsOther('<'):
			i = plain.SkipArgs(toks, i+1, "m")
		case t.Kind == latex.BeginGrp:
			inner, next, _ := plain.Group(toks, i)
			n += countCols(inner, depth+1)
			i = max(next, i+1)
		default:
			i++
		}
	}
	return n
}

// isColLetterGroup reports whether the group at i holds column letters
// (a stray group such as the {lcr} in "{lcr}"), which must be counted, not
// skipped as an argument. Groups right after a letter are arguments unless
// they look like plain column lists; real argument groups (widths,
// options) contain digits, commands or punctuation.
func isColLetterGroup(toks []latex.Token, i int) bool {
	inner, _, ok := plain.Group(toks, i)
	if !ok || len(inner) == 0 {
		return false
	}
	for _, t := range inner {
		if t.Kind != latex.Word && t.Kind != latex.Space && !t.IsOther('|') {
			return false
		}
		if t.Kind == latex.Word {
			for _, c := range t.Text {
				if !strings.ContainsRune("lcrX", c) {
					return false
				}
			}
		}
	}
	return true
}
