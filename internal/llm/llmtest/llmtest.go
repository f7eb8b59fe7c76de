// Package llmtest runs scripted language-model servers on 127.0.0.1 that
// speak the providers' wire formats: OpenAI chat completions (plain JSON
// and server-sent events with a final usage chunk and "data: [DONE]") and
// Anthropic messages (plain JSON and the message_start … message_stop event
// stream). Tests queue replies and read back what the client sent:
//
//	srv := llmtest.NewOpenAI(t)
//	srv.Reply(llmtest.Status(429, "Retry-After", "1"), llmtest.Text("hello", 12, 3))
//	m, _ := llm.New(llm.Config{Provider: "openai", Model: "gpt-4.1-mini", BaseURL: srv.URL})
//	...
//	reqs := srv.Requests()
//
// A request is answered with the next queued reply, as a stream when the
// request body asked for one ("stream": true). When the queue is empty the
// server answers with the Default reply, or with HTTP 500 if none is set.
// Secrets (Authorization, X-Api-Key) are never recorded.
package llmtest

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"sort"
	"strings"
	"sync"
	"testing"
	"time"
)

// Reply is one scripted answer.
type Reply struct {
	// Status is the HTTP status (0: 200).
	Status int
	// Header is added to the response (e.g. Retry-After).
	Header http.Header
	// Text is the model's answer, sent in the provider's format.
	Text string
	// InputTokens and OutputTokens are the usage the server reports.
	InputTokens, OutputTokens int
	// Model overrides the model name echoed back (default: the requested one).
	Model string
	// Raw, when set, is sent verbatim as the body (Content-Type
	// application/json) instead of a well-formed reply.
	Raw string
	// SSE sends Raw as a server-sent event stream (text/event-stream).
	SSE bool
	// ErrorMessage is the message of an error reply (Status >= 400).
	ErrorMessage string
	// EchoHeaders makes an error reply's message contain every request
	// header, secrets included: a misbehaving proxy, to test that clients
	// never surface what the server sends back verbatim.
	EchoHeaders bool
	// Delay stalls the reply (until the client gives up, if shorter).
	Delay time.Duration
}

// Text is a successful answer with the given usage.
func Text(text string, inputTokens, outputTokens int) Reply {
	return Reply{Text: text, InputTokens: inputTokens, OutputTokens: outputTokens}
}

// Status is an error reply with the given status code and header pairs
// ("Retry-After", "1"), with a provider-shaped error body.
func Status(code int, headerPairs ...string) Reply {
	r := Reply{Status: code, ErrorMessage: http.StatusText(code)}
	for i := 0; i+1 < len(headerPairs); i += 2 {
		r = r.WithHeader(headerPairs[i], headerPairs[i+1])
	}
	return r
}

// Raw is a reply whose body is sent verbatim (malformed JSON, say).
func Raw(code int, body string) Reply { return Reply{Status: code, Raw: body} }

// RawStream is a 200 event stream whose body is sent verbatim
// ("data: {broken\n\n").
func RawStream(body string) Reply { return Reply{Raw: body, SSE: true} }

// Stall is a reply that answers only after d (the client should time out first).
func Stall(d time.Duration) Reply { return Reply{Text: "too late", Delay: d} }

// WithHeader returns r with a response header added.
func (r Reply) WithHeader(key, value string) Reply {
	h := http.Header{}
	for k, v := range r.Header {
		h[k] = append([]string(nil), v...)
	}
	h.Add(key, value)
	r.Header = h
	return r
}

// Request is what the server received.
type Request struct {
	Time   time.Time
	Method string
	Path   string
	// Header without Authorization, X-Api-Key and cookies.
	Header http.Header
	// Authorized reports whether a credential header was present.
	Authorized bool
	// Body is the raw JSON body; JSON is it decoded (nil if not JSON).
	Body []byte
	JSON map[string]any
	// Stream reports whether the body asked for a streamed answer.
	Stream bool
}

type wire int

const (
	openAI wire = iota
	anthropic
)

// Server is a scripted provider.
type Server struct {
	// URL is the base URL to give a client (http://127.0.0.1:PORT/v1 for
	// OpenAI, http://127.0.0.1:PORT for Anthropic: what each SDK expects).
	URL string

	wire wire
	srv  *httptest.Server

	mu       sync.Mutex
	queue    []Reply
	def      *Reply
	requests []Request
	key      string
}

// NewOpenAI starts an OpenAI-compatible server (POST /v1/chat/completions),
// closed when the test ends.
func NewOpenAI(t testing.TB) *Server { return start(t, openAI) }

// NewAnthropic starts an Anthropic messages server (POST /v1/messages),
// closed when the test ends.
func NewAnthropic(t testing.TB) *Server { return start(t, anthropic) }

func start(t testing.TB, w wire) *Server {
	t.Helper()
	s := &Server{wire: w}
	s.srv = httptest.NewServer(http.HandlerFunc(s.serve))
	t.Cleanup(s.Close)
	s.URL = s.srv.URL
	if w == openAI {
		s.URL += "/v1"
	}
	return s
}

// Close stops the server (also done at the end of the test).
func (s *Server) Close() {
	s.srv.CloseClientConnections()
	s.srv.Close()
}

// Reply queues replies, answered in order.
func (s *Server) Reply(rs ...Reply) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.queue = append(s.queue, rs...)
}

// Default sets the reply used when the queue is empty.
func (s *Server) Default(r Reply) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.def = &r
}

// RequireKey makes the server answer 401 to requests without this key.
func (s *Server) RequireKey(key string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.key = key
}

// Requests returns the requests received so far.
func (s *Server) Requests() []Request {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]Request(nil), s.requests...)
}

// Count is the number of requests received so far.
func (s *Server) Count() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return len(s.requests)
}

// Pending is the number of queued replies not yet sent.
func (s *Server) Pending() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return len(s.queue)
}

func (s *Server) serve(w http.ResponseWriter, r *http.Request) {
	body, _ := io.ReadAll(r.Body)
	rec := Request{Time: time.Now(), Method: r.Method, Path: r.URL.Path, Header: r.Header.Clone(), Body: body}
	var key string
	if a := r.Header.Get("Authorization"); a != "" {
		key = strings.TrimPrefix(a, "Bearer ")
	} else {
		key = r.Header.Get("X-Api-Key")
	}
	rec.Authorized = key != ""
	for _, h := range []string{"Authorization", "X-Api-Key", "Cookie", "Proxy-Authorization"} {
		rec.Header.Del(h)
	}
	if json.Unmarshal(body, &rec.JSON) == nil {
		rec.Stream, _ = rec.JSON["stream"].(bool)
	}

	s.mu.Lock()
	s.requests = append(s.requests, rec)
	want := s.key
	var reply Reply
	switch {
	case len(s.queue) > 0:
		reply = s.queue[0]
		s.queue = s.queue[1:]
	case s.def != nil:
		reply = *s.def
	default:
		reply = Reply{Status: http.StatusInternalServerError, ErrorMessage: "llmtest: no reply scripted"}
	}
	s.mu.Unlock()

	if want != "" && key != want {
		reply = Reply{Status: http.StatusUnauthorized, ErrorMessage: "invalid api key", EchoHeaders: reply.EchoHeaders}
	}
	if reply.Delay > 0 {
		select {
		case <-time.After(reply.Delay):
		case <-r.Context().Done():
			return
		}
	}
	for k, vs := range reply.Header {
		for _, v := range vs {
			w.Header().Add(k, v)
		}
	}
	status := reply.Status
	if status == 0 {
		status = http.StatusOK
	}
	model, _ := rec.JSON["model"].(string)
	if reply.Model != "" {
		model = reply.Model
	}

	switch {
	case reply.Raw != "":
		if reply.SSE {
			w.Header().Set("Content-Type", "text/event-stream")
		} else {
			w.Header().Set("Content-Type", "application/json")
		}
		w.WriteHeader(status)
		_, _ = io.WriteString(w, reply.Raw)
	case status >= 400:
		msg := reply.ErrorMessage
		if reply.EchoHeaders {
			msg += "; request headers: " + dumpHeaders(r.Header)
		}
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(status)
		_, _ = w.Write(s.errorBody(status, msg))
	case rec.Stream:
		w.Header().Set("Content-Type", "text/event-stream")
		w.Header().Set("Cache-Control", "no-cache")
		w.WriteHeader(status)
		if s.wire == openAI {
			streamOpenAI(w, reply, model, includeUsage(rec.JSON))
		} else {
			streamAnthropic(w, reply, model)
		}
	default:
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(status)
		if s.wire == openAI {
			_, _ = w.Write(openAIBody(reply, model))
		} else {
			_, _ = w.Write(anthropicBody(reply, model))
		}
	}
}

func dumpHeaders(h http.Header) string {
	keys := make([]string, 0, len(h))
	for k := range h {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	var b strings.Builder
	for _, k := range keys {
		fmt.Fprintf(&b, "%s=%s ", k, strings.Join(h[k], ","))
	}
	return b.String()
}

func (s *Server) errorBody(status int, msg string) []byte {
	var v any
	if s.wire == openAI {
		typ := "server_error"
		switch {
		case status == 429:
			typ = "rate_limit_exceeded"
		case status == 401:
			typ = "invalid_request_error"
		case status < 500:
			typ = "invalid_request_error"
		}
		v = map[string]any{"error": map[string]any{"message": msg, "type": typ, "param": nil, "code": nil}}
	} else {
		typ := "api_error"
		switch {
		case status == 429:
			typ = "rate_limit_error"
		case status == 401:
			typ = "authentication_error"
		case status == 529:
			typ = "overloaded_error"
		case status < 500:
			typ = "invalid_request_error"
		}
		v = map[string]any{"type": "error", "error": map[string]any{"type": typ, "message": msg}}
	}
	b, _ := json.Marshal(v)
	return b
}

func includeUsage(body map[string]any) bool {
	so, _ := body["stream_options"].(map[string]any)
	b, _ := so["include_usage"].(bool)
	return b
}

// chunks splits text into small pieces, as a model streams it.
func chunks(text string) []string {
	var out []string
	for len(text) > 0 {
		n := min(len(text), 4)
		for n < len(text) && !utf8Start(text[n]) {
			n++
		}
		out = append(out, text[:n])
		text = text[n:]
	}
	return out
}

func utf8Start(b byte) bool { return b&0xC0 != 0x80 }

func mustJSON(v any) []byte {
	b, err := json.Marshal(v)
	if err != nil {
		panic(err)
	}
	return b
}

func openAIBody(r Reply, model string) []byte {
	return mustJSON(map[string]any{
		"id":      "chatcmpl-llmtest",
		"object":  "chat.completion",
		"created": time.Now().Unix(),
		"model":   model,
		"choices": []any{map[string]any{
			"index":         0,
			"message":       map[string]any{"role": "assistant", "content": r.Text, "refusal": nil},
			"logprobs":      nil,
			"finish_reason": "stop",
		}},
		"usage": map[string]any{
			"prompt_tokens":     r.InputTokens,
			"completion_tokens": r.OutputTokens,
			"total_tokens":      r.InputTokens + r.OutputTokens,
		},
	})
}

func streamOpenAI(w http.ResponseWriter, r Reply, model string, usage bool) {
	flusher, _ := w.(http.Flusher)
	send := func(v any) {
		var b bytes.Buffer
		b.WriteString("data: ")
		b.Write(mustJSON(v))
		b.WriteString("\n\n")
		_, _ = w.Write(b.Bytes())
		if flusher != nil {
			flusher.Flush()
		}
	}
	created := time.Now().Unix()
	chunk := func(delta map[string]any, finish any) map[string]any {
		return map[string]any{
			"id": "chatcmpl-llmtest", "object": "chat.completion.chunk", "created": created, "model": model,
			"choices": []any{map[string]any{"index": 0, "delta": delta, "logprobs": nil, "finish_reason": finish}},
		}
	}
	send(chunk(map[string]any{"role": "assistant", "content": ""}, nil))
	for _, c := range chunks(r.Text) {
		send(chunk(map[string]any{"content": c}, nil))
	}
	send(chunk(map[string]any{}, "stop"))
	if usage {
		send(map[string]any{
			"id": "chatcmpl-llmtest", "object": "chat.completion.chunk", "created": created, "model": model,
			"choices": []any{},
			"usage": map[string]any{
				"prompt_tokens": r.InputTokens, "completion_tokens": r.OutputTokens,
				"total_tokens": r.InputTokens + r.OutputTokens,
			},
		})
	}
	_, _ = io.WriteString(w, "data: [DONE]\n\n")
	if flusher != nil {
		flusher.Flush()
	}
}

func anthropicBody(r Reply, model string) []byte {
	return mustJSON(map[string]any{
		"id":            "msg_llmtest",
		"type":          "message",
		"role":          "assistant",
		"model":         model,
		"content":       []any{map[string]any{"type": "text", "text": r.Text}},
		"stop_reason":   "end_turn",
		"stop_sequence": nil,
		"usage":         map[string]any{"input_tokens": r.InputTokens, "output_tokens": r.OutputTokens},
	})
}

func streamAnthropic(w http.ResponseWriter, r Reply, model string) {
	flusher, _ := w.(http.Flusher)
	send := func(event string, v any) {
		var b bytes.Buffer
		fmt.Fprintf(&b, "event: %s\ndata: ", event)
		b.Write(mustJSON(v))
		b.WriteString("\n\n")
		_, _ = w.Write(b.Bytes())
		if flusher != nil {
			flusher.Flush()
		}
	}
	send("message_start", map[string]any{"type": "message_start", "message": map[string]any{
		"id": "msg_llmtest", "type": "message", "role": "assistant", "model": model,
		"content": []any{}, "stop_reason": nil, "stop_sequence": nil,
		"usage": map[string]any{"input_tokens": r.InputTokens, "output_tokens": 1},
	}})
	send("content_block_start", map[string]any{"type": "content_block_start", "index": 0,
		"content_block": map[string]any{"type": "text", "text": ""}})
	send("ping", map[string]any{"type": "ping"})
	for _, c := range chunks(r.Text) {
		send("content_block_delta", map[string]any{"type": "content_block_delta", "index": 0,
			"delta": map[string]any{"type": "text_delta", "text": c}})
	}
	send("content_block_stop", map[string]any{"type": "content_block_stop", "index": 0})
	send("message_delta", map[string]any{"type": "message_delta",
		"delta": map[string]any{"stop_reason": "end_turn", "stop_sequence": nil},
		"usage": map[string]any{"output_tokens": r.OutputTokens}})
	send("message_stop", map[string]any{"type": "message_stop"})
}
