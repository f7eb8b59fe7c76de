package mcpserver

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/modelcontextprotocol/go-sdk/mcp"

	"github.com/reprohq/repro"
	"github.com/reprohq/repro/doc"
	"github.com/reprohq/repro/internal/bench"
	"github.com/reprohq/repro/internal/project"
	"github.com/reprohq/repro/internal/testenv"
)

const example = "../../examples/tinyformer"

var toolNames = []string{"fetch_paper", "extract", "list_equations", "get_equation", "plan", "scaffold", "check", "bench_compare"}

func extractLocal(ctx context.Context, source string) (*doc.Document, error) {
	if source == "panic" {
		panic("boom")
	}
	return repro.Extract(ctx, source, repro.Options{})
}

func fakeFetch(_ context.Context, ref string) (string, error) {
	return "/tmp/papers/" + ref, nil
}

// progressLog collects the progress notifications a client receives.
type progressLog struct {
	mu   sync.Mutex
	msgs map[any][]string
}

func (p *progressLog) handle(_ context.Context, req *mcp.ProgressNotificationClientRequest) {
	p.mu.Lock()
	defer p.mu.Unlock()
	key := fmt.Sprint(req.Params.ProgressToken)
	p.msgs[key] = append(p.msgs[key], req.Params.Message)
}

// get returns the messages for token once the last is "done…" (a
// notification may be handled after the call's result), or after 5 s.
func (p *progressLog) get(token string) []string {
	deadline := time.Now().Add(5 * time.Second)
	for {
		p.mu.Lock()
		msgs := append([]string(nil), p.msgs[token]...)
		p.mu.Unlock()
		if len(msgs) > 0 && strings.HasPrefix(msgs[len(msgs)-1], "done") || time.Now().After(deadline) {
			return msgs
		}
		time.Sleep(10 * time.Millisecond)
	}
}

func newClient(pl *progressLog) *mcp.Client {
	return mcp.NewClient(&mcp.Implementation{Name: "test", Version: "v0"},
		&mcp.ClientOptions{ProgressNotificationHandler: pl.handle})
}

// connectStdio runs the server over a pair of pipes with the stdio framing.
func connectStdio(t *testing.T, deps Deps, pl *progressLog) *mcp.ClientSession {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	sr, cw := io.Pipe() // client → server
	cr, sw := io.Pipe() // server → client
	done := make(chan error, 1)
	go func() { done <- ServeIO(ctx, New(deps), sr, sw) }()
	cs, err := newClient(pl).Connect(ctx, &mcp.IOTransport{Reader: cr, Writer: cw}, nil)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		cs.Close()
		cancel()
		select {
		case err := <-done:
			if err != nil && !errors.Is(err, context.Canceled) && !errors.Is(err, io.EOF) && !strings.Contains(err.Error(), "closed") {
				t.Errorf("server: %v", err)
			}
		case <-time.After(5 * time.Second):
			t.Error("server did not stop")
		}
	})
	return cs
}

// connectHTTP runs the server over streamable HTTP.
func connectHTTP(t *testing.T, deps Deps, pl *progressLog) *mcp.ClientSession {
	t.Helper()
	srv := httptest.NewServer(HTTPHandler(New(deps)))
	t.Cleanup(srv.Close)
	cs, err := newClient(pl).Connect(context.Background(), &mcp.StreamableClientTransport{Endpoint: srv.URL}, nil)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { cs.Close() })
	return cs
}

func call(t *testing.T, cs *mcp.ClientSession, name string, args any, out any) *mcp.CallToolResult {
	t.Helper()
	return callWithToken(t, cs, name, args, out, nil)
}

func callWithToken(t *testing.T, cs *mcp.ClientSession, name string, args any, out any, token any) *mcp.CallToolResult {
	t.Helper()
	params := &mcp.CallToolParams{Name: name, Arguments: args}
	if token != nil {
		params.SetProgressToken(token)
	}
	res, err := cs.CallTool(context.Background(), params)
	if err != nil {
		t.Fatalf("%s: protocol error: %v", name, err)
	}
	if res.IsError {
		if out != nil {
			t.Fatalf("%s: tool error: %s", name, text(res))
		}
		return res
	}
	if out != nil {
		b, err := json.Marshal(res.StructuredContent)
		if err != nil {
			t.Fatal(err)
		}
		if err := json.Unmarshal(b, out); err != nil {
			t.Fatalf("%s: %v in %s", name, err, b)
		}
	}
	return res
}

// toolError calls a tool that must fail and returns its message.
func toolError(t *testing.T, cs *mcp.ClientSession, name string, args any) string {
	t.Helper()
	res := call(t, cs, name, args, nil)
	if !res.IsError {
		t.Fatalf("%s %v: want a tool error, got %s", name, args, text(res))
	}
	return text(res)
}

func text(res *mcp.CallToolResult) string {
	var b strings.Builder
	for _, c := range res.Content {
		if tc, ok := c.(*mcp.TextContent); ok {
			b.WriteString(tc.Text)
		}
	}
	return b.String()
}

func TestStdio(t *testing.T) {
	t.Parallel()
	pl := &progressLog{msgs: map[any][]string{}}
	exercise(t, connectStdio(t, Deps{Extract: extractLocal, Version: "v0-test"}, pl), pl)
}

func TestHTTP(t *testing.T) {
	t.Parallel()
	pl := &progressLog{msgs: map[any][]string{}}
	exercise(t, connectHTTP(t, Deps{Extract: extractLocal, Fetch: fakeFetch, Version: "v0-test"}, pl), pl)
}

// exercise lists the tools and calls every one of them.
func exercise(t *testing.T, cs *mcp.ClientSession, pl *progressLog) {
	ctx := context.Background()
	lt, err := cs.ListTools(ctx, nil)
	if err != nil {
		t.Fatal(err)
	}
	got := map[string]*mcp.Tool{}
	for _, tool := range lt.Tools {
		got[tool.Name] = tool
	}
	if len(lt.Tools) != len(toolNames) {
		t.Errorf("%d tools, want %d", len(lt.Tools), len(toolNames))
	}
	for _, n := range toolNames {
		tool := got[n]
		if tool == nil {
			t.Errorf("no tool %s", n)
			continue
		}
		if tool.Description == "" || tool.InputSchema == nil || tool.OutputSchema == nil {
			t.Errorf("%s: description %q, input schema %v, output schema %v", n, tool.Description, tool.InputSchema != nil, tool.OutputSchema != nil)
		}
		// every property is described
		for _, schema := range []any{tool.InputSchema, tool.OutputSchema} {
			b, _ := json.Marshal(schema)
			var s struct {
				Properties map[string]struct {
					Description string `json:"description"`
				} `json:"properties"`
			}
			_ = json.Unmarshal(b, &s)
			for p, v := range s.Properties {
				if v.Description == "" {
					t.Errorf("%s: property %s has no description", n, p)
				}
			}
		}
	}
	if b, _ := json.Marshal(got["extract"].InputSchema); !strings.Contains(string(b), `"enum":["md","json"]`) {
		t.Errorf("extract's format is not an enum: %s", b)
	}

	// extract
	var ex ExtractOutput
	call(t, cs, "extract", map[string]any{"source": example}, &ex)
	if ex.Title == "" || ex.Equations == 0 || ex.Format != "md" || !strings.Contains(ex.Document, "3.1") {
		t.Errorf("extract: title %q, %d equations, format %s, document %.200q", ex.Title, ex.Equations, ex.Format, ex.Document)
	}
	var exj ExtractOutput
	call(t, cs, "extract", map[string]any{"source": example, "format": "json"}, &exj)
	var d map[string]any
	if err := json.Unmarshal([]byte(exj.Document), &d); err != nil || d["title"] != ex.Title {
		t.Errorf("extract json: %v, title %v", err, d["title"])
	}
	if msg := toolError(t, cs, "extract", map[string]any{"source": example, "format": "pdf"}); !strings.Contains(msg, "format") {
		t.Errorf("bad format: %s", msg)
	}
	if msg := toolError(t, cs, "extract", map[string]any{"source": "no/such/paper"}); !strings.Contains(msg, "no/such/paper") {
		t.Errorf("missing source: %s", msg)
	}
	if msg := toolError(t, cs, "extract", map[string]any{"source": "panic"}); !strings.Contains(msg, "internal error") {
		t.Errorf("panic: %s", msg)
	}

	// list_equations
	var le ListEquationsOutput
	call(t, cs, "list_equations", map[string]any{"source": example}, &le)
	if len(le.Equations) != ex.Equations {
		t.Errorf("list_equations: %d equations, extract says %d", len(le.Equations), ex.Equations)
	}
	executable := 0
	for _, e := range le.Equations {
		if e.Executable {
			executable++
		} else if e.Reason == "" {
			t.Errorf("equation %q: not executable and no reason", e.Number)
		}
	}
	if executable == 0 {
		t.Error("list_equations: no executable equation")
	}

	// get_equation
	var ge GetEquationOutput
	call(t, cs, "get_equation", map[string]any{"source": example, "number": "3.1"}, &ge)
	if ge.Number != "3.1" || ge.Label != "eq:attn" || ge.LaTeX == "" || ge.LaTeXExpanded == "" || ge.Python == "" || ge.Section == "" {
		t.Errorf("get_equation 3.1: %+v", ge)
	}
	var gl GetEquationOutput
	call(t, cs, "get_equation", map[string]any{"source": example, "label": "eq:attn"}, &gl)
	if gl.Number != "3.1" {
		t.Errorf("get_equation eq:attn: number %q", gl.Number)
	}
	msg := toolError(t, cs, "get_equation", map[string]any{"source": example, "number": "99.9"})
	if !strings.Contains(msg, "99.9") || !strings.Contains(msg, "3.1, 3.2") {
		t.Errorf("unknown number: %s", msg)
	}
	toolError(t, cs, "get_equation", map[string]any{"source": example})
	// still alive
	call(t, cs, "get_equation", map[string]any{"source": example, "number": "3.2"}, &ge)

	// plan
	var pl2 PlanOutput
	call(t, cs, "plan", map[string]any{"sources": []string{example}, "intent": "full"}, &pl2)
	if len(pl2.Order) != 1 || pl2.Order[0] != "tinyformer" || !strings.Contains(pl2.Markdown, "#") || pl2.Components == 0 {
		t.Errorf("plan: order %v, %d components, markdown %.100q", pl2.Order, pl2.Components, pl2.Markdown)
	}
	toolError(t, cs, "plan", map[string]any{"sources": []string{}})
	toolError(t, cs, "plan", map[string]any{"sources": []string{example}, "intent": "nonsense"})

	// scaffold
	out := filepath.Join(t.TempDir(), "proj")
	var sc ScaffoldOutput
	callWithToken(t, cs, "scaffold", map[string]any{"source": example, "out": out}, &sc, "scaffold-1")
	if len(sc.Written) == 0 {
		t.Fatalf("scaffold wrote nothing: %+v", sc)
	}
	if _, err := os.Stat(filepath.Join(out, project.BenchmarksFile)); err != nil {
		t.Fatal(err)
	}
	if p := pl.get("scaffold-1"); len(p) < 2 || !strings.HasPrefix(p[len(p)-1], "done") {
		t.Errorf("scaffold progress: %q", p)
	}
	toolError(t, cs, "scaffold", map[string]any{"source": example})

	// bench_compare
	f, err := bench.Load(filepath.Join(out, project.BenchmarksFile))
	if err != nil {
		t.Fatal(err)
	}
	if len(f.Targets) == 0 {
		t.Fatal("no targets in benchmarks.yaml")
	}
	tg := f.Targets[0]
	csv := filepath.Join(t.TempDir(), "results.csv")
	if err := os.WriteFile(csv, fmt.Appendf(nil, "dataset,metric,value\n%s,%s,%v\n", tg.Dataset, tg.Metric, tg.Value), 0o644); err != nil {
		t.Fatal(err)
	}
	var bo BenchOutput
	call(t, cs, "bench_compare", map[string]any{"project": out, "results": []string{csv}}, &bo)
	if bo.Verdict == "" || bo.Rule == "" || len(bo.Targets) != len(f.Targets) || bo.Targets[0].Status != "ok" || bo.Targets[0].Ours == nil {
		t.Errorf("bench_compare: %+v", bo)
	}
	toolError(t, cs, "bench_compare", map[string]any{"project": t.TempDir(), "results": []string{csv}})
	toolError(t, cs, "bench_compare", map[string]any{"project": out, "results": []string{"no/such.csv"}})

	// fetch_paper
	var fo FetchOutput
	if res := call(t, cs, "fetch_paper", map[string]any{"ref": "2501.00663"}, nil); res.IsError {
		if !strings.Contains(text(res), "fetching needs network access configured") {
			t.Errorf("fetch without Fetch: %s", text(res))
		}
	} else {
		call(t, cs, "fetch_paper", map[string]any{"ref": "2501.00663"}, &fo)
		if fo.Path != "/tmp/papers/2501.00663" {
			t.Errorf("fetch: %+v", fo)
		}
	}
	toolError(t, cs, "fetch_paper", map[string]any{"ref": "not a ref"})

	// the context resource
	tmpl, err := cs.ListResourceTemplates(ctx, nil)
	if err != nil || len(tmpl.ResourceTemplates) != 1 || tmpl.ResourceTemplates[0].URITemplate != ContextURITemplate {
		t.Errorf("resource templates: %v %+v", err, tmpl)
	}
	rr, err := cs.ReadResource(ctx, &mcp.ReadResourceParams{URI: ContextURI(example)})
	if err != nil {
		t.Fatal(err)
	}
	if len(rr.Contents) != 1 || rr.Contents[0].MIMEType != "text/markdown" || rr.Contents[0].Text != ex.Document {
		t.Errorf("context resource differs from extract's document")
	}
	if _, err := cs.ReadResource(ctx, &mcp.ReadResourceParams{URI: ContextURI("no/such/paper")}); err == nil {
		t.Error("reading a missing paper's context: no error")
	}

	// check, last: it needs Python with pytest
	t.Run("check", func(t *testing.T) {
		toolError(t, cs, "check", map[string]any{"project": filepath.Join(out, "missing")})
		toolError(t, cs, "check", map[string]any{"project": out, "skip": []string{"everything"}})
		py := testenv.Python(t, "pytest", "torch", "numpy", "yaml")
		var co CheckOutput
		callWithToken(t, cs, "check", map[string]any{"project": out, "python": py, "skip": []string{"ruff", "types", "coverage"}}, &co, 42)
		if len(co.Equations) == 0 || co.Python == "" || len(co.Tools) == 0 {
			t.Errorf("check: %+v", co)
		}
		for _, e := range co.Equations {
			if e.Status == "failing" {
				t.Errorf("equation %s failing on a fresh project: %s", e.Number, e.Message)
			}
		}
		if p := pl.get("42"); len(p) < 2 || p[len(p)-1] != "done" {
			t.Errorf("check progress: %q", p)
		}
	})
}

func TestContextURI(t *testing.T) {
	for _, s := range []string{"../../examples/tinyformer", "arXiv:2501.00663v2", "https://arxiv.org/abs/2501.00663", "a b/ü?#%"} {
		u := ContextURI(s)
		if rest := strings.TrimPrefix(u, ContextURIPrefix); strings.ContainsAny(rest, ":/?# ") {
			t.Errorf("%q: %q", s, u)
		}
		back, err := sourceOfURI(u)
		if err != nil || back != s {
			t.Errorf("%q → %q → %q, %v", s, u, back, err)
		}
	}
	if _, err := sourceOfURI("repro://other/x"); err == nil {
		t.Error("want an error for another URI")
	}
}
