package run

import (
	"bytes"
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"net/url"
	"os"
	"os/exec"
	"path"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/reprohq/repro/internal/atomicfile"
	"github.com/reprohq/repro/internal/xerr"
)

// RunsDir is where a project keeps its run records: runs/<id>/run.json and
// runs/<id>/output.log.
const RunsDir = "runs"

// Files of a run's folder.
const (
	RecordFile = "run.json"
	LogFile    = "output.log"
)

// Target is a parsed --on value.
type Target struct {
	Raw    string // as given
	Engine string // local, ssh, slurm, colab
	User   string // ssh, slurm://user@host
	Host   string // "" for slurm on this machine
	Port   int
	// Path is the project's folder on the host (ssh): absolute, or
	// "~/..." for one under the home folder; "" for the default.
	Path string
}

const targetHint = "use --on local, ssh://[user@]host[:port]/path, slurm, slurm://login-host or colab"

// ParseTarget parses --on: "" or "local", "ssh://[user@]host[:port][/path]"
// (a path starting with /~/ is under the home folder), "slurm",
// "slurm://[user@]login-host[:port][/path]" or "colab".
func ParseTarget(s string) (Target, error) {
	t := Target{Raw: s}
	switch s {
	case "", "local":
		t.Engine = "local"
		return t, nil
	case "slurm", "colab":
		t.Engine = s
		return t, nil
	}
	bad := func(why string) (Target, error) {
		return Target{}, &xerr.Error{Kind: xerr.KindUsage, Msg: fmt.Sprintf("--on %s: %s", s, why), Hint: targetHint}
	}
	scheme, _, ok := strings.Cut(s, "://")
	if !ok {
		return bad("unknown target")
	}
	if scheme != "ssh" && scheme != "slurm" {
		return bad("unknown scheme " + strconv.Quote(scheme))
	}
	u, err := url.Parse(s)
	if err != nil {
		return bad("not a valid address")
	}
	t.Engine = scheme
	t.Host = u.Hostname()
	if t.Host == "" {
		return bad("no host")
	}
	if u.User != nil {
		t.User = u.User.Username()
		if _, has := u.User.Password(); has {
			return bad("passwords are not accepted in the address; use an ssh key or agent")
		}
	}
	if p := u.Port(); p != "" {
		n, err := strconv.Atoi(p)
		if err != nil || n <= 0 || n > 65535 {
			return bad("bad port " + p)
		}
		t.Port = n
	}
	if u.RawQuery != "" || u.Fragment != "" {
		return bad("no query or fragment expected")
	}
	switch p := u.Path; {
	case p == "" || p == "/":
	case p == "/~" || strings.HasPrefix(p, "/~/"):
		t.Path = strings.TrimSuffix(p[1:], "/")
	default:
		t.Path = path.Clean(p)
	}
	return t, nil
}

// Shell returns the Shell that runs commands on the target: Local for
// local and slurm, SSH for ssh:// and slurm://host, with the extra ssh
// options (see SSHOptions).
func (t Target) Shell(sshOptions []string) Shell {
	if t.Host == "" {
		return Local{}
	}
	return &SSH{Host: t.Host, User: t.User, Port: t.Port, Options: slices.Clip(sshOptions)}
}

// EngineFunc makes the engine of a target.
type EngineFunc func(t Target, o *Options) (Engine, error)

var (
	enginesMu sync.Mutex
	engines   = map[string]EngineFunc{}
)

// Register makes an engine available to --on: name is Target.Engine
// ("slurm", "colab"). The Slurm and Colab engines register themselves in
// an init function; local and ssh are built in.
func Register(name string, f EngineFunc) {
	enginesMu.Lock()
	defer enginesMu.Unlock()
	engines[name] = f
}

// Options are how runs are made.
type Options struct {
	// Out receives the run's log as it comes (standard output); nil for
	// none. The log is also copied into runs/<id>/output.log.
	Out io.Writer
	// Progress, when set, is told what happens ("sending the project to
	// host").
	Progress func(msg string)
	// SSHOptions are extra ssh arguments (see SSHOptions).
	SSHOptions []string
	// NoFetch leaves results/ on the target.
	NoFetch bool
	// Poll is how often a remote log is polled (default 1 s).
	Poll time.Duration
	// Reconnects is how many times a dropped connection is retried while
	// following (default 3).
	Reconnects int
	// NoRsync makes the ssh engine use tar even when rsync is installed.
	NoRsync bool
}

func (o *Options) progress(format string, args ...any) {
	if o.Progress != nil {
		o.Progress(fmt.Sprintf(format, args...))
	}
}

// NewEngine returns the engine for a target.
func NewEngine(t Target, o *Options) (Engine, error) {
	switch t.Engine {
	case "local":
		return &LocalEngine{}, nil
	case "ssh":
		return newSSHEngine(t, o), nil
	}
	enginesMu.Lock()
	f := engines[t.Engine]
	enginesMu.Unlock()
	if f == nil {
		return nil, xerr.Input("", "the "+t.Engine+" engine is not available in this build of repro", targetHint)
	}
	return f(t, o)
}

// Dir is a run's folder in the project.
func Dir(project, id string) string { return filepath.Join(project, RunsDir, id) }

// NewID returns a new run id: the time and 4 random hex digits,
// "20261126-135501-a1b2".
func NewID(now time.Time) string {
	var b [2]byte
	_, _ = rand.Read(b[:])
	return now.UTC().Format("20060102-150405") + "-" + hex.EncodeToString(b[:])
}

// Save writes rec into runs/<id>/run.json, atomically.
func Save(project string, rec *Record) error {
	data, err := json.MarshalIndent(rec, "", "  ")
	if err != nil {
		return err
	}
	dir := Dir(project, rec.ID)
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	return atomicfile.WriteFile(filepath.Join(dir, RecordFile), append(data, '\n'))
}

// Load reads the record of run id.
func Load(project, id string) (*Record, error) {
	if id == "" || strings.ContainsAny(id, `/\`) || id == "." || id == ".." {
		return nil, xerr.Input("", fmt.Sprintf("%q is not a run id", id), "repro run --list shows the runs of the project")
	}
	p := filepath.Join(Dir(project, id), RecordFile)
	data, err := os.ReadFile(p)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, xerr.Input(project, "no run "+id+" in this project (no "+filepath.ToSlash(filepath.Join(RunsDir, id, RecordFile))+")",
			"repro run --list shows the runs of the project; give the project folder when it is not the current one")
	}
	if err != nil {
		return nil, err
	}
	var rec Record
	if err := json.Unmarshal(data, &rec); err != nil {
		return nil, xerr.Input(p, "unreadable run record: "+err.Error(), "the file was damaged; the run's log is beside it")
	}
	return &rec, nil
}

// List returns the project's runs, oldest first. Unreadable records are
// skipped.
func List(project string) ([]*Record, error) {
	entries, err := os.ReadDir(filepath.Join(project, RunsDir))
	if errors.Is(err, fs.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	var recs []*Record
	for _, e := range entries {
		if !e.IsDir() {
			continue
		}
		rec, err := Load(project, e.Name())
		if err != nil {
			continue
		}
		recs = append(recs, rec)
	}
	slices.SortFunc(recs, func(a, b *Record) int {
		if c := a.Created.Compare(b.Created); c != 0 {
			return c
		}
		return strings.Compare(a.ID, b.ID)
	})
	return recs, nil
}

// Done reports whether a status is final.
func Done(status string) bool {
	switch status {
	case StatusSucceeded, StatusFailed, StatusCancelled, StatusLost:
		return true
	}
	return false
}

// ConfigHash returns the sha256 of the file, in hex.
func ConfigHash(file string) (string, error) {
	data, err := os.ReadFile(file)
	if err != nil {
		return "", err
	}
	sum := sha256.Sum256(data)
	return hex.EncodeToString(sum[:]), nil
}

// GitCommit returns the commit of the git repository holding dir, with
// "-dirty" when it has uncommitted changes (runs/ and results/ aside), or ""
// outside git or without git.
func GitCommit(ctx context.Context, dir string) string {
	out, err := exec.CommandContext(ctx, "git", "-C", dir, "rev-parse", "HEAD").Output()
	if err != nil {
		return ""
	}
	commit := strings.TrimSpace(string(out))
	st, err := exec.CommandContext(ctx, "git", "-C", dir, "status", "--porcelain", "--", ".", ":!runs", ":!results", ":!checkpoints").Output()
	if err == nil && len(bytes.TrimSpace(st)) > 0 {
		commit += "-dirty"
	}
	return commit
}

// Run runs spec on the target given as --on: it records the run, starts
// it, follows its log to o.Out and runs/<id>/output.log, and fetches the
// results, saving the record after each step. The record is returned with
// the error, if any, once the run has a record; a run whose command failed
// is not an error (its Status says so).
func Run(ctx context.Context, target string, spec Spec, o *Options) (*Record, error) {
	t, err := ParseTarget(target)
	if err != nil {
		return nil, err
	}
	if len(spec.Command) == 0 {
		return nil, &xerr.Error{Kind: xerr.KindUsage, Msg: "no command to run", Hint: "give it after --: repro run -- python scripts/train.py --config configs/small.yaml"}
	}
	if (t.Engine == "local" || t.Engine == "ssh") && len(spec.Seeds) > 1 {
		return nil, &xerr.Error{Kind: xerr.KindUsage, Msg: "--seeds with more than one seed needs --on slurm",
			Hint: "run one seed at a time (--seeds 1 sets $SEED), or use a Slurm job array"}
	}
	abs, err := filepath.Abs(spec.Project)
	if err != nil {
		return nil, err
	}
	spec.Project = abs
	if fi, err := os.Stat(abs); err != nil || !fi.IsDir() {
		return nil, xerr.Input(spec.Project, "no such project folder", "give the folder of a project made by repro scaffold")
	}
	now := time.Now().UTC()
	rec := &Record{
		ID:      NewID(now),
		Engine:  t.Engine,
		Target:  target,
		Command: spec.Command,
		Config:  spec.Config,
		Status:  StatusStarting,
		Created: now,
		Commit:  GitCommit(ctx, abs),
	}
	if rec.Target == "" {
		rec.Target = "local"
	}
	if t.Host != "" {
		rec.SSHOptions = slices.Clip(o.SSHOptions)
	}
	if spec.Config != "" {
		h, err := ConfigHash(filepath.Join(abs, filepath.FromSlash(spec.Config)))
		if err != nil {
			return nil, xerr.Input(spec.Config, "cannot read the config file: "+err.Error(), "give --config relative to the project, such as configs/paper.yaml")
		}
		rec.ConfigHash = h
		if spec.Env == nil {
			spec.Env = map[string]string{}
		}
		spec.Env["REPRO_CONFIG"] = spec.Config
	}
	eng, err := NewEngine(t, o)
	if err != nil {
		return nil, err
	}
	rec.Spec = spec
	if err := Save(abs, rec); err != nil {
		return nil, err
	}
	o.progress("run %s: starting on %s", rec.ID, rec.Target)
	if err := eng.Start(ctx, &rec.Spec, rec); err != nil {
		switch {
		case ctx.Err() != nil:
			// The command may have started: the status stays
			// "starting", which a resume follows.
			err = &xerr.Error{Kind: xerr.KindInput, Msg: "run " + rec.ID + " interrupted while starting", Err: context.Cause(ctx),
				Hint: "see whether it started with: repro run --resume " + rec.ID + resumeDir(abs)}
		case !Done(rec.Status):
			rec.Status = StatusFailed
		}
		rec.Error = err.Error()
		if Done(rec.Status) {
			rec.Ended = time.Now().UTC()
		}
		if serr := Save(abs, rec); serr != nil {
			return rec, serr
		}
		return rec, err
	}
	if err := Save(abs, rec); err != nil {
		return rec, err
	}
	return rec, follow(ctx, eng, rec, o)
}

// Resume reattaches to run id of the project: it follows the log from where
// the last follow stopped, then fetches the results (again, when the run
// had already ended and o.NoFetch is not set).
func Resume(ctx context.Context, project, id string, o *Options) (*Record, error) {
	abs, err := filepath.Abs(project)
	if err != nil {
		return nil, err
	}
	rec, err := Load(abs, id)
	if err != nil {
		return nil, err
	}
	rec.Spec.Project = abs
	t, err := ParseTarget(rec.Target)
	if err != nil {
		return rec, err
	}
	if len(rec.SSHOptions) > 0 {
		oo := *o
		oo.SSHOptions = append(slices.Clip(o.SSHOptions), rec.SSHOptions...)
		o = &oo
	}
	eng, err := NewEngine(t, o)
	if err != nil {
		return rec, err
	}
	return rec, follow(ctx, eng, rec, o)
}

// follow runs Follow (retrying dropped connections) then Fetch, saving the
// record as it changes.
func follow(ctx context.Context, eng Engine, rec *Record, o *Options) error {
	project := rec.Spec.Project
	logPath := filepath.Join(Dir(project, rec.ID), LogFile)
	// The local copy of the log is the truth about what was copied: a
	// follow that was killed between writing the log and saving the
	// record continues after the last byte written.
	if fi, err := os.Stat(logPath); err == nil {
		rec.LogOffset = fi.Size()
	} else {
		rec.LogOffset = 0
	}
	f, err := os.OpenFile(logPath, os.O_CREATE|os.O_WRONLY|os.O_APPEND, 0o644)
	if err != nil {
		return err
	}
	defer f.Close()
	w := &recordWriter{f: f, out: o.Out, rec: rec, project: project, status: rec.Status}
	if !Done(rec.Status) {
		if rec.Status == StatusRunning {
			o.progress("run %s: following the log on %s", rec.ID, rec.Target)
		}
		tries := 0
		for {
			err = eng.Follow(ctx, rec, w)
			if err == nil || ctx.Err() != nil {
				break
			}
			var se *ShellError
			if !errors.As(err, &se) || !se.Connection || tries >= o.reconnects() {
				break
			}
			tries++
			o.progress("run %s: connection lost (%v); reconnecting (%d/%d)", rec.ID, err, tries, o.reconnects())
			select {
			case <-ctx.Done():
			case <-time.After(time.Duration(tries) * time.Second):
			}
		}
		if serr := Save(project, rec); serr != nil && err == nil {
			err = serr
		}
		if ctx.Err() != nil {
			return interrupted(ctx, rec)
		}
		if err != nil {
			rec.Error = err.Error()
			_ = Save(project, rec)
			var xe *xerr.Error
			if errors.As(err, &xe) {
				return err
			}
			return &xerr.Error{Kind: xerr.KindInput, Msg: "run " + rec.ID + ": lost contact with " + rec.Target, Err: err,
				Hint: "the run may still be going; reattach with: repro run --resume " + rec.ID + resumeDir(project)}
		}
	}
	if o.NoFetch || rec.Status == StatusLost || !Done(rec.Status) {
		return nil
	}
	o.progress("run %s: %s; fetching the results", rec.ID, rec.Status)
	if err := eng.Fetch(ctx, rec); err != nil {
		if ctx.Err() != nil {
			return interrupted(ctx, rec)
		}
		rec.Error = "fetch: " + err.Error()
		_ = Save(project, rec)
		return &xerr.Error{Kind: xerr.KindInput, Msg: "run " + rec.ID + ": cannot fetch the results", Err: err,
			Hint: "fetch them again with: repro run --resume " + rec.ID + resumeDir(project)}
	}
	return Save(project, rec)
}

func (o *Options) reconnects() int {
	if o.Reconnects > 0 {
		return o.Reconnects
	}
	return 3
}

func (o *Options) poll() time.Duration {
	if o.Poll > 0 {
		return o.Poll
	}
	return time.Second
}

// interrupted is the error of a follow stopped by the user: the run goes on
// unless the engine stopped it.
func interrupted(ctx context.Context, rec *Record) error {
	hint := "the run goes on on " + rec.Target + "; reattach with: repro run --resume " + rec.ID + resumeDir(rec.Spec.Project)
	if Done(rec.Status) {
		hint = "the run is " + rec.Status + "; its log is in " + filepath.ToSlash(filepath.Join(RunsDir, rec.ID, LogFile))
	}
	return &xerr.Error{Kind: xerr.KindInput, Msg: "run " + rec.ID + " interrupted", Hint: hint, Err: context.Cause(ctx)}
}

// resumeDir is the project argument of a resume command: " DIR" when the
// project is not the current folder.
func resumeDir(project string) string {
	wd, err := os.Getwd()
	if err == nil && filepath.Clean(wd) == filepath.Clean(project) {
		return ""
	}
	if rel, err := filepath.Rel(wd, project); err == nil && !strings.HasPrefix(rel, "..") {
		return " " + rel
	}
	return " " + project
}

// recordWriter copies the log into runs/<id>/output.log and to the user,
// and saves the record when the status changed or every few seconds.
type recordWriter struct {
	f       *os.File
	out     io.Writer
	rec     *Record
	project string
	status  string
	saved   time.Time
}

func (w *recordWriter) Write(p []byte) (int, error) {
	n, err := w.f.Write(p)
	if err != nil {
		return n, err
	}
	if w.out != nil {
		_, _ = w.out.Write(p) // a closed terminal must not stop the copy
	}
	if w.rec.Status != w.status || time.Since(w.saved) > 2*time.Second {
		w.status = w.rec.Status
		w.saved = time.Now()
		_ = Save(w.project, w.rec)
	}
	return n, nil
}

// Tail returns the last n lines of the run's local log.
func Tail(project, id string, n int) string {
	data, err := os.ReadFile(filepath.Join(Dir(project, id), LogFile))
	if err != nil {
		return ""
	}
	lines := strings.Split(strings.TrimRight(string(data), "\n"), "\n")
	if len(lines) > n {
		lines = lines[len(lines)-n:]
	}
	return strings.Join(lines, "\n")
}

// pythonCommand returns cmd with its interpreter replaced: a leading
// "python" or "python3" becomes python, and a leading script "x.py" is run
// with python.
func pythonCommand(cmd, python []string) []string {
	if len(cmd) == 0 || len(python) == 0 {
		return cmd
	}
	switch {
	case cmd[0] == "python" || cmd[0] == "python3":
		return append(slices.Clip(python), cmd[1:]...)
	case strings.HasSuffix(cmd[0], ".py"):
		return append(slices.Clip(python), cmd...)
	}
	return cmd
}

// runEnv is the environment a run adds: the spec's, the run id and
// unbuffered Python output (so that the log streams).
func runEnv(spec *Spec, rec *Record) []string {
	env := []string{"PYTHONUNBUFFERED=1", "REPRO_RUN_ID=" + rec.ID}
	keys := make([]string, 0, len(spec.Env))
	for k := range spec.Env {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	for _, k := range keys {
		env = append(env, k+"="+spec.Env[k])
	}
	if len(spec.Seeds) == 1 {
		env = append(env, "SEED="+strconv.Itoa(spec.Seeds[0]))
	}
	return env
}
