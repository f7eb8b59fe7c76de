package cli

import (
	"context"
	"fmt"
	"os"
	"path"
	"path/filepath"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/spf13/cobra"

	runner "github.com/reprohq/repro/internal/run"
	"github.com/reprohq/repro/internal/xerr"
)

const runLong = `Run runs a command of a generated project where the compute is, records
it in runs/<id>/run.json and brings its results back.

  --on local (default)   in the project, on this machine, with the
                         project's Python (as repro check chooses it:
                         --python, .repro/project.json, uv, python3)
  --on ssh://[user@]host[:port]/path
                         on a server: the project is sent to path (rsync,
                         else tar over ssh; .git, runs/, results/,
                         __pycache__ and .venv are left out), the command
                         runs detached (nohup setsid) so that it survives a
                         dropped connection, its log is streamed here, and
                         results/ and checkpoints/ come back when it ends.
                         A path starting with /~/ is under the home folder;
                         without a path, ~/repro-runs/<project>.
  --on slurm, slurm://login-host, colab
                         other engines (see their own documentation)

The system's ssh is used, so ~/.ssh/config, agents and ProxyJump apply;
$REPRO_SSH_OPTIONS (such as "-i ~/.ssh/gpu -o StrictHostKeyChecking=no") and
--ssh-option add ssh options.

The command's output goes to standard output and to runs/<id>/output.log.
A leading "python" or "python3" in the command is the project's interpreter
(locally) or python3 (on a host, unless --python). --config is recorded with
its hash and given to the command as $REPRO_CONFIG.

Ctrl-C stops a local run; a remote run goes on, and
repro run --resume ID reattaches: the log continues where it stopped and the
results are fetched. repro run --list lists the runs.

The exit status is 0 when the command succeeded, 4 when it failed (the end
of its log is printed on standard error), 130 when interrupted.`

const runExample = `  # On this machine
  repro run -- python scripts/train.py --config configs/small.yaml

  # On a GPU server, then compare with the paper
  repro run --on ssh://me@gpu1/~/tinyformer --config configs/paper.yaml --bench -- python scripts/train.py --config configs/paper.yaml

  # Reattach after a dropped connection; list the runs
  repro run --resume 20261126-135501-a1b2
  repro run --list`

type runOptions struct {
	IO         *IOStreams
	Dir        string
	Command    []string
	On         string
	Config     string
	GPUs       int
	Time       string
	Partition  string
	Seeds      []int
	Python     string
	Resume     string
	NoFetch    bool
	List       bool
	Bench      bool
	SSHOptions []string
}

func newCmdRun(f *factory) *cobra.Command {
	opts := &runOptions{IO: f.IO}
	cmd := &cobra.Command{
		Use:     "run [flags] [DIR] -- CMD...",
		Short:   "Run a project's command here, over ssh, on Slurm or Colab, and fetch its results",
		Long:    runLong,
		Example: runExample,
		RunE: func(cmd *cobra.Command, args []string) error {
			before := args
			if dash := cmd.ArgsLenAtDash(); dash >= 0 {
				before, opts.Command = args[:dash], args[dash:]
			}
			if len(before) > 1 {
				return usageErrorf("run '"+cmd.CommandPath()+" --help' for usage; the command goes after --",
					"%s takes at most one folder before --; got %s", cmd.CommandPath(), strings.Join(before, " "))
			}
			opts.Dir = "."
			if len(before) == 1 {
				opts.Dir = before[0]
			}
			return runRun(cmd.Context(), opts)
		},
	}
	fl := cmd.Flags()
	fl.StringVar(&opts.On, "on", "local", "where to run (`TARGET`): local, ssh://[user@]host[:port]/path, slurm, slurm://login-host or colab")
	fl.StringVar(&opts.Config, "config", "", "the config `FILE` of the run, relative to the project (recorded with its hash)")
	fl.IntVar(&opts.GPUs, "gpus", 0, "`N` GPUs to ask for (Slurm)")
	fl.StringVar(&opts.Time, "time", "", "time limit `HH:MM:SS` (Slurm)")
	fl.StringVar(&opts.Partition, "partition", "", "the Slurm `PARTITION`")
	fl.IntSliceVar(&opts.Seeds, "seeds", nil, "`SEEDS`, as 1,2,3 (a Slurm job array; one seed elsewhere, as $SEED)")
	fl.StringVar(&opts.Python, "python", "", "the Python interpreter `PATH` (default: the project's locally, python3 on a host)")
	fl.StringVar(&opts.Resume, "resume", "", "reattach to run `ID`: follow its log and fetch its results")
	fl.BoolVar(&opts.NoFetch, "no-fetch", false, "leave results/ and checkpoints/ on the target")
	fl.BoolVar(&opts.List, "list", false, "list the project's runs")
	fl.BoolVar(&opts.Bench, "bench", false, "compare the fetched results with the paper (repro bench) when the run succeeded")
	fl.StringArrayVar(&opts.SSHOptions, "ssh-option", nil, "an ssh `OPTION`, as ConnectTimeout=10 (for -o) or \"-i KEY\" (repeatable)")
	return cmd
}

func runRun(ctx context.Context, opts *runOptions) error {
	hint := "run 'repro run --help' for usage"
	switch {
	case opts.List && (opts.Resume != "" || len(opts.Command) > 0):
		return usageErrorf(hint, "--list takes no command and no --resume")
	case opts.Resume != "" && len(opts.Command) > 0:
		return usageErrorf("--resume reattaches to a recorded run with its own command; drop the command after --", "--resume takes no command")
	case !opts.List && opts.Resume == "" && len(opts.Command) == 0:
		return usageErrorf("give the command after --: repro run -- python scripts/train.py --config configs/small.yaml", "no command to run")
	case opts.GPUs < 0:
		return usageErrorf(hint, "--gpus cannot be negative")
	}
	if fi, err := os.Stat(opts.Dir); err != nil || !fi.IsDir() {
		return xerr.Input(opts.Dir, "no such project folder", "give the folder of a project made by repro scaffold, or run repro run inside it")
	}
	if opts.List {
		return listRuns(opts)
	}
	if _, err := runner.ParseTarget(opts.On); err != nil {
		return err
	}
	sshOpts, err := runner.SSHOptions(os.Getenv("REPRO_SSH_OPTIONS"), opts.SSHOptions)
	if err != nil {
		return err
	}
	ro := &runner.Options{Out: opts.IO.Out, SSHOptions: sshOpts, NoFetch: opts.NoFetch}
	if opts.IO.StderrTTY {
		ro.Progress = func(msg string) { opts.IO.progressf("%s", msg) }
	}
	var rec *runner.Record
	if opts.Resume != "" {
		rec, err = runner.Resume(ctx, opts.Dir, opts.Resume, ro)
	} else {
		rec, err = runner.Run(ctx, opts.On, runner.Spec{
			Project:   opts.Dir,
			Command:   opts.Command,
			Config:    filepath.ToSlash(opts.Config),
			Python:    opts.Python,
			GPUs:      opts.GPUs,
			Time:      opts.Time,
			Partition: opts.Partition,
			Seeds:     opts.Seeds,
		}, ro)
	}
	if err != nil {
		return err
	}
	return runOutcome(ctx, opts, rec)
}

// runOutcome reports how the run ended: the failing command's log tail, or
// the results with the repro bench command to compare them (run with
// --bench).
func runOutcome(ctx context.Context, opts *runOptions, rec *runner.Record) error {
	e := opts.IO.ErrOut
	took := ""
	if !rec.Started.IsZero() && !rec.Ended.IsZero() {
		took = " in " + rec.Ended.Sub(rec.Started).Round(time.Second).String()
	}
	switch rec.Status {
	case runner.StatusSucceeded:
	case runner.StatusFailed:
		code := "?"
		if rec.ExitCode != nil {
			code = fmt.Sprint(*rec.ExitCode)
		}
		fmt.Fprintf(e, "repro: run %s failed%s (exit code %s); the end of its log (%s):\n", rec.ID, took, code,
			path.Join(runner.RunsDir, rec.ID, runner.LogFile))
		if tail := runner.Tail(rec.Spec.Project, rec.ID, 20); tail != "" {
			fmt.Fprintln(e, tail)
		}
		return failed("run %s: the command failed with exit code %s", rec.ID, code)
	case runner.StatusLost:
		return xerr.Input("", "run "+rec.ID+" is lost: "+rec.Error, "its log so far is in "+path.Join(runner.RunsDir, rec.ID, runner.LogFile))
	case runner.StatusCancelled:
		return failed("run %s was cancelled", rec.ID)
	default:
		fmt.Fprintf(e, "repro: run %s is %s; reattach with: repro run --resume %s%s\n", rec.ID, rec.Status, rec.ID, dirArg(opts.Dir))
		return nil
	}
	fmt.Fprintf(e, "repro: run %s succeeded%s\n", rec.ID, took)
	var benchable []string
	if len(rec.Results) > 0 {
		fmt.Fprintf(e, "repro: results:\n")
		for _, f := range rec.Results {
			fmt.Fprintf(e, "  %s\n", f)
			if isResultFile(f) {
				benchable = append(benchable, filepath.Join(opts.Dir, filepath.FromSlash(f)))
			}
		}
	}
	if len(benchable) == 0 {
		return nil
	}
	if !opts.Bench {
		args := make([]string, len(benchable))
		for i, b := range benchable {
			args[i] = shellWord(b)
		}
		fmt.Fprintf(e, "repro: compare them with the paper: repro bench%s %s\n", dirFlag(opts.Dir), strings.Join(args, " "))
		return nil
	}
	return runBench(ctx, &benchOptions{IO: opts.IO, Dir: opts.Dir, Results: benchable})
}

// isResultFile reports whether repro bench reads the file.
func isResultFile(f string) bool {
	if !strings.HasPrefix(f, "results/") {
		return false
	}
	switch strings.ToLower(path.Ext(f)) {
	case ".csv", ".json", ".jsonl":
		return true
	}
	return strings.Contains(path.Base(f), "tfevents")
}

func dirArg(dir string) string {
	if filepath.Clean(dir) == "." {
		return ""
	}
	return " " + shellWord(dir)
}

func dirFlag(dir string) string {
	if filepath.Clean(dir) == "." {
		return ""
	}
	return " --dir " + shellWord(dir)
}

// shellWord quotes s for a shell when it needs it.
func shellWord(s string) string { return runner.Quote(s) }

// listRuns prints the project's runs as a table on standard output.
func listRuns(opts *runOptions) error {
	recs, err := runner.List(opts.Dir)
	if err != nil {
		return err
	}
	if len(recs) == 0 {
		fmt.Fprintf(opts.IO.ErrOut, "repro: no runs in %s (no %s/*/%s)\n", opts.Dir, runner.RunsDir, runner.RecordFile)
		return nil
	}
	tw := tabwriter.NewWriter(opts.IO.Out, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "ID\tENGINE\tTARGET\tSTATUS\tSTARTED\tCOMMAND")
	for _, r := range recs {
		started := r.Started
		if started.IsZero() {
			started = r.Created
		}
		status := r.Status
		if r.ExitCode != nil && *r.ExitCode != 0 {
			status += fmt.Sprintf(" (%d)", *r.ExitCode)
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\t%s\n", r.ID, r.Engine, r.Target, status,
			started.UTC().Format("2006-01-02 15:04:05Z"), runner.QuoteArgs(r.Command))
	}
	return tw.Flush()
}
