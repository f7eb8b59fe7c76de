package bib

import (
	"slices"
	"strings"

	"github.com/reprohq/repro/doc"
)

// Resolve applies crossref inheritance: each field missing from an entry
// with a crossref field is taken from the entry it names (keys compare
// without case), and a missing booktitle is taken from the title of a
// crossref'ed book or proceedings, as biblatex does. Chains of crossrefs are
// followed; cycles and unknown keys are ignored. Resolve returns new entries
// and does not modify its argument.
func Resolve(entries []Entry) []Entry {
	byKey := make(map[string]int, len(entries))
	for i, e := range entries {
		k := strings.ToLower(e.Key)
		if _, dup := byKey[k]; !dup {
			byKey[k] = i
		}
	}
	out := make([]Entry, len(entries))
	done := make([]bool, len(entries))
	busy := make([]bool, len(entries))
	var resolve func(i int) Entry
	resolve = func(i int) Entry {
		if done[i] || busy[i] {
			if done[i] {
				return out[i]
			}
			return entries[i]
		}
		busy[i] = true
		e := entries[i]
		fields := make(map[string]string, len(e.Fields))
		for k, v := range e.Fields {
			fields[k] = v
		}
		e.Fields = fields
		if ref := strings.TrimSpace(fields["crossref"]); ref != "" {
			if j, ok := byKey[strings.ToLower(ref)]; ok && j != i {
				parent := resolve(j)
				for k, v := range parent.Fields {
					if _, has := fields[k]; !has && k != "crossref" && k != "ids" {
						fields[k] = v
					}
				}
				if _, has := fields["booktitle"]; !has {
					switch parent.Type {
					case "proceedings", "book", "collection", "mvbook", "mvproceedings", "mvcollection", "reference":
						if t, ok := parent.Fields["title"]; ok {
							fields["booktitle"] = t
						}
					}
				}
			}
		}
		busy[i] = false
		done[i] = true
		out[i] = e
		return e
	}
	for i := range entries {
		resolve(i)
	}
	return out
}

// References resolves crossrefs among entries and returns their references.
func References(entries []Entry) []doc.Reference {
	resolved := Resolve(entries)
	refs := make([]doc.Reference, len(resolved))
	for i, e := range resolved {
		refs[i] = e.Reference()
	}
	return refs
}

// venueFields are the fields that name where a work appeared, in order of
// preference.
var venueFields = []string{
	"journal", "journaltitle", "booktitle", "eventtitle", "publisher", "howpublished",
	"school", "institution", "organization",
}

// Reference converts the entry into a document reference with Source "bib".
// Title, venue and names are cleaned of LaTeX markup (see Clean). Authors
// come from the author field (the editor field when there is none), with
// "Last, First" names turned into "First Last", braced names such as
// {Org Name} kept whole and "others" dropped. Year is the year field, cut
// to its 19xx/20xx part when it has more ("2020a"), or the year of a
// biblatex date field. The arXiv identifier is looked for in the eprint
// field (unless archiveprefix or eprinttype names another archive), the
// arxiv and arxivid fields, a 10.48550 DOI, a DBLP "CoRR" journal with an
// abs/ volume, and then, in arXiv context only (see ArxivID), in the url,
// journal, note and other fields, never in the abstract. The DOI comes from
// the doi field or a doi.org URL.
func (e Entry) Reference() doc.Reference {
	f := e.Fields
	r := doc.Reference{
		Key:     e.Key,
		Title:   Clean(f["title"]),
		Authors: []string{},
		CitedIn: []string{},
		Source:  "bib",
	}
	if sub := Clean(f["subtitle"]); sub != "" && r.Title != "" {
		r.Title += ": " + sub
	}
	names := f["author"]
	if strings.TrimSpace(names) == "" {
		names = f["editor"]
	}
	r.Authors = SplitNames(names)
	r.Year = Clean(f["year"])
	if len(r.Year) != 4 {
		// "2020a", "December 2015", "to appear 2021"
		if y := lastYear(r.Year); y != "" {
			r.Year = y
		}
	}
	if r.Year == "" {
		if d := Clean(f["date"]); len(d) >= 4 && isDigit(d[0]) {
			r.Year = d[:4]
		}
	}
	for _, k := range venueFields {
		v := f[k]
		if v == "" {
			continue
		}
		if k == "howpublished" && isURLOnly(v) {
			continue
		}
		if v = Clean(v); v != "" {
			r.Venue = v
			break
		}
	}
	r.ArxivID = entryArxivID(f)
	r.DOI = DOI(f["doi"])
	if r.DOI == "" {
		for _, k := range []string{"url", "howpublished", "note"} {
			if v := f[k]; strings.Contains(asciiLower(v), "doi") {
				if r.DOI = DOI(v); r.DOI != "" {
					break
				}
			}
		}
	}
	r.URL = fieldURL(f["url"])
	if r.URL == "" {
		for _, k := range []string{"howpublished", "note"} {
			if u := latexURL(f[k]); u != "" {
				r.URL = u
				break
			}
		}
	}
	return r
}

// entryArxivID finds the arXiv identifier of an entry's fields.
func entryArxivID(f map[string]string) string {
	prefix := strings.ToLower(strings.TrimSpace(f["archiveprefix"]))
	if prefix == "" {
		prefix = strings.ToLower(strings.TrimSpace(f["eprinttype"]))
	}
	if ep := f["eprint"]; ep != "" && (prefix == "" || strings.Contains(prefix, "arxiv")) {
		if id := eprintID(ep); id != "" {
			return id
		}
	}
	for _, k := range []string{"arxiv", "arxivid", "arxiv_id"} {
		if v := f[k]; v != "" {
			if id := eprintID(v); id != "" {
				return id
			}
		}
	}
	if id := ArxivID(f["doi"]); id != "" {
		return id
	}
	// "journal = {CoRR}, volume = {abs/1806.05780}" as DBLP writes it.
	if v := f["volume"]; strings.HasPrefix(strings.TrimSpace(v), "abs/") {
		if id := ArxivID(f["journal"] + " " + v); id != "" {
			return id
		}
	}
	for _, k := range contextFields {
		if id := ArxivID(f[k]); id != "" {
			return id
		}
	}
	// Any other field, such as INSPIRE's slaccitation, but not free text
	// that may cite other papers.
	keys := make([]string, 0, len(f))
	for k := range f {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	for _, k := range keys {
		switch k {
		case "abstract", "annote", "annotation", "review", "comment", "comments", "keywords", "title", "subtitle",
			"eprint", "arxiv", "arxivid", "arxiv_id", "doi":
			continue
		}
		if slices.Contains(contextFields, k) {
			continue
		}
		if id := ArxivID(f[k]); id != "" {
			return id
		}
	}
	return ""
}

// contextFields are the fields where an arXiv identifier in arXiv context
// is most likely, in order.
var contextFields = []string{"url", "journal", "journaltitle", "booktitle", "howpublished", "note", "eprint", "number", "volume"}

// fieldURL returns the URL of a url field, which may be wrapped in \url{}
// and may list several URLs (the first is taken).
func fieldURL(v string) string {
	v = strings.TrimSpace(v)
	if v == "" {
		return ""
	}
	if u := latexURL(v); u != "" {
		return u
	}
	if i := strings.IndexAny(v, " \t\n"); i >= 0 {
		v = v[:i]
	}
	return unescapeURL(strings.TrimSpace(v))
}

// unescapeURL undoes the LaTeX escapes that authors put in URLs (\_, \%,
// \#, \&, \~).
func unescapeURL(u string) string {
	if !strings.Contains(u, `\`) {
		return u
	}
	return urlUnescaper.Replace(u)
}

var urlUnescaper = strings.NewReplacer(`\_`, "_", `\%`, "%", `\#`, "#", `\&`, "&", `\~`, "~", `\$`, "$", `{\_}`, "_", `{\~}`, "~")

// latexURL returns the argument of the first \url{} or \href{}{} in s, or a
// bare http(s) URL, or "".
func latexURL(s string) string {
	var br *braces
	for _, cmd := range []string{"url", "href"} {
		for _, i := range findCommand(s, cmd) {
			if br == nil {
				br = newBraces(s)
			}
			if arg, _, ok := br.arg(i+1+len(cmd), len(s)); ok {
				return unescapeURL(strings.TrimSpace(arg))
			}
		}
	}
	for _, scheme := range []string{"https://", "http://"} {
		if i := strings.Index(s, scheme); i >= 0 {
			end := i
			for end < len(s) && !isSpace(s[end]) && s[end] != '}' && s[end] != '{' {
				end++
			}
			return unescapeURL(strings.TrimRight(s[i:end], ".,;"))
		}
	}
	return ""
}

// isURLOnly reports whether a field value is nothing but a URL.
func isURLOnly(v string) bool {
	v = strings.TrimSpace(v)
	u := latexURL(v)
	if u == "" {
		return false
	}
	rest := strings.Replace(v, u, "", 1)
	rest = strings.NewReplacer(`\url`, "", `\href`, "", "{", "", "}", "", "URL", "", ":", "").Replace(rest)
	return strings.TrimSpace(rest) == ""
}

// SplitNames splits a BibTeX name list ("Doe, Jane and John Smith and
// others") into display names ("Jane Doe", "John Smith"). Names are split
// on "and" at brace depth zero; "Last, First" and "Last, Jr, First" are
// reordered; a name that is one braced group, such as {Org Name}, is kept
// whole; "others" is dropped; LaTeX markup is cleaned. A list written with
// commas instead of "and" ("Jane Doe, John Smith, Ann Lee") is split on the
// commas when it has at least two of them.
func SplitNames(list string) []string {
	names := []string{}
	for _, raw := range splitAnd(list) {
		raw = strings.TrimSpace(raw)
		if raw == "" {
			continue
		}
		if l := strings.ToLower(raw); l == "others" || l == "et al." || l == "et al" || l == "et~al." {
			continue
		}
		parts := splitTopLevel(raw, ',')
		if len(parts) >= 3 && !isNameSuffix(parts[1]) {
			// "Jane Doe, John Smith, Ann Lee": a comma-separated list
			// written where BibTeX expects "and".
			for _, part := range parts {
				if n := displayName(strings.TrimSpace(part)); n != "" {
					names = append(names, n)
				}
			}
			continue
		}
		if n := displayName(raw); n != "" {
			names = append(names, n)
		}
	}
	return names
}

// splitAnd splits s on the word "and" (any case) surrounded by white space
// at brace depth zero.
func splitAnd(s string) []string {
	return splitBraces(s, func(i int) int {
		switch s[i] {
		case ' ', '\t', '\n', '\r', '~':
			if i+4 < len(s) && strings.EqualFold(s[i+1:i+4], "and") && isSpace(s[i+4]) {
				return 5
			}
		}
		return 0
	})
}

// splitBraces splits s at brace depth zero wherever sepAt(i) reports a
// separator of that many bytes starting at i.
func splitBraces(s string, sepAt func(i int) int) []string {
	var parts []string
	depth, start := 0, 0
	for i := 0; i < len(s); i++ {
		switch s[i] {
		case '{':
			depth++
			continue
		case '}':
			if depth > 0 {
				depth--
			}
			continue
		}
		if depth == 0 {
			if n := sepAt(i); n > 0 {
				parts = append(parts, s[start:i])
				start = i + n
				i += n - 1
			}
		}
	}
	return append(parts, s[start:])
}

// displayName turns one BibTeX name into "First von Last Jr".
func displayName(raw string) string {
	if inner, ok := wholeGroup(raw); ok {
		return Clean(inner)
	}
	parts := splitTopLevel(raw, ',')
	for i := range parts {
		parts[i] = Clean(parts[i])
	}
	var out string
	switch len(parts) {
	case 1:
		out = parts[0]
	case 2:
		out = parts[1] + " " + parts[0]
	default:
		out = parts[2] + " " + parts[0] + " " + parts[1]
	}
	return collapseSpace(out)
}

// wholeGroup reports whether s is a single braced group and returns its
// content.
func wholeGroup(s string) (string, bool) {
	if len(s) < 2 || s[0] != '{' || s[len(s)-1] != '}' {
		return "", false
	}
	arg, next, ok := braceArg(s, 0)
	if !ok || next != len(s) {
		return "", false
	}
	// {\"O}zt{\"u}rk is not a whole group, but {\"O}... would fail above;
	// a group that starts with an accent command is a letter, not a name.
	if strings.HasPrefix(arg, `\`) && len(arg) <= 4 {
		return "", false
	}
	return arg, true
}

// splitTopLevel splits s on sep at brace depth zero.
func splitTopLevel(s string, sep byte) []string {
	return splitBraces(s, func(i int) int {
		if s[i] == sep {
			return 1
		}
		return 0
	})
}

// isNameSuffix reports whether the middle part of "Last, Jr, First" is a
// name suffix.
func isNameSuffix(s string) bool {
	switch strings.ToLower(strings.TrimSpace(s)) {
	case "", "jr", "jr.", "sr", "sr.", "ii", "iii", "iv", "v", "2nd", "3rd":
		return true
	}
	return false
}
