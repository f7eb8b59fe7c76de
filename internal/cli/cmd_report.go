package cli

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/reprohq/repro"
	"github.com/reprohq/repro/doc"
	"github.com/reprohq/repro/internal/atomicfile"
	"github.com/reprohq/repro/internal/bench"
	"github.com/reprohq/repro/internal/check"
	"github.com/reprohq/repro/internal/graph"
	"github.com/reprohq/repro/internal/project"
	htmlreport "github.com/reprohq/repro/internal/report"
	"github.com/reprohq/repro/internal/workspace"
	"github.com/reprohq/repro/internal/xerr"
)

const reportLong = `Report writes one self-contained HTML page about a workspace (made by
repro new), a generated project (made by repro scaffold) or a single paper:
the papers and their dependency graph, every display equation rendered as
MathML (the LaTeX source where the math parser cannot read it), algorithms,
tables, hyperparameters, the benchmark targets with the last results and
their chart, and each equation's status from the last repro check.

The page loads nothing from the network; open it in any browser (MathML is
rendered natively by Chromium 109+, Firefox and Safari).

Without an argument the current folder is reported. A folder is a workspace
when it has repro.yaml and a project when it has .repro/project.json;
anything else is taken as a paper SOURCE (a folder, a .tex file, an archive
or an arXiv reference), extracted, and reported alone.

The report is written to --out; the default is report.html in the workspace
or project, and in the current folder for a SOURCE. --out - writes it to
standard output.`

const reportExample = `  # In a workspace or generated project, after repro check and repro bench
  repro report

  # The example paper, without a project
  repro report --out tinyformer.html examples/tinyformer`

type reportOptions struct {
	extractOptions
	Out string
}

// Files written by check and bench for the report.
const (
	checkFile        = ".repro/check.json"
	benchResultsFile = ".repro/bench-results.json"
)

func newCmdReport(f *factory) *cobra.Command {
	opts := &reportOptions{extractOptions: extractOptions{IO: f.IO, Extract: f.Extract}}
	cmd := &cobra.Command{
		Use:     "report [flags] [WORKSPACE-or-SOURCE]",
		Short:   "Write one self-contained HTML page: equations as MathML, graph, status, benchmarks",
		Long:    reportLong,
		Example: reportExample,
		Args:    maxArgs(1, "WORKSPACE-or-SOURCE"),
		RunE: func(cmd *cobra.Command, args []string) error {
			opts.Source = "."
			if len(args) == 1 {
				opts.Source = args[0]
			}
			return runReport(cmd.Context(), opts)
		},
	}
	fl := cmd.Flags()
	fl.StringVarP(&opts.Out, "out", "o", "", "the HTML `FILE` to write (- for standard output)")
	fl.StringVar(&opts.MainFile, "main", "", "for a SOURCE: main `FILE` inside it, overriding detection")
	opts.Remote.register(cmd)
	return cmd
}

func runReport(ctx context.Context, opts *reportOptions) error {
	in, dir, err := reportInput(ctx, opts)
	if err != nil {
		return err
	}
	in.Generator = "repro " + repro.Version
	page, stats, err := htmlreport.HTML(in)
	if err != nil {
		return err
	}
	out := opts.Out
	if out == "" {
		out = filepath.Join(dir, "report.html")
	}
	if out == "-" {
		_, err := opts.IO.Out.Write(page)
		return err
	}
	if err := atomicfile.WriteFile(out, page); err != nil {
		return err
	}
	fmt.Fprintln(opts.IO.Out, out)
	opts.IO.progressf("report: %d papers, %d display equations (%d as MathML, %d as LaTeX), %d algorithms, %d tables",
		len(in.Papers), stats.Equations, stats.MathML, stats.Fallback, stats.Algorithms, stats.Tables)
	return nil
}

// reportInput gathers what the report shows, and the folder the report
// goes to by default.
func reportInput(ctx context.Context, opts *reportOptions) (*htmlreport.Input, string, error) {
	src := opts.Source
	if st, err := os.Stat(src); err == nil && st.IsDir() {
		abs, err := filepath.Abs(src)
		if err != nil {
			return nil, "", err
		}
		if _, err := os.Stat(filepath.Join(src, workspace.ConfigName)); err == nil {
			in, err := workspaceReport(src)
			if err != nil {
				return nil, "", err
			}
			in.Title = filepath.Base(abs)
			return in, src, nil
		}
		if _, err := os.Stat(filepath.Join(src, filepath.FromSlash(project.File))); err == nil {
			in, err := projectReport(src)
			if err != nil {
				return nil, "", err
			}
			in.Title = filepath.Base(abs)
			return in, src, nil
		}
		if src == "." {
			return nil, "", xerr.Input(abs, "not a workspace or a generated project",
				"run repro report in a folder made by repro new or repro scaffold, or give a paper: repro report examples/tinyformer")
		}
	}
	d, err := loadDocument(ctx, &opts.extractOptions)
	if err != nil {
		return nil, "", err
	}
	id := workspace.LocalID(src)
	if d.ArxivID != "" && !isLocal(src) {
		id = d.ArxivID
	}
	title := d.Title
	if title == "" {
		title = id
	}
	return &htmlreport.Input{Title: title, Papers: []htmlreport.Paper{{ID: id, Doc: d}}}, ".", nil
}

func isLocal(src string) bool {
	_, err := os.Stat(src)
	return err == nil
}

// workspaceReport reads a workspace: its papers, graph, last check and
// benchmarks.
func workspaceReport(dir string) (*htmlreport.Input, error) {
	w, err := workspace.Open(dir, false)
	if err != nil {
		return nil, err
	}
	var papers []htmlreport.Paper
	var gp []graph.Paper
	for _, e := range w.Config.Papers {
		d, err := w.Paper(e.ID)
		if err != nil {
			if errors.Is(err, fs.ErrNotExist) {
				continue // never extracted
			}
			return nil, err
		}
		papers = append(papers, htmlreport.Paper{ID: e.ID, Doc: d})
		gp = append(gp, graph.Paper{ID: e.ID, ArxivID: e.ArxivID, Doc: d})
	}
	if len(papers) == 0 {
		return nil, xerr.Input(dir, "the workspace has no extracted paper", "add one with repro add SOURCE")
	}
	in := &htmlreport.Input{Papers: papers, Graph: graph.Build(gp)}
	return in, projectStatus(dir, in)
}

// projectReport reads a generated project: the papers' context documents
// under papers/, its last check and benchmarks.
func projectReport(dir string) (*htmlreport.Input, error) {
	data, err := os.ReadFile(filepath.Join(dir, filepath.FromSlash(project.File)))
	if err != nil {
		return nil, err
	}
	var m project.Manifest
	if err := json.Unmarshal(data, &m); err != nil {
		return nil, xerr.Input(filepath.Join(dir, filepath.FromSlash(project.File)), "cannot read the project description: "+err.Error(),
			"regenerate the project with repro scaffold")
	}
	var papers []htmlreport.Paper
	var gp []graph.Paper
	for _, p := range m.Papers {
		path := filepath.Join(dir, "papers", p.ID+".context.json")
		data, err := os.ReadFile(path)
		if err != nil {
			if errors.Is(err, fs.ErrNotExist) {
				return nil, xerr.Input(path, "the project has no context document for paper "+p.ID,
					"regenerate the project with this version of repro scaffold (it writes papers/<id>.context.json)")
			}
			return nil, err
		}
		d := doc.New()
		if err := json.Unmarshal(data, d); err != nil {
			return nil, xerr.Input(path, "cannot read the context document: "+err.Error(), "regenerate the project with repro scaffold")
		}
		papers = append(papers, htmlreport.Paper{ID: p.ID, Doc: d})
		gp = append(gp, graph.Paper{ID: p.ID, Doc: d})
	}
	if len(papers) == 0 {
		return nil, xerr.Input(dir, "the project names no paper", "regenerate it with repro scaffold SOURCE")
	}
	in := &htmlreport.Input{Papers: papers, Graph: graph.Build(gp)}
	return in, projectStatus(dir, in)
}

// projectStatus adds the last check and the benchmark comparison of a
// project folder, when there are any.
func projectStatus(dir string, in *htmlreport.Input) error {
	path := filepath.Join(dir, filepath.FromSlash(checkFile))
	if data, err := os.ReadFile(path); err == nil {
		var r check.Report
		if err := json.Unmarshal(data, &r); err != nil {
			return xerr.Input(path, "cannot read the last check: "+err.Error(), "run repro check again")
		}
		in.Check = &r
		in.CheckNote = "the last repro check"
		if st, err := os.Stat(path); err == nil {
			in.CheckNote += " (" + st.ModTime().UTC().Format(time.DateTime) + " UTC)"
		}
	} else if !errors.Is(err, fs.ErrNotExist) {
		return err
	}
	targets := filepath.Join(dir, project.BenchmarksFile)
	f, err := bench.Load(targets)
	if errors.Is(err, fs.ErrNotExist) {
		return nil
	}
	if err != nil {
		return err
	}
	var results []bench.Result
	rpath := filepath.Join(dir, filepath.FromSlash(benchResultsFile))
	if data, err := os.ReadFile(rpath); err == nil {
		if err := json.Unmarshal(data, &results); err != nil {
			return xerr.Input(rpath, "cannot read the last results: "+err.Error(), "run repro bench again")
		}
		files := map[string]bool{}
		for _, r := range results {
			if r.File != "" {
				files[r.File] = true
			}
		}
		var names []string
		for f := range files {
			names = append(names, f)
		}
		sort.Strings(names)
		in.BenchNote = "Results of the last repro bench"
		if len(names) > 0 {
			in.BenchNote += " (" + strings.Join(names, ", ") + ")"
		}
		in.BenchNote += "."
	} else if !errors.Is(err, fs.ErrNotExist) {
		return err
	} else {
		in.BenchNote = "No results yet: run repro bench RESULTS."
	}
	if len(f.Targets) > 0 {
		in.Bench = bench.Compare(f, results)
	}
	return nil
}

// saveForReport writes data under the project's .repro folder for repro
// report; a project without one is left alone.
func saveForReport(root, name string, data []byte) error {
	if _, err := os.Stat(filepath.Join(root, ".repro")); err != nil {
		return nil
	}
	return atomicfile.WriteFile(filepath.Join(root, filepath.FromSlash(name)), data)
}
