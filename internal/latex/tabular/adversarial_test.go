package tabular

import (
	"strings"
	"testing"
	"time"
)

// TestAdversarial checks that Parse stays fast and bounded on large
// pathological bodies.
//
// The time bound is loose on purpose (the machine may be shared): it
// catches quadratic blow-ups, which take minutes here, not slow runs.
func TestAdversarial(t *testing.T) {
	const n = 5000
	inputs := map[string][2]string{
		"empty multirows":   {"l", strings.Repeat(`\multirow{1024}{*}{} & \\`, n)},
		"wide multirows":    {"l", strings.Repeat(`\multicolumn{64}{c}{\multirow{1024}{*}{x}} \\`, n)},
		"wide multicolumns": {"l", strings.Repeat(`\multicolumn{64}{c}{x}\\`, n)},
		"many tabs":         {"l", strings.Repeat(`&`, 20*n)},
		"many rows":         {"l", strings.Repeat(`\\`, 20*n)},
		"tabs then rows":    {"l", strings.Repeat(`&`, 20*n) + strings.Repeat(`\\ x`, 20*n)},
		"open braces":       {"l", strings.Repeat(`{`, 20*n)},
		"negative spans":    {"ll", strings.Repeat(` & \\ \multirow{-1024}{*}{x} & \\`, n)},
		"nested envs":       {"l", strings.Repeat(`\begin{tabular}{c}`, n)},
		"big colspec":       {strings.Repeat(`*{64}{`, n), `a & b`},
	}
	for name, in := range inputs {
		start := time.Now()
		grid := Parse(in[0], in[1])
		t.Logf("%s: %v", name, time.Since(start))
		if d := time.Since(start); d > 10*time.Second {
			t.Errorf("%s: %v for %d bytes", name, d, len(in[1]))
		}
		cells := 0
		for _, row := range grid {
			cells += len(row)
		}
		if cells > 2*maxGrid+len(in[1]) {
			t.Errorf("%s: %d cells", name, cells)
		}
	}
}
