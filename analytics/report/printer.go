package report

import (
	"context"
	"crypto/sha256"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"time"

	"github.com/chromedp/chromedp"
)

// Printer prints reports as A4 PDFs with one headless Chromium that it
// keeps running between prints: starting Chromium costs seconds, a tab
// in a running one a few milliseconds. At most a fixed number of reports
// print at once, each in its own tab; a Chromium that has crashed is
// started again at the next print, and one left idle is stopped to give
// its memory back. A Printer is safe for use by several goroutines.
type Printer struct {
	chromium string
	slots    chan struct{}
	idle     time.Duration

	mu      sync.Mutex
	browser context.Context    // nil while no Chromium runs
	stop    context.CancelFunc // stops the running Chromium
	timer   *time.Timer        // stops it after idle
	busy    int                // prints under way
	// pages remembers where the parts of recently printed documents
	// start, by the hash of their HTML, so that printing the same one
	// again (a second download the same day) takes one print, not two.
	pages map[[sha256.Size]byte][]int
}

// rememberedLayouts bounds Printer.pages.
const rememberedLayouts = 256

// PrinterIdle is how long a Printer keeps Chromium running without a print.
const PrinterIdle = 10 * time.Minute

// NewPrinter returns a printer using the Chromium at path that prints at
// most concurrent reports at once (at least one). Chromium starts with
// the first print.
func NewPrinter(chromium string, concurrent int) *Printer {
	return &Printer{chromium: chromium, slots: make(chan struct{}, max(concurrent, 1)), idle: PrinterIdle}
}

// Print writes the report or portfolio to w as a PDF. It waits for a free slot, or
// until ctx ends; PDFTimeout bounds the print itself, Chromium's start
// included. The HTML is written to a temporary file and opened from disk
// with the network turned off, exactly as a reader would open it from a
// USB stick, and printed once every chart is drawn.
func (p *Printer) Print(ctx context.Context, r Document, w io.Writer) error {
	select {
	case p.slots <- struct{}{}:
		defer func() { <-p.slots }()
	case <-ctx.Done():
		return ctx.Err()
	}
	dir, err := os.MkdirTemp("", "accord-report-")
	if err != nil {
		return fmt.Errorf("print PDF: %w", err)
	}
	defer os.RemoveAll(dir)
	file := filepath.Join(dir, "report.html")
	f, err := os.Create(file)
	if err == nil {
		err = errors.Join(r.WriteHTML(f), f.Close())
	}
	if err != nil {
		return fmt.Errorf("print PDF: %w", err)
	}
	sum, err := fileHash(file)
	if err != nil {
		return fmt.Errorf("print PDF: %w", err)
	}
	pdf, err := p.printFile(ctx, r, file, sum)
	if err != nil {
		return fmt.Errorf("print PDF with %s: %w", p.chromium, err)
	}
	_, err = w.Write(pdf)
	return err
}

// printFile prints file in a new tab of the running Chromium.
func (p *Printer) printFile(ctx context.Context, r Document, file string, sum [sha256.Size]byte) ([]byte, error) {
	browser, err := p.acquire()
	if err != nil {
		return nil, err
	}
	defer p.release()
	tab, closeTab := chromedp.NewContext(browser)
	defer closeTab()
	// The tab lives under the browser, not the request: stop it when the
	// request goes away or the print takes too long.
	stop := context.AfterFunc(ctx, closeTab)
	defer stop()
	tab, cancel := context.WithTimeout(tab, PDFTimeout)
	defer cancel()
	p.mu.Lock()
	known := p.pages[sum]
	p.mu.Unlock()
	// A Chromium that died meanwhile is replaced at the next print (acquire).
	pdf, pages, err := printTab(tab, r, file, known)
	if err == nil {
		p.mu.Lock()
		if p.pages == nil || len(p.pages) >= rememberedLayouts {
			p.pages = map[[sha256.Size]byte][]int{}
		}
		p.pages[sum] = pages
		p.mu.Unlock()
	}
	return pdf, err
}

// fileHash is the SHA-256 of a file's contents.
func fileHash(name string) ([sha256.Size]byte, error) {
	b, err := os.ReadFile(name)
	if err != nil {
		return [sha256.Size]byte{}, err
	}
	return sha256.Sum256(b), nil
}

// acquire returns the running Chromium's context, starting it if needed.
func (p *Printer) acquire() (context.Context, error) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.timer != nil {
		p.timer.Stop()
	}
	if p.browser != nil && p.browser.Err() != nil {
		p.shutdown() // it crashed
	}
	if p.browser == nil {
		if err := p.start(); err != nil {
			return nil, err
		}
	}
	p.busy++
	return p.browser, nil
}

// release marks a print finished and arms the idle timer.
func (p *Printer) release() {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.busy--
	if p.busy == 0 && p.browser != nil {
		browser := p.browser
		p.timer = time.AfterFunc(p.idle, func() {
			p.mu.Lock()
			defer p.mu.Unlock()
			if p.busy == 0 && p.browser == browser {
				p.shutdown()
			}
		})
	}
}

// featuresOff are chromedp's defaults for the same flag, which this one
// replaces, and the address bar's popup, which recent Chromium (156 here)
// builds and preloads as a page of its own for every window: headless, it
// is never shown, yet it kept rendering (its caret is animated) and used a
// core for as long as Chromium ran, ten idle minutes after every print.
// Chromium ignores names it does not know. The browser tests' harness
// (browsertest) turns off the same.
var featuresOff = []string{"Translate", "BlinkGenPropertyTrees",
	"WebUIOmniboxPopup", "WebUIOmniboxAimPopup", "WebUIOmniboxFullPopup", "PreloadTopChromeWebUI"}

// start launches Chromium and waits until it answers. Called with mu held.
func (p *Printer) start() error {
	profile, err := os.MkdirTemp("", "accord-chromium-")
	if err != nil {
		return fmt.Errorf("start Chromium: %w", err)
	}
	opts := append([]chromedp.ExecAllocatorOption{}, chromedp.DefaultExecAllocatorOptions[:]...)
	opts = append(opts, chromedp.ExecPath(p.chromium), chromedp.UserDataDir(profile), chromedp.Headless, chromedp.DisableGPU,
		chromedp.NoFirstRun, chromedp.Flag("disable-background-networking", true), chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true), chromedp.Flag("disable-features", strings.Join(featuresOff, ",")))
	if os.Geteuid() == 0 {
		opts = append(opts, chromedp.NoSandbox) // Chromium refuses to run its sandbox as root
	}
	alloc, cancelAlloc := chromedp.NewExecAllocator(context.Background(), opts...)
	browser, cancelBrowser := chromedp.NewContext(alloc)
	// No timeout here: the context of the first run is the browser's own.
	if err := chromedp.Do(browser); err != nil { // starts the browser
		cancelBrowser()
		cancelAlloc()
		os.RemoveAll(profile)
		return fmt.Errorf("start Chromium: %w", err)
	}
	p.browser = browser
	p.stop = func() {
		cancelBrowser()
		cancelAlloc() // waits for Chromium to exit
		os.RemoveAll(profile)
	}
	return nil
}

// shutdown stops the running Chromium. Called with mu held.
func (p *Printer) shutdown() {
	if p.stop != nil {
		p.stop()
	}
	p.browser, p.stop = nil, nil
}

// Close stops Chromium; a later print starts it again.
func (p *Printer) Close() {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.timer != nil {
		p.timer.Stop()
	}
	p.shutdown()
}
