package check

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"time"

	"github.com/reprohq/repro/internal/project"
	"github.com/reprohq/repro/internal/xerr"
)

// interpreter is the Python command that runs the project's tools, and what
// its probe found.
type interpreter struct {
	argv   []string // the command that runs Python, before its arguments
	source string   // where the choice came from: "--python", project.File, "uv", "default"
	uv     bool     // argv is `uv run --project ROOT python`

	executable string          // sys.executable
	version    string          // "3.11.2"
	modules    map[string]bool // importable modules among those probed
}

// String names the interpreter for messages: "/usr/bin/python3 (3.11.2)".
func (in *interpreter) String() string {
	exe := in.executable
	if exe == "" {
		exe = strings.Join(in.argv, " ")
	}
	s := exe
	if in.version != "" {
		s += " (" + in.version + ")"
	}
	if in.uv {
		s += " via uv run"
	}
	return s
}

// cmd returns the command line that runs Python with args.
func (in *interpreter) cmd(args ...string) []string {
	return append(slices.Clip(in.argv), args...)
}

// chooseInterpreter picks the interpreter: the --python flag, else the
// project's configured one, else `uv run python` when uv is installed and
// the project has a pyproject.toml, else python3.
func chooseInterpreter(opts Options, m *project.Manifest, root string) (*interpreter, error) {
	switch {
	case opts.Python != "":
		cwd, _ := os.Getwd()
		argv := splitCommand(opts.Python, cwd)
		return lookInterpreter(argv, "--python", "", "give the path of an installed Python interpreter")
	case m.Python != "":
		argv := splitCommand(m.Python, root)
		return lookInterpreter(argv, project.File, filepath.Join(root, filepath.FromSlash(project.File)),
			"set \"python\" in "+project.File+" to an installed interpreter, or choose one with --python")
	}
	if uv, err := exec.LookPath("uv"); err == nil {
		if _, err := os.Stat(filepath.Join(root, "pyproject.toml")); err == nil {
			return &interpreter{argv: []string{uv, "run", "--project", root, "python"}, source: "uv", uv: true}, nil
		}
	}
	for _, name := range []string{"python3", "python"} {
		if p, err := exec.LookPath(name); err == nil {
			return &interpreter{argv: []string{p}, source: "default"}, nil
		}
	}
	return nil, xerr.Input("", "no Python interpreter: neither uv nor python3 is on PATH",
		"install Python 3 (or uv), or choose an interpreter with --python")
}

// splitCommand makes a command line of an interpreter setting: a path (made
// absolute against base when it is relative and has a folder), or a command
// with arguments such as "uv run python" when it is not an existing file.
func splitCommand(v, base string) []string {
	argv := []string{v}
	if _, err := os.Stat(v); err != nil && strings.ContainsAny(v, " \t") {
		if f := strings.Fields(v); len(f) > 0 {
			argv = f
		}
	}
	if strings.ContainsRune(argv[0], filepath.Separator) || strings.ContainsRune(argv[0], '/') {
		if !filepath.IsAbs(argv[0]) && base != "" {
			argv[0] = filepath.Join(base, argv[0])
		}
	}
	return argv
}

func lookInterpreter(argv []string, source, file, hint string) (*interpreter, error) {
	p, err := exec.LookPath(argv[0])
	if err != nil {
		return nil, xerr.Input(file, fmt.Sprintf("Python interpreter %s (from %s) not found", argv[0], source), hint)
	}
	argv[0] = p
	return &interpreter{argv: argv, source: source, uv: filepath.Base(p) == "uv"}, nil
}

// probeScript prints the interpreter's executable, version, and which of
// the modules named in its arguments can be imported (found without
// importing them). It runs on any Python 3 (and says "no module" for all on
// Python 2).
const probeScript = `import sys, json
try:
    import importlib.util as u
    def has(n):
        try:
            return u.find_spec(n) is not None
        except Exception:
            return False
except ImportError:
    def has(n):
        return False
print("REPRO-PROBE " + json.dumps({"executable": sys.executable, "version": "%d.%d.%d" % tuple(sys.version_info[:3]), "modules": dict((n, has(n)) for n in sys.argv[1:])}))
`

// probe runs the interpreter once to learn its version and which of
// modules it can import.
func (in *interpreter) probe(ctx context.Context, r *runner, modules []string) error {
	res := r.run(ctx, "", nil, in.cmd(append([]string{"-c", probeScript}, modules...)...)...)
	var execErr *exec.Error
	if errors.As(res.err, &execErr) || errors.Is(res.err, os.ErrPermission) {
		return &xerr.Error{Kind: xerr.KindInput, Msg: "cannot run the Python interpreter " + strings.Join(in.argv, " "),
			Hint: "choose an installed interpreter with --python", Err: res.err}
	}
	if ctx.Err() != nil {
		return &xerr.Error{Kind: xerr.KindInput, Msg: "the Python interpreter did not answer in time: " + strings.Join(in.argv, " "), Err: ctx.Err()}
	}
	var got struct {
		Executable string          `json:"executable"`
		Version    string          `json:"version"`
		Modules    map[string]bool `json:"modules"`
	}
	found := false
	for _, l := range strings.Split(res.out, "\n") {
		if j, ok := strings.CutPrefix(strings.TrimSpace(l), "REPRO-PROBE "); ok {
			found = json.Unmarshal([]byte(j), &got) == nil
		}
	}
	if !found {
		return xerr.Input("", fmt.Sprintf("cannot run the Python interpreter %s (exit code %d):\n%s",
			strings.Join(in.argv, " "), res.code, Tail(res.out, 8)), "choose a working Python 3 interpreter with --python")
	}
	in.executable, in.version, in.modules = got.Executable, got.Version, got.Modules
	if in.modules == nil {
		in.modules = map[string]bool{}
	}
	return nil
}

// systemPython reports whether the interpreter is a Debian system Python,
// whose packages come from apt.
func (in *interpreter) systemPython() bool {
	if in.uv || !strings.HasPrefix(in.executable, "/usr/bin/") {
		return false
	}
	_, err := os.Stat("/etc/debian_version")
	return err == nil
}

// installHint tells how to install the distributions into the interpreter:
// "install it: `apt install python3-pytest`, `pip install pytest`, or choose
// another interpreter with --python". deps says whether they are the
// project's own dependencies (which `uv sync` installs).
func (in *interpreter) installHint(deps bool, dists ...string) string {
	it := "it"
	if len(dists) > 1 {
		it = "them"
	}
	names := strings.Join(dists, " ")
	if in.uv {
		if deps {
			return "install " + it + ": `uv sync` installs the project's dependencies"
		}
		return "install " + it + ": `uv add --dev " + names + "`"
	}
	var ways []string
	if in.systemPython() {
		var apt []string
		for _, d := range dists {
			apt = append(apt, aptName(d))
		}
		ways = append(ways, "`apt install "+strings.Join(apt, " ")+"`")
	}
	ways = append(ways, "`pip install "+names+"`")
	return "install " + it + ": " + strings.Join(ways, ", ") + ", or choose another interpreter with --python"
}

// requirement is a dependency of the project: a distribution and the module
// it provides.
type requirement struct {
	Dist   string // normalized: "pyyaml"
	Module string // "yaml"
}

var reqNameRe = regexp.MustCompile(`^\s*([A-Za-z0-9][A-Za-z0-9._-]*)`)

// projectRequirements reads the [project] dependencies of a pyproject.toml:
// the list of requirement strings, of which it keeps the names.
// Requirements with an environment marker ("; python_version < '3.11'")
// are left out: whether they apply depends on the interpreter.
func projectRequirements(pyproject []byte) []requirement {
	list := tomlStringArray(pyproject, "project", "dependencies")
	var out []requirement
	seen := map[string]bool{}
	for _, s := range list {
		if strings.Contains(s, ";") {
			continue
		}
		m := reqNameRe.FindStringSubmatch(s)
		if m == nil {
			continue
		}
		dist := normalizeDist(m[1])
		mod, ok := importNames[dist]
		if !ok {
			mod = strings.ReplaceAll(dist, "-", "_")
		}
		if mod == "" || seen[dist] {
			continue
		}
		seen[dist] = true
		out = append(out, requirement{Dist: dist, Module: mod})
	}
	return out
}

var distSepRe = regexp.MustCompile(`[-_.]+`)

// normalizeDist normalizes a distribution name as PEP 503 does.
func normalizeDist(name string) string {
	return distSepRe.ReplaceAllString(strings.ToLower(name), "-")
}

// tomlStringArray returns the strings of the array key in table of a TOML
// document, parsed just enough for pyproject.toml: the array may span lines
// and hold comments; its strings are basic or literal strings.
func tomlStringArray(doc []byte, table, key string) []string {
	lines := strings.Split(string(doc), "\n")
	current := ""
	keyRe := regexp.MustCompile(`^\s*"?` + regexp.QuoteMeta(key) + `"?\s*=\s*`)
	for i, l := range lines {
		t := strings.TrimSpace(l)
		if strings.HasPrefix(t, "[") {
			name := strings.Trim(strings.SplitN(t, "#", 2)[0], " \t[]")
			current = strings.TrimSpace(name)
			continue
		}
		if current != table {
			continue
		}
		loc := keyRe.FindStringIndex(l)
		if loc == nil {
			continue
		}
		rest := l[loc[1]:] + "\n" + strings.Join(lines[i+1:], "\n")
		return scanStringArray(rest)
	}
	return nil
}

// scanStringArray reads the strings of the TOML array that starts src.
func scanStringArray(src string) []string {
	src = strings.TrimLeft(src, " \t")
	if !strings.HasPrefix(src, "[") {
		return nil
	}
	var out []string
	for i := 1; i < len(src); i++ {
		switch c := src[i]; c {
		case ']':
			return out
		case '#':
			for i < len(src) && src[i] != '\n' {
				i++
			}
		case '"', '\'':
			var b strings.Builder
			j := i + 1
			for ; j < len(src) && src[j] != c && src[j] != '\n'; j++ {
				if c == '"' && src[j] == '\\' && j+1 < len(src) {
					j++
				}
				b.WriteByte(src[j])
			}
			out = append(out, b.String())
			i = j
		}
	}
	return nil // unterminated: not TOML
}

// importNames maps distributions whose module has another name to it; ""
// for distributions without a module of their own.
var importNames = map[string]string{
	"pyyaml":                 "yaml",
	"scikit-learn":           "sklearn",
	"scikit-image":           "skimage",
	"pillow":                 "PIL",
	"opencv-python":          "cv2",
	"opencv-python-headless": "cv2",
	"opencv-contrib-python":  "cv2",
	"beautifulsoup4":         "bs4",
	"python-dateutil":        "dateutil",
	"protobuf":               "google.protobuf",
	"attrs":                  "attr",
	"pyzmq":                  "zmq",
	"faiss-cpu":              "faiss",
	"faiss-gpu":              "faiss",
	"tensorflow-cpu":         "tensorflow",
	"tensorflow-gpu":         "tensorflow",
	"absl-py":                "absl",
	"ipython":                "IPython",
	"msgpack-python":         "msgpack",
	"dm-haiku":               "haiku",
	"tensorboardx":           "tensorboardX",
	"jax-cuda12-plugin":      "",
	"jupyter":                "",
	"jupyterlab":             "jupyterlab",
}

// distOf returns the distribution that provides module (its top-level
// package), using the project's requirements first.
func distOf(module string, reqs []requirement) string {
	top, _, _ := strings.Cut(module, ".")
	for _, r := range reqs {
		if r.Module == module || strings.SplitN(r.Module, ".", 2)[0] == top {
			return r.Dist
		}
	}
	if d, ok := moduleDists[top]; ok {
		return d
	}
	return strings.ReplaceAll(strings.ToLower(top), "_", "-")
}

// moduleDists maps modules to the distribution that provides them when
// the names differ.
var moduleDists = map[string]string{
	"yaml":         "pyyaml",
	"sklearn":      "scikit-learn",
	"skimage":      "scikit-image",
	"PIL":          "pillow",
	"cv2":          "opencv-python",
	"bs4":          "beautifulsoup4",
	"dateutil":     "python-dateutil",
	"attr":         "attrs",
	"zmq":          "pyzmq",
	"faiss":        "faiss-cpu",
	"absl":         "absl-py",
	"IPython":      "ipython",
	"haiku":        "dm-haiku",
	"tensorboardX": "tensorboardx",
}

// aptNames maps distributions to Debian packages when the name is not
// python3-<distribution>.
var aptNames = map[string]string{
	"pyyaml":          "python3-yaml",
	"scikit-learn":    "python3-sklearn",
	"scikit-image":    "python3-skimage",
	"pillow":          "python3-pil",
	"opencv-python":   "python3-opencv",
	"beautifulsoup4":  "python3-bs4",
	"python-dateutil": "python3-dateutil",
	"protobuf":        "python3-protobuf",
	"attrs":           "python3-attr",
	"pyzmq":           "python3-zmq",
}

func aptName(dist string) string {
	if a, ok := aptNames[dist]; ok {
		return a
	}
	return "python3-" + dist
}

// runner runs the tools' subprocesses in the project's root with a clean
// environment.
type runner struct {
	root     string
	env      []string
	progress io.Writer
}

type result struct {
	out  string // stdout and stderr
	code int    // exit code; -1 when it did not run or was killed
	err  error  // nil on any exit code; why it did not start or finish
	dur  time.Duration
}

// run runs argv; step, when not "", is announced on the progress writer.
func (r *runner) run(ctx context.Context, step string, extraEnv []string, argv ...string) result {
	if step != "" && r.progress != nil {
		fmt.Fprintf(r.progress, "running %s…\n", step)
	}
	cmd := exec.CommandContext(ctx, argv[0], argv[1:]...)
	cmd.Dir = r.root
	cmd.Env = append(slices.Clip(r.env), extraEnv...)
	var buf bytes.Buffer
	cmd.Stdout = &buf
	cmd.Stderr = &buf
	cmd.WaitDelay = 3 * time.Second // children holding the pipes open
	start := time.Now()
	err := cmd.Run()
	res := result{out: buf.String(), code: -1, dur: time.Since(start)}
	var exitErr *exec.ExitError
	switch {
	case ctx.Err() != nil:
		res.err = ctx.Err()
	case errors.As(err, &exitErr):
		res.code = exitErr.ExitCode()
		if res.code < 0 {
			res.err = err // killed by a signal
		}
	case err != nil:
		res.err = err
	default:
		res.code = 0
	}
	return res
}

// dropEnv are the variables that would change what the tools do or print.
var dropEnv = []string{
	"PYTHONPATH", "PYTHONHOME", "PYTHONSTARTUP", "PYTHONSAFEPATH", "PYTHONDONTWRITEBYTECODE", "PYTHONIOENCODING",
	"PYTEST_ADDOPTS", "PYTEST_PLUGINS", "PYTEST_DISABLE_PLUGIN_AUTOLOAD",
	"COVERAGE_FILE", "COVERAGE_PROCESS_START", "COVERAGE_RCFILE",
	"FORCE_COLOR", "PY_COLORS", "CLICOLOR_FORCE", "NO_COLOR", "MYPY_FORCE_COLOR",
}

// CleanEnv is the environment of the Python tools (pytest, ruff, type
// checkers) of repro check and the implementation agent: this process's,
// without the variables of dropEnv, with byte-code writing and colours off.
func CleanEnv() []string {
	var env []string
	for _, kv := range os.Environ() {
		k, _, _ := strings.Cut(kv, "=")
		if !slices.Contains(dropEnv, k) {
			env = append(env, kv)
		}
	}
	return append(env, "PYTHONDONTWRITEBYTECODE=1", "PYTHONIOENCODING=utf-8", "NO_COLOR=1", "PY_COLORS=0")
}

// Tail returns the last n non-blank lines of s.
func Tail(s string, n int) string {
	var lines []string
	for _, l := range strings.Split(strings.TrimRight(s, "\n"), "\n") {
		if strings.TrimSpace(l) != "" {
			lines = append(lines, strings.TrimRight(l, " \t\r"))
		}
	}
	if len(lines) > n {
		lines = lines[len(lines)-n:]
	}
	return strings.Join(lines, "\n")
}
