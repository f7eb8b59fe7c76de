package reader

import (
	"strconv"
	"strings"

	"github.com/reprohq/repro/doc"
	lx "github.com/reprohq/repro/internal/latex"
)

// sectionLevels maps sectioning commands to their LaTeX level.
var sectionLevels = map[string]int{
	`\part`: -1, `\chapter`: 0, `\section`: 1, `\subsection`: 2, `\subsubsection`: 3, `\paragraph`: 4, `\subparagraph`: 5,
}

var sectionCounter = map[string]string{
	`\part`: "part", `\chapter`: "chapter", `\section`: "section", `\subsection`: "subsection",
	`\subsubsection`: "subsubsection", `\paragraph`: "paragraph", `\subparagraph`: "subparagraph",
}

// citeCommands are the citation commands of LaTeX, natbib and biblatex.
var citeCommands = map[string]bool{}

func init() {
	for _, c := range []string{"cite", "citep", "citet", "citealp", "citealt", "citeauthor", "citeyear", "citeyearpar",
		"citenum", "citetext", "parencite", "textcite", "autocite", "footcite", "fullcite", "smartcite", "supercite",
		"Cite", "Citep", "Citet", "Citealp", "Citealt", "Citeauthor", "Parencite", "Textcite", "Autocite", "citeA", "shortcite",
		"citeNP", "citeS", "nocite", "cites", "parencites", "textcites", "autocites", "citepalias", "citetalias", "citeposs"} {
		citeCommands[`\`+c] = true
	}
}

var refCommands = map[string]string{
	`\ref`: "ref", `\eqref`: "eqref", `\cref`: "cref", `\Cref`: "Cref", `\autoref`: "autoref", `\Autoref`: "autoref",
	`\pageref`: "pageref", `\vref`: "vref", `\Vref`: "vref", `\nameref`: "nameref", `\crefrange`: "crefrange",
	`\Crefrange`: "crefrange", `\cpageref`: "cpageref", `\labelcref`: "labelcref", `\subref`: "subref", `\hyperref`: "hyperref",
	`\Eqref`: "eqref", `\eqrefp`: "eqref", `\fullref`: "ref", `\thmref`: "ref", `\prettyref`: "ref", `\Sref`: "ref",
}

var floatCounters = map[string]string{
	"figure": "figure", "figure*": "figure", "wrapfigure": "figure", "SCfigure": "figure", "sidewaysfigure": "figure",
	"sidewaysfigure*": "figure", "wrapfig": "figure", "floatingfigure": "figure", "figwindow": "figure",
	"table": "table", "table*": "table", "wraptable": "table", "sidewaystable": "table", "sidewaystable*": "table", "SCtable": "table",
	"subfigure": "subfigure", "subtable": "subtable",
}

var tabularEnvs = map[string]int{ // environment -> arguments before the column spec
	"tabular": 0, "tabular*": 1, "tabularx": 1, "tabulary": 1, "longtable": 0, "longtable*": 0, "supertabular": 0,
	"xtabular": 0, "tblr": 0, "array": 0, "NiceTabular": 0, "tabu": 0, "longtabu": 0,
}

var algorithmEnvs = map[string]bool{"algorithm": true, "algorithm*": true, "algorithm2e": true, "algorithm2e*": true, "procedure": false, "function": false}

// command handles one unexpandable command token.
func (r *Reader) command(t lx.Token) {
	name := t.Text
	if lvl, ok := sectionLevels[name]; ok {
		r.section(t, lvl)
		return
	}
	if citeCommands[name] {
		r.cite(t)
		return
	}
	if cmd, ok := refCommands[name]; ok {
		r.ref(t, cmd)
		return
	}
	switch name {
	case `\newcommand`, `\renewcommand`, `\providecommand`, `\DeclareRobustCommand`, `\newrobustcmd`, `\renewrobustcmd`, `\providerobustcmd`:
		r.newcommand(t)
	case `\def`, `\gdef`, `\edef`, `\xdef`:
		r.def(t)
	case `\let`, `\global`, `\long`, `\outer`, `\protected`:
		if name == `\let` {
			r.let(t)
		}
	case `\DeclareMathOperator`:
		r.mathOperator(t)
	case `\NewDocumentCommand`, `\RenewDocumentCommand`, `\ProvideDocumentCommand`, `\DeclareDocumentCommand`:
		r.documentCommand(t)
	case `\DeclarePairedDelimiter`, `\DeclarePairedDelimiterX`:
		r.pairedDelimiter(t)
	case `\newenvironment`, `\renewenvironment`, `\provideenvironment`:
		r.newenvironment(t)
	case `\NewDocumentEnvironment`, `\RenewDocumentEnvironment`:
		r.m.readArgRaw()
		r.m.readArgRaw()
		r.m.readArgRaw()
		r.m.readArgRaw()
	case `\newtheorem`, `\spnewtheorem`, `\declaretheorem`, `\newaliascnt`:
		r.newtheorem(t)
	case `\newif`:
		r.newif(t)
	case `\newcounter`:
		name := r.rawString()
		within, ok := r.m.readOptRaw()
		r.newCounter(name, "")
		if ok {
			r.within(name, strings.TrimSpace(tokensText(within)), false)
		}
	case `\setcounter`, `\addtocounter`:
		name := r.rawString()
		val, ok := r.counterValue(r.readArg())
		if ok {
			c := r.newCounter(name, "")
			if t.Text == `\setcounter` {
				c.val = val
			} else {
				c.val += val
			}
			if name == "secnumdepth" {
				r.secnumdepth = c.val
			}
		}
	case `\stepcounter`:
		r.step(r.rawString())
	case `\refstepcounter`:
		r.refstep(r.rawString(), "counter")
	case `\numberwithin`, `\counterwithin`, `\counterwithin*`:
		star := r.m.readStar()
		r.m.readOptRaw()
		name := r.rawString()
		parent := r.rawString()
		r.within(name, parent, !star && name != "")
	case `\counterwithout`:
		r.m.readStar()
		name := r.rawString()
		r.without(name, r.rawString())
	case `\@addtoreset`:
		name := r.rawString()
		parent := r.rawString()
		r.within(name, parent, false)
	case `\excludecomment`:
		r.excluded[r.rawString()] = true
	case `\includecomment`:
		delete(r.excluded, r.rawString())
	case `\documentclass`, `\documentstyle`:
		opts, _ := r.m.readOptRaw()
		r.applyClass(r.rawString(), tokensText(opts))
	case `\usepackage`, `\RequirePackage`:
		opts, _ := r.m.readOptRaw()
		var local []string
		for _, p := range strings.Split(r.rawString(), ",") {
			p = strings.TrimSpace(p)
			if p != "" {
				r.usePackage(p, tokensText(opts))
				if full, ok := r.localPackage(p); ok {
					local = append(local, full)
				}
			}
		}
		r.m.readOptRaw()
		// The paper's own packages are read for their definitions, last
		// first so that they are read in order.
		for i := len(local) - 1; i >= 0; i-- {
			r.m.pushFile(t, local[i])
		}
	case `\begin`:
		r.begin(t)
	case `\end`:
		r.end(t)
	case `\[`:
		r.display(t, `\[`, true)
	case `\(`:
		r.inlineMath(`\)`)
	case `\label`:
		r.label(t, r.rawString())
	case `\caption`, `\captionof`, `\subcaption`, `\subcaptionbox`, `\sidecaption`:
		r.caption(t)
	case `\subfloat`, `\subfigure`, `\subtable`:
		r.subfloat(t)
	case `\appendix`, `\appendices`:
		r.startAppendix()
	case `\title`, `\icmltitle`, `\Title`, `\papertitle`, `\TITLE`:
		r.m.readOptRaw()
		r.titleToks = r.readArg()
	case `\author`, `\icmlauthor`, `\Author`, `\IEEEauthorblockN`, `\aistatsauthor`:
		r.m.readOptRaw()
		a := r.readArg()
		if name == `\icmlauthor` {
			r.readArg()
		}
		r.authorToks = append(r.authorToks, a)
	case `\keywords`, `\icmlkeywords`, `\Keywords`:
		kw := r.readArg()
		for _, k := range strings.FieldsFunc(textOf(kw), func(c rune) bool { return c == ',' || c == ';' || c == '·' }) {
			if k = strings.TrimSpace(k); k != "" {
				r.keywords = append(r.keywords, k)
			}
		}
	case `\abstract`:
		if !r.inDoc {
			r.abstract = textOf(r.readArg())
		}
	case `\bibliography`, `\nobibliography`:
		for _, f := range strings.Split(r.rawString(), ",") {
			if f = strings.TrimSpace(f); f != "" {
				r.bibFiles = append(r.bibFiles, f)
			}
		}
		if name == `\bibliography` {
			r.bibHeading(t)
		}
	case `\addbibresource`, `\bibliographyfile`:
		r.m.readOptRaw()
		r.bibFiles = append(r.bibFiles, r.rawString())
	case `\footnote`, `\footnotetext`, `\thanks`, `\marginpar`, `\todo`:
		r.m.readOptRaw()
		// The footnote's text is read normally (it may cite or refer) but
		// kept out of the prose context.
		r.text.suspend++
		r.walkTokens(r.readArg())
		r.text.suspend--
	case `\item`:
		r.m.readOptRaw()
		r.emitParagraph() // each item is a paragraph of its own in Text
		r.text.add(" ")
	case `\\`, `\newline`, `\linebreak`:
		r.text.add(" ")
	case `\%`, `\&`, `\#`, `\_`, `\{`, `\}`, `\$`:
		r.text.add(name[1:])
	case `\ `, `\,`, `\;`, `\quad`, `\qquad`, `\enspace`, `\space`, `\nobreakspace`:
		r.text.add(" ")
	case `\par`:
		r.breakParagraph()
	case `\maketitle`, `\icmlmaketitle`:
	case `\eqno`, `\leqno`:
	case `\ensuremath`:
	case `\hypersetup`, `\pgfplotsset`, `\tikzset`, `\lstset`, `\captionsetup`, `\sisetup`, `\setlength`, `\addtolength`,
		`\includegraphics`, `\hspace`, `\vspace`, `\vskip`, `\hskip`, `\definecolor`, `\graphicspath`, `\pagestyle`,
		`\thispagestyle`, `\bibliographystyle`, `\setcitestyle`, `\crefname`, `\Crefname`, `\newlength`, `\input@path`:
		r.skipArgs(name)
	case `\addcontentsline`:
		r.addContentsLine()
	case `\printbibliography`:
		r.m.readOptRaw()
		r.bibHeading(t)
	}
}

// skipArgs drops the arguments of setup commands that would otherwise
// leak into the prose.
func (r *Reader) skipArgs(name string) {
	switch name {
	case `\includegraphics`:
		r.m.readStar()
		r.m.readOptRaw()
		r.m.readOptRaw()
		r.m.readArgRaw()
	case `\hspace`, `\vspace`:
		r.m.readStar()
		r.m.readArgRaw()
	case `\vskip`, `\hskip`:
	case `\definecolor`:
		r.m.readArgRaw()
		r.m.readArgRaw()
		r.m.readArgRaw()
	case `\setlength`, `\addtolength`, `\crefname`, `\Crefname`:
		r.m.readArgRaw()
		r.m.readArgRaw()
		if name == `\crefname` || name == `\Crefname` {
			r.m.readArgRaw()
		}
	default:
		r.m.readOptRaw()
		r.m.readArgRaw()
	}
}

// walkTokens runs the stomach over already read tokens (an argument
// that was read whole). The tokens end in a sealed frame: whatever reads
// past them sees the end of input, never the text that follows.
func (r *Reader) walkTokens(toks []lx.Token) {
	if len(toks) == 0 {
		return
	}
	f := &frame{toks: toks, file: -1, name: "arg", sealed: true}
	if !r.m.push(f) {
		return
	}
	for !r.done && r.process(r.m.next()) {
	}
	for i := len(r.m.stack) - 1; i >= 0; i-- {
		if r.m.stack[i] == f {
			r.m.stack = r.m.stack[:i]
			break
		}
	}
	r.m.peeked = r.m.peeked[:0]
}

// localPackage finds a package shipped with the paper that is the
// paper's own (not a copy of a standard package).
func (r *Reader) localPackage(p string) (string, bool) {
	if standardPackages[p] || r.readPkgs[p] {
		return "", false
	}
	full, ok := r.fs.Resolve(r.main, p+".sty")
	if !ok {
		return "", false
	}
	data, _ := r.fs.ReadFile(full)
	if len(data) > 256<<10 {
		return "", false
	}
	r.readPkgs[p] = true
	return full, true
}

func (r *Reader) usePackage(p, opts string) {
	r.packages[p] = opts
	switch p {
	case "algorithm":
		if strings.Contains(opts, "section") {
			r.within("algorithm", "section", true)
		}
		if strings.Contains(opts, "chapter") {
			r.within("algorithm", "chapter", true)
		}
	case "algorithm2e":
		for _, o := range strings.Split(opts, ",") {
			switch strings.TrimSpace(o) {
			case "algosection":
				r.within("algocf", "section", true)
			case "algochapter":
				r.within("algocf", "chapter", true)
			}
		}
	}
}

// counterValue evaluates a simple counter expression: a number, or
// \value{name}.
func (r *Reader) counterValue(toks []lx.Token) (int, bool) {
	s := strings.TrimSpace(tokensText(toks))
	if v, err := strconv.Atoi(s); err == nil {
		return v, true
	}
	for i, t := range toks {
		if t.Is(`\value`) {
			_, name := groupText(toks, i+1)
			return r.value(name), true
		}
	}
	return 0, false
}

// section handles \section and its relatives.
func (r *Reader) section(t lx.Token, level int) {
	r.breakParagraph()
	star := r.m.readStar()
	short, _ := r.readOpt()
	_ = short
	title := r.readArg()
	if !r.inDoc {
		return
	}
	ctr := sectionCounter[t.Text]
	numbered := !star && level <= r.secnumdepth
	num := ""
	if numbered {
		num = r.refstep(ctr, "section")
	}
	var labels []string
	title = r.extractLabels(title, &labels)
	s := doc.Section{Number: num, Title: textOf(title), Level: level, Appendix: r.appendix}
	s.File, s.Line = r.pos(t)
	if len(labels) > 0 {
		s.Label = labels[0]
		for _, l := range labels {
			r.setLabel(t, l, r.cur)
		}
	}
	r.d.Sections = append(r.d.Sections, s)
	if level <= 1 {
		r.secNumber = r.the("section")
		if level == 0 {
			r.secNumber = r.the("chapter")
		}
		if !numbered && level == 1 {
			// An unnumbered section keeps LaTeX's \thesection.
			r.secNumber = r.the("section")
		}
		r.secTitle = s.Title
	}
	// Section titles walk refs and cites.
	r.text.suspend++
	r.walkTokens(title)
	r.text.suspend--
}

// extractLabels removes \label{...} from toks, appending their keys.
func (r *Reader) extractLabels(toks []lx.Token, labels *[]string) []lx.Token {
	var out []lx.Token
	for i := 0; i < len(toks); i++ {
		if toks[i].Is(`\label`) {
			j, key := groupText(toks, i+1)
			if key != "" {
				*labels = append(*labels, key)
			}
			i = j
			continue
		}
		out = append(out, toks[i])
	}
	return out
}

func (r *Reader) startAppendix() {
	if r.appendix {
		return
	}
	r.appendix = true
	top := "section"
	if _, ok := r.counters["chapter"]; ok && r.usesChapters() {
		top = "chapter"
	}
	r.counters[top].val = 0
	for _, ch := range r.resets[top] {
		if c, ok := r.counters[ch]; ok {
			c.val = 0
		}
	}
	r.setFormat(top, []fpart{{ctr: top, style: 'L'}})
	if r.revtex {
		// REVTeX numbers appendix equations A1, A2, ...
		r.within("equation", "section", false)
		r.setFormat("equation", []fpart{{ctr: "section", style: 't'}, {ctr: "equation", style: 'a'}})
	}
	if r.ieee {
		// IEEEtran's appendix sections are unnumbered headings whose
		// subsections are lettered A, B, ...
		r.setFormat("subsection", []fpart{{ctr: "subsection", style: 'L'}})
	}
}

func (r *Reader) usesChapters() bool {
	switch r.class {
	case "report", "book", "memoir", "scrbook", "scrreprt", "thesis", "ucthesis", "mitthesis":
		return true
	}
	return false
}

// label records \label{key} against the current label target.
func (r *Reader) label(t lx.Token, key string) {
	if key == "" {
		return
	}
	// Inside a float, a label after a caption names that caption.
	if fl := r.currentFloat(); fl != nil && len(fl.captions) > 0 {
		c := &fl.captions[len(fl.captions)-1]
		if c.label == "" {
			c.label = key
		}
	} else if fl != nil {
		fl.pendingLabel = key
	}
	r.setLabel(t, key, r.cur)
}

func (r *Reader) setLabel(t lx.Token, key string, cur curLabel) {
	if _, dup := r.labels[key]; dup {
		r.warnTok(t, "label %q defined twice", key)
		return
	}
	r.labels[key] = labelInfo{number: cur.number, kind: cur.kind, file: t.File, pos: t.Pos}
}

// ref records a reference to one or more labels.
func (r *Reader) ref(t lx.Token, cmd string) {
	r.m.readStar()
	if cmd == "hyperref" {
		opt, ok := r.m.readOptRaw()
		if ok {
			r.addRef(t, cmd, strings.TrimSpace(tokensText(opt)))
			return
		}
		r.m.readArgRaw()
		r.m.readArgRaw()
		r.m.readArgRaw()
		r.m.readArgRaw()
		return
	}
	keys := r.rawString()
	if cmd == "crefrange" {
		keys += "," + r.rawString()
	}
	for _, k := range strings.Split(keys, ",") {
		if k = strings.TrimSpace(k); k != "" {
			r.addRef(t, cmd, k)
		}
	}
	if r.inDoc {
		r.text.add("(" + keys + ")")
	}
}

func (r *Reader) addRef(t lx.Token, cmd, key string) {
	r.refs = append(r.refs, refUse{label: key, cmd: cmd, section: r.secNumber, file: t.File, pos: t.Pos})
}

// cite records a citation.
func (r *Reader) cite(t lx.Token) {
	multi := strings.HasSuffix(t.Text, "cites")
	r.m.readStar()
	r.m.readOptRaw()
	r.m.readOptRaw()
	for {
		keys := r.rawString()
		for _, k := range strings.Split(keys, ",") {
			k = strings.TrimSpace(k)
			if k == "" {
				continue
			}
			if k == "*" && t.Text == `\nocite` {
				r.nociteAll = true
				continue
			}
			c, ok := r.cites[k]
			if !ok {
				c = &citeUse{}
				r.cites[k] = c
				r.citeOrder = append(r.citeOrder, k)
			}
			if t.Text != `\nocite` {
				c.count++
				c.sections = append(c.sections, r.secNumber)
			}
		}
		if !multi {
			break
		}
		// \cites[pre][post]{a}[pre][post]{b}...
		u := r.m.skipSpacesRaw()
		r.m.unread(u)
		if u.Kind != lx.BeginGrp && !u.IsOther('[') {
			break
		}
		r.m.readOptRaw()
		r.m.readOptRaw()
	}
}

// addContentsLine handles \addcontentsline{toc}{section}{\numberline{N}Title},
// which papers use to give an unnumbered heading a number in the table of
// contents: the number is given to that heading.
func (r *Reader) addContentsLine() {
	list := r.rawString()
	level := r.rawString()
	entry := r.m.readArgRaw()
	if list != "toc" || len(r.d.Sections) == 0 {
		return
	}
	last := &r.d.Sections[len(r.d.Sections)-1]
	if last.Number != "" || sectionLevels[`\`+level] != last.Level {
		return
	}
	for i, t := range entry {
		if t.Is(`\numberline`) {
			_, num := groupText(entry, i+1)
			last.Number = num
			return
		}
	}
}

// bibHeading adds the unnumbered heading that the bibliography prints.
func (r *Reader) bibHeading(t lx.Token) {
	if !r.inDoc || r.bibHeadingDone {
		return
	}
	r.bibHeadingDone = true
	title, level := "References", 1
	if r.usesChapters() {
		title, level = "Bibliography", 0
	}
	s := doc.Section{Title: title, Level: level, Appendix: r.appendix}
	s.File, s.Line = r.pos(t)
	r.d.Sections = append(r.d.Sections, s)
}
