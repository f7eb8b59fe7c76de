package reader

import (
	"strings"

	"github.com/reprohq/repro/doc"
	lx "github.com/reprohq/repro/internal/latex"
	"github.com/reprohq/repro/internal/latex/algo"
	"github.com/reprohq/repro/internal/latex/plain"
	"github.com/reprohq/repro/internal/latex/tabular"
)

// begin handles \begin{env}.
func (r *Reader) begin(t lx.Token) {
	name := r.rawString()
	if name == "" {
		return
	}
	if r.excluded[name] {
		r.skipEnv(name)
		return
	}
	if mode, ok := mathEnvs[name]; ok {
		_ = mode
		r.display(t, name, false)
		return
	}
	if _, ok := tabularEnvs[name]; ok {
		r.tabular(t, name)
		return
	}
	if algorithmEnvs[name] {
		r.algorithm(t, name)
		return
	}
	switch name {
	case "document":
		r.inDoc = true
		return
	case "abstract":
		r.abstract = textOf(r.collectEnv(name))
		return
	case "keywords", "IEEEkeywords":
		kw := textOf(r.collectEnv(name))
		for _, k := range strings.FieldsFunc(kw, func(c rune) bool { return c == ',' || c == ';' || c == '·' }) {
			if k = strings.TrimSpace(k); k != "" {
				r.keywords = append(r.keywords, k)
			}
		}
		return
	case "thebibliography":
		r.bibHeading(t)
		body := r.collectEnvRaw(name)
		r.inlineBib = append(r.inlineBib, `\begin{thebibliography}`+tokensText(body)+`\end{thebibliography}`)
		return
	case "subequations":
		r.refstep("equation", "equation")
		parent := r.the("equation")
		c := r.counters["equation"]
		r.envs = append(r.envs, envFrame{name: name, saved: savedEq{val: c.val, format: c.format}})
		r.counters["parentequation"].val = c.val
		c.val = 0
		c.format = []fpart{{lit: parent}, {ctr: "equation", style: 'l'}}
		return
	case "appendix", "appendices":
		r.startAppendix()
	case "algorithmic":
		// An algorithmic outside a float: an unnumbered algorithm.
		body := r.collectEnv(name)
		r.addAlgorithm(t, "", "", "", `\begin{algorithmic}`+tokensText(body)+`\end{algorithmic}`)
		return
	}
	if ctr, ok := floatCounters[name]; ok {
		fl := &floatInfo{kind: floatKind(ctr), counter: ctr, file: t.File, pos: t.Pos, section: r.secNumber}
		if ctr == "subfigure" || ctr == "subtable" {
			// subcaption's environment takes a width argument.
			r.m.readOptRaw()
			r.m.readArgRaw()
		} else {
			r.m.readOptRaw()
		}
		r.envs = append(r.envs, envFrame{name: name, fl: fl})
		r.breakParagraph()
		return
	}
	if ctr, ok := r.theorems[name]; ok {
		r.refstep(ctr, "theorem")
	}
	r.envs = append(r.envs, envFrame{name: name})
}

func floatKind(ctr string) string {
	switch ctr {
	case "subfigure":
		return "figure"
	case "subtable":
		return "table"
	}
	return ctr
}

// end handles \end{env}.
func (r *Reader) end(t lx.Token) {
	name := r.rawString()
	if name == "document" {
		r.done = true
		return
	}
	// Pop to the matching frame; tolerate mismatches.
	for i := len(r.envs) - 1; i >= 0; i-- {
		if r.envs[i].name != name {
			continue
		}
		for j := len(r.envs) - 1; j >= i; j-- {
			r.closeFrame(r.envs[j])
		}
		r.envs = r.envs[:i]
		return
	}
}

func (r *Reader) closeFrame(f envFrame) {
	switch {
	case f.name == "subequations":
		c := r.counters["equation"]
		c.val = f.saved.val
		c.format = f.saved.format
	case f.fl != nil:
		r.emitParagraph() // drops the text inside the float
		r.finishFloat(f.fl)
	}
}

// currentFloat returns the innermost open float, or nil.
func (r *Reader) currentFloat() *floatInfo {
	for i := len(r.envs) - 1; i >= 0; i-- {
		if r.envs[i].fl != nil {
			return r.envs[i].fl
		}
	}
	return nil
}

// parentFloat returns the innermost float that is not fl.
func (r *Reader) parentFloat(fl *floatInfo) *floatInfo {
	for i := len(r.envs) - 1; i >= 0; i-- {
		if r.envs[i].fl != nil && r.envs[i].fl != fl {
			return r.envs[i].fl
		}
	}
	return nil
}

// caption handles \caption[short]{text} and \captionof{type}[short]{text}.
func (r *Reader) caption(t lx.Token) {
	ctrName := ""
	star := r.m.readStar()
	if t.Text == `\captionof` {
		ctrName = r.rawString()
		if ctrName == "algorithm" && r.algocf() {
			ctrName = "algocf"
		}
	}
	if t.Text == `\subcaptionbox` {
		r.m.readStar()
	}
	short, hasShort := r.readOpt()
	text := r.readArg()
	full := textOf(text)
	listed := full
	if hasShort {
		listed = textOf(short)
	}
	listed = shorten(listed, 300)
	if t.Text == `\subcaptionbox` {
		r.readArg()
	}
	fl := r.currentFloat()
	if t.Text == `\subcaption` || t.Text == `\subcaptionbox` {
		switch {
		case fl != nil && (fl.counter == "figure" || fl.counter == "table"):
			// \subcaption directly in a figure: a subfigure of it.
			num := r.refstep("sub"+fl.counter, "subfigure")
			fl.subs = append(fl.subs, doc.Figure{Number: num, Caption: listed})
		case fl != nil:
			// In a subfigure environment: that subfigure's caption.
			num := r.refstep(fl.counter, "subfigure")
			fl.captions = append(fl.captions, caption{number: num, text: listed})
		}
		r.walkCaption(text)
		return
	}
	if ctrName == "" {
		if fl == nil {
			r.walkCaption(text)
			return
		}
		ctrName = fl.counter
	}
	num := ""
	if !star {
		num = r.refstep(ctrName, ctrName)
	}
	c := caption{number: num, text: listed, full: full}
	if fl == nil || t.Text == `\captionof` && fl.counter != ctrName {
		// \captionof outside a float of that kind: a float of its own.
		nf := &floatInfo{kind: floatKind(ctrName), counter: ctrName, file: t.File, pos: t.Pos, section: r.secNumber}
		nf.captions = append(nf.captions, c)
		if fl != nil && nf.kind == "table" {
			nf.rows, fl.pendingRows = fl.pendingRows, nil
		}
		r.envs = append(r.envs, envFrame{name: "\\captionof", fl: nf})
		r.walkCaption(text)
		// Close it at once, but let a following \label attach to it.
		lbl := r.peekLabel()
		if lbl != "" {
			nf.captions[0].label = lbl
			r.setLabel(t, lbl, r.cur)
		}
		for i := len(r.envs) - 1; i >= 0; i-- {
			if r.envs[i].fl == nf {
				r.envs = append(r.envs[:i], r.envs[i+1:]...)
				break
			}
		}
		r.finishFloat(nf)
		return
	}
	fl.captions = append(fl.captions, c)
	r.walkCaption(text)
}

// peekLabel consumes a \label that directly follows and returns its key.
func (r *Reader) peekLabel() string {
	var skipped []lx.Token
	for {
		u := r.m.raw()
		if u.Kind == lx.Space || u.Kind == lx.Comment {
			skipped = append(skipped, u)
			continue
		}
		if u.Is(`\label`) {
			return r.rawString()
		}
		r.m.unread(u)
		for i := len(skipped) - 1; i >= 0; i-- {
			r.m.unread(skipped[i])
		}
		return ""
	}
}

// walkCaption processes labels, references and citations inside a caption.
func (r *Reader) walkCaption(text []lx.Token) {
	r.text.suspend++
	r.walkTokens(text)
	r.text.suspend--
}

// subfloat handles \subfloat[caption]{body} and the subfigure package's
// \subfigure[caption]{body}.
func (r *Reader) subfloat(t lx.Token) {
	opt, hasOpt := r.readOpt()
	opt2, hasOpt2 := r.readOpt()
	if hasOpt2 {
		opt = opt2
	}
	fl := r.currentFloat()
	ctr := "subfigure"
	if fl != nil && fl.counter == "table" || t.Text == `\subtable` {
		ctr = "subtable"
	}
	if hasOpt || hasOpt2 {
		num := r.refstep(ctr, "subfigure")
		if fl != nil {
			fl.subs = append(fl.subs, doc.Figure{Number: num, Caption: textOf(opt)})
		}
		r.walkCaption(opt)
	}
	// The body is read normally (it may hold a \label).
}

func (r *Reader) algocf() bool {
	_, a2e := r.packages["algorithm2e"]
	_, alg := r.packages["algorithm"]
	return a2e && !alg && !strings.Contains(r.packages["algorithm2e"], "algo2e")
}

// finishFloat turns a closed float into figures, tables or algorithms.
func (r *Reader) finishFloat(fl *floatInfo) {
	if fl.counter == "subfigure" || fl.counter == "subtable" {
		if parent := r.parentFloat(fl); parent != nil {
			for _, c := range fl.captions {
				parent.subs = append(parent.subs, doc.Figure{Number: c.number, Label: c.label, Caption: c.text})
			}
		}
		return
	}
	file, line := r.fileLine(fl.file, fl.pos)
	if len(fl.captions) == 0 {
		c := caption{label: fl.pendingLabel}
		if len(fl.subs) > 0 {
			// subcaption steps the float's counter for a float that has
			// subcaptions but no caption of its own.
			c.number = r.refstep(fl.counter, fl.counter)
		}
		fl.captions = []caption{c}
	}
	for i, c := range fl.captions {
		switch fl.kind {
		case "table":
			tb := doc.Table{Number: c.number, Label: c.label, Caption: c.text, CaptionFull: fullIfLonger(c), Section: fl.section, File: file, Line: line}
			if i == 0 {
				tb.Rows = fl.rows
			}
			if tb.Rows == nil {
				tb.Rows = [][]doc.Cell{}
			}
			r.d.Tables = append(r.d.Tables, tb)
		case "algorithm", "algocf":
			r.addAlgorithm(lx.Token{File: fl.file, Pos: fl.pos}, c.number, c.label, c.text, "")
			r.d.Algorithms[len(r.d.Algorithms)-1].CaptionFull = fullIfLonger(c)
		default:
			f := doc.Figure{Number: c.number, Label: c.label, Caption: c.text, CaptionFull: fullIfLonger(c), Section: fl.section, File: file, Line: line}
			if i == len(fl.captions)-1 {
				f.Subfigures = fl.subs
			}
			r.d.Figures = append(r.d.Figures, f)
		}
	}
}

func (r *Reader) fileLine(file int16, pos int32) (string, int) {
	return r.pos(lx.Token{File: file, Pos: pos})
}

// tabular reads a tabular environment's body into the enclosing table.
func (r *Reader) tabular(t lx.Token, name string) {
	r.m.readOptRaw()
	for range tabularEnvs[name] {
		r.m.readArgRaw()
	}
	spec := ""
	if name != "tblr" {
		spec = tokensText(r.m.readArgRaw())
	} else {
		r.m.readArgRaw()
	}
	body := r.collectEnv(name)
	fl := r.currentFloat()
	if r.inTabular == 0 && fl != nil {
		rows := tabular.Parse(spec, tokensText(body))
		if fl.kind == "table" {
			fl.rows = append(fl.rows, rows...)
		} else {
			// A tabular in a figure may belong to a \captionof{table}
			// that follows it.
			fl.pendingRows = append(fl.pendingRows, rows...)
		}
	}
	// Walk the body for captions, labels, references and citations that
	// sit inside the tabular (a figure laid out as a tabular, say).
	r.inTabular++
	r.text.suspend++
	r.walkTokens(body)
	r.text.suspend--
	r.inTabular--
}

// algorithm reads an algorithm float: its caption, label and steps.
func (r *Reader) algorithm(t lx.Token, name string) {
	r.m.readOptRaw()
	body := r.collectEnv(name)
	ctr := "algorithm"
	if name == "algorithm2e" || name == "algorithm2e*" || r.algocf() {
		ctr = "algocf"
	}
	// Captions and labels inside the body.
	var num, label, capText, capFull string
	var rest []lx.Token
	for i := 0; i < len(body); i++ {
		tk := body[i]
		switch {
		case tk.Is(`\caption`):
			j := i + 1
			for j < len(body) && body[j].Kind == lx.Space {
				j++
			}
			if j < len(body) && body[j].IsOther('[') {
				for j < len(body) && !body[j].IsOther(']') {
					j++
				}
				j++
			}
			end, toks := groupToks(body, j)
			num = r.refstep(ctr, ctr)
			var inCaption []string
			toks = r.extractLabels(toks, &inCaption)
			for _, key := range inCaption {
				if label == "" {
					label = key
				}
				r.setLabel(tk, key, r.cur)
			}
			capText = textOf(toks)
			if len(capText) > 300 {
				capFull = capText
				capText = shorten(capText, 300)
			}
			i = end
			continue
		case tk.Is(`\label`):
			end, key := groupText(body, i+1)
			if key != "" {
				if label == "" && num != "" {
					label = key
				}
				r.setLabel(tk, key, r.cur)
			}
			i = end
			continue
		}
		rest = append(rest, tk)
	}
	r.scanRefs(rest)
	r.addAlgorithm(t, num, label, capText, tokensText(rest))
	r.d.Algorithms[len(r.d.Algorithms)-1].CaptionFull = capFull
}

func (r *Reader) addAlgorithm(t lx.Token, num, label, capText, body string) {
	file, line := r.pos(t)
	a := doc.Algorithm{Number: num, Label: label, Caption: capText, Section: r.secNumber, File: file, Line: line}
	if body != "" {
		res := algo.Parse(body)
		a.Package, a.Inputs, a.Outputs, a.Steps, a.Pseudocode = res.Package, res.Inputs, res.Outputs, res.Steps, res.Pseudocode
	}
	if a.Steps == nil {
		a.Steps = []doc.Step{}
	}
	if a.Inputs == nil {
		a.Inputs = []string{}
	}
	if a.Outputs == nil {
		a.Outputs = []string{}
	}
	r.d.Algorithms = append(r.d.Algorithms, a)
}

// groupToks returns the argument at body[i:] (a braced group without its
// braces, or a single token) and the index of its last token; with no
// argument there it returns i-1, so that a caller's loop goes on at i.
func groupToks(body []lx.Token, i int) (int, []lx.Token) {
	inner, next, ok := plain.Arg(body, i)
	if !ok {
		return i - 1, nil
	}
	return next - 1, inner
}

// collectEnv reads expanded tokens up to the \end{name} that closes the
// environment, keeping nested environments of the same name balanced.
func (r *Reader) collectEnv(name string) []lx.Token {
	return r.collect(name, r.m.next)
}

// collectEnvRaw is collectEnv without expansion.
func (r *Reader) collectEnvRaw(name string) []lx.Token {
	return r.collect(name, r.m.raw)
}

func (r *Reader) collect(name string, next func() lx.Token) []lx.Token {
	var out []lx.Token
	depth := 0
	for {
		t := next()
		if t.Kind == lx.EOF {
			return out
		}
		if t.Is(`\begin`) || t.Is(`\end`) {
			at := r.rawLen() - 1
			env, toks := r.envNameTokens(next)
			switch {
			case env == name && t.Is(`\begin`):
				depth++
			case env == name:
				if depth == 0 {
					r.closeAt = at
					return out
				}
				depth--
			case env == "document" && t.Is(`\end`):
				r.warnTok(t, "\\begin{%s} not closed before \\end{document}", name)
				r.done = true
				return out
			}
			out = append(out, t)
			out = append(out, toks...)
			continue
		}
		out = append(out, t)
		if len(out) > 2_000_000 {
			return out
		}
	}
}

// rawLen is the length of the innermost raw recording, or 0.
func (r *Reader) rawLen() int {
	if n := len(r.m.recorders); n > 0 {
		return len(*r.m.recorders[n-1])
	}
	return 0
}

// envNameTokens reads {name} after \begin or \end.
func (r *Reader) envNameTokens(next func() lx.Token) (string, []lx.Token) {
	var toks []lx.Token
	t := next()
	for t.Kind == lx.Space {
		toks = append(toks, t)
		t = next()
	}
	toks = append(toks, t)
	if t.Kind != lx.BeginGrp {
		return "", toks
	}
	var b strings.Builder
	for i := 0; i < 64; i++ {
		u := next()
		toks = append(toks, u)
		if u.Kind == lx.EndGrp || u.Kind == lx.EOF {
			break
		}
		b.WriteString(u.Text)
	}
	return strings.TrimSpace(b.String()), toks
}

// skipEnv drops an environment's body (\excludecomment environments).
func (r *Reader) skipEnv(name string) {
	r.collectEnvRaw(name)
}

// scanRefs records labels, references and citations inside tokens that
// are not walked (math, table and algorithm bodies).
func (r *Reader) scanRefs(toks []lx.Token) {
	for i := 0; i < len(toks); i++ {
		t := toks[i]
		if t.Kind != lx.Command {
			continue
		}
		if cmd, ok := refCommands[t.Text]; ok {
			j, key := groupText(toks, i+1)
			for _, k := range strings.Split(key, ",") {
				if k = strings.TrimSpace(k); k != "" {
					r.addRef(t, cmd, k)
				}
			}
			i = j
			continue
		}
		if citeCommands[t.Text] {
			j := i + 1
			for j < len(toks) && (toks[j].Kind == lx.Space || toks[j].IsOther('*')) {
				j++
			}
			for j < len(toks) && toks[j].IsOther('[') {
				for j < len(toks) && !toks[j].IsOther(']') {
					j++
				}
				j++
				for j < len(toks) && toks[j].Kind == lx.Space {
					j++
				}
			}
			end, keys := groupText(toks, j)
			for _, k := range strings.Split(keys, ",") {
				if k = strings.TrimSpace(k); k != "" {
					c, ok := r.cites[k]
					if !ok {
						c = &citeUse{}
						r.cites[k] = c
						r.citeOrder = append(r.citeOrder, k)
					}
					c.count++
					c.sections = append(c.sections, r.secNumber)
				}
			}
			i = end
		}
	}
}

// fullIfLonger returns the whole caption when the listed one differs.
func fullIfLonger(c caption) string {
	if c.full != "" && c.full != c.text {
		return c.full
	}
	return ""
}

// shorten cuts s to at most n bytes at a word boundary, marking the cut.
func shorten(s string, n int) string {
	if len(s) <= n {
		return s
	}
	cut := strings.LastIndexByte(s[:n], ' ')
	if cut < n/2 {
		cut = n
		for cut > 0 && s[cut]&0xC0 == 0x80 {
			cut--
		}
	}
	return strings.TrimSpace(s[:cut]) + " …"
}
