package bib

import (
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/reprohq/repro/internal/golden"
)

var bblItemRE = regexp.MustCompile(`(?m)^[^%\n]*\\(bibitem|entry)([^a-zA-Z]|$)`)

// TestCorpus parses every .bib and .bbl file of the local corpus, checking
// that nothing panics and that ParseBbl finds as many references as the file
// has \bibitem or \entry lines. Run with -v to see the counts.
func TestCorpus(t *testing.T) {
	corpusDir := golden.CorpusDir(t)
	bibs, _ := filepath.Glob(filepath.Join(corpusDir, "*", "*.bib"))
	bbls, _ := filepath.Glob(filepath.Join(corpusDir, "*", "*.bbl"))
	var nEntries, nWarn, nArxiv, nDOI, nTitle, nAuthors int
	for _, path := range bibs {
		src, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		entries, warns := ParseBib(path, src)
		refs := References(entries)
		nEntries += len(entries)
		nWarn += len(warns)
		for _, w := range warns {
			t.Logf("%s:%d: %s", filepath.Base(w.File), w.Line, w.Message)
		}
		for _, r := range refs {
			if r.ArxivID != "" {
				nArxiv++
			}
			if r.DOI != "" {
				nDOI++
			}
			if r.Title != "" {
				nTitle++
			}
			if len(r.Authors) > 0 {
				nAuthors++
			}
		}
	}
	t.Logf("bib: %d files, %d entries, %d warnings, %d titled, %d with authors, %d arXiv ids, %d DOIs",
		len(bibs), nEntries, nWarn, nTitle, nAuthors, nArxiv, nDOI)

	for _, path := range bbls {
		src, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		refs, warns := ParseBbl(path, src)
		want := len(bblItemRE.FindAll(src, -1))
		var title, authors, year, arxiv, doi int
		for _, r := range refs {
			if r.Title != "" {
				title++
			}
			if len(r.Authors) > 0 {
				authors++
			}
			if r.Year != "" {
				year++
			}
			if r.ArxivID != "" {
				arxiv++
			}
			if r.DOI != "" {
				doi++
			}
		}
		rel := strings.TrimPrefix(path, corpusDir+"/")
		t.Logf("bbl %s: %d references (%d \\bibitem/\\entry lines), %d warnings; %d titled, %d with authors, %d with year, %d arXiv ids, %d DOIs",
			rel, len(refs), want, len(warns), title, authors, year, arxiv, doi)
		if len(refs) != want {
			t.Errorf("%s: ParseBbl found %d references, the file has %d \\bibitem/\\entry lines", rel, len(refs), want)
		}
	}
}
