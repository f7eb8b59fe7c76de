package plain

import (
	"os"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/reprohq/repro/internal/golden"
	"github.com/reprohq/repro/internal/latex"
)

func scan(s string) []latex.Token { return latex.Scan(s, 0) }

func TestText(t *testing.T) {
	tests := []struct{ name, in, want string }{
		{"empty", "", ""},
		{"spaces", "  a \n\t b  ", "a b"},
		{"comment", "a % gone\n b", "a b"},
		{"comment joins lines", "foo%\nbar", "foobar"},
		{"par", "a\n\n\nb", "a b"},
		{"bold italic", `\textbf{Deep} \emph{learning}`, "Deep learning"},
		{"switches", `{\bf A} {\it B} {\small C} \centering D`, "A B C D"},
		{"mathrm outside math", `\mathrm{ReLU}`, "ReLU"},
		{"mbox", `\mbox{no break} \hbox{box}`, "no break box"},
		{"underline uline", `\underline{u} \uline{v}`, "u v"},
		{"textsc texttt", `\textsc{Bert} and \texttt{code}`, "Bert and code"},
		{"cite dropped", `as shown~\cite{a,b}.`, "as shown."},
		{"citep dropped", `prior work \citep[see][p.~3]{key} and more`, "prior work and more"},
		{"cite in parens", `a method (\citep{x}) works`, "a method works"},
		{"citet kept", `\citet{smith20} show`, "[smith20] show"},
		{"ref", `Table~\ref{tab:main}`, "Table [tab:main]"},
		{"eqref", `Eq.~\eqref{eq:attn}`, "Eq. [eq:attn]"},
		{"cref", `\cref{fig:a,fig:b}`, "[fig:a,fig:b]"},
		{"label", `Intro\label{sec:intro}`, "Intro"},
		{"footnote", `word\footnote{a note}, next`, "word, next"},
		{"footnote before period", `word \footnote{a note}.`, "word."},
		{"url", `\url{https://x.org/a_b%20c}`, "https://x.org/a_b%20c"},
		{"url percent rest of line", "\\url{a.org/x%20y} is here\nnext", "a.org/x%20y is here next"},
		{"url escaped brace", `\url{a\}b}c`, "a}bc"},
		{"href", `\href{https://x.org}{the site}`, "the site"},
		{"href empty text", `\href{https://x.org}{}`, "https://x.org"},
		{"acute", `Caf\'e`, "Café"},
		{"umlaut", `na\"{\i}ve G\"odel`, "naïve Gödel"},
		{"circumflex group", `\^{a}\^o`, "âô"},
		{"grave tilde", "\\`a \\~n", "à ñ"},
		{"caron cedilla", `\v{s} \v C \c{c} \c s`, "š Č ç ş"},
		{"ring ogonek", `\r{u} \k{a} \H{o}`, "ů ą ő"},
		{"special letters", `{\ss} \aa\ \AA{} \o{} \O{} \ae{} \oe{} \l{} \L{}`, "ß å Å ø Ø æ œ ł Ł"},
		{"ss in word", `Stra\ss e`, "Straße"},
		{"accent no precomposed", `\'x`, "x\u0301"},
		{"accent empty", `\~{} \^{}`, "~ ^"},
		{"tilde space", `Fig.~1`, "Fig. 1"},
		{"quotes", "``quoted'' and `single'", "“quoted” and 'single'"},
		{"dashes", "1--2 and a---b and x-y", "1–2 and a—b and x-y"},
		{"escapes", `50\% \& \$5 \#1 a\_b \{x\}`, "50% & $5 #1 a_b {x}"},
		{"newline", `a\\b\\[2pt]c\\*d \newline e`, "a b c d e"},
		{"inline math", `if $ x  +  y $ holds`, "if $x + y$ holds"},
		{"inline math newline", "$a\n + b$", "$a + b$"},
		{"paren math", `\( a_b \)`, "$a_b$"},
		{"bracket math", `\[ E = mc^2 \]`, "$E = mc^2$"},
		{"display dollars", `$$ a $$`, "$a$"},
		{"math env", `\begin{equation}a=b\label{eq:x}\end{equation}`, "$a=b$"},
		{"ensuremath", `\ensuremath{\alpha}`, `$\alpha$`},
		{"math keeps mathrm", `$\mathrm{ReLU}(x)$`, `$\mathrm{ReLU}(x)$`},
		{"math comment", "$a % c\n+b$", "$a +b$"},
		{"math text nested", `$\text{a $b$ c}$`, `$\text{a $b$ c}$`},
		{"empty math", `a $ $ b`, "a b"},
		{"unknown with arg", `\myfancy{text}`, "text"},
		{"unknown without arg", `a \relax b \xspace c`, "a b c"},
		{"unknown with optional", `\foo[opt]{arg}`, "arg"},
		{"groups", `{{a}b}`, "ab"},
		{"xspace before word", `Ours\xspace is`, "Ours is"},
		{"xspace glued", `Ours\xspace{}is`, "Oursis"},
		{"xspace before punctuation", `Ours\xspace.`, "Ours."},
		{"xspace before math", `Ours\xspace$x$`, "Ours $x$"},
		{"symbols", `\ldots \LaTeX\ rocks \dag`, "… LaTeX rocks †"},
		{"math symbols in text", `91.2 \pm 0.3 \times 2`, "91.2 ± 0.3 × 2"},
		{"greek outside math", `\alpha-\beta`, "α-β"},
		{"thin space thousands", `10\,000 and a\,b`, "10000 and a b"},
		{"vspace hspace", `a\vspace{2mm}b\hspace{1em}c`, "ab c"},
		{"hskip glue", `\hskip 2pt plus 1fil x`, "x"},
		{"textcolor", `\textcolor{red}{hot} \color{blue} cold`, "hot cold"},
		{"nested tabular cell", `\begin{tabular}[c]{@{}c@{}}Top\\Bottom\end{tabular}`, "Top Bottom"},
		{"makecell", `\makecell[l]{a\\b}`, "a b"},
		{"multirow", `\multirow{2}{*}{Model}`, "Model"},
		{"multicolumn", `\multicolumn{2}{c}{\textbf{Acc}}`, "Acc"},
		{"rotatebox", `\rotatebox{90}{Kernel}`, "Kernel"},
		{"parbox", `\parbox[t]{3cm}{wrapped text}`, "wrapped text"},
		{"authors and", `Alice \and Bob \And Carol`, "Alice, Bob, Carol"},
		{"thanks", `Alice\thanks{MIT}`, "Alice"},
		{"verb", `use \verb|a_b| here`, "use a_b here"},
		{"verbatim env", "x \\begin{verbatim}raw%text\\end{verbatim} y", "x raw%text y"},
		{"comment env", "x \\begin{comment}hidden\\end{comment} y", "x y"},
		{"item", `\begin{itemize}\item one \item[b)] two\end{itemize}`, "• one b) two"},
		{"section", `\section*{Results}`, "Results"},
		{"caption optional", `\caption[short]{Long caption}`, "Long caption"},
		{"cellcolor", `\cellcolor[gray]{0.9}91.2`, "91.2"},
		{"unbalanced open", `\textbf{a`, "a"},
		{"unbalanced close", `a}}b`, "ab"},
		{"lone dollar", `costs $5`, "costs $5$"},
		{"unclosed math ends at paragraph", "$x\n\ny", "$x$ y"},
		{"lone backslash", `a\`, `a\`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := Text(tt.in); got != tt.want {
				t.Errorf("Text(%q)\n got %q\nwant %q", tt.in, got, tt.want)
			}
		})
	}
}

func TestFlags(t *testing.T) {
	tests := []struct {
		in                 string
		bold, italic, undl bool
	}{
		{`91.2`, false, false, false},
		{`\textbf{91.2}`, true, false, false},
		{`$\mathbf{91.2}$`, true, false, false},
		{`$\boldsymbol{91.2}$`, true, false, false},
		{`{\bf 91.2}`, true, false, false},
		{`{\bfseries 91.2}`, true, false, false},
		{`\textbf{91.2}\%`, true, false, false},
		{`\textbf{91.2}$^\dagger$`, true, false, false},
		{`\textbf{91.2} $\pm$ 0.3`, false, false, false},
		{`\textbf{91.2 $\pm$ 0.3}`, true, false, false},
		{`$\mathbf{91.2 \pm 0.3}$`, true, false, false},
		{`\underline{90.1}`, false, false, true},
		{`\uline{90.1}`, false, false, true},
		{`\textit{x}`, false, true, false},
		{`\emph{x}`, false, true, false},
		{`{\it x}`, false, true, false},
		{`\textbf{\textit{x}}`, true, true, false},
		{`\underline{\textbf{x}}`, true, false, true},
		{`\textbf{a} b`, false, false, false},
		{`\textbf{a}{\mdseries b}`, false, false, false},
		{`\cellcolor{gray}\textbf{91.2}`, true, false, false},
		{`\textbf{91.2}\label{x}`, true, false, false},
		{`\textbf{}`, false, false, false},
		{`-`, false, false, false},
		{`{\bf a} b`, false, false, false},
		{`\bf a {\it b}`, true, false, false},
		{`$\bf 1$`, true, false, false},
		{`\boldmath $x$`, true, false, false},
	}
	for _, tt := range tests {
		b, i, u := Flags(tt.in)
		if b != tt.bold || i != tt.italic || u != tt.undl {
			t.Errorf("Flags(%q) = %v,%v,%v; want %v,%v,%v", tt.in, b, i, u, tt.bold, tt.italic, tt.undl)
		}
	}
}

func TestAnalyzeMath(t *testing.T) {
	tests := []struct {
		in         string
		math, text int
	}{
		{`$91.2 \pm 0.3$`, 8, 0},
		{`91.2 $\pm$ 0.3`, 1, 7},
		{`Gin-$\varepsilon$`, 1, 4},
		{`$\mathbf{x}_{i}$`, 3, 0},
		{`plain`, 0, 5},
	}
	for _, tt := range tests {
		in := Analyze(tt.in)
		if in.MathRunes != tt.math || in.TextRunes != tt.text {
			t.Errorf("Analyze(%q) math=%d text=%d; want %d %d", tt.in, in.MathRunes, in.TextRunes, tt.math, tt.text)
		}
	}
}

func TestAccentTables(t *testing.T) {
	for name, a := range accents {
		if utf8.RuneCountInString(a.bases) != utf8.RuneCountInString(a.composed) {
			t.Errorf("accent %q: %d bases, %d composed", name, utf8.RuneCountInString(a.bases), utf8.RuneCountInString(a.composed))
		}
	}
}

func TestHelpers(t *testing.T) {
	toks := scan(`{a{b}c} [x{]}y] (lr) rest`)
	inner, next, ok := Group(toks, 0)
	if !ok || Join(inner) != "a{b}c" {
		t.Fatalf("Group = %q %v", Join(inner), ok)
	}
	inner, next, ok = Optional(toks, next)
	if !ok || Join(inner) != "x{]}y" {
		t.Fatalf("Optional = %q %v", Join(inner), ok)
	}
	inner, next, ok = Paren(toks, next)
	if !ok || Join(inner) != "lr" {
		t.Fatalf("Paren = %q %v", Join(inner), ok)
	}
	if _, _, ok := Group(toks, next); ok {
		t.Fatalf("Group found a group in %q", Join(toks[next:]))
	}
	// out of range and unbalanced input
	for _, i := range []int{-5, 0, 100} {
		Group(toks, i)
		Optional(toks, i)
		Arg(toks, i)
		Match(toks, i)
		Star(toks, i)
		EnvName(toks, i)
		FindEnd(toks, i, "x")
		SkipArgs(toks, i, "smopd")
	}
	if _, _, ok := Optional(scan(`[unclosed`), 0); ok {
		t.Error("Optional accepted an unclosed bracket")
	}
	inner, _, ok = Group(scan(`{open`), 0)
	if !ok || Join(inner) != "open" {
		t.Errorf("unclosed Group = %q %v", Join(inner), ok)
	}
}

// TestGolden renders the larger fragments in testdata/*.tex and compares
// them with testdata/*.golden; run with -update to rewrite those.
func TestGolden(t *testing.T) {
	golden.Inputs(t, "testdata/*.tex", func(t *testing.T, path string, src []byte) {
		var b strings.Builder
		for _, para := range strings.Split(string(src), "\n----\n") {
			b.WriteString(Text(para))
			b.WriteString("\n")
		}
		golden.CheckString(t, strings.TrimSuffix(path, ".tex")+".golden", b.String())
	})
}

func FuzzText(f *testing.F) {
	for _, s := range []string{
		"", `\textbf{a}`, `$x$`, `$$`, `\'`, `\begin{equation}`, `{\bf`, `\cite[a]{b}.`,
		`\href{u}{t}`, `\url{%`, `a--b---c`, "``x''", `\verb|x|`, `\\[`, `\multirow{2}{*}{x}`,
		`\( \) \[ \]`, `\ensuremath{`, `\begin{comment}`, `\hskip-`, `\char"`,
		"\\url{a%}{b}\n\\url{c%}", "\\href{a%}{b}\nc", `Ours\xspace.`,
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		in := Analyze(s)
		out := in.Text
		if strings.TrimSpace(out) != out || strings.Contains(out, "  ") {
			t.Errorf("Text(%q) = %q: not collapsed", s, out)
		}
		if !utf8.ValidString(out) {
			t.Errorf("Text(%q) = %q: invalid UTF-8", s, out)
		}
		if in.MathRunes+in.TextRunes > utf8.RuneCountInString(out)+utf8.RuneCountInString(s) {
			t.Errorf("Analyze(%q): implausible counts %d+%d", s, in.MathRunes, in.TextRunes)
		}
	})
}

func BenchmarkText(b *testing.B) {
	src, err := os.ReadFile("testdata/caption.tex")
	if err != nil {
		b.Fatal(err)
	}
	s := string(src)
	b.SetBytes(int64(len(s)))
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		Text(s)
	}
}
