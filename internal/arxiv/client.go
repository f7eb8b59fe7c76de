package arxiv

import (
	"bytes"
	"compress/gzip"
	"context"
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"net/http"
	"net/url"
	"os"
	"runtime/debug"
	"strconv"
	"strings"
	"time"

	"github.com/reprohq/repro/internal/xerr"
)

// Defaults of Options.
const (
	// DefaultBaseURL serves /abs/ID, /e-print/ID and /pdf/ID.
	DefaultBaseURL = "https://arxiv.org"
	// DefaultAPIURL is the arXiv API's query endpoint.
	DefaultAPIURL = "https://export.arxiv.org/api/query"
	// DefaultMinInterval is arXiv's rule: no more than one request every
	// three seconds.
	DefaultMinInterval = 3 * time.Second
	// DefaultMaxRetries is how many times a failed request is retried.
	DefaultMaxRetries = 4
	// DefaultTimeout bounds the wait for the answer to a request (its
	// status line and headers).
	DefaultTimeout = 60 * time.Second
	// DefaultStallTimeout bounds the wait for each piece of a response
	// body: a download that delivers no byte for this long fails.
	DefaultStallTimeout = 30 * time.Second
	// DefaultMaxBytes caps the size of a download: 512 MiB.
	DefaultMaxBytes int64 = 512 << 20
)

// Environment variables that override the default addresses, for mirrors
// and tests.
const (
	EnvBaseURL = "REPRO_ARXIV_URL"
	EnvAPIURL  = "REPRO_ARXIV_API_URL"
)

// Kinds of e-print, as returned by Client.Source.
const (
	KindTarGz = "tar.gz" // a gzip-compressed tar archive: a multi-file source
	KindGz    = "gz"     // a gzip-compressed single file: a bare .tex source
	KindTar   = "tar"    // an uncompressed tar archive
	KindTeX   = "tex"    // an uncompressed single .tex file
	KindPDF   = "pdf"    // a PDF: the paper has no source on arXiv
)

const (
	maxAPIBytes  = 16 << 20        // cap on an API response
	maxErrorBody = 64 << 10        // what is read of an error response
	maxWait      = 5 * time.Minute // cap on a backoff or Retry-After wait
)

// ErrNotFound is matched (with errors.Is) by the errors of requests for a
// paper or version that arXiv does not have.
var ErrNotFound = errors.New("not found")

// Options configures a Client. Zero values mean the defaults.
type Options struct {
	// BaseURL is where /abs/ID, /e-print/ID and /pdf/ID are served. The
	// default is $REPRO_ARXIV_URL, else https://arxiv.org.
	BaseURL string
	// APIURL is the API's query endpoint. The default is
	// $REPRO_ARXIV_API_URL, else https://export.arxiv.org/api/query.
	APIURL string
	// MinInterval is the least time between the starts of two consecutive
	// requests, retries and redirects included; default 3 s. A negative
	// value means no spacing. It is also the base of the exponential
	// backoff between retries.
	MinInterval time.Duration
	// MaxRetries is how many times a request is retried after a network
	// error, a timeout or a 429, 500, 502, 503 or 504 status; default 4. A
	// negative value means no retries.
	MaxRetries int
	// Timeout bounds the wait for the answer (status and headers) to each
	// request; default 60 s.
	Timeout time.Duration
	// StallTimeout bounds the wait for more bytes while a response body is
	// read; default 30 s. A download that stalls longer fails (and is
	// retried).
	StallTimeout time.Duration
	// MaxBytes caps the size of an e-print or PDF; default 512 MiB.
	MaxBytes int64
	// UserAgent is sent with every request; default UserAgent("") (which
	// describes repro and where to find it, as arXiv asks).
	UserAgent string
	// HTTPClient makes the requests; default a client with its own
	// transport that honours the proxy environment variables. Its Timeout,
	// if any, applies too; its CheckRedirect, if any, is called after the
	// Client's own spacing.
	HTTPClient *http.Client
}

// UserAgent returns the User-Agent repro sends for a version of repro
// ("v0.1.0"): "repro/v0.1.0 (+https://github.com/reprohq/repro)". An empty
// version is taken from the build information, else "dev".
func UserAgent(version string) string {
	if version == "" {
		version = "dev"
		if bi, ok := debug.ReadBuildInfo(); ok && bi.Main.Version != "" && bi.Main.Version != "(devel)" {
			version = bi.Main.Version
		}
	}
	return "repro/" + version + " (+https://github.com/reprohq/repro)"
}

// Client talks to arXiv. It is safe for concurrent use, but makes one
// request at a time: concurrent calls wait their turn.
type Client struct {
	base, api   string
	minInterval time.Duration
	maxRetries  int
	timeout     time.Duration
	stall       time.Duration
	maxBytes    int64
	ua          string
	hc          *http.Client

	// turn is a one-slot semaphore held for a whole call: every attempt,
	// the backoff between them, and the reading of the body.
	turn chan struct{}
	// last is when the previous request started; guarded by turn.
	last time.Time
	// jitter returns a number in [0, 1); replaceable in tests.
	jitter func() float64
}

// NewClient returns a Client with the options o.
func NewClient(o Options) *Client {
	c := &Client{
		base:        firstNonEmpty(o.BaseURL, os.Getenv(EnvBaseURL), DefaultBaseURL),
		api:         firstNonEmpty(o.APIURL, os.Getenv(EnvAPIURL), DefaultAPIURL),
		minInterval: o.MinInterval,
		maxRetries:  o.MaxRetries,
		timeout:     o.Timeout,
		stall:       o.StallTimeout,
		maxBytes:    o.MaxBytes,
		ua:          o.UserAgent,
		turn:        make(chan struct{}, 1),
		jitter:      rand.Float64,
	}
	c.base = strings.TrimRight(c.base, "/")
	switch {
	case c.minInterval == 0:
		c.minInterval = DefaultMinInterval
	case c.minInterval < 0:
		c.minInterval = 0
	}
	switch {
	case c.maxRetries == 0:
		c.maxRetries = DefaultMaxRetries
	case c.maxRetries < 0:
		c.maxRetries = 0
	}
	if c.timeout <= 0 {
		c.timeout = DefaultTimeout
	}
	if c.stall <= 0 {
		c.stall = DefaultStallTimeout
	}
	if c.maxBytes <= 0 {
		c.maxBytes = DefaultMaxBytes
	}
	if c.ua == "" {
		c.ua = UserAgent("")
	}
	var hc http.Client
	if o.HTTPClient != nil {
		hc = *o.HTTPClient
	} else {
		t := http.DefaultTransport.(*http.Transport).Clone()
		t.Proxy = http.ProxyFromEnvironment
		hc.Transport = t
	}
	// Redirects are requests too: space them like the others.
	next := hc.CheckRedirect
	hc.CheckRedirect = func(req *http.Request, via []*http.Request) error {
		if len(via) >= 10 {
			return errors.New("stopped after 10 redirects")
		}
		if err := c.waitTurn(req.Context()); err != nil {
			return err
		}
		if next != nil {
			return next(req, via)
		}
		return nil
	}
	c.hc = &hc
	return c
}

// AbsURL returns the address of the abstract page of r.
func (c *Client) AbsURL(r Ref) string { return c.base + "/abs/" + r.String() }

// EPrintURL returns the address of the source (e-print) of r.
func (c *Client) EPrintURL(r Ref) string { return c.base + "/e-print/" + r.String() }

// PDFURL returns the address of the PDF of r.
func (c *Client) PDFURL(r Ref) string { return c.base + "/pdf/" + r.String() }

// QueryURL returns the API address that Metadata asks about r.
func (c *Client) QueryURL(r Ref) string {
	sep := "?"
	if strings.Contains(c.api, "?") {
		sep = "&"
	}
	return c.api + sep + "id_list=" + url.QueryEscape(r.String())
}

// Metadata asks the arXiv API about r: about version r.Version, or about
// the latest version when r has none (then Metadata.Version tells which it
// is, and Metadata.Versions lists all). A paper the API does not know gives
// an error matching ErrNotFound.
func (c *Client) Metadata(ctx context.Context, r Ref) (*Metadata, error) {
	if err := checkRef(r); err != nil {
		return nil, err
	}
	u := c.QueryURL(r)
	body, err := c.get(ctx, u, maxAPIBytes, nil)
	if err != nil {
		var se *StatusError
		if errors.As(err, &se) && se.StatusCode == http.StatusBadRequest {
			// The API answers a malformed id with 400 and an error feed.
			if _, ferr := parseFeed(se.body, r); errors.Is(ferr, ErrNotFound) {
				err = &wrapped{msg: u + ": " + ferr.Error(), err: ferr}
			}
		}
		return nil, c.fail(r, err)
	}
	m, err := parseFeed(body, r)
	if errors.Is(err, ErrNotFound) {
		return nil, c.fail(r, &wrapped{msg: u + ": " + err.Error(), err: err})
	}
	if err != nil {
		return nil, &xerr.Error{Kind: xerr.KindInput, Msg: "unexpected answer from the arXiv API",
			Err: &wrapped{msg: u + ": " + err.Error(), err: err}, Hint: hintLater}
	}
	if m.PDFURL == "" {
		m.PDFURL = c.PDFURL(m.Ref())
	}
	return m, nil
}

// Source downloads the source (e-print) of r: of version r.Version, or of
// the latest version. kind tells what data is, by its magic bytes:
// KindTarGz, KindGz (a single compressed .tex file), KindTar, KindTeX, or
// KindPDF when arXiv has only a PDF of the paper (data is then the PDF).
// A compressed download is checked to the end, so that a damaged one is
// retried rather than returned.
func (c *Client) Source(ctx context.Context, r Ref) (data []byte, kind string, err error) {
	if err := checkRef(r); err != nil {
		return nil, "", err
	}
	u := c.EPrintURL(r)
	_, err = c.get(ctx, u, c.maxBytes, func(b []byte) error {
		k, out, err := detectKind(b, c.maxBytes)
		if err != nil {
			return err
		}
		kind, data = k, out
		return nil
	})
	if err != nil {
		var pe *permanentError
		if errors.As(err, &pe) {
			return nil, "", &xerr.Error{Kind: xerr.KindInput, Msg: "arXiv " + r.String() + ": unexpected e-print",
				Err: err, Hint: "open " + c.AbsURL(r) + " to see what arXiv offers for this paper"}
		}
		return nil, "", c.fail(r, err)
	}
	return data, kind, nil
}

// PDF downloads the PDF of r: of version r.Version, or of the latest.
func (c *Client) PDF(ctx context.Context, r Ref) ([]byte, error) {
	if err := checkRef(r); err != nil {
		return nil, err
	}
	u := c.PDFURL(r)
	body, err := c.get(ctx, u, c.maxBytes, func(b []byte) error {
		if !bytes.HasPrefix(b, magicPDF) {
			return &permanentError{msg: "not a PDF: " + describe(b)}
		}
		return nil
	})
	if err != nil {
		var pe *permanentError
		if errors.As(err, &pe) {
			return nil, &xerr.Error{Kind: xerr.KindInput, Msg: "arXiv " + r.String() + ": unexpected answer",
				Err: err, Hint: "open " + c.AbsURL(r) + " to see what arXiv offers for this paper"}
		}
		return nil, c.fail(r, err)
	}
	return body, nil
}

// checkRef refuses a reference with no identifier (a bug in the caller).
func checkRef(r Ref) error {
	if _, ok := ParseRef(r.String()); !ok || r.ID == "" {
		return &xerr.Error{Kind: xerr.KindUsage, Msg: fmt.Sprintf("not an arXiv id: %q", r.String()),
			Hint: "an arXiv id looks like 2501.00663, 2501.00663v2 or hep-th/9901001"}
	}
	return nil
}

// Hints.
const (
	hintNotFound = "check the arXiv id (for example 2501.00663, 2501.00663v2 or hep-th/9901001)"
	hintNetwork  = "check your network connection, or use --offline to work from the cache"
	hintLater    = "arXiv may be busy or down; try again later, or use --offline to work from the cache"
	hintBusy     = "arXiv is asking for fewer requests; wait a few minutes and try again, or use --offline to work from the cache"
)

// fail turns an error of get into the user-facing error about r.
func (c *Client) fail(r Ref, err error) error {
	if errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded) {
		return err
	}
	var re *retriedError
	attempts := ""
	if errors.As(err, &re) {
		attempts = fmt.Sprintf(" (%d attempts)", re.attempts)
	}
	var se *StatusError
	var te *timeoutError
	var de *damagedError
	switch {
	case errors.Is(err, ErrNotFound):
		return &xerr.Error{Kind: xerr.KindInput, Msg: "no arXiv paper " + r.String(), Err: err, Hint: hintNotFound}
	case errors.Is(err, errTooBig):
		return &xerr.Error{Kind: xerr.KindInput, Msg: "arXiv " + r.String() + ": download too large", Err: err,
			Hint: "the download is larger than the limit of " + strconv.FormatInt(c.maxBytes>>20, 10) + " MiB"}
	case errors.As(err, &se):
		switch {
		case se.StatusCode == http.StatusTooManyRequests:
			return &xerr.Error{Kind: xerr.KindInput, Msg: "arXiv is limiting requests" + attempts, Err: err, Hint: hintBusy}
		case se.StatusCode >= 500:
			return &xerr.Error{Kind: xerr.KindInput, Msg: "arXiv is unavailable" + attempts, Err: err, Hint: hintLater}
		case se.StatusCode == http.StatusForbidden:
			return &xerr.Error{Kind: xerr.KindInput, Msg: "arXiv refused the request for " + r.String(), Err: err,
				Hint: "arXiv may be blocking automated downloads from this network; try again later or download the source by hand"}
		}
		return &xerr.Error{Kind: xerr.KindInput, Msg: "unexpected answer from arXiv for " + r.String(), Err: err, Hint: hintNotFound}
	case errors.As(err, &de):
		return &xerr.Error{Kind: xerr.KindInput, Msg: "arXiv " + r.String() + ": the download arrived damaged" + attempts, Err: err, Hint: hintLater}
	case errors.As(err, &te):
		return &xerr.Error{Kind: xerr.KindInput, Msg: "arXiv did not answer in time" + attempts, Err: err, Hint: hintNetwork}
	}
	return &xerr.Error{Kind: xerr.KindInput, Msg: "cannot reach arXiv" + attempts, Err: err, Hint: hintNetwork}
}

// StatusError is an HTTP status other than 200 OK from arXiv. It matches
// ErrNotFound for 404 Not Found and 410 Gone.
type StatusError struct {
	URL        string // the address asked
	StatusCode int    // 404
	Status     string // "404 Not Found"
	body       []byte // the start of the response body
}

// Error returns the address and the status:
// "https://arxiv.org/e-print/2501.00663: 404 Not Found".
func (e *StatusError) Error() string { return e.URL + ": " + e.Status }

// Is makes 404 and 410 match ErrNotFound.
func (e *StatusError) Is(target error) bool {
	return target == ErrNotFound && (e.StatusCode == http.StatusNotFound || e.StatusCode == http.StatusGone)
}

// wrapped is an error with its own message around a cause.
type wrapped struct {
	msg string
	err error
}

func (e *wrapped) Error() string { return e.msg }
func (e *wrapped) Unwrap() error { return e.err }

// damagedError is a download that arrived whole but fails its check: a
// gzip stream with a bad checksum or cut short.
type damagedError wrapped

func (e *damagedError) Error() string { return e.msg }
func (e *damagedError) Unwrap() error { return e.err }

// retriedError is the last error of a request that was tried attempts
// times.
type retriedError struct {
	attempts int
	err      error
}

func (e *retriedError) Error() string { return e.err.Error() }
func (e *retriedError) Unwrap() error { return e.err }

// timeoutError is a request that got no answer, or a body that stalled.
type timeoutError struct {
	url  string
	what string
	d    time.Duration
}

func (e *timeoutError) Error() string { return fmt.Sprintf("%s: %s for %s", e.url, e.what, e.d) }

// Timeout reports true, as net.Error does for timeouts.
func (e *timeoutError) Timeout() bool { return true }

// permanentError is a response that retrying will not fix: a PDF where a
// source was expected, an HTML page, a bad address.
type permanentError struct{ msg string }

func (e *permanentError) Error() string { return e.msg }

var errTooBig = errors.New("response too large")

// get fetches u, waiting its turn, spacing requests and retrying as the
// Options say. check, if not nil, validates a 200 response body: a
// *permanentError from it fails the call, any other error is retried like a
// damaged download. It returns the body of a 200 response; the error of a
// failure is a *StatusError, a network error, a *timeoutError or the
// context's error, possibly inside a *retriedError.
func (c *Client) get(ctx context.Context, u string, limit int64, check func([]byte) error) ([]byte, error) {
	select {
	case c.turn <- struct{}{}:
	case <-ctx.Done():
		return nil, ctxError(u, ctx)
	}
	defer func() { <-c.turn }()

	for attempt := 0; ; attempt++ {
		if err := c.waitTurn(ctx); err != nil {
			return nil, ctxError(u, ctx)
		}
		body, hdr, status, err := c.once(ctx, u, limit)
		if ctx.Err() != nil {
			return nil, ctxError(u, ctx)
		}
		var wait time.Duration
		switch {
		case err != nil:
			var pe *permanentError
			if errors.Is(err, errTooBig) || errors.As(err, &pe) {
				return nil, err
			}
		case status == http.StatusOK:
			if check == nil {
				return body, nil
			}
			cerr := check(body)
			if cerr == nil {
				return body, nil
			}
			var pe *permanentError
			if errors.As(cerr, &pe) {
				return nil, &wrapped{msg: u + ": " + cerr.Error(), err: cerr}
			}
			err = &damagedError{msg: u + ": damaged download: " + cerr.Error(), err: cerr}
		default:
			err = &StatusError{URL: u, StatusCode: status, Status: statusText(status), body: body}
			if !retryableStatus(status) {
				return nil, err
			}
			wait = retryAfter(hdr.Get("Retry-After"), time.Now())
		}
		if attempt >= c.maxRetries {
			if attempt > 0 {
				return nil, &retriedError{attempts: attempt + 1, err: err}
			}
			return nil, err
		}
		if wait <= 0 {
			wait = c.backoff(attempt)
		}
		if err := sleep(ctx, wait); err != nil {
			return nil, ctxError(u, ctx)
		}
	}
}

// waitTurn waits until MinInterval has passed since the start of the
// previous request, and records the start of the next. The caller holds
// the turn.
func (c *Client) waitTurn(ctx context.Context) error {
	if !c.last.IsZero() && c.minInterval > 0 {
		if d := time.Until(c.last.Add(c.minInterval)); d > 0 {
			if err := sleep(ctx, d); err != nil {
				return err
			}
		}
	}
	c.last = time.Now()
	return nil
}

// backoff is the wait before retry number attempt+1: MinInterval (or 1 s
// without one) doubled for each attempt, with ±50% jitter, at most maxWait.
func (c *Client) backoff(attempt int) time.Duration {
	base := c.minInterval
	if base <= 0 {
		base = time.Second
	}
	d := base
	for i := 0; i < attempt && d < maxWait; i++ {
		d *= 2
	}
	d = d/2 + time.Duration(c.jitter()*float64(d))
	return min(d, maxWait)
}

// once makes one request. For a status other than 200 it returns the start
// of the body (for error messages) and no error.
func (c *Client) once(ctx context.Context, u string, limit int64) (body []byte, hdr http.Header, status int, err error) {
	actx, cancel := context.WithCancelCause(ctx)
	defer cancel(nil)
	req, err := http.NewRequestWithContext(actx, http.MethodGet, u, nil)
	if err != nil {
		return nil, nil, 0, &permanentError{msg: "bad address " + u + ": " + err.Error()}
	}
	req.Header.Set("User-Agent", c.ua)
	timer := time.AfterFunc(c.timeout, func() {
		cancel(&timeoutError{url: u, what: "no answer", d: c.timeout})
	})
	resp, err := c.hc.Do(req)
	timer.Stop()
	if err != nil {
		return nil, nil, 0, c.netError(actx, u, err)
	}
	defer resp.Body.Close()
	truncate := false
	if resp.StatusCode != http.StatusOK {
		limit, truncate = maxErrorBody, true
	}
	body, err = c.readBody(resp.Body, resp.ContentLength, limit, truncate, func() {
		cancel(&timeoutError{url: u, what: "download stalled: no data", d: c.stall})
	})
	if err != nil {
		if errors.Is(err, errTooBig) {
			return nil, nil, 0, &wrapped{msg: fmt.Sprintf("%s: larger than %d MiB", u, limit>>20), err: errTooBig}
		}
		return nil, nil, 0, c.netError(actx, u, err)
	}
	return body, resp.Header, resp.StatusCode, nil
}

// netError describes a failed request: a timeout of ours, the caller's
// cancellation, or a network error.
func (c *Client) netError(actx context.Context, u string, err error) error {
	var te *timeoutError
	if cause := context.Cause(actx); errors.As(cause, &te) {
		return te
	}
	var ue *url.Error
	if errors.As(err, &ue) {
		err = ue.Err
	}
	if errors.Is(err, io.ErrUnexpectedEOF) {
		return &wrapped{msg: u + ": connection closed before the end of the response", err: err}
	}
	return &wrapped{msg: u + ": " + err.Error(), err: err}
}

// readBody reads r to the end, failing with errTooBig beyond limit bytes
// (or stopping there when truncate is set). onStall is called when no byte
// arrives for the stall timeout; it must make r fail.
func (c *Client) readBody(r io.Reader, size, limit int64, truncate bool, onStall func()) ([]byte, error) {
	t := time.AfterFunc(c.stall, onStall)
	defer t.Stop()
	var buf bytes.Buffer
	if size > 0 && size <= limit {
		buf.Grow(int(size))
	}
	p := make([]byte, 32<<10)
	for {
		n, err := r.Read(p)
		if n > 0 {
			t.Reset(c.stall)
			if int64(buf.Len()+n) > limit {
				if truncate {
					buf.Write(p[:limit-int64(buf.Len())])
					return buf.Bytes(), nil
				}
				return nil, errTooBig
			}
			buf.Write(p[:n])
		}
		if err == io.EOF {
			return buf.Bytes(), nil
		}
		if err != nil {
			return nil, err
		}
	}
}

// ctxError is the error of a call cancelled by its context.
func ctxError(u string, ctx context.Context) error {
	return fmt.Errorf("%s: %w", u, ctx.Err())
}

// sleep waits for d or until ctx is done.
func sleep(ctx context.Context, d time.Duration) error {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

func retryableStatus(code int) bool {
	switch code {
	case http.StatusTooManyRequests, http.StatusInternalServerError, http.StatusBadGateway,
		http.StatusServiceUnavailable, http.StatusGatewayTimeout:
		return true
	}
	return false
}

func statusText(code int) string {
	if t := http.StatusText(code); t != "" {
		return strconv.Itoa(code) + " " + t
	}
	return strconv.Itoa(code)
}

// retryAfter parses a Retry-After header, seconds or an HTTP date, into a
// wait of at most maxWait; 0 when absent or invalid.
func retryAfter(v string, now time.Time) time.Duration {
	v = strings.TrimSpace(v)
	if v == "" {
		return 0
	}
	var d time.Duration
	if n, err := strconv.ParseInt(v, 10, 64); err == nil {
		if n < 0 {
			return 0
		}
		if n > int64(maxWait/time.Second) {
			return maxWait
		}
		d = time.Duration(n) * time.Second
	} else if t, err := http.ParseTime(v); err == nil {
		d = t.Sub(now)
	}
	return max(0, min(d, maxWait))
}

// Magic numbers.
var (
	magicGzip = []byte{0x1f, 0x8b}
	magicPDF  = []byte("%PDF-")
)

// detectKind tells what an e-print is by its magic bytes. A gzip stream is
// read to its end to check it (up to limit uncompressed bytes, beyond which
// it is left for the unpacker's own limits); a damaged one gives an error
// that is not a *permanentError. A gzip-compressed PDF is returned
// uncompressed.
func detectKind(data []byte, limit int64) (kind string, out []byte, err error) {
	switch {
	case bytes.HasPrefix(data, magicGzip):
		zr, err := gzip.NewReader(bytes.NewReader(data))
		if err != nil {
			return "", nil, err
		}
		head := make([]byte, 512)
		n, err := io.ReadFull(zr, head)
		if err != nil && err != io.ErrUnexpectedEOF && err != io.EOF {
			return "", nil, err
		}
		head = head[:n]
		if bytes.HasPrefix(head, magicPDF) {
			rest, err := io.ReadAll(io.LimitReader(zr, limit))
			if err != nil {
				return "", nil, err
			}
			return KindPDF, append(head, rest...), nil
		}
		if _, err := io.Copy(io.Discard, io.LimitReader(zr, limit)); err != nil {
			return "", nil, err
		}
		if n == 0 {
			return "", nil, &permanentError{msg: "empty e-print (an empty gzip stream)"}
		}
		if isTar(head) {
			return KindTarGz, data, nil
		}
		return KindGz, data, nil
	case bytes.HasPrefix(data, magicPDF):
		return KindPDF, data, nil
	case isTar(data):
		return KindTar, data, nil
	case looksLikeTeX(data):
		return KindTeX, data, nil
	}
	return "", nil, &permanentError{msg: "not a source archive, a .tex file or a PDF: " + describe(data)}
}

// isTar reports whether data starts with a tar header: the ustar magic, or
// a valid header checksum (old V7 archives).
func isTar(data []byte) bool {
	if len(data) < 512 {
		return false
	}
	block := data[:512]
	if bytes.Equal(block[257:262], []byte("ustar")) {
		return true
	}
	field := strings.Trim(string(block[148:156]), " \x00")
	if field == "" || block[0] == 0 {
		return false
	}
	want, err := strconv.ParseInt(field, 8, 64)
	if err != nil {
		return false
	}
	var sum int64
	for i, ch := range block {
		if i >= 148 && i < 156 {
			ch = ' '
		}
		sum += int64(ch)
	}
	return sum == want
}

// looksLikeTeX reports whether data is plausibly an uncompressed LaTeX file.
func looksLikeTeX(data []byte) bool {
	head := data[:min(len(data), 1<<16)]
	if len(head) == 0 || bytes.IndexByte(head, 0) >= 0 {
		return false
	}
	for _, s := range []string{`\documentclass`, `\documentstyle`, `\begin{document}`, `\input`} {
		if bytes.Contains(head, []byte(s)) {
			return true
		}
	}
	return false
}

// describe names what data looks like, for an error message.
func describe(data []byte) string {
	switch {
	case len(data) == 0:
		return "an empty response"
	case bytes.Contains(bytes.ToLower(data[:min(len(data), 512)]), []byte("<html")),
		bytes.HasPrefix(bytes.ToLower(bytes.TrimSpace(data[:min(len(data), 512)])), []byte("<!doctype html")):
		return "an HTML page"
	}
	head := data[:min(len(data), 16)]
	return fmt.Sprintf("%d bytes starting %q", len(data), head)
}
