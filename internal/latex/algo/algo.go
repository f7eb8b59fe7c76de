// Package algo reads the body of an algorithm float written with the
// algorithmic, algpseudocode (algorithmicx) or algorithm2e package and
// returns its steps with their nesting, its inputs and outputs, and a plain
// pseudocode rendering.
//
// Parse accepts any input: unknown commands become text, unbalanced
// blocks are closed at the end, and nesting is bounded, so no input makes
// it panic or run long.
package algo

import (
	"strings"

	"github.com/reprohq/repro/doc"
	"github.com/reprohq/repro/internal/latex"
	"github.com/reprohq/repro/internal/latex/plain"
)

// Package names reported in Result.Package.
const (
	Algorithmic   = "algorithmic"
	Algpseudocode = "algpseudocode"
	Algorithm2e   = "algorithm2e"
)

// Result is what Parse reads from an algorithm.
type Result struct {
	// Package is "algorithmic", "algpseudocode" or "algorithm2e", or ""
	// when the body uses none of them (its lines are then statements).
	Package string
	// Inputs and Outputs are the texts of the Require/Ensure, \KwIn/\KwOut,
	// Input:/Output: lines, in order.
	Inputs, Outputs []string
	// Steps are the algorithm's lines; block ends (end for, end if) are not
	// steps, they show in the depth of the steps that follow.
	Steps []doc.Step
	// Pseudocode is a plain rendering: one line per step plus block ends,
	// two spaces of indent per depth, lowercase keywords ("for t = 1..T do",
	// "end for", "if x then", "repeat"/"until y", "function F(x)",
	// "return x", "// comment", "Input: x").
	Pseudocode string
}

// Parse reads the content of an algorithm float: everything between
// \begin{algorithm} and \end{algorithm}; \caption and \label outside the
// steps are ignored.
func Parse(body string) Result {
	toks := skipPlacement(latex.Scan(body, 0))
	b := &builder{}
	switch pkg := detect(toks); pkg {
	case Algorithmic, Algpseudocode:
		b.pkg = pkg
		parseAlgorithmic(b, toks)
	case Algorithm2e:
		b.pkg = pkg
		a := &a2e{b: b, kw: defaultKw()}
		a.block(toks, 0, 0)
	default:
		parseLines(b, toks)
	}
	return b.result()
}

// skipPlacement drops a float placement option ([t], [H], [!htbp]) left
// at the start of the body.
func skipPlacement(toks []latex.Token) []latex.Token {
	opt, next, ok := plain.Optional(toks, 0)
	if !ok {
		return toks
	}
	s := strings.TrimSpace(plain.Join(opt))
	if s == "" || strings.Trim(s, "htbpH!") != "" {
		return toks
	}
	return toks[next:]
}

// line is one output line: a step, or a block end (kind "end").
type line struct {
	step doc.Step
	kw   string // keyword for the pseudocode: "for all", "procedure", "loop", ...
	end  bool
}

// builder collects lines.
type builder struct {
	pkg     string
	lines   []line
	inputs  []string
	outputs []string
}

// step adds a step whose text and comment are LaTeX (already substituted);
// they are rendered with plain.Text. Statements are classified: a leading
// "Input:", "Output:", "return" makes them require, ensure, return steps.
func (b *builder) step(kind string, depth int, text, comment, label, kw string) {
	t := plain.Text(text)
	c := plain.Text(comment)
	label = strings.TrimSpace(label)
	if kind == doc.StepStatement {
		kind, t = classify(text, t)
	}
	switch kind {
	case doc.StepStatement, doc.StepComment:
		if t == "" && c == "" {
			if label != "" && len(b.lines) > 0 && !b.lines[len(b.lines)-1].end && b.lines[len(b.lines)-1].step.Label == "" {
				b.lines[len(b.lines)-1].step.Label = label // a \label on its own line
			}
			return
		}
		if t == "" { // only a comment: a comment line
			kind, t, c = doc.StepComment, c, ""
		}
	case doc.StepRequire:
		if t == "" {
			return
		}
		b.inputs = append(b.inputs, t)
	case doc.StepEnsure:
		if t == "" {
			return
		}
		b.outputs = append(b.outputs, t)
	}
	b.lines = append(b.lines, line{
		step: doc.Step{Kind: kind, Depth: max(depth, 0), Text: t, Comment: c, Label: label},
		kw:   kw,
	})
}

// end adds a block end ("end for") at depth.
func (b *builder) end(kw string, depth int) {
	b.lines = append(b.lines, line{step: doc.Step{Depth: max(depth, 0)}, kw: kw, end: true})
}

// comment attaches a comment to the last step, or adds a comment line when
// the last line is a block end or there is none.
func (b *builder) comment(depth int, comment string) {
	c := plain.Text(comment)
	if c == "" {
		return
	}
	if n := len(b.lines); n > 0 && !b.lines[n-1].end {
		s := &b.lines[n-1].step
		if s.Comment == "" {
			s.Comment = c
		} else {
			s.Comment += " " + c
		}
		return
	}
	b.lines = append(b.lines, line{step: doc.Step{Kind: doc.StepComment, Depth: max(depth, 0), Text: c}})
}

func (b *builder) result() Result {
	r := Result{Package: b.pkg, Inputs: b.inputs, Outputs: b.outputs, Steps: []doc.Step{}}
	if r.Inputs == nil {
		r.Inputs = []string{}
	}
	if r.Outputs == nil {
		r.Outputs = []string{}
	}
	var p strings.Builder
	for _, l := range b.lines {
		if !l.end {
			r.Steps = append(r.Steps, l.step)
		}
		p.WriteString(strings.Repeat("  ", l.step.Depth))
		p.WriteString(render(l))
		p.WriteByte('\n')
	}
	r.Pseudocode = p.String()
	return r
}

// render is the pseudocode of one line, without indent.
func render(l line) string {
	s := l.step
	if l.end {
		return "end " + l.kw
	}
	var out string
	join := func(parts ...string) string {
		var nonEmpty []string
		for _, p := range parts {
			if p != "" {
				nonEmpty = append(nonEmpty, p)
			}
		}
		return strings.Join(nonEmpty, " ")
	}
	switch s.Kind {
	case doc.StepIf:
		out = join("if", s.Text, "then")
	case doc.StepElseIf:
		out = join("else if", s.Text, "then")
	case doc.StepElse:
		out = "else"
	case doc.StepFor:
		out = join(or(l.kw, "for"), s.Text, "do")
	case doc.StepWhile:
		if l.kw == "loop" {
			out = "loop"
		} else {
			out = join("while", s.Text, "do")
		}
	case doc.StepRepeat:
		out = "repeat"
	case doc.StepUntil:
		out = join("until", s.Text)
	case doc.StepFunction:
		out = join(or(l.kw, "function"), s.Text)
	case doc.StepReturn:
		out = join("return", s.Text)
	case doc.StepComment:
		out = "// " + s.Text
	case doc.StepRequire:
		out = "Input: " + s.Text
	case doc.StepEnsure:
		out = "Output: " + s.Text
	default:
		out = s.Text
	}
	if s.Comment != "" {
		out += "  // " + s.Comment
	}
	return out
}

func or(a, b string) string {
	if a != "" {
		return a
	}
	return b
}

// detect tells which package the body uses.
func detect(toks []latex.Token) string {
	env, upper, mixed, a2, apOnly := false, 0, 0, 0, 0
	for i, t := range toks {
		if t.Kind != latex.Command {
			continue
		}
		if t.Text == `\begin` {
			if name, _, ok := plain.EnvName(toks, i+1); ok && name == "algorithmic" {
				env = true
			}
			continue
		}
		if a2eMarkers[t.Text] {
			a2++
		}
		if c, ok := algorithmicCmds[t.Text]; ok {
			if c.upper {
				upper++
			} else {
				mixed++
				if c.kind == "end" || c.kind == doc.StepStatement || c.kind == doc.StepRequire || c.kind == doc.StepEnsure {
					apOnly++ // \State, \EndFor, \Require: not algorithm2e
				}
			}
		}
	}
	switch {
	case env && upper > mixed:
		return Algorithmic
	case env:
		return Algpseudocode
	case a2 > 0:
		return Algorithm2e
	case upper > 0 && upper > mixed:
		return Algorithmic
	case apOnly > 0:
		return Algpseudocode
	case mixed > 0: // \If{c}{body} without \State or \EndIf
		return Algorithm2e
	}
	return ""
}

var a2eMarkers = map[string]bool{
	`\;`: true, `\KwIn`: true, `\KwOut`: true, `\KwData`: true, `\KwResult`: true, `\KwRet`: true,
	`\SetAlgoLined`: true, `\DontPrintSemicolon`: true, `\SetKwInOut`: true, `\SetKwInput`: true,
	`\SetKwFunction`: true, `\SetKwProg`: true, `\eIf`: true, `\uIf`: true, `\uElseIf`: true,
	`\uElse`: true, `\lIf`: true, `\lElse`: true, `\leIf`: true, `\ForEach`: true, `\tcp`: true,
	`\tcc`: true, `\BlankLine`: true, `\Indp`: true, `\Indm`: true, `\SetAlgoNoLine`: true,
	`\LinesNumbered`: true, `\SetAlgoVlined`: true, `\SetKw`: true, `\SetKwData`: true,
	`\SetKwComment`: true, `\nl`: true, `\lnl`: true, `\SetCommentSty`: true, `\ResetInOut`: true,
	`\SetKwRepeat`: true, `\SetKwFor`: true, `\SetKwIF`: true, `\SetKwBlock`: true,
	`\SetKwSwitch`: true, `\SetArgSty`: true, `\SetFuncSty`: true, `\SetKwSty`: true,
	`\SetAlFnt`: true, `\SetAlCapFnt`: true, `\SetInd`: true, `\lFor`: true, `\lForEach`: true,
	`\lWhile`: true, `\KwTo`: true, `\SetNoFillComment`: true, `\PrintSemicolon`: true,
}

// parseLines reads a body that uses no algorithm package: each line (up to
// \\ or a blank line) is a statement.
func parseLines(b *builder, toks []latex.Token) {
	var cur strings.Builder
	label := ""
	flush := func() {
		b.step(doc.StepStatement, 0, cur.String(), "", label, "")
		cur.Reset()
		label = ""
	}
	for i := 0; i < len(toks); {
		t := toks[i]
		switch {
		case t.Kind == latex.Par || t.Is(`\\`) || t.Is(`\newline`) || t.Is(`\par`):
			flush()
			i++
			if t.Is(`\\`) {
				i, _ = plain.Star(toks, i)
				if _, next, ok := plain.Optional(toks, i); ok {
					i = next
				}
			}
		case t.Is(`\caption`):
			i = plain.SkipArgs(toks, i+1, "om")
		case t.Is(`\label`):
			arg, next, _ := plain.Arg(toks, i+1)
			label = plain.Join(arg)
			i = max(next, i+1)
		default:
			cur.WriteString(t.Text)
			i++
		}
	}
	flush()
}
