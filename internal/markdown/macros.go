package markdown

import (
	"strconv"
	"strings"
)

// macro is a definition found in the text: \newcommand, \def or
// \DeclareMathOperator.
type macro struct {
	params int
	def    string
	hasDef bool
	body   string
	kind   string
}

// Bounds on definitions and expansion.
const (
	maxGroup         = 4000    // bytes a braced argument may span
	maxDepth         = 12      // nested expansions
	maxExpansions    = 20000   // per display
	maxDocExpansions = 2000000 // per document
	maxExpandRatio   = 20
)

// collectMacros reads every definition in the text, so that displays can
// be expanded with the paper's own macros.
func (p *parser) collectMacros() {
	for i, l := range p.lines {
		if !strings.Contains(l, `\newcommand`) && !strings.Contains(l, `\renewcommand`) && !strings.Contains(l, `\providecommand`) &&
			!strings.Contains(l, `\def\`) && !strings.Contains(l, `\DeclareMathOperator`) {
			continue
		}
		// A definition may go on over a few lines.
		s := l
		for j := i + 1; j < len(p.lines) && j <= i+5 && braceBalance(s) > 0 && len(s) < maxGroup; j++ {
			s += "\n" + p.lines[j]
		}
		parseDefs(s, func(name string, m macro) {
			if p.macros == nil {
				p.macros = map[string]macro{}
			}
			if _, ok := p.macros[name]; ok && m.kind == "providecommand" {
				return
			}
			if m.kind == "providecommand" {
				m.kind = "newcommand"
			}
			if _, ok := p.macros[name]; !ok {
				p.macroOrder = append(p.macroOrder, name)
			}
			p.macros[name] = m
		})
	}
}

func braceBalance(s string) int {
	n := 0
	for i := 0; i < len(s); i++ {
		switch s[i] {
		case '\\':
			i++
		case '{':
			n++
		case '}':
			n--
		}
	}
	return n
}

// parseDefs calls add for each definition in s and returns the spans of
// the definitions.
func parseDefs(s string, add func(name string, m macro)) [][2]int {
	var spans [][2]int
	for i := 0; i < len(s); {
		j := strings.IndexByte(s[i:], '\\')
		if j < 0 {
			break
		}
		start := i + j
		name, k := cmdName(s, start)
		i = k
		switch name {
		case "newcommand", "renewcommand", "providecommand":
			k = skipStar(s, k)
			mname, k2, ok := macroName(s, k)
			if !ok {
				continue
			}
			k = skipBlank(s, k2)
			m := macro{kind: name}
			if k < len(s) && s[k] == '[' {
				e := strings.IndexByte(s[k:], ']')
				if e < 0 || e > 4 {
					continue
				}
				m.params, _ = strconv.Atoi(strings.TrimSpace(s[k+1 : k+e]))
				m.params = max(0, min(m.params, 9))
				k = skipBlank(s, k+e+1)
				if k < len(s) && s[k] == '[' {
					e := strings.IndexByte(s[k:], ']')
					if e < 0 || e > maxGroup {
						continue
					}
					m.def, m.hasDef = s[k+1:k+e], true
					k = skipBlank(s, k+e+1)
				}
			}
			body, k3, ok := group(s, k)
			if !ok {
				continue
			}
			m.body = strings.TrimSpace(body)
			add(mname, m)
			spans = append(spans, [2]int{start, k3})
			i = k3
		case "def":
			mname, k2 := cmdName(s, skipBlank(s, k))
			if mname == "" {
				continue
			}
			// Parameters: #1#2 before the body.
			e := strings.IndexByte(s[k2:], '{')
			if e < 0 || e > 20 {
				continue
			}
			params := strings.Count(s[k2:k2+e], "#")
			body, k3, ok := group(s, k2+e)
			if !ok {
				continue
			}
			add(`\`+mname, macro{params: min(params, 9), body: strings.TrimSpace(body), kind: "def"})
			spans = append(spans, [2]int{start, k3})
			i = k3
		case "DeclareMathOperator":
			k = skipBlank(s, k)
			star := k < len(s) && s[k] == '*'
			k = skipStar(s, k)
			mname, k2, ok := macroName(s, k)
			if !ok {
				continue
			}
			body, k3, ok := group(s, skipBlank(s, k2))
			if !ok {
				continue
			}
			op := `\operatorname`
			if star {
				op += "*"
			}
			add(mname, macro{body: op + "{" + strings.TrimSpace(body) + "}", kind: "operator"})
			spans = append(spans, [2]int{start, k3})
			i = k3
		}
	}
	return spans
}

// stripDefs removes the definitions from s.
func stripDefs(s string) string {
	spans := parseDefs(s, func(string, macro) {})
	if len(spans) == 0 {
		return s
	}
	var b strings.Builder
	last := 0
	for _, sp := range spans {
		b.WriteString(s[last:sp[0]])
		last = sp[1]
	}
	b.WriteString(s[last:])
	return b.String()
}

// cmdName reads the control sequence at s[i] == '\\' and returns its name
// (letters, or one other character) and the index after it.
func cmdName(s string, i int) (string, int) {
	j := i + 1
	if j >= len(s) {
		return "", j
	}
	if !isLetter(s[j]) {
		return s[j : j+1], j + 1
	}
	for j < len(s) && isLetter(s[j]) {
		j++
	}
	return s[i+1 : j], j
}

func isLetter(c byte) bool { return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' }

func skipStar(s string, k int) int {
	k = skipBlank(s, k)
	if k < len(s) && s[k] == '*' {
		k++
	}
	return skipBlank(s, k)
}

// macroName reads "{\name}" or "\name" at s[k].
func macroName(s string, k int) (string, int, bool) {
	k = skipBlank(s, k)
	if k >= len(s) {
		return "", k, false
	}
	braced := s[k] == '{'
	if braced {
		k = skipBlank(s, k+1)
	}
	if k >= len(s) || s[k] != '\\' {
		return "", k, false
	}
	name, k2 := cmdName(s, k)
	if name == "" {
		return "", k2, false
	}
	if braced {
		k2 = skipBlank(s, k2)
		if k2 >= len(s) || s[k2] != '}' {
			return "", k2, false
		}
		k2++
	}
	return `\` + name, k2, true
}

// group reads the braced group at s[k] and returns its content and the
// index after it; groups longer than maxGroup are refused.
func group(s string, k int) (string, int, bool) {
	if k >= len(s) || s[k] != '{' {
		return "", k, false
	}
	depth := 0
	for i := k; i < len(s) && i-k <= maxGroup; i++ {
		switch s[i] {
		case '\\':
			i++
		case '{':
			depth++
		case '}':
			depth--
			if depth == 0 {
				return s[k+1 : i], i + 1, true
			}
		}
	}
	return "", k, false
}

// expand returns src with the paper's macros expanded.
func (p *parser) expand(src string, line int) string {
	if len(p.macros) == 0 || !strings.Contains(src, `\`) {
		return src
	}
	if p.expandBudget == 0 {
		p.expandBudget = maxDocExpansions
	}
	e := &expander{macros: p.macros, budget: min(maxExpansions, p.expandBudget), limit: len(src)*maxExpandRatio + 10000}
	out := e.run(src, 0)
	p.expandBudget = max(1, p.expandBudget-(min(maxExpansions, p.expandBudget)-max(0, e.budget)))
	if e.stopped {
		if !p.expandWarn {
			p.warnf(line, "macro expansion stopped (recursive or too large macro); the display is kept as written")
			p.expandWarn = true
		}
		return src
	}
	return out
}

type expander struct {
	macros  map[string]macro
	budget  int
	limit   int
	stopped bool
}

func (e *expander) run(s string, depth int) string {
	if depth > maxDepth {
		e.stopped = true
		return s
	}
	var b strings.Builder
	for i := 0; i < len(s); {
		if e.stopped {
			return s
		}
		if s[i] != '\\' {
			j := strings.IndexByte(s[i:], '\\')
			if j < 0 {
				j = len(s) - i
			}
			b.WriteString(s[i : i+j])
			i += j
			continue
		}
		name, k := cmdName(s, i)
		m, ok := e.macros[`\`+name]
		if !ok {
			b.WriteString(s[i:k])
			i = k
			continue
		}
		e.budget--
		if e.budget < 0 || b.Len() > e.limit {
			e.stopped = true
			return s
		}
		args := make([]string, m.params)
		for a := 0; a < m.params; a++ {
			k = skipBlank(s, k)
			if a == 0 && m.hasDef {
				if k < len(s) && s[k] == '[' {
					if end := strings.IndexByte(s[k:], ']'); end >= 0 && end < maxGroup {
						args[0], k = s[k+1:k+end], k+end+1
						continue
					}
				}
				args[0] = m.def
				continue
			}
			if g, k2, ok := group(s, k); ok {
				args[a], k = g, k2
			} else if k < len(s) && s[k] == '\\' {
				_, k2 := cmdName(s, k)
				args[a], k = s[k:k2], k2
			} else if k < len(s) {
				args[a], k = s[k:k+1], k+1
			}
		}
		body := m.body
		if m.params > 0 && strings.Contains(body, "#") {
			var bb strings.Builder
			for j := 0; j < len(body); j++ {
				if body[j] == '#' && j+1 < len(body) && body[j+1] >= '1' && body[j+1] <= '9' {
					if n := int(body[j+1] - '1'); n < len(args) {
						bb.WriteString(args[n])
					}
					j++
					continue
				}
				bb.WriteByte(body[j])
			}
			body = bb.String()
		}
		out := e.run(body, depth+1)
		b.WriteString(out)
		// Keep a control word from running into the letters after it.
		if k < len(s) && isLetter(s[k]) && out != "" && isLetter(out[len(out)-1]) && strings.Contains(out, `\`) {
			b.WriteByte(' ')
		}
		i = k
	}
	return b.String()
}
