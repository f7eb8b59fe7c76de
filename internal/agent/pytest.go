package agent

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"github.com/reprohq/repro/internal/check"
)

// TestResult is what a run of a unit's tests gave.
type TestResult struct {
	Passed  int `json:"passed"`
	Failed  int `json:"failed"` // failures and errors, collection errors included
	Pending int `json:"pending"`
	Skipped int `json:"skipped"` // skipped for another reason than pending
	// Green: the tests ran, at least one passed, none failed or is pending.
	Green    bool      `json:"green"`
	Failures []Failure `json:"failures,omitempty"`
	// Error says why the tests could not run or report (pytest stopped
	// before the tests, a missing interpreter); "" when they ran.
	Error      string `json:"error,omitempty"`
	DurationMS int64  `json:"duration_ms"`
}

// Failure is a failing or pending test, for the model.
type Failure struct {
	Test    string `json:"test"` // tests/test_equations/test_eqc_1_params.py::test_oracle
	Message string `json:"message,omitempty"`
	Text    string `json:"text,omitempty"` // the traceback, trimmed
	Pending bool   `json:"pending,omitempty"`
}

// Summary is "3 passed, 2 failed, 1 pending".
func (t *TestResult) Summary() string {
	if t.Error != "" {
		return "did not run: " + firstLine(t.Error)
	}
	var parts []string
	for _, p := range []struct {
		n    int
		what string
	}{{t.Passed, "passed"}, {t.Failed, "failed"}, {t.Pending, "pending"}, {t.Skipped, "skipped"}} {
		if p.n > 0 {
			parts = append(parts, fmt.Sprintf("%d %s", p.n, p.what))
		}
	}
	if len(parts) == 0 {
		return "no tests"
	}
	return strings.Join(parts, ", ")
}

func firstLine(s string) string {
	l, _, _ := strings.Cut(strings.TrimSpace(s), "\n")
	return l
}

// runTests runs the unit's test files with pytest in the project's root,
// writing the JUnit report to junit (a path of its own, so that parallel
// runs do not collide). An error is returned only when ctx ends.
func runTests(ctx context.Context, python []string, root string, tests []string, junit string, timeout time.Duration) (*TestResult, error) {
	start := time.Now()
	res := &TestResult{}
	if len(tests) == 0 {
		res.Error = "the module has no test file"
		return res, nil
	}
	if err := os.MkdirAll(filepath.Dir(junit), 0o755); err != nil {
		return nil, err
	}
	os.Remove(junit)
	defer os.Remove(junit)
	tctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	args := append(slices.Clip(python[1:]), "-m", "pytest", "-q", "-p", "no:cacheprovider",
		"--junitxml="+junit, "-o", "junit_family=xunit1")
	args = append(args, tests...)
	cmd := exec.CommandContext(tctx, python[0], args...)
	cmd.Dir = root
	cmd.Env = check.CleanEnv()
	var out bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &out
	cmd.WaitDelay = 5 * time.Second
	err := cmd.Run()
	res.DurationMS = time.Since(start).Milliseconds()
	if ctx.Err() != nil {
		return nil, ctx.Err()
	}
	if tctx.Err() != nil {
		res.Error = fmt.Sprintf("the tests ran out of time (%v)", timeout)
		return res, nil
	}
	code := 0
	if ee, ok := err.(*exec.ExitError); ok {
		code = ee.ExitCode()
	} else if err != nil {
		res.Error = "cannot run " + strings.Join(python, " ") + ": " + err.Error()
		return res, nil
	}
	data, rerr := os.ReadFile(junit)
	var cases []check.Case
	if rerr == nil {
		cases, rerr = check.ParseJUnit(data)
	}
	if rerr != nil {
		res.Error = fmt.Sprintf("pytest stopped before running the tests (exit code %d):\n%s", code, check.Tail(out.String(), 15))
		return res, nil
	}
	for _, c := range cases {
		file := c.File
		if file == "" {
			file = strings.ReplaceAll(c.Classname, ".", "/") + ".py"
		}
		id := file + "::" + c.TestName()
		switch {
		case c.Failing():
			res.Failed++
			res.Failures = append(res.Failures, Failure{Test: id, Message: clip(strings.TrimSpace(c.Message), 500), Text: trimTrace(c.Text)})
		case c.Pending():
			res.Pending++
			res.Failures = append(res.Failures, Failure{Test: id, Message: strings.TrimPrefix(strings.TrimSpace(c.Message), "Skipped: "), Pending: true})
		case c.Outcome == "skipped":
			res.Skipped++
		default:
			res.Passed++
		}
	}
	res.Green = res.Failed == 0 && res.Pending == 0 && res.Passed > 0
	return res, nil
}

// trimTrace keeps the end of a traceback, where the assertion is.
func trimTrace(s string) string {
	s = strings.TrimSpace(s)
	if len(s) <= maxFailure {
		return s
	}
	cut := s[len(s)-maxFailure:]
	if i := strings.IndexByte(cut, '\n'); i >= 0 && i < len(cut)/2 {
		cut = cut[i+1:]
	}
	return "[...]\n" + cut
}
