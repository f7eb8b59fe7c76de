// Package arxivtest runs a fake arXiv for tests: an HTTP server on the
// loopback interface that speaks arXiv's formats (the API's Atom feed, the
// e-prints, the PDFs) for papers the test adds, records every request, and
// counts how many are in flight at once. It also builds e-prints: gzipped
// tar archives, including hostile ones, and gzipped single files.
//
// It is meant for tests only.
package arxivtest

import (
	"archive/tar"
	"bytes"
	"compress/gzip"
	"fmt"
	"html"
	"net/http"
	"net/http/httptest"
	"sort"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/reprohq/repro/internal/arxiv"
)

// Paper is a paper the fake arXiv serves.
type Paper struct {
	// ID is the identifier, "2501.00663" or "hep-th/9901001".
	ID string
	// Versions is the number of the latest version; 0 means 1.
	Versions int
	// Title, Abstract, Authors and Categories fill the Atom entry; the
	// first category is the primary one. Defaults are made up.
	Title      string
	Abstract   string
	Authors    []string
	Categories []string
	// Source is the e-print of every version, unless Sources has one for
	// the version ("v2").
	Source  []byte
	Sources map[string][]byte
	// PDF is the PDF of every version; default a tiny fake PDF.
	PDF []byte
}

// Request is a request the server received.
type Request struct {
	Path       string // the path and query, "/e-print/2501.00663v1"
	Start, End time.Time
}

// Server is a fake arXiv. Its URL serves /api/query, /abs/ID, /e-print/ID
// and /pdf/ID.
type Server struct {
	*httptest.Server

	mu        sync.Mutex
	papers    map[string]*Paper
	overrides map[string]http.Handler
	requests  []Request
	inFlight  int
	maxFlight int
}

// NewServer starts a fake arXiv on 127.0.0.1, closed when the test ends.
func NewServer(t testing.TB) *Server {
	s := &Server{papers: map[string]*Paper{}, overrides: map[string]http.Handler{}}
	s.Server = httptest.NewServer(http.HandlerFunc(s.serveHTTP))
	t.Cleanup(s.Close)
	return s
}

// APIURL is the address of the fake API's query endpoint.
func (s *Server) APIURL() string { return s.URL + "/api/query" }

// Options returns client options that talk to this server, with a short
// MinInterval (20 ms), short timeouts and quick retries.
func (s *Server) Options() arxiv.Options {
	return arxiv.Options{
		BaseURL:      s.URL,
		APIURL:       s.APIURL(),
		MinInterval:  20 * time.Millisecond,
		MaxRetries:   2,
		Timeout:      5 * time.Second,
		StallTimeout: 2 * time.Second,
		UserAgent:    "repro-test",
	}
}

// Add makes the server serve p.
func (s *Server) Add(p Paper) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if p.Versions == 0 {
		p.Versions = 1
	}
	s.papers[p.ID] = &p
}

// Handle makes h answer requests for path (without the query, such as
// "/e-print/2501.00663v1" or "/api/query") instead of the fake arXiv; h may
// call s.Serve to answer as arXiv would. A nil h removes the override.
func (s *Server) Handle(path string, h http.Handler) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if h == nil {
		delete(s.overrides, path)
		return
	}
	s.overrides[path] = h
}

// Requests returns the requests received so far, in order of arrival.
func (s *Server) Requests() []Request {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]Request(nil), s.requests...)
}

// Count returns how many requests the server received.
func (s *Server) Count() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return len(s.requests)
}

// MaxInFlight returns the largest number of requests that were being
// answered at the same time.
func (s *Server) MaxInFlight() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.maxFlight
}

func (s *Server) serveHTTP(w http.ResponseWriter, r *http.Request) {
	s.mu.Lock()
	i := len(s.requests)
	s.requests = append(s.requests, Request{Path: r.URL.RequestURI(), Start: time.Now()})
	s.inFlight++
	s.maxFlight = max(s.maxFlight, s.inFlight)
	h := s.overrides[r.URL.Path]
	s.mu.Unlock()
	defer func() {
		s.mu.Lock()
		s.inFlight--
		s.requests[i].End = time.Now()
		s.mu.Unlock()
	}()
	if h != nil {
		h.ServeHTTP(w, r)
		return
	}
	s.Serve(w, r)
}

// Serve answers r as arXiv would, from the papers added.
func (s *Server) Serve(w http.ResponseWriter, r *http.Request) {
	p := r.URL.Path
	switch {
	case p == "/api/query":
		s.serveAPI(w, r)
	case strings.HasPrefix(p, "/e-print/"):
		s.serveFile(w, strings.TrimPrefix(p, "/e-print/"), "application/gzip", func(pp *Paper, v string) []byte {
			if b, ok := pp.Sources[v]; ok {
				return b
			}
			return pp.Source
		})
	case strings.HasPrefix(p, "/pdf/"):
		s.serveFile(w, strings.TrimSuffix(strings.TrimPrefix(p, "/pdf/"), ".pdf"), "application/pdf", func(pp *Paper, v string) []byte {
			if pp.PDF != nil {
				return pp.PDF
			}
			return FakePDF(pp.ID + v)
		})
	case strings.HasPrefix(p, "/abs/"):
		pp, v, ok := s.lookup(strings.TrimPrefix(p, "/abs/"))
		if !ok {
			http.NotFound(w, r)
			return
		}
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		fmt.Fprintf(w, "<!DOCTYPE html><html><head><title>[%s%s] %s</title></head><body></body></html>\n",
			pp.ID, v, html.EscapeString(pp.title()))
	default:
		http.NotFound(w, r)
	}
}

// lookup finds the paper and version (the latest when s has none) of s.
func (s *Server) lookup(ref string) (*Paper, string, bool) {
	r, ok := arxiv.ParseRef(ref)
	if !ok {
		return nil, "", false
	}
	s.mu.Lock()
	p := s.papers[r.ID]
	s.mu.Unlock()
	if p == nil {
		return nil, "", false
	}
	v := r.Version
	if v == "" {
		v = "v" + strconv.Itoa(p.Versions)
	}
	n, _ := strconv.Atoi(strings.TrimPrefix(v, "v"))
	if n < 1 || n > p.Versions {
		return nil, "", false
	}
	return p, v, true
}

func (s *Server) serveFile(w http.ResponseWriter, ref, ctype string, body func(*Paper, string) []byte) {
	p, v, ok := s.lookup(ref)
	var b []byte
	if ok {
		b = body(p, v)
	}
	if b == nil {
		http.Error(w, "not found", http.StatusNotFound)
		return
	}
	w.Header().Set("Content-Type", ctype)
	w.Header().Set("Content-Length", strconv.Itoa(len(b)))
	w.Write(b)
}

func (s *Server) serveAPI(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Content-Type", "application/atom+xml; charset=utf-8")
	id := r.URL.Query().Get("id_list")
	if _, ok := arxiv.ParseRef(id); !ok {
		w.WriteHeader(http.StatusBadRequest)
		w.Write(ErrorFeed(id))
		return
	}
	p, v, ok := s.lookup(id)
	if !ok {
		w.Write(EmptyFeed(id))
		return
	}
	w.Write(p.feed(v))
}

func (p *Paper) title() string {
	if p.Title != "" {
		return p.Title
	}
	return "A Test Paper Numbered " + p.ID
}

const feedHead = `<?xml version="1.0" encoding="UTF-8"?>
<feed xmlns="http://www.w3.org/2005/Atom">
  <link href="http://arxiv.org/api/query?search_query%%3D%%26id_list%%3D%[1]s%%26start%%3D0%%26max_results%%3D10" rel="self" type="application/atom+xml"/>
  <title type="html">ArXiv Query: search_query=&amp;id_list=%[1]s&amp;start=0&amp;max_results=10</title>
  <id>http://arxiv.org/api/fakeQueryId</id>
  <updated>2025-03-04T00:00:00-05:00</updated>
  <opensearch:totalResults xmlns:opensearch="http://a9.com/-/spec/opensearch/1.1/">%[2]d</opensearch:totalResults>
  <opensearch:startIndex xmlns:opensearch="http://a9.com/-/spec/opensearch/1.1/">0</opensearch:startIndex>
  <opensearch:itemsPerPage xmlns:opensearch="http://a9.com/-/spec/opensearch/1.1/">10</opensearch:itemsPerPage>
`

// feed is the API's answer about version v of p.
func (p *Paper) feed(v string) []byte {
	var b bytes.Buffer
	e := html.EscapeString
	fmt.Fprintf(&b, feedHead, e(p.ID+v), 1)
	abstract := p.Abstract
	if abstract == "" {
		abstract = "We test\n  a tool that reads papers."
	}
	authors := p.Authors
	if len(authors) == 0 {
		authors = []string{"Ada Example", "Bo Sample"}
	}
	cats := p.Categories
	if len(cats) == 0 {
		cats = []string{"cs.LG", "stat.ML"}
	}
	n, _ := strconv.Atoi(strings.TrimPrefix(v, "v"))
	fmt.Fprintf(&b, "  <entry>\n    <id>http://arxiv.org/abs/%s%s</id>\n", e(p.ID), v)
	fmt.Fprintf(&b, "    <updated>2025-01-%02dT10:00:00Z</updated>\n    <published>2025-01-01T10:00:00Z</published>\n", min(n, 28))
	fmt.Fprintf(&b, "    <title>%s</title>\n    <summary>%s</summary>\n", e(p.title()), e(abstract))
	for _, a := range authors {
		fmt.Fprintf(&b, "    <author>\n      <name>%s</name>\n    </author>\n", e(a))
	}
	fmt.Fprintf(&b, "    <link href=\"http://arxiv.org/abs/%s%s\" rel=\"alternate\" type=\"text/html\"/>\n", e(p.ID), v)
	fmt.Fprintf(&b, "    <link title=\"pdf\" href=\"http://arxiv.org/pdf/%s%s\" rel=\"related\" type=\"application/pdf\"/>\n", e(p.ID), v)
	fmt.Fprintf(&b, "    <arxiv:primary_category xmlns:arxiv=\"http://arxiv.org/schemas/atom\" term=\"%s\" scheme=\"http://arxiv.org/schemas/atom\"/>\n", e(cats[0]))
	for _, c := range cats {
		fmt.Fprintf(&b, "    <category term=\"%s\" scheme=\"http://arxiv.org/schemas/atom\"/>\n", e(c))
	}
	b.WriteString("  </entry>\n</feed>\n")
	return b.Bytes()
}

// EmptyFeed is the API's answer for an identifier it does not know: a feed
// with no entry.
func EmptyFeed(id string) []byte {
	return []byte(fmt.Sprintf(feedHead, html.EscapeString(id), 0) + "</feed>\n")
}

// ErrorFeed is the API's answer for a malformed identifier: a feed whose
// one entry is an error.
func ErrorFeed(id string) []byte {
	e := html.EscapeString(id)
	return []byte(fmt.Sprintf(feedHead, e, 1) + fmt.Sprintf(`  <entry>
    <id>http://arxiv.org/api/errors#incorrect_id_format_for_%[1]s</id>
    <title>Error</title>
    <summary>incorrect id format for %[1]s</summary>
    <updated>2025-03-04T00:00:00-05:00</updated>
    <link href="http://arxiv.org/api/errors#incorrect_id_format_for_%[1]s" rel="alternate" type="text/html"/>
    <author>
      <name>arXiv api core</name>
    </author>
  </entry>
</feed>
`, e))
}

// FakePDF returns a small document that starts like a PDF.
func FakePDF(text string) []byte {
	return []byte("%PDF-1.5\n%\xe2\xe3\xcf\xd3\n1 0 obj << /Title (" + text + ") >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n")
}

// Entry is a tar archive entry. A zero Type is a regular file; Link is the
// target of a link.
type Entry struct {
	Name string
	Body string
	Type byte
	Link string
	// Size, when set, is the size of a regular file whose body is Size
	// zero bytes (Body is ignored): a cheap way to build an archive bomb.
	Size int64
}

// Tar returns a tar archive of entries, in order.
func Tar(entries ...Entry) []byte {
	var b bytes.Buffer
	writeTar(&b, entries)
	return b.Bytes()
}

// TarGz returns a gzipped tar archive of entries, in order.
func TarGz(entries ...Entry) []byte {
	var b bytes.Buffer
	zw := gzip.NewWriter(&b)
	writeTar(zw, entries)
	if err := zw.Close(); err != nil {
		panic(err)
	}
	return b.Bytes()
}

// Files returns the entries of regular files with the given contents, in
// sorted order of name.
func Files(files map[string]string) []Entry {
	names := make([]string, 0, len(files))
	for n := range files {
		names = append(names, n)
	}
	sort.Strings(names)
	var out []Entry
	for _, n := range names {
		out = append(out, Entry{Name: n, Body: files[n]})
	}
	return out
}

func writeTar(w interface{ Write([]byte) (int, error) }, entries []Entry) {
	tw := tar.NewWriter(w)
	for _, e := range entries {
		h := &tar.Header{Name: e.Name, Mode: 0o644, Typeflag: e.Type, Linkname: e.Link, ModTime: time.Unix(1735689600, 0), Format: tar.FormatPAX}
		if h.Typeflag == 0 {
			h.Typeflag = tar.TypeReg
		}
		switch h.Typeflag {
		case tar.TypeReg:
			h.Size = int64(len(e.Body))
			if e.Size > 0 {
				h.Size = e.Size
			}
		case tar.TypeDir:
			h.Mode = 0o755
		}
		if err := tw.WriteHeader(h); err != nil {
			panic(err)
		}
		if h.Typeflag == tar.TypeReg {
			if e.Size > 0 {
				zero := make([]byte, 1<<20)
				for left := e.Size; left > 0; {
					n := min(left, int64(len(zero)))
					if _, err := tw.Write(zero[:n]); err != nil {
						panic(err)
					}
					left -= n
				}
			} else if _, err := tw.Write([]byte(e.Body)); err != nil {
				panic(err)
			}
		}
	}
	if err := tw.Close(); err != nil {
		panic(err)
	}
}

// Gz returns data gzipped: with a .tex file, an e-print of a single-file
// paper.
func Gz(data []byte) []byte {
	var b bytes.Buffer
	zw := gzip.NewWriter(&b)
	zw.Write(data)
	if err := zw.Close(); err != nil {
		panic(err)
	}
	return b.Bytes()
}

// TeX returns a small, complete LaTeX paper titled title.
func TeX(title string) string {
	return `\documentclass{article}
\title{` + title + `}
\begin{document}
\maketitle
\section{Introduction}
We test.
\begin{equation}\label{eq:one}
  y = W x + b
\end{equation}
\end{document}
`
}
