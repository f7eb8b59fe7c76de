package cli

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strconv"

	"github.com/spf13/cobra"

	"github.com/reprohq/repro/internal/atomicfile"
	"github.com/reprohq/repro/internal/bench"
	"github.com/reprohq/repro/internal/project"
	"github.com/reprohq/repro/internal/region"
	"github.com/reprohq/repro/internal/xerr"
)

const benchLong = `Bench compares a run's results with the numbers the paper reports.

The targets are in the project's benchmarks.yaml, which repro scaffold
writes from the paper's result tables (the rows of the paper's own method,
with the dataset, the metric, the direction and a tolerance per metric
kind) and which you may edit: change a tolerance, add aliases, skip a
target, add one by hand.

RESULTS are files of the run's numbers, in any of these formats:
  CSV         a header with the columns dataset, metric, value (and setting)
  JSON        {"dataset": {"metric": value}}, or a list of records
  JSON Lines  one {"dataset": ..., "metric": ..., "value": ...} per line
  TensorBoard event files (events.out.tfevents.*): the last value of each
              scalar tag "dataset/metric"
Names are matched after normalisation and through the aliases of
benchmarks.yaml.

Each target is ✅ within its tolerance, ⚠️ within twice it, ❌ off, or ⏳ not
run; the verdict (REPRODUCED, PARTIALLY REPRODUCED, NOT REPRODUCED,
INCONCLUSIVE) follows the rule printed with it. docs/benchmarks.md, its
chart docs/benchmarks.svg and the README's benchmarks table are rewritten
unless --no-write is given.

The exit status is 0 when the verdict is REPRODUCED and 4 otherwise, for CI.`

const benchExample = `  # In a generated project, after a run
  repro bench results.csv

  # Another project, several result files, JSON for a script
  repro bench --dir tinyformer-repro --json runs/seed0.json runs/seed1.jsonl

  # The targets alone, every one not run yet
  repro bench`

type benchOptions struct {
	IO      *IOStreams
	Dir     string
	Targets string
	Results []string
	JSON    bool
	NoWrite bool
}

func newCmdBench(f *factory) *cobra.Command {
	opts := &benchOptions{IO: f.IO}
	cmd := &cobra.Command{
		Use:     "bench [flags] [RESULTS...]",
		Short:   "Compare a run's results with the paper's reported numbers",
		Long:    benchLong,
		Example: benchExample,
		RunE: func(cmd *cobra.Command, args []string) error {
			opts.Results = args
			return runBench(cmd.Context(), opts)
		},
	}
	fl := cmd.Flags()
	fl.StringVarP(&opts.Dir, "dir", "C", ".", "the project `DIR`")
	fl.StringVar(&opts.Targets, "targets", "", "the targets `FILE` (default DIR/"+project.BenchmarksFile+")")
	fl.BoolVar(&opts.JSON, "json", false, "print the report as JSON")
	fl.BoolVar(&opts.NoWrite, "no-write", false, "do not rewrite docs/benchmarks.md, its chart and the README table")
	return cmd
}

func runBench(ctx context.Context, opts *benchOptions) error {
	targets := opts.Targets
	if targets == "" {
		targets = filepath.Join(opts.Dir, project.BenchmarksFile)
	}
	f, err := bench.Load(targets)
	if errors.Is(err, fs.ErrNotExist) {
		return xerr.Input(targets, "no benchmark targets file",
			"run repro bench in a project made by repro scaffold (it writes "+project.BenchmarksFile+"), give the project with --dir, or the file with --targets")
	}
	if err != nil {
		return err
	}
	var results []bench.Result
	for _, p := range opts.Results {
		if err := ctx.Err(); err != nil {
			return err
		}
		rs, err := bench.ReadResults(p)
		if err != nil {
			return err
		}
		results = append(results, rs...)
	}
	rep := bench.Compare(f, results)
	if !opts.NoWrite && len(opts.Results) > 0 {
		data, err := json.MarshalIndent(results, "", "  ")
		if err != nil {
			return err
		}
		if err := saveForReport(opts.Dir, benchResultsFile, append(data, '\n')); err != nil {
			return err
		}
	}
	if !opts.NoWrite {
		if err := writeBenchDocs(opts, rep); err != nil {
			return err
		}
	}
	if opts.JSON {
		if _, err := opts.IO.Out.Write(rep.JSON()); err != nil {
			return err
		}
	} else {
		writeBenchText(opts.IO.Out, rep)
	}
	if rep.Failed() {
		return failed("verdict: %s", rep.Verdict)
	}
	return nil
}

// writeBenchDocs writes the chart and rewrites the regions of
// docs/benchmarks.md and README.md; a file without its region is left
// alone, with a warning.
func writeBenchDocs(opts *benchOptions, rep *bench.Report) error {
	docs := filepath.Join(opts.Dir, filepath.FromSlash(project.BenchmarksDoc))
	chart := filepath.Join(filepath.Dir(docs), "benchmarks.svg")
	if _, err := os.Stat(filepath.Dir(docs)); err != nil {
		if !errors.Is(err, fs.ErrNotExist) {
			return err
		}
		opts.IO.warnf("%s: no docs folder: the report was not written", opts.Dir)
		return nil
	}
	if err := atomicfile.WriteFile(chart, rep.SVG()); err != nil {
		return err
	}
	for _, r := range []struct {
		path, name string
		content    []byte
	}{
		{docs, "results", rep.Markdown("benchmarks.svg")},
		{filepath.Join(opts.Dir, project.ReadmeFile), "benchmarks", rep.ReadmeTable()},
	} {
		data, err := os.ReadFile(r.path)
		if errors.Is(err, fs.ErrNotExist) {
			continue
		}
		if err != nil {
			return err
		}
		out, ok := region.Replace(data, r.name, r.content)
		if !ok {
			opts.IO.warnf("%s has no %q region (<!-- repro:begin %s -->): not updated", r.path, r.name, r.name)
			continue
		}
		if string(out) != string(data) {
			if err := atomicfile.WriteFile(r.path, out); err != nil {
				return err
			}
		}
	}
	return nil
}

// statusMark is how the text report shows a status.
var statusMark = map[bench.Status]string{
	bench.StatusOK:     "✅",
	bench.StatusClose:  "⚠️",
	bench.StatusOff:    "❌",
	bench.StatusNotRun: "⏳",
}

func writeBenchText(w io.Writer, rep *bench.Report) {
	num := func(v float64) string { return strconv.FormatFloat(v, 'g', 6, 64) }
	for _, o := range rep.Outcomes {
		t := o.Target
		name := t.Dataset
		if name == "" {
			name = "—"
		}
		name += " · " + t.Metric
		if t.Setting != "" {
			name += " (" + t.Setting + ")"
		}
		ours := "not run"
		if o.Ours != nil {
			ours = num(*o.Ours)
		}
		skip := ""
		if t.Skip {
			skip = " [skipped]"
		}
		fmt.Fprintf(w, "%s %-48s paper %-10s ours %-10s ±%s%s\n", statusMark[o.Status], name, num(t.Value), ours, num(t.Tolerance.Bound(t.Value)), skip)
	}
	for _, r := range rep.Unmatched {
		fmt.Fprintf(w, "?  %s · %s = %s matches no target (%s:%d)\n", r.Dataset, r.Metric, num(r.Value), r.File, r.Line)
	}
	fmt.Fprintf(w, "\nverdict: %s\nrule: %s\n", rep.Verdict, rep.Rule)
}
