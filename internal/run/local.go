package run

import (
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"sync"
	"time"

	"github.com/reprohq/repro/internal/check"
	"github.com/reprohq/repro/internal/project"
	"github.com/reprohq/repro/internal/xerr"
)

// LocalEngine runs the command on this machine, in the project, with the
// project's interpreter (chosen as repro check chooses it). The command
// runs under this process: Ctrl-C stops it (status cancelled), and a run
// whose repro process ended before it did cannot be followed again (it is
// lost), though its log and results stay in the project.
type LocalEngine struct {
	mu   sync.Mutex
	runs map[string]*localRun
}

type localRun struct {
	// before are the result files and their stamps when the run started.
	before map[string]fileStamp
	cmd    *exec.Cmd
	out    *os.File // the read end of the command's output
	done   chan struct{}
	err    error // cmd.Wait's
}

// Name implements Engine.
func (*LocalEngine) Name() string { return "local" }

// Start implements Engine.
func (e *LocalEngine) Start(ctx context.Context, spec *Spec, rec *Record) error {
	var m *project.Manifest
	if _, err := os.Stat(filepath.Join(spec.Project, filepath.FromSlash(project.File))); err == nil {
		if m, err = project.Load(spec.Project); err != nil {
			return err
		}
	}
	argv := spec.Command
	if argv[0] == "python" || argv[0] == "python3" || filepath.Ext(argv[0]) == ".py" {
		py, err := check.Interpreter(spec.Project, m, spec.Python)
		if err != nil {
			return err
		}
		argv = pythonCommand(argv, py)
	}
	r, w, err := os.Pipe()
	if err != nil {
		return err
	}
	cmd := exec.Command(argv[0], argv[1:]...)
	cmd.Dir = spec.Project
	cmd.Env = append(os.Environ(), runEnv(spec, rec)...)
	cmd.Stdin = nil
	cmd.Stdout = w
	cmd.Stderr = w
	setProcessGroup(cmd)
	before := stamps(spec.Project, FetchPaths)
	started := time.Now().UTC()
	if err := cmd.Start(); err != nil {
		r.Close()
		w.Close()
		var ee *exec.Error
		if errors.As(err, &ee) || errors.Is(err, fs.ErrNotExist) {
			return xerr.Input("", "cannot start "+argv[0]+": "+err.Error(), "check the command after --; it runs in the project's folder")
		}
		return err
	}
	w.Close()
	lr := &localRun{before: before, cmd: cmd, out: r, done: make(chan struct{})}
	go func() {
		lr.err = cmd.Wait()
		close(lr.done)
	}()
	e.mu.Lock()
	if e.runs == nil {
		e.runs = map[string]*localRun{}
	}
	e.runs[rec.ID] = lr
	e.mu.Unlock()
	rec.Host = hostname()
	rec.JobID = strconv.Itoa(cmd.Process.Pid)
	rec.Status = StatusRunning
	rec.Started = started
	return nil
}

// Follow implements Engine. A run this engine did not start is finished
// already or lost.
func (e *LocalEngine) Follow(ctx context.Context, rec *Record, w io.Writer) error {
	e.mu.Lock()
	lr := e.runs[rec.ID]
	e.mu.Unlock()
	if lr == nil {
		if pid, _ := strconv.Atoi(rec.JobID); !Done(rec.Status) && processAlive(pid) {
			return xerr.Input("", fmt.Sprintf("run %s is still going on this machine (pid %d), under the repro run that started it", rec.ID, pid),
				"its output is in "+filepath.ToSlash(filepath.Join(RunsDir, rec.ID, LogFile))+"; a local run cannot be reattached from another repro process")
		}
		if !Done(rec.Status) {
			rec.Status = StatusLost
			rec.Ended = time.Now().UTC()
			rec.Error = "the repro process that ran it ended before the command did"
		}
		return nil
	}
	copied := make(chan error, 1)
	go func() {
		// Reads end when the command and its children have all closed
		// the pipe.
		buf := make([]byte, 32*1024)
		for {
			n, err := lr.out.Read(buf)
			if n > 0 {
				if _, werr := w.Write(buf[:n]); werr != nil {
					copied <- werr
					return
				}
				rec.LogOffset += int64(n)
			}
			if err != nil {
				copied <- nil
				return
			}
		}
	}()
	var err error
	select {
	case <-lr.done:
		// Let the copy drain what the command wrote; a child left
		// behind holding the pipe open does not keep the run going.
		select {
		case err = <-copied:
		case <-time.After(2 * time.Second):
			lr.out.Close()
			err = <-copied
		}
	case <-ctx.Done():
		stopProcess(lr.cmd, lr.done)
		select {
		case <-copied:
		case <-time.After(2 * time.Second):
			lr.out.Close()
			<-copied
		}
		lr.out.Close()
		rec.Status = StatusCancelled
		rec.Ended = time.Now().UTC()
		return ctx.Err()
	}
	lr.out.Close()
	rec.Ended = time.Now().UTC()
	code := lr.cmd.ProcessState.ExitCode()
	rec.ExitCode = &code
	if code == 0 {
		rec.Status = StatusSucceeded
	} else {
		rec.Status = StatusFailed
	}
	return err
}

// Fetch implements Engine: the results are in the project already; it
// lists those written since the run started.
func (e *LocalEngine) Fetch(ctx context.Context, rec *Record) error {
	e.mu.Lock()
	lr := e.runs[rec.ID]
	e.mu.Unlock()
	if lr != nil && lr.before != nil {
		rec.Results = listNew(rec.Spec.Project, FetchPaths, lr.before)
		return nil
	}
	// Another process started the run: files modified since it started.
	// File times come from a coarse clock that may lag the start time by
	// a few milliseconds, hence the margin.
	rec.Results = listChanged(rec.Spec.Project, FetchPaths, rec.Started.Add(-stampMargin))
	return nil
}

// listChanged lists the files under paths (relative to root) modified at or
// after since, slash-separated and sorted.
// stampMargin allows for file times taken from the kernel's coarse clock.
const stampMargin = 50 * time.Millisecond

// fileStamp is what tells a file apart from its earlier self.
type fileStamp struct {
	mod  time.Time
	size int64
}

// stamps records the files under paths of root with their times and sizes.
func stamps(root string, paths []string) map[string]fileStamp {
	m := map[string]fileStamp{}
	for _, p := range paths {
		_ = filepath.WalkDir(filepath.Join(root, p), func(path string, d fs.DirEntry, err error) error {
			if err != nil || d.IsDir() {
				return nil
			}
			if fi, err := d.Info(); err == nil {
				m[path] = fileStamp{fi.ModTime(), fi.Size()}
			}
			return nil
		})
	}
	return m
}

// listNew lists, relative to root, the files under paths that are not in
// before or have changed since.
func listNew(root string, paths []string, before map[string]fileStamp) []string {
	var files []string
	for path, st := range stamps(root, paths) {
		if old, ok := before[path]; ok && old.mod.Equal(st.mod) && old.size == st.size {
			continue
		}
		if rel, err := filepath.Rel(root, path); err == nil {
			files = append(files, filepath.ToSlash(rel))
		}
	}
	slices.Sort(files)
	return files
}

func listChanged(root string, paths []string, since time.Time) []string {
	var files []string
	for _, p := range paths {
		_ = filepath.WalkDir(filepath.Join(root, p), func(path string, d fs.DirEntry, err error) error {
			if err != nil || d.IsDir() {
				return nil
			}
			if fi, err := d.Info(); err == nil && !fi.ModTime().Before(since) {
				if rel, err := filepath.Rel(root, path); err == nil {
					files = append(files, filepath.ToSlash(rel))
				}
			}
			return nil
		})
	}
	slices.Sort(files)
	return files
}

func hostname() string {
	h, _ := os.Hostname()
	return h
}
