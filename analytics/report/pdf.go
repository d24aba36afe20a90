package report

import (
	"context"
	"errors"
	"fmt"
	"html"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"time"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/chromedp"
)

// ErrNoChromium is returned when no Chromium is installed to print PDFs.
var ErrNoChromium = errors.New("PDF reports need Chromium: install it (Debian: apt-get install chromium) or set ACCORD_CHROMIUM to its path; meanwhile the HTML report prints to PDF from any browser")

// PDFTimeout bounds printing one report, Chromium's start included.
const PDFTimeout = 90 * time.Second

// FindChromium returns the Chromium to print with: ACCORD_CHROMIUM, else
// chromium (or chromium-browser) on PATH; ErrNoChromium when there is none.
func FindChromium(getenv func(string) string) (string, error) {
	if p := getenv("ACCORD_CHROMIUM"); p != "" {
		if _, err := os.Stat(p); err != nil {
			return "", fmt.Errorf("ACCORD_CHROMIUM=%s: %w", p, err)
		}
		return p, nil
	}
	for _, name := range []string{"chromium", "chromium-browser"} {
		if p, err := exec.LookPath(name); err == nil {
			return p, nil
		}
	}
	return "", ErrNoChromium
}

// allDrawn is true when every chart of the page has been drawn by charts.js.
const allDrawn = `document.readyState === "complete" &&
	document.querySelectorAll("[data-chart]").length === document.querySelectorAll("[data-chart-ready]").length`

// WritePDF prints the report to w as an A4 PDF with headless Chromium: the
// HTML is written to a temporary file and opened from disk with the network
// turned off, exactly as a reader would open it from a USB stick; printing
// waits until every chart is drawn. Charts are rendered at twice the
// screen's pixel density so they stay sharp on paper.
func (r *Report) WritePDF(ctx context.Context, chromium string, w io.Writer) error {
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
	pdf, err := printFile(ctx, chromium, filepath.Join(dir, "profile"), file, r.footer())
	if err != nil {
		return fmt.Errorf("print PDF with %s: %w", chromium, err)
	}
	_, err = w.Write(pdf)
	return err
}

// footer is the printed pages' footer: the organisation and page numbers.
func (r *Report) footer() string {
	return `<div style="font-size:8px;width:100%;padding:0 15mm;color:#4a5360;display:flex;justify-content:space-between">` +
		`<span>` + html.EscapeString(r.Org) + ` · Accord benchmark report</span>` +
		`<span>Page <span class="pageNumber"></span> of <span class="totalPages"></span></span></div>`
}

func printFile(ctx context.Context, chromium, profile, file, footer string) ([]byte, error) {
	ctx, cancel := context.WithTimeout(ctx, PDFTimeout)
	defer cancel()
	opts := append([]chromedp.ExecAllocatorOption{}, chromedp.DefaultExecAllocatorOptions[:]...)
	opts = append(opts, chromedp.ExecPath(chromium), chromedp.UserDataDir(profile), chromedp.Headless, chromedp.DisableGPU,
		chromedp.NoFirstRun, chromedp.Flag("disable-background-networking", true), chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true))
	if os.Geteuid() == 0 {
		opts = append(opts, chromedp.NoSandbox) // Chromium refuses to run its sandbox as root
	}
	alloc, cancelAlloc := chromedp.NewExecAllocator(ctx, opts...)
	defer cancelAlloc()
	tab, cancelTab := chromedp.NewContext(alloc)
	defer cancelTab()
	offline := func(ctx context.Context, t *chromedp.Target) (chromedp.Void, error) {
		if _, err := cdp.Call(ctx, t, network.Enable, network.EnableParams{}); err != nil {
			return chromedp.Void{}, err
		}
		_, err := cdp.Call(ctx, t, network.OverrideNetworkState, network.OverrideNetworkStateParams{Offline: true, DownloadThroughput: -1, UploadThroughput: -1})
		return chromedp.Void{}, err
	}
	// A4 at 96 dpi minus the page margins, so charts are laid out at
	// their printed width.
	metrics := func(ctx context.Context, t *chromedp.Target) (chromedp.Void, error) {
		_, err := cdp.Call(ctx, t, emulation.SetDeviceMetricsOverride,
			emulation.SetDeviceMetricsOverrideParams{Width: 794, Height: 1123, DeviceScaleFactor: 2})
		return chromedp.Void{}, err
	}
	err := chromedp.Do(tab, offline, metrics, chromedp.Navigate("file://"+filepath.ToSlash(file)),
		chromedp.Poll[chromedp.Void](allDrawn, chromedp.WithPollingInterval(50*time.Millisecond)))
	if err != nil {
		return nil, err
	}
	return chromedp.Run(tab, chromedp.PrintToPDF(chromedp.PDFPreferCSSPageSize(), chromedp.PDFPrintBackground(),
		chromedp.PDFHeaderTemplate("<span></span>"), chromedp.PDFFooterTemplate(footer), chromedp.PDFOutlineAndTagged()))
}
