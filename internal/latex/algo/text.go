package algo

import (
	"regexp"
	"strings"

	"github.com/reprohq/repro/doc"
	"github.com/reprohq/repro/internal/latex"
	"github.com/reprohq/repro/internal/latex/plain"
)

// keywords are commands printed as a word inside a step.
var keywords = map[string]string{
	`\AND`: "and", `\OR`: "or", `\XOR`: "xor", `\NOT`: "not", `\TO`: "to", `\TRUE`: "true", `\FALSE`: "false",
	`\And`: "and", `\Or`: "or", `\Xor`: "xor", `\Not`: "not", `\To`: "to", `\True`: "true", `\False`: "false",
	`\Null`: "null", `\NULL`: "null", `\Downto`: "downto", `\DownTo`: "downto",
	`\algorithmicand`: "and", `\algorithmicor`: "or", `\algorithmicxor`: "xor", `\algorithmicnot`: "not",
	`\algorithmicto`: "to", `\algorithmictrue`: "true", `\algorithmicfalse`: "false",
	`\algorithmicrequire`: "Require:", `\algorithmicensure`: "Ensure:", `\algorithmicreturn`: "return",
	`\algorithmicif`: "if", `\algorithmicthen`: "then", `\algorithmicelse`: "else", `\algorithmicend`: "end",
	`\algorithmicfor`: "for", `\algorithmicforall`: "for all", `\algorithmicdo`: "do",
	`\algorithmicwhile`: "while", `\algorithmicrepeat`: "repeat", `\algorithmicuntil`: "until",
	`\algorithmicloop`: "loop", `\algorithmicfunction`: "function", `\algorithmicprocedure`: "procedure",
	`\algorithmicprint`: "print", `\algorithmicinput`: "Input:", `\algorithmicoutput`: "Output:",
	`\KwTo`: "to", `\KwFrom`: "from", `\KwDownTo`: "downto", `\KwTrue`: "true", `\KwFalse`: "false",
	`\KwAnd`: "and", `\KwOr`: "or", `\KwNot`: "not", `\KwEach`: "each", `\KwIn`: "in",
	`\Return`: "return", `\RETURN`: "return", `\KwRet`: "return", `\KwReturn`: "return",
	`\PRINT`: "print", `\Print`: "print", `\Break`: "break", `\BREAK`: "break", `\Continue`: "continue",
}

// kwDef is a command that an algorithm2e body defined with \SetKw...
type kwDef struct {
	kind string // func, word, input, output, prog, for, while, if, repeat, block, comment
	word string // printed name or keyword
}

// subst turns a step's tokens into LaTeX for plain.Text: keyword commands
// become words in bold (so that a leading "return" is recognised),
// \Call{f}{x} becomes f(x), commands defined with \SetKwFunction and \SetKw
// print their name. Math is left alone.
func subst(toks []latex.Token, reg map[string]kwDef) string {
	var b strings.Builder
	inMath := false
	for i := 0; i < len(toks); i++ {
		t := toks[i]
		switch {
		case t.Kind == latex.MathShift:
			inMath = !inMath
		case t.Is(`\(`) || t.Is(`\[`):
			inMath = true
		case t.Is(`\)`) || t.Is(`\]`):
			inMath = false
		case t.Is(`\Call`) || t.Is(`\CALL`) || t.Is(`\FCall`):
			name, next, ok := plain.Arg(toks, i+1)
			if !ok {
				continue
			}
			args, next2, ok := plain.Arg(toks, next)
			if !ok {
				args, next2 = nil, next
			}
			if inMath {
				b.WriteString(`\textsc{` + plain.Join(name) + "}(" + plain.Join(args) + ")")
			} else {
				b.WriteString(plain.Join(name) + "(" + plain.Join(args) + ")")
			}
			i = next2 - 1
			continue
		case t.Kind == latex.Command && !inMath:
			if w, ok := keywords[t.Text]; ok {
				b.WriteString(` \textbf{` + w + `} `)
				continue
			}
			if d, ok := reg[t.Text]; ok {
				switch d.kind {
				case "func":
					args, next, ok := plain.Group(toks, i+1)
					if ok {
						b.WriteString(d.word + "(" + subst(args, reg) + ")")
						i = next - 1
					} else {
						b.WriteString(d.word)
					}
					continue
				case "word":
					b.WriteString(" " + d.word + " ")
					continue
				}
			}
		}
		b.WriteString(t.Text)
	}
	return b.String()
}

// kwPrefix matches a keyword at the start of a step's text.
var kwPrefix = regexp.MustCompile(`(?i)^(inputs?|require[sd]?|given|data|parameters?|hyper-?parameters?|outputs?|ensure|results?|returns?)\b[ \t]*(:)?[ \t]*`)

var kwKinds = map[string]string{
	"input": doc.StepRequire, "inputs": doc.StepRequire, "require": doc.StepRequire,
	"requires": doc.StepRequire, "required": doc.StepRequire, "given": doc.StepRequire,
	"data": doc.StepRequire, "parameter": doc.StepRequire, "parameters": doc.StepRequire,
	"hyperparameter": doc.StepRequire, "hyperparameters": doc.StepRequire,
	"hyper-parameter": doc.StepRequire, "hyper-parameters": doc.StepRequire,
	"output": doc.StepEnsure, "outputs": doc.StepEnsure, "ensure": doc.StepEnsure,
	"result": doc.StepEnsure, "results": doc.StepEnsure,
	"return": doc.StepReturn, "returns": doc.StepReturn,
}

// classify looks at a statement's start: "Input: x" (or a bold "input"
// without colon) makes a require step with text x, "Output:" an ensure
// step, "return x" a return step.
func classify(src, text string) (kind, rest string) {
	m := kwPrefix.FindStringSubmatch(text)
	if m == nil {
		return doc.StepStatement, text
	}
	word := strings.ToLower(m[1])
	kind = kwKinds[word]
	colon := m[2] != ""
	switch {
	case colon:
	case kind == doc.StepReturn:
	case wrapped(src):
	default:
		return doc.StepStatement, text
	}
	return kind, strings.TrimSpace(text[len(m[0]):])
}

// wrapped reports whether src starts with a font command or group, as in
// \textbf{input}, {\bfseries Output:} or the keywords subst writes.
func wrapped(src string) bool {
	toks := latex.Scan(src, 0)
	i := plain.Skip(toks, 0)
	if i >= len(toks) {
		return false
	}
	t := toks[i]
	if t.Kind == latex.BeginGrp {
		j := plain.Skip(toks, i+1)
		return j < len(toks) && fontSwitch[toks[j].Text]
	}
	return fontArg[t.Text]
}

var fontSwitch = map[string]bool{
	`\bf`: true, `\bfseries`: true, `\it`: true, `\itshape`: true, `\em`: true, `\sc`: true,
	`\scshape`: true, `\sl`: true, `\slshape`: true, `\tt`: true, `\ttfamily`: true, `\sf`: true,
	`\sffamily`: true, `\underline`: true, `\textbf`: true, `\textit`: true,
}

var fontArg = map[string]bool{
	`\textbf`: true, `\textit`: true, `\emph`: true, `\textsc`: true, `\underline`: true,
	`\textsf`: true, `\texttt`: true, `\textsl`: true, `\uline`: true,
}
