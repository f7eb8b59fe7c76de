package pdf

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"os"
	"sync"
	"sync/atomic"
	"time"

	"github.com/reprohq/repro/internal/xerr"
)

// Options bounds the work of Open and Read. The zero value is usable.
type Options struct {
	// PageTimeout bounds the time spent on one page; a page that takes
	// longer is skipped with a warning. 0 means 10 s.
	PageTimeout time.Duration
	// MaxPages is the largest page count accepted. 0 means 2000.
	MaxPages int
	// MaxBytes is the largest file size accepted. 0 means 200 MB.
	MaxBytes int64

	// beforePage, when set (by tests), runs in the worker goroutine
	// before each page is read.
	beforePage func(page int)
}

const (
	defaultPageTimeout = 10 * time.Second
	defaultMaxPages    = 2000
	defaultMaxBytes    = 200 << 20
)

func (o Options) withDefaults() Options {
	if o.PageTimeout <= 0 {
		o.PageTimeout = defaultPageTimeout
	}
	if o.MaxPages <= 0 {
		o.MaxPages = defaultMaxPages
	}
	if o.MaxBytes <= 0 {
		o.MaxBytes = defaultMaxBytes
	}
	return o
}

// Hints of the input errors.
const (
	hintNotPDF    = "repro reads a paper's PDF, its LaTeX source (a folder, the main .tex file, or a .tar.gz, .tgz, .tar, .zip or .gz archive) or an arXiv ID; check the path"
	hintDamaged   = "the file is probably truncated or corrupt; download it again"
	hintEncrypted = "decrypt it first, e.g. qpdf --decrypt --password=PASSWORD in.pdf out.pdf"
	hintScanned   = "run OCR on it first, e.g. ocrmypdf in.pdf out.pdf, or use the paper's LaTeX source"
	hintTooBig    = "use the paper's LaTeX source, or extract the pages you need, e.g. qpdf in.pdf --pages . 1-30 -- out.pdf"
)

// Open reads the text layer of the PDF file at path. Errors about the file
// are *xerr.Error of kind xerr.KindInput; a cancelled ctx returns its error.
func Open(ctx context.Context, path string, opts Options) (*File, error) {
	opts = opts.withDefaults()
	st, err := os.Stat(path)
	if err != nil {
		return nil, &xerr.Error{Kind: xerr.KindInput, File: path, Msg: "cannot read the PDF", Err: err,
			Hint: "check the path"}
	}
	if st.IsDir() {
		return nil, &xerr.Error{Kind: xerr.KindInput, File: path, Msg: "is a folder, not a PDF file", Hint: hintNotPDF}
	}
	if st.Size() > opts.MaxBytes {
		return nil, tooBig(path, st.Size(), opts.MaxBytes)
	}
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, &xerr.Error{Kind: xerr.KindInput, File: path, Msg: "cannot read the PDF", Err: err,
			Hint: "check the path and its permissions"}
	}
	return Read(ctx, path, data, opts)
}

// Read reads the text layer of a PDF held in data; name is used in errors
// and as File.Path. Errors about the data are *xerr.Error of kind
// xerr.KindInput; a cancelled ctx returns its error.
func Read(ctx context.Context, name string, data []byte, opts Options) (*File, error) {
	opts = opts.withDefaults()
	if int64(len(data)) > opts.MaxBytes {
		return nil, tooBig(name, int64(len(data)), opts.MaxBytes)
	}
	if !bytes.Contains(data[:min(len(data), 1024)], []byte("%PDF-")) {
		msg := "is not a PDF file (no %PDF- header)"
		if len(data) == 0 {
			msg = "is empty, not a PDF file"
		}
		return nil, &xerr.Error{Kind: xerr.KindInput, File: name, Msg: msg, Hint: hintNotPDF}
	}
	if uint64(len(data)) >= 1<<31 {
		return nil, tooBig(name, int64(len(data)), 1<<31-1)
	}
	r := &reader{name: name, data: data, opts: opts, file: &File{Path: name}}
	if err := r.run(ctx); err != nil {
		return nil, err
	}
	if !bytes.Contains(data[max(len(data)-1024, 0):], []byte("%%EOF")) {
		r.file.Warnings = append(r.file.Warnings, "the file looks truncated (no %%EOF at its end); pages or objects may be missing")
	}
	return r.file, nil
}

func tooBig(name string, size, limit int64) error {
	return &xerr.Error{Kind: xerr.KindInput, File: name,
		Msg:  fmt.Sprintf("the PDF is too big (%s; the limit is %s)", megabytes(size), megabytes(limit)),
		Hint: hintTooBig}
}

// megabytes formats a size for a message: "12.3 MB", or bytes when small.
func megabytes(n int64) string {
	if n < 100<<10 {
		return fmt.Sprintf("%d bytes", n)
	}
	return fmt.Sprintf("%.1f MB", float64(n)/(1<<20))
}

func damaged(name string, err error) error {
	return &xerr.Error{Kind: xerr.KindInput, File: name, Msg: "the file is damaged", Hint: hintDamaged, Err: err}
}

// errPage is a failure confined to one page: a timeout or a PDFium crash.
type errPage struct {
	page int // 0-based
	err  error
}

func (e *errPage) Error() string { return fmt.Sprintf("page %d: %v", e.page+1, e.err) }
func (e *errPage) Unwrap() error { return e.err }

// maxPageFailures is how many pages may fail (time out or crash PDFium)
// before the whole file is given up.
const maxPageFailures = 5

// run extracts the file in one or more sessions: a page that times out or
// crashes PDFium costs its worker, and the next session reopens the
// document in a fresh worker after that page.
func (r *reader) run(ctx context.Context) error {
	next, failures := 0, 0
	for {
		if err := ctx.Err(); err != nil {
			return err
		}
		err := r.watch(ctx, next)
		if err == nil {
			break
		}
		var pe *errPage
		if !errors.As(err, &pe) {
			return err
		}
		failures++
		if failures > maxPageFailures {
			return damaged(r.name, fmt.Errorf("%d pages failed, the last one: %w", failures, pe))
		}
		what := "PDFium failed on it"
		if errors.Is(pe.err, context.DeadlineExceeded) {
			what = fmt.Sprintf("reading it took longer than %s", r.opts.PageTimeout)
		}
		r.file.Warnings = append(r.file.Warnings, fmt.Sprintf("page %d skipped: %s", pe.page+1, what))
		next = pe.page + 1
		if next >= len(r.file.Pages) {
			break
		}
	}
	r.finish()
	return r.checkText()
}

// watch runs a session in its own goroutine and waits for it. PDFium calls
// cannot be interrupted cheaply (see getPool), so when the context ends or
// a page takes longer than PageTimeout, watch abandons the session: it
// returns at once, and the session's goroutine stops at its next PDFium
// call, discarding its results and killing its worker.
func (r *reader) watch(ctx context.Context, start int) error {
	s := &session{r: r, start: start}
	if start > 0 {
		s.npages = len(r.file.Pages)
		s.sizes = make([][2]float64, len(r.file.Pages))
		for i, p := range r.file.Pages {
			s.sizes[i] = [2]float64{p.Width, p.Height}
		}
	}
	s.step.Store(-1)
	done := make(chan error, 1)
	go func() { done <- s.run(ctx) }()

	poll := min(max(r.opts.PageTimeout/20, 5*time.Millisecond), 100*time.Millisecond)
	tick := time.NewTicker(poll)
	defer tick.Stop()
	for {
		select {
		case err := <-done:
			return err
		case <-ctx.Done():
			s.abandon()
			return ctx.Err()
		case <-tick.C:
			// since is 0 until a worker is borrowed: starting the pool
			// (compiling PDFium on a cold cache) and waiting for a free
			// worker do not count against the timeout.
			since := s.since.Load()
			if since == 0 || time.Since(time.Unix(0, since)) <= r.opts.PageTimeout {
				continue
			}
			s.abandon()
			if page := int(s.step.Load()); page >= 0 {
				return &errPage{page: page, err: context.DeadlineExceeded}
			}
			return damaged(r.name, fmt.Errorf("PDFium took longer than %s to open it", r.opts.PageTimeout))
		}
	}
}

// session is one pass over the document in one worker. Its goroutine
// builds results locally and commits them into the reader under mu, unless
// the reader has abandoned it.
type session struct {
	r      *reader
	start  int
	npages int               // the page count, known after the first session
	sizes  [][2]float64      // the pages' width and height from the page tree
	names  map[uint64]string // dest handle → name, valid in this session

	step  atomic.Int64 // the page being read, -1 while opening
	since atomic.Int64 // when step began, in Unix nanoseconds; 0 before a worker is borrowed

	mu        sync.Mutex
	abandoned bool
	e         *engine
}

// abandon stops the session: nothing more is committed and its engine
// fails every later call.
func (s *session) abandon() {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.abandoned = true
	if s.e != nil {
		s.e.abandoned.Store(true)
	}
}

// commit runs f under the session lock unless the session was abandoned.
func (s *session) commit(f func()) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.abandoned {
		return false
	}
	f()
	return true
}

// setStep records that the session starts on page (-1: the document).
func (s *session) setStep(page int) {
	s.step.Store(int64(page))
	s.since.Store(time.Now().UnixNano())
}

// run borrows a worker, opens the document and reads the pages from
// start on. A failure confined to one page is an *errPage.
func (s *session) run(ctx context.Context) (err error) {
	e, err := acquire(ctx)
	if err != nil {
		if ctx.Err() != nil {
			return ctx.Err()
		}
		return err
	}
	if !s.commit(func() { s.e = e }) {
		e.dead = true
		e.release()
		return errAbandoned
	}
	s.setStep(-1)
	defer func() {
		if p := recover(); p != nil {
			e.dead = true
			err = fmt.Errorf("%w: panic: %v", errEngine, p)
			if page := int(s.step.Load()); page >= 0 {
				err = &errPage{page: page, err: err}
			} else {
				err = damaged(s.r.name, err)
			}
		}
		e.release()
	}()

	doc, dataPtr, err := s.r.openDoc(e)
	if err != nil {
		return err
	}
	defer func() {
		if !e.dead {
			_, _ = e.call(fnCloseDocument, doc)
			e.free(dataPtr)
		}
	}()
	if err := s.docInfo(e, doc); err != nil {
		if xerr.KindOf(err) == xerr.KindInput {
			return err
		}
		return damaged(s.r.name, err)
	}
	for page := s.start; page < s.npages; page++ {
		s.setStep(page)
		if s.r.opts.beforePage != nil {
			s.r.opts.beforePage(page)
		}
		p, warn, err := s.readPage(e, doc, page)
		if err != nil {
			return &errPage{page: page, err: err}
		}
		if !s.commit(func() {
			s.r.file.Pages[page] = p
			s.r.file.Warnings = append(s.r.file.Warnings, warn...)
		}) {
			return errAbandoned
		}
	}
	return nil
}

// PDFium's FPDF_GetLastError codes.
const (
	errFormat   = 3
	errPassword = 4
	errSecurity = 5
)

// openDoc copies the data into guest memory and opens it.
func (r *reader) openDoc(e *engine) (doc uint64, dataPtr uint32, err error) {
	dataPtr, err = e.malloc(uint32(max(len(r.data), 1)))
	if err != nil {
		return 0, 0, damaged(r.name, err)
	}
	if !e.mem.Write(dataPtr, r.data) {
		e.dead = true
		return 0, 0, damaged(r.name, fmt.Errorf("%w: cannot copy the file into PDFium's memory", errEngine))
	}
	doc, err = e.call(fnLoadMemDocument64, uint64(dataPtr), uint64(len(r.data)), 0)
	if err != nil {
		return 0, 0, damaged(r.name, err)
	}
	if uint32(doc) != 0 {
		return doc, dataPtr, nil
	}
	code, err := e.call(fnGetLastError)
	e.free(dataPtr)
	if err != nil {
		return 0, 0, damaged(r.name, err)
	}
	switch int32(code) {
	case errPassword:
		return 0, 0, &xerr.Error{Kind: xerr.KindInput, File: r.name, Msg: "the PDF is password-protected", Hint: hintEncrypted}
	case errSecurity:
		return 0, 0, &xerr.Error{Kind: xerr.KindInput, File: r.name, Msg: "the PDF is encrypted with an unsupported security handler", Hint: hintEncrypted}
	case errFormat:
		return 0, 0, damaged(r.name, nil)
	default:
		return 0, 0, damaged(r.name, fmt.Errorf("PDFium error %d", int32(code)))
	}
}
