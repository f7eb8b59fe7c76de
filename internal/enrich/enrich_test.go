package enrich

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/reprohq/repro"
	"github.com/reprohq/repro/doc"
	"github.com/reprohq/repro/internal/golden"
	"github.com/reprohq/repro/internal/llm"
)

// fake is a scripted llm.Model: answer gives the text (or error) of each
// call from the request and the call's index.
type fake struct {
	mu     sync.Mutex
	calls  int32
	reqs   []llm.Request
	answer func(req llm.Request, n int) (string, error)
}

func (f *fake) Name() string { return "fake:scripted" }

func (f *fake) Complete(ctx context.Context, req llm.Request) (*llm.Response, error) {
	n := int(atomic.AddInt32(&f.calls, 1)) - 1
	f.mu.Lock()
	f.reqs = append(f.reqs, req)
	f.mu.Unlock()
	text, err := f.answer(req, n)
	if err != nil {
		return nil, err
	}
	return &llm.Response{Text: text, Model: "fake:scripted", Usage: llm.Usage{InputTokens: 100, OutputTokens: 10}, Cost: 0.001}, nil
}

// queue answers the calls in order, repeating the last answer.
func queue(answers ...string) *fake {
	return &fake{answer: func(_ llm.Request, n int) (string, error) {
		if n >= len(answers) {
			n = len(answers) - 1
		}
		return answers[n], nil
	}}
}

var (
	docOnce sync.Once
	tiny    *doc.Document
	tinyErr error
)

func tinyformer(t *testing.T) *doc.Document {
	t.Helper()
	docOnce.Do(func() {
		tiny, tinyErr = repro.Extract(context.Background(), "../../examples/tinyformer", repro.Options{})
	})
	if tinyErr != nil {
		t.Fatal(tinyErr)
	}
	return tiny
}

// validAnswer is a correct answer on the example paper, in a code fence
// with prose around it and a trailing comma, as models write them.
const validAnswer = "Here is the JSON:\n```json\n" + `{
  "contribution": "A transformer block whose attention output enters the residual stream through a token-wise sigmoid gate, with a gate penalty.",
  "architecture": "Token and position embeddings, L pre-norm blocks with a gated attention sublayer and a GELU feed-forward sublayer, mean pooling, a linear classifier.",
  "equations": [
    {"number": "3.1", "variables": [
      {"symbol": "Q", "meaning": "queries", "type": "matrix", "shape": "[T,d_k]"},
      {"symbol": "\\sqrt{d_k}", "meaning": "scaling by the root of the head dimension", "type": "scalar", "shape": ""},
      {"symbol": "V", "meaning": "values", "type": "matrix", "shape": "[T,d_k]"}
    ]},
    {"number": "(3.2)", "variables": [
      {"symbol": "W^Q", "meaning": "query projection", "type": "matrix", "shape": "[d,d]"}
    ]},
    {"number": "3.12", "variables": [
      {"symbol": "\\alpha", "meaning": "label smoothing", "type": "hyperparameter", "shape": ""}
    ]}
  ],
  "hyperparameters": [
    {"name": "imdb_heldout_reviews", "value": "2500", "quote": "we hold out 2,500 training reviews for model selection", "section": "4"},
    {"name": "learning_rate", "value": "3e-4", "quote": "a learning rate of $3 \\times 10^{-4}$", "section": "4"},
  ],
  "ambiguities": [
    {"quote": "the hidden states are averaged over the non-padding positions", "interpretation": "mask the padding tokens before the mean", "equation": "3.10"}
  ],
  "notes": "unknown keys are ignored"
}` + "\n```\nHope this helps."

// inventedAnswer cites an equation and a hyperparameter the paper does
// not have, a variable absent from its equation and a value absent from
// its quote.
const inventedAnswer = `{
  "contribution": "",
  "architecture": "",
  "equations": [
    {"number": "9.9", "variables": [{"symbol": "Z", "meaning": "made up", "type": "matrix", "shape": "[B,S,D]"}]},
    {"number": "3.1", "variables": [
      {"symbol": "K", "meaning": "keys", "type": "matrix", "shape": "[T,d_k]"},
      {"symbol": "W_z", "meaning": "not in the equation", "type": "matrix", "shape": "[d,d]"}
    ]}
  ],
  "hyperparameters": [
    {"name": "learning rate", "value": "0.123", "quote": "We use a learning rate of 0.123 for all runs.", "section": "4"},
    {"name": "batch_size", "value": "512", "quote": "a batch size of 256", "section": "4"}
  ],
  "ambiguities": [
    {"quote": "the gate is applied twice per block", "interpretation": "invented", "equation": ""}
  ]
}`

func TestEnrich(t *testing.T) {
	d := tinyformer(t)
	one := Options{MaxChars: 1 << 20} // the whole paper in one call
	tests := []struct {
		name      string
		model     *fake
		calls     int
		equations []string // kept equation numbers
		hyper     []string // kept hyperparameter names
		amb       int
		warnings  []string // substrings, each in some warning
		noWarn    bool
	}{
		{
			name:      "valid",
			model:     queue(validAnswer),
			calls:     1,
			equations: []string{"3.1", "3.2", "3.12"},
			hyper:     []string{"imdb_heldout_reviews"},
			amb:       1,
			noWarn:    true,
		},
		{
			name:      "invented",
			model:     queue(inventedAnswer),
			calls:     1,
			equations: []string{"3.1"},
			warnings: []string{
				"equation (9.9): the paper has no equation numbered 9.9",
				`variable "W_z" of equation (3.1)`,
				"hyperparameter learning rate = 0.123: its quote is not in the paper",
				"hyperparameter batch_size = 512: the value 512 does not occur in its quote",
				`ambiguity "the gate is applied twice per block"`,
			},
		},
		{
			name:      "malformed then valid",
			model:     queue("I think the answer is {\"equations\": [", `{"equations": "none"}`, validAnswer),
			calls:     3,
			equations: []string{"3.1", "3.2", "3.12"},
			hyper:     []string{"imdb_heldout_reviews"},
			amb:       1,
			noWarn:    true,
		},
		{
			name:     "always malformed",
			model:    queue("no JSON here"),
			calls:    3,
			warnings: []string{"stayed malformed after 3 attempt(s)"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e, err := Enrich(context.Background(), tt.model, d, one)
			if err != nil {
				t.Fatal(err)
			}
			if int(tt.model.calls) != tt.calls || e.Calls != tt.calls {
				t.Errorf("calls = %d (reported %d), want %d", tt.model.calls, e.Calls, tt.calls)
			}
			var eqs, hps []string
			for _, en := range e.Equations {
				eqs = append(eqs, en.Number)
			}
			for _, h := range e.Hyperparameters {
				hps = append(hps, h.Name)
			}
			if fmt.Sprint(eqs) != fmt.Sprint(tt.equations) {
				t.Errorf("equations = %v, want %v", eqs, tt.equations)
			}
			if fmt.Sprint(hps) != fmt.Sprint(tt.hyper) {
				t.Errorf("hyperparameters = %v, want %v", hps, tt.hyper)
			}
			if len(e.Ambiguities) != tt.amb {
				t.Errorf("ambiguities = %v, want %d", e.Ambiguities, tt.amb)
			}
			if tt.noWarn && len(e.Warnings) > 0 {
				t.Errorf("unexpected warnings: %q", e.Warnings)
			}
			for _, w := range tt.warnings {
				found := false
				for _, got := range e.Warnings {
					found = found || strings.Contains(got, w)
				}
				if !found {
					t.Errorf("no warning contains %q; warnings: %q", w, e.Warnings)
				}
			}
			for _, r := range tt.model.reqs {
				if !r.JSON || r.Stage != "extract" || r.Paper == "" {
					t.Errorf("request not labelled: json=%v stage=%q paper=%q", r.JSON, r.Stage, r.Paper)
				}
			}
		})
	}
}

// TestMustShow: an answer that invents an equation or a hyperparameter is
// dropped with a warning naming it, and nothing invented survives.
func TestMustShow(t *testing.T) {
	e, err := Enrich(context.Background(), queue(inventedAnswer), tinyformer(t), Options{MaxChars: 1 << 20})
	if err != nil {
		t.Fatal(err)
	}
	for _, en := range e.Equations {
		if en.Number == "9.9" {
			t.Error("invented equation 9.9 kept")
		}
		for _, v := range en.Variables {
			if v.Symbol == "W_z" || v.Symbol == "Z" {
				t.Errorf("invented variable %q kept", v.Symbol)
			}
		}
	}
	for _, h := range e.Hyperparameters {
		t.Errorf("invented hyperparameter kept: %+v", h)
	}
	md := string(e.Markdown())
	if strings.Contains(md, "0.123") && !strings.Contains(md, "dropped hyperparameter learning rate = 0.123") {
		t.Errorf("0.123 appears in the notes other than as a warning:\n%s", md)
	}
}

func TestDuplicates(t *testing.T) {
	e, err := Enrich(context.Background(), queue(validAnswer), tinyformer(t), Options{MaxChars: 1 << 20})
	if err != nil {
		t.Fatal(err)
	}
	if e.Duplicates != 1 {
		t.Errorf("duplicates = %d, want 1 (the learning rate the rules found)", e.Duplicates)
	}
}

func TestMarkdownGolden(t *testing.T) {
	d := tinyformer(t)
	// Two answers on a two-chunk split, answered by content so that the
	// parallel order does not matter.
	m := &fake{answer: func(req llm.Request, _ int) (string, error) {
		if strings.Contains(req.Messages[0].Content, "part 1 of") {
			return validAnswer, nil
		}
		return inventedAnswer, nil
	}}
	e, err := Enrich(context.Background(), m, d, Options{MaxChars: 12000})
	if err != nil {
		t.Fatal(err)
	}
	if e.Chunks < 2 {
		t.Fatalf("want at least two chunks, got %d", e.Chunks)
	}
	golden.Check(t, "testdata/tinyformer.md", e.Markdown())
}

// TestBadChunkKeepsOthers: one chunk's answers stay malformed, the other
// chunks' notes are kept.
func TestBadChunkKeepsOthers(t *testing.T) {
	d := tinyformer(t)
	m := &fake{answer: func(req llm.Request, _ int) (string, error) {
		if strings.Contains(req.Messages[0].Content, "part 2 of") {
			return "```\n{broken\n```", nil
		}
		if strings.Contains(req.Messages[0].Content, "part 1 of") {
			return validAnswer, nil
		}
		return `{"equations": [], "hyperparameters": [], "ambiguities": []}`, nil
	}}
	e, err := Enrich(context.Background(), m, d, Options{MaxChars: 8000, Parallel: 3, Retries: 1})
	if err != nil {
		t.Fatal(err)
	}
	if e.Chunks < 3 {
		t.Fatalf("want at least three chunks, got %d", e.Chunks)
	}
	if len(e.Warnings) != 1 || !strings.Contains(e.Warnings[0], "stayed malformed after 2 attempt(s)") {
		t.Errorf("warnings = %q", e.Warnings)
	}
	if e.Contribution == "" || len(e.Hyperparameters) != 1 {
		t.Errorf("the good chunk's notes were lost: %+v", e)
	}
	if want := e.Chunks + 1; e.Calls != want {
		t.Errorf("calls = %d, want %d", e.Calls, want)
	}
}

func TestBudget(t *testing.T) {
	d := tinyformer(t)
	var calls int32
	m := &fake{answer: func(llm.Request, int) (string, error) {
		atomic.AddInt32(&calls, 1)
		return "", fmt.Errorf("openai: call would cost $0.02 over the $0.01 cap: %w", llm.ErrBudget)
	}}
	start := time.Now()
	_, err := Enrich(context.Background(), m, d, Options{MaxChars: 2000, Parallel: 1})
	if !errors.Is(err, llm.ErrBudget) {
		t.Fatalf("err = %v, want llm.ErrBudget", err)
	}
	if n := len(Chunks(d, 2000)); int(calls) >= n {
		t.Errorf("%d calls for %d chunks: the run did not stop at the budget", calls, n)
	}
	if time.Since(start) > 5*time.Second {
		t.Error("slow to stop")
	}
}

func TestAllCallsFail(t *testing.T) {
	m := &fake{answer: func(llm.Request, int) (string, error) { return "", errors.New("connection refused") }}
	if _, err := Enrich(context.Background(), m, tinyformer(t), Options{}); err == nil {
		t.Error("want an error when every call fails")
	}
}

func TestChunksLongPaper(t *testing.T) {
	d := doc.New()
	var secs []string
	for s := 1; s <= 6; s++ {
		num := fmt.Sprint(s)
		secs = append(secs, num)
		d.Sections = append(d.Sections, doc.Section{Number: num, Title: "Section title " + num, Level: 1})
		n := 3
		if s == 4 {
			n = 40 // a section longer than a chunk
		}
		for p := 0; p < n; p++ {
			d.Text = append(d.Text, doc.Paragraph{Section: num,
				Text: fmt.Sprintf("Paragraph %d of section %s. %s", p, num, strings.Repeat("word ", 100+p*7))})
		}
		eqn := num + ".1"
		d.Equations = append(d.Equations, doc.Equation{Number: &eqn, Section: num + ".2", LaTeX: "y = W x"})
	}
	// One paragraph longer than a chunk on its own.
	d.Text = append(d.Text, doc.Paragraph{Section: "6", Text: strings.Repeat("éléphant ", 1500)})
	for _, max := range []int{1500, 3000, 10000, 1 << 20} {
		chunks := Chunks(d, max)
		covered := map[string]bool{}
		for _, c := range chunks {
			if len(c.Text) > max {
				t.Errorf("max %d: chunk %s has %d bytes", max, c.Name, len(c.Text))
			}
			for _, s := range c.Sections {
				covered[s] = true
			}
		}
		for _, s := range secs {
			if !covered[s] {
				t.Errorf("max %d: section %s not covered", max, s)
			}
		}
		all := ""
		for _, c := range chunks {
			all += c.Text
		}
		for _, p := range d.Text[:10] {
			if !strings.Contains(all, strings.TrimSpace(p.Text)) {
				t.Errorf("max %d: paragraph missing: %.40s", max, p.Text)
			}
		}
		for _, eq := range d.Equations {
			if !strings.Contains(all, "Equation ("+*eq.Number+")") {
				t.Errorf("max %d: equation %s missing", max, *eq.Number)
			}
		}
		if max == 1<<20 && len(chunks) != 1 {
			t.Errorf("max %d: %d chunks, want 1", max, len(chunks))
		}
	}
}

func TestParseAnswer(t *testing.T) {
	tests := []struct {
		in   string
		ok   bool
		errs string
	}{
		{`{"equations": [], "hyperparameters": [], "ambiguities": []}`, true, ""},
		{"```json\n{\"equations\": [], \"hyperparameters\": [], \"ambiguities\": [],}\n```", true, ""},
		{`{"equations": [{"number": 3, "variables": []}], "hyperparameters": [{"name": "lr", "value": 0.001, "quote": "lr 0.001"}], "ambiguities": []}`, true, ""},
		{`{"equations": [], "ambiguities": []}`, false, "hyperparameters: missing"},
		{`{"equations": [{"variables": [{"symbol": "x"}]}], "hyperparameters": [], "ambiguities": []}`, false, "equations[0].number: missing"},
		{`{"equations": {}, "hyperparameters": [], "ambiguities": []}`, false, "equations: want an array, got an object"},
		{`[1, 2]`, false, "no JSON object"},
		{`{"a": "}"`, false, "not valid JSON"},
	}
	for _, tt := range tests {
		_, err := ParseAnswer(tt.in)
		if (err == nil) != tt.ok {
			t.Errorf("ParseAnswer(%q): err = %v, want ok=%v", tt.in, err, tt.ok)
		}
		if err != nil && !strings.Contains(err.Error(), tt.errs) {
			t.Errorf("ParseAnswer(%q): err = %v, want it to mention %q", tt.in, err, tt.errs)
		}
	}
}

func TestValueInQuote(t *testing.T) {
	tests := []struct {
		value, quote string
		want         bool
	}{
		{"3e-4", `a learning rate of $3 \times 10^{-4}$`, true},
		{"0.0003", "a learning rate of 3 × 10^-4", true},
		{"12000", "a vocabulary of 12{,}000 tokens", true},
		{"100k", "trained for 100,000 steps", true},
		{"100000", "trained for 100k steps", true},
		{"1e-8", `$\epsilon = 10^{-8}$`, true},
		{"0.123", "a learning rate of 0.1", false},
		{"AdamW", "We train with AdamW", true},
		{"cosine", "a linear schedule", false},
	}
	for _, tt := range tests {
		if got := valueInQuote(tt.value, tt.quote); got != tt.want {
			t.Errorf("valueInQuote(%q, %q) = %v, want %v (numbers %v)", tt.value, tt.quote, got, tt.want, numbersIn(tt.quote))
		}
	}
}

func TestSymbolIn(t *testing.T) {
	eq := doc.Equation{LaTeX: `Q &= X \mat{W}_{q} + \boldsymbol{\beta}_1 \sigma(z)`}
	c := &checker{}
	for sym, want := range map[string]bool{"W_q": true, "W_{q}": true, `\mathbf{W}_q`: true, "β_1": true,
		`\sigma`: true, "σ": true, "W_k": false, "Z": false} {
		if got := c.symbolIn(sym, &eq); got != want {
			t.Errorf("symbolIn(%q) = %v, want %v", sym, got, want)
		}
	}
}

func FuzzParseAnswer(f *testing.F) {
	f.Add(validAnswer)
	f.Add(inventedAnswer)
	f.Add("```json\n{\"equations\": [,]}\n```")
	f.Add(`{"a": "\"}{"`)
	f.Add("{{{{")
	f.Fuzz(func(t *testing.T, s string) {
		a, err := ParseAnswer(s)
		if err == nil && a == nil {
			t.Fatal("nil answer without an error")
		}
	})
}
