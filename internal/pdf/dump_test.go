//go:build repro_debug

// The corpus dump for layout work, built with -tags repro_debug:
//
//	go test -tags repro_debug ./internal/pdf -run TestDumpCorpus -dump /tmp/pdfchars

package pdf

import (
	"context"
	"encoding/json"
	"flag"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/reprohq/repro/internal/golden"
)

var dumpDir = flag.String("dump", "", "write a JSON dump of every corpus paper's compiled.pdf to this `folder`")

// TestDumpCorpus writes <id>.json for every corpus paper's compiled.pdf and
// touches READY, for the layout work. It runs only with -dump.
func TestDumpCorpus(t *testing.T) {
	if *dumpDir == "" {
		t.Skip("pass -dump DIR to write the corpus dumps")
	}
	corpus := golden.CorpusDir(t)
	if err := os.MkdirAll(*dumpDir, 0o755); err != nil {
		t.Fatal(err)
	}
	pdfs, _ := filepath.Glob(filepath.Join(corpus, "*", "compiled.pdf"))
	pages, start := 0, time.Now()
	for _, path := range pdfs {
		id := filepath.Base(filepath.Dir(path))
		t0 := time.Now()
		f, err := Open(context.Background(), path, Options{})
		if err != nil {
			t.Errorf("%s: %v", id, err)
			continue
		}
		pages += len(f.Pages)
		nchars := 0
		for _, p := range f.Pages {
			nchars += len(p.Chars)
		}
		data, err := json.Marshal(f)
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(*dumpDir, id+".json"), data, 0o644); err != nil {
			t.Fatal(err)
		}
		t.Logf("%s: %d pages, %d chars, %d dests, %v, warnings %v", id, len(f.Pages), nchars, len(f.Dests), time.Since(t0).Round(time.Millisecond), f.Warnings)
	}
	t.Logf("%d pages in %v", pages, time.Since(start).Round(time.Millisecond))
	if err := os.WriteFile(filepath.Join(*dumpDir, "READY"), nil, 0o644); err != nil {
		t.Fatal(err)
	}
}
