// Package workspace manages a multi-paper reproduction workspace: a folder
// with repro.yaml (the papers and settings), papers/<id>.context.md and
// .context.json for each paper, the papers' dependency graph and the
// implementation plan (IMPLEMENTATION_PLAN.md, plan.json).
//
// Papers are extracted in parallel, bounded by the core count; re-running is
// incremental: a paper whose source has not changed is not extracted again.
package workspace

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"runtime"
	"sort"
	"strings"
	"sync"

	"go.yaml.in/yaml/v3"
	"golang.org/x/sync/errgroup"

	"github.com/reprohq/repro/doc"
	"github.com/reprohq/repro/internal/atomicfile"
	"github.com/reprohq/repro/internal/graph"
	"github.com/reprohq/repro/internal/pipeline"
	"github.com/reprohq/repro/internal/plan"
	"github.com/reprohq/repro/internal/render"
	"github.com/reprohq/repro/internal/source"
	"github.com/reprohq/repro/internal/xerr"
)

// ConfigName is the workspace's configuration file.
const ConfigName = "repro.yaml"

// Config is repro.yaml.
type Config struct {
	Version  int      `yaml:"version"`
	Papers   []Entry  `yaml:"papers"`
	Settings Settings `yaml:"settings"`
}

// Entry is one paper of the workspace.
type Entry struct {
	ID      string `yaml:"id"`
	Source  string `yaml:"source"` // as given: a path (relative to the workspace) or an arXiv reference
	ArxivID string `yaml:"arxiv_id,omitempty"`
	Title   string `yaml:"title,omitempty"`
	// Hash is the SHA-256 of the paper's source files; an unchanged hash
	// means the paper is not extracted again.
	Hash string `yaml:"hash,omitempty"`
	// FollowedFrom names the paper whose reference brought this one in.
	FollowedFrom string `yaml:"followed_from,omitempty"`
}

// Settings are the workspace's settings.
type Settings struct {
	Follow int    `yaml:"follow"` // references followed per paper
	Depth  int    `yaml:"depth"`  // how many levels of references are followed
	Intent string `yaml:"intent"`
	Env    string `yaml:"env"`
	// LLM configures the language model of repro implement (flags win,
	// then these, then the environment). API keys never go here: they
	// come from the environment.
	LLM LLMSettings `yaml:"llm,omitempty"`
}

// LLMSettings are the workspace's language-model settings.
type LLMSettings struct {
	Provider  string  `yaml:"provider,omitempty"` // openai or anthropic
	Model     string  `yaml:"model,omitempty"`    // "openai:gpt-4.1-mini", or a name with base_url
	BaseURL   string  `yaml:"base_url,omitempty"` // an OpenAI-compatible server
	MaxCost   float64 `yaml:"max_cost,omitempty"` // US dollars per run
	MaxTokens int     `yaml:"max_tokens,omitempty"`
	Prices    string  `yaml:"prices,omitempty"` // a price table file, relative to the workspace
}

// Remote resolves and fetches papers that are not local paths (arXiv).
type Remote interface {
	// Parse reports whether s is a remote reference, with the paper's id
	// (file-system safe) and its arXiv id.
	Parse(s string) (id, arxivID string, ok bool)
	// Bundle fetches the paper's source.
	Bundle(ctx context.Context, s string) (*source.Bundle, error)
}

// Event reports progress.
type Event struct {
	Kind    string // "start", "extracted", "unchanged", "failed", "plan"
	ID      string
	Message string
	Done    int // papers finished so far
	Total   int
}

// Options configures Add.
type Options struct {
	Remote    Remote       // nil: arXiv references are refused with a hint
	Jobs      int          // parallel extractions; default the core count
	Progress  func(Event)  // called from one goroutine at a time
	Generator string       // "repro v1.2.3", recorded in the documents
	Version   string       // repro's version, for the rendered documents
	Follow    int          // follow this many references per paper (overrides the settings when > 0)
	Depth     int          // levels of references to follow (default 1)
	Plan      plan.Options // intent and environment of the plan
	// Notes, when set, is asked for notes on each newly extracted paper
	// (the language model's, checked against the paper: package enrich);
	// they are appended to its context document. A failure is recorded as
	// a warning of the paper and does not stop the extraction.
	Notes func(ctx context.Context, d *doc.Document) ([]byte, error)
}

// Workspace is an opened workspace folder.
type Workspace struct {
	Dir    string
	Config Config
	docs   map[string]*doc.Document
}

// Result summarises an Add.
type Result struct {
	Added, Extracted, Unchanged []string
	Failed                      map[string]error
	Graph                       *graph.Graph
}

// Open loads the workspace in dir; create makes it when it does not exist.
func Open(dir string, create bool) (*Workspace, error) {
	w := &Workspace{Dir: dir, docs: map[string]*doc.Document{}}
	data, err := os.ReadFile(filepath.Join(dir, ConfigName))
	switch {
	case err == nil:
		if err := yaml.Unmarshal(data, &w.Config); err != nil {
			return nil, xerr.Input(filepath.Join(dir, ConfigName), "cannot read the workspace configuration: "+err.Error(), "fix the YAML or move it away and run repro new again")
		}
	case errors.Is(err, os.ErrNotExist) && create:
		if err := os.MkdirAll(dir, 0o755); err != nil {
			return nil, err
		}
		w.Config = Config{Version: 1, Settings: Settings{Depth: 1, Intent: "full", Env: "cpu"}}
	case errors.Is(err, os.ErrNotExist):
		return nil, xerr.Input(dir, "not a repro workspace (no "+ConfigName+")", "create one with: repro new --dir "+dir+" SOURCE...")
	default:
		return nil, err
	}
	return w, nil
}

// Paper returns the document of a paper, loading it when needed.
func (w *Workspace) Paper(id string) (*doc.Document, error) {
	if d, ok := w.docs[id]; ok {
		return d, nil
	}
	d, err := w.loadDoc(id)
	if err != nil {
		return nil, err
	}
	w.docs[id] = d
	return d, nil
}

// loadDoc reads a paper's context JSON; it touches no shared state, so
// extraction goroutines may call it.
func (w *Workspace) loadDoc(id string) (*doc.Document, error) {
	data, err := os.ReadFile(w.docPath(id, ".context.json"))
	if err != nil {
		return nil, err
	}
	d := doc.New()
	if err := json.Unmarshal(data, d); err != nil {
		return nil, fmt.Errorf("%s: %w", w.docPath(id, ".context.json"), err)
	}
	return d, nil
}

func (w *Workspace) docPath(id, ext string) string {
	return filepath.Join(w.Dir, "papers", id+ext)
}

func (w *Workspace) entry(id string) *Entry {
	for i := range w.Config.Papers {
		if w.Config.Papers[i].ID == id {
			return &w.Config.Papers[i]
		}
	}
	return nil
}

// job is one paper to bring up to date.
type job struct {
	entry   Entry
	remote  bool
	oldHash string // the hash recorded when the run started
}

// Add adds papers (local paths or arXiv references) to the workspace,
// extracts every paper whose source changed, follows references when asked,
// and writes the graph and the plan. Papers already in the workspace are
// refreshed.
func (w *Workspace) Add(ctx context.Context, sources []string, o Options) (*Result, error) {
	if o.Follow > 0 {
		w.Config.Settings.Follow = o.Follow
	}
	if o.Depth > 0 {
		w.Config.Settings.Depth = o.Depth
	}
	if o.Plan.Intent != "" {
		w.Config.Settings.Intent = o.Plan.Intent
	}
	if o.Plan.Env != "" {
		w.Config.Settings.Env = o.Plan.Env
	}
	res := &Result{Failed: map[string]error{}}
	var jobs []job
	seen := map[string]bool{}
	for _, s := range sources {
		e, remote, err := w.resolve(s, o.Remote)
		if err != nil {
			return nil, err
		}
		if seen[e.ID] {
			continue
		}
		seen[e.ID] = true
		if w.entry(e.ID) == nil {
			w.Config.Papers = append(w.Config.Papers, e)
			res.Added = append(res.Added, e.ID)
		}
		jobs = append(jobs, job{entry: e, remote: remote})
	}
	// Every paper of the workspace is brought up to date, new or not.
	for _, e := range w.Config.Papers {
		if !seen[e.ID] {
			seen[e.ID] = true
			_, remote := w.isRemote(e.Source, o.Remote)
			jobs = append(jobs, job{entry: e, remote: remote})
		}
	}
	if err := w.run(ctx, jobs, o, res); err != nil {
		return nil, err
	}
	depth := w.Config.Settings.Depth
	if depth <= 0 {
		depth = 1
	}
	for level := 0; level < depth && w.Config.Settings.Follow > 0 && o.Remote != nil; level++ {
		more := w.followJobs(jobs, o, res)
		if len(more) == 0 {
			break
		}
		if err := w.run(ctx, more, o, res); err != nil {
			return nil, err
		}
		jobs = more
	}
	if err := w.save(); err != nil {
		return nil, err
	}
	g, err := w.WritePlan(o)
	if err != nil {
		return nil, err
	}
	res.Graph = g
	sort.Strings(res.Added)
	sort.Strings(res.Extracted)
	sort.Strings(res.Unchanged)
	return res, nil
}

// followJobs lists the most important arXiv references of the papers just
// extracted that are not yet in the workspace.
func (w *Workspace) followJobs(done []job, o Options, res *Result) []job {
	var more []job
	var all []graph.Paper
	for _, e := range w.Config.Papers {
		if d := w.docs[e.ID]; d != nil {
			all = append(all, graph.Paper{ID: e.ID, ArxivID: e.ArxivID, Doc: d})
		}
	}
	for _, j := range done {
		d := w.docs[j.entry.ID]
		if d == nil {
			continue
		}
		p := graph.Paper{ID: j.entry.ID, ArxivID: j.entry.ArxivID, Doc: d}
		for _, ref := range graph.Important(p, w.Config.Settings.Follow, all...) {
			if ref.ArxivID == "" {
				continue
			}
			id, arxivID, ok := o.Remote.Parse(ref.ArxivID)
			if !ok || w.entry(id) != nil || w.hasArxiv(arxivID) {
				continue
			}
			e := Entry{ID: id, Source: ref.ArxivID, ArxivID: arxivID, FollowedFrom: j.entry.ID}
			w.Config.Papers = append(w.Config.Papers, e)
			res.Added = append(res.Added, id)
			more = append(more, job{entry: e, remote: true})
		}
	}
	return more
}

func (w *Workspace) hasArxiv(id string) bool {
	for _, e := range w.Config.Papers {
		if e.ArxivID != "" && e.ArxivID == id {
			return true
		}
	}
	return false
}

// run brings jobs up to date in parallel: bounded by the core count, since
// extraction is CPU-bound (fetches are serialised by the arXiv client).
func (w *Workspace) run(ctx context.Context, jobs []job, o Options, res *Result) error {
	n := o.Jobs
	if n <= 0 {
		n = runtime.GOMAXPROCS(0)
	}
	var mu sync.Mutex // guards res, w.docs, w.Config and progress calls
	done := 0
	report := func(ev Event) {
		ev.Total = len(jobs)
		ev.Done = done
		if o.Progress != nil {
			o.Progress(ev)
		}
	}
	for i := range jobs {
		if e := w.entry(jobs[i].entry.ID); e != nil {
			jobs[i].oldHash = e.Hash
		}
	}
	g, gctx := errgroup.WithContext(ctx)
	g.SetLimit(n)
	for _, j := range jobs {
		g.Go(func() error {
			if err := gctx.Err(); err != nil {
				return err
			}
			mu.Lock()
			report(Event{Kind: "start", ID: j.entry.ID, Message: j.entry.Source})
			mu.Unlock()
			d, hash, changed, err := w.extractOne(gctx, j, o)
			mu.Lock()
			defer mu.Unlock()
			done++
			if err != nil {
				if errors.Is(err, context.Canceled) {
					return err
				}
				res.Failed[j.entry.ID] = err
				report(Event{Kind: "failed", ID: j.entry.ID, Message: err.Error()})
				return nil
			}
			w.docs[j.entry.ID] = d
			if e := w.entry(j.entry.ID); e != nil {
				e.Hash = hash
				e.Title = d.Title
			}
			if changed {
				res.Extracted = append(res.Extracted, j.entry.ID)
				report(Event{Kind: "extracted", ID: j.entry.ID, Message: fmt.Sprintf("%d equations, %d references%s", len(d.Equations), len(d.References), readFrom(d))})
			} else {
				res.Unchanged = append(res.Unchanged, j.entry.ID)
				report(Event{Kind: "unchanged", ID: j.entry.ID})
			}
			return nil
		})
	}
	return g.Wait()
}

// preferLaTeX reads the arXiv LaTeX source of a PDF that names its arXiv
// paper: LaTeX gives the exact equations, numbers and tables. When the
// source cannot be had (offline and not cached, a PDF-only paper, an
// error), the PDF's document is kept, with a warning saying why.
func (w *Workspace) preferLaTeX(ctx context.Context, d *doc.Document, o Options) *doc.Document {
	id := d.ArxivID
	lb, err := o.Remote.Bundle(ctx, id)
	if err == nil && !lb.IsLaTeX() {
		err = errors.New("arXiv has only a PDF of it")
	}
	var ld *doc.Document
	if err == nil {
		ld, err = pipeline.Document(ctx, lb, o.Generator)
	}
	if err != nil {
		d.Warnings = append(d.Warnings, doc.Warning{File: d.Source.Path,
			Message: "the PDF is arXiv:" + id + ", but its LaTeX source could not be read (" + err.Error() + "): the PDF was read instead"})
		return d
	}
	if ld.ArxivID == "" {
		ld.ArxivID = id
	}
	ld.Source.Via = "arxiv-latex"
	ld.Warnings = append(ld.Warnings, doc.Warning{File: d.Source.Path,
		Message: "the PDF is arXiv:" + id + ": its LaTeX source from arXiv was read instead (exact equations and tables)"})
	return ld
}

// extractOne reads one paper's source and extracts it unless its hash is
// unchanged and its context documents exist.
func (w *Workspace) extractOne(ctx context.Context, j job, o Options) (*doc.Document, string, bool, error) {
	var b *source.Bundle
	var err error
	if j.remote {
		if o.Remote == nil {
			return nil, "", false, xerr.Input(j.entry.Source, "arXiv references need the network fetcher", "run repro from the command line, which sets it up")
		}
		b, err = o.Remote.Bundle(ctx, j.entry.Source)
	} else {
		b, err = source.Open(w.localPath(j.entry.Source), source.Options{})
	}
	if err != nil {
		return nil, "", false, err
	}
	hash := bundleHash(b)
	if j.oldHash == hash {
		if d, err := w.loadDoc(j.entry.ID); err == nil {
			if _, err := os.Stat(w.docPath(j.entry.ID, ".context.md")); err == nil {
				return d, hash, false, nil
			}
		}
	}
	d, err := pipeline.Document(ctx, b, o.Generator)
	if err != nil {
		return nil, "", false, err
	}
	if b.Kind == source.KindPDF && !j.remote && d.ArxivID != "" && o.Remote != nil {
		d = w.preferLaTeX(ctx, d, o)
	}
	if j.entry.ArxivID != "" && d.ArxivID == "" {
		d.ArxivID = j.entry.ArxivID
	}
	var notes []byte
	if o.Notes != nil {
		var err error
		notes, err = o.Notes(ctx, d)
		if err != nil {
			if ctx.Err() != nil {
				return nil, "", false, ctx.Err()
			}
			d.Warnings = append(d.Warnings, doc.Warning{Message: "no notes from the language model: " + err.Error()})
		}
	}
	var js, md bytes.Buffer
	// The same bytes as the scaffold writes for the same document.
	if err := render.FileJSON(&js, d); err != nil {
		return nil, "", false, err
	}
	if err := render.Markdown(&md, d, render.Options{Version: o.Version}); err != nil {
		return nil, "", false, err
	}
	if len(notes) > 0 {
		md.WriteString("\n")
		md.Write(notes)
	}
	if err := writeAtomic(w.docPath(j.entry.ID, ".context.json"), js.Bytes()); err != nil {
		return nil, "", false, err
	}
	if err := writeAtomic(w.docPath(j.entry.ID, ".context.md"), md.Bytes()); err != nil {
		return nil, "", false, err
	}
	return d, hash, true, nil
}

// localPath resolves a local source relative to the workspace.
func (w *Workspace) localPath(s string) string {
	if filepath.IsAbs(s) {
		return s
	}
	return filepath.Join(w.Dir, s)
}

// resolve turns a command-line source into a workspace entry.
func (w *Workspace) resolve(s string, r Remote) (Entry, bool, error) {
	if st, err := os.Stat(s); err == nil {
		abs, err := filepath.Abs(s)
		if err != nil {
			return Entry{}, false, err
		}
		rel := abs
		if wd, err := filepath.Abs(w.Dir); err == nil {
			if p, err := filepath.Rel(wd, abs); err == nil {
				rel = p
			}
		}
		id := w.uniqueID(localID(abs, st.IsDir()), rel)
		return Entry{ID: id, Source: filepath.ToSlash(rel)}, false, nil
	}
	if r != nil {
		if id, arxivID, ok := r.Parse(s); ok {
			return Entry{ID: id, Source: s, ArxivID: arxivID}, true, nil
		}
	}
	return Entry{}, false, xerr.Input(s, "no such file or directory, and not an arXiv reference",
		"give a paper's folder, .tex file or archive, or an arXiv id such as 2501.00663")
}

func (w *Workspace) isRemote(s string, r Remote) (string, bool) {
	if _, err := os.Stat(w.localPath(s)); err == nil {
		return "", false
	}
	if r != nil {
		if id, _, ok := r.Parse(s); ok {
			return id, true
		}
	}
	return "", false
}

// uniqueID returns id, or id-2, id-3, ... when another source has it.
func (w *Workspace) uniqueID(id, src string) string {
	if id == "" {
		id = "paper"
	}
	cand := id
	for n := 2; ; n++ {
		e := w.entry(cand)
		if e == nil || e.Source == filepath.ToSlash(src) {
			return cand
		}
		cand = fmt.Sprintf("%s-%d", id, n)
	}
}

var nonSlug = regexp.MustCompile(`[^a-zA-Z0-9._-]+`)

// LocalID is the identifier of a local paper source (papers/<id>.*, the
// project's name): a folder's name; a file's name without its extensions
// (.tex, .tar.gz, .tgz, .zip, ...), or its folder's name when the file is
// main.tex or paper.tex; made file-system safe. It is "" for a path that
// does not exist.
func LocalID(path string) string {
	st, err := os.Stat(path)
	if err != nil {
		return ""
	}
	abs, err := filepath.Abs(path)
	if err != nil {
		return ""
	}
	return localID(abs, st.IsDir())
}

func localID(abs string, dir bool) string {
	base := filepath.Base(abs)
	if !dir {
		base = strings.TrimSuffix(base, filepath.Ext(base))
		base = strings.TrimSuffix(base, ".tar")
		if filepath.Base(abs) == "main.tex" || filepath.Base(abs) == "paper.tex" {
			base = filepath.Base(filepath.Dir(abs))
		}
	}
	return slug(base)
}

func slug(s string) string {
	return strings.Trim(nonSlug.ReplaceAllString(s, "-"), "-.")
}

// bundleHash is the SHA-256 of a bundle's file names and contents.
func bundleHash(b *source.Bundle) string {
	h := sha256.New()
	fmt.Fprintf(h, "main %s\n", b.Main)
	for _, name := range b.Order {
		fmt.Fprintf(h, "%s %d\n", name, len(b.Files[name]))
		h.Write(b.Files[name])
	}
	return hex.EncodeToString(h.Sum(nil))
}

// save writes repro.yaml atomically.
func (w *Workspace) save() error {
	var buf bytes.Buffer
	buf.WriteString("# repro workspace: the papers and settings. Edit freely; repro keeps comments out.\n")
	enc := yaml.NewEncoder(&buf)
	enc.SetIndent(2)
	if err := enc.Encode(w.Config); err != nil {
		return err
	}
	return writeAtomic(filepath.Join(w.Dir, ConfigName), buf.Bytes())
}

// WritePlan builds the graph of the workspace's papers and writes
// IMPLEMENTATION_PLAN.md and plan.json.
func (w *Workspace) WritePlan(o Options) (*graph.Graph, error) {
	papers := w.Papers()
	g := graph.Build(papers)
	po := o.Plan
	if po.Intent == "" {
		po.Intent = w.Config.Settings.Intent
	}
	if po.Env == "" {
		po.Env = w.Config.Settings.Env
	}
	if po.Version == "" {
		po.Version = o.Version
	}
	p := plan.Build(g, papers, po)
	js, err := p.JSON()
	if err != nil {
		return nil, err
	}
	if err := writeAtomic(filepath.Join(w.Dir, "plan.json"), js); err != nil {
		return nil, err
	}
	if err := writeAtomic(filepath.Join(w.Dir, "IMPLEMENTATION_PLAN.md"), p.Markdown()); err != nil {
		return nil, err
	}
	if o.Progress != nil {
		o.Progress(Event{Kind: "plan", Message: fmt.Sprintf("%d papers, %d edges", len(g.Papers), len(g.Edges))})
	}
	return g, nil
}

// writeAtomic writes a workspace file so that it is never half written.
func writeAtomic(path string, data []byte) error {
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		return err
	}
	return atomicfile.WriteFile(path, data)
}

// Papers returns the workspace's extracted papers, in repro.yaml's order;
// papers that failed or were never extracted are left out.
func (w *Workspace) Papers() []graph.Paper {
	var papers []graph.Paper
	for _, e := range w.Config.Papers {
		d, err := w.Paper(e.ID)
		if err != nil {
			continue
		}
		papers = append(papers, graph.Paper{ID: e.ID, ArxivID: e.ArxivID, Doc: d})
	}
	return papers
}

// readFrom says, for the progress line, what a paper was read from when it
// was not LaTeX as given.
func readFrom(d *doc.Document) string {
	switch {
	case d.Source.Via == "arxiv-latex":
		return " (from arXiv's LaTeX source of " + d.ArxivID + ", not the PDF)"
	case d.Source.Kind == "pdf":
		return " (from the PDF)"
	case d.Source.Kind == "markdown" || d.Source.Kind == "text":
		return " (from " + d.Source.Kind + ")"
	}
	return ""
}
