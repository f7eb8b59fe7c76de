// Package llm is repro's access to language models: one Model interface
// over the providers (OpenAI-compatible servers through the official
// openai-go SDK: OpenAI, vLLM, Ollama, llama.cpp, LM Studio, OpenRouter;
// Anthropic through the official anthropic-sdk-go), with retries, timeouts,
// streaming, token accounting and a cost cap.
package llm

import (
	"context"
	"errors"
)

// Message is one turn of a conversation.
type Message struct {
	Role    string `json:"role"` // "user" or "assistant"
	Content string `json:"content"`
}

// Request is one call to a model.
type Request struct {
	System    string    `json:"system,omitempty"`
	Messages  []Message `json:"messages"`
	MaxTokens int       `json:"max_tokens,omitempty"` // 0: the provider's default
	// JSON asks for a JSON object as the answer (response_format on
	// OpenAI-compatible servers, an instruction on Anthropic).
	JSON bool `json:"json,omitempty"`
	// Stage and Paper label the call in the cost report ("extract",
	// "implement"; a paper id).
	Stage string `json:"stage,omitempty"`
	Paper string `json:"paper,omitempty"`
}

// Usage is what a call consumed.
type Usage struct {
	InputTokens  int `json:"input_tokens"`
	OutputTokens int `json:"output_tokens"`
}

// Response is a model's answer.
type Response struct {
	Text  string `json:"text"`
	Model string `json:"model"`
	Usage Usage  `json:"usage"`
	// Cost is the call's cost in US dollars from the price table (0 when
	// the model has no price).
	Cost float64 `json:"cost"`
}

// Model is a language model.
type Model interface {
	Complete(ctx context.Context, req Request) (*Response, error)
	// Name is the provider and model, "openai:gpt-4.1-mini".
	Name() string
}

// ErrBudget is returned (wrapped) when a call would exceed the budget:
// the run stops cleanly and can be resumed with a larger one.
var ErrBudget = errors.New("budget exhausted")
