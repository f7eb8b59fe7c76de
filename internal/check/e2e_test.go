package check

// End-to-end tests: Run on small projects (testdata/*.txtar) with a real
// Python interpreter, $REPRO_PYTHON or /usr/bin/python3; a test skips, saying
// why, when the interpreter lacks what it needs. PATH is set to a folder of
// the test's own, so that the tools installed on the machine (ruff, ty, uv)
// do not change the outcome; the fake tools put there are shell scripts
// that print what the real ones print, which tests the command lines Run
// builds and the parsing of their output, not the tools.

import (
	"bytes"
	"context"
	"errors"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/reprohq/repro/internal/xerr"
	"github.com/rogpeppe/go-internal/txtar"
)

var (
	importMu    sync.Mutex
	importCache = map[string]error{}
)

// testPython returns the interpreter of the end-to-end tests, or skips the
// test when it cannot import modules.
func testPython(t *testing.T, modules ...string) string {
	t.Helper()
	py := os.Getenv("REPRO_PYTHON")
	if py == "" {
		py = "/usr/bin/python3"
	}
	if err := canImport(py, modules...); err != nil {
		t.Skipf("%s cannot import %s (set REPRO_PYTHON to an interpreter that can): %v", py, strings.Join(modules, ", "), err)
	}
	return py
}

// canImport reports whether py can import the modules, remembering the
// answers (importing torch takes a second).
func canImport(py string, modules ...string) error {
	key := py + " " + strings.Join(modules, ",")
	importMu.Lock()
	defer importMu.Unlock()
	if err, ok := importCache[key]; ok {
		return err
	}
	out, err := exec.Command(py, "-c", "import "+strings.Join(modules, ", ")).CombinedOutput()
	if err != nil {
		err = errors.New(strings.TrimSpace(err.Error() + ": " + Tail(string(out), 1)))
	}
	importCache[key] = err
	return err
}

// extract writes the project of testdata/NAME.txtar into a new folder.
func extract(t *testing.T, name string) string {
	t.Helper()
	a, err := txtar.ParseFile(filepath.Join("testdata", name+".txtar"))
	if err != nil {
		t.Fatal(err)
	}
	root := t.TempDir()
	files := map[string]string{}
	for _, f := range a.Files {
		files[f.Name] = string(f.Data)
	}
	writeFiles(t, root, files)
	return root
}

// isolatePath sets PATH to a new empty folder, which it returns for the
// test's fake tools.
func isolatePath(t *testing.T) string {
	bin := t.TempDir()
	t.Setenv("PATH", bin)
	return bin
}

// fakeInterpreter writes a script that runs py with the modules blocked:
// importing them fails with ModuleNotFoundError, as when they are not
// installed.
func fakeInterpreter(t *testing.T, py string, blocked ...string) string {
	t.Helper()
	dir := t.TempDir()
	var names []string
	for _, b := range blocked {
		names = append(names, "'"+b+"'")
	}
	writeFiles(t, dir, map[string]string{"site/sitecustomize.py": `import sys

BLOCKED = {` + strings.Join(names, ", ") + `}


class _Blocker:
    def find_spec(self, name, path=None, target=None):
        if name.partition(".")[0] in BLOCKED:
            raise ModuleNotFoundError("No module named %r" % name, name=name)
        return None


sys.meta_path.insert(0, _Blocker())
`})
	return executable(t, filepath.Join(dir, "python3"),
		"PYTHONPATH='"+filepath.Join(dir, "site")+"' exec '"+py+"' \"$@\"\n")
}

// statuses maps "eq N", "alg N" and the other test files to their status.
func statuses(r *Report) map[string]string {
	m := map[string]string{}
	for _, it := range r.Equations {
		m["eq "+it.Number] = it.Status
	}
	for _, it := range r.Algorithms {
		m["alg "+it.Number] = it.Status
	}
	for _, it := range r.Other {
		m[it.Test] = it.Status
	}
	return m
}

func checkStatuses(t *testing.T, r *Report, want map[string]string) {
	t.Helper()
	got := statuses(r)
	for k, w := range want {
		if got[k] != w {
			t.Errorf("%s: status %q, want %q", k, got[k], w)
		}
	}
	if len(got) != len(want) {
		t.Errorf("statuses %v, want %v", got, want)
	}
}

func tool(t *testing.T, r *Report, name string) Tool {
	t.Helper()
	for _, tl := range r.Tools {
		if tl.Name == name {
			return tl
		}
	}
	t.Fatalf("no tool %q in %+v", name, r.Tools)
	return Tool{}
}

func item(t *testing.T, list []Item, number string) Item {
	t.Helper()
	for _, it := range list {
		if it.Number == number {
			return it
		}
	}
	t.Fatalf("no item %s", number)
	return Item{}
}

func hasAll(t *testing.T, what, s string, subs ...string) {
	t.Helper()
	for _, sub := range subs {
		if !strings.Contains(s, sub) {
			t.Errorf("%s lacks %q:\n%s", what, sub, s)
		}
	}
}

func run(t *testing.T, opts Options) *Report {
	t.Helper()
	if opts.Timeout == 0 {
		opts.Timeout = 2 * time.Minute
	}
	r, err := Run(context.Background(), opts)
	if err != nil {
		t.Fatal(err)
	}
	return r
}

func TestRunToy(t *testing.T) {
	py := testPython(t, "pytest", "torch", "numpy")
	root := extract(t, "toy")
	isolatePath(t)
	var progress bytes.Buffer
	// mypy would take half a minute on torch's stubs: the type checker
	// runs in TestRunTools.
	r := run(t, Options{Root: root, Python: py, Skip: []string{SkipTypes}, Progress: &progress})

	checkStatuses(t, r, map[string]string{
		"eq 1": StatusPassing, "eq 2": StatusFailing, "eq 3": StatusPending, "eq 4": StatusNoTest,
		"alg 1":              StatusPending,
		"tests/test_misc.py": StatusPassing,
	})
	eq1 := item(t, r.Equations, "1")
	if eq1.Passed != 2 || eq1.Skipped != 1 || eq1.Message != "test_oracle skipped: no oracle yet: write oracle() from the paper" {
		t.Errorf("equation 1: %+v", eq1)
	}
	eq2 := item(t, r.Equations, "2")
	hasAll(t, "the message of equation 2", eq2.Message,
		"test_value (line 17): AssertionError: eq_2_scale doubles its input", "assert [3.0, 3.0] == [2.0, 2.0]")
	if eq2.Passed != 1 || eq2.Failed != 1 {
		t.Errorf("equation 2: %+v", eq2)
	}
	if eq3 := item(t, r.Equations, "3"); eq3.Message != "eq_3_norm: equation (3) is not implemented yet" || eq3.Pending != 2 {
		t.Errorf("equation 3: %+v", eq3)
	}
	if eq4 := item(t, r.Equations, "4"); eq4.Message != "the test file is missing" {
		t.Errorf("equation 4: %+v", eq4)
	}
	if alg := item(t, r.Algorithms, "1"); alg.Passed != 1 || alg.Pending != 1 {
		t.Errorf("algorithm 1 (test_equations_exist passes, test_steps pending): %+v", alg)
	}

	if !r.Failed() || !r.TestsRan() || len(r.MissingPackages) != 0 {
		t.Errorf("Failed %v, TestsRan %v, missing %v", r.Failed(), r.TestsRan(), r.MissingPackages)
	}
	if p := tool(t, r, ToolPytest); !p.Ran || p.OK || !strings.HasPrefix(p.Message, "5 passed, 1 failed, 4 skipped (3 pending) in ") {
		t.Errorf("pytest: %+v", p)
	}
	if cov := tool(t, r, ToolCoverage); canImport(py, "pytest_cov") == nil {
		if !cov.Ran || !cov.OK || r.Coverage == nil || *r.Coverage <= 50 || *r.Coverage > 100 {
			t.Errorf("coverage: %+v, %v", cov, r.Coverage)
		}
	} else if cov.Ran || !strings.Contains(cov.Hint, "pytest-cov") {
		t.Errorf("coverage without pytest-cov: %+v", cov)
	}
	for _, name := range []string{ToolRuffFormat, ToolRuffCheck} {
		if rt := tool(t, r, name); rt.Ran || rt.Message != "skipped: ruff is not installed" || rt.Hint != ruffHint {
			t.Errorf("%s: %+v", name, rt)
		}
	}
	if ty := tool(t, r, ToolTypes); ty.Ran || ty.Message != "skipped (turned off)" {
		t.Errorf("types: %+v", ty)
	}
	hasAll(t, "the progress", progress.String(), "probing "+py+"…\n", "running pytest…\n")

	var text bytes.Buffer
	r.WriteText(&text)
	hasAll(t, "the text", text.String(),
		"  ✓ (1)  eq_1_add    passing  tests/test_equations/test_eq1_add.py\n",
		"  ✗ (2)  eq_2_scale  failing  tests/test_equations/test_eq2_scale.py\n      test_value (line 17): AssertionError: eq_2_scale doubles its input\n",
		"  … (3)  eq_3_norm   pending",
		"  – (4)  eq_4_gone   no test",
		"FAILED: 1 failing equation; pytest\n")

	// The tests wrote nothing into the project: no byte code, no coverage data.
	_ = filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
		if err == nil && (d.Name() == "__pycache__" || d.Name() == ".coverage" || d.Name() == ".pytest_cache") {
			t.Errorf("the check left %s in the project", p)
		}
		return nil
	})

	changed, err := UpdateReadme(root, r)
	if err != nil || !changed {
		t.Fatalf("UpdateReadme = %v, %v", changed, err)
	}
	readme, _ := os.ReadFile(filepath.Join(root, "README.md"))
	hasAll(t, "README.md", string(readme),
		"## Status\n\n<!-- repro:begin status -->\n| equation / algorithm | status | test | note |\n",
		"| (2) `eq_2_scale` | ✗ failing | [`test_eq2_scale.py`](tests/test_equations/test_eq2_scale.py) | test_value (line 17): AssertionError: eq_2_scale doubles its input |\n",
		"<!-- repro:end status -->\n\n## Notes\n\nWritten by hand.\n")
}

func TestRunMissingDependency(t *testing.T) {
	py := testPython(t, "pytest")
	root := extract(t, "toy")
	isolatePath(t)
	// mypy would take half a minute on torch's stubs.
	r := run(t, Options{Root: root, Python: fakeInterpreter(t, py, "torch"), Skip: []string{SkipTypes}})

	checkStatuses(t, r, map[string]string{
		"eq 1": StatusNotRun, "eq 2": StatusNotRun, "eq 3": StatusNotRun, "eq 4": StatusNoTest,
		"alg 1":              StatusNotRun,
		"tests/test_misc.py": StatusNotRun,
	})
	if got := item(t, r.Equations, "2").Message; got != "not run: torch is not installed" {
		t.Errorf("message of equation 2: %q", got)
	}
	if len(r.MissingPackages) != 1 || r.MissingPackages[0] != "torch" {
		t.Errorf("MissingPackages = %v", r.MissingPackages)
	}
	if !r.Failed() || r.TestsRan() {
		t.Errorf("Failed %v, TestsRan %v", r.Failed(), r.TestsRan())
	}
	p := tool(t, r, ToolPytest)
	if p.Ran {
		t.Errorf("pytest ran: %+v", p)
	}
	hasAll(t, "pytest's message", p.Message, "not run: ", "has no torch (the tests would fail on the import, not on the code)")
	hasAll(t, "pytest's hint", p.Hint, "`pip install torch`", "or choose another interpreter with --python")
	if cov := tool(t, r, ToolCoverage); cov.Ran {
		t.Errorf("coverage ran: %+v", cov)
	}
	var text bytes.Buffer
	r.WriteText(&text)
	hasAll(t, "the text", text.String(), "\nTests not run: torch is not installed\n", "  ? (2)  eq_2_scale  not run",
		"Missing packages: torch\n", "FAILED: missing package torch\n")
	if strings.Contains(text.String(), "\n      not run: torch") {
		t.Errorf("the text repeats the reason under each equation:\n%s", text.String())
	}
}

func TestRunNoPytest(t *testing.T) {
	py := testPython(t, "pytest")
	root := extract(t, "mini")
	isolatePath(t)
	r := run(t, Options{Root: root, Python: fakeInterpreter(t, py, "pytest", "mypy")})

	checkStatuses(t, r, map[string]string{"eq 1": StatusNotRun, "eq 2": StatusNotRun})
	p := tool(t, r, ToolPytest)
	if p.Ran || !strings.HasPrefix(p.Message, "not run: ") || !strings.HasSuffix(p.Message, " has no pytest") {
		t.Errorf("pytest: %+v", p)
	}
	hasAll(t, "pytest's hint", p.Hint, "install it: ", "`pip install pytest`", "or choose another interpreter with --python")
	if strings.HasPrefix(r.Python, "/usr/bin/") && fileExists("/etc/debian_version") {
		hasAll(t, "pytest's hint", p.Hint, "`apt install python3-pytest`")
	}
	if len(r.MissingPackages) != 1 || r.MissingPackages[0] != "pytest" || !r.Failed() {
		t.Errorf("MissingPackages = %v, Failed %v", r.MissingPackages, r.Failed())
	}
	if ty := tool(t, r, ToolTypes); ty.Ran || ty.Hint != typesHint {
		t.Errorf("types without mypy: %+v", ty)
	}
}

func TestRunMissingModule(t *testing.T) {
	py := testPython(t, "pytest")
	root := extract(t, "mini")
	isolatePath(t)
	f, err := os.OpenFile(filepath.Join(root, "tests", "test_equations", "test_eq1_double.py"), os.O_APPEND|os.O_WRONLY, 0)
	if err != nil {
		t.Fatal(err)
	}
	_, _ = f.WriteString("\n\ndef test_needs_a_package():\n    import nosuchmod_repro_a  # noqa: F401\n")
	f.Close()
	writeFiles(t, root, map[string]string{"tests/test_extra.py": "import nosuchmod_repro_b\n\n\ndef test_x():\n    assert nosuchmod_repro_b\n"})
	r := run(t, Options{Root: root, Python: py, Skip: []string{SkipTypes, SkipCoverage}})

	checkStatuses(t, r, map[string]string{"eq 1": StatusNotRun, "eq 2": StatusPending, "tests/test_extra.py": StatusNotRun})
	if got := item(t, r.Equations, "1"); got.Message != "not run: module 'nosuchmod_repro_a' is not installed" || got.Passed != 1 {
		t.Errorf("equation 1: %+v", got)
	}
	if got := strings.Join(r.MissingPackages, ","); got != "nosuchmod-repro-a,nosuchmod-repro-b" {
		t.Errorf("MissingPackages = %s", got)
	}
	if !r.Failed() {
		t.Error("Failed() = false")
	}
	hasAll(t, "pytest's hint", tool(t, r, ToolPytest).Hint, "the tests need nosuchmod-repro-a and nosuchmod-repro-b", "`pip install nosuchmod-repro-a nosuchmod-repro-b`")
}

func TestRunTools(t *testing.T) {
	py := testPython(t, "pytest")

	t.Run("fakes", func(t *testing.T) {
		root := extract(t, "mini")
		bin := isolatePath(t)
		tyLog := filepath.Join(t.TempDir(), "ty.log")
		executable(t, filepath.Join(bin, "ruff"), `case "$1" in
format) printf 'Would reformat: src/mini/core.py\n1 file would be reformatted, 3 files already formatted\n'; exit 1;;
check) printf 'src/mini/core.py:1:1: F401 [*] `+"`os`"+` imported but unused\nFound 1 error.\n[*] 1 fixable with the `+"`--fix`"+` option.\n'; exit 1;;
esac
echo "unexpected: $*" >&2
exit 2
`)
		executable(t, filepath.Join(bin, "ty"), "printf '%s\\n' \"$*\" > '"+tyLog+"'\necho 'All checks passed!'\n")
		r := run(t, Options{Root: root, Python: py})

		checkStatuses(t, r, map[string]string{"eq 1": StatusPassing, "eq 2": StatusPending})
		f := tool(t, r, ToolRuffFormat)
		if !f.Ran || f.OK || f.Message != "1 file would be reformatted: src/mini/core.py" || f.Hint != "run `ruff format .`" ||
			f.Command != filepath.Join(bin, "ruff")+" format --check ." {
			t.Errorf("ruff format: %+v", f)
		}
		c := tool(t, r, ToolRuffCheck)
		if !c.Ran || c.OK || c.Message != "1 lint error:\nsrc/mini/core.py:1:1: F401 [*] `os` imported but unused" {
			t.Errorf("ruff check: %+v", c)
		}
		ty := tool(t, r, ToolTypes)
		if !ty.Ran || !ty.OK || ty.Message != "ty: All checks passed!" {
			t.Errorf("types: %+v", ty)
		}
		args, _ := os.ReadFile(tyLog)
		if !strings.HasPrefix(string(args), "check --output-format concise --python /") {
			t.Errorf("ty ran with %q", args)
		}
		if p := tool(t, r, ToolPytest); !p.Ran || !p.OK {
			t.Errorf("pytest: %+v", p)
		}
		if !r.Failed() {
			t.Error("Failed() = false with ruff failing")
		}
		if got := strings.Join(r.failures(), "; "); got != "ruff format; ruff check" {
			t.Errorf("failures: %s", got)
		}
	})

	t.Run("none installed", func(t *testing.T) {
		root := extract(t, "mini")
		isolatePath(t)
		r := run(t, Options{Root: root, Python: py})
		checkStatuses(t, r, map[string]string{"eq 1": StatusPassing, "eq 2": StatusPending})
		for _, name := range []string{ToolRuffFormat, ToolRuffCheck} {
			if rt := tool(t, r, name); rt.Ran || rt.Message != "skipped: ruff is not installed" || rt.Hint != ruffHint {
				t.Errorf("%s: %+v", name, rt)
			}
		}
		ty := tool(t, r, ToolTypes)
		if canImport(py, "mypy") == nil {
			if !ty.Ran || !ty.OK || !strings.HasPrefix(ty.Message, "mypy: ") || !strings.HasSuffix(ty.Command, " -m mypy src") {
				t.Errorf("types with mypy: %+v", ty)
			}
		} else if ty.Ran || ty.Hint != typesHint {
			t.Errorf("types without a checker: %+v", ty)
		}
		if r.Failed() {
			t.Errorf("Failed() = true: %v", r.failures())
		}
	})

	t.Run("ruff module of the interpreter", func(t *testing.T) {
		root := extract(t, "mini")
		isolatePath(t)
		fake := fakeInterpreter(t, py)
		// A ruff package in the interpreter's path: what `pip install ruff`
		// gives, run as `python -m ruff`.
		writeFiles(t, filepath.Dir(fake), map[string]string{
			"site/ruff/__init__.py": "",
			"site/ruff/__main__.py": "import sys\n\nprint('All checks passed!' if sys.argv[1] == 'check' else '2 files already formatted')\n",
		})
		r := run(t, Options{Root: root, Python: fake, Skip: []string{SkipTypes, SkipCoverage}})
		f, c := tool(t, r, ToolRuffFormat), tool(t, r, ToolRuffCheck)
		if !f.Ran || !f.OK || f.Message != "formatted" || f.Command != fake+" -m ruff format --check ." {
			t.Errorf("ruff format: %+v", f)
		}
		if !c.Ran || !c.OK || c.Message != "no lint errors" || c.Command != fake+" -m ruff check --output-format concise ." {
			t.Errorf("ruff check: %+v", c)
		}
	})

	t.Run("type errors", func(t *testing.T) {
		root := extract(t, "mini")
		bin := isolatePath(t)
		executable(t, filepath.Join(bin, "pyright"), `printf '%s/src/mini/core.py\n' "$PWD"
printf '  %s/src/mini/core.py:4:12 - error: Type "int" is not assignable to return type "str"\n' "$PWD"
printf '  %s/src/mini/core.py:9:5 - warning: Import "x" could not be resolved\n' "$PWD"
echo '1 error, 1 warning, 0 informations'
exit 1
`)
		r := run(t, Options{Root: root, Python: py, Skip: []string{SkipCoverage}})
		ty := tool(t, r, ToolTypes)
		if !ty.Ran || ty.OK || ty.Message != "pyright: 1 error:\nsrc/mini/core.py:4:12 - error: Type \"int\" is not assignable to return type \"str\"" ||
			!strings.HasPrefix(ty.Command, filepath.Join(bin, "pyright")+" --pythonpath /") || ty.Hint != "see them all with `pyright`" {
			t.Errorf("types: %+v", ty)
		}
		if !r.Failed() {
			t.Error("Failed() = false with type errors")
		}
	})

	t.Run("turned off", func(t *testing.T) {
		root := extract(t, "mini")
		isolatePath(t)
		r := run(t, Options{Root: root, Python: py, Skip: []string{SkipRuff, SkipTypes, SkipCoverage}})
		for _, tl := range r.Tools[1:] {
			if tl.Ran || tl.Message != "skipped (turned off)" {
				t.Errorf("%s: %+v", tl.Name, tl)
			}
		}
		if r.Coverage != nil || r.Failed() {
			t.Errorf("coverage %v, failed %v", r.Coverage, r.Failed())
		}
	})
}

func TestRunUV(t *testing.T) {
	py := testPython(t, "pytest")
	root := extract(t, "mini")
	bin := isolatePath(t)
	log := filepath.Join(t.TempDir(), "uv.log")
	// A fake uv: it records its arguments and runs `uv run --project ROOT
	// python ARGS` as the real one would in a synced environment.
	executable(t, filepath.Join(bin, "uv"), `printf '%s\n' "$*" >> '`+log+`'
if [ "$1" != run ] || [ "$2" != --project ] || [ "$4" != python ]; then
	echo "unexpected uv command: $*" >&2
	exit 2
fi
shift 4
exec '`+py+`' "$@"
`)
	r := run(t, Options{Root: root, Skip: []string{SkipTypes}})

	if !strings.HasSuffix(r.Python, " via uv run") {
		t.Errorf("Python = %q", r.Python)
	}
	checkStatuses(t, r, map[string]string{"eq 1": StatusPassing, "eq 2": StatusPending})
	data, _ := os.ReadFile(log)
	hasAll(t, "uv's arguments", string(data),
		"run --project "+root+" python -c import sys, json",
		"run --project "+root+" python -m pytest -q -p no:cacheprovider --continue-on-collection-errors --junitxml=")
	if p := tool(t, r, ToolPytest); !strings.HasPrefix(p.Command, filepath.Join(bin, "uv")+" run --project . python -m pytest ") {
		t.Errorf("pytest's command: %s", p.Command)
	}
	if r.Failed() {
		t.Errorf("failed: %v", r.failures())
	}
}

func TestRunTimeout(t *testing.T) {
	py := testPython(t, "pytest")
	root := extract(t, "mini")
	isolatePath(t)
	writeFiles(t, root, map[string]string{"tests/test_slow.py": "import time\n\n\ndef test_slow():\n    time.sleep(60)\n"})
	start := time.Now()
	r := run(t, Options{Root: root, Python: py, Timeout: 1500 * time.Millisecond, Skip: []string{SkipCoverage, SkipTypes}})
	if d := time.Since(start); d > 15*time.Second {
		t.Errorf("the check took %v", d)
	}
	p := tool(t, r, ToolPytest)
	if !p.Ran || p.OK || p.Message != "stopped: the time ran out (timeout 1.5s)" {
		t.Errorf("pytest: %+v", p)
	}
	checkStatuses(t, r, map[string]string{"eq 1": StatusNotRun, "eq 2": StatusNotRun, "tests/test_slow.py": StatusNotRun})
	if !r.Failed() || r.TestsRan() {
		t.Errorf("Failed %v, TestsRan %v", r.Failed(), r.TestsRan())
	}
}

func TestRunErrors(t *testing.T) {
	bin := isolatePath(t)
	notPython := executable(t, filepath.Join(bin, "notpython"), "echo 'this is no Python' >&2\nexit 3\n")
	tests := []struct {
		name, root, python, errHas string
	}{
		{"not a project", t.TempDir(), "", "not a project generated by repro"},
		{"no interpreter", extract(t, "mini"), "/nonexistent/python3", "/nonexistent/python3 (from --python) not found"},
		{"not Python", extract(t, "mini"), notPython, "cannot run the Python interpreter " + notPython + " (exit code 3):\nthis is no Python"},
		{"nothing on PATH", extract(t, "mini"), "", "no Python interpreter"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := Run(context.Background(), Options{Root: tt.root, Python: tt.python})
			if err == nil || !strings.Contains(err.Error(), tt.errHas) {
				t.Fatalf("err = %v, want one with %q", err, tt.errHas)
			}
			if xerr.KindOf(err) != xerr.KindInput {
				t.Errorf("kind %v", xerr.KindOf(err))
			}
		})
	}
}

func TestRunBrokenConftest(t *testing.T) {
	py := testPython(t, "pytest")
	root := extract(t, "mini")
	isolatePath(t)
	p := filepath.Join(root, "tests", "conftest.py")
	data, err := os.ReadFile(p)
	if err != nil {
		t.Fatal(err)
	}
	writeFiles(t, root, map[string]string{"tests/conftest.py": "import nosuchmod_conftest  # noqa: F401\n" + string(data)})
	r := run(t, Options{Root: root, Python: py, Skip: []string{SkipTypes}})

	checkStatuses(t, r, map[string]string{"eq 1": StatusNotRun, "eq 2": StatusNotRun})
	if got := item(t, r.Equations, "1").Message; got != "not run: pytest stopped before running the tests" {
		t.Errorf("message: %q", got)
	}
	pt := tool(t, r, ToolPytest)
	if !pt.Ran || pt.OK {
		t.Errorf("pytest: %+v", pt)
	}
	hasAll(t, "pytest's message", pt.Message, "stopped before running the tests (exit code 4):\n", "ImportError while loading conftest 'tests/conftest.py'", "E   ModuleNotFoundError: No module named 'nosuchmod_conftest'")
	hasAll(t, "pytest's hint", pt.Hint, "has no nosuchmod_conftest; install it: ", "`pip install nosuchmod-conftest`")
	if got := strings.Join(r.MissingPackages, ","); got != "nosuchmod-conftest" || !r.Failed() || r.TestsRan() {
		t.Errorf("MissingPackages %s, Failed %v, TestsRan %v", got, r.Failed(), r.TestsRan())
	}
	if cov := tool(t, r, ToolCoverage); cov.Ran {
		t.Errorf("coverage: %+v", cov)
	}
}
