// Package mcpserver exposes repro's operations to coding agents as a Model
// Context Protocol server, built on the official
// github.com/modelcontextprotocol/go-sdk.
//
// Tools (each with an input and an output JSON schema inferred from the Go
// types of this package, every field described):
//
//   - fetch_paper: download an arXiv paper's source (needs Deps.Fetch)
//   - extract: the context document (Markdown) or the JSON contract
//   - list_equations: the numbered and unnumbered equations, with whether
//     each parsed and can be executed as a NumPy reference
//   - get_equation: one equation by number or label, with its context and
//     its NumPy reference function
//   - plan: the implementation plan for one or more papers
//   - scaffold: generate the reproduction project
//   - check: run the project's tests and tools (the report; the README is
//     not rewritten)
//   - bench_compare: compare results files with the paper's numbers
//
// Every tool that reads a paper takes "source": a local path (a folder, a
// .tex file, an archive) or an arXiv reference, as Deps.Extract accepts.
//
// Resources: the context documents, through the resource template
// repro://context/{source}, where {source} is the source percent-encoded
// (every byte but A-Z a-z 0-9 - . _ ~ escaped; see ContextURI). Reading one
// returns the Markdown context document (text/markdown).
//
// Failures are tool errors (a result with isError set and a message), never
// a crashed server: every handler validates its input, and a panic is
// recovered into the tool error "internal error: …". scaffold and check send
// progress notifications when the request carries a progress token.
package mcpserver

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"runtime/debug"
	"strings"

	"github.com/modelcontextprotocol/go-sdk/mcp"

	"github.com/reprohq/repro/doc"
)

// Deps are what the server needs from its caller, as functions, so that the
// package does not depend on how papers are fetched.
type Deps struct {
	// Extract reads a paper: a local path or an arXiv reference. Required.
	Extract func(ctx context.Context, source string) (*doc.Document, error)
	// Fetch downloads an arXiv paper's source and returns the local path.
	// Optional: when nil, fetch_paper fails with a tool error.
	Fetch func(ctx context.Context, ref string) (path string, err error)
	// Version is repro's version, reported to clients and written into
	// generated files.
	Version string
}

// ContextURIPrefix is the prefix of the context documents' resource URIs.
const ContextURIPrefix = "repro://context/"

// ContextURITemplate is the URI template of the context documents.
const ContextURITemplate = ContextURIPrefix + "{source}"

const instructions = `repro turns research papers (LaTeX sources) into runnable, verified reproduction projects.
Every tool that reads a paper takes "source": a local path (folder, .tex, .tar.gz) or an arXiv reference (2501.00663, arXiv:2501.00663v2, an arxiv.org URL).
Typical flow: extract (read the context document) → list_equations / get_equation → plan → scaffold (into "out") → implement the stubs → check (project) → bench_compare (project, results files).
The context document of a source is also a resource: repro://context/{source}, the source percent-encoded.`

// New returns the server with every tool and the context resource template.
func New(deps Deps) *mcp.Server {
	version := deps.Version
	if version == "" {
		version = "dev"
	}
	s := mcp.NewServer(&mcp.Implementation{Name: "repro", Title: "repro", Version: version},
		&mcp.ServerOptions{Instructions: instructions})
	h := &handlers{deps: deps}
	h.register(s)
	s.AddResourceTemplate(&mcp.ResourceTemplate{
		Name:        "context",
		Title:       "Context document",
		URITemplate: ContextURITemplate,
		MIMEType:    "text/markdown",
		Description: "The Markdown context document of a paper: {source} is a local path or an arXiv reference, percent-encoded (every byte but A-Z a-z 0-9 - . _ ~).",
	}, h.readContext)
	return s
}

// ServeStdio serves s on standard input and output until the client
// disconnects or ctx is done.
func ServeStdio(ctx context.Context, s *mcp.Server) error {
	return s.Run(ctx, &mcp.StdioTransport{})
}

// ServeIO serves s over a reader and a writer with the stdio framing
// (newline-delimited JSON-RPC), as ServeStdio does on os.Stdin/os.Stdout.
func ServeIO(ctx context.Context, s *mcp.Server, in io.ReadCloser, out io.WriteCloser) error {
	return s.Run(ctx, &mcp.IOTransport{Reader: in, Writer: out})
}

// HTTPHandler serves s over the streamable HTTP transport.
func HTTPHandler(s *mcp.Server) http.Handler {
	return mcp.NewStreamableHTTPHandler(func(*http.Request) *mcp.Server { return s }, nil)
}

// ContextURI is the resource URI of a source's context document.
func ContextURI(source string) string {
	var b strings.Builder
	b.WriteString(ContextURIPrefix)
	for i := 0; i < len(source); i++ {
		c := source[i]
		if 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9' || strings.IndexByte("-._~", c) >= 0 {
			b.WriteByte(c)
		} else {
			fmt.Fprintf(&b, "%%%02X", c)
		}
	}
	return b.String()
}

// sourceOfURI is the inverse of ContextURI.
func sourceOfURI(uri string) (string, error) {
	rest, ok := strings.CutPrefix(uri, ContextURIPrefix)
	if !ok || rest == "" {
		return "", fmt.Errorf("not a context document URI: %q (want %s)", uri, ContextURITemplate)
	}
	s, err := url.PathUnescape(rest)
	if err != nil {
		return "", fmt.Errorf("bad source in %q: %v", uri, err)
	}
	return s, nil
}

// safe wraps a typed handler: a panic becomes the tool error
// "internal error: …" rather than a crashed server.
func safe[In, Out any](name string, h mcp.ToolHandlerFor[In, Out]) mcp.ToolHandlerFor[In, Out] {
	return func(ctx context.Context, req *mcp.CallToolRequest, in In) (res *mcp.CallToolResult, out Out, err error) {
		defer func() {
			if r := recover(); r != nil {
				var zero Out
				res, out = nil, zero
				err = fmt.Errorf("internal error: %s: %v (please report it with this stack: %s)", name, r, firstFrames(debug.Stack()))
			}
		}()
		return h(ctx, req, in)
	}
}

// firstFrames keeps the start of a stack trace for an error message.
func firstFrames(stack []byte) string {
	s := string(stack)
	if len(s) > 1500 {
		s = s[:1500] + "…"
	}
	return s
}

// progress sends progress notifications for a request that asked for them.
type progress struct {
	ctx   context.Context
	req   *mcp.CallToolRequest
	token any
	n     float64
}

func newProgress(ctx context.Context, req *mcp.CallToolRequest) *progress {
	p := &progress{ctx: ctx, req: req}
	if req != nil && req.Params != nil && req.Session != nil {
		p.token = req.Params.GetProgressToken()
	}
	return p
}

// step reports one step; total is 0 when unknown.
func (p *progress) step(msg string, total float64) {
	if p.token == nil {
		return
	}
	p.n++
	_ = p.req.Session.NotifyProgress(p.ctx, &mcp.ProgressNotificationParams{
		ProgressToken: p.token, Progress: p.n, Total: total, Message: msg,
	})
}

// Write makes progress an io.Writer: each line is a step.
func (p *progress) Write(b []byte) (int, error) {
	for _, line := range strings.Split(strings.TrimSpace(string(b)), "\n") {
		if line = strings.TrimSpace(line); line != "" {
			p.step(line, 0)
		}
	}
	return len(b), nil
}
