package agent

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/reprohq/repro/internal/llm"
	"github.com/reprohq/repro/internal/project"
	"github.com/reprohq/repro/internal/xerr"
)

// Options configure Implement.
type Options struct {
	// Root is the project's folder.
	Root string
	// Python is the interpreter that runs the tests: a path or a command
	// ("uv run python"); "" takes the project's (.repro/project.json), else
	// python3.
	Python string
	// Modules restricts the run to these modules (names such as
	// "optimization_details", dotted names or paths); none: all.
	Modules []string
	// Rounds is the most rounds (model answers) per module; 0 is 3.
	Rounds int
	// Parallel is how many modules run at once; 0 is 2.
	Parallel int
	// AllowTestEdits lets the model change files under tests/ too.
	AllowTestEdits bool
	// MaxTokens is the answer's limit per call; 0 is the provider's default.
	MaxTokens int
	// TestTimeout bounds one run of a module's tests; 0 is 10 minutes.
	TestTimeout time.Duration
	// Progress, when set, receives a line per step.
	Progress io.Writer
}

// ErrStopped is returned (wrapped together with llm.ErrBudget) when the
// budget ran out: what was done is checkpointed and the report is complete
// for it; a later run with a larger budget continues.
var ErrStopped = errors.New("implementation stopped")

// Statuses of a module.
const (
	StatusGreen       = "green"
	StatusAlready     = "already green"
	StatusFailed      = "failed"
	StatusBudget      = "stopped: budget"
	StatusInterrupted = "interrupted"
	StatusError       = "error"
)

// Stage is the stage of the agent's calls in the cost report.
const Stage = "implement"

type run struct {
	m      llm.Model
	opts   Options
	python []string
	st     store

	mu       sync.Mutex
	budget   bool // a call hit the budget: no new calls
	progress io.Writer
}

// Implement runs the implementation agent on the project at opts.Root.
// It returns the report and, when the run did not end normally, an error:
// ctx's error when it was interrupted, one wrapping ErrStopped and
// llm.ErrBudget when the budget ran out (the report is valid in both
// cases), another when the project cannot be worked on or a model call
// failed.
func Implement(ctx context.Context, m llm.Model, opts Options) (*Report, error) {
	if opts.Rounds <= 0 {
		opts.Rounds = 3
	}
	if opts.Parallel <= 0 {
		opts.Parallel = 2
	}
	if opts.TestTimeout <= 0 {
		opts.TestTimeout = 10 * time.Minute
	}
	root, err := filepath.Abs(opts.Root)
	if err != nil {
		return nil, err
	}
	opts.Root = root
	man, err := project.Load(root)
	if err != nil {
		return nil, err
	}
	units, err := loadUnits(root, man, opts.Modules)
	if err != nil {
		return nil, err
	}
	python, err := choosePython(opts.Python, man.Python, root)
	if err != nil {
		return nil, err
	}
	r := &run{m: m, opts: opts, python: python, st: store{root: root}, progress: opts.Progress}
	startT := time.Now()

	results := make([]ModuleResult, len(units))
	done := map[string]chan struct{}{}
	for _, u := range units {
		done[u.Name] = make(chan struct{})
	}
	sem := make(chan struct{}, opts.Parallel)
	var wg sync.WaitGroup
	for i, u := range units {
		wg.Add(1)
		go func() {
			defer wg.Done()
			defer close(done[u.Name])
			for _, d := range u.Deps {
				select {
				case <-done[d]:
				case <-ctx.Done():
				}
			}
			select {
			case sem <- struct{}{}:
			case <-ctx.Done():
			}
			if ctx.Err() != nil {
				results[i] = ModuleResult{Module: u.Module, Name: u.Name, Items: itemNumbers(u), Status: StatusInterrupted}
				return
			}
			defer func() { <-sem }()
			results[i] = r.unit(ctx, u)
		}()
	}
	wg.Wait()

	rep := &Report{Model: m.Name(), Root: root, Modules: results, DurationMS: time.Since(startT).Milliseconds()}
	rep.total()
	var errs []error
	for _, res := range results {
		if res.Status == StatusError {
			errs = append(errs, fmt.Errorf("%s: %s", res.Module, res.Error))
		}
	}
	_ = writeJSON(filepath.Join(r.st.base(), "report.json"), rep)
	switch {
	case ctx.Err() != nil:
		rep.Stopped = "interrupted"
		return rep, ctx.Err()
	case r.budget:
		rep.Stopped = "budget"
		return rep, fmt.Errorf("%w: %w", ErrStopped, llm.ErrBudget)
	case len(errs) > 0:
		return rep, errors.Join(errs...)
	}
	return rep, nil
}

func itemNumbers(u *unit) []string {
	var out []string
	for i, it := range u.Items {
		if u.Kinds[i] == "Algorithm" {
			out = append(out, "Alg. "+it.Number)
		} else {
			out = append(out, "("+it.Number+")")
		}
	}
	return out
}

// choosePython picks the interpreter: the option, the project's, python3.
func choosePython(opt, proj, root string) ([]string, error) {
	v := opt
	if v == "" {
		v = proj
	}
	if v == "" {
		v = "python3"
	}
	argv := []string{v}
	if _, err := os.Stat(v); err != nil && strings.ContainsAny(v, " \t") {
		argv = strings.Fields(v)
	}
	if strings.ContainsRune(argv[0], '/') && !filepath.IsAbs(argv[0]) && opt == "" {
		argv[0] = filepath.Join(root, argv[0])
	}
	p, err := exec.LookPath(argv[0])
	if err != nil {
		return nil, xerr.Input("", fmt.Sprintf("Python interpreter %s not found", argv[0]), "choose one with --python")
	}
	argv[0] = p
	return argv, nil
}

func (r *run) logf(u *unit, format string, args ...any) {
	if r.progress == nil {
		return
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	fmt.Fprintf(r.progress, "%s: %s\n", u.Name, fmt.Sprintf(format, args...))
}

func (r *run) budgetHit() bool {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.budget
}

// request builds the request of round len(prev)+1 from the unit's start
// and the steps before it.
func (r *run) request(u *unit, st *start, prev []*Step) llm.Request {
	req := st.Request
	req.Messages = slices.Clone(st.Request.Messages)
	for _, s := range prev {
		req.Messages = append(req.Messages,
			llm.Message{Role: "assistant", Content: s.Response.Text},
			llm.Message{Role: "user", Content: feedback(u, s)})
	}
	req.MaxTokens = r.opts.MaxTokens
	return req
}

// unit runs the rounds of one module.
func (r *run) unit(ctx context.Context, u *unit) (res ModuleResult) {
	t0 := time.Now()
	res = ModuleResult{Module: u.Module, Name: u.Name, Items: itemNumbers(u)}
	defer func() { res.DurationMS = time.Since(t0).Milliseconds() }()
	fail := func(err error) ModuleResult {
		if ctx.Err() != nil {
			res.Status = StatusInterrupted
		} else {
			res.Status, res.Error = StatusError, err.Error()
		}
		return res
	}

	st, steps := r.st.load(u)
	if st == nil {
		if err := r.st.dropFrom(u, 1); err != nil {
			return fail(err)
		}
		// A module with no stub left may be done already.
		if src, err := os.ReadFile(filepath.Join(r.opts.Root, filepath.FromSlash(u.Module))); err == nil && !strings.Contains(string(src), "raise NotImplementedError") {
			tr, err := runTests(ctx, r.python, r.opts.Root, u.Tests, r.st.junit(u, 0), r.opts.TestTimeout)
			if err != nil {
				return fail(err)
			}
			if tr.Green {
				res.Status, res.Tests = StatusAlready, tr
				r.logf(u, "already green (%s)", tr.Summary())
				return res
			}
		}
		st = &start{Version: checkpointVersion, Module: u.Module, Request: llm.Request{
			System:   system(r.opts.AllowTestEdits),
			Messages: []llm.Message{{Role: "user", Content: firstPrompt(r.opts.Root, u)}},
			Stage:    Stage, Paper: u.Paper,
		}}
		if err := writeJSON(r.st.startFile(u), st); err != nil {
			return fail(err)
		}
	}

	var done []*Step
	defer func() {
		if len(done) > 0 {
			_ = r.st.writeTranscript(u, st, done)
		}
	}()
	for round := 1; round <= r.opts.Rounds; round++ {
		req := r.request(u, st, done)
		hash := requestHash(req)
		var step *Step
		if round <= len(steps) && steps[round-1].RequestHash == hash {
			step = steps[round-1]
			res.Replayed++
		} else {
			if round <= len(steps) {
				// The conversation changed (the prompts of another repro):
				// this step and the later ones are stale.
				if err := r.st.dropFrom(u, round); err != nil {
					return fail(err)
				}
				steps = steps[:round-1]
			}
			if r.budgetHit() {
				res.Status = StatusBudget
				return res
			}
			resp, err := r.m.Complete(ctx, req)
			if err != nil {
				switch {
				case errors.Is(err, llm.ErrBudget):
					r.mu.Lock()
					r.budget = true
					r.mu.Unlock()
					res.Status = StatusBudget
					r.logf(u, "round %d: stopped: budget", round)
					return res
				default:
					return fail(fmt.Errorf("round %d: the model failed: %w", round, err))
				}
			}
			res.Calls++
			res.ThisRun.Calls++
			res.ThisRun.InputTokens += resp.Usage.InputTokens
			res.ThisRun.OutputTokens += resp.Usage.OutputTokens
			res.ThisRun.Cost += resp.Cost
			step = &Step{Version: checkpointVersion, Module: u.Module, Round: round, Phase: phaseAnswered, RequestHash: hash, Response: *resp}
			if err := writeJSON(r.st.stepFile(u, round), step); err != nil {
				return fail(err)
			}
			steps = append(steps, step)
		}
		res.Rounds = round
		res.InputTokens += step.Response.Usage.InputTokens
		res.OutputTokens += step.Response.Usage.OutputTokens
		res.Cost += step.Response.Cost
		if step.Phase != phaseTested {
			if err := r.applyAndTest(ctx, u, step); err != nil {
				done = append(done, step)
				return fail(err)
			}
			if err := writeJSON(r.st.stepFile(u, round), step); err != nil {
				return fail(err)
			}
			r.logf(u, "round %d: %s", round, stepSummary(step))
		} else {
			r.logf(u, "round %d: %s (from the checkpoint)", round, stepSummary(step))
		}
		done = append(done, step)
		res.Tests = step.Test
		if step.Test != nil && step.Test.Green {
			res.Status = StatusGreen
			return res
		}
	}
	res.Status = StatusFailed
	return res
}

func stepSummary(s *Step) string {
	if s.EditError != "" {
		return "answer rejected: " + s.EditError
	}
	if s.Test == nil {
		return "not tested"
	}
	return s.Test.Summary()
}

// applyAndTest applies a step's edits and runs the unit's tests, filling
// the step in and marking it tested. An error is returned only when the
// step could not be finished (ctx ended, the disk failed).
func (r *run) applyAndTest(ctx context.Context, u *unit, step *Step) error {
	edits, err := ParseEdits(step.Response.Text, r.opts.AllowTestEdits)
	if err == nil {
		err = r.ownership(u, edits)
	}
	if err == nil {
		err = applyEdits(r.opts.Root, filepath.Join(r.st.backupDir()), edits)
	}
	if err != nil {
		step.EditError = err.Error()
		step.Edits, step.Test = nil, nil
		step.Phase = phaseTested
		return nil
	}
	step.Edits = edits
	tr, err := runTests(ctx, r.python, r.opts.Root, u.Tests, r.st.junit(u, step.Round), r.opts.TestTimeout)
	if err != nil {
		return err
	}
	step.Test = tr
	step.Phase = phaseTested
	return nil
}

// ownership rejects edits of another unit's module: parallel units must
// not write each other's files.
func (r *run) ownership(u *unit, edits []Edit) error {
	man, err := project.Load(r.opts.Root)
	if err != nil {
		return err
	}
	for _, e := range edits {
		for _, it := range append(slices.Clone(man.Equations), man.Algorithms...) {
			if it.Module == e.Path && it.Module != u.Module {
				return fmt.Errorf("%s belongs to another module's work; change only %s (and new files under src/)", e.Path, u.Module)
			}
		}
	}
	return nil
}
