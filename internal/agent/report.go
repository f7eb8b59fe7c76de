package agent

import (
	"encoding/json"
	"fmt"
	"io"
	"strings"
	"text/tabwriter"
)

// ModuleResult is what the agent did for one module.
type ModuleResult struct {
	Module string   `json:"module"` // src/<pkg>/<mod>.py
	Name   string   `json:"name"`   // <pkg>.<mod>
	Items  []string `json:"items"`  // "(A.1)", "Alg. B.1"
	Status string   `json:"status"`
	// Rounds is how many rounds (model answers) the module has used, in
	// this run and the runs it resumed.
	Rounds int `json:"rounds"`
	// Calls were made by this run; Replayed rounds came from checkpoints.
	Calls        int     `json:"calls"`
	Replayed     int     `json:"replayed"`
	InputTokens  int     `json:"input_tokens"`
	OutputTokens int     `json:"output_tokens"`
	Cost         float64 `json:"cost"`
	// ThisRun is the share of the calls this run made.
	ThisRun    Usage       `json:"this_run"`
	Tests      *TestResult `json:"tests,omitempty"` // the last run's
	Error      string      `json:"error,omitempty"`
	DurationMS int64       `json:"duration_ms"`
}

// Usage is a sum of calls.
type Usage struct {
	Calls        int     `json:"calls"`
	InputTokens  int     `json:"input_tokens"`
	OutputTokens int     `json:"output_tokens"`
	Cost         float64 `json:"cost"`
}

// Report is the outcome of Implement.
type Report struct {
	Model   string         `json:"model"`
	Root    string         `json:"root"`
	Modules []ModuleResult `json:"modules"`
	// Total sums every round of every module, those of resumed runs
	// included; ThisRun only the calls this run made.
	Total   Usage            `json:"total"`
	ThisRun Usage            `json:"this_run"`
	ByStage map[string]Usage `json:"by_stage"`
	// Counts of modules by status.
	Statuses map[string]int `json:"statuses"`
	// Stopped is "budget" or "interrupted" when the run did not finish.
	Stopped    string `json:"stopped,omitempty"`
	DurationMS int64  `json:"duration_ms"`
}

func (r *Report) total() {
	r.Total, r.ThisRun = Usage{}, Usage{}
	r.Statuses = map[string]int{}
	for _, m := range r.Modules {
		r.Total.Calls += m.Rounds
		r.Total.InputTokens += m.InputTokens
		r.Total.OutputTokens += m.OutputTokens
		r.Total.Cost += m.Cost
		r.ThisRun.Calls += m.ThisRun.Calls
		r.ThisRun.InputTokens += m.ThisRun.InputTokens
		r.ThisRun.OutputTokens += m.ThisRun.OutputTokens
		r.ThisRun.Cost += m.ThisRun.Cost
		r.Statuses[m.Status]++
	}
	r.ByStage = map[string]Usage{Stage: r.Total}
}

// JSON returns the report as indented JSON.
func (r *Report) JSON() []byte {
	b, err := json.MarshalIndent(r, "", "  ")
	if err != nil {
		panic(err) // plain data
	}
	return append(b, '\n')
}

// Green reports whether every module is green.
func (r *Report) Green() bool {
	for _, m := range r.Modules {
		if m.Status != StatusGreen && m.Status != StatusAlready {
			return false
		}
	}
	return len(r.Modules) > 0
}

// WriteText writes the report for people: a line per module, then the cost.
func (r *Report) WriteText(w io.Writer) error {
	var b strings.Builder
	fmt.Fprintf(&b, "Implementation agent (%s) on %s\n\n", r.Model, r.Root)
	tw := tabwriter.NewWriter(&b, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "module\titems\tstatus\trounds\ttests\tinput tokens\toutput tokens\tcost")
	for _, m := range r.Modules {
		tests := "–"
		if m.Tests != nil {
			tests = m.Tests.Summary()
		}
		status := m.Status
		if m.Error != "" {
			status += ": " + firstLine(m.Error)
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%d\t%s\t%d\t%d\t$%.4f\n", m.Name, strings.Join(m.Items, " "), status, m.Rounds, tests, m.InputTokens, m.OutputTokens, m.Cost)
	}
	tw.Flush()
	fmt.Fprintf(&b, "\nCost: %d calls, %d input tokens, %d output tokens, $%.4f", r.Total.Calls, r.Total.InputTokens, r.Total.OutputTokens, r.Total.Cost)
	if replayed := r.Total.Calls - r.ThisRun.Calls; replayed > 0 {
		fmt.Fprintf(&b, " (%d of the calls made by an earlier run, replayed from .repro/agent)", replayed)
	}
	b.WriteString("\n")
	switch r.Stopped {
	case "budget":
		b.WriteString("Stopped: the budget ran out; what was done is kept, run again with a larger budget to continue.\n")
	case "interrupted":
		b.WriteString("Stopped: interrupted; run again to continue where it stopped.\n")
	}
	_, err := io.WriteString(w, b.String())
	return err
}
