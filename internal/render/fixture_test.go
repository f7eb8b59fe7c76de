package render

import "github.com/reprohq/repro/doc"

func ptr[T any](v T) *T { return &v }

// fixture is a hand-built document that exercises every part of both
// renderers: numbered, unnumbered and multi-label equations, macro
// expansion, references to equations, an algorithm with steps only and one
// with pseudocode, figures with subfigures, a table with spanned, bold,
// italic and underlined cells and a pipe, references with and without
// arXiv ids, and warnings. It does not come from a real extraction.
func fixture() *doc.Document {
	d := doc.New()
	d.Source = doc.Source{
		Kind:     "latex",
		Path:     "testdata/tiny",
		MainFile: "main.tex",
		Files:    []string{"main.tex", "sections/method.tex", "refs.bib"},
	}
	d.Title = "Tiny Attention: A  Small\nTransformer"
	d.Authors = []string{"Ada Lovelace", "Alan Turing"}
	d.Abstract = "We study attention with $O(n^2)$ cost & show <small> gains.\n\nA second paragraph."
	d.Keywords = []string{"attention", "transformers"}
	d.ArxivID = "2401.01234"
	d.Date = "2024"
	d.Sections = []doc.Section{
		{Number: "1", Title: "Introduction", Level: 1, Label: "sec:intro", File: "main.tex", Line: 10},
		{Number: "2", Title: "Method", Level: 1, Label: "sec:method", File: "sections/method.tex", Line: 1},
		{Number: "2.1", Title: "Scaled attention", Level: 2, File: "sections/method.tex", Line: 5},
		{Number: "", Title: "Acknowledgments", Level: 1, File: "main.tex", Line: 80},
		{Number: "A", Title: "Proofs", Level: 1, Appendix: true, File: "main.tex", Line: 90},
		{Number: "A.1", Title: "Proof of Lemma 1", Level: 2, Appendix: true, File: "main.tex", Line: 92},
	}
	d.Equations = []doc.Equation{
		{
			ID:            "eq:attn",
			Number:        ptr("1"),
			Label:         "eq:attn",
			Labels:        []string{"eq:attn"},
			LaTeX:         `\Attn(Q,K,V) = \softmax\left(\frac{QK^\top}{\sqrt{d_k}}\right)V`,
			LaTeXExpanded: `\operatorname{Attn}(Q,K,V) = \operatorname{softmax}\left(\frac{QK^\top}{\sqrt{d_k}}\right)V`,
			Env:           "equation",
			Section:       "2.1",
			SectionTitle:  "Scaled attention",
			Context: doc.Context{
				Before: "Attention is computed as",
				After:  "where $d_k$ is the key dimension & $Q$, $K$, $V$ are < 1.",
			},
			ReferencedIn: []doc.Ref{
				{Section: "1", Command: "eqref", File: "main.tex", Line: 12},
				{Section: "2.1", Command: "eqref", File: "sections/method.tex", Line: 9},
				{Section: "2.1", Command: "eqref", File: "sections/method.tex", Line: 11},
				{Section: "A.1", Command: "cref", File: "main.tex", Line: 95},
			},
			File:  "sections/method.tex",
			Line:  7,
			Block: 0,
		},
		{
			ID:            "eq-2",
			Number:        nil,
			LaTeX:         "a &= b + c \\\\\n  &= d",
			LaTeXExpanded: "a &= b + c \\\\\n  &= d",
			Env:           "align*",
			Section:       "2.1",
			File:          "sections/method.tex",
			Line:          14,
			Block:         1,
		},
		{
			ID:            "eq:loss",
			Number:        ptr("A.1"),
			Label:         "eq:loss",
			Labels:        []string{"eq:loss", "eq:loss-alt"},
			LaTeX:         "L = \\sum_i ```x_i``` ",
			LaTeXExpanded: "",
			Env:           "align",
			Section:       "A.1",
			File:          "main.tex",
			Line:          93,
			Block:         2,
		},
	}
	d.Algorithms = []doc.Algorithm{
		{
			Number:  "1",
			Label:   "alg:train",
			Caption: "Training with tiny attention",
			Package: "algpseudocode",
			Inputs:  []string{"data $D$", "steps $T$"},
			Outputs: []string{"parameters $\\theta$"},
			Steps: []doc.Step{
				{Kind: doc.StepRequire, Depth: 0, Text: "data $D$"},
				{Kind: doc.StepFor, Depth: 0, Text: "for $t = 1$ to $T$ do"},
				{Kind: doc.StepStatement, Depth: 1, Text: "$\\theta \\gets \\theta - \\eta \\nabla L$", Comment: "Eq. (1)"},
				{Kind: doc.StepReturn, Depth: 0, Text: "return $\\theta$"},
			},
			Section: "2",
			File:    "sections/method.tex",
			Line:    20,
		},
		{
			Number:     "2",
			Label:      "alg:infer",
			Caption:    "Inference",
			Package:    "algorithm2e",
			Pseudocode: "for each x in X:\n    y <- f(x)\nreturn y\n",
			Section:    "2",
		},
	}
	d.Tables = []doc.Table{
		{
			Number:  "1",
			Label:   "tab:results",
			Caption: "Results | accuracy (%)",
			Rows: [][]doc.Cell{
				{
					{Text: "Model", Header: true, RowSpan: 2},
					{Text: "CIFAR-10", Header: true, ColSpan: 2},
					{Text: "CIFAR-10", Header: true, Spanned: true},
				},
				{
					{Text: "Model", Spanned: true},
					{Text: "top-1"},
					{Text: "top-5"},
				},
				{
					{Text: "Tiny (ours)", Bold: true},
					{Text: "91.2", Bold: true, Value: ptr(91.2), PlusMinus: ptr(0.3)},
					{Text: "99.1", Underline: true, Value: ptr(99.1)},
				},
				{
					{Text: "Baseline"},
					{Text: "$a|b$", Math: true, Italic: true},
				},
			},
			Section: "2",
			File:    "sections/method.tex",
			Line:    30,
		},
	}
	d.Figures = []doc.Figure{
		{
			Number:  "1",
			Label:   "fig:arch",
			Caption: "The tiny transformer: encoder and decoder.",
			Subfigures: []doc.Figure{
				{Number: "a", Label: "fig:enc", Caption: "Encoder"},
				{Number: "b", Caption: "Decoder"},
			},
			Section: "2",
			File:    "sections/method.tex",
			Line:    40,
		},
		{Number: "2", Caption: "Loss curves.", Section: "A"},
	}
	d.References = []doc.Reference{
		{
			Key:     "vaswani2017",
			Title:   "Attention Is All You Need",
			Authors: []string{"Ashish Vaswani", "Noam Shazeer"},
			Year:    "2017",
			Venue:   "NeurIPS",
			ArxivID: "1706.03762",
			Cited:   3,
			CitedIn: []string{"1", "2.1"},
			Source:  "bib",
		},
		{
			Key:     "he2016",
			Title:   "Deep Residual Learning for Image Recognition.",
			Authors: []string{"Kaiming He"},
			Year:    "2016",
			Venue:   "CVPR",
			DOI:     "10.1109/CVPR.2016.90",
			Cited:   1,
			CitedIn: []string{""},
			Source:  "bib",
		},
		{
			Key:    "unused",
			Title:  "A Paper Nobody Cites",
			URL:    "https://example.org/paper",
			Source: "bbl",
		},
		{
			Key:     "ba2016",
			Title:   "Layer Normalization",
			Authors: []string{"Jimmy Lei Ba"},
			Year:    "2016",
			ArxivID: "1607.06450",
			Cited:   3,
			CitedIn: []string{"2"},
		},
	}
	d.Macros = []doc.Macro{
		{Name: `\Attn`, Body: `\operatorname{Attn}`, Kind: "newcommand"},
	}
	d.Warnings = []doc.Warning{
		{File: "main.tex", Line: 50, Message: `undefined reference "eq:missing"`},
		{File: "refs.bib", Message: "entry without year"},
		{Message: "no \\title found; <title> left empty"},
	}
	d.Stats = doc.Stats{Files: 3, Bytes: 4096, Milliseconds: 12.5}
	d.Results = []doc.Result{
		{
			Method: "Tiny (ours)", Dataset: "CIFAR-10", Metric: "top-1", Value: 91.2, Raw: "91.2", PlusMinus: ptr(0.3),
			Percent: true, HigherIsBetter: ptr(true), Direction: "metric", Bold: true, Why: "ours",
			Row: "Tiny (ours)", Column: "CIFAR-10 / top-1",
			Source: doc.Provenance{Section: "2", Table: "1", Quote: "Results | accuracy (%)", File: "sections/method.tex", Line: 30},
		},
		{
			Method: "Tiny (ours)", Dataset: "CIFAR-10", Metric: "top-5", Setting: "a|b", Value: 99.1, Raw: "99.1",
			Percent: true, Why: "ours", Row: "Tiny (ours)", Column: "CIFAR-10 / top-5",
			Source: doc.Provenance{Section: "2", Table: "1", Quote: "Results | accuracy (%)", File: "sections/method.tex", Line: 30},
		},
	}
	return d
}
