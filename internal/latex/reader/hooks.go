package reader

import (
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

func plainText(s string) string { return plain.Text(s) }
