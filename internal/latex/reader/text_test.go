package reader

import (
	"fmt"
	"strings"
	"testing"
)

// TestParagraphs checks doc.Document.Text: the prose paragraph by paragraph,
// with its section and where it starts, and without floats, captions,
// footnotes and display math.
func TestParagraphs(t *testing.T) {
	src := `\documentclass{article}
\newcommand{\model}{TinyNet}
\begin{document}
\begin{abstract}An abstract.\end{abstract}
Before the first section.

\section{Setup}
We train \model{} with a learning rate of $3 \times 10^{-4}$\footnote{Tuned.}
and a batch size of 256 \cite{x}.
The loss is
\begin{equation}
  L = x^2
\end{equation}
where $x$ is the error.
\begin{table}[t]
\caption{Hyperparameters.}
\begin{tabular}{ll} Dropout & 0.1 \\ \end{tabular}
Stray float text.
\end{table}
After the table.
\begin{itemize}
\item First item.
\item Second item.
\end{itemize}
\subsection{More}
Last words.\par Really last.
\end{document}
`
	d := Read(mapFiles{"main.tex": []byte(src)}, "main.tex", Options{})
	var got []string
	for _, p := range d.Text {
		got = append(got, fmt.Sprintf("%s|%s:%d|%s", p.Section, p.File, p.Line, p.Text))
	}
	want := []string{
		"|main.tex:5|Before the first section.",
		"1|main.tex:8|We train TinyNet with a learning rate of $3 \\times 10^{-4}$ and a batch size of 256. The loss is",
		"1|main.tex:14|where $x$ is the error.",
		"1|main.tex:20|After the table.",
		"1|main.tex:22|First item.",
		"1|main.tex:23|Second item.",
		"1|main.tex:26|Last words.",
		"1|main.tex:26|Really last.",
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("paragraphs:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
}
