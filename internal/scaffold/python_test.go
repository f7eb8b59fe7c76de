package scaffold_test

import (
	"context"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/reprohq/repro/doc"
	"github.com/reprohq/repro/internal/graph"
	"github.com/reprohq/repro/internal/scaffold"
)

// TestPythonTinyformer runs the generated project of the example paper
// with Python: pytest passes with every test pending, everything compiles;
// once a fixture fills in model.py and two equations (the attention of
// (3.1) and the layer normalisation of (3.4), with their oracles), the
// training loop runs on CPU and their tests pass for real.
func TestPythonTinyformer(t *testing.T) {
	py := python(t)
	papers := tinyformer(t)
	dir := t.TempDir()
	res := generate(t, papers, scaffold.Options{Out: dir, Git: true})

	start := time.Now()
	results, out, err := pytest(t, py, dir)
	if err != nil {
		t.Fatalf("pytest on the fresh project: %v\n%s", err, out)
	}
	t.Logf("pytest on the fresh project: %d tests in %v", len(results), time.Since(start).Round(time.Millisecond))
	checkPending(t, results)
	if !strings.Contains(out, "pending tests") {
		t.Errorf("pytest does not report the pending tests:\n%s", out)
	}
	// --strict-pending fails them.
	if out, err := run(t, dir, 5*time.Minute, nil, py, "-m", "pytest", "-q", "-x", "-p", "no:cacheprovider", "--strict-pending", "tests/test_equations/test_eq3_1_attn.py"); err == nil {
		t.Errorf("pytest --strict-pending passed:\n%s", out)
	}
	if out, err := run(t, dir, 5*time.Minute, nil, py, "-m", "compileall", "-q", "src", "tests", "scripts"); err != nil || strings.TrimSpace(out) != "" {
		t.Errorf("compileall: %v\n%s", err, out)
	}
	// The configurations parse, and the paper configuration extends the default.
	if out, err := run(t, dir, time.Minute, []string{"PYTHONPATH=src"}, py, "-c",
		"from tinyformer.train import load_config\nfor n in ('default', 'small', 'paper'):\n    c = load_config(f'configs/{n}.yaml')\n    assert c['name'] == n and c['optimizer']['name'] == 'adamw', c\n"); err != nil {
		t.Errorf("configs: %v\n%s", err, out)
	}
	// Before the model exists, training stops with a clear message.
	if out, err := run(t, dir, time.Minute, []string{"PYTHONPATH=src"}, py, "-m", "tinyformer.train", "--config", "configs/small.yaml"); err == nil || !strings.Contains(out, "not implemented yet") {
		t.Errorf("training without a model: %v\n%s", err, out)
	}

	// The fixture: a user fills in the model and two equations, whose tests
	// compare them with their oracles (tests/oracles.py).
	fill := func(name string) string {
		dir := filepath.Join("testdata", "fill")
		if name == "model.py" {
			// The model of the CLI's end-to-end fixture (internal/cli/testdata/implement).
			dir = filepath.Join("..", "cli", "testdata", "implement", "tinyformer")
		}
		b, err := os.ReadFile(filepath.Join(dir, name))
		if err != nil {
			t.Fatal(err)
		}
		return strings.TrimSuffix(string(b), "\n")
	}
	writeFile(t, dir, "src/tinyformer/model.py", fill("model.py")+"\n")
	replace(t, dir, "src/tinyformer/tinyformer_block.py", `    raise NotImplementedError("eq_3_1_attn: equation (3.1) is not implemented yet")`, fill("eq_3_1_attn.py"))
	replace(t, dir, "src/tinyformer/tinyformer_block.py", `    raise NotImplementedError("eq_3_4_ln: equation (3.4) is not implemented yet")`, fill("eq_3_4_ln.py"))

	start = time.Now()
	out, err = run(t, dir, 5*time.Minute, []string{"PYTHONPATH=src"}, py, "-m", "tinyformer.train", "--config", "configs/small.yaml")
	if err != nil {
		t.Fatalf("training: %v\n%s", err, out)
	}
	t.Logf("training on configs/small.yaml: %v", time.Since(start).Round(time.Millisecond))
	if !strings.Contains(out, "step 20/20 loss") || !strings.Contains(out, "val loss") {
		t.Errorf("training output:\n%s", out)
	}
	if _, err := os.Stat(filepath.Join(dir, "checkpoints", "small", "last.pt")); err != nil {
		t.Errorf("no checkpoint: %v", err)
	}
	if out, err := run(t, dir, 5*time.Minute, []string{"PYTHON=" + py}, "sh", "scripts/evaluate.sh", "configs/small.yaml"); err != nil || !strings.Contains(out, `"accuracy"`) {
		t.Errorf("scripts/evaluate.sh: %v\n%s", err, out)
	}

	results, out, err = pytest(t, py, dir)
	if err != nil {
		t.Fatalf("pytest after the fixture: %v\n%s", err, out)
	}
	passed := 0
	for name, r := range results {
		implemented := strings.Contains(name, "test_eq3_1_attn::") || strings.Contains(name, "test_eq3_4_ln::") || strings.Contains(name, "test_model::")
		want := "skipped"
		switch {
		case implemented, strings.HasSuffix(name, "::test_equations_exist"):
			want = "passed"
		}
		if r != want {
			t.Errorf("%s: %s, want %s", name, r, want)
		}
		if implemented && r == "passed" {
			passed++
		}
	}
	if passed != 13 {
		t.Errorf("%d tests of the implemented code passed, want 13 (5 + 5 equations, 3 model)", passed)
	}

	// A re-run keeps the user's files and commits nothing.
	res2 := generate(t, papers, scaffold.Options{Out: dir, Git: true})
	wantKept := []string{"src/tinyformer/model.py", "src/tinyformer/tinyformer_block.py"}
	if !slices.Equal(res2.Kept, wantKept) || len(res2.Written) != 0 || len(res2.Unchanged) != len(res.Written)-len(wantKept) {
		t.Errorf("re-run: kept %v, written %v, %d unchanged", res2.Kept, res2.Written, len(res2.Unchanged))
	}
	if c := gitCommits(t, dir); len(c) != 1 {
		t.Errorf("git log %q, want one commit", c)
	}
}

// TestPythonHostile generates a paper whose LaTeX tries to break the
// generated Python: triple quotes, backslashes at the ends of lines and of
// the text, escapes, control characters, odd labels and numbers.
func TestPythonHostile(t *testing.T) {
	py := python(t)
	d := hostileDoc()
	dir := t.TempDir()
	generate(t, []graph.Paper{{ID: "hep-th/9901001", Doc: d}}, scaffold.Options{Out: dir})
	if out, err := run(t, dir, time.Minute, nil, py, "-W", "error", "-m", "compileall", "-q", "src", "tests", "scripts"); err != nil || strings.TrimSpace(out) != "" {
		t.Fatalf("compileall: %v\n%s", err, out)
	}
	results, out, err := pytest(t, py, dir)
	if err != nil {
		t.Fatalf("pytest: %v\n%s", err, out)
	}
	checkPending(t, results)
	check := "import yaml, sys\nsys.path.insert(0, 'src')\n" +
		"from quoted_title_backslash.train import load_config\n" +
		"c = load_config('configs/paper.yaml')\n" +
		"assert c['optimizer']['lr'] == 3e-4 and c['optimizer']['name'] == 'adamw', c['optimizer']\n" +
		"assert c['optimizer']['betas'] == [0.9, 0.98], c['optimizer']\n" +
		"assert c['train']['batch_size'] == 16 and c['model']['hidden_dim'] == 24, c\n" +
		"assert c['schedule']['name'] == 'cosine', c['schedule']\n" +
		"assert c['paper']['learning_rate'] == 1e-3 and c['paper']['weird_name'] == 'a\": b', c['paper']\n" +
		"import json\njson.load(open('notebooks/quickstart.ipynb'))\n"
	if out, err := run(t, dir, time.Minute, nil, py, "-c", check); err != nil {
		t.Errorf("configs: %v\n%s\n%s", err, out, readFile(t, dir, "configs/paper.yaml"))
	}
}

// hostileDoc is a paper whose text tries to break the generated files.
func hostileDoc() *doc.Document {
	num := func(s string) *string { return &s }
	d := doc.New()
	d.Title = `A "Quoted" Title with \backslash\ and """triple""" quotes`
	d.Sections = []doc.Section{{Number: "1", Title: `Model "x" \`, Level: 1}, {Number: "2", Title: "import", Level: 1}, {Number: "3", Title: "Data", Level: 1}}
	for i, l := range []string{
		`f(x) = """ \" \\" x \`,
		`\N{BULLET} \u00e9 \x00 ` + "\x00\x07\r\n" + `y = x'' \\`,
		`\text{"} = \mathrm{lambda}(\lambda, \lambda', X, x, X, x_{1}, \alpha_{\beta}) \\`,
		"",
		`g = \begin{cases} 1 & x > 0 \\ 0 \end{cases} ` + strings.Repeat("z + ", 200),
	} {
		d.Equations = append(d.Equations, doc.Equation{
			ID: "eq" + string(rune('a'+i)), Number: num([]string{"1", "1'", "2.(a)", "B", "3"}[i]), Label: []string{`eq:"q"`, `eq:\x`, "", "eq:", "eq:long"}[i],
			LaTeX: l, LaTeXExpanded: l, Section: []string{"1", "1", "2", "2", "3"}[i],
			Context: doc.Context{Before: `Then """ holds \`, After: `where \ ends"`},
		})
	}
	d.Algorithms = []doc.Algorithm{{Number: "1", Caption: `Run """ \`, Section: "1", Pseudocode: "x \\gets 1 \"\"\"\n\\", Inputs: []string{`a "b" \`}}}
	d.Datasets = []doc.Dataset{{Name: `Set "A" \`, Source: doc.Provenance{Section: "3", Quote: `we use "A" \`}}}
	d.Hyperparameters = []doc.Hyperparameter{
		{Name: "learning_rate", Value: 3e-4, Raw: "3e-4", Kind: "number", Source: doc.Provenance{Section: "3", Quote: `lr "3e-4" \`}},
		{Name: "optimizer", Value: "AdamW", Raw: "AdamW", Kind: "text", Source: doc.Provenance{Section: "3", Table: "1"}},
		{Name: "batch_size", Value: []float64{16, 32}, Raw: "16 or 32", Kind: "list", Source: doc.Provenance{Section: "3"}},
		{Name: "beta2", Value: 0.98, Raw: "0.98", Kind: "number"},
		{Name: "hidden_size", Value: 24.0, Raw: "24", Kind: "number"},
		{Name: "weird: name\n#", Value: `a": b`, Raw: `a": b`, Kind: "text"},
		{Name: "schedule", Value: "cosine decay", Raw: "cosine decay", Kind: "text"},
		{Name: "learning_rate", Value: 1e-3, Raw: "1e-3", Kind: "number"},
	}
	return d
}

// corpusDir holds the shared corpus of real papers, when present.
const corpusDir = "../../../shared/corpus/papers"

// TestPythonCorpus scaffolds every paper of the corpus and runs pytest and
// compileall on each project.
func TestPythonCorpus(t *testing.T) {
	dirs, _ := filepath.Glob(filepath.Join(corpusDir, "*"))
	if len(dirs) == 0 {
		t.Skip("corpus not present: " + corpusDir)
	}
	if testing.Short() {
		t.Skip("corpus: skipped in -short mode")
	}
	py := python(t)
	type job struct {
		id, dir string
		files   int
	}
	var jobs []job
	var total time.Duration
	for _, d := range dirs {
		if fi, err := os.Stat(d); err != nil || !fi.IsDir() {
			continue
		}
		dc, err := extract(d)
		if err != nil {
			t.Logf("%s: %v", filepath.Base(d), err)
			continue
		}
		id := filepath.Base(d)
		out := t.TempDir()
		res, err := scaffold.Generate(context.Background(), []graph.Paper{{ID: id, Doc: dc}}, nil, scaffold.Options{Out: out, Version: "test"})
		if err != nil {
			t.Errorf("%s: %v", id, err)
			continue
		}
		total += res.Elapsed
		t.Logf("scaffold %-40s %4d equations %3d files %v", id, len(dc.Equations), len(res.Written), res.Elapsed.Round(time.Microsecond))
		if res.Elapsed > time.Second {
			t.Errorf("%s: scaffolding took %v", id, res.Elapsed)
		}
		jobs = append(jobs, job{id, out, len(res.Written)})
	}
	t.Logf("scaffold: %d papers in %v", len(jobs), total.Round(time.Millisecond))

	start := time.Now()
	var mu sync.Mutex
	sem := make(chan struct{}, max(1, runtime.NumCPU()))
	var wg sync.WaitGroup
	for _, j := range jobs {
		wg.Add(1)
		go func() {
			defer wg.Done()
			sem <- struct{}{}
			defer func() { <-sem }()
			t0 := time.Now()
			out, err := run(t, j.dir, 5*time.Minute, nil, py, "-m", "pytest", "-q", "-x", "-p", "no:cacheprovider")
			el := time.Since(t0)
			cout, cerr := run(t, j.dir, 5*time.Minute, nil, py, "-m", "compileall", "-q", "src", "tests", "scripts")
			mu.Lock()
			defer mu.Unlock()
			if err != nil {
				t.Errorf("%s: pytest: %v\n%s", j.id, err, tail(out, 40))
			}
			if cerr != nil || strings.TrimSpace(cout) != "" {
				t.Errorf("%s: compileall: %v\n%s", j.id, cerr, cout)
			}
			t.Logf("pytest %-40s %v: %s", j.id, el.Round(time.Millisecond), lastLine(out))
		}()
	}
	wg.Wait()
	t.Logf("pytest: %d projects in %v", len(jobs), time.Since(start).Round(time.Millisecond))
}

func tail(s string, n int) string {
	lines := strings.Split(strings.TrimRight(s, "\n"), "\n")
	if len(lines) > n {
		lines = lines[len(lines)-n:]
	}
	return strings.Join(lines, "\n")
}

func lastLine(s string) string {
	lines := strings.Split(strings.TrimSpace(s), "\n")
	return lines[len(lines)-1]
}
