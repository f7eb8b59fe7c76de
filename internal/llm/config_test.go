package llm_test

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/reprohq/repro/internal/llm"
)

func TestFromEnv(t *testing.T) {
	cases := []struct {
		name string
		env  map[string]string
		in   llm.Config
		want llm.Config // APIKey compared as set/unset
	}{
		{"REPRO_MODEL openai", map[string]string{"REPRO_MODEL": "openai:gpt-4.1-mini", "OPENAI_API_KEY": testKey},
			llm.Config{}, llm.Config{Provider: "openai", Model: "gpt-4.1-mini", APIKey: testKey}},
		{"REPRO_MODEL anthropic", map[string]string{"REPRO_MODEL": "anthropic:claude-sonnet-4-5", "ANTHROPIC_API_KEY": testKey, "OPENAI_API_KEY": "other"},
			llm.Config{}, llm.Config{Provider: "anthropic", Model: "claude-sonnet-4-5", APIKey: testKey}},
		{"claude name implies anthropic", map[string]string{"REPRO_MODEL": "claude-haiku-4-5", "ANTHROPIC_API_KEY": testKey},
			llm.Config{}, llm.Config{Provider: "anthropic", Model: "claude-haiku-4-5", APIKey: testKey}},
		{"bare local model keeps its colon", map[string]string{"REPRO_MODEL": "qwen2.5:7b", "OPENAI_BASE_URL": "http://localhost:11434/v1"},
			llm.Config{}, llm.Config{Provider: "openai", Model: "qwen2.5:7b", BaseURL: "http://localhost:11434/v1"}},
		{"flags win", map[string]string{"REPRO_MODEL": "openai:gpt-4o", "OPENAI_API_KEY": "env-key", "OPENAI_BASE_URL": "http://env"},
			llm.Config{Model: "openai:gpt-4.1", BaseURL: "http://flag", APIKey: testKey},
			llm.Config{Provider: "openai", Model: "gpt-4.1", BaseURL: "http://flag", APIKey: testKey}},
		{"only anthropic key", map[string]string{"ANTHROPIC_API_KEY": testKey},
			llm.Config{}, llm.Config{Provider: "anthropic", APIKey: testKey}},
		{"nothing", nil, llm.Config{}, llm.Config{}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			for _, k := range []string{"REPRO_MODEL", "OPENAI_API_KEY", "OPENAI_BASE_URL", "ANTHROPIC_API_KEY", "ANTHROPIC_BASE_URL"} {
				t.Setenv(k, "")
				os.Unsetenv(k)
			}
			for k, v := range tc.env {
				t.Setenv(k, v)
			}
			got := llm.FromEnv(tc.in)
			if got.Provider != tc.want.Provider || got.Model != tc.want.Model || got.BaseURL != tc.want.BaseURL || got.APIKey != tc.want.APIKey {
				t.Errorf("got %v, want %v (keys equal: %t)", got, tc.want, got.APIKey == tc.want.APIKey)
			}
		})
	}
}

func TestNewErrors(t *testing.T) {
	cases := []struct {
		name string
		c    llm.Config
		hint string // "" : no error
	}{
		{"no model", llm.Config{}, "REPRO_MODEL"},
		{"openai without key", llm.Config{Provider: "openai", Model: "gpt-4.1"}, "OPENAI_API_KEY"},
		{"anthropic without key", llm.Config{Model: "anthropic:claude-sonnet-4-5"}, "ANTHROPIC_API_KEY"},
		{"local server needs no key", llm.Config{Model: "llama3", BaseURL: "http://127.0.0.1:8080/v1"}, ""},
		{"localhost needs no key", llm.Config{Model: "llama3", BaseURL: "http://localhost:11434/v1"}, ""},
		{"remote server needs a key", llm.Config{Model: "llama3", BaseURL: "https://openrouter.ai/api/v1"}, "OPENAI_API_KEY"},
		{"bad base URL", llm.Config{Model: "x", BaseURL: "localhost:8080", APIKey: testKey}, "not an http(s) URL"},
		{"unknown provider", llm.Config{Provider: "gemini", Model: "x", APIKey: testKey}, "unknown provider"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			m, err := llm.New(tc.c)
			if tc.hint == "" {
				if err != nil || m == nil {
					t.Fatalf("err %v", err)
				}
				return
			}
			if err == nil || !strings.Contains(err.Error(), tc.hint) {
				t.Fatalf("err %v, want hint %q", err, tc.hint)
			}
			if strings.Contains(tc.hint, "API_KEY") || tc.hint == "REPRO_MODEL" {
				if !errors.Is(err, llm.ErrNotConfigured) {
					t.Errorf("not ErrNotConfigured: %v", err)
				}
			}
		})
	}
}

func TestConfigString(t *testing.T) {
	c := llm.Config{Provider: "openai", Model: "gpt-4.1", BaseURL: "https://user:pw@example.com/v1?key=" + testKey, APIKey: testKey}
	for _, s := range []string{c.String(), c.GoString()} {
		if strings.Contains(s, testKey) || strings.Contains(s, "pw@") {
			t.Errorf("secret in %q", s)
		}
		if !strings.Contains(s, "API key set") || !strings.Contains(s, "openai:gpt-4.1") {
			t.Errorf("string %q", s)
		}
	}
}

func TestPrices(t *testing.T) {
	p := llm.DefaultPrices()
	for _, name := range []string{"gpt-4.1-mini", "gpt-4.1", "claude-sonnet-4-5", "claude-haiku-4-5"} {
		if pr, ok := p.Lookup(name); !ok || pr.Input <= 0 || pr.Output <= 0 {
			t.Errorf("%s: %+v %t", name, pr, ok)
		}
	}
	mini, _ := p.Lookup("gpt-4.1-mini")
	if got, _ := p.Lookup("gpt-4.1-mini-2025-04-14"); got != mini {
		t.Errorf("dated name priced %+v, want %+v", got, mini)
	}
	if _, ok := p.Lookup("llama3:8b"); ok {
		t.Error("a local model has a price")
	}
	if c := p.Cost(llm.Usage{InputTokens: 1_000_000, OutputTokens: 1_000_000}, "qwen2.5:7b", "gpt-4.1-mini"); c != mini.Input+mini.Output {
		t.Errorf("cost %v", c)
	}
	if c := p.Cost(llm.Usage{InputTokens: 5000}, "llama3"); c != 0 {
		t.Errorf("local cost %v", c)
	}

	path := filepath.Join(t.TempDir(), "prices.json")
	if err := os.WriteFile(path, []byte(`{"models": {"gpt-4.1-mini": {"input": 1, "output": 2}, "my-model": {"input": 3, "output": 4}}}`), 0o644); err != nil {
		t.Fatal(err)
	}
	q, err := llm.LoadPrices(path)
	if err != nil {
		t.Fatal(err)
	}
	if got, _ := q.Lookup("gpt-4.1-mini"); got != (llm.Price{Input: 1, Output: 2}) {
		t.Errorf("override %+v", got)
	}
	if _, ok := q.Lookup("my-model"); !ok {
		t.Error("added model missing")
	}
	if _, ok := q.Lookup("claude-sonnet-4-5"); !ok {
		t.Error("defaults lost")
	}
	if err := os.WriteFile(path, []byte(`{"models": {"x": {"input": -1}}}`), 0o644); err != nil {
		t.Fatal(err)
	}
	if _, err := llm.LoadPrices(path); err == nil {
		t.Error("negative price accepted")
	}
	if _, err := llm.LoadPrices(filepath.Join(t.TempDir(), "none.json")); err == nil {
		t.Error("missing file accepted")
	}
}
