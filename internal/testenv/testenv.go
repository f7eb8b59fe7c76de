// Package testenv finds the outside tools that some tests need and skips
// those tests, with the reason, when a tool is absent, so that go test
// passes on a bare machine while .ci/run, which installs everything, skips
// nothing.
package testenv

import (
	"os"
	"os/exec"
	"strings"
	"sync"
	"testing"
)

var (
	mu      sync.Mutex
	found   = map[string]string{} // packages key → interpreter
	reasons = map[string]string{}
)

// Python returns an interpreter that can import every package: $REPRO_PYTHON
// when set, else Debian's /usr/bin/python3 (the one Debian's python3-torch
// serves), else python3 on PATH (here often a pyenv interpreter without
// torch). The test is skipped, naming which interpreter lacks which
// package, when none can.
func Python(t testing.TB, packages ...string) string {
	t.Helper()
	key := strings.Join(packages, ",")
	mu.Lock()
	defer mu.Unlock()
	if p, ok := found[key]; ok {
		return p
	}
	if r, ok := reasons[key]; ok {
		t.Skip(r)
	}
	var candidates []string
	if p := os.Getenv("REPRO_PYTHON"); p != "" {
		candidates = []string{p}
	} else {
		candidates = []string{"/usr/bin/python3"}
		if p, err := exec.LookPath("python3"); err == nil && p != "/usr/bin/python3" {
			candidates = append(candidates, p)
		}
	}
	probe := "import importlib.util as u\nprint(' '.join(m for m in ('" + strings.Join(packages, "', '") + "',) if m and u.find_spec(m) is None))"
	var why []string
	for _, c := range candidates {
		out, err := exec.Command(c, "-c", probe).CombinedOutput()
		switch {
		case err != nil:
			line, _, _ := strings.Cut(strings.TrimSpace(string(out)+" "+err.Error()), "\n")
			why = append(why, c+": "+line)
		case strings.TrimSpace(string(out)) != "":
			why = append(why, c+" lacks "+strings.Join(strings.Fields(string(out)), ", "))
		default:
			found[key] = c
			return c
		}
	}
	reasons[key] = "no Python with " + strings.Join(packages, ", ") + " (set $REPRO_PYTHON): " + strings.Join(why, "; ")
	t.Skip(reasons[key])
	return ""
}
