package pdfdoc_test

import (
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strings"
	"testing"
	"unicode"

	"github.com/reprohq/repro"
	"github.com/reprohq/repro/internal/golden"
)

// words returns the lower-cased words of four letters or more.
func words(s string) []string {
	return strings.FieldsFunc(strings.ToLower(s), func(r rune) bool { return !unicode.IsLetter(r) })
}

func longWords(s string) []string {
	var out []string
	for _, w := range words(s) {
		if len(w) >= 4 {
			out = append(out, w)
		}
	}
	return out
}

// orderFidelity measures how well got keeps ref's order: over the words
// that occur exactly once in each, the longest run of them in ref's order
// (a longest increasing subsequence) divided by their number; and how
// many of ref's unique words got has at all.
func orderFidelity(ref, got []string) (fidelity, coverage float64, anchors int) {
	count := func(ws []string) map[string]int {
		m := map[string]int{}
		for _, w := range ws {
			m[w]++
		}
		return m
	}
	rc, gc := count(ref), count(got)
	refPos := map[string]int{}
	unique := 0
	for i, w := range ref {
		if rc[w] == 1 {
			unique++
			if gc[w] == 1 {
				refPos[w] = i
			}
		}
	}
	var seq []int
	for _, w := range got {
		if p, ok := refPos[w]; ok {
			seq = append(seq, p)
		}
	}
	if len(seq) == 0 || unique == 0 {
		return 0, 0, 0
	}
	// patience sorting
	var tails []int
	for _, x := range seq {
		i := sort.SearchInts(tails, x)
		if i == len(tails) {
			tails = append(tails, x)
		} else {
			tails[i] = x
		}
	}
	return float64(len(tails)) / float64(len(seq)), float64(len(seq)) / float64(unique), len(seq)
}

// TestReadingOrder compares the reading order of the PDF reader's body
// text, and of poppler's pdftotext -raw, with the order of the paper's
// LaTeX source (its paragraphs as the LaTeX reader records them): the
// share of the words found once in both that keep the source's order.
func TestReadingOrder(t *testing.T) {
	corpus := golden.CorpusDir(t)
	pdftotext, err := exec.LookPath("pdftotext")
	if err != nil {
		t.Skip("no pdftotext (Debian's poppler-utils) to compare with")
	}
	entries, err := os.ReadDir(corpus)
	if err != nil {
		t.Fatal(err)
	}
	var sumOurs, sumPop, sumCovO, sumCovP float64
	n := 0
	for _, e := range entries {
		dir := filepath.Join(corpus, e.Name())
		pdf := filepath.Join(dir, "compiled.pdf")
		if _, err := os.Stat(pdf); err != nil {
			continue
		}
		ref, err := repro.Extract(context.Background(), dir, repro.Options{})
		if err != nil {
			t.Errorf("%s: LaTeX: %v", e.Name(), err)
			continue
		}
		var rb strings.Builder
		for _, p := range ref.Text {
			rb.WriteString(p.Text + "\n")
		}
		got, err := repro.Extract(context.Background(), pdf, repro.Options{})
		if err != nil {
			t.Errorf("%s: PDF: %v", e.Name(), err)
			continue
		}
		var gb strings.Builder
		for _, p := range got.Text {
			gb.WriteString(p.Text + "\n")
		}
		out, err := exec.Command(pdftotext, "-raw", "-enc", "UTF-8", pdf, "-").Output()
		if err != nil {
			t.Errorf("%s: pdftotext: %v", e.Name(), err)
			continue
		}
		refW := longWords(rb.String())
		fo, co, ao := orderFidelity(refW, longWords(gb.String()))
		fp, cp, ap := orderFidelity(refW, longWords(string(out)))
		t.Logf("%-40s ours: order %.3f (%4d anchors, coverage %.2f)   pdftotext -raw: order %.3f (%4d anchors, coverage %.2f)", e.Name(), fo, ao, co, fp, ap, cp)
		sumOurs += fo
		sumPop += fp
		sumCovO += co
		sumCovP += cp
		n++
	}
	if n == 0 {
		t.Skip("no compiled.pdf in the corpus")
	}
	mo, mp := sumOurs/float64(n), sumPop/float64(n)
	t.Logf("mean over %d papers: ours order %.3f coverage %.2f; pdftotext -raw order %.3f coverage %.2f", n, mo, sumCovO/float64(n), mp, sumCovP/float64(n))
	if mo < 0.85 {
		t.Errorf("reading order fidelity %.3f is below 0.85", mo)
	}
}

func TestOrderFidelity(t *testing.T) {
	ref := longWords("alpha bravo charlie delta echo foxtrot")
	tests := []struct {
		got  string
		want float64
	}{
		{"alpha bravo charlie delta echo foxtrot", 1},
		{"delta echo foxtrot alpha bravo charlie", 0.5},
		{"foxtrot echo delta charlie bravo alpha", 1.0 / 6},
	}
	for _, tc := range tests {
		if f, _, _ := orderFidelity(ref, longWords(tc.got)); f != tc.want {
			t.Errorf("%q: fidelity %v, want %v", tc.got, f, tc.want)
		}
	}
}
