package check

import (
	"slices"

	"github.com/reprohq/repro/internal/project"
)

// Interpreter returns the command that runs the project's Python, chosen as
// repro check chooses it: python (a --python flag value) when set, else the
// interpreter recorded in m (project.Manifest.Python), else `uv run python`
// when uv is installed and the project has a pyproject.toml, else python3.
// A choice that names a missing interpreter is an input error with a hint.
func Interpreter(root string, m *project.Manifest, python string) ([]string, error) {
	if m == nil {
		m = &project.Manifest{}
	}
	in, err := chooseInterpreter(Options{Python: python}, m, root)
	if err != nil {
		return nil, err
	}
	return slices.Clip(in.argv), nil
}
