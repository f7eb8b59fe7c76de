package scaffold_test

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"golang.org/x/tools/txtar"

	"github.com/reprohq/repro/internal/golden"
	"github.com/reprohq/repro/internal/graph"
	"github.com/reprohq/repro/internal/plan"
	"github.com/reprohq/repro/internal/scaffold"
	"github.com/reprohq/repro/internal/xerr"
)

// tree returns the project's files (without .git and caches) with their
// SHA-256, one "hash  path" a line, and a few of them whole as a txtar.
func tree(t *testing.T, dir string, whole []string) (manifest []byte, archive []byte) {
	t.Helper()
	var lines []string
	ar := &txtar.Archive{Comment: []byte("The generated project of examples/tinyformer: a few files whole (the manifest has them all).\n")}
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() && (d.Name() == ".git" || d.Name() == "__pycache__") {
			return filepath.SkipDir
		}
		if d.IsDir() {
			return nil
		}
		rel, _ := filepath.Rel(dir, p)
		rel = filepath.ToSlash(rel)
		b, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		h := sha256.Sum256(b)
		lines = append(lines, hex.EncodeToString(h[:12])+"  "+rel)
		if slices.Contains(whole, rel) {
			ar.Files = append(ar.Files, txtar.File{Name: rel, Data: b})
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	slices.SortFunc(lines, func(a, b string) int { return strings.Compare(a[26:], b[26:]) })
	return []byte(strings.Join(lines, "\n") + "\n"), txtar.Format(ar)
}

// TestTinyformer generates the project of the example paper and checks its
// files, their determinism, git, and what a second run does.
func TestTinyformer(t *testing.T) {
	papers := tinyformer(t)
	p := plan.Build(nil, papers, plan.Options{Version: "test"})
	dir := t.TempDir()
	start := time.Now()
	res, err := scaffold.Generate(context.Background(), papers, p, scaffold.Options{Out: dir, Version: "test", Git: true})
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("tinyformer: %d files in %v (Elapsed %v); %s", len(res.Written), time.Since(start), res.Elapsed, res.GitNote)
	if res.Elapsed > time.Second {
		t.Errorf("scaffolding took %v, want well under a second", res.Elapsed)
	}
	if len(res.Unchanged)+len(res.Kept)+len(res.Extended) != 0 {
		t.Errorf("first run: unchanged %v, kept %v, extended %v; want none", res.Unchanged, res.Kept, res.Extended)
	}

	manifest, archive := tree(t, dir, []string{
		"pyproject.toml", "README.md", "configs/paper.yaml", "src/tinyformer/tinyformer_block.py",
		"tests/test_equations/test_eq3_1_attn.py", "tests/test_algorithms/test_alg1_train.py", "tests/conftest.py",
	})
	golden.Check(t, "testdata/tinyformer.files", manifest)
	golden.Check(t, "testdata/tinyformer.txtar", archive)

	// Deterministic: a second project from the same input is the same.
	dir2 := t.TempDir()
	generate(t, papers, scaffold.Options{Out: dir2})
	if m2, _ := tree(t, dir2, nil); !bytes.Equal(manifest, m2) {
		t.Errorf("two runs give different projects:\n%s", golden.Diff("second run", m2, manifest))
	}

	// Every test file of the plan, one per numbered equation and algorithm.
	numbered := 0
	for _, e := range papers[0].Doc.Equations {
		if e.NumberString() != "" {
			numbered++
		}
	}
	for _, a := range papers[0].Doc.Algorithms {
		if a.Number != "" {
			numbered++
		}
	}
	if len(p.Tests) != numbered {
		t.Errorf("the plan has %d test files for %d numbered equations and algorithms", len(p.Tests), numbered)
	}
	for _, tf := range p.Tests {
		src := readFile(t, dir, tf.Path)
		if !strings.Contains(src, "@pytest.mark.pending") || !strings.Contains(src, tf.Item) {
			t.Errorf("%s: not a pending test of %s %s", tf.Path, tf.Kind, tf.Item)
		}
	}
	// Each stub quotes its equation.
	block := readFile(t, dir, "src/tinyformer/tinyformer_block.py")
	for _, want := range []string{
		// The parameters of the equation's oracle (tests/oracles.py).
		"def eq_3_1_attn(\n    Q: torch.Tensor,\n    K: torch.Tensor,\n    V: torch.Tensor,\n    d_k: torch.Tensor,\n) -> torch.Tensor:",
		`\operatorname{Attn}(Q, K, V) = \operatorname{softmax}`,
		`raise NotImplementedError("eq_3_1_attn: equation (3.1) is not implemented yet")`,
		"Test: tests/test_equations/test_eq3_1_attn.py",
		"def alg_1_train(",
	} {
		if !strings.Contains(block, want) {
			t.Errorf("tinyformer_block.py lacks %q", want)
		}
	}

	checkNotebook(t, filepath.Join(dir, "notebooks", "quickstart.ipynb"))
	for _, s := range []string{"scripts/train.sh", "scripts/evaluate.sh"} {
		fi, err := os.Stat(filepath.Join(dir, s))
		if err != nil {
			t.Fatal(err)
		}
		if fi.Mode().Perm()&0o111 == 0 {
			t.Errorf("%s is not executable: %v", s, fi.Mode())
		}
		if sh := readFile(t, dir, s); !strings.HasPrefix(sh, "#!/bin/sh\n") {
			t.Errorf("%s does not start with a shebang", s)
		}
	}
	if readme := readFile(t, dir, "README.md"); !strings.Contains(readme, "## The pending-test convention") ||
		!strings.Contains(readme, "| `tinyformer_block` (`src/tinyformer/tinyformer_block.py`) | §3 The TinyFormer Block |") {
		t.Error("README.md lacks the convention or the status table")
	}
	if _, err := os.Stat(filepath.Join(dir, "papers", "tinyformer.context.md")); err != nil {
		t.Error(err)
	}

	// Git: one commit, and none more when nothing changed.
	needGit(t)
	if c := gitCommits(t, dir); len(c) != 1 {
		t.Fatalf("git log: %q, want one commit", c)
	}
	res2 := generate(t, papers, scaffold.Options{Out: dir, Git: true})
	if len(res2.Written) != 0 || len(res2.Kept) != 0 || len(res2.Unchanged) != len(res.Written) {
		t.Errorf("second run: written %v, kept %v, %d unchanged; want nothing but %d unchanged", res2.Written, res2.Kept, len(res2.Unchanged), len(res.Written))
	}
	if c := gitCommits(t, dir); len(c) != 1 {
		t.Errorf("second run: git log %q, want one commit", c)
	}
	if out, _ := run(t, dir, time.Minute, nil, "git", "status", "--porcelain"); strings.TrimSpace(out) != "" {
		t.Errorf("second run left changes:\n%s", out)
	}

	// A user's edit survives, and so does a file the user wrote.
	replace(t, dir, "src/tinyformer/tinyformer_block.py",
		`    raise NotImplementedError("eq_3_4_ln: equation (3.4) is not implemented yet")`,
		"    return torch.nn.functional.layer_norm(x, x.shape[-1:])")
	writeFile(t, dir, "configs/small.yaml", "# mine\nextends: default.yaml\n")
	edited := readFile(t, dir, "src/tinyformer/tinyformer_block.py")
	res3 := generate(t, papers, scaffold.Options{Out: dir, Git: true})
	if want := []string{"configs/small.yaml", "src/tinyformer/tinyformer_block.py"}; !slices.Equal(res3.Kept, want) || len(res3.Written) != 0 {
		t.Errorf("after edits: kept %v, written %v; want kept %v", res3.Kept, res3.Written, want)
	}
	if got := readFile(t, dir, "src/tinyformer/tinyformer_block.py"); got != edited {
		t.Error("the edited module was changed")
	}
	if !strings.Contains(res3.GitNote, "nothing changed") {
		t.Errorf("git note %q", res3.GitNote)
	}
	// Deleting a file lets repro write it again.
	if err := os.Remove(filepath.Join(dir, "configs", "small.yaml")); err != nil {
		t.Fatal(err)
	}
	if res4 := generate(t, papers, scaffold.Options{Out: dir}); !slices.Equal(res4.Written, []string{"configs/small.yaml"}) {
		t.Errorf("after deleting configs/small.yaml: written %v", res4.Written)
	}
}

// checkNotebook checks the keys nbformat 4 requires.
func checkNotebook(t *testing.T, path string) {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	var nb struct {
		Cells         []map[string]json.RawMessage `json:"cells"`
		Metadata      map[string]json.RawMessage   `json:"metadata"`
		NBFormat      *int                         `json:"nbformat"`
		NBFormatMinor *int                         `json:"nbformat_minor"`
	}
	if err := json.Unmarshal(b, &nb); err != nil {
		t.Fatalf("notebook: %v", err)
	}
	if nb.NBFormat == nil || *nb.NBFormat != 4 || nb.NBFormatMinor == nil || nb.Metadata == nil || len(nb.Cells) == 0 {
		t.Fatalf("notebook: not nbformat 4: %.200s", b)
	}
	if _, ok := nb.Metadata["repro"]; !ok {
		t.Error("notebook: no repro marker in the metadata")
	}
	for i, c := range nb.Cells {
		var kind string
		_ = json.Unmarshal(c["cell_type"], &kind)
		need := []string{"cell_type", "metadata", "source", "id"}
		if kind == "code" {
			need = append(need, "outputs", "execution_count")
		} else if kind != "markdown" {
			t.Errorf("cell %d: type %q", i, kind)
		}
		for _, k := range need {
			if _, ok := c[k]; !ok {
				t.Errorf("cell %d (%s): no %s", i, kind, k)
			}
		}
	}
}

// TestOptions checks the options that change what is generated, and the
// options that are refused.
func TestOptions(t *testing.T) {
	papers := tinyformer(t)
	tests := []struct {
		name      string
		o         scaffold.Options
		want      []string // files that must exist
		wantNot   []string // files that must not
		usageErr  string   // a usage error holding this text
		readmeHas string
	}{
		{name: "cli", o: scaffold.Options{Output: "cli"}, want: []string{"scripts/train.sh"}, wantNot: []string{"notebooks/quickstart.ipynb"}},
		{name: "notebook", o: scaffold.Options{Output: "notebook"}, want: []string{"notebooks/quickstart.ipynb"}, wantNot: []string{"scripts/train.sh", "scripts/evaluate.sh"}},
		{name: "package", o: scaffold.Options{Package: "tiny"}, want: []string{"src/tiny/tinyformer_block.py", "src/tiny/train.py"}, wantNot: []string{"src/tinyformer/__init__.py"}},
		{
			name: "component", o: scaffold.Options{Intent: "component", Component: "optimization_details"},
			want:      []string{"src/tinyformer/optimization_details.py", "tests/test_equations/test_eqa_4_lr.py"},
			wantNot:   []string{"src/tinyformer/tinyformer_block.py", "tests/test_equations/test_eq3_1_attn.py", "src/tinyformer/model.py", "src/tinyformer/train.py", "tests/test_model.py"},
			readmeHas: "Only the component `tinyformer.optimization_details`",
		},
		{name: "component by section", o: scaffold.Options{Intent: "component", Component: "B"}, want: []string{"src/tinyformer/hard_gated_inference.py"}, wantNot: []string{"src/tinyformer/introduction.py", "configs/default.yaml", "scripts/train.sh"}},
		{name: "colab", o: scaffold.Options{Env: "colab"}, want: []string{"notebooks/quickstart.ipynb"}, readmeHas: "Environment: **colab**"},
		{name: "bad intent", o: scaffold.Options{Intent: "everything"}, usageErr: "unknown intent"},
		{name: "bad env", o: scaffold.Options{Env: "tpu"}, usageErr: "unknown environment"},
		{name: "bad output", o: scaffold.Options{Output: "web"}, usageErr: "unknown output"},
		{name: "bad package", o: scaffold.Options{Package: "Tiny-Former"}, usageErr: "not a Python package name"},
		{name: "component without intent", o: scaffold.Options{Component: "optimization_details"}, usageErr: "only with the intent component"},
		{name: "unknown component", o: scaffold.Options{Intent: "component", Component: "nope"}, usageErr: "no component"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			dir := t.TempDir()
			tc.o.Out = dir
			tc.o.Version = "test"
			_, err := scaffold.Generate(context.Background(), papers, nil, tc.o)
			if tc.usageErr != "" {
				if err == nil || xerr.KindOf(err) != xerr.KindUsage || !strings.Contains(err.Error(), tc.usageErr) {
					t.Fatalf("err = %v, want a usage error about %q", err, tc.usageErr)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			for _, f := range tc.want {
				if _, err := os.Stat(filepath.Join(dir, f)); err != nil {
					t.Errorf("missing %s", f)
				}
			}
			for _, f := range tc.wantNot {
				if _, err := os.Stat(filepath.Join(dir, f)); err == nil {
					t.Errorf("unexpected %s", f)
				}
			}
			if tc.readmeHas != "" && !strings.Contains(readFile(t, dir, "README.md"), tc.readmeHas) {
				t.Errorf("README.md lacks %q", tc.readmeHas)
			}
		})
	}
	if _, err := scaffold.Generate(context.Background(), papers, nil, scaffold.Options{}); xerr.KindOf(err) != xerr.KindUsage {
		t.Errorf("no folder: err = %v, want a usage error", err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := scaffold.Generate(ctx, papers, nil, scaffold.Options{Out: t.TempDir()}); err == nil {
		t.Error("a cancelled context: no error")
	}
}

// TestNewEquations checks that a re-run after the plan gained equations
// writes their tests and stubs, appending the stubs to a module the user
// changed.
func TestNewEquations(t *testing.T) {
	papers := tinyformer(t)
	full := *papers[0].Doc
	d := full
	d.Equations = nil
	for _, e := range full.Equations {
		if n := e.NumberString(); n != "3.5" && n != "3.12" && n != "C.1" {
			d.Equations = append(d.Equations, e)
		}
	}
	dir := t.TempDir()
	generate(t, []graph.Paper{{ID: "tinyformer", Doc: &d}}, scaffold.Options{Out: dir})
	for _, f := range []string{"tests/test_equations/test_eq3_5_ffn.py", "src/tinyformer/reference_implementation.py"} {
		if _, err := os.Stat(filepath.Join(dir, f)); err == nil {
			t.Fatalf("%s exists before its equation", f)
		}
	}
	replace(t, dir, "src/tinyformer/tinyformer_block.py",
		`    raise NotImplementedError("eq_3_4_ln: equation (3.4) is not implemented yet")`,
		"    return torch.nn.functional.layer_norm(x, x.shape[-1:])")
	res := generate(t, []graph.Paper{{ID: "tinyformer", Doc: &full}}, scaffold.Options{Out: dir})
	for _, f := range []string{"tests/test_equations/test_eq3_5_ffn.py", "tests/test_equations/test_eq3_12_smooth.py", "tests/test_equations/test_eqc_1_params.py", "src/tinyformer/reference_implementation.py", "docs/equations.md"} {
		if !slices.Contains(res.Written, f) {
			t.Errorf("%s not written: %v", f, res.Written)
		}
	}
	if !slices.Equal(res.Extended, []string{"src/tinyformer/tinyformer_block.py"}) || !slices.Contains(res.Kept, "src/tinyformer/tinyformer_block.py") {
		t.Errorf("extended %v, kept %v", res.Extended, res.Kept)
	}
	block := readFile(t, dir, "src/tinyformer/tinyformer_block.py")
	for _, want := range []string{"return torch.nn.functional.layer_norm(x, x.shape[-1:])", "def eq_3_5_ffn(x: torch.Tensor)", "def eq_3_12_smooth(x: torch.Tensor)", "# Stubs added by repro test"} {
		if !strings.Contains(block, want) {
			t.Errorf("tinyformer_block.py lacks %q", want)
		}
	}
	if strings.Count(block, "def eq_3_1_attn(") != 1 {
		t.Error("a stub was appended twice")
	}
	// A third run appends nothing more.
	res = generate(t, []graph.Paper{{ID: "tinyformer", Doc: &full}}, scaffold.Options{Out: dir})
	if len(res.Extended) != 0 || len(res.Written) != 0 {
		t.Errorf("third run: extended %v, written %v", res.Extended, res.Written)
	}
	if py := pythonOrEmpty(t); py != "" {
		if out, err := run(t, dir, time.Minute, nil, py, "-m", "compileall", "-q", "src", "tests"); err != nil {
			t.Errorf("compileall: %v\n%s", err, out)
		}
	}
}

// pythonOrEmpty is python without the skip.
func pythonOrEmpty(t *testing.T) string {
	t.Helper()
	var py string
	t.Run("python", func(t *testing.T) { py = python(t) })
	return py
}

// TestFamily generates the three papers of examples/family into one
// project: one package per paper, test names as the plan gives them.
func TestFamily(t *testing.T) {
	papers := family(t)
	p := plan.Build(nil, papers, plan.Options{})
	dir := t.TempDir()
	res, err := scaffold.Generate(context.Background(), papers, p, scaffold.Options{Out: dir, Version: "test"})
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("family: %d files in %v", len(res.Written), res.Elapsed)
	for _, pp := range p.Papers {
		for _, f := range []string{"src/" + pp.Package + "/__init__.py", "src/" + pp.Package + "/model.py", "configs/paper_" + pp.Package + ".yaml", "tests/test_model_" + pp.Package + ".py"} {
			if _, err := os.Stat(filepath.Join(dir, f)); err != nil {
				t.Errorf("missing %s", f)
			}
		}
	}
	for _, tf := range p.Tests {
		if _, err := os.Stat(filepath.Join(dir, tf.Path)); err != nil {
			t.Errorf("missing %s", tf.Path)
		}
	}
	arch := readFile(t, dir, "ARCHITECTURE.md")
	if strings.Count(arch, "```mermaid") != 2 || !strings.Contains(arch, "builds on") {
		t.Error("ARCHITECTURE.md lacks the two diagrams or the links between papers")
	}
	if py := pythonOrEmpty(t); py != "" {
		results, out, err := pytest(t, py, dir)
		if err != nil {
			t.Fatalf("pytest: %v\n%s", err, out)
		}
		checkPending(t, results)
	}
}

// checkPending checks that pytest on a fresh project passed the structural
// tests and skipped every other one.
func checkPending(t *testing.T, results map[string]string) {
	t.Helper()
	if len(results) == 0 {
		t.Error("pytest ran no test")
	}
	for name, r := range results {
		want := "skipped"
		if strings.HasSuffix(name, "::test_equations_exist") {
			want = "passed"
		}
		if r != want {
			t.Errorf("%s: %s, want %s", name, r, want)
		}
	}
}

func family(t *testing.T) []graph.Paper {
	t.Helper()
	var tr struct {
		Papers []struct {
			ID, Dir, ArxivID string
		} `json:"papers"`
	}
	b, err := os.ReadFile("../../examples/family/truth.json")
	if err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(b, &tr); err != nil {
		t.Fatal(err)
	}
	var papers []graph.Paper
	for _, p := range tr.Papers {
		d, err := extract(filepath.Join("../../examples/family", p.Dir))
		if err != nil {
			t.Fatal(err)
		}
		papers = append(papers, graph.Paper{ID: p.ID, ArxivID: p.ArxivID, Doc: d})
	}
	return papers
}

// TestNoGit checks the note when git is missing, and the clock option.
func TestNoGit(t *testing.T) {
	papers := tinyformer(t)
	t.Setenv("PATH", t.TempDir())
	ticks := []time.Time{time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC), time.Date(2025, 1, 1, 0, 0, 2, 0, time.UTC)}
	now := func() time.Time { t0 := ticks[0]; ticks = ticks[1:]; return t0 }
	dir := t.TempDir()
	res := generate(t, papers, scaffold.Options{Out: dir, Git: true, Now: now})
	if !strings.Contains(res.GitNote, "git is not installed") {
		t.Errorf("git note %q", res.GitNote)
	}
	if res.Elapsed != 2*time.Second {
		t.Errorf("elapsed %v with the test clock", res.Elapsed)
	}
	if _, err := os.Stat(filepath.Join(dir, ".git")); err == nil {
		t.Error("a repository was created without git")
	}
}
