package slurmtest

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	_ "github.com/reprohq/repro/internal/golden" // accepts -update
)

// processes lists the pids whose command line contains s.
func processes(t *testing.T, s string) []string {
	t.Helper()
	dirs, _ := filepath.Glob("/proc/[0-9]*")
	var pids []string
	for _, d := range dirs {
		cmd, err := os.ReadFile(filepath.Join(d, "cmdline"))
		if err == nil && strings.Contains(strings.ReplaceAll(string(cmd), "\x00", " "), s) {
			pids = append(pids, filepath.Base(d))
		}
	}
	return pids
}

// The cluster leaves nothing behind: not its daemons, not a job still
// running when the test ends.
func TestStartStop(t *testing.T) {
	var dir string
	t.Run("cluster", func(t *testing.T) {
		c := Start(t)
		dir = c.Dir
		out, err := c.Run("sbatch", "--parsable", "--output", filepath.Join(c.Dir, "job-%j.out"), "--wrap", "sleep 3117")
		if err != nil {
			t.Fatalf("sbatch: %v %s", err, out)
		}
		deadline := time.Now().Add(30 * time.Second)
		for len(processes(t, "sleep 3117")) == 0 {
			if time.Now().After(deadline) {
				t.Fatal("the job did not start")
			}
			time.Sleep(100 * time.Millisecond)
		}
		if out, err := c.Run("sinfo", "-h", "-o", "%P %a %D"); err != nil || strings.TrimSpace(out) != "debug* up 1" {
			t.Errorf("sinfo: %q %v", out, err)
		}
	})
	if dir == "" {
		return // skipped
	}
	for _, what := range []string{"sleep 3117", dir} {
		if pids := processes(t, what); len(pids) > 0 {
			t.Errorf("processes left running with %q: %v", what, pids)
		}
	}
	if _, err := os.Stat(dir); err == nil {
		t.Errorf("%s is left behind", dir)
	}
}
