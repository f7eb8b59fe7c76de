package cli

import (
	"archive/tar"
	"bytes"
	"compress/gzip"
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/reprohq/repro/internal/workspace"
)

// familyServer serves the three papers of examples/family as arXiv would:
// an Atom feed at /api/query and gzipped tar e-prints at /e-print/ID.
type familyServer struct {
	*httptest.Server
	mu       sync.Mutex
	requests []string
}

var family = map[string]string{"2401.00001": "base", "2402.00002": "extension", "2403.00003": "application"}

func tarGz(t *testing.T, dir string) []byte {
	t.Helper()
	var buf bytes.Buffer
	gz := gzip.NewWriter(&buf)
	tw := tar.NewWriter(gz)
	err := filepath.WalkDir(dir, func(p string, d os.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		data, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(dir, p)
		if err := tw.WriteHeader(&tar.Header{Name: filepath.ToSlash(rel), Mode: 0o644, Size: int64(len(data))}); err != nil {
			return err
		}
		_, err = tw.Write(data)
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	tw.Close()
	gz.Close()
	return buf.Bytes()
}

func newFamilyServer(t *testing.T) *familyServer {
	s := &familyServer{}
	archives := map[string][]byte{}
	for id, dir := range family {
		archives[id] = tarGz(t, filepath.Join("../../examples/family", dir))
	}
	s.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		s.mu.Lock()
		s.requests = append(s.requests, r.URL.Path+"?"+r.URL.RawQuery)
		s.mu.Unlock()
		switch {
		case r.URL.Path == "/api/query":
			id := strings.TrimSuffix(r.URL.Query().Get("id_list"), "v1")
			if _, ok := family[id]; !ok {
				fmt.Fprint(w, atomFeed("", ""))
				return
			}
			w.Header().Set("Content-Type", "application/atom+xml; charset=utf-8")
			fmt.Fprint(w, atomFeed(id, family[id]))
		case strings.HasPrefix(r.URL.Path, "/e-print/"):
			id := strings.TrimSuffix(strings.TrimPrefix(r.URL.Path, "/e-print/"), "v1")
			data, ok := archives[id]
			if !ok {
				http.NotFound(w, r)
				return
			}
			w.Header().Set("Content-Type", "application/gzip")
			w.Write(data)
		default:
			http.NotFound(w, r)
		}
	}))
	t.Cleanup(s.Close)
	return s
}

// atomFeed is an arXiv API answer for one paper (or none).
func atomFeed(id, title string) string {
	entry := ""
	if id != "" {
		entry = fmt.Sprintf(`<entry>
    <id>http://arxiv.org/abs/%sv1</id>
    <updated>2024-01-02T00:00:00Z</updated>
    <published>2024-01-02T00:00:00Z</published>
    <title>The %s paper</title>
    <summary>  An abstract.  </summary>
    <author><name>Ada Example</name></author>
    <link href="http://arxiv.org/abs/%sv1" rel="alternate" type="text/html"/>
    <link title="pdf" href="http://arxiv.org/pdf/%sv1" rel="related" type="application/pdf"/>
    <arxiv:primary_category xmlns:arxiv="http://arxiv.org/schemas/atom" term="cs.LG" scheme="http://arxiv.org/schemas/atom"/>
    <category term="cs.LG" scheme="http://arxiv.org/schemas/atom"/>
  </entry>`, id, title, id, id)
	}
	return `<?xml version="1.0" encoding="UTF-8"?>
<feed xmlns="http://www.w3.org/2005/Atom">
  <link href="http://arxiv.org/api/query?id_list=" rel="self" type="application/atom+xml"/>
  <title type="html">ArXiv Query</title>
  <id>http://arxiv.org/api/x</id>
  <updated>2024-01-02T00:00:00-05:00</updated>
  <opensearch:totalResults xmlns:opensearch="http://a9.com/-/spec/opensearch/1.1/">1</opensearch:totalResults>
  ` + entry + `
</feed>
`
}

// TestNewFamily builds a workspace from the three family papers over a
// local arXiv, end to end through "repro new", and checks the graph and
// the implementation order against examples/family/truth.json.
func TestNewFamily(t *testing.T) {
	srv := newFamilyServer(t)
	dir := filepath.Join(t.TempDir(), "ws")
	cache := t.TempDir()
	args := []string{"new", "--dir", dir, "--cache-dir", cache, "--arxiv-url", srv.URL, "--arxiv-api-url", srv.URL + "/api/query",
		"--arxiv-interval", "5ms", "2403.00003", "2401.00001", "arXiv:2402.00002"}
	ios, _, out, errOut := Test()
	if code := Run(context.Background(), ios, args); code != 0 {
		t.Fatalf("repro new: exit %d\nstdout:\n%s\nstderr:\n%s", code, out, errOut)
	}
	if strings.Contains(out.String(), "\r") {
		t.Errorf("stdout is not a terminal but got a progress bar: %q", out)
	}
	for _, id := range []string{"2401.00001", "2402.00002", "2403.00003"} {
		if !strings.Contains(out.String(), "extracted "+id) {
			t.Errorf("no plain line for %s in:\n%s", id, out)
		}
	}
	var pl struct {
		Graph struct {
			Order []string `json:"order"`
			Edges []struct {
				From, To string
			} `json:"edges"`
		} `json:"graph"`
	}
	data, err := os.ReadFile(filepath.Join(dir, "plan.json"))
	if err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(data, &pl); err != nil {
		t.Fatal(err)
	}
	var truth struct {
		Order []string `json:"order"`
		Edges []struct {
			From, To string
		} `json:"edges"`
	}
	tdata, err := os.ReadFile("../../examples/family/truth.json")
	if err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(tdata, &truth); err != nil {
		t.Fatal(err)
	}
	ids := map[string]string{"base": "2401.00001", "extension": "2402.00002", "application": "2403.00003"}
	id := func(s string) string {
		if v, ok := ids[s]; ok {
			return v
		}
		return s
	}
	var wantOrder []string
	for _, o := range truth.Order {
		wantOrder = append(wantOrder, id(o))
	}
	if strings.Join(pl.Graph.Order, " ") != strings.Join(wantOrder, " ") {
		t.Errorf("order %v, want %v", pl.Graph.Order, wantOrder)
	}
	got := map[string]bool{}
	for _, e := range pl.Graph.Edges {
		got[e.From+"→"+e.To] = true
	}
	for _, e := range truth.Edges {
		if !got[id(e.From)+"→"+id(e.To)] {
			t.Errorf("missing edge %s → %s (edges %v)", e.From, e.To, pl.Graph.Edges)
		}
	}
	if len(pl.Graph.Edges) != len(truth.Edges) {
		t.Errorf("%d edges, want %d", len(pl.Graph.Edges), len(truth.Edges))
	}

	// A second run makes no request: the sources are cached and unchanged.
	srv.mu.Lock()
	before := len(srv.requests)
	srv.mu.Unlock()
	ios, _, out, errOut = Test()
	args = []string{"add", "--dir", dir, "--cache-dir", cache, "--offline", "--arxiv-url", srv.URL, "--arxiv-api-url", srv.URL + "/api/query"}
	if code := Run(context.Background(), ios, append(args, "2401.00001v1")); code != 0 {
		t.Fatalf("repro add --offline: exit %d\n%s%s", code, out, errOut)
	}
	srv.mu.Lock()
	after := len(srv.requests)
	srv.mu.Unlock()
	if after != before {
		t.Errorf("offline run made %d requests", after-before)
	}
	if !strings.Contains(out.String(), "unchanged 2401.00001") {
		t.Errorf("second run:\n%s", out)
	}
}

// TestNewProgress: on a terminal repro new draws a progress bar on stderr
// and prints a summary; redirected, it prints one plain line per paper.
func TestNewProgress(t *testing.T) {
	for _, tty := range []bool{true, false} {
		ios, _, out, errOut := Test()
		ios.StdoutTTY, ios.StderrTTY = tty, tty
		dir := filepath.Join(t.TempDir(), "ws")
		args := []string{"new", "--dir", dir, "--cache-dir", t.TempDir(), "../../examples/family/base", "../../examples/family/extension"}
		if code := Run(context.Background(), ios, args); code != 0 {
			t.Fatalf("tty=%v: exit %d\n%s%s", tty, code, out, errOut)
		}
		if tty {
			if !strings.Contains(errOut.String(), "\r[") || !strings.Contains(errOut.String(), "2/2") {
				t.Errorf("terminal: no progress bar on stderr: %q", errOut)
			}
			if !strings.Contains(out.String(), "implementation order: base → extension") {
				t.Errorf("terminal: summary missing: %q", out)
			}
		} else {
			if errOut.Len() != 0 || !strings.Contains(out.String(), "extracted base:") || strings.Contains(out.String(), "\r") {
				t.Errorf("redirected: stdout %q stderr %q", out, errOut)
			}
		}
		// The workspace's context documents and the project's are the
		// same files: the scaffold must not take them for the user's.
		if strings.Contains(out.String(), "kept papers/") {
			t.Errorf("tty=%v: the scaffold kept the workspace's own context documents:\n%s", tty, out)
		}
	}
}

// TestNewFollow: --follow fetches the most important arXiv reference of
// the application paper (the base, cited by its arXiv DOI), one level deep.
func TestNewFollow(t *testing.T) {
	srv := newFamilyServer(t)
	dir := filepath.Join(t.TempDir(), "ws")
	ios, _, out, errOut := Test()
	args := []string{"new", "--dir", dir, "--cache-dir", t.TempDir(), "--arxiv-url", srv.URL, "--arxiv-api-url", srv.URL + "/api/query",
		"--arxiv-interval", "5ms", "--follow", "1", "2403.00003"}
	if code := Run(context.Background(), ios, args); code != 0 {
		t.Fatalf("exit %d\n%s%s", code, out, errOut)
	}
	w, err := workspace.Open(dir, false)
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, e := range w.Config.Papers {
		got = append(got, e.ID+"<"+e.FollowedFrom)
	}
	// The extension has no arXiv id in the application's bibliography, so
	// it is not followed.
	if strings.Join(got, " ") != "2403.00003< 2401.00001<2403.00003" {
		t.Errorf("papers (id<followed from): %v", got)
	}
	// The followed paper's own references are not fetched (depth 1): the
	// server saw only the two papers.
	for _, r := range srv.requests {
		if !strings.Contains(r, "2401.00001") && !strings.Contains(r, "2403.00003") {
			t.Errorf("unexpected request %s", r)
		}
	}
}
