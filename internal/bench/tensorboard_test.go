//go:build tensorboard

// Run with: go test -tags tensorboard ./internal/bench (needs PyTorch and
// the tensorboard package, which Debian does not package: pip install
// tensorboard into the interpreter that has torch).

package bench

import (
	"os/exec"
	"strings"
	"testing"
)

// TestTorchSummaryWriter writes scalars with PyTorch's SummaryWriter and
// reads them back, when PyTorch and TensorBoard are installed.
func TestTorchSummaryWriter(t *testing.T) {
	py := "/usr/bin/python3"
	// Look for the tensorboard package first: importing torch takes seconds.
	const probe = "import importlib.util, sys\nif importlib.util.find_spec('tensorboard') is None: sys.exit(\"ModuleNotFoundError: No module named 'tensorboard'\")\nimport torch.utils.tensorboard"
	if out, err := exec.Command(py, "-c", probe).CombinedOutput(); err != nil {
		lines := strings.Split(strings.TrimSpace(string(out)), "\n")
		t.Fatalf("torch.utils.tensorboard is not importable (%s): %v", lines[len(lines)-1], err)
	}
	dir := t.TempDir()
	script := `
import sys
from torch.utils.tensorboard import SummaryWriter
w = SummaryWriter(sys.argv[1])
for step in range(5):
    w.add_scalar("sst2/accuracy", 0.9 + step / 100, step)
    w.add_scalar("train/loss", 1.0 / (step + 1), step)
w.close()
`
	if out, err := exec.Command(py, "-c", script, dir).CombinedOutput(); err != nil {
		t.Fatalf("SummaryWriter: %v\n%s", err, out)
	}
	rs, err := ReadResults(dir)
	if err != nil {
		t.Fatal(err)
	}
	got := map[string]float64{}
	for _, r := range rs {
		got[r.Dataset+"/"+r.Metric] = r.Value
	}
	if got["sst2/accuracy"] != 0.94 || got["train/loss"] != 0.2 || len(got) != 2 {
		t.Errorf("results %v", got)
	}
}
