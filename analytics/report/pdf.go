package report

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"html"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
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

// WritePDF prints the report to w with a Chromium started for this one
// report: for a command that prints once. A server keeps a Printer.
func (r *Report) WritePDF(ctx context.Context, chromium string, w io.Writer) error {
	p := NewPrinter(chromium, 1)
	defer p.Close()
	return p.Print(ctx, r, w)
}

// Document is what a Printer prints: a Report or a Portfolio.
type Document interface {
	WriteHTML(w io.Writer) error
	footer() string            // the printed pages' footer
	contents() []ContentsEntry // the parts whose pages the contents name
}

// footer is the printed pages' footer: the organisation and page numbers.
func (r *Report) footer() string {
	return footerHTML(html.EscapeString(r.Org) + " · Accord benchmark report")
}

// footerHTML is a footer with label (HTML) on the left and the page number on the right.
func footerHTML(label string) string {
	return `<div style="font-size:8px;width:100%;padding:0 15mm;color:#4a5360;display:flex;justify-content:space-between">` +
		`<span>` + label + `</span>` +
		`<span>Page <span class="pageNumber"></span> of <span class="totalPages"></span></span></div>`
}

// A4 minus the page margins of report.css (15 mm a side), at 96 dpi: the
// width of the text, at which the charts are drawn so they fill it.
const (
	textWidth  = 680
	pageHeight = 1123
)

// printTab prints the report open in tab: once to find the page every
// part starts on, then, with those pages written into the contents, for
// good. The contents' page numbers sit in lines of their own, so filling
// them in moves nothing; the second outline is checked against the first.
// With known, the pages of the same document printed before, it prints
// once, and again only if they turn out to have changed. It returns the
// PDF and the pages of the parts.
func printTab(tab context.Context, r Document, file string, known []int) ([]byte, []int, error) {
	offline := func(ctx context.Context, t *chromedp.Target) (chromedp.Void, error) {
		if _, err := cdp.Call(ctx, t, network.Enable, network.EnableParams{}); err != nil {
			return chromedp.Void{}, err
		}
		_, err := cdp.Call(ctx, t, network.OverrideNetworkState, network.OverrideNetworkStateParams{Offline: true, DownloadThroughput: -1, UploadThroughput: -1})
		return chromedp.Void{}, err
	}
	// Lay the page out as it prints, at the text's width, before the
	// charts are drawn: a chart keeps the width it was drawn at.
	// Charts are rendered at twice the screen's density to stay sharp.
	media := func(ctx context.Context, t *chromedp.Target) (chromedp.Void, error) {
		if _, err := cdp.Call(ctx, t, emulation.SetEmulatedMedia, emulation.SetEmulatedMediaParams{Media: "print"}); err != nil {
			return chromedp.Void{}, err
		}
		_, err := cdp.Call(ctx, t, emulation.SetDeviceMetricsOverride,
			emulation.SetDeviceMetricsOverrideParams{Width: textWidth, Height: pageHeight, DeviceScaleFactor: 2})
		return chromedp.Void{}, err
	}
	err := chromedp.Do(tab, offline, media, chromedp.Navigate("file://"+filepath.ToSlash(file)),
		chromedp.Poll[chromedp.Void](allDrawn, chromedp.WithPollingInterval(20*time.Millisecond)))
	if err != nil {
		return nil, nil, err
	}
	print := func() ([]byte, []int, error) {
		pdf, err := chromedp.Run(tab, chromedp.PrintToPDF(chromedp.PDFPreferCSSPageSize(), chromedp.PDFPrintBackground(),
			chromedp.PDFHeaderTemplate("<span></span>"), chromedp.PDFFooterTemplate(r.footer()), chromedp.PDFOutlineAndTagged()))
		if err != nil {
			return nil, nil, err
		}
		marks, err := headingPages(pdf)
		if err != nil {
			return nil, nil, err
		}
		return pdf, pagesOf(r.contents(), marks), nil
	}
	fill := func(pages []int) error {
		list, _ := json.Marshal(pages) // numbers only: safe to write into the script
		return chromedp.Do(tab, chromedp.Evaluate[chromedp.Void]("("+fillContents+")("+string(list)+")"))
	}
	if known != nil {
		if err := fill(known); err != nil {
			return nil, nil, err
		}
		pdf, pages, err := print()
		if err != nil || slices.Equal(pages, known) {
			return pdf, pages, err
		}
		if _, err := chromedp.Run(tab, chromedp.Evaluate[chromedp.Void](clearContents)); err != nil {
			return nil, nil, err
		}
	}
	_, pages, err := print()
	if err != nil {
		return nil, nil, err
	}
	if err := fill(pages); err != nil {
		return nil, nil, err
	}
	pdf, again, err := print()
	if err != nil {
		return nil, nil, err
	}
	if !slices.Equal(pages, again) {
		return nil, nil, fmt.Errorf("the contents' page numbers moved the parts they name: %v, then %v", pages, again)
	}
	return pdf, pages, nil
}

// clearContents takes the page numbers out of the contents again.
const clearContents = `document.querySelectorAll(".contents .toc-page").forEach(s => s.remove())`

// fillContents writes a page number after every line of the contents.
const fillContents = `(pages) => document.querySelectorAll(".contents li").forEach((li, i) => {
	if (!pages[i]) return;
	const s = document.createElement("span");
	s.className = "toc-page";
	s.textContent = String(pages[i]);
	li.append(" ", s);
})`
