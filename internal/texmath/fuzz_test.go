package texmath

import (
	"strings"
	"testing"
	"unicode/utf8"
)

// FuzzParse checks that Parse never panics nor loops, that errors carry an
// offset inside the source, that node offsets stay inside it, and that what
// Format prints parses again.
func FuzzParse(f *testing.F) {
	for _, s := range roundTripInputs {
		f.Add(s)
	}
	for _, s := range []string{
		`\frac{`, `\left(`, `|a|b|`, `x^`, `_`, `\begin{cases}`, `\end{x}`, `{{{{`, `\sqrt[`, `a \\ & = `,
		`\operatorname*{arg\,max}`, `\mathbb{E}_{x}[`, `\text{$a`, `x_{\frac{}{}}`, `\left. \right|_{x}`,
		`\ltx@label{`, `\edef\@x{`, `\hskip`, `|||`, `\|\|`, `(((((((())`, `\sum_{\substack{a\\b}}`,
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, src string) {
		if len(src) > 4000 {
			return
		}
		n, err := Parse(src)
		if n == nil {
			t.Fatal("nil tree")
		}
		if err != nil {
			perr, ok := err.(*Error)
			if !ok {
				t.Fatalf("error %T", err)
			}
			if strings.HasPrefix(perr.Msg, "internal error") {
				t.Fatalf("panic: %v", err)
			}
			if perr.Offset < 0 || perr.Offset > len(src) {
				t.Fatalf("offset %d outside [0, %d]", perr.Offset, len(src))
			}
		}
		Walk(n, func(m *Node) bool {
			if m.Pos < 0 || m.End > len(src) || m.Pos > m.End {
				t.Fatalf("node %v at [%d, %d) outside the source (%d bytes)", m.Kind, m.Pos, m.End, len(src))
			}
			return true
		})
		_ = n.String()
		printed := Format(n)
		if utf8.ValidString(src) && !utf8.ValidString(printed) {
			t.Fatalf("Format made invalid UTF-8: %q", printed)
		}
		if m, err := Parse(printed); err != nil && strings.HasPrefix(err.Error(), "offset 0: internal error") || m == nil {
			t.Fatalf("reparse of %q: %v", printed, err)
		}
	})
}
