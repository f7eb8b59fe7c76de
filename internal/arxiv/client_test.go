package arxiv_test

import (
	"bytes"
	"context"
	"errors"
	"net"
	"net/http"
	"reflect"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/reprohq/repro/internal/arxiv"
	"github.com/reprohq/repro/internal/arxiv/arxivtest"
	"github.com/reprohq/repro/internal/xerr"
)

// jitter is the difference allowed between the client's and the server's
// view of the time between two requests: the server sees each request a
// little after the client starts it, later still on a loaded machine (a
// CI run saw 6 ms). The spacings tested are 50 ms or more, so a client that
// did not wait still fails.
const jitter = 20 * time.Millisecond

var (
	tiny    = arxiv.Ref{ID: "2501.00663"}
	tinyTeX = arxivtest.TeX("Tiny")
)

func newServer(t *testing.T) *arxivtest.Server {
	s := arxivtest.NewServer(t)
	s.Add(arxivtest.Paper{ID: tiny.ID, Versions: 2, Title: "A Tiny\n   Paper", Authors: []string{"Ada Example", "Bo  Sample"},
		Source: arxivtest.TarGz(arxivtest.Files(map[string]string{"main.tex": tinyTeX, "fig.png": "\x89PNG"})...)})
	s.Add(arxivtest.Paper{ID: "2502.00001", Source: arxivtest.Gz([]byte(tinyTeX))})
	s.Add(arxivtest.Paper{ID: "2502.00002", Source: arxivtest.FakePDF("only a pdf")})
	s.Add(arxivtest.Paper{ID: "2502.00003", Source: arxivtest.Tar(arxivtest.Files(map[string]string{"a.tex": tinyTeX})...)})
	s.Add(arxivtest.Paper{ID: "2502.00004", Source: []byte(tinyTeX)})
	s.Add(arxivtest.Paper{ID: "2502.00005", Source: []byte("<!DOCTYPE html><html><body>Please wait</body></html>")})
	s.Add(arxivtest.Paper{ID: "2502.00006", Source: arxivtest.Gz(arxivtest.FakePDF("gzipped pdf"))})
	s.Add(arxivtest.Paper{ID: "hep-th/9901001", Source: arxivtest.Gz([]byte(tinyTeX))})
	return s
}

// client returns a client for s with options changed by set.
func client(s *arxivtest.Server, set func(*arxiv.Options)) *arxiv.Client {
	o := s.Options()
	if set != nil {
		set(&o)
	}
	return arxiv.NewClient(o)
}

// checkXerr checks that err is a *xerr.Error of kind input whose message
// contains msg and whose hint contains hint.
func checkXerr(t *testing.T, err error, msg, hint string) {
	t.Helper()
	var xe *xerr.Error
	if !errors.As(err, &xe) {
		t.Fatalf("error %v (%T) is not an *xerr.Error", err, err)
	}
	if xe.Kind != xerr.KindInput {
		t.Errorf("kind %v, want input", xe.Kind)
	}
	if !strings.Contains(err.Error(), msg) {
		t.Errorf("error %q does not contain %q", err, msg)
	}
	if !strings.Contains(xe.Hint, hint) {
		t.Errorf("hint %q does not contain %q", xe.Hint, hint)
	}
	if m := err.Error(); m != "" && m[:1] != strings.ToLower(m[:1]) {
		t.Errorf("error %q is not lower case", m)
	}
}

func TestMetadata(t *testing.T) {
	s := newServer(t)
	c := client(s, nil)
	ctx := context.Background()

	m, err := c.Metadata(ctx, tiny)
	if err != nil {
		t.Fatal(err)
	}
	want := &arxiv.Metadata{
		ID: tiny.ID, Version: "v2", Title: "A Tiny Paper", Authors: []string{"Ada Example", "Bo Sample"},
		Abstract: "We test a tool that reads papers.", Categories: []string{"cs.LG", "stat.ML"}, PrimaryCategory: "cs.LG",
		Published: "2025-01-01T10:00:00Z", Updated: "2025-01-02T10:00:00Z", Versions: []string{"v1", "v2"},
		PDFURL: "http://arxiv.org/pdf/2501.00663v2",
	}
	if !reflect.DeepEqual(m, want) {
		t.Errorf("Metadata:\n got %+v\nwant %+v", m, want)
	}
	m, err = c.Metadata(ctx, arxiv.Ref{ID: tiny.ID, Version: "v1"})
	if err != nil {
		t.Fatal(err)
	}
	if m.Version != "v1" || m.Versions != nil {
		t.Errorf("v1: version %q, versions %v", m.Version, m.Versions)
	}
	m, err = c.Metadata(ctx, arxiv.Ref{ID: "hep-th/9901001"})
	if err != nil {
		t.Fatal(err)
	}
	if m.ID != "hep-th/9901001" || m.Version != "v1" {
		t.Errorf("old style: %+v", m)
	}
	reqs := s.Requests()
	if len(reqs) != 3 || reqs[0].Path != "/api/query?id_list=2501.00663" || reqs[2].Path != "/api/query?id_list=hep-th%2F9901001" {
		t.Errorf("requests: %+v", reqs)
	}
}

func TestMetadataNotFound(t *testing.T) {
	tests := []struct {
		name string
		ref  arxiv.Ref
		msg  string
	}{
		{"unknown paper", arxiv.Ref{ID: "2501.99999"}, "no arXiv paper 2501.99999: " + "%s/api/query?id_list=2501.99999: the API returned no entry"},
		{"unknown version", arxiv.Ref{ID: tiny.ID, Version: "v7"}, "no arXiv paper 2501.00663v7"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := newServer(t)
			_, err := client(s, nil).Metadata(context.Background(), tt.ref)
			if !errors.Is(err, arxiv.ErrNotFound) {
				t.Fatalf("error %v does not match ErrNotFound", err)
			}
			checkXerr(t, err, strings.ReplaceAll(tt.msg, "%s", s.URL), "check the arXiv id")
			if n := s.Count(); n != 1 {
				t.Errorf("%d requests, want 1 (no retry)", n)
			}
		})
	}
	// The API answers a malformed id with 400 and an error feed.
	s := newServer(t)
	s.Handle("/api/query", http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.WriteHeader(http.StatusBadRequest)
		w.Write(arxivtest.ErrorFeed("2501.00663"))
	}))
	_, err := client(s, nil).Metadata(context.Background(), tiny)
	if !errors.Is(err, arxiv.ErrNotFound) {
		t.Fatalf("error %v does not match ErrNotFound", err)
	}
	checkXerr(t, err, "incorrect id format for 2501.00663", "check the arXiv id")
	if n := s.Count(); n != 1 {
		t.Errorf("%d requests, want 1", n)
	}
}

func TestMetadataBadFeed(t *testing.T) {
	s := newServer(t)
	s.Handle("/api/query", http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Write([]byte("<html><body>maintenance</body></html>"))
	}))
	_, err := client(s, nil).Metadata(context.Background(), tiny)
	if errors.Is(err, arxiv.ErrNotFound) {
		t.Errorf("error %v matches ErrNotFound", err)
	}
	checkXerr(t, err, "unexpected answer from the arXiv API: "+s.URL+"/api/query?id_list=2501.00663: not an Atom feed", "try again later")
}

func TestSource(t *testing.T) {
	s := newServer(t)
	c := client(s, nil)
	tests := []struct {
		ref   string
		kind  string
		check func([]byte) bool
	}{
		{"2501.00663", arxiv.KindTarGz, func(b []byte) bool { return bytes.HasPrefix(b, []byte{0x1f, 0x8b}) }},
		{"2501.00663v1", arxiv.KindTarGz, nil},
		{"2502.00001", arxiv.KindGz, nil},
		{"2502.00002", arxiv.KindPDF, func(b []byte) bool { return bytes.HasPrefix(b, []byte("%PDF-1.5")) }},
		{"2502.00003", arxiv.KindTar, nil},
		{"2502.00004", arxiv.KindTeX, func(b []byte) bool { return string(b) == tinyTeX }},
		{"2502.00006", arxiv.KindPDF, func(b []byte) bool { return bytes.HasPrefix(b, []byte("%PDF-1.5")) }},
		{"hep-th/9901001", arxiv.KindGz, nil},
	}
	for _, tt := range tests {
		r, _ := arxiv.ParseRef(tt.ref)
		data, kind, err := c.Source(context.Background(), r)
		if err != nil {
			t.Errorf("%s: %v", tt.ref, err)
			continue
		}
		if kind != tt.kind || (tt.check != nil && !tt.check(data)) {
			t.Errorf("%s: kind %q, data %.20q", tt.ref, kind, data)
		}
	}
	if n := s.Count(); n != len(tests) {
		t.Errorf("%d requests, want %d", n, len(tests))
	}
}

func TestSourceErrors(t *testing.T) {
	tests := []struct {
		name     string
		ref      string
		handler  http.HandlerFunc
		requests int
		notFound bool
		msg      string
		hint     string
	}{
		{name: "404", ref: "2503.00001", requests: 1, notFound: true,
			msg: "no arXiv paper 2503.00001: %s/e-print/2503.00001: 404 Not Found", hint: "check the arXiv id"},
		{name: "410", ref: "2501.00663", requests: 1, notFound: true, msg: "410 Gone",
			handler: func(w http.ResponseWriter, r *http.Request) { w.WriteHeader(http.StatusGone) }},
		{name: "403", ref: "2501.00663", requests: 1, msg: "arXiv refused the request for 2501.00663: %s/e-print/2501.00663: 403 Forbidden", hint: "try again later",
			handler: func(w http.ResponseWriter, r *http.Request) { w.WriteHeader(http.StatusForbidden) }},
		{name: "400", ref: "2501.00663", requests: 1, msg: "unexpected answer from arXiv for 2501.00663: %s/e-print/2501.00663: 400 Bad Request", hint: "check the arXiv id",
			handler: func(w http.ResponseWriter, r *http.Request) { w.WriteHeader(http.StatusBadRequest) }},
		{name: "html", ref: "2502.00005", requests: 1, msg: "arXiv 2502.00005: unexpected e-print: %s/e-print/2502.00005: not a source archive, a .tex file or a PDF: an HTML page", hint: "/abs/2502.00005"},
		{name: "503 always", ref: "2501.00663", requests: 3, msg: "arXiv is unavailable (3 attempts): %s/e-print/2501.00663: 503 Service Unavailable", hint: "--offline",
			handler: func(w http.ResponseWriter, r *http.Request) { w.WriteHeader(http.StatusServiceUnavailable) }},
		{name: "429 always", ref: "2501.00663", requests: 3, msg: "arXiv is limiting requests (3 attempts)", hint: "wait a few minutes",
			handler: func(w http.ResponseWriter, r *http.Request) { w.WriteHeader(http.StatusTooManyRequests) }},
		{name: "damaged gzip", ref: "2501.00663", requests: 3, msg: "arXiv 2501.00663: the download arrived damaged (3 attempts)", hint: "try again later",
			handler: func(w http.ResponseWriter, r *http.Request) {
				gz := arxivtest.TarGz(arxivtest.Files(map[string]string{"main.tex": tinyTeX})...)
				w.Write(gz[:len(gz)-10]) // a complete response, but a cut gzip stream
			}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := newServer(t)
			if tt.handler != nil {
				s.Handle("/e-print/"+tt.ref, tt.handler)
			}
			r, _ := arxiv.ParseRef(tt.ref)
			_, _, err := client(s, nil).Source(context.Background(), r)
			if err == nil {
				t.Fatal("no error")
			}
			if errors.Is(err, arxiv.ErrNotFound) != tt.notFound {
				t.Errorf("errors.Is(%v, ErrNotFound) = %v", err, !tt.notFound)
			}
			checkXerr(t, err, strings.ReplaceAll(tt.msg, "%s", s.URL), tt.hint)
			if n := s.Count(); n != tt.requests {
				t.Errorf("%d requests, want %d", n, tt.requests)
			}
		})
	}
}

func TestPDF(t *testing.T) {
	s := newServer(t)
	c := client(s, nil)
	b, err := c.PDF(context.Background(), arxiv.Ref{ID: tiny.ID, Version: "v1"})
	if err != nil || !bytes.HasPrefix(b, []byte("%PDF-")) {
		t.Fatalf("PDF: %.20q, %v", b, err)
	}
	s.Handle("/pdf/2501.00663", http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { w.Write([]byte("<html>captcha</html>")) }))
	_, err = c.PDF(context.Background(), tiny)
	checkXerr(t, err, "not a PDF: an HTML page", "/abs/2501.00663")
	_, err = c.PDF(context.Background(), arxiv.Ref{ID: "2503.00001"})
	if !errors.Is(err, arxiv.ErrNotFound) {
		t.Errorf("missing PDF: %v", err)
	}
}

// retryHandler answers the first n requests with status (and Retry-After
// when set), then as arXiv.
func retryHandler(s *arxivtest.Server, n int, status int, retryAfter string) http.Handler {
	var count atomic.Int32
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if int(count.Add(1)) <= n {
			if retryAfter == "date" {
				// An HTTP date 2 s ahead, made when the answer is sent
				// (whole seconds: the client waits between 1 and 2 s).
				w.Header().Set("Retry-After", time.Now().Add(2*time.Second).UTC().Format(http.TimeFormat))
			} else if retryAfter != "" {
				w.Header().Set("Retry-After", retryAfter)
			}
			w.WriteHeader(status)
			w.Write([]byte("busy"))
			return
		}
		s.Serve(w, r)
	})
}

func TestRetries(t *testing.T) {
	tests := []struct {
		name     string
		status   int
		fails    int
		after    string
		minGap   time.Duration // between the starts of the requests
		maxTotal time.Duration
	}{
		{name: "429 retry-after seconds", status: 429, fails: 1, after: "1", minGap: time.Second, maxTotal: 3 * time.Second},
		{name: "503 retry-after date", status: 503, fails: 1, after: "date", minGap: 900 * time.Millisecond, maxTotal: 4 * time.Second},
		{name: "503 then success", status: 503, fails: 2, minGap: 50 * time.Millisecond, maxTotal: 2 * time.Second},
		{name: "500", status: 500, fails: 1, minGap: 50 * time.Millisecond, maxTotal: 2 * time.Second},
		{name: "502", status: 502, fails: 1, minGap: 50 * time.Millisecond, maxTotal: 2 * time.Second},
		{name: "504", status: 504, fails: 2, minGap: 50 * time.Millisecond, maxTotal: 2 * time.Second},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			s := newServer(t)
			s.Handle("/e-print/2501.00663", retryHandler(s, tt.fails, tt.status, tt.after))
			c := client(s, func(o *arxiv.Options) { o.MinInterval = 50 * time.Millisecond })
			start := time.Now()
			_, kind, err := c.Source(context.Background(), tiny)
			if err != nil || kind != arxiv.KindTarGz {
				t.Fatalf("Source: %q, %v", kind, err)
			}
			if d := time.Since(start); d > tt.maxTotal {
				t.Errorf("took %v", d)
			}
			reqs := s.Requests()
			if len(reqs) != tt.fails+1 {
				t.Fatalf("%d requests, want %d", len(reqs), tt.fails+1)
			}
			for i := 1; i < len(reqs); i++ {
				// The server sees a request a little after the client
				// starts it; allow for that jitter.
				if gap := reqs[i].Start.Sub(reqs[i-1].Start); gap < tt.minGap-jitter {
					t.Errorf("request %d started %v after the previous one, want at least %v", i, gap, tt.minGap)
				}
			}
		})
	}
}

func TestNoRetries(t *testing.T) {
	s := newServer(t)
	s.Handle("/e-print/2501.00663", retryHandler(s, 1, 503, ""))
	c := client(s, func(o *arxiv.Options) { o.MaxRetries = -1 })
	_, _, err := c.Source(context.Background(), tiny)
	checkXerr(t, err, "arXiv is unavailable: ", "try again later")
	if n := s.Count(); n != 1 {
		t.Errorf("%d requests, want 1", n)
	}
}

// TestSpacing runs many calls at once and checks, with the server's clock,
// that they were made one at a time and MinInterval apart.
func TestSpacing(t *testing.T) {
	s := newServer(t)
	const interval = 100 * time.Millisecond
	// Slow answers, so that overlapping requests would be seen.
	s.Handle("/pdf/2501.00663", http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Length", "2000")
		w.Write(bytes.Repeat([]byte("%PDF-1.5\n"), 1)[:9])
		w.(http.Flusher).Flush()
		time.Sleep(30 * time.Millisecond)
		w.Write(bytes.Repeat([]byte("x"), 1991))
	}))
	c := client(s, func(o *arxiv.Options) { o.MinInterval = interval })
	var wg sync.WaitGroup
	errs := make(chan error, 8)
	for i := range 8 {
		wg.Go(func() {
			var err error
			switch i % 3 {
			case 0:
				_, err = c.PDF(context.Background(), tiny)
			case 1:
				_, _, err = c.Source(context.Background(), tiny)
			default:
				_, err = c.Metadata(context.Background(), tiny)
			}
			errs <- err
		})
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		if err != nil {
			t.Error(err)
		}
	}
	if n := s.MaxInFlight(); n != 1 {
		t.Errorf("%d requests in flight at once, want 1", n)
	}
	reqs := s.Requests()
	if len(reqs) != 8 {
		t.Fatalf("%d requests, want 8", len(reqs))
	}
	for i := 1; i < len(reqs); i++ {
		if reqs[i].Start.Before(reqs[i-1].End) {
			t.Errorf("request %d started before request %d ended", i, i-1)
		}
		if gap := reqs[i].Start.Sub(reqs[i-1].Start); gap < interval-jitter {
			t.Errorf("request %d started %v after the previous one, want at least %v", i, gap, interval)
		}
	}
}

func TestRedirectSpacing(t *testing.T) {
	s := newServer(t)
	s.Handle("/pdf/2501.00663", http.RedirectHandler("/pdf/2501.00663v2", http.StatusFound))
	const interval = 80 * time.Millisecond
	c := client(s, func(o *arxiv.Options) { o.MinInterval = interval })
	if _, err := c.PDF(context.Background(), tiny); err != nil {
		t.Fatal(err)
	}
	reqs := s.Requests()
	if len(reqs) != 2 || reqs[1].Path != "/pdf/2501.00663v2" {
		t.Fatalf("requests: %+v", reqs)
	}
	if gap := reqs[1].Start.Sub(reqs[0].Start); gap < interval-jitter {
		t.Errorf("redirect followed after %v, want at least %v", gap, interval)
	}
}

func TestStall(t *testing.T) {
	s := newServer(t)
	s.Handle("/e-print/2501.00663", http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Length", "100000")
		w.Write([]byte{0x1f, 0x8b, 8, 0, 0, 0})
		w.(http.Flusher).Flush()
		select {
		case <-r.Context().Done():
		case <-time.After(10 * time.Second):
		}
	}))
	c := client(s, func(o *arxiv.Options) { o.StallTimeout = 200 * time.Millisecond; o.MaxRetries = 1 })
	start := time.Now()
	_, _, err := c.Source(context.Background(), tiny)
	if d := time.Since(start); d > 2*time.Second {
		t.Errorf("took %v", d)
	}
	checkXerr(t, err, "arXiv did not answer in time (2 attempts): "+s.URL+"/e-print/2501.00663: download stalled: no data for 200ms", "--offline")
	if errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded) {
		t.Errorf("a stall looks like a cancellation: %v", err)
	}
	if n := s.Count(); n != 2 {
		t.Errorf("%d requests, want 2", n)
	}
}

func TestHeaderTimeout(t *testing.T) {
	s := newServer(t)
	s.Handle("/api/query", http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		select {
		case <-r.Context().Done():
		case <-time.After(10 * time.Second):
		}
	}))
	c := client(s, func(o *arxiv.Options) { o.Timeout = 150 * time.Millisecond; o.MaxRetries = -1 })
	start := time.Now()
	_, err := c.Metadata(context.Background(), tiny)
	if d := time.Since(start); d > 2*time.Second {
		t.Errorf("took %v", d)
	}
	checkXerr(t, err, "arXiv did not answer in time: "+s.URL+"/api/query?id_list=2501.00663: no answer for 150ms", "--offline")
}

// TestCutDownload checks that a connection closed in the middle of the body
// is an error, retried.
func TestCutDownload(t *testing.T) {
	s := newServer(t)
	var n atomic.Int32
	s.Handle("/e-print/2501.00663", http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if n.Add(1) > 1 {
			s.Serve(w, r)
			return
		}
		cutAnswer(w, 1000, 100)
	}))
	c := client(s, nil)
	if _, _, err := c.Source(context.Background(), tiny); err != nil {
		t.Fatal(err)
	}
	c = client(s, func(o *arxiv.Options) { o.MaxRetries = -1 })
	n.Store(0)
	_, _, err := c.Source(context.Background(), tiny)
	checkXerr(t, err, "cannot reach arXiv: "+s.URL+"/e-print/2501.00663: connection closed before the end of the response", "--offline")
}

// cutAnswer announces size bytes, sends sent of them and closes the
// connection.
func cutAnswer(w http.ResponseWriter, size, sent int) {
	w.Header().Set("Content-Length", strconv.Itoa(size))
	w.WriteHeader(http.StatusOK)
	w.Write(append([]byte{0x1f, 0x8b}, bytes.Repeat([]byte{0}, sent-2)...))
	w.(http.Flusher).Flush()
	conn, _, err := http.NewResponseController(w).Hijack()
	if err == nil {
		conn.Close()
	}
}

func TestNetworkError(t *testing.T) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := "http://" + l.Addr().String()
	l.Close()
	c := arxiv.NewClient(arxiv.Options{BaseURL: addr, APIURL: addr + "/api/query", MinInterval: 10 * time.Millisecond, MaxRetries: 1})
	_, _, err = c.Source(context.Background(), tiny)
	checkXerr(t, err, "cannot reach arXiv (2 attempts): "+addr+"/e-print/2501.00663: ", "use --offline to work from the cache")
}

func TestCancel(t *testing.T) {
	s := newServer(t)
	s.Handle("/e-print/2501.00663", retryHandler(s, 10, 429, "100"))
	c := client(s, nil)
	ctx, cancel := context.WithCancel(context.Background())
	time.AfterFunc(150*time.Millisecond, cancel)
	start := time.Now()
	_, _, err := c.Source(ctx, tiny)
	if !errors.Is(err, context.Canceled) {
		t.Errorf("error %v is not context.Canceled", err)
	}
	if d := time.Since(start); d > 2*time.Second {
		t.Errorf("cancellation took %v", d)
	}
	// A call waiting for its turn is cancelled too.
	s.Handle("/e-print/2501.00663", nil)
	c = client(s, func(o *arxiv.Options) { o.MinInterval = 10 * time.Second })
	if _, _, err := c.Source(context.Background(), tiny); err != nil {
		t.Fatal(err)
	}
	ctx, cancel = context.WithTimeout(context.Background(), 100*time.Millisecond)
	defer cancel()
	start = time.Now()
	_, _, err = c.Source(ctx, tiny)
	if !errors.Is(err, context.DeadlineExceeded) || time.Since(start) > 2*time.Second {
		t.Errorf("waiting for the interval: %v after %v", err, time.Since(start))
	}
}

func TestUserAgentAndEnv(t *testing.T) {
	s := newServer(t)
	var ua atomic.Value
	s.Handle("/pdf/2501.00663", http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		ua.Store(r.UserAgent())
		s.Serve(w, r)
	}))
	t.Setenv(arxiv.EnvBaseURL, s.URL)
	t.Setenv(arxiv.EnvAPIURL, s.APIURL())
	c := arxiv.NewClient(arxiv.Options{MinInterval: 10 * time.Millisecond})
	if _, err := c.PDF(context.Background(), tiny); err != nil {
		t.Fatal(err)
	}
	if got := ua.Load(); got != arxiv.UserAgent("") || !strings.HasPrefix(got.(string), "repro/") || !strings.Contains(got.(string), "(+https://github.com/reprohq/repro)") {
		t.Errorf("User-Agent %q", got)
	}
	if _, err := c.Metadata(context.Background(), tiny); err != nil {
		t.Fatal(err)
	}
	if got := arxiv.UserAgent("v1.2.3"); got != "repro/v1.2.3 (+https://github.com/reprohq/repro)" {
		t.Errorf("UserAgent(v1.2.3) = %q", got)
	}
	if got := c.EPrintURL(arxiv.Ref{ID: "hep-th/9901001", Version: "v2"}); got != s.URL+"/e-print/hep-th/9901001v2" {
		t.Errorf("EPrintURL = %q", got)
	}
}

func TestBadRef(t *testing.T) {
	c := arxiv.NewClient(arxiv.Options{BaseURL: "http://127.0.0.1:1", APIURL: "http://127.0.0.1:1/api/query"})
	for _, r := range []arxiv.Ref{{}, {ID: "main.tex"}, {ID: "2501.00663", Version: "2"}} {
		if _, err := c.Metadata(context.Background(), r); xerr.KindOf(err) != xerr.KindUsage {
			t.Errorf("Metadata(%+v): %v", r, err)
		}
	}
}
