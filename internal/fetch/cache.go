// Package fetch gets arXiv papers through a local cache: it downloads a
// paper's metadata and source once with an arxiv.Client and keeps them,
// content-addressed, under a cache folder, so that later runs (and
// --offline runs) need no network.
//
// The cache folder holds:
//
//	blobs/<sha256[:2]>/<sha256>    downloaded files, named by their SHA-256
//	arxiv/<slug>/source.json       the index entry of a paper version's source
//	arxiv/<slug>/meta.json         its arxiv.Metadata
//
// where <slug> is the version's arxiv.Ref.Slug ("2501.00663v2",
// "hep-th_9901001v1"). Every file is written to a temporary file in the same
// folder and renamed into place, blob first and source.json last, so an
// interrupted download never leaves a half-written entry; a blob whose hash
// does not match its name is treated as missing and removed.
package fetch

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/reprohq/repro/internal/arxiv"
	"github.com/reprohq/repro/internal/atomicfile"
	"github.com/reprohq/repro/internal/xerr"
)

// EnvCacheDir names the environment variable that overrides the cache
// folder.
const EnvCacheDir = "REPRO_CACHE_DIR"

// Cache is a folder of downloaded papers. Its methods are safe for
// concurrent use, also by several processes.
type Cache struct {
	// Dir is the cache folder.
	Dir string
}

// SourceEntry is the index entry of a paper version's source, stored as
// source.json.
type SourceEntry struct {
	// ID and Version identify the paper version ("2501.00663", "v2").
	ID      string `json:"id"`
	Version string `json:"version"`
	// SHA256 is the hex SHA-256 of the data, which names its blob.
	SHA256 string `json:"sha256"`
	// Kind is what the data is: arxiv.KindTarGz, KindGz, KindTar, KindTeX
	// or KindPDF.
	Kind string `json:"kind"`
	// URL is where the data was downloaded from.
	URL string `json:"url"`
	// FetchedAt is when, in RFC 3339 (UTC).
	FetchedAt string `json:"fetched_at"`
	// Size is the size of the data in bytes.
	Size int64 `json:"size"`
}

// DefaultDir returns the default cache folder: $REPRO_CACHE_DIR, else
// "repro" in the user's cache folder (os.UserCacheDir: $XDG_CACHE_HOME or
// ~/.cache on Linux, ~/Library/Caches on macOS, %LocalAppData% on Windows).
func DefaultDir() (string, error) {
	if d := os.Getenv(EnvCacheDir); d != "" {
		return d, nil
	}
	d, err := os.UserCacheDir()
	if err != nil {
		return "", &xerr.Error{Kind: xerr.KindInput, Msg: "cannot find a folder for the paper cache", Err: err,
			Hint: "set " + EnvCacheDir + " to a folder where repro may keep downloaded papers"}
	}
	return filepath.Join(d, "repro"), nil
}

// OpenCache opens the cache in dir, or in DefaultDir when dir is "",
// creating the folder if needed.
func OpenCache(dir string) (*Cache, error) {
	if dir == "" {
		d, err := DefaultDir()
		if err != nil {
			return nil, err
		}
		dir = d
	}
	if abs, err := filepath.Abs(dir); err == nil {
		dir = abs
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, &xerr.Error{Kind: xerr.KindInput, File: dir, Msg: "cannot create the paper cache", Err: err,
			Hint: "set " + EnvCacheDir + " to a folder where repro may keep downloaded papers"}
	}
	return &Cache{Dir: dir}, nil
}

// entryDir is the folder of the index entries of a paper version.
func (c *Cache) entryDir(r arxiv.Ref) string { return filepath.Join(c.Dir, "arxiv", r.Slug()) }

func (c *Cache) blobPath(sum string) string { return filepath.Join(c.Dir, "blobs", sum[:2], sum) }

// Lookup returns the cached source of the paper version r (r.Version must
// be set) and, when cached too, its metadata. A missing, unreadable or
// damaged entry is a miss; a damaged blob is removed with its entry.
func (c *Cache) Lookup(r arxiv.Ref) (*Paper, bool) {
	if r.Version == "" {
		return nil, false
	}
	e, ok := c.entry(r)
	if !ok {
		return nil, false
	}
	data, ok := c.blob(e.SHA256)
	if !ok {
		// The entry points at nothing usable: drop it, so it is fetched
		// again.
		os.Remove(filepath.Join(c.entryDir(r), "source.json"))
		return nil, false
	}
	p := &Paper{Ref: r, Kind: e.Kind, Data: data, FromCache: true}
	if b, err := os.ReadFile(filepath.Join(c.entryDir(r), "meta.json")); err == nil {
		var m arxiv.Metadata
		if json.Unmarshal(b, &m) == nil && m.ID == r.ID {
			p.Meta = &m
		}
	}
	return p, true
}

// Entry returns the source index entry of the paper version r, if any.
func (c *Cache) Entry(r arxiv.Ref) (*SourceEntry, bool) {
	if r.Version == "" {
		return nil, false
	}
	return c.entry(r)
}

func (c *Cache) entry(r arxiv.Ref) (*SourceEntry, bool) {
	b, err := os.ReadFile(filepath.Join(c.entryDir(r), "source.json"))
	if err != nil {
		return nil, false
	}
	var e SourceEntry
	if json.Unmarshal(b, &e) != nil || e.ID != r.ID || e.Version != r.Version || !validSum(e.SHA256) || e.Kind == "" {
		return nil, false
	}
	return &e, true
}

// blob reads the blob named sum, checking its hash; a damaged blob is
// removed.
func (c *Cache) blob(sum string) ([]byte, bool) {
	if !validSum(sum) {
		return nil, false
	}
	p := c.blobPath(sum)
	data, err := os.ReadFile(p)
	if err != nil {
		return nil, false
	}
	if h := sha256.Sum256(data); hex.EncodeToString(h[:]) != sum {
		os.Remove(p)
		return nil, false
	}
	return data, true
}

// putBlob stores data and returns its hash.
func (c *Cache) putBlob(data []byte) (string, error) {
	h := sha256.Sum256(data)
	sum := hex.EncodeToString(h[:])
	if _, ok := c.blob(sum); ok {
		return sum, nil
	}
	p := c.blobPath(sum)
	if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
		return "", err
	}
	return sum, atomicfile.WriteFile(p, data)
}

// Store puts the source of the paper version p.Ref (p.Ref.Version must be
// set) into the cache with its metadata p.Meta (if any), recording url and
// the time fetched.
func (c *Cache) Store(p *Paper, url string, fetched time.Time) error {
	if p.Ref.Version == "" || p.Ref.ID == "" {
		return errors.New("fetch: storing a paper without a version")
	}
	sum, err := c.putBlob(p.Data)
	if err != nil {
		return c.writeError(err)
	}
	if p.Meta != nil {
		if err := c.StoreMeta(p.Ref, p.Meta); err != nil {
			return err
		}
	}
	e := SourceEntry{ID: p.Ref.ID, Version: p.Ref.Version, SHA256: sum, Kind: p.Kind, URL: url,
		FetchedAt: fetched.UTC().Format(time.RFC3339), Size: int64(len(p.Data))}
	return c.writeJSON(p.Ref, "source.json", e)
}

// StoreMeta puts the metadata of the paper version r into the cache.
func (c *Cache) StoreMeta(r arxiv.Ref, m *arxiv.Metadata) error {
	return c.writeJSON(r, "meta.json", m)
}

func (c *Cache) writeJSON(r arxiv.Ref, name string, v any) error {
	b, err := json.MarshalIndent(v, "", "  ")
	if err != nil {
		return err
	}
	dir := c.entryDir(r)
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return c.writeError(err)
	}
	if err := atomicfile.WriteFile(filepath.Join(dir, name), append(b, '\n')); err != nil {
		return c.writeError(err)
	}
	return nil
}

func (c *Cache) writeError(err error) error {
	return &xerr.Error{Kind: xerr.KindInput, File: c.Dir, Msg: "cannot write to the paper cache", Err: err,
		Hint: "check the folder's permissions and free space, or set " + EnvCacheDir + " to another folder"}
}

// Versions returns the versions of the paper id that have a source entry in
// the cache, oldest first ("v1", "v2").
func (c *Cache) Versions(id string) []string {
	prefix := arxiv.Ref{ID: id}.Slug() + "v"
	ents, err := os.ReadDir(filepath.Join(c.Dir, "arxiv"))
	if err != nil {
		return nil
	}
	var nums []int
	for _, e := range ents {
		rest, ok := strings.CutPrefix(e.Name(), prefix)
		if !ok || !e.IsDir() {
			continue
		}
		n, err := strconv.Atoi(rest)
		if err != nil || n < 1 || strconv.Itoa(n) != rest {
			continue
		}
		if _, err := os.Stat(filepath.Join(c.Dir, "arxiv", e.Name(), "source.json")); err == nil {
			nums = append(nums, n)
		}
	}
	slices.Sort(nums)
	out := make([]string, len(nums))
	for i, n := range nums {
		out[i] = "v" + strconv.Itoa(n)
	}
	return out
}

func validSum(s string) bool {
	if len(s) != 64 {
		return false
	}
	_, err := hex.DecodeString(s)
	return err == nil && strings.ToLower(s) == s
}
