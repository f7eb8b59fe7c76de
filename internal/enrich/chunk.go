package enrich

import (
	"fmt"
	"strings"
	"unicode/utf8"

	"github.com/reprohq/repro/doc"
)

// Chunk is one part of a paper sent in one call: the paragraphs, numbered
// equations and float captions of one or more sections (or of a piece of a
// long section).
type Chunk struct {
	Name     string   // "sections 3, 4" or "section 3 (part 2)"
	Sections []string // the section numbers covered ("" before the first)
	Text     string   // what the model reads; at most MaxChars bytes
}

// unit is one section's material in reading order.
type unit struct {
	section string
	title   string
	blocks  []string
}

// Chunks splits d by section so that no chunk's Text exceeds maxChars:
// consecutive sections are packed together while they fit; a section too
// long for one chunk is split between its paragraphs (a single paragraph
// longer than maxChars is cut).
func Chunks(d *doc.Document, maxChars int) []Chunk {
	if maxChars <= 0 {
		maxChars = 24000
	}
	units := sectionUnits(d)
	var out []Chunk
	var cur *Chunk
	flush := func() {
		if cur != nil && cur.Text != "" {
			out = append(out, *cur)
		}
		cur = nil
	}
	for _, u := range units {
		text := renderUnit(u.heading(), u.blocks)
		if len(text) > maxChars {
			flush()
			out = append(out, splitUnit(u, maxChars)...)
			continue
		}
		if cur != nil && len(cur.Text)+len(text)+1 > maxChars {
			flush()
		}
		if cur == nil {
			cur = &Chunk{}
			cur.Text = text
		} else {
			cur.Text += "\n" + text
		}
		cur.Sections = append(cur.Sections, u.section)
	}
	flush()
	for i := range out {
		if out[i].Name == "" {
			out[i].Name = chunkName(out[i].Sections)
		}
	}
	return out
}

func chunkName(secs []string) string {
	names := make([]string, len(secs))
	for i, s := range secs {
		if s == "" {
			s = "(front matter)"
		}
		names[i] = s
	}
	if len(names) == 1 {
		return "section " + names[0]
	}
	return "sections " + strings.Join(names, ", ")
}

func (u unit) heading() string {
	switch {
	case u.section == "" && u.title == "":
		return "## (unnumbered text)"
	case u.section == "":
		return "## " + u.title
	case u.title == "":
		return "## Section " + u.section
	}
	return "## Section " + u.section + ": " + u.title
}

func renderUnit(heading string, blocks []string) string {
	return heading + "\n\n" + strings.Join(blocks, "\n\n") + "\n"
}

// splitUnit cuts a long section between blocks.
func splitUnit(u unit, maxChars int) []Chunk {
	var out []Chunk
	part := 1
	head := func() string { return fmt.Sprintf("%s (part %d)", u.heading(), part) }
	var blocks []string
	size := 0
	emit := func() {
		if len(blocks) == 0 {
			return
		}
		name := "section " + u.section
		if u.section == "" {
			name = "section (front matter)"
		}
		out = append(out, Chunk{Name: fmt.Sprintf("%s (part %d)", name, part),
			Sections: []string{u.section}, Text: renderUnit(head(), blocks)})
		part++
		blocks, size = nil, 0
	}
	for _, b := range u.blocks {
		overhead := len(head()) + 4
		room := maxChars - overhead - 2
		for len(b) > room { // a block too long on its own: cut it
			emit()
			cut := cutAt(b, room)
			blocks = []string{b[:cut]}
			emit()
			b = b[cut:]
		}
		if size+len(b)+2 > room {
			emit()
		}
		blocks = append(blocks, b)
		size += len(b) + 2
	}
	emit()
	return out
}

// cutAt returns a byte offset at most n that does not split a rune,
// preferring a space.
func cutAt(s string, n int) int {
	if n >= len(s) {
		return len(s)
	}
	if n < 1 {
		n = 1
	}
	i := n
	for i > 0 && !utf8.RuneStart(s[i]) {
		i--
	}
	if j := strings.LastIndexByte(s[:i], ' '); j > i/2 {
		return j + 1
	}
	if i == 0 {
		_, w := utf8.DecodeRuneInString(s)
		return w
	}
	return i
}

// topSection maps a section number to its top-level one ("3.2" -> "3").
func topSection(s string) string {
	if i := strings.IndexByte(s, '.'); i >= 0 {
		return s[:i]
	}
	return s
}

// sectionUnits groups the paper's material by top-level section, in
// reading order: the paragraphs of d.Text (whose Section is the top-level
// number), then the section's numbered equations and float captions.
func sectionUnits(d *doc.Document) []unit {
	titles := map[string]string{}
	for _, s := range d.Sections {
		if s.Number != "" {
			if _, ok := titles[s.Number]; !ok {
				titles[s.Number] = s.Title
			}
		}
	}
	var units []unit
	index := map[string]int{}
	get := func(sec string) *unit {
		sec = topSection(sec)
		i, ok := index[sec]
		if !ok {
			i = len(units)
			index[sec] = i
			units = append(units, unit{section: sec, title: titles[sec]})
		}
		return &units[i]
	}
	for _, p := range d.Text {
		if t := strings.TrimSpace(p.Text); t != "" {
			u := get(p.Section)
			u.blocks = append(u.blocks, t)
		}
	}
	for _, eq := range d.Equations {
		num := eq.NumberString()
		if num == "" {
			num = eq.Tag
		}
		if num == "" {
			continue // unnumbered displays cannot be cited by number
		}
		latex := strings.TrimSpace(eq.LaTeXExpanded)
		if latex == "" {
			latex = strings.TrimSpace(eq.LaTeX)
		}
		u := get(eq.Section)
		u.blocks = append(u.blocks, fmt.Sprintf("Equation (%s): %s", num, latex))
	}
	for _, f := range d.Figures {
		if c := caption(f.Caption, f.CaptionFull); c != "" {
			u := get(f.Section)
			u.blocks = append(u.blocks, fmt.Sprintf("Figure %s caption: %s", f.Number, c))
		}
	}
	for _, t := range d.Tables {
		u := get(t.Section)
		var b strings.Builder
		fmt.Fprintf(&b, "Table %s caption: %s", t.Number, caption(t.Caption, t.CaptionFull))
		for _, row := range t.Rows {
			cells := make([]string, len(row))
			for i, c := range row {
				cells[i] = strings.TrimSpace(c.Text)
			}
			b.WriteString("\n| " + strings.Join(cells, " | ") + " |")
		}
		u.blocks = append(u.blocks, b.String())
	}
	for _, a := range d.Algorithms {
		if c := caption(a.Caption, a.CaptionFull); c != "" {
			u := get(a.Section)
			u.blocks = append(u.blocks, fmt.Sprintf("Algorithm %s caption: %s", a.Number, c))
		}
	}
	return units
}

func caption(short, full string) string {
	if strings.TrimSpace(full) != "" {
		return strings.TrimSpace(full)
	}
	return strings.TrimSpace(short)
}

// paperHeader is the context every call gets: the title, the abstract and
// the figure captions (for the architecture).
func paperHeader(d *doc.Document) string {
	var b strings.Builder
	fmt.Fprintf(&b, "Title: %s\n\nAbstract: %s\n", strings.TrimSpace(d.Title), strings.TrimSpace(d.Abstract))
	for _, f := range d.Figures {
		if c := caption(f.Caption, f.CaptionFull); c != "" {
			fmt.Fprintf(&b, "\nFigure %s: %s", f.Number, clip(c, 600))
		}
	}
	return b.String()
}

const systemPrompt = `You read machine-learning papers for an engineer who will reimplement them. You answer with one JSON object and nothing else. Every quote you give must be copied word for word from the paper text you are given; every equation number must be one printed in that text. Never invent values, equations or quotes.`

const answerShape = `{
  "contribution": "string: the paper's core contribution in one to three sentences, or \"\" if this part does not show it",
  "architecture": "string: the model's architecture as this part and the figure captions describe it (layers, data flow, shapes), or \"\"",
  "equations": [
    {"number": "string: the equation number as printed, e.g. \"3.1\"",
     "variables": [{"symbol": "string: LaTeX as in the equation", "meaning": "string", "type": "string: scalar|vector|matrix|tensor|function|index|set|hyperparameter", "shape": "string: e.g. [B,S,D], or \"\""}]}
  ],
  "hyperparameters": [
    {"name": "string: snake_case, e.g. learning_rate", "value": "string: the value as in the quote", "quote": "string: the sentence or table row, copied exactly", "section": "string: section number"}
  ],
  "ambiguities": [
    {"quote": "string: the paper's exact words", "interpretation": "string: how to read them for an implementation", "equation": "string: an equation number, or \"\""}
  ]
}`

func userPrompt(header string, c Chunk, i, n int) string {
	var b strings.Builder
	b.WriteString("The paper:\n\n")
	b.WriteString(header)
	fmt.Fprintf(&b, "\n\nThis is part %d of %d of its text (%s):\n\n", i+1, n, c.Name)
	b.WriteString(c.Text)
	b.WriteString("\n\nFrom this part, give:\n" +
		"- for each numbered equation in it, a table of its variables (symbol, meaning, type, shape);\n" +
		"- every hyperparameter value it states (model size, optimizer, schedule, regularization, data), each with the exact quote it comes from;\n" +
		"- ambiguities an implementer would face, with the paper's exact words and your interpretation;\n" +
		"- the core contribution and the architecture, when this part shows them.\n\n" +
		"Answer with exactly this JSON shape (all keys present, arrays may be empty):\n")
	b.WriteString(answerShape)
	return b.String()
}
