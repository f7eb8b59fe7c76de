package pdfdoc

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/reprohq/repro/doc"
	"github.com/reprohq/repro/internal/pdf"
)

// The corpus and the character dumps (encoding/json of pdf.File, one per
// paper) are outside the repository; the tests that use them skip when
// they are absent.
const (
	csCorpusDir = "/work/shared/corpus/papers"
	csDumpDir   = "/tmp/pdfchars"
)

type csTruth struct {
	Compiled  bool     `json:"compiled"`
	Equations []string `json:"equations"`
	Sections  []struct {
		Caption string  `json:"caption"`
		Kind    string  `json:"kind"`
		Number  *string `json:"number"`
	} `json:"sections"`
}

// csLoad reads a paper's dump, or opens its compiled.pdf.
func csLoad(tb testing.TB, id string) *pdf.File {
	tb.Helper()
	if data, err := os.ReadFile(filepath.Join(csDumpDir, id+".json")); err == nil {
		var f pdf.File
		if err := json.Unmarshal(data, &f); err != nil {
			tb.Fatalf("%s: %v", id, err)
		}
		return &f
	}
	pdfPath := filepath.Join(csCorpusDir, id, "compiled.pdf")
	if _, err := os.Stat(pdfPath); err != nil {
		return nil
	}
	f, err := pdf.Open(context.Background(), pdfPath, pdf.Options{})
	if err != nil {
		tb.Logf("%s: %v", id, err)
		return nil
	}
	return f
}

var (
	csParenRE = regexp.MustCompile(`^\((.*)\)$`)
	csSpaceRE = regexp.MustCompile(`[\s$]+`)
	csMacroRE = regexp.MustCompile(`\\[a-zA-Z@]+\*?`)
	csWordRE  = regexp.MustCompile(`[^a-z0-9]+`)
)

// csNormNum is score.py's norm_num.
func csNormNum(n string) string {
	n = strings.TrimSpace(n)
	n = csParenRE.ReplaceAllString(n, "$1")
	return csSpaceRE.ReplaceAllString(n, "")
}

func csWords(t string) map[string]bool {
	t = csMacroRE.ReplaceAllString(t, " ")
	t = csWordRE.ReplaceAllString(strings.ToLower(t), " ")
	w := map[string]bool{}
	for _, f := range strings.Fields(t) {
		w[f] = true
	}
	return w
}

// csCaptionMatch is score.py's caption_match.
func csCaptionMatch(a, b string) bool {
	wa, wb := csWords(a), csWords(b)
	if len(wa) == 0 || len(wb) == 0 {
		return len(wa) == 0 && len(wb) == 0
	}
	n := 0
	for w := range wa {
		if wb[w] {
			n++
		}
	}
	return float64(n)/float64(max(len(wa), len(wb))) >= 0.5
}

type csScore struct {
	id                      string
	eqTP, eqPred, eqTrue    int
	secTP, secPred, secTrue int
	pages                   int
	ms                      float64
	missEq, extraEq         []string
	missSec                 []string
}

// csScorePaper computes score.py's equation and section numbers.
func csScorePaper(id string, tr *csTruth, d *doc.Document) csScore {
	s := csScore{id: id}
	ts, ps := map[string]bool{}, map[string]bool{}
	for _, n := range tr.Equations {
		if n := csNormNum(n); n != "" {
			ts[n] = true
		}
	}
	for _, e := range d.Equations {
		if e.Number != nil {
			if n := csNormNum(*e.Number); n != "" {
				ps[n] = true
			}
		}
	}
	for n := range ps {
		if ts[n] {
			s.eqTP++
		} else {
			s.extraEq = append(s.extraEq, n)
		}
	}
	for n := range ts {
		if !ps[n] {
			s.missEq = append(s.missEq, n)
		}
	}
	s.eqPred, s.eqTrue = len(ps), len(ts)
	type item struct{ num, cap string }
	var tsec, psec []item
	for _, x := range tr.Sections {
		if x.Number != nil && *x.Number != "" && (x.Kind == "section" || x.Kind == "subsection") {
			tsec = append(tsec, item{csNormNum(*x.Number), x.Caption})
		}
	}
	for _, x := range d.Sections {
		if x.Number != "" && (x.Level == 1 || x.Level == 2) {
			psec = append(psec, item{csNormNum(x.Number), x.Title})
		}
	}
	used := map[int]bool{}
	for _, t := range tsec {
		found := false
		for i, p := range psec {
			if used[i] || p.num != t.num || !csCaptionMatch(p.cap, t.cap) {
				continue
			}
			used[i] = true
			s.secTP++
			found = true
			break
		}
		if !found {
			s.missSec = append(s.missSec, t.num+" "+t.cap)
		}
	}
	s.secPred, s.secTrue = len(psec), len(tsec)
	sort.Strings(s.missEq)
	sort.Strings(s.extraEq)
	return s
}

func csRatio(a, b int) float64 {
	if b == 0 {
		return 1
	}
	return float64(a) / float64(b)
}

// csScores builds every corpus paper that has a dump or a PDF.
func csScores(t *testing.T) []csScore {
	if _, err := os.Stat(csCorpusDir); err != nil {
		t.Skip("corpus absent")
	}
	ents, err := os.ReadDir(csCorpusDir)
	if err != nil {
		t.Fatal(err)
	}
	var ids []string
	for _, e := range ents {
		if e.IsDir() {
			ids = append(ids, e.Name())
		}
	}
	out := make([]csScore, len(ids))
	ok := make([]bool, len(ids))
	var wg sync.WaitGroup
	sem := make(chan struct{}, 4)
	for k, id := range ids {
		wg.Add(1)
		go func() {
			defer wg.Done()
			sem <- struct{}{}
			defer func() { <-sem }()
			data, err := os.ReadFile(filepath.Join(csCorpusDir, id, "truth.json"))
			if err != nil {
				return
			}
			var tr csTruth
			if json.Unmarshal(data, &tr) != nil || !tr.Compiled {
				return
			}
			f := csLoad(t, id)
			if f == nil {
				return
			}
			if os.Getenv("PDFDOC_NODESTS") != "" {
				// How the finders do on a PDF made without hyperref.
				f.Dests = nil
			}
			t0 := time.Now()
			d := Build(f)
			ms := float64(time.Since(t0).Microseconds()) / 1000
			out[k] = csScorePaper(id, &tr, d)
			out[k].ms = ms
			out[k].pages = len(f.Pages)
			ok[k] = true
		}()
	}
	wg.Wait()
	var res []csScore
	for k := range ids {
		if ok[k] {
			res = append(res, out[k])
		}
	}
	if len(res) == 0 {
		t.Skip("no dumps and no PDF reader")
	}
	return res
}

func TestCorpusScore(t *testing.T) {
	if testing.Short() {
		t.Skip("short")
	}
	res := csScores(t)
	var b strings.Builder
	fmt.Fprintf(&b, "\n%-42s %9s %5s %5s %9s %5s %5s %6s\n", "paper", "eq", "p", "r", "sec", "p", "r", "ms/pg")
	var eTP, eP, eT, sTP, sP, sT int
	for _, s := range res {
		fmt.Fprintf(&b, "%-42s %4d/%-4d %5.2f %5.2f %4d/%-4d %5.2f %5.2f %6.2f\n", s.id, s.eqTP, s.eqTrue,
			csRatio(s.eqTP, s.eqPred), csRatio(s.eqTP, s.eqTrue), s.secTP, s.secTrue,
			csRatio(s.secTP, s.secPred), csRatio(s.secTP, s.secTrue), s.ms/float64(max(1, s.pages)))
		eTP, eP, eT = eTP+s.eqTP, eP+s.eqPred, eT+s.eqTrue
		sTP, sP, sT = sTP+s.secTP, sP+s.secPred, sT+s.secTrue
		if testing.Verbose() && os.Getenv("PDFDOC_DETAIL") != "" {
			fmt.Fprintf(&b, "    miss eq %v\n    extra eq %v\n    miss sec %q\n", s.missEq, s.extraEq, s.missSec)
		}
	}
	ep, er, sr := csRatio(eTP, eP), csRatio(eTP, eT), csRatio(sTP, sT)
	fmt.Fprintf(&b, "%-42s %4d/%-4d %5.2f %5.2f %4d/%-4d %5.2f %5.2f\n", "TOTAL", eTP, eT, ep, er, sTP, sT, csRatio(sTP, sP), sr)
	t.Log(b.String())
	const floorEqP, floorEqR, floorSecR = 0.97, 0.96, 0.93
	if os.Getenv("PDFDOC_NODESTS") != "" {
		return
	}
	if ep < floorEqP || er < floorEqR || sr < floorSecR {
		t.Errorf("corpus score below floor: eq p=%.3f r=%.3f, sec r=%.3f", ep, er, sr)
	}
}
