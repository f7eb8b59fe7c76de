package scaffold_test

import (
	"bytes"
	"context"
	"encoding/json"
	"encoding/xml"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/reprohq/repro"
	"github.com/reprohq/repro/doc"
	"github.com/reprohq/repro/internal/graph"
	"github.com/reprohq/repro/internal/scaffold"
	"github.com/reprohq/repro/internal/testenv"
)

const tinyformerDir = "../../examples/tinyformer"

var (
	tinyOnce sync.Once
	tinyDoc  *doc.Document
	tinyErr  error
)

// tinyformer returns the example paper as the workspace would hold it. Each
// call returns a fresh copy, so that tests may change it.
func tinyformer(t *testing.T) []graph.Paper {
	t.Helper()
	tinyOnce.Do(func() {
		tinyDoc, tinyErr = repro.Extract(context.Background(), tinyformerDir, repro.Options{})
	})
	if tinyErr != nil {
		t.Fatal(tinyErr)
	}
	b, err := json.Marshal(tinyDoc)
	if err != nil {
		t.Fatal(err)
	}
	var d doc.Document
	if err := json.Unmarshal(b, &d); err != nil {
		t.Fatal(err)
	}
	return []graph.Paper{{ID: "tinyformer", Doc: &d}}
}

// extract extracts a paper.
func extract(dir string) (*doc.Document, error) {
	return repro.Extract(context.Background(), dir, repro.Options{})
}

// generate runs Generate with test defaults.
func generate(t *testing.T, papers []graph.Paper, o scaffold.Options) *scaffold.Result {
	t.Helper()
	if o.Version == "" {
		o.Version = "test"
	}
	res, err := scaffold.Generate(context.Background(), papers, nil, o)
	if err != nil {
		t.Fatal(err)
	}
	return res
}

// pythonPackages are what the generated projects need to run.
var pythonPackages = []string{"torch", "numpy", "pytest", "yaml"}

// python returns an interpreter that can import pythonPackages
// (testenv.Python: $REPRO_PYTHON, else Debian's /usr/bin/python3, else
// python3 on PATH), or skips the test saying which lacks what.
func python(t *testing.T) string {
	t.Helper()
	return testenv.Python(t, pythonPackages...)
}

// run runs a command in dir with a timeout and returns its combined output.
func run(t *testing.T, dir string, timeout time.Duration, env []string, name string, args ...string) (string, error) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), timeout)
	defer cancel()
	cmd := exec.CommandContext(ctx, name, args...)
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), "PYTHONDONTWRITEBYTECODE=1", "PYTHONHASHSEED=0")
	cmd.Env = append(cmd.Env, env...)
	var out bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &out
	err := cmd.Run()
	return out.String(), err
}

// junit is the part of a pytest JUnit XML report the tests read.
type junit struct {
	Suites []struct {
		Cases []junitCase `xml:"testcase"`
	} `xml:"testsuite"`
}

type junitCase struct {
	Class   string    `xml:"classname,attr"`
	Name    string    `xml:"name,attr"`
	Skipped *struct{} `xml:"skipped"`
	Failure *struct {
		Message string `xml:"message,attr"`
	} `xml:"failure"`
	Error *struct {
		Message string `xml:"message,attr"`
	} `xml:"error"`
}

// outcome is passed, skipped, failed or error.
func (c junitCase) outcome() string {
	switch {
	case c.Failure != nil:
		return "failed"
	case c.Error != nil:
		return "error"
	case c.Skipped != nil:
		return "skipped"
	}
	return "passed"
}

// pytest runs the project's tests and returns the outcome of each, by
// "module::test" (module as pytest names it: tests.test_equations.x).
func pytest(t *testing.T, py, dir string, args ...string) (map[string]string, string, error) {
	t.Helper()
	report := filepath.Join(t.TempDir(), "report.xml")
	args = append([]string{"-m", "pytest", "-q", "-p", "no:cacheprovider", "--junitxml=" + report}, args...)
	out, err := run(t, dir, 5*time.Minute, nil, py, args...)
	results := map[string]string{}
	b, rerr := os.ReadFile(report)
	if rerr != nil {
		return results, out, err
	}
	var j junit
	if xerr := xml.Unmarshal(b, &j); xerr != nil {
		t.Fatalf("pytest report: %v", xerr)
	}
	for _, s := range j.Suites {
		for _, c := range s.Cases {
			results[c.Class+"::"+c.Name] = c.outcome()
		}
	}
	return results, out, err
}

// readFile reads a file of the project.
func readFile(t *testing.T, dir, rel string) string {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(dir, filepath.FromSlash(rel)))
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// writeFile writes a file of the project, as a user would.
func writeFile(t *testing.T, dir, rel, content string) {
	t.Helper()
	if err := os.WriteFile(filepath.Join(dir, filepath.FromSlash(rel)), []byte(content), 0o644); err != nil {
		t.Fatal(err)
	}
}

// replace replaces old by new once in a file of the project, which must
// hold old.
func replace(t *testing.T, dir, rel, old, new string) {
	t.Helper()
	s := readFile(t, dir, rel)
	if !strings.Contains(s, old) {
		t.Fatalf("%s does not hold %q", rel, old)
	}
	writeFile(t, dir, rel, strings.Replace(s, old, new, 1))
}

// gitCommits returns the one-line log of the project's repository.
func gitCommits(t *testing.T, dir string) []string {
	t.Helper()
	out, err := run(t, dir, time.Minute, nil, "git", "log", "--oneline")
	if err != nil {
		t.Fatalf("git log: %v\n%s", err, out)
	}
	return strings.Split(strings.TrimSpace(out), "\n")
}

// needGit skips the test when git is missing.
func needGit(t *testing.T) {
	t.Helper()
	if _, err := exec.LookPath("git"); err != nil {
		t.Skip("git is not installed")
	}
}
