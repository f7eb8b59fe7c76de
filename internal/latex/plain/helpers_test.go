package plain

import "github.com/reprohq/repro/internal/latex"

func scan(s string) []latex.Token { return latex.Scan(s, 0) }
