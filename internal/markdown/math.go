package markdown

import (
	"regexp"
	"strconv"
	"strings"

	"github.com/reprohq/repro/doc"
	lx "github.com/reprohq/repro/internal/latex"
)

// mathEnvs are the display environments read as equations, with how they
// are numbered: 'e' one number per block, 'r' one per row, 'u' none.
var mathEnvs = map[string]byte{
	"equation": 'e', "multline": 'e', "dmath": 'e',
	"align": 'r', "gather": 'r', "flalign": 'r', "alignat": 'r', "eqnarray": 'r', "xalignat": 'r',
	"equation*": 'u', "multline*": 'u', "dmath*": 'u', "align*": 'u', "gather*": 'u', "flalign*": 'u',
	"alignat*": 'u', "eqnarray*": 'u', "displaymath": 'u', "math": 'u',
}

// display reads a display at p.i when the line starts one ($$, \[ or a
// math environment; $$ may also stand inside the line) or is a line of
// math ending with a printed number, and reports whether it did.
func (p *parser) display(line string) bool {
	t := strings.TrimSpace(line)
	var open, closeDelim, env string
	before := ""
	switch {
	case strings.HasPrefix(t, "$$"):
		open, closeDelim, env = "$$", "$$", "$$"
	case strings.HasPrefix(t, `\[`):
		open, closeDelim, env = `\[`, `\]`, "displaymath"
	case strings.HasPrefix(t, `\begin{`):
		name, _, ok := strings.Cut(t[len(`\begin{`):], "}")
		if _, math := mathEnvs[name]; !ok || !math {
			return false
		}
		env = name
		open, closeDelim = `\begin{`+name+`}`, `\end{`+name+`}`
	default:
		i := strings.Index(t, "$$")
		if i <= 0 || !p.markdown {
			return p.numberedLine(t)
		}
		before, t = t[:i], t[i:]
		open, closeDelim, env = "$$", "$$", "$$"
	}
	startLine := p.i + 1
	rest := t[len(open):]
	var body strings.Builder
	after := ""
	found := false
	n := 0
	for {
		if k := strings.Index(rest, closeDelim); k >= 0 {
			body.WriteString(rest[:k])
			after = rest[k+len(closeDelim):]
			found = true
			break
		}
		body.WriteString(rest)
		n++
		if p.i+n >= len(p.lines) || n > maxDisplay || strings.TrimSpace(p.lines[p.i+n]) == "" {
			break
		}
		body.WriteByte('\n')
		rest = p.lines[p.i+n]
	}
	if !found {
		what := open
		if open != env && env != "displaymath" {
			what = `\begin{` + env + `}`
		}
		p.warnf(startLine, "unterminated %s: the display ends at line %d", what, p.i+n)
		n--
	}
	if before != "" {
		p.para = append(p.para, before)
		if len(p.para) == 1 {
			p.paraLine = startLine
		}
	}
	p.i += n + 1
	p.emitDisplay(env, body.String(), after, startLine)
	return true
}

// emitDisplay files the equations of one display: env is "$$", or
// "displaymath" for \[, or the math environment; after is the text after
// the closing delimiter on its line.
func (p *parser) emitDisplay(env, body, after string, line int) {
	// Definitions alone in a display are the paper's macros, not math.
	if strings.Contains(body, `\newcommand`) || strings.Contains(body, `\def`) || strings.Contains(body, `\DeclareMathOperator`) || strings.Contains(body, `\renewcommand`) {
		if strings.TrimSpace(stripDefs(body)) == "" {
			p.textAfter(after, line)
			return
		}
	}
	printed := ""
	crossref := ""
	if m := crossrefRE.FindStringSubmatchIndex(after); m != nil {
		// pandoc-crossref: $$ ... $$ {#eq:name}
		crossref = after[m[2]:m[3]]
		after = after[m[1]:]
	}
	if m := afterNumberRE.FindStringSubmatchIndex(after); m != nil {
		printed = after[m[2]:m[3]]
		after = after[m[1]:]
	}
	mode := mathEnvs[env] // 0 for $$
	envName := env
	// A display environment inside $$ or \[ (pandoc keeps \begin{align}
	// in $$): read it as that environment.
	if env == "$$" || env == "displaymath" {
		bt := strings.TrimSpace(body)
		if strings.HasPrefix(bt, `\begin{`) {
			name, _, _ := strings.Cut(bt[len(`\begin{`):], "}")
			endTag := `\end{` + name + `}`
			if m, ok := mathEnvs[name]; ok && strings.HasSuffix(bt, endTag) {
				body = bt[len(`\begin{`+name+`}`) : len(bt)-len(endTag)]
				mode, envName = m, name
			}
		}
	}
	var rows []mathRow
	if mode == 'r' {
		for _, r := range splitRows(body) {
			rows = append(rows, readRow(r))
		}
	} else {
		rows = []mathRow{readRow(body)}
	}
	if len(rows) == 0 {
		rows = []mathRow{readRow(body)}
	}
	if crossref != "" {
		last := &rows[len(rows)-1]
		last.labels = append(last.labels, crossref)
	}
	if printed != "" {
		last := &rows[len(rows)-1]
		if last.tag == "" && last.printed == "" {
			last.printed = printed
		}
	}
	p.eqBlock++
	nums := make([]*string, len(rows))
	inferred := []string{}
	for i := range rows {
		rw := &rows[i]
		switch {
		case rw.tag != "" && rw.tagStar:
		case rw.tag != "":
			s := rw.tag
			nums[i] = &s
			// Converters write a printed number as \tag{N}: later
			// numbers continue from it.
			if v, err := strconv.Atoi(s); err == nil && v > p.eqCounter {
				p.eqCounter = v
			}
		case rw.printed != "":
			s := rw.printed
			nums[i] = &s
			if v, err := strconv.Atoi(s); err == nil {
				p.eqCounter = v
			}
		case (mode == 'e' || mode == 'r') && !rw.noNumber:
			p.eqCounter++
			s := strconv.Itoa(p.eqCounter)
			nums[i] = &s
			inferred = append(inferred, s)
		}
	}
	if len(inferred) > 0 {
		p.warnf(line, "equation number %s inferred from the order of the displays (no \\tag or printed number)", strings.Join(inferred, ", "))
	}
	// Group rows as the LaTeX reader does: unnumbered rows join the next
	// numbered row; trailing unnumbered rows join the previous one.
	groups := lx.GroupRows(nums)
	before := ""
	if len(p.para) > 0 {
		before = lastSentence(inlineText(strings.Join(p.para, " ")))
	} else if p.lastProse != "" {
		before = lastSentence(p.lastProse)
	}
	// The text before the display is a paragraph of its own.
	p.flush()
	for _, g := range groups {
		var latex []string
		labels := []string{}
		tag := ""
		for _, i := range g.Rows {
			if s := strings.TrimSpace(rows[i].text); s != "" {
				latex = append(latex, s)
			}
			labels = append(labels, rows[i].labels...)
			if rows[i].tagStar {
				tag = rows[i].tag
			}
		}
		src := strings.Join(latex, " \\\\\n")
		eq := doc.Equation{
			Number: g.Num, Tag: tag, Labels: labels, LaTeX: src, LaTeXExpanded: p.expand(src, line),
			Env: envName, Section: p.sec.Number, SectionTitle: p.sec.Title,
			Context: doc.Context{Before: before}, ReferencedIn: []doc.Ref{},
			File: p.file, Line: line, Block: p.eqBlock,
		}
		if len(labels) > 0 {
			eq.Label = labels[0]
		}
		if g.Num != nil {
			eq.ID = "eq-" + *g.Num
		} else {
			p.unnumbered++
			eq.ID = "eq-u" + strconv.Itoa(p.unnumbered)
		}
		for _, l := range labels {
			if p.d.Labels == nil {
				p.d.Labels = map[string]doc.Label{}
			}
			if _, dup := p.d.Labels[l]; dup {
				p.warnf(line, "label %q defined twice", l)
				continue
			}
			p.d.Labels[l] = doc.Label{Number: eq.NumberString(), Kind: "equation", File: p.file, Line: line}
		}
		p.d.Equations = append(p.d.Equations, eq)
		p.pendingAfter = append(p.pendingAfter, len(p.d.Equations)-1)
	}
	p.textAfter(after, line)
}

// textAfter starts the next paragraph with the text that follows a display
// on its closing line.
func (p *parser) textAfter(after string, line int) {
	after = strings.TrimSpace(after)
	if strings.Trim(after, ".,;: ") == "" {
		return
	}
	if len(p.para) == 0 {
		p.paraLine = line
	}
	p.para = append(p.para, after)
}

// mathRow is one row of a display.
type mathRow struct {
	text     string // the row as written, without a printed number
	labels   []string
	tag      string
	tagStar  bool
	noNumber bool
	printed  string // a number printed at the end of the row: "(3)"
}

var (
	numPat = `(\d{1,3}(?:\.\d{1,3}){0,2}[a-z]?|[A-Z]\.?\d{1,3}(?:\.\d{1,3})?[a-z]?|S\d{1,3})`
	// afterNumberRE matches a printed number right after a display.
	afterNumberRE = regexp.MustCompile(`^\s*[,.]?\s*\(` + numPat + `\)\s*[,.;]?`)
	// trailingNumberRE matches a number printed at the end of a row after
	// spacing: "\quad (3)", "\qquad(3.2)", "~~(4)".
	trailingNumberRE = regexp.MustCompile(`(?:\\q?quad|\\hfill|\\hspace\*?\{[^{}]{0,20}\}|~|\\,|\\;|&|\s{2,})\s*\(\s*` + numPat + `\s*\)\s*[,.]?\s*$`)
	crossrefRE       = regexp.MustCompile(`^\s*\{#([^{}\s]{1,100})\}`)
	labelRE          = regexp.MustCompile(`\\label\s*\{([^{}]{0,200})\}`)
	tagRE            = regexp.MustCompile(`\\tag(\*?)\s*\{([^{}]{0,100})\}`)
	noNumberRE       = regexp.MustCompile(`\\(?:nonumber|notag)\b`)
)

// readRow reads the marks of one row.
func readRow(s string) mathRow {
	rw := mathRow{text: strings.TrimSpace(s)}
	if strings.Contains(s, `\label`) {
		for _, m := range labelRE.FindAllStringSubmatch(s, -1) {
			rw.labels = append(rw.labels, strings.TrimSpace(m[1]))
		}
	}
	if strings.Contains(s, `\tag`) {
		if m := tagRE.FindStringSubmatch(s); m != nil {
			rw.tag = strings.TrimSpace(m[2])
			rw.tagStar = m[1] == "*"
		}
	}
	if strings.Contains(s, `\no`) && noNumberRE.MatchString(s) {
		rw.noNumber = true
	}
	if strings.HasSuffix(strings.TrimRight(rw.text, " .,"), ")") {
		if m := trailingNumberRE.FindStringSubmatchIndex(rw.text); m != nil {
			rw.printed = rw.text[m[2]:m[3]]
			rw.text = strings.TrimSpace(rw.text[:m[0]])
		}
	}
	return rw
}

// splitRows splits the body of a multi-row environment at \\ outside
// braces and nested environments; an empty last row is dropped.
func splitRows(body string) []string {
	var rows []string
	depth, envDepth, start := 0, 0, 0
	for i := 0; i < len(body); i++ {
		switch body[i] {
		case '{':
			depth++
		case '}':
			if depth > 0 {
				depth--
			}
		case '\\':
			if i+1 >= len(body) {
				continue
			}
			switch {
			case strings.HasPrefix(body[i:], `\begin{`):
				envDepth++
			case strings.HasPrefix(body[i:], `\end{`):
				if envDepth > 0 {
					envDepth--
				}
			case body[i+1] == '\\' && depth == 0 && envDepth == 0:
				rows = append(rows, body[start:i])
				j := i + 2
				// An optional spacing argument: \\[2pt].
				if k := skipBlank(body, j); k < len(body) && body[k] == '[' {
					if e := strings.IndexByte(body[k:], ']'); e >= 0 && e < 30 {
						j = k + e + 1
					}
				}
				start = j
				i = j - 1
				continue
			}
			i++ // skip the escaped character
		}
	}
	if last := body[start:]; strings.TrimSpace(stripComments(last)) != "" || len(rows) == 0 {
		rows = append(rows, last)
	}
	return rows
}

func skipBlank(s string, j int) int {
	for j < len(s) && (s[j] == ' ' || s[j] == '\n' || s[j] == '\t') {
		j++
	}
	return j
}

func stripComments(s string) string {
	if !strings.Contains(s, "%") {
		return s
	}
	var b strings.Builder
	for _, l := range strings.Split(s, "\n") {
		if i := strings.IndexByte(l, '%'); i >= 0 && (i == 0 || l[i-1] != '\\') {
			l = l[:i]
		}
		b.WriteString(l)
		b.WriteByte('\n')
	}
	return b.String()
}

// numberedLine reads a line of math ending with a printed number, as
// plain-text converters print a numbered display ("L = x + y    (3)"),
// and reports whether the line was one.
func (p *parser) numberedLine(t string) bool {
	if len(t) > 400 || !strings.HasSuffix(strings.TrimRight(t, " .,"), ")") {
		return false
	}
	m := lineNumberRE.FindStringSubmatchIndex(t)
	if m == nil {
		return false
	}
	math := strings.TrimSpace(t[:m[0]])
	if strings.HasPrefix(math, "$") && strings.HasSuffix(math, "$") {
		math = strings.Trim(math, "$")
	} else if !looksMath(math) {
		return false
	}
	if math == "" {
		return false
	}
	num := t[m[2]:m[3]]
	line := p.i + 1
	p.i++
	p.emitDisplay("equation", math, "("+num+")", line)
	return true
}

// lineNumberRE matches a number printed at the end of a line of math.
var lineNumberRE = regexp.MustCompile(`\s\(\s*` + numPat + `\s*\)\s*[.,]?\s*$`)

// looksMath reports whether a line reads as math rather than prose: it
// has a relation and few ordinary words.
func looksMath(s string) bool {
	if !strings.ContainsAny(s, "=<>≤≥∈≈∝→←⇒≡≜∼^_∑∏∫‖√") && !strings.Contains(s, `\`) && !strings.Contains(s, "||") {
		return false
	}
	words := 0
	for _, f := range strings.Fields(s) {
		if len(f) >= 4 && isLowerWord(f) {
			switch f {
			case "softmax", "argmax", "argmin", "where", "subject", "s.t.", "log", "exp":
				continue
			}
			words++
		}
	}
	return words <= 3
}

func isLowerWord(f string) bool {
	f = strings.TrimRight(f, ",.;:")
	for i := 0; i < len(f); i++ {
		if f[i] < 'a' || f[i] > 'z' {
			return false
		}
	}
	return f != ""
}
