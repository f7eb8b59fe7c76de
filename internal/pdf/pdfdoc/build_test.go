package pdfdoc

import (
	"context"
	"encoding/json"
	"os"
	"strings"
	"testing"

	"github.com/reprohq/repro/doc"
	"github.com/reprohq/repro/internal/pdf"
	"github.com/reprohq/repro/internal/pdf/layout"
)

// synPut appends text to a synthetic page: glyphs half an em wide, words a
// third of an em apart, on baseline y. It returns the x after the text.
func synPut(pg *pdf.Page, x, y, size float64, font, text string) float64 {
	weight := 400
	if strings.Contains(font, "Bold") {
		weight = 700
	}
	for _, r := range text {
		if r == ' ' {
			pg.Chars = append(pg.Chars, pdf.Char{R: ' ', X0: x, X1: x, Y0: y, Y1: y, OX: x, OY: y, Size: size, Generated: true})
			x += 0.33 * size
			continue
		}
		w := 0.5 * size
		pg.Chars = append(pg.Chars, pdf.Char{R: r, X0: x, X1: x + w, Y0: y - 0.7*size, Y1: y + 0.2*size, OX: x, OY: y, Font: font, Size: size, Weight: weight})
		x += w + 0.02*size
	}
	return x
}

// synProse is a justified-looking body line: about 80 characters from
// x=108 to the right margin at 504.
func synProse(pg *pdf.Page, y float64, words string) {
	if len(words) > 80 {
		words = strings.TrimSpace(words[:80])
	}
	synPut(pg, 108, y, 10, "Times-Roman", words)
}

const synFill = "and the rest of this sentence runs on to fill up the line here"

// synPaper is a one-column paper of two pages: a heading, prose with a
// citation year and a hyphenated word, a numbered display equation whose
// number sits at the right margin, a second heading, and a running header.
func synPaper(withDests bool) *pdf.File {
	p1 := pdf.Page{Number: 1, Width: 612, Height: 792}
	p2 := pdf.Page{Number: 2, Width: 612, Height: 792}
	for _, pg := range []*pdf.Page{&p1, &p2} {
		synPut(pg, 250, 40, 9, "Times-Italic", "A Synthetic Paper")
		synPut(pg, 300, 760, 10, "Times-Roman", string(rune('0'+pg.Number)))
	}
	synPut(&p1, 220, 60, 14, "Times-Bold", "Widgets and Gadgets")
	synPut(&p1, 260, 78, 10, "Times-Roman", "Alice Example")
	synPut(&p1, 108, 100, 12, "Times-Bold", "1 Introduction")
	synProse(&p1, 120, "We train a model with a learning rate of 0.001 "+synFill)
	synProse(&p1, 132, "as in prior work (2019) and report the experi-")
	synProse(&p1, 144, "ments below "+synFill+" and more")
	synProse(&p1, 156, "The loss is defined as follows "+synFill)
	// The display: centred math, the number at the right margin.
	x := synPut(&p1, 250, 180, 10, "CMMI10", "L")
	x = synPut(&p1, x+3, 180, 10, "CMR10", "=")
	x = synPut(&p1, x+3, 180, 10, "CMMI10", "\u03b1x")
	synPut(&p1, x+0.5, 176, 7, "CMR7", "2")
	synPut(&p1, 489, 180, 10, "CMR10", "(1)")
	synProse(&p1, 204, "where the weight is set by hand "+synFill)
	synProse(&p1, 216, "and a list item (2) appears in running text "+synFill)
	synPut(&p2, 108, 100, 12, "Times-Bold", "2 Method")
	synProse(&p2, 120, "The method uses a batch size of 64 "+synFill)
	synProse(&p2, 132, "with dropout of 0.1 "+synFill)
	f := &pdf.File{Pages: []pdf.Page{p1, p2}}
	if withDests {
		f.Dests = []pdf.Dest{
			{Name: "section.1", Page: 1, X: 108, Y: 88, HasXY: true},
			{Name: "section.2", Page: 2, X: 108, Y: 88, HasXY: true},
			{Name: "equation.1", Page: 1, X: 108, Y: 168, HasXY: true},
		}
		// "as in (1)" on the line after the display links to it.
		f.Pages[0].Links = []pdf.Link{{X0: 200, Y0: 209, X1: 215, Y1: 218, Dest: "equation.1"}}
	}
	return f
}

func TestBuildSynthetic(t *testing.T) {
	for _, dests := range []bool{false, true} {
		d := Build(synPaper(dests))
		if d.Source.Kind != "pdf" {
			t.Errorf("kind %q", d.Source.Kind)
		}
		var secs []string
		for _, s := range d.Sections {
			secs = append(secs, s.Number+" "+s.Title)
		}
		if strings.Join(secs, "|") != "1 Introduction|2 Method" {
			t.Errorf("dests=%v: sections %q", dests, secs)
		}
		var nums []string
		for _, e := range d.Equations {
			if e.Number != nil {
				nums = append(nums, *e.Number)
			}
		}
		if strings.Join(nums, ",") != "1" {
			t.Fatalf("dests=%v: equation numbers %q", dests, nums)
		}
		e := d.Equations[0]
		if e.ID != "eq-1" || e.Env != "display" || !e.Approx || e.Section != "1" || e.Block != 1 {
			t.Errorf("equation %+v", e)
		}
		if e.LaTeX != `L= \alpha x^{2}` || e.LaTeXExpanded != e.LaTeX {
			t.Errorf("latex %q", e.LaTeX)
		}
		if !strings.Contains(e.Text, "αx2") || strings.Contains(e.Text, "(1)") {
			t.Errorf("text %q", e.Text)
		}
		if dests && (len(e.ReferencedIn) != 1 || e.ReferencedIn[0].Section != "1" || e.ReferencedIn[0].Command != "link") {
			t.Errorf("referenced in %+v", e.ReferencedIn)
		}
		if !strings.Contains(e.Context.Before, "The loss is defined") || !strings.HasPrefix(e.Context.After, "where the weight") {
			t.Errorf("context %+v", e.Context)
		}
		var text []string
		for _, p := range d.Text {
			text = append(text, "["+p.Section+"] "+p.Text)
		}
		all := strings.Join(text, "\n")
		for _, want := range []string{"[1] We train a model with a learning rate of 0.001", "the experiments below", "[2] The method uses a batch size of 64"} {
			if !strings.Contains(all, want) {
				t.Errorf("dests=%v: text lacks %q:\n%s", dests, want, all)
			}
		}
		for _, bad := range []string{"A Synthetic Paper", "Introduction", "(1)"} {
			if strings.Contains(all, bad) {
				t.Errorf("dests=%v: text has %q:\n%s", dests, bad, all)
			}
		}
	}
}

func TestEquationNumberForms(t *testing.T) {
	for _, tc := range []struct {
		in, want string
	}{
		{"(3)", "3"}, {"(3.2)", "3.2"}, {"(A.1)", "A.1"}, {"(A1)", "A1"}, {"(1a)", "1a"}, {"(S4)", "S4"},
		{"(2019)", ""}, {"(i)", ""}, {"(a)", ""}, {"(x)", ""},
	} {
		got := ""
		if m := eqNumRE.FindStringSubmatch(tc.in); m != nil {
			got = m[1]
		}
		if got != tc.want {
			t.Errorf("%s: %q, want %q", tc.in, got, tc.want)
		}
	}
}

func TestSectionSequence(t *testing.T) {
	c := func(line int, num string, kind int) secCand {
		return secCand{line: line, number: num, level: strings.Count(num, ".") + 1, kind: kind, title: "T"}
	}
	in := []secCand{
		c(1, "1", numArabic), c(2, "2", numArabic), c(3, "2.1", numArabic),
		c(4, "7", numArabic), // a numbered list item in bold: out of sequence
		c(5, "2.2", numArabic), c(6, "3", numArabic), c(7, "3.1.1", numArabic),
		c(8, "A", numLetter), c(9, "A.1", numLetter), c(10, "B", numLetter),
	}
	var got []string
	for _, h := range secSequence(in, 1000) {
		got = append(got, h.number)
	}
	if want := "1 2 2.1 2.2 3 A A.1 B"; strings.Join(got, " ") != want {
		t.Errorf("got %q, want %q", got, want)
	}
	// IEEE: roman sections with lettered subsections.
	in = []secCand{c(1, "I", numRoman), c(2, "A", numLetter), c(3, "B", numLetter), c(4, "II", numRoman), c(5, "A", numLetter)}
	got = got[:0]
	for _, h := range secSequence(in, 1000) {
		got = append(got, h.number)
	}
	if want := "I I-A I-B II II-A"; strings.Join(got, " ") != want {
		t.Errorf("got %q, want %q", got, want)
	}
}

func TestEqLatex(t *testing.T) {
	for _, tc := range []struct {
		r    rune
		font string
		want string
	}{
		{'P', "CMEX10", `\sum`}, {'X', "CMEX10", `\sum`}, {'Q', "CMEX10", `\prod`}, {'Z', "CMEX10", `\int`},
		{'R', "MSBM10", `\mathbb{R}`}, {'L', "CMSY10", `\mathcal{L}`}, {'α', "CMMI10", `\alpha`},
		{'≤', "CMSY10", `\leq`}, {0x1D431, "", `\mathbf{x}`}, {'x', "CMMI10", "x"},
	} {
		c := pdf.Char{R: tc.r, Font: tc.font}
		if got := charLatex(&c); got != tc.want {
			t.Errorf("%q in %s: %q, want %q", tc.r, tc.font, got, tc.want)
		}
	}
}

func TestEqTag(t *testing.T) {
	f := synPaper(false)
	p1 := &f.Pages[0]
	// A \tag* with a remark: "(by definition) (2)" is no equation number.
	x := synPut(p1, 230, 240, 10, "CMMI10", "y")
	x = synPut(p1, x+3, 240, 10, "CMR10", "=")
	synPut(p1, x+3, 240, 10, "CMMI10", "z")
	synPut(p1, 410, 240, 10, "CMR10", "(by definition) (2)")
	f.Dests = append(f.Dests, pdf.Dest{Name: "equation.2", Page: 1, Y: 230, HasXY: true})
	d := Build(f)
	var nums, tags []string
	for _, e := range d.Equations {
		if e.Number != nil {
			nums = append(nums, *e.Number)
		}
		if e.Tag != "" {
			tags = append(tags, e.Tag)
		}
	}
	if strings.Join(nums, ",") != "1" || strings.Join(tags, ",") != "(by definition) (2)" {
		t.Errorf("numbers %q tags %q", nums, tags)
	}
}

func TestLeqno(t *testing.T) {
	f := synPaper(false)
	p1 := &f.Pages[0]
	// Replace the right-margin number by one at the left margin.
	cs := p1.Chars[:0]
	for _, c := range p1.Chars {
		if c.OY == 180 && c.X0 >= 489 {
			continue
		}
		cs = append(cs, c)
	}
	p1.Chars = cs
	synPut(p1, 108, 180, 10, "CMR10", "(1)")
	d := Build(f)
	if len(d.Equations) != 1 || d.Equations[0].NumberString() != "1" || d.Equations[0].LaTeX != `L= \alpha x^{2}` {
		t.Errorf("%+v", d.Equations)
	}
}

func TestBuildEmpty(t *testing.T) {
	d := Build(&pdf.File{})
	if d.Source.Kind != "pdf" || len(d.Sections) != 0 || len(d.Equations) != 0 {
		t.Errorf("%+v", d)
	}
	d = Build(&pdf.File{Pages: []pdf.Page{{Number: 1, Width: 612, Height: 792}}})
	if len(d.Text) != 0 {
		t.Errorf("%+v", d.Text)
	}
}

func FuzzBuild(f *testing.F) {
	f.Add([]byte("1 Introduction x = y (1) (2019)"), uint8(3))
	f.Fuzz(func(t *testing.T, data []byte, k uint8) {
		pg := pdf.Page{Number: 1, Width: 612, Height: 792}
		fonts := []string{"CMMI10", "CMEX10", "Times-Roman", "Times-Bold", "CMR10"}
		for i := 0; i+3 < len(data); i += 4 {
			x := float64(data[i+1]) * 2.4
			y := float64(data[i+2]) * 3.1
			size := 5 + float64(data[i+3]%10)
			synPut(&pg, x, y, size, fonts[int(data[i+3])%len(fonts)], string(rune(data[i])))
		}
		file := &pdf.File{Pages: []pdf.Page{pg}, Dests: []pdf.Dest{{Name: "equation.1", Page: 1, Y: float64(k) * 3}, {Name: "section.1", Page: 1, Y: float64(k)}}}
		Build(file)
	})
}

// TestTinyformerPDF reads the test paper's PDF and checks the numbered
// equations and sections against what the LaTeX reader finds in its
// source (testdata/tinyformer.json).
func TestTinyformerPDF(t *testing.T) {
	f, err := pdf.Open(context.Background(), "../testdata/tinyformer.pdf", pdf.Options{})
	if err != nil {
		t.Skip("no PDF reader: ", err)
	}
	data, err := os.ReadFile("../../../testdata/tinyformer.json")
	if err != nil {
		t.Skip(err)
	}
	var want doc.Document
	if err := json.Unmarshal(data, &want); err != nil {
		t.Fatal(err)
	}
	d := Build(f)
	nums := func(d *doc.Document) (eqs, secs string) {
		var e, s []string
		for _, x := range d.Equations {
			if x.Number != nil {
				e = append(e, *x.Number)
			}
		}
		for _, x := range d.Sections {
			if x.Number != "" {
				s = append(s, x.Number+" "+x.Title)
			}
		}
		return strings.Join(e, " "), strings.Join(s, "|")
	}
	ge, gs := nums(d)
	we, ws := nums(&want)
	if ge != we {
		t.Errorf("equations\n got %s\nwant %s", ge, we)
	}
	if gs != ws {
		t.Errorf("sections\n got %s\nwant %s", gs, ws)
	}
}

// TestSynthPDFSections reads the synthetic papers in testdata/synth (made
// without hyperref, so the sections come from style and sequence alone).
func TestSynthPDFSections(t *testing.T) {
	for _, tc := range []struct{ name, want string }{
		{"ieee", "I INTRODUCTION|II METHOD|REFERENCES"},
		{"natbib", "1 Introduction|2 Results|References|A Extra results"},
		{"twocol", "1 Introduction|2 Method|References|A Proofs"},
	} {
		f, err := pdf.Open(context.Background(), "testdata/synth/"+tc.name+".pdf", pdf.Options{})
		if err != nil {
			t.Skip("no PDF reader or test file: ", err)
		}
		var got []string
		for _, s := range Build(f).Sections {
			got = append(got, strings.TrimSpace(s.Number+" "+s.Title))
		}
		if strings.Join(got, "|") != tc.want {
			t.Errorf("%s: sections %q, want %q", tc.name, got, tc.want)
		}
	}
}

// Lines built without characters (as other tests do) must not panic.
func TestLinesWithoutChars(t *testing.T) {
	ls := []layout.Line{
		{Page: 1, Text: "1 Introduction", Bold: true, Size: 12, X0: 72, X1: 200, Baseline: 100, Spans: []layout.Span{{X0: 72, X1: 200, Text: "1 Introduction", First: 0, Last: 3}}},
		{Page: 1, Text: "x = y (1)", Size: 10, Math: 0.8, X0: 250, X1: 540, Baseline: 130, Spans: []layout.Span{{X0: 250, X1: 300, Text: "x = y", First: 0, Last: 2, Math: 0.8}, {X0: 520, X1: 540, Text: "(1)", First: 3, Last: 5}}},
	}
	L := &layout.Doc{Pages: []layout.Page{{Number: 1, Width: 612, Height: 792, Lines: ls, Columns: 1}}, Body: 10, Columns: 1}
	p := newPaper(L, doc.New())
	p.sections()
	p.equations()
	p.text()
	p.eqRefs()
}
