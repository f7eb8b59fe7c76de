package reader

import (
	"path"
	"regexp"
	"sort"
	"strings"

	"github.com/reprohq/repro/doc"
	"github.com/reprohq/repro/internal/bib"
	lx "github.com/reprohq/repro/internal/latex"
)

// dropArgCommands are removed with their argument from titles and authors.
var dropArgCommands = map[string]bool{
	`\thanks`: true, `\footnote`: true, `\inst`: true, `\textsuperscript`: true, `\affil`: true, `\email`: true,
	`\footnotemark`: true, `\icmlaffiliation`: true, `\orcid`: true, `\orcidID`: true, `\affiliation`: true, `\url`: true,
	`\IEEEauthorblockA`: true, `\institute`: true, `\href`: true, `\fnref`: true, `\corref`: true,
}

// stripCommands removes commands with their (optional and braced)
// arguments, and superscripts in math.
func stripCommands(toks []lx.Token) []lx.Token {
	var out []lx.Token
	for i := 0; i < len(toks); i++ {
		t := toks[i]
		if t.Kind == lx.Command && dropArgCommands[t.Text] {
			j := i + 1
			for j < len(toks) && toks[j].Kind == lx.Space {
				j++
			}
			if j < len(toks) && toks[j].IsOther('[') {
				for j < len(toks) && !toks[j].IsOther(']') {
					j++
				}
				j++
			}
			if j < len(toks) && toks[j].Kind == lx.BeginGrp {
				end, _ := groupToks(toks, j)
				i = end
				if t.Text == `\href` {
					end2, _ := groupToks(toks, end+1)
					i = end2
				}
				continue
			}
			i = j - 1
			continue
		}
		if t.Kind == lx.Sup {
			end, _ := groupToks(toks, i+1)
			i = end
			continue
		}
		out = append(out, t)
	}
	return out
}

func (r *Reader) buildFront() {
	r.d.Title = strings.TrimSpace(textOf(stripCommands(r.titleToks)))
	r.d.Abstract = r.abstract
	if r.keywords != nil {
		r.d.Keywords = r.keywords
	}
	seen := map[string]bool{}
	for _, a := range r.authorToks {
		for _, name := range authorNames(a) {
			if !seen[name] {
				seen[name] = true
				r.d.Authors = append(r.d.Authors, name)
			}
		}
	}
	if m := arxivStamp.FindStringSubmatch(r.d.Abstract); m != nil && r.d.ArxivID == "" {
		r.d.ArxivID = m[1]
	}
}

var arxivStamp = regexp.MustCompile(`arXiv:(\d{4}\.\d{4,5})`)

var (
	emailRe = regexp.MustCompile(`\S+@\S+`)
	nameSep = regexp.MustCompile(`,|\band\b|;`)
)

// authorSeparators separate authors in an \author argument.
var authorSeparators = map[string]bool{
	`\and`: true, `\And`: true, `\AND`: true, `\quad`: true, `\qquad`: true, `\hspace`: true, `\hfill`: true,
	`\hskip`: true, `\enspace`: true,
}

// authorNames splits an \author argument into names.
func authorNames(toks []lx.Token) []string {
	toks = stripCommands(toks)
	var blocks [][]lx.Token
	var cur []lx.Token
	afterBreak := false // a line break since the last \and: affiliations follow
	for i := 0; i < len(toks); i++ {
		t := toks[i]
		if t.Is(`\\`) {
			afterBreak = true
		}
		hard := t.Text == `\and` || t.Text == `\And` || t.Text == `\AND`
		if t.Kind == lx.Command && authorSeparators[t.Text] && (hard || !afterBreak) {
			afterBreak = false
			blocks = append(blocks, cur)
			cur = nil
			if t.Text == `\hspace` || t.Text == `\hskip` {
				j := i + 1
				for j < len(toks) && (toks[j].Kind == lx.Space || toks[j].IsOther('*')) {
					j++
				}
				if j < len(toks) && toks[j].Kind == lx.BeginGrp {
					i, _ = groupToks(toks, j)
				}
			}
			continue
		}
		cur = append(cur, t)
	}
	blocks = append(blocks, cur)
	var names []string
	for _, b := range blocks {
		// The first line of a block holds the names; the rest is affiliation.
		var line []lx.Token
		depth := 0
		for _, t := range b {
			if t.Kind == lx.BeginGrp {
				depth++
			}
			if t.Kind == lx.EndGrp {
				depth--
			}
			if t.Is(`\\`) || t.Is(`\newline`) || t.Kind == lx.Par {
				if len(strings.TrimSpace(tokensText(line))) > 0 {
					break
				}
				continue
			}
			line = append(line, t)
		}
		text := strings.TrimSpace(textOf(line))
		text = emailRe.ReplaceAllString(text, "")
		text = strings.ReplaceAll(text, "$", "")
		for _, part := range nameSep.Split(text, -1) {
			part = strings.Trim(strings.TrimSpace(part), "*†‡§¶0123456789 ")
			if part == "" || len(part) > 80 || strings.ContainsAny(part, "{}\\") {
				continue
			}
			names = append(names, part)
		}
	}
	return names
}

// buildRefs resolves references to equation labels.
func (r *Reader) buildRefs() {
	byLabel := map[string][]int{}
	for i, e := range r.d.Equations {
		for _, l := range e.Labels {
			byLabel[l] = append(byLabel[l], i)
		}
	}
	undefined := map[string]bool{}
	for _, u := range r.refs {
		if _, known := r.labels[u.label]; !known && !undefined[u.label] {
			undefined[u.label] = true
			file, line := r.fileLine(u.file, u.pos)
			r.warn(file, line, "reference to undefined label %q", u.label)
		}
		idx, ok := byLabel[u.label]
		if !ok {
			continue
		}
		file, line := r.fileLine(u.file, u.pos)
		for _, i := range idx {
			r.d.Equations[i].ReferencedIn = append(r.d.Equations[i].ReferencedIn, doc.Ref{Section: u.section, Command: u.cmd, File: file, Line: line})
		}
	}
}

// Names lists the files of the bundle; Files implementations may have it.
type Names interface{ Names() []string }

// buildBibliography picks the bibliography LaTeX would print: an inline
// thebibliography, else the .bib entries that are cited (as BibTeX
// selects them), else a shipped .bbl.
func (r *Reader) buildBibliography() {
	var refs []doc.Reference
	switch {
	case len(r.inlineBib) > 0:
		for _, src := range r.inlineBib {
			rs, ws := bib.ParseBbl(r.main, []byte(src))
			refs = append(refs, rs...)
			r.addWarnings(ws)
		}
	default:
		refs = r.fromBib()
		if refs == nil {
			refs = r.fromBbl()
		}
	}
	for i := range refs {
		if c, ok := r.cites[refs[i].Key]; ok {
			refs[i].Cited = c.count
			refs[i].CitedIn = uniq(c.sections)
		}
		if refs[i].CitedIn == nil {
			refs[i].CitedIn = []string{}
		}
		if refs[i].Authors == nil {
			refs[i].Authors = []string{}
		}
	}
	if refs == nil {
		refs = []doc.Reference{}
	}
	r.d.References = refs
	if len(refs) > 0 {
		have := make(map[string]bool, len(refs))
		for _, ref := range refs {
			have[strings.ToLower(ref.Key)] = true
		}
		for _, k := range r.citeOrder {
			if c := r.cites[k]; c.count > 0 && !have[strings.ToLower(k)] {
				r.warn(r.main, 0, "citation %q is not in the bibliography", k)
			}
		}
	}
}

func (r *Reader) addWarnings(ws []doc.Warning) {
	for _, w := range ws {
		r.warn(w.File, w.Line, "%s", w.Message)
	}
}

func uniq(xs []string) []string {
	out := []string{}
	seen := map[string]bool{}
	for _, x := range xs {
		if !seen[x] {
			seen[x] = true
			out = append(out, x)
		}
	}
	return out
}

// fromBbl reads the .bbl next to the main file, or the only .bbl there is.
func (r *Reader) fromBbl() []doc.Reference {
	base := strings.TrimSuffix(r.main, path.Ext(r.main)) + ".bbl"
	name := ""
	if _, ok := r.fs.ReadFile(base); ok {
		name = base
	} else if ln, ok := r.fs.(Names); ok {
		var bbls []string
		for _, n := range ln.Names() {
			if strings.HasSuffix(n, ".bbl") {
				bbls = append(bbls, n)
			}
		}
		if len(bbls) == 1 {
			name = bbls[0]
		}
	}
	if name == "" {
		return nil
	}
	data, _ := r.fs.ReadFile(name)
	refs, ws := bib.ParseBbl(name, data)
	r.addWarnings(ws)
	return refs
}

// fromBib selects the cited entries of the \bibliography files.
func (r *Reader) fromBib() []doc.Reference {
	if len(r.bibFiles) == 0 {
		return nil
	}
	var entries []bib.Entry
	found := false
	for _, f := range r.bibFiles {
		name, ok := r.fs.Resolve(r.main, f, ".bib")
		if !ok {
			continue
		}
		data, _ := r.fs.ReadFile(name)
		es, ws := bib.ParseBib(name, data)
		r.addWarnings(ws)
		entries = append(entries, es...)
		found = true
	}
	if !found {
		return nil
	}
	entries = bib.Resolve(entries)
	byKey := map[string]int{}
	for i, e := range entries {
		k := strings.ToLower(e.Key)
		if _, dup := byKey[k]; !dup {
			byKey[k] = i
		}
	}
	var refs []doc.Reference
	taken := map[int]bool{}
	if r.nociteAll {
		for i, e := range entries {
			if !taken[byKey[strings.ToLower(e.Key)]] {
				taken[i] = true
				refs = append(refs, e.Reference())
			}
		}
		return refs
	}
	crossrefs := map[string]int{}
	for _, k := range r.citeOrder {
		i, ok := byKey[strings.ToLower(k)]
		if !ok || taken[i] {
			continue
		}
		taken[i] = true
		ref := entries[i].Reference()
		ref.Key = k
		refs = append(refs, ref)
		if cr := entries[i].Fields["crossref"]; cr != "" {
			crossrefs[strings.ToLower(cr)]++
		}
	}
	// BibTeX adds an entry that is cross-referenced by two or more cited
	// entries (min-crossrefs = 2).
	keys := make([]string, 0, len(crossrefs))
	for k := range crossrefs {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		if i, ok := byKey[k]; ok && crossrefs[k] >= 2 && !taken[i] {
			taken[i] = true
			refs = append(refs, entries[i].Reference())
		}
	}
	if refs == nil {
		refs = []doc.Reference{}
	}
	return refs
}

// buildLabels lists every label with the number LaTeX gives it.
func (r *Reader) buildLabels() {
	r.d.Labels = make(map[string]doc.Label, len(r.labels))
	for k, l := range r.labels {
		file, line := r.fileLine(l.file, l.pos)
		r.d.Labels[k] = doc.Label{Number: l.number, Kind: l.kind, File: file, Line: line}
	}
}
