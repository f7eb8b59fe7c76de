package markdown

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/reprohq/repro/doc"
	"github.com/reprohq/repro/internal/facts"
	"github.com/reprohq/repro/internal/golden"
	"github.com/reprohq/repro/internal/results"
)

// goldenDoc is the golden form of a parsed fixture: the document's JSON
// and its prose, which the JSON leaves out.
type goldenDoc struct {
	Document *doc.Document   `json:"document"`
	Text     []doc.Paragraph `json:"text"`
}

// TestGolden parses every fixture in testdata and compares the result with
// testdata/golden/<name>.json; run with -update to rewrite the golden files.
func TestGolden(t *testing.T) {
	golden.Inputs(t, filepath.Join("testdata", "*.*"), func(t *testing.T, path string, src []byte) {
		name := filepath.Base(path)
		d := Parse(name, src)
		d.Stats.Milliseconds = 0
		golden.CheckJSON(t, filepath.Join("testdata", "golden", name+".json"), goldenDoc{d, d.Text})
	})
}

// eqSummary is an equation in short: "number|label|env|section".
func eqSummary(e doc.Equation) string {
	return e.NumberString() + "|" + e.Label + "|" + e.Env + "|" + e.Section
}

func TestParse(t *testing.T) {
	tests := []struct {
		name     string
		file     string
		src      string
		title    string
		authors  []string
		abstract string
		sections []string // "number title level appendix"
		eqs      []string // eqSummary
		latex    []string // LaTeX of the equations, when given
		expanded []string // LaTeXExpanded, when given
		tables   []string // "number: caption (rows)"
		figures  []string
		algs     []string // "number: caption (steps)"
		refs     []string // "key|title|year"
		warns    []string // substrings
		text     []string // paragraph texts, when given
		xref     []string // "number: count [first sentence]" of equations referenced
		cites    []string // "key cited [cited_in]"
	}{
		{
			name: "atx title and sections", file: "a.md",
			src:      "# A Title\n\nAda Lovelace, Alan Turing\n\n## Abstract\n\nWe do things.\n\n## 1 Intro\n\nText.\n\n### 1.1 Sub\n\nMore.\n\n## Related Work\n\nX.\n",
			title:    "A Title",
			authors:  []string{"Ada Lovelace", "Alan Turing"},
			abstract: "We do things.",
			sections: []string{"1 Intro 1 false", "1.1 Sub 2 false", " Related Work 1 false"},
			text:     []string{"Text.", "More.", "X."},
		},
		{
			name: "keywords heading and image caption", file: "a2.md",
			src:      "# T\n\n## Abstract\n\nAbs.\n\n## Keywords\n\nfoo; bar\n\n## 1 Intro\n\n![Figure 1: An overview.](f.png)\n",
			abstract: "Abs.",
			figures:  []string{"1: An overview."},
			sections: []string{"1 Intro 1 false"},
		},
		{
			name: "setext headings", file: "b.markdown",
			src:      "Big Title\n=========\n\nIntro\n-----\n\nSome text here.\n",
			title:    "Big Title",
			sections: []string{" Intro 2 false"},
		},
		{
			name: "yaml front matter", file: "c.md",
			src:      "---\ntitle: \"Meta Title\"\nauthor:\n  - Jane Roe\n  - John Doe\nabstract: A short abstract.\n---\n\n# Introduction\n\nHello.\n",
			title:    "Meta Title",
			authors:  []string{"Jane Roe", "John Doe"},
			abstract: "A short abstract.",
			sections: []string{" Introduction 1 false"},
		},
		{
			name: "inline abstract paragraph", file: "d.md",
			src:      "# T\n\n**Abstract:** We study X.\n\n# 1 Intro\n\nY.\n",
			title:    "T",
			abstract: "We study X.",
			sections: []string{"1 Intro 1 false"},
		},
		{
			name: "one-line $$ with tag and trailing number", file: "e.md",
			src:  "# T\n\n## 1 M\n\nWe have\n\n$$ a = b \\tag{4} $$\n\nand\n\n$$ c = d $$ (5)\n\nand $$e = f \\qquad (6)$$ done.\n",
			eqs:  []string{"4||$$|1", "5||$$|1", "6||$$|1"},
			text: []string{"We have", "and", "and", "done."},
		},
		{
			name: "bracket display and starred env", file: "f.md",
			src:   "\\[ x^2 \\]\n\n\\begin{equation*}\ny = 1\n\\end{equation*}\n",
			eqs:   []string{"||displaymath|", "||equation*|"},
			latex: []string{"x^2", "y = 1"},
		},
		{
			name: "equation numbering inferred", file: "g.md",
			src:   "\\begin{equation}\na = 1 \\label{eq:a}\n\\end{equation}\n\n\\begin{equation}\nb = 2\n\\end{equation}\n",
			eqs:   []string{"1|eq:a|equation|", "2||equation|"},
			warns: []string{"equation number 1 inferred", "equation number 2 inferred"},
		},
		{
			name: "align rows", file: "h.md",
			src:   "$$\n\\begin{align}\na &= 1 \\\\\nb &= 2 \\nonumber \\\\\nc &= 3 \\tag{7}\n\\end{align}\n$$\n",
			eqs:   []string{"1||align|", "7||align|"},
			warns: []string{"equation number 1 inferred"},
		},
		{
			name: "gather with notag and a trailing empty row", file: "h2.txt",
			src:   "\\begin{gather}\nx = 1 \\notag \\\\\ny = 2 \\\\\n\\end{gather}\n",
			eqs:   []string{"1||gather|"},
			warns: []string{"inferred"},
		},
		{
			name: "multline is one equation", file: "i.md",
			src:   "\\begin{multline}\na + b \\\\\n+ c = d\n\\end{multline}\n",
			eqs:   []string{"1||multline|"},
			warns: []string{"inferred"},
		},
		{
			name: "printed number continues the count", file: "j.md",
			src:   "$$ a = b \\tag{3} $$\n\n\\begin{equation}\nc = d\n\\end{equation}\n",
			eqs:   []string{"3||$$|", "4||equation|"},
			warns: []string{"equation number 4 inferred"},
		},
		{
			name: "macros expanded", file: "k.md",
			src:      "\\newcommand{\\vect}[1]{\\mathbf{#1}}\n\\DeclareMathOperator*{\\argmax}{arg\\,max}\n\n$$ \\vect{x} = \\argmax_y f \\tag{1} $$\n",
			eqs:      []string{"1||$$|"},
			expanded: []string{"\\mathbf{x} = \\operatorname*{arg\\,max}_y f \\tag{1}"},
		},
		{
			name: "recursive macro stops", file: "k2.md",
			src:      "\\newcommand{\\loop}{\\loop x}\n\n$$ \\loop \\tag{1} $$\n",
			expanded: []string{"\\loop \\tag{1}"},
			eqs:      []string{"1||$$|"},
			warns:    []string{"macro expansion stopped"},
		},
		{
			name: "plain text numbered math line", file: "l.txt",
			src:  "Title Here\n\n1 Introduction\n\nThe loss is\nL = a + b    (1)\nwhere a is small.\nAs shown in Eq. (1) the loss is fine (2)\n",
			eqs:  []string{"1||equation|1"},
			text: []string{"The loss is", "where a is small. As shown in Eq. (1) the loss is fine (2)"},
		},
		{
			name: "plain text headings must follow the sequence", file: "m.txt",
			src:      "Paper\n\n1 Introduction\n\nWe list.\n\n3 Things we do not number\n\n2. Method\n\nText.\n\n2.1 Setup\n\nMore text.\n\nAppendix B: Extra\n\nZ.\n",
			sections: []string{"1 Introduction 1 false", "2 Method 1 false", "2.1 Setup 2 false", "B Extra 1 true"},
		},
		{
			name: "IEEE roman headings", file: "n.txt",
			src:      "Paper\n\nI. INTRODUCTION\n\nText.\n\nA. Background\n\nMore.\n\nII. METHOD\n\nEnd.\n",
			sections: []string{"I INTRODUCTION 1 false", "A Background 2 false", "II METHOD 1 false"},
		},
		{
			name: "captions", file: "o.md",
			src:     "**Table 2:** Results on X.\n\n| A | B |\n|---|---|\n| x | 1.5 |\n\nFigure 3: A plot.\n\nFig. S4. Another plot.\n\n| C | D |\n|---|---|\n| y | 2 |\n\nTable A.1. Caption below.\n",
			tables:  []string{"2: Results on X. (2)", "A.1: Caption below. (2)"},
			figures: []string{"3: A plot.", "S4: Another plot."},
		},
		{
			name: "latex table and pandoc captions", file: "o2.md",
			src: "Table 4: Nougat style.\n\n\\begin{table}\n\\begin{tabular}{lc}\n\\toprule\nA & B \\\\\n\\midrule\nx & 1.5 \\\\\n\\bottomrule\n\\end{tabular}\n\\end{table}\n\n" +
				"\\begin{table}[t]\n\\caption{Inside.}\\label{tab:in}\n\\begin{tabular}{ll}\na & b \\\\\n\\end{tabular}\n\\end{table}\n\n" +
				"| a | b |\n|---|---|\n| 1 | 2 |\n\nTable: Pandoc caption.\n\n$$ x = 1 $$ {#eq:one}\n",
			tables: []string{"4: Nougat style. (2)", ": Inside. (1)", ": Pandoc caption. (2)"},
			eqs:    []string{"|eq:one|$$|"},
		},
		{
			name: "cross references", file: "xr.txt",
			src:   "Paper\n\n1 Introduction\n\nAs Eq. (1) and Eqs. (2)-(3) show [1, 2], see also [0, 1] and [2].\nx = y    (1)\nu = v    (2)\n\nReferences\n[1] Doe, J. A. 2020.\n[2] Roe, R. B. 2021.\n",
			eqs:   []string{"1||equation|1", "2||equation|1"},
			xref:  []string{"1: 1 [As Eq. (1) and Eqs. (2)-(3) show [1, 2], see also [0, 1] and [2].]", "2: 1"},
			cites: []string{"1 1 [1]", "2 2 [1]"},
		},
		{
			name: "caption without rows", file: "p.txt",
			src:    "Paper\n\nTable 1: Only a caption.\n\nSome text.\n",
			tables: []string{"1: Only a caption. (0)"},
		},
		{
			name: "algorithm after caption lines", file: "q.txt",
			src:  "Paper\n\nAlgorithm 2: Loop\n1: Require: data D\n2: while not done do\n3:     update θ\n4: end while\n5: return θ\n\nAfter.\n",
			algs: []string{"2: Loop (4)"},
			text: []string{"After."},
		},
		{
			name: "algorithmic in a fence", file: "r.md",
			src:  "Algorithm 1. Fit\n\n```latex\n\\begin{algorithmic}\n\\Require $x$\n\\For{$i=1$ to $n$}\n\\State $y \\gets y + i$\n\\EndFor\n\\end{algorithmic}\n```\n",
			algs: []string{"1: Fit (3)"},
		},
		{
			name: "plain code block is not text", file: "s.md",
			src:  "```python\nprint(1)\n```\n\nText.\n",
			text: []string{"Text."},
		},
		{
			name: "references as list and bracket labels", file: "t.md",
			src:      "## References\n\n- Doe, J. A first paper. In ICML, 2020.\n- Roe, R. A second paper. arXiv:2001.00001, 2020.\n\n# Appendix\n\n## A.1 More\n\nText.\n",
			refs:     []string{"|A first paper|2020", "|A second paper|2020"},
			sections: []string{"A.1 More 2 true"},
		},
		{
			name: "references one per line with continuation", file: "u.txt",
			src:  "Paper\n\nReferences\nDoe, J. and Roe, R. A long title that wraps onto\nthe next line. In NeurIPS, 2019.\nLee, K. Another title. JMLR, 2018.\n",
			refs: []string{"|A long title that wraps onto the next line|2019", "|Another title|2018"},
		},
		{
			name: "references by paragraph", file: "u2.txt",
			src:  "Paper\n\nBibliography\n\nDoe, J. First. 2001.\n\nRoe, R. Second\nline. 2002.\n",
			refs: []string{"|First|2001", "|Second line|2002"},
		},
		{
			name: "unterminated displays", file: "v.md",
			src:   "$$ a = b\n\nText.\n\n\\begin{equation}\nx\n\nMore.\n",
			eqs:   []string{"||$$|", "1||equation|"},
			warns: []string{"unterminated $$", "unterminated \\begin{equation}", "inferred"},
			text:  []string{"Text.", "More."},
		},
		{
			name: "invalid UTF-8", file: "w.txt",
			src:   "Title\n\nok \xff\xfe text\n",
			warns: []string{"invalid UTF-8"},
		},
		{
			name: "binary", file: "x.md",
			src:   "\x00\x01\x02\x03\x04\x05\x06\x07\x08\x0e\x0f\x10",
			warns: []string{"binary"},
		},
		{
			name: "unterminated fence", file: "y.md",
			src:   "```\ncode\n",
			warns: []string{"unterminated code block"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			d := Parse(tt.file, []byte(tt.src))
			check := func(what string, got, want any) {
				t.Helper()
				if !reflect.DeepEqual(got, want) {
					t.Errorf("%s:\n got %#v\nwant %#v", what, got, want)
				}
			}
			if tt.title != "" {
				check("title", d.Title, tt.title)
			}
			if tt.authors != nil {
				check("authors", d.Authors, tt.authors)
			}
			if tt.abstract != "" {
				check("abstract", d.Abstract, tt.abstract)
			}
			if tt.sections != nil {
				var got []string
				for _, s := range d.Sections {
					got = append(got, fmt.Sprintf("%s %s %d %v", s.Number, s.Title, s.Level, s.Appendix))
				}
				check("sections", got, tt.sections)
			}
			if tt.eqs != nil {
				var got []string
				for _, e := range d.Equations {
					got = append(got, eqSummary(e))
				}
				check("equations", got, tt.eqs)
			}
			if tt.latex != nil {
				var got []string
				for _, e := range d.Equations {
					got = append(got, e.LaTeX)
				}
				check("latex", got, tt.latex)
			}
			if tt.expanded != nil {
				var got []string
				for _, e := range d.Equations {
					got = append(got, e.LaTeXExpanded)
				}
				check("expanded", got, tt.expanded)
			}
			if tt.tables != nil {
				var got []string
				for _, tb := range d.Tables {
					got = append(got, fmt.Sprintf("%s: %s (%d)", tb.Number, tb.Caption, len(tb.Rows)))
				}
				check("tables", got, tt.tables)
			}
			if tt.figures != nil {
				var got []string
				for _, f := range d.Figures {
					got = append(got, f.Number+": "+f.Caption)
				}
				check("figures", got, tt.figures)
			}
			if tt.algs != nil {
				var got []string
				for _, a := range d.Algorithms {
					got = append(got, fmt.Sprintf("%s: %s (%d)", a.Number, a.Caption, len(a.Steps)))
				}
				check("algorithms", got, tt.algs)
			}
			if tt.refs != nil {
				var got []string
				for _, r := range d.References {
					k := r.Key
					if strings.HasPrefix(k, "ref") {
						k = ""
					}
					got = append(got, k+"|"+r.Title+"|"+r.Year)
				}
				check("references", got, tt.refs)
			}
			if tt.text != nil {
				var got []string
				for _, p := range d.Text {
					got = append(got, p.Text)
				}
				check("text", got, tt.text)
			}
			if tt.xref != nil {
				var got []string
				for _, e := range d.Equations {
					if len(e.ReferencedIn) > 0 {
						s := fmt.Sprintf("%s: %d", e.NumberString(), len(e.ReferencedIn))
						if e.NumberString() == "1" {
							s += " [" + e.ReferencedIn[0].Text + "]"
						}
						got = append(got, s)
					}
				}
				check("referenced_in", got, tt.xref)
			}
			if tt.cites != nil {
				var got []string
				for _, r := range d.References {
					got = append(got, fmt.Sprintf("%s %d %v", r.Key, r.Cited, r.CitedIn))
				}
				check("cites", got, tt.cites)
			}
			if len(tt.warns) != len(d.Warnings) {
				t.Errorf("warnings: got %v, want %d matching %q", d.Warnings, len(tt.warns), tt.warns)
			}
			for i, w := range tt.warns {
				if i < len(d.Warnings) && (!strings.Contains(d.Warnings[i].Message, w) || d.Warnings[i].Line == 0) {
					t.Errorf("warning %d: got %+v, want %q with a line", i, d.Warnings[i], w)
				}
			}
			checkInvariants(t, d)
		})
	}
}

// checkInvariants checks what must hold for any input.
func checkInvariants(t *testing.T, d *doc.Document) {
	t.Helper()
	if d.Sections == nil || d.Equations == nil || d.Tables == nil || d.References == nil || d.Warnings == nil || d.Authors == nil {
		t.Errorf("nil slices in %+v", d)
	}
	for _, e := range d.Equations {
		if e.Number != nil && *e.Number == "" {
			t.Errorf("equation %+v has an empty number", e)
		}
		if e.ID == "" || e.Labels == nil || e.ReferencedIn == nil || e.Block <= 0 {
			t.Errorf("equation %+v: missing ID, Labels, ReferencedIn or Block", e)
		}
	}
	for _, r := range d.References {
		if r.Key == "" {
			t.Errorf("reference without a key: %+v", r)
		}
	}
}

func TestKind(t *testing.T) {
	for name, kind := range map[string]string{"a.md": "markdown", "a.MARKDOWN": "markdown", "a.txt": "text", "a.text": "text", "a": "text", "a.html": "text"} {
		if d := Parse(name, []byte("x")); d.Source.Kind != kind || d.Source.Path != name {
			t.Errorf("Parse(%q): source %+v, want kind %q", name, d.Source, kind)
		}
	}
	if d := ParseKind("a.txt", []byte("# T"), "markdown"); d.Title != "T" || d.Source.Kind != "markdown" {
		t.Errorf("ParseKind: %+v", d)
	}
}

// TestFactsAndResults runs the fact and result extractors on a fixture.
func TestFactsAndResults(t *testing.T) {
	for _, name := range []string{"paper.md", "paper.txt"} {
		t.Run(name, func(t *testing.T) {
			src, err := os.ReadFile(filepath.Join("testdata", name))
			if err != nil {
				t.Fatal(err)
			}
			d := Parse(name, src)
			facts.Extract(d)
			results.Extract(d)
			lr := false
			for _, h := range d.Hyperparameters {
				if h.Name == "learning_rate" {
					lr = true
				}
			}
			if !lr {
				t.Errorf("no learning rate in %+v", d.Hyperparameters)
			}
			if len(d.Results) == 0 {
				t.Errorf("no results from tables %+v", d.Tables)
			}
		})
	}
}

// TestLarge checks that big and hostile inputs are read in linear time.
func TestLarge(t *testing.T) {
	if testing.Short() {
		t.Skip("slow")
	}
	cases := map[string]string{
		"100MB line":          strings.Repeat("word $x$ ", 100<<20/9),
		"many $$":             strings.Repeat("$$ a\n", 200000),
		"many begin":          strings.Repeat("\\begin{align}\n", 200000),
		"many newcommand":     strings.Repeat("\\newcommand{\\a}{\\a\\a}", 100000) + "\n$$\\a$$\n",
		"many headings":       strings.Repeat("## 1 A\n", 200000),
		"many table rows":     "| a | b |\n|---|---|\n" + strings.Repeat("| 1 | 2 |\n", 200000),
		"many refs":           "# References\n\n" + strings.Repeat("- Doe, J. T. 2020.\n", 100000),
		"long ref line":       "References\n" + strings.Repeat("A. B. ", 1<<20) + "\n",
		"deep braces":         "$$" + strings.Repeat("{", 1<<20) + "$$\n",
		"many captions":       strings.Repeat("Table 1: x\n\n", 100000),
		"nested macros":       "\\newcommand{\\a}{\\b\\b}\\newcommand{\\b}{\\c\\c}\\newcommand{\\c}{\\d\\d}\\newcommand{\\d}{xx}\n" + strings.Repeat("$$\\a\\a\\a\\a$$\n", 10000),
		"algorithm lines":     "Algorithm 1: A\n" + strings.Repeat("  for x do\n", 100000),
		"text math lines":     strings.Repeat("a = b (1)\n", 100000),
		"pipes without table": strings.Repeat("|a\n", 100000),
		"latex tables":        strings.Repeat("\\begin{table}\n\\begin{tabular}{ll}\na & b \\\\\n", 50000),
		"crossref labels":     strings.Repeat("$$ x $$ {#eq:a}\n", 50000),
	}
	for name, src := range cases {
		t.Run(name, func(t *testing.T) {
			start := time.Now()
			for _, file := range []string{"x.md", "x.txt"} {
				d := Parse(file, []byte(src))
				checkInvariants(t, d)
			}
			if d := time.Since(start); d > 20*time.Second {
				t.Errorf("took %v", d)
			}
		})
	}
}

func FuzzParse(f *testing.F) {
	for _, name := range []string{"paper.md", "paper.txt"} {
		src, err := os.ReadFile(filepath.Join("testdata", name))
		if err == nil {
			f.Add(name, src)
		}
	}
	f.Add("a.md", []byte("$$ a \\tag{} $$ ()\n\\begin{align} \\\\ \\\\[ \\end{align}"))
	f.Add("a.txt", []byte("T\n\n1 A\n\nx = y ( 1 )\n\nTable 1: c\n\na  1\nb  2\n\nReferences\n[1] x"))
	f.Fuzz(func(t *testing.T, name string, data []byte) {
		if len(data) > 1<<16 {
			return
		}
		file := "f.txt"
		if strings.HasSuffix(name, "md") {
			file = "f.md"
		}
		start := time.Now()
		d := Parse(file, data)
		if el := time.Since(start); el > 2*time.Second {
			t.Errorf("took %v", el)
		}
		checkInvariants(t, d)
	})
}

func BenchmarkParse(b *testing.B) {
	for _, name := range []string{"paper.md", "paper.txt"} {
		src, err := os.ReadFile(filepath.Join("testdata", name))
		if err != nil {
			b.Fatal(err)
		}
		// A paper-sized input: the fixture repeated.
		big := bytes.Repeat(src, 20)
		b.Run(name, func(b *testing.B) {
			b.SetBytes(int64(len(big)))
			for b.Loop() {
				Parse(name, big)
			}
		})
	}
}

// TestScaling checks that hostile inputs eight times longer do not take
// anything like 64 times longer (quadratic): the best of three runs, and 30
// times is the limit, so that a busy machine (GC, other processes) does not
// fail a linear parser.
func TestScaling(t *testing.T) {
	gens := map[string]func(n int) string{
		"columns":    func(n int) string { return "T\n\n" + strings.Repeat("a  b\n", n) },
		"abstract":   func(n int) string { return "# T\n\n## Abstract\n\n" + strings.Repeat("x.\n\n", n) },
		"open $$":    func(n int) string { return strings.Repeat("$$ a\n\n", n) },
		"mid $$":     func(n int) string { return strings.Repeat("text $$ a ", n) },
		"refs":       func(n int) string { return "References\n" + strings.Repeat("Doe, J. T.\n", n) },
		"macros":     func(n int) string { return `\newcommand{\a}{b}` + "\n" + strings.Repeat("$$\\a\\a$$\n", n) },
		"headings":   func(n int) string { return strings.Repeat("\n1 Introduction\n", n) },
		"front":      func(n int) string { return strings.Repeat("Jane Doe, John Roe\n", n) },
		"algorithm":  func(n int) string { return "Algorithm 1: A\n" + strings.Repeat("    x\n", n) },
		"pipe lines": func(n int) string { return strings.Repeat("| a |\n| b |\n\n", n) },
	}
	for name, gen := range gens {
		t.Run(name, func(t *testing.T) {
			timeIt := func(n int) time.Duration {
				src := []byte(gen(n))
				best := time.Duration(1<<63 - 1)
				for range 3 {
					for _, f := range []string{"x.md", "x.txt"} {
						start := time.Now()
						Parse(f, src)
						best = min(best, time.Since(start))
					}
				}
				return best
			}
			small, large := timeIt(5000), timeIt(40000)
			if large > 50*time.Millisecond && large > 30*small {
				t.Errorf("time grows faster than the input: %v for n=5000, %v for n=40000", small, large)
			}
		})
	}
}
