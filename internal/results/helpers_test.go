package results

import (
	"os"
	"testing"

	"github.com/reprohq/repro/doc"
	"github.com/reprohq/repro/internal/facts"
	_ "github.com/reprohq/repro/internal/golden"
	"github.com/reprohq/repro/internal/latex/reader"
	"github.com/reprohq/repro/internal/source"
)

// The tests read LaTeX as the pipeline does (the reader, then facts), but
// without importing the pipeline, which imports this package.

type bundleFiles struct{ b *source.Bundle }

func (f bundleFiles) ReadFile(name string) ([]byte, bool) { return f.b.ReadFile(name) }
func (f bundleFiles) Resolve(from, name string, exts ...string) (string, bool) {
	return f.b.Resolve(from, name, exts...)
}
func (f bundleFiles) Names() []string { return f.b.Order }

// readBundle reads a bundle into a document with its facts, without results.
func readBundle(b *source.Bundle) *doc.Document {
	d := reader.Read(bundleFiles{b}, b.Main, reader.Options{})
	facts.Extract(d)
	return d
}

// readTeX reads a one-file paper.
func readTeX(t testing.TB, tex string) *doc.Document {
	t.Helper()
	b, err := source.FromFiles(map[string][]byte{"main.tex": []byte(tex)}, "mem")
	if err != nil {
		t.Fatal(err)
	}
	return readBundle(b)
}

// readDir reads a paper's folder.
func readDir(t testing.TB, dir string) *doc.Document {
	t.Helper()
	b, err := source.Open(dir, source.Options{})
	if err != nil {
		t.Fatal(err)
	}
	return readBundle(b)
}

func mustRead(t testing.TB, path string) []byte {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return b
}
