package plain

import (
	"os"
	"strings"
	"testing"

	"github.com/reprohq/repro/internal/golden"
	"github.com/reprohq/repro/internal/latex"
)

// TestCorpus renders every \caption, \title, \author and \section argument
// of the real papers in the shared corpus (read only) and checks that the
// text is clean: no panic, collapsed whitespace, no comment or \cite left.
func TestCorpus(t *testing.T) {
	want := map[string]bool{`\caption`: true, `\title`: true, `\author`: true, `\section`: true, `\subsection`: true}
	n := 0
	for _, path := range golden.CorpusTeX(t) {
		src, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		toks := latex.Scan(string(src), 0)
		for i, tk := range toks {
			if tk.Kind != latex.Command || !want[tk.Text] {
				continue
			}
			j := SkipArgs(toks, i+1, "so")
			arg, _, ok := Group(toks, j)
			if !ok {
				continue
			}
			in := Join(arg)
			out := Text(in)
			n++
			if strings.TrimSpace(out) != out || strings.Contains(out, "  ") {
				t.Errorf("%s: %q renders unclean %q", path, in, out)
			}
			if strings.Contains(out, `\cite`) || strings.Contains(out, `\label`) {
				t.Errorf("%s: %q renders %q", path, in, out)
			}
		}
	}
	t.Logf("%d fragments rendered", n)
}
