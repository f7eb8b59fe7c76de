package report

import (
	"encoding/xml"
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/reprohq/repro"
	"github.com/reprohq/repro/doc"
	"github.com/reprohq/repro/internal/bench"
	"github.com/reprohq/repro/internal/check"
	"github.com/reprohq/repro/internal/golden"
	"github.com/reprohq/repro/internal/graph"
	"github.com/reprohq/repro/internal/testenv"
)

var shots = flag.String("shots", "", "write the browser screenshots into this folder (default: a temporary one)")

func example(t testing.TB) *doc.Document {
	t.Helper()
	d, err := repro.Extract(t.Context(), filepath.Join("..", "..", "examples", "tinyformer"), repro.Options{})
	if err != nil {
		t.Fatal(err)
	}
	return d
}

// exampleInput is the example paper with a check in which its first
// equation fails, the next few pass and the rest are pending, and benchmark
// results for some targets.
func exampleInput(t testing.TB) *Input {
	d := example(t)
	rep := &check.Report{Python: "/usr/bin/python3 (3.11.2)", Totals: map[string]int{}}
	n := 0
	for _, e := range d.Equations {
		if e.Number == nil {
			continue
		}
		it := check.Item{Paper: "tinyformer", Number: *e.Number, Test: "tests/test_equations/test_" + *e.Number + ".py"}
		switch {
		case n == 0:
			it.Status, it.Message = "failing", "test_oracle (line 12): AssertionError: Not equal to tolerance rtol=1e-06"
		case n < 6:
			it.Status = "passing"
		default:
			it.Status, it.Message = "pending", "NotImplementedError"
		}
		n++
		rep.Equations = append(rep.Equations, it)
		rep.Totals[it.Status]++
	}
	for _, a := range d.Algorithms {
		rep.Algorithms = append(rep.Algorithms, check.Item{Paper: "tinyformer", Number: a.Number, Status: "passing"})
	}
	cov := 78.3
	rep.Coverage = &cov
	rep.Tools = []check.Tool{{Name: "pytest", Ran: true, OK: false, Message: "1 failed, 5 passed"},
		{Name: "ruff", Message: "not installed", Hint: "pip install ruff"}}
	f := bench.NewFile(bench.FromResults("tinyformer", d.Results))
	var results []bench.Result
	for i, tg := range f.Targets {
		if i%3 == 2 {
			continue
		}
		v := tg.Value
		if i == 0 {
			v -= 3 * tg.Tolerance.Bound(tg.Value)
		}
		results = append(results, bench.Result{Dataset: tg.Dataset, Metric: tg.Metric, Setting: tg.Setting, Value: v, File: "results.csv", Line: i + 2})
	}
	return &Input{Title: "tinyformer-repro", Papers: []Paper{{ID: "tinyformer", Doc: d}}, Check: rep,
		CheckNote: "a check made up for this test", Bench: bench.Compare(f, results), BenchNote: "Results of a test.",
		Generator: "repro test"}
}

func TestGolden(t *testing.T) {
	page, stats, err := HTML(exampleInput(t))
	if err != nil {
		t.Fatal(err)
	}
	golden.Check(t, filepath.Join("testdata", "tinyformer.html"), page)
	if stats.Equations == 0 || stats.MathML != stats.Equations {
		t.Errorf("stats %+v: want every equation of the example as MathML", stats)
	}
}

func TestContent(t *testing.T) {
	in := exampleInput(t)
	page, _, err := HTML(in)
	if err != nil {
		t.Fatal(err)
	}
	s := string(page)
	for _, want := range []string{
		`<math display="block">`,
		`class="badge s-failing"`, `class="badge s-passing"`, `class="badge s-pending"`,
		"AssertionError: Not equal to tolerance", // the failing equation's message
		"78.3 %",                                 // coverage
		"<svg",                                   // the benchmark chart
		in.Bench.Verdict,
		"Algorithm 1", "Hyperparameters", "Table 1.",
	} {
		if !strings.Contains(s, want) {
			t.Errorf("report lacks %q", want)
		}
	}
	// Self-contained: nothing is loaded from elsewhere.
	for _, bad := range []string{"<script", "<link", `src="http`, "@import", "url(http"} {
		if strings.Contains(s, bad) {
			t.Errorf("report contains %q: it must load nothing", bad)
		}
	}
}

// TestFallback shows an equation the parser cannot read as its LaTeX.
func TestFallback(t *testing.T) {
	d := doc.New()
	one, two := "1", "2"
	d.Title = "Fallback <test>"
	d.Equations = []doc.Equation{
		{Number: &one, LaTeX: `a = \frac{b}{c}`, LaTeXExpanded: `a = \frac{b}{c}`},
		{Number: &two, LaTeX: `x = \weird{<y>}`, LaTeXExpanded: `x = \weird{<y>}`},
	}
	page, stats, err := HTML(&Input{Title: "t", Papers: []Paper{{ID: "p", Doc: d}}})
	if err != nil {
		t.Fatal(err)
	}
	if stats.MathML != 1 || stats.Fallback != 1 {
		t.Errorf("stats %+v, want 1 MathML and 1 fallback", stats)
	}
	s := string(page)
	if !strings.Contains(s, `<pre class="tex"`) || !strings.Contains(s, `x = \weird{&lt;y&gt;}`) {
		t.Errorf("the unreadable equation is not shown as escaped LaTeX")
	}
	if strings.Contains(s, "Fallback <test>") {
		t.Errorf("title not escaped")
	}
	if !strings.Contains(s, "unchecked") {
		t.Errorf("without a check, equations should be unchecked")
	}
}

// TestApprox: an equation read from a PDF is marked approximate; when its
// reconstructed LaTeX does not parse, the text the PDF prints is shown.
func TestApprox(t *testing.T) {
	d := doc.New()
	one, two := "1", "2"
	d.Equations = []doc.Equation{
		{Number: &one, LaTeX: `a = b`, LaTeXExpanded: `a = b`, Approx: true, Text: "a = b"},
		{Number: &two, LaTeX: `x= \ T \frac{\sum`, LaTeXExpanded: `x= \ T \frac{\sum`, Approx: true, Text: "x = (1/T) Σ_t h_t"},
	}
	page, stats, err := HTML(&Input{Title: "t", Papers: []Paper{{ID: "p", Doc: d}}})
	if err != nil {
		t.Fatal(err)
	}
	s := string(page)
	if stats.MathML != 1 || stats.Fallback != 1 {
		t.Errorf("stats %+v", stats)
	}
	if strings.Count(s, `class="badge s-approx"`) != 2 {
		t.Errorf("both equations should be marked approximate")
	}
	if !strings.Contains(s, `<pre class="printed" title="as the PDF prints it">x = (1/T) Σ_t h_t</pre>`) {
		t.Errorf("the unreadable equation should show the printed text")
	}
	if !strings.Contains(s, "LaTeX (reconstructed)") {
		t.Errorf("the reconstructed LaTeX should be offered")
	}
}

func TestGraph(t *testing.T) {
	mk := func(id, title string, refs ...string) graph.Paper {
		d := doc.New()
		d.Title, d.ArxivID = title, id
		for _, r := range refs {
			d.References = append(d.References, doc.Reference{ArxivID: r, Cited: 1})
		}
		return graph.Paper{ID: id, Doc: d}
	}
	ps := []graph.Paper{mk("2401.00003", "C builds on A and B", "2401.00001", "2401.00002"),
		mk("2401.00002", "B builds on A", "2401.00001"), mk("2401.00001", "A")}
	g := graph.Build(ps)
	svg := graphSVG(g, map[string]string{"2401.00001": "A"})
	var v any
	if err := xml.Unmarshal([]byte(svg), &v); err != nil {
		t.Fatalf("graph SVG is not XML: %v", err)
	}
	if n := strings.Count(svg, "<rect"); n != 3 {
		t.Errorf("%d nodes, want 3", n)
	}
	if n := strings.Count(svg, "marker-end="); n != 3 {
		t.Errorf("%d edges, want 3", n)
	}
	// A is implemented first: layer 0, leftmost.
	if !strings.Contains(svg, ">1. 2401.00001<") {
		t.Errorf("A is not first in the order:\n%s", svg)
	}
	var in Input
	for _, p := range ps {
		in.Papers = append(in.Papers, Paper{ID: p.ID, Doc: p.Doc})
	}
	in.Graph = g
	page, _, err := HTML(&in)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(page), `id="graph"`) || !strings.Contains(string(page), "Implementation order") {
		t.Errorf("no graph section for three papers")
	}
}

// TestBrowser opens the reports of the example and of three corpus papers
// in headless Chromium: no console errors, nothing loaded from the
// network, MathML present and laid out (every <math> has a non-zero box,
// fractions are stacked).
func TestBrowser(t *testing.T) {
	testenv.Chromium(t)
	dir := *shots
	if dir == "" {
		dir = t.TempDir()
	} else if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	type page struct {
		name string
		in   *Input
	}
	pages := []page{{"tinyformer", exampleInput(t)}}
	// The example read from its PDF: approximate equations, printed text.
	pd, err := repro.Extract(t.Context(), filepath.Join("..", "pdf", "testdata", "tinyformer.pdf"), repro.Options{})
	if err != nil {
		t.Fatal(err)
	}
	pages = append(pages, page{"tinyformer-pdf", &Input{Title: "tinyformer.pdf", Papers: []Paper{{ID: "tinyformer", Doc: pd}}, Generator: "repro test"}})
	if corpus := corpusDirOrEmpty(t); corpus != "" {
		for _, id := range []string{"ribeiro-demystifying-vdm", "papini-optimist-icml19", "relax-iclr18"} {
			d, err := repro.Extract(t.Context(), filepath.Join(corpus, id), repro.Options{})
			if err != nil {
				t.Fatalf("%s: %v", id, err)
			}
			pages = append(pages, page{id, &Input{Title: id, Papers: []Paper{{ID: id, Doc: d}}, Generator: "repro test"}})
		}
	} else {
		t.Log("corpus absent: only the example is opened")
	}
	for _, p := range pages {
		t.Run(p.name, func(t *testing.T) {
			html, stats, err := HTML(p.in)
			if err != nil {
				t.Fatal(err)
			}
			file := filepath.Join(dir, p.name+".html")
			if err := os.WriteFile(file, html, 0o644); err != nil {
				t.Fatal(err)
			}
			got := testenv.Browse(t, file, dir, "h3", ".alg", "table.data")
			for _, e := range got.Errors {
				t.Errorf("browser: %s", e)
			}
			for _, u := range got.Requests {
				if !strings.HasPrefix(u, "file://") && !strings.HasPrefix(u, "data:") {
					t.Errorf("the page loaded %s", u)
				}
			}
			m := got.Math
			t.Logf("%s: %d <math> (%d display equations: %d MathML, %d LaTeX), %d fractions (%d stacked), display %q, %d px tall; shots %v",
				p.name, m.Math, stats.Equations, stats.MathML, stats.Fallback, m.Fracs, m.FracsStacked, m.Display, m.Height, got.Shots)
			if m.Math < stats.MathML {
				t.Errorf("%d <math> elements in the page, want at least %d", m.Math, stats.MathML)
			}
			if len(m.Zero) > 0 {
				t.Errorf("%d <math> elements have an empty box, e.g. %s", len(m.Zero), m.Zero[0])
			}
			if m.Display != "block math" {
				t.Errorf("computed display of block math is %q, want \"block math\" (MathML not laid out)", m.Display)
			}
			if m.Fracs == 0 || m.FracsStacked != m.Fracs {
				t.Errorf("%d of %d fractions stacked", m.FracsStacked, m.Fracs)
			}
			if m.Pre != stats.Fallback {
				t.Errorf("%d LaTeX fallbacks shown, want %d", m.Pre, stats.Fallback)
			}
		})
	}
}

// corpusDirOrEmpty is golden.CorpusDir without the skip.
func corpusDirOrEmpty(t *testing.T) string {
	var dir string
	t.Run("corpus", func(t *testing.T) { dir = golden.CorpusDir(t) })
	return dir
}

func BenchmarkHTML(b *testing.B) {
	in := exampleInput(b)
	for b.Loop() {
		if _, _, err := HTML(in); err != nil {
			b.Fatal(err)
		}
	}
}
