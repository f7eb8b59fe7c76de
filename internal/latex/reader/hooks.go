package reader

import "github.com/reprohq/repro/doc"

func parseTabular(spec, body string) [][]doc.Cell { return nil }

func parseAlgorithm(body string) (pkg string, in, out []string, steps []doc.Step, pseudo string) {
	return "", nil, nil, nil, ""
}

func plainText(s string) string { return collapseSpace(s) }
