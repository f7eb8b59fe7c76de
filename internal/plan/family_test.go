package plan_test

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/reprohq/repro"
	"github.com/reprohq/repro/internal/golden"
	"github.com/reprohq/repro/internal/graph"
	"github.com/reprohq/repro/internal/plan"
)

const familyDir = "../../examples/family"

// family extracts the example papers of examples/family, with the ids of
// its truth.json.
func family(t *testing.T) []graph.Paper {
	t.Helper()
	var tr struct {
		Papers []struct {
			ID      string `json:"id"`
			Dir     string `json:"dir"`
			ArxivID string `json:"arxiv_id"`
		} `json:"papers"`
	}
	b, err := os.ReadFile(filepath.Join(familyDir, "truth.json"))
	if err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(b, &tr); err != nil {
		t.Fatal(err)
	}
	var papers []graph.Paper
	for _, p := range tr.Papers {
		d, err := repro.Extract(context.Background(), filepath.Join(familyDir, p.Dir), repro.Options{})
		if err != nil {
			t.Fatal(err)
		}
		papers = append(papers, graph.Paper{ID: p.ID, ArxivID: p.ArxivID, Doc: d})
	}
	return papers
}

func TestFamilyGolden(t *testing.T) {
	papers := family(t)
	p := plan.Build(graph.Build(papers), papers, plan.Options{Version: "test"})
	js, err := p.JSON()
	if err != nil {
		t.Fatal(err)
	}
	golden.Check(t, "testdata/family.plan.json", js)
	golden.Check(t, "testdata/family.plan.md", p.Markdown())

	// Deterministic, whatever the order of the papers given.
	rev := slices.Clone(papers)
	slices.Reverse(rev)
	q := plan.Build(nil, rev, plan.Options{Version: "test"})
	js2, _ := q.JSON()
	if !bytes.Equal(js, js2) || !bytes.Equal(p.Markdown(), q.Markdown()) {
		t.Error("the plan depends on the order of the papers given")
	}
}

// TestFamilyDependencies checks the links the README of examples/family
// promises.
func TestFamilyDependencies(t *testing.T) {
	papers := family(t)
	p := plan.Build(nil, papers, plan.Options{})
	dep := func(paper, eq string) plan.EquationDependency {
		for _, r := range p.EquationDependencies {
			if r.Paper == paper && r.Equation == eq {
				return r
			}
		}
		t.Fatalf("no row for %s (%s)", paper, eq)
		return plan.EquationDependency{}
	}
	refs := func(rs []plan.EquationRef) string {
		var out []string
		for _, r := range rs {
			out = append(out, r.Paper+"("+r.Equation+")"+strings.Join(r.Symbols, ","))
		}
		return strings.Join(out, " ")
	}
	tests := []struct{ paper, eq, dependsOn string }{
		{"2401.00001", "3", `2401.00001(1)\mu 2401.00001(2)\sigma`},
		{"2401.00001", "4", `2401.00001(3)\hat{x}`},
		{"2401.00001", "5", `2401.00001(4)g 2401.00001(3)\hat{x}`},
		{"2401.00001", "7", `2401.00001(6)\mathcal{R}_{\mathrm{gate}}`},
		{"2402.00002", "3.2", `2401.00001(3)\hat{x}`},
		{"2402.00002", "3.7", `2401.00001(7)\mathcal{L} 2402.00002(3.6)\mathcal{L}_{\mathrm{sparse}}`},
		{"2403.00003", "3", `2403.00003(2)\mathcal{L}_{\mathrm{CTC}} 2402.00002(3.6)\mathcal{L}_{\mathrm{sparse}}`},
	}
	for _, tt := range tests {
		if got := refs(dep(tt.paper, tt.eq).DependsOn); got != tt.dependsOn {
			t.Errorf("%s (%s) depends on %s, want %s", tt.paper, tt.eq, got, tt.dependsOn)
		}
	}
	if got := refs(dep("2402.00002", "3.6").UsedBy); !strings.Contains(got, "2403.00003(3)") {
		t.Errorf("extension (3.6) used by %s, want the application's (3)", got)
	}
	// Algorithm lines referring to equations.
	var lines []string
	for _, l := range p.AlgorithmLinks {
		if len(l.Refs) > 0 {
			lines = append(lines, l.Paper+" "+l.Algorithm+":"+itoa(l.Line)+"→"+strings.Join(l.Refs, ","))
		}
	}
	want := []string{
		"2401.00001 1:3→1", "2401.00001 1:4→2", "2401.00001 1:5→3", "2401.00001 1:6→4",
		"2402.00002 1:4→3.2", "2402.00002 1:7→3.4", "2402.00002 1:10→3.5",
	}
	if !slices.Equal(lines, want) {
		t.Errorf("algorithm lines = %q, want %q", lines, want)
	}
	// The missing equation of the extension is a risk.
	found := false
	for _, r := range p.Risks {
		if r.Kind == "missing-equation" && r.Paper == "2402.00002" && len(r.Items) == 1 && strings.HasPrefix(r.Items[0], "eq:beta-schedule") {
			found = true
		}
	}
	if !found {
		t.Errorf("no risk for the missing eq:beta-schedule: %+v", p.Risks)
	}
}

func itoa(n int) string {
	b, _ := json.Marshal(n)
	return string(b)
}
