package run

import (
	"context"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"reflect"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/reprohq/repro/internal/run/sshtest"
	"github.com/reprohq/repro/internal/xerr"
)

// sshServer starts the test sshd and checks that python3 is there for the
// "remote" runs (the same machine).
func sshServer(t *testing.T) *sshtest.Server {
	t.Helper()
	if _, err := exec.LookPath("python3"); err != nil {
		t.Skip("no python3 on PATH")
	}
	return sshtest.Start(t)
}

// withoutRsync hides rsync from PATH: each folder holding it is replaced
// by a copy made of links to everything else it holds.
func withoutRsync(t *testing.T) {
	var dirs []string
	for _, dir := range filepath.SplitList(os.Getenv("PATH")) {
		if _, err := os.Stat(filepath.Join(dir, "rsync")); err != nil {
			dirs = append(dirs, dir)
			continue
		}
		links := t.TempDir()
		entries, err := os.ReadDir(dir)
		if err != nil {
			t.Fatal(err)
		}
		for _, e := range entries {
			if e.Name() != "rsync" {
				if err := os.Symlink(filepath.Join(dir, e.Name()), filepath.Join(links, e.Name())); err != nil {
					t.Fatal(err)
				}
			}
		}
		dirs = append(dirs, links)
	}
	t.Setenv("PATH", strings.Join(dirs, string(filepath.ListSeparator)))
	if _, err := exec.LookPath("rsync"); err == nil {
		t.Fatal("rsync still on PATH")
	}
}

// checkRemoteCopy checks what was sent: the project without .git, runs/,
// the root's results/, __pycache__ and .venv.
func checkRemoteCopy(t *testing.T, remote string) {
	t.Helper()
	for _, p := range []string{"scripts/train.py", "configs/small.yaml", ".repro/project.json", "src/pkg/results.py", "src/pkg/runs/nested_ok.json"} {
		if _, err := os.Stat(filepath.Join(remote, p)); err != nil {
			t.Errorf("not sent: %s", p)
		}
	}
	for _, p := range []string{".git", "__pycache__", "src/pkg/__pycache__", ".venv", "results/stale.json", "runs/old"} {
		if _, err := os.Stat(filepath.Join(remote, p)); err == nil {
			t.Errorf("sent, but excluded: %s", p)
		}
	}
}

func TestSSHRun(t *testing.T) {
	srv := sshServer(t)
	tests := []struct {
		name    string
		noRsync bool // rsync absent from PATH: tar over ssh
		env     map[string]string
		status  string
		code    int
		log     string
		results []string
	}{
		{"rsync", false, nil, StatusSucceeded, 0, expectedLog(4), []string{"checkpoints/.keep", "checkpoints/last.pt", "results/metrics.json"}},
		{"tar fallback", true, nil, StatusSucceeded, 0, expectedLog(4), []string{"checkpoints/.keep", "checkpoints/last.pt", "results/metrics.json"}},
		{"failing command", false, map[string]string{"FAIL": "3"}, StatusFailed, 3, "step 0 of 4\nstep 1 of 4\nstep 2 of 4\nstep 3 of 4\nboom: loss is nan\n",
			[]string{"checkpoints/.keep"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if tt.noRsync {
				withoutRsync(t)
			}
			proj := fakeProject(t, "")
			remote := filepath.Join(t.TempDir(), "remote copy")
			env := map[string]string{"DELAY": "0.2"}
			for k, v := range tt.env {
				env[k] = v
			}
			out := &syncBuffer{}
			start := time.Now()
			out.when, out.on = "step 0", func() { t.Logf("%6.2fs first line", time.Since(start).Seconds()) }
			rec, err := Run(context.Background(), srv.URL(remote), Spec{Project: proj, Command: []string{"python", "scripts/train.py", "4"}, Env: env},
				&Options{Out: out, SSHOptions: srv.Options, Poll: 200 * time.Millisecond,
					Progress: func(m string) { t.Logf("%6.2fs %s", time.Since(start).Seconds(), m) }})
			if err != nil {
				t.Fatal(err)
			}
			t.Logf("ssh run %s: %v", tt.name, time.Since(start))
			if rec.Status != tt.status || rec.ExitCode == nil || *rec.ExitCode != tt.code {
				t.Errorf("status %s, exit code %v; want %s, %d (%s)", rec.Status, rec.ExitCode, tt.status, tt.code, rec.Error)
			}
			if out.String() != tt.log || readLog(t, proj, rec.ID) != tt.log {
				t.Errorf("log: stdout %q, output.log %q; want %q", out.String(), readLog(t, proj, rec.ID), tt.log)
			}
			checkRemoteCopy(t, remote)
			if !reflect.DeepEqual(rec.Results, tt.results) {
				t.Errorf("results %q, want %q", rec.Results, tt.results)
			}
			for _, f := range tt.results {
				if _, err := os.Stat(filepath.Join(proj, f)); err != nil {
					t.Errorf("not fetched: %s", f)
				}
			}
			saved, err := Load(proj, rec.ID)
			if err != nil {
				t.Fatal(err)
			}
			if saved.Status != tt.status || saved.RemoteDir != remote || saved.Host != srv.User+"@127.0.0.1:"+strconv.Itoa(srv.Port) ||
				saved.LogOffset != int64(len(tt.log)) || saved.JobID == "" || saved.Started.IsZero() || saved.Ended.IsZero() {
				t.Errorf("run.json: %+v", saved)
			}
			if tt.status == StatusFailed && !strings.Contains(Tail(proj, rec.ID, 20), "boom: loss is nan") {
				t.Errorf("log tail: %q", Tail(proj, rec.ID, 20))
			}
		})
	}
}

// TestSSHReattach drops the connection mid-run, in the two ways it
// happens: the user's Ctrl-C (the follow's context, then repro run
// --resume) and a killed ssh client (the follow reconnects by itself). The
// log must come out whole, without a line lost or repeated.
func TestSSHReattach(t *testing.T) {
	srv := sshServer(t)

	t.Run("cancel then resume", func(t *testing.T) {
		proj := fakeProject(t, "")
		remote := filepath.Join(t.TempDir(), "r")
		ctx, cancel := context.WithCancel(context.Background())
		defer cancel()
		out := &syncBuffer{when: "step 2 ", on: cancel}
		o := &Options{Out: out, SSHOptions: srv.Options, Poll: 100 * time.Millisecond}
		spec := Spec{Project: proj, Command: []string{"python3", "scripts/train.py", "8"}, Env: map[string]string{"DELAY": "0.3"}}
		rec, err := Run(ctx, srv.URL(remote), spec, o)
		if !errors.Is(err, context.Canceled) || !strings.Contains(xerr.HintOf(err), "repro run --resume "+rec.ID) {
			t.Fatalf("interrupted follow: %v (hint %q)", err, xerr.HintOf(err))
		}
		saved, err := Load(proj, rec.ID)
		if err != nil {
			t.Fatal(err)
		}
		if saved.Status != StatusRunning {
			t.Fatalf("after the interruption: status %s, want running", saved.Status)
		}
		partial := readLog(t, proj, rec.ID)
		if !strings.HasPrefix(expectedLog(8), partial) || strings.Contains(partial, "done") {
			t.Fatalf("log after the interruption: %q", partial)
		}
		// The run went on without us.
		time.Sleep(500 * time.Millisecond)
		if _, err := os.Stat(filepath.Join(remote, "runs", rec.ID, "exit_code")); err == nil {
			t.Log("the run ended before the resume (slow machine?)")
		}

		resumed := &syncBuffer{}
		o.Out = resumed
		rec2, err := Resume(context.Background(), proj, rec.ID, o)
		if err != nil {
			t.Fatal(err)
		}
		if rec2.Status != StatusSucceeded {
			t.Errorf("after resume: %s", rec2.Status)
		}
		if got := readLog(t, proj, rec.ID); got != expectedLog(8) {
			t.Errorf("log after resume:\n%q\nwant\n%q", got, expectedLog(8))
		}
		if partial+resumed.String() != expectedLog(8) {
			t.Errorf("printed before %q and after %q the resume", partial, resumed.String())
		}
		if _, err := os.Stat(filepath.Join(proj, "results", "metrics.json")); err != nil {
			t.Error("results not fetched after the resume")
		}
	})

	t.Run("ssh client killed", func(t *testing.T) {
		// An ssh on PATH that records the pid of each connection, so
		// that the test can kill the one that follows the log.
		bin := t.TempDir()
		real, err := exec.LookPath("ssh")
		if err != nil {
			t.Fatal(err)
		}
		pids := filepath.Join(bin, "pids")
		wrapper := "#!/bin/sh\necho $$ >> " + Quote(pids) + "\nexec " + Quote(real) + " \"$@\"\n"
		if err := os.WriteFile(filepath.Join(bin, "ssh"), []byte(wrapper), 0o755); err != nil {
			t.Fatal(err)
		}
		t.Setenv("PATH", bin+string(filepath.ListSeparator)+os.Getenv("PATH"))

		proj := fakeProject(t, "")
		remote := filepath.Join(t.TempDir(), "r")
		killed := 0
		kill := func() {
			data, err := os.ReadFile(pids)
			if err != nil {
				t.Error(err)
				return
			}
			f := strings.Fields(string(data))
			pid, _ := strconv.Atoi(f[len(f)-1])
			if err := syscall.Kill(pid, syscall.SIGKILL); err != nil {
				t.Errorf("kill ssh %d: %v", pid, err)
			}
			killed++
		}
		out := &syncBuffer{when: "step 2 ", on: kill}
		var progress []string
		o := &Options{Out: out, SSHOptions: srv.Options, Poll: 100 * time.Millisecond, Progress: func(m string) { progress = append(progress, m) }}
		spec := Spec{Project: proj, Command: []string{"python3", "scripts/train.py", "8"}, Env: map[string]string{"DELAY": "0.3"}}
		rec, err := Run(context.Background(), srv.URL(remote), spec, o)
		if err != nil {
			t.Fatal(err)
		}
		if killed != 1 || !strings.Contains(strings.Join(progress, "\n"), "reconnecting") {
			t.Errorf("killed %d ssh clients; progress:\n%s", killed, strings.Join(progress, "\n"))
		}
		if rec.Status != StatusSucceeded || out.String() != expectedLog(8) || readLog(t, proj, rec.ID) != expectedLog(8) {
			t.Errorf("status %s; stdout %q; output.log %q", rec.Status, out.String(), readLog(t, proj, rec.ID))
		}
		if _, err := os.Stat(filepath.Join(proj, "checkpoints", "last.pt")); err != nil {
			t.Error("checkpoint not fetched")
		}
	})
}

// TestSSHErrors: an unreachable host, a resume of a run the host does not
// have.
func TestSSHErrors(t *testing.T) {
	srv := sshServer(t)
	proj := fakeProject(t, "")
	o := &Options{SSHOptions: srv.Options, Reconnects: 1}

	// A port nobody listens on.
	closed := "ssh://" + srv.User + "@127.0.0.1:1" + filepath.Join(t.TempDir(), "r")
	rec, err := Run(context.Background(), closed, Spec{Project: proj, Command: []string{"true"}}, o)
	var se *ShellError
	if !errors.As(err, &se) || !se.Connection || rec == nil || rec.Status != StatusFailed {
		t.Errorf("unreachable host: %v, %+v", err, rec)
	}

	// A record whose run is not on the host.
	remote := filepath.Join(t.TempDir(), "r")
	if err := os.MkdirAll(remote, 0o755); err != nil {
		t.Fatal(err)
	}
	ghost := &Record{ID: "20260101-000000-dead", Engine: "ssh", Target: srv.URL(remote), RemoteDir: remote, Status: StatusRunning, Command: []string{"x"}, Spec: Spec{Project: proj}}
	if err := Save(proj, ghost); err != nil {
		t.Fatal(err)
	}
	_, err = Resume(context.Background(), proj, ghost.ID, o)
	if err == nil || !strings.Contains(err.Error(), "no run "+ghost.ID) || xerr.HintOf(err) == "" {
		t.Errorf("resume of a run the host lacks: %v", err)
	}
}
