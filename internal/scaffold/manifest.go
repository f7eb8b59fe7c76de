package scaffold

import (
	"bytes"
	"os"
	"path/filepath"

	proj "github.com/reprohq/repro/internal/project"
)

// manifest is the project's description for the commands that work on it
// later (repro check, repro bench, the agents): which function and test
// belong to each numbered equation and algorithm.
func manifest(pr *project) *proj.Manifest {
	m := &proj.Manifest{
		Version:    proj.Version,
		Generator:  pr.Generator,
		Packages:   pr.Packages,
		Papers:     []proj.Paper{},
		Equations:  []proj.Item{},
		Algorithms: []proj.Item{},
	}
	for _, pa := range pr.Papers {
		m.Papers = append(m.Papers, proj.Paper{ID: pa.FileID, Title: pa.Title, ArxivID: pa.ArxivID, Package: pa.Package})
		for _, e := range pa.Equations {
			if e.Func == "" || e.Comp == nil {
				continue
			}
			m.Equations = append(m.Equations, proj.Item{Paper: pa.FileID, Number: e.Key, Label: e.Label, Func: e.Func, Module: e.Comp.Path, Test: e.Test})
		}
		for _, a := range pa.Algorithms {
			if a.Func == "" || a.Comp == nil {
				continue
			}
			m.Algorithms = append(m.Algorithms, proj.Item{Paper: pa.FileID, Number: a.Key, Label: a.Label, Func: a.Func, Module: a.Comp.Path, Test: a.Test})
		}
	}
	return m
}

// writeManifest writes .repro/project.json unless it already holds the
// same description, keeping the interpreter the user chose there; it
// reports whether it wrote.
func writeManifest(out string, m *proj.Manifest) (bool, error) {
	if old, err := proj.Load(out); err == nil && m.Python == "" {
		m.Python = old.Python
	}
	cur, _ := os.ReadFile(filepath.Join(out, filepath.FromSlash(proj.File)))
	if bytes.Equal(cur, m.Marshal()) {
		return false, nil
	}
	return true, proj.Write(out, m)
}
