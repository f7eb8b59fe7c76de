package testenv

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	cdplog "github.com/chromedp/cdproto/log"
	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/cdproto/runtime"
	"github.com/chromedp/chromedp"
)

// Page is what headless Chromium saw of an HTML file.
type Page struct {
	// Errors are the console errors and warnings, uncaught exceptions and
	// browser log entries of level error or warning.
	Errors []string
	// Requests are the URLs the page asked for (its own file included).
	Requests []string
	Math     MathStats
	// Shots are the PNG screenshots taken: the top of the page, then one
	// per selector given to Browse (scrolled into view).
	Shots []string
}

// MathStats describes the page's MathML as laid out.
type MathStats struct {
	Math int `json:"math"` // <math> elements
	// Zero are the <math> elements (outer HTML, clipped) whose box has no
	// width or no height.
	Zero []string `json:"zero"`
	// Display is the computed display of the first block <math>: "block
	// math" when the browser lays MathML out.
	Display string `json:"display"`
	Fracs   int    `json:"fracs"`
	// FracsStacked counts the <mfrac> whose numerator is laid out above its
	// denominator: proof that MathML layout, not text fallback, happened.
	FracsStacked int `json:"fracsStacked"`
	Pre          int `json:"pre"` // fallbacks: LaTeX source or printed text (pre.tex, pre.printed outside details)
	SVG          int `json:"svg"`
	Height       int `json:"height"` // the document's height in CSS pixels
}

const measureJS = `(() => {
  const closed = [...document.querySelectorAll('details:not([open])')];
  closed.forEach(d => d.open = true);
  const ms = [...document.querySelectorAll('math')];
  const zero = ms.filter(m => { const r = m.getBoundingClientRect(); return !(r.width > 0 && r.height > 0); })
                 .map(m => m.outerHTML.slice(0, 160));
  const block = document.querySelector('math[display="block"]') || ms[0];
  let stacked = 0;
  const fracs = [...document.querySelectorAll('mfrac')];
  for (const f of fracs) {
    const [a, b] = f.children;
    if (a && b && a.getBoundingClientRect().bottom <= b.getBoundingClientRect().top + 2) stacked++;
  }
  const height = document.documentElement.scrollHeight;
  closed.forEach(d => d.open = false);
  return {math: ms.length, zero, display: block ? getComputedStyle(block).display : '',
    fracs: fracs.length, fracsStacked: stacked,
    pre: [...document.querySelectorAll('pre.tex, pre.printed')].filter(p => !p.closest('details')).length,
    svg: document.querySelectorAll('svg').length, height};
})()`

var browserMu sync.Mutex // one Chromium at a time: the machines have two cores

// Browse opens an HTML file in headless Chromium (skipping the test when
// there is none), measures its MathML and writes screenshots into dir: the
// top of the page, then each selector's element scrolled to the top.
func Browse(t testing.TB, file, dir string, selectors ...string) *Page {
	t.Helper()
	exe := Chromium(t)
	browserMu.Lock()
	defer browserMu.Unlock()
	abs, err := filepath.Abs(file)
	if err != nil {
		t.Fatal(err)
	}
	opts := append(chromedp.DefaultExecAllocatorOptions[:],
		chromedp.ExecPath(exe),
		chromedp.NoSandbox,
		chromedp.DisableGPU,
		chromedp.Flag("disable-quic", true),
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true),
		chromedp.Flag("no-first-run", true),
		chromedp.UserDataDir(t.TempDir()),
		chromedp.WindowSize(1200, 1500),
	)
	ctx, cancel := context.WithTimeout(context.Background(), 90*time.Second)
	defer cancel()
	actx, acancel := chromedp.NewExecAllocator(ctx, opts...)
	defer acancel()
	p := &Page{}
	var mu sync.Mutex
	listen := func(ev any) {
		mu.Lock()
		defer mu.Unlock()
		switch ev := ev.(type) {
		case *runtime.EventConsoleAPICalled:
			switch ev.Type {
			case runtime.ConsoleAPICalledTypeError, runtime.ConsoleAPICalledTypeWarning, runtime.ConsoleAPICalledTypeAssert:
				var args []string
				for _, a := range ev.Args {
					args = append(args, string(a.Value)+a.Description)
				}
				p.Errors = append(p.Errors, "console."+string(ev.Type)+": "+strings.Join(args, " "))
			}
		case *runtime.EventExceptionThrown:
			p.Errors = append(p.Errors, "exception: "+ev.ExceptionDetails.Text)
		case *cdplog.EventEntryAdded:
			if ev.Entry.Level == cdplog.EntryLevelError || ev.Entry.Level == cdplog.EntryLevelWarning {
				p.Errors = append(p.Errors, "log "+string(ev.Entry.Level)+": "+ev.Entry.Text+" "+ev.Entry.URL)
			}
		case *network.EventRequestWillBeSent:
			p.Requests = append(p.Requests, ev.Request.URL)
		}
	}
	bctx, bcancel := chromedp.NewContext(actx, chromedp.WithListener(listen))
	defer bcancel()
	if err := chromedp.Do(bctx, chromedp.Navigate("file://"+abs), chromedp.WaitReady("body")); err != nil {
		t.Fatalf("chromium on %s: %v", file, err)
	}
	m, err := chromedp.Run(bctx, chromedp.Evaluate[MathStats](measureJS))
	if err != nil {
		t.Fatalf("chromium on %s: %v", file, err)
	}
	p.Math = m
	save := func(name string, b []byte) {
		path := filepath.Join(dir, name)
		if err := os.WriteFile(path, b, 0o644); err != nil {
			t.Fatal(err)
		}
		p.Shots = append(p.Shots, path)
	}
	top, err := chromedp.Run(bctx, chromedp.CaptureScreenshot())
	if err != nil {
		t.Fatalf("chromium screenshot of %s: %v", file, err)
	}
	base := strings.TrimSuffix(filepath.Base(file), filepath.Ext(file))
	save(base+"-top.png", top)
	for i, sel := range selectors {
		js := fmt.Sprintf(`(() => { const e = document.querySelector(%q); if (!e) return false; e.scrollIntoView(); window.scrollBy(0, -8); return true; })()`, sel)
		found, err := chromedp.Run(bctx, chromedp.Evaluate[bool](js))
		if err != nil {
			t.Fatalf("chromium on %s: %v", file, err)
		}
		if !found {
			continue // the page has no such part
		}
		if err := chromedp.Do(bctx, chromedp.Sleep(50*time.Millisecond)); err != nil {
			t.Fatal(err)
		}
		shot, err := chromedp.Run(bctx, chromedp.CaptureScreenshot())
		if err != nil {
			t.Fatalf("chromium screenshot of %s %s: %v", file, sel, err)
		}
		save(fmt.Sprintf("%s-%d.png", base, i+1), shot)
	}
	mu.Lock()
	defer mu.Unlock()
	return p
}
