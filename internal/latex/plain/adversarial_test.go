package plain

import (
	"strings"
	"testing"
	"time"
)

// TestAdversarial feeds large pathological inputs (unclosed brackets,
// braces and math, deep nesting) and checks that Text stays fast: every
// look-ahead is bounded or consumes what it scans.
//
// The time bound is loose on purpose (the machine may be shared): it
// catches quadratic blow-ups, which take minutes here, not slow runs.
func TestAdversarial(t *testing.T) {
	const n = 20000
	inputs := map[string]string{
		"unclosed optionals": strings.Repeat(`\foo[`, n),
		"brace dollars":      strings.Repeat(`{$`, n),
		"nested href":        strings.Repeat(`\href{a}{`, n),
		"nested accents":     strings.Repeat(`\'{`, n),
		"url comments":       strings.Repeat("\\url{a%}\n", n),
		"dollars":            strings.Repeat(`$`, n),
		"math envs":          strings.Repeat(`\begin{equation}`, n),
		"parens":             strings.Repeat(`\( \[ `, n),
		"ensuremath":         strings.Repeat(`\ensuremath{`, n),
		"deep groups":        strings.Repeat(`\textbf{`, n) + strings.Repeat("}", n),
		"cites":              strings.Repeat(`(\cite{a}) `, n),
		"dimensions":         strings.Repeat(`\hskip 1pt plus `, n),
		"items":              strings.Repeat(`\item[\item[`, n),
	}
	for name, in := range inputs {
		start := time.Now()
		out := Text(in)
		t.Logf("%s: %v", name, time.Since(start))
		if d := time.Since(start); d > 10*time.Second {
			t.Errorf("%s: %v for %d bytes", name, d, len(in))
		}
		if strings.Contains(out, "  ") {
			t.Errorf("%s: uncollapsed output", name)
		}
	}
}
