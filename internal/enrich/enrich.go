// Package enrich is repro's extraction agent: it asks a language model, per
// part of a paper and in parallel, for what the deterministic extraction
// cannot read (the core contribution, an architecture description, a
// variables table for each equation, hyperparameters the rules missed,
// ambiguities), validates the JSON answers against a schema (retrying with
// the error when an answer is malformed) and cross-checks every item against
// the document: an item that cites an equation, a quote or a number the
// paper does not contain is dropped with a warning.
package enrich

import (
	"context"
	"errors"
	"fmt"
	"sort"
	"strings"
	"sync"

	"github.com/reprohq/repro/doc"
	"github.com/reprohq/repro/internal/llm"
)

// Enrichment is what the model added to a document, checked against it.
type Enrichment struct {
	Contribution    string           `json:"contribution"`
	Architecture    string           `json:"architecture"`
	Equations       []EquationNotes  `json:"equations"`
	Hyperparameters []Hyperparameter `json:"hyperparameters"`
	Ambiguities     []Ambiguity      `json:"ambiguities"`
	// Warnings name every item dropped by the cross-check and every part
	// of the paper whose answer could not be used.
	Warnings []string `json:"warnings"`
	// Duplicates counts the hyperparameters dropped because the rules had
	// already found them (same name or quote, same value).
	Duplicates int       `json:"duplicates"`
	Model      string    `json:"model"`
	Usage      llm.Usage `json:"usage"`
	Cost       float64   `json:"cost"`
	Calls      int       `json:"calls"`
	Chunks     int       `json:"chunks"`
}

// EquationNotes are the variables of one numbered equation.
type EquationNotes struct {
	Number    string     `json:"number"`
	Variables []Variable `json:"variables"`
}

// Variable is one symbol of an equation.
type Variable struct {
	Symbol  string `json:"symbol"`
	Meaning string `json:"meaning"`
	Type    string `json:"type,omitempty"`  // scalar, vector, matrix, tensor, function, index, set, ...
	Shape   string `json:"shape,omitempty"` // [B,S,D]
}

// Hyperparameter is a value the model found with the paper's words for it.
type Hyperparameter struct {
	Name    string `json:"name"`
	Value   string `json:"value"`
	Quote   string `json:"quote"`
	Section string `json:"section,omitempty"`
}

// Ambiguity is a place where the paper can be read in more than one way.
type Ambiguity struct {
	Quote          string `json:"quote"`
	Interpretation string `json:"interpretation"`
	Equation       string `json:"equation,omitempty"`
}

// Options tune Enrich.
type Options struct {
	// MaxChars bounds the paper text of one call (default 24000).
	MaxChars int
	// Parallel bounds the calls in flight (default 2).
	Parallel int
	// Retries is how many times a malformed answer is asked again
	// (default 2; negative for none).
	Retries int
	// MaxTokens bounds each answer (0: the provider's default).
	MaxTokens int
	// Paper labels the calls in the cost report (default: the arXiv id,
	// else the title).
	Paper string
}

func (o Options) withDefaults(d *doc.Document) Options {
	if o.MaxChars <= 0 {
		o.MaxChars = 24000
	}
	if o.Parallel <= 0 {
		o.Parallel = 2
	}
	if o.Retries == 0 {
		o.Retries = 2
	} else if o.Retries < 0 {
		o.Retries = 0
	}
	if o.Paper == "" {
		o.Paper = d.ArxivID
		if o.Paper == "" {
			o.Paper = d.Title
		}
	}
	return o
}

// chunkResult is the outcome of one chunk.
type chunkResult struct {
	ans      *Answer
	warnings []string
	usage    llm.Usage
	cost     float64
	calls    int
	model    string
	err      error // a model error (not a malformed answer)
}

// Enrich runs the extraction agent on d. A chunk whose answers stay
// malformed, or whose call fails, costs a warning, not the run; Enrich
// returns an error when the context ends, when the model reports
// llm.ErrBudget (wrapped, at once), or when no chunk got an answer because
// every call failed.
func Enrich(ctx context.Context, m llm.Model, d *doc.Document, opts Options) (*Enrichment, error) {
	if m == nil || d == nil {
		return nil, errors.New("enrich: no model or no document")
	}
	opts = opts.withDefaults(d)
	chunks := Chunks(d, opts.MaxChars)
	e := &Enrichment{Model: m.Name(), Chunks: len(chunks),
		Equations: []EquationNotes{}, Hyperparameters: []Hyperparameter{},
		Ambiguities: []Ambiguity{}, Warnings: []string{}}
	if len(chunks) == 0 {
		e.Warnings = append(e.Warnings, "the paper has no text to send to the model")
		return e, nil
	}
	parent := ctx
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	results := make([]chunkResult, len(chunks))
	var (
		wg       sync.WaitGroup
		once     sync.Once
		fatalErr error
	)
	sem := make(chan struct{}, opts.Parallel)
	header := paperHeader(d)
	for i := range chunks {
		wg.Add(1)
		go func(i int) {
			defer wg.Done()
			select {
			case sem <- struct{}{}:
			case <-ctx.Done():
				results[i].err = ctx.Err()
				return
			}
			defer func() { <-sem }()
			r := runChunk(ctx, m, header, chunks[i], i, len(chunks), opts)
			results[i] = r
			if r.err != nil && (errors.Is(r.err, llm.ErrBudget) || ctx.Err() != nil) {
				once.Do(func() { fatalErr = r.err })
				cancel()
			}
		}(i)
	}
	wg.Wait()
	if fatalErr != nil {
		return nil, fmt.Errorf("enrich: %w", fatalErr)
	}
	if err := parent.Err(); err != nil {
		return nil, fmt.Errorf("enrich: %w", err)
	}
	answered := 0
	var firstErr error
	for i, r := range results {
		e.Usage.InputTokens += r.usage.InputTokens
		e.Usage.OutputTokens += r.usage.OutputTokens
		e.Cost += r.cost
		e.Calls += r.calls
		if r.model != "" {
			e.Model = r.model
		}
		e.Warnings = append(e.Warnings, r.warnings...)
		if r.err != nil {
			if firstErr == nil {
				firstErr = r.err
			}
			e.Warnings = append(e.Warnings, fmt.Sprintf("%s: the model failed: %v", chunks[i].Name, r.err))
			continue
		}
		if r.ans != nil {
			answered++
		}
	}
	if answered == 0 && firstErr != nil {
		return nil, fmt.Errorf("enrich: every call failed: %w", firstErr)
	}
	merge(e, d, chunks, results)
	return e, nil
}

// runChunk asks for one chunk, retrying malformed answers.
func runChunk(ctx context.Context, m llm.Model, header string, c Chunk, i, n int, opts Options) chunkResult {
	var r chunkResult
	req := llm.Request{
		System:    systemPrompt,
		Messages:  []llm.Message{{Role: "user", Content: userPrompt(header, c, i, n)}},
		MaxTokens: opts.MaxTokens,
		JSON:      true,
		Stage:     "extract",
		Paper:     opts.Paper,
	}
	for attempt := 0; attempt <= opts.Retries; attempt++ {
		if err := ctx.Err(); err != nil {
			r.err = err
			return r
		}
		resp, err := m.Complete(ctx, req)
		r.calls++
		if err != nil {
			r.err = err
			return r
		}
		r.usage.InputTokens += resp.Usage.InputTokens
		r.usage.OutputTokens += resp.Usage.OutputTokens
		r.cost += resp.Cost
		if resp.Model != "" {
			r.model = resp.Model
		}
		ans, err := ParseAnswer(resp.Text)
		if err == nil {
			r.ans = ans
			return r
		}
		if attempt == opts.Retries {
			r.warnings = append(r.warnings, fmt.Sprintf("%s: the model's answer stayed malformed after %d attempt(s), part skipped: %v", c.Name, attempt+1, err))
			return r
		}
		req.Messages = append(req.Messages,
			llm.Message{Role: "assistant", Content: resp.Text},
			llm.Message{Role: "user", Content: "Your answer is not valid: " + err.Error() +
				".\nAnswer again with only the JSON object, in exactly the shape given, and nothing else."})
	}
	return r
}

// merge cross-checks the chunks' answers against d and gathers what passes.
func merge(e *Enrichment, d *doc.Document, chunks []Chunk, results []chunkResult) {
	ck := newChecker(d)
	eqIndex := map[string]int{} // number -> index in e.Equations
	seenHP := map[string]bool{}
	seenAmb := map[string]bool{}
	for i, r := range results {
		if r.ans == nil {
			continue
		}
		a := r.ans
		if e.Contribution == "" {
			e.Contribution = strings.TrimSpace(a.Contribution)
		}
		// The architecture comes from the chunk that describes it at most
		// length: usually the method section's.
		if arch := strings.TrimSpace(a.Architecture); len(arch) > len(e.Architecture) {
			e.Architecture = arch
		}
		where := chunks[i].Name
		for _, en := range a.Equations {
			eq, ok := ck.equation(en.Number)
			if !ok {
				e.Warnings = append(e.Warnings, fmt.Sprintf("%s: dropped the notes on equation (%s): the paper has no equation numbered %s", where, en.Number, en.Number))
				continue
			}
			num := eq.NumberString()
			if num == "" {
				num = eq.Tag
			}
			j, ok := eqIndex[num]
			if !ok {
				j = len(e.Equations)
				eqIndex[num] = j
				e.Equations = append(e.Equations, EquationNotes{Number: num, Variables: []Variable{}})
			}
			for _, v := range en.Variables {
				if !ck.symbolIn(v.Symbol, eq) {
					e.Warnings = append(e.Warnings, fmt.Sprintf("%s: dropped variable %q of equation (%s): the symbol does not occur in the equation", where, v.Symbol, num))
					continue
				}
				dup := false
				for _, w := range e.Equations[j].Variables {
					if normMath(w.Symbol, false) == normMath(v.Symbol, false) {
						dup = true
						break
					}
				}
				if !dup {
					e.Equations[j].Variables = append(e.Equations[j].Variables, v)
				}
			}
		}
		for _, h := range a.Hyperparameters {
			if why := ck.hyperparameter(h); why != "" {
				e.Warnings = append(e.Warnings, fmt.Sprintf("%s: dropped hyperparameter %s = %s: %s", where, h.Name, h.Value, why))
				continue
			}
			if ck.known(h) {
				e.Duplicates++
				continue
			}
			key := normName(h.Name) + "=" + normText(h.Value)
			if seenHP[key] {
				continue
			}
			seenHP[key] = true
			e.Hyperparameters = append(e.Hyperparameters, h)
		}
		for _, am := range a.Ambiguities {
			if !ck.quoted(am.Quote) {
				e.Warnings = append(e.Warnings, fmt.Sprintf("%s: dropped ambiguity %q: the quote is not in the paper", where, clip(am.Quote, 80)))
				continue
			}
			if am.Equation != "" {
				eq, ok := ck.equation(am.Equation)
				if !ok {
					e.Warnings = append(e.Warnings, fmt.Sprintf("%s: dropped ambiguity %q: the paper has no equation numbered %s", where, clip(am.Quote, 80), am.Equation))
					continue
				}
				am.Equation = eq.NumberString()
				if am.Equation == "" {
					am.Equation = eq.Tag
				}
			}
			if k := normText(am.Quote); !seenAmb[k] {
				seenAmb[k] = true
				e.Ambiguities = append(e.Ambiguities, am)
			}
		}
	}
	// Equations in the paper's order; drop notes left without variables.
	order := map[string]int{}
	for i, eq := range d.Equations {
		n := eq.NumberString()
		if n == "" {
			n = eq.Tag
		}
		if _, ok := order[n]; !ok && n != "" {
			order[n] = i
		}
	}
	kept := e.Equations[:0]
	for _, en := range e.Equations {
		if len(en.Variables) > 0 {
			kept = append(kept, en)
		}
	}
	e.Equations = kept
	sort.SliceStable(e.Equations, func(i, j int) bool {
		return order[e.Equations[i].Number] < order[e.Equations[j].Number]
	})
}

func clip(s string, n int) string {
	s = strings.Join(strings.Fields(s), " ")
	if r := []rune(s); len(r) > n {
		return string(r[:n]) + "…"
	}
	return s
}
