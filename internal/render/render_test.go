package render

import (
	"bytes"
	"encoding/json"
	"math"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"testing"

	"github.com/reprohq/repro/doc"
	"github.com/reprohq/repro/internal/golden"
)

func TestGolden(t *testing.T) {
	empty := doc.New()
	cases := []struct {
		name string
		doc  *doc.Document
		opts Options
	}{
		{"fixture", fixture(), Options{Version: "v1.2.3"}},
		{"empty", empty, Options{}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			var md, js bytes.Buffer
			if err := Markdown(&md, tc.doc, tc.opts); err != nil {
				t.Fatal(err)
			}
			if err := JSON(&js, tc.doc); err != nil {
				t.Fatal(err)
			}
			golden.Check(t, filepath.Join("testdata", tc.name+".md"), md.Bytes())
			golden.Check(t, filepath.Join("testdata", tc.name+".json"), js.Bytes())
		})
	}
}

func TestDeterministicAndPure(t *testing.T) {
	d := fixture()
	before := fixture()
	var a, b bytes.Buffer
	for _, buf := range []*bytes.Buffer{&a, &b} {
		if err := Markdown(buf, d, Options{Version: "v1"}); err != nil {
			t.Fatal(err)
		}
		if err := JSON(buf, d); err != nil {
			t.Fatal(err)
		}
	}
	if !bytes.Equal(a.Bytes(), b.Bytes()) {
		t.Error("rendering twice gave different output")
	}
	if !reflect.DeepEqual(d, before) {
		t.Error("rendering modified the document")
	}
}

func TestJSON(t *testing.T) {
	var buf bytes.Buffer
	if err := JSON(&buf, fixture()); err != nil {
		t.Fatal(err)
	}
	out := buf.String()

	t.Run("format", func(t *testing.T) {
		if !strings.HasSuffix(out, "}\n") || strings.HasSuffix(out, "\n\n") {
			t.Errorf("want exactly one trailing newline, got %q", out[max(0, len(out)-5):])
		}
		if !strings.Contains(out, "\n  \"schema_version\": \"1.0\",\n") {
			t.Error("want 2-space indentation")
		}
	})
	t.Run("no HTML escaping", func(t *testing.T) {
		for _, s := range []string{`<small>`, `& show`, `\u003c`, `\u0026`} {
			want := !strings.HasPrefix(s, `\u`)
			if got := strings.Contains(out, s); got != want {
				t.Errorf("contains %q = %v, want %v", s, got, want)
			}
		}
	})
	t.Run("contract fields", func(t *testing.T) {
		var m map[string]json.RawMessage
		if err := json.Unmarshal(buf.Bytes(), &m); err != nil {
			t.Fatal(err)
		}
		for _, k := range []string{
			"schema_version", "source", "title", "authors", "abstract", "keywords",
			"arxiv_id", "date", "sections", "equations", "algorithms", "tables",
			"figures", "references", "macros", "warnings", "stats",
		} {
			if _, ok := m[k]; !ok {
				t.Errorf("missing field %q", k)
			}
		}
	})
	t.Run("round trip", func(t *testing.T) {
		var back doc.Document
		if err := json.Unmarshal(buf.Bytes(), &back); err != nil {
			t.Fatal(err)
		}
		if !reflect.DeepEqual(&back, normalize(fixture())) {
			t.Error("decoding the JSON does not give back the document")
		}
	})
}

func TestJSONArraysNeverNull(t *testing.T) {
	d := &doc.Document{ // a document not built with doc.New: all slices nil
		Equations:  []doc.Equation{{ID: "e"}},
		Algorithms: []doc.Algorithm{{Number: "1"}},
		Tables:     []doc.Table{{Number: "1", Rows: [][]doc.Cell{{{Text: "x", Value: ptr(math.NaN()), PlusMinus: ptr(math.Inf(1))}}}}},
		References: []doc.Reference{{Key: "k"}},
	}
	var buf bytes.Buffer
	if err := JSON(&buf, d); err != nil {
		t.Fatal(err)
	}
	// The only null the contract allows is an unnumbered equation's number.
	got := strings.Count(buf.String(), "null")
	if want := strings.Count(buf.String(), `"number": null`); got != want || want != 1 {
		t.Errorf("found %d nulls, %d of them equation numbers; want exactly one, the number:\n%s", got, want, buf.String())
	}
	if strings.Contains(buf.String(), `"value"`) || strings.Contains(buf.String(), `"plus_minus"`) {
		t.Error("non-finite numbers must be left out")
	}
	if d.Authors != nil || d.Equations[0].Labels != nil {
		t.Error("JSON modified the document")
	}
}

func TestNilDocument(t *testing.T) {
	var buf bytes.Buffer
	if err := JSON(&buf, nil); err == nil {
		t.Error("JSON(nil): want an error")
	}
	if err := Markdown(&buf, nil, Options{}); err == nil {
		t.Error("Markdown(nil): want an error")
	}
	if buf.Len() != 0 {
		t.Errorf("wrote %q for a nil document", buf.String())
	}
}

func TestMarkdownOrder(t *testing.T) {
	var buf bytes.Buffer
	if err := Markdown(&buf, fixture(), Options{Version: "v9"}); err != nil {
		t.Fatal(err)
	}
	out := buf.String()
	last := -1
	for _, h := range []string{
		"# Tiny Attention: A Small Transformer\n",
		"**Extracted by:** repro v9",
		"\n## Abstract\n",
		"\n## Quick reference\n",
		"\n## Outline\n",
		"\n## Equations\n",
		"\n## Algorithms\n",
		"\n## Architecture\n",
		"\n## Tables\n",
		"\n## Reported results\n",
		"\n## References\n",
		"\n## Warnings\n",
	} {
		i := strings.Index(out, h)
		if i < 0 {
			t.Fatalf("missing %q", h)
		}
		if i < last {
			t.Errorf("%q is out of order", h)
		}
		last = i
	}
}

func TestCellText(t *testing.T) {
	tests := []struct {
		name string
		cell doc.Cell
		want string
	}{
		{"plain", doc.Cell{Text: "91.2"}, "91.2"},
		{"bold", doc.Cell{Text: "91.2", Bold: true}, "**91.2**"},
		{"italic", doc.Cell{Text: "x", Italic: true}, "*x*"},
		{"underline", doc.Cell{Text: "x", Underline: true}, "<u>x</u>"},
		{"bold italic", doc.Cell{Text: "x", Bold: true, Italic: true}, "***x***"},
		{"spanned is blank", doc.Cell{Text: "CIFAR", Spanned: true, Bold: true}, ""},
		{"empty bold is blank", doc.Cell{Text: "  ", Bold: true}, ""},
		{"pipe escaped", doc.Cell{Text: "a | b"}, `a \| b`},
		{"newlines collapsed", doc.Cell{Text: "a\n  b"}, "a b"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := cellText(tt.cell); got != tt.want {
				t.Errorf("cellText(%+v) = %q, want %q", tt.cell, got, tt.want)
			}
		})
	}
}

func TestGridTable(t *testing.T) {
	tests := []struct {
		name string
		rows [][]doc.Cell
		want string
	}{
		{"no rows", nil, ""},
		{"empty rows", [][]doc.Cell{{}, {}}, ""},
		{
			"header and padding",
			[][]doc.Cell{{{Text: "a"}, {Text: "b"}}, {{Text: "1"}}},
			"| a | b |\n| --- | --- |\n| 1 | |",
		},
		{
			"multicolumn",
			[][]doc.Cell{{{Text: "h", ColSpan: 2}, {Text: "h", Spanned: true}}, {{Text: "1"}, {Text: "2"}}},
			"| h | |\n| --- | --- |\n| 1 | 2 |",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := gridTable(tt.rows); got != tt.want {
				t.Errorf("gridTable:\n%s\nwant:\n%s", got, tt.want)
			}
		})
	}
}

func TestCodeAndFence(t *testing.T) {
	codes := []struct{ in, want string }{
		{"eq:attn", "`eq:attn`"},
		{"a`b", "``a`b``"},
		{"`x", "`` `x ``"},
		{"a\n b", "`a b`"},
	}
	for _, c := range codes {
		if got := code(c.in); got != c.want {
			t.Errorf("code(%q) = %q, want %q", c.in, got, c.want)
		}
	}
	fences := []struct{ lang, in, want string }{
		{"latex", "x^2\n\n", "```latex\nx^2\n```"},
		{"", "a ``` b", "````\na ``` b\n````"},
		{"latex", "\n  a &= b \\\\\n  &= c  ", "```latex\n  a &= b \\\\\n  &= c\n```"},
	}
	for _, f := range fences {
		if got := fence(f.lang, f.in); got != f.want {
			t.Errorf("fence(%q, %q) = %q, want %q", f.lang, f.in, got, f.want)
		}
	}
}

func TestReferencedIn(t *testing.T) {
	m := &mdDoc{}
	tests := []struct {
		refs []doc.Ref
		want string
	}{
		{nil, "not referenced"},
		{[]doc.Ref{{Section: "3.2", Command: "eqref"}}, `§3.2 (\eqref)`},
		{
			[]doc.Ref{{Section: "1", Command: "ref"}, {Section: "3", Command: "eqref"}, {Section: "1", Command: "ref"}, {Section: ""}},
			`§1 (\ref ×2), §3 (\eqref), unnumbered text`,
		},
	}
	for _, tt := range tests {
		if got := m.referencedIn(tt.refs); got != tt.want {
			t.Errorf("referencedIn(%v) = %q, want %q", tt.refs, got, tt.want)
		}
	}
}

func TestMostCited(t *testing.T) {
	refs := []doc.Reference{{Key: "a", Cited: 1}, {Key: "b", Cited: 4}, {Key: "c"}, {Key: "d", Cited: 4}, {Key: "e", Cited: 2}}
	if got, want := mostCited(refs, 3), "`b` (4), `d` (4), `e` (2)"; got != want {
		t.Errorf("mostCited = %q, want %q", got, want)
	}
	if got := mostCited(refs[2:3], 3); got != "" {
		t.Errorf("mostCited of uncited = %q, want empty", got)
	}
}

func TestOutlineNesting(t *testing.T) {
	d := doc.New()
	d.Sections = []doc.Section{
		{Number: "1", Title: "A", Level: 1},
		{Number: "1.1.1", Title: "Deep", Level: 3}, // skips a level
		{Title: "P1.", Level: 4},
		{Title: "P2.", Level: 4}, // a sibling: same depth
		{Number: "2", Title: "B", Level: 1},
		{Title: "Q.", Level: 4},
	}
	m := &mdDoc{d: d}
	m.outline()
	want := "- 1 A\n  - 1.1.1 Deep\n    - P1.\n    - P2.\n- 2 B\n  - Q."
	if got := m.blocks[len(m.blocks)-1]; got != want {
		t.Errorf("outline:\n%s\nwant:\n%s", got, want)
	}
}

func FuzzRender(f *testing.F) {
	f.Add("Title", "x^2 | `a` <b> & c", "cap|tion", "main.tex", 3, true)
	f.Add("", "", "", "", 0, false)
	f.Add("\n\n", "```", "\x00\xff", "a`b", -1, true)
	f.Fuzz(func(t *testing.T, title, latex, caption, file string, line int, numbered bool) {
		d := fixture()
		d.Title = title
		d.Equations[0].LaTeX = latex
		d.Equations[0].LaTeXExpanded = latex + caption
		if !numbered {
			d.Equations[0].Number = nil
		}
		d.Tables[0].Caption = caption
		d.Tables[0].Rows = append(d.Tables[0].Rows, []doc.Cell{{Text: caption}, {Text: latex, Bold: true}})
		d.Warnings = append(d.Warnings, doc.Warning{File: file, Line: line, Message: caption})
		var a, b bytes.Buffer
		if err := Markdown(&a, d, Options{Version: title}); err != nil {
			t.Fatal(err)
		}
		if err := Markdown(&b, d, Options{Version: title}); err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(a.Bytes(), b.Bytes()) {
			t.Fatal("Markdown is not deterministic")
		}
		if !strings.HasSuffix(a.String(), "\n") {
			t.Fatal("Markdown must end in a newline")
		}
		var js bytes.Buffer
		if err := JSON(&js, d); err != nil {
			t.Fatal(err)
		}
		if !json.Valid(js.Bytes()) {
			t.Fatal("JSON output is not valid JSON")
		}
		if !slices.Contains(strings.Split(a.String(), "\n"), "## Warnings") {
			t.Fatal("missing the Warnings heading")
		}
	})
}

// TestFileJSON: the kept form of the JSON leaves out the extraction time,
// and only that.
func TestFileJSON(t *testing.T) {
	d := doc.New()
	d.Title = "T"
	d.Stats.Milliseconds = 12.5
	var kept, full bytes.Buffer
	if err := FileJSON(&kept, d); err != nil {
		t.Fatal(err)
	}
	if err := JSON(&full, d); err != nil {
		t.Fatal(err)
	}
	if d.Stats.Milliseconds != 12.5 {
		t.Error("FileJSON modified the document")
	}
	if bytes.Contains(kept.Bytes(), []byte("12.5")) || !bytes.Contains(full.Bytes(), []byte("12.5")) {
		t.Errorf("kept:\n%s\nfull:\n%s", kept.Bytes(), full.Bytes())
	}
	if got := strings.Replace(full.String(), "12.5", "0", 1); got != kept.String() {
		t.Errorf("FileJSON differs from JSON in more than the time")
	}
	if FileJSON(&kept, nil) == nil {
		t.Error("nil document: no error")
	}
}
