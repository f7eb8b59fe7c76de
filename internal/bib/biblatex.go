package bib

import (
	"strings"

	"github.com/reprohq/repro/doc"
)

// parseEntry parses the biblatex \entry{key}{type}{options} ... \endentry at
// text[off:end]. Its \field, \list, \name and \verb data are gathered into
// an Entry and converted as a .bib entry would be.
func (p *bblParser) parseEntry(off, end int) doc.Reference {
	j := off + len(`\entry`)
	e := Entry{Fields: map[string]string{}, File: p.file}
	key, k, ok := p.br.arg(j, end)
	if !ok {
		p.warnf(off, "\\entry without a {key}")
	} else {
		e.Key = strings.TrimSpace(key)
		j = k
		if typ, k, ok := p.br.arg(j, end); ok {
			e.Type = strings.ToLower(strings.TrimSpace(typ))
			j = k
			if _, k, ok := p.br.arg(j, end); ok {
				j = k
			}
		}
	}
	bodyEnd := end
	if i := strings.Index(p.text[j:end], `\endentry`); i >= 0 {
		bodyEnd = j + i
	} else {
		p.warnf(off, "\\entry %q without \\endentry", e.Key)
	}
	names := map[string][]string{}
	p.scanEntryBody(j, bodyEnd, e.Fields, names)

	r := e.Reference()
	r.Source = "bbl"
	r.Authors = names["author"]
	if len(r.Authors) == 0 {
		r.Authors = names["editor"]
	}
	if r.Authors == nil {
		r.Authors = []string{}
	}
	if r.Year == "" {
		r.Year = lastYear(Clean(e.Fields["labelyear"]))
	}
	return r
}

// scanEntryBody reads the data commands of a biblatex entry body
// text[from:to] into fields and names.
func (p *bblParser) scanEntryBody(from, to int, fields map[string]string, names map[string][]string) {
	s := p.text[:to]
	for i := from; i < to; {
		if s[i] != '\\' {
			i++
			continue
		}
		cmd, j := readCommand(s, i)
		switch cmd {
		case "field":
			name, k, ok := p.br.arg(j, to)
			if !ok {
				i = j
				continue
			}
			val, k2, ok := p.br.arg(k, to)
			if !ok {
				i = k
				continue
			}
			setFirst(fields, strings.ToLower(strings.TrimSpace(name)), collapseSpace(val))
			i = k2
		case "list":
			name, k, ok := p.br.arg(j, to)
			if !ok {
				i = j
				continue
			}
			_, k, _ = p.br.arg(k, to) // count
			items, k2, ok := p.br.arg(k, to)
			if !ok {
				i = k
				continue
			}
			var vals []string
			for _, g := range topGroups(items) {
				if v := strings.TrimSpace(collapseSpace(g)); v != "" {
					vals = append(vals, v)
				}
			}
			setFirst(fields, strings.ToLower(strings.TrimSpace(name)), strings.Join(vals, ", "))
			i = k2
		case "name":
			role, k, ok := p.br.arg(j, to)
			if !ok {
				i = j
				continue
			}
			_, k, _ = p.br.arg(k, to) // count
			_, k, _ = p.br.arg(k, to) // options
			items, k2, ok := p.br.arg(k, to)
			if !ok {
				i = k
				continue
			}
			role = strings.ToLower(strings.TrimSpace(role))
			if _, seen := names[role]; !seen {
				names[role] = biblatexNames(items)
			}
			i = k2
		case "verb":
			name, k, ok := p.br.arg(j, to)
			if !ok {
				i = j
				continue
			}
			val, next := p.verbValue(k, to)
			setFirst(fields, strings.ToLower(strings.TrimSpace(name)), val)
			i = next
		default:
			i = j
		}
	}
}

// verbValue reads the "\verb value" lines that follow \verb{name} at offset
// from, up to \endverb, from the raw source (verbatim values may contain %).
// It returns the value and the offset after \endverb.
func (p *bblParser) verbValue(from, to int) (string, int) {
	raw := p.raw[from:to]
	stop := len(raw)
	next := to
	if i := strings.Index(raw, `\endverb`); i >= 0 {
		stop = i
		next = from + i + len(`\endverb`)
	}
	var parts []string
	for _, line := range strings.Split(raw[:stop], "\n") {
		line = strings.TrimLeft(line, " \t")
		if !strings.HasPrefix(line, `\verb`) {
			continue
		}
		line = strings.TrimPrefix(line, `\verb`)
		line = strings.TrimPrefix(line, " ")
		parts = append(parts, strings.TrimRight(line, " \t\r"))
	}
	return strings.TrimSpace(strings.Join(parts, "")), next
}

func setFirst(m map[string]string, k, v string) {
	if _, ok := m[k]; !ok && k != "" {
		m[k] = v
	}
}

// topGroups returns the contents of the brace groups at depth zero of s.
func topGroups(s string) []string {
	var groups []string
	for i := 0; i < len(s); {
		if s[i] != '{' {
			i++
			continue
		}
		arg, k, ok := braceArg(s, i)
		if !ok {
			break
		}
		groups = append(groups, arg)
		i = k
	}
	return groups
}

// biblatexNames converts the name items of a biblatex \name into display
// names. It reads the key=value form of biber 2 and later
// ({{hash=..}{family={Doe},given={Jane},prefix={van},suffix={Jr}}}) and the
// positional form of older versions ({{Doe}{D.}{Jane}{J.}{van}{v.}{Jr}{J.}}).
func biblatexNames(items string) []string {
	names := []string{}
	for _, item := range topGroups(items) {
		var family, given, prefix, suffix string
		groups := topGroups(item)
		kv := false
		for _, g := range groups {
			if strings.Contains(g, "family=") || strings.Contains(g, "given=") {
				kv = true
				for _, pair := range splitTopLevel(g, ',') {
					k, v, ok := strings.Cut(pair, "=")
					if !ok {
						continue
					}
					v = strings.TrimSpace(v)
					if inner, _, ok := braceArg(v, 0); ok {
						v = inner
					}
					switch strings.TrimSpace(k) {
					case "family":
						family = v
					case "given":
						given = v
					case "prefix":
						prefix = v
					case "suffix":
						suffix = v
					}
				}
				break
			}
		}
		if !kv {
			if len(groups) >= 9 {
				groups = groups[1:]
			}
			if len(groups) >= 8 {
				family, given, prefix, suffix = groups[0], groups[2], groups[4], groups[6]
			} else if len(groups) > 0 {
				family = groups[0]
			}
		}
		n := collapseSpace(Clean(given) + " " + Clean(prefix) + " " + Clean(family) + " " + Clean(suffix))
		if n != "" {
			names = append(names, n)
		}
	}
	return names
}
