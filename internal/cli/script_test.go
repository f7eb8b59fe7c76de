package cli

import (
	"encoding/json"
	"os"
	"path/filepath"
	"testing"

	"github.com/rogpeppe/go-internal/testscript"

	"github.com/reprohq/repro/internal/golden"
)

// TestMain lets the scripts run "repro" in-process: testscript re-executes
// the test binary as the repro command.
func TestMain(m *testing.M) {
	testscript.Main(m, map[string]func(){
		"repro": func() { os.Exit(Main()) },
	})
}

// TestScript runs the CLI scripts in testdata/script/*.txtar; with -update
// it rewrites their cmp sections instead.
func TestScript(t *testing.T) {
	testscript.Run(t, testscript.Params{
		Dir:           "testdata/script",
		UpdateScripts: *golden.Update,
		Setup: func(env *testscript.Env) error {
			for name, path := range map[string]string{
				"EXAMPLE":     filepath.Join("..", "..", "examples", "tinyformer"),
				"EXAMPLE_PDF": filepath.Join("..", "pdf", "testdata", "tinyformer.pdf"),
				"EXAMPLE_MD":  filepath.Join("..", "markdown", "testdata", "paper.md"),
				"EXAMPLE_TXT": filepath.Join("..", "markdown", "testdata", "paper.txt"),
			} {
				abs, err := filepath.Abs(path)
				if err != nil {
					return err
				}
				env.Setenv(name, abs)
			}
			return nil
		},
		Cmds: map[string]func(ts *testscript.TestScript, neg bool, args []string){
			"jsonfields": cmdJSONFields,
		},
	})
}

// cmdJSONFields: jsonfields FILE FIELD...
// checks that FILE (or "stdout") holds one JSON object with the given
// top-level fields.
func cmdJSONFields(ts *testscript.TestScript, neg bool, args []string) {
	if neg {
		ts.Fatalf("unsupported: ! jsonfields")
	}
	if len(args) < 1 {
		ts.Fatalf("usage: jsonfields FILE FIELD...")
	}
	var obj map[string]json.RawMessage
	if err := json.Unmarshal([]byte(ts.ReadFile(args[0])), &obj); err != nil {
		ts.Fatalf("%s is not a JSON object: %v", args[0], err)
	}
	for _, f := range args[1:] {
		if _, ok := obj[f]; !ok {
			ts.Fatalf("%s has no field %q", args[0], f)
		}
	}
}
