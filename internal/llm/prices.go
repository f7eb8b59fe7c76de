package llm

import (
	_ "embed"
	"encoding/json"
	"fmt"
	"maps"
	"os"
	"strings"
)

//go:embed prices.json
var defaultPricesJSON []byte

// Price is a model's price in US dollars per million tokens.
type Price struct {
	Input  float64 `json:"input"`
	Output float64 `json:"output"`
}

// PriceTable prices models by name: an exact match, else the longest
// listed name the model starts with ("gpt-4.1-mini-2025-04-14" is priced
// as "gpt-4.1-mini"). A model not listed costs 0.
type PriceTable struct {
	Comment string           `json:"comment,omitempty"`
	Updated string           `json:"updated,omitempty"`
	Models  map[string]Price `json:"models"`
}

// DefaultPrices is the table kept in the repository (prices.json).
func DefaultPrices() *PriceTable {
	t, err := parsePrices(defaultPricesJSON)
	if err != nil {
		panic("llm: embedded prices.json: " + err.Error())
	}
	return t
}

func parsePrices(b []byte) (*PriceTable, error) {
	var t PriceTable
	if err := json.Unmarshal(b, &t); err != nil {
		return nil, err
	}
	for name, p := range t.Models {
		if p.Input < 0 || p.Output < 0 {
			return nil, fmt.Errorf("model %q has a negative price", name)
		}
	}
	if t.Models == nil {
		t.Models = map[string]Price{}
	}
	return &t, nil
}

// LoadPrices reads a price file of prices.json's shape and lays it over the
// default table: its models are added or replace the default ones.
func LoadPrices(path string) (*PriceTable, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("llm: price table: %w", err)
	}
	over, err := parsePrices(b)
	if err != nil {
		return nil, fmt.Errorf("llm: price table %s: %w", path, err)
	}
	t := DefaultPrices()
	maps.Copy(t.Models, over.Models)
	if over.Updated != "" {
		t.Updated = over.Updated
	}
	return t, nil
}

// Lookup finds a model's price.
func (t *PriceTable) Lookup(model string) (Price, bool) {
	if t == nil || model == "" {
		return Price{}, false
	}
	if p, ok := t.Models[model]; ok {
		return p, true
	}
	best, found := "", false
	for name := range t.Models {
		if strings.HasPrefix(model, name) && len(name) > len(best) {
			best, found = name, true
		}
	}
	return t.Models[best], found
}

// Cost prices usage by the first of the model names that is listed (the
// model the server reported, then the one asked for); 0 when none is.
func (t *PriceTable) Cost(u Usage, names ...string) float64 {
	for _, n := range names {
		if p, ok := t.Lookup(n); ok {
			return (float64(u.InputTokens)*p.Input + float64(u.OutputTokens)*p.Output) / 1e6
		}
	}
	return 0
}

func (c Config) priceTable() *PriceTable {
	if c.Prices != nil {
		return c.Prices
	}
	return DefaultPrices()
}
