package pdfdoc

import (
	"fmt"
	"path/filepath"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/reprohq/repro/doc"
	"github.com/reprohq/repro/internal/golden"
	"github.com/reprohq/repro/internal/pdf"
	"github.com/reprohq/repro/internal/pdf/layout"
)

// refLines builds a references section: a heading, then entries given as
// lines; a line starting with ">" is a continuation line (indented by
// indent points), others start an entry at x. Lines go down one column,
// moving to the next page after perPage lines.
func refLines(indent, gap float64, perPage int, entries ...[]string) []layout.Line {
	lines := []layout.Line{bold(tline(1, 0, 72, 80, 12, "References"), -1)}
	y, page, n := 100.0, 1, 0
	for _, e := range entries {
		for k, t := range e {
			x := 72.0
			if k > 0 {
				x += indent
			}
			lines = append(lines, tline(page, 0, x, y, 9, t))
			y += 11
			n++
			if n%perPage == 0 {
				page++
				y = 100
			}
		}
		y += gap
	}
	return lines
}

func TestSplitReferences(t *testing.T) {
	authorYear := [][]string{
		{"Doe, J. and Smith, A. A study of things. In", "Proceedings of Things, 2020."},
		{"Roe, R. Short one. arXiv:2001.01234, 2020."},
		{"Poe, E. A much longer entry that needs three lines", "to be printed because its title goes on and on", "and on. Journal of Length, 2019."},
	}
	numbered := [][]string{
		{"[1] J. Doe and A. Smith. A study of things. In", "Proceedings of Things, 2020."},
		{"[2] R. Roe. Short one. arXiv:2001.01234, 2020."},
		{"[3] E. Poe. A much longer entry that needs", "three lines. Journal of Length, 2019."},
	}
	dotted := [][]string{
		{"1. J. Doe and A. Smith. A study of things. In", "Proceedings of Things, 2020."},
		{"2. R. Roe. Short one. 2020."},
	}
	tests := []struct {
		name    string
		lines   []layout.Line
		want    int
		wantKey string // key of the second entry
	}{
		{"hanging indent", refLines(10, 0, 100, authorYear...), 3, "ref2"},
		{"hanging indent across pages", refLines(10, 0, 2, authorYear...), 3, "ref2"},
		{"gaps between entries, no indent", refLines(0, 4, 100, authorYear...), 3, "ref2"},
		{"bracketed numbers", refLines(14, 0, 100, numbered...), 3, "2"},
		{"numbers with a period", refLines(14, 0, 100, dotted...), 2, "2"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := newTestPaper(append([]layout.Line{prose(1, 60, proseText)}, tt.lines...))
			p.Heading[1] = true
			p.references()
			if len(p.D.References) != tt.want {
				for _, r := range p.D.References {
					t.Logf("%q", r.Title)
				}
				t.Fatalf("%d references, want %d", len(p.D.References), tt.want)
			}
			if k := p.D.References[1].Key; k != tt.wantKey {
				t.Errorf("key %q, want %q", k, tt.wantKey)
			}
			if p.RefStart != 2 || p.RefEnd != len(p.Lines) {
				t.Errorf("range %d-%d", p.RefStart, p.RefEnd)
			}
			if p.Used[0] || !p.Used[2] {
				t.Errorf("used flags wrong")
			}
		})
	}
}

func TestReferencesByDestAndCitations(t *testing.T) {
	lines := refLines(10, 0, 100,
		[]string{"Doe, J. and Smith, A. A study of things. In", "Proceedings of Things, 2020."},
		[]string{"Roe, R. Short one. arXiv:2001.01234, 2020."},
	)
	body := []layout.Line{prose(1, 40, proseText), prose(1, 52, proseText)}
	p := newTestPaper(append(body, lines...))
	p.Section[0], p.Section[1] = "1", "2"
	// anchors a line above each entry's baseline, with and without an x
	p.L.Dests = []pdf.Dest{
		{Name: "cite.doe20", Page: 1, X: 72, Y: 90, HasXY: true},
		{Name: "cite.roe20", Page: 1, Y: 112, HasXY: true},
		{Name: "section.1", Page: 1, Y: 10, HasXY: true},
	}
	// the second citation of doe20 is two links (names and year)
	p.L.Pages[0].Links = []pdf.Link{
		{X0: 100, Y0: 33, X1: 140, Y1: 41, Dest: "cite.doe20"},
		{X0: 100, Y0: 45, X1: 140, Y1: 53, Dest: "cite.doe20"},
		{X0: 145, Y0: 45, X1: 165, Y1: 53, Dest: "cite.doe20"},
		{X0: 300, Y0: 45, X1: 330, Y1: 53, Dest: "cite.roe20"},
	}
	p.references()
	if len(p.D.References) != 2 {
		t.Fatalf("%d references", len(p.D.References))
	}
	doe, roe := p.D.References[0], p.D.References[1]
	if doe.Key != "doe20" || roe.Key != "roe20" {
		t.Errorf("keys %q %q", doe.Key, roe.Key)
	}
	if doe.Cited != 2 || fmt.Sprint(doe.CitedIn) != "[1 2]" || roe.Cited != 1 || fmt.Sprint(roe.CitedIn) != "[2]" {
		t.Errorf("citations: %d %v, %d %v", doe.Cited, doe.CitedIn, roe.Cited, roe.CitedIn)
	}
	if roe.ArxivID != "2001.01234" {
		t.Errorf("arXiv %q", roe.ArxivID)
	}
}

func TestReferencesStopAtAppendix(t *testing.T) {
	lines := refLines(10, 0, 100,
		[]string{"Doe, J. A study of things. 2020."},
		[]string{"Roe, R. Short one. 2020."},
	)
	lines = append(lines, bold(tline(1, 0, 72, 300, 12, "A Proofs of the theorems"), -1), prose(1, 320, proseText))
	p := newTestPaper(lines)
	p.Heading[0] = true
	p.references()
	if len(p.D.References) != 2 || p.RefEnd != 3 || p.Used[4] {
		t.Errorf("%d references, end %d", len(p.D.References), p.RefEnd)
	}
}

func TestKeyPrefix(t *testing.T) {
	tests := []struct {
		key, text string
		want      int
	}{
		{"abbasi2011improved", "Abbasi-Yadkori, Y., Pál, D.", 6},
		{"smith20", "[12] J. Smith. Things.", 0},
		{"de2005tutorial", "De Boer, P.-T.", 2},
	}
	for _, tt := range tests {
		if got := keyPrefix(tt.key, tt.text); got != tt.want {
			t.Errorf("keyPrefix(%q, %q) = %d, want %d", tt.key, tt.text, got, tt.want)
		}
	}
}

// FuzzSplitRefs feeds arbitrary text through the reference splitter,
// the caption reader and the algorithm step reader: none may panic.
func FuzzSplitRefs(f *testing.F) {
	f.Add("[1] J. Doe. Things.\n[2] R. Roe. More things.\nAppendix", 10.0)
	f.Add("Doe, J. Things\n  continued. 2020.\nTable 1: caption\n1: for i do\nFigure A.1. x", 0.0)
	f.Add("Algorithm 3 Name\nRequire: x\n1: return x ▷ done", 4.0)
	f.Fuzz(func(t *testing.T, text string, indent float64) {
		if !utf8.ValidString(text) || len(text) > 4000 {
			return
		}
		var lines []layout.Line
		lines = append(lines, bold(tline(1, 0, 72, 40, 12, "References"), -1))
		y := 60.0
		for k, s := range strings.Split(text, "\n") {
			x := 72.0
			if strings.HasPrefix(s, " ") {
				x += indent
			}
			parts := strings.Split(s, "\t")
			lines = append(lines, tline(1+k/40, k%2, x, y, 9, parts...))
			y += 11
		}
		p := newTestPaper(lines)
		p.front()
		p.references()
		p.floats()
		for _, r := range p.D.References {
			if r.Key == "" {
				t.Errorf("empty key")
			}
		}
	})
}

// BenchmarkFinders runs the front matter, reference and float finders on
// a corpus paper.
func BenchmarkFinders(b *testing.B) {
	const id = "gadre-datacomp-neurips23"
	dir := filepath.Join(golden.CorpusDir(b), id)
	f := corpusFile(b, dir, id)
	if f == nil {
		b.Skip("no corpus PDF or dump")
	}
	l := layout.Analyze(f)
	b.ResetTimer()
	for b.Loop() {
		p := newPaper(l, doc.New())
		p.sections()
		p.front()
		p.references()
		p.floats()
	}
}

func TestReferencesWithoutHeading(t *testing.T) {
	var lines []layout.Line
	for k := 0; k < 6; k++ {
		lines = append(lines, prose(1, 40+12*float64(k), proseText))
	}
	for k, e := range []string{"[1] J. Doe. A study. 2020.", "[2] R. Roe. Short one. 2020.", "[3] E. Poe. Longer. 2019."} {
		lines = append(lines, tline(2, 0, 72, 100+11*float64(k), 9, e))
	}
	p := newTestPaper(lines)
	p.references()
	if len(p.D.References) != 3 || p.RefStart != 6 || !p.Used[6] || p.Used[5] {
		t.Errorf("%d references from %d", len(p.D.References), p.RefStart)
	}
}

func TestNumberedCitationsWithoutLinks(t *testing.T) {
	body := []layout.Line{
		prose(1, 40, "as shown before [1, 3] and in [2–3], for x ∈ [0, 1] and y = [1]"),
		prose(1, 52, "see [3] again"),
	}
	lines := refLines(14, 0, 100,
		[]string{"[1] J. Doe. A study. 2020."},
		[]string{"[2] R. Roe. Short one. 2020."},
		[]string{"[3] E. Poe. Longer. 2019."},
	)
	p := newTestPaper(append(body, lines...))
	p.Section[0], p.Section[1] = "1", "2"
	p.Heading[2] = true
	p.references()
	var got []string
	for _, r := range p.D.References {
		got = append(got, fmt.Sprintf("%s:%d%v", r.Key, r.Cited, r.CitedIn))
	}
	if strings.Join(got, " ") != "1:1[1] 2:1[1] 3:3[1 2]" {
		t.Errorf("got %v", got)
	}
}
