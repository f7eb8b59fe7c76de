package llm

import (
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"net/url"
	"os"
	"strings"
	"time"
)

// Providers.
const (
	OpenAI    = "openai"
	Anthropic = "anthropic"
)

// Defaults.
const (
	DefaultTimeout    = 10 * time.Minute // per attempt
	DefaultMaxRetries = 3
	// DefaultMaxTokens is the answer length asked of Anthropic, which
	// requires one, when the request gives none.
	DefaultMaxTokens = 8192
)

// Config says which model to use and how to reach it. Flags fill it first,
// FromEnv completes it from the environment, New builds the model.
type Config struct {
	// Provider is "openai" (any OpenAI-compatible server) or "anthropic";
	// "" picks one from a "provider:" prefix of Model, a "claude" model
	// name, or which key is set.
	Provider string `json:"provider,omitempty" yaml:"provider,omitempty"`
	// Model is the model name, optionally "provider:name"
	// ("openai:gpt-4.1-mini", "anthropic:claude-sonnet-4-5", "qwen2.5:7b"
	// on a local server: only "openai:" and "anthropic:" are prefixes).
	Model string `json:"model,omitempty" yaml:"model,omitempty"`
	// BaseURL is the server ("http://localhost:11434/v1" for Ollama);
	// "" is the provider's own API.
	BaseURL string `json:"base_url,omitempty" yaml:"base_url,omitempty"`
	// APIKey is never printed, logged or put in an error. A server on
	// localhost needs none.
	APIKey string `json:"-" yaml:"-"`
	// Timeout bounds one attempt, streaming included (0: DefaultTimeout).
	Timeout time.Duration `json:"timeout,omitempty" yaml:"timeout,omitempty"`
	// MaxRetries is how many times a call is retried on 408/409/429/5xx
	// and connection errors, with exponential backoff and jitter, waiting
	// what Retry-After / Retry-After-Ms says when sent (0:
	// DefaultMaxRetries, negative: none).
	MaxRetries int `json:"max_retries,omitempty" yaml:"max_retries,omitempty"`
	// Stream asks for the answer as a stream (server-sent events).
	Stream bool `json:"stream,omitempty" yaml:"stream,omitempty"`
	// Prices prices the calls (nil: the embedded table).
	Prices *PriceTable `json:"-" yaml:"-"`
	// HTTPClient replaces the SDK's HTTP client (nil: the SDK's).
	HTTPClient *http.Client `json:"-" yaml:"-"`
	// Log, when set, gets one debug line per HTTP attempt and a warning
	// per retry: method, path, status, attempt; never headers or bodies.
	Log *slog.Logger `json:"-" yaml:"-"`
}

// String describes the configuration without its key.
func (c Config) String() string {
	key := "none"
	if c.APIKey != "" {
		key = "set"
	}
	base := c.BaseURL
	if base == "" {
		base = "default"
	} else {
		base = redactURL(base)
	}
	return fmt.Sprintf("%s:%s (base URL %s, API key %s, timeout %s, retries %d, stream %t)",
		orDash(c.Provider), orDash(c.Model), base, key, c.timeout(), c.retries(), c.Stream)
}

// GoString keeps %#v from printing the key.
func (c Config) GoString() string { return "llm.Config{" + c.String() + "}" }

func orDash(s string) string {
	if s == "" {
		return "-"
	}
	return s
}

// redactURL drops user info and query (which may carry a key) from a URL.
func redactURL(s string) string {
	u, err := url.Parse(s)
	if err != nil {
		return "(invalid URL)"
	}
	u.User = nil
	u.RawQuery = ""
	u.Fragment = ""
	return u.String()
}

func (c Config) timeout() time.Duration {
	if c.Timeout > 0 {
		return c.Timeout
	}
	return DefaultTimeout
}

func (c Config) retries() int {
	switch {
	case c.MaxRetries < 0:
		return 0
	case c.MaxRetries == 0:
		return DefaultMaxRetries
	}
	return c.MaxRetries
}

// FromEnv completes c from the environment, leaving what is already set
// (flags and repro.yaml win): REPRO_MODEL for the model ("provider:name"),
// OPENAI_API_KEY and OPENAI_BASE_URL for OpenAI-compatible servers,
// ANTHROPIC_API_KEY and ANTHROPIC_BASE_URL for Anthropic.
func FromEnv(c Config) Config {
	if c.Model == "" {
		c.Model = strings.TrimSpace(os.Getenv("REPRO_MODEL"))
	}
	c = c.normalize()
	if c.Provider == "" {
		_, haveAnthropic := os.LookupEnv("ANTHROPIC_API_KEY")
		_, haveOpenAI := os.LookupEnv("OPENAI_API_KEY")
		_, haveBase := os.LookupEnv("OPENAI_BASE_URL")
		if haveAnthropic && !haveOpenAI && !haveBase && c.BaseURL == "" {
			c.Provider = Anthropic
		} else if c.Model != "" || haveOpenAI || haveBase {
			c.Provider = OpenAI
		}
	}
	switch c.Provider {
	case OpenAI:
		if c.APIKey == "" {
			c.APIKey = strings.TrimSpace(os.Getenv("OPENAI_API_KEY"))
		}
		if c.BaseURL == "" {
			c.BaseURL = strings.TrimSpace(os.Getenv("OPENAI_BASE_URL"))
		}
	case Anthropic:
		if c.APIKey == "" {
			c.APIKey = strings.TrimSpace(os.Getenv("ANTHROPIC_API_KEY"))
		}
		if c.BaseURL == "" {
			c.BaseURL = strings.TrimSpace(os.Getenv("ANTHROPIC_BASE_URL"))
		}
	}
	return c
}

// normalize splits a "provider:" prefix off Model and infers the provider
// of a "claude" model.
func (c Config) normalize() Config {
	c.Provider = strings.ToLower(strings.TrimSpace(c.Provider))
	c.Model = strings.TrimSpace(c.Model)
	if p, name, ok := strings.Cut(c.Model, ":"); ok {
		switch strings.ToLower(p) {
		case OpenAI, Anthropic:
			if c.Provider == "" || c.Provider == strings.ToLower(p) {
				c.Provider = strings.ToLower(p)
				c.Model = name
			}
		}
	}
	if c.Provider == "" && strings.HasPrefix(strings.ToLower(c.Model), "claude") {
		c.Provider = Anthropic
	}
	return c
}

// ErrNotConfigured is returned (wrapped, with a hint) by New when no model
// or no key is configured.
var ErrNotConfigured = errors.New("no language model configured")

// New builds the model c describes. Call FromEnv first to honour the
// environment.
func New(c Config) (Model, error) {
	c = c.normalize()
	if c.Model == "" {
		return nil, fmt.Errorf("%w: set --model or REPRO_MODEL (\"openai:gpt-4.1-mini\", \"anthropic:claude-sonnet-4-5\", "+
			"or a model name with OPENAI_BASE_URL pointing at a local server such as Ollama or vLLM)", ErrNotConfigured)
	}
	if c.BaseURL != "" {
		u, err := url.Parse(c.BaseURL)
		if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
			return nil, fmt.Errorf("llm: base URL %q is not an http(s) URL", redactURL(c.BaseURL))
		}
	}
	switch c.Provider {
	case OpenAI, "":
		c.Provider = OpenAI
		if c.APIKey == "" && !IsLocal(c.BaseURL) {
			return nil, fmt.Errorf("%w: no API key for %s:%s: set OPENAI_API_KEY, or OPENAI_BASE_URL to a local "+
				"OpenAI-compatible server (vLLM, Ollama, llama.cpp, LM Studio), which needs none", ErrNotConfigured, c.Provider, c.Model)
		}
		return newOpenAI(c), nil
	case Anthropic:
		if c.APIKey == "" && !IsLocal(c.BaseURL) {
			return nil, fmt.Errorf("%w: no API key for %s:%s: set ANTHROPIC_API_KEY", ErrNotConfigured, c.Provider, c.Model)
		}
		return newAnthropic(c), nil
	}
	return nil, fmt.Errorf("llm: unknown provider %q (want %q or %q)", c.Provider, OpenAI, Anthropic)
}

// IsLocal reports whether a base URL points at this machine (a local
// server needs no key and costs nothing).
func IsLocal(base string) bool {
	if base == "" {
		return false
	}
	u, err := url.Parse(base)
	if err != nil {
		return false
	}
	host := u.Hostname()
	if host == "localhost" || strings.HasSuffix(host, ".localhost") {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && (ip.IsLoopback() || ip.IsUnspecified())
}
