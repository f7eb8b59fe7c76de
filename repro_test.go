package repro

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/reprohq/repro/doc"
	"github.com/reprohq/repro/internal/golden"
	"github.com/reprohq/repro/internal/render"
)

const example = "examples/tinyformer"

func extract(t testing.TB, path string) *doc.Document {
	t.Helper()
	d, err := Extract(context.Background(), path, Options{})
	if err != nil {
		t.Fatalf("extract %s: %v", path, err)
	}
	return d
}

// TestExampleGolden pins the JSON and Markdown of the example paper.
func TestExampleGolden(t *testing.T) {
	d := extract(t, example)
	d.Stats = doc.Stats{} // timing and sizes vary
	var js, md bytes.Buffer
	if err := render.JSON(&js, d); err != nil {
		t.Fatal(err)
	}
	if err := render.Markdown(&md, d, render.Options{Version: "golden"}); err != nil {
		t.Fatal(err)
	}
	golden.Check(t, "testdata/tinyformer.json", js.Bytes())
	golden.Check(t, "testdata/tinyformer.context.md", md.Bytes())
}

// exampleTruth is the format of examples/tinyformer/truth.json, computed
// by LaTeX itself (see truth.sh).
type exampleTruth struct {
	Equations []string          `json:"equations"`
	Labels    map[string]string `json:"labels"`
	Tables    []struct {
		Number, Caption string
	} `json:"tables"`
	Figures []struct {
		Number, Caption string
	} `json:"figures"`
	Algorithms []struct {
		Number, Caption string
	} `json:"algorithms"`
	Sections []struct {
		Number, Title, Level string
	} `json:"sections"`
	Bibitems int `json:"bibitems"`
}

// compareTruth checks the extraction against LaTeX's own numbers.
func compareTruth(t *testing.T, d *doc.Document, truthJSON []byte) {
	t.Helper()
	var tr exampleTruth
	if err := json.Unmarshal(truthJSON, &tr); err != nil {
		t.Fatal(err)
	}
	var nums []string
	labels := map[string]string{}
	for _, e := range d.Equations {
		if e.Number != nil {
			nums = append(nums, *e.Number)
		}
	}
	for k, l := range d.Labels {
		labels[k] = l.Number
	}
	if got, want := strings.Join(nums, " "), strings.Join(tr.Equations, " "); got != want {
		t.Errorf("equation numbers\n got %s\nwant %s", got, want)
	}
	for k, want := range tr.Labels {
		if labels[k] != want {
			t.Errorf("label %s = %q, LaTeX says %q", k, labels[k], want)
		}
	}
	floats := func(kind string, got []string, want []string) {
		if strings.Join(got, " ") != strings.Join(want, " ") {
			t.Errorf("%s numbers\n got %v\nwant %v", kind, got, want)
		}
	}
	var gt, wt, gf, wf, ga, wa, gs, ws []string
	for _, x := range d.Tables {
		gt = append(gt, x.Number)
	}
	for _, x := range tr.Tables {
		wt = append(wt, x.Number)
	}
	for _, x := range d.Figures {
		gf = append(gf, x.Number)
	}
	for _, x := range tr.Figures {
		wf = append(wf, x.Number)
	}
	for _, x := range d.Algorithms {
		ga = append(ga, x.Number)
	}
	for _, x := range tr.Algorithms {
		wa = append(wa, x.Number)
	}
	for _, x := range d.Sections {
		gs = append(gs, x.Number+" "+x.Title)
	}
	for _, x := range tr.Sections {
		ws = append(ws, x.Number+" "+x.Title)
	}
	floats("table", gt, wt)
	floats("figure", gf, wf)
	floats("algorithm", ga, wa)
	floats("section", gs, ws)
	if len(d.References) != tr.Bibitems {
		t.Errorf("%d references, LaTeX printed %d", len(d.References), tr.Bibitems)
	}
}

// TestExampleTruth compares the extraction with the committed truth.
func TestExampleTruth(t *testing.T) {
	data, err := os.ReadFile(filepath.Join(example, "truth.json"))
	if err != nil {
		t.Fatal(err)
	}
	compareTruth(t, extract(t, example), data)
}

// TestExamplePdflatex compiles the example with pdflatex and checks every
// number repro reports against what LaTeX prints.
func TestExamplePdflatex(t *testing.T) {
	for _, tool := range []string{"pdflatex", "bibtex", "perl"} {
		if _, err := exec.LookPath(tool); err != nil {
			t.Skipf("%s not installed (Debian: the packages in %s/TEXLIVE_PACKAGES): %v", tool, example, err)
		}
	}
	if testing.Short() {
		t.Skip("compiling LaTeX takes a few seconds; skipped with -short")
	}
	out := filepath.Join(t.TempDir(), "truth.json")
	cmd := exec.Command("bash", filepath.Join(example, "truth.sh"), out)
	if b, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("truth.sh: %v\n%s", err, b)
	}
	data, err := os.ReadFile(out)
	if err != nil {
		t.Fatal(err)
	}
	compareTruth(t, extract(t, example), data)
}

// generated writes a paper of about size bytes over files of 100 kB: the
// main file inputs every even-numbered file, which inputs the next one.
func generated(t testing.TB, size int) string {
	dir := t.TempDir()
	if err := os.MkdirAll(filepath.Join(dir, "sec"), 0o755); err != nil {
		t.Fatal(err)
	}
	para := `We define the loss \begin{equation} \mathcal{L}_{%d} = \sum_{i=1}^{N} \log p_\theta(x_i \mid \R) \label{eq:g%d} \end{equation}
where $x_i$ is an input and \cite{ref%d} first proposed it, see \eqref{eq:g%d}.

`
	nfiles := size/100_000 + 1
	if nfiles%2 == 1 {
		nfiles++
	}
	var main strings.Builder
	main.WriteString("\\documentclass{article}\n\\newcommand{\\R}{\\mathbb{R}}\n\\begin{document}\n")
	eq := 0
	for f := 0; f < nfiles; f++ {
		var b strings.Builder
		fmt.Fprintf(&b, "\\section{Part %d}\n", f)
		for b.Len() < 100_000 {
			fmt.Fprintf(&b, para, eq, eq, eq%50, eq)
			eq++
		}
		if f%2 == 0 {
			fmt.Fprintf(&main, "\\input{sec/part%04d}\n", f)
			fmt.Fprintf(&b, "\\input{sec/part%04d}\n", f+1)
		}
		if err := os.WriteFile(filepath.Join(dir, fmt.Sprintf("sec/part%04d.tex", f)), []byte(b.String()), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	main.WriteString("\\end{document}\n")
	if err := os.WriteFile(filepath.Join(dir, "main.tex"), []byte(main.String()), 0o644); err != nil {
		t.Fatal(err)
	}
	return dir
}

// TestLargeSource extracts a generated 10 MB source with nested inputs.
func TestLargeSource(t *testing.T) {
	if testing.Short() || raceEnabled {
		t.Skip("large source skipped with -short and under the race detector")
	}
	dir := generated(t, 10<<20)
	start, cpu0 := time.Now(), cpuTime()
	d := extract(t, dir)
	el := time.Since(start)
	if cpu := cpuTime() - cpu0; cpu > 0 {
		// CPU time: other test binaries running beside this one on a
		// busy machine do not count.
		t.Logf("wall %v, CPU %v", el, cpu)
		el = cpu
	}
	if d.Stats.Bytes < 10<<20 {
		t.Fatalf("read %d bytes, want at least 10 MiB", d.Stats.Bytes)
	}
	if len(d.Equations) < 10000 {
		t.Errorf("only %d equations", len(d.Equations))
	}
	t.Logf("10 MiB source: %d files, %d equations in %v", d.Stats.Files, len(d.Equations), el)
	// The target is under 2 s (BenchmarkExtract10MB measures it); the
	// test allows for a machine busy with other test binaries, and still
	// catches anything worse than linear.
	if el > 8*time.Second {
		t.Errorf("extraction took %v; the target is under 2s", el)
	}
}

func BenchmarkExtractExample(b *testing.B) {
	for b.Loop() {
		if _, err := Extract(context.Background(), example, Options{}); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkExtract10MB(b *testing.B) {
	dir := generated(b, 10<<20)
	b.SetBytes(10 << 20)
	for b.Loop() {
		if _, err := Extract(context.Background(), dir, Options{}); err != nil {
			b.Fatal(err)
		}
	}
}
