package golden

import (
	"os"
	"path/filepath"
	"testing"
)

// CorpusDir returns the folder of the shared paper corpus
// (../shared/corpus/papers beside the module's root, wherever the checkout
// is), or skips the test when it is absent.
func CorpusDir(t testing.TB) string {
	t.Helper()
	dir, err := os.Getwd()
	if err != nil {
		t.Skipf("corpus not found: %v", err)
	}
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			break
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			t.Skip("corpus not found: no go.mod above the test's folder")
		}
		dir = parent
	}
	corpus := filepath.Join(dir, "..", "shared", "corpus", "papers")
	if _, err := os.Stat(corpus); err != nil {
		t.Skipf("corpus not present: %s", corpus)
	}
	return corpus
}

// CorpusTeX returns the .tex files of the corpus, sorted, or skips.
func CorpusTeX(t testing.TB) []string {
	t.Helper()
	var files []string
	err := filepath.WalkDir(CorpusDir(t), func(path string, d os.DirEntry, err error) error {
		if err == nil && !d.IsDir() && filepath.Ext(path) == ".tex" {
			files = append(files, path)
		}
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return files
}
