package bib

import (
	"flag"
	"strconv"
	"strings"
	"testing"
	"time"
)

var scaling = flag.Bool("scaling", false, "check that parse time grows linearly with the input (timing-sensitive; use on an idle machine)")

// TestPathological feeds both parsers large adversarial inputs, fragments
// repeated n times that each start something never finished, and checks that
// they finish in reasonable time. With -scaling it also checks that the
// parsers stay linear: quadrupling n must not multiply the time by much more
// than four.
func TestPathological(t *testing.T) {
	if testing.Short() {
		t.Skip("slow")
	}
	for name, gen := range pathological() {
		t.Run(name, func(t *testing.T) {
			if !*scaling {
				run := gen(10000)
				start := time.Now()
				run()
				if d := time.Since(start); d > 10*time.Second {
					t.Errorf("n=10000 took %v", d)
				}
				return
			}
			small, large := minTime(gen, 2500), minTime(gen, 10000)
			if large > 50*time.Millisecond && large > 10*small {
				t.Errorf("time grows faster than the input: %v for n=2500, %v for n=10000", small, large)
			}
		})
	}
}

// minTime returns the shortest of three runs of gen's parse at size n.
func minTime(gen func(n int) func(), n int) time.Duration {
	run := gen(n)
	best := time.Duration(1<<63 - 1)
	for range 3 {
		start := time.Now()
		run()
		best = min(best, time.Since(start))
	}
	return best
}

func pathological() map[string]func(n int) func() {
	cases := map[string]func(n int) func(){}
	for name, src := range bibCases {
		cases["bib "+name] = func(n int) func() {
			b := []byte(src(n))
			return func() {
				entries, _ := ParseBib("p.bib", b)
				References(entries)
			}
		}
	}
	for name, src := range bblCases {
		cases["bbl "+name] = func(n int) func() {
			b := []byte(src(n))
			return func() { ParseBbl("p.bbl", b) }
		}
	}
	return cases
}

// rep returns a generator of prefix + n copies of frag + suffix.
func rep(prefix, frag, suffix string) func(n int) string {
	return func(n int) string { return prefix + strings.Repeat(frag, n) + suffix }
}

var bibCases = map[string]func(n int) string{
	"open braces":        rep("", "{", ""),
	"close braces":       rep("", "}", ""),
	"at signs":           rep("", "@", ""),
	"at type":            rep("", "@a", ""),
	"comments":           rep("", "@comment{", ""),
	"preambles":          rep("", "@preamble{", ""),
	"unclosed values":    rep("", "@a{k,t={", ""),
	"unclosed lines":     rep("", "@a{k,t={\n", ""),
	"unclosed quotes":    rep("", `@a{k,t="`, ""),
	"many fields":        rep("@a{k,", "t={x},", ""),
	"missing commas":     rep("@a{k,", "t={x} ", ""),
	"missing equals":     rep("@a{k,", "t ", ""),
	"concatenation":      rep("@a{k,t=", "x#", "}"),
	"undefined macros":   rep("@a{k,t=", "x#", "}"),
	"urls in a value":    rep("@a{k,t={", `\url{`, "}"),
	"accents in a value": rep("@a{k,t={", `\"{`, "}"),
	"arxiv words":        rep("@a{k,note={", "arXiv ", "}}"),
	"dois":               rep("@a{k,doi={", "10.1", "}}"),
	"and names":          rep("@a{k,author={", "a and ", "}}"),
	"crossref chain":     crossrefChain,
}

var bblCases = map[string]func(n int) string{
	"bibitems":        rep("", `\bibitem`, ""),
	"open labels":     rep("", `\bibitem[`, ""),
	"open keys":       rep("", `\bibitem{`, ""),
	"entries":         rep("", `\entry{`, ""),
	"fields":          rep(`\entry{k}{t}{}`, `\field{`, ""),
	"names":           rep(`\entry{k}{t}{}\name{author}{1}{}{`, `{{}{family={x}}}`, "}"),
	"verbs":           rep(`\entry{k}{t}{}`, "\\verb{x}\n", ""),
	"bibinfo":         rep(`\bibitem{k}`, `\bibinfo{`, ""),
	"urls":            rep(`\bibitem{k}`, `\url{`, ""),
	"dois":            rep(`\bibitem{k}`, `\doi{`, ""),
	"newblocks":       rep(`\bibitem{k}`, `\newblock a, `, ""),
	"quotes":          rep(`\bibitem{k}`, "``", ""),
	"comments":        rep("", "%\\bibitem{k}\n", ""),
	"arxiv words":     rep(`\bibitem{k}`, "arXiv ", ""),
	"years":           rep(`\bibitem{k}`, "2020 ", ""),
	"braces":          rep(`\bibitem{k}`, "{", ""),
	"emph":            rep(`\bibitem{k}a\newblock b\newblock `, `\emph{`, ""),
	"author commas":   rep(`\bibitem{k}`, "Doe, J., ", `\newblock T.`),
	"definitions":     rep("", `\def\bibitem`, ""),
	"endentry absent": rep("", `\entry{k}{t}{}\field{title}{x}`, ""),
}

// crossrefChain returns n/4 entries, each crossref'ing the next.
func crossrefChain(n int) string {
	var b strings.Builder
	for i := 0; i < n/4; i++ {
		b.WriteString("@a{k")
		b.WriteString(strings.Repeat("x", i%7))
		b.WriteString(itoa(i))
		b.WriteString(",crossref={k")
		b.WriteString(strings.Repeat("x", (i+1)%7))
		b.WriteString(itoa(i + 1))
		b.WriteString("},f")
		b.WriteString(itoa(i % 50))
		b.WriteString("={v}}\n")
	}
	return b.String()
}

func itoa(i int) string { return strconv.Itoa(i) }
