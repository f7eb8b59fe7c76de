package bench

import (
	"bytes"
	"fmt"
	"strings"
)

// mdCell escapes text for a Markdown table cell.
func mdCell(s string) string {
	s = strings.Join(strings.Fields(s), " ")
	s = strings.ReplaceAll(s, `\`, `\\`)
	s = strings.ReplaceAll(s, "|", `\|`)
	s = strings.ReplaceAll(s, "<", "&lt;")
	return s
}

// paperText is the paper's number as printed, or formatted.
func paperText(t *Target) string {
	if t.Raw != "" {
		return t.Raw
	}
	return fmtNum(t.Value)
}

func oursText(o *Outcome) string {
	if o.Ours == nil {
		return "—"
	}
	return fmtFixed(*o.Ours, decimals(&o.Target))
}

func deltaText(o *Outcome) string {
	if o.Ours == nil || !isFinite(*o.Ours) {
		return "—"
	}
	return signed(o.Delta, decimals(&o.Target))
}

func toleranceText(o *Outcome) string {
	t := o.Target.Tolerance
	s := "±" + fmtNum(o.Bound)
	if t.Relative > 0 {
		s += " (" + strings.TrimSuffix(t.String(), ", whichever is larger") + ")"
	}
	return s
}

func sourceText(t *Target) string {
	var parts []string
	if t.Paper != "" {
		parts = append(parts, t.Paper)
	}
	switch {
	case t.Source.Table != "":
		parts = append(parts, "Table "+t.Source.Table)
	case t.Source.Section != "":
		parts = append(parts, "§"+t.Source.Section)
	case t.Source.File != "" && t.Source.Line > 0:
		parts = append(parts, fmt.Sprintf("%s:%d", t.Source.File, t.Source.Line))
	}
	return strings.Join(parts, ", ")
}

const legend = "✅ within tolerance · ⚠️ within twice the tolerance · ❌ off · ⏳ not run"

// Markdown is the body of docs/benchmarks.md: the verdict and its rule, a
// table of the targets, notes, the unmatched results and, when chart is
// not empty, the chart (a path relative to the Markdown file).
func (r *Report) Markdown(chart string) []byte {
	var b bytes.Buffer
	fmt.Fprintf(&b, "**Verdict: %s.** %s.\n\n", r.Verdict, strings.TrimPrefix(r.Summary(), r.Verdict+": "))
	fmt.Fprintf(&b, "Rule: %s\n\n", r.Rule)
	if len(r.Outcomes) == 0 {
		b.WriteString("No benchmark targets: add them to benchmarks.yaml.\n")
	} else {
		b.WriteString("| | Dataset | Metric | Setting | Paper | Ours | Δ | Tolerance | Source |\n")
		b.WriteString("| :-: | --- | --- | --- | --: | --: | --: | --- | --- |\n")
		for i := range r.Outcomes {
			o := &r.Outcomes[i]
			t := &o.Target
			icon := o.Status.Icon()
			if t.Skip {
				icon = "➖"
			}
			fmt.Fprintf(&b, "| %s | %s | %s | %s | %s | %s | %s | %s | %s |\n",
				icon, mdCell(t.Dataset), mdCell(t.Metric), mdCell(t.Setting), mdCell(paperText(t)),
				oursText(o), deltaText(o), mdCell(toleranceText(o)), mdCell(sourceText(t)))
		}
		b.WriteString("\n" + legend)
		if r.Skipped > 0 {
			b.WriteString(" · ➖ skipped (left out of the verdict)")
		}
		b.WriteString(". Δ is ours − paper; the tolerance is the allowed |Δ|.\n")
	}
	var notes []string
	for i := range r.Outcomes {
		o := &r.Outcomes[i]
		var ns []string
		if o.Target.Skip {
			ns = append(ns, "skipped: left out of the verdict ("+string(o.Status)+")")
		}
		if o.Note != "" {
			ns = append(ns, o.Note)
		}
		if o.Result != nil && o.Result.Setting != "" && o.Target.Setting == "" {
			ns = append(ns, "matched the result for setting \""+o.Result.Setting+"\" ("+o.Result.Where()+")")
		}
		if len(ns) > 0 {
			notes = append(notes, fmt.Sprintf("- `%s`: %s.", o.Target.ID, mdText(strings.Join(ns, "; "))))
		}
	}
	if len(notes) > 0 {
		b.WriteString("\nNotes:\n\n" + strings.Join(notes, "\n") + "\n")
	}
	if len(r.Unmatched) > 0 {
		b.WriteString("\n## Unmatched results\n\n")
		b.WriteString("These results match no target. Targets are matched by dataset and metric (case, spaces, punctuation and dashes ignored) and setting; fix the names or add aliases in benchmarks.yaml.\n\n")
		b.WriteString("| Dataset | Metric | Setting | Value | From |\n| --- | --- | --- | --: | --- |\n")
		for _, u := range r.Unmatched {
			fmt.Fprintf(&b, "| %s | %s | %s | %s | %s |\n", mdCell(u.Dataset), mdCell(u.Metric), mdCell(u.Setting), fmtNum(u.Value), mdCell(u.Where()))
		}
	}
	if chart != "" {
		fmt.Fprintf(&b, "\n![Paper against ours, one row per target](%s)\n", chart)
	}
	return b.Bytes()
}

// mdText escapes text for a Markdown line outside tables.
func mdText(s string) string {
	s = strings.Join(strings.Fields(s), " ")
	return strings.ReplaceAll(s, "<", "&lt;")
}

// maxReadmeRows caps the README table.
const maxReadmeRows = 20

// ReadmeTable is a compact version for the README: the verdict line and a
// table of up to 20 targets (skipped ones left out).
func (r *Report) ReadmeTable() []byte {
	var b bytes.Buffer
	fmt.Fprintf(&b, "**%s**: %s.\n", r.Verdict, strings.TrimPrefix(r.Summary(), r.Verdict+": "))
	var rows []*Outcome
	for i := range r.Outcomes {
		if !r.Outcomes[i].Target.Skip {
			rows = append(rows, &r.Outcomes[i])
		}
	}
	if len(rows) == 0 {
		return b.Bytes()
	}
	b.WriteString("\n| | Benchmark | Paper | Ours |\n| :-: | --- | --: | --: |\n")
	for i, o := range rows {
		if i == maxReadmeRows {
			fmt.Fprintf(&b, "\n… and %d more in docs/benchmarks.md.\n", len(rows)-maxReadmeRows)
			break
		}
		name := o.Target.Label()
		if o.Target.Setting != "" {
			name += " (" + o.Target.Setting + ")"
		}
		fmt.Fprintf(&b, "| %s | %s | %s | %s |\n", o.Status.Icon(), mdCell(name), mdCell(paperText(&o.Target)), oursText(o))
	}
	return b.Bytes()
}
