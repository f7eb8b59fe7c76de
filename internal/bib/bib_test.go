package bib

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/reprohq/repro/doc"
	"github.com/reprohq/repro/internal/golden"
)

// goldenBib is the golden form of a parsed .bib file.
type goldenBib struct {
	Entries    []Entry         `json:"entries"`
	References []doc.Reference `json:"references"`
	Warnings   []doc.Warning   `json:"warnings"`
}

// goldenBbl is the golden form of a parsed .bbl file.
type goldenBbl struct {
	References []doc.Reference `json:"references"`
	Warnings   []doc.Warning   `json:"warnings"`
}

// TestGolden parses every fixture in testdata and compares the result with
// testdata/golden/<name>.json; run with -update to rewrite the golden files.
func TestGolden(t *testing.T) {
	golden.Inputs(t, filepath.Join("testdata", "*.b*"), func(t *testing.T, path string, src []byte) {
		name := filepath.Base(path)
		var got any
		switch filepath.Ext(name) {
		case ".bib":
			entries, warns := ParseBib(name, src)
			got = goldenBib{Entries: entries, References: References(entries), Warnings: warns}
		case ".bbl":
			refs, warns := ParseBbl(name, src)
			got = goldenBbl{References: refs, Warnings: warns}
		default:
			t.Skipf("not a fixture: %s", name)
		}
		golden.CheckJSON(t, filepath.Join("testdata", "golden", name+".json"), got)
	})
}

func TestParseBib(t *testing.T) {
	tests := []struct {
		name   string
		src    string
		keys   []string
		fields map[string]string // fields of the first entry
		warns  []string          // substrings of the warnings, in order
	}{
		{
			name:   "braces and quotes",
			src:    `@article{k, title = {A {B} C}, note = "x {"} y", year = 2020}`,
			keys:   []string{"k"},
			fields: map[string]string{"title": "A {B} C", "note": `x {"} y`, "year": "2020"},
		},
		{
			name:   "parentheses",
			src:    `@article(k, title = {T (with parens)})`,
			keys:   []string{"k"},
			fields: map[string]string{"title": "T (with parens)"},
		},
		{
			name:   "concatenation and macros",
			src:    "@string{a = {Alpha}}\n@string{b = a # \" Beta\"}\n@misc{k, x = b # {-} # 3 # jan}",
			keys:   []string{"k"},
			fields: map[string]string{"x": "Alpha Beta-3January"},
		},
		{
			name:   "macro names ignore case",
			src:    "@string{Foo = {bar}}\n@misc{k, x = FOO}",
			keys:   []string{"k"},
			fields: map[string]string{"x": "bar"},
		},
		{
			name:   "white space collapsed",
			src:    "@misc{k, title = {Two\n   lines\tand  tabs}}",
			keys:   []string{"k"},
			fields: map[string]string{"title": "Two lines and tabs"},
		},
		{
			name:   "field names lower-cased",
			src:    "@MISC{K, TITLE = {t}, ArchivePrefix = {arXiv}}",
			keys:   []string{"K"},
			fields: map[string]string{"title": "t", "archiveprefix": "arXiv"},
		},
		{
			name:   "umlaut in quoted value",
			src:    `@misc{k, author = "M\"uller, Hans"}`,
			keys:   []string{"k"},
			fields: map[string]string{"author": `M\"uller, Hans`},
		},
		{
			name:   "missing comma between fields",
			src:    "@misc{k, a = {1}\n b = {2}}",
			keys:   []string{"k"},
			fields: map[string]string{"a": "1", "b": "2"},
			warns:  []string{`missing comma after field "a"`},
		},
		{
			name:  "missing closing brace",
			src:   "@misc{k1, a = {1},\n\n@misc{k2, a = {2}}",
			keys:  []string{"k1", "k2"},
			warns: []string{`unterminated entry "k1"`},
		},
		{
			name:  "unclosed value",
			src:   "@misc{k1, a = {1,\n\n@misc{k2, a = {2}}",
			keys:  []string{"k1", "k2"},
			warns: []string{`unterminated value of field "a" in entry "k1"`},
		},
		{
			name:  "duplicate key keeps first",
			src:   "@misc{k, a = {1}}\n@misc{K, a = {2}}",
			keys:  []string{"k"},
			warns: []string{`duplicate key "K" (first at line 1)`},
		},
		{
			name:   "no key",
			src:    "@misc{title = {T}}",
			keys:   []string{""},
			fields: map[string]string{"title": "T"},
			warns:  []string{"entry @misc has no key"},
		},
		{
			name: "text and stray at signs outside entries",
			src:  "mail me@example.com\n@misc{k}\nend @ here",
			keys: []string{"k"},
		},
		{
			name: "comment and preamble",
			src:  "@comment{x @misc{no}}\n@preamble{\"\\def\\x{}\"}\n@misc{yes}",
			keys: []string{"yes"},
		},
		{
			name:  "unterminated preamble",
			src:   "@preamble{ \"x\"\n@misc{yes}",
			keys:  []string{"yes"},
			warns: []string{"unterminated @preamble"},
		},
		{
			name:   "undefined macro keeps name",
			src:    "@misc{k, journal = IEEE_J_PAMI}",
			keys:   []string{"k"},
			fields: map[string]string{"journal": "IEEE_J_PAMI"},
			warns:  []string{`undefined string macro "IEEE_J_PAMI"`},
		},
		{
			name:  "empty input",
			src:   "",
			keys:  nil,
			warns: nil,
		},
		{
			name:  "lone at",
			src:   "@",
			keys:  nil,
			warns: nil,
		},
		{
			name:  "type without delimiter at line start",
			src:   "@article k,\n@misc{k2}",
			keys:  []string{"k2"},
			warns: []string{"expected { or ( after @article"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			entries, warns := ParseBib("t.bib", []byte(tt.src))
			var keys []string
			for _, e := range entries {
				keys = append(keys, e.Key)
			}
			if !reflect.DeepEqual(keys, tt.keys) {
				t.Errorf("keys = %q, want %q", keys, tt.keys)
			}
			if tt.fields != nil && len(entries) > 0 {
				for k, want := range tt.fields {
					if got := entries[0].Fields[k]; got != want {
						t.Errorf("field %s = %q, want %q", k, got, want)
					}
				}
			}
			if len(warns) != len(tt.warns) {
				t.Errorf("got %d warnings %v, want %d", len(warns), warns, len(tt.warns))
			}
			for i, w := range warns {
				if i < len(tt.warns) && !strings.Contains(w.Message, tt.warns[i]) {
					t.Errorf("warning %d = %q, want it to contain %q", i, w.Message, tt.warns[i])
				}
				if w.File != "t.bib" || w.Line < 1 {
					t.Errorf("warning %d has position %s:%d", i, w.File, w.Line)
				}
			}
		})
	}
}

func TestWarningLines(t *testing.T) {
	src := "@misc{a, x = {1}}\n\n@misc{b,\n  x = {1}\n  y = {2}}\n@misc{a}\n"
	_, warns := ParseBib("w.bib", []byte(src))
	want := []doc.Warning{
		{File: "w.bib", Line: 5, Message: `missing comma after field "x" in entry "b"`},
		{File: "w.bib", Line: 6, Message: `duplicate key "a" (first at line 1); keeping the first`},
	}
	if !reflect.DeepEqual(warns, want) {
		t.Errorf("warnings = %+v, want %+v", warns, want)
	}
}

func TestResolve(t *testing.T) {
	entries, _ := ParseBib("r.bib", []byte(`
@inproceedings{child, title = {Child}, crossref = {Parent}, pages = {1}}
@proceedings{parent, title = {Parent Proceedings}, year = {2000}, publisher = {P}, crossref = {grand}}
@misc{grand, address = {Somewhere}, year = {1999}}
@misc{loop1, crossref = {loop2}, a = {1}}
@misc{loop2, crossref = {loop1}, b = {2}}
@misc{dangling, crossref = {nobody}}
`))
	before := fmt.Sprint(entries)
	res := Resolve(entries)
	if fmt.Sprint(entries) != before {
		t.Error("Resolve modified its argument")
	}
	child := res[0].Fields
	want := map[string]string{
		"title": "Child", "crossref": "Parent", "pages": "1", "year": "2000",
		"publisher": "P", "booktitle": "Parent Proceedings", "address": "Somewhere",
	}
	if !reflect.DeepEqual(child, want) {
		t.Errorf("child fields = %v, want %v", child, want)
	}
	if res[3].Fields["b"] != "2" || res[4].Fields["a"] != "1" {
		t.Errorf("crossref cycle not resolved one way: %v %v", res[3].Fields, res[4].Fields)
	}
	if len(res[5].Fields) != 1 {
		t.Errorf("dangling crossref changed fields: %v", res[5].Fields)
	}
}

func TestReference(t *testing.T) {
	tests := []struct {
		src  string
		want doc.Reference
	}{
		{
			src: `@article{k, author = {Doe, Jane and {ACME Corp.} and John von Neumann and Smith, Jr., Bob and others},
				title = {On {\"O}ffentlich \emph{Things} \& {Stuff}~--- A~Study},
				journal = {J. {I}maginary}, year = {2001}, doi = {https://doi.org/10.1000/xyz.1}}`,
			want: doc.Reference{Key: "k", Title: "On Öffentlich Things & Stuff — A Study",
				Authors: []string{"Jane Doe", "ACME Corp.", "John von Neumann", "Bob Smith Jr."},
				Year:    "2001", Venue: "J. Imaginary", DOI: "10.1000/xyz.1"},
		},
		{
			src: `@misc{k, editor = {Roe, R.}, title = {Edited}, date = {2019-03}, howpublished = {\url{https://x.org/a}}, publisher = {Pub}}`,
			want: doc.Reference{Key: "k", Title: "Edited", Authors: []string{"R. Roe"}, Year: "2019",
				Venue: "Pub", URL: "https://x.org/a"},
		},
		{
			src:  `@misc{k, title = {T}, year = {December 2015}}`,
			want: doc.Reference{Key: "k", Title: "T", Authors: []string{}, Year: "2015"},
		},
		{
			src:  `@misc{k, title = {T}, year = {2020b}}`,
			want: doc.Reference{Key: "k", Title: "T", Authors: []string{}, Year: "2020"},
		},
		{
			src: `@misc{k, title = {T}, url = {\url{https://arxiv.org/abs/2001.00001v4}}}`,
			want: doc.Reference{Key: "k", Title: "T", Authors: []string{}, ArxivID: "2001.00001",
				URL: "https://arxiv.org/abs/2001.00001v4"},
		},
		{
			src: `@misc{k, author = {Daniel Ritchie, Anna Thomas, Pat Hanrahan}, title = {T}}`,
			want: doc.Reference{Key: "k", Title: "T",
				Authors: []string{"Daniel Ritchie", "Anna Thomas", "Pat Hanrahan"}},
		},
	}
	for i, tt := range tests {
		entries, warns := ParseBib("r.bib", []byte(tt.src))
		if len(entries) != 1 || len(warns) != 0 {
			t.Fatalf("%d: %d entries, warnings %v", i, len(entries), warns)
		}
		got := entries[0].Reference()
		tt.want.Source = "bib"
		tt.want.CitedIn = []string{}
		if !reflect.DeepEqual(got, tt.want) {
			t.Errorf("%d:\n got %+v\nwant %+v", i, got, tt.want)
		}
	}
}

func TestArxivID(t *testing.T) {
	tests := []struct{ in, want string }{
		{"arXiv:2501.00663", "2501.00663"},
		{"arXiv:2501.00663v2", "2501.00663"},
		{"arXiv preprint arXiv:2501.00663", "2501.00663"},
		{"ArXiv e-prints, 1501.00001", "1501.00001"},
		{"https://arxiv.org/abs/2501.00663", "2501.00663"},
		{"http://arxiv.org/pdf/0704.0001v1.pdf", "0704.0001"},
		{"https://www.arxiv.org/abs/2403.03185", "2403.03185"},
		{`\url{https://arxiv.org/abs/hep-th/9901001v3}`, "hep-th/9901001"},
		{"arXiv:cs/0101001", "cs/0101001"},
		{"arXiv:cs.LG/0101001", "cs.LG/0101001"},
		{"Variant available as arXiv:cs.LO/0309048", "cs.LO/0309048"},
		{"arXiv:math.GT/0309136", "math.GT/0309136"},
		{"arXiv:cond-mat.stat-mech/0101001", "cond-mat.stat-mech/0101001"},
		{"10.48550/arXiv.2501.00663", "2501.00663"},
		{"https://doi.org/10.48550/ARXIV.2305.10001", "2305.10001"},
		{"CoRR, abs/1806.05780", "1806.05780"},
		{"CoRR abs/1806.05780", "1806.05780"},
		{"Arxiv, 1705.10823", "1705.10823"},
		{"arXiv 2020, pages 1501.00001", ""},
		{"pages 1501.00001--1501.00002", ""},
		{"2501.00663", ""},
		{"hep-th/9901001", ""},
		{"arXiv:submit/0500581", ""},
		{"arXiv:2513.00001", ""}, // month 13
		{"arXiv:2501.006631", ""},
		{"Correlation 1501.00001", ""},
		{"arXiv", ""},
		{"", ""},
		{"first arXiv:1111.11111 then arXiv:2222.22222", "1111.11111"},
	}
	for _, tt := range tests {
		if got := ArxivID(tt.in); got != tt.want {
			t.Errorf("ArxivID(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestEprintID(t *testing.T) {
	tests := []struct{ in, want string }{
		{"2501.00663", "2501.00663"},
		{" 2501.00663v1 ", "2501.00663"},
		{"arXiv:1011.1669v3", "1011.1669"},
		{"hep-th/9901001", "hep-th/9901001"},
		{"submit/0500581", ""},
		{"12345", ""},
	}
	for _, tt := range tests {
		if got := eprintID(tt.in); got != tt.want {
			t.Errorf("eprintID(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestDOI(t *testing.T) {
	tests := []struct{ in, want string }{
		{"10.1145/1008731.1008736", "10.1145/1008731.1008736"},
		{"doi:10.1000/xyz123.", "10.1000/xyz123"},
		{"https://doi.org/10.1016/S0140-6736(20)30183-5", "10.1016/S0140-6736(20)30183-5"},
		{"(see 10.1000/abc)", "10.1000/abc"},
		{`\doi{10.1000/a\_b}`, "10.1000/a_b"},
		{`\url{http://dx.doi.org/10.2307/2291683}`, "10.2307/2291683"},
		{"10.48550/arXiv.2501.00663", "10.48550/arXiv.2501.00663"},
		{"version 110.1234/x", ""},
		{"10.12/x", ""},
		{"10.1234/", ""},
		{"", ""},
	}
	for _, tt := range tests {
		if got := DOI(tt.in); got != tt.want {
			t.Errorf("DOI(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestClean(t *testing.T) {
	tests := []struct{ in, want string }{
		{`{\"o}`, "ö"},
		{`\"{o}`, "ö"},
		{`\"o`, "ö"},
		{`{\'\i}`, "í"},
		{`\'{\i}`, "í"},
		{`\v{S}koda`, "Škoda"},
		{`\c{c}a`, "ça"},
		{`\k{a}`, "ą"},
		{`\H{o}`, "ő"},
		{`\r{a}`, "å"},
		{`\u{g}`, "ğ"},
		{`\~n`, "ñ"},
		{`\^{e}`, "ê"},
		{"\\`e", "è"},
		{`\={o}`, "ō"},
		{`\.{z}`, "ż"},
		{`\d{s}`, "s\u0323"},
		{`Ure { \~ { n } } a`, "Ure ñ a"},
		{`{\ss} {\o} \AE{} \l{}`, "ß ø Æ ł"},
		{`\emph{x}`, "x"},
		{`\textbf{\textit{y}}`, "y"},
		{`{\em z}`, "z"},
		{`A \& B`, "A & B"},
		{`50\%`, "50%"},
		{`a~b`, "a b"},
		{`1--2`, "1–2"},
		{`a---b`, "a—b"},
		{"``q''", "“q”"},
		{`{{Nested {Braces}}}`, "Nested Braces"},
		{`$\alpha$-divergence`, "α-divergence"},
		{`\href{http://x}{text}`, "text"},
		{`\url{http://x.org/~u}`, "http://x.org/~u"},
		{`\noopsort{a}Zed`, "Zed"},
		{`\unknown{arg} rest`, "arg rest"},
		{"  many \n  spaces ", "many spaces"},
		{`trailing \`, "trailing"},
		{`\"`, ""},
		{`{`, ""},
		{`O'Brien`, "O'Brien"},
		{`\LaTeX{} and \TeX`, "LaTeX and TeX"},
		{`x\~{}y and 2\^{}3`, "x~y and 2^3"},
	}
	for _, tt := range tests {
		if got := Clean(tt.in); got != tt.want {
			t.Errorf("Clean(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestSplitNames(t *testing.T) {
	tests := []struct {
		in   string
		want []string
	}{
		{"Doe, Jane and Smith, John", []string{"Jane Doe", "John Smith"}},
		{"Jane Doe AND John Smith and others", []string{"Jane Doe", "John Smith"}},
		{"{Org Name} and {Another, Inc.}", []string{"Org Name", "Another, Inc."}},
		{"{\\\"O}zt{\\\"u}rk, Ay{\\c{s}}e", []string{"Ayşe Öztürk"}},
		{"{\\\"O}zkan, Ali", []string{"Ali Özkan"}},
		{"Smith, Jr., John", []string{"John Smith Jr."}},
		{"van der Berg, Jan", []string{"Jan van der Berg"}},
		{"Jan~van~der~Berg", []string{"Jan van der Berg"}},
		{"{Barnes and Noble} and Austen, Jane", []string{"Barnes and Noble", "Jane Austen"}},
		{"Andersen, Anders\nand Brandt, Bo", []string{"Anders Andersen", "Bo Brandt"}},
		{"", []string{}},
		{"others", []string{}},
	}
	for _, tt := range tests {
		if got := SplitNames(tt.in); !reflect.DeepEqual(got, tt.want) {
			t.Errorf("SplitNames(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestParseBbl(t *testing.T) {
	tests := []struct {
		name  string
		src   string
		want  []doc.Reference
		warns []string
	}{
		{
			name: "natbib author-year with initials",
			src: `\bibitem[Doe et~al.(2019)Doe, Roe, and Lee]{doe}
Doe, J., Roe, R.~R., and Lee, M.
\newblock A title.
\newblock In \emph{Proc. Conf.}, pp.\ 1--2, 2019.`,
			want: []doc.Reference{{Key: "doe", Title: "A title", Authors: []string{"J. Doe", "R. R. Roe", "M. Lee"}, Year: "2019", Venue: "Proc. Conf."}},
		},
		{
			name: "plainnat full names",
			src: `\bibitem[{Doe and Roe}(2018{\natexlab{b}})]{dr}
Jane Doe and Richard Roe.
\newblock Some work, 2018.
\newblock \url{https://arxiv.org/abs/1801.00001}.`,
			want: []doc.Reference{{Key: "dr", Title: "Some work", Authors: []string{"Jane Doe", "Richard Roe"}, Year: "2018", ArxivID: "1801.00001", URL: "https://arxiv.org/abs/1801.00001"}},
		},
		{
			name: "venue without emphasis",
			src: `\bibitem{k}
A.~Doe.
\newblock Title here.
\newblock Journal of Things, 3(1):1--9, 2011.
\newblock \doi{10.5555/jt.3.1}.`,
			want: []doc.Reference{{Key: "k", Title: "Title here", Authors: []string{"A. Doe"}, Year: "2011", Venue: "Journal of Things", DOI: "10.5555/jt.3.1"}},
		},
		{
			name: "year not taken from an arXiv id",
			src: `\bibitem{k}
A.~Doe.
\newblock Title.
\newblock arXiv preprint arXiv:2001.01234.`,
			want: []doc.Reference{{Key: "k", Title: "Title", Authors: []string{"A. Doe"}, Venue: "arXiv preprint arXiv:2001.01234", ArxivID: "2001.01234"}},
		},
		{
			name: "commented items are skipped",
			src:  "\\bibitem{a} A.\n% \\bibitem{b} B.\n  %\\bibitem{c}\n\\bibitem{d} D. % \\bibitem{e}\n",
			want: []doc.Reference{{Key: "a"}, {Key: "d"}},
		},
		{
			name:  "missing key kept",
			src:   "\\bibitem\n\\bibitem{b}",
			want:  []doc.Reference{{}, {Key: "b"}},
			warns: []string{`\bibitem without a {key}`},
		},
		{
			name: "optional argument with brackets in braces",
			src:  `\bibitem[{A [x] B}(2001)]{ab} A B.`,
			want: []doc.Reference{{Key: "ab", Year: "2001"}},
		},
		{
			name: "definitions are not items",
			src:  "\\providecommand{\\bibitem}[1]{}\n\\ifx\\bibitem\\undefined\\fi\n\\let\\bibitem\\relax\n\\bibitem{a}",
			want: []doc.Reference{{Key: "a"}},
		},
		{
			name: "bibitemsep is not an item",
			src:  "\\setlength{\\bibitemsep}{0pt}\n\\bibitem{a}",
			want: []doc.Reference{{Key: "a"}},
		},
		{
			name:  "nothing",
			src:   "no items here",
			want:  []doc.Reference{},
			warns: []string{`no \bibitem or \entry found`},
		},
		{
			name: "biblatex minimal",
			src: `\entry{k}{article}{}
  \name{author}{1}{}{{{hash=x}{family={Doe},given={Jane}}}}
  \field{title}{T}
  \field{year}{2001}
  \field{journaltitle}{J}
  \verb{doi}
  \verb 10.1000/x
  \endverb
\endentry`,
			want: []doc.Reference{{Key: "k", Title: "T", Authors: []string{"Jane Doe"}, Year: "2001", Venue: "J", DOI: "10.1000/x"}},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, warns := ParseBbl("t.bbl", []byte(tt.src))
			for i := range tt.want {
				tt.want[i].Source = "bbl"
				tt.want[i].CitedIn = []string{}
				if tt.want[i].Authors == nil {
					tt.want[i].Authors = []string{}
				}
			}
			if !reflect.DeepEqual(got, tt.want) {
				t.Errorf("\n got %+v\nwant %+v", got, tt.want)
			}
			if len(warns) != len(tt.warns) {
				t.Fatalf("warnings = %v, want %d", warns, len(tt.warns))
			}
			for i, w := range warns {
				if !strings.Contains(w.Message, tt.warns[i]) {
					t.Errorf("warning %q, want %q", w.Message, tt.warns[i])
				}
			}
		})
	}
}

func TestBblNames(t *testing.T) {
	tests := []struct {
		in   string
		want []string
	}{
		{"Austin, J., Johnson, D.~D., and van~den Berg, R.", []string{"J. Austin", "D. D. Johnson", "R. van den Berg"}},
		{"Cowles, Mary~K. and Carlin, Bradley~P.", []string{"Mary K. Cowles", "Bradley P. Carlin"}},
		{"Amro Abbas, Kushal Tirumala, and Ari~S Morcos.", []string{"Amro Abbas", "Kushal Tirumala", "Ari S Morcos"}},
		{"Amro Abbas and Ari~S Morcos.", []string{"Amro Abbas", "Ari S Morcos"}},
		{"A.~Krizhevsky, I.~Sutskever, and G.~E. Hinton.", []string{"A. Krizhevsky", "I. Sutskever", "G. E. Hinton"}},
		{"A.~Krizhevsky and I.~Sutskever.", []string{"A. Krizhevsky", "I. Sutskever"}},
		{"Davidson, R.", []string{"R. Davidson"}},
		{"Roger~R. Davidson.", []string{"Roger R. Davidson"}},
		{"Ng, Andrew and Le, Quoc", []string{"Andrew Ng", "Quoc Le"}},
		{"Brown, T., Mann, B., et~al.", []string{"T. Brown", "B. Mann"}},
		{"Quoc V. Le.", []string{"Quoc V. Le"}},
		{"Doe, J. (2020).", []string{"J. Doe"}},
		{"Lanckriet, Gert R.G. and Fukumizu, K.", []string{"Gert R.G. Lanckriet", "K. Fukumizu"}},
		{"Doe, J.-P. and Roe, Ch. and Poe, C.", []string{"J.-P. Doe", "Ch. Roe", "C. Poe"}},
		{"Sch\\\"{o}n, Bea~K., Gray, Arthur, and Lund, Gus~R.G.", []string{"Bea K. Schön", "Arthur Gray", "Gus R.G. Lund"}},
		{"Jane Doe and OpenAI.", []string{"Jane Doe", "OpenAI"}},
		{"{Barnes and Noble, Inc.} and Jane~Doe.", []string{"Barnes and Noble, Inc.", "Jane Doe"}},
		{"Jane Doe, OpenAI", []string{"Jane Doe", "OpenAI"}},
		{"", []string{}},
	}
	for _, tt := range tests {
		if got := bblNames(tt.in); !reflect.DeepEqual(got, tt.want) {
			t.Errorf("bblNames(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

// seedFuzz adds the fixtures with the given extension as seeds.
func seedFuzz(f *testing.F, ext string) {
	files, _ := filepath.Glob(filepath.Join("testdata", "*"+ext))
	for _, path := range files {
		src, err := os.ReadFile(path)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(src)
	}
	// Regression inputs found by fuzzing live in testdata/fuzz/<FuzzName>.
}

func FuzzParseBib(f *testing.F) {
	seedFuzz(f, ".bib")
	f.Add([]byte("@a{k,b={\n@c{"))
	f.Add([]byte(`@string{x = "a" # x}@misc{k, t = x # "\"}`))
	f.Fuzz(func(t *testing.T, src []byte) {
		entries, warns := ParseBib("f.bib", src)
		for _, w := range warns {
			if w.Line < 1 || w.Message == "" {
				t.Fatalf("bad warning %+v", w)
			}
		}
		seen := map[string]bool{}
		for _, e := range entries {
			k := strings.ToLower(e.Key)
			if k != "" && seen[k] {
				t.Fatalf("duplicate key %q kept", e.Key)
			}
			seen[k] = true
		}
		for _, r := range References(entries) {
			if r.Source != "bib" || r.Authors == nil {
				t.Fatalf("bad reference %+v", r)
			}
		}
	})
}

func FuzzParseBbl(f *testing.F) {
	seedFuzz(f, ".bbl")
	f.Add([]byte(`\bibitem[{\bibitem}]{\entry}\entry{`))
	f.Add([]byte("\\entry{k}{t}{}\\verb{url}\n\\verb x%y\n"))
	f.Fuzz(func(t *testing.T, src []byte) {
		refs, warns := ParseBbl("f.bbl", src)
		text := blankComments(string(src))
		want := len(itemOffsets(text, "bibitem")) + len(itemOffsets(text, "entry"))
		if len(refs) != want {
			t.Fatalf("%d references for %d items", len(refs), want)
		}
		for _, r := range refs {
			if r.Source != "bbl" || r.Authors == nil {
				t.Fatalf("bad reference %+v", r)
			}
		}
		for _, w := range warns {
			if w.Line < 1 {
				t.Fatalf("bad warning %+v", w)
			}
		}
	})
}

// genBib returns a synthetic .bib database of n entries.
func genBib(n int) []byte {
	var b bytes.Buffer
	b.WriteString("@string{jir = {Journal of Imaginary Results}}\n")
	for i := 0; i < n; i++ {
		fmt.Fprintf(&b, `@article{key%d,
  author = {Author%d, First and Second, S{\"o}ren and {Group %d}},
  title = {A {Generated} Title about \emph{Topic} %d},
  journal = jir,
  year = %d,
  month = jan,
  volume = "%d",
  pages = {%d--%d},
  eprint = {2101.%05d}, archivePrefix = {arXiv},
  doi = {10.1234/gen.%d},
  abstract = {Some longer text that goes on for a while, with {nested {braces}} and "quotes" and math $x^2$.},
}

`, i, i, i, i, 1990+i%35, i%50, i, i+9, i, i)
	}
	return b.Bytes()
}

func BenchmarkParseBib(b *testing.B) {
	src := genBib(2000)
	b.SetBytes(int64(len(src)))
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		entries, warns := ParseBib("bench.bib", src)
		if len(entries) != 2000 || len(warns) != 0 {
			b.Fatalf("%d entries, %d warnings", len(entries), len(warns))
		}
	}
}

func BenchmarkReferences(b *testing.B) {
	entries, _ := ParseBib("bench.bib", genBib(2000))
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		References(entries)
	}
}
