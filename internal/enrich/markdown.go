package enrich

import (
	"bytes"
	"fmt"
	"strings"
)

// Markdown renders the enrichment as a section of the context document.
func (e *Enrichment) Markdown() []byte {
	var b bytes.Buffer
	b.WriteString("## Notes from the language model (checked against the paper)\n\n")
	fmt.Fprintf(&b, "Written by %s and cross-checked against the paper: every equation number, quote and value below was found in it.", orDash(e.Model))
	if n := len(e.Warnings); n > 0 {
		fmt.Fprintf(&b, " %d warning(s) below: items dropped because the paper does not contain what they cite, or parts the model did not answer.", n)
	}
	if e.Duplicates > 0 {
		fmt.Fprintf(&b, " %d hyperparameter(s) the rules had already found were left out.", e.Duplicates)
	}
	b.WriteString("\n\n")
	if e.Contribution != "" {
		b.WriteString("### Contribution\n\n" + oneLine(e.Contribution) + "\n\n")
	}
	if e.Architecture != "" {
		b.WriteString("### Architecture\n\n" + oneLine(e.Architecture) + "\n\n")
	}
	if len(e.Equations) > 0 {
		b.WriteString("### Variables of the equations\n\n")
		for _, en := range e.Equations {
			fmt.Fprintf(&b, "Equation (%s):\n\n", en.Number)
			b.WriteString("| Symbol | Meaning | Type | Shape |\n|---|---|---|---|\n")
			for _, v := range en.Variables {
				fmt.Fprintf(&b, "| $%s$ | %s | %s | %s |\n", cell(v.Symbol), cell(v.Meaning), cell(v.Type), cell(v.Shape))
			}
			b.WriteString("\n")
		}
	}
	if len(e.Hyperparameters) > 0 {
		b.WriteString("### Hyperparameters the rules missed\n\n")
		b.WriteString("| Name | Value | Section | Quote |\n|---|---|---|---|\n")
		for _, h := range e.Hyperparameters {
			fmt.Fprintf(&b, "| %s | %s | %s | “%s” |\n", cell(h.Name), cell(h.Value), cell(h.Section), cell(h.Quote))
		}
		b.WriteString("\n")
	}
	if len(e.Ambiguities) > 0 {
		b.WriteString("### Ambiguities\n\n")
		for _, a := range e.Ambiguities {
			eq := ""
			if a.Equation != "" {
				eq = fmt.Sprintf(" (equation (%s))", a.Equation)
			}
			fmt.Fprintf(&b, "- “%s”%s: %s\n", oneLine(a.Quote), eq, oneLine(a.Interpretation))
		}
		b.WriteString("\n")
	}
	if len(e.Warnings) > 0 {
		fmt.Fprintf(&b, "### Warnings (%d)\n\n", len(e.Warnings))
		for _, w := range e.Warnings {
			b.WriteString("- " + oneLine(w) + "\n")
		}
		b.WriteString("\n")
	}
	return b.Bytes()
}

func orDash(s string) string {
	if s == "" {
		return "the model"
	}
	return s
}

func oneLine(s string) string { return strings.Join(strings.Fields(s), " ") }

func cell(s string) string {
	s = oneLine(s)
	if s == "" {
		return "–"
	}
	return strings.ReplaceAll(s, "|", `\|`)
}
