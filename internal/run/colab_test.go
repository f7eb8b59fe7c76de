package run

import (
	"archive/tar"
	"bytes"
	"compress/gzip"
	"context"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/reprohq/repro/internal/xerr"
)

// fakeCgpu is a stand-in for lecoder-cgpu v0.4 that replays what the real
// tool prints (read from its source, src/index.ts and
// src/runtime/remote-command-runner.ts): the "Authenticated as" banner,
// "Uploaded: ..." after a copy, the command line echoed by the runtime's
// terminal, lines ending in \r\n, and the command's exit code, or 1 and a
// warning on standard error when the terminal closed without one. The
// "runtime" is this machine: the command runs here for real.
//
// $FAKE_CGPU_MODE changes what the terminal does to the output:
// noise (other lines inside the results frame, some glued to its lines),
// corrupt (one character of a chunk changed), truncate (the stream cut
// inside the frame), drop (the connection lost after two log lines).
const fakeCgpu = `#!/bin/bash
banner() { echo "Authenticated as Test User <test@example.com>"; }
case "${1:-}" in
--version) echo 0.4.0 ;;
status) banner; echo "Active Runtimes:"; echo "└─ Runtime: Colab GPU T4" ;;
copy)
  banner
  src=$2; dst=${3:-/content/$(basename "$2")}
  cp "$src" "$dst" || { echo "Error: upload failed" >&2; exit 1; }
  echo "Uploaded: $(basename "$src") → $dst ($(wc -c < "$src") B)"
  ;;
run)
  shift
  banner
  echo "Connecting to Colab GPU T4 runtime..."
  cmd="$*"
  # The terminal echoes the command line before "stty -echo" applies.
  printf '%s\r\n' "$cmd"
  mode=${FAKE_CGPU_MODE:-}
  case "$cmd" in *" follow "*) ;; *) mode= ;; esac
  bash -c "$cmd" 2>&1 | awk -v mode="$mode" '
    BEGIN { data = 0; logn = 0 }
    {
      line = $0
      if (index(line, "===REPRO-RESULTS-DATA ") == 1) {
        data++
        if (mode == "noise" && data % 3 == 1) { printf "[noise] a background thread writes %d\r\n", data }
        if (mode == "noise" && data == 2) { printf "tqdm 50%%|#####     |" }
        if (mode == "corrupt" && data == 2) {
          n = split(line, f, " ")
          c = substr(f[4], 10, 1); r = (c == "A") ? "B" : "A"
          line = f[1] " " f[2] " " f[3] " " substr(f[4], 1, 9) r substr(f[4], 11)
        }
        if (mode == "truncate" && data == 3) { exit 1 }
      } else if (index(line, "===REPRO-") == 0) {
        logn++
        if (mode == "drop" && logn == 3) { exit 1 }
      }
      printf "%s\r\n", line
      fflush()
      if (mode == "noise" && index(line, "===REPRO-RESULTS-BEGIN ") == 1) { printf "WARNING: Runtime disconnected soon\r\n" }
    }'
  code=${PIPESTATUS[0]}
  if [ "$mode" = truncate ] || [ "$mode" = drop ]; then
    echo "Command finished without reporting an exit code; assuming failure (exit code 1)." >&2
    exit 1
  fi
  exit "$code"
  ;;
*) echo "error: unknown command '${1:-}'" >&2; exit 1 ;;
esac
`

// withFakeCgpu puts the fake lecoder-cgpu first on PATH and returns a
// Colab engine whose runtime folder is a temporary one.
func withFakeCgpu(t *testing.T, mode string) *Colab {
	t.Helper()
	for _, tool := range []string{"bash", "awk", "tar", "base64", "sha256sum", "setsid"} {
		if _, err := exec.LookPath(tool); err != nil {
			t.Skipf("%s not found", tool)
		}
	}
	bin := t.TempDir()
	if err := os.WriteFile(filepath.Join(bin, "lecoder-cgpu"), []byte(fakeCgpu), 0o755); err != nil {
		t.Fatal(err)
	}
	t.Setenv("PATH", bin+string(filepath.ListSeparator)+os.Getenv("PATH"))
	t.Setenv("FAKE_CGPU_MODE", mode)
	return &Colab{Content: t.TempDir(), Poll: 100 * time.Millisecond}
}

// colabProject is a project whose command prints progress and writes
// results/ (a few KB, so that the frame has many chunks).
func colabProject(t *testing.T) string {
	t.Helper()
	dir := t.TempDir()
	files := map[string]string{
		".repro/project.json": "{}\n",
		"scripts/train.sh": `#!/bin/bash
set -e
echo "training seed=${SEED:-none} run=$REPRO_RUN_ID args=$*"
for i in 1 2 3; do echo "epoch $i/3 loss=0.$((9-i))"; sleep 0.1; done
mkdir -p results/plots
echo '{"acc": 0.91}' > results/metrics.json
seq 1 600 > results/plots/curve.csv
printf 'no newline at the end'
exit ${EXIT_WITH:-0}
`,
		"results/old.json": "{}\n", // not sent: results/ comes back, it does not go
	}
	for name, content := range files {
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

func colabStart(t *testing.T, c *Colab, spec Spec) *Record {
	t.Helper()
	rec := &Record{ID: "20261126-150000-c0" + fmt.Sprint(len(t.Name())%10), Spec: spec}
	if err := c.Start(context.Background(), &spec, rec); err != nil {
		t.Fatalf("Start: %v", err)
	}
	if rec.Status != StatusRunning || rec.JobID == "" || rec.RemoteDir != c.Content+"/repro-runs/"+rec.ID {
		t.Fatalf("after Start: %+v", rec)
	}
	return rec
}

func remoteLog(t *testing.T, c *Colab, rec *Record) string {
	t.Helper()
	data, err := os.ReadFile(filepath.Join(rec.RemoteDir, "output.log"))
	if err != nil {
		t.Fatal(err)
	}
	return string(data)
}

func TestColabFakeRun(t *testing.T) {
	for _, mode := range []string{"", "noise"} {
		t.Run("mode="+mode, func(t *testing.T) {
			c := withFakeCgpu(t, mode)
			project := colabProject(t)
			rec := colabStart(t, c, Spec{Project: project, Command: []string{"bash", "scripts/train.sh", "--seed=$SEED"}, Seeds: []int{3}})
			var log bytes.Buffer
			if err := c.Follow(context.Background(), rec, &log); err != nil {
				t.Fatalf("Follow: %v", err)
			}
			if rec.Status != StatusSucceeded || rec.ExitCode == nil || *rec.ExitCode != 0 {
				t.Fatalf("status %s exit %v", rec.Status, rec.ExitCode)
			}
			got := log.String()
			if strings.Contains(got, "===REPRO") || strings.Contains(got, "Authenticated as") || strings.Contains(got, "repro-runs") {
				t.Errorf("frames, markers or the tool's banner in the log:\n%s", got)
			}
			want := remoteLog(t, c, rec)
			if mode == "" && got != want {
				t.Errorf("log\n%q\nis not the command's output\n%q", got, want)
			}
			if mode == "noise" {
				if !strings.HasPrefix(got, want) || !strings.Contains(got, "[noise] a background thread writes") || !strings.Contains(got, "tqdm 50%|#####     |\n") {
					t.Errorf("with noise: log\n%q\nwant the output %q then the noise lines", got, want)
				}
			}
			if !strings.Contains(got, "training seed=3 run="+rec.ID+" args=--seed=3\n") || !strings.HasSuffix(want, "no newline at the end") {
				t.Errorf("log:\n%s", got)
			}
			if rec.LogOffset != int64(log.Len()) {
				t.Errorf("LogOffset %d, log %d bytes", rec.LogOffset, log.Len())
			}
			if err := c.Fetch(context.Background(), rec); err != nil {
				t.Fatalf("Fetch: %v", err)
			}
			if !slices.Equal(rec.Results, []string{"results/metrics.json", "results/plots/curve.csv"}) {
				t.Errorf("results %v", rec.Results)
			}
			if data, _ := os.ReadFile(filepath.Join(project, "results", "metrics.json")); string(data) != "{\"acc\": 0.91}\n" {
				t.Errorf("metrics.json = %q", data)
			}
			if _, err := os.Stat(filepath.Join(rec.RemoteDir, "project", "results", "old.json")); err == nil {
				t.Error("the local results/ was sent to the runtime")
			}
		})
	}
}

func TestColabFakeFailingCommand(t *testing.T) {
	c := withFakeCgpu(t, "")
	project := colabProject(t)
	rec := colabStart(t, c, Spec{Project: project, Command: []string{"bash", "scripts/train.sh"}, Env: map[string]string{"EXIT_WITH": "3"}})
	var log bytes.Buffer
	if err := c.Follow(context.Background(), rec, &log); err != nil {
		t.Fatal(err)
	}
	if rec.Status != StatusFailed || *rec.ExitCode != 3 {
		t.Errorf("status %s exit %d, want failed 3", rec.Status, *rec.ExitCode)
	}
	// What the failed run wrote still comes back.
	if err := c.Fetch(context.Background(), rec); err != nil || len(rec.Results) != 2 {
		t.Errorf("Fetch: %v %v", err, rec.Results)
	}
}

// A corrupted chunk and a stream cut inside the frame: a clear error from
// Fetch, the log intact; a later Fetch (repro run --resume) asks the
// runtime for the frame again.
func TestColabFakeBadFrames(t *testing.T) {
	for mode, want := range map[string]string{
		"corrupt":  "SHA-256",
		"truncate": "cut inside the results frame",
	} {
		t.Run(mode, func(t *testing.T) {
			c := withFakeCgpu(t, mode)
			project := colabProject(t)
			rec := colabStart(t, c, Spec{Project: project, Command: []string{"bash", "scripts/train.sh"}})
			var log bytes.Buffer
			if err := c.Follow(context.Background(), rec, &log); err != nil {
				t.Fatalf("Follow: %v", err)
			}
			if rec.Status != StatusSucceeded {
				t.Errorf("status %s: the command's outcome does not depend on the frame", rec.Status)
			}
			if log.String() != remoteLog(t, c, rec) {
				t.Errorf("log %q", log.String())
			}
			err := c.Fetch(context.Background(), rec)
			var xe *xerr.Error
			if !errors.As(err, &xe) || !strings.Contains(err.Error(), want) || !strings.Contains(xe.Hint, "--resume") || !strings.Contains(xe.Hint, "output.log") {
				t.Fatalf("Fetch: %v (hint %q), want an error about %q", err, xerr.HintOf(err), want)
			}
			if _, err := os.Stat(filepath.Join(project, "results", "metrics.json")); err == nil {
				t.Error("results unpacked from a bad frame")
			}
			t.Setenv("FAKE_CGPU_MODE", "")
			again := &Colab{Content: c.Content}
			if err := again.Fetch(context.Background(), rec); err != nil || len(rec.Results) != 2 {
				t.Errorf("Fetch again: %v %v", err, rec.Results)
			}
		})
	}
}

// A connection dropped in the middle of the log: Follow says so as a
// connection error (run.go reconnects) and the next Follow continues from
// the offset, without repeating or losing a byte.
func TestColabFakeDroppedConnection(t *testing.T) {
	c := withFakeCgpu(t, "drop")
	project := colabProject(t)
	rec := colabStart(t, c, Spec{Project: project, Command: []string{"bash", "scripts/train.sh"}})
	var log bytes.Buffer
	err := c.Follow(context.Background(), rec, &log)
	var se *ShellError
	if !errors.As(err, &se) || !se.Connection || !strings.Contains(se.Stderr, "without reporting an exit code") {
		t.Fatalf("Follow: %v, want a connection error", err)
	}
	if rec.LogOffset == 0 || Done(rec.Status) {
		t.Fatalf("offset %d status %s", rec.LogOffset, rec.Status)
	}
	t.Setenv("FAKE_CGPU_MODE", "")
	if err := c.Follow(context.Background(), rec, &log); err != nil {
		t.Fatal(err)
	}
	if log.String() != remoteLog(t, c, rec) {
		t.Errorf("log after reconnecting\n%q\nwant\n%q", log.String(), remoteLog(t, c, rec))
	}
	if err := c.Fetch(context.Background(), rec); err != nil {
		t.Error(err)
	}
}

func TestColabToolMissing(t *testing.T) {
	t.Setenv("PATH", t.TempDir())
	spec := Spec{Project: colabProject(t), Command: []string{"python", "train.py"}}
	err := (&Colab{}).Start(context.Background(), &spec, &Record{ID: "x"})
	var xe *xerr.Error
	if !errors.As(err, &xe) || xe.Kind != xerr.KindInput || !strings.Contains(err.Error(), "lecoder-cgpu") || !strings.Contains(xe.Hint, "npm install -g lecoder-cgpu") {
		t.Errorf("Start without the tool: %v (hint %q)", err, xerr.HintOf(err))
	}
	err = (&Colab{}).Start(context.Background(), &Spec{Command: []string{"x"}, Seeds: []int{1, 2}}, &Record{ID: "x"})
	if xerr.KindOf(err) != xerr.KindUsage {
		t.Errorf("several seeds on Colab: %v", err)
	}
}

// frame is the runner's framing of payload, in chunks of size bytes.
func frame(id string, payload []byte, size int) string {
	sum := sha256.Sum256(payload)
	var b strings.Builder
	fmt.Fprintf(&b, "===REPRO-RESULTS-BEGIN %s %s %d===\n", id, hex.EncodeToString(sum[:]), len(payload))
	for i, n := 0, 1; i < len(payload); i, n = i+size, n+1 {
		fmt.Fprintf(&b, "===REPRO-RESULTS-DATA %s %d %s\n", id, n, base64.StdEncoding.EncodeToString(payload[i:min(i+size, len(payload))]))
	}
	fmt.Fprintf(&b, "===REPRO-RESULTS-END %s===\n", id)
	return b.String()
}

func TestParseFrames(t *testing.T) {
	payload := bytes.Repeat([]byte("results of the run, "), 20)
	good := frame("r1", payload, 57)
	lines := strings.SplitAfter(good, "\n")
	head := "Authenticated as A <a@b>\nbash /content/repro-r1.sh follow 0 1\n===REPRO-LOG-BEGIN r1 0===\nepoch 1\nlast line===REPRO-EXIT r1 0===\n"
	tests := []struct {
		name, in, log, err string
		exit               int
	}{
		{name: "ok", in: head + good, log: "epoch 1\nlast line"},
		{name: "crlf", in: strings.ReplaceAll(head+good, "\n", "\r\n"), log: "epoch 1\nlast line"},
		{name: "noise inside", in: head + lines[0] + "noise 1\n" + lines[1] + lines[2] + "glued" + lines[3] + strings.Join(lines[4:], ""), log: "epoch 1\nlast line\nnoise 1\nglued\n"},
		// Another run's frame is text of the log, neither stripped nor decoded.
		{name: "other run's frame", in: head + frame("r0", []byte("old"), 57) + good, log: "epoch 1\nlast line\n" + frame("r0", []byte("old"), 57)},
		{name: "missing chunk", in: head + lines[0] + lines[1] + strings.Join(lines[3:], ""), log: "epoch 1\nlast line", err: "chunk 2 is missing"},
		{name: "corrupted chunk", in: head + lines[0] + strings.Replace(lines[1], "cmVz", "c!Vz", 1) + strings.Join(lines[2:], ""), log: "epoch 1\nlast line", err: "chunk 1 is corrupted"},
		{name: "changed chunk", in: head + lines[0] + strings.Replace(lines[1], "cmVz", "cmVx", 1) + strings.Join(lines[2:], ""), log: "epoch 1\nlast line", err: "SHA-256"},
		{name: "truncated", in: head + strings.Join(lines[:4], ""), log: "epoch 1\nlast line", err: "cut inside the results frame"},
		{name: "short", in: head + lines[0] + lines[len(lines)-2], log: "epoch 1\nlast line", err: "holds 0 bytes, not the 400 announced"},
		{name: "no frame", in: head, log: "epoch 1\nlast line", err: "no results frame"},
		{name: "too big", in: head + strings.Replace(good, " 400===", " 999999999===", 1), log: "epoch 1\nlast line", err: "more than the"},
		{name: "exit code", in: strings.Replace(head, "EXIT r1 0===", "EXIT r1 7===", 1) + good, log: "epoch 1\nlast line", exit: 7},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var log bytes.Buffer
			res, err := ParseFrames(strings.NewReader(tt.in), "r1", &log, 1<<20)
			if err != nil {
				t.Fatal(err)
			}
			if log.String() != tt.log {
				t.Errorf("log %q, want %q", log.String(), tt.log)
			}
			if !res.ExitSeen || res.ExitCode != tt.exit {
				t.Errorf("exit %v %d, want %d", res.ExitSeen, res.ExitCode, tt.exit)
			}
			switch {
			case tt.err == "" && (res.FrameErr != nil || !bytes.Equal(res.Payload, payload)):
				t.Errorf("frame: %v, payload %d bytes", res.FrameErr, len(res.Payload))
			case tt.err != "" && (res.FrameErr == nil || !strings.Contains(res.FrameErr.Error(), tt.err) || res.Payload != nil):
				t.Errorf("frame error %v, want %q", res.FrameErr, tt.err)
			}
		})
	}
}

func FuzzParseFrames(f *testing.F) {
	payload := []byte("some results")
	f.Add("===REPRO-LOG-BEGIN r1 0===\nlog\n===REPRO-EXIT r1 0===\n" + frame("r1", payload, 5))
	f.Add(frame("r1", payload, 3) + frame("r1", nil, 3))
	f.Add("===REPRO-RESULTS-BEGIN r1 x -1===\n===REPRO-RESULTS-DATA r1 1 ====\n===REPRO-RESULTS-END r1===")
	f.Add("===REPRO-RESULTS-DATA r1 1 QQ==\n===REPRO-RESULTS-END r1===\n===REPRO-")
	f.Add("x===REPRO-EXIT r1 99999999999999999999===\r\n===REPRO-LOST r1===")
	f.Fuzz(func(t *testing.T, in string) {
		var log bytes.Buffer
		res, err := ParseFrames(strings.NewReader(in), "r1", &log, 1<<16)
		if err != nil {
			t.Fatal(err)
		}
		if res.Payload != nil {
			if res.FrameErr != nil {
				t.Fatal("a payload with a frame error")
			}
			if len(res.Payload) > 1<<16 {
				t.Fatal("payload over the limit")
			}
		}
		if log.Len() > len(in)+len(in)/2+1 {
			t.Fatalf("log of %d bytes from %d bytes of input", log.Len(), len(in))
		}
	})
}

// targz packs entries (name → content; a content starting with "->" is a
// symlink, "dir/" a folder).
func targz(t *testing.T, entries [][2]string) []byte {
	t.Helper()
	var buf bytes.Buffer
	zw := gzip.NewWriter(&buf)
	tw := tar.NewWriter(zw)
	for _, e := range entries {
		name, content := e[0], e[1]
		var hdr *tar.Header
		switch {
		case strings.HasPrefix(content, "->"):
			hdr = &tar.Header{Typeflag: tar.TypeSymlink, Name: name, Linkname: content[2:], Mode: 0o777}
		case strings.HasSuffix(name, "/"):
			hdr = &tar.Header{Typeflag: tar.TypeDir, Name: name, Mode: 0o755}
		default:
			hdr = &tar.Header{Typeflag: tar.TypeReg, Name: name, Size: int64(len(content)), Mode: 0o644}
		}
		if err := tw.WriteHeader(hdr); err != nil {
			t.Fatal(err)
		}
		if hdr.Typeflag == tar.TypeReg {
			if _, err := tw.Write([]byte(content)); err != nil {
				t.Fatal(err)
			}
		}
	}
	if err := tw.Close(); err != nil {
		t.Fatal(err)
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func TestUnpackResults(t *testing.T) {
	project := t.TempDir()
	files, err := UnpackResults(project, "r1", targz(t, [][2]string{{"results/", ""}, {"results/a.json", "{}"}, {"./results/sub/b.csv", "1,2"}}), 1<<20)
	if err != nil || !slices.Equal(files, []string{"results/a.json", "results/sub/b.csv"}) {
		t.Fatalf("UnpackResults: %v %v", files, err)
	}
	if data, _ := os.ReadFile(filepath.Join(project, "results", "sub", "b.csv")); string(data) != "1,2" {
		t.Errorf("b.csv = %q", data)
	}
	if _, err := os.Stat(filepath.Join(project, "runs", "r1", "results.incoming")); err == nil {
		t.Error("the staging folder is left behind")
	}
	outside := t.TempDir()
	for name, entries := range map[string][][2]string{
		"dot-dot":        {{"results/../../escape", "x"}},
		"absolute":       {{"/etc/escape", "x"}},
		"not results":    {{"src/model.py", "x"}},
		"symlink":        {{"results/link", "->" + outside}},
		"too big":        {{"results/big", strings.Repeat("x", 2000)}},
		"backslash path": {{`results\..\..\escape`, "x"}},
	} {
		t.Run(name, func(t *testing.T) {
			_, err := UnpackResults(project, "r2", targz(t, entries), 1000)
			if err == nil || xerr.KindOf(err) != xerr.KindInput {
				t.Errorf("got %v, want a refusal", err)
			}
		})
	}
	if _, err := UnpackResults(project, "r3", []byte("not gzip"), 1000); err == nil {
		t.Error("garbage accepted")
	}
	// A link already in the project's results/ that leads outside is not
	// followed.
	if err := os.Symlink(outside, filepath.Join(project, "results", "out")); err != nil {
		t.Fatal(err)
	}
	if _, err := UnpackResults(project, "r4", targz(t, [][2]string{{"results/out/x", "pwned"}}), 1000); err == nil {
		t.Error("wrote through a link in results/")
	}
	if _, err := os.Stat(filepath.Join(outside, "x")); err == nil {
		t.Error("a file was written outside the project")
	}
}

// The runner is plain bash.
func TestColabRunnerSyntax(t *testing.T) {
	if _, err := exec.LookPath("bash"); err != nil {
		t.Skip("no bash")
	}
	script, err := ColabRunner(&Spec{Command: []string{"python", "train.py", "--lr", "3e-4"}, Env: map[string]string{"A": "it's"}}, &Record{ID: "r1"}, "/content")
	if err != nil {
		t.Fatal(err)
	}
	out, err := exec.Command("bash", "-n", "-c", script).CombinedOutput()
	if err != nil {
		t.Errorf("bash -n: %v\n%s", err, out)
	}
	if strings.Contains(script, "===REPRO-") {
		t.Error("the runner holds a literal marker: an echo of it would be taken for one")
	}
}

// --on slurm and --on colab reach these engines through run.NewEngine.
func TestEnginesRegistered(t *testing.T) {
	for target, want := range map[string]string{"slurm": "slurm", "slurm://me@login:2222/~/p": "slurm", "colab": "colab"} {
		tg, err := ParseTarget(target)
		if err != nil {
			t.Fatal(err)
		}
		eng, err := NewEngine(tg, &Options{})
		if err != nil || eng.Name() != want {
			t.Errorf("%s: %v %v", target, eng, err)
			continue
		}
		if s, ok := eng.(*Slurm); ok && (s.Target.Host != "") != (target != "slurm") {
			t.Errorf("%s: target %+v", target, s.Target)
		}
	}
}
