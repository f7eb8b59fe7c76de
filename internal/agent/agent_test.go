package agent

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/reprohq/repro"
	"github.com/reprohq/repro/internal/graph"
	"github.com/reprohq/repro/internal/llm"
	"github.com/reprohq/repro/internal/plan"
	"github.com/reprohq/repro/internal/scaffold"
	"github.com/reprohq/repro/internal/testenv"
)

// Prices of the scripted model, in dollars per token.
const priceIn, priceOut = 3e-6, 15e-6

// answer is a scripted answer: the text (or an error) and its token counts.
type answer struct {
	text    string
	in, out int
}

// scripted is a model that answers from a script: for each module (named
// on the prompt's first line), the answer of each round (the round is read
// from the conversation's length, so that a resumed run gets the same
// answers). hook, when set, runs on every call with its number (from 1) and
// may replace the result.
type scripted struct {
	script map[string][]answer
	hook   func(n int, resp *llm.Response) (*llm.Response, error)

	mu    sync.Mutex
	calls []llm.Request
}

func (s *scripted) Name() string { return "scripted:test" }

func (s *scripted) Complete(ctx context.Context, req llm.Request) (*llm.Response, error) {
	s.mu.Lock()
	s.calls = append(s.calls, req)
	n := len(s.calls)
	s.mu.Unlock()
	first := req.Messages[0].Content
	mod, _, _ := strings.Cut(strings.TrimPrefix(first, "Module: "), "\n")
	round := (len(req.Messages) + 1) / 2
	answers := s.script[mod]
	if round > len(answers) {
		return nil, fmt.Errorf("scripted: no answer %d for %s", round, mod)
	}
	a := answers[round-1]
	resp := &llm.Response{Text: a.text, Model: "scripted", Usage: llm.Usage{InputTokens: a.in, OutputTokens: a.out},
		Cost: float64(a.in)*priceIn + float64(a.out)*priceOut}
	if s.hook != nil {
		return s.hook(n, resp)
	}
	return resp, nil
}

func (s *scripted) requests() []llm.Request {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]llm.Request(nil), s.calls...)
}

var (
	paperOnce sync.Once
	papers    []graph.Paper
	paperErr  error
)

// newProject scaffolds the example paper's project into a new folder.
func newProject(t *testing.T, python string) string {
	t.Helper()
	paperOnce.Do(func() {
		d, err := repro.Extract(context.Background(), "../../examples/tinyformer", repro.Options{})
		papers, paperErr = []graph.Paper{{ID: "tinyformer", Doc: d}}, err
	})
	if paperErr != nil {
		t.Fatal(paperErr)
	}
	dir := t.TempDir()
	p := plan.Build(nil, papers, plan.Options{Version: "test"})
	if _, err := scaffold.Generate(context.Background(), papers, p, scaffold.Options{Out: dir, Version: "test", Python: python}); err != nil {
		t.Fatal(err)
	}
	return dir
}

const refModule = "src/tinyformer/reference_implementation.py"

// refAnswers are the scripted answers for reference_implementation: a
// wrong implementation (a sign flipped), then the right one.
func refAnswers(t *testing.T, dir string) []answer {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(dir, filepath.FromSlash(refModule)))
	if err != nil {
		t.Fatal(err)
	}
	const raise = `    raise NotImplementedError("eq_c_1_params: equation (C.1) is not implemented yet")`
	if !strings.Contains(string(b), raise) {
		t.Fatalf("no stub in %s", refModule)
	}
	body := func(expr string) string {
		return strings.Replace(string(b), raise, "    return "+expr, 1)
	}
	right := "(V + T_max) @ d + L @ (4 * d**2 + 2 * d * d_ff + d_ff + 11 * d + 1) + 2 * d + (d + 1) @ C"
	wrong := strings.Replace(right, "+ 2 * d", "- 2 * d", 1)
	return []answer{
		{text: "Here is the implementation.\n\nFILE: " + refModule + "\n```python\n" + body(wrong) + "```\n", in: 5200, out: 900},
		{text: "The sign of the 2d term was wrong.\n\nFILE: " + refModule + "\n```python\n" + body(right) + "```\nDone.", in: 7400, out: 950},
	}
}

func sameResults(t *testing.T, got, want *Report) {
	t.Helper()
	norm := func(r *Report) string {
		var b strings.Builder
		for _, m := range r.Modules {
			fmt.Fprintf(&b, "%s %s rounds=%d in=%d out=%d cost=%.9f", m.Name, m.Status, m.Rounds, m.InputTokens, m.OutputTokens, m.Cost)
			if m.Tests != nil {
				fmt.Fprintf(&b, " tests=%s", m.Tests.Summary())
			}
			b.WriteString("\n")
		}
		fmt.Fprintf(&b, "total %d %d %d %.9f\n", r.Total.Calls, r.Total.InputTokens, r.Total.OutputTokens, r.Total.Cost)
		return b.String()
	}
	if g, w := norm(got), norm(want); g != w {
		t.Errorf("results differ:\n%s\nwant\n%s", g, w)
	}
}

// TestImplementEndToEnd: the first answer is wrong, the real pytest
// failure goes back, the second answer fixes it; the loop stops green and
// the cost report adds the scripted tokens up.
func TestImplementEndToEnd(t *testing.T) {
	py := testenv.Python(t, "torch", "numpy", "pytest")
	dir := newProject(t, py)
	script := refAnswers(t, dir)
	m := &scripted{script: map[string][]answer{refModule: script}}
	var progress bytes.Buffer
	t0 := time.Now()
	rep, err := Implement(context.Background(), m, Options{Root: dir, Modules: []string{"reference_implementation"}, Rounds: 3, Progress: &progress})
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("%v; progress:\n%s", time.Since(t0), progress.String())
	if len(rep.Modules) != 1 {
		t.Fatalf("modules %+v", rep.Modules)
	}
	mr := rep.Modules[0]
	if mr.Status != StatusGreen || mr.Rounds != 2 || mr.Calls != 2 {
		t.Fatalf("status %q after %d rounds, %d calls; want green after 2", mr.Status, mr.Rounds, mr.Calls)
	}
	if mr.Tests == nil || mr.Tests.Passed != 5 || !mr.Tests.Green {
		t.Errorf("tests %+v, want 5 passed", mr.Tests)
	}
	reqs := m.requests()
	if len(reqs) != 2 {
		t.Fatalf("%d calls, want 2", len(reqs))
	}
	first := reqs[0].Messages[0].Content
	for _, want := range []string{"Module: " + refModule, "eq_c_1_params", "def eq_C_1_P(", "### Equation (C.1)", "tests/test_equations/test_eqc_1_params.py"} {
		if !strings.Contains(first, want) {
			t.Errorf("the first prompt lacks %q", want)
		}
	}
	if reqs[0].Stage != Stage || reqs[0].Paper != "tinyformer" || !strings.Contains(reqs[0].System, "FILE:") {
		t.Errorf("request stage %q paper %q", reqs[0].Stage, reqs[0].Paper)
	}
	// The second request carries the first answer and pytest's failure.
	msgs := reqs[1].Messages
	if len(msgs) != 3 || msgs[1].Role != "assistant" || msgs[1].Content != script[0].text {
		t.Fatalf("second request: %d messages", len(msgs))
	}
	fb := msgs[2].Content
	for _, want := range []string{"test_eqc_1_params.py::test_oracle failed", "4 passed, 1 failed", "assert"} {
		if !strings.Contains(fb, want) {
			t.Errorf("the feedback lacks %q:\n%s", want, fb)
		}
	}
	// The cost report is the scripted tokens times the prices.
	in, out := script[0].in+script[1].in, script[0].out+script[1].out
	cost := float64(in)*priceIn + float64(out)*priceOut
	if rep.Total.Calls != 2 || rep.Total.InputTokens != in || rep.Total.OutputTokens != out || math.Abs(rep.Total.Cost-cost) > 1e-12 {
		t.Errorf("total %+v, want 2 calls, %d in, %d out, $%v", rep.Total, in, out, cost)
	}
	if rep.ThisRun != rep.Total || rep.ByStage[Stage] != rep.Total {
		t.Errorf("this run %+v, by stage %+v; want the total", rep.ThisRun, rep.ByStage)
	}
	var text bytes.Buffer
	if err := rep.WriteText(&text); err != nil {
		t.Fatal(err)
	}
	if want := fmt.Sprintf("Cost: 2 calls, %d input tokens, %d output tokens, $%.4f\n", in, out, cost); !strings.Contains(text.String(), want) {
		t.Errorf("text report lacks %q:\n%s", want, text.String())
	}
	t.Logf("report:\n%s", text.String())
	// The file is implemented; the tests untouched; the state kept.
	src, _ := os.ReadFile(filepath.Join(dir, filepath.FromSlash(refModule)))
	if !strings.Contains(string(src), "+ 2 * d + (d + 1) @ C") {
		t.Errorf("the module does not hold the second answer")
	}
	for _, p := range []string{"steps/tinyformer.reference_implementation/start.json", "steps/tinyformer.reference_implementation/round-01.json",
		"steps/tinyformer.reference_implementation/round-02.json", "transcripts/tinyformer.reference_implementation.md",
		"backup/" + refModule, "report.json"} {
		if _, err := os.Stat(filepath.Join(dir, ".repro", "agent", filepath.FromSlash(p))); err != nil {
			t.Errorf("missing %s", p)
		}
	}
	tr, _ := os.ReadFile(filepath.Join(dir, ".repro", "agent", "transcripts", "tinyformer.reference_implementation.md"))
	if !strings.Contains(string(tr), "## Round 2") || !strings.Contains(string(tr), "tests: 5 passed") {
		t.Errorf("transcript:\n%s", tr)
	}

	// A second run repeats nothing: the module is green from its checkpoints.
	m2 := &scripted{script: map[string][]answer{}}
	rep2, err := Implement(context.Background(), m2, Options{Root: dir, Modules: []string{"reference_implementation"}, Rounds: 3})
	if err != nil {
		t.Fatal(err)
	}
	if n := len(m2.requests()); n != 0 {
		t.Errorf("the second run asked the model %d times", n)
	}
	sameResults(t, rep2, rep)

	full := rep
	// Resume tests: interrupted after the first step by a cancel, after
	// the second answer before its tests, and stopped by the budget.
	t.Run("interrupted", func(t *testing.T) {
		dir := newProject(t, py)
		script := refAnswers(t, dir)
		ctx, cancel := context.WithCancel(context.Background())
		defer cancel()
		m := &scripted{script: map[string][]answer{refModule: script}, hook: func(n int, r *llm.Response) (*llm.Response, error) {
			if n == 2 {
				cancel()
				return nil, ctx.Err()
			}
			return r, nil
		}}
		rep, err := Implement(ctx, m, Options{Root: dir, Modules: []string{"reference_implementation"}})
		if !errors.Is(err, context.Canceled) || rep == nil || rep.Stopped != "interrupted" {
			t.Fatalf("err %v, report %+v", err, rep)
		}
		resume(t, dir, script, full, rep, 1, 1)
	})
	t.Run("answered-not-tested", func(t *testing.T) {
		dir := newProject(t, py)
		script := refAnswers(t, dir)
		ctx, cancel := context.WithCancel(context.Background())
		defer cancel()
		m := &scripted{script: map[string][]answer{refModule: script}, hook: func(n int, r *llm.Response) (*llm.Response, error) {
			if n == 2 {
				cancel() // the answer arrives, the tests cannot run
			}
			return r, nil
		}}
		if _, err := Implement(ctx, m, Options{Root: dir, Modules: []string{"reference_implementation"}}); !errors.Is(err, context.Canceled) {
			t.Fatalf("err %v", err)
		}
		resume(t, dir, script, full, nil, 2, 0)
	})
	t.Run("budget", func(t *testing.T) {
		dir := newProject(t, py)
		script := refAnswers(t, dir)
		m := &scripted{script: map[string][]answer{refModule: script}, hook: func(n int, r *llm.Response) (*llm.Response, error) {
			if n == 2 {
				return nil, fmt.Errorf("call would cost $0.02 over the $0.01 left: %w", llm.ErrBudget)
			}
			return r, nil
		}}
		rep, err := Implement(context.Background(), m, Options{Root: dir, Modules: []string{"reference_implementation"}})
		if !errors.Is(err, ErrStopped) || !errors.Is(err, llm.ErrBudget) || rep.Stopped != "budget" || rep.Modules[0].Status != StatusBudget {
			t.Fatalf("err %v, stopped %q, status %q", err, rep.Stopped, rep.Modules[0].Status)
		}
		if rep.Total.Calls != 1 || rep.Total.InputTokens != 5200 {
			t.Errorf("total %+v, want the first call", rep.Total)
		}
		var text bytes.Buffer
		rep.WriteText(&text)
		if !strings.Contains(text.String(), "Stopped: the budget ran out") {
			t.Errorf("text:\n%s", text.String())
		}
		resume(t, dir, script, full, rep, 1, 1)
	})
}

// resume runs the agent again on dir and checks that it asks the model
// wantCalls times, replays replayed rounds from the checkpoints, and ends
// as the uninterrupted run did.
func resume(t *testing.T, dir string, script []answer, want, before *Report, replayed, wantCalls int) {
	t.Helper()
	m := &scripted{script: map[string][]answer{refModule: script}}
	rep, err := Implement(context.Background(), m, Options{Root: dir, Modules: []string{"reference_implementation"}})
	if err != nil {
		t.Fatal(err)
	}
	mr := rep.Modules[0]
	if got := len(m.requests()); got != wantCalls || mr.Calls != wantCalls || mr.Replayed != replayed {
		t.Errorf("resumed: %d calls (report %d), %d replayed; want %d calls, %d replayed", got, mr.Calls, mr.Replayed, wantCalls, replayed)
	}
	if mr.Status != StatusGreen || mr.Rounds != 2 {
		t.Errorf("resumed: %s after %d rounds", mr.Status, mr.Rounds)
	}
	if rep.Total.Calls != 2 || rep.Total.InputTokens != 5200+7400 || rep.Total.OutputTokens != 900+950 {
		t.Errorf("resumed total %+v", rep.Total)
	}
	sameResults(t, rep, want)
	if rep.ThisRun.Calls != wantCalls {
		t.Errorf("this run %+v", rep.ThisRun)
	}
	if before != nil && before.Total.Calls+rep.ThisRun.Calls != rep.Total.Calls {
		t.Errorf("before %+v + this run %+v != total %+v", before.Total, rep.ThisRun, rep.Total)
	}
}

// TestImplementParallel runs two independent modules at once: one goes
// green, the other's answers are refused (a path outside src/) until its
// rounds run out.
func TestImplementParallel(t *testing.T) {
	py := testenv.Python(t, "torch", "numpy", "pytest")
	dir := newProject(t, py)
	const intro = "src/tinyformer/introduction.py"
	hostile := answer{text: "FILE: tests/test_equations/test_eq1_1_predict.py\n```python\ndef test_nothing():\n    pass\n```\n", in: 100, out: 10}
	m := &scripted{script: map[string][]answer{refModule: refAnswers(t, dir), intro: {hostile, hostile}}}
	test := filepath.Join(dir, "tests", "test_equations", "test_eq1_1_predict.py")
	before, _ := os.ReadFile(test)
	rep, err := Implement(context.Background(), m, Options{Root: dir, Modules: []string{"introduction", "tinyformer.reference_implementation"}, Rounds: 2, Parallel: 2})
	if err != nil {
		t.Fatal(err)
	}
	got := map[string]ModuleResult{}
	for _, r := range rep.Modules {
		got[r.Module] = r
	}
	if r := got[refModule]; r.Status != StatusGreen {
		t.Errorf("%s: %s", refModule, r.Status)
	}
	if r := got[intro]; r.Status != StatusFailed || r.Rounds != 2 || r.Tests != nil {
		t.Errorf("%s: %+v", intro, r)
	}
	after, _ := os.ReadFile(test)
	if !bytes.Equal(before, after) {
		t.Error("a test file changed")
	}
	var intro2 llm.Request
	for _, r := range m.requests() {
		if strings.HasPrefix(r.Messages[0].Content, "Module: "+intro) && len(r.Messages) == 3 {
			intro2 = r
		}
	}
	if len(intro2.Messages) != 3 || !strings.Contains(intro2.Messages[2].Content, "Your answer was not applied") || !strings.Contains(intro2.Messages[2].Content, "tests may not be changed") {
		t.Errorf("the refusal did not go back: %+v", intro2.Messages)
	}
	if rep.Total.Calls != 4 || rep.Statuses[StatusGreen] != 1 || rep.Statuses[StatusFailed] != 1 {
		t.Errorf("total %+v statuses %v", rep.Total, rep.Statuses)
	}
}
