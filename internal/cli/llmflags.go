package cli

import (
	"os"
	"path/filepath"

	"github.com/spf13/cobra"

	"github.com/reprohq/repro/internal/llm"
	"github.com/reprohq/repro/internal/workspace"
)

// llmFlags are the language-model flags of the commands that call a model
// (implement, extract --llm).
type llmFlags struct {
	Config    llm.Config
	Prices    string
	MaxCost   float64
	MaxTokens int
}

func (f *llmFlags) register(cmd *cobra.Command) {
	fl := cmd.Flags()
	fl.StringVar(&f.Config.Model, "model", "", "the model, `PROVIDER:NAME` or a name (default $REPRO_MODEL)")
	fl.StringVar(&f.Config.Provider, "provider", "", "openai (any OpenAI-compatible server) or anthropic (default: from --model)")
	fl.StringVar(&f.Config.BaseURL, "base-url", "", "the server's `URL` (default $OPENAI_BASE_URL, or the provider's)")
	fl.DurationVar(&f.Config.Timeout, "llm-timeout", 0, "timeout of one model call (default 10m)")
	fl.StringVar(&f.Prices, "prices", "", "a price table `FILE` (JSON) instead of the built-in one")
	fl.Float64Var(&f.MaxCost, "max-cost", 0, "stop cleanly once this many US dollars are spent (0: no cap)")
	fl.IntVar(&f.MaxTokens, "max-tokens", 0, "stop cleanly once this many tokens are used (0: no cap)")
}

// meter builds the model, metered against the budget: flags first, then
// the llm: settings of the repro.yaml in dir (when there is one), then the
// environment.
func (f *llmFlags) meter(dir string) (*llm.Meter, error) {
	if _, err := os.Stat(filepath.Join(dir, workspace.ConfigName)); err == nil {
		ws, err := workspace.Open(dir, false)
		if err != nil {
			return nil, err
		}
		l := ws.Config.Settings.LLM
		fill := func(dst *string, v string) {
			if *dst == "" {
				*dst = v
			}
		}
		fill(&f.Config.Provider, l.Provider)
		fill(&f.Config.Model, l.Model)
		fill(&f.Config.BaseURL, l.BaseURL)
		if f.Prices == "" && l.Prices != "" {
			f.Prices = filepath.Join(dir, l.Prices)
		}
		if f.MaxCost == 0 {
			f.MaxCost = l.MaxCost
		}
		if f.MaxTokens == 0 {
			f.MaxTokens = l.MaxTokens
		}
	}
	cfg := llm.FromEnv(f.Config)
	if f.Prices != "" {
		p, err := llm.LoadPrices(f.Prices)
		if err != nil {
			return nil, err
		}
		cfg.Prices = p
	}
	model, err := llm.New(cfg)
	if err != nil {
		return nil, err
	}
	return llm.NewMeter(model, llm.Budget{MaxCost: f.MaxCost, MaxTokens: f.MaxTokens}), nil
}
