package cli

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/reprohq/repro/internal/bench"
	"github.com/reprohq/repro/internal/testenv"
)

// withoutTool returns a PATH without the folders that hold any of tools,
// so that a test sees them absent on any machine.
func withoutTool(tools ...string) string {
	var keep []string
	for _, dir := range filepath.SplitList(os.Getenv("PATH")) {
		has := false
		for _, tool := range tools {
			if fi, err := os.Stat(filepath.Join(dir, tool)); err == nil && !fi.IsDir() {
				has = true
			}
		}
		if !has {
			keep = append(keep, dir)
		}
	}
	return strings.Join(keep, string(filepath.ListSeparator))
}

type checkJSON struct {
	Equations  []checkItemJSON `json:"equations"`
	Algorithms []checkItemJSON `json:"algorithms"`
	Tools      []struct {
		Name    string `json:"name"`
		Ran     bool   `json:"ran"`
		OK      bool   `json:"ok"`
		Message string `json:"message"`
	} `json:"tools"`
}

type checkItemJSON struct {
	Number  string `json:"number"`
	Status  string `json:"status"`
	Test    string `json:"test"`
	Message string `json:"message"`
}

type benchJSON struct {
	Verdict string `json:"verdict"`
	Targets []struct {
		Dataset   string   `json:"dataset"`
		Metric    string   `json:"metric"`
		Paper     float64  `json:"paper"`
		Ours      *float64 `json:"ours"`
		Tolerance float64  `json:"tolerance"`
		Status    string   `json:"status"`
	} `json:"targets"`
}

func runRepro(t *testing.T, args ...string) (code int, stdout, stderr string) {
	t.Helper()
	ios, _, out, errOut := Test()
	code = Run(context.Background(), ios, args)
	return code, out.String(), errOut.String()
}

func readTestdata(t *testing.T, name string) string {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("testdata", "implement", "tinyformer", name))
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

var (
	defRe  = regexp.MustCompile(`(?m)^def (\w+)\(`)
	stubRe = regexp.MustCompile(`(?s)\ndef (\w+)\((.*?)\)[^\n]*:\n.*?\n(    raise NotImplementedError\("\w+: [^\n]*\n)`)
)

// implement fills the scaffolded example project in as a user would: every
// stub of every module (its raise line becomes a call of the fixture's
// implementation, appended to the module under the name _impl_<stub>) and
// the model.
func implement(t *testing.T, dir string) {
	t.Helper()
	common := readTestdata(t, "_common.py")
	for _, m := range []string{"tinyformer_block", "introduction", "experiments", "optimization_details", "hard_gated_inference", "reference_implementation"} {
		p := filepath.Join(dir, "src", "tinyformer", m+".py")
		b, err := os.ReadFile(p)
		if err != nil {
			t.Fatal(err)
		}
		impl := defRe.ReplaceAllString(readTestdata(t, m+".py"), "def _impl_$1(")
		src := string(b)
		for _, sm := range stubRe.FindAllStringSubmatch(src, -1) {
			name := sm[1]
			if !strings.Contains(impl, "def _impl_"+name+"(") {
				t.Fatalf("%s: the fixture does not implement %s", m, name)
			}
			var params []string
			for _, p := range strings.Split(sm[2], ",") {
				if n, _, _ := strings.Cut(strings.TrimSpace(p), ":"); n != "" {
					params = append(params, strings.TrimSpace(n))
				}
			}
			src = strings.Replace(src, sm[3], "    return _impl_"+name+"("+strings.Join(params, ", ")+")\n", 1)
		}
		if err := os.WriteFile(p, []byte(src+common+"\n\n"+impl), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	if err := os.WriteFile(filepath.Join(dir, "src", "tinyformer", "model.py"), []byte(readTestdata(t, "model.py")), 0o644); err != nil {
		t.Fatal(err)
	}
}

// replaceIn replaces the first old in the file with new; old must be there.
func replaceIn(t *testing.T, path, old, new string) {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(b), old) {
		t.Fatalf("%s: no %q", path, old)
	}
	if err := os.WriteFile(path, []byte(strings.Replace(string(b), old, new, 1)), 0o644); err != nil {
		t.Fatal(err)
	}
}

func decodeCheck(t *testing.T, stdout string) checkJSON {
	t.Helper()
	var r checkJSON
	if err := json.Unmarshal([]byte(stdout), &r); err != nil {
		t.Fatalf("repro check --json: %v\n%s", err, stdout)
	}
	return r
}

// TestCheckBenchExample is the whole verification story on the example
// paper, as a user lives it: scaffold, check a fresh project (everything
// pending), implement every equation, check again (everything passing,
// with real pytest and torch, ruff absent and skipped), break one equation
// (named, with its failing assertion), then compare results with the
// paper's numbers.
func TestCheckBenchExample(t *testing.T) {
	py := testenv.Python(t, "pytest", "torch", "numpy", "yaml")
	t.Setenv("PATH", withoutTool("ruff", "uv"))
	dir := filepath.Join(t.TempDir(), "tf")
	if code, out, errOut := runRepro(t, "scaffold", "--no-git", "--python", py, "--out", dir, "../../examples/tinyformer"); code != 0 {
		t.Fatalf("scaffold: exit %d\n%s%s", code, out, errOut)
	}

	// A fresh project: every equation pending, nothing failing.
	code, out, errOut := runRepro(t, "check", "--json", "--skip", "types,coverage", dir)
	if code != 0 {
		t.Fatalf("check on a fresh project: exit %d\n%s%s", code, out, errOut)
	}
	fresh := decodeCheck(t, out)
	if len(fresh.Equations) == 0 || len(fresh.Algorithms) != 2 {
		t.Fatalf("fresh: %d equations, %d algorithms", len(fresh.Equations), len(fresh.Algorithms))
	}
	for _, e := range append(fresh.Equations, fresh.Algorithms...) {
		if e.Status != "pending" {
			t.Errorf("fresh project: (%s) is %s, want pending", e.Number, e.Status)
		}
	}

	implement(t, dir)
	code, out, errOut = runRepro(t, "check", "--json", dir)
	if code != 0 {
		t.Fatalf("check on the implemented project: exit %d\n%s%s", code, out, errOut)
	}
	done := decodeCheck(t, out)
	if len(done.Equations) != len(fresh.Equations) {
		t.Errorf("%d equations, then %d", len(fresh.Equations), len(done.Equations))
	}
	for _, e := range append(done.Equations, done.Algorithms...) {
		if e.Status != "passing" {
			t.Errorf("implemented: (%s) is %s, want passing: %s", e.Number, e.Status, e.Message)
		}
	}
	ruff := false
	for _, tool := range done.Tools {
		if strings.HasPrefix(tool.Name, "ruff") {
			ruff = true
			if tool.Ran || !strings.Contains(tool.Message, "skipped") {
				t.Errorf("ruff is absent, yet: %+v", tool)
			}
		}
	}
	if !ruff {
		t.Errorf("the report does not mention ruff: %+v", done.Tools)
	}
	readme, err := os.ReadFile(filepath.Join(dir, "README.md"))
	if err != nil || !strings.Contains(string(readme), "passing") {
		t.Errorf("README status table not updated: %v", err)
	}

	// The text report names every equation.
	code, out, _ = runRepro(t, "check", "--no-readme", dir)
	if code != 0 || !strings.Contains(out, "(3.4)") || !strings.Contains(out, "ruff") {
		t.Errorf("text report (exit %d):\n%s", code, out)
	}
	t.Logf("repro check on the implemented project:\n%s", out)

	// One sign flipped in (A.1), the first moment of Adam: its oracle test
	// fails, with the assertion, while its shape, gradient, stability and
	// determinism tests still pass; every other equation still passes.
	replaceIn(t, filepath.Join(dir, "src", "tinyformer", "optimization_details.py"),
		"    return _impl_eq_a_1_adam_m(beta_1, m_tm1, g_t)\n", "    return beta_1 * m_tm1 - (1 - beta_1) * g_t\n")
	code, out, errOut = runRepro(t, "check", "--json", "--skip", "types,coverage", dir)
	if code != ExitFailed {
		t.Fatalf("check with a wrong equation: exit %d, want %d\n%s", code, ExitFailed, errOut)
	}
	wrong := decodeCheck(t, out)
	for _, e := range wrong.Equations {
		want := "passing"
		if e.Number == "A.1" {
			want = "failing"
			if !strings.Contains(e.Message, "test_oracle") || !strings.Contains(e.Message, "Not equal to tolerance") {
				t.Errorf("(A.1) fails without its assertion: %q", e.Message)
			}
		}
		if e.Status != want {
			t.Errorf("one wrong: (%s) is %s, want %s (%s)", e.Number, e.Status, want, e.Message)
		}
	}
	if !strings.Contains(errOut, "failed") {
		t.Errorf("stderr: %q", errOut)
	}
	pyOut, _ := exec.Command(py, "-m", "pytest", "-q", "-rA", "-p", "no:cacheprovider", "--rootdir", dir,
		filepath.Join(dir, "tests", "test_equations", "test_eqa_1_adam_m.py")).CombinedOutput()
	for _, test := range []string{"test_shape", "test_gradient_flow", "test_numerical_stability", "test_determinism"} {
		if !regexp.MustCompile(`(?m)^PASSED .*::` + test + `\b`).Match(pyOut) {
			t.Errorf("with the sign flipped, %s does not pass:\n%s", test, pyOut)
		}
	}
	if !regexp.MustCompile(`(?m)^FAILED .*::test_oracle\b`).Match(pyOut) {
		t.Errorf("with the sign flipped, test_oracle does not fail:\n%s", pyOut)
	}

	// Benchmarks: the targets read from the paper's tables.
	f, err := bench.Load(filepath.Join(dir, "benchmarks.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	if len(f.Targets) == 0 {
		t.Fatal("no benchmark targets for the example paper")
	}
	// No results: every target not run, the verdict inconclusive.
	code, out, _ = runRepro(t, "bench", "--dir", dir, "--json")
	var none benchJSON
	if err := json.Unmarshal([]byte(out), &none); err != nil {
		t.Fatalf("bench --json: %v\n%s", err, out)
	}
	if code != ExitFailed || none.Verdict != "INCONCLUSIVE" || len(none.Targets) != len(f.Targets) {
		t.Errorf("no results: exit %d, verdict %s, %d targets", code, none.Verdict, len(none.Targets))
	}
	for _, tg := range none.Targets {
		if tg.Status != "not_run" || tg.Ours != nil {
			t.Errorf("no results: %+v", tg)
		}
	}

	// Results at the paper's numbers (plus half a tolerance): reproduced.
	// off counts tolerances in the worse direction: a result better than
	// the paper's is always within tolerance.
	results := func(name string, off func(i int) float64) string {
		var b strings.Builder
		b.WriteString("dataset,metric,setting,value\n")
		for i, tg := range f.Targets {
			worse := 1.0
			if tg.HigherIsBetter == nil || *tg.HigherIsBetter {
				worse = -1
			}
			v := tg.Value + worse*off(i)*tg.Tolerance.Bound(tg.Value)
			fmt.Fprintf(&b, "%q,%q,%q,%s\n", tg.Dataset, tg.Metric, tg.Setting, strconv.FormatFloat(v, 'f', -1, 64))
		}
		p := filepath.Join(t.TempDir(), name)
		if err := os.WriteFile(p, []byte(b.String()), 0o644); err != nil {
			t.Fatal(err)
		}
		return p
	}
	good := results("good.csv", func(int) float64 { return 0.5 })
	code, out, errOut = runRepro(t, "bench", "--dir", dir, "--json", good)
	var rep benchJSON
	if err := json.Unmarshal([]byte(out), &rep); err != nil {
		t.Fatalf("bench --json: %v\n%s%s", err, out, errOut)
	}
	if code != 0 || rep.Verdict != "REPRODUCED" {
		t.Errorf("good results: exit %d, verdict %s\n%s%s", code, rep.Verdict, out, errOut)
	}
	for _, tg := range rep.Targets {
		if tg.Status != "ok" {
			t.Errorf("good results: %+v", tg)
		}
	}
	md, err := os.ReadFile(filepath.Join(dir, "docs", "benchmarks.md"))
	if err != nil || !strings.Contains(string(md), "REPRODUCED") || !strings.Contains(string(md), "✅") {
		t.Errorf("docs/benchmarks.md: %v\n%s", err, md)
	}
	if svg, err := os.ReadFile(filepath.Join(dir, "docs", "benchmarks.svg")); err != nil || !strings.Contains(string(svg), "<svg") {
		t.Errorf("docs/benchmarks.svg: %v", err)
	}

	// Every target far off: not reproduced; the first one 1.5 tolerances
	// away: close.
	bad := results("bad.csv", func(i int) float64 {
		if i == 0 {
			return 1.5
		}
		return 10
	})
	code, out, _ = runRepro(t, "bench", "--dir", dir, "--json", bad)
	rep = benchJSON{}
	if err := json.Unmarshal([]byte(out), &rep); err != nil {
		t.Fatal(err)
	}
	if code != ExitFailed || rep.Verdict != "NOT REPRODUCED" {
		t.Errorf("bad results: exit %d, verdict %s", code, rep.Verdict)
	}
	if len(rep.Targets) > 0 && rep.Targets[0].Status != "close" {
		t.Errorf("1.5 tolerances away: %+v", rep.Targets[0])
	}

	// A re-scaffold keeps what check and bench wrote into the README and
	// docs/benchmarks.md, and does not take those files for the user's.
	code, out, errOut = runRepro(t, "scaffold", "--no-git", "--out", dir, "../../examples/tinyformer")
	if code != 0 {
		t.Fatalf("re-scaffold: exit %d %s%s", code, out, errOut)
	}
	if strings.Contains(out, "kept README.md") || strings.Contains(out, "kept docs/benchmarks.md") {
		t.Errorf("re-scaffold took the regions for user edits:\n%s", out)
	}
	md2, _ := os.ReadFile(filepath.Join(dir, "docs", "benchmarks.md"))
	if !strings.Contains(string(md2), "NOT REPRODUCED") {
		t.Errorf("re-scaffold lost the benchmark report:\n%s", md2)
	}

	// The HTML report shows the last check ((A.1) failing, the others
	// passing) and the last benchmark run (not reproduced), and Chromium
	// lays its MathML out.
	code, out, errOut = runRepro(t, "report", dir)
	if code != 0 {
		t.Fatalf("report: exit %d\n%s%s", code, out, errOut)
	}
	page := filepath.Join(dir, "report.html")
	if strings.TrimSpace(out) != page {
		t.Errorf("report printed %q, want the path %s", out, page)
	}
	html, err := os.ReadFile(page)
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{`class="badge s-failing">failing`, "Not equal to tolerance", "NOT REPRODUCED", "bad.csv", `<math display="block">`} {
		if !strings.Contains(string(html), want) {
			t.Errorf("report.html lacks %q", want)
		}
	}
	if n := strings.Count(string(html), `<span class="badge s-passing">passing</span>`); n < len(fresh.Equations)-1 {
		t.Errorf("%d passing equations in the report, want %d", n, len(fresh.Equations)-1)
	}
	got := testenv.Browse(t, page, t.TempDir())
	for _, e := range got.Errors {
		t.Errorf("browser: %s", e)
	}
	if got.Math.Math == 0 || len(got.Math.Zero) > 0 || got.Math.FracsStacked != got.Math.Fracs {
		t.Errorf("MathML not laid out: %+v", got.Math)
	}
}

// TestEquationsCheck runs repro equations --check on the example paper
// with a real Python and NumPy: every executable oracle runs, and the JSON
// holds the contract's fields.
func TestEquationsCheck(t *testing.T) {
	py := testenv.Python(t, "numpy")
	code, out, errOut := runRepro(t, "equations", "--format", "json", "--check", "--python", py, "../../examples/tinyformer")
	if code != 0 {
		t.Fatalf("exit %d\n%s%s", code, out, errOut)
	}
	var r struct {
		Equations []struct {
			Number     *string `json:"number"`
			Label      string  `json:"label"`
			Parsed     bool    `json:"parsed"`
			Executable bool    `json:"executable"`
			Reason     string  `json:"reason"`
			Python     string  `json:"python"`
			Check      *struct {
				OK    bool   `json:"ok"`
				Error string `json:"error"`
			} `json:"check"`
		} `json:"equations"`
		Totals struct {
			Numbered, NumberedExecutable int
		} `json:"totals"`
	}
	if err := json.Unmarshal([]byte(out), &r); err != nil {
		t.Fatal(err)
	}
	executable := 0
	for _, e := range r.Equations {
		switch {
		case e.Executable:
			executable++
			if e.Check == nil || !e.Check.OK || !strings.Contains(e.Python, "def ") {
				t.Errorf("%v: executable but %+v", e.Number, e.Check)
			}
		case e.Reason == "" || !strings.HasPrefix(strings.TrimSpace(e.Python), "#"):
			t.Errorf("%v: not executable, without a reason or a comment: %q %q", e.Number, e.Reason, e.Python)
		}
	}
	if executable == 0 || len(r.Equations) < 24 {
		t.Errorf("%d equations, %d executable", len(r.Equations), executable)
	}
	// A Python without NumPy is named, with a hint.
	code, _, errOut = runRepro(t, "equations", "--check", "--python", filepath.Join(t.TempDir(), "no-python"), "../../examples/tinyformer")
	if code != ExitInput || !strings.Contains(errOut, "repro: hint:") {
		t.Errorf("missing interpreter: exit %d %s", code, errOut)
	}
}
