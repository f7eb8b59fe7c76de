package algo

import (
	"strings"
	"testing"
	"time"
)

// TestAdversarial checks that Parse stays fast on large pathological
// bodies: deep block nesting, unclosed environments, many comments.
//
// The time bound is loose on purpose (the machine may be shared): it
// catches quadratic blow-ups, which take minutes here, not slow runs.
func TestAdversarial(t *testing.T) {
	const n = 5000
	inputs := map[string]string{
		"nested a2e blocks":  strings.Repeat(`\For{a}{`, n),
		"nested groups":      strings.Repeat(`{\;`, n),
		"unclosed envs":      strings.Repeat(`\begin{algorithmic}`, n),
		"opened ifs":         `\begin{algorithmic}` + strings.Repeat(`\IF{a}`, n),
		"comments":           `\begin{algorithmic}` + strings.Repeat(`\STATE \COMMENT{`, n),
		"ends":               `\begin{algorithmic}` + strings.Repeat(`\ENDFOR`, n),
		"functions":          strings.Repeat(`\SetKwFunction{F}{f}\F{`, n),
		"parens":             strings.Repeat(`\If(`, n),
		"repeat":             strings.Repeat(`\Repeat{`, n),
		"statements":         strings.Repeat(`x\; `, 10*n),
		"lines":              strings.Repeat("line\\\\\n", 10*n),
		"math in statements": strings.Repeat(`$a\;b$ \; `, 5*n),
	}
	for name, in := range inputs {
		start := time.Now()
		r := Parse(in)
		if d := time.Since(start); d > 10*time.Second {
			t.Errorf("%s: %v for %d bytes", name, d, len(in))
		}
		checkResult(t, r)
	}
}
