package workspace

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/reprohq/repro/doc"
	"github.com/reprohq/repro/internal/atomicfile"
	_ "github.com/reprohq/repro/internal/golden" // registers -update
	"github.com/reprohq/repro/internal/source"
)

// copyDir copies a source folder so that a test may modify it.
func copyDir(t *testing.T, from, to string) {
	t.Helper()
	err := filepath.WalkDir(from, func(p string, d os.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(from, p)
		dst := filepath.Join(to, rel)
		if d.IsDir() {
			return os.MkdirAll(dst, 0o755)
		}
		data, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		return atomicfile.WriteFile(dst, data)
	})
	if err != nil {
		t.Fatal(err)
	}
}

func TestNewAddIncremental(t *testing.T) {
	ctx := context.Background()
	tmp := t.TempDir()
	src := filepath.Join(tmp, "src", "tinyformer")
	copyDir(t, "../../examples/tinyformer", src)
	dir := filepath.Join(tmp, "ws")

	w, err := Open(dir, true)
	if err != nil {
		t.Fatal(err)
	}
	var events []Event
	res, err := w.Add(ctx, []string{src}, Options{Progress: func(e Event) { events = append(events, e) }, Generator: "test"})
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Extracted) != 1 || res.Extracted[0] != "tinyformer" || len(res.Failed) != 0 {
		t.Fatalf("first add: %+v", res)
	}
	for _, f := range []string{ConfigName, "papers/tinyformer.context.md", "papers/tinyformer.context.json", "IMPLEMENTATION_PLAN.md", "plan.json"} {
		if _, err := os.Stat(filepath.Join(dir, f)); err != nil {
			t.Errorf("missing %s: %v", f, err)
		}
	}
	if len(events) == 0 || events[len(events)-1].Kind != "plan" {
		t.Errorf("progress events: %+v", events)
	}

	// Re-opening and re-running extracts nothing.
	w2, err := Open(dir, false)
	if err != nil {
		t.Fatal(err)
	}
	if len(w2.Config.Papers) != 1 || w2.Config.Papers[0].Hash == "" || w2.Config.Papers[0].Title == "" {
		t.Fatalf("repro.yaml: %+v", w2.Config)
	}
	res, err = w2.Add(ctx, nil, Options{})
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Unchanged) != 1 || len(res.Extracted) != 0 {
		t.Fatalf("second run: %+v", res)
	}

	// A changed source is extracted again.
	p := filepath.Join(src, "sections", "intro.tex")
	data, _ := os.ReadFile(p)
	if err := os.WriteFile(p, append(data, []byte("\n% changed\n")...), 0o644); err != nil {
		t.Fatal(err)
	}
	res, err = w2.Add(ctx, nil, Options{})
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Extracted) != 1 {
		t.Fatalf("after a change: %+v", res)
	}
}

func TestOpenErrors(t *testing.T) {
	if _, err := Open(t.TempDir(), false); err == nil || !strings.Contains(err.Error(), "not a repro workspace") {
		t.Errorf("Open of an empty folder: %v", err)
	}
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, ConfigName), []byte("papers: [\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	if _, err := Open(dir, false); err == nil {
		t.Error("a broken repro.yaml was accepted")
	}
	w, _ := Open(t.TempDir(), true)
	if _, err := w.Add(context.Background(), []string{"no/such/paper"}, Options{}); err == nil {
		t.Error("a missing source was accepted")
	}
}

// fakeRemote serves bundles by arXiv ID, or an error.
type fakeRemote struct {
	bundles map[string]*source.Bundle
	asked   []string
}

func (f *fakeRemote) Parse(s string) (string, string, bool) { return "", "", false }

func (f *fakeRemote) Bundle(_ context.Context, s string) (*source.Bundle, error) {
	f.asked = append(f.asked, s)
	if b, ok := f.bundles[s]; ok {
		return b, nil
	}
	return nil, errors.New("offline and not in the cache")
}

// TestPreferLaTeX: a PDF that names its arXiv paper is read from arXiv's
// LaTeX source when it can be had, and says so; otherwise the PDF's
// document stays, with a warning saying why.
func TestPreferLaTeX(t *testing.T) {
	tex := "\\documentclass{article}\\begin{document}\\section{Intro}\\begin{equation}a=b\\label{e}\\end{equation}\\end{document}\n"
	latex, err := source.FromBytes("2401.00001v1.tex", []byte(tex), source.Options{})
	if err != nil {
		t.Fatal(err)
	}
	pdfOnly, err := source.FromBytes("2401.00002v1.pdf", []byte("%PDF-1.5\n"), source.Options{})
	if err != nil {
		t.Fatal(err)
	}
	remote := &fakeRemote{bundles: map[string]*source.Bundle{"2401.00001": latex, "2401.00002": pdfOnly}}
	w := &Workspace{}
	tests := []struct {
		id       string
		wantVia  string
		wantKind string
		warning  string
	}{
		{"2401.00001", "arxiv-latex", "latex", "its LaTeX source from arXiv was read instead"},
		{"2401.00002", "", "pdf", "arXiv has only a PDF of it"},
		{"2401.00003", "", "pdf", "offline and not in the cache"},
	}
	for _, tc := range tests {
		t.Run(tc.id, func(t *testing.T) {
			d := doc.New()
			d.ArxivID = tc.id
			d.Source = doc.Source{Kind: "pdf", Path: "paper.pdf"}
			got := w.preferLaTeX(context.Background(), d, Options{Remote: remote, Generator: "test"})
			if got.Source.Via != tc.wantVia || got.Source.Kind != tc.wantKind {
				t.Errorf("via %q kind %q, want %q %q", got.Source.Via, got.Source.Kind, tc.wantVia, tc.wantKind)
			}
			if tc.wantVia != "" && (len(got.Equations) != 1 || got.ArxivID != tc.id) {
				t.Errorf("the LaTeX document: %d equations, arXiv %q", len(got.Equations), got.ArxivID)
			}
			found := false
			for _, w := range got.Warnings {
				if strings.Contains(w.Message, tc.warning) {
					found = true
				}
			}
			if !found {
				t.Errorf("no warning %q in %+v", tc.warning, got.Warnings)
			}
			if msg := readFrom(got); tc.wantVia != "" && !strings.Contains(msg, "arXiv's LaTeX source") || tc.wantVia == "" && !strings.Contains(msg, "the PDF") {
				t.Errorf("progress note %q", msg)
			}
		})
	}
}
