package llm

import (
	"context"
	"encoding/json"
	"fmt"
	"sort"
	"strings"
	"sync"
	"time"
)

// Budget caps what a run may spend; a zero field is no cap.
type Budget struct {
	MaxCost   float64 `json:"max_cost,omitempty"`   // US dollars
	MaxTokens int     `json:"max_tokens,omitempty"` // input + output
}

// Call is one metered call.
type Call struct {
	Time         time.Time     `json:"time"`
	Stage        string        `json:"stage,omitempty"`
	Paper        string        `json:"paper,omitempty"`
	Model        string        `json:"model"`
	InputTokens  int           `json:"input_tokens"`
	OutputTokens int           `json:"output_tokens"`
	Cost         float64       `json:"cost"`
	Duration     time.Duration `json:"duration_ns"`
	Error        string        `json:"error,omitempty"`
}

// Totals add calls up.
type Totals struct {
	Calls        int     `json:"calls"`
	Failed       int     `json:"failed,omitempty"`
	InputTokens  int     `json:"input_tokens"`
	OutputTokens int     `json:"output_tokens"`
	Cost         float64 `json:"cost"`
}

// Tokens is input plus output tokens.
func (t Totals) Tokens() int { return t.InputTokens + t.OutputTokens }

func (t *Totals) add(c Call) {
	t.Calls++
	if c.Error != "" {
		t.Failed++
	}
	t.InputTokens += c.InputTokens
	t.OutputTokens += c.OutputTokens
	t.Cost += c.Cost
}

// Meter counts tokens and cost per call, stage, paper and model, and
// enforces a Budget. It is a Model itself (wrapping the one given to
// NewMeter), and Wrap meters other models against the same budget. It is
// safe for concurrent use: calls in flight when the budget is reached
// finish and are counted, the calls after them fail with ErrBudget.
type Meter struct {
	model Model

	mu      sync.Mutex
	budget  Budget
	calls   []Call
	total   Totals
	byStage map[string]*Totals
	byPaper map[string]*Totals
	byModel map[string]*Totals
}

// NewMeter meters model (which may be nil when only Wrap is used).
func NewMeter(model Model, b Budget) *Meter {
	return &Meter{model: model, budget: b,
		byStage: map[string]*Totals{}, byPaper: map[string]*Totals{}, byModel: map[string]*Totals{}}
}

// Name is the wrapped model's.
func (m *Meter) Name() string {
	if m.model == nil {
		return "meter"
	}
	return m.model.Name()
}

// Complete calls the wrapped model, unless the budget is spent.
func (m *Meter) Complete(ctx context.Context, req Request) (*Response, error) {
	if m.model == nil {
		return nil, fmt.Errorf("llm: meter wraps no model")
	}
	return m.complete(ctx, m.model, req)
}

// Wrap returns model metered against this meter's budget.
func (m *Meter) Wrap(model Model) Model { return &metered{meter: m, model: model} }

type metered struct {
	meter *Meter
	model Model
}

func (w *metered) Name() string { return w.model.Name() }
func (w *metered) Complete(ctx context.Context, req Request) (*Response, error) {
	return w.meter.complete(ctx, w.model, req)
}

// SetBudget changes the budget (to resume with a larger one).
func (m *Meter) SetBudget(b Budget) {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.budget = b
}

// Exhausted returns the ErrBudget error if the budget is spent, else nil.
func (m *Meter) Exhausted() error {
	m.mu.Lock()
	defer m.mu.Unlock()
	return m.exhaustedLocked()
}

func (m *Meter) exhaustedLocked() error {
	b, t := m.budget, m.total
	if b.MaxCost > 0 && t.Cost >= b.MaxCost {
		return fmt.Errorf("%w: spent $%.4f of $%.4f (raise --max-cost to go on)", ErrBudget, t.Cost, b.MaxCost)
	}
	if b.MaxTokens > 0 && t.Tokens() >= b.MaxTokens {
		return fmt.Errorf("%w: spent %d of %d tokens (raise --max-tokens to go on)", ErrBudget, t.Tokens(), b.MaxTokens)
	}
	return nil
}

func (m *Meter) complete(ctx context.Context, model Model, req Request) (*Response, error) {
	if err := m.Exhausted(); err != nil {
		return nil, err
	}
	start := time.Now()
	resp, err := model.Complete(ctx, req)
	c := Call{Time: start, Stage: req.Stage, Paper: req.Paper, Model: model.Name(), Duration: time.Since(start)}
	if err != nil {
		c.Error = err.Error()
	}
	if resp != nil {
		c.InputTokens, c.OutputTokens, c.Cost = resp.Usage.InputTokens, resp.Usage.OutputTokens, resp.Cost
	}
	m.record(c)
	return resp, err
}

func (m *Meter) record(c Call) {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.calls = append(m.calls, c)
	m.total.add(c)
	for _, g := range []struct {
		by  map[string]*Totals
		key string
	}{{m.byStage, c.Stage}, {m.byPaper, c.Paper}, {m.byModel, c.Model}} {
		t := g.by[g.key]
		if t == nil {
			t = &Totals{}
			g.by[g.key] = t
		}
		t.add(c)
	}
}

// Total is the sum of all calls.
func (m *Meter) Total() Totals {
	m.mu.Lock()
	defer m.mu.Unlock()
	return m.total
}

// Calls returns the calls so far, in the order they ended.
func (m *Meter) Calls() []Call {
	m.mu.Lock()
	defer m.mu.Unlock()
	return append([]Call(nil), m.calls...)
}

// ByStage, ByPaper and ByModel return totals per label ("" for calls
// without one).
func (m *Meter) ByStage() map[string]Totals {
	return m.copyOf(func() map[string]*Totals { return m.byStage })
}
func (m *Meter) ByPaper() map[string]Totals {
	return m.copyOf(func() map[string]*Totals { return m.byPaper })
}
func (m *Meter) ByModel() map[string]Totals {
	return m.copyOf(func() map[string]*Totals { return m.byModel })
}

func (m *Meter) copyOf(get func() map[string]*Totals) map[string]Totals {
	m.mu.Lock()
	defer m.mu.Unlock()
	out := map[string]Totals{}
	for k, v := range get() {
		out[k] = *v
	}
	return out
}

// Summary is the meter's state as JSON.
type Summary struct {
	Budget  Budget            `json:"budget"`
	Total   Totals            `json:"total"`
	ByStage map[string]Totals `json:"by_stage"`
	ByPaper map[string]Totals `json:"by_paper"`
	ByModel map[string]Totals `json:"by_model"`
	Calls   []Call            `json:"calls"`
}

// Summary returns a snapshot.
func (m *Meter) Summary() Summary {
	m.mu.Lock()
	b := m.budget
	m.mu.Unlock()
	return Summary{Budget: b, Total: m.Total(), ByStage: m.ByStage(), ByPaper: m.ByPaper(), ByModel: m.ByModel(), Calls: m.Calls()}
}

// JSON is Summary as indented JSON.
func (m *Meter) JSON() ([]byte, error) { return json.MarshalIndent(m.Summary(), "", "  ") }

// Report is the cost report: totals per stage, paper and model as
// Markdown tables, then the budget.
func (m *Meter) Report() string {
	s := m.Summary()
	var b strings.Builder
	b.WriteString("## LLM cost\n")
	section := func(title string, by map[string]Totals) {
		fmt.Fprintf(&b, "\n| %s | calls | failed | input tokens | output tokens | cost (USD) |\n", title)
		b.WriteString("| --- | ---: | ---: | ---: | ---: | ---: |\n")
		keys := make([]string, 0, len(by))
		for k := range by {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		for _, k := range keys {
			t := by[k]
			name := k
			if name == "" {
				name = "(none)"
			}
			fmt.Fprintf(&b, "| %s | %d | %d | %d | %d | %.4f |\n", name, t.Calls, t.Failed, t.InputTokens, t.OutputTokens, t.Cost)
		}
		t := s.Total
		fmt.Fprintf(&b, "| **total** | %d | %d | %d | %d | %.4f |\n", t.Calls, t.Failed, t.InputTokens, t.OutputTokens, t.Cost)
	}
	section("stage", s.ByStage)
	section("paper", s.ByPaper)
	section("model", s.ByModel)
	b.WriteString("\n")
	switch {
	case s.Budget.MaxCost > 0 && s.Budget.MaxTokens > 0:
		fmt.Fprintf(&b, "Budget: $%.4f of $%.4f, %d of %d tokens.\n", s.Total.Cost, s.Budget.MaxCost, s.Total.Tokens(), s.Budget.MaxTokens)
	case s.Budget.MaxCost > 0:
		fmt.Fprintf(&b, "Budget: $%.4f of $%.4f.\n", s.Total.Cost, s.Budget.MaxCost)
	case s.Budget.MaxTokens > 0:
		fmt.Fprintf(&b, "Budget: %d of %d tokens.\n", s.Total.Tokens(), s.Budget.MaxTokens)
	default:
		b.WriteString("Budget: none.\n")
	}
	if err := m.Exhausted(); err != nil {
		fmt.Fprintf(&b, "Stopped: %v.\n", err)
	}
	return b.String()
}
