package pdfdoc

import (
	"sort"
	"strings"

	"github.com/reprohq/repro/internal/pdf"
)

// destRef is a hyperref named destination of a kind the finders use.
type destRef struct {
	Kind   string // section, subsection, subsubsection, appendix, equation, AMS
	Number string // the counter value the name carries ("3.2", "A", "5a")
	Page   int
	X, Y   float64
	HasXY  bool
}

// destsOf returns the named destinations whose names start with one of the
// kinds ("section.3.2", "equation.4"), in page and y order. hyperref's
// names carry \theH<counter>, which is the printed number for sections and
// most equations.
func destsOf(ds []pdf.Dest, kinds ...string) []destRef {
	var out []destRef
	for _, d := range ds {
		k, num, ok := strings.Cut(d.Name, ".")
		if !ok || num == "" || d.Page <= 0 {
			continue
		}
		for _, want := range kinds {
			if k == want {
				out = append(out, destRef{Kind: k, Number: num, Page: d.Page, X: d.X, Y: d.Y, HasXY: d.HasXY})
				break
			}
		}
	}
	sort.SliceStable(out, func(i, j int) bool {
		if out[i].Page != out[j].Page {
			return out[i].Page < out[j].Page
		}
		return out[i].Y < out[j].Y
	})
	return out
}
