package cli

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestScaffoldPrompts: on a terminal without --intent, scaffold asks its
// four questions; the answers shape the project.
func TestScaffoldPrompts(t *testing.T) {
	ios, in, out, errOut := Test()
	ios.StdinTTY, ios.StdoutTTY = true, true
	in.WriteString("validate\ngpu\ncli\n")
	dir := filepath.Join(t.TempDir(), "proj")
	if code := Run(context.Background(), ios, []string{"scaffold", "--no-git", "--out", dir, "../../examples/tinyformer"}); code != 0 {
		t.Fatalf("exit %d\n%s%s", code, out, errOut)
	}
	for _, q := range []string{"Intent [full]", "Environment [cpu]", "Output [both]"} {
		if !strings.Contains(errOut.String(), q) {
			t.Errorf("question %q not asked: %q", q, errOut)
		}
	}
	if _, err := os.Stat(filepath.Join(dir, "scripts", "train.sh")); err != nil {
		t.Errorf("cli output: %v", err)
	}
	if _, err := os.Stat(filepath.Join(dir, "notebooks")); err == nil {
		t.Error("cli output wrote notebooks/")
	}
	plan, err := os.ReadFile(filepath.Join(dir, "IMPLEMENTATION_PLAN.md"))
	if err != nil || !strings.Contains(string(plan), "validate") || !strings.Contains(string(plan), "gpu") {
		t.Errorf("the plan does not carry the answers: %v", err)
	}
}

// TestScaffoldNoPrompt: without a terminal scaffold never asks.
func TestScaffoldNoPrompt(t *testing.T) {
	ios, in, out, errOut := Test()
	in.WriteString("component\n")
	dir := filepath.Join(t.TempDir(), "proj")
	if code := Run(context.Background(), ios, []string{"scaffold", "--no-git", "--out", dir, "../../examples/tinyformer"}); code != 0 {
		t.Fatalf("exit %d\n%s%s", code, out, errOut)
	}
	if errOut.Len() != 0 {
		t.Errorf("stderr: %q", errOut)
	}
	if !strings.Contains(out.String(), "files written") {
		t.Errorf("stdout: %q", out)
	}
	// A second run writes nothing.
	ios, _, out, _ = Test()
	if code := Run(context.Background(), ios, []string{"scaffold", "--no-git", "--out", dir, "../../examples/tinyformer"}); code != 0 {
		t.Fatal(code)
	}
	if !strings.Contains(out.String(), ": 0 files written") {
		t.Errorf("second run: %q", out)
	}
	// Usage errors.
	ios, _, _, errOut = Test()
	if code := Run(context.Background(), ios, []string{"scaffold", "--intent", "component", "../../examples/tinyformer"}); code != ExitUsage {
		t.Errorf("--intent component without --component: exit %d %s", code, errOut)
	}
}
