package run

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/reprohq/repro/internal/golden"
	"github.com/reprohq/repro/internal/run/slurmtest"
	"github.com/reprohq/repro/internal/run/sshtest"
	"github.com/reprohq/repro/internal/xerr"
)

func TestSbatchScriptGolden(t *testing.T) {
	cfgDir := t.TempDir()
	if err := os.MkdirAll(filepath.Join(cfgDir, "configs"), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(cfgDir, "configs", "paper.yaml"), []byte(`seed: 0
slurm:
  partition: gpu
  time: "1-00:00:00"
  gpus: 2
  cpus_per_task: 8
  mem: 32G
  account: lab
  setup:
    - module load cuda/12.1
    - source .venv/bin/activate
`), 0o644); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name string
		spec Spec
	}{
		{"plain", Spec{Project: "/work/tinyformer-repro", Command: []string{"python", "scripts/train.py", "--config", "configs/small.yaml"}}},
		{"resources", Spec{Project: "/work/tinyformer-repro", Command: []string{"python", "scripts/train.py"}, GPUs: 1, Time: "04:00:00", Partition: "a100",
			Env: map[string]string{"WANDB_MODE": "offline", "MSG": "it's"}}},
		{"seeds", Spec{Project: "/work/tinyformer-repro", Command: []string{"python", "scripts/train.py", "--seed", "$SEED", "--out=results/seed-${SEED}"}, Seeds: []int{1, 2, 3}, Time: "00:30:00"}},
		{"one-seed", Spec{Project: "/work/tinyformer-repro", Command: []string{"python", "scripts/train.py"}, Seeds: []int{42}, Python: "/opt/venv/bin/python -u"}},
		// The config's slurm: section, with --time over it.
		{"config", Spec{Project: cfgDir, Config: "configs/paper.yaml", Command: []string{"scripts/train.sh", "configs/paper.yaml"}, Time: "12:00:00"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rec := &Record{ID: "20261126-135501-a1b2"}
			o, err := slurmResources(&tt.spec)
			if err != nil {
				t.Fatal(err)
			}
			tt.spec.Project = "/work/tinyformer-repro" // a stable job name
			got, err := SbatchScript(&tt.spec, rec, "/home/ada/repro-runs/tinyformer-repro-20261126-135501-a1b2", o)
			if err != nil {
				t.Fatal(err)
			}
			golden.CheckString(t, filepath.Join("testdata", "slurm", tt.name+".sbatch"), got)
		})
	}
}

func TestSlurmBadInput(t *testing.T) {
	tests := []struct {
		spec Spec
		want string
	}{
		{Spec{Command: []string{"x"}, Time: "4h"}, "not a Slurm time limit"},
		{Spec{Command: []string{"x"}, Partition: "gpu; rm -rf /"}, "not a partition name"},
		{Spec{Command: []string{"x"}, GPUs: -1}, "cannot be negative"},
		{Spec{Command: []string{"x"}, Config: "configs/missing.yaml", Project: t.TempDir()}, "cannot read the config"},
	}
	for _, tt := range tests {
		_, err := slurmResources(&tt.spec)
		var xe *xerr.Error
		if !errors.As(err, &xe) || !strings.Contains(err.Error(), tt.want) || xe.Hint == "" {
			t.Errorf("%+v: got %v, want an *xerr.Error with a hint about %q", tt.spec, err, tt.want)
		}
	}
	if _, err := SbatchScript(&Spec{}, &Record{ID: "x"}, "/d", SlurmOptions{}); err == nil {
		t.Error("an empty command must be refused")
	}
}

func TestSlurmParsers(t *testing.T) {
	sacct := parseSacct("12_0|COMPLETED|0:0\n12_1|FAILED|3:0\n12_2|CANCELLED by 0|0:15\n12_3|TIMEOUT|0:0\n")
	want := []slurmOutcome{{"12_0", "COMPLETED", 0}, {"12_1", "FAILED", 3}, {"12_2", "CANCELLED", 128 + 15}, {"12_3", "TIMEOUT", 0}}
	if !slices.Equal(sacct, want) {
		t.Errorf("parseSacct = %+v, want %+v", sacct, want)
	}
	sc := parseScontrol("JobId=5 ArrayJobId=4 ArrayTaskId=1 JobName=t\n   JobState=OUT_OF_MEMORY Reason=OutOfMemory\n   ExitCode=0:125\n\nJobId=4 ArrayJobId=4 ArrayTaskId=0\n   JobState=COMPLETED Reason=None ExitCode=0:0\n")
	if len(sc) != 2 || sc[0].task != "1" || sc[0].state != "OUT_OF_MEMORY" || sc[1].state != "COMPLETED" {
		t.Errorf("parseScontrol = %+v", sc)
	}
	for state, want := range map[string]string{
		"PENDING": StatusQueued, "RUNNING": StatusRunning, "COMPLETED": StatusSucceeded,
		"FAILED": StatusFailed, "TIMEOUT": StatusFailed, "OUT_OF_MEMORY": StatusFailed, "NODE_FAIL": StatusFailed,
		"CANCELLED": StatusCancelled,
	} {
		if got := slurmStatus(state); got != want {
			t.Errorf("slurmStatus(%s) = %s, want %s", state, got, want)
		}
	}
}

// A project whose job prints, waits, fails on demand and writes results.
func slurmProject(t *testing.T) string {
	t.Helper()
	dir := t.TempDir()
	for name, content := range map[string]string{
		".repro/project.json": `{"version":1}` + "\n",
		"configs/small.yaml":  "seed: 0\n",
		"scripts/job.sh": `#!/bin/bash
set -eu
echo "start seed=${SEED:-none} config=${REPRO_CONFIG:-none}"
for i in 1 2 3; do echo "step $i"; sleep ${STEP_SLEEP:-0.5}; done
mkdir -p results
echo "{\"seed\": \"${SEED:-none}\", \"acc\": 0.9}" > "results/metrics-${SEED:-0}.json"
if [ "${FAIL:-}" = 1 ]; then echo "boom: loss is NaN" >&2; exit 3; fi
echo done
`,
	} {
		p := filepath.Join(dir, name)
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(content), 0o755); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

// timedWriter records the run status at each write, to show the log is
// streamed while the job runs.
type timedWriter struct {
	mu       sync.Mutex
	buf      bytes.Buffer
	statuses []string
	rec      *Record
	onWrite  func()
}

func (w *timedWriter) Write(p []byte) (int, error) {
	w.mu.Lock()
	defer w.mu.Unlock()
	w.statuses = append(w.statuses, w.rec.Status)
	if w.onWrite != nil {
		w.onWrite()
	}
	return w.buf.Write(p)
}

func slurmRun(t *testing.T, spec Spec) (*Slurm, *Record) {
	t.Helper()
	s := &Slurm{Poll: 200 * time.Millisecond}
	rec := &Record{ID: "20261126-140000-" + strings.ToLower(strings.TrimPrefix(t.Name(), "TestSlurmReal")), Spec: spec, Created: time.Now()}
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	if err := s.Start(ctx, &spec, rec); err != nil {
		t.Fatalf("Start: %v", err)
	}
	if rec.JobID == "" || rec.Status != StatusQueued {
		t.Fatalf("after Start: job %q status %q", rec.JobID, rec.Status)
	}
	return s, rec
}

func TestSlurmRealJob(t *testing.T) {
	cluster := slurmtest.Start(t)
	project := slurmProject(t)
	start := time.Now()
	s, rec := slurmRun(t, Spec{Project: project, Config: "configs/small.yaml", Command: []string{"bash", "scripts/job.sh"}})
	script, err := os.ReadFile(filepath.Join(project, "runs", rec.ID, "job.sbatch"))
	if err != nil || !strings.Contains(string(script), "#SBATCH --chdir="+project) {
		t.Fatalf("job script: %v\n%s", err, script)
	}

	// Follow until the first output arrives, drop it (a closed
	// terminal), and reattach: the second Follow continues where the
	// first stopped.
	ctx, cancel := context.WithCancel(context.Background())
	w := &timedWriter{rec: rec, onWrite: cancel}
	err = s.Follow(ctx, rec, w)
	cancel()
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("first Follow: %v (status %s), want it cancelled", err, rec.Status)
	}
	w.onWrite = nil
	firstOffset := rec.LogOffset
	ctx, cancel = context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	if err := s.Follow(ctx, rec, w); err != nil {
		t.Fatalf("Follow: %v", err)
	}
	if rec.Status != StatusSucceeded || rec.ExitCode == nil || *rec.ExitCode != 0 || rec.Error != "" {
		t.Fatalf("status %s exit %v error %q, want succeeded 0", rec.Status, rec.ExitCode, rec.Error)
	}
	out, err := os.ReadFile(filepath.Join(project, "runs", rec.ID, "slurm-"+rec.JobID+".out"))
	if err != nil {
		t.Fatal(err)
	}
	if w.buf.String() != string(out) {
		t.Errorf("streamed log\n%q\nis not the job's output\n%q", w.buf.String(), out)
	}
	for _, want := range []string{"== repro run " + rec.ID + ": job " + rec.JobID + " on " + cluster.Node, "start seed=none config=configs/small.yaml", "step 3", "done"} {
		if !strings.Contains(w.buf.String(), want) {
			t.Errorf("log lacks %q:\n%s", want, w.buf.String())
		}
	}
	if !slices.Contains(w.statuses, StatusRunning) {
		t.Errorf("no output was streamed while the job ran (statuses at each write: %v)", w.statuses)
	}
	if firstOffset == 0 || firstOffset >= rec.LogOffset {
		t.Errorf("the first Follow stopped at %d of %d bytes, want in between", firstOffset, rec.LogOffset)
	}
	if err := s.Fetch(ctx, rec); err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(rec.Results, []string{"results/metrics-0.json"}) {
		t.Errorf("results %v", rec.Results)
	}
	t.Logf("submitted, followed and fetched in %s", time.Since(start).Round(time.Millisecond))
}

// A failing job, through Run as repro run --on slurm does: the record
// and runs/<id>/output.log say what happened.
func TestSlurmRealFailure(t *testing.T) {
	slurmtest.Start(t)
	project := slurmProject(t)
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	var shown bytes.Buffer
	rec, err := Run(ctx, "slurm", Spec{Project: project, Command: []string{"bash", "scripts/job.sh"}, Env: map[string]string{"FAIL": "1", "STEP_SLEEP": "0.1"}},
		&Options{Out: &shown, Poll: 200 * time.Millisecond})
	if err != nil {
		t.Fatalf("Run: %v", err)
	}
	if rec.Engine != "slurm" || rec.Status != StatusFailed || rec.ExitCode == nil || *rec.ExitCode != 3 {
		t.Fatalf("engine %s status %s exit %v, want slurm failed 3", rec.Engine, rec.Status, rec.ExitCode)
	}
	for _, want := range []string{"FAILED, exit code 3", "last lines of the log:", "boom: loss is NaN"} {
		if !strings.Contains(rec.Error, want) {
			t.Errorf("rec.Error lacks %q:\n%s", want, rec.Error)
		}
	}
	saved, err := Load(project, rec.ID)
	if err != nil || saved.Status != StatusFailed || saved.JobID != rec.JobID {
		t.Errorf("run.json: %+v %v", saved, err)
	}
	logFile, _ := os.ReadFile(filepath.Join(Dir(project, rec.ID), LogFile))
	if !strings.Contains(string(logFile), "boom: loss is NaN") || string(logFile) != shown.String() {
		t.Errorf("output.log %q, shown %q", logFile, shown.String())
	}
	if !slices.Equal(rec.Results, []string{"results/metrics-0.json"}) {
		t.Errorf("results %v", rec.Results)
	}
	// The job's own exit_code file, the fallback when sacct is not
	// configured (as here).
	if code, err := os.ReadFile(filepath.Join(project, "runs", rec.ID, "exit_code")); err != nil || strings.TrimSpace(string(code)) != "3" {
		t.Errorf("exit_code file: %q %v", code, err)
	}
	// Where neither sacct nor scontrol knows the job any more, that file
	// is what tells the outcome.
	again := *rec
	again.Status, again.ExitCode, again.Error = StatusRunning, nil, ""
	if err := (&Slurm{Shell: noAccounting{Local{}}}).finish(ctx, &again); err != nil {
		t.Fatal(err)
	}
	if again.Status != StatusFailed || again.ExitCode == nil || *again.ExitCode != 3 || !strings.Contains(again.Error, "boom") {
		t.Errorf("from the exit_code file: status %s exit %v error %q", again.Status, again.ExitCode, again.Error)
	}
}

// noAccounting is a cluster where sacct is not configured and the
// controller has forgotten the job.
type noAccounting struct{ Shell }

func (n noAccounting) Run(ctx context.Context, script string, stdin io.Reader, stdout io.Writer) error {
	if strings.HasPrefix(script, "sacct ") || strings.HasPrefix(script, "scontrol ") {
		return &ShellError{Target: "test", ExitCode: 1, Stderr: "Slurm accounting storage is disabled"}
	}
	return n.Shell.Run(ctx, script, stdin, stdout)
}

// envShell runs scripts over ssh with SLURM_CONF set, which the test's
// sshd does not pass on.
type envShell struct {
	*SSH
	prefix string
}

func (e envShell) Run(ctx context.Context, script string, stdin io.Reader, stdout io.Writer) error {
	return e.SSH.Run(ctx, e.prefix+script, stdin, stdout)
}

// slurm://login-host: the project is copied over ssh, the job submitted
// and followed over ssh, and the results copied back.
func TestSlurmRealLoginHost(t *testing.T) {
	cluster := slurmtest.Start(t)
	srv := sshtest.Start(t)
	project := slurmProject(t)
	remote := filepath.Join(t.TempDir(), "remote-copy")
	tg, err := ParseTarget(fmt.Sprintf("slurm://%s@%s:%d%s", srv.User, srv.Host, srv.Port, remote))
	if err != nil {
		t.Fatal(err)
	}
	ssh := tg.Shell(srv.Options).(*SSH)
	s := &Slurm{Target: tg, Shell: envShell{ssh, "export SLURM_CONF=" + Quote(cluster.Conf) + "\n"}, Poll: 200 * time.Millisecond}
	spec := Spec{Project: project, Command: []string{"bash", "scripts/job.sh"}, Seeds: []int{5}, Env: map[string]string{"STEP_SLEEP": "0.1"}}
	rec := &Record{ID: "20261126-140000-login", Spec: spec}
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	if err := s.Start(ctx, &spec, rec); err != nil {
		t.Fatalf("Start: %v", err)
	}
	if rec.RemoteDir != remote || rec.Host != ssh.String() {
		t.Errorf("remote dir %q host %q", rec.RemoteDir, rec.Host)
	}
	var log bytes.Buffer
	if err := s.Follow(ctx, rec, &log); err != nil {
		t.Fatalf("Follow: %v", err)
	}
	if rec.Status != StatusSucceeded || !strings.Contains(log.String(), "start seed=5") {
		t.Fatalf("status %s error %q log:\n%s", rec.Status, rec.Error, log.String())
	}
	if err := s.Fetch(ctx, rec); err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(rec.Results, []string{"results/metrics-5.json"}) {
		t.Errorf("results %v", rec.Results)
	}
	if _, err := os.Stat(filepath.Join(project, "results", "metrics-5.json")); err != nil {
		t.Errorf("not copied back: %v", err)
	}
}

func TestSlurmRealArray(t *testing.T) {
	slurmtest.Start(t)
	project := slurmProject(t)
	s, rec := slurmRun(t, Spec{Project: project, Command: []string{"bash", "scripts/job.sh"}, Seeds: []int{7, 11}, Env: map[string]string{"STEP_SLEEP": "0.2"}})
	var log bytes.Buffer
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	if err := s.Follow(ctx, rec, &log); err != nil {
		t.Fatalf("Follow: %v", err)
	}
	if rec.Status != StatusSucceeded || *rec.ExitCode != 0 {
		t.Fatalf("status %s exit %v error %q", rec.Status, *rec.ExitCode, rec.Error)
	}
	var want strings.Builder
	for _, task := range []string{"0", "1"} {
		data, err := os.ReadFile(filepath.Join(project, "runs", rec.ID, "slurm-"+rec.JobID+"_"+task+".out"))
		if err != nil {
			t.Fatal(err)
		}
		want.Write(data)
	}
	if log.String() != want.String() {
		t.Errorf("log %q, want the tasks' outputs in order %q", log.String(), want.String())
	}
	for _, s := range []string{"seed 7 (array task 0", "seed 11 (array task 1", "start seed=7", "start seed=11"} {
		if !strings.Contains(log.String(), s) {
			t.Errorf("log lacks %q", s)
		}
	}
	if err := s.Fetch(ctx, rec); err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(rec.Results, []string{"results/metrics-11.json", "results/metrics-7.json"}) {
		t.Errorf("results %v", rec.Results)
	}
}

func TestSlurmRealCancelled(t *testing.T) {
	cluster := slurmtest.Start(t)
	project := slurmProject(t)
	s, rec := slurmRun(t, Spec{Project: project, Command: []string{"sleep", "120"}})
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	go func() {
		time.Sleep(time.Second)
		if out, err := cluster.Run("scancel", rec.JobID); err != nil {
			t.Errorf("scancel: %v %s", err, out)
		}
	}()
	if err := s.Follow(ctx, rec, &bytes.Buffer{}); err != nil {
		t.Fatalf("Follow: %v", err)
	}
	if rec.Status != StatusCancelled || !strings.Contains(rec.Error, "CANCELLED") {
		t.Errorf("status %s error %q, want cancelled", rec.Status, rec.Error)
	}
}

// Without Slurm, Start says so and how to go on.
func TestSlurmAbsent(t *testing.T) {
	why := slurmtest.Available()
	project := slurmProject(t)
	// A PATH with the shell tools the submission needs, and no Slurm.
	bin := t.TempDir()
	for _, tool := range []string{"sh", "mkdir", "base64"} {
		p, err := exec.LookPath(tool)
		if err != nil {
			t.Skip(err)
		}
		if err := os.Symlink(p, filepath.Join(bin, tool)); err != nil {
			t.Fatal(err)
		}
	}
	t.Setenv("PATH", bin)
	spec := Spec{Project: project, Command: []string{"true"}}
	err := (&Slurm{}).Start(context.Background(), &spec, &Record{ID: "x1"})
	if err == nil || !strings.Contains(xerr.HintOf(err), "not installed") {
		t.Errorf("Start without sbatch: %v (hint %q)", err, xerr.HintOf(err))
	}
	if why == "" {
		t.Log("Slurm is installed here; the real-cluster tests ran")
	} else {
		t.Logf("Slurm tests skip here: %s", why)
	}
}

// scriptedShell answers scripts by their first word, as a cluster with
// accounting would.
type scriptedShell struct {
	Local
	answers map[string]string
}

func (s scriptedShell) Run(ctx context.Context, script string, stdin io.Reader, stdout io.Writer) error {
	word, _, _ := strings.Cut(script, " ")
	if a, ok := s.answers[word]; ok {
		_, err := io.WriteString(stdout, a)
		return err
	}
	return &ShellError{Target: "test", ExitCode: 1, Stderr: "no"}
}

func TestSlurmFinalState(t *testing.T) {
	tests := []struct {
		name    string
		seeds   []int
		answers map[string]string
		status  string
		exit    int
		errText string
	}{
		{"sacct completed", nil, map[string]string{"sacct": "5|COMPLETED|0:0\n"}, StatusSucceeded, 0, ""},
		{"sacct out of memory", nil, map[string]string{"sacct": "5|OUT_OF_MEMORY|0:125\n"}, StatusFailed, 128 + 125, "OUT_OF_MEMORY"},
		{"sacct timeout", nil, map[string]string{"sacct": "5|TIMEOUT|0:15\n"}, StatusFailed, 143, "TIMEOUT"},
		{"sacct lags, scontrol knows", nil, map[string]string{"sacct": "5|RUNNING|0:0\n", "scontrol": "JobId=5 JobName=x\n   JobState=NODE_FAIL Reason=NodeDown\n   ExitCode=0:0\n"}, StatusFailed, 0, "NODE_FAIL"},
		{"array with a cancelled task", []int{1, 2}, map[string]string{"sacct": "5_0|COMPLETED|0:0\n5_1|CANCELLED by 0|0:15\n"}, StatusCancelled, 143, "task 1 (seed 2): CANCELLED"},
		{"array, one task failed", []int{1, 2, 3}, map[string]string{"sacct": "5_0|COMPLETED|0:0\n5_1|FAILED|2:0\n5_2|CANCELLED|0:15\n"}, StatusFailed, 2, "task 1 (seed 2): FAILED, exit code 2"},
		{"nothing known", nil, map[string]string{}, StatusLost, 0, "no state"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rec := &Record{ID: "r", JobID: "5", RemoteDir: "/nowhere", Status: StatusRunning, Spec: Spec{Seeds: tt.seeds}}
			if err := (&Slurm{Shell: scriptedShell{answers: tt.answers}}).finish(context.Background(), rec); err != nil {
				t.Fatal(err)
			}
			if rec.Status != tt.status || !strings.Contains(rec.Error, tt.errText) {
				t.Errorf("status %s error %q, want %s with %q", rec.Status, rec.Error, tt.status, tt.errText)
			}
			if tt.status != StatusLost && (rec.ExitCode == nil || *rec.ExitCode != tt.exit) {
				t.Errorf("exit code %v, want %d", rec.ExitCode, tt.exit)
			}
		})
	}
}
