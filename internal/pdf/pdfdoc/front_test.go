package pdfdoc

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/reprohq/repro/internal/golden"
	"github.com/reprohq/repro/internal/pdf"
	"github.com/reprohq/repro/internal/pdf/layout"
)

func TestFrontSynthetic(t *testing.T) {
	title1 := tline(1, -1, 150, 100, 17, "Learning Things from Other Things")
	title2 := tline(1, -1, 200, 121, 17, "at Scale")
	authors := bold(tline(1, -1, 120, 160, 10, "Ada Lovelace", "Alan M. Turing", "Grace Hopper"), -1)
	aff := tline(1, -1, 120, 172, 10, "University of Somewhere", "Some Institute")
	mail := tline(1, -1, 120, 184, 10, "ada@example.org")
	abs := bold(tline(1, -1, 280, 220, 12, "Abstract"), -1)
	a1 := tline(1, -1, 108, 240, 10, "We study things. Things are hard to learn from other things,")
	a2 := tline(1, -1, 108, 252, 10, "but we show it is possible.")
	intro := bold(tline(1, -1, 72, 280, 12, "1 Introduction"), -1)
	body := prose(1, 300, proseText)
	p := newTestPaper([]layout.Line{title1, title2, authors, aff, mail, abs, a1, a2, intro, body})
	p.Heading[8] = true
	p.front()
	if p.D.Title != "Learning Things from Other Things at Scale" {
		t.Errorf("title %q", p.D.Title)
	}
	if strings.Join(p.D.Authors, "; ") != "Ada Lovelace; Alan M. Turing; Grace Hopper" {
		t.Errorf("authors %q", p.D.Authors)
	}
	if p.D.Abstract != "We study things. Things are hard to learn from other things, but we show it is possible." {
		t.Errorf("abstract %q", p.D.Abstract)
	}
	if p.Used[9] {
		t.Errorf("body line taken")
	}
}

func TestSplitNames(t *testing.T) {
	tests := []struct{ in, want string }{
		{"Ada Lovelace, Alan Turing and Grace Hopper", "Ada Lovelace|Alan Turing|Grace Hopper"},
		{"Ada Lovelace|Alan Turing|", "Ada Lovelace|Alan Turing"},
		{"Ada Lovelace & Ludwig van Beethoven", "Ada Lovelace|Ludwig van Beethoven"},
		{"Some Institute of Things", ""},
		{"x y z", ""},
	}
	for _, tt := range tests {
		if got := strings.Join(splitNames(tt.in), "|"); got != tt.want {
			t.Errorf("splitNames(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestParseStamp(t *testing.T) {
	tests := []struct{ in, id, date string }{
		{"arXiv:1707.06347v2 [cs.LG] 20 Jul 2017", "1707.06347", "2017-07-20"},
		{"arXiv:1707.06347v2  [cs.LG]  20Jul2017", "1707.06347", "2017-07-20"},
		{"arXiv:hep-th/9901001v1 [hep-th] 4 Jan 1999", "hep-th/9901001", "1999-01-04"},
		{"arXiv:1234.5678 [cs.LG]", "", ""}, // month 34 is not a month
		{"see arXiv preprint", "", ""},
	}
	for _, tt := range tests {
		id, date, _ := parseStamp(tt.in)
		if id != tt.id || date != tt.date {
			t.Errorf("parseStamp(%q) = %q %q, want %q %q", tt.in, id, date, tt.id, tt.date)
		}
	}
}

func TestArxivStampRotated(t *testing.T) {
	// the stamp's characters rotated by 90°, bottom to top, in the left margin
	text := "arXiv:1707.06347v2 [cs.LG] 20 Jul 2017"
	var l layout.Line
	y := 600.0
	for _, r := range text {
		l.Chars = append(l.Chars, pdf.Char{R: r, X0: 20, X1: 30, Y0: y - 5, Y1: y, OX: 30, OY: y, Size: 20, Angle: 4.7124})
		if r == ' ' {
			l.Chars[len(l.Chars)-1].Generated = true
		}
		y -= 5
	}
	p := newTestPaper([]layout.Line{prose(1, 100, proseText)})
	p.L.Pages[0].Removed = []layout.Line{l}
	p.arxivID()
	if p.D.ArxivID != "1707.06347" || p.D.Date != "2017-07-20" {
		t.Errorf("got %q %q", p.D.ArxivID, p.D.Date)
	}
}

// TestCorpusFront logs the front matter read from every corpus paper and
// checks the title against meta.json's.
func TestCorpusFront(t *testing.T) {
	if testing.Short() {
		t.Skip("corpus test")
	}
	corpus := golden.CorpusDir(t)
	metas, _ := filepath.Glob(filepath.Join(corpus, "*", "meta.json"))
	n, ok := 0, 0
	for _, mj := range metas {
		dir := filepath.Dir(mj)
		id := filepath.Base(dir)
		var meta struct {
			Title string `json:"title"`
		}
		data, err := os.ReadFile(mj)
		if err != nil || json.Unmarshal(data, &meta) != nil {
			continue
		}
		f := corpusFile(t, dir, id)
		if f == nil {
			continue
		}
		d := Build(f)
		n++
		if csCaptionMatch(d.Title, meta.Title) {
			ok++
		}
		abs := d.Abstract
		if len(abs) > 80 {
			abs = abs[:80]
		}
		t.Logf("%-38s title %q\n    authors %q\n    abstract %d chars %q arxiv %q date %q", id, d.Title, d.Authors, len(d.Abstract), abs, d.ArxivID, d.Date)
	}
	if n == 0 {
		t.Skip("no corpus PDFs or dumps")
	}
	t.Logf("titles matching meta.json: %d/%d", ok, n)
	if float64(ok) < 0.8*float64(n) {
		t.Errorf("titles: %d/%d match", ok, n)
	}
}

func TestJoinTitle(t *testing.T) {
	vocab := map[string]int{"gradient": 3, "black": 1, "box": 1}
	tests := []struct {
		parts []string
		want  string
	}{
		{[]string{"FOR BLACK-BOX GRA-", "DIENT ESTIMATION"}, "FOR BLACK-BOX GRADIENT ESTIMATION"},
		{[]string{"Learning to Gra-", "dient"}, "Learning to Gradient"},
		{[]string{"A SELF-", "SUPERVISED MODEL"}, "A SELF-SUPERVISED MODEL"}, // "selfsupervised" is no word of the paper
		{[]string{"Two", "Lines"}, "Two Lines"},
	}
	for _, tc := range tests {
		if got := joinTitle(tc.parts, vocab); got != tc.want {
			t.Errorf("joinTitle(%q) = %q, want %q", tc.parts, got, tc.want)
		}
	}
}
