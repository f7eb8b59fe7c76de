package pdf

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"reflect"
	"runtime"
	"sync"
	"sync/atomic"

	"github.com/klippa-app/go-pdfium"
	"github.com/klippa-app/go-pdfium/webassembly"
	"github.com/tetratelabs/wazero"
	"github.com/tetratelabs/wazero/api"
	"github.com/tetratelabs/wazero/experimental"
)

// EnvCacheDir names the environment variable that overrides repro's cache
// folder (the same variable package fetch reads); the compiled PDFium
// module is kept in its "pdfium-wasm" subfolder.
const EnvCacheDir = "REPRO_CACHE_DIR"

// maxWorkerMemory is the linear-memory size above which a worker is thrown
// away after use instead of being returned to the pool, so that one huge
// PDF does not pin hundreds of megabytes for the life of the process.
const maxWorkerMemory = 256 << 20

// The pool of PDFium WebAssembly workers, built on first use. It is the
// package's only global state.
var (
	poolOnce sync.Once
	thePool  pdfium.Pool
	poolErr  error
)

// CompileCacheDir returns the folder where wazero keeps the compiled PDFium
// module: $REPRO_CACHE_DIR/pdfium-wasm, else repro/pdfium-wasm in the
// user's cache folder; "" when neither is known.
func CompileCacheDir() string {
	if d := os.Getenv(EnvCacheDir); d != "" {
		return filepath.Join(d, "pdfium-wasm")
	}
	d, err := os.UserCacheDir()
	if err != nil {
		return ""
	}
	return filepath.Join(d, "repro", "pdfium-wasm")
}

// compilationCache returns a file-backed compilation cache, or an
// in-memory one when the folder cannot be created.
func compilationCache() wazero.CompilationCache {
	if dir := CompileCacheDir(); dir != "" {
		if err := os.MkdirAll(dir, 0o755); err == nil {
			if c, err := wazero.NewCompilationCacheWithDir(dir); err == nil {
				return c
			}
		}
	}
	return wazero.NewCompilationCache()
}

// getPool returns the global worker pool, building it on first use.
func getPool() (pdfium.Pool, error) {
	poolOnce.Do(func() {
		n := min(max(runtime.GOMAXPROCS(0), 1), 4)
		// The bundled module needs exception handling (setjmp/longjmp).
		// CloseOnContextDone is deliberately off: wazero then starts a
		// goroutine on every guest call, which tripled the cost of the
		// per-character calls. Timeouts are enforced by abandoning the
		// worker instead (see reader.run).
		rc := wazero.NewRuntimeConfig().
			WithCoreFeatures(api.CoreFeaturesV2 | experimental.CoreFeaturesExceptionHandling).
			WithCompilationCache(compilationCache())
		thePool, poolErr = webassembly.Init(webassembly.Config{
			MinIdle: 0,
			MaxIdle: n,
			// Two spare workers, so that a worker abandoned after a
			// timeout (still busy until its PDFium call returns) does not
			// block the next reader.
			MaxTotal:      n + 2,
			RuntimeConfig: rc,
			FSConfig:      wazero.NewFSConfig(), // PDFium reads from memory only
			Stdout:        io.Discard,
			Stderr:        io.Discard,
			ReuseWorkers:  true,
		})
		if poolErr != nil {
			poolErr = fmt.Errorf("start PDFium (WebAssembly): %w", poolErr)
		}
	})
	return thePool, poolErr
}

// fn identifies an exported PDFium function.
type fn int

const (
	fnMalloc fn = iota
	fnFree
	fnLoadMemDocument64
	fnGetLastError
	fnCloseDocument
	fnGetPageCount
	fnGetPageSizeByIndexF
	fnLoadPage
	fnClosePage
	fnGetPageBoundingBox
	fnGetRotation
	fnTextLoadPage
	fnTextClosePage
	fnTextCountChars
	fnTextGetUnicode
	fnTextIsGenerated
	fnTextGetLooseCharBox
	fnTextGetCharOrigin
	fnTextGetFontSize
	fnTextGetFontWeight
	fnTextGetFontInfo
	fnTextGetCharAngle
	fnTextGetTextObject
	fnTextGetMatrix
	fnCountNamedDests
	fnGetNamedDest
	fnDestGetDestPageIndex
	fnDestGetLocationInPage
	fnDestGetView
	fnLinkEnumerate
	fnLinkGetAnnotRect
	fnLinkGetDest
	fnLinkGetAction
	fnActionGetType
	fnActionGetDest
	fnActionGetURIPath
	fnGetMetaText
	numFns
)

var fnNames = [numFns]string{
	fnMalloc:                "malloc",
	fnFree:                  "free",
	fnLoadMemDocument64:     "FPDF_LoadMemDocument64",
	fnGetLastError:          "FPDF_GetLastError",
	fnCloseDocument:         "FPDF_CloseDocument",
	fnGetPageCount:          "FPDF_GetPageCount",
	fnGetPageSizeByIndexF:   "FPDF_GetPageSizeByIndexF",
	fnLoadPage:              "FPDF_LoadPage",
	fnClosePage:             "FPDF_ClosePage",
	fnGetPageBoundingBox:    "FPDF_GetPageBoundingBox",
	fnGetRotation:           "FPDFPage_GetRotation",
	fnTextLoadPage:          "FPDFText_LoadPage",
	fnTextClosePage:         "FPDFText_ClosePage",
	fnTextCountChars:        "FPDFText_CountChars",
	fnTextGetUnicode:        "FPDFText_GetUnicode",
	fnTextIsGenerated:       "FPDFText_IsGenerated",
	fnTextGetLooseCharBox:   "FPDFText_GetLooseCharBox",
	fnTextGetCharOrigin:     "FPDFText_GetCharOrigin",
	fnTextGetFontSize:       "FPDFText_GetFontSize",
	fnTextGetFontWeight:     "FPDFText_GetFontWeight",
	fnTextGetFontInfo:       "FPDFText_GetFontInfo",
	fnTextGetCharAngle:      "FPDFText_GetCharAngle",
	fnTextGetTextObject:     "FPDFText_GetTextObject",
	fnTextGetMatrix:         "FPDFText_GetMatrix",
	fnCountNamedDests:       "FPDF_CountNamedDests",
	fnGetNamedDest:          "FPDF_GetNamedDest",
	fnDestGetDestPageIndex:  "FPDFDest_GetDestPageIndex",
	fnDestGetLocationInPage: "FPDFDest_GetLocationInPage",
	fnDestGetView:           "FPDFDest_GetView",
	fnLinkEnumerate:         "FPDFLink_Enumerate",
	fnLinkGetAnnotRect:      "FPDFLink_GetAnnotRect",
	fnLinkGetDest:           "FPDFLink_GetDest",
	fnLinkGetAction:         "FPDFLink_GetAction",
	fnActionGetType:         "FPDFAction_GetType",
	fnActionGetDest:         "FPDFAction_GetDest",
	fnActionGetURIPath:      "FPDFAction_GetURIPath",
	fnGetMetaText:           "FPDF_GetMetaText",
}

// Layout of the scratch block an engine allocates in guest memory for the
// out-parameters of PDFium calls.
const (
	scrRect    = 0   // FS_RECTF: left, top, right, bottom (float32)
	scrX       = 16  // double
	scrY       = 24  // double
	scrInt     = 32  // int / long (flags, buffer length, start position)
	scrInt2    = 36  // int (FPDF_LINK out)
	scrHasX    = 40  // FPDF_BOOL
	scrHasY    = 44  // FPDF_BOOL
	scrHasZoom = 48  // FPDF_BOOL
	scrFX      = 52  // FS_FLOAT
	scrFY      = 56  // FS_FLOAT
	scrFZoom   = 60  // FS_FLOAT; FPDFDest_GetView's 4 params are at scrFX..scrFX+16
	scrMatrix  = 64  // FS_MATRIX: a, b, c, d, e, f (float32)
	scrBuf     = 512 // string buffer
	scrBufLen  = 1536
	scrSize    = scrBuf + scrBufLen
)

// errAbandoned is returned by the calls of an engine whose reader gave up
// waiting for it (a timeout or a cancelled context).
var errAbandoned = errors.New("PDFium worker abandoned")

// errEngine marks a failure of the WebAssembly engine itself (a trap, a
// closed module, an interrupted call) after which the worker is unusable.
var errEngine = errors.New("PDFium failed")

// engine is one borrowed PDFium worker, called directly through wazero:
// one guest call per PDFium function, with out-parameters in a scratch
// block, which is several times faster than go-pdfium's request API for
// per-character work.
type engine struct {
	inst pdfium.Pdfium
	ctx  context.Context // passed to wazero; never cancelled (see getPool)
	// abandoned is set by the reader's goroutine when it stops waiting;
	// every later call fails, so the worker goroutine unwinds and kills
	// the worker.
	abandoned atomic.Bool
	mem       api.Memory
	fns       [numFns]api.Function
	stack     [8]uint64
	scratch   uint32
	dead      bool // a call failed: the worker must be killed, not reused
}

// acquire borrows a worker from the pool.
func acquire(ctx context.Context) (e *engine, err error) {
	p, err := getPool()
	if err != nil {
		return nil, err
	}
	inst, err := p.GetInstanceWithContext(ctx)
	if err != nil {
		if ctx.Err() != nil {
			return nil, ctx.Err()
		}
		return nil, fmt.Errorf("get a PDFium worker: %w", err)
	}
	e = &engine{inst: inst, ctx: context.Background()}
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("bind the PDFium module: %v", r)
		}
		if err != nil {
			e.dead = true
			e.release()
			e = nil
		}
	}()
	if err := e.bind(); err != nil {
		return nil, err
	}
	ptr, err := e.malloc(scrSize)
	if err != nil {
		return nil, err
	}
	e.scratch = ptr
	return e, nil
}

// bind finds the wazero module behind go-pdfium's instance. go-pdfium keeps
// its WebAssembly implementation in an internal package, so the exported
// Module field and Fn method are reached through reflection; the values
// they hold are wazero's own api.Memory and api.Function.
func (e *engine) bind() error {
	impl := reflect.ValueOf(e.inst.GetImplementation())
	if impl.Kind() != reflect.Pointer || impl.Elem().Kind() != reflect.Struct {
		return fmt.Errorf("unexpected go-pdfium implementation %s", impl.Type())
	}
	modField := impl.Elem().FieldByName("Module")
	if !modField.IsValid() {
		return errors.New("go-pdfium implementation has no Module field")
	}
	memMethod := reflect.ValueOf(modField.Interface()).MethodByName("Memory")
	if !memMethod.IsValid() {
		return errors.New("go-pdfium module has no Memory method")
	}
	mem, ok := memMethod.Call(nil)[0].Interface().(api.Memory)
	if !ok {
		return errors.New("go-pdfium module memory is not a wazero memory")
	}
	e.mem = mem
	fnMethod := impl.MethodByName("Fn")
	if !fnMethod.IsValid() {
		return errors.New("go-pdfium implementation has no Fn method")
	}
	for i, name := range fnNames {
		f, ok := fnMethod.Call([]reflect.Value{reflect.ValueOf(name)})[0].Interface().(api.Function)
		if !ok || f == nil {
			return fmt.Errorf("PDFium module does not export %s", name)
		}
		e.fns[i] = f
	}
	return nil
}

// release returns the worker to the pool, or kills it when a call failed
// or its memory grew large.
func (e *engine) release() {
	if e == nil || e.inst == nil {
		return
	}
	defer func() { _ = recover() }()
	if !e.dead && e.mem != nil && e.mem.Size() > maxWorkerMemory {
		e.dead = true
	}
	if !e.dead && e.scratch != 0 {
		e.free(e.scratch)
	}
	if e.dead {
		_ = e.inst.Kill()
	} else {
		_ = e.inst.Close()
	}
	e.inst = nil
}

// call invokes a PDFium function and returns its single result (0 when it
// has none).
func (e *engine) call(f fn, args ...uint64) (uint64, error) {
	if e.dead {
		return 0, errEngine
	}
	if e.abandoned.Load() {
		e.dead = true
		return 0, errAbandoned
	}
	copy(e.stack[:], args)
	if err := e.fns[f].CallWithStack(e.ctx, e.stack[:]); err != nil {
		e.dead = true
		return 0, fmt.Errorf("%w in %s: %w", errEngine, fnNames[f], err)
	}
	return e.stack[0], nil
}

func (e *engine) malloc(n uint32) (uint32, error) {
	r, err := e.call(fnMalloc, uint64(n))
	if err != nil {
		return 0, err
	}
	if r == 0 {
		e.dead = true
		return 0, fmt.Errorf("%w: out of memory allocating %d bytes", errEngine, n)
	}
	return uint32(r), nil
}

func (e *engine) free(p uint32) {
	if p != 0 {
		_, _ = e.call(fnFree, uint64(p))
	}
}

func (e *engine) f32(off uint32) float64 {
	v, _ := e.mem.ReadFloat32Le(e.scratch + off)
	return float64(v)
}

func (e *engine) f64(off uint32) float64 {
	v, _ := e.mem.ReadFloat64Le(e.scratch + off)
	return v
}

func (e *engine) i32(off uint32) int32 {
	v, _ := e.mem.ReadUint32Le(e.scratch + off)
	return int32(v)
}

func (e *engine) setI32(off uint32, v int32) {
	e.mem.WriteUint32Le(e.scratch+off, uint32(v))
}
