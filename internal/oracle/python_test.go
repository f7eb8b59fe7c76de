package oracle_test

import (
	"os"
	"os/exec"
	"strings"
	"testing"
)

// python returns the interpreter that runs the generated oracles: Debian's
// /usr/bin/python3 with numpy, or $REPRO_PYTHON. It skips the test, with the
// reason, when there is none with numpy.
func python(t testing.TB) string {
	t.Helper()
	py := os.Getenv("REPRO_PYTHON")
	if py == "" {
		py = "/usr/bin/python3"
	}
	out, err := exec.Command(py, "-c", "import numpy; print(numpy.__version__)").CombinedOutput()
	if err != nil {
		t.Skipf("no Python with numpy at %s (set REPRO_PYTHON): %v: %s", py, err, strings.TrimSpace(string(out)))
	}
	return py
}

// runner is the Python that imports a generated module and calls every
// oracle on its example inputs, printing one line per failure.
const runner = `
import importlib.util, sys, traceback, warnings
import numpy as np
warnings.simplefilter("ignore")
spec = importlib.util.spec_from_file_location("oracles", sys.argv[1])
mod = importlib.util.module_from_spec(spec)
spec.loader.exec_module(mod)
rng = np.random.default_rng(0)
ok = 0
for name, (fn, inputs) in mod.ORACLES.items():
    try:
        with np.errstate(all="ignore"):
            out = fn(**inputs(rng))
        np.asarray(out, dtype=float)
        ok += 1
    except Exception as e:
        print("FAIL %s: %s: %s" % (name, type(e).__name__, e))
print("OK %d" % ok)
`
