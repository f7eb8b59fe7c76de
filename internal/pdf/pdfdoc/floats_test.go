package pdfdoc

import (
	"context"
	"encoding/json"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"sync"
	"testing"

	"github.com/reprohq/repro/doc"
	"github.com/reprohq/repro/internal/golden"
	"github.com/reprohq/repro/internal/pdf"
	"github.com/reprohq/repro/internal/pdf/layout"
)

// Synthetic lines for the finders' unit tests.

// tline builds a line of body text at (x, y) with one span per part
// separated by wide gaps.
func tline(page, col int, x, y, size float64, parts ...string) layout.Line {
	l := layout.Line{Page: page, Column: col, X0: x, Y0: y - size*0.75, Y1: y + size*0.25, Baseline: y, Size: size, Font: "NimbusRomNo9L-Regu"}
	cx := x
	var texts []string
	for k, s := range parts {
		w := float64(len([]rune(s))) * size * 0.5
		l.Spans = append(l.Spans, layout.Span{X0: cx, X1: cx + w, Text: s, Size: size, Font: l.Font})
		for _, r := range s {
			l.Chars = append(l.Chars, pdf.Char{R: r, X0: cx, X1: cx + size*0.5, Y0: l.Y0, Y1: l.Y1, OX: cx, OY: y, Size: size, Font: l.Font, Weight: 400})
			cx += size * 0.5
		}
		texts = append(texts, s)
		if k < len(parts)-1 {
			cx += 3 * size
		}
	}
	l.X1 = cx
	l.Text = strings.Join(texts, " ")
	return l
}

// bold sets a line's first n characters (all when n < 0) in bold.
func bold(l layout.Line, n int) layout.Line {
	for k := range l.Chars {
		if n < 0 || k < n {
			l.Chars[k].Weight = 700
			l.Chars[k].Font = "NimbusRomNo9L-Medi"
		}
	}
	if n < 0 {
		l.Bold = true
		for k := range l.Spans {
			l.Spans[k].Bold = true
		}
	}
	return l
}

// newTestPaper builds a paper state from lines (pages are created as
// needed; the body size is 10pt, one column).
func newTestPaper(lines []layout.Line) *paper {
	ld := &layout.Doc{Body: 10, Columns: 1}
	pages := map[int]int{}
	for _, l := range lines {
		k, ok := pages[l.Page]
		if !ok {
			ld.Pages = append(ld.Pages, layout.Page{Number: l.Page, Width: 612, Height: 792})
			k = len(ld.Pages) - 1
			pages[l.Page] = k
		}
		ld.Pages[k].Lines = append(ld.Pages[k].Lines, l)
	}
	p := &paper{L: ld, D: doc.New(), RefStart: -1, RefEnd: -1}
	for _, pg := range ld.Pages {
		p.Lines = append(p.Lines, pg.Lines...)
	}
	p.Section = make([]string, len(p.Lines))
	p.Heading = make([]bool, len(p.Lines))
	p.Used = make([]bool, len(p.Lines))
	return p
}

// prose returns a full-width line of running text.
func prose(page int, y float64, text string) layout.Line {
	l := tline(page, 0, 72, y, 10, text)
	// stretch to the column width like justified text
	l.X1 = 540
	l.Spans[0].X1 = 540
	return l
}

const proseText = "the quick brown fox jumps over the lazy dog and keeps running far away from here now"

func TestCaptions(t *testing.T) {
	tests := []struct {
		name  string
		lines []layout.Line
		want  []string // kind number: caption
	}{
		{
			name: "figure caption with colon, wrapping",
			lines: []layout.Line{
				prose(1, 100, proseText),
				prose(1, 112, proseText),
				tline(1, 0, 72, 200, 9, "Figure 3: Accuracy of the model as a function of the number of training"),
				tline(1, 0, 72, 211, 9, "steps on the validation set."),
				prose(1, 250, proseText),
			},
			want: []string{"figure 3: Accuracy of the model as a function of the number of training steps on the validation set."},
		},
		{
			name: "reference in running text is not a caption",
			lines: []layout.Line{
				prose(1, 100, proseText+" as shown in"),
				prose(1, 112, "Figure 3. the model converges "+proseText),
				prose(1, 124, "Table 2 shows the results "+proseText),
			},
			want: nil,
		},
		{
			name: "appendix numbers and roman numerals",
			lines: []layout.Line{
				tline(1, 0, 72, 100, 9, "Table A.1. Hyperparameters used for every run."),
				prose(1, 150, proseText),
				tline(1, 0, 72, 300, 9, "Table IV: Features used."),
				prose(1, 350, proseText),
				tline(1, 0, 72, 500, 9, "Fig. 2. Overview of the system."),
			},
			want: []string{"table A.1: Hyperparameters used for every run.", "table IV: Features used.", "figure 2: Overview of the system."},
		},
		{
			name: "IEEE label on its own line",
			lines: []layout.Line{
				prose(1, 100, proseText+"."),
				tline(1, 0, 280, 140, 8, "TABLE II"),
				tline(1, 0, 230, 150, 8, "BENCHMARK PROGRAMS AND DATA SETS"),
				tline(1, 0, 72, 170, 8, "Suite", "Programs", "Kernels"),
				tline(1, 0, 72, 180, 8, "AMD SDK", "12", "16"),
				prose(1, 230, proseText),
				prose(1, 242, proseText),
			},
			want: []string{"table II: BENCHMARK PROGRAMS AND DATA SETS"},
		},
		{
			name: "algorithm header with bold label",
			lines: []layout.Line{
				bold(tline(1, 0, 72, 100, 10, "Algorithm 1 Stochastic gradient descent"), 11),
				tline(1, 0, 72, 112, 10, "Require: learning rate"),
				tline(1, 0, 72, 124, 10, "1: for t = 1 to T do"),
				tline(1, 0, 82, 136, 10, "2: update the weights"),
				tline(1, 0, 72, 148, 10, "3: end for"),
			},
			want: []string{"algorithm 1: Stochastic gradient descent"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := newTestPaper(tt.lines)
			p.floats()
			var got []string
			for _, x := range p.D.Tables {
				got = append(got, "table "+x.Number+": "+x.Caption)
			}
			for _, x := range p.D.Figures {
				got = append(got, "figure "+x.Number+": "+x.Caption)
			}
			for _, x := range p.D.Algorithms {
				got = append(got, "algorithm "+x.Number+": "+x.Caption)
			}
			sort.Strings(got)
			want := append([]string(nil), tt.want...)
			sort.Strings(want)
			if strings.Join(got, "\n") != strings.Join(want, "\n") {
				t.Errorf("got\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
			}
		})
	}
}

// trow builds a table row whose cells start at the given x positions.
func trow(page int, y, size float64, xs []float64, cells ...string) layout.Line {
	l := tline(page, 0, xs[0], y, size, cells...)
	l.Chars = nil
	for k, c := range cells {
		x := xs[k]
		first := len(l.Chars)
		for _, r := range c {
			l.Chars = append(l.Chars, pdf.Char{R: r, X0: x, X1: x + size*0.5, Y0: l.Y0, Y1: l.Y1, OX: x, OY: y, Size: size, Font: l.Font, Weight: 400})
			x += size * 0.5
		}
		l.Spans[k].X0, l.Spans[k].X1 = xs[k], x
		l.Spans[k].First, l.Spans[k].Last = first, len(l.Chars)-1
		l.X1 = x
	}
	return l
}

func TestTableCells(t *testing.T) {
	xs := []float64{72, 150, 220}
	lines := []layout.Line{
		tline(1, 0, 72, 100, 9, "Table 1: Results on the benchmark."),
		trow(1, 115, 9, xs, "Method", "Acc", "F1"),
		trow(1, 127, 9, xs, "Baseline", "85.3 ± 0.2", "70.1"),
		bold(trow(1, 139, 9, xs, "Ours", "91.0", "75.5"), -1),
		prose(1, 200, proseText),
		prose(1, 212, proseText),
	}
	p := newTestPaper(lines)
	p.floats()
	if len(p.D.Tables) != 1 {
		t.Fatalf("tables: %+v", p.D.Tables)
	}
	rows := p.D.Tables[0].Rows
	if len(rows) != 3 {
		t.Fatalf("rows: %+v", rows)
	}
	if !rows[0][0].Header || rows[1][0].Header {
		t.Errorf("header flags: %+v", rows)
	}
	c := rows[1][1]
	if c.Value == nil || *c.Value != 85.3 || c.PlusMinus == nil || *c.PlusMinus != 0.2 {
		t.Errorf("cell %+v", c)
	}
	if !rows[2][1].Bold || rows[2][1].Value == nil || *rows[2][1].Value != 91 {
		t.Errorf("bold cell %+v", rows[2][1])
	}
	for i := range p.Lines[:4] {
		if !p.Used[i] {
			t.Errorf("line %d not used", i)
		}
	}
	if p.Used[4] {
		t.Errorf("body line taken by the table")
	}
}

func TestAlgorithmSteps(t *testing.T) {
	lines := []layout.Line{
		bold(tline(1, 0, 72, 100, 10, "Algorithm 2 Training loop"), 11),
		tline(1, 0, 72, 112, 10, "Require: data D, steps T"),
		tline(1, 0, 72, 124, 10, "Ensure: parameters θ"),
		tline(1, 0, 72, 136, 10, "1: for t = 1 to T do"),
		tline(1, 0, 72, 148, 10, "2: if converged then"),
		tline(1, 0, 72, 160, 10, "3: return θ"),
		tline(1, 0, 72, 172, 10, "4: end if"),
		tline(1, 0, 72, 184, 10, "5: end for"),
	}
	// indent the nested steps: the text after "N:" moves right by an em per level
	shift := func(l *layout.Line, dx float64) {
		for k := range l.Chars {
			if k >= 3 {
				l.Chars[k].X0 += dx
				l.Chars[k].X1 += dx
			}
		}
	}
	shift(&lines[4], 10)
	shift(&lines[5], 20)
	shift(&lines[6], 10)
	p := newTestPaper(lines)
	p.floats()
	if len(p.D.Algorithms) != 1 {
		t.Fatalf("algorithms: %+v", p.D.Algorithms)
	}
	a := p.D.Algorithms[0]
	if a.Number != "2" || a.Caption != "Training loop" {
		t.Errorf("header %q %q", a.Number, a.Caption)
	}
	kinds := []string{}
	depths := []int{}
	for _, s := range a.Steps {
		kinds = append(kinds, s.Kind)
		depths = append(depths, s.Depth)
	}
	wantKinds := []string{"require", "ensure", "for", "if", "return", "statement", "statement"}
	if fmt.Sprint(kinds) != fmt.Sprint(wantKinds) {
		t.Errorf("kinds %v, want %v", kinds, wantKinds)
	}
	if fmt.Sprint(depths) != fmt.Sprint([]int{0, 0, 0, 1, 2, 1, 0}) {
		t.Errorf("depths %v", depths)
	}
	if len(a.Inputs) != 1 || a.Inputs[0] != "data D, steps T" || len(a.Outputs) != 1 {
		t.Errorf("inputs %q outputs %q", a.Inputs, a.Outputs)
	}
	if a.Steps[2].Text != "for t = 1 to T do" {
		t.Errorf("step text %q", a.Steps[2].Text)
	}
}

// Corpus.

// corpusTruth is the part of truth.json the float and reference scores use.
type corpusTruth struct {
	Compiled   bool           `json:"compiled"`
	Bibitems   *int           `json:"bibitems"`
	Tables     []truthCaption `json:"tables"`
	Figures    []truthCaption `json:"figures"`
	Algorithms []truthCaption `json:"algorithms"`
}

type truthCaption struct {
	Caption string `json:"caption"`
	Kind    string `json:"kind"`
	Number  string `json:"number"`
}

// The score.py rules (norm_num, words, caption_match) are in
// corpus_test.go: csNormNum, csWords, csCaptionMatch.

type numCap struct{ num, caption string }

// matchFloats is score.py's match_floats; it returns the number matched and
// the unmatched truth and predictions.
func matchFloats(pred, truth []numCap) (int, []numCap, []numCap) {
	used := map[int]bool{}
	tp := 0
	var missed []numCap
	for _, tc := range truth {
		ok := false
		for i, pc := range pred {
			if used[i] || pc.num != tc.num {
				continue
			}
			if csCaptionMatch(pc.caption, tc.caption) {
				used[i] = true
				tp++
				ok = true
				break
			}
		}
		if !ok {
			missed = append(missed, tc)
		}
	}
	var extra []numCap
	for i, pc := range pred {
		if !used[i] {
			extra = append(extra, pc)
		}
	}
	return tp, missed, extra
}

func truthItems(items []truthCaption) []numCap {
	var out []numCap
	for _, it := range items {
		switch it.Kind {
		case "table", "figure", "algorithm", "algocf":
			out = append(out, numCap{csNormNum(it.Number), it.Caption})
		}
	}
	return out
}

// corpusFile loads a corpus paper's text layer: the JSON dump when there
// is one, else compiled.pdf.
func corpusFile(t testing.TB, dir, id string) *pdf.File {
	key := os.Getenv("REPRO_PDFDOC_PDF") + "\x00" + filepath.Join(dir, id)
	corpusMu.Lock()
	defer corpusMu.Unlock()
	if f, ok := corpusFiles[key]; ok {
		return f
	}
	f := loadCorpusFile(t, dir, id)
	corpusFiles[key] = f
	return f
}

// corpusFiles caches the corpus papers' text layers across tests.
var (
	corpusMu    sync.Mutex
	corpusFiles = map[string]*pdf.File{}
)

func loadCorpusFile(t testing.TB, dir, id string) *pdf.File {
	if name := os.Getenv("REPRO_PDFDOC_PDF"); name != "" {
		// another PDF of the paper, such as the authors' paper.pdf
		path := filepath.Join(dir, name)
		if _, err := os.Stat(path); err != nil {
			return nil
		}
		f, err := pdf.Open(context.Background(), path, pdf.Options{})
		if err != nil {
			t.Errorf("%s: %v", id, err)
			return nil
		}
		return f
	}
	dumps := os.Getenv("REPRO_PDFCHARS")
	if dumps == "" {
		dumps = "/tmp/pdfchars"
	}
	if data, err := os.ReadFile(filepath.Join(dumps, id+".json")); err == nil {
		var f pdf.File
		if err := json.Unmarshal(data, &f); err == nil {
			return &f
		}
	}
	path := filepath.Join(dir, "compiled.pdf")
	if _, err := os.Stat(path); err != nil {
		return nil
	}
	f, err := pdf.Open(context.Background(), path, pdf.Options{})
	if err != nil {
		t.Errorf("%s: %v", id, err)
		return nil
	}
	return f
}

// floatScore is matched, predicted and true counts.
type floatScore struct{ tp, pred, truth int }

func (s *floatScore) add(o floatScore) { s.tp += o.tp; s.pred += o.pred; s.truth += o.truth }

func (s floatScore) String() string { return fmt.Sprintf("%d/%d/%d", s.tp, s.pred, s.truth) }

func (s floatScore) recall() float64 {
	if s.truth == 0 {
		return 1
	}
	return float64(s.tp) / float64(s.truth)
}

func (s floatScore) precision() float64 {
	if s.pred == 0 {
		return 1
	}
	return float64(s.tp) / float64(s.pred)
}

// TestCorpusFloatsRefs builds every corpus paper from its PDF and scores
// the tables, figures, algorithms and the bibliography size against the
// truth, as score.py does.
func TestCorpusFloatsRefs(t *testing.T) {
	if testing.Short() {
		t.Skip("corpus test")
	}
	corpus := golden.CorpusDir(t)
	dirs, _ := filepath.Glob(filepath.Join(corpus, "*", "truth.json"))
	if len(dirs) == 0 {
		t.Skip("no corpus")
	}
	verbose := os.Getenv("REPRO_PDFDOC_VERBOSE") != ""
	only := os.Getenv("REPRO_PDFDOC_PAPER")
	var tot [3]floatScore
	refErr, refN, papers := 0.0, 0, 0
	for _, tj := range dirs {
		dir := filepath.Dir(tj)
		id := filepath.Base(dir)
		if only != "" && id != only {
			continue
		}
		var truth corpusTruth
		data, err := os.ReadFile(tj)
		if err != nil || json.Unmarshal(data, &truth) != nil || !truth.Compiled {
			continue
		}
		f := corpusFile(t, dir, id)
		if f == nil {
			continue
		}
		papers++
		if os.Getenv("REPRO_PDFDOC_NODESTS") != "" {
			// as if the paper had no hyperref: the splitter alone
			g := *f
			g.Dests = nil
			for _, d := range f.Dests {
				if !strings.HasPrefix(d.Name, "cite.") {
					g.Dests = append(g.Dests, d)
				}
			}
			f = &g
		}
		d := Build(f)
		var sc [3]floatScore
		var misses []string
		for k, kind := range []string{"table", "figure", "algorithm"} {
			var pred []numCap
			var tr []numCap
			switch kind {
			case "table":
				for _, x := range d.Tables {
					pred = append(pred, numCap{csNormNum(x.Number), x.Caption})
				}
				tr = truthItems(truth.Tables)
			case "figure":
				for _, x := range d.Figures {
					pred = append(pred, numCap{csNormNum(x.Number), x.Caption})
				}
				tr = truthItems(truth.Figures)
			case "algorithm":
				for _, x := range d.Algorithms {
					pred = append(pred, numCap{csNormNum(x.Number), x.Caption})
				}
				tr = truthItems(truth.Algorithms)
			}
			tp, missed, extra := matchFloats(pred, tr)
			sc[k] = floatScore{tp, len(pred), len(tr)}
			tot[k].add(sc[k])
			for _, m := range missed {
				misses = append(misses, fmt.Sprintf("  missed %s %s: %.*q", kind, m.num, capWidth(), m.caption))
			}
			for _, m := range extra {
				misses = append(misses, fmt.Sprintf("  extra  %s %s: %.*q", kind, m.num, capWidth(), m.caption))
			}
		}
		refs := ""
		if truth.Bibitems != nil && *truth.Bibitems > 0 {
			tb := float64(*truth.Bibitems)
			refErr += math.Abs(float64(len(d.References))-tb) / tb
			refN++
		}
		if truth.Bibitems != nil {
			refs = fmt.Sprintf("%d/%d", len(d.References), *truth.Bibitems)
		}
		t.Logf("%-40s tab %-8s fig %-8s alg %-6s refs %-7s arxiv %q", id, sc[0], sc[1], sc[2], refs, d.ArxivID)
		if verbose {
			for _, m := range misses {
				t.Log(m)
			}
		}
	}
	if papers == 0 {
		t.Skip("no corpus PDFs or dumps")
	}
	meanRefErr := 0.0
	if refN > 0 {
		meanRefErr = refErr / float64(refN)
	}
	t.Logf("TOTAL tables %s r=%.2f p=%.2f  figures %s r=%.2f p=%.2f  algorithms %s r=%.2f p=%.2f  refs mean abs rel err %.3f",
		tot[0], tot[0].recall(), tot[0].precision(), tot[1], tot[1].recall(), tot[1].precision(),
		tot[2], tot[2].recall(), tot[2].precision(), meanRefErr)
	if only != "" {
		return
	}
	var all floatScore
	for k, s := range tot {
		all.add(s)
		if r := s.recall(); r < corpusKindRecallFloor {
			t.Errorf("%s recall %.3f below %.2f", []string{"table", "figure", "algorithm"}[k], r, corpusKindRecallFloor)
		}
	}
	if r := all.recall(); r < corpusFloatRecallFloor {
		t.Errorf("float recall %.3f below %.2f", r, corpusFloatRecallFloor)
	}
	if pr := all.precision(); pr < corpusFloatPrecisionFloor {
		t.Errorf("float precision %.3f below %.2f", pr, corpusFloatPrecisionFloor)
	}
	if meanRefErr > corpusRefErrCeiling {
		t.Errorf("references: mean relative error %.3f above %.2f", meanRefErr, corpusRefErrCeiling)
	}
}

// Floors a little under what the corpus reaches (tables, figures and
// algorithms together 335/336 in recall and precision; the bibliography
// sizes exact).
const (
	corpusFloatRecallFloor    = 0.97
	corpusFloatPrecisionFloor = 0.97
	corpusKindRecallFloor     = 0.90
	corpusRefErrCeiling       = 0.03
)

// capWidth is how much of a caption the corpus test logs.
func capWidth() int {
	if os.Getenv("REPRO_PDFDOC_VERBOSE") == "full" {
		return 2000
	}
	return 90
}

// TestSyntheticPDFs builds the synthetic papers in testdata/synth (styles
// the corpus lacks: IEEE labels, algorithm2e, numbered and author-year
// bibliographies without hyperref, minipage captions side by side).
func TestSyntheticPDFs(t *testing.T) {
	type want struct {
		title    string
		authors  string
		abstract string   // prefix
		floats   []string // "kind number: caption prefix"
		refs     int
		arxiv    []string // arXiv IDs among the references
	}
	tests := map[string]want{
		"twocol": {
			title: "A Synthetic Paper About Widgets and Gadgets", authors: "Alice Example; Bob Sample",
			abstract: "We study widgets.",
			floats: []string{
				"table 1: Results of the widget classifier",
				"table 2: Hyperparameters used for all experiments.",
				"figure 1: Overview of the gadget pipeline.",
				"algorithm 1: Widget to gadget conversion",
			},
			refs: 4, arxiv: []string{"2001.01234"},
		},
		"ieee": {
			title: "Fast Widgets for Slow Gadgets", authors: "Carol Tester; Dave Checker",
			abstract: "We make widgets fast.",
			floats: []string{
				"table I: BENCHMARK PROGRAMS AND THEIR SIZES",
				"figure 1: The architecture of the widget accelerator",
				"algorithm 1: Widget acceleration",
			},
			refs: 3,
		},
		"natbib": {
			title: "Gadget Learning with Hanging Captions", authors: "Erin Writer; Frank Coder",
			abstract: "Gadgets learn.",
			floats: []string{
				"table 1: Gadget accuracy on the test sets",
				"figure 1: Left panel of the comparison between small gadgets and large gadgets over time.",
				"figure 2: Right panel showing the widget count",
				"figure 3: An appendix figure.",
				"algorithm 1: Gadget training",
			},
			refs: 3, arxiv: []string{"1901.01234"},
		},
	}
	for name, w := range tests {
		t.Run(name, func(t *testing.T) {
			f, err := pdf.Open(context.Background(), filepath.Join("testdata", "synth", name+".pdf"), pdf.Options{})
			if err != nil {
				t.Fatal(err)
			}
			d := Build(f)
			if d.Title != w.title {
				t.Errorf("title %q", d.Title)
			}
			if a := strings.Join(d.Authors, "; "); a != w.authors {
				t.Errorf("authors %q", a)
			}
			if !strings.HasPrefix(d.Abstract, w.abstract) {
				t.Errorf("abstract %q", d.Abstract)
			}
			var got []string
			for _, x := range d.Tables {
				got = append(got, "table "+x.Number+": "+x.Caption)
			}
			for _, x := range d.Figures {
				got = append(got, "figure "+x.Number+": "+x.Caption)
			}
			for _, x := range d.Algorithms {
				got = append(got, "algorithm "+x.Number+": "+x.Caption)
			}
			if len(got) != len(w.floats) {
				t.Errorf("floats:\n%s", strings.Join(got, "\n"))
			}
			for _, wf := range w.floats {
				found := false
				for _, g := range got {
					found = found || strings.HasPrefix(g, wf)
				}
				if !found {
					t.Errorf("no %q in\n%s", wf, strings.Join(got, "\n"))
				}
			}
			if len(d.References) != w.refs {
				t.Errorf("%d references, want %d", len(d.References), w.refs)
			}
			var ids []string
			for _, r := range d.References {
				if r.ArxivID != "" {
					ids = append(ids, r.ArxivID)
				}
			}
			if fmt.Sprint(ids) != fmt.Sprint(w.arxiv) && !(len(ids) == 0 && len(w.arxiv) == 0) {
				t.Errorf("arXiv IDs %v, want %v", ids, w.arxiv)
			}
			for _, tb := range d.Tables {
				if len(tb.Rows) < 2 {
					t.Errorf("table %s: %d rows", tb.Number, len(tb.Rows))
				}
			}
		})
	}
}
