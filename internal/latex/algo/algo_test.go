package algo

import (
	"fmt"
	"os"
	"strings"
	"testing"

	"github.com/reprohq/repro/doc"
	"github.com/reprohq/repro/internal/golden"
)

// steps renders steps compactly, one per line: kind@depth text // comment #label.
func steps(ss []doc.Step) string {
	var b strings.Builder
	for _, s := range ss {
		fmt.Fprintf(&b, "%s@%d %s", s.Kind, s.Depth, s.Text)
		if s.Comment != "" {
			b.WriteString(" // " + s.Comment)
		}
		if s.Label != "" {
			b.WriteString(" #" + s.Label)
		}
		b.WriteString("\n")
	}
	return b.String()
}

func TestParse(t *testing.T) {
	tests := []struct {
		name, body string
		pkg        string
		pseudo     string
		steps      string // when set, compared with steps()
		inputs     []string
		outputs    []string
	}{
		{
			name: "algorithmic",
			body: `\begin{algorithmic}[1]
\REQUIRE data $D$, steps $T$
\ENSURE model $\theta$
\STATE $\theta \gets 0$
\FOR{$t = 1$ \TO $T$}
  \IF{$t \bmod 2 = 0$ \AND \NOT done}
    \STATE even \COMMENT{a comment}
  \ELSIF{$t = 1$}
    \STATE first
  \ELSE
    \STATE odd
  \ENDIF
\ENDFOR
\RETURN $\theta$
\end{algorithmic}`,
			pkg: Algorithmic,
			pseudo: `Input: data $D$, steps $T$
Output: model $\theta$
$\theta \gets 0$
for $t = 1$ to $T$ do
  if $t \bmod 2 = 0$ and not done then
    even  // a comment
  else if $t = 1$ then
    first
  else
    odd
  end if
end for
return $\theta$
`,
			steps: `require@0 data $D$, steps $T$
ensure@0 model $\theta$
statement@0 $\theta \gets 0$
for@0 $t = 1$ to $T$
if@1 $t \bmod 2 = 0$ and not done
statement@2 even // a comment
elseif@1 $t = 1$
statement@2 first
else@1 
statement@2 odd
return@0 $\theta$
`,
			inputs:  []string{"data $D$, steps $T$"},
			outputs: []string{"model $\\theta$"},
		},
		{
			name: "algorithmic while repeat forall",
			body: `\begin{algorithmic}
\WHILE{not converged}
\FORALL{$x \in S$}
\STATE update $x$
\ENDFOR
\ENDWHILE
\REPEAT
\STATE step
\UNTIL{done}
\LOOP
\PRINT hello
\ENDLOOP
\end{algorithmic}`,
			pkg: Algorithmic,
			pseudo: `while not converged do
  for all $x \in S$ do
    update $x$
  end for
end while
repeat
  step
until done
loop
  print hello
end loop
`,
		},
		{
			name: "algpseudocode",
			body: `\caption{Train}\label{alg:train}
\begin{algorithmic}[1]
\Require $x$
\Ensure $y$
\Function{Train}{$D$, $\eta$}
  \State $w \gets 0$ \Comment{init}
  \For{$i \gets 1, n$}
    \State $w \gets w - \eta g_i$ \label{line:update}
  \EndFor
  \While{$\|g\| > \epsilon$} \Comment{until small}
    \State $g \gets \Call{Grad}{w}$
  \EndWhile
  \State \Return $w$
\EndFunction
\Procedure{Main}{}
  \State \Call{Train}{$D$, 0.1}
\EndProcedure
\end{algorithmic}`,
			pkg: Algpseudocode,
			pseudo: `Input: $x$
Output: $y$
function Train($D$, $\eta$)
  $w \gets 0$  // init
  for $i \gets 1, n$ do
    $w \gets w - \eta g_i$
  end for
  while $\|g\| > \epsilon$ do  // until small
    $g \gets \textsc{Grad}(w)$
  end while
  return $w$
end function
procedure Main()
  Train($D$, 0.1)
end procedure
`,
			steps: `require@0 $x$
ensure@0 $y$
function@0 Train($D$, $\eta$)
statement@1 $w \gets 0$ // init
for@1 $i \gets 1, n$
statement@2 $w \gets w - \eta g_i$ #line:update
while@1 $\|g\| > \epsilon$ // until small
statement@2 $g \gets \textsc{Grad}(w)$
return@1 $w$
function@0 Main()
statement@1 Train($D$, 0.1)
`,
		},
		{
			name: "statex and unbraced comment",
			body: `\begin{algorithmic}
\State $a \gets 1$ \Comment Sample the noise
\Statex
\Statex continued text
\State {\bfseries Input:} nothing
\State \textbf{output} the result
\State \textbf{return} $a$
\end{algorithmic}`,
			pkg: Algpseudocode,
			steps: `statement@0 $a \gets 1$ // Sample the noise
statement@0 continued text
require@0 nothing
ensure@0 the result
return@0 $a$
`,
		},
		{
			name: "item input lines",
			body: `\begin{algorithmic}
\item[\textbf{Input:}] a graph $G$
\item[\textbf{Output:}] a tree
\State go
\end{algorithmic}`,
			pkg:    Algpseudocode,
			pseudo: "Input: a graph $G$\nOutput: a tree\ngo\n",
		},
		{
			name: "preamble inputs",
			body: `{\it Inputs:} data $x$; {\it Outputs:} $y$.
\begin{algorithmic}
\STATE work
\end{algorithmic}`,
			pkg:     Algorithmic,
			pseudo:  "Input: data $x$\nOutput: $y$.\nwork\n",
			inputs:  []string{"data $x$"},
			outputs: []string{"$y$."},
		},
		{
			name: "unbalanced ends",
			body: `\begin{algorithmic}
\ENDFOR
\STATE a
\FOR{x}
\STATE b
\end{algorithmic}`,
			pkg:    Algorithmic,
			pseudo: "end for\na\nfor x do\n  b\n",
		},
		{
			name: "algorithm2e",
			body: `[H]
\SetAlgoLined
\DontPrintSemicolon
\SetKwInOut{Input}{Input}
\SetKwInOut{Output}{Output}
\SetKwFunction{FTrain}{Train}
\SetKwProg{Fn}{Function}{:}{end}
\Input{data $D$}
\Output{weights $w$}
\KwData{extra}
\BlankLine
\Fn{\FTrain{$D$}}{
  $w \gets 0$\;
  \For{$t \gets 1$ \KwTo $T$}{
    \eIf{$t$ odd}{
      $w \gets w + 1$\; \tcp{odd step}
    }{
      $w \gets w - 1$\tcp*[r]{even step}
    }
  }
  \KwRet{$w$}\;
}
\While{not done}{
  \uIf{a}{x\;}
  \uElseIf{b}{y\;}
  \Else{z\;}
}
\Repeat{converged}{
  step\;
}
\ForEach{$v \in V$}{visit $v$\;}
\lIf{$q$}{stop}
\tcc{the end}
`,
			pkg: Algorithm2e,
			pseudo: `Input: data $D$
Output: weights $w$
Input: extra
function Train($D$)
  $w \gets 0$
  for $t \gets 1$ to $T$ do
    if $t$ odd then
      $w \gets w + 1$
      // odd step
    else
      $w \gets w - 1$  // even step
    end if
  end for
  return $w$
end function
while not done do
  if a then
    x
  else if b then
    y
  else
    z
  end if
end while
repeat
  step
until converged
for each $v \in V$ do
  visit $v$
end for each
if $q$ then
  stop
// the end
`,
			inputs:  []string{"data $D$", "extra"},
			outputs: []string{"weights $w$"},
		},
		{
			name: "algorithm2e blank lines and labels",
			body: `\KwIn{$x$}
Initialize $y$

\nl\lnl{line:a} compute $z$ \label{ignored}

\If(\tcp*[h]{check}){$z > 0$}{
  $y \gets z$ \label{line:b}
}
\Indp
indented\;
\Indm
back\;`,
			pkg: Algorithm2e,
			steps: `require@0 $x$
statement@0 Initialize $y$
statement@0 compute $z$ #ignored
if@0 $z > 0$ // check
statement@1 $y \gets z$ #line:b
statement@1 indented
statement@0 back
`,
		},
		{
			name: "algorithm2e preamble definitions",
			body: `\Input{$x$}
\Output{$y$}
\Fn{Solve($x$)}{
  $y \gets x$\; \Comment*[r]{copy}
  \Return{$y$}\;
}`,
			pkg:     Algorithm2e,
			pseudo:  "Input: $x$\nOutput: $y$\nfunction Solve($x$)\n  $y \\gets x$\n  // copy\n  return $y$\nend function\n",
			inputs:  []string{"$x$"},
			outputs: []string{"$y$"},
		},
		{
			name:   "algorithm2e without markers",
			body:   "\\For{$i$}{\n  work\n}\n\\If{done}{stop}",
			pkg:    Algorithm2e,
			pseudo: "for $i$ do\n  work\nend for\nif done then\n  stop\nend if\n",
		},
		{
			name:   "algpseudocode without environment",
			body:   "\\State a\n\\If{b}\\State c\\EndIf",
			pkg:    Algpseudocode,
			pseudo: "a\nif b then\n  c\nend if\n",
		},
		{
			name:   "plain lines",
			body:   "\\caption{x}\\label{alg:x}\nFirst line\\\\\nSecond line\n\nInput: things",
			pkg:    "",
			pseudo: "First line\nSecond line\nInput: things\n",
			inputs: []string{"things"},
		},
		{
			name:   "empty",
			body:   "",
			pkg:    "",
			pseudo: "",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := Parse(tt.body)
			if r.Package != tt.pkg {
				t.Errorf("Package = %q; want %q", r.Package, tt.pkg)
			}
			if tt.pseudo != "" && r.Pseudocode != tt.pseudo {
				t.Errorf("Pseudocode:\n%s\nwant:\n%s", r.Pseudocode, tt.pseudo)
			}
			if tt.steps != "" && steps(r.Steps) != tt.steps {
				t.Errorf("Steps:\n%s\nwant:\n%s", steps(r.Steps), tt.steps)
			}
			if tt.inputs != nil && fmt.Sprint(r.Inputs) != fmt.Sprint(tt.inputs) {
				t.Errorf("Inputs = %q; want %q", r.Inputs, tt.inputs)
			}
			if tt.outputs != nil && fmt.Sprint(r.Outputs) != fmt.Sprint(tt.outputs) {
				t.Errorf("Outputs = %q; want %q", r.Outputs, tt.outputs)
			}
			checkResult(t, r)
		})
	}
}

// checkResult asserts the invariants of every result.
func checkResult(t *testing.T, r Result) {
	t.Helper()
	if r.Steps == nil || r.Inputs == nil || r.Outputs == nil {
		t.Fatal("nil slice in result")
	}
	kinds := map[string]bool{
		doc.StepStatement: true, doc.StepIf: true, doc.StepElseIf: true, doc.StepElse: true,
		doc.StepFor: true, doc.StepWhile: true, doc.StepRepeat: true, doc.StepUntil: true,
		doc.StepFunction: true, doc.StepReturn: true, doc.StepComment: true, doc.StepRequire: true,
		doc.StepEnsure: true,
	}
	for i, s := range r.Steps {
		if !kinds[s.Kind] {
			t.Fatalf("step %d: kind %q", i, s.Kind)
		}
		if s.Depth < 0 {
			t.Fatalf("step %d: depth %d", i, s.Depth)
		}
		if strings.Contains(s.Text, "\n") || strings.Contains(s.Comment, "\n") {
			t.Fatalf("step %d: newline in %q / %q", i, s.Text, s.Comment)
		}
	}
	if r.Pseudocode != "" && !strings.HasSuffix(r.Pseudocode, "\n") {
		t.Fatalf("pseudocode does not end with a newline: %q", r.Pseudocode)
	}
	if n := strings.Count(r.Pseudocode, "\n"); n < len(r.Steps) {
		t.Fatalf("pseudocode has %d lines for %d steps", n, len(r.Steps))
	}
}

// TestGolden parses testdata/*.tex and compares the JSON result with
// testdata/*.golden.json; run with -update to rewrite those.
func TestGolden(t *testing.T) {
	golden.Inputs(t, "testdata/*.tex", func(t *testing.T, path string, src []byte) {
		r := Parse(string(src))
		if !golden.CheckJSON(t, strings.TrimSuffix(path, ".tex")+".golden.json", r) {
			t.Logf("pseudocode:\n%s", r.Pseudocode)
		}
	})
}

func FuzzAlgo(f *testing.F) {
	for _, s := range []string{
		``, `\begin{algorithmic}\STATE x\end{algorithmic}`,
		`\begin{algorithmic}\IF{a}\STATE b\ELSE\STATE c\ENDIF\end{algorithmic}`,
		`\State \Return $x$ \Comment{c}`,
		`\For{a}{b\;}`, `\eIf{a}{b}{c}`, `\SetKwFunction{F}{f}\F{x}\;`, `\SetKwProg{Fn}{F}{}{}\Fn{x}{y\;}`,
		`\Repeat{a}{b\;}`, `\If(\tcp*[h]{c}){x}{y}`, `{{{{\;}}}}`, `\tcp*[r]{c}`, `\Indm\Indm x\;`,
		`[H] \item[Input:] x`, `$\;$ \; $$a$$`, `\begin{algorithmic}\FOR{`, `\Function{f}`,
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, body string) {
		checkResult(t, Parse(body))
	})
}

func BenchmarkParse(b *testing.B) {
	src, err := os.ReadFile("testdata/algpseudocode.tex")
	if err != nil {
		b.Fatal(err)
	}
	s := string(src)
	b.SetBytes(int64(len(s)))
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		Parse(s)
	}
}
