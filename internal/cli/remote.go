package cli

import (
	"context"
	"os"
	"time"

	"github.com/spf13/cobra"

	"github.com/reprohq/repro"
	"github.com/reprohq/repro/internal/arxiv"
	"github.com/reprohq/repro/internal/fetch"
	"github.com/reprohq/repro/internal/source"
)

// remoteFlags are the flags of every command that may fetch from arXiv.
type remoteFlags struct {
	Offline  bool
	CacheDir string
	BaseURL  string
	APIURL   string
	Interval time.Duration
}

func (r *remoteFlags) register(cmd *cobra.Command) {
	fl := cmd.Flags()
	fl.BoolVar(&r.Offline, "offline", false, "never use the network: work from the cache only")
	fl.StringVar(&r.CacheDir, "cache-dir", "", "paper cache `DIR` (default $REPRO_CACHE_DIR, else the user cache folder)")
	fl.StringVar(&r.BaseURL, "arxiv-url", "", "arXiv `URL` serving /abs, /e-print, /pdf (default $REPRO_ARXIV_URL or https://arxiv.org)")
	fl.StringVar(&r.APIURL, "arxiv-api-url", "", "arXiv API `URL` (default $REPRO_ARXIV_API_URL or https://export.arxiv.org/api/query)")
	fl.DurationVar(&r.Interval, "arxiv-interval", 0, "minimum time between two arXiv requests (default 3s, arXiv's rule)")
}

// fetcher builds the arXiv fetcher with its cache.
func (r *remoteFlags) fetcher() (*fetch.Fetcher, error) {
	cache, err := fetch.OpenCache(r.CacheDir)
	if err != nil {
		return nil, err
	}
	client := arxiv.NewClient(arxiv.Options{
		BaseURL: r.BaseURL, APIURL: r.APIURL, MinInterval: r.Interval,
		UserAgent: "repro/" + repro.Version + " (+https://github.com/reprohq/repro)",
	})
	return &fetch.Fetcher{Client: client, Cache: cache, Offline: r.Offline}, nil
}

// remote adapts the fetcher to the workspace.
func (r *remoteFlags) remote() (*arxivRemote, error) {
	f, err := r.fetcher()
	if err != nil {
		return nil, err
	}
	return &arxivRemote{f: f}, nil
}

// arxivRemote lets the workspace use arXiv references.
type arxivRemote struct{ f *fetch.Fetcher }

func (a *arxivRemote) Parse(s string) (id, arxivID string, ok bool) {
	if _, err := os.Stat(s); err == nil {
		return "", "", false // an existing path is never an arXiv reference
	}
	ref, ok := arxiv.ParseRef(s)
	if !ok {
		return "", "", false
	}
	return arxiv.Ref{ID: ref.ID}.Slug(), ref.ID, true
}

func (a *arxivRemote) Bundle(ctx context.Context, s string) (*source.Bundle, error) {
	ref, _ := arxiv.ParseRef(s)
	b, _, err := a.f.Bundle(ctx, ref)
	return b, err
}
