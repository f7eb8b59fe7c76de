package algo

import (
	"strings"

	"github.com/reprohq/repro/doc"
	"github.com/reprohq/repro/internal/latex"
	"github.com/reprohq/repro/internal/latex/plain"
)

// maxNest bounds the nesting of algorithm2e blocks that are read as
// blocks; deeper bodies are read as text.
const maxNest = 48

// a2e reads algorithm2e bodies: statements end at \; or a blank line,
// blocks are braced arguments (\For{cond}{body}).
type a2e struct {
	b  *builder
	kw map[string]kwDef // commands defined with \SetKw...
}

// defaultKw are the definitions papers usually make in their preamble
// (\SetKwInOut{Input}{Input}, \SetKwProg{Fn}{Function}{}{},
// \SetKwComment{Comment}{}{}), which the body then only uses. A
// definition in the body replaces them.
func defaultKw() map[string]kwDef {
	return map[string]kwDef{
		`\Input`:     {kind: "input", word: "Input"},
		`\Output`:    {kind: "output", word: "Output"},
		`\Parameter`: {kind: "input", word: "Parameter"},
		`\Fn`:        {kind: "prog", word: "Function"},
		`\Comment`:   {kind: "comment"},
	}
}

// blockDef describes a built-in block command.
type blockDef struct {
	kind  string // step kind of the opening line
	kw    string // pseudocode keyword / what "end" ends
	shape string // arguments: c condition, b body, e else-body, s single statement
	end   bool   // prints "end <kw>" after the body
}

var a2eBlocks = map[string]blockDef{
	`\If`:       {doc.StepIf, "if", "cb", true},
	`\uIf`:      {doc.StepIf, "if", "cb", false},
	`\lIf`:      {doc.StepIf, "if", "cs", false},
	`\eIf`:      {doc.StepIf, "if", "cbe", true},
	`\leIf`:     {doc.StepIf, "if", "cse", false},
	`\ElseIf`:   {doc.StepElseIf, "if", "cb", true},
	`\uElseIf`:  {doc.StepElseIf, "if", "cb", false},
	`\lElseIf`:  {doc.StepElseIf, "if", "cs", false},
	`\lElsIf`:   {doc.StepElseIf, "if", "cs", false},
	`\Else`:     {doc.StepElse, "if", "b", true},
	`\uElse`:    {doc.StepElse, "if", "b", false},
	`\lElse`:    {doc.StepElse, "if", "s", false},
	`\For`:      {doc.StepFor, "for", "cb", true},
	`\lFor`:     {doc.StepFor, "for", "cs", false},
	`\ForEach`:  {doc.StepFor, "for each", "cb", true},
	`\lForEach`: {doc.StepFor, "for each", "cs", false},
	`\ForAll`:   {doc.StepFor, "for all", "cb", true},
	`\lForAll`:  {doc.StepFor, "for all", "cs", false},
	`\While`:    {doc.StepWhile, "while", "cb", true},
	`\lWhile`:   {doc.StepWhile, "while", "cs", false},
	`\Repeat`:   {doc.StepRepeat, "repeat", "ub", false},
	`\lRepeat`:  {doc.StepRepeat, "repeat", "us", false},
	`\Switch`:   {doc.StepStatement, "switch", "cb", true},
	`\Case`:     {doc.StepStatement, "case", "cb", false},
	`\uCase`:    {doc.StepStatement, "case", "cb", false},
	`\lCase`:    {doc.StepStatement, "case", "cs", false},
	`\Other`:    {doc.StepStatement, "otherwise", "b", false},
	`\lOther`:   {doc.StepStatement, "otherwise", "s", false},
	`\Begin`:    {doc.StepStatement, "begin", "b", true},
}

// a2eIgnored are layout commands dropped with their arguments.
var a2eIgnored = map[string]string{
	`\SetAlgoLined`: "", `\SetAlgoNoLine`: "", `\SetAlgoVlined`: "", `\SetAlgoNoEnd`: "",
	`\DontPrintSemicolon`: "", `\PrintSemicolon`: "", `\LinesNumbered`: "", `\LinesNumberedHidden`: "",
	`\LinesNotNumbered`: "", `\ShowLn`: "", `\nl`: "", `\ResetInOut`: "m", `\SetCommentSty`: "m",
	`\SetArgSty`: "m", `\SetFuncSty`: "m", `\SetFuncArgSty`: "m", `\SetKwSty`: "m", `\SetDataSty`: "m",
	`\SetProcNameSty`: "m", `\SetProcArgSty`: "m", `\SetNlSty`: "mmm", `\SetAlCapSty`: "m",
	`\SetAlCapNameSty`: "m", `\SetAlCapFnt`: "m", `\SetAlCapNameFnt`: "m", `\SetAlTitleFnt`: "m",
	`\SetAlFnt`: "m", `\SetAlgoCaptionSeparator`: "m", `\SetInd`: "mm", `\SetNoFillComment`: "",
	`\SetFillComment`: "", `\SetSideCommentLeft`: "", `\SetSideCommentRight`: "", `\SetAlgoSkip`: "m",
	`\SetVlineSkip`: "m", `\SetAlgoInsideSkip`: "m", `\SetAlgorithmName`: "mmm", `\SetAlgoRefName`: "m",
	`\SetKwHangingKw`: "mm", `\IncMargin`: "m", `\DecMargin`: "m", `\Indentp`: "m", `\RestyleAlgo`: "m",
	`\restylefloat`: "m", `\NoCaptionOfAlgo`: "", `\TitleOfAlgo`: "m", `\AlgoDisplayBlockMarkers`: "",
	`\AlgoDontDisplayBlockMarkers`: "", `\SetStartEndCondition`: "mmm", `\SetAlgoShortEnd`: "",
	`\SetAlgoLongEnd`: "", `\caption`: "om", `\SetKwArray`: "mm",
	`\SetAlgoFuncName`: "mm", `\SetAlgoProcName`: "mm", `\centering`: "",
	`\small`: "", `\footnotesize`: "", `\scriptsize`: "", `\normalsize`: "",
}

// inOut are the built-in input/output lines.
var inOut = map[string]string{
	`\KwIn`: doc.StepRequire, `\KwData`: doc.StepRequire, `\KwInput`: doc.StepRequire,
	`\KwOut`: doc.StepEnsure, `\KwResult`: doc.StepEnsure, `\KwOutput`: doc.StepEnsure,
}

// block reads toks as a sequence of statements and blocks at depth. nest
// counts the recursion.
func (a *a2e) block(toks []latex.Token, depth, nest int) {
	var cur []latex.Token
	var comment []latex.Token
	label, nextLabel := "", ""
	inMath := false
	flush := func() {
		text := subst(cur, a.kw)
		l := label
		if l == "" {
			l = nextLabel
		}
		if strings.TrimSpace(plain.Join(cur)) != "" || len(comment) > 0 {
			a.b.step(doc.StepStatement, depth, text, subst(comment, a.kw), l, "")
			nextLabel = ""
		} else if l != "" && label != "" {
			a.b.step(doc.StepStatement, depth, "", "", l, "")
		}
		cur, comment, label = nil, nil, ""
	}
	for i := 0; i < len(toks); {
		t := toks[i]
		if inMath {
			cur = append(cur, t)
			i++
			switch {
			case t.Kind == latex.MathShift:
				if i < len(toks) && toks[i].Kind == latex.MathShift {
					cur = append(cur, toks[i])
					i++
				}
				inMath = false
			case t.Is(`\)`) || t.Is(`\]`):
				inMath = false
			}
			continue
		}
		switch t.Kind {
		case latex.Par:
			flush()
			i++
			continue
		case latex.MathShift:
			cur = append(cur, t)
			i++
			if i < len(toks) && toks[i].Kind == latex.MathShift {
				cur = append(cur, toks[i])
				i++
			}
			inMath = true
			continue
		case latex.BeginGrp:
			inner, next, _ := plain.Group(toks, i)
			if nest < maxNest && hasStatements(inner, a.kw) {
				flush()
				a.block(inner, depth, nest+1)
			} else {
				cur = append(cur, toks[i:next]...)
			}
			i = max(next, i+1)
			continue
		case latex.Command:
		default:
			cur = append(cur, t)
			i++
			continue
		}
		i++
		name := t.Text
		switch {
		case name == `\(` || name == `\[`:
			cur = append(cur, t)
			inMath = true
		case name == `\;` || name == `\\`:
			flush()
			if name == `\\` {
				i, _ = plain.Star(toks, i)
				if _, next, ok := plain.Optional(toks, i); ok {
					i = next
				}
			}
		case name == `\BlankLine` || name == `\smallskip` || name == `\medskip` || name == `\bigskip`:
			flush()
		case name == `\Indp`:
			flush()
			depth++
		case name == `\Indm`:
			flush()
			depth = max(depth-1, 0)
		case name == `\label`:
			arg, next, _ := plain.Arg(toks, i)
			i = max(next, i)
			if len(cur) > 0 {
				label = plain.Join(arg)
			} else if n := len(a.b.lines); n > 0 && !a.b.lines[n-1].end && a.b.lines[n-1].step.Label == "" {
				a.b.lines[n-1].step.Label = strings.TrimSpace(plain.Join(arg))
			}
		case name == `\lnl`:
			arg, next, _ := plain.Arg(toks, i)
			i = max(next, i)
			nextLabel = plain.Join(arg)
		case name == `\begin` || name == `\end`:
			envName, next, ok := plain.EnvName(toks, i)
			if !ok {
				cur = append(cur, t)
				continue
			}
			if name == `\begin` && plain.IsMathEnv(envName) {
				_, after := plain.FindEnd(toks, next, envName)
				cur = append(cur, toks[i-1:after]...)
				i = after
				continue
			}
			i = next
			if name == `\begin` {
				if envName == "minipage" {
					i = plain.SkipArgs(toks, i, "ooom")
				} else {
					i = plain.SkipArgs(toks, i, "o")
				}
			}
		case isComment(name, a.kw):
			i = a.comment(toks, i, &cur, &comment, flush, depth)
		case hasKey(a2eIgnored, name):
			i = plain.SkipArgs(toks, i, a2eIgnored[name])
		case strings.HasPrefix(name, `\SetKw`):
			i = a.define(name, toks, i)
		case inOut[name] != "" || a.kw[name].kind == "input" || a.kw[name].kind == "output":
			flush()
			arg, next, _ := plain.Arg(toks, i)
			i = max(next, i)
			kind := inOut[name]
			if kind == "" {
				kind = map[string]string{"input": doc.StepRequire, "output": doc.StepEnsure}[a.kw[name].kind]
			}
			a.b.step(kind, depth, subst(arg, a.kw), "", "", "")
		default:
			if def, ok := a.blockOf(name); ok {
				flush()
				i = a.blockCmd(def, toks, i, depth, nest)
				continue
			}
			cur = append(cur, t)
		}
	}
	flush()
}

func hasKey(m map[string]string, k string) bool { _, ok := m[k]; return ok }

// blockOf returns the block a command opens: built-in or defined with
// \SetKwProg, \SetKwFor, \SetKwIF, \SetKwRepeat, \SetKwBlock.
func (a *a2e) blockOf(name string) (blockDef, bool) {
	if d, ok := a.kw[name]; ok {
		switch d.kind {
		case "prog":
			return blockDef{doc.StepFunction, strings.ToLower(d.word), "cb", true}, true
		case "for":
			return blockDef{doc.StepFor, strings.ToLower(d.word), "cb", true}, true
		case "while":
			return blockDef{doc.StepWhile, "while", "cb", true}, true
		case "repeat":
			return blockDef{doc.StepRepeat, "repeat", "ub", false}, true
		case "block":
			return blockDef{doc.StepStatement, strings.ToLower(d.word), "b", true}, true
		}
	}
	d, ok := a2eBlocks[name]
	return d, ok
}

// hasStatements reports whether a stray group holds statements (\; or
// block commands) rather than text.
func hasStatements(toks []latex.Token, kw map[string]kwDef) bool {
	for _, t := range toks {
		if t.Kind != latex.Command {
			continue
		}
		if t.Text == `\;` {
			return true
		}
		if _, ok := a2eBlocks[t.Text]; ok {
			return true
		}
		if d, ok := kw[t.Text]; ok && d.kind == "prog" {
			return true
		}
	}
	return false
}

// blockCmd reads a block command's arguments from toks[i:] and emits it.
func (a *a2e) blockCmd(def blockDef, toks []latex.Token, i, depth, nest int) int {
	var cond []latex.Token
	comment := ""
	readParen := func() {
		if inner, next, ok := plain.Paren(toks, i); ok {
			comment = strings.TrimSpace(comment + " " + a.commentText(inner))
			i = next
		}
	}
	readArg := func() ([]latex.Token, bool) {
		readParen()
		i, _ = plain.Star(toks, i)
		arg, next, ok := plain.Arg(toks, i)
		if ok {
			i = next
		}
		return arg, ok
	}
	body := func(toks []latex.Token, d int) {
		if nest < maxNest {
			a.block(toks, d, nest+1)
		} else {
			a.b.step(doc.StepStatement, d, subst(toks, a.kw), "", "", "")
		}
	}
	open := func(kind string, text []latex.Token) {
		t := subst(text, a.kw)
		switch {
		case def.kind == doc.StepStatement && def.kw != "":
			t = `\textbf{` + def.kw + `} ` + t // switch x, case y, begin
		}
		a.b.step(kind, depth, t, comment, "", def.kw)
		comment = ""
	}
	for k, c := range def.shape {
		switch c {
		case 'c':
			cond, _ = readArg()
			open(def.kind, cond)
		case 'u':
			cond, _ = readArg() // \Repeat{until}{body}: the condition comes first
			if def.kind == doc.StepRepeat {
				open(doc.StepRepeat, nil)
			}
		case 'b', 's':
			if k == 0 {
				open(def.kind, nil)
			}
			arg, ok := readArg()
			if !ok {
				break
			}
			body(arg, depth+1)
		case 'e':
			arg, ok := readArg()
			if !ok {
				break
			}
			a.b.step(doc.StepElse, depth, "", comment, "", "")
			comment = ""
			body(arg, depth+1)
		}
	}
	if def.kind == doc.StepRepeat {
		a.b.step(doc.StepUntil, depth, subst(cond, a.kw), comment, "", "")
		comment = ""
	}
	readParen()
	if comment != "" {
		a.b.comment(depth, comment)
	}
	if def.end {
		a.b.end(def.kw, depth)
	}
	return i
}

// define registers a command defined with \SetKw...
func (a *a2e) define(name string, toks []latex.Token, i int) int {
	args := func(n int) ([]string, int) {
		var out []string
		for k := 0; k < n; k++ {
			arg, next, ok := plain.Arg(toks, i)
			if !ok {
				break
			}
			out = append(out, plain.Join(arg))
			i = next
		}
		return out, i
	}
	name = strings.TrimSuffix(name, "*")
	n := map[string]int{
		`\SetKwInOut`: 2, `\SetKwInput`: 2, `\SetKwFunction`: 2, `\SetKwProg`: 4, `\SetKw`: 2,
		`\SetKwData`: 2, `\SetKwComment`: 3, `\SetKwFor`: 4, `\SetKwIF`: 8, `\SetKwRepeat`: 3,
		`\SetKwBlock`: 3, `\SetKwSwitch`: 9, `\SetKwArray`: 2, `\SetKwHangingKw`: 2,
	}[name]
	i, _ = plain.Star(toks, i)
	got, i := args(n)
	if len(got) < 2 {
		return i
	}
	cmd := `\` + strings.TrimSpace(strings.TrimPrefix(strings.TrimSpace(got[0]), `\`))
	word := plain.Text(got[1])
	switch name {
	case `\SetKwInOut`, `\SetKwInput`:
		kind := "input"
		l := strings.ToLower(cmd + " " + word)
		if strings.Contains(l, "out") || strings.Contains(l, "result") || strings.Contains(l, "ensure") || strings.Contains(l, "return") {
			kind = "output"
		}
		a.kw[cmd] = kwDef{kind: kind, word: word}
	case `\SetKwFunction`:
		a.kw[cmd] = kwDef{kind: "func", word: word}
	case `\SetKw`, `\SetKwData`, `\SetKwArray`, `\SetKwHangingKw`:
		a.kw[cmd] = kwDef{kind: "word", word: word}
	case `\SetKwProg`:
		a.kw[cmd] = kwDef{kind: "prog", word: word}
	case `\SetKwComment`:
		a.kw[cmd] = kwDef{kind: "comment"}
	case `\SetKwFor`:
		kind := "for"
		if strings.Contains(strings.ToLower(word), "while") {
			kind = "while"
		}
		a.kw[cmd] = kwDef{kind: kind, word: word}
	case `\SetKwRepeat`:
		a.kw[cmd] = kwDef{kind: "repeat", word: word}
	case `\SetKwBlock`:
		a.kw[cmd] = kwDef{kind: "block", word: word}
	case `\SetKwIF`: // \SetKwIF{If}{ElseIf}{Else}{if}{then}{else if}{else}{endif}
		a.kw[cmd] = kwDef{kind: "if"}
	}
	return i
}

// isComment reports whether name is an algorithm2e comment command.
func isComment(name string, kw map[string]kwDef) bool {
	switch name {
	case `\tcp`, `\tcc`:
		return true
	}
	return kw[name].kind == "comment"
}

// comment reads \tcp{x}, \tcc{x}, \tcp*[r]{x} (and commands defined with
// \SetKwComment) at toks[i:]. A plain \tcp is a line of its own; a starred
// one is a side comment on the statement being read, which it ends unless
// its option is [h].
func (a *a2e) comment(toks []latex.Token, i int, cur, comment *[]latex.Token, flush func(), depth int) int {
	i, star := plain.Star(toks, i)
	opt := ""
	if o, next, ok := plain.Optional(toks, i); ok {
		opt = strings.TrimSpace(plain.Join(o))
		i = next
	}
	arg, next, ok := plain.Arg(toks, i)
	if !ok {
		return i
	}
	i = next
	if !star {
		flush()
		a.b.step(doc.StepComment, depth, subst(arg, a.kw), "", "", "")
		return i
	}
	if len(*cur) == 0 && len(*comment) == 0 {
		a.b.step(doc.StepComment, depth, subst(arg, a.kw), "", "", "")
		return i
	}
	*comment = append(*comment, arg...)
	if opt != "h" {
		flush()
	}
	return i
}

// commentText renders the parenthesised comment argument of a block
// command, (\tcp*[h]{x}) or (x), as plain LaTeX for builder.comment.
func (a *a2e) commentText(toks []latex.Token) string {
	var out []latex.Token
	for i := 0; i < len(toks); i++ {
		t := toks[i]
		if t.Kind == latex.Command && isComment(t.Text, a.kw) {
			j, _ := plain.Star(toks, i+1)
			j = plain.SkipArgs(toks, j, "o")
			if arg, next, ok := plain.Arg(toks, j); ok {
				out = append(out, arg...)
				i = next - 1
			}
			continue
		}
		out = append(out, t)
	}
	return subst(out, a.kw)
}
