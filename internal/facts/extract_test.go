package facts_test

import (
	"context"
	"encoding/json"
	"path/filepath"
	"testing"

	"github.com/reprohq/repro"
	"github.com/reprohq/repro/doc"
	"github.com/reprohq/repro/internal/facts"
	"github.com/reprohq/repro/internal/golden"
)

// TestExtractPaper runs the whole pipeline (reader, then facts) on a small
// paper and compares the three lists with a golden file.
func TestExtractPaper(t *testing.T) {
	d, err := repro.Extract(context.Background(), filepath.Join("testdata", "paper"), repro.Options{})
	if err != nil {
		t.Fatal(err)
	}
	if len(d.Text) == 0 {
		t.Fatal("the reader gave no prose (doc.Document.Text)")
	}
	got, err := json.MarshalIndent(struct {
		Hyperparameters []doc.Hyperparameter `json:"hyperparameters"`
		Datasets        []doc.Dataset        `json:"datasets"`
		Metrics         []doc.Metric         `json:"metrics"`
	}{d.Hyperparameters, d.Datasets, d.Metrics}, "", "  ")
	if err != nil {
		t.Fatal(err)
	}
	golden.Check(t, filepath.Join("testdata", "paper.golden.json"), append(got, '\n'))

	// Extract is idempotent: it replaces the lists.
	n := len(d.Hyperparameters)
	facts.Extract(d)
	if len(d.Hyperparameters) != n {
		t.Errorf("a second Extract gave %d hyperparameters, want %d", len(d.Hyperparameters), n)
	}
}

// TestExtractEmpty checks that a document without prose or tables gets
// empty, non-nil lists.
func TestExtractEmpty(t *testing.T) {
	d := doc.New()
	facts.Extract(d)
	if d.Hyperparameters == nil || d.Datasets == nil || d.Metrics == nil {
		t.Fatal("nil lists")
	}
	if len(d.Hyperparameters)+len(d.Datasets)+len(d.Metrics) != 0 {
		t.Fatal("facts from nothing")
	}
}
