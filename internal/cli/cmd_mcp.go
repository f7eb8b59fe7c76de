package cli

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/reprohq/repro"
	"github.com/reprohq/repro/doc"
	"github.com/reprohq/repro/internal/arxiv"
	"github.com/reprohq/repro/internal/atomicfile"
	"github.com/reprohq/repro/internal/mcpserver"
	"github.com/reprohq/repro/internal/xerr"
)

const mcpLong = `Mcp serves repro's operations to coding agents over the Model Context
Protocol: on standard input and output (the default, for agents that start
repro themselves), or as streamable HTTP with --http ADDR.

Tools: fetch_paper, extract, list_equations, get_equation, plan, scaffold,
check, bench_compare, each with input and output JSON schemas; every tool
that reads a paper takes "source", a local path or an arXiv reference. The
context documents are resources: repro://context/{source}. A failure is a
tool error with a message; the server keeps running.`

const mcpExample = `  # For an agent that starts MCP servers itself (stdio)
  repro mcp

  # Streamable HTTP on a local port
  repro mcp --http 127.0.0.1:8765`

type mcpOptions struct {
	IO     *IOStreams
	HTTP   string
	Remote remoteFlags
	f      *factory
}

func newCmdMCP(f *factory) *cobra.Command {
	opts := &mcpOptions{IO: f.IO, f: f}
	cmd := &cobra.Command{
		Use:     "mcp [flags]",
		Short:   "Serve repro's operations to coding agents (Model Context Protocol)",
		Long:    mcpLong,
		Example: mcpExample,
		Args:    exactArgs(0, ""),
		RunE: func(cmd *cobra.Command, args []string) error {
			return runMCP(cmd.Context(), opts)
		},
	}
	cmd.Flags().StringVar(&opts.HTTP, "http", "", "serve streamable HTTP on `ADDR` (host:port) instead of stdio")
	opts.Remote.register(cmd)
	return cmd
}

func runMCP(ctx context.Context, opts *mcpOptions) error {
	deps := mcpserver.Deps{
		Version: repro.Version,
		Extract: func(ctx context.Context, source string) (*doc.Document, error) {
			eo := &extractOptions{IO: opts.IO, Extract: opts.f.Extract, Source: source, Remote: opts.Remote}
			return loadDocument(ctx, eo)
		},
		Fetch: func(ctx context.Context, ref string) (string, error) { return fetchToFile(ctx, &opts.Remote, ref) },
	}
	s := mcpserver.New(deps)
	if opts.HTTP == "" {
		return mcpserver.ServeStdio(ctx, s)
	}
	ln, err := net.Listen("tcp", opts.HTTP)
	if err != nil {
		return &xerr.Error{Kind: xerr.KindUsage, Msg: "cannot listen on " + opts.HTTP, Err: err, Hint: "give a free host:port, such as 127.0.0.1:8765"}
	}
	srv := &http.Server{Handler: mcpserver.HTTPHandler(s), ReadHeaderTimeout: 10 * time.Second}
	fmt.Fprintf(opts.IO.ErrOut, "repro: serving MCP on http://%s\n", ln.Addr())
	go func() {
		<-ctx.Done()
		shut, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		_ = srv.Shutdown(shut)
	}()
	if err := srv.Serve(ln); err != nil && !errors.Is(err, http.ErrServerClosed) {
		return err
	}
	return ctx.Err()
}

// fetchToFile fetches an arXiv paper (or takes it from the cache) and
// writes its source where the other tools can read it as a local source.
func fetchToFile(ctx context.Context, r *remoteFlags, s string) (string, error) {
	ref, ok := arxiv.ParseRef(s)
	if !ok {
		return "", fmt.Errorf("%q is not an arXiv reference", s)
	}
	f, err := r.fetcher()
	if err != nil {
		return "", err
	}
	p, err := f.Fetch(ctx, ref)
	if err != nil {
		return "", err
	}
	ext := map[string]string{arxiv.KindTarGz: ".tar.gz", arxiv.KindGz: ".tex.gz", arxiv.KindTar: ".tar", arxiv.KindTeX: ".tex"}[p.Kind]
	if ext == "" {
		return "", fmt.Errorf("%s: arXiv has no LaTeX source of this paper (only %s)", p.Ref, p.Kind)
	}
	dir := filepath.Join(os.TempDir(), "repro-mcp")
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return "", err
	}
	path := filepath.Join(dir, strings.ReplaceAll(p.Ref.String(), "/", "_")+ext)
	if err := atomicfile.WriteFile(path, p.Data); err != nil {
		return "", err
	}
	return path, nil
}
