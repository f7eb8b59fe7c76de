package layout

import (
	"math"
	"strings"
	"testing"

	"github.com/reprohq/repro/internal/pdf"
)

// put appends the characters of text to a page: each glyph half an em
// wide, words separated by a third of an em, baseline y.
func put(pg *pdf.Page, x, y, size float64, font, text string) float64 {
	for _, r := range text {
		if r == ' ' {
			pg.Chars = append(pg.Chars, pdf.Char{R: ' ', X0: x, X1: x, Y0: y, Y1: y, OX: x, OY: y, Generated: true, Size: size})
			x += 0.33 * size
			continue
		}
		w := 0.5 * size
		pg.Chars = append(pg.Chars, pdf.Char{R: r, X0: x, X1: x + w, Y0: y - 0.7*size, Y1: y + 0.2*size, OX: x, OY: y, Font: font, Size: size, Weight: 400})
		x += w + 0.02*size
	}
	return x
}

const prose = "the quick brown fox jumps over the lazy dog and runs far away"

func newPage(n int) pdf.Page { return pdf.Page{Number: n, Width: 612, Height: 792} }

func texts(ls []Line) []string {
	var out []string
	for _, l := range ls {
		out = append(out, l.Text)
	}
	return out
}

func TestTwoColumns(t *testing.T) {
	pg := newPage(1)
	put(&pg, 150, 60, 14, "Times-Bold", "A Title Across The Page Width Here")
	for i := 0; i < 25; i++ {
		y := 100 + float64(i)*12
		put(&pg, 54, y, 10, "Times-Roman", "left "+prose[:44])
		put(&pg, 315, y, 10, "Times-Roman", "right "+prose[:43])
	}
	d := Analyze(&pdf.File{Pages: []pdf.Page{pg}})
	if d.Columns != 2 || d.Pages[0].Columns != 2 {
		t.Fatalf("columns = %d, page %d; want 2", d.Columns, d.Pages[0].Columns)
	}
	ls := d.Pages[0].Lines
	if len(ls) != 51 {
		t.Fatalf("%d lines: %q", len(ls), texts(ls))
	}
	if ls[0].Column != -1 || !strings.HasPrefix(ls[0].Text, "A Title") {
		t.Errorf("first line %q column %d, want the full-width title", ls[0].Text, ls[0].Column)
	}
	for i := 1; i <= 25; i++ {
		if ls[i].Column != 0 || !strings.HasPrefix(ls[i].Text, "left ") {
			t.Fatalf("line %d = %q (column %d), want the left column first", i, ls[i].Text, ls[i].Column)
		}
	}
	for i := 26; i < 51; i++ {
		if ls[i].Column != 1 || !strings.HasPrefix(ls[i].Text, "right ") {
			t.Fatalf("line %d = %q (column %d), want the right column", i, ls[i].Text, ls[i].Column)
		}
	}
	if d.Body != 10 {
		t.Errorf("body = %v", d.Body)
	}
	if ls[1].Text != strings.TrimSpace("left "+prose[:44]) {
		t.Errorf("text %q", ls[1].Text)
	}
}

func TestFullWidthBand(t *testing.T) {
	// Columns above and below a full-width table in the middle of the
	// page: each band is read left then right.
	pg := newPage(1)
	for i := 0; i < 10; i++ {
		y := 80 + float64(i)*12
		put(&pg, 54, y, 10, "Times-Roman", "upper left "+prose[:38])
		put(&pg, 315, y, 10, "Times-Roman", "upper right "+prose[:37])
	}
	put(&pg, 120, 220, 10, "Times-Roman", "a full width line crossing the gutter of the page")
	for i := 0; i < 10; i++ {
		y := 250 + float64(i)*12
		put(&pg, 54, y, 10, "Times-Roman", "lower left "+prose[:38])
		put(&pg, 315, y, 10, "Times-Roman", "lower right "+prose[:37])
	}
	d := Analyze(&pdf.File{Pages: []pdf.Page{pg}})
	var order []string
	for _, l := range d.Pages[0].Lines {
		k := strings.Join(strings.Fields(l.Text)[:2], " ")
		if len(order) == 0 || order[len(order)-1] != k {
			order = append(order, k)
		}
	}
	want := []string{"upper left", "upper right", "a full", "lower left", "lower right"}
	if strings.Join(order, "|") != strings.Join(want, "|") {
		t.Errorf("order %q, want %q", order, want)
	}
}

func TestRunningHeadersAndStamp(t *testing.T) {
	var pages []pdf.Page
	for n := 1; n <= 5; n++ {
		pg := newPage(n)
		put(&pg, 200, 40, 9, "Times-Italic", "Running Title of the Paper")
		for i := 0; i < 20; i++ {
			put(&pg, 108, 100+float64(i)*12, 10, "Times-Roman", []string{"alpha", "beta", "gamma", "delta", "epsilon"}[n-1]+" "+prose+" "+itoa(i))
		}
		put(&pg, 303, 760, 10, "Times-Roman", string(rune('0'+n)))
		// The arXiv stamp: rotated text at the left margin.
		for i, r := range "arXiv:2101.00001v1 [cs.LG] 1 Jan 2021" {
			y := 600 - float64(i)*6
			pg.Chars = append(pg.Chars, pdf.Char{R: r, X0: 20, X1: 30, Y0: y - 6, Y1: y, OX: 30, OY: y, Font: "Times-Roman", Size: 20, Angle: math.Pi / 2})
		}
		pages = append(pages, pg)
	}
	d := Analyze(&pdf.File{Pages: pages})
	for _, p := range d.Pages {
		if len(p.Lines) != 20 {
			t.Errorf("page %d: %d lines, want 20: %q", p.Number, len(p.Lines), texts(p.Lines))
		}
		var removed []string
		for _, l := range p.Removed {
			removed = append(removed, l.Text)
		}
		got := strings.Join(removed, "|")
		for _, want := range []string{"arXiv:2101.00001v1", "Running Title", string(rune('0' + p.Number))} {
			if !strings.Contains(got, want) {
				t.Errorf("page %d: removed %q, want %q among them", p.Number, got, want)
			}
		}
	}
}

func TestReviewLineNumbers(t *testing.T) {
	pg := newPage(1)
	for i := 0; i < 30; i++ {
		y := 80 + float64(i)*12
		put(&pg, 20, y+1, 7, "Times-Roman", strings.Repeat("0", 3-len(itoa(i)))+itoa(i))
		put(&pg, 108, y, 10, "Times-Roman", prose)
	}
	d := Analyze(&pdf.File{Pages: []pdf.Page{pg}})
	if n := len(d.Pages[0].Lines); n != 30 {
		t.Fatalf("%d lines", n)
	}
	for _, l := range d.Pages[0].Lines {
		if l.Text != prose {
			t.Errorf("line %q still has its number", l.Text)
		}
	}
	if len(d.Pages[0].Removed) != 30 {
		t.Errorf("%d removed, want 30", len(d.Pages[0].Removed))
	}
}

func itoa(i int) string {
	if i == 0 {
		return "0"
	}
	s := ""
	for ; i > 0; i /= 10 {
		s = string(rune('0'+i%10)) + s
	}
	return s
}

func TestScriptsLigaturesMath(t *testing.T) {
	pg := newPage(1)
	x := put(&pg, 100, 100, 10, "Times-Roman", "the e")
	x = put(&pg, x, 100, 10, "Times-Roman", "\ufb03cient value ")
	x = put(&pg, x, 100, 10, "CMMI10", "x")
	put(&pg, x+0.3, 96, 7, "CMR7", "2")
	// An equation line: mostly math.
	x = put(&pg, 200, 140, 10, "CMMI10", "y")
	x = put(&pg, x+3, 140, 10, "CMR10", "=")
	put(&pg, x+3, 140, 10, "CMMI10", "\u03b1x")
	d := Analyze(&pdf.File{Pages: []pdf.Page{pg}})
	ls := d.Pages[0].Lines
	if len(ls) != 2 {
		t.Fatalf("lines %q", texts(ls))
	}
	if ls[0].Text != "the efficient value x2" {
		t.Errorf("text %q", ls[0].Text)
	}
	if ls[0].Math <= 0 || ls[0].Math > 0.3 {
		t.Errorf("math of a text line = %v", ls[0].Math)
	}
	if ls[1].Math < 0.6 {
		t.Errorf("math of an equation line = %v", ls[1].Math)
	}
}

func TestSpansAndNumber(t *testing.T) {
	pg := newPage(1)
	x := put(&pg, 250, 100, 10, "CMMI10", "f")
	put(&pg, x+2, 100, 10, "CMR10", "(x)")
	put(&pg, 490, 100, 10, "CMR10", "(3)")
	d := Analyze(&pdf.File{Pages: []pdf.Page{pg}})
	l := d.Pages[0].Lines[0]
	if len(l.Spans) != 2 || l.Spans[1].Text != "(3)" {
		t.Fatalf("spans %+v", l.Spans)
	}
	if c := l.Chars[l.Spans[1].First]; c.R != '(' {
		t.Errorf("span first char %q", c.R)
	}
}

func TestJoinLines(t *testing.T) {
	for _, tc := range []struct {
		in   []string
		want string
	}{
		{[]string{"we ran the experi-", "ments twice"}, "we ran the experiments twice"},
		{[]string{"a state-of-the-", "Art model"}, "a state-of-the-Art model"},
		{[]string{"first line", "second line"}, "first line second line"},
		{[]string{"  ", "x"}, "x"},
		{[]string{"ends with 3-", "4 items"}, "ends with 3-4 items"},
		{[]string{"trained end-", "to-end here"}, "trained end-to-end here"},
	} {
		if got := JoinLines(tc.in); got != tc.want {
			t.Errorf("JoinLines(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
}

func TestJoinLinesWith(t *testing.T) {
	known := map[string]bool{"zeroth": true, "order": true}
	keep := func(l, r string) bool { return known[l] && known[r] }
	got := JoinLinesWith([]string{"a zeroth-", "order method, an experi-", "ment"}, keep)
	if got != "a zeroth-order method, an experiment" {
		t.Errorf("got %q", got)
	}
}

func TestHyphenMark(t *testing.T) {
	pg := newPage(1)
	x := put(&pg, 100, 100, 10, "Times-Roman", "experi")
	pg.Chars = append(pg.Chars, pdf.Char{R: 2, X0: x, X1: x + 3, Y0: 93, Y1: 102, OX: x, OY: 100, Font: "Times-Roman", Size: 10})
	put(&pg, 100, 112, 10, "Times-Roman", "ments were run")
	d := Analyze(&pdf.File{Pages: []pdf.Page{pg}})
	ls := d.Pages[0].Lines
	if len(ls) != 2 || !ls[0].Hyphen {
		t.Fatalf("lines %q hyphen %v", texts(ls), len(ls) > 0 && ls[0].Hyphen)
	}
	if got := JoinText(ls); got != "experiments were run" {
		t.Errorf("joined %q", got)
	}
}

func TestEmpty(t *testing.T) {
	d := Analyze(&pdf.File{})
	if len(d.Pages) != 0 || d.Columns != 1 {
		t.Errorf("%+v", d)
	}
	d = Analyze(&pdf.File{Pages: []pdf.Page{{Number: 1}}})
	if len(d.Pages) != 1 || len(d.Pages[0].Lines) != 0 {
		t.Errorf("%+v", d)
	}
}

func FuzzAnalyze(f *testing.F) {
	f.Add([]byte("hello world (3) \x02 x"), 2.0)
	f.Add([]byte{0, 1, 2, 3, 255, 128, 64}, 0.0)
	f.Fuzz(func(t *testing.T, data []byte, angle float64) {
		pg := pdf.Page{Number: 1, Width: 612, Height: 792}
		for i := 0; i+3 < len(data); i += 4 {
			r := rune(data[i]) | rune(data[i+1]&0x3f)<<8
			x := float64(data[i+2]) * 2.4
			y := float64(data[i+3]) * 3.1
			size := float64(data[i]%16) + float64(data[i+1]%3)
			c := pdf.Char{R: r, X0: x, X1: x + size/2, Y0: y - size, Y1: y, OX: x, OY: y, Size: size, Font: []string{"CMMI10", "CMEX10", "Times-Roman", ""}[data[i+2]%4]}
			if data[i+3]%7 == 0 {
				c.Generated = true
			}
			if data[i+3]%11 == 0 {
				c.Angle = angle
			}
			pg.Chars = append(pg.Chars, c)
		}
		d := Analyze(&pdf.File{Pages: []pdf.Page{pg, pg}})
		for _, p := range d.Pages {
			for _, l := range p.Lines {
				for _, s := range l.Spans {
					if s.First < 0 || s.Last >= len(l.Chars) || s.First > s.Last {
						t.Fatalf("span %+v out of range (%d chars)", s, len(l.Chars))
					}
				}
			}
		}
	})
}
