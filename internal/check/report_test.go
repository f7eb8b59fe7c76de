package check

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/reprohq/repro/internal/golden"
	"github.com/reprohq/repro/internal/project"
)

// writeFiles writes files (slash paths → content) under root.
func writeFiles(t *testing.T, root string, files map[string]string) {
	t.Helper()
	for name, content := range files {
		p := filepath.Join(root, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

// itemsReport builds a report without Python: the cases of the hand-written
// JUnit reports of testdata/junit tied to a manifest that covers every rule
// of the statuses, and a few tools.
func itemsReport(t *testing.T) *Report {
	t.Helper()
	root := t.TempDir()
	eq := func(n, test string) project.Item {
		return project.Item{Paper: "toy", Number: n, Func: "eq_" + n, Module: "src/toy/core.py", Test: test}
	}
	m := &project.Manifest{
		Version: 1, Packages: []string{"toy"},
		Papers: []project.Paper{{ID: "toy", Title: "Toy", Package: "toy"}},
		Equations: []project.Item{
			eq("1", "tests/test_equations/test_eq1_add.py"),       // passing, a test skipped
			eq("2", "tests/test_equations/test_eq2_scale.py"),     // failing assertion
			eq("3", "tests/test_equations/test_eq3_norm.py"),      // pending
			eq("4", "tests/test_equations/test_eq4_gone.py"),      // no file: no_test
			eq("5", "tests/test_equations/test_eq5_conv.py"),      // error in a fixture: failing
			eq("6", "tests/test_equations/test_eq6_badimport.py"), // collection error: failing
			eq("7", "tests/test_equations/test_eq7_scipy.py"),     // missing module: not_run
			eq("8", "tests/test_equations/test_eq8_img.py"),       // missing module and own module: failing
			eq("9", "tests/test_equations/test_eq9_broken.py"),    // syntax error: failing
			eq("10", ""), // no test recorded
			eq("11", "tests/test_equations/test_eq11_empty.py"), // no test in the file
			eq("12", "tests/test_equations/test_eq12_cuda.py"),  // all skipped: no_test
		},
		Algorithms: []project.Item{
			{Paper: "toy", Number: "1", Func: "alg_1_train", Test: "tests/test_algorithms/test_alg1_train.py"},
		},
	}
	onDisk := map[string]string{"src/toy/__init__.py": ""}
	for _, it := range append(m.Equations, m.Algorithms...) {
		if it.Test != "" && it.Number != "4" {
			onDisk[it.Test] = ""
		}
	}
	onDisk["tests/test_model.py"] = ""
	onDisk["tests/test_data.py"] = "" // on disk, tied to nothing, no case: no_test
	writeFiles(t, root, onDisk)

	var cases []Case
	for _, name := range []string{"outcomes", "collection", "missing_module", "xunit2"} {
		data, err := os.ReadFile(filepath.Join("testdata", "junit", name+".xml"))
		if err != nil {
			t.Fatal(err)
		}
		cs, err := ParseJUnit(bytes.ReplaceAll(data, []byte(junitRoot+"/"), []byte(root+"/")))
		if err != nil {
			t.Fatal(err)
		}
		cases = append(cases, cs...)
	}
	cases = append(cases,
		Case{Classname: "tests.test_equations.test_eq12_cuda", Name: "test_gpu", File: "tests/test_equations/test_eq12_cuda.py", Outcome: outcomeSkipped, Message: "needs CUDA"},
		Case{Classname: "tests.test_equations.test_eq12_cuda", Name: "test_gpu2", File: "tests/test_equations/test_eq12_cuda.py", Outcome: outcomeSkipped, Message: "needs CUDA"},
	)
	c := &checker{root: root, m: m, in: &interpreter{executable: "/usr/bin/python3", version: "3.11.2"},
		rep:   &Report{Python: "/usr/bin/python3 (3.11.2)", Other: []Item{}, MissingPackages: []string{}},
		cases: cases, ran: true}
	c.items()
	cov := 61.5
	c.rep.Coverage = &cov
	c.rep.Tools = []Tool{
		{Name: ToolPytest, Ran: true, Message: "6 passed, 11 failed, 4 skipped (2 pending) in 1.2s",
			Hint: "the tests need scipy and pillow, which /usr/bin/python3 (3.11.2) lacks; install them: `pip install scipy pillow`, or choose another interpreter with --python"},
		{Name: ToolCoverage, Ran: true, OK: true, Message: "61.5% of the lines of toy"},
		{Name: ToolRuffFormat, Ran: true, Message: "1 file would be reformatted: src/toy/core.py", Hint: "run `ruff format .`"},
		{Name: ToolRuffCheck, Ran: true, OK: true, Message: "no lint errors"},
		{Name: ToolTypes, Message: "skipped: no type checker is installed (ty, pyright or mypy)", Hint: typesHint},
	}
	c.rep.Totals = c.totals()
	return c.rep
}

func TestReportGolden(t *testing.T) {
	r := itemsReport(t)
	var text bytes.Buffer
	r.WriteText(&text)
	golden.Check(t, "testdata/golden/report.txt", text.Bytes())
	golden.Check(t, "testdata/golden/report.json", r.JSON())
	golden.Check(t, "testdata/golden/status.md", r.StatusTable())
	if !r.Failed() {
		t.Error("Failed() = false")
	}
	if got, want := strings.Join(r.MissingPackages, ","), "scipy,pillow"; got != want {
		t.Errorf("MissingPackages = %s, want %s", got, want)
	}
	var back map[string]any
	if err := json.Unmarshal(r.JSON(), &back); err != nil {
		t.Fatal(err)
	}
	for _, k := range []string{"python", "equations", "algorithms", "other", "tools", "coverage", "totals", "missing_packages"} {
		if _, ok := back[k]; !ok {
			t.Errorf("JSON lacks %q", k)
		}
	}
}

func TestReportPassingGolden(t *testing.T) {
	r := &Report{
		Python: "/usr/bin/python3 (3.11.2)",
		Equations: []Item{
			{Paper: "a", Number: "1", Func: "eq_1_x", Status: StatusPassing, Test: "tests/test_equations/test_eq1_x.py", Passed: 4},
			{Paper: "b", Number: "1", Func: "eq_1_y", Status: StatusPending, Test: "tests/test_equations/test_eq1_y.py", Message: "eq_1_y: equation (1) is not implemented yet", Skipped: 4, Pending: 4},
		},
		Tools: []Tool{
			{Name: ToolPytest, Ran: true, OK: true, Message: "4 passed, 4 skipped (4 pending) in 0.3s"},
			{Name: ToolCoverage, Message: "skipped (turned off)"},
			{Name: ToolRuffFormat, Message: "skipped: ruff is not installed", Hint: ruffHint},
			{Name: ToolRuffCheck, Message: "skipped: ruff is not installed", Hint: ruffHint},
			{Name: ToolTypes, Ran: true, OK: true, Message: "mypy: Success: no issues found in 3 source files"},
		},
		Totals: map[string]int{"tests": 8, "tests_passed": 4, "tests_skipped": 4, "tests_pending": 4},
	}
	if r.Failed() {
		t.Errorf("Failed() = true for %v", r.failures())
	}
	var text bytes.Buffer
	r.WriteText(&text)
	golden.Check(t, "testdata/golden/report-passing.txt", text.Bytes())
	golden.Check(t, "testdata/golden/report-passing.json", r.JSON())
}

func TestFailed(t *testing.T) {
	ok := Item{Status: StatusPassing}
	tests := []struct {
		name string
		r    Report
		want bool
	}{
		{"empty", Report{}, false},
		{"passing, pending, no test, not run", Report{Equations: []Item{ok, {Status: StatusPending}, {Status: StatusNoTest}, {Status: StatusNotRun}}}, false},
		{"failing equation", Report{Equations: []Item{ok, {Status: StatusFailing}}}, true},
		{"failing algorithm", Report{Algorithms: []Item{{Status: StatusFailing}}}, true},
		{"failing other test", Report{Other: []Item{{Status: StatusFailing}}}, true},
		{"tool ran and failed", Report{Tools: []Tool{{Name: "ruff check", Ran: true}}}, true},
		{"tool ran and passed", Report{Tools: []Tool{{Name: "ruff check", Ran: true, OK: true}}}, false},
		{"tool skipped", Report{Tools: []Tool{{Name: "ruff check"}}}, false},
		{"missing package", Report{MissingPackages: []string{"torch"}}, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := tt.r.Failed(); got != tt.want {
				t.Errorf("Failed() = %v, want %v", got, tt.want)
			}
		})
	}
}

func TestUpdateReadme(t *testing.T) {
	r := &Report{Equations: []Item{{Number: "1", Status: StatusPassing, Test: "tests/test_equations/test_eq1_x.py"}}}
	const before = "# P\n\nIntro.\n\n<!-- repro:begin status -->\nold\n<!-- repro:end status -->\n\n## After\n\nKept.\n"
	tests := []struct {
		name   string
		readme string // "" for none
		want   bool
	}{
		{"no README", "", false},
		{"no region", "# P\n\nNo markers.\n", false},
		{"other region", "<!-- repro:begin bench -->\n<!-- repro:end bench -->\n", false},
		{"region", before, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			root := t.TempDir()
			p := filepath.Join(root, "README.md")
			if tt.readme != "" {
				writeFiles(t, root, map[string]string{"README.md": tt.readme})
			}
			got, err := UpdateReadme(root, r)
			if err != nil || got != tt.want {
				t.Fatalf("UpdateReadme = %v, %v; want %v", got, err, tt.want)
			}
			data, _ := os.ReadFile(p)
			if !tt.want {
				if string(data) != tt.readme {
					t.Errorf("README changed:\n%s", data)
				}
				return
			}
			want := strings.Replace(before, "old\n", string(r.StatusTable()), 1)
			if string(data) != want {
				t.Errorf("README =\n%s\nwant\n%s", data, want)
			}
			fi1, _ := os.Stat(p)
			// Unchanged: no write (the atomic write would replace the file).
			if got, err := UpdateReadme(root, r); err != nil || !got {
				t.Fatalf("second UpdateReadme = %v, %v", got, err)
			}
			fi2, _ := os.Stat(p)
			if !os.SameFile(fi1, fi2) {
				t.Error("an unchanged README was written again")
			}
		})
	}
}
