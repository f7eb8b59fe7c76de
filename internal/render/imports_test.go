package render

import (
	"go/parser"
	"go/token"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
)

// TestImports enforces the rule of ARCHITECTURE.md: renderers see only the
// document model. Besides the standard library, render may import doc and
// nothing else of the module (not the LaTeX engine, not the root package).
func TestImports(t *testing.T) {
	files, err := filepath.Glob("*.go")
	if err != nil {
		t.Fatal(err)
	}
	const module = "github.com/reprohq/repro"
	for _, name := range files {
		if strings.HasSuffix(name, "_test.go") {
			continue
		}
		f, err := parser.ParseFile(token.NewFileSet(), name, nil, parser.ImportsOnly)
		if err != nil {
			t.Fatal(err)
		}
		for _, imp := range f.Imports {
			path, _ := strconv.Unquote(imp.Path.Value)
			first, _, _ := strings.Cut(path, "/")
			switch {
			case path == module+"/doc":
			case strings.HasPrefix(path, module):
				t.Errorf("%s imports %s; render may import only doc from the module", name, path)
			case strings.Contains(first, "."):
				t.Errorf("%s imports %s; render uses only the standard library", name, path)
			}
		}
	}
}
