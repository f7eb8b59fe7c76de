package check

import (
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/reprohq/repro/internal/project"
	"github.com/reprohq/repro/internal/xerr"
)

func TestProjectRequirements(t *testing.T) {
	tests := []struct {
		name, toml string
		want       []requirement
	}{
		{name: "none", toml: "[project]\nname = \"x\"\n"},
		{name: "empty list", toml: "[project]\ndependencies = []\n"},
		{
			name: "multi-line with versions, extras, comments",
			toml: `[project]
name = "tinyformer"
dependencies = [
    "numpy>=1.24",  # arrays
    "PyYAML>=6.0",
    'torch[cuda] >= 1.13',
    "scikit_learn",
    "Pillow==10.*",
    "tomli; python_version < '3.11'",
    "numpy",
]

[project.optional-dependencies]
dev = ["pytest>=7.2"]
`,
			want: []requirement{{"numpy", "numpy"}, {"pyyaml", "yaml"}, {"torch", "torch"}, {"scikit-learn", "sklearn"}, {"pillow", "PIL"}},
		},
		{
			name: "one line, other tables first",
			toml: "[build-system]\ndependencies = [\"hatchling\"]\n[tool.x]\ndependencies = [\"nope\"]\n[project]\ndependencies = [\"einops\", \"opencv-python-headless\"]\n",
			want: []requirement{{"einops", "einops"}, {"opencv-python-headless", "cv2"}},
		},
		{
			name: "dependencies of another table only",
			toml: "[project.optional-dependencies]\ndependencies = [\"x\"]\n[dependency-groups]\ndev = [\"pytest\"]\n",
		},
		{
			name: "brackets and hashes inside strings",
			toml: "[project]\ndependencies = [\"uvicorn[standard]>=0.2\", \"x-y @ https://e.org/x#egg\", \"jupyter\"]\n",
			want: []requirement{{"uvicorn", "uvicorn"}, {"x-y", "x_y"}},
		},
		{name: "unterminated", toml: "[project]\ndependencies = [\"numpy\", \"tor"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := projectRequirements([]byte(tt.toml))
			if len(got) == 0 && len(tt.want) == 0 {
				return
			}
			if !reflect.DeepEqual(got, tt.want) {
				t.Errorf("projectRequirements = %v, want %v", got, tt.want)
			}
		})
	}
}

func TestDistOf(t *testing.T) {
	reqs := []requirement{{"pyyaml", "yaml"}, {"my-lib", "mylib"}}
	tests := map[string]string{
		"yaml": "pyyaml", "yaml.constructor": "pyyaml", "mylib.sub": "my-lib",
		"PIL": "pillow", "sklearn.linear_model": "scikit-learn", "cv2": "opencv-python",
		"scipy.special": "scipy", "Foo_Bar": "foo-bar",
	}
	for mod, want := range tests {
		if got := distOf(mod, reqs); got != want {
			t.Errorf("distOf(%q) = %q, want %q", mod, got, want)
		}
	}
}

func TestInstallHint(t *testing.T) {
	_, err := os.Stat("/etc/debian_version")
	debian := err == nil
	tests := []struct {
		name  string
		in    interpreter
		deps  bool
		dists []string
		want  string
	}{
		{"venv", interpreter{executable: "/p/.venv/bin/python"}, false, []string{"pytest"},
			"install it: `pip install pytest`, or choose another interpreter with --python"},
		{"venv, two", interpreter{executable: "/p/.venv/bin/python"}, true, []string{"torch", "pyyaml"},
			"install them: `pip install torch pyyaml`, or choose another interpreter with --python"},
		{"uv, dependencies", interpreter{executable: "/p/.venv/bin/python", uv: true}, true, []string{"torch"},
			"install it: `uv sync` installs the project's dependencies"},
		{"uv, tool", interpreter{executable: "/p/.venv/bin/python", uv: true}, false, []string{"pytest-cov"},
			"install it: `uv add --dev pytest-cov`"},
	}
	if debian {
		tests = append(tests, struct {
			name  string
			in    interpreter
			deps  bool
			dists []string
			want  string
		}{"debian", interpreter{executable: "/usr/bin/python3"}, false, []string{"pytest", "pyyaml"},
			"install them: `apt install python3-pytest python3-yaml`, `pip install pytest pyyaml`, or choose another interpreter with --python"})
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := tt.in.installHint(tt.deps, tt.dists...); got != tt.want {
				t.Errorf("installHint =\n%s\nwant\n%s", got, tt.want)
			}
		})
	}
}

// executable writes an executable shell script.
func executable(t *testing.T, p, script string) string {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(p, []byte("#!/bin/sh\n"+script), 0o755); err != nil {
		t.Fatal(err)
	}
	return p
}

func TestChooseInterpreter(t *testing.T) {
	bin := t.TempDir()
	root := t.TempDir()
	abs := executable(t, filepath.Join(t.TempDir(), "python"), "exit 0\n")
	executable(t, filepath.Join(root, ".venv", "bin", "python"), "exit 0\n")
	executable(t, filepath.Join(bin, "fakepy"), "exit 0\n")
	executable(t, filepath.Join(bin, "python3"), "exit 0\n")
	executable(t, filepath.Join(bin, "uv"), "exit 0\n")
	writeFiles(t, root, map[string]string{"pyproject.toml": "[project]\n"})
	noPyproject := t.TempDir()
	t.Setenv("PATH", bin)

	tests := []struct {
		name         string
		flag, config string
		root         string
		path         string // PATH; "" for bin
		argv         []string
		source       string
		uv           bool
		errHas       string
	}{
		{name: "flag, a path", flag: abs, config: "python3.9", argv: []string{abs}, source: "--python"},
		{name: "flag, a command", flag: "fakepy -X dev", argv: []string{filepath.Join(bin, "fakepy"), "-X", "dev"}, source: "--python"},
		{name: "flag, uv", flag: "uv run python", argv: []string{filepath.Join(bin, "uv"), "run", "python"}, source: "--python", uv: true},
		{name: "flag, missing", flag: "/nonexistent/python3", errHas: "/nonexistent/python3 (from --python) not found"},
		{name: "config, relative to the root", config: ".venv/bin/python", argv: []string{filepath.Join(root, ".venv", "bin", "python")}, source: project.File},
		{name: "config, missing", config: "python9.9", errHas: "python9.9 (from .repro/project.json) not found"},
		{name: "uv with a pyproject.toml", argv: []string{filepath.Join(bin, "uv"), "run", "--project", root, "python"}, source: "uv", uv: true},
		{name: "no pyproject.toml: python3", root: noPyproject, argv: []string{filepath.Join(bin, "python3")}, source: "default"},
		{name: "nothing on PATH", root: noPyproject, path: t.TempDir(), errHas: "no Python interpreter"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if tt.path != "" {
				t.Setenv("PATH", tt.path)
			}
			r := root
			if tt.root != "" {
				r = tt.root
			}
			in, err := chooseInterpreter(Options{Python: tt.flag}, &project.Manifest{Python: tt.config}, r)
			if tt.errHas != "" {
				if err == nil || !strings.Contains(err.Error(), tt.errHas) {
					t.Fatalf("err = %v, want one with %q", err, tt.errHas)
				}
				if xerr.KindOf(err) != xerr.KindInput || xerr.HintOf(err) == "" {
					t.Errorf("err %v: kind %v, hint %q", err, xerr.KindOf(err), xerr.HintOf(err))
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(in.argv, tt.argv) || in.source != tt.source || in.uv != tt.uv {
				t.Errorf("got argv %q source %q uv %v; want %q %q %v", in.argv, in.source, in.uv, tt.argv, tt.source, tt.uv)
			}
		})
	}
}

func TestDisplayCommand(t *testing.T) {
	got := displayCommand([]string{"/bin/uv", "run", "--project", "/r", "python", "-m", "pytest", "--junitxml=/t/j.xml", "a b"}, "/r", "/t")
	if want := "/bin/uv run --project . python -m pytest --junitxml=$TMP/j.xml 'a b'"; got != want {
		t.Errorf("displayCommand = %s, want %s", got, want)
	}
}
