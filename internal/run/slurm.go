package run

import (
	"bytes"
	"context"
	"encoding/base64"
	"errors"
	"fmt"
	"io"
	"os"
	"path"
	"path/filepath"
	"regexp"
	"slices"
	"sort"
	"strconv"
	"strings"
	"time"

	"go.yaml.in/yaml/v3"

	"github.com/reprohq/repro/internal/xerr"
)

// Slurm runs a project's command as a Slurm batch job: on this machine's
// cluster (--on slurm: sbatch, squeue and sacct are run here, and the job
// runs in the project's own folder, which the compute nodes must see), or
// through a login host (--on slurm://[user@]login-host[:port][/path]: the
// commands run over ssh and the project is copied to the path, by default
// ~/repro-runs/<project>, as the ssh engine does).
//
// The job script (SbatchScript) writes its output to
// <remote dir>/runs/<id>/slurm-<job>.out (slurm-<job>_<task>.out for a
// job array of seeds) and its exit status to runs/<id>/exit_code (or
// exit_code.<task>) from an EXIT trap, so that the outcome is known even
// where sacct is not configured.
type Slurm struct {
	// Target is the parsed --on value: Host "" for this machine.
	Target Target
	// Shell runs the Slurm commands and copies files: Local{} for this
	// machine (nil means that too), SSH for a login host.
	Shell Shell
	// Poll is the interval between two looks at the queue; default 5s
	// (squeue is not to be hammered on a shared cluster).
	Poll time.Duration
}

func init() {
	Register("slurm", func(t Target, o *Options) (Engine, error) {
		sh := t.Shell(o.SSHOptions)
		if ssh, ok := sh.(*SSH); ok {
			ssh.NoRsync = o.NoRsync
		}
		return &Slurm{Target: t, Shell: sh, Poll: o.Poll}, nil
	})
}

// Name implements Engine.
func (s *Slurm) Name() string { return "slurm" }

// Limits and defaults of the Slurm engine.
const (
	slurmDefaultPoll = 5 * time.Second
	// slurmReadChunk is the most read from one output file in one step.
	slurmReadChunk = 1 << 20
	// slurmQueueRetries is how many failed squeue calls in a row are
	// tolerated (slurmctld restarting, a flaky connection) before Follow
	// gives up; the run can be reattached later.
	slurmQueueRetries = 5
)

func (s *Slurm) shell() Shell {
	if s.Shell != nil {
		return s.Shell
	}
	return Local{}
}

func (s *Slurm) remote() bool { return s.Target.Host != "" }

// run runs a script where the Slurm commands are and returns its output.
// A command that is not there (exit code 127) is an *xerr.Error saying so.
func (s *Slurm) run(ctx context.Context, script string) ([]byte, error) {
	var out bytes.Buffer
	err := s.shell().Run(ctx, script, nil, &out)
	var se *ShellError
	if errors.As(err, &se) && se.ExitCode == 127 {
		hint := "the Slurm commands (sbatch, squeue, sacct) are not installed here; use --on slurm://login-host to submit through a login node"
		if s.remote() {
			hint = "sbatch and squeue are not on the PATH of a non-interactive shell on " + s.shell().String() + "; add them to the PATH in ~/.bashrc or ~/.profile there"
		}
		return out.Bytes(), &xerr.Error{Kind: xerr.KindInput, Msg: "slurm: a command is missing", Err: err, Hint: hint}
	}
	return out.Bytes(), err
}

func (s *Slurm) poll() time.Duration {
	if s.Poll > 0 {
		return s.Poll
	}
	return slurmDefaultPoll
}

// SlurmOptions are the job's resources: the --gpus, --time and
// --partition flags over the config's optional slurm: section.
type SlurmOptions struct {
	GPUs        int      `yaml:"gpus"`
	Time        string   `yaml:"time"`
	Partition   string   `yaml:"partition"`
	Account     string   `yaml:"account"`
	CPUsPerTask int      `yaml:"cpus_per_task"`
	Mem         string   `yaml:"mem"`
	Setup       []string `yaml:"setup"` // shell lines run before the command (module load ...)
}

// slurmConfig reads the slurm: section of the run's config file, if any:
//
//	slurm:
//	  partition: gpu
//	  time: "04:00:00"
//	  gpus: 1
//	  cpus_per_task: 8
//	  mem: 32G
//	  account: my-lab
//	  setup: ["module load cuda/12.1"]
func slurmConfig(spec *Spec) (SlurmOptions, error) {
	var cfg struct {
		Slurm SlurmOptions `yaml:"slurm"`
	}
	if spec.Config == "" {
		return cfg.Slurm, nil
	}
	p := spec.Config
	if !filepath.IsAbs(p) {
		p = filepath.Join(spec.Project, p)
	}
	data, err := os.ReadFile(p)
	if err != nil {
		return cfg.Slurm, &xerr.Error{Kind: xerr.KindInput, File: spec.Config, Msg: "cannot read the config", Err: err,
			Hint: "--config takes a file of the project, such as configs/paper.yaml"}
	}
	if err := yaml.Unmarshal(data, &cfg); err != nil {
		return cfg.Slurm, &xerr.Error{Kind: xerr.KindInput, File: spec.Config, Msg: "cannot read the slurm: section", Err: err,
			Hint: "slurm: takes partition, time, gpus, cpus_per_task, mem, account and setup (a list of shell lines)"}
	}
	return cfg.Slurm, nil
}

// resources merges the flags over the config.
func slurmResources(spec *Spec) (SlurmOptions, error) {
	o, err := slurmConfig(spec)
	if err != nil {
		return o, err
	}
	if spec.GPUs != 0 {
		o.GPUs = spec.GPUs
	}
	if spec.Time != "" {
		o.Time = spec.Time
	}
	if spec.Partition != "" {
		o.Partition = spec.Partition
	}
	return o, o.validate()
}

var (
	slurmTimeRe  = regexp.MustCompile(`^(\d+-)?\d{1,3}:\d{2}:\d{2}$`)
	slurmWordRe  = regexp.MustCompile(`^[A-Za-z0-9._,:+-]+$`)
	slurmMemRe   = regexp.MustCompile(`^\d+[KMGT]?$`)
	slurmJobIDRe = regexp.MustCompile(`^\d+$`)
	slurmNameRe  = regexp.MustCompile(`[^A-Za-z0-9._-]+`)
)

func (o SlurmOptions) validate() error {
	bad := func(msg, hint string) error { return &xerr.Error{Kind: xerr.KindUsage, Msg: msg, Hint: hint} }
	if o.GPUs < 0 {
		return bad(fmt.Sprintf("--gpus %d: a number of GPUs cannot be negative", o.GPUs), "use --gpus 0 for a CPU job")
	}
	if o.Time != "" && !slurmTimeRe.MatchString(o.Time) {
		return bad(fmt.Sprintf("--time %q is not a Slurm time limit", o.Time), "write it as HH:MM:SS or D-HH:MM:SS, e.g. --time 04:00:00")
	}
	if o.Partition != "" && !slurmWordRe.MatchString(o.Partition) {
		return bad(fmt.Sprintf("--partition %q is not a partition name", o.Partition), "sinfo lists the partitions")
	}
	if o.Account != "" && !slurmWordRe.MatchString(o.Account) {
		return bad(fmt.Sprintf("slurm.account %q is not an account name", o.Account), "sacctmgr show assoc user=$USER lists yours")
	}
	if o.Mem != "" && !slurmMemRe.MatchString(o.Mem) {
		return bad(fmt.Sprintf("slurm.mem %q is not a memory size", o.Mem), "write it as sbatch does: 16G, 500M")
	}
	if o.CPUsPerTask < 0 {
		return bad("slurm.cpus_per_task cannot be negative", "")
	}
	for _, l := range o.Setup {
		if strings.ContainsAny(l, "\n\r") {
			return bad("slurm.setup: one shell line per item", "split the lines into list items")
		}
	}
	return nil
}

// slurmProjectName is the project's name for the job name: the folder's
// name, reduced to letters, digits, '.', '_' and '-'.
func slurmProjectName(project string) string {
	abs, err := filepath.Abs(project)
	if err != nil {
		abs = project
	}
	name := strings.Trim(slurmNameRe.ReplaceAllString(filepath.Base(abs), "-"), "-.")
	if name == "" {
		name = "project"
	}
	return name
}

// SbatchScript is the job script of a run: the #SBATCH directives from
// the resources, then a bash script that records its exit status, picks
// the seed of its array task, and runs the command in the project's copy
// (remoteDir, absolute).
func SbatchScript(spec *Spec, rec *Record, remoteDir string, o SlurmOptions) (string, error) {
	if len(spec.Command) == 0 {
		return "", &xerr.Error{Kind: xerr.KindUsage, Msg: "no command to run", Hint: "put the command after --: repro run --on slurm -- python scripts/train.py"}
	}
	if err := o.validate(); err != nil {
		return "", err
	}
	if strings.ContainsAny(remoteDir, "\n\r") || strings.ContainsAny(rec.ID, "\n\r/ ") {
		return "", &xerr.Error{Kind: xerr.KindInternal, Msg: "slurm: a run id or folder with a newline, space or slash"}
	}
	runDir := path.Join(remoteDir, "runs", rec.ID)
	array := slurmArray(spec)
	var b strings.Builder
	w := func(format string, args ...any) { fmt.Fprintf(&b, format+"\n", args...) }
	w("#!/bin/bash")
	w("#SBATCH --job-name=repro-%s-%s", slurmProjectName(spec.Project), rec.ID)
	if array {
		w("#SBATCH --output=%s/slurm-%%A_%%a.out", runDir)
		w("#SBATCH --array=0-%d", len(spec.Seeds)-1)
	} else {
		w("#SBATCH --output=%s/slurm-%%j.out", runDir)
	}
	w("#SBATCH --chdir=%s", remoteDir)
	if o.Partition != "" {
		w("#SBATCH --partition=%s", o.Partition)
	}
	if o.Time != "" {
		w("#SBATCH --time=%s", o.Time)
	}
	if o.GPUs > 0 {
		w("#SBATCH --gres=gpu:%d", o.GPUs)
	}
	if o.CPUsPerTask > 0 {
		w("#SBATCH --cpus-per-task=%d", o.CPUsPerTask)
	}
	if o.Mem != "" {
		w("#SBATCH --mem=%s", o.Mem)
	}
	if o.Account != "" {
		w("#SBATCH --account=%s", o.Account)
	}
	exitFile := "exit_code"
	if array {
		exitFile = "exit_code.<task>"
	}
	w("# Written by repro run %s; the exit status goes to %s/%s.", rec.ID, runDir, exitFile)
	w("set -euo pipefail")
	w("REPRO_RUN_DIR=%s", Quote(runDir))
	if array {
		w(`REPRO_EXIT_FILE="$REPRO_RUN_DIR/exit_code.${SLURM_ARRAY_TASK_ID}"`)
	} else {
		w(`REPRO_EXIT_FILE="$REPRO_RUN_DIR/exit_code"`)
	}
	w(`repro_exit() { local code=$?; echo "$code" > "$REPRO_EXIT_FILE.tmp" && mv -f "$REPRO_EXIT_FILE.tmp" "$REPRO_EXIT_FILE"; }`)
	w("trap repro_exit EXIT")
	w("export REPRO_RUN_ID=%s PYTHONUNBUFFERED=1", Quote(rec.ID))
	if spec.Config != "" {
		w("export REPRO_CONFIG=%s", Quote(filepath.ToSlash(spec.Config)))
	}
	if len(spec.Env) > 0 {
		keys := make([]string, 0, len(spec.Env))
		for k := range spec.Env {
			if k == "REPRO_CONFIG" && spec.Config != "" {
				continue // above
			}
			keys = append(keys, k)
		}
		sort.Strings(keys)
		for _, k := range keys {
			if !sbEnvNameRe.MatchString(k) {
				return "", &xerr.Error{Kind: xerr.KindUsage, Msg: fmt.Sprintf("environment variable name %q", k), Hint: "names are letters, digits and _, not starting with a digit"}
			}
			w("export %s=%s", k, Quote(spec.Env[k]))
		}
	}
	if array {
		seeds := make([]string, len(spec.Seeds))
		for i, s := range spec.Seeds {
			seeds[i] = strconv.Itoa(s)
		}
		w("REPRO_SEEDS=(%s)", strings.Join(seeds, " "))
		w(`export SEED="${REPRO_SEEDS[$SLURM_ARRAY_TASK_ID]}"`)
		w(`echo "== repro run %s: seed $SEED (array task $SLURM_ARRAY_TASK_ID of job $SLURM_ARRAY_JOB_ID) on $(hostname) =="`, rec.ID)
	} else if len(spec.Seeds) == 1 {
		w("export SEED=%d", spec.Seeds[0])
		w(`echo "== repro run %s: seed $SEED, job $SLURM_JOB_ID on $(hostname) =="`, rec.ID)
	} else {
		w(`echo "== repro run %s: job $SLURM_JOB_ID on $(hostname) =="`, rec.ID)
	}
	if len(o.Setup) > 0 {
		w("set +u # module and activate scripts read unset variables")
		for _, l := range o.Setup {
			w("%s", l)
		}
		w("set -u")
	}
	argv := spec.Command
	if spec.Python != "" {
		py, err := splitWords(spec.Python)
		if err != nil {
			return "", &xerr.Error{Kind: xerr.KindUsage, Msg: "--python " + spec.Python + ": " + err.Error()}
		}
		argv = pythonCommand(argv, py)
	}
	w("%s", sbCommand(argv))
	return b.String(), nil
}

// slurmArray reports whether the run is a job array: more than one seed.
// One seed is a plain job with SEED set.
func slurmArray(spec *Spec) bool { return len(spec.Seeds) > 1 }

var sbEnvNameRe = regexp.MustCompile(`^[A-Za-z_][A-Za-z0-9_]*$`)

// sbVarRe finds the references kept live inside a quoted argument, so
// that "--seed $SEED" given to repro run reaches the job as the seed.
var sbVarRe = regexp.MustCompile(`\$(\{(SEED|REPRO_RUN_ID|SLURM_[A-Z_]+)\}|(SEED|REPRO_RUN_ID|SLURM_[A-Z_]+)\b)`)

// sbCommand is the command line, each argument quoted as one word except
// that $SEED, $REPRO_RUN_ID and $SLURM_* are expanded.
func sbCommand(args []string) string {
	parts := make([]string, len(args))
	for i, a := range args {
		locs := sbVarRe.FindAllStringIndex(a, -1)
		if len(locs) == 0 {
			parts[i] = Quote(a)
			continue
		}
		var b strings.Builder
		last := 0
		for _, l := range locs {
			if l[0] > last {
				b.WriteString(Quote(a[last:l[0]]))
			}
			b.WriteString(`"` + a[l[0]:l[1]] + `"`)
			last = l[1]
		}
		if last < len(a) {
			b.WriteString(Quote(a[last:]))
		}
		parts[i] = b.String()
	}
	return strings.Join(parts, " ")
}

// Start implements Engine: it sends the project (slurm://host), writes
// the job script, submits it and records the job.
func (s *Slurm) Start(ctx context.Context, spec *Spec, rec *Record) error {
	o, err := slurmResources(spec)
	if err != nil {
		return err
	}
	if len(spec.Command) == 0 {
		return &xerr.Error{Kind: xerr.KindUsage, Msg: "no command to run", Hint: "put the command after --: repro run --on slurm -- python scripts/train.py"}
	}
	var remoteDir string
	if !s.remote() {
		remoteDir, err = filepath.Abs(spec.Project)
		if err != nil {
			return err
		}
		remoteDir = filepath.ToSlash(remoteDir)
	} else {
		dst := s.Target.Path
		if dst == "" {
			dst = "~/repro-runs/" + filepath.Base(spec.Project)
		}
		rec.Host = s.shell().String()
		if err := s.shell().Push(ctx, spec.Project, dst); err != nil {
			return fmt.Errorf("slurm: copying the project to %s:%s: %w", rec.Host, dst, err)
		}
		// sbatch wants absolute folders.
		out, err := s.run(ctx, "cd "+QuoteDir(dst)+" && pwd -P")
		if err != nil {
			return fmt.Errorf("slurm: %s:%s: %w", rec.Host, dst, err)
		}
		remoteDir = strings.TrimSpace(string(out))
		if !path.IsAbs(remoteDir) {
			return fmt.Errorf("slurm: %s: the folder of the project is %q", rec.Host, remoteDir)
		}
	}
	script, err := SbatchScript(spec, rec, remoteDir, o)
	if err != nil {
		return err
	}
	runDir := path.Join(remoteDir, "runs", rec.ID)
	jobFile := path.Join(runDir, "job.sbatch")
	submit := fmt.Sprintf("set -e\nmkdir -p %s\nprintf %%s %s | base64 -d > %s\nsbatch --parsable %s\n",
		Quote(runDir), base64.StdEncoding.EncodeToString([]byte(script)), Quote(jobFile), Quote(jobFile))
	out, err := s.run(ctx, submit)
	if err != nil {
		var xe *xerr.Error
		if errors.As(err, &xe) {
			return err
		}
		return &xerr.Error{Kind: xerr.KindInput, Msg: "slurm: sbatch refused the job", Err: err,
			Hint: "check the partition (sinfo), the time limit and the GPUs the cluster has; the script is " + jobFile}
	}
	id := strings.TrimSpace(string(out))
	if i := strings.LastIndexByte(id, '\n'); i >= 0 {
		id = strings.TrimSpace(id[i+1:])
	}
	id, _, _ = strings.Cut(id, ";") // "id;cluster"
	if !slurmJobIDRe.MatchString(id) {
		return &xerr.Error{Kind: xerr.KindInternal, Msg: fmt.Sprintf("slurm: sbatch --parsable printed %q, not a job id", strings.TrimSpace(string(out)))}
	}
	rec.Engine = s.Name()
	rec.RemoteDir = remoteDir
	rec.JobID = id
	rec.Status = StatusQueued
	rec.Started = time.Now().UTC()
	return nil
}

// slurmTask is one task of the job: "" for a plain job, the array index
// otherwise.
type slurmTask struct {
	key     string // "" or "0", "1", ...
	outFile string
}

func slurmTasks(rec *Record) []slurmTask {
	runDir := path.Join(rec.RemoteDir, "runs", rec.ID)
	if !slurmArray(&rec.Spec) {
		return []slurmTask{{"", path.Join(runDir, "slurm-"+rec.JobID+".out")}}
	}
	ts := make([]slurmTask, len(rec.Spec.Seeds))
	for i := range ts {
		k := strconv.Itoa(i)
		ts[i] = slurmTask{k, path.Join(runDir, fmt.Sprintf("slurm-%s_%d.out", rec.JobID, i))}
	}
	return ts
}

// queue returns the states of the job's tasks still in the queue, by
// task key ("" for a plain job), and the sizes of their output files (-1
// for none yet), read after the states in the same call, so that a task
// gone from the queue has its whole output in its file.
func (s *Slurm) queue(ctx context.Context, rec *Record) (map[string]string, []int64, error) {
	tasks := slurmTasks(rec)
	// squeue exits non-zero with "Invalid job id" once the job has left
	// the controller's memory; that is "gone", not an error.
	var sc strings.Builder
	fmt.Fprintf(&sc, "out=$(squeue -h -r -j %s -o '%%K|%%T' 2>&1) || case $out in *'Invalid job id'*) out= ;; *) printf '%%s\n' \"$out\" >&2; exit 1 ;; esac\n", rec.JobID)
	sc.WriteString("printf '%s\\n' \"$out\"\necho '--sizes'\n")
	for _, t := range tasks {
		fmt.Fprintf(&sc, "stat -c %%s %s 2>/dev/null || echo -1\n", Quote(t.outFile))
	}
	out, err := s.run(ctx, sc.String())
	if err != nil {
		return nil, nil, err
	}
	queue, sizeText, ok := strings.Cut(string(out), "--sizes\n")
	if !ok {
		return nil, nil, &xerr.Error{Kind: xerr.KindInternal, Msg: fmt.Sprintf("slurm: unexpected answer to squeue: %q", out)}
	}
	states := map[string]string{}
	for line := range strings.SplitSeq(queue, "\n") {
		k, st, ok := strings.Cut(strings.TrimSpace(line), "|")
		if !ok {
			continue
		}
		if k == "N/A" {
			k = ""
		}
		states[k] = st
	}
	fields := strings.Fields(sizeText)
	if len(fields) != len(tasks) {
		return nil, nil, &xerr.Error{Kind: xerr.KindInternal, Msg: fmt.Sprintf("slurm: sizes of the output files: %q", sizeText)}
	}
	sizes := make([]int64, len(tasks))
	for i, f := range fields {
		n, err := strconv.ParseInt(f, 10, 64)
		if err != nil {
			return nil, nil, &xerr.Error{Kind: xerr.KindInternal, Msg: fmt.Sprintf("slurm: size of %s: %q", tasks[i].outFile, f)}
		}
		sizes[i] = n
	}
	return states, sizes, nil
}

// stream copies the output files' new bytes to w. The files are read one
// after another in task order, as if concatenated, so that one offset
// says where to continue; a task's file is left for the next one only
// once the task has left the queue.
func (s *Slurm) stream(ctx context.Context, rec *Record, states map[string]string, sizes []int64, w io.Writer) error {
	tasks := slurmTasks(rec)
	var cum int64
	for i, t := range tasks {
		size := max(sizes[i], 0)
		_, inQueue := states[t.key]
		for rec.LogOffset < cum+size {
			off := rec.LogOffset - cum
			n := min(size-off, slurmReadChunk)
			data, err := s.run(ctx, fmt.Sprintf("tail -c +%d %s | head -c %d", off+1, Quote(t.outFile), n))
			if err != nil {
				return err
			}
			if len(data) == 0 {
				break
			}
			if _, err := w.Write(data); err != nil {
				return err
			}
			rec.LogOffset += int64(len(data))
		}
		if inQueue || rec.LogOffset < cum+size {
			return nil // continue with this file next time
		}
		cum += size
	}
	return nil
}

// Follow implements Engine: it polls the queue, streams the output files
// and, once the job has left the queue, reads its final state.
func (s *Slurm) Follow(ctx context.Context, rec *Record, w io.Writer) error {
	if rec.JobID == "" || !slurmJobIDRe.MatchString(rec.JobID) {
		return &xerr.Error{Kind: xerr.KindInput, Msg: fmt.Sprintf("slurm: run %s has no job id", rec.ID), Hint: "the job was never submitted; start the run again"}
	}
	failures := 0
	for {
		states, sizes, err := s.queue(ctx, rec)
		if err != nil {
			if ctx.Err() != nil {
				return ctx.Err()
			}
			failures++
			if failures > slurmQueueRetries {
				return &xerr.Error{Kind: xerr.KindInput, Msg: "slurm: squeue keeps failing", Err: err,
					Hint: "the job is still known to Slurm; reattach later with repro run --resume " + rec.ID}
			}
		} else {
			failures = 0
			if err := s.stream(ctx, rec, states, sizes, w); err != nil {
				if ctx.Err() != nil {
					return ctx.Err()
				}
				return fmt.Errorf("slurm: reading the job's output: %w", err)
			}
			if len(states) == 0 {
				return s.finish(ctx, rec)
			}
			rec.Status = StatusQueued
			for _, st := range states {
				if st != "PENDING" && st != "CONFIGURING" && st != "REQUEUED" {
					rec.Status = StatusRunning
				}
			}
		}
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-time.After(s.poll()):
		}
	}
}

// slurmOutcome is a task's final state.
type slurmOutcome struct {
	task  string
	state string // COMPLETED, FAILED, ...
	exit  int
}

// parseSacct reads "State|ExitCode" lines (sacct -n -P -X).
func parseSacct(out string) []slurmOutcome {
	var res []slurmOutcome
	for line := range strings.SplitSeq(out, "\n") {
		line = strings.TrimSpace(line)
		if line == "" {
			continue
		}
		parts := strings.Split(line, "|")
		if len(parts) < 3 {
			continue
		}
		res = append(res, slurmOutcome{task: parts[0], state: normState(parts[1]), exit: parseExitCode(parts[2])})
	}
	return res
}

// parseScontrol reads the records of scontrol show job (one per array
// task, separated by blank lines).
func parseScontrol(out string) []slurmOutcome {
	var res []slurmOutcome
	for rec := range strings.SplitSeq(out, "\n\n") {
		var o slurmOutcome
		found := false
		for f := range strings.FieldsSeq(rec) {
			k, v, ok := strings.Cut(f, "=")
			if !ok {
				continue
			}
			switch k {
			case "ArrayTaskId":
				o.task = v
			case "JobState":
				o.state, found = normState(v), true
			case "ExitCode":
				o.exit = parseExitCode(v)
			}
		}
		if found {
			res = append(res, o)
		}
	}
	return res
}

// normState drops what follows the state ("CANCELLED by 1000").
func normState(s string) string {
	s = strings.TrimSpace(s)
	if i := strings.IndexAny(s, " +"); i >= 0 {
		s = s[:i]
	}
	return strings.ToUpper(s)
}

// parseExitCode reads "code:signal"; a signal gives 128+signal.
func parseExitCode(s string) int {
	c, sig, _ := strings.Cut(strings.TrimSpace(s), ":")
	code, _ := strconv.Atoi(c)
	if n, err := strconv.Atoi(sig); err == nil && n > 0 && code == 0 {
		return 128 + n
	}
	return code
}

// slurmStatus maps a Slurm job state to a run status.
func slurmStatus(state string) string {
	switch state {
	case "PENDING", "CONFIGURING", "REQUEUED", "REQUEUE_HOLD", "REQUEUE_FED", "RESV_DEL_HOLD", "SUSPENDED":
		return StatusQueued
	case "RUNNING", "COMPLETING", "STAGE_OUT", "SIGNALING", "RESIZING":
		return StatusRunning
	case "COMPLETED":
		return StatusSucceeded
	case "CANCELLED", "PREEMPTED", "REVOKED", "DEADLINE":
		return StatusCancelled
	case "":
		return StatusLost
	default: // FAILED, TIMEOUT, OUT_OF_MEMORY, NODE_FAIL, BOOT_FAIL, SPECIAL_EXIT
		return StatusFailed
	}
}

// finish reads the job's final state: sacct, else scontrol (while the
// controller still remembers the job), else the exit_code files the job
// script wrote.
func (s *Slurm) finish(ctx context.Context, rec *Record) error {
	tasks := slurmTasks(rec)
	var outcomes []slurmOutcome
	if out, err := s.run(ctx, fmt.Sprintf("sacct -n -P -X -j %s -o JobID,State,ExitCode", rec.JobID)); err == nil {
		for _, o := range parseSacct(string(out)) {
			// "12_0" for a task, "12" for a plain job.
			_, task, _ := strings.Cut(o.task, "_")
			if strings.HasPrefix(task, "[") {
				continue // tasks not started yet
			}
			o.task = task
			outcomes = append(outcomes, o)
		}
	}
	// An answer is usable when it covers every task with a final state
	// (accounting may lag behind the queue).
	usable := func(os []slurmOutcome) bool {
		if len(os) < len(tasks) {
			return false
		}
		for _, o := range os {
			if st := slurmStatus(o.state); st == StatusQueued || st == StatusRunning || st == StatusLost {
				return false
			}
		}
		return true
	}
	if !usable(outcomes) {
		outcomes = nil
		if out, err := s.run(ctx, "scontrol show job "+rec.JobID); err == nil {
			if o := parseScontrol(string(out)); usable(o) {
				outcomes = o
			}
		}
	}
	if outcomes == nil {
		for _, t := range tasks {
			f := path.Join(rec.RemoteDir, "runs", rec.ID, "exit_code")
			if t.key != "" {
				f += "." + t.key
			}
			o := slurmOutcome{task: t.key}
			if out, err := s.run(ctx, "cat "+Quote(f)); err == nil {
				if code, err := strconv.Atoi(strings.TrimSpace(string(out))); err == nil {
					o.exit = code
					o.state = "COMPLETED"
					if code != 0 {
						o.state = "FAILED"
					}
				}
			}
			outcomes = append(outcomes, o)
		}
	}
	// The run's status is its worst task's.
	rank := map[string]int{StatusSucceeded: 0, StatusCancelled: 1, StatusLost: 2, StatusFailed: 3}
	status := StatusSucceeded
	exit := 0
	var problems []string
	slices.SortFunc(outcomes, func(a, b slurmOutcome) int {
		ai, _ := strconv.Atoi(a.task)
		bi, _ := strconv.Atoi(b.task)
		return ai - bi
	})
	for _, o := range outcomes {
		st := slurmStatus(o.state)
		if st == StatusQueued || st == StatusRunning {
			st = StatusLost // gone from the queue yet not finished
		}
		if rank[st] > rank[status] {
			status = st
		}
		if exit == 0 && o.exit != 0 {
			exit = o.exit
		}
		if st != StatusSucceeded {
			what := o.state
			if what == "" {
				what = "no state (the job left no exit status)"
			}
			p := fmt.Sprintf("%s, exit code %d", what, o.exit)
			if o.task != "" {
				i, _ := strconv.Atoi(o.task)
				seed := ""
				if i >= 0 && i < len(rec.Spec.Seeds) {
					seed = fmt.Sprintf(" (seed %d)", rec.Spec.Seeds[i])
				}
				p = "task " + o.task + seed + ": " + p
			}
			problems = append(problems, p)
		}
	}
	rec.Status = status
	if status != StatusLost {
		rec.ExitCode = &exit
	}
	rec.Ended = time.Now().UTC()
	if len(problems) > 0 {
		rec.Error = fmt.Sprintf("slurm job %s: %s", rec.JobID, strings.Join(problems, "; "))
		if tail := s.logTail(ctx, tasks, outcomes); tail != "" {
			rec.Error += "\nlast lines of the log:\n" + tail
		}
	}
	return nil
}

// logTail is the end of the first unsuccessful task's output.
func (s *Slurm) logTail(ctx context.Context, tasks []slurmTask, outcomes []slurmOutcome) string {
	for _, o := range outcomes {
		if o.state == "COMPLETED" {
			continue
		}
		for _, t := range tasks {
			if t.key != o.task {
				continue
			}
			out, err := s.run(ctx, "tail -n 10 "+Quote(t.outFile)+" | tail -c 2000")
			if err != nil {
				return ""
			}
			return strings.TrimRight(string(out), "\n")
		}
	}
	return ""
}

// Fetch implements Engine: for a run in the project's own folder the
// results are already there (the files written since the job started are
// listed); from a login host, results/ and checkpoints/ are copied back.
func (s *Slurm) Fetch(ctx context.Context, rec *Record) error {
	if !s.remote() {
		rec.Results = listChanged(rec.Spec.Project, FetchPaths, rec.Started.Add(-2*time.Second))
		return nil
	}
	files, err := s.shell().Pull(ctx, rec.RemoteDir, FetchPaths, rec.Spec.Project)
	if err != nil {
		return fmt.Errorf("slurm: copying the results back from %s: %w", s.shell(), err)
	}
	rec.Results = files
	return nil
}
