// Package latex is repro's tolerant LaTeX engine: a lossless tokenizer, a
// macro expander that follows the paper's own definitions, and a reader that
// walks the expanded token stream in document order and numbers sections,
// equations, floats and labels the way LaTeX itself prints them.
//
// It never executes TeX: it reads what LaTeX would typeset and keeps what
// repro needs. Every step makes progress and every expansion is bounded, so
// no input can make it hang or panic.
package latex

import (
	"strings"
	"unicode/utf8"
)

// Kind is a token kind.
type Kind uint8

// Token kinds.
const (
	EOF       Kind = iota
	Command        // \name or a control symbol such as \\ \{ \% \, ; Text holds the backslash
	BeginGrp       // {
	EndGrp         // }
	MathShift      // $ (a $$ pair is two tokens)
	AlignTab       // &
	Param          // #, #1 ... #9, ## ; Text holds it all
	Sup            // ^
	Sub            // _
	Active         // ~
	Space          // blanks with at most one newline
	Par            // a blank line (two or more newlines)
	Comment        // % to the end of the line, newline included
	Word           // a run of letters and digits (any script)
	Other          // one other character: punctuation, [ ] ( ) * etc.
	Verbatim       // \verb|..| or a verbatim-like environment, opaque
)

var kindNames = [...]string{"EOF", "Command", "BeginGrp", "EndGrp", "MathShift", "AlignTab", "Param", "Sup", "Sub", "Active", "Space", "Par", "Comment", "Word", "Other", "Verbatim"}

func (k Kind) String() string {
	if int(k) < len(kindNames) {
		return kindNames[k]
	}
	return "Kind(?)"
}

// Token is one lexical token. Text is a substring of the source (no copy).
// Pos is the byte offset of the token in its file; File indexes the
// reader's file table (0 for Scan's callers). Exp is set on tokens produced
// by macro expansion: their Pos is the position of the invoking macro.
type Token struct {
	Text string
	Pos  int32
	File int16
	Kind Kind
	Exp  bool
}

// Is reports whether t is the command \name (name given with backslash).
func (t Token) Is(name string) bool { return t.Kind == Command && t.Text == name }

// IsOther reports whether t is the single character c.
func (t Token) IsOther(c byte) bool { return t.Kind == Other && len(t.Text) == 1 && t.Text[0] == c }

// verbatimEnvs are environments whose body is not LaTeX.
var verbatimEnvs = map[string]bool{
	"verbatim": true, "verbatim*": true, "Verbatim": true, "Verbatim*": true, "BVerbatim": true, "LVerbatim": true,
	"lstlisting": true, "minted": true, "comment": true, "filecontents": true, "filecontents*": true,
	"spverbatim": true, "pythoncode": true, "pycode": true, "tcblisting": true,
}

func isLetter(c byte) bool { return 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || c == '@' }

func isWordByte(c byte) bool {
	return 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9' || c >= 0x80
}

// Scan tokenizes src completely. Concatenating the tokens' Text gives src
// back exactly: the tokenizer is lossless. It never fails; malformed input
// (a lone backslash at the end, an unterminated \verb) becomes tokens too.
func Scan(src string, file int16) []Token {
	// LaTeX has 0.3 to 0.6 tokens per byte: one allocation for most files.
	toks := make([]Token, 0, len(src)/2+16)
	i := 0
	n := len(src)
	emit := func(k Kind, start, end int) {
		toks = append(toks, Token{Text: src[start:end], Pos: int32(start), File: file, Kind: k})
	}
	for i < n {
		c := src[i]
		start := i
		switch {
		case c == '\\':
			i++
			if i >= n {
				emit(Other, start, i)
				continue
			}
			if isLetter(src[i]) {
				for i < n && isLetter(src[i]) {
					i++
				}
			} else {
				_, sz := utf8.DecodeRuneInString(src[i:])
				i += sz
			}
			name := src[start:i]
			switch name {
			case `\verb`, `\lstinline`, `\mintinline`:
				if end := scanVerb(src, i, name); end > i {
					emit(Verbatim, start, end)
					i = end
					continue
				}
			case `\begin`:
				if end := scanVerbatimEnv(src, i); end > i {
					emit(Verbatim, start, end)
					i = end
					continue
				}
			}
			emit(Command, start, i)
		case c == '{':
			i++
			emit(BeginGrp, start, i)
		case c == '}':
			i++
			emit(EndGrp, start, i)
		case c == '$':
			i++
			emit(MathShift, start, i)
		case c == '&':
			i++
			emit(AlignTab, start, i)
		case c == '#':
			i++
			if i < n && (src[i] >= '1' && src[i] <= '9' || src[i] == '#') {
				i++
			}
			emit(Param, start, i)
		case c == '^':
			i++
			emit(Sup, start, i)
		case c == '_':
			i++
			emit(Sub, start, i)
		case c == '~':
			i++
			emit(Active, start, i)
		case c == '%':
			for i < n && src[i] != '\n' {
				i++
			}
			if i < n {
				i++
			}
			// A comment eats the newline and the next line's leading blanks.
			for i < n && (src[i] == ' ' || src[i] == '\t') {
				i++
			}
			emit(Comment, start, i)
		case c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v':
			nl := 0
			for i < n {
				d := src[i]
				if d == '\n' {
					nl++
				} else if d != ' ' && d != '\t' && d != '\r' && d != '\f' && d != '\v' {
					break
				}
				i++
			}
			if nl >= 2 {
				emit(Par, start, i)
			} else {
				emit(Space, start, i)
			}
		case isWordByte(c):
			for i < n && isWordByte(src[i]) {
				i++
			}
			emit(Word, start, i)
		default:
			i++
			emit(Other, start, i)
		}
	}
	return toks
}

// scanVerb scans the argument of \verb-like commands starting at i (just
// after the command name). It returns the end of the verbatim text, or i if
// the command is not followed by a delimiter.
func scanVerb(src string, i int, name string) int {
	n := len(src)
	j := i
	if j < n && src[j] == '*' {
		j++
	}
	if name != `\verb` {
		// \lstinline[opts]|x| or \lstinline{x}; \mintinline{lang}{x}
		if j < n && src[j] == '[' {
			for j < n && src[j] != ']' && src[j] != '\n' {
				j++
			}
			if j < n && src[j] == ']' {
				j++
			}
		}
		if name == `\mintinline` && j < n && src[j] == '{' {
			for j < n && src[j] != '}' && src[j] != '\n' {
				j++
			}
			if j < n {
				j++
			}
		}
	}
	if j >= n {
		return i
	}
	d := src[j]
	if d == ' ' || d == '\n' || d == '\t' || isLetter(d) {
		return i
	}
	closer := d
	if d == '{' {
		closer = '}'
	}
	k := j + 1
	for k < n && src[k] != closer && src[k] != '\n' {
		k++
	}
	if k >= n || src[k] == '\n' {
		return i // unterminated: leave it to the normal tokenizer
	}
	return k + 1
}

// scanVerbatimEnv checks whether \begin at i opens a verbatim-like
// environment; if so it returns the offset just after its \end{...}, or the
// end of the source when the environment is not closed.
func scanVerbatimEnv(src string, i int) int {
	n := len(src)
	j := i
	for j < n && (src[j] == ' ' || src[j] == '\t') {
		j++
	}
	if j >= n || src[j] != '{' {
		return i
	}
	k := j + 1
	for k < n && k-j < 40 && src[k] != '}' {
		k++
	}
	if k >= n || src[k] != '}' {
		return i
	}
	env := src[j+1 : k]
	if !verbatimEnvs[env] {
		return i
	}
	end := `\end{` + env + `}`
	if idx := strings.Index(src[k+1:], end); idx >= 0 {
		return k + 1 + idx + len(end)
	}
	return n
}
