package cli

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/reprohq/repro/internal/oracle"
	"github.com/reprohq/repro/internal/xerr"
)

const equationsLong = `Equations lists every display equation of a paper with what repro makes
of it: parsed (its LaTeX read into known constructs), executable (a NumPy
function computes its right-hand side: the reference oracle that the
scaffolded project's tests compare implementations with) or why not
(an expectation, a limit, an arg max over a set, an inequality, ...).

With --check, every executable oracle runs once on random inputs with the
Python interpreter (--python, default python3), which needs NumPy; an
oracle that raises is reported, and the exit status is 4.

--format json gives equations[]{number,label,parsed,executable,reason,python}
(and check{ok,error} with --check) and the totals.`

const equationsExample = `  # The example paper's equations
  repro equations examples/tinyformer

  # As JSON, running every oracle with Debian's Python
  repro equations --format json --check --python /usr/bin/python3 examples/tinyformer`

type equationsOptions struct {
	extractOptions
	Check  bool
	Python string
}

func newCmdEquations(f *factory) *cobra.Command {
	opts := &equationsOptions{extractOptions: extractOptions{IO: f.IO, Extract: f.Extract}}
	cmd := &cobra.Command{
		Use:     "equations [flags] SOURCE",
		Short:   "List a paper's equations: parsed, executable as NumPy oracles, or why not",
		Long:    equationsLong,
		Example: equationsExample,
		Args:    exactArgs(1, "SOURCE"),
		RunE: func(cmd *cobra.Command, args []string) error {
			opts.Source = args[0]
			return runEquations(cmd.Context(), opts)
		},
	}
	fl := cmd.Flags()
	fl.StringVar(&opts.Format, "format", "text", "output format: text or json")
	fl.StringVar(&opts.MainFile, "main", "", "main `FILE` inside SOURCE, overriding detection")
	fl.BoolVar(&opts.Check, "check", false, "run every executable oracle on random inputs")
	fl.StringVar(&opts.Python, "python", "python3", "with --check: the Python interpreter `PATH` (needs NumPy)")
	opts.Remote.register(cmd)
	return cmd
}

// equationJSON is one equation of the --format json output.
type equationJSON struct {
	Number     *string       `json:"number"`
	Label      string        `json:"label"`
	Parsed     bool          `json:"parsed"`
	Executable bool          `json:"executable"`
	Reason     string        `json:"reason"`
	Function   string        `json:"function,omitempty"`
	Python     string        `json:"python"`
	Check      *oracleResult `json:"check,omitempty"`
}

type oracleResult struct {
	OK    bool   `json:"ok"`
	Error string `json:"error,omitempty"`
	Shape []int  `json:"shape,omitempty"`
}

type equationsTotals struct {
	Display            int `json:"display"`
	Parsed             int `json:"parsed"`
	Numbered           int `json:"numbered"`
	NumberedExecutable int `json:"numbered_executable"`
	Executable         int `json:"executable"`
	CheckFailed        int `json:"check_failed,omitempty"`
}

func runEquations(ctx context.Context, opts *equationsOptions) error {
	if opts.Format != "text" && opts.Format != "json" {
		return usageErrorf("use --format text or --format json", "unknown format %q", opts.Format)
	}
	d, err := loadDocument(ctx, &opts.extractOptions)
	if err != nil {
		return err
	}
	eqs, syms := oracle.FromDocument(d)
	oracles := make([]oracle.Oracle, len(eqs))
	for i, e := range eqs {
		oracles[i] = oracle.Translate(e, syms)
	}
	names := oracle.Names(oracles)
	var out []equationJSON
	var tot equationsTotals
	k := 0
	for _, o := range oracles {
		e := equationJSON{Label: o.Label, Parsed: o.Parsed, Executable: o.Executable, Reason: o.Reason, Python: o.Python}
		if o.Number != "" {
			n := o.Number
			e.Number = &n
			tot.Numbered++
		}
		if o.Executable {
			e.Function = names[k]
			k++
			tot.Executable++
			if o.Number != "" {
				tot.NumberedExecutable++
			}
		}
		if o.Parsed {
			tot.Parsed++
		}
		out = append(out, e)
	}
	tot.Display = len(out)
	if opts.Check && tot.Executable > 0 {
		res, err := runOracles(ctx, opts.Python, oracle.Module(oracles, "repro equations --check"))
		if err != nil {
			return err
		}
		for i := range out {
			if out[i].Function == "" {
				continue
			}
			r, ok := res[out[i].Function]
			if !ok {
				r = oracleResult{Error: "not run"}
			}
			out[i].Check = &r
			if !r.OK {
				tot.CheckFailed++
			}
		}
	}
	if opts.Format == "json" {
		if out == nil {
			out = []equationJSON{}
		}
		b, err := json.MarshalIndent(struct {
			Equations []equationJSON  `json:"equations"`
			Totals    equationsTotals `json:"totals"`
		}{out, tot}, "", "  ")
		if err != nil {
			return err
		}
		if _, err := opts.IO.Out.Write(append(b, '\n')); err != nil {
			return err
		}
	} else {
		writeEquationsText(opts.IO.Out, out, tot)
	}
	if tot.CheckFailed > 0 {
		return failed("%d of %d oracles failed to run", tot.CheckFailed, tot.Executable)
	}
	return nil
}

func writeEquationsText(w io.Writer, eqs []equationJSON, tot equationsTotals) {
	for _, e := range eqs {
		num := "unnumbered"
		if e.Number != nil {
			num = "(" + *e.Number + ")"
		}
		state := "executable: " + e.Function
		switch {
		case !e.Parsed:
			state = "not parsed: " + e.Reason
		case !e.Executable:
			state = "not executable: " + e.Reason
		}
		if e.Check != nil {
			if e.Check.OK {
				state += " · ran"
			} else {
				state += " · FAILED: " + e.Check.Error
			}
		}
		fmt.Fprintf(w, "%-12s %s\n", num, state)
	}
	pct := func(a, b int) string {
		if b == 0 {
			return "–"
		}
		return fmt.Sprintf("%.1f%%", 100*float64(a)/float64(b))
	}
	fmt.Fprintf(w, "\n%d display equations: %d parsed (%s); %d numbered, %d of them executable (%s)\n",
		tot.Display, tot.Parsed, pct(tot.Parsed, tot.Display), tot.Numbered, tot.NumberedExecutable, pct(tot.NumberedExecutable, tot.Numbered))
	if tot.CheckFailed > 0 {
		fmt.Fprintf(w, "%d oracles failed to run\n", tot.CheckFailed)
	}
}

// oracleRunner runs every oracle of the module once on its example inputs
// and prints a JSON object: name → {ok, error, shape}.
const oracleRunner = `
import json, sys
import numpy as np
sys.path.insert(0, sys.argv[1])
import oracles_under_check as m
rng = np.random.default_rng(0)
out = {}
for name, (fn, inputs) in m.ORACLES.items():
    try:
        with np.errstate(all="ignore"):
            r = np.asarray(fn(**inputs(rng)))
        out[name] = {"ok": True, "shape": list(r.shape)}
    except Exception as e:
        out[name] = {"ok": False, "error": type(e).__name__ + ": " + str(e)[:300]}
print(json.dumps(out))
`

// runOracles writes the module to a temporary folder and runs it.
func runOracles(ctx context.Context, python string, module []byte) (map[string]oracleResult, error) {
	dir, err := os.MkdirTemp("", "repro-oracles-")
	if err != nil {
		return nil, err
	}
	defer os.RemoveAll(dir)
	if err := os.WriteFile(filepath.Join(dir, "oracles_under_check.py"), module, 0o644); err != nil {
		return nil, err
	}
	ctx, cancel := context.WithTimeout(ctx, 5*time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, python, "-c", oracleRunner, dir)
	cmd.Env = append(os.Environ(), "PYTHONDONTWRITEBYTECODE=1")
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	if err := cmd.Run(); err != nil {
		msg := strings.TrimSpace(stderr.String())
		hint := "choose an interpreter with NumPy with --python (Debian: apt install python3-numpy)"
		if strings.Contains(msg, "No module named 'numpy'") {
			return nil, xerr.Input(python, "this Python has no NumPy, which the oracles need", hint)
		}
		if len(msg) > 600 {
			msg = msg[len(msg)-600:]
		}
		return nil, &xerr.Error{Kind: xerr.KindInput, File: python, Msg: "running the oracles failed: " + err.Error() + ": " + msg, Hint: hint}
	}
	res := map[string]oracleResult{}
	if err := json.Unmarshal(stdout.Bytes(), &res); err != nil {
		return nil, fmt.Errorf("reading the oracles' results: %w", err)
	}
	return res, nil
}
