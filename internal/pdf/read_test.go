package pdf

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"math"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/reprohq/repro/internal/xerr"
)

// buildPDF writes a PDF whose objects 1..n are objs (object 1 is the
// catalog), with a correct cross-reference table.
func buildPDF(objs ...string) []byte {
	var b bytes.Buffer
	b.WriteString("%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
	offsets := make([]int, len(objs))
	for i, o := range objs {
		offsets[i] = b.Len()
		fmt.Fprintf(&b, "%d 0 obj\n%s\nendobj\n", i+1, o)
	}
	xref := b.Len()
	fmt.Fprintf(&b, "xref\n0 %d\n0000000000 65535 f \n", len(objs)+1)
	for _, off := range offsets {
		fmt.Fprintf(&b, "%010d 00000 n \n", off)
	}
	fmt.Fprintf(&b, "trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n", len(objs)+1, xref)
	return b.Bytes()
}

func stream(s string) string {
	return fmt.Sprintf("<< /Length %d >>\nstream\n%s\nendstream", len(s), s)
}

// onePage is a 200 × 100 pt page with the given content stream and
// Helvetica as /F1.
func onePage(content string) []byte {
	return buildPDF(
		"<< /Type /Catalog /Pages 2 0 R >>",
		"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
		"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 200 100] /Contents 4 0 R /Resources << /Font << /F1 5 0 R >> >> >>",
		stream(content),
		"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>",
	)
}

var (
	helloPDF  = onePage(`BT /F1 12 Tf 20 50 Td (Hello \(1\)) Tj ET`)
	rectPDF   = onePage(`0 0 1 rg 10 10 100 50 re f`)
	noPagePDF = buildPDF(
		"<< /Type /Catalog /Pages 2 0 R >>",
		"<< /Type /Pages /Kids [] /Count 0 >>",
	)
)

func readFixture(t testing.TB, name string) []byte {
	t.Helper()
	data, err := os.ReadFile(filepath.Join("testdata", name))
	if err != nil {
		t.Fatal(err)
	}
	return data
}

func TestHello(t *testing.T) {
	_, err := Read(context.Background(), "hello.pdf", helloPDF, Options{MaxPages: 1})
	if err == nil || !strings.Contains(err.Error(), "no text layer") {
		// Nine characters on one page is below the scanned threshold.
		t.Fatalf("Read(hello) = %v, want a no-text-layer error", err)
	}
	// The characters themselves, without the text-layer check.
	f, err := readNoCheck(t, helloPDF)
	if err != nil {
		t.Fatal(err)
	}
	if len(f.Pages) != 1 || f.Pages[0].Width != 200 || f.Pages[0].Height != 100 {
		t.Fatalf("pages: %+v", f.Pages)
	}
	chars := f.Pages[0].Chars
	var text strings.Builder
	for _, c := range chars {
		text.WriteRune(c.R)
	}
	if text.String() != "Hello (1)" {
		t.Fatalf("text = %q, want %q", text.String(), "Hello (1)")
	}
	// Helvetica's widths in 1/1000 em, at 12 pt.
	widths := []float64{722, 556, 222, 222, 556, 278, 333, 556, 333}
	x := 20.0
	for i, c := range chars {
		if c.Font != "Helvetica" || c.Size != 12 || c.Generated || c.Italic || c.Angle != 0 {
			t.Errorf("char %d %q: font %q size %v generated %v italic %v angle %v", i, c.R, c.Font, c.Size, c.Generated, c.Italic, c.Angle)
		}
		if math.Abs(c.OX-x) > 0.01 || math.Abs(c.OY-50) > 0.01 {
			t.Errorf("char %d %q: origin (%v, %v), want (%v, 50)", i, c.R, c.OX, c.OY, x)
		}
		w := widths[i] * 12 / 1000
		if math.Abs(c.X0-x) > 0.01 || math.Abs(c.X1-(x+w)) > 0.01 {
			t.Errorf("char %d %q: x %v..%v, want %v..%v", i, c.R, c.X0, c.X1, x, x+w)
		}
		// The loose box spans the font's ascent and descent around the
		// baseline (y grows downwards).
		if !(c.Y0 < 50-7 && c.Y0 > 50-12 && c.Y1 > 50 && c.Y1 < 50+4) {
			t.Errorf("char %d %q: y %v..%v, want about 39..53", i, c.R, c.Y0, c.Y1)
		}
		if c.Weight != 0 && (c.Weight < 300 || c.Weight > 500) {
			t.Errorf("char %d %q: weight %d", i, c.R, c.Weight)
		}
		x += w
	}
}

// readNoCheck reads data without the no-text-layer check.
func readNoCheck(t *testing.T, data []byte) (*File, error) {
	t.Helper()
	r := &reader{name: "test.pdf", data: data, opts: Options{}.withDefaults(), file: &File{}}
	err := r.run(context.Background())
	var xe *xerr.Error
	if errors.As(err, &xe) && strings.Contains(xe.Msg, "no text layer") {
		err = nil
	}
	return r.file, err
}

// TestBroken checks the error of every kind of bad input.
func TestBroken(t *testing.T) {
	tiny := readFixture(t, "tinyformer.pdf")
	garbage := make([]byte, 4096)
	rng := rand.New(rand.NewPCG(1, 2))
	for i := range garbage {
		garbage[i] = byte(rng.IntN(256))
	}
	tests := []struct {
		name string
		data []byte
		opts Options
		want string // a part of the message
		hint string // a part of the hint
	}{
		{"empty", nil, Options{}, "is empty, not a PDF file", "LaTeX source"},
		{"garbage", garbage, Options{}, "is not a PDF file", "LaTeX source"},
		{"html", []byte("<!DOCTYPE html><html><body>Not found</body></html>"), Options{}, "is not a PDF file", "LaTeX source"},
		{"garbage with header", append([]byte("%PDF-1.5\n"), garbage...), Options{}, "the file is damaged", "download it again"},
		{"header only", []byte("%PDF-1.7\n"), Options{}, "the file is damaged", "download it again"},
		{"truncated to 100 bytes", tiny[:100], Options{}, "the file is damaged", "download it again"},
		{"truncated to 1000 bytes", tiny[:1000], Options{}, "the file is damaged", "download it again"},
		{"zero pages", noPagePDF, Options{}, "the PDF has no pages", "download it again"},
		{"encrypted", readFixture(t, "encrypted.pdf"), Options{}, "the PDF is password-protected", "qpdf --decrypt"},
		{"no text", rectPDF, Options{}, "has no text layer; it looks scanned", "ocrmypdf"},
		{"too big", tiny, Options{MaxBytes: 1000}, "the PDF is too big (0.4 MB; the limit is 1000 bytes)", "qpdf"},
		{"too many pages", tiny, Options{MaxPages: 3}, "the PDF has 9 pages; the limit is 3", "qpdf"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f, err := Read(context.Background(), "in.pdf", tt.data, tt.opts)
			if err == nil {
				t.Fatalf("no error; %d pages", len(f.Pages))
			}
			var xe *xerr.Error
			if !errors.As(err, &xe) || xe.Kind != xerr.KindInput {
				t.Fatalf("error %v (%T) is not an input *xerr.Error", err, err)
			}
			if !strings.Contains(xe.Msg, tt.want) || !strings.Contains(xe.Hint, tt.hint) || xe.File != "in.pdf" {
				t.Errorf("error %q (hint %q), want %q (hint %q)", err, xe.Hint, tt.want, tt.hint)
			}
			t.Logf("%v\n\thint: %s", err, xe.Hint)
		})
	}
}

// TestTruncated reads copies of the fixture cut at many lengths: each is
// read, with a warning, or fails with an input error; nothing panics.
func TestTruncated(t *testing.T) {
	tiny := readFixture(t, "tinyformer.pdf")
	for _, frac := range []float64{0.001, 0.01, 0.1, 0.25, 0.5, 0.75, 0.9, 0.99, 0.999} {
		n := int(float64(len(tiny)) * frac)
		f, err := Read(context.Background(), "cut.pdf", tiny[:n], Options{})
		if err != nil {
			if xerr.KindOf(err) != xerr.KindInput {
				t.Errorf("%d bytes: %v is not an input error", n, err)
			}
			t.Logf("%d bytes: %v", n, err)
			continue
		}
		if len(f.Warnings) == 0 {
			t.Errorf("%d bytes: read with no warning", n)
		}
		t.Logf("%d bytes: %d pages, warnings %q", n, len(f.Pages), f.Warnings)
	}
}

func TestOpenErrors(t *testing.T) {
	_, err := Open(context.Background(), filepath.Join(t.TempDir(), "missing.pdf"), Options{})
	if xerr.KindOf(err) != xerr.KindInput || !strings.Contains(err.Error(), "cannot read the PDF") {
		t.Errorf("missing file: %v", err)
	}
	_, err = Open(context.Background(), t.TempDir(), Options{})
	if xerr.KindOf(err) != xerr.KindInput || !strings.Contains(err.Error(), "is a folder") {
		t.Errorf("folder: %v", err)
	}
	_, err = Open(context.Background(), filepath.Join("testdata", "tinyformer.pdf"), Options{MaxBytes: 10})
	if xerr.KindOf(err) != xerr.KindInput || !strings.Contains(err.Error(), "too big") {
		t.Errorf("too big: %v", err)
	}
}

// TestTinyformer checks the real-paper fixture: text, fonts, named
// destinations and the links that point at them.
func TestTinyformer(t *testing.T) {
	f, err := Open(context.Background(), filepath.Join("testdata", "tinyformer.pdf"), Options{})
	if err != nil {
		t.Fatal(err)
	}
	if len(f.Pages) != 9 || len(f.Warnings) != 0 {
		t.Fatalf("%d pages, warnings %q", len(f.Pages), f.Warnings)
	}
	var text strings.Builder
	fonts := map[string]bool{}
	for _, c := range f.Pages[0].Chars {
		text.WriteRune(c.R)
		fonts[c.Font] = true
	}
	if !strings.Contains(text.String(), "TinyFormer: Gated Residual Attention") {
		t.Errorf("page 1 text: %.200q", text.String())
	}
	for _, font := range []string{"CMR10", "CMMI10", "CMBX12"} {
		if !fonts[font] {
			t.Errorf("font %s not on page 1: %v", font, fonts)
		}
	}
	dests := map[string]Dest{}
	for _, d := range f.Dests {
		dests[d.Name] = d
	}
	if d, ok := dests["section.1"]; !ok || d.Page != 1 || !d.HasXY || d.Y <= 0 || d.Y >= f.Pages[0].Height {
		t.Errorf("dest section.1 = %+v (found %v)", d, ok)
	}
	cites, sections := 0, 0
	for _, p := range f.Pages {
		for _, l := range p.Links {
			if strings.HasPrefix(l.Dest, "cite.") {
				cites++
				if _, ok := dests[l.Dest]; !ok || l.Page == 0 {
					t.Errorf("link to %s: no such dest or no page (%+v)", l.Dest, l)
				}
			}
			if strings.HasPrefix(l.Dest, "section.") {
				sections++
			}
			if l.X1 <= l.X0 || l.Y1 <= l.Y0 || l.Y0 < 0 || l.Y1 > p.Height {
				t.Errorf("page %d: link box %+v", p.Number, l)
			}
		}
	}
	if cites == 0 {
		t.Error("no citation links")
	}
	t.Logf("%d dests, %d cite links, %d section links", len(f.Dests), cites, sections)
}

// TestPageTimeout makes page 2 hang: it is skipped with a warning, and the
// pages after it are read in a fresh worker.
func TestPageTimeout(t *testing.T) {
	opts := Options{PageTimeout: 300 * time.Millisecond, beforePage: func(page int) {
		if page == 1 {
			time.Sleep(2 * time.Second)
		}
	}}
	start := time.Now()
	f, err := Read(context.Background(), "tiny.pdf", readFixture(t, "tinyformer.pdf"), opts)
	if err != nil {
		t.Fatal(err)
	}
	if d := time.Since(start); d > 1500*time.Millisecond {
		t.Errorf("took %v: the timeout did not cut the page short", d)
	}
	if len(f.Pages[1].Chars) != 0 || len(f.Pages[0].Chars) == 0 || len(f.Pages[2].Chars) == 0 || len(f.Pages[8].Chars) == 0 {
		t.Errorf("chars per page: %d %d %d ... %d", len(f.Pages[0].Chars), len(f.Pages[1].Chars), len(f.Pages[2].Chars), len(f.Pages[8].Chars))
	}
	if len(f.Warnings) != 1 || !strings.Contains(f.Warnings[0], "page 2 skipped: reading it took longer than 300ms") {
		t.Errorf("warnings %q", f.Warnings)
	}
	if len(f.Dests) == 0 || len(f.Pages[2].Links) == 0 {
		t.Errorf("%d dests, %d links on page 3 after the restart", len(f.Dests), len(f.Pages[2].Links))
	}
}

func TestCancel(t *testing.T) {
	data := readFixture(t, "tinyformer.pdf")
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := Read(ctx, "tiny.pdf", data, Options{}); !errors.Is(err, context.Canceled) {
		t.Errorf("cancelled before: %v", err)
	}
	ctx, cancel = context.WithCancel(context.Background())
	defer cancel()
	opts := Options{beforePage: func(page int) {
		if page == 3 {
			cancel()
			time.Sleep(time.Second)
		}
	}}
	start := time.Now()
	if _, err := Read(ctx, "tiny.pdf", data, opts); !errors.Is(err, context.Canceled) {
		t.Errorf("cancelled during: %v", err)
	}
	if d := time.Since(start); d > 900*time.Millisecond {
		t.Errorf("cancellation took %v", d)
	}
}

// TestConcurrent reads the fixture from several goroutines.
func TestConcurrent(t *testing.T) {
	data := readFixture(t, "tinyformer.pdf")
	want, err := Read(context.Background(), "tiny.pdf", data, Options{})
	if err != nil {
		t.Fatal(err)
	}
	errs := make(chan error, 6)
	for range cap(errs) {
		go func() {
			f, err := Read(context.Background(), "tiny.pdf", data, Options{})
			if err == nil && len(f.Pages[4].Chars) != len(want.Pages[4].Chars) {
				err = fmt.Errorf("page 5: %d chars, want %d", len(f.Pages[4].Chars), len(want.Pages[4].Chars))
			}
			errs <- err
		}()
	}
	for range cap(errs) {
		if err := <-errs; err != nil {
			t.Error(err)
		}
	}
}

func TestItalicName(t *testing.T) {
	for name, want := range map[string]bool{
		"CMMI10": true, "CMTI10": true, "CMBXTI10": true, "CMMIB10": true, "SFTI1095": true,
		"NimbusRomNo9L-ReguItal": true, "LMRoman10-Italic": true, "LMMathItalic10-Regular": true,
		"MinionPro-It": true, "Helvetica-Oblique": true,
		"CMR10": false, "CMSY10": false, "CMBX12": false, "NimbusRomNo9L-Regu": false, "LMRoman10-Regular": false,
		"Helvetica": false, "SFRM1000": false,
	} {
		if got := italicName(name); got != want {
			t.Errorf("italicName(%q) = %v", name, got)
		}
	}
	if got := stripSubset("ABCDEF+CMR10"); got != "CMR10" {
		t.Errorf("stripSubset = %q", got)
	}
	if got := stripSubset("AbCDEF+CMR10"); got != "AbCDEF+CMR10" {
		t.Errorf("stripSubset = %q", got)
	}
}
