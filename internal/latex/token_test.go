package latex

import (
	"strings"
	"testing"

	// No golden files here; the import registers -update so that
	// "go test ./... -update" works across the module.
	_ "github.com/reprohq/repro/internal/golden"
)

func kinds(toks []Token) string {
	var b strings.Builder
	for i, t := range toks {
		if i > 0 {
			b.WriteByte(' ')
		}
		b.WriteString(t.Kind.String())
		b.WriteByte('(')
		b.WriteString(t.Text)
		b.WriteByte(')')
	}
	return b.String()
}

func TestScan(t *testing.T) {
	tests := []struct{ src, want string }{
		{`\frac{a}{b}`, `Command(\frac) BeginGrp({) Word(a) EndGrp(}) BeginGrp({) Word(b) EndGrp(})`},
		{`a\\b`, `Word(a) Command(\\) Word(b)`},
		{`\section*{X}`, `Command(\section) Other(*) BeginGrp({) Word(X) EndGrp(})`},
		{"x % c\n  y", "Word(x) Space( ) Comment(% c\n  ) Word(y)"},
		{"a\n\nb", "Word(a) Par(\n\n) Word(b)"},
		{`$x^2_i$`, `MathShift($) Word(x) Sup(^) Word(2) Sub(_) Word(i) MathShift($)`},
		{`#1##`, `Param(#1) Param(##)`},
		{`\verb|\x{|y`, `Verbatim(\verb|\x{|) Word(y)`},
		{"\\begin{verbatim}\\begin{equation}\\end{verbatim}z", "Verbatim(\\begin{verbatim}\\begin{equation}\\end{verbatim}) Word(z)"},
		{`\begin{comment}x`, `Verbatim(\begin{comment}x)`},
		{`\makeatletter\c@equation`, `Command(\makeatletter) Command(\c@equation)`},
		{`\`, `Other(\)`},
		{`\verb`, `Command(\verb)`},
		{`é\'e~&`, `Word(é) Command(\') Word(e) Active(~) AlignTab(&)`},
	}
	for _, tt := range tests {
		if got := kinds(Scan(tt.src, 0)); got != tt.want {
			t.Errorf("Scan(%q)\n got %s\nwant %s", tt.src, got, tt.want)
		}
	}
}

// FuzzScan checks the tokenizer's invariants: it terminates, every token
// is non-empty, positions are in order, and the tokens give the source
// back exactly.
func FuzzScan(f *testing.F) {
	for _, s := range []string{`\verb|x|`, "%\n", `\\`, `$$a$$`, `\begin{verbatim}}\end{verbatim}`, `{{{`, `}`,
		"\xff\xfe", `\(`, `\[\]`, `\begin{comment}`, `\lstinline[x]{y}`, `\mintinline{py}{x}`, `#`, "a\r\n\r\nb"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, src string) {
		toks := Scan(src, 3)
		var b strings.Builder
		pos := int32(0)
		for _, tk := range toks {
			if tk.Text == "" {
				t.Fatalf("empty token at %d", tk.Pos)
			}
			if tk.Pos != pos || tk.File != 3 {
				t.Fatalf("token %q at %d, want %d", tk.Text, tk.Pos, pos)
			}
			pos += int32(len(tk.Text))
			b.WriteString(tk.Text)
		}
		if b.String() != src {
			t.Fatalf("tokens do not give the source back")
		}
	})
}

func BenchmarkScan(b *testing.B) {
	src := strings.Repeat(`We define \begin{equation} \mathcal{L} = \sum_{i=1}^N \log p(x_i) \label{eq:x} \end{equation} % c
where $x$ is the input. `, 2000)
	b.SetBytes(int64(len(src)))
	for b.Loop() {
		Scan(src, 0)
	}
}
