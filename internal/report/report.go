// Package report renders a workspace, a generated project or a single
// paper as one self-contained HTML page: the papers and their dependency
// graph, every display equation as MathML (its LaTeX source where the math
// parser cannot read it), algorithms, tables, hyperparameters, the
// benchmark targets with the last comparison and its chart, and every
// equation's status from the last repro check. The page needs no network:
// styles and pictures are inline and there is no script.
package report

import (
	"bytes"
	_ "embed"
	"fmt"
	"html/template"
	"slices"
	"strconv"
	"strings"

	"github.com/reprohq/repro/doc"
	"github.com/reprohq/repro/internal/bench"
	"github.com/reprohq/repro/internal/check"
	"github.com/reprohq/repro/internal/graph"
	"github.com/reprohq/repro/internal/mathml"
)

// Paper is one paper of the report.
type Paper struct {
	ID  string
	Doc *doc.Document
}

// Input is what a report shows. Only Papers is required.
type Input struct {
	// Title names the report: the workspace's or project's folder, or the
	// paper.
	Title  string
	Papers []Paper
	// Graph is the papers' citation graph (nil for one paper).
	Graph *graph.Graph
	// Check is the last repro check (nil when none ran).
	Check *check.Report
	// CheckNote says where the check came from ("last repro check, …").
	CheckNote string
	// Bench is the comparison of the benchmark targets with the last
	// results (nil when the project has no targets).
	Bench     *bench.Report
	BenchNote string
	Generator string // "repro v0.1.0"
}

// Stats counts what the report rendered, for tests and for the command's
// summary line.
type Stats struct {
	Equations  int // display equations
	MathML     int // rendered as MathML
	Fallback   int // shown as LaTeX source
	Tables     int
	Algorithms int
}

//go:embed report.html.tmpl
var pageTemplate string

var tmpl = template.Must(template.New("report").Funcs(template.FuncMap{
	"rich":    richText,
	"cell":    cellHTML,
	"join":    strings.Join,
	"add":     func(a, b int) int { return a + b },
	"ordered": ordered,
}).Parse(pageTemplate))

// HTML renders the report.
func HTML(in *Input) ([]byte, Stats, error) {
	v := build(in)
	var b bytes.Buffer
	if err := tmpl.Execute(&b, v); err != nil {
		return nil, Stats{}, fmt.Errorf("report: %w", err)
	}
	return b.Bytes(), v.Stats, nil
}

// view is the template's data.
type view struct {
	Title     string
	Generator string
	Papers    []paperView
	Graph     template.HTML // inline SVG, "" for one paper
	Order     []string
	Cycles    []string
	Check     *checkView
	Bench     *benchView
	Totals    map[string]int // equation statuses over all papers
	Stats     Stats
}

type paperView struct {
	ID         string
	Anchor     string
	Doc        *doc.Document
	ArxivURL   string
	Sections   []doc.Section
	Equations  []equationView
	Algorithms []algorithmView
	Tables     []doc.Table
	Figures    []doc.Figure
	Hyper      []doc.Hyperparameter
	Datasets   []string
	Metrics    []string
	Results    []doc.Result
	Refs       int
	RefsArxiv  int
	Statuses   map[string]int
}

type equationView struct {
	Anchor   string
	Number   string
	Label    string
	Section  string
	Title    string
	MathML   template.HTML
	LaTeX    string
	Fallback bool
	// Approx is set for an equation read from a PDF: its LaTeX is a
	// reconstruction, and Printed is the text as the PDF prints it.
	Approx  bool
	Printed string
	Before  string
	Status  string
	Message string
	Test    string
}

type algorithmView struct {
	Alg     doc.Algorithm
	Anchor  string
	Steps   []stepView
	Status  string
	Message string
}

type stepView struct {
	Keyword string
	Text    template.HTML
	Indent  string // CSS padding
	Comment string
}

type checkView struct {
	Python   string
	Note     string
	Coverage string
	Tools    []check.Tool
	Totals   map[string]int
	Missing  []string
	Other    []check.Item
}

type benchView struct {
	Verdict string
	Summary string
	Note    string
	Rule    string
	Chart   template.HTML
	Rows    []benchRow
	Colour  string
}

type benchRow struct {
	Paper, Label, Setting, PaperValue, Ours, Delta, Tolerance, Status, Note string
}

func build(in *Input) *view {
	v := &view{Title: in.Title, Generator: in.Generator, Totals: map[string]int{}}
	status := map[string]check.Item{}
	algStatus := map[string]check.Item{}
	if in.Check != nil {
		for _, it := range in.Check.Equations {
			status[it.Paper+"\x00"+it.Number] = it
			status["\x00"+it.Number] = it
		}
		for _, it := range in.Check.Algorithms {
			algStatus[it.Paper+"\x00"+it.Number] = it
			algStatus["\x00"+it.Number] = it
		}
		cv := &checkView{Python: in.Check.Python, Note: in.CheckNote, Tools: in.Check.Tools,
			Totals: in.Check.Totals, Missing: in.Check.MissingPackages, Other: in.Check.Other}
		if in.Check.Coverage != nil {
			cv.Coverage = strconv.FormatFloat(*in.Check.Coverage, 'f', 1, 64) + " %"
		}
		v.Check = cv
	}
	single := len(in.Papers) == 1
	for _, p := range in.Papers {
		if p.Doc == nil {
			continue
		}
		pv := paperView{ID: p.ID, Anchor: "paper-" + slug(p.ID), Doc: p.Doc, Sections: p.Doc.Sections,
			Tables: p.Doc.Tables, Figures: p.Doc.Figures, Hyper: p.Doc.Hyperparameters,
			Results: p.Doc.Results, Refs: len(p.Doc.References), Statuses: map[string]int{}}
		if p.Doc.ArxivID != "" {
			pv.ArxivURL = "https://arxiv.org/abs/" + p.Doc.ArxivID
		}
		for _, r := range p.Doc.References {
			if r.ArxivID != "" {
				pv.RefsArxiv++
			}
		}
		for _, d := range p.Doc.Datasets {
			pv.Datasets = append(pv.Datasets, d.Name)
		}
		for _, m := range p.Doc.Metrics {
			pv.Metrics = append(pv.Metrics, m.Name)
		}
		for i, e := range p.Doc.Equations {
			ev := equationView{Anchor: fmt.Sprintf("%s-eq-%d", pv.Anchor, i), Label: e.Label,
				Section: e.Section, Title: e.SectionTitle, Before: e.Context.Before}
			if e.Number != nil {
				ev.Number = *e.Number
			}
			src := e.LaTeXExpanded
			if strings.TrimSpace(src) == "" {
				src = e.LaTeX
			}
			ev.LaTeX = strings.TrimSpace(e.LaTeX)
			ev.Approx, ev.Printed = e.Approx, strings.TrimSpace(e.Text)
			if m, ok := mathml.Render(src); ok {
				ev.MathML = template.HTML(m) // built by package mathml, escaped there
				v.Stats.MathML++
			} else {
				ev.Fallback = true
				v.Stats.Fallback++
			}
			v.Stats.Equations++
			if ev.Number != "" {
				it, ok := status[p.ID+"\x00"+ev.Number]
				if !ok && single {
					it, ok = status["\x00"+ev.Number]
				}
				switch {
				case ok:
					ev.Status, ev.Message, ev.Test = it.Status, it.Message, it.Test
				case in.Check != nil:
					ev.Status = "no_test"
				default:
					ev.Status = "unchecked"
				}
				pv.Statuses[ev.Status]++
				v.Totals[ev.Status]++
			}
			pv.Equations = append(pv.Equations, ev)
		}
		for i, a := range p.Doc.Algorithms {
			av := algorithmView{Alg: a, Anchor: fmt.Sprintf("%s-alg-%d", pv.Anchor, i)}
			it, ok := algStatus[p.ID+"\x00"+a.Number]
			if !ok && single {
				it, ok = algStatus["\x00"+a.Number]
			}
			if ok {
				av.Status, av.Message = it.Status, it.Message
			} else if in.Check != nil {
				av.Status = "no_test"
			}
			for _, s := range a.Steps {
				av.Steps = append(av.Steps, stepView{Keyword: stepKeyword(s.Kind), Text: richText(s.Text),
					Indent: strconv.FormatFloat(float64(s.Depth)*1.6, 'f', 1, 64) + "em", Comment: s.Comment})
			}
			pv.Algorithms = append(pv.Algorithms, av)
			v.Stats.Algorithms++
		}
		v.Stats.Tables += len(p.Doc.Tables)
		v.Papers = append(v.Papers, pv)
	}
	if in.Graph != nil && len(in.Graph.Papers) > 1 {
		titles := map[string]string{}
		for _, p := range in.Papers {
			if p.Doc != nil {
				titles[p.ID] = p.Doc.Title
			}
		}
		v.Graph = template.HTML(graphSVG(in.Graph, titles))
		v.Order = in.Graph.Order
		for _, c := range in.Graph.Cycles {
			v.Cycles = append(v.Cycles, strings.Join(c, " → "))
		}
	}
	if in.Bench != nil {
		v.Bench = benchSection(in.Bench, in.BenchNote)
	}
	return v
}

func benchSection(r *bench.Report, note string) *benchView {
	bv := &benchView{Verdict: r.Verdict, Summary: r.Summary(), Note: note, Rule: r.Rule,
		Chart: template.HTML(stripXMLDecl(string(r.SVG())))}
	switch r.Verdict {
	case bench.VerdictReproduced:
		bv.Colour = "ok"
	case bench.VerdictPartially:
		bv.Colour = "close"
	case bench.VerdictNot:
		bv.Colour = "off"
	default:
		bv.Colour = "none"
	}
	for _, o := range r.Outcomes {
		t := o.Target
		row := benchRow{Paper: t.Paper, Label: t.Label(), Setting: t.Setting,
			PaperValue: num(t.Value), Tolerance: "± " + num(o.Bound), Status: string(o.Status), Note: o.Note}
		if t.Skip {
			row.Status = "skipped"
		}
		if o.Ours != nil {
			row.Ours = num(*o.Ours)
			d := o.Delta
			row.Delta = num(d)
			if d > 0 {
				row.Delta = "+" + row.Delta
			}
		}
		bv.Rows = append(bv.Rows, row)
	}
	return bv
}

func num(f float64) string { return strconv.FormatFloat(f, 'g', 6, 64) }

func stripXMLDecl(s string) string {
	if strings.HasPrefix(s, "<?xml") {
		if i := strings.Index(s, "?>"); i >= 0 {
			s = s[i+2:]
		}
	}
	return strings.TrimSpace(s)
}

func stepKeyword(kind string) string {
	switch kind {
	case doc.StepRequire:
		return "Require:"
	case doc.StepEnsure:
		return "Ensure:"
	case doc.StepFor:
		return "for"
	case doc.StepWhile:
		return "while"
	case doc.StepIf:
		return "if"
	case doc.StepElseIf:
		return "else if"
	case doc.StepElse:
		return "else"
	case doc.StepRepeat:
		return "repeat"
	case doc.StepUntil:
		return "until"
	case doc.StepFunction:
		return "function"
	case doc.StepReturn:
		return "return"
	}
	return ""
}

// slug makes an HTML id from s.
func slug(s string) string {
	var b strings.Builder
	for _, r := range strings.ToLower(s) {
		switch {
		case r >= 'a' && r <= 'z', r >= '0' && r <= '9':
			b.WriteRune(r)
		default:
			b.WriteByte('-')
		}
	}
	return b.String()
}

// richText renders text with inline $…$ math: MathML where the math
// parses, else the LaTeX in a code span.
func richText(s string) template.HTML {
	var b strings.Builder
	for {
		i := indexDollar(s, 0)
		if i < 0 {
			break
		}
		j := indexDollar(s, i+1)
		if j < 0 {
			break
		}
		b.WriteString(template.HTMLEscapeString(s[:i]))
		math := s[i+1 : j]
		if m, ok := mathml.RenderInline(math); ok {
			b.WriteString(m)
		} else {
			b.WriteString(`<code class="tex">` + template.HTMLEscapeString(math) + `</code>`)
		}
		s = s[j+1:]
	}
	b.WriteString(template.HTMLEscapeString(s))
	return template.HTML(b.String())
}

// indexDollar finds the next unescaped $ at or after from.
func indexDollar(s string, from int) int {
	for i := from; i < len(s); i++ {
		if s[i] == '$' && (i == 0 || s[i-1] != '\\') {
			return i
		}
	}
	return -1
}

// cellHTML renders a table cell's text.
func cellHTML(c doc.Cell) template.HTML {
	h := richText(c.Text)
	if c.Bold {
		h = "<b>" + h + "</b>"
	}
	if c.Italic {
		h = "<i>" + h + "</i>"
	}
	if c.Underline {
		h = "<u>" + h + "</u>"
	}
	return h
}

// statusOrder lists the equation statuses in the order the summary shows
// them.
var statusOrder = []string{"passing", "failing", "pending", "no_test", "not_run", "unchecked"}

// statusCount is one status and how many items have it.
type statusCount struct {
	S string
	N int
}

// ordered lists the statuses of m in display order.
func ordered(m map[string]int) []statusCount {
	var out []statusCount
	for _, s := range sortedStatuses(m) {
		out = append(out, statusCount{s, m[s]})
	}
	return out
}

// sortedStatuses returns the statuses present in m in display order.
func sortedStatuses(m map[string]int) []string {
	var out []string
	for _, s := range statusOrder {
		if m[s] > 0 {
			out = append(out, s)
		}
	}
	var rest []string
	for s := range m {
		if !slices.Contains(statusOrder, s) && m[s] > 0 {
			rest = append(rest, s)
		}
	}
	slices.Sort(rest)
	return append(out, rest...)
}
