package facts

import (
	"strings"
)

// nameEntry is a data set or metric name with the ways papers write it.
type nameEntry struct {
	canon   string
	aliases [][]string // each alias as lower-case words, as lex splits them
	texts   [][]string // each alias's words as written
	exact   []bool     // the alias must match with its case (an English word otherwise)
	gate    []string   // words one of which the paper must contain (Atari games need "Atari")
	hib     *bool      // metrics: whether higher is better
	context bool       // metrics: needs a reporting verb nearby ("we report precision")
	// tableOnly metrics count only in a table's caption or header.
	tableOnly bool
}

// nameMatcher finds the entries' aliases in a sentence's tokens.
type nameMatcher struct {
	entries []nameEntry
	first   map[string][]aliasRef
}

type aliasRef struct {
	entry int
	alias int
}

// newMatcher builds a matcher from lines "Canonical|alias|!Alias|...":
// the canonical name is an alias too, unless written "=Canonical"; a
// leading '!' makes an alias case-sensitive.
func newMatcher(lines []string, gate []string) *nameMatcher {
	m := &nameMatcher{first: map[string][]aliasRef{}}
	for _, line := range lines {
		fields := strings.Split(line, "|")
		e := nameEntry{canon: strings.TrimLeft(fields[0], "!="), gate: gate}
		if strings.HasPrefix(fields[0], "=") {
			fields = fields[1:] // a canonical name only, not an alias
		}
		for _, a := range fields {
			exact := strings.HasPrefix(a, "!")
			a = strings.TrimPrefix(a, "!")
			if a == "" {
				continue
			}
			var words []string
			var texts []string
			for _, t := range lex(a) {
				words = append(words, t.low)
				texts = append(texts, t.text)
			}
			if len(words) == 0 {
				continue
			}
			e.aliases = append(e.aliases, words)
			e.texts = append(e.texts, texts)
			e.exact = append(e.exact, exact)
		}
		m.entries = append(m.entries, e)
	}
	m.index()
	return m
}

func (m *nameMatcher) index() {
	m.first = map[string][]aliasRef{}
	for i, e := range m.entries {
		for j, a := range e.aliases {
			k := strings.ToLower(a[0])
			m.first[k] = append(m.first[k], aliasRef{entry: i, alias: j})
		}
	}
	for k := range m.first {
		refs := m.first[k]
		// Longest alias first.
		for a := 1; a < len(refs); a++ {
			for b := a; b > 0 && len(m.entries[refs[b].entry].aliases[refs[b].alias]) > len(m.entries[refs[b-1].entry].aliases[refs[b-1].alias]); b-- {
				refs[b], refs[b-1] = refs[b-1], refs[b]
			}
		}
	}
}

// match is one name found in a sentence.
type match struct {
	entry    int
	from, to int // tokens
}

// find returns the entries named in toks, longest alias first, without
// overlaps.
func (m *nameMatcher) find(toks []token) []match {
	var out []match
	for i := 0; i < len(toks); {
		t := toks[i]
		if t.kind != kWord && t.kind != kNum && t.kind != kSym {
			i++
			continue
		}
		key := t.low
		if t.kind == kSym {
			key = strings.ToLower(t.text)
		}
		found := false
		for _, ref := range m.first[key] {
			e := &m.entries[ref.entry]
			a := e.aliases[ref.alias]
			if i+len(a) > len(toks) {
				continue
			}
			ok := true
			for k, w := range a {
				tk := toks[i+k]
				if e.exact[ref.alias] {
					if tk.text != e.texts[ref.alias][k] {
						ok = false
						break
					}
				} else if tk.low != w && strings.ToLower(tk.text) != w {
					ok = false
					break
				}
			}
			if ok {
				out = append(out, match{entry: ref.entry, from: i, to: i + len(a)})
				i += len(a)
				found = true
				break
			}
		}
		if !found {
			i++
		}
	}
	return out
}

func ptr(b bool) *bool { return &b }
