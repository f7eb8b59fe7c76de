package oracle_test

import (
	"bufio"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/reprohq/repro/internal/golden"
	"github.com/reprohq/repro/internal/oracle"
)

// goldenEquations reads testdata/golden/equations.txt.
func goldenEquations(t testing.TB) ([]oracle.Equation, *oracle.Symbols) {
	t.Helper()
	f, err := os.Open(filepath.Join("testdata", "golden", "equations.txt"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var eqs []oracle.Equation
	syms := oracle.NewSymbols(nil)
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		line := strings.TrimSpace(sc.Text())
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		parts := strings.SplitN(line, "@@", 3)
		eq := oracle.Equation{Number: strings.TrimSpace(parts[0]), LaTeX: strings.TrimSpace(parts[1])}
		if len(parts) == 3 {
			eq.Context = strings.TrimSpace(parts[2])
			syms.AddContext(eq.Context)
		}
		eqs = append(eqs, eq)
	}
	syms.Learn(eqs)
	return eqs, syms
}

// TestGoldenModule pins the module generated for a set of equations, and
// checks that Python compiles it and runs every oracle on its inputs.
func TestGoldenModule(t *testing.T) {
	eqs, syms := goldenEquations(t)
	var oracles []oracle.Oracle
	for _, eq := range eqs {
		oracles = append(oracles, oracle.Translate(eq, syms))
	}
	mod := oracle.Module(oracles, "golden equations")
	path := filepath.Join("testdata", "golden", "module.py.golden")
	golden.Check(t, path, mod)
	py := python(t)
	file := filepath.Join(t.TempDir(), "module.py")
	if err := os.WriteFile(file, mod, 0o644); err != nil {
		t.Fatal(err)
	}
	out, err := exec.Command(py, "-c", runner, file).CombinedOutput()
	if err != nil {
		t.Fatalf("%v\n%s", err, out)
	}
	for _, line := range strings.Split(string(out), "\n") {
		if strings.HasPrefix(line, "FAIL") {
			t.Error(line)
		}
	}
}
