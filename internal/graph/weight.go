package graph

import (
	"math"
	"strings"

	"github.com/reprohq/repro/doc"
)

// Section weights: how much one citation counts, by the kind of section it
// is in.
const (
	// WeightCore is for sections about the method or its evaluation:
	// method, approach, model, algorithm, architecture, experiments,
	// results, evaluation, training, implementation, ablations.
	WeightCore = 2.0
	// WeightContext is for the introduction, related work, background,
	// preliminaries and motivation.
	WeightContext = 0.5
	// WeightOther is for every other section, and for citations whose
	// section is unknown or unnumbered.
	WeightOther = 1.0
	// WeightListed is the weight of a reference that is in the
	// bibliography but never cited in the text.
	WeightListed = 0.25
)

// coreWords and contextWords are word prefixes of section titles, lower
// case; core is tried first.
var (
	coreWords = []string{
		"method", "approach", "model", "algorithm", "architecture", "experiment",
		"result", "evaluation", "training", "implementation", "ablation",
		"formulation", "procedure", "framework", "technique",
	}
	contextWords = []string{
		"introduction", "related", "background", "prior", "previous", "preliminar",
		"motivation", "literature", "overview",
	}
)

// SectionWeight returns the weight of one citation in a section with the
// given title: WeightCore, WeightContext or WeightOther. A title word
// counts when it starts with one of the key words, so "Experimental setup"
// and "Models" are core sections.
func SectionWeight(title string) float64 {
	words := strings.FieldsFunc(strings.ToLower(title), func(r rune) bool {
		return !('a' <= r && r <= 'z')
	})
	has := func(keys []string) bool {
		for _, w := range words {
			for _, k := range keys {
				if strings.HasPrefix(w, k) {
					return true
				}
			}
		}
		return false
	}
	switch {
	case has(coreWords):
		return WeightCore
	case has(contextWords):
		return WeightContext
	}
	return WeightOther
}

// Weight returns how much the paper d relies on its reference r: the sum,
// over the sections r is cited in, of the section's weight (SectionWeight of
// the title of its top-level section) times the number of citations per
// section (r.Cited spread evenly over r.CitedIn, which lists each section
// once); a section named after the method, holding equations or
// algorithms, counts as a core section. A reference that is never cited
// weighs WeightListed. The result is
// rounded to two decimals.
func Weight(d *doc.Document, r doc.Reference) float64 {
	if len(r.CitedIn) == 0 {
		if r.Cited > 0 {
			return round2(float64(r.Cited) * WeightOther)
		}
		return WeightListed
	}
	per := float64(max(r.Cited, len(r.CitedIn))) / float64(len(r.CitedIn))
	sum := 0.0
	for _, s := range r.CitedIn {
		sum += sectionWeight(d, s) * per
	}
	return round2(sum)
}

// sectionWeight is the weight of a citation in the section numbered num of
// d, judged by the title of its top-level section. A section whose title
// says nothing (WeightOther) but that holds equations or algorithms, such as
// a method section named after the method, is a core section.
func sectionWeight(d *doc.Document, num string) float64 {
	top, _, _ := strings.Cut(num, ".")
	if top == "" || d == nil {
		return WeightOther
	}
	for _, s := range d.Sections {
		if s.Number != top {
			continue
		}
		w := SectionWeight(s.Title)
		if w == WeightOther && holdsMath(d, top) {
			w = WeightCore
		}
		return w
	}
	return WeightOther
}

// holdsMath says whether the top-level section top of d holds an equation
// or an algorithm.
func holdsMath(d *doc.Document, top string) bool {
	in := func(s string) bool { t, _, _ := strings.Cut(s, "."); return t == top }
	for _, e := range d.Equations {
		if in(e.Section) {
			return true
		}
	}
	for _, a := range d.Algorithms {
		if in(a.Section) {
			return true
		}
	}
	return false
}

func round2(x float64) float64 { return math.Round(x*100) / 100 }
