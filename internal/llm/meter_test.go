package llm_test

import (
	"context"
	"encoding/json"
	"errors"
	"strings"
	"sync"
	"testing"

	"github.com/reprohq/repro/internal/llm"
	"github.com/reprohq/repro/internal/llm/llmtest"
)

// fixed answers every call with the same usage and cost.
type fixed struct {
	name string
	in   int
	out  int
	cost float64
	err  error
}

func (f fixed) Name() string { return f.name }
func (f fixed) Complete(_ context.Context, req llm.Request) (*llm.Response, error) {
	if f.err != nil {
		return nil, f.err
	}
	return &llm.Response{Text: "ok", Model: f.name, Usage: llm.Usage{InputTokens: f.in, OutputTokens: f.out}, Cost: f.cost}, nil
}

func TestMeterTotals(t *testing.T) {
	m := llm.NewMeter(fixed{name: "openai:a", in: 10, out: 5, cost: 0.01}, llm.Budget{})
	other := m.Wrap(fixed{name: "anthropic:b", in: 1, out: 1, cost: 0.5})
	failing := m.Wrap(fixed{name: "openai:c", err: errors.New("boom")})
	ctx := context.Background()
	for _, c := range []struct {
		model        llm.Model
		stage, paper string
	}{{m, "extract", "p1"}, {m, "extract", "p2"}, {m, "implement", "p1"}, {other, "implement", "p1"}, {failing, "judge", "p2"}} {
		_, _ = c.model.Complete(ctx, llm.Request{Stage: c.stage, Paper: c.paper, Messages: []llm.Message{{Role: "user", Content: "x"}}})
	}
	if got := m.Total(); got.Calls != 5 || got.Failed != 1 || got.InputTokens != 31 || got.OutputTokens != 16 || !near(got.Cost, 0.53) {
		t.Errorf("total %+v", got)
	}
	st := m.ByStage()
	if st["extract"].Calls != 2 || !near(st["implement"].Cost, 0.51) || st["judge"].Failed != 1 {
		t.Errorf("by stage %+v", st)
	}
	pp := m.ByPaper()
	if pp["p1"].Calls != 3 || pp["p2"].InputTokens != 10 {
		t.Errorf("by paper %+v", pp)
	}
	if mm := m.ByModel(); mm["anthropic:b"].Calls != 1 || mm["openai:a"].Calls != 3 {
		t.Errorf("by model %+v", mm)
	}
	rep := m.Report()
	for _, s := range []string{"| stage |", "| extract | 2 | 0 | 20 | 10 | 0.0200 |", "| **total** | 5 | 1 | 31 | 16 | 0.5300 |", "| p1 |", "Budget: none."} {
		if !strings.Contains(rep, s) {
			t.Errorf("report lacks %q:\n%s", s, rep)
		}
	}
	b, err := m.JSON()
	if err != nil {
		t.Fatal(err)
	}
	var sum llm.Summary
	if err := json.Unmarshal(b, &sum); err != nil || len(sum.Calls) != 5 || sum.ByStage["extract"].Calls != 2 || sum.Calls[4].Error != "boom" {
		t.Errorf("JSON %s: %v", b, err)
	}
}

func near(a, b float64) bool { return a-b < 1e-9 && b-a < 1e-9 }

func TestMeterBudget(t *testing.T) {
	cases := []struct {
		name   string
		budget llm.Budget
		calls  int // that succeed
		msg    string
	}{
		{"cost", llm.Budget{MaxCost: 0.025}, 3, "spent $0.0300 of $0.0250"}, // 0.01, 0.02, 0.03: the third crosses, is kept
		{"cost exact", llm.Budget{MaxCost: 0.02}, 2, "spent $0.0200 of $0.0200"},
		{"tokens", llm.Budget{MaxTokens: 40}, 3, "spent 45 of 40 tokens"},
		{"none", llm.Budget{}, 10, ""},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			m := llm.NewMeter(fixed{name: "x", in: 10, out: 5, cost: 0.01}, tc.budget)
			ok := 0
			var last error
			for range 10 {
				resp, err := m.Complete(context.Background(), hello)
				if err != nil {
					last = err
					break
				}
				if resp.Text != "ok" {
					t.Fatal(resp)
				}
				ok++
			}
			if ok != tc.calls {
				t.Errorf("%d calls succeeded, want %d", ok, tc.calls)
			}
			if tc.msg == "" {
				return
			}
			if !errors.Is(last, llm.ErrBudget) || !strings.Contains(last.Error(), "budget exhausted: "+tc.msg) {
				t.Errorf("error %v", last)
			}
			if m.Total().Calls != tc.calls {
				t.Errorf("refused calls were counted: %+v", m.Total())
			}
			if !strings.Contains(m.Report(), "Stopped: budget exhausted") {
				t.Errorf("report:\n%s", m.Report())
			}
			m.SetBudget(llm.Budget{MaxCost: 1})
			if _, err := m.Complete(context.Background(), hello); err != nil {
				t.Errorf("after raising the budget: %v", err)
			}
		})
	}
}

// TestMeterConcurrent runs calls in parallel through a real provider (run
// with -race): every call is counted once, and once the cap is reached no
// new call starts.
func TestMeterConcurrent(t *testing.T) {
	srv := llmtest.NewOpenAI(t)
	srv.Default(llmtest.Text("ok", 1000, 1000)) // gpt-4.1-mini: $0.002 a call
	model, err := llm.New(llm.Config{Model: "openai:gpt-4.1-mini", BaseURL: srv.URL})
	if err != nil {
		t.Fatal(err)
	}
	m := llm.NewMeter(model, llm.Budget{MaxCost: 0.02})
	var wg sync.WaitGroup
	var mu sync.Mutex
	ok, refused := 0, 0
	for range 8 {
		wg.Go(func() {
			for range 10 {
				_, err := m.Complete(context.Background(), hello)
				mu.Lock()
				if errors.Is(err, llm.ErrBudget) {
					refused++
				} else if err == nil {
					ok++
				} else {
					t.Error(err)
				}
				mu.Unlock()
				_ = m.Report()
			}
		})
	}
	wg.Wait()
	tot := m.Total()
	if tot.Calls != ok || srv.Count() != ok || ok+refused != 80 {
		t.Errorf("ok %d refused %d total %+v requests %d", ok, refused, tot, srv.Count())
	}
	// At most one call per worker can be in flight when the cap is crossed.
	if ok < 10 || ok > 10+8 || tot.Cost < 0.02 {
		t.Errorf("%d calls for $%.4f", ok, tot.Cost)
	}
}
