package llm

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"strings"
	"sync"
	"sync/atomic"
	"time"
)

// APIError is a provider's error answer, with nothing of the request in it
// (the SDKs' own errors carry the request, whose headers hold the key).
type APIError struct {
	Provider   string
	Model      string
	StatusCode int
	// Type is the provider's error type ("rate_limit_error"), if any.
	Type string
	// Message is the provider's message, shortened and with the key removed.
	Message string
	// Attempts is how many HTTP requests the call made.
	Attempts int
}

func (e *APIError) Error() string {
	var b strings.Builder
	fmt.Fprintf(&b, "%s:%s: HTTP %d %s", e.Provider, e.Model, e.StatusCode, http.StatusText(e.StatusCode))
	if e.Attempts > 1 {
		fmt.Fprintf(&b, " (gave up after %d attempts)", e.Attempts)
	}
	if e.Type != "" {
		fmt.Fprintf(&b, ": %s", e.Type)
	}
	if e.Message != "" {
		fmt.Fprintf(&b, ": %s", e.Message)
	}
	switch {
	case e.StatusCode == http.StatusUnauthorized || e.StatusCode == http.StatusForbidden:
		if e.Provider == Anthropic {
			b.WriteString(" (check ANTHROPIC_API_KEY)")
		} else {
			b.WriteString(" (check OPENAI_API_KEY and OPENAI_BASE_URL)")
		}
	case e.StatusCode == http.StatusNotFound:
		b.WriteString(" (check the model name and the base URL)")
	}
	return b.String()
}

// Retryable reports whether a later call may succeed.
func (e *APIError) Retryable() bool {
	return e.StatusCode == http.StatusTooManyRequests || e.StatusCode >= 500 ||
		e.StatusCode == http.StatusRequestTimeout || e.StatusCode == http.StatusConflict
}

// callError is any other failure of a call, its text cleaned of the key.
// It unwraps to the cause so that errors.Is(err, context.DeadlineExceeded)
// holds; the cause's own text may be verbose but is never an SDK API error.
type callError struct {
	msg   string
	cause error
}

func (e *callError) Error() string { return e.msg }
func (e *callError) Unwrap() error { return e.cause }

// redactor removes a key from text.
type redactor string

func (r redactor) clean(s string) string {
	if len(r) < 4 {
		return s
	}
	return strings.ReplaceAll(s, string(r), "[REDACTED]")
}

// errorBody extracts type and message from a provider's JSON error body
// (OpenAI: {"error":{"message","type"}}; Anthropic: {"type":"error","error":{...}}).
func errorBody(raw string) (typ, msg string) {
	var v struct {
		Error json.RawMessage `json:"error"`
	}
	if json.Unmarshal([]byte(raw), &v) != nil || len(v.Error) == 0 {
		return "", ""
	}
	var inner struct {
		Type    string `json:"type"`
		Message string `json:"message"`
	}
	if json.Unmarshal(v.Error, &inner) != nil {
		var s string
		if json.Unmarshal(v.Error, &s) == nil {
			return "", s
		}
		return "", ""
	}
	return inner.Type, inner.Message
}

func shorten(s string, n int) string {
	s = strings.Join(strings.Fields(s), " ")
	if len(s) <= n {
		return s
	}
	return s[:n] + "…"
}

// attempts counts and logs the HTTP requests of one call.
type attempts struct {
	n        atomic.Int32
	log      *slog.Logger
	key      redactor
	provider string
	model    string

	mu      sync.Mutex
	status  int    // of the last answer
	errBody string // of the last answer, when an error
}

func (a *attempts) last() (int, string) {
	a.mu.Lock()
	defer a.mu.Unlock()
	return a.status, a.errBody
}

// middleware has the signature of both SDKs' option.Middleware.
func (a *attempts) middleware(req *http.Request, next func(*http.Request) (*http.Response, error)) (*http.Response, error) {
	n := a.n.Add(1)
	start := time.Now()
	res, err := next(req)
	if err == nil && res != nil {
		var body string
		if res.StatusCode >= 400 && res.Body != nil {
			b, _ := io.ReadAll(io.LimitReader(res.Body, 64<<10))
			_ = res.Body.Close()
			res.Body = io.NopCloser(bytes.NewReader(b))
			body = string(b)
		}
		a.mu.Lock()
		a.status, a.errBody = res.StatusCode, body
		a.mu.Unlock()
	}
	if a.log != nil {
		attrs := []any{"provider", a.provider, "model", a.model, "method", req.Method, "path", req.URL.Path,
			"attempt", n, "elapsed", time.Since(start).Round(time.Millisecond)}
		switch {
		case err != nil:
			a.log.Warn("llm request failed", append(attrs, "error", a.key.clean(err.Error()))...)
		case res.StatusCode == http.StatusTooManyRequests || res.StatusCode >= 500:
			attrs = append(attrs, "status", res.StatusCode)
			if ra := res.Header.Get("Retry-After"); ra != "" {
				attrs = append(attrs, "retry_after", ra)
			}
			a.log.Warn("llm request refused, may retry", attrs...)
		default:
			a.log.Debug("llm request", append(attrs, "status", res.StatusCode)...)
		}
	}
	return res, err
}

// wrapErr turns an SDK error into one safe to print: an *APIError for an
// error answer, else the text with the key removed.
func (a *attempts) wrap(ctx context.Context, err error) error {
	status, raw := a.last()
	provider, model, key, tries := a.provider, a.model, a.key, int(a.n.Load())
	if status >= 400 && !errors.Is(err, context.DeadlineExceeded) && !errors.Is(err, context.Canceled) {
		typ, msg := errorBody(raw)
		if msg == "" && typ == "" {
			msg = "unreadable error body: " + raw
		}
		return &APIError{
			Provider: provider, Model: model, StatusCode: status,
			Type: key.clean(shorten(typ, 80)), Message: key.clean(shorten(msg, 300)), Attempts: tries,
		}
	}
	text := err.Error()
	if errors.Is(err, context.DeadlineExceeded) && ctx.Err() == nil {
		text = "timed out: " + text
	}
	return &callError{msg: fmt.Sprintf("%s:%s: %s", provider, model, key.clean(shorten(text, 500))), cause: cleanCause(err)}
}

// cleanCause keeps the causes errors.Is callers look for, and nothing that
// could print the request.
func cleanCause(err error) error {
	for _, e := range []error{context.DeadlineExceeded, context.Canceled} {
		if errors.Is(err, e) {
			return e
		}
	}
	return nil
}
