package reader

import (
	"regexp"
	"strings"

	"github.com/reprohq/repro/doc"
	"github.com/reprohq/repro/internal/latex/algo"
	"github.com/reprohq/repro/internal/latex/plain"
	"github.com/reprohq/repro/internal/latex/tabular"
)

func parseTabular(spec, body string) [][]doc.Cell { return tabular.Parse(spec, body) }

func parseAlgorithm(body string) (pkg string, in, out []string, steps []doc.Step, pseudo string) {
	res := algo.Parse(body)
	return res.Package, res.Inputs, res.Outputs, res.Steps, res.Pseudocode
}

// xspace is \xspace followed by what decides whether it makes a space.
var xspace = regexp.MustCompile(`\\xspace\s*([\p{L}\p{N}(\[$\\])?`)

func plainText(s string) string {
	if strings.Contains(s, `\xspace`) {
		// xspace adds a space before a word, not before punctuation.
		s = xspace.ReplaceAllStringFunc(s, func(m string) string {
			if next := strings.TrimLeft(m[len(`\xspace`):], " \t\n"); next != "" {
				return " " + next
			}
			return ""
		})
	}
	return plain.Text(s)
}
