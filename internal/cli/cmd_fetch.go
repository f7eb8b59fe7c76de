package cli

import (
	"context"
	"fmt"

	"github.com/spf13/cobra"

	"github.com/reprohq/repro/internal/arxiv"
)

const fetchLong = `Fetch downloads arXiv papers into the cache without extracting them: the
metadata from the arXiv API and the source from the e-print service (a
gzipped tar, a gzipped single .tex, or a PDF for papers without source).

REF is an arXiv id (2501.00663, 2501.00663v2, hep-th/9901001), an arxiv.org
URL (abs, pdf, html, src) or the arXiv DOI (10.48550/arXiv.2501.00663).

arXiv's rules are kept: one request at a time, 3 s between requests, a
descriptive User-Agent, retries with backoff on 429 and 503 honouring
Retry-After. A version already in the cache is never downloaded again;
--offline never uses the network. The cache is $REPRO_CACHE_DIR, else the
user cache folder (~/.cache/repro on Linux); --cache-dir overrides both.`

const fetchExample = `  # Fetch two papers into the cache
  repro fetch 2501.00663 https://arxiv.org/abs/1706.03762v7

  # Check what the cache holds, without the network
  repro fetch --offline 2501.00663`

type fetchOptions struct {
	IO     *IOStreams
	Refs   []string
	Remote remoteFlags
}

func newCmdFetch(f *factory) *cobra.Command {
	opts := &fetchOptions{IO: f.IO}
	cmd := &cobra.Command{
		Use:     "fetch [flags] REF...",
		Short:   "Download arXiv papers into the cache",
		Long:    fetchLong,
		Example: fetchExample,
		Args:    minArgs(1, "REF"),
		RunE: func(cmd *cobra.Command, args []string) error {
			opts.Refs = args
			return runFetch(cmd.Context(), opts)
		},
	}
	opts.Remote.register(cmd)
	return cmd
}

func runFetch(ctx context.Context, opts *fetchOptions) error {
	refs := make([]arxiv.Ref, len(opts.Refs))
	for i, s := range opts.Refs {
		r, ok := arxiv.ParseRef(s)
		if !ok {
			return usageErrorf("give an arXiv id such as 2501.00663, an arxiv.org URL or 10.48550/arXiv.2501.00663", "%q is not an arXiv reference", s)
		}
		refs[i] = r
	}
	f, err := opts.Remote.fetcher()
	if err != nil {
		return err
	}
	for _, r := range refs {
		opts.IO.progressf("fetching %s", r)
		p, err := f.Fetch(ctx, r)
		if err != nil {
			return err
		}
		from := "downloaded"
		if p.FromCache {
			from = "cached"
		}
		title := ""
		if p.Meta != nil {
			title = p.Meta.Title
		}
		fmt.Fprintf(opts.IO.Out, "%s\t%s\t%d bytes\t%s\t%s\n", p.Ref, p.Kind, len(p.Data), from, title)
	}
	return nil
}
