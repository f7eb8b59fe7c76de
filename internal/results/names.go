package results

import (
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/reprohq/repro/doc"
)

// A name is a candidate name of the paper's own method.
type name struct {
	text  string // as the paper writes it
	lower string
	// weak names come from section headings and the title outside its
	// "Name:" prefix; they are used only in tables where no other sign of
	// the paper's method is found, for lines whose numbers are mostly bold.
	weak bool
}

// MethodNames returns the names the paper gives its own method, most
// certain first: the name before the title's colon ("TinyFormer: ..."),
// names that the abstract and the text introduce ("we propose X", "called
// X", "Long Name (LN)"), the names in the paper's algorithm captions and in
// macros such as \method; then weaker signs (name-like words of the
// method's section headings and of the title).
func MethodNames(d *doc.Document) []string {
	var out []string
	for _, n := range methodNames(d) {
		out = append(out, n.text)
	}
	return out
}

func methodNames(d *doc.Document) []name {
	var strong, weak []string
	// The title: "Name: what it does".
	title := Printed(d.Title)
	if i := strings.IndexByte(title, ':'); i > 0 {
		head := strings.TrimSpace(title[:i])
		words := strings.Fields(head)
		switch {
		case len(words) == 1 && startsUpper(words[0]):
			strong = append(strong, trimToken(words[0]))
		case len(words) <= 3:
			// "Sparse GateNorm: ...": the whole prefix, when a word of it
			// is a coined name (not GateNorm alone, the method it extends).
			for _, w := range words {
				if nameLike(trimToken(w)) {
					strong = append(strong, strings.Join(words, " "))
					break
				}
			}
		}
		title = title[i+1:]
	}
	for _, w := range strings.Fields(title) {
		if w = trimToken(w); nameLike(w) {
			weak = append(weak, w)
		}
	}
	// The abstract and the prose of the introduction and the method (not
	// related work, background, experiments or appendices).
	strong = append(strong, namesInText(d.Abstract)...)
	skip := skippedSections(d.Sections)
	for i := range d.Text {
		p := &d.Text[i]
		if skip[p.Section] {
			continue
		}
		strong = append(strong, namesInText(p.Text)...)
	}
	// Algorithm captions: "SimPLe", "LAX: ...", "Pseudocode for SimPLe",
	// "Training ... with DDS".
	for _, a := range d.Algorithms {
		strong = append(strong, namesInCaption(Printed(a.Caption))...)
	}
	// Macros: \method → GateNet.
	for _, m := range d.Macros {
		if m.Params != 0 {
			continue
		}
		if len(m.Body) > 80 || !methodMacro(lowerASCII(strings.TrimPrefix(m.Name, `\`))) {
			continue
		}
		body := strings.TrimSpace(Printed(strings.ReplaceAll(m.Body, `\xspace`, "")))
		if body == "" || strings.ContainsAny(body, " \\") {
			continue
		}
		if nameLike(body) || (startsUpper(body) && plainWord(body)) {
			strong = append(strong, body)
		}
	}
	// Section headings of the method's part.
	for _, s := range d.Sections {
		if s.Appendix || skipHeading(lowerASCII(s.Title)) || allUpper(s.Title) {
			continue // an all-capitals heading is a style, not a name
		}
		words := strings.Fields(Printed(s.Title))
		for k, w := range words {
			w = trimToken(w)
			if !nameLike(w) {
				continue
			}
			// "BOUNDING THE ERROR": capitals as a style, not a name.
			if allUpper(w) && ((k > 0 && allUpper(trimToken(words[k-1]))) || (k+1 < len(words) && allUpper(trimToken(words[k+1])))) {
				continue
			}
			weak = append(weak, w)
		}
	}
	return cleanNames(d, strong, weak)
}

// cleanNames drops common acronyms and the names of the paper's data sets
// and metrics, and keeps each name once (strong before weak).
func cleanNames(d *doc.Document, strong, weak []string) []name {
	bad := map[string]bool{}
	for _, ds := range d.Datasets {
		bad[norm(ds.Name)] = true
	}
	for _, m := range d.Metrics {
		bad[norm(m.Name)] = true
	}
	seen := map[string]bool{}
	var out []name
	add := func(list []string, isWeak bool) {
		for _, s := range list {
			s = trimToken(s)
			lower := lowerASCII(s)
			n := norm(s)
			if len(n) < 2 || (len(n) < 3 && !allUpper(s)) || commonNames[lower] || commonNames[strings.TrimSuffix(lower, "s")] ||
				bad[n] || seen[lower] {
				continue
			}
			if m := findMetric(s, lower); m.ok && len(m.word) == len(s) {
				continue
			}
			if containsDataset(lower, d.Datasets) {
				continue // "MNIST-13k"
			}
			seen[lower] = true
			out = append(out, name{text: s, lower: lower, weak: isWeak})
		}
	}
	add(strong, false)
	add(weak, true)
	return out
}

// skippedSections are the sections whose prose is not read for names:
// other work (a "we propose" there is not this paper's), and the
// experiments, discussion and appendices, which name what the
// introduction and the method have introduced.
func skippedSections(secs []doc.Section) map[string]bool {
	skip := map[string]bool{}
	for _, s := range secs {
		if s.Appendix {
			skip[s.Number] = true
			continue
		}
		t := lowerASCII(s.Title)
		for _, w := range []string{"related", "background", "prior work", "previous work", "literature", "preliminar",
			"acknowledg", "experiment", "result", "evaluation", "ablation", "discussion", "conclusion", "limitation",
			"broader impact", "checklist"} {
			if strings.Contains(t, w) {
				skip[s.Number] = true
			}
		}
	}
	return skip
}

// skipHeading reports whether a heading is about something other than the
// paper's method (its experiments, other work, proofs).
func skipHeading(lower string) bool {
	for _, w := range []string{"related", "background", "prelim", "experiment", "result", "evaluat", "discussion",
		"conclusion", "comparison", "compar", "baseline", "appendix", "proof", "ablation", "limitation", "future",
		"introduction", "overview", "review", "setup", "dataset", "benchmark", "acknowledg", "reference"} {
		if strings.Contains(lower, w) {
			return true
		}
	}
	return false
}

// methodMacro reports whether a macro's name says it holds the method's name.
func methodMacro(lower string) bool {
	for _, w := range []string{"method", "model", "ours", "ourname", "algo", "approach", "framework", "proposed", "sysname", "toolname", "modelname", "methodname"} {
		if strings.Contains(lower, w) {
			return true
		}
	}
	return lower == "name" || lower == "sys" || lower == "system" || lower == "tool"
}

// leadWords may come between a cue verb and the name: "we propose a new
// model, X", "we call this approach X".
var leadWords = map[string]bool{"the": true, "a": true, "an": true, "new": true, "novel": true, "our": true,
	"here": true, "it": true, "this": true, "as": true, "them": true, "simple": true, "method": true,
	"approach": true, "model": true, "algorithm": true, "framework": true, "procedure": true,
	"estimator": true, "architecture": true, "system": true, "technique": true}

// stopTokens end the phrase after a cue verb.
var stopTokens = map[string]bool{"which": true, "that": true, "where": true, "using": true, "based": true,
	"extends": true, "extending": true, "from": true, "than": true, "over": true, "compared": true, "like": true,
	"such": true, "e.g.": true, "i.e.": true, "whose": true, "while": true, "and": true, "to": true, "by": true,
	"on": true, "in": true}

// namesInText finds the names a text introduces for its authors' method:
// "we propose X", "this paper introduces Long Name (LN)", "an approach
// called X", "our proposed X algorithm". A sentence must speak of its
// authors ("we", "our", "this paper", "this work", "here").
func namesInText(s string) []string {
	var out []string
	// One pass over the words, looking for the cue verbs.
	for i := 0; i < len(s); {
		if !wordBytes[s[i]] {
			i++
			continue
		}
		j := i
		for j < len(s) && wordBytes[s[j]] {
			j++
		}
		word, at := s[i:j], i
		i = j
		if !isCue(word) {
			continue
		}
		before := lowerASCII(s[sentenceStart(s, at):at])
		if !containsWord(before, "we") && !containsWord(before, "our") && !strings.Contains(before, "this paper") &&
			!strings.Contains(before, "this work") && !containsWord(before, "here") {
			continue
		}
		for _, n := range namesAfter(s[j:sentenceEnd(s, j)]) {
			out = appendOnce(out, n)
		}
	}
	return out
}

// wordBytes are the bytes of words (see isWordByte).
var wordBytes = func() (t [256]bool) {
	for c := range 256 {
		t[c] = isWordByte(byte(c))
	}
	return t
}()

// isCue reports whether a word is one of the verbs that introduce the
// paper's method ("we propose X", "called X"), in any case.
func isCue(w string) bool {
	if len(w) < 3 || len(w) > 10 {
		return false
	}
	switch w[0] | 0x20 {
	case 'p', 'i', 'd', 'c', 't', 'n':
	default:
		return false
	}
	switch lowerASCII(w) {
	case "propose", "proposes", "proposed", "introduce", "introduces", "present", "presents",
		"describe", "describes", "develop", "develops", "call", "called", "term", "termed", "dub", "dubbed",
		"name", "named", "coin", "coined":
		return true
	}
	return false
}

// sentenceStart is the index where the sentence holding i starts.
func sentenceStart(s string, i int) int {
	for j := i - 1; j > 0; j-- {
		if (s[j] == '.' || s[j] == '!' || s[j] == '?' || s[j] == ';') && j+1 < len(s) && s[j+1] == ' ' {
			return j + 1
		}
	}
	return 0
}

// sentenceEnd is the index where the sentence holding i ends (at most 300
// bytes on).
func sentenceEnd(s string, i int) int {
	limit := min(len(s), i+300)
	for j := i; j < limit; j++ {
		if (s[j] == '.' || s[j] == '!' || s[j] == '?' || s[j] == ';') && (j+1 == len(s) || s[j+1] == ' ') {
			return j
		}
	}
	for limit < len(s) && !utf8.RuneStart(s[limit]) {
		limit++
	}
	return limit
}

// namesAfter reads the words after a cue verb: the first word when it is
// a name ("DataComp", "the TUDataset") or a capitalised word that ends
// the phrase ("we present Muse, a ...", "called Muse."), and a name-like
// word in parentheses ("Simulated Policy Learning (SimPLe)").
func namesAfter(rest string) []string {
	words := strings.Fields(rest)
	if len(words) > 12 {
		words = words[:12]
	}
	var out []string
	first := true
	for k, w := range words {
		lw := lowerASCII(trimToken(w))
		if first && leadWords[lw] {
			continue
		}
		tok := trimToken(w)
		if strings.HasPrefix(w, "(") {
			if nameLike(tok) {
				out = append(out, tok)
			}
			break
		}
		if first {
			first = false
			ends := strings.HasSuffix(w, ",") || strings.HasSuffix(w, ":") || k == len(words)-1 ||
				(k+1 < len(words) && strings.HasPrefix(words[k+1], "("))
			switch {
			case nameLike(tok):
				out = append(out, tok)
				continue
			case startsUpper(tok) && ends && plainWord(tok) && len(tok) > 2:
				out = append(out, tok)
				continue
			}
		}
		if stopTokens[lw] || strings.HasSuffix(w, ",") || strings.HasSuffix(w, ";") {
			break
		}
	}
	return out
}

// namesInCaption reads an algorithm caption: its first word when it is a
// name ("SimPLe", "LAX: ...", "DCEM(...)"), and a name after "for", "with",
// "of", "using", "via" ("Pseudocode for SimPLe", "Training with DDS").
func namesInCaption(c string) []string {
	words := strings.Fields(c)
	var out []string
	for k, w := range words {
		if i := strings.IndexByte(w, '('); i > 0 {
			w = w[:i]
		}
		tok := trimToken(w)
		if k == 0 {
			if nameLike(tok) || (len(words) == 1 && startsUpper(tok) && len(tok) > 2) {
				out = append(out, tok)
			}
			continue
		}
		switch lowerASCII(words[k-1]) {
		case "for", "with", "of", "using", "via", "by":
			if nameLike(tok) {
				out = append(out, tok)
			}
		}
	}
	return out
}

// trimToken strips the punctuation around a word.
func trimToken(s string) string {
	return strings.TrimFunc(s, func(r rune) bool {
		return !(unicode.IsLetter(r) || unicode.IsDigit(r)) && r != '+'
	})
}

// nameLike reports whether a word looks like a coined name: an upper-case
// letter inside a word part (TinyFormer, SimPLe, GCRN, MH-GAN, DDS,
// MHminibatch), not a hyphenated pair of ordinary words
// (Metropolis-Hastings). It starts with a letter and is a single word.
func nameLike(s string) bool {
	if len(s) < 2 || len(s) > 40 {
		return false
	}
	r0, _ := utf8.DecodeRuneInString(s)
	if !unicode.IsLetter(r0) {
		return false
	}
	inner, letters := 0, 0
	prevLetter := false
	for _, r := range s {
		switch {
		case unicode.IsLetter(r):
			letters++
			if prevLetter && unicode.IsUpper(r) {
				inner++
			}
			prevLetter = true
		case unicode.IsDigit(r) || r == '-' || r == '+' || r == '.' || r == '/':
			prevLetter = false
		default:
			return false
		}
	}
	return inner > 0 && letters >= 2
}

// plainWord reports whether s is made of letters, digits and hyphens.
func plainWord(s string) bool {
	for _, r := range s {
		if !unicode.IsLetter(r) && !unicode.IsDigit(r) && r != '-' {
			return false
		}
	}
	return s != ""
}

func startsUpper(s string) bool {
	r, _ := utf8.DecodeRuneInString(s)
	return unicode.IsUpper(r)
}

func allUpper(s string) bool {
	has := false
	for _, r := range s {
		if unicode.IsLower(r) {
			return false
		}
		has = has || unicode.IsUpper(r)
	}
	return has
}

// matchName reports whether a label names one of the candidate names, as a
// word or a prefix ("TinyFormer", "TinyFormer-S", "TinyFormer (ours)",
// "TCS+DDS"), and returns it.
func matchName(lower string, names []name, weak bool) (name, bool) {
	for _, n := range names {
		if n.weak != weak {
			continue
		}
		if wordIndex(lower, n.lower, false) >= 0 {
			return n, true
		}
	}
	return name{}, false
}

// containsDataset reports whether a lower-case name holds the name of one
// of the paper's data sets as a word.
func containsDataset(lower string, ds []doc.Dataset) bool {
	for _, x := range ds {
		if l := lowerASCII(x.Name); len(l) > 2 && wordIndex(lower, l, false) >= 0 {
			return true
		}
	}
	return false
}
