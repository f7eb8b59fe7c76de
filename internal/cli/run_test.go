package cli

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"testing"

	"github.com/reprohq/repro/internal/bench"
	runner "github.com/reprohq/repro/internal/run"
	"github.com/reprohq/repro/internal/run/sshtest"
	"github.com/reprohq/repro/internal/testenv"
)

// writeResultsAtPaper writes, into the project, a CSV of results at the
// paper's numbers for every target of its benchmarks.yaml, for a fake
// training command to copy into results/.
func writeResultsAtPaper(t *testing.T, dir, name string) {
	t.Helper()
	f, err := bench.Load(filepath.Join(dir, "benchmarks.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	if len(f.Targets) == 0 {
		t.Fatal("no benchmark targets")
	}
	var b strings.Builder
	b.WriteString("dataset,metric,setting,value\n")
	for _, tg := range f.Targets {
		fmt.Fprintf(&b, "%q,%q,%q,%s\n", tg.Dataset, tg.Metric, tg.Setting, strconv.FormatFloat(tg.Value, 'f', -1, 64))
	}
	if err := os.WriteFile(filepath.Join(dir, name), []byte(b.String()), 0o644); err != nil {
		t.Fatal(err)
	}
}

// fakeTrain is a command that "trains": it prints two lines and copies
// expected.csv to results/metrics.csv, with a checkpoint.
const fakeTrain = `import os, shutil
print("epoch 1 loss 0.5", flush=True)
os.makedirs("results", exist_ok=True)
os.makedirs("checkpoints", exist_ok=True)
shutil.copy("expected.csv", "results/metrics.csv")
open("checkpoints/last.pt", "wb").write(b"w")
print("epoch 2 loss 0.25", flush=True)
`

var runIDRe = regexp.MustCompile(`run (\d{8}-\d{6}-[0-9a-f]{4}) succeeded`)

// TestRunLocalBench scaffolds the example paper, runs a fake training with
// the project's interpreter, and compares the results with --bench; then
// lists and resumes the run.
func TestRunLocalBench(t *testing.T) {
	py := testenv.Python(t)
	dir := filepath.Join(t.TempDir(), "tf")
	if code, out, errOut := runRepro(t, "scaffold", "--no-git", "--python", py, "--out", dir, "../../examples/tinyformer"); code != 0 {
		t.Fatalf("scaffold: exit %d\n%s%s", code, out, errOut)
	}
	writeResultsAtPaper(t, dir, "expected.csv")
	if err := os.WriteFile(filepath.Join(dir, "scripts", "fake_train.py"), []byte(fakeTrain), 0o644); err != nil {
		t.Fatal(err)
	}

	code, out, errOut := runRepro(t, "run", "--config", "configs/small.yaml", "--bench", dir, "--", "python", "scripts/fake_train.py")
	if code != 0 {
		t.Fatalf("run --bench: exit %d\n%s%s", code, out, errOut)
	}
	if !strings.HasPrefix(out, "epoch 1 loss 0.5\nepoch 2 loss 0.25\n") || !strings.Contains(out, "verdict: REPRODUCED") {
		t.Errorf("stdout: the log, then the bench report:\n%s", out)
	}
	if !strings.Contains(errOut, "  results/metrics.csv\n") || !strings.Contains(errOut, "  checkpoints/last.pt\n") {
		t.Errorf("stderr does not list the results:\n%s", errOut)
	}
	if strings.Contains(errOut, "repro: run ") && strings.Contains(errOut, "starting") {
		t.Errorf("progress on a stderr that is not a terminal:\n%s", errOut)
	}
	m := runIDRe.FindStringSubmatch(errOut)
	if m == nil {
		t.Fatalf("no run id in:\n%s", errOut)
	}
	id := m[1]
	rec, err := runner.Load(dir, id)
	if err != nil {
		t.Fatal(err)
	}
	if rec.Status != runner.StatusSucceeded || rec.Config != "configs/small.yaml" || len(rec.ConfigHash) != 64 || rec.Engine != "local" {
		t.Errorf("run.json: %+v", rec)
	}
	if md, err := os.ReadFile(filepath.Join(dir, "docs", "benchmarks.md")); err != nil || !strings.Contains(string(md), "REPRODUCED") {
		t.Errorf("--bench did not write docs/benchmarks.md: %v", err)
	}

	// Without --bench: the exact command to run.
	code, _, errOut = runRepro(t, "run", dir, "--", "python", "scripts/fake_train.py")
	if want := "repro: compare them with the paper: repro bench --dir " + dir + " " + filepath.Join(dir, "results", "metrics.csv"); code != 0 || !strings.Contains(errOut, want) {
		t.Errorf("exit %d; stderr lacks %q:\n%s", code, want, errOut)
	}

	// Progress lines only when stderr is a terminal; stdout is the log.
	ios, _, ttyOut, ttyErr := Test()
	ios.StderrTTY = true
	if code := Run(context.Background(), ios, []string{"run", dir, "--", "python", "scripts/fake_train.py"}); code != 0 ||
		!regexp.MustCompile(`(?m)^repro: run \S+: starting on local$`).MatchString(ttyErr.String()) ||
		ttyOut.String() != "epoch 1 loss 0.5\nepoch 2 loss 0.25\n" {
		t.Errorf("on a terminal: exit %d\nstdout %q\nstderr:\n%s", code, ttyOut.String(), ttyErr.String())
	}

	code, out, _ = runRepro(t, "run", "--list", dir)
	if code != 0 || strings.Count(out, " succeeded ") != 3 || !strings.Contains(out, id) || !strings.Contains(out, "python scripts/fake_train.py") {
		t.Errorf("--list: exit %d\n%s", code, out)
	}
	code, out, errOut = runRepro(t, "run", "--resume", id, dir)
	if code != 0 || out != "" || !strings.Contains(errOut, "succeeded") {
		t.Errorf("--resume of a finished run: exit %d\n%s%s", code, out, errOut)
	}
}

// TestRunSSH runs a project on a local sshd through the command line, with
// the options from $REPRO_SSH_OPTIONS and --ssh-option.
func TestRunSSH(t *testing.T) {
	if _, err := os.Stat("/usr/bin/python3"); err != nil {
		t.Skip("no /usr/bin/python3")
	}
	srv := sshtest.Start(t)
	dir := filepath.Join(t.TempDir(), "proj")
	if err := os.MkdirAll(filepath.Join(dir, "scripts"), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "scripts", "fake_train.py"), []byte(fakeTrain), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "expected.csv"), []byte("dataset,metric,value\nx,acc,1\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	var env, flags []string
	for i := 0; i < len(srv.Options); i += 2 {
		if srv.Options[i] == "-o" {
			flags = append(flags, "--ssh-option", srv.Options[i+1])
		} else {
			env = append(env, srv.Options[i], runner.Quote(srv.Options[i+1]))
		}
	}
	t.Setenv("REPRO_SSH_OPTIONS", strings.Join(env, " "))
	remote := filepath.Join(t.TempDir(), "remote")
	args := append([]string{"run", "--on", srv.URL(remote)}, flags...)
	args = append(args, dir, "--", "python", "scripts/fake_train.py")
	code, out, errOut := runRepro(t, args...)
	if code != 0 {
		t.Fatalf("exit %d\n%s%s", code, out, errOut)
	}
	if out != "epoch 1 loss 0.5\nepoch 2 loss 0.25\n" || !strings.Contains(errOut, "  results/metrics.csv\n") {
		t.Errorf("stdout %q; stderr:\n%s", out, errOut)
	}
	if b, err := os.ReadFile(filepath.Join(dir, "results", "metrics.csv")); err != nil || !strings.Contains(string(b), "x,acc,1") {
		t.Errorf("results not fetched: %v", err)
	}

	// A failing remote command: exit status 4 and the end of its log.
	code, _, errOut = runRepro(t, append(append([]string{"run", "--on", srv.URL(remote)}, flags...), dir, "--", "sh", "-c", "echo oops >&2; exit 9")...)
	if code != ExitFailed || !strings.Contains(errOut, "(exit code 9)") || !strings.Contains(errOut, "\noops\n") {
		t.Errorf("failing command: exit %d\n%s", code, errOut)
	}

	// Ctrl-C while following: exit status 130, the run goes on and the
	// hint says how to reattach; the resume prints the rest of the log.
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	ios, _, _, errBuf := Test()
	out1 := &cancelWriter{when: "line 1\n", cancel: cancel}
	ios.Out = out1
	slow := "for i in 1 2 3 4 5 6; do echo line $i; sleep 0.3; done"
	code = Run(ctx, ios, append(append([]string{"run", "--on", srv.URL(remote)}, flags...), dir, "--", "sh", "-c", slow))
	m := regexp.MustCompile(`reattach with: repro run --resume (\S+) `).FindStringSubmatch(errBuf.String())
	if code != ExitInterrupted || m == nil || !strings.Contains(errBuf.String(), "repro: error: interrupted") {
		t.Fatalf("Ctrl-C: exit %d\n%s", code, errBuf.String())
	}
	code, out, errOut = runRepro(t, "run", "--resume", m[1], dir)
	if code != 0 || out1.String()+out != "line 1\nline 2\nline 3\nline 4\nline 5\nline 6\n" {
		t.Errorf("resume: exit %d; before %q, after %q\n%s", code, out1.String(), out, errOut)
	}
}

// cancelWriter is a buffer that cancels a context once it holds when.
type cancelWriter struct {
	mu     sync.Mutex
	b      strings.Builder
	when   string
	cancel func()
}

func (w *cancelWriter) Write(p []byte) (int, error) {
	w.mu.Lock()
	defer w.mu.Unlock()
	w.b.Write(p)
	if strings.Contains(w.b.String(), w.when) {
		w.cancel()
	}
	return len(p), nil
}

func (w *cancelWriter) String() string {
	w.mu.Lock()
	defer w.mu.Unlock()
	return w.b.String()
}
