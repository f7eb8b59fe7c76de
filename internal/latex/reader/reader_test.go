package reader

import (
	"fmt"
	"os"
	"path"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"golang.org/x/tools/txtar"

	"github.com/reprohq/repro/doc"
	"github.com/reprohq/repro/internal/golden"
)

// mapFiles is an in-memory bundle for tests.
type mapFiles map[string][]byte

func (m mapFiles) ReadFile(name string) ([]byte, bool) {
	b, ok := m[name]
	return b, ok
}

func (m mapFiles) Resolve(from, name string, exts ...string) (string, bool) {
	if strings.HasPrefix(name, "/") {
		return "", false
	}
	for _, p := range strings.Split(name, "/") {
		if p == ".." {
			return "", false
		}
	}
	name = path.Clean(name)
	cands := []string{name}
	for _, e := range exts {
		cands = append(cands, name+e)
	}
	for _, c := range cands {
		if _, ok := m[c]; ok {
			return c, true
		}
	}
	return "", false
}

// summary renders what the reader found in a compact, reviewable form.
func summary(d *doc.Document) string {
	var b strings.Builder
	if d.Title != "" {
		fmt.Fprintf(&b, "title %s\n", d.Title)
	}
	for _, a := range d.Authors {
		fmt.Fprintf(&b, "author %s\n", a)
	}
	if d.Abstract != "" {
		fmt.Fprintf(&b, "abstract %s\n", d.Abstract)
	}
	for _, s := range d.Sections {
		fmt.Fprintf(&b, "sec %q level=%d %s\n", s.Number, s.Level, s.Title)
	}
	for _, e := range d.Equations {
		num := "-"
		if e.Number != nil {
			num = *e.Number
		}
		fmt.Fprintf(&b, "eq %s %v env=%s sec=%q", num, e.Labels, e.Env, e.Section)
		if e.Tag != "" {
			fmt.Fprintf(&b, " tag=%q", e.Tag)
		}
		fmt.Fprintf(&b, "\n  latex: %s\n  expanded: %s\n", oneLine(e.LaTeX), oneLine(e.LaTeXExpanded))
		if e.Context.Before != "" || e.Context.After != "" {
			fmt.Fprintf(&b, "  before: %s\n  after: %s\n", e.Context.Before, e.Context.After)
		}
		for _, r := range e.ReferencedIn {
			fmt.Fprintf(&b, "  ref: %s in %q\n", r.Command, r.Section)
		}
	}
	for _, f := range d.Figures {
		fmt.Fprintf(&b, "fig %q [%s] %s\n", f.Number, f.Label, f.Caption)
		for _, s := range f.Subfigures {
			fmt.Fprintf(&b, "  sub %q [%s] %s\n", s.Number, s.Label, s.Caption)
		}
	}
	for _, t := range d.Tables {
		fmt.Fprintf(&b, "tab %q [%s] %s rows=%d\n", t.Number, t.Label, t.Caption, len(t.Rows))
	}
	for _, a := range d.Algorithms {
		fmt.Fprintf(&b, "alg %q [%s] %s steps=%d\n", a.Number, a.Label, a.Caption, len(a.Steps))
	}
	keys := make([]string, 0, len(d.Labels))
	for k := range d.Labels {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		l := d.Labels[k]
		fmt.Fprintf(&b, "label %s = %q (%s)\n", k, l.Number, l.Kind)
	}
	for _, r := range d.References {
		fmt.Fprintf(&b, "bib %s cited=%d in=%v arxiv=%s\n", r.Key, r.Cited, r.CitedIn, r.ArxivID)
	}
	for _, w := range d.Warnings {
		fmt.Fprintf(&b, "warn %s:%d: %s\n", w.File, w.Line, w.Message)
	}
	return b.String()
}

func oneLine(s string) string { return strings.ReplaceAll(s, "\n", "⏎") }

// TestCases runs every testdata/*.txtar: the files other than "want" are
// the paper (main.tex is the main file), "want" is the expected summary.
func TestCases(t *testing.T) {
	files, err := filepath.Glob("testdata/*.txtar")
	if err != nil || len(files) == 0 {
		t.Fatalf("no test cases: %v", err)
	}
	for _, file := range files {
		t.Run(strings.TrimSuffix(filepath.Base(file), ".txtar"), func(t *testing.T) {
			a, err := txtar.ParseFile(file)
			if err != nil {
				t.Fatal(err)
			}
			fs := mapFiles{}
			wantIdx := -1
			for i, f := range a.Files {
				if f.Name == "want" {
					wantIdx = i
					continue
				}
				fs[f.Name] = f.Data
			}
			got := summary(Read(fs, "main.tex", Options{MaxExpansions: 100000, MaxTokens: 1_000_000}))
			if *golden.Update {
				if wantIdx < 0 {
					a.Files = append(a.Files, txtar.File{Name: "want"})
					wantIdx = len(a.Files) - 1
				}
				a.Files[wantIdx].Data = []byte(got)
				if err := os.WriteFile(file, txtar.Format(a), 0o644); err != nil {
					t.Fatal(err)
				}
				return
			}
			if wantIdx < 0 {
				t.Fatalf("%s has no want section; run go test -update", file)
			}
			if want := string(a.Files[wantIdx].Data); got != want {
				t.Errorf("%s: summary differs\n--- got\n%s\n--- want\n%s", file, got, want)
			}
		})
	}
}
