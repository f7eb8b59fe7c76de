// Package arxiv talks to arXiv: it parses arXiv references (identifiers,
// URLs and DOIs), reads a paper's metadata from the arXiv API's Atom feed,
// and downloads its source (the e-print) or its PDF.
//
// A Client is polite by construction: it makes one request at a time, leaves
// at least Options.MinInterval (three seconds by default, arXiv's rule)
// between the starts of consecutive requests, sends a descriptive
// User-Agent, and backs off and retries when arXiv is busy, honouring
// Retry-After. It never logs or prints; problems come back as *xerr.Error
// values of kind xerr.KindInput, with hints.
package arxiv

import (
	"regexp"
	"strconv"
	"strings"
)

// Ref is an arXiv paper reference: an identifier and, optionally, a version.
//
// ID is canonical: new-style "2501.00663" or "0704.0001", or old-style
// "hep-th/9901001" (the archive in lower case; a subject class such as the
// "GT" of "math.GT/0309136" is dropped, as arXiv does, since it is not part
// of the paper's identity). Version is "v2", or "" for the latest version.
type Ref struct{ ID, Version string }

// String returns the reference as arXiv writes it: ID followed by Version,
// "2501.00663v2" or "hep-th/9901001".
func (r Ref) String() string { return r.ID + r.Version }

// Slug returns the reference in a form safe as a file or folder name: the
// slash of an old-style identifier becomes an underscore ("hep-th_9901001",
// "2501.00663v2").
func (r Ref) Slug() string { return strings.ReplaceAll(r.String(), "/", "_") }

// maxRefLen bounds the input ParseRef looks at; no reference is longer.
const maxRefLen = 512

var (
	newIDRe = regexp.MustCompile(`^(\d{4})\.(\d{4,5})(?:[vV]([1-9]\d{0,3}))?$`)
	oldIDRe = regexp.MustCompile(`^([A-Za-z][A-Za-z-]*)(?:\.([A-Za-z][A-Za-z-]{0,15}))?/(\d{7})(?:[vV]([1-9]\d{0,3}))?$`)
)

// oldArchives are the archives of arXiv's identifiers before April 2007
// (and the newer archive names that old-style identifiers are written with).
var oldArchives = map[string]bool{
	"acc-phys": true, "adap-org": true, "alg-geom": true, "ao-sci": true, "astro-ph": true,
	"atom-ph": true, "bayes-an": true, "chao-dyn": true, "chem-ph": true, "cmp-lg": true,
	"comp-gas": true, "cond-mat": true, "cs": true, "dg-ga": true, "funct-an": true,
	"gr-qc": true, "hep-ex": true, "hep-lat": true, "hep-ph": true, "hep-th": true,
	"math": true, "math-ph": true, "mtrl-th": true, "nlin": true, "nucl-ex": true,
	"nucl-th": true, "patt-sol": true, "physics": true, "plasm-ph": true, "q-alg": true,
	"q-bio": true, "q-fin": true, "quant-ph": true, "solv-int": true, "supr-con": true,
	"stat": true, "econ": true, "eess": true,
}

// IsOldArchive reports whether name is an archive of old-style arXiv
// identifiers (hep-th in hep-th/9901001).
func IsOldArchive(name string) bool { return oldArchives[name] }

// arxivHosts are the host names whose URLs ParseRef understands.
var arxivHosts = map[string]bool{"arxiv.org": true, "www.arxiv.org": true, "export.arxiv.org": true}

// doiHosts are the DOI resolvers whose URLs ParseRef understands.
var doiHosts = map[string]bool{"doi.org": true, "dx.doi.org": true, "www.doi.org": true}

// doiPrefix is the prefix of arXiv's DOIs, lower-cased: 10.48550/arXiv.ID.
const doiPrefix = "10.48550/arxiv."

// ParseRef parses an arXiv reference and reports whether s is one. It
// accepts, with surrounding spaces:
//
//   - identifiers: new-style "2501.00663" and "0704.0001" (four-digit
//     numbers before 2015, five from 2015), old-style "hep-th/9901001",
//     "cs.LG/0101001", "math.GT/0309136"; each with or without a version
//     "v2", and with or without an "arXiv:" prefix (in any case);
//   - arXiv URLs, http or https, on arxiv.org, www.arxiv.org or
//     export.arxiv.org, with the scheme optional: /abs/ID, /pdf/ID (with or
//     without .pdf), /html/ID, /src/ID and /e-print/ID, with any query string
//     or fragment;
//   - arXiv's DOIs, "10.48550/arXiv.2501.00663", also as "doi:..." or a
//     https://doi.org/ URL.
//
// Identifiers are validated: the month must be 01 to 12, a new-style
// identifier must date from April 2007 or later with the number of digits
// of its time, and an old-style one must name a known archive and date from
// August 1991 to March 2007. So file names such as "main.tex", "paper/" or
// "x.tar.gz" and numbers such as "2020" are not references.
func ParseRef(s string) (Ref, bool) {
	s = strings.TrimSpace(s)
	if s == "" || len(s) > maxRefLen {
		return Ref{}, false
	}
	if rest, ok := cutPrefixFold(s, "arxiv:"); ok {
		return parseID(strings.TrimSpace(rest))
	}
	if rest, ok := cutPrefixFold(s, "doi:"); ok {
		return parseDOI(strings.TrimSpace(rest))
	}
	if hasPrefixFold(s, doiPrefix) {
		return parseDOI(s)
	}
	if r, ok, isURL := parseURL(s); isURL {
		return r, ok
	}
	return parseID(s)
}

// parseDOI parses "10.48550/arXiv.ID".
func parseDOI(s string) (Ref, bool) {
	rest, ok := cutPrefixFold(s, doiPrefix)
	if !ok {
		return Ref{}, false
	}
	return parseID(rest)
}

// parseURL parses an arXiv or DOI URL. isURL reports whether s looks like a
// URL of one of those hosts at all; then ok says whether it names a paper.
func parseURL(s string) (r Ref, ok, isURL bool) {
	rest := s
	if t, ok := cutPrefixFold(rest, "https://"); ok {
		rest = t
	} else if t, ok := cutPrefixFold(rest, "http://"); ok {
		rest = t
	}
	host, p, found := strings.Cut(rest, "/")
	if !found {
		return Ref{}, false, false
	}
	host = strings.ToLower(host)
	if i := strings.IndexAny(p, "?#"); i >= 0 {
		p = p[:i]
	}
	switch {
	case arxivHosts[host]:
		r, ok = parseArxivPath(p)
		return r, ok, true
	case doiHosts[host]:
		r, ok = parseDOI(strings.TrimSuffix(p, "/"))
		return r, ok, true
	}
	return Ref{}, false, false
}

// parseArxivPath parses the path of an arXiv URL (without the leading
// slash, query or fragment): abs/ID, pdf/ID[.pdf], html/ID, src/ID,
// e-print/ID.
func parseArxivPath(p string) (Ref, bool) {
	kind, id, ok := strings.Cut(p, "/")
	if !ok {
		return Ref{}, false
	}
	kind = strings.ToLower(kind)
	id = strings.TrimSuffix(id, "/")
	switch kind {
	case "abs", "src", "e-print":
		return parseID(id)
	case "pdf":
		if t, ok := cutSuffixFold(id, ".pdf"); ok {
			id = t
		}
		return parseID(id)
	case "html":
		if r, ok := parseID(id); ok {
			return r, true
		}
		// A page inside the HTML version: /html/2501.00663v1/index.html.
		if first, _, found := strings.Cut(id, "/"); found {
			return parseID(first)
		}
	}
	return Ref{}, false
}

// parseID parses a bare identifier with an optional version.
func parseID(s string) (Ref, bool) {
	if m := newIDRe.FindStringSubmatch(s); m != nil {
		yymm, num := m[1], m[2]
		if !validNewID(yymm, num) {
			return Ref{}, false
		}
		return Ref{ID: yymm + "." + num, Version: version(m[3])}, true
	}
	if m := oldIDRe.FindStringSubmatch(s); m != nil {
		archive, digits := strings.ToLower(m[1]), m[3]
		if !oldArchives[archive] || !validOldID(digits) {
			return Ref{}, false
		}
		return Ref{ID: archive + "/" + digits, Version: version(m[4])}, true
	}
	return Ref{}, false
}

func version(n string) string {
	if n == "" {
		return ""
	}
	return "v" + n
}

// validNewID checks the date and number of a new-style identifier.
func validNewID(yymm, num string) bool {
	ym, _ := strconv.Atoi(yymm)
	if m := ym % 100; m < 1 || m > 12 {
		return false
	}
	if ym < 704 { // the scheme started in April 2007
		return false
	}
	if len(num) == 4 && ym > 1412 || len(num) == 5 && ym < 1501 {
		return false
	}
	return strings.Trim(num, "0") != ""
}

// validOldID checks the seven digits YYMMNNN of an old-style identifier.
func validOldID(digits string) bool {
	yy, _ := strconv.Atoi(digits[:2])
	mm, _ := strconv.Atoi(digits[2:4])
	if mm < 1 || mm > 12 {
		return false
	}
	switch {
	case yy >= 91: // 1991-1999, from August 1991
		if yy == 91 && mm < 8 {
			return false
		}
	case yy <= 7: // 2000-2007, until March 2007
		if yy == 7 && mm > 3 {
			return false
		}
	default:
		return false
	}
	return digits[4:] != "000"
}

func hasPrefixFold(s, prefix string) bool {
	return len(s) >= len(prefix) && strings.EqualFold(s[:len(prefix)], prefix)
}

func cutPrefixFold(s, prefix string) (string, bool) {
	if hasPrefixFold(s, prefix) {
		return s[len(prefix):], true
	}
	return s, false
}

func cutSuffixFold(s, suffix string) (string, bool) {
	if len(s) >= len(suffix) && strings.EqualFold(s[len(s)-len(suffix):], suffix) {
		return s[:len(s)-len(suffix)], true
	}
	return s, false
}
