// Package check is the engine of `repro check`: it runs a generated
// project's tests and tools and reports the state of each numbered equation
// and algorithm.
//
// The tests run with pytest, whose JUnit XML report gives each test case's
// outcome; the cases are grouped by test file and the files are tied to the
// equations and algorithms by the project's description (.repro/project.json).
// An equation is
//
//   - failing when one of its tests failed or errored (its Message is the
//     failing assertion: the test, the line, pytest's "E" lines);
//   - pending when none failed and one was skipped by the pending-test
//     convention of the generated tests/conftest.py (the code under test
//     still raises NotImplementedError; its other tests may pass);
//   - passing when none failed or is pending and at least one passed;
//   - no_test when its test file is missing, or holds no test, or all its
//     tests were skipped for other reasons;
//   - not_run when its tests could not run: the interpreter lacks a
//     package (pytest, or a dependency of the project, or a module a test
//     imports), or pytest stopped or ran out of time.
//
// A package missing from the interpreter is reported as such
// (Report.MissingPackages, with how to install it), never as a failing
// test: Run does not start pytest when pytest or one of the project's
// dependencies is missing, and a test that fails on "ModuleNotFoundError:
// No module named 'x'" for a module that is not the project's own makes its
// equation not_run and x missing.
//
// The other tools run when they are installed, and are reported as skipped
// with how to install them otherwise: ruff (format --check, and check),
// a type checker (ty, else pyright, else mypy) and coverage (pytest-cov).
package check

import (
	"context"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"slices"
	"sort"
	"strings"
	"sync"
	"time"
	"unicode"

	"github.com/reprohq/repro/internal/project"
)

// Options configures Run.
type Options struct {
	Root string // project root
	// Python is the --python flag: an interpreter's path or name, or a
	// command such as "uv run python". "" chooses the project's configured
	// interpreter (project.Manifest.Python), else `uv run python` when uv
	// is on PATH and the project has a pyproject.toml, else python3.
	Python  string
	Timeout time.Duration // for the whole run; 0 for none
	// Skip names the tools the user turned off: "ruff", "types",
	// "coverage".
	Skip     []string
	Progress io.Writer // one line per step ("running pytest…"); may be nil
}

// Statuses of an equation or algorithm.
const (
	StatusPassing = "passing"
	StatusFailing = "failing"
	StatusPending = "pending"
	StatusNoTest  = "no_test"
	StatusNotRun  = "not_run"
)

// Tool names, in the order of the report.
const (
	ToolPytest     = "pytest"
	ToolCoverage   = "coverage"
	ToolRuffFormat = "ruff format"
	ToolRuffCheck  = "ruff check"
	ToolTypes      = "types"
)

// Names of the tools Options.Skip can turn off.
const (
	SkipRuff     = "ruff"
	SkipTypes    = "types"
	SkipCoverage = "coverage"
)

// SkipNames lists the names Options.Skip accepts, for the command's flag.
var SkipNames = []string{SkipRuff, SkipTypes, SkipCoverage}

// Item is the state of one equation, algorithm or other test file.
type Item struct {
	Paper   string `json:"paper,omitempty"`
	Number  string `json:"number"` // "" for another test file
	Label   string `json:"label,omitempty"`
	Func    string `json:"func,omitempty"`
	Status  string `json:"status"`
	Test    string `json:"test"`    // the test file, slash path relative to the root
	Message string `json:"message"` // the failing assertion, the pending reason, why no test ran
	Passed  int    `json:"passed,omitempty"`
	Failed  int    `json:"failed,omitempty"`
	Skipped int    `json:"skipped,omitempty"` // pending tests included
	Pending int    `json:"pending,omitempty"`
}

// Tool is the outcome of one tool.
type Tool struct {
	Name    string `json:"name"`
	Ran     bool   `json:"ran"`
	OK      bool   `json:"ok"` // ran and found nothing wrong
	Message string `json:"message"`
	Hint    string `json:"hint,omitempty"`    // what to do: how to install it, how to fix
	Command string `json:"command,omitempty"` // the command line it ran
}

// Report is the outcome of a check.
type Report struct {
	Python     string `json:"python"` // the interpreter used, with its version
	Equations  []Item `json:"equations"`
	Algorithms []Item `json:"algorithms"`
	// Other are the test files tied to no equation or algorithm, such as
	// tests/test_model.py.
	Other    []Item   `json:"other"`
	Tools    []Tool   `json:"tools"`
	Coverage *float64 `json:"coverage"` // percent of lines, nil when not measured
	// Totals counts the items by status (over equations, algorithms and
	// other test files: "passing", "failing", "pending", "no_test",
	// "not_run"), the items ("equations", "algorithms", "other") and the
	// test cases ("tests", "tests_passed", "tests_failed",
	// "tests_skipped", "tests_pending").
	Totals map[string]int `json:"totals"`
	// MissingPackages are the distributions the interpreter lacks, which
	// kept tests from running.
	MissingPackages []string `json:"missing_packages"`

	testsRan bool // see TestsRan
}

// Run checks the project at opts.Root. Its error is for when nothing could
// run: not a project, no interpreter; failing tests and tools are in the
// report.
func Run(ctx context.Context, opts Options) (*Report, error) {
	root := opts.Root
	if root == "" {
		root = "."
	}
	root, err := filepath.Abs(root)
	if err != nil {
		return nil, err
	}
	m, err := project.Load(root)
	if err != nil {
		return nil, err
	}
	if opts.Timeout > 0 {
		var cancel context.CancelFunc
		ctx, cancel = context.WithTimeout(ctx, opts.Timeout)
		defer cancel()
	}
	in, err := chooseInterpreter(opts, m, root)
	if err != nil {
		return nil, err
	}
	pyproject, _ := os.ReadFile(filepath.Join(root, "pyproject.toml"))
	reqs := projectRequirements(pyproject)
	modules := []string{"pytest", "pytest_cov", "mypy", "ruff"}
	for _, r := range reqs {
		if !slices.Contains(modules, r.Module) {
			modules = append(modules, r.Module)
		}
	}
	r := &runner{root: root, env: CleanEnv()}
	if opts.Progress != nil {
		r.progress = &lockedWriter{w: opts.Progress}
		fmt.Fprintf(r.progress, "probing %s…\n", strings.Join(in.argv, " "))
	}
	if err := in.probe(ctx, r, modules); err != nil {
		return nil, err
	}
	tmp, err := os.MkdirTemp("", "repro-check-")
	if err != nil {
		return nil, err
	}
	defer os.RemoveAll(tmp)

	c := &checker{
		opts: opts, root: root, m: m, in: in, r: r, reqs: reqs, tmp: tmp,
		rep: &Report{Python: in.String(), Other: []Item{}, MissingPackages: []string{}},
	}
	// The tools run side by side: mypy's first run on a project that
	// imports torch takes longer than its tests.
	var wg sync.WaitGroup
	for _, step := range []func(context.Context){c.pytest, c.ruff, c.types} {
		wg.Add(1)
		go func() {
			defer wg.Done()
			step(ctx)
		}()
	}
	wg.Wait()
	c.items()
	c.missingHint()
	c.coverage()
	slices.SortStableFunc(c.rep.Tools, func(a, b Tool) int { return toolOrder(a.Name) - toolOrder(b.Name) })
	c.rep.Totals = c.totals()
	c.rep.testsRan = c.ran
	return c.rep, nil
}

// checker holds the state of one Run.
type checker struct {
	opts Options
	root string
	m    *project.Manifest
	in   *interpreter
	r    *runner
	reqs []requirement
	tmp  string
	rep  *Report
	mu   sync.Mutex // guards rep.Tools while the tools run

	// Set by pytest, read once the tools are done.
	cases     []Case
	ran       bool   // pytest ran and wrote its report: cases are the outcome
	notRun    string // why the tests did not run, when !ran
	covPath   string // the coverage report, when pytest-cov measured
	covReason string // why coverage was not measured
}

func (c *checker) skipped(tool string) bool { return slices.Contains(c.opts.Skip, tool) }

// addTool adds a tool's outcome; the tools run concurrently.
func (c *checker) addTool(t Tool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.rep.Tools = append(c.rep.Tools, t)
}

// toolOrder is the place of a tool in the report.
func toolOrder(name string) int {
	i := slices.Index([]string{ToolPytest, ToolCoverage, ToolRuffFormat, ToolRuffCheck, ToolTypes}, name)
	if i < 0 {
		return 99
	}
	return i
}

// lockedWriter serializes the progress lines of the concurrent tools.
type lockedWriter struct {
	mu sync.Mutex
	w  io.Writer
}

func (l *lockedWriter) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.w.Write(p)
}

// addMissing records a missing distribution once.
func (c *checker) addMissing(dist string) {
	if !slices.Contains(c.rep.MissingPackages, dist) {
		c.rep.MissingPackages = append(c.rep.MissingPackages, dist)
	}
}

// own reports whether module belongs to the project: one of its packages,
// or a module of its source, tests or root folder (the tests import
// "helpers"); a ModuleNotFoundError for it is a bug, not a missing package.
func (c *checker) own(module string) bool {
	top, _, _ := strings.Cut(module, ".")
	if slices.Contains(c.m.Packages, top) {
		return true
	}
	for _, dir := range []string{"src", "tests", "."} {
		base := filepath.Join(c.root, dir, top)
		if _, err := os.Stat(base + ".py"); err == nil {
			return true
		}
		if fi, err := os.Stat(base); err == nil && fi.IsDir() {
			return true
		}
	}
	return false
}

// pytest runs the tests, unless the interpreter lacks pytest or one of the
// project's dependencies.
func (c *checker) pytest(ctx context.Context) {
	in := c.in
	var missing, missingDeps []string
	if !in.modules["pytest"] {
		missing = append(missing, "pytest")
	}
	for _, r := range c.reqs {
		if !in.modules[r.Module] {
			missing = append(missing, r.Dist)
			missingDeps = append(missingDeps, r.Dist)
		}
	}
	if len(missing) > 0 {
		for _, d := range missing {
			c.addMissing(d)
		}
		what := joinAnd(missing)
		c.notRun = fmt.Sprintf("%s has no %s", in, what)
		msg := "not run: " + c.notRun
		if len(missingDeps) > 0 {
			msg += " (the tests would fail on the import, not on the code)"
		}
		c.addTool(Tool{Name: ToolPytest, Message: msg, Hint: in.installHint(len(missingDeps) == len(missing), missing...)})
		// The items' message names no interpreter: it goes into the README.
		c.notRun = "not run: " + what + " " + pluralWord(len(missing), "is") + " not installed"
		c.covReason = "skipped: the tests did not run"
		return
	}

	junit := filepath.Join(c.tmp, "junit.xml")
	args := []string{"-m", "pytest", "-q", "-p", "no:cacheprovider", "--continue-on-collection-errors",
		"--junitxml=" + junit, "-o", "junit_family=xunit1"}
	var env []string
	switch {
	case c.skipped(SkipCoverage):
		c.covReason = "skipped (turned off)"
	case !in.modules["pytest_cov"]:
		c.covReason = "skipped: pytest-cov is not installed in " + in.String()
	case len(c.m.Packages) == 0:
		c.covReason = "skipped: the project names no package to measure"
	default:
		c.covPath = filepath.Join(c.tmp, "coverage.xml")
		for _, p := range c.m.Packages {
			args = append(args, "--cov="+p)
		}
		// The XML report: pytest-cov's JSON report is recent (Debian's 4.0 lacks it).
		args = append(args, "--cov-report=xml:"+c.covPath)
		env = append(env, "COVERAGE_FILE="+filepath.Join(c.tmp, ".coverage"))
	}
	argv := in.cmd(args...)
	res := c.r.run(ctx, "pytest", env, argv...)
	t := Tool{Name: ToolPytest, Ran: true, Command: displayCommand(argv, c.root, c.tmp)}
	defer func() { c.addTool(t) }()
	if res.err != nil && ctx.Err() != nil {
		t.Message = "stopped: the time ran out (" + describeTimeout(c.opts.Timeout) + ")"
		t.Hint = "give it more time with --timeout"
		c.notRun = "not run: pytest ran out of time"
		c.covPath, c.covReason = "", "skipped: pytest ran out of time"
		return
	}
	if res.err != nil {
		t.Ran = false
		t.Message = "could not run: " + res.err.Error()
		c.notRun = "not run: pytest could not run"
		c.covPath, c.covReason = "", "skipped: pytest could not run"
		return
	}
	data, err := os.ReadFile(junit)
	if err == nil {
		c.cases, err = ParseJUnit(data)
	}
	if err != nil {
		// No report: pytest stopped before the tests (a broken conftest.py,
		// a bad option) or found none.
		if res.code == 5 {
			t.OK = true
			t.Message = "no tests collected"
			c.ran = true
			return
		}
		t.Message = fmt.Sprintf("stopped before running the tests (exit code %d):\n%s", res.code, stripRoot(Tail(res.out, 8), c.root))
		if mod := missingModule(res.out); mod != "" && !c.own(mod) {
			dist := distOf(mod, c.reqs)
			c.addMissing(dist)
			t.Hint = fmt.Sprintf("%s has no %s; %s", in, mod, in.installHint(false, dist))
		}
		c.notRun = "not run: pytest stopped before running the tests"
		c.covPath, c.covReason = "", "skipped: the tests did not run"
		return
	}
	c.ran = true
	t.OK = res.code == 0 || res.code == 5
	var passed, failed, skipped, pending int
	for _, k := range c.cases {
		switch {
		case k.Failing():
			failed++
		case k.Pending():
			skipped++
			pending++
		case k.Outcome == outcomeSkipped:
			skipped++
		default:
			passed++
		}
	}
	t.Message = countTests(passed, failed, skipped, pending) + fmt.Sprintf(" in %.1fs", res.dur.Seconds())
	if !t.OK && failed == 0 {
		t.Message += fmt.Sprintf("; pytest exited with code %d:\n%s", res.code, stripRoot(Tail(res.out, 6), c.root))
	}
}

// missingHint tells, on the pytest tool, how to install the packages that
// the tests found missing.
func (c *checker) missingHint() {
	for i := range c.rep.Tools {
		t := &c.rep.Tools[i]
		if t.Name != ToolPytest || !t.Ran || t.Hint != "" || len(c.rep.MissingPackages) == 0 {
			continue
		}
		t.Hint = fmt.Sprintf("the tests need %s, which %s lacks; %s", joinAnd(c.rep.MissingPackages), c.in,
			c.in.installHint(false, c.rep.MissingPackages...))
	}
}

// countTests says "5 passed, 1 failed, 4 skipped (3 pending)".
func countTests(passed, failed, skipped, pending int) string {
	parts := []string{fmt.Sprintf("%d passed", passed)}
	if failed > 0 {
		parts = append(parts, fmt.Sprintf("%d failed", failed))
	}
	if skipped > 0 {
		s := fmt.Sprintf("%d skipped", skipped)
		if pending > 0 {
			s += fmt.Sprintf(" (%d pending)", pending)
		}
		parts = append(parts, s)
	}
	return strings.Join(parts, ", ")
}

func describeTimeout(d time.Duration) string {
	if d <= 0 {
		return "cancelled"
	}
	return "timeout " + d.String()
}

// displayCommand shows a command line with the root and the temporary
// folder shortened.
func displayCommand(argv []string, root, tmp string) string {
	out := make([]string, len(argv))
	for i, a := range argv {
		a = strings.ReplaceAll(a, tmp, "$TMP")
		if a == root {
			a = "."
		}
		if strings.ContainsAny(a, " \t'\"") {
			a = "'" + strings.ReplaceAll(a, "'", `'\''`) + "'"
		}
		out[i] = a
	}
	return strings.Join(out, " ")
}

// testFiles lists the test files under tests/ (test_*.py, *_test.py) as
// slash paths relative to the root.
func (c *checker) testFiles() []string {
	var out []string
	dir := filepath.Join(c.root, "tests")
	_ = filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return nil
		}
		name := d.Name()
		if d.IsDir() {
			if p != dir && (strings.HasPrefix(name, ".") || name == "__pycache__") {
				return filepath.SkipDir
			}
			return nil
		}
		if strings.HasSuffix(name, ".py") && (strings.HasPrefix(name, "test_") || strings.HasSuffix(name, "_test.py")) {
			if rel, err := filepath.Rel(c.root, p); err == nil {
				out = append(out, filepath.ToSlash(rel))
			}
		}
		return nil
	})
	return out
}

// items ties the test cases to the equations, algorithms and other test
// files, and gives each its status.
func (c *checker) items() {
	onDisk := map[string]bool{}
	for _, f := range c.testFiles() {
		onDisk[f] = true
	}
	known := map[string]bool{}
	for f := range onDisk {
		known[f] = true
	}
	for _, list := range [][]project.Item{c.m.Equations, c.m.Algorithms} {
		for _, it := range list {
			if it.Test != "" {
				known[path.Clean(it.Test)] = true
			}
		}
	}
	byFile := map[string][]Case{}
	for _, k := range c.cases {
		f := caseFile(k, known, c.root)
		byFile[f] = append(byFile[f], k)
	}
	claimed := map[string]bool{}
	conv := func(list []project.Item) []Item {
		out := make([]Item, 0, len(list))
		for _, pi := range list {
			it := Item{Paper: pi.Paper, Number: pi.Number, Label: pi.Label, Func: pi.Func, Test: pi.Test}
			test := ""
			if pi.Test != "" {
				test = path.Clean(pi.Test)
				claimed[test] = true
			}
			c.summarize(&it, test, byFile[test], test != "" && fileExists(filepath.Join(c.root, filepath.FromSlash(test))))
			out = append(out, it)
		}
		return out
	}
	c.rep.Equations = conv(c.m.Equations)
	c.rep.Algorithms = conv(c.m.Algorithms)
	var others []string
	for f := range onDisk {
		if !claimed[f] {
			others = append(others, f)
		}
	}
	for f := range byFile {
		if !claimed[f] && !onDisk[f] {
			others = append(others, f)
		}
	}
	sort.Strings(others)
	for _, f := range others {
		it := Item{Test: f}
		c.summarize(&it, f, byFile[f], onDisk[f] || fileExists(filepath.Join(c.root, filepath.FromSlash(f))))
		c.rep.Other = append(c.rep.Other, it)
	}
}

func fileExists(p string) bool {
	fi, err := os.Stat(p)
	return err == nil && !fi.IsDir()
}

// caseFile is the test file of a case: the first of its candidates that is
// a known test file, else the first.
func caseFile(k Case, known map[string]bool, root string) string {
	cands := k.fileCandidates()
	for i, f := range cands {
		f = relPath(f, root)
		cands[i] = f
		if known[f] {
			return f
		}
	}
	if len(cands) > 0 {
		if k.File != "" || len(cands) == 1 {
			return cands[0]
		}
		// A dotted name without a file: the module is the longest prefix
		// whose file exists, or else the longest that does not end in a
		// class (a capitalized name).
		for _, f := range cands {
			if fileExists(filepath.Join(root, filepath.FromSlash(f))) {
				return f
			}
		}
		for _, f := range cands {
			if base := path.Base(f); base != "" && !unicode.IsUpper(rune(base[0])) {
				return f
			}
		}
		return cands[0]
	}
	return "?"
}

// maxNotes is how many skipped tests a passing item's message lists.
const maxNotes = 3

// summarize sets the status, counts and message of an item from the test
// cases of its test file.
func (c *checker) summarize(it *Item, test string, cases []Case, onDisk bool) {
	switch {
	case test == "":
		it.Status, it.Message = StatusNoTest, "no test file is recorded for it in "+project.File
		return
	case len(cases) == 0 && !onDisk:
		it.Status, it.Message = StatusNoTest, "the test file is missing"
		return
	case len(cases) == 0 && !c.ran:
		it.Status, it.Message = StatusNotRun, c.notRun
		return
	case len(cases) == 0:
		it.Status, it.Message = StatusNoTest, "pytest collected no test from the file"
		return
	}
	var failures, pendings, skips []Case
	var missing []string
	for _, k := range cases {
		switch {
		case k.Failing():
			if mod := missingModule(k.Text + "\n" + k.Message); mod != "" && !c.own(mod) {
				dist := distOf(mod, c.reqs)
				c.addMissing(dist)
				if !slices.Contains(missing, mod) {
					missing = append(missing, mod)
				}
				continue
			}
			it.Failed++
			failures = append(failures, k)
		case k.Pending():
			it.Skipped++
			it.Pending++
			pendings = append(pendings, k)
		case k.Outcome == outcomeSkipped:
			it.Skipped++
			skips = append(skips, k)
		default:
			it.Passed++
		}
	}
	switch {
	case len(failures) > 0:
		it.Status = StatusFailing
		it.Message = failureMessage(failures[0], test, c.root)
		if n := len(failures) - 1; n > 0 {
			var names []string
			for _, k := range failures[1:] {
				names = append(names, k.TestName())
			}
			it.Message += "\n" + clip(fmt.Sprintf("(and %d more failing: %s)", n, strings.Join(names, ", ")), maxLineLen)
		}
	case len(missing) > 0:
		it.Status = StatusNotRun
		it.Message = fmt.Sprintf("not run: module %s %s not installed", joinAnd(quoteAll(missing)), pluralWord(len(missing), "is"))
	case len(pendings) > 0:
		it.Status = StatusPending
		it.Message = clip(pendingReason(pendings[0].Message), maxLineLen)
	case it.Passed > 0:
		it.Status = StatusPassing
		var notes []string
		for i, k := range skips {
			if i == maxNotes {
				notes = append(notes, fmt.Sprintf("(and %d more skipped)", len(skips)-maxNotes))
				break
			}
			notes = append(notes, clip(k.TestName()+" skipped: "+strings.TrimSpace(k.Message), maxLineLen))
		}
		it.Message = strings.Join(notes, "\n")
	default:
		it.Status = StatusNoTest
		it.Message = clip(fmt.Sprintf("all %d tests skipped: %s", len(skips), strings.TrimSpace(skips[0].Message)), maxLineLen)
		if len(skips) == 1 {
			it.Message = clip("its test was skipped: "+strings.TrimSpace(skips[0].Message), maxLineLen)
		}
	}
}

func quoteAll(list []string) []string {
	out := make([]string, len(list))
	for i, s := range list {
		out[i] = "'" + s + "'"
	}
	return out
}

// joinAnd joins "a", "a and b", "a, b and c".
func joinAnd(list []string) string {
	switch len(list) {
	case 0:
		return ""
	case 1:
		return list[0]
	}
	return strings.Join(list[:len(list)-1], ", ") + " and " + list[len(list)-1]
}

// totals counts the items and the test cases.
func (c *checker) totals() map[string]int {
	t := map[string]int{
		StatusPassing: 0, StatusFailing: 0, StatusPending: 0, StatusNoTest: 0, StatusNotRun: 0,
		"equations": len(c.rep.Equations), "algorithms": len(c.rep.Algorithms), "other": len(c.rep.Other),
		"tests": 0, "tests_passed": 0, "tests_failed": 0, "tests_skipped": 0, "tests_pending": 0,
	}
	for _, list := range [][]Item{c.rep.Equations, c.rep.Algorithms, c.rep.Other} {
		for _, it := range list {
			t[it.Status]++
		}
	}
	for _, k := range c.cases {
		t["tests"]++
		switch {
		case k.Failing():
			t["tests_failed"]++
		case k.Pending():
			t["tests_skipped"]++
			t["tests_pending"]++
		case k.Outcome == outcomeSkipped:
			t["tests_skipped"]++
		default:
			t["tests_passed"]++
		}
	}
	return t
}
