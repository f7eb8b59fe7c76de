package fetch_test

import (
	"archive/tar"
	"context"
	"encoding/json"
	"errors"
	"io/fs"
	"net/http"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/reprohq/repro/internal/arxiv"
	"github.com/reprohq/repro/internal/arxiv/arxivtest"
	"github.com/reprohq/repro/internal/fetch"
	_ "github.com/reprohq/repro/internal/golden"
	"github.com/reprohq/repro/internal/source"
	"github.com/reprohq/repro/internal/xerr"
)

// TestMain points the default cache at a temporary folder, so that no test
// can touch the user's real cache.
func TestMain(m *testing.M) {
	dir, err := os.MkdirTemp("", "repro-fetch-test-")
	if err != nil {
		panic(err)
	}
	os.Setenv(fetch.EnvCacheDir, filepath.Join(dir, "cache"))
	code := m.Run()
	os.RemoveAll(dir)
	os.Exit(code)
}

var (
	tiny    = arxiv.Ref{ID: "2501.00663"}
	tinyTeX = arxivtest.TeX("Tiny")
	fixed   = time.Date(2025, 3, 4, 10, 0, 0, 0, time.UTC)
)

func newServer(t *testing.T) *arxivtest.Server {
	s := arxivtest.NewServer(t)
	s.Add(arxivtest.Paper{ID: tiny.ID, Versions: 2, Title: "A Tiny Paper",
		Source: arxivtest.TarGz(arxivtest.Files(map[string]string{"main.tex": tinyTeX, "sec/intro.tex": "Intro."})...),
		Sources: map[string][]byte{
			"v1": arxivtest.TarGz(arxivtest.Files(map[string]string{"paper.tex": arxivtest.TeX("Tiny v1")})...),
		}})
	s.Add(arxivtest.Paper{ID: "2502.00001", Source: arxivtest.Gz([]byte(tinyTeX))})
	s.Add(arxivtest.Paper{ID: "2502.00002", Source: arxivtest.FakePDF("only a pdf")})
	s.Add(arxivtest.Paper{ID: "hep-th/9901001", Versions: 3, Source: arxivtest.Gz([]byte(tinyTeX))})
	return s
}

// newFetcher returns a fetcher talking to s with an empty cache.
func newFetcher(t *testing.T, s *arxivtest.Server) *fetch.Fetcher {
	c, err := fetch.OpenCache(filepath.Join(t.TempDir(), "cache"))
	if err != nil {
		t.Fatal(err)
	}
	o := s.Options()
	o.MaxRetries = -1
	return &fetch.Fetcher{Client: arxiv.NewClient(o), Cache: c, Now: func() time.Time { return fixed }}
}

// paths returns the requests s received since the last call, by path.
func paths(s *arxivtest.Server, from *int) []string {
	var out []string
	reqs := s.Requests()
	for _, r := range reqs[*from:] {
		out = append(out, r.Path)
	}
	*from = len(reqs)
	return out
}

func TestFetch(t *testing.T) {
	s := newServer(t)
	f := newFetcher(t, s)
	ctx := context.Background()
	seen := 0
	steps := []struct {
		name      string
		ref       arxiv.Ref
		offline   bool
		version   string
		fromCache bool
		title     string
		requests  []string
	}{
		{name: "latest, first time", ref: tiny, version: "v2", title: "A Tiny Paper",
			requests: []string{"/api/query?id_list=2501.00663", "/e-print/2501.00663v2"}},
		{name: "latest again: only the API", ref: tiny, version: "v2", fromCache: true, title: "A Tiny Paper",
			requests: []string{"/api/query?id_list=2501.00663"}},
		{name: "v2: no request", ref: arxiv.Ref{ID: tiny.ID, Version: "v2"}, version: "v2", fromCache: true, title: "A Tiny Paper"},
		{name: "v1, first time", ref: arxiv.Ref{ID: tiny.ID, Version: "v1"}, version: "v1", title: "A Tiny Paper",
			requests: []string{"/api/query?id_list=2501.00663v1", "/e-print/2501.00663v1"}},
		{name: "v1 again: no request", ref: arxiv.Ref{ID: tiny.ID, Version: "v1"}, version: "v1", fromCache: true, title: "A Tiny Paper"},
		{name: "offline latest: the newest cached", ref: tiny, offline: true, version: "v2", fromCache: true, title: "A Tiny Paper"},
		{name: "offline v1", ref: arxiv.Ref{ID: tiny.ID, Version: "v1"}, offline: true, version: "v1", fromCache: true, title: "A Tiny Paper"},
		{name: "old style", ref: arxiv.Ref{ID: "hep-th/9901001"}, version: "v3", title: "A Test Paper Numbered hep-th/9901001",
			requests: []string{"/api/query?id_list=hep-th%2F9901001", "/e-print/hep-th/9901001v3"}},
		{name: "old style offline", ref: arxiv.Ref{ID: "hep-th/9901001"}, offline: true, version: "v3", fromCache: true, title: "A Test Paper Numbered hep-th/9901001"},
	}
	for _, st := range steps {
		f.Offline = st.offline
		p, err := f.Fetch(ctx, st.ref)
		if err != nil {
			t.Fatalf("%s: %v", st.name, err)
		}
		if p.Ref.ID != st.ref.ID || p.Ref.Version != st.version || p.FromCache != st.fromCache || p.Kind == "" || len(p.Data) == 0 {
			t.Errorf("%s: ref %v, from cache %v, kind %q, %d bytes", st.name, p.Ref, p.FromCache, p.Kind, len(p.Data))
		}
		if p.Meta == nil || p.Meta.Title != st.title || p.Meta.Version != st.version {
			t.Errorf("%s: metadata %+v", st.name, p.Meta)
		}
		if got := paths(s, &seen); !slices.Equal(got, st.requests) {
			t.Errorf("%s: requests %q, want %q", st.name, got, st.requests)
		}
	}

	// What the cache holds.
	if got := f.Cache.Versions(tiny.ID); !slices.Equal(got, []string{"v1", "v2"}) {
		t.Errorf("Versions = %q", got)
	}
	e, ok := f.Cache.Entry(arxiv.Ref{ID: tiny.ID, Version: "v2"})
	if !ok {
		t.Fatal("no entry for v2")
	}
	want := fetch.SourceEntry{ID: tiny.ID, Version: "v2", SHA256: e.SHA256, Kind: "tar.gz", URL: s.URL + "/e-print/2501.00663v2",
		FetchedAt: "2025-03-04T10:00:00Z", Size: e.Size}
	if *e != want || e.Size == 0 {
		t.Errorf("entry %+v", e)
	}
	blob := filepath.Join(f.Cache.Dir, "blobs", e.SHA256[:2], e.SHA256)
	if fi, err := os.Stat(blob); err != nil || fi.Size() != e.Size {
		t.Errorf("blob: %v", err)
	}
	var raw map[string]any
	b, _ := os.ReadFile(filepath.Join(f.Cache.Dir, "arxiv", "2501.00663v2", "source.json"))
	if err := json.Unmarshal(b, &raw); err != nil {
		t.Fatal(err)
	}
	for _, k := range []string{"sha256", "kind", "url", "fetched_at", "size", "version"} {
		if _, ok := raw[k]; !ok {
			t.Errorf("source.json has no %q: %s", k, b)
		}
	}
	var m arxiv.Metadata
	b, _ = os.ReadFile(filepath.Join(f.Cache.Dir, "arxiv", "2501.00663v2", "meta.json"))
	if err := json.Unmarshal(b, &m); err != nil || m.Title != "A Tiny Paper" || !slices.Equal(m.Versions, []string{"v1", "v2"}) {
		t.Errorf("meta.json: %+v, %v", m, err)
	}
	if _, err := os.Stat(filepath.Join(f.Cache.Dir, "arxiv", "hep-th_9901001v3", "source.json")); err != nil {
		t.Errorf("old-style entry: %v", err)
	}
	noTemp(t, f.Cache.Dir)
}

// noTemp checks that no temporary file is left in dir.
func noTemp(t *testing.T, dir string) {
	t.Helper()
	filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err == nil && strings.Contains(d.Name(), ".tmp") {
			t.Errorf("temporary file left: %s", p)
		}
		return nil
	})
}

func TestOffline(t *testing.T) {
	s := newServer(t)
	f := newFetcher(t, s)
	f.Offline = true
	for _, r := range []arxiv.Ref{tiny, {ID: tiny.ID, Version: "v1"}, {ID: "hep-th/9901001"}} {
		_, err := f.Fetch(context.Background(), r)
		var xe *xerr.Error
		if !errors.As(err, &xe) || xe.Kind != xerr.KindInput {
			t.Fatalf("%v: error %v", r, err)
		}
		if want := "arXiv " + r.String() + " is not in the cache (offline)"; xe.Error() != want {
			t.Errorf("error %q, want %q", xe.Error(), want)
		}
		if want := "run without --offline once to fetch it; cache: " + f.Cache.Dir; xe.Hint != want {
			t.Errorf("hint %q, want %q", xe.Hint, want)
		}
	}
	// Offline needs no client.
	f.Client = nil
	if _, _, err := f.Bundle(context.Background(), tiny); err == nil || !strings.Contains(err.Error(), "not in the cache") {
		t.Errorf("Bundle offline: %v", err)
	}
	if n := s.Count(); n != 0 {
		t.Errorf("%d requests offline", n)
	}
}

func TestDamagedBlob(t *testing.T) {
	s := newServer(t)
	f := newFetcher(t, s)
	v2 := arxiv.Ref{ID: tiny.ID, Version: "v2"}
	p, err := f.Fetch(context.Background(), v2)
	if err != nil {
		t.Fatal(err)
	}
	e, _ := f.Cache.Entry(v2)
	blob := filepath.Join(f.Cache.Dir, "blobs", e.SHA256[:2], e.SHA256)
	if err := os.WriteFile(blob, []byte("damaged"), 0o644); err != nil {
		t.Fatal(err)
	}
	if _, ok := f.Cache.Lookup(v2); ok {
		t.Fatal("a damaged blob is a hit")
	}
	if _, err := os.Stat(blob); !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("damaged blob not removed: %v", err)
	}
	// Offline, it is a miss; online, it is fetched again.
	f.Offline = true
	if _, err := f.Fetch(context.Background(), v2); err == nil {
		t.Error("offline fetch of a damaged entry succeeded")
	}
	f.Offline = false
	n := s.Count()
	p2, err := f.Fetch(context.Background(), v2)
	if err != nil || p2.FromCache || string(p2.Data) != string(p.Data) {
		t.Fatalf("refetch: %v", err)
	}
	if s.Count() != n+2 {
		t.Errorf("%d requests to refetch, want 2", s.Count()-n)
	}
	if _, ok := f.Cache.Lookup(v2); !ok {
		t.Error("refetched entry not cached")
	}
}

// TestInterrupted checks that a download cut in the middle leaves nothing
// in the cache, and that a later run succeeds.
func TestInterrupted(t *testing.T) {
	s := newServer(t)
	var cut atomic.Bool
	cut.Store(true)
	s.Handle("/e-print/2501.00663v2", http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if !cut.Load() {
			s.Serve(w, r)
			return
		}
		w.Header().Set("Content-Length", "5000")
		w.Write(arxivtest.TarGz(arxivtest.Files(map[string]string{"main.tex": tinyTeX})...)[:100])
		w.(http.Flusher).Flush()
		if conn, _, err := http.NewResponseController(w).Hijack(); err == nil {
			conn.Close()
		}
	}))
	f := newFetcher(t, s)
	_, err := f.Fetch(context.Background(), tiny)
	if err == nil || !strings.Contains(err.Error(), "connection closed before the end of the response") || xerr.HintOf(err) == "" {
		t.Fatalf("cut download: %v", err)
	}
	if vs := f.Cache.Versions(tiny.ID); len(vs) != 0 {
		t.Errorf("cached versions after a cut download: %q", vs)
	}
	filepath.WalkDir(filepath.Join(f.Cache.Dir, "blobs"), func(p string, d fs.DirEntry, err error) error {
		if err == nil && !d.IsDir() {
			t.Errorf("blob left after a cut download: %s", p)
		}
		return nil
	})
	noTemp(t, f.Cache.Dir)
	f.Offline = true
	if _, err := f.Fetch(context.Background(), tiny); err == nil {
		t.Error("offline fetch after a cut download succeeded")
	}
	f.Offline = false
	cut.Store(false)
	p, err := f.Fetch(context.Background(), tiny)
	if err != nil || p.FromCache || p.Ref.Version != "v2" {
		t.Fatalf("retry: %v", err)
	}
	if _, ok := f.Cache.Lookup(p.Ref); !ok {
		t.Error("not cached after the retry")
	}
}

func TestNotFound(t *testing.T) {
	s := newServer(t)
	f := newFetcher(t, s)
	for _, r := range []arxiv.Ref{{ID: "2503.00001"}, {ID: "2503.00001", Version: "v1"}, {ID: tiny.ID, Version: "v3"}} {
		_, err := f.Fetch(context.Background(), r)
		if !errors.Is(err, arxiv.ErrNotFound) || xerr.KindOf(err) != xerr.KindInput {
			t.Errorf("%v: %v", r, err)
		}
	}
	if vs := f.Cache.Versions("2503.00001"); len(vs) != 0 {
		t.Errorf("versions %q", vs)
	}
	if _, err := f.Fetch(context.Background(), arxiv.Ref{ID: "main.tex"}); xerr.KindOf(err) != xerr.KindUsage {
		t.Errorf("bad ref: %v", err)
	}
	// A subject class is not part of the identity.
	p, err := f.Fetch(context.Background(), arxiv.Ref{ID: "hep-th/9901001", Version: "v1"})
	if err != nil || p.Ref.String() != "hep-th/9901001v1" {
		t.Fatalf("old style: %v", err)
	}
}

func TestBundle(t *testing.T) {
	s := newServer(t)
	hostile := arxivtest.TarGz(
		arxivtest.Entry{Name: "main.tex", Body: tinyTeX},
		arxivtest.Entry{Name: "../x.tex", Body: "escape"},
		arxivtest.Entry{Name: "a/../../y.tex", Body: "escape"},
		arxivtest.Entry{Name: "/etc/passwd", Body: "root"},
		arxivtest.Entry{Name: "link.tex", Type: tar.TypeSymlink, Link: "/etc/passwd"},
		arxivtest.Entry{Name: "hard.tex", Type: tar.TypeLink, Link: "main.tex"},
	)
	s.Add(arxivtest.Paper{ID: "2503.00010", Source: hostile})
	s.Add(arxivtest.Paper{ID: "2503.00011", Source: arxivtest.TarGz(arxivtest.Entry{Name: "main.tex", Body: tinyTeX}, arxivtest.Entry{Name: "bomb.tex", Size: 4 << 20})})
	s.Add(arxivtest.Paper{ID: "2503.00012", Source: arxivtest.Gz(make([]byte, 4<<20))})
	s.Add(arxivtest.Paper{ID: "2503.00013", Source: arxivtest.TarGz(arxivtest.Files(map[string]string{"README": "no tex here"})...)})

	tests := []struct {
		ref      string
		root     string
		kind     string
		main     string
		warnings []string
		err      string
		hint     string
	}{
		{ref: "2501.00663", root: "2501.00663v2.tar.gz", kind: "tar.gz", main: "main.tex"},
		{ref: "2501.00663v1", root: "2501.00663v1.tar.gz", kind: "tar.gz", main: "paper.tex"},
		{ref: "2502.00001", root: "2502.00001v1.gz", kind: "gz", main: "2502.00001v1.tex"},
		{ref: "hep-th/9901001v2", root: "hep-th_9901001v2.gz", kind: "gz", main: "hep-th_9901001v2.tex"},
		{ref: "2502.00002", root: "2502.00002v1.pdf", kind: "pdf", main: "2502.00002v1.pdf"}, // only a PDF on arXiv
		{ref: "2503.00010", root: "2503.00010v1.tar.gz", kind: "tar.gz", main: "main.tex", warnings: []string{
			`skipped archive entry "../x.tex": path climbs out of the source root`,
			`skipped archive entry "a/../../y.tex": path climbs out of the source root`,
			`skipped archive entry "/etc/passwd": absolute path`,
			`skipped archive entry "link.tex"`,
			`skipped archive entry "hard.tex"`,
		}},
		{ref: "2503.00011", err: "2503.00011v1.tar.gz: source is larger than 1 MiB uncompressed", hint: "archive bomb"},
		{ref: "2503.00012", err: "2503.00012v1.gz: source is larger than 1 MiB uncompressed", hint: "archive bomb"},
		{ref: "2503.00013", err: "2503.00013v1.tar.gz: no LaTeX files (.tex) found"},
	}
	f := newFetcher(t, s)
	f.SourceOptions = source.Options{MaxBytes: 1 << 20}
	for _, tt := range tests {
		t.Run(strings.ReplaceAll(tt.ref, "/", "_"), func(t *testing.T) {
			r, _ := arxiv.ParseRef(tt.ref)
			b, p, err := f.Bundle(context.Background(), r)
			if p == nil {
				t.Fatalf("no paper: %v", err)
			}
			if tt.err != "" {
				if err == nil || !strings.Contains(err.Error(), tt.err) || xerr.KindOf(err) != xerr.KindInput {
					t.Fatalf("error %v, want %q", err, tt.err)
				}
				if !strings.Contains(xerr.HintOf(err), tt.hint) {
					t.Errorf("hint %q, want %q", xerr.HintOf(err), tt.hint)
				}
				if b != nil {
					t.Error("a bundle with an error")
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if b.Root != tt.root || b.Kind != tt.kind || b.Main != tt.main {
				t.Errorf("bundle root %q kind %q main %q", b.Root, b.Kind, b.Main)
			}
			var msgs []string
			for _, w := range b.Warnings {
				msgs = append(msgs, w.Message)
			}
			for _, w := range tt.warnings {
				if !slices.ContainsFunc(msgs, func(m string) bool { return strings.Contains(m, w) }) {
					t.Errorf("no warning %q in %q", w, msgs)
				}
			}
			if len(msgs) < len(tt.warnings) || (len(tt.warnings) == 0 && len(msgs) > 0) {
				t.Errorf("warnings %q", msgs)
			}
			for k := range b.Files {
				if strings.Contains(k, "..") || strings.HasPrefix(k, "/") || k == "link.tex" || k == "hard.tex" {
					t.Errorf("unsafe file %q in the bundle", k)
				}
			}
		})
	}
}

func TestDefaultDir(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "c")
	t.Setenv(fetch.EnvCacheDir, dir)
	if got, err := fetch.DefaultDir(); err != nil || got != dir {
		t.Errorf("DefaultDir() = %q, %v; want %q", got, err, dir)
	}
	c, err := fetch.OpenCache("")
	if err != nil || c.Dir != dir {
		t.Fatalf("OpenCache: %+v, %v", c, err)
	}
	if fi, err := os.Stat(dir); err != nil || !fi.IsDir() {
		t.Errorf("cache folder not created: %v", err)
	}
	if runtime.GOOS == "linux" {
		xdg := t.TempDir()
		t.Setenv(fetch.EnvCacheDir, "")
		t.Setenv("XDG_CACHE_HOME", xdg)
		if got, err := fetch.DefaultDir(); err != nil || got != filepath.Join(xdg, "repro") {
			t.Errorf("DefaultDir() = %q, %v; want %q", got, err, filepath.Join(xdg, "repro"))
		}
	}
	// A cache that cannot be created.
	file := filepath.Join(t.TempDir(), "file")
	os.WriteFile(file, nil, 0o644)
	if _, err := fetch.OpenCache(filepath.Join(file, "sub")); xerr.KindOf(err) != xerr.KindInput || !strings.Contains(xerr.HintOf(err), fetch.EnvCacheDir) {
		t.Errorf("OpenCache under a file: %v", err)
	}
}
