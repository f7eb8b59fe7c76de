package run

import (
	"archive/tar"
	"bufio"
	"bytes"
	"compress/gzip"
	"context"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"os/exec"
	"path"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/reprohq/repro/internal/xerr"
)

// Colab runs a project's command on a Google Colab runtime through the
// LeCoder cGPU command-line tool (lecoder-cgpu,
// https://github.com/aryateja2106/LeCoder-cgpu-CLI), which signs in to
// Colab, assigns a runtime, uploads files and runs shell commands, but
// cannot download files.
//
// What the engine relies on from lecoder-cgpu (v0.4, read from its
// source; a fake in colab_test.go replays it):
//
//   - "lecoder-cgpu copy LOCAL REMOTE" uploads one file (REMOTE is an
//     absolute path on the runtime; its folder must exist, /content does)
//     and prints "Authenticated as NAME <ID>" and "Uploaded: ...".
//   - "lecoder-cgpu run WORDS..." joins the words into a shell command,
//     runs it in a Jupyter terminal of the runtime (a pseudo-terminal:
//     the command line may be echoed, lines may end in \r\n) and prints
//     the terminal's output line by line after an "Authenticated as"
//     banner, with ANSI escapes stripped; it exits with the command's
//     exit code, or 1 with a warning on standard error when the terminal
//     closed without reporting one (a dropped connection).
//
// So the engine uploads the project as a tar.gz and a runner script
// (ColabRunner) next to it, and drives everything through "run":
// "runner start" unpacks the project and starts the command detached
// (nohup setsid), writing its log and exit code in the run's folder on the
// runtime; "runner follow OFFSET" streams the log from a byte offset,
// then prints the exit code and results/ as a framed tar.gz; "runner
// results" prints the frame alone. The frame is base64 in numbered chunk
// lines between BEGIN and END marker lines, with the archive's SHA-256
// and length, so that the results survive a terminal that mixes other
// output in or cuts the stream:
//
//	===REPRO-RESULTS-BEGIN <id> <sha256> <bytes>===
//	===REPRO-RESULTS-DATA <id> <n> <base64>        (n = 1, 2, ...)
//	===REPRO-RESULTS-END <id>===
//
// The engine strips the markers and frames from the log it shows,
// verifies the checksum and the length, and unpacks results/ into the
// project (paths that would leave results/, links and devices are
// refused; sizes are capped). The runner's own markers never appear on
// the command line sent to the terminal, so an echoed command line is
// never taken for one.
type Colab struct {
	// Tool is the lecoder-cgpu executable; default "lecoder-cgpu" on PATH.
	Tool string
	// Args are extra options given after each lecoder-cgpu subcommand
	// (copy, run): "--cpu" or "--tpu" for another runtime than the
	// default GPU one.
	Args []string
	// Content is the runtime's working folder; default /content.
	Content string
	// Poll is how often the runner looks at the log; default 1s.
	Poll time.Duration
	// MaxResults caps the archive of results/ (compressed) and
	// MaxUnpacked what it unpacks to; defaults 256 MiB and 2 GiB.
	MaxResults  int64
	MaxUnpacked int64

	mu      sync.Mutex
	pending map[string]*FrameResult // results read by Follow, by run id
}

func init() {
	Register("colab", func(t Target, o *Options) (Engine, error) {
		return &Colab{Poll: o.Poll}, nil
	})
}

// Name implements Engine.
func (c *Colab) Name() string { return "colab" }

const (
	colabTool            = "lecoder-cgpu"
	colabDefaultResults  = 256 << 20
	colabDefaultUnpacked = 2 << 30
	colabMaxFiles        = 100000
	colabInstallHint     = "install LeCoder cGPU (Node.js 18+): npm install -g lecoder-cgpu, or from https://github.com/aryateja2106/LeCoder-cgpu-CLI with npm install && npm run build && npm link; then sign in once with lecoder-cgpu auth"
)

func (c *Colab) content() string {
	if c.Content != "" {
		return strings.TrimSuffix(c.Content, "/")
	}
	return "/content"
}

func (c *Colab) limits() (int64, int64) {
	r, u := c.MaxResults, c.MaxUnpacked
	if r <= 0 {
		r = colabDefaultResults
	}
	if u <= 0 {
		u = colabDefaultUnpacked
	}
	return r, u
}

// tool finds lecoder-cgpu, or says how to install it.
func (c *Colab) tool() (string, error) {
	name := c.Tool
	if name == "" {
		name = colabTool
	}
	p, err := exec.LookPath(name)
	if err != nil {
		return "", &xerr.Error{Kind: xerr.KindInput, Msg: "--on colab needs the lecoder-cgpu command, which is not installed", Err: err, Hint: colabInstallHint}
	}
	return p, nil
}

// Paths on the runtime.
func (c *Colab) runnerPath(id string) string  { return c.content() + "/repro-" + id + ".sh" }
func (c *Colab) archivePath(id string) string { return c.content() + "/repro-" + id + ".tar.gz" }
func (c *Colab) runDir(id string) string      { return c.content() + "/repro-runs/" + id }

// Start implements Engine: it uploads the project and the runner and
// starts the command detached on the runtime.
func (c *Colab) Start(ctx context.Context, spec *Spec, rec *Record) error {
	if len(spec.Seeds) > 1 {
		return &xerr.Error{Kind: xerr.KindUsage, Msg: "--seeds with more than one seed needs --on slurm", Hint: "on Colab, run one seed at a time: --seeds 1"}
	}
	if len(spec.Command) == 0 {
		return &xerr.Error{Kind: xerr.KindUsage, Msg: "no command to run", Hint: "put the command after --: repro run --on colab -- python scripts/train.py"}
	}
	if strings.ContainsAny(rec.ID, "/ \n'\"$`\\") || rec.ID == "" {
		return &xerr.Error{Kind: xerr.KindInternal, Msg: fmt.Sprintf("colab: bad run id %q", rec.ID)}
	}
	tool, err := c.tool()
	if err != nil {
		return err
	}
	tmp, err := os.MkdirTemp("", "repro-colab-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(tmp)
	archive := filepath.Join(tmp, "project.tar.gz")
	if err := packProject(spec.Project, archive); err != nil {
		return fmt.Errorf("colab: packing the project: %w", err)
	}
	runner, err := ColabRunner(spec, rec, c.content())
	if err != nil {
		return err
	}
	runnerFile := filepath.Join(tmp, "runner.sh")
	if err := os.WriteFile(runnerFile, []byte(runner), 0o644); err != nil {
		return err
	}
	rec.RemoteDir = c.runDir(rec.ID)
	rec.Host = "colab"
	for _, up := range [][2]string{{archive, c.archivePath(rec.ID)}, {runnerFile, c.runnerPath(rec.ID)}} {
		if out, err := c.call(ctx, tool, "copy", up[0], up[1]); err != nil {
			return &xerr.Error{Kind: xerr.KindInput, Msg: "colab: uploading " + path.Base(up[1]) + " failed", Err: err,
				Hint: "check that lecoder-cgpu works: lecoder-cgpu status (sign in with lecoder-cgpu auth)" + toolOutput(out)}
		}
	}
	out, err := c.call(ctx, tool, "run", "bash", c.runnerPath(rec.ID), "start")
	if err != nil {
		return &xerr.Error{Kind: xerr.KindInput, Msg: "colab: starting the command failed", Err: err, Hint: "lecoder-cgpu run printed:" + toolOutput(out)}
	}
	marker := "===REPRO-STARTED " + rec.ID + " "
	for line := range strings.SplitSeq(string(out), "\n") {
		if i := strings.Index(line, marker); i >= 0 {
			pid := strings.TrimSuffix(strings.TrimSpace(line[i+len(marker):]), "===")
			if _, err := strconv.Atoi(pid); err == nil {
				rec.JobID = pid
			}
		}
	}
	if rec.JobID == "" {
		return &xerr.Error{Kind: xerr.KindInput, Msg: "colab: the runtime did not confirm the start", Hint: "lecoder-cgpu run printed:" + toolOutput(out)}
	}
	rec.Engine = c.Name()
	rec.Status = StatusRunning
	rec.Started = time.Now().UTC()
	return nil
}

// toolOutput is the end of what the tool printed, for a hint.
func toolOutput(out []byte) string {
	s := strings.TrimSpace(string(out))
	if s == "" {
		return ""
	}
	if len(s) > 1500 {
		s = "..." + s[len(s)-1500:]
	}
	return "\n" + s
}

// call runs a subcommand of the tool to completion and returns its
// combined output.
func (c *Colab) call(ctx context.Context, tool, sub string, args ...string) ([]byte, error) {
	cmd := exec.CommandContext(ctx, tool, append(append([]string{sub}, c.Args...), args...)...)
	out, err := cmd.CombinedOutput()
	return out, err
}

// Follow implements Engine: one "lecoder-cgpu run" streams the log from
// rec.LogOffset to the end of the command, then its exit code and the
// results frame, which Fetch unpacks.
func (c *Colab) Follow(ctx context.Context, rec *Record, w io.Writer) error {
	tool, err := c.tool()
	if err != nil {
		return err
	}
	poll := c.Poll
	if poll <= 0 {
		poll = time.Second
	}
	secs := strconv.FormatFloat(poll.Seconds(), 'f', -1, 64)
	// The offset counts the bytes of the log as shown: the runtime's log
	// file, except that the terminal drops carriage returns (a progress
	// bar's \r lines), so that after a reconnection such a log may repeat
	// a few bytes; plain lines are exact.
	res, stderr, err := c.stream(ctx, tool, rec, w, "follow", strconv.FormatInt(rec.LogOffset, 10), secs)
	if ctx.Err() != nil {
		return ctx.Err()
	}
	if res.Lost {
		rec.Status = StatusLost
		rec.Ended = time.Now().UTC()
		rec.Error = "the command's process on the Colab runtime is gone and left no exit code (was the runtime recycled?)"
		return nil
	}
	if !res.ExitSeen {
		// The terminal closed before the end: the command may well go on.
		msg := strings.TrimSpace(stderr)
		if res.NoRun {
			return &xerr.Error{Kind: xerr.KindInput, Msg: "colab: run " + rec.ID + " is not on the current Colab runtime",
				Hint: "the runtime was probably recycled; its log so far is in runs/" + rec.ID + "/output.log"}
		}
		if msg == "" && err != nil {
			msg = err.Error()
		}
		return &ShellError{Target: "colab", ExitCode: -1, Stderr: msg, Connection: true, Err: errors.Join(io.ErrUnexpectedEOF, err)}
	}
	code := res.ExitCode
	rec.ExitCode = &code
	rec.Ended = time.Now().UTC()
	rec.Status = StatusSucceeded
	if code != 0 {
		rec.Status = StatusFailed
	}
	c.mu.Lock()
	if c.pending == nil {
		c.pending = map[string]*FrameResult{}
	}
	c.pending[rec.ID] = res
	c.mu.Unlock()
	return nil
}

// stream runs the runner in a mode and parses its output as it comes.
func (c *Colab) stream(ctx context.Context, tool string, rec *Record, w io.Writer, mode ...string) (*FrameResult, string, error) {
	args := append(append([]string{"run"}, c.Args...), "bash", c.runnerPath(rec.ID))
	cmd := exec.CommandContext(ctx, tool, append(args, mode...)...)
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		return &FrameResult{}, "", err
	}
	var stderr tailBuffer
	cmd.Stderr = &stderr
	if err := cmd.Start(); err != nil {
		return &FrameResult{}, "", err
	}
	maxRes, _ := c.limits()
	counter := &countWriter{w: w, rec: rec}
	res, perr := ParseFrames(stdout, rec.ID, counter, maxRes)
	_, _ = io.Copy(io.Discard, stdout)
	werr := cmd.Wait()
	if perr != nil {
		return res, stderr.String(), perr
	}
	return res, stderr.String(), werr
}

// countWriter advances the record's log offset by what is written.
type countWriter struct {
	w   io.Writer
	rec *Record
}

func (c *countWriter) Write(p []byte) (int, error) {
	n, err := c.w.Write(p)
	c.rec.LogOffset += int64(n)
	return n, err
}

// Fetch implements Engine: it verifies the results frame read by Follow
// (or asks the runtime for it again) and unpacks it into results/.
func (c *Colab) Fetch(ctx context.Context, rec *Record) error {
	c.mu.Lock()
	res := c.pending[rec.ID]
	delete(c.pending, rec.ID)
	c.mu.Unlock()
	if res == nil || res.FrameErr != nil && !res.FrameSeen {
		tool, err := c.tool()
		if err != nil {
			return err
		}
		r, stderr, err := c.stream(ctx, tool, rec, io.Discard, "results")
		if ctx.Err() != nil {
			return ctx.Err()
		}
		if err != nil && !r.FrameSeen {
			return &xerr.Error{Kind: xerr.KindInput, Msg: "colab: asking the runtime for results/ failed", Err: err, Hint: strings.TrimSpace(stderr)}
		}
		res = r
	}
	if res.FrameErr != nil {
		return &xerr.Error{Kind: xerr.KindInput, Msg: "colab: the results sent back are unusable", Err: res.FrameErr,
			Hint: "the log is saved in runs/" + rec.ID + "/output.log; ask for the results again with repro run --resume " + rec.ID + " while the runtime is up"}
	}
	_, maxUnpacked := c.limits()
	files, err := UnpackResults(rec.Spec.Project, rec.ID, res.Payload, maxUnpacked)
	if err != nil {
		return err
	}
	rec.Results = files
	return nil
}

// FrameResult is what ParseFrames read from the runner's output.
type FrameResult struct {
	// Started is the pid of "runner start".
	Started string
	// ExitSeen, ExitCode: the command's end.
	ExitSeen bool
	ExitCode int
	// Lost: the command's process is gone without an exit code; NoRun:
	// the run's folder is not on the runtime.
	Lost, NoRun bool
	// FrameSeen: a BEGIN marker; Payload: the verified archive of
	// results/, when FrameErr is nil.
	FrameSeen bool
	Payload   []byte
	FrameErr  error
}

const (
	markPrefix   = "===REPRO-"
	markLogBegin = "===REPRO-LOG-BEGIN "
	markExit     = "===REPRO-EXIT "
	markLost     = "===REPRO-LOST "
	markNoRun    = "===REPRO-NORUN "
	markStarted  = "===REPRO-STARTED "
	markBegin    = "===REPRO-RESULTS-BEGIN "
	markData     = "===REPRO-RESULTS-DATA "
	markEnd      = "===REPRO-RESULTS-END "
	// maxLine is the longest line read at once; longer ones are cut
	// (and are never frame lines, which are short).
	maxLine = 1 << 20
)

// ParseFrames reads the output of the Colab runner for run id: the tool's
// own lines up to the log's BEGIN marker are dropped; after it, every line
// that is not one of the runner's markers or frame lines goes to log; the
// results frame is decoded and verified (its length at most max bytes).
// The error is only log's; problems with the frame are in FrameErr.
func ParseFrames(r io.Reader, id string, log io.Writer, max int64) (*FrameResult, error) {
	res := &FrameResult{}
	br := bufio.NewReaderSize(r, 64<<10)
	inLog := false
	needNL := false // the log's last line lacked its newline
	// The frame being read.
	var (
		inFrame  bool
		wantSum  string
		wantLen  int64
		next     int
		data     bytes.Buffer
		frameErr error
	)
	fail := func(format string, args ...any) {
		if frameErr == nil {
			frameErr = fmt.Errorf(format, args...)
		}
	}
	writeLog := func(s string) error {
		if !inLog || s == "" {
			return nil
		}
		if needNL {
			s, needNL = "\n"+s, false
		}
		_, err := io.WriteString(log, s)
		return err
	}
	for {
		line, rerr := readLine(br)
		if line == "" && rerr != nil {
			break
		}
		// A line cut at maxLine is written as is (it holds no frame).
		nl := strings.HasSuffix(line, "\n")
		text := strings.TrimSuffix(strings.TrimSuffix(line, "\n"), "\r")
		i := strings.Index(text, markPrefix)
		if i < 0 {
			if nl {
				text += "\n"
			}
			if err := writeLog(text); err != nil {
				return res, err
			}
			if rerr != nil {
				break
			}
			continue
		}
		before, mark := text[:i], text[i:]
		fields := strings.Fields(strings.TrimSuffix(mark, "==="))
		ours := len(fields) >= 2 && fields[1] == id
		if !ours {
			// Another run's marker, or text that merely looks like one.
			if nl {
				text += "\n"
			}
			if err := writeLog(text); err != nil {
				return res, err
			}
			if rerr != nil {
				break
			}
			continue
		}
		switch {
		case strings.HasPrefix(mark, markExit):
			// The log's last line may lack its newline: what precedes the
			// marker is written as it is.
			if err := writeLog(before); err != nil {
				return res, err
			}
			needNL = inLog && before != ""
		case before != "":
			// Text glued before a marker (a background process writing
			// without a newline): keep it as a log line.
			if err := writeLog(before + "\n"); err != nil {
				return res, err
			}
		}
		switch {
		case strings.HasPrefix(mark, markLogBegin):
			inLog = true
		case strings.HasPrefix(mark, markStarted) && len(fields) == 3:
			res.Started = fields[2]
		case strings.HasPrefix(mark, markExit) && len(fields) == 3:
			// What follows (other output mixed into the frame) still
			// goes to the log, after the command's own output.
			if n, err := strconv.Atoi(fields[2]); err == nil {
				res.ExitSeen, res.ExitCode = true, n
			}
		case strings.HasPrefix(mark, markLost):
			res.Lost = true
		case strings.HasPrefix(mark, markNoRun):
			res.NoRun = true
		case strings.HasPrefix(mark, markBegin):
			// A new frame replaces an earlier one.
			res.FrameSeen = true
			inFrame, next, frameErr = true, 1, nil
			data.Reset()
			if len(fields) != 4 || !strings.HasSuffix(mark, "===") {
				fail("the BEGIN line of the results frame is malformed: %q", mark)
				break
			}
			wantSum = fields[2]
			n, err := strconv.ParseInt(fields[3], 10, 64)
			switch {
			case err != nil || n < 0 || len(wantSum) != 64:
				fail("the BEGIN line of the results frame is malformed: %q", mark)
			case n > max:
				fail("results/ is %d bytes packed, more than the %d allowed; keep large files (checkpoints) on Drive", n, max)
			default:
				wantLen = n
			}
		case strings.HasPrefix(mark, markData):
			if !inFrame {
				fail("a results chunk outside a frame")
				break
			}
			if frameErr != nil {
				break
			}
			if len(fields) != 4 {
				fail("results chunk %d is malformed", next)
				break
			}
			seq, err := strconv.Atoi(fields[2])
			if err != nil || seq != next {
				fail("results chunk %d is missing (got chunk %s next)", next, fields[2])
				break
			}
			chunk, err := base64.StdEncoding.DecodeString(fields[3])
			if err != nil {
				fail("results chunk %d is corrupted: %v", seq, err)
				break
			}
			if int64(data.Len()+len(chunk)) > wantLen {
				fail("the results frame holds more than the %d bytes announced", wantLen)
				break
			}
			data.Write(chunk)
			next++
		case strings.HasPrefix(mark, markEnd):
			if !inFrame {
				fail("a results END line without a BEGIN")
				break
			}
			inFrame = false
			if frameErr != nil {
				break
			}
			if int64(data.Len()) != wantLen {
				fail("the results frame holds %d bytes, not the %d announced", data.Len(), wantLen)
				break
			}
			sum := sha256.Sum256(data.Bytes())
			if hex.EncodeToString(sum[:]) != strings.ToLower(wantSum) {
				fail("the results frame fails its SHA-256 check (announced %s, got %s)", wantSum, hex.EncodeToString(sum[:]))
				break
			}
			res.Payload = bytes.Clone(data.Bytes())
		default:
			// An unknown marker of ours: not log text either.
		}
		if rerr != nil {
			break
		}
	}
	switch {
	case inFrame && frameErr == nil:
		frameErr = fmt.Errorf("the output was cut inside the results frame (%d of %d bytes received, chunk %d next)", data.Len(), wantLen, next)
	case !res.FrameSeen && frameErr == nil:
		frameErr = errors.New("the output holds no results frame")
	}
	res.FrameErr = frameErr
	if frameErr != nil {
		res.Payload = nil
	}
	return res, nil
}

// readLine reads a line with its newline, or at most maxLine bytes.
func readLine(br *bufio.Reader) (string, error) {
	var b []byte
	for {
		frag, err := br.ReadSlice('\n')
		b = append(b, frag...)
		if err == bufio.ErrBufferFull && len(b) < maxLine {
			continue
		}
		if err == bufio.ErrBufferFull {
			return string(b), nil
		}
		return string(b), err
	}
}

// UnpackResults unpacks the tar.gz of results/ into the project: entries
// must lie under results/ (others, and links, devices and the like, are
// refused), the total is capped at max bytes and colabMaxFiles files. The
// archive is unpacked first into runs/<id>/results.incoming, then its
// files are moved into results/, all through an os.Root, so that no path
// or link in the project can lead outside it. It returns the files,
// relative to the project.
func UnpackResults(project, id string, payload []byte, max int64) ([]string, error) {
	bad := func(format string, args ...any) error {
		return &xerr.Error{Kind: xerr.KindInput, Msg: "colab: results archive: " + fmt.Sprintf(format, args...),
			Hint: "results/ on the runtime holds something repro does not bring back; look at it with lecoder-cgpu run ls -la results"}
	}
	root, err := os.OpenRoot(project)
	if err != nil {
		return nil, err
	}
	defer root.Close()
	stage := path.Join(RunsDir, id, "results.incoming")
	if err := root.RemoveAll(stage); err != nil {
		return nil, err
	}
	defer root.RemoveAll(stage)
	zr, err := gzip.NewReader(bytes.NewReader(payload))
	if err != nil {
		return nil, bad("not gzip: %v", err)
	}
	tr := tar.NewReader(zr)
	var total int64
	var files []string
	for {
		hdr, err := tr.Next()
		if err == io.EOF {
			break
		}
		if err != nil {
			return nil, bad("%v", err)
		}
		name := strings.TrimPrefix(path.Clean(strings.TrimPrefix(hdr.Name, "./")), "./")
		if name == "." {
			continue
		}
		if !filepath.IsLocal(name) || strings.Contains(hdr.Name, `\`) || (name != "results" && !strings.HasPrefix(name, "results/")) {
			return nil, bad("%q lies outside results/", hdr.Name)
		}
		switch hdr.Typeflag {
		case tar.TypeDir:
			if err := root.MkdirAll(path.Join(stage, name), 0o755); err != nil {
				return nil, err
			}
			continue
		case tar.TypeReg:
		default:
			return nil, bad("%q is not a regular file (links and devices are not brought back)", hdr.Name)
		}
		if len(files) >= colabMaxFiles {
			return nil, bad("more than %d files", colabMaxFiles)
		}
		if hdr.Size < 0 || total+hdr.Size > max {
			return nil, bad("more than %d bytes unpacked", max)
		}
		if err := root.MkdirAll(path.Join(stage, path.Dir(name)), 0o755); err != nil {
			return nil, err
		}
		f, err := root.OpenFile(path.Join(stage, name), os.O_CREATE|os.O_WRONLY|os.O_TRUNC, 0o644)
		if err != nil {
			return nil, err
		}
		n, err := io.Copy(f, io.LimitReader(tr, hdr.Size))
		if cerr := f.Close(); err == nil {
			err = cerr
		}
		if err != nil {
			return nil, bad("%s: %v", hdr.Name, err)
		}
		if n != hdr.Size {
			return nil, bad("%s is cut short", hdr.Name)
		}
		total += n
		files = append(files, name)
	}
	slices.Sort(files)
	files = slices.Compact(files)
	for _, f := range files {
		if err := root.MkdirAll(path.Dir(f), 0o755); err != nil {
			return nil, fmt.Errorf("colab: results: %w", err)
		}
		if fi, err := root.Lstat(f); err == nil && !fi.Mode().IsRegular() {
			return nil, bad("%s exists in the project and is not a regular file", f)
		}
		if err := root.Rename(path.Join(stage, f), f); err != nil {
			return nil, fmt.Errorf("colab: results: %w", err)
		}
	}
	return files, nil
}

// packProject writes the project as a tar.gz, without SyncExcludes (the
// top-level runs/ and results/, and .git, caches and virtual
// environments anywhere) and without links that lead outside it.
func packProject(project, dst string) error {
	f, err := os.Create(dst)
	if err != nil {
		return err
	}
	zw := gzip.NewWriter(f)
	tw := tar.NewWriter(zw)
	err = filepath.WalkDir(project, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, err := filepath.Rel(project, p)
		if err != nil || rel == "." {
			return err
		}
		rel = filepath.ToSlash(rel)
		for _, ex := range SyncExcludes {
			top := ex == "runs" || ex == "results"
			if (top && rel == ex) || (!top && d.Name() == ex) {
				if d.IsDir() {
					return filepath.SkipDir
				}
				return nil
			}
		}
		info, err := d.Info()
		if err != nil {
			return err
		}
		switch {
		case d.IsDir():
			return tw.WriteHeader(&tar.Header{Typeflag: tar.TypeDir, Name: rel + "/", Mode: 0o755, ModTime: info.ModTime()})
		case info.Mode().IsRegular():
			hdr := &tar.Header{Typeflag: tar.TypeReg, Name: rel, Mode: int64(info.Mode().Perm()), Size: info.Size(), ModTime: info.ModTime()}
			if err := tw.WriteHeader(hdr); err != nil {
				return err
			}
			src, err := os.Open(p)
			if err != nil {
				return err
			}
			_, err = io.CopyN(tw, src, info.Size())
			src.Close()
			return err
		case info.Mode()&fs.ModeSymlink != 0:
			target, err := os.Readlink(p)
			if err != nil {
				return err
			}
			if filepath.IsAbs(target) || !filepath.IsLocal(filepath.Join(filepath.Dir(rel), target)) {
				return nil // a link out of the project means nothing on the runtime
			}
			return tw.WriteHeader(&tar.Header{Typeflag: tar.TypeSymlink, Name: rel, Linkname: target, Mode: 0o777, ModTime: info.ModTime()})
		}
		return nil
	})
	if cerr := tw.Close(); err == nil {
		err = cerr
	}
	if cerr := zw.Close(); err == nil {
		err = cerr
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	return err
}

// ColabRunner is the bash script that runs on the Colab runtime for a
// run, in four modes: start (unpack the project, start the command
// detached), job (the command itself, run by start), follow OFFSET POLL
// (stream the log, then the exit code and the results frame) and results
// (the frame alone).
func ColabRunner(spec *Spec, rec *Record, content string) (string, error) {
	var env strings.Builder
	for _, kv := range runEnv(spec, rec) {
		k, v, _ := strings.Cut(kv, "=")
		if !sbEnvNameRe.MatchString(k) {
			return "", &xerr.Error{Kind: xerr.KindUsage, Msg: fmt.Sprintf("environment variable name %q", k), Hint: "names are letters, digits and _, not starting with a digit"}
		}
		env.WriteString("  export " + k + "=" + Quote(v) + "\n")
	}
	argv := spec.Command
	if spec.Python != "" {
		py, err := splitWords(spec.Python)
		if err != nil {
			return "", &xerr.Error{Kind: xerr.KindUsage, Msg: "--python " + spec.Python + ": " + err.Error()}
		}
		argv = pythonCommand(argv, py)
	}
	id := rec.ID
	return `#!/bin/bash
# The runner of repro run ` + id + ` on a Colab runtime (see internal/run/colab.go).
ID=` + Quote(id) + `
DIR=` + Quote(content+"/repro-runs/"+id) + `
ARCHIVE=` + Quote(content+"/repro-"+id+".tar.gz") + `
SELF=` + Quote(content+"/repro-"+id+".sh") + `
M='===REPRO'

frame() {
  local tmp sum n
  tmp=$(mktemp) || return 1
  if [ -d "$DIR/project/results" ]; then
    tar -czf "$tmp" -C "$DIR/project" results
  else
    tar -czf "$tmp" -T /dev/null
  fi
  sum=$(sha256sum "$tmp" | cut -d' ' -f1)
  n=$(wc -c < "$tmp")
  echo "$M-RESULTS-BEGIN $ID $sum $((n+0))==="
  base64 -w 76 "$tmp" | awk -v m="$M" -v id="$ID" '{ printf "%s-RESULTS-DATA %s %d %s\n", m, id, NR, $0; fflush() }'
  echo "$M-RESULTS-END $ID==="
  rm -f "$tmp"
}

case "${1:-}" in
start)
  mkdir -p "$DIR/project" || exit 1
  tar -xzf "$ARCHIVE" -C "$DIR/project" || exit 1
  rm -f "$ARCHIVE"
  nohup setsid bash "$SELF" job > "$DIR/output.log" 2>&1 < /dev/null &
  echo $! > "$DIR/pid"
  echo "$M-STARTED $ID $!==="
  ;;
job)
  cd "$DIR/project" || exit 1
  trap 'echo $? > "$DIR/exit_code.tmp"; mv -f "$DIR/exit_code.tmp" "$DIR/exit_code"' EXIT
` + env.String() + `  ` + sbCommand(argv) + `
  ;;
follow)
  [ -d "$DIR" ] || { echo "$M-NORUN $ID==="; exit 3; }
  off=$((${2:-0}+0)); poll=${3:-1}
  echo "$M-LOG-BEGIN $ID $off==="
  while :; do
    ec=
    if [ -f "$DIR/exit_code" ]; then ec=$(cat "$DIR/exit_code")
    elif ! kill -0 "$(cat "$DIR/pid" 2>/dev/null)" 2>/dev/null; then
      if [ -f "$DIR/exit_code" ]; then ec=$(cat "$DIR/exit_code"); else
        size=$(wc -c < "$DIR/output.log" 2>/dev/null || echo 0)
        [ "$((size+0))" -gt "$off" ] && tail -c +$((off+1)) "$DIR/output.log"
        echo "$M-LOST $ID==="; exit 0
      fi
    fi
    size=$(wc -c < "$DIR/output.log" 2>/dev/null || echo 0); size=$((size+0))
    if [ "$size" -gt "$off" ]; then
      tail -c +$((off+1)) "$DIR/output.log" | head -c $((size-off)); off=$size
    fi
    if [ -n "$ec" ]; then
      echo "$M-EXIT $ID $((ec+0))==="
      frame
      exit 0
    fi
    sleep "$poll" 2>/dev/null || sleep 1
  done
  ;;
results)
  [ -d "$DIR" ] || { echo "$M-NORUN $ID==="; exit 3; }
  frame
  ;;
*)
  echo "usage: $0 start|job|follow OFFSET POLL|results" >&2; exit 2
  ;;
esac
`, nil
}
