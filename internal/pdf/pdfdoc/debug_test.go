//go:build repro_debug

// The debugging aids of the finders, built with -tags repro_debug:
//
//	PDFDOC_PAPER=<id> [PDFDOC_PAGE=n] go test -tags repro_debug -run TestDebugLines -v ./internal/pdf/pdfdoc
//	REPRO_PDFDOC_DUMP=<id> go test -tags repro_debug -run TestDumpLines ./internal/pdf/pdfdoc

package pdfdoc

import (
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/reprohq/repro/doc"
	"github.com/reprohq/repro/internal/golden"
	"github.com/reprohq/repro/internal/pdf/layout"
)

// TestDebugLines prints a corpus paper's lines with their layout, for
// looking at failures: PDFDOC_PAPER=<id> [PDFDOC_PAGE=n] go test -run
// TestDebugLines -v.
func TestDebugLines(t *testing.T) {
	id := os.Getenv("PDFDOC_PAPER")
	if id == "" {
		t.Skip("PDFDOC_PAPER not set")
	}
	f := csLoad(t, id)
	if f == nil {
		t.Skip("no dump")
	}
	page, _ := strconv.Atoi(os.Getenv("PDFDOC_PAGE"))
	if os.Getenv("PDFDOC_NODESTS") != "" {
		f.Dests = nil
	}
	p := build(f)
	d := p.D
	var b strings.Builder
	for _, s := range d.Sections {
		fmt.Fprintf(&b, "SEC %q %q L%d\n", s.Number, s.Title, s.Level)
	}
	for _, e := range d.Equations {
		fmt.Fprintf(&b, "EQ %s %q tag=%q\n   %s\n   TEXT %s\n   BEFORE %s\n   AFTER %s\n", e.ID, e.Section, e.Tag, strings.ReplaceAll(e.LaTeX, "\n", " "), strings.ReplaceAll(e.Text, "\n", " | "), e.Context.Before, e.Context.After)
	}
	if os.Getenv("PDFDOC_TEXT") != "" {
		for _, par := range d.Text {
			fmt.Fprintf(&b, "PAR [%s] %s\n", par.Section, par.Text)
		}
	}
	if os.Getenv("PDFDOC_DESTS") != "" {
		for _, ds := range f.Dests {
			if page == 0 || ds.Page == page {
				fmt.Fprintf(&b, "DEST %s p%d y=%.1f\n", ds.Name, ds.Page, ds.Y)
			}
		}
	}
	fmt.Fprintf(&b, "body=%.1f cols=%d\n", p.L.Body, p.L.Columns)
	k := 0
	for _, pg := range p.L.Pages {
		if page != 0 && pg.Number != page {
			k += len(pg.Lines)
			continue
		}
		fmt.Fprintf(&b, "=== page %d cols=%d gutter=%.1f\n", pg.Number, pg.Columns, pg.Gutter)
		for _, l := range pg.Lines {
			flag := " "
			if p.Heading[k] {
				flag = "H"
			} else if p.Used[k] {
				flag = "U"
			}
			k++
			b.WriteString(flag)
			fmt.Fprintf(&b, "c%2d y=%6.1f x=%5.1f-%5.1f s=%4.1f b=%v m=%.2f %-14.14s |", l.Column, l.Baseline, l.X0, l.X1, l.Size, l.Bold, l.Math, l.Font)
			for _, s := range l.Spans {
				fmt.Fprintf(&b, " [%s]", s.Text)
			}
			b.WriteString("\n")
		}
		for _, l := range pg.Removed {
			fmt.Fprintf(&b, "REMOVED y=%.1f x=%.1f %q\n", l.Baseline, l.X0, l.Text)
		}
	}
	t.Log(b.String())
}

// TestDumpLines writes a paper's lines with their geometry and fonts to
// a file, for debugging the finders: REPRO_PDFDOC_DUMP=paper-id.
func TestDumpLines(t *testing.T) {
	id := os.Getenv("REPRO_PDFDOC_DUMP")
	if id == "" {
		t.Skip("set REPRO_PDFDOC_DUMP to a corpus paper id")
	}
	dir := filepath.Join(golden.CorpusDir(t), id)
	f := corpusFile(t, dir, id)
	if f == nil {
		t.Skip("no PDF")
	}
	p := newPaper(layout.Analyze(f), doc.New())
	p.sections()
	var b strings.Builder
	for _, pg := range p.L.Pages {
		for _, l := range pg.Removed {
			fmt.Fprintf(&b, "REMOVED p%d (%.0f,%.0f) %q\n", pg.Number, l.X0, l.Y0, stampText(&l))
		}
	}
	for i, l := range p.Lines {
		h := " "
		if p.Heading[i] {
			h = "H"
		}
		bo := " "
		if l.Bold {
			bo = "B"
		}
		fmt.Fprintf(&b, "%5d p%d c%2d %s%s x%5.1f-%5.1f y%5.1f-%5.1f bl%5.1f s%4.1f %-20.20s sp%d sec=%s | %s\n", i, l.Page, l.Column, h, bo, l.X0, l.X1, l.Y0, l.Y1, l.Baseline, l.Size, l.Font, len(l.Spans), p.Section[i], l.Text)
		if len(l.Spans) > 1 {
			for _, s := range l.Spans {
				fmt.Fprintf(&b, "        span x%5.1f-%5.1f %q\n", s.X0, s.X1, s.Text)
			}
		}
	}
	for _, d := range p.L.Dests {
		if strings.HasPrefix(d.Name, "cite.") || strings.HasPrefix(d.Name, "table.") || strings.HasPrefix(d.Name, "figure.") {
			fmt.Fprintf(&b, "DEST %s p%d x%.1f y%.1f\n", d.Name, d.Page, d.X, d.Y)
		}
	}
	out := filepath.Join(os.TempDir(), "lines_"+id+".txt")
	if err := os.WriteFile(out, []byte(b.String()), 0o644); err != nil {
		t.Fatal(err)
	}
	t.Logf("wrote %s", out)
}
