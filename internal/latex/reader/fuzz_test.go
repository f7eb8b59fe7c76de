package reader

import (
	"path/filepath"
	"strings"
	"testing"
	"time"

	"golang.org/x/tools/txtar"
)

// seedFiles returns the .tex files of the golden cases, to seed fuzzers.
func seedFiles(f *testing.F) []string {
	files, _ := filepath.Glob("testdata/*.txtar")
	var out []string
	for _, file := range files {
		a, err := txtar.ParseFile(file)
		if err != nil {
			f.Fatal(err)
		}
		for _, tf := range a.Files {
			if strings.HasSuffix(tf.Name, ".tex") {
				out = append(out, string(tf.Data))
			}
		}
	}
	return out
}

// readChecked reads src as a paper and fails on a reader panic (turned
// into an "internal error" warning) or on a read that does not finish.
func readChecked(t *testing.T, files mapFiles) {
	t.Helper()
	done := make(chan string, 1)
	go func() {
		d := Read(files, "main.tex", Options{MaxExpansions: 20000, MaxTokens: 200000})
		for _, w := range d.Warnings {
			if strings.Contains(w.Message, "internal error") {
				done <- w.Message
				return
			}
		}
		done <- ""
	}()
	select {
	case msg := <-done:
		if msg != "" {
			t.Fatal(msg)
		}
	case <-time.After(20 * time.Second):
		t.Fatal("read did not finish in 20s")
	}
}

// FuzzRead fuzzes the whole reader (stomach, math, floats) on one file.
func FuzzRead(f *testing.F) {
	for _, s := range seedFiles(f) {
		f.Add(s)
	}
	for _, s := range []string{`\begin{align}a\\`, `$$`, `\[`, `\begin{table}\caption`, `\tag*{`, `\section*`,
		`\begin{subequations}\end{align}`, `\appendix\appendix`, `\setcounter{equation}{-5}`, `\caption[}`} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, src string) {
		readChecked(t, mapFiles{"main.tex": []byte(src), "sub.tex": []byte(src)})
	})
}

// FuzzExpand fuzzes the macro expander: definitions in the preamble, uses
// in the body.
func FuzzExpand(f *testing.F) {
	f.Add(`\newcommand{\a}[2][x]{#1#2}`, `\a{b}\a[c]{d}`)
	f.Add(`\def\p<#1,#2>{#1}`, `\p<1,2>\p<3`)
	f.Add(`\def\a{\a}`, `\a`)
	f.Add(`\newenvironment{e}[1]{\begin{equation}#1}{\end{equation}}`, `\begin{e}{x}y\end{e}`)
	f.Add(`\newif\ifz\ztrue`, `\ifz a\else b\fi\iffalse\fi\fi\else`)
	f.Add(`\let\a\b\let\b\a`, `\a\b`)
	f.Add(`\DeclareMathOperator*{\am}{arg\,max}\DeclarePairedDelimiter{\abs}{|}{|}`, `$\am\abs{x}$`)
	f.Add(`\NewDocumentCommand{\x}{O{1} m}{#1#2}`, `\x{a}`)
	f.Add(`\renewcommand{\theequation}{\Alph{section}-\roman{equation}}`, `\section{A}\begin{equation}x\end{equation}`)
	f.Fuzz(func(t *testing.T, defs, body string) {
		src := "\\documentclass{article}\n" + defs + "\n\\begin{document}\n" + body + "\n\\end{document}\n"
		readChecked(t, mapFiles{"main.tex": []byte(src)})
	})
}
