package llm

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/anthropics/anthropic-sdk-go/v2"
	"github.com/anthropics/anthropic-sdk-go/v2/option"
)

// jsonInstruction is how JSON mode is asked of Anthropic, which has no
// response_format: the answer is still only text, and parsing or repairing
// it is the caller's job.
const jsonInstruction = "Answer with one JSON object only: no prose before or after it, no Markdown code fence."

// anthropicModel speaks the Messages API.
type anthropicModel struct {
	cfg    Config
	client anthropic.Client
	prices *PriceTable
}

func newAnthropic(c Config) *anthropicModel {
	opts := []option.RequestOption{
		// The configuration is resolved by FromEnv; the SDK must not add
		// its own (ANTHROPIC_*, profiles).
		option.WithoutEnvironmentDefaults(),
		option.WithMaxRetries(c.retries()),
		option.WithRequestTimeout(c.timeout()),
	}
	if c.APIKey != "" {
		opts = append(opts, option.WithAPIKey(c.APIKey))
	}
	if c.BaseURL != "" {
		opts = append(opts, option.WithBaseURL(c.BaseURL))
	}
	if c.HTTPClient != nil {
		opts = append(opts, option.WithHTTPClient(c.HTTPClient))
	}
	return &anthropicModel{cfg: c, client: anthropic.NewClient(opts...), prices: c.priceTable()}
}

func (m *anthropicModel) Name() string { return Anthropic + ":" + m.cfg.Model }

func (m *anthropicModel) params(req Request) anthropic.MessageNewParams {
	p := anthropic.MessageNewParams{Model: anthropic.Model(m.cfg.Model), MaxTokens: DefaultMaxTokens}
	if req.MaxTokens > 0 {
		p.MaxTokens = int64(req.MaxTokens)
	}
	system := req.System
	if req.JSON {
		system = strings.TrimSpace(system + "\n\n" + jsonInstruction)
	}
	if system != "" {
		p.System = []anthropic.TextBlockParam{{Text: system}}
	}
	for _, msg := range req.Messages {
		if msg.Role == "assistant" {
			p.Messages = append(p.Messages, anthropic.NewAssistantMessage(anthropic.NewTextBlock(msg.Content)))
		} else {
			p.Messages = append(p.Messages, anthropic.NewUserMessage(anthropic.NewTextBlock(msg.Content)))
		}
	}
	return p
}

func (m *anthropicModel) Complete(ctx context.Context, req Request) (*Response, error) {
	if len(req.Messages) == 0 {
		return nil, fmt.Errorf("%s: request has no messages", m.Name())
	}
	a := &attempts{log: m.cfg.Log, key: redactor(m.cfg.APIKey), provider: Anthropic, model: m.cfg.Model}
	opt := option.WithMiddleware(a.middleware)
	params := m.params(req)

	var msg anthropic.Message
	if m.cfg.Stream {
		stream := m.client.Messages.NewStreaming(ctx, params, opt)
		defer func() { _ = stream.Close() }()
		for stream.Next() {
			if err := msg.Accumulate(stream.Current()); err != nil {
				return nil, a.wrap(ctx, fmt.Errorf("malformed stream: %w", err))
			}
		}
		if err := stream.Err(); err != nil {
			return nil, a.wrap(ctx, fmt.Errorf("reading the streamed answer: %w", err))
		}
		if msg.ID == "" && msg.Model == "" {
			return nil, a.wrap(ctx, errors.New("malformed stream: no message_start event"))
		}
	} else {
		res, err := m.client.Messages.New(ctx, params, opt)
		if err != nil {
			return nil, a.wrap(ctx, err)
		}
		msg = *res
		if msg.Type != "message" && len(msg.Content) == 0 {
			return nil, a.wrap(ctx, errors.New("malformed answer: not a message"))
		}
	}

	resp := &Response{Model: m.cfg.Model}
	if msg.Model != "" {
		resp.Model = string(msg.Model)
	}
	var text strings.Builder
	for _, block := range msg.Content {
		if block.Type == "text" {
			text.WriteString(block.Text)
		}
	}
	resp.Text = text.String()
	u := msg.Usage
	resp.Usage = Usage{
		InputTokens:  int(u.InputTokens + u.CacheCreationInputTokens + u.CacheReadInputTokens),
		OutputTokens: int(u.OutputTokens),
	}
	// Models missing from the table (local ones) cost 0.
	resp.Cost = m.prices.Cost(resp.Usage, resp.Model, m.cfg.Model)
	return resp, nil
}
