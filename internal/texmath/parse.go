package texmath

import (
	"fmt"
	"strings"
)

// Error is a place the parser could not read, with its byte offset.
type Error struct {
	Offset int
	Msg    string
	// Count is the number of problems in the equation (this is the first).
	Count int
}

func (e *Error) Error() string {
	if e.Count > 1 {
		return fmt.Sprintf("offset %d: %s (and %d more)", e.Offset, e.Msg, e.Count-1)
	}
	return fmt.Sprintf("offset %d: %s", e.Offset, e.Msg)
}

// maxDepth bounds the nesting of groups, so that hostile input cannot
// exhaust the stack.
const maxDepth = 150

// Parse reads one equation. The tree is never nil: what could not be read is
// an Unknown node in it. The error, a *Error, is the first such place.
func Parse(src string) (n *Node, err error) {
	p := &parser{src: src, toks: tokenize(src)}
	defer func() {
		if r := recover(); r != nil {
			n = &Node{Kind: Unknown, Pos: 0, End: len(src), Text: src}
			err = &Error{Offset: 0, Msg: fmt.Sprintf("internal error: %v", r), Count: 1}
		}
	}()
	n = p.parseTop()
	if len(p.errs) > 0 {
		e := *p.errs[0]
		e.Count = len(p.errs)
		return n, &e
	}
	return n, nil
}

type parser struct {
	src  string
	toks []token
	i    int
	last int // end offset of the last consumed token
	errs []*Error

	abs   int  // open |...| at this bracket level
	norm  int  // open \|...\| at this bracket level
	cell  bool // inside a matrix cell: & and \\ end it
	depth int
	flat  bool // reading a one-token argument: no bodies, no arguments
}

func (p *parser) fail(pos int, format string, args ...any) {
	p.errs = append(p.errs, &Error{Offset: pos, Msg: fmt.Sprintf(format, args...)})
}

// --- tokens ---------------------------------------------------------------

// peek returns the next meaningful token, skipping spacing, styles, labels
// and (outside matrix cells) alignment marks.
func (p *parser) peek() token {
	for {
		t := p.toks[p.i]
		if t.kind == tEOF {
			return t
		}
		if !p.skipOne(t) {
			return t
		}
	}
}

// skipOne consumes t if it is noise and reports whether it did.
func (p *parser) skipOne(t token) bool {
	switch {
	case t.kind == tChar && t.text == "&" && !p.cell:
		p.i++
		return true
	case t.kind == tChar && t.text == "~":
		p.i++
		return true
	case t.kind != tCmd || !t.noise:
		return false
	case ignored[t.text] || sizes[t.text]:
		p.i++
		return true
	case t.text == `\hline` || t.text == `\hdashline`:
		p.i++
		return true
	case t.text == `\cline` || t.text == `\noalign`:
		p.i++
		p.skipGroup()
		return true
	case skipArgs[t.text] > 0 || t.text == `\tag` && p.at(1).text == "*":
		p.i++
		if p.toks[p.i].text == "*" {
			p.i++
		}
		p.skipOptional()
		for k := 0; k < skipArgs[t.text] || k == 0 && t.text == `\tag`; k++ {
			p.skipGroup()
		}
		return true
	case t.text == `\hskip` || t.text == `\kern` || t.text == `\mkern` || t.text == `\mskip` ||
		t.text == `\hspace` || t.text == `\vskip` || t.text == `\mspace`:
		p.i++
		p.skipDimen()
		return true
	case t.text == `\edef` || t.text == `\def` || t.text == `\gdef` || t.text == `\xdef`:
		// a definition left in the math (\edef\@currentlabel{...}): drop it
		p.i++
		for p.toks[p.i].kind != tEOF && p.toks[p.i].text != "{" {
			p.i++
		}
		p.skipGroup()
		return true
	case t.text == `\ltx` || t.text == `\@`:
		// \ltx@label{...} and other internals
		p.i++
		for p.toks[p.i].kind == tChar && (p.toks[p.i].text == "@" || isLetterTok(p.toks[p.i])) {
			p.i++
		}
		if p.toks[p.i].text == "{" {
			p.skipGroup()
		}
		return true
	case t.text == `\theequation` || t.text == `\theHequation` || t.text == `\currentlabel`:
		p.i++
		return true
	}
	return false
}

// isNoise reports whether a command may be skipped by skipOne; tokenize
// records it once per token.
func isNoise(name string) bool {
	if ignored[name] || sizes[name] || skipArgs[name] > 0 {
		return true
	}
	switch name {
	case `\hline`, `\hdashline`, `\cline`, `\noalign`, `\tag`, `\hskip`, `\kern`, `\mkern`, `\mskip`,
		`\hspace`, `\vskip`, `\mspace`, `\edef`, `\def`, `\gdef`, `\xdef`, `\ltx`, `\@`, `\theequation`,
		`\theHequation`, `\currentlabel`:
		return true
	}
	return false
}

func (p *parser) skipGroup() {
	if p.toks[p.i].text != "{" {
		if p.toks[p.i].kind != tEOF {
			p.i++
		}
		return
	}
	depth := 0
	for p.toks[p.i].kind != tEOF {
		switch p.toks[p.i].text {
		case "{":
			depth++
		case "}":
			depth--
		}
		p.i++
		if depth == 0 {
			return
		}
	}
}

func (p *parser) skipOptional() {
	if p.toks[p.i].text != "[" {
		return
	}
	for p.toks[p.i].kind != tEOF {
		t := p.toks[p.i].text
		p.i++
		if t == "]" {
			return
		}
	}
}

// skipDimen skips a TeX dimension or glue: -0.5cm, {1em}, 2pt plus 1fil.
func (p *parser) skipDimen() {
	if p.toks[p.i].text == "{" {
		p.skipGroup()
		return
	}
	if p.toks[p.i].text == "*" {
		p.i++
	}
	for k := 0; k < 3; k++ { // the length, then plus/minus parts
		for p.toks[p.i].text == "-" || p.toks[p.i].text == "+" {
			p.i++
		}
		n := 0
		for isDigit(p.toks[p.i].text) || p.toks[p.i].text == "." {
			p.i++
			n++
		}
		if p.toks[p.i].kind == tCmd && n == 0 { // \hskip\fill
			p.i++
			return
		}
		unit := ""
		for isLetterTok(p.toks[p.i]) && len(unit) < 4 {
			unit += p.toks[p.i].text
			p.i++
			if isUnit(unit) {
				break
			}
		}
		if !p.wordAhead("plus") && !p.wordAhead("minus") {
			return
		}
		p.i += 4
		if p.at(-1).text == "s" { // minus
			p.i++
		}
	}
}

func isUnit(u string) bool {
	switch u {
	case "pt", "em", "ex", "cm", "mm", "in", "mu", "bp", "sp", "pc", "dd", "cc", "fil", "fill", "filll":
		return true
	}
	return false
}

func (p *parser) wordAhead(w string) bool {
	for k := 0; k < len(w); k++ {
		t := p.toks[min(p.i+k, len(p.toks)-1)]
		if t.kind != tChar || t.text != w[k:k+1] {
			return false
		}
	}
	return true
}

// tok returns the raw token at index i, clamped to the source.
func (p *parser) tok(i int) token {
	if i < 0 {
		return token{kind: tEOF}
	}
	if i >= len(p.toks) {
		return p.toks[len(p.toks)-1]
	}
	return p.toks[i]
}

// at returns the raw token k places from the current one (k may be
// negative), clamped to the source: before the start is the first token,
// after the end is the end.
func (p *parser) at(k int) token {
	i := p.i + k
	if i < 0 {
		return token{kind: tEOF, pos: 0}
	}
	if i >= len(p.toks) {
		return p.toks[len(p.toks)-1]
	}
	return p.toks[i]
}

func (p *parser) next() token {
	t := p.peek()
	if t.kind != tEOF {
		p.i++
		p.last = t.end
	}
	return t
}

// peekAt returns the n-th meaningful token after the next one (0 is the
// next one), without consuming anything.
func (p *parser) peekAt(n int) token {
	save, last := p.i, p.last
	var t token
	for k := 0; k <= n; k++ {
		t = p.peek()
		if t.kind == tEOF {
			break
		}
		if k < n {
			p.i++
		}
	}
	p.i, p.last = save, last
	return t
}

// --- regions --------------------------------------------------------------

type stopFn func(t token) bool

func stopTop(token) bool { return false }

func stopCloser(t token) bool {
	switch t.text {
	case ")", "]", "}", `\right`, `\end`:
		return t.kind != tEOF
	}
	return false
}

func stopBrace(t token) bool {
	switch t.text {
	case "}", `\right`, `\end`:
		return true
	}
	return false
}

func (p *parser) parseTop() *Node {
	n := p.parseRegion(stopTop)
	if n.Kind == Empty {
		n.Pos, n.End = 0, len(p.src)
	}
	return n
}

// parseRegion reads statements and their separators until stop (or the end);
// the stopping token is not consumed. One statement is returned as itself,
// several as a Seq.
func (p *parser) parseRegion(stop stopFn) *Node {
	start := p.peek().pos
	var items []*Node
	var seps []string
	expect := true
	for {
		t := p.peek()
		if t.kind == tEOF || stop(t) {
			break
		}
		if sep, ok := p.separator(); ok {
			if expect {
				items = append(items, &Node{Kind: Empty, Pos: t.pos, End: t.pos})
			}
			seps = append(seps, sep)
			expect = true
			continue
		}
		before := p.i
		var st *Node
		if p.depth > maxDepth {
			p.next()
			st = p.unknown(t, "nesting too deep")
		} else {
			p.depth++
			st = p.parseStatement()
			p.depth--
		}
		if p.i == before {
			// nothing could start here: a stray token
			p.next()
			st = p.unknown(t, "unexpected "+t.text)
		}
		if !expect {
			// two statements side by side after a stray token
			seps = append(seps, "")
		}
		items = append(items, st)
		expect = false
	}
	switch len(items) {
	case 0:
		return &Node{Kind: Empty, Pos: start, End: start}
	case 1:
		if len(seps) == 0 {
			return items[0]
		}
	}
	return &Node{Kind: Seq, Pos: items[0].Pos, End: p.last, Args: items, Seps: seps}
}

func (p *parser) unknown(t token, msg string) *Node {
	p.fail(t.pos, "%s", msg)
	return &Node{Kind: Unknown, Pos: t.pos, End: max(p.last, t.end), Text: p.src[t.pos:max(p.last, t.end)]}
}

// separator consumes a statement separator: a comma, \quad, a line break,
// \implies, "where".
func (p *parser) separator() (string, bool) {
	t := p.peek()
	switch {
	case t.kind == tChar && (t.text == "," || t.text == ";"):
		p.next()
		return t.text, true
	case t.kind == tChar && t.text == "." && !isDigit(p.at(1).text):
		if p.at(1).text == "." && p.at(2).text == "." {
			return "", false // an ellipsis
		}
		p.next()
		return ".", true
	case t.text == `\quad` || t.text == `\qquad` || t.text == `\newline`:
		p.next()
		return strings.TrimPrefix(t.text, `\`), true
	case t.text == `\\` || t.text == `\cr` || t.text == `\tabularnewline`:
		p.next()
		p.skipRowTail()
		return `\\`, true
	case logical[t.text] != "":
		p.next()
		return logical[t.text], true
	case t.text == `\intertext` || t.text == `\shortintertext`:
		p.next()
		p.skipGroup()
		return "text", true
	}
	if w, n := p.sepWord(); n > 0 {
		if p.peek().text != "{" {
			p.next() // the command
		}
		p.skipGroup()
		p.last = p.at(-1).end
		return w, true
	}
	return "", false
}

// skipRowTail skips what may follow \\: a star and a [2pt].
func (p *parser) skipRowTail() {
	if p.toks[p.i].text == "*" {
		p.i++
	}
	if p.toks[p.i].text == "[" {
		p.skipOptional()
	}
}

// sepWord recognises \text{where}, \mathrm{and}, {\rm and},
// \operatorname*{subject\;to}: the word and how many meaningful tokens it
// spans.
func (p *parser) sepWord() (string, int) {
	t := p.peek()
	switch t.text {
	case `\text`, `\mbox`, `\textrm`, `\mathrm`, `\textnormal`, `\textit`, `\operatorname`,
		`\operatorname*`, `\textbf`, `\hbox`, `\textup`:
		if w, n := p.groupWords(p.i + 1); n > 0 && separatorWords[w] {
			return w, 1 // the command; the group is skipped below
		}
	case "{":
		if p.at(1).text == `\rm` || p.at(1).text == `\text` {
			if w, n := p.groupWords(p.i); n > 0 && separatorWords[strings.TrimPrefix(w, "rm ")] {
				return w, 1
			}
		}
	}
	return "", 0
}

// groupWords reads the group at toks[at] as plain words; n is 0 when it is
// not plain.
func (p *parser) groupWords(at int) (string, int) {
	if at >= len(p.toks) || p.toks[at].text != "{" {
		return "", 0
	}
	var b strings.Builder
	depth := 0
	for k := at; k < len(p.toks); k++ {
		t := p.toks[k]
		switch {
		case t.kind == tEOF:
			return "", 0
		case t.text == "{":
			depth++
			if depth > 1 {
				return "", 0
			}
			continue
		case t.text == "}":
			depth--
			if depth == 0 {
				w := strings.ToLower(strings.Join(strings.Fields(b.String()), " "))
				w = strings.TrimRight(w, ",:")
				if w == "" {
					return "", 0
				}
				return w, k - at + 1
			}
		case t.text == `\rm`:
		case t.text == `\,` || t.text == `\;` || t.text == `\ ` || t.text == `\:` || t.text == "~":
			b.WriteByte(' ')
		case t.kind == tChar:
			if k > 0 && t.pos > p.toks[k-1].end {
				b.WriteByte(' ')
			}
			b.WriteString(t.text)
		default:
			return "", 0
		}
	}
	return "", 0
}

// --- statements, chains, expressions ---------------------------------------

func (p *parser) parseStatement() *Node {
	return p.parseChain()
}

// relation reads a relation and reports its canonical name. It consumes
// nothing unless ok.
func (p *parser) relation() (string, bool) {
	save, last := p.i, p.last
	t := p.peek()
	name := ""
	switch {
	case t.kind == tChar && t.text == "=":
		p.next()
		name = "="
		if nt := p.toks[p.i]; nt.text == ":" && nt.pos == t.end {
			p.next()
			name = "=:"
		}
	case t.kind == tChar && t.text == ":":
		p.next()
		name = "colon"
		if nt := p.toks[p.i]; nt.text == "=" {
			p.next()
			name = ":="
		}
	case t.kind == tChar && (t.text == "<" || t.text == ">"):
		p.next()
		name = t.text
		if nt := p.toks[p.i]; nt.text == "=" && nt.pos == t.end {
			p.next()
			name += "="
		}
	case t.text == `\vcentcolon` || t.text == `\colon` && p.at(1).text == "=":
		p.next()
		name = "colon"
		if p.peek().text == "=" {
			p.next()
			name = ":="
		}
	case relations[t.text] != "":
		p.next()
		name = relations[t.text]
	case t.text == `\not`:
		p.next()
		if r, ok := p.relation(); ok {
			name = "!" + r
		}
	case (t.text == `\stackrel` || t.text == `\overset`) && p.overRelation():
		p.next()
		over := p.parseArg()
		if r, ok := p.groupRelation(); ok {
			name = r
			if name == "=" && isDefWord(over) {
				name = ":="
			}
		}
	case t.text == `\mathrel` || t.text == `\mathop` || t.text == `\mathbin` && p.groupIsRelation(p.i+1):
		if p.at(1).text != "{" {
			p.next()
			name, _ = p.relation()
			break
		}
		p.next()
		name, _ = p.groupRelation()
	case t.text == `\middle`:
		p.next()
		d := p.next()
		if d.text == `\|` || d.text == `\Vert` {
			name = "parallel"
		} else {
			name = "given"
		}
	case (t.text == "|" || t.text == `\vert`) && p.abs == 0:
		if p.barCount("|", `\vert`)%2 == 1 {
			p.next()
			name = "given"
		}
	case (t.text == `\|` || t.text == `\Vert`) && p.norm == 0:
		if p.barCount(`\|`, `\Vert`)%2 == 1 {
			p.next()
			name = "parallel"
		}
	}
	if name == "" {
		p.i, p.last = save, last
		return "", false
	}
	// decorations: \sim^{iid}, \mathop{\sim}\limits^{...}
	for {
		nt := p.peek()
		if nt.text != "^" && nt.text != "_" {
			break
		}
		p.next()
		p.parseArg()
	}
	return name, true
}

func isDefWord(n *Node) bool {
	s := strings.ToLower(Format(n))
	for _, w := range []string{"def", "defn", "triangle", "delta"} {
		if strings.Contains(s, w) {
			return true
		}
	}
	return false
}

// groupRelation reads {rel} or a one-token relation.
func (p *parser) groupRelation() (string, bool) {
	if p.peek().text != "{" {
		return p.relation()
	}
	save, last := p.i, p.last
	p.next()
	r, ok := p.relation()
	if ok && p.peek().text == "}" {
		p.next()
		return r, true
	}
	p.i, p.last = save, last
	return "", false
}

func (p *parser) groupIsRelation(at int) bool {
	if p.tok(at).text != "{" {
		return false
	}
	t := p.tok(at + 1)
	return relations[t.text] != "" || t.text == "=" || t.text == "<" || t.text == ">"
}

// barCount counts the bars (of either spelling) ahead at this nesting level
// until the end of the argument, the group or the row.
func (p *parser) barCount(bar, alt string) int {
	n, depth := 0, 0
	for k := p.i; k < len(p.toks); k++ {
		t := p.toks[k]
		switch t.text {
		case "{", "(", "[", `\left`:
			depth++
		case "}", ")", "]", `\right`:
			if depth == 0 {
				return n
			}
			depth--
		case "&", `\\`, ",", ";", `\quad`, `\qquad`:
			if depth == 0 {
				return n
			}
		case bar, alt:
			if depth == 0 {
				n++
			}
		}
		if t.kind == tEOF {
			return n
		}
	}
	return n
}

// lineContinues reports whether the next token is a line break followed by
// something that continues the current line (a relation or an operator),
// and consumes the break if so.
func (p *parser) lineContinues(ops map[string]string) bool {
	if p.cell || p.peek().text != `\\` {
		return false
	}
	save, last := p.i, p.last
	p.next()
	p.skipRowTail()
	for p.peek().text == `\quad` || p.peek().text == `\qquad` {
		p.next()
	}
	nt := p.peek()
	if ops[nt.text] != "" || nt.text == "=" && ops["="] != "" {
		return true
	}
	if ops["="] != "" && (nt.text == `\stackrel` || nt.text == `\overset` || nt.text == `\not`) {
		return true
	}
	p.i, p.last = save, last
	return false
}

var relLike = func() map[string]string {
	m := map[string]string{"=": "=", "<": "<", ">": ">", ":": ":"}
	for k, v := range relations {
		if v != "" {
			m[k] = v
		}
	}
	return m
}()

func (p *parser) parseChain() *Node {
	start := p.peek().pos
	var first *Node
	if t := p.peek(); t.text == "|" || t.text == `\|` || t.text == `\vert` || t.text == `\Vert` {
		// a bar that starts a statement opens |x| (nothing is given yet)
		first = p.parseExpr()
	} else if _, ok := p.peekRelation(); ok {
		first = &Node{Kind: Empty, Pos: start, End: start}
	} else {
		first = p.parseExpr()
	}
	args := []*Node{first}
	var rels []string
	for {
		p.lineContinues(relLike)
		r, ok := p.relation()
		if !ok {
			break
		}
		rels = append(rels, r)
		args = append(args, p.parseExpr())
	}
	if len(rels) == 0 {
		return first
	}
	return &Node{Kind: Rel, Pos: start, End: p.last, Args: args, Rels: rels}
}

func (p *parser) peekRelation() (string, bool) {
	save, last := p.i, p.last
	r, ok := p.relation()
	p.i, p.last = save, last
	return r, ok
}

// addOp reads an additive operator.
func (p *parser) addOp() (string, bool) {
	t := p.peek()
	if op := addOps[t.text]; op != "" {
		p.next()
		return op, true
	}
	if (t.text == `\mathop` || t.text == `\mathbin`) && p.at(1).text == "{" &&
		addOps[p.at(2).text] != "" && p.at(3).text == "}" {
		p.next()
		p.next()
		op := p.next()
		p.next()
		return addOps[op.text], true
	}
	return "", false
}

func (p *parser) parseExpr() *Node {
	start := p.peek().pos
	left := p.parseTerm()
	for {
		p.lineContinues(addOps)
		op, ok := p.addOp()
		if !ok {
			break
		}
		right := p.parseTerm()
		left = &Node{Kind: Binary, Op: op, Pos: start, End: p.last, Args: []*Node{left, right}}
	}
	return left
}

// mulOp reads an explicit multiplicative operator.
func (p *parser) mulOp() (string, bool) {
	t := p.peek()
	if op := mulOps[t.text]; op != "" {
		if t.text == `\star` || t.text == `\ast` || t.text == "*" {
			// x^* is handled by the script; here a star between operands,
			// maybe with a subscript (\ast_{\mathcal{G}})
			nt := p.peekAt(1)
			if nt.text == "_" {
				p.next()
				p.next()
				p.parseArg()
				return op, true
			}
			if !p.startsFactorAt(nt) {
				return "", false
			}
		}
		p.next()
		return op, true
	}
	if t.text == `\over` {
		p.next()
		return "/", true
	}
	if t.text == `\mathbin` && p.at(1).text == "{" {
		save, last := p.i, p.last
		p.next()
		p.next()
		inner := p.peek()
		if op := mulOps[inner.text]; op != "" {
			p.next()
			if p.peek().text == "}" {
				p.next()
				return op, true
			}
		}
		if inner.text == `\underset` || inner.text == `\overset` || inner.text == `\stackrel` {
			p.next()
			p.parseArg()
			op := ""
			if p.peek().text == "{" {
				p.next()
				op = mulOps[p.peek().text]
				if op != "" {
					p.next()
				}
				if p.peek().text != "}" {
					op = ""
				} else {
					p.next()
				}
			} else if op = mulOps[p.peek().text]; op != "" {
				p.next()
			}
			if op != "" && p.peek().text == "}" {
				p.next()
				return op, true
			}
		}
		p.i, p.last = save, last
	}
	return "", false
}

func (p *parser) parseTerm() *Node {
	start := p.peek().pos
	left := p.parseImplicit()
	for {
		p.lineContinues(mulOps)
		op, ok := p.mulOp()
		if !ok {
			break
		}
		right := p.parseImplicit()
		left = &Node{Kind: Binary, Op: op, Pos: start, End: p.last, Args: []*Node{left, right}}
	}
	return left
}

func (p *parser) parseImplicit() *Node {
	start := p.peek().pos
	left := p.parseUnary()
	for p.startsFactor() {
		before := p.i
		right := p.parseUnary()
		if p.i == before {
			break
		}
		if right.Kind == Empty {
			continue // {} between factors
		}
		if left.Kind == Empty {
			left = right
			continue
		}
		left = &Node{Kind: Juxt, Pos: start, End: p.last, Args: []*Node{left, right}}
	}
	return left
}

var unaryOps = map[string]string{
	"-": "-", "+": "+", `\pm`: "pm", `\mp`: "mp", `\neg`: "neg", `\lnot`: "neg",
	`\forall`: "forall", `\exists`: "exists", `\nexists`: "nexists", `\nabla`: "nabla",
	`\partial`: "partial", `\triangledown`: "nabla",
}

func (p *parser) parseUnary() *Node {
	t := p.peek()
	if (t.text == "-" || t.text == "+") && p.at(1).text == "}" && p.i > 0 && p.at(-1).text == "{" {
		// {-} alone: the mark itself (\mathord{-}, a placeholder)
		p.next()
		return &Node{Kind: Sym, Name: t.text, Pos: t.pos, End: t.end}
	}
	op := unaryOps[t.text]
	if op == "" {
		if (t.text == `\mathop` || t.text == `\mathbin`) && p.at(1).text == "{" &&
			(p.at(2).text == "-" || p.at(2).text == "+") && p.at(3).text == "}" {
			p.next()
			p.next()
			op = p.next().text
			p.next()
			arg := p.parseUnary()
			return &Node{Kind: Unary, Op: op, Pos: t.pos, End: p.last, Args: []*Node{arg}}
		}
		return p.parsePostfix()
	}
	p.next()
	n := &Node{Kind: Unary, Op: op, Pos: t.pos}
	if op == "nabla" || op == "partial" {
		p.scripts(n)
	}
	var arg *Node
	if p.depth > maxDepth {
		arg = p.unknown(t, "nesting too deep")
	} else {
		p.depth++
		arg = p.parseUnary()
		p.depth--
	}
	n.Args = []*Node{arg}
	n.End = p.last
	return n
}

// scripts reads _ and ^ (in either order, with \limits) into n.Sub and n.Sup.
func (p *parser) scripts(n *Node) {
	for {
		t := p.peek()
		switch t.text {
		case "_":
			p.next()
			a := p.parseArg()
			if n.Sub == nil {
				n.Sub = a
			} else {
				n.Sub = &Node{Kind: List, Pos: n.Sub.Pos, End: a.End, Args: []*Node{n.Sub, a}, Seps: []string{","}}
			}
		case "^":
			p.next()
			a := p.parseArg()
			if n.Sup == nil {
				n.Sup = a
			} else {
				n.Sup = &Node{Kind: List, Pos: n.Sup.Pos, End: a.End, Args: []*Node{n.Sup, a}, Seps: []string{","}}
			}
		default:
			return
		}
	}
}

// startsFactor reports whether the next token can begin an operand that is
// juxtaposed with the previous one (implicit multiplication).
func (p *parser) startsFactor() bool {
	return p.startsFactorAt(p.peek())
}

func (p *parser) startsFactorAt(t token) bool {
	switch t.kind {
	case tEOF:
		return false
	case tChar:
		switch t.text {
		case "{":
			_, n := p.sepWord() // {\rm and}
			return n == 0
		case "(", "[":
			return true
		case "|":
			if p.abs > 0 {
				return false
			}
			return p.barCount("|", `\vert`)%2 == 0
		case ".":
			return isDigit(p.at(1).text) ||
				p.at(1).text == "." && p.at(2).text == "."
		case "'", "!", "^", "_":
			return false
		}
		return isLetterTok(t) || isDigit(t.text) || unicodeGreek[t.text] != ""
	}
	// commands
	switch t.text {
	case `\\`, `\right`, `\end`, `\middle`, `\quad`, `\qquad`, `\over`, `\limits`, `\nolimits`,
		`\}`, `\rbrace`, `\rangle`, `\rceil`, `\rfloor`, `\rvert`, `\rVert`, `\rbrack`, `\not`,
		`\cr`, `\newline`, `\intertext`, `\shortintertext`, `\tabularnewline`:
		return false
	case `\|`, `\Vert`:
		if p.norm > 0 {
			return false
		}
		return p.barCount(`\|`, `\Vert`)%2 == 0
	case `\vert`:
		if p.abs > 0 {
			return false
		}
		return p.barCount("|", `\vert`)%2 == 0
	case `\mathop`, `\mathbin`, `\mathrel`:
		if p.groupIsRelation(p.i+1) || t.text == `\mathrel` {
			return false
		}
		nt := p.at(2)
		if addOps[nt.text] != "" || mulOps[nt.text] != "" || nt.text == `\underset` && t.text == `\mathbin` {
			return false
		}
		return true
	case `\stackrel`, `\overset`:
		return !p.overRelation()
	}
	if relations[t.text] != "" || logical[t.text] != "" || mulOps[t.text] != "" || addOps[t.text] != "" {
		return t.text == `\cdot` && false
	}
	if _, n := p.sepWord(); n > 0 {
		return false
	}
	return true
}

// overRelation reports whether the \stackrel or \overset ahead puts
// something over a relation.
func (p *parser) overRelation() bool {
	k := p.i + 1
	if p.tok(k).text == "{" {
		depth := 0
		for ; k < len(p.toks) && p.tok(k).kind != tEOF; k++ {
			if p.tok(k).text == "{" {
				depth++
			} else if p.tok(k).text == "}" {
				depth--
				if depth == 0 {
					k++
					break
				}
			}
		}
	} else {
		k++
	}
	if p.tok(k).text == "{" {
		return p.groupIsRelation(k)
	}
	t := p.tok(k)
	return relations[t.text] != "" || t.text == "=" || t.text == "<" || t.text == ">"
}

// --- postfix: scripts, primes, application ---------------------------------

func (p *parser) parsePostfix() *Node {
	base := p.parsePrimary()
	return p.postfix(base)
}

func (p *parser) postfix(base *Node) *Node {
	for {
		t := p.peek()
		switch {
		case t.text == "_" || t.text == "^":
			base = p.attachScripts(base)
		case t.kind == tChar && t.text == "'":
			p.next()
			if base.Kind == Sym {
				base.Primes++
				base.End = p.last
			} else {
				base = &Node{Kind: Postfix, Op: "'", Pos: base.Pos, End: p.last, Args: []*Node{base}}
			}
		case t.kind == tChar && t.text == "!" && base.Kind != Empty && p.at(1).text != "=":
			p.next()
			base = &Node{Kind: Postfix, Op: "!", Pos: base.Pos, End: p.last, Args: []*Node{base}}
		case p.applicable(base) && p.atOpenParen():
			base = p.parseApply(base)
			if base.Kind == Juxt {
				// z_i^2 (a + b): the scripts after the bracket are its own
				base.Args[1] = p.postfix(base.Args[1])
				base.End = p.last
				return base
			}
		default:
			return base
		}
	}
}

// applicable reports whether a following parenthesis is read as the
// arguments of base (f(x), \sigma_Q^2(s,t), Tr(\pi)(\tau)).
func (p *parser) applicable(n *Node) bool {
	if p.flat {
		return false
	}
	switch n.Kind {
	case Sym:
		return true
	case Apply:
		return true
	case Pow:
		return n.Args[0].Kind == Sym
	case Accent:
		return true
	}
	return false
}

func (p *parser) atOpenParen() bool {
	t := p.peek()
	if t.text == "(" && t.kind == tChar {
		return true
	}
	return t.text == `\left` && p.at(1).text == "("
}

// parseApply reads the argument list after f: f(x, y; \theta).
func (p *parser) parseApply(head *Node) *Node {
	pow := (*Node)(nil)
	if head.Kind == Pow {
		// \sigma^2_Q(s,t) is (\sigma_Q(s,t))^2
		pow = head
		head = head.Args[0]
	}
	br := p.parseOpen()
	content := br.Args[0]
	if pow != nil {
		exp := pow.Args[1]
		inverse := exp.Kind == Unary && exp.Op == "-" && exp.Args[0].Kind == Num && exp.Args[0].Text == "1"
		callLike := content.Kind == Seq && allArgSeps(content.Seps) || content.Kind == Sym || content.Kind == Num ||
			content.Kind == Rel && content.Rels[0] == "given"
		switch {
		case inverse:
			// f^{-1}(x): the inverse function applied
			n := &Node{Kind: Apply, Pos: pow.Pos, End: p.last, Open: br.Open, Close: br.Close, Args: []*Node{pow}}
			if content.Kind == Seq && allArgSeps(content.Seps) {
				n.Args = append(n.Args, content.Args...)
				n.Seps = content.Seps
			} else if content.Kind != Empty {
				n.Args = append(n.Args, content)
			}
			return n
		case !callLike:
			// z_i^2 (a + b): a product
			return &Node{Kind: Juxt, Pos: pow.Pos, End: p.last, Args: []*Node{pow, br}}
		}
	}
	if head.Kind == Apply {
		// f(x)(y) is a call of a call only with call-like arguments;
		// D(x)(1 - D(x)) is a product
		callLike := content.Kind == Seq && allArgSeps(content.Seps) || content.Kind == Sym || content.Kind == Num
		if !callLike {
			return &Node{Kind: Juxt, Pos: head.Pos, End: p.last, Args: []*Node{head, br}}
		}
	}
	n := &Node{Kind: Apply, Pos: head.Pos, End: p.last, Open: br.Open, Close: br.Close}
	n.Args = []*Node{head}
	if content.Kind == Seq && allArgSeps(content.Seps) {
		n.Args = append(n.Args, content.Args...)
		n.Seps = content.Seps
	} else if content.Kind != Empty {
		n.Args = append(n.Args, content)
	}
	if pow != nil {
		return &Node{Kind: Pow, Pos: pow.Pos, End: p.last, Args: []*Node{n, pow.Args[1]}}
	}
	return n
}

func allArgSeps(seps []string) bool {
	for _, s := range seps {
		if s != "," && s != ";" {
			return false
		}
	}
	return true
}

// attachScripts reads the scripts after base and builds the node: a symbol
// keeps its subscript and name-like superscripts; a power, a transpose or an
// index wraps what it applies to.
func (p *parser) attachScripts(base *Node) *Node {
	var sub, sup *Node
	var subs []*Node
	supFirst := false
	for {
		t := p.peek()
		if t.text == "_" {
			p.next()
			subs = append(subs, p.parseArg())
			continue
		}
		if t.text == "^" {
			if sup != nil {
				break // x^a^b: the second one applies to the power
			}
			supFirst = len(subs) == 0
			p.next()
			sup = p.parseArg()
			continue
		}
		break
	}
	if supFirst && len(subs) > 0 && base.Kind == Sym && base.Sub == nil {
		// K^{-1}_{mn} is an element of the inverse, A^\top_{ij} of the
		// transpose: the subscript applies to the result
		if k, _ := supKind(sup); k == "transpose" || isMinusOneNode(sup) {
			inner := p.attachScriptsTo(base, nil, sup)
			var idx *Node
			for _, s := range subs {
				if idx == nil {
					idx = s
				} else {
					idx = &Node{Kind: List, Pos: idx.Pos, End: s.End, Args: []*Node{idx, s}, Seps: []string{","}}
				}
			}
			return &Node{Kind: Index, Pos: base.Pos, End: p.last, Args: []*Node{inner, idx}}
		}
	}
	for _, s := range subs {
		if sub == nil {
			sub = s
		} else {
			sub = &Node{Kind: List, Pos: sub.Pos, End: s.End, Args: []*Node{sub, s}, Seps: []string{","}}
		}
	}
	n := base
	if sub != nil {
		if n.Kind == Sym && n.Sub == nil {
			n.Sub = sub
			n.End = p.last
		} else if n.Kind == Func || n.Kind == BigOp {
			if n.Sub == nil {
				n.Sub = sub
			}
		} else {
			n = &Node{Kind: Index, Pos: base.Pos, End: p.last, Args: []*Node{n, sub}}
		}
	}
	if sup == nil {
		return n
	}
	kind, op := supKind(sup)
	if kind == "power" && n.Kind == Sym && labelSup(n, sup) {
		kind = "mark"
	}
	switch kind {
	case "transpose":
		return &Node{Kind: Transpose, Op: op, Pos: base.Pos, End: p.last, Args: []*Node{n}}
	case "prime":
		k := primeCount(sup)
		if n.Kind == Sym {
			n.Primes += k
			n.End = p.last
			return n
		}
		for ; k > 0; k-- {
			n = &Node{Kind: Postfix, Op: "'", Pos: base.Pos, End: p.last, Args: []*Node{n}}
		}
		return n
	case "mark":
		if n.Kind == Sym && n.Sup == nil {
			n.Sup = sup
			n.End = p.last
			return n
		}
	}
	if n.Kind == Func && len(n.Args) == 0 && n.Sup == nil {
		n.Sup = sup
		return n
	}
	return &Node{Kind: Pow, Pos: base.Pos, End: p.last, Args: []*Node{n, sup}}
}

// supKind classifies a superscript: a transpose (^\top, ^T, ^\intercal,
// ^\mathsf{T}), a prime, a name-like mark (* \star + - \dagger (i) text) or
// an exponent.
func supKind(s *Node) (kind, op string) {
	switch s.Kind {
	case Sym:
		if s.Sub != nil || s.Sup != nil || len(s.Accents) > 0 {
			return "power", ""
		}
		switch s.Name {
		case "top", "intercal":
			return "transpose", s.Name
		case "T":
			return "transpose", "T"
		case "prime":
			return "prime", ""
		case "*", "star", "ast", "dagger", "ddagger", "+", "-", "circ", "bot", "natural", "sharp", "flat", "#":
			return "mark", ""
		}
		if s.Font == "text" || s.Font == "mathrm" && len(s.Name) > 1 || s.Font == "textsc" {
			return "mark", ""
		}
	case Text:
		return "mark", ""
	case Bracket:
		if s.Open == "(" && s.Close == ")" {
			return "mark", ""
		}
	case Unary:
		if s.Args[0].Kind == Empty {
			return "mark", "" // ^{-} or ^{+}
		}
	case Postfix:
		if primeCount(s) > 0 {
			return "prime", ""
		}
	}
	return "power", ""
}

// primeCount counts the primes of a superscript made of primes only:
// ^\prime is 1, ^{”} is 2; 0 otherwise.
func primeCount(s *Node) int {
	switch {
	case s.Kind == Sym && (s.Name == "prime" || s.Name == "'") && s.Sub == nil && s.Sup == nil:
		return 1 + s.Primes
	case s.Kind == Postfix && s.Op == "'":
		if s.Args[0].Kind == Empty {
			return 1
		}
		if k := primeCount(s.Args[0]); k > 0 {
			return k + 1
		}
	}
	return 0
}

// --- primaries ------------------------------------------------------------

// parsePrimary reads one operand. At a token that cannot start one (a
// closer, a separator, a relation) it returns an Empty node and consumes
// nothing.
func (p *parser) parsePrimary() *Node {
	t := p.peek()
	if p.depth > maxDepth {
		if t.kind != tEOF && !stopCloser(t) {
			p.next()
			return p.unknown(t, "nesting too deep")
		}
		return &Node{Kind: Empty, Pos: t.pos, End: t.pos}
	}
	p.depth++
	var n *Node
	switch t.kind {
	case tEOF:
		n = emptyAt(t.pos)
	case tChar:
		n = p.parseCharPrimary(t)
	default:
		n = p.parseCommand(t)
	}
	p.depth--
	return n
}

func emptyAt(pos int) *Node { return &Node{Kind: Empty, Pos: pos, End: pos} }

func (p *parser) parseCharPrimary(t token) *Node {
	switch {
	case isDigit(t.text) || t.text == "." && isDigit(p.at(1).text):
		return p.parseNumber()
	case t.text == "." && p.at(1).text == "." && p.at(2).text == ".":
		p.next()
		p.next()
		p.next()
		return &Node{Kind: Ellipsis, Name: "dots", Pos: t.pos, End: p.last}
	case isLetterTok(t):
		if n := p.italicWord(t); n != nil {
			return n
		}
		p.next()
		return &Node{Kind: Sym, Name: t.text, Pos: t.pos, End: t.end}
	case unicodeGreek[t.text] != "":
		p.next()
		return &Node{Kind: Sym, Name: unicodeGreek[t.text], Pos: t.pos, End: t.end}
	}
	switch t.text {
	case "(", "[":
		return p.parseOpen()
	case "{":
		return p.parseBraceGroup()
	case "|":
		p.next()
		return p.parseBars(t, "|", Abs)
	case `\|`:
		p.next()
		return p.parseBars(t, `\|`, Norm)
	case "*", "+", "-", "'":
		// a placeholder in an argument: x^*, f(\cdot) -- only reached when an
		// operand is required
		if p.flat || p.at(1).text == "}" && p.at(-1).text == "{" {
			p.next()
			return &Node{Kind: Sym, Name: t.text, Pos: t.pos, End: t.end}
		}
		return emptyAt(t.pos)
	case "`", "\"", "?", "@", "#", "$":
		p.next()
		return p.unknown(t, "unexpected "+t.text)
	}
	return emptyAt(t.pos)
}

func (p *parser) parseNumber() *Node {
	start := p.peek()
	var b strings.Builder
	dot := false
	for {
		t := p.toks[p.i]
		if isDigit(t.text) {
			b.WriteString(t.text)
			p.i++
			p.last = t.end
			if p.flat {
				break
			}
			continue
		}
		if t.text == "." && !dot && isDigit(p.at(1).text) && !p.flat {
			dot = true
			b.WriteString(".")
			p.i++
			continue
		}
		if t.text == "{" && p.at(1).text == "," && p.at(2).text == "}" && isDigit(p.at(3).text) {
			// 1{,}000
			p.i += 3
			continue
		}
		break
	}
	return &Node{Kind: Num, Text: b.String(), Pos: start.pos, End: p.last}
}

// parseOpen reads ( ... ) or [ ... ], accepting the other closer for
// half-open intervals.
func (p *parser) parseOpen() *Node {
	t := p.next()
	if t.text == `\left` {
		d := p.next()
		d.pos = t.pos
		return p.finishLeft(d, d.text)
	}
	save := p.enterGroup()
	content := p.parseRegion(stopCloser)
	p.leaveGroup(save)
	n := &Node{Kind: Bracket, Open: t.text, Pos: t.pos, Args: []*Node{content}}
	c := p.peek()
	if c.text == ")" || c.text == "]" {
		p.next()
		n.Close = c.text
	} else {
		p.fail(t.pos, "unclosed %s", t.text)
		n.Args = append(n.Args[:0], &Node{Kind: Unknown, Pos: t.pos, End: p.last, Text: p.src[t.pos:p.last]})
	}
	n.End = p.last
	return n
}

type groupState struct {
	abs, norm int
	cell      bool
	flat      bool
}

func (p *parser) enterGroup() groupState {
	s := groupState{p.abs, p.norm, p.cell, p.flat}
	p.abs, p.norm, p.cell, p.flat = 0, 0, false, false
	return s
}

func (p *parser) leaveGroup(s groupState) {
	p.abs, p.norm, p.cell, p.flat = s.abs, s.norm, s.cell, s.flat
}

func (p *parser) parseBraceGroup() *Node {
	t := p.next()
	save := p.enterGroup()
	content := p.parseRegion(stopBrace)
	p.leaveGroup(save)
	if p.peek().text == "}" {
		p.next()
	} else {
		p.fail(t.pos, "unclosed {")
		return &Node{Kind: Unknown, Pos: t.pos, End: p.last, Text: p.src[t.pos:p.last]}
	}
	if content.Kind == Seq && allArgSeps(content.Seps) {
		content = &Node{Kind: List, Pos: content.Pos, End: content.End, Args: content.Args, Seps: content.Seps}
	}
	if content.Kind == Empty {
		content.Pos, content.End = t.pos, p.last
	}
	return content
}

// parseBars reads |x| or \|x\| after the opening bar.
func (p *parser) parseBars(t token, bar string, kind Kind) *Node {
	save := p.enterGroup()
	var stop stopFn
	if kind == Abs {
		p.abs = 1
		stop = func(t token) bool { return t.text == "|" || t.text == `\vert` || t.text == `\rvert` || stopCloser(t) }
	} else {
		p.norm = 1
		stop = func(t token) bool { return t.text == `\|` || t.text == `\Vert` || t.text == `\rVert` || stopCloser(t) }
	}
	content := p.parseRegion(stop)
	p.leaveGroup(save)
	n := &Node{Kind: kind, Open: bar, Pos: t.pos, Args: []*Node{content}}
	c := p.peek()
	if stop(c) && !stopCloser(c) {
		p.next()
		n.Close = bar // \vert and \rvert are spellings of |
	} else {
		p.fail(t.pos, "unclosed %s", bar)
		n.Args[0] = &Node{Kind: Unknown, Pos: t.pos, End: p.last, Text: p.src[t.pos:p.last]}
	}
	n.End = p.last
	return n
}

// finishLeft reads what follows \left<open> up to the matching \right<close>.
func (p *parser) finishLeft(open token, openText string) *Node {
	save := p.enterGroup()
	stop := func(t token) bool {
		return t.text == `\right` || t.text == "}" || t.text == `\end` || t.text == `\middle`
	}
	var items []*Node
	var seps []string
	for {
		items = append(items, p.parseRegion(stop))
		if p.peek().text != `\middle` {
			break
		}
		p.next()
		d := p.next()
		seps = append(seps, "middle"+d.text)
	}
	p.leaveGroup(save)
	content := items[0]
	if len(items) > 1 {
		content = &Node{Kind: Seq, Pos: items[0].Pos, End: p.last, Args: items, Seps: seps}
	}
	closeText := ""
	if p.peek().text == `\right` {
		p.next()
		c := p.next()
		closeText = c.text
	} else {
		p.fail(open.pos, "\\left%s without \\right", openText)
		content = &Node{Kind: Unknown, Pos: open.pos, End: p.last, Text: p.src[open.pos:p.last]}
	}
	return delimited(openText, closeText, content, open.pos, p.last)
}

// delimited builds the node for a pair of delimiters around content.
func delimited(open, close string, content *Node, pos, end int) *Node {
	kind := Bracket
	switch open {
	case "|", `\vert`, `\lvert`:
		kind = Abs
	case `\|`, `\Vert`, `\lVert`:
		kind = Norm
	case `\{`, `\lbrace`:
		kind = Set
	case ".":
		switch close {
		case "|", `\vert`, `\rvert`:
			kind = Bracket // \left. f \right|_{x=0}
		}
	}
	switch kind {
	case Abs:
		open, close = "|", "|"
	case Norm:
		open, close = `\|`, `\|`
	}
	if kind == Set {
		n := &Node{Kind: Set, Open: open, Close: close, Pos: pos, End: end}
		if content.Kind == Seq {
			n.Args, n.Seps = content.Args, content.Seps
		} else if content.Kind != Empty {
			n.Args = []*Node{content}
		}
		return n
	}
	return &Node{Kind: kind, Open: open, Close: close, Pos: pos, End: end, Args: []*Node{content}}
}

// parseArg reads one TeX argument: a {group} or a single token (with the
// arguments of that token if it is a command).
func (p *parser) parseArg() *Node {
	t := p.peek()
	if t.text == "{" {
		return p.parseBraceGroup()
	}
	if t.kind == tEOF || stopCloser(t) {
		p.fail(t.pos, "missing argument")
		return &Node{Kind: Unknown, Pos: t.pos, End: t.pos}
	}
	flat := p.flat
	p.flat = true
	defer func() { p.flat = flat }()
	if t.kind == tChar {
		switch t.text {
		case "*", "+", "-", "'", "=", "<", ">", ",", "|", "/", ":":
			p.next()
			return &Node{Kind: Sym, Name: t.text, Pos: t.pos, End: t.end}
		}
	}
	if t.kind == tCmd {
		if r := relations[t.text]; r != "" {
			p.next()
			return &Node{Kind: Sym, Name: strings.TrimPrefix(t.text, `\`), Pos: t.pos, End: t.end}
		}
		if op := mulOps[t.text]; op != "" {
			p.next()
			return &Node{Kind: Sym, Name: strings.TrimPrefix(t.text, `\`), Pos: t.pos, End: t.end}
		}
		if op := addOps[t.text]; op != "" {
			p.next()
			return &Node{Kind: Sym, Name: strings.TrimPrefix(t.text, `\`), Pos: t.pos, End: t.end}
		}
		switch t.text {
		case `\nabla`, `\partial`, `\prime`, `\infty`:
			p.next()
			return &Node{Kind: Sym, Name: strings.TrimPrefix(t.text, `\`), Pos: t.pos, End: t.end}
		}
	}
	n := p.parsePrimary()
	if n.Kind == Empty {
		p.next()
		return p.unknown(t, "bad argument "+t.text)
	}
	return n
}

// rawGroup reads {plain words} and returns them; ok is false (and nothing is
// consumed) when the group holds more than letters, digits and spaces.
func (p *parser) rawGroup(allowPunct bool) (string, bool) {
	if p.peek().text != "{" {
		return "", false
	}
	var b strings.Builder
	depth := 0
	for k := p.i; k < len(p.toks); k++ {
		t := p.toks[k]
		switch {
		case t.kind == tEOF:
			return "", false
		case t.text == "{":
			if depth > 0 {
				return "", false
			}
			depth++
		case t.text == "}":
			p.i = k + 1
			p.last = t.end
			return b.String(), true
		case t.text == `\,` || t.text == `\;` || t.text == `\ ` || t.text == `\:` || t.text == "~" || t.text == `\!`:
			b.WriteByte(' ')
		case t.text == `\vphantom` || t.text == `\phantom` || t.text == `\hphantom`:
			// \mathsf{\vphantom{fg} height}: skip the phantom's group
			if k+1 < len(p.toks) && p.toks[k+1].text == "{" {
				d := 0
				for k++; k < len(p.toks) && p.toks[k].kind != tEOF; k++ {
					if p.toks[k].text == "{" {
						d++
					} else if p.toks[k].text == "}" {
						d--
						if d == 0 {
							break
						}
					}
				}
			}
		case t.text == `\strut` || t.text == `\mathstrut` || t.text == `\scriptscriptstyle` || t.text == `\scriptstyle`:
		case t.kind == tChar && (isLetterTok(t) || isDigit(t.text)):
			if k > p.i+1 && t.pos > p.toks[k-1].end {
				b.WriteByte(' ')
			}
			b.WriteString(t.text)
		case t.kind == tChar && allowPunct && strings.Contains(".-:'/", t.text):
			b.WriteString(t.text)
		default:
			return "", false
		}
	}
	return "", false
}

// parseCommand reads an operand that starts with a control sequence.
func (p *parser) parseCommand(t token) *Node {
	name := t.text
	switch {
	case greek[name] != "":
		p.next()
		return &Node{Kind: Sym, Name: greek[name], Pos: t.pos, End: t.end}
	case ellipses[name] != "":
		p.next()
		return &Node{Kind: Ellipsis, Name: ellipses[name], Pos: t.pos, End: t.end}
	case bigOps[name] != "":
		p.next()
		return p.parseBigOp(t, bigOps[name])
	case funcs[name] != "" && name != `\arg`:
		p.next()
		return p.parseFunc(t, funcs[name])
	case accents[name] != "":
		p.next()
		return p.parseAccent(t, accents[name])
	case name == `\overset` || name == `\stackrel`:
		p.next()
		p.parseArg() // the annotation
		return p.parseArg()
	case name == `\underset`:
		p.next()
		return p.parseUnderset(t)
	case switchFonts[name] && p.at(1).text != "{":
		p.next()
		return p.parseSwitchFont(t, fonts[name])
	case name == `\operatorname` || name == `\operatorname*` || name == `\operatornamewithlimits` || name == `\DeclareMathOperator`:
		p.next()
		return p.parseOperatorName(t)
	case fonts[name] != "" || name == `\mathit` || name == `\mathnormal` || name == `\textit` ||
		name == `\it` || name == `\emph` || name == `\mathbbm` || name == `\mathbbmss` || name == `\textup`:
		p.next()
		return p.parseFont(t, fonts[name])
	case texts[name]:
		p.next()
		return p.parseText(t)
	}
	switch name {
	case `\left`:
		return p.parseOpen()
	case `\{`, `\lbrace`:
		p.next()
		return p.parseSetBraces(t)
	case `\langle`, `\lceil`, `\lfloor`, `\lbrack`, `\llbracket`, `\lAngle`:
		p.next()
		return p.parseDelim(t)
	case `\lvert`, `\vert`:
		p.next()
		return p.parseBars(t, "|", Abs)
	case `\lVert`, `\Vert`:
		p.next()
		return p.parseBars(t, `\|`, Norm)
	case `\|`:
		p.next()
		return p.parseBars(t, `\|`, Norm)
	case `\frac`, `\dfrac`, `\tfrac`, `\cfrac`, `\nicefrac`, `\sfrac`, `\flatfrac`, `\xfrac`, `\ddfrac`:
		p.next()
		p.skipOptional()
		num := p.parseArg()
		den := p.parseArg()
		return &Node{Kind: Frac, Op: strings.TrimPrefix(name, `\`), Pos: t.pos, End: p.last, Args: []*Node{num, den}}
	case `\binom`, `\tbinom`, `\dbinom`:
		p.next()
		a := p.parseArg()
		b := p.parseArg()
		return &Node{Kind: Binom, Pos: t.pos, End: p.last, Args: []*Node{a, b}}
	case `\sqrt`:
		p.next()
		n := &Node{Kind: Sqrt, Pos: t.pos}
		if p.peek().text == "[" {
			p.next()
			save := p.enterGroup()
			n.Sup = p.parseRegion(func(t token) bool { return t.text == "]" || stopBrace(t) })
			p.leaveGroup(save)
			if p.peek().text == "]" {
				p.next()
			}
		}
		n.Args = []*Node{p.parseArg()}
		n.End = p.last
		return n
	case `\dv`, `\pdv`, `\odv`, `\pd`, `\od`, `\fdv`, `\dd`:
		p.next()
		return p.parseDeriv(t)
	case `\mathop`:
		p.next()
		return p.parseMathop(t)
	case `\mathbin`, `\mathrel`:
		p.next()
		return p.parseArg()
	case `\textcolor`, `\colorbox`:
		p.next()
		p.skipOptional()
		p.skipGroup()
		return p.parseArg()
	case `\scalebox`, `\resizebox`:
		p.next()
		p.skipGroup()
		if name == `\resizebox` {
			p.skipGroup()
		}
		return p.parseArg()
	case `\arg`:
		p.next()
		if nt := p.peek(); nt.text == `\max` || nt.text == `\min` || nt.text == `\sup` || nt.text == `\inf` {
			p.next()
			return p.parseBigOp(t, "arg"+strings.TrimPrefix(nt.text, `\`))
		}
		return p.parseFunc(t, "arg")
	case `\begin`:
		return p.parseEnv(t)
	case `\cdot`, `\ast`, `\star`, `\bullet`, `\circ`, `\diamond`:
		// a placeholder: f(\cdot)
		p.next()
		return &Node{Kind: Sym, Name: strings.TrimPrefix(name, `\`), Pos: t.pos, End: t.end}
	case `\underbrace`, `\overbrace`, `\underbracket`, `\overbracket`:
		p.next()
		n := p.parseArg()
		// the label under the brace is a comment, not math
		if nt := p.peek(); nt.text == "_" || nt.text == "^" {
			p.next()
			p.parseArg()
		}
		return n
	case `\smash`, `\boxed`, `\makebox`:
		p.next()
		p.skipOptional()
		p.skipOptional()
		return p.parseArg()
	case `\mathbbm`:
		p.next()
		return p.parseFont(t, "mathbb")
	case `\1`, `\bbone`, `\one`:
		p.next()
		return &Node{Kind: Sym, Name: "1", Font: "mathbb", Pos: t.pos, End: t.end}
	case `\\`:
		if !p.cell {
			// a line break inside an expression that goes on
			p.next()
			p.skipRowTail()
			return p.parsePrimary()
		}
		return emptyAt(t.pos)
	case `\cite`, `\citep`, `\citet`, `\ref`, `\eqref`, `\autoref`, `\cref`, `\Cref`, `\pageref`:
		p.next()
		p.skipOptional()
		p.skipGroup()
		return &Node{Kind: Text, Text: p.src[t.pos:p.last], Pos: t.pos, End: p.last}
	case `\Pr`:
		p.next()
		return p.parseFunc(t, "Pr")
	}
	if transparent[name] {
		p.next()
		p.skipOptional()
		p.skipOptional()
		return p.parseArg()
	}
	if name == `\vdotswithin` || name == `\shortvdotswithin` {
		p.next()
		p.skipGroup()
		return &Node{Kind: Ellipsis, Name: "vdots", Pos: t.pos, End: p.last}
	}
	if p.splitGlued(t) {
		return p.parsePrimary()
	}
	if p.isStopCommand(name) {
		return emptyAt(t.pos)
	}
	// an unknown command: take it with its arguments
	p.next()
	for p.toks[p.i].text == "{" || p.toks[p.i].text == "[" && p.toks[p.i].pos == p.last {
		if p.toks[p.i].text == "[" {
			p.skipOptional()
		} else {
			p.skipGroup()
		}
		p.last = p.at(-1).end
	}
	return p.unknown(t, "unknown command "+name)
}

func (p *parser) isStopCommand(name string) bool {
	switch name {
	case `\right`, `\end`, `\middle`, `\quad`, `\qquad`, `\over`, `\not`, `\newline`, `\cr`,
		`\}`, `\rbrace`, `\rangle`, `\rceil`, `\rfloor`, `\rvert`, `\rVert`, `\rbrack`, `\rrbracket`,
		`\limits`, `\nolimits`, `\intertext`, `\shortintertext`, `\tabularnewline`, `\rAngle`:
		return true
	}
	return relations[name] != "" || logical[name] != "" || mulOps[name] != "" || addOps[name] != ""
}

// parseSetBraces reads \{ ... \}: a set, or braces around a condition.
func (p *parser) parseSetBraces(t token) *Node {
	save := p.enterGroup()
	content := p.parseRegion(func(t token) bool {
		return t.text == `\}` || t.text == `\rbrace` || stopCloser(t)
	})
	p.leaveGroup(save)
	c := p.peek()
	closeText := c.text
	if c.text == `\}` || c.text == `\rbrace` {
		p.next()
	} else {
		p.fail(t.pos, "unclosed \\{")
		content = &Node{Kind: Unknown, Pos: t.pos, End: p.last, Text: p.src[t.pos:p.last]}
		closeText = ""
	}
	return delimited(`\{`, closeText, content, t.pos, p.last)
}

// parseDelim reads \langle x, y \rangle, \lceil x \rceil, \lfloor x \rfloor.
func (p *parser) parseDelim(t token) *Node {
	want := openers[t.text]
	save := p.enterGroup()
	content := p.parseRegion(func(tk token) bool { return tk.text == want || stopCloser(tk) })
	p.leaveGroup(save)
	if p.peek().text == want {
		p.next()
	} else {
		p.fail(t.pos, "unclosed %s", t.text)
		content = &Node{Kind: Unknown, Pos: t.pos, End: p.last, Text: p.src[t.pos:p.last]}
		want = ""
	}
	return &Node{Kind: Bracket, Open: t.text, Close: want, Pos: t.pos, End: p.last, Args: []*Node{content}}
}

// parseBigOp reads the bounds and the body of \sum, \int, \max, \mathbb{E}...
func (p *parser) parseBigOp(t token, name string) *Node {
	n := &Node{Kind: BigOp, Name: name, Pos: t.pos}
	p.scripts(n)
	if p.flat {
		n.End = p.last
		return n
	}
	switch name {
	case "max", "min", "sup", "inf":
		// \max(a, b) and \min\{M, x\} are functions of their arguments
		if n.Sub == nil && n.Sup == nil && (p.atOpenParen() || p.peek().text == `\{` ||
			p.peek().text == `\left` && p.at(1).text == `\{`) {
			f := &Node{Kind: Func, Name: name, Pos: t.pos}
			p.funcArgs(f)
			f.End = p.last
			return f
		}
	case "E", "V", "P", "Var", "Cov":
		nt := p.peek()
		if nt.text == "[" || nt.text == "(" || nt.text == `\{` || nt.text == `\left` {
			n.Args = []*Node{p.parsePostfix()}
			n.End = p.last
			return n
		}
	}
	if p.startsFactor() {
		p.depth++
		body := p.parseImplicit()
		p.depth--
		n.Args = []*Node{body}
	}
	n.End = p.last
	return n
}

// parseFunc reads \log x, \exp(x), \sin^2 x, \log_2 n.
func (p *parser) parseFunc(t token, name string) *Node {
	n := &Node{Kind: Func, Name: name, Pos: t.pos}
	p.scripts(n)
	if p.flat {
		n.End = p.last
		return n
	}
	p.funcArgs(n)
	n.End = p.last
	return n
}

// funcArgs reads the arguments of a function: a parenthesised list, a
// \{...\} set, or a single factor.
func (p *parser) funcArgs(n *Node) {
	switch {
	case p.atOpenParen():
		br := p.parseOpen()
		n.Open, n.Close = br.Open, br.Close
		c := br.Args[0]
		if c.Kind == Seq && allArgSeps(c.Seps) {
			n.Args, n.Seps = c.Args, c.Seps
		} else if c.Kind != Empty {
			n.Args = []*Node{c}
		}
	case p.peek().text == `\{` || p.peek().text == `\left` && p.at(1).text == `\{`:
		s := p.parsePrimary()
		n.Open, n.Close = `\{`, `\}`
		if s.Kind == Set {
			n.Args, n.Seps = s.Args, s.Seps
		} else {
			n.Args = []*Node{s}
		}
	case p.startsFactor():
		p.depth++
		arg := p.parseUnary()
		p.depth--
		if arg.Kind != Empty {
			n.Args = []*Node{arg}
		}
	}
}

// parseAccent reads \hat{x}: an accent on a symbol is part of its name.
func (p *parser) parseAccent(t token, name string) *Node {
	arg := p.parseArg()
	if arg.Kind == BigOp && len(arg.Args) == 0 && arg.Name == "E" && name == "hat" {
		// \hat{\mathbb{E}}_t: the empirical average over t
		arg.Name = "Ehat"
		arg.Pos = t.pos
		p.scripts(arg)
		if !p.flat && p.startsFactor() {
			arg.Args = []*Node{p.parsePostfix()}
		}
		arg.End = p.last
		return arg
	}
	if arg.Kind == Sym {
		arg.Accents = append(arg.Accents, name)
		arg.Pos, arg.End = t.pos, p.last
		return arg
	}
	if arg.Kind == Pow && arg.Args[0].Kind == Sym && name != "" {
		// \tilde{x}^2
		arg.Args[0].Accents = append(arg.Args[0].Accents, name)
		return arg
	}
	return &Node{Kind: Accent, Name: name, Pos: t.pos, End: p.last, Args: []*Node{arg}}
}

// parseUnderset reads \underset{below}{op}: an operator with a lower bound,
// or a symbol with an annotation.
func (p *parser) parseUnderset(t token) *Node {
	below := p.parseArg()
	flat := p.flat
	p.flat = true
	op := p.parseArg()
	p.flat = flat
	switch {
	case op.Kind == BigOp && len(op.Args) == 0:
		op.Sub = below
		op.Pos = t.pos
		p.scripts(op)
		if !p.flat && p.startsFactor() {
			op.Args = []*Node{p.parseImplicit()}
		}
		op.End = p.last
		return op
	case op.Kind == Func && len(op.Args) == 0:
		op.Sub = below
		op.Pos = t.pos
		if !p.flat {
			p.funcArgs(op)
		}
		op.End = p.last
		return op
	case op.Kind == Sym && op.Sub == nil:
		op.Sub = below
		op.Pos, op.End = t.pos, p.last
		if operatorLike(op) && !p.flat && !p.atOpenParen() && p.startsFactor() {
			arg := p.parseUnary()
			return &Node{Kind: Apply, Pos: t.pos, End: p.last, Args: []*Node{op, arg}}
		}
		return op
	}
	return &Node{Kind: Index, Pos: t.pos, End: p.last, Args: []*Node{op, below}}
}

// knownFuncWords are upright names that work as function names without
// parentheses (\operatorname{softmax} x).
var knownFuncWords = map[string]bool{
	"softmax": true, "sigmoid": true, "relu": true, "ReLU": true, "tanh": true, "GELU": true,
	"gelu": true, "SiLU": true, "silu": true, "swish": true, "softplus": true, "LayerNorm": true,
	"layernorm": true, "RMSNorm": true, "BatchNorm": true, "logsumexp": true, "LSE": true,
	"sign": true, "sgn": true, "diag": true, "tr": true, "Tr": true, "trace": true, "mean": true,
	"var": true, "std": true, "logit": true, "erf": true, "abs": true, "norm": true, "vec": true,
	"clip": true, "exp": true, "log": true, "sqrt": true, "round": true, "floor": true, "ceil": true,
	"stopgrad": true, "sg": true, "argmax": true, "argmin": true, "standardize": true, "id": true,
	"Softmax": true, "Sigmoid": true, "Tanh": true, "ELU": true, "elu": true, "Swish": true,
	"Dropout": true, "dropout": true, "Var": true, "Cov": true, "cov": true,
}

// operatorLike reports whether a symbol is an operator name that can take
// its argument without parentheses.
func operatorLike(n *Node) bool {
	return n.Kind == Sym && len(n.Accents) == 0 && (n.Font == "operatorname" ||
		(n.Font == "mathrm" || n.Font == "text" || n.Font == "mathsf") && knownFuncWords[n.Name])
}

// parseOperatorName reads \operatorname{...}: a big operator (arg max), a
// separator word, or a function name.
func (p *parser) parseOperatorName(t token) *Node {
	if w, ok := p.rawGroup(true); ok {
		word := strings.Join(strings.Fields(w), " ")
		key := strings.ToLower(strings.ReplaceAll(word, " ", ""))
		if op := opNames[key]; op != "" {
			return p.parseBigOp(t, op)
		}
		if op := opNames[strings.ToLower(word)]; op != "" {
			return p.parseBigOp(t, op)
		}
		n := &Node{Kind: Sym, Name: strings.ReplaceAll(word, " ", ""), Font: "operatorname", Pos: t.pos, End: p.last}
		return p.operatorArg(n)
	}
	// \operatorname*{\mathbb{E}}
	arg := p.parseArg()
	if arg.Kind == Sym && arg.Font == "mathbb" && expectName(arg.Name) != "" {
		return p.parseBigOp(t, expectName(arg.Name))
	}
	if arg.Kind == BigOp && len(arg.Args) == 0 {
		return p.parseBigOp(t, arg.Name)
	}
	return arg
}

// operatorArg makes an operator name take the factor after it as argument
// when it is not followed by parentheses: \operatorname*{softmax} \frac{}{}.
func (p *parser) operatorArg(n *Node) *Node {
	if p.flat || !operatorLike(n) || p.atOpenParen() {
		return n
	}
	p.scripts(n)
	if p.atOpenParen() || !p.startsFactor() {
		return n
	}
	arg := p.parseUnary()
	return &Node{Kind: Apply, Pos: n.Pos, End: p.last, Args: []*Node{n, arg}}
}

func expectName(letter string) string {
	switch letter {
	case "E":
		return "E"
	case "V":
		return "V"
	case "P":
		return "P"
	}
	return ""
}

// parseFont reads \mathbf{x}, \mathrm{SNR}, \mathcal{L}, \mathbb{E}.
func (p *parser) parseFont(t token, font string) *Node {
	textMode := strings.HasPrefix(t.text, `\text`) || t.text == `\emph`
	if w, ok := p.rawGroup(textMode); ok {
		w = strings.TrimSpace(w)
		if w == "" {
			return &Node{Kind: Empty, Pos: t.pos, End: p.last}
		}
		if strings.ContainsAny(w, " .-:'/") {
			if op := opNames[strings.ToLower(w)]; op != "" && !textMode {
				return p.parseBigOp(t, op)
			}
			return &Node{Kind: Text, Text: w, Pos: t.pos, End: p.last}
		}
		if font == "mathbb" && expectName(w) != "" {
			return p.parseBigOp(t, expectName(w))
		}
		if (font == "mathrm" || font == "") && (w == "Var" || w == "Cov") {
			return p.parseBigOp(t, w)
		}
		if op := opNames[w]; op != "" && (font == "mathrm" || font == "text") && op != "max" && op != "min" {
			return p.parseBigOp(t, op)
		}
		if isNumber(w) {
			return &Node{Kind: Sym, Name: w, Font: font, Pos: t.pos, End: p.last}
		}
		n := &Node{Kind: Sym, Name: w, Font: font, Pos: t.pos, End: p.last}
		if textMode && font == "" {
			n.Font = "text"
		}
		return p.operatorArg(n)
	}
	if textMode {
		if n := p.textApply(t, font); n != nil {
			return n
		}
	}
	if p.peek().text != "{" && textMode {
		return p.parseArg()
	}
	arg := p.parseArg()
	if arg.Kind == Num && font != "" {
		// \mathbf 1: the vector of ones
		arg = &Node{Kind: Sym, Name: arg.Text, Font: font, Pos: arg.Pos, End: arg.End}
	}
	applyFont(arg, font)
	if arg.Kind == Sym {
		arg.Pos = t.pos
		if font == "mathbb" && expectName(arg.Name) != "" && len(arg.Accents) == 0 && arg.Sub == nil {
			return p.parseBigOp(t, expectName(arg.Name))
		}
	}
	// \mathbb{V}\mathrm{ar}
	if arg.Kind == Sym && arg.Name == "V" && p.peek().text == `\mathrm` {
		save, last := p.i, p.last
		p.next()
		if w, ok := p.rawGroup(false); ok && w == "ar" {
			return p.parseBigOp(t, "Var")
		}
		p.i, p.last = save, last
	}
	return arg
}

func isNumber(s string) bool {
	for i := 0; i < len(s); i++ {
		if !isDigit(s[i : i+1]) {
			return false
		}
	}
	return s != ""
}

// applyFont sets the font of the symbols of a font argument (\mathbf{\tilde X}).
func applyFont(n *Node, font string) {
	if font == "" {
		return
	}
	switch n.Kind {
	case Sym:
		if n.Font == "" || n.Font == "mathbf" && font == "mathsf" {
			n.Font = font
		}
	case Pow, Transpose, Index:
		applyFont(n.Args[0], font)
	case Apply:
		applyFont(n.Args[0], font)
	case Juxt:
		for _, a := range n.Args {
			applyFont(a, font)
		}
	}
}

// parseSwitchFont reads {\rm Pr}, {\bf x}, \cal L: the letters that follow.
func (p *parser) parseSwitchFont(t token, font string) *Node {
	var b strings.Builder
	start := p.i
	for {
		nt := p.toks[p.i]
		if nt.kind == tChar && (isLetterTok(nt) || isDigit(nt.text) && b.Len() > 0) {
			if b.Len() > 0 && (font == "mathcal" || font == "mathbb" || font == "mathbf") {
				break // \cal L_f: one letter
			}
			b.WriteString(nt.text)
			p.i++
			p.last = nt.end
			continue
		}
		break
	}
	if b.Len() == 0 {
		p.i = start
		if p.peek().kind == tEOF || p.peek().text == "}" {
			return &Node{Kind: Empty, Pos: t.pos, End: t.end}
		}
		n := p.parsePostfix()
		applyFont(n, font)
		return n
	}
	n := &Node{Kind: Sym, Name: b.String(), Font: font, Pos: t.pos, End: p.last}
	return p.operatorArg(n)
}

// parseText reads \text{...}: a word is a name (\text{CKA}), anything else is
// text. A word applied to a math argument, \textrm{Irradiance($t$)}, is a
// function application.
func (p *parser) parseText(t token) *Node {
	if w, ok := p.rawGroup(false); ok {
		w = strings.TrimSpace(w)
		if w != "" && !strings.Contains(w, " ") && !separatorWords[strings.ToLower(w)] {
			n := &Node{Kind: Sym, Name: w, Font: "text", Pos: t.pos, End: p.last}
			return p.operatorArg(n)
		}
		return &Node{Kind: Text, Text: w, Pos: t.pos, End: p.last}
	}
	if n := p.textApply(t, "text"); n != nil {
		return n
	}
	if p.peek().text != "{" {
		return p.parseArg()
	}
	// raw text with anything inside
	startTok := p.i
	p.skipGroup()
	if p.i-1 <= startTok {
		return &Node{Kind: Text, Pos: t.pos, End: p.last}
	}
	inner := p.src[p.toks[startTok].end:p.at(-1).pos]
	p.last = p.at(-1).end
	return &Node{Kind: Text, Text: strings.TrimSpace(inner), Pos: t.pos, End: p.last}
}

// parseMathop reads \mathop{...}: an expectation, an operator name, or a
// group.
func (p *parser) parseMathop(t token) *Node {
	arg := p.parseArg()
	switch {
	case arg.Kind == BigOp && len(arg.Args) == 0:
		arg.Pos = t.pos
		p.scripts(arg)
		if !p.flat && p.startsFactor() {
			arg.Args = []*Node{p.parseImplicit()}
		}
		arg.End = p.last
		return arg
	case arg.Kind == Sym && arg.Font == "mathbb" && expectName(arg.Name) != "":
		return p.parseBigOp(t, expectName(arg.Name))
	case arg.Kind == Sym && operatorLike(arg):
		return p.operatorArg(arg)
	}
	return arg
}

// parseDeriv reads the physics package's \dv{f}{x} and \pdv{f}{x}; the
// order of \dv[2]{f}{x} goes in Text.
func (p *parser) parseDeriv(t token) *Node {
	n := &Node{Kind: Deriv, Op: strings.TrimPrefix(t.text, `\`), Pos: t.pos}
	if p.toks[p.i].text == "[" {
		// the order, \dv[2]{f}{x}: kept in Text so that a higher derivative
		// is not read as a first one
		start := p.i
		p.skipOptional()
		var b strings.Builder
		for _, tk := range p.toks[start+1 : max(start+1, p.i-1)] {
			b.WriteString(tk.text)
		}
		n.Text = b.String()
		if n.Text == "" {
			n.Text = "?"
		}
	}
	for p.peek().text == "{" && len(n.Args) < 3 {
		n.Args = append(n.Args, p.parseArg())
	}
	n.End = p.last
	return n
}

// --- environments -----------------------------------------------------------

var matrixEnvs = map[string]bool{
	"matrix": true, "pmatrix": true, "bmatrix": true, "Bmatrix": true, "vmatrix": true,
	"Vmatrix": true, "smallmatrix": true, "array": true, "subarray": true, "pmatrix*": true,
	"bmatrix*": true, "matrix*": true, "tabular": true, "psmallmatrix": true, "bsmallmatrix": true,
}

var casesEnvs = map[string]bool{
	"cases": true, "dcases": true, "rcases": true, "cases*": true, "dcases*": true, "numcases": true,
}

var alignEnvs = map[string]bool{
	"split": true, "aligned": true, "align": true, "align*": true, "alignat": true,
	"alignat*": true, "alignedat": true, "gathered": true, "gather": true, "gather*": true,
	"multline": true, "multline*": true, "eqnarray": true, "eqnarray*": true, "equation": true,
	"equation*": true, "flalign": true, "flalign*": true, "displaymath": true, "math": true,
	"multlined": true, "lgathered": true, "rgathered": true, "subequations": true, "center": true,
}

func (p *parser) envName() string {
	w, ok := p.rawGroupStar()
	if !ok {
		return ""
	}
	return w
}

// rawGroupStar reads {name} or {name*}.
func (p *parser) rawGroupStar() (string, bool) {
	if p.peek().text != "{" {
		return "", false
	}
	var b strings.Builder
	for k := p.i + 1; k < len(p.toks); k++ {
		t := p.toks[k]
		if t.text == "}" {
			p.i = k + 1
			p.last = t.end
			return b.String(), true
		}
		if t.kind != tChar || t.text == "{" {
			return "", false
		}
		b.WriteString(t.text)
	}
	return "", false
}

func (p *parser) parseEnv(t token) *Node {
	p.next()
	name := p.envName()
	switch {
	case matrixEnvs[name]:
		if name == "array" || name == "subarray" || name == "tabular" {
			p.skipOptional()
			p.skipGroup() // column spec
		}
		if strings.HasSuffix(name, "*") {
			p.skipOptional()
		}
		rows := p.parseRows(name)
		return &Node{Kind: Matrix, Name: name, Pos: t.pos, End: p.last, Rows: rows}
	case casesEnvs[name]:
		rows := p.parseRows(name)
		for i, r := range rows {
			if len(r) > 2 {
				rows[i] = r[:2]
			}
		}
		return &Node{Kind: Cases, Name: name, Pos: t.pos, End: p.last, Rows: rows}
	case alignEnvs[name]:
		if name == "alignat" || name == "alignat*" || name == "alignedat" {
			p.skipGroup()
		}
		p.skipOptional()
		save := p.enterGroup()
		content := p.parseRegion(func(t token) bool { return t.text == `\end` || t.text == "}" || t.text == `\right` })
		p.leaveGroup(save)
		p.endEnv(t, name)
		return content
	}
	// an environment we do not know: skip to its end
	depth := 1
	for p.toks[p.i].kind != tEOF && depth > 0 {
		switch p.toks[p.i].text {
		case `\begin`:
			depth++
		case `\end`:
			depth--
		}
		p.i++
	}
	if depth == 0 {
		p.skipGroup()
	}
	if p.i > 0 {
		p.last = p.at(-1).end
	}
	return p.unknown(t, "unknown environment "+name)
}

func (p *parser) endEnv(t token, name string) {
	if p.peek().text != `\end` {
		p.fail(t.pos, "\\begin{%s} without \\end", name)
		return
	}
	p.next()
	if got := p.envName(); got != name {
		p.fail(t.pos, "\\begin{%s} ended by \\end{%s}", name, got)
	}
}

// parseRows reads the cells of a matrix or cases environment up to its \end.
func (p *parser) parseRows(name string) [][]*Node {
	start := p.peek()
	save := p.enterGroup()
	p.cell = true
	stop := func(t token) bool {
		return t.text == "&" || t.text == `\\` || t.text == `\end` || t.text == "}" || t.text == `\right` ||
			t.text == `\cr` || t.text == `\tabularnewline`
	}
	var rows [][]*Node
	var row []*Node
	for {
		if p.peek().text == `\multicolumn` {
			p.next()
			p.skipGroup()
			p.skipGroup()
		}
		cell := p.parseRegion(stop)
		row = append(row, cell)
		t := p.peek()
		if t.text == "&" {
			p.next()
			continue
		}
		if t.text == `\\` || t.text == `\cr` || t.text == `\tabularnewline` {
			p.next()
			p.skipRowTail()
			rows = append(rows, row)
			row = nil
			continue
		}
		break
	}
	if len(row) > 1 || len(row) == 1 && row[0].Kind != Empty {
		rows = append(rows, row)
	}
	p.leaveGroup(save)
	p.endEnv(start, name)
	return rows
}

// splitGlued repairs a command glued to the letters after it by a macro
// expansion (\langlez for \langle z): when a known command is a prefix of an
// unknown one, the token is split in two. It reports whether it did.
func (p *parser) splitGlued(t token) bool {
	name := t.text
	if len(name) < 3 || p.toks[p.i].text != name {
		return false
	}
	for k := len(name) - 1; k >= 3; k-- {
		prefix := name[:k]
		if !knownCommand(prefix) {
			continue
		}
		rest := name[k:]
		toks := make([]token, 0, len(p.toks)+len(rest))
		toks = append(toks, p.toks[:p.i]...)
		toks = append(toks, token{kind: tCmd, text: prefix, pos: t.pos, end: t.pos + k, noise: isNoise(prefix)})
		for j := 0; j < len(rest); j++ {
			toks = append(toks, token{kind: tChar, text: rest[j : j+1], pos: t.pos + k + j, end: t.pos + k + j + 1})
		}
		toks = append(toks, p.toks[p.i+1:]...)
		p.toks = toks
		return true
	}
	return false
}

func knownCommand(c string) bool {
	if greek[c] != "" || funcs[c] != "" || bigOps[c] != "" || relations[c] != "" || mulOps[c] != "" ||
		addOps[c] != "" || ellipses[c] != "" || accents[c] != "" {
		return true
	}
	if _, ok := openers[c]; ok {
		return true
	}
	return closers[c]
}

// textApply reads a word applied to inline math inside text,
// \textrm{Irradiance($t$)}, as a function application; nil (and nothing
// consumed) when the group is not of that form.
func (p *parser) textApply(t token, font string) *Node {
	k := p.i
	if p.tok(k).text != "{" {
		return nil
	}
	k++
	var name strings.Builder
	for isLetterTok(p.tok(k)) {
		name.WriteString(p.tok(k).text)
		k++
	}
	if name.Len() == 0 || p.tok(k).text != "(" || p.tok(k+1).text != "$" {
		return nil
	}
	// the math runs to the next $, which must be followed by ")}"
	end := k + 2
	for end < len(p.toks) && p.tok(end).kind != tEOF && p.tok(end).text != "$" {
		end++
	}
	if p.tok(end).text != "$" || p.tok(end+1).text != ")" || p.tok(end+2).text != "}" {
		return nil
	}
	save, last := p.i, p.last
	p.i = k + 2
	g := p.enterGroup()
	arg := p.parseRegion(func(t token) bool { return t.text == "$" || stopBrace(t) })
	p.leaveGroup(g)
	if p.at(0).text != "$" || p.at(1).text != ")" || p.at(2).text != "}" {
		p.i, p.last = save, last
		return nil
	}
	p.i += 3
	p.last = p.at(-1).end
	if font == "" {
		font = "text"
	}
	head := &Node{Kind: Sym, Name: name.String(), Font: font, Pos: t.pos, End: p.last}
	return &Node{Kind: Apply, Pos: t.pos, End: p.last, Open: "(", Close: ")", Args: []*Node{head, arg}}
}

// italicWords are operator names sometimes typed as plain letters (Var(x),
// Tr(A)), read as one name when the letters are adjacent and nothing else is.
var italicWords = map[string]string{
	"Var": "Var", "Cov": "Cov", "Tr": "Tr", "Pr": "Pr", "tr": "tr", "softmax": "softmax",
	"sigmoid": "sigmoid", "tanh": "tanh", "relu": "relu", "ReLU": "ReLU", "log": "log", "exp": "exp",
	"sin": "sin", "cos": "cos", "max": "max", "min": "min", "det": "det", "KL": "KL", "MMD": "MMD",
	"diag": "diag", "sign": "sign", "argmax": "argmax", "argmin": "argmin", "erf": "erf",
}

func (p *parser) italicWord(t token) *Node {
	if p.flat {
		return nil
	}
	k := p.i
	var b strings.Builder
	for k < len(p.toks) && isLetterTok(p.toks[k]) && (k == p.i || p.toks[k].pos == p.toks[k-1].end) {
		b.WriteString(p.toks[k].text)
		k++
	}
	w := italicWords[b.String()]
	if w == "" || k-p.i < 2 {
		return nil
	}
	p.i = k
	p.last = p.toks[k-1].end
	switch w {
	case "log", "exp", "sin", "cos", "det", "tanh", "diag", "sign", "erf", "Pr", "tr", "Tr":
		return p.parseFunc(t, w)
	case "max", "min", "argmax", "argmin":
		return p.parseBigOp(t, w)
	case "Var", "Cov":
		return p.parseBigOp(t, w)
	}
	return &Node{Kind: Sym, Name: w, Font: "mathrm", Pos: t.pos, End: p.last}
}

// labelSup reports whether a one-letter superscript is a label rather than
// an exponent: an upper-case letter (W^Q, z^A; T is the transpose), or any
// letter on an upper-case symbol (V^r, B^\epsilon). Lower-case letters on
// lower-case symbols are exponents (\gamma^n, \beta_2^t).
func labelSup(base, sup *Node) bool {
	if sup.Kind != Sym || sup.Sub != nil || sup.Sup != nil || len(sup.Accents) > 0 || sup.Font != "" {
		return false
	}
	name := sup.Name
	upperLetter := len(name) == 1 && name[0] >= 'A' && name[0] <= 'Z'
	if upperLetter {
		return name != "T"
	}
	letter := len(name) == 1 && isLetter(name[0]) || greek[`\`+name] == name && name != "infty" && name != "top" && name != "prime" && name != "star" && name != "dagger"
	b := base.Name
	baseUpper := len(b) == 1 && b[0] >= 'A' && b[0] <= 'Z' || len(b) > 1 && b[0] >= 'A' && b[0] <= 'Z' && greek[`\`+b] == b
	return letter && baseUpper && base.Font != "mathbb"
}

func isMinusOneNode(n *Node) bool {
	return n.Kind == Unary && n.Op == "-" && n.Args[0].Kind == Num && n.Args[0].Text == "1" ||
		n.Kind == Num && n.Text == "-1"
}

// attachScriptsTo applies a subscript and a superscript already read.
func (p *parser) attachScriptsTo(base, sub, sup *Node) *Node {
	n := base
	if sub != nil {
		n = &Node{Kind: Index, Pos: base.Pos, End: p.last, Args: []*Node{n, sub}}
	}
	if sup == nil {
		return n
	}
	if k, op := supKind(sup); k == "transpose" {
		return &Node{Kind: Transpose, Op: op, Pos: base.Pos, End: p.last, Args: []*Node{n}}
	}
	return &Node{Kind: Pow, Pos: base.Pos, End: p.last, Args: []*Node{n, sup}}
}
