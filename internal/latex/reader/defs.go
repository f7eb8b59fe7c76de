package reader

import (
	"strconv"
	"strings"

	"github.com/reprohq/repro/doc"
	lx "github.com/reprohq/repro/internal/latex"
)

// macroName reads the name of a macro being defined: \foo or {\foo}.
func (r *Reader) macroName() string {
	t := r.m.skipSpacesRaw()
	if t.Kind == lx.Command {
		return t.Text
	}
	if t.Kind == lx.BeginGrp {
		toks := r.m.readGroupRaw()
		for _, u := range toks {
			if u.Kind == lx.Command {
				return u.Text
			}
		}
		return ""
	}
	r.m.unread(t)
	return ""
}

// newcommand handles \newcommand and friends.
func (r *Reader) newcommand(t lx.Token) {
	r.m.readStar()
	name := r.macroName()
	nOpt, _ := r.m.readOptRaw()
	def, hasDef := r.m.readOptRaw()
	body := r.m.readArgRaw()
	if name == "" {
		r.warnTok(t, "%s without a macro name", t.Text)
		return
	}
	n, _ := strconv.Atoi(strings.TrimSpace(tokensText(nOpt)))
	if n < 0 || n > 9 {
		n = 0
	}
	if strings.HasPrefix(name, `\the`) && r.counterFormat(name[4:], body) {
		return
	}
	if t.Text == `\providecommand` || t.Text == `\providerobustcmd` {
		if _, ok := r.m.macros[name]; ok || knownCommand(name) {
			return
		}
	}
	if protectedName(name) || r.internalDef(t, name, body) {
		return
	}
	r.define(&macro{name: name, nparams: n, def: def, hasDef: hasDef, body: body, kind: "newcommand"})
}

// protectedName reports commands the reader handles itself: a paper or a
// local package that redefines them (for layout, usually) must not hide
// them from the reader.
func protectedName(name string) bool {
	if _, ok := sectionLevels[name]; ok {
		return true
	}
	if _, ok := refCommands[name]; ok {
		return true
	}
	return citeCommands[name] || handledCommands[name]
}

var handledCommands = map[string]bool{}

func init() {
	for _, c := range []string{
		`\begin`, `\end`, `\input`, `\include`, `\subfile`, `\import`, `\subimport`, `\item`, `\label`, `\ltx@label`,
		`\caption`, `\captionof`, `\subcaption`, `\subcaptionbox`, `\subfloat`, `\subfigure`, `\subtable`,
		`\appendix`, `\appendices`, `\title`, `\icmltitle`, `\author`, `\icmlauthor`, `\IEEEauthorblockN`, `\aistatsauthor`,
		`\keywords`, `\icmlkeywords`, `\abstract`, `\bibliography`, `\addbibresource`, `\thanks`, `\maketitle`,
		`\tag`, `\nonumber`, `\notag`, `\[`, `\]`, `\(`, `\)`, `\par`, `\documentclass`, `\usepackage`, `\RequirePackage`,
		`\newcommand`, `\renewcommand`, `\providecommand`, `\def`, `\let`, `\newtheorem`, `\newenvironment`,
		`\setcounter`, `\addtocounter`, `\stepcounter`, `\refstepcounter`, `\numberwithin`, `\newcounter`,
		`\eqno`, `\leqno`, `\newif`, `\footnote`, `\label@in@display`,
	} {
		handledCommands[c] = true
	}
}

// internalDef reports a definition made by a local package that belongs
// to its internals (names or bodies with @, font and size switches):
// those are TeX programming, not the paper's notation, and expanding them
// would only produce noise.
func (r *Reader) internalDef(t lx.Token, name string, body []lx.Token) bool {
	if t.File < 0 || int(t.File) >= len(r.files) || !strings.HasSuffix(r.files[t.File].name, ".sty") {
		return false
	}
	if strings.Contains(name, "@") || sizeCommands[name] {
		return true
	}
	for _, b := range body {
		if b.Kind == lx.Command && (strings.Contains(b.Text, "@") || b.Text == `\csname` || b.Text == `\expandafter`) {
			return true
		}
	}
	return false
}

var sizeCommands = map[string]bool{
	`\tiny`: true, `\scriptsize`: true, `\footnotesize`: true, `\small`: true, `\normalsize`: true, `\large`: true,
	`\Large`: true, `\LARGE`: true, `\huge`: true, `\Huge`: true, `\rm`: true, `\bf`: true, `\it`: true, `\sf`: true, `\tt`: true,
}

func (r *Reader) define(mac *macro) {
	r.m.macros[mac.name] = mac
	if len(r.d.Macros) < 2000 {
		dm := doc.Macro{Name: mac.name, Params: mac.nparams, Body: tokensText(mac.body), Kind: mac.kind}
		if mac.hasDef {
			dm.Default = tokensText(mac.def)
		}
		r.d.Macros = append(r.d.Macros, dm)
	}
}

// counterFormat handles \renewcommand{\theX}{...}; it reports whether X is
// a counter.
func (r *Reader) counterFormat(name string, body []lx.Token) bool {
	if _, ok := r.counters[name]; !ok {
		return false
	}
	if f, ok := r.parseFormat(body); ok {
		r.setFormat(name, f)
	}
	return true
}

// def handles \def\name<params>{body}.
func (r *Reader) def(t lx.Token) {
	nt := r.m.skipSpacesRaw()
	if nt.Kind != lx.Command {
		r.m.unread(nt)
		return
	}
	name := nt.Text
	var params []lx.Token
	n := 0
	for {
		u := r.m.raw()
		if u.Kind == lx.EOF {
			return
		}
		if u.Kind == lx.BeginGrp {
			break
		}
		if u.Kind == lx.Param {
			n++
		}
		params = append(params, u)
		if len(params) > 64 {
			r.warnTok(t, "parameter text of %s too long; definition ignored", name)
			return
		}
	}
	body := r.m.readGroupRaw()
	if strings.HasPrefix(name, `\the`) && r.counterFormat(name[4:], body) {
		return
	}
	if protectedName(name) || r.internalDef(t, name, body) {
		return
	}
	mac := &macro{name: name, nparams: n, body: body, kind: "def"}
	// A parameter text that is just #1#2... needs no matching.
	simple := true
	for _, p := range params {
		if p.Kind != lx.Param {
			simple = false
		}
	}
	if !simple {
		mac.params = params
	}
	r.define(mac)
}

// let handles \let\a\b (and \let\a=\b).
func (r *Reader) let(t lx.Token) {
	a := r.m.skipSpacesRaw()
	b := r.m.skipSpacesRaw()
	if b.IsOther('=') {
		b = r.m.raw()
		if b.Kind == lx.Space {
			b = r.m.raw()
		}
	}
	if a.Kind != lx.Command || protectedName(a.Text) || r.internalDef(t, a.Text, []lx.Token{b}) {
		return
	}
	if mb, ok := r.m.macros[b.Text]; ok && b.Kind == lx.Command {
		if mb.kind == "let" && len(mb.body) == 1 && mb.body[0].Text == a.Text {
			// \let\saved\x ... \let\x\saved restores \x's own meaning.
			delete(r.m.macros, a.Text)
			return
		}
		cp := *mb
		cp.name = a.Text
		r.m.macros[a.Text] = &cp
		return
	}
	if a.Text == b.Text {
		return
	}
	if strings.HasPrefix(a.Text, `\if`) {
		// \let\ifx\iftrue style switches.
		switch b.Text {
		case `\iftrue`:
			r.m.bools[a.Text[3:]] = true
		case `\iffalse`:
			r.m.bools[a.Text[3:]] = false
		}
		return
	}
	// \let\a\relax and similar: \a becomes \b.
	b.Exp = false
	r.define(&macro{name: a.Text, body: []lx.Token{b}, kind: "let"})
}

// mathOperator handles \DeclareMathOperator(*){\op}{text}.
func (r *Reader) mathOperator(t lx.Token) {
	star := r.m.readStar()
	name := r.macroName()
	body := r.m.readArgRaw()
	if name == "" {
		return
	}
	cmd := `\operatorname`
	if star {
		cmd = `\operatorname*`
	}
	toks := lx.Scan(cmd+"{", t.File)
	toks = append(toks, body...)
	toks = append(toks, lx.Token{Text: "}", Kind: lx.EndGrp, File: t.File})
	r.define(&macro{name: name, body: toks, kind: "operator"})
}

// documentCommand handles xparse's \NewDocumentCommand{\name}{spec}{body}
// for the common specs m, o, O{default} and s.
func (r *Reader) documentCommand(t lx.Token) {
	name := r.macroName()
	spec := tokensText(r.m.readArgRaw())
	body := r.m.readArgRaw()
	if name == "" || protectedName(name) {
		return
	}
	n := 0
	hasDef := false
	var def []lx.Token
	s := strings.ReplaceAll(spec, " ", "")
	for i := 0; i < len(s); i++ {
		switch s[i] {
		case 'm':
			n++
		case 'o':
			if n == 0 {
				hasDef = true
			}
			n++
		case 'O':
			if n == 0 {
				hasDef = true
				if j := strings.IndexByte(s[i:], '}'); j > 0 && i+2 <= i+j {
					def = lx.Scan(s[i+2:i+j], t.File)
					i += j
				}
			}
			n++
		case 's':
			// A star is read as a parameter that is always empty here.
		}
	}
	if n > 9 {
		n = 9
	}
	r.define(&macro{name: name, nparams: n, hasDef: hasDef, def: def, body: body, kind: "newcommand"})
}

// pairedDelimiter handles mathtools' \DeclarePairedDelimiter{\abs}{\lvert}{\rvert}.
func (r *Reader) pairedDelimiter(t lx.Token) {
	x := t.Text == `\DeclarePairedDelimiterX`
	name := r.macroName()
	var n int
	if x {
		nOpt, _ := r.m.readOptRaw()
		n, _ = strconv.Atoi(strings.TrimSpace(tokensText(nOpt)))
	}
	left := r.m.readArgRaw()
	right := r.m.readArgRaw()
	var inner []lx.Token
	if x {
		inner = r.m.readArgRaw()
	} else {
		n = 1
		inner = lx.Scan("#1", t.File)
	}
	if name == "" || n > 9 {
		return
	}
	body := append(append(append([]lx.Token{}, left...), inner...), right...)
	r.define(&macro{name: name, nparams: n, body: body, kind: "newcommand"})
}

// newenvironment handles \newenvironment{name}[n][default]{begin}{end}.
func (r *Reader) newenvironment(t lx.Token) {
	r.m.readStar()
	name := strings.TrimSpace(tokensText(r.m.readArgRaw()))
	nOpt, _ := r.m.readOptRaw()
	def, hasDef := r.m.readOptRaw()
	begin := r.m.readArgRaw()
	end := r.m.readArgRaw()
	if name == "" || builtinEnv(name) {
		return
	}
	n, _ := strconv.Atoi(strings.TrimSpace(tokensText(nOpt)))
	if n < 0 || n > 9 {
		n = 0
	}
	r.m.envs[name] = &envDef{nparams: n, def: def, hasDef: hasDef, begin: begin, end: end}
	if len(r.d.Macros) < 2000 {
		r.d.Macros = append(r.d.Macros, doc.Macro{Name: name, Params: n, Body: tokensText(begin) + " ... " + tokensText(end), Kind: "environment"})
	}
}

// builtinEnv reports environments the reader handles itself; papers that
// redefine them (for spacing, say) keep their meaning.
func builtinEnv(name string) bool {
	if _, ok := mathEnvs[name]; ok {
		return true
	}
	if _, ok := floatCounters[name]; ok {
		return true
	}
	if _, ok := tabularEnvs[name]; ok {
		return true
	}
	switch name {
	case "document", "algorithm", "algorithm*", "algorithmic", "abstract", "thebibliography", "subequations", "appendix", "appendices":
		return true
	}
	return false
}

// newtheorem handles \newtheorem{env}[shared]{Title}[within] and the
// \newtheorem{env}{Title}[within] form.
func (r *Reader) newtheorem(t lx.Token) {
	star := r.m.readStar()
	if t.Text == `\declaretheorem` {
		opts, _ := r.m.readOptRaw()
		env := r.rawString()
		r.m.readOptRaw()
		ctr := env
		o := tokensText(opts)
		if i := strings.Index(o, "sibling="); i >= 0 {
			ctr = strings.TrimSpace(strings.FieldsFunc(o[i+8:], func(c rune) bool { return c == ',' || c == ']' })[0])
		} else if i := strings.Index(o, "numberlike="); i >= 0 {
			ctr = strings.TrimSpace(strings.FieldsFunc(o[i+11:], func(c rune) bool { return c == ',' })[0])
		}
		if strings.Contains(o, "numbered=no") {
			return
		}
		r.theorems[env] = r.theoremCounter(ctr)
		if i := strings.Index(o, "numberwithin="); i >= 0 && ctr == env {
			r.within(env, strings.TrimSpace(strings.FieldsFunc(o[i+13:], func(c rune) bool { return c == ',' })[0]), true)
		}
		return
	}
	if t.Text == `\newaliascnt` {
		a := r.rawString()
		b := r.rawString()
		r.theorems[a] = r.theoremCounter(b)
		return
	}
	env := r.rawString()
	shared, hasShared := r.m.readOptRaw()
	r.m.readArgRaw() // title
	within, hasWithin := r.m.readOptRaw()
	if env == "" || star {
		return
	}
	switch {
	case hasShared:
		r.theorems[env] = r.theoremCounter(strings.TrimSpace(tokensText(shared)))
	default:
		r.newCounter(env, "")
		r.theorems[env] = env
		if hasWithin {
			r.within(env, strings.TrimSpace(tokensText(within)), true)
		}
	}
}

// theoremCounter follows shared counters: a theorem numbered like another
// theorem steps that theorem's counter.
func (r *Reader) theoremCounter(name string) string {
	if c, ok := r.theorems[name]; ok {
		return c
	}
	r.newCounter(name, "")
	return name
}

// newif handles \newif\iffoo: it defines \footrue and \foofalse.
func (r *Reader) newif(t lx.Token) {
	u := r.m.skipSpacesRaw()
	if u.Kind != lx.Command || !strings.HasPrefix(u.Text, `\if`) || len(u.Text) <= 3 {
		r.m.unread(u)
		return
	}
	name := u.Text[3:]
	r.m.bools[name] = false
	r.m.switches[`\`+name+`true`] = ifSwitch{name, true}
	r.m.switches[`\`+name+`false`] = ifSwitch{name, false}
}
