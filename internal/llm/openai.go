package llm

import (
	"context"
	"errors"
	"fmt"
	"net/url"
	"strings"

	"github.com/openai/openai-go/v3"
	"github.com/openai/openai-go/v3/option"
	"github.com/openai/openai-go/v3/shared"
)

// openAIModel speaks chat completions to any OpenAI-compatible server.
type openAIModel struct {
	cfg    Config
	client openai.Client
	prices *PriceTable
	// official is true for api.openai.com, which wants
	// max_completion_tokens where local servers know max_tokens.
	official bool
}

func newOpenAI(c Config) *openAIModel {
	opts := []option.RequestOption{
		// Set explicitly so that the SDK's own reading of OPENAI_* does not
		// override the configuration.
		option.WithAPIKey(c.APIKey),
		option.WithMaxRetries(c.retries()),
		option.WithRequestTimeout(c.timeout()),
	}
	if c.BaseURL != "" {
		opts = append(opts, option.WithBaseURL(c.BaseURL))
	} else {
		opts = append(opts, option.WithBaseURL("https://api.openai.com/v1/"))
	}
	if c.HTTPClient != nil {
		opts = append(opts, option.WithHTTPClient(c.HTTPClient))
	}
	official := c.BaseURL == ""
	if u, err := url.Parse(c.BaseURL); err == nil && u.Hostname() == "api.openai.com" {
		official = true
	}
	return &openAIModel{cfg: c, client: openai.NewClient(opts...), prices: c.priceTable(), official: official}
}

func (m *openAIModel) Name() string { return OpenAI + ":" + m.cfg.Model }

func (m *openAIModel) params(req Request) openai.ChatCompletionNewParams {
	p := openai.ChatCompletionNewParams{Model: shared.ChatModel(m.cfg.Model)}
	if req.System != "" {
		p.Messages = append(p.Messages, openai.SystemMessage(req.System))
	}
	for _, msg := range req.Messages {
		if msg.Role == "assistant" {
			p.Messages = append(p.Messages, openai.AssistantMessage(msg.Content))
		} else {
			p.Messages = append(p.Messages, openai.UserMessage(msg.Content))
		}
	}
	if req.MaxTokens > 0 {
		if m.official {
			p.MaxCompletionTokens = openai.Int(int64(req.MaxTokens))
		} else {
			p.MaxTokens = openai.Int(int64(req.MaxTokens))
		}
	}
	if req.JSON {
		p.ResponseFormat = openai.ChatCompletionNewParamsResponseFormatUnion{OfJSONObject: &shared.ResponseFormatJSONObjectParam{}}
	}
	if m.cfg.Stream {
		p.StreamOptions = openai.ChatCompletionStreamOptionsParam{IncludeUsage: openai.Bool(true)}
	}
	return p
}

func (m *openAIModel) Complete(ctx context.Context, req Request) (*Response, error) {
	if len(req.Messages) == 0 {
		return nil, fmt.Errorf("%s: request has no messages", m.Name())
	}
	a := &attempts{log: m.cfg.Log, key: redactor(m.cfg.APIKey), provider: OpenAI, model: m.cfg.Model}
	opt := option.WithMiddleware(a.middleware)
	params := m.params(req)
	resp := &Response{Model: m.cfg.Model}

	if m.cfg.Stream {
		stream := m.client.Chat.Completions.NewStreaming(ctx, params, opt)
		defer func() { _ = stream.Close() }()
		var text strings.Builder
		for stream.Next() {
			chunk := stream.Current()
			if chunk.Model != "" {
				resp.Model = chunk.Model
			}
			if len(chunk.Choices) > 0 {
				text.WriteString(chunk.Choices[0].Delta.Content)
			}
			if chunk.JSON.Usage.Valid() && (chunk.Usage.PromptTokens > 0 || chunk.Usage.CompletionTokens > 0) {
				resp.Usage = Usage{InputTokens: int(chunk.Usage.PromptTokens), OutputTokens: int(chunk.Usage.CompletionTokens)}
			}
		}
		if err := stream.Err(); err != nil {
			return nil, a.wrap(ctx, fmt.Errorf("reading the streamed answer: %w", err))
		}
		resp.Text = text.String()
	} else {
		cc, err := m.client.Chat.Completions.New(ctx, params, opt)
		if err != nil {
			return nil, a.wrap(ctx, err)
		}
		if len(cc.Choices) == 0 {
			return nil, a.wrap(ctx, errors.New("malformed answer: no choices"))
		}
		if cc.Model != "" {
			resp.Model = cc.Model
		}
		resp.Text = cc.Choices[0].Message.Content
		resp.Usage = Usage{InputTokens: int(cc.Usage.PromptTokens), OutputTokens: int(cc.Usage.CompletionTokens)}
	}
	// Models missing from the table (local ones) cost 0.
	resp.Cost = m.prices.Cost(resp.Usage, resp.Model, m.cfg.Model)
	return resp, nil
}
