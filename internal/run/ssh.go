package run

import (
	"bufio"
	"bytes"
	"context"
	"fmt"
	"io"
	"path/filepath"
	"strconv"
	"strings"
	"time"
)

// SSHEngine runs the command on a host over ssh: it sends the project
// (rsync, else tar), starts the command detached under nohup and setsid
// with its output in runs/<id>/output.log on the host and its exit code
// written to runs/<id>/exit_code when it ends, so that the run survives a
// dropped connection; it streams the log over one ssh connection from the
// recorded offset, and brings results/ and checkpoints/ back.
type SSHEngine struct {
	Target Target
	Shell  *SSH
	// Poll is how often the host looks for new output.
	Poll time.Duration
}

func newSSHEngine(t Target, o *Options) *SSHEngine {
	sh := t.Shell(o.SSHOptions).(*SSH)
	sh.NoRsync = o.NoRsync
	return &SSHEngine{Target: t, Shell: sh, Poll: o.poll()}
}

// Name implements Engine.
func (*SSHEngine) Name() string { return "ssh" }

// remoteDir is the project's folder on the host: the target's path, else
// ~/repro-runs/<the project's folder name>.
func (e *SSHEngine) remoteDir(spec *Spec) string {
	if e.Target.Path != "" {
		return e.Target.Path
	}
	return "~/repro-runs/" + filepath.Base(spec.Project)
}

// Start implements Engine.
func (e *SSHEngine) Start(ctx context.Context, spec *Spec, rec *Record) error {
	rec.Host = e.Shell.String()
	rec.RemoteDir = e.remoteDir(spec)
	if err := e.Shell.Push(ctx, spec.Project, rec.RemoteDir); err != nil {
		return err
	}
	argv := spec.Command
	if spec.Python != "" {
		py, err := splitWords(spec.Python)
		if err != nil {
			return err
		}
		argv = pythonCommand(argv, py)
	} else if argv[0] == "python" {
		argv = pythonCommand(argv, []string{"python3"})
	}
	var env strings.Builder
	for _, kv := range runEnv(spec, rec) {
		k, v, _ := strings.Cut(kv, "=")
		env.WriteString("export " + k + "=" + Quote(v) + "; ")
	}
	d := "runs/" + rec.ID
	inner := env.String() + "echo $$ > " + d + "/pid; " + QuoteArgs(argv) + " > " + d + "/output.log 2>&1 < /dev/null; " +
		"echo $? > " + d + "/exit_code.tmp; mv " + d + "/exit_code.tmp " + d + "/exit_code"
	script := "cd " + QuoteDir(rec.RemoteDir) + " || exit 1\n" +
		"mkdir -p " + d + " || exit 1\n" +
		"S=; if command -v setsid >/dev/null 2>&1; then S=setsid; fi\n" +
		"nohup $S sh -c " + Quote(inner) + " > /dev/null 2>&1 < /dev/null &\n" +
		"i=0; while [ ! -s " + d + "/pid ] && [ $i -lt 100 ]; do sleep 0.1 2>/dev/null || sleep 1; i=$((i+1)); done\n" +
		"cat " + d + "/pid\n"
	var out bytes.Buffer
	if err := e.Shell.Run(ctx, script, nil, &out); err != nil {
		return err
	}
	rec.JobID = strings.TrimSpace(out.String())
	rec.Status = StatusRunning
	rec.Started = time.Now().UTC()
	return nil
}

// followScript streams the log of the run in dir from byte off on, as
// "data N\n" and N bytes, with "tick" lines while waiting, and ends with
// "exit CODE" or "lost" (the process is gone without an exit code).
func followScript(dir, id string, off int64, poll time.Duration) string {
	secs := strconv.FormatFloat(poll.Seconds(), 'f', -1, 64)
	return "cd " + QuoteDir(dir) + "/runs/" + id + " || exit 3\n" +
		"off=" + strconv.FormatInt(off, 10) + "\n" +
		`while :; do
  ec=; alive=1
  if [ -f exit_code ]; then ec=$(cat exit_code)
  elif ! kill -0 "$(cat pid 2>/dev/null)" 2>/dev/null; then
    if [ -f exit_code ]; then ec=$(cat exit_code); else alive=0; fi
  fi
  size=$(wc -c < output.log 2>/dev/null || echo 0); size=$((size+0))
  if [ "$size" -gt "$off" ]; then
    echo "data $((size-off))"; tail -c +$((off+1)) output.log | head -c $((size-off)); off=$size
  fi
  if [ -n "$ec" ]; then echo "exit $ec"; exit 0; fi
  if [ "$alive" = 0 ]; then echo lost; exit 0; fi
  echo tick
  sleep ` + secs + ` 2>/dev/null || sleep 1
done
`
}

// Follow implements Engine: one ssh connection streams the log until the
// run ends; a dropped connection returns a *ShellError with Connection set
// (the caller reconnects), and LogOffset tells where to go on.
func (e *SSHEngine) Follow(ctx context.Context, rec *Record, w io.Writer) error {
	cctx, cancel := context.WithCancel(ctx)
	defer cancel()
	cmd := e.Shell.Command(cctx, followScript(rec.RemoteDir, rec.ID, rec.LogOffset, e.Poll))
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		return err
	}
	var stderr tailBuffer
	cmd.Stderr = &stderr
	if err := cmd.Start(); err != nil {
		return err
	}
	r := bufio.NewReader(stdout)
	final := ""
	var perr error
	for final == "" && perr == nil {
		line, err := r.ReadString('\n')
		if err != nil {
			break // the connection ended: told by Wait
		}
		line = strings.TrimSuffix(line, "\n")
		switch {
		case line == "tick":
		case strings.HasPrefix(line, "data "):
			n, err := strconv.ParseInt(line[5:], 10, 64)
			if err != nil || n < 0 {
				perr = fmt.Errorf("unexpected output from %s: %q", e.Shell, line)
				break
			}
			c, err := io.CopyN(w, r, n)
			rec.LogOffset += c
			if err != nil && err != io.EOF && err != io.ErrUnexpectedEOF {
				perr = err // the local log cannot be written
			}
		case line == "lost" || strings.HasPrefix(line, "exit "):
			final = line
		default:
			perr = fmt.Errorf("unexpected output from %s: %q", e.Shell, line)
		}
	}
	if final != "" || perr != nil {
		cancel()
	}
	werr := cmd.Wait()
	if ctx.Err() != nil {
		return ctx.Err()
	}
	if perr != nil {
		return perr
	}
	switch {
	case final == "lost":
		rec.Status = StatusLost
		rec.Ended = time.Now().UTC()
		rec.Error = "the command's process on " + e.Shell.String() + " is gone and left no exit code"
		return nil
	case final != "":
		code, err := strconv.Atoi(strings.TrimSpace(final[5:]))
		if err != nil {
			return fmt.Errorf("unexpected exit code from %s: %q", e.Shell, final)
		}
		rec.ExitCode = &code
		rec.Ended = time.Now().UTC()
		if code == 0 {
			rec.Status = StatusSucceeded
		} else {
			rec.Status = StatusFailed
		}
		return nil
	}
	se := &ShellError{Target: e.Shell.String(), ExitCode: -1, Stderr: stderr.String(), Err: werr, Connection: true}
	if code := cmd.ProcessState.ExitCode(); code == 3 {
		se.Connection = false
		se.ExitCode = code
		se.Stderr = "no run " + rec.ID + " in " + rec.RemoteDir + " on the host"
	}
	if se.Err == nil {
		se.Err = io.ErrUnexpectedEOF
	}
	return se
}

// Fetch implements Engine.
func (e *SSHEngine) Fetch(ctx context.Context, rec *Record) error {
	files, err := e.Shell.Pull(ctx, rec.RemoteDir, FetchPaths, rec.Spec.Project)
	if err != nil {
		return err
	}
	rec.Results = files
	return nil
}
