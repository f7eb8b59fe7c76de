package llm_test

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/reprohq/repro/internal/llm"
	"github.com/reprohq/repro/internal/llm/llmtest"
)

// provider is one wire format under test, driven through its official SDK.
type provider struct {
	name  string
	model string
	start func(testing.TB) *llmtest.Server
	path  string
}

var providers = []provider{
	{llm.OpenAI, "gpt-4.1-mini", llmtest.NewOpenAI, "/v1/chat/completions"},
	{llm.Anthropic, "claude-sonnet-4-5", llmtest.NewAnthropic, "/v1/messages"},
}

const testKey = "sk-test-SECRET-0123456789abcdef"

func newModel(t *testing.T, p provider, srv *llmtest.Server, mod func(*llm.Config)) llm.Model {
	t.Helper()
	c := llm.Config{Provider: p.name, Model: p.model, BaseURL: srv.URL, APIKey: testKey, Timeout: 5 * time.Second, MaxRetries: 2}
	if mod != nil {
		mod(&c)
	}
	m, err := llm.New(c)
	if err != nil {
		t.Fatal(err)
	}
	return m
}

var hello = llm.Request{Messages: []llm.Message{{Role: "user", Content: "Say hello."}}, Stage: "extract", Paper: "p1"}

func TestReply(t *testing.T) {
	for _, p := range providers {
		for _, stream := range []bool{false, true} {
			t.Run(fmt.Sprintf("%s/stream=%t", p.name, stream), func(t *testing.T) {
				srv := p.start(t)
				srv.RequireKey(testKey)
				srv.Reply(llmtest.Text("Hello, wörld! A longer answer, streamed in pieces.", 1000, 500))
				m := newModel(t, p, srv, func(c *llm.Config) { c.Stream = stream })
				req := hello
				req.System = "You are terse."
				req.Messages = append(req.Messages, llm.Message{Role: "assistant", Content: "OK."}, llm.Message{Role: "user", Content: "Now."})
				req.MaxTokens = 77
				resp, err := m.Complete(context.Background(), req)
				if err != nil {
					t.Fatal(err)
				}
				if resp.Text != "Hello, wörld! A longer answer, streamed in pieces." {
					t.Errorf("text %q", resp.Text)
				}
				if resp.Usage != (llm.Usage{InputTokens: 1000, OutputTokens: 500}) {
					t.Errorf("usage %+v", resp.Usage)
				}
				price, _ := llm.DefaultPrices().Lookup(p.model)
				if want := (1000*price.Input + 500*price.Output) / 1e6; resp.Cost != want || want == 0 {
					t.Errorf("cost %v, want %v", resp.Cost, want)
				}
				if m.Name() != p.name+":"+p.model || resp.Model != p.model {
					t.Errorf("name %q model %q", m.Name(), resp.Model)
				}
				reqs := srv.Requests()
				if len(reqs) != 1 {
					t.Fatalf("%d requests", len(reqs))
				}
				r := reqs[0]
				if r.Path != p.path || !r.Authorized || r.Stream != stream {
					t.Errorf("request %s authorized=%t stream=%t", r.Path, r.Authorized, r.Stream)
				}
				if r.Header.Get("Authorization") != "" || r.Header.Get("X-Api-Key") != "" {
					t.Error("llmtest recorded a secret")
				}
				msgs, _ := r.JSON["messages"].([]any)
				switch p.name {
				case llm.OpenAI:
					if len(msgs) != 4 { // system + 3
						t.Errorf("messages %v", msgs)
					}
					if r.JSON["max_tokens"] != float64(77) { // a non-OpenAI base URL gets max_tokens
						t.Errorf("max_tokens %v", r.JSON["max_tokens"])
					}
					if stream && !strings.Contains(string(r.Body), `"include_usage":true`) {
						t.Errorf("stream without include_usage: %s", r.Body)
					}
				case llm.Anthropic:
					if len(msgs) != 3 || r.JSON["max_tokens"] != float64(77) {
						t.Errorf("messages %v max_tokens %v", msgs, r.JSON["max_tokens"])
					}
					if !strings.Contains(string(r.Body), "You are terse.") {
						t.Errorf("no system prompt: %s", r.Body)
					}
				}
			})
		}
	}
}

func TestJSONMode(t *testing.T) {
	for _, p := range providers {
		t.Run(p.name, func(t *testing.T) {
			srv := p.start(t)
			// The content is malformed JSON: it comes back as text, as is.
			// Parsing and repairing it is the agents' job, not this package's.
			const bad = `{"title": "Attention", "year": 20`
			srv.Reply(llmtest.Text(bad, 10, 5))
			m := newModel(t, p, srv, nil)
			req := hello
			req.JSON = true
			resp, err := m.Complete(context.Background(), req)
			if err != nil {
				t.Fatal(err)
			}
			if resp.Text != bad {
				t.Errorf("text %q", resp.Text)
			}
			body := string(srv.Requests()[0].Body)
			switch p.name {
			case llm.OpenAI:
				if !strings.Contains(body, `"response_format":{"type":"json_object"}`) {
					t.Errorf("no response_format: %s", body)
				}
			case llm.Anthropic:
				if !strings.Contains(body, "JSON object") {
					t.Errorf("no JSON instruction: %s", body)
				}
				if req.JSON = false; true {
					srv.Reply(llmtest.Text("x", 1, 1))
					if _, err := m.Complete(context.Background(), req); err != nil {
						t.Fatal(err)
					}
					if strings.Contains(string(srv.Requests()[1].Body), "JSON object") {
						t.Error("JSON instruction without JSON mode")
					}
				}
			}
		})
	}
}

func TestRetries(t *testing.T) {
	httpDate := func() string { return time.Now().Add(2 * time.Second).UTC().Format(http.TimeFormat) }
	cases := []struct {
		name     string
		replies  func() []llmtest.Reply
		requests int
		minWait  time.Duration
		maxWait  time.Duration
		errText  []string // empty: success
		status   int
	}{
		{"429 Retry-After seconds", func() []llmtest.Reply {
			return []llmtest.Reply{llmtest.Status(429, "Retry-After", "1"), llmtest.Text("ok", 1, 1)}
		}, 2, time.Second, 3 * time.Second, nil, 0},
		{"429 Retry-After HTTP date", func() []llmtest.Reply {
			return []llmtest.Reply{llmtest.Status(429, "Retry-After", httpDate()), llmtest.Text("ok", 1, 1)}
		}, 2, time.Second, 4 * time.Second, nil, 0},
		{"429 retry-after-ms", func() []llmtest.Reply {
			return []llmtest.Reply{llmtest.Status(429, "Retry-After-Ms", "300"), llmtest.Text("ok", 1, 1)}
		}, 2, 300 * time.Millisecond, 2 * time.Second, nil, 0},
		{"500 then success", func() []llmtest.Reply {
			return []llmtest.Reply{llmtest.Status(500, "Retry-After-Ms", "10"), llmtest.Status(503, "Retry-After-Ms", "10"), llmtest.Text("ok", 1, 1)}
		}, 3, 0, 2 * time.Second, nil, 0},
		{"500 backoff without Retry-After", func() []llmtest.Reply {
			return []llmtest.Reply{llmtest.Status(502), llmtest.Text("ok", 1, 1)}
		}, 2, 300 * time.Millisecond, 2 * time.Second, nil, 0},
		{"persistent 500", func() []llmtest.Reply {
			r := llmtest.Status(500, "Retry-After-Ms", "10")
			r.ErrorMessage = "the server melted"
			return []llmtest.Reply{r, r, r, r, r}
		}, 3, 0, 2 * time.Second, []string{"HTTP 500", "gave up after 3 attempts", "the server melted"}, 500},
		{"400 is not retried", func() []llmtest.Reply {
			r := llmtest.Status(400)
			r.ErrorMessage = "max_tokens too large"
			return []llmtest.Reply{r, llmtest.Text("never", 1, 1)}
		}, 1, 0, time.Second, []string{"HTTP 400", "max_tokens too large"}, 400},
	}
	for _, p := range providers {
		for _, tc := range cases {
			t.Run(p.name+"/"+tc.name, func(t *testing.T) {
				t.Parallel()
				srv := p.start(t)
				srv.Reply(tc.replies()...)
				m := newModel(t, p, srv, nil) // MaxRetries 2: 3 attempts
				start := time.Now()
				resp, err := m.Complete(context.Background(), hello)
				took := time.Since(start)
				if got := srv.Count(); got != tc.requests {
					t.Errorf("%d requests, want %d", got, tc.requests)
				}
				if took < tc.minWait || took > tc.maxWait {
					t.Errorf("took %s, want %s..%s", took, tc.minWait, tc.maxWait)
				}
				if len(tc.errText) == 0 {
					if err != nil {
						t.Fatal(err)
					}
					if resp.Text != "ok" {
						t.Errorf("text %q", resp.Text)
					}
					return
				}
				if err == nil {
					t.Fatal("no error")
				}
				for _, s := range tc.errText {
					if !strings.Contains(err.Error(), s) {
						t.Errorf("error %q lacks %q", err, s)
					}
				}
				var apiErr *llm.APIError
				if !errors.As(err, &apiErr) || apiErr.StatusCode != tc.status {
					t.Errorf("not an APIError with status %d: %#v", tc.status, err)
				}
			})
		}
	}
}

func TestMalformed(t *testing.T) {
	cases := []struct {
		name  string
		reply llmtest.Reply
	}{
		{"truncated JSON", llmtest.Raw(200, `{"id": "x", "choices": [{"mess`)},
		{"not JSON", llmtest.Raw(200, `<html>gateway</html>`)},
		{"empty object", llmtest.Raw(200, `{}`)},
		{"error body not JSON", llmtest.Raw(500, `oops<`)},
	}
	for _, p := range providers {
		for _, tc := range cases {
			t.Run(p.name+"/"+tc.name, func(t *testing.T) {
				srv := p.start(t)
				srv.Default(tc.reply)
				m := newModel(t, p, srv, func(c *llm.Config) { c.MaxRetries = -1 })
				resp, err := m.Complete(context.Background(), hello)
				if err == nil {
					t.Fatalf("no error, response %+v", resp)
				}
				if !strings.HasPrefix(err.Error(), p.name+":"+p.model+": ") {
					t.Errorf("error does not name the model: %q", err)
				}
				t.Logf("%v", err)
			})
		}
	}
}

func TestTimeout(t *testing.T) {
	for _, p := range providers {
		for _, stream := range []bool{false, true} {
			t.Run(fmt.Sprintf("%s/stream=%t", p.name, stream), func(t *testing.T) {
				t.Parallel()
				srv := p.start(t)
				srv.Default(llmtest.Stall(10 * time.Second))
				m := newModel(t, p, srv, func(c *llm.Config) {
					c.Timeout = 300 * time.Millisecond
					c.MaxRetries = -1
					c.Stream = stream
				})
				start := time.Now()
				_, err := m.Complete(context.Background(), hello)
				took := time.Since(start)
				if err == nil {
					t.Fatal("no error")
				}
				if took < 300*time.Millisecond || took > 3*time.Second {
					t.Errorf("took %s", took)
				}
				if !errors.Is(err, context.DeadlineExceeded) || !strings.Contains(err.Error(), "timed out") {
					t.Errorf("error %q is not a timeout", err)
				}
			})
		}
	}
}

func TestCanceled(t *testing.T) {
	p := providers[0]
	srv := p.start(t)
	srv.Default(llmtest.Stall(10 * time.Second))
	m := newModel(t, p, srv, nil)
	ctx, cancel := context.WithTimeout(context.Background(), 200*time.Millisecond)
	defer cancel()
	_, err := m.Complete(ctx, hello)
	if !errors.Is(err, context.DeadlineExceeded) {
		t.Errorf("error %v", err)
	}
}

// TestKeyRedaction provokes errors whose server answers echo the request
// headers, and checks that the key is in no error text, log line or
// configuration string.
func TestKeyRedaction(t *testing.T) {
	for _, p := range providers {
		for _, status := range []int{401, 500} {
			t.Run(fmt.Sprintf("%s/%d", p.name, status), func(t *testing.T) {
				srv := p.start(t)
				r := llmtest.Status(status, "Retry-After-Ms", "1")
				r.EchoHeaders = true
				srv.Default(r)
				var logs bytes.Buffer
				c := llm.Config{Provider: p.name, Model: p.model, BaseURL: srv.URL, APIKey: testKey, MaxRetries: 1,
					Log: slog.New(slog.NewTextHandler(&logs, &slog.HandlerOptions{Level: slog.LevelDebug}))}
				m, err := llm.New(c)
				if err != nil {
					t.Fatal(err)
				}
				_, err = m.Complete(context.Background(), hello)
				if err == nil {
					t.Fatal("no error")
				}
				texts := map[string]string{
					"error": err.Error(), "%+v": fmt.Sprintf("%+v", err), "%#v": fmt.Sprintf("%#v", err),
					"log": logs.String(), "config": c.String(), "config %#v": fmt.Sprintf("%#v", c), "config %v": fmt.Sprintf("%v", c),
				}
				for e := errors.Unwrap(err); e != nil; e = errors.Unwrap(e) {
					texts["cause"] += e.Error()
				}
				for what, s := range texts {
					if strings.Contains(s, testKey) || strings.Contains(s, testKey[8:]) {
						t.Errorf("key in %s: %s", what, s)
					}
				}
				if !strings.Contains(err.Error(), fmt.Sprint(status)) {
					t.Errorf("error %q lacks the status", err)
				}
				if status == 401 && !strings.Contains(err.Error(), "API_KEY") {
					t.Errorf("401 without a hint: %q", err)
				}
				if !strings.Contains(logs.String(), "llm request") {
					t.Errorf("no log lines: %q", logs.String())
				}
			})
		}
	}
}

func TestMalformedStream(t *testing.T) {
	bodies := map[string]string{
		llm.OpenAI:    "data: {\"id\":\"x\",\"object\":\"chat.completion.chunk\",\"choices\":[{\"index\":0,\"delta\":{\"content\":\"hi\"}}]}\n\ndata: {\"choices\": [\n\n",
		llm.Anthropic: "event: message_start\ndata: {\"type\":\"message_start\",\"message\":{\"id\":\"m\",\"type\":\"message\",\"role\":\"assistant\",\"model\":\"claude-sonnet-4-5\",\"content\":[],\"usage\":{\"input_tokens\":1,\"output_tokens\":1}}}\n\nevent: content_block_start\ndata: {\"type\":\"content_block_start\",\"index\":0,\"content_block\":{\"type\":\"te\n\n",
	}
	for _, p := range providers {
		t.Run(p.name, func(t *testing.T) {
			srv := p.start(t)
			srv.Reply(llmtest.RawStream(bodies[p.name]))
			m := newModel(t, p, srv, func(c *llm.Config) { c.Stream = true; c.MaxRetries = -1 })
			resp, err := m.Complete(context.Background(), hello)
			if err == nil {
				t.Fatalf("no error, response %+v", resp)
			}
			t.Logf("%v", err)
		})
	}
}
