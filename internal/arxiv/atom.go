package arxiv

import (
	"bytes"
	"encoding/xml"
	"fmt"
	"strings"
)

// Metadata is what the arXiv API says about one version of a paper.
type Metadata struct {
	// ID is the paper's canonical identifier, "2501.00663".
	ID string `json:"id"`
	// Version is the version described, "v2", as the API reports it.
	Version string `json:"version"`
	// Title is the title, with runs of white space collapsed to one space.
	Title string `json:"title"`
	// Authors are the authors' names, in order.
	Authors []string `json:"authors"`
	// Abstract is the abstract, with runs of white space collapsed.
	Abstract string `json:"abstract"`
	// Categories are all the paper's categories ("cs.LG", "stat.ML").
	Categories []string `json:"categories"`
	// PrimaryCategory is the paper's primary category.
	PrimaryCategory string `json:"primary_category"`
	// Published is when version 1 appeared, and Updated when this version
	// did, as the API gives them (RFC 3339).
	Published string `json:"published"`
	Updated   string `json:"updated"`
	// DOI, Comment and JournalRef are the author-supplied DOI of the
	// published version, comment ("12 pages, 3 figures") and journal
	// reference; empty when not given.
	DOI        string `json:"doi,omitempty"`
	Comment    string `json:"comment,omitempty"`
	JournalRef string `json:"journal_ref,omitempty"`
	// Versions lists the paper's versions, "v1" to the latest, when known:
	// when the latest version was asked for.
	Versions []string `json:"versions,omitempty"`
	// PDFURL is the address of this version's PDF.
	PDFURL string `json:"pdf_url,omitempty"`
}

// Ref returns the reference of the version described.
func (m *Metadata) Ref() Ref { return Ref{ID: m.ID, Version: m.Version} }

// The Atom feed of the arXiv API. Elements are matched by local name, so
// that a feed with missing or unusual namespace declarations is still read;
// the names of the Atom, arXiv and OpenSearch vocabularies do not clash.
type atomFeed struct {
	XMLName xml.Name    `xml:"feed"`
	Entries []atomEntry `xml:"entry"`
}

type atomEntry struct {
	ID        string `xml:"id"`
	Title     string `xml:"title"`
	Summary   string `xml:"summary"`
	Published string `xml:"published"`
	Updated   string `xml:"updated"`
	Authors   []struct {
		Name string `xml:"name"`
	} `xml:"author"`
	Links []struct {
		Href  string `xml:"href,attr"`
		Rel   string `xml:"rel,attr"`
		Title string `xml:"title,attr"`
		Type  string `xml:"type,attr"`
	} `xml:"link"`
	Categories []struct {
		Term string `xml:"term,attr"`
	} `xml:"category"`
	Primary struct {
		Term string `xml:"term,attr"`
	} `xml:"primary_category"`
	DOI        string `xml:"doi"`
	Comment    string `xml:"comment"`
	JournalRef string `xml:"journal_ref"`
}

// maxVersions bounds the Versions list built from a version number.
const maxVersions = 1000

// errFeed is a response that is not a usable Atom feed.
type errFeed struct{ msg string }

func (e *errFeed) Error() string { return e.msg }

// feedNotFound is a feed that answers "no such paper": no entry, or an
// error entry. It matches ErrNotFound.
type feedNotFound struct{ reason string }

func (e *feedNotFound) Error() string        { return e.reason }
func (e *feedNotFound) Is(target error) bool { return target == ErrNotFound }

// parseFeed reads the API's Atom feed for want. An entry for want.ID (and
// want.Version, when set) is returned; a zero want takes the first entry.
// A feed with no such entry, or with an error entry, gives an error matching
// ErrNotFound; a document that is not an Atom feed, an *errFeed.
func parseFeed(data []byte, want Ref) (*Metadata, error) {
	var f atomFeed
	d := xml.NewDecoder(bytes.NewReader(data))
	if err := d.Decode(&f); err != nil {
		return nil, &errFeed{msg: "not an Atom feed: " + err.Error()}
	}
	var apiErr string
	for i := range f.Entries {
		e := &f.Entries[i]
		id := collapse(e.ID)
		if isAPIError(id) {
			if apiErr == "" {
				apiErr = "API error: " + firstNonEmpty(collapse(e.Summary), collapse(e.Title), id)
			}
			continue
		}
		r, ok := refFromEntryID(id)
		if !ok {
			continue
		}
		if want.ID != "" && r.ID != want.ID {
			continue
		}
		if want.Version != "" && r.Version != want.Version {
			continue
		}
		return entryMetadata(e, r, want.Version == ""), nil
	}
	if apiErr != "" {
		return nil, &feedNotFound{reason: apiErr}
	}
	if len(f.Entries) == 0 {
		return nil, &feedNotFound{reason: "the API returned no entry"}
	}
	return nil, &feedNotFound{reason: fmt.Sprintf("the API returned no entry for %s", want)}
}

// isAPIError reports whether an entry id is the API's error address,
// http://arxiv.org/api/errors#....
func isAPIError(id string) bool {
	return strings.Contains(strings.ToLower(id), "arxiv.org/api/errors")
}

// refFromEntryID parses an entry's id, http://arxiv.org/abs/2501.00663v2.
func refFromEntryID(id string) (Ref, bool) {
	if id == "" {
		return Ref{}, false
	}
	return ParseRef(id)
}

func entryMetadata(e *atomEntry, r Ref, latest bool) *Metadata {
	m := &Metadata{
		ID:              r.ID,
		Version:         r.Version,
		Title:           collapse(e.Title),
		Abstract:        collapse(e.Summary),
		PrimaryCategory: collapse(e.Primary.Term),
		Published:       collapse(e.Published),
		Updated:         collapse(e.Updated),
		DOI:             collapse(e.DOI),
		Comment:         collapse(e.Comment),
		JournalRef:      collapse(e.JournalRef),
		Authors:         []string{},
		Categories:      []string{},
	}
	for _, a := range e.Authors {
		if n := collapse(a.Name); n != "" {
			m.Authors = append(m.Authors, n)
		}
	}
	seen := map[string]bool{}
	for _, c := range e.Categories {
		if t := collapse(c.Term); t != "" && !seen[t] {
			seen[t] = true
			m.Categories = append(m.Categories, t)
		}
	}
	for _, l := range e.Links {
		if strings.EqualFold(l.Title, "pdf") || (m.PDFURL == "" && l.Type == "application/pdf") {
			m.PDFURL = strings.TrimSpace(l.Href)
		}
	}
	if latest && r.Version != "" {
		n := 0
		fmt.Sscanf(r.Version, "v%d", &n)
		for i := 1; i <= n && i <= maxVersions; i++ {
			m.Versions = append(m.Versions, fmt.Sprintf("v%d", i))
		}
	}
	return m
}

// collapse trims s and replaces each run of white space with one space.
func collapse(s string) string { return strings.Join(strings.Fields(s), " ") }

func firstNonEmpty(ss ...string) string {
	for _, s := range ss {
		if s != "" {
			return s
		}
	}
	return ""
}
