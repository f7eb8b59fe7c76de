package enrich

import (
	"math"
	"regexp"
	"strconv"
	"strings"
	"unicode"

	"github.com/reprohq/repro/doc"
)

// checker cross-checks the model's items against the deterministic
// extraction.
type checker struct {
	d      *doc.Document
	corpus string // every piece of the paper's text, normalised, joined by \x00
	eqs    map[string]*doc.Equation
}

func newChecker(d *doc.Document) *checker {
	c := &checker{d: d, eqs: map[string]*doc.Equation{}}
	var pieces []string
	add := func(s string) {
		if n := normText(s); n != "" {
			pieces = append(pieces, n)
		}
	}
	add(d.Title)
	add(d.Abstract)
	for _, p := range d.Text {
		add(p.Text)
	}
	for _, f := range d.Figures {
		add(f.Caption)
		add(f.CaptionFull)
		for _, s := range f.Subfigures {
			add(s.Caption)
			add(s.CaptionFull)
		}
	}
	for _, t := range d.Tables {
		add(t.Caption)
		add(t.CaptionFull)
		for _, row := range t.Rows {
			cells := make([]string, len(row))
			for i, cell := range row {
				cells[i] = cell.Text
			}
			add(strings.Join(cells, " | "))
			add(strings.Join(cells, " "))
		}
	}
	for _, a := range d.Algorithms {
		add(a.Caption)
		add(a.CaptionFull)
		for _, s := range a.Steps {
			add(s.Text)
		}
	}
	for i := range d.Equations {
		eq := &d.Equations[i]
		add(eq.Context.Before)
		add(eq.Context.After)
		for _, n := range []string{eq.NumberString(), eq.Tag} {
			if n != "" {
				if _, ok := c.eqs[n]; !ok {
					c.eqs[n] = eq
				}
			}
		}
	}
	for _, h := range d.Hyperparameters {
		add(h.Source.Quote)
	}
	c.corpus = "\x00" + strings.Join(pieces, "\x00") + "\x00"
	return c
}

// equation finds a numbered equation by the number the model gave
// ("3.1", "(3.1)", "Eq. 3.1", "MHA").
func (c *checker) equation(num string) (*doc.Equation, bool) {
	n := strings.TrimSpace(num)
	for _, p := range []string{"Equation", "equation", "Eqn.", "Eq.", "eq.", "Eq", "eq"} {
		n = strings.TrimPrefix(n, p)
	}
	n = strings.TrimSpace(n)
	n = strings.TrimSuffix(strings.TrimPrefix(n, "("), ")")
	n = strings.TrimSpace(n)
	if n == "" {
		return nil, false
	}
	eq, ok := c.eqs[n]
	return eq, ok
}

// symbolIn reports whether the variable's symbol occurs in the equation,
// comparing normalised LaTeX (no spaces, braces, font commands or
// backslashes: W_q, W_{q} and \mathbf{W}_q are the same) in the equation as
// written and with the paper's macros expanded.
func (c *checker) symbolIn(sym string, eq *doc.Equation) bool {
	s := normMath(sym, false)
	if s == "" {
		return false
	}
	for _, l := range []string{eq.LaTeX, eq.LaTeXExpanded} {
		if strings.Contains(normMath(l, false), s) {
			return true
		}
	}
	return false
}

// minQuote is the shortest normalised quote that is checked; shorter ones
// would match almost anywhere.
const minQuote = 8

// quoted reports whether quote is in the paper: normalised (LaTeX markup,
// spaces and case ignored); an ellipsis may stand for left-out words.
func (c *checker) quoted(quote string) bool {
	q := strings.ReplaceAll(quote, "…", "...")
	total := 0
	for _, part := range strings.Split(q, "...") {
		p := normText(part)
		if p == "" {
			continue
		}
		if !strings.Contains(c.corpus, p) {
			return false
		}
		total += len(p)
	}
	return total >= minQuote
}

// hyperparameter says why h fails the cross-check, or "".
func (c *checker) hyperparameter(h Hyperparameter) string {
	if !c.quoted(h.Quote) {
		return "its quote is not in the paper: \"" + clip(h.Quote, 100) + "\""
	}
	if !valueInQuote(h.Value, h.Quote) {
		return "the value " + h.Value + " does not occur in its quote \"" + clip(h.Quote, 100) + "\""
	}
	return ""
}

// known reports whether the rules already found h: same value and either
// the same name or overlapping quotes.
func (c *checker) known(h Hyperparameter) bool {
	name := normName(h.Name)
	hq := normText(h.Quote)
	for _, k := range c.d.Hyperparameters {
		if !sameValue(h.Value, k) {
			continue
		}
		if normName(k.Name) == name {
			return true
		}
		kq := normText(k.Source.Quote)
		if kq != "" && hq != "" && (strings.Contains(kq, hq) || strings.Contains(hq, kq)) {
			return true
		}
	}
	return false
}

func sameValue(v string, k doc.Hyperparameter) bool {
	nums := numbersIn(v)
	switch x := k.Value.(type) {
	case float64:
		return len(nums) == 1 && approxEqual(nums[0], x)
	case []float64:
		if len(nums) != len(x) {
			return false
		}
		for i := range x {
			if !approxEqual(nums[i], x[i]) {
				return false
			}
		}
		return true
	case string:
		return normText(v) == normText(x)
	}
	return normText(v) == normText(k.Raw)
}

func approxEqual(a, b float64) bool {
	if a == b {
		return true
	}
	return math.Abs(a-b) <= 1e-9*math.Max(math.Abs(a), math.Abs(b))
}

// valueInQuote reports whether the value occurs in the quote: as numbers
// (3e-4 matches 3 \times 10^{-4}, 12000 matches 12,000, 100000 matches
// 100k) or, for a value that is not a number, as normalised text.
func valueInQuote(value, quote string) bool {
	vs := numbersIn(value)
	if len(vs) > 0 && isNumeric(value) {
		qs := numbersIn(quote)
		for _, v := range vs {
			found := false
			for _, q := range qs {
				if approxEqual(v, q) {
					found = true
					break
				}
			}
			if !found {
				return false
			}
		}
		return true
	}
	v := normText(value)
	return v != "" && strings.Contains(normText(quote), v)
}

// isNumeric reports whether s is mostly a number (digits, signs, exponents,
// separators, a multiplier suffix) rather than a word with digits in it.
func isNumeric(s string) bool {
	letters := 0
	for _, r := range normText(s) {
		if unicode.IsLetter(r) {
			letters++
		}
	}
	return letters <= 5 // "times", "e", "k", "m"
}

var (
	sciTimes = regexp.MustCompile(`(\d+(?:\.\d+)?)\s*(?:\\times|×|x|\*|\\cdot|·)\s*10\s*\^\s*\{?\s*([-−+]?\s*\d+)\s*\}?`)
	pow10    = regexp.MustCompile(`10\s*\^\s*\{?\s*([-−+]?\s*\d+)\s*\}?`)
	plainNum = regexp.MustCompile(`(\d[\d,]*(?:\.\d+)?|\.\d+)(?:[eE]([-+]?\d+))?\s*([kKMB])?`)
)

// numbersIn returns the numbers written in s, LaTeX scientific notation
// and k/M/B suffixes included.
func numbersIn(s string) []float64 {
	s = strings.NewReplacer("{,}", ",", "$", " ", "\\,", " ", "\\!", "", "~", " ", "−", "-").Replace(s)
	var out []float64
	take := func(re *regexp.Regexp, f func(m []string) (float64, bool)) {
		for _, m := range re.FindAllStringSubmatch(s, -1) {
			if v, ok := f(m); ok {
				out = append(out, v)
			}
		}
		s = re.ReplaceAllString(s, " ")
	}
	take(sciTimes, func(m []string) (float64, bool) {
		a, err1 := strconv.ParseFloat(m[1], 64)
		e, err2 := strconv.Atoi(strings.ReplaceAll(strings.ReplaceAll(m[2], " ", ""), "+", ""))
		return a * math.Pow(10, float64(e)), err1 == nil && err2 == nil
	})
	take(pow10, func(m []string) (float64, bool) {
		e, err := strconv.Atoi(strings.ReplaceAll(strings.ReplaceAll(m[1], " ", ""), "+", ""))
		return math.Pow(10, float64(e)), err == nil
	})
	for _, m := range plainNum.FindAllStringSubmatchIndex(s, -1) {
		num := strings.ReplaceAll(s[m[2]:m[3]], ",", "")
		v, err := strconv.ParseFloat(strings.TrimSuffix(num, "."), 64)
		if err != nil {
			continue
		}
		if m[2] > 0 && s[m[2]-1] == '-' {
			v = -v
		}
		if m[4] >= 0 {
			if e, err := strconv.Atoi(s[m[4]:m[5]]); err == nil {
				v *= math.Pow(10, float64(e))
			}
		}
		if m[6] >= 0 {
			// a suffix counts only when no letter follows it ("4k", not "4 Kernels")
			if m[7] >= len(s) || !unicode.IsLetter(rune(s[m[7]])) {
				v *= map[string]float64{"k": 1e3, "K": 1e3, "M": 1e6, "B": 1e9}[s[m[6]:m[7]]]
			}
		}
		out = append(out, v)
	}
	return out
}

// normName normalises a hyperparameter name: learning-rate, Learning Rate
// and learning_rate are the same.
func normName(s string) string {
	s = strings.ToLower(strings.TrimSpace(s))
	return strings.Join(strings.FieldsFunc(s, func(r rune) bool {
		return !unicode.IsLetter(r) && !unicode.IsDigit(r)
	}), "_")
}

// fontCommands are markup that does not change what a symbol is.
var fontCommands = regexp.MustCompile(`\\(?:mathbf|mathrm|mathit|mathsf|mathtt|mathcal|mathbb|mathscr|mathfrak|boldsymbol|bm|vec|mat|operatorname|text|textbf|textit|textrm|emph|mbox|left|right|bigl|bigr|Bigl|Bigr|big|Big|displaystyle|quad|qquad|nonumber|notag)\b|\\label\{[^}]*\}`)

var greek = strings.NewReplacer(
	"α", `\alpha`, "β", `\beta`, "γ", `\gamma`, "δ", `\delta`, "ε", `\epsilon`, "ϵ", `\epsilon`,
	"ζ", `\zeta`, "η", `\eta`, "θ", `\theta`, "κ", `\kappa`, "λ", `\lambda`, "μ", `\mu`,
	"ν", `\nu`, "ξ", `\xi`, "π", `\pi`, "ρ", `\rho`, "σ", `\sigma`, "τ", `\tau`, "φ", `\phi`,
	"ϕ", `\phi`, "χ", `\chi`, "ψ", `\psi`, "ω", `\omega`, "Γ", `\Gamma`, "Δ", `\Delta`,
	"Θ", `\Theta`, "Λ", `\Lambda`, "Σ", `\Sigma`, "Φ", `\Phi`, "Ψ", `\Psi`, "Ω", `\Omega`,
	"×", `\times`, "·", `\cdot`, "⊤", `\top`, `\varepsilon`, `\epsilon`, `\varphi`, `\phi`,
	"“", `"`, "”", `"`, "‘", "'", "’", "'", "–", "-", "—", "-", "−", "-", "\u00a0", " ",
	`\%`, "%", `\&`, "&", `\_`, "_", "``", `"`, "''", `"`, "---", "-", "--", "-",
	`\,`, "", `\!`, "", `\;`, "", `\:`, "", `\ `, " ", "~", " ",
)

// normMath normalises LaTeX for comparison: markup, braces, $, spaces, sub-
// and superscript marks and backslashes dropped; lowercased when lower.
func normMath(s string, lower bool) string {
	s = greek.Replace(s)
	s = fontCommands.ReplaceAllString(s, "")
	var b strings.Builder
	for _, r := range s {
		switch {
		case unicode.IsSpace(r), r == '{', r == '}', r == '$', r == '\\', r == '_', r == '^':
			continue
		}
		if lower {
			r = unicode.ToLower(r)
		}
		b.WriteRune(r)
	}
	return b.String()
}

// normText normalises prose for quote matching: as normMath, lowercased,
// with trailing punctuation at the ends dropped.
func normText(s string) string {
	n := normMath(s, true)
	return strings.Trim(n, ".,;:!?\"'")
}
