package run

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"reflect"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/reprohq/repro/internal/project"
	"github.com/reprohq/repro/internal/testenv"
	"github.com/reprohq/repro/internal/xerr"
)

func TestParseTarget(t *testing.T) {
	tests := []struct {
		in   string
		want Target
		err  string
	}{
		{"", Target{Engine: "local"}, ""},
		{"local", Target{Engine: "local"}, ""},
		{"slurm", Target{Engine: "slurm"}, ""},
		{"colab", Target{Engine: "colab"}, ""},
		{"ssh://gpu1", Target{Engine: "ssh", Host: "gpu1"}, ""},
		{"ssh://me@gpu1:2222/scratch/tf/", Target{Engine: "ssh", User: "me", Host: "gpu1", Port: 2222, Path: "/scratch/tf"}, ""},
		{"ssh://gpu1/~/runs/tf", Target{Engine: "ssh", Host: "gpu1", Path: "~/runs/tf"}, ""},
		{"ssh://[::1]:22/x", Target{Engine: "ssh", Host: "::1", Port: 22, Path: "/x"}, ""},
		{"slurm://login.hpc.example", Target{Engine: "slurm", Host: "login.hpc.example"}, ""},
		{"slurm://me@login:2200/~/proj", Target{Engine: "slurm", User: "me", Host: "login", Port: 2200, Path: "~/proj"}, ""},
		{"ftp://x", Target{}, "unknown scheme"},
		{"gpu1", Target{}, "unknown target"},
		{"ssh://", Target{}, "no host"},
		{"ssh://me:secret@h/x", Target{}, "passwords"},
		{"ssh://h:99999/x", Target{}, "bad port"},
		{"ssh://h/x?y=1", Target{}, "no query"},
	}
	for _, tt := range tests {
		got, err := ParseTarget(tt.in)
		if tt.err != "" {
			if err == nil || !strings.Contains(err.Error(), tt.err) || xerr.KindOf(err) != xerr.KindUsage || xerr.HintOf(err) == "" {
				t.Errorf("ParseTarget(%q) = %+v, %v; want a usage error with %q and a hint", tt.in, got, err, tt.err)
			}
			continue
		}
		tt.want.Raw = tt.in
		if err != nil || got != tt.want {
			t.Errorf("ParseTarget(%q) = %+v, %v; want %+v", tt.in, got, err, tt.want)
		}
	}
}

func TestQuote(t *testing.T) {
	tests := []struct{ in, want string }{
		{"", "''"},
		{"scripts/train.py", "scripts/train.py"},
		{"--lr=0.1", "--lr=0.1"},
		{"a b", "'a b'"},
		{"it's", `'it'\''s'`},
		{"$HOME", "'$HOME'"},
	}
	for _, tt := range tests {
		if got := Quote(tt.in); got != tt.want {
			t.Errorf("Quote(%q) = %s, want %s", tt.in, got, tt.want)
		}
	}
	if got := QuoteDir("~/a b"); got != "~/'a b'" {
		t.Errorf("QuoteDir = %s", got)
	}
}

func TestSSHOptions(t *testing.T) {
	tests := []struct {
		env   string
		flags []string
		want  []string
		err   bool
	}{
		{"", nil, nil, false},
		{"-i ~/.ssh/k -o StrictHostKeyChecking=no", nil, []string{"-i", "~/.ssh/k", "-o", "StrictHostKeyChecking=no"}, false},
		{`-i "/a b/k"`, []string{"ConnectTimeout=5", "-J jump"}, []string{"-i", "/a b/k", "-o", "ConnectTimeout=5", "-J", "jump"}, false},
		{`-i 'k`, nil, nil, true},
	}
	for _, tt := range tests {
		got, err := SSHOptions(tt.env, tt.flags)
		if (err != nil) != tt.err || !tt.err && !reflect.DeepEqual(got, tt.want) {
			t.Errorf("SSHOptions(%q, %q) = %q, %v; want %q", tt.env, tt.flags, got, err, tt.want)
		}
	}
}

func TestRecordsSaveLoadList(t *testing.T) {
	dir := t.TempDir()
	t0 := time.Date(2026, 11, 26, 13, 0, 0, 0, time.UTC)
	for i, id := range []string{"b", "a", "c"} {
		code := i
		rec := &Record{ID: id, Engine: "local", Target: "local", Command: []string{"true"}, Status: StatusSucceeded, ExitCode: &code, Created: t0.Add(time.Duration(i) * time.Minute)}
		if err := Save(dir, rec); err != nil {
			t.Fatal(err)
		}
	}
	// A damaged record is skipped by List and reported by Load.
	if err := os.MkdirAll(Dir(dir, "bad"), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(Dir(dir, "bad"), RecordFile), []byte("{"), 0o644); err != nil {
		t.Fatal(err)
	}
	recs, err := List(dir)
	if err != nil {
		t.Fatal(err)
	}
	var ids []string
	for _, r := range recs {
		ids = append(ids, r.ID)
	}
	if !reflect.DeepEqual(ids, []string{"b", "a", "c"}) {
		t.Errorf("List: %v, want oldest first", ids)
	}
	if r, err := Load(dir, "a"); err != nil || *r.ExitCode != 1 {
		t.Errorf("Load(a) = %+v, %v", r, err)
	}
	for _, id := range []string{"nope", "bad", "../x", ""} {
		if _, err := Load(dir, id); xerr.KindOf(err) != xerr.KindInput || xerr.HintOf(err) == "" {
			t.Errorf("Load(%q): %v, want an input error with a hint", id, err)
		}
	}
	if recs, err := List(t.TempDir()); err != nil || len(recs) != 0 {
		t.Errorf("List of a project without runs: %v, %v", recs, err)
	}
	if id := NewID(t0); !strings.HasPrefix(id, "20261126-130000-") || len(id) != len("20261126-130000-a1b2") {
		t.Errorf("NewID = %q", id)
	}
}

// trainPy is the fake project's script: it prints a line per step (every
// $DELAY seconds), fails with $FAIL when set, and writes a result and a
// checkpoint.
const trainPy = `import json, os, sys, time
n = int(sys.argv[1]) if len(sys.argv) > 1 else 5
delay = float(os.environ.get("DELAY", "0"))
for i in range(n):
    print(f"step {i} of {n}", flush=True)
    time.sleep(delay)
if os.environ.get("FAIL"):
    print("boom: loss is nan", file=sys.stderr)
    sys.exit(int(os.environ["FAIL"]))
os.makedirs("results", exist_ok=True)
os.makedirs("checkpoints", exist_ok=True)
with open("results/metrics.json", "w") as f:
    json.dump({"synthetic": {"accuracy": 0.9}}, f)
with open("checkpoints/last.pt", "wb") as f:
    f.write(b"weights")
print("done")
`

// fakeProject writes a small project: .repro/project.json naming python,
// scripts/train.py, a config, and things that must not be sent (.git,
// __pycache__, results/, runs/).
func fakeProject(t *testing.T, python string) string {
	t.Helper()
	dir := filepath.Join(t.TempDir(), "proj")
	files := map[string]string{
		"scripts/train.py":            trainPy,
		"configs/small.yaml":          "lr: 0.1\n",
		".git/HEAD":                   "ref: refs/heads/main\n",
		"__pycache__/x.pyc":           "",
		"src/pkg/__pycache__/y.pyc":   "",
		"results/stale.json":          "{}",
		"runs/old/run.json":           "{}",
		"src/pkg/results.py":          "# a module named results must be sent\n",
		".venv/bin/python":            "",
		"README.md":                   "# proj\n",
		"checkpoints/.keep":           "",
		"src/pkg/runs/nested_ok.json": "{}",
	}
	for name, content := range files {
		p := filepath.Join(dir, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	if err := project.Write(dir, &project.Manifest{Version: project.Version, Generator: "test", Python: python}); err != nil {
		t.Fatal(err)
	}
	return dir
}

func expectedLog(n int) string {
	var b strings.Builder
	for i := range n {
		fmt.Fprintf(&b, "step %d of %d\n", i, n)
	}
	return b.String() + "done\n"
}

// syncBuffer is a bytes.Buffer safe for a writer and a reader, which calls
// on the first time the output holds a string.
type syncBuffer struct {
	mu   sync.Mutex
	b    bytes.Buffer
	when string
	on   func()
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	n, err := s.b.Write(p)
	fire := s.on != nil && strings.Contains(s.b.String(), s.when)
	var on func()
	if fire {
		on, s.on = s.on, nil
	}
	s.mu.Unlock()
	if on != nil {
		on()
	}
	return n, err
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

func readLog(t *testing.T, proj, id string) string {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(Dir(proj, id), LogFile))
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

func python(t *testing.T) string {
	return testenv.Python(t)
}

func TestLocalRun(t *testing.T) {
	py := python(t)
	tests := []struct {
		name       string
		cmd        []string
		env        map[string]string
		config     string
		wantStatus string
		wantCode   int
		wantLog    string
		wantFiles  []string
	}{
		{"succeeds", []string{"python", "scripts/train.py", "3"}, nil, "configs/small.yaml", StatusSucceeded, 0, expectedLog(3),
			[]string{"checkpoints/last.pt", "results/metrics.json"}},
		{"script alone", []string{"scripts/train.py", "2"}, nil, "", StatusSucceeded, 0, expectedLog(2),
			[]string{"checkpoints/last.pt", "results/metrics.json"}},
		{"fails", []string{"python3", "scripts/train.py", "2"}, map[string]string{"FAIL": "7"}, "", StatusFailed, 7,
			"step 0 of 2\nstep 1 of 2\nboom: loss is nan\n", nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			proj := fakeProject(t, py)
			var out syncBuffer
			start := time.Now()
			rec, err := Run(context.Background(), "local", Spec{Project: proj, Command: tt.cmd, Env: tt.env, Config: tt.config}, &Options{Out: &out})
			if err != nil {
				t.Fatal(err)
			}
			t.Logf("local run %s: %v", tt.name, time.Since(start))
			if rec.Status != tt.wantStatus || rec.ExitCode == nil || *rec.ExitCode != tt.wantCode {
				t.Errorf("status %s, exit code %v; want %s, %d", rec.Status, rec.ExitCode, tt.wantStatus, tt.wantCode)
			}
			if got := out.String(); got != tt.wantLog {
				t.Errorf("stdout:\n%q\nwant\n%q", got, tt.wantLog)
			}
			if got := readLog(t, proj, rec.ID); got != tt.wantLog {
				t.Errorf("output.log:\n%q\nwant\n%q", got, tt.wantLog)
			}
			saved, err := Load(proj, rec.ID)
			if err != nil {
				t.Fatal(err)
			}
			if saved.Status != tt.wantStatus || saved.LogOffset != int64(len(tt.wantLog)) || saved.Started.IsZero() || saved.Ended.IsZero() ||
				!reflect.DeepEqual(saved.Command, tt.cmd) || saved.Engine != "local" || saved.JobID == "" {
				t.Errorf("run.json: %+v", saved)
			}
			if (tt.config != "") != (saved.ConfigHash != "") || tt.config != "" && len(saved.ConfigHash) != 64 {
				t.Errorf("config hash %q for config %q", saved.ConfigHash, tt.config)
			}
			if !reflect.DeepEqual(saved.Results, tt.wantFiles) {
				t.Errorf("results %q, want %q", saved.Results, tt.wantFiles)
			}
			if tt.wantStatus == StatusFailed && !strings.Contains(Tail(proj, rec.ID, 20), "boom") {
				t.Errorf("the tail misses the error: %q", Tail(proj, rec.ID, 20))
			}

			// Resuming a finished run copies nothing again and keeps
			// the record.
			var again syncBuffer
			rec2, err := Resume(context.Background(), proj, rec.ID, &Options{Out: &again})
			if err != nil || rec2.Status != tt.wantStatus || again.String() != "" || readLog(t, proj, rec.ID) != tt.wantLog {
				t.Errorf("resume: %v, %+v, printed %q", err, rec2, again.String())
			}
		})
	}
}

func TestLocalCancel(t *testing.T) {
	proj := fakeProject(t, python(t))
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	out := &syncBuffer{when: "step 1 ", on: cancel}
	rec, err := Run(ctx, "local", Spec{Project: proj, Command: []string{"python", "scripts/train.py", "50"}, Env: map[string]string{"DELAY": "0.1"}}, &Options{Out: out})
	if err == nil || !strings.Contains(err.Error(), "interrupted") || xerr.HintOf(err) == "" {
		t.Fatalf("err = %v", err)
	}
	if rec.Status != StatusCancelled {
		t.Errorf("status %s, want cancelled", rec.Status)
	}
	if saved, _ := Load(proj, rec.ID); saved == nil || saved.Status != StatusCancelled {
		t.Errorf("run.json: %+v", saved)
	}
}

func TestLocalErrors(t *testing.T) {
	proj := fakeProject(t, python(t))
	tests := []struct {
		name   string
		target string
		spec   Spec
		kind   xerr.Kind
	}{
		{"no command", "local", Spec{Project: proj}, xerr.KindUsage},
		{"bad target", "ftp://x", Spec{Project: proj, Command: []string{"true"}}, xerr.KindUsage},
		{"no project", "local", Spec{Project: filepath.Join(proj, "nope"), Command: []string{"true"}}, xerr.KindInput},
		{"missing config", "local", Spec{Project: proj, Command: []string{"true"}, Config: "configs/nope.yaml"}, xerr.KindInput},
		{"missing interpreter", "local", Spec{Project: proj, Command: []string{"python", "x.py"}, Python: "/nonexistent/python"}, xerr.KindInput},
		{"missing program", "local", Spec{Project: proj, Command: []string{"/nonexistent/prog"}}, xerr.KindInput},
		{"seeds", "local", Spec{Project: proj, Command: []string{"true"}, Seeds: []int{1, 2}}, xerr.KindUsage},
		{"seeds over ssh", "ssh://h/x", Spec{Project: proj, Command: []string{"true"}, Seeds: []int{1, 2}}, xerr.KindUsage},
	}
	for _, tt := range tests {
		_, err := Run(context.Background(), tt.target, tt.spec, &Options{})
		if err == nil || xerr.KindOf(err) != tt.kind || xerr.HintOf(err) == "" {
			t.Errorf("%s: %v (kind %v), want kind %v with a hint", tt.name, err, xerr.KindOf(err), tt.kind)
		}
	}
}

// TestLocalResumeOrphan: a local run recorded as running whose repro
// process is gone is lost when its process is gone too, and reported as
// still going (not reattachable) when its process is alive.
func TestLocalResumeOrphan(t *testing.T) {
	sleeper := exec.Command("sleep", "30")
	if err := sleeper.Start(); err != nil {
		t.Skip("no sleep:", err)
	}
	defer func() { _ = sleeper.Process.Kill(); _ = sleeper.Wait() }()
	dead := exec.Command("true")
	if err := dead.Run(); err != nil {
		t.Skip("no true:", err)
	}
	tests := []struct {
		name   string
		pid    int
		status string
		err    string
	}{
		{"process alive", sleeper.Process.Pid, StatusRunning, "still going on this machine"},
		{"process gone", dead.Process.Pid, StatusLost, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			proj := t.TempDir()
			rec := &Record{ID: "20260101-000000-0001", Engine: "local", Target: "local", Status: StatusRunning, JobID: strconv.Itoa(tt.pid), Command: []string{"x"}}
			if err := Save(proj, rec); err != nil {
				t.Fatal(err)
			}
			got, err := Resume(context.Background(), proj, rec.ID, &Options{})
			if tt.err != "" {
				if err == nil || !strings.Contains(err.Error(), tt.err) || xerr.KindOf(err) != xerr.KindInput || xerr.HintOf(err) == "" {
					t.Errorf("err = %v", err)
				}
				return
			}
			if err != nil || got.Status != tt.status {
				t.Errorf("resume: %v, status %s", err, got.Status)
			}
			if saved, _ := Load(proj, rec.ID); saved == nil || saved.Status != tt.status {
				t.Errorf("run.json: %+v", saved)
			}
		})
	}
}

func TestLocalShellPushPull(t *testing.T) {
	tests := []struct {
		name    string
		noRsync bool
	}{{"rsync", false}, {"tar", true}}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if _, err := exec.LookPath("rsync"); err != nil && !tt.noRsync {
				t.Skip("no rsync")
			}
			if tt.noRsync {
				withoutRsync(t)
			}
			proj := fakeProject(t, "")
			remote := filepath.Join(t.TempDir(), "copy")
			ctx := context.Background()
			if err := (Local{}).Push(ctx, proj, remote); err != nil {
				t.Fatal(err)
			}
			checkRemoteCopy(t, remote)
			for _, f := range []string{"results/r.json", "checkpoints/c.pt"} {
				p := filepath.Join(remote, f)
				if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
					t.Fatal(err)
				}
				if err := os.WriteFile(p, []byte(f), 0o644); err != nil {
					t.Fatal(err)
				}
			}
			back := t.TempDir()
			files, err := (Local{}).Pull(ctx, remote, append(FetchPaths, "nothing"), back)
			if err != nil {
				t.Fatal(err)
			}
			if want := []string{"checkpoints/.keep", "checkpoints/c.pt", "results/r.json"}; !reflect.DeepEqual(files, want) {
				t.Errorf("pulled %q, want %q", files, want)
			}
			if b, err := os.ReadFile(filepath.Join(back, "results", "r.json")); err != nil || string(b) != "results/r.json" {
				t.Errorf("results/r.json: %q, %v", b, err)
			}
			var out bytes.Buffer
			err = (Local{}).Run(ctx, "echo hi; echo oops >&2; exit 4", nil, &out)
			var se *ShellError
			if out.String() != "hi\n" || !errors.As(err, &se) || se.ExitCode != 4 || se.Connection || !strings.Contains(se.Error(), "oops") {
				t.Errorf("Run: %q, %v", out.String(), err)
			}
		})
	}
}

// TestListNew: a result file counts as the run's when it is new or changed,
// whatever its time says (file times come from a coarse clock, and a
// program may set them); an untouched file does not.
func TestListNew(t *testing.T) {
	root := t.TempDir()
	write := func(name, data string, mod time.Time) {
		p := filepath.Join(root, name)
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(data), 0o644); err != nil {
			t.Fatal(err)
		}
		if err := os.Chtimes(p, mod, mod); err != nil {
			t.Fatal(err)
		}
	}
	past := time.Now().Add(-time.Hour)
	write("results/old.json", "{}", past)
	write("results/changed.json", "{}", past)
	before := stamps(root, []string{"results"})
	write("results/new.json", "{}", past.Add(-time.Hour)) // new, with an old time
	write("results/changed.json", `{"a": 1}`, past)       // same time, other size
	got := listNew(root, []string{"results"}, before)
	want := []string{"results/changed.json", "results/new.json"}
	if !slices.Equal(got, want) {
		t.Errorf("listNew = %v, want %v", got, want)
	}
}
