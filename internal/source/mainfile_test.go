package source

import (
	"strings"
	"testing"
)

func TestDetectMain(t *testing.T) {
	tests := []struct {
		name  string
		files map[string]string
		want  string
	}{
		{"single", map[string]string{"paper.tex": art}, "paper.tex"},
		{"one of two has both", map[string]string{
			"a.tex": art, "b.tex": body,
		}, "a.tex"},
		{"commented-out documentclass does not count", map[string]string{
			"a.tex": "% \\documentclass{article}\n\\begin{document}\n\\end{document}\n",
			"b.tex": "\\documentclass{article}\n\\begin{document}\n",
		}, "b.tex"},
		{"escaped percent is not a comment", map[string]string{
			"a.tex": "50\\% \\documentclass{article}\n\\begin{document}\n",
			"b.tex": "\\documentclass{article}\n",
		}, "a.tex"},
		{"double backslash then percent is a comment", map[string]string{
			"a.tex": "\\\\% \\documentclass{article}\n\\begin{document}\n",
			"b.tex": "\\documentclass{article}\\begin{document}\n",
		}, "b.tex"},
		{"not inputted wins over larger", map[string]string{
			"main2.tex":     "\\documentclass{article}\n\\begin{document}\n\\input{old/paper}\n\\end{document}\n",
			"old/paper.tex": art + strings.Repeat("x", 1000),
		}, "main2.tex"},
		{"main.tex wins by name", map[string]string{
			"main.tex": art, "zzz.tex": art + strings.Repeat("x", 1000),
		}, "main.tex"},
		{"paper.tex before ms.tex", map[string]string{
			"ms.tex": art, "paper.tex": art,
		}, "paper.tex"},
		{"shallowest", map[string]string{
			"a/b/deep.tex": art + strings.Repeat("x", 100), "top.tex": art,
		}, "top.tex"},
		{"largest", map[string]string{
			"small.tex": art, "large.tex": art + strings.Repeat("x", 100),
		}, "large.tex"},
		{"supplement and latexdiff demoted", map[string]string{
			"supplementary.tex": art + strings.Repeat("x", 500),
			"neurips_diff.tex":  art + strings.Repeat("x", 900),
			"diffusion.tex":     art,
		}, "diffusion.tex"},
		{"preamble in an input", map[string]string{
			"preamble.tex":       "\\documentclass{article}\n\\usepackage{amsmath}\n",
			"paper.tex":          "\\input{preamble}\n\\begin{document}\n\\input{sections/intro}\n\\end{document}\n",
			"sections/intro.tex": body,
		}, "paper.tex"},
		{"document body in an input", map[string]string{
			"top.tex":  "\\documentclass{article}\n\\input body\n",
			"body.tex": "\\begin{document}\nx\n\\end{document}\n",
		}, "top.tex"},
		{"begin document only, not inputted", map[string]string{
			"x.tex": "\\begin{document}\n\\input{y}\n", "y.tex": body,
		}, "x.tex"},
		{"documentclass only", map[string]string{
			"x.tex": "\\documentclass{article}\n", "y.tex": body,
		}, "x.tex"},
		{"subfiles: the parts have both but are included", map[string]string{
			"thesis.tex": "\\documentclass{report}\n\\usepackage{subfiles}\n\\begin{document}\n\\subfile{ch/one}\n\\end{document}\n",
			"ch/one.tex": "\\documentclass[../thesis.tex]{subfiles}\n\\begin{document}\n" + strings.Repeat("y", 500) + "\n\\end{document}\n",
		}, "thesis.tex"},
		{"standalone figure", map[string]string{
			"fig.tex": "\\documentclass{standalone}\n\\begin{document}\n" + strings.Repeat("z", 500) + "\\end{document}\n",
			"p.tex":   art,
		}, "p.tex"},
		{"include and import mark files as inputted", map[string]string{
			"a.tex":       "\\documentclass{article}\\begin{document}\\include{b}\\import{sub/}{c}\\end{document}",
			"b.tex":       art + strings.Repeat("b", 100),
			"sub/c.tex":   art + strings.Repeat("c", 100),
			"zz/main.tex": "",
		}, "a.tex"},
		{"00README.json", map[string]string{
			"00README.json": `{"process":{"compiler":"pdflatex"},"sources":[{"filename":"paper_v2.tex","usage":"toplevel"},{"filename":"main.tex","usage":"ignore"}]}`,
			"main.tex":      art,
			"paper_v2.tex":  art,
		}, "paper_v2.tex"},
		{"00README.json ignore", map[string]string{
			"00README.json": `{"sources":[{"filename":"main.tex","usage":"ignore"}]}`,
			"main.tex":      art,
			"other.tex":     art,
		}, "other.tex"},
		{"00README.XXX", map[string]string{
			"00README.XXX": "foo.tex ignore\nreal.tex toplevel\n",
			"foo.tex":      art + strings.Repeat("x", 100),
			"real.tex":     art,
		}, "real.tex"},
		{"00README.XXX toplevelfile", map[string]string{
			"00README.XXX": "real.tex toplevelfile\n",
			"main.tex":     art,
			"real.tex":     art,
		}, "real.tex"},
		{"00README naming a missing file is ignored", map[string]string{
			"00README.json": `{"sources":[{"filename":"gone.tex","usage":"toplevel"}]}`,
			"main.tex":      art,
		}, "main.tex"},
		{"bad 00README.json is ignored", map[string]string{
			"00README.json": `{`,
			"main.tex":      art,
		}, "main.tex"},
		{"documentstyle", map[string]string{
			"old.tex": "\\documentstyle[12pt]{article}\n\\begin{document}\n", "b.tex": body,
		}, "old.tex"},
		{"ltx extension", map[string]string{"paper.ltx": art, "x.tex": body}, "paper.ltx"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			files := map[string][]byte{}
			for k, v := range tt.files {
				files[k] = []byte(v)
			}
			b, err := FromFiles(files, "src")
			if err != nil {
				t.Fatal(err)
			}
			checkBundle(t, b)
			if b.Main != tt.want {
				t.Errorf("main = %q, want %q", b.Main, tt.want)
			}
		})
	}
}

func TestDetectMainWarnings(t *testing.T) {
	b, err := FromFiles(map[string][]byte{
		"00README.json": []byte(`{"sources":[{"filename":"a.tex","usage":"toplevel"},{"filename":"b.tex","usage":"toplevel"},{"filename":"c.tex","usage":"toplevel"}]}`),
		"a.tex":         []byte(art),
		"main.tex":      []byte(art),
		"b.tex":         []byte(art + "more"),
	}, "src")
	if err != nil {
		t.Fatal(err)
	}
	if b.Main != "b.tex" {
		t.Errorf("main = %q, want b.tex (the largest top-level file)", b.Main)
	}
	if !hasWarning(b.Warnings, "several top-level files") || !hasWarning(b.Warnings, `"c.tex"`) {
		t.Errorf("warnings = %v", b.Warnings)
	}
}

func TestDetectMainErrors(t *testing.T) {
	tests := []struct {
		name  string
		files map[string]string
		want  string
	}{
		{"no candidate", map[string]string{"a.tex": body, "b.tex": "% \\documentclass{article}\n"}, `no main LaTeX file found (no \documentclass with \begin{document})`},
		{"no tex files", map[string]string{"README.md": "# hi"}, "no LaTeX files (.tex) found"},
		{"empty", map[string]string{}, "source is empty"},
		{"only unsafe names", map[string]string{"../x.tex": art}, "source is empty"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			files := map[string][]byte{}
			for k, v := range tt.files {
				files[k] = []byte(v)
			}
			_, err := FromFiles(files, "src")
			checkInputErr(t, err, tt.want)
		})
	}
}

func TestStripComments(t *testing.T) {
	tests := []struct{ in, want string }{
		{"a % b\nc", "a \nc"},
		{`a \% b`, `a \% b`},
		{`a \\% b` + "\n", `a \\` + "\n"},
		{"%x\r\ny", "\ny"},
		{"no comment", "no comment"},
		{"", ""},
	}
	for _, tt := range tests {
		if got := stripComments([]byte(tt.in)); got != tt.want {
			t.Errorf("stripComments(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}
