package algo

import (
	"regexp"
	"strings"

	"github.com/reprohq/repro/doc"
	"github.com/reprohq/repro/internal/latex"
	"github.com/reprohq/repro/internal/latex/plain"
)

// cmd describes a line command of algorithmic / algpseudocode.
type cmd struct {
	kind  string // a doc.Step kind, or "end", "comment", "label"
	args  int    // mandatory arguments (the condition; 2 for \Function{name}{args})
	kw    string // pseudocode keyword ("for all", "procedure", "loop"); for ends, what ends
	upper bool   // the algorithmic (uppercase) spelling
	open  bool   // opens a block
	close bool   // closes a block (\ELSE and \ELSIF both close and open)
	text  string // text put before the step's own (\PRINT, \RETURN)
}

var algorithmicCmds = map[string]cmd{}

func init() {
	add := func(names string, c cmd) {
		for _, n := range strings.Fields(names) {
			c.upper = n == strings.ToUpper(n)
			algorithmicCmds[`\`+n] = c
		}
	}
	add("STATE State Statex STATEx", cmd{kind: doc.StepStatement})
	add("IF If", cmd{kind: doc.StepIf, args: 1, open: true})
	add("ELSIF ElsIf ElseIf ELSEIF", cmd{kind: doc.StepElseIf, args: 1, open: true, close: true})
	add("ELSE Else", cmd{kind: doc.StepElse, open: true, close: true})
	add("ENDIF EndIf", cmd{kind: "end", kw: "if", close: true})
	add("FOR For", cmd{kind: doc.StepFor, args: 1, kw: "for", open: true})
	add("FORALL ForAll Forall", cmd{kind: doc.StepFor, args: 1, kw: "for all", open: true})
	add("FOREACH ForEach Foreach", cmd{kind: doc.StepFor, args: 1, kw: "for each", open: true})
	add("ENDFOR EndFor", cmd{kind: "end", kw: "for", close: true})
	add("WHILE While", cmd{kind: doc.StepWhile, args: 1, open: true})
	add("ENDWHILE EndWhile", cmd{kind: "end", kw: "while", close: true})
	add("REPEAT Repeat", cmd{kind: doc.StepRepeat, open: true})
	add("UNTIL Until", cmd{kind: doc.StepUntil, args: 1, close: true})
	add("LOOP Loop", cmd{kind: doc.StepWhile, kw: "loop", open: true})
	add("ENDLOOP EndLoop", cmd{kind: "end", kw: "loop", close: true})
	add("FUNCTION Function", cmd{kind: doc.StepFunction, args: 2, kw: "function", open: true})
	add("ENDFUNCTION EndFunction", cmd{kind: "end", kw: "function", close: true})
	add("PROCEDURE Procedure", cmd{kind: doc.StepFunction, args: 2, kw: "procedure", open: true})
	add("ENDPROCEDURE EndProcedure", cmd{kind: "end", kw: "procedure", close: true})
	add("REQUIRE Require INPUT Input", cmd{kind: doc.StepRequire})
	add("ENSURE Ensure OUTPUT Output", cmd{kind: doc.StepEnsure})
	add("RETURN", cmd{kind: doc.StepStatement, text: `\textbf{return} `})
	add("PRINT Print", cmd{kind: doc.StepStatement, text: `\textbf{print} `})
	add("COMMENT Comment", cmd{kind: "comment"})
	add("LeftComment LEFTCOMMENT CommentLine", cmd{kind: "leftcomment"})
}

// parseAlgorithmic reads the algorithmic environments of the body; text
// outside them is searched for Input:/Output: lines.
func parseAlgorithmic(b *builder, toks []latex.Token) {
	found := false
	last := 0
	for i := 0; i < len(toks); i++ {
		if !toks[i].Is(`\begin`) {
			continue
		}
		name, next, ok := plain.EnvName(toks, i+1)
		if !ok || name != "algorithmic" {
			continue
		}
		preamble(b, toks[last:i])
		next = plain.SkipArgs(toks, next, "o")
		end, after := plain.FindEnd(toks, next, name)
		walkAlgorithmic(b, toks[next:end])
		found = true
		last, i = after, max(after-1, i)
	}
	if !found { // the commands without the environment
		walkAlgorithmic(b, toks)
		return
	}
	preamble(b, toks[min(last, len(toks)):])
}

// walkAlgorithmic reads the content of one algorithmic environment.
func walkAlgorithmic(b *builder, toks []latex.Token) {
	depth := 0
	var cur *pending
	flush := func() {
		if cur != nil {
			cur.emit(b)
			cur = nil
		}
	}
	start := func(kind string, d int, kw string) *pending {
		flush()
		cur = &pending{kind: kind, depth: d, kw: kw}
		return cur
	}
	for i := 0; i < len(toks); {
		t := toks[i]
		if t.Kind != latex.Command {
			if cur == nil {
				if t.Kind == latex.Space || t.Kind == latex.Par || t.Kind == latex.Comment {
					i++
					continue
				}
				start(doc.StepStatement, depth, "")
			}
			cur.add(t)
			i++
			continue
		}
		c, isCmd := algorithmicCmds[t.Text]
		switch {
		case t.Is(`\label`):
			arg, next, _ := plain.Arg(toks, i+1)
			if cur != nil {
				cur.label = plain.Join(arg)
			} else {
				b.step(doc.StepStatement, depth, "", "", plain.Join(arg), "")
			}
			i = max(next, i+1)
			continue
		case t.Is(`\caption`):
			i = max(plain.SkipArgs(toks, i+1, "om"), i+1)
			continue
		case t.Is(`\item`): // \item[\textbf{Input:}] x, as \algnewcommand\Input defines
			p := start(doc.StepStatement, depth, "")
			if label, next, ok := plain.Optional(toks, i+1); ok {
				p.add(label...)
				p.add(latex.Token{Text: " ", Kind: latex.Space})
				i = next
				continue
			}
			i++
			continue
		case !isCmd:
			if cur == nil {
				start(doc.StepStatement, depth, "")
			}
			cur.add(t)
			i++
			continue
		}
		i++
		switch c.kind {
		case "comment":
			// \Comment{x} or \Comment x: the rest of the line is comment.
			if cur == nil || cur.kind == "end" {
				start(doc.StepComment, depth, "")
			}
			if arg, next, ok := plain.Group(toks, i); ok {
				cur.comment = append(cur.comment, arg...)
				cur.comment = append(cur.comment, latex.Token{Text: " ", Kind: latex.Space})
				i = next
			}
			cur.inComment = true
			continue
		case "leftcomment":
			p := start(doc.StepComment, depth, "")
			if arg, next, ok := plain.Group(toks, i); ok {
				p.add(arg...)
				i = next
			}
			continue
		case "end":
			flush()
			depth = max(depth-1, 0)
			b.end(c.kw, depth)
			cur = &pending{kind: "end", depth: depth}
			continue
		}
		if c.close {
			depth = max(depth-1, 0)
		}
		p := start(c.kind, depth, c.kw)
		if c.text != "" {
			p.addText(c.text)
		}
		if c.args > 0 {
			if opt, next, ok := plain.Optional(toks, i); ok { // \IF[comment]{cond}
				p.comment = append(p.comment, opt...)
				i = next
			}
		}
		switch c.args {
		case 1:
			if arg, next, ok := plain.Group(toks, i); ok {
				p.add(arg...)
				i = next
			}
		case 2: // \Function{name}{args}
			name, next, ok := plain.Group(toks, i)
			if ok {
				i = next
				args, next2, ok2 := plain.Group(toks, i)
				if ok2 {
					i = next2
				}
				p.add(name...)
				p.addText("(")
				p.add(args...)
				p.addText(")")
			}
		}
		if c.open {
			p.closeText = true // text after the condition belongs to the block's first statement
			depth++
		}
		if c.kind == doc.StepUntil || c.kind == doc.StepRequire || c.kind == doc.StepEnsure {
			p.closeText = false
		}
	}
	flush()
}

// pending is the step being read.
type pending struct {
	kind      string
	depth     int
	kw        string
	text      []latex.Token
	comment   []latex.Token
	label     string
	inComment bool
	// closeText: the step's text is complete (a condition); stray text
	// that follows starts a statement in the block.
	closeText bool
	extra     []latex.Token
}

func (p *pending) add(toks ...latex.Token) {
	switch {
	case p.inComment:
		p.comment = append(p.comment, toks...)
	case p.closeText || p.kind == "end":
		p.extra = append(p.extra, toks...)
	default:
		p.text = append(p.text, toks...)
	}
}

func (p *pending) addText(s string) {
	p.add(latex.Token{Text: s, Kind: latex.Other})
}

func (p *pending) emit(b *builder) {
	if p.kind != "end" {
		b.step(p.kind, p.depth, subst(p.text, nil), subst(p.comment, nil), p.label, p.kw)
	} else if p.label != "" || len(p.comment) > 0 {
		b.comment(p.depth, subst(p.comment, nil))
	}
	if len(p.extra) > 0 {
		// text after a condition or a block end: a statement of its own
		d := p.depth
		if p.kind != "end" && p.kind != doc.StepUntil {
			d++
		}
		b.step(doc.StepStatement, d, subst(p.extra, nil), "", "", "")
	}
}

// ioMarker finds Input:/Output: keywords inside a line of free text.
var ioMarker = regexp.MustCompile(`(?i)\b(inputs?|outputs?|require|ensure|given|returns?)\s*:`)

// preamble reads the text around the algorithmic environments: lines
// that start with Input:/Output: (several may share a line) become require
// and ensure steps; other text is left out.
func preamble(b *builder, toks []latex.Token) {
	var lines [][]latex.Token
	start := 0
	for i, t := range toks {
		if t.Kind == latex.Par || t.Is(`\\`) || t.Is(`\newline`) || t.Is(`\par`) {
			lines = append(lines, toks[start:i])
			start = i + 1
		}
	}
	lines = append(lines, toks[min(start, len(toks)):])
	for _, l := range lines {
		var keep []latex.Token
		for i := 0; i < len(l); i++ {
			switch {
			case l[i].Is(`\caption`):
				i = plain.SkipArgs(l, i+1, "om") - 1
			case l[i].Is(`\label`):
				i = plain.SkipArgs(l, i+1, "m") - 1
			default:
				keep = append(keep, l[i])
			}
		}
		text := plain.Text(plain.Join(keep))
		locs := ioMarker.FindAllStringIndex(text, -1)
		if len(locs) == 0 || locs[0][0] != 0 {
			continue
		}
		for k, loc := range locs {
			end := len(text)
			if k+1 < len(locs) {
				end = locs[k+1][0]
			}
			seg := strings.TrimSpace(text[loc[0]:end])
			seg = strings.TrimRight(seg, ";,")
			kind, rest := classify("", seg)
			if kind == doc.StepRequire || kind == doc.StepEnsure {
				b.step(kind, 0, escapeText(rest), "", "", "")
			}
		}
	}
}

// escapeText makes rendered text safe to render again: math stays as it
// is, but characters plain.Text would read as markup are escaped.
func escapeText(s string) string {
	var b strings.Builder
	inMath := false
	for _, r := range s {
		switch {
		case r == '$':
			inMath = !inMath
		case inMath:
		case r == '%' || r == '&' || r == '#' || r == '_':
			b.WriteByte('\\')
		case r == '~':
			b.WriteString(`\textasciitilde{}`)
			continue
		}
		b.WriteRune(r)
	}
	return b.String()
}
