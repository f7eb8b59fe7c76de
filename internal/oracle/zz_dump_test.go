package oracle_test

import (
	"os"
	"strings"
	"testing"
)

func TestZZDump(t *testing.T) {
	pat := os.Getenv("DUMP")
	if pat == "" {
		t.Skip()
	}
	for _, s := range corpusOracles(t) {
		for _, o := range s.oracles {
			if o.Number != "" && !o.Executable && strings.Contains(o.Reason, pat) {
				t.Logf("%s %s | %s\n    %s", s.paper, o.Number, o.Reason, o.LaTeX)
			}
		}
	}
}
