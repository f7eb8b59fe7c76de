package pdfdoc

import (
	"fmt"
	"os"
	"strconv"
	"strings"
	"testing"
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
