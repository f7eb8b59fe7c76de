package markdown

import (
	"regexp"
	"strconv"
	"strings"

	"github.com/reprohq/repro/doc"
	"github.com/reprohq/repro/internal/sentence"
)

var (
	// eqRefRE matches a mention of equations in prose: "Eq. (3)",
	// "Eqs. (3) and (4)", "Equation 2.1", "equations (1)–(2)".
	eqRefRE = regexp.MustCompile(`(?i)\b(?:eqs?\.|eqn\.|equations?)\s*((?:\(\s*[0-9A-Z][0-9.]*[a-z]?\s*\)|[0-9A-Z][0-9.]*[0-9a-z]?)(?:\s*(?:,|and|&|–|-|to)\s*(?:\(\s*[0-9A-Z][0-9.]*[a-z]?\s*\)|[0-9][0-9.]*[0-9a-z]?)){0,5})`)
	eqNumRE = regexp.MustCompile(`[0-9A-Z][0-9.]*[0-9a-z]?|[0-9]`)
	// citeRE matches a numeric citation: "[3]", "[1, 4]", "[2–5]".
	citeRE = regexp.MustCompile(`\[(\d{1,3}(?:\s*[,;–-]\s*\d{1,3}){0,20})\]`)
)

// crossRefs fills Equation.ReferencedIn from the prose's mentions of
// equation numbers and Reference.Cited and CitedIn from numeric citations
// whose number is a reference's label.
func (p *parser) crossRefs() {
	eqs := map[string][]int{}
	for i, e := range p.d.Equations {
		if e.Number != nil {
			eqs[*e.Number] = append(eqs[*e.Number], i)
		}
	}
	refs := map[string]int{}
	for i, r := range p.d.References {
		if _, err := strconv.Atoi(r.Key); err == nil {
			refs[r.Key] = i
		}
	}
	if len(eqs) == 0 && len(refs) == 0 {
		return
	}
	for _, para := range p.d.Text {
		s := para.Text
		if len(eqs) > 0 && containsFoldEq(s) {
			for _, m := range eqRefRE.FindAllStringSubmatchIndex(s, -1) {
				seen := map[int]bool{}
				for _, num := range eqNumRE.FindAllString(s[m[2]:m[3]], -1) {
					for _, i := range eqs[strings.TrimRight(num, ".")] {
						if seen[i] {
							continue
						}
						seen[i] = true
						e := &p.d.Equations[i]
						e.ReferencedIn = append(e.ReferencedIn, doc.Ref{Section: para.Section, Command: "text", File: para.File, Line: para.Line, Text: sentenceAt(s, m[0])})
					}
				}
			}
		}
		if len(refs) > 0 && strings.IndexByte(s, '[') >= 0 {
			for _, m := range citeRE.FindAllStringSubmatch(s, -1) {
				// Every number must be a reference: "[0, 1]" is an interval.
				var idx []int
				for _, key := range citeKeys(m[1]) {
					i, ok := refs[key]
					if !ok {
						idx = nil
						break
					}
					idx = append(idx, i)
				}
				for _, i := range idx {
					r := &p.d.References[i]
					r.Cited++
					if !contains(r.CitedIn, para.Section) {
						r.CitedIn = append(r.CitedIn, para.Section)
					}
				}
			}
		}
	}
}

func containsFoldEq(s string) bool {
	return strings.Contains(s, "Eq") || strings.Contains(s, "eq") || strings.Contains(s, "EQ")
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

// citeKeys expands the numbers of a citation, ranges included ("2–5"),
// to at most 50 keys.
func citeKeys(s string) []string {
	var keys []string
	for _, part := range strings.FieldsFunc(s, func(r rune) bool { return r == ',' || r == ';' }) {
		part = strings.TrimSpace(part)
		lo, hi, isRange := strings.Cut(part, "–")
		if !isRange {
			lo, hi, isRange = strings.Cut(part, "-")
		}
		a, err := strconv.Atoi(strings.TrimSpace(lo))
		if err != nil {
			continue
		}
		b := a
		if isRange {
			if v, err := strconv.Atoi(strings.TrimSpace(hi)); err == nil && v >= a && v-a < 50 {
				b = v
			}
		}
		for k := a; k <= b && len(keys) < 50; k++ {
			keys = append(keys, strconv.Itoa(k))
		}
	}
	return keys
}

// sentenceAt returns the sentence of s around byte i, at most about 600
// bytes of it.
func sentenceAt(s string, i int) string {
	start := max(0, i-300)
	for j := i - 1; j > start; j-- {
		if (s[j] == '.' || s[j] == '?' || s[j] == '!') && j+1 < len(s) && s[j+1] == ' ' && !sentence.AbbrevBefore(s[:j]) {
			start = j + 2
			break
		}
	}
	for start < len(s) && start > 0 && s[start]&0xC0 == 0x80 {
		start++
	}
	end := min(len(s), i+300)
	for j := i; j < end; j++ {
		if (s[j] == '.' || s[j] == '?' || s[j] == '!') && (j+1 == len(s) || s[j+1] == ' ') && !sentence.AbbrevBefore(s[:j]) {
			end = j + 1
			break
		}
	}
	for end < len(s) && end > start && s[end]&0xC0 == 0x80 {
		end--
	}
	return clip(s[start:end])
}
