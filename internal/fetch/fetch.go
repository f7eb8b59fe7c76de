package fetch

import (
	"context"
	"fmt"
	"time"

	"github.com/reprohq/repro/internal/arxiv"
	"github.com/reprohq/repro/internal/source"
	"github.com/reprohq/repro/internal/xerr"
)

// Fetcher gets arXiv papers, from the cache when it can.
type Fetcher struct {
	// Client talks to arXiv; it may be nil when Offline is set.
	Client *arxiv.Client
	// Cache keeps what was downloaded; required.
	Cache *Cache
	// Offline forbids requests: only the cache is used.
	Offline bool
	// Now gives the time recorded in cache entries; default time.Now.
	Now func() time.Time
	// SourceOptions are passed to source.FromBytes by Bundle: the main
	// file, and the size and file-count limits of the unpacked source.
	SourceOptions source.Options
}

// Paper is a downloaded (or cached) arXiv paper.
type Paper struct {
	// Ref is the paper version, with its version always set.
	Ref arxiv.Ref
	// Meta is the paper's metadata; nil only when an offline run finds a
	// cached source without it.
	Meta *arxiv.Metadata
	// Kind says what Data is: arxiv.KindTarGz, KindGz, KindTar, KindTeX, or
	// KindPDF when arXiv has only a PDF of the paper.
	Kind string
	// Data is the e-print as arXiv serves it (or the PDF).
	Data []byte
	// FromCache reports that Data came from the cache, not the network.
	FromCache bool
}

// Fetch gets the source and metadata of the paper r.
//
// With a version in r, a cached copy is used without any request. Without
// one, an online Fetch asks the arXiv API for the metadata (one request) to
// learn the latest version, and then uses the cache if it holds that
// version; an offline Fetch takes the newest version in the cache. Whatever
// is downloaded is stored in the cache. Offline, a paper that is not in the
// cache is an *xerr.Error saying so.
func (f *Fetcher) Fetch(ctx context.Context, r arxiv.Ref) (*Paper, error) {
	if f.Cache == nil {
		return nil, &xerr.Error{Kind: xerr.KindInternal, Msg: "fetch: no cache"}
	}
	rr, ok := arxiv.ParseRef(r.String())
	if !ok {
		return nil, &xerr.Error{Kind: xerr.KindUsage, Msg: fmt.Sprintf("not an arXiv id: %q", r.String()),
			Hint: "an arXiv id looks like 2501.00663, 2501.00663v2 or hep-th/9901001"}
	}
	r = rr // canonical
	if r.Version != "" {
		if p, ok := f.Cache.Lookup(r); ok {
			return p, nil
		}
		if f.Offline {
			return nil, f.notCached(r)
		}
		return f.download(ctx, r, nil)
	}
	if f.Offline {
		vs := f.Cache.Versions(r.ID)
		for i := len(vs) - 1; i >= 0; i-- {
			if p, ok := f.Cache.Lookup(arxiv.Ref{ID: r.ID, Version: vs[i]}); ok {
				return p, nil
			}
		}
		return nil, f.notCached(r)
	}
	if err := f.online(); err != nil {
		return nil, err
	}
	meta, err := f.Client.Metadata(ctx, r)
	if err != nil {
		return nil, err
	}
	if meta.Version == "" {
		return nil, &xerr.Error{Kind: xerr.KindInput, Msg: "the arXiv API did not tell the version of " + r.String(),
			Hint: "ask for a version explicitly, such as " + r.ID + "v1"}
	}
	latest := arxiv.Ref{ID: r.ID, Version: meta.Version}
	if p, ok := f.Cache.Lookup(latest); ok {
		p.Meta = meta
		// Keep the fresher metadata (it lists the versions).
		if err := f.Cache.StoreMeta(latest, meta); err != nil {
			return nil, err
		}
		return p, nil
	}
	return f.download(ctx, latest, meta)
}

// download fetches the source of the paper version r (and its metadata,
// when meta is nil) and stores them.
func (f *Fetcher) download(ctx context.Context, r arxiv.Ref, meta *arxiv.Metadata) (*Paper, error) {
	if err := f.online(); err != nil {
		return nil, err
	}
	if meta == nil {
		m, err := f.Client.Metadata(ctx, r)
		if err != nil {
			return nil, err
		}
		meta = m
	}
	data, kind, err := f.Client.Source(ctx, r)
	if err != nil {
		return nil, err
	}
	p := &Paper{Ref: r, Meta: meta, Kind: kind, Data: data}
	now := time.Now
	if f.Now != nil {
		now = f.Now
	}
	if err := f.Cache.Store(p, f.Client.EPrintURL(r), now()); err != nil {
		return nil, err
	}
	return p, nil
}

func (f *Fetcher) online() error {
	if f.Client == nil {
		return &xerr.Error{Kind: xerr.KindInternal, Msg: "fetch: no arXiv client"}
	}
	return nil
}

// notCached is the error of an offline Fetch that finds nothing.
func (f *Fetcher) notCached(r arxiv.Ref) error {
	return xerr.Input("", "arXiv "+r.String()+" is not in the cache (offline)",
		"run without --offline once to fetch it; cache: "+f.Cache.Dir)
}

// Bundle fetches the paper r and unpacks its source with source.FromBytes,
// under the name of its slug and kind ("2501.00663v2.tar.gz", or
// "2501.00663v2.gz", which holds "2501.00663v2.tex"). The Paper is returned
// whenever it was fetched, even when unpacking fails, so that the caller
// can report it. A paper that arXiv has only as a PDF is a bundle of kind
// source.KindPDF holding that PDF.
func (f *Fetcher) Bundle(ctx context.Context, r arxiv.Ref) (*source.Bundle, *Paper, error) {
	p, err := f.Fetch(ctx, r)
	if err != nil {
		return nil, nil, err
	}
	name := p.Ref.Slug()
	switch p.Kind {
	case arxiv.KindTarGz:
		name += ".tar.gz"
	case arxiv.KindGz:
		name += ".gz"
	case arxiv.KindTar:
		name += ".tar"
	case arxiv.KindTeX:
		name += ".tex"
	case arxiv.KindPDF:
		// arXiv has only a PDF: the bundle holds it, for the PDF reader.
		name += ".pdf"
	}
	b, err := source.FromBytes(name, p.Data, f.SourceOptions)
	if err != nil {
		return nil, p, err
	}
	return b, p, nil
}
