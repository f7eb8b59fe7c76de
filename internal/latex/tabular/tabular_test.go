package tabular

import (
	"fmt"
	"math"
	"strings"
	"testing"

	"github.com/reprohq/repro/doc"
	"github.com/reprohq/repro/internal/golden"
)

// show renders a grid compactly: rows on lines, cells separated by " | ",
// each cell's text followed by its markers in braces: H header, B bold,
// I italic, U underline, M math, S spanned, cN colspan, rN rowspan,
// =V value, ±P plus-minus.
func show(grid [][]doc.Cell) string {
	var b strings.Builder
	for r, row := range grid {
		if r > 0 {
			b.WriteString("\n")
		}
		for c, cell := range row {
			if c > 0 {
				b.WriteString(" | ")
			}
			b.WriteString(cell.Text)
			var m []string
			for _, f := range []struct {
				on bool
				s  string
			}{{cell.Header, "H"}, {cell.Bold, "B"}, {cell.Italic, "I"}, {cell.Underline, "U"}, {cell.Math, "M"}, {cell.Spanned, "S"}} {
				if f.on {
					m = append(m, f.s)
				}
			}
			if cell.ColSpan > 0 {
				m = append(m, fmt.Sprintf("c%d", cell.ColSpan))
			}
			if cell.RowSpan > 0 {
				m = append(m, fmt.Sprintf("r%d", cell.RowSpan))
			}
			if cell.Value != nil {
				m = append(m, fmt.Sprintf("=%g", *cell.Value))
			}
			if cell.PlusMinus != nil {
				m = append(m, fmt.Sprintf("±%g", *cell.PlusMinus))
			}
			if len(m) > 0 {
				b.WriteString("{" + strings.Join(m, ",") + "}")
			}
		}
	}
	return b.String()
}

func TestParse(t *testing.T) {
	tests := []struct {
		name, spec, body, want string
	}{
		{"simple", "ll", `a & b \\ c & d \\`, "a | b\nc | d"},
		{"no trailing newline", "ll", `a & b \\ c & d`, "a | b\nc | d"},
		{"empty", "ll", ``, ""},
		{"rules only", "ll", `\toprule \midrule \bottomrule`, ""},
		{"booktabs header", "lr", `\toprule Model & Acc \\ \midrule A & 91.2 \\ B & 88.0 \\ \bottomrule`,
			"Model{H} | Acc{H}\nA | 91.2{=91.2}\nB | 88.0{=88}"},
		{"hline header", "|l|r|", `\hline Model & Acc \\ \hline A & 1 \\ \hline`,
			"Model{H} | Acc{H}\nA | 1{=1}"},
		{"no header without rule", "lr", `A & 1 \\ B & 2`, "A | 1{=1}\nB | 2{=2}"},
		{"cmidrule does not end header", "lcc", `\toprule & \multicolumn{2}{c}{Acc} \\ \cmidrule(lr){2-3} M & top1 & top5 \\ \midrule A & 1 & 2 \\`,
			"{H} | Acc{H,c2} | Acc{H,S}\nM{H} | top1{H} | top5{H}\nA | 1{=1} | 2{=2}"},
		{"row separators", "l", `a \\[2pt] b \\* c \tabularnewline d`, "a\nb\nc\nd"},
		{"escaped amp", "ll", `R\&D & x \\`, "R&D | x"},
		{"amp in braces", "ll", `{a & b} & c \\`, "a b | c"},
		{"nested tabular", "ll", `\begin{tabular}{c}x & y\\z\end{tabular} & c \\`, "x y z | c"},
		{"multicolumn", "lll", `\multicolumn{2}{c}{Wide} & n \\ a & b & c`,
			"Wide{c2} | Wide{S} | n\na | b | c"},
		{"multicolumn bold", "lll", `\multicolumn{3}{c}{\textbf{All}} \\`, "All{B,c3} | All{B,S} | All{B,S}"},
		{"multirow", "ll", `\multirow{2}{*}{M} & 1 \\ & 2 \\`, "M{r2} | 1{=1}\nM{S} | 2{=2}"},
		{"multirow optional args", "ll", `\multirow[t]{2}*{M} & 1 \\ & 2 \\`, "M{r2} | 1{=1}\nM{S} | 2{=2}"},
		{"multirow width", "ll", `\multirow{3}{2cm}[1pt]{M} & 1 \\ & 2 \\ & 3`, "M{r3} | 1{=1}\nM{S} | 2{=2}\nM{S} | 3{=3}"},
		{"multirow past the end", "ll", `\multirow{5}{*}{M} & 1 \\ & 2 \\`, "M{r2} | 1{=1}\nM{S} | 2{=2}"},
		{"multirow stops at content", "ll", `\multirow{3}{*}{M} & 1 \\ & 2 \\ X & 3`, "M{r2} | 1{=1}\nM{S} | 2{=2}\nX | 3{=3}"},
		{"negative multirow", "ll", ` & 1 \\ \multirow{-2}{*}{M} & 2 \\`, "M{r2} | 1{=1}\nM{S} | 2{=2}"},
		{"cellcolor multirow", "ll", `\cellcolor{white} & 1 \\ \cellcolor{white}\multirow{-2}{*}{M} & 2 \\`, "M{r2} | 1{=1}\nM{S} | 2{=2}"},
		{"multirow in multicolumn", "lll", `\multicolumn{2}{c}{\multirow{2}{*}{X}} & a \\ \multicolumn{2}{c}{} & b \\`,
			"X{c2,r2} | X{S} | a\nX{S} | X{S} | b"},
		{"pad short rows", "lll", `a \\ b & c`, "a |  | \nb | c | "},
		{"longer rows kept", "l", `a & b & c \\`, "a | b | c"},
		{"rowcolor", "ll", `\rowcolor{gray!20} a & b \\`, "a | b"},
		{"specialrule addlinespace", "l", `h \\ \specialrule{1pt}{2pt}{2pt} a \\ \addlinespace[3pt] b`, "h{H}\na\nb"},
		{"comments", "ll", "a & b \\\\ % c & d \\\\\ne & f", "a | b\ne | f"},
		{"empty spacer row dropped", "ll", `a & b \\ & \\ c & d`, "a | b\nc | d"},
		{"bold cell", "ll", `\textbf{91.2} & $\mathbf{88.1}$ \\ {\bf 70} & \underline{90.1}`,
			"91.2{B,=91.2} | $\\mathbf{88.1}${B,M,=88.1}\n70{B,=70} | 90.1{U,=90.1}"},
		{"plus minus forms", "llll", `91.2 $\pm$ 0.3 & $91.2 \pm 0.3$ & 91.2±0.3 & 91.2{\scriptsize$\pm$0.3}`,
			"91.2 $\\pm$ 0.3{=91.2,±0.3} | $91.2 \\pm 0.3${M,=91.2,±0.3} | 91.2±0.3{=91.2,±0.3} | 91.2$\\pm$0.3{=91.2,±0.3}"},
		{"subscript pm", "l", `$91.2_{\pm 0.3}$`, "$91.2_{\\pm 0.3}${M,=91.2,±0.3}"},
		{"longtable", "ll", `\caption{T}\label{t} \\ H1 & H2 \\ \midrule \endfirsthead
			\multicolumn{2}{c}{continued} \\ H1 & H2 \\ \endhead
			\multicolumn{2}{r}{next page} \\ \endfoot
			\bottomrule \endlastfoot
			a & 1 \\ b & 2 \\`, "H1{H} | H2{H}\na | 1{=1}\nb | 2{=2}"},
		{"unbalanced", "ll", `{a & b \\ c`, "a b c | "},
		{"stray close", "ll", `a } & b \\`, "a | b"},
		{"huge multicolumn", "l", `\multicolumn{999999}{c}{x}`, strings.TrimSuffix("x{c64}"+strings.Repeat(" | x{S}", 63), "")},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := show(Parse(tt.spec, tt.body))
			if got != tt.want {
				t.Errorf("Parse(%q, %q)\n got:\n%s\nwant:\n%s", tt.spec, tt.body, got, tt.want)
			}
		})
	}
}

func TestParseNeverNil(t *testing.T) {
	if g := Parse("", ""); g == nil {
		t.Error("Parse returned nil")
	}
}

func TestColumns(t *testing.T) {
	tests := []struct {
		spec string
		want int
	}{
		{"", 0},
		{"lcr", 3},
		{"|l|c|r|", 3},
		{"l c r", 3},
		{"{lcr}", 3},
		{"p{3cm}m{2cm}b{1in}", 3},
		{"@{}lcc@{}", 3},
		{`>{\bfseries}l<{\,}r`, 2},
		{`!{\vrule}cc`, 2},
		{"*{3}{c}", 3},
		{"l*{2}{cc}r", 6},
		{"*{3}{*{2}{c}}", 6},
		{"XX", 2},
		{"lS[table-format=2.1]S", 3},
		{`@{\hskip 2pt}c`, 1},
		{"w{c}{1cm}W{l}{2cm}", 2},
		{"D{.}{.}{2}c", 2},
		{"C{1cm}c", 2},
		{"*{1000000}{c}", 64},
		{"*{x}{cc}", 2},
		{"*", 0},
		{"p{", 1},
	}
	for _, tt := range tests {
		if got := Columns(tt.spec); got != tt.want {
			t.Errorf("Columns(%q) = %d; want %d", tt.spec, got, tt.want)
		}
	}
}

func TestNumber(t *testing.T) {
	tests := []struct {
		text  string
		value float64
		pm    float64 // NaN: no ±
		ok    bool
	}{
		{"91.2", 91.2, math.NaN(), true},
		{"$91.2$", 91.2, math.NaN(), true},
		{"91.2%", 91.2, math.NaN(), true},
		{"-3.5", -3.5, math.NaN(), true},
		{"$-3.5$", -3.5, math.NaN(), true},
		{"−3.5", -3.5, math.NaN(), true},
		{"+1.0", 1, math.NaN(), true},
		{".5", 0.5, math.NaN(), true},
		{"1.2e-3", 0.0012, math.NaN(), true},
		{"12.3k", 12.3, math.NaN(), true},
		{"1,024", 1024, math.NaN(), true},
		{"1,234,567.5", 1234567.5, math.NaN(), true},
		{`$1.1\times 10^{21}$`, 1.1e21, math.NaN(), true},
		{`$10^{-3}$`, 0.001, math.NaN(), true},
		{"3×", 3, math.NaN(), true},
		{`$\mathbf{91.2}$`, 91.2, math.NaN(), true},
		{`91.2 $\pm$ 0.3`, 91.2, 0.3, true},
		{`$91.2 \pm 0.3$`, 91.2, 0.3, true},
		{"91.2±0.3", 91.2, 0.3, true},
		{"91.2 ± 0.3", 91.2, 0.3, true},
		{`91.2$\pm$0.3`, 91.2, 0.3, true},
		{`$91.2_{\pm 0.3}$`, 91.2, 0.3, true},
		{`50.8 $\pm1.4 \pm 7.1$`, 50.8, 1.4, true},
		{"91.2*", 91.2, math.NaN(), true},
		{`91.2$^\dagger$`, 91.2, math.NaN(), true},
		{"91.2 (0.3)", 91.2, math.NaN(), true},
		{"($1.0$)", 1, math.NaN(), true},
		{"2017", 2017, math.NaN(), true},
		{"0.85/0.90", 0, 0, false},
		{"3 layers", 0, 0, false},
		{"Table 3", 0, 0, false},
		{"-", 0, 0, false},
		{"--", 0, 0, false},
		{"N/A", 0, 0, false},
		{"", 0, 0, false},
		{"1e999", 0, 0, false},
		{"$10^{999}$", 0, 0, false},
		{"1,2", 0, 0, false},
		{"ViT-L/14", 0, 0, false},
	}
	for _, tt := range tests {
		v, pm := Number(tt.text)
		if !tt.ok {
			if v != nil {
				t.Errorf("Number(%q) = %v; want none", tt.text, *v)
			}
			continue
		}
		if v == nil {
			t.Errorf("Number(%q) = none; want %v", tt.text, tt.value)
			continue
		}
		if *v != tt.value {
			t.Errorf("Number(%q) = %v; want %v", tt.text, *v, tt.value)
		}
		switch {
		case math.IsNaN(tt.pm) && pm != nil:
			t.Errorf("Number(%q) ± %v; want none", tt.text, *pm)
		case !math.IsNaN(tt.pm) && (pm == nil || *pm != tt.pm):
			t.Errorf("Number(%q) ± %v; want %v", tt.text, pm, tt.pm)
		}
	}
}

// TestGolden parses testdata/*.tex (first line: the colspec, the rest: the
// body) and compares the JSON grid with testdata/*.golden.json; run with
// -update to rewrite those.
func TestGolden(t *testing.T) {
	golden.Inputs(t, "testdata/*.tex", func(t *testing.T, path string, src []byte) {
		spec, body, _ := strings.Cut(string(src), "\n")
		grid := Parse(spec, body)
		if !golden.CheckJSON(t, strings.TrimSuffix(path, ".tex")+".golden.json", grid) {
			t.Logf("grid:\n%s", show(grid))
		}
	})
}

// checkGrid asserts the invariants every grid keeps.
func checkGrid(t *testing.T, grid [][]doc.Cell) {
	t.Helper()
	if grid == nil {
		t.Fatal("nil grid")
	}
	for r, row := range grid {
		for c, cell := range row {
			if cell.Value != nil && (math.IsInf(*cell.Value, 0) || math.IsNaN(*cell.Value)) {
				t.Fatalf("cell %d,%d: value %v", r, c, *cell.Value)
			}
			if cell.PlusMinus != nil && (math.IsInf(*cell.PlusMinus, 0) || math.IsNaN(*cell.PlusMinus) || *cell.PlusMinus < 0) {
				t.Fatalf("cell %d,%d: plus-minus %v", r, c, *cell.PlusMinus)
			}
			if cell.ColSpan == 1 || cell.RowSpan == 1 || cell.ColSpan < 0 || cell.RowSpan < 0 {
				t.Fatalf("cell %d,%d: span %d×%d", r, c, cell.ColSpan, cell.RowSpan)
			}
			for k := 1; k < cell.ColSpan && c+k < len(row); k++ {
				if !row[c+k].Spanned {
					t.Fatalf("cell %d,%d: colspan %d but %d,%d not spanned", r, c, cell.ColSpan, r, c+k)
				}
			}
			for k := 1; k < cell.RowSpan; k++ {
				if r+k >= len(grid) || c >= len(grid[r+k]) || !grid[r+k][c].Spanned {
					t.Fatalf("cell %d,%d: rowspan %d but %d,%d not spanned", r, c, cell.RowSpan, r+k, c)
				}
			}
		}
	}
}

func FuzzTabular(f *testing.F) {
	seeds := [][2]string{
		{"ll", `a & b \\ c & d`},
		{"lcr", `\toprule A & B & C \\ \midrule 1 & 2 & 3 \\ \bottomrule`},
		{"ll", `\multicolumn{2}{c}{x} \\ \multirow{2}{*}{y} & 1 \\ & 2`},
		{"l", `\multirow{-3}{*}{z}`},
		{"*{3}{c}", `\begin{tabular}{c} & \end{tabular} & \\[`},
		{"p{", `\endfirsthead \endhead a \endfoot \endlastfoot`},
		{"ll", `$91.2 \pm 0.3$ & 1,024 \\ $10^{-3}$ & (0.1)`},
		{"ll", `\multicolumn{2}{c}{\multirow{2}{*}{X}} \\ \multicolumn{2}{c}{} \\`},
	}
	for _, s := range seeds {
		f.Add(s[0], s[1])
	}
	f.Fuzz(func(t *testing.T, spec, body string) {
		checkGrid(t, Parse(spec, body))
		Columns(spec)
	})
}

func BenchmarkParse(b *testing.B) {
	var body strings.Builder
	body.WriteString(`\toprule Method & \multicolumn{2}{c}{Accuracy} & Time \\ \midrule` + "\n")
	for i := 0; i < 50; i++ {
		fmt.Fprintf(&body, `\multirow{2}{*}{Model %d} & $%d.%d \pm 0.%d$ & \textbf{%d.5} & %d\,s \\`+"\n", i, 80+i%10, i%10, i%9, 70+i%20, i)
		fmt.Fprintf(&body, ` & 91.2{\scriptsize$\pm$0.3} & \underline{88.1} & 12.3k \\ \cmidrule(lr){2-3}`+"\n")
	}
	body.WriteString(`\bottomrule`)
	s := body.String()
	b.SetBytes(int64(len(s)))
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		Parse("lccr", s)
	}
}
