package texmath

import (
	"testing"
	"time"
)

// TestPathological checks that nested and repeated constructs parse in
// linear-ish time: no backtracking blows up.
func TestPathological(t *testing.T) {
	rep := func(s string, n int) string {
		out := ""
		for i := 0; i < n; i++ {
			out += s
		}
		return out
	}
	for _, s := range []string{
		rep("(", 2000), rep("|a", 2000), rep(`\left(`, 1000), rep("{", 2000), rep(`x^`, 2000),
		rep(`\frac{`, 1000), rep(`a \\ &= `, 1000), rep(`\sqrt[`, 1000), rep(`\|a`, 2000),
		rep(`\stackrel{`, 800), rep(`\sum_{i=1}^{N} `, 500), rep(`\mathbin{\underset{a}{`, 500),
		rep(`\begin{cases}`, 500), rep(`a(`, 1500), rep(`\text{`, 1000), rep(`\operatorname*{`, 800),
		rep(`\textrm{a($`, 500), rep(`\text{a($`, 500), rep(`\not\not`, 1000), rep(`\mathop{\mathop{`, 500),
		rep(`\mathrel{`, 800), rep(`\mathbin{`, 800), rep(`\underset{`, 800), rep(`\left\{`, 800), rep(`\|\mathbin{\underset{x}{`, 300),
	} {
		start := time.Now()
		Parse(s)
		if d := time.Since(start); d > 3*time.Second {
			t.Errorf("%v to parse %d bytes of %.20q...", d, len(s), s)
		}
	}
}
