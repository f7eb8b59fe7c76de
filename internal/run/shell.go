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
	"strconv"
	"strings"
	"sync"

	"github.com/reprohq/repro/internal/xerr"
)

// SyncExcludes are the project paths never sent to a target: version
// control, the run records, the results and caches. results/ comes back
// from the target; it is not sent there.
var SyncExcludes = []string{".git", "runs", "results", "__pycache__", ".venv"}

// FetchPaths are the project folders brought back from a target when a run
// ends.
var FetchPaths = []string{"results", "checkpoints"}

// A Shell runs commands on a target machine: this one (Local) or a host
// over ssh (SSH). Engines use it to send the project, start the command,
// poll a scheduler and bring the results back, without caring where the
// target is. Scripts are POSIX sh; build them with Quote.
type Shell interface {
	// Run runs script with `sh -c` on the target, its standard input
	// from stdin (nil: none) and its standard output to stdout (nil:
	// discarded). A script that exits non-zero gives a *ShellError
	// carrying the exit code and the end of the standard error.
	Run(ctx context.Context, script string, stdin io.Reader, stdout io.Writer) error
	// Push copies the local folder local into dir on the target (created
	// when missing), leaving out SyncExcludes. Files already there and not
	// in local are kept.
	Push(ctx context.Context, local, dir string) error
	// Pull copies the given paths (relative to dir on the target, folders
	// copied whole; paths that do not exist are skipped) into the local
	// folder local, and returns the files copied, slash-separated and
	// relative to local, sorted.
	Pull(ctx context.Context, dir string, paths []string, local string) ([]string, error)
	// String names the target for messages: "this machine", "user@host:2222".
	String() string
}

// ShellError is a script that failed on a target.
type ShellError struct {
	Target   string
	ExitCode int    // -1 when the command did not run or was killed
	Stderr   string // the end of its standard error
	// Connection is true when ssh itself failed (exit code 255): the
	// host is unreachable or refused the login, or the connection dropped.
	Connection bool
	Err        error
}

func (e *ShellError) Error() string {
	var b strings.Builder
	if e.Connection {
		fmt.Fprintf(&b, "ssh to %s failed", e.Target)
	} else {
		fmt.Fprintf(&b, "command on %s failed", e.Target)
		if e.ExitCode >= 0 {
			fmt.Fprintf(&b, " (exit code %d)", e.ExitCode)
		}
	}
	if s := strings.TrimSpace(e.Stderr); s != "" {
		b.WriteString(": " + s)
	} else if e.Err != nil {
		b.WriteString(": " + e.Err.Error())
	}
	return b.String()
}

func (e *ShellError) Unwrap() error { return e.Err }

// Quote quotes s for a POSIX shell: 'it'\”s'. Words made only of safe
// characters are left alone.
func Quote(s string) string {
	if s == "" {
		return "''"
	}
	safe := true
	for _, r := range s {
		if !(r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || strings.ContainsRune("-_./=:,+@%", r)) {
			safe = false
			break
		}
	}
	if safe {
		return s
	}
	return "'" + strings.ReplaceAll(s, "'", `'\''`) + "'"
}

// QuoteArgs quotes each word of argv and joins them with spaces.
func QuoteArgs(argv []string) string {
	q := make([]string, len(argv))
	for i, a := range argv {
		q[i] = Quote(a)
	}
	return strings.Join(q, " ")
}

// QuoteDir quotes a folder for a remote shell, keeping a leading "~/"
// unquoted so that the shell expands it to the home folder.
func QuoteDir(dir string) string {
	switch {
	case dir == "~":
		return "~"
	case strings.HasPrefix(dir, "~/"):
		return "~/" + Quote(dir[2:])
	}
	return Quote(dir)
}

// Local is the Shell of this machine.
type Local struct{}

// String implements Shell.
func (Local) String() string { return "this machine" }

// Run implements Shell.
func (Local) Run(ctx context.Context, script string, stdin io.Reader, stdout io.Writer) error {
	cmd := exec.CommandContext(ctx, "sh", "-c", script)
	return runCmd(cmd, "this machine", false, stdin, stdout)
}

// Push implements Shell: rsync when it is installed, else tar.
func (l Local) Push(ctx context.Context, local, dir string) error {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	if _, err := exec.LookPath("rsync"); err == nil {
		args := append([]string{"-a"}, rsyncExcludes()...)
		args = append(args, strings.TrimSuffix(local, "/")+"/", strings.TrimSuffix(dir, "/")+"/")
		return runCmd(exec.CommandContext(ctx, "rsync", args...), "this machine", false, nil, nil)
	}
	return l.Run(ctx, "tar -C "+Quote(local)+" "+tarExcludes()+" -cf - . | tar -C "+Quote(dir)+" -xf -", nil, nil)
}

// Pull implements Shell.
func (l Local) Pull(ctx context.Context, dir string, paths []string, local string) ([]string, error) {
	files, err := listFiles(ctx, l, dir, paths)
	if err != nil || len(files) == 0 {
		return files, err
	}
	if filepath.Clean(dir) == filepath.Clean(local) {
		return files, nil
	}
	err = l.Run(ctx, "cd "+Quote(dir)+" && tar -cf - "+QuoteArgs(topLevel(files))+" | tar -C "+Quote(local)+" -xf -", nil, nil)
	return files, err
}

// SSH is the Shell of a host reached with the system's ssh client, so the
// user's ~/.ssh/config, agent, keys and ProxyJump apply.
type SSH struct {
	// Host is what ssh connects to: a host name, an address or an alias
	// of ~/.ssh/config.
	Host string
	User string // "" for ssh's default
	Port int    // 0 for ssh's default
	// Options are extra ssh options ("-i", "key", "-o", "X=y"), from
	// $REPRO_SSH_OPTIONS and --ssh-option; see SSHOptions.
	Options []string
	// NoRsync forces the tar fallback (also used when rsync is missing
	// locally).
	NoRsync bool

	rsyncOnce   sync.Once
	remoteRsync bool
}

// SSHOptions splits $REPRO_SSH_OPTIONS (shell-like words: "-i ~/key -o
// StrictHostKeyChecking=no") and appends the --ssh-option values, each an
// option for -o ("ConnectTimeout=5") or, when it starts with "-", ssh
// arguments ("-i key").
func SSHOptions(env string, flags []string) ([]string, error) {
	opts, err := splitWords(env)
	if err != nil {
		return nil, xerr.Input("", "$REPRO_SSH_OPTIONS: "+err.Error(), "quote the options like a shell would")
	}
	for _, f := range flags {
		if strings.HasPrefix(f, "-") {
			w, err := splitWords(f)
			if err != nil {
				return nil, &xerr.Error{Kind: xerr.KindUsage, Msg: "--ssh-option " + f + ": " + err.Error()}
			}
			opts = append(opts, w...)
			continue
		}
		opts = append(opts, "-o", f)
	}
	return opts, nil
}

// String implements Shell.
func (s *SSH) String() string {
	t := s.dest()
	if s.Port != 0 {
		t += ":" + strconv.Itoa(s.Port)
	}
	return t
}

func (s *SSH) dest() string {
	if s.User != "" {
		return s.User + "@" + s.Host
	}
	return s.Host
}

// sshArgs are the ssh arguments before the destination: the port, the
// extra options, then defaults that they may override (ssh keeps the first
// value of an option): no password prompts, since runs are unattended, and
// keep-alives, so that a dead connection is noticed within a minute and
// reopened.
func (s *SSH) sshArgs() []string {
	var args []string
	if s.Port != 0 {
		args = append(args, "-p", strconv.Itoa(s.Port))
	}
	args = append(args, s.Options...)
	return append(args, "-o", "BatchMode=yes", "-o", "ServerAliveInterval=15", "-o", "ServerAliveCountMax=4")
}

// Command returns the ssh command that runs script on the host, for
// engines that need the process itself (to stream its output).
func (s *SSH) Command(ctx context.Context, script string) *exec.Cmd {
	args := append(s.sshArgs(), "--", s.dest(), "sh -c "+Quote(script))
	return exec.CommandContext(ctx, "ssh", args...)
}

// Run implements Shell.
func (s *SSH) Run(ctx context.Context, script string, stdin io.Reader, stdout io.Writer) error {
	return runCmd(s.Command(ctx, script), s.String(), true, stdin, stdout)
}

// useRsync reports whether rsync is on both ends.
func (s *SSH) useRsync(ctx context.Context) bool {
	if s.NoRsync {
		return false
	}
	if _, err := exec.LookPath("rsync"); err != nil {
		return false
	}
	s.rsyncOnce.Do(func() {
		s.remoteRsync = s.Run(ctx, "command -v rsync >/dev/null", nil, nil) == nil
	})
	return s.remoteRsync
}

// rsh is rsync's -e: ssh with this shell's arguments.
func (s *SSH) rsh() string {
	return "ssh " + QuoteArgs(s.sshArgs())
}

// Push implements Shell: rsync when both ends have it, else tar over ssh.
func (s *SSH) Push(ctx context.Context, local, dir string) error {
	// One connection makes the folder and tells whether the host has
	// rsync.
	var out bytes.Buffer
	if err := s.Run(ctx, "mkdir -p "+QuoteDir(dir)+" && { command -v rsync >/dev/null 2>&1 && echo rsync || true; }", nil, &out); err != nil {
		return err
	}
	s.rsyncOnce.Do(func() { s.remoteRsync = strings.TrimSpace(out.String()) == "rsync" })
	if s.useRsync(ctx) {
		args := append([]string{"-a", "-e", s.rsh()}, rsyncExcludes()...)
		args = append(args, strings.TrimSuffix(local, "/")+"/", s.dest()+":"+rsyncDir(dir)+"/")
		return runCmd(exec.CommandContext(ctx, "rsync", args...), s.String(), true, nil, nil)
	}
	pr, pw := io.Pipe()
	tarCmd := exec.CommandContext(ctx, "tar", append(append([]string{"-C", local}, splitTarExcludes()...), "-cf", "-", ".")...)
	tarCmd.Stdout = pw
	var tarErr bytes.Buffer
	tarCmd.Stderr = &tarErr
	if err := tarCmd.Start(); err != nil {
		return err
	}
	done := make(chan error, 1)
	go func() {
		err := tarCmd.Wait()
		pw.CloseWithError(err)
		done <- err
	}()
	err := s.Run(ctx, "tar -C "+QuoteDir(dir)+" -xf -", pr, nil)
	pr.Close()
	if terr := <-done; terr != nil && err == nil {
		err = fmt.Errorf("tar %s: %v: %s", local, terr, strings.TrimSpace(tarErr.String()))
	}
	return err
}

// Pull implements Shell.
func (s *SSH) Pull(ctx context.Context, dir string, paths []string, local string) ([]string, error) {
	files, err := listFiles(ctx, s, dir, paths)
	if err != nil || len(files) == 0 {
		return files, err
	}
	if err := os.MkdirAll(local, 0o755); err != nil {
		return nil, err
	}
	top := topLevel(files)
	if s.useRsync(ctx) {
		args := []string{"-a", "-e", s.rsh()}
		for _, p := range top {
			args = append(args, s.dest()+":"+rsyncDir(dir)+"/"+p)
		}
		args = append(args, strings.TrimSuffix(local, "/")+"/")
		return files, runCmd(exec.CommandContext(ctx, "rsync", args...), s.String(), true, nil, nil)
	}
	tarCmd := exec.CommandContext(ctx, "tar", "-C", local, "-xf", "-")
	in, err := tarCmd.StdinPipe()
	if err != nil {
		return nil, err
	}
	var tarErr bytes.Buffer
	tarCmd.Stderr = &tarErr
	if err := tarCmd.Start(); err != nil {
		return nil, err
	}
	err = s.Run(ctx, "cd "+QuoteDir(dir)+" && tar -cf - "+QuoteArgs(top), nil, in)
	in.Close()
	if terr := tarCmd.Wait(); terr != nil && err == nil {
		err = fmt.Errorf("tar into %s: %v: %s", local, terr, strings.TrimSpace(tarErr.String()))
	}
	return files, err
}

// rsyncDir is dir for rsync's host:dir (rsync's remote shell expands "~"
// only at the start, and a relative path is relative to the home folder).
func rsyncDir(dir string) string {
	if strings.HasPrefix(dir, "~/") {
		return dir[2:]
	}
	return strings.TrimSuffix(dir, "/")
}

// listFiles lists the regular files under paths in dir on sh.
func listFiles(ctx context.Context, sh Shell, dir string, paths []string) ([]string, error) {
	script := "cd " + QuoteDir(dir) + " || exit 1; for p in " + QuoteArgs(paths) +
		`; do if [ -e "$p" ]; then find "$p" -type f; fi; done`
	var out bytes.Buffer
	if err := sh.Run(ctx, script, nil, &out); err != nil {
		return nil, err
	}
	var files []string
	for line := range strings.SplitSeq(out.String(), "\n") {
		if line = strings.TrimPrefix(strings.TrimSpace(line), "./"); line != "" {
			files = append(files, filepath.ToSlash(line))
		}
	}
	slices.Sort(files)
	return files, nil
}

// topLevel returns the distinct first path elements of files, in order.
func topLevel(files []string) []string {
	var top []string
	seen := map[string]bool{}
	for _, f := range files {
		t, _, _ := strings.Cut(f, "/")
		if !seen[t] {
			seen[t] = true
			top = append(top, t)
		}
	}
	return top
}

func rsyncExcludes() []string {
	var a []string
	for _, e := range SyncExcludes {
		// Anchored at the project's root for runs and results (a package
		// may well have a results.py or a runs/ folder of its own), and
		// anywhere for the caches.
		if e == "runs" || e == "results" {
			a = append(a, "--exclude=/"+e)
		} else {
			a = append(a, "--exclude="+e)
		}
	}
	return a
}

func splitTarExcludes() []string {
	var a []string
	for _, e := range SyncExcludes {
		if e == "runs" || e == "results" {
			a = append(a, "--exclude=./"+e)
		} else {
			a = append(a, "--exclude="+e)
		}
	}
	return a
}

func tarExcludes() string { return QuoteArgs(splitTarExcludes()) }

// runCmd runs cmd with the given standard input and output, keeping the end
// of its standard error for the error.
func runCmd(cmd *exec.Cmd, target string, ssh bool, stdin io.Reader, stdout io.Writer) error {
	cmd.Stdin = stdin
	if stdout == nil {
		stdout = io.Discard
	}
	cmd.Stdout = stdout
	var stderr tailBuffer
	cmd.Stderr = &stderr
	err := cmd.Run()
	if err == nil {
		return nil
	}
	se := &ShellError{Target: target, ExitCode: -1, Stderr: stderr.String(), Err: err}
	var ee *exec.ExitError
	if errors.As(err, &ee) {
		se.ExitCode = ee.ExitCode()
		se.Connection = ssh && se.ExitCode == 255
	}
	return se
}

// tailBuffer keeps the last 4 KiB written to it.
type tailBuffer struct {
	mu  sync.Mutex
	buf []byte
}

func (t *tailBuffer) Write(p []byte) (int, error) {
	t.mu.Lock()
	defer t.mu.Unlock()
	t.buf = append(t.buf, p...)
	if n := len(t.buf); n > 4096 {
		t.buf = append(t.buf[:0], t.buf[n-4096:]...)
	}
	return len(p), nil
}

func (t *tailBuffer) String() string {
	t.mu.Lock()
	defer t.mu.Unlock()
	return string(t.buf)
}

// splitWords splits s into words like a POSIX shell would, honouring single
// and double quotes and backslashes (no expansions).
func splitWords(s string) ([]string, error) {
	var words []string
	var cur strings.Builder
	inWord := false
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case c == '\'':
			j := strings.IndexByte(s[i+1:], '\'')
			if j < 0 {
				return nil, errors.New("unterminated ' quote")
			}
			cur.WriteString(s[i+1 : i+1+j])
			i += j + 1
			inWord = true
		case c == '"':
			i++
			for ; i < len(s) && s[i] != '"'; i++ {
				if s[i] == '\\' && i+1 < len(s) && strings.IndexByte("\"\\$`", s[i+1]) >= 0 {
					i++
				}
				cur.WriteByte(s[i])
			}
			if i >= len(s) {
				return nil, errors.New("unterminated \" quote")
			}
			inWord = true
		case c == '\\' && i+1 < len(s):
			i++
			cur.WriteByte(s[i])
			inWord = true
		case c == ' ' || c == '\t' || c == '\n':
			if inWord {
				words = append(words, cur.String())
				cur.Reset()
				inWord = false
			}
		default:
			cur.WriteByte(c)
			inWord = true
		}
	}
	if inWord {
		words = append(words, cur.String())
	}
	return words, nil
}
