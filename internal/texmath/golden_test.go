package texmath

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/reprohq/repro/internal/golden"
)

// TestGolden pins the trees and the printed forms of testdata/equations.tex.
func TestGolden(t *testing.T) {
	src, err := os.ReadFile(filepath.Join("testdata", "equations.tex"))
	if err != nil {
		t.Fatal(err)
	}
	var b strings.Builder
	for _, line := range strings.Split(string(src), "\n") {
		line = strings.TrimSpace(line)
		if line == "" || strings.HasPrefix(line, "%") {
			continue
		}
		n, err := Parse(line)
		b.WriteString(line + "\n")
		if err != nil {
			b.WriteString("  error: " + err.Error() + "\n")
		}
		b.WriteString("  tree: " + n.String() + "\n")
		b.WriteString("  tex:  " + Format(n) + "\n\n")
		checkRoundTrip(t, line)
	}
	golden.CheckString(t, filepath.Join("testdata", "equations.golden"), b.String())
}
